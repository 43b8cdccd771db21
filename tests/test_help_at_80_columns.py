"""Every subcommand's ``--help`` shows every option's help in full in an 80-column terminal.

typer draws the options as rich tables whose cells ended in "…" when a word did not fit its column:
at ``COLUMNS=80``, ``info --help`` showed the default bands as ``f275w,f336w,f435w,f606w,f81…`` and
``evaluate --help`` the option ``--reference-colu…``, the rest of each lost. Long words now fold
onto the next line (:func:`starclass.cli._app.fit_help_tables`).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import typer
from typer.testing import CliRunner

from starclass.cli import app

COMMANDS = sorted(typer.main.get_command(app).commands)
#: white space, which a wrapped or folded cell puts between the pieces of its text
SPACE = re.compile(r"\s+")


def _help_column(shown: str) -> str:
    """The help column's text of each options panel, its lines joined, without white space.

    In a panel the help is the table's last column: where most lines' last cell starts (the type
    column's pieces, wrapped below an option's name, start further left).
    """
    text = []
    for panel in re.split(r"^╰.*$", shown, flags=re.M):
        inner = [line[1:-1] for line in panel.splitlines() if line.startswith("│") and line.endswith("│")]
        starts = [[m.start() for m in re.finditer(r"\S+(?: \S+)*", line)] for line in inner]
        last = [s[-1] for s in starts if s]
        if not last:
            continue
        x = Counter(last).most_common(1)[0][0]
        text += [line[x:] for line in inner]
    return SPACE.sub("", "".join(text))


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_no_option_help_is_cut_off_at_80_columns(name):
    sub = typer.main.get_command(app).commands[name]
    shown = _help([name])
    assert max(len(line) for line in shown.splitlines()) <= 80
    source = (sub.help or "") + "".join(getattr(p, "help", None) or "" for p in sub.params)
    cut = [line for line in shown.splitlines() if "…" in line]
    assert len(cut) <= source.count("…"), cut
    # nothing is lost: each option's name and help read whole once the frame and the line breaks are taken out
    flat = SPACE.sub("", shown)
    helps = _help_column(shown)
    for p in sub.params:
        for opt in p.opts:
            if opt.startswith("--"):
                assert opt in flat, (name, opt)
        if getattr(p, "help", None):
            assert SPACE.sub("", p.help) in helps, (name, p.opts, p.help)


def test_the_command_list_is_not_cut_off_at_80_columns():
    shown = _help([])
    assert "…" not in shown
    flat = SPACE.sub("", shown)
    for name in COMMANDS:
        assert name in flat
