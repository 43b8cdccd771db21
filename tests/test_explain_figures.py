"""explain's figures: long class names and titles stay inside their panels (2026-12-03).

With the legus4 task's names a mistake's title, ``symmetric cluster -> compact association``,
ran across the neighbouring panels of ``overlays_<method>.png``.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.explain.figures import fig_mean_maps, fig_overlays
from starclass.learn.config import get_preset


def _titles_fit(fig) -> list[str]:
    """Titles wider than their panel, or overlapping a neighbour's title (empty: all fit)."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    bad, boxes = [], []
    for ax in fig.axes:
        t = ax.title
        if not t.get_text():
            continue
        tb, ab = t.get_window_extent(r), ax.get_window_extent(r)
        # a panel's title may not be wider than the panel (one pixel for rounding)
        if tb.width > ab.width + 1:
            bad.append(f"{t.get_text()!r}: {tb.width:.0f} px over a {ab.width:.0f} px panel")
        boxes.append((t.get_text(), tb))
    for i, (ti, bi) in enumerate(boxes):
        for tj, bj in boxes[i + 1:]:
            if bi.overlaps(bj):
                bad.append(f"{ti!r} overlaps {tj!r}")
    sup = fig._suptitle
    if sup is not None and sup.get_window_extent(r).width > fig.bbox.width + 1:
        bad.append(f"suptitle {sup.get_text()!r} wider than the figure")
    return bad


@pytest.mark.parametrize("per_class", [1, 3])
def test_overlay_titles_with_long_class_names_stay_in_their_panels(per_class):
    cfg = get_preset("legus4")
    names = dict(zip(cfg.classes, cfg.class_names))
    ref = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    pred = np.array([3, 1, 4, 3, 2, 4, 1, 3, 2, 3, 4, 1])  # mistakes name the longest classes
    img = np.random.default_rng(0).random((len(ref), 12, 12))
    fig = fig_overlays(img, img, ref, pred, names, per_class,
                       "legus4-compact: compact: guided-gradcam of a long model name", origin="lower")
    assert _titles_fit(fig) == []
    # nothing lost: every panel still names its class and the predicted one
    titles = [ax.get_title().replace("\n", " ") for ax in fig.axes if ax.get_title()]
    assert "symmetric cluster -> compact association" in titles


def test_mean_map_titles_with_long_class_names_stay_in_their_panels():
    names = {1: "symmetric cluster with a very long descriptive name", 2: "non-cluster"}
    maps = {"guided-gradcam": np.random.default_rng(1).random((4, 8, 8))}
    fig = fig_mean_maps(maps, {1: np.array([0, 1]), 2: np.array([2, 3])}, names, "t")
    assert _titles_fit(fig) == []


def test_report_gradcam_and_gallery_titles_stay_in_their_panels():
    """The report's Grad-CAM mean maps ('mean, compact association') and gallery titles overflowed."""
    from starclass.report.figures import fig_gallery, fig_gradcam

    cfg = get_preset("legus4")
    names = dict(zip(cfg.classes, cfg.class_names))
    avg = {k: np.random.default_rng(k).random((12, 12)) for k in names}
    prof = {k: (np.arange(4.0), np.ones(4)) for k in names}
    img = np.random.default_rng(0).random((8, 12, 12))
    labels = [f"pred {names[k]}" for k in (1, 2, 3, 4, 3, 2, 1, 3)]
    fig = fig_gradcam(img, img, labels, avg, prof, "Grad-CAM", names=names)
    assert _titles_fit(fig) == []
    titles = [f"true {names[3]}\npred {names[1]} (0.93)"] * 8
    assert _titles_fit(fig_gallery(img, titles, "most confident mistakes")) == []


def _colour_bars(fig) -> dict[str, list[float]]:
    """Label -> the top of the value range of each colour bar drawn for an image of ``fig``."""
    bars: dict[str, list[float]] = {}
    for ax in fig.axes:
        for im in ax.images:
            b = im.colorbar
            if b is not None:
                horizontal = b.orientation == "horizontal"
                label = b.ax.get_xlabel() if horizontal else b.ax.get_ylabel()
                bars.setdefault(label, []).append(float((b.ax.get_xlim() if horizontal else b.ax.get_ylim())[1]))
    return bars


def test_explain_and_report_maps_have_labelled_colour_bars():
    """The saliency overlays and the mean maps (explain, and the report's Grad-CAM) had no colour
    bar: the jet/inferno colours read as no value, and each mean map is on a scale of its own."""
    from starclass.report.figures import fig_gradcam

    rng = np.random.default_rng(0)
    maps = rng.random((4, 8, 8))
    over = _colour_bars(fig_overlays(rng.random((4, 8, 8)), maps, np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]),
                                     {1: "a", 2: "b"}, 2, "t"))
    assert list(over) == ["saliency (each map / its peak)"]
    assert over["saliency (each map / its peak)"] == [1.0]            # maps are 0..1 of their peak
    groups = {1: np.array([0, 1]), 2: np.array([2, 3])}
    means = [float(maps[g].mean(axis=0).max()) for g in groups.values()]
    bars = _colour_bars(fig_mean_maps({"gradcam": maps}, groups, {1: "a", 2: "b"}, "t"))
    assert list(bars) == ["mean gradcam"]
    assert bars["mean gradcam"] == pytest.approx(means)               # one bar per panel, its own scale
    avg = {k: rng.random((8, 8)) * k for k in (1, 2)}
    prof = {k: (np.arange(4.0), np.ones(4)) for k in avg}
    rep = _colour_bars(fig_gradcam(rng.random((4, 8, 8)), maps, ["x"] * 4, avg, prof, "t"))
    # the report's Grad-CAM: one bar, one scale for the overlays and the mean maps (since 2026-12-07)
    from starclass.report.figures import GRADCAM_BAR

    assert rep == {GRADCAM_BAR: [pytest.approx(max(float(m.max()) for m in avg.values()))]}


def _bars_clear_of_titles(fig) -> list[str]:
    """Colour-bar labels and tick labels that overlap a panel title or the suptitle, or leave the figure."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    titles = [ax.title for ax in fig.axes if ax.title.get_text()]
    if fig._suptitle is not None:
        titles.append(fig._suptitle)
    bad = []
    for ax in fig.axes:
        for bar in ax.child_axes:
            for text in [bar.xaxis.label, *bar.get_xticklabels()]:
                box = text.get_window_extent(r)
                if not text.get_text():
                    continue
                bad += [f"{text.get_text()!r} over {t.get_text()!r}" for t in titles
                        if box.overlaps(t.get_window_extent(r))]
                if box.y0 < 0:
                    bad.append(f"{text.get_text()!r} below the figure")
    return bad


@pytest.mark.parametrize("n_methods", [1, 2, 3])
@pytest.mark.parametrize("n_classes", [1, 2])
def test_mean_map_colour_bars_stay_clear_of_the_next_rows_titles(n_methods, n_classes):
    """With two or three methods (explain's default), each row's "mean gradcam" bar label was drawn over the
    title of the row below (plt.subplots' default gap)."""
    rng = np.random.default_rng(0)
    maps = {m: rng.random((4, 8, 8)) for m in ("gradcam", "guided-gradcam", "cam")[:n_methods]}
    groups = {c: np.array([c - 1]) for c in range(1, n_classes + 1)}
    fig = fig_mean_maps(maps, groups, {1: "symmetric cluster with a very long descriptive name", 2: "non-cluster"},
                        "task m31-real: mean maps per class")
    assert _bars_clear_of_titles(fig) == []
    assert _titles_fit(fig) == []
