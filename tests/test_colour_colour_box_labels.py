"""The colour-colour figure's box labels are placed where the SSP track does not cross them.

Until 2026-12-07 each label sat in a fixed corner of its box (box 3's at the top left, chosen to be clear of an
F606W track): the demo's F555W/F438W track runs through that corner, drawn across the "box 3" label. The
labels are now placed (``report.figures.place_box_labels``) at the first spot inside their box that the track's
path, its age marks and labels and the other labels leave clear. Read from the figure's artists: each label's
drawn bounding box against the track line's drawn path.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.backends.backend_agg import FigureCanvasAgg

from starclass.report.figures import fig_colour_colour
from starclass.science.colour import BOXES
from starclass.science.ssp import ssp_track

#: the demo's bands (HST WFC3/UVIS F275W..F814W, as legus4 simulates them) and a set with F606W as V
BAND_SETS = {"demo_f555w": ["f275w", "f336w", "f438w", "f555w", "f814w"],
             "f606w": ["f275w", "f336w", "f438w", "f606w", "f814w"],
             "acs_f435w": ["f275w", "f336w", "f435w", "f555w", "f814w"]}


def _drawn(fig):
    """The figure drawn as it is saved; its renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _labels_and_track(ax, n_track: int | None = None):
    """The box labels by text; the track's line: the one line of the track's ``n_track`` points (its age marks are
    lines of one point)."""
    labels = {t.get_text(): t for t in ax.texts if t.get_text().startswith("box ")}
    track = [ln for ln in ax.lines if n_track is not None and len(ln.get_xdata()) == n_track]
    return labels, track


def _frames(ax, renderer):
    """Each box's drawn rectangle, found by its corners (BOXES: V-I from, to, U-B from, to)."""
    out = {}
    for p in ax.patches:
        for k, (v0, v1, u0, u1) in BOXES.items():
            if np.allclose([p.get_x(), p.get_y(), p.get_width(), p.get_height()], [v0, u0, v1 - v0, u1 - u0]):
                out[k] = p.get_window_extent(renderer)
    return out


@pytest.mark.parametrize("bands", list(BAND_SETS.values()), ids=list(BAND_SETS))
@pytest.mark.parametrize("n_panels", [1, 4, 5])
def test_no_box_label_is_crossed_by_the_track(bands, n_panels):
    track = ssp_track(bands)
    rng = np.random.default_rng(0)
    panels = [(f"class {k}", rng.normal(-0.5, 0.5, 50), rng.normal(0.6, 0.4, 50)) for k in range(1, n_panels + 1)]
    fig = fig_colour_colour(panels, track, "classified: U-B vs V-I", reddening=(0.43, 0.25, "A_V = 1"))
    renderer = _drawn(fig)
    for ax in [a for a in fig.axes if a.get_visible()]:
        labels, lines = _labels_and_track(ax, len(track))
        assert sorted(labels) == [f"box {k}" for k in sorted(BOXES)]
        assert len(lines) == 1
        path = lines[0].get_transform().transform_path(lines[0].get_path())
        frames = _frames(ax, renderer)
        for text, label in labels.items():
            box = label.get_window_extent(renderer)
            assert not path.intersects_bbox(box, filled=False), f"{bands}: the track crosses the label {text!r}"
            frame = frames[int(text.split()[1])]
            # the label is inside its own box (a pixel for rounding)
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, text
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, text
        boxes = [lab.get_window_extent(renderer) for lab in labels.values()]
        ages = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().endswith(("Myr", "Gyr"))]
        assert len(ages) == 5
        for i, b in enumerate(boxes):
            assert not any(b.overlaps(o) for o in boxes[i + 1:] + ages), "a box label covers another label"


def test_a_track_along_a_corner_moves_that_label_only():
    # a vertical line down the left edge of box 3 (V-I 0.15): box 3's label moves right of it, the others stay put
    track = Table({"age": np.logspace(6, 10, 20), "v_i": np.full(20, 0.15), "u_b": np.linspace(-1.3, -0.2, 20)})
    fig = fig_colour_colour([("class 1", np.array([0.0]), np.array([0.5]))], track)
    renderer = _drawn(fig)
    ax = fig.axes[0]
    labels, lines = _labels_and_track(ax, len(track))
    path = lines[0].get_transform().transform_path(lines[0].get_path())
    assert not path.intersects_bbox(labels["box 3"].get_window_extent(renderer), filled=False)
    assert labels["box 3"].get_position()[0] > 0.15
    for k in (1, 2, 4):
        v0, _, _, u1 = BOXES[k]
        np.testing.assert_allclose(labels[f"box {k}"].get_position(), (v0 + 0.03, u1 - 0.04))


def test_without_a_track_the_labels_keep_their_bottom_left_corners():
    fig = fig_colour_colour([("class 1", np.array([0.0]), np.array([0.5]))])
    labels, _ = _labels_and_track(fig.axes[0])
    assert len(fig.axes[0].lines) == 0
    for k, (v0, _, _, u1) in BOXES.items():
        np.testing.assert_allclose(labels[f"box {k}"].get_position(), (v0 + 0.03, u1 - 0.04))


@pytest.mark.parametrize("bands", list(BAND_SETS.values()), ids=list(BAND_SETS))
def test_the_age_and_reddening_labels_are_small_text_and_clear_of_each_other(bands):
    # at 6 pt (until 2026-12-07) they could not be read beside the 8-pt ticks; at 8 pt, all right of their marks,
    # they filled box 3 where a track runs down its edge: they are placed after the box labels, clear of them
    from starclass.report.figures import SMALL_TEXT

    track = ssp_track(bands)
    rng = np.random.default_rng(1)
    panels = [(f"class {k}", rng.normal(-0.5, 0.5, 50), rng.normal(0.6, 0.4, 50)) for k in (1, 2)]
    fig = fig_colour_colour(panels, track, "classified: U-B vs V-I", reddening=(0.43, 0.25, "A_V = 1"))
    renderer = _drawn(fig)
    for ax in fig.axes:
        ages = [t for t in ax.texts if t.get_text().endswith(("Myr", "Gyr"))]
        av = [t for t in ax.texts if t.get_text() == "A_V = 1"]
        assert len(ages) == 5 and len(av) == 1
        assert {t.get_fontsize() for t in ages + av} == {SMALL_TEXT}
        boxes = [t.get_window_extent(renderer) for t in ages + av]
        panel = ax.get_window_extent(renderer)
        for i, b in enumerate(boxes):
            assert not any(b.overlaps(o) for o in boxes[i + 1:]), "two of the age and reddening labels overlap"
            assert panel.x0 <= b.x0 and b.x1 <= panel.x1 and panel.y0 <= b.y0 and b.y1 <= panel.y1
