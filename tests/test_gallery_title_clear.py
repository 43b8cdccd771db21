"""The gallery of mistakes keeps its title clear of the cutouts' titles, however few cutouts it shows.

A gallery of one row (up to 8 mistakes: a test folder of 10 cutouts gave 3) is 2.5 inches high, and its
panels' three-line titles ("true cluster / pred non-cluster / (1.00)") reached the figure's top edge: the
suptitle "most confident mistakes" was drawn over the middle panel's first line (found walking the PAndAS
cutouts as a user, 2026-12-07).
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from starclass.report.figures import fig_gallery


@pytest.mark.parametrize("n", [1, 3, 8, 12])
def test_the_suptitle_clears_every_panel_title_and_stays_in_the_figure(n):
    images = np.random.default_rng(n).normal(size=(n, 32, 32))
    titles = [f"true cluster\npred non-cluster\n({0.99 - i / 100:.2f})" for i in range(n)]
    fig = fig_gallery(images, titles, "most confident mistakes")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    head = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        overlap = head.intersection(head, title)
        assert overlap is None or overlap.width < 1 or overlap.height < 1, (ax.get_title(), head, title)
        assert head.y0 >= title.y1, (head, title)
    assert head.x0 >= fig.bbox.x0 and head.x1 <= fig.bbox.x1
    assert len(fig.axes) == n
    # the panels are the cutouts, each with its own title, as before
    assert [ax.get_title().replace("\n", " ") for ax in fig.axes] == [t.replace("\n", " ") for t in titles]


def _gap_above_first_row(fig) -> float:
    """Inches between the suptitle's lowest line and the top of the first row (its titles or cutouts)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    top = max(max(ax.title.get_window_extent(renderer).y1, ax.get_window_extent(renderer).y1) for ax in fig.axes)
    return (fig._suptitle.get_window_extent(renderer).y0 - top) / fig.dpi


@pytest.mark.parametrize("panel_title", ["a", "true cluster\npred non-cluster\n(1.00)"])
def test_the_gap_under_the_suptitle_is_the_same_however_many_lines_it_runs_to(panel_title):
    # the room was the overlap alone, the suptitle kept at 98% of the height: under a title of three lines the
    # gap shrank to a hair (0.01 in), under a title of one line it was a quarter of an inch
    images = np.random.default_rng(0).normal(size=(3, 32, 32))
    long = ("most confident mistakes of the model against the people's classes of the field, reference "
            "ngc1566_humans, every one of them inspected by three people")
    gaps = {}
    for title in ("most confident mistakes", long):
        fig = fig_gallery(images, [panel_title] * 3, title)
        lines = fig._suptitle.get_text().count("\n") + 1
        gaps[lines] = _gap_above_first_row(fig)
    assert sorted(gaps)[0] == 1 and sorted(gaps)[-1] >= 3, gaps  # the long title wraps to three lines or more
    assert all(0.05 <= g <= 0.15 for g in gaps.values()), gaps
    assert max(gaps.values()) - min(gaps.values()) < 0.01, gaps


#: a title as long as a gallery's may be: the mistakes of one column scored against another, said in full
LONG_TITLE = ("most confident mistakes of ngc1566 class_ml against ngc1566 class_human_mode: true class, predicted "
              "class (probability of the predicted class)")


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_gallery_of_few_cutouts_keeps_its_title_to_three_lines(n):
    # a gallery of one cutout was 1.9 inches wide: its title, fitted to that width, ran to 9 lines (2026-12-07)
    fig = fig_gallery(np.zeros((n, 16, 16)), ["true cluster\npred non-cluster\n(0.93)"] * n, LONG_TITLE)
    text = fig._suptitle.get_text()
    assert text.replace("\n", " ") == LONG_TITLE  # wrapped, nothing cut
    assert text.count("\n") + 1 <= 3, text
