"""X-ray selected galaxy-cluster candidates: XMM-like X-ray + DSS2-like optical (preset ``galaxy-cluster``).

The problem of Kosiba et al. (2020; seed 004): extended X-ray sources found by a wavelet
pipeline in *XMM-Newton* archival data (X-CLASS), shown to experts with DSS2 optical images
of the same 7' x 7' field; the experts' classes are low-redshift cluster (z < 0.3),
high-redshift cluster (z > 0.3), nearby galaxy, point source and other; the networks are
trained on the binary merge cluster / non-cluster. Physics first, then each instrument on its
own pixel grid; the optical image is then put on the X-ray grid with :mod:`reproject`
(``reproject_interp`` after smoothing to the coarser pixel, so the plate grain does not alias;
X-ray counts, when the common grid is not the detector's, with ``reproject_adaptive``
conserving flux) using both images' WCS.

Physics (flat LambdaCDM, H0 = 70, Omega_m = 0.3, :mod:`astropy.cosmology`):

* ``low-z cluster`` (z 0.05-0.3) and ``high-z cluster`` (z 0.3-1.0): M500 10^13.8-10^14.9 Msun;
  intracluster gas as a beta model (beta 0.55-0.8, core radius 0.1-0.25 R500, axis ratio
  0.7-1), its angular size from the angular-diameter distance; counts from the flux
  (``L_X ~ M500^1.6``, dimmed as ``D_L^-2``) with a floor at the detection limit (the
  candidates are detections, so none is far below it); member galaxies: richness 15-80
  within R500 on a projected NFW-like (``1/(r (1 + r)^2)``-ish King) profile, a BCG
  (M_R = -23.5) and a Schechter luminosity function (M* = -22.2, alpha = -1.1) moved to z with
  the distance modulus and a k-correction of ``2.5 z`` mag (early types in R), red-sequence
  colours; ellipticals as Sersic n = 4, sizes 5 kpc at M* (so 1-3" at z = 0.3). At z > 0.3
  most members fall below the plate limit: the optical image shows little, as the paper's.
* ``nearby galaxy`` (d 10-60 Mpc): hot gas and X-ray binaries of a bright galaxy (extended,
  10-40" core), a large optical galaxy (R 9-13 mag, Sersic n 1-4, r_e 15-60").
* ``point source``: an AGN or star (PSF-shaped X-ray source, 100-3000 counts), with an optical
  counterpart (a star of R 8-17 or a faint QSO) or none.
* ``other``: what the pipeline picks up that is none of these: blends of 2-4 point sources
  within 30", faint diffuse patches (noise or Galactic emission) of a few tens of counts.

Every field has X-ray point sources (AGN counts: 0-6 per field, 10-200 counts), and an optical
field of Galactic stars and galaxies (R 12-21, counts rising to the plate limit).

Instruments:

* X-ray, XMM EPIC-like: 2.5"/px, the PSF as a King profile (core 5.5", index 1.5: about 6"
  FWHM with wide wings), vignetting, particle + sky background 0.05-0.3 counts per pixel, Poisson
  counts.
* Optical, DSS2 (POSS-II R plate)-like: 1.0"/px on a grid rotated by 0-360 deg and offset by a
  few arcsec from the X-ray one, seeing 2-3.5" FWHM (Gaussian core + a Moffat-like halo),
  sky 21 mag/arcsec^2 exposing the emulsion to a tenth of saturation, plate limit R ~ 20.8;
  the photographic density saturates (``D = 1 - exp(-E / E_sat)``: bright stars become flat
  discs) and carries plate grain (noise correlated over ~1.5 px, stronger where the plate is
  darker).

Both images are written on the X-ray grid (FITS, with its WCS): ``file_xray`` and
``file_optical`` columns, ``label`` 1 (cluster) or 2 (non-cluster) as the ``galaxy-cluster``
task, and ``expert`` 1-5 (:data:`EXPERT_CLASSES`; a five-class config in docs/seed_simulators.md).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from astropy.wcs import WCS
from scipy.ndimage import gaussian_filter

from starclass.errors import StarclassError
from starclass.simulate.labelled import celestial_wcs, counts_from_fractions, write_labelled_folder
from starclass.simulate.volunteers import VolunteerConfig

__all__ = ["EXPERT_CLASSES", "EXPERT_FRACTIONS", "CandidateSimConfig", "simulate_candidate", "to_common_grid",
           "write_candidates"]

#: The experts' classes (numbered 1-5, train with --label-column expert) and the binary merge.
EXPERT_CLASSES = {1: "low-z cluster", 2: "high-z cluster", 3: "nearby galaxy", 4: "point source", 5: "other"}
BINARY = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}

#: Class fractions of the simulated candidates (assumed: the seed text gives no counts; a
#: cluster share near one half, as X-CLASS's confirmed-cluster fraction, docs/seed_simulators.md).
EXPERT_FRACTIONS = {1: 0.36, 2: 0.16, 3: 0.10, 4: 0.18, 5: 0.20}


@dataclass
class CandidateSimConfig:
    """Settings of the candidate sample.

    Parameters
    ----------
    n : int
        Number of candidates.
    size : int
        Side of the common (X-ray) grid in pixels.
    xray_arcsec, optical_arcsec : float
        Pixel sizes of the two instruments.
    field_arcmin : float
        Field of view (the volunteers' and experts' 7').
    seed : int
        Random seed; candidate ``i`` uses ``SeedSequence([seed, i])``.
    volunteers : int
        Simulated citizen-science volunteers per candidate (0: none), with their weighted
        consensus (:mod:`starclass.simulate.volunteers`); their own random stream, so the
        images do not depend on it.
    volunteer_pool, gold_fraction : int, float
        Volunteers in the project and the share of candidates with the experts' answer that
        weights them.

    Examples
    --------
    >>> cfg = CandidateSimConfig(n=4, size=64)
    >>> cfg.volunteer_config()
    VolunteerConfig(n_per_candidate=10, pool=40, gold_fraction=0.1, seed=0)
    >>> CandidateSimConfig(size=16)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: galaxy-cluster: --size must be >= 32 px, got 16
    """

    n: int = 400
    size: int = 168
    xray_arcsec: float = 2.5
    optical_arcsec: float = 1.0
    field_arcmin: float = 7.0
    seed: int = 0
    volunteers: int = 10
    volunteer_pool: int = 40
    gold_fraction: float = 0.1

    def __post_init__(self) -> None:
        self.volunteer_config()  # refuses bad volunteer settings now, not after the images
        if self.size < 32:
            raise StarclassError(f"galaxy-cluster: --size must be >= 32 px, got {self.size}")
        if self.n < 1:
            raise StarclassError(f"galaxy-cluster: --n must be >= 1, got {self.n}")

    def volunteer_config(self) -> VolunteerConfig:
        """The :class:`~starclass.simulate.volunteers.VolunteerConfig` of these settings."""
        return VolunteerConfig(n_per_candidate=self.volunteers, pool=self.volunteer_pool,
                               gold_fraction=self.gold_fraction, seed=self.seed)

    @property
    def grid_arcsec(self) -> float:
        """Pixel of the common grid: the field of view over ``size`` pixels.

        Examples
        --------
        >>> CandidateSimConfig().grid_arcsec, CandidateSimConfig(size=84).grid_arcsec  # 7' over 168 px, over 84 px
        (2.5, 5.0)
        """
        return self.field_arcmin * 60.0 / self.size


def _cosmo():
    from astropy.cosmology import FlatLambdaCDM

    return FlatLambdaCDM(H0=70, Om0=0.3)


def _king_psf(r, core=5.5, index=1.5):
    return (1 + (r / core) ** 2) ** (-index)


def _xray(rng, cfg, kind, z, extent_arcsec, counts, q, theta, blend):
    """Expected X-ray counts on the X-ray detector grid (before background and Poisson)."""
    n = int(round(cfg.field_arcmin * 60 / cfg.xray_arcsec))
    c = (np.arange(n) - (n - 1) / 2) * cfg.xray_arcsec
    x, y = np.meshgrid(c, c)
    img = np.zeros((n, n))
    if extent_arcsec > 0:
        u = np.cos(theta) * x + np.sin(theta) * y
        v = -np.sin(theta) * x + np.cos(theta) * y
        r2 = (u * u * q + v * v / q) / extent_arcsec ** 2
        beta = rng.uniform(0.55, 0.8)
        prof = (1 + r2) ** (-3 * beta + 0.5)
        img += counts * prof / prof.sum()
    else:
        for bx, by in blend:
            share = counts / len(blend) * rng.uniform(0.5, 1.5)
            prof = _king_psf(np.hypot(x - bx, y - by))
            img += share * prof / prof.sum()
    # the PSF (a King profile) blurs the extended emission too; a Gaussian of its core is enough there
    img = gaussian_filter(img, 5.5 / 2.355 * 2 / cfg.xray_arcsec)
    for _ in range(rng.poisson(3)):
        ax, ay = rng.uniform(-200, 200, 2)
        prof = _king_psf(np.hypot(x - ax, y - ay))
        img += 10 ** rng.uniform(1, 2.3) * prof / prof.sum()
    vign = 1 - 0.3 * (np.hypot(x, y) / (n * cfg.xray_arcsec / 2)) ** 2
    bkg = rng.uniform(0.05, 0.3)
    return rng.poisson(np.clip((img + bkg) * vign, 0, None)).astype(np.float32)


def _add_sersic(img, step, x0, y0, flux, re, nser, q, theta):
    """Add a Sersic galaxy of total ``flux`` (positions in arcsec from the centre) on a local box."""
    n = img.shape[0]
    half = int(np.ceil(max(8 * re / np.sqrt(q), 3 * step) / step))
    ci, cj = y0 / step + (n - 1) / 2, x0 / step + (n - 1) / 2
    i0, i1 = max(int(ci) - half, 0), min(int(ci) + half + 1, n)
    j0, j1 = max(int(cj) - half, 0), min(int(cj) + half + 1, n)
    if i0 >= i1 or j0 >= j1:
        return
    yy, xx = np.mgrid[i0:i1, j0:j1]
    dx, dy = (xx - cj) * step, (yy - ci) * step
    u = np.cos(theta) * dx + np.sin(theta) * dy
    v = -np.sin(theta) * dx + np.cos(theta) * dy
    r = np.sqrt(u * u * q + v * v / q)
    b = 2 * nser - 1 / 3
    prof = np.exp(-b * ((np.maximum(r, 0.1) / re) ** (1 / nser) - 1))
    s = prof.sum()
    if s > 0:
        img[i0:i1, j0:j1] += flux * prof / s


def _optical(rng, cfg, kind, z, members, extent_arcsec):
    """Optical R-band plate image (photographic density) on its own 1" grid."""
    # the plate grid is rotated with respect to the detector: it must cover the field's diagonal
    n = int(np.ceil(cfg.field_arcmin * 60 * np.sqrt(2) / cfg.optical_arcsec)) + 8
    zp = 26.0  # counts for R = 0 per plate exposure unit: only ratios matter on a plate
    sky = 10 ** (-0.4 * (21.0 - zp)) * cfg.optical_arcsec ** 2
    img = np.full((n, n), sky)
    stars = np.zeros((n, n))

    def add_point(px, py, mag):
        i, j = int(round(py / cfg.optical_arcsec + (n - 1) / 2)), int(round(px / cfg.optical_arcsec + (n - 1) / 2))
        if 0 <= i < n and 0 <= j < n:
            stars[i, j] += 10 ** (-0.4 * (mag - zp))

    # Galactic stars (R 10-21: counts rising ~ 10^(0.25 m)) and field galaxies
    half = n * cfg.optical_arcsec / 2
    for _ in range(rng.poisson(60)):
        m = np.log10(rng.uniform(10 ** (0.25 * 10), 10 ** (0.25 * 21))) / 0.25
        add_point(*rng.uniform(-half, half, 2), m)
    for _ in range(rng.poisson(25)):
        m = rng.uniform(16, 21)
        _add_sersic(img, cfg.optical_arcsec, *rng.uniform(-half, half, 2), 10 ** (-0.4 * (m - zp)),
                    rng.uniform(1, 4), rng.uniform(1, 4), rng.uniform(0.3, 1), rng.uniform(0, np.pi))
    for mx, my, m, re, nser, q, th in members:
        if m < 22.0:  # fainter members leave nothing on the plate
            if re < 0.6:
                add_point(mx, my, m)
            else:
                _add_sersic(img, cfg.optical_arcsec, mx, my, 10 ** (-0.4 * (m - zp)), re, nser, q, th)
    seeing = rng.uniform(2.0, 3.5) / 2.355 / cfg.optical_arcsec
    exposure = gaussian_filter(img + stars, seeing)
    # a faint halo: photographic plates scatter light far from bright stars
    exposure += 0.03 * gaussian_filter(stars, 4 * seeing)
    # photographic density saturates: bright stars turn into flat discs; the sky exposes the
    # emulsion to ~10 % of saturation, and grain makes a star at the plate limit a ~5 sigma detection
    e_sat = 10 * sky
    dens = 1 - np.exp(-exposure / e_sat)
    grain = gaussian_filter(rng.normal(0, 1, (n, n)), 1.5)
    dens = dens + (0.006 + 0.01 * dens) * grain / grain.std()
    return dens.astype(np.float32)


def to_common_grid(image: np.ndarray, wcs_in: WCS, wcs_out: WCS, shape: tuple[int, int], *,
                   counts: bool = False) -> np.ndarray:
    """Put an image on another grid with :mod:`reproject`, using both WCS.

    Parameters
    ----------
    image : numpy.ndarray
        The image on its own grid.
    wcs_in, wcs_out : astropy.wcs.WCS
        Its WCS and the target grid's.
    shape : (int, int)
        Target shape.
    counts : bool
        True for counts (X-ray): rebinned conserving the total (``reproject_adaptive``, or
        nothing when the grids are the same). False for a surface quantity (plate density):
        smoothed to the target pixel first, so that fine grain does not alias, then
        interpolated (``reproject_interp``, bilinear; ``reproject_adaptive`` does the same at
        0.6 s a cutout, measured).

    Returns
    -------
    numpy.ndarray
        float32 ``shape``; pixels the input does not cover are 0.

    Examples
    --------
    >>> from starclass.simulate.labelled import celestial_wcs
    >>> img = np.zeros((40, 40)); img[20, 20] = 1.0
    >>> out = to_common_grid(img, celestial_wcs(img.shape, 1.0), celestial_wcs((20, 20), 2.0), (20, 20), counts=True)
    >>> round(float(out.sum()), 3)
    1.0
    """
    try:
        from reproject import reproject_adaptive, reproject_interp
    except ImportError:  # a dependency of starclass; said plainly if an environment lacks it
        raise StarclassError("the galaxy-cluster simulator needs the 'reproject' package (pip install reproject) "
                             "to put the optical image on the X-ray grid") from None
    scale_in = float(np.abs(wcs_in.proj_plane_pixel_scales()[0].value))
    scale_out = float(np.abs(wcs_out.proj_plane_pixel_scales()[0].value))
    if counts:
        same = image.shape == tuple(shape) and np.allclose(wcs_in.wcs.cd, wcs_out.wcs.cd) and \
            np.allclose(wcs_in.wcs.crpix, wcs_out.wcs.crpix) and np.allclose(wcs_in.wcs.crval, wcs_out.wcs.crval)
        if same:
            return np.asarray(image, np.float32)
        # both grids span the same field: reproject's default 'strict' boundary made every output pixel whose
        # kernel reached past the detector's edge NaN, then 0 here, a frame of two zero-count rows and columns round
        # every X-ray cutout simulated at a --size other than 168 (the network saw it as well as the gallery);
        # 'ignore' leaves the samples beyond the edge out of the pixel's weights (the total kept to 1e-4)
        out, _ = reproject_adaptive((image, wcs_in), wcs_out, shape_out=shape, conserve_flux=True,
                                    boundary_mode="ignore")
    else:
        ratio = scale_out / scale_in
        src = gaussian_filter(np.asarray(image, float), 0.42 * ratio) if ratio > 1 else image
        out, _ = reproject_interp((src, wcs_in), wcs_out, shape_out=shape, order="bilinear")
    return np.nan_to_num(out).astype(np.float32)


def simulate_candidate(cfg: CandidateSimConfig, index: int, expert: int) -> tuple[dict, dict]:
    """One candidate of expert class ``expert``: X-ray and optical images on one grid, and its truth.

    Returns ``({"xray": ..., "optical": ..., "wcs": ...}, truth)``; both images are
    ``size x size`` on the X-ray grid (the optical one reprojected with :mod:`reproject`).

    Examples
    --------
    >>> imgs, t = simulate_candidate(CandidateSimConfig(size=48, field_arcmin=2.0), 0, 1)
    >>> imgs["xray"].shape == imgs["optical"].shape == (48, 48), t["label"]
    (True, 1)
    """
    if expert not in EXPERT_CLASSES:
        raise StarclassError(f"expert class {expert} is not one of {sorted(EXPERT_CLASSES)}")
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, index]))
    cosmo = _cosmo()
    z, extent, counts, members, blend = 0.0, 0.0, 0.0, [], [(0.0, 0.0)]
    q, theta = rng.uniform(0.7, 1.0), rng.uniform(0, np.pi)
    if expert in (1, 2):
        z = rng.uniform(0.05, 0.3) if expert == 1 else rng.uniform(0.3, 1.0)
        m500 = 10 ** rng.uniform(13.8, 14.9)
        r500_kpc = 1206 * (m500 / 5e14) ** (1 / 3) / (1 + z) ** 0.5
        kpc_per_arcsec = float(cosmo.kpc_proper_per_arcmin(z).value) / 60
        extent = rng.uniform(0.1, 0.25) * r500_kpc / kpc_per_arcsec
        lx = (m500 / 1e14) ** 1.6
        dl = float(cosmo.luminosity_distance(z).value)
        counts = max(2e3 * lx * (500 / dl) ** 2 * rng.uniform(0.5, 2.0), rng.uniform(80, 200))
        dm = float(cosmo.distmod(z).value) + 2.5 * z
        rich = rng.integers(15, 80)
        rr = r500_kpc / kpc_per_arcsec
        for k in range(rich):
            if k == 0:
                mag, rad = -23.5 + rng.normal(0, 0.3), 0.0
            else:
                # Schechter draw by rejection above M* + 3 (fainter members do not show)
                while True:
                    mag = rng.uniform(-24.0, -19.0)
                    if rng.random() < 10 ** (-0.4 * (-1.1 + 1) * (mag + 22.2)) * np.exp(-10 ** (-0.4 * (mag + 22.2))):
                        break
                rad = rr * 0.3 * np.tan(rng.uniform(0, np.arctan(3.0)))  # a cored projected profile
            a = rng.uniform(0, 2 * np.pi)
            re = 5.0 * 10 ** (-0.4 * 0.5 * (mag + 22.2)) / kpc_per_arcsec
            members.append((rad * np.cos(a), rad * np.sin(a), mag + dm, re, 4.0, rng.uniform(0.6, 1), a))
    elif expert == 3:
        d_mpc = rng.uniform(10, 60)
        extent = rng.uniform(10, 40)
        counts = rng.uniform(100, 1500)
        mag = rng.uniform(9, 13)
        members.append((0.0, 0.0, mag, rng.uniform(15, 60) * 20 / d_mpc, rng.choice([1.0, 2.0, 4.0]),
                        rng.uniform(0.3, 1), rng.uniform(0, np.pi)))
    elif expert == 4:
        counts = rng.uniform(100, 3000)
        if rng.random() < 0.7:
            members.append((0.0, 0.0, rng.uniform(8, 17), 0.0, 1.0, 1.0, 0.0))
        elif rng.random() < 0.5:
            members.append((0.0, 0.0, rng.uniform(18, 20.5), 0.0, 1.0, 1.0, 0.0))
    else:
        if rng.random() < 0.6:
            blend = [tuple(rng.normal(0, 12, 2)) for _ in range(rng.integers(2, 5))]
            counts = rng.uniform(80, 600)
        else:
            extent, counts = rng.uniform(20, 60), rng.uniform(30, 120)

    xray_det = _xray(rng, cfg, expert, z, extent, counts, q, theta, blend)
    opt = _optical(rng, cfg, expert, z, members, extent)
    # each instrument on its own grid: the plate rotated and offset with respect to the detector
    w_x = celestial_wcs(xray_det.shape, cfg.xray_arcsec)
    w_o = celestial_wcs(opt.shape, cfg.optical_arcsec, rotation_deg=rng.uniform(0, 360),
                        offset_px=tuple(rng.normal(0, 3, 2)))
    w_out = celestial_wcs((cfg.size, cfg.size), cfg.grid_arcsec)
    x_on = to_common_grid(xray_det, w_x, w_out, (cfg.size, cfg.size), counts=True)
    o_on = to_common_grid(opt, w_o, w_out, (cfg.size, cfg.size))
    truth = {"label": BINARY[expert], "expert": expert, "expert_name": EXPERT_CLASSES[expert], "z": z,
             "extent_arcsec": extent, "xray_counts": counts, "n_members": len(members)}
    return {"xray": x_on, "optical": o_on, "wcs": w_out}, truth


def write_candidates(cfg: CandidateSimConfig, outdir: str | os.PathLike, *, overwrite: bool = False,
                     progress: bool | None = False) -> Path:
    """Simulate ``cfg.n`` candidates in :data:`EXPERT_FRACTIONS` and write the labelled folder.

    With ``cfg.volunteers > 0`` the rows also carry the volunteers' votes and weighted
    consensus (:func:`starclass.simulate.volunteers.volunteer_columns`; train on them with
    ``--label-column consensus``) and ``simulation.json`` their skills and weights.

    Examples
    --------
    >>> import tempfile
    >>> write_candidates(CandidateSimConfig(n=2, size=32, field_arcmin=1.5), tempfile.mkdtemp() + "/gc").name
    'labels.csv'
    """
    counts = counts_from_fractions(cfg.n, EXPERT_FRACTIONS)
    order = np.random.default_rng(cfg.seed).permutation(np.repeat(list(counts), list(counts.values())))

    def make(i):
        return simulate_candidate(cfg, i, int(order[i]))

    info = {"preset": "galaxy-cluster", "config": asdict(cfg), "expert_classes": EXPERT_CLASSES,
            "expert_counts": {EXPERT_CLASSES[k]: v for k, v in counts.items()}, "binary": {"1": "cluster",
                                                                                           "2": "non-cluster"}}

    def finish(rows: list[dict], info_out: dict) -> None:
        if cfg.volunteers <= 0:
            return
        from starclass.simulate.volunteers import volunteer_columns

        cols, summary = volunteer_columns(np.array([r["expert"] for r in rows]), np.array([r["label"] for r in rows]),
                                          np.array([r["xray_counts"] for r in rows], float), cfg.volunteer_config())
        for i, r in enumerate(rows):
            r.update({k: v[i] for k, v in cols.items()})
        info_out["volunteers"] = summary

    return write_labelled_folder(outdir, cfg.n, make, bands=["xray", "optical"], overwrite=overwrite,
                                 progress=progress, info=info, finish=finish,
                                 # the X-ray counts (reprojected conserving them); a plate's density has no unit
                                 units={"xray": "count"})
