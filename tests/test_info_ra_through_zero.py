"""``info`` gives an RA column its range the short way round the circle.

Before: the PAndAS labels (M31's fields straddle RA 0h) read "ra 1.179 .. 357.3", as if they covered the
whole sky; now "ra 357.3 .. 26.03 (through 0)". A range that does not cross 0 and a column that is no angle
(a probability) are said as before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.cli.info_cmd import _range_words

runner = CliRunner()
LABELS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pandas-m31" / "labels.csv"


def _ranges_line(output: str) -> str:
    return next(ln for ln in output.splitlines() if ln.startswith("range of each float column:"))


def test_a_generated_csv_ra_through_zero(tmp_path):
    files = []
    for i in range(4):
        Image.fromarray((np.arange(64).reshape(8, 8) * (i + 1) % 256).astype(np.uint8)).save(tmp_path / f"c{i}.png")
        files.append(f"c{i}.png")
    t = Table({"file": files, "label": ["cluster", "galaxy", "galaxy", "cluster"],
               "ra": [359.5, 0.25, 2.5, 358.0], "dec": [40.0, 41.5, -1.0, 1.0],
               "prob_1": [0.9, 0.2, 0.1, 350.0]})
    t.write(tmp_path / "labels.csv")
    res = runner.invoke(app, ["info", str(tmp_path / "labels.csv")])
    assert res.exit_code == 0, res.output
    line = _ranges_line(res.output)
    assert "ra 358 .. 2.5 (through 0)" in line, line  # degrees as the sky positions: up to 5 decimals, as written
    # dec does not wrap (negative values are their own short range); a probability column is no angle
    assert "dec -1 .. 41.5," in line and "prob_1 0.1 .. 350" in line, line

    # the same positions away from 0h: the plain range
    t["ra"] = [10.0, 12.0, 11.0, 150.0]
    t.write(tmp_path / "labels.csv", overwrite=True)
    line = _ranges_line(runner.invoke(app, ["info", str(tmp_path / "labels.csv")]).output)
    assert "ra 10 .. 150," in line and "through 0" not in line, line


def test_a_column_with_degree_units_and_its_empty_cells():
    from astropy.table import Column

    col = Column([350.0, np.nan, 5.0, 355.0], name="glon", unit="deg")
    assert _range_words(col) == "glon 350 .. 5 (through 0) (1 empty)"  # degrees: up to 5 decimals, as written
    # the same numbers without a unit are not an angle
    assert _range_words(Column([350.0, 5.0, 355.0], name="glon")) == "glon 5 .. 355"


@pytest.mark.skipif(not LABELS.is_file(), reason="the PAndAS labels (../shared/data) are not here")
def test_the_pandas_labels_ra_through_zero():
    t = Table.read(LABELS, format="ascii.csv")
    words = _range_words(t["ra"])
    assert words.endswith("(through 0)"), words
    start, end = (float(v) for v in words.split()[1:4:2])
    # every RA lies on the arc from start through 0 to end, and the arc is shorter than the plain range
    ra = np.asarray(t["ra"], dtype=float)
    # (to the 5 decimals of degrees printed)
    assert start > end and np.all((ra >= start - 0.05) | (ra <= end + 0.005))
    assert (360 - start) + end < ra.max() - ra.min()
    assert start == pytest.approx(ra[ra > 180].min(), rel=1e-3) and end == pytest.approx(ra[ra < 180].max(), rel=1e-3)
