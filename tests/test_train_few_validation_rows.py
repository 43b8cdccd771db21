"""``train`` and ``info`` say on how few rows a validation accuracy rests, where they are few.

Walking docs/uncertainty.md (2026-12-07), a fine-tune on 20 labels printed "validation accuracy 0.667, balanced
accuracy 0.500" from 3 validation rows with no caution, and ``info`` "on 3 rows": figures one row moves by
0.333 read as measured. Under FEW_VALIDATION_ROWS (30) both now say "only N validation rows (too few to
trust: one row moves the accuracy by 1/N)"; from 30 rows up the lines are as they were.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config
from starclass.learn.summary import FEW_VALIDATION_ROWS, few_validation_rows

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def test_the_caution_starts_under_the_threshold():
    assert few_validation_rows(FEW_VALIDATION_ROWS) == "" and few_validation_rows(None) == ""
    n = FEW_VALIDATION_ROWS - 1
    assert few_validation_rows(n).startswith(f"only {n} validation rows (too few to trust"), few_validation_rows(n)
    assert f"{1 / n:.3f}" in few_validation_rows(n)


def test_train_and_info_say_the_few_validation_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listed = write_noise_cutout_folder(tmp_path / "cut", 16, object_ids=True)
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8}),
                       tmp_path / "tiny.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(listed), "-o", "model", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    (counts,) = [ln for ln in res.output.splitlines() if ln.startswith("trained ")]
    n_val = int(counts.split(" training, ")[1].split(" validation")[0])
    assert 0 < n_val < FEW_VALIDATION_ROWS, counts
    (member,) = [ln for ln in res.output.splitlines() if ln.startswith("  member 1: ")]
    assert member.endswith(f", on {few_validation_rows(n_val)}"), member
    res = runner.invoke(app, ["info", "model"])
    assert res.exit_code == 0, res.output
    assert f"on {few_validation_rows(n_val)}" in " ".join(res.output.split()), res.output
