"""Rendering one band: diffuse galaxy light, PSF-convolved objects, saturation, noise.

Images are in electrons per second, sky-subtracted, like drizzled HST products. Objects are
sums of Gaussians, so the PSF (also a sum of Gaussians, :func:`profiles.psf_mixture`) convolves
them exactly: each object Gaussian times each PSF Gaussian is one Gaussian with the summed
covariance. Terms are evaluated on small stamps whose size follows their width and
brightness (down to 1% of the pixel noise), batched by stamp size and added with
:func:`add_at_pixels` (``numpy.add.at`` on flat indices); nothing full-frame is made per object,
so an 8192 x 8192 band costs a few full-size arrays.

Noise: Poisson on (sky + galaxy + objects) x exposure time, Gaussian read noise, then the sky
is subtracted. The background needed for the configured depth (S/N = 10 for a point source
of magnitude ``depth[band]`` in an r = 3 px aperture) is solved for, split into the galaxy's
diffuse light (its median under the candidates, V band) and sky (``sky_fraction``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from starclass.simulate.config import SimConfig
from starclass.simulate.galaxy import GalaxyMaps, galaxy_light_coarse
from starclass.simulate.objects import KIND_NORMAL, KIND_PIXEL, KIND_SATURATED, Components
from starclass.simulate.profiles import psf_mixture

_BUCKETS = np.array([2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 27, 33, 40, 48, 64])
_APERTURE_R = 3.0
_MAX_ELEMENTS = 2_000_000


@dataclass
class BandNoise:
    """Noise model of one band (all rates in e-/s per pixel).

    Examples
    --------
    One pixel's noise is sqrt(background * t + read_noise^2) / t:

    >>> b = BandNoise(exptime=100.0, read_noise=4.0, background=0.5, sky=0.3, galaxy_level=0.2)
    >>> round(b.pixel_sigma, 5), round(float(np.sqrt(0.5 * 100 + 4.0 ** 2) / 100), 5)
    (0.08124, 0.08124)
    """

    exptime: float
    read_noise: float
    background: float  # sky + galaxy at the depth calibration
    sky: float
    galaxy_level: float  # galaxy's median level (this band)

    @property
    def pixel_sigma(self) -> float:
        """Noise (e-/s) of one pixel at the typical background.

        Examples
        --------
        >>> b = BandNoise(exptime=100.0, read_noise=4.0, background=0.5, sky=0.3, galaxy_level=0.2)
        >>> round(b.pixel_sigma, 5)  # sqrt(0.5 * 100 + 4^2) / 100
        0.08124
        """
        t = self.exptime
        return float(np.sqrt(self.background * t + self.read_noise ** 2) / t)


def required_background(config: SimConfig, band: str) -> float:
    """Background (e-/s/px) at which a point source of ``depth[band]`` has S/N = 10 (r = 3 px).

    Examples
    --------
    The deeper the field, the darker the background must be:

    >>> cfg = SimConfig(shape=(128, 128))
    >>> round(required_background(cfg, "f555w"), 3), cfg.band_depth("f555w")
    (0.809, 24.5)
    >>> deeper = SimConfig(shape=(128, 128), depth={b: 25.0 for b in cfg.bands})
    >>> required_background(deeper, "f555w") < required_background(cfg, "f555w")
    True
    """
    w, var = psf_mixture(config.band_fwhm(band), config.psf_beta)
    ee = float(np.sum(w * (1 - np.exp(-0.5 * _APERTURE_R ** 2 / var))))
    t = config.band_exptime(band)
    s = ee * 10 ** (-0.4 * (config.band_depth(band) - config.zeropoint(band))) * t
    npix = np.pi * _APERTURE_R ** 2
    b = ((s * s / 100.0 - s) / npix - config.read_noise ** 2) / t
    return float(max(b, 1e-4))


def exptime_at_background(config: SimConfig, band: str, reference: SimConfig | None = None) -> float:
    """Effective exposure (s) at which ``band`` reaches the config's depth on the reference background.

    :func:`required_background` reaches a deeper ``depth`` at a fixed exposure with a fainter
    background, floored at 1e-4 e-/s/px: a depth 1-2 mag deeper than the defaults leaves a field
    with read noise only and no diffuse galaxy light, so the errors cannot follow bright arms and
    clumps. This solves S/N = 10 (r = 3 px) for the exposure instead, with the background that
    ``reference`` (default: the default depths and exposures, ``SimConfig()``) needs in that band.

    Examples
    --------
    >>> from starclass.simulate.config import SimConfig
    >>> deep = SimConfig(depth={"f555w": 26.0})
    >>> t = exptime_at_background(deep, "f555w")
    >>> t > 400.0  # longer than the default 400 s
    True
    >>> b = required_background(deep.replace(exptime={"f555w": t}), "f555w")
    >>> round(b / required_background(SimConfig(), "f555w"), 3)
    1.0
    """
    ref = SimConfig() if reference is None else reference
    background = required_background(ref, band)
    w, var = psf_mixture(config.band_fwhm(band), config.psf_beta)
    ee = float(np.sum(w * (1 - np.exp(-0.5 * _APERTURE_R ** 2 / var))))
    rate = ee * 10 ** (-0.4 * (config.band_depth(band) - config.zeropoint(band)))  # e-/s in the aperture
    npix = np.pi * _APERTURE_R ** 2
    # (rate t)^2 / 100 = rate t + npix (background t + read_noise^2), a quadratic in t
    a = rate * rate / 100.0
    b = rate + npix * background
    c = npix * config.read_noise ** 2
    return float((b + np.sqrt(b * b + 4 * a * c)) / (2 * a))


def noise_models(config: SimConfig, gal: GalaxyMaps, positions: np.ndarray | None = None
                 ) -> tuple[dict[str, BandNoise], dict[str, np.ndarray]]:
    """Per band noise model and coarse galaxy light (e-/s/px).

    The depth holds for the typical background *under the candidates* (median of the galaxy
    light at ``positions``; the field median without them): candidates crowd into the bright
    arms and clumps, and their photometric errors should match the real catalogue's.

    Examples
    --------
    >>> from starclass.simulate.field import stage_rng
    >>> from starclass.simulate.galaxy import build_galaxy
    >>> cfg = SimConfig(seed=1, shape=(128, 128))
    >>> noise, light = noise_models(cfg, build_galaxy(cfg, stage_rng(1, "galaxy")))
    >>> sorted(noise) == sorted(cfg.bands), round(noise["f555w"].background, 3), light["f555w"].shape
    (True, 0.809, (128, 128))
    """
    vb = config.v_band
    b_v = required_background(config, vb)
    level_v = (1 - config.sky_fraction) * b_v * config.diffuse_light

    def typical(coarse):
        if positions is None or len(positions) == 0:
            return float(np.median(coarse))
        iy = np.clip((positions[:, 1] / gal.factor).astype(int), 0, coarse.shape[0] - 1)
        ix = np.clip((positions[:, 0] / gal.factor).astype(int), 0, coarse.shape[1] - 1)
        return float(np.median(coarse[iy, ix]))

    v_coarse = galaxy_light_coarse(gal, vb, config.bands, 1.0)
    norm = level_v / max(typical(v_coarse), 1e-12) if level_v > 0 else 0.0
    out, light = {}, {}
    for band in config.bands:
        coarse = galaxy_light_coarse(gal, band, config.bands, 1.0) * norm
        coarse = coarse * 10 ** (0.4 * (config.zeropoint(band) - config.zeropoint(vb)))
        bneed = required_background(config, band)
        med = typical(coarse)
        sky = max(bneed - med, config.sky_fraction * bneed)
        out[band] = BandNoise(config.band_exptime(band), config.read_noise, sky + med, sky, med)
        light[band] = coarse.astype(np.float32)
    return out, light


def add_at_pixels(image: np.ndarray, iy: np.ndarray, ix: np.ndarray, values: np.ndarray) -> None:
    """Add ``values`` to ``image[iy, ix]`` in place, repeated pixels summed (``np.add.at``, faster).

    The same additions in the same order as ``np.add.at(image, (iy, ix), values)``, so the
    image is bit for bit the same: numpy's ``ufunc.at`` has a fast loop for one flat integer
    index into a contiguous array of the values' dtype, and is several times slower with a
    tuple of two index arrays (the demo's simulation spent about a third of its time there).
    Indices must lie inside the image: on flat indices a negative or too large column would land
    on a neighbouring row, where ``np.add.at`` wraps around or refuses.

    Parameters
    ----------
    image : numpy.ndarray
        2-D array, changed in place.
    iy, ix : numpy.ndarray
        Row and column of each value (integers, same shape as ``values``).
    values : numpy.ndarray
        What to add; cast to the image's dtype first.

    Examples
    --------
    >>> img = np.zeros((2, 3), dtype=np.float32)
    >>> add_at_pixels(img, np.array([0, 0, 1]), np.array([2, 2, 0]), np.array([1.0, 2.0, 5.0]))
    >>> img.tolist()
    [[0.0, 0.0, 3.0], [5.0, 0.0, 0.0]]
    """
    values = np.asarray(values, dtype=image.dtype)
    if not image.flags.c_contiguous:
        # a flat view needs a contiguous array; a strided one keeps the 2-D index (same sums)
        np.add.at(image, (iy, ix), values)
        return
    flat = np.asarray(iy, dtype=np.int64) * image.shape[1] + np.asarray(ix, dtype=np.int64)
    np.add.at(image.reshape(-1), flat.ravel(), values.ravel())


def _add_gaussians(image: np.ndarray, x, y, amp, cxx, cyy, cxy, threshold: float,
                  origin: tuple[int, int] = (0, 0)) -> None:
    """Add Gaussians of total flux ``amp`` and covariance (cxx, cyy, cxy) to ``image`` in place.

    Positions are in the frame of ``image`` shifted by ``origin`` (x0, y0). Terms whose peak is
    below ``threshold`` are skipped; each term's stamp extends to where it drops below it.
    """
    x = np.asarray(x, dtype=float) - origin[0]
    y = np.asarray(y, dtype=float) - origin[1]
    det = cxx * cyy - cxy * cxy
    peak = amp / (2 * np.pi * np.sqrt(det))
    keep = (peak > threshold) & (amp > 0)
    if not keep.any():
        return
    x, y, amp, cxx, cyy, cxy, det, peak = (a[keep] for a in (x, y, amp, cxx, cyy, cxy, det, peak))
    lam = 0.5 * (cxx + cyy) + np.sqrt(0.25 * (cxx - cyy) ** 2 + cxy ** 2)
    h_need = np.sqrt(2 * lam * np.log(np.maximum(peak / threshold, 1.0001))) + 1
    bucket = _BUCKETS[np.minimum(np.searchsorted(_BUCKETS, h_need), len(_BUCKETS) - 1)]
    ny, nx = image.shape
    ixx, iyy, ixy = cyy / det, cxx / det, -cxy / det
    norm = amp / (2 * np.pi * np.sqrt(det))
    cx, cy = np.round(x).astype(np.int64), np.round(y).astype(np.int64)
    fx, fy = x - cx, y - cy
    # drop terms entirely off the image
    on = (cx + bucket >= 0) & (cx - bucket < nx) & (cy + bucket >= 0) & (cy - bucket < ny)
    # sums on a flat view of the image: numpy's fast ufunc.at loop (see add_at_pixels)
    flat = image.reshape(-1) if image.flags.c_contiguous else None
    for h in np.unique(bucket[on]):
        idx = np.flatnonzero(on & (bucket == h))
        d = np.arange(-h, h + 1, dtype=np.float32)
        di = np.arange(-h, h + 1, dtype=np.int64)
        offsets = di[:, None] * nx + di[None, :]  # flat offsets of a stamp's pixels from its centre
        size = (2 * h + 1) ** 2
        step = max(1, _MAX_ELEMENTS // size)
        for s0 in range(0, len(idx), step):
            j = idx[s0:s0 + step]
            dx = d[None, None, :] - fx[j, None, None].astype(np.float32)
            dy = d[None, :, None] - fy[j, None, None].astype(np.float32)
            q = (ixx[j, None, None] * dx * dx + 2 * ixy[j, None, None] * dx * dy
                 + iyy[j, None, None] * dy * dy).astype(np.float32)
            val = norm[j, None, None].astype(np.float32) * np.exp(-0.5 * q)
            iy = cy[j, None] + di[None, :]  # each stamp's rows, (n, 2h + 1)
            ix = cx[j, None] + di[None, :]
            # the pixels on the image, in the batch's order (the order of the float32 sums)
            ok = ((iy >= 0) & (iy < ny))[:, :, None] & ((ix >= 0) & (ix < nx))[:, None, :]
            whole = bool(ok.all())
            if flat is not None:
                # a stamp's flat indices are its centre's plus a fixed offset
                at = (cy[j] * nx + cx[j])[:, None, None] + offsets
                if whole:
                    np.add.at(flat, at.ravel(), val.ravel())
                else:
                    np.add.at(flat, at[ok], val[ok])
            else:
                iy, ix = np.broadcast_to(iy[:, :, None], val.shape), np.broadcast_to(ix[:, None, :], val.shape)
                add_at_pixels(image, iy[ok], ix[ok], val[ok])


def render_band(config: SimConfig, band: str, gal: GalaxyMaps, light_coarse: np.ndarray,
                comps: Components, noise: BandNoise, rng: np.random.Generator | None,
                blank: np.ndarray | None = None) -> np.ndarray:
    """One band of the field (float32, e-/s, sky subtracted); ``rng=None`` gives no noise.

    Examples
    --------
    >>> from starclass.simulate.field import stage_rng
    >>> from starclass.simulate.galaxy import build_galaxy
    >>> from starclass.simulate.objects import make_objects
    >>> cfg = SimConfig(seed=1, shape=(128, 128), n_candidates=20)
    >>> gal = build_galaxy(cfg, stage_rng(1, "galaxy"))
    >>> truth, comps = make_objects(cfg, gal, stage_rng(1, "objects"))
    >>> noise, light = noise_models(cfg, gal)
    >>> img = render_band(cfg, "f555w", gal, light["f555w"], comps, noise["f555w"], None)  # no noise
    >>> img.dtype, img.shape, bool(img.max() > noise["f555w"].sky)
    (dtype('float32'), (128, 128), True)
    """
    j = list(config.bands).index(band)
    image = gal.upsample(light_coarse)
    image += np.float32(noise.sky)
    threshold = 0.01 * noise.pixel_sigma
    w, var = psf_mixture(config.band_fwhm(band), config.psf_beta)

    normal = comps.kind == KIND_NORMAL
    flux = comps.flux[:, j]
    sel = normal & (flux > 0)
    for wk, vk in zip(w, var):
        _add_gaussians(image, comps.x[sel], comps.y[sel], flux[sel] * wk, comps.cxx[sel] + vk,
                      comps.cyy[sel] + vk, comps.cxy[sel], threshold)

    # saturated stars: render each on its own stamp, clip at the full well, bleed along columns
    sat_rate = config.saturation / config.band_saturation_exptime(band)
    for owner in np.unique(comps.owner[comps.kind == KIND_SATURATED]):
        c = np.flatnonzero((comps.kind == KIND_SATURATED) & (comps.owner == owner))
        if not (flux[c] > 0).any():
            continue
        x0 = int(round(comps.x[c[0]]))
        y0 = int(round(comps.y[c[0]]))
        h = 64
        stamp = np.zeros((2 * h + 1, 2 * h + 1), dtype=np.float32)
        for wk, vk in zip(w, var):
            _add_gaussians(stamp, comps.x[c], comps.y[c], flux[c] * wk, comps.cxx[c] + vk, comps.cyy[c] + vk,
                          comps.cxy[c], threshold, origin=(x0 - h, y0 - h))
        ys = slice(max(0, y0 - h), min(image.shape[0], y0 + h + 1))
        xs = slice(max(0, x0 - h), min(image.shape[1], x0 + h + 1))
        sub = stamp[ys.start - (y0 - h): ys.stop - (y0 - h), xs.start - (x0 - h): xs.stop - (x0 - h)]
        base = image[ys, xs]
        total = base + sub
        over = np.clip(total - sat_rate, 0, None)
        excess = float(over.sum())
        total = np.minimum(total, sat_rate)
        if excess > 0:
            col = x0 - xs.start
            cy0 = y0 - ys.start
            k = 1
            while excess > 0 and k < total.shape[0]:
                for yy in (cy0 - k, cy0 + k):
                    if 0 <= yy < total.shape[0] and 0 <= col < total.shape[1]:
                        room = sat_rate - total[yy, col]
                        take = min(room, excess / 2 if excess > sat_rate else excess)
                        total[yy, col] += take
                        excess -= take
                k += 1
        image[ys, xs] = total

    # pixel artefacts: no PSF
    pix = (comps.kind == KIND_PIXEL) & (flux > 0)
    if pix.any():
        iy = np.clip(np.round(comps.y[pix]).astype(int), 0, image.shape[0] - 1)
        ix = np.clip(np.round(comps.x[pix]).astype(int), 0, image.shape[1] - 1)
        add_at_pixels(image, iy, ix, flux[pix].astype(np.float32))

    if rng is not None:
        t = noise.exptime
        rows = max(1, 2_000_000 // image.shape[1])
        for r0 in range(0, image.shape[0], rows):
            block = image[r0:r0 + rows]
            lam = np.clip(block, 0, None).astype(np.float64) * t
            counts = rng.poisson(lam).astype(np.float64)
            counts += rng.normal(0.0, noise.read_noise, size=counts.shape)
            image[r0:r0 + rows] = (counts / t).astype(np.float32)
    image -= np.float32(noise.sky)
    if blank is not None:
        image[blank] = np.nan
    return image
