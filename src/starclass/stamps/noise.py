"""Per-pixel sky noise of mosaics, in magnitudes: the data-driven ``softening_mag``.

The ``flux`` normalisation turns from linear to logarithmic at one pixel of magnitude
``softening_mag``. The stretch works best when that is about the images' own per-pixel sky
noise: much fainter, and the noise itself is stretched logarithmically; much brighter, and
faint sources stay in the linear part, at small values next to the bright ones.
:func:`sky_noise_mag` measures that noise per band (sigma-clipped
standard deviation of a regular subsample of the pixels, converted with the band's zeropoint);
:func:`resolve_softening` puts the median over bands into a task config (``softening_mag:
auto``) once, at training time, so the checkpoint carries a number and classification uses the
same scale on any mosaics.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from astropy.stats import sigma_clipped_stats

from starclass.errors import StarclassError
from starclass.io import MosaicsLike
from starclass.stamps.extract import resolve_images

__all__ = ["sky_noise_mag", "measured_softening", "resolve_softening", "SOFTENING_MISMATCH_MAG"]

log = logging.getLogger(__name__)

#: A fixed softening_mag further than this from the measured noise magnitude is reported.
SOFTENING_MISMATCH_MAG = 1.5


def sky_noise_mag(
    mosaics: MosaicsLike,
    bands: list[str] | None = None,
    zeropoints: Any = None,
    max_pixels: int = 1_000_000,
) -> dict[str, float]:
    """Magnitude of one pixel's 1-sigma sky noise, per band.

    Parameters
    ----------
    mosaics
        MosaicSet or mapping band -> 2-D array (as :func:`starclass.stamps.make_inputs`).
    bands
        Bands to measure (default: all).
    zeropoints
        Mapping band -> AB zeropoint of one pixel value (default: the MosaicSet's).
    max_pixels
        Pixels sampled per band, on a regular grid (memory-mapped mosaics are read sparsely).

    Returns
    -------
    dict
        band -> ``zeropoint - 2.5 log10(sigma)``, with sigma the 3-sigma-clipped standard
        deviation of the sampled finite pixels (sources and galaxy light are mostly clipped).

    Raises
    ------
    StarclassError
        A band without a zeropoint, or without enough finite pixels, or of zero noise.

    Examples
    --------
    25 - 2.5 log10(0.01) = 30 and 25 - 2.5 log10(0.02) = 29.25, within the sampling noise:

    >>> rng = np.random.default_rng(0)
    >>> mosaics = {"g": rng.normal(0, 0.01, (200, 200)), "i": rng.normal(0, 0.02, (200, 200))}
    >>> {b: round(m, 2) for b, m in sky_noise_mag(mosaics, zeropoints={"g": 25.0, "i": 25.0}).items()}
    {'g': 30.02, 'i': 29.27}
    """
    names, arrays = resolve_images(mosaics, bands)
    zps = zeropoints if zeropoints is not None else getattr(mosaics, "zeropoint", None)
    out: dict[str, float] = {}
    for name, arr in zip(names, arrays):
        zp = None if zps is None else zps.get(name) if hasattr(zps, "get") else None
        if zp is None or not np.isfinite(float(zp)):
            raise StarclassError(f"zeropoints: band {name!r} has no zeropoint; the sky-noise magnitude needs one")
        ny, nx = arr.shape
        step = max(1, int(np.ceil(np.sqrt(ny * nx / max(1, max_pixels)))))
        sample = np.asarray(arr[::step, ::step], dtype=np.float64).ravel()
        sample = sample[np.isfinite(sample)]
        if sample.size < 100:
            raise StarclassError(f"band {name!r}: only {sample.size} finite pixels; cannot measure the sky noise")
        _, _, sigma = sigma_clipped_stats(sample, sigma=3.0, maxiters=10)
        if not np.isfinite(sigma) or sigma <= 0:
            raise StarclassError(f"band {name!r}: the sky noise is {sigma} (a constant or empty image?)")
        out[name] = float(zp) - 2.5 * float(np.log10(sigma))
    return out


def measured_softening(mosaics: MosaicsLike, bands: list[str] | None = None,
                       zeropoints: Any = None) -> tuple[float, dict[str, float]]:
    """The ``auto`` softening_mag: the median over bands of :func:`sky_noise_mag`, to 0.01 mag.

    Returns the value and the per-band noise magnitudes it came from.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> mosaics = {"g": rng.normal(0, 0.01, (200, 200)), "i": rng.normal(0, 0.02, (200, 200))}
    >>> value, per_band = measured_softening(mosaics, zeropoints={"g": 25.0, "i": 25.0})
    >>> value, sorted(per_band)
    (29.64, ['g', 'i'])
    """
    if zeropoints is None:
        zeropoints = getattr(mosaics, "zeropoint", None)
    noise = sky_noise_mag(mosaics, bands, zeropoints)
    return round(float(np.median(list(noise.values()))), 2), noise


def resolve_softening(config: Any, mosaics: MosaicsLike, zeropoints: Any = None) -> tuple[Any, str | None]:
    """Fix a config's ``softening_mag`` against the mosaics it is trained on.

    Parameters
    ----------
    config
        TaskConfig. Only the ``flux`` normalisation uses ``softening_mag``; other configs come
        back unchanged.
    mosaics, zeropoints
        As :func:`sky_noise_mag`, restricted to the config's bands.

    Returns
    -------
    config, message
        ``softening_mag: auto`` becomes the median over bands of the measured noise magnitude
        (rounded to 0.01 mag; a new config). A fixed value is kept, and the message says so when
        it lies more than :data:`SOFTENING_MISMATCH_MAG` from the measured noise. ``message``
        is None when there is nothing to say.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> mosaics = {"g": rng.normal(0, 0.01, (200, 200)), "i": rng.normal(0, 0.02, (200, 200))}
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-binary-compact", softening_mag="auto")
    >>> fixed, message = resolve_softening(cfg, mosaics, {"g": 25.0, "i": 25.0})
    >>> fixed.softening_mag, message
    (29.64, 'softening_mag: auto -> 29.64 (per-pixel sky noise: g 30.02, i 29.27 mag)')
    """
    if getattr(config, "normalisation", None) != "flux":
        return config, None
    measured, noise = measured_softening(mosaics, list(config.bands), zeropoints)
    per_band = ", ".join(f"{b} {m:.2f}" for b, m in noise.items())
    if config.softening_mag == "auto":
        msg = f"softening_mag: auto -> {measured:.2f} (per-pixel sky noise: {per_band} mag)"
        log.info(msg)
        return config.copy(softening_mag=measured), msg
    fixed = float(config.softening_mag)
    if abs(fixed - measured) > SOFTENING_MISMATCH_MAG:
        msg = (f"softening_mag is {fixed:.2f} but the mosaics' per-pixel sky noise is {measured:.2f} mag "
               f"({per_band}); 'softening_mag: auto' (or --softening-mag auto) fits the stretch to them")
        log.warning(msg)
        return config, msg
    return config, None
