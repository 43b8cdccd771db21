"""Bad-pixel mask FILES beside the mosaics: ``--mask-file TEMPLATE`` of detect, cutouts and classify.

HST and ground pipelines write a mask image beside each mosaic (``g_f555w.fits`` and
``g_f555w_bpm.fits``) rather than an extension in it: ``--mask-extension`` could not read it, and a
folder scan leaves ``*_bpm.fits`` out, so its flagged pixels were used as data. ``--mask-file
'{stem}_bpm.fits'`` pairs every band's mosaic with its own mask file; nonzero = bad, as a mask
extension.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.io.mosaic import PixelFlags, read_mosaics

SHAPE = (96, 96)
BANDS_USED = ("f555w", "f814w")


def _field(folder, masks: dict[str, np.ndarray] | None, *, template: str = "{stem}_bpm.fits"):
    """Noise with two bright stars (x, y = 30, 30 and 70, 60) per band, and each band's mask file."""
    folder.mkdir(parents=True)
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [48.0, 48.0]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[: SHAPE[0], : SHAPE[1]].astype(np.float32)
    stars = sum(5.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 0.85**2)) for x, y in ((30, 30), (70, 60)))
    for band in BANDS_USED:
        h = w.to_header()
        h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = band.upper(), BANDS[band].photflam, BANDS[band].photplam
        h["EXPTIME"] = 2000.0
        img = (0.02 + stars + rng.normal(0, 0.01, SHAPE)).astype(np.float32)
        fits.PrimaryHDU(img, h).writeto(folder / f"g_{band}.fits")
        if masks is not None and band in masks:
            path = folder / template.format(stem=f"g_{band}")
            path.parent.mkdir(parents=True, exist_ok=True)
            # as pipelines write them: an empty primary HDU, the mask in the first extension
            fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(masks[band], w.to_header(), name="MASK")]).writeto(path)
    return folder


def _masks() -> dict[str, np.ndarray]:
    """A different mask per band: 9 pixels on the first star in f555w, 4 elsewhere in f814w."""
    out = {b: np.zeros(SHAPE, np.uint8) for b in BANDS_USED}
    out["f555w"][29:32, 29:32] = 1
    out["f814w"][80:82, 10:12] = 255
    return out


def test_each_band_takes_its_own_mask_file_and_the_folder_scan_leaves_them_out(tmp_path):
    masks = _masks()
    folder = _field(tmp_path / "f", masks)
    ms = read_mosaics(folder, pixel_flags=PixelFlags(mask_file="{stem}_bpm.fits"))
    assert ms.bands == list(BANDS_USED)  # the *_bpm.fits files are not read as bands
    for b in BANDS_USED:
        np.testing.assert_array_equal(np.isnan(ms.data[b]), masks[b] != 0)
    assert ms.flagged == {"f555w": 9, "f814w": 4}
    plain = read_mosaics(folder)
    assert not any(np.isnan(plain.data[b]).any() for b in BANDS_USED)  # without the option: as stored
    assert "mask files {stem}_bpm.fits (nonzero = bad)" in ms.flags_note()


def test_a_sub_folder_template_and_one_mask_for_every_band(tmp_path):
    masks = _masks()
    folder = _field(tmp_path / "f", masks, template="masks/{stem}.fits")
    ms = read_mosaics(folder, pixel_flags=PixelFlags(mask_file="masks/{stem}.fits"))
    assert ms.flagged == {"f555w": 9, "f814w": 4}
    # no {stem}: one file (here f555w's) for all bands, relative to each mosaic's folder
    ms = read_mosaics(folder, pixel_flags=PixelFlags(mask_file="masks/g_f555w.fits"))
    assert ms.flagged == {"f555w": 9, "f814w": 9}


def test_a_missing_or_misshapen_mask_file_and_a_bad_template_are_named(tmp_path):
    folder = _field(tmp_path / "f", {"f555w": _masks()["f555w"]})
    with pytest.raises(StarclassError, match=r"--mask-file \{stem\}_bpm.fits: no mask file .*g_f814w_bpm.fits for "
                                             r".*g_f814w.fits"):
        read_mosaics(folder, pixel_flags=PixelFlags(mask_file="{stem}_bpm.fits"))
    fits.PrimaryHDU(np.zeros((10, 12), np.uint8)).writeto(folder / "g_f814w_bpm.fits")
    with pytest.raises(StarclassError, match=r"mask file .*g_f814w_bpm.fits is 12 x 10 px but .*g_f814w.fits is "
                                             r"96 x 96 px"):
        read_mosaics(folder, pixel_flags=PixelFlags(mask_file="{stem}_bpm.fits"))
    with pytest.raises(StarclassError, match=r"--mask-file '\{band\}_bpm.fits': not a file-name template"):
        PixelFlags(mask_file="{band}_bpm.fits")


def test_detect_cutouts_and_classify_take_the_mask_files(tmp_path):
    from starclass.cli import app
    from starclass.stamps import StampStore

    masks = _masks()
    folder = _field(tmp_path / "f", masks)
    res = CliRunner().invoke(app, ["detect", str(folder), "-o", str(tmp_path / "d.ecsv"), "--no-progress",
                                   "--aperture-correction", "none", "--mask-file", "{stem}_bpm.fits"])
    assert res.exit_code == 0, res.output
    assert "pixels flagged by mask files {stem}_bpm.fits (nonzero = bad)" in res.output
    found = Table.read(tmp_path / "d.ecsv")
    assert found.meta["pixel_flags"]["flagged_pixels"] == {"f555w": 9, "f814w": 4}
    assert np.min(np.hypot(found["x"] - 70, found["y"] - 60)) < 1
    cat = tmp_path / "c.ecsv"
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0]}).write(cat)
    res = CliRunner().invoke(app, ["cutouts", str(folder), "-c", str(cat), "-o", str(tmp_path / "s.h5"),
                                   "--size", "16", "--no-progress", "--mask-file", "{stem}_bpm.fits"])
    assert res.exit_code == 0, res.output
    store = StampStore(tmp_path / "s.h5")
    assert list(store.ok) == [False, True]  # the first star's own pixel is flagged in f555w
    assert store.meta["extra"]["pixel_flags"]["mask_file"] == "{stem}_bpm.fits"
    res = CliRunner().invoke(app, ["detect", str(folder), "-o", str(tmp_path / "e.ecsv"), "--mask-file", "x_{b}"])
    assert res.exit_code == 2 and "--mask-file 'x_{b}': not a file-name template" in res.output
    assert not (tmp_path / "e.ecsv").exists()
    res = CliRunner().invoke(app, ["classify", "--stamps", str(tmp_path), "--model", str(tmp_path / "m"),
                                   "-o", str(tmp_path / "o.ecsv"), "--mask-file", "{stem}_bpm.fits"])
    assert res.exit_code == 2 and "--mask-file applies to the mosaics' FITS extensions and mask files" in res.output
    res = CliRunner().invoke(app, ["classify", "--help"], env={"COLUMNS": "200"})
    assert "--mask-file" in res.output


def test_a_model_records_mask_files_and_classify_compares_them():
    """A model trained on a store cut with --mask-file: classify without it is warned, with it not."""
    from starclass.cli.train_cmd import stamp_flags_record
    from starclass.learn.provenance import flags_mismatch

    class Store:
        meta = {"extra": {"pixel_flags": {"applied": "mask files {stem}_bpm.fits (nonzero = bad)",
                                          "mask_extension": None, "dq_good_bits": None,
                                          "mask_file": "{stem}_bpm.fits", "flagged_pixels": {"f555w": 9}}}}

    doc = {"pixel_flags": stamp_flags_record(Store())}
    assert flags_mismatch(doc, PixelFlags(mask_file="{stem}_bpm.fits")) is None
    said = flags_mismatch(doc, None, model="m")
    assert said.startswith("model m was trained on stamps cut with --mask-file '{stem}_bpm.fits' (9 pixels flagged)")
    # a record written before mask files existed has none: compared as none
    old = {"pixel_flags": {"mask_extension": "BPM", "dq_good_bits": None, "flagged": False, "flagged_pixels": {}}}
    assert flags_mismatch(old, PixelFlags(mask_extension="BPM")) is None
    assert "applies --mask-extension BPM --mask-file 'x.fits'" in flags_mismatch(
        old, PixelFlags(mask_extension="BPM", mask_file="x.fits"))


def test_a_template_naming_the_mosaic_itself_is_refused(tmp_path):
    # '{stem}.fits' filled in is the mosaic: every nonzero pixel of the image was flagged bad (NaN),
    # and with a drizzled mosaic's zero padding around the footprint without a word
    folder = _field(tmp_path / "f", None)
    for f in folder.glob("g_*.fits"):
        with fits.open(f, mode="update") as hdul:
            hdul[0].data[:, :10] = 0.0
    with pytest.raises(StarclassError, match=r"--mask-file \{stem\}.fits: names the mosaic .*g_f555w.fits itself"):
        read_mosaics(folder, pixel_flags=PixelFlags(mask_file="{stem}.fits"))
