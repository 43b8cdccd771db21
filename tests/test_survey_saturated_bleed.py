"""A saturated star's bleed column that runs past a survey tile's window is summed as on the whole image.

Before: ``detect.photometry._saturated_totals`` followed the bleed (up to 256 px) in the array it was given,
which in a survey tile is the tile's window (its core plus the overlap, 64 px by default), so the part
of a longer bleed beyond the window was lost and the star read fainter than ``detect`` on the whole image
makes it: on ``simulate OUT --preset m31 --fields 3 --size 384 --n-candidates 150 --seed 1`` (detected,
128 px tiles) field 002's two bleeds (129 and 146 px) gave 6 rows 0.18-0.37 mag fainter, and here 0.66 mag.
Now a tile (:class:`starclass.survey.tiles.MosaicWindow`) lends its parent's pixels beyond its window
(:meth:`~starclass.survey.tiles.MosaicWindow.reach`).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.detect import ArrayMosaics
from starclass.detect.photometry import measure, psf_decision
from starclass.survey.tiles import MosaicWindow


def _field() -> tuple[ArrayMosaics, Table]:
    """24 isolated Moffat stars (2.4 px, beta 2.5) and a saturated one at (100.3, 300.2) bleeding down to y 120."""
    rng = np.random.default_rng(5)
    ny, nx = 420, 200
    yy, xx = np.mgrid[0:ny, 0:nx]

    def moffat(x: float, y: float, flux: float, fwhm: float = 2.4, beta: float = 2.5) -> np.ndarray:
        a = fwhm / (2 * np.sqrt(2 ** (1 / beta) - 1))
        return flux * (beta - 1) / (np.pi * a * a) * (1 + ((xx - x) ** 2 + (yy - y) ** 2) / a ** 2) ** (-beta)

    img = rng.normal(0.0, 0.05, (ny, nx))
    pos: list[tuple[float, float]] = []
    while len(pos) < 24:
        x, y = rng.uniform(15, nx - 15), rng.uniform(15, ny - 15)
        if abs(x - 100) > 25 and all((x - p[0]) ** 2 + (y - p[1]) ** 2 > 30 ** 2 for p in pos):
            pos.append((x, y))
            img += moffat(x, y, rng.uniform(2000, 6000))
    sx, sy = 100.3, 300.2
    img = np.minimum(img + moffat(sx, sy, 2.0e5), 40.0)  # a flat top at 40
    img[120:300, 99:102] = np.maximum(img[120:300, 99:102], 40.0)  # its charge bled 180 px down the column
    table = Table({"id": np.arange(1, len(pos) + 2), "x": [p[0] for p in pos] + [sx],
                   "y": [p[1] for p in pos] + [sy]})
    return ArrayMosaics({"f555w": img.astype("f4")}, {"f555w": 25.0}), table


def test_a_saturated_star_whose_bleed_runs_past_the_tile_window_has_the_whole_image_s_magnitude():
    mosaics, table = _field()
    whole = measure(mosaics, table)
    assert bool(whole["saturated"][-1]) and whole.meta["apcorr_psf_source"] == "stars"
    # a tile whose window (core and overlap) begins 64 px below the star: 116 px of its bleed lie outside
    y0 = 236
    window = MosaicWindow(mosaics, (0, 200, y0, 420), apcorr_psf=psf_decision(whole))
    inside = table["y"] >= y0 + 10
    part = table[inside]
    part["y"] = part["y"] - y0
    tile = measure(window, part)
    diff = np.asarray(tile["mag_f555w"]) - np.asarray(whole["mag_f555w"][inside])
    assert bool(tile["saturated"][-1])
    assert abs(diff[-1]) < 1e-6, diff  # 0.661 mag fainter before
    assert np.all(np.abs(diff) < 0.01), diff  # the other stars: the window's own background mesh at most
