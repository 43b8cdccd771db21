"""The report's Grad-CAM figure draws every map on one colour scale, with one colour bar, and no blank band.

Until 2026-12-07 each mean map had a scale and a bar of its own (the same colour read 0.3 in one panel and 0.9 in
the next) besides the examples' bar, and the figure was 6.2 in tall whatever its width: a blank band between its
rows. Read from the figure's images, colour bars and panel positions.
"""

from __future__ import annotations

import numpy as np

from starclass.report import figures as F


def _figure(nav: int = 3):
    yy, xx = np.mgrid[:16, :16]
    blob = np.exp(-((xx - 8) ** 2 + (yy - 8) ** 2) / 18.0)
    maps = np.stack([blob] * 8)
    avg = {k: blob * (0.3 * k) for k in range(1, nav + 1)}  # peaks 0.3, 0.6, 0.9
    prof = {k: (np.arange(8.0), m[8, 8:]) for k, m in avg.items()}
    return F.fig_gradcam(np.ones((8, 16, 16)), maps, ["x"] * 8, avg, prof, "Grad-CAM", pixel_scale=0.1)


def test_every_map_is_on_one_scale_with_one_bar():
    fig = _figure()
    overlays = [ax.images[-1] for ax in fig.axes if len(ax.images) == 2]  # stamp + overlay
    means = [ax.images[0] for ax in fig.axes if ax.get_title().startswith("mean, ")]
    assert len(overlays) == 8 and len(means) == 3
    assert {im.get_clim() for im in overlays + means} == {(0.0, 1.0)}
    bars = {id(im.colorbar): im.colorbar for im in overlays + means if im.colorbar is not None}
    assert len(bars) == 1
    (bar,) = bars.values()
    assert bar.ax.get_xlabel() == F.GRADCAM_BAR
    # the bar spans the mean maps it is read against
    fig.canvas.draw()
    panels = [ax for ax in fig.axes if ax.get_title().startswith("mean, ")]
    box = bar.ax.get_position()
    assert box.x0 <= panels[0].get_position().x0 + 0.01 and box.x1 >= panels[-1].get_position().x1 - 0.01
    F._close(fig)


def test_no_blank_band_between_the_rows():
    fig = _figure()
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    first = next(ax for ax in fig.axes if len(ax.images) == 2)
    mean = next(ax for ax in fig.axes if ax.get_title().startswith("mean, "))
    # from the examples' bottom edge to the mean maps' titles: room for no more than a title line or two
    gap = first.get_window_extent(r).y0 - mean.title.get_window_extent(r).y1
    assert 0 < gap < 0.45 * fig.dpi, gap / fig.dpi
    title = fig._suptitle.get_window_extent(r)
    assert 0 < title.y0 - first.title.get_window_extent(r).y1 < 0.45 * fig.dpi
    F._close(fig)


def test_the_colour_bar_ticks_read_at_the_size_of_the_figure_s_other_small_print():
    # the bar's tick labels were 6 pt beside 7-8 pt titles, label and legend: unreadable in the page, where the
    # 16-inch figure is shown at about 0.8 of its size
    fig = _figure()
    fig.canvas.draw()
    bar = next(im.colorbar for ax in fig.axes for im in ax.images if im.colorbar is not None)
    ticks = [t for t in bar.ax.get_xticklabels() if t.get_text()]
    assert ticks
    others = [ax.title for ax in fig.axes if ax.get_title()] + [bar.ax.xaxis.label]
    others += [t for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    smallest_other = min(t.get_fontsize() for t in others)
    assert {t.get_fontsize() for t in ticks} == {smallest_other}
    assert smallest_other == F.SMALL_TEXT >= 7
    F._close(fig)
