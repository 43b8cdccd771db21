"""Missing numbers spelled out ('--', 'null', 'N/A', ...) and typeset minus signs are read as numbers.

Before: the CSV and whitespace readers read only an empty cell and 'nan' as a missing number. astropy
writes a masked value as '--', databases and pandas 'null', 'NA', 'None', spreadsheets 'N/A' or '-':
such a column stayed text, and ``starclass info`` stopped with a ValueError traceback ("could not convert
string to float: '--'") on a magnitude column, a votes table was refused ("class '--' is not a number"),
and a paper's minus sign (U+2212) left a column of text. Now such a column (numbers and these spellings
only) is read as numbers, the missing cells masked as an empty cell is; other text columns stay text.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, read_csv_table
from starclass.learn.labels import read_votes, vote_matrix

SPELLINGS = ["--", "null", "NULL", "N/A", "#N/A", "NA", "None", "-", " -- "]


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("suffix,sep", [(".csv", ","), (".txt", " "), (".csv", "\t")])
def test_a_spelled_missing_magnitude_is_missing(tmp_path, spelling, suffix, sep):
    if sep == " " and " " in spelling:
        pytest.skip("a blank inside a cell is no cell of a whitespace table")
    rows = [["id", "x", "y", "mag_f555w", "name"], ["1", "10.5", "20.0", "21.5", "a"],
            ["2", "30.0", "40.0", spelling, "-"], ["3", "50.0", "60.0", "23.0", "c"]]
    p = tmp_path / f"cat{suffix}"
    p.write_text("\n".join(sep.join(r) for r in rows) + "\n")
    t = read_catalog(p)
    mag = np.asarray(t["mag_f555w"], dtype=float)
    assert mag[0] == 21.5 and np.isnan(mag[1]) and mag[2] == 23.0
    assert t["name"].tolist() == ["a", "-", "c"]  # a text column keeps its '-'
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "21.500 /  22.250 /  23.000   n=2" in res.output, res.output


def test_typeset_minus_signs_are_numbers(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id,x,y,mag_f555w,colour_ub\n1,10.5,20.0,21.5,\u22120.25\n2,30.0,40.0,22.0,0.5\n")
    t = read_catalog(p)
    assert t["colour_ub"].dtype.kind == "f" and t["colour_ub"].tolist() == [-0.25, 0.5]


def test_semicolon_decimal_commas_with_spelled_missing_values(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id;x;y;mag_f555w\n1;10,5;20,0;21,5\n2;30,0;40,0;N/A\n3;50,0;60,0;\u221223,0\n")
    t = read_catalog(p)
    mag = np.asarray(t["mag_f555w"], dtype=float)
    assert t["x"].tolist() == [10.5, 30.0, 50.0] and mag[0] == 21.5 and np.isnan(mag[1]) and mag[2] == -23.0


@pytest.mark.parametrize("spelling", ["--", "null", "N/A", "None"])
def test_a_spelled_missing_vote_is_no_vote(tmp_path, spelling):
    p = tmp_path / "votes.csv"
    p.write_text(f"id,class_h1,class_h2\n1,1,2\n2,{spelling},4\n3,2,1\n")
    blank = tmp_path / "blank.csv"
    blank.write_text("id,class_h1,class_h2\n1,1,2\n2,,4\n3,2,1\n")
    cols = ["class_h1", "class_h2"]
    assert vote_matrix(read_votes(p), cols).tolist() == vote_matrix(read_votes(blank), cols).tolist()


def test_a_classified_list_reads_spelled_missing_numbers(tmp_path):
    p = tmp_path / "out.csv"
    p.write_text("file,class_pred,prob_1\na.png,1,0.9\nb.png,--,--\n")
    t = read_csv_table(p)
    assert t["prob_1"].dtype.kind == "f" and t["prob_1"].mask.tolist() == [False, True]
    assert t["class_pred"].dtype.kind == "i" and t["class_pred"].mask.tolist() == [False, True]
