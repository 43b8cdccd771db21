"""Label strings that are numbers ("1", "2") mapped by a task's label_map, written as floats by a spreadsheet.

Before: pandas or a spreadsheet writes a numeric label column with a gap as ``1.0``, ``2.0`` and an
empty cell. A task without a ``label_map`` read ``2.0`` as class 2, but one whose map names the
labels ``"1"`` and ``"2"`` (galaxy-cluster candidates whose real ones, class 2, are labelled
``2``; or a map sending ``"1"`` to class 2) refused every row: ``classify --stamps`` scored none
("59 rows carry 2 labels the task does not know: '1.0', '2.0'") and ``evaluate --label-column``
stopped with exit 2, asking for ``"1.0": N`` in the map.
"""

from __future__ import annotations

import warnings

import numpy as np

from starclass.evaluate.task import EvalTask
from starclass.io.cutout_folders import CutoutSet, label_classes

SWAPPED = {"1": 2, "2": 1}


def test_train_reads_a_float_written_number_label_through_the_map():
    cs = CutoutSet(images=np.zeros((3, 1, 4, 4), np.float32), table=None, files=["a", "b", "c"],
                   labels=np.array(["1.0", "2.0", "2"]), groups=np.array(["a", "b", "c"]))
    assert label_classes(cs, SWAPPED).tolist() == [2, 1, 1]
    # an exact key wins over the whole number it stands for
    assert label_classes(cs, {"1.0": 1, "1": 2, "2": 2}).tolist() == [1, 2, 2]


def test_evaluate_reads_a_numeric_label_column_with_a_gap_through_the_map():
    task = EvalTask.from_classes((1, 2), name="gcand", class_names=["spurious", "real"], positive_class=2,
                                 label_map=SWAPPED)
    column = np.ma.MaskedArray([1.0, 0.0, 2.0], mask=[False, True, False])
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        got = task.label_classes(column, what="out.csv column 'label'")
    assert got.tolist() == [2, 0, 1]
