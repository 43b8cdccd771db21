"""The survey marks the field its model was trained on: its accuracy is no held-out score.

Before: docs/survey.md said such a field "is scored all the same", and the survey's line for it read
"accuracy (2class) 0.912" like any other field's, which a user took as held-out. Now ``train`` records the
fields it learnt from in the model's manifest (``training_fields``: mosaic files and catalogue), the survey's
evaluation of a field says ``trained_on`` (true, false, or null where the model records none), and its line
says "the model was trained on this field"; a model without the record gets a note that it cannot be told.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from starclass.learn.checkpoint import read_manifest, set_training_fields, trained_fields, write_manifest
from starclass.learn.config import get_preset
from starclass.survey.plan import FieldSpec
from starclass.survey.run import FieldInfo, summary_lines, trained_on


def _summary(trained: bool | None) -> dict:
    ev = {"n_truth": 40, "n_catalogue": 40, "n_matched": 40, "completeness": 1.0, "matched_on": "pixels (x, y)",
          "accuracy": {"2class": {"accuracy": 0.95, "balanced_accuracy": 0.9}}, "trained_on": trained}
    return {"complete": True, "seconds": {"wall": 1.0}, "candidates_per_second": 40.0, "n_tiles_skipped": 0,
            "n_candidates": 40, "n_fields": 1, "n_tiles": 1,
            "fields": {"A": {"n_candidates": 40, "n_tiles": 1, "evaluation": ev}}}


def test_the_line_of_the_field_the_model_was_trained_on_says_so():
    line = next(s for s in summary_lines(_summary(True)) if s.startswith("  A:"))
    assert "accuracy (2class) 0.950 (balanced 0.900) (the model was trained on this field: not a held-out score)" \
        in line, line
    other = summary_lines(_summary(False))
    assert not any("trained on" in s for s in other), other
    unknown = summary_lines(_summary(None))
    assert any(s.startswith("note: whether the model was trained on A cannot be told") for s in unknown), unknown


def test_a_recorded_training_field_is_found_by_its_truth_or_its_mosaics(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "g.fits").write_bytes(b"")
        (tmp_path / name / "truth.ecsv").write_text("")
    (tmp_path / "model").mkdir()
    write_manifest(tmp_path / "model", get_preset("m31-real"), [{"file": "member_01.pt"}])
    # a folder of mosaics is recorded as its files
    set_training_fields(tmp_path / "model", [([tmp_path / "a"], tmp_path / "a" / "truth.ecsv")])
    rec = trained_fields(read_manifest(tmp_path / "model"))
    assert rec[0]["mosaics"] == [str((tmp_path / "a" / "g.fits").resolve())], rec

    def info(name: str, truth: Path) -> FieldInfo:
        return FieldInfo(FieldSpec(name, (tmp_path / name,), truth=truth), (8, 8),
                         {"g": str(tmp_path / name / "g.fits")})

    assert trained_on(info("a", tmp_path / "a" / "truth.ecsv"), rec) is True
    assert trained_on(info("b", tmp_path / "b" / "truth.ecsv"), rec) is False
    # the training catalogue scored on other mosaics is still the training data
    assert trained_on(info("b", tmp_path / "a" / "truth.ecsv"), rec) is True
    assert trained_on(info("a", tmp_path / "a" / "truth.ecsv"), None) is None


@pytest.mark.slow  # trains the toy model (about 30 s on a loaded machine)
def test_train_from_mosaics_records_the_field_it_learnt_from(toy_trust_model, tmp_path):
    from typer.testing import CliRunner

    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.cli import app
    from starclass.learn.config import save_config

    _, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 60, seed=11)
    save_config(cfg, tmp_path / "task.yaml")
    res = CliRunner().invoke(app, ["train", "--task", str(tmp_path / "task.yaml"), "--mosaics", str(tmp_path / "mos"),
                                   "--catalog", str(tmp_path / "held.ecsv"), "-o", str(tmp_path / "model"),
                                   "--no-progress", "--device", "cpu", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    rec = trained_fields(read_manifest(tmp_path / "model"))
    assert rec is not None and rec[0]["catalog"] == str((tmp_path / "held.ecsv").resolve()), rec
    assert rec[0]["mosaics"] and all(Path(m).parent == (tmp_path / "mos").resolve() for m in rec[0]["mosaics"]), rec
