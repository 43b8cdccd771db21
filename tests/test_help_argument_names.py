"""Every subcommand's usage line names its arguments as its help text does: in capitals (PRED, OUTDIR).

typer (0.29) named an argument by its parameter in the usage line, ``Usage: starclass evaluate
[OPTIONS] [pred]``, ``simulate [OPTIONS] {outdir}``, and in the arguments panel and the error of a
missing one ("Missing argument 'outdir'"), while the help of the options, the docs and the
examples call it PRED, OUTDIR, MOSAICS, as most Unix tools do. The arguments of every command are
now :class:`starclass.cli._app.UpperArgument`.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from starclass.cli import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def _arguments(name: str) -> list:
    command = typer.main.get_command(app).commands[name]
    return [p for p in command.params if p.param_type_name == "argument"]


@pytest.mark.parametrize("name", COMMANDS)
def test_the_usage_line_and_the_panel_name_each_argument_in_capitals(name):
    args = _arguments(name)
    if not args:
        pytest.skip(f"{name} takes no argument")
    shown = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"}).output
    usage = next(line for line in shown.splitlines() if "Usage:" in line)
    after = usage.split("[OPTIONS]", 1)[1]
    named = re.findall(r"[\[{]?([A-Za-z_]+)[\]}]?(?:\.\.\.)?", after)
    assert named == [p.name.upper() for p in args], usage
    panel = shown.split("Arguments", 1)[1].split("╰", 1)[0]
    for p in args:
        assert re.search(rf"│\s+(\*\s+)?{p.name.upper()}\b", panel), (p.name, panel)
        assert not re.search(rf"│\s+(\*\s+)?{p.name}\b", panel), (p.name, panel)


def test_a_missing_argument_is_named_as_the_help_names_it():
    result = CliRunner().invoke(app, ["simulate"])
    assert result.exit_code == 2
    assert "Missing argument 'OUTDIR'" in " ".join(result.output.split()), result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_a_required_argument_reads_bare_in_the_usage_line(name):
    """``simulate [OPTIONS] {OUTDIR}``, ``info [OPTIONS] {PATHS}...`` until 2026-12-07: braces in a usage line
    mean a choice among the words inside; a required argument reads bare (OUTDIR), an optional one in
    brackets ([PRED]), as the options' metavars do."""
    args = _arguments(name)
    if not args:
        pytest.skip(f"{name} takes no argument")
    shown = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"}).output
    lines = shown.split("Usage:", 1)[1].splitlines()
    # the usage line, wrapped at 80 columns, ends at the first blank line
    usage = " ".join(" ".join(lines[:next(i for i, line in enumerate(lines) if i and not line.strip())]).split())
    assert "{" not in usage and "}" not in usage, usage
    for p in args:
        word = p.name.upper()
        shown_as = word if p.required else f"[{word}]"
        assert re.search(rf"(?<![\w\[]){re.escape(shown_as)}(?:\.\.\.)?(?!\w)", usage), (shown_as, usage)
