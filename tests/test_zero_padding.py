"""Drizzled mosaics without their weight map: zero padding outside the footprint is no data, not sky."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.bands import BANDS
from starclass.datasets.fields import synthetic_field
from starclass.detect import detect
from starclass.io.mosaic import read_mosaics, write_mosaic


def _footprint(shape, pad=24, angle=0.3):
    """A tilted square footprint (True = data), as a drizzled pointing at an angle."""
    ny, nx = shape
    yy, xx = np.mgrid[:ny, :nx]
    u = (xx - nx / 2) * np.cos(angle) + (yy - ny / 2) * np.sin(angle)
    v = -(xx - nx / 2) * np.sin(angle) + (yy - ny / 2) * np.cos(angle)
    return (np.abs(u) < nx / 2 - pad) & (np.abs(v) < ny / 2 - pad)


def _write_field(folder, mosaics, fill):
    inside = _footprint(mosaics.shape)
    for band in mosaics.bands:
        data = np.where(inside, mosaics.data[band], fill).astype(np.float32)
        write_mosaic(folder / f"hlsp_x_{band}_v1_exp-drc-sci.fits", data, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    return read_mosaics(folder)


@pytest.fixture(scope="module")
def field():
    mosaics, _truth = synthetic_field((192, 192), 60, seed=3)
    return mosaics


def test_zero_padding_without_weight_map_finds_what_nan_padding_finds(field, tmp_path):
    (tmp_path / "nan").mkdir()
    (tmp_path / "zero").mkdir()
    with_nan = _write_field(tmp_path / "nan", field, np.nan)
    with_zero = _write_field(tmp_path / "zero", field, 0.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        zero_cat = detect(with_zero, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nan_cat = detect(with_nan, progress=False)
    # the old code read the zeros as sky: the step at the footprint's edge gave a row of candidates
    assert len(zero_cat) == len(nan_cat)
    assert any("no weight map: read as padding" in str(w.message) for w in caught)
    np.testing.assert_allclose(zero_cat["x"], nan_cat["x"])
    np.testing.assert_allclose(zero_cat["y"], nan_cat["y"])
    np.testing.assert_allclose(zero_cat["mag_f555w"], nan_cat["mag_f555w"], equal_nan=True)
    assert with_zero.mask("f555w").sum() == with_nan.mask("f555w").sum()


def test_zero_padding_window_equals_the_whole_images_part():
    from starclass.io.mosaic import zero_padding

    rng = np.random.default_rng(1)
    img = rng.normal(1.0, 0.1, (70, 90)).astype(np.float32)
    img[~_footprint(img.shape, pad=12)] = 0.0
    img[30, 40] = 0.0  # a data pixel that happens to be zero is not padding
    whole = zero_padding(img)
    assert not whole[30, 40]
    padding = ~_footprint(img.shape, pad=12)
    assert not (whole & ~padding).any()
    assert whole.sum() >= 0.98 * padding.sum()  # slivers under 5 px wide at the corners are left
    for rows, cols in [(slice(0, 9), slice(3, 50)), (slice(20, 70), slice(60, 90)), (slice(5, 6), slice(0, 90))]:
        np.testing.assert_array_equal(zero_padding(img, (rows, cols)), whole[rows, cols])


def test_a_weight_map_decides_alone(field, tmp_path):
    inside = _footprint(field.shape)
    band = field.v_band
    data = np.where(inside, field.data[band], 0.0).astype(np.float32)
    write_mosaic(tmp_path / f"x_{band}.fits", data, band, None, photflam=1e-19, photplam=5000.0,
                 weight=np.ones_like(data))  # weight 1 everywhere: the zeros are data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ms = read_mosaics(tmp_path)
        assert not ms.mask(band).any()


def test_stamps_on_zero_padding_are_not_usable(field, tmp_path):
    from starclass.stamps import make_inputs

    (tmp_path / "nan").mkdir()
    (tmp_path / "zero").mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with_nan = _write_field(tmp_path / "nan", field, np.nan)
        with_zero = _write_field(tmp_path / "zero", field, 0.0)
        # candidates inside the footprint, on its edge and in the padding (a catalogue given to classify)
        x = np.array([96.0, 40.0, 10.0, 180.0, 150.0])
        y = np.array([96.0, 60.0, 10.0, 100.0, 20.0])
        config = dict(bands=with_nan.bands, stamp_size=16, scales=[1.0], input_size=16, normalisation="zscore")
        nan_inputs, nan_ok = make_inputs(with_nan, x, y, config)
        zero_inputs, zero_ok = make_inputs(with_zero, x, y, config)
    assert not nan_ok.all() and nan_ok.any()
    # the old code cut the zeros as data: a candidate in the padding had a usable stamp and was classified
    np.testing.assert_array_equal(zero_ok, nan_ok)
    np.testing.assert_allclose(zero_inputs, nan_inputs, atol=1e-6)


def test_an_all_zero_band_file_is_a_blank_band_not_padding(field, tmp_path):
    band = next(b for b in field.bands if b != field.v_band)
    for b in (field.v_band, band):
        data = field.data[b] if b == field.v_band else np.zeros(field.shape, np.float32)
        write_mosaic(tmp_path / f"x_{b}.fits", data, b, None, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)
    ms = read_mosaics(tmp_path)
    # as for in-memory mosaics (test_detect_blank): named as constant, detection goes on in the other band
    with pytest.warns(UserWarning, match=f"band {band}.*constant"):
        table = detect(ms, progress=False)
    assert len(table) > 0 and ms.padding(band) is None


def test_zero_padding_of_every_band_is_one_warning_naming_the_bands_and_files(field, tmp_path):
    with_zero = _write_field(tmp_path, field, 0.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        detect(with_zero, progress=False)
    notes = [str(w.message) for w in caught if "read as padding" in str(w.message)]
    # the old code warned once per band: five lines for this five-band field
    assert len(notes) == 1, notes
    assert all(b in notes[0] and f"hlsp_x_{b}_v1_exp-drc-sci.fits" in notes[0] for b in field.bands)


def test_zeros_of_a_counts_image_are_sky_without_a_weight_map(tmp_path):
    """A photon-counting image (X-ray-like counts, most pixels 0) has its zeros in 5 x 5 blocks everywhere:
    without a weight map they were read as padding (detect then stopped with 'no background box has enough
    usable pixels') and the warning asked for a weight map of ones. Now such zeros are sky (squares of zeros
    too small to be padding at the image's Poisson level: io.mosaic.padding_side), and a weight map still
    decides alone."""
    from astropy.io import fits

    rng = np.random.default_rng(1)
    counts = rng.poisson(0.02, (128, 128)).astype(np.float32)
    counts[60:64, 60:64] += 40.0  # a source
    write_mosaic(tmp_path / "x_f555w.fits", counts, "f555w", None,
                 photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no padding note
        ms = read_mosaics(tmp_path / "x_f555w.fits")
        assert not ms.mask("f555w").any() and ms.padding("f555w") is None
    fits.writeto(tmp_path / "x_f555w_wht.fits", np.ones_like(counts))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = read_mosaics(tmp_path / "x_f555w.fits")
        assert kept.weights["f555w"] is not None and not kept.mask("f555w").any()


def test_info_says_which_zeros_the_other_commands_read_as_padding(tmp_path):
    """detect, cutouts, classify and survey mask a weight-less band's zero padding; 'starclass info' on the
    same folder said only 'no weight map', so a user learned of the masked zeros when detect failed."""
    from typer.testing import CliRunner

    from starclass.cli import app

    img = np.ones((64, 64), np.float32)
    img[:, :16] = 0.0  # 1024 px of padding
    write_mosaic(tmp_path / "g_f555w.fits", img, "f555w", None,
                 photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam)
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "f555w   no weight map; 1024 px (25%) of exact zeros read as padding (no data)" in res.output, res.output
