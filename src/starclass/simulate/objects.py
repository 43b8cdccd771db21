"""The simulated objects: candidates of classes 1-4 (with truth) and the field stars.

Every object is a handful of *components*, each a 2-D Gaussian (or an unconvolved pixel
artefact) with a flux per band. Classes follow the PHANGS / LEGUS definitions (Whitmore et al.
2021, section 3; Perez et al. 2021, section 2):

* class 1, symmetric compact cluster: an EFF profile (gamma 2.5-3.5), effective radius
  log-normal around 2.5 pc (1-10 pc), nearly round; a weak asymmetry ``asym`` < 0.3;
* class 2, asymmetric compact cluster: EFF profile plus asymmetry ``asym`` 0.2-1 made by
  elongation, a lopsided secondary clump and/or a bright star off centre, and a few resolved
  stars (the 0.2-0.3 overlap with class 1 is the human-borderline zone);
* class 3, compact association: 4-12 stars within 5 px on diffuse emission (20-60% of the
  light), the stars' brightnesses unequal (some near the noise);
* class 4: 4.1 single star, 4.2 pair (1.5-4.5 px apart), 4.3 triplet (within 4.5 px), a third
  of pairs and triplets on faint diffuse light; 4.4 saturated foreground star (clipped, bleeding,
  diffraction spikes); 4.7 background galaxy (exponential disk + bulge, red); 4.8 fluff (faint
  diffuse blobs); 4.11 an object cut by the mosaic edge; 4.12 cosmic ray or hot pixel in the V
  band only.

Ages by class follow the PHANGS NGC 1566 colour-colour boxes (class 1: 23/84/132/52 in
<10 Myr / 10-100 Myr / 0.1-1 Gyr / >1 Gyr; class 2: 110/73/25/11; class 3: 78/30/6/0), uniform
in log age within a box; masses follow dN/dM ~ M^-2 (PHANGS: beta = -1.86), truncated so that
the candidate lies between ``mag_bright`` and ``mag_limit`` in V (the catalogue is magnitude
limited, so these are the *observed* distributions). Magnitudes come from the Yggdrasil SSP
(:mod:`starclass.simulate.ssp`) with the dust screen of the galaxy in front (a random fraction
of it) plus the object's own reddening.

Field stars (``field_stars`` per candidate) are fainter than ``mag_limit``: crowding and
texture, not candidates, so they are not in the truth catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from starclass.bands import BANDS
from starclass.schema import CLASS_REF, SUBCLASS, X_LIGHT, Y_LIGHT, X, Y, mag_true_col
from starclass.simulate.config import SimConfig
from starclass.simulate.galaxy import GalaxyMaps
from starclass.simulate.profiles import eff_mge, exponential_mge, psf_mixture
from starclass.simulate.ssp import (
    HD_LIMIT_MV,
    cluster_mags,
    distance_modulus,
    draw_member_teff,
    draw_star_teff,
    mass_for_mag,
    star_mags,
)

#: Minimum separation (px) between two candidates (PHANGS flags closer ones as redundant, 4.9).
MIN_SEPARATION = 5.0

AGE_BOXES = np.array([[1e6, 1e7], [1e7, 1e8], [1e8, 1e9], [1e9, 1e10]])
#: PHANGS NGC 1566 class counts per colour-colour age box (<10 Myr, 10-100 Myr, 0.1-1 Gyr, >1 Gyr).
AGE_BOX_COUNTS = {1: (23, 84, 132, 52), 2: (110, 73, 25, 11), 3: (78, 30, 6, 0)}
#: Object's own E(B-V) (exponential scale, mag) on top of the galaxy's screen.
OWN_EBV = {1: 0.10, 2: 0.12, 3: 0.10, 4: 0.05}

KIND_NORMAL, KIND_SATURATED, KIND_PIXEL = 0, 1, 2

#: Slope of the luminous-star luminosity function dN/dm ~ 10^(slope m): steeper than the
#: clusters' (LEGUS NGC 1566 class 4 has a median m_V ~0.4 mag fainter than classes 1-3).
STAR_LF_SLOPE = 0.9


@dataclass
class Components:
    """Columnar list of Gaussian components (intrinsic, before the PSF).

    ``flux[i, j]``: e-/s of component i in band j; ``cxx, cyy, cxy``: intrinsic covariance
    (px^2); ``owner``: row of the truth catalogue (-1 for field stars); ``kind``: 0 normal,
    1 part of a saturated star, 2 pixel artefact (no PSF).

    Examples
    --------
    Made by :func:`make_objects`; one point-like component:

    >>> c = Components(x=np.array([10.0]), y=np.array([12.0]), flux=np.array([[5.0, 8.0]]), cxx=np.zeros(1),
    ...                cyy=np.zeros(1), cxy=np.zeros(1), owner=np.array([0]), kind=np.array([KIND_NORMAL]))
    >>> len(c), c.flux.shape
    (1, (1, 2))
    """

    x: np.ndarray
    y: np.ndarray
    flux: np.ndarray
    cxx: np.ndarray
    cyy: np.ndarray
    cxy: np.ndarray
    owner: np.ndarray
    kind: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


class _Builder:
    def __init__(self, nbands: int):
        self.nb = nbands
        self.cols: dict[str, list] = {k: [] for k in ("x", "y", "flux", "cxx", "cyy", "cxy", "owner", "kind")}

    def add(self, owner, x, y, flux, mge=None, scale=0.0, q=1.0, pa=0.0, kind=KIND_NORMAL):
        """Add a profile: ``mge`` = (weights, sigmas) scaled by ``scale`` px, axis ratio q."""
        flux = np.asarray(flux, dtype=float)
        if mge is None or scale <= 0:
            w, s = np.array([1.0]), np.array([0.0])
        else:
            w, s = mge
        c, sn = np.cos(pa), np.sin(pa)
        for wi, si in zip(w, s):
            a2 = (si * scale) ** 2
            b2 = (si * scale * q) ** 2
            self.cols["x"].append(x)
            self.cols["y"].append(y)
            self.cols["flux"].append(flux * wi)
            self.cols["cxx"].append(a2 * c * c + b2 * sn * sn)
            self.cols["cyy"].append(a2 * sn * sn + b2 * c * c)
            self.cols["cxy"].append((a2 - b2) * c * sn)
            self.cols["owner"].append(owner)
            self.cols["kind"].append(kind)

    def build(self) -> Components:
        c = self.cols
        n = len(c["x"])
        return Components(
            x=np.asarray(c["x"], dtype=float), y=np.asarray(c["y"], dtype=float),
            flux=np.asarray(c["flux"], dtype=float).reshape(n, self.nb),
            cxx=np.asarray(c["cxx"], dtype=float), cyy=np.asarray(c["cyy"], dtype=float),
            cxy=np.asarray(c["cxy"], dtype=float), owner=np.asarray(c["owner"], dtype=np.int64),
            kind=np.asarray(c["kind"], dtype=np.int8),
        )


def _loguniform(rng, lo, hi, n=None):
    return 10 ** rng.uniform(np.log10(lo), np.log10(hi), n)


def _powerlaw_mags(rng, lo, hi, n, slope=0.3):
    """Magnitudes in [lo, hi] with dN/dm ~ 10^(slope m) (a rising luminosity function)."""
    u = rng.random(n)
    a, b = 10 ** (slope * lo), 10 ** (slope * hi)
    return np.log10(a + u * (b - a)) / slope


class _ObjectMaker:
    """Draws the candidates and field stars of one field (see the module docstring)."""

    def __init__(self, config: SimConfig, gal: GalaxyMaps, rng: np.random.Generator):
        self.cfg = config
        self.gal = gal
        self.rng = rng
        self.bands = list(config.bands)
        self.vb = config.v_band
        self.iv = self.bands.index(self.vb)
        self.zp = np.array([config.zeropoint(b) for b in self.bands])
        self.mu = distance_modulus(config.distance_mpc)
        self.pcpx = config.pc_per_px
        self.px_arcsec = config.pixel_scale
        self.builder = _Builder(len(self.bands))
        self.blank = gal.edge_line

    # -- helpers -------------------------------------------------------------------------
    def flux(self, mags: dict[str, float] | np.ndarray) -> np.ndarray:
        m = np.array([mags[b] for b in self.bands]) if isinstance(mags, dict) else np.asarray(mags)
        with np.errstate(over="ignore"):
            return np.where(np.isfinite(m), 10 ** (-0.4 * (m - self.zp)), 0.0)

    def _ages(self, cls: int, n: int) -> np.ndarray:
        p = np.array(self.cfg.age_box_counts.get(cls, AGE_BOX_COUNTS[cls]), dtype=float)
        box = self.rng.choice(4, size=n, p=p / p.sum())
        lo, hi = AGE_BOXES[box, 0], AGE_BOXES[box, 1]
        return 10 ** self.rng.uniform(np.log10(lo), np.log10(hi))

    def _ebv(self, x, y, cls: int, measured: float | None = None) -> np.ndarray:
        n = len(x)
        if measured is not None:
            # the total reddening (screen and own dust) as the field's real SED fits give it
            return self.rng.exponential(measured, n)
        screen = self.gal.ebv_at(x, y) * self.rng.uniform(0.2, 1.0, n)
        return screen + self.rng.exponential(OWN_EBV[cls] * self.cfg.ebv_scale, n)

    def _masses(self, ages, ebv, lo_mag, hi_mag):
        """Masses from dN/dM ~ M^-2 with V between hi_mag (bright) and lo_mag (faint).

        Ages that cannot reach the magnitude window are redrawn by the caller (returns NaN).
        """
        lo = np.maximum(mass_for_mag(self.vb, lo_mag, ages, ebv, self.cfg.distance_mpc), 30.0)
        hi = np.minimum(mass_for_mag(self.vb, hi_mag, ages, ebv, self.cfg.distance_mpc), 3e6)
        u = self.rng.random(len(ages))
        with np.errstate(invalid="ignore", divide="ignore"):
            m = 1.0 / (1.0 / lo - u * (1.0 / lo - 1.0 / hi))
        return np.where(lo < hi, m, np.nan)

    def cluster_population(self, cls: int, xy: np.ndarray):
        """Ages, masses, E(B-V), magnitudes of ``len(xy)`` clusters of class ``cls``."""
        n = len(xy)
        measured = self.cfg.assoc_ebv if cls == 3 else None
        ages = self._ages(cls, n)
        ebv = self._ebv(xy[:, 0], xy[:, 1], cls, measured)
        faint = self.faint_limit(cls)
        mass = self._masses(ages, ebv, faint, self.cfg.mag_bright)
        for _ in range(50):
            bad = ~np.isfinite(mass)
            if not bad.any():
                break
            ages[bad] = self._ages(cls, bad.sum())
            ebv[bad] = self._ebv(xy[bad, 0], xy[bad, 1], cls, measured)
            mass[bad] = self._masses(ages[bad], ebv[bad], faint, self.cfg.mag_bright)
        mass = np.where(np.isfinite(mass), mass, 1e3)
        mags = cluster_mags(self.bands, ages, mass, ebv, self.cfg.distance_mpc)
        return ages, mass, ebv, mags

    def star_mag_range(self, ebv) -> tuple[np.ndarray, float]:
        bright = np.maximum(self.cfg.mag_bright, self.mu + HD_LIMIT_MV + BANDS[self.vb].a_over_ebv * ebv)
        return bright, self.faint_limit(4)

    def faint_limit(self, cls: int) -> float:
        """Faintest V magnitude drawn for a candidate of class ``cls``.

        ``mag_limit`` plus the class's ``class_mag_shift``: in the real LEGUS catalogues the
        classes do not share one magnitude distribution (class 1 brightest, class 4 faintest:
        NGC 628-C median m_V 22.94 / 23.15 / 23.27 / 23.62), and the faint end of a rising
        luminosity function sets the median.
        """
        return self.cfg.mag_limit + float(self.cfg.class_mag_shift[cls - 1])

    def reff_px(self, median_pc: float, n: int) -> np.ndarray:
        # the 1 pc floor of the default (2.5 pc) population, lowered for presets with smaller clusters
        pc = np.clip(median_pc * 10 ** (0.25 * self.rng.standard_normal(n)), min(1.0, 0.4 * median_pc), 10.0)
        return pc

    # -- the classes -----------------------------------------------------------------------
    def add_cluster(self, i, x, y, mags, reff_pc, gamma, q, pa, asym, cls, ages):
        """Class 1 or 2 body plus asymmetry features; returns the number of resolved stars."""
        rng = self.rng
        total = self.flux(mags)
        reff = reff_pc / self.pcpx
        n_stars = 0
        body = total.copy()
        if cls == 2 or asym > 0:
            # bright star off centre (class 2) / lopsided secondary clump
            mech = rng.random(2) < ([0.55, 0.6] if cls == 2 else [0.0, 1.0])
            if not mech.any():
                mech[rng.integers(2)] = True
            if mech[0]:
                frac = (0.08 + 0.35 * asym) * rng.uniform(0.6, 1.2)
                r = rng.uniform(0.8, 2.5) * max(1.0, reff)
                ang = rng.uniform(0, 2 * np.pi)
                teff = draw_star_teff(rng, 1)[0]
                vflux = frac * total[self.iv]
                smag = star_mags(self.bands, self.vb, self.zp[self.iv] - 2.5 * np.log10(vflux), teff, 0.0)
                self.builder.add(i, x + r * np.cos(ang), y + r * np.sin(ang), self.flux(smag))
                body = body - frac * total
                n_stars += 1
            if mech[1]:
                frac = 0.08 + 0.35 * asym * rng.uniform(0.5, 1.0)
                r = (0.6 + 0.8 * rng.random()) * max(1.0, reff)
                ang = rng.uniform(0, 2 * np.pi)
                self.builder.add(i, x + r * np.cos(ang), y + r * np.sin(ang), frac * total,
                                 eff_mge(gamma), scale=max(0.4, 0.7 * reff), q=rng.uniform(0.5, 1),
                                 pa=rng.uniform(0, np.pi))
                body = body - frac * total
        if cls == 2 and ages < 3e7 and rng.random() < 0.6:
            # a few resolved luminous stars of a young cluster
            for _ in range(rng.integers(1, 4)):
                frac = rng.uniform(0.03, 0.1)
                r = abs(rng.normal(0, 1.2 * max(1.0, reff)))
                ang = rng.uniform(0, 2 * np.pi)
                self.builder.add(i, x + r * np.cos(ang), y + r * np.sin(ang), frac * body)
                body = body * (1 - frac)
                n_stars += 1
        body = np.clip(body, 0, None)
        self.builder.add(i, x, y, body, eff_mge(gamma), scale=reff, q=q, pa=pa)
        return n_stars

    def add_stars(self, i, x, y, vmag_total, n, max_r, min_sep, ebv, diffuse_frac, diffuse_sigma,
                  teff=None, anchor="centroid", diffuse_mags=None, kind=KIND_NORMAL, alpha=0.8):
        """``n`` stars within ``max_r`` px and optional diffuse light, anchored at (x, y).

        ``anchor``: "centroid" puts the light-weighted centre at (x, y) (associations),
        "brightest" the brightest star (pairs, triplets: where a peak finder lands).
        """
        rng = self.rng
        vflux = 10 ** (-0.4 * (vmag_total - self.zp[self.iv]))
        shares = np.sort(rng.dirichlet(np.full(n, alpha)))[::-1]
        pos = []
        for _ in range(n):
            for _try in range(30):
                r = max_r * (rng.random() if anchor == "centroid" else np.sqrt(rng.random()))
                ang = rng.uniform(0, 2 * np.pi)
                p = (r * np.cos(ang), r * np.sin(ang))
                if all(np.hypot(p[0] - a, p[1] - b) >= min_sep for a, b in pos):
                    break
            pos.append(p)
        pos = np.array(pos)
        w = np.append(shares * (1 - diffuse_frac), diffuse_frac)
        allpos = np.vstack([pos, pos.mean(axis=0, keepdims=True)])
        if anchor == "brightest":
            shift = pos[0]
        else:
            shift = (w[:, None] * allpos).sum(axis=0) / w.sum()
        pos = pos - shift
        dcen = allpos[-1] - shift
        if teff is None:
            teff = draw_star_teff(rng, n)
        star_part = (1 - diffuse_frac) * vflux
        for k in range(n):
            m = self.zp[self.iv] - 2.5 * np.log10(max(star_part * shares[k], 1e-12))
            smag = star_mags(self.bands, self.vb, m, teff[k], ebv)
            self.builder.add(i, x + pos[k, 0], y + pos[k, 1], self.flux(smag), kind=kind)
        if diffuse_frac > 0:
            if diffuse_mags is None:
                dm = self.zp[self.iv] - 2.5 * np.log10(diffuse_frac * vflux)
                diffuse_flux = self.flux(star_mags(self.bands, self.vb, dm, 20000.0, ebv))
            else:
                f = self.flux(diffuse_mags)
                diffuse_flux = f * diffuse_frac * vflux / f[self.iv]
            self.builder.add(i, x + dcen[0], y + dcen[1], diffuse_flux, (np.array([1.0]), np.array([1.0])),
                             scale=diffuse_sigma, q=rng.uniform(0.6, 1.0), pa=rng.uniform(0, np.pi), kind=kind)


def _place_candidates(maker: _ObjectMaker, kinds: list[str], rng) -> np.ndarray:
    """Positions for candidates from their density ``kinds``, at least MIN_SEPARATION apart."""
    n = len(kinds)
    xy = np.zeros((n, 2))
    kinds_arr = np.array(kinds)
    todo = np.arange(n)
    blank = maker.gal.edge_line
    for _ in range(40):
        for kind in np.unique(kinds_arr[todo]):
            sel = todo[kinds_arr[todo] == kind]
            xy[sel] = maker.gal.sample(rng, len(sel), kind)
        bad = np.zeros(n, dtype=bool)
        if blank is not None:
            a, b, c = blank
            bad |= (a * xy[:, 0] + b * xy[:, 1]) > c - 8.0 * np.hypot(a, b)
        tree = cKDTree(xy)
        for p, q in tree.query_pairs(MIN_SEPARATION):
            bad[max(p, q)] = True
        todo = np.flatnonzero(bad)
        if len(todo) == 0:
            break
    return xy


def _edge_positions(maker: _ObjectMaker, n: int, rng) -> np.ndarray:
    """Positions 0.5-4 px inside the mosaic edge (the blank corner, else the image border)."""
    ny, nx = maker.cfg.shape
    out = []
    if maker.gal.edge_line is not None:
        a, b, c = maker.gal.edge_line
        norm = np.hypot(a, b)
        while len(out) < n:
            p = rng.uniform([0, 0], [nx - 1, ny - 1], size=(4 * n + 10, 2))
            s = (a * p[:, 0] + b * p[:, 1] - c) / norm
            d = rng.uniform(0.5, 4.0, len(p))
            q = p - (s + d)[:, None] * np.array([a, b])[None, :] / norm
            ok = (q[:, 0] > 2) & (q[:, 0] < nx - 3) & (q[:, 1] > 2) & (q[:, 1] < ny - 3)
            out.extend(q[ok][: n - len(out)])
    else:
        side = rng.integers(4, size=n)
        d = rng.uniform(0.5, 3.5, n)
        t = rng.random(n)
        for s_, d_, t_ in zip(side, d, t):
            if s_ == 0:
                out.append((d_, t_ * (ny - 1)))
            elif s_ == 1:
                out.append((nx - 1 - d_, t_ * (ny - 1)))
            elif s_ == 2:
                out.append((t_ * (nx - 1), d_))
            else:
                out.append((t_ * (nx - 1), ny - 1 - d_))
    return np.array(out, dtype=float).reshape(n, 2)


#: Where each kind of candidate lives: old clusters in the smooth disk, young clusters along the
#: arms, associations and luminous stars in the star-forming clumps (bright, crowded background).
SUBCLASS_KIND = {4.1: "clumpy", 4.2: "clumpy", 4.3: "clumpy", 4.4: "uniform", 4.7: "uniform", 4.8: "young"}
CLASS_KIND = {1: "old", 2: "mixed", 3: "clumpy"}


def make_objects(config: SimConfig, gal: GalaxyMaps,
                 rng: np.random.Generator) -> tuple[dict[str, np.ndarray], Components]:
    """Draw the candidates (truth columns) and all components of a field.

    Returns
    -------
    (truth, components)
        ``truth``: dict of column arrays (x, y, class_ref, subclass, age, mass, ebv,
        radius_pc, asym, n_stars, diffuse_frac, mag_true_<band>); ``components``:
        :class:`Components` of the candidates and the field stars.

    Examples
    --------
    >>> from starclass.simulate.field import stage_rng
    >>> from starclass.simulate.galaxy import build_galaxy
    >>> cfg = SimConfig(seed=1, shape=(128, 128), n_candidates=20)
    >>> truth, comps = make_objects(cfg, build_galaxy(cfg, stage_rng(1, "galaxy")), stage_rng(1, "objects"))
    >>> len(truth["x"]), sorted(truth)[:4], comps.flux.shape[1] == len(cfg.bands), len(comps) > 20
    (20, ['age', 'asym', 'class_ref', 'diffuse_frac'], True, True)
    """
    mk = _ObjectMaker(config, gal, rng)
    n = config.n_candidates
    mix = np.asarray(config.class_mix, dtype=float)
    counts = rng.multinomial(n, mix / mix.sum())
    cls = np.repeat([1, 2, 3, 4], counts)
    sub_keys = [round(k, 2) for k in config.subclass_mix]
    sub_p = np.array([config.subclass_mix[k] for k in config.subclass_mix], dtype=float)
    subclass = np.full(n, np.nan)
    if counts[3]:
        subclass[cls == 4] = rng.choice(sub_keys, size=counts[3], p=sub_p / sub_p.sum())
    order = rng.permutation(n)
    cls, subclass = cls[order], subclass[order]

    kinds = [CLASS_KIND[c] if c < 4 else SUBCLASS_KIND.get(round(s_, 2), "young") for c, s_ in zip(cls, subclass)]
    xy = _place_candidates(mk, kinds, rng)
    is_edge = np.isclose(subclass, 4.11)
    if is_edge.any():
        xy[is_edge] = _edge_positions(mk, int(is_edge.sum()), rng)

    nb = len(mk.bands)
    age = np.full(n, np.nan)
    mass = np.full(n, np.nan)
    ebv = np.zeros(n)
    radius = np.full(n, np.nan)
    asym = np.zeros(n)
    n_stars = np.zeros(n, dtype=np.int64)
    diffuse = np.zeros(n)

    # clusters of classes 1 and 2 (and the cluster-like edge objects)
    cl_like = (cls == 1) | (cls == 2) | (is_edge & (rng.random(n) < 0.5))
    for c in (1, 2):
        sel = np.flatnonzero(cl_like & ((cls == c) | (is_edge & (c == 1))))
        if not len(sel):
            continue
        a, m, e, mags = mk.cluster_population(c, xy[sel])
        age[sel], mass[sel], ebv[sel] = a, m, e
        radius[sel] = mk.reff_px(config.cluster_reff_pc, len(sel))
        for k, i in enumerate(sel):
            if c == 1:
                asym[i] = rng.uniform(0.0, 0.3)
                q = rng.uniform(0.8, 1.0)
            else:
                asym[i] = rng.uniform(0.2, 1.0)
                q = 1.0 - 0.55 * asym[i] * rng.random()
            gamma = rng.choice([2.5, 3.0, 3.5])
            n_stars[i] = mk.add_cluster(i, xy[i, 0], xy[i, 1], {b: mags[b][k] for b in mk.bands},
                                        radius[i], gamma, q, rng.uniform(0, np.pi), asym[i], c, a[k])

    # class 3: associations of >= 4 stars within 5 px on diffuse emission
    sel = np.flatnonzero(cls == 3)
    if len(sel):
        a, m, e, mags = mk.cluster_population(3, xy[sel])
        age[sel], mass[sel], ebv[sel] = a, m, e
        for k, i in enumerate(sel):
            n_stars[i] = min(4 + rng.geometric(0.35) - 1, 12)
            diffuse[i] = rng.uniform(0.15, 0.5)
            max_r = rng.uniform(*config.assoc_radius_px)  # one draw whatever the range: other draws unchanged
            radius[i] = max_r * mk.pcpx
            if config.assoc_stars_by_age:
                # members that stellar evolution makes at the association's age (no red
                # supergiants before ~7 Myr, none hotter than the turnoff)
                teff = draw_member_teff(rng, int(n_stars[i]), float(a[k]))
            else:
                teff = draw_star_teff(rng, int(n_stars[i]))
                teff = np.where(rng.random(len(teff)) < 0.6, rng.uniform(15000, 40000, len(teff)), teff)
            mk.add_stars(i, xy[i, 0], xy[i, 1], mags[mk.vb][k], int(n_stars[i]), max_r, 1.0, e[k],
                         diffuse[i], max(0.8, 0.45 * max_r), teff=teff, anchor="centroid", alpha=0.5,
                         diffuse_mags={b: mags[b][k] for b in mk.bands})

    # single stars, pairs, triplets (and star-like edge objects)
    star_like = np.isin(np.round(subclass, 2), [4.1, 4.2, 4.3]) | (is_edge & ~cl_like)
    sel = np.flatnonzero(star_like)
    if len(sel):
        e = mk._ebv(xy[sel, 0], xy[sel, 1], 4)
        ebv[sel] = e
        bright, faint = mk.star_mag_range(e)
        vm = np.array([_powerlaw_mags(rng, b_, faint, 1, slope=STAR_LF_SLOPE)[0] for b_ in bright])
        for k, i in enumerate(sel):
            sc = round(float(subclass[i]), 2)
            ns = 2 if sc == 4.2 else 3 if sc == 4.3 else 1
            n_stars[i] = ns
            if ns > 1:
                # pairs/triplets are brighter in total: each star obeys the HD limit
                vm_k = vm[k] - 2.5 * np.log10(ns) * rng.uniform(0.0, 0.2)
                vm_k = max(vm_k, bright[k] - 2.5 * np.log10(ns))
                dfr = rng.uniform(0.1, 0.35) if rng.random() < 0.35 else 0.0
                diffuse[i] = dfr
                mk.add_stars(i, xy[i, 0], xy[i, 1], vm_k, ns, 4.5 if ns == 3 else rng.uniform(1.6, 4.5),
                             1.5, e[k], dfr, rng.uniform(1.5, 3.0), anchor="brightest")
            else:
                mk.add_stars(i, xy[i, 0], xy[i, 1], vm[k], 1, 0.0, 0.0, e[k], 0.0, 1.0)

    # saturated foreground stars (4.4): clipped, bleeding, with diffraction spikes
    sel = np.flatnonzero(np.isclose(subclass, 4.4))
    if len(sel):
        w, var = psf_mixture(config.band_fwhm(mk.vb), config.psf_beta)
        peak_frac = float(np.sum(w / (2 * np.pi * var)))
        f_sat = config.saturation / (config.band_saturation_exptime(mk.vb) * peak_frac)
        m_sat = mk.zp[mk.iv] - 2.5 * np.log10(f_sat)
        for i in sel:
            vm = rng.uniform(m_sat - 3.0, m_sat - 0.5)
            teff = draw_star_teff(rng, 1, young=False)[0]
            f = mk.flux(star_mags(mk.bands, mk.vb, vm, teff, 0.0))
            x0, y0 = xy[i]
            mk.builder.add(i, x0, y0, f, kind=KIND_SATURATED)
            length = 4.0 + 3.0 * (m_sat - vm)
            for kdir in range(4):
                ang = np.pi / 4 + kdir * np.pi / 2
                mk.builder.add(i, x0 + length * np.cos(ang), y0 + length * np.sin(ang), 0.004 * f,
                               (np.array([1.0]), np.array([1.0])), scale=length, q=0.5 / length, pa=ang,
                               kind=KIND_SATURATED)
            n_stars[i] = 1
            ebv[i] = 0.0

    # background galaxies (4.7); class-4 objects end at the class-4 faint limit
    lim4 = mk.faint_limit(4)
    sel = np.flatnonzero(np.isclose(subclass, 4.7))
    for i in sel:
        vm = _powerlaw_mags(rng, lim4 - 3.0, lim4, 1, slope=0.35)[0]
        a = _loguniform(rng, 2e9, 1e10)
        e = float(gal.ebv_at(xy[i, 0], xy[i, 1])) + rng.uniform(0.1, 0.5)
        ebv[i], age[i] = e, a
        mags = cluster_mags(mk.bands, np.array([a]), np.array([1e6]), np.array([e]), config.distance_mpc)
        f = mk.flux({b: mags[b][0] for b in mk.bands})
        f *= 10 ** (-0.4 * (vm - (mk.zp[mk.iv] - 2.5 * np.log10(f[mk.iv]))))
        re_px = 0.15 * 10 ** (0.2 * rng.standard_normal()) / config.pixel_scale
        radius[i] = re_px * mk.pcpx
        bulge = rng.uniform(0.0, 0.4)
        q = rng.uniform(0.3, 1.0)
        pa = rng.uniform(0, np.pi)
        mk.builder.add(i, xy[i, 0], xy[i, 1], (1 - bulge) * f, exponential_mge(), scale=re_px, q=q, pa=pa)
        if bulge > 0:
            mk.builder.add(i, xy[i, 0], xy[i, 1], bulge * f, eff_mge(3.0), scale=0.3 * re_px, q=min(1, q + 0.3), pa=pa)

    # fluff (4.8): faint, diffuse, irregular
    sel = np.flatnonzero(np.isclose(subclass, 4.8))
    scale_px = max(1.0, 0.04 / config.pixel_scale)
    for i in sel:
        vm = rng.uniform(lim4 - 1.5, lim4)
        a = _loguniform(rng, 5e6, 5e7)
        e = mk._ebv(xy[i:i + 1, 0], xy[i:i + 1, 1], 3)[0]
        ebv[i], age[i] = e, a
        mags = cluster_mags(mk.bands, np.array([a]), np.array([1e6]), np.array([e]), config.distance_mpc)
        f = mk.flux({b: mags[b][0] for b in mk.bands})
        f *= 10 ** (-0.4 * (vm - (mk.zp[mk.iv] - 2.5 * np.log10(f[mk.iv]))))
        nblob = rng.integers(2, 5)
        shares = rng.dirichlet(np.ones(nblob))
        for s_ in shares:
            r = rng.uniform(0, 3.0) * scale_px
            ang = rng.uniform(0, 2 * np.pi)
            mk.builder.add(i, xy[i, 0] + r * np.cos(ang), xy[i, 1] + r * np.sin(ang), s_ * f,
                           (np.array([1.0]), np.array([1.0])), scale=rng.uniform(1.8, 4.0) * scale_px,
                           q=rng.uniform(0.4, 1.0), pa=rng.uniform(0, np.pi))
        radius[i] = 3.0 * scale_px * mk.pcpx

    # cosmic rays and hot pixels (4.12): V band only, no PSF
    sel = np.flatnonzero(np.isclose(subclass, 4.12))
    for i in sel:
        vm = rng.uniform(lim4 - 4.0, lim4 - 0.5)
        ftot = 10 ** (-0.4 * (vm - mk.zp[mk.iv]))
        x0, y0 = np.round(xy[i])
        xy[i] = (x0, y0)
        if rng.random() < 0.6:
            length = rng.integers(2, 8)
            ang = rng.uniform(0, np.pi)
            steps = np.arange(length) - (length - 1) / 2
            px = np.unique(np.round(np.column_stack([x0 + steps * np.cos(ang), y0 + steps * np.sin(ang)])), axis=0)
        else:
            px = np.array([[x0, y0]])
        share = rng.dirichlet(np.full(len(px), 3.0))
        for (pxx, pyy), s_ in zip(px, share):
            fl = np.zeros(nb)
            fl[mk.iv] = s_ * ftot
            mk.builder.add(i, pxx, pyy, fl, kind=KIND_PIXEL)
        n_stars[i] = 0

    comps = mk.builder.build()

    # field stars: fainter than the candidates; crowding and texture, not in the truth
    nf = int(round(config.field_stars * n))
    if nf:
        fxy = gal.sample(rng, nf, "young")
        fe = gal.ebv_at(fxy[:, 0], fxy[:, 1]) * rng.uniform(0.2, 1.0, nf)
        fvm = _powerlaw_mags(rng, config.mag_limit + 0.3, config.mag_limit + 2.5, nf)
        fteff = draw_star_teff(rng, nf)
        smag = star_mags(mk.bands, mk.vb, fvm, fteff, fe)
        fflux = np.column_stack([10 ** (-0.4 * (smag[b] - z)) for b, z in zip(mk.bands, mk.zp)])
        field = Components(x=fxy[:, 0], y=fxy[:, 1], flux=fflux, cxx=np.zeros(nf), cyy=np.zeros(nf),
                           cxy=np.zeros(nf), owner=np.full(nf, -1, dtype=np.int64),
                           kind=np.zeros(nf, dtype=np.int8))
        comps = _concat_components([comps, field])

    # faint companions: resolved stars of the star-forming complex a candidate sits in, by class
    # (none by default: the random stream of the default field is unchanged)
    per_class = np.asarray(config.class_companions, dtype=float)
    if per_class.any():
        comps = _concat_components([comps, _companions(config, mk, gal, xy, cls, per_class, rng)])

    # true total magnitudes per band
    own = comps.owner >= 0
    # one bincount per band: the same float64 sums in the same order as np.add.at on the rows, faster
    tot = np.column_stack([np.bincount(comps.owner[own], weights=comps.flux[own, b], minlength=n)
                           for b in range(nb)]) if nb else np.zeros((n, 0))
    # the V-band centre of light of each object's components: x, y is the cluster body's centre
    # (class 2: its off-centre star pulls the light 1-3 px away, where a peak finder lands on the
    # blend) or a pair's brightest star; completeness accepts a detection at either
    fv = np.where(own, comps.flux[:, mk.iv], 0.0)
    lv = np.bincount(comps.owner[own], weights=fv[own], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_light = np.bincount(comps.owner[own], weights=(fv * comps.x)[own], minlength=n) / lv
        y_light = np.bincount(comps.owner[own], weights=(fv * comps.y)[own], minlength=n) / lv
    dark = ~(lv > 0)
    x_light[dark], y_light[dark] = xy[dark, 0], xy[dark, 1]
    truth = {
        X: xy[:, 0], Y: xy[:, 1], CLASS_REF: cls.astype(np.int64), SUBCLASS: subclass,
        "age": age, "mass": mass, "ebv": ebv, "radius_pc": radius, "asym": asym,
        "n_stars": n_stars, "diffuse_frac": diffuse, X_LIGHT: x_light, Y_LIGHT: y_light,
    }
    with np.errstate(divide="ignore"):
        for j, b in enumerate(mk.bands):
            lit = tot[:, j] > 0
            truth[mag_true_col(b)] = np.where(lit, mk.zp[j] - 2.5 * np.log10(np.where(lit, tot[:, j], 1)), np.nan)
    return truth, comps


#: Radii (px) between which a candidate's faint companions fall: around and beyond the 7-8 px
#: background annulus of the photometry, outside the 3 px aperture, so that they raise the
#: background noise (hence the error) of the candidate rather than its flux or CI.
COMPANION_RADII = (5.0, 14.0)


def _companions(config: SimConfig, mk: _ObjectMaker, gal: GalaxyMaps, xy: np.ndarray, cls: np.ndarray,
                per_class: np.ndarray, rng: np.random.Generator) -> Components:
    """Faint stars around each candidate, Poisson with mean ``per_class[class - 1]``.

    Only a share ``config.class_complex_share[class - 1]`` of each class's candidates sits in a
    complex and gets them (all by default).

    In the real LEGUS catalogues the V error at a given magnitude is larger for classes 3 and 4
    than for clusters (ROC AUC 0.77 in NGC 628-C) and follows the neighbours: associations and
    single stars sit inside star-forming complexes full of fainter resolved stars, compact
    clusters mostly do not. The companions are like field stars (0.3-2.5 mag fainter than
    ``mag_limit``, young temperatures, part of the local dust screen) but placed around the
    candidates of the classes that have them; they are not in the truth catalogue.
    """
    k = rng.poisson(per_class[cls - 1])
    share = np.asarray(config.class_complex_share, dtype=float)
    if np.any(share < 1.0):
        # only a share of each class sits in a complex; the rest are isolated (no extra draw when
        # every candidate does, so that the presets without the setting keep their random stream)
        k = np.where(rng.random(len(cls)) < share[cls - 1], k, 0)
    host = np.repeat(np.arange(len(cls)), k)
    m = len(host)
    r = rng.uniform(COMPANION_RADII[0], COMPANION_RADII[1], m)
    ang = rng.uniform(0.0, 2 * np.pi, m)
    ny, nx = config.shape
    cx = np.clip(xy[host, 0] + r * np.cos(ang), 0.0, nx - 1.0)
    cy = np.clip(xy[host, 1] + r * np.sin(ang), 0.0, ny - 1.0)
    ce = gal.ebv_at(cx, cy) * rng.uniform(0.2, 1.0, m)
    cvm = _powerlaw_mags(rng, config.mag_limit + 0.3, config.mag_limit + 2.5, m)
    smag = star_mags(mk.bands, mk.vb, cvm, draw_star_teff(rng, m), ce)
    flux = np.column_stack([10 ** (-0.4 * (smag[b] - z)) for b, z in zip(mk.bands, mk.zp)]).reshape(m, len(mk.bands))
    return Components(x=cx, y=cy, flux=flux, cxx=np.zeros(m), cyy=np.zeros(m), cxy=np.zeros(m),
                      owner=np.full(m, -1, dtype=np.int64), kind=np.zeros(m, dtype=np.int8))


def _concat_components(parts: list[Components]) -> Components:
    return Components(**{
        k: np.concatenate([getattr(p, k) for p in parts], axis=0)
        for k in ("x", "y", "flux", "cxx", "cyy", "cxy", "owner", "kind")
    })
