"""BUNIT spellings of counts and of count rates: 'e-' and the FITS standard's 'ct' are counts.

An HST-like image stored in counts with ``BUNIT = 'e-'`` or ``'ct'`` was read as a count rate, so
its PHOTFLAM zeropoint lacked ``2.5 log10(EXPTIME)`` (6.5 mag for 400 s: every magnitude that much
too bright, without a word); a rate written as astropy writes units (``electron.s**-1``) was read
as counts, 6.5 mag too faint. Each spelling must give the magnitudes of the same image stored in
ELECTRONS/S.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS

from starclass.detect import measure
from starclass.io.mosaic import read_mosaics, write_mosaic

EXPTIME = 400.0


def _wcs(n: int) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    return w


def _rate_image(n: int = 64) -> np.ndarray:
    yy, xx = np.mgrid[:n, :n]
    star = 50.0 / (2 * np.pi * 1.0) * np.exp(-((xx - 32) ** 2 + (yy - 30) ** 2) / 2.0)
    noise = np.random.default_rng(1).normal(0.0, 0.02, (n, n))
    return (0.3 + star + noise).astype(np.float32)


def _mag(folder, data, bunit) -> tuple[float, float]:
    folder.mkdir()
    write_mosaic(folder / "f_f555w.fits", data, "f555w", _wcs(data.shape[0]), photflam=1.9e-19, photplam=5308.0,
                 exptime=EXPTIME, extra_header={"BUNIT": bunit})
    ms = read_mosaics(folder)
    out = measure(ms, Table({"id": [1], "x": [32.0], "y": [30.0]}), aperture_correction=None)
    return ms.zeropoint["f555w"], float(out["mag_f555w"][0])


@pytest.mark.parametrize("bunit", ["e-", "ct", "cts", "E-"])
def test_counts_spellings_give_the_magnitudes_of_the_rate_image(tmp_path, bunit):
    rate = _rate_image()
    zp_rate, mag_rate = _mag(tmp_path / "rate", rate, "ELECTRONS/S")
    zp, mag = _mag(tmp_path / "counts", rate * EXPTIME, bunit)
    assert zp == pytest.approx(zp_rate + 2.5 * np.log10(EXPTIME), abs=1e-9)
    assert mag == pytest.approx(mag_rate, abs=1e-4)  # the old code: 6.5 mag too bright (15.05 for 21.55)


@pytest.mark.parametrize("bunit", ["electron.s**-1", "ct s^-1", "e-/s", "electron s-1"])
def test_rate_spellings_are_rates(tmp_path, bunit):
    rate = _rate_image()
    zp_rate, mag_rate = _mag(tmp_path / "rate", rate, "ELECTRONS/S")
    zp, mag = _mag(tmp_path / "other", rate, bunit)
    assert zp == pytest.approx(zp_rate, abs=1e-9)
    assert mag == pytest.approx(mag_rate, abs=1e-4)  # electron.s**-1: 6.5 mag too faint before
