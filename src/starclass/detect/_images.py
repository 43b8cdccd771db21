"""Access to the images that detection and photometry need, whatever holds them.

:func:`starclass.detect.measure` and :func:`starclass.detect.detect` take a
:class:`starclass.io.mosaic.MosaicSet`. Anything with the same attributes works (``bands``,
``data``, ``zeropoint``, ``magsys``, ``shape``, ``mask(band)``, ``v_band``, optionally ``wcs``,
``paths`` and ``exptime``), and so does :class:`ArrayMosaics`, a small in-memory stand-in for
images that were never written to disk (the simulator's calibration, tests, notebooks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from starclass.bands import require_bands
from starclass.bands import v_band as _v_band
from starclass.errors import StarclassError


@dataclass
class ArrayMosaics:
    """In-memory mosaics: one 2-D array per band, sharing a shape.

    Parameters
    ----------
    data
        ``{band: 2-D array}`` in counts per second (e-/s, as drizzled HST products).
    zeropoint
        ``{band: zeropoint}`` with ``mag = -2.5 log10(counts/s) + zeropoint``.
    magsys
        ``"vega"`` or ``"ab"``: the system the zeropoints are in.
    wcs
        Optional :class:`astropy.wcs.WCS` shared by all bands.
    exptime
        ``{band: seconds}`` used for the Poisson term of the errors (1 s when missing).
    pixel_scale
        Arcsec per pixel.
    """

    data: dict[str, np.ndarray]
    zeropoint: dict[str, float]
    magsys: str = "vega"
    wcs: Any = None
    exptime: dict[str, float] = field(default_factory=dict)
    pixel_scale: float = 0.04

    def __post_init__(self) -> None:
        self.data = {b.lower(): np.asarray(a) for b, a in self.data.items()}
        self.zeropoint = {b.lower(): float(z) for b, z in self.zeropoint.items()}
        self.exptime = {b.lower(): float(t) for b, t in self.exptime.items()}
        if not self.data:
            raise StarclassError("ArrayMosaics: no images given")
        shapes = {b: a.shape for b, a in self.data.items()}
        first = next(iter(shapes.values()))
        for b, s in shapes.items():
            if len(s) != 2:
                raise StarclassError(f"ArrayMosaics: image of band {b!r} is not 2-D (shape {s})")
            if s != first:
                raise StarclassError(
                    f"ArrayMosaics: band {b!r} has shape {s}, others {first}; all bands must match"
                )
        missing = [b for b in self.data if b not in self.zeropoint]
        if missing:
            raise StarclassError(f"ArrayMosaics: no zeropoint for band(s) {', '.join(missing)}")

    @property
    def bands(self) -> list[str]:
        return list(self.data)

    @property
    def shape(self) -> tuple[int, int]:
        return next(iter(self.data.values())).shape

    @property
    def paths(self) -> dict[str, Path]:
        return {}

    @property
    def v_band(self) -> str:
        return _v_band(self.bands)

    def mask(self, band: str) -> np.ndarray:
        """True where the pixel is unusable (NaN or infinite)."""
        return ~np.isfinite(self.data[band])


def band_label(mosaics: Any, band: str) -> str:
    """A name for error messages: the file of ``band`` when known, else the band."""
    paths = getattr(mosaics, "paths", None) or {}
    p = paths.get(band) if isinstance(paths, Mapping) else None
    return f"{p} (band {band})" if p else f"band {band}"


def check_bands(mosaics: Any, bands: list[str] | None) -> list[str]:
    """Bands to measure: ``bands`` (checked by :func:`starclass.bands.require_bands`) or all."""
    return require_bands(bands, mosaics.bands)


def exptime_of(mosaics: Any, band: str) -> float:
    """Exposure time (s) of ``band``: from ``mosaics.exptime``, else the FITS header, else 1.

    Only the Poisson part of the magnitude errors depends on it (images are in counts/s).
    """
    et = getattr(mosaics, "exptime", None)
    if isinstance(et, Mapping) and band in et and et[band]:
        return float(et[band])
    if isinstance(et, (int, float)) and et > 0:
        return float(et)
    headers = getattr(mosaics, "headers", None) or {}
    hdr = headers.get(band) if isinstance(headers, Mapping) else None
    if hdr is not None and hdr.get("EXPTIME"):
        return float(hdr["EXPTIME"])
    paths = getattr(mosaics, "paths", None) or {}
    path = paths.get(band) if isinstance(paths, Mapping) else None
    if path:
        try:
            from astropy.io import fits

            with fits.open(path, memmap=True) as hdul:
                for hdu in hdul:
                    t = hdu.header.get("EXPTIME")
                    if t:
                        return float(t)
        except OSError:
            pass
    return 1.0


def bad_pixels(mosaics: Any, band: str) -> np.ndarray:
    """Boolean mask of unusable pixels of ``band`` (True = bad), NaN always included."""
    data = mosaics.data[band]
    mask = mosaics.mask(band) if hasattr(mosaics, "mask") else None
    if mask is None:
        return ~np.isfinite(data)
    return np.asarray(mask, dtype=bool)
