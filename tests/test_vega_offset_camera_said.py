"""Whose AB - Vega offset a band takes, said with the band and the data's camera.

starclass has published AB - Vega offsets for ACS/WFC (F435W-F850LP) and WFC3/UVIS (F225W-F814W,
not F475W, F625W, F775W) and none for WFPC2 or other cameras; such a band takes the value of the
camera its ``BANDS`` row is for, with a warning. Before, ``info`` said otherwise: a WFC3/UVIS F475W
mosaic read ``AB - Vega -0.098, WFC3/UVIS`` (ACS/WFC's value passed off as WFC3/UVIS's), a WFPC2
F555W one ``WFC3/UVIS's; no INSTRUME/DETECTOR camera`` (its header says WFPC2), and a band with no
offset at all on WFPC2 (F450W) was refused naming the band alone.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import ab_minus_vega, ab_minus_vega_source
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics

runner = CliRunner()


def _mosaic(path, band, instrument, detector, photflam=5e-18, photplam=5400.0):
    n = 48
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [150.0, 2.2], [n / 2, n / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    yy, xx = np.mgrid[:n, :n]
    img = 0.3 + np.random.default_rng(0).normal(0, 0.02, (n, n)) + 8.0 * np.exp(-((xx - 20) ** 2 + (yy - 24) ** 2) / 3)
    sci = w.to_header()
    sci.update({"BUNIT": "ELECTRONS/S", "PHOTFLAM": photflam, "PHOTPLAM": photplam})
    primary = fits.Header({"TELESCOP": "HST", "INSTRUME": instrument, "DETECTOR": detector,
                           "FILTER": band.upper(), "EXPTIME": 500.0})
    path.parent.mkdir(parents=True, exist_ok=True)
    hdus = [fits.PrimaryHDU(header=primary), fits.ImageHDU(img.astype(np.float32), sci, name="SCI")]
    fits.HDUList(hdus).writeto(path)
    return path


def _describe(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ms = read_mosaics(path)
    return ms.describe(), [str(w.message) for w in caught]


def test_wfc3_uvis_f475w_is_said_to_take_acs_wfcs_offset(tmp_path):
    text, warned = _describe(_mosaic(tmp_path / "u" / "ib_f475w_drc.fits", "f475w", "WFC3", "UVIS", photplam=4770.0))
    assert f"AB - Vega {ab_minus_vega('f475w'):+.3f}, ACS/WFC's, none tabulated for WFC3/UVIS" in text, text
    assert any("'f475w' tabulated for WFC3/UVIS" in w and "--magsys ab" in w for w in warned), warned


def test_wfpc2_f555w_is_said_to_be_wfpc2_not_cameraless(tmp_path):
    text, warned = _describe(_mosaic(tmp_path / "w" / "u2_f555w_c0m.fits", "f555w", "WFPC2", 1))
    assert "WFC3/UVIS's, none tabulated for WFPC2" in text, text
    assert "no INSTRUME/DETECTOR camera" not in text
    assert any("'f555w' tabulated for WFPC2" in w for w in warned), warned


def test_a_band_with_no_offset_is_refused_naming_band_and_camera(tmp_path):
    path = _mosaic(tmp_path / "w" / "u2_f450w_c0m.fits", "f450w", "WFPC2", 2, photplam=4557.0)
    with pytest.raises(StarclassError, match="no AB - Vega offset known for band 'f450w' on WFPC2"):
        read_mosaics(path)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(path), "-o", str(out)])
    text = " ".join(r.output.split())
    assert r.exit_code == 2 and not out.exists(), r.output
    assert "band 'f450w' on WFPC2" in text and "--magsys ab" in text and "Traceback" not in text, text


def test_offsets_of_the_cameras_own_bands_are_said_as_before():
    assert ab_minus_vega_source("f555w", "wfc3/uvis") == "WFC3/UVIS"
    assert ab_minus_vega_source("f814w", "acs/wfc") == "ACS/WFC"
    assert ab_minus_vega_source("f435w") == "ACS/WFC's; no INSTRUME/DETECTOR camera"
    assert ab_minus_vega_source("g", "megacam") == "a generic value, none tabulated for MEGACAM"
