"""A ';'-separated table saved as .txt or .dat is read as the ';' CSV it is.

European Excel writes ``;`` between fields and a decimal comma; renamed ``.txt`` (or ``.dat``), the file was
read by astropy's whitespace reader as one column named ``id;x;y`` and refused with "required column 'id'
missing (columns: id;x;y)". Now a header that splits on ';' into more cells than on blanks, with the rows
below of the same count (``is_semicolon_text``), is read by the CSV reader, decimal commas included; one
with a row of a field more or fewer is refused naming that line and the ';'.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, read_table

runner = CliRunner()


def test_info_reads_a_semicolon_txt_with_decimal_commas(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("id;x;y\n1;2,5;3\n2;4,75;5\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "rows: 2" in res.output and "x 2.5 .. 4.8" in res.output
    t = read_catalog(p)
    assert t["x"].tolist() == [2.5, 4.75]


def test_a_dat_with_bom_crlf_comment_and_text_cells(tmp_path):
    p = tmp_path / "c.dat"
    p.write_bytes("\ufeff# from Excel\r\nid;x;y;note\r\n1;2,5;3;NGC 628\r\n2;\u22121,5;3;\r\n".encode())
    t = read_catalog(p)
    assert t.colnames[:4] == ["id", "x", "y", "note"]
    assert t["x"].tolist() == [2.5, -1.5] and t["note"][0] == "NGC 628"


def test_read_table_reads_it_too(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("id;class_h1;class_h2\n007;2;2\n008;1;3\n")
    t = read_table(p)
    assert t["class_h2"].tolist() == [2, 3] and t["id"].tolist() == ["007", "008"]


def test_a_ragged_semicolon_txt_is_refused_naming_line_and_separator(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("id;x;y\n1;2,5;3\n2;3\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 2, res.output
    assert "separated by ';'" in res.output and "line 3 has 2 fields" in res.output
    assert "Traceback" not in res.output


def test_whitespace_tables_stay_whitespace(tmp_path):
    from starclass.io.catalog import is_semicolon_text

    p = tmp_path / "w.txt"
    p.write_text("id x y note\n1 2.5 3 a;b\n2 3.5 4 c;d\n")
    assert not is_semicolon_text(p)
    t = read_catalog(p)
    assert t["note"].tolist() == ["a;b", "c;d"] and t["x"].tolist() == [2.5, 3.5]
    q = tmp_path / "one.txt"
    q.write_text("id\n1;2\n")  # a header without ';' is no ';' table, whatever the rows hold
    assert not is_semicolon_text(q)
