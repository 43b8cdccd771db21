"""``evaluate --pred-column COL --reference-column COL2``: one class column of a catalogue against another.

Before, a LEGUS catalogue (human classes, no ``class_pred``) could not be evaluated on its own:
``evaluate NGC1566.tab --pred-column class_ml`` stopped with "has class_ref but no class_pred ...
nothing to compare", with ``-r self`` it said "the columns that can be scored are none", and no
option chose the reference column. So the machine-learning class of NGC 1566 (col 37) could not be
scored against the three people's mode (col 36) from the command line.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.science.validation import hybrid_check

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _legus_like(n: int = 80, seed: int = 3) -> Table:
    """A human-classified catalogue with a machine column and a three-people mode (0 = none)."""
    rng = np.random.default_rng(seed)
    mode = rng.integers(0, 5, n)  # 0: not inspected by the people
    ml = np.where(rng.random(n) < 0.6, np.maximum(mode, 1), rng.integers(1, 5, n))
    return Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 900, n), "y": rng.uniform(0, 900, n),
                  "class_ref": np.where(mode > 0, mode, ml), "class_human_mode": mode.astype(np.int16),
                  "class_ml": ml.astype(np.int16)})


def test_one_column_scored_against_another_as_sklearn_scores_it(tmp_path):
    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    both = (np.asarray(t["class_human_mode"]) > 0) & (np.asarray(t["class_ml"]) > 0)
    y, yp = np.asarray(t["class_human_mode"])[both], np.asarray(t["class_ml"])[both]
    assert f"{both.sum()} classified in both" in res.output
    assert "scored column class_ml" in res.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    head = next(iter(summary["headline"].values()))
    assert head["4class"] == pytest.approx(round(accuracy_score(y, yp), 4))
    side = lambda a: np.where(a <= 2, 1, 2)  # noqa: E731  (clusters 1+2 against 3+4)
    assert head["12v34"] == pytest.approx(round(accuracy_score(side(y), side(yp)), 4))
    assert (f"4class: accuracy {accuracy_score(y, yp):.3f}, balanced accuracy {balanced_accuracy_score(y, yp):.3f}"
            in res.output)
    assert summary["prediction_column"] == "class_ml"
    counts = Table.read(tmp_path / "ev" / "tables" / "catalogues.ecsv")
    assert counts["class_column"].tolist() == ["class_ml", "class_human_mode"]
    assert counts["n_1"].tolist() == [int(np.sum(t["class_ml"] == 1)), int(np.sum(t["class_human_mode"] == 1))]


def test_human_catalogue_with_pred_column_is_compared_with_its_class_ref(tmp_path):
    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    y, yp = np.asarray(t["class_ref"]), np.asarray(t["class_ml"])
    assert f"4class: accuracy {accuracy_score(y, yp):.3f}" in res.output


def test_missing_reference_column_is_named(tmp_path):
    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_h7", "--no-science", "-o", str(out)])
    assert res.exit_code == 2
    assert "class_h7" in res.output and "class_human_mode" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_ngc1566_machine_against_three_people_as_hybrid_check(legus_tab, tmp_path):
    res = runner.invoke(app, ["evaluate", str(legus_tab), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    row = hybrid_check(read_catalog(legus_tab))[0]  # three-human mode vs ML
    assert f"{int(row['n'])} classified in both" in res.output
    assert f"4class: accuracy {float(row['agree_4class']):.3f}" in res.output
    assert f"12v34: accuracy {float(row['agree_binary']):.3f}" in res.output


def test_report_takes_the_reference_column(tmp_path):
    t = _legus_like(n=40)
    path = tmp_path / "cat.ecsv"
    t.write(path)
    page = tmp_path / "rep" / "r.html"
    res = runner.invoke(app, ["report", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--bootstrap", "0", "-o", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    # the columns compared, not "prediction vs prediction class_human_mode"; the catalogue by its file's stem
    assert "class_ml vs class_human_mode in cat: metrics" in html and "prediction vs prediction" not in html


def test_pred_column_outside_the_tasks_classes_is_named(tmp_path):
    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--task", "cool-core", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2
    first = int(np.flatnonzero(np.asarray(t["class_ml"]) == 4)[0]) + 1
    assert f"column 'class_ml' (--pred-column): class [4] (first at row {first})" in res.output
    assert str(path) in res.output and "'class_pred'" not in res.output


def test_reference_column_of_another_catalogue(tmp_path):
    t = _legus_like()
    pred = Table({"id": t["id"], "x": t["x"], "y": t["y"], "class_pred": t["class_ml"]})
    ref = Table({"id": t["id"], "x": t["x"], "y": t["y"], "class_ref": t["class_ref"],
                 "class_human_mode": t["class_human_mode"]})
    pred.write(tmp_path / "pred.ecsv")
    ref.write(tmp_path / "people.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "people.ecsv"),
                              "--reference-column", "class_human_mode", "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    both = (np.asarray(t["class_human_mode"]) > 0) & (np.asarray(t["class_ml"]) > 0)
    y, yp = np.asarray(t["class_human_mode"])[both], np.asarray(t["class_ml"])[both]
    assert f"4class: accuracy {accuracy_score(y, yp):.3f}" in res.output
    assert f"{both.sum()} classified in both" in res.output


def test_scoring_the_ml_class_against_the_hybrid_class_built_from_it_is_noted(legus_tab, tmp_path):
    # NGC 1566's class_ref is class_ml itself on the class_method-0 rows: 0.597 against 0.444 independent
    res = runner.invoke(app, ["evaluate", str(legus_tab), "--pred-column", "class_ml", "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    t = read_catalog(legus_tab)
    n = int(np.sum((np.asarray(t["class_method"]) == 0) & (np.asarray(t["class_ml"]) > 0)))
    assert f"class_ref, the hybrid class, is class_ml itself on {n} rows (class_method 0)" in res.output
    assert "--reference-column class_human_mode" in res.output


def test_terminal_names_a_self_comparison_as_the_report_headings_do(tmp_path):
    """evaluate -r self printed "prediction class_ref: accuracy ..." (and with --pred-column class_ml,
    still class_ref's name, not what was scored) where the report's sections read "class_ml vs
    class_human_mode in prediction: metrics": the terminal now uses the report's heading."""
    import re

    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    cols = ["--pred-column", "class_ml", "--reference-column", "class_human_mode", "--bootstrap", "0"]
    ev = runner.invoke(app, ["evaluate", str(path), "-r", "self", *cols, "--no-science", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    page = tmp_path / "rep" / "report.html"
    rep = runner.invoke(app, ["report", str(path), "-r", "self", *cols, "-o", str(page)])
    assert rep.exit_code == 0, rep.output
    headings = re.findall(r"<h2>([^<]*)</h2>", page.read_text())
    said = {line.split(": ", 1)[0] for line in ev.output.splitlines()
            if "objects paired" in line}
    assert said == {"class_ml vs class_human_mode in cat"}, ev.output
    assert f"{said.pop()}: metrics" in headings, headings
    assert "prediction class_human_mode:" not in ev.output


def test_evaluate_names_the_two_columns_compared_on_the_terminal_as_the_report_does(tmp_path):
    # the report's headings say "class_ml vs class_human_mode in prediction" (aa4c230); the terminal went on
    # printing "prediction class_human_mode: accuracy ..." and "... objects paired", as if of another catalogue
    t = _legus_like()
    path = tmp_path / "cat.ecsv"
    t.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    both = (np.asarray(t["class_human_mode"]) > 0) & (np.asarray(t["class_ml"]) > 0)
    acc = accuracy_score(np.asarray(t["class_human_mode"])[both], np.asarray(t["class_ml"])[both])
    head = "class_ml vs class_human_mode in cat"  # the catalogue by its file's stem, cat.ecsv
    assert f"4class: accuracy {acc:.3f}" in res.output, res.output
    assert f"{head}: {len(t)} objects paired row by row, {both.sum()} classified in both" in res.output, res.output
    assert "prediction class_human_mode" not in res.output, res.output
    # the tables and summary.json's keys name it alike (tables/*_cat_class_human_mode.ecsv; prediction_... until
    # 2026-12-07)
    assert "cat_class_human_mode" in json.loads((tmp_path / "ev" / "summary.json").read_text())["headline"]
