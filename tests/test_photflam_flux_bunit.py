"""A drizzled mosaic whose values are a calibrated flux (BUNIT MJy/sr, erg/s/cm2/A) keeps PHOTFLAM: refused.

PHOTFLAM is the flux density of 1 e-/s (STScI), so its zeropoint is of count rates. An HST mosaic put
in MJy/sr (to sit beside JWST's) or in erg/s/cm2/A with its PHOTFLAM/PHOTPLAM kept was measured with
that zeropoint as if its values were e-/s: `starclass detect` exited 0 and every magnitude was wrong
(by -2.5 log10 PHOTFLAM, about 47 mag, for erg/s/cm2/A; by 2.5 log10 of PHOTFLAM over the pixel's
flux in MJy/sr for MJy/sr), without a word. Now such a band is refused (exit 2, nothing written)
naming the file and BUNIT and giving the AB zeropoint of the stored values to write (ABMAGZP); with
ABMAGZP written beside PHOTFLAM the band's magnitudes are those of the same image in e-/s.
"""

from __future__ import annotations

import re
import warnings

import astropy.units as u
import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app
from starclass.detect import measure
from starclass.io.mosaic import read_mosaics

PHOTFLAM, PHOTPLAM = 1.9e-19, 5308.0
SCALE = 0.04  # arcsec / px
runner = CliRunner()


def _wcs(n: int) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    t = np.deg2rad(30.0)  # a rotated CD matrix, as drizzled products have
    w.wcs.cd = SCALE / 3600 * np.array([[-np.cos(t), np.sin(t)], [np.sin(t), np.cos(t)]])
    return w


def _rate(n: int = 64) -> np.ndarray:
    yy, xx = np.mgrid[:n, :n]
    star = 50.0 / (2 * np.pi) * np.exp(-((xx - 32) ** 2 + (yy - 30) ** 2) / 2.0)
    return (0.3 + star + np.random.default_rng(1).normal(0.0, 0.02, (n, n))).astype(np.float32)


def _drc(path, data, bunit, filter1="F555W", extra=None):
    """A MAST-like drizzled file: empty PRIMARY (filter, PHOT*), SCI with BUNIT and a CD WCS, WHT."""
    n = data.shape[0]
    primary = fits.Header({"TELESCOP": "HST", "INSTRUME": "ACS", "FILTER1": filter1, "FILTER2": "CLEAR2L",
                           "EXPTIME": 400.0, "PHOTFLAM": PHOTFLAM, "PHOTPLAM": PHOTPLAM, "PHOTZPT": -21.1})
    sci = _wcs(n).to_header()
    sci["BUNIT"] = bunit
    for k, v in (extra or {}).items():
        sci[k] = v
    fits.HDUList([fits.PrimaryHDU(header=primary), fits.ImageHDU(data, sci, name="SCI"),
                  fits.ImageHDU(np.ones((n, n), np.float32), _wcs(n).to_header(), name="WHT")]).writeto(path)
    return path


def _in_mjy_sr(rate: np.ndarray) -> np.ndarray:
    """e-/s -> MJy/sr by hand: PHOTFLAM gives f_lambda, c / lambda^2 gives f_nu, over the pixel's solid angle."""
    flam = rate.astype(float) * PHOTFLAM * u.erg / u.s / u.cm**2 / u.AA
    fnu = flam.to(u.Jy, equivalencies=u.spectral_density(PHOTPLAM * u.AA))
    return (fnu / ((SCALE * u.arcsec) ** 2)).to_value(u.MJy / u.sr).astype(np.float32)


@pytest.mark.parametrize(("bunit", "convert", "zp"), [
    ("MJy/sr", _in_mjy_sr, -2.5 * np.log10(1e6 * (SCALE / 206264.806) ** 2 / 3631)),  # 27.46 at 0.04"/px
    ("ERG/S/CM2/A", lambda r: (r * PHOTFLAM).astype(np.float32), -5 * np.log10(PHOTPLAM) - 2.408),  # STScI, PHOTFLAM=1
])
def test_photflam_on_a_flux_image_is_refused_naming_file_and_bunit(tmp_path, bunit, convert, zp):
    rate = _rate()
    (tmp_path / "f").mkdir()
    _drc(tmp_path / "f" / "jcdu01010_drc.fits", convert(rate), bunit)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(out)])
    assert r.exit_code == 2, r.output  # the old code: exit 0, magnitudes of the flux values taken as e-/s
    msg = " ".join(r.output.split())
    assert "jcdu01010_drc.fits" in msg and f"BUNIT = '{bunit}'" in msg and "PHOTFLAM" in msg
    assert "Traceback" not in r.output and not out.exists()
    said = float(re.search(r"'ABMAGZP', value=(-?[0-9.]+)", msg).group(1))
    assert said == pytest.approx(zp, abs=2e-3)  # the AB zeropoint of the stored values, by hand


def test_abmagzp_written_beside_photflam_gives_the_magnitudes_of_the_rate_image(tmp_path):
    rate = _rate()
    (tmp_path / "rate").mkdir()
    (tmp_path / "flux").mkdir()
    _drc(tmp_path / "rate" / "a_drc.fits", rate, "ELECTRONS/S")
    zp = -2.5 * np.log10(1e6 * (SCALE / 206264.806) ** 2 / 3631)
    _drc(tmp_path / "flux" / "a_drc.fits", _in_mjy_sr(rate), "MJy/sr", extra={"ABMAGZP": zp})
    pos = Table({"id": [1], "x": [32.0], "y": [30.0]})
    mags = {}
    for name in ("rate", "flux"):
        ms = read_mosaics(tmp_path / name, magsys="ab")
        assert ms.bands == ["f555w"]  # FILTER1 of the primary, FILTER2 CLEAR; WHT not a band
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # MJy/sr: no Poisson term in the errors (said elsewhere)
            mags[name] = float(measure(ms, pos, aperture_correction=None)["mag_f555w"][0])
    # the old code took PHOTFLAM (25.77) for the MJy/sr values: 2.0 mag off here
    assert mags["flux"] == pytest.approx(mags["rate"], abs=2e-3)

