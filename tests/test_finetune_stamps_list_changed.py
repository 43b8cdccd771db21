"""A fine-tune notices that the cutout list its starting model was calibrated on changed since.

``calibrate M --stamps held.csv``, then labels of ``held.csv`` edited, then ``train --resume-from M``
with too few fresh validation rows: the fine-tune re-read ``held.csv`` as it was now and refitted the
calibration on the edited labels without a word, where a changed catalogue or mosaic (stamped in
``rows_from``) drops the calibration with the reason. The list is now stamped too.
"""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset


def _noise_folder(root, n: int, seed: int):
    """``n`` 16 px noise cutouts, labels alternating cluster / galaxy, each cluster with a brighter centre."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        label = ("cluster", "galaxy")[k % 2]
        img = rng.normal(size=(16, 16)).astype(np.float32)
        img[6:10, 6:10] += 1.5 if label == "cluster" else 0.0
        (root / label).mkdir(parents=True, exist_ok=True)
        np.save(root / f"{label}/obj{k:03d}.npy", img)
        rows.append({"file": f"{label}/obj{k:03d}.npy", "label": label})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def _inputs(path, cfg):
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.stamps.images import cutout_inputs

    cut = read_cutout_folder(path, require_group=False, bands=list(cfg.bands), label_map=cfg.label_map)
    return cutout_inputs(cut.images, cfg), np.asarray(label_classes(cut, cfg.label_map, config=cfg))


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 60 cutouts and calibrated with 'calibrate m0 --stamps held/labels.csv' on 60 others."""
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("stamps_list")
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})
    x0, y0 = _inputs(_noise_folder((tmp / "train").resolve(), 60, seed=1), cfg)
    held = _noise_folder((tmp / "held").resolve(), 60, seed=2)
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


def test_the_list_is_stamped_and_an_unchanged_one_is_rescored(calibrated, tmp_path):
    tmp, cfg, held, _, _ = calibrated
    rec = read_manifest(tmp / "m0")["calibration"]["rows_from"]
    assert rec["stamps_of_list"]["size"] == held.stat().st_size and len(rec["stamps_of_list"]["sha256"]) == 64
    tuned = _fine_tune(calibrated, tmp_path / "m1")
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(held)
    assert any("calibration rows, classified with the fine-tuned weights" in n for n in tuned.notes), tuned.notes


def test_labels_edited_since_the_calibration_drop_it_with_the_reason(calibrated, tmp_path):
    tmp, cfg, held, _, _ = calibrated
    text = held.read_bytes().decode()
    try:
        # four labels flipped, two each way: the same size, only the labels and the time changed
        lines = text.splitlines(keepends=True)
        for i in (1, 2, 3, 4):
            lines[i] = (lines[i].replace(",cluster", ",GALAXY") if ",cluster" in lines[i]
                        else lines[i].replace(",galaxy", ",cluster")).replace(",GALAXY", ",galaxy")
        with open(held, "w", newline="") as fh:
            fh.write("".join(lines))
        assert held.stat().st_size == len(text.encode())  # only the labels changed, and the time
        st = held.stat()
        os.utime(held, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        tuned = _fine_tune(calibrated, tmp_path / "m2")
    finally:
        held.write_bytes(text.encode())
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    assert f"{held} changed since (same size, other bytes)" in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and f"{held} changed since" in said[0], tuned.notes
    assert "not those the starting model was calibrated on" in said[0]
    assert "starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite" in said[0]
