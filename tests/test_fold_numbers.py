"""A ready-made ``fold`` column written as floats ('1.0', as pandas writes an integer column that had a
missing value) is read as the folds it means; '1.5' or 'nan' is refused naming its row."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder


def _csv(tmp_path, folds):
    for k in range(len(folds)):
        Image.fromarray(np.full((8, 8), 30 * k, np.uint8)).save(tmp_path / f"o{k}.png")
    (tmp_path / "labels.csv").write_text("file,label,fold\n" + "".join(
        f"o{k}.png,{'cluster' if k % 2 else 'galaxy'},{f}\n" for k, f in enumerate(folds)))
    return tmp_path / "labels.csv"


def test_whole_float_folds_are_read_as_integers(tmp_path):
    cs = read_cutout_folder(_csv(tmp_path, ["0.0", "1.0", "2", "1.0"]))
    assert cs.folds.tolist() == [0, 1, 2, 1]


@pytest.mark.parametrize("bad", ["1.5", "nan", "x"])
def test_a_fold_that_is_no_integer_is_refused_naming_its_row(tmp_path, bad):
    with pytest.raises(StarclassError, match=rf"row 2 .*fold '{bad}' is not an integer"):
        read_cutout_folder(_csv(tmp_path, ["0", bad, "1"]))
