"""An all-NaN cutout is said to have no data by calibrate, train and info, as by classify.

``classify --stamps`` learnt to say "band g has no data (all NaN) in 1 of N cutouts" for a
cutout whose file holds no data at all, but ``calibrate --stamps`` still said "1 of the 12
labelled calibration rows of labels.csv is a blank (constant) image (row 1)", ``train --stamps``
the same, and ``info`` listed it under "blank (constant) images". One function
(``learn.classify.blank_words``) words both faults for all four.
"""

from __future__ import annotations

import csv
import shutil
import warnings

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_folders import _make_csv_folder, _task  # tests/ is on sys.path under pytest

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root):
    """12 FITS cutouts of 24 px: CSV row 1 all NaN (off the chip), row 3 constant."""
    p = _make_csv_folder(root, n_objects=12, twice=0, fmt="fits")
    with open(p, newline="") as fh:
        files = [r["file"] for r in csv.DictReader(fh)]
    fits.writeto(p.parent / files[0], np.full((24, 24), np.nan, np.float32), overwrite=True)
    fits.writeto(p.parent / files[2], np.full((24, 24), 3.0, np.float32), overwrite=True)
    return p, files


def test_one_function_words_both():
    from starclass.learn.classify import blank_words

    assert [blank_words(False), blank_words(True), blank_words(False, 2), blank_words(True, 2)] == [
        "is blank (constant)", "has no data (all NaN)", "are blank (constant)", "have no data (all NaN)"]
    assert [blank_words(False, 1, image=True), blank_words(True, 3, image=True),
            blank_words(False, None, image=True), blank_words(True, None, image=True)] == [
        "is a blank (constant) image", "are images with no data (all NaN)", "blank (constant) images",
        "images with no data (all NaN)"]


def test_leave_out_blank_tells_the_two_apart():
    from starclass.learn.calibration import leave_out_blank
    from starclass.learn.config import get_preset

    cfg = get_preset("m31-real", stamp_size=4)
    x = np.random.default_rng(0).normal(size=(4, 1, 4, 4)).astype("f4")
    x[1] = 0.0
    x[3] = 0.0  # filled: as cutout_inputs fills an all-NaN band
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keep = leave_out_blank(x, cfg, np.ones(4, bool), "demo", no_data=np.array([[False]] * 3 + [[True]]))
    assert keep.tolist() == [True, False, True, False]
    assert [str(w.message) for w in caught] == [
        "1 of the 4 labelled calibration rows of demo is a blank (constant) image (row 2): left out, as classify "
        "leaves them unclassified",
        "1 of the 4 labelled calibration rows of demo is an image with no data (all NaN) (row 4): left out, as "
        "classify leaves them unclassified"]


def test_info_lists_them_apart(tmp_path):
    p, files = _folder(tmp_path / "data")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: "blank (constant) images: 2 (row 1 ..., row 3 ...)"
    assert f"images with no data (all NaN): 1 (row 1 {files[0]}): classify leaves them unclassified" in text, text
    assert f"blank (constant) images: 1 (row 3 {files[2]}): classify leaves them unclassified" in text, text


def test_train_and_calibrate_say_no_data(tmp_path):
    p, files = _folder(tmp_path / "data")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(model),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: "2 of the 12 labelled training rows of ... are blank (constant) images (rows 1, 3)"
    assert (f"1 of the 12 labelled training rows of {p} is an image with no data (all NaN): row 1 (line 2 of "
            f"the file), file {files[0]!r}; left out"
            in text), text
    assert (f"1 of the 12 labelled training rows of {p} is a blank (constant) image: row 3 (line 4 of the "
            f"file), file {files[2]!r}; left out" in text), text
    cal = tmp_path / "cal"
    shutil.copytree(model, cal)
    res = runner.invoke(app, ["calibrate", str(cal), "--stamps", str(p), "--overwrite", "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert (f"1 of the 12 labelled calibration rows of {p} is an image with no data (all NaN): row 1 (line 2 of "
            f"the file), file {files[0]!r}; left out"
            in text), text
    assert (f"1 of the 12 labelled calibration rows of {p} is a blank (constant) image: row 3 (line 4 of the "
            f"file), file {files[2]!r}; left out" in text), text
    assert "are blank (constant) images" not in text, text


def test_calibrate_histogram_counts_them_apart(tmp_path):
    """The check before the network runs counted an all-NaN cutout among the "blank (constant) images"."""
    from conftest import write_untrained_model
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    rng = np.random.default_rng(0)
    root = tmp_path / "cut"
    root.mkdir()
    lines = ["file,label"]
    for i in range(30):
        img = np.full((16, 16), np.nan) if i < 2 else np.zeros((16, 16)) if i < 5 else rng.normal(1.0, 0.1, (16, 16))
        np.save(root / f"c{i:03d}.npy", img.astype(np.float32))
        lines.append(f"c{i:03d}.npy,{('cluster', 'galaxy')[i % 2]}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(root / "labels.csv"), "--device", "cpu",
                              "--overwrite", "--method", "histogram", "--bins", "1"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    # the old code: "(of 30 labelled: 5 are blank (constant) images, left out)"
    assert ("25 calibration rows (of 30 labelled: 3 are blank (constant) images and 2 are images with no data "
            "(all NaN), left out)") in text, text


def _old_training(tmp_path, p, task, out, cv: int | None = None):
    """What train --stamps (or --cv) did before blank cutouts were left out: every row trained on."""
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import load_config
    from starclass.learn.crossval import cross_validate
    from starclass.learn.cutouts import group_validation
    from starclass.learn.train import fit
    from starclass.stamps.images import cutout_inputs

    cfg = load_config(task)
    cs = read_cutout_folder(p, group_column="object_id")
    labels = label_classes(cs, cfg.label_map)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tiny validation split's notes
        if cv:
            cross_validate(cfg, cutout_inputs(cs.images, cfg), labels, scheme=cv, outdir=out, groups=cs.groups,
                           progress=False, device="cpu", epochs=1)
        else:
            _, val = group_validation(labels, cs.groups, float(cfg.recipe.val_fraction), cfg.recipe.member_seed(0))
            fit(cfg, cutout_inputs(cs.images, cfg), labels, outdir=out, val_index=val, progress=False,
                device="cpu", epochs=1)


@pytest.mark.parametrize("cv", [None, 2])
def test_resume_refusal_counts_them_apart(tmp_path, cv):
    """train's refusal to resume a model trained on them counted the all-NaN cutout as blank (constant)."""
    p, _ = _folder(tmp_path / "data")
    task = _task(tmp_path)
    _old_training(tmp_path, p, task, tmp_path / "old", cv)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "old"),
                              "--no-progress", "--epochs", "1", *(["--cv", str(cv)] if cv else [])])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    # the old code: "the 2 blank (constant) cutout(s) of ..."
    assert f"the 1 blank (constant) cutout and the 1 cutout with no data (all NaN) of {p}" in text, text
    assert "leaves out as classify and calibrate do" in text and "blank (constant) cutout(s)" not in text, text


def test_leave_out_blank_refusal_words_both():
    """The refusal when every labelled row is left out names the faults in blank_words' words."""
    from starclass.errors import StarclassError
    from starclass.learn.calibration import leave_out_blank
    from starclass.learn.config import get_preset

    cfg = get_preset("m31-real", stamp_size=4)
    x = np.zeros((2, 1, 4, 4), np.float32)
    for no_data, said in (([[False], [True]], "every labelled row is blank (constant) or has no data (all NaN) in "
                                               "some band; nothing to use for calibration"),
                          ([[False], [False]], "every labelled row is blank (constant) in some band; nothing to use "
                                               "for calibration")):
        with pytest.raises(StarclassError, match=None) as exc:
            leave_out_blank(x, cfg, np.ones(2, bool), "demo", no_data=np.array(no_data))
        assert str(exc.value) == f"calibration data (demo): {said}", exc.value
