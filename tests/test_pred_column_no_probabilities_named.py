"""``evaluate --pred-column``: a column without probabilities is said to have none, naming no invented column.

Before, scoring ``class_ref`` (against ``-r truth.ecsv``) or a person's ``class_h1`` printed "no
probabilities (prob_ref_<k> absent)" / "(prob_h1_<k> absent)": columns nothing writes, which sent
the user looking for them. classify writes probabilities only beside ``class_pred`` and
``class_joint``; for those, naming the missing columns still helps.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate.compare import prediction_view
from starclass.evaluate.task import EvalTask

CLASSES = (1, 2, 3, 4)


def _catalogue(n: int = 40, seed: int = 3) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 5, n)
    return Table({"id": np.arange(1, n + 1), "class_ref": ref, "class_h1": rng.integers(1, 5, n),
                  "class_hybrid": ref, "class_joint": ref, "class_pred_input": ref})


@pytest.mark.parametrize("column", ["class_ref", "class_h1", "class_hybrid"])
def test_a_class_column_without_probabilities_names_no_probability_column(column):
    _, line = prediction_view(_catalogue(), column, EvalTask.from_classes(CLASSES), "labels.ecsv")
    assert line.startswith(f"scored column {column} of labels.ecsv"), line
    assert f"{column} has no probabilities" in line and "no ROC" in line, line
    # no made-up column name such as prob_ref_<k>, prob_h1_<k>
    assert "prob_" not in line and "absent" not in line, line


@pytest.mark.parametrize(("column", "pattern"), [("class_joint", "prob_joint_<k>"),
                                                 ("class_pred_input", "prob_<k>_input")])
def test_a_model_column_without_its_probabilities_still_names_them(column, pattern):
    _, line = prediction_view(_catalogue(), column, EvalTask.from_classes(CLASSES), "out.ecsv")
    assert f"no probabilities ({pattern} absent)" in line, line
