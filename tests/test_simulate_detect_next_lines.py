"""``simulate`` (a field) and ``detect`` end with the command to run next, and it runs as printed.

A new user's walk of docs/uncertainty.md (2026-12-06): ``simulate`` ended with its list of files and
``detect`` with "wrote candidates.ecsv (N rows)", neither saying what comes next, where ``train`` and
``classify`` do. The commands are run here as a user copies them (MODEL filled in).
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _next(output: str) -> list[list[str]]:
    line = next(ln for ln in output.splitlines() if ln.startswith("next: "))
    return [shlex.split(c)[1:] for c in re.findall(r"'(starclass [^']*)'", line)]


def test_simulate_then_detect_then_classify_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["simulate", "field1", "--size", "128", "--n-candidates", "20", "--seed", "3",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    detect, train = _next(res.output)
    assert detect == ["detect", "field1", "-o", "candidates.ecsv"], detect
    # with a task quick on a CPU (since 2026-12-07: the default legus4 is StarcNet, minutes an epoch there)
    assert train == ["train", "--task", "legus4-compact", "-m", "field1", "-c", "field1/truth.ecsv", "-o",
                     "model"], train
    res = runner.invoke(app, [*detect, "--no-progress"])
    assert res.exit_code == 0, res.output
    (classify,) = _next(res.output)
    assert classify[:4] == ["classify", "field1", "-c", "candidates.ecsv"], classify
    model = write_untrained_model(tmp_path / "m", get_preset("legus4-compact", stamp_size=16), seed=0)
    res = runner.invoke(app, [*(str(model) if w == "MODEL" else w for w in classify), "--device", "cpu",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "classified.ecsv").is_file()
