"""A two-class task's reliability diagram is drawn from just below its lowest confidence, saying so.

The top-class confidence of two classes is never under 0.5: at 0..1 (until 2026-12-07) the left half of the
diagram and of its histogram was empty, as the score CDF's was. Read from the figure's axes and texts.
"""

from __future__ import annotations

import numpy as np

from starclass.evaluate.reliability import reliability_table
from starclass.report.figures import fig_reliability, zoom_note


def _notes(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "note"]


def test_two_class_confidences_start_the_axis_below_the_lowest_bin():
    rng = np.random.default_rng(4)
    p1 = rng.uniform(0, 1, 300)
    probs = np.column_stack([p1, 1 - p1])
    y = (rng.random(300) > p1).astype(int)
    t = reliability_table(probs, y)
    fig = fig_reliability([("probabilities as written", t, 0.05)], "reliability diagram")
    ax, hist = fig.axes
    left, right = ax.get_xlim()
    edges = np.asarray(t["bin_lo"], float)[np.asarray(t["n"]) > 0]
    assert 0.4 <= left <= edges.min()  # every bin on the panel, the empty half gone
    assert right >= 1.0 and hist.get_xlim() == (left, right)  # the histogram's axis with it
    assert _notes(ax) == [zoom_note(left, 1.0)]


def test_confidences_reaching_low_keep_zero_to_one():
    rng = np.random.default_rng(5)
    probs = rng.dirichlet(np.ones(4), 300)  # four classes: top-class confidences from about 0.3
    t = reliability_table(probs, rng.integers(0, 4, 300))
    fig = fig_reliability([("probabilities as written", t, 0.05)], "reliability diagram")
    assert fig.axes[0].get_xlim()[0] < 0 and _notes(fig.axes[0]) == []


def test_the_legend_covers_no_bin_of_an_under_confident_model():
    # accuracy near 1 at confidence 0.5-0.7 (a one-epoch M31 model's calibrated rows): the legend, in the panel's
    # upper left, was drawn over those bins
    rng = np.random.default_rng(6)
    p1 = rng.uniform(0.3, 0.7, 300)
    probs = np.column_stack([p1, 1 - p1])
    y = (p1 < 0.5).astype(int)  # every row right
    fig = fig_reliability([("calibrated", reliability_table(probs, y), 0.2)], "reliability diagram")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(r)
    points = np.concatenate([line.get_transform().transform(line.get_xydata()) for line in ax.lines
                             if line.get_marker() == "o"])
    assert len(points)
    covered = [p for p in points if legend.x0 <= p[0] <= legend.x1 and legend.y0 <= p[1] <= legend.y1]
    assert covered == []
