"""``info`` writes degrees by one rule: up to 5 decimals, as few as write the number exactly.

Until 2026-12-07 a round RA given by hand read ``ra 358.00000 .. 2.50000 (through 0)`` in a cutout list's ranges
and ``sky positions (deg): ra 10.50000 .. 12.50000, dec 1.00000 .. 2.00000`` in a catalogue's: zeros the file
never had. A measured position keeps its 5 decimals, zeros of the rounding included (``-54.93940`` of
-54.939397); a round one reads as written (``358``, ``2.5``); the ranges, the sky positions and the table cells
all write degrees so (:func:`starclass.errors.figure`).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _line(output: str, start: str) -> str:
    return next(ln for ln in output.splitlines() if ln.startswith(start))


def test_round_degrees_read_as_written_in_a_cutout_lists_ranges(tmp_path):
    for i in range(3):
        Image.fromarray(np.full((8, 8), 40 * (i + 1), np.uint8)).save(tmp_path / f"c{i}.png")
    Table({"file": [f"c{i}.png" for i in range(3)], "label": ["a", "b", "a"], "ra": [359.5, 2.5, 358.0],
           "dec": [-1.0, 41.5, -54.939397]}).write(tmp_path / "labels.csv")
    res = runner.invoke(app, ["info", str(tmp_path / "labels.csv")])
    assert res.exit_code == 0, res.output
    line = _line(res.output, "range of each float column:")
    assert "ra 358 .. 2.5 (through 0)" in line, line
    # the measured dec keeps its 5 decimals, the zero of its rounding too
    assert "dec -54.93940 .. 41.5" in line, line


def test_round_and_measured_degrees_in_a_catalogues_sky_positions(tmp_path):
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,10.5,1\n2,12.5,2\n")
    res = runner.invoke(app, ["info", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    assert "sky positions (deg): ra 10.5 .. 12.5, dec 1 .. 2" in res.output, res.output
    (tmp_path / "m.csv").write_text("id,ra,dec\n1,64.99927441206658,-54.93939692637502\n"
                                    "2,65.00408,-54.936604412177765\n")
    res = runner.invoke(app, ["info", str(tmp_path / "m.csv")])
    assert res.exit_code == 0, res.output
    assert "sky positions (deg): ra 64.99927 .. 65.00408, dec -54.93940 .. -54.93660" in res.output, res.output
