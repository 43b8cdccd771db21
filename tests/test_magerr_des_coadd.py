"""Magnitude errors of DES coadds: pixel values on the flux scale of MAGZERO = 30, not count rates.

DES DR1/DR2 coadd tiles are made by SWarp from single-epoch images each scaled to the zeropoint 30
(``FSCALE = 10**(0.4 (30 - zp_i))``, zp_i the exposure's zeropoint for its electrons), combined as a
weighted mean; despyfits' ``coadd_assemble --magzero 30`` writes ``MAGZERO``. SWarp writes into the coadd
``EXPTIME`` ("Maximum equivalent exposure time": the stacked exposures' total) and ``GAIN`` ("Maximum
equivalent gain (e-/ADU)": ``(sum w_i)**2 / sum(w_i**2 / g_i)`` with ``g_i = gain_i / FSCALE_i``, SWarp's
``coadd.c``), which is what turns a coadd value into electrons. EXPTIME was read as if the values were
count rates, so the Poisson term was ``F / 540`` instead of ``F / 23.4`` on the coadd below.

The synthetic coadd: six 90 s exposures in electrons (zeropoints 31.35-31.6, sky 900-1300 e-/px), Poisson
draws of the known counts, sky subtracted, scaled to MAGZERO 30 and combined with inverse-variance weights,
as SWarp combines them (``COMBINE_TYPE WEIGHTED``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table

from starclass.detect._images import exptime_of
from starclass.detect.photometry import CandidatePhotometry
from starclass.io.mosaic import read_mosaics

ZP_E = np.array([31.35, 31.5, 31.6, 31.45, 31.55, 31.4])  # each exposure's zeropoint of its electrons
SKY_E = np.array([900.0, 1100.0, 1300.0, 1000.0, 1200.0, 950.0])  # e-/px per exposure
FSCALE = 10 ** (0.4 * (30.0 - ZP_E))
WEIGHT = 1.0 / (SKY_E * FSCALE**2)  # inverse sky variance of each scaled exposure
#: SWarp's equivalent gain of the weighted mean (each input's gain 1 e-/e- over its FSCALE)
GAIN = WEIGHT.sum() ** 2 / np.sum(WEIGHT**2 * FSCALE)
EXPTIME = 90.0 * len(ZP_E)
PSF_SIGMA = 1.8
POSITIONS = [(20.3 + 28 * i, 19.8 + 28 * j) for i in range(3) for j in range(3)]


def _des_header(**extra) -> dict:
    return {"FILTER": "r", "MAGZERO": 30.0, "EXPTIME": EXPTIME, "SATURATE": 1.0e5, **extra}


def _realisations(tmp_path, header: dict, mag: float, n: int, seed: int = 3):
    """Magnitudes and errors of 9 stars of magnitude ``mag`` over ``n`` noisy synthetic DES-like coadds."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:96, :96]
    profile = sum(np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * PSF_SIGMA**2)) / (2 * np.pi * PSF_SIGMA**2)
                  for x, y in POSITIONS)
    flux = 10 ** (0.4 * (30.0 - mag))  # in coadd units
    table = Table({"x": [p[0] for p in POSITIONS], "y": [p[1] for p in POSITIONS]})
    phot = CandidatePhotometry(aperture_correction=None)
    mags, errs = [], []
    for k in range(n):
        scaled = [f * (rng.poisson(flux / f * profile + sky) - sky) for f, sky in zip(FSCALE, SKY_E)]
        coadd = sum(w * v for w, v in zip(WEIGHT, scaled)) / WEIGHT.sum()
        path = tmp_path / f"DES0000+0000_r-{k}.fits"
        fits.writeto(path, coadd.astype(np.float32), fits.Header(header))
        out = phot(read_mosaics({"r": path}, magsys="ab"), table)
        mags.append(np.asarray(out["mag_r"]))
        errs.append(np.asarray(out["magerr_r"]))
    return np.array(mags), np.array(errs)


@pytest.mark.parametrize("mag", [16.5, 21.0])
def test_errors_of_a_des_coadd_match_the_scatter(tmp_path, mag):
    """r = 16.5 (source noise dominates) and r = 21 (sky dominates). The old errors were 0.44 and 0.97 times the
    scatter (EXPTIME 540 s taken as that of count rates)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the header says how to convert: nothing to warn of
        mags, errs = _realisations(tmp_path, _des_header(GAIN=GAIN), mag, n=30)
    ratio = errs.mean(axis=0) / mags.std(axis=0, ddof=1)
    # 30 realisations: each star's scatter is known to ~13%, the mean of 9 stars' ratios to ~5%
    assert ratio.mean() == pytest.approx(1.0, abs=0.2), ratio


def test_without_a_gain_the_errors_of_a_des_like_coadd_are_the_sky_s_and_say_so(tmp_path):
    """No GAIN: the values cannot be turned into electrons (EXPTIME does not do it), so the Poisson term is left
    out with a warning naming the file and the keyword to write."""
    with pytest.warns(UserWarning, match=r"band r: the pixel values of .*DES0000\+0000_r-\d+.fits are in units of "
                                         r"MAGZERO 30 \(mag = 30 - 2.5 log10 value\), not counts \(no positive GAIN .*"
                                         r"sky noise only.*write GAIN into"):
        mags, errs = _realisations(tmp_path, _des_header(), 16.5, n=12)
    ratio = errs.mean(axis=0) / mags.std(axis=0, ddof=1)
    assert ratio.mean() < 0.9, ratio


def test_a_des_coadd_converts_with_its_gain_and_other_images_keep_theirs(tmp_path):
    des = tmp_path / "DES0000+0000_r.fits"
    fits.writeto(des, np.ones((24, 24), np.float32), fits.Header(_des_header(GAIN=GAIN)))
    # a keyword zeropoint on an image whose BUNIT says what the values are: BUNIT decides, as before
    rate = tmp_path / "rate_i.fits"
    fits.writeto(rate, np.ones((24, 24), np.float32),
                 fits.Header({"FILTER": "i", "MAGZERO": 25.0, "BUNIT": "ELECTRONS/S", "EXPTIME": 400.0, "GAIN": 3.0}))
    counts = tmp_path / "counts_i.fits"
    fits.writeto(counts, np.ones((24, 24), np.float32),
                 fits.Header({"FILTER": "i", "MAGZERO": 30.0, "BUNIT": "ELECTRONS", "EXPTIME": 400.0}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert exptime_of(read_mosaics([des], magsys="ab"), "r") == pytest.approx(GAIN)  # not EXPTIME (540)
        assert exptime_of(read_mosaics([rate], magsys="ab"), "i") == 400.0
        assert exptime_of(read_mosaics([counts], magsys="ab"), "i") == 1.0
    no_gain = tmp_path / "nogain_r.fits"
    fits.writeto(no_gain, np.ones((24, 24), np.float32), fits.Header(_des_header()))
    with pytest.warns(UserWarning, match="no positive GAIN"):
        assert exptime_of(read_mosaics([no_gain], magsys="ab"), "r") == math.inf


def test_a_des_coadd_file_uses_its_wgt_plane_as_the_weight_map(tmp_path):
    """A DES coadd holds SCI, MSK and WGT (despyfits coadd_assemble). WGT was not known as a weight map: its
    zero-weight pixels were read as data, and MSK and WGT were named as ignored images."""
    sci = np.ones((32, 32), np.float32)
    wgt = np.ones((32, 32), np.float32)
    wgt[:4] = 0.0  # no exposure covers these rows
    msk = (wgt == 0).astype(np.int16)
    path = tmp_path / "DES0000+0000_r.fits"
    fits.HDUList([fits.PrimaryHDU(sci, fits.Header({**_des_header(GAIN=GAIN), "EXTNAME": "SCI"})),
                  fits.ImageHDU(msk, name="MSK"), fits.ImageHDU(wgt, name="WGT")]).writeto(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ms = read_mosaics([path], magsys="ab")
    assert ms.mask("r").sum() == 4 * 32 and not ms.mask("r")[4:].any()
    assert not [w for w in caught if "ignoring" in str(w.message)], [str(w.message) for w in caught]
