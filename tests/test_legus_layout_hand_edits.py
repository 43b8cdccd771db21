"""One hand-edited class in column 34 (NaN, -1, 2.5, 7) does not change what a LEGUS file's columns are.

Before: the layout was judged on every row of column 34, so one such value (which the reader then
warns of and sets to 0) turned NGC 3351's 0/1 flag into its class column (layout 'standard+extra',
"class_ref: 1: 19"), NGC 4449's expert class into a people's mode (its 0 = spurious and 5 = not
inspected both read as "not inspected", class 4 short by one) and took NGC 1433's column 35 of mean
classes away ("col 35 not a class mean"). Now values that no layout has as a class do not vote.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from starclass.io.catalog import read_catalog
from starclass.io.legus import detect_layout
from test_io_legus import _line, _standard_row

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legus"


def _read(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_catalog(path)


@pytest.mark.parametrize("odd", [np.nan, -1.0, 2.5])
def test_an_odd_class_value_keeps_the_layout(odd):
    flags = np.zeros((6, 37))
    flags[:, 33] = [0, 1, 1, 0, 1, odd]  # col 34 a 0/1 flag: no class column known
    assert detect_layout(flags).name == "unknown-class"
    expert = np.zeros((6, 38))
    expert[:, 33] = [5, 1, 0, 5, 3, odd]  # an expert's file: its 5s (not inspected) on many rows
    assert detect_layout(expert).name == "expert"
    means = np.zeros((6, 35))
    means[:, 33] = [0, 2, 4, 1, 3, odd]
    means[:, 34] = [0, 2.333, 3.667, 1, 3, 3.0]  # the edited row keeps its people's mean
    lay = detect_layout(means)
    assert (lay.name, lay.columns[35]) == ("standard", "class_human_mean")


def test_a_hand_edited_file_keeps_its_mean_column(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((2, 2.333), (4, 3.667), (1, 1.0), (3, 3.0)), 1)]
    rows[3][33] = -1  # a class struck out by hand; its mean left as it was
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with pytest.warns(UserWarning, match=r"outside 0-4 \(-1\) read as 0"):
        t = read_catalog(p)
    assert t["class_ref"].tolist() == [2, 4, 1, 0]
    assert np.allclose(t["class_human_mean"], [2.333, 3.667, 1.0, 3.0])


def _edited_copy(tmp_path: Path, name: str, line: int, value: str) -> Path:
    src = next(SHARED.glob(f"hlsp_legus_*_{name}_multiband_*.tab"))
    lines = src.read_text().splitlines()
    cells = lines[line - 1].split()
    cells[33] = value
    lines[line - 1] = " ".join(cells)
    out = tmp_path / src.name
    out.write_text("\n".join(lines) + "\n")
    return out


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_real_files_with_one_odd_class_keep_their_layout(tmp_path):
    t = _read(_edited_copy(tmp_path, "ngc3351", 7, "nan"))
    assert t.meta["legus_layout"] == "unknown-class" and "class_ref" not in t.colnames
    (tmp_path / "b").mkdir()
    t = _read(_edited_copy(tmp_path / "b", "ngc4449", 7, "-1"))
    assert t.meta["legus_layout"] == "expert"
    # layouts.csv: 143 / 282 / 182 / 874 and one 0 (spurious -> 4); row 7 was a class 1
    assert [int(np.sum(t["class_ref"] == k)) for k in (1, 2, 3, 4)] == [142, 282, 182, 875]
    (tmp_path / "c").mkdir()
    t = _read(_edited_copy(tmp_path / "c", "ngc1433", 5, "NaN"))
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_ngc1566_with_one_odd_method_flag_stays_hybrid(tmp_path):
    # col 35 of NGC 1566 says who gave the class (0: the machine alone); one NaN there made the file
    # 'standard+extra', its machine's classes read as people's
    src = next(SHARED.glob("hlsp_legus_*_ngc1566_multiband_*.tab"))
    lines = src.read_text().splitlines()
    cells = lines[6].split()
    cells[34] = "nan"
    lines[6] = " ".join(cells)
    p = tmp_path / src.name
    p.write_text("\n".join(lines) + "\n")
    t = _read(p)
    assert t.meta["legus_layout"] == "hybrid" and "class_ml" in t.colnames
    # its row 7 (flag 3: three people) is no machine's class, and not a NaN cast to an integer
    assert int(np.sum(np.asarray(t["class_method"]) == 0)) == 955 and int(t["class_method"][6]) == -1


def test_a_nan_in_an_integer_column_is_named_not_cast(tmp_path):
    # n_filters (col 33) NaN was cast to an integer (-32768 or 0) with numpy's "invalid value
    # encountered in cast" as the only word
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcy_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((2, 2.333), (4, 3.667), (1, 1.0)), 1)]
    for r in rows:
        r[16:25] = [1e7] * 3 + [1e4] * 3 + [0.1] * 3  # an SED fit: col 33 is then read, not set to 0
    rows[1][32] = float("nan")
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = read_catalog(p)
    said = [str(w.message) for w in caught]
    assert any("column 33 (n_filters): 1 of 3 values that are not whole numbers (nan) read as 0, at line 2"
               in s for s in said), said
    assert not any("invalid value encountered" in s for s in said), said
    assert t["n_filters"].tolist() == [5, 0, 5]


# A whole number no layout uses (a 7 in column 34, a 2 in NGC 1566's method flag) changed the layout
# as the NaN did until 2026-12-05: 183f43ec and 0012e3cd kept out only what is not a whole number.

@pytest.mark.parametrize("odd", [7.0, 12.0])
def test_a_whole_class_no_layout_uses_keeps_the_layout(odd):
    flags = np.zeros((6, 37))
    flags[:, 33] = [0, 1, 1, 0, 1, odd]
    assert detect_layout(flags).name == "unknown-class"
    expert = np.zeros((6, 38))
    expert[:, 33] = [5, 1, 0, 5, 3, odd]  # an expert's file: its 5s (not inspected) on many rows
    assert detect_layout(expert).name == "expert"
    means = np.zeros((6, 35))
    means[:, 33] = [0, 2, 4, 1, 3, odd]
    means[:, 34] = [0, 2.333, 3.667, 1, 3, 3.0]
    lay = detect_layout(means)
    assert (lay.name, lay.columns[35]) == ("standard", "class_human_mean")


def _hybrid(n: int) -> np.ndarray:
    h = np.zeros((n, 39))
    h[:, 33] = np.resize([1, 2, 3, 4], n)
    h[:, 34] = np.resize([0, 1, 3, 4, 6], n)
    return h


def test_a_rare_value_that_is_no_method_flag_keeps_the_hybrid_layout():
    h = _hybrid(200)
    h[7, 34] = 2
    h[9, 34] = 5
    assert detect_layout(h).name == "hybrid"  # 2 of 200: hand edits
    h[10:20, 34] = 2
    # a column of many such values is no method flag: the layout is not guessed hybrid
    assert detect_layout(h).name == "standard+extra"


def test_a_method_flag_no_layout_uses_is_warned_of_by_line_and_read_as_unknown(tmp_path):
    # a 39-column copy of NGC 1566's layout, one method flag 2
    h = _hybrid(10)
    h[:, 0] = np.arange(1, 11)
    h[:, 1:3] = 50.0
    h[:, 3:5] = [65.0, -54.9]
    h[:, 5:15] = 22.0
    h[:, 15] = 1.5
    h[:, 32] = 5
    h[:, 35:39] = h[:, [33]]
    h[4, 34] = 2
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcx_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(r) for r in h) + "\n")
    with pytest.warns(UserWarning, match=r"column 35 \(class_method\): 1 of 10 values that are no method flag "
                                         r"0, 1, 3, 4 or 6 \(2\) read as -1 \(method unknown\), at line 5 "):
        t = read_catalog(p)
    assert t.meta["legus_layout"] == "hybrid"
    assert t["class_method"].tolist() == [0, 1, 3, 4, -1, 0, 1, 3, 4, 6]


def _edited_cell(tmp_path: Path, name: str, line: int, col: int, value: str) -> Path:
    src = next(SHARED.glob(f"hlsp_legus_*_{name}_multiband_*.tab"))
    lines = src.read_text().splitlines()
    cells = lines[line - 1].split()
    cells[col - 1] = value
    lines[line - 1] = " ".join(cells)
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / src.name
    out.write_text("\n".join(lines) + "\n")
    return out


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_real_files_with_one_class_7_keep_their_layout(tmp_path):
    t = _read(_edited_cell(tmp_path / "a", "ngc3351", 7, 34, "7"))
    assert t.meta["legus_layout"] == "unknown-class" and "class_ref" not in t.colnames
    t = _read(_edited_cell(tmp_path / "b", "ngc4449", 7, 34, "7"))
    assert t.meta["legus_layout"] == "expert"
    assert [int(np.sum(t["class_ref"] == k)) for k in (1, 2, 3, 4)] == [142, 282, 182, 875]
    t = _read(_edited_cell(tmp_path / "c", "ngc1433", 5, 34, "7"))
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_ngc1566_with_a_method_flag_2_stays_hybrid(tmp_path):
    with pytest.warns(UserWarning, match=r"column 35 \(class_method\): 1 of 2752 values that are no method flag "
                                         r".*\(2\) read as -1 \(method unknown\), at line 7 of the file"):
        t = read_catalog(_edited_cell(tmp_path, "ngc1566", 7, 35, "2"))
    assert t.meta["legus_layout"] == "hybrid" and "class_ml" in t.colnames
    assert int(t["class_method"][6]) == -1
    # the file's own machine-only classes (col 35 = 0) are still told apart from people's
    assert int(np.sum(np.asarray(t["class_method"]) == 0)) == 955


def test_a_rare_5_keeps_a_standard_file_standard():
    # the expert's 5 marks most of its rows; one or two typed into a people's file made it 'expert',
    # whose 0 (not inspected there) is then read as spurious
    means = np.zeros((300, 35))
    means[:, 33] = np.resize([0, 1, 2, 3, 4], 300)
    c = means[:, 33]
    means[:, 34] = np.where(c > 0, c + np.where(c < 4, 0.333, -0.333), 0)  # the people's mean class
    means[7, 33] = 5
    lay = detect_layout(means)
    assert (lay.name, lay.columns[35]) == ("standard", "class_human_mean")
    means[:150, 33] = 5  # half the rows: an expert's file
    assert detect_layout(means).name == "expert"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_ngc628c_with_one_class_5_stays_standard(tmp_path):
    orig = _read(next(SHARED.glob("hlsp_legus_*_ngc628-c_multiband_*.tab")))
    with pytest.warns(UserWarning, match=r"column 34 \(class_ref\): 1 of .* outside 0-4 \(5\) read as 0, .*line 7 "):
        t = read_catalog(_edited_cell(tmp_path, "ngc628-c", 7, 34, "5"))
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames
    # its 1520 not-inspected rows stay not inspected (as 'expert' they became 2062 class 4)
    ref, edited = np.asarray(orig["class_ref"]), np.asarray(t["class_ref"])
    assert int(np.sum(edited == 4)) == int(np.sum(ref == 4)) - (ref[6] == 4)
    assert int(np.sum(edited == 0)) == int(np.sum(ref == 0)) + (ref[6] != 0)


# 15d89af5 let a 5 decide in 1% of the rows or more, one at least: in a file of under 200 rows one 5 is
# 1%, so one typed into UGC 695 (184 rows) or ESO 486-G021 (110) still made it 'expert'. And a 2 typed
# into NGC 3351's 0/1 flag (col 34) made that flag the file's class column ('standard+extra'). Now a value
# decides a layout only in more than 1% of the rows and on two rows at least.

@pytest.mark.parametrize("n", [10, 50, 150, 199])
def test_one_5_in_a_small_file_never_makes_it_expert(n):
    means = np.zeros((n, 35))
    means[:, 33] = np.resize([0, 1, 2, 3, 4], n)
    c = means[:, 33]
    means[:, 34] = np.where(c > 0, c + np.where(c < 4, 0.333, -0.333), 0)
    means[7, 33] = 5
    lay = detect_layout(means)
    assert (lay.name, lay.columns[35]) == ("standard", "class_human_mean")
    wide = np.zeros((n, 37))  # 37 columns (ESO 486-G021): 'standard+extra', not 'expert'
    wide[:, 33] = np.resize([0, 1, 2, 3, 4], n)
    wide[7, 33] = 5
    assert detect_layout(wide).name == "standard+extra"


@pytest.mark.parametrize("n", [10, 50, 150])
def test_a_small_experts_file_is_still_expert(n):
    # an expert's file marks every source not inspected with a 5: 48% of NGC 4449's rows
    expert = np.zeros((n, 38))
    expert[:, 33] = np.resize([5, 1, 5, 0, 2, 4], n)
    assert detect_layout(expert).name == "expert"
    expert[:, 33] = np.resize([1, 0, 2, 4, 3], n)
    expert[[2, 7], 33] = 5  # two rows of ten, 1.3% of 150
    assert detect_layout(expert).name == "expert"


@pytest.mark.parametrize("odd", [2.0, 3.0, 4.0])
def test_one_class_typed_into_a_0_1_flag_keeps_the_layout(odd):
    flags = np.zeros((300, 37))
    flags[:, 33] = np.resize([0, 0, 0, 1], 300)
    flags[7, 33] = odd
    assert detect_layout(flags).name == "unknown-class"
    flags[8:11, 33] = odd  # 4 rows of 300, 1.3%: a class column
    assert detect_layout(flags).name == "standard+extra"
    small = np.zeros((20, 37))
    small[:, 33] = np.resize([0, 1], 20)
    small[3, 33] = odd
    assert detect_layout(small).name == "unknown-class"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
@pytest.mark.parametrize("name, layout", [("ugc695", "standard"), ("eso486-g021", "standard+extra")])
def test_small_real_files_with_one_class_5_keep_their_layout(tmp_path, name, layout):
    orig = _read(next(SHARED.glob(f"hlsp_legus_*_{name}_multiband_*.tab")))
    with pytest.warns(UserWarning, match=r"column 34 \(class_ref\): 1 of .* outside 0-4 \(5\) read as 0, .*line 7 "):
        t = read_catalog(_edited_cell(tmp_path, name, 7, 34, "5"))
    assert t.meta["legus_layout"] == layout
    assert ("class_human_mean" in t.colnames) == (layout == "standard")
    # its not-inspected 0s stay not inspected ('expert' read them as spurious: UGC 695's class 4 94 -> 166)
    ref, edited = np.asarray(orig["class_ref"]), np.asarray(t["class_ref"])
    assert int(np.sum(edited == 4)) == int(np.sum(ref == 4)) - (ref[6] == 4)
    assert int(np.sum(edited == 0)) == int(np.sum(ref == 0)) + (ref[6] != 0)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
@pytest.mark.parametrize("name, value", [("ngc3351", "2"), ("ngc45", "2"), ("ngc4242", "4")])
def test_real_0_1_flags_with_one_class_typed_in_keep_their_layout(tmp_path, name, value):
    # col 34 of these three is a 0/1 flag; the class column is not known (layouts.csv: col 35?)
    t = _read(_edited_cell(tmp_path, name, 7, 34, value))
    assert t.meta["legus_layout"] == "unknown-class" and "class_ref" not in t.colnames
    assert not t.meta["layout_certain"]
    assert t.meta["layout_note"].startswith("col 34 holds only 0/1 but on 1 row (a hand edit?): the class column is "
                                            "not known"), t.meta["layout_note"]
