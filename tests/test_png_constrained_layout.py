"""A figure laid out to fit its size is saved without a tight box: one draw fewer, nothing cut off.

Until 2026-12-06 every report figure was saved with ``bbox_inches="tight"``, which draws the figure once
more to find the box. The colour-colour grid uses constrained layout, and the many-field mass-age figure (one
panel per LEGUS field) is placed once by ``report.figures.place_grid`` (it used constrained layout until its
solve at each draw was found to take 40% of its time); both have already fitted their labels inside the figure:
the box only trimmed a few pixels of margin (1454 x 1097 px against 1445 x 1088 for the 16 fields) for 20-45% of
the figure's 2-6 s under load. Now they are saved at their own size (``report.figures.png_bbox``); the other
figures keep the tight box.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from starclass.report.figures import fig_luminosity, to_png_base64


@pytest.fixture()
def tight_boxes(monkeypatch):
    """How often a figure's tight box is computed (savefig's bbox_inches="tight" asks it once)."""
    calls = []
    real = Figure.get_tightbbox

    def counted(self, *args, **kwargs):
        calls.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "get_tightbbox", counted)
    return calls


def _png_size(png: str) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(png))).size


def test_the_mass_age_figure_is_saved_at_its_size_with_every_label_inside(tmp_path, tight_boxes):
    from starclass.datasets.catalogs import write_fake_legus_folder
    from starclass.report.many import many_field_tables, mass_age_figure

    fig = mass_age_figure(many_field_tables(write_fake_legus_folder(tmp_path / "legus"), ladder=False))
    width, height = fig.get_size_inches() * 85
    png = to_png_base64(fig, dpi=85)
    assert tight_boxes == []  # no extra draw for a box
    assert _png_size(png) == (round(width), round(height))
    # what a tight box would have kept lies inside the saved figure: titles, legends and labels are all there
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # the closed figure's canvas again, drawn as into the PNG
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer())
    inside = fig.bbox_inches.padded(0.01)
    assert (box.x0 >= inside.x0 and box.y0 >= inside.y0 and box.x1 <= inside.x1 and box.y1 <= inside.y1), box


def test_a_figure_without_constrained_layout_keeps_its_tight_box(tight_boxes):
    from starclass.science.luminosity import luminosity_function

    fig = fig_luminosity([("all", luminosity_function(np.array([20.2, 20.7, 21.1, 21.3, 21.8]))["hist"])],
                         "f555w", "luminosity function")
    to_png_base64(fig)
    assert tight_boxes == [fig]
