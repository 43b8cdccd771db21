"""A stray value in a class column the user mapped is warned of with what the map did, not "name it".

Before: in the 35-field run with ``--map ngc4242:class_ref=35``, NGC 4242's 50 on line 386 was warned of
with "if another column holds the class, name it: --map class_ref=N", which the user had just done.
Now, where the column map named the class column, the warning says that the map made it the class, what
becomes of the row, and the two ways on (correct the line in a copy, or map another column).
"""

from __future__ import annotations

import warnings

import pytest

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row


def _class_warnings(p, column_map=None):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        read_catalog(p, fmt="legus", column_map=column_map)
    return [str(w.message) for w in got if "(class_ref):" in str(w.message)]


def _write(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcm_multiband_v1_padagb-mwext-avgapcor.tab"
    classes = (1, 2, 3, 4, 50, 2)
    p.write_text("\n".join(_line(_standard_row(i, c, float(min(c, 4)))) for i, c in enumerate(classes, 1)) + "\n")
    return p


def test_a_mapped_class_column_says_what_the_map_did(tmp_path):
    p = _write(tmp_path)
    said = _class_warnings(p, {"34": "class_ref"})
    assert len(said) == 1, said
    assert "name it: --map class_ref=N" not in said[0], said[0]
    assert "column 34 is the class because the column map given names it (class_ref=34)" in said[0], said[0]
    assert "correct line 5 in a copy of the file" in said[0], said[0]


def test_without_a_map_the_warning_still_names_the_map_to_give(tmp_path):
    said = _class_warnings(_write(tmp_path))
    assert len(said) == 1 and "name it: --map class_ref=N" in said[0], said


NGC4242 = SHARED_DATA / "legus" / "hlsp_legus_hst_wfc3_ngc4242_multiband_v1_padagb-mwext-avgapcor.tab"


@pytest.mark.skipif(not NGC4242.is_file(), reason="needs ../shared/data/legus")
def test_ngc4242_mapped_to_column_35_names_its_map():
    said = _class_warnings(NGC4242, {"35": "class_ref"})
    assert len(said) == 1 and "(class_ref=35)" in said[0] and "line 386" in said[0], said
    assert "name it: --map class_ref=N" not in said[0]
