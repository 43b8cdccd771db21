"""``simulate --size`` above the largest field is refused naming ``--size``, and the help states the bound.

Until 2026-12-07 ``simulate big --size 200000`` said ``error: shape 200000 x 200000 is too large (at most
16384 x 16384)``: no option named (the user gave no "shape"), and ``--size``'s help gave only "at least 64".
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_a_size_above_the_largest_field_names_the_option_and_writes_nothing(tmp_path):
    res = runner.invoke(app, ["simulate", str(tmp_path / "big"), "--size", "200000"])
    assert res.exit_code == 2, res.output
    assert "--size must be at least 64 and at most 16384 px for a field, got 200000" in res.output
    assert not (tmp_path / "big").exists()


def test_the_help_states_the_largest_size():
    res = runner.invoke(app, ["simulate", "--help"], env={"COLUMNS": "300"})
    assert res.exit_code == 0
    assert "at most 16384" in res.output
