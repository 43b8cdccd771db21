"""From mosaics and positions to model inputs, the one way ``train`` and ``classify`` do it.

``make_inputs(mosaics, x, y, config)`` extracts a base stamp per candidate (large enough
for every scale), normalises it as the config says, builds the magnified scales and
stacks the channels scale-major::

    channel = scale_index * n_channels_per_scale + band_index   (rgb: 3 per scale)

so a three-scale, five-band StarcNet input has C = 15, channels 0-4 the 1x bands.
Normalisation statistics come from the base (1x) stamp, so every scale of a candidate
shares one intensity scale.

Input size: the arrays are ``stamp_size`` pixels on a side. The models of
:mod:`starclass.models` resample to the config's ``input_size`` inside ``forward`` (so a
million 224 px inputs never sit in memory); pass ``resize=True`` to get arrays already
resampled to ``input_size`` (bilinear, identical to torch's ``interpolate``), e.g. for a
network that does not resample itself.

Invalid stamps
--------------
Pixels off the image or NaN are filled (``fill``, default 0 = the normalised background).
A candidate whose own pixel (the stamp centre) is invalid in any band has ``ok[n]``
False (``valid`` names each pixel's validity, :func:`~starclass.stamps.extract_stamps`): its
input is all ``fill`` or partly filled, and callers must not trust a prediction for it
(``classify`` reports such candidates as class 0). NaN never reaches a model. An empty
candidate list gives arrays with N = 0.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from starclass.bands import check_softening_mag
from starclass.errors import StarclassError
from starclass.io import MosaicsLike
from starclass.io.progress import Progress
from starclass.stamps.extract import extract_stamps, position_values, resolve_images
from starclass.stamps.multiscale import base_size, parse_scales, resample, scale_indices
from starclass.stamps.noise import measured_softening
from starclass.stamps.normalise import check_method, n_output_channels, normalise_scales

__all__ = ["InputSpec", "input_spec", "make_inputs", "iter_inputs", "InputBatch", "input_shape", "resolve_spec",
           "no_data_fraction"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputSpec:
    """The stamp geometry and normalisation a model expects (a subset of a TaskConfig).

    Attributes
    ----------
    bands
        Band names, in channel order (None: all bands of the mosaics, in their order).
    stamp_size
        Side S of each scale's stamp in mosaic pixels (StarcNet 32, M31 56, PHANGS 299).
    scales
        Magnifications (StarcNet: 1, 1.6, 3.2).
    input_size
        Side of the model input after resampling (None: ``stamp_size``).
    normalisation
        ``none``, ``zscore``, ``zstd``, ``asinh``, ``rgb`` or ``flux``.
    resample
        Interpolation for ``input_size`` (``bilinear``, ``nearest``, ...).
    fill
        Value of invalid pixels.
    softening
        ``asinh`` softening in noise sigmas.
    softening_mag
        ``flux`` softening: the magnitude of one pixel where the stretch turns logarithmic.
        None (a config's ``"auto"``): measured from the mosaics each time inputs are made
        (:func:`starclass.stamps.noise.sky_noise_mag`); training resolves it once instead.

    Examples
    --------
    >>> spec = InputSpec(bands=("f555w", "f814w"), stamp_size=16, scales=(1.0, 2.0))
    >>> spec.channels(), spec.out_size()
    (4, 16)
    """

    bands: tuple[str, ...] | None = None
    stamp_size: int = 32
    scales: tuple[float, ...] = (1.0,)
    input_size: int | None = None
    normalisation: str = "zscore"
    resample: str = "bilinear"
    fill: float = 0.0
    softening: float = 1.0
    softening_mag: float | None = 28.0

    def out_size(self, resize: bool = False) -> int:
        """Side of the arrays :func:`make_inputs` returns (``input_size`` only if ``resize``)."""
        return int(self.input_size or self.stamp_size) if resize else int(self.stamp_size)

    def channels(self, n_bands: int | None = None) -> int:
        """Number of model input channels C = n_scales * (n_bands, or 3 for rgb)."""
        nb = n_bands if n_bands is not None else (len(self.bands) if self.bands else None)
        if nb is None:
            raise StarclassError("bands: the channel count needs the band list")
        return len(self.scales) * n_output_channels(self.normalisation, nb)


def input_spec(config: Any) -> InputSpec:
    """Read an :class:`InputSpec` from a TaskConfig (or any object/dict with those fields).

    Recognised attributes: ``bands``, ``stamp_size``, ``scales``, ``input_size``,
    ``normalisation`` (or ``normalization``), ``resample``, ``fill``, ``softening``,
    ``softening_mag``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> spec = input_spec(get_preset("galaxy-cluster-compact", stamp_size=16))
    >>> spec.bands, spec.stamp_size, spec.normalisation
    (('xray', 'optical'), 16, 'asinh')
    """
    if isinstance(config, InputSpec):
        return config

    def get(name, default=None):
        if isinstance(config, dict):
            return config.get(name, default)
        return getattr(config, name, default)

    bands = get("bands")
    norm = get("normalisation", get("normalization", "zscore")) or "none"
    size = int(get("stamp_size", 32) or 32)
    if size < 1:
        raise StarclassError(f"stamp_size: must be >= 1, got {size}")
    input_size = get("input_size")
    return InputSpec(
        bands=tuple(b.lower() for b in bands) if bands else None,
        stamp_size=size,
        scales=parse_scales(get("scales", (1.0,))),
        input_size=int(input_size) if input_size else None,
        normalisation=check_method(str(norm)),
        resample=str(get("resample", "bilinear") or "bilinear"),
        fill=float(get("fill", 0.0) or 0.0),
        softening=float(get("softening", 1.0) or 1.0),
        softening_mag=parse_softening_mag(get("softening_mag")),
    )


def parse_softening_mag(value: Any) -> float | None:
    """A softening_mag setting as InputSpec holds it: a float, None for ``"auto"`` (None: 28).

    Examples
    --------
    >>> parse_softening_mag("auto"), parse_softening_mag(27.5), parse_softening_mag("27.5")
    (None, 27.5, 27.5)
    >>> parse_softening_mag("x")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: softening_mag: expected a magnitude or 'auto', got 'x'
    >>> parse_softening_mag("-1e308")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: softening_mag must be a magnitude in 0-50 (...) or 'auto', got '-1e308'
    """
    if value is None:
        return 28.0
    if isinstance(value, str) and value.strip().lower() == "auto":
        return None
    try:
        float(value)
    except (TypeError, ValueError):
        raise StarclassError(f"softening_mag: expected a magnitude or 'auto', got {value!r}") from None
    # bounded: -1e308 overflowed the stretch (stamps of 0 and NaN, exit 0)
    return check_softening_mag(value, "softening_mag")


def resolve_spec(spec: InputSpec, mosaics: MosaicsLike, zeropoints: Any = None) -> InputSpec:
    """``spec`` with an ``auto`` softening_mag (None) measured from ``mosaics`` (flux only).

    Examples
    --------
    Sky noise of 0.01 and 0.02 per pixel at zeropoint 25 is 30.02 and 29.27 mag; ``auto`` takes
    their median:

    >>> rng = np.random.default_rng(0)
    >>> mosaics = {"g": rng.normal(0, 0.01, (200, 200)), "i": rng.normal(0, 0.02, (200, 200))}
    >>> spec = InputSpec(bands=("g", "i"), normalisation="flux", softening_mag=None)
    >>> resolve_spec(spec, mosaics, {"g": 25.0, "i": 25.0}).softening_mag
    29.64
    >>> resolve_spec(InputSpec(), mosaics).softening_mag  # not auto: as it was
    28.0
    """
    if spec.normalisation != "flux" or spec.softening_mag is not None:
        return spec

    value, noise = measured_softening(mosaics, list(spec.bands) if spec.bands else None,
                                      _zeropoints(mosaics, zeropoints))
    log.info("softening_mag auto -> %.2f (per-pixel sky noise %s)", value,
             ", ".join(f"{b} {m:.2f}" for b, m in noise.items()))
    return replace(spec, softening_mag=value)


def input_shape(config: Any, n_bands: int | None = None, resize: bool = False) -> tuple[int, int, int]:
    """(C, H, W) of the arrays :func:`make_inputs` returns for a config.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> input_shape(get_preset("legus4-compact", stamp_size=16))   # 5 bands x 3 scales
    (15, 16, 16)
    """
    spec = input_spec(config)
    size = spec.out_size(resize)
    return spec.channels(n_bands), size, size


def _zeropoints(mosaics: MosaicsLike, zeropoints: Any) -> Any:
    if zeropoints is not None:
        return zeropoints
    return getattr(mosaics, "zeropoint", None)


def _weights(mosaics: MosaicsLike, weights: Any) -> Any:
    if isinstance(weights, str):
        if weights != "auto":
            raise StarclassError(f"weights: expected 'auto', None or per-band maps, got {weights!r}")
        found = getattr(mosaics, "weights", None)
        out = dict(found) if isinstance(found, dict) else {}
        padding = getattr(mosaics, "padding", None)
        if callable(padding):
            # a band without a weight map whose image is zero-padded outside its footprint (a PHANGS-HST
            # ..._sci.fits without its _wht.fits): the padding was cut into stamps as data, so a candidate
            # on it was classified; its inverse is that band's weight map (1 = data, 0 = padding)
            for band in getattr(mosaics, "bands", []):
                if out.get(band) is None:
                    pad = padding(band)
                    if pad is not None:
                        out[band] = np.logical_not(pad).view(np.uint8)
        if not any(w is not None for w in out.values()):
            return None
        return out
    return weights


def _convert(
    stamps: np.ndarray, valid_px: np.ndarray, names: list[str], spec: InputSpec, zeropoints: Any,
    resize: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Base stamps -> stacked, normalised, resampled inputs and per-candidate validity."""
    n = stamps.shape[0]
    sb = stamps.shape[-1]
    centre_ok = valid_px[:, sb // 2, sb // 2].copy() if n else np.zeros(0, dtype=bool)
    idx = np.stack([scale_indices(spec.stamp_size, sc, sb) for sc in spec.scales])
    stacked = normalise_scales(
        stamps, spec.normalisation, idx, zeropoints, valid=valid_px, bands=names,
        fill=spec.fill, softening=spec.softening, softening_mag=spec.softening_mag,
    )
    if spec.out_size(resize) != spec.stamp_size:
        stacked = resample(stacked, spec.out_size(resize), spec.resample)
    return np.ascontiguousarray(stacked, dtype=np.float32), centre_ok


def make_inputs(
    mosaics: MosaicsLike,
    x: Any,
    y: Any,
    config: Any,
    *,
    zeropoints: Any = None,
    masks: Any = None,
    weights: Any = "auto",
    resize: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Model inputs for N candidates, as the task config describes them.

    Parameters
    ----------
    mosaics
        MosaicSet, mapping band -> 2-D array, or arrays (see
        :func:`~starclass.stamps.extract_stamps`). Must hold every band of the config
        (an error names the missing ones and those present).
    x, y
        0-based pixel positions.
    config
        TaskConfig (or :class:`InputSpec`, dict, any object) with ``bands``,
        ``stamp_size``, ``scales``, ``input_size``, ``normalisation``.
    zeropoints
        Per-band zeropoints for ``rgb`` (default: the MosaicSet's).
    masks
        Optional per-band bad-pixel masks (True = bad), e.g.
        ``{b: mosaics.mask(b) for b in mosaics.bands}``.
    weights
        Weight maps per band: pixels of zero, negative or NaN weight are invalid like NaN.
        ``"auto"`` (default) uses the MosaicSet's ``weights`` where it has them (read in
        place, memory-mapped); None ignores weights.
    resize
        Resample to the config's ``input_size`` (default False: ``stamp_size``; the
        models resample inside ``forward``).

    Returns
    -------
    inputs : numpy.ndarray
        float32 ``[N, C, H, W]``, C = n_scales * n_bands (or n_scales * 3 for ``rgb``),
        scale-major, H = W = ``stamp_size`` (``input_size`` with ``resize``); no NaN.
    ok : numpy.ndarray
        bool ``[N]``: False where the candidate's own pixel is off the image or NaN in a
        band (see the module docstring); :attr:`InputBatch.ok` of :func:`iter_inputs`.

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4-compact", stamp_size=16)
    >>> images = {b: np.random.default_rng(1).random((64, 64)).astype(np.float32) for b in cfg.bands}
    >>> inputs, ok = make_inputs(images, [30.0, 70.0], [30.0, 30.0], cfg, zeropoints={b: 25.0 for b in cfg.bands})
    >>> inputs.shape, ok.tolist()  # 5 bands x 3 scales; the second candidate is off the image
    ((2, 15, 16, 16), [True, False])
    """
    spec = resolve_spec(input_spec(config), mosaics, zeropoints)
    names, arrays = resolve_images(mosaics, spec.bands)
    sb = base_size(spec.stamp_size, spec.scales)
    stamps, valid_px = extract_stamps(dict(zip(names, arrays)), x, y, sb, names, fill=0.0, masks=masks,
                                      weights=_weights(mosaics, weights))
    return _convert(stamps, valid_px, names, spec, _zeropoints(mosaics, zeropoints), resize)


class InputBatch(NamedTuple):
    """One batch from :func:`iter_inputs`: candidates ``start:stop`` of the input order.

    ``ok`` is each candidate's validity (``[n]``, its own pixel on the image and finite in every band), as
    :func:`make_inputs` returns it and a stamp store keeps it (``/ok``). Until 2026-12-07 it was named
    ``valid``, which everywhere else (:func:`~starclass.stamps.extract_stamps`, the store's ``/valid``,
    ``normalise_scales(valid=...)``) is the validity of each *pixel* (``[n, S, S]``): ``batch.valid`` still
    reads it, with a DeprecationWarning, for one release.

    Examples
    --------
    >>> import numpy as np
    >>> b = InputBatch(0, 2, None, np.array([True, False]))
    >>> b.stop, b.ok.tolist()
    (2, [True, False])
    """

    start: int
    stop: int
    inputs: np.ndarray
    #: bool ``[n]``: False where the candidate's own pixel is off the image or NaN in a band (not classified)
    ok: np.ndarray
    #: share of each candidate's input pixels (over its scales) that are fill, not data (:func:`no_data_fraction`)
    no_data: np.ndarray | None = None

    @property
    def valid(self) -> np.ndarray:
        """Deprecated name of :attr:`ok` (the per-candidate validity; ``valid`` is per pixel elsewhere).

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as said:
        ...     warnings.simplefilter("always")
        ...     InputBatch(0, 1, None, np.array([True])).valid.tolist(), said[0].category.__name__
        ([True], 'DeprecationWarning')
        """
        import warnings

        warnings.warn("InputBatch.valid is now InputBatch.ok (each candidate's validity; 'valid' names each "
                      "pixel's elsewhere); the old name goes in the next release", DeprecationWarning, stacklevel=2)
        return self.ok


def auto_batch_size(config: Any, n_bands: int, budget_bytes: int = 256 * 2**20, resize: bool = False) -> int:
    """Largest batch whose inputs (plus the base stamps) fit in ``budget_bytes``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> auto_batch_size(cfg, 2), auto_batch_size(cfg, 2, budget_bytes=2**20)
    (41943, 163)
    """
    spec = input_spec(config)
    c, h, w = spec.channels(n_bands), spec.out_size(resize), spec.out_size(resize)
    sb = base_size(spec.stamp_size, spec.scales)
    per = 4 * (c * h * w + 2 * n_bands * sb * sb) + sb * sb
    return int(max(1, min(65536, budget_bytes // per)))


def iter_inputs(
    mosaics: MosaicsLike,
    x: Any,
    y: Any,
    config: Any,
    batch_size: int | None = None,
    *,
    zeropoints: Any = None,
    masks: Any = None,
    weights: Any = "auto",
    resize: bool = False,
    progress: bool | None = False,
) -> Iterator[InputBatch]:
    """Yield model inputs batch by batch, in bounded memory (for millions of candidates).

    Same arguments as :func:`make_inputs` (``weights="auto"`` honours a MosaicSet's
    weight maps), plus ``batch_size`` (default: as many as fit
    in 256 MiB) and ``progress`` (a tqdm bar; None: a few timed lines instead,
    :class:`starclass.io.progress.Progress`). Each item is an :class:`InputBatch`
    ``(start, stop, inputs, ok, no_data)``; the base-stamp buffer is reused between batches,
    the ``inputs`` array of each batch is new (safe to keep).

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> images = {b: np.random.default_rng(0).random((64, 64)).astype(np.float32) for b in cfg.bands}
    >>> for batch in iter_inputs(images, [10.0, 30.0, 50.0], [20.0, 20.0, 20.0], cfg, batch_size=2):
    ...     print(batch.start, batch.stop, batch.inputs.shape, batch.ok.tolist())
    0 2 (2, 2, 16, 16) [True, True]
    2 3 (1, 2, 16, 16) [True]
    """
    spec = input_spec(config)
    for start, stop, inputs, ok, valid_px in _iter_batches(
        mosaics, x, y, spec, batch_size, zeropoints, masks, resize, progress, weights
    ):
        yield InputBatch(start, stop, inputs, ok, no_data_fraction(valid_px, spec))


def no_data_fraction(valid_px: np.ndarray, config: Any) -> np.ndarray:
    """Share of each candidate's input pixels, over its scales, that are fill: off the image, NaN or masked.

    The pixels the network sees at each scale (nearest-neighbour samples of the base stamp,
    :func:`~starclass.stamps.multiscale.scale_indices`) are counted, and the shares averaged over
    the scales: 0 for a stamp wholly on data, 1 for one wholly off it. A candidate beside a
    drizzled mosaic's NaN border has its own pixel valid but part of its stamp filled with the
    normalised background; ``classify`` writes this share for such rows (``stamp_no_data``).

    Parameters
    ----------
    valid_px : numpy.ndarray
        ``[N, Sb, Sb]`` pixel validity of the base stamps (valid in every band).
    config
        The task (its stamp size and scales), or an :class:`InputSpec`.

    Returns
    -------
    numpy.ndarray
        ``[N]`` float64 in 0-1.

    Examples
    --------
    One scale, the stamp's left half off the data:

    >>> v = np.ones((1, 8, 8), bool)
    >>> v[0, :, :4] = False
    >>> spec = InputSpec(bands=("f555w",), stamp_size=8, scales=(1.0,), normalisation="none")
    >>> no_data_fraction(v, spec).tolist()
    [0.5]
    """
    spec = config if isinstance(config, InputSpec) else input_spec(config)
    n, sb = len(valid_px), valid_px.shape[-1]
    out = np.zeros(n)
    for scale in spec.scales:
        i = scale_indices(spec.stamp_size, scale, sb)
        out += 1.0 - valid_px[:, i][:, :, i].mean(axis=(1, 2))
    return out / len(spec.scales)


def _iter_batches(mosaics, x, y, spec, batch_size, zeropoints, masks, resize, progress, weights="auto"):
    """iter_inputs' work; also yields the base stamps' pixel validity (a reused buffer)."""
    spec = resolve_spec(spec, mosaics, zeropoints)
    names, arrays = resolve_images(mosaics, spec.bands)
    images = dict(zip(names, arrays))
    wmaps = _weights(mosaics, weights)
    xa, ya = position_values(x), position_values(y)  # masked cells: no position (NaN), not the hidden value
    if xa.shape != ya.shape:
        raise StarclassError(f"x and y differ in length ({xa.size} and {ya.size})")
    n = xa.size
    if batch_size is None:
        batch_size = auto_batch_size(spec, len(names), resize=resize)
    batch_size = int(batch_size)
    if batch_size < 1:
        raise StarclassError(f"batch_size: must be >= 1, got {batch_size}")
    zps = _zeropoints(mosaics, zeropoints)
    sb = base_size(spec.stamp_size, spec.scales)
    buf = np.empty((min(batch_size, n), len(names), sb, sb), dtype=np.float32)
    vbuf = np.empty((min(batch_size, n), sb, sb), dtype=bool)
    bar = Progress(n, desc="stamps", noun="candidate", show=progress, unit="cand")
    try:
        for start in range(0, n, batch_size):
            stop = min(n, start + batch_size)
            m = stop - start
            stamps, valid_px = extract_stamps(
                images, xa[start:stop], ya[start:stop], sb, names, fill=0.0, masks=masks,
                weights=wmaps, out=buf[:m], valid_out=vbuf[:m],
            )
            inputs, valid = _convert(stamps, valid_px, names, spec, zps, resize)
            bar.update(m)
            yield start, stop, inputs, valid, valid_px
    finally:
        bar.close()
