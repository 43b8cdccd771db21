"""``train --cv`` of a cutout list names each row's object as the list does, and its fold models by their folders.

Until 2026-12-07:

* ``cv_predictions.ecsv`` held each row's object in a column ``group``, where the list and the task call it
  ``object_id`` (or whatever ``--group-column`` names), and a list with no group column at all got a ``group``
  column repeating ``file``;
* the terminal said "16 images of 16 px in 16 groups" of a list that has no group column (each file its own
  object);
* a fold's calibration warning offered "'starclass calibrate MODEL ... --overwrite'" without saying that the
  MODEL is the fold's folder (``OUTDIR/fold_1``).
"""

from __future__ import annotations

import csv

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _cv(tmp_path, object_ids: bool):
    root = tmp_path / "data"
    labels = write_noise_cutout_folder(root, size=16, object_ids=object_ids)
    if object_ids:
        # two cutouts of each object (rows k and k+2 share an object and a label)
        rows = list(csv.DictReader(open(labels)))
        for k, r in enumerate(rows):
            r["object_id"] = f"OBJ-{k // 4 * 2 + k % 2}"
        with open(labels, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    out = tmp_path / "cv"
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(labels), "--cv", "2",
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return res, Table.read(out / "cv_predictions.ecsv"), labels, out


def test_the_object_column_keeps_the_lists_name(tmp_path):
    res, t, labels, _ = _cv(tmp_path, object_ids=True)
    assert "group" not in t.colnames, t.colnames
    assert t.meta["group_column"] == "object_id"
    objects = {r["file"]: r["object_id"] for r in csv.DictReader(open(labels))}
    assert [str(o) for o in t["object_id"]] == [objects[str(f)] for f in t["file"]]
    said = " ".join(res.output.split())
    assert "16 images of 16 px of 8 objects (object_id)" in said, said


def test_a_list_without_a_group_column_says_each_file_is_its_own_object_and_names_the_fold_models(tmp_path):
    res, t, _, _ = _cv(tmp_path, object_ids=False)  # (one run: training is the slow part)
    said = " ".join(res.output.split())
    assert "groups" not in said, said
    assert "16 images of 16 px each its own object (no group column)" in said, said
    # no column repeating 'file' under another name, and nothing for evaluate to resample objects by
    assert "group" not in t.colnames and "group_column" not in t.meta, (t.colnames, t.meta)
    # a fold's calibration warning names the fold's folder as the model to calibrate
    out = tmp_path / "cv"
    assert "calibrate MODEL" not in said, said
    assert f"starclass calibrate {out / 'fold_1'} ... --overwrite" in said, said
