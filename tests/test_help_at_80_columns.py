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


def _help_panels(shown: str) -> list[tuple[int, list[str]]]:
    """Each options panel's help column: its width in characters and its lines.

    In a panel the help is the table's last column: where most lines' last cell starts (the type
    column's pieces, wrapped below an option's name, start further left).
    """
    panels = []
    for panel in re.split(r"^╰.*$", shown, flags=re.M):
        inner = [line[1:-1] for line in panel.splitlines() if line.startswith("│") and line.endswith("│")]
        starts = [[m.start() for m in re.finditer(r"\S+(?: \S+)*", line)] for line in inner]
        last = [s[-1] for s in starts if s]
        if not last:
            continue
        x = Counter(last).most_common(1)[0][0]
        panels.append((len(inner[0]) - x, [line[x:] for line in inner]))
    return panels


def _help_column(shown: str) -> str:
    """The help column's text of each options panel, its lines joined, without white space."""
    return SPACE.sub("", "".join(line for _, lines in _help_panels(shown) for line in lines))


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


#: the fewest characters a line of an option's help may hold at 80 columns (a sentence of 5-6 words)
MIN_HELP_WIDTH = 30


@pytest.mark.parametrize("name", COMMANDS)
def test_the_help_column_is_wide_enough_to_read_at_80_columns(name):
    # typer gave an option's long names, short name and --no- name a column each, all as wide as their
    # longest cell: at 80 columns evaluate's help was 18 characters wide (a word or two a line), train's 15
    shown = _help([name])
    widths = [width for width, _ in _help_panels(shown)]
    assert widths and min(widths) >= MIN_HELP_WIDTH, (name, widths, shown)
    # the names are still all there, each short name beside its long one and each --no- name shown
    flat = SPACE.sub("", shown)
    sub = typer.main.get_command(app).commands[name]
    for p in sub.params:
        for opts in (p.opts, getattr(p, "secondary_opts", [])):
            longs = [o for o in opts if o.startswith("--")]
            shorts = [o for o in opts if not o.startswith("--")]
            if longs:
                assert ",".join([*shorts, longs[0]]) in flat, (name, opts)
            assert all(o in flat for o in longs), (name, opts)


def test_the_command_list_is_not_cut_off_at_80_columns():
    shown = _help([])
    assert "…" not in shown
    flat = SPACE.sub("", shown)
    for name in COMMANDS:
        assert name in flat


@pytest.mark.parametrize("name", COMMANDS)
def test_a_flag_shows_no_value_but_an_option_that_takes_one_shows_its_type(name):
    # typer drew every flag as "--overwrite <bool>", as if it took a value: 'info --overwrite true x' then took
    # "true" for the path it reads ("error: true: no such file or directory")
    sub = typer.main.get_command(app).commands[name]
    shown = _help([name])
    options = [p for p in sub.params if isinstance(p, typer.core.TyperOption)]
    assert any(p.is_flag for p in options) and "<bool>" not in shown, shown
    flat = SPACE.sub("", shown)
    ctx = typer.Context(sub)
    for p in options:
        if not p.is_flag:
            assert SPACE.sub("", p.display_type_rich(ctx)) in flat, (name, p.opts)


def test_each_help_follows_the_width_the_environment_says_then():
    # typer read TERMINAL_WIDTH once, at its first help in the process: after a help drawn at
    # TERMINAL_WIDTH=80, train --help at COLUMNS=300 came out 80 wide (and a test reading a phrase
    # of it on one line failed, or not, as xdist put the tests in its workers)
    narrow = _help(["train"])
    wide = CliRunner().invoke(app, ["train", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": None})
    assert wide.exit_code == 0, wide.output
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert max(len(line) for line in wide.output.splitlines()) > 80, wide.output
    wider = CliRunner().invoke(app, ["train", "--help"], env={"COLUMNS": "300", "TERMINAL_WIDTH": "300"})
    assert max(len(line) for line in wider.output.splitlines()) > 200, wider.output
    again = _help(["train"])
    assert max(len(line) for line in again.splitlines()) <= 80
