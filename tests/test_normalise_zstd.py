"""The M31 paper's plain z-score (``zstd``: the stamp's mean and standard deviation, source
included) beside the robust one (``zscore``: median and MAD)."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.stamps.normalise import METHODS, normalise


def _stamps(n=6, size=24, seed=0):
    rng = np.random.default_rng(seed)
    s = rng.normal(100.0, 3.0, (n, 2, size, size)).astype(np.float32)
    s[:, :, size // 2, size // 2] += np.logspace(2, 6, n)[:, None].astype(np.float32)  # a star, 100 to 1e6
    return s


def test_zstd_is_mean_and_std_per_stamp_and_band():
    s = _stamps()
    z = normalise(s, "zstd")
    x = s.astype(np.float64)
    want = (x - x.mean(axis=(2, 3), keepdims=True)) / x.std(axis=(2, 3), keepdims=True)
    np.testing.assert_allclose(z, want, rtol=1e-4, atol=1e-4)
    # bounded peak: at most sqrt(N - 1) whatever the star's flux; the robust z-score is not
    n_pix = s.shape[2] * s.shape[3]
    assert np.abs(z).max() <= np.sqrt(n_pix - 1) + 1e-3
    assert np.abs(normalise(s, "zscore")).max() > 1e4


def test_zstd_ignores_invalid_pixels_and_flat_planes():
    s = _stamps(n=2)
    s[0, :, :3, :] = np.nan  # off the mosaic
    s[1, 1] = 5.0  # a flat plane: centred, not divided by zero
    z = normalise(s, "zstd", fill=0.0)
    good = np.isfinite(s[0, 0])
    x = s[0, 0][good].astype(np.float64)
    np.testing.assert_allclose(z[0, 0][good], (x - x.mean()) / x.std(), rtol=1e-4, atol=1e-4)
    assert np.all(z[0, :, :3, :] == 0.0)
    assert np.all(z[1, 1] == 0.0)


def test_zstd_is_a_task_normalisation():
    assert "zstd" in METHODS
    assert get_preset("m31-binary", normalisation="zstd").normalisation == "zstd"
    with pytest.raises(StarclassError, match="normalisation"):
        get_preset("m31-binary", normalisation="zstdd")
