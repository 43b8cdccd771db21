"""``explain`` masks its maps where a cutout has no data, and sizes the overlay grid to the stamps.

A FITS cutout at a detector edge holds NaN columns; ``cutout_inputs`` fills them with the normalised
background for the network. Until 2026-12-05 Grad-CAM was drawn (and saved, and averaged into the class
means and profiles) over those columns as over the sky, and each map was scaled to a peak that could lie
there. Now the maps are NaN where the input has no data (``maps.npz`` also holds ``no_data``), scaled to
the peak of the pixels with data, and the overlays draw those pixels in one colour with a legend saying
so. The overlay grid was ``--per-class`` columns wide whatever the number of stamps: half of the figure
empty for a few.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def model_and_edge_cutouts(tmp_path_factory):
    """An untrained cool-core-compact model (48 px) and six 24 px FITS cutouts, the first 6 columns NaN in three."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    root = tmp_path_factory.mktemp("explain_nodata")
    write_untrained_model(root / "model", get_preset("cool-core-compact", stamp_size=48), seed=0)
    rng = np.random.default_rng(2)
    yy, xx = np.mgrid[:24, :24] - 11.5
    lines = ["file,label"]
    for i in range(6):
        img = rng.poisson(0.5 + 40 * np.exp(-0.5 * (xx ** 2 + yy ** 2) / 2.0 ** 2)).astype(np.float32)
        if i % 2 == 0:
            img[:, :6] = np.nan  # off the detector
        fits.writeto(root / f"c{i}.fits", img)
        lines.append(f"c{i}.fits,{1 + i % 3}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root


def test_maps_are_masked_where_the_cutout_has_no_data(model_and_edge_cutouts, tmp_path):
    root = model_and_edge_cutouts
    out = tmp_path / "ex"
    r = CliRunner().invoke(app, ["explain", str(root / "model"), str(root / "labels.csv"), "-o", str(out),
                                 "--method", "gradcam", "--method", "guided-backprop", "--no-progress"])
    assert r.exit_code == 0, r.output
    saved = np.load(out / "maps.npz")
    # 6 of 24 columns NaN in the even cutouts: 12 of the 48 resampled ones, and the 13th, which bilinear
    # resampling mixes with them
    no_data = np.zeros((6, 48, 48), bool)
    no_data[::2, :, :13] = True
    for method in ("gradcam", "guided-backprop"):
        m = saved[method]
        assert np.isnan(m[no_data]).all(), method
        assert np.isfinite(m[~no_data]).all(), method
        # each map scaled to the peak of its pixels with data
        peaks = np.nanmax(m.reshape(6, -1), axis=1)
        assert np.all((peaks == 0) | np.isclose(peaks, 1.0)), (method, peaks)
    assert np.array_equal(saved["no_data"], no_data)
    assert "3 of the 6 stamps have pixels without data" in r.output, r.output
    # the profiles are over the pixels with data: no NaN written
    from astropy.table import Table

    assert np.isfinite(Table.read(out / "tables" / "profiles.ecsv")["mean"]).all()


def test_overlays_fit_the_grid_to_the_stamps_and_say_where_there_is_no_data():
    from starclass.explain import figures
    from starclass.explain.figures import fig_overlays

    images, maps = np.ones((3, 8, 8)), np.full((3, 8, 8), 0.5)
    ref = np.array([1, 2, 2])
    clean = fig_overlays(images, maps.copy(), ref, ref, {1: "a", 2: "b"}, 6, "t")
    # two rows (classes) of two columns (the most stamps of a class), not of six; the colour bar besides
    assert len(clean.axes) == 2 * 2 + 1 and len([ax for ax in clean.axes if ax.images]) == 3
    assert clean.legends == []  # nothing to say without a pixel lacking data
    no_data = np.zeros((3, 8, 8), bool)
    no_data[0, :, :2] = True
    maps[no_data] = np.nan
    fig = fig_overlays(images, maps, ref, ref, {1: "a", 2: "b"}, 6, "t", no_data=no_data)
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert [t.replace("\n", " ") for t in texts] == [figures.NO_DATA_LABEL]
