"""``train``'s 'next:' line names ``calibrate`` first where the model's calibration is not to be trusted.

Until 2026-12-06 the line pointed to ``classify`` whatever the calibration: after a run whose temperature
was fitted on a handful of validation rows (a WARNING said so a few lines above) a user copied the classify
command and got probabilities and conformal sets from that temperature. Now a model without a calibration,
or with one fitted on fewer rows than ``calibrate`` trusts (or at an end of its search), gets "calibrate it
first, ...: 'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite' ...; then classify ...", the model
filled in; a model calibrated on enough rows keeps the classify line.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from finetune_setup import noise_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _next_line(output: str) -> str:
    return next(ln for ln in output.splitlines() if ln.startswith("next: "))


def _commands(line: str) -> list[list[str]]:
    # in single quotes, or in double quotes where the command quotes a path itself (errors.shown_command)
    return [shlex.split(a or b)[1:] for a, b in re.findall(r"'(starclass [^']*)'|\"(starclass [^\"]*)\"", line)]


def _task(tmp_path, val_fraction: float):
    return save_config(get_preset("m31-real", stamp_size=16, scales=[1.0],
                                  recipe={"epochs": 1, "batch_size": 16, "ensemble_size": 1,
                                          "val_fraction": val_fraction}), tmp_path / "tiny.yaml")


def test_a_temperature_from_a_few_rows_sends_the_user_to_calibrate_first(tmp_path, monkeypatch):
    from starclass.learn.checkpoint import read_manifest

    monkeypatch.chdir(tmp_path)
    train = noise_folder(tmp_path / "train", 20, seed=1)
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path, 0.3)), "--stamps", str(train), "-o", "my model",
                              "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert read_manifest(tmp_path / "my model")["calibration"]["n"] < 100  # the case: a WARNING above says so
    line = _next_line(res.output)
    assert line.startswith("next: calibrate it first, its calibration was fitted on only "), line
    calibrate, classify, info = _commands(line)
    assert calibrate == ["calibrate", "my model", "--stamps", "HELD_OUT.csv", "--overwrite"]
    assert classify[:2] == ["classify", "--stamps"] and info == ["info", "my model"]
    # the commands run as printed, the placeholders filled in
    held = noise_folder(tmp_path / "held", 120, seed=2)
    res = runner.invoke(app, [*calibrate[:3], str(held), *calibrate[4:], "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert read_manifest(tmp_path / "my model")["calibration"]["n"] == 120
    res = runner.invoke(app, [*classify[:2], str(held), *classify[3:]])
    assert res.exit_code == 0, res.output


def test_a_model_without_a_calibration_is_sent_to_calibrate_with_the_mosaic_form():
    from starclass.cli.train_cmd import next_after_training

    line = next_after_training("m1", cutouts=False, calibrate_first="it has no calibration")
    calibrate, classify, _ = _commands(line)
    assert calibrate == ["calibrate", "m1", "MOSAICS", "-c", "HELD_OUT.ecsv", "--overwrite"]
    # another field than the one trained on (since 2026-12-07, latest; 'MOSAICS' read as the same mosaics)
    assert classify[:2] == ["classify", "OTHER_DIR"]


def test_a_model_calibrated_on_enough_rows_goes_straight_to_classify(tmp_path, monkeypatch):
    from starclass.cli.train_cmd import calibration_to_refit
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import read_manifest

    monkeypatch.chdir(tmp_path)
    train = noise_folder(tmp_path / "train", 240, seed=1)
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path, 0.5)), "--stamps", str(train), "-o", "m",
                              "--device", "cpu"])
    assert res.exit_code == 0, res.output
    cal = ModelCalibration.from_dict(read_manifest(tmp_path / "m")["calibration"])
    assert cal.n >= 100 and not cal.cautions(), cal.cautions()
    assert calibration_to_refit(tmp_path / "m") is None
    assert _next_line(res.output).startswith("next: classify cutouts with 'starclass classify --stamps LIST "
                                             "--model m ")
