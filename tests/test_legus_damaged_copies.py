"""Damaged copies of a LEGUS .tab: each said by file, line and column, with what to do.

Before 2026-12-06: a copy whose RA, Dec (columns 4, 5) were written as sexagesimal text was taken for a
table with a header line and refused as "required column 'id' missing (columns: col1, col2, ...)"; a file
cut short in a download said only "line N: 27 columns, the first row has 35"; a comment line among the
rows (a source commented out) was skipped without a word; and ``evaluate --catalogs DIR`` left a damaged
file out saying "1 left out" on the terminal, the file and its fault in ``tables/skipped.ecsv`` alone.
"""

from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

runner = CliRunner()


def _folder(tmp_path, n=120):
    return write_fake_legus_folder(tmp_path / "legus", n=n)


def _edit(path, edit) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")


def _sexagesimal(lines, only=None):
    out = []
    for k, line in enumerate(lines, start=1):
        t = line.split()
        if only is None or k == only:
            ra, dec = float(t[3]), float(t[4])
            h = ra / 15
            t[3] = f"{int(h):02d}:{int(h * 60) % 60:02d}:{(h * 3600) % 60:05.2f}"
            sign, d = ("-" if dec < 0 else "+"), abs(dec)
            t[4] = f"{sign}{int(d):02d}:{int(d * 60) % 60:02d}:{(d * 3600) % 60:04.1f}"
        out.append(" ".join(t))
    return out


@pytest.mark.parametrize("command", ["info", "evaluate"])
def test_sexagesimal_positions_are_named_by_line_and_column(tmp_path, command):
    folder = _folder(tmp_path)
    path = sorted(folder.glob("*.tab"))[0]
    _edit(path, _sexagesimal)
    out = tmp_path / "out"
    args = ["info", str(path)] if command == "info" else ["evaluate", "--catalogs", str(path), "-o", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert f"{path.name}, line 1: column 4 (RA, in degrees) holds '" in res.output, res.output
    assert "sexagesimal text" in res.output and "required column 'id'" not in res.output
    assert not out.exists()


def test_a_sexagesimal_dec_on_one_row_is_named(tmp_path):
    path = sorted(_folder(tmp_path).glob("*.tab"))[0]

    def dec_only(lines):
        t = lines[4].split()
        t[4] = "-30d00m01.2s"
        lines[4] = " ".join(t)
        return lines

    _edit(path, dec_only)
    with pytest.raises(StarclassError, match=r", line 5: column 5 \(Dec, in degrees\) holds '-30d00m01.2s', "
                                             r"sexagesimal text.*unit='deg'"):
        read_catalog(path, require_xy=False)


def test_a_file_cut_mid_row_says_so(tmp_path):
    path = sorted(_folder(tmp_path).glob("*.tab"))[0]
    text = path.read_text()
    path.write_text(text[: len(text) - 40])  # a download cut short: the last row loses its last columns
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert ", line 120: " in res.output and "the first row has 34" in res.output
    assert "the file ends mid-row" in res.output, res.output
    # a short row before the last is a row that lost a column, not a cut file
    path.write_text(text)
    _edit(path, lambda lines: [*lines[:9], " ".join(lines[9].split()[:-1]), *lines[10:]])
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2 and ", line 10: 33 columns, the first row has 34" in res.output
    assert "mid-row" not in res.output


def test_a_comment_line_among_the_rows_is_warned_of_by_line(tmp_path):
    path = sorted(_folder(tmp_path).glob("*.tab"))[0]
    _edit(path, lambda lines: ["# LEGUS catalogue, edited", *lines[:49], "# " + lines[49], *lines[50:]])
    with pytest.warns(UserWarning, match=r"1 comment line among the rows skipped, not read as a source "
                                         r"\(line 51: '# "):
        t = read_catalog(path, require_xy=False)
    assert len(t) == 119  # the commented-out source is not read
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0 and "line 51" in res.output and "comment line" in res.output
    # comments above the rows are a header, as before: no word
    _edit(path, lambda lines: [ln for ln in lines if not ln.startswith("# ") or "edited" in ln])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_catalog(path, require_xy=False)) == 119


def test_catalogs_names_a_damaged_file_on_the_terminal(tmp_path):
    folder = _folder(tmp_path)
    path = sorted(folder.glob("*.tab"))[0]
    text = path.read_text()
    path.write_text(text[: len(text) - 40])
    res = runner.invoke(app, ["evaluate", "--catalogs", str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert f"--catalogs: left out, cannot be read: {path}, line 120: " in res.output, res.output
    assert "the file ends mid-row" in res.output
    assert f"(1 left out: {tmp_path / 'out' / 'tables' / 'skipped.ecsv'} says why)" in res.output


def test_a_first_row_that_lost_a_column_is_the_one_named(tmp_path):
    # the first row set the count: "line 2: 34 columns, the first row has 33" blamed every good row
    path = sorted(_folder(tmp_path).glob("*.tab"))[0]
    _edit(path, lambda lines: [" ".join(lines[0].split()[:20] + lines[0].split()[21:]), *lines[1:]])
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"{path.name}, line 1: 33 columns, where 119 of the 120 rows have 34" in " ".join(res.output.split())
