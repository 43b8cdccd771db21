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


def test_too_few_fresh_validation_rows_keep_the_starting_models_calibration(start, tmp_path):
    from starclass.datasets.stamps import make_synthetic
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
    was = read_manifest(root / "model")["calibration"]
    cal = read_manifest(tmp_path / "tuned")["calibration"]
    # the starting model's temperature and conformal rows, not a fit on rows its weights learnt
    assert cal["temperature"] == was["temperature"]
    assert cal["probs"] == was["probs"] and cal["labels"] == was["labels"]
    assert str(root / "model") in cal["source"]
    said = [n for n in tuned.notes if "calibration kept from the starting model" in n]
    assert len(said) == 1, tuned.notes
    assert f"only {(~seen).sum()} of the {seen.size} validation rows" in said[0]
    assert "starclass calibrate MODEL --stamps HELD_OUT.csv" in said[0]


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
