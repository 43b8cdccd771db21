"""LEGUS class values outside 0-4: what the 35 real files hold, and what the reader does with them.

The evidence (``../shared/data/legus``): column 34 holds only 0-4 in every file but NGC 4449, whose
expert layout adds 5 (not inspected; 1371 rows), and NGC 1566's class columns 36-39 hold only 0-4.
The one real value outside 0-4 is in NGC 4242's column 35, the class column its users name
(``--map class_ref=35``, docs/io.md): 50 at line 386 (id 386), one row in 1080 whose other inspected
rows hold 1-4 there, a typo. Refusing the file would refuse that documented recipe for one cell, so
such a value stays warned of and read as 0 (not inspected, out of every class count).

Before: the warning named the values and the lines apart (``(7, 9, 10) ... at lines 1, 2, 4``), not
which row held which; and a value outside 0-4 in the hybrid layout's other class columns (NGC 1566's
``class_human_mode``, ``class_ml``, ``class_ml_checked``, ``class_reclassified``) was read as that
class (7) without a word. Now each warning ends with the source ids and their values, and those
columns are warned of and read as 0 too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row
from test_legus_layout_hand_edits import _hybrid

LEGUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legus"


def _hybrid_file(tmp_path: Path) -> Path:
    """A 39-column copy of NGC 1566's layout, ten rows, every class column equal to column 34."""
    h = _hybrid(10)
    h[:, 0] = np.arange(101, 111)  # ids that are not the line numbers
    h[:, 1:3] = 50.0
    h[:, 3:5] = [65.0, -54.9]
    h[:, 5:15] = 22.0
    h[:, 15] = 1.5
    h[:, 32] = 5
    h[:, 35:39] = h[:, [33]]
    h[3, 36] = 7  # class_ml of id 104 (line 4)
    h[6, 37] = -1  # class_ml_checked of id 107 (line 7)
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcx_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(r) for r in h) + "\n")
    return p


def test_hybrid_class_columns_outside_0_4_are_warned_of_and_read_as_no_class(tmp_path):
    p = _hybrid_file(tmp_path)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = read_catalog(p)
    said = [str(w.message) for w in rec]
    assert t.meta["legus_layout"] == "hybrid"
    assert t["class_ml"][3] == 0 and t["class_ml_checked"][6] == 0  # the old code: 7 and -1
    assert f"{p}: column 37 (class_ml): 1 of 10 values that are not classes 0-4 (7) read as 0, no class, " \
           "at line 4 of the file (id 104: 7)" in said, said
    assert any("column 38 (class_ml_checked)" in s and "(id 107: -1)" in s for s in said), said
    # the other rows keep their classes
    assert t["class_ml"].tolist() == [1, 2, 3, 0, 1, 2, 3, 4, 1, 2]


def test_the_class_warning_names_each_rows_id_and_value(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_x.tab"
    p.write_text("\n".join(_line(_standard_row(i, c, 0.0)) for i, c in zip((11, 12, 13, 14), (7, 9, 0, 10)))
                 + "\n")
    with pytest.warns(UserWarning, match=r"column 34 \(class_ref\): 3 of 4 values outside 0-4 \(7, 9, 10\) read as 0, "
                                         r"no class: the class is unknown \(a value outside the "
                                         r"scheme of classes 0-4\), at lines 1, 2, 4 of the file \(id 11: 7, id 12: 9, "
                                         r"id 14: 10\);"):
        t = read_catalog(p)
    assert t["class_ref"].tolist() == [0, 0, 0, 0]


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_the_real_files_hold_no_class_outside_0_4_but_ngc4242s_typo():
    raw = {f.name.split("_")[4]: np.loadtxt(f, ndmin=2) for f in sorted(LEGUS.glob("*.tab"))}
    assert len(raw) == 35
    odd = {g: np.unique(a[:, 33][~np.isin(a[:, 33], [0, 1, 2, 3, 4])]).tolist() for g, a in raw.items()}
    assert {g: v for g, v in odd.items() if v} == {"ngc4449": [5.0]}  # the expert's "not inspected"
    assert np.isin(raw["ngc1566"][:, 35:39], [0, 1, 2, 3, 4]).all()
    c35 = raw["ngc4242"][:, 34]
    assert np.flatnonzero(~np.isin(c35, [0, 1, 2, 3, 4])).tolist() == [385] and c35[385] == 50.0
    f = next(LEGUS.glob("*_ngc4242_*.tab"))
    # read, not refused, as docs/io.md has it read; the one typo named by line, id and value
    with pytest.warns(UserWarning, match=r"column 35 \(class_ref\): 1 of 1080 values outside 0-4 \(50\) read as 0, "
                                         r"no class: the class is unknown \(a value outside the "
                                         r"scheme of classes 0-4\), at line 386 of the file \(id 386: 50\)") as rec:
        t = read_catalog(f, column_map={"35": "class_ref"})
    # its row was inspected: columns 36-37 are non-zero on the rows with a class 1-4 and on it alone besides (2, 2
    # there), 0 on the 846 without: its class is unknown, the warning must not call it "not inspected"
    looked = (raw["ngc4242"][:, 35] > 0) & (raw["ngc4242"][:, 36] > 0)
    assert np.flatnonzero(looked & ~np.isin(c35, [1, 2, 3, 4])).tolist() == [385]
    assert np.isin(c35, [1, 2, 3, 4]).sum() == 233 and (looked & np.isin(c35, [1, 2, 3, 4])).sum() == 233
    assert not any("not inspected" in str(w.message) for w in rec if "column 35" in str(w.message))
    assert t["class_ref"][385] == 0 and int((t["class_ref"] == 1).sum()) == 117
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n1566 = read_catalog(next(LEGUS.glob("*_ngc1566_*.tab")))
    # nothing set to 0 in NGC 1566's class columns: 1-4 counts as the file holds them
    for k, name in zip(range(35, 39), ("class_human_mode", "class_ml", "class_ml_checked", "class_reclassified")):
        assert int(np.isin(n1566[name], [1, 2, 3, 4]).sum()) == int(np.isin(raw["ngc1566"][:, k], [1, 2, 3, 4]).sum())
