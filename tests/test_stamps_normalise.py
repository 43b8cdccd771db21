"""Normalisations, multi-scale stamps, resampling and make_inputs / iter_inputs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.stamps import (
    base_size,
    iter_inputs,
    make_inputs,
    multiscale,
    normalise,
    resample,
    rgb_groups,
    robust_stats,
    scale_indices,
)

HST5 = ["f275w", "f336w", "f438w", "f555w", "f814w"]


def _stamps(n=40, nb=5, s=16, seed=0):
    rng = np.random.default_rng(seed)
    st = rng.normal(5.0, 2.0, size=(n, nb, s, s)).astype(np.float32)
    st[:, :, s // 2, s // 2] += 50.0  # a source
    valid = np.ones((n, s, s), bool)
    valid[0, :3] = False
    st[0, :, :3] = np.nan
    return st, valid


def test_robust_stats_match_numpy():
    st, valid = _stamps()
    med, sig = robust_stats(st, valid)
    v = st[1, 2].ravel()
    assert med[1, 2] == pytest.approx(np.median(v), rel=1e-6)
    assert sig[1, 2] == pytest.approx(1.4826 * np.median(np.abs(v - np.median(v))), rel=1e-4)
    v0 = st[0, 3][valid[0]]
    assert med[0, 3] == pytest.approx(np.median(v0), rel=1e-6)  # invalid pixels excluded
    const = np.ones((1, 1, 4, 4), np.float32)
    m, s = robust_stats(const, np.ones((1, 4, 4), bool))
    assert m[0, 0] == 1 and s[0, 0] == 1  # zero MAD and zero std: sigma 1, no division by 0
    m, s = robust_stats(const, np.zeros((1, 4, 4), bool))
    assert m[0, 0] == 0 and s[0, 0] == 1


def test_zscore_properties():
    st, valid = _stamps()
    z = normalise(st, "zscore", valid=valid)
    assert z.shape == st.shape and z.dtype == np.float32 and np.isfinite(z).all()
    for n in (1, 5):
        for b in range(5):
            v = z[n, b].ravel()
            assert abs(np.median(v)) < 1e-5
            assert 1.4826 * np.median(np.abs(v)) == pytest.approx(1.0, rel=1e-3)
    assert (z[0][:, ~valid[0]] == 0).all()  # invalid -> fill
    # per-stamp: scaling one stamp's flux does not change its z-score
    st2 = st.copy()
    st2[3] = st2[3] * 10 + 4
    z2 = normalise(st2, "zscore", valid=valid)
    np.testing.assert_allclose(z2[3], z[3], atol=1e-4)


def test_asinh_is_monotonic_and_linear_in_noise():
    st, valid = _stamps()
    a = normalise(st, "asinh", valid=valid, softening=2.0)
    z = normalise(st, "zscore", valid=valid)
    np.testing.assert_allclose(a, np.arcsinh(z / 2.0), rtol=1e-5, atol=1e-6)
    assert a[1, 0, 8, 8] < z[1, 0, 8, 8]  # the bright source is compressed
    with pytest.raises(StarclassError, match="softening"):
        normalise(st, "asinh", valid=valid, softening=0)


def test_none_keeps_values_but_fills():
    st, valid = _stamps()
    out = normalise(st, "none", valid=valid, fill=-1)
    np.testing.assert_array_equal(out[1], st[1])
    assert (out[0][:, ~valid[0]] == -1).all() and np.isfinite(out).all()


def test_rgb_groups_roles():
    assert rgb_groups(HST5) == ([0, 1], [2], [3, 4])
    assert rgb_groups(["f814w", "f336w", "f555w"]) == ([1], [], [0, 2])
    assert rgb_groups(["g", "i"]) == ([], [0], [1])
    assert rgb_groups(["xray", "optical"]) == ([0], [], [1])
    assert rgb_groups(["xray"]) == ([], [0], [])
    assert rgb_groups(["a", "b", "c", "d", "e"]) == ([0, 1], [2], [3, 4])


def test_rgb_on_five_bands_zeropoint_weighted():
    n, s = 3, 9
    st = np.zeros((n, 5, s, s), np.float32)
    # one source of the same flux density in every band: counts = f * 10**(0.4 zp)
    zps = {"f275w": 22.0, "f336w": 23.0, "f438w": 24.0, "f555w": 25.0, "f814w": 24.5}
    for b, band in enumerate(HST5):
        st[:, b, 4, 4] = 10 ** (0.4 * (zps[band] - 25.0))
    st += np.random.default_rng(1).normal(0, 1e-5, st.shape).astype(np.float32)
    out = normalise(st, "rgb", zps, bands=HST5)
    assert out.shape == (n, 3, s, s) and np.isfinite(out).all()
    peak = out[:, :, 4, 4]
    # blue and red sum two bands of equal flux density, green one: ratio 2 : 1 : 2
    np.testing.assert_allclose(peak[:, 0] / peak[:, 1], 2.0, rtol=0.01)
    np.testing.assert_allclose(peak[:, 2] / peak[:, 1], 2.0, rtol=0.01)
    # without the zeropoint weighting the raw counts would give other ratios
    raw = normalise(st, "rgb", {b: 25.0 for b in HST5}, bands=HST5)[:, :, 4, 4]
    assert abs(raw[0, 0] / raw[0, 1] - 2.0) > 0.5
    with pytest.raises(StarclassError, match="bands"):
        normalise(st, "rgb", zps)
    with pytest.raises(StarclassError, match="zeropoint"):
        normalise(st[:, :2], "rgb", bands=["xray", "optical"])
    two = normalise(st[:, 3:], "rgb", {"g": 25.0, "i": 24.5}, bands=["g", "i"])
    np.testing.assert_array_equal(two[:, 0], two[:, 1])  # empty blue copies green


def test_flux_keeps_brightness_and_colour():
    st, valid = _stamps(n=6)
    zps = {"f275w": 22.0, "f336w": 23.0, "f438w": 24.0, "f555w": 25.0, "f814w": 24.5}
    out = normalise(st, "flux", zps, valid=valid, bands=HST5, softening_mag=27.0)
    assert out.shape == st.shape and np.isfinite(out).all()
    med, _ = robust_stats(st, valid)
    for b, band in enumerate(HST5):
        ref = np.arcsinh((st[1:, b] - med[1:, b, None, None]) * 10 ** (0.4 * (27.0 - zps[band])))
        np.testing.assert_allclose(out[1:, b], ref, rtol=1e-4, atol=1e-4)
    assert (out[0, :, :3] == 0).all()  # invalid pixels filled
    # a source four times brighter stays brighter (z-score and asinh rescale it per stamp)
    bright = st.copy()
    bright[2] = (st[2] - med[2, :, None, None]) * 4 + med[2, :, None, None]
    f = normalise(bright, "flux", zps, valid=valid, bands=HST5, softening_mag=27.0)
    z = normalise(bright, "zscore", valid=valid)
    z0 = normalise(st, "zscore", valid=valid)
    assert (f[2, :, 8, 8] > out[2, :, 8, 8] + 0.5).all()
    np.testing.assert_allclose(z[2], z0[2], rtol=1e-4, atol=1e-4)
    # the same counts in a band with a brighter zeropoint are a fainter flux
    other = dict(zps, f555w=26.0)
    g = normalise(st, "flux", other, valid=valid, bands=HST5, softening_mag=27.0)
    assert (g[1:, 3, 8, 8] < out[1:, 3, 8, 8]).all()
    with pytest.raises(StarclassError, match="zeropoint"):
        normalise(st[:, :2], "flux", bands=["xray", "optical"])
    with pytest.raises(StarclassError, match="zeropoints"):
        normalise(st, "flux", dict(zps, f814w=float("nan")), bands=HST5)


def test_unknown_method():
    with pytest.raises(StarclassError, match="zscore"):
        normalise(np.zeros((1, 1, 3, 3), np.float32), "minmax")


def test_multiscale_centre_magnification_on_known_pattern():
    s = 32
    yy, xx = np.mgrid[0:s, 0:s]
    pattern = (yy * 100 + xx).astype(np.float32)[None, None]  # value encodes position
    ms, _ = multiscale(pattern, (1, 1.6, 3.2))
    assert ms.shape == (1, 3, 1, s, s)
    np.testing.assert_array_equal(ms[0, 0, 0], pattern[0, 0])
    for k, (scale, w) in enumerate([(1.6, 20), (3.2, 10)], start=1):
        img = ms[0, k, 0]
        assert img[16, 16] == pattern[0, 0, 16, 16]  # the centre stays put
        rows = np.unique(img[:, 0] // 100)
        cols = np.unique(img[0] % 100)
        assert rows.size == w and cols.size == w  # the central w x w pixels
        assert cols.min() == 16 - w // 2 and cols.max() == 16 - w // 2 + w - 1
        counts = np.bincount(np.rint(img[0] % 100).astype(int) - int(cols.min()))
        assert set(counts) <= {int(np.floor(scale)), int(np.ceil(scale))}  # nearest neighbour
    assert scale_indices(32, 3.2)[0] == 11 and scale_indices(32, 3.2)[-1] == 20
    assert scale_indices(32, 1.6)[0] == 6 and scale_indices(32, 1.6)[-1] == 25


def test_multiscale_zoom_out_needs_bigger_base():
    assert base_size(32, (1, 1.6, 3.2)) == 32
    assert base_size(32, (0.5, 1)) == 64
    st = np.arange(64 * 64, dtype=np.float32).reshape(1, 1, 64, 64)
    ms, _ = multiscale(st, (0.5, 1), size=32)
    assert ms[0, 0, 0, 16, 16] == st[0, 0, 32, 32] and ms[0, 1, 0, 16, 16] == st[0, 0, 32, 32]
    np.testing.assert_array_equal(ms[0, 1, 0], st[0, 0, 16:48, 16:48])
    np.testing.assert_array_equal(ms[0, 0, 0], st[0, 0, ::2, ::2])  # every other pixel, incl. 32
    with pytest.raises(StarclassError):
        multiscale(st[:, :, :32, :32], (0.5,), size=32)


def test_resample_matches_torch():
    import torch
    import torch.nn.functional as F

    x = np.random.default_rng(2).normal(size=(4, 3, 56, 56)).astype(np.float32)
    for mode in ("bilinear", "nearest", "area"):
        kw = {"align_corners": False} if mode == "bilinear" else {}
        ref = F.interpolate(torch.from_numpy(x), size=(224, 224), mode=mode, **kw).numpy()
        np.testing.assert_allclose(resample(x, 224, mode), ref, atol=1e-4)
    assert resample(x, 56) is not None and resample(x, 56).shape == x.shape


def _field(seed=0, shape=(120, 140)):
    rng = np.random.default_rng(seed)
    return {b: rng.normal(1.0, 0.1, shape).astype(">f4") for b in HST5}


def test_make_inputs_layout_scale_major_and_valid_flag():
    imgs = _field()
    imgs["f555w"][60, 70] = np.nan
    x = np.array([70.0, 20.0, -40.0, 139.4])
    y = np.array([60.0, 30.0, 10.0, 119.0])
    cfg = SimpleNamespace(bands=HST5, stamp_size=16, scales=[1, 1.6, 3.2], input_size=None, normalisation="none")
    inp, valid = make_inputs(imgs, x, y, cfg)
    assert inp.shape == (4, 15, 16, 16) and inp.dtype == np.float32
    assert valid.tolist() == [False, True, False, True]
    assert np.isfinite(inp).all() and (inp[2] == 0).all()  # wholly off the image: all fill
    # channel = scale * n_bands + band; scale 0 is the plain stamp
    assert inp[1, 3, 8, 8] == imgs["f555w"][30, 20]
    assert inp[1, 5 + 4, 8, 8] == imgs["f814w"][30, 20]  # scale 1.6, band f814w: centre
    ref, _ = multiscale(inp[1:2, :5], (1, 1.6, 3.2))
    np.testing.assert_array_equal(inp[1], ref[0].reshape(15, 16, 16))
    # rgb: 3 channels per scale; resize to input_size on request only
    cfg2 = SimpleNamespace(bands=HST5, stamp_size=16, scales=[1, 1.6], input_size=64, normalisation="rgb")
    a, _ = make_inputs(imgs, x, y, cfg2)
    b, _ = make_inputs(imgs, x, y, cfg2, resize=True)
    assert a.shape == (4, 6, 16, 16) and b.shape == (4, 6, 64, 64)


def test_make_inputs_errors_and_empty():
    imgs = _field()
    cfg = SimpleNamespace(bands=["g", "i"], stamp_size=8, scales=[1], input_size=None, normalisation="zscore")
    with pytest.raises(StarclassError, match="g, i"):
        make_inputs(imgs, [1], [1], cfg)
    cfg = SimpleNamespace(bands=HST5, stamp_size=8, scales=[1], input_size=None, normalisation="zscore")
    inp, valid = make_inputs(imgs, [], [], cfg)
    assert inp.shape == (0, 5, 8, 8) and valid.shape == (0,)
    with pytest.raises(StarclassError, match="normalisation"):
        make_inputs(imgs, [1], [1], SimpleNamespace(bands=HST5, normalisation="bogus"))


@pytest.mark.parametrize("norm", ["none", "zscore", "asinh", "rgb", "flux"])
def test_nan_stamps_never_leak(norm):
    imgs = _field(1)
    imgs["f336w"][:, :30] = np.nan  # a NaN region
    imgs["f814w"][50:60, 50:60] = np.inf
    rng = np.random.default_rng(5)
    x = rng.uniform(-20, 160, 300)
    y = rng.uniform(-20, 140, 300)
    cfg = SimpleNamespace(bands=HST5, stamp_size=16, scales=[1, 1.6, 3.2], input_size=None, normalisation=norm)
    inp, valid = make_inputs(imgs, x, y, cfg)
    assert np.isfinite(inp).all()
    cx, cy = np.floor(x + 0.5).astype(int), np.floor(y + 0.5).astype(int)
    on = (cx >= 0) & (cx < 140) & (cy >= 0) & (cy < 120)
    assert not valid[~on].any()
    assert not valid[on & (cx < 30)].any()
    assert valid[on & (cx >= 30) & ~((cx >= 50) & (cx < 60) & (cy >= 50) & (cy < 60))].all()


def test_iter_inputs_equals_make_inputs_in_batches():
    imgs = _field(2)
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 140, 250), rng.uniform(0, 120, 250)
    cfg = SimpleNamespace(bands=HST5, stamp_size=16, scales=[1, 1.6, 3.2], input_size=None, normalisation="zscore")
    full, fvalid = make_inputs(imgs, x, y, cfg)
    batches = list(iter_inputs(imgs, x, y, cfg, batch_size=64))
    assert [(b.start, b.stop) for b in batches] == [(0, 64), (64, 128), (128, 192), (192, 250)]
    np.testing.assert_array_equal(np.concatenate([b.inputs for b in batches]), full)
    np.testing.assert_array_equal(np.concatenate([b.ok for b in batches]), fvalid)
    with pytest.raises(StarclassError, match="batch_size"):
        list(iter_inputs(imgs, x, y, cfg, batch_size=0))


def test_works_with_taskconfig_presets():
    config = pytest.importorskip("starclass.learn.config")
    cfg = config.get_preset("legus4")
    imgs = _field(4, shape=(80, 80))
    inp, valid = make_inputs(imgs, [40.0, 10.0], [40.0, 70.0], cfg)
    assert inp.shape == (2, cfg.n_channels, cfg.stamp_size, cfg.stamp_size)
    assert valid.all()


def test_m31_style_56_px_upsampled_to_224():
    config = pytest.importorskip("starclass.learn.config")
    cfg = config.get_preset("m31-binary")
    rng = np.random.default_rng(6)
    imgs = {b: rng.normal(0, 1, (200, 200)).astype(np.float32) for b in cfg.bands}
    imgs[cfg.bands[0]][100, 100] += 40.0
    small, _ = make_inputs(imgs, [100.0], [100.0], cfg)
    big, ok = make_inputs(imgs, [100.0], [100.0], cfg, resize=True)
    assert small.shape == (1, len(cfg.bands), 56, 56) and big.shape == (1, len(cfg.bands), 224, 224) and ok.all()
    np.testing.assert_allclose(big, resample(small, 224), atol=1e-5)
    # the source stays at the centre: 56 px index 28 -> 224 px around 113.5
    peak = np.unravel_index(np.argmax(big[0, 0]), (224, 224))
    assert all(abs(p - 113.5) <= 2 for p in peak)
