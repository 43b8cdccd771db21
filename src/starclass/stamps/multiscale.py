"""Multi-scale stamps (StarcNet) and resampling to a model's input size.

StarcNet (Perez et al. 2021, section 3.2) feeds each candidate to three pathways at
magnifications 1x, 1.6x and 3.2x: the 32 px stamp, and its central 20 px and 10 px
"centre-cropped and resized back to 32x32 pixels using nearest-neighbour interpolation".

Here a magnification ``s`` takes the central crop of ``W = round(S / s)`` pixels and
maps output pixel ``i`` (0..S-1) to crop pixel ``floor((i + 0.5) * W / S)``; the crop
starts at ``c - W // 2`` where ``c`` is the candidate pixel, so the candidate stays at
index ``S // 2`` at every scale (StarcNet's 1.6x and 3.2x of 32 px: the central 20 and
10 px). Scales below 1 (zoom out) are allowed: the base stamp is then extracted larger
(:func:`base_size`) and the sampling grid is shifted so that it hits the candidate pixel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from starclass.errors import StarclassError

__all__ = ["parse_scales", "crop_width", "base_size", "scale_indices", "multiscale", "resample"]


#: The largest cut a zoom-out may ask for: the largest stamp ``cutouts --size`` takes (1024 px).
MAX_CUT_PX = 1024
#: The smallest central crop a zoom-in may magnify: a 1 px crop repeats one pixel over the whole stamp
#: (no picture at all); 2 px is about the FWHM of a point source on HST images (WFC3/UVIS: ~0.07"
#: at 0.04"/px), the smallest crop that still shows a core's profile. StarcNet's 3.2x of a 32 px
#: stamp crops 10 px.
MIN_CROP_PX = 2


def parse_scales(scales: float | str | Sequence[float] | None) -> tuple[float, ...]:
    """Scales as a tuple of positive floats; accepts ``"1,1.6,3.2"``; None -> (1.0,).

    Examples
    --------
    >>> parse_scales("1,1.6,3.2"), parse_scales(None)
    ((1.0, 1.6, 3.2), (1.0,))
    """
    if scales is None:
        return (1.0,)
    if isinstance(scales, str):
        try:
            vals = [float(s) for s in scales.replace(" ", "").split(",") if s]
        except ValueError as exc:
            raise StarclassError(f"scales: cannot parse {scales!r} (give e.g. '1,1.6,3.2')") from exc
    elif np.isscalar(scales):
        vals = [float(scales)]
    else:
        vals = [float(s) for s in scales]
    if not vals or not all(np.isfinite(v) and v > 0 for v in vals):
        raise StarclassError(f"scales: need one or more positive magnifications, got {scales!r}")
    return tuple(vals)


def crop_width(size: int, scale: float) -> int:
    """Width of the central crop magnified by ``scale`` into ``size`` pixels.

    Examples
    --------
    >>> crop_width(64, 1.0), crop_width(64, 2.0), crop_width(64, 3.0)
    (64, 32, 21)
    """
    return max(1, int(round(size / scale)))


def base_size(size: int, scales: Sequence[float]) -> int:
    """Side of the stamp to extract so that every scale's crop fits in it.

    A zoom-out whose cut would exceed :data:`MAX_CUT_PX` and a zoom-in whose crop would be smaller
    than :data:`MIN_CROP_PX` are refused, naming the scale.

    Examples
    --------
    >>> base_size(16, (1.0, 1.6, 3.2))   # 3.2x zooms in: the 1x view is the widest
    16
    >>> base_size(16, (0.5, 1.0))        # 0.5x zooms out: a 32 px stamp is cut
    32
    >>> base_size(32, (1e-6,))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: scale 1e-06 zooms a 32 px stamp out to a 32000000 px cut; at most 1024 px ...
    >>> base_size(32, (1.0, 1e6))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: scale 1e+06 zooms a 32 px stamp in to a 1 px crop ... of at most 16

    A stamp larger than 1024 px (a task's ``stamp_size``) that no scale zooms out of is cut as it is:

    >>> base_size(1100, (1.0, 1.6))
    1100
    """
    s = max(scales)
    if crop_width(size, s) < MIN_CROP_PX:
        # 'cutouts --scales 1e6' cropped 1 px: every stamp one pixel repeated, stored with exit status 0
        raise StarclassError(f"scale {s:g} zooms a {int(size)} px stamp in to a {crop_width(size, s)} px crop "
                             f"(every pixel of the stamp the same one); at least {MIN_CROP_PX} px, about the "
                             f"FWHM of a point source: give scales of at most {int(size) / MIN_CROP_PX:g}")
    out = max([int(size)] + [crop_width(size, s) for s in scales])
    # the limit is on zooming out: a task's stamp_size of 1100 at scale 1 (nothing zoomed out) was refused as
    # "scale 1 zooms a 1100 px stamp out", with advice ("scales of at least 1.07") that could not help
    limit = max(MAX_CUT_PX, int(size))
    if out > limit:
        # 'cutouts --scales 1e-6' asked numpy for 18.2 PiB (an ArrayMemoryError traceback), 0.01 for a
        # 3200 px cut per candidate (minutes per field for stamps of one blurred pixel's worth of detail)
        s = min(scales)
        raise StarclassError(f"scale {s:g} zooms a {int(size)} px stamp out to a {out} px cut; at most "
                             f"{limit} px (the largest stamp --size, or the stamp itself where larger): give "
                             f"scales of at least {int(size) / limit:g}")
    return out


def scale_indices(size: int, scale: float, base: int | None = None) -> np.ndarray:
    """Indices into a ``base``-pixel stamp giving the ``size``-pixel stamp at ``scale``.

    The same indices serve rows and columns (nearest-neighbour resampling).

    Examples
    --------
    >>> scale_indices(8, 2.0).tolist()   # the central 4 px, each repeated
    [2, 2, 3, 3, 4, 4, 5, 5]
    """
    base = size if base is None else int(base)
    w = crop_width(size, scale)
    if w > base:
        raise StarclassError(f"scales: scale {scale} needs a {w} px base stamp, got {base}")
    start = base // 2 - w // 2
    i = np.arange(size)
    idx = (start + np.floor((i + 0.5) * w / size)).astype(np.intp)
    # Magnification (w <= size) keeps the candidate pixel at size // 2 by construction;
    # when zooming out (w > size) the sampling grid may miss it by a pixel: shift it back.
    idx += base // 2 - idx[size // 2]
    return np.clip(idx, 0, base - 1)


def multiscale(
    stamps: np.ndarray,
    scales: Sequence[float] | str = (1.0, 1.6, 3.2),
    size: int | None = None,
    valid: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Stamps at several magnifications by nearest-neighbour resampling of their centre.

    Parameters
    ----------
    stamps
        ``[N, C, Sb, Sb]`` base stamps (candidate at index ``Sb // 2``), e.g. from
        :func:`~starclass.stamps.extract_stamps` with ``size = base_size(size, scales)``.
    scales
        Magnifications (1 = as extracted; StarcNet: 1, 1.6, 3.2).
    size
        Output side S (default: ``Sb``).
    valid
        Optional ``[N, Sb, Sb]`` pixel validity, resampled alike.

    Returns
    -------
    stamps_ms : numpy.ndarray
        ``[N, n_scales, C, S, S]`` (same dtype). Use ``reshape(N, -1, S, S)`` for
        scale-major stacked channels.
    valid_ms : numpy.ndarray or None
        ``[N, n_scales, S, S]`` bool, when ``valid`` was given.

    Examples
    --------
    >>> import numpy as np
    >>> stamps = np.arange(2 * 1 * 8 * 8, dtype=np.float32).reshape(2, 1, 8, 8)
    >>> views, valid = multiscale(stamps, (1.0, 2.0))
    >>> views.shape, valid is None                # [N, n_scales, C, S, S]
    ((2, 2, 1, 8, 8), True)
    >>> bool(views[0, 1, 0, 4, 4] == stamps[0, 0, 4, 4])   # the centre pixel stays the centre
    True
    """
    scales = parse_scales(scales)
    stamps = np.asarray(stamps)
    if stamps.ndim != 4 or stamps.shape[2] != stamps.shape[3]:
        raise StarclassError(f"stamps: expected square [N, C, S, S], got shape {stamps.shape}")
    sb = stamps.shape[-1]
    size = sb if size is None else int(size)
    n, c = stamps.shape[:2]
    out = np.empty((n, len(scales), c, size, size), dtype=stamps.dtype)
    vout = None if valid is None else np.empty((n, len(scales), size, size), dtype=bool)
    for k, s in enumerate(scales):  # a handful of scales; each one is a vectorised gather
        idx = scale_indices(size, s, sb)
        out[:, k] = np.take(np.take(stamps, idx, axis=2), idx, axis=3)
        if vout is not None:
            vout[:, k] = np.take(np.take(np.asarray(valid), idx, axis=1), idx, axis=2)
    return out, vout


def _interp_matrix(n_in: int, n_out: int, mode: str) -> np.ndarray:
    """1-D resampling matrix ``[n_out, n_in]`` made by torch's own interpolation.

    Bilinear, nearest and area resizing are separable, so ``A @ X @ A.T`` equals
    ``torch.nn.functional.interpolate`` of X (align_corners=False) but runs as two small
    batched matrix products, much faster than torch's per-image CPU kernels for the
    many small stamps here.
    """
    # torch adds 2.2 s (measured) to `import starclass.stamps`; only resampling to another scale needs it
    import torch
    import torch.nn.functional as F

    eye = torch.eye(n_in, dtype=torch.float64)[None]  # [1, C=n_in, L=n_in]
    mode1 = {"bilinear": "linear"}.get(mode, mode)
    kw = {"align_corners": False} if mode1 == "linear" else {}
    with torch.no_grad():
        a = F.interpolate(eye, size=n_out, mode=mode1, **kw)[0]  # [n_in, n_out]
    return a.T.numpy().astype(np.float32)


def resample(images: np.ndarray, size: int, mode: str = "bilinear") -> np.ndarray:
    """Resize ``[N, C, H, W]`` images to ``size`` x ``size`` as ``torch.nn.functional.interpolate``.

    ``mode`` is ``"bilinear"`` (StarcNet's 32 -> 224 for ImageNet networks; the M31 paper's
    56 -> 224; ``align_corners=False``), ``"nearest"``, ``"area"`` (done as separable
    matrix products, identical to torch) or ``"bicubic"`` (torch itself). Returns float32.

    Examples
    --------
    >>> import numpy as np
    >>> resample(np.ones((2, 3, 8, 8)), 16).shape
    (2, 3, 16, 16)
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4:
        raise StarclassError(f"images: expected [N, C, H, W], got shape {images.shape}")
    size = int(size)
    if size < 1:
        raise StarclassError(f"input_size: must be >= 1, got {size}")
    if images.shape[-2:] == (size, size):
        return images
    if mode not in ("bilinear", "bicubic", "area", "nearest"):
        raise StarclassError(f"resample: unknown mode {mode!r} (bilinear, bicubic, area, nearest)")
    n, c, h, w = images.shape
    if n == 0:
        return np.empty((n, c, size, size), dtype=np.float32)
    if mode == "bicubic":
        # torch adds 2.2 s (measured) to `import starclass.stamps`; only bicubic resampling needs it
        import torch
        import torch.nn.functional as F

        with torch.no_grad():
            t = torch.from_numpy(np.ascontiguousarray(images))
            return F.interpolate(t, size=(size, size), mode=mode, align_corners=False).numpy()
    ay = _interp_matrix(h, size, mode)
    ax = _interp_matrix(w, size, mode)
    tmp = np.matmul(ay, images.reshape(n * c, h, w))  # [M, size, w]
    out = np.matmul(tmp, ax.T)  # [M, size, size]
    return out.reshape(n, c, size, size)
