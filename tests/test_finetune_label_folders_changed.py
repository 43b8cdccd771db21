"""A fine-tune notices that the label folders its starting model was calibrated on changed since.

``calibrate M --stamps held/`` on a folder of label folders (no ``labels.csv``) recorded no stamp, so a cutout
moved from ``cluster/`` to ``galaxy/`` (its label changed) was re-scored under its new label at ``train
--resume-from M`` without a word, where an edited CSV drops the calibration with the reason. The folder's
listing (each image under its label folder) is now recorded and checked.
"""

from __future__ import annotations

import shutil

import pytest

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 40 cutouts and calibrated with 'calibrate m0 --stamps held/' on 40 others in label folders."""
    return calibrated_model(tmp_path_factory.mktemp("label_folders"), 40, label_folders=True)


def test_an_unchanged_folder_is_rescored(calibrated, tmp_path):
    held = calibrated.held
    rec = read_manifest(calibrated.model)["calibration"]["rows_from"]
    assert rec["stamps_of_list"] is None and len(rec["listing"]) == 40 and "cluster/obj000.npy" in rec["listing"]
    tuned = fine_tune(calibrated, tmp_path / "m1")
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(held)
    refit = "calibration refitted on the calibration rows of the starting model "
    assert any(n.startswith(refit) for n in tuned.notes), tuned.notes


def test_a_cutout_moved_to_another_label_folder_drops_it_with_the_reason(calibrated, tmp_path):
    held = calibrated.held
    shutil.move(held / "cluster" / "obj000.npy", held / "galaxy" / "obj000.npy")
    try:
        tuned = fine_tune(calibrated, tmp_path / "m2")
    finally:
        shutil.move(held / "galaxy" / "obj000.npy", held / "cluster" / "obj000.npy")
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    why = (f"the listing of {held} changed since: 1 file gone (cluster/obj000.npy); 1 file new "
           "(galaxy/obj000.npy): its rows or labels are not those the starting model was calibrated on")
    assert why in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and why in said[0], tuned.notes
