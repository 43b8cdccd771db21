"""Photometry where a band has no data: at no candidate (a crash before), in none of its pixels, and off the image.

Until 2026-12-06 ``measure`` and ``detect`` failed with ``IndexError('index 0 is out of bounds for axis 1 with
size 0')`` when a band's footprint missed every candidate (no candidate had a usable annulus pixel in it), while
one candidate with data in it was enough for the others to read NaN. ``measure`` refused a table with rows off
the image naming only the first kind of fault and not saying that ``measure_on_image`` (what ``detect
--positions`` and the survey use) keeps such rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.detect import ArrayMosaics, detect, measure
from starclass.detect.photometry import measure_on_image
from starclass.errors import StarclassError

SHAPE = (160, 160)
XY = [(20.0, 20.0), (60.0, 60.0), (100.0, 30.0)]  # all in the lower-left 125 x 125 px


def _mosaics(nan: dict[str, tuple[slice, slice]]) -> ArrayMosaics:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    data = {}
    for b in ("f555w", "f814w"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in XY:
            img += (40.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        if b in nan:
            img[nan[b]] = np.nan
        data[b] = img
    return ArrayMosaics(data, {"f555w": 25.0, "f814w": 24.0})


def _given() -> Table:
    return Table({"x": [p[0] for p in XY], "y": [p[1] for p in XY]})


@pytest.mark.parametrize("correction", [None, "ci", "growth"])
def test_a_band_whose_footprint_misses_every_candidate_reads_nan(correction):
    m = _mosaics({"f814w": (slice(0, 125), slice(0, 125))})
    out = measure(m, _given(), aperture_correction=correction)
    assert np.isnan(np.asarray(out["mag_f814w"], float)).all()
    full = measure(_mosaics({}), _given(), aperture_correction=correction)
    # the V band measured as without the hole: nothing of F814W enters it
    np.testing.assert_allclose(np.asarray(out["mag_f555w"], float), np.asarray(full["mag_f555w"], float), atol=1e-6)
    found = detect(m, aperture_correction=correction, progress=False)
    assert len(found) == len(XY) and np.isnan(np.asarray(found["mag_f814w"], float)).all()


def test_a_band_without_any_data_is_refused_unless_kept():
    m = _mosaics({"f814w": (slice(None), slice(None))})
    with pytest.raises(StarclassError, match="band f814w.*no usable pixel"):
        measure(m, _given(), aperture_correction="ci")
    with pytest.raises(StarclassError, match="band f814w.*no usable pixel"):
        detect(m, aperture_correction="ci", progress=False)
    out = measure(m, _given(), aperture_correction="ci", keep_empty_bands=True)
    assert out.meta["no_usable_pixel"] == ["f814w"] and np.isnan(np.asarray(out["mag_f814w"], float)).all()
    full = measure(_mosaics({}), _given(), aperture_correction="ci")
    for c in ("mag_f555w", "ci", "masked_frac"):
        np.testing.assert_allclose(np.asarray(out[c], float), np.asarray(full[c], float), atol=1e-6, err_msg=c)
    found = detect(m, aperture_correction="ci", progress=False, keep_empty_bands=True)
    assert len(found) == len(XY) and found.meta["no_usable_pixel"] == ["f814w"]
    assert "no_usable_pixel" not in full.meta


def test_a_v_band_without_any_data_leaves_the_others_measured_as_on_its_nan_area():
    """Kept, an empty V band gives what rows on the V band's NaN area of a whole image get."""
    empty = _mosaics({"f555w": (slice(None), slice(None))})
    out = measure(empty, _given(), aperture_correction="ci", keep_empty_bands=True)
    part = measure(_mosaics({"f555w": (slice(0, 125), slice(0, 125))}), _given(), aperture_correction="ci")
    assert out.meta["no_usable_pixel"] == ["f555w"]
    assert np.isnan(np.asarray(out["ci"], float)).all() and np.asarray(out["masked_frac"]).tolist() == [1.0] * 3
    assert np.isfinite(np.asarray(out["mag_f814w"], float)).all()
    for c in ("mag_f555w", "mag_f814w", "ci", "masked_frac"):
        np.testing.assert_allclose(np.asarray(out[c], float), np.asarray(part[c], float), atol=1e-6, err_msg=c)
    with pytest.raises(StarclassError, match="band f555w.*no usable pixel"):  # nothing to detect in
        detect(empty, progress=False, keep_empty_bands=True)


def test_measure_names_the_rows_off_the_image_and_points_to_measure_on_image():
    m = _mosaics({})
    given = Table({"id": [7, 8, 9, 10], "x": [20.0, 500.0, 60.0, 100.0], "y": [20.0, 40.0, np.nan, 30.0]})
    with pytest.raises(StarclassError) as err:
        measure(m, given, aperture_correction=None)
    said = str(err.value)
    # both faults in one message, each row by its number and id
    assert "missing/non-finite x or y in 1 row: row 3 (id 9)" in said, said
    assert "positions off the 160 x 160 image in 1 row: row 2 (id 8) x=500.00" in said, said
    assert "measure_on_image() measures the others and keeps these rows unmeasured" in said, said
    out, off = measure_on_image(m, given, aperture_correction=None)
    assert off.tolist() == [False, True, True, False]
    assert np.isfinite(np.asarray(out["mag_f555w"], float)[~off]).all()
    assert np.isnan(np.asarray(out["mag_f555w"], float)[off]).all()


def test_detect_says_which_candidates_lie_beyond_a_band_s_footprint(tmp_path, monkeypatch):
    """detect wrote NaN mag_f814w for the candidates beyond F814W's footprint without a word (a survey says so),
    and detect --positions counted the given positions wholly on the V band's NaN area nowhere."""
    from typer.testing import CliRunner

    from starclass.bands import BANDS
    from starclass.cli import app
    from starclass.io.mosaic import write_mosaic

    monkeypatch.chdir(tmp_path)
    m = _mosaics({"f814w": (slice(0, 125), slice(0, 45))})  # covers (20, 20) only
    for b in m.bands:
        write_mosaic(tmp_path / f"m_{b}.fits", m.data[b], b, None, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)
    runner = CliRunner()
    r = runner.invoke(app, ["detect", "m_f555w.fits", "m_f814w.fits", "-o", "c.ecsv", "--no-progress"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("note: 1 candidate has no data in band f814w at its centre (NaN or zero weight: beyond its footprint "
            "or a masked patch): mag_f814w NaN or missing that light") in said, said
    v = _mosaics({"f555w": (slice(0, 125), slice(0, 45))})
    for b in v.bands:
        write_mosaic(tmp_path / f"v_{b}.fits", v.data[b], b, None, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)
    Table({"id": [1, 2, 3], "x": [p[0] for p in XY], "y": [p[1] for p in XY]}).write(tmp_path / "given.ecsv")
    r = runner.invoke(app, ["detect", "v_f555w.fits", "v_f814w.fits", "-o", "g.ecsv", "--no-progress",
                            "--positions", "given.ecsv"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("note: 1 candidate has no data in the whole 4 px aperture of the V band f555w (NaN or zero weight: "
            "beyond its footprint or a masked patch; masked_frac 1): mag_f555w, ci, mci_*, bkg and fwhm NaN") in said
    assert "no data in band f814w" not in said, said
