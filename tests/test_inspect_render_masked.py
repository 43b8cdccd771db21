"""The display stretch of inspect's pictures leaves masked pixels out.

A stamp on a drizzled mosaic's footprint edge is partly padding (0 with weight 0): the zeros set the
composite's black level and noise level, and the sky beside them was drawn bright grey (181 of 255 on
the field below, 12 on the same sky away from the edge). A cutout padded with zeros at its border did
the same on the cutout page.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from PIL import Image

from starclass.io.mosaic import write_mosaic

SKY, NOISE = 0.02, 0.01


def _grey(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def test_mosaic_padding_does_not_set_the_composite_stretch(tmp_path):
    from starclass.inspect.app import load_field

    rng = np.random.default_rng(0)
    img = (SKY + rng.normal(0, NOISE, (200, 200))).astype(np.float32)
    img[:, :120] = 0.0  # drizzle padding
    wht = np.ones_like(img)
    wht[:, :120] = 0.0
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [10.0, 10.0]
    w.wcs.crpix = [100.0, 100.0]
    w.wcs.cdelt = [-1e-5, 1e-5]
    for b in ("f336w", "f555w", "f814w"):
        write_mosaic(tmp_path / f"f_{b}.fits", img, b, w, photflam=1e-19, photplam=5000.0, exptime=1000.0)
        fits.writeto(tmp_path / f"f_{b}_wht.fits", wht)
    # row 0: 25 of the stamp's 41 columns on the padding; row 1: all on the sky
    Table({"id": [1, 2], "x": [115.0, 170.0], "y": [100.0, 100.0]}).write(tmp_path / "candidates.ecsv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        field = load_field(tmp_path, cache_dir=tmp_path / "cache")
    z = field.cache.settings.zoom
    edge = _grey(field.cache.get(0, "composite"))[:, 25 * z:]  # the sky part of the edge stamp
    sky = _grey(field.cache.get(1, "composite"))
    assert sky.mean() < 40
    assert abs(edge.mean() - sky.mean()) < 15, (edge.mean(), sky.mean())  # 181 against 12 before
    # the contrast control's numbers leave the padding out too
    values = field.cache.stamp(0)["values"]
    assert values[20][0] is None and values[20][40] is not None


def test_zero_padded_cutout_border_does_not_set_the_stretch(tmp_path):
    from starclass.inspect.cutouts import load_cutout_field
    from starclass.learn.config import get_preset

    rng = np.random.default_rng(1)
    rows = ["file,label"]
    for k in range(2):
        a = (SKY + rng.normal(0, NOISE, (1, 32, 32))).astype(np.float32)
        if k == 0:
            a[:, :, :20] = 0.0  # cut at its image's edge, padded with 0
        np.save(tmp_path / f"c{k}.npy", a)
        rows.append(f"c{k}.npy,cluster")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        field = load_cutout_field(tmp_path / "labels.csv", get_preset("m31-real"), cache_dir=tmp_path / "cache")
    z = field.cache.settings.zoom
    edge = _grey(field.cache.get(0, "composite"))[:, 20 * z:]
    sky = _grey(field.cache.get(1, "composite"))
    assert sky.mean() < 40
    assert abs(edge.mean() - sky.mean()) < 15, (edge.mean(), sky.mean())
