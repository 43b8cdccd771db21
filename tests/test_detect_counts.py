"""Detection on images of photon counts (X-ray-like: a Poisson background of a fraction of a count per pixel).

The sigma-clipped background statistic reads the noise of such an image as 0 (95% of the pixels are 0 and
the clip removes the ones), and `starclass detect` found 0 of 40 sources of a few hundred counts each.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.detect.find import find_candidates


def _counts_image(n_src: int, counts: float, size: int = 192, bkg: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    pos = rng.uniform(12, size - 12, (n_src, 2))
    yy, xx = np.mgrid[:size, :size]
    lam = np.full((size, size), bkg)
    s2 = (2.0 / 2.3548) ** 2  # 2 px FWHM
    for x, y in pos:
        lam += counts / (2 * np.pi * s2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * s2))
    return rng.poisson(lam).astype(np.float32), pos


def _n_matched(found: Table, pos: np.ndarray, radius: float = 2.0) -> int:
    if len(found) == 0:
        return 0
    d = np.hypot(np.asarray(found["x"])[None] - pos[:, :1], np.asarray(found["y"])[None] - pos[:, 1:])
    return int((d.min(axis=1) < radius).sum())


def test_cli_detect_finds_sources_on_a_counts_image_with_weight_of_ones(tmp_path):
    from starclass.cli import app

    img, pos = _counts_image(12, 300.0)
    assert (img == 0).mean() > 0.9  # the image the docs' weight map of ones is for
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [150.0, 2.0]
    w.wcs.crpix = [96.0, 96.0]
    w.wcs.cdelt = [-0.5 / 3600, 0.5 / 3600]
    hdr = w.to_header()
    hdr["FILTER"], hdr["BUNIT"], hdr["MAGZERO"] = "F555W", "COUNTS", 25.0
    field = tmp_path / "field"
    field.mkdir()
    fits.writeto(field / "x_f555w.fits", img, hdr)
    fits.writeto(field / "x_f555w_wht.fits", np.ones_like(img), hdr)  # zeros are data (docs/io.md)
    out = tmp_path / "c.ecsv"
    res = CliRunner().invoke(app, ["detect", str(field), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    assert _n_matched(cat, pos) == len(pos)  # 0 before
    assert len(cat) <= len(pos) + 1
    assert "read as photon counts" in res.output


def test_pure_poisson_background_gives_no_false_detections():
    rng = np.random.default_rng(4)
    for lam in (0.01, 0.05, 0.5, 2.0):
        img = rng.poisson(lam, (256, 256)).astype(np.float32)
        found = find_candidates(img)
        assert len(found) == 0, lam
        assert found.meta["detect_noise"] == "poisson"


def test_faint_counts_sources_found_above_about_fifteen_counts():
    img, pos = _counts_image(20, 20.0, size=256, seed=5)
    found = find_candidates(img)
    assert _n_matched(found, pos) >= 18
    assert len(found) <= 21


def test_photon_counts_is_not_taken_for_other_images():
    from starclass.detect.find import photon_counts

    rng = np.random.default_rng(6)
    assert photon_counts(rng.poisson(0.05, (64, 64)))
    assert not photon_counts(rng.normal(0.0, 1.0, (64, 64)))
    # integers, but read noise: negative values
    assert not photon_counts(np.round(rng.normal(100.0, 10.0, (64, 64))) - 100)
    # a sky-subtracted integer image with its negative values clipped to 0: half the pixels 0, few ones
    assert not photon_counts(np.maximum(np.round(rng.normal(0.0, 30.0, (64, 64))), 0.0))
    # a float image of mostly 0 (counts divided by an exposure time) is not an integer image
    assert not photon_counts(rng.poisson(0.05, (64, 64)) / 1234.5)


def test_zero_noise_background_is_named_in_a_warning():
    # counts divided by the exposure time: not integers, so the Gaussian statistic, whose RMS is 0 there
    img, _ = _counts_image(3, 300.0, size=128, seed=7)
    with pytest.warns(UserWarning, match="background noise is 0 in 16 of 16"):
        found = find_candidates(img / np.float32(1234.5))
    assert found.meta["detect_noise"] == "gaussian"
