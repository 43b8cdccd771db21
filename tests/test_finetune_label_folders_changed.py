"""A fine-tune notices that the label folders its starting model was calibrated on changed since.

``calibrate M --stamps held/`` on a folder of label folders (no ``labels.csv``) recorded no stamp, so a cutout
moved from ``cluster/`` to ``galaxy/`` (its label changed) was re-scored under its new label at ``train
--resume-from M`` without a word, where an edited CSV drops the calibration with the reason. The folder's
listing (each image under its label folder) is now recorded and checked.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset
from test_finetune_stamps_list_changed import _inputs, _noise_folder  # tests/ is on sys.path under pytest


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 40 cutouts and calibrated with 'calibrate m0 --stamps held/' on 40 others in label folders."""
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("label_folders")
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})
    x0, y0 = _inputs(_noise_folder((tmp / "train").resolve(), 40, seed=1), cfg)
    held = _noise_folder((tmp / "held").resolve(), 40, seed=2).parent
    (held / "labels.csv").unlink()  # a folder of label folders: its labels are the folders' names
    fit(cfg, x0, y0, outdir=tmp / "m0", progress=False, device="cpu")
    res = CliRunner().invoke(app, ["calibrate", str(tmp / "m0"), "--stamps", str(held), "--overwrite",
                                   "--device", "cpu"])
    assert res.exit_code == 0, res.output
    x1, y1 = _inputs(_noise_folder((tmp / "new").resolve(), 10, seed=3), cfg)
    return tmp, cfg, held, np.concatenate([x0, x1]), np.concatenate([y0, y1])


def _fine_tune(calibrated, out):
    from starclass.learn.train import fit

    tmp, cfg, held, x, y = calibrated
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        return fit(cfg.copy(recipe={"epochs": 1}), x, y, outdir=out, init_from=tmp / "m0", progress=False,
                   device="cpu")


def test_an_unchanged_folder_is_rescored(calibrated, tmp_path):
    tmp, cfg, held, _, _ = calibrated
    rec = read_manifest(tmp / "m0")["calibration"]["rows_from"]
    assert rec["stamps_of_list"] is None and len(rec["listing"]) == 40 and "cluster/obj000.npy" in rec["listing"]
    tuned = _fine_tune(calibrated, tmp_path / "m1")
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(held)
    assert any("calibration rows, classified with the fine-tuned weights" in n for n in tuned.notes), tuned.notes


def test_a_cutout_moved_to_another_label_folder_drops_it_with_the_reason(calibrated, tmp_path):
    tmp, cfg, held, _, _ = calibrated
    shutil.move(held / "cluster" / "obj000.npy", held / "galaxy" / "obj000.npy")
    try:
        tuned = _fine_tune(calibrated, tmp_path / "m2")
    finally:
        shutil.move(held / "galaxy" / "obj000.npy", held / "cluster" / "obj000.npy")
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    why = (f"the listing of {held} changed since: 1 file gone (cluster/obj000.npy); 1 file new "
           "(galaxy/obj000.npy): its rows or labels are not those the starting model was calibrated on")
    assert why in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and why in said[0], tuned.notes
