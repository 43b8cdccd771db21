"""The colour-colour figure of the report's four classes is placed once, as constrained layout placed it.

Until 2026-12-06 ``fig_colour_colour`` used constrained layout, which measures every panel's labels at each draw, and
a figure with a layout engine is drawn an extra time before it is saved: 0.91-1.15 s a figure (four classes with the
track and the reddening arrow, one a catalogue in the report; two shared cores under load 7). One row of panels (the
report's four classes; 1-3 panels from Python) is now placed by ``report.figures.place_grid``, as the mass-age figure
is: the same panels, titles, labels, limits and size, and nothing reaches past the figure or into a neighbour.
Several rows (more than four panels, from Python) keep constrained layout: only their last row shows x labels.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from starclass.report.figures import fig_colour_colour, to_png_base64


def _figure(n: int) -> Figure:
    rng = np.random.default_rng(n)
    ages = np.logspace(6, 10.1, 80)
    track = Table({"age": ages, "v_i": 0.3 * (np.log10(ages) - 6) - 0.2, "u_b": -1.6 + 0.45 * (np.log10(ages) - 6)})
    panels = [(f"class {k}", rng.normal(-0.5, 0.5, 300), rng.normal(0.6, 0.4, 300)) for k in range(1, n + 1)]
    return fig_colour_colour(panels, track, "NGC 1566: U-B vs V-I", reddening=(0.43, 0.25, "A_V = 1 mag"))


@pytest.fixture()
def draws(monkeypatch):
    """How often a figure is drawn, and how often constrained layout is solved."""
    import matplotlib.layout_engine as engines  # which calls the solve by the name it imported

    counts = {"draw": 0, "constrained": 0}
    real_draw, real_solve = Figure.draw, engines.do_constrained_layout

    def draw(self, renderer):
        counts["draw"] += 1
        return real_draw(self, renderer)

    def solve(*args, **kwargs):
        counts["constrained"] += 1
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(Figure, "draw", draw)
    monkeypatch.setattr(engines, "do_constrained_layout", solve)
    return counts


def test_the_four_class_figure_is_saved_with_one_draw_and_no_layout_solve(draws):
    fig = _figure(4)
    width, height = fig.get_size_inches() * 85
    png = to_png_base64(fig, dpi=85)
    assert draws == {"draw": 1, "constrained": 0}
    from PIL import Image

    assert Image.open(io.BytesIO(base64.b64decode(png))).size == (round(width), round(height))


def test_several_rows_keep_constrained_layout(draws):
    fig = _figure(6)
    assert fig.get_layout_engine() is not None
    to_png_base64(fig, dpi=40)
    assert draws["constrained"] >= 1


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_every_label_is_inside_the_figure_and_clear_of_the_other_panels(n):
    fig = _figure(n)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = fig.bbox
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == n
    boxes = [ax.get_tightbbox(renderer) for ax in shown]  # the panel with its ticks, labels and title
    for ax, box in zip(shown, boxes):
        assert box.x0 >= frame.x0 and box.y0 >= frame.y0 and box.x1 <= frame.x1 + 0.5 and box.y1 <= frame.y1, \
            (ax.get_title(), box, frame)
    for i in range(n):
        for j in range(i + 1, n):
            overlap = boxes[i].intersection(boxes[i], boxes[j])
            assert overlap is None or overlap.width < 1 or overlap.height < 1, (shown[i].get_title(),
                                                                                shown[j].get_title())
    title = fig._suptitle.get_window_extent(renderer)
    assert title.y1 <= frame.y1 and all(title.y0 >= box.y1 for box in boxes)
    # what the panels show: titles, the labels of the outer panels, the shared, inverted U-B range
    assert [ax.get_title() for ax in shown] == [f"class {k} (n=300)" for k in range(1, n + 1)]
    assert shown[-1].get_xlabel() == "V - I [mag]" and shown[0].get_ylabel() == "U - B [mag]"
    assert all(ax.get_xlim() == (-1.0, 2.0) and ax.get_ylim() == (1.2, -2.2) for ax in shown)
    cols = min(4, n)
    assert tuple(fig.get_size_inches()) == pytest.approx((3.2 * cols, 3.4 * -(-n // cols)))
