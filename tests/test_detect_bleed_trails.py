"""A saturated star's bleed trail makes no detections, and a source beside it is found.

The charge a saturated CCD pixel cannot hold runs along its column, which then reads the
saturation level for tens of pixels: a ridge one pixel wide. Its noise made peaks all along it (97
unmatched detections on the trails of 66 bleeding stars on three 2048 px simulated fields, 16 on
the trail below), and the flank of its filtered ridge, far above any faint source, took away the
peaks of sources 2-3.5 px beside it. For the detection (not the photometry) the trail now reads as
the mean of its two horizontal neighbours (``find.bleed_trail_pixels``).
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.detect.find import find_candidates

STAR = (80.3, 60.2)
SATURATION = 2000.0


def _saturated_star(beside: tuple[float, float, float] | None = None, n: int = 160) -> tuple[np.ndarray, int]:
    """A star clipped at the saturation level whose excess charge bleeds up and down its column.

    ``beside``: (x, y, flux) of a small cluster (Gaussian of 1.5 px) added before the clipping.
    Returns the image (sky subtracted, Poisson noise of a 10 s exposure on a sky of 5) and the
    trail's length in px.
    """
    yy, xx = np.mgrid[:n, :n]
    s2 = 0.85 ** 2
    img = 2.5e5 / (2 * np.pi * s2) * np.exp(-((xx - STAR[0]) ** 2 + (yy - STAR[1]) ** 2) / (2 * s2))
    if beside is not None:
        bx, by, bflux = beside
        c2 = 1.5 ** 2 + s2
        img += bflux / (2 * np.pi * c2) * np.exp(-((xx - bx) ** 2 + (yy - by) ** 2) / (2 * c2))
    excess = float(np.clip(img - SATURATION, 0, None).sum())
    img = np.minimum(img, SATURATION)
    cx, cy = round(STAR[0]), round(STAR[1])
    k = 0
    while excess > 0 and k < n:
        k += 1
        for y in (cy - k, cy + k):
            if 0 <= y < n:
                take = min(SATURATION - img[y, cx], excess / 2 if excess > SATURATION else excess)
                img[y, cx] += take
                excess -= take
    sky, exptime = 5.0, 10.0
    img = np.random.default_rng(0).poisson((img + sky) * exptime) / exptime - sky
    return img.astype(np.float32), 2 * k + 1


def test_no_detection_along_the_trail():
    img, length = _saturated_star()
    assert length > 80  # a long trail: rows 5-115 reach the saturation level
    found = find_candidates(img)
    on_column = np.abs(np.asarray(found["x"]) - round(STAR[0])) < 3
    # the star alone (there were 16 more detections along its column)
    assert int(on_column.sum()) == 1
    k = int(np.flatnonzero(on_column)[0])
    assert np.hypot(found["x"][k] - STAR[0], found["y"][k] - STAR[1]) < 0.3


@pytest.mark.parametrize("x, y, flux", [(83.0, 100.0, 100.0), (82.6, 95.0, 100.0), (83.0, 25.0, 60.0),
                                        (82.5, 100.0, 150.0)])
def test_a_source_beside_the_trail_is_found(x, y, flux):
    img, _ = _saturated_star((x, y, flux))
    found = find_candidates(img)
    d = np.hypot(np.asarray(found["x"]) - x, np.asarray(found["y"]) - y)
    assert d.min() < 1.0  # missed before: on the flank of the trail's filtered ridge
    assert (np.abs(np.asarray(found["x"]) - round(STAR[0])) < 1.5).sum() == 1  # and no peak on the trail


def test_trail_pixels_are_the_one_pixel_wide_part_only():
    from starclass.detect.find import bleed_trail_pixels

    img, _ = _saturated_star()
    trail = bleed_trail_pixels(img, 0.7)
    cx, cy = round(STAR[0]), round(STAR[1])
    assert trail[:, cx].sum() > 80 and trail.sum() == trail[:, cx].sum()
    # the saturated core, wider than one pixel, is the star's: left as it is
    assert not trail[cy, cx]


def test_sources_are_not_trails():
    from starclass.detect.find import bleed_trail_pixels

    yy, xx = np.mgrid[:200, :200]
    img = np.random.default_rng(3).normal(0.0, 1.0, (200, 200))
    # a galaxy's nucleus: flat over many pixels, far above the noise, but as wide as it is tall
    img += 5000.0 * np.exp(-((xx - 60) ** 2 + (yy - 60) ** 2) / (2 * 10.0 ** 2))
    # an unsaturated bright star and a vertical cosmic ray of unequal pixels
    img += 3000.0 * np.exp(-((xx - 150) ** 2 + (yy - 60) ** 2) / (2 * 0.85 ** 2))
    img[120:127, 150] += [900.0, 1400.0, 700.0, 1200.0, 1000.0, 600.0, 1300.0]
    assert not bleed_trail_pixels(img.astype(np.float32), 1.0).any()
