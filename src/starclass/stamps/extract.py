"""Fast extraction of many square stamps from (memory-mapped) multi-band mosaics.

Conventions
-----------
* Pixel positions are 0-based (``x`` = column, ``y`` = row), as everywhere in starclass.
* Nearest-pixel centring: the candidate's pixel is ``cx = floor(x + 0.5)``,
  ``cy = floor(y + 0.5)`` (round half up, so the result does not depend on numpy's
  round-half-to-even) and it lands at index ``S // 2`` of a stamp of size ``S``.
  A stamp therefore covers image columns ``cx - S//2 .. cx - S//2 + S - 1``; for an even
  ``S`` (32) that is 16 pixels left of the centre and 15 right of it, for an odd ``S`` it
  is symmetric.
* A stamp pixel is *invalid* when it lies off the image, or when it is NaN or infinite in
  any band, or masked in any band (optional ``masks``). Invalid pixels hold ``fill`` in
  every band and ``valid[n, i, j]`` is False. A candidate with a NaN position gets an
  entirely invalid stamp.

Speed
-----
The work is done by numba kernels compiled with ``parallel=True`` that loop over the
candidates (``prange``) and read straight from the mosaics, which may be ``numpy.memmap``
views of FITS files. FITS data are big-endian: float32 bands (``BITPIX = -32``, the drizzled
HST products) are read through a zero-copy ``uint32`` view and byte-swapped pixel by pixel
inside the kernel, so only the pixels of the stamps are ever touched. Other data types
(integers, float64) are handled by a second kernel; non-native byte orders of those types
are converted first (a copy of that band), which is documented but rare.

:func:`cut_boxes` is the same cut-out for one band in plain numpy, keeping the image's data
type: detection (:func:`starclass.detect.profile.cutouts`) and the labelling page
(:func:`starclass.inspect.render.cutout`) use it, and the tests hold the compiled kernels to
it pixel for pixel. (Routing the float64/integer stamps through it instead was measured 5-7x
slower than the kernel, so the kernels stay.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numba
import numpy as np
from numba import njit, prange

from starclass.bands import require_bands
from starclass.errors import StarclassError
from starclass.io import MosaicsLike
from starclass.schema import check_distinct_bands
from starclass.stamps._parallel import dual_kernel

__all__ = ["extract_stamps", "resolve_images", "centre_pixels", "cut_boxes", "position_values"]

# Sentinel centre for candidates without a usable position: far off any image.
_OFF_IMAGE = np.int64(-(2**40))


# --------------------------------------------------------------------------- kernels
@njit(cache=True, inline="always")
def _bswap32(v):
    w = np.int64(v)
    r = ((w >> 24) & 0xFF) | ((w >> 8) & 0xFF00) | ((w << 8) & 0xFF0000) | ((w << 24) & 0xFF000000)
    return np.uint32(r)


@dual_kernel
def _extract_f32_bits(images, swap, order, cx, cy, size, out, valid, fill_bits):  # pragma: no cover - numba
    """All bands float32 (any byte order): copy raw bits, swapping where ``swap[b]``.

    ``images`` is a homogeneous tuple of 2-D uint32 views, ``out`` a uint32 view of the
    float32 output [N, B, S, S]. A value is non-finite when its exponent bits are all ones.
    Stamps wholly inside the image take a fast path without bounds checks; the others (and
    stamps with a non-finite pixel) are redone pixel by pixel.
    """
    n_cand = cx.shape[0]
    n_band = len(images)
    half = size // 2
    ny = images[0].shape[0]
    nx = images[0].shape[1]
    expo = np.uint32(0x7F800000)
    for k in prange(n_cand):
        n = order[k]
        x0 = cx[n] - half
        y0 = cy[n] - half
        inside = x0 >= 0 and y0 >= 0 and x0 + size <= nx and y0 + size <= ny
        if inside:
            bad = False
            for b in range(n_band):
                img = images[b]
                if swap[b]:
                    for i in range(size):
                        for j in range(size):
                            v = _bswap32(img[y0 + i, x0 + j])
                            bad |= (v & expo) == expo
                            out[n, b, i, j] = v
                else:
                    for i in range(size):
                        for j in range(size):
                            v = img[y0 + i, x0 + j]
                            bad |= (v & expo) == expo
                            out[n, b, i, j] = v
            if not bad:
                for i in range(size):
                    for j in range(size):
                        valid[n, i, j] = True
                continue
        # general path: bounds and finiteness checked per pixel
        for i in range(size):
            for j in range(size):
                valid[n, i, j] = True
        for b in range(n_band):
            img = images[b]
            sw = swap[b]
            for i in range(size):
                yy = y0 + i
                for j in range(size):
                    xx = x0 + j
                    if yy < 0 or yy >= ny or xx < 0 or xx >= nx:
                        valid[n, i, j] = False
                        continue
                    v = img[yy, xx]
                    if sw:
                        v = _bswap32(v)
                    if (v & expo) == expo:
                        valid[n, i, j] = False
                    else:
                        out[n, b, i, j] = v
        for i in range(size):
            for j in range(size):
                if not valid[n, i, j]:
                    for b in range(n_band):
                        out[n, b, i, j] = fill_bits


@dual_kernel
def _extract_one_band(img, b, order, cx, cy, size, out, valid, fill):  # pragma: no cover - numba
    """One band of any native numeric type into ``out[:, b]`` (float32); ANDs ``valid``."""
    n_cand = cx.shape[0]
    half = size // 2
    ny = img.shape[0]
    nx = img.shape[1]
    for k in prange(n_cand):
        n = order[k]
        x0 = cx[n] - half
        y0 = cy[n] - half
        for i in range(size):
            yy = y0 + i
            for j in range(size):
                xx = x0 + j
                if yy < 0 or yy >= ny or xx < 0 or xx >= nx:
                    out[n, b, i, j] = fill
                    valid[n, i, j] = False
                else:
                    v = np.float32(img[yy, xx])
                    if np.isfinite(v):
                        out[n, b, i, j] = v
                    else:
                        out[n, b, i, j] = fill
                        valid[n, i, j] = False


@dual_kernel
def _mask_one_band(mask, cx, cy, size, valid):  # pragma: no cover - numba
    """AND ``valid`` with the negation of a bad-pixel mask (True / non-zero = bad)."""
    n_cand = cx.shape[0]
    half = size // 2
    ny = mask.shape[0]
    nx = mask.shape[1]
    for n in prange(n_cand):
        x0 = cx[n] - half
        y0 = cy[n] - half
        for i in range(size):
            yy = y0 + i
            if yy < 0 or yy >= ny:
                continue
            for j in range(size):
                xx = x0 + j
                if xx >= 0 and xx < nx and mask[yy, xx] != 0:
                    valid[n, i, j] = False


@dual_kernel
def _weight_bits_one_band(wbits, swap, order, cx, cy, size, valid):  # pragma: no cover - numba
    """AND ``valid`` with ``weight > 0`` for a float32 weight map seen as uint32 bits.

    A float32 is positive, finite and non-zero exactly when its bits (sign bit clear) lie
    strictly between 0 and 0x7F800000 (+inf); NaN and negative values fall outside.
    """
    n_cand = cx.shape[0]
    half = size // 2
    ny = wbits.shape[0]
    nx = wbits.shape[1]
    inf_bits = np.uint32(0x7F800000)
    for k in prange(n_cand):
        n = order[k]
        x0 = cx[n] - half
        y0 = cy[n] - half
        for i in range(size):
            yy = y0 + i
            if yy < 0 or yy >= ny:
                continue
            for j in range(size):
                xx = x0 + j
                if xx >= 0 and xx < nx:
                    v = wbits[yy, xx]
                    if swap:
                        v = _bswap32(v)
                    if v == 0 or v >= inf_bits:
                        valid[n, i, j] = False


@dual_kernel
def _weight_one_band(weight, order, cx, cy, size, valid):  # pragma: no cover - numba
    """AND ``valid`` with ``weight > 0`` for a weight map of any native numeric type."""
    n_cand = cx.shape[0]
    half = size // 2
    ny = weight.shape[0]
    nx = weight.shape[1]
    for k in prange(n_cand):
        n = order[k]
        x0 = cx[n] - half
        y0 = cy[n] - half
        for i in range(size):
            yy = y0 + i
            if yy < 0 or yy >= ny:
                continue
            for j in range(size):
                xx = x0 + j
                if xx >= 0 and xx < nx and not (weight[yy, xx] > 0):
                    valid[n, i, j] = False


@dual_kernel
def _apply_fill(out, valid, fill):  # pragma: no cover - numba
    for n in prange(out.shape[0]):
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                if not valid[n, i, j]:
                    for b in range(out.shape[1]):
                        out[n, b, i, j] = fill


# --------------------------------------------------------------------------- helpers
def resolve_images(
    mosaics: MosaicsLike, bands: Sequence[str] | None = None
) -> tuple[list[str], list[np.ndarray]]:
    """Turn what the user passed into a list of band names and 2-D arrays.

    Parameters
    ----------
    mosaics
        A :class:`starclass.io.mosaic.MosaicSet` (anything with ``bands`` and ``data``),
        a mapping band -> 2-D array, a sequence of 2-D arrays, or one 3-D array
        ``[B, ny, nx]`` (or a single 2-D array, one band).
    bands
        Bands to use, in this order. For a MosaicSet or mapping they are looked up by
        name (an error lists the bands present); for arrays they only name the planes.

    Returns
    -------
    names, arrays
        Band names (``"band0"``... for unnamed arrays) and the 2-D arrays (not copied).

    Examples
    --------
    >>> names, arrays = resolve_images({"g": np.zeros((4, 4)), "i": np.ones((4, 4))}, ["i"])
    >>> names, [a.shape for a in arrays]
    (['i'], [(4, 4)])
    >>> resolve_images(np.zeros((2, 4, 4)))[0]
    ['band0', 'band1']
    """
    if bands is not None and not isinstance(bands, str):
        # a band named twice was cut twice: stamps of two identical channels (the one check, as --bands)
        check_distinct_bands(bands)
    if hasattr(mosaics, "data") and hasattr(mosaics, "bands"):
        available = list(mosaics.bands)
        table = mosaics.data
    elif isinstance(mosaics, Mapping):
        available = list(mosaics)
        table = mosaics
    else:
        if isinstance(mosaics, np.ndarray):
            arrays = [mosaics] if mosaics.ndim == 2 else list(mosaics)
        else:
            arrays = list(mosaics)
        names = list(bands) if bands is not None else [f"band{k}" for k in range(len(arrays))]
        if len(names) != len(arrays):
            raise StarclassError(
                f"bands: {len(names)} band names given for {len(arrays)} image planes"
            )
        arrays = [np.asarray(a) for a in arrays]
        _check_shapes(names, arrays)
        return names, arrays
    wanted_lower = require_bands(bands, available, context="bands")
    lookup = {a.lower(): a for a in available}
    arrays = [np.asarray(table[lookup[b]]) for b in wanted_lower]
    _check_shapes(wanted_lower, arrays)
    return wanted_lower, arrays


def _check_shapes(names: list[str], arrays: list[np.ndarray]) -> None:
    if not arrays:
        raise StarclassError("bands: no image bands given")
    for name, a in zip(names, arrays):
        if a.ndim != 2:
            raise StarclassError(f"band {name}: image must be 2-D, got shape {a.shape}")
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        detail = ", ".join(f"{n}: {a.shape}" for n, a in zip(names, arrays))
        raise StarclassError(f"mosaics must share one pixel grid; shapes differ ({detail})")


def _locality_order(cx: np.ndarray, cy: np.ndarray, size: int) -> np.ndarray:
    """Visit order: candidates sorted by strips of rows, then column.

    Neighbouring stamps then share memory pages and cache lines of the mosaic, which
    doubles the extraction rate for random positions on large mosaics. Outputs stay in
    the caller's order.
    """
    if cx.shape[0] < 512:
        return np.arange(cx.shape[0], dtype=np.int64)
    strip = np.clip(cy, -(2**30), 2**30) // max(size, 1)
    key = strip * (2**32) + np.clip(cx, -(2**30), 2**30)
    return np.argsort(key, kind="stable").astype(np.int64)


def position_values(v: Any) -> np.ndarray:
    """Positions as a 1-D float64 array, masked cells (an astropy ``MaskedColumn``) as NaN.

    ``np.asarray`` of a masked column gives the value hidden under the mask (0, or whatever
    the table held), so a candidate without a position was cut, measured and classified at
    that pixel as if it had one. NaN is what every caller already treats as "no position".

    Examples
    --------
    >>> from astropy.table import MaskedColumn
    >>> position_values(MaskedColumn([3.0, 5.0], mask=[False, True])).tolist()
    [3.0, nan]
    """
    return np.atleast_1d(np.asarray(np.ma.filled(np.ma.asarray(v, dtype=np.float64), np.nan), dtype=np.float64))


def centre_pixels(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-pixel centres ``floor(x + 0.5)``, ``floor(y + 0.5)`` as int64.

    Non-finite and masked positions map to a sentinel far off any image (all-invalid stamps).

    Examples
    --------
    >>> cx, cy = centre_pixels([0.49, 0.5, 2.7], [1.0, -0.6, 3.5])
    >>> cx.tolist(), cy.tolist()
    ([0, 1, 3], [1, -1, 4])
    """
    xa, ya = position_values(x), position_values(y)
    if xa.shape != ya.shape or xa.ndim != 1:
        raise StarclassError(f"x and y must be 1-D and of equal length (got {xa.shape}, {ya.shape})")
    ok = np.isfinite(xa) & np.isfinite(ya) & (np.abs(xa) < 2.0**39) & (np.abs(ya) < 2.0**39)
    cx = np.full(xa.shape, _OFF_IMAGE, dtype=np.int64)
    cy = np.full(ya.shape, _OFF_IMAGE, dtype=np.int64)
    cx[ok] = np.floor(xa[ok] + 0.5).astype(np.int64)
    cy[ok] = np.floor(ya[ok] + 0.5).astype(np.int64)
    return cx, cy


def off_image(x: Any, y: Any, shape: tuple[int, int]) -> np.ndarray:
    """Where a candidate's own pixel lies outside an image of ``shape`` (or has no position).

    Parameters
    ----------
    x, y
        0-based positions (NaN counts as off the image).
    shape
        ``(ny, nx)`` of the image.

    Returns
    -------
    numpy.ndarray
        bool ``[N]``, True where ``floor(x + 0.5)``, ``floor(y + 0.5)`` is not a pixel of the image.

    Examples
    --------
    >>> off_image([0.0, 9.4, 9.6, -0.6, float("nan")], [0.0] * 5, (10, 10)).tolist()
    [False, False, True, True, True]
    """
    cx, cy = centre_pixels(x, y)
    ny, nx = int(shape[0]), int(shape[1])
    return ~((cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny))


def off_image_message(ids: Any, mask: Any, shape: tuple[int, int], *, show: int = 10) -> str:
    """A sentence naming how many candidates lie outside the image, and their ids.

    Parameters
    ----------
    ids
        The candidates' ids (or row numbers), one per candidate.
    mask
        :func:`off_image` of the candidates.
    shape
        ``(ny, nx)`` of the image, for the message.
    show
        At most this many ids are listed.

    Returns
    -------
    str
        E.g. ``"2 candidates lie outside the 2048 x 2048 px image: ids 3, 7"``.

    Examples
    --------
    >>> off_image_message([1, 2, 3], [False, True, True], (2048, 1024))
    '2 of 3 candidates lie outside the 1024 x 2048 px image (or have no position): ids 2, 3'
    """
    ids = np.asarray(ids)
    mask = np.asarray(mask, dtype=bool)
    bad = ids[mask]
    listed = ", ".join(str(v) for v in bad[:show].tolist()) + (", ..." if bad.size > show else "")
    # "1 of 3 candidates lies ... (or have no position)" mixed the numbers within one sentence
    lie, have = ("lies", "has") if bad.size == 1 else ("lie", "have")
    return (f"{bad.size} of {ids.size} candidates {lie} outside the {int(shape[1])} x {int(shape[0])} px image "
            f"(or {have} no position): ids {listed}")


def refuse_off_image(table: Any, shape: tuple[int, int], source: str, *, consequence: str, action: str,
                     warn: Callable[[str], object]) -> int:
    """Refuse a catalogue wholly off an image of ``shape``; warn (with the count) of one partly off it.

    The one check of every command that reads a catalogue beside mosaics (train, classify,
    cutouts, suggest, inspect and its web page), so that each says it in the same words.

    Parameters
    ----------
    table
        The candidates (``x``, ``y``; ``id`` when present names the rows).
    shape
        ``(ny, nx)`` of the mosaics.
    source
        What the catalogue is called in the message (its file).
    consequence
        What happens to the candidates off the image (``"they get class_pred 0"``).
    action
        What the command does, for the error when none is on the image (``"classify"``).
    warn
        Called with the warning's text where some, not all, are off the image.

    Returns
    -------
    int
        The number of candidates off the image.

    Raises
    ------
    StarclassError
        Every candidate is off the image (most likely a catalogue of another field).

    Examples
    --------
    >>> t = {"id": [1, 2], "x": [1.0, 50.0], "y": [1.0, 1.0]}
    >>> refuse_off_image(t, (10, 10), "c.ecsv", consequence="they are left out", action="train on", warn=print)
    c.ecsv: 1 of 2 candidates lies outside the 10 x 10 px image (or has no position): ids 2; they are left out
    1
    """
    from starclass.io.catalog import numeric_column
    from starclass.schema import ID, X, Y

    where = f" in {source}"
    mask = off_image(numeric_column(table, X, where=where), numeric_column(table, Y, where=where), shape)
    n = int(mask.sum())
    if not n:
        return 0
    ids = np.asarray(table[ID]) if ID in (getattr(table, "colnames", None) or list(table)) else np.arange(len(mask))
    message = f"{source}: {off_image_message(ids, mask, shape)}"
    if n == mask.size:
        raise StarclassError(f"{message}; nothing to {action} (is the catalogue for these mosaics?)")
    warn(f"{message}; {consequence}")
    return n


def cut_boxes(
    image: np.ndarray, cx: Any, cy: Any, size: int, fill: float | bool = np.nan
) -> tuple[np.ndarray, np.ndarray]:
    """Square boxes cut from one 2-D image around integer centre pixels (the one cut-out).

    Box ``n`` covers image columns ``cx[n] - size // 2 .. cx[n] - size // 2 + size - 1`` (and
    the same rows around ``cy[n]``): the centre pixel lands at index ``size // 2``, as in
    :func:`extract_stamps`. The caller chooses the centring rule; :func:`centre_pixels` gives
    the stamps' ``floor(x + 0.5)``. Only the pixels of the boxes are read, so memory-mapped
    images stay on disk.

    Parameters
    ----------
    image
        2-D array of any type (a boolean mask too).
    cx, cy
        Integer centre pixels (column, row) of the N boxes.
    size
        Box side in pixels (>= 1).
    fill
        Value of box pixels that fall off the image.

    Returns
    -------
    boxes : numpy.ndarray
        ``(N, size, size)``; of the image's type, or of the type that also holds ``fill``
        when some pixel is off the image. Non-finite image values are copied as they are.
    inside : numpy.ndarray
        bool ``(N, size, size)``, True where the box pixel is on the image.

    Examples
    --------
    >>> img = np.arange(16.0).reshape(4, 4)
    >>> boxes, inside = cut_boxes(img, [0], [1], 3)
    >>> boxes[0]
    array([[nan,  0.,  1.],
           [nan,  4.,  5.],
           [nan,  8.,  9.]])
    >>> inside[0, :, 0].tolist()
    [False, False, False]
    """
    size = int(size)
    if size < 1:
        raise StarclassError(f"size: box size must be >= 1 pixel, got {size}")
    ny, nx = image.shape
    x0 = np.asarray(cx, dtype=np.int64).reshape(-1) - size // 2
    y0 = np.asarray(cy, dtype=np.int64).reshape(-1) - size // 2
    whole = (x0 >= 0) & (y0 >= 0) & (x0 + size <= nx) & (y0 + size <= ny)
    if x0.size == 0:
        return np.empty((0, size, size), dtype=image.dtype), np.empty((0, size, size), dtype=bool)
    if whole.all():
        # every box on the image: one gather from a strided window view, several times faster
        # than indexing pixel by pixel
        windows = np.lib.stride_tricks.sliding_window_view(image, (size, size))
        return np.asarray(windows[y0, x0]), np.ones((x0.size, size, size), dtype=bool)
    dtype = np.result_type(np.asarray(image[:0, :0]).dtype, np.asarray(fill).dtype)
    boxes = np.empty((x0.size, size, size), dtype=dtype)
    inside = np.ones((x0.size, size, size), dtype=bool)
    if whole.any():
        windows = np.lib.stride_tricks.sliding_window_view(image, (size, size))
        boxes[whole] = windows[y0[whole], x0[whole]]
    edge = np.flatnonzero(~whole)
    offs = np.arange(size, dtype=np.int64)
    ix = x0[edge, None] + offs[None, :]
    iy = y0[edge, None] + offs[None, :]
    on = ((iy >= 0) & (iy < ny))[:, :, None] & ((ix >= 0) & (ix < nx))[:, None, :]
    part = np.asarray(image[np.clip(iy, 0, ny - 1)[:, :, None], np.clip(ix, 0, nx - 1)[:, None, :]]).astype(dtype)
    part[~on] = fill
    boxes[edge] = part
    inside[edge] = on
    return boxes, inside


def _readonly_view(a: np.ndarray) -> np.ndarray:
    v = a.view()
    v.flags.writeable = False
    return v


def _f32_bits_views(arrays: list[np.ndarray]) -> tuple[tuple[np.ndarray, ...], np.ndarray] | None:
    """uint32 views of float32 bands plus per-band swap flags, or None if not applicable."""
    views = []
    swap = np.zeros(len(arrays), dtype=np.bool_)
    for k, a in enumerate(arrays):
        if a.dtype.kind != "f" or a.dtype.itemsize != 4 or a.strides[-1] != 4:
            return None
        swap[k] = not a.dtype.isnative
        views.append(_readonly_view(a.view(np.uint32)))
    types = {numba.typeof(v) for v in views}
    if len(types) != 1:  # mixed layouts (e.g. a sliced view): no homogeneous tuple
        return None
    return tuple(views), swap


def _native(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind not in "biuf":
        raise StarclassError(f"image data type {a.dtype} is not numeric")
    if a.dtype.kind == "b":
        return a.view(np.uint8)
    if not a.dtype.isnative:
        return a.astype(a.dtype.newbyteorder("="))  # copies this band (documented)
    return a


def _per_band(values: Any, names: list[str], what: str) -> list:
    """A per-band list (None where absent) from a mapping by band name or a sequence."""
    if isinstance(values, Mapping):
        lookup = {str(k).lower(): v for k, v in values.items()}
        return [lookup.get(b) for b in names]
    out = list(values)
    if len(out) != len(names):
        raise StarclassError(f"{what}: {len(out)} given for {len(names)} bands")
    return out


# --------------------------------------------------------------------------- public
def extract_stamps(
    mosaics: MosaicsLike,
    x: Any,
    y: Any,
    size: int = 32,
    bands: Sequence[str] | None = None,
    fill: float = 0.0,
    *,
    masks: Mapping[str, np.ndarray] | Sequence[np.ndarray] | None = None,
    weights: Mapping[str, np.ndarray | None] | Sequence[np.ndarray | None] | None = None,
    out: np.ndarray | None = None,
    valid_out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``size`` x ``size`` stamps in every band around many positions at once.

    Parameters
    ----------
    mosaics
        A MosaicSet, a mapping band -> 2-D array, a sequence of 2-D arrays or a 3-D array
        ``[B, ny, nx]``; arrays may be memory-mapped and big-endian (see module docs).
    x, y
        0-based pixel positions (column, row) of the N candidates.
    size
        Stamp side S in pixels (>= 1). The candidate pixel sits at index ``S // 2``.
    bands
        Bands to extract, in this order (default: all, in the mosaics' order).
    fill
        Value written to invalid pixels (off the image, NaN/inf, or masked in any band).
    masks
        Optional bad-pixel masks (True = bad), per band (mapping by band name or a
        sequence aligned with ``bands``); e.g. ``{b: mosaics.mask(b) for b in bands}``.
    weights
        Optional weight maps per band (mapping by band name or sequence; None entries
        skipped): pixels with ``weight > 0`` false (zero, negative, NaN) are invalid. Read
        in place like the images (memory-mapped, big-endian float32 without a copy), so
        this is the cheap way to honour a MosaicSet's ``weights``.
    out, valid_out
        Optional preallocated outputs (float32 ``[N, B, S, S]`` C-contiguous and bool
        ``[N, S, S]``), for streaming many batches without reallocating.

    Returns
    -------
    stamps : numpy.ndarray
        float32 ``[N, B, S, S]``, native byte order; invalid pixels hold ``fill``.
    valid : numpy.ndarray
        bool ``[N, S, S]``: True where the pixel is on the image and finite (and unmasked)
        in every band.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.arange(100, dtype=np.float32).reshape(10, 10)
    >>> stamps, valid = extract_stamps({"f555w": img}, [4.0, 0.0], [5.0, 0.0], size=3)
    >>> stamps.shape, stamps[0, 0].tolist()
    ((2, 1, 3, 3), [[43.0, 44.0, 45.0], [53.0, 54.0, 55.0], [63.0, 64.0, 65.0]])
    >>> valid[1].astype(int).tolist()  # the corner stamp: off the image above and left
    [[0, 0, 0], [0, 1, 1], [0, 1, 1]]
    """
    size = int(size)
    if size < 1:
        raise StarclassError(f"size: stamp size must be >= 1 pixel, got {size}")
    names, arrays = resolve_images(mosaics, bands)
    cx, cy = centre_pixels(x, y)
    n_cand, n_band = cx.shape[0], len(arrays)
    shape = (n_cand, n_band, size, size)
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    elif out.shape != shape or out.dtype != np.float32 or not out.flags.c_contiguous:
        raise StarclassError(f"out: need a C-contiguous float32 array of shape {shape}")
    if valid_out is None:
        valid_out = np.empty((n_cand, size, size), dtype=np.bool_)
    elif valid_out.shape != (n_cand, size, size) or valid_out.dtype != np.bool_:
        raise StarclassError(f"valid_out: need a bool array of shape {(n_cand, size, size)}")
    if n_cand == 0:
        return out, valid_out
    fill32 = np.float32(fill)
    order = _locality_order(cx, cy, size)

    bits = _f32_bits_views(arrays)
    if bits is not None:
        views, swap = bits
        fill_bits = np.array([fill32], dtype=np.float32).view(np.uint32)[0]
        _extract_f32_bits(views, swap, order, cx, cy, size, out.view(np.uint32), valid_out, fill_bits)
    else:
        valid_out[...] = True
        for b, a in enumerate(arrays):  # one compiled, parallel call per band
            _extract_one_band(_native(a), b, order, cx, cy, size, out, valid_out, fill32)
        _apply_fill(out, valid_out, fill32)

    if masks is not None:
        mask_list = _per_band(masks, names, "masks")
        for name, m in zip(names, mask_list):
            if m is None:
                continue
            m = np.asarray(m)
            if m.shape != arrays[0].shape:
                raise StarclassError(f"masks: mask of band {name} has shape {m.shape}, image {arrays[0].shape}")
            _mask_one_band(_native(m), cx, cy, size, valid_out)
        _apply_fill(out, valid_out, fill32)
    if weights is not None:
        w_list = _per_band(weights, names, "weights")
        for name, w in zip(names, w_list):
            if w is None:
                continue
            w = np.asarray(w)
            if w.shape != arrays[0].shape:
                raise StarclassError(f"weights: weight map of band {name} has shape {w.shape}, image {arrays[0].shape}")
            if w.dtype.kind == "f" and w.dtype.itemsize == 4 and w.strides[-1] == 4:
                _weight_bits_one_band(_readonly_view(w.view(np.uint32)), not w.dtype.isnative, order, cx, cy,
                                      size, valid_out)
            else:
                _weight_one_band(_native(w), order, cx, cy, size, valid_out)
        _apply_fill(out, valid_out, fill32)
    return out, valid_out
