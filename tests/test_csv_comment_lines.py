"""A CSV's ``#`` lines are comments, skipped by every CSV reader; an ECSV named ``.csv`` is read as ECSV.

VizieR and TOPCAT exports, and hand-kept catalogues, start with ``#`` lines (the query, a note), and a source
is commented out among the rows. astropy's CSV reader has no comment lines: a ``#`` line above the header was
read as a header of one column and the file refused ("line 2 has 3 fields where the header (line 1) has 1"),
one among the rows as a row. Now the catalogue reader (``info``, ``evaluate``), the classified-list reader
(``read_csv_table``) and the cutout-list reader (``read_csv_rows``) skip them, and still name a bad row by its
file line; a ``#`` inside a quoted value or after the first cell is data.
"""

from __future__ import annotations

from pathlib import Path

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, read_csv_table
from starclass.io.cutout_folders import read_csv_rows

TOPCAT = ("# Table exported by TOPCAT\n#   query: NGC 628 clusters\nid,x,y,note\n1,10.5,20.0,ok\n"
          "# 2,11.0,21.0,left out by hand\n3,12.5,22.0,\"# kept\"\n4,13.0,23.0,a#b\n")


def test_info_reads_a_csv_with_comment_lines(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(TOPCAT)
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "rows: 3" in res.output
    assert "columns (4): id, x, y, note" in res.output


def test_read_catalog_skips_comments_and_keeps_hashes_in_values(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(TOPCAT)
    table = read_catalog(path)
    assert list(table["id"]) == [1, 3, 4]
    assert list(table["x"]) == [10.5, 12.5, 13.0]
    assert list(table["note"]) == ["ok", "# kept", "a#b"]


def test_read_csv_table_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("# classified by hand\nfile,class_pred\na.png,1\n  # b.png,2\n\"#c.png\",3\n")
    table = read_csv_table(path)
    assert table.colnames == ["file", "class_pred"]
    assert list(table["file"]) == ["a.png", "#c.png"]
    assert list(table["class_pred"]) == [1, 3]


def test_read_csv_rows_skips_comments_and_keeps_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("# labels of 2026-12-06\nfile,label\na.png,cluster\n# b.png,galaxy\n"
                    "c.png,\"star\n# not a comment\"\nd.png,#2\n")
    names, rows, lines = read_csv_rows(path)
    assert names == ["file", "label"]
    assert [r["file"] for r in rows] == ["a.png", "c.png", "d.png"]
    assert rows[1]["label"] == "star\n# not a comment"  # a quoted value running over lines keeps its '#' line
    assert rows[2]["label"] == "#2"
    assert lines == [3, 6, 7]


def test_read_csv_rows_names_the_file_line_of_a_long_row_after_comments(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("# one\n# two\nfile,label\na.png,cluster\n# three\nb.png,galaxy,extra\n")
    try:
        read_csv_rows(path)
    except Exception as exc:  # StarclassError
        message = str(exc)
    else:
        raise AssertionError("a row of 3 cells under a header of 2 was read")
    assert "(line 6 of the file) has 3 cells where the header (line 3) has 2" in message, message


def test_an_ecsv_named_csv_is_read_as_ecsv(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    Table({"id": [1, 2], "x": [1.5, 2.5], "y": [3.0, 4.0]}).write(path, format="ascii.ecsv")
    table = read_catalog(path)
    assert list(table["id"]) == [1, 2]
    assert list(table["x"]) == [1.5, 2.5]
    assert list(read_csv_table(path)["y"]) == [3.0, 4.0]


def test_info_reads_a_cutout_list_with_comment_lines_as_one(tmp_path: Path) -> None:
    # info tells a cutout list from a catalogue by its header: the '# ...' line was taken for it, and the list
    # was "a table of 2 rows, not a catalogue of candidates"
    import numpy as np
    from PIL import Image

    from starclass.io.cutout_folders import csv_header

    for name in ("a", "b", "c"):
        Image.fromarray(np.full((8, 8), 40, dtype=np.uint8)).save(tmp_path / f"{name}.png")
    path = tmp_path / "labels.csv"
    path.write_text("# labels by hand\nfile,label\na.png,cluster\n# b.png,galaxy\nc.png,galaxy\n")
    assert csv_header(path) == ["file", "label"]
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "cutouts: 2" in res.output
    assert "labels: cluster 1, galaxy 1" in res.output


def _two_fields(tmp_path: Path) -> None:
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        (tmp_path / f"{name}.ecsv").touch()


def test_a_survey_plan_csv_skips_comment_lines(tmp_path: Path) -> None:
    from starclass.survey.plan import read_plan

    _two_fields(tmp_path)
    # a note above the header was read as the header ("needs columns name and mosaics"), one among the rows
    # as a field named '# s2 later'
    (tmp_path / "plan.csv").write_text("# survey of NGC 628, 2026\nname,mosaics\nn,north\n  # s2,later\ns,south\n")
    assert read_plan(tmp_path / "plan.csv").field_names == ["n", "s"]


def test_a_fields_list_skips_indented_comment_lines(tmp_path: Path) -> None:
    from starclass.io.fields import read_fields_list

    _two_fields(tmp_path)
    # an unindented '#' line was skipped already; an indented one became a field ("# x/y does not exist")
    (tmp_path / "fields.csv").write_text("# fields\nname,mosaics,catalog\nn,north,north.ecsv\n"
                                         "  # s2,gone,gone.ecsv\ns,south,south.ecsv\n")
    assert [f.name for f in read_fields_list(tmp_path / "fields.csv")] == ["n", "s"]


def test_a_seed_preset_counts_skip_comment_lines(tmp_path: Path, monkeypatch) -> None:
    import starclass.simulate.star_clusters_dss as dss
    from starclass.simulate.seed_presets import SEED_PRESETS, write_seed_preset

    def write(config, outdir, overwrite=False, progress=None):  # a labels.csv with a note, as a hand edit leaves
        path = Path(outdir) / "labels.csv"
        path.parent.mkdir(parents=True)
        path.write_text("# simulated\nfile,label,class_name\na.png,0,open\n# b.png,1,globular\nc.png,1,globular\n")
        return path

    monkeypatch.setattr(dss, "write_open_globular", write)
    name = next(n for n in SEED_PRESETS if n not in ("cool-core", "galaxy-cluster"))
    _, counts = write_seed_preset(name, tmp_path / "seed")
    assert counts == {"open": 1, "globular": 1}


def test_a_header_written_as_a_comment_is_named(tmp_path: Path) -> None:
    # '#id,x,y' was skipped as a comment and the first row taken for the header: "required column 'id' missing
    # (columns: 1, 10.5, 20.0)", which did not say why
    path = tmp_path / "cat.csv"
    path.write_text("# exported by a pipeline\n#id,x,y\n1,10.5,20.0\n2,11.0,21.0\n")
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "line 2 '#id,x,y' looks like the header written as a comment; remove the '#'" in res.output
    assert "Traceback" not in res.output


def test_comment_lines_above_a_real_header_are_not_taken_for_one(tmp_path: Path) -> None:
    from starclass.io.catalog import commented_header

    path = tmp_path / "cat.csv"
    # a '#' line of as many fields above a header of its own: the file reads, its comment is no header
    path.write_text("#a,b,c\nid,x,y\n1,10.5,20.0\n")
    assert list(read_catalog(path)["id"]) == [1]
    # a row commented out above a headerless table is all numbers: not said to be a header
    path.write_text("# 0,1.0,2.0\n1,10.5,20.0\n")
    assert commented_header(path) is None
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 2 and "written as a comment" not in res.output, res.output


def test_a_cutout_list_header_written_as_a_comment_is_named(tmp_path: Path) -> None:
    import pytest

    from starclass.errors import StarclassError
    from starclass.io.cutout_folders import read_cutout_folder

    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(b"")
    path = tmp_path / "stamps.csv"
    path.write_text("#file,label\na.png,cluster\nb.png,galaxy\n")
    # was "no 'file' column ...; columns: ['a.png', 'cluster']" and a hint about the paths of column 'a.png'
    with pytest.raises(StarclassError, match=r"line 1 '#file,label' looks like the header written as a comment"):
        read_cutout_folder(path)


def test_a_plan_and_fields_list_with_excels_sep_line(tmp_path: Path) -> None:
    from starclass.io.fields import read_fields_list
    from starclass.survey.plan import read_plan

    _two_fields(tmp_path)
    # Excel's 'sep=;' line was taken for the header: the plan "needs columns name and mosaics (has sep=, )",
    # the fields list an AttributeError traceback
    (tmp_path / "plan.csv").write_text("sep=;\n# a note\nname;mosaics\nn;north\ns;south\n")
    assert read_plan(tmp_path / "plan.csv").field_names == ["n", "s"]
    (tmp_path / "fields.csv").write_text("sep=;\nname;mosaics;catalog\nn;north;north.ecsv\ns;south;south.ecsv\n")
    assert [f.name for f in read_fields_list(tmp_path / "fields.csv")] == ["n", "s"]
