"""Photometry, CI, MCI, FWHM, background and bad input of starclass.detect.measure."""

from __future__ import annotations

import math

import numpy as np
import pytest
from astropy.table import Table

from starclass.datasets.fields import add_stamp, gaussian_stamp
from starclass.detect import ArrayMosaics, measure
from starclass.detect.photometry import CandidatePhotometry, gaussian_aperture_fraction
from starclass.errors import StarclassError

ZP = 25.0


def _image(sources, shape=(120, 160), sky=0.5, noise=0.0, seed=0):
    """Sky + pixel-integrated Gaussians: sources = [(x, y, fwhm, flux), ...]."""
    rng = np.random.default_rng(seed)
    img = np.full(shape, sky, dtype=np.float64)
    if noise:
        img += rng.normal(0.0, noise, shape)
    for x, y, fwhm, flux in sources:
        st, ix, iy = gaussian_stamp(x, y, fwhm, flux, half=int(6 * fwhm) + 3)
        add_stamp(img, st, ix, iy)
    return img.astype(np.float32)


def _mosaics(img, **kw):
    return ArrayMosaics({"f555w": img, "f814w": img * 2.0}, {"f555w": ZP, "f814w": ZP + 1.0}, **kw)


def test_known_flux_gaussian_matches_analytic_aperture_fraction():
    flux, fwhm = 200.0, 2.0
    img = _image([(60.3, 50.6, fwhm, flux)])
    out = measure(_mosaics(img), Table({"x": [60.3], "y": [50.6]}), aperture_radius=3.0, aperture_correction=None)
    # pixel integration widens the Gaussian: sigma^2 -> sigma^2 + 1/12 px^2
    s2 = (fwhm / 2.3548) ** 2 + 1.0 / 12.0
    frac = 1.0 - math.exp(-9.0 / (2.0 * s2))
    expected = ZP - 2.5 * math.log10(flux * frac)
    assert out["mag_f555w"][0] == pytest.approx(expected, abs=0.003)
    # the second band is twice as bright with a zeropoint one magnitude fainter
    assert out["mag_f814w"][0] == pytest.approx(expected - 2.5 * math.log10(2.0) + 1.0, abs=0.003)
    assert out["bkg"][0] == pytest.approx(0.5, abs=1e-4)


def test_magnitude_errors_match_scatter_over_noise_realisations():
    flux, noise = 30.0, 0.05
    mags, errs = [], []
    for seed in range(40):
        img = _image([(40.0, 40.0, 2.0, flux)], shape=(80, 80), noise=noise, seed=seed)
        m = ArrayMosaics({"f555w": img}, {"f555w": ZP}, exptime={"f555w": 1e9})
        out = measure(m, Table({"x": [40.0], "y": [40.0]}), aperture_correction=None)
        mags.append(out["mag_f555w"][0])
        errs.append(out["magerr_f555w"][0])
    scatter = np.std(mags)
    assert 0.7 < np.median(errs) / scatter < 1.4


def test_ci_of_extended_source_exceeds_point_source_and_matches_gaussian():
    img = _image([(40.0, 40.0, 2.0, 100.0), (110.0, 70.0, 5.0, 100.0)])
    out = measure(_mosaics(img), Table({"x": [40.0, 110.0], "y": [40.0, 70.0]}))
    ci_point, ci_ext = out["ci"]
    assert ci_ext > ci_point + 0.5
    # same definition as photutils' exact apertures on the same pixels
    from photutils.aperture import CircularAperture, aperture_photometry

    sums = [aperture_photometry(img - 0.5, CircularAperture((40.0, 40.0), r))["aperture_sum"][0] for r in (1, 3)]
    assert ci_point == pytest.approx(2.5 * math.log10(sums[1] / sums[0]), abs=1e-6)
    # and close to the continuous Gaussian's (pixelisation steepens the 1 px aperture's loss)
    analytic = 2.5 * math.log10(gaussian_aperture_fraction(3.0, 2.0) / gaussian_aperture_fraction(1.0, 2.0))
    assert analytic < ci_point < analytic + 0.3  # ~0.2 mag for FWHM 2 px centred on a pixel
    # MCI: the star has almost no light between 3 and 6 px, the extended source does
    for r in (3, 4, 5):
        assert out[f"mci_{r}"][0] < 0.3
        assert out[f"mci_{r}"][1] > out[f"mci_{r}"][0] + 0.5
    assert out["mci_1"][1] > out["mci_1"][0]


@pytest.mark.parametrize("fwhm", [2.0, 3.0, 5.0])
def test_fwhm_from_radial_profile(fwhm):
    img = _image([(50.4, 47.7, fwhm, 500.0)], shape=(100, 100))
    out = measure(_mosaics(img), Table({"x": [50.4], "y": [47.7]}))
    observed = math.sqrt(fwhm**2 + 2.3548**2 / 12.0)  # what the pixels show
    assert out["fwhm"][0] == pytest.approx(observed, rel=0.08)


def test_masked_pixels_are_excluded_from_aperture_and_annulus():
    img = np.ones((60, 60), dtype=np.float32)
    img[30, 31] = np.nan  # inside the aperture
    img[30, 37:39] = np.nan  # inside the annulus
    img[22, 30] = 1000.0  # a hot pixel in the annulus: clipped
    out = measure(ArrayMosaics({"f555w": img}, {"f555w": ZP}), Table({"x": [30.0], "y": [30.0]}))
    assert out["bkg"][0] == pytest.approx(1.0)
    # a flat image minus its background leaves no flux: no magnitude, no NaN leak elsewhere
    assert not np.isfinite(out["mag_f555w"][0])


def test_positions_off_the_image_raise_naming_rows():
    img = _image([])
    t = Table({"id": [11, 12, 13], "x": [10.0, 500.0, 20.0], "y": [10.0, 10.0, -3.0]})
    with pytest.raises(StarclassError) as exc:
        measure(_mosaics(img), t)
    msg = str(exc.value)
    # rows counted from 1, as the catalogue readers count them (this said "row 1" for id 12, the second row)
    assert "row 2 (id 12)" in msg and "row 3 (id 13)" in msg and "counted from 1" in msg
    assert "row 1 " not in msg


def test_missing_xy_column_raises():
    with pytest.raises(StarclassError, match="'y'"):
        measure(_mosaics(_image([])), Table({"x": [1.0]}))


def test_all_nan_band_raises_naming_band():
    img = _image([(40.0, 40.0, 2.0, 100.0)])
    bad = np.full_like(img, np.nan)
    m = ArrayMosaics({"f555w": img, "f814w": bad}, {"f555w": ZP, "f814w": ZP})
    with pytest.raises(StarclassError, match="f814w"):
        measure(m, Table({"x": [40.0], "y": [40.0]}))


def test_unknown_band_and_bad_options_raise():
    m = _mosaics(_image([]))
    t = Table({"x": [10.0], "y": [10.0]})
    with pytest.raises(StarclassError, match="f336w"):
        measure(m, t, bands=["f336w"])
    with pytest.raises(StarclassError, match="aperture_correction"):
        measure(m, t, aperture_correction="magic")


def test_source_at_image_edge_is_measured_with_partial_aperture():
    img = _image([(0.2, 30.0, 2.0, 100.0)], shape=(60, 60))
    out = measure(_mosaics(img), Table({"x": [0.2], "y": [30.0]}), aperture_correction=None)
    # the image starts at x = -0.5: the fraction of a Gaussian beyond 0.7 px left of centre
    from scipy.stats import norm

    on_image = norm.cdf(0.7 / (2.0 / 2.3548))
    expected = ZP - 2.5 * math.log10(100.0 * on_image)
    assert out["mag_f555w"][0] == pytest.approx(expected, abs=0.03)


def test_empty_table_gives_empty_columns():
    out = measure(_mosaics(_image([])), Table({"x": np.zeros(0), "y": np.zeros(0)}))
    assert len(out) == 0
    for col in ("mag_f555w", "ci", "mci_5", "fwhm", "crowding", "redundant"):
        assert col in out.colnames


def test_constant_aperture_correction_is_added():
    img = _image([(40.0, 40.0, 2.0, 100.0)])
    t = Table({"x": [40.0], "y": [40.0]})
    a = measure(_mosaics(img), t, aperture_correction=None)
    b = measure(_mosaics(img), t, aperture_correction={"f555w": -0.3})
    assert b["mag_f555w"][0] - a["mag_f555w"][0] == pytest.approx(-0.3)
    assert b["mag_f814w"][0] == pytest.approx(a["mag_f814w"][0])
    c = measure(_mosaics(img), t, aperture_correction="ci")
    assert c["mag_f555w"][0] <= a["mag_f555w"][0]


def _same_tables(a: Table, b: Table) -> None:
    assert a.colnames == b.colnames
    for c in a.colnames:
        x, y = np.asarray(a[c]), np.asarray(b[c])
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), c
        assert a[c].unit == b[c].unit, c
    assert dict(a.meta) == dict(b.meta)


@pytest.mark.parametrize("settings", [
    {},  # the curve of growth
    {"aperture_correction": "ci", "psf_beta": None},
    {"aperture_correction": {"f555w": -0.3}, "aperture_radius": 3.0, "annulus": (6.0, 9.0),
     "chunk": 2, "bands": ["f814w", "f555w"]},
])
def test_photometry_object_gives_the_table_of_measure(settings):
    img = _image([(40.2, 50.7, 2.0, 300.0), (90.0, 60.0, 3.5, 500.0), (93.0, 63.0, 2.0, 80.0),
                  (130.5, 30.2, 2.2, 60.0)], noise=0.01, seed=2)
    cand = Table({"x": [40.2, 90.0, 93.0, 130.5], "y": [50.7, 60.0, 63.0, 30.2]})
    phot = CandidatePhotometry(**settings)
    _same_tables(phot(_mosaics(img), cand), measure(_mosaics(img), cand, **settings))
    # the same object measures again without keeping anything from the first call
    _same_tables(phot(_mosaics(img), cand), measure(_mosaics(img), cand, **settings))


def test_photometry_object_shows_its_parameters_and_checks_them_at_once():
    phot = CandidatePhotometry(aperture_radius=3.0, annulus=(6.0, 9.0), aperture_correction="ci",
                               psf_fwhm={"f555w": 2.1}, crowding_radius=7.0, chunk=100)
    assert phot.aperture_radius == 3.0 and phot.annulus == (6.0, 9.0)
    assert phot.aperture_correction == "ci" and phot.psf_fwhm == {"f555w": 2.1}
    assert phot.crowding_radius == 7.0 and phot.chunk == 100
    assert phot.redundant_radius == 5.0 and phot.bands is None  # defaults of measure
    assert "aperture_radius=3.0" in repr(phot)
    for bad in ({"aperture_radius": 0}, {"annulus": (8.0, 7.0)}, {"aperture_correction": "total"}):
        with pytest.raises(StarclassError, match=next(iter(bad))):
            CandidatePhotometry(**bad)


def test_measured_table_carries_the_schema_units_as_its_file_read_back(tmp_path):
    """measure (and detect, which returns its table) gave x, y, magnitudes and CI no unit, while
    read_catalog gives them theirs: a notebook table and the same table read back differed."""
    from starclass.io.catalog import read_catalog, write_catalog

    img = _image([(60.3, 50.6, 2.0, 200.0), (100.0, 80.0, 3.0, 300.0)])
    out = measure(_mosaics(img), Table({"x": [60.3, 100.0], "y": [50.6, 80.0]}), aperture_correction=None)
    assert (str(out["x"].unit), str(out["y"].unit)) == ("pix", "pix")
    assert {str(out[c].unit) for c in ("mag_f555w", "magerr_f555w", "mag_f814w", "ci")} == {"mag"}
    back = read_catalog(write_catalog(out, tmp_path / "m.ecsv"))
    assert {c: str(out[c].unit) for c in out.colnames} == {c: str(back[c].unit) for c in out.colnames}


def test_an_image_in_counts_gives_the_errors_of_the_same_image_in_counts_per_second(tmp_path):
    """A mosaic stored in counts (BUNIT COUNTS/ELECTRONS, not per second) got the right magnitudes
    but its Poisson error term divided the counts by EXPTIME once more: errors of bright sources
    too small (0.0004 instead of 0.003 mag here)."""
    from astropy.io import fits

    from starclass.bands import BANDS
    from starclass.io.mosaic import read_mosaics, write_mosaic

    t_exp = 400.0
    rate = _image([(40.0, 40.0, 2.0, 300.0), (80.0, 60.0, 2.0, 30.0)], sky=0.05, noise=0.01)
    b = BANDS["f555w"]
    write_mosaic(tmp_path / "rate_f555w.fits", rate, "f555w", None, photflam=b.photflam, photplam=b.photplam,
                 exptime=t_exp)
    with fits.open(tmp_path / "rate_f555w.fits") as hdul:
        h = hdul[0].header.copy()
    h["BUNIT"] = "COUNTS"
    fits.PrimaryHDU((rate * np.float32(t_exp)).astype("f4"), h).writeto(tmp_path / "counts_f555w.fits")
    pos = Table({"x": [40.0, 80.0], "y": [40.0, 60.0]})
    a = measure(read_mosaics(tmp_path / "rate_f555w.fits"), pos, aperture_correction=None)
    c = measure(read_mosaics(tmp_path / "counts_f555w.fits"), pos, aperture_correction=None)
    np.testing.assert_allclose(c["mag_f555w"], a["mag_f555w"], atol=1e-5)
    np.testing.assert_allclose(c["magerr_f555w"], a["magerr_f555w"], rtol=1e-4)
    # the Poisson term alone for the bright source: 1.0857 / sqrt(counts), counts = flux * t
    assert a["magerr_f555w"][0] >= 1.0857 / math.sqrt(300.0 * t_exp)


def test_sources_on_a_nan_border_are_flagged_with_the_share_of_aperture_lost(tmp_path):
    """A star half on a mosaic's NaN border (as rotated or dithered mosaics have) read 1.9 mag too
    faint with an error of 0.004, nothing in the table or the output saying so. ``masked_frac``
    now gives the share of the V aperture on NaN or off-image pixels, and detect prints a note."""
    from photutils.aperture import CircularAperture

    from starclass.schema import MASKED_FRAC

    img = _image([(30.0, 30.0, 2.0, 200.0), (12.0, 30.0, 2.0, 200.0), (70.0, 2.0, 2.0, 200.0)])
    img[:, :12] = np.nan  # a NaN border through the second source's centre column
    pos = Table({"x": [30.0, 12.0, 70.0], "y": [30.0, 30.0, 2.0]})
    out = measure(_mosaics(img), pos, aperture_correction=None)
    # independent: photutils' exact overlap of the 4 px aperture with the good, on-image pixels
    good = np.isfinite(img).astype(float)
    ap = CircularAperture(np.column_stack([pos["x"], pos["y"]]), r=4.0)
    on_good = np.array([np.nansum(m.multiply(good) if m.multiply(good) is not None else 0.0)
                        for m in ap.to_mask(method="exact")])
    np.testing.assert_allclose(out[MASKED_FRAC], 1.0 - on_good / (np.pi * 16.0), atol=1e-5)
    assert out[MASKED_FRAC][0] == 0.0 and 0.3 < out[MASKED_FRAC][1] < 0.6 and 0.05 < out[MASKED_FRAC][2] < 0.3


def test_detect_says_how_many_candidates_lie_partly_on_masked_pixels(tmp_path):
    from typer.testing import CliRunner

    from starclass.bands import BANDS
    from starclass.cli import app
    from starclass.io.mosaic import write_mosaic

    img = _image([(30.0, 30.0, 2.0, 200.0), (12.0, 30.0, 2.0, 200.0)])
    img[:, :12] = np.nan
    b = BANDS["f555w"]
    write_mosaic(tmp_path / "a_f555w.fits", img, "f555w", None, photflam=b.photflam, photplam=b.photplam)
    Table({"id": [1, 2], "x": [30.0, 12.0], "y": [30.0, 30.0]}).write(tmp_path / "pos.ecsv")
    r = CliRunner().invoke(app, ["detect", str(tmp_path / "a_f555w.fits"), "--positions", str(tmp_path / "pos.ecsv"),
                                 "-o", str(tmp_path / "c.ecsv"), "--aperture-correction", "none", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "note: 1 candidate has part of its 4 px aperture in band f555w (V) on NaN" in " ".join(r.output.split())
    assert Table.read(tmp_path / "c.ecsv")["masked_frac"][1] > 0.3
