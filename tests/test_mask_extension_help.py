"""``--mask-extension``'s help says what each command does with the flagged pixels.

One help for every command said they were "left out of detection, photometry and stamps", in
``inspect`` (which serves pictures: no detection, photometry or stamps) and ``calibrate`` (which
classifies stamps) alike. Only ``detect`` and ``survey`` detect and measure.
"""

from __future__ import annotations

import pytest
import typer

from starclass.cli import app

COMMANDS = typer.main.get_command(app).commands
TAKING = sorted(n for n, c in COMMANDS.items() if any("--mask-extension" in p.opts for p in c.params))
DETECTING = {"detect", "survey"}


def _help(name: str) -> str:
    return next(p.help for p in COMMANDS[name].params if "--mask-extension" in p.opts)


def test_the_commands_that_read_mosaics_take_it():
    assert {"detect", "survey", "inspect", "calibrate", "classify", "cutouts", "train"} <= set(TAKING), TAKING


@pytest.mark.parametrize("name", TAKING)
def test_its_help_names_only_what_the_command_does(name):
    said = _help(name)
    assert "set to NaN" in said, said
    if name in DETECTING:
        assert "detection" in said and "photometry" in said, said
    else:
        assert "detection" not in said and "photometry" not in said, (name, said)


def test_inspect_says_the_pictures_and_calibrate_the_stamps():
    assert "pictures served" in _help("inspect"), _help("inspect")
    assert "stamps" in _help("calibrate") and "stamps" not in _help("inspect")
