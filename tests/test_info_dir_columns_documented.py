"""``info DIR --out-format csv``'s columns are ``starclass.schema`` names, and docs/io.md lists each of them.

Before: the counts were renamed to schema names (``rows`` -> ``n_rows`` ...), but ``file``, ``bands``,
``ci_cut``, ``layout``, ``mapped`` and the per-class ``n_1``-``n_4`` were names of ``io.overview``'s own, in
no registry, and docs/io.md named only some of the columns.
"""

from __future__ import annotations

import re
from pathlib import Path

from astropy.table import Table
from typer.testing import CliRunner

from starclass import schema
from starclass.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "io.md"


def _columns(tmp_path) -> list[str]:
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4],
           "mag_f555w": [20.0, 21.0]}).write(tmp_path / "a.ecsv")
    res = CliRunner().invoke(app, ["info", str(tmp_path), "--out-format", "csv"])
    assert res.exit_code == 0, res.output
    return res.output.splitlines()[0].split(",")


def test_every_column_is_a_schema_name(tmp_path):
    cols = _columns(tmp_path)
    assert {"file", "field", "n_rows", "n_1", "ci_cut", "layout"} <= set(cols), cols
    assert [c for c in cols if schema.find_column(c) is None] == []


def test_docs_io_lists_every_column(tmp_path):
    cols = _columns(tmp_path)
    text = DOC.read_text()
    start = text.index("**A folder.**")
    para = " ".join(text[start:start + 2500].split())
    listed = set(re.findall(r"`([a-z_0-9]+)`", para))
    # n_1-n_4 are listed as a range
    missing = [c for c in cols if c not in listed and not (re.fullmatch(r"n_\d", c) and "`n_1`-`n_4`" in para)]
    assert missing == [], missing
