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
    for k, got in zip(classes, t["one_vs_rest_accuracy"]):
        assert float(got) == pytest.approx(accuracy_score(ref == k, pred == k))


def test_evaluate_prints_it_on_each_class_line_and_writes_it_to_the_table(tmp_path):
    ref, pred = _five_classes()
    t = Table({"class_pred": pred, "class_ref": ref})
    lines = compare(t, t, EvalTask.from_classes((1, 2, 3, 4, 5)), ref_is_pred=True, n_boot=0).lines()
    for k in range(1, 6):
        line = next(s for s in lines if re.match(rf"  class {k}( \(.*?\))?: ", s))
        shown = re.search(r"one-vs-rest accuracy ([0-9.]+) \(n_ref", line)
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
    assert "one_vs_rest_accuracy" in table.colnames
    row = next(r for r in table if str(r["class"]) == "1")
    assert float(row["one_vs_rest_accuracy"]) == pytest.approx(accuracy_score(ref == 1, pred == 1))


def _class_line_figures(output: str, k: int) -> dict[str, float]:
    """The figures of the ``class k:`` line of evaluate's output, by their printed label."""
    line = next(s for s in output.splitlines() if re.match(rf"  class {k}( \(.*?\))?: ", s))
    body = re.sub(r" \(n_ref .*$", "", line.split(": ", 1)[1])
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"(?:^|, )([A-Za-z1 -]+?) ([0-9.]+)", body)}


@pytest.mark.parametrize("k", [2, 3, 4])
def test_the_two_one_vs_rest_figures_have_names_of_their_own_and_scikit_learn_s_values(tmp_path, k):
    """evaluate printed 'balanced accuracy vs rest 0.828, accuracy vs rest 0.872' on each class line, and wrote
    the first as 'balanced_accuracy', the name of the summary's balanced accuracy of all classes (another
    figure): the second label was the tail of the first, and one column name meant two things. Now each has its
    own name on the screen and in tables/per_class_*.ecsv, and holds scikit-learn's value: balanced_accuracy_score
    and accuracy_score of the binarised "class k or not" problem. Binary, three- and four-class catalogues."""
    from sklearn.metrics import balanced_accuracy_score

    from conftest import classified_objects
    from starclass.evaluate.metrics import OVR_ACCURACY, OVR_BALANCED_ACCURACY

    t, _, _ = classified_objects(k, 40, seed=k)
    n = len(t)
    t["id"], t["x"], t["y"] = np.arange(n), np.zeros(n), np.zeros(n)
    del t["object_id"]
    t.write(tmp_path / "pred.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    bal_label, acc_label = "one-vs-rest balanced accuracy", "one-vs-rest accuracy"
    assert bal_label not in acc_label and acc_label not in bal_label  # neither reads as part of the other
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    table = Table.read(next((tmp_path / "ev" / "tables").glob("per_class_*.ecsv")))
    assert OVR_BALANCED_ACCURACY in table.colnames and OVR_ACCURACY in table.colnames
    assert "balanced_accuracy" not in table.colnames and "accuracy_vs_rest" not in table.colnames
    summary = Table.read(next((tmp_path / "ev" / "tables").glob("summary_*.ecsv")))
    assert float(summary["balanced_accuracy"][0]) == pytest.approx(balanced_accuracy_score(ref, pred))
    for c in range(1, k + 1):
        shown = _class_line_figures(res.output, c)
        assert {"precision", "recall", "F1", bal_label, acc_label} == set(shown), shown
        want_bal = balanced_accuracy_score(ref == c, pred == c)
        want_acc = accuracy_score(ref == c, pred == c)
        assert shown[bal_label] == pytest.approx(want_bal, abs=5e-4)
        assert shown[acc_label] == pytest.approx(want_acc, abs=5e-4)
        row = next(r for r in table if str(r["class"]) == str(c))
        assert float(row[OVR_BALANCED_ACCURACY]) == pytest.approx(want_bal)
        assert float(row[OVR_ACCURACY]) == pytest.approx(want_acc)


def test_a_per_class_table_written_before_the_rename_reads_with_today_s_names(tmp_path):
    from starclass.evaluate.metrics import per_class_current_names

    Table({"class": ["1", "2"], "n_ref": [3, 4], "balanced_accuracy": [0.7, 0.8], "balanced_accuracy_lo": [0.5, 0.6],
           "balanced_accuracy_hi": [0.9, 0.95], "accuracy_vs_rest": [0.75, 0.85]}).write(tmp_path / "old.ecsv")
    t = per_class_current_names(Table.read(tmp_path / "old.ecsv"))
    assert t.colnames == ["class", "n_ref", "one_vs_rest_balanced_accuracy", "one_vs_rest_balanced_accuracy_lo",
                          "one_vs_rest_balanced_accuracy_hi", "one_vs_rest_accuracy"]
    assert t["one_vs_rest_accuracy"].tolist() == [0.75, 0.85]
