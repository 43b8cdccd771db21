"""``starclass info`` says what a catalogue is as a person would, not by the reader's name.

Until 2026-12-06 the first line gave the format the reader goes by: ``(format ascii)`` of a ``;`` table
saved as ``.txt`` (astropy's name for the text tables it reads by guessing), ``(format legus)``,
``(format fits, a classified cutout folder)``; and ``info DIR``'s layout column said ``ascii; no class
column``. Now ``semicolon-separated text``, ``LEGUS``, ``FITS``, ``CSV, semicolon-separated``.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import FORMATS, read_catalog

runner = CliRunner()


@pytest.mark.parametrize(("name", "text", "words"), [
    ("c.txt", "id;x;y\n1;2,5;3\n", "semicolon-separated text"),
    ("c.txt", "id; x; y\n1; 2,5; 3\n", "semicolon-separated text"),
    ("c.dat", "id\tx\ty\n1\t2.5\t3\n", "tab-separated text"),
    ("c.txt", "id x y\n1 2.5 3\n", "whitespace-separated text"),
    ("c.txt", "id,x,y\n1,2.5,3\n", "comma-separated text"),
    ("c.csv", "id,x,y\n1,2.5,3\n", "CSV"),
    ("c.csv", "id;x;y\n1;2,5;3\n", "CSV, semicolon-separated"),
])
def test_info_names_a_text_table_by_its_separator(tmp_path, name, text, words):
    p = tmp_path / name
    p.write_text(text)
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    first = res.output.splitlines()[0]
    assert first == f"catalogue: {p} (format {words})", first


@pytest.mark.parametrize(("suffix", "words"), [(".ecsv", "ECSV"), (".fits", "FITS"), (".parquet", "Parquet")])
def test_info_names_binary_and_ecsv_tables(tmp_path, suffix, words):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    p = tmp_path / f"c{suffix}"
    Table({"id": [1, 2], "x": [2.5, 3.0], "y": [3.0, 4.0]}).write(p)
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == f"catalogue: {p} (format {words})", res.output


def test_no_reader_name_is_said_as_it_is():
    # every format a catalogue is read in has words of its own: none is said as the reader's lower-case name
    from starclass.io.catalog import format_words

    for fmt in FORMATS:
        assert format_words(fmt) != fmt, fmt


def test_the_layout_column_of_a_folder_says_it_too(tmp_path):
    (tmp_path / "semi.txt").write_text("id;x;y\n1;2,5;3\n")
    res = runner.invoke(app, ["info", str(tmp_path), "--out-format", "csv"])
    assert res.exit_code == 0, res.output
    assert "semicolon-separated text; no class column" in res.output and "ascii" not in res.output, res.output


def test_the_separator_is_a_record_of_this_read(tmp_path):
    # written back as ECSV, the table is no text table of ';' any more
    p = tmp_path / "c.txt"
    p.write_text("id;x;y\n1;2,5;3\n")
    t = read_catalog(p)
    assert t.meta["text_separator"] == ";"
    out = tmp_path / "c.ecsv"
    t.write(out)
    assert "text_separator" not in read_catalog(out).meta
