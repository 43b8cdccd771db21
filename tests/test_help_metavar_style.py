"""Every verb's ``--help`` shows the value an option takes in one style: ``<path>``, ``<int range>``, ``<name>``.

Before: most options showed typer's ``<str>``/``<path>``/``<int range>`` while the shared options
carried upper-case metavars of their own (``--file-column NAME``, ``--ssp FILE``, ``--mag-limit MAG``,
``--dq-good-bits EXPR``, ``--mask-file TEMPLATE``, survey's ``--connect-timeout SECONDS``), so one
options panel mixed the two styles.
"""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()

#: the majority style: typer's own, angle brackets (a list or an argument of several may end in "...")
STYLE = re.compile(r"^<[a-z][^<>]*>(\.\.\.)?$")


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


def test_every_verb_shows_every_value_in_one_style():
    root = typer.main.get_command(app)
    odd = []
    for path, cmd in _commands(root):
        ctx = cmd.make_context(" ".join(path), [], resilient_parsing=True)
        for param in cmd.params:
            if getattr(param, "is_flag", False) or getattr(param, "hidden", False):
                continue
            shown = param.display_type_rich(ctx=ctx)
            if shown is not None and not STYLE.match(str(shown)):
                odd.append(f"{' '.join(path)} {param.opts[0]}: {shown}")
    assert len(list(_commands(root))) > 10  # the verbs were found
    assert odd == []


def test_the_shared_options_show_their_value_in_the_style():
    res = runner.invoke(app, ["evaluate", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert res.exit_code == 0, res.output
    assert re.search(r"--file-column\s+<name>", res.output)
    assert re.search(r"--ssp\s+<file>", res.output)
    assert not re.search(r"--(file-column|ssp|mag-limit)\s+[A-Z]{3,}\b", res.output)
