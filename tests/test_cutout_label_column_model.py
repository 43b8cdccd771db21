"""``classify`` / ``explain`` / ``calibrate --stamps`` read the label column the model was trained on.

A galaxy-cluster folder holds a binary ``label`` (1 cluster, 2 non-cluster) beside five
``expert`` classes. A model trained with ``train --label-column expert`` was then classified
against ``label`` by default: its 1s and 2s read as two of the five classes, so the output's
``class_ref`` and the printed "accuracy against the labels" were of another scheme (0.200 where
``evaluate --label-column expert`` gave 0.300), and ``calibrate`` fitted on them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import model_label_column
from starclass.learn.checkpoint import load_model
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


def _folder(root: Path, n: int = 12, seed: int = 0) -> Path:
    """npy cutouts with a binary 'label' and a three-class 'expert' column (label = 1 for expert 1-2)."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True)
    rows = []
    for k in range(n):
        expert = k % 3 + 1
        img = rng.normal(0, 1, (24, 24)).astype(np.float32)
        img[10:14, 10:14] += 3 * expert  # something to learn
        np.save(root / f"c{k}.npy", img)
        rows.append(f"c{k}.npy,{1 if expert <= 2 else 2},{expert}")
    (root / "labels.csv").write_text("file,label,expert\n" + "\n".join(rows) + "\n")
    return root / "labels.csv"


@pytest.fixture(scope="module")
def expert_model(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("expert")
    csv = _folder(root / "data")
    cfg = get_preset("m31-real", stamp_size=16, classes=[1, 2, 3], class_names=["a", "b", "c"], label_map={},
                     positive_class=None, threshold=None, eval_merges={},
                     recipe={"epochs": 1, "batch_size": 12, "val_fraction": 0.25})
    task = save_config(cfg, root / "three.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(csv), "--label-column", "expert",
                              "-o", str(root / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    return root / "m", csv


@pytest.mark.usefixtures("single_thread")
def test_classify_scores_the_column_the_model_was_trained_on(expert_model, tmp_path):
    model, csv = expert_model
    assert load_model(model).training_label_column == "expert"
    out = tmp_path / "pred.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(csv), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "labels from column 'expert'" in res.output
    t = Table.read(out)
    assert np.array_equal(np.asarray(t["class_ref"]), np.asarray(t["expert"]))
    acc = float(np.mean(np.asarray(t["class_pred"]) == np.asarray(t["expert"])))
    printed = float(re.search(r"accuracy against the labels: ([0-9.]+)", res.output).group(1))
    assert printed == pytest.approx(acc, abs=5e-4)


@pytest.mark.usefixtures("single_thread")
def test_classify_label_column_given_still_wins(expert_model, tmp_path):
    model, csv = expert_model
    out = tmp_path / "pred.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(csv), "--model", str(model), "-o", str(out),
                              "--label-column", "label"])
    assert res.exit_code == 0, res.output
    assert np.array_equal(np.asarray(Table.read(out)["class_ref"]), np.asarray(Table.read(out)["label"]))


def test_a_folder_without_the_models_column_falls_back_to_label_with_a_warning(tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\na.npy,1\n")
    col, line = model_label_column(tmp_path, None, "expert", "model m")
    assert col == "label" and line.startswith("warning") and "'expert'" in line


@pytest.mark.usefixtures("single_thread")
def test_suggest_notes_the_candidates_own_labels_and_how_to_leave_them_out(expert_model, tmp_path):
    # a labelled folder's classification was ranked as if nobody had labelled it, without a word
    model, csv = expert_model
    out = tmp_path / "pred.csv"
    assert runner.invoke(app, ["classify", "--stamps", str(csv), "--model", str(model), "-o", str(out)]).exit_code == 0
    res = runner.invoke(app, ["suggest", str(model), str(out), "-n", "3", "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 0, res.output
    assert f"12 of the 12 cutouts have a class_ref of their own in {out}" in res.output
    assert f"--labels {csv}" in res.output  # the folder's labels.csv, which suggest matches as files
    again = runner.invoke(app, ["suggest", str(model), str(out), "-n", "3", "-o", str(tmp_path / "s2.ecsv"),
                                "--labels", str(csv)])
    assert again.exit_code == 2 and "every one of the 12 cutouts already has a label" in again.output


def test_a_model_trained_on_labels_of_the_same_classes_is_scored_against_label(tmp_path):
    # the volunteers' consensus (1/2, as the experts' label): the documented test is against the experts
    (tmp_path / "labels.csv").write_text("file,label,consensus\na.npy,1,2\nb.npy,2,2\nc.npy,1,1\n")
    col, line = model_label_column(tmp_path, None, "consensus", "model m")
    assert col == "label" and "--label-column consensus" in line


def test_fine_tuning_reads_the_column_the_model_was_trained_on(tmp_path):
    # train --stamps labels.csv --resume-from M (M trained with --label-column truth) read the folder's 'label'
    # (here the classes swapped) without a word, where classify, calibrate and explain read 'truth'
    import json

    rng = np.random.default_rng(0)
    rows = []
    for i in range(16):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        truth = ("cluster", "galaxy")[i % 2]
        rows.append(f"c{i}.npy,{('galaxy', 'cluster')[i % 2]},{truth}\n")
    (tmp_path / "labels.csv").write_text("file,label,truth\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    base = ["train", "--stamps", str(tmp_path / "labels.csv"), "--no-progress", "--device", "cpu"]
    r = CliRunner().invoke(app, [*base, "--task", str(tmp_path / "t.yaml"), "--label-column", "truth",
                                 "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, [*base, "--resume-from", str(tmp_path / "m"), "-o", str(tmp_path / "m2")])
    assert r.exit_code == 0, r.output
    assert "note: labels from column 'truth', the one" in r.output, r.output
    doc = json.loads((tmp_path / "m2" / "manifest.json").read_text())
    assert doc["training_cutouts"]["label_column"] == "truth", doc["training_cutouts"]
