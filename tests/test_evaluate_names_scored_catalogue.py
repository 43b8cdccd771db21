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
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

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
    assert "class_pred vs class_ref in cat: accuracy[" in res.output, res.output
    assert "in prediction" not in res.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    assert list(summary["headline"]) == ["prediction_class_ref"]


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
