"""A fine-tune calibrates on validation rows its starting model did not train on, or keeps its calibration.

``train --resume-from M`` on the labels so far plus new ones (the active-learning loop) draws its
validation split from rows M was trained on too; its temperature, fitted on them, came out 0.36 on
the PAndAS cutouts (every probability pushed towards 0 or 1), with only a warning. Since 2026-12-06
``train`` fits the calibration (temperature and conformal rows) on the validation rows M did not
train on where there are enough of them (``too_few_rows``' floor: 100 rows, 10 of each class for a
temperature), else keeps M's calibration, and says which in its notes.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.learn.calibration import calibrate_model
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def start(toy_trust_model):
    return toy_trust_model  # conftest: a two-member four-class toy model, 100 rows, 40 of them its validation split


def _seen_by_start(result, n_start: int, val_index: np.ndarray) -> np.ndarray:
    """Which of a fine-tune's validation rows (of the starting rows first, then new ones) the start trained on."""
    trained = np.setdiff1d(np.arange(n_start), result.val_index)
    return np.isin(val_index, trained)


def test_too_few_fresh_validation_rows_leave_no_stale_calibration(start, tmp_path):
    # until 2026-12-06 the starting model's temperature and conformal rows were kept: scores of the
    # starting weights, which the fine-tune changed, so the sets no longer held the stated coverage
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import trust_columns
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1)
    seen = _seen_by_start(result, len(toy.inputs), tuned.val_index)
    assert 0 < seen.sum() and (~seen).sum() < 100  # the case: too few rows the start did not train on
    # the start was calibrated on its validation split: those rows cannot be read again to score them anew
    assert read_manifest(root / "model")["calibration"]["source"].startswith("validation split")
    doc = read_manifest(tmp_path / "tuned")
    assert "calibration" not in doc
    assert "scores of the starting weights" in doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1, tuned.notes
    assert f"only {(~seen).sum()} of the {seen.size} validation rows" in said[0]
    assert "starclass calibrate MODEL --stamps HELD_OUT.csv" in said[0]
    # classify then writes raw probabilities and no pred_set, and says why
    cols, meta = trust_columns(load_model(tmp_path / "tuned"), np.full((3, cfg.n_classes), 1 / cfg.n_classes))
    assert "pred_set" not in cols and meta["coverage"] is None
    assert "scores of the starting weights" in meta["calibration_note"]


def _noise_folder(root, n: int, seed: int):
    """``n`` 16 px noise cutouts, labels alternating cluster / galaxy, each with a faint bright centre."""
    import csv

    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        label = ("cluster", "galaxy")[k % 2]
        img = rng.normal(size=(16, 16)).astype(np.float32)
        img[6:10, 6:10] += 1.5 if label == "cluster" else 0.0  # something the network can learn
        (root / label).mkdir(parents=True, exist_ok=True)
        np.save(root / f"{label}/obj{k:03d}.npy", img)
        rows.append({"file": f"{label}/obj{k:03d}.npy", "label": label, "object_id": f"S{seed}-{k}"})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def _folder_inputs(path, cfg):
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.stamps.images import cutout_inputs

    cut = read_cutout_folder(path, require_group=False, bands=list(cfg.bands), label_map=cfg.label_map)
    return cutout_inputs(cut.images, cfg), np.asarray(label_classes(cut, cfg.label_map, config=cfg))


def test_too_few_fresh_rows_rescore_the_starting_models_calibrate_stamps_rows(tmp_path):
    # a start calibrated with 'calibrate --stamps': the fine-tune classifies those rows with its own
    # weights and fits its calibration and conformal rows on them (old code: the start's scores kept)
    import torch
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.calibration import calibration_probabilities
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})
    x0, y0 = _folder_inputs(_noise_folder((tmp_path / "train").resolve(), 60, seed=1), cfg)
    held = _noise_folder((tmp_path / "held").resolve(), 60, seed=2)
    fit(cfg, x0, y0, outdir=tmp_path / "m0", progress=False, device="cpu")
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path / "m0"), "--stamps", str(held), "--overwrite",
                                   "--device", "cpu"])
    assert res.exit_code == 0, res.output
    was = read_manifest(tmp_path / "m0")["calibration"]
    assert was["rows_from"]["stamps"] == str(held)
    x1, y1 = _folder_inputs(_noise_folder((tmp_path / "new").resolve(), 10, seed=3), cfg)
    xh, yh = _folder_inputs(held, cfg)
    tuned_cfg = cfg.copy(recipe={"epochs": 3})
    # the new labels include 12 of the calibration cutouts: those the fine-tune trains on are left out
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        tuned = fit(tuned_cfg, np.concatenate([x0, x1, xh[:12]]), np.concatenate([y0, y1, yh[:12]]),
                    outdir=tmp_path / "m1", init_from=tmp_path / "m0", progress=False, device="cpu")
    from starclass.learn.provenance import overlap, recorded_digests, row_digests

    trained = overlap(row_digests(xh), recorded_digests(read_manifest(tmp_path / "m1")))
    assert 0 < trained.sum() <= 12 and not trained[12:].any()
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(held) and was["n"] == 60 and cal["n"] == 60 - trained.sum()
    # the rows scored with the fine-tuned weights, not the starting ones
    now = calibration_probabilities(load_model(tmp_path / "m1", check_calibration=False), xh[~trained], device="cpu")
    assert np.allclose(cal["probs"], now, atol=1e-6)
    assert not np.allclose(cal["probs"], np.asarray(was["probs"])[~trained], atol=1e-3)
    said = [n for n in tuned.notes if "calibration rows, classified with the fine-tuned weights" in n]
    assert len(said) == 1, tuned.notes
    assert f"{trained.sum()} rows this fine-tune trained on left out" in said[0]


def test_enough_fresh_validation_rows_fit_the_temperature_on_them_alone(start, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 300, seed=13)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1)
    seen = _seen_by_start(result, len(toy.inputs), tuned.val_index)
    fresh_rows = tuned.val_index[~seen]
    assert seen.sum() > 0 and fresh_rows.size >= 100
    cal = read_manifest(tmp_path / "tuned")["calibration"]
    assert cal["n"] == fresh_rows.size
    assert any(f"calibration fitted on the {fresh_rows.size} of the {seen.size} validation rows" in n
               for n in tuned.notes), tuned.notes
    # the same temperature as calibrate fits on those rows by itself (it refuses rows either model trained on)
    refit = calibrate_model(tmp_path / "tuned", inputs[fresh_rows], labels[fresh_rows], source="fresh",
                            overwrite=True, device="cpu")
    assert cal["temperature"] == pytest.approx(refit.temperature, rel=1e-6)
