"""--mask-extension with an EXTNAME starclass does not know as a mask (QUALITY, BADPIXMASK, ...).

The reader took the first 2-D HDU not named like a mask as the band's image: a mask called
``QUALITY`` ahead of ``SCI`` was read as the image (the science data ignored, with a warning
"holds 2 images"), and one after ``SCI`` was named as an image left out although it was applied.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table

SHAPE = (24, 32)  # ny, nx


def _write(folder, *, mask_first: bool) -> dict[str, np.ndarray]:
    """Two bands, each file holding SCI and a QUALITY mask (nonzero = bad), in the order asked for."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    quality = np.zeros(SHAPE, np.int16)
    quality[5:8, 10:14] = 1  # 12 pixels
    images = {}
    for band in ("f555w", "f814w"):
        img = rng.normal(1.0, 0.1, SHAPE).astype(np.float32)
        images[band] = img
        sci = fits.ImageHDU(img, fits.Header({"FILTER": band.upper()}), name="SCI")
        mask = fits.ImageHDU(quality, name="QUALITY")
        hdus = [fits.PrimaryHDU(), mask, sci] if mask_first else [fits.PrimaryHDU(), sci, mask]
        fits.HDUList(hdus).writeto(folder / f"g_{band}.fits")
    images["quality"] = quality
    return images


@pytest.mark.parametrize("mask_first", [True, False])
@pytest.mark.parametrize("apply_flags", [True, False])
def test_a_mask_of_any_name_is_never_read_as_the_image(tmp_path, mask_first, apply_flags):
    from starclass.io.mosaic import PixelFlags, read_mosaics

    images = _write(tmp_path / "f", mask_first=mask_first)
    bad = images["quality"] != 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ms = read_mosaics(tmp_path / "f", require_zeropoint=False, apply_flags=apply_flags,
                          pixel_flags=PixelFlags(mask_extension="quality"))
    messages = [str(w.message) for w in caught]
    # the applied mask is neither an image left out nor a mask "not applied"
    assert not [m for m in messages if "holds 2 images" in m or "not applied" in m], messages
    for band in ("f555w", "f814w"):
        data = np.asarray(ms.data[band])
        # the science image, not the mask
        np.testing.assert_array_equal(data[~bad], images[band][~bad])
        if apply_flags:
            assert np.isnan(data[bad]).all() and ms.flagged[band] == int(bad.sum())
        else:  # applied window by window (a survey): the mask says so
            np.testing.assert_array_equal(data[bad], images[band][bad])
        np.testing.assert_array_equal(np.asarray(ms.mask(band)), bad)


@pytest.mark.parametrize("expr", ["None", "INDEF", "-1", "~0"])
def test_a_dq_expression_that_makes_every_bit_harmless_is_refused(tmp_path, expr):
    """'--dq-good-bits None' (read as "no good bits") flagged nothing: astropy reads it as all bits harmless."""
    from typer.testing import CliRunner

    from starclass.cli import app

    folder = tmp_path / "f"
    folder.mkdir()
    dq = np.zeros(SHAPE, np.uint16)
    dq[3, 4] = 4
    for band in ("f555w", "f814w"):
        img = np.random.default_rng(0).normal(1.0, 0.1, SHAPE).astype(np.float32)
        fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, fits.Header({"FILTER": band.upper()}), name="SCI"),
                      fits.ImageHDU(dq, name="DQ")]).writeto(folder / f"g_{band}.fits")
    Table({"id": [1], "x": [10.0], "y": [12.0]}).write(tmp_path / "c.ecsv")
    res = CliRunner().invoke(app, ["cutouts", str(folder), "--catalog", str(tmp_path / "c.ecsv"),
                                   "-o", str(tmp_path / "s.h5"), "--dq-good-bits", expr])
    assert res.exit_code == 2, res.output
    assert f"--dq-good-bits {expr!r}" in res.output and "'0' for 'any flag is bad'" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "s.h5").exists()


def test_a_stack_of_mask_planes_is_refused_and_a_length_one_axis_is_read(tmp_path):
    """A BPM of 2 planes had its first plane applied without a word; one of shape (1, ny, nx) is one plane."""
    from starclass.errors import StarclassError
    from starclass.io.mosaic import PixelFlags, read_mosaics

    for planes in (2, 1):
        folder = tmp_path / f"p{planes}"
        folder.mkdir()
        bpm = np.zeros((planes, *SHAPE), np.uint8)
        bpm[0, 2, 3] = 1
        for band in ("f555w", "f814w"):
            img = np.ones(SHAPE, np.float32)
            fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, fits.Header({"FILTER": band.upper()}), name="SCI"),
                          fits.ImageHDU(bpm, name="BPM")]).writeto(folder / f"g_{band}.fits")
        flags = PixelFlags(mask_extension="BPM")
        if planes == 2:
            with pytest.raises(StarclassError, match=r"BPM extension of .*g_f555w.fits holds 32 x 24 x 2 values"):
                read_mosaics(folder, require_zeropoint=False, pixel_flags=flags)
        else:
            ms = read_mosaics(folder, require_zeropoint=False, pixel_flags=flags)
            assert ms.flagged == {"f555w": 1, "f814w": 1} and np.isnan(ms.data["f555w"][2, 3])


def test_a_stamp_store_cut_with_the_flags_records_them_as_detect_s_catalogue_does(tmp_path):
    """cutouts --mask-extension wrote a store that did not say so: stamps with and without looked alike."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.stamps.store import StampStore

    images = _write(tmp_path / "f", mask_first=False)
    Table({"id": [1, 2], "x": [5.0, 20.0], "y": [6.0, 12.0]}).write(tmp_path / "c.ecsv")
    for name, extra in (("plain", []), ("flagged", ["--mask-extension", "QUALITY"])):
        res = CliRunner().invoke(app, ["cutouts", str(tmp_path / "f"), "--catalog", str(tmp_path / "c.ecsv"),
                                       "-o", str(tmp_path / f"{name}.h5"), "--no-progress", *extra])
        assert res.exit_code == 0, res.output
    assert "pixel_flags" not in (StampStore(tmp_path / "plain.h5").meta.get("extra") or {})
    rec = StampStore(tmp_path / "flagged.h5").meta["extra"]["pixel_flags"]
    n = int((images["quality"] != 0).sum())
    assert rec == {"applied": "mask extension QUALITY (nonzero = bad)", "mask_extension": "QUALITY",
                   "dq_good_bits": None, "flagged_pixels": {"f555w": n, "f814w": n}}


def test_merged_stores_keep_each_store_s_own_flags(tmp_path):
    """The merged store's extra was the first store's: its pixel_flags stood for stores cut without flags."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.stamps.store import StampStore

    _write(tmp_path / "f", mask_first=False)
    Table({"id": [1, 2], "x": [5.0, 20.0], "y": [6.0, 12.0]}).write(tmp_path / "c.ecsv")
    for name, extra in (("flagged", ["--mask-extension", "QUALITY"]), ("plain", [])):
        res = CliRunner().invoke(app, ["cutouts", str(tmp_path / "f"), "--catalog", str(tmp_path / "c.ecsv"),
                                       "-o", str(tmp_path / f"{name}.h5"), "--no-progress", *extra])
        assert res.exit_code == 0, res.output
    res = CliRunner().invoke(app, ["cutouts", "--merge", str(tmp_path / "flagged.h5"), str(tmp_path / "plain.h5"),
                                   "-o", str(tmp_path / "all.h5")])
    assert res.exit_code == 0, res.output
    extra = StampStore(tmp_path / "all.h5").meta["extra"]
    assert "pixel_flags" not in extra
    first, second = extra["merged_from"]
    assert first["pixel_flags"]["applied"] == "mask extension QUALITY (nonzero = bad)"
    assert "pixel_flags" not in second


def test_the_image_s_own_name_as_mask_is_refused_naming_it(tmp_path):
    """--mask-extension SCI: the image is not the mask; the error says so, not 'no 2-D image found'."""
    from typer.testing import CliRunner

    from starclass.cli import app

    folder = tmp_path / "f"
    folder.mkdir()
    for band in ("f555w", "f814w"):  # SCI and a BPM (a known mask name, never an image)
        img = np.random.default_rng(1).normal(1.0, 0.1, SHAPE).astype(np.float32)
        fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img, fits.Header({"FILTER": band.upper()}), name="SCI"),
                      fits.ImageHDU(np.zeros(SHAPE, np.uint8), name="BPM")]).writeto(folder / f"g_{band}.fits")
    res = CliRunner().invoke(app, ["detect", str(folder), "-o", str(tmp_path / "c.ecsv"), "--quiet",
                                   "--mask-extension", "sci"])
    assert res.exit_code == 2, res.output
    assert "--mask-extension SCI: in " in res.output and "g_f555w.fits that is the image itself" in res.output
    assert "HDU 2 (BPM)" in res.output  # the HDUs listed, the mask among them
    assert "Traceback" not in res.output and not (tmp_path / "c.ecsv").exists()
