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
