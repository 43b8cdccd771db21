"""Integer class labels of a cutout CSV for a task without a label_map: '2.0' is class 2, '2.5' is refused.

'2.5' was read as class 2 without a word, and 'inf' was an OverflowError traceback.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.cutout_folders import CutoutSet, label_classes


def _set(labels):
    n = len(labels)
    return CutoutSet(images=np.zeros((n, 1, 4, 4), np.float32), table=Table(), files=[f"o{k}.png" for k in range(n)],
                     labels=np.array(labels), groups=np.arange(n).astype(str))


def test_float_written_whole_numbers_are_classes():
    assert label_classes(_set(["1.0", "2", " 3.0 "]), {}).tolist() == [1, 2, 3]


# 'nan' is a missing value's spelling: refused as "(a missing label?)" since 2026-12-06
# (tests/test_missing_label_spellings.py)
@pytest.mark.parametrize("bad", ["2.5", "inf", "1e400"])
def test_a_label_that_is_no_whole_number_is_refused_naming_its_row(bad):
    with pytest.raises(StarclassError, match=rf"o1.png: label '{bad}' is not a (whole )?class number"):
        label_classes(_set(["1", bad]), {})
