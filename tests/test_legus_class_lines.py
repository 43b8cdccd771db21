"""A LEGUS row whose class is no class 0-4 (a hand-edited NaN or 7) is named by its line of the file.

Before: "nan.tab: column 34 (class_ref): 1 of 6 values that are not classes 0-4 (nan) read as 0" named
the value only, so the row had to be searched for in a file of thousands. Now the warning names the
lines (comment lines above the data counted, as an editor counts them).
"""

from __future__ import annotations

import pytest

from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row


def test_the_lines_of_odd_classes_are_named(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcw_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_line(_standard_row(i, c, float(c))) for i, c in enumerate((1, 2, 3, 4, 2), 1)]
    rows[3] = rows[3].replace(" 4 4", " nan 4")  # row 4: its class (col 34) lost
    p.write_text("# my copy, edited by hand\n\n" + "\n".join(rows) + "\n")
    with pytest.warns(UserWarning, match=r"1 of 5 values that are not classes 0-4 \(nan\) read as 0, no class: "
                                         r"the class is unknown \(a value outside the scheme of classes 0-4\), "
                                         r"at line 6 of the file \(id 4: nan\);"):
        t = read_catalog(p)
    assert t["class_ref"].tolist() == [1, 2, 3, 0, 2]


def test_many_are_counted_after_five(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcv_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(_standard_row(i, 7, 0.0)) for i in range(1, 9)) + "\n")
    with pytest.warns(UserWarning, match=r"at lines 1, 2, 3, 4, 5 and 3 more of the file "
                                         r"\(id 1: 7, id 2: 7, id 3: 7, id 4: 7, id 5: 7, \.\.\.\);"):
        read_catalog(p)
