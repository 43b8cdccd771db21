"""A ';'-separated CSV whose header has a comma in a column name is read on its ';'.

The separator was the header's comma if it had one: a European spreadsheet's CSV with a column
``comment, free`` (or ``x, px``) was split on commas. ``info cat.csv`` then said "cannot read cat.csv as
csv: InconsistentTableError: Number of header columns (2) inconsistent with data columns in data line
0", and a cutout folder's labels.csv was taken for a catalogue and refused so. Now the separator is the
one that splits the header and the lines below into as many cells, the most of all (``_separator``);
a comma-separated file with ';' in its cells is read on its commas, as before.
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import csv_dialect, read_catalog
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.labels import read_votes

runner = CliRunner()


def test_a_catalogue_with_a_comma_in_a_header_name(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_bytes(b"\xef\xbb\xbfid;x;y;comment, free\r\n1;10,5;3,5;round, faint\r\n2;11,5;4,5;x\r\n")
    t = read_catalog(p)
    assert t.colnames == ["id", "x", "y", "comment, free"]
    assert t["x"].tolist() == [10.5, 11.5] and t["comment, free"].tolist() == ["round, faint", "x"]
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "rows: 2" in res.output, res.output


def test_one_comma_on_every_line_is_no_comma_separator(tmp_path):
    # split on commas every line had two cells, as the header: read as two wrong columns before
    p = tmp_path / "votes.csv"
    p.write_text("id;class_h1;note, free\n1;2;a\n2;1;b\n3;2;c\n")
    t = read_votes(p)
    assert t.colnames == ["id", "class_h1", "note, free"] and t["class_h1"].tolist() == [2, 1, 2]


def test_a_cutout_folder_with_a_comma_in_a_header_name(tmp_path):
    for i in range(2):
        np.save(tmp_path / f"c{i}.npy", np.ones((8, 8), np.float32) * i)
    p = tmp_path / "labels.csv"
    p.write_text("file;label;comment, free\nc0.npy;cluster;round, faint\nc1.npy;galaxy;x\n")
    assert csv_dialect(p) == ("utf-8-sig", ";")
    cs = read_cutout_folder(p, require_group=False)
    assert cs.labels.tolist() == ["cluster", "galaxy"] and cs.table["comment, free"][0] == "round, faint"
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "labels: cluster 1, galaxy 1" in res.output, res.output


def test_a_comma_separated_file_with_semicolons_in_its_cells(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text('id,x,y,pred_set\n1,10.5,3.5,"1;2"\n2,11.5,4.5,1;2\n')
    t = read_catalog(p)
    assert t.colnames == ["id", "x", "y", "pred_set"] and t["pred_set"].tolist() == ["1;2", "1;2"]
