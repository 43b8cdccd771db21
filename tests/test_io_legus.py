"""LEGUS catalogues of every field (issue 14): layouts, the NGC 1566 hybrid columns, sentinels,
bands, uncertain layouts with --map, `starclass info DIR`, and literature tables (MRT, CSV).

The shared-data tests skip when ../shared is absent; expected counts come from layouts.csv.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import typer.main
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.errors import StarclassError
from starclass.io.catalog import guess_format, read_catalog
from starclass.io.legus import detect_layout, legus_bands, read_legus_tab
from starclass.io.overview import parse_column_map, summarise_dir
from starclass.schema import human_cols

LEGUS_DIR = SHARED_DATA / "legus"
LAYOUTS = LEGUS_DIR / "layouts.csv"


def invoke(*args):
    """Run ``starclass ...`` (typer runs a lone command without its name: handle both)."""
    from starclass.cli import app

    cmd = typer.main.get_command(app)
    argv = list(args) if hasattr(cmd, "commands") else list(args[1:])
    return CliRunner().invoke(app, argv)


def _layout_rows() -> list[dict]:
    if not LAYOUTS.exists():
        return []
    with open(LAYOUTS, newline="") as fh:
        return list(csv.DictReader(fh))


def _line(values) -> str:
    return " ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _standard_row(i: int, cls: int, mean: float, mag=22.0, extra=()) -> list:
    row = [i, 10.0 + i, 20.0 + i, 65.0, -54.9]
    for _ in range(5):
        row += [mag, 0.05]
    row += [1.5] + [0.0] * 16 + [5, cls, mean]
    return row + list(extra)


def write_mean_class_file(folder: Path) -> Path:
    """A standard LEGUS file of four rows by three people: modes 2, 4, 1, 3 (col 34), means 2.333, 3.667,
    1, 3 (col 35, ``class_human_mean``). Shared by the tests of the mean read or scored as a class."""
    p = folder / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((2, 2.333), (4, 3.667), (1, 1.0), (3, 3.0)), 1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    return p


# ------------------------------------------------------------------------------ NGC 1566 hybrid


def test_ngc1566_hybrid_columns_are_not_people(legus_tab):
    """Old reader: cols 36-39 became class_h1..h4 (people). They are mode/ML/check/re-class."""
    t = read_catalog(legus_tab)
    assert human_cols(t) == []
    assert t.meta["legus_layout"] == "hybrid"
    ref = np.asarray(t["class_ref"])
    flag = np.asarray(t["class_method"])
    # the survey's rule, independently read from the raw numbers
    raw = np.loadtxt(legus_tab)
    for flags, col in (((0,), 37), ((1,), 38), ((3, 4), 36)):
        sel = np.isin(flag, flags)
        assert sel.sum() > 50
        np.testing.assert_array_equal(ref[sel], raw[sel, col - 1])
    np.testing.assert_array_equal(np.asarray(t["class_ml"]), raw[:, 36])
    np.testing.assert_array_equal(np.asarray(t["class_human_mode"]), raw[:, 35])
    np.testing.assert_array_equal(np.asarray(t["class_hybrid"]), raw[:, 33])


# ----------------------------------------------------------------------------- every shared file


@pytest.mark.parametrize("row", _layout_rows(), ids=lambda r: r["field"])
def test_every_shared_file_matches_layouts_csv(row):
    path = LEGUS_DIR / row["file"]
    if not path.exists():
        pytest.skip(f"{path} not available")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = read_catalog(path, require_xy=False)
    uncertain = [w for w in caught if "uncertain" in str(w.message)]
    if "class_ref" not in t.colnames:
        # the class column cannot be known from the file: a warning named it; the user maps it
        assert uncertain and row["file"] in str(uncertain[0].message)
        t = read_catalog(path, column_map={row["class_col"]: "class_ref"}, require_xy=False)
    else:
        assert int(row["class_col"]) == 34
    assert len(t) == int(row["n_rows"])
    counts = Counter(int(v) for v in t["class_ref"])
    want = {k: int(row[f"n_class{k}"]) for k in (0, 1, 2, 3, 4)}
    if t.meta["legus_layout"] == "expert":
        want[4], want[0] = want[4] + want[0], 0  # NGC 4449's expert: 0 is spurious, as 4 (README)
    assert [counts[k] for k in (1, 2, 3, 4)] == [want[k] for k in (1, 2, 3, 4)]
    assert counts[0] == want[0] + int(row["n_other"])
    if row["confidence"].startswith("low"):
        assert uncertain or t.meta["legus_layout"] != "standard"
    # every sentinel (99.999, 66.666, 44.444) became NaN, and nothing else did; counted on the raw file
    raw = np.loadtxt(path)
    mags = [c for c in t.colnames if c.startswith("mag_")]
    for k, col in ((6, mags[0]), (8, mags[1]), (12, mags[3])):
        v = raw[:, k - 1]
        sentinel = np.isin(np.round(v, 3), (99.999, 66.666, 44.444)) | (v >= 90)
        assert np.array_equal(np.isnan(np.asarray(t[col])), sentinel), col
    # a CI made from the 99.999 marker (about 70; no real CI lies above 7) is missing, every other kept
    ci_raw = raw[:, 15]
    ci = np.asarray(t["ci"], dtype=float)
    np.testing.assert_array_equal(np.isnan(ci), ci_raw > 50)
    np.testing.assert_array_equal(ci[ci_raw <= 50], ci_raw[ci_raw <= 50])


def test_info_dir_on_shared_folder():
    if not LAYOUTS.exists():
        pytest.skip("../shared/data/legus not available")
    table, notes = summarise_dir(LEGUS_DIR)
    expected = {r["field"]: r for r in _layout_rows()}
    assert set(table["field"]) == set(expected)
    for r in table:
        e = expected[r["field"]]
        if int(e["class_col"]) == 34:
            want = [int(e[f"n_class{k}"]) for k in (1, 2, 3, 4)]
            if r["layout"].startswith("expert"):
                want[3] += int(e["n_class0"])  # NGC 4449's expert: 0 is spurious, as 4 (README)
            assert [int(r[f"n_{k}"]) for k in (1, 2, 3, 4)] == want
        else:
            assert r["n_inspected"] == 0 and "no class column" in r["layout"]
    assert any("ngc3351" in n and "uncertain" in n for n in notes)


# --------------------------------------------------------------------------- synthetic layouts


def test_sentinels_become_missing(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngctest_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(1, 1, 1.33), _standard_row(2, 2, 2.0), _standard_row(3, 0, 0.0)]
    rows[0][5], rows[0][6] = 99.999, 99.999   # F275W not detected
    rows[1][7], rows[1][8] = 66.666, 66.666   # F336W outside the footprint
    rows[2][11], rows[2][12] = 44.444, 44.444  # F555W aperture correction undefined
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    t = read_catalog(p)
    assert np.isnan(t["mag_f275w"][0]) and np.isnan(t["magerr_f275w"][0])
    assert np.isnan(t["mag_f336w"][1]) and np.isnan(t["magerr_f336w"][1])
    assert np.isnan(t["mag_f555w"][2]) and np.isnan(t["magerr_f555w"][2])
    assert t["mag_f555w"][0] == pytest.approx(22.0)
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames
    assert t.meta["ci_cut"] == pytest.approx(1.5)


def test_ci_from_the_missing_marker_becomes_missing(tmp_path):
    """A failed 1 px measurement gives CI = 99.999 - m(3 px), about 70 (ten shared files): not a CI."""
    p = tmp_path / "hlsp_legus_hst_wfc3_ngctest_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(1, 1, 1.0), _standard_row(2, 4, 4.0), _standard_row(3, 2, 2.0)]
    rows[0][15] = 72.708  # the NGC 1566 value
    rows[1][15] = 6.55    # large but real (NGC 5253)
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    t = read_catalog(p)
    assert np.isnan(t["ci"][0])
    assert list(np.asarray(t["ci"][1:])) == [6.55, 1.5]
    res = invoke("info", str(p))
    assert res.exit_code == 0, res.output
    assert "ci: 1.500 / 4.025 / 6.550" in res.output


def test_unknown_class_layout_warns_and_takes_a_map(tmp_path, capsys):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcx_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, i % 2, 0.0, extra=(k, 1)) for i, k in enumerate((1, 2, 3, 4, 0), start=1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with pytest.warns(UserWarning, match=p.name + ".*--map class_ref"):
        t = read_catalog(p)
    assert "class_ref" not in t.colnames
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once the user names the class column, no warning
        t = read_catalog(p, column_map=parse_column_map(["class_ref=36"]))
    assert list(t["class_ref"]) == [1, 2, 3, 4, 0]
    # info printed "the class column is not known (name it ...)" though the map had named it
    assert "name it" not in t.meta["layout_note"] and "class_ref read from col36" in t.meta["layout_note"]
    res = invoke("info", str(p), "--map", "class_ref=36")
    assert res.exit_code == 0 and "name it" not in res.output and "read from col36" in res.output, res.output
    with pytest.raises(StarclassError, match=r"column 40 in the column map does not exist"):
        read_catalog(p, column_map={"40": "class_ref"})
    res = invoke("info", str(p), "--map", "class_ref=Class")
    assert res.exit_code == 2 and p.name in res.output and "Traceback" not in res.output


def test_layouts_told_apart_by_values():
    a = np.zeros((4, 39))
    a[:, 33] = [1, 2, 3, 0]
    a[:, 34] = [0, 1, 3, 6]
    assert detect_layout(a).name == "hybrid"
    b = np.zeros((4, 38))
    b[:, 33] = [5, 1, 5, 4]  # the expert's 5 on many rows: one alone is a hand edit
    assert detect_layout(b).name == "expert" and not detect_layout(b).certain
    c = np.zeros((3, 35))
    c[:, 33] = [4, 1, 0]
    c[:, 34] = [0, 1, 0]  # NGC 3274: col 35 is a 0/1 flag, not a mean of classes
    lay = detect_layout(c)
    assert lay.name == "standard" and lay.columns[35] == "legus_col35"


def test_wider_file_than_any_known_is_read_with_a_warning(tmp_path):
    """Catalogues not in the shared folder are read as they are: extra columns flagged, not refused."""
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcw_multiband_v1_padagb-mwext-avgapcor.tab"
    # classes 2-4 on more than one row: one alone beside 0s and 1s reads as a hand-edited 0/1 flag (NGC 3351)
    rows = [_standard_row(i, c, 0.0, extra=(7, 8, 9, 1, 2, 3)) for i, c in enumerate((1, 3, 2, 0), start=1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with pytest.warns(UserWarning, match=p.name + ".*35-41 of unknown meaning"):
        t = read_catalog(p)
    assert list(t["class_ref"]) == [1, 3, 2, 0] and "legus_col41" in t.colnames
    p.write_text(" ".join(["1"] * 61) + "\n")
    with pytest.raises(StarclassError, match=r"line 1: 61 columns, a LEGUS .tab catalogue has 34-60"):
        read_catalog(p)


def test_bands_from_readme_survey_and_file_name(tmp_path):
    p = tmp_path / "hlsp_legus_hst_acs-wfc3_ngcy_multiband_v1_padagb-mwext-avgapcor.tab"
    bands, src = legus_bands(p)
    assert bands[2:4] == ["f435w", "f555w"] and src.startswith("assumed")
    p.with_suffix(".readme").write_text(
        "6. final total mag in WFC3/F275W\n8. final total mag in WFC3/F336W\n10. final total mag in WFC3/F438W\n"
        "12. final total mag in ACS/F606W\n14. final total mag in ACS/F814W\n16. CI ... with CI>=1.3.\n")
    assert legus_bands(p) == (["f275w", "f336w", "f438w", "f606w", "f814w"], f"readme {p.stem}.readme")
    assert legus_bands(p.with_name("hlsp_legus_hst_acs-wfc3_ngc5474_multiband_v1_x.tab"))[0][3] == "f606w"
    p.write_text(_line(_standard_row(1, 1, 1.0)) + "\n")
    t = read_legus_tab(p)
    assert "mag_f606w" in t.colnames and t.meta["ci_cut"] == pytest.approx(1.3)


def test_info_dir_cli(tmp_path):
    for name, cls in (("hlsp_legus_hst_wfc3_ngca_multiband_v1_x.tab", (1, 1, 4, 0)),
                      ("hlsp_legus_hst_wfc3_ngcb_multiband_v1_x.tab", (2, 3, 0, 0))):
        rows = [_standard_row(i, c, float(c)) for i, c in enumerate(cls, start=1)]
        (tmp_path / name).write_text("\n".join(_line(r) for r in rows) + "\n")
    res = invoke("info", str(tmp_path), "--out-format", "csv")
    assert res.exit_code == 0, res.output
    t = Table.read(res.stdout, format="ascii.csv")
    assert list(t["field"]) == ["ngca", "ngcb"]
    assert list(t["n_inspected"]) == [3, 2] and list(t["n_1"]) == [2, 0] and list(t["n_3"]) == [0, 1]
    res = invoke("info", str(tmp_path), "--out-format", "xml")
    assert res.exit_code == 2 and "--out-format" in res.output


def test_info_dir_map_only_where_a_layout_is_uncertain(tmp_path):
    """--map on a folder was applied to every file: class_ref=36 read a standard file's 0/1 flag as classes."""
    std = tmp_path / "hlsp_legus_hst_wfc3_ngca_multiband_v1_x.tab"
    rows = [_standard_row(i, c, float(c), extra=(1,)) for i, c in enumerate((1, 2, 4, 4, 0), start=1)]
    std.write_text("\n".join(_line(r) for r in rows) + "\n")
    unk = tmp_path / "hlsp_legus_hst_wfc3_ngcb_multiband_v1_x.tab"
    rows = [_standard_row(i, i % 2, 0.0, extra=(k, 1)) for i, k in enumerate((1, 2, 3, 3, 0), start=1)]
    unk.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = invoke("info", str(tmp_path), "--map", "class_ref=36", "--out-format", "csv")
    assert res.exit_code == 0, res.output
    t = Table.read(res.stdout, format="ascii.csv")
    a, b = t[t["field"] == "ngca"][0], t[t["field"] == "ngcb"][0]
    # the standard file keeps its own class column (34); the uncertain one takes the map
    assert [a[f"n_{k}"] for k in (1, 2, 3, 4)] == [1, 1, 0, 2] and a["mapped"] is np.ma.masked
    assert [b[f"n_{k}"] for k in (1, 2, 3, 4)] == [1, 1, 2, 0] and b["mapped"] == "col36->class_ref"
    assert "1 read with a certain layout" in res.stderr
    # a map that does not fit a file it applies to: an error naming the file, not a row left out
    res = invoke("info", str(tmp_path), "--map", "class_ref=38")
    assert res.exit_code == 2 and unk.name in res.output and "column 38" in res.output
    assert "Traceback" not in res.output


def test_info_dir_named_map_that_does_not_fit_a_table_names_it(tmp_path):
    Table({"NUM": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "Class": [1, 4]}).write(tmp_path / "a.csv")
    Table({"NUM": [3], "x": [1.0], "y": [1.0], "Klasse": [2]}).write(tmp_path / "b.csv")
    res = invoke("info", str(tmp_path / "a.csv"), "--map", "NUM=id,Class=class_ref")
    assert res.exit_code == 0, res.output
    res = invoke("info", str(tmp_path), "--map", "NUM=id,Class=class_ref")
    assert res.exit_code == 2 and "b.csv" in res.output and "'Class'" in res.output
    assert "Traceback" not in res.output


# ------------------------------------------------------------------------- tables from papers

MRT = """Title: Star clusters of a galaxy
Authors: Someone
Table: Clusters
================================================================================
Byte-by-byte Description of file: datafile1.txt
--------------------------------------------------------------------------------
   Bytes Format Units   Label     Explanations
--------------------------------------------------------------------------------
   1-  4 I4     ---     Cluster   Cluster identifier
   6- 12 F7.2   pix     Xpix      X position (1-based)
  14- 20 F7.2   pix     Ypix      Y position (1-based)
  22- 27 F6.3   mag   F555Wmag    ?=99.999 F555W magnitude
  29- 33 F5.3   mag e_F555Wmag    ?=9.999 Uncertainty in F555Wmag
  35- 38 F4.2   mag     CI        Concentration index
  40     I1     ---     Class     Morphological class
--------------------------------------------------------------------------------
   1  100.00  200.00 21.500 0.050 1.45 1
   2  110.00  210.00 99.999 9.999 1.60 4
   3  120.00  220.00 22.250 0.100 1.30 2
"""


def test_mrt_table_aliases_and_nulls(tmp_path):
    p = tmp_path / "clusters.mrt"
    p.write_text(MRT)
    t = read_catalog(p, one_based=True)
    assert list(t["id"]) == [1, 2, 3]
    assert t["x"][0] == pytest.approx(99.0)
    assert np.isnan(t["mag_f555w"][1]) and t["mag_f555w"][0] == pytest.approx(21.5)
    # 9.999 is below every sentinel rule: only the MRT null declaration can make it missing
    assert np.isnan(t["magerr_f555w"][1]) and t["magerr_f555w"][0] == pytest.approx(0.05)
    assert list(t["class_ref"]) == [1, 4, 2]
    assert t.meta["column_map_used"]["Class"] == "class_ref"
    assert t.meta["column_map_used"]["e_F555Wmag"] == "magerr_f555w"


def test_csv_table_class_counts_without_map(tmp_path):
    p = tmp_path / "paper.csv"
    p.write_text("ID,RAdeg,DEdeg,Category,F555Wmag,e_F555Wmag\n1,65.0,-54.9,1,21.0,0.1\n"
                 "2,65.1,-54.8,3,22.0,0.2\n3,65.2,-54.7,3,99.999,99.999\n")
    res = invoke("info", str(p))
    assert res.exit_code == 0, res.output
    assert "class_ref: 1: 1  2: 0  3: 2  4: 0" in res.output
    assert "Category -> class_ref" in res.output and "F555Wmag -> mag_f555w" in res.output
    # a text category is not a class: it is left alone
    q = tmp_path / "text.csv"
    q.write_text("ID,RAdeg,DEdeg,Category\n1,65.0,-54.9,cluster\n")
    t = read_catalog(q, require_xy=False)
    assert "class_ref" not in t.colnames and "Category" in t.colnames


def test_map_order_either_way():
    assert parse_column_map(["Class=class_ref"]) == parse_column_map(["class_ref=Class"]) == {"Class": "class_ref"}
    assert parse_column_map(["class_ref=34,ci=col16"]) == {"34": "class_ref", "col16": "ci"}
    with pytest.raises(StarclassError, match="--map"):
        parse_column_map(["nothing"])


def test_info_reports_human_disagreement(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(1, 1, 1.33), _standard_row(2, 4, 4.0), _standard_row(3, 0, 0.0)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = invoke("info", str(p))
    assert res.exit_code == 0, res.output
    # (1, 1, 2) and (4, 4, 4): one of two inspected sources not unanimous; pairs agree (1/3 + 1) / 2
    assert "2 sources): not unanimous 50.0%; two people agree 66.7% (4 classes)" in res.output


def test_map_of_a_sky_column_to_a_pixel_position_is_refused(tmp_path):
    # --map x=4 read RA (degrees) as x: info printed "x 63.9 .. 64.1" on NGC 1566 without a word
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcs_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, 1, 1.0) for i in (1, 2, 3)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    for pair, column, kind in (("x=4", 4, "RA in degrees"), ("y=5", 5, "Dec in degrees"), ("ra=2", 2, "x, a pixel")):
        with pytest.raises(StarclassError, match=rf"--map {pair}: column {column} of a LEGUS .tab holds {kind}"):
            read_catalog(p, column_map=parse_column_map([pair]))
        res = invoke("info", str(p), "--map", pair)
        assert res.exit_code == 2 and p.name in res.output and f"column {column}" in res.output
        assert "Traceback" not in res.output
    # the sky columns under their own names, and maps of other columns, are read as before
    t = read_catalog(p, column_map=parse_column_map(["ra=4,dec=5,class_ref=34"]))
    assert list(t["x"]) == [10.0, 11.0, 12.0] and float(t["ra"][0]) == 65.0


def test_map_of_a_sky_named_table_column_to_a_pixel_position_is_refused(tmp_path):
    # the same in a CSV: --map RA=x --map Dec=y gave "x 64.0 .. 64.0, y -54.9 .. -54.9"
    p = tmp_path / "sky.csv"
    p.write_text("id,RA,Dec,Xpix,Ypix\n1,64.0,-54.9,10,20\n2,64.01,-54.91,30,40\n")
    res = invoke("info", str(p), "--map", "RA=x")
    assert res.exit_code == 2 and "'RA'" in res.output and "sky position" in res.output
    assert "Traceback" not in res.output
    with pytest.raises(StarclassError, match=r"--map Xpix=ra: column 'Xpix' holds a pixel position"):
        read_catalog(p, column_map={"Xpix": "ra"})
    # a column in degrees is a sky position whatever its name
    q = tmp_path / "deg.ecsv"
    t = Table({"id": [1, 2], "lon": [64.0, 64.1], "x": [1.0, 2.0], "y": [3.0, 4.0]})
    t["lon"].unit = "deg"
    t.write(q)
    with pytest.raises(StarclassError, match=r"column 'lon' \(in deg\) holds a sky position"):
        read_catalog(q, column_map={"lon": "x"})
    assert list(read_catalog(q, column_map={"lon": "ra"})["ra"]) == [64.0, 64.1]


def test_a_renamed_file_gets_its_filters_marked_assumed_not_wfc3(tmp_path):
    """A LEGUS file renamed ngc628c.tab names no cameras: its B/V are a guess and info says so."""
    p = tmp_path / "ngc628c.tab"
    p.write_text(_line(_standard_row(1, 1, 1.0)) + "\n")
    bands, src = legus_bands(p)
    assert src.startswith("assumed") and "does not say the cameras" in src, src
    assert bands == ["f275w", "f336w", "f438w", "f555w", "f814w"]
    assert read_catalog(p).meta["bands_source"] == src
    # a name that does hold the cameras keeps its plain source
    assert legus_bands(tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_x.tab")[1] == "file name: WFC3 only"
    result = invoke("info", str(p))
    assert result.exit_code == 0 and "bands from: assumed: the file name does not say" in result.output


def test_a_legus_file_saved_as_txt_is_read_as_legus(tmp_path):
    """A LEGUS catalogue saved as .txt or .dat (numbers only, 34-60 columns) is read as one."""
    rows = [_standard_row(i, c, float(c)) for i, c in enumerate((1, 2, 0), start=1)]
    for name in ("ngc628c.txt", "ngc628c.dat", "ngc628c"):
        p = tmp_path / name
        p.write_text("# my own note\n" + "\n".join(_line(r) for r in rows) + "\n")
        assert guess_format(p) == "legus"
        t = read_catalog(p)
        assert t.meta["legus_layout"] == "standard" and list(t["class_ref"]) == [1, 2, 0]
    # a headed whitespace table, or a numeric one with too few columns, stays a generic table
    (tmp_path / "h.txt").write_text("id x y\n1 2 3\n")
    (tmp_path / "n.txt").write_text(" ".join(["1"] * 10) + "\n")
    assert guess_format(tmp_path / "h.txt") == "ascii" and guess_format(tmp_path / "n.txt") == "ascii"


def test_a_gzipped_legus_tab_is_read_inside(tmp_path):
    """hlsp_..._avgapcor.tab.gz is read as the .tab it holds; a truncated one is refused by name."""
    import gzip

    rows = [_standard_row(i, c, float(c)) for i, c in enumerate((1, 4, 0), start=1)]
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab.gz"
    data = ("\n".join(_line(r) for r in rows) + "\n").encode()
    p.write_bytes(gzip.compress(data))
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t.meta["legus_layout"] == "standard" and list(t["class_ref"]) == [1, 4, 0]
    p.write_bytes(gzip.compress(data)[:30])
    result = invoke("info", str(p))
    assert result.exit_code == 2 and f"cannot read {p}" in result.output, result.output
    assert "Traceback" not in result.output


def test_class_values_outside_0_4_are_said_not_silently_zeroed(tmp_path):
    """A col 34 of 7-10 (not a LEGUS class) was read as 'standard' with 0 inspected, no word in info DIR."""
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_x.tab"
    rows = [_standard_row(i, c, 0.0) for i, c in enumerate((7, 9, 0, 10), start=1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with pytest.warns(UserWarning, match=rf"{p.name}: column 34 \(class_ref\): 3 of 4 values outside 0-4 \(7, 9, 10\)"):
        t = read_catalog(p)
    assert list(t["class_ref"]) == [0, 0, 0, 0] and t.meta["class_other"] == 3
    result = invoke("info", str(tmp_path))
    assert result.exit_code == 0 and "values outside 0-4 (7, 9, 10)" in result.output, result.output
    # a file whose col 34 holds only 0-4 says nothing of the kind
    p.write_text("\n".join(_line(_standard_row(i, c, float(c))) for i, c in enumerate((1, 4, 0), start=1)) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_catalog(p)


def test_a_prefixed_copy_keeps_its_field_and_known_filters(tmp_path):
    """old_hlsp_..._ngc5474_... lost its field: the known F438W/F606W became assumed F435W/F555W."""
    p = tmp_path / "old_hlsp_legus_hst_acs-wfc3_ngc5474_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text(_line(_standard_row(1, 1, 1.0)) + "\n")
    assert legus_bands(p)[0] == ["f275w", "f336w", "f438w", "f606w", "f814w"]
    assert read_legus_tab(p).meta["field"] == "ngc5474"


def test_folder_scans_read_gzipped_legus_tabs(tmp_path):
    """A folder of .tab.gz: 'info DIR' said 'no catalogue could be read', report --catalogs 'no LEGUS .tab'."""
    import gzip

    from starclass.science.many import load_fields

    for name, cls in (("hlsp_legus_hst_wfc3_ngc1433_multiband_v1_x.tab.gz", (1, 1, 4, 0)),
                      ("hlsp_legus_hst_wfc3_ngc1566_multiband_v1_x.tab", (2, 3, 0, 0))):
        rows = [_standard_row(i, c, float(c)) for i, c in enumerate(cls, start=1)]
        text = "\n".join(_line(r) for r in rows) + "\n"
        p = tmp_path / name
        p.write_bytes(gzip.compress(text.encode())) if name.endswith(".gz") else p.write_text(text)
    res = invoke("info", str(tmp_path), "--out-format", "csv")
    assert res.exit_code == 0, res.output
    t = Table.read(res.stdout, format="ascii.csv")
    assert list(t["field"]) == ["ngc1433", "ngc1566"] and list(t["n_inspected"]) == [3, 2]
    (tmp_path / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_x.tab").unlink()
    res = invoke("info", str(tmp_path), "--out-format", "csv")
    assert res.exit_code == 0 and "ngc1433" in res.stdout, res.output
    fields, skipped = load_fields(tmp_path, min_inspected=1)
    assert list(fields) == ["ngc1433"] and len(fields["ngc1433"]) == 4 and len(skipped) == 0
    # its readme beside it is x.readme, as for x.tab
    p = tmp_path / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_x.tab.gz"
    p.with_name("hlsp_legus_hst_wfc3_ngc1433_multiband_v1_x.readme").write_text(
        "6. final total mag in WFC3/F275W\n8. final total mag in WFC3/F336W\n10. final total mag in WFC3/F438W\n"
        "12. final total mag in ACS/F606W\n14. final total mag in ACS/F814W\n")
    assert legus_bands(p)[0][3] == "f606w"


def test_expert_layout_reads_its_0_as_spurious_not_uninspected(tmp_path):
    """NGC 4449's expert: 1-3 clusters, 0 or 4 spurious, 5 not inspected (README); a 0 was read as 'not inspected'."""
    classes = (1, 4, 0, 5, 5, 2)
    rows = [_standard_row(i, c, 0.0, extra=(0, 0, 0)) for i, c in enumerate(classes, start=1)]  # 38 columns
    p = tmp_path / "hlsp_legus_hst_acs-wfc3_ngc4449_multiband_v2_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    with pytest.warns(UserWarning, match="expert"):
        t = read_catalog(p)
    assert t.meta["legus_layout"] == "expert"
    assert list(t["class_ref"]) == [1, 4, 4, 0, 0, 2]
    res = invoke("info", str(p))
    assert res.exit_code == 0, res.output
    assert "4 (artefact / non-cluster): 2  (4 labelled, 2 without a label)" in res.output, res.output
    # the standard layout's 0 stays "not inspected"
    q = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_x.tab"
    q.write_text("\n".join(_line(_standard_row(i, c, float(c))) for i, c in enumerate((1, 4, 0), start=1)) + "\n")
    assert list(read_catalog(q)["class_ref"]) == [1, 4, 0]


def test_folder_scans_read_gzipped_legus_files(tmp_path):
    """info DIR and --catalogs DIR listed only .tab: a folder of .tab.gz (readable one by one since 29504dd) said
    'no catalogue could be read in DIR' / '--catalogs: no LEGUS .tab catalogue in DIR'."""
    import gzip

    from starclass.science.many import load_fields

    rows = [_standard_row(i, c, float(c)) for i, c in enumerate((1, 4, 0), start=1)]
    data = ("\n".join(_line(r) for r in rows) + "\n").encode()
    name = "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    (tmp_path / (name + ".gz")).write_bytes(gzip.compress(data))
    result = invoke("info", str(tmp_path))
    assert result.exit_code == 0 and "ngcz" in result.output, result.output
    (tmp_path / name).write_bytes(data)  # beside its .tab: one catalogue, listed once
    assert list(summarise_dir(tmp_path)[0]["file"]) == [name]
    if not LEGUS_DIR.is_dir():
        pytest.skip("../shared/data/legus is absent: the --catalogs half needs fields with a distance")
    folder = tmp_path / "gz"
    folder.mkdir()
    for field in ("ic4247", "ngc5253"):
        src = next(LEGUS_DIR.glob(f"hlsp_legus_*_{field}_*.tab"))
        (folder / (src.name + ".gz")).write_bytes(gzip.compress(src.read_bytes()))
    fields, _ = load_fields(folder, min_inspected=10)
    assert sorted(fields) == ["ic4247", "ngc5253"]
