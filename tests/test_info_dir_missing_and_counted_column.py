"""``info DIR``: one spelling of "not given" in every format, and the class column n_1-n_4 count is named.

Before (2026-12-07): a catalogue with no inspected source had ``ci_cut`` ``--`` in the text table but ``nan`` in
``--out-format csv`` (read back as a number, a cut that came out wrong), and no format said which class column
``n_1``-``n_4`` counted (``class_ref``; a classified catalogue's ``class_pred`` is not counted). Now the cut is a
masked value in every format (``--`` in the text table, an empty cell in csv/ecsv, each read back as missing)
and a ``class_column`` column names the counted column.
"""

from __future__ import annotations

import numpy as np
from astropy.io import ascii
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _folder(tmp_path):
    d = tmp_path / "cats"
    d.mkdir()
    Table({"id": [1, 2, 3], "x": [5.0, 9.0, 1.0], "y": [3.0, 4.0, 2.0], "class_ref": [1, 4, 4],
           "ci": [1.4, 1.6, 2.0], "mag_f555w": [20.0, 21.0, 22.0]}).write(d / "people.ecsv")
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "mag_f555w": [20.0, 21.0]}).write(d / "plain.ecsv")
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_pred": [1, 2],
           "mag_f555w": [20.0, 21.0]}).write(d / "predicted.ecsv")
    return d


def _run(d, *fmt):
    res = runner.invoke(app, ["info", str(d), *fmt])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_csv_says_no_cut_as_a_missing_value_not_nan(tmp_path):
    d = _folder(tmp_path)
    out = _run(d, "--out-format", "csv")
    assert "nan" not in out.lower(), out
    t = ascii.read(out, format="csv")
    by_file = {str(r["file"]): r for r in t}
    assert by_file["people.ecsv"]["ci_cut"] == 1.4
    missing = dict(zip(t["file"], np.ma.getmaskarray(t["ci_cut"])))
    # read back as missing, not as a number
    assert missing == {"people.ecsv": False, "plain.ecsv": True, "predicted.ecsv": True}, out
    ecsv = ascii.read(_run(d, "--out-format", "ecsv"), format="ecsv")
    assert list(np.ma.getmaskarray(ecsv["ci_cut"])) == list(np.ma.getmaskarray(t["ci_cut"])), ecsv


def test_every_format_names_the_class_column_counted(tmp_path):
    d = _folder(tmp_path)
    t = ascii.read(_run(d, "--out-format", "csv"), format="csv")
    missing = np.ma.getmaskarray(t["class_column"])
    got = {str(f): (None if m else str(c)) for f, c, m in zip(t["file"], t["class_column"], missing)}
    assert got == {"people.ecsv": "class_ref", "plain.ecsv": None, "predicted.ecsv": None}, got
    text = _run(d).splitlines()
    assert "class_column" in text[0], text[0]
    (row,) = [s for s in text if s.strip().startswith("people ")]
    assert "class_ref" in row, row
    (row,) = [s for s in text if s.strip().startswith("plain ")]
    assert "nan" not in row and row.split().count("--") == 2, row  # no class column counted, no cut
