"""Background boxes without data (a drizzled mosaic's masked corners) are filled from their neighbours.

``_fill_nan`` averaged the finite neighbours with ``uniform_filter`` running means, which leave about
1e-17 of round-off in cells with no finite neighbour; such a cell took round-off / round-off as its
value: a background RMS of 0 or below in the masked corner of a rotated drizzle footprint, and a
warning that blamed 'a constant fill, or the zeros of a counts image'.
"""

from __future__ import annotations

import warnings

import numpy as np

from starclass.detect.find import background_mesh, find_candidates


def _rotated_footprint(n: int = 512, angle_deg: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    """A noisy sky (0.5 +- 0.05 e-/s) with zeros outside a rotated square footprint, and its mask."""
    rng = np.random.default_rng(4)
    img = (0.5 + 0.05 * rng.standard_normal((n, n))).astype(np.float32)
    yy, xx = np.mgrid[:n, :n]
    c = (n - 1) / 2.0
    th = np.deg2rad(angle_deg)
    u = (xx - c) * np.cos(th) + (yy - c) * np.sin(th)
    v = -(xx - c) * np.sin(th) + (yy - c) * np.cos(th)
    inside = (np.abs(u) < 0.42 * n) & (np.abs(v) < 0.42 * n)
    img[~inside] = 0.0
    return img, ~inside


def test_boxes_without_data_take_values_of_their_neighbours():
    img, mask = _rotated_footprint()
    mesh, rms = background_mesh(img, mask, 32, filter_size=1)
    # every box's value is a mean of finite boxes' values: within their range, never 0 or negative
    assert rms.min() > 0.04, rms.min()
    assert rms.max() < 0.06, rms.max()
    assert mesh.min() > 0.49 and mesh.max() < 0.51, (mesh.min(), mesh.max())


def test_a_rotated_footprint_is_not_warned_of_as_a_constant_fill():
    img, mask = _rotated_footprint()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the old code warned 'the background noise is 0 in 9 of 256 boxes'
        found = find_candidates(img, mask)
    assert len(found) == 0  # pure noise at 5 sigma
