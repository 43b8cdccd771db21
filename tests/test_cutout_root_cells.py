"""An empty or NaN ``cutout_root`` cell of a classified cutout table records nothing.

Read as text it was the folder "nan" (suggest --labels matched nothing, inspect --stamps found no
file), an all-empty column was a TypeError traceback, and a column filled for some rows only
(two runs concatenated) sent the other rows to the table's own folder without a word.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

FILES = [f"g/o{k:03d}.png" for k in range(6)]
P1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])


def _model(d):
    """An untrained compact m31-binary model: enough for suggest's checks."""
    from starclass.learn.checkpoint import write_untrained_model

    return write_untrained_model(d, get_preset("m31-binary-compact"))


def _folder(root):
    for f in FILES:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((8, 8), 10 * FILES.index(f), np.uint8)).save(root / f)
    (root / "labels.csv").write_text("file,label\n" + "".join(f"{f},cluster\n" for f in FILES))


def _classified(path, model, roots):
    t = Table({"file": FILES, "class_pred": np.where(P1 >= 0.5, 1, 2), "prob_1": P1, "prob_2": 1 - P1,
               "model": [str(model)] * 6, "cutout_root": roots})
    t.write(path, format="ascii.ecsv" if str(path).endswith(".ecsv") else "ascii.csv")


@pytest.mark.parametrize("cell", ["nan", "NaN", ""])
def test_suggest_reads_an_unrecorded_root_as_not_recorded(tmp_path, cell):
    """Every candidate is labelled in the folder the CSV lies in: nothing to suggest (exit 2)."""
    _folder(tmp_path)
    model = _model(tmp_path / "m")
    _classified(tmp_path / "out.csv", model, [cell] * 6)
    res = CliRunner().invoke(app, ["suggest", str(model), str(tmp_path / "out.csv"), "-o", str(tmp_path / "s.csv"),
                                   "-n", "3", "--labels", str(tmp_path / "labels.csv")])
    assert res.exit_code == 2, res.output
    assert "every one of the 6 cutouts already has a label" in res.output, res.output
    assert "Traceback" not in res.output and not (tmp_path / "s.csv").exists()


def test_suggest_refuses_a_root_recorded_for_some_rows_only(tmp_path):
    _folder(tmp_path)
    model = _model(tmp_path / "m")
    _classified(tmp_path / "out.csv", model, [str(tmp_path)] * 3 + ["nan"] * 3)
    res = CliRunner().invoke(app, ["suggest", str(model), str(tmp_path / "out.csv"), "-o", str(tmp_path / "s.csv"),
                                   "-n", "3", "--labels", str(tmp_path / "labels.csv")])
    assert res.exit_code == 2, res.output
    assert "out.csv: row 4: empty 'cutout_root' while row 1 records" in res.output, res.output
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize("cell", ["nan", ""])
def test_inspect_stamps_serves_the_lists_own_folder_for_an_unrecorded_root(tmp_path, cell):
    from starclass.inspect.cutouts import read_cutout_list

    _folder(tmp_path)
    _classified(tmp_path / "out.csv", tmp_path / "m", [cell] * 6)
    cl = read_cutout_list(tmp_path / "out.csv", get_preset("m31-real"))
    assert [p[0] for p in cl.paths] == [(tmp_path / f).resolve() for f in FILES]


def test_inspect_stamps_refuses_a_root_recorded_for_some_rows_only(tmp_path):
    from starclass.inspect.cutouts import read_cutout_list

    _folder(tmp_path / "a")
    (tmp_path / "b").mkdir()
    _classified(tmp_path / "b" / "out.ecsv", tmp_path / "m", [str(tmp_path / "a")] * 5 + [""])
    with pytest.raises(StarclassError, match=r"out.ecsv: row 6: empty 'cutout_root' while row 1 records"):
        read_cutout_list(tmp_path / "b" / "out.ecsv", get_preset("m31-real"))


def test_recorded_roots_of_a_column_read_as_numbers_or_masked():
    """A CSV column of NaN is read as floats, an all-empty one as masked integers: neither records a folder."""
    from starclass.io.cutout_folders import recorded_roots

    assert recorded_roots(Table({"cutout_root": [np.nan, np.nan]}), "t") is None
    masked = Table({"cutout_root": np.ma.array([0, 0], mask=[True, True])}, masked=True)
    assert recorded_roots(masked, "t") is None
    meta = Table({"file": ["a.png"]}, meta={"cutout_root": "/data"})
    assert recorded_roots(meta, "t") == ["/data"]


def test_a_classified_table_written_elsewhere_is_read_from_its_recorded_folder(tmp_path):
    """classify --stamps DATA -o /results/c.csv, then classify --stamps /results/c.csv (another model) or
    info: every row was "no such file", looked for beside the CSV; its cutout_root names the folder.
    A folder moved together with its table (the recorded absolute folder gone) is still read beside it."""
    import shutil

    from starclass.io.cutout_folders import listed_files, read_cutout_folder

    data, results = tmp_path / "data", tmp_path / "results"
    for k, f in enumerate(FILES[:3]):
        (data / f).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((8, 8), 40 * k, np.uint8)).save(data / f)
    results.mkdir()
    rows = "".join(f"{f},galaxy,{data}\n" for f in FILES[:3])
    (results / "c.csv").write_text("file,label,cutout_root\n" + rows)
    cs = read_cutout_folder(results / "c.csv")
    assert cs.root == data and cs.images[:, 0, 0, 0].tolist() == pytest.approx([0, 40 / 255, 80 / 255])
    # suggest --labels and the output checks list the same files
    assert listed_files(results / "c.csv", absolute=True) == [str((data / f).resolve()) for f in FILES[:3]]
    # moved: the table beside the cutouts, the recorded folder no longer there
    moved = tmp_path / "moved"
    shutil.copytree(data, moved)
    (moved / "c.csv").write_text("file,label,cutout_root\n" + rows)
    shutil.rmtree(data)
    assert read_cutout_folder(moved / "c.csv").images.shape == (3, 1, 8, 8)
    assert listed_files(moved / "c.csv", absolute=True) == [str((moved / f).resolve()) for f in FILES[:3]]


@pytest.mark.parametrize("suffix", [".ecsv", ".csv"])
def test_inspect_reads_a_relative_root_from_the_lists_folder(tmp_path, monkeypatch, suffix):
    """A relative cutout_root (a hand edit: ../data) is relative to the list's folder, as read_cutout_folder
    reads it; inspect --stamps took it relative to the working directory and found no file."""
    from starclass.inspect.cutouts import read_cutout_list

    _folder(tmp_path / "data")
    (tmp_path / "results").mkdir()
    _classified(tmp_path / "results" / f"out{suffix}", tmp_path / "m", ["../data"] * 6)
    elsewhere = tmp_path / "x" / "y"  # where ../data is no folder
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    cl = read_cutout_list(tmp_path / "results" / f"out{suffix}", get_preset("m31-real"))
    assert [p[0] for p in cl.paths] == [(tmp_path / "data" / f).resolve() for f in FILES]


def test_suggest_reads_a_relative_root_from_the_candidates_folder(tmp_path, monkeypatch):
    """suggest --labels took a relative cutout_root (../data) from the working directory: none of the
    candidates was found labelled, and all were suggested again."""
    _folder(tmp_path / "data")
    model = _model(tmp_path / "m")
    (tmp_path / "results").mkdir()
    _classified(tmp_path / "results" / "out.csv", model, ["../data"] * 6)
    elsewhere = tmp_path / "x" / "y"  # where ../data is no folder
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    res = CliRunner().invoke(app, ["suggest", str(model), str(tmp_path / "results" / "out.csv"), "-o",
                                   str(tmp_path / "s.csv"), "-n", "3",
                                   "--labels", str(tmp_path / "data" / "labels.csv")])
    assert res.exit_code == 2, res.output
    assert "every one of the 6 cutouts already has a label" in res.output, res.output
