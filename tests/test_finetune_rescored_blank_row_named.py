"""A fine-tune that re-scores its start's calibration rows names a blank one by its file and line.

``calibrate M --stamps held.csv`` names a blank (constant) cutout by its list's row and line and its file; a
fine-tune whose validation split misses a class (or holds too few fresh rows) reads the same list again and
re-scores it with the new weights, and its warning of that cutout said only "(row 41)": a row of which list, at
which line? (``learn.train._stamps_calibration_rows`` passed no places to the fit). It now names it as
``calibrate`` does: ``... of held/labels.csv is a blank (constant) image: row 41 (line 42 of the file), file
'cluster/obj040.npy'; left out ...``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest


def _blank_row_41(held):
    """Cutout 40 of the held-out list (row 41, line 42: one header line) made constant in its band."""
    path = held.parent / "cluster" / "obj040.npy"
    np.save(path, np.full((16, 16), 3.0, np.float32))


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 calibrated with 'calibrate m0 --stamps held/labels.csv' on 60 cutouts, row 41 of them blank."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # calibrate's own warning of the blank row (the CLI names it already)
        return calibrated_model(tmp_path_factory.mktemp("blank_row"), 60, before_calibrating=_blank_row_41)


def test_the_rescored_blank_row_is_named_by_its_file_and_line(calibrated, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fine_tune(calibrated, tmp_path / "m1")
    refit = "calibration refitted on the calibration rows of the starting model "
    assert any(n.startswith(refit) for n in tuned.notes), tuned.notes  # the rows were re-scored
    blank = [str(w.message) for w in caught if "blank" in str(w.message) and "left out" in str(w.message)]
    assert blank, [str(w.message) for w in caught]
    # old code: '... of <held>/labels.csv is blank (constant) ... (row 41): left out'
    assert (f"rows of {calibrated.held} is a blank (constant) image: row 41 (line 42 of the file), file "
            "'cluster/obj040.npy'; left out") in blank[0], blank
