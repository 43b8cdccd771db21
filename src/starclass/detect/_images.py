"""Access to the images that detection and photometry need, whatever holds them.

:func:`starclass.detect.measure` and :func:`starclass.detect.detect` take any
:class:`starclass.io.Mosaics`: a :class:`starclass.io.MosaicSet` read from FITS files or an
in-memory :class:`starclass.io.ArrayMosaics`. The helpers here read the optional parts of that
interface (``paths``, ``exptime``, ``headers``) with a fallback each.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np

from starclass.bands import require_bands
from starclass.io.mosaic import (
    EXPOSURE_KEYS,
    GAIN_KEY,
    NMGY_KEY,
    ArrayMosaics,
    Mosaics,
    calibrated_counts,
    in_counts,
    open_fits,
)
from starclass.io.mosaic import exposure_time as _exposure
from starclass.schema import check_distinct_bands

__all__ = ["ArrayMosaics", "band_label", "check_bands", "exptime_of", "bad_pixels"]


def band_label(mosaics: Mosaics, band: str) -> str:
    """A name for error messages: the file of ``band`` when known, else the band."""
    paths = getattr(mosaics, "paths", None) or {}
    p = paths.get(band) if isinstance(paths, Mapping) else None
    return f"{p} (band {band})" if p else f"band {band}"


def check_bands(mosaics: Mosaics, bands: list[str] | None) -> list[str]:
    """Bands to measure: ``bands`` (checked by :func:`starclass.bands.require_bands`) or all.

    A band given twice is refused (:func:`starclass.schema.check_distinct_bands`, as ``--bands``):
    ``detect(mosaics, bands=["f555w", "f555w"])`` measured it twice.
    """
    if bands is not None:
        check_distinct_bands(bands)
    return require_bands(bands, mosaics.bands)


def exptime_of(mosaics: Mosaics, band: str) -> float:
    """Counts per unit of ``band``'s pixel values: its exposure time (s) for a rate image; else 1, or the conversion.

    Only the Poisson part of the magnitude errors depends on it (``var = F / exptime``): images
    in counts/s take their exposure time, from ``mosaics.exptime``, else the FITS header, else 1.
    An image in counts (``BUNIT`` ``ELECTRONS``, ``COUNTS``, ``ct`` or ``e-``, not per second) gives 1: its pixel
    values are already the counts (dividing them by EXPTIME made the Poisson term EXPTIME times
    too small). An image in a calibrated flux unit gives the electrons per unit
    (:func:`starclass.io.mosaic.calibrated_counts`: ``GAIN / NMGY`` for nanomaggies; ``GAIN`` for
    an image on a keyword zeropoint's scale without ``BUNIT``, a DES coadd), or ``math.inf`` where
    its header cannot tell, with a warning: the errors are then the sky's only (an SDSS frame's
    EXPTIME was taken as that of count rates, its errors 3 times too large; a DES coadd's too,
    a bright star's errors 2.3 times too small).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from astropy.io import fits
    >>> des_coadd = SimpleNamespace(headers={"r": fits.Header({"MAGZERO": 30.0, "EXPTIME": 540.0, "GAIN": 23.4})})
    >>> rate = ArrayMosaics({"r": np.ones((4, 4))}, {"r": 25.0}, exptime={"r": 400})
    >>> exptime_of(des_coadd, "r"), exptime_of(rate, "r")
    (23.4, 400.0)
    """
    et = getattr(mosaics, "exptime", None)
    if isinstance(et, Mapping) and band in et and et[band]:
        return float(et[band])
    if isinstance(et, (int, float)) and et > 0:
        return float(et)
    headers = getattr(mosaics, "headers", None) or {}
    hdr = headers.get(band) if isinstance(headers, Mapping) else None
    paths = getattr(mosaics, "paths", None) or {}
    path = paths.get(band) if isinstance(paths, Mapping) else None
    if hdr is not None and calibrated_counts(hdr) is not None:
        return _calibrated(band, hdr, path)
    if hdr is not None and in_counts(hdr):
        return 1.0
    if hdr is not None and _exposure(hdr):
        return _exposure(hdr)
    if path:
        try:
            with open_fits(path, memmap=True) as hdul:
                for hdu in hdul:
                    if calibrated_counts(hdu.header) is not None:
                        return _calibrated(band, hdu.header, path)
                    if in_counts(hdu.header):
                        return 1.0
                    t = _exposure(hdu.header)
                    if t:
                        return t
        except OSError as exc:
            # the errors are still computed, but their Poisson term is then for 1 s: say so
            warnings.warn(f"band {band}: cannot read EXPTIME from {path} ({exc}); magnitude errors assume 1 s",
                          stacklevel=2)
            return 1.0
    if path or hdr is not None:
        # a rate image (e-/s) whose header has no exposure time: the Poisson term of the errors was for 1 s
        # without a word, so a 400 s mosaic's magnitude errors came out up to 15 times too large
        warnings.warn(f"band {band}: no exposure time ({'/'.join(EXPOSURE_KEYS)}) in the header of "
                      f"{path or 'its image'}: magnitude errors assume 1 s, too large for a longer exposure; write "
                      "EXPTIME into (a copy of) the file", stacklevel=2)
    return 1.0


def _positive(value) -> bool:
    """True for a positive finite number (a header value that may be missing, text or NaN)."""
    try:
        return math.isfinite(float(value)) and float(value) > 0
    except (TypeError, ValueError):
        return False


def _calibrated(band: str, header, path) -> float:
    """Electrons per unit of a calibrated image's values, or ``math.inf`` (no Poisson term) with a warning."""
    per_unit, unit = calibrated_counts(header)
    if per_unit is not None:
        return per_unit
    if "MAGG" in unit.upper() or "MGY" in unit.upper():
        words = {NMGY_KEY: "nanomaggies per DN", GAIN_KEY: "e-/DN"}
        missing = [k for k in words if not _positive(header.get(k))]
        lacks = (f"no positive {' or '.join(f'{k} ({words[k]})' for k in missing)} in its header; an SDSS frame has "
                 f"{NMGY_KEY}, its gain is in SDSS's table per camera column and filter")
        fix = f"write {' and '.join(missing)} into (a copy of) the file"
    elif unit.startswith("units of"):
        lacks = (f"no positive {GAIN_KEY} (e- per unit of the values) in its header; SWarp writes it into the coadds "
                 "it makes (DES coadds)")
        fix = f"write {GAIN_KEY} into (a copy of) the file"
    elif unit.startswith("Pan-STARRS1"):
        lacks = "a stack's values were rescaled in stacking and do not give back counts (STScI PS1 FAQ)"
        fix = "take the errors of bright sources as lower limits"
    else:
        lacks = "its header gives no conversion to counts"
        fix = "convert the image to counts or counts/s (with EXPTIME) first"
    # EXPTIME was read as if the values were count rates: an SDSS frame's errors came out 3 times too large
    warnings.warn(f"band {band}: the pixel values of {path or 'its image'} are in {unit}, not counts ({lacks}): the "
                  "magnitude errors hold the sky noise only, without the source's Poisson noise, so they are too "
                  f"small for bright sources; {fix}", stacklevel=3)
    return math.inf


def bad_pixels(mosaics: Mosaics, band: str) -> np.ndarray:
    """Boolean mask of unusable pixels of ``band`` (True = bad), NaN always included."""
    data = mosaics.data[band]
    mask = mosaics.mask(band) if hasattr(mosaics, "mask") else None
    if mask is None:
        return ~np.isfinite(data)
    return np.asarray(mask, dtype=bool)
