"""The report's figures as an astronomer reads them: legends name what is drawn, do not cover it, and
counts are counts (2026-12-07, the demo's report looked at figure by figure).

* ``agreement_vs_*`` (PHANGS agreement against magnitude, crowding, background): the legend named
  classes 1, 2 and 1+2, of which no bin held a point (too few objects of the class), as if they were
  drawn off the panel;
* ``agreement_bars``: the legend sat inside the panel, over the truth-vs-humans bars near 1;
* ``luminosity_functions``: an empty magnitude bin was drawn at N = 0.5 on the log axis (half an
  object per bin), a count axis within one decade was labelled ``3 x 10^0``, ``6 x 10^-1``, and the
  first and last bins were drawn half as wide (a step through the bin centres).
* ``reliability_*``: the raw and calibrated rows per bin were drawn centred alike, the calibrated bars
  over the raw ones, and the note "ECE ... from 60 rows are not meaningful" was a box across the
  diagram, over its curves.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate.agreement import agreement_vs
from starclass.report.figures import fig_agreement_bars, fig_agreement_vs, fig_luminosity, fig_reliability, png_box
from starclass.science.luminosity import luminosity_function


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test draws a figure: close them (pyplot keeps every open one)."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_agreement_vs_legend_names_only_the_classes_drawn():
    rng = np.random.default_rng(0)
    a = rng.choice([3, 4], 60)
    b = np.where(rng.random(60) < 0.6, a, rng.choice([3, 4], 60))
    b[0] = 1  # one object of class 1: no bin holds enough of it for a fraction
    bins, trends = agreement_vs(a, b, np.linspace(20, 26, 60), nbins=4, quantity_name="mag_f555w")
    fig = fig_agreement_vs(bins, trends, "mag_f555w", "agreement vs mag_f555w")
    ax = fig.axes[0]
    named = [t.get_text() for t in ax.get_legend().get_texts()]
    drawn = [ln.get_label() for ln in ax.lines if np.ma.count(ln.get_ydata()) > 0 and ln.get_marker() == "o"]
    assert named == drawn == ["class 3", "class 4"]


def test_agreement_bars_legend_covers_no_bar():
    # truth vs humans near 1 in every class, as the demo's simulated labellers give
    t = Table({"comparison": ["prediction vs. truth", "prediction vs. humans", "truth vs. humans"],
               "class_1": [0.1, 0.2, 0.9], "class_2": [0.3, 0.2, 0.95], "class_3": [0.4, 0.5, 0.9],
               "class_4": [0.3, 0.3, 0.97], "mean": [0.3, 0.3, 0.93], "class_1_2": [0.5, 0.5, 0.98]})
    fig = fig_agreement_bars(t, "agreement fractions per class")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(r)
    covered = [p for p in ax.patches if p.get_height() > 0 and p.get_window_extent(r).overlaps(legend)]
    assert covered == []
    # beside the panel, inside the box the PNG is saved with (nothing cut off)
    box = png_box(fig, fig.dpi)
    assert box.x0 <= legend.x0 / fig.dpi and legend.x1 / fig.dpi <= box.x1


def test_luminosity_function_draws_no_empty_bin_inside_the_panel():
    mags = [21.8, 22.2, 23.1, 23.2, 23.3, 24.6, 24.7, 24.8, 25.6]  # empty 0.5 mag bins between them
    hist = luminosity_function(mags)["hist"]
    n = np.asarray(hist["n"], float)
    assert (n == 0).any()
    fig = fig_luminosity([("prediction", hist)], "V", "class 1+2 luminosity functions")
    fig.canvas.draw()
    ax = fig.axes[0]
    drawn = ax.lines + ax.patches
    assert len(drawn) == 1
    if drawn[0] in ax.patches:  # a histogram outline (stairs): its values and bin edges
        y, x = (np.asarray(v, float) for v in drawn[0].get_data()[:2])
    else:
        y, x = np.asarray(drawn[0].get_ydata(), float), np.asarray(drawn[0].get_xdata(), float)
    # every bin across its whole width: the first from its lower edge, the last to its upper edge
    assert x.min() == pytest.approx(hist["mag_lo"][0]) and x.max() == pytest.approx(hist["mag_hi"][-1])
    bottom, top = ax.get_ylim()
    inside = y[(y >= bottom) & (y <= top)]
    # every value drawn inside the panel is a bin's count (no 0.5 for an empty bin); the empty bins lie below it
    assert set(inside.tolist()) <= set(n[n > 0].tolist())
    assert (y[n == 0] < bottom).all()
    # counts labelled as numbers, not 3 x 10^0
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_yticklabels(minor=True)]
    assert not [s for s in labels if "times" in s or "^" in s]
    assert {"1", "3"} <= set(labels)


def _reliability_panels(n_rows: int):
    from starclass.evaluate.reliability import reliability_table

    rng = np.random.default_rng(3)
    p1 = rng.uniform(0.5, 1.0, n_rows)
    probs = np.column_stack([p1, 1 - p1])
    y = (rng.random(n_rows) > p1).astype(int)
    raw = reliability_table(probs, y, n_bins=10)
    sharp = np.column_stack([p1 ** 0.5, 1 - p1 ** 0.5])
    return [("raw", raw, 0.05), ("calibrated", reliability_table(sharp, y, n_bins=10), 0.03)]


def test_reliability_bars_of_two_panels_side_by_side():
    # raw and calibrated rows per bin: the calibrated bars were drawn over the raw ones, centred alike
    fig = fig_reliability(_reliability_panels(300), "reliability diagram")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    bars = [p for p in fig.axes[1].patches if p.get_height() > 0]
    by_colour = {}
    for p in bars:
        by_colour.setdefault(p.get_facecolor()[:3], []).append(p.get_window_extent(r))
    assert len(by_colour) == 2
    first, second = by_colour.values()
    overlapping = [(a, b) for a in first for b in second
                   if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5]
    assert overlapping == []


def test_reliability_note_sits_under_the_histogram_off_the_curves():
    note = "ECE and the reliability diagram from 60 rows are not meaningful (fewer than 100)"
    fig = fig_reliability(_reliability_panels(60), "reliability diagram", note=note)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    shown = [t for ax in fig.axes for t in ax.texts if "not meaningful" in t.get_text()]
    assert len(shown) == 1
    assert shown[0].get_text().split() == note.split()  # every word kept, only wrapped
    box = shown[0].get_window_extent(r)
    label = fig.axes[1].xaxis.label.get_window_extent(r)
    assert box.y1 <= label.y0  # under the histogram's x label, so over no curve
    saved = png_box(fig, fig.dpi)  # and inside the PNG
    assert saved.y0 <= box.y0 / fig.dpi and box.x0 / fig.dpi >= saved.x0 and box.x1 / fig.dpi <= saved.x1


def test_agreement_vs_legend_names_the_task_s_classes_beside_the_panel():
    # it said "class 1" ... "class 1+2" where the page's other figures say "1 symmetric cluster", and sat inside
    # the panel, three columns over the points of agreement near 1
    from starclass.evaluate.task import EvalTask
    from starclass.report.build import figure_names

    rng = np.random.default_rng(3)
    a = np.resize([1, 2, 3, 4], 200)
    b = np.where(rng.random(200) < 0.9, a, rng.choice([1, 2, 3, 4], 200))
    bins, trends = agreement_vs(a, b, np.linspace(20, 26, 200), nbins=4, quantity_name="mag_f555w")
    task = EvalTask.from_classes((1, 2, 3, 4), class_names=["symmetric cluster", "asymmetric cluster",
                                                          "compact association", "non-cluster"])
    fig = fig_agreement_vs(bins, trends, "mag_f555w", "agreement vs mag_f555w", figure_names(task))
    ax = fig.axes[0]
    named = [t.get_text() for t in ax.get_legend().get_texts()]
    assert named[:4] == ["1 symmetric cluster", "2 asymmetric cluster", "3 compact association", "4 non-cluster"]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(r)
    assert legend.x0 >= ax.get_window_extent(r).x1  # beside the panel: it covers no point
    box = png_box(fig, fig.dpi)
    assert legend.x1 / fig.dpi <= box.x1  # and inside the saved PNG


def test_agreement_bars_name_the_classes_under_their_bars():
    # the axis said "1" ... "4" under "class" where the page's confusion matrices name the task's classes
    from starclass.evaluate.task import EvalTask
    from starclass.report.build import phangs_ticks

    t = Table({"comparison": ["prediction vs. truth"], "class_1": [0.8], "class_2": [0.6], "class_3": [0.5],
               "class_4": [0.7], "mean": [0.65], "class_1_2": [0.9]})
    task = EvalTask.from_classes((1, 2, 3, 4), class_names=["symmetric cluster", "asymmetric cluster",
                                                          "compact association", "non-cluster"])
    fig = fig_agreement_bars(t, "agreement fractions per class", dict(zip("1234", phangs_ticks(task))))
    fig.canvas.draw()
    ticks = [" ".join(x.get_text().split()) for x in fig.axes[0].get_xticklabels()]
    assert ticks == ["1 symmetric cluster", "2 asymmetric cluster", "3 compact association", "4 non-cluster",
                     "mean", "1+2"]
    # wrapped: no two neighbouring names run into one another
    r = fig.canvas.get_renderer()
    boxes = [x.get_window_extent(r) for x in fig.axes[0].get_xticklabels()]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))


def test_agreement_bars_are_not_drawn_in_class_colours():
    # a bar is a comparison, not a class: matplotlib's cycle drew "prediction vs. truth" in tab10 blue, the colour
    # of class 3, and so on (until 2026-12-07); now the metric palette's colours, each comparison its own
    from matplotlib.colors import to_hex

    from starclass.report.figures import CLASS_COLOURS, METRIC_PALETTE, colours_of

    comparisons = ["prediction vs. truth", "prediction vs. humans", "truth vs. humans", "a vs. b", "c vs. d"]
    t = Table({"comparison": comparisons, "class_1": [0.1, 0.2, 0.9, 0.5, 0.6], "class_2": [0.3, 0.2, 0.95, 0.5, 0.6],
               "class_3": [0.4, 0.5, 0.9, 0.5, 0.6], "class_4": [0.3, 0.3, 0.97, 0.5, 0.6],
               "mean": [0.3, 0.3, 0.93, 0.5, 0.6], "class_1_2": [0.5, 0.5, 0.98, 0.5, 0.6]})
    ax = fig_agreement_bars(t, "agreement fractions per class").axes[0]
    classy = {*CLASS_COLOURS.values(), *colours_of([str(k) for k in range(1, 8)])}
    per_comparison = [{(to_hex(p.get_facecolor()), p.get_hatch()) for p in c} for c in ax.containers]
    assert all(len(s) == 1 for s in per_comparison)  # each comparison one look
    looks = [next(iter(s)) for s in per_comparison]
    assert len(set(looks)) == len(comparisons)  # and each its own
    assert {colour for colour, _ in looks} <= set(METRIC_PALETTE)
    assert not {colour for colour, _ in looks} & classy
    # the legend shows each comparison as drawn
    handles = ax.get_legend().legend_handles
    assert [(to_hex(h.get_facecolor()), h.get_hatch()) for h in handles] == looks
