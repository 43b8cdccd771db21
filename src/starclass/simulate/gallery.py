"""Pictures of a simulated (or real) field: a colour composite and a gallery of stamps.

The colour composite maps the reddest band to red, V (or the middle band) to green and the
bluest optical band to blue, with an asinh stretch (Lupton et al. 2004, as
``astropy.visualization.make_lupton_rgb``), the way the PHANGS and LEGUS teams show their
fields. The gallery shows up to eight stamps per class and per class-4 subclass, each in V
(grey, asinh) and in colour, to compare by eye with the PHANGS paper's Figure 1.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
from astropy.table import Table
from astropy.visualization import make_lupton_rgb

from starclass.bands import BANDS
from starclass.bands import v_band as find_v_band
from starclass.errors import OutputExistsError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.schema import CLASS_NAMES, CLASS_REF, SUBCLASS_NAMES, X, Y, subclass_number

#: Subclass names of :data:`starclass.schema.SUBCLASS_NAMES` keyed by number, as the
#: simulator's truth carries them (4.10 is left out: as a float it is 4.1).
SUBCLASS_LABELS: dict[float, str] = {float(k): v for k, v in SUBCLASS_NAMES.items() if k != "4.10"}


def _flux_scales(bands, v_band: str | None = None) -> dict[str, float]:
    """Per-band factors PHOTFLAM_b / PHOTFLAM_V: e-/s to a common f_lambda scale.

    In f_lambda an old population looks yellow-white and a young one blue, as in the PHANGS
    and LEGUS colour composites.
    """
    ref = v_band or find_v_band(list(bands))
    return {b: BANDS[b].photflam / BANDS[ref].photflam for b in bands if b in BANDS and ref in BANDS}


def _rgb_bands(bands: list[str]) -> tuple[str, str, str]:
    order = sorted(bands, key=lambda b: BANDS[b].photplam)
    optical = [b for b in order if BANDS[b].photplam > 4000] or order
    r = optical[-1]
    b = optical[0] if len(optical) > 1 else order[0]
    mids = [x for x in optical if x not in (r, b)]
    g = find_v_band(bands) if find_v_band(bands) not in (r, b) else (mids[len(mids) // 2] if mids else None)
    return r, g, b


def _colour_stamp(images: dict[str, np.ndarray], bands: list[str], ys: slice, xs: slice,
                 stretch: float, q: float = 8.0, scales: dict[str, float] | None = None,
                 subtract_median: bool = False) -> np.ndarray:
    """RGB (float 0-1) of a region; with two bands green is their mean (PAndAS-like).

    ``scales``: per-band factors applied first (see :func:`vega_scales`).
    """
    r, g, b = _rgb_bands(bands)
    sc = scales or {}

    def get(band):
        a = np.asarray(images[band][ys, xs], dtype=float) * sc.get(band, 1.0)
        if subtract_median and np.isfinite(a).any():
            a = a - np.nanmedian(a)
        return np.nan_to_num(a)

    R, B = get(r), get(b)
    G = get(g) if g else 0.5 * (R + B)
    with np.errstate(invalid="ignore", divide="ignore"):
        rgb = make_lupton_rgb(R, G, B, stretch=stretch, Q=q)
    return rgb.astype(float) / 255.0


def _block_mean(a: np.ndarray, f: int) -> np.ndarray:
    ny, nx = (a.shape[0] // f) * f, (a.shape[1] // f) * f
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # blocks entirely off the footprint
        return np.nanmean(np.asarray(a[:ny, :nx], dtype=np.float32).reshape(ny // f, f, nx // f, f), axis=(1, 3))


def _refuse_existing_file(path, overwrite: bool) -> None:
    # before any drawing: the figure is never built for a file that is refused
    if Path(path).exists() and not overwrite:
        raise OutputExistsError(exists_refusal(path), path)


def write_composite(images: dict[str, np.ndarray], path: str | os.PathLike, *, max_size: int = 2048,
                    title: str | None = None, overwrite: bool = False) -> Path:
    """Colour composite PNG of a whole field (block-averaged to at most ``max_size`` px), atomically.

    Bands are put on a common f_lambda scale first (:func:`_flux_scales`). An existing file is
    refused unless ``overwrite`` (a notebook's second composite of the same name replaced the
    first without a word).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> images = {b: np.random.default_rng(0).random((32, 32)) for b in ("f435w", "f555w", "f814w")}
    >>> path = write_composite(images, pathlib.Path(tempfile.mkdtemp()) / "composite.png")
    >>> path.read_bytes()[:4]
    b'\\x89PNG'
    >>> write_composite(images, path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...composite.png exists (overwrite=False); give overwrite=True to replace it
    """
    _refuse_existing_file(path, overwrite)
    # matplotlib takes a second or two to import: only the simulate CLI's pictures pay for it; a figure of its
    # own, not pyplot's, so a notebook's pyplot backend and open figures are left as they were
    from matplotlib.figure import Figure

    bands = list(images)
    ny, nx = next(iter(images.values())).shape
    f = max(1, int(np.ceil(max(ny, nx) / max_size)))
    small = {b: (_block_mean(images[b], f) if f > 1 else np.asarray(images[b], dtype=np.float32)) for b in bands}
    sc = _flux_scales(bands, find_v_band(bands))
    small = {b: a * np.float32(sc.get(b, 1.0)) for b, a in small.items()}
    r, g, b = _rgb_bands(bands)
    ref = small[g] if g else small[r]
    noise = float(np.nanstd(ref[np.isfinite(ref) & (ref < np.nanpercentile(ref, 50))])) or 1.0
    rgb = _colour_stamp(small, bands, slice(None), slice(None), stretch=max(noise * 30, 1e-6), q=10)
    dpi = 100
    fig = Figure(figsize=(rgb.shape[1] / dpi, rgb.shape[0] / dpi), dpi=dpi)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.imshow(rgb, origin="lower", interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.text(0.01, 0.99, title, transform=ax.transAxes, color="w", va="top", fontsize=10)
    out = Path(path)
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    return out


def gallery_stamp(image: np.ndarray, cx: int, cy: int, size: int) -> np.ndarray:
    """The ``size`` x ``size`` stamp of ``image`` centred on pixel ``(cx, cy)``, NaN (no data) beyond its edge.

    The gallery cut ``image[cy - h:cy + h, cx - h:cx + h]`` clipped to the field: a source near the edge
    drew a narrow stamp among square ones (``simulate OUT --seed 1 --png --gallery``, the last class-1
    stamp). Padded as cutouts are, so every stamp is square and its centre is the source's.

    Parameters
    ----------
    image
        One band of the field, ``[ny, nx]``.
    cx, cy
        The source's pixel (0-based column, row).
    size
        Side of the stamp in pixels.

    Returns
    -------
    numpy.ndarray
        ``[size, size]`` float, NaN where the stamp lies beyond the field.

    Examples
    --------
    >>> st = gallery_stamp(np.ones((10, 10)), 1, 5, 6)
    >>> st.shape, int(np.isnan(st).sum())
    ((6, 6), 12)
    """
    h = size // 2
    ny, nx = image.shape
    out = np.full((size, size), np.nan)
    y0, x0 = cy - h, cx - h
    ys = slice(max(0, y0), min(ny, y0 + size))
    xs = slice(max(0, x0), min(nx, x0 + size))
    if ys.start < ys.stop and xs.start < xs.stop:
        out[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0] = image[ys, xs]
    return out


def write_gallery(images: dict[str, np.ndarray], truth: Table, path: str | os.PathLike, *, per_group: int = 8,
                  size: int = 40,
                  v_band: str | None = None, seed: int = 0, title: str | None = None,
                  overwrite: bool = False) -> Path:
    """Gallery PNG: for each class and class-4 subclass, ``per_group`` stamps in V and colour.

    ``truth`` needs ``x``, ``y``, ``class_ref`` and (optionally) ``subclass``. The file is
    written atomically; an existing one is refused unless ``overwrite`` (a notebook's second
    gallery of the same name replaced the first without a word).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from astropy.table import Table
    >>> images = {b: np.random.default_rng(0).random((64, 64)) for b in ("f435w", "f555w", "f814w")}
    >>> truth = Table({"x": [20.0, 40.0], "y": [20.0, 40.0], "class_ref": [1, 4]})
    >>> path = write_gallery(images, truth, pathlib.Path(tempfile.mkdtemp()) / "gallery.png", per_group=2)
    >>> path.read_bytes()[:4]
    b'\\x89PNG'
    """
    _refuse_existing_file(path, overwrite)
    # matplotlib takes a second or two to import: only the simulate CLI's pictures pay for it; a figure of its
    # own, not pyplot's, so a notebook's pyplot backend and open figures are left as they were
    import matplotlib
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    from starclass.report.figures import NO_DATA_COLOUR

    grey = matplotlib.colormaps["gray"].with_extremes(bad=NO_DATA_COLOUR)
    edge = False  # some stamp holds no data (beyond the field, a chip gap): the figure says what its magenta is

    bands = list(images)
    vb = v_band or find_v_band(bands)
    scales = _flux_scales(bands, vb)
    rng = np.random.default_rng(seed)
    cls = np.asarray(truth[CLASS_REF])
    sub = subclass_number(truth["subclass"]) if "subclass" in truth.colnames else np.full(len(truth), np.nan)
    groups = []
    for c in (1, 2, 3):
        groups.append((f"class {c}: {CLASS_NAMES[c]}", np.flatnonzero(cls == c)))
    for s in sorted({round(float(v), 2) for v in sub[np.isfinite(sub)]}):
        groups.append((f"{s:g} {SUBCLASS_LABELS.get(s, '')}", np.flatnonzero((cls == 4) & np.isclose(sub, s))))
    if not np.isfinite(sub).any():
        groups.append(("class 4", np.flatnonzero(cls == 4)))
    groups = [(name, idx) for name, idx in groups if len(idx)]
    ny, nx = images[vb].shape
    # a common stretch per field: from the V-band noise
    v = np.asarray(images[vb])
    sample = v[:: max(1, ny // 256), :: max(1, nx // 256)]
    sig = float(np.nanstd(sample[np.isfinite(sample) & (sample < np.nanpercentile(sample, 60))])) or 1.0
    nrow = 2 * len(groups)
    fig = Figure(figsize=(per_group * 1.15, nrow * 1.2))
    axes = fig.subplots(nrow, per_group, squeeze=False)
    for gi, (name, idx) in enumerate(groups):
        pick = rng.choice(idx, size=min(per_group, len(idx)), replace=False)
        for k in range(per_group):
            a1, a2 = axes[2 * gi, k], axes[2 * gi + 1, k]
            a1.set_axis_off()
            a2.set_axis_off()
            if k >= len(pick):
                continue
            i = pick[k]
            cx, cy = int(round(float(truth[X][i]))), int(round(float(truth[Y][i])))
            # square stamps, NaN beyond the field's edge: a clipped one was drawn narrower than the rest
            stamps = {b: gallery_stamp(np.asarray(images[b], dtype=float), cx, cy, size) for b in bands}
            st = stamps[vb].copy()
            off = ~np.isfinite(st)
            edge |= bool(off.any())
            if np.isfinite(st).any():
                st = st - np.nanmedian(st)
            peak = max(np.nanpercentile(st, 99.5) if np.isfinite(st).any() else 1.0, 5 * sig)
            a1.imshow(np.ma.masked_array(np.arcsinh(np.nan_to_num(st, nan=0.0) / (2 * sig)), mask=off),
                      origin="lower", cmap=grey, vmin=np.arcsinh(-1), vmax=np.arcsinh(peak / (2 * sig)),
                      interpolation="nearest")
            rgb = _colour_stamp(stamps, bands, slice(None), slice(None), stretch=max(peak / 2, 1e-6), q=8,
                                scales=scales, subtract_median=True)
            rgb[off] = to_rgb(NO_DATA_COLOUR)
            a2.imshow(rgb, origin="lower", interpolation="nearest")
        axes[2 * gi, 0].text(0.0, 1.05, name, transform=axes[2 * gi, 0].transAxes, fontsize=8, va="bottom")
    if edge:
        fig.text(0.99, 0.995, "magenta: no data (beyond the field or its chips' edges)", ha="right", va="top",
                 fontsize=7, color=NO_DATA_COLOUR)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.97 if title else 0.99, wspace=0.05, hspace=0.25)
    out = Path(path)
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png", dpi=90)
    return out
