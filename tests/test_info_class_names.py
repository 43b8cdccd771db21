"""``info`` names the task's classes in its counts, as ``evaluate`` does: "2 (galaxy): 20", not "2: 20".

Before: ``info`` of a classified catalogue counted ``class_ref`` and ``class_pred`` over the PHANGS
classes 1-4 by bare number whatever the task recorded in its meta (a three-class output showed
``4: 0``); ``info`` of a model gave the calibration rows "per class 1: 4, 2: 4, 3: 4", in its line and
in its few-rows WARNING ("fewer than 10 of classes 1, 2, 3"). Now each class is named through
:func:`starclass.evaluate.task.class_labels`, from the catalogue's meta or the model's task.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
NAMES = ["cluster", "galaxy", "star"]


def test_info_of_a_classified_catalogue_counts_the_task_classes_by_name(tmp_path):
    ref = np.array([1, 2, 3, 3, 2, 3])
    t = Table({"id": np.arange(1, 7), "x": np.arange(6.0), "y": np.arange(6.0), "class_ref": ref,
               "class_pred": [1, 2, 3, 2, 2, 0]},
              meta={"task": "t3", "classes": [1, 2, 3], "class_names": NAMES})
    t.write(tmp_path / "out.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "out.ecsv")])
    assert res.exit_code == 0, res.output
    assert "class_ref: 1 (cluster): 1  2 (galaxy): 2  3 (star): 3  (6 labelled, 0 without a label)" in res.output
    assert "class_pred: 1 (cluster): 1  2 (galaxy): 3  3 (star): 1  (5 classified, 1 without class)" in res.output
    assert "4: 0" not in res.output, res.output
    # a catalogue that records no task: the PHANGS classes by number, as before
    del t.meta["classes"]
    t.write(tmp_path / "plain.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "plain.ecsv")])
    assert "class_ref: 1: 1  2: 2  3: 3  4: 0  (6 labelled, 0 without a label)" in res.output, res.output


@pytest.mark.usefixtures("single_thread")
def test_info_of_a_model_names_the_calibration_rows_per_class(tmp_path):
    rng = np.random.default_rng(2)
    (tmp_path / "d").mkdir()
    rows = []
    for k in range(30):
        j = k % 3
        img = rng.normal(0, 1, (16, 16)).astype(np.float32)
        img[6:10, 6:10] += 2 * (j + 1)
        np.save(tmp_path / "d" / f"c{k}.npy", img)
        rows.append(f"c{k}.npy,{NAMES[j]}")
    (tmp_path / "d" / "labels.csv").write_text("file,label\n" + "\n".join(rows) + "\n")
    cfg = get_preset("m31-real", name="t3", stamp_size=16, classes=[1, 2, 3], class_names=NAMES,
                     label_map={n: k + 1 for k, n in enumerate(NAMES)}, merge={1: 1, 2: 2, 3: 3},
                     positive_class=None, threshold=None, group_column=None,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.3})
    task = save_config(cfg, tmp_path / "t3.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "d" / "labels.csv"),
                              "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["info", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    line = re.search(r"calibration: .* rows \(validation split; per class (.*)\)$", res.output, re.M)
    assert line, res.output
    assert re.fullmatch(r"1 \(cluster\): \d+, 2 \(galaxy\): \d+, 3 \(star\): \d+", line.group(1)), line.group(0)
    warning = [s for s in res.output.splitlines() if s.strip().startswith("WARNING: the temperature")]
    assert warning and re.search(r"per class 1 \(cluster\): \d+, 2 \(galaxy\): \d+, 3 \(star\): \d+\)",
                                 warning[0]), warning
    assert "of classes 1 (cluster), 2 (galaxy), 3 (star)" in warning[0], warning


@pytest.mark.parametrize("suffix", [".ecsv", ".fits"])
def test_info_of_a_classified_cutout_folder_in_ecsv_or_fits(tmp_path, suffix):
    # classify --stamps -o OUT.ecsv / OUT.fits: "required column 'id' missing" (exit 2) before
    from starclass.io.catalog import write_catalog

    t = Table({"file": [f"c{i}.png" for i in range(5)], "label": ["cluster", "galaxy", "star", "star", "galaxy"],
               "class_pred": [1, 2, 3, 2, 0], "prob_1": [0.8, 0.1, 0.1, 0.2, 0.4],
               "prob_2": [0.1, 0.8, 0.1, 0.5, 0.3], "prob_3": [0.1, 0.1, 0.8, 0.3, 0.3]},
              meta={"task": "t3", "classes": [1, 2, 3], "class_names": NAMES})
    p = write_catalog(t, tmp_path / f"out{suffix}")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "a classified cutout folder" in res.output and "rows: 5" in res.output, res.output
    assert "class_pred: 1 (cluster): 1  2 (galaxy): 2  3 (star): 1  (4 classified, 1 without class)" in res.output
