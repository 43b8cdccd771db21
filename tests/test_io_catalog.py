"""Catalogue readers and writers: LEGUS counts, PHANGS, CDS/MRT, column maps, round trips, bad input."""

from __future__ import annotations

from collections import Counter

import astropy.units as u
import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS

from starclass.errors import StarclassError
from starclass.io.catalog import (
    check_on_image,
    galaxy_from_name,
    guess_format,
    pixel_origin_offset,
    read_catalog,
    read_legus_tab,
    write_catalog,
)


def schema_table(n=6, seed=1) -> Table:
    rng = np.random.default_rng(seed)
    t = Table()
    t["id"] = np.arange(1, n + 1)
    t["x"] = rng.uniform(0, 100, n)
    t["y"] = rng.uniform(0, 80, n)
    t["ra"] = 65.0 + rng.uniform(0, 1e-3, n)
    t["dec"] = -54.9 + rng.uniform(0, 1e-3, n)
    t["mag_f555w"] = rng.uniform(20, 25, n)
    t["mag_f555w"][1] = np.nan
    t["magerr_f555w"] = rng.uniform(0.01, 0.2, n)
    t["ci"] = rng.uniform(1.2, 2.0, n)
    t["class_ref"] = np.array([1, 2, 3, 4, 0, 1][:n], dtype=np.int16)
    t["redundant"] = np.zeros(n, bool)
    t["galaxy"] = "ngc1566"
    t["ra"].unit = u.deg
    t["mag_f555w"].unit = u.mag
    return t


# ------------------------------------------------------------------------------------- LEGUS


def test_legus_counts_and_conventions(legus_tab):
    t = read_catalog(legus_tab)
    assert len(t) == 2752
    counts = Counter(int(v) for v in t["class_ref"])
    assert [counts[k] for k in (1, 2, 3, 4)] == [477, 404, 692, 878]
    assert sum(counts[k] for k in (1, 2, 3, 4)) == 2451
    # first row of the file: x=3006.141 y=5901.000 (1-based) -> 0-based
    assert t["x"][0] == pytest.approx(3005.141) and t["y"][0] == pytest.approx(5900.0)
    assert np.isnan(t["mag_f275w"][0]) and np.isnan(t["magerr_f275w"][0])  # 99.999
    assert t["mag_f336w"][0] == pytest.approx(21.635)
    assert t["ra"].unit == u.deg and t["mag_f555w"].unit == u.mag
    assert t["galaxy"][0] == "ngc1566"
    assert {"class_method", "class_human_mode", "class_ml", "class_ml_checked", "class_reclassified",
            "age", "mass", "ebv"} <= set(t.colnames)
    # no SED fit (age 0 in the file) -> NaN, not 0 yr
    assert np.isnan(t["age"][0]) and t["age"][1] == pytest.approx(1.5e7)


def test_legus_bad_rows_named(tmp_path):
    p = tmp_path / "bad.tab"
    good = " ".join(["1"] * 39)
    p.write_text(good + "\n" + " ".join(["2"] * 38) + "\n")
    with pytest.raises(StarclassError, match=r"bad.tab, line 2: 38 columns"):
        read_catalog(p)
    p.write_text(good.replace("1", "2", 1) + "\n" + "3 " + " ".join(["x"] * 38) + "\n")
    with pytest.raises(StarclassError, match=r"bad.tab, line 2: column 2 \(x\) is not a number: 'x'"):
        read_legus_tab(p)


# -------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("ext", ["ecsv", "parquet", "fits", "csv"])
def test_round_trip(tmp_path, ext):
    t = schema_table()
    p = write_catalog(t, tmp_path / f"cat.{ext}")
    r = read_catalog(p)
    assert r.colnames == t.colnames
    assert len(r) == len(t)
    np.testing.assert_allclose(np.asarray(r["x"]), np.asarray(t["x"]))  # no 1-based shift
    np.testing.assert_array_equal(np.asarray(r["class_ref"]), np.asarray(t["class_ref"]))
    assert np.isnan(r["mag_f555w"][1]) and np.isfinite(r["mag_f555w"][0])
    assert list(r["galaxy"]) == list(t["galaxy"])
    if ext != "csv":
        assert r["ra"].unit == u.deg and r["mag_f555w"].unit == u.mag
        assert r["redundant"].dtype == bool


def test_write_unknown_extension(tmp_path):
    with pytest.raises(StarclassError, match="cat.xyz"):
        write_catalog(schema_table(), tmp_path / "cat.xyz")


@pytest.mark.parametrize("ext", ["fits", "parquet", "ecsv"])
def test_failed_write_leaves_no_partial_file(tmp_path, ext):
    target = tmp_path / f"cat.{ext}"
    good = schema_table()
    write_catalog(good, target)
    before = target.read_bytes()
    bad = schema_table()
    bad["obj"] = np.array([object(), None, {"b": 2}, 3, "x", 4.0], dtype=object)
    with pytest.raises(StarclassError, match=f"cat.{ext}"):
        write_catalog(bad, target, overwrite=True)
    assert target.read_bytes() == before  # the previous file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"cat.{ext}"]  # no temp left over


# ------------------------------------------------------------------------- PHANGS, CDS, maps


def test_phangs_fits_table(tmp_path):
    n = 5
    cols = Table()
    cols["ID_PHANGS_CLUSTERS"] = np.arange(10, 10 + n)
    cols["PHANGS_X"] = np.array([1.0, 2.0, 10.5, 20.0, 30.0])
    cols["PHANGS_Y"] = np.array([1.0, 5.0, 10.5, 25.0, 35.0])
    cols["PHANGS_RA"] = np.linspace(64.0, 64.001, n)
    cols["PHANGS_DEC"] = np.linspace(-54.9, -54.899, n)
    cols["PHANGS_F555W_VEGA_TOT"] = np.array([22.0, 23.0, -9999.0, 24.0, 21.5])
    cols["PHANGS_F555W_VEGA_TOT_ERR"] = np.array([0.02, 0.03, -9999.0, 0.1, 0.01])
    cols["PHANGS_F814W_VEGA_TOT"] = np.array([21.0, 22.0, 99.0, 23.5, 20.0])
    cols["PHANGS_CI"] = np.array([1.3, 1.5, 1.6, 2.0, 1.4])
    cols["PHANGS_CLUSTER_CLASS_HUMAN"] = np.array([1, 2, -999, 3, 4])
    cols["PHANGS_CLUSTER_CLASS_ML_VGG"] = np.array([1, 1, 3, 3, 4])
    cols["PHANGS_CLUSTER_CLASS_ML_VGG_QUAL"] = np.array([1.0, 0.6, 0.9, 0.7, 1.0])
    cols["PHANGS_AGE_MINCHISQ"] = np.array([1e7, 2e8, 1e6, 3e6, 1e9])
    cols["PHANGS_REDUCEDMINCHISQ"] = np.ones(n)
    p = tmp_path / "hlsp_phangs-cat_hst_uvis_ngc1566_multi_v1_obs-human-cluster-class12.fits"
    cols.write(p)
    t = read_catalog(p)
    assert t.meta["format"] == "phangs"
    np.testing.assert_array_equal(t["id"], np.arange(10, 15))
    np.testing.assert_allclose(t["x"], cols["PHANGS_X"] - 1.0)  # 1-based by default
    assert list(t["class_ref"]) == [1, 2, 0, 3, 4]
    assert list(t["class_pred"]) == [1, 1, 3, 3, 4]
    assert t["quality"][1] == pytest.approx(0.6)
    assert np.isnan(t["mag_f555w"][2]) and np.isnan(t["magerr_f555w"][2]) and np.isnan(t["mag_f814w"][2])
    assert t["mag_f814w"][0] == 21.0 and t["ci"][3] == 2.0 and t["age"].unit == u.yr
    assert "phangs_reducedminchisq" in t.colnames
    assert t["galaxy"][0] == "ngc1566"
    t0 = read_catalog(p, one_based=False)
    np.testing.assert_allclose(t0["x"], cols["PHANGS_X"])


def test_mrt_and_cds_with_column_map(tmp_path):
    src = Table()
    src["Seq"] = np.arange(1, 5)
    src["Xpos"] = np.array([10.0, 20.0, 30.0, 40.0])
    src["Ypos"] = np.array([11.0, 21.0, 31.0, 41.0])
    src["Vmag"] = np.array([21.1, 22.2, 23.3, 24.4]) * u.mag
    src["Class"] = np.array([1, 2, 3, 4])
    p = tmp_path / "table2.txt"
    src.write(p, format="ascii.mrt")
    assert guess_format(p) in ("mrt", "cds")
    for fmt in ("mrt", "cds", None):
        t = read_catalog(p, fmt=fmt, one_based=True,
                         column_map={"Xpos": "x", "Ypos": "y", "Vmag": "mag_f555w", "Class": "class_ref"})
        np.testing.assert_array_equal(t["id"], [1, 2, 3, 4])  # Seq is a known id alias
        np.testing.assert_allclose(t["x"], [9.0, 19.0, 29.0, 39.0])
        np.testing.assert_allclose(t["mag_f555w"], [21.1, 22.2, 23.3, 24.4])
        assert list(t["class_ref"]) == [1, 2, 3, 4]


def test_csv_sextractor_names_are_one_based(tmp_path):
    p = tmp_path / "sex.csv"
    p.write_text("NUMBER,X_IMAGE,Y_IMAGE,MAG_F555W\n1,1.0,1.0,20.5\n2,10.0,5.0,99.0\n")
    t = read_catalog(p)
    np.testing.assert_allclose(t["x"], [0.0, 9.0])
    np.testing.assert_allclose(t["y"], [0.0, 4.0])
    assert t["mag_f555w"][0] == 20.5 and np.isnan(t["mag_f555w"][1])
    t = read_catalog(p, one_based=False)
    np.testing.assert_allclose(t["x"], [1.0, 10.0])


def test_ra_dec_with_wcs_gives_pixels(tmp_path):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [51.0, 41.0]
    w.wcs.cd = np.array([[-0.04, 0], [0, 0.04]]) / 3600
    xs, ys = np.array([0.0, 50.0, 99.0]), np.array([0.0, 40.0, 79.0])
    ra, dec = w.pixel_to_world_values(xs, ys)
    p = tmp_path / "sky.csv"
    Table({"id": [1, 2, 3], "ra": ra, "dec": dec}).write(p)
    with pytest.raises(StarclassError, match=r"'x' missing.*sky.csv.*give the mosaics"):
        read_catalog(p)
    t = read_catalog(p, wcs=w)
    np.testing.assert_allclose(t["x"], xs, atol=1e-6)
    np.testing.assert_allclose(t["y"], ys, atol=1e-6)
    assert pixel_origin_offset(t, w) == pytest.approx(0.0, abs=1e-6)
    t1 = t.copy()
    t1["x"] += 1
    t1["y"] += 1
    assert pixel_origin_offset(t1, w) == pytest.approx(1.0, abs=1e-6)
    t2 = read_catalog(p, require_xy=False)
    assert "x" not in t2.colnames
    # a 1-based catalogue read as 0-based is caught when a WCS is at hand
    write_catalog(t1, tmp_path / "shifted.ecsv")
    with pytest.warns(UserWarning, match=r"\+1.00 px.*one_based"):
        read_catalog(tmp_path / "shifted.ecsv", wcs=w)
    t3 = read_catalog(tmp_path / "shifted.ecsv", wcs=w, one_based=True)
    assert t3.meta["origin_offset_px"] == pytest.approx(0.0, abs=1e-3)


def test_tab_with_header_is_not_legus(tmp_path):
    p = tmp_path / "other.tab"
    p.write_text("id\tx\ty\tclass_ref\n1\t2.5\t3.5\t2\n2\t4.0\t5.0\t0\n")
    assert guess_format(p) == "ascii"
    t = read_catalog(p)
    assert list(t["class_ref"]) == [2, 0] and t["x"][0] == 2.5


def test_galaxy_from_name():
    assert galaxy_from_name("hlsp_legus_hst_wfc3_ngc1566_multiband_v1.tab") == "ngc1566"
    assert galaxy_from_name("ngc0628c_f555w.fits") == "ngc0628c"
    assert galaxy_from_name("cat.ecsv") is None


# ---------------------------------------------------------------------------------- bad input


def test_missing_required_columns_named(tmp_path):
    t = schema_table()
    t.remove_column("id")
    write_catalog(t, tmp_path / "noid.ecsv")
    with pytest.raises(StarclassError, match=r"'id' missing in .*noid.ecsv"):
        read_catalog(tmp_path / "noid.ecsv")
    t = schema_table()
    t.remove_columns(["y", "ra", "dec"])
    write_catalog(t, tmp_path / "noy.parquet")
    with pytest.raises(StarclassError, match=r"'y' missing in .*noy.parquet"):
        read_catalog(tmp_path / "noy.parquet")
    with pytest.raises(StarclassError, match=r"column 'NOPE' \(in the column map\) not found in .*noy.parquet"):
        read_catalog(tmp_path / "noy.parquet", column_map={"NOPE": "y"})


def test_empty_catalogue(tmp_path):
    p = write_catalog(schema_table()[:0], tmp_path / "empty.ecsv")
    with pytest.raises(StarclassError, match=r"empty.ecsv has a header but no rows"):
        read_catalog(p)
    assert len(read_catalog(p, allow_empty=True)) == 0
    tab = tmp_path / "empty.tab"
    tab.write_text("")
    with pytest.raises(StarclassError, match="empty.tab has no rows"):
        read_catalog(tab)


@pytest.mark.parametrize("name", ["junk.fits", "junk.parquet", "junk.ecsv", "junk.tab", "junk.csv"])
def test_unreadable_file(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(StarclassError, match=name.replace(".", r"\.")):
        read_catalog(p)


def test_missing_file_and_bad_rows(tmp_path):
    with pytest.raises(StarclassError, match=r"nothere.ecsv: no such file or directory"):
        read_catalog(tmp_path / "nothere.ecsv")
    t = schema_table()
    t["id"][3] = t["id"][0]
    write_catalog(t, tmp_path / "dup.ecsv")
    with pytest.raises(StarclassError, match=r"duplicate id 1 in .*dup.ecsv \(rows 1, 4\)"):
        read_catalog(tmp_path / "dup.ecsv")
    t = schema_table()
    t["class_ref"][2] = 7
    write_catalog(t, tmp_path / "cls.ecsv")
    with pytest.raises(StarclassError, match=r"class_ref.*class 7 in row 3 \(id 3\)"):
        read_catalog(tmp_path / "cls.ecsv")
    t = schema_table()
    t["x"][4] = np.nan
    write_catalog(t, tmp_path / "nanx.ecsv")
    with pytest.raises(StarclassError, match=r"'x' in .*nanx.ecsv: no valid position in row 5"):
        read_catalog(tmp_path / "nanx.ecsv")


def test_positions_off_image_named():
    t = schema_table()
    check_on_image(t, (80, 100))
    t["x"][2] = 120.0
    with pytest.raises(StarclassError, match=r"off the 100 x 80 px image; first: row 3 \(id 3\)"):
        check_on_image(t, (80, 100), "cat.ecsv")


def test_fits_table_without_table_hdu(tmp_path):
    p = tmp_path / "img.fits"
    fits.PrimaryHDU(np.zeros((3, 3))).writeto(p)
    with pytest.raises(StarclassError, match="no table HDU.*img.fits"):
        read_catalog(p)


def test_a_nan_id_is_refused_naming_the_row(tmp_path):
    from astropy.table import Table

    from starclass.io.catalog import validate_catalog

    t = Table({"id": [1.0, float("nan"), 3.0], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(StarclassError, match=r"id.*row 2"):
        validate_catalog(t)


def test_write_catalog_refuses_an_existing_file_by_default(tmp_path):
    """The default was overwrite=True; astropy's Table.write (and so users' habit) is overwrite=False."""
    target = tmp_path / "cat.ecsv"
    write_catalog(schema_table(), target)
    before = target.read_bytes()
    with pytest.raises(StarclassError, match="exists"):
        write_catalog(schema_table()[:2], target)
    assert target.read_bytes() == before
    write_catalog(schema_table()[:2], target, overwrite=True)
    assert len(read_catalog(target)) == 2


def test_galaxy_from_name_keeps_an_eso_galaxys_object():
    # ESO 486-G021 was read as 'eso486' (its ESO field alone), which names no galaxy: the LEGUS file's galaxy
    # column said so, and evaluate gave no LEGUS distance for it (FIELD_DISTANCES_MPC knows 'eso486-g021')
    from starclass.science.many import FIELD_DISTANCES_MPC

    name = "hlsp_legus_hst_wfc3_eso486-g021_multiband_v2_padagb-mwext-avgapcor.tab"
    assert galaxy_from_name(name) == "eso486-g021"
    assert galaxy_from_name(name) in FIELD_DISTANCES_MPC
    assert galaxy_from_name("ESO_486-G021_f555w.fits") == "eso486-g021"
    assert galaxy_from_name("eso486g21.csv") == "eso486-g21"
    assert galaxy_from_name("eso_486.csv") == "eso486"  # no object named: the field is all there is
    assert galaxy_from_name("ugca281.tab") == "ugca281"


def test_eso_legus_file_gets_its_distance_note(tmp_path):
    # evaluate's note without --distance names the LEGUS distance of the catalogue's galaxy: none for ESO 486-G021
    from starclass.cli.evaluate_cmd import no_distance_note

    rows = "\n".join(" ".join(["1", "10.0", "12.0", "75.8", "-25.4"] + ["22.0", "0.05"] * 5 + ["1.5"]
                              + ["0"] * 17 + ["2"]) for _ in range(1))
    p = tmp_path / "hlsp_legus_hst_wfc3_eso486-g021_multiband_v2_padagb-mwext-avgapcor.tab"
    p.write_text(rows + "\n")
    t = read_catalog(p)
    assert set(t["galaxy"]) == {"eso486-g021"}
    assert "--distance 9.5" in no_distance_note(t)
