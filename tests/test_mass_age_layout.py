"""The mass-age figure is placed once, as constrained layout placed it, and drawn once when saved.

Until 2026-12-06 ``fig_mass_age`` used constrained layout, which measures every panel's labels at each draw, and a
figure with a layout engine is drawn an extra time before it is saved: for the 16 LEGUS fields of ``report
--catalogs`` the solve was 40% of the figure's time (cProfile). ``report.figures.place_grid`` now measures the
labels of a few panels of the first row and places the grid with constrained layout's pads; what the figure shows
(panels, titles, labels, legends, limits, size) is the same, and nothing reaches past the figure or into a
neighbouring panel.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from starclass.report.figures import fig_mass_age, new_figure, png_bbox, to_png_base64


def _figure(n: int, ncols: int | None = None) -> Figure:
    rng = np.random.default_rng(n)
    mass, age = 10 ** rng.uniform(3, 6, 200), 10 ** rng.uniform(6, 9.5, 200)
    curve = (np.array([6.0, 7.0, 8.0, 9.0]), np.array([2.5, 3.2, 3.9, 4.7]),
             "f555w = 24.19 (M_V = -7.05, 90th pct of inspected M_V)", "")
    return fig_mass_age([(f"ngc{1000 + i} ({3 + i} Mpc)", mass, age) for i in range(n)],
                        "class 1+2: mass vs age per field, with its mass-completeness curve",
                        curves=[curve] * n, ncols=ncols)


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


def test_the_mass_age_figure_is_saved_with_one_draw_and_no_layout_solve(draws):
    fig = _figure(16, ncols=5)
    width, height = fig.get_size_inches() * 85
    png = to_png_base64(fig, dpi=85)
    assert draws == {"draw": 1, "constrained": 0}
    from PIL import Image

    assert Image.open(io.BytesIO(base64.b64decode(png))).size == (round(width), round(height))
    assert png_bbox(new_figure()) == "tight"  # a figure of another kind keeps its tight box


@pytest.mark.parametrize(("n", "ncols"), [(1, None), (2, None), (3, None), (7, 5), (16, 5)])
def test_every_label_is_inside_the_figure_and_clear_of_the_other_panels(n, ncols):
    fig = _figure(n, ncols)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    frame = fig.bbox
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == n
    boxes = [ax.get_tightbbox(renderer) for ax in shown]  # the panel with its ticks, labels, title and legend
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
    # what the panels show: their titles, labels and the shared y range
    assert [ax.get_title() for ax in shown] == [f"ngc{1000 + i} ({3 + i} Mpc) (n=200)" for i in range(n)]
    # the x axis (shared) said under the lowest panel of each column (since 2026-12-07)
    cols = ncols or n
    assert [ax.get_xlabel() for ax in shown] == ["log age [yr]" if i + cols >= n else "" for i in range(n)]
    assert shown[0].get_ylabel() == "log mass [Msun]"
    assert all(ax.get_legend() is not None for ax in shown)
    w, h = fig.get_size_inches()
    cols = min(n, ncols or n)
    assert (w, h) == pytest.approx((3.4 * cols, 3.2 * -(-n // cols)))


@pytest.mark.parametrize("n", [1, 2])
def test_the_title_is_inside_the_figure_also_for_one_field(n):
    """`evaluate --catalogs FIELD.tab` (one field, a 3.4-inch figure) cut its 5-inch title off at both edges."""
    fig = _figure(n)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    assert title.x0 >= fig.bbox.x0 and title.x1 <= fig.bbox.x1, (title, fig.bbox)
    assert " ".join(fig._suptitle.get_text().split()) == \
        "class 1+2: mass vs age per field, with its mass-completeness curve"
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    assert title.y1 <= fig.bbox.y1 and all(title.y0 >= box.y1 for box in boxes)
