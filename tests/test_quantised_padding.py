"""A drizzled mosaic fpack'd with dithered quantisation keeps its zero padding.

fpack's default lossy compression of float images (SUBTRACTIVE_DITHER_1) gives the exact zeros
outside a drizzled footprint back as noise within half a quantisation step of 0. Without a weight
map, starclass then read that padding as sky: no zero padding was found, and detect found a row of
false candidates along the footprint's edge (simulated 512 px HST field: 705 candidates against 475
for the same file uncompressed). The near-zero squares are now read back as the zeros they were.

An int16 image with BSCALE/BZERO holds 0 as the integer nearest to -BZERO/BSCALE, read back as a
constant within half a step of 0, not 0 (3 of the 5 bands of a simulated field scaled by astropy's
``hdu.scale('int16')``): its padding was read as sky too (96 candidates against 43 here).
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

from starclass.detect import detect
from starclass.io.mosaic import read_mosaics

N = 192


def _image() -> tuple[np.ndarray, np.ndarray]:
    """A sky of 0.5 +- 0.05 e-/s with 40 stars, zero outside a footprint rotated by 25 degrees."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[:N, :N]
    img = 0.5 + 0.05 * rng.standard_normal((N, N))
    for x, y in rng.uniform(30, N - 30, (40, 2)):
        img += 3.0 / (2 * np.pi * 0.8 ** 2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 0.8 ** 2))
    c, th = (N - 1) / 2, np.deg2rad(25)
    u = (xx - c) * np.cos(th) + (yy - c) * np.sin(th)
    v = -(xx - c) * np.sin(th) + (yy - c) * np.cos(th)
    inside = (np.abs(u) < 0.4 * N) & (np.abs(v) < 0.4 * N)
    return np.where(inside, img, 0.0).astype(np.float32), inside


def _header() -> fits.Header:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(N + 1) / 2, (N + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    h = w.to_header()
    h.update({"FILTER": "F555W", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS/S", "EXPTIME": 400.0})
    return h


def _write(tmp_path, img):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, _header(), name="SCI")]).writeto(plain / "f_f555w_drc.fits")
    comp = fits.CompImageHDU(img, _header(), name="SCI", compression_type="RICE_1", quantize_level=16,
                             quantize_method=1)  # SUBTRACTIVE_DITHER_1, fpack's default
    fits.HDUList([fits.PrimaryHDU(), comp]).writeto(packed / "f_f555w_drc.fits.fz")
    return plain, packed


def test_dithered_padding_is_read_as_the_uncompressed_file_s(tmp_path):
    img, inside = _image()
    plain, packed = _write(tmp_path, img)
    assert not (fits.getdata(packed / "f_f555w_drc.fits.fz", 1)[~inside] == 0).all()  # the blur this is about
    a, b = read_mosaics(plain), read_mosaics(packed)
    assert np.array_equal(a.mask("f555w"), b.mask("f555w"))  # the old code: no padding masked at all
    assert not b.mask("f555w")[inside].any()
    data = np.asarray(b.data["f555w"])
    assert np.abs(data[inside] - img[inside]).max() < 0.01  # the data are as astropy gave them


def test_detect_finds_no_row_of_candidates_along_a_dithered_footprint_edge(tmp_path):
    img, _ = _image()
    plain, packed = _write(tmp_path, img)
    n_plain = len(detect(read_mosaics(plain), aperture_correction=None))
    n_packed = len(detect(read_mosaics(packed), aperture_correction=None))
    assert abs(n_packed - n_plain) <= 3, (n_plain, n_packed)


def _write_int16(tmp_path, img):
    folder = tmp_path / "int16"
    folder.mkdir()
    hdu = fits.ImageHDU(img.copy(), _header(), name="SCI")
    # as a team shrinks a drizzled mosaic with astropy; 0 falls between two steps here (in 3 of the 5
    # bands of a simulated field with option="minmax"), so it is read back as -0.37 of a step
    bscale = float(np.ptp(img)) / 65000
    hdu.scale("int16", bzero=float(img.max() + img.min()) / 2 + 0.37 * bscale, bscale=bscale)
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(folder / "f_f555w_drc.fits")
    return folder


def test_the_padding_of_an_int16_image_with_bscale_bzero_is_read_as_padding(tmp_path):
    img, inside = _image()
    plain, _ = _write(tmp_path, img)
    folder = _write_int16(tmp_path, img)
    stored = fits.getdata(folder / "f_f555w_drc.fits", 1)
    assert (stored[~inside] != 0).all() and np.ptp(stored[~inside]) == 0  # one constant near 0, not 0
    a, b = read_mosaics(plain), read_mosaics(folder)
    assert np.array_equal(a.mask("f555w"), b.mask("f555w"))  # the old code: no padding masked at all
    n_plain = len(detect(a, aperture_correction=None))
    n_int16 = len(detect(b, aperture_correction=None))
    assert abs(n_int16 - n_plain) <= 3, (n_plain, n_int16)


def test_an_int16_image_quantised_coarsely_is_left_as_stored(tmp_path):
    # integers of counts (BSCALE 1): a value near 0 is data, not a quantised padding
    rng = np.random.default_rng(5)
    img = rng.poisson(0.3, (N, N)).astype(np.float32) + 0.0
    folder = tmp_path / "counts"
    folder.mkdir()
    hdu = fits.ImageHDU(img.astype(np.int16), _header(), name="SCI")
    hdu.header["BSCALE"], hdu.header["BZERO"] = 1.0, 0.0
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(folder / "f_f555w_drc.fits")
    ms = read_mosaics(folder)
    assert np.array_equal(np.asarray(ms.data["f555w"]), img)
