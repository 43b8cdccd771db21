"""Magnitude errors of images in calibrated flux units (SDSS nanomaggies, Pan-STARRS1 stacks, MJy/sr).

SDSS DR16 data model, ``frame``: pixel values in nanomaggies; ``NMGY`` in the header is nanomaggies per count
(DN); the noise in DN is ``sqrt(dn / gain + darkVariance)`` with the gain (e-/DN) from a table per camera column
and filter. So the Poisson variance of a flux F (nanomaggies) is ``F NMGY / GAIN``, not ``F / EXPTIME`` as for a
count-rate image: EXPTIME was read as if the values were count rates.
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

GAIN, NMGY, EXPTIME, SKY_DN, PSF_SIGMA = 4.7, 0.005, 53.907456, 150.0, 1.5
POSITIONS = [(20.3 + 28 * i, 19.8 + 28 * j) for i in range(3) for j in range(3)]


def _realisations(tmp_path, header: dict, star_nmgy: float, n: int, seed: int = 1):
    """Magnitudes and errors of 9 stars of ``star_nmgy`` over ``n`` noisy SDSS-like frames (electrons drawn by
    Poisson from the known counts, sky subtracted, calibrated to nanomaggies as SDSS does)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:96, :96]
    model_dn = sum(star_nmgy / NMGY * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * PSF_SIGMA**2))
                   / (2 * np.pi * PSF_SIGMA**2) for x, y in POSITIONS)
    table = Table({"x": [p[0] for p in POSITIONS], "y": [p[1] for p in POSITIONS]})
    phot = CandidatePhotometry(aperture_correction=None)
    mags, errs = [], []
    for k in range(n):
        electrons = rng.poisson((model_dn + SKY_DN) * GAIN)
        path = tmp_path / f"frame-r-{k}.fits"
        fits.writeto(path, ((electrons / GAIN - SKY_DN) * NMGY).astype(np.float32), fits.Header(header))
        out = phot(read_mosaics({"r": path}, magsys="ab"), table)
        mags.append(np.asarray(out["mag_r"]))
        errs.append(np.asarray(out["magerr_r"]))
    return np.array(mags), np.array(errs)


@pytest.mark.parametrize("star_nmgy", [100.0, 5.0])
def test_errors_of_a_frame_in_nanomaggies_match_the_scatter(tmp_path, star_nmgy):
    """r = 17.5 (source noise dominates) and r = 20.75 (sky dominates). The old errors were 3.1 and 1.4 times the
    scatter of the magnitudes (EXPTIME taken as of count rates)."""
    header = {"FILTER": "r", "BUNIT": "nanomaggy", "EXPTIME": EXPTIME, "NMGY": NMGY, "GAIN": GAIN}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the conversion is known: nothing to say
        mags, errs = _realisations(tmp_path, header, star_nmgy, n=30)
    ratio = errs.mean(axis=0) / mags.std(axis=0, ddof=1)
    # 30 realisations: each star's scatter is known to ~13%, the mean of 9 stars' ratios to ~5%
    assert ratio.mean() == pytest.approx(1.0, abs=0.2), ratio


def test_without_a_gain_the_errors_are_the_sky_s_and_say_so(tmp_path):
    """SDSS frames carry NMGY but not the gain: the Poisson part is unknown, left out with a warning (the old
    errors were 3.1 times the scatter, without a word)."""
    header = {"FILTER": "r", "BUNIT": "nanomaggy", "EXPTIME": EXPTIME, "NMGY": NMGY}
    with pytest.warns(UserWarning, match=r"band r: the pixel values of .*frame-r-\d+.fits are in nanomaggy, not counts "
                                         r"\(no positive GAIN \(e-/DN\) in its header.*sky noise only"):
        mags, errs = _realisations(tmp_path, header, 100.0, n=12)
    ratio = errs.mean(axis=0) / mags.std(axis=0, ddof=1)
    # sky only: below the scatter of a source-noise-dominated star, never above it
    assert ratio.mean() < 0.9, ratio


@pytest.mark.parametrize(("header", "unit"), [
    ({"HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0}, "Pan-STARRS1 stack units"),
    ({"BUNIT": "MJy/sr", "XPOSURE": 1000.0}, "MJy/sr"),
])
def test_other_calibrated_units_have_no_poisson_term_and_say_so(tmp_path, header, unit):
    path = tmp_path / "image_i.fits"
    fits.writeto(path, np.ones((24, 24), np.float32), fits.Header({"FILTER": "i", "ABMAGZP": 25.0, **header}))
    ms = read_mosaics([path], magsys="ab")
    with pytest.warns(UserWarning, match=rf"image_i.fits are in {unit}, not counts"):
        assert exptime_of(ms, "i") == math.inf


def test_the_conversion_is_gain_over_nmgy_and_rate_images_keep_their_exposure_time(tmp_path):
    frame = tmp_path / "frame-r.fits"
    fits.writeto(frame, np.ones((24, 24), np.float32), fits.Header({"FILTER": "r", "BUNIT": "nanomaggy",
                                                                    "EXPTIME": EXPTIME, "NMGY": NMGY, "GAIN": GAIN}))
    hst = tmp_path / "x_f555w.fits"
    fits.writeto(hst, np.ones((24, 24), np.float32), fits.Header({"FILTER": "F555W", "PHOTFLAM": 1.9e-19,
                                                                  "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS/S",
                                                                  "EXPTIME": 400.0}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert exptime_of(read_mosaics([frame], magsys="ab"), "r") == pytest.approx(GAIN / NMGY)  # e- per nmgy
        assert exptime_of(read_mosaics([hst]), "f555w") == 400.0
