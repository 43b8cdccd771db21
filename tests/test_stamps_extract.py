"""Stamp extraction against a naive slicing reference."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.stamps import centre_pixels, cut_boxes, extract_stamps


def naive(images: np.ndarray, x, y, size: int, fill: float = 0.0):
    """Reference: a Python loop over candidates slicing a padded copy of the images."""
    nb, ny, nx = images.shape
    pad = size + 1
    big = np.full((nb, ny + 2 * pad, nx + 2 * pad), np.nan)
    big[:, pad:pad + ny, pad:pad + nx] = images.astype(np.float64)
    out = np.full((len(x), nb, size, size), fill, dtype=np.float32)
    valid = np.zeros((len(x), size, size), dtype=bool)
    for n in range(len(x)):
        if not (np.isfinite(x[n]) and np.isfinite(y[n])):
            continue
        cx, cy = int(np.floor(x[n] + 0.5)), int(np.floor(y[n] + 0.5))
        y0, x0 = cy - size // 2 + pad, cx - size // 2 + pad
        if y0 < 0 or x0 < 0 or y0 + size > big.shape[1] or x0 + size > big.shape[2]:
            continue  # wholly off the image
        cut = big[:, y0:y0 + size, x0:x0 + size]
        ok = np.isfinite(cut).all(axis=0)
        valid[n] = ok
        out[n][:, ok] = cut[:, ok]
    return out, valid


@pytest.fixture
def field():
    rng = np.random.default_rng(42)
    images = rng.normal(10, 3, size=(3, 61, 47)).astype(np.float32)
    images[1, 20, 30] = np.nan
    images[2, 5, 5] = np.inf
    images[0, 40:43, 10] = np.nan
    n = 700  # > 512 so the locality-sorted order is used too
    x = rng.uniform(-12, 58, n)
    y = rng.uniform(-12, 72, n)
    x[:4] = [30, 0.4999, 46.5, -0.5]  # NaN pixel, rounding, right edge, left edge
    y[:4] = [20, 0.5, 60.49, 10]
    x[4], y[5] = np.nan, np.inf
    return images, x, y


@pytest.mark.parametrize("size", [1, 7, 8, 32])
@pytest.mark.parametrize("dtype", [">f4", "<f4", ">f8", "<i2"])
def test_matches_naive_reference(field, size, dtype):
    images, x, y = field
    imgs = images.astype(dtype) if dtype[-2] == "f" else np.nan_to_num(images, posinf=0).astype(dtype)
    ref, ref_valid = naive(imgs, x, y, size, fill=-7.0)
    got, valid = extract_stamps(imgs, x, y, size, fill=-7.0)
    assert got.dtype == np.float32 and got.dtype.isnative and got.shape == (len(x), 3, size, size)
    np.testing.assert_array_equal(valid, ref_valid)
    np.testing.assert_array_equal(got, ref)


def test_centre_convention_even_and_odd():
    img = np.arange(100 * 100, dtype=np.float32).reshape(100, 100)
    for size in (32, 33):
        st, _ = extract_stamps([img], [40.4], [60.6], size)
        # candidate pixel (col 40, row 61) at index S//2
        assert st[0, 0, size // 2, size // 2] == img[61, 40]
        assert st[0, 0, 0, 0] == img[61 - size // 2, 40 - size // 2]
    cx, cy = centre_pixels([2.5, -0.5, 3.49], [0.5, 1.5, np.nan])
    assert cx[:2].tolist() == [3, 0] and cy[:2].tolist() == [1, 2]
    assert cx[2] < -1e9 and cy[2] < -1e9  # no position: far off any image


def test_off_image_nan_and_masks_are_invalid_and_filled():
    img = np.ones((20, 20), dtype=">f4")
    img2 = np.ones((20, 20), dtype=">f4")
    img2[10, 10] = np.nan
    mask = np.zeros((20, 20), bool)
    mask[3, 4] = True
    st, valid = extract_stamps({"a": img, "b": img2}, [10, 0, 4], [10, 0, 3], 5, fill=0.0, masks={"a": mask})
    assert not valid[0, 2, 2] and valid[0].sum() == 24
    assert (st[0, :, 2, 2] == 0).all()  # NaN in band b fills every band
    assert valid[1].sum() == 9 and (st[1][:, ~valid[1]] == 0).all()  # corner: 3x3 on image
    assert not valid[2, 2, 2] and (st[2, :, 2, 2] == 0).all()  # masked pixel
    assert np.isfinite(st).all()


def test_mapping_bands_selection_and_errors():
    rng = np.random.default_rng(0)
    d = {"f555w": rng.random((30, 30)).astype(np.float32), "f814w": rng.random((30, 30)).astype(np.float32)}
    st, _ = extract_stamps(d, [15], [15], 4, bands=["F814W", "f555w"])
    assert st[0, 0, 2, 2] == d["f814w"][15, 15] and st[0, 1, 2, 2] == d["f555w"][15, 15]
    with pytest.raises(StarclassError, match="f438w"):
        extract_stamps(d, [1], [1], 4, bands=["f438w"])
    with pytest.raises(StarclassError, match="size"):
        extract_stamps(d, [1], [1], 0)
    with pytest.raises(StarclassError, match="grid"):
        extract_stamps([np.zeros((5, 5)), np.zeros((6, 5))], [1], [1], 3)
    st, valid = extract_stamps(d, [], [], 8)
    assert st.shape == (0, 2, 8, 8) and valid.shape == (0, 8, 8)


def test_memmapped_big_endian_fits(tmp_path):
    from astropy.io import fits

    rng = np.random.default_rng(3)
    data = rng.normal(size=(64, 80)).astype(np.float32)
    fits.PrimaryHDU(data).writeto(tmp_path / "a.fits")
    with fits.open(tmp_path / "a.fits", memmap=True) as hdul:
        mm = hdul[0].data
        assert not mm.dtype.isnative
        st, valid = extract_stamps([mm], [10.2, 79.0], [5.0, 63.0], 9)
    ref, ref_valid = naive(data[None], [10.2, 79.0], [5.0, 63.0], 9)
    np.testing.assert_array_equal(st, ref)
    np.testing.assert_array_equal(valid, ref_valid)


def test_out_buffers_reused():
    img = np.arange(400, dtype=np.float32).reshape(20, 20)
    out = np.empty((2, 1, 3, 3), np.float32)
    vout = np.empty((2, 3, 3), bool)
    st, v = extract_stamps([img], [5, 6], [5, 5], 3, out=out, valid_out=vout)
    assert st is out and v is vout and out[1, 0, 1, 1] == img[5, 6]
    with pytest.raises(StarclassError, match="out"):
        extract_stamps([img], [5], [5], 3, out=np.empty((1, 1, 4, 4), np.float32))


def _child_sum(args):
    images, x, y = args
    st, _ = extract_stamps(images, x, y, 8)
    return float(st.sum())


def test_usable_in_forked_children_after_parallel_use():
    """A fork-based worker (torch DataLoader, multiprocessing) must not be killed by OpenMP."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork start method on this platform")
    rng = np.random.default_rng(9)
    images = [rng.random((60, 60)).astype(np.float32) for _ in range(2)]
    x, y = rng.uniform(0, 60, 800), rng.uniform(0, 60, 800)
    expected = _child_sum((images, x, y))  # runs the parallel kernel in this process first
    with mp.get_context("fork").Pool(2) as pool:
        got = pool.map(_child_sum, [(images, x, y)] * 2, chunksize=1)
    assert got == pytest.approx([expected, expected], rel=1e-6)


@pytest.mark.parametrize("wdtype", [">f4", "<f4", ">f8", "<i2"])
def test_zero_weight_pixels_are_invalid(wdtype):
    img = np.ones((30, 30), dtype=">f4")
    w = np.ones((30, 30))
    w[10, 12] = 0
    w[20, 5] = -1
    if wdtype[-2] == "f":
        w[3, 3] = np.nan
    w = w.astype(wdtype)
    st, valid = extract_stamps({"f555w": img}, [12, 5, 3, 25], [10, 20, 3, 25], 5, weights={"f555w": w})
    assert not valid[0, 2, 2] and not valid[1, 2, 2] and valid[3].all()
    assert (not valid[2, 2, 2]) == (wdtype[-2] == "f")
    assert (st[~valid[:, None].repeat(1, 1)] == 0).all()
    assert valid[0].sum() == 24


def test_mosaicset_weights_used_by_make_inputs(tmp_path):
    from astropy.io import fits

    from starclass.bands import BANDS
    from starclass.io.mosaic import read_mosaics, write_mosaic
    from starclass.stamps import make_inputs

    data = np.ones((40, 40), np.float32)
    p = write_mosaic(tmp_path / "img_f555w.fits", data, "f555w", None,
                     photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam)
    wht = np.ones((40, 40), np.float32)
    wht[20, 20] = 0
    fits.PrimaryHDU(wht).writeto(tmp_path / "img_f555w_wht.fits")
    mset = read_mosaics([p], pixel_scale=0.04)
    assert mset.weights.get("f555w") is not None
    spec = {"bands": ["f555w"], "stamp_size": 8, "normalisation": "none"}
    _, ok = make_inputs(mset, [20, 10], [20, 10], spec)
    assert ok.tolist() == [False, True]
    _, ok = make_inputs(mset, [20, 10], [20, 10], spec, weights=None)
    assert ok.tolist() == [True, True]


@pytest.mark.parametrize("dtype", ["<f4", ">f8", "<i2"])
def test_cut_boxes_is_the_kernels_cut_out(field, dtype):
    # the numpy cut-out (detection, labelling page) and the compiled stamps agree pixel for pixel
    images, x, y = field
    img = images[1].astype(dtype) if dtype[-2] == "f" else np.nan_to_num(images[1], posinf=0).astype(dtype)
    for size in (1, 8, 11):
        st, valid = extract_stamps([img], x, y, size, fill=np.nan)
        boxes, inside = cut_boxes(img, *centre_pixels(x, y), size, fill=np.nan)
        assert boxes.shape == (len(x), size, size)
        np.testing.assert_array_equal(inside & np.isfinite(boxes), valid)
        np.testing.assert_array_equal(np.where(valid, boxes, np.nan).astype(np.float32), st[:, 0])
    # all boxes on the image keep the image's type; an empty list gives empty boxes
    assert cut_boxes(img, [20], [20], 5)[0].dtype == img.dtype
    assert cut_boxes(img, [], [], 99)[0].shape == (0, 99, 99)
    assert cut_boxes(np.zeros((4, 4), bool), [0], [0], 3, fill=True)[0].dtype == bool
