"""The report's Grad-CAM section masks cutouts' NaN pixels as ``starclass explain`` does (2026-12-05).

Before: ``explain`` blanked its maps where a FITS cutout has no data (NaN, filled with the
background for the network), but the report's own Grad-CAM section drew its maps, class means and
radial profiles over those pixels, with the map's peak often on the edge of the NaN stripe.
"""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from astropy.table import Table  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """The section draws a figure: close it (pyplot keeps every open one)."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _inputs():
    """Grad-CAM inputs of six two-band 16 px cutouts, the first three with four NaN columns."""
    from starclass.io.cutout_folders import CutoutSet
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.science.gradcam import cutout_gradcam_inputs

    torch.manual_seed(0)
    d = write_untrained_model(tempfile.mkdtemp(), get_preset("galaxy-cluster-compact", stamp_size=16))
    images = np.random.default_rng(1).normal(size=(6, 2, 16, 16)).astype("f4") + 3.0
    images[:3, :, :, :4] = np.nan  # off the detector
    files = [f"c{i}.fits" for i in range(6)]
    cut = CutoutSet(images=images, table=Table({"file": files}), files=files, labels=None,
                    groups=np.array(files), bands=["xray", "optical"])
    out = Table({"file": files, "class_pred": [1, 1, 1, 2, 2, 2]})
    return cutout_gradcam_inputs(d, cut, out, per_class=3), images


def test_report_gradcam_maps_are_blank_where_the_cutout_has_no_data():
    from starclass.explain.maps import mask_no_data, mean_over_data
    from starclass.report.build import _gradcam_section
    from starclass.science.gradcam import choose_layer, gradcam, radial_profile

    g, images = _inputs()
    net, x, classes = g
    # the mask is the cutouts' own NaN pixels, in the geometry of the inputs
    assert g.no_data.shape == (6, 16, 16)
    expect = np.zeros((6, 16, 16), bool)
    expect[:3, :, :4] = True  # every row is drawn (3 per class), in the folder's order
    assert np.array_equal(g.no_data, expect)

    # by hand: explain's masking of the plain Grad-CAM maps, class means over the data only
    target = np.array([g.model_classes.index(c) for c in classes])
    # at the report's layer, explain's choice (the last feature map until 2026-12-05)
    layer = choose_layer(net, torch.as_tensor(np.asarray(x[:1], np.float32))).module
    hand = mask_no_data(gradcam(net, np.asarray(x, np.float32), target=target, layer=layer), g.no_data)
    assert np.isnan(hand[g.no_data]).all() and np.isfinite(hand[~g.no_data]).all()
    sec = _gradcam_section(g, g.model_classes, {1: "a", 2: "b"})
    prof = next(i.content for i in sec.items if i.kind == "table")
    for k in (1, 2):
        r, p = radial_profile(mean_over_data(hand[np.asarray(classes) == k]))
        rows = np.asarray(prof["class"]) == k
        assert np.allclose(np.asarray(prof["radius_px"])[rows], r)
        assert np.allclose(np.asarray(prof["mean_gradcam"], float)[rows], p, atol=1e-5)
    cap = next(i.caption for i in sec.items if i.kind == "figure")
    assert "3 of the 6 cutouts have pixels without data" in cap


def test_report_gradcam_arrays_use_explains_mask():
    from starclass.report.build import _gradcam_maps

    g, _ = _inputs()
    _, classes, maps, avg, prof, n_masked = _gradcam_maps(g, g.model_classes)
    assert n_masked == 3
    assert np.isnan(maps[g.no_data]).all()
    good = maps[~g.no_data]
    assert np.isfinite(good).all() and good.min() >= 0
    # each masked map is scaled to the peak of its data pixels (unless zero there)
    for m in maps:
        peak = np.nanmax(m)
        assert peak == 0 or np.isclose(peak, 1.0)
    # the class with NaN cutouts has no data in its mean there; the other class is all data
    assert np.isnan(avg[1][:, :4]).all() and np.isfinite(avg[1][:, 4:]).all()
    assert np.isfinite(avg[2]).all()


def test_report_gradcam_without_no_data_is_unchanged():
    from starclass.report.build import _gradcam_maps
    from starclass.science.gradcam import GradcamInputs

    g, _ = _inputs()
    plain = GradcamInputs(g.network, g.inputs, g.classes, g.model_classes)
    _, _, maps, avg, _, n_masked = _gradcam_maps(plain, g.model_classes)
    assert n_masked == 0 and np.isfinite(maps).all()
    assert np.allclose(avg[2], maps[np.asarray(g.classes) == 2].mean(axis=0))


def test_report_counts_masked_maps_zero_on_their_data_as_zero():
    """A masked map zero at every pixel with data is zero everywhere, as ``explain``'s notes count it."""
    from torch import nn

    from starclass.report.build import _gradcam_section
    from starclass.science.gradcam import GradcamInputs

    conv, lin = nn.Conv2d(1, 1, 1), nn.Linear(1, 2)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        conv.bias.zero_()
        lin.weight.copy_(torch.tensor([[-1.0], [1.0]]))  # class 1's evidence is negative everywhere
        lin.bias.zero_()
    net = nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), lin)
    yy, xx = np.mgrid[:12, :12]
    blob = np.exp(-((xx - 5.5) ** 2 + (yy - 5.5) ** 2) / 8.0) + 0.1
    x = np.repeat(blob[None, None], 4, axis=0).astype(np.float32)
    no_data = np.zeros((4, 12, 12), bool)
    no_data[:, :, :2] = True
    g = GradcamInputs(net, x, np.array([1, 1, 2, 2]), (1, 2), no_data=no_data)
    cap = next(i.caption for i in _gradcam_section(g, (1, 2), {1: "a", 2: "b"}).items if i.kind == "figure")
    assert "2 of the 4 maps are zero everywhere" in cap
