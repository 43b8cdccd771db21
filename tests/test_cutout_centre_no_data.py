"""A cutout whose own centre pixel has no data is left unclassified, as a mosaic candidate is.

``classify`` on mosaics leaves a candidate whose own pixel is NaN (or off the image) in any band
unclassified (class_pred 0, NaN probabilities, counted in a warning). ``classify --stamps`` gave
a 16 px NPY cutout with ``a[:, 6:] = NaN`` (its centre pixel (8, 8) among them) a class, with
``stamp_no_data`` 0.625: the network scored an object it never saw. Now such a cutout is not
classified, counted and named in a warning worded as the mosaic one.

Also: an all-NaN cutout was said to be "blank (constant) in the stamps of 1 of N candidates":
a cutout folder's rows are cutouts, and a cutout without data is not a constant one. The
warning now says "has no data (all NaN) in 1 of N cutouts"; a constant cutout stays "blank
(constant)", and the mosaic wording is unchanged.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from conftest import one_band_model, point_source  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.classify import blank_column
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts

runner = CliRunner()
SIZE = 16


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A one-band model with random weights over 16 px stamps at one scale (the classes do not matter)."""
    return one_band_model(tmp_path_factory.mktemp("m") / "model", SIZE)


def _object(seed: int) -> np.ndarray:
    return point_source(seed, SIZE)


def _folder(root):
    """Six 16 px cutouts: centre NaN (NPY and FITS), an edge NaN only, clean, all NaN, constant zero."""
    root.mkdir()
    a = _object(0)
    a[:, 6:] = np.nan                                  # the brief's cutout: centre (8, 8) NaN, 10 of 16 columns
    np.save(root / "a.npy", a)
    b = _object(1)
    b[8, 8] = np.nan                                   # the object's own pixel only
    fits.writeto(root / "b.fits", b)
    c = _object(2)
    c[:, :4] = np.nan                                  # an edge: the centre has data, classified
    np.save(root / "c.npy", c)
    np.save(root / "d.npy", _object(3))                # wholly on data
    np.save(root / "e.npy", np.full((SIZE, SIZE), np.nan, "f4"))  # no data at all
    np.save(root / "f.npy", np.zeros((SIZE, SIZE), "f4"))         # constant: data, but blank
    (root / "labels.csv").write_text("file,label\na.npy,1\nb.fits,2\nc.npy,3\nd.npy,1\ne.npy,2\nf.npy,3\n")
    return root / "labels.csv"


def test_a_cutout_without_data_at_its_centre_is_not_classified(model, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = classify_cutouts(read_cutout_folder(_folder(tmp_path / "cut")), model, coverage=None)
    said = [str(w.message) for w in caught]
    pred = np.asarray(out["class_pred"])
    # the old code classified rows 1 and 2 (class_pred > 0, stamp_no_data 0.625 for row 1)
    assert pred.tolist()[:2] == [0, 0], pred
    assert (pred[2:4] > 0).all() and pred[4] == 0 and pred[5] == 0
    for k in ("prob_1", "prob_2", "prob_3"):
        assert np.isnan(np.asarray(out[k], dtype=float)[:2]).all()
    # no share for an unclassified row; the edge cutout keeps its 4 of 16 columns
    share = np.asarray(out["stamp_no_data"], dtype=float)
    assert np.isnan(share[:2]).all() and share[2] == 0.25
    assert out.meta["n_unclassified"] == 4 and out.meta["n_blank"] == 2 and out.meta["n_stamp_no_data"] == 1
    # counted and named once, worded as classify's warning on mosaic candidates ("no usable stamp");
    # the blank ones are said by their own warning, not a second time here
    centre = [s for s in said if "no usable stamp" in s]
    assert centre == ["2 of 6 cutouts have no usable stamp (centre pixel without data: NaN or zero exposure in "
                      "the file): class_pred 0 (rows 1: a.npy, 2: b.fits)"], said


def test_classify_stamps_counts_them_in_its_lines(model, tmp_path):
    labels = _folder(tmp_path / "cut")
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model),
                            "-o", str(tmp_path / "out.ecsv"), "--no-progress"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "2 of 6 cutouts have no usable stamp (centre pixel without data" in text, text
    assert "class_pred counts: none: 4," in text, text
    assert "(4 unclassified left out)" in text, text


def test_an_all_nan_cutout_is_said_to_have_no_data(model, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        classify_cutouts(read_cutout_folder(_folder(tmp_path / "cut")), model, coverage=None)
    said = [str(w.message) for w in caught if "blank_bands" in str(w.message)]
    # the old code: "band xray is blank (constant) in the stamps of 2 of 6 candidates (row(s) 5, 6)"
    assert said == [
        "band xray is blank (constant) in 1 of 6 cutouts (row 6): they are not classified (class_pred 0) and "
        "flagged in column blank_bands",
        "band xray has no data (all NaN) in 1 of 6 cutouts (row 5): they are not classified (class_pred 0) and "
        "flagged in column blank_bands"], said


def test_the_mosaic_wording_is_kept():
    with pytest.warns(UserWarning) as caught:
        col = blank_column(np.array([[False, True], [False, False], [False, True]]), ["f438w", "f555w"])
    assert col.tolist() == ["f555w", "", "f555w"]
    assert [str(w.message) for w in caught] == [
        "band f555w is blank (constant) in the stamps of 2 of 3 candidates (rows 1, 3): they are not classified "
        "(class_pred 0) and flagged in column blank_bands"]


def test_a_colour_file_has_data_where_any_channel_has():
    """A colour file for a one-band task is averaged to grey ignoring NaN: a centre NaN in one channel is data."""
    from starclass.stamps.images import cutout_band_no_data, cutout_centre_no_data

    cfg = get_preset("cool-core-compact", stamp_size=SIZE, scales=[1.0])
    x = np.ones((3, 3, SIZE, SIZE), np.float32)
    x[0, 0, 8, 8] = np.nan
    x[1, :, 8, 8] = np.nan
    x[2] = np.nan
    assert cutout_centre_no_data(x, cfg).tolist() == [False, True, True]
    assert cutout_band_no_data(x, cfg).tolist() == [[False], [False], [True]]
    two = get_preset("legus4-compact", bands=["f555w", "f814w"], stamp_size=SIZE, scales=[1.0],
                     normalisation="asinh")
    y = np.ones((2, 2, SIZE, SIZE), np.float32)
    y[0, 1, 8, 8] = np.nan  # one band's centre: no usable stamp, as on mosaics ("in any band")
    y[1, 0] = np.nan
    assert cutout_centre_no_data(y, two).tolist() == [True, True]
    assert cutout_band_no_data(y, two).tolist() == [[False, False], [True, False]]


def test_calibrate_leaves_them_out_as_on_mosaics(model, tmp_path):
    """calibrate on mosaics leaves out a candidate without a usable stamp; on cutouts it fitted on them."""
    import shutil

    root = tmp_path / "cal"
    root.mkdir()
    lines = ["file,label"]
    for i in range(18):
        a = _object(10 + i)
        if i in (4, 11):
            a[6:10, 6:10] = np.nan  # the object's own pixels
        np.save(root / f"c{i:02d}.npy", a)
        lines.append(f"c{i:02d}.npy,{i % 3 + 1}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    m = tmp_path / "model"
    shutil.copytree(model, m)
    r = runner.invoke(app, ["calibrate", str(m), "--stamps", str(root / "labels.csv")])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    # the old code: "calibrated ... on 18 rows" and no word of the two
    assert ("2 labelled cutouts of " in text and "have no usable stamp (centre pixel without data: NaN or zero "
            "exposure in the file; rows 5, 12): left out, as classify leaves them unclassified" in text), text
    assert "on 16 rows of" in text, text
