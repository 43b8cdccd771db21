"""A classified catalogue of a task with more than four classes is read, as classify writes it.

``read_catalog`` refused every class outside 0-4 in ``class_pred`` and ``class_ref``, the PHANGS
classes, although a task may have any classes (a five-class task of its own, as
``galaxy-cluster-experts``): ``starclass evaluate OUT.ecsv`` of such a task's ``classify`` output
(``id``, ``x``, ``y``, ``class_pred``, ``prob_1`` .. ``prob_5``, the task in the meta) stopped with
"column 'class_ref' in OUT.ecsv: class 5 in row 1 (id 1) is not 0-4". The classes the table itself
declares (its meta's ``classes`` and ``reference_merge``, its ``prob_<k>`` columns: a CSV keeps no
meta) are now allowed as well; anything else is still refused, naming the row.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.task import EvalTask
from starclass.io.catalog import read_catalog

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

FIVE = EvalTask.from_classes((1, 2, 3, 4, 5), name="five", class_names=["a", "b", "c", "d", "e"])


def _classified(n: int = 60, seed: int = 3) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 6, n)
    p = rng.dirichlet(np.ones(5), n) * 0.5
    p[np.arange(n), ref - 1] += 0.5
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 1000, n), "y": rng.uniform(0, 1000, n),
               "class_pred": p.argmax(axis=1) + 1, "class_ref": ref,
               **{f"prob_{k}": p[:, k - 1] for k in range(1, 6)}})
    t.meta.update(FIVE.to_meta())
    return t


@pytest.mark.parametrize("suffix", [".ecsv", ".csv"])
def test_evaluate_scores_a_five_class_classification(tmp_path, suffix):
    t = _classified()
    path = tmp_path / f"out{suffix}"
    t.write(path)
    res = CliRunner().invoke(app, ["evaluate", str(path), "-o", str(tmp_path / "ev"), "--bootstrap", "0",
                                   "--no-science"])
    assert res.exit_code == 0, res.output
    acc = float(np.mean(t["class_pred"] == t["class_ref"]))
    assert f"5class: accuracy {acc:.3f}" in res.output
    # named "5 (e)" from the ECSV's meta, "5" from the CSV's columns (no meta)
    assert re.search(r"^  class 5( \(e\))?: precision", res.output, re.M), res.output


def test_a_class_the_table_does_not_declare_is_still_refused(tmp_path):
    t = _classified()
    t["class_ref"][2] = 6  # no prob_6, not among the meta's classes
    t.write(tmp_path / "out.ecsv")
    with pytest.raises(StarclassError, match=r"column 'class_ref' in .*out\.ecsv: class 6 in row 3 \(id 3\) is not "
                                             r"one of 0-5"):
        read_catalog(tmp_path / "out.ecsv")
    # a table declaring nothing keeps the PHANGS classes' words
    plain = Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0], "class_ref": [1, 5]})
    plain.write(tmp_path / "plain.csv")
    with pytest.raises(StarclassError, match=r"class 5 in row 2 \(id 2\) is not 0-4"):
        read_catalog(tmp_path / "plain.csv")


def test_a_five_class_truth_catalogue_is_a_reference(tmp_path):
    """A reference catalogue (a simulation's truth: id, x, y, class_ref) declares no classes of its own: its class
    5 was refused ("is not 0-4") though the task being scored has it. It is read with the task's classes."""
    t = _classified()
    t.remove_column("class_ref")
    t.write(tmp_path / "out.ecsv")
    truth = _classified()["id", "x", "y", "class_ref"]
    truth.meta.clear()
    truth.write(tmp_path / "truth.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "out.ecsv"), "-r", str(tmp_path / "truth.ecsv"), "-o",
                                   str(tmp_path / "ev"), "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    acc = float(np.mean(_classified()["class_pred"] == truth["class_ref"]))
    assert f"5class: accuracy {acc:.3f}" in res.output
    # a class the task has not is still refused, naming the file and the row
    truth["class_ref"][4] = 6
    truth.write(tmp_path / "truth.ecsv", overwrite=True)
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "out.ecsv"), "-r", str(tmp_path / "truth.ecsv"), "-o",
                                   str(tmp_path / "ev2"), "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 2
    assert "truth.ecsv: class 6 in row 5 (id 5) is not one of 0-5" in res.output, res.output
