"""The LEGUS reader's warnings name the file by the path read and the line of each odd row.

Its errors did (``/data/x.tab, line 12: column 20 is not a number``), its warnings gave the bare file name
(``x.tab: column 34 (class_ref): 1 of 50 values outside 0-4 (7) read as 0 ... at line 12``, a comment line
skipped, a mean of no classes, an uncertain layout): a name that is no file where the user stands, and two
folders' copies of one field read alike. ``evaluate``'s hand-edited class column of a table did the same
(``evaluate.compare.legus_column_classes``). Found 2026-12-07 with renamed copies of NGC 1433.
"""

from __future__ import annotations

import warnings

import numpy as np
from astropy.table import Table

from starclass.evaluate.compare import legus_column_classes
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row  # tests/ is on sys.path under pytest


def _read(p):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        read_catalog(p, fmt="legus")
    return [str(w.message) for w in rec]


def test_a_class_outside_the_scheme_is_warned_of_with_the_path_and_line(tmp_path):
    d = tmp_path / "copies"
    d.mkdir()
    p = d / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, 1 + i % 4, float(1 + i % 4)) for i in range(1, 30)]
    rows[11][33] = 7  # line 12, column 34
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    said = [s for s in _read(p) if "column 34 (class_ref)" in s]
    assert len(said) == 1 and said[0].startswith(f"{p}: column 34 (class_ref): 1 of 29 values outside 0-4 (7)"), said
    assert "at line 12 of the file" in said[0], said


def test_a_comment_line_is_warned_of_with_the_path(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_line(_standard_row(i, 1 + i % 4, float(1 + i % 4))) for i in range(1, 10)]
    p.write_text("\n".join(rows[:3] + ["# 4 a source commented out"] + rows[3:]) + "\n")
    said = [s for s in _read(p) if "comment line" in s]
    assert len(said) == 1 and said[0].startswith(f"{p}: 1 comment line among the rows skipped"), said
    assert "(line 4:" in said[0], said


def test_a_hand_edited_class_column_is_warned_of_by_the_catalogue_given():
    v = np.array([1, 2, 3, 4] * 40, float)
    v[1] = 50  # one hand edit in 160 rows (at most 1% are read as edits, not as another scale)
    t = Table({"legus_col35": v})
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        legus_column_classes(t, "legus_col35", "data/legus/a.tab")
    (said,) = [str(w.message) for w in rec]
    assert said.startswith("data/legus/a.tab: legus_col35: 1 of 160 values outside 0-4 (50)"), said


def test_an_uncertain_layout_gives_the_info_command_with_the_path(tmp_path):
    from starclass.science.many import layout_remedy

    d = tmp_path / "my legus"
    d.mkdir()
    p = d / "hlsp_legus_hst_wfc3_ngc45_multiband_v1_padagb-mwext-avgapcor.tab"
    # col 34 only 0/1 and two columns after col 35: the class column is not known (NGC 45's layout)
    rows = [_standard_row(i, i % 2, float(1 + i % 4), extra=(i % 2, 0)) for i in range(1, 30)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    said = [s for s in _read(p) if "is uncertain" in s]
    assert len(said) == 1 and f"starclass info '{p}' --map class_ref=N shows its counts" in said[0], said
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(p, fmt="legus")
    assert layout_remedy("ngc45", t).endswith(f"(starclass info '{p}' --map class_ref=N shows its counts)")
