"""A CSV row with more fields than its header is named by its file line, with both counts, by every reader.

Before, astropy's words came through: "Number of header columns (3) inconsistent with data columns in data
line 1", its data line counted from 0 after the header, where the row is line 3 of the file. The catalogue
reader (``info``, ``evaluate``), the votes reader (``read_table``), the classified-list reader (``evaluate
OUT.csv``), inspect's ``--stamps`` list and ``--predictions`` readers, and the cutout-list reader
(``train/classify --stamps``, which said the line but no counts) now say "line L has N fields (cells) where
the header (line H) has M".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_table

CATALOGUE = "id,x,y\n1,2,3\n4,5,6,7\n"


def test_info_names_the_file_line_of_a_long_row(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CATALOGUE)
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "data line" not in res.output
    assert res.output.startswith(f"error: cannot read {path} as a table: line 3 has 4 fields where the header "
                                 "(line 1) has 3; a value with a comma in it goes in double quotes"), res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("text, line, header", [
    # Excel's separator line above the header and a blank line between rows are lines of the file too
    ("sep=;\nid;x;y\n1;2;3\n\n4;5;6;7\n", 5, 2),
    # a quoted value running over two lines: the row after it starts two lines on
    ('id,name,y\n1,"two\nlines",3\n4,5,6,7\n', 4, 1),
    # the header itself shorter than the first row
    ("id,x\n1,2,3\n", 2, 1),
])
def test_lines_are_counted_as_an_editor_counts_them(tmp_path: Path, text: str, line: int, header: int) -> None:
    path = tmp_path / "c.csv"
    path.write_text(text)
    with pytest.raises(StarclassError, match=rf"{path.name} as a table: line {line} has \d fields where the header "
                                             rf"\(line {header}\)"):
        read_table(path)


def test_a_quoted_separator_and_a_trailing_empty_cell_are_not_ragged(tmp_path: Path) -> None:
    from starclass.io.catalog import csv_ragged_line

    path = tmp_path / "c.csv"
    path.write_text('id,x,note\n1,2,"a, b"\n4,5,\n')
    assert csv_ragged_line(path) is None
    assert read_table(path)["note"].tolist()[0] == "a, b"


def _classified(tmp_path: Path) -> Path:
    path = tmp_path / "classified.csv"
    path.write_text("file,label,class_pred,prob_1,prob_2\na.png,cluster,1,0.9,0.1\n"
                    "b.png,cluster,2,0.2,0.8,0.5\n")
    return path


def test_evaluate_names_the_line_of_a_classified_list(tmp_path: Path) -> None:
    path = _classified(tmp_path)
    res = CliRunner().invoke(app, ["evaluate", str(path), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert f"cannot read {path} as a table: line 3 has 6 fields where the header (line 1) has 5" in res.output
    assert "data line" not in res.output
    assert not (tmp_path / "ev").exists()


def test_read_cutout_output_names_the_line(tmp_path: Path) -> None:
    from starclass.io.cutout_output import read_cutout_output

    path = _classified(tmp_path)
    with pytest.raises(StarclassError, match=r"^prediction: cannot read .* line 3 has 6 fields where the header "
                                             r"\(line 1\) has 5"):
        read_cutout_output(path, "prediction")


def test_inspect_readers_name_the_line(tmp_path: Path) -> None:
    from starclass.inspect.cutouts import _read_listed_table
    from starclass.inspect.field import _read_predictions

    path = _classified(tmp_path)
    with pytest.raises(StarclassError, match=r"^--stamps: cannot read .* line 3 has 6 fields where the header"):
        _read_listed_table(path, None)
    with pytest.raises(StarclassError, match=r"^predictions: cannot read .* line 3 has 6 fields where the header"):
        _read_predictions(path)


def test_the_cutout_list_reader_says_both_counts(tmp_path: Path) -> None:
    from starclass.io.cutout_folders import read_csv_rows

    path = tmp_path / "labels.csv"
    path.write_text("file;label\n\na.png;cluster\nb.png;cluster;extra\n")
    with pytest.raises(StarclassError, match=r"row 2 \(line 4 of the file\) has 3 cells where the header \(line 1\) "
                                             "has 2; a value with a semicolon in it goes in double quotes"):
        read_csv_rows(path)


# --- a row with fewer fields than the header: astropy filled it with blanks, and the message blamed a column


def test_info_refuses_a_short_row_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("id,x,y\n1,2,3\n4,5\n")
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert res.output.strip() == (f"error: cannot read {path} as a table: line 3 has 2 fields where the header "
                                  "(line 1) has 3; a row needs a cell for every column: leave a missing value empty "
                                  "but keep its comma"), res.output


def test_a_trailing_separator_is_a_blank_cell_not_a_short_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,x,y,mag\n1,2,3,20.5\n4,5,6,\n")
    table = read_table(path)
    assert table["mag"].mask.tolist() == [False, True]
    assert table["id"].tolist() == [1, 4]


@pytest.mark.parametrize("text, line, n, header", [
    ("sep=;\nid;x;y\n1;2;3\n\n4;5\n", 5, 2, 2),
    ("id\tx\ty\n1\t2\t3\n4\t5\n", 3, 2, 1),
])
def test_votes_and_spreadsheet_csvs_refuse_a_short_row(tmp_path: Path, text: str, line: int, n: int,
                                                      header: int) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(text)
    with pytest.raises(StarclassError, match=rf"line {line} has {n} fields where the header \(line {header}\) has 3"):
        read_table(path)


def test_evaluate_and_inspect_refuse_a_short_row_of_a_classified_list(tmp_path: Path) -> None:
    from starclass.inspect.field import _read_predictions
    from starclass.io.cutout_output import read_cutout_output

    path = tmp_path / "classified.csv"
    path.write_text("file,label,class_pred,prob_1,prob_2\na.png,cluster,1,0.9,0.1\nb.png,cluster,2,0.2\n")
    with pytest.raises(StarclassError, match=r"^prediction: .* line 3 has 4 fields where the header \(line 1\) has 5"):
        read_cutout_output(path, "prediction")
    with pytest.raises(StarclassError, match=r"^predictions: .* line 3 has 4 fields where the header"):
        _read_predictions(path)
    res = CliRunner().invoke(app, ["evaluate", str(path), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "line 3 has 4 fields where the header (line 1) has 5" in res.output
    assert not (tmp_path / "ev").exists()


def test_a_row_after_comment_lines_is_named_by_its_file_line(tmp_path: Path) -> None:
    # '#' lines are comments (tests/test_csv_comment_lines.py), skipped but counted: line 6 of the file
    path = tmp_path / "c.csv"
    path.write_text("# from VizieR\n# a note\nid,x,y\n1,2,3\n# 2 left out\n4,5,6,7\n")
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "line 6 has 4 fields where the header (line 3) has 3; a value with a comma" in res.output
