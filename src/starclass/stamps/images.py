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

from collections.abc import Callable
from functools import partial

import numpy as np

from starclass.errors import StarclassError, counted

# defined beside the mosaic's padding rule it applies (io.mosaic.zero_padding), where the cutout reader can use it
from starclass.io.cutout_folders import CutoutSet
from starclass.io.mosaic import cutout_zero_padding_fraction
from starclass.io.task_like import TaskLike
from starclass.stamps.multiscale import resample, scale_indices
from starclass.stamps.normalise import normalise_scales

__all__ = ["ROBUST_SIGMA_LIMIT", "cutout_band_no_data", "cutout_centre_no_data", "cutout_inputs", "cutout_no_data",
           "cutout_no_data_fraction", "cutout_resampler", "cutout_zero_padding_fraction", "resample_cutout",
           "runaway_zscore_rows", "ZERO_PADDING_SHARE", "ZERO_PADDING_WORDS", "ZERO_PADDING_ADVICE",
           "CENTRE_NO_DATA_WORDS", "NO_DATA_IN_FILE_WORDS", "zero_padding_rows"]

#: robust z-scored pixels of a stretched picture further than this from the median: the MAD then
#: measured a saturated plateau, not the sky (a ZScale PNG's sky spans a few grey levels, so its
#: brightest object lies tens of sigma up; the PAndAS cutouts' whole fields peak at 67)
ROBUST_SIGMA_LIMIT = 100.0

#: share of a FITS/NPY cutout in blocks of exact zeros (a mosaic's padding rule,
#: :func:`cutout_zero_padding_fraction`) from which ``classify``, ``train`` and ``calibrate --stamps`` and
#: ``explain`` warn that they may be a survey's padding beyond its footprint: a quarter of the stamp
ZERO_PADDING_SHARE = 0.25

#: What the zero-padding warnings (:func:`starclass.learn.cutouts.zero_padding_note`) and ``info`` call
#: such blocks, and what they advise: one wording for every command that names them
ZERO_PADDING_WORDS = "blocks of exact zeros (as a mosaic without a weight map has beyond its footprint)"
ZERO_PADDING_ADVICE = "if they are a survey's padding, set them to NaN in the files (or give the weight map)"

#: What "without data" is in a cutout's file; the one wording of the centre pixel's fault (below) and of
#: the line on cutouts partly without data (:func:`starclass.learn.classify.no_data_line`)
NO_DATA_IN_FILE_WORDS = "NaN or zero exposure in the file"
#: Why a cutout has no usable stamp (its centre pixel has no data, :func:`cutout_centre_no_data`), as
#: ``classify --stamps`` and ``calibrate --stamps`` say it
CENTRE_NO_DATA_WORDS = f"centre pixel without data: {NO_DATA_IN_FILE_WORDS}"


def cutout_inputs(images: np.ndarray, config: TaskLike) -> np.ndarray:
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
        and filled with the normalised background, the task's ``fill``: 0), as stamps cut from
        mosaics are (:func:`starclass.stamps.inputs.make_inputs`). Their share of each cutout's
        input pixels is :func:`cutout_no_data_fraction`.

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> x = cutout_inputs(np.random.default_rng(0).random((3, 1, 128, 128)), get_preset("m31-real"))
    >>> x.shape
    (3, 1, 64, 64)
    """
    from starclass.stamps.inputs import input_spec

    x, valid = _planes_and_valid(images, config)
    idx = np.stack([scale_indices(int(config.stamp_size), s, int(config.stamp_size)) for s in config.scales])
    # the fill of the mosaic path (InputSpec.fill): one value for a pixel without data, wherever the stamp came from
    return normalise_scales(x, config.normalisation, idx, valid=valid, bands=list(config.bands),
                            fill=input_spec(config).fill)


def cutout_no_data_fraction(images: np.ndarray, config: TaskLike) -> np.ndarray:
    """Share of each cutout's model input pixels, over the task's scales, that hold no data (filled).

    A FITS or NPY cutout cut from a drizzled image holds NaN (or zero exposure, read as NaN)
    beyond the footprint; :func:`cutout_inputs` fills those pixels with the normalised background.
    This is the share the network saw filled, counted as for stamps cut from mosaics
    (:func:`starclass.stamps.inputs.no_data_fraction`, ``classify``'s ``stamp_no_data``): 0 for a
    cutout wholly on data, 1 for one without any.

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` cutouts, as for :func:`cutout_inputs`.
    config : starclass.learn.config.TaskConfig
        The task.

    Returns
    -------
    numpy.ndarray
        ``[N]`` float64 in 0-1.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> img = np.ones((2, 1, 16, 16), np.float32)
    >>> img[0, 0, :4, :4] = np.nan  # a corner beyond the footprint: 16 of 256 pixels
    >>> cutout_no_data_fraction(img, get_preset("cool-core", stamp_size=16, scales=[1.0])).tolist()
    [0.0625, 0.0]
    """
    from starclass.stamps.inputs import no_data_fraction

    x = np.asarray(images)
    valid = _band_validity(x, config).all(axis=1)
    size = int(config.stamp_size)
    if x.shape[-1] != size:
        # the validity as _planes_and_valid resamples it: only the mask, not the pixels a second time
        mode = "area" if x.shape[-1] > size else "bilinear"
        valid = resample(valid[:, None].astype(np.float32), size, mode)[:, 0] > 0.999
    return no_data_fraction(valid, config)


def zero_padding_rows(cutouts: CutoutSet, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(padded, share)``: which of ``rows`` (bool ``[N]``) are FITS/NPY cutouts padded with zeros, and the share.

    ``share`` is :func:`cutout_zero_padding_fraction` of the cutouts as read
    (blocks of exact zeros, by a mosaic's padding rule; of a mixed-size folder, before resampling:
    :attr:`~starclass.io.cutout_folders.CutoutSet.native_zero_padding`); a cutout is named from
    :data:`ZERO_PADDING_SHARE` up. Picture files (PNG, JPEG) are left
    out: black sky is common in a stretched picture.

    Examples
    --------
    >>> from starclass.io.cutout_folders import CutoutSet
    >>> img = np.random.default_rng(0).normal(1.0, 0.1, (2, 1, 12, 12)).astype(np.float32)
    >>> img[:, 0, :, 6:] = 0.0
    >>> cs = CutoutSet(images=img, table=None, files=["a.png", "b.fits"], labels=None,
    ...                groups=np.array(["a", "b"]), pixel_kinds=["picture", "stored"])
    >>> padded, share = zero_padding_rows(cs, np.ones(2, bool))
    >>> padded.tolist(), share.tolist()
    ([False, True], [0.5, 0.5])
    """
    stored = (np.asarray(cutouts.pixel_kinds, dtype=str) != "picture" if len(cutouts.pixel_kinds) == len(cutouts)
              else np.ones(len(cutouts), dtype=bool))
    # as read: the resampled cutouts of a mixed-size folder have the blocks' edges smeared
    share = (np.asarray(cutouts.native_zero_padding, dtype=float)
             if len(cutouts.native_zero_padding) == len(cutouts) else cutout_zero_padding_fraction(cutouts.images))
    return np.asarray(rows, dtype=bool) & stored & (share >= ZERO_PADDING_SHARE), share


def _band_validity(images: np.ndarray, config: TaskLike) -> np.ndarray:
    """Where each of the task's bands has data in the cutouts as given, ``[N, B, H, W]`` bool (not resampled).

    A colour file for a one-band task is averaged to grey ignoring NaN (:func:`_planes_and_valid`):
    its one band has data where any channel has.
    """
    x = np.asarray(images)
    _planes_and_valid(x[:0], config)  # the same checks (shape, bands, normalisation) without touching the pixels
    fin = np.isfinite(x)
    if len(config.bands) == 1 and x.shape[1] == 3:
        return fin.any(axis=1, keepdims=True)
    return fin


def cutout_centre_no_data(images: np.ndarray, config: TaskLike) -> np.ndarray:
    """Which cutouts have no data at their own centre pixel in some band, ``[N]`` bool.

    The rule of stamps cut from mosaics (:func:`starclass.stamps.inputs.make_inputs`: a
    candidate whose own pixel is off the image or NaN in any band is not valid, and
    ``classify`` leaves it unclassified): the centre of a cutout is its object's pixel, index
    ``H // 2`` as a mosaic stamp's is ``size // 2``. A FITS or NPY cutout holds NaN there (or
    zero exposure, read as NaN) when its object lies beyond a drizzled image's footprint.

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` cutouts, as for :func:`cutout_inputs`.
    config : starclass.learn.config.TaskConfig
        The task.

    Returns
    -------
    numpy.ndarray
        bool ``[N]``, True where the centre pixel is NaN (or infinite) in any of the task's bands.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> img = np.ones((2, 1, 16, 16), np.float32)
    >>> img[0, 0, :, 6:] = np.nan  # the right-hand columns, centre (8, 8) among them, beyond the footprint
    >>> img[1, 0, :, :4] = np.nan  # an edge only: the object's own pixel has data
    >>> cutout_centre_no_data(img, get_preset("cool-core", stamp_size=16)).tolist()
    [True, False]
    """
    valid = _band_validity(images, config)
    h, w = valid.shape[-2:]
    return ~valid[:, :, h // 2, w // 2].all(axis=1)


def cutout_band_no_data(images: np.ndarray, config: TaskLike) -> np.ndarray:
    """Which band of each cutout holds no data at all (every pixel NaN), ``[N, B]`` bool.

    :func:`cutout_inputs` fills such a band with the background, so it reads as a blank
    (constant) band; this tells the two apart, for messages that say what happened.

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` cutouts, as for :func:`cutout_inputs`.
    config : starclass.learn.config.TaskConfig
        The task.

    Returns
    -------
    numpy.ndarray
        bool ``[N, len(config.bands)]``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> img = np.zeros((2, 1, 8, 8), np.float32)  # the second: constant (zero), not without data
    >>> img[0] = np.nan
    >>> cutout_band_no_data(img, get_preset("cool-core", stamp_size=8)).tolist()
    [[True], [False]]
    """
    return ~_band_validity(images, config).any(axis=(2, 3))


def _planes_and_valid(images: np.ndarray, config) -> tuple[np.ndarray, np.ndarray]:
    """The task's band planes at ``stamp_size`` and where every band has data, ``[N, S, S]`` (before the scales)."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim != 4 or x.shape[-1] != x.shape[-2]:
        raise StarclassError(f"cutouts must be square [N, C, H, W]; got shape {x.shape}")
    nb = len(config.bands)
    if x.shape[1] != nb:
        if nb == 1 and x.shape[1] == 3:
            x = np.nanmean(x, axis=1, keepdims=True)
        else:
            raise StarclassError(
                f"cutouts have {counted(x.shape[1], 'channel')} but task {config.name!r} has {counted(nb, 'band')} "
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
    return x, valid


def cutout_no_data(images: np.ndarray, config: TaskLike) -> np.ndarray:
    """Where the model inputs of cutouts hold no data, ``[N, S, S]`` bool, at the first of the task's scales.

    :func:`cutout_inputs` fills a pixel that is NaN (or infinite) in any band with the normalised
    background: the network sees a flat value there, not a missing one. This says which pixels
    those are, in the geometry of the inputs' first scale (the one drawn under saliency maps), so
    that a map over them can be masked (``starclass explain``).

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` cutouts, as for :func:`cutout_inputs`.
    config : starclass.learn.config.TaskConfig
        The task.

    Returns
    -------
    numpy.ndarray
        bool ``[N, S, S]``, True where no data.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> img = np.ones((1, 1, 16, 16), np.float32)
    >>> img[0, 0, :, :4] = np.nan  # four columns off the detector
    >>> cutout_no_data(img, get_preset("cool-core", stamp_size=16))[0].sum(axis=0).tolist()[:6]
    [16, 16, 16, 16, 0, 0]
    """
    _, valid = _planes_and_valid(images, config)
    size = int(config.stamp_size)
    first = scale_indices(size, config.scales[0], size)
    return ~valid[:, first][:, :, first]


def resample_cutout(image: np.ndarray, size: int) -> np.ndarray:
    """One cutout ``[C, H, W]`` resampled over its whole field to ``size`` px, as :func:`cutout_inputs` does.

    "area" when shrinking, bilinear when enlarging; a pixel of the result that draws on a
    non-finite pixel (NaN padding, off the image) is NaN in every channel, as :func:`cutout_inputs`
    leaves it out of the statistics. A cutout folder of mixed sizes (a task with ``mixed_sizes``)
    is so brought to one size when read; :func:`cutout_inputs` then finds it at ``stamp_size``.

    Parameters
    ----------
    image : numpy.ndarray
        float ``[C, H, W]``, square.
    size : int
        Side of the result (px).

    Returns
    -------
    numpy.ndarray
        float32 ``[C, size, size]``.

    Examples
    --------
    >>> img = np.ones((1, 8, 8), np.float32); img[0, 0, 0] = np.nan
    >>> out = resample_cutout(img, 4)
    >>> out.shape, bool(np.isnan(out[0, 0, 0])), float(out[0, 3, 3])
    ((1, 4, 4), True, 1.0)
    """
    x = np.asarray(image, dtype=np.float32)[None]
    size = int(size)
    if x.shape[-1] == size and x.shape[-2] == size:
        return x[0]
    valid = np.all(np.isfinite(x), axis=1)
    mode = "area" if x.shape[-1] > size else "bilinear"
    out = resample(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0), size, mode)[0]
    ok = resample(valid[:, None].astype(np.float32), size, mode)[0, 0] > 0.999
    out[:, ~ok] = np.nan
    return out


def cutout_resampler(config: TaskLike) -> Callable[[np.ndarray], np.ndarray] | None:
    """``resample`` of :func:`starclass.io.cutout_folders.read_cutout_folder` under a task, or None.

    A task that sets ``mixed_sizes`` (``cool-core``: a fixed 1 Mpc at different redshifts) takes a
    folder of cutouts of several sizes, each resampled over its whole field to its ``stamp_size``
    (:func:`resample_cutout`); any other task's reader refuses such a folder.

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task.

    Returns
    -------
    callable or None
        A function of one cutout ``[C, H, W]`` giving it at ``stamp_size``; None without ``mixed_sizes``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cutout_resampler(get_preset("cool-core"))(np.ones((1, 300, 300))).shape
    (1, 256, 256)
    >>> cutout_resampler(get_preset("m31-real")) is None
    True
    """
    if not getattr(config, "mixed_sizes", False):
        return None
    return partial(resample_cutout, size=int(config.stamp_size))


#: The side (px) each cutout of a folder of mixed sizes is drawn at in a report's gallery when no task
#: says its stamp_size: a gallery panel is 1.9 inches wide, about 190 px on the page.
GALLERY_STAMP_PX = 128

#: What :func:`gallery_resampler` is for, said when the folder is read (the reader's ``resample_purpose``).
GALLERY_PURPOSE = ("to be drawn in the gallery of mistakes only (no task was given: --task or --model reads them "
                   "as the task does)")


def gallery_resampler(size: int = GALLERY_STAMP_PX) -> Callable[[np.ndarray], np.ndarray]:
    """``resample`` of :func:`starclass.io.cutout_folders.read_cutout_folder` for cutouts that are only drawn.

    ``report PRED --stamps FOLDER`` without ``--task`` or ``--model`` draws the cutouts of its worst
    mistakes and nothing more: a folder of mixed sizes (a cool-core user's) was refused ("all cutouts
    must have one size") though no network reads them. Each is brought to ``size`` over its whole field
    (:func:`resample_cutout`), as a task with ``mixed_sizes`` does; a folder of one size is read as it is.

    Parameters
    ----------
    size : int
        Side (px) of the drawn cutouts.

    Returns
    -------
    callable
        A function of one cutout ``[C, H, W]`` giving it at ``size``.

    Examples
    --------
    >>> gallery_resampler()(np.ones((1, 48, 48))).shape
    (1, 128, 128)
    """
    return partial(resample_cutout, size=int(size))


def runaway_zscore_rows(images: np.ndarray, inputs: np.ndarray, config: TaskLike) -> np.ndarray:
    """Rows of stretched pictures whose robust ``zscore`` ran away (pixels past the limit).

    An object that fills most of a cutout saturated by its stretch (a bright cluster in the
    central 56 px of an 8-bit ZScale picture) leaves the median on the plateau and a MAD of a
    fraction of one grey level; the z-scored sky then lies hundreds or thousands of "sigma"
    down, and a network trained on such inputs can learn nothing (the PAndAS cutouts' central
    56 px: AUC 0.47 with ``zscore``, 0.9 with ``zstd``, docs/real_images.md). Only pictures are
    checked (every pixel in [0, 1], as the readers scale PNG, JPEG and integer NPY): physical
    FITS values put a bright star thousands of sigma up on purpose.

    Parameters
    ----------
    images : numpy.ndarray
        The cutouts ``[N, C, H, W]`` as read.
    inputs : numpy.ndarray
        Their model inputs (:func:`cutout_inputs`).
    config : starclass.learn.config.TaskConfig
        The task; only its ``normalisation`` ``zscore`` is checked.

    Returns
    -------
    numpy.ndarray
        0-based rows with a pixel further than :data:`ROBUST_SIGMA_LIMIT` from 0.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-real").copy(stamp_size=56)
    >>> img = np.full((1, 1, 56, 56), 0.3, np.float32)
    >>> img[..., 10:50, 10:50] = 1.0          # saturated plateau over half the stamp
    >>> img[..., 20:40, 20:40] = 0.996         # a little structure on it
    >>> runaway_zscore_rows(img, cutout_inputs(img, cfg), cfg).tolist()
    [0]
    >>> runaway_zscore_rows(img, cutout_inputs(img, cfg.copy(normalisation="zstd")), cfg.copy(normalisation="zstd"))
    array([], dtype=int64)
    """
    none = np.zeros(0, dtype=np.int64)
    if getattr(config, "normalisation", None) != "zscore" or len(inputs) == 0:
        return none
    x = np.asarray(images, dtype=np.float32)
    finite = x[np.isfinite(x)]
    if finite.size == 0 or finite.min() < 0.0 or finite.max() > 1.0:
        return none
    peak = np.abs(np.nan_to_num(np.asarray(inputs, dtype=np.float32))).reshape(len(inputs), -1).max(axis=1)
    return np.flatnonzero(peak > ROBUST_SIGMA_LIMIT).astype(np.int64)
