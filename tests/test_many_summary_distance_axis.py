"""Every distance axis of the many-field summary figure spans the same range.

Until 2026-12-05 'evaluate --catalogs ONE_FIELD.tab' drew the mass-slope panel's distance axis
from near 1 Mpc (autoscaled, its dashed -2 line over the whole axis), where the other panels
start at 3 Mpc, so one field's point sat at another place in that panel.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.report.many import summary_figure
from starclass.science.many import many_field_tables


@pytest.mark.parametrize("keep", [1, 3])
def test_every_distance_axis_spans_the_same_range(tmp_path, keep):
    folder = write_fake_legus_folder(tmp_path / "legus")
    for p in sorted(folder.glob("*.tab"))[keep:]:
        p.unlink()
    tables = many_field_tables(folder, ladder=False)
    fig = summary_figure(tables)
    try:
        distance_axes = [ax for ax in fig.axes if ax.get_xlabel() == "distance [Mpc]"]
        assert len(distance_axes) == 5  # CI, M_V, U-B, V-I and the mass slope (no ladder here)
        assert "mass function slope" in distance_axes[-1].get_title()
        lims = [ax.get_xlim() for ax in distance_axes]
        assert np.allclose(lims, lims[0]), lims
        d = np.asarray(tables["fields"]["distance_mpc"], float)
        lo, hi = lims[0]
        # the ticks (3-18 Mpc) and every field lie inside, with no empty decade to the left
        assert lo < min(3.0, d.min()) and hi > max(18.0, d.max())
        assert lo > 0.8 * min(3.0, d.min())
    finally:
        plt.close(fig)
