"""read_csv_table (and the catalogue reader) refuse a directory, an empty or blank file and a binary one by name.

Before, ``read_csv_table`` raised IsADirectoryError on a directory, astropy's InconsistentTableError
("Number of header columns (0) inconsistent with data columns in data line 0") on a file with NUL bytes,
and returned a table of no columns for an empty one; ``info x.csv`` of a NUL-holding file said that
astropy message too, and of a blank one "required column 'id' missing (columns: none)". Now each is the
project's StarclassError naming the file (``refuse_non_text``), which the CLI says in one line, exit 2.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_csv_table

runner = CliRunner()


@pytest.mark.parametrize("case, said", [
    ("dir", "is a directory, not a table file"),
    ("empty", "is empty (0 bytes), not a table"),
    ("blank", "holds only blank lines, not a table"),
    ("nul_first", "line 1 holds a NUL byte"),
    ("nul_later", "line 3 holds a NUL byte"),
])
def test_read_csv_table_refuses_by_name(tmp_path, case, said):
    p = tmp_path / "out.csv"
    if case == "dir":
        p.mkdir()
    else:
        p.write_bytes({"empty": b"", "blank": b"\n  \r\n",
                       "nul_first": b"\0\0\0\0file,class_pred\na.png,1\n",
                       "nul_later": b"file,class_pred\na.png,1\n\0\0\0\0"}[case])
    with pytest.raises(StarclassError) as exc:
        read_csv_table(p)
    assert str(p) in str(exc.value) and said in str(exc.value), str(exc.value)


def test_utf16_and_a_header_only_file_still_read(tmp_path):
    p = tmp_path / "out.csv"
    p.write_bytes("file\tclass_pred\r\na.png\t1\r\n".encode("utf-16"))
    assert read_csv_table(p)["class_pred"].tolist() == [1]
    p.write_bytes("file,class_pred\na.png,1\n".encode("utf-16-le"))
    assert read_csv_table(p)["file"].tolist() == ["a.png"]
    p.write_text("file,class_pred\n")
    assert read_csv_table(p).colnames == ["file", "class_pred"]


@pytest.mark.parametrize("content, said", [
    (b"\0\0\0\0id,x,y\n1,2,3\n", "line 1 holds a NUL byte"),
    (b"\n  \n", "holds only blank lines, not a table"),
])
def test_info_and_evaluate_say_it_in_one_line(tmp_path, content, said):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    ref = tmp_path / "ref.csv"
    ref.write_text("file,class_pred\na.png,1\n")
    res = runner.invoke(app, ["info", str(bad)])
    assert res.exit_code == 2 and said in res.output and str(bad) in " ".join(res.output.split()), res.output
    assert "InconsistentTable" not in res.output and "columns: none" not in res.output
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(bad), "-r", str(ref), "-o", str(out)])
    flat = " ".join(res.output.split())
    assert res.exit_code == 2 and flat.startswith("error: prediction: ") and str(bad) in flat, res.output
    assert said in res.output and "Traceback" not in res.output and not out.exists()
