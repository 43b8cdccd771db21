"""A ';'-separated text table with a blank after each ';' reads as the same table without the blanks.

``id; x; y; label`` is how people type a ';' table by hand and how some European spreadsheet exports
write it. ``is_semicolon_text`` counted the blanks as separators, so the header split into as many
cells on blanks as on ';' and the file was not taken for a ';' table: astropy's whitespace reader made
its columns ``id;``, ``x;``, ``y;`` and ``info`` refused it with "required column 'id' missing (columns:
id;, x;, y;, label)". A ``.csv`` of the same lines read; a ``.txt`` did not.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import is_semicolon_text, read_catalog, read_table

runner = CliRunner()

_PLAIN = "id;x;y;label\n1;10,5;20,25;1\n2;30;40;2\n"


@pytest.mark.parametrize("padded", [
    "id; x; y; label\n1; 10,5; 20,25; 1\n2; 30; 40; 2\n",
    "id ; x ; y ; label\n1 ; 10,5 ; 20,25 ; 1\n2 ; 30 ; 40 ; 2\n",
    "# from Excel\nid;  x;\ty; label\n1;  10,5;\t20,25; 1\n2;  30;\t40; 2\n",
])
@pytest.mark.parametrize("suffix", [".txt", ".dat"])
def test_both_spellings_give_the_same_table(tmp_path, padded, suffix):
    plain, blanks = tmp_path / f"plain{suffix}", tmp_path / f"blanks{suffix}"
    plain.write_text(_PLAIN)
    blanks.write_text(padded)
    assert is_semicolon_text(blanks)
    a, b = read_catalog(plain), read_catalog(blanks)
    assert b.colnames == a.colnames
    for name in a.colnames:
        assert np.asarray(b[name]).tolist() == np.asarray(a[name]).tolist(), name
    assert a["x"].tolist() == [10.5, 30.0]
    ta, tb = read_table(plain), read_table(blanks)
    assert tb.colnames == ta.colnames == ["id", "x", "y", "label"]


def test_info_reads_the_padded_txt(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("id; x; y; label\n1; 10,5; 20,25; 1\n2; 30; 40; 2\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "rows: 2" in res.output and "columns (4): id, x, y, label" in res.output, res.output


def test_a_whitespace_table_with_semicolons_in_its_cells_stays_whitespace(tmp_path):
    p = tmp_path / "w.txt"
    p.write_text("id x note; remark\n1 2.5 a;b\n2 3.5 c;d\n")
    assert not is_semicolon_text(p)


def test_a_ragged_padded_txt_is_refused_as_a_semicolon_table(tmp_path):
    # its lines were counted in blank-separated words: "values are separated by blanks", of a ';' table
    p = tmp_path / "r.txt"
    p.write_text("id; x; y\n1; 2,5; 3\n2; 3\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "separated by ';'" in said and "line 3 has 2 fields" in said and "separated by blanks" not in said, said
