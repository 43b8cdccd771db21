"""The calibration caution's ``'starclass calibrate MODEL ...'`` names the model where train and classify know it.

docs/seeds.md's walk (2026-12-07): ``train ... -o m_og`` and ``classify --stamps ... --model m_og`` printed
"WARNING: the temperature 6.023 was fitted on only 30 held-out rows ...; fit it on a larger labelled held-out
set ('starclass calibrate MODEL ... --overwrite')", the model's name known to both.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_noise_cutout_folder
from starclass.cli import app

runner = CliRunner()


def test_train_and_classify_name_the_model_in_the_calibrate_command(tmp_path):
    write_noise_cutout_folder(tmp_path / "cut", 16, n=8)
    model = tmp_path / "m_small"
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(tmp_path / "cut"), "--stamp-size", "16",
                              "--epochs", "1", "--no-progress", "-o", str(model)])
    assert res.exit_code == 0, res.output
    warned = [line for line in res.output.splitlines() if line.startswith("WARNING:") and "fitted on only" in line]
    assert warned, res.output  # two validation rows: the calibration is not to be trusted
    assert all(f"'starclass calibrate {model} ... --overwrite'" in line for line in warned), warned
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "cut"), "--model", str(model), "-o",
                              str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    warned = [line for line in res.output.splitlines() if line.startswith("WARNING:") and "fitted on only" in line]
    assert warned and all(f"'starclass calibrate {model} ... --overwrite'" in line for line in warned), res.output
    assert "calibrate MODEL" not in res.output
