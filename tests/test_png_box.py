"""The report's PNGs are the ones ``savefig(bbox_inches="tight")`` writes, byte for byte, measured in one pass less.

``report.figures.png_box`` measures a figure's tight box itself, so that ``savefig`` does not lay the figure out
once more before measuring it (2026-12-07: drawing the figures was half of ``starclass evaluate`` on the demo's
catalogue, and this pass a quarter of it; ``benchmarks/evaluate_stages.py``). Each figure here is built twice,
alike: one saved as before, one through :func:`to_png_base64` and :func:`save_png`.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.transforms import Bbox

from starclass.evaluate.curves import one_vs_rest
from starclass.report import figures as F


def _curves():
    rng = np.random.default_rng(0)
    ref = rng.integers(1, 5, 400)
    probs = rng.dirichlet(np.ones(4), 400)
    probs[np.arange(400), ref - 1] += 0.5
    probs /= probs.sum(axis=1, keepdims=True)
    groups = {str(k): (k,) for k in (1, 2, 3, 4)}
    roc, pr, _ = one_vs_rest(ref, probs, "4class", (1, 2, 3, 4), groups=groups)
    # legends placed 'best' over hundreds of points, a suptitle above two titled panels
    return F.fig_curves(roc, pr, "4class: a title over both panels")


def _by_group():
    tab = Table({"group": ["a field with a long name", "b", "(all)"], "n": [10, 20, 30],
                 "accuracy": [0.9, 0.6, 0.7], "accuracy_lo": [0.6, 0.39, 0.52], "accuracy_hi": [0.98, 0.78, 0.83]})
    return F.fig_by_group(tab, "field", "accuracy per field")  # laid out by tight_layout, once


def _confusion():
    counts = np.array([[50, 3, 1], [4, 40, 9], [0, 7, 60]])
    return F.fig_confusion(counts, counts / counts.sum(axis=1, keepdims=True), ["1 (symmetric)", "2", "3"],
                           "4class: accuracy 0.860", xlabel="prediction", ylabel="truth")


def _colour_bar():
    fig, ax = F.new_subplots(figsize=(3, 3))
    F.bar_below(fig, ax, ax.imshow(np.arange(64.0).reshape(8, 8)), "mean map")  # an inset axes with a locator
    ax.set_title("a panel")
    return fig


BUILDERS = {"curves": _curves, "by_group": _by_group, "confusion": _confusion, "colour_bar": _colour_bar}


def _tight_png(fig, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_png_is_savefigs_tight_png(name, tmp_path):
    build = BUILDERS[name]
    before = _tight_png(build(), 85)
    fig = build()
    box = F.png_box(fig, 85)
    assert isinstance(box, Bbox)  # measured here: savefig's own first pass is not run
    assert base64.b64decode(F.to_png_base64(fig, dpi=85)) == before
    # save_png's default resolution, as explain and the notebooks use it
    F.save_png(build(), tmp_path / "f.png", dpi=110)
    assert (tmp_path / "f.png").read_bytes() == _tight_png(build(), 110)


def test_a_figure_with_a_layout_engine_is_left_to_savefig():
    fig = F.new_figure(layout="constrained")
    assert F.png_box(fig, 85) is None
    fig = F.new_figure(layout="tight")
    assert F.png_box(fig, 85) == "tight"  # its engine lays it out in savefig's first pass
