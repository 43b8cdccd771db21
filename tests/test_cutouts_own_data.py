"""The cutout workflow on a user's own folders (issue 12): blank cutouts, messages, layouts, formats."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_folders import _make_csv_folder, _task, _write  # tests/ is on sys.path under pytest

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _blank_folder(root: Path, row: int = 5) -> Path:
    """The test folder (28 cutouts of 24 objects) with CSV row ``row`` (1-based) a constant image."""
    p = _make_csv_folder(root)
    rel = p.read_text().splitlines()[row].split(",")[0]
    _write(p.parent / rel, np.full((24, 24), 0.5), "png8")
    return p


def _train(task: Path, p: Path, model: Path, *extra: str):
    return runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(model), "--no-progress",
                               "--epochs", "1", *extra])


# ----------------------------------------------------------------------------- blank cutouts in train


def test_train_leaves_out_blank_cutouts_as_classify_and_calibrate_do(tmp_path):
    # train --stamps trained on blank (constant) cutouts, which classify leaves unclassified and
    # calibrate leaves out: the network learnt a class for a picture that holds no object
    p = _blank_folder(tmp_path / "data", row=5)
    res = _train(_task(tmp_path), p, tmp_path / "model")
    assert res.exit_code == 0, res.output
    blank = p.read_text().splitlines()[5].split(",")[0]
    said = " ".join(res.output.split())
    assert (f"1 of the 28 labelled training rows of {p} is a blank (constant) image: row 5 (line 6 of the file), "
            f"file {blank!r}; left out" in said), said
    import re

    m = re.search(r"(\d+) training, (\d+) validation cutouts", res.output)
    assert m and int(m.group(1)) + int(m.group(2)) == 27, res.output
    # the same words as calibrate's
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), "--stamps", str(p), "--overwrite",
                              "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert (f"1 of the 28 labelled calibration rows of {p} is a blank (constant) image: row 5 (line 6 of the file), "
            f"file {blank!r}; left out" in said), said


def test_train_cv_leaves_out_blank_cutouts(tmp_path):
    p = _blank_folder(tmp_path / "data", row=3)
    res = _train(_task(tmp_path), p, tmp_path / "cv", "--cv", "3")
    assert res.exit_code == 0, res.output
    assert "image: row 3 (line 4 of the file), file " in " ".join(res.output.split()), res.output
    pred = Table.read(tmp_path / "cv" / "cv_predictions.ecsv")
    blank_file = p.read_text().splitlines()[3].split(",")[0]
    assert len(pred) == 27 and blank_file not in set(np.asarray(pred["file"]).astype(str))
    # 'row' is still the folder's row (0-based) of each file, the blank one (row 3, index 2) missing
    files = [line.split(",")[0] for line in p.read_text().splitlines()[1:]]
    assert list(pred["row"]) == [i for i in range(28) if i != 2]
    assert [files[i] for i in pred["row"]] == list(pred["file"])


def test_a_model_trained_on_blank_cutouts_is_refused_on_resume_saying_why(tmp_path):
    # a model trained before train left blank cutouts out: the same command must not mix it with
    # a run on fewer rows, and must say why it refuses (not "other training data")
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import load_config
    from starclass.learn.cutouts import group_validation
    from starclass.learn.train import fit
    from starclass.stamps.images import cutout_inputs

    p = _blank_folder(tmp_path / "data", row=5)
    task = _task(tmp_path)
    cfg = load_config(task)
    cs = read_cutout_folder(p, group_column="object_id")
    labels = label_classes(cs, cfg.label_map)
    # what train --stamps did before: every row, the blank one included, grouped validation
    _, val = group_validation(labels, cs.groups, float(cfg.recipe.val_fraction), cfg.recipe.member_seed(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tiny validation split's notes
        fit(cfg, cutout_inputs(cs.images, cfg), labels, outdir=tmp_path / "old", val_index=val, progress=False,
            device="cpu", epochs=1)
    res = _train(task, p, tmp_path / "old")
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert f"the 1 blank (constant) cutout of {p}" in text and "leaves out" in text and "--overwrite" in text, text
    assert "other training data" not in res.output
    # --overwrite retrains without them; then the same command keeps the model
    assert _train(task, p, tmp_path / "old", "--overwrite").exit_code == 0
    res = _train(task, p, tmp_path / "old")
    assert res.exit_code == 0 and "kept" in res.output, res.output


def test_a_cv_run_started_on_blank_cutouts_is_refused_on_resume_saying_why(tmp_path):
    # train --cv resumed into a folder whose fold models were trained before blank cutouts were
    # left out: refused as "other training data (labels, positions or input stamps differ)"
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import load_config
    from starclass.learn.crossval import cross_validate
    from starclass.stamps.images import cutout_inputs

    p = _blank_folder(tmp_path / "data", row=3)
    task = _task(tmp_path)
    cfg = load_config(task)
    cs = read_cutout_folder(p, group_column="object_id")
    # what train --cv did before: every row, the blank one included
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tiny validation splits' notes
        cross_validate(cfg, cutout_inputs(cs.images, cfg), label_classes(cs, cfg.label_map), scheme=2,
                       outdir=tmp_path / "cv", groups=cs.groups, progress=False, device="cpu", epochs=1)
    res = _train(task, p, tmp_path / "cv", "--cv", "2")
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert f"the 1 blank (constant) cutout of {p}" in text and "leaves out" in text, text
    assert "--overwrite" in res.output and "other training data" not in res.output


def test_classify_stamps_says_once_which_cutouts_are_blank(tmp_path):
    # classify --stamps printed the blank cutouts twice: the warning naming the rows and a line
    # "N cutouts have a blank (constant) band ..." after it
    p = _blank_folder(tmp_path / "data", row=4)
    assert _train(_task(tmp_path), p, tmp_path / "model").exit_code == 0
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert res.output.count("blank (constant)") == 1, res.output
    assert "(row 4)" in res.output and "class_pred 0" in res.output and "blank_bands" in res.output


# ----------------------------------------------------------------------------- evaluate's trust lines


def test_trust_lines_say_what_conformal_figures_are_without_a_recorded_coverage():
    # evaluate of a classified CSV printed "conformal coverage (coverage asked for not recorded in
    # the catalogue's meta)", which read as an option the user had forgotten; and with no mistake
    # at all "mistake AUROC: " followed by nothing
    from starclass.evaluate.reliability import trust_study

    p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8]])
    y = np.array([0, 0, 1, 1])
    sets = np.array(["1", "1|2", "2", "2"])
    lines = trust_study(p, y, y, {"pred_set": sets}, [1, 2]).lines()
    text = "\n".join(lines)
    assert "asked for" not in text
    conformal = next(s for s in lines if "pred_set" in s)
    assert "coverage the sets were made for, classify's --coverage, is not known" in conformal
    assert "1 1.000, 2 1.000, all 1.000" in conformal
    # sizes in words: "set sizes 0: 0, 1: 3, 2: 1" read as classes 1 and 2
    assert "sets: 0 empty, 3 of 1 class, 1 of 2 classes" in conformal
    mistakes = next(s for s in lines if "mistake AUROC" in s)
    assert "not defined (0 mistakes in 4 rows" in mistakes
    # with the coverage known (ECSV meta) the line keeps its target; with mistakes, the AUROCs
    pred = np.array([0, 1, 1, 1])
    lines = trust_study(p, y, pred, {"pred_set": sets}, [1, 2], meta={"coverage": 0.9}).lines()
    assert any(s.startswith("  conformal coverage at 90%: 1 1.000") for s in lines), lines
    assert any(s.startswith("  mistake AUROC: 1 - confidence") for s in lines), lines


def test_evaluate_of_a_classified_csv_prints_no_riddle(tmp_path):
    p = _make_csv_folder(tmp_path / "data")
    assert _train(_task(tmp_path), p, tmp_path / "model").exit_code == 0
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "asked for not recorded" not in res.output
    # since 2026-12-07 a CSV records the coverage its sets were made for (a coverage column): the target is said
    assert "conformal coverage at 90%:" in res.output, res.output
    assert "mistake AUROC: \n" not in res.output + "\n"


# ----------------------------------------------------------------------------- the purity threshold as printed


def test_printed_purity_threshold_selects_what_it_was_chosen_on():
    # a perfect separation chose a threshold of about 3e-5 on prob_1_raw, printed "0.000": given
    # to classify --threshold, every object then passed (purity 0.51 instead of 0.818)
    from starclass.evaluate.threshold import threshold_for_purity

    rng = np.random.default_rng(3)
    y = np.r_[np.ones(18, bool), np.zeros(17, bool)]
    score = np.r_[rng.uniform(0.9, 1.0, 18), 10 ** rng.uniform(-9, -4, 17)]
    for target in (0.8, 0.9, 1.0):
        ch = threshold_for_purity(y, score, target)
        shown = float(ch["shown"])
        assert np.sum(score >= shown) == ch["n_selected"], (ch, target)
        assert len(ch["shown"].split(".")[1]) >= 3
    # a well separated one keeps three decimals, rounded down so the boundary object stays selected
    score = np.r_[np.linspace(0.5, 0.9, 18), np.linspace(0.1, 0.4, 17)]
    ch = threshold_for_purity(y, score, 1.0)
    assert ch["shown"] == "0.500" and np.sum(score >= float(ch["shown"])) == ch["n_selected"] == 18


# ----------------------------------------------------------------------------- suggest --labels across folders


def test_suggest_labels_of_the_training_folder_when_the_names_repeat(tmp_path):
    # a training folder and a new folder that name their cutouts alike (cluster/obj000_0.png):
    # suggest --labels TRAIN/labels.csv said every candidate was labelled already (exit 2)
    import shutil

    p = _make_csv_folder(tmp_path / "train data")
    shutil.copytree(tmp_path / "train data", tmp_path / "new data")
    assert _train(_task(tmp_path), p, tmp_path / "model").exit_code == 0
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "new data"), "--model", str(tmp_path / "model"),
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.csv")
    # relative to the output (a folder moved whole), and absolute beside it (a list moved alone)
    assert set(t["cutout_root"]) == {"new data"}
    assert set(t["cutout_root_abs"]) == {str((tmp_path / "new data").resolve())}
    res = runner.invoke(app, ["suggest", str(tmp_path / "model"), str(out), "-o", str(tmp_path / "next.csv"),
                              "-n", "5", "--labels", str(p)])
    assert res.exit_code == 0, res.output
    assert "0 of the 28 cutouts are labelled there" in res.output
    # the new folder's own labels do name them all
    res = runner.invoke(app, ["suggest", str(tmp_path / "model"), str(out), "-o", str(tmp_path / "next2.csv"),
                              "-n", "5", "--labels", str(tmp_path / "new data")])
    assert res.exit_code == 2 and "every one of the 28 cutouts already has a label" in res.output, res.output


# ----------------------------------------------------------------------------- reading a user's folder


def test_a_grey_and_a_colour_file_of_one_size_are_named_as_a_channel_mismatch_for_three_bands(tmp_path):
    # "all cutouts must have one size" for two 24 x 24 px files, one grey and one RGB; since 2026-12-05 such a
    # folder is read grey (tests/test_grey_among_colour.py) except by a task of three bands, which a grey file
    # cannot give
    from starclass.errors import StarclassError
    from starclass.io.cutout_folders import read_cutout_folder

    p = _make_csv_folder(tmp_path / "data")
    rel = p.read_text().splitlines()[2].split(",")[0]
    _write(p.parent / rel, np.full((24, 24), 0.3) + np.eye(24) * 0.5, "rgb")
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(p, bands=["z", "r", "g"])
    said = str(err.value)
    assert "row 2" in said and rel in said
    assert "one number of channels" in said and "1 channel (grey)" in said
    assert "3 channels (colour)" in said and "one size" not in said


def test_calibrate_after_train_says_why_it_needs_overwrite(tmp_path):
    # the first calibrate of a fresh model said "already has a calibration (fitted on validation
    # split)", as if calibrate had been run before: every trained model has one
    import json

    p = _make_csv_folder(tmp_path / "data")
    model = tmp_path / "model"
    assert _train(_task(tmp_path), p, model).exit_code == 0
    n_val = json.loads((model / "manifest.json").read_text())["calibration"]["n"]
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(p)])
    assert res.exit_code == 2, res.output
    assert f"has the calibration 'starclass train' fitted on its {n_val} validation rows" in res.output
    assert "--overwrite" in res.output and "already has" not in res.output
    res = runner.invoke(app, ["calibrate", "--help"], env={"COLUMNS": "200"})
    # the words as read, wherever the help's table breaks its lines
    assert "a first calibrate needs it too" in " ".join(res.output.replace("│", " ").split())


def test_colour_cutouts_for_a_one_band_task_are_said_to_be_averaged_to_grey(tmp_path):
    # RGB JPEGs were averaged to grey for the one-band task without a word on the command line
    p = _make_csv_folder(tmp_path / "data", fmt="rgb")
    res = _train(_task(tmp_path), p, tmp_path / "model")
    assert res.exit_code == 0, res.output
    # once per run, with the count of files; these RGB PNGs hold a grey picture in each plane, which is said
    # (since 2026-12-06; a colour file's warning is tests/test_averaged_planes.py's, tests/test_grey_saved_as_colour.py)
    note = re.compile(r"note: the \d+ cutout files with 3 planes hold the same picture in each plane \(grey saved as "
                      r"colour\): read as that grey plane, the one band \(g\) of task 'm31-real'")
    assert len(note.findall(res.output)) == 1, res.output
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 0 and len(note.findall(res.output)) == 1, res.output
    # grey cutouts get no such note
    q = _make_csv_folder(tmp_path / "grey")
    res = runner.invoke(app, ["classify", "--stamps", str(q), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "out2.csv"), "--no-progress"])
    assert res.exit_code == 0 and "3 planes" not in res.output, res.output


@pytest.mark.parametrize("suffix, mode", [(".tif", "I;16"), (".tiff", "F"), (".bmp", "L"), (".webp", "L")])
def test_tiff_bmp_and_webp_cutouts_are_read_and_not_left_out_of_an_imagefolder(tmp_path, suffix, mode):
    # an ImageFolder of TIFF cutouts read as "no images in sub-folders", and TIFFs among PNGs
    # were left out without a word (torchvision's ImageFolder reads them)
    from PIL import Image

    from starclass.io.cutout_folders import read_cutout_folder, read_image

    rng = np.random.default_rng(1)
    for k, lab in enumerate(["GC", "Galaxy", "GC", "Galaxy"]):
        a = rng.uniform(0, 1, (20, 20))
        (tmp_path / lab).mkdir(exist_ok=True)
        if mode == "I;16":
            img = Image.fromarray((a * 65535).astype(np.uint16))
        elif mode == "F":
            img = Image.fromarray(a.astype(np.float32), mode="F")
        else:
            img = Image.fromarray((a * 255).astype(np.uint8))
        img.save(tmp_path / lab / f"c{k}{suffix}", **({"lossless": True} if suffix == ".webp" else {}))
        got = read_image(tmp_path / lab / f"c{k}{suffix}")
        scale = {"I;16": 65535, "F": 1, "L": 255}[mode]
        want = np.round(a * scale) / scale if mode != "F" else a
        # WebP has no grey mode: a grey picture comes back as three equal channels
        assert got.shape == ((3, 20, 20) if suffix == ".webp" else (1, 20, 20)), suffix
        assert np.allclose(got.mean(axis=0), want, atol=1.5 / 255), suffix
    extra = np.zeros((20, 20, 3) if suffix == ".webp" else (20, 20), np.uint8)
    Image.fromarray(extra).save(tmp_path / "GC" / "extra.png")
    cs = read_cutout_folder(tmp_path)
    assert len(cs) == 5 and sorted(cs.labels.tolist()) == ["GC", "GC", "GC", "Galaxy", "Galaxy"]


def test_files_an_imagefolder_cannot_read_are_named_not_dropped_silently(tmp_path):
    # a .gif cutout (torchvision's ImageFolder reads it) was left out of the folder without a word
    from PIL import Image

    from starclass.io.cutout_folders import read_cutout_folder

    for lab in ("GC", "Galaxy"):
        (tmp_path / lab).mkdir()
        Image.fromarray(np.eye(12, dtype=np.uint8) * 200).save(tmp_path / lab / "a.png")
    Image.fromarray(np.eye(12, dtype=np.uint8) * 200).save(tmp_path / "GC" / "b.gif")
    (tmp_path / "README.txt").write_text("beside the label folders: not a cutout\n")
    with pytest.warns(UserWarning, match=r"1 file in the label folders is not an image .* \(GC/b.gif\)"):
        cs = read_cutout_folder(tmp_path)
    assert len(cs) == 2
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0 and "GC/b.gif" in res.output and "README" not in res.output, res.output


def test_several_classes_without_training_rows_are_named_in_one_plural_sentence(tmp_path):
    # "class 3 (star), 4 (artefact) has no training example": several classes read as one
    from starclass.learn.config import get_preset, save_config

    p = _make_csv_folder(tmp_path / "data")
    cfg = get_preset("m31-real", stamp_size=16, classes=[1, 2, 3, 4],
                     class_names=["cluster", "galaxy", "star", "artefact"],
                     label_map={"cluster": 1, "extended_cluster": 1, "galaxy": 2, "star": 3, "artefact": 4},
                     positive_class=None, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "four.yaml")
    res = _train(task, p, tmp_path / "model")
    assert res.exit_code == 2, res.output
    assert "classes 3 (star), 4 (artefact) have no training example" in res.output
    assert "of those classes or merge/drop them" in res.output and not (tmp_path / "model").exists()


def test_a_folder_of_ones_own_is_told_how_to_make_a_task(tmp_path):
    # without --task, train met legus4's five HST bands and advised five file_<band> columns; a
    # label of one's own (GC) was "not known to the task" with no word on how to map it
    p = _make_csv_folder(tmp_path / "data")
    res = runner.invoke(app, ["train", "--stamps", str(p), "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "the default --task: give --task m31-real, or a task file of your own" in res.output
    _make_csv_folder(tmp_path / "if")
    (tmp_path / "if" / "labels.csv").unlink()
    (tmp_path / "if" / "cluster").rename(tmp_path / "if" / "GC")
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(tmp_path / "if"), "-o",
                              str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2 and "label 'GC' is not known" in res.output, res.output
    assert "labels of your own need a task file that maps them to classes" in res.output
    assert "label_map" in res.output and not (tmp_path / "m").exists()
    res = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "300"})
    assert "'extends: m31-real'" in res.output and "label_map from your label strings" in res.output


# ----------------------------------------------------------------------------- runaway robust z-score


def _saturated_folder(root: Path, n_saturated: int) -> Path:
    """The test folder with its first ``n_saturated`` cutouts a saturated plateau over most of the field."""
    p = _make_csv_folder(root)
    rng = np.random.default_rng(5)
    for line in p.read_text().splitlines()[1:1 + n_saturated]:
        img = np.clip(0.3 + 0.02 * rng.standard_normal((24, 24)), 0, 1)
        img[2:22, 2:22] = 1.0            # the stretch saturates a bright object filling the cutout
        img[8:16, 8:16] = 254 / 255      # one grey level of structure on the plateau
        _write(p.parent / line.split(",")[0], img, "png8")
    return p


def test_train_warns_when_the_robust_zscore_runs_away_on_saturated_cutouts(tmp_path):
    # the PAndAS cutouts' central 56 px trained to AUC 0.47 with the robust zscore (the MAD of a
    # saturated plateau is a fraction of one grey level) without a word; zstd trained to 0.9
    from starclass.learn.config import get_preset, save_config

    p = _saturated_folder(tmp_path / "data", n_saturated=6)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        res = _train(_task(tmp_path), p, tmp_path / "model")
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert "6 of the 28 training cutouts of" in flat, res.output
    assert "(rows 1, 2, 3, 4, 5, ...)" in flat and "more than 100 sigma from their median" in flat
    assert "'normalisation: zstd' in the task file" in flat
    zstd = save_config(get_preset("m31-real", stamp_size=16, normalisation="zstd",
                                  recipe={"epochs": 2, "batch_size": 16, "val_fraction": 0.25}), tmp_path / "zstd.yaml")
    res = _train(zstd, p, tmp_path / "model_zstd")
    assert res.exit_code == 0, res.output
    assert "sigma from their median" not in res.output
    # ordinary cutouts stay quiet
    q = _make_csv_folder(tmp_path / "plain")
    res = _train(_task(tmp_path), q, tmp_path / "model_plain")
    assert res.exit_code == 0 and "sigma from their median" not in res.output, res.output


def test_train_cv_warns_as_train_does_when_the_robust_zscore_runs_away(tmp_path):
    # train --stamps --cv trained its folds on the same saturated cutouts without the warning a
    # single train --stamps gives (the check sat in fit_cutouts, which --cv does not call)
    p = _saturated_folder(tmp_path / "data", n_saturated=6)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        res = _train(_task(tmp_path), p, tmp_path / "cv", "--cv", "2")
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert "6 of the 28 training cutouts of" in flat, res.output
    assert "(rows 1, 2, 3, 4, 5, ...)" in flat and "'normalisation: zstd' in the task file" in flat
    # once for the run, not once per fold
    assert flat.count("sigma from their median") == 1, res.output


def test_classify_warns_when_the_robust_zscore_runs_away_on_saturated_cutouts(tmp_path):
    # classify --stamps with a zscore model gave classes of saturated cutouts z-scored to hundreds
    # of sigma without a word; train warned of the same cutouts
    p = _saturated_folder(tmp_path / "data", n_saturated=6)
    q = _make_csv_folder(tmp_path / "plain")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert _train(_task(tmp_path), q, tmp_path / "model").exit_code == 0
        res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o",
                                  str(tmp_path / "out.csv"), "--device", "cpu"])
        assert res.exit_code == 0, res.output
        flat = " ".join(res.output.split())
        assert "6 of the 28 classified cutouts of" in flat and "(rows 1, 2, 3, 4, 5, ...)" in flat, res.output
        assert "the network's classes for such inputs mean little" in flat
        assert "a model trained with 'normalisation: zstd'" in flat
        # ordinary cutouts stay quiet
        res = runner.invoke(app, ["classify", "--stamps", str(q), "--model", str(tmp_path / "model"), "-o",
                                  str(tmp_path / "plain.csv"), "--device", "cpu"])
        assert res.exit_code == 0 and "sigma from their median" not in res.output, res.output


def test_calibrate_warns_when_the_robust_zscore_runs_away_on_saturated_cutouts(tmp_path):
    # calibrate --stamps fitted its calibration to the probabilities of saturated cutouts z-scored to
    # hundreds of sigma without a word; train and classify --stamps warn of the same cutouts
    p = _saturated_folder(tmp_path / "data", n_saturated=6)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert _train(_task(tmp_path), _make_csv_folder(tmp_path / "plain"), tmp_path / "model").exit_code == 0
        res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), "--stamps", str(p), "--overwrite",
                                  "--allow-training-rows", "--device", "cpu"])  # the folders share cutouts
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert "6 of the 28 calibration cutouts of" in flat and "(rows 1, 2, 3, 4, 5, ...)" in flat, res.output
    assert "a model trained with 'normalisation: zstd'" in flat
