"""Cutouts of a drizzled image's edge (NaN or zero exposure beyond the footprint) are flagged and counted.

A FITS or NPY cutout cut at the edge of a drizzled HST image holds NaN (or 0 where its WHT map
is 0) beyond the footprint. ``classify --stamps`` filled those pixels with the normalised
background, as ``classify`` does on mosaics, but said nothing: the mosaic path writes each
classified row's share of filled input pixels as ``stamp_no_data`` and prints a count, the
cutout path wrote neither. Now both do, with the one column name of the schema and one count
(:func:`starclass.stamps.inputs.no_data_fraction`). A cutout without any data stays unclassified
(blank, as a blank stamp on a mosaic), its share NaN.

Also: an input that carries a ``stamp_no_data`` of an earlier classification kept it under its
name when the new one wrote none (it read as this classification's); it is renamed
``stamp_no_data_input`` as classify's other output columns are.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from conftest import one_band_model, point_source  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.classify import classify
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts

runner = CliRunner()
STAMP_NO_DATA = "stamp_no_data"  # the name, not the schema's constant: the old code had none to import
SIZE = 16


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A one-band model with random weights over 16 px stamps at one scale (the classes do not matter)."""
    return one_band_model(tmp_path_factory.mktemp("m") / "model", SIZE)


def _object(seed: int) -> np.ndarray:
    return point_source(seed, SIZE)


def _folder(root):
    """Five 16 px cutouts: NaN corners in FITS and NPY, a zero-exposure corner, a clean one, one without data."""
    root.mkdir()
    a = _object(0)
    a[:4, :4] = np.nan                               # 16 of 256 pixels beyond the footprint
    fits.writeto(root / "a.fits", a)
    b = _object(1)
    b[:, :4] = np.nan                                # 64 of 256
    np.save(root / "b.npy", b)
    c = _object(2)
    c[:8, :4] = 0.0                                  # drizzle's 0 with no weight: 32 of 256
    wht = np.ones_like(c)
    wht[:8, :4] = 0.0
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(c, name="SCI"), fits.ImageHDU(wht, name="WHT")]).writeto(
        root / "c.fits")
    np.save(root / "d.npy", _object(3))              # wholly on data
    fits.writeto(root / "e.fits", np.full((SIZE, SIZE), np.nan, "f4"))  # wholly off the footprint
    (root / "labels.csv").write_text("file,label\na.fits,1\nb.npy,2\nc.fits,3\nd.npy,1\ne.fits,2\n")
    return root / "labels.csv"


def test_classify_cutouts_writes_the_share_of_pixels_without_data(model, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the blank cutout's warning and the cutout-size note
        out = classify_cutouts(read_cutout_folder(_folder(tmp_path / "cut")), model, coverage=None)
    pred = np.asarray(out["class_pred"])
    assert (pred[:4] > 0).all() and pred[4] == 0  # the cutout without data is not classified
    share = np.asarray(out[STAMP_NO_DATA], dtype=float)  # the old code: no such column (KeyError)
    assert share[:4].tolist() == [16 / 256, 64 / 256, 32 / 256, 0.0]
    assert np.isnan(share[4])
    assert out.meta["n_stamp_no_data"] == 3


def test_classify_stamps_command_counts_them(model, tmp_path):
    labels = _folder(tmp_path / "cut")
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model),
                            "-o", str(tmp_path / "out.ecsv"), "--no-progress"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    # the old code printed nothing of it
    assert "3 of the 4 classified cutouts are partly without data" in text
    assert "up to 25% of the input pixels, filled with the background" in text
    back = Table.read(tmp_path / "out.ecsv")
    assert np.asarray(back[STAMP_NO_DATA], dtype=float)[:4].tolist() == [0.0625, 0.25, 0.125, 0.0]


def test_an_earlier_stamp_no_data_is_not_read_as_this_classification(tmp_path):
    cfg = get_preset("legus4-compact", bands=["f555w", "f814w"], stamp_size=SIZE, scales=[1.0])
    model = write_untrained_model(tmp_path / "model", cfg)
    rng = np.random.default_rng(0)
    images = {b: rng.normal(0, 1, (64, 64)).astype("f4") for b in cfg.bands}
    # an earlier classification near a NaN border; this one is wholly on data and writes no share
    cands = Table({"id": [1, 2], "x": [30.0, 40.0], "y": [30.0, 30.0], STAMP_NO_DATA: [0.3, 0.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = classify(images, cands, model, progress=False, device="cpu", coverage=None)
    # the old code kept the earlier 0.3 under the name, as if this model's stamp were 30% fill
    assert STAMP_NO_DATA not in out.colnames
    assert out[f"{STAMP_NO_DATA}_input"].tolist() == [0.3, 0.0]


@pytest.mark.parametrize("shape", [(3, 1, 32, 32), (3, 3, 32, 32), (3, 1, 8, 8)])
def test_the_share_is_that_of_the_pixels_the_inputs_fill(shape):
    """Resampled (32 or 8 px to 16), or a colour file averaged to grey: the share counts what cutout_inputs fills."""
    from starclass.stamps.images import cutout_no_data, cutout_no_data_fraction

    cfg = get_preset("cool-core-compact", stamp_size=SIZE, scales=[1.0])
    x = np.random.default_rng(0).normal(size=shape).astype("f4")
    x[0, :, :9, :5] = np.nan
    x[1, 0, 3:7, :] = np.nan  # one channel only: a colour file's grey still has data there
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nanmean of all-NaN channels
        mask = cutout_no_data(x, cfg)
    assert cutout_no_data_fraction(x, cfg).tolist() == mask.mean(axis=(1, 2)).tolist()
    assert cutout_no_data_fraction(x, cfg)[0] > 0 and cutout_no_data_fraction(x, cfg)[2] == 0


def test_the_two_no_data_lines_of_a_cutout_share_one_wording():
    """A cutout partly without data and one whose centre has none are said in the same words, from one source:
    no_data_line held its own copy of CENTRE_NO_DATA_WORDS' cause, free to drift from it."""
    from starclass.learn.classify import no_data_line
    from starclass.learn.cutouts import centre_no_data_note
    from starclass.stamps.images import CENTRE_NO_DATA_WORDS, NO_DATA_IN_FILE_WORDS

    t = Table({"class_pred": [1, 2], "stamp_no_data": [0.0, 0.1]}, meta={"n_stamp_no_data": 1})
    partly = no_data_line(t, "cutouts")
    centre = centre_no_data_note(np.array([True, False]), ["a.npy", "b.npy"])
    assert CENTRE_NO_DATA_WORDS.endswith(NO_DATA_IN_FILE_WORDS) and CENTRE_NO_DATA_WORDS in centre
    assert f"partly without data ({NO_DATA_IN_FILE_WORDS}; up to 10% of the input pixels" in partly
