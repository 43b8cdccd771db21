"""Per-source aperture corrections from the concentration index.

A 4 px aperture with a 7-8 px background annulus misses part of an extended cluster's light
twice: the light outside the aperture, and the cluster light inside the annulus that is
subtracted as "background". LEGUS (Adamo et al. 2017) and PHANGS correct with an average
correction measured on bright isolated clusters; here the correction of each source follows
from its V-band CI through a model family, so compact and extended clusters get different
corrections (the CI-based approach also used in LEGUS for some galaxies):

* each object is a circular EFF profile ``(1 + r^2/a^2)^(-gamma/2)`` (Elson, Fall & Freeman
  1987; gamma = 3 by default, typical of young massive clusters) with core radius
  ``a`` from 0 (a point source) to 12 px, convolved with a Gaussian PSF of the band's FWHM;
* for each ``a`` the model gives the CI that :func:`starclass.detect.measure` would measure
  (same apertures and annulus) and the correction ``m_total - m_measured``;
* a source's measured V-band CI gives its ``a`` by interpolation (clamped at the ends of the
  family), and its correction in every band is the model's for that ``a`` and that band's PSF.

The model ignores crowding and noise; corrections are capped by the family's range.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

_SUPER = 4  # sub-pixels per pixel of the model grid
_HALF = 48  # half-size of the model grid (px)
_CORE_RADII = np.concatenate([[0.0], np.geomspace(0.05, 12.0, 48)])


@lru_cache(maxsize=64)
def model_curves(
    psf_fwhm: float,
    gamma: float = 3.0,
    aperture_radius: float = 4.0,
    annulus: tuple[float, float] = (7.0, 8.0),
    ci_radii: tuple[float, float] = (1.0, 3.0),
    psf_beta: float | None = 2.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CI and aperture correction of the EFF family convolved with a Gaussian PSF.

    Returns
    -------
    core_radius, ci, correction
        Arrays over the family (core radius in px; correction in mag, negative: the total
        magnitude is brighter than the aperture magnitude).
    """
    from scipy.signal import fftconvolve

    n = 2 * _HALF * _SUPER
    c = (np.arange(n) + 0.5) / _SUPER - _HALF  # sub-pixel centres, source at 0
    r = np.hypot(c[:, None], c[None, :])
    s = psf_fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    if psf_beta is None:  # Gaussian PSF
        kh = int(math.ceil(5 * s * _SUPER))
        kc = np.arange(-kh, kh + 1) / _SUPER
        psf = np.exp(-(kc[:, None] ** 2 + kc[None, :] ** 2) / (2 * s * s))
    else:  # Moffat PSF: the broad wings of HST drizzled PSFs
        kh = (_HALF // 2) * _SUPER
        kc = np.arange(-kh, kh + 1) / _SUPER
        alpha = psf_fwhm / (2.0 * math.sqrt(2.0 ** (1.0 / psf_beta) - 1.0))
        psf = (1.0 + (kc[:, None] ** 2 + kc[None, :] ** 2) / alpha**2) ** (-psf_beta)
    psf /= psf.sum()
    da = (1.0 / _SUPER) ** 2
    rings = {
        "ap": r <= aperture_radius, "c0": r <= ci_radii[0], "c1": r <= ci_radii[1],
        "ann": (r >= annulus[0]) & (r <= annulus[1]),
    }
    cis, corr = [], []
    for a in _CORE_RADII:
        if a == 0:  # a point source: one pixel's worth of sub-pixels at the centre
            img = np.zeros((n, n))
            img[n // 2 - _SUPER // 2:n // 2 + _SUPER // 2, n // 2 - _SUPER // 2:n // 2 + _SUPER // 2] = 1.0
            img /= img.sum()
        else:
            # flux per sub-pixel, normalised so that the total over the plane is 1: the grid
            # holds 1 - (1 + R^2/a^2)^(1 - gamma/2) of it (R = grid half-size; analytic tail)
            img = (1.0 + (r / a) ** 2) ** (-gamma / 2.0)
            inside = 1.0 - (1.0 + (_HALF / a) ** 2) ** (1.0 - gamma / 2.0)
            img *= inside / img.sum()
        obs = fftconvolve(img, psf, mode="same")
        sb = obs[rings["ann"]].mean() / da  # per px^2
        def meas(mask, rad):
            return obs[mask].sum() - sb * math.pi * rad * rad
        f_ap = meas(rings["ap"], aperture_radius)
        f0, f1 = meas(rings["c0"], ci_radii[0]), meas(rings["c1"], ci_radii[1])
        cis.append(2.5 * math.log10(f1 / f0))
        corr.append(2.5 * math.log10(f_ap))  # m_total - m_meas = -2.5 log10(1 / f_ap)
    return _CORE_RADII.copy(), np.asarray(cis), np.asarray(corr)


def core_radius_from_ci(ci: np.ndarray, psf_fwhm: float, gamma: float = 3.0, **kw) -> np.ndarray:
    """EFF core radius (px) whose model CI equals ``ci`` (clamped to the family; NaN stays NaN)."""
    a, c, _ = model_curves(float(psf_fwhm), float(gamma), **kw)
    order = np.argsort(c)
    out = np.interp(np.asarray(ci, dtype=float), c[order], a[order])
    return np.where(np.isfinite(ci), out, np.nan)


def ci_aperture_correction(
    ci: np.ndarray,
    *,
    psf_fwhm_v: float = 2.0,
    psf_fwhm_band: float | None = None,
    gamma: float = 3.0,
    aperture_radius: float = 4.0,
    annulus: tuple[float, float] = (7.0, 8.0),
    psf_beta: float | None = 2.0,
) -> np.ndarray:
    """Aperture correction (mag, to add) of each source from its V-band CI.

    Parameters
    ----------
    ci
        Measured V-band CI, m(1 px) - m(3 px).
    psf_fwhm_v
        PSF FWHM (px) of the V band, where the CI was measured.
    psf_fwhm_band
        PSF FWHM (px) of the band being corrected (default: the V band's).
    gamma
        EFF power-law index of the model family.
    aperture_radius, annulus
        The photometry aperture and background annulus (px) used by the measurement.

    Returns
    -------
    numpy.ndarray
        Corrections (negative); sources with NaN CI get the median correction of the others.
    """
    ann = (float(annulus[0]), float(annulus[1]))
    beta = None if psf_beta is None else float(psf_beta)
    a = core_radius_from_ci(ci, psf_fwhm_v, gamma, aperture_radius=float(aperture_radius), annulus=ann,
                            psf_beta=beta)
    ab, _, cb = model_curves(float(psf_fwhm_band or psf_fwhm_v), float(gamma), float(aperture_radius), ann,
                             psf_beta=beta)
    out = np.interp(a, ab, cb)
    bad = ~np.isfinite(out)
    if bad.any():
        fill = np.nanmedian(out) if (~bad).any() else float(np.interp(0.0, ab, cb))
        out = np.where(bad, fill, out)
    return out
