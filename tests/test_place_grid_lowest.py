"""place_grid measures the lowest panel shown with the others, in every round, and a panel once a round.

The lowest panel's labels were measured once, at the first placement, and left out of the test that ends the
placement: where placing the grid narrowed or widened it, its x tick labels changed (rotated tick labels one
character longer), and the bottom margin kept the room of the old ones; the labels were cut off at the figure's
bottom edge. A lowest panel in the first row (a grid of more rows than panels shown) was measured twice a round.
"""

from __future__ import annotations

import collections

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, MaxNLocator

from starclass.report.figures import new_subplots, place_grid


def _grid(width: float):
    """Two by two, three shown; every panel's labels fixed but the lowest's x tick labels (rotated, automatic)."""
    fig, axes = new_subplots(2, 2, figsize=(width, 4.0), squeeze=False)
    for ax in axes.flat:
        ax.xaxis.set_major_locator(FixedLocator([0.5]))
        ax.yaxis.set_major_locator(FixedLocator([0.5]))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
    axes[1, 1].set_visible(False)
    low = axes[1, 0]
    low.xaxis.set_major_locator(MaxNLocator("auto"))
    low.tick_params(axis="x", labelrotation=90)
    return fig, axes, low


def test_the_lowest_panels_labels_stay_inside_the_figure():
    cut = []
    # the widths around the one (6.65 in) where the first placement's ticks of the lowest panel were not its last
    for width in np.arange(6.4, 6.9, 0.05):
        fig, axes, low = _grid(float(width))
        place_grid(fig, axes, 3)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        if low.get_tightbbox(renderer).y0 < 0:
            cut.append(round(float(width), 2))
    assert cut == [], f"the lowest panel's tick labels cut off at the bottom at widths {cut}"


def test_no_panel_is_measured_twice_a_round(monkeypatch):
    calls: collections.Counter = collections.Counter()
    tight = Axes.get_tightbbox

    def counted(self, *args, **kwargs):
        calls[id(self)] += 1
        return tight(self, *args, **kwargs)

    fig, axes = new_subplots(2, 3, figsize=(7.0, 5.0), squeeze=False)
    for ax in axes.flat:
        ax.plot([0, 1], [0, 1])
    for ax in axes[1]:
        ax.set_visible(False)  # three shown, all in the first row: the lowest is the last of it
    monkeypatch.setattr(Axes, "get_tightbbox", counted)
    place_grid(fig, axes, 3)
    counts = [calls[id(ax)] for ax in axes[0]]
    assert counts[0] >= 2 and len(set(counts)) == 1, counts
