"""The score CDF of scores in a narrow band is drawn zoomed on them, saying so.

Until 2026-12-07 its x axis was always 0..1: the demo's one-epoch model (every score of the predicted class
0.25-0.43) drew its steps as near-vertical lines a few pixels apart. ``fig_score_cdf`` now takes its x limits
from the scores where they span less than ``NARROW_SCORES`` and writes a note in the panel (gid "note"). Read
from the figure's artists.
"""

from __future__ import annotations

import numpy as np

from starclass.report.figures import fig_score_cdf


def _note(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "note"]


def test_narrow_scores_are_drawn_zoomed_with_a_note():
    rng = np.random.default_rng(1)
    dists = {1: np.sort(rng.uniform(0.25, 0.30, 40)), 3: np.sort(rng.uniform(0.26, 0.29, 20))}
    fig = fig_score_cdf(dists, "how sure the predictions are")
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    every = np.concatenate(list(dists.values()))
    assert lo <= every.min() and every.max() <= hi  # every step is on the panel
    assert hi - lo < 0.2  # and spread over it: at 0..1 the band was 5% of the axis
    assert _note(ax) == [f"x axis zoomed to {lo:.2f}-{hi:.2f}:\nevery score lies there"]
    # few tick labels: the default locator wrote ten five-digit ones into one another
    assert len([t for t in ax.get_xticks() if lo <= t <= hi]) <= 6


def test_scores_spread_over_the_axis_keep_zero_to_one_and_no_note():
    dists = {1: np.sort(np.linspace(0.4, 0.8, 30)), 2: np.array([0.6, 0.99])}  # 0.4-0.99: most of the axis
    fig = fig_score_cdf(dists, "scores")
    ax = fig.axes[0]
    assert ax.get_xlim() == (0.0, 1.0)
    assert _note(ax) == []


def test_two_class_scores_start_the_axis_below_the_lowest_score_not_at_zero():
    # the predicted class of a two-class task scores 0.5 or more: at 0..1 the left half of the panel was empty
    rng = np.random.default_rng(2)
    dists = {1: np.sort(rng.uniform(0.5, 1.0, 60)), 2: np.sort(rng.uniform(0.52, 0.97, 25))}
    fig = fig_score_cdf(dists, "how sure the predictions are")
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    every = np.concatenate(list(dists.values()))
    assert lo <= every.min() and every.max() <= hi  # no step hidden
    assert every.min() - lo <= 0.1  # the axis starts just below the lowest score
    assert _note(ax) == [f"x axis zoomed to {lo:.2f}-{hi:.2f}:\nevery score lies there"]
    # every curve drawn, its last step at the top of the panel inside the axis
    assert [len(line.get_xdata()) for line in ax.get_lines()] == [60, 25]
