"""report --stamps finds a classification's cutouts in the folder by the files named (issue 12 audit).

``report OUT.csv --stamps LIST --model M`` (the gallery of mistakes, Grad-CAM) looked each row's ``file`` up
as written. A classification of a list that gave the files with absolute paths, reported with the list that
gives the same files relative to it, was refused: "row 1 has file '/data/team b/x.png', which team b/labels.csv
does not list", though it does. Rows are now found as written, else as the files their paths name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.cutout_folders import CutoutSet, cutout_rows


def _set(root: Path) -> CutoutSet:
    files = ["cluster/a.png", "galaxy/b c.png", "galaxy/d.png"]
    return CutoutSet(images=np.arange(3, dtype=np.float32).reshape(3, 1, 1, 1) * np.ones((3, 1, 4, 4), np.float32),
                     table=Table({"file": files}), files=files, labels=None, groups=np.array(files), root=root,
                     source=root / "labels.csv")


def test_absolute_paths_find_the_listed_relative_files(tmp_path):
    root = tmp_path / "team b"
    cs = _set(root)
    out = Table({"file": [str(root / "galaxy/d.png"), str(root / "cluster/a.png"), "galaxy/b c.png"]})
    assert cutout_rows(out, cs).tolist() == [2, 0, 1]


def test_relative_paths_under_the_recorded_folder_find_the_files(tmp_path):
    root = tmp_path / "data"
    cs = _set(root)
    # classified from a list in another folder: files relative to it, which cutout_root records
    out = Table({"file": ["../data/galaxy/b c.png", "../data/cluster/a.png"],
                 "cutout_root": [str(tmp_path / "lists")] * 2})
    assert cutout_rows(out, cs).tolist() == [1, 0]


def test_a_file_the_folder_does_not_hold_is_still_refused(tmp_path):
    root = tmp_path / "data"
    cs = _set(root)
    with pytest.raises(StarclassError, match="row 2 has file .* which .* does not list"):
        cutout_rows(Table({"file": [str(root / "cluster/a.png"), str(tmp_path / "elsewhere/a.png")]}), cs)


def test_a_relative_recorded_folder_is_taken_under_the_table_s_folder_not_the_working_one(tmp_path, monkeypatch):
    """A list recording ``cutout_root`` relative to itself (suggest --check-labels writes it so) read by report
    --stamps from another working folder: before, the record was taken under the working folder and refused."""
    from starclass.io.cutout_folders import TABLE_FOLDER

    root = tmp_path / "data"
    cs = _set(root)
    out = Table({"file": ["../data/galaxy/d.png", "../data/cluster/a.png"], "cutout_root": ["../lists"] * 2})
    out.meta[TABLE_FOLDER] = str(tmp_path / "review")  # the list lies in review/, its files relative to lists/
    (tmp_path / "elsewhere" / "deeper").mkdir(parents=True)  # under the working folder, ../lists is no folder
    monkeypatch.chdir(tmp_path / "elsewhere" / "deeper")
    assert cutout_rows(out, cs).tolist() == [2, 0]
