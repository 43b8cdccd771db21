"""The mass-vs-age panels of one figure share their axes, so that panels side by side read alike.

Until 2026-12-07 only the y axis was shared: the panels of one figure (classes, or the LEGUS fields of ``report
--catalogs``) each chose their own age range, and side by side they read on different x axes. Read from the
figure's axes: one x and one y range, the x tick labels and label under the lowest panel of each column, also
above an empty place of a grid whose last row is not full.
"""

from __future__ import annotations

import numpy as np

from starclass.report import figures as F


def _panel(label: str, lo: float, hi: float, seed: int) -> tuple[str, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return label, 10 ** rng.uniform(3, 5, 30), 10 ** rng.uniform(lo, hi, 30)


def test_panels_side_by_side_share_their_age_and_mass_ranges():
    fig = F.fig_mass_age([_panel("young", 6.0, 7.0, 0), _panel("old", 8.5, 10.0, 1)], "mass vs age")
    a, b = fig.axes[:2]
    assert a.get_xlim() == b.get_xlim() and a.get_ylim() == b.get_ylim()
    lo, hi = a.get_xlim()
    assert lo <= 6.0 and hi >= 10.0  # both samples within the one range
    F._close(fig)


def test_a_grid_says_its_x_axis_under_the_lowest_panel_of_each_column():
    panels = [_panel(f"field {i}", 6.0 + i, 7.0 + i, i) for i in range(5)]
    fig = F.fig_mass_age(panels, "mass vs age per field", ncols=3)
    fig.canvas.draw()
    shown = fig.axes[:5]
    assert len({ax.get_xlim() for ax in shown}) == 1
    labelled = [i for i, ax in enumerate(shown) if any(t.get_visible() and t.get_text()
                                                       for t in ax.get_xticklabels())]
    assert labelled == [2, 3, 4], labelled  # 2: above the empty place of the last row
    assert [i for i, ax in enumerate(shown) if ax.get_xlabel()] == [2, 3, 4]
    F._close(fig)
