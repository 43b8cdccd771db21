"""The tables of ``evaluate`` and ``report`` name the task's classes, not only their numbers.

Before: for a contaminant search (classes 1 star, 2 galaxy; positive class galaxy) the per-class,
ROC AUC, score-quartile and coverage tables (``tables/*.ecsv``, and the same tables in the report)
held "1" and "2" alone, while the figures said "2 galaxy": a reader of a table had to look the
numbers up in the task file. Now each has a ``name`` column after the class column.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import average_precision_score, precision_recall_fscore_support, roc_auc_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset, save_config

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _contaminant_output(n: int = 60, seed: int = 3) -> Table:
    """A classified cutout folder of a star/galaxy task (galaxy = class 2, the positive one), as a CSV reads back."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(["star", "galaxy"], n)
    y = np.where(labels == "galaxy", 2, 1)
    p2 = np.clip(np.where(y == 2, 0.62, 0.38) + rng.normal(0, 0.22, n), 0.001, 0.999)
    sets = ["1|2" if abs(p - 0.5) < 0.15 else ("2" if p >= 0.5 else "1") for p in p2]
    return Table({"file": [f"c{i:03d}.png" for i in range(n)], "label": labels,
                  "class_pred": np.where(p2 >= 0.5, 2, 1), "prob_1": 1 - p2, "prob_2": p2,
                  "pred_set": sets, "pred_set_size": [len(s.split("|")) for s in sets]})


def test_per_class_tables_name_the_classes_and_the_positive_class_is_the_tasks(tmp_path):
    out = _contaminant_output()
    out.write(tmp_path / "out.csv", format="ascii.csv")
    task = get_preset("m31-real", name="contam", classes=[1, 2], class_names=["star", "galaxy"],
                      label_map={"star": 1, "galaxy": 2}, positive_class=2)
    save_config(task, tmp_path / "contam.yaml")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task",
                              str(tmp_path / "contam.yaml"), "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    tables = tmp_path / "ev" / "tables"
    per_class = Table.read(tables / "per_class_out_class_ref.ecsv")
    assert per_class.colnames[:2] == ["class", "name"]
    assert [(str(c), str(n)) for c, n in zip(per_class["class"], per_class["name"])] == [("1", "star"),
                                                                                          ("2", "galaxy")]
    y = np.where(np.asarray(out["label"]) == "galaxy", 2, 1)
    prec, rec, f1, _ = precision_recall_fscore_support(y, np.asarray(out["class_pred"]), labels=[1, 2])
    assert np.allclose(per_class["precision"], prec) and np.allclose(per_class["recall"], rec)
    assert np.allclose(per_class["f1"], f1)
    # the binary ROC is the task's positive class, galaxy (2), scored on its own probability
    auc = Table.read(tables / "auc_2class_out_class_ref.ecsv")
    assert [(str(c), str(n)) for c, n in zip(auc["class"], auc["name"])] == [("2", "galaxy")]
    assert np.isclose(auc["roc_auc"][0], roc_auc_score(y == 2, out["prob_2"]))
    assert np.isclose(auc["average_precision"][0], average_precision_score(y == 2, out["prob_2"]))
    quart = Table.read(tables / "score_quantiles_out_class_ref.ecsv")
    assert list(quart["name"]) == ["star", "galaxy"]
    cov = Table.read(tables / "coverage_out_class_ref.ecsv")
    assert [str(n) if n else "" for n in cov["name"].filled("")] == ["star", "galaxy", ""]
    sets = [set(map(int, s.split("|"))) for s in out["pred_set"]]
    assert np.isclose(cov["coverage"][1], np.mean([2 in s for s, k in zip(sets, y) if k == 2]))
    assert "positive class 2" in res.output and "threshold for 80% purity of class 2" in res.output


def test_the_report_names_the_classes_in_its_tables_and_by_group_caption(tmp_path):
    out = _contaminant_output()
    out["field"] = ["north", "south"] * (len(out) // 2)
    out.write(tmp_path / "out.csv", format="ascii.csv")
    task = get_preset("m31-real", name="contam", classes=[1, 2], class_names=["star", "galaxy"],
                      label_map={"star": 1, "galaxy": 2}, positive_class=2)
    save_config(task, tmp_path / "contam.yaml")
    res = runner.invoke(app, ["report", str(tmp_path / "out.csv"), "--label-column", "label", "--task",
                              str(tmp_path / "contam.yaml"), "--bootstrap", "0", "--by", "field", "-o",
                              str(tmp_path / "rep" / "r.html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "rep" / "r.html").read_text()
    assert "recall_k; nan: none of that class; k is the class: 1 star, 2 galaxy" in page
    per_class = Table.read(tmp_path / "rep" / "tables" / "per_class_out_class_ref.ecsv")
    assert list(per_class["name"]) == ["star", "galaxy"]
