"""Catalogues with only RA/Dec on FITS mosaics (2026-12-03).

A user gave ``cutouts``/``classify``/``detect --positions`` a catalogue of ra, dec (no pixel
columns) with mosaics whose headers carry a WCS, and was refused ("required column 'x'
missing ... give the mosaics/WCS"), though the mosaics were given. The rows are now placed
through the mosaics' celestial WCS; mosaics without one are refused naming them.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _wcs(shape) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [64.0, -54.9]
    w.wcs.crpix = [shape[1] / 2 + 0.5, shape[0] / 2 + 0.5]
    w.wcs.cd = [[-1.1e-5, 2e-6], [2e-6, 1.1e-5]]  # 0.04"/px, slightly rotated
    return w


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """Mosaics with and without a WCS, the x, y catalogue and its ra, dec-only copy."""
    root = tmp_path_factory.mktemp("radec")
    cfg = get_preset("legus4-compact", stamp_size=16)
    images, table = make_synthetic_field(cfg, 30, seed=5)
    shape = next(iter(images.values())).shape
    w = _wcs(shape)
    for band, img in images.items():
        info = BANDS[band]
        for sub, wcs in (("wcs", w), ("nowcs", None)):
            write_mosaic(root / sub / f"toy_{band}.fits", img, band, wcs, photflam=info.photflam,
                         photplam=info.photplam)
    sky = w.pixel_to_world(np.asarray(table["x"], float), np.asarray(table["y"], float))
    xy = Table({"id": table["id"], "x": table["x"], "y": table["y"]})
    write_catalog(xy, root / "xy.ecsv")
    radec = Table({"id": table["id"], "ra": sky.ra.deg, "dec": sky.dec.deg})
    radec.write(root / "radec.csv", format="ascii.csv")
    return root, cfg, xy


def _model(root, cfg):
    return write_untrained_model(root / "model", cfg)


def _ok(args):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


def test_cutouts_places_radec_rows_through_the_wcs(field, tmp_path):
    root, _, xy = field
    _ok(["cutouts", root / "wcs", "--catalog", root / "xy.ecsv", "-o", tmp_path / "a.h5", "--size", "16"])
    out = _ok(["cutouts", root / "wcs", "--catalog", root / "radec.csv", "-o", tmp_path / "b.h5", "--size", "16"])
    assert "placed on the mosaics through their WCS" in out
    from starclass.stamps import StampStore

    a, b = StampStore(tmp_path / "a.h5"), StampStore(tmp_path / "b.h5")
    np.testing.assert_allclose(np.asarray(b.table["x"]), np.asarray(xy["x"]), atol=1e-6)
    np.testing.assert_allclose(np.asarray(b.table["y"]), np.asarray(xy["y"]), atol=1e-6)
    np.testing.assert_allclose(b[np.arange(len(b))][0], a[np.arange(len(a))][0], atol=1e-5)


def test_detect_positions_and_classify_take_radec(field, tmp_path):
    root, cfg, xy = field
    _ok(["detect", root / "wcs", "--positions", root / "radec.csv", "-o", tmp_path / "pos.ecsv", "--no-progress"])
    pos = read_catalog(tmp_path / "pos.ecsv")
    order = np.argsort(np.asarray(pos["id"]))
    np.testing.assert_allclose(np.asarray(pos["x"])[order], np.asarray(xy["x"]), atol=1e-6)
    model = _model(tmp_path, cfg)
    for name, cat in (("xy", root / "xy.ecsv"), ("radec", root / "radec.csv")):
        _ok(["classify", root / "wcs", "--catalog", cat, "--model", model, "-o", tmp_path / f"{name}.ecsv",
             "--no-progress", "--device", "cpu"])
    a, b = read_catalog(tmp_path / "xy.ecsv"), read_catalog(tmp_path / "radec.ecsv")
    np.testing.assert_array_equal(np.asarray(a["class_pred"]), np.asarray(b["class_pred"]))
    np.testing.assert_allclose(np.asarray(a["prob_1"]), np.asarray(b["prob_1"]), atol=1e-5)


@pytest.mark.parametrize("command", ["cutouts", "classify", "detect"])
def test_radec_on_mosaics_without_wcs_is_refused_naming_them(field, tmp_path, command):
    root, cfg, _ = field
    out = tmp_path / ("o.h5" if command == "cutouts" else "o.ecsv")
    args = {"cutouts": ["cutouts", root / "nowcs", "--catalog", root / "radec.csv", "-o", out],
            "classify": ["classify", root / "nowcs", "--catalog", root / "radec.csv", "--model",
                         _model(tmp_path, cfg), "-o", out, "--device", "cpu", "--no-progress"],
            "detect": ["detect", root / "nowcs", "--positions", root / "radec.csv", "-o", out, "--no-progress"]}
    res = runner.invoke(app, [str(a) for a in args[command]])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "radec.csv" in text and "no celestial WCS" in text and "toy_" in text, text
    assert "Traceback" not in res.output and not out.exists()


def test_one_based_xy_beside_radec_is_warned_about_on_the_command_line(field, tmp_path):
    """A catalogue with 1-based x, y and its ra, dec was cut one pixel off without a word: the
    commands read it without a WCS, so the x, y - WCS(ra, dec) check never ran."""
    from starclass.io.mosaic import read_mosaics

    root, _, xy = field
    sky = read_mosaics(root / "wcs").wcs.pixel_to_world(np.asarray(xy["x"], float), np.asarray(xy["y"], float))
    for name, shift in (("zero.csv", 0.0), ("one.csv", 1.0)):
        Table({"id": xy["id"], "x": np.asarray(xy["x"]) + shift, "y": np.asarray(xy["y"]) + shift,
               "ra": sky.ra.deg, "dec": sky.dec.deg}).write(tmp_path / name, format="ascii.csv")
    ok = _ok(["cutouts", root / "wcs", "--catalog", tmp_path / "zero.csv", "-o", tmp_path / "a.h5", "--size", "16"])
    assert "1-based" not in ok
    out = " ".join(_ok(["cutouts", root / "wcs", "--catalog", tmp_path / "one.csv", "-o", tmp_path / "b.h5",
                        "--size", "16"]).split())
    assert "warning: catalogue" in out and "one.csv" in out and "+1.00 px" in out and "subtract 1" in out, out


def test_a_blank_ra_of_a_sky_only_catalogue_is_named_not_its_missing_x(field, tmp_path):
    """A ra, dec-only catalogue with one blank ra was refused as "column 'x' ...: no valid position in
    row 3": the file has no column x; the row's ra is what to fix."""
    root, _, _ = field
    t = Table.read(root / "radec.csv", format="ascii.csv")
    t["ra"] = t["ra"].astype(float)
    t["ra"][2] = np.nan
    t.write(tmp_path / "blank.csv", format="ascii.csv")
    res = runner.invoke(app, ["cutouts", str(root / "wcs"), "--catalog", str(tmp_path / "blank.csv"), "-o",
                              str(tmp_path / "s.h5"), "--size", "16"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "columns 'ra', 'dec' in" in text and "blank.csv" in text and "row 3" in text and "column 'x'" not in text


def test_a_catalogue_with_x_but_no_y_is_refused_not_overwritten_from_the_wcs(field):
    """Placing the rows of a catalogue with x and ra, dec but no y replaced its x without a word."""
    from types import SimpleNamespace

    from starclass.errors import StarclassError
    from starclass.io.catalog import place_on_mosaics

    t = Table({"id": [1], "x": [3.0], "ra": [64.0], "dec": [-54.9]})
    with pytest.raises(StarclassError, match=r"c\.csv has x but no 'y'"):
        place_on_mosaics(t, SimpleNamespace(wcs=_wcs((40, 40)), paths={}), "c.csv")


def test_sexagesimal_ra_dec_text_is_read_in_degrees(tmp_path):
    """A catalogue with ra, dec as text ("4:19:59.677", "-54:56:14.82", as many are published) stopped
    with a ValueError traceback ("could not convert string to float") in detect --positions,
    cutouts, classify...; it is read in degrees, and an unreadable cell names its row and id."""
    import astropy.units as u
    from astropy.coordinates import SkyCoord

    from starclass.errors import StarclassError

    sky = SkyCoord([64.9986537, 65.1, 10.0] * u.deg, [-54.9374499, 12.5, 0.25] * u.deg)
    ra = list(sky.ra.to_string(u.hour, sep=":", precision=4))
    ra[1] = sky[1].ra.to_string(u.hour, precision=4)  # 4h20m24s form
    dec = list(sky.dec.to_string(sep=":", precision=3, alwayssign=True))
    dec[2] = "0.25"  # degrees as text
    ra[2] = "10.0"
    Table({"id": [1, 2, 3], "ra": ra, "dec": dec}).write(tmp_path / "c.csv")
    t = read_catalog(tmp_path / "c.csv", require_xy=False)
    np.testing.assert_allclose(np.asarray(t["ra"], float), sky.ra.deg, atol=1e-6)
    np.testing.assert_allclose(np.asarray(t["dec"], float), sky.dec.deg, atol=1e-6)
    Table({"id": [7, 8], "ra": ["4:19:59.677", "nonsense"], "dec": ["-54:56:14.82", "-54:56:14.82"]}).write(
        tmp_path / "bad.csv")
    with pytest.raises(StarclassError, match=r"bad.csv, row 2 \(id 8\): ra 'nonsense' is neither"):
        read_catalog(tmp_path / "bad.csv", require_xy=False)


def test_suggest_on_the_mosaics_places_radec_rows_and_warns_of_one_based_xy(field, tmp_path):
    """suggest --mosaics read the candidates as a catalogue needing x, y and cut its stamps at them
    unchecked: a ra, dec-only catalogue was refused ("required column 'x' missing ... give the
    mosaics/WCS", the mosaics given), and 1-based x, y beside ra, dec were cut a pixel off without the
    warning classify and cutouts now give."""
    root, cfg, xy = field
    model = _model(tmp_path, cfg)
    out = " ".join(_ok(["suggest", model, root / "radec.csv", "--mosaics", root / "wcs", "-n", "3", "--device", "cpu",
                        "-o", tmp_path / "s.ecsv"]).split())
    assert "no x, y; 30 rows placed on the mosaics" in out, out
    assert len(read_catalog(tmp_path / "s.ecsv")) == 3
    sky = read_catalog(root / "radec.csv", require_xy=False)
    Table({"id": xy["id"], "x": np.asarray(xy["x"]) + 1.0, "y": np.asarray(xy["y"]) + 1.0,
           "ra": sky["ra"], "dec": sky["dec"]}).write(tmp_path / "one.csv", format="ascii.csv")
    out = " ".join(_ok(["suggest", model, tmp_path / "one.csv", "--mosaics", root / "wcs", "-n", "3", "--device",
                        "cpu", "-o", tmp_path / "s1.ecsv"]).split())
    assert "warning: catalogue" in out and "one.csv" in out and "+1.00 px" in out and "subtract 1" in out, out
