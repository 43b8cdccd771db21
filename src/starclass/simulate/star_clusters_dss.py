"""Milky Way open and globular clusters on DSS2-like colour plates (preset ``open-globular``).

The problem of Stipp & Montana-Lopez (seed 003): DSS2 colour images centred on SIMBAD's open
and globular clusters, cropped to ~224 px, sorted by a VGG16. Physics first, then the plates:

Physics (positions in arcsec from the catalogued centre; magnitudes in B_J, R_F, I_N):

* where the cluster lies: open clusters in the thin disc (|b| from an exponential of scale
  4 deg), globulars in the halo and bulge (|b| uniform in sin b to 60 deg, a third of them
  within 15 deg of the bulge); the Galactic field density follows b
  (~ 40 exp(-|b|/8 deg) + 2 stars per arcmin^2 to R = 20.8) with a luminosity function
  dN/dm ~ 10^(0.3 m), so disc fields are crowded; extinction A_V = 0.1-3 mag in the disc
  (reddening all colours), less off the plane; bulge globulars (|b| < 15 deg) 1.5-6 mag;
* ``open``: distance 0.3-4 kpc; 30-400 members brighter than the plate limit on a King profile
  of low concentration (c = 0.5-1.1) and core radius 1-3 pc, so 0.5-15' across: sparse and
  loosely concentrated, contrast with the field from barely above to ~10x; main-sequence
  colours of young and intermediate ages (bluer for younger, a few red giants), a fifth with
  red (H-alpha) nebulosity; a few bright members (V ~ 6-11 for nearby rich ones);
* ``globular``: distance 3-40 kpc (most 5-15), integrated M_V = -7.4 +- 1.1 (the globular
  cluster luminosity function), King c = 1.2-2.3 and core radius 0.3-2 pc: a dense core of
  unresolved light (the sum of stars fainter than the plate limit) that resolves outward into
  giants (the red-giant tip at M_I ~ -4 is I ~ 11-19 over those distances); old, red colours;
* catalogue noise: 2 % of the labels are swapped (``label_true`` keeps the truth), as the
  paper found SIMBAD mislabels.

Instrument, three photographic plates (DSS2 blue, red, infrared: limits B_J 22.5, R_F 20.8,
I_N 19.5; 1.0"/px): per-plate seeing 2-3.5" FWHM; the photographic density saturates
(``1 - exp(-E / E_sat)``), so bright stars become flat discs that grow with brightness, with a
halo; plate grain (noise correlated over 1.5 px, stronger where the plate is darker), a few
emulsion artefacts (scratches, dust spots) on 10 % of plates; then each plate is stretched to
8 bits and the three combined as an RGB PNG (red = I_N, green = R_F, blue = B_J), as the DSS2
colour images are.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import gaussian_filter

from starclass.errors import StarclassError
from starclass.simulate.labelled import counts_from_fractions, write_labelled_folder

__all__ = ["CLASS_NAMES", "PLATES", "DSSSimConfig", "simulate_plate_cutout", "write_open_globular"]

CLASS_NAMES = {1: "open", 2: "globular"}
#: Plates: name, limiting magnitude, colour term relative to V for a star of B - V = 0.
PLATES = (("b_j", 22.5), ("r_f", 20.8), ("i_n", 19.5))


@dataclass
class DSSSimConfig:
    """Settings of the open/globular sample.

    Parameters
    ----------
    n : int
        Number of clusters (split evenly, as the paper's 4000 + 4000).
    size : int
        Side in pixels (224: the VGG16 input; the paper crops to 244).
    pixel_arcsec : float
        Plate scale of the scans (DSS2: 1.0").
    label_noise : float
        Fraction of swapped labels.
    seed : int
        Random seed; cluster ``i`` uses ``SeedSequence([seed, i])``.

    Examples
    --------
    >>> DSSSimConfig(n=10, size=64)
    DSSSimConfig(n=10, size=64, pixel_arcsec=1.0, label_noise=0.02, seed=0)
    >>> DSSSimConfig(label_noise=0.6)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: open-globular: label_noise 0.6 must be in [0, 0.5)
    """

    n: int = 400
    size: int = 224
    pixel_arcsec: float = 1.0
    label_noise: float = 0.02
    seed: int = 0

    def __post_init__(self) -> None:
        if self.size < 32:
            raise StarclassError(f"open-globular: --size must be >= 32 px, got {self.size}")
        if self.n < 1:
            raise StarclassError(f"open-globular: --n must be >= 1, got {self.n}")
        if not 0 <= self.label_noise < 0.5:
            raise StarclassError(f"open-globular: label_noise {self.label_noise} must be in [0, 0.5)")


def _king_radii(rng, n, rc, c):
    """Projected radii of ``n`` stars drawn from a King (1962) profile (by inverse CDF on a grid)."""
    rt = rc * 10 ** c
    r = np.linspace(0, rt, 2000)
    prof = (1 / np.sqrt(1 + (r / rc) ** 2) - 1 / np.sqrt(1 + (rt / rc) ** 2)) ** 2 * r
    cdf = np.cumsum(prof)
    cdf /= cdf[-1]
    return np.interp(rng.random(n), cdf, r)


def _lf_mags(rng, n, m_bright, m_faint, slope=0.3):
    a, b = 10 ** (slope * m_bright), 10 ** (slope * m_faint)
    return np.log10(rng.uniform(a, b, n)) / slope


def simulate_plate_cutout(cfg: DSSSimConfig, index: int, kind: int) -> tuple[np.ndarray, dict]:
    """One RGB cutout ``[size, size, 3]`` uint8 of an open (1) or globular (2) cluster, and its truth.

    Examples
    --------
    >>> img, t = simulate_plate_cutout(DSSSimConfig(size=64), 0, 2)
    >>> img.shape, img.dtype.name, t["label_true"]
    ((64, 64, 3), 'uint8', 2)
    """
    if kind not in CLASS_NAMES:
        raise StarclassError(f"open-globular: kind {kind} is not 1 (open) or 2 (globular)")
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, index]))
    n = cfg.size
    half = n * cfg.pixel_arcsec / 2
    if kind == 1:
        b = rng.exponential(4.0)
    else:
        b = rng.uniform(2, 15) if rng.random() < 1 / 3 else np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(5)),
                                                                                              np.sin(np.radians(60)))))
    av = float(np.clip(rng.exponential(1.0) * np.exp(-b / 10) * 1.5, 0.02, 4.0))
    if kind == 2 and b < 15:
        av = float(rng.uniform(1.5, 6.0))  # bulge globulars behind the dust of the inner disc
    ebv = av / 3.1
    # stars: (x, y, V, B-V)
    xs, ys, vs, bvs = [], [], [], []
    area = (2 * half / 60) ** 2
    n_field = rng.poisson((40 * np.exp(-b / 8) + 2) * area)
    xs.append(rng.uniform(-half, half, n_field))
    ys.append(rng.uniform(-half, half, n_field))
    vs.append(_lf_mags(rng, n_field, 8, 22.5) + av * 0.3)
    bvs.append(rng.normal(0.8, 0.35, n_field) + ebv * 0.5)
    diffuse = np.zeros((n, n))
    if kind == 1:
        d_pc = rng.uniform(300, 4000)
        rc = rng.uniform(1, 3) / d_pc * 206265
        c = rng.uniform(0.5, 1.1)
        nmem = int(10 ** rng.uniform(np.log10(30), np.log10(400)))
        dm = 5 * np.log10(d_pc) - 5
        mv = _lf_mags(rng, nmem, -3.0, 6.0, 0.2)
        log_age = rng.uniform(7, 9.3)
        bv = np.clip(0.1 + 0.12 * (mv + 1) + 0.15 * (log_age - 8), -0.3, 1.4)
        giants = rng.random(nmem) < 0.03 * (log_age > 8.3)
        bv = np.where(giants, rng.uniform(1.0, 1.5, nmem), bv)
        mv = np.where(giants, rng.uniform(-1, 1, nmem), mv)
        radii = _king_radii(rng, nmem, rc, c)
        ang = rng.uniform(0, 2 * np.pi, nmem)
        xs.append(radii * np.cos(ang))
        ys.append(radii * np.sin(ang))
        vs.append(mv + dm + av)
        bvs.append(bv + ebv)
        nebula = rng.random() < 0.2 and log_age < 7.6
        truth = {"distance_kpc": d_pc / 1000, "core_arcsec": rc, "concentration": c, "n_members": nmem,
                 "log_age": log_age, "nebulosity": int(nebula)}
        if nebula:
            yy, xx = (np.indices((n, n)) - (n - 1) / 2) * cfg.pixel_arcsec
            neb = gaussian_filter(rng.normal(0, 1, (n, n)), n / 12)
            neb = np.clip(neb / neb.std() + 0.5, 0, None) * np.exp(-np.hypot(xx, yy) / (half * 1.5))
            diffuse += neb * 10 ** (-0.4 * (22.0 - 25.0)) * rng.uniform(0.5, 2)
    else:
        d_pc = rng.uniform(3000, 40000) if rng.random() < 0.3 else rng.uniform(5000, 15000)
        rc = rng.uniform(0.3, 2.0) / d_pc * 206265
        c = rng.uniform(1.2, 2.3)
        mv_tot = rng.normal(-7.4, 1.1)
        dm = 5 * np.log10(d_pc) - 5
        # stars above the plate limit (red-giant branch and horizontal branch), the rest smooth light
        nres = int(np.clip(10 ** (0.4 * (-mv_tot - 3.0)) * 0.6 * 10 ** rng.uniform(-0.2, 0.2), 20, 6000))
        mv = _lf_mags(rng, nres, -3.5, 4.0, 0.32)
        radii = _king_radii(rng, nres, rc, c)
        ang = rng.uniform(0, 2 * np.pi, nres)
        xs.append(radii * np.cos(ang))
        ys.append(radii * np.sin(ang))
        vs.append(mv + dm + av)
        bvs.append(np.clip(0.6 + 0.18 * (-mv) * 0.5, 0.6, 1.6) + ebv)
        # the unresolved light: a smooth King image with the cluster's remaining flux
        yy, xx = (np.indices((n, n)) - (n - 1) / 2) * cfg.pixel_arcsec
        rr = np.hypot(xx, yy)
        rt = rc * 10 ** c
        prof = np.clip(1 / np.sqrt(1 + (rr / rc) ** 2) - 1 / np.sqrt(1 + (rt / rc) ** 2), 0, None) ** 2
        total = 10 ** (-0.4 * (mv_tot + dm + av - 25.0))
        frac_smooth = rng.uniform(0.5, 0.85)
        diffuse += total * frac_smooth * prof / max(prof.sum(), 1e-30)
        truth = {"distance_kpc": d_pc / 1000, "core_arcsec": rc, "concentration": c, "n_members": nres,
                 "mv_total": mv_tot, "nebulosity": 0}
    x, y, v, bv = (np.concatenate(a) for a in (xs, ys, vs, bvs))
    # colour terms: B_J ~ V + 0.28 (B-V), R_F ~ V - 0.55 (B-V) - 0.05, I_N ~ V - 1.1 (B-V) - 0.2 (rough)
    mags = {"b_j": v + 0.28 * bv, "r_f": v - 0.55 * bv - 0.05, "i_n": v - 1.1 * bv - 0.2}
    diffuse_col = {"b_j": 0.6, "r_f": 1.0, "i_n": 1.3} if kind == 2 else {"b_j": 0.4, "r_f": 1.0, "i_n": 0.5}
    plates = {}
    i = np.clip(np.round(y / cfg.pixel_arcsec + (n - 1) / 2).astype(int), -1, n)
    j = np.clip(np.round(x / cfg.pixel_arcsec + (n - 1) / 2).astype(int), -1, n)
    inside = (i >= 0) & (i < n) & (j >= 0) & (j < n)
    for name, limit in PLATES:
        zp = 25.0
        img = np.zeros((n, n))
        np.add.at(img, (i[inside], j[inside]), 10 ** (-0.4 * (mags[name][inside] - zp)))
        sky = 10 ** (-0.4 * (limit + 1.5 - zp))
        seeing = rng.uniform(2.0, 3.5) / 2.355 / cfg.pixel_arcsec
        e = gaussian_filter(img + diffuse * diffuse_col[name], seeing) + sky
        e += 0.02 * gaussian_filter(img, 4 * seeing)  # halo of scattered light around bright stars
        # the sky of the red plate exposes the emulsion to a tenth of saturation (grain then makes a star
        # at the plate limit a ~5 sigma detection, one 8 mag brighter a saturated disc); the same
        # saturation on every plate keeps the colour balance: a yellow globular stays yellow
        e_sat = 10 * 10 ** (-0.4 * (PLATES[1][1] + 1.5 - zp))
        dens = 1 - np.exp(-e / e_sat)
        grain = gaussian_filter(rng.normal(0, 1, (n, n)), 1.5)
        dens += (0.006 + 0.015 * dens) * grain / grain.std()
        if rng.random() < 0.1:  # an emulsion scratch or dust spot
            yy, xx = np.indices((n, n))
            if rng.random() < 0.5:
                a, c0 = rng.uniform(0, np.pi), rng.uniform(0, n)
                dist = np.abs((xx - c0) * np.sin(a) - (yy - n / 2) * np.cos(a))
                dens += 0.08 * np.exp(-0.5 * dist ** 2)
            else:
                cx, cy, rad = rng.uniform(0, n, 3)
                dens -= 0.1 * (np.hypot(xx - cx, yy - cy) < 1 + rad / 20)
        plates[name] = dens
    # each plate's sky to black (the sky differs by band), one common scale above it, so a source's
    # colour survives the stretch as in the DSS2 colour composites
    lo = {name: np.percentile(p, 5) for name, p in plates.items()}
    hi = max(np.percentile(p - lo[name], 99.9) for name, p in plates.items())
    for name in plates:
        plates[name] = np.clip((plates[name] - lo[name]) / max(hi, 1e-6), 0, 1) ** 0.8
    rgb = np.stack([plates["i_n"], plates["r_f"], plates["b_j"]], axis=-1)
    label = kind if rng.random() >= cfg.label_noise else 3 - kind
    truth.update({"label": label, "label_true": kind, "class_name": CLASS_NAMES[label], "gal_b_deg": b,
                  "a_v": av, "n_field_stars": int(n_field)})
    return np.round(rgb * 255).astype(np.uint8), truth


def write_open_globular(cfg: DSSSimConfig, outdir: str | os.PathLike, *, overwrite: bool = False,
                        progress: bool | None = False) -> Path:
    """Simulate ``cfg.n`` clusters (half open, half globular) and write RGB PNGs and ``labels.csv``.

    Examples
    --------
    >>> import tempfile
    >>> write_open_globular(DSSSimConfig(n=2, size=32), tempfile.mkdtemp() + "/og").name
    'labels.csv'
    """
    counts = counts_from_fractions(cfg.n, {1: 0.5, 2: 0.5})
    order = np.random.default_rng(cfg.seed).permutation(np.repeat(list(counts), list(counts.values())))

    def make(i):
        img, truth = simulate_plate_cutout(cfg, i, int(order[i]))
        return {"rgb": img}, truth

    info = {"preset": "open-globular", "config": asdict(cfg), "classes": CLASS_NAMES,
            "plates": {"red": "i_n", "green": "r_f", "blue": "b_j"}}
    return write_labelled_folder(outdir, cfg.n, make, bands=None, overwrite=overwrite, progress=progress,
                                 info=info, fmt="png")
