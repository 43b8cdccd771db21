"""The mistakes gallery's panel titles run to one number of lines, and none reaches the cutouts of the row above.

Each title was fitted to its panel alone: "true non-cluster / pred cluster (0.53)" in two lines beside "true cluster /
pred non-cluster / (0.58)" in three, and a gallery of long class names (five-class galaxy-cluster experts) ran its
titles of the second row into the first row's cutouts. A title too long for ``GALLERY_TITLE_LINES`` is cut short,
its full text kept for the caption (``cut_titles``).
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from starclass.report.figures import fig_gallery

#: titles as the report wrote them before 2026-12-07 (probability on the class's line) and long class names
MIXED = ["true non-cluster\npred cluster (0.53)", "true cluster\npred non-cluster (0.58)",
         "true symmetric compact cluster\npred artefact / non-cluster (0.91)", "a",
         "true nearby galaxy\npred high-z cluster\n(0.45)"]


def _drawn(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


@pytest.mark.parametrize("n", [5, 12, 16])
def test_titles_have_one_number_of_lines_and_clear_the_row_above(n):
    titles = [MIXED[i % len(MIXED)] for i in range(n)]
    fig = fig_gallery(np.random.default_rng(n).normal(size=(n, 32, 32)), titles, "most confident mistakes")
    renderer = _drawn(fig)
    counts = {ax.get_title().count("\n") + 1 for ax in fig.axes}
    assert len(counts) == 1 and counts.pop() <= 4, [ax.get_title() for ax in fig.axes]
    # one height, but for the glyphs' ascents and descents ("(0.53)" against "a")
    heights = [ax.title.get_window_extent(renderer).height for ax in fig.axes]
    assert max(heights) - min(heights) < 3, heights
    images = [ax.get_window_extent(renderer) for ax in fig.axes]
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        assert title.width <= ax.get_window_extent(renderer).width + 1, (ax.get_title(), title)
        for other, box in zip(fig.axes, images):
            overlap = title.intersection(title, box)
            # a title touches no cutout: neither its own (under it) nor one of the row above
            assert overlap is None or overlap.width < 1 or overlap.height < 1, (ax.get_title(), other.get_title())
        assert title.y1 <= fig.bbox.y1 and title.y0 >= fig.bbox.y0


def test_a_title_too_long_is_cut_short_and_kept_whole():
    from starclass.report.figures import GALLERY_TITLE_LINES, cut_titles

    long = ("true symmetric compact cluster of a very long name\npred artefact / non-cluster of another long name"
            "\n(0.91)")
    fig = fig_gallery(np.zeros((3, 16, 16)), [long, "a", "b"], "mistakes")
    assert fig.axes[0].get_title().count("\n") + 1 == GALLERY_TITLE_LINES
    assert fig.axes[0].get_title().endswith("\u2026")
    assert cut_titles(fig) == [(0, " ".join(long.split()))]
    # the short ones are padded on top to the same lines, their text as given
    assert fig.axes[1].get_title().split() == ["a"] and fig.axes[1].get_title().count("\n") == GALLERY_TITLE_LINES - 1
