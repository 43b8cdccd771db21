"""evaluate prints and tables each class's one-vs-rest accuracy: the "A" of Kosiba et al.'s multiclass table.

Seed 004 (X-ray galaxy-cluster candidates) scores each of five classes one versus all by accuracy,
precision, recall and ROC AUC (its table 6). Until 2026-12-05 evaluate gave precision, recall, F1,
the one-vs-rest *balanced* accuracy and ROC AUC per class, but not that accuracy, in neither its lines
nor its per-class table, so the paper's table could not be set beside ours.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import EvalTask, compare
from starclass.evaluate.metrics import per_class_table

pytestmark = pytest.mark.usefixtures("single_thread")


def _five_classes():
    rng = np.random.default_rng(4)
    ref = rng.integers(1, 6, 90)
    pred = np.where(rng.random(90) < 0.6, ref, rng.integers(1, 6, 90))
    return ref, pred


@pytest.mark.parametrize("n_classes", [2, 3, 4, 5])
def test_the_per_class_table_holds_scikit_learn_s_one_vs_rest_accuracy(n_classes):
    # binary, three-, four- and five-class tasks, against scikit-learn on each class-or-not split
    rng = np.random.default_rng(10 + n_classes)
    ref = rng.integers(1, n_classes + 1, 90)
    pred = np.where(rng.random(90) < 0.6, ref, rng.integers(1, n_classes + 1, 90))
    classes = list(range(1, n_classes + 1))
    t = per_class_table(ref, pred, classes)
    assert len(t) == n_classes
    for k, got in zip(classes, t["accuracy_vs_rest"]):
        assert float(got) == pytest.approx(accuracy_score(ref == k, pred == k))


def test_evaluate_prints_it_on_each_class_line_and_writes_it_to_the_table(tmp_path):
    ref, pred = _five_classes()
    t = Table({"class_pred": pred, "class_ref": ref})
    lines = compare(t, t, EvalTask.from_classes((1, 2, 3, 4, 5)), ref_is_pred=True, n_boot=0).lines()
    for k in range(1, 6):
        line = next(s for s in lines if re.match(rf"  class {k}( \(.*?\))?: ", s))
        shown = re.search(r"accuracy vs rest ([0-9.]+) \(n_ref", line)
        assert shown, line
        assert float(shown.group(1)) == pytest.approx(accuracy_score(ref == k, pred == k), abs=5e-4)
    # through the command (without a task it reads classes 1-4): the per-class table has the column
    ref, pred = np.minimum(ref, 4), np.minimum(pred, 4)
    n = len(ref)
    probs = {f"prob_{k}": np.where(pred == k, 0.7, 0.1) for k in range(1, 5)}
    Table({"id": np.arange(n), "x": np.zeros(n), "y": np.zeros(n), "class_ref": ref, "class_pred": pred,
           **probs}).write(tmp_path / "pred.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    table = Table.read(next((tmp_path / "ev" / "tables").glob("per_class_*.ecsv")))
    assert "accuracy_vs_rest" in table.colnames
    row = next(r for r in table if str(r["class"]) == "1")
    assert float(row["accuracy_vs_rest"]) == pytest.approx(accuracy_score(ref == 1, pred == 1))
