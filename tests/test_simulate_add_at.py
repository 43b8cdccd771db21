"""The simulator's faster pixel sums give the same images, bit for bit, as the ``np.add.at`` they replaced.

``render._add_gaussians`` summed its stamps with ``np.add.at(image, (iy, ix), values)``, about a third of
a demo field's simulation; it now uses flat indices (numpy's fast ``ufunc.at`` loop) with the same
additions in the same order. The reference (the old code) lives in ``benchmarks/simulate_render_speed.py``,
which times both.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import load_benchmark
from starclass.schema import mag_true_col
from starclass.simulate import render
from starclass.simulate.config import SimConfig
from starclass.simulate.field import stage_rng
from starclass.simulate.galaxy import build_galaxy
from starclass.simulate.objects import KIND_NORMAL, KIND_PIXEL, KIND_SATURATED, make_objects


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("simulate_render_speed")


def test_add_at_pixels_equals_two_index_add_at():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(40, 50)).astype(np.float32)
    iy, ix = rng.integers(0, 40, 5000), rng.integers(0, 50, 5000)  # many repeats per pixel
    vals = rng.lognormal(size=5000)
    want = base.copy()
    np.add.at(want, (iy, ix), vals.astype(np.float32))
    got = base.copy()
    render.add_at_pixels(got, iy, ix, vals)
    np.testing.assert_array_equal(got, want)
    # a strided view is written through (a flat copy would lose the sums)
    wide = np.zeros((40, 100), dtype=np.float32)
    view = wide[:, ::2]
    view[:] = base
    render.add_at_pixels(view, iy, ix, vals)
    np.testing.assert_array_equal(wide[:, ::2], want)
    assert not wide[:, 1::2].any()


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_add_gaussians_equals_reference(bench, layout):
    """Random Gaussians, some near or across the edges and overlapping, of every stamp size."""
    rng = np.random.default_rng(7)
    n = 400
    x, y = rng.uniform(-20, 100, n), rng.uniform(-20, 80, n)
    amp = rng.lognormal(2.0, 2.0, n)
    cxx, cyy = rng.uniform(0.3, 30, n), rng.uniform(0.3, 30, n)
    cxy = rng.uniform(-0.5, 0.5, n) * np.sqrt(cxx * cyy)
    base = rng.normal(size=(60, 80)).astype(np.float32)
    want = base.copy()
    bench.reference_add_gaussians(want, x, y, amp, cxx, cyy, cxy, 1e-3, origin=(-3, 2))
    if layout == "contiguous":
        got = base.copy()
    else:
        got = np.zeros((60, 160), dtype=np.float32)[:, ::2]
        got[:] = base
    render._add_gaussians(got, x, y, amp, cxx, cyy, cxy, 1e-3, origin=(-3, 2))
    assert not np.array_equal(want, base)  # something was drawn, partly off the edges
    np.testing.assert_array_equal(got, want)


def test_render_band_equals_reference(bench):
    """A small field's bands without noise, saturated stars and pixel artefacts included."""
    field = bench.make_field(192, 150, 1)
    kinds = set(np.unique(field[2].kind).tolist())
    assert {KIND_NORMAL, KIND_SATURATED, KIND_PIXEL} <= kinds, kinds
    new, old = bench.render_all(field, reference=False), bench.render_all(field, reference=True)
    for band in new:
        np.testing.assert_array_equal(new[band], old[band], err_msg=band)


def test_true_magnitudes_sum_components_like_add_at():
    cfg = SimConfig(seed=2, shape=(128, 128), n_candidates=40)
    gal = build_galaxy(cfg, stage_rng(2, "galaxy"))
    truth, comps = make_objects(cfg, gal, stage_rng(2, "objects"))
    own = comps.owner >= 0
    tot = np.zeros((len(truth["x"]), len(cfg.bands)))
    np.add.at(tot, comps.owner[own], comps.flux[own])
    for j, band in enumerate(cfg.bands):
        lit = tot[:, j] > 0
        want = np.where(lit, cfg.zeropoint(band) - 2.5 * np.log10(np.where(lit, tot[:, j], 1)), np.nan)
        np.testing.assert_array_equal(truth[mag_true_col(band)], want, err_msg=band)
