"""``simulate OUT --fields N`` ends with the next step: train a model on one field, then survey the plan with it.

Until 2026-12-06 it ended with the plan's line "(starclass survey OUT/plan.yaml --model MODEL -o OUT)" and
nothing said where MODEL comes from (docs/survey.md's first commands had the same gap). Now a 'next:' line
gives a train command on the first field's mosaics and truth, with a compact task of the fields' bands,
then the survey command with that model. No ../shared needed.
"""
from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset


@pytest.mark.parametrize("preset, task, name", [("m31", "m31-binary-compact", "sims"),
                                                ("hst", "legus4-compact", "my sims")])
def test_the_fields_end_with_a_train_and_a_survey_command_that_fit_them(tmp_path, monkeypatch, preset, task, name):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["simulate", name, "--preset", preset, "--fields", "2", "--size", "128",
                                   "--n-candidates", "10", "--quiet"])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("next: ")]
    quoted = re.findall(r"""(?:'(starclass [^']*)'|"(starclass [^"]*)")""", line)
    (train, survey) = [shlex.split(a or b) for a, b in quoted]
    assert train[:2] == ["starclass", "train"] and survey[:2] == ["starclass", "survey"], line
    opts = dict(zip(train[2::2], train[3::2]))
    assert opts["--task"] == task
    mosaics, truth = tmp_path / opts["-m"], tmp_path / opts["-c"]
    assert mosaics.is_dir() and truth == mosaics / "truth.ecsv" and truth.is_file()
    # the task's bands are the fields' files
    bands = sorted(p.stem.rsplit("_", 1)[1] for p in mosaics.glob("*.fits"))
    assert bands == sorted(get_preset(task).bands)
    assert (tmp_path / survey[2]).is_file() and survey[2].endswith("plan.yaml")
    assert survey[3:] == ["--model", opts["-o"], "-o", "run"]


def test_the_plans_line_names_the_survey_of_the_next_line(tmp_path, monkeypatch):
    # it said '(starclass survey sims/plan.yaml --model MODEL -o OUT)', two placeholders to edit, above a line
    # naming both (2026-12-07); here 'model' and 'run' are an earlier round's, so both lines name model_1, run_1
    monkeypatch.chdir(tmp_path)
    for earlier in ("model", "run"):
        (tmp_path / earlier).mkdir()
    res = CliRunner().invoke(app, ["simulate", "sims", "--preset", "m31", "--fields", "1", "--size", "64",
                                   "--n-candidates", "5", "--no-progress"])
    assert res.exit_code == 0, res.output
    (plan,) = [s for s in res.output.splitlines() if s.strip().startswith("plan:")]
    (line,) = [s for s in res.output.splitlines() if s.startswith("next: ")]
    survey = [shlex.split(a or b) for a, b in re.findall(r"""'(starclass [^']*)'|"(starclass [^"]*)\"""", line)][1]
    assert survey[-4:] == ["--model", "model_1", "-o", "run_1"], line
    assert f"({shlex.join(survey)}, once the next line has trained model_1)" in plan, plan
