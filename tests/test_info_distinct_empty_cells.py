"""``info`` of a cutout list counts a column's distinct values without its empty cells, and says those apart.

The PAndAS list's ``source_table`` names 9 catalogues and is empty on 11 rows; ``info`` said
"source_table 10", the empty cell counted as a tenth catalogue (found by s64audit). It says "source_table
9 (11 empty)" now, and a numeric column's empty cells (read as NaN or masked) the same way.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _folder(root, rows: list[str]):
    rng = np.random.default_rng(0)
    for i in range(len(rows)):
        Image.fromarray((rng.random((8, 8)) * 255).astype(np.uint8)).save(root / f"c{i}.png")
    (root / "labels.csv").write_text("file,label,src,mag\n" + "".join(
        f"c{i}.png,{r}\n" for i, r in enumerate(rows)))
    return root / "labels.csv"


def test_empty_cells_are_not_a_distinct_value(tmp_path):
    labels = _folder(tmp_path, ["cluster,rbc,1.5", "galaxy,,", "cluster,huxor,2.5", "galaxy, ,1.5",
                                "cluster,rbc,"])
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if ln.startswith("distinct values per column:"))
    # by hand: src holds rbc and huxor, and 2 empty cells (one a space)
    assert line == "distinct values per column: file 5, label 2, src 2 (2 empty)", line
    # mag 1.5 and 2.5, and 2 empty: a column of numbers with blanks is read as numbers since 2026-12-06
    # (tests/test_cutout_list_blank_numbers.py), said by its range as the float columns are
    line = next(ln for ln in res.output.splitlines() if ln.startswith("range of each float column:"))
    assert line == "range of each float column: mag 1.5 .. 2.5 (2 empty)", line


@pytest.mark.skipif(not __import__("pathlib").Path(__file__).parents[2].joinpath(
    "shared", "data", "pandas-m31", "labels.csv").is_file(), reason="../shared/data/pandas-m31 not here")
def test_the_pandas_list_has_nine_source_tables_and_eleven_rows_without_one():
    import csv
    from pathlib import Path

    labels = Path(__file__).parents[2] / "shared" / "data" / "pandas-m31" / "labels.csv"
    with open(labels, newline="") as fh:
        cells = [r["source_table"].strip() for r in csv.DictReader(fh)]
    filled = {c for c in cells if c}
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 0, res.output
    assert f"source_table {len(filled)} ({cells.count('')} empty)" in res.output, res.output
