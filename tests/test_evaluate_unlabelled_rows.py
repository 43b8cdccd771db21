"""``evaluate --label-column`` on rows without a label: a float column with gaps, empty labels.

pandas writes an integer label column that has gaps as floats (``2.0``, and an empty cell for
NaN): evaluate refused the whole file ("row 1 has label '1.0', not a class number"), though
train reads ``2.0`` as class 2. Rows with an empty (or NaN) label were left out of every score
without a word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.task import EvalTask

runner = CliRunner()


def _write_output(path, labels: list[str], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A classify --stamps CSV for a two-class task, its label column written as ``labels`` say."""
    rng = np.random.default_rng(seed)
    n = len(labels)
    p1 = rng.uniform(0.05, 0.95, n)
    pred = np.where(p1 >= 0.5, 1, 2)
    lines = ["file,label,class_pred,prob_1,prob_2"]
    lines += [f"c{i}.png,{lab},{pred[i]},{p1[i]:.6f},{1 - p1[i]:.6f}" for i, lab in enumerate(labels)]
    path.write_text("\n".join(lines) + "\n")
    return pred, p1


def test_float_labels_with_gaps_are_scored_and_the_gaps_named(tmp_path):
    # what pandas writes for an int label column with two NaN: '1.0', '2.0' and empty cells
    rng = np.random.default_rng(3)
    y = rng.integers(1, 3, 40)
    labels = [f"{float(v)}" for v in y]
    labels[4] = labels[11] = ""
    pred, _ = _write_output(tmp_path / "out.csv", labels)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task",
                              "galaxy-cluster", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    keep = np.ones(40, bool)
    keep[[4, 11]] = False
    assert f"2class: accuracy {accuracy_score(y[keep], pred[keep]):.3f}" in res.output
    assert "38 with a label of the task (2 without one left out)" in " ".join(res.output.split())
    assert ("out.csv column 'label': 2 rows have no label, left out of the scores: rows 5, 12 (rows counted from 1"
            in res.output), res.output


def test_empty_labels_of_a_label_map_task_are_said_to_be_left_out():
    task = EvalTask.from_classes((1, 2), name="t", label_map={"cluster": 1, "galaxy": 2})
    with pytest.warns(UserWarning, match=r"^col: 3 rows have no label, left out of the scores: rows 2, 4, 5 \(rows"):
        got = task.label_classes(np.ma.array(["galaxy", "", "cluster", " ", "x"], mask=[0, 0, 0, 0, 1]), what="col")
    assert got.tolist() == [2, 0, 1, 0, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every row labelled: nothing said
        assert task.label_classes(["galaxy", "cluster"], what="col").tolist() == [2, 1]


def test_a_nan_in_a_numeric_label_column_is_no_label():
    task = EvalTask.from_classes((1, 2, 3), name="t")
    with pytest.warns(UserWarning, match=r"col: 1 row has no label, left out of the scores: row 2 \("):
        assert task.label_classes(np.array([3.0, np.nan, 1.0]), what="col").tolist() == [3, 0, 1]


@pytest.mark.parametrize("bad", ["2.5", "inf"])
def test_a_label_that_is_no_whole_class_number_is_refused_naming_its_row(tmp_path, bad):
    _write_output(tmp_path / "out.csv", ["1", "2", bad, "1"])
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task",
                              "galaxy-cluster", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert f"column 'label': row 3 has label '{bad}'" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "ev").exists()
    with pytest.raises(StarclassError, match="row 1 has label 'x', not a class number.*classes \\[1, 2\\]"):
        EvalTask.from_classes((1, 2), name="t").label_classes(["x"])

