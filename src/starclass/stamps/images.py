"""Model inputs from ready-made cutout images (labelled cutout folders, real survey stamps).

Mosaics are cut by :mod:`starclass.stamps.extract`; cutout folders arrive already cut. Each
image ``[C, H, W]`` (from :func:`starclass.io.cutout_folders.read_image`) is:

1. matched to the task's bands: one channel per band; a colour (3-channel) file for a
   one-band task is averaged to grey, since survey stamps saved as RGB usually repeat one
   band in every channel;
2. resampled to the task's ``stamp_size`` over its whole field ("area" when shrinking, which
   averages and so does not alias; bilinear when enlarging), so a 128 px cutout and a 64 px
   one of the same field give the same stamp;
3. normalised with the task's method (:func:`starclass.stamps.normalise.normalise_scales`),
   with the task's magnifications, exactly as stamps cut from mosaics. ``flux`` and ``rgb``
   need zeropoints, which stretched images have lost: they are refused.

The network's own ``input_size`` resampling (e.g. 224 px for ResNet-50) then happens inside
the model, as for every other input.
"""

from __future__ import annotations

import numpy as np

from starclass.errors import StarclassError
from starclass.stamps.multiscale import resample, scale_indices
from starclass.stamps.normalise import normalise_scales

__all__ = ["cutout_inputs"]


def cutout_inputs(images: np.ndarray, config) -> np.ndarray:
    """Model inputs ``[N, n_channels, S, S]`` from cutout images ``[N, C, H, W]``.

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` square cutouts centred on the objects.
    config : starclass.learn.config.TaskConfig
        The task: bands, ``stamp_size``, ``scales`` and ``normalisation``.

    Returns
    -------
    numpy.ndarray
        float32 model inputs, never NaN (non-finite pixels are excluded from the statistics
        and filled with the normalised background, 0).

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> x = cutout_inputs(np.random.default_rng(0).random((3, 1, 128, 128)), get_preset("m31-real"))
    >>> x.shape
    (3, 1, 64, 64)
    """
    x = np.asarray(images, dtype=np.float32)
    if x.ndim != 4 or x.shape[-1] != x.shape[-2]:
        raise StarclassError(f"cutouts must be square [N, C, H, W]; got shape {x.shape}")
    nb = len(config.bands)
    if x.shape[1] != nb:
        if nb == 1 and x.shape[1] == 3:
            x = np.nanmean(x, axis=1, keepdims=True)
        else:
            raise StarclassError(
                f"cutouts have {x.shape[1]} channel(s) but task {config.name!r} has {nb} band(s) "
                f"{list(config.bands)}")
    if config.normalisation in ("flux", "rgb"):
        raise StarclassError(
            f"task {config.name!r}: normalisation {config.normalisation!r} needs zeropoints, which "
            "cutout images do not carry; use zscore, zstd, asinh or none")
    size = int(config.stamp_size)
    valid = np.all(np.isfinite(x), axis=1)
    if x.shape[-1] != size:
        mode = "area" if x.shape[-1] > size else "bilinear"
        x = resample(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0), size, mode)
        valid = resample(valid[:, None].astype(np.float32), size, mode)[:, 0] > 0.999
    idx = np.stack([scale_indices(size, s, size) for s in config.scales])
    return normalise_scales(x, config.normalisation, idx, valid=valid, bands=list(config.bands))
