"""Chandra-like X-ray images of galaxy clusters labelled by central cooling time (preset ``cool-core``).

The problem of Su et al. (2020; seed 004, second study): 256 x 256 px images of the central
1 Mpc at 3.9"/px (8x coarser than ACIS), one band, labels cool core (CC), weak cool core (WCC)
or non-cool core (NCC) from the central cooling time. Physics first, then the instrument, as
the field simulator (``docs/simulator.md``):

Physics (one cluster at z ~ 0.05, where 3.9" ~ 3.9 kpc, so 256 px span 1 Mpc):

* mass ``M500`` from 10^13.75 to 10^15.06 Msun (the paper's TNG300 range), drawn from a steep
  mass function (dN/dlog M ~ 10^(-1.2 log M), many groups, few massive clusters);
  ``R500 = (3 M500 / (4 pi 500 rho_c))^(1/3)``; ``kT500 = 5 keV (M500 / 3.84e14)^(1/1.71)``
  (Arnaud et al. 2005);
* gas density: a cuspy beta model (Vikhlinin et al. 2006, first term)
  ``n_e ~ (r/r_c)^(-alpha/2) / (1 + (r/r_c)^2)^(3 beta/2 - alpha/4)``, normalised to a gas mass
  fraction 0.09-0.13 inside R500; a latent "core state" ``u`` in [0, 1] sets the cusp
  (``alpha = 2.2 u^1.5``), shrinks the core radius and deepens the central temperature dip
  (``T(r) = T0 (x + T_min/T0) / (x + 1)``, ``x = (r / r_cool)^a``, Vikhlinin et al. 2006), with
  scatter in each so that the image does not give ``u`` away; the innermost 15 kpc get their
  own factor ``1 + a exp(-r / 15 kpc)``, ``a`` in [-0.5, 1.5] (heating and cooling there change
  t_cool more than the 40-400 kpc light);
* central cooling time ``t_cool = 3/2 (n_e + n_i) k T / (n_e n_H Lambda(T, Z))`` with
  ``n_i = 0.92 n_e``, ``n_H = n_e / 1.2`` and the cooling function of Tozzi & Norman (2001,
  Z = 0.3, with a metallicity scatter of 0.15 dex), averaged over the sphere ``r < 0.012 R500``
  (Barnes et al. 2018, as the paper); label CC below 1 Gyr, WCC 1-7.7 Gyr, NCC above 7.7 Gyr;
  the central density ``n_e(< 0.012 R500)`` is kept for the density baseline;
* X-ray emissivity ``n_e^2 Lambda_band(T)`` (soft band: ``Lambda_band ~ T^-0.1``) projected
  along the line of sight (numerical Abel projection), with an axis ratio 0.7-1;
* disturbances, more often in clusters with a low ``u`` (mergers destroy cores): a merging
  subcluster (mass ratio 0.1-0.4, 200-700 kpc away) that also elongates and shifts the main
  cluster; sloshing spirals (10-25 % modulation inside 200 kpc) and pairs of AGN cavities
  (radius 8-20 kpc, 15-40 kpc out, 20-40 % deficit) in cool cores; a central AGN point source
  in some cool cores.

Instrument: about 1e4-8e4 cluster counts per image (tens of ks on a nearby cluster), a flat
particle + sky background of 0.5-3 counts per (3.9")^2 pixel, mild vignetting (15 % at the
edge), a PSF of 0.4 px (Chandra's 0.5" core is far below the pixel), 0-8 background point
sources (AGN; 10-300 counts each), then Poisson counts. Images are written as FITS (counts)
with a TAN WCS at 3.9"/px.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from scipy.ndimage import gaussian_filter

from starclass.errors import StarclassError
from starclass.simulate.labelled import celestial_wcs, write_labelled_folder

__all__ = ["CLASS_NAMES", "CoolCoreSimConfig", "cooling_function", "cooling_time_gyr", "simulate_cluster",
           "surface_brightness_concentration", "write_coolcore"]

#: Class number -> name, as the ``cool-core`` task orders them.
CLASS_NAMES = {1: "CC", 2: "WCC", 3: "NCC"}

KPC_CM = 3.0857e21
M_P_G = 1.6726e-24
MSUN_G = 1.989e33
KEV_ERG = 1.602177e-9
GYR_S = 3.156e16
#: 500 rho_c at z = 0.05 (H0 = 70, Omega_m = 0.3): Msun / kpc^3.
RHO500_MSUN_KPC3 = 500 * 1.36e2 * 1.05


def cooling_function(kt_kev: ArrayLike, z_rel: float = 1.0) -> float | np.ndarray:
    """Cooling function Lambda(T) in erg cm^3 s^-1 (Tozzi & Norman 2001 fit, Z = 0.3 solar).

    ``z_rel`` scales the line part (metallicity relative to 0.3 solar).

    Examples
    --------
    >>> bool(1e-23 < cooling_function(5.0) < 3e-23)
    True
    """
    t = np.asarray(kt_kev, float)
    return 1e-22 * (8.6e-3 * t ** -1.7 * z_rel + 5.8e-2 * t ** 0.5 + 6.3e-2 * z_rel)


def cooling_time_gyr(ne: ArrayLike, kt_kev: ArrayLike, z_rel: float = 1.0) -> float | np.ndarray:
    """Radiative cooling time ``3/2 (n_e + n_i) kT / (n_e n_H Lambda)`` in Gyr.

    Examples
    --------
    >>> round(float(cooling_time_gyr(0.05, 3.0)), 2)   # a strong cool core
    0.64
    >>> bool(cooling_time_gyr(0.003, 6.0) > 7.7)     # a non-cool core
    True
    """
    ne = np.asarray(ne, float)
    n_tot = 1.92 * ne
    n_h = ne / 1.2
    return 1.5 * n_tot * kt_kev * KEV_ERG / (ne * n_h * cooling_function(kt_kev, z_rel)) / GYR_S


@dataclass
class CoolCoreSimConfig:
    """Settings of the cool-core sample.

    Parameters
    ----------
    n : int
        Number of clusters.
    size : int
        Image side in pixels (256: the paper's).
    pixel_kpc : float or None
        Pixel size in kpc (None: 1000 / size, the central 1 Mpc).
    pixel_arcsec : float or None
        Pixel size in arcsec (None: 3.9 at 256 px, the paper's, scaled with the size).
    seed : int
        Random seed; cluster ``i`` uses ``SeedSequence([seed, i])``.
    u_beta : (float, float)
        Beta-distribution parameters of the latent core state (tuned so that the class
        fractions are near ``docs/seed_simulators.md``'s).

    Examples
    --------
    Fewer pixels are larger ones: the image always spans the central 1 Mpc:

    >>> cfg = CoolCoreSimConfig(n=4, size=64)
    >>> cfg.pixel_kpc, cfg.pixel_arcsec
    (15.625, 15.6)
    >>> CoolCoreSimConfig(size=16)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cool-core: --size must be >= 32 px, got 16
    """

    n: int = 318
    size: int = 256
    pixel_kpc: float | None = None
    pixel_arcsec: float | None = None
    seed: int = 0
    u_beta: tuple[float, float] = (1.0, 2.1)

    def __post_init__(self) -> None:
        # the image always spans the central 1 Mpc (as the paper's): fewer pixels are larger ones
        if self.pixel_kpc is None:
            self.pixel_kpc = 1000.0 / self.size
        if self.pixel_arcsec is None:
            self.pixel_arcsec = 3.9 * 256 / self.size
        if self.size < 32:
            raise StarclassError(f"cool-core: --size must be >= 32 px, got {self.size}")
        if self.n < 1:
            raise StarclassError(f"cool-core: --n must be >= 1, got {self.n}")


def _projected(r_kpc: np.ndarray, emis: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Abel projection ``2 int eps(sqrt(R^2 + l^2)) dl`` of a radial emissivity on ``radii``."""
    ell = np.concatenate([[0.0], np.geomspace(0.05, 4000.0, 500)])
    rr = np.sqrt(radii[:, None] ** 2 + ell[None, :] ** 2)
    e = np.exp(np.interp(np.log(rr), np.log(r_kpc), np.log(emis), right=-np.inf))
    return 2 * np.trapezoid(e, ell, axis=1)


def _profiles(rng, m500: float, u: float) -> dict:
    """Density and temperature profiles (functions of r in kpc) and their parameters."""
    r500 = (3 * m500 / (4 * np.pi * RHO500_MSUN_KPC3)) ** (1 / 3)
    kt500 = 5.0 * (m500 / 3.84e14) ** (1 / 1.71)
    alpha = 1.8 * u ** 2 * rng.uniform(0.7, 1.3)
    rc = r500 * 10 ** rng.uniform(-1.0, -0.45) * (1 - 0.7 * u)
    beta = rng.uniform(0.55, 0.75)
    t0 = 1.1 * kt500 * rng.uniform(0.9, 1.1)
    tmin = t0 * np.clip(1 - 0.6 * u + rng.normal(0, 0.15), 0.3, 1.0)
    # the innermost ~15 kpc (where t_cool is measured, a few pixels) varies on its own: AGN heating
    # and cooling flows change it without changing the 40-400 kpc light much
    a_in = rng.uniform(-0.5, 1.5)
    rcool = r500 * rng.uniform(0.04, 0.1)
    acool = rng.uniform(1.5, 2.5)
    fgas = rng.uniform(0.09, 0.13)
    z_rel = 10 ** rng.normal(0, 0.15)

    def shape(r):
        x = r / rc
        return x ** (-alpha / 2) / (1 + x * x) ** (1.5 * beta - alpha / 4) * (1 + a_in * np.exp(-r / 15.0))

    def temp(r):
        x = (r / rcool) ** acool
        return t0 * (x + tmin / t0) / (x + 1)

    r = np.geomspace(0.1, 4000.0, 800)
    # normalise the gas mass inside R500: M_gas = int 4 pi r^2 mu_e m_p n_e dr, mu_e = 1.14
    inside = r <= r500
    m_shape = np.trapezoid(4 * np.pi * r[inside] ** 2 * shape(r[inside]), r[inside]) * KPC_CM ** 3 * 1.14 * M_P_G
    n0 = fgas * m500 * MSUN_G / m_shape
    ne = n0 * shape(r)
    t = temp(r)
    # volume averages inside 0.012 R500 (Barnes et al. 2018)
    rin = 0.012 * r500
    core = r <= rin
    w = r[core] ** 2
    ne_c = float(np.trapezoid(ne[core] * w, r[core]) / np.trapezoid(w, r[core]))
    tc = cooling_time_gyr(ne[core], t[core], z_rel)
    tcool = float(np.trapezoid(tc * w, r[core]) / np.trapezoid(w, r[core]))
    return {"r": r, "ne": ne, "T": t, "r500": r500, "kt500": kt500, "rc": rc, "alpha": alpha, "beta": beta,
            "ne_center": ne_c, "tcool_gyr": tcool, "z_rel": z_rel}


def _grid(cfg: CoolCoreSimConfig, over: int = 2):
    n = cfg.size * over
    c = (np.arange(n) + 0.5) / over - cfg.size / 2
    x, y = np.meshgrid(c * cfg.pixel_kpc, c * cfg.pixel_kpc)
    return x, y


def _bin(img: np.ndarray, over: int) -> np.ndarray:
    n = img.shape[0] // over
    return img.reshape(n, over, n, over).mean(axis=(1, 3))


def _beta_image(x, y, prof, q, theta, dx=0.0, dy=0.0):
    radii = np.geomspace(0.3, 3000.0, 300)
    emis = prof["ne"] ** 2 * prof["T"] ** -0.1
    s = _projected(prof["r"], emis, radii)
    c, sn = np.cos(theta), np.sin(theta)
    u = c * (x - dx) + sn * (y - dy)
    v = -sn * (x - dx) + c * (y - dy)
    rr = np.maximum(np.sqrt(u * u * q + v * v / q), 0.3)
    return np.exp(np.interp(np.log(rr), np.log(radii), np.log(np.maximum(s, 1e-300))))


def simulate_cluster(cfg: CoolCoreSimConfig, index: int) -> tuple[np.ndarray, dict]:
    """One cluster: Poisson counts ``[size, size]`` and its truth (label, t_cool, n_e, ...).

    Examples
    --------
    >>> img, t = simulate_cluster(CoolCoreSimConfig(size=64), 0)
    >>> img.shape, t["label"] == (1 if t["tcool_gyr"] < 1 else 2 if t["tcool_gyr"] <= 7.7 else 3)
    ((64, 64), True)
    """
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, index]))
    logm = 13.75 + min(rng.exponential(1 / (1.2 * np.log(10))), 15.06 - 13.75)
    m500 = 10 ** logm
    u = float(rng.beta(*cfg.u_beta))
    prof = _profiles(rng, m500, u)
    tc = prof["tcool_gyr"]
    label = 1 if tc < 1.0 else (2 if tc <= 7.7 else 3)

    over = 2
    x, y = _grid(cfg, over)
    merger = rng.random() < 0.5 * (1 - u) + 0.05
    q = rng.uniform(0.7, 1.0) * (rng.uniform(0.6, 0.85) if merger else 1.0)
    theta = rng.uniform(0, np.pi)
    shift = rng.normal(0, 25.0, 2) if merger else rng.normal(0, 4.0, 2)
    img = _beta_image(x, y, prof, q, theta, *shift)
    r = np.hypot(x - shift[0], y - shift[1])
    phi = np.arctan2(y - shift[1], x - shift[0])
    sloshing = (u > 0.35) and rng.random() < 0.5
    if sloshing:
        amp = rng.uniform(0.1, 0.25)
        k = rng.uniform(1.5, 3.0) * rng.choice([-1, 1])
        env = np.exp(-r / 200.0)
        img *= 1 + amp * env * np.cos(phi - k * np.log(np.maximum(r, 1.0) / 10.0) - rng.uniform(0, 2 * np.pi))
    cavities = rng.random() < 0.6 * u ** 1.5
    if cavities:
        ang = rng.uniform(0, np.pi)
        dist, rad, depth = rng.uniform(15, 40), rng.uniform(8, 20), rng.uniform(0.2, 0.4)
        for s in (1, -1):
            cx, cy = shift[0] + s * dist * np.cos(ang), shift[1] + s * dist * np.sin(ang)
            img *= 1 - depth * np.exp(-0.5 * ((x - cx) ** 2 + (y - cy) ** 2) / rad ** 2)
    if merger:
        msub = m500 * rng.uniform(0.1, 0.4)
        sub = _profiles(rng, msub, float(rng.uniform(0, 0.4)))
        d, a = rng.uniform(200, 700), rng.uniform(0, 2 * np.pi)
        img = img + _beta_image(x, y, sub, rng.uniform(0.6, 1.0), rng.uniform(0, np.pi),
                                shift[0] + d * np.cos(a), shift[1] + d * np.sin(a))
    img = _bin(img, over)

    # --- instrument
    n_cl = 10 ** rng.uniform(4.0, np.log10(8e4))
    expected = img / img.sum() * n_cl
    half = cfg.size / 2
    yy, xx = np.indices(expected.shape)
    redge = np.hypot(xx + 0.5 - half, yy + 0.5 - half) / half
    vign = 1 - 0.15 * np.clip(redge, 0, 1.4) ** 2
    agn = cfg.size // 2 + shift / cfg.pixel_kpc if (u > 0.5 and rng.random() < 0.3) else None
    pts = np.zeros_like(expected)
    if agn is not None:
        pts[int(np.clip(agn[1], 0, cfg.size - 1)), int(np.clip(agn[0], 0, cfg.size - 1))] += rng.uniform(50, 400)
    for _ in range(rng.poisson(4)):
        pts[rng.integers(cfg.size), rng.integers(cfg.size)] += 10 ** rng.uniform(1, 2.5)
    expected = gaussian_filter(expected + pts, 0.4) * vign
    bkg = rng.uniform(0.5, 3.0)
    counts = rng.poisson(expected + bkg * vign).astype(np.float32)
    truth = {"label": label, "class_name": CLASS_NAMES[label], "tcool_gyr": tc, "ne_center": prof["ne_center"],
             "log_m500": logm, "r500_kpc": prof["r500"], "kt500_kev": prof["kt500"], "core_state": u,
             "alpha": prof["alpha"], "rc_kpc": prof["rc"], "merger": int(merger), "sloshing": int(sloshing),
             "cavities": int(cavities), "central_agn": int(agn is not None), "cluster_counts": n_cl,
             "background_per_px": bkg}
    return counts, truth


def surface_brightness_concentration(image: np.ndarray, pixel_kpc: float, *, r_in: float = 40.0,
                                     r_out: float = 400.0, background: float | None = None) -> float:
    """``C_SB = S(< 40 kpc) / S(< 400 kpc)`` (Santos et al. 2008) about the X-ray peak.

    Parameters
    ----------
    image : numpy.ndarray
        Counts image.
    pixel_kpc : float
        Pixel size in kpc.
    r_in, r_out : float
        Aperture radii in kpc.
    background : float or None
        Background per pixel to subtract; None: the median of the pixels beyond ``r_out``
        (the image corners), an estimate a real analysis would make from blank sky.

    Returns
    -------
    float
        The concentration (0 when the outer aperture holds no net counts).

    Examples
    --------
    >>> y, x = np.indices((101, 101)) - 50
    >>> img = np.exp(-np.hypot(x, y) / 3.0)   # exponential, scale 12 kpc: 1 - 4.33 exp(-3.33) = 0.85 inside 40 kpc
    >>> round(surface_brightness_concentration(img, 4.0, background=0.0), 2)   # on pixel centres
    0.84
    """
    img = np.asarray(image, float)
    sm = gaussian_filter(img, 2.0)
    h, w = img.shape
    yy, xx = np.indices(img.shape)
    # the peak near the centre (within 100 kpc): a bright point source at the edge is not the cluster
    near = np.hypot(xx - (w - 1) / 2, yy - (h - 1) / 2) * pixel_kpc < 100
    iy, ix = np.unravel_index(np.argmax(np.where(near, sm, -np.inf)), img.shape)
    r = np.hypot(xx - ix, yy - iy) * pixel_kpc
    if background is None:
        outer = img[r > r_out]
        background = float(np.median(outer)) if outer.size else 0.0
    net = img - background
    s_out = net[r < r_out].sum()
    return float(net[r < r_in].sum() / s_out) if s_out > 0 else 0.0


def write_coolcore(cfg: CoolCoreSimConfig, outdir: str | os.PathLike, *, overwrite: bool = False,
                   progress: bool | None = False) -> Path:
    """Simulate ``cfg.n`` clusters and write the labelled folder; returns ``labels.csv``.

    Examples
    --------
    >>> import tempfile
    >>> write_coolcore(CoolCoreSimConfig(n=2, size=32), tempfile.mkdtemp() + "/cc").name
    'labels.csv'
    """
    def make(i):
        img, truth = simulate_cluster(cfg, i)
        return {"xray": img, "wcs": celestial_wcs(img.shape, cfg.pixel_arcsec)}, truth

    info = {"preset": "cool-core", "config": asdict(cfg), "classes": CLASS_NAMES}
    return write_labelled_folder(outdir, cfg.n, make, bands=None, overwrite=overwrite, progress=progress,
                                 info=info, units={"xray": "count"})
