"""FITS mosaics: round trip, zeropoints, WCS, memory mapping, masks and every bad input."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS

from starclass.bands import BANDS, ab_zeropoint, vega_zeropoint
from starclass.errors import StarclassError
from starclass.io.mosaic import MosaicSet, band_of, is_weight_file, read_mosaics, write_mosaic

SHAPE = (40, 50)  # ny, nx


def make_wcs(crval=(65.0, -54.9), crpix=(25.0, 20.0), scale_arcsec=0.04, rot=0.0) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = list(crval)
    w.wcs.crpix = list(crpix)
    s = scale_arcsec / 3600.0
    c, sn = np.cos(np.radians(rot)), np.sin(np.radians(rot))
    w.wcs.cd = np.array([[-s * c, s * sn], [s * sn, s * c]])
    return w


def image(seed=0, shape=SHAPE) -> np.ndarray:
    return np.random.default_rng(seed).normal(1.0, 0.1, shape).astype(np.float32)


def write_band(path, band, data=None, wcs=None, **kw):
    data = image(hash(band) % 1000) if data is None else data
    return write_mosaic(path, data, band, make_wcs() if wcs is None else wcs,
                        photflam=BANDS[band].photflam, photplam=BANDS[band].photplam, **kw)


def _is_memmapped(arr: np.ndarray) -> bool:
    base = arr
    while base is not None:
        if isinstance(base, (mmap.mmap, np.memmap)):
            return True
        base = getattr(base, "base", None)
    return False


@pytest.fixture
def three_bands(tmp_path):
    paths = {}
    for i, b in enumerate(["f814w", "f555w", "f336w"]):
        paths[b] = write_band(tmp_path / f"ngc0001_{b}_sci.fits", b, data=image(i))
    return paths


def test_round_trip_zeropoint_wcs_memmap(three_bands):
    ms = read_mosaics(list(three_bands.values()))
    assert isinstance(ms, MosaicSet)
    assert ms.bands == ["f336w", "f555w", "f814w"]  # ordered by wavelength
    assert ms.shape == SHAPE
    assert ms.magsys == "vega"
    assert ms.v_band == "f555w"
    assert ms.pixel_scale == pytest.approx(0.04, rel=1e-6)
    for i, b in enumerate(["f814w", "f555w", "f336w"]):
        assert ms.zeropoint[b] == pytest.approx(
            vega_zeropoint(b, BANDS[b].photflam, BANDS[b].photplam), abs=1e-9)
        np.testing.assert_array_equal(np.asarray(ms.data[b]), image(i))
        assert ms.data[b].dtype.kind == "f" and ms.data[b].dtype.itemsize == 4
        assert ms.data[b].dtype.byteorder == ">"  # kept as on disk: not copied to native
        assert _is_memmapped(ms.data[b])
        assert not ms.data[b].flags.writeable
    sky = ms.pixel_to_world(10.0, 12.0)
    ref = make_wcs().pixel_to_world(10.0, 12.0)
    assert sky.separation(ref).arcsec < 1e-6
    x, y = ms.world_to_pixel(ref)
    assert x == pytest.approx(10.0) and y == pytest.approx(12.0)


def test_ab_system_and_given_zeropoints(three_bands):
    ms = read_mosaics(three_bands, magsys="ab", zeropoints={"F555W": 30.0})
    assert ms.magsys == "ab"
    assert ms.zeropoint["f555w"] == 30.0
    b = "f814w"
    assert ms.zeropoint[b] == pytest.approx(ab_zeropoint(BANDS[b].photflam, BANDS[b].photplam))


def test_band_selection_order_and_directory(three_bands, tmp_path):
    from astropy.table import Table

    Table({"id": [1, 2], "x": [1.0, 2.0]}).write(tmp_path / "catalogue.fits")  # skipped in a folder
    assert len(read_mosaics(tmp_path).bands) == 3
    ms = read_mosaics(tmp_path, bands=["f555w", "f814w"])
    assert ms.bands == ["f555w", "f814w"]
    assert set(ms.data) == {"f555w", "f814w"}


def test_band_from_filename_and_acs_keywords(tmp_path):
    p = tmp_path / "hlsp_x_hst_wfc3_ngc9_f438w_v1_drc.fits"
    fits.PrimaryHDU(image()).writeto(p)
    assert band_of(p, fits.getheader(p)) == "f438w"
    hdr = fits.Header({"FILTER1": "CLEAR1L", "FILTER2": "F435W"})
    assert band_of(tmp_path / "anything.fits", hdr) == "f435w"
    hdr = fits.Header({"FILTER1": "F606W", "FILTER2": "CLEAR2L"})
    assert band_of(tmp_path / "x.fits", hdr) == "f606w"
    assert band_of(tmp_path / "x.fits", fits.Header()) is None


def test_masks_nan_and_weight_files(tmp_path):
    data = image()
    data[3, 14] = np.nan
    wcs = make_wcs()
    # weight in an extension of the same file
    w = np.ones(SHAPE, np.float32)
    w[:, :5] = 0
    write_band(tmp_path / "a_f555w.fits", "f555w", data=data, wcs=wcs, weight=w)
    # weight map in a separate *_wht.fits beside the science file
    write_band(tmp_path / "a_f814w_sci.fits", "f814w", data=image(1), wcs=wcs)
    w2 = np.ones(SHAPE, np.float32)
    w2[-2:, :] = 0
    fits.PrimaryHDU(w2).writeto(tmp_path / "a_f814w_wht.fits")
    assert is_weight_file(tmp_path / "a_f814w_wht.fits")
    assert is_weight_file("hlsp_phangs_ngc628_f555w_v1_err-drc-wht.fits")
    assert not is_weight_file("hlsp_phangs_ngc628_f555w_v1_exp-drc-sci.fits")
    ms = read_mosaics(tmp_path)  # the directory: the wht file is not taken as a band
    assert ms.bands == ["f555w", "f814w"]
    m = ms.mask("f555w")
    assert m.dtype == bool and m.shape == SHAPE
    assert m[3, 14] and m[:, :5].all() and m.sum() == SHAPE[0] * 5 + 1
    m2 = ms.mask("f814w")
    assert m2[-2:, :].all() and m2.sum() == 2 * SHAPE[1]
    win = (slice(0, 10), slice(2, 8))
    np.testing.assert_array_equal(ms.mask("f814w", window=win), m2[win])
    ms2 = read_mosaics(tmp_path)  # nothing cached yet: the window is computed on its own
    np.testing.assert_array_equal(ms2.mask("f555w", window=win), m[win])
    assert not ms2._masks
    both = ms.combined_mask()
    assert both.sum() == (m | m2).sum()


def test_counts_image_gets_exptime_in_zeropoint(tmp_path):
    p = write_band(tmp_path / "c_f555w.fits", "f555w", exptime=400.0,
                   extra_header={"BUNIT": "ELECTRONS"})
    ms = read_mosaics([p])
    rate_zp = vega_zeropoint("f555w", BANDS["f555w"].photflam, BANDS["f555w"].photplam)
    assert ms.zeropoint["f555w"] == pytest.approx(rate_zp + 2.5 * np.log10(400.0))


def test_drizzled_layout_sci_extension(tmp_path):
    """Primary header with FILTER/PHOTFLAM, data in a SCI extension, WHT extension."""
    p = tmp_path / "j_drc.fits"
    prim = fits.PrimaryHDU(header=fits.Header({"FILTER": "F814W", "PHOTFLAM": 1.5e-19, "PHOTPLAM": 8040.0}))
    sci = fits.ImageHDU(image(), header=make_wcs().to_header(), name="SCI")
    wht = fits.ImageHDU(np.zeros(SHAPE, np.float32), name="WHT")
    fits.HDUList([prim, sci, wht]).writeto(p)
    ms = read_mosaics([p])
    assert ms.bands == ["f814w"]
    assert ms.mask("f814w").all()  # zero weight everywhere
    assert ms.wcs is not None


# ---------------------------------------------------------------------------------- bad input


def test_shape_mismatch_names_both_files(tmp_path):
    a = write_band(tmp_path / "a_f555w.fits", "f555w")
    b = write_band(tmp_path / "b_f814w.fits", "f814w", data=image(shape=(40, 51)))
    with pytest.raises(StarclassError) as e:
        read_mosaics([a, b])
    assert "a_f555w.fits" in str(e.value) and "b_f814w.fits" in str(e.value)
    assert "shape" in str(e.value)


@pytest.mark.parametrize("other", [
    dict(crval=(65.0001, -54.9)),
    dict(crpix=(26.0, 20.0)),
    dict(scale_arcsec=0.05),
    dict(rot=1.0),
])
def test_wcs_mismatch_names_files_and_keyword(tmp_path, other):
    a = write_band(tmp_path / "a_f555w.fits", "f555w")
    b = write_band(tmp_path / "b_f814w.fits", "f814w", wcs=make_wcs(**other))
    with pytest.raises(StarclassError) as e:
        read_mosaics([a, b])
    msg = str(e.value)
    assert "WCS differs" in msg and "a_f555w.fits" in msg and "b_f814w.fits" in msg
    assert any(k in msg for k in ("CRVAL", "CRPIX", "CD"))


def test_equivalent_wcs_is_accepted(tmp_path):
    """The same grid written with another reference pixel is the same WCS."""
    w1 = make_wcs()
    w2 = make_wcs()
    w2.wcs.crpix = [1.0, 1.0]
    w2.wcs.crval = list(w1.all_pix2world([[0.0, 0.0]], 0)[0])  # pixel (0,0) of w1 is crpix 1,1
    a = write_band(tmp_path / "a_f555w.fits", "f555w", wcs=w1)
    b = write_band(tmp_path / "b_f814w.fits", "f814w", wcs=w2)
    ms = read_mosaics([a, b])
    assert ms.bands == ["f555w", "f814w"]


def test_missing_band(three_bands):
    with pytest.raises(StarclassError, match=r"f275w.*not found.*f336w"):
        read_mosaics(list(three_bands.values()), bands=["f275w", "f555w"])


def test_duplicate_band(tmp_path):
    a = write_band(tmp_path / "a_f555w.fits", "f555w")
    b = write_band(tmp_path / "b_f555w.fits", "f555w")
    with pytest.raises(StarclassError, match=r"f555w appears twice.*a_f555w.fits.*b_f555w.fits"):
        read_mosaics([a, b])


def test_all_nan_image(tmp_path):
    p = write_band(tmp_path / "n_f555w.fits", "f555w", data=np.full(SHAPE, np.nan, np.float32))
    with pytest.raises(StarclassError, match=r"n_f555w.fits.*no finite pixel"):
        read_mosaics([p])


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(StarclassError, match="not found.*nope_f555w.fits"):
        read_mosaics([tmp_path / "nope_f555w.fits"])
    junk = tmp_path / "junk_f555w.fits"
    junk.write_bytes(b"this is not a FITS file at all" * 10)
    with pytest.raises(StarclassError, match="junk_f555w.fits"):
        read_mosaics([junk])
    table_only = tmp_path / "t_f555w.fits"
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(
        [fits.Column(name="a", format="E", array=np.arange(3.0))])]).writeto(table_only)
    with pytest.raises(StarclassError, match="no 2-D image.*t_f555w.fits"):
        read_mosaics([table_only])


def test_no_band_and_no_zeropoint(tmp_path):
    p = tmp_path / "mystery.fits"
    fits.PrimaryHDU(image()).writeto(p)
    with pytest.raises(StarclassError, match="cannot tell the band of.*mystery.fits"):
        read_mosaics([p])
    with pytest.raises(StarclassError, match="no zeropoint for band f555w.*mystery.fits"):
        read_mosaics({"f555w": p})
    ms = read_mosaics({"f555w": p}, require_zeropoint=False)
    assert np.isnan(ms.zeropoint["f555w"]) and ms.wcs is None and np.isnan(ms.pixel_scale)
    ms = read_mosaics({"f555w": p}, zeropoints={"f555w": 25.0}, pixel_scale=0.04)
    assert ms.zeropoint["f555w"] == 25.0 and ms.pixel_scale == 0.04


def test_write_failure_leaves_no_file(tmp_path):
    target = tmp_path / "bad_f555w.fits"
    with pytest.raises(StarclassError):
        write_mosaic(target, np.zeros((3, 4, 5)), "f555w", None, photflam=1e-19, photplam=5000.0)
    with pytest.raises(StarclassError):
        write_mosaic(target, np.zeros((4, 5)), "f555w", None, photflam=1e-19, photplam=5000.0,
                     weight=np.zeros((5, 5)))
    assert list(tmp_path.iterdir()) == []


def test_a_file_with_two_science_images_says_which_one_is_read(tmp_path):
    """A mosaic file with two image extensions (two chips or epochs: SCI,1 and SCI,2) was read as its
    first image without a word; the file, the HDU read and the HDUs left out are now named."""
    w = make_wcs()
    h = w.to_header()
    h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = "F555W", BANDS["f555w"].photflam, BANDS["f555w"].photplam
    first, second = image(1), image(2)
    fits.HDUList([fits.PrimaryHDU(header=h), fits.ImageHDU(first, w.to_header(), name="SCI", ver=1),
                  fits.ImageHDU(np.ones(SHAPE, "f4"), w.to_header(), name="WHT"),
                  fits.ImageHDU(second, w.to_header(), name="SCI", ver=2)]).writeto(tmp_path / "two_f555w.fits")
    said = r"two_f555w.fits holds 2 images: using HDU 1 \(SCI,1\), ignoring HDU 3 \(SCI,2\)"
    with pytest.warns(UserWarning, match=said):
        ms = read_mosaics(tmp_path / "two_f555w.fits")
    np.testing.assert_array_equal(ms.data["f555w"], first)
    # a drizzled product (SCI, WHT, CTX) is one image: nothing to say
    fits.HDUList([fits.PrimaryHDU(header=h), fits.ImageHDU(first, w.to_header(), name="SCI"),
                  fits.ImageHDU(np.ones(SHAPE, "f4"), w.to_header(), name="WHT"),
                  fits.ImageHDU(np.ones(SHAPE, "i4"), w.to_header(), name="CTX")]).writeto(tmp_path / "drz_f555w.fits")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_mosaics(tmp_path / "drz_f555w.fits")


def test_ancillary_extensions_are_recognised_and_masks_named_in_one_line(tmp_path):
    """Files with MASK, ERR, CTX, DQ, IVAR beside SCI: a MASK extension ahead of SCI was read as the band's
    image, each file warned of its own ("holds N images"), and an IVAR map was not used as a weight."""
    import warnings

    w = make_wcs()
    folder = tmp_path / "field"
    folder.mkdir()
    sci = {}
    for k, band in enumerate(("f555w", "f814w")):
        h = w.to_header()
        h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = band.upper(), BANDS[band].photflam, BANDS[band].photplam
        sci[band] = image(k)
        ivar = np.ones(SHAPE, "f4")
        ivar[:3] = 0.0  # no data in the first three rows
        fits.HDUList([fits.PrimaryHDU(header=h),
                      fits.ImageHDU(np.zeros(SHAPE, "i2"), w.to_header(), name="MASK"),
                      fits.ImageHDU(sci[band], w.to_header(), name="SCI"),
                      fits.ImageHDU(np.ones(SHAPE, "f4"), w.to_header(), name="ERR"),
                      fits.ImageHDU(np.ones(SHAPE, "i4"), w.to_header(), name="CTX"),
                      fits.ImageHDU(np.zeros(SHAPE, "i2"), w.to_header(), name="DQ"),
                      fits.ImageHDU(ivar, w.to_header(), name="IVAR")]).writeto(folder / f"g_{band}.fits")
    # a mask file beside the images is not a third image of f555w
    fits.PrimaryHDU(np.zeros(SHAPE, "i2"), h).writeto(folder / "g_f555w_mask.fits")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ms = read_mosaics(folder)
    said = [str(c.message) for c in caught]
    assert len(said) == 1, said
    assert "MASK in g_f555w.fits, g_f814w.fits" in said[0] and "not applied" in said[0]
    for band in ("f555w", "f814w"):
        np.testing.assert_array_equal(ms.data[band], sci[band])
        assert ms.mask(band)[:3].all() and not ms.mask(band)[3:].any()


def test_a_truncated_mosaic_is_named_with_its_sizes_and_no_astropy_warning(tmp_path):
    """A cut-short file gave astropy's warning and then "buffer is too small for requested array"."""
    import warnings

    p = write_band(tmp_path / "cut_f555w.fits", "f555w", wcs=make_wcs())
    size = p.stat().st_size
    with open(p, "r+b") as fh:
        fh.truncate(size - 2880)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(StarclassError, match=rf"cut_f555w.fits is truncated: the file holds {size - 2880} bytes "
                                                 rf"but its FITS headers describe {size}"):
            read_mosaics(tmp_path)


def test_a_mosaic_without_its_final_padding_is_read_not_called_truncated(tmp_path):
    """Every data byte present but the zero padding after them left out (some writers do): astropy reads
    the file whole, and it was refused as 'truncated' (the padding counted as data)."""
    full = write_band(tmp_path / "full" / "a_f555w.fits", "f555w", wcs=make_wcs())
    with fits.open(full) as hdul:
        end = hdul[0].fileinfo()["datLoc"] + hdul[0].size
    assert end < full.stat().st_size  # the test image's data do not fill their last block
    short = tmp_path / "short" / "a_f555w.fits"
    short.parent.mkdir()
    short.write_bytes(full.read_bytes()[:end])
    np.testing.assert_array_equal(read_mosaics(short).data["f555w"], read_mosaics(full).data["f555w"])


def test_a_tile_compressed_mosaic_is_not_called_truncated(tmp_path):
    """A CompImageHDU's size is the image's uncompressed size, larger than the file: not a cut-short file."""
    data = np.round(image(3), 1).astype("f4")
    p = tmp_path / "c_f555w.fits"
    header = make_wcs().to_header()
    header["PHOTFLAM"], header["PHOTPLAM"] = BANDS["f555w"].photflam, BANDS["f555w"].photplam
    fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(data, header, name="SCI")]).writeto(p)
    np.testing.assert_allclose(read_mosaics(p).data["f555w"], data, atol=0.05)


def test_jwst_variance_and_area_extensions_are_passed_over_in_silence(tmp_path):
    """A JWST i2d-style file (SCI, ERR, CON, WHT, VAR_POISSON, VAR_RNOISE, VAR_FLAT): the three variance
    maps were each taken for another image, with a "holds N images" warning."""
    import warnings

    w = make_wcs()
    h = w.to_header()
    h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = "F555W", BANDS["f555w"].photflam, BANDS["f555w"].photplam
    sci = image(3)
    extra = [fits.ImageHDU(np.ones(SHAPE, "f4"), w.to_header(), name=name)
             for name in ("ERR", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT", "AREA")]
    fits.HDUList([fits.PrimaryHDU(header=h), fits.ImageHDU(sci, w.to_header(), name="SCI"),
                  fits.ImageHDU(np.ones(SHAPE, "f4"), w.to_header(), name="WHT"), *extra]
                 ).writeto(tmp_path / "jw_f555w_i2d.fits")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ms = read_mosaics(tmp_path)
    np.testing.assert_array_equal(ms.data["f555w"], sci)
