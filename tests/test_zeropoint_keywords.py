"""Zeropoints from header keywords only: an AB zeropoint keyword, and what the refusal tells a CLI user."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics

# F555W on WFC3/UVIS as the simulator writes it: PHOTFLAM 1.9e-19, PHOTPLAM 5308 A, AB - Vega = -0.03
AB_BY_HAND = -2.5 * np.log10(1.9e-19) - 5.0 * np.log10(5308.0) - 2.408  # 25.7705
VEGA_BY_HAND = AB_BY_HAND + 0.03


def _drc(path, sci_keys, exptime=400.0):
    """A drizzled product: empty primary (FILTER, EXPTIME), image in SCI."""
    prim = fits.PrimaryHDU()
    prim.header["FILTER"] = "F555W"
    prim.header["EXPTIME"] = exptime
    sci = fits.ImageHDU(np.random.default_rng(0).normal(1, 0.1, (20, 20)).astype(np.float32), name="SCI")
    sci.header.update(sci_keys)
    fits.HDUList([prim, sci]).writeto(path)
    return path


def test_hand_computed_zeropoint_from_photflam():
    assert AB_BY_HAND == pytest.approx(25.7705, abs=1e-4)


@pytest.mark.parametrize("key", ["ABMAGZP", "ZPAB"])
def test_ab_zeropoint_keyword_is_read_and_put_on_vega(tmp_path, key):
    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "ELECTRONS/S", key: AB_BY_HAND})
    assert read_mosaics([path], magsys="ab").zeropoint["f555w"] == pytest.approx(AB_BY_HAND, abs=1e-6)
    # the same band with PHOTFLAM/PHOTPLAM gives the same Vega zeropoint
    vega = read_mosaics([path]).zeropoint["f555w"]
    assert vega == pytest.approx(VEGA_BY_HAND, abs=1e-6)
    ref = _drc(tmp_path / "r_f555w_drc.fits", {"BUNIT": "ELECTRONS/S", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0})
    assert read_mosaics([ref]).zeropoint["f555w"] == pytest.approx(vega, abs=1e-9)


def test_a_keyword_zeropoint_on_counts_is_of_the_stored_counts(tmp_path):
    # a keyword zeropoint is of the values as stored (MegaPipe: AB = -2.5 log10(counts) + 30): 2.5 log10(EXPTIME)
    # was added as for PHOTFLAM (the flux of 1 e-/s), 6.5 mag too faint at 400 s
    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "ELECTRONS", "ABMAGZP": 30.0})
    ms = read_mosaics([path], magsys="ab")
    assert ms.zeropoint["f555w"] == pytest.approx(30.0, abs=1e-9)
    # by hand: 1e4 counts in the file are AB 30 - 2.5 log10(1e4) = 20 whatever the exposure time
    assert -2.5 * np.log10(1e4) + ms.zeropoint["f555w"] == pytest.approx(20.0, abs=1e-9)
    assert read_mosaics([path]).zeropoint["f555w"] == pytest.approx(30.0 + 0.03, abs=1e-9)  # Vega = AB - (AB - Vega)
    # info's line says which convention the number assumes
    assert "ABMAGZP (AB), of the stored electrons: no EXPTIME added" in ms.describe()


def test_an_unstated_keyword_zeropoint_on_counts_is_used_as_given(tmp_path):
    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "COUNTS", "MAGZERO": 27.5}, exptime=90.0)
    assert read_mosaics([path]).zeropoint["f555w"] == pytest.approx(27.5, abs=1e-9)


def test_photflam_on_counts_still_adds_the_exposure_time_and_says_so(tmp_path):
    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "ELECTRONS", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0})
    ms = read_mosaics([path])
    assert ms.zeropoint["f555w"] == pytest.approx(VEGA_BY_HAND + 2.5 * np.log10(400.0), abs=1e-6)
    assert "PHOTFLAM/PHOTPLAM per second + 2.5 log10(EXPTIME 400 s)" in ms.describe()


def test_detect_names_a_keyword_zeropoint_taken_for_the_stored_counts(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "ELECTRONS", "MAGZERO": 30.0})
    res = CliRunner().invoke(app, ["detect", str(path), "--output", str(tmp_path / "c.ecsv")])
    assert "f555w 30.000 (from MAGZERO, of the stored electrons: no EXPTIME added)" in res.output


def test_photflam_with_photzpt_but_no_photplam_says_what_is_missing_and_how_to_add_it(tmp_path):
    path = _drc(tmp_path / "g_f555w_drc.fits", {"BUNIT": "ELECTRONS/S", "PHOTFLAM": 1.9e-19, "PHOTZPT": -21.1})
    with pytest.raises(StarclassError) as err:
        read_mosaics([path])
    msg = str(err.value)
    assert "g_f555w_drc.fits" in msg and "no PHOTPLAM" in msg
    # the old message offered only a Python keyword (zeropoints=...), which no command takes
    assert "ABMAGZP" in msg and "copy of the file" in msg


def _counts_image(path, keys):
    """An image in electrons (not per second) with PHOTFLAM/PHOTPLAM and the given exposure keywords."""
    head = fits.Header({"FILTER": "F555W", "BUNIT": "ELECTRONS", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, **keys})
    fits.writeto(path, np.random.default_rng(0).normal(100, 5, (20, 20)).astype(np.float32), head)
    return path


def test_counts_zeropoint_reads_the_exposure_keywords_the_errors_read(tmp_path):
    """The magnitude errors read TEXPTIME / XPOSURE where EXPTIME is absent (b447952); the zeropoint of an image
    in electrons with PHOTFLAM refused such a file ('has no positive EXPTIME'), and a text EXPTIME stopped
    read_mosaics (and 'starclass info') with 'ValueError: could not convert string to float'."""
    per_second = AB_BY_HAND + 0.03  # Vega, of e-/s
    for key in ("TEXPTIME", "XPOSURE"):
        path = _counts_image(tmp_path / f"{key}_f555w.fits", {key: 400.0})
        ms = read_mosaics([path])
        # 2.5 log10(400) = 6.5051 by hand
        assert ms.zeropoint["f555w"] == pytest.approx(per_second + 6.5051, abs=1e-4)
        assert f"{key} 400 s" in ms.zeropoint_origin["f555w"]
    path = _counts_image(tmp_path / "text_f555w.fits", {"EXPTIME": "UNKNOWN"})
    with pytest.raises(StarclassError, match=r"text_f555w\.fits is in ELECTRONS .* no positive exposure time "
                                             r"\(EXPTIME/TEXPTIME/XPOSURE; EXPTIME is 'UNKNOWN'\)"):
        read_mosaics([path])
