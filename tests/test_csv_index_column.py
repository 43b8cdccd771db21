"""A CSV written by pandas' ``to_csv`` (index kept): its first header cell is empty.

Every CSV reader leaves that column out, with one warning naming the file: the catalogue and votes
readers made it a column ``col0``, the cutout-folder reader a column named ``''`` (``info`` listed
``col0 8`` among the columns of a labels.csv).
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.io.catalog import read_catalog
from starclass.io.cutout_folders import csv_header, read_cutout_folder
from starclass.learn.labels import read_votes

NOTE = "its first column has no name"


def test_catalogue_csv_with_pandas_index(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text(",id,x,y,class_ref\n0,1,10.5,20.5,1\n1,2,30.5,40.5,4\n")
    with pytest.warns(UserWarning, match=f"{p}: {NOTE}"):
        t = read_catalog(p)
    assert t.colnames[:3] == ["id", "x", "y"] and "col0" not in t.colnames
    assert t["id"].tolist() == [1, 2]


def test_votes_csv_with_pandas_index(tmp_path):
    p = tmp_path / "votes.csv"
    p.write_text(",id,class_h1,class_h2\n0,1,1,2\n1,2,4,4\n")
    with pytest.warns(UserWarning, match=NOTE):
        t = read_votes(p)
    assert t.colnames == ["id", "class_h1", "class_h2"]


def test_cutout_csv_with_pandas_index(tmp_path):
    from starclass.cli import app

    rng = np.random.default_rng(0)
    lines = [",file,label"]
    for k in range(4):
        np.save(tmp_path / f"c{k}.npy", rng.normal(0, 1, (16, 16)).astype(np.float32))
        lines.append(f"{k},c{k}.npy,{k % 2 + 1}")
    lines.append("4,,")  # a row that held only its index is blank
    p = tmp_path / "labels.csv"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match=NOTE):
        cs = read_cutout_folder(p)
    assert cs.table.colnames == ["file", "label"] and len(cs) == 4
    assert csv_header(p) == ["file", "label"]
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "distinct values per column: file 4, label 2" in res.output and NOTE in res.output


def test_named_first_column_and_empty_cell_elsewhere_are_kept(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id,x,y\n1,10.5,20.5\n")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_catalog(p).colnames[:3] == ["id", "x", "y"]
