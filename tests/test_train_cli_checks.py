"""train/classify refuse bad options, devices and label text with a message (exit 2), and
classify flags blank bands instead of giving them confident classes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.learn.classify import classify
from starclass.learn.config import get_preset, save_config
from starclass.learn.precision import pick_device

runner = CliRunner()


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """Five toy mosaics, a labelled catalogue, a task file and a model trained for one epoch."""
    root = tmp_path_factory.mktemp("field")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "batch_size": 32, "val_fraction": 0.2})
    images, table = make_synthetic_field(cfg, 48, seed=11)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(root / "mosaics" / f"toy_{band}.fits", img, band, None,
                     photflam=info.photflam, photplam=info.photplam)
        # the same field with a blank (all-zero) V band
        blank = np.zeros_like(img) if band == "f555w" else img
        write_mosaic(root / "blank_v" / f"toy_{band}.fits", blank, band, None,
                     photflam=info.photflam, photplam=info.photplam)
    write_catalog(table, root / "truth.ecsv")
    save_config(cfg, root / "task.yaml")
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics", "--catalog",
                     root / "truth.ecsv", "-o", root / "model", "--no-progress", "--device", "cpu", "--seed", "2"])
    assert res.exit_code == 0, out
    return root, table


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--patience", "-1", "--patience must be >= 0"),
    ("--epochs", "0", "--epochs must be >= 1"),
    ("--epochs", "-3", "--epochs must be >= 1"),
    ("--batch-size", "0", "--batch-size must be >= 1"),
    ("--ensemble", "0", "--ensemble must be >= 1"),
    ("--lr", "0", "--lr must be a positive number"),
    ("--lr", "-0.1", "--lr must be a positive number"),
    ("--lr", "nan", "--lr must be a positive number"),
    ("--val-fraction", "1", "--val-fraction must be in [0, 1)"),
    ("--val-fraction", "-0.2", "--val-fraction must be in [0, 1)"),
    ("--device", "tpu", "--device (device= in Python) 'tpu'"),
    # ignored without a word (the default split is random): a whole training without the galaxy held out
    ("--holdout", "ngc628", "--holdout ngc628 applies to --split galaxy"),
    # the task config named its own key only ("recipe.amp='fp8'", "stamp_size=0 is too small")
    # in classify's words (it said "--precision: recipe.amp='fp8': ...")
    ("--precision", "fp8", "--precision='fp8': use one of auto, fp32, bf16"),
    ("--split", "sideways", "--split: "),
    ("--stamp-size", "0", "--stamp-size: "),
    ("--input-size", "-3", "--input-size: "),
    ("--softening-mag", "bright", "--softening-mag: "),
])
def test_train_refuses_bad_options_before_any_work(tmp_path, option, value, says):
    # inputs that do not exist: the option must be refused before anything is read
    res, out = _run(["train", "--mosaics", tmp_path / "absent", "--catalog", tmp_path / "absent.ecsv",
                     "-o", tmp_path / "model", "--no-progress", option, value])
    assert res.exit_code == 2, out
    assert out.startswith("error: ") and says in out and "Traceback" not in out
    assert not (tmp_path / "model").exists()


def test_device_checks(monkeypatch, tmp_path):
    with pytest.raises(StarclassError, match=r"--device \(device= in Python\) 'tpu'"):
        pick_device("tpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    with pytest.raises(StarclassError, match="no CUDA GPU is available"):
        pick_device("cuda")
    import starclass.learn.checkpoint as checkpoint

    # tmp_path is no model: classify checks the manifest before --device since d673f1a7, so that check is faked
    monkeypatch.setattr(checkpoint, "member_paths", lambda *a, **k: [])
    # and the inputs are there (a missing one is named before torch loads), never read: the device is refused first
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    (tmp_path / "cands.ecsv").write_text("not read\n")
    res, out = _run(["classify", tmp_path / "field", "--catalog", tmp_path / "cands.ecsv", "--model", tmp_path,
                     "-o", tmp_path / "out.ecsv", "--device", "cuda:0"])
    assert res.exit_code == 2 and "error: --device (device= in Python) 'cuda:0': no CUDA GPU" in out, out
    assert pick_device("cpu").type == "cpu"


@pytest.mark.parametrize("column", ["class_ref", "x"])
def test_text_in_a_numeric_column_names_column_and_row(field, tmp_path, column):
    root, table = field
    t = table.copy()
    t[column] = t[column].astype(str)
    t[column][5] = "star?"
    write_catalog(t, tmp_path / "labels.csv")
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics", "--catalog",
                     tmp_path / "labels.csv", "-o", tmp_path / "model", "--no-progress", "--device", "cpu"])
    assert res.exit_code == 2, out
    assert f"column '{column}'" in out and "row 6 (id 6) is 'star?', not a number" in out


def test_text_in_another_label_column_names_column_and_row(field, tmp_path):
    root, table = field
    t = table.copy()
    t["human"] = t["class_ref"].astype(str)
    t["human"][2] = "cluster"
    write_catalog(t, tmp_path / "labels.ecsv")
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics", "--catalog",
                     tmp_path / "labels.ecsv", "--label-column", "human", "-o", tmp_path / "model",
                     "--no-progress", "--device", "cpu"])
    assert res.exit_code == 2, out
    assert "catalogue column 'human' row 3 is 'cluster', not a number" in out


def test_train_into_a_finished_model(field, tmp_path):
    root, _ = field
    args = ["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics", "--catalog", root / "truth.ecsv",
            "-o", root / "model", "--no-progress", "--device", "cpu", "--seed", "2"]
    manifest = (root / "model" / "manifest.json").read_bytes()
    res, out = _run([*args, "--lr", "0.05"])
    assert res.exit_code == 2 and "other settings (recipe.lr 0.001 there, 0.05 now)" in out, out
    res, out = _run([*args, "--batch-size", "8"])
    assert res.exit_code == 2 and "recipe.batch_size 32 there, 8 now" in out, out
    assert (root / "model" / "manifest.json").read_bytes() == manifest
    # the same command again: kept, and not reported as a training
    res, out = _run(args)
    assert res.exit_code == 0, out
    assert "already trained on these data with these settings" in out and "training counts" not in out


def test_classify_flags_a_blank_v_band(field, tmp_path):
    root, table = field
    mos = read_mosaics(root / "blank_v", require_zeropoint=True)
    with pytest.warns(UserWarning, match=rf"band f555w is blank \(constant\) in the stamps of {len(table)} of"):
        out = classify(mos, table, root / "model", device="cpu", progress=False)
    assert (np.asarray(out["class_pred"]) == 0).all()
    assert np.isnan(np.asarray(out["prob_1"])).all()
    assert set(out["blank_bands"]) == {"f555w"}
    assert out.meta["n_blank"] == len(table)
    # the intact mosaics: classified, no flag column
    good = classify(read_mosaics(root / "mosaics", require_zeropoint=True), table, root / "model",
                    device="cpu", progress=False)
    assert "blank_bands" not in good.colnames and (np.asarray(good["class_pred"]) > 0).all()
    res, text = _run(["classify", root / "blank_v", "--catalog", root / "truth.ecsv", "--model", root / "model",
                      "-o", tmp_path / "c.ecsv", "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, text
    assert "blank (constant) band" in text
    assert set(read_catalog(tmp_path / "c.ecsv")["blank_bands"]) == {"f555w"}


@pytest.mark.parametrize(("recipe", "says"), [
    ({"early_stopping_patience": -1}, "recipe.early_stopping_patience=-1 must be >= 0"),
    ({"lr": float("nan")}, "recipe.lr=nan must be a positive number"),
    ({"lr": float("inf")}, "recipe.lr=inf must be a positive number"),
])
def test_task_files_with_impossible_recipes_are_refused(recipe, says):
    with pytest.raises(StarclassError, match=re.escape(says)):
        get_preset("legus4-compact", recipe=recipe)


def test_classify_cutouts_flags_blank_images(tmp_path):
    rng = np.random.default_rng(4)
    yy, xx = np.mgrid[:16, :16] - 7.5
    rows = ["file,label,object_id"]
    for k in range(16):
        label = ("cluster", "galaxy")[k % 2]
        width = 1.5 if label == "cluster" else 4.0
        img = np.exp(-(xx**2 + yy**2) / (2 * width**2)) + rng.normal(0, 0.03, (16, 16))
        np.save(tmp_path / f"c{k:02d}.npy", img.astype(np.float32))
        rows.append(f"c{k:02d}.npy,{label},OBJ-{k}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    model = tmp_path / "model"
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8,
                                                                     "val_fraction": 0.25}), tmp_path / "task.yaml")
    res, out = _run(["train", "--task", task, "--stamps", tmp_path / "labels.csv", "-o", model, "--no-progress",
                     "--device", "cpu"])
    assert res.exit_code == 0, out
    np.save(tmp_path / "c03.npy", np.zeros((16, 16), np.float32))
    res, out = _run(["classify", "--stamps", tmp_path / "labels.csv", "--model", model, "-o", tmp_path / "c.ecsv",
                     "--no-progress", "--device", "cpu"])
    # said once, by the warning naming the row (a second line repeated it)
    assert res.exit_code == 0 and "band g is blank (constant) in 1 of 16 cutouts" in out, out
    assert out.count("blank (constant)") == 1, out
    t = Table.read(tmp_path / "c.ecsv")
    assert t["blank_bands"][3] == "g"
    assert np.flatnonzero(np.asarray(t["class_pred"]) == 0).tolist() == [3]
    # the warning names the row as the CSV reader does (row 1 = first data row), and the command
    # prints it once: a log.warning beside warnings.warn printed it twice (logging's last-resort
    # handler, which pytest's own log capture hides: hence a subprocess)
    assert "row 4)" in out, out
    # the printed accuracy is over the classified rows, as evaluate scores them (it counted row 4 wrong)
    done = np.asarray(t["class_pred"]) > 0
    acc = np.mean(np.asarray(t["class_pred"])[done] == np.asarray(t["class_ref"])[done])
    assert f"accuracy against the labels: {acc:.3f} (1 unclassified left out)" in out, out
    import os
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "starclass", "classify", "--stamps", str(tmp_path / "labels.csv"),
                           "--model", str(model), "-o", str(tmp_path / "c2.ecsv"), "--no-progress", "--device", "cpu"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout + proc.stderr).count("blank (constant)") == 1, proc.stderr


def test_train_catalogue_without_images_names_every_route(tmp_path):
    """train --catalog CAT without mosaics said 'give the mosaics (--mosaics) or a stamp store (--stamps)':
    not how to cut a stamp store from CAT (starclass cutouts ... --task), nor --fields, nor that
    --stamps takes a labelled cutout folder. It now names them, with the catalogue and the task."""
    cat = tmp_path / "cat.ecsv"
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [5.0, 9.0], "class_ref": [1, 2]}).write(cat)
    res = runner.invoke(app, ["train", "--task", "m31-real", "--catalog", str(cat), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    said = " ".join(res.output.split())
    assert f"--catalog {cat} holds the labels, not the images" in said
    assert "--mosaics" in said
    assert f"'starclass cutouts MOSAICS --catalog {cat} --task m31-real -o stamps.h5', then --stamps stamps.h5" in said
    assert "--fields LIST" in said and "labelled cutout folder" in said
    assert not (tmp_path / "m").exists()
