"""Detection on images of photon counts (X-ray-like: a Poisson background of a fraction of a count per pixel).

The sigma-clipped background statistic reads the noise of such an image as 0 (95% of the pixels are 0 and
the clip removes the ones), and `starclass detect` found 0 of 40 sources of a few hundred counts each.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from conftest import counts_header
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
    hdr = counts_header(img.shape)
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


def _counts_grid(counts: float, bkg: float, size: int = 256, step: int = 32, seed: int = 8):
    """Sources of ``counts`` each (2 px FWHM) on a grid, far apart, over a Poisson background of ``bkg``."""
    rng = np.random.default_rng(seed)
    g = np.arange(step / 2, size - step / 4, step)
    pos = np.array([(x, y) for x in g for y in g]) + rng.uniform(-0.5, 0.5, (len(g) ** 2, 2))
    yy, xx = np.mgrid[:size, :size]
    lam = np.full((size, size), bkg)
    s2 = (2.0 / 2.3548) ** 2
    for x, y in pos:
        lam += counts / (2 * np.pi * s2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * s2))
    return rng.poisson(lam).astype(np.float32), pos


def _measure_counts(img: np.ndarray, pos: np.ndarray, aperture_correction):
    from starclass.detect import ArrayMosaics
    from starclass.detect.photometry import CandidatePhotometry

    return CandidatePhotometry(aperture_correction=aperture_correction)(
        ArrayMosaics({"f555w": img}, {"f555w": 25.0}), Table({"x": pos[:, 0], "y": pos[:, 1]}))


def test_counts_photometry_subtracts_the_poisson_sky():
    # 0.5 counts/px: the annulus median of the counts is 0, and every 4 px aperture kept its ~25 counts of sky
    # (300-count sources read 7% too bright); the Poisson mean of the annulus is subtracted now
    img, pos = _counts_grid(300.0, 0.5)
    out = _measure_counts(img, pos, None)
    assert abs(float(np.mean(out["bkg"])) - 0.5) < 0.05  # 0.03 before
    flux = 10 ** (-0.4 * (np.asarray(out["mag_f555w"]) - 25.0))
    assert abs(float(np.mean(flux)) / 300.0 - 1.0) < 0.03  # +0.074 before; standard error 0.008
    # the sky's Poisson noise is in the errors (the annulus MAD of 0 left it out)
    rel = float(np.median(out["magerr_f555w"])) / 1.0857
    assert 0.8 < rel / (float(np.std(flux)) / 300.0) < 1.25


def test_counts_growth_totals_are_unbiased_for_bright_stars():
    # 0.05 counts/px, stars bright enough for the PSF estimate: `detect`'s default growth correction read
    # them 0.15 mag too bright with the annulus median (0) and MAD (0) as background and its scatter
    img, pos = _counts_grid(4000.0, 0.05, step=42)
    out = _measure_counts(img, pos, "growth")
    assert out.meta["apcorr_psf_source"] == "stars"
    offset = float(np.median(np.asarray(out["mag_f555w"]) - (25.0 - 2.5 * np.log10(4000.0))))
    assert abs(offset) < 0.03, offset


def _faint_counts_field(psf: str, n_side: int = 10, bkg: float = 0.2, seed: int = 11):
    """``n_side``^2 sources of 60-400 counts (none of S/N 30) of a 2.5 px PSF, 48 px apart, on ``bkg`` counts/px."""
    rng = np.random.default_rng(seed)
    size = 48 * n_side + 32
    g = 40.0 + 48.0 * np.arange(n_side)
    pos = np.array([(x, y) for x in g for y in g]) + rng.uniform(-3, 3, (n_side**2, 2))
    flux = np.exp(rng.uniform(np.log(60.0), np.log(400.0), len(pos)))
    lam = np.full((size, size), bkg)
    yy, xx = np.mgrid[-15:16, -15:16]
    for (x, y), f in zip(pos, flux):
        cx, cy = int(round(x)), int(round(y))
        r2 = (xx + cx - x) ** 2 + (yy + cy - y) ** 2
        if psf == "gauss":
            stamp = np.exp(-r2 / (2 * (2.5 / 2.3548) ** 2))
        else:  # Moffat beta 3
            stamp = (1 + r2 / (2.5 / (2 * np.sqrt(2 ** (1 / 3) - 1))) ** 2) ** -3.0
        lam[cy - 15:cy + 16, cx - 15:cx + 16] += f * stamp / stamp.sum()
    return rng.poisson(lam).astype(np.float32), pos, flux


def _bias(cat: Table, pos: np.ndarray, flux: np.ndarray) -> np.ndarray:
    from starclass.detect import match_catalogs

    ia, ib, _ = match_catalogs(Table({"x": pos[:, 0], "y": pos[:, 1]}), cat, radius=2.0)
    assert len(ia) >= 0.95 * len(pos)
    return np.asarray(cat["mag_f555w"])[ib] - (25.0 - 2.5 * np.log10(flux[ia]))


@pytest.mark.parametrize("psf", ["gauss", "moffat"])
def test_faint_counts_sources_get_their_total_from_the_stacked_psf(psf):
    # no star of S/N 30: the growth correction took the tabulated HST PSF (Moffat beta 2, 1.9 px) and the
    # faint sources of a 2.5 px PSF read 0.15-0.18 mag too bright. Per source the scatter is 0.07-0.12 mag,
    # so the median of 100 is good to about 0.015
    from starclass.detect import ArrayMosaics, detect

    img, pos, flux = _faint_counts_field(psf)
    cat = detect(ArrayMosaics({"f555w": img}, {"f555w": 25.0}), progress=False)
    bias = float(np.median(_bias(cat, pos, flux)))
    assert abs(bias) < 0.03, bias
    assert cat.meta["apcorr_psf_source"] == "stack"


def test_counts_image_with_too_few_sources_for_a_psf_gets_no_correction_and_says_so():
    from starclass.detect import ArrayMosaics
    from starclass.detect.photometry import CandidatePhotometry

    img, pos, flux = _faint_counts_field("moffat", n_side=3)
    ms = ArrayMosaics({"f555w": img}, {"f555w": 25.0})
    t = Table({"x": pos[:, 0], "y": pos[:, 1]})
    with pytest.warns(UserWarning, match=r"f555w: read as photon counts.* \(9 found\).* 4 px aperture magnitudes, "
                                         "without aperture correction"):
        out = CandidatePhotometry()(ms, t)
    assert out.meta["apcorr_psf_source"] == "none"
    plain = CandidatePhotometry(aperture_correction=None)(ms, t)
    assert np.allclose(out["mag_f555w"], plain["mag_f555w"], equal_nan=True)  # a 1.9 px Moffat's -0.15 before


def test_background_boxes_are_read_by_the_photometry_estimator():
    # background_mesh had its own -ln(share of zeros) down to 5% zeros (3 counts/px); at 2 counts/px (13% zeros)
    # that put a 3.7% scatter on the 32 px boxes of this image, where the clipped mean of photometry.poisson_level
    # (used from 50% zeros down, and by the photometry) has 2.0%
    from starclass.detect.find import background_mesh
    from starclass.detect.photometry import poisson_level

    img = np.random.default_rng(12).poisson(2.0, (512, 512)).astype(np.float32)
    lam, rms = background_mesh(img, None, box_size=32, filter_size=1, poisson=True)
    boxes = img.reshape(16, 32, 16, 32).transpose(0, 2, 1, 3).reshape(256, 1024).astype(float)
    assert np.allclose(lam.ravel(), poisson_level(boxes)[0], rtol=1e-5)
    assert np.allclose(rms, np.sqrt(lam))
    assert float(np.std(lam)) / 2.0 < 0.03  # 0.037 before


def test_integer_poisson_images_above_three_counts_per_pixel_are_read_as_counts():
    # with under 5% zeros they were read as Gaussian: the clipped median of the background, an integer, sat
    # 0.5 count/px under a mean of 3.5 (5.5, 10.5) and 512 x 512 px of pure sky gave 214 (69, 16) false peaks
    rng = np.random.default_rng(13)
    for lam in (3.5, 5.5, 10.5, 30.5):
        img = rng.poisson(lam, (256, 256)).astype(np.float32)
        found = find_candidates(img)
        assert found.meta["detect_noise"] == "poisson", lam
        assert len(found) == 0, lam


def test_sources_on_a_poisson_sky_of_a_few_counts_keep_their_flux():
    # 3.5 counts/px: the annulus median (3) left 0.5 count/px of sky in every 4 px aperture: +10% flux
    img, pos = _counts_grid(300.0, 3.5)
    out = _measure_counts(img, pos, None)
    assert abs(float(np.median(out["bkg"])) - 3.5) < 0.1  # 3.0 before
    flux = 10 ** (-0.4 * (np.asarray(out["mag_f555w"]) - 25.0))
    assert abs(float(np.mean(flux)) / 300.0 - 1.0) < 0.03


def test_integer_images_that_are_not_poisson_are_not_read_as_counts():
    from starclass.detect.find import photon_counts

    rng = np.random.default_rng(14)
    sky = rng.poisson(50.0, (128, 128))
    assert photon_counts(sky.astype(np.float32))
    assert not photon_counts(np.round(sky / 2.0))  # ADU of gain 2: variance half the level
    assert not photon_counts(sky + 1000.0)  # a bias level
    assert not photon_counts(np.maximum(np.round(rng.poisson(5.0, (128, 128)) + rng.normal(0, 5, (128, 128))), 0))
    yy, xx = np.mgrid[0:128, 0:128]
    assert photon_counts(rng.poisson(5.0 + 10.0 * xx / 127.0).astype(np.float32))  # a sky rising 3-fold across
