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
    # a member file given as the survey's model: the record of its folder's manifest
    from starclass.survey.run import _recorded_fields

    (tmp_path / "model" / "member_01.pt").write_bytes(b"weights")
    assert _recorded_fields(tmp_path / "model" / "member_01.pt") == rec


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


@pytest.mark.slow  # a two-field survey on a LocalCluster
def test_a_survey_marks_the_trained_field_in_its_catalogue_summary_and_line(tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from starclass.survey.plan import read_plan
    from starclass.survey.run import run_survey
    from test_survey import _make_field, _make_model  # tests/ is on sys.path under pytest

    _make_model(tmp_path / "model")
    xy = [(40.0, 40.0), (120.0, 60.0), (160.0, 150.0)]
    _make_field(tmp_path / "a", xy, seed=1)
    _make_field(tmp_path / "b", xy, seed=2)
    # as train records a model fitted on field a's mosaics and truth
    set_training_fields(tmp_path / "model", [([tmp_path / "a"], tmp_path / "a" / "truth.ecsv")])
    (tmp_path / "plan.yaml").write_text(
        "model: model\ntile_size: 128\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n"
        "  - {name: a, mosaics: a, positions: a/truth.ecsv, truth: a/truth.ecsv}\n"
        "  - {name: b, mosaics: b, positions: b/truth.ecsv, truth: b/truth.ecsv}\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        result = run_survey(read_plan(tmp_path / "plan.yaml"), tmp_path / "out", cluster=cluster, progress=False,
                            echo=lambda s: None)
    assert result.ok, result.summary
    import pyarrow.parquet as pq
    from astropy.table import Table

    for name, flag in (("a", True), ("b", False)):
        path = tmp_path / "out" / "fields" / name / "catalogue.parquet"
        col = pq.read_table(path).column("trained_field")
        assert set(col.to_pylist()) == {flag}
        # astropy reads every field's catalogue too (docs/survey.md): its column list had been written before
        # trained_field was appended, and Table.read failed with KeyError 'trained_field'
        for read in (path, tmp_path / "out" / "catalogue" / f"field={name}" / "part-0.parquet"):
            t = Table.read(read)
            assert t.colnames == pq.read_table(read).column_names, read
            assert set(t["trained_field"].tolist()) == {flag}, read
            assert t.meta["task"] == "m31-binary-compact", read
        assert result.summary["fields"][name]["evaluation"]["trained_on"] is flag
    lines = summary_lines(result.summary)
    assert [s.startswith("  a:") for s in lines if "trained on this field" in s] == [True], lines
