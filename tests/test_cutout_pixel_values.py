"""Pixel values of cutout files: pictures scaled to [0, 1], FITS and wide NPY integers kept as values."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder, read_image

COUNTS = np.arange(64, dtype=np.int64).reshape(8, 8) * 1000 + 100000  # int32 counts near 1e5


def test_integer_fits_keeps_its_counts(tmp_path):
    """int32 FITS counts of 100000 were divided by 65535 (1.5); they are values, kept as stored."""
    p = tmp_path / "c.fits"
    fits.PrimaryHDU(COUNTS.astype(np.int32)).writeto(p)
    assert np.array_equal(read_image(p)[0], COUNTS.astype(np.float32))


def test_fits_bzero_bscale_are_applied(tmp_path):
    """BITPIX 16 with BZERO 32768 (unsigned 16-bit) and an int16 with BSCALE: astropy's physical values."""
    u16 = (np.arange(64).reshape(8, 8) * 1000).astype(np.uint16)  # up to 63000, above int16
    fits.PrimaryHDU(u16).writeto(tmp_path / "u.fits")
    assert fits.getheader(tmp_path / "u.fits")["BZERO"] == 32768
    assert np.array_equal(read_image(tmp_path / "u.fits")[0], u16.astype(np.float32))
    raw = (np.arange(64).reshape(8, 8) - 10).astype(np.int16)
    hdu = fits.PrimaryHDU(raw)
    hdu.header["BSCALE"], hdu.header["BZERO"] = 0.5, 100.0
    hdu.writeto(tmp_path / "s.fits", output_verify="silentfix")
    with fits.open(tmp_path / "s.fits", do_not_scale_image_data=True) as h:
        assert h[0].data.dtype.kind == "i"  # stored as integers, scaled on reading
    assert np.allclose(read_image(tmp_path / "s.fits")[0], raw * 0.5 + 100.0)


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64, np.uint32])
def test_wide_integer_npy_keeps_its_values(tmp_path, dtype):
    a = (COUNTS // 10).astype(dtype)  # 10000 .. 16300 fits every type here
    np.save(tmp_path / "a.npy", a)
    assert np.array_equal(read_image(tmp_path / "a.npy")[0], a.astype(np.float32))


def test_pictures_are_scaled_as_before(tmp_path):
    """PNG 8/16-bit and uint8/uint16 NPY pictures: the same [0, 1] pixels models were trained on."""
    g8 = (np.arange(64).reshape(8, 8) * 4).astype(np.uint8)
    g16 = (np.arange(64).reshape(8, 8) * 1000).astype(np.uint16)
    Image.fromarray(g8).save(tmp_path / "a.png")
    Image.fromarray(g16).save(tmp_path / "b.png")
    np.save(tmp_path / "c.npy", g8)
    np.save(tmp_path / "d.npy", g16)
    for name, a, top in (("a.png", g8, 255), ("b.png", g16, 65535), ("c.npy", g8, 255), ("d.npy", g16, 65535)):
        assert np.array_equal(read_image(tmp_path / name)[0], a.astype(np.float32) / np.float32(top)), name


def test_models_trained_on_integer_fits_see_the_same_inputs(tmp_path):
    """The per-stamp normalisation of m31-real ignores the old 1/65535 factor: same network inputs."""
    from starclass.learn.config import get_preset
    from starclass.stamps.images import cutout_inputs

    rng = np.random.default_rng(0)
    for k in range(3):
        d = tmp_path / ("cluster" if k else "galaxy")
        d.mkdir(exist_ok=True)
        fits.PrimaryHDU(rng.poisson(20000, (32, 32)).astype(np.int32)).writeto(d / f"o{k}.fits")
    cs = read_cutout_folder(tmp_path)
    assert cs.images.max() > 1000  # counts, not a fraction of 65535
    cfg = get_preset("m31-real")
    new = cutout_inputs(cs.images, cfg)
    old = cutout_inputs(cs.images / np.float32(65535), cfg)
    assert np.allclose(new, old, atol=1e-4)


def test_info_shows_the_counts_of_an_integer_fits_folder(tmp_path):
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
        fits.PrimaryHDU(COUNTS.astype(np.int32)).writeto(tmp_path / lab / "o.fits")
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "pixel values: 100000 .. 163000" in res.output, res.output


def test_big_endian_uint16_npy_is_a_picture(tmp_path):
    a = (np.arange(64).reshape(8, 8) * 1000).astype(">u2")
    np.save(tmp_path / "a.npy", a)
    assert np.allclose(read_image(tmp_path / "a.npy")[0], a.astype(np.float32) / 65535)
