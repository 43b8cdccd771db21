"""The labelling page's pictures of a sparse image of photon counts (X-ray, UV photon counting).

The cutout page read a cutout's padding as blocks of at least 5 x 5 exact zeros, where a counts
image's sky holds many (io.mosaic.padding_side): 38-45% of the sky of a 0.1 counts/px cutout was
left out of its levels, and the page drew it unlike the mosaic page drew the same pixels.
Both pages drew such a sky's single counts nearly as bright as a faint source (196 of 255 on 9%
of the sky around a 20-count source drawn at 255); a band of counts is now drawn smoothed.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from astropy.io import fits
from astropy.table import Table
from PIL import Image

from conftest import counts_header

SIZE, BKG = 160, 0.1
#: Sources (x, y, counts): bright ones, one on the footprint's edge, a faint one.
SOURCES = [(80, 80, 300.0), (60, 95, 100.0), (100, 60, 100.0), (80, 138, 100.0), (105, 100, 20.0)]


def _grey(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def _counts_image() -> np.ndarray:
    """A Poisson sky of BKG counts/px with SOURCES (2 px FWHM), zero outside a disc (an exposure's footprint)."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:SIZE, :SIZE]
    lam = np.full((SIZE, SIZE), BKG)
    s2 = (2.0 / 2.3548) ** 2
    for x, y, f in SOURCES:
        lam += f / (2 * np.pi * s2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * s2))
    img = rng.poisson(lam).astype(np.float32)
    return np.where(np.hypot(xx - SIZE / 2, yy - SIZE / 2) < 60, img, 0.0).astype(np.float32)


def _fields(tmp_path):
    """The mosaic page and the cutout page of the same pixels: 41 px cutouts at SOURCES."""
    from starclass.inspect.app import load_field
    from starclass.inspect.cutouts import load_cutout_field
    from starclass.learn.config import get_preset

    img = _counts_image()
    hdr = counts_header(img.shape)
    (tmp_path / "field").mkdir()
    fits.writeto(tmp_path / "field" / "x_f555w.fits", img, hdr)  # no weight map: its zeros decide
    xs, ys = [s[0] for s in SOURCES], [s[1] for s in SOURCES]
    Table({"id": np.arange(1, len(SOURCES) + 1), "x": xs, "y": ys}).write(tmp_path / "field" / "candidates.ecsv")
    (tmp_path / "cut").mkdir()
    rows = ["file,label"]
    for i, (x, y, _f) in enumerate(SOURCES):
        fits.writeto(tmp_path / "cut" / f"c{i}.fits", img[y - 20:y + 21, x - 20:x + 21])
        rows.append(f"c{i}.fits,cluster")
    (tmp_path / "cut" / "labels.csv").write_text("\n".join(rows) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mosaic = load_field(tmp_path / "field", cache_dir=tmp_path / "cache")
        cutouts = load_cutout_field(tmp_path / "cut" / "labels.csv", get_preset("m31-real"),
                                    cache_dir=tmp_path / "ccache")
    return mosaic, cutouts


def test_the_cutout_page_draws_a_counts_cutout_as_the_mosaic_page_does(tmp_path):
    from starclass.io.mosaic import ZERO_PADDING_PX, zero_padding

    mosaic, cutouts = _fields(tmp_path)
    for row in range(3):  # inside the footprint: no padding, every sky pixel in the levels
        assert zero_padding(cutouts.cache.plane(row)).mean() > 0.2  # what 5 x 5 squares took for padding
        # the old code: 12% of the first cutout's picture drawn otherwise (its sky's zeros left out of the levels)
        np.testing.assert_array_equal(_grey(cutouts.cache.get(row, "composite")),
                                      _grey(mosaic.cache.get(row, "composite")))
    side = cutouts.cache.padding_sides[0]
    assert side > ZERO_PADDING_PX
    assert not any(zero_padding(cutouts.cache.plane(row), side=side).any() for row in range(3))
    # the cutout on the footprint's edge: its zeros outside are still padding, left out of the levels
    edge = cutouts.cache.plane(3)
    pad = zero_padding(edge, side=side)
    assert pad[-15:].all() and not pad[:15].any()


def test_a_faint_counts_source_stands_out_of_its_sky(tmp_path):
    """The 20-count source's centre against its sky (6 px or more away), on both pages."""
    mosaic, cutouts = _fields(tmp_path)
    row = len(SOURCES) - 1
    for cache in (mosaic.cache, cutouts.cache):
        z = cache.settings.zoom
        grey = _grey(cache.get(row, "composite"))[::z, ::z]
        yy, xx = np.mgrid[:grey.shape[0], :grey.shape[1]]
        c = grey.shape[0] // 2
        sky = grey[np.hypot(xx - c, yy - c) > 5]
        # the old code: the sky's single counts at 196 (9% of the sky), the source at 255; now none over half of it
        bright = (sky > 0.5 * grey[c, c]).mean()
        assert bright < 0.01, (bright, grey[c, c])
    # the profile and its fit keep the stored counts (the fit is detection's)
    mosaic.cache.get(row, "profile")
    assert mosaic.cache.fit(row)["fwhm"] < 3.0
