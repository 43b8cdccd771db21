"""Matplotlib figures of the report (each function returns a Figure drawn with Agg, in no pyplot state).

Every figure is a :class:`matplotlib.figure.Figure` of its own (:func:`new_figure`, :func:`new_subplots`),
never registered with pyplot: a notebook calling the report functions 20+ times got matplotlib's "More than
20 figures have been opened" warning, and the figures stayed in memory until ``plt.close``. Importing this
module no longer calls ``matplotlib.use("Agg")`` either, which changed pyplot's backend for the whole session.

Colours of the four classes follow the PHANGS DS9 convention (red, green, blue, yellow; the
yellow is darkened to read on white).
"""

from __future__ import annotations

import base64
import io
import os
import re
import sys
import textwrap
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from astropy.table import Table
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colorbar import Colorbar
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import LogFormatter, MaxNLocator
from matplotlib.transforms import Bbox, offset_copy

from starclass.errors import OutputExistsError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.schema import group_column, renamed_result_columns, unit_of
from starclass.science.colour import BOXES

if TYPE_CHECKING:
    from starclass.evaluate.curves import Curve

CLASS_COLOURS = {"1": "#d62728", "2": "#2ca02c", "3": "#1f77b4", "4": "#c9a400", "1+2": "#9467bd",
                 "3+4": "#7f7f7f", "1+2+3": "#8c564b"}


#: The size (pt) of a figure's small print: colour-bar labels and tick labels, the titles and legends of small
#: panels. The Grad-CAM figure (2 inches a column, shown at about 0.8 of that in the page) had its colour bar's tick
#: labels at 6 pt, which could not be read beside its 8-pt titles.
SMALL_TEXT = 8


def new_figure(**kwargs: object) -> Figure:
    """A figure of its own, drawn with Agg: pyplot neither keeps it open nor counts it.

    Parameters
    ----------
    **kwargs
        Passed to :class:`matplotlib.figure.Figure` (``figsize``, ``dpi``, ``layout``, ...).

    Returns
    -------
    matplotlib.figure.Figure
        The figure; it is freed with its last reference (no ``plt.close`` needed).

    Examples
    --------
    >>> fig = new_figure(figsize=(2, 1))
    >>> fig.get_size_inches().tolist(), type(fig.canvas).__name__
    ([2.0, 1.0], 'FigureCanvasAgg')
    """
    fig = Figure(**kwargs)
    # Agg, not the base canvas Figure() gets: place_grid and fit_titles measure text with its renderer
    FigureCanvasAgg(fig)
    return fig


def new_subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] | None = None,
                 layout: str | None = None, **kwargs: object) -> tuple[Figure, Any]:
    """:func:`matplotlib.pyplot.subplots` without pyplot: a figure of its own (:func:`new_figure`) and its panels.

    Parameters
    ----------
    nrows, ncols : int
        The grid of panels.
    figsize : tuple of float, optional
        The figure's size in inches.
    layout : str, optional
        The figure's layout engine (``"constrained"``).
    **kwargs
        Passed to :meth:`matplotlib.figure.Figure.subplots` (``squeeze``, ``sharex``, ``gridspec_kw``, ...).

    Returns
    -------
    tuple
        The figure and its axes (one, or an array as ``squeeze`` leaves it).

    Examples
    --------
    >>> fig, axes = new_subplots(1, 2, figsize=(4, 2), squeeze=False)
    >>> axes.shape, len(fig.axes)
    ((1, 2), 2)
    """
    fig = new_figure(figsize=figsize, layout=layout)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def _close(fig: Figure) -> None:
    # a figure a caller made with pyplot is closed as before; the module's own are in no pyplot state
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)


def colour_of(label: int | str) -> str:
    """The colour of a class label (PHANGS DS9 colours), dark grey for any other label.

    Examples
    --------
    >>> colour_of(1), colour_of("1+2"), colour_of("galaxy")
    ('#d62728', '#9467bd', '#333333')
    """
    return CLASS_COLOURS.get(str(label), "#333333")


#: Colour of the pixels without data (NaN in the cutout, off the mosaic) in explain's overlays and simulate's
#: gallery: apart from the grey stamps and the jet maps (here, so the simulator need not import explain's torch)
NO_DATA_COLOUR = "#ff00ff"

#: Colours for labels without a class colour (a task's own merged groups, a fifth class), none of
#: them one of :data:`CLASS_COLOURS` (matplotlib's tab10 without those).
_SPARE_COLOURS = ("#ff7f0e", "#17becf", "#e377c2", "#bcbd22", "#8c564b", "#7f7f7f", "#9467bd")


#: Colours of a task's own merged groups (``cluster``, ``non-cluster``): none of them a class's, nor a
#: spare one a fifth to seventh class takes, so that a merge's curve is not read as a class's.
_GROUP_COLOURS = ("#000000", "#a0522d", "#4b0082", "#708090")


def colours_of(labels: Sequence[int | str]) -> list[str]:
    """One colour per label, all different: the class colour where there is one, else a spare one.

    The binary merge of a task of its own (groups ``cluster`` and ``galaxy``) drew both curves
    in the one dark grey of an unknown label. A named group takes a colour of its own
    (:data:`_GROUP_COLOURS`): the five-class task's binary merge drew ``cluster`` in the orange of its
    class 5 (other).

    Examples
    --------
    >>> colours_of(["1", "2"]) == [CLASS_COLOURS["1"], CLASS_COLOURS["2"]]
    True
    >>> len(set(colours_of(["cluster", "galaxy", "5"])))
    3
    >>> colours_of(["cluster"])[0] in {*CLASS_COLOURS.values(), *colours_of(["1", "2", "3", "4", "5", "6", "7"])}
    False
    """
    labels = [str(k) for k in labels]
    spare = iter([c for c in _SPARE_COLOURS if c not in {CLASS_COLOURS.get(k) for k in labels}])
    group = iter(_GROUP_COLOURS)

    def one(k: str) -> str:
        if k in CLASS_COLOURS:
            return CLASS_COLOURS[k]
        if not k.lstrip("-").isdigit():
            return next(group, "#333333")
        return next(spare, "#333333")

    return [one(k) for k in labels]


#: Colours of the metric lines (purity, recall, F1; the reliability and deferral figures' lines, the ladder's rules):
#: none of them a class's, a spare one's or a merged group's (above), so that on a two-class page red no longer
#: means both "cluster" and "purity" (until 2026-12-07 the metrics took the red, blue and green of classes 1-3).
#: Okabe & Ito's bluish green and the IBM design palette's violet and magenta with Tol's wine: told apart with the
#: common colour-vision deficiencies, by lightness as well as hue; each at least 30 CIELAB units from every colour
#: above.
METRIC_PALETTE = ("#882255", "#009e73", "#785ef0", "#dc267f")

#: The metric each line of the threshold and trend figures draws, in its colour of :data:`METRIC_PALETTE`.
METRIC_COLOURS = dict(zip(("purity", "recall", "f1"), METRIC_PALETTE))

#: The dashes of a metric-palette line after the palette's first round (:func:`line_styles`).
LINE_DASHES = ("-", "--", ":", "-.")

#: The hatches of a metric-palette bar after the palette's first round, as :data:`LINE_DASHES` are of a line
#: (:func:`fig_agreement_bars`).
BAR_HATCHES = ("", "//", "..", "xx")


def line_styles(n: int) -> list[tuple[str, str]]:
    """A ``(colour, linestyle)`` for each of ``n`` lines drawn in :data:`METRIC_PALETTE`, every pair its own.

    The reliability and deferral figures zipped their lines with the four colours: a fifth line was silently
    not drawn. Past the palette the colours come round again, each round with the next of :data:`LINE_DASHES`
    (then again from the first: 16 lines before a pair repeats).

    Parameters
    ----------
    n : int
        How many lines.

    Returns
    -------
    list of tuple of str
        ``n`` pairs, in the palette's order.

    Examples
    --------
    >>> styles = line_styles(5)
    >>> len(styles), styles[0] == (METRIC_PALETTE[0], "-"), styles[4] == (METRIC_PALETTE[0], "--")
    (5, True, True)
    """
    k = len(METRIC_PALETTE)
    return [(METRIC_PALETTE[i % k], LINE_DASHES[(i // k) % len(LINE_DASHES)]) for i in range(n)]


#: The figures :func:`place_grid` placed: they fit their size, and :func:`png_bbox` saves them without a tight box.
#: A set, not a layout engine: matplotlib draws a figure that has one an extra time before saving it (for its
#: layout), half the time of the many-field mass-age figure that place_grid saves.
_PLACED: weakref.WeakSet[Figure] = weakref.WeakSet()


#: Space (inches) around each panel's labels and the figure's edge, as constrained layout's default pads (3 pt)
_GRID_PAD = 3 / 72

#: Space (inches) between a gallery's suptitle and the titles of its first row (:func:`room_for_suptitle`)
SUPTITLE_GAP = 6 / 72


def place_grid(fig: Figure, axes: np.ndarray, n: int, *, suptitle: Text | None = None) -> None:
    """Place a grid of panels (``axes``, rows x columns, the first ``n`` shown) as constrained layout would, once.

    The margins and the gaps between panels come from the labels of the first row's panels (the first, with the
    row's y label and tick labels; the second, an inner one; the last shown, whose tick labels may overhang its
    right edge) and from ``suptitle``, which goes at the top: every panel of a row is taken to carry the same
    labels as these (one font, one x label, titles of one line). Constrained layout measured every panel, at each
    draw (and a figure with a layout engine is drawn once more before it is saved): 40% of the time of the 16 LEGUS
    fields' mass-age figure (cProfile). The figure keeps its size and is saved without a tight box (:func:`png_bbox`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure without a layout engine, its content drawn.
    axes : numpy.ndarray
        Its panels, rows x columns (``new_subplots(..., squeeze=False)``).
    n : int
        How many panels (in row order) are shown; the others are hidden.
    suptitle : matplotlib.text.Text, optional
        The figure's title, put at the top edge (less the pad).

    Examples
    --------
    >>> fig, axes = new_subplots(2, 2, figsize=(6, 5), squeeze=False, sharey=True)
    >>> for ax in axes.flat:
    ...     _ = ax.plot([0, 1], [2, 3]); _ = ax.set_title("panel", fontsize=9); _ = ax.set_xlabel("x")
    >>> _ = axes[0, 0].set_ylabel("y")
    >>> place_grid(fig, axes, 4, suptitle=fig.suptitle("title"))
    >>> box = axes[0, 0].get_position()
    >>> bool(0.05 < box.x0 < 0.2), bool(box.x1 < axes[0, 1].get_position().x0), fig.get_size_inches().tolist()
    (True, True, [6.0, 5.0])
    """
    rows, cols = axes.shape
    width, height = fig.get_size_inches()
    shown = max(1, min(n, cols))
    # a first placement with typical margins: the ticks (hence their labels) depend on the panels' size
    fig.subplots_adjust(left=0.6 / width, right=1 - 0.1 / width, bottom=0.5 / height, top=1 - 0.6 / height,
                        wspace=0.05, hspace=0.3)
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi

    def sticks_out(ax: Axes) -> tuple[float, float, float, float]:
        """How far (inches) a panel's labels reach beyond it: left, bottom, right, top."""
        tight, inner = ax.get_tightbbox(renderer), ax.get_window_extent(renderer)
        return tuple(max(0.0, v) / dpi for v in (inner.x0 - tight.x0, inner.y0 - tight.y0, tight.x1 - inner.x1,
                                                 tight.y1 - inner.y1))

    title_h = 0.0
    if suptitle is not None:
        # wrapped to the figure's width: one field's mass-age figure (3.4 in) cut its 5-inch title off at both
        # edges ("mass vs age per field, with its mass-complete"), the PNG being saved at the figure's size
        fit_text_width(suptitle, width - 2 * _GRID_PAD, renderer)
        suptitle.set_y(1 - _GRID_PAD / height)
        suptitle.set_verticalalignment("top")
        title_h = suptitle.get_window_extent(renderer).height / dpi + 2 * _GRID_PAD
    placed = None
    # measured again after placing: panels of another height may get other ticks (2.5, 3.0, ... for 3, 4, ...),
    # whose labels are wider; one row of panels cut its y label off with one measurement
    # panels sharing x (fig_mass_age) label it only under the lowest panel of a column: the first row may have
    # none, the last panel shown always has them; an inner row needs room for them only where a panel of it has
    # no panel below (the last row not full)
    low_ax = axes.flat[min(n, axes.size) - 1] if rows > 1 else None
    row_0 = {id(axes[0, 0]): 0, id(axes[0, 1 if shown > 1 else 0]): 1, id(axes[0, shown - 1]): 2}
    for _ in range(3):
        first = sticks_out(axes[0, 0])
        inner = sticks_out(axes[0, 1]) if shown > 1 else first
        last = sticks_out(axes[0, shown - 1]) if shown > 2 else inner
        # measured with the others, and in the test of the placement's end: measured once before the placement and
        # not again, its labels' reach (tick labels of a panel narrowed or widened by it) was not what it became, and
        # a lowest panel's rotated tick labels were cut off at the figure's bottom edge; a panel of the first row (a
        # grid of more rows than shown) is not measured twice
        if low_ax is None:
            lowest = 0.0
        elif id(low_ax) in row_0:
            lowest = (first, inner, last)[row_0[id(low_ax)]][1]
        else:
            lowest = sticks_out(low_ax)[1]
        measured = tuple(round(v, 3) for v in (*first, *inner, *last, lowest))
        if measured == placed:
            break
        row_out, top_out = max(first[1], inner[1], last[1]), max(first[3], inner[3], last[3])
        bottom_out = max(row_out, lowest)
        left = _GRID_PAD + first[0]
        right = _GRID_PAD + last[2]
        top = _GRID_PAD + title_h + top_out
        bottom = _GRID_PAD + bottom_out
        gap_w = 2 * _GRID_PAD + max(first[2], inner[2]) + inner[0]
        gap_h = 2 * _GRID_PAD + (bottom_out if n % cols else row_out) + top_out
        panel_w = (width - left - right - (cols - 1) * gap_w) / cols
        panel_h = (height - top - bottom - (rows - 1) * gap_h) / rows
        fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                            top=1 - top / height, wspace=gap_w / panel_w, hspace=gap_h / panel_h)
        placed = measured
    _PLACED.add(fig)


def png_bbox(fig: Figure) -> str | None:
    """The ``bbox_inches`` to save ``fig`` with: None for a figure laid out to fit its size, else ``"tight"``.

    A tight box is found by drawing the figure once more before it is drawn into the PNG; constrained layout and
    :func:`place_grid` have already fitted every label inside the figure, so there the box only trimmed a few
    pixels of margin, and cost 20-25% of the many-field mass-age figure's 2-3 s (measured, 16 LEGUS fields).

    Examples
    --------
    >>> fig, axes = new_subplots(1, 2, squeeze=False)
    >>> place_grid(fig, axes, 2)
    >>> png_bbox(new_figure(layout="constrained")), png_bbox(new_figure()), png_bbox(fig)
    (None, 'tight', None)
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return None if fig in _PLACED or isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine) else "tight"


def png_box(fig: Figure, dpi: float) -> Bbox | str | None:
    """The ``bbox_inches`` to save ``fig`` at ``dpi`` with: :func:`png_bbox`'s, its tight box measured here.

    ``savefig(bbox_inches="tight")`` lays the figure out three times: a draw with drawing switched off, the
    tight box measured (every tick and text laid out again), then the draw into the PNG. Measured here, on the
    renderer ``savefig`` would draw with (the figure at ``dpi``) and padded as ``savefig`` pads it
    (``savefig.pad_inches``), the box is the same without the first pass, and the PNG is the same, byte for byte
    (every figure of an ``evaluate`` of the demo's catalogue: ``benchmarks/evaluate_stages.py``): a quarter of
    the time of drawing evaluate's figures, which was half of the command's. A figure with a layout engine is
    left to ``savefig`` (its first pass runs the engine), as is one of pyplot's.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save, drawn with Agg (:func:`new_figure`).
    dpi : float
        The resolution it will be saved at.

    Returns
    -------
    matplotlib.transforms.Bbox or str or None
        The padded tight box in inches; None (the figure's own size) or ``"tight"`` where :func:`png_bbox`
        says so and the box cannot be measured here.

    Examples
    --------
    >>> fig, ax = new_subplots(figsize=(3, 2))
    >>> _ = ax.set_title("a title")
    >>> box = png_box(fig, 85)
    >>> bool(box.width < 3.5 and box.height < 2.5)
    True
    >>> buf = io.BytesIO(); fig.savefig(buf, format="png", dpi=85, bbox_inches="tight")
    >>> buf.getvalue() == base64.b64decode(to_png_base64(fig))
    True
    >>> png_box(new_figure(layout="constrained"), 85) is None
    True
    """
    bbox = png_bbox(fig)
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    # a figure of pyplot's (another canvas, maybe a HiDPI one) is left to savefig, as one with a layout engine; the
    # placeholder fig.tight_layout() leaves behind lays nothing out (fig_by_group)
    engine = fig.get_layout_engine()
    if (bbox != "tight" or not (engine is None or isinstance(engine, PlaceHolderLayoutEngine))
            or type(fig.canvas) is not FigureCanvasAgg):
        return bbox
    shown = fig.dpi
    fig.dpi = dpi  # as savefig sets it while it measures and draws
    try:
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.dpi = shown
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


def to_png_base64(fig: Figure, dpi: int = 85) -> str:
    """Render a figure as base64 PNG (a figure made with pyplot is closed).

    Examples
    --------
    >>> fig, ax = new_subplots(figsize=(1, 1))
    >>> base64.b64decode(to_png_base64(fig))[1:4]
    b'PNG'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=png_box(fig, dpi))
    _close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def save_png(fig: Figure, path: str | os.PathLike, dpi: int = 110, *, overwrite: bool = False) -> None:
    """Write a figure as PNG, atomically (a figure made with pyplot is closed).

    An existing file is refused unless ``overwrite`` (a notebook's second figure of the same name
    replaced the first without a word).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "confusion.png"
    >>> fig = fig_confusion(np.array([[5, 1], [2, 4]]), np.array([[0.83, 0.17], [0.33, 0.67]]),
    ...                     ["cluster", "non-cluster"], "truth vs prediction")
    >>> save_png(fig, path)
    >>> path.stat().st_size > 1000
    True
    """
    target = Path(path)
    if target.exists() and not overwrite:
        _close(fig)
        raise OutputExistsError(exists_refusal(target), target)
    with atomic_path(target, suffix=".png") as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, bbox_inches=png_box(fig, dpi))
    _close(fig)




def confusion_axis(role: str, name: str | None = None) -> str:
    """How a confusion figure names an axis: its role, with the catalogue or column behind it in brackets.

    The metrics' confusion figures of a cutout report were labelled with the bare column names
    (``class_pred``, ``class_ref``) where the demo's said "prediction" and the reference's name;
    every confusion figure now says ``prediction (...)`` on x and ``reference (...)`` on y.

    Examples
    --------
    >>> confusion_axis("reference", "class_ref"), confusion_axis("prediction", "prediction")
    ('reference (class_ref)', 'prediction')
    """
    return role if not name or name == role else f"{role} ({name})"


def fig_confusion(counts: np.ndarray | None, fractions: np.ndarray, names: list[str], title: str,
                  xlabel: str = "prediction", ylabel: str = "reference") -> Figure:
    """Row-normalised confusion matrix with the counts written in each cell and a colour bar of the fractions.

    Examples
    --------
    >>> fig = fig_confusion(np.array([[5, 1], [2, 4]]), np.array([[0.83, 0.17], [0.33, 0.67]]),
    ...                     ["cluster", "non-cluster"], "truth vs prediction")
    >>> sorted(t.get_text() for t in fig.axes[0].texts)[:2], fig.axes[0].get_ylabel()
    (['0.17\\n(1)', '0.33\\n(2)'], 'reference')
    >>> fig.axes[1].get_ylabel()
    'fraction of the row'
    """
    k = len(names)
    fig, ax = new_subplots(figsize=(1.1 * k + 2.0, 1.0 * k + 1.6))
    im = ax.imshow(fractions, cmap="Blues", vmin=0, vmax=1)
    # the shading read without a scale where the cells carry no counts (the human and symmetric figures)
    bar = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    bar.set_label("fraction of the row", fontsize=SMALL_TEXT)
    bar.ax.tick_params(labelsize=SMALL_TEXT)
    for i in range(k):
        for j in range(k):
            f = fractions[i, j]
            txt = f"{f:.2f}\n({int(counts[i, j])})" if counts is not None else f"{f:.2f}"
            ax.text(j, i, txt, ha="center", va="center", fontsize=9, color="white" if f > 0.55 else "black")
    # class names ("2 asymmetric cluster") wrapped to their column's width, not run into the next
    ticks = [textwrap.fill(str(n), 14, break_long_words=False, break_on_hyphens=False) for n in names]
    ax.set_xticks(range(k), ticks, fontsize=8 if max(map(len, names), default=0) > 12 else 10)
    ax.set_yticks(range(k), ticks, fontsize=8 if max(map(len, names), default=0) > 12 else 10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    return fig


def shown_name(label: int | str, names: dict[str, str] | None = None) -> str:
    """How a figure names class (or merged group) ``label``: ``names[label]``, else ``class <label>``.

    Examples
    --------
    >>> shown_name(1, {"1": "1 cluster"}), shown_name("1+2"), shown_name("galaxy")
    ('1 cluster', 'class 1+2', 'galaxy')
    """
    if str(label) in (names or {}):
        return names[str(label)]
    # a merged group a task names itself ("cluster") is its own name, not "class cluster"
    return f"class {label}" if str(label).replace("+", "").isdigit() else str(label)


def fig_curves(roc: Sequence[Curve], pr: Sequence[Curve], title: str,
               names: dict[str, str] | None = None) -> Figure:
    """One-vs-rest ROC (left) and precision-recall (right) curves.

    ``names`` (label -> shown name, :func:`shown_name`) names the curves in the legends.

    Examples
    --------
    >>> from starclass.evaluate.curves import one_vs_rest
    >>> ref, probs = np.array([1, 1, 2, 2]), np.array([[0.9, 0.1], [0.4, 0.6], [0.6, 0.4], [0.2, 0.8]])
    >>> roc, pr, _ = one_vs_rest(ref, probs, "2class", (1, 2), groups={"1": (1,), "2": (2,)})
    >>> fig = fig_curves(roc, pr, "two classes")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]  # AUC 3/4: one pair of four misordered
    ['class 1 (AUC 0.75)', 'class 2 (AUC 0.75)']
    """
    fig, (a, b) = new_subplots(1, 2, figsize=(9, 3.8))
    colour = dict(zip([str(c.label) for c in roc], colours_of([c.label for c in roc])))
    for c in roc:
        a.plot(c.x, c.y, color=colour[str(c.label)], label=f"{shown_name(c.label, names)} (AUC {c.area:.2f})")
    a.plot([0, 1], [0, 1], ls=":", color="grey")
    a.set_xlabel("false positive rate")
    a.set_ylabel("true positive rate")
    a.set_title("ROC, one vs rest", fontsize=10)
    curves_legend(a)
    for c in pr:
        b.plot(c.x, c.y, color=colour[str(c.label)], label=f"{shown_name(c.label, names)} (AP {c.area:.2f})")
        b.axhline(c.n_pos / (c.n_pos + c.n_neg), color=colour[str(c.label)], ls=":", lw=0.8)
    b.set_xlabel("recall")
    b.set_ylabel("precision (purity)")
    b.set_title("precision-recall (dotted: chance)", fontsize=10)
    curves_legend(b)
    fig.suptitle(title, fontsize=11)
    return fig


def curves_legend(ax: Axes) -> Legend:
    """The legend of a curves panel under it, below its x label, where it covers no curve.

    Inside the panel ("best") a four- or five-class legend covered half of the ROC curves of a weak model, which
    run along the diagonal through every corner (until 2026-12-07); the page's PNG is saved with a tight box, which
    takes the legend in.

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> _ = ax.plot([0, 1], [0, 1], label="class 1"); _ = ax.set_xlabel("recall")
    >>> curves_legend(ax).get_bbox_to_anchor() is not None
    True
    """
    # the anchor below the x label, in points from the axes' bottom edge (the tick and axis labels' height); one
    # column: the names of a PHANGS task ("2 asymmetric compact cluster (AUC 0.49)") in two ran into the next panel's
    anchor = offset_copy(ax.transAxes, fig=ax.figure, y=-30, units="points")
    return ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=anchor, frameon=False)


def fig_score_cdf(dists: dict[int, np.ndarray], title: str, names: dict[str, str] | None = None,
                  n_classes: int | None = None) -> Figure:
    """Cumulative distribution of the score of the predicted class, per predicted class.

    ``names`` (class -> shown name, :func:`shown_name`) names the lines in the legend. ``n_classes``
    (the task's number of classes K) starts the x axis at 1/K or the lowest score, whichever is lower
    (:func:`score_limits`): the top score of K classes is never below 1/K.

    Examples
    --------
    >>> fig = fig_score_cdf({1: np.array([0.6, 0.9]), 2: np.array([0.7])}, "scores")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['class 1 (n=2)', 'class 2 (n=1)']
    """
    fig, ax = new_subplots(figsize=(5, 3.6))
    for (k, s), col in zip(dists.items(), colours_of(dists)):
        # a class predicted once is one point, which a step line does not draw: its marker (a five-class page's
        # "2 high-z cluster (n=1)" was named in the legend and drawn nowhere, 2026-12-07)
        ax.step(s, np.arange(1, len(s) + 1) / len(s), where="post", color=col,
                label=f"{shown_name(k, names)} (n={len(s)})", marker="o" if len(s) == 1 else None, markersize=4,
                clip_on=len(s) > 1)  # its point is at cumulative fraction 1, the top edge: drawn whole
    # a weak model's scores in a narrow band (0.25-0.30 of four classes) drew steps one pixel wide at 0..1; a
    # two-class task's, never under 0.5, left the axis's left half empty, and a four-class task's its first quarter
    if zoom_to_scores(ax, np.concatenate([np.asarray(s, float) for s in dists.values()]) if dists
                      else np.array([]), from_lowest=True, n_classes=n_classes) is None:
        ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("score of the predicted class")
    ax.set_ylabel("cumulative fraction")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    if legend_covers(ax, renderer):
        # "best" weighs neither the zoom note at lower right (the demo's four-class CDF read "...lies there" from
        # under it) nor the steps as drawn: it reads a step line's corners joined straight, and put a five-class
        # task's legend on the corner of a step (2026-12-07). The first place clear of both, else beside the panel
        for loc in ("upper left", "lower right", "center right", "upper center", "center left", "lower center"):
            ax.legend(fontsize=8, loc=loc)
            if not legend_covers(ax, renderer):
                break
        else:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    # a title naming its reference ("... per predicted class (reference ngc1566_humans)", a page of several) ran
    # past the figure's edges: broken where it would, centred on the panel, leave the figure (the panel's own
    # width broke the one-reference title, which fits, in two)
    box = ax.get_window_extent(renderer)
    centre = (box.x0 + box.x1) / 2 / fig.dpi
    fit_text_width(ax.title, 2 * min(centre, fig.get_figwidth() - centre) - 0.1, renderer)
    return fig


def legend_covers(ax: Axes, renderer: RendererBase) -> bool:
    """Whether ``ax``'s legend covers any of its lines as drawn (steps as steps) or its notes (texts of gid "note").

    matplotlib's ``loc="best"`` reads a line's points joined straight, whatever its draw style: a step line
    (``ax.step``) turns in corners it does not see.

    Examples
    --------
    The step rises at x = 0.5, under a legend in the centre, which the straight line from (0, 0.2) to (0.5, 0.9)
    passes by:

    >>> fig, ax = new_subplots()
    >>> _ = ax.step([0.0, 0.5], [0.2, 0.9], where="post", label="a"); _ = ax.set_xlim(0, 1); _ = ax.set_ylim(0, 1)
    >>> _ = ax.legend(loc="center")
    >>> legend_covers(ax, fig.canvas.get_renderer())
    True
    >>> _ = ax.legend(loc="upper left")
    >>> legend_covers(ax, fig.canvas.get_renderer())
    False
    """
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path as MplPath

    legend = ax.get_legend()
    if legend is None:
        return False
    box = legend.get_window_extent(renderer)
    for line in ax.lines:
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        if not line.get_visible() or x.size == 0:
            continue
        xs, ys = STEP_LOOKUP_MAP.get(line.get_drawstyle(), STEP_LOOKUP_MAP["default"])(x, y)
        drawn = line.get_transform().transform(np.column_stack([xs, ys]))
        drawn = drawn[np.isfinite(drawn).all(axis=1)]
        if len(drawn) == 1 and box.contains(*drawn[0]):
            return True
        if len(drawn) > 1 and MplPath(drawn).intersects_bbox(box, filled=False):
            return True
    return any(box.overlaps(t.get_window_extent(renderer)) for t in ax.texts if t.get_gid() == "note")


#: A score CDF whose scores span less than this (of the 0..1 axis) is drawn zoomed on them (:func:`score_limits`)
NARROW_SCORES = 0.3

#: Scores of the predicted class that all lie above this leave the left of a 0..1 axis empty: the score CDF is
#: drawn from just below the lowest (:func:`score_limits`' ``from_lowest``), and so is the reliability diagram whose
#: rows all have a top-class confidence above it (:func:`fig_reliability`). A two-class task's are never under 0.5.
EMPTY_BELOW = 0.45


def score_limits(scores: np.ndarray, *, from_lowest: bool = False,
                 n_classes: int | None = None) -> tuple[float, float]:
    """The x limits of a score CDF: 0..1, or where the scores span less than :data:`NARROW_SCORES`, around them.

    The zoomed limits reach 10% of the span (at least 0.01) beyond the lowest and highest scores,
    on a grid of 0.01, within 0..1. With ``from_lowest``, scores that all lie above :data:`EMPTY_BELOW`
    (those of the predicted class of a two-class task, never under 0.5) are zoomed on in the same way,
    however far they spread: the axis no longer starts at 0, half of it empty. With ``from_lowest`` and
    ``n_classes`` (K, the task's number of classes), scores spread more widely start the axis at
    1/K or just below the lowest score, whichever is lower, on the same grid: the top score of K
    classes is never below 1/K, so the axis below it is always empty.

    Examples
    --------
    >>> score_limits(np.array([0.55, 0.9]))
    (0.0, 1.0)
    >>> score_limits(np.array([0.25, 0.27, 0.30]))
    (0.24, 0.31)
    >>> score_limits(np.array([0.5, 0.8, 1.0]), from_lowest=True)
    (0.45, 1.0)
    >>> score_limits(np.array([0.3, 0.7, 0.98]), from_lowest=True, n_classes=4)  # never below 1/4
    (0.25, 1.0)
    >>> score_limits(np.array([0.3, 0.7, 0.98]), from_lowest=True, n_classes=3)  # 0.3 is below 1/3
    (0.29, 1.0)
    """
    s = np.asarray(scores, float)
    s = s[np.isfinite(s)]
    if len(s) == 0:
        return 0.0, 1.0
    margin = max(0.1 * float(s.max() - s.min()), 0.01)
    hi = min(1.0, np.ceil((float(s.max()) + margin) * 100 - 1e-9) / 100)
    if s.max() - s.min() >= NARROW_SCORES and not (from_lowest and s.min() >= EMPTY_BELOW):
        if not (from_lowest and n_classes and n_classes >= 2):
            return 0.0, 1.0
        # the floor 1/K itself where every score lies above it (0.33 of three classes, not 0.32); a score at or
        # under it keeps a step's width of room (0.01), as the narrow band does, not its 10% of a wide span
        lo = max(0.0, np.floor(min(1.0 / n_classes, float(s.min()) - 0.01) * 100 + 1e-9) / 100)
        return (0.0, 1.0) if lo <= 0.0 else (round(float(lo), 2), round(float(hi), 2))
    lo = max(0.0, np.floor((float(s.min()) - margin) * 100 + 1e-9) / 100)
    return round(float(lo), 2), round(float(hi), 2)


def zoom_note(lo: float, hi: float) -> str:
    """The note of a panel whose score axis is zoomed (:func:`zoom_to_scores`), in one wording for every panel.

    Examples
    --------
    >>> zoom_note(0.24, 0.31)
    'x axis zoomed to 0.24-0.31:\\nevery score lies there'
    """
    return f"x axis zoomed to {lo:.2f}-{hi:.2f}:\nevery score lies there"


def zoom_to_scores(ax: Axes, scores: np.ndarray, *, reach: Sequence[float] = (),
                   corner: str = "lower right", from_lowest: bool = False,
                   n_classes: int | None = None) -> tuple[float, float] | None:
    """Zoom the score (x) axis of ``ax`` to ``scores`` where they lie in a narrow band, saying so in the panel.

    The limits are :func:`score_limits`', widened to take in each value of ``reach`` (a marked
    threshold, room for a shaded span); the note (:func:`zoom_note`, gid "note") sits in
    ``corner`` ("lower right" or "upper right"). Nothing changes where the scores spread over the
    axis (None is returned: the caller keeps its limits). ``from_lowest`` zooms on scores that all lie
    above :data:`EMPTY_BELOW` too, and with ``n_classes`` (K) on those of a K-class task from 1/K or
    its lowest score (:func:`score_limits`).

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> zoom_to_scores(ax, np.array([0.25, 0.27, 0.30]))
    (0.24, 0.31)
    >>> zoom_to_scores(ax, np.array([0.25, 0.30]), reach=[0.4])  # room for a span out to 0.4
    (0.24, 0.4)
    >>> zoom_to_scores(ax, np.array([0.2, 0.9])) is None
    True
    """
    lo, hi = score_limits(scores, from_lowest=from_lowest, n_classes=n_classes)
    if (lo, hi) == (0.0, 1.0):
        return None
    for v in reach:
        lo = min(lo, round(float(np.floor(v * 100 + 1e-9) / 100), 2))
        hi = max(hi, round(float(np.ceil(v * 100 - 1e-9) / 100), 2))
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    ax.set_xlim(lo, hi)
    top = corner == "upper right"
    ax.text(0.98, 0.96 if top else 0.04, zoom_note(lo, hi), transform=ax.transAxes, ha="right",
            va="top" if top else "bottom", fontsize=7, color="#444444", gid="note")
    # the default locator put ten labels of five digits (0.250, 0.275, ...) into one another
    ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
    return lo, hi


def fig_by_group(tab: Table, column: str, title: str) -> Figure:
    """Accuracy per group with its interval (horizontal bars), the pooled accuracy as a line.

    The axis names the interval the table's ``interval_note`` says it is (Wilson's, or the
    bootstrap's over whole objects); a table without one has Wilson's.

    Examples
    --------
    >>> from astropy.table import Table
    >>> tab = Table({"group": ["a", "b", "(all)"], "n": [10, 20, 30], "accuracy": [0.9, 0.6, 0.7],
    ...              "accuracy_lo": [0.6, 0.39, 0.52], "accuracy_hi": [0.98, 0.78, 0.83]})
    >>> fig = fig_by_group(tab, "field", "accuracy per field")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.axes[0].get_legend().get_texts()[0].get_text()
    (['a (n=10)', 'b (n=20)'], 'all: 0.700')
    >>> fig.axes[0].get_xlabel()
    'accuracy (95% Wilson interval)'
    >>> tab.meta["interval_note"] = "95% bootstrap interval, 200 resamples of the 20 objects (object_id) drawn whole"
    >>> fig = fig_by_group(tab, "field", "accuracy per field")
    >>> fig.axes[0].get_xlabel()
    'accuracy (95% bootstrap interval over the 20 objects)'
    """
    rows = [r for r in tab if r["group"] != "(all)"]
    fig, ax = new_subplots(figsize=(5.5, 0.9 + 0.32 * max(len(rows), 1)))
    y = np.arange(len(rows))
    acc = np.array([float(r["accuracy"]) for r in rows])
    # rounding leaves -1e-16 where the interval ends at the accuracy itself (all right or all wrong)
    err = np.clip(np.array([[a - float(r["accuracy_lo"]), float(r["accuracy_hi"]) - a]
                            for a, r in zip(acc, rows)]).T.reshape(2, -1), 0.0, None)
    ax.barh(y, acc, xerr=err, color="#1f77b4", alpha=0.7, error_kw={"lw": 0.8})
    ax.set_yticks(y, [f"{r['group']} (n={int(r['n'])})" for r in rows], fontsize=8)
    ax.invert_yaxis()
    pooled = [float(r["accuracy"]) for r in tab if r["group"] == "(all)"]
    if pooled:
        ax.axvline(pooled[0], color="black", ls="--", lw=0.8, label=f"all: {pooled[0]:.3f}")
        ax.legend(fontsize=8, loc="lower left")
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(f"accuracy ({_interval_said(tab.meta.get('interval_note'))})")
    ax.set_ylabel(column)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def _interval_said(note: str | None) -> str:
    """A --by table's accuracy interval in a few words, for an axis: its ``interval_note`` up to the resamples."""
    if not note:
        return "95% Wilson interval"
    m = re.match(r"(\d+% bootstrap interval), \d+ resamples of the (.+?)( \(.*\))? drawn whole$", note)
    if m:
        return f"{m.group(1)} over the {m.group(2)}"
    return "no interval" if note.startswith("no interval") else note


#: The limits of an axis of fractions (purity, recall, F1, agreement, accuracy) drawn as points or lines: a margin
#: beyond 0 and 1, so that a point at 0 or 1 shows whole (at 0..1.02 a bin of agreement 0 was half a marker
#: on the axis' edge, until 2026-12-07)
FRACTION_LIMITS = (-0.06, 1.06)


def fraction_axis(ax: Axes, which: str = "y") -> None:
    """Give ``ax``'s ``which`` axis ("x" or "y") of fractions the limits :data:`FRACTION_LIMITS`, ticks 0..1 only.

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> fraction_axis(ax)
    >>> [round(float(v), 2) for v in ax.get_ylim()], ax.get_yticks().tolist()
    ([-0.06, 1.06], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    """
    if which == "y":
        ax.set_ylim(*FRACTION_LIMITS)
        ax.set_yticks(np.round(np.linspace(0.0, 1.0, 6), 1))
    else:
        ax.set_xlim(*FRACTION_LIMITS)
        ax.set_xticks(np.round(np.linspace(0.0, 1.0, 6), 1))


#: The left axis of the threshold and trend figures: the three curves share it, and the right
#: axis of the trend figures (counts) has its own label, so an unlabelled left one read as counts too.
SELECTION_SCORES = "purity, recall, F1"


def fig_threshold(scan: Table | Mapping[str, np.ndarray], chosen: dict | None, title: str,
                  xlabel: str = "threshold on the cluster score",
                  note: str | None = None) -> Figure:
    """Purity, recall and F1 against threshold (with the chosen threshold marked).

    The chosen threshold is a dashed line named in the legend, which sits beside the panel;
    ``note`` (why no threshold is marked, e.g. none reaches the target purity) is written under
    the axis label: a class never scored high drew three flat lines at 0 with nothing saying
    why. Both were drawn inside the panel, over the curves (2026-12-04).

    Examples
    --------
    >>> scan = {"threshold": np.array([0.2, 0.5, 0.8]), "purity": np.array([0.5, 0.7, 0.9]),
    ...         "recall": np.array([1.0, 0.6, 0.2]), "f1": np.array([0.67, 0.65, 0.33])}
    >>> fig = fig_threshold(scan, {"threshold": 0.8, "purity": 0.9}, "class 1 vs rest")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][-1]
    'chosen 0.800 (purity 0.90)'
    """
    fig, ax = new_subplots(figsize=(5.5, 3.6))
    thr = np.asarray(scan["threshold"])
    for c, col in METRIC_COLOURS.items():
        v = np.ma.masked_array(np.asarray(scan[c]), np.ma.getmaskarray(scan[c]))
        ax.plot(thr, v, color=col, label=c)
    if chosen:
        shown = chosen.get("shown", f"{chosen['threshold']:.3f}")
        ax.axvline(chosen["threshold"], color="black", ls="--", lw=0.8, label=f"chosen {shown} "
                                                                            f"(purity {chosen['purity']:.2f})")
    empty = nothing_selected_from(scan)
    left, right = float(thr.min()), float(thr.max())
    seen = scan_score_range(scan)
    if seen is not None and score_limits(np.array(seen)) != (0.0, 1.0):
        # every score in a narrow band (a weak model's 0.25-0.30) squeezed the whole change of the curves into a
        # tenth of the axis: zoomed as the score CDF is, with room for the marked threshold and for the thresholds
        # no object reaches to fill a third of the panel (a sliver of shade at the edge said nothing)
        reach = [float(chosen["threshold"])] if chosen else []
        if empty is not None:
            reach.append(min(right, empty + 0.5 * (empty - score_limits(np.array(seen))[0])))
        zoomed = zoom_to_scores(ax, np.array(seen), reach=reach,
                                corner="upper right" if empty is not None else "lower right")
        if zoomed is not None:
            left, right = zoomed[0], min(right, zoomed[1])
    if empty is not None:
        # a weak model's scores all lie below some threshold: beyond it the curves are flat at 0 (purity
        # undefined), which read as measured; the span says why
        ax.axvspan(empty, max(float(thr.max()), empty), color="grey", alpha=0.15, lw=0,
                   label=f"no score >= {empty:.2f}:\nnothing selected")
        # the share of the panel (zoomed or not) the shaded thresholds take: a sliver has no room for words
        span = (right - empty) / max(right - left, 1e-12)
        if span >= 0.25:
            ax.text(0.5 * (empty + right), 0.5, f"no object scores\n{empty:.2f} or more:\nnothing selected",
                    ha="center", va="center", fontsize=8, color="#444444", gid="note")
    fraction_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(SELECTION_SCORES)
    ax.set_title(title, fontsize=10)
    # beside the panel, not over it: "best" placement still covered a curve when all three span 0..1
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    if note and not chosen:
        # under the x label (however many lines it has), wrapped to the panel's width
        ax.annotate(wrap_title(note, 4.2, 8), xy=(0.5, 0.0), xycoords=ax.xaxis.label, xytext=(0, -6),
                    textcoords="offset points", ha="center", va="top", fontsize=8, color="#444444")
    return fig


def nothing_selected_from(scan: Table | Mapping[str, np.ndarray]) -> float | None:
    """The lowest threshold of a scan from which on no object is selected (``n_selected`` 0); None if none is.

    Examples
    --------
    >>> nothing_selected_from({"threshold": np.array([0.1, 0.3, 0.5, 0.7]), "n_selected": np.array([9, 4, 0, 0])})
    0.5
    >>> nothing_selected_from({"threshold": np.array([0.1, 0.3]), "n_selected": np.array([9, 4])}) is None
    True
    """
    if "n_selected" not in (scan.colnames if isinstance(scan, Table) else scan):
        return None
    thr = np.asarray(scan["threshold"], float)
    some = np.flatnonzero(np.asarray(np.ma.filled(np.ma.masked_array(scan["n_selected"]), 0)) > 0)
    last = int(some.max()) if len(some) else -1
    return float(thr[last + 1]) if last + 1 < len(thr) else None


def scan_score_range(scan: Table | Mapping[str, np.ndarray]) -> tuple[float, float] | None:
    """The thresholds of a scan between which its selection changes: the scores it sees lie in between.

    From the first threshold that selects fewer objects than the lowest one (some score lies just
    below it) to the first that selects none (:func:`nothing_selected_from`; the top of the scan,
    1.0, where some object reaches every threshold); from 0 where a true object (``fn`` at the
    lowest threshold) scores below the scan. None where the selection never changes or the scan
    has no ``n_selected``.

    Examples
    --------
    >>> scan = {"threshold": np.array([0.2, 0.3, 0.4, 0.5, 0.6]), "n_selected": np.array([9, 9, 5, 0, 0])}
    >>> scan_score_range(scan)  # the scores lie between 0.3 and 0.5
    (0.3, 0.5)
    >>> scan_score_range({"threshold": np.array([0.2, 0.3]), "n_selected": np.array([4, 4])}) is None
    True
    """
    names = scan.colnames if isinstance(scan, Table) else list(scan)
    if "n_selected" not in names:
        return None
    thr = np.asarray(scan["threshold"], float)
    n = np.asarray(np.ma.filled(np.ma.masked_array(scan["n_selected"]), 0))
    fewer = np.flatnonzero(n < n[0]) if len(n) else np.array([], int)
    if not len(fewer):
        return None
    lo = float(thr[max(int(fewer[0]) - 1, 0)])
    if "fn" in names and int(np.ma.filled(np.ma.masked_array(scan["fn"]), 0)[0]) > 0:
        lo = 0.0  # a true object scores below the lowest threshold: where, the scan does not say
    empty = nothing_selected_from(scan)
    return lo, empty if empty is not None else 1.0


def fig_vs_magnitude(tab: Table, title: str, band: str) -> Figure:
    """Purity, recall and F1 for objects brighter than each magnitude, with counts.

    Examples
    --------
    >>> from starclass.evaluate.threshold import metrics_vs_magnitude
    >>> y = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> tab = metrics_vs_magnitude(y, np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1]),
    ...                            np.array([20.5, 20.7, 21.5, 21.6, 22.2, 22.9]))
    >>> fig = fig_vs_magnitude(tab, "class 1 vs rest", "f555w")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].lines[0].get_ydata().tolist()  # purity
    ('limiting magnitude (f555w) [mag]', [1.0, 0.75, 0.75])
    """
    fig, ax = new_subplots(figsize=(5.5, 3.6))
    x = np.asarray(tab["mag_hi"])
    fraction_axis(ax)
    ax.set_xlabel(f"limiting magnitude ({band}) [mag]")
    ax.set_ylabel(SELECTION_SCORES)
    ax2 = ax.twinx()
    ax2.bar(x, tab["n"], width=0.6, alpha=0.15, color="grey")
    ax2.set_ylabel("objects brighter", color="grey")
    ax.set_title(title, fontsize=10)
    _selection_curves(ax, ax2, tab, x, cumulative=True)
    fit_titles(fig)  # the title says in words what each point counts: two lines at the panel's width
    return fig


def fig_vs_quantity(tab: Table, title: str, quantity: str) -> Figure:
    """Purity, recall and F1 in equal-number bins of a quantity (bin centres), with counts.

    Examples
    --------
    >>> from starclass.evaluate.threshold import metrics_vs_quantity
    >>> tab = metrics_vs_quantity([1, 0, 1, 1], [0.9, 0.8, 0.2, 0.7], [1.0, 2.0, 3.0, 4.0], 0.5, nbins=2)
    >>> fig = fig_vs_quantity(tab, "class 1 vs rest", "fwhm")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].lines[0].get_ydata().tolist()  # purity: 1 of 2, 1 of 1
    ('fwhm', [0.5, 1.0])
    """
    fig, ax = new_subplots(figsize=(5.5, 3.6))
    lo, hi = np.asarray(tab["lo"], float), np.asarray(tab["hi"], float)
    x = 0.5 * (lo + hi)
    fraction_axis(ax)
    ax.set_xlabel(quantity)
    ax.set_ylabel(SELECTION_SCORES)
    ax2 = ax.twinx()
    ax2.bar(x, tab["n"], width=0.8 * (hi - lo), alpha=0.15, color="grey")
    ax2.set_ylabel("objects per bin", color="grey")
    ax.set_title(title, fontsize=10)
    _selection_curves(ax, ax2, tab, x, cumulative=False)
    fit_titles(fig)  # the title names the selection and the quantity: two lines at the panel's width
    return fig


def selection_note(tab: Table | Mapping[str, np.ndarray], *, cumulative: bool) -> str | None:
    """Why a purity, recall and F1 trend panel has no curve to show; None where it has one.

    ``tab`` is :func:`starclass.evaluate.threshold.metrics_vs_magnitude`'s (``cumulative``: each
    row counts every object brighter than its limit, so the last holds them all) or
    :func:`starclass.evaluate.threshold.metrics_vs_quantity`'s (bins: the rows add up), with its
    ``tp``, ``fp``, ``fn`` and its ``meta["threshold"]``. A weak model (every score near one value
    below the threshold) selects nothing, or only wrong objects: its curves were three flat
    lines at 0 (purity masked where nothing is selected), saying nothing of why.

    Examples
    --------
    >>> tab = {"tp": np.array([0, 0]), "fp": np.array([0, 0]), "fn": np.array([3, 4])}
    >>> selection_note(tab, cumulative=False).split(": ")[1]
    'none of the 7 true ones is selected, so purity is undefined and recall and F1 are 0'
    >>> selection_note({"tp": np.array([0]), "fp": np.array([2]), "fn": np.array([5])}, cumulative=True)
    'the 2 objects selected above the threshold are all wrong (none of the 5 true ones): purity, recall and F1 are 0'
    >>> selection_note({"tp": np.array([1]), "fp": np.array([2]), "fn": np.array([5])}, cumulative=True) is None
    True
    >>> selection_note({"purity": np.array([0.0])}, cumulative=True) is None  # no counts: nothing to say
    True
    """
    names = tab.colnames if isinstance(tab, Table) else list(tab)
    if not all(c in names for c in ("tp", "fp", "fn")):
        return None  # a table without its counts (one from Python, of purity, recall and F1 only): nothing to say
    meta = getattr(tab, "meta", {}) or {}
    thr = meta.get("threshold")
    above = f"above the threshold {float(thr):.3f}" if thr is not None else "above the threshold"

    def total(c: str) -> int:
        v = np.asarray(np.ma.filled(np.ma.masked_array(tab[c]), 0), int)
        if not len(v):
            return 0
        return int(v.max() if cumulative else v.sum())

    tp, fp, fn = total("tp"), total("fp"), total("fn")
    if tp + fn == 0:
        return f"no true member of the class among these objects: recall and F1 are undefined ({tp + fp} selected)"
    if tp + fp == 0:
        return (f"no object scores {above}: none of the {tp + fn} true ones is selected, so purity is undefined and "
                "recall and F1 are 0")
    if tp == 0:
        return (f"the {fp} object{'s' if fp != 1 else ''} selected {above} {'are all' if fp != 1 else 'is'} wrong "
                f"(none of the {fn} true ones): purity, recall and F1 are 0")
    return None


def _selection_curves(ax: Axes, ax2: Axes, tab: Table, x: np.ndarray, *, cumulative: bool) -> None:
    """Purity, recall and F1 of a trend panel, or the note that says why there are none (:func:`selection_note`)."""
    note = selection_note(tab, cumulative=cumulative)
    if note:
        # three flat lines at 0 read as a measured trend: the panel says why there is none (over the count bars,
        # hence on their axis, drawn above ax)
        ax2.text(0.5, 0.6, wrap_title(note, 3.6, 9), transform=ax2.transAxes, ha="center", va="center",
                 fontsize=9, color="#444444", gid="note",
                 bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#bbbbbb"})
        return
    for c, col in METRIC_COLOURS.items():
        v = np.ma.masked_array(np.asarray(tab[c]), np.ma.getmaskarray(tab[c]))
        ax.plot(x, v, "o-", color=col, label=c, ms=3)
    ax.legend(fontsize=8, loc="lower left")
    if not cumulative and all(c in tab.colnames for c in ("tp", "fp")):
        # a bin where nothing is selected has no purity: its point is missing, which read as drawn off the panel
        empty = int(np.sum(np.asarray(np.ma.filled(np.ma.masked_array(tab["tp"]), 0))
                           + np.asarray(np.ma.filled(np.ma.masked_array(tab["fp"]), 0)) == 0))
        if empty:
            ax2.text(0.99, 0.98, f"no purity in {empty} of {len(x)} bins: nothing selected there",
                     transform=ax2.transAxes, ha="right", va="top", fontsize=7, color="#444444", gid="note")


def agreement_bar_columns(table: Table) -> list[tuple[str, str]]:
    """The columns of an agreement table (:func:`starclass.evaluate.agreement.agreement_table`) that
    :func:`fig_agreement_bars` draws, each with the label it names it by: the classes (``class_<k>``, in class
    order), ``mean``, then the merged classes the table has (``class_1_2``: ``1+2``), as the table holds them.

    It drew PHANGS's ``class_1`` .. ``class_4`` and ``class_1_2`` whatever the table: a binary or three-class
    task's table stopped it with a KeyError, and a five-class task's class 5 was not drawn.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"comparison": ["A vs B"], "n_matched": [9], "class_1": [0.8], "class_2": [0.6], "class_3": [0.5],
    ...            "mean": [0.63], "class_1_err": [0.1]})
    >>> agreement_bar_columns(t)
    [('class_1', '1'), ('class_2', '2'), ('class_3', '3'), ('mean', 'mean')]
    >>> t["class_1_2"] = [0.9]
    >>> agreement_bar_columns(t)[-1]
    ('class_1_2', '1+2')
    """
    prefix = "class_"  # group_column's default prefix: class_3, class_1_2
    classes, merges = [], []
    for c in table.colnames:
        if not c.startswith(prefix) or c.endswith("_err"):
            continue
        rest = c[len(prefix):]
        if rest.isdigit():
            classes.append((int(rest), c, rest))
        else:
            # group_column's name of a merge of numbered classes ("1+2" -> class_1_2), else the merge's own name
            parts = rest.split("_")
            merges.append((c, "+".join(parts) if all(p.isdigit() for p in parts) else rest))
    means = [("mean", "mean")] if "mean" in table.colnames else []
    return [(c, label) for _, c, label in sorted(classes)] + means + merges


def wrap_alike(labels: Sequence[str], width: int = 12) -> list[str]:
    """Tick labels wrapped to ``width`` characters, all alike: where one wraps, each that has a space wraps too.

    ``textwrap.fill`` alone broke "2 non-cluster" onto two lines under a one-line "1 cluster", bars of one chart
    named at two heights; a label that wraps nowhere (``mean``) stays whole.

    Examples
    --------
    >>> wrap_alike(["1 cluster", "2 non-cluster", "mean"])
    ['1\\ncluster', '2\\nnon-cluster', 'mean']
    >>> wrap_alike(["1", "2", "mean"])
    ['1', '2', 'mean']
    """
    wrapped = [textwrap.fill(t, width, break_long_words=False, break_on_hyphens=False) for t in labels]
    if not any("\n" in w for w in wrapped):
        return wrapped
    return [w if "\n" in w or " " not in w else w.replace(" ", "\n", 1) for w in wrapped]


def fig_agreement_bars(table: Table, title: str, names: dict[str, str] | None = None,
                       comparisons: dict[str, str] | None = None) -> Figure:
    """Agreement fractions per class for each comparison (PHANGS Figure 5 style), of any task's classes.

    The bars are the table's columns (:func:`agreement_bar_columns`): its classes, ``mean``, and the merged
    classes it has (PHANGS: 1+2; none for a task without them). ``names`` (class or merge -> shown name,
    :func:`shown_name`) names them under their bars, wrapped to the bar group's width; without, the labels alone
    ("1" ... "4", "1+2"). ``comparisons`` (the table's ``comparison`` -> shown words) names the bars in the
    legend as the page names the catalogues (the table's keys, "gc_cls vs. gc_cls class_ref", were file stems
    the page says nowhere); without, the table's words.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"comparison": ["A vs B"], "class_1": [0.8], "class_2": [0.6], "class_3": [0.5], "class_4": [0.7],
    ...            "mean": [0.65], "class_1_2": [0.9]})
    >>> fig = fig_agreement_bars(t, "agreement")
    >>> [round(float(p.get_height()), 2) for p in fig.axes[0].patches]
    [0.8, 0.6, 0.5, 0.7, 0.65, 0.9]
    >>> binary = Table({"comparison": ["A vs B"], "class_1": [0.8], "class_2": [0.6], "mean": [0.7]})
    >>> [t.get_text() for t in fig_agreement_bars(binary, "agreement").axes[0].get_xticklabels()]
    ['1', '2', 'mean']
    """
    renamed_result_columns(table)  # an agreement_table.ecsv written before 2026-12-05 (class_1+2)
    drawn = agreement_bar_columns(table)
    cols = [c for c, _ in drawn]
    rows = [r for r in table if r["comparison"] != "mean for above values"]
    fig, ax = new_subplots(figsize=(7, 3.6))
    width = 0.8 / max(1, len(rows))
    # each bar is a comparison, not a class: matplotlib's cycle drew them in the blue, green and red of classes 3, 2, 1
    # (until 2026-12-07); the metric palette's colours, hatched after its first round as the lines are dashed
    for i, (r, (col, _)) in enumerate(zip(rows, line_styles(len(rows)))):
        vals = [np.nan if np.ma.is_masked(r[c]) else float(r[c]) for c in cols]
        ax.bar(np.arange(len(cols)) + i * width - 0.4 + width / 2, vals, width=width,
               label=(comparisons or {}).get(str(r["comparison"]), str(r["comparison"])),
               color=col, hatch=BAR_HATCHES[(i // len(METRIC_PALETTE)) % len(BAR_HATCHES)], edgecolor="white",
               linewidth=0.5)
    shown = [(names or {}).get(label, label) for _, label in drawn]
    ax.set_xticks(range(len(cols)), wrap_alike(shown), fontsize=8 if names else None)
    ax.set_xlabel("class")
    ax.set_ylim(0, 1)
    ax.set_ylabel("agreement fraction")
    ax.set_title(title, fontsize=10)
    # beside the panel: agreement fractions near 1 (truth vs humans) fill the panel to its top, where
    # a legend inside it covered the bars of classes 1 and 2
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return fig


def fig_agreement_vs(bins: Table, trends: Table, quantity: str, title: str,
                     names: dict[str, str] | None = None) -> Figure:
    """Agreement fraction per class in equal-number bins of a quantity, with trend lines.

    ``names`` (class -> shown name, :func:`shown_name`) names the classes in the legend, which sits beside the
    panel: it said "class 1" ... "class 1+2" where every other figure of the page names the task's classes, and
    inside the panel its three columns covered the points of agreement near 1.

    Examples
    --------
    >>> from starclass.evaluate.agreement import agreement_vs
    >>> a, b = np.array([1, 2] * 6), np.array([1, 2, 1, 2, 1, 2, 2, 2, 2, 2, 1, 1])
    >>> bins, trends = agreement_vs(a, b, np.arange(20.0, 32.0), nbins=3, quantity_name="mag_f555w", min_per_class=1)
    >>> fig = fig_agreement_vs(bins, trends, "mag_f555w", "agreement vs magnitude")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].lines[0].get_ydata().tolist()  # class 1 per bin
    ('mag_f555w [mag] (bin median, equal-number bins)', [1.0, 0.75, 0.5])
    """
    fig, ax = new_subplots(figsize=(5.5, 3.6))
    renamed_result_columns(bins)
    x = np.asarray(bins[f"{quantity}_median"], float)
    for r in trends:
        k = r["class"]
        col = bins[group_column(k)]
        y = np.ma.masked_array(np.asarray(col), np.ma.getmaskarray(col))
        if y.count() == 0:
            # no bin holds enough of class k for a fraction: nothing to draw, so nothing to name in the
            # legend (a class named there without a point read as drawn off the panel)
            continue
        ax.plot(x, y, "o", color=colour_of(k), label=shown_name(k, names))
        if not np.ma.is_masked(r["slope"]):
            xx = np.linspace(x.min(), x.max(), 10)
            ax.plot(xx, r["slope"] * xx + r["intercept"], color=colour_of(k), lw=0.8)
    fraction_axis(ax)
    # the schema's unit of the column (mag_f555w: mag); none for unitless ones (crowding)
    unit = unit_of(quantity)
    ax.set_xlabel(f"{quantity}{f' [{unit}]' if unit is not None else ''} (bin median, equal-number bins)")
    ax.set_ylabel("agreement fraction")
    ax.set_title(title, fontsize=10)
    if ax.lines:
        ax.legend(fontsize=SMALL_TEXT, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return fig


def fig_colour_colour(panels: list[tuple[str, np.ndarray, np.ndarray]], track: Table | None = None, title: str = "",
                      reddening: tuple[float, float, str] | None = None) -> Figure:
    """U-B vs V-I panels (label, U-B, V-I) with the four PHANGS boxes, the SSP track and a reddening arrow.

    ``reddening`` is (Δ(V-I), Δ(U-B), label), as :func:`starclass.science.colour.reddening_vector`
    gives, drawn as an arrow in the empty upper right of each panel.

    Examples
    --------
    >>> panel = ("class 1", np.array([-1.0, -0.5, np.nan]), np.array([0.2, 0.5, 0.1]))  # label, U-B, V-I
    >>> fig = fig_colour_colour([panel], title="colours")
    >>> fig.axes[0].get_title(), fig.axes[0].get_xlabel()  # the NaN colour is not counted
    ('class 1 (n=2)', 'V - I [mag]')
    """
    n = len(panels)
    ncol = min(4, n)
    nrow = int(np.ceil(n / ncol))
    # room for the suptitle (drawn at the top edge it ran into the first row's panel titles): one row, the report's
    # four classes, is placed once by place_grid as constrained layout placed it, whose solve at each draw was most
    # of the figure's time; several rows keep constrained layout (only the last shows its x labels, which
    # place_grid, measuring the first row, would not leave room for)
    one_row = nrow == 1
    fig, axes = new_subplots(nrow, ncol, figsize=(3.2 * ncol, 3.4 * nrow), squeeze=False, sharex=True, sharey=True,
                             layout=None if one_row else "constrained")
    for ax, (label, ub, vi) in zip(axes.ravel(), panels):
        ok = np.isfinite(ub) & np.isfinite(vi)
        # the class's colour, from "class 3" or the task's name of it, "3 compact association"
        key = label.split()[-1] if label.startswith("class") else label.split()[0] if label[:1].isdigit() else ""
        ax.scatter(vi[ok], ub[ok], s=4, alpha=0.6, color=colour_of(key) if key else "k")
        for k, (v0, v1, u0, u1) in BOXES.items():
            ax.add_patch(Rectangle((v0, u0), v1 - v0, u1 - u0, fill=False, lw=0.8, ls="--", color="grey",
                                   gid=f"box_{k}"))
            # placed where no line crosses it once the panels are placed (place_box_labels, below)
            ax.text(v0 + 0.03, u1 - 0.04, f"box {k}", fontsize=7, color="grey", va="bottom", gid=f"box_label_{k}")
        if track is not None:
            ax.plot(track["v_i"], track["u_b"], color="black", lw=1, gid="ssp_track")
            for age, lab in ((1e6, "1 Myr"), (1e7, "10 Myr"), (1e8, "100 Myr"), (1e9, "1 Gyr"), (1e10, "10 Gyr")):
                ages = track["age"].value if hasattr(track["age"], "value") else track["age"]
                j = int(np.argmin(np.abs(np.asarray(ages) - age)))
                ax.plot(track["v_i"][j], track["u_b"][j], "k^", ms=3, gid="ssp_age")
                # placed beside its mark once the box labels are (place_age_labels, below)
                ax.text(track["v_i"][j] + 0.04, track["u_b"][j], lab, fontsize=SMALL_TEXT, va="center",
                        gid="ssp_age")
        if reddening is not None:
            d_vi, d_ub, what = reddening
            x0, y0 = 1.15, -1.95  # above box 1 and right of box 4: no box or track there
            ax.annotate("", xy=(x0 + d_vi, y0 + d_ub), xytext=(x0, y0),
                        arrowprops=dict(arrowstyle="->", color="firebrick", lw=1.2))
            ax.text(x0, y0 - 0.08, what, fontsize=SMALL_TEXT, color="firebrick")
        ax.set_title(f"{label} (n={int(ok.sum())})", fontsize=9)
        ax.set_xlim(-1.0, 2.0)
        ax.set_ylim(1.2, -2.2)
    for ax in axes[-1]:
        ax.set_xlabel("V - I [mag]")
    for ax in axes[:, 0]:
        ax.set_ylabel("U - B [mag]")
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    suptitle = fig.suptitle(title, fontsize=11)
    if one_row:
        place_grid(fig, axes, n, suptitle=suptitle)
    else:
        # the label spots are measured on the panels as placed: constrained layout places them only when run
        fig.get_layout_engine().execute(fig)
    renderer = fig.canvas.get_renderer()
    for ax in axes.ravel()[:n]:
        place_box_labels(ax, renderer)
        place_age_labels(ax, renderer)
    return fig


def box_label_spots(box: tuple[float, float, float, float], step: float = 0.025) -> list[tuple[float, float, str]]:
    """Where a colour-colour box's label may go, first choice first: (V-I, U-B, va) of its left end, inside the box.

    The U-B axis runs downwards (blue at the top), so ``va="bottom"`` at the box's largest U-B
    is its bottom edge on the page. Along the bottom edge first (the bottom left, where the
    label always was, then each ``step`` in V-I to the right), then along the top edge, then
    rows between them, from the bottom up. Spots whose label would reach past the box's right
    edge are left to :func:`place_box_labels` to skip: the label's width is known only drawn.

    Examples
    --------
    >>> box_label_spots((0.1, 0.95, -1.1, -0.4))[:2]  # box 3: its bottom left, then a step right
    [(0.13, -0.44, 'bottom'), (0.155, -0.44, 'bottom')]
    """
    v0, v1, u0, u1 = box
    xs = np.arange(v0 + 0.03, v1 - 0.03, step)
    # the bottom and top edges, then the rows between (U-B steps of 2 steps), from the bottom up
    rows = [(u1 - 0.04, "bottom"), (u0 + 0.04, "top")]
    rows += [(float(u), "bottom") for u in np.arange(u1 - 0.04 - 2 * step, u0 + 0.15, -2 * step)]
    return [(round(float(x), 6), round(float(u), 6), va) for u, va in rows for x in xs]


def place_box_labels(ax: Axes, renderer: Any) -> None:
    """Move each ``box k`` label of colour-colour panel ``ax`` to the first spot no line crosses.

    The SSP track (``gid="ssp_track"``) runs through boxes 4, 3, 2 and 1, where each model and band set
    (F555W or F606W, F435W or F438W, another SSP file) puts it: a fixed corner was crossed by some
    track (box 3's top left by the demo's F555W track, chosen as clear of an F606W one). Each label
    takes the first of :func:`box_label_spots` where its text (with a margin of 1.5 points) lies inside
    its box, is not crossed by the track's path and covers no age mark, the reddening arrow or its text
    or another box's label; where none is clear it keeps the first. The age labels are placed after,
    clear of these (:func:`place_age_labels`). Measured in display units, so the panels must be placed first.

    Examples
    --------
    >>> track = Table({"age": [1e6, 1e10], "v_i": [0.15, 0.15], "u_b": [-1.2, 0.5]})  # a line down box 3's left
    >>> fig = fig_colour_colour([("class 1", np.array([0.0]), np.array([0.5]))], track)
    >>> label = next(t for t in fig.axes[0].texts if t.get_text() == "box 3")
    >>> label.get_position()  # moved right, off the line
    (0.18, -0.44)
    """
    lines = [ln.get_transform().transform_path(ln.get_path()) for ln in ax.lines if ln.get_gid() == "ssp_track"]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("box_label_")]
    frames = {p.get_gid(): p.get_window_extent(renderer) for p in ax.patches if (p.get_gid() or "").startswith("box_")}
    # what a label must not cover besides the track: the age marks, the reddening arrow and its text (the age labels
    # are placed after, clear of these labels: place_age_labels)
    others = [a.get_window_extent(renderer) for a in ax.texts if a not in labels and a.get_gid() != "ssp_age"]
    others += [ln.get_window_extent(renderer) for ln in ax.lines if ln.get_gid() == "ssp_age"]
    # a margin of a point and a half: a line touching the letters' box still reads as crossing them
    pad = 1.5 * renderer.points_to_pixels(1.0)
    for label in labels:
        k = int(label.get_gid().rsplit("_", 1)[1])
        frame = frames.get(f"box_{k}")
        spots = box_label_spots(BOXES[k])
        # the text's size once: each spot's box is it moved to the spot (left-aligned; "bottom" puts the box's
        # lower edge at the spot, "top" its upper one), not measured again (a quarter of the figure's time)
        label.set_horizontalalignment("left")
        size = label.get_window_extent(renderer)
        anchors = ax.transData.transform([(x, y) for x, y, _ in spots])
        chosen = spots[0]  # none clear: the first kept
        for (x, y, va), (dx, dy) in zip(spots, anchors):
            box = Bbox.from_bounds(dx, dy if va == "bottom" else dy - size.height, size.width,
                                   size.height).padded(pad)
            inside = frame is None or (box.x1 <= frame.x1 + pad and box.y0 >= frame.y0 - pad
                                       and box.y1 <= frame.y1 + pad)
            if inside and not any(p.intersects_bbox(box, filled=False) for p in lines) and not any(
                    box.overlaps(b) for b in others):
                chosen = (x, y, va)
                break
        label.set_position(chosen[:2])
        label.set_verticalalignment(chosen[2])
        others.append(label.get_window_extent(renderer))


#: Where an SSP age label may go, first choice first: (V-I, U-B) from its mark, and its alignment. Right of the mark,
#: left of it, then above and below on either side (the U-B axis runs downwards: a smaller U-B is higher up).
AGE_LABEL_SPOTS = ((0.04, 0.0, "left", "center"), (-0.04, 0.0, "right", "center"),
                   (0.03, -0.05, "left", "bottom"), (0.03, 0.05, "left", "top"),
                   (-0.03, -0.05, "right", "bottom"), (-0.03, 0.05, "right", "top"))


def place_age_labels(ax: Axes, renderer: Any) -> None:
    """Move each SSP age label of colour-colour panel ``ax`` to the first of :data:`AGE_LABEL_SPOTS` that is clear.

    Clear: inside the panel, not crossed by the track's path, covering no box label, the reddening arrow's text or
    an age label placed before it; where none is, the first. At :data:`SMALL_TEXT` (6 pt until 2026-12-07) the
    labels, all right of their marks, filled a box that the track runs down the edge of, and its label had no room
    left; placed after the box labels (:func:`place_box_labels`), they make way. Measured in display units, so the
    panels must be placed first.

    Examples
    --------
    >>> track = Table({"age": [1e6, 1e10], "v_i": [0.15, 0.15], "u_b": [-1.2, 0.5]})
    >>> fig = fig_colour_colour([("class 1", np.array([0.0]), np.array([0.5]))], track)
    >>> ages = [t for t in fig.axes[0].texts if t.get_gid() == "ssp_age"]
    >>> len(ages), {t.get_fontsize() for t in ages} == {SMALL_TEXT}
    (5, True)
    """
    lines = [ln.get_transform().transform_path(ln.get_path()) for ln in ax.lines if ln.get_gid() == "ssp_track"]
    ages = [t for t in ax.texts if t.get_gid() == "ssp_age"]
    marks = [ln for ln in ax.lines if ln.get_gid() == "ssp_age"]
    taken = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() != "ssp_age"]
    panel = ax.get_window_extent(renderer)
    pad = 1.5 * renderer.points_to_pixels(1.0)
    for label, mark in zip(ages, marks):
        v, u = float(mark.get_xdata()[0]), float(mark.get_ydata()[0])
        chosen = AGE_LABEL_SPOTS[0]
        for spot in AGE_LABEL_SPOTS:
            dv, du, ha, va = spot
            label.set_position((v + dv, u + du))
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            box = label.get_window_extent(renderer)
            inside = panel.x0 <= box.x0 and box.x1 <= panel.x1 and panel.y0 <= box.y0 and box.y1 <= panel.y1
            if inside and not any(p.intersects_bbox(box.padded(-pad / 2), filled=False) for p in lines) and not any(
                    box.padded(pad / 2).overlaps(b) for b in taken):
                chosen = spot
                break
        dv, du, ha, va = chosen
        label.set_position((v + dv, u + du))
        label.set_horizontalalignment(ha)
        label.set_verticalalignment(va)
        taken.append(label.get_window_extent(renderer))


def fig_powerlaw_bins(fits: list[tuple[str, object]], xlabel: str, ylabel: str, title: str) -> Figure:
    """Binned distributions (log x, log dN/dx) with their least-squares lines.

    Examples
    --------
    >>> from starclass.science.massfunc import fit_powerlaw_binned
    >>> f = fit_powerlaw_binned(1e4 * np.random.default_rng(0).random(200) ** -1.0, lo=1e4)
    >>> fig = fig_powerlaw_bins([("class 1+2", f)], "log M", "log dN/dM", "mass function")
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'class 1+2: -2.08 ± 0.07'
    """
    fig, ax = new_subplots(figsize=(5.5, 3.8))
    for i, (label, f) in enumerate(fits):
        b = f.bins
        off = -0.0 * i
        line = ax.errorbar(b["log_x"], np.asarray(b["log_dndx"]) + off, yerr=b["log_dndx_err"], fmt="o", ms=4,
                           label=f"{label}: {f.index:.2f} ± {f.index_err:.2f}")
        xx = np.linspace(b["log_x"].min(), b["log_x"].max(), 10)
        ax.plot(xx, f.index * xx + f.amplitude + off, color=line[0].get_color(), lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    return fig


def fig_age_distributions(results: list[tuple[str, dict]], title: str) -> Figure:
    """log dN/dtau against log age per mass range, with the fitted power laws.

    Examples
    --------
    >>> from starclass.science.agefunc import age_distribution
    >>> r = age_distribution(np.repeat(10 ** np.array([6.75, 7.25, 7.75, 8.25, 8.75]), [40, 20, 10, 5, 2]))
    >>> fig = fig_age_distributions([("log M > 4", r)], "age distribution")
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'log M > 4: γ = -1.62 ± 0.09'
    """
    fig, ax = new_subplots(figsize=(5.5, 3.8))
    for label, r in results:
        b = r["bins"]
        m = ~np.ma.getmaskarray(b["log_dndt"])
        line = ax.plot(np.asarray(b["log_age_mid"])[m], np.asarray(b["log_dndt"])[m], "o",
                       label=f"{label}: γ = {r['gamma']:.2f} ± {r['gamma_err']:.2f}")
        xx = np.asarray(b["log_age_mid"])[m]
        ax.plot(xx, r["gamma"] * xx + r["intercept"], color=line[0].get_color(), lw=0.8)
    ax.set_xlabel("log age [yr]")
    ax.set_ylabel("log dN/dτ [1/yr]")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    return fig


def fig_mass_age(panels: list[tuple[str, np.ndarray, np.ndarray]], title: str, *,
                 curves: Sequence[tuple[np.ndarray, np.ndarray, str, str] | None] | None = None,
                 ncols: int | None = None) -> Figure:
    """log mass against log age, one panel per sample (non-positive values left out).

    ``curves``, one per panel (or None), is the mass-completeness curve (log age, log mass, legend,
    caption; :func:`starclass.science.massfunc.mass_completeness`), drawn as a line with its legend.
    ``ncols`` (default: all in one row) wraps the panels into a grid, as ``report --catalogs`` draws
    one per LEGUS field.

    Examples
    --------
    >>> fig = fig_mass_age([("class 1", np.array([1e4, 1e5, 0.0]), np.array([1e7, 1e8, 1e9]))], "mass vs age",
    ...                    curves=[(np.array([7.0, 8.0]), np.array([3.6, 4.3]), "f555w = 22.00", "")])
    >>> fig.axes[0].get_title(), fig.axes[0].collections[0].get_offsets().tolist()  # log age, log mass
    ('class 1 (n=2)', [[7.0, 4.0], [8.0, 5.0]])
    >>> fig.axes[0].lines[0].get_ydata().tolist(), fig.axes[0].get_legend().get_texts()[0].get_text()
    ([3.6, 4.3], 'mass at f555w = 22.00')
    """
    n = len(panels)
    curves = list(curves) if curves is not None else [None] * n
    cols = max(1, min(n, int(ncols))) if ncols else max(n, 1)
    rows = -(-max(n, 1) // cols)
    # placed as constrained layout would (the suptitle "class 1+2: mass vs age" overlapped the panel titles without
    # it), once: constrained layout's solve at each draw was 40% of the time of the 16 LEGUS fields' figure
    # one x and one y range for every panel (until 2026-12-07 only y was shared, and panels side by side read on
    # different age ranges); the tick labels on x then only under the lowest panel of each column
    fig, axes = new_subplots(rows, cols, figsize=(3.4 * cols, 3.2 * rows), squeeze=False, sharex=True, sharey=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)  # the grid's last row is not full
    for ax, (label, mass, age), curve in zip(axes.flat, panels, curves):
        ok = (mass > 0) & (age > 0)
        ax.scatter(np.log10(age[ok]), np.log10(mass[ok]), s=4, alpha=0.5, color="#9467bd")
        if curve is not None:
            # the mass a cluster at the faint limit has at each age: below it, the catalogue is incomplete
            # one line at 6 pt ran past the panel into the next one ("mass at f555w = 22.11 (M_V = -6.34, 90th
            # pct of inspected M_V)") and could hardly be read: the limit's origin goes on a second line
            ax.plot(curve[0], curve[1], color="k", lw=1.0, label=f"mass at {curve[2]}".replace(" (", "\n(", 1))
            ax.legend(fontsize=7, loc="upper left")
        ax.set_title(f"{label} (n={int(ok.sum())})", fontsize=9)
    for i, ax in enumerate(axes.flat[:n]):
        if i + cols >= n:  # no panel below it (the grid's last row is not full): its x axis is said here
            ax.xaxis.set_tick_params(which="both", labelbottom=True)
            ax.set_xlabel("log age [yr]")
    for row in axes:
        row[0].set_ylabel("log mass [Msun]")
    place_grid(fig, axes, n, suptitle=fig.suptitle(title, fontsize=11))
    return fig


#: Where the luminosity function's log axis starts (under one object per bin) and where its empty bins are
#: drawn (below it, off the panel).
_LF_BOTTOM = 0.7
_EMPTY_BIN = 0.01


def fig_luminosity(hists: list[tuple[str, object]], band: str, title: str) -> Figure:
    """Histograms of magnitudes (N per bin, log scale), one line per sample.

    ``band`` names the filter the magnitudes are in (``f555w``), as the x label says it.

    Examples
    --------
    >>> from starclass.science.luminosity import luminosity_function
    >>> lf = luminosity_function([20.2, 20.7, 21.1, 21.3, 21.8])  # 0.5 mag bins from 20.0
    >>> fig = fig_luminosity([("all", lf["hist"])], "f555w", "luminosity function")
    >>> fig.axes[0].get_xlabel(), lf["hist"]["n"].tolist()
    ('m (f555w) [mag]', [1, 1, 2, 1, 0])
    """
    fig, ax = new_subplots(figsize=(5.5, 3.6))
    for label, h in hists:
        mid = 0.5 * (np.asarray(h["mag_lo"]) + np.asarray(h["mag_hi"]))
        # an empty bin drops below the panel, as a histogram drops to zero: drawn at 0.5 (until 2026-12-07)
        # it read as half an object per bin on the log axis
        n = np.asarray(h["n"], float)
        lo, hi = np.asarray(h["mag_lo"], float), np.asarray(h["mag_hi"], float)
        if len(n) and np.allclose(lo[1:], hi[:-1]):
            # each bin across its whole width: a step through the bin centres drew the first and the last bin
            # half as wide as the others
            ax.stairs(np.where(n > 0, n, _EMPTY_BIN), np.append(lo, hi[-1]), baseline=None, lw=1.5, label=label)
        else:
            ax.step(mid, np.where(n > 0, n, _EMPTY_BIN), where="mid", label=label)
    ax.set_yscale("log")
    ax.set_ylim(bottom=_LF_BOTTOM, top=max(_LF_BOTTOM * 2, ax.get_ylim()[1]))
    # counts as plain numbers (3, 10, 30): within one decade matplotlib labelled its minor ticks "3 x 10^0";
    # LogFormatter still leaves the minor ticks bare where the axis spans several decades
    ax.yaxis.set_major_formatter(LogFormatter())
    ax.yaxis.set_minor_formatter(LogFormatter())
    ax.set_xlabel(f"m ({band}) [mag]")
    ax.set_ylabel("N per bin")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    return fig


#: Average glyph width in units of the font size (DejaVu Sans, mixed lower case: about 0.55; 0.6
#: leaves a margin so a wrapped line stays inside its panel).
_GLYPH_WIDTH = 0.6


def wrap_title(text: str, width_in: float, fontsize: float) -> str:
    """``text`` broken into lines that fit ``width_in`` inches at ``fontsize`` points.

    Class names such as ``symmetric cluster -> compact association`` ran into the next panel.
    Existing line breaks are kept; words longer than a line are split.

    Examples
    --------
    >>> print(wrap_title("symmetric cluster -> compact association", 1.7, 7))
    symmetric cluster -> compact
    association
    >>> wrap_title("cool core ok", 1.7, 7)
    'cool core ok'
    """
    chars = max(4, int(width_in * 72 / (_GLYPH_WIDTH * fontsize)))
    return "\n".join("\n".join(textwrap.wrap(line, chars, break_on_hyphens=False) or [""])
                     for line in str(text).split("\n"))


def fit_text_width(text: Text, width_in: float, renderer: RendererBase) -> None:
    """Break ``text`` (a title) into lines until it is drawn no wider than ``width_in`` inches.

    :func:`wrap_title` guesses a line's length from an average glyph; the text is measured as drawn here, and
    wrapped shorter while it is still too wide, so a title never runs past the figure's edges. A text that fits
    is left as it is.

    Parameters
    ----------
    text : matplotlib.text.Text
        The text, on a figure.
    width_in : float
        The widest it may be drawn, in inches.
    renderer : matplotlib.backend_bases.RendererBase
        The figure's renderer, to measure it with.

    Examples
    --------
    >>> fig = new_figure(figsize=(2.0, 2.0))
    >>> title = fig.suptitle("class 1+2: mass vs age per field, with its mass-completeness curve", fontsize=11)
    >>> renderer = fig.canvas.get_renderer()
    >>> fit_text_width(title, 1.9, renderer)
    >>> title.get_text().count("\\n") >= 2, bool(title.get_window_extent(renderer).width / fig.dpi <= 1.9)
    (True, True)
    """
    dpi = text.figure.dpi
    original = text.get_text()
    if not original or text.get_window_extent(renderer).width / dpi <= width_in:
        return
    chars = max(4, int(width_in * 72 / (_GLYPH_WIDTH * text.get_fontsize())))
    while True:
        text.set_text("\n".join("\n".join(textwrap.wrap(line, chars, break_on_hyphens=False) or [""])
                                for line in original.split("\n")))
        if chars <= 4 or text.get_window_extent(renderer).width / dpi <= width_in:
            return
        chars -= 1


def panel_width(fig_width: float, ncol: int) -> float:
    """Width in inches of one of ``ncol`` panels side by side (matplotlib's default margins, gaps).

    Examples
    --------
    Four panels in a 10 inch figure: 7.75 inch of axes area (left 0.125, right 0.9) over 4 panels
    and 3 gaps of 0.2 panel:

    >>> round(panel_width(10.0, 4), 4), round(10 * 0.775 / (4 + 0.2 * 3), 4)
    (1.6848, 1.6848)
    """
    p = matplotlib.rcParams
    share = p["figure.subplot.right"] - p["figure.subplot.left"]
    return fig_width * share / (ncol + p["figure.subplot.wspace"] * (ncol - 1))


def fit_titles(fig: Figure) -> None:
    """Wrap every panel title of ``fig`` to the width its panel is drawn with.

    A panel holding an image is narrower than its share of the figure (margins, gaps, square
    pixels), so the width is measured on the drawn figure, not guessed from the figure size.

    Examples
    --------
    >>> fig, ax = new_subplots(figsize=(1.5, 1.5))
    >>> _ = ax.set_title("symmetric cluster -> compact association", fontsize=7)
    >>> fit_titles(fig)
    >>> ax.get_title().count("\\n") >= 1
    True
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        t = ax.title
        if t.get_text():
            width_in = ax.get_window_extent(renderer).width / fig.dpi
            t.set_text(wrap_title(t.get_text(), width_in, t.get_fontsize()))


def alt_text(fig: Figure) -> str:
    """What a figure shows in words, for the report page's ``alt`` text: its title, else its panels' titles.

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> _ = ax.set_title("4class: accuracy 0.812")
    >>> alt_text(fig)
    '4class: accuracy 0.812'
    >>> _ = ax.text(0.5, 0.5, "no object scores\\nabove 0.5", gid="note")  # a panel's note is said too
    >>> alt_text(fig)
    '4class: accuracy 0.812. no object scores above 0.5'
    """
    if fig.get_suptitle():
        said = fig.get_suptitle()
    else:
        # a title wrapped to its panel (fit_titles) is one line in words
        said = "; ".join(dict.fromkeys(" ".join(t.split()) for ax in fig.axes if (t := ax.get_title())))
    # what the figure says in its panels of why a curve is missing or the axis zoomed (texts of gid "note"), as the
    # PNG shows it: the page's alt text said only the title
    notes = [" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts if t.get_gid() == "note"]
    return ". ".join([said, *dict.fromkeys(notes)]) if notes and said else said or ". ".join(notes)


def bar_below(fig: Figure, ax: Axes, mappable: ScalarMappable, label: str) -> Colorbar:
    """A labelled horizontal colour bar under image panel ``ax`` (the panel keeps its size).

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> bar_below(fig, ax, ax.imshow(np.eye(3)), "mean map").ax.get_xlabel()
    'mean map'
    """
    bar = fig.colorbar(mappable, cax=ax.inset_axes((0.0, -0.16, 1.0, 0.06)), orientation="horizontal")
    bar.set_label(label, fontsize=SMALL_TEXT)
    bar.ax.tick_params(labelsize=SMALL_TEXT)
    return bar


def zero_map_title(title: str, saliency_map: np.ndarray, what: str = "Grad-CAM") -> str:
    """``title`` with a second line ``<what> zero everywhere`` when the map holds no positive value.

    Grad-CAM keeps the positive part of its weighted sum, and for a confident prediction that
    sum is often negative everywhere: the map is then zero, drawn as a flat tint of the colour
    map's lowest colour, which read as a map without a title saying so.

    Examples
    --------
    >>> zero_map_title("pred cluster", np.zeros((4, 4)))
    'pred cluster\\nGrad-CAM zero everywhere'
    >>> zero_map_title("pred cluster", np.eye(4))
    'pred cluster'
    """
    # a masked map (NaN: no data) zero on all its data is zero everywhere there is evidence to see
    return f"{title}\n{what} zero everywhere" if n_zero_maps(np.nan_to_num(saliency_map)[None]) else title


def n_zero_maps(maps: np.ndarray) -> int:
    """How many of the maps ``[N, H, W]`` are zero at every pixel (a NaN pixel is not zero).

    Examples
    --------
    >>> n_zero_maps(np.stack([np.zeros((2, 2)), np.eye(2)]))
    1
    """
    m = np.asarray(maps, float)
    return int((m.reshape(len(m), -1) == 0).all(axis=1).sum()) if len(m) else 0


def map_top(saliency_map: np.ndarray) -> float:
    """Top of the colour scale of a mean map: its peak, or 1 when it is zero everywhere.

    The floor of 1e-6 it had drew a zero map's colour bar from 0 to 1e-6, with the offset
    ``1e-6`` written over the bar's label.

    Examples
    --------
    >>> map_top(np.full((2, 2), 0.25)), map_top(np.zeros((2, 2))), map_top(np.array([np.nan, 0.5]))
    (0.25, 1.0, 0.5)
    """
    m = np.asarray(saliency_map, float)
    # NaN marks pixels without data (masked maps): np.max of such a map was NaN, and the scale 1
    peak = float(np.max(m[np.isfinite(m)])) if np.isfinite(m).any() else 0.0
    return peak if peak > 0 else 1.0


def scale_bar_length(pixel_scale: float | None, width_px: int) -> tuple[float, str]:
    """A scale bar's length in pixels and its label: a round number of arcsec near a quarter of the image.

    The length is 1, 2 or 5 times a power of ten, the largest not above a quarter of the image's
    width (``width_px`` pixels of ``pixel_scale`` arcsec); without a pixel scale it counts pixels and
    says the scale is not known.

    Examples
    --------
    >>> scale_bar_length(0.187, 128)  # a PAndAS cutout: 24" wide
    (26.737967914438503, '5"')
    >>> scale_bar_length(None, 64)
    (10.0, '10 px (scale unknown)')
    """
    quarter = 0.25 * width_px * (pixel_scale or 1.0)
    power = 10.0 ** np.floor(np.log10(quarter)) if quarter > 0 else 1.0
    length = max(m * power for m in (1, 2, 5) if m * power <= quarter * (1 + 1e-9))
    length = float(f"{length:.6g}")
    if pixel_scale:
        return length / float(pixel_scale), f'{length:g}"'
    return length, f"{length:g} px (scale unknown)"


def add_scale_bar(ax: Axes, pixel_scale: float | None, width_px: int) -> Any:
    """Draw a scale bar (:func:`scale_bar_length`) in the lower left of image panel ``ax``; returns it.

    The bar is a ``mpl_toolkits`` ``AnchoredSizeBar`` (gid ``scale_bar``), white on a dark
    translucent box so that it reads on a bright or a dark cutout and over a Grad-CAM overlay.

    Examples
    --------
    >>> fig, ax = new_subplots()
    >>> _ = ax.imshow(np.zeros((64, 64)))
    >>> add_scale_bar(ax, 0.374, 64).txt_label.get_text()
    '5"'
    """
    from matplotlib.font_manager import FontProperties
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    size, label = scale_bar_length(pixel_scale, width_px)
    bar = AnchoredSizeBar(ax.transData, size, label, "lower left", pad=0.25, borderpad=0.3, sep=2, color="white",
                          frameon=True, size_vertical=max(width_px * 0.015, 0.5), fontproperties=FontProperties(size=7))
    bar.patch.set(facecolor="black", alpha=0.45, edgecolor="none")
    bar.set_gid("scale_bar")
    ax.add_artist(bar)
    return bar


#: The label of the Grad-CAM figure's one colour bar: the examples' overlays and the mean maps on one scale.
GRADCAM_BAR = "Grad-CAM / its peak (examples overlaid; mean maps: their mean)"


#: The most classes whose key the Grad-CAM figure's profile panel holds inside it (:func:`fig_gradcam`): more
#: go under it.
PROFILE_KEY_INSIDE = 3


def fig_gradcam(stamps: np.ndarray, maps: np.ndarray, labels: list[str], averages: dict, profiles: dict, title: str,
                *, names: Mapping[int | str, str] | None = None, origin: str = "lower",
                pixel_scale: float | None = None) -> Figure:
    """Examples (stamp + Grad-CAM overlay), per-class average maps and their radial profiles.

    ``labels`` title the examples; ``names`` (class -> shown name, ``"1 cluster"``: :func:`shown_name`) title the
    mean maps and the profiles' legend (``class <k>`` where missing); long titles are wrapped to their panels.
    ``origin`` is where row 0 is drawn (:func:`starclass.io.cutout_folders.drawing_origin`):
    ``"upper"`` for PNG/JPEG/NPY cutouts (as stored, like :func:`fig_gallery`), ``"lower"`` for
    FITS cutouts and stamps cut from FITS mosaics (y up, as DS9 and ``starclass inspect``).
    ``pixel_scale`` (arcsec per pixel) draws the profiles' radii in arcsec, as ``starclass explain``'s
    profiles figure; None: in pixels. The axis says which, and so does the scale bar of the first
    example (:func:`add_scale_bar`): the examples had no angular scale.

    Examples
    --------
    >>> avg = {1: np.zeros((8, 8)), 2: np.ones((8, 8))}
    >>> prof = {k: (np.arange(4.0), np.ones(4)) for k in avg}
    >>> fig = fig_gradcam(np.zeros((4, 8, 8)), np.zeros((4, 8, 8)), ["a"] * 4, avg, prof, "t")
    >>> len(fig.axes)  # 4 examples, 2 mean maps, the profiles and the one colour bar
    8
    """
    n_ex = min(len(stamps), 8)
    nav = len(averages)
    # one empty column between the mean maps and the profile panel: its y label fell on the
    # last mean map (a two- and a five-class report, 2026-12-02)
    ncols = max(n_ex, nav + 3)
    # one colour scale for the figure, one bar (until 2026-12-07 each mean map had its own scale and bar, and the
    # same colour read as 0.3 in one and 0.9 in the next): the maps run 0..1 of their peak, their means within it
    top = max([1.0, *(map_top(m) for m in averages.values())])
    # the rows as tall as their square panels (with their titles, the bar and the suptitle): the figure was 6.2 in
    # tall whatever its width, a blank band between the rows and under the title
    side = 2.0 * ncols * 0.96 / (ncols + 0.25 * (ncols - 1))
    height = 2 * side + 2.2
    fig = new_figure(figsize=(2.0 * ncols, height))
    gs = fig.add_gridspec(3, ncols, height_ratios=(side, side, 0.08), left=0.02, right=0.98, wspace=0.25,
                          top=1 - 0.75 / height, bottom=0.45 / height, hspace=0.55 / side)
    over = None
    for i in range(n_ex):
        ax = fig.add_subplot(gs[0, i])
        img = stamps[i]
        ax.imshow(img, cmap="gray", origin=origin)
        over = ax.imshow(maps[i], cmap="jet", alpha=0.4, origin=origin, vmin=0, vmax=top)
        ax.set_title(zero_map_title(labels[i], maps[i]), fontsize=SMALL_TEXT)
        ax.axis("off")
        if i == 0:
            add_scale_bar(ax, pixel_scale, int(np.shape(img)[-1]))
    names = {str(k): v for k, v in (names or {}).items()}
    im = over
    for j, (k, m) in enumerate(averages.items()):
        ax = fig.add_subplot(gs[1, j])
        im = ax.imshow(m, cmap="jet", origin=origin, vmin=0, vmax=top)
        # a mean map is zero only where every map of the class is: say so rather than show a flat tint
        ax.set_title(zero_map_title(f"mean, {shown_name(k, names)}", m, "all maps"), fontsize=SMALL_TEXT)
        ax.axis("off")
    if im is not None:
        # under the mean maps, whose colours are drawn in full (the examples' at 40% over their stamps)
        bar = fig.colorbar(im, cax=fig.add_subplot(gs[2, :max(nav, 1)]), orientation="horizontal")
        bar.set_label(GRADCAM_BAR, fontsize=SMALL_TEXT)
        bar.ax.tick_params(labelsize=SMALL_TEXT)
        bar.ax.xaxis.get_major_formatter().set_useOffset(False)
    ax = fig.add_subplot(gs[1, nav + 1:nav + 3])
    colour = dict(zip(profiles, colours_of(profiles)))
    for k, (r, p) in profiles.items():
        ax.plot(np.asarray(r) * (pixel_scale or 1.0), p, color=colour[k], label=shown_name(k, names))
    ax.set_xlabel("radius [arcsec]" if pixel_scale else "radius [px]")
    ax.set_ylabel("mean Grad-CAM")
    # maps run 0..1: from 0, and no offset, as a flat profile (0.4833728 to within 1e-8) was drawn on an
    # axis labelled "5 .. 8" under "1e-8+4.833728e-1"
    ax.set_ylim(bottom=0)
    ax.ticklabel_format(axis="y", useOffset=False)
    if len(profiles) > PROFILE_KEY_INSIDE:
        # under the panel, clear of its radius label: inside, a five-class key covered a third of the curves
        ax.legend(fontsize=SMALL_TEXT, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncols=2, frameon=False)
    else:
        ax.legend(fontsize=SMALL_TEXT)
    fig.suptitle(title, fontsize=11)
    fit_titles(fig)  # "mean, compact association" ran into the next panel
    return fig


#: The fewest columns' width (1.9 inches each) a gallery is drawn at, whatever the number of its cutouts: room for
#: its title in a few lines.
GALLERY_MIN_COLUMNS = 3

#: A gallery's margin each side, a share of its width: the mean of matplotlib's default left and right margins
#: (0.125, 0.1), so that its cutouts sit centred under its title.
GALLERY_SIDE_MARGIN = 0.1125


#: The most lines a gallery's panel title is drawn in (:func:`even_titles`): the mistakes gallery's three, "true
#: <class>", "pred <class>", "(<probability>)", and one more for a class name of two lines ("true compact /
#: association" at 7 pt in a 1.25-inch panel); a longer one is cut short, its full text kept (:func:`cut_titles`).
GALLERY_TITLE_LINES = 4

#: Space (inches) between a gallery panel's title and the cutout of the row above it
GALLERY_ROW_GAP = 8 / 72

#: The full titles of the panels whose titles :func:`even_titles` cut short, per figure: the page's caption says them
_CUT_TITLES: weakref.WeakKeyDictionary[Figure, list[tuple[int, str]]] = weakref.WeakKeyDictionary()


def fig_gallery(images: np.ndarray, titles: list[str], title: str, ncols: int = 8, *,
                origin: str = "upper", pixel_scale: float | None = None) -> Figure:
    """A grid of cutouts ``[N, H, W]`` with one title each, a scale bar in the first.

    ``origin`` is where row 0 is drawn (:func:`starclass.io.cutout_folders.drawing_origin`):
    ``"upper"`` for PNG/JPEG/NPY files as stored, ``"lower"`` for FITS (y up). ``pixel_scale``
    (arcsec per drawn pixel) sets the first panel's scale bar (:func:`add_scale_bar`); None: a bar
    in pixels, saying the scale is not known.

    Every panel's title is drawn in as many lines as the others (:func:`even_titles`; at most
    :data:`GALLERY_TITLE_LINES`, a longer one cut short and kept whole in :func:`cut_titles`), and the rows are
    spaced by the titles' height: titles of two and three lines side by side, fitted one by one, ran into the
    cutouts of the row above.

    Examples
    --------
    >>> fig = fig_gallery(np.zeros((3, 8, 8)), ["a", "b", "c"], "three")
    >>> len(fig.axes)
    3
    """
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, -(-n // ncols))
    # at least GALLERY_MIN_COLUMNS columns wide: a gallery of one cutout was 1.9 inches wide, and its title, fitted
    # to that width, ran to 9 lines (the cutouts keep their size: an image keeps its aspect in a wider panel)
    # centred under the suptitle: matplotlib's default margins (0.125 and 0.1 of the width) put one cutout in the
    # 3-column-wide figure, and every gallery's cutouts, right of the title's centre; the cutouts keep their size
    side = GALLERY_SIDE_MARGIN
    width = 1.9 * max(ncols, GALLERY_MIN_COLUMNS)
    wspace = float(matplotlib.rcParams["figure.subplot.wspace"])
    fig, axes = new_subplots(nrows, ncols, figsize=(width, 2.1 * nrows + 0.4), squeeze=False,
                             gridspec_kw={"left": side, "right": 1 - side, "wspace": wspace})
    for ax in axes.ravel()[n:]:
        fig.delaxes(ax)
    for ax, img, t in zip(axes.ravel(), images, titles):
        # each on its own grey scale
        lo, hi = np.nanpercentile(img, [0.5, 99.5]) if np.isfinite(img).any() else (0.0, 1.0)
        ax.imshow(img, cmap="gray", origin=origin, vmin=lo, vmax=hi if hi > lo else lo + 1)
        ax.set_title(t, fontsize=7)
        ax.axis("off")
    if n:
        add_scale_bar(axes.ravel()[0], pixel_scale, int(np.shape(images)[-1]))
    suptitle = fig.suptitle(title, fontsize=11)
    # a cell as high as its cutout is drawn (the column's width, at the cutouts' aspect), the rows set apart by the
    # titles' height: the cells were 1.6 inches high for 1.25-inch cutouts, a quarter of an inch above and under
    # each, which a title of three lines outgrew
    cell_w = width * (1 - 2 * side) / (ncols + wspace * (ncols - 1))
    aspect = float(np.shape(images)[-2]) / float(np.shape(images)[-1]) if n else 1.0
    cell_h = cell_w * aspect
    renderer = fig.canvas.get_renderer()
    head = even_titles(fig, cell_w, renderer) + float(matplotlib.rcParams["axes.titlepad"]) / 72
    gap = head + GALLERY_ROW_GAP
    bottom, top = _GRID_PAD, head + _GRID_PAD
    height = bottom + nrows * cell_h + (nrows - 1) * gap + top
    fig.set_size_inches(width, height)
    fig.subplots_adjust(bottom=bottom / height, top=1 - top / height, hspace=gap / cell_h)
    room_for_suptitle(fig, suptitle)
    return fig


def even_titles(fig: Figure, width_in: float, renderer: RendererBase,
                max_lines: int = GALLERY_TITLE_LINES) -> float:
    """Break every panel title of ``fig`` to ``width_in`` inches in as many lines as the longest, at most ``max_lines``.

    A title of fewer lines gets empty lines on top (its text stays just above its panel); one of more is cut to
    ``max_lines``, its last line ending in an ellipsis, and its full text is kept (:func:`cut_titles`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, its panels titled.
    width_in : float
        The widest a title may be drawn, in inches (a panel's width).
    renderer : matplotlib.backend_bases.RendererBase
        The figure's renderer, to measure the titles with.
    max_lines : int
        The most lines a title is drawn in.

    Returns
    -------
    float
        The height (inches) of the titles as drawn, every one the same.

    Examples
    --------
    >>> fig, axes = new_subplots(1, 3)
    >>> for ax, t in zip(axes, ["true cluster\\npred non-cluster (0.58)", "a", "true cluster\\npred cluster\\n(0.5)"]):
    ...     _ = ax.set_title(t, fontsize=7)
    >>> _ = even_titles(fig, 1.0, fig.canvas.get_renderer())
    >>> [ax.get_title().count("\\n") + 1 for ax in axes]
    [3, 3, 3]
    >>> cut_titles(fig)
    []
    """
    fitted = []
    for ax in fig.axes:
        t = ax.title
        if t.get_text():
            fit_text_width(t, width_in, renderer)
            fitted.append((ax, t.get_text().split("\n")))
    if not fitted:
        return 0.0
    lines = min(max_lines, max(len(parts) for _, parts in fitted))
    cut = []
    for i, (ax, parts) in enumerate(fitted):
        if len(parts) > lines:
            cut.append((i, " ".join(" ".join(ax.get_title().split("\n")).split())))
            kept = parts[:lines]
            last = kept[-1].rstrip()
            ax.title.set_text("\n".join([*kept[:-1], last + "\u2026"]))
            # the ellipsis may widen the line past the panel: shortened until it fits
            while last and ax.title.get_window_extent(renderer).width / fig.dpi > width_in:
                last = last[:-1].rstrip()
                ax.title.set_text("\n".join([*kept[:-1], last + "\u2026"]))
        elif len(parts) < lines:
            ax.title.set_text("\n" * (lines - len(parts)) + ax.get_title())
    _CUT_TITLES[fig] = cut
    return max(ax.title.get_window_extent(renderer).height for ax, _ in fitted) / fig.dpi


def cut_titles(fig: Figure) -> list[tuple[int, str]]:
    """The panels (their number among the titled ones, from 0) whose titles :func:`even_titles` cut short, and
    each one's full title on one line: for the page's caption.

    Examples
    --------
    >>> fig = fig_gallery(np.zeros((2, 8, 8)), ["a\\nb\\nc\\nd\\ne", "a"], "two")
    >>> cut_titles(fig), fig.axes[0].get_title()
    ([(0, 'a b c d e')], 'a\\nb\\nc\\nd\u2026')
    """
    return list(_CUT_TITLES.get(fig, []))


def room_for_suptitle(fig: Figure, suptitle: Text) -> None:
    """Set the room at the top of ``fig`` so that ``suptitle`` sits :data:`SUPTITLE_GAP` above every panel's title.

    The panels of a gallery of a few cutouts (one row, 2.5 inches high) carry titles of three lines, which
    reached the figure's top edge: the suptitle "most confident mistakes" was drawn over the middle panel's
    "true cluster". The figure's height now follows the lines of both titles: the top of the panels' titles, the
    gap, the suptitle (wrapped to the figure's width, however many lines), a pad. The figure grew by the overlap
    alone before, the suptitle kept at 98% of the height: the gap under a title of three lines shrank to a hair,
    under a title of one line it was a quarter of an inch. The panels keep their size and place in inches.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, its panels and their titles laid out.
    suptitle : matplotlib.text.Text
        Its title (``fig.suptitle(...)``).

    Examples
    --------
    >>> fig = fig_gallery(np.zeros((3, 8, 8)), ["true cluster\\npred non-cluster\\n(1.00)"] * 3, "mistakes")
    >>> fig.canvas.draw()  # the titles are placed when drawn
    >>> renderer = fig.canvas.get_renderer()
    >>> top = max(ax.title.get_window_extent(renderer).y1 for ax in fig.axes)
    >>> gap = (fig._suptitle.get_window_extent(renderer).y0 - top) / fig.dpi
    >>> bool(abs(gap - SUPTITLE_GAP) < 0.01)
    True
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.get_size_inches()
    fit_text_width(suptitle, width - 2 * _GRID_PAD, renderer)
    tops = [ax.title.get_window_extent(renderer).y1 for ax in fig.axes if ax.get_title()]
    tops += [ax.get_window_extent(renderer).y1 for ax in fig.axes]
    head = suptitle.get_window_extent(renderer)
    # inches from the figure's bottom edge
    under = max(tops) / fig.dpi
    new = under + SUPTITLE_GAP + head.height / fig.dpi + _GRID_PAD
    p = fig.subplotpars
    bottom, top = p.bottom * height, p.top * height
    fig.set_size_inches(width, new)
    fig.subplots_adjust(bottom=bottom / new, top=top / new)
    # from its top (a suptitle hangs from its y): a pad under the figure's edge whatever the height
    suptitle.set_y(1 - _GRID_PAD / new)
    suptitle.set_verticalalignment("top")


def fig_reliability(panels: list[tuple[str, object, float]], title: str, note: str | None = None) -> Figure:
    """Reliability diagram: accuracy against top-class confidence per bin, one line per panel.

    ``panels`` holds ``(label, table, ece)`` with the tables of
    :func:`starclass.evaluate.reliability.reliability_table`; a histogram of the rows per bin
    sits underneath, each panel's bars side by side in each bin. ``note`` (e.g. too few rows for the
    diagram to mean anything) is written under the histogram's axis label, in the PNG (it is looked at
    without the page's text) and off the curves.

    Examples
    --------
    >>> from starclass.evaluate.reliability import reliability_table
    >>> t = reliability_table(np.array([[0.95, 0.05], [0.55, 0.45]]), np.array([0, 1]), n_bins=2)
    >>> fig = fig_reliability([("model", t, 0.25)], "reliability")
    >>> [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    ['perfect', 'model (ECE 0.250)']
    """
    fig, (ax, axh) = new_subplots(2, 1, figsize=(4.6, 5.0), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], color="#999999", lw=1, ls="--", label="perfect")
    # every panel a line: zipped with the four-colour palette, a fifth was silently dropped
    shown = list(zip(panels, line_styles(len(panels)), strict=True))
    lowest = []  # the lower edge of each panel's first bin with rows
    for i, ((label, t, ece), (col, dash)) in enumerate(shown):
        lo, hi = np.asarray(t["bin_lo"], float), np.asarray(t["bin_hi"], float)
        n = np.asarray(t["n"], float)
        ok = n > 0
        lowest += [float(lo[ok].min())] if ok.any() else []
        ax.plot(np.asarray(t["confidence"], float)[ok], np.asarray(t["accuracy"], float)[ok], "o", ls=dash,
                color=col, ms=4, label=f"{label} (ECE {ece:.3f})")
        # the panels' bars side by side in 90% of the bin: centred alike (until 2026-12-07) the calibrated
        # rows' bars hid the raw ones'
        share = 0.9 * (hi - lo) / len(shown)
        axh.bar(lo + 0.05 * (hi - lo) + share * (i + 0.5), n, width=share, color=col, alpha=0.6)
    # a bin right (accuracy 1) or wrong (0) in every row, or of confidence near 1, sat half off the panel at 0..1
    fraction_axis(ax, "x")
    fraction_axis(ax)
    if lowest and min(lowest) >= EMPTY_BELOW:
        # a two-class task's top-class confidence is never under 0.5: the left half of the axis was empty, in the
        # diagram and in its histogram (they share the axis); zoomed as the score CDF is, with its note
        left = round(float(np.floor((min(lowest) - 0.05) * 100 + 1e-9) / 100), 2)
        ax.set_xlim(left, FRACTION_LIMITS[1])
        ax.text(0.98, 0.04, zoom_note(left, 1.0), transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
                color="#444444", gid="note")
    ax.set_ylabel("accuracy")
    # beside the panel: inside its upper left it covered the bins of an under-confident model (accuracy near 1 at
    # confidence 0.6, a one-epoch M31 model's calibrated rows)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ax.set_title(title, fontsize=10)
    axh.set_xlabel("top-class confidence")
    axh.set_ylabel("rows")
    if note:
        # under the histogram's x label: a box across the diagram (until 2026-12-07) covered the curves
        axh.annotate(wrap_title(note, 4.2, 8), xy=(0.5, 0.0), xycoords=axh.xaxis.label, xytext=(0, -6),
                     textcoords="offset points", ha="center", va="top", fontsize=8, color="#444444")
    return fig


def fig_deferral(curves: dict[str, object], title: str) -> Figure:
    """Accuracy on the rows kept against the fraction left to people, one line per ordering.

    Examples
    --------
    >>> from starclass.evaluate.reliability import deferral_curve
    >>> t = deferral_curve([0.9, 0.1, 0.5, 0.2], [False, True, True, True], [0.0, 0.25])
    >>> fig = fig_deferral({"entropy": t}, "deferral")
    >>> fig.axes[0].lines[0].get_ydata().tolist()  # 3 of 4 right; leaving the most uncertain: 3 of 3
    [0.75, 1.0]
    """
    fig, ax = new_subplots(figsize=(4.6, 3.4))
    # every ordering a line: zipped with the four-colour palette, a fifth was silently dropped
    for (label, t), (col, dash) in zip(curves.items(), line_styles(len(curves)), strict=True):
        ax.plot(np.asarray(t["fraction_to_people"], float), np.asarray(t["accuracy_kept"], float), "o", ls=dash,
                ms=3, color=col, label=label)
    ax.set_xlabel("fraction left to people")
    ax.set_ylabel("accuracy on the rest")
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig
