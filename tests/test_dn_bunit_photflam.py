"""A drizzled band in BUNIT 'DN' with PHOTFLAM is refused, naming the file, BUNIT and what to write.

PHOTFLAM is the flux density of 1 count per second (STScI), so its zeropoint needs to know whether the
values are counts (2.5 log10 EXPTIME added) or counts/s. ``BUNIT = 'DN'`` says neither, and HST's
drizzled products hold either. Before, DN was read as a rate without a word: ``detect`` exited 0 and a
400 s image in counts had every magnitude 2.5 log10(400) = 6.5 mag too bright. Now ``detect`` exits 2
naming the file and BUNIT and the BUNIT to write ('ELECTRONS/S' or 'ELECTRONS'), nothing written;
``info`` (which needs no zeropoint) still reads the band and says why it has none. With the BUNIT
written, the counts image measures as the rate image does.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app
from starclass.detect import measure
from starclass.io.mosaic import read_mosaics

PHOTFLAM, PHOTPLAM, EXPTIME = 1.9e-19, 5308.0, 400.0
runner = CliRunner()


def _wcs(n: int) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    return w


def _rate(n: int = 64) -> np.ndarray:
    yy, xx = np.mgrid[:n, :n]
    star = 50.0 / (2 * np.pi) * np.exp(-((xx - 32) ** 2 + (yy - 30) ** 2) / 2.0)
    return (0.3 + star + np.random.default_rng(1).normal(0.0, 0.02, (n, n))).astype(np.float32)


def _drc(path, data, bunit):
    """A MAST-like drizzled file: empty PRIMARY (filter, EXPTIME, PHOT*), SCI with BUNIT, WHT."""
    n = data.shape[0]
    primary = fits.Header({"TELESCOP": "HST", "INSTRUME": "ACS", "FILTER1": "F555W", "FILTER2": "CLEAR2L",
                           "EXPTIME": EXPTIME, "PHOTFLAM": PHOTFLAM, "PHOTPLAM": PHOTPLAM, "PHOTZPT": -21.1})
    sci = _wcs(n).to_header()
    sci["BUNIT"] = bunit
    path.parent.mkdir(exist_ok=True)
    fits.HDUList([fits.PrimaryHDU(header=primary), fits.ImageHDU(data, sci, name="SCI"),
                  fits.ImageHDU(np.ones((n, n), np.float32), _wcs(n).to_header(), name="WHT")]).writeto(path)
    return path


def test_detect_refuses_dn_naming_file_bunit_and_what_to_set(tmp_path):
    _drc(tmp_path / "f" / "dn_drc.fits", _rate() * EXPTIME, "DN")  # counts, as the product may hold
    out = tmp_path / "x.ecsv"
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(out)])
    assert r.exit_code == 2, r.output  # the old code: exit 0, the counts read as counts/s (6.5 mag too bright)
    msg = " ".join(r.output.split())
    assert "dn_drc.fits" in msg and "BUNIT = 'DN'" in msg and "PHOTFLAM" in msg
    assert "value='ELECTRONS/S'" in msg and "value='ELECTRONS'" in msg and "6.51 mag" in msg
    assert "Traceback" not in r.output and not out.exists()


def test_info_reads_a_dn_band_and_says_why_it_has_no_zeropoint(tmp_path):
    _drc(tmp_path / "f" / "dn_drc.fits", _rate() * EXPTIME, "DN")
    r = runner.invoke(app, ["info", str(tmp_path / "f")])
    assert r.exit_code == 0, r.output
    assert "BUNIT DN does not say counts or counts/s" in " ".join(r.output.split())


def test_with_bunit_written_the_counts_image_measures_as_the_rate_image(tmp_path):
    rate = _rate()
    _drc(tmp_path / "rate" / "a_drc.fits", rate, "ELECTRONS/S")
    dn = _drc(tmp_path / "counts" / "a_drc.fits", rate * EXPTIME, "DN")
    fits.setval(dn, "BUNIT", value="ELECTRONS", ext=1)  # what the message says to do for counts
    pos = Table({"id": [1], "x": [32.0], "y": [30.0]})
    mags = {}
    for name in ("rate", "counts"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mags[name] = float(measure(read_mosaics(tmp_path / name, magsys="ab"), pos,
                                       aperture_correction=None)["mag_f555w"][0])
    assert mags["counts"] == pytest.approx(mags["rate"], abs=2e-3)
