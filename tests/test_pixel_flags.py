"""Bad-pixel masks and data-quality flags of FITS mosaics: --mask-extension and --dq-good-bits.

A mosaic file with a ``BPM`` (nonzero = bad) or an HST/JWST ``DQ`` extension: the pixels they flag
were used as sky and signal (the reader named mask extensions in one warning and passed ``DQ``
over in silence). Asked for, they are NaN before detection, background, photometry and stamps.
"""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.errors import StarclassError

SHAPE = (96, 96)  # ny, nx
BANDS_USED = ("f555w", "f814w")
# DQ bits set by hand, at (y, x): bit 4096 on 7 pixels, bit 4 on 5 (2 of them also 4096), bit 16 on 3
BIT_PIXELS = {
    4096: [(5, 5), (5, 6), (5, 7), (40, 40), (41, 40), (70, 10), (80, 90)],
    4: [(5, 5), (5, 6), (20, 30), (21, 30), (60, 60)],
    16: [(90, 1), (91, 1), (92, 1)],
}


def _wcs() -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [48.0, 48.0]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    return w


def _dq() -> np.ndarray:
    dq = np.zeros(SHAPE, np.uint16)
    for bit, pixels in BIT_PIXELS.items():
        for y, x in pixels:
            dq[y, x] |= bit
    return dq


def _pixels_with(*, any_of: set[int] | None = None, other_than: set[int] | None = None) -> set[tuple[int, int]]:
    """The hand count: pixels holding a bit of ``any_of``, or a bit not in ``other_than``."""
    bits_at: dict[tuple[int, int], set[int]] = {}
    for bit, pixels in BIT_PIXELS.items():
        for p in pixels:
            bits_at.setdefault(p, set()).add(bit)
    if any_of is not None:
        return {p for p, bits in bits_at.items() if bits & any_of}
    return {p for p, bits in bits_at.items() if bits - other_than}


def _write(folder, images: dict[str, np.ndarray], *, bpm: np.ndarray | None = None, dq: np.ndarray | None = None,
           bpm_name: str = "BPM"):
    """One drizzled-style file per band: SCI, then the BPM and DQ extensions asked for."""
    folder.mkdir(parents=True, exist_ok=True)
    w = _wcs()
    for band, img in images.items():
        h = w.to_header()
        h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = band.upper(), BANDS[band].photflam, BANDS[band].photplam
        h["EXPTIME"] = 2000.0
        hdus = [fits.PrimaryHDU(header=fits.Header({"FILTER": band.upper()})),
                fits.ImageHDU(np.asarray(img, np.float32), h, name="SCI")]
        if bpm is not None:
            hdus.append(fits.ImageHDU(bpm, w.to_header(), name=bpm_name))
        if dq is not None:
            hdus.append(fits.ImageHDU(dq, w.to_header(), name="DQ"))
        fits.HDUList(hdus).writeto(folder / f"g_{band}.fits")
    return folder


def _noise(seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {b: rng.normal(1.0, 0.1, SHAPE).astype(np.float32) for b in BANDS_USED}


def _is_memmapped(arr: np.ndarray) -> bool:
    base = arr
    while base is not None:
        if isinstance(base, (mmap.mmap, np.memmap)):
            return True
        base = getattr(base, "base", None)
    return False


# ----------------------------------------------------------------------------- the reader


def test_flagged_pixels_are_nan_and_counted(tmp_path):
    from starclass.io.mosaic import PixelFlags, read_mosaics

    images = _noise()
    bpm = np.zeros(SHAPE, np.int16)
    bpm[10:14, 20:23] = 1  # 12 pixels
    bpm[50, 50] = -3  # any nonzero value is bad
    folder = _write(tmp_path / "f", images, bpm=bpm)
    ms = read_mosaics(folder, pixel_flags=PixelFlags(mask_extension="bpm"))
    for b in BANDS_USED:
        assert np.isnan(ms.data[b][bpm != 0]).all()
        np.testing.assert_array_equal(ms.data[b][bpm == 0], images[b][bpm == 0])  # the rest untouched
        assert ms.flagged[b] == 13
        assert ms.mask(b)[bpm != 0].all() and not ms.mask(b)[bpm == 0].any()
    assert "f555w 13" in ms.flags_note() and "mask extension BPM" in ms.flags_note()


@pytest.mark.parametrize(("expr", "hand"), [
    ("~4096", lambda: _pixels_with(any_of={4096})),  # only bit 4096 is bad
    ("4+16", lambda: _pixels_with(other_than={4, 16})),  # bits 4 and 16 are harmless
    ("0", lambda: _pixels_with(other_than=set())),  # any flag is bad
    ("~(4,16)", lambda: _pixels_with(any_of={4, 16})),  # only bits 4 and 16 are bad
])
def test_dq_bit_selection_equals_a_hand_count(tmp_path, expr, hand):
    from starclass.io.mosaic import PixelFlags, read_mosaics

    folder = _write(tmp_path / "f", _noise(), dq=_dq())
    ms = read_mosaics(folder, pixel_flags=PixelFlags(dq_good_bits=expr))
    expected = hand()
    assert expected  # each case flags something
    for b in BANDS_USED:
        bad = {(int(y), int(x)) for y, x in zip(*np.nonzero(np.isnan(ms.data[b])))}
        assert bad == expected
        assert ms.flagged[b] == len(expected)


def test_without_flags_nothing_changes_bit_for_bit(tmp_path):
    """Files with BPM and DQ read without the options (or with flags that flag nothing): the stored image,
    still memory-mapped; the one-line note names both extensions as not applied."""
    from starclass.io.mosaic import PixelFlags, read_mosaics

    images = _noise(3)
    dq = _dq()
    dq[dq & 4096 != 0] &= ~np.uint16(4096)  # no pixel carries bit 4096
    folder = _write(tmp_path / "f", images, bpm=np.zeros(SHAPE, np.uint8), dq=dq)
    with pytest.warns(UserWarning, match=r"not applied \(BPM in g_f555w.fits, g_f814w.fits; DQ in "):
        plain = read_mosaics(folder)
    flagged_nothing = read_mosaics(folder, pixel_flags=PixelFlags(mask_extension="BPM", dq_good_bits="~4096"))
    for ms in (plain, flagged_nothing):
        for b in BANDS_USED:
            assert ms.data[b].dtype == np.dtype(">f4")  # as stored, not converted
            assert ms.data[b].tobytes() == images[b].astype(">f4").tobytes()
            assert _is_memmapped(ms.data[b])
    assert plain.flagged == {} and plain.flags_note() is None
    assert flagged_nothing.flagged == {"f555w": 0, "f814w": 0}


def test_the_image_s_own_extver_is_used_in_a_two_chip_file(tmp_path):
    from starclass.io.mosaic import PixelFlags, read_mosaics

    w = _wcs()
    h = w.to_header()
    h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = "F555W", BANDS["f555w"].photflam, BANDS["f555w"].photplam
    sci = _noise()["f555w"]
    dq2, dq1 = np.zeros(SHAPE, np.int32), np.zeros(SHAPE, np.int32)
    dq2[0, :] = 8  # the second chip's DQ, written first: not this image's
    dq1[1, :5] = 8
    hdus = [fits.PrimaryHDU(), fits.ImageHDU(sci, h, name="SCI", ver=1),
            fits.ImageHDU(dq2, name="DQ", ver=2), fits.ImageHDU(dq1, name="DQ", ver=1)]
    fits.HDUList(hdus).writeto(tmp_path / "x_f555w.fits")
    ms = read_mosaics(tmp_path / "x_f555w.fits", pixel_flags=PixelFlags(dq_good_bits="0"))
    assert ms.flagged["f555w"] == 5 and np.isnan(ms.data["f555w"][1, :5]).all()


def test_errors_name_the_file_the_extensions_and_the_shapes(tmp_path):
    from starclass.io.mosaic import PixelFlags, read_mosaics

    folder = _write(tmp_path / "f", _noise(), dq=_dq())
    with pytest.raises(StarclassError, match=r"--mask-extension: .*g_f555w.fits has no BPM extension; its HDUs: "
                                             r"HDU 0, HDU 1 \(SCI\), HDU 2 \(DQ\)"):
        read_mosaics(folder, pixel_flags=PixelFlags(mask_extension="BPM"))
    other = _write(tmp_path / "g", _noise(), bpm=np.zeros((SHAPE[0], SHAPE[1] - 6), np.int16))
    with pytest.raises(StarclassError, match=r"the BPM extension of .*g_f555w.fits is 90 x 96 px but its image "
                                             r"is 96 x 96 px"):
        read_mosaics(other, pixel_flags=PixelFlags(mask_extension="BPM"))
    with pytest.raises(StarclassError, match=r"--dq-good-bits '4\+\+2': not a bit-flag expression"):
        PixelFlags(dq_good_bits="4++2")
    every = _write(tmp_path / "h", _noise(), bpm=np.ones(SHAPE, np.int16))
    with pytest.raises(StarclassError, match=r"every pixel of .*g_f555w.fits is flagged by mask extension BPM"):
        read_mosaics(every, pixel_flags=PixelFlags(mask_extension="BPM"))


# ----------------------------------------------------------------------------- the commands


def _field_with_a_star(tmp_path, *, bpm: np.ndarray | None = None, dq: np.ndarray | None = None, name="f"):
    """Noise with two bright stars (at x, y = 30, 30 and 70, 60) in both bands."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[: SHAPE[0], : SHAPE[1]].astype(np.float32)
    stars = sum(5.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 0.85**2)) for x, y in ((30, 30), (70, 60)))
    images = {b: (0.02 + stars + rng.normal(0, 0.01, SHAPE)).astype(np.float32) for b in BANDS_USED}
    return _write(tmp_path / name, images, bpm=bpm, dq=dq)


def _detect(folder, out, *extra):
    from starclass.cli import app

    return CliRunner().invoke(app, ["detect", str(folder), "-o", str(out), "--no-progress",
                                    "--aperture-correction", "none", *extra])


def test_detect_leaves_out_a_star_under_masked_pixels_and_flags_one_partly_masked(tmp_path):
    bpm = np.zeros(SHAPE, np.int16)
    bpm[27:34, 27:34] = 1  # the star at (30, 30) wholly
    dq = np.zeros(SHAPE, np.uint16)
    dq[60, 72:75] = 4096  # part of the aperture of the star at (70, 60), not its centre
    dq[0:3, 0:3] = 4  # harmless with --dq-good-bits 4
    folder = _field_with_a_star(tmp_path, bpm=bpm, dq=dq)
    res = _detect(folder, tmp_path / "plain.ecsv")
    assert res.exit_code == 0, res.output
    plain = Table.read(tmp_path / "plain.ecsv")
    assert np.min(np.hypot(plain["x"] - 30, plain["y"] - 30)) < 1  # found without the mask
    res = _detect(folder, tmp_path / "masked.ecsv", "--mask-extension", "BPM", "--dq-good-bits", "4")
    assert res.exit_code == 0, res.output
    assert "pixels flagged by mask extension BPM (nonzero = bad), DQ with good bits '4'" in res.output
    assert "f555w 52 (" in res.output and "f814w 52 (" in res.output  # 49 + 3
    masked = Table.read(tmp_path / "masked.ecsv")
    assert masked.meta["pixel_flags"]["flagged_pixels"] == {"f555w": 52, "f814w": 52}
    assert "pixel_flags" not in plain.meta
    assert np.min(np.hypot(masked["x"] - 30, masked["y"] - 30)) > 5
    near = np.argmin(np.hypot(masked["x"] - 70, masked["y"] - 60))
    assert np.hypot(masked["x"][near] - 70, masked["y"][near] - 60) < 1
    assert masked["masked_frac"][near] > 0
    i_plain = np.argmin(np.hypot(plain["x"] - 70, plain["y"] - 60))
    assert plain["masked_frac"][i_plain] == 0


def test_detect_without_the_options_is_bit_for_bit_the_file_without_extensions(tmp_path):
    dq = np.zeros(SHAPE, np.uint16)
    dq[27:34, 27:34] = 4
    with_ext = _field_with_a_star(tmp_path, bpm=np.zeros(SHAPE, np.int16), dq=dq, name="ext")
    bare = _field_with_a_star(tmp_path, name="bare")
    for folder, out in ((with_ext, "a.ecsv"), (bare, "b.ecsv")):
        res = _detect(folder, tmp_path / out)
        assert res.exit_code == 0, res.output
    # options that flag nothing (bit 4 harmless, the BPM all zero) change nothing either
    res = _detect(with_ext, tmp_path / "c.ecsv", "--dq-good-bits", "4", "--mask-extension", "bpm")
    assert res.exit_code == 0, res.output
    assert "f555w 0 (0%)" in res.output
    a, b, c = (Table.read(tmp_path / n) for n in ("a.ecsv", "b.ecsv", "c.ecsv"))
    assert len(a) == len(b) > 0
    for col in a.colnames:
        if col not in ("ra", "dec"):
            np.testing.assert_array_equal(np.asarray(a[col]), np.asarray(b[col]), err_msg=col)
        np.testing.assert_array_equal(np.asarray(a[col]), np.asarray(c[col]), err_msg=col)


def test_detect_errors_exit_2_naming_the_file_and_write_nothing(tmp_path):
    folder = _field_with_a_star(tmp_path, dq=np.zeros(SHAPE, np.uint16))
    out = tmp_path / "c.ecsv"
    res = _detect(folder, out, "--mask-extension", "MASK")
    assert res.exit_code == 2
    assert "g_f555w.fits has no MASK extension; its HDUs: HDU 0, HDU 1 (SCI), HDU 2 (DQ)" in res.output
    assert "Traceback" not in res.output
    res = _detect(folder, out, "--dq-good-bits", "DO_NOT_USE")
    assert res.exit_code == 2 and "--dq-good-bits 'DO_NOT_USE': not a bit-flag expression" in res.output
    small = _field_with_a_star(tmp_path, bpm=np.zeros((10, 12), np.int16), name="small")
    res = _detect(small, out, "--mask-extension", "BPM")
    assert res.exit_code == 2 and "is 12 x 10 px but its image is 96 x 96 px (nx x ny)" in res.output
    assert not out.exists()


def test_cutouts_stamps_mark_flagged_pixels_invalid(tmp_path):
    from starclass.cli import app
    from starclass.stamps import StampStore

    bpm = np.zeros(SHAPE, np.int16)
    bpm[30, 30] = 1  # the centre of the first star: its stamp is not usable
    bpm[60, 66] = 1  # a pixel in the second star's stamp
    folder = _field_with_a_star(tmp_path, bpm=bpm)
    cat = tmp_path / "c.ecsv"
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0]}).write(cat)
    runs = {}
    for name, extra in (("plain", []), ("masked", ["--mask-extension", "BPM"])):
        out = tmp_path / f"{name}.h5"
        res = CliRunner().invoke(app, ["cutouts", str(folder), "-c", str(cat), "-o", str(out), "--size", "16",
                                       "--no-progress", *extra])
        assert res.exit_code == 0, res.output
        runs[name] = StampStore(out)
    assert runs["plain"].ok.all()
    assert list(runs["masked"].ok) == [False, True]
    _, valid = runs["masked"][1]
    _, valid_plain = runs["plain"][1]
    assert valid_plain.all()
    half = 16 // 2
    assert not valid[..., 60 - 60 + half, 66 - 70 + half].any()  # that pixel, in every channel
    assert valid.sum() == valid_plain.sum() - valid.shape[0]
    res = CliRunner().invoke(app, ["cutouts", str(tmp_path / "plain.h5"), str(tmp_path / "masked.h5"), "--merge",
                                   "-o", str(tmp_path / "m.h5"), "--dq-good-bits", "0"])
    assert res.exit_code == 2 and "--dq-good-bits applies when stamps are cut from mosaics" in res.output


def test_classify_refuses_a_bad_expression_and_the_options_with_stamps(tmp_path):
    from starclass.cli import app

    res = CliRunner().invoke(app, ["classify", str(tmp_path), "-c", str(tmp_path / "c.ecsv"), "--model",
                                   str(tmp_path / "model"), "-o", str(tmp_path / "o.ecsv"), "--dq-good-bits", "4.5"])
    assert res.exit_code == 2 and "--dq-good-bits '4.5': not a bit-flag expression" in res.output
    res = CliRunner().invoke(app, ["classify", "--stamps", str(tmp_path), "--model", str(tmp_path / "model"),
                                   "-o", str(tmp_path / "o.ecsv"), "--mask-extension", "BPM"])
    assert res.exit_code == 2 and "--mask-extension applies to the mosaics' FITS extensions" in res.output


def test_every_mosaic_reading_command_documents_both_options():
    from starclass.cli import app

    for cmd in ("detect", "cutouts", "classify", "survey", "train", "calibrate", "inspect", "suggest", "report"):
        res = CliRunner().invoke(app, [cmd, "--help"], env={"COLUMNS": "200"})
        assert res.exit_code == 0
        text = " ".join(res.output.split())
        assert "--mask-extension" in text and "--dq-good-bits" in text, cmd


def test_detect_quiet_leaves_out_the_flag_note_as_every_note(tmp_path):
    bpm = np.zeros(SHAPE, np.int16)
    bpm[0:2, 0:2] = 1
    folder = _field_with_a_star(tmp_path, bpm=bpm)
    loud = _detect(folder, tmp_path / "a.ecsv", "--mask-extension", "BPM")
    quiet = _detect(folder, tmp_path / "b.ecsv", "--mask-extension", "BPM", "--quiet")
    assert loud.exit_code == 0 and quiet.exit_code == 0, (loud.output, quiet.output)
    assert "note: pixels flagged by mask extension BPM" in loud.output and "f555w 4 (" in loud.output
    assert "pixels flagged" not in quiet.output and "wrote" in quiet.output
    np.testing.assert_array_equal(Table.read(tmp_path / "a.ecsv")["x"], Table.read(tmp_path / "b.ecsv")["x"])


def test_flags_applied_window_by_window_leave_the_images_mapped_and_mark_the_mask(tmp_path):
    """A survey's tiles apply the flags over their windows: the whole mosaic is not copied, and its mask()
    (whole or windowed) still holds the flagged pixels; a tile's window holds them as NaN."""
    from starclass.io.mosaic import PixelFlags, read_mosaics
    from starclass.survey.tiles import MosaicWindow

    images = _noise(5)
    folder = _write(tmp_path / "f", images, dq=_dq())
    flags = PixelFlags(dq_good_bits="~4096")
    ms = read_mosaics(folder, pixel_flags=flags, apply_flags=False)
    expected = np.zeros(SHAPE, bool)
    for y, x in _pixels_with(any_of={4096}):
        expected[y, x] = True
    win = (slice(0, 50), slice(0, 60))
    for b in BANDS_USED:
        assert _is_memmapped(ms.data[b]) and ms.data[b].tobytes() == images[b].astype(">f4").tobytes()
        np.testing.assert_array_equal(ms.mask(b, window=win), expected[win])
        np.testing.assert_array_equal(ms.mask(b), expected)
    tile = MosaicWindow(ms, (0, 60, 0, 50), flags=flags)
    for b in BANDS_USED:
        np.testing.assert_array_equal(np.isnan(tile.data[b]), expected[win])
        np.testing.assert_array_equal(tile.mask(b), expected[win])
    assert ms.flags_note() is None  # nothing counted here: the survey counts per field


def test_train_and_calibrate_apply_the_flags_to_the_mosaics_they_read(tmp_path):
    """train and calibrate cut stamps from mosaics as classify does: a model trained or calibrated on stamps
    with the flagged pixels in them, then used with --mask-extension, saw other inputs than it learnt on."""
    from starclass.cli import app
    from starclass.cli.train_cmd import _read_field_mosaics
    from starclass.io.mosaic import PixelFlags
    from starclass.learn.config import get_preset

    bpm = np.zeros(SHAPE, np.int16)
    bpm[40:43, 50:52] = 7
    folder = _field_with_a_star(tmp_path, bpm=bpm)
    cfg = get_preset("legus4").copy(bands=list(BANDS_USED))
    mos = _read_field_mosaics(cfg, [folder], flags=PixelFlags(mask_extension="BPM"))
    assert all(np.isnan(mos.data[b][bpm != 0]).all() and mos.flagged[b] == 6 for b in BANDS_USED)
    cat = tmp_path / "c.ecsv"
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0], "class_ref": [1, 2]}).write(cat)
    res = CliRunner().invoke(app, ["train", "--mosaics", str(folder), "--catalog", str(cat), "-o",
                                   str(tmp_path / "model"), "--mask-extension", "MASK", "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "g_f555w.fits has no MASK extension; its HDUs: HDU 0, HDU 1 (SCI), HDU 2 (BPM)" in res.output
    res = CliRunner().invoke(app, ["train", "--stamps", str(tmp_path / "s.h5"), "-o", str(tmp_path / "model"),
                                   "--dq-good-bits", "0"])
    assert res.exit_code == 2 and "--dq-good-bits applies to the mosaics' FITS extensions" in res.output
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path), str(folder), "-c", str(cat), "--dq-good-bits", "~"])
    assert res.exit_code == 2 and "--dq-good-bits '~': not a bit-flag expression" in res.output
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path), "--stamps", str(tmp_path), "--mask-extension", "BPM"])
    assert res.exit_code == 2 and "--mask-extension applies to the mosaics' FITS extensions" in res.output


def test_classify_leaves_a_candidate_on_flagged_pixels_unclassified(tmp_path):
    """classify cut its stamps from the mosaics as stored: a candidate whose pixel the BPM flags was classified
    from bad data. With --mask-extension its own pixel is NaN: class_pred 0, like a candidate on a NaN border."""
    from starclass.cli import app
    from starclass.learn.config import get_preset

    cfg = get_preset("m31-binary-compact")
    model = write_untrained_model(tmp_path / "model", cfg)
    rng = np.random.default_rng(2)
    bpm = np.zeros(SHAPE, np.int16)
    bpm[29:32, 29:32] = 1  # the first candidate's pixel
    folder = _write(tmp_path / "f", {b: rng.normal(1.0, 0.1, SHAPE).astype(np.float32) for b in cfg.bands}, bpm=bpm)
    cat = tmp_path / "c.ecsv"
    Table({"id": [1, 2], "x": [30.0, 60.0], "y": [30.0, 60.0]}).write(cat)
    out = {}
    for name, extra in (("plain", []), ("masked", ["--mask-extension", "BPM"])):
        res = CliRunner().invoke(app, ["classify", str(folder), "-c", str(cat), "--model", str(model), "-o",
                                       str(tmp_path / f"{name}.ecsv"), "--device", "cpu", "--no-progress", *extra])
        assert res.exit_code == 0, res.output
        out[name] = (Table.read(tmp_path / f"{name}.ecsv"), res.output)
    assert (np.asarray(out["plain"][0]["class_pred"]) > 0).all()
    assert list(out["masked"][0]["class_pred"] > 0) == [False, True]
    assert "note: pixels flagged by mask extension BPM" in out["masked"][1] and "g 9 (" in out["masked"][1]
    # suggest classifies on the mosaics too: the candidate on flagged pixels has no classification to rank
    res = CliRunner().invoke(app, ["suggest", str(model), str(cat), "--mosaics", str(folder), "-o",
                                   str(tmp_path / "s.ecsv"), "-n", "2", "--mag-bins", "1", "--device", "cpu",
                                   "--mask-extension", "BPM"])
    assert res.exit_code == 0, res.output
    assert "note: pixels flagged by mask extension BPM" in res.output
    assert list(Table.read(tmp_path / "s.ecsv")["id"]) == [2]
    res = CliRunner().invoke(app, ["suggest", str(model), str(cat), "-o", str(tmp_path / "t.ecsv"),
                                   "--dq-good-bits", "0"])
    assert res.exit_code == 2 and "--dq-good-bits applies to the mosaics the candidates are classified on" in res.output


def test_inspect_pictures_show_flagged_pixels_as_nan_in_a_cache_of_their_own(tmp_path):
    """inspect showed people the flagged pixels the model never saw (classify --mask-extension); the pictures
    now come from the flagged images, cached apart, and without flags the cache key is as before."""
    import hashlib
    import json
    from dataclasses import asdict

    from starclass.cli import app
    from starclass.inspect.field import load_field
    from starclass.io.mosaic import PixelFlags

    bpm = np.zeros(SHAPE, np.int16)
    bpm[29:32, 29:32] = 1
    folder = _field_with_a_star(tmp_path, bpm=bpm)
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0]}).write(folder / "candidates.ecsv")
    with pytest.warns(UserWarning, match=r"not applied \(BPM in "):
        plain = load_field(folder, cache_dir=tmp_path / "cache")
    flagged = load_field(folder, cache_dir=tmp_path / "cache", pixel_flags=PixelFlags(mask_extension="BPM"))
    for b in BANDS_USED:
        assert not np.isnan(plain.cache.data[b]).any()
        np.testing.assert_array_equal(np.isnan(flagged.cache.data[b]), bpm != 0)
    assert flagged.cache.dir != plain.cache.dir
    s = asdict(plain.cache.settings)
    del s["pixel_flags"]
    del s["value_label"]  # added later (cutouts' profile axis); at its default it leaves the key as before too
    del s["counts"]  # added later (bands of photon counts, drawn smoothed); empty, it leaves the key as before too
    old_key = hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:12]
    assert plain.cache.settings.key() == old_key
    res = CliRunner().invoke(app, ["inspect", str(folder), "--list-users", "--mask-extension", "BPM"])
    assert res.exit_code == 2 and "--mask-extension applies to the pictures served" in res.output


def test_report_gradcam_mosaics_take_the_flags(tmp_path, monkeypatch):
    """report --model --mosaics drew Grad-CAM on stamps cut from the mosaics as stored, not as classify cut
    them with --mask-extension; the flagged images now reach the report (build_report replaced here: the
    Grad-CAM itself needs a trained model and minutes)."""
    import starclass.report.build as build
    from starclass.cli import app

    bpm = np.zeros(SHAPE, np.int16)
    bpm[0:2, 0:3] = 1
    folder = _field_with_a_star(tmp_path, bpm=bpm)
    pred = tmp_path / "p.ecsv"
    Table({"id": [1], "x": [30.0], "y": [30.0], "class_pred": [1]}).write(pred)
    seen = {}

    def fake_build_report(pred_path, references, outdir, **kw):
        seen.update(kw)
        return outdir / kw["filename"]

    monkeypatch.setattr(build, "build_report", fake_build_report)
    (tmp_path / "m").mkdir()  # an input that is there: report names a missing one first
    res = CliRunner().invoke(app, ["report", str(pred), "--model", str(tmp_path / "m"), "--mosaics", str(folder),
                                   "-o", str(tmp_path / "r.html"), "--mask-extension", "BPM"])
    assert res.exit_code == 0, res.output
    assert "note: pixels flagged by mask extension BPM" in res.output
    assert all(np.isnan(seen["mosaics"].data[b][bpm != 0]).all() for b in BANDS_USED)
    res = CliRunner().invoke(app, ["report", str(pred), "-o", str(tmp_path / "s.html"), "--dq-good-bits", "0"])
    assert res.exit_code == 2 and "--dq-good-bits applies to --mosaics" in res.output
