"""A PHANGS table whose id, position, magnitude or class column holds text is refused naming the cell.

Read from a text table (``tests/test_phangs_text_table.py``), a typing slip in a PHANGS column ended in a
traceback: "invalid literal for int() with base 10: '11a'" (the id), "could not convert string to float: 'x'"
(a position, a magnitude, a class). Now the message names the file's column, the file and the row, exit 2.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

HEADER = "ID_PHANGS_CLUSTERS PHANGS_X PHANGS_Y PHANGS_F555W_VEGA_TOT PHANGS_CLUSTER_CLASS_HUMAN"
ROWS = ["10 1.0 1.0 22.0 1", "11 2.0 5.0 23.0 2", "12 10.5 10.5 24.0 3"]


@pytest.mark.parametrize("column, value, says", [
    ("ID_PHANGS_CLUSTERS", "11a", "'11a', not a number"),
    ("ID_PHANGS_CLUSTERS", "11.5", "11.5, not a whole number (an id)"),
    ("PHANGS_Y", "five", "'five', not a number"),
    ("PHANGS_F555W_VEGA_TOT", "faint", "'faint', not a number"),
    ("PHANGS_CLUSTER_CLASS_HUMAN", "C2", "'C2', not a number"),
])
def test_a_text_cell_is_named(tmp_path, column, value, says):
    cells = [row.split() for row in ROWS]
    cells[1][HEADER.split().index(column)] = value
    path = tmp_path / "cat.dat"
    path.write_text("\n".join([HEADER, *(" ".join(c) for c in cells)]) + "\n")
    res = CliRunner().invoke(app, ["info", str(path), "--format", "phangs"])
    assert res.exit_code == 2, res.output
    assert res.output.strip() == f"error: catalogue column {column!r} in {path} row 2 is {says}", res.output
    with pytest.raises(StarclassError, match="row 2"):
        read_catalog(path)  # guessed as PHANGS from its columns: the same
