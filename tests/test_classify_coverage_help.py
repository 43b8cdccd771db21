"""``classify --help`` says where ``--coverage`` is recorded, and what is recorded there is what it says.

Found walking docs/uncertainty.md (2026-12-07): the help gave the sets' coverage but not where the output
keeps it, which evaluate and report read back (a CSV's ``coverage`` column, an ECSV's meta), so a user
looking for the target of a CSV's pred_set had to find it in the docs.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from starclass.cli import app
from starclass.schema import COVERAGE

runner = CliRunner()


def test_the_coverage_help_names_the_meta_and_the_csv_column():
    res = runner.invoke(app, ["classify", "--help"], terminal_width=200)
    assert res.exit_code == 0, res.output
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", res.output).split())
    said = text[text.index("--coverage"):text.index("--votes")]
    assert f"meta '{COVERAGE}' (ECSV)" in said and f"a column {COVERAGE} (CSV)" in said, said
