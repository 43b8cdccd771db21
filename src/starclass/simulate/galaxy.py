"""The galaxy behind the objects: disk, spiral arms, star-forming clumps and dust lanes.

All maps live on a coarse grid (at most ~1024 px a side) and are interpolated to full
resolution one band at a time, so an 8192 x 8192 field costs one full-size array per band.

Geometry in physical units (so the field covers the right number of kpc at any distance):
an inclined exponential disk (scale length 2.5 kpc), a two-armed logarithmic spiral (pitch
15-25 deg), Gaussian star-forming clumps strung along the arms (50-200 pc), and dust lanes on
the inner edge of each arm plus a patchy screen (a smoothed log-normal random field). The
disk light has the colours of a ~3 Gyr population, the arms and clumps those of a ~30 Myr
one (Yggdrasil SSP); the dust dims the light by half its screen's extinction (stars and dust
mixed), which reddens the diffuse light where the lanes are.

Object positions are drawn from these maps: young objects follow the arms and clumps, old
clusters the disk, background galaxies are uniform, so crowding varies across the field.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import ndimage

from starclass.bands import BANDS, v_band
from starclass.simulate.config import SimConfig
from starclass.simulate.ssp import ssp_abs_mag

DISK_SCALE_KPC = 2.5
MAX_COARSE = 1024


@dataclass
class GalaxyMaps:
    """Coarse maps of one field (all on the same grid, ``factor`` full pixels per cell).

    Examples
    --------
    Made by :func:`build_galaxy`; its density maps place the objects:

    >>> from starclass.simulate.field import stage_rng
    >>> gal = build_galaxy(SimConfig(seed=1, shape=(128, 128)), stage_rng(1, "galaxy"))
    >>> gal.factor, gal.shape, gal.disk.shape, gal.sample(np.random.default_rng(0), 3, "young").shape
    (1, (128, 128), (128, 128), (3, 2))
    """

    factor: int
    shape: tuple[int, int]
    disk: np.ndarray
    arms: np.ndarray
    clumps: np.ndarray
    ebv: np.ndarray
    edge_line: tuple[float, float, float] | None  # pixels with a*x + b*y > c are off the footprint
    #: the galaxy's centre in full-resolution 0-based pixels (x, y); it may lie off the field
    centre_px: tuple[float, float] | None = None

    # -- densities for object placement -------------------------------------------------
    def density(self, kind: str) -> np.ndarray:
        if kind == "old":
            d = self.disk * (0.7 + 0.3 * self.arms)
        elif kind == "young":
            d = self.disk * (0.08 + self.arms + 1.5 * self.clumps)
        elif kind == "clumpy":
            d = self.disk * (0.02 + 0.4 * self.arms + 3.0 * self.clumps)
        elif kind == "mixed":
            d = self.disk * (0.4 + 0.6 * self.arms + 0.6 * self.clumps)
        else:
            d = np.ones_like(self.disk)
        return d

    def sample(self, rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
        """``n`` positions (x, y) in full-resolution pixels drawn from a density map."""
        if n <= 0:
            return np.zeros((0, 2))
        d = self.density(kind).astype(float).ravel()
        d = d / d.sum()
        cells = rng.choice(d.size, size=n, p=d)
        cy, cx = np.divmod(cells, self.disk.shape[1])
        x = (cx + rng.random(n)) * self.factor - 0.5
        y = (cy + rng.random(n)) * self.factor - 0.5
        ny, nx = self.shape
        return np.column_stack([np.clip(x, 2.0, nx - 3.0), np.clip(y, 2.0, ny - 3.0)])

    def ebv_at(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Dust-screen E(B-V) at full-resolution positions (nearest coarse cell)."""
        iy = np.clip((np.asarray(y) / self.factor).astype(int), 0, self.ebv.shape[0] - 1)
        ix = np.clip((np.asarray(x) / self.factor).astype(int), 0, self.ebv.shape[1] - 1)
        return self.ebv[iy, ix]

    def upsample(self, coarse: np.ndarray) -> np.ndarray:
        """Bilinear interpolation of a coarse map to the full field (float32)."""
        ny, nx = self.shape
        if self.factor == 1:
            return coarse[:ny, :nx].astype(np.float32)
        out = ndimage.zoom(coarse.astype(np.float32), self.factor, order=1, mode="nearest", grid_mode=True)
        return out[:ny, :nx]

    def blank_mask(self) -> np.ndarray | None:
        """Full-resolution bool mask of the blanked (off-footprint) corner, or None."""
        if self.edge_line is None:
            return None
        a, b, c = self.edge_line
        ny, nx = self.shape
        y = np.arange(ny, dtype=np.float32)[:, None]
        x = np.arange(nx, dtype=np.float32)[None, :]
        return (a * x + b * y) > c


def build_galaxy(config: SimConfig, rng: np.random.Generator) -> GalaxyMaps:
    """Draw the galaxy of a field (geometry, arms, clumps, dust) on a coarse grid.

    Examples
    --------
    >>> from starclass.simulate.field import stage_rng
    >>> gal = build_galaxy(SimConfig(seed=1, shape=(128, 128)), stage_rng(1, "galaxy"))
    >>> type(gal).__name__, gal.shape, bool(gal.disk.min() > 0)
    ('GalaxyMaps', (128, 128), True)
    """
    ny, nx = config.shape
    factor = max(1, math.ceil(max(ny, nx) / MAX_COARSE))
    # at least ~4 coarse cells per 100 pc would be nice; the cap above wins for huge fields
    cny, cnx = math.ceil(ny / factor), math.ceil(nx / factor)
    pc = config.pc_per_px * factor  # pc per coarse cell
    yy, xx = np.mgrid[0:cny, 0:cnx].astype(np.float64)

    # geometry: galaxy centre near the field, inclination, position angle
    cx0 = cnx / 2 + rng.uniform(-0.35, 0.35) * cnx
    cy0 = cny / 2 + rng.uniform(-0.35, 0.35) * cny
    if config.galaxy_offset_kpc is not None:
        # the field sits this far (projected) from the centre, in the direction the draw above
        # gave: no extra random numbers (the same draws follow; objects then follow the moved disc)
        phi = math.atan2(cy0 - cny / 2, cx0 - cnx / 2)
        off = config.galaxy_offset_kpc * 1000.0 / pc  # coarse cells
        cx0, cy0 = cnx / 2 + off * math.cos(phi), cny / 2 + off * math.sin(phi)
    pa = rng.uniform(0, np.pi)
    cos_i = rng.uniform(0.55, 0.95)
    dx, dy = xx - cx0, yy - cy0
    u = dx * np.cos(pa) + dy * np.sin(pa)
    v = (-dx * np.sin(pa) + dy * np.cos(pa)) / cos_i
    r_kpc = np.hypot(u, v) * pc / 1000.0
    theta = np.arctan2(v, u)

    disk = np.exp(-r_kpc / DISK_SCALE_KPC)

    # spiral arms: m = 2 logarithmic spiral, narrow (cos^k), fading in the centre
    pitch = np.deg2rad(rng.uniform(15, 25))
    phase0 = rng.uniform(0, 2 * np.pi)
    r_safe = np.maximum(r_kpc, 0.05)
    # arm width: ~0.4 kpc, but never narrower than a few coarse cells
    spacing = np.pi * r_safe * np.tan(pitch)  # kpc between the two arms, roughly
    sharp = np.clip(2.0 * (spacing / 0.45) ** 2 / 8.0, 2.0, 40.0)
    arg = 2 * (theta - np.log(r_safe) / np.tan(pitch)) + phase0
    arms = ((1 + np.cos(arg)) / 2) ** sharp
    arms *= 1 - np.exp(-(r_kpc / 1.0) ** 2)
    # dust lanes: the inner (trailing) edge of each arm
    lanes = ((1 + np.cos(arg - 0.5)) / 2) ** (2 * sharp)
    lanes *= 1 - np.exp(-(r_kpc / 1.0) ** 2)

    # clumps: star-forming complexes strung along the arms (~10 per kpc^2 of arm)
    area_kpc2 = (cny * cnx) * (pc / 1000.0) ** 2
    n_clumps = int(np.clip(6 * area_kpc2, 8, 4000))
    w = (arms * disk).ravel()
    w = w / w.sum()
    idx = rng.choice(w.size, size=n_clumps, p=w)
    clump_img = np.zeros((cny, cnx))
    cy_c, cx_c = np.divmod(idx, cnx)
    sig_cells = rng.uniform(40.0, 160.0, n_clumps) / pc
    amp = rng.pareto(1.5, n_clumps) + 0.5
    for sy, sx, s, a in zip(cy_c, cx_c, sig_cells, amp):
        s = max(s, 0.7)
        h = int(np.ceil(3.5 * s))
        y0, y1 = max(0, sy - h), min(cny, sy + h + 1)
        x0, x1 = max(0, sx - h), min(cnx, sx + h + 1)
        gy = np.arange(y0, y1)[:, None] - sy
        gx = np.arange(x0, x1)[None, :] - sx
        clump_img[y0:y1, x0:x1] += a * np.exp(-0.5 * (gx * gx + gy * gy) / (s * s))
    clump_img /= max(np.percentile(clump_img, 99.5), 1e-9)
    clumps = np.clip(clump_img, 0, 3.0)

    # dust: lanes plus a patchy log-normal screen
    noise = ndimage.gaussian_filter(rng.standard_normal((cny, cnx)), sigma=max(1.0, 150.0 / pc))
    noise /= noise.std() + 1e-12
    patchy = np.exp(0.8 * noise) * 0.06
    rel_disk = disk / disk.max()
    ebv = config.ebv_scale * (0.45 * lanes * rel_disk + patchy * (0.3 + arms)) * (0.5 + 0.5 * rel_disk)
    ebv = np.clip(ebv, 0.0, 1.5)

    edge_line = None
    if config.footprint_edge:
        # blank a corner: a straight mosaic edge cutting ~6% of the field
        corner = rng.integers(4)
        ang = rng.uniform(0.3, 1.2)
        a, b = np.cos(ang), np.sin(ang)
        # line a*x' + b*y' = c in a frame whose origin is the chosen corner
        c = np.sqrt(0.12 * nx * ny * a * b)
        sx = -1.0 if corner in (1, 2) else 1.0
        sy = -1.0 if corner in (2, 3) else 1.0
        ox = 0.0 if sx > 0 else nx - 1.0
        oy = 0.0 if sy > 0 else ny - 1.0
        # blank where a*sx*(x-ox) + b*sy*(y-oy) < c, i.e. (-a sx) x + (-b sy) y > -c - a sx ox - b sy oy
        edge_line = (-a * sx, -b * sy, -c - a * sx * ox - b * sy * oy)

    # coarse cell c holds full pixels c*factor - 0.5 ... (c + 1)*factor - 0.5 (GalaxyMaps.sample)
    centre = (float(cx0 * factor - 0.5), float(cy0 * factor - 0.5))
    return GalaxyMaps(factor=factor, shape=(ny, nx), disk=disk / disk.max(), arms=arms, clumps=clumps,
                      ebv=ebv, edge_line=edge_line, centre_px=centre)


def _galaxy_colours(bands) -> tuple[dict[str, float], dict[str, float]]:
    """Flux per band relative to V of the disk (~3 Gyr) and arm (~30 Myr) populations (Vega)."""
    vb = v_band(list(bands))
    disk, arm = {}, {}
    for b in bands:
        disk[b] = 10 ** (-0.4 * (ssp_abs_mag(b, 3e9, 1e6) - ssp_abs_mag(vb, 3e9, 1e6)))
        arm[b] = 10 ** (-0.4 * (ssp_abs_mag(b, 3e7, 1e6) - ssp_abs_mag(vb, 3e7, 1e6)))
    return disk, arm


def galaxy_light_coarse(maps: GalaxyMaps, band: str, bands: Sequence[str], level_v: float) -> np.ndarray:
    """Diffuse light of one band on the coarse grid (e-/s per full pixel, before zeropoints).

    ``level_v`` is the V-band flux (e-/s/px) at the median of the unreddened V light over the
    field; other bands follow the population colours and the zeropoint differences are the
    caller's business (this returns flux relative to the V zeropoint's flux scale).

    Examples
    --------
    The V-band light is ``level_v`` at the median of the unreddened V light, so with no dust the
    median of the map is ``level_v``:

    >>> from starclass.simulate.field import stage_rng
    >>> gal = build_galaxy(SimConfig(seed=1, shape=(128, 128)), stage_rng(1, "galaxy"))
    >>> gal.ebv[:] = 0.0
    >>> light = galaxy_light_coarse(gal, "f555w", ("f435w", "f555w", "f814w"), 2.0)
    >>> light.shape, round(float(np.median(light)), 3)
    ((128, 128), 2.0)
    """
    disk_c, arm_c = _galaxy_colours(bands)
    young = maps.arms + 0.8 * maps.clumps
    v_light = maps.disk * (0.55 + 0.9 * young)
    norm = level_v / max(float(np.median(v_light)), 1e-12)
    light = norm * maps.disk * (0.55 * disk_c[band] + 0.9 * young * arm_c[band])
    trans = 10 ** (-0.4 * 0.5 * BANDS[band].a_over_ebv * maps.ebv)
    return light * trans
