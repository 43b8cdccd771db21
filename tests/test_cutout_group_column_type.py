"""``read_cutout_folder(csv, group_column=3)`` from Python: a number is refused as the task file refuses it.

A number never equals a CSV column name (text, even a column named ``3``); with ``require_group=False``
(how a task's default group column is applied) the folder was read with every cutout its own group,
without a word, so cutouts of one object could fall on both sides of a split.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder


def _folder(tmp_path):
    rows = ["file,label,3,object_id"]
    for i in range(4):
        np.save(tmp_path / f"c{i}.npy", np.full((8, 8), float(i)))
        rows.append(f"c{i}.npy,{'cluster' if i < 2 else 'galaxy'},O{i // 2},O{i // 2}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "labels.csv"


@pytest.mark.parametrize("require_group", [False, True])
@pytest.mark.parametrize("value", [3, 3.0, ["object_id"]])
def test_a_group_column_that_is_not_text_is_refused_naming_it(tmp_path, value, require_group):
    csv = _folder(tmp_path)
    with pytest.raises(StarclassError, match=r"labels\.csv: group_column=.* must be a column name \(text\)"):
        read_cutout_folder(csv, group_column=value, require_group=require_group)


def test_an_empty_group_column_is_refused_and_text_is_read(tmp_path):
    csv = _folder(tmp_path)
    with pytest.raises(StarclassError, match="group_column=' ' is empty"):
        read_cutout_folder(csv, group_column=" ", require_group=False)
    # a column named 3 is given as text, and groups the rows by it
    cs = read_cutout_folder(csv, group_column="3")
    assert len(set(cs.groups.tolist())) == 2
