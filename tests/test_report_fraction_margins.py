"""Points and lines at a fraction of 0 or 1 show whole: the fraction panels have a margin beyond 0..1.

Until 2026-12-07 the agreement-vs-X panels (and the purity/recall/F1 trend and threshold panels) had y limits
0..1.02 and the reliability diagram 0..1 on both axes: a bin of agreement 0 (the demo's "agreement vs bkg") was
half a marker on the axis' edge, a recall flat at 0 half a line. ``fraction_axis`` gives them
``FRACTION_LIMITS``. Read from the figures' artists: each marker's disc (each line's half width) lies inside
its panel.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.evaluate.reliability import reliability_table
from starclass.evaluate.threshold import metrics_vs_quantity, threshold_scan
from starclass.report import figures as F


def _cut(fig, ax, *, markers_only: bool = False) -> list[tuple[str, float, float]]:
    """The points of ``ax``'s lines (label, x, y) whose marker (or line, for one without) reaches past the panel.

    ``markers_only``: lines without markers (fitted trends, which may run off the panel) are not looked at.
    """
    fig.canvas.draw()
    box = ax.get_window_extent()
    cut = []
    for ln in ax.lines:
        marked = ln.get_marker() not in (None, "None", "", " ")
        if markers_only and not marked:
            continue
        # half the marker's width with half its edge, or half the line's width, in pixels
        half = ln.get_markersize() / 2 + ln.get_markeredgewidth() / 2 if marked else ln.get_linewidth() / 2
        r = half * fig.dpi / 72
        x = np.ma.filled(np.ma.asarray(ln.get_xdata(), float), np.nan)
        y = np.ma.filled(np.ma.asarray(ln.get_ydata(), float), np.nan)
        ok = np.isfinite(x) & np.isfinite(y)
        for (px, py), xv, yv in zip(ax.transData.transform(np.column_stack([x[ok], y[ok]])), x[ok], y[ok]):
            if py - r < box.y0 - 0.01 or py + r > box.y1 + 0.01 or (marked and (px - r < box.x0 or px + r > box.x1)):
                cut.append((ln.get_label(), float(xv), float(yv)))
    return cut


def test_agreement_vs_a_quantity_shows_points_at_zero_and_one_whole():
    bins = Table({"bkg_median": [1.0, 2.0, 3.0], "class_1": [1.0, 0.5, 0.0], "class_2": [0.0, 1.0, 1.0]})
    trends = Table({"class": ["1", "2"], "slope": [-0.5, 0.5], "intercept": [1.5, -0.3]})
    fig = F.fig_agreement_vs(bins, trends, "bkg", "agreement vs bkg")
    ax = fig.axes[0]
    assert sorted({ln.get_label() for ln in ax.lines if ln.get_marker() == "o"}) == ["class 1", "class 2"]
    assert _cut(fig, ax, markers_only=True) == []


def test_trend_and_threshold_panels_show_a_recall_of_zero_whole():
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1], bool)
    s = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.2, 0.3, 0.1, 0.2, 0.1])  # the members of the last bins score low
    tab = metrics_vs_quantity(y, s, np.arange(10.0), 0.5, nbins=2)
    assert 0.0 in np.asarray(tab["recall"]).tolist()
    fig = F.fig_vs_quantity(tab, "threshold 0.500", "fwhm")
    assert _cut(fig, fig.axes[0]) == []
    fig = F.fig_threshold(threshold_scan(y, s), None, "class 1 vs rest")  # recall and F1 0 above 0.9
    assert _cut(fig, fig.axes[0]) == []


def test_reliability_diagram_shows_bins_all_right_and_all_wrong_whole():
    # a sure bin all right (accuracy 1, confidence 0.99) and an unsure one all wrong (accuracy 0)
    prob = np.array([[0.99, 0.01]] * 4 + [[0.55, 0.45]] * 4)
    t = reliability_table(prob, np.array([0] * 4 + [1] * 4), n_bins=5)
    acc = np.asarray(t["accuracy"], float)[np.asarray(t["n"]) > 0]
    assert sorted(acc.tolist()) == [0.0, 1.0]
    fig = F.fig_reliability([("model", t, 0.3)], "reliability")
    assert _cut(fig, fig.axes[0]) == []
