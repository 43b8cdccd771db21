"""A fine-tune on a few new labels alone does not store a temperature fitted on its handful of validation rows.

``train --resume-from M`` on the few labels of one inspect round (none of them rows M trained on) has a
validation split of a few rows; until 2026-12-06 its temperature was fitted on them and stored with a
warning (19.997, the end of the search, from 4 rows, every probability flattened towards 1/K), although M
was calibrated on 300 held-out rows. Now such a split is judged as ``calibrate`` judges its rows
(``too_few_rows``), and so is a map at an end of its search: the fine-tune re-scores M's recorded
calibration rows with its own weights (rows it trained on left out), or stores no calibration and says
which ``starclass calibrate`` to run.
"""

from __future__ import annotations

import numpy as np
import pytest

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest
from starclass.errors import cli_words
from starclass.learn.checkpoint import read_manifest


def test_a_few_new_labels_re_score_the_starting_models_calibration_rows(tmp_path):
    from starclass.learn.calibration import calibration_probabilities
    from starclass.learn.checkpoint import load_model
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60, object_ids=True)
    was = read_manifest(made.model)["calibration"]
    assert was["n"] == 60
    n_new = 10
    tuned = fit(made.cfg.copy(recipe={"epochs": 2}), made.x[-n_new:], made.y[-n_new:], outdir=tmp_path / "m1",
                init_from=made.model, progress=False, device="cpu")
    assert tuned.n_val < 100  # the case: a handful of validation rows, none the start trained on
    cal = read_manifest(tmp_path / "m1")["calibration"]
    # old code: source 'validation split', n = tuned.n_val
    assert cal["source"] == str(made.held) and cal["n"] == 60
    from finetune_setup import folder_inputs

    xh, _ = folder_inputs(made.held, made.cfg)
    now = calibration_probabilities(load_model(tmp_path / "m1", check_calibration=False), xh, device="cpu")
    assert np.allclose(cal["probs"], now, atol=1e-6)  # scored with the fine-tuned weights
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1, tuned.notes
    assert f"the validation split holds only {tuned.n_val} rows" in said[0]


def test_a_few_new_labels_leave_no_calibration_where_the_start_cannot_be_re_scored(toy_trust_model, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import trust_columns
    from starclass.learn.train import fit

    root, cfg, _, _ = toy_trust_model
    # calibrated on its validation split: those rows cannot be read again
    assert read_manifest(root / "model")["calibration"]["source"].startswith("validation split")
    new = make_synthetic(cfg, 40, seed=31)
    tuned = fit(cfg, new.inputs, new.class_ref, outdir=tmp_path / "tuned", init_from=root / "model",
                progress=False, device="cpu", ensemble=1)
    assert 0 < tuned.n_val < 100
    doc = read_manifest(tmp_path / "tuned")
    assert "calibration" not in doc, doc.get("calibration", {}).get("n")  # old code: fitted on the few rows
    assert f"the validation split holds only {tuned.n_val} rows" in doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1, tuned.notes
    # the library names its function (a notebook's words); the command line says its own
    assert "calibrate_model(" in said[0] and "starclass calibrate MODEL" in cli_words(said[0])
    cols, meta = trust_columns(load_model(tmp_path / "tuned"), np.full((2, cfg.n_classes), 1 / cfg.n_classes))
    assert "pred_set" not in cols and meta["coverage"] is None


def test_a_temperature_at_the_end_of_its_search_is_not_stored_by_a_fine_tune(tmp_path, monkeypatch):
    # enough rows, but the map found no minimum: the start's calibration rows are re-scored instead
    import starclass.learn.calibration as calibration
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60, object_ids=True)
    monkeypatch.setattr(calibration, "CALIBRATION_MIN_ROWS", 1)
    monkeypatch.setitem(calibration.CALIBRATION_MIN_ROWS_PER_CLASS, "temperature", 1)
    real_fit = calibration.fit_with_and_without_tta

    def at_the_upper_end(probs, probs_tta, targets, classes, **kw):
        cal = real_fit(probs, probs_tta, targets, classes, **kw)
        if str(kw.get("source", "")).startswith("validation split"):
            cal.temperature = 19.997  # what 4 rows whose most probable class is wrong give
        return cal

    monkeypatch.setattr(calibration, "fit_with_and_without_tta", at_the_upper_end)
    tuned = fit(made.cfg.copy(recipe={"epochs": 1}), made.x[-10:], made.y[-10:], outdir=tmp_path / "m1",
                init_from=made.model, progress=False, device="cpu")
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(made.held) and cal["temperature"] != pytest.approx(19.997)
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1 and "is at the upper end of its search" in said[0], tuned.notes
