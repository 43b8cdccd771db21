"""``simulate --preset cool-core`` (and the other cutout presets) say what they simulate first, in a log too.

``starclass simulate cc --preset cool-core --n 200 --size 128 > log 2>&1`` was silent for ~4 s on a loaded
machine (the simulator's import: scipy, astropy) before ``cutouts: 0 of 200``; the field presets already said
their first line there (``tests/test_first_line_in_a_log.py``). ``--no-progress`` still says nothing.
"""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from test_first_line_in_a_log import timed_lines

runner = CliRunner()


@pytest.mark.parametrize(("preset", "extra", "first"), [
    ("cool-core", ["--size", "32"], "simulate: cool-core, 3 cutouts of 32 x 32 px: loading the simulator ..."),
    ("pandas-cutouts", [], "simulate: pandas-cutouts, 3 cutouts: loading the simulator ..."),
])
def test_a_cutout_preset_into_a_log_says_what_it_simulates_first(tmp_path, preset, extra, first):
    res = runner.invoke(app, ["simulate", str(tmp_path / "c"), "--preset", preset, "--n", "3", *extra])
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    assert lines and lines[0] == first, res.stderr
    assert lines[1].startswith("cutouts: 0 of 3"), lines  # before the cutouts' first count
    quiet = runner.invoke(app, ["simulate", str(tmp_path / "q"), "--preset", preset, "--n", "3", *extra,
                                "--no-progress"])
    assert quiet.exit_code == 0 and "loading the simulator" not in quiet.stderr, quiet.stderr
