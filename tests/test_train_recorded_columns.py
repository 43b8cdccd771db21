"""``train --stamps out.csv`` keeps the objects' and files' columns ``out.csv`` records (issue 12, part 1).

``out.csv`` from ``classify --stamps --group-column id --file-column filename`` records both as columns.
``train --stamps out.csv`` without the options split by the task's column or row by row: two cutouts of one
object fell on both sides of the validation split (and of ``--cv``'s folds), "16 images in 16 groups" for
8 objects. Now it keeps them, with the note ``classify`` gives; an option given still wins.
"""

from __future__ import annotations

import csv

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture
def classified(tmp_path):
    """A filename,label,id list of 16 cutouts of 8 objects (two each, one label), classified into out.csv."""
    labels = write_noise_cutout_folder(tmp_path / "f", size=16, n=16)
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["filename", "label", "id"])
        w.writeheader()
        # rows k and k+2 are one object (labels alternate, so both cutouts carry the object's label)
        w.writerows({"filename": r["file"], "label": r["label"], "id": f"OBJ-{k // 4 * 2 + k % 2}"}
                    for k, r in enumerate(rows))
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    model = write_untrained_model(tmp_path / "model", cfg)
    out = tmp_path / "f" / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--group-column", "id", "--file-column", "filename",
                              "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return out, save_config(cfg, tmp_path / "task.yaml")


def test_train_on_a_classified_csv_splits_by_the_objects_it_records(classified, tmp_path):
    out, task = classified
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(out), "-o", str(tmp_path / "m"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    said = _said(res)
    assert (f"note: group_column 'id' and file_column 'filename' kept as {out} records them (give --group-column "
            "or --file-column to change)") in said, res.output
    assert "16 images of 16 px of 8 objects (id)" in said, res.output
    # the option given wins, and the other is still kept
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(out), "-o", str(tmp_path / "m2"),
                              "--group-column", "filename", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert f"note: file_column 'filename' kept as {out} records it (give --file-column to change)" in _said(res)
    assert "of 16 objects (filename)" in _said(res), res.output


def test_cv_folds_keep_each_recorded_object_whole(classified, tmp_path):
    out, task = classified
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(out), "--cv", "2",
                              "-o", str(tmp_path / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(tmp_path / "cv" / "cv_predictions.ecsv")
    ids = {r["filename"]: r["id"] for r in csv.DictReader(open(out))}
    # named as the list names its objects ('id'; 'group' until 2026-12-07), and recorded so
    assert t.meta["group_column"] == "id" and "group" not in t.colnames
    assert [str(g) for g in t["id"]] == [ids[str(f)] for f in t["file"]]
    folds = {}
    for group, fold in zip(t["id"], t["fold"]):
        folds.setdefault(str(group), set()).add(int(fold))
    assert len(folds) == 8 and all(len(f) == 1 for f in folds.values()), folds
