"""A fine-tune of a model calibrated before ``calibrate`` recorded its rows says plainly what it cannot do.

Models calibrated with ``starclass calibrate`` before 2026-12-06 have no ``rows_from`` in their
calibration entry. A fine-tune of one with too few fresh validation rows cannot re-score those rows with
its weights: it drops the stale calibration (no silent keep, no failure) and said "its rows cannot be read
again ... (only a calibration fitted with 'starclass calibrate' records how ...)", which read as if this one
had not been fitted so, and named no way to make the starting model's next fine-tunes re-score them.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import cli_words
from starclass.learn.checkpoint import read_manifest, save_calibration


@pytest.fixture(scope="module")
def old_model(tmp_path_factory):
    """m0 calibrated with 'calibrate --stamps', its entry saved again without rows_from (as one made before)."""
    made = calibrated_model(tmp_path_factory.mktemp("old_cal"), 60)
    cal = read_manifest(made.model)["calibration"]
    assert "rows_from" in cal
    entry = {k: v for k, v in cal.items() if k not in ("digest", "member_digests", "rows_from")}
    save_calibration(made.model, entry, cal["member_digests"], overwrite=True)  # a valid entry, as an old model's
    assert "rows_from" not in read_manifest(made.model)["calibration"]
    return made


def test_the_fine_tune_drops_it_and_says_why_and_what_to_run(old_model, tmp_path):
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import trust_columns

    cfg, held = old_model.cfg, old_model.held
    tuned = fine_tune(old_model, tmp_path / "m1")
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" not in doc  # the start's scores are not kept
    plain = (f"it was fitted with 'starclass calibrate' on {held} before calibrate recorded how to read its rows "
             "again (2026-12-06), so they cannot be re-scored with the fine-tuned weights")
    assert plain in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and plain in said[0], tuned.notes
    assert "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'" in cli_words(said[0])  # this fine-tune's
    assert f"calibrate the starting model '{old_model.model}' again on {held}" in said[0]  # and the start's
    # classify then writes raw probabilities and no pred_set, and says why
    cols, meta = trust_columns(load_model(tmp_path / "m1"), np.full((3, cfg.n_classes), 1 / cfg.n_classes))
    assert "pred_set" not in cols and plain in meta["calibration_note"]


def test_train_resume_from_it_on_the_command_line(old_model, tmp_path):
    res = CliRunner().invoke(app, ["train", "--stamps", str(old_model.train), "--stamps", str(old_model.new),
                                   "--resume-from", str(old_model.model), "-o", str(tmp_path / "m1"), "--no-progress",
                                   "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "cannot be re-scored with the fine-tuned weights" in res.output, res.output
    assert "Traceback" not in res.output


def test_a_hand_edited_entry_is_refused_by_its_digest(old_model, tmp_path):
    """An entry edited by hand (rows_from deleted, a source changed) breaks its digest: refused plainly (exit 2)."""
    shutil.copytree(old_model.model, tmp_path / "edited")
    doc = json.loads((tmp_path / "edited" / "manifest.json").read_text())
    doc["calibration"]["source"] = "hand-edited"
    (tmp_path / "edited" / "manifest.json").write_text(json.dumps(doc))
    res = CliRunner().invoke(app, ["train", "--stamps", str(old_model.train), "--resume-from", str(tmp_path / "edited"),
                                   "-o", str(tmp_path / "m1"), "--no-progress", "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "does not match its digest (edited or damaged)" in res.output and "starclass calibrate" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "m1").exists()
