"""Figures of ``starclass explain``: overlays per class, mean maps, radial profiles."""

from __future__ import annotations

import os

import matplotlib
import numpy as np
from astropy.table import Table
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from starclass.explain.maps import mean_over_data

# here, not in this module: the report's figures wrap their titles too, and report must not import
# explain (whose package imports torch)
from starclass.report.figures import (
    NO_DATA_COLOUR,
    SMALL_TEXT,
    bar_below,
    colours_of,
    fit_titles,
    map_top,
    new_figure,
    new_subplots,
    panel_width,
    wrap_title,
    zero_map_title,
)
from starclass.report.figures import save_png as report_png

__all__ = ["MAP_LABEL", "fig_mean_maps", "fig_overlays", "fig_profiles", "figure_title", "fit_titles", "save_png",
           "wrap_title"]


def figure_title(task: str, architecture: str | None, what: str) -> str:
    """The title of one of explain's figures: the task, its network where the task's name does not say it, and what.

    ``"{task}: {architecture}: mean maps"`` read "cool-core-compact: compact: mean maps" for a task named after
    its network: the network is named only where the task's name leaves it out, and the task is called one.

    Parameters
    ----------
    task
        The task's name (``cool-core-compact``).
    architecture
        The network (``compact``, ``starcnet``); None or ``"?"`` where unknown.
    what
        What the figure shows (``"mean maps per class"``).

    Returns
    -------
    str

    Examples
    --------
    >>> figure_title("cool-core-compact", "compact", "mean maps per class")
    'task cool-core-compact: mean maps per class'
    >>> figure_title("phangs", "starcnet", "radial profiles per class")
    'task phangs (starcnet network): radial profiles per class'
    """
    # "compact" is a word of "cool-core-compact": said once; "starcnet" is none of "phangs": said
    words = task.lower().replace("_", "-").split("-")
    said = bool(architecture) and architecture != "?" and architecture.lower() not in words
    return f"task {task}{f' ({architecture} network)' if said else ''}: {what}"


#: The colour bar of the maps drawn over the stamps (every map is scaled to a peak of 1 per stamp).
MAP_LABEL = "saliency (each map / its peak)"


#: The legend entry of those pixels, where a figure has any.
NO_DATA_LABEL = "no data in the input (NaN, filled for the network): map masked"

#: The caption of a mean-map figure whose maps are masked somewhere.
MEAN_NO_DATA_CAPTION = ("means over the stamps with data at each pixel (the maps are masked where their input had "
                        "none); magenta: no stamp had data there")


def save_png(fig: Figure, path: str | os.PathLike, dpi: int = 100, *, overwrite: bool = False) -> None:
    """Write a figure as PNG, atomically, and close it (figures are many; open ones hold memory).

    An existing file is refused unless ``overwrite``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> fig, ax = new_subplots()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "map.png"
    >>> save_png(fig, path)
    >>> path.exists()
    True
    """
    # the report's writer at explain's resolution: one place refuses, stages and closes
    report_png(fig, path, dpi=dpi, overwrite=overwrite)


def _stretch(img: np.ndarray) -> np.ndarray:
    # percentiles, not min/max: one saturated star or hot pixel would flatten the rest of the stamp
    lo, hi = np.nanpercentile(img, [1, 99.5])
    return np.clip((img - lo) / (hi - lo if hi > lo else 1.0), 0, 1)


def fig_overlays(images: np.ndarray, maps: np.ndarray, class_ref: np.ndarray, class_pred: np.ndarray,
                 names: dict[int, str], per_class: int, title: str, *, origin: str = "upper", method: str = "map",
                 no_data: np.ndarray | None = None) -> Figure:
    """One row per class: up to ``per_class`` stamps with the map over them (jet, 45 % opaque).

    The grid has as many columns as the most stamps shown of a class (at most ``per_class``):
    with few stamps it was ``per_class`` wide all the same, half of the figure empty.
    ``no_data`` (bool ``[N, H, W]``) marks pixels without data: drawn in :data:`NO_DATA_COLOUR`
    without map, and said so in a legend below the panels.

    Each panel is titled with the class names (``names``): the reference class and ``ok``, or
    ``-> <predicted class>``. ``origin`` is where row 0 of the arrays is drawn: ``"upper"``
    for cutout files (row 0 at the top, as the files and the report's gallery show them),
    ``"lower"`` for stamps cut from FITS mosaics (y up, as DS9 and ``starclass inspect``).
    A panel whose map is zero everywhere says so on a second line (``<method> zero everywhere``).

    Examples
    --------
    >>> f = fig_overlays(np.zeros((4, 8, 8)), np.zeros((4, 8, 8)), np.array([1, 1, 2, 2]),
    ...                  np.array([1, 2, 2, 2]), {1: "a", 2: "b"}, 2, "t")
    >>> len(f.axes)  # four panels and the colour bar
    5
    >>> len(fig_overlays(np.zeros((2, 8, 8)), np.zeros((2, 8, 8)), np.array([1, 2]), np.array([1, 2]),
    ...                  {1: "a", 2: "b"}, 6, "t").axes)  # one column for one stamp a class, not six
    3
    """
    key = np.where(np.asarray(class_ref) > 0, class_ref, class_pred)
    classes = [c for c in names if np.any(key == c)]
    shown = [min(per_class, int(np.sum(key == c))) for c in classes]
    ncol = max([1, *shown])
    panel_w, size = 1.7, 7
    titles: dict[tuple[int, int], str] = {}
    for i, c in enumerate(classes):
        for j, k in enumerate(np.flatnonzero(key == c)[:per_class]):
            pred = names.get(int(class_pred[k]), f"class {int(class_pred[k])}")
            ok = "" if class_ref[k] <= 0 else (" ok" if class_pred[k] == class_ref[k] else f" -> {pred}")
            titles[i, j] = zero_map_title(f"{names[c]}{ok}", maps[k], method)
    # room above each row for its longest title once wrapped (fit_titles wraps them as drawn)
    width = panel_width(panel_w * ncol, ncol)
    extra = max([wrap_title(t, width, size).count("\n") for t in titles.values()] or [0]) * size * 1.25 / 72
    fig, axes = new_subplots(max(1, len(classes)), ncol,
                             figsize=(panel_w * ncol, (1.9 + extra) * max(1, len(classes)) + 0.4), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    over = None
    masked = False
    for i, c in enumerate(classes):
        for j, k in enumerate(np.flatnonzero(key == c)[:per_class]):
            ax = axes[i, j]
            ax.imshow(_stretch(images[k]), cmap="gray", origin=origin)
            # a NaN pixel of the map is not drawn (matplotlib's "bad" colour is transparent)
            over = ax.imshow(maps[k], cmap="jet", alpha=0.45, origin=origin, vmin=0, vmax=1)
            if no_data is not None and np.any(no_data[k]):
                masked = True
                ax.imshow(np.ma.masked_where(~np.asarray(no_data[k], bool), np.ones(no_data[k].shape)),
                          cmap=ListedColormap([NO_DATA_COLOUR]), origin=origin, vmin=0, vmax=1)
            ax.set_title(titles[i, j], fontsize=size)
    fig.suptitle(wrap_title(title, panel_w * ncol, 10), fontsize=10)
    if over is not None:
        # without it the overlay's colours had no scale: the maps are 0..1 of each stamp's own peak
        bar = fig.colorbar(over, ax=axes.ravel().tolist(), shrink=0.8, pad=0.02)
        bar.set_label(MAP_LABEL, fontsize=SMALL_TEXT)
        bar.ax.tick_params(labelsize=SMALL_TEXT)
    if masked:
        # the legend says what the colour is: the fill the network saw there looked like sky in the grey stamp
        label = wrap_title(NO_DATA_LABEL, panel_w * ncol, 7)  # one column: the line was wider than the figure
        fig.legend(handles=[Patch(facecolor=NO_DATA_COLOUR, label=label)], loc="lower center",
                   fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fit_titles(fig)
    return fig


def fig_mean_maps(maps: dict[str, np.ndarray], groups: dict[int, np.ndarray], names: dict[int, str], title: str,
                  *, origin: str = "upper") -> Figure:
    """Rows: methods; columns: classes; each panel the class's mean map (own colour scale).

    ``origin`` as for :func:`fig_overlays`: the maps are drawn as their stamps are. A mean map
    that is zero everywhere (every map of the class is) says so in its title.

    Examples
    --------
    >>> f = fig_mean_maps({"cam": np.ones((2, 4, 4))}, {1: np.array([0]), 2: np.array([1])}, {1: "a", 2: "b"}, "t")
    >>> len(f.axes)
    2
    """
    methods, classes = list(maps), list(groups)
    # every panel placed in inches: a title (up to three lines once wrapped) above it, its colour bar and
    # the bar's label below it, then the next row. pyplot.subplots' default gaps drew "mean gradcam" over the
    # title of the row below, in every figure of more than one method; the bar's ticks and label at SMALL_TEXT
    # (8 pt; 6-7 until 2026-12-07) take 0.75 inches
    panel, above, below, column = 1.8, 0.55, 0.75, 2.3
    width = column * len(classes)
    head = 0.25 + 0.2 * (wrap_title(title, width, 10).count("\n") + 1)  # the suptitle's lines
    # maps NaN where their input had no data: a caption below the last row says how the means treat them
    masked = any(bool(np.isnan(maps[m][groups[c]]).any()) for m in methods for c in classes)
    caption = wrap_title(MEAN_NO_DATA_CAPTION, width, 7) if masked else ""
    foot = 0.15 * (caption.count("\n") + 1) + 0.1 if caption else 0.0
    height = head + len(methods) * (above + panel + below) + foot
    fig = new_figure(figsize=(width, height))
    axes = np.array([[fig.add_axes(((j * column + (column - panel) / 2) / width,
                                    (height - head - i * (above + panel + below) - above - panel) / height,
                                    panel / width, panel / height))
                      for j in range(len(classes))] for i in range(len(methods))])
    for i, m in enumerate(methods):
        for j, c in enumerate(classes):
            # over the stamps with data at each pixel (maps are NaN where their input had none)
            mean = mean_over_data(maps[m][groups[c]])
            ax = axes[i, j]
            # NaN (no stamp with data there) drawn apart: transparent, it read as the figure's white margin
            im = ax.imshow(mean, cmap=matplotlib.colormaps["inferno"].with_extremes(bad=NO_DATA_COLOUR), origin=origin,
                           vmin=0, vmax=map_top(np.nan_to_num(mean)))
            ax.set_title(zero_map_title(f"{m}\n{names.get(c, c)} (n={len(groups[c])})", np.nan_to_num(mean),
                                        "all maps"), fontsize=7)
            ax.axis("off")
            # each panel has its own scale: its own bar, else two panels' colours read as equal values
            bar_below(fig, ax, im, f"mean {m}")
    fig.suptitle(wrap_title(title, 2.3 * len(classes), 10), fontsize=10)
    if caption:
        fig.text(0.5, 0.05 / height, caption, ha="center", va="bottom", fontsize=7)
    fit_titles(fig)
    return fig


def fig_profiles(profiles: Table, names: dict[int, str], title: str) -> Figure:
    """One panel per method: the radial profile of each class's mean map.

    Examples
    --------
    >>> t = Table(rows=[("cam", 1, 0.5, 0.5, 1.0, 3)],
    ...           names=("method", "class", "radius_px", "radius_arcsec", "mean", "n_stamps"))
    >>> len(fig_profiles(t, {1: "a"}, "t").axes)
    1
    """
    methods = list(dict.fromkeys(str(m) for m in profiles["method"]))
    fig, axes = new_subplots(1, max(1, len(methods)), figsize=(3.4 * max(1, len(methods)), 3.0), squeeze=False)
    use_arcsec = len(profiles) and not np.allclose(profiles["radius_arcsec"], profiles["radius_px"])
    for ax, m in zip(axes[0], methods):
        sub = profiles[profiles["method"] == m]
        classes = list(dict.fromkeys(int(v) for v in sub["class"]))
        # each class in its colour of the report (matplotlib's cycle drew class 1 blue, the report's class 3)
        for c, col in zip(classes, colours_of([str(c) for c in classes]), strict=True):
            s = sub[sub["class"] == c]
            ax.plot(s["radius_arcsec"] if use_arcsec else s["radius_px"], s["mean"], label=names.get(c, str(c)),
                    color=col)
        ax.set_xlabel("radius [arcsec]" if use_arcsec else "radius [px]")
        ax.set_ylabel(f"mean {m}")
        # every map runs 0..1 (normalised, negatives cut): from 0 and without an offset, as the report's
        # profiles; a flat CAM profile of a 2 x 2 map was drawn from 0.60 to 0.80, and one flat to 1e-8
        # read "5 .. 8" under an offset
        ax.set_ylim(bottom=0)
        ax.ticklabel_format(axis="y", useOffset=False)
        ax.legend(fontsize=7)
    fig.suptitle(wrap_title(title, 3.4 * max(1, len(methods)), 10), fontsize=10)
    fig.tight_layout()
    return fig
