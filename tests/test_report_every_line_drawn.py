"""Every line the reliability and deferral figures are given is drawn; a gallery's cutouts sit centred.

Until 2026-12-07 :func:`starclass.report.figures.fig_reliability` and :func:`~starclass.report.figures.fig_deferral`
zipped their lines with the four colours of ``METRIC_PALETTE``: a fifth panel or ordering was silently not drawn.
Past the palette the colours now come round with another dash (:func:`~starclass.report.figures.line_styles`), no two
lines alike. A gallery of fewer cutouts than its width's columns (one cutout in a figure three columns wide) sat right
of its title's centre on matplotlib's default margins; now centred. Read from the figures' lines and panels.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.evaluate.reliability import deferral_curve, reliability_table
from starclass.report import figures as F


def _style(line) -> tuple[str, str]:
    return line.get_color(), line.get_linestyle()


@pytest.mark.parametrize("n", [1, 4, 5, 6])
def test_reliability_draws_a_line_of_its_own_for_every_panel(n):
    rng = np.random.default_rng(1)
    probs = rng.dirichlet([2, 1, 1], 120)
    t = reliability_table(probs, rng.integers(0, 3, 120))
    fig = F.fig_reliability([(f"panel {i}", t, 0.1) for i in range(n)], "reliability diagram")
    drawn = [ln for ln in fig.axes[0].lines if ln.get_label().startswith("panel ")]
    assert [ln.get_label().split(" (")[0] for ln in drawn] == [f"panel {i}" for i in range(n)]
    assert len({_style(ln) for ln in drawn}) == n
    # the histogram underneath: one set of bars per panel, in its line's colour
    assert len(fig.axes[1].containers) == n


@pytest.mark.parametrize("n", [3, 5, 9])
def test_deferral_draws_a_line_of_its_own_for_every_ordering(n):
    t = deferral_curve([0.9, 0.1, 0.5, 0.2], [False, True, True, True], [0.0, 0.25])
    fig = F.fig_deferral({f"ordering {i}": t for i in range(n)}, "deferral")
    drawn = fig.axes[0].lines
    assert [ln.get_label() for ln in drawn] == [f"ordering {i}" for i in range(n)]
    assert len({_style(ln) for ln in drawn}) == n


def test_line_styles_are_all_different_up_to_sixteen():
    assert len(set(F.line_styles(16))) == 16
    assert [c for c, _ in F.line_styles(len(F.METRIC_PALETTE))] == list(F.METRIC_PALETTE)


@pytest.mark.parametrize("n", [1, 2, 3, 9])
def test_gallery_cutouts_sit_centred_under_the_title(n):
    fig = F.fig_gallery(np.random.default_rng(0).normal(size=(n, 16, 16)), ["true cluster"] * n, "gallery")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [ax.get_images()[0].get_window_extent(r) for ax in fig.axes]
    rows_left = min(b.x0 for b in boxes)
    rows_right = max(b.x1 for b in boxes)
    width = fig.get_size_inches()[0] * fig.dpi
    title = fig._suptitle.get_window_extent(r)
    # the margins either side of the cutouts alike (within a pixel), and the title's centre the cutouts'
    assert rows_left == pytest.approx(width - rows_right, abs=1.0)
    assert (title.x0 + title.x1) / 2 == pytest.approx((rows_left + rows_right) / 2, abs=1.0)


def test_explain_profiles_draw_each_class_in_its_report_colour():
    from astropy.table import Table
    from matplotlib.colors import to_hex

    from starclass.explain.figures import fig_profiles

    t = Table(rows=[("cam", c, r, r, 1.0 / (1 + r), 3) for c in (1, 2, 3) for r in (0.5, 1.5)],
              names=("method", "class", "radius_px", "radius_arcsec", "mean", "n_stamps"))
    fig = fig_profiles(t, {1: "cool core", 2: "weak cool core", 3: "non-cool core"}, "profiles")
    drawn = {ln.get_label(): to_hex(ln.get_color()) for ln in fig.axes[0].lines}
    assert drawn == {n: F.colour_of(str(c)) for c, n in ((1, "cool core"), (2, "weak cool core"), (3, "non-cool core"))}


@pytest.mark.parametrize("n_classes", [2, 5])
def test_gradcam_profile_key_covers_no_curve(n_classes):
    """A five-class key inside the profile panel covered a third of its curves (the gc five-class report)."""
    names = {k: f"class name {k}" for k in range(1, n_classes + 1)}
    rng = np.random.default_rng(0)
    avg = {k: rng.random((12, 12)) for k in names}
    r = np.linspace(0, 300, 40)
    prof = {k: (r, 0.1 + 0.25 * np.exp(-r / (60 * k)) + 0.02 * k) for k in names}
    img = rng.random((8, 12, 12))
    fig = F.fig_gradcam(img, img, [f"pred {names[1]}"] * 8, avg, prof, "Grad-CAM", names=names)
    ax = next(a for a in fig.axes if a.get_legend() is not None)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    key = ax.get_legend().get_window_extent(renderer)
    points = np.concatenate([ln.get_transform().transform(ln.get_xydata()) for ln in ax.lines])
    inside = (points[:, 0] > key.x0) & (points[:, 0] < key.x1) & (points[:, 1] > key.y0) & (points[:, 1] < key.y1)
    assert not inside.any()
    # and clear of every other panel (saved with a tight box: a key under the figure's edge widens the PNG)
    assert not any(key.overlaps(a.get_window_extent(renderer)) for a in fig.axes if a is not ax and a.get_visible())
