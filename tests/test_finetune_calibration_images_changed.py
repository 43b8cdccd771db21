"""A fine-tune notices that an image of its starting model's ``--stamps`` calibration changed since.

Only the list (or, for label folders, its listing) was stamped: an image overwritten with other pixels
(the same name, the same size) was re-scored on its new pixels at ``train --resume-from`` without a word.
The images are now stamped too (size, time, SHA-256), and the changed one is named.
"""

from __future__ import annotations

import os
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
    """m0 trained on 40 cutouts and calibrated with 'calibrate m0 --stamps held/labels.csv' on 40 others."""
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("images_changed")
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})
    x0, y0 = _inputs(_noise_folder((tmp / "train").resolve(), 40, seed=1), cfg)
    held = _noise_folder((tmp / "held").resolve(), 40, seed=2)
    fit(cfg, x0, y0, outdir=tmp / "m0", progress=False, device="cpu")
    res = CliRunner().invoke(app, ["calibrate", str(tmp / "m0"), "--stamps", str(held), "--overwrite",
                                   "--device", "cpu"])
    assert res.exit_code == 0, res.output
    x1, y1 = _inputs(_noise_folder((tmp / "new").resolve(), 10, seed=3), cfg)
    return tmp, cfg, held, np.concatenate([x0, x1]), np.concatenate([y0, y1])


def _fine_tune(calibrated, out, start):
    from starclass.learn.train import fit

    tmp, cfg, held, x, y = calibrated
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        return fit(cfg.copy(recipe={"epochs": 1}), x, y, outdir=out, init_from=start, progress=False, device="cpu")


def test_the_images_are_stamped_and_a_copied_folder_is_rescored(calibrated, tmp_path):
    """A copy of the model and its data (new times, the same bytes) is re-scored: the images are hashed, not refused."""
    tmp, cfg, held, _, _ = calibrated
    rec = read_manifest(tmp / "m0")["calibration"]["rows_from"]
    stamps = {name: (size, sha) for name, size, _, sha in rec["stamps_of_images"]}
    assert len(stamps) == 40 and stamps["cluster/obj000.npy"][0] == (held.parent / "cluster/obj000.npy").stat().st_size
    shutil.copytree(tmp / "m0", tmp_path / "copy" / "m0")
    shutil.copytree(held.parent, tmp_path / "copy" / "held")  # new times; the same place relative to m0
    os.rename(held.parent, tmp / "held_away")
    try:
        tuned = _fine_tune(calibrated, tmp_path / "m1", tmp_path / "copy" / "m0")
    finally:
        os.rename(tmp / "held_away", held.parent)
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(tmp_path / "copy" / "held" / "labels.csv")
    assert any("calibration rows, classified with the fine-tuned weights" in n for n in tuned.notes), tuned.notes


def test_an_image_overwritten_with_other_pixels_drops_it_naming_the_file(calibrated, tmp_path):
    tmp, cfg, held, _, _ = calibrated
    image = held.parent / "galaxy" / "obj003.npy"
    kept = image.read_bytes()
    try:
        arr = np.load(image)
        np.save(image, arr[::-1].copy())  # other pixels, the same size
        assert image.stat().st_size == len(kept)
        st = image.stat()
        os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        tuned = _fine_tune(calibrated, tmp_path / "m2", tmp / "m0")
    finally:
        image.write_bytes(kept)
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    why = (f"{image} changed since (same size, other bytes): its pixels are not those the starting model was "
           "calibrated on")
    assert why in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and why in said[0], tuned.notes
