"""Per-source aperture corrections: model family, stellar-locus PSF calibration."""

from __future__ import annotations

import math

import numpy as np
import pytest
from astropy.table import Table

from starclass.detect import ArrayMosaics, apcorr, measure


def _render(kind, positions, shape, fwhm=2.2, beta=2.0, a=1.5, gamma=3.0, flux=100.0, sup=5):
    """Pixel-integrated Moffat stars (kind='star') or EFF * Moffat clusters (kind='eff')."""
    from scipy.signal import fftconvolve

    img = np.zeros(shape)
    h = 40
    n = (2 * h + 1) * sup
    c = (np.arange(n) - n // 2) / sup
    r2 = c[:, None] ** 2 + c[None, :] ** 2
    alpha = fwhm / (2 * math.sqrt(2 ** (1 / beta) - 1))
    psf = (1 + r2 / alpha**2) ** (-beta)
    if kind == "star":
        model = psf / psf.sum()
    else:
        eff = (1 + r2 / a**2) ** (-gamma / 2)
        eff *= (1 - (1 + (h / a) ** 2) ** (1 - gamma / 2)) / eff.sum()
        model = fftconvolve(eff, psf / psf.sum(), mode="same")
    pix = model.reshape(2 * h + 1, sup, 2 * h + 1, sup).sum(axis=(1, 3)) * flux
    for x, y in positions:
        img[y - h:y + h + 1, x - h:x + h + 1] += pix
    return img


def test_model_point_source_has_smallest_ci_and_correction():
    a, ci, corr = apcorr.model_curves(2.0)
    assert a[0] == 0 and np.all(np.diff(ci[:10]) > 0)
    assert corr[0] < 0 and np.all(np.diff(corr) <= 1e-9)  # bigger objects need more
    assert apcorr.point_source_ci(2.5) > apcorr.point_source_ci(2.0)
    assert apcorr.calibrate_psf_fwhm(apcorr.point_source_ci(2.3)) == pytest.approx(2.3, abs=0.02)


def test_ci_correction_recovers_total_magnitude_of_moffat_star_and_eff_cluster():
    shape = (200, 200)
    img = _render("star", [(50, 50)], shape) + _render("eff", [(140, 140)], shape)
    m = ArrayMosaics({"f555w": img.astype(np.float32)}, {"f555w": 25.0})
    t = Table({"x": [50.0, 140.0], "y": [50.0, 140.0]})
    raw = measure(m, t, aperture_correction=None)
    out = measure(m, t, aperture_correction="ci", psf_fwhm=2.2)
    total = 25.0 - 2.5 * math.log10(100.0)
    assert raw["mag_f555w"][0] - total > 0.1  # the 4 px aperture misses the Moffat wings
    assert out["mag_f555w"][0] == pytest.approx(total, abs=0.03)
    assert out["mag_f555w"][1] == pytest.approx(total, abs=0.08)


def test_stellar_locus_calibrates_psf_fwhm():
    rng = np.random.default_rng(0)
    shape = (400, 400)
    pos = [(x, y) for x in range(45, 360, 45) for y in range(45, 360, 45)]
    img = _render("star", pos, shape, fwhm=2.4) + rng.normal(0, 0.002, shape)
    m = ArrayMosaics({"f555w": img.astype(np.float32)}, {"f555w": 25.0}, exptime={"f555w": 1e6})
    t = Table({"x": [float(p[0]) for p in pos], "y": [float(p[1]) for p in pos]})
    out = measure(m, t, aperture_correction="ci")
    assert out.meta["apcorr_psf_fwhm_px"]["f555w"] == pytest.approx(2.4, abs=0.1)
    assert np.median(out["mag_f555w"]) == pytest.approx(25.0 - 5.0, abs=0.03)


def test_ci_correction_cap():
    ci = apcorr.ci_aperture_correction(np.array([1.0, 3.0]), psf_fwhm_v=2.0, max_correction=0.8)
    assert ci[1] == pytest.approx(-0.8) and ci[0] > -0.8


def _eff_gaussian_psf_image(shape, stars, clusters, psf_fwhm=2.0, sup=5, h=34, truncate=32.0):
    """Pixel-integrated Gaussian-PSF stars and EFF clusters (truncated at ``truncate`` px).

    ``stars``: [(x, y, flux)]; ``clusters``: [(x, y, flux, core_radius, gamma)]. Each object
    holds exactly ``flux`` (the EFF profile is cut at ``truncate`` px and normalised there:
    the total that ``measure`` reports is the light within 32 px).
    """
    from scipy.signal import fftconvolve

    img = np.zeros(shape)
    n = (2 * h + 1) * sup
    c = (np.arange(n) - n // 2) / sup
    r2 = c[:, None] ** 2 + c[None, :] ** 2
    s = psf_fwhm / 2.3548
    psf = np.exp(-r2 / (2 * s * s))
    psf /= psf.sum()
    star = psf.reshape(2 * h + 1, sup, 2 * h + 1, sup).sum(axis=(1, 3))
    for x, y, f in stars:
        img[y - h:y + h + 1, x - h:x + h + 1] += f * star
    for x, y, f, a, g in clusters:
        eff = (1 + r2 / a**2) ** (-g / 2)
        eff[r2 > truncate**2] = 0.0
        model = fftconvolve(eff / eff.sum(), psf, mode="same")
        pix = model.reshape(2 * h + 1, sup, 2 * h + 1, sup).sum(axis=(1, 3))
        img[y - h:y + h + 1, x - h:x + h + 1] += f * pix / pix.sum()
    return img


def test_growth_total_magnitude_of_extended_eff_sources_with_gaussian_psf():
    """Default photometry (per-source curve of growth) gives EFF clusters their total magnitude."""
    rng = np.random.default_rng(1)
    shape = (460, 420)
    stars = [(x, y, 300.0) for x in range(40, 400, 60) for y in (40, 100, 410)]  # 18 stars: the PSF
    clusters = [(70, 200, 150.0, 1.0, 3.0), (190, 200, 150.0, 2.0, 3.0), (310, 200, 150.0, 1.5, 2.5),
                (70, 320, 150.0, 2.5, 3.5), (190, 320, 150.0, 0.7, 2.5), (310, 320, 150.0, 3.0, 4.0)]
    img = _eff_gaussian_psf_image(shape, stars, clusters) + 0.05 + rng.normal(0, 0.002, shape)
    m = ArrayMosaics({"f555w": img.astype(np.float32)}, {"f555w": 25.0}, exptime={"f555w": 1e5})
    objs = clusters + stars  # measured together, as detect() would: the stars give the PSF
    t = Table({"x": [float(c[0]) for c in objs], "y": [float(c[1]) for c in objs]})
    total = 25.0 - 2.5 * math.log10(150.0)
    k = len(clusters)
    out = measure(m, t)  # default: aperture_correction="growth"
    assert out.meta["aperture_correction"] == "growth"
    raw = measure(m, t, aperture_correction=None)
    assert np.all(raw["mag_f555w"][:k] - total > 0.1)  # 4 px apertures miss a lot of the light
    dm = np.asarray(out["mag_f555w"][:k] - total)
    assert np.all(np.abs(dm) < 0.05), dm
    star_total = 25.0 - 2.5 * math.log10(300.0)
    assert np.all(np.abs(out["mag_f555w"][k:] - star_total) < 0.03)
    # the PSF of the image was estimated from its stars (a Gaussian: the steepest Moffat)
    assert out.meta["apcorr_psf_source"] == "stars"
    assert out.meta["apcorr_psf_beta"] >= 3.0


def test_growth_total_of_point_sources_and_robust_rings():
    """Stars get their total flux; a neighbour 7 px away does not leak into the total."""
    shape = (300, 300)
    stars = [(x, y, 300.0) for x in range(40, 280, 50) for y in (40, 110, 180)]
    img = _eff_gaussian_psf_image(shape, stars, [], psf_fwhm=2.2)
    img += _eff_gaussian_psf_image(shape, [(97, 247, 300.0)], [], psf_fwhm=2.2)  # neighbour of (90, 247)
    img += _eff_gaussian_psf_image(shape, [(90, 247, 300.0)], [], psf_fwhm=2.2)
    img += 0.05 + np.random.default_rng(2).normal(0, 0.002, shape)
    m = ArrayMosaics({"f555w": img.astype(np.float32)}, {"f555w": 25.0}, exptime={"f555w": 1e5})
    t = Table({"x": [float(s[0]) for s in stars] + [90.0], "y": [float(s[1]) for s in stars] + [247.0]})
    out = measure(m, t)
    total = 25.0 - 2.5 * math.log10(300.0)
    assert out.meta["apcorr_psf_source"] == "stars"
    assert np.all(np.abs(out["mag_f555w"] - total) < 0.03), np.asarray(out["mag_f555w"] - total)
    assert np.all(out["apcorr_radius"] >= 4.0)


def test_saturated_star_with_bleed_gets_its_total():
    """A clipped star whose charge bleeds along its column is flagged and measured whole."""
    shape = (300, 300)
    stars = [(x, y, 300.0) for x in range(40, 280, 50) for y in (40, 110)]
    img = _eff_gaussian_psf_image(shape, stars, [], psf_fwhm=2.2)
    bright = _eff_gaussian_psf_image(shape, [(150, 200, 2.0e4)], [], psf_fwhm=2.2)
    level = 200.0
    excess = float(np.clip(bright - level, 0, None).sum())
    bright = np.minimum(bright, level)
    k = 1
    while excess > 0:  # conserve the charge: fill the column up and down from the core
        for yy in (200 - k, 200 + k):
            take = min(level - bright[yy, 150], excess / 2 if excess > level else excess)
            bright[yy, 150] += take
            excess -= take
        k += 1
    img = img + bright + 0.05 + np.random.default_rng(3).normal(0, 0.002, shape)
    m = ArrayMosaics({"f555w": img.astype(np.float32)}, {"f555w": 25.0}, exptime={"f555w": 1e5})
    t = Table({"x": [150.0] + [float(s[0]) for s in stars], "y": [200.0] + [float(s[1]) for s in stars]})
    out = measure(m, t)
    assert out["saturated"][0] and not np.any(out["saturated"][1:])
    assert out["mag_f555w"][0] == pytest.approx(25.0 - 2.5 * math.log10(2.0e4), abs=0.05)
    raw = measure(m, t, aperture_correction=None)
    assert raw["mag_f555w"][0] - (25.0 - 2.5 * math.log10(2.0e4)) > 0.5  # the bleed leaves the aperture
