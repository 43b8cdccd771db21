"""``evaluate`` and ``report`` with ``--label-column expert`` name ``expert``, the column scored against.

Until 2026-12-07 the labels read into ``class_ref`` were headed "class_pred vs class_ref in out" on the
terminal, the bootstrap's line, the page's headings and captions, the tables' names
(``per_class_out_class_ref.ecsv``), the Catalogues table and ``summary.json``: a column the user never
named, and the same words as the folder's own labels would have had. The worst mistakes' table showed the
folder's ``label`` beside the expert's class.
"""

from __future__ import annotations

import json
import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs
from starclass.report.build import mistakes_table

runner = CliRunner()


def _classified(tmp_path, n=40):
    """A classified cutout table whose `expert` disagrees with its folder's `label` on some rows."""
    rng = np.random.default_rng(3)
    label = np.where(rng.random(n) < 0.5, "cluster", "galaxy")
    flip = rng.random(n) < 0.3
    expert = np.where(flip, np.where(label == "cluster", "galaxy", "cluster"), label)
    p1 = np.clip(np.where(label == "cluster", 0.7, 0.3) + rng.normal(0, 0.15, n), 0.01, 0.99)
    t = Table({"file": [f"c{i}.png" for i in range(n)], "label": label, "expert": expert,
               "class_pred": np.where(p1 > 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    path = tmp_path / "out.csv"
    t.write(path)
    return path, t


def test_evaluate_names_the_label_column_everywhere(tmp_path):
    path, _ = _classified(tmp_path)
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(path), "--label-column", "expert", "--task", "m31-real",
                              "--bootstrap", "3", "--no-science", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "class_pred vs expert in out: " in res.output, res.output
    assert "bootstrap (class_pred vs expert in out)" in res.stderr, res.stderr
    assert "class_ref" not in res.output + res.stderr
    tables = sorted(p.name for p in (out / "tables").iterdir())
    assert "per_class_out_expert.ecsv" in tables, tables
    assert not any("class_ref" in name for name in tables), tables
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["headline"]) == ["out_expert"]
    assert summary["prediction_column"] == "class_pred"
    assert summary["reference_columns"] == {"out_expert": "expert"}
    cats = Table.read(out / "tables" / "catalogues.ecsv")
    assert list(cats["class_column"]) == ["class_pred", "expert"]
    # each table's meta records its section, which names the columns compared
    meta = Table.read(out / "tables" / "per_class_out_expert.ecsv").meta["starclass_table"]
    assert meta["section"].startswith("class_pred vs expert in out"), meta


def test_report_headings_and_captions_name_the_label_column(tmp_path):
    path, _ = _classified(tmp_path)
    page = tmp_path / "rep" / "report.html"
    res = runner.invoke(app, ["report", str(path), "--label-column", "expert", "--task", "m31-real",
                              "--bootstrap", "3", "-o", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    headings = re.findall(r"<h2>([^<]*)</h2>", html)
    assert "class_pred vs expert in out: metrics" in headings, headings
    assert not any("class_ref" in h for h in headings), headings
    assert "Rows of confusion matrices are the reference (expert)" in html


def test_the_default_reference_is_still_class_ref(tmp_path):
    # without --label-column the catalogue's own class_ref is what is scored against, and named so
    path, t = _classified(tmp_path)
    t["class_ref"] = np.where(t["label"] == "cluster", 1, 2)
    t.write(path, overwrite=True)
    ev = evaluate_catalogs(str(path), task="m31-real", n_boot=0)
    assert ev.comparisons[0].heading() == "class_pred vs class_ref in out"
    assert ev.reference_column(ev.comparisons[0]) == "class_ref"


def test_mistakes_show_the_labels_scored_against(tmp_path):
    path, t = _classified(tmp_path)
    ev = evaluate_catalogs(str(path), task="m31-real", n_boot=0, label_column="expert")
    worst = mistakes_table(ev)
    assert len(worst) > 0
    assert "expert" in worst.colnames and "label" not in worst.colnames, worst.colnames
    # each row's text is the expert's label, whose class is the class_ref beside it
    as_class = {"cluster": 1, "galaxy": 2}
    assert [as_class[v] for v in worst["expert"]] == list(worst["class_ref"])
