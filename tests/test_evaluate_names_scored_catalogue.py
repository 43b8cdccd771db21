"""``evaluate`` and ``report`` name the catalogue scored by its file, not "prediction".

Until 2026-12-06 every heading, the bootstrap's progress line and the confusion matrices' axes called the
catalogue given as PRED "prediction", also where it is a human catalogue scored against a reference
(``evaluate humans.ecsv -r truth.ecsv``: "prediction vs truth"), or the catalogue whose two columns
``-r self`` compares ("class_pred vs class_ref in prediction"). The tables and ``summary.json`` keep their keys.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _write(tmp_path, n=60):
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 3, n)
    humans = np.where(rng.random(n) < 0.8, truth, 3 - truth)
    pos = {"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n)}
    Table({**pos, "class_ref": humans}).write(tmp_path / "humans.ecsv")
    Table({**pos, "class_ref": truth}).write(tmp_path / "truth.ecsv")
    Table({**pos, "class_pred": humans, "class_ref": truth}).write(tmp_path / "cat.ecsv")


def test_a_human_catalogue_is_named_by_its_file(tmp_path):
    _write(tmp_path)
    page = tmp_path / "rep" / "report.html"
    res = runner.invoke(app, ["report", str(tmp_path / "humans.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--bootstrap", "3", "-o", str(page)])
    assert res.exit_code == 0, res.output
    headings = re.findall(r"<h2>([^<]*)</h2>", page.read_text())
    assert "humans vs truth: metrics" in headings, headings
    assert not any("prediction vs" in h for h in headings), headings
    assert "bootstrap (humans vs truth)" in res.stderr, res.stderr
    # the keys stay: the tables are named after the reference, summary.json by it
    assert (tmp_path / "rep" / "tables" / "summary_truth.ecsv").exists()


def test_self_comparison_names_the_catalogue(tmp_path):
    _write(tmp_path)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "class_pred vs class_ref in cat: " in res.output, res.output
    assert "in prediction" not in res.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    # its key and its tables' names too (prediction_class_ref until 2026-12-07)
    assert list(summary["headline"]) == ["cat_class_ref"]
    assert (tmp_path / "ev" / "tables" / "per_class_cat_class_ref.ecsv").exists()


def test_a_reference_of_the_same_stem_leaves_the_catalogue_its_path(tmp_path):
    _write(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "humans.ecsv").rename(tmp_path / "a" / "truth.ecsv")
    pred = tmp_path / "a" / "truth.ecsv"
    res = runner.invoke(app, ["evaluate", str(pred), "-r", str(tmp_path / "truth.ecsv"), "--bootstrap", "3",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    # "truth vs truth" would not say which is which
    assert f"bootstrap ({pred} vs truth)" in res.stderr, res.stderr


def test_what_evaluate_writes_names_the_catalogue_by_its_file(tmp_path):
    """The Catalogues table, the science checks' tables and the agreement columns said "prediction" (2026-12-07)."""
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(120, seed=1)
    pred.write(tmp_path / "classified.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--distance", "10", "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    tables = tmp_path / "ev" / "tables"
    names = sorted(p.name for p in tables.glob("*.ecsv"))
    assert not [n for n in names if "prediction" in n], names
    assert "box_counts_classified.ecsv" in names, names
    cats = Table.read(tables / "catalogues.ecsv")
    assert list(cats["catalogue"]) == ["classified", "truth"]
    agreement = [n for n in names if n.startswith("agreement")]
    assert agreement, names
    for n in agreement:
        cols = Table.read(tables / n).colnames
        assert "n_prediction" not in cols, (n, cols)
    assert "n_classified" in Table.read(tables / "agreement_truth.ecsv").colnames
    assert "n_classified" in Table.read(tables / "quality_ratio.ecsv").colnames
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    assert "prediction" not in json.dumps(summary.get("headline")), summary.get("headline")
    # the words of the terminal say no "prediction" of a file that has a name
    assert "prediction" not in res.output.replace("prediction set", ""), res.output


def test_a_catalogue_given_in_python_keeps_the_role_name():
    from starclass.evaluate import evaluate_catalogs
    from starclass.evaluate.compare import scored_name
    from starclass.evaluate.task import EvalTask

    rng = np.random.default_rng(1)
    t = Table({"class_pred": rng.integers(1, 3, 20), "class_ref": rng.integers(1, 3, 20)})
    ev = evaluate_catalogs(t, ["self"], task=EvalTask.from_classes((1, 2)), n_boot=0, progress=False)
    assert list(ev.headline()) == ["prediction class_ref"]
    # a stem a reference has, or one of evaluate's own names, keeps the role name: no two catalogues share one
    assert scored_name("a/truth.ecsv", ["b/truth.ecsv"]) == "prediction"
    assert scored_name("reference.ecsv", ["self"]) == "prediction"
    assert scored_name("run/classified.ecsv", ["truth.ecsv"]) == "classified"


LEGUS_NAME = "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor"


def test_a_legus_file_is_named_by_its_field(tmp_path):
    """A LEGUS file's stem (~55 characters) made ~110-character table names (until 2026-12-07): its field instead."""
    _write(tmp_path)
    (tmp_path / "cat.ecsv").rename(tmp_path / f"{LEGUS_NAME}.ecsv")
    (tmp_path / "truth.ecsv").rename(tmp_path / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.ecsv")
    pred = tmp_path / f"{LEGUS_NAME}.ecsv"
    res = runner.invoke(app, ["evaluate", str(pred), "-r", "self", "-r",
                              str(tmp_path / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.ecsv"),
                              "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "ev" / "tables").iterdir())
    assert "per_class_ngc1566_class_ref.ecsv" in names, names
    assert "per_class_ngc1433.ecsv" in names, names
    assert not any("hlsp_legus" in n for n in names), names
    assert "class_pred vs class_ref in ngc1566: " in res.output, res.output
    # each file named once, where it is read
    assert res.output.count(f"ngc1566 is {pred} ") == 1, res.output
    assert res.output.count("ngc1433 is ") == 1, res.output


def test_self_reference_catalogue_is_named_by_its_column(tmp_path):
    """-r self's own catalogue was "reference" in what was written, the page named it by its column (2026-12-07)."""
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(120, seed=1)
    pred["class_ref"] = truth["class_ref"]  # the same 120 objects, row by row
    pred.write(tmp_path / "cat.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "-r", "self", "--distance", "10",
                              "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    names = {p.stem for p in (tmp_path / "ev" / "tables").iterdir()}
    assert "box_counts_cat_class_ref" in names, names
    assert not any(n.endswith("_reference") for n in names), names
    counts = Table.read(tmp_path / "ev" / "tables" / "catalogues.ecsv")
    assert list(counts["catalogue"]) == ["cat", "cat class_ref"]
