"""Per-source aperture corrections from the concentration index.

A 4 px aperture with a 7-8 px background annulus misses part of an object's light twice: the
light outside the aperture, and the object's own light inside the annulus that is subtracted
as "background". LEGUS (Adamo et al. 2017) and PHANGS correct with an average correction
measured on bright isolated clusters. Here each source gets its own correction from its
V-band CI through a model family, so that stars, compact and extended clusters are each
corrected by the right amount (``aperture_correction="ci"`` in :func:`starclass.detect.measure`):

* the PSF is a Moffat profile (``beta`` = 2 by default: the broad wings of HST drizzled
  PSFs; ``None`` for a Gaussian); its FWHM in each band is **calibrated on the data**: the
  stellar locus (the first peak of the CI distribution of bright sources in that band)
  must equal the model point source's CI (:func:`calibrate_psf_fwhm`);
* each object is a circular EFF profile ``(1 + r^2/a^2)^(-gamma/2)`` (Elson, Fall & Freeman
  1987; gamma = 3, typical of young massive clusters) with core radius ``a`` from 0 (a point
  source) to 12 px, convolved with the PSF, integrated over pixels and measured exactly as
  :func:`starclass.detect.measure` does (exact-overlap apertures, annulus median);
* a source's V-band CI gives its ``a`` (interpolation, clamped to the family), and its
  correction in every band is the model's for that ``a`` and that band's PSF.

The model ignores crowding and noise and assumes round objects.

Curve of growth (``aperture_correction="growth"``, the default of :func:`measure`)
--------------------------------------------------------------------------------------
The CI alone cannot tell a cluster with extended wings from an association with a flat core
and none, and the 7-8 px annulus sits inside the light of large clusters at 0.04"/px. The
default therefore measures each source's own V-band curve of growth and extrapolates only
what lies beyond it:

1. fluxes in apertures of :data:`COG_RADII` (1-12 px) around the detected position, minus a
   background taken further out (3-sigma clipped median of the :data:`COG_ANNULUS`,
   15-20 px); beyond :data:`COG_INNER` (4 px) the light of each ring between successive radii
   is its clipped mean pixel (within 3 MAD of the ring's median) times its area, so a
   neighbouring star, a cosmic ray or a saturation spike in a ring does not count as the
   object's wings (:func:`starclass.detect.photometry.robust_growth`);
2. the PSF of the image, a Moffat profile, is estimated from its stars: bright sources on
   the stellar locus of the CI distribution whose plain and robust curves of growth agree
   (isolated, unsaturated) give a median curve of growth, matched on a grid of FWHM and beta
   (:func:`estimate_psf`; the CI-locus FWHM with beta = 2 when fewer than 10 stars qualify; on an
   image of photon counts first the stack of its faint sources, :func:`estimate_psf_stacked`, whose
   point-source correction its sources of S/N < 20 then take);
3. a family of EFF profiles (gamma in :data:`COG_GAMMAS`, core radii 0-12 px, plus a point
   source), convolved with that PSF, integrated over pixels and measured exactly as above,
   is fitted to the light in the successive annuli (total flux free; variance from the sky
   noise, the source's Poisson noise and a 1% floor) (:func:`growth_posterior`);
4. for each radius R >= 4 px the total is ``F(R) / f(R)``, with ``f(R)`` the fraction of the
   light within R averaged over the family with the fit's likelihoods; the R with the
   smallest combined uncertainty (noise of ``F(R)`` and spread of the members' ``f(R)``)
   is used (:func:`growth_totals_averaged`). Faint sources thus rely on small apertures and
   the model; bright ones on the measured light out to 8-12 px, with a small extrapolation.

"Total" means the light within :data:`COG_TRUNCATE` (32 px = 1.3" at 0.04"/px; the family's
EFF profiles are cut there): an EFF profile with gamma <= 3 holds a few per cent of its light
beyond, which no image of this depth measures. Sources with S/N < 20 in the 4 px aperture
get the CI-based correction. Other bands get the V correction plus the difference of the
point-source corrections of their PSF and the V band's, so colours remain 4 px aperture
colours (as in LEGUS), and all magnitudes are totals.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import fft

_SUPER = 3  # sub-pixels per pixel of the model grid (odd: a sub-pixel sits on the centre)
_HALF = 32  # half-size of the model grid (px)
_CORE_RADII = np.concatenate([[0.0], np.geomspace(0.05, 12.0, 32)])


@lru_cache(maxsize=8)
def _geometry(aperture_radius: float, annulus: tuple[float, float], ci_radii: tuple[float, float]):
    # photutils adds 0.65 s (measured): `import starclass.detect` stays without it until photometry runs
    from photutils.aperture import CircularAperture

    n = 2 * _HALF + 1
    weights = {}
    for key, r in (("ap", aperture_radius), ("c0", ci_radii[0]), ("c1", ci_radii[1])):
        m = CircularAperture((_HALF, _HALF), r=r).to_mask(method="exact")
        w = np.zeros((n, n))
        w[m.bbox.iymin:m.bbox.iymax, m.bbox.ixmin:m.bbox.ixmax] = m.data
        weights[key] = w
    yy, xx = np.mgrid[0:n, 0:n] - _HALF
    r2 = xx**2 + yy**2
    ann = (r2 >= annulus[0] ** 2) & (r2 <= annulus[1] ** 2)
    return weights, ann


@lru_cache(maxsize=16)
def _psf_subgrid(psf_fwhm: float, psf_beta: float | None) -> np.ndarray:
    kh = (_HALF // 2) * _SUPER + _SUPER // 2
    kc = np.arange(-kh, kh + 1) / _SUPER
    r2 = kc[:, None] ** 2 + kc[None, :] ** 2
    if psf_beta is None:
        s = psf_fwhm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
        psf = np.exp(-r2 / (2 * s * s))
    else:
        alpha = psf_fwhm / (2.0 * math.sqrt(2.0 ** (1.0 / psf_beta) - 1.0))
        psf = (1.0 + r2 / alpha**2) ** (-psf_beta)
    return psf / psf.sum()


def _convolve_and_bin(stack: np.ndarray, psf: np.ndarray) -> np.ndarray:
    """Convolve each sub-pixel image of ``stack`` (K, n, n) with ``psf`` and bin to pixels."""
    k, n, _ = stack.shape
    m = psf.shape[0]
    size = fft.next_fast_len(n + m - 1, real=True)
    spec = fft.rfft2(stack, s=(size, size)) * fft.rfft2(psf, s=(size, size))[None]
    full = fft.irfft2(spec, s=(size, size))
    h = m // 2
    obs = full[:, h:h + n, h:h + n]
    p = 2 * _HALF + 1
    return obs.reshape(k, p, _SUPER, p, _SUPER).sum(axis=(2, 4))


def _measure_models(images: np.ndarray, aperture_radius, annulus, ci_radii):
    """CI and correction of pixel images (K, n, n) of unit total flux centred on the middle."""
    weights, ann = _geometry(aperture_radius, annulus, ci_radii)
    area = {k: w.sum() for k, w in weights.items()}
    sky = np.median(images[:, ann], axis=1)
    f = {k: (images * w).sum(axis=(1, 2)) - sky * area[k] for k, w in weights.items()}
    with np.errstate(invalid="ignore", divide="ignore"):
        ci = 2.5 * np.log10(f["c1"] / f["c0"])
        corr = 2.5 * np.log10(f["ap"])  # m_total - m_measured, total = 1
    return ci, corr


@lru_cache(maxsize=64)
def model_curves(
    psf_fwhm: float,
    gamma: float = 3.0,
    aperture_radius: float = 4.0,
    annulus: tuple[float, float] = (7.0, 8.0),
    ci_radii: tuple[float, float] = (1.0, 3.0),
    psf_beta: float | None = 2.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CI and aperture correction of the EFF family convolved with the PSF, as measured.

    Returns
    -------
    core_radius, ci, correction
        Arrays over the family (core radius in px; correction in mag, negative: the total
        magnitude is brighter than the aperture magnitude).
    """
    n = (2 * _HALF + 1) * _SUPER
    c = (np.arange(n) - n // 2) / _SUPER  # sub-pixel centres; the source sits on the middle one
    r2 = c[:, None] ** 2 + c[None, :] ** 2
    stack = np.empty((len(_CORE_RADII), n, n))
    for k, a in enumerate(_CORE_RADII):
        if a == 0:
            stack[k] = 0.0
            stack[k, n // 2, n // 2] = 1.0
        else:
            # normalised so the whole plane holds 1: the grid holds 1 - (1 + R^2/a^2)^(1-gamma/2)
            img = (1.0 + r2 / a**2) ** (-gamma / 2.0)
            inside = 1.0 - (1.0 + (_HALF / a) ** 2) ** (1.0 - gamma / 2.0)
            stack[k] = img * (inside / img.sum())
    models = _convolve_and_bin(stack, _psf_subgrid(float(psf_fwhm), psf_beta))
    ci, corr = _measure_models(np.asarray(models), aperture_radius, tuple(annulus), tuple(ci_radii))
    return _CORE_RADII.copy(), ci, corr


@lru_cache(maxsize=8)
def _point_ci_table(psf_beta: float | None, ci_radii: tuple[float, float] = (1.0, 3.0)):
    """Model point-source CI over a grid of PSF FWHM (1-5 px)."""
    fw = np.linspace(1.0, 5.0, 41)
    n = (2 * _HALF + 1) * _SUPER
    delta = np.zeros((1, n, n))
    delta[0, n // 2, n // 2] = 1.0
    pix = np.concatenate([_convolve_and_bin(delta, _psf_subgrid(float(f), psf_beta)) for f in fw])
    ci, _ = _measure_models(pix, 4.0, (7.0, 8.0), tuple(ci_radii))
    return fw, ci


def point_source_ci(psf_fwhm: float, psf_beta: float | None = 2.0, ci_radii: tuple[float, float] = (1.0, 3.0)) -> float:
    """CI that :func:`starclass.detect.measure` gives a point source with this PSF.

    Examples
    --------
    >>> round(point_source_ci(2.0), 3)
    1.232
    """
    fw, ci = _point_ci_table(psf_beta, tuple(ci_radii))
    return float(np.interp(psf_fwhm, fw, ci))


def stellar_ci(ci: np.ndarray, snr: np.ndarray, min_snr: float = 30.0, min_count: int = 15) -> float | None:
    """CI of the stellar locus: the first clear peak of the CI distribution of bright sources.

    Returns None when fewer than ``min_count`` sources reach ``min_snr``.

    Examples
    --------
    Forty bright stars at CI 1.2 and forty clusters around 1.8:

    >>> rng = np.random.default_rng(0)
    >>> ci = np.r_[rng.normal(1.2, 0.03, 40), rng.normal(1.8, 0.2, 40)]
    >>> snr = np.r_[np.full(40, 100.0), np.full(40, 50.0)]
    >>> round(stellar_ci(ci, snr), 2), stellar_ci(ci[:5], snr[:5])
    (1.2, None)
    """
    ok = np.isfinite(ci) & np.isfinite(snr) & (snr >= min_snr) & (ci > 0.2) & (ci < 3.5)
    v = np.asarray(ci)[ok]
    if v.size < min_count:
        return None
    grid = np.linspace(max(v.min() - 0.1, 0.2), min(v.max() + 0.1, 3.5), 400)
    bw = max(0.03, 0.9 * min(np.std(v), (np.percentile(v, 75) - np.percentile(v, 25)) / 1.34) * v.size ** -0.2 / 2)
    dens = np.exp(-0.5 * ((grid[:, None] - v[None, :]) / bw) ** 2).sum(axis=1)
    peaks = np.flatnonzero((dens[1:-1] > dens[:-2]) & (dens[1:-1] >= dens[2:])) + 1
    strong = peaks[dens[peaks] >= 0.25 * dens.max()]
    return float(grid[strong[0]]) if strong.size else float(grid[np.argmax(dens)])


def calibrate_psf_fwhm(target_ci: float, psf_beta: float | None = 2.0) -> float:
    """PSF FWHM (px) whose model point source has CI ``target_ci`` (clamped to 1-5 px).

    Examples
    --------
    The inverse of :func:`point_source_ci`:

    >>> round(calibrate_psf_fwhm(point_source_ci(2.0)), 3)
    2.0
    """
    fw, cis = _point_ci_table(psf_beta)
    return round(float(np.interp(target_ci, cis, fw)), 2)  # rounded: model curves are cached


def _core_radius_from_ci(ci: np.ndarray, psf_fwhm: float, gamma: float = 3.0, **kw) -> np.ndarray:
    """EFF core radius (px) whose model CI equals ``ci`` (clamped to the family; NaN stays NaN)."""
    a, c, _ = model_curves(float(psf_fwhm), float(gamma), **kw)
    # the family's CI rises with a until the profile is flat; use the monotonic part
    top = int(np.argmax(c)) + 1
    a, c = a[:top], np.maximum.accumulate(c[:top])
    out = np.interp(np.asarray(ci, dtype=float), c, a)
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
    max_correction: float = 0.8,
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
    psf_beta
        Moffat beta of the PSF model (None: Gaussian).
    max_correction
        Largest correction applied (mag). A large CI also comes from a flat core without
        wings (associations of stars spread over a few px), for which the EFF family's
        correction would be far too large; on simulated fields a cap of 0.8 mag minimised
        the median error over all classes (class 1 and 2 clusters need up to ~0.9).

    Returns
    -------
    numpy.ndarray
        Corrections (negative); sources with NaN CI get the point-source correction.

    Examples
    --------
    A point source (CI of a 2 px PSF) gets the point-source correction, a broader source a larger
    one, and an unmeasured CI the point source's:

    >>> ci_aperture_correction(np.array([point_source_ci(2.0), 1.6, np.nan])).round(3).tolist()
    [-0.166, -0.468, -0.166]
    """
    ann = (float(annulus[0]), float(annulus[1]))
    beta = None if psf_beta is None else float(psf_beta)
    a = _core_radius_from_ci(ci, psf_fwhm_v, gamma, aperture_radius=float(aperture_radius), annulus=ann,
                            psf_beta=beta)
    ab, _, cb = model_curves(float(psf_fwhm_band or psf_fwhm_v), float(gamma), float(aperture_radius), ann,
                             psf_beta=beta)
    a = np.where(np.isfinite(a), a, 0.0)
    return np.maximum(np.interp(a, ab, cb), -abs(max_correction))


# -- per-source curve of growth ("growth" mode) --------------------------------------------

#: Aperture radii (px) of the V-band curve of growth.
COG_RADII: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0)
#: Background annulus (px) of the curve of growth: beyond the light of extended clusters.
COG_ANNULUS: tuple[float, float] = (15.0, 20.0)
#: EFF power-law indices of the growth-curve model family (8: nearly Gaussian, no wings).
COG_GAMMAS: tuple[float, ...] = (2.5, 3.0, 3.5, 4.5, 8.0)


@lru_cache(maxsize=64)
def _aperture_grid(radius: float) -> np.ndarray:
    # photutils adds 0.65 s (measured): `import starclass.detect` stays without it until photometry runs
    from photutils.aperture import CircularAperture

    n = 2 * _HALF + 1
    m = CircularAperture((_HALF, _HALF), r=radius).to_mask(method="exact")
    w = np.zeros((n, n))
    w[m.bbox.iymin:m.bbox.iymax, m.bbox.ixmin:m.bbox.ixmax] = m.data
    return w


def _annulus_median(images: np.ndarray, annulus: tuple[float, float]) -> np.ndarray:
    n = 2 * _HALF + 1
    yy, xx = np.mgrid[0:n, 0:n] - _HALF
    r2 = xx**2 + yy**2
    ann = (r2 >= annulus[0] ** 2) & (r2 <= annulus[1] ** 2)
    return np.median(images[:, ann], axis=1)


@lru_cache(maxsize=8)
def _family_images(psf_fwhm: float, psf_beta: float | None, gammas: tuple[float, ...]):
    """Pixel images (P, n, n) of the EFF family convolved with the PSF, unit total flux.

    The first image is a point source; then every gamma with core radii :data:`_CORE_RADII`
    (from 0.05 to 12 px). Each profile is cut at :data:`COG_TRUNCATE` px and holds unit
    flux there (with ``COG_TRUNCATE = 0``: the light out to infinity, which converges for
    gamma > 2).
    """
    n = (2 * _HALF + 1) * _SUPER
    c = (np.arange(n) - n // 2) / _SUPER
    r2 = c[:, None] ** 2 + c[None, :] ** 2
    params = [(0.0, 0.0)]
    psf = _psf_subgrid(float(psf_fwhm), psf_beta)
    delta = np.zeros((1, n, n))
    delta[0, n // 2, n // 2] = 1.0
    out = [_convolve_and_bin(delta, psf)]
    for g in gammas:
        stack = np.empty((len(_CORE_RADII) - 1, n, n))
        for k, a in enumerate(_CORE_RADII[1:]):
            img = (1.0 + r2 / a**2) ** (-g / 2.0)
            if COG_TRUNCATE:
                img[r2 > COG_TRUNCATE**2] = 0.0
                stack[k] = img / img.sum()
            else:
                inside = 1.0 - (1.0 + (_HALF / a) ** 2) ** (1.0 - g / 2.0)
                stack[k] = img * (inside / img.sum())
            params.append((float(g), float(a)))
        out.append(_convolve_and_bin(stack, psf))
    return np.array(params), np.concatenate(out)


@lru_cache(maxsize=32)
def growth_family(
    psf_fwhm: float,
    psf_beta: float | None = 2.0,
    radii: tuple[float, ...] = COG_RADII,
    cog_annulus: tuple[float, float] = COG_ANNULUS,
    aperture_radius: float = 4.0,
    annulus: tuple[float, float] = (7.0, 8.0),
    gammas: tuple[float, ...] = COG_GAMMAS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Curves of growth of the PSF-convolved EFF family, measured as :func:`measure` does.

    Returns
    -------
    params, frac, corr
        ``params`` (P, 2): (gamma, core radius px), (0, 0) for the point source;
        ``frac`` (P, K): flux in each aperture of ``radii`` minus the median of
        ``cog_annulus`` times the aperture area, as a fraction of the total;
        ``corr`` (P,): the aperture correction (mag, negative) of the catalogue aperture
        ``aperture_radius`` with the catalogue annulus, ``2.5 log10(fraction)``.
    """
    params, images = _family_images(float(psf_fwhm), psf_beta, tuple(gammas))
    sky = _annulus_median(images, tuple(cog_annulus))
    frac = np.empty((len(images), len(radii)))
    for k, r in enumerate(radii):
        w = _aperture_grid(float(r))
        frac[:, k] = (images * w).sum(axis=(1, 2)) - sky * w.sum()
    w = _aperture_grid(float(aperture_radius))
    f_ap = (images * w).sum(axis=(1, 2)) - _annulus_median(images, tuple(annulus)) * w.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = 2.5 * np.log10(f_ap)
    return params, frac, corr


def _growth_gain(flux, sky_std, exptime, frac, radii, floor) -> np.ndarray:
    """(N, P) chi2 reduction of each family member with its best total flux (-inf: no fit).

    chi2(p) = sum w d^2 - gain(p) with gain = (sum w d m_p)^2 / sum w m_p^2 over the annuli
    between the apertures; see :func:`fit_growth_curves` for the variance model.
    """
    r = np.asarray(radii, dtype=float)
    area = np.pi * np.diff(np.concatenate([[0.0], r**2]))
    d = np.diff(np.concatenate([np.zeros((len(flux), 1)), flux], axis=1), axis=1)
    md = np.diff(np.concatenate([np.zeros((len(frac), 1)), frac], axis=1), axis=1)
    pos = np.clip(np.nan_to_num(d), 0.0, None)
    s2 = np.where(np.isfinite(sky_std), sky_std, 0.0)[:, None] ** 2
    var = np.maximum(area[None, :] * s2 + pos / max(exptime, 1e-12) + (floor * pos) ** 2, 1e-30)
    w = 1.0 / var
    d = np.nan_to_num(d)
    dm = (w * d) @ md.T            # (N, P)
    mm = w @ (md**2).T             # (N, P)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(dm > 0, dm * dm / mm, -np.inf)


def fit_growth_curves(
    flux: np.ndarray,
    sky_std: np.ndarray,
    exptime: float,
    frac: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    floor: float = 0.03,
) -> np.ndarray:
    """Index of the family member whose curve of growth best fits each source's.

    The fit is on the light in the successive annuli between the apertures (independent
    measurements), with the total flux free (solved analytically per member) and a variance
    per annulus of sky noise, source Poisson noise and a ``floor`` fraction of the annulus
    light (the family is round and smooth; real objects are neither).

    Parameters
    ----------
    flux
        (N, K) background-subtracted fluxes in the apertures ``radii`` (cumulative).
    sky_std
        (N,) per-pixel noise of the background.
    exptime
        Exposure time (s) of the image (counts/s images).
    frac
        (P, K) family curves of growth (:func:`growth_family`).

    Returns
    -------
    numpy.ndarray
        (N,) best member index; 0 (the point source) where nothing fits.

    Examples
    --------
    Two sources whose curves are the family's two members, in the other order:

    >>> frac = np.array([[0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 1.0, 1.0],
    ...                  [0.1, 0.3, 0.45, 0.6, 0.7, 0.78, 0.88, 0.95, 1.0]])
    >>> flux = 1000.0 * frac[[1, 0]]
    >>> fit_growth_curves(flux, np.full(2, 0.1), 1000.0, frac).tolist()
    [1, 0]
    """
    gain = _growth_gain(flux, sky_std, exptime, frac, radii, floor)
    best = np.argmax(gain, axis=1)
    return np.where(np.isfinite(gain[np.arange(len(gain)), best]), best, 0)


#: PSF grid searched by :func:`estimate_psf`: FWHM (px) and Moffat beta.
PSF_FWHM_GRID = np.round(np.arange(1.4, 3.61, 0.05), 2)
PSF_BETA_GRID = (1.5, 1.7, 1.9, 2.1, 2.5, 3.0, 4.0)


def _point_curve(psf_fwhm: float, psf_beta: float | None, radii, cog_annulus) -> np.ndarray:
    """Curve of growth (fractions, measured with ``cog_annulus``) of a centred point source."""
    psf = _psf_subgrid(float(psf_fwhm), psf_beta)
    m = psf.shape[0] // _SUPER  # kernel size in pixels (odd)
    pix = psf.reshape(m, _SUPER, m, _SUPER).sum(axis=(1, 3))
    n = 2 * _HALF + 1
    img = np.zeros((1, n, n))
    o = _HALF - m // 2
    img[0, o:o + m, o:o + m] = pix
    sky = _annulus_median(img, tuple(cog_annulus))
    return np.array([(img[0] * _aperture_grid(float(r))).sum() - sky[0] * _aperture_grid(float(r)).sum()
                     for r in radii])


@lru_cache(maxsize=4)
def _point_curve_table(radii: tuple[float, ...], cog_annulus: tuple[float, float],
                       betas: tuple[float, ...] = PSF_BETA_GRID):
    table = np.empty((len(betas), len(PSF_FWHM_GRID), len(radii)))
    for i, b in enumerate(betas):
        for j, f in enumerate(PSF_FWHM_GRID):
            table[i, j] = _point_curve(float(f), float(b), radii, cog_annulus)
    return table


def estimate_psf(
    flux: np.ndarray,
    snr: np.ndarray,
    ci: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    cog_annulus: tuple[float, float] = COG_ANNULUS,
    min_snr: float = 30.0,
    min_count: int = 10,
    isolated: np.ndarray | None = None,
) -> tuple[float, float] | None:
    """Moffat FWHM and beta of the image's PSF from the curves of growth of its stars.

    Stars are the bright sources (S/N >= ``min_snr`` in the 3 px aperture) on the stellar
    locus of the CI distribution (:func:`stellar_ci`, within 0.05 mag). Their curves of
    growth, normalised at 6 px, are median-combined and compared with those of Moffat point
    sources on a grid of FWHM (:data:`PSF_FWHM_GRID`) and beta (:data:`PSF_BETA_GRID`),
    measured the same way. Returns None when fewer than ``min_count`` stars are found.
    ``isolated`` (N,) restricts the stars further (e.g. to sources whose plain and robust
    curves of growth agree: no neighbour, no saturation spike or bleed).

    Examples
    --------
    Twelve stars with the curve of growth of a Moffat PSF of FWHM 2.2 px and beta 2.5, measured as
    :func:`starclass.detect.measure` does:

    >>> from starclass.detect.apcorr import _point_curve
    >>> curve = _point_curve(2.2, 2.5, COG_RADII, COG_ANNULUS)
    >>> ci = np.full(12, 2.5 * np.log10(curve[2] / curve[0]))
    >>> estimate_psf(1000.0 * np.tile(curve, (12, 1)), np.full(12, 100.0), ci)
    (2.2, 2.5)
    """
    radii = tuple(float(r) for r in radii)
    locus = stellar_ci(ci, snr, min_snr=min_snr, min_count=min_count)
    if locus is None:
        return None
    i6 = radii.index(6.0) if 6.0 in radii else len(radii) // 2
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = flux / flux[:, i6:i6 + 1]
    star = (np.abs(ci - locus) < 0.05) & (snr >= min_snr) & np.all(np.isfinite(norm), axis=1)
    if isolated is not None:
        star &= np.asarray(isolated, dtype=bool)
    if star.sum() < min_count:
        return None
    return _match_point_curve(np.median(norm[star], axis=0), radii, cog_annulus)


def _match_point_curve(curve: np.ndarray, radii: tuple[float, ...], cog_annulus: tuple[float, float],
                       betas: tuple[float, ...] = PSF_BETA_GRID) -> tuple[float, float]:
    """FWHM and beta of the grid's Moffat point source whose curve of growth (normalised at 6 px,
    compared out to 8 px) is nearest to ``curve`` (normalised the same way)."""
    i6 = radii.index(6.0) if 6.0 in radii else len(radii) // 2
    table = _point_curve_table(radii, tuple(cog_annulus), tuple(betas))
    model = table / table[:, :, i6:i6 + 1]
    use = np.array([r <= 8.0 for r in radii])  # stars' outer curves are noisy
    err = ((model[:, :, use] - curve[use]) ** 2).sum(axis=2)
    i, j = np.unravel_index(np.argmin(err), err.shape)
    return float(PSF_FWHM_GRID[j]), float(betas[i])


#: Sources whose stacked curve of growth gives the PSF of a counts image without stars
#: (:func:`estimate_psf_stacked`): S/N in the 3 px aperture at least this, ...
STACK_MIN_SNR = 5.0
#: ... at least this many of them, ...
STACK_MIN_COUNT = 20
#: ... and together (quadrature sum of their S/N) at least this.
STACK_MIN_TOTAL_SNR = 50.0
#: Moffat betas of :func:`estimate_psf_stacked`: those of the stars' grid and two near-Gaussian ones
#: (beta 10 holds 0.7% of a 2.5 px PSF's light beyond 4 px, a Gaussian 0.1%), as the cores of X-ray and
#: UV PSFs are; with beta <= 4 a 2.5 px Gaussian PSF was read as beta 4 of 2.0 px, and its faint
#: sources' CI-based corrections came out 0.07-0.09 mag too bright
STACK_BETA_GRID = (*PSF_BETA_GRID, 6.0, 10.0)


def estimate_psf_stacked(
    flux: np.ndarray,
    snr: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    cog_annulus: tuple[float, float] = COG_ANNULUS,
    min_snr: float = STACK_MIN_SNR,
    min_count: int = STACK_MIN_COUNT,
    min_total_snr: float = STACK_MIN_TOTAL_SNR,
) -> tuple[float, float] | None:
    """Moffat FWHM and beta of the PSF from the summed curves of growth of many faint sources.

    On an image of photon counts (X-ray, UV) the sources are mostly unresolved and often none is
    bright enough for :func:`estimate_psf`; their sum is the curve of growth of the stacked image
    of all of them (each weighted by its flux), as bright as many stars together. It is matched
    on the same grid as :func:`estimate_psf`. Returns None when fewer than ``min_count`` sources
    reach ``min_snr`` or their S/N added in quadrature stays under ``min_total_snr``.

    Examples
    --------
    Forty sources of a 2.4 px Moffat (beta 2.5) point spread function, 100 counts each:

    >>> radii = tuple(float(r) for r in COG_RADII)
    >>> one = 100.0 * _point_curve(2.4, 2.5, radii, COG_ANNULUS)
    >>> flux = np.tile(one, (40, 1)) + np.random.default_rng(0).normal(0.0, 3.0, (40, len(radii)))
    >>> estimate_psf_stacked(flux, np.full(40, 15.0))
    (2.4, 2.5)
    >>> estimate_psf_stacked(flux[:10], np.full(10, 15.0)) is None
    True
    """
    radii = tuple(float(r) for r in radii)
    i6 = radii.index(6.0) if 6.0 in radii else len(radii) // 2
    snr = np.asarray(snr, dtype=float)
    use = np.all(np.isfinite(flux), axis=1) & (np.nan_to_num(snr, nan=-1.0) >= min_snr)
    if use.sum() < min_count or float(np.sqrt((snr[use] ** 2).sum())) < min_total_snr:
        return None
    stack = flux[use].sum(axis=0)
    if not stack[i6] > 0:
        return None
    return _match_point_curve(stack / stack[i6], radii, cog_annulus, STACK_BETA_GRID)


#: Inside this radius (px) the curve of growth is an aperture sum; beyond it, ring medians.
COG_INNER = 4.0
#: Average the extrapolation over the family with the fit's likelihoods (else: best member,
#: largest radius with S/N >= 80, :func:`growth_totals`).
COG_AVERAGE = True
#: Radius (px) at which the family's EFF profiles are cut: the "total" light.
COG_TRUNCATE = float(_HALF)
#: Fractional floor of the annulus variances in the fit.
COG_FLOOR = 0.01
#: Largest correction (mag) the curve of growth may apply.
GROWTH_MAX_CORRECTION = 2.0


def growth_totals(
    flux: np.ndarray,
    snr: np.ndarray,
    frac: np.ndarray,
    best: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    aperture_radius: float = 4.0,
    min_snr: float = 80.0,
    faint_snr: float = 20.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Total fluxes from the curves of growth and the fitted family members.

    Each source's total is its flux within the largest aperture (at least
    ``aperture_radius``) still measured with S/N >= ``min_snr``, divided by the fraction of
    light the fitted member puts there: the model only extrapolates the wings beyond that
    radius. Sources with S/N < ``min_snr`` everywhere use the catalogue aperture, and those
    below ``faint_snr`` there get no total (radius 0: the caller falls back on another
    correction).

    Returns
    -------
    total, radius
        ``(N,)`` total fluxes (NaN where none) and the radius (px) used (0 where none).

    Examples
    --------
    The first source is measured with S/N >= 80 out to 8 px, where its member holds 88 % of the
    light; the second to 12 px:

    >>> frac = np.array([[0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 1.0, 1.0],
    ...                  [0.1, 0.3, 0.45, 0.6, 0.7, 0.78, 0.88, 0.95, 1.0]])
    >>> flux = 1000.0 * frac[[1, 0]]
    >>> snr = np.array([[20, 40, 60, 90, 100, 100, 90, 60, 30], [200.0] * 9])
    >>> total, radius = growth_totals(flux, snr, frac, np.array([1, 0]))
    >>> total.round(3).tolist(), radius.tolist()
    ([1000.0, 1000.0], [8.0, 12.0])
    """
    r = np.asarray(radii, dtype=float)
    n = len(flux)
    ok = (r[None, :] >= aperture_radius) & (np.nan_to_num(snr, nan=-1.0) >= min_snr)
    k_ap = int(np.argmin(np.abs(r - aperture_radius)))
    last = np.where(ok.any(axis=1), r.size - 1 - np.argmax(ok[:, ::-1], axis=1), k_ap)
    rows = np.arange(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = flux[rows, last] / frac[best, last]
    weak = ~(np.nan_to_num(snr[rows, k_ap], nan=-1.0) >= faint_snr) | ~(total > 0)
    total = np.where(weak, np.nan, total)
    radius = np.where(weak, 0.0, r[last])
    return total, radius


@lru_cache(maxsize=64)
def point_correction(psf_fwhm: float, psf_beta: float | None = 2.0, aperture_radius: float = 4.0,
                     annulus: tuple[float, float] = (7.0, 8.0)) -> float:
    """Aperture correction (mag, negative) of a point source: aperture with its annulus."""
    f = _point_curve(float(psf_fwhm), psf_beta, (float(aperture_radius),), tuple(annulus))
    return float(2.5 * np.log10(f[0]))


def growth_posterior(
    flux: np.ndarray,
    sky_std: np.ndarray,
    exptime: float,
    frac: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    floor: float = 0.01,
) -> np.ndarray:
    """Relative likelihoods ``exp(-chi2 / 2)`` (N, P) of the family members for each source.

    Same fit as :func:`fit_growth_curves` (annuli, total flux free per member), normalised to
    sum 1 over the members.

    Examples
    --------
    >>> frac = np.array([[0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 1.0, 1.0],
    ...                  [0.1, 0.3, 0.45, 0.6, 0.7, 0.78, 0.88, 0.95, 1.0]])
    >>> flux = 1000.0 * frac[[1, 0]]
    >>> growth_posterior(flux, np.full(2, 0.1), 1000.0, frac).round(3).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    gain = _growth_gain(flux, sky_std, exptime, frac, radii, floor)
    top = np.max(gain, axis=1, keepdims=True)
    like = np.exp(np.clip(0.5 * (gain - np.where(np.isfinite(top), top, 0.0)), -700, 0))
    like[~np.isfinite(gain)] = 0.0
    s = like.sum(axis=1, keepdims=True)
    out = np.where(s > 0, like / np.where(s > 0, s, 1.0), 0.0)
    out[s[:, 0] == 0, 0] = 1.0  # nothing fits: the point source
    return out


def growth_totals_averaged(
    flux: np.ndarray,
    snr: np.ndarray,
    frac: np.ndarray,
    post: np.ndarray,
    radii: tuple[float, ...] = COG_RADII,
    aperture_radius: float = 4.0,
    faint_snr: float = 20.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total fluxes averaged over the family members, at each source's best radius.

    For every aperture radius R >= ``aperture_radius`` the total is ``F(R) / f_p(R)``
    averaged (in magnitudes) over the members ``p`` with their likelihoods ``post``; its
    uncertainty combines the measurement noise of ``F(R)`` (``1.0857 / snr``) with the
    spread of the members' extrapolations. The radius with the smallest uncertainty wins:
    faint sources keep small apertures, bright ones reach far enough that the extrapolation
    hardly matters.

    Returns
    -------
    total, radius, error
        ``(N,)`` total fluxes (NaN where none), the radius used (0 where none) and the
        uncertainty (mag) of the total.

    Examples
    --------
    >>> frac = np.array([[0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 1.0, 1.0],
    ...                  [0.1, 0.3, 0.45, 0.6, 0.7, 0.78, 0.88, 0.95, 1.0]])
    >>> flux = 1000.0 * frac[[1, 0]]
    >>> snr = np.array([[20, 40, 60, 90, 100, 100, 90, 60, 30], [200.0] * 9])
    >>> post = growth_posterior(flux, np.full(2, 0.1), 1000.0, frac)
    >>> total, radius, err = growth_totals_averaged(flux, snr, frac, post)
    >>> total.round(3).tolist(), radius.tolist(), err.round(3).tolist()
    ([1000.0, 1000.0], [5.0, 4.0], [0.011, 0.005])
    """
    r = np.asarray(radii, dtype=float)
    use = np.flatnonzero(r >= aperture_radius)
    with np.errstate(invalid="ignore", divide="ignore"):
        lf = -2.5 * np.log10(np.clip(frac[:, use], 1e-6, None))       # (P, K') tail in mag
        mean = post @ lf                                               # (N, K')
        sd = np.sqrt(np.clip(post @ lf**2 - mean**2, 0.0, None))
        noise = 1.0857 / snr[:, use]
        err = np.sqrt(sd**2 + noise**2)
    err = np.where(np.isfinite(err) & (flux[:, use] > 0), err, np.inf)
    k = np.argmin(err, axis=1)
    rows = np.arange(len(flux))
    with np.errstate(invalid="ignore", divide="ignore"):
        total = flux[rows, use[k]] * 10 ** (0.4 * mean[rows, k])
    k_ap = int(np.argmin(np.abs(r - aperture_radius)))
    weak = ~(np.nan_to_num(snr[:, k_ap], nan=-1.0) >= faint_snr) | ~(total > 0) | ~np.isfinite(err[rows, k])
    total = np.where(weak, np.nan, total)
    return total, np.where(weak, 0.0, r[use[k]]), np.where(weak, np.nan, err[rows, k])
