"""Grad-CAM maps that are zero everywhere say so (2026-12-04).

Grad-CAM keeps the positive part of the weighted feature maps; for a confident prediction the
sum is often negative at every pixel, and the map comes out zero. The report and ``explain``
drew such a map as a flat tint with nothing saying why.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from starclass.explain.figures import fig_mean_maps, fig_overlays  # noqa: E402
from starclass.report.figures import fig_gradcam  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test draws a few figures: close them (pyplot keeps every open one)."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _net() -> nn.Module:
    """One positive feature map; class 1's logit falls with it, class 2's rises.

    On positive stamps Grad-CAM of output 0 is the ReLU of a negative map (zero everywhere) and
    of output 1 a positive one.
    """
    conv = nn.Conv2d(1, 1, 1)
    lin = nn.Linear(1, 2)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        conv.bias.zero_()
        lin.weight.copy_(torch.tensor([[-1.0], [1.0]]))
        lin.bias.zero_()
    return nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), lin)


def _stamps(n: int) -> np.ndarray:
    yy, xx = np.mgrid[:12, :12]
    blob = np.exp(-((xx - 5.5) ** 2 + (yy - 5.5) ** 2) / 8.0) + 0.1
    return np.repeat(blob[None, None], n, axis=0).astype(np.float32)


def _titles(fig) -> list[str]:
    return [ax.get_title().replace("\n", " ") for ax in fig.axes if ax.get_title()]


def test_report_figure_titles_a_zero_map():
    maps = np.random.default_rng(0).random((4, 8, 8))
    maps[1] = 0.0
    avg = {1: np.zeros((8, 8)), 2: maps[2:].mean(axis=0)}
    prof = {k: (np.arange(4.0), np.zeros(4)) for k in avg}
    fig = fig_gradcam(maps, maps, ["pred a", "pred a", "pred b", "pred b"], avg, prof, "t", names={1: "a", 2: "b"})
    titles = _titles(fig)
    assert titles[:4] == ["pred a", "pred a Grad-CAM zero everywhere", "pred b", "pred b"]
    assert "mean, a all maps zero everywhere" in titles
    assert "mean, b" in titles


def test_report_section_counts_zero_maps_and_keeps_zeros_in_profiles():
    from starclass.report.build import _gradcam_section

    classes = np.array([1, 1, 2, 2])
    sec = _gradcam_section((_net(), _stamps(4), classes), (1, 2), {1: "a", 2: "b"})
    fig = next(i for i in sec.items if i.kind == "figure")
    assert "2 of the 4 maps are zero everywhere" in fig.caption
    prof = next(i.content for i in sec.items if i.kind == "table")
    means = np.asarray(prof["mean_gradcam"], float)
    assert np.isfinite(means).all()
    zero = np.asarray(prof["class"]) == 1
    # the zero maps are averaged as zeros (not NaN, not left out); the other class is not zero
    assert zero.any() and np.all(means[zero] == 0) and np.all(means[~zero] > 0)


def test_explain_titles_and_notes_name_zero_maps():
    from starclass.explain.run import explain_inputs

    res = explain_inputs(_net(), _stamps(4), np.array([1, 1, 2, 2]), [1, 2], methods=("gradcam",), min_size=1)
    # every stamp is predicted class 2 (positive evidence), so no map is zero; ask the net of class 1
    assert not any("zero everywhere" in n for n in res.notes)
    one = _stamps(4)
    one[0] *= -1  # no positive feature at all: its map is zero, whatever the class
    res = explain_inputs(_net(), one, np.array([1, 1, 2, 2]), [1, 2], methods=("gradcam",), min_size=1)
    assert any(n.startswith("gradcam: 1 of the 4 maps is zero everywhere") for n in res.notes)
    flipped = _net()
    with torch.no_grad():
        flipped[-1].bias.copy_(torch.tensor([10.0, 0.0]))  # class 1 predicted: its map is zero
    res = explain_inputs(flipped, _stamps(4), np.array([1, 1, 2, 2]), [1, 2], methods=("gradcam",), min_size=1)
    assert any(n.startswith("gradcam: 4 of the 4 maps are zero everywhere") for n in res.notes)
    assert np.isfinite(np.asarray(res.profiles["mean"], float)).all()
    assert np.all(np.asarray(res.profiles["mean"], float) == 0)
    img = _stamps(4)[:, 0]
    names = {1: "a", 2: "b"}
    over = _titles(fig_overlays(img, res.maps["gradcam"], res.class_ref, res.class_pred, names, 2, "t",
                                method="gradcam"))
    assert over == ["a ok gradcam zero everywhere"] * 2 + ["b -> a gradcam zero everywhere"] * 2
    mean = _titles(fig_mean_maps(res.maps, res.groups, names, "t"))
    assert mean and all(t.endswith("all maps zero everywhere") for t in mean)


def _bar_offsets(fig) -> list[str]:
    """The offset texts (``1e-6``) of the figure's horizontal colour bars, once drawn."""
    fig.canvas.draw()
    bars = [im.colorbar for ax in fig.axes for im in ax.images if im.colorbar is not None]
    return [b.ax.xaxis.get_offset_text().get_text() for b in bars if b.orientation == "horizontal"]


def test_a_zero_mean_map_has_a_plain_colour_bar():
    """The zero mean map's bar ran from 0 to 1e-6, its offset '1e-6' written over the bar's label."""
    maps = np.random.default_rng(0).random((4, 8, 8))
    avg = {1: np.zeros((8, 8)), 2: maps[2:].mean(axis=0)}
    prof = {k: (np.arange(4.0), np.zeros(4)) for k in avg}
    rep = fig_gradcam(maps, maps, ["x"] * 4, avg, prof, "t")
    assert _bar_offsets(rep) and all(t == "" for t in _bar_offsets(rep))
    mean = fig_mean_maps({"gradcam": np.concatenate([np.zeros((2, 8, 8)), maps[2:]])},
                         {1: np.array([0, 1]), 2: np.array([2, 3])}, {1: "a", 2: "b"}, "t")
    assert _bar_offsets(mean) and all(t == "" for t in _bar_offsets(mean))
