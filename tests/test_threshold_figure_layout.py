"""The threshold figure's note and chosen-threshold label do not hide the curves (2026-12-04).

The note "threshold for 80% purity of class 1: no threshold reaches purity 0.80 with at least 10
objects selected (best purity 0.636)" was a text box across the middle of the panel, over the
curves, and the chosen threshold's label "0.461 / purity 0.83" sat inside the panel where a
curve could run through it; the legend too was placed inside the panel.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.evaluate.threshold import threshold_for_purity, threshold_scan
from starclass.report.figures import fig_threshold


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test draws a few figures: close them (pyplot keeps every open one)."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _sample(sep: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.random(200) < 0.5
    score = np.clip(0.5 + sep * np.where(y, 1, -1) + rng.normal(0, 0.2, len(y)), 0, 1)
    return y, score


def _boxes(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return r, ax, ax.get_window_extent(r)


@pytest.mark.parametrize("xlabel", ["threshold on the score of class 1",
                                    "threshold on the score of class 1\n(prob_raw_1, uncalibrated)"])
def test_note_without_a_threshold_sits_below_the_axis_label(xlabel):
    y, score = _sample(0.02)
    with pytest.raises(StarclassError) as err:
        threshold_for_purity(y, score, 0.8)
    note = f"threshold for 80% purity of class 1: {err.value}"
    fig = fig_threshold(threshold_scan(y, score), None, "class 1 vs rest", xlabel=xlabel, note=note)
    r, ax, panel = _boxes(fig)
    shown = [t for t in ax.texts if "no threshold reaches" in t.get_text()]
    assert len(shown) == 1
    # every word of the note is kept, only wrapped
    assert shown[0].get_text().split() == note.split()
    box = shown[0].get_window_extent(r)
    label = ax.xaxis.label.get_window_extent(r)
    assert box.y1 <= label.y0 < panel.y0      # under the x label, which is under the panel
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width  # and within the figure


def test_chosen_threshold_is_named_beside_the_panel():
    y, score = _sample(0.3)
    chosen = threshold_for_purity(y, score, 0.8)
    fig = fig_threshold(threshold_scan(y, score), chosen, "class 1 vs rest")
    r, ax, panel = _boxes(fig)
    legend = ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[:3] == ["purity", "recall", "f1"]
    assert texts[3] == f"chosen {chosen['shown']} (purity {chosen['purity']:.2f})"
    # nothing written over the curves: no text in the panel, the legend right of it
    assert [t.get_text() for t in ax.texts] == []
    assert legend.get_window_extent(r).x0 >= panel.x1
