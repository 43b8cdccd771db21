"""``detect --positions FILE`` whose x (or y) column holds no value at all is refused naming file and column.

Before, an all-NaN or all-empty x column was "column 'x' in pos.csv: no valid position in row 1 (id 1)": read as
one bad row to mend, where every row lacks its position (an export that dropped the column's values). The
catalogue reader says now that every value is missing, exit 2, nothing written; a single bad row keeps its words.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app


@pytest.fixture()
def field(tmp_path):
    rng = np.random.default_rng(3)
    for band in ("f555w", "f814w"):
        fits.writeto(tmp_path / f"{band}.fits", rng.normal(size=(48, 48)).astype("f4"),
                     fits.Header({"FILTER": band.upper(), "MAGZERO": 25.0}))
    return tmp_path


def _detect(field, positions):
    out = field / "out.ecsv"
    res = CliRunner().invoke(app, ["detect", str(field / "f555w.fits"), str(field / "f814w.fits"), "--positions",
                                   str(positions), "-o", str(out)])
    return res, " ".join(res.output.split()), out


@pytest.mark.parametrize("kind", ["ecsv-nan", "csv-empty", "csv-nan-text"])
def test_an_x_column_without_any_value_is_said_so(field, kind):
    if kind == "ecsv-nan":
        pos = field / "pos.ecsv"
        Table({"id": [1, 2, 3], "x": [np.nan] * 3, "y": [10.0, 20.0, 30.0]}).write(pos)
    else:
        pos = field / "pos.csv"
        cell = "" if kind == "csv-empty" else "nan"
        pos.write_text(f"id,x,y\n1,{cell},10\n2,{cell},20\n3,{cell},30\n")
    res, said, out = _detect(field, pos)
    assert res.exit_code == 2, said
    assert f"error: column 'x' in {pos}: every value is missing (empty or NaN in all 3 rows), so no row has a pixel " \
           "position" in said, said
    assert "Traceback" not in said and "row 1 (id 1)" not in said
    assert not out.exists()


def test_a_y_column_without_any_value_beside_ra_dec_says_how_they_place_rows(field):
    pos = field / "pos.ecsv"
    Table({"id": [1, 2], "x": [5.0, 6.0], "y": [np.nan, np.nan], "ra": [10.0, 10.001],
           "dec": [41.0, 41.001]}).write(pos)
    res, said, out = _detect(field, pos)
    assert res.exit_code == 2, said
    assert f"column 'y' in {pos}: every value is missing (empty or NaN in all 2 rows)" in said, said
    assert "leave out both columns, or empty x too" in said
    assert not out.exists()


def test_guard_one_missing_position_is_still_named_by_its_row(field):
    pos = field / "pos.ecsv"
    Table({"id": [7, 8], "x": [np.nan, 5.0], "y": [10.0, 20.0]}).write(pos)
    res, said, out = _detect(field, pos)
    assert res.exit_code == 2, said
    assert f"column 'x' in {pos}: no valid position in row 1 (id 7)" in said and "every value" not in said, said
    assert not out.exists()
