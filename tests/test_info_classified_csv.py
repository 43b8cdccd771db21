"""``info OUT.csv`` of ``classify --stamps -o OUT.csv`` counts its classes, as ``info OUT.ecsv`` does.

Before: the CSV was summarised only as a labelled cutout folder (labels, distinct values per
column), without its ``class_pred`` counts. A CSV keeps no meta: the classes are named from the
task of the model its ``model`` column names, and counted by number when that model is gone.
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import ENSEMBLE_FORMAT
from starclass.learn.config import get_preset

runner = CliRunner()


def _classified_csv(tmp_path, model: str):
    files = []
    for i in range(4):
        Image.fromarray((np.arange(64).reshape(8, 8) * (i + 1) % 256).astype(np.uint8)).save(tmp_path / f"c{i}.png")
        files.append(f"c{i}.png")
    t = Table({"file": files, "label": ["cluster", "galaxy", "galaxy", "cluster"], "class_pred": [1, 2, 2, 0],
               "prob_1": [0.9, 0.2, 0.1, 0.5], "prob_2": [0.1, 0.8, 0.9, 0.5], "class_ref": [1, 2, 2, 1],
               "model": [model] * 4})
    t.write(tmp_path / "out.csv", overwrite=True)
    return tmp_path / "out.csv"


def test_info_of_a_classified_cutout_csv_counts_its_classes_named_by_the_model_task(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    # the manifest alone: model_task reads the task config from it, no network is built
    (model / "manifest.json").write_text(json.dumps({
        "format": ENSEMBLE_FORMAT, "members": [{"file": "member_01.pt"}],
        "config": get_preset("m31-real").to_dict()}))
    out = _classified_csv(tmp_path, str(model))
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output
    assert "labels: cluster 2, galaxy 2" in res.output, res.output  # the cutout summary is kept
    assert "distinct values per column:" in res.output
    assert "class_pred: 1 (cluster): 1  2 (non-cluster): 2  (3 classified, 1 without class)" in res.output, res.output
    assert "class_ref: 1 (cluster): 2  2 (non-cluster): 2  (4 labelled, 0 without a label)" in res.output

    # the model gone (or moved): the classes by number, and why
    out = _classified_csv(tmp_path, str(tmp_path / "gone"))
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output
    assert "class_pred: 1: 1  2: 2  (3 classified, 1 without class)  (classes by number: model " in res.output
    assert "not found)" in res.output, res.output


def test_info_of_a_labels_csv_without_class_pred_adds_no_counts(tmp_path):
    out = _classified_csv(tmp_path, "m")
    t = Table.read(out)
    t.remove_columns(["class_pred", "model"])
    t.write(out, overwrite=True)
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output
    assert "class_pred" not in res.output and "classified (classify --stamps)" not in res.output, res.output


def test_info_gives_the_probability_columns_a_range_not_a_distinct_count(tmp_path):
    # before: "distinct values per column: ..., prob_1 4, prob_2 4, ...", a count that said only that no two
    # probabilities were equal; now each float column's range, and the counts for the others
    out = _classified_csv(tmp_path, "m")
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output
    distinct = next(ln for ln in res.output.splitlines() if ln.startswith("distinct values per column:"))
    assert "prob_" not in distinct and "class_pred 3" in distinct, distinct
    assert "range of each float column: prob_1 0.1 .. 0.9, prob_2 0.1 .. 0.9" in res.output, res.output
