"""PAndAS-like labelled cutouts of M31 clusters and background galaxies (``pandas-cutouts``).

Writes the same form as the real folder ``shared/data/pandas-m31``: 128 x 128 px g-band
cutouts at 0.187"/px, ZScale-stretched (:class:`astropy.visualization.ZScaleInterval`) 8-bit
greyscale PNGs under one sub-folder per label, and a ``labels.csv`` with ``file``, ``label``,
``object_id`` (plus the simulated truth). Physics first, then the instrument, as in the field
simulator (``docs/simulator.md``):

Physics (apparent g magnitudes, positions and sizes in arcsec):

* M31 at 0.78 Mpc (distance modulus 24.46; Zhang et al., seed 002, section 2.1), so
  1" = 3.78 pc and a globular cluster with a half-light radius of a few pc (2-4 pc from HST:
  Barmby et al. 2007, AJ 133, 2764; Peacock et al. 2010, MNRAS 402, 803) is about 1" or 5 px.
* ``cluster``: King (1962) profiles, concentration c = log10(r_t/r_c) ~ N(1.7, 0.3) in
  [1.0, 2.5] (Milky Way and M31 globulars), log-normal half-light radii (median 5 pc,
  0.28 dex, 0.8-20 pc), axis ratio 0.8-1; g ~ N(17.5, 1.3) in [14.5, 21] (the M31 GCLF peaks
  at V = 16.85, sigma ~1.2: Barmby et al. 2001; g - V ~ 0.35-0.6 for an old population; the
  catalogued clusters reach g ~ 21). 15-35% of the light (the giants of an old population:
  g = 22.8-26.5, dN/dm ~ 10^(0.35 m), tip of the RGB near g ~ 23) is drawn as individual
  stars placed along the same profile, so the cluster resolves into stars at its edge; the
  rest is smooth. The median size sits above the HST values (2-4 pc) and the magnitudes
  0.2 mag below the GCLF peak because they were tuned against the real cutouts
  (``docs/real_images.md``, third pass). Beyond 15 kpc on M31 (fifth pass,
  :data:`CLUSTER_HALO`) a growing share of the clusters comes from the outer halo's faint
  luminosity-function peak (M_V ~ -5.5 beyond 30 kpc: Huxor et al. 2014, MNRAS 442, 2165) and
  half-light radii grow as R^0.5 (van den Bergh et al. 1991), up to 35 pc.
* ``extended_cluster``: the M31 halo's extended clusters (Huxor et al. 2011, MNRAS 414, 770;
  2014, MNRAS 442, 2165): r_h 10-35 pc (2.6-9"), g = 17.5-20.5, c 0.5-1.2, 50-80% of the light
  in resolved stars.
* ``galaxy``: background galaxies of every kind (shares in :data:`GALAXY_KINDS`): ellipticals
  (Sersic n 2-4.5, axis ratio 0.65-1), lenticulars (exponential disc + n = 4 bulge, B/T 0.3-0.7),
  spirals (two-armed logarithmic arms, pitch 12-30 deg, and star-forming knots on a disc),
  edge-on discs (axis ratio 0.08-0.25, a dust lane), irregulars (3-8 clumps on a lopsided
  exponential) and mergers (two galaxies 1-4" apart with a curved tidal tail). Discs get axis
  ratios from random inclinations with intrinsic thickness 0.1-0.2. Effective radii follow a
  size-magnitude relation log10(r_e/") = 0.35 - 0.12 (g - 19) with 0.2 dex scatter, ellipticals
  0.8 times smaller (cf. Shen et al. 2003, MNRAS 343, 978), times
  :data:`GALAXY_SIZE_SCALE` (1.45, fitted to the real galaxy cutouts: ``docs/real_images.md``,
  fourth pass); g = 15.3-19.3, the bright galaxies that pass for clusters in the Revised
  Bologna Catalogue.
* Around every object: M31 field giants (g = 23.5-28.5, a density drawn per cutout, higher
  for clusters, which lie on M31, than for the catalogue's galaxies), the unresolved M31
  population (g = 25-28.5: the blotchy surface-brightness fluctuations of the real cluster
  backgrounds; Tonry & Schneider 1988, AJ 96, 807), Milky Way foreground stars (about one
  per cutout, g = 15-23; those brighter than g = 17 with diffraction spikes) and faint
  background galaxies (about 4 per 24" cutout, g = 21-25, from the galaxy counts).
* Where an object sits on M31 sets its background: a projected radius is drawn per cluster
  and per galaxy from the real folder's distribution for its label
  (:data:`R_GAL_LOG10_PERCENTILES`, :func:`draw_r_gal`: half the clusters within 5 kpc, a
  third at 2-5 kpc on the bright inner disc; the galaxies at a median of 21 kpc), and M31's
  light there (:func:`m31_surface_brightness`, bulge + disc + halo, +-0.5 mag) is, for
  clusters, the unresolved population: 60% of it as stars of g = 25-28.5, the rest smooth,
  with its Poisson noise. In the bulge and inner disc (g ~ 18.6-22 mag/arcsec^2, brighter than
  the sky) the background noise is M31's, which narrows the ZScale window exactly as in the
  real inner clusters (``docs/real_images.md``, "Why some cluster statistics still miss").
  Galaxies get M31's upper RGB and AGB stars (g = 23-25.5) in proportion to its light there
  (:data:`GALAXY_GIANT_SHARE` of it), the detected neighbours of the real galaxy cutouts, but
  not its unresolved light (``galaxy_m31_share`` 0: with it their background noise and Gini
  missed the real ones; fourth pass).

Instrument (CFHT MegaCam g, PAndAS: McConnachie et al. 2009, Nature 461, 66; Ibata et al. 2014,
ApJ 780, 128): 0.187"/px; a Moffat PSF (beta 2: ground-based PSFs carry broad wings; Racine
1996, PASP 108, 699) with FWHM drawn from 0.55-1.05" per cutout (median 0.8": the survey's
seeing is mostly below 0.8"); sky 22.0 mag/arcsec^2 and a zeropoint set so that a point source
at the depth, g = 25.0 +- 0.5 per cutout, has S/N 10 (the stacks reach g ~ 26.5, but the
stretched real cutouts show the noise of shallower data: a tuned value); Poisson noise
(Gaussian approximation); pixel correlation (Gaussian, sigma 1.2 px) from the resampling onto
the stack grid; then the ZScale stretch to 0-255, with the contrast measured on the real PNGs
(:data:`ZSCALE_CONTRAST`: 0.29 for clusters, 0.28 for galaxies, astropy's 0.25 for extended
clusters).

Everything is rendered on a 2x oversampled, padded grid, convolved once with the PSF (FFT) and
binned, so no profile is evaluated only at pixel centres. Around clusters and galaxies (both
seen through M31) the grid extends :data:`CLUSTER_GRID_MARGIN_PX` beyond the cutout, further
than the PSF kernel reaches, so M31's light and stars do not thin out towards the cutout's edge.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy.visualization import ZScaleInterval
from numpy.typing import ArrayLike
from PIL import Image
from scipy.ndimage import gaussian_filter
from scipy.signal import fftconvolve
from scipy.special import gammaincinv

from starclass.errors import OutputExistsError, StarclassError, agreeing, counted
from starclass.io.atomic import atomic_dir
from starclass.io.progress import Progress
from starclass.schema import R_GAL
from starclass.simulate.config import CUTOUT_PRESETS  # noqa: F401 (still given here, where it was defined)

#: Labels of the real PAndAS folder and their counts there (467 / 9 / 393).
PANDAS_LABEL_COUNTS: dict[str, int] = {"cluster": 467, "extended_cluster": 9, "galaxy": 393}

#: Galaxy kinds and their shares among simulated background galaxies.
GALAXY_KINDS: dict[str, float] = {"elliptical": 0.45, "lenticular": 0.25, "spiral": 0.10,
                                  "edge_on": 0.06, "irregular": 0.07, "merger": 0.07}

_ARCSEC_PER_RAD = 206264.806

#: ZScale contrast per label. astropy's (and IRAF's) default is 0.25; re-running ZScale on the
#: real PNGs shows windows narrower than that on the same pixels (median implied contrast 0.289
#: for the real clusters and 0.266 for the real galaxies, against 0.241 and 0.233 for cutouts
#: simulated with 0.25): 0.25 x 0.289 / 0.240 = 0.30 [0.295, 0.306] (bootstrap over cutouts)
#: for clusters. They get 0.29, 0.01 below that: with 0.30 the mean and median grey levels
#: stayed just above a KS distance of 0.2 (0.208, 0.212), with 0.28 the p90 (0.24, on 300
#: clusters). The galaxies get their measured 0.28 [0.271, 0.287] since the fourth pass, with
#: larger galaxies (:data:`GALAXY_SIZE_SCALE`) and M31 giants around them; the gap between the
#: labels (0.01) is then the real one (0.02), not the 0.04 it was with astropy's 0.25 for
#: galaxies. Extended clusters keep 0.25 (9 real cutouts cannot measure it).
ZSCALE_CONTRAST: dict[str, float] = {"cluster": 0.29, "extended_cluster": 0.25, "galaxy": 0.28}

#: Factor on the galaxies' size-magnitude relation, fitted to the real galaxy cutouts (fourth
#: pass): with the measured contrast the galaxies at 1.0 saturate too many pixels (0.069 v 0.054)
#: and the larger, lower surface brightness galaxies spread the light over moderately bright
#: pixels as the real ones do.
GALAXY_SIZE_SCALE = 1.45

#: Share of M31's light at a galaxy's position drawn as upper RGB and AGB stars (g 23-25.5):
#: the real galaxy cutouts hold more detected neighbours than the sparse halo field gives
#: (median 7 against 4), more the nearer M31's disc (16 at 5-10 kpc, 3 beyond 50 kpc).
GALAXY_GIANT_SHARE = 0.02

#: How the clusters change with projected radius in M31's outer halo (fifth pass), the default of
#: ``CutoutSimConfig.cluster_halo``; ``None`` there keeps clusters independent of radius (the
#: fourth pass, byte for byte). Published anchors:
#:
#: * Huxor et al. 2014 (MNRAS 442, 2165), the final PAndAS outer-halo catalogue: the GC
#:   luminosity function is clearly bimodal beyond R_proj = 30 kpc, with a secondary peak at
#:   M_V ~ -5.5 (g ~ 19.4 at m - M = 24.46 and g - V = 0.45; ``faint_g``), which they attribute to
#:   clusters accreted with dwarf galaxies, while a population of above-average luminosity stays
#:   (the main peak is kept). Their 50 % completeness limit, M_V ~ -4.1 (g ~ 20.8), sits inside
#:   the existing g <= 21 clip. Within 30 kpc the faint peak fades in linearly in log R from
#:   ``r_start_kpc`` (15 kpc, where the real folder's PAndAS halo discoveries begin).
#: * Sizes grow outward: Milky Way globulars' half-light radii grow as about R_gc^0.5 (van den
#:   Bergh, Morbey & Pazder 1991, ApJ 375, 594), and M31's outer halo holds many clusters larger
#:   than the inner ones, up to the extended clusters of r_h ~ 10-35 pc (Huxor et al. 2011,
#:   MNRAS 414, 770; 2014); so r_h is multiplied by (R / ``size_r0_kpc``)^``size_index`` beyond
#:   ``size_r0_kpc``, with the 20 pc upper clip growing alike up to ``rh_max_pc`` (the extended
#:   clusters' upper end).
#:
#: ``faint_share`` (the share of the outer-halo clusters in the faint peak) and ``faint_sigma``
#: (its width, mag) are settings read roughly off Huxor et al. 2014's outer-halo luminosity
#: function, not tabulated values.
CLUSTER_HALO: dict[str, float] = {"r_start_kpc": 15.0, "r_full_kpc": 30.0, "faint_share": 0.35,
                                  "faint_g": 19.4, "faint_sigma": 0.5, "size_r0_kpc": 15.0,
                                  "size_index": 0.5, "rh_max_pc": 35.0}

#: Projected radius on M31 (log10 kpc) of the real folder's cutouts, at the 0, 5, 10, ..., 100th
#: percentiles: the angular distance of each ``ra, dec`` of ``shared/data/pandas-m31/labels.csv``
#: from M31's centre (RA 10.6847, Dec 41.2690) at 0.78 Mpc, not deprojected (467 clusters,
#: 393 galaxies; ``docs/real_images.md``, fourth pass). Simulated clusters and galaxies draw
#: their position from this quantile function (linear in between), so the share of each label
#: seen through M31's bulge, disc and halo is the real one: half the clusters lie within 5 kpc
#: (a third at 2-5 kpc, on the bright inner disc), the galaxies at a median of 21 kpc.
R_GAL_LOG10_PERCENTILES: dict[str, tuple[float, ...]] = {
    "cluster": (-0.679, -0.013, 0.142, 0.279, 0.391, 0.451, 0.518, 0.568, 0.617, 0.667, 0.721,
                0.798, 0.926, 1.011, 1.067, 1.171, 1.302, 1.527, 1.671, 1.984, 2.351),
    "galaxy": (0.223, 0.732, 0.902, 1.013, 1.079, 1.155, 1.197, 1.243, 1.273, 1.291, 1.314,
               1.332, 1.357, 1.385, 1.409, 1.445, 1.468, 1.643, 1.890, 2.111, 2.348),
}

#: Extra border (px) of the rendered grid around a cluster's cutout: more than the PSF kernel's
#: half-width (6 FWHM, at most 6.3" = 34 px), so the M31 light and stars just outside the cutout
#: spread their PSF wings into it, as on the sky. With the former 16 px border the dense M31
#: background darkened towards the cutout's edge, where the background and the ZScale
#: minimum are measured.
CLUSTER_GRID_MARGIN_PX = 40


@dataclass
class CutoutSimConfig:
    """What a simulated PAndAS-like cutout folder contains; the folder is a pure function of it.

    Attributes
    ----------
    n : int
        Number of cutouts.
    counts : dict, optional
        Label -> number of cutouts; overrides ``n`` and the real folder's proportions.
    seed : int
        Seed of every draw (cutout ``i`` uses ``SeedSequence([seed, i])``).
    size : int
        Cutout side (px).
    pixel_scale : float
        Arcsec per pixel (MegaCam 0.187).
    distance_mpc : float
        Distance of M31 (0.78 Mpc).
    seeing_range : tuple of float
        FWHM range of the seeing (arcsec), drawn uniformly per cutout.
    psf_beta : float
        Moffat beta of the PSF.
    depth : float
        g magnitude of a point source with S/N 10 (PSF-fitting noise-equivalent area).
    depth_spread : float
        Half-width (mag) of the uniform per-cutout scatter of the depth (transparency, sky
        and exposure vary from field to field).
    sky_mag : float
        Sky surface brightness (g mag/arcsec^2).
    correlation_px : float
        Sigma (px) of the Gaussian that correlates the noise (resampling in the stacks).
    oversample : int
        Rendering oversampling factor.
    stretch_frame : int, optional
        Side (px, at least ``size``) of the centred frame whose pixels set the ZScale limits;
        the default (None), the cutout itself, is what the real folder's README describes.
        Larger frames (a stretch made before cutting) were tested against the real cutouts and
        rejected (``docs/real_images.md``, "Why some cluster statistics still miss").
    zscale_contrast : dict
        Label -> contrast of the ZScale window (:data:`ZSCALE_CONTRAST`): the upper limit is
        median + (n/2) slope / contrast, so a larger contrast is a narrower window. Measured
        on the real PNGs (``docs/real_images.md``, "Third pass").
    r_gal_percentiles : dict
        Label -> log10 projected radius (kpc) on M31 at the 0, 5, ..., 100th percentiles
        (:data:`R_GAL_LOG10_PERCENTILES`, the real folder's): each cluster or galaxy draws its
        position from it, and M31's light there is its background. A label left out falls back
        to the earlier draws: clusters at 0.5-100 kpc with equal numbers per dex, galaxies on
        the sparse outer-halo field without M31's light.
    galaxy_m31_share : float
        Share of M31's light at a galaxy's position laid behind it (clusters get all of it).
    galaxy_size_scale : float
        Factor on the galaxies' size-magnitude relation (module docstring).
    galaxy_giant_share : float
        Share of M31's light at a galaxy's position drawn as its upper RGB and AGB stars
        (g = 23-25.5), on top of ``galaxy_m31_share``.
    cluster_halo : dict or None
        How globular clusters' luminosities and sizes depend on their projected radius on M31
        (:data:`CLUSTER_HALO`, keys as there; a key left out takes its default): the faint
        outer-halo luminosity-function peak and the larger sizes further out. ``None`` draws
        them independently of radius (the fourth pass's folders, unchanged).

    Examples
    --------
    >>> cfg = CutoutSimConfig(n=10)
    >>> cfg.label_counts(), round(cfg.pc_per_arcsec, 3)  # 0.78 Mpc: 1" = 0.78e6 pi / 648000 pc
    ({'cluster': 5, 'extended_cluster': 0, 'galaxy': 5}, 3.782)
    >>> CutoutSimConfig(counts={"cluster": 3, "galaxy": 2}).label_counts()
    {'cluster': 3, 'extended_cluster': 0, 'galaxy': 2}
    """

    n: int = 869
    counts: dict[str, int] | None = None
    seed: int = 0
    size: int = 128
    pixel_scale: float = 0.187
    distance_mpc: float = 0.78
    seeing_range: tuple[float, float] = (0.55, 1.05)
    psf_beta: float = 2.0
    depth: float = 25.0
    depth_spread: float = 0.5
    sky_mag: float = 22.0
    correlation_px: float = 1.2
    oversample: int = 2
    stretch_frame: int | None = None
    zscale_contrast: dict[str, float] = field(default_factory=lambda: dict(ZSCALE_CONTRAST))
    r_gal_percentiles: dict[str, tuple[float, ...]] = field(
        default_factory=lambda: dict(R_GAL_LOG10_PERCENTILES))
    galaxy_m31_share: float = 0.0
    galaxy_size_scale: float = GALAXY_SIZE_SCALE
    galaxy_giant_share: float = GALAXY_GIANT_SHARE
    cluster_halo: dict[str, float] | None = field(default_factory=lambda: dict(CLUSTER_HALO))
    extra: dict = field(default_factory=dict)

    def label_counts(self) -> dict[str, int]:
        """Cutouts per label: ``counts`` or ``n`` split in the real folder's proportions.

        Examples
        --------
        >>> CutoutSimConfig(n=100).label_counts()
        {'cluster': 54, 'extended_cluster': 1, 'galaxy': 45}
        """
        if self.counts is not None:
            bad = [k for k in self.counts if k not in PANDAS_LABEL_COUNTS]
            if bad:
                raise StarclassError(f"unknown {agreeing(len(bad), 'label')} {bad}; "
                                     f"known: {', '.join(PANDAS_LABEL_COUNTS)}")
            return {k: int(self.counts.get(k, 0)) for k in PANDAS_LABEL_COUNTS}
        if self.n < 1:
            raise StarclassError(f"n must be at least 1, got {self.n}")
        total = sum(PANDAS_LABEL_COUNTS.values())
        raw = {k: self.n * v / total for k, v in PANDAS_LABEL_COUNTS.items()}
        out = {k: int(np.floor(v)) for k, v in raw.items()}
        # Largest remainders get the leftover cutouts, so the counts sum to n exactly.
        for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: self.n - sum(out.values())]:
            out[k] += 1
        return out

    @property
    def pc_per_arcsec(self) -> float:
        """Parsecs per arcsec at M31.

        Examples
        --------
        >>> round(CutoutSimConfig().pc_per_arcsec, 3)  # 0.78 Mpc: 1" = 0.78e6 pi / 648000 pc
        3.782
        """
        return self.distance_mpc * 1e6 / _ARCSEC_PER_RAD

    def zeropoint(self, fwhm_arcsec: float = 0.7, depth: float | None = None) -> float:
        """Magnitude of 1 count, such that g = ``depth`` has S/N 10 on the sky at this seeing.

        For a sky-limited point source measured with its PSF, S/N = F / sqrt(B A) with B the sky
        per pixel and A the noise-equivalent area (4 pi sigma^2 for a Gaussian PSF).

        Examples
        --------
        >>> round(CutoutSimConfig().zeropoint(), 1)
        33.1
        """
        sigma_px = fwhm_arcsec / self.pixel_scale / 2.3548
        area = 4 * np.pi * sigma_px ** 2
        pix_area = self.pixel_scale ** 2
        # 10 = 10^(0.2 zp) 10^(-0.4 depth) / sqrt(pix_area 10^(-0.4 sky) area)
        depth = self.depth if depth is None else depth
        return float(5.0 * (np.log10(10.0 * np.sqrt(pix_area * area)) + 0.4 * depth - 0.2 * self.sky_mag))


# --------------------------------------------------------------------------------------------
# physics: profiles on a grid (arcsec offsets) -----------------------------------------------


def _elliptical_radius(dx, dy, q, theta):
    c, s = np.cos(theta), np.sin(theta)
    u = c * dx + s * dy
    v = -s * dx + c * dy
    return np.sqrt(u * u + (v / q) ** 2), u, v


def sersic_image(dx: np.ndarray, dy: np.ndarray, re: float, n: float, q: float = 1.0,
                 theta: float = 0.0) -> np.ndarray:
    """Sersic profile exp(-b_n ((r/r_e)^(1/n) - 1)) on offsets ``dx, dy`` (arcsec), unit sum.

    A profile none of whose light reaches the grid (centred far off it) is all zeros.

    b_n solves gamma(2n, b_n) = Gamma(2n)/2 (:func:`scipy.special.gammaincinv`), so ``re`` is
    the half-light radius along the major axis.

    Examples
    --------
    >>> import numpy as np
    >>> y, x = np.mgrid[-20:21, -20:21] * 0.1
    >>> img = sersic_image(x, y, re=0.5, n=1.0)
    >>> round(float(img.sum()), 6), bool(img[20, 20] == img.max())
    (1.0, True)
    """
    r, _, _ = _elliptical_radius(dx, dy, q, theta)
    bn = gammaincinv(2 * n, 0.5)
    img = np.exp(-bn * ((r / re) ** (1.0 / n) - 1.0))
    # A cuspy (n >~ 2) centre sampled at pixel centres puts far too much light in the central
    # pixel; average the few pixels near the centre over a 9 x 9 sub-grid instead.
    step = float(np.abs(dx[0, 1] - dx[0, 0])) if dx.ndim == 2 and dx.shape[1] > 1 else 0.0
    near = r < 3.0 * step / max(q, 0.05)
    if step > 0 and near.any():
        sub = (np.arange(9) - 4) / 9.0 * step
        sx, sy = np.meshgrid(sub, sub)
        rr, _, _ = _elliptical_radius(dx[near][:, None] + sx.ravel(), dy[near][:, None] + sy.ravel(), q, theta)
        img[near] = np.exp(-bn * ((rr / re) ** (1.0 / n) - 1.0)).mean(axis=1)
    return _unit_sum(img)


def _unit_sum(img: np.ndarray) -> np.ndarray:
    """``img`` scaled to a sum of 1; zeros where none of the profile's light falls on the grid.

    A clump of a giant irregular galaxy drawn 35" from its centre, or a star's spike far off the
    scene, underflows to 0 in every pixel: 0 / 0 made the whole cutout NaN, and the ZScale
    stretch then crashed (``simulate --preset pandas-cutouts --n 800``, cutout 790).
    """
    total = float(img.sum())
    return img / total if total > 0 and np.isfinite(total) else np.zeros_like(img)


def king_enclosed_light(r: ArrayLike, rc: float, c: float) -> float | np.ndarray:
    """Light of a projected King (1962) profile inside circular radius ``r``, analytically.

    The integral of (1/sqrt(1 + x^2) - k)^2 over the disc of radius ``r`` (x = r'/r_c, k =
    1/sqrt(1 + (r_t/r_c)^2)), in units of r_c^2: pi [ln u - 4 k (sqrt(u) - 1) + k^2 (u - 1)]
    with u = 1 + min(r, r_t)^2 / r_c^2. For an elliptical profile of axis ratio q multiply by q.

    Examples
    --------
    >>> total = king_enclosed_light(np.inf, 0.2, 1.5)
    >>> rh = 0.2 * king_half_light_ratio(1.5)
    >>> round(float(king_enclosed_light(rh, 0.2, 1.5) / total), 3)
    0.5
    """
    rt = rc * 10 ** c
    k = 1.0 / np.sqrt(1.0 + (rt / rc) ** 2)
    u = 1.0 + (np.minimum(r, rt) / rc) ** 2
    return np.pi * rc ** 2 * (np.log(u) - 4.0 * k * (np.sqrt(u) - 1.0) + k ** 2 * (u - 1.0))


def king_image(dx: np.ndarray, dy: np.ndarray, rc: float, c: float, q: float = 1.0,
               theta: float = 0.0) -> np.ndarray:
    """King (1962) profile with core radius ``rc`` (arcsec), concentration c = log10(r_t/r_c).

    The image holds the profile's share of light that falls on the grid: its sum is 1 when the
    tidal radius fits on the grid and less when it does not (the light beyond the grid is lost,
    not folded back onto it, so a magnitude given for the whole cluster stays right). The
    inner part, out to the largest ellipse that fits on the grid, is normalised by its sampled
    sum (which copes with cores smaller than a pixel) and the analytic light beyond it
    (:func:`king_enclosed_light`) is added to the total.

    Examples
    --------
    >>> import numpy as np
    >>> y, x = np.mgrid[-30:31, -30:31] * 0.1
    >>> img = king_image(x, y, rc=0.1, c=1.2)
    >>> round(float(img.sum()), 6), float(img[0, 0])
    (1.0, 0.0)
    >>> big = king_image(x, y, rc=0.1, c=2.5)  # r_t = 31.6", far beyond the 3" grid
    >>> 0.5 < float(big.sum()) < 0.9
    True
    """
    r, _, _ = _elliptical_radius(dx, dy, q, theta)
    rt = rc * 10 ** c
    img = (1 / np.sqrt(1 + (r / rc) ** 2) - 1 / np.sqrt(1 + (rt / rc) ** 2)) ** 2
    img[r >= rt] = 0.0
    # Largest elliptical radius whose ellipse lies wholly on the grid (pixel centres): its
    # major axis is at most the distance from the centre to the nearest edge.
    a0 = float(min(dx.max(), -dx.min(), dy.max(), -dy.min()))
    inner = r < a0
    if a0 <= 0 or not inner.any() or a0 >= rt:
        # The whole profile is on the grid (or the centre is off it): the grid holds it all.
        return img / img.sum()
    area = float(np.abs(dx[0, 1] - dx[0, 0]) * np.abs(dy[1, 0] - dy[0, 0]))
    outside = q * (king_enclosed_light(np.inf, rc, c) - king_enclosed_light(a0, rc, c)) / area
    return img / (img[inner].sum() + outside)


def king_half_light_ratio(c: float) -> float:
    """r_h / r_c of a projected King (1962) profile of concentration ``c``.

    Examples
    --------
    >>> 1.0 < king_half_light_ratio(1.0) < king_half_light_ratio(2.0)
    True
    """
    rt = 10 ** c
    r = np.linspace(0, rt, 20000)
    prof = (1 / np.sqrt(1 + r ** 2) - 1 / np.sqrt(1 + rt ** 2)) ** 2
    cum = np.cumsum(prof * r)
    return float(np.interp(0.5 * cum[-1], cum, r))


def _sample_profile(rng, img, dx, dy, n):
    """``n`` positions (arcsec) drawn from an image used as a probability map."""
    p = img.ravel() / img.sum()
    idx = rng.choice(p.size, size=n, p=p)
    step = abs(dx[0, 1] - dx[0, 0])
    return (dx.ravel()[idx] + rng.uniform(-0.5, 0.5, n) * step,
            dy.ravel()[idx] + rng.uniform(-0.5, 0.5, n) * step)


def _stars_from_lf(rng, total_flux, zp, m_lo, m_hi, slope):
    """Magnitudes drawn from dN/dm ~ 10^(slope m) on [m_lo, m_hi] until ``total_flux`` counts."""
    mags = []
    flux = 0.0
    a, b = 10 ** (slope * m_lo), 10 ** (slope * m_hi)
    while flux < total_flux and len(mags) < 20000:
        m = np.log10(rng.uniform(a, b, 64)) / slope
        f = 10 ** (-0.4 * (m - zp))
        keep = np.cumsum(f) + flux <= total_flux * 1.0001
        if not keep.any():
            break
        mags.extend(m[keep].tolist())
        flux += f[keep].sum()
        if not keep.all():
            break
    return np.asarray(mags)


class _Scene:
    """Smooth light on an oversampled grid plus point sources; counts, before the instrument."""

    def __init__(self, cfg: CutoutSimConfig, zp: float, pad: int = 16):
        self.cfg, self.zp, self.pad = cfg, zp, pad
        os_ = cfg.oversample
        self.n_os = (cfg.size + 2 * pad) * os_
        step = cfg.pixel_scale / os_
        # Offsets (arcsec) of the oversampled pixel centres from the cutout centre.
        c = (np.arange(self.n_os) + 0.5) * step - (cfg.size + 2 * pad) * cfg.pixel_scale / 2
        self.dx, self.dy = np.meshgrid(c, c)
        self.step = step
        self.image = np.zeros((self.n_os, self.n_os))

    def flux(self, mag):
        return 10 ** (-0.4 * (np.asarray(mag) - self.zp))

    def add(self, unit_img, mag):
        self.image += unit_img * self.flux(mag)

    def add_points(self, x, y, mag):
        x, y = np.atleast_1d(x), np.atleast_1d(y)
        half = self.n_os * self.step / 2
        ix = np.floor((x + half) / self.step).astype(int)
        iy = np.floor((y + half) / self.step).astype(int)
        ok = (ix >= 0) & (ix < self.n_os) & (iy >= 0) & (iy < self.n_os)
        # flat indices into the (contiguous) canvas: numpy's fast ufunc.at loop, the same sums in the same
        # order as np.add.at(image, (iy, ix), ...) (render.add_at_pixels; not imported: the field renderer
        # brings the galaxy and SSP code, half a second, which cutouts do not use)
        np.add.at(self.image.reshape(-1), iy[ok] * self.n_os + ix[ok], self.flux(np.atleast_1d(mag))[ok])

    def at(self, x0, y0):
        return self.dx - x0, self.dy - y0


# -- objects ---------------------------------------------------------------------------------


def cluster_halo_settings(cfg: CutoutSimConfig) -> dict[str, float] | None:
    """``cfg.cluster_halo`` completed with :data:`CLUSTER_HALO`'s defaults and checked.

    Raises :class:`~starclass.errors.StarclassError` naming the key for an unknown key, a value
    that is not a finite number, a negative one, a share above 1, or radii out of order.

    Examples
    --------
    >>> cluster_halo_settings(CutoutSimConfig(cluster_halo={"faint_share": 0.5}))["faint_share"]
    0.5
    >>> cluster_halo_settings(CutoutSimConfig(cluster_halo=None)) is None
    True
    """
    if cfg.cluster_halo is None:
        return None
    if not isinstance(cfg.cluster_halo, dict):
        raise StarclassError(f"CutoutSimConfig.cluster_halo must be a dict of {sorted(CLUSTER_HALO)} or None, "
                             f"got {cfg.cluster_halo!r}")
    bad = sorted(set(cfg.cluster_halo) - set(CLUSTER_HALO))
    if bad:
        raise StarclassError(f"CutoutSimConfig.cluster_halo: unknown {agreeing(len(bad), 'key')} {bad}; "
                             f"known: {sorted(CLUSTER_HALO)}")
    out = {**CLUSTER_HALO, **cfg.cluster_halo}
    for key, value in out.items():
        ok = isinstance(value, (int, float)) and np.isfinite(value) and value >= 0
        if ok and key in ("r_start_kpc", "r_full_kpc", "size_r0_kpc", "rh_max_pc", "faint_g"):
            ok = value > 0
        if ok and key == "faint_share":
            ok = value <= 1
        if not ok:
            raise StarclassError(f"CutoutSimConfig.cluster_halo[{key!r}] must be a finite number >= 0 "
                                 f"(> 0 for radii, sizes and magnitudes; <= 1 for faint_share), got {value!r}")
    if out["r_full_kpc"] <= out["r_start_kpc"]:
        raise StarclassError(f"CutoutSimConfig.cluster_halo['r_full_kpc'] ({out['r_full_kpc']}) must exceed "
                             f"r_start_kpc ({out['r_start_kpc']})")
    return {k: float(v) for k, v in out.items()}


def halo_faint_share(r_kpc: float, halo: dict[str, float]) -> float:
    """Share of clusters at projected radius ``r_kpc`` drawn from the faint outer-halo peak.

    0 within ``r_start_kpc``, ``faint_share`` beyond ``r_full_kpc``, linear in log R between.

    Examples
    --------
    >>> [round(halo_faint_share(r, CLUSTER_HALO), 3) for r in (5.0, 21.2, 60.0)]
    [0.0, 0.175, 0.35]
    """
    lo, hi = np.log10(halo["r_start_kpc"]), np.log10(halo["r_full_kpc"])
    ramp = float(np.clip((np.log10(max(r_kpc, 1e-6)) - lo) / (hi - lo), 0.0, 1.0))
    return halo["faint_share"] * ramp


def draw_cluster_parameters(rng: np.random.Generator, cfg: CutoutSimConfig,
                            extended: bool = False, r_gal: float | None = None) -> dict[str, float]:
    """The physical parameters of one simulated M31 cluster (the module docstring's distributions).

    Returns ``r_h_pc`` (half-light radius, pc), ``r_eff_arcsec`` (the same at ``cfg``'s
    distance), ``king_c`` (log10 r_t / r_c), ``g_mag``, ``f_resolved`` (share of the light drawn
    as resolved giants), ``axis_ratio`` and ``theta`` (rad). Split out of the renderer so the
    distributions can be checked by themselves (``tests/test_simulate_cutouts_m31.py``).

    With ``r_gal`` (projected radius on M31, kpc) and ``cfg.cluster_halo`` set, a globular
    cluster's magnitude and size depend on where it is (:data:`CLUSTER_HALO`): beyond
    ``r_start_kpc`` a growing share comes from the faint outer-halo peak, and beyond
    ``size_r0_kpc`` the half-light radius grows as R^``size_index``. Without ``r_gal`` (or with
    ``cluster_halo=None``) the draw is the radius-independent one, random number for random
    number.

    Examples
    --------
    >>> import numpy as np
    >>> p = draw_cluster_parameters(np.random.default_rng(0), CutoutSimConfig())
    >>> 0.8 <= p["r_h_pc"] <= 15.0, round(p["r_eff_arcsec"] * CutoutSimConfig().pc_per_arcsec / p["r_h_pc"], 6)
    (True, 1.0)
    """
    halo = None
    if extended:
        rh_pc = float(np.exp(rng.uniform(np.log(10.0), np.log(35.0))))
        c = float(rng.uniform(0.5, 1.2))
        mag = float(rng.uniform(17.5, 20.5))
        f_res = float(rng.uniform(0.5, 0.8))
    else:
        rh_raw = float(10 ** rng.normal(np.log10(5.0), 0.28))
        rh_pc = float(np.clip(rh_raw, 0.8, 20.0))
        # Concentrations of Milky Way and M31 globulars (c ~ 1.5-1.8; Harris 1996; Barmby
        # et al. 2007).
        c = float(np.clip(rng.normal(1.7, 0.3), 1.0, 2.5))
        # M31 GCLF: V peak 16.85 (M_V -7.6 at m-M 24.46), g - V ~ 0.35-0.6 for an old population.
        mag = float(np.clip(rng.normal(17.5, 1.3), 14.5, 21.0))
        f_res = float(rng.uniform(0.15, 0.35))
        halo = cluster_halo_settings(cfg) if r_gal is not None else None
        if halo is not None:
            # Outer halo (Huxor et al. 2014; van den Bergh et al. 1991; :data:`CLUSTER_HALO`).
            # Both numbers are drawn at every radius, so the stream does not depend on R.
            u_peak, z = rng.uniform(), rng.normal()
            faint = bool(u_peak < halo_faint_share(r_gal, halo))
            if faint:
                mag = float(np.clip(halo["faint_g"] + halo["faint_sigma"] * z, 14.5, 21.0))
            grow = (max(r_gal, halo["size_r0_kpc"]) / halo["size_r0_kpc"]) ** halo["size_index"]
            # The upper clip grows with the sizes up to the outer halo's upper end (the extended
            # clusters'), so grown sizes do not pile up at the inner 20 pc and the clusters
            # within ``size_r0_kpc`` keep the inner distribution.
            rh_pc = float(np.clip(rh_raw * grow, 0.8, max(20.0, min(20.0 * grow, halo["rh_max_pc"]))))
    q = float(rng.uniform(0.8, 1.0))
    theta = float(rng.uniform(0, np.pi))
    out = {"r_h_pc": rh_pc, "r_eff_arcsec": rh_pc / cfg.pc_per_arcsec, "king_c": c, "g_mag": mag,
           "f_resolved": f_res, "axis_ratio": q, "theta": theta}
    if not extended and halo is not None:
        out["faint_peak"] = faint
    return out


def _globular(rng, scene, cfg, x0, y0, extended=False, r_gal=None):
    """A King-profile cluster, partly resolved into stars; returns its truth."""
    p = draw_cluster_parameters(rng, cfg, extended, r_gal=r_gal)
    rh_pc, rh, c, mag, f_res = p["r_h_pc"], p["r_eff_arcsec"], p["king_c"], p["g_mag"], p["f_resolved"]
    q, theta = p["axis_ratio"], p["theta"]
    rc = rh / king_half_light_ratio(c)
    prof = king_image(*scene.at(x0, y0), rc=rc, c=c, q=q, theta=theta)
    scene.add(prof, mag - 2.5 * np.log10(1 - f_res))
    # Giants and horizontal-branch stars of an old population at M31 (tip of the RGB near
    # g ~ 23, HB near g ~ 25): drawn along the profile until they carry f_res of the light.
    # Only the share of the profile that falls on the grid is drawn (prof.sum() <= 1), for the
    # stars as for the smooth light.
    stars = _stars_from_lf(rng, scene.flux(mag) * f_res * float(prof.sum()), scene.zp, 22.8, 26.5, 0.35)
    if stars.size:
        sx, sy = _sample_profile(rng, prof, scene.dx, scene.dy, stars.size)
        scene.add_points(sx, sy, stars)
    return {"g_mag": mag, "r_h_pc": rh_pc, "r_eff_arcsec": rh, "king_c": c, "axis_ratio": q,
            "kind": "extended" if extended else "globular", "n_resolved": int(stars.size)}


def _galaxy_size(rng, mag, scale=1.0):
    return float(scale * 10 ** (0.35 - 0.12 * (mag - 19.0) + rng.normal(0, 0.2)))


def _disc_q(rng, q0):
    cosi = rng.uniform(0, 1)
    return float(np.sqrt(cosi ** 2 + q0 ** 2 * (1 - cosi ** 2)))


def _galaxy(rng, scene, cfg, x0, y0, kind=None, mag=None):
    """A background galaxy of one kind; returns its truth."""
    if kind is None:
        kinds = list(GALAXY_KINDS)
        kind = str(rng.choice(kinds, p=np.array(list(GALAXY_KINDS.values())) / sum(GALAXY_KINDS.values())))
    mag = float(rng.uniform(15.3, 19.3)) if mag is None else mag
    re = _galaxy_size(rng, mag, cfg.galaxy_size_scale)
    theta = float(rng.uniform(0, np.pi))
    dx, dy = scene.at(x0, y0)
    truth = {"g_mag": mag, "r_eff_arcsec": re, "kind": kind}
    if kind == "elliptical":
        n = float(rng.uniform(2.0, 4.5))
        q = float(rng.uniform(0.65, 1.0))
        # Ellipticals are more compact than discs at the same luminosity (Shen et al. 2003).
        re *= 0.8
        scene.add(sersic_image(dx, dy, re, n, q, theta), mag)
        truth.update(sersic_n=n, axis_ratio=q, r_eff_arcsec=re)
    elif kind in ("lenticular", "spiral", "edge_on"):
        q0 = float(rng.uniform(0.1, 0.2))
        q = float(rng.uniform(0.08, 0.25)) if kind == "edge_on" else max(_disc_q(rng, q0), 0.35)
        bt = float(rng.uniform(0.3, 0.7) if kind == "lenticular" else rng.uniform(0.05, 0.35))
        disc = sersic_image(dx, dy, re, 1.0, q, theta)
        if kind == "spiral":
            r, u, v = _elliptical_radius(dx, dy, q, theta)
            phi = np.arctan2(v / q, u)
            pitch = np.deg2rad(rng.uniform(12, 30))
            amp = float(rng.uniform(0.4, 0.8))
            arms = 1 + amp * np.cos(2 * (phi - np.log(np.maximum(r, 1e-3) / re) / np.tan(pitch)))
            disc = disc * arms
            disc /= disc.sum()
            # Star-forming knots along the arms carry 5-15% of the disc light.
            nk = int(rng.integers(4, 12))
            kx, ky = _sample_profile(rng, disc, dx, dy, nk)
            kf = rng.dirichlet(np.ones(nk)) * rng.uniform(0.05, 0.15)
            for x, y, f in zip(kx, ky, kf):
                scene.add(sersic_image(dx - x, dy - y, 0.12, 0.5), mag - 2.5 * np.log10(f))
        if kind == "edge_on":
            # A dust lane along the mid-plane dims the inner disc.
            _, u, v = _elliptical_radius(dx, dy, 1.0, theta)
            lane = 1 - rng.uniform(0.3, 0.8) * np.exp(-0.5 * (v / (0.15 * q * re + 0.05)) ** 2) * (
                np.abs(u) < 1.5 * re)
            disc = disc * lane
            disc /= disc.sum()
        scene.add(disc, mag - 2.5 * np.log10(1 - bt))
        scene.add(sersic_image(dx, dy, 0.25 * re, 4.0, min(1.0, q + 0.4), theta), mag - 2.5 * np.log10(bt))
        truth.update(sersic_n=1.0, axis_ratio=q, bulge_fraction=bt)
    elif kind == "irregular":
        q = float(rng.uniform(0.4, 0.9))
        base = sersic_image(dx - rng.normal(0, 0.3 * re), dy - rng.normal(0, 0.3 * re), re, 0.8, q, theta)
        f_clumps = float(rng.uniform(0.3, 0.6))
        scene.add(base, mag - 2.5 * np.log10(1 - f_clumps))
        nk = int(rng.integers(3, 9))
        kf = rng.dirichlet(np.ones(nk)) * f_clumps
        for f in kf:
            x, y = rng.normal(0, 0.8 * re, 2)
            scene.add(sersic_image(dx - x, dy - y, float(rng.uniform(0.1, 0.4)), 0.7), mag - 2.5 * np.log10(f))
        truth.update(sersic_n=0.8, axis_ratio=q)
    elif kind == "merger":
        sep = float(rng.uniform(1.0, 4.0))
        ang = float(rng.uniform(0, 2 * np.pi))
        ratio = float(rng.uniform(0.2, 1.0))
        m1 = mag + 2.5 * np.log10(1 + ratio)
        m2 = m1 - 2.5 * np.log10(ratio)
        second_kind = str(rng.choice(["elliptical", "lenticular"]))
        for (x, y), m, k in (((0.0, 0.0), m1, "elliptical"),
                             ((sep * np.cos(ang), sep * np.sin(ang)), m2, second_kind)):
            _galaxy(rng, scene, cfg, x0 + x, y0 + y, kind=k, mag=float(m - 2.5 * np.log10(0.9)))
        # A curved tidal tail of diffuse blobs carries 10% of the light.
        nt = 12
        t = np.linspace(0.3, 1.0, nt)
        bend = rng.uniform(-1.2, 1.2)
        tail_len = sep * rng.uniform(1.5, 3.0)
        tx = x0 + tail_len * t * np.cos(ang + np.pi + bend * t)
        ty = y0 + tail_len * t * np.sin(ang + np.pi + bend * t)
        for x, y in zip(tx, ty):
            scene.add(sersic_image(scene.dx - x, scene.dy - y, 0.4, 0.5), mag - 2.5 * np.log10(0.1 / nt))
        truth.update(sersic_n=np.nan, axis_ratio=np.nan, merger_sep_arcsec=sep)
    else:
        raise StarclassError(f"unknown galaxy kind {kind!r}")
    return truth


def m31_surface_brightness(r_kpc: ArrayLike) -> float | np.ndarray:
    """g-band surface brightness (mag/arcsec^2) of M31's light at projected radius ``r_kpc``.

    Sum of a Sersic bulge (n 2.2, r_e 1 kpc, mu_e 19.9), an exponential disc (central 21.4,
    scale length 5.3 kpc) and a power-law halo (28.4 at 30 kpc, intensity ~ R^-2.7, flat inside 10 kpc): V-band
    values of Courteau et al. 2011 (ApJ 739, 20) and the PAndAS halo (Ibata et al. 2014) with
    g - V = 0.4, along the major axis (the minor axis is fainter; the caller adds scatter).

    Examples
    --------
    >>> [round(float(m31_surface_brightness(r)), 1) for r in (0.5, 5.0, 30.0)]
    [18.6, 22.2, 27.1]
    """
    r = np.asarray(r_kpc, dtype=float)
    bn = gammaincinv(2 * 2.2, 0.5)
    bulge = 10 ** (-0.4 * 19.9) * np.exp(-bn * ((r / 1.0) ** (1 / 2.2) - 1))
    disc = 10 ** (-0.4 * 21.4) * np.exp(-r / 5.3)
    halo = 10 ** (-0.4 * 28.4) * (np.maximum(r, 10.0) / 30.0) ** -2.7
    return -2.5 * np.log10(bulge + disc + halo)


#: Share of M31's light in the stars drawn one by one (g = 25-28.5) and their mean magnitude
#: (dN/dm ~ 10^(0.4 m) on that range).
_RESOLVED_SHARE = 0.6
_UNRESOLVED_MEAN_MAG = float(-2.5 * np.log10(3.5 * 0.4 * np.log(10) / (10 ** (0.4 * 28.5) - 10 ** (0.4 * 25.0))))


#: Mean magnitude of M31's upper RGB and AGB stars, g = 23-25.5 with dN/dm ~ 10^(0.3 m).
_UPPER_RGB_MEAN_MAG = float(-2.5 * np.log10(
    0.3 * np.log(10) * np.trapezoid(10 ** (0.3 * np.linspace(23.0, 25.5, 501) - 0.4 * np.linspace(23.0, 25.5, 501)),
                                    np.linspace(23.0, 25.5, 501)) / (10 ** (0.3 * 25.5) - 10 ** (0.3 * 23.0))))


def _surroundings(rng, scene, cfg, label, r_gal=None):
    """Field giants of M31, Milky Way foreground stars and faint background galaxies."""
    area = (scene.n_os * scene.step) ** 2  # arcsec^2 of the padded grid
    half = scene.n_os * scene.step / 2
    # M31 giants per arcsec^2: the globular clusters lie on M31's disc and inner halo; the
    # catalogue's galaxies and the extended clusters (found at projected radii beyond ~15 kpc;
    # Huxor et al. 2014) lie further out, where the giants thin out.
    lo, hi = (-1.5, 0.5) if label == "cluster" else (-2.0, 0.0)
    dens = 10 ** rng.uniform(lo, hi)
    n_giants = rng.poisson(dens * area)
    if n_giants:
        a, b = 10 ** (0.4 * 23.5), 10 ** (0.4 * 28.5)
        mags = np.log10(rng.uniform(a, b, n_giants)) / 0.4
        scene.add_points(rng.uniform(-half, half, n_giants), rng.uniform(-half, half, n_giants), mags)
    # The unresolved M31 population (the lower RGB and red clump, g = 25-28.5): far too faint
    # to see one by one, but their Poisson numbers per seeing disc make the blotchy surface-
    # brightness fluctuations of the real cluster backgrounds (Tonry & Schneider 1988).
    if _on_m31(cfg, label):
        # Where the object sits on M31 sets its background: a projected radius from the real
        # folder's distribution for the label (half the clusters within 5 kpc, the galaxies at
        # a median of 21 kpc), and M31's own light there (bulge + disc + halo,
        # :func:`m31_surface_brightness`, +-0.5 mag for the azimuth on the inclined disc) is the
        # unresolved population: 60% of it in stars of g = 25-28.5 (drawn one by one: the
        # surface-brightness fluctuations), the rest as smooth light whose Poisson noise adds
        # to the sky's. Galaxies get ``galaxy_m31_share`` of it.
        # (drawn here unless the object's own parameters needed it first: ``r_gal``)
        r_kpc = draw_r_gal(rng, cfg, label) if r_gal is None else float(r_gal)
        share = 1.0 if label == "cluster" else float(cfg.galaxy_m31_share)
        mu = float(m31_surface_brightness(r_kpc) + rng.normal(0.0, 0.5))
        scene.m31_background = {R_GAL: r_kpc, "m31_mu_g": mu}
        n_faint = rng.poisson(share * _RESOLVED_SHARE * 10 ** (-0.4 * (mu - _UNRESOLVED_MEAN_MAG)) * area)
        scene.image += share * (1 - _RESOLVED_SHARE) * scene.flux(mu) * scene.step ** 2
        if label == "galaxy" and cfg.galaxy_giant_share > 0:
            # M31's upper RGB and AGB stars (g = 23-25.5, dN/dm ~ 10^(0.3 m)) in proportion
            # to its light there: the point sources scattered around the real galaxies, more
            # of them the closer to M31's disc.
            n_up = rng.poisson(cfg.galaxy_giant_share * 10 ** (-0.4 * (mu - _UPPER_RGB_MEAN_MAG)) * area)
            scene.m31_background["n_upper_giants"] = int(n_up)
            if n_up:
                a, b = 10 ** (0.3 * 23.0), 10 ** (0.3 * 25.5)
                mags = np.log10(rng.uniform(a, b, n_up)) / 0.3
                scene.add_points(rng.uniform(-half, half, n_up), rng.uniform(-half, half, n_up), mags)
    else:
        n_faint = rng.poisson(10 ** rng.uniform(-1.0, 0.3) * area)
    if n_faint:
        a, b = 10 ** (0.4 * 25.0), 10 ** (0.4 * 28.5)
        mags = np.log10(rng.uniform(a, b, n_faint)) / 0.4
        scene.add_points(rng.uniform(-half, half, n_faint), rng.uniform(-half, half, n_faint), mags)
    # Milky Way foreground stars toward M31 (b = -21 deg): about one per cutout to g = 23.
    n_fg = rng.poisson(1.2 * area / 576.0)
    spikes = []
    if n_fg:
        a, b = 10 ** (0.15 * 15.0), 10 ** (0.15 * 23.0)
        mags = np.log10(rng.uniform(a, b, n_fg)) / 0.15
        x, y = rng.uniform(-half, half, n_fg), rng.uniform(-half, half, n_fg)
        scene.add_points(x, y, mags)
        spikes = [(xi, yi, mi) for xi, yi, mi in zip(x, y, mags) if mi < 17.0]
    # Faint background galaxies (g 21-25, about 4 per 24" cutout from the galaxy counts).
    n_bg = rng.poisson(4.0 * area / 576.0)
    for _ in range(n_bg):
        m = float(np.log10(rng.uniform(10 ** (0.3 * 21), 10 ** (0.3 * 25))) / 0.3)
        x, y = rng.uniform(-half, half, 2)
        scene.add(sersic_image(scene.dx - x, scene.dy - y, float(10 ** rng.normal(-0.4, 0.2)),
                               float(rng.uniform(0.8, 3.0)), float(rng.uniform(0.4, 1.0)),
                               float(rng.uniform(0, np.pi))), m)
    return spikes


# -- instrument ------------------------------------------------------------------------------


def moffat_kernel(fwhm_arcsec: float, beta: float, step: float, half: int | None = None) -> np.ndarray:
    """A unit-sum Moffat PSF sampled at ``step`` arcsec.

    Examples
    --------
    >>> k = moffat_kernel(0.7, 3.0, 0.0935)
    >>> round(float(k.sum()), 6), k.shape[0] % 2
    (1.0, 1)
    """
    alpha = fwhm_arcsec / (2 * np.sqrt(2 ** (1 / beta) - 1))
    half = half if half is not None else int(np.ceil(6 * fwhm_arcsec / step))
    r = np.arange(-half, half + 1) * step
    xx, yy = np.meshgrid(r, r)
    k = (1 + (xx ** 2 + yy ** 2) / alpha ** 2) ** (-beta)
    return k / k.sum()


def _spike_image(scene, x, y, mag, fwhm):
    """Four diffraction spikes of a bright star (the MegaCam spider), ~1% of its light."""
    dx, dy = scene.at(x, y)
    length = 2.0 + 1.5 * (17.0 - mag)
    width = 0.25 * fwhm
    img = (np.exp(-0.5 * (dy / width) ** 2) * np.exp(-np.abs(dx) / length)
           + np.exp(-0.5 * (dx / width) ** 2) * np.exp(-np.abs(dy) / length))
    return _unit_sum(img)


def zscale_to_uint8(image: np.ndarray, limits_from: np.ndarray | None = None,
                    contrast: float = 0.25) -> np.ndarray:
    """Linear ZScale stretch (:class:`astropy.visualization.ZScaleInterval`) to 8-bit.

    The limits come from ``limits_from`` (a larger frame around the cutout) when given, else
    from ``image`` itself; ``contrast`` is ZScale's (0.25, astropy's default, unless given).

    Examples
    --------
    >>> import numpy as np
    >>> img = np.random.default_rng(0).normal(100, 5, (64, 64))
    >>> out = zscale_to_uint8(img)
    >>> out.dtype.name, int(out.min()) >= 0, int(out.max()) <= 255
    ('uint8', True, True)
    """
    if not contrast > 0:
        raise StarclassError(f"ZScale contrast must be positive, got {contrast}")
    vmin, vmax = ZScaleInterval(contrast=contrast).get_limits(image if limits_from is None else limits_from)
    scaled = np.clip((image - vmin) / max(vmax - vmin, 1e-12), 0.0, 1.0)
    return np.round(scaled * 255.0).astype(np.uint8)


def draw_r_gal(rng: np.random.Generator, cfg: CutoutSimConfig, label: str) -> float:
    """Projected radius (kpc) on M31 of one simulated ``label`` object.

    One uniform draw through the quantile function of ``cfg.r_gal_percentiles[label]`` (log10
    kpc at evenly spaced percentiles, linear in between; by default the real folder's,
    :data:`R_GAL_LOG10_PERCENTILES`); a label without one gets the earlier draw, equal
    numbers per dex of radius over 0.5-100 kpc (the same random number, so such a folder is
    unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> r = [draw_r_gal(np.random.default_rng(i), CutoutSimConfig(), "cluster") for i in range(400)]
    >>> 4.0 < float(np.median(r)) < 7.0
    True
    """
    u = rng.uniform(0.0, 1.0)
    pct = cfg.r_gal_percentiles.get(label)
    if pct is None:
        return float(10 ** (np.log10(0.5) + u * (2.0 - np.log10(0.5))))
    if len(pct) < 2 or np.any(np.diff(pct) < 0):
        raise StarclassError(f"r_gal_percentiles[{label!r}] must be at least 2 non-decreasing values, got {pct}")
    return float(10 ** np.interp(u, np.linspace(0.0, 1.0, len(pct)), pct))


def _on_m31(cfg: CutoutSimConfig, label: str) -> bool:
    """Whether ``label``'s cutouts are seen through M31's light (clusters always; galaxies
    when ``cfg`` gives them a radius distribution)."""
    if label == "cluster":
        return True
    return label == "galaxy" and "galaxy" in cfg.r_gal_percentiles


def _grid_pad(cfg: CutoutSimConfig, label: str, frame_px: int) -> int:
    """Border (px) of the rendered grid around the cutout: the stretch frame's, and for
    objects seen through M31 (clusters; galaxies since the fourth pass) also
    :data:`CLUSTER_GRID_MARGIN_PX` beyond it (M31's light and stars must not thin out towards
    the edge); 16 px for extended clusters, whose sparse fields lose a negligible share of
    light at the edge (and whose cutouts are kept as they were)."""
    extra = (frame_px - cfg.size + 1) // 2
    if _on_m31(cfg, label):
        return extra + CLUSTER_GRID_MARGIN_PX
    return max(16, extra)


def simulate_cutout(cfg: CutoutSimConfig, label: str, index: int) -> tuple[np.ndarray, dict]:
    """One simulated cutout (uint8, ``size`` x ``size``) of ``label`` and its truth.

    Parameters
    ----------
    cfg : CutoutSimConfig
        The simulation's settings.
    label : {"cluster", "extended_cluster", "galaxy"}
        What sits at the centre.
    index : int
        Cutout number: its random stream is ``SeedSequence([cfg.seed, index])``.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` array, ZScale-stretched.
    truth : dict
        ``g_mag``, ``seeing_arcsec``, ``kind``, sizes and shape parameters.

    Examples
    --------
    >>> img, truth = simulate_cutout(CutoutSimConfig(size=64), "cluster", 0)
    >>> img.shape, img.dtype.name, truth["kind"]
    ((64, 64), 'uint8', 'globular')
    """
    if label not in PANDAS_LABEL_COUNTS:
        raise StarclassError(f"unknown label {label!r}; known: {', '.join(PANDAS_LABEL_COUNTS)}")
    for name in ("galaxy_size_scale", "galaxy_m31_share", "galaxy_giant_share"):
        value = getattr(cfg, name)
        if not (np.isfinite(value) and value >= 0) or (name == "galaxy_size_scale" and value == 0):
            raise StarclassError(f"CutoutSimConfig.{name} must be a finite number >= 0 (> 0 for the size), got {value}")
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, index]))
    fwhm = float(rng.uniform(*cfg.seeing_range))
    zp = cfg.zeropoint(fwhm, cfg.depth + rng.uniform(-cfg.depth_spread, cfg.depth_spread))
    frame_px = cfg.size if cfg.stretch_frame is None else int(cfg.stretch_frame)
    if frame_px < cfg.size:
        raise StarclassError(f"stretch_frame ({frame_px}) must be at least the cutout size ({cfg.size})")
    scene = _Scene(cfg, zp, pad=_grid_pad(cfg, label, frame_px))
    # A globular cluster whose luminosity and size depend on its radius (``cluster_halo``)
    # needs its position on M31 first; otherwise it is drawn with the surroundings, as before,
    # so a folder made with ``cluster_halo=None`` is the fourth pass's, byte for byte.
    r_gal = None
    if label == "cluster" and cluster_halo_settings(cfg) is not None:
        r_gal = draw_r_gal(rng, cfg, label)
    # The object sits a little off the cutout's centre, as a catalogue position does (0.3 px, 0.06"
    # rms): an assumption, not a measurement. The real folder's match_sep_arcsec, once cited here
    # for "within about 0.5 arcsec", is 0.0 in every row (not recorded), so it measures nothing.
    x0, y0 = rng.normal(0, 0.3, 2)
    if label == "galaxy":
        truth = _galaxy(rng, scene, cfg, x0, y0)
    else:
        truth = _globular(rng, scene, cfg, x0, y0, extended=(label == "extended_cluster"), r_gal=r_gal)
    spikes = _surroundings(rng, scene, cfg, label, r_gal=r_gal)
    # Instrument: seeing, spikes, binning to detector pixels, sky and noise.
    img = fftconvolve(scene.image, moffat_kernel(fwhm, cfg.psf_beta, scene.step), mode="same")
    for x, y, m in spikes:
        img += _spike_image(scene, x, y, m, fwhm) * scene.flux(m) * 0.01
    o = cfg.oversample
    n = img.shape[0] // o
    img = img.reshape(n, o, n, o).sum(axis=(1, 3))
    sky = 10 ** (-0.4 * (cfg.sky_mag - zp)) * cfg.pixel_scale ** 2
    noise = rng.normal(0.0, 1.0, img.shape) * np.sqrt(np.maximum(img, 0) + sky)
    if cfg.correlation_px > 0:
        # Resampling onto the stack grid correlates neighbouring pixels; keep the variance.
        g = gaussian_filter(noise, cfg.correlation_px)
        noise = g * (noise.std() / max(g.std(), 1e-12))
    img = img + sky + noise
    p = scene.pad
    # The ZScale limits come from the centred stretch_frame (by default the cutout itself).
    q = (img.shape[0] - frame_px) // 2
    frame = img[q:q + frame_px, q:q + frame_px]
    img = img[p:p + cfg.size, p:p + cfg.size]
    truth.update(seeing_arcsec=fwhm, label=label, **getattr(scene, "m31_background", {}))
    return zscale_to_uint8(img, limits_from=frame, contrast=cfg.zscale_contrast.get(label, 0.25)), truth


def write_cutouts(cfg: CutoutSimConfig, outdir: str | os.PathLike, overwrite: bool = False,
                  progress: bool | None = False) -> Path:
    """Write a labelled cutout folder like ``shared/data/pandas-m31``; returns ``labels.csv``.

    ``OUT/<label>/sim_<index>.png`` for every cutout, then ``OUT/labels.csv`` (columns
    ``file``, ``label``, ``object_id``, ``g_mag``, ``seeing_arcsec``, ``kind``,
    ``r_eff_arcsec``, ``r_gal`` (projected radius on M31, kpc) and ``m31_mu_g`` (M31's surface
    brightness behind the object, g mag/arcsec^2), the last two empty for objects drawn off
    M31). The set is written into a hidden folder beside ``outdir`` and renamed into place when
    complete: an interrupted run leaves ``outdir`` as it was.

    Parameters
    ----------
    cfg : CutoutSimConfig
        What to simulate.
    outdir : path
        Output folder.
    overwrite : bool
        Replace an existing folder holding a cutout set (otherwise refuse, saying what is there);
        a folder holding other files is refused even so.
    progress : bool or None
        Show a progress bar (None: a few timed lines, :class:`starclass.io.progress.Progress`).

    Examples
    --------
    >>> import tempfile
    >>> p = write_cutouts(CutoutSimConfig(n=3, size=64), tempfile.mkdtemp() + "/sim")
    >>> p.name
    'labels.csv'
    """
    out = Path(outdir)
    own = [*PANDAS_LABEL_COUNTS, "labels.csv"]
    if foreign := _foreign_cutouts(out):
        # a user's own labelled folder (cluster/, galaxy/ of real cutouts) has a set's folder names: with
        # --overwrite it was replaced whole, every real cutout deleted, and without it called "an interrupted simulate"
        raise StarclassError(f"{out} holds files simulate did not write ({', '.join(foreign[:5])}"
                             f"{', ...' if len(foreign) > 5 else ''}): a labelled cutout folder of its own, which "
                             "overwrite=True would delete too; give another folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise OutputExistsError(_existing_set(out, own), out)
    counts = cfg.label_counts()
    jobs = [(lab, i) for lab in PANDAS_LABEL_COUNTS for i in range(counts[lab])]
    rows = []
    # the whole set is written into a hidden folder beside OUT and moved into place at the end: a
    # Ctrl-C or kill used to leave OUT with thousands of PNGs and no labels.csv, which a rerun
    # refused and `train --stamps OUT` read as a folder of one sub-folder per label
    with atomic_dir(out, overwrite=overwrite, own=own) as tmp:
        for lab in PANDAS_LABEL_COUNTS:
            (tmp / lab).mkdir()
        # through Progress, not tqdm itself: a log file (`simulate ... > log 2>&1`) gets a few timed lines. Its
        # iterate() in the for statement, not kept in a variable: an error in the loop closes it (and its "still
        # working" thread), where a kept generator stayed open while the error's traceback was kept
        bar = Progress(len(jobs), desc="cutouts", noun="cutout", show=progress)
        for index, (lab, _) in bar.iterate(enumerate(jobs)):
            img, truth = simulate_cutout(cfg, lab, index)
            rel = f"{lab}/sim_{index:06d}.png"
            Image.fromarray(img, mode="L").save(tmp / rel, format="PNG")
            rows.append({"file": rel, "label": lab, "object_id": f"SIM-{cfg.seed}-{index:06d}",
                         "g_mag": f"{truth['g_mag']:.3f}", "seeing_arcsec": f"{truth['seeing_arcsec']:.3f}",
                         "kind": truth["kind"], "r_eff_arcsec": f"{truth['r_eff_arcsec']:.3f}",
                         # Where the object is seen on M31 (empty off it: extended clusters).
                         R_GAL: f"{truth[R_GAL]:.3f}" if R_GAL in truth else "",
                         "m31_mu_g": f"{truth['m31_mu_g']:.3f}" if "m31_mu_g" in truth else ""})
        for lab in PANDAS_LABEL_COUNTS:
            if not any((tmp / lab).iterdir()):
                (tmp / lab).rmdir()  # a label with no cutout gets no folder, as before
        with open(tmp / "labels.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["file", "label", "object_id"])
            w.writeheader()
            w.writerows(rows)
    return out / "labels.csv"


def _foreign_cutouts(out: Path) -> list[str]:
    """Files in the label folders of ``out`` that no ``write_cutouts`` writes (``sim_NNNNNN.png``), as ``label/name``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "galaxy").mkdir()
    >>> _ = (d / "galaxy" / "sim_000001.png").write_bytes(b""); _ = (d / "galaxy" / "m31_42.png").write_bytes(b"")
    >>> _foreign_cutouts(d)
    ['galaxy/m31_42.png']
    """
    import re

    found = []
    for lab in PANDAS_LABEL_COUNTS:
        if (out / lab).is_dir():
            found += [f"{lab}/{p.name}" for p in sorted((out / lab).iterdir())
                      if not re.fullmatch(r"sim_\d{6}\.png", p.name)]
    return found


def _existing_set(out: Path, own: list[str]) -> str:
    """Why ``write_cutouts`` will not write into the non-empty folder ``out`` without overwrite, and what to do.

    ``own`` names what a cutout set consists of: a folder holding anything else is refused even
    with overwrite, so the message does not offer it there.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "galaxy").mkdir(); _ = (d / "galaxy" / "sim_000001.png").write_bytes(b"")
    >>> print(_existing_set(d, ["galaxy", "labels.csv"]).split(": ", 1)[1].split(";")[0])
    1 cutout in galaxy/ but no labels.csv
    """
    from starclass.io.atomic import foreign_entries

    foreign = foreign_entries(out, own)
    if foreign:
        # "give --overwrite" here was refused next: the set is replaced as a whole folder, and
        # these files are not the set's
        return (f"{out} holds files a cutout set does not ({', '.join(foreign[:5])}"
                f"{', ...' if len(foreign) > 5 else ''}), which overwrite=True would not replace either; "
                "give another folder")
    pngs = {lab: sum(1 for _ in (out / lab).glob("*.png")) for lab in PANDAS_LABEL_COUNTS if (out / lab).is_dir()}
    n = sum(pngs.values())
    where = ", ".join(f"{lab}/" for lab in pngs)
    if (out / "labels.csv").is_file():
        return (f"{out} already holds a cutout set (labels.csv, {counted(n, 'cutout')} in {where}); give "
                "overwrite=True to replace it, or another folder")
    if pngs:
        return (f"{out} is an incomplete cutout set: {counted(n, 'cutout')} in {where} but no labels.csv; an "
                "interrupted simulate of an older version left it (this one writes the set as a whole). It is not the "
                "simulated set: `train --stamps` would read it as one sub-folder per label; give overwrite=True "
                "to replace it, or another folder")
    entries = sorted(p.name for p in out.iterdir())  # only a set's names, none a cutout (empty label folders)
    return (f"{out} exists and is not empty ({', '.join(entries)}, no cutout); give overwrite=True "
            "to replace it, or another folder")
