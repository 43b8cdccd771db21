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


def test_k_class_scores_start_the_axis_at_one_over_k_not_at_zero():
    # the top score of a K-class task is never under 1/K: a four-class CDF at 0..1 left its first quarter empty
    # (PHANGS, 2026-12-07). The axis starts at 1/K, or just below a lowest score under it; every step drawn
    rng = np.random.default_rng(3)
    dists = {1: np.sort(rng.uniform(0.27, 0.99, 50)), 2: np.sort(rng.uniform(0.3, 0.9, 30)),
             4: np.sort(rng.uniform(0.35, 0.95, 10))}
    for k, start in ((4, 0.25), (5, 0.2), (3, 0.26)):  # three classes: 0.27 lies under 1/3, the axis under it
        fig = fig_score_cdf(dists, "how sure the predictions are", n_classes=k)
        ax = fig.axes[0]
        lo, hi = ax.get_xlim()
        every = np.concatenate(list(dists.values()))
        assert lo <= every.min() and every.max() <= hi  # no step hidden
        assert lo == start and hi == 1.0
        assert _note(ax) == [f"x axis zoomed to {lo:.2f}-{hi:.2f}:\nevery score lies there"]
        assert [len(line.get_xdata()) for line in ax.get_lines()] == [50, 30, 10]


def test_the_reports_four_class_score_cdf_starts_at_one_quarter(monkeypatch):
    # the report's four-class score CDF started at 0 (it did not tell the figure K): drawn by the report's own
    # section, its figure kept in place of the PNG
    import types

    from astropy.table import Table

    from starclass.evaluate.task import EvalTask
    from starclass.report import build, figures, sections

    drawn: list = []
    monkeypatch.setattr(sections, "to_png_base64", lambda fig, dpi=85: drawn.append(fig) or "")
    rng = np.random.default_rng(4)
    scores = {k: np.sort(rng.uniform(0.3, 0.97, 20)) for k in (1, 2, 3, 4)}
    c = types.SimpleNamespace(ref_name="truth", curves=[], scores=scores, score_quantiles=Table({"class": [1]}),
                              thresholds=[], heading=lambda: "prediction vs truth")
    build._curves_section(c, EvalTask.from_classes((1, 2, 3, 4)))
    try:
        (ax,) = drawn[0].axes
        assert ax.get_xlim() == (0.25, 1.0)
        assert _note(ax) == ["x axis zoomed to 0.25-1.00:\nevery score lies there"]
    finally:
        for f in drawn:
            figures._close(f)


def test_the_legend_does_not_cover_the_zoom_note():
    # the demo's four-class CDF (2026-12-07, lead): "best" put the legend at lower right over the zoom note, which
    # read "...lies there" from under it. A CDF leaves its upper left empty (every curve rises to the right)
    rng = np.random.default_rng(4)
    # the demo's shape: clusters' scores bunched at 0.4-0.6, non-clusters' spread evenly up to 1
    dists = {k: np.sort(0.3 + 0.7 * rng.beta(2.5, 5.0, n)) for k, n in ((1, 284), (2, 762), (3, 348))}
    dists[4] = np.sort(rng.uniform(0.3, 1.0, 1500))
    names = {"1": "1 symmetric cluster", "2": "2 asymmetric cluster", "3": "3 compact association",
             "4": "4 non-cluster"}
    fig = fig_score_cdf(dists, "how sure the predictions are (reference truth)", names=names, n_classes=4)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (note,) = [t for t in ax.texts if t.get_gid() == "note"]
    legend_box = ax.get_legend().get_window_extent(renderer)
    assert not legend_box.overlaps(note.get_window_extent(renderer))
