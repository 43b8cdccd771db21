"""``evaluate --help`` and ``report --help`` say every option's default, and their examples name their outputs.

Walked on 2026-12-07: ``--distance``, ``--model``, ``--stamps``, ``--label-column``, ``--by``, ``--catalogs``,
``--map``, ``--allow-few-matches`` and ``explain --layer`` said nothing of what happens without them (no
distance: every magnitude counted; no --label-column: class_ref is the reference), and ``report``'s example
``-o report.html`` wrote the page and a ``tables/`` folder into the current folder without a word of the folder.
"""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _unsaid_defaults(name: str) -> list[str]:
    """The options of ``name`` whose help neither shows a default nor says one in words."""
    cmd = typer.main.get_command(app).commands[name]
    unsaid = []
    for p in cmd.params:
        if p.param_type_name != "option" or p.name == "help" or p.required:
            continue
        text = (p.help or "").lower()
        # typer prints [default: ...] (0 too, which `in (False, ...)` would take for False)
        shown = p.show_default and p.default is not None and p.default is not False and p.default not in ((), [])
        if not (shown or "default" in text or "without it" in text):
            unsaid.append(p.opts[0])
    return unsaid


def test_every_option_of_evaluate_report_and_explain_says_its_default():
    for name in ("evaluate", "report", "explain"):
        assert _unsaid_defaults(name) == [], name


def test_the_examples_name_what_they_write():
    for name in ("evaluate", "report"):
        res = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert res.exit_code == 0, res.output
        example = re.search(r"Example: (starclass .+)", res.output)[1]
        out = re.search(r"(?:-o|--output|--out) (\S+)", example)
        # the output is named, and is a folder of its own, not a file dropped beside the inputs with its tables/
        assert out and out[1].rstrip("/") and "/" in out[1], example
    res = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"})
    assert "report/tables/" in " ".join(res.output.split()), res.output
