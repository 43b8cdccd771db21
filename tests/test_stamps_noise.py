"""The data-driven flux softening: sky-noise magnitudes, ``softening_mag: auto``."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.stamps import make_inputs
from starclass.stamps.noise import SOFTENING_MISMATCH_MAG, resolve_softening, sky_noise_mag

ZP = {"f275w": 24.1, "f336w": 24.6, "f438w": 25.0, "f555w": 25.7, "f814w": 25.1}


def _images(sigmas, sources=True, shape=(400, 400), seed=0):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    out = {}
    for band, s in sigmas.items():
        img = rng.normal(0.0, s, shape)
        if sources:  # bright compact sources and a galaxy-light gradient the clipping must see past
            for x0, y0 in rng.uniform(20, shape[0] - 20, size=(40, 2)):
                img += 200 * s * np.exp(-((xx - x0) ** 2 + (yy - y0) ** 2) / 4.0)
            img += 0.5 * s * xx / shape[1]
        out[band] = img.astype(np.float32)
    return out


def test_sky_noise_mag_is_zeropoint_minus_log_sigma():
    sig = {"f275w": 0.002, "f336w": 0.004, "f438w": 0.01, "f555w": 0.02, "f814w": 0.03}
    for sources in (False, True):
        got = sky_noise_mag(_images(sig, sources), zeropoints=ZP)
        for b, s in sig.items():
            assert got[b] == pytest.approx(ZP[b] - 2.5 * np.log10(s), abs=0.06), (b, sources)


def test_sky_noise_mag_errors_name_the_band():
    imgs = _images({"f555w": 0.01, "f814w": 0.01}, sources=False)
    with pytest.raises(StarclassError, match="f814w"):
        sky_noise_mag(imgs, zeropoints={"f555w": 25.7})
    with pytest.raises(StarclassError, match="f555w.*constant"):
        sky_noise_mag({"f555w": np.ones((50, 50))}, zeropoints=ZP)
    with pytest.raises(StarclassError, match="finite pixels"):
        sky_noise_mag({"f555w": np.full((50, 50), np.nan)}, zeropoints=ZP)


def test_config_softening_mag_auto_or_number():
    assert get_preset("legus4", softening_mag="auto").softening_mag == "auto"
    assert get_preset("legus4", softening_mag="27.5").softening_mag == 27.5
    with pytest.raises(StarclassError, match="softening_mag='faint'"):
        get_preset("legus4", softening_mag="faint")
    with pytest.raises(StarclassError, match="softening_mag"):
        get_preset("legus4", softening_mag=float("nan"))


def test_resolve_softening_auto_fixed_and_other_normalisations():
    sig = {"f275w": 0.002, "f336w": 0.004, "f438w": 0.01, "f555w": 0.02, "f814w": 0.03}
    imgs = _images(sig, sources=False)
    expect = float(np.median([ZP[b] - 2.5 * np.log10(s) for b, s in sig.items()]))
    cfg = get_preset("legus4", softening_mag="auto")
    new, msg = resolve_softening(cfg, imgs, ZP)
    assert new.softening_mag == pytest.approx(expect, abs=0.05) and "auto" in msg
    assert cfg.softening_mag == "auto"  # the input config is not changed
    far = get_preset("legus4", softening_mag=expect + SOFTENING_MISMATCH_MAG + 0.5)
    same, msg = resolve_softening(far, imgs, ZP)
    assert same.softening_mag == far.softening_mag and "per-pixel sky noise" in msg
    near = get_preset("legus4", softening_mag=round(expect, 1))
    assert resolve_softening(near, imgs, ZP)[1] is None
    z = get_preset("legus4", normalisation="zscore", softening_mag="auto")
    assert resolve_softening(z, imgs, ZP) == (z, None)


def test_make_inputs_auto_equals_the_measured_number():
    sig = {"f275w": 0.002, "f336w": 0.004, "f438w": 0.01, "f555w": 0.02, "f814w": 0.03}
    imgs = _images(sig, sources=True, seed=3)
    cfg = get_preset("legus4", stamp_size=16, scales=[1.0], softening_mag="auto")
    fixed, _ = resolve_softening(cfg, imgs, ZP)
    x = np.array([50.0, 120.0, 300.0])
    a, ok_a = make_inputs(imgs, x, x, cfg, zeropoints=ZP)
    b, ok_b = make_inputs(imgs, x, x, fixed, zeropoints=ZP)
    np.testing.assert_array_equal(a, b)
    c, _ = make_inputs(imgs, x, x, fixed.copy(softening_mag=fixed.softening_mag - 2), zeropoints=ZP)
    assert not np.allclose(a, c)


def test_fit_refuses_an_unresolved_auto(tmp_path):
    from starclass.learn.train import fit

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], softening_mag="auto")
    x = np.zeros((8, cfg.n_channels, 16, 16), np.float32)
    with pytest.raises(StarclassError, match="softening_mag is 'auto'"):
        fit(cfg, x, np.array([1, 2, 3, 4] * 2), outdir=tmp_path / "m", progress=False)
    assert not (tmp_path / "m").exists()
