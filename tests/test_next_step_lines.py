"""``train`` and ``classify --stamps`` end with the command to run next, and that command runs as printed.

Found by a new user's walk through docs/real_images.md (2026-12-06): ``train`` ended with "model written to M"
and ``classify --stamps`` with "written out.csv", neither saying what to run on what they wrote. ``train`` now
says how to classify with the model (cutouts or mosaics, as it was trained), ``classify --stamps`` how to score
and report a labelled folder, or how to choose what people should label in an unlabelled one. Each printed
command is run here as a user copies it (the placeholder LIST filled in).
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _next(output: str) -> list[list[str]]:
    """The commands of the 'next:' line, split as a shell would."""
    line = next(ln for ln in output.splitlines() if ln.startswith("next: "))
    return [shlex.split(c)[1:] for c in re.findall(r"'(starclass [^']*)'", line)]


def test_the_next_lines_chain_train_classify_evaluate_report_suggest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listed = write_noise_cutout_folder(tmp_path / "cut", 16, object_ids=True)
    pool = tmp_path / "pool.csv"
    pool.write_text("\n".join(["file"] + [ln.split(",")[0] for ln in listed.read_text().splitlines()[1:]]) + "\n")
    pool = pool.rename(tmp_path / "cut" / "pool.csv")
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8}),
                       tmp_path / "tiny.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(listed), "-o", "model"])
    assert res.exit_code == 0, res.output
    # trained on 16 cutouts: its temperature, from a few validation rows, sends the user to calibrate first
    # (tests/test_train_next_calibrate_first.py runs that command); classify and info follow
    calibrate, classify, info = _next(res.output)
    assert calibrate[:2] == ["calibrate", "model"]
    assert classify[:2] == ["classify", "--stamps"] and info == ["info", "model"]
    assert runner.invoke(app, info).exit_code == 0
    res = runner.invoke(app, [classify[0], classify[1], str(listed), *classify[3:]])  # LIST: the folder's list
    assert res.exit_code == 0, res.output
    evaluate, report = _next(res.output)
    assert evaluate == ["evaluate", "classified.ecsv"]
    res = runner.invoke(app, evaluate)
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, report)
    assert res.exit_code == 0, res.output
    # report's own default folder, named after the catalogue (classify named '-o report' until 2026-12-07, and
    # evaluate no folder: tests/test_report_command_after_cutouts.py)
    assert (tmp_path / "classified_report" / "report.html").is_file()
    # an unlabelled list: the line offers suggest
    res = runner.invoke(app, ["classify", "--stamps", str(pool), "--model", "model", "-o", "pool_out.csv"])
    assert res.exit_code == 0, res.output
    (suggest,) = _next(res.output)
    assert suggest[:3] == ["suggest", "model", "pool_out.csv"]
    res = runner.invoke(app, suggest)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "suggest.csv").is_file()
