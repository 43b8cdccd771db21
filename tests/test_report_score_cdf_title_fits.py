"""The score CDF's title fits its figure when it names a long reference.

On a page of several references the score CDF is titled "how sure the predictions are, per predicted class
(reference NAME)" (test_report_trend_titles_refs). Until 2026-12-07 the title was not wrapped: with a reference
named ``ngc1566_humans_round2`` it ran past both edges of the 5 in figure, cut off in the PNG. It is now wrapped to
its panel. Read from the title artist's drawn extent.
"""

from __future__ import annotations

import numpy as np

from starclass.report.figures import fig_score_cdf


def test_long_reference_title_inside_figure():
    title = "how sure the predictions are, per predicted class (reference ngc1566_humans_round2)"
    fig = fig_score_cdf({1: np.array([0.6, 0.7, 0.9]), 2: np.array([0.55, 0.8])}, title)
    ax = fig.axes[0]
    fig.canvas.draw()
    box = ax.title.get_window_extent(fig.canvas.get_renderer())
    width = fig.get_figwidth() * fig.dpi
    assert box.x0 >= 0 and box.x1 <= width, (box, width)  # nothing of the title cut off at the edges
    assert " ".join(ax.get_title().split()) == title  # every word kept, wrapped only


def test_one_reference_title_stays_one_line():
    # the title that fits the figure is not broken to the (narrower) panel's width
    title = "how sure the predictions are, per predicted class"
    fig = fig_score_cdf({1: np.array([0.6, 0.7, 0.9]), 2: np.array([0.55, 0.8])}, title)
    assert fig.axes[0].get_title() == title
