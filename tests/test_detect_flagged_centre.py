"""A star whose peak pixel is flagged (--mask-extension / --dq-good-bits: a cosmic ray, a saturated
core) was not detected at all: no peak is taken on a masked pixel, and its neighbours are not local
maxima. A peak on a masked pixel now counts where most of the filter's weight is on good pixels.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.detect.find import find_candidates


def _star(shape=(96, 96), centre=(48, 40), amp=20.0, sigma=1.0, seed=1):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    img = rng.normal(0.01, 0.002, shape) + amp * np.exp(-((xx - centre[1]) ** 2 + (yy - centre[0]) ** 2)
                                                         / (2 * sigma**2))
    return img.astype(np.float32)


@pytest.mark.parametrize("nan", [False, True])
def test_a_star_with_its_peak_pixel_flagged_is_found_at_its_centre(nan):
    img = _star()
    mask = np.zeros(img.shape, bool)
    mask[48, 40] = True
    if nan:  # as read_mosaics leaves a flagged pixel
        img[48, 40] = np.nan
    found = find_candidates(img, mask)
    d = np.hypot(np.asarray(found["x"]) - 40, np.asarray(found["y"]) - 48)
    assert len(found) == 1 and d.min() < 0.5, found


def test_no_peak_beyond_a_nan_border_or_inside_a_wide_hole():
    img = _star(centre=(48, 60))
    mask = np.zeros(img.shape, bool)
    # a diagonal NaN border (a rotated drizzled mosaic) inside the image's rectangle, and a wide hole
    yy, xx = np.mgrid[: img.shape[0], : img.shape[1]]
    mask |= xx + yy < 40
    mask[40:57, 52:69] = True  # 17 x 17 px over the star: nothing of it left to find
    img[mask] = np.nan
    found = find_candidates(img, mask)
    xs, ys = np.asarray(found["x"]), np.asarray(found["y"])
    assert not (np.floor(xs + 0.5) + np.floor(ys + 0.5) < 40).any(), found
    assert not ((ys > 41) & (ys < 56) & (xs > 53) & (xs < 68)).any(), found
