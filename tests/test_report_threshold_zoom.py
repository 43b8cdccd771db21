"""The purity/recall-vs-threshold panel of scores in a narrow band is zoomed on them, as the score CDF is.

Until 2026-12-07 its x axis was the scan's 0.05..0.95 whatever the scores: a weak model's (every score 0.25-0.30)
squeezed the whole change of the three curves into a tenth of the axis, the rest flat. It now takes its limits
from the thresholds where the selection changes, with the score CDF's helper and note ("x axis zoomed to ...:
every score lies there"), and leaves the thresholds no object reaches a third of the panel, shaded and named.
Read from the figure's artists.
"""

from __future__ import annotations

import numpy as np

from starclass.evaluate.threshold import threshold_scan
from starclass.report import figures as F


def _notes(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "note"]


def _narrow(n: int = 80, seed: int = 4):
    rng = np.random.default_rng(seed)
    return rng.random(n) < 0.4, rng.uniform(0.25, 0.30, n)


def test_narrow_scores_zoom_the_threshold_panel_with_the_score_cdf_note():
    y, s = _narrow()
    scan = threshold_scan(y, s)
    fig = F.fig_threshold(scan, None, "cluster vs rest")
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    thr, n = np.asarray(scan["threshold"]), np.asarray(scan["n_selected"])
    changes = thr[1:][np.diff(n) != 0]  # the thresholds where the selection changes are all on the panel
    assert lo <= changes.min() and changes.max() <= hi
    assert hi - lo < 0.5  # and spread over it: at 0.05..0.95 they took a tenth of the axis
    cdf_note = _notes(F.fig_score_cdf({1: np.sort(s)}, "scores").axes[0])[0]
    assert cdf_note.split(":")[1:] == ["\nevery score lies there"]  # one wording for both panels
    notes = _notes(ax)
    assert f"x axis zoomed to {lo:.2f}-{hi:.2f}:\nevery score lies there" in notes
    # the thresholds no object reaches: shaded from the first one, a third of the zoomed panel, and said
    first_empty = float(thr[n == 0].min())
    spans = [p for p in ax.patches if abs(p.get_x() - first_empty) < 1e-9]
    assert len(spans) == 1
    assert (hi - first_empty) / (hi - lo) >= 0.25
    assert any(f"{first_empty:.2f} or more" in t for t in notes)


def test_a_chosen_threshold_stays_on_the_zoomed_panel():
    y, s = _narrow()
    scan = threshold_scan(y, s)
    fig = F.fig_threshold(scan, {"threshold": 0.05, "purity": 0.4}, "cluster vs rest")
    lo, hi = fig.axes[0].get_xlim()
    assert lo <= 0.05 <= hi


def test_scores_spread_over_the_axis_leave_the_threshold_panel_unzoomed():
    rng = np.random.default_rng(2)
    y = rng.random(80) < 0.4
    s = np.where(y, rng.uniform(0.3, 0.95, 80), rng.uniform(0.05, 0.7, 80))
    fig = F.fig_threshold(threshold_scan(y, s), None, "cluster vs rest")
    lo, hi = fig.axes[0].get_xlim()
    assert lo <= 0.05 and hi >= 0.95
    assert not any(t.startswith("x axis zoomed") for t in _notes(fig.axes[0]))
