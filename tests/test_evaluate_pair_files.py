"""evaluate/report pair a classified cutout folder with labels that name the same files otherwise.

``classify --stamps`` writes each ``file`` as the folder lists it (relative to its folder, which
it records in ``cutout_root``). A labels table of the same cutouts written with absolute paths
(the docs' "a file column with absolute paths"), or kept in another folder with paths relative
to it, was refused: "prediction and labels have no file in common: nothing to evaluate", though
every file was the same. Files are now compared as written, else as the files the paths name.
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from sklearn.metrics import accuracy_score
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
M31_CLASS = {"cluster": 1, "extended_cluster": 1, "galaxy": 2}


def _classified(data, out, n: int = 24, seed: int = 3) -> Table:
    """A classify --stamps CSV of ``data``'s cutouts written into ``out`` (cutout_root recorded)."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(M31_CLASS), n, p=[0.45, 0.1, 0.45])
    y = np.array([M31_CLASS[s] for s in labels])
    p1 = np.clip(np.where(y == 1, 0.65, 0.35) + rng.normal(0, 0.25, n), 0.001, 0.999)
    t = Table({"file": [f"{lab}/o{i}.png" for i, lab in enumerate(labels)], "label": labels,
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1,
               "cutout_root": [str(data)] * n})
    out.mkdir(parents=True, exist_ok=True)
    t.write(out / "classified.csv")
    return t


def _evaluate(pred, ref, out):
    return runner.invoke(app, ["evaluate", str(pred), "-r", str(ref), "--label-column", "label", "--task",
                               "m31-real", "-o", str(out), "--bootstrap", "0"])


def _accuracy(out) -> float:
    summary = json.loads((out / "summary.json").read_text())
    (value,) = summary["headline"].values()
    return value["2class"]


def test_labels_with_absolute_paths_pair_with_the_classification(tmp_path):
    data = tmp_path / "my data"  # a space, as in a user's folder
    t = _classified(data, tmp_path / "results")
    ref = Table({"file": [str(data / f) for f in t["file"]], "label": t["label"]})
    ref = ref[::-1]  # another order: pairs by file, not row by row
    ref.write(tmp_path / "abs_labels.csv")
    res = _evaluate(tmp_path / "results" / "classified.csv", tmp_path / "abs_labels.csv", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    assert "24 objects paired by file" in res.output
    want = accuracy_score([M31_CLASS[s] for s in t["label"]], t["class_pred"])
    assert _accuracy(tmp_path / "ev") == round(want, 4)


def test_labels_in_another_folder_pair_through_their_relative_paths(tmp_path):
    data = tmp_path / "data"
    t = _classified(data, tmp_path / "results")
    (tmp_path / "refs").mkdir()
    # the labels of every other cutout, relative to the labels' own folder
    Table({"file": [f"../data/{f}" for f in t["file"][::2]], "label": t["label"][::2]}).write(
        tmp_path / "refs" / "labels.csv")
    res = _evaluate(tmp_path / "results" / "classified.csv", tmp_path / "refs" / "labels.csv", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    assert "12 objects paired by file" in res.output
    want = accuracy_score([M31_CLASS[s] for s in t["label"][::2]], t["class_pred"][::2])
    assert _accuracy(tmp_path / "ev") == round(want, 4)


def test_no_file_in_common_shows_a_file_of_each(tmp_path):
    # a pool copied flat (cutout_0.png) against the labels' cluster/cutout_0.png: other files, not paired
    t = _classified(tmp_path / "pool", tmp_path / "results")
    Table({"file": [f"elsewhere/{f}" for f in t["file"]], "label": t["label"]}).write(tmp_path / "labels.csv")
    res = _evaluate(tmp_path / "results" / "classified.csv", tmp_path / "labels.csv", tmp_path / "ev")
    assert res.exit_code == 2, res.output
    # the classified table named by its file's name (until 2026-12-07 'prediction')
    assert "have no file in common" in res.output and f"'{t['file'][0]}' in classified" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()


def test_a_list_with_some_absolute_paths_pairs_every_row(tmp_path):
    """Another team's list gave every fifth file with an absolute path and the rest relative; classify --stamps
    keeps each as listed. Against labels listed with absolute paths, the rows written alike paired as written
    and evaluate scored those 5 of 24 rows alone, saying "5 objects paired by file" and nothing of the other 19."""
    data = tmp_path / "team b"
    t = _classified(data, tmp_path / "results")
    t["file"] = [str(data / f) if i % 5 == 0 else f for i, f in enumerate(t["file"])]
    t.write(tmp_path / "results" / "classified.csv", overwrite=True)
    ref = Table({"file": [f if f.startswith("/") else str(data / f) for f in t["file"]], "label": t["label"]})[::-1]
    ref.write(tmp_path / "abs_labels.csv")
    res = _evaluate(tmp_path / "results" / "classified.csv", tmp_path / "abs_labels.csv", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    assert "24 objects paired by file" in res.output, res.output
    want = accuracy_score([M31_CLASS[s] for s in t["label"]], t["class_pred"])
    assert _accuracy(tmp_path / "ev") == round(want, 4)
