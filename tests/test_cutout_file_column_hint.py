"""A list of cutouts whose files are in a column not named ``file`` is named as such, with the rename to make.

Other tools write ``filename,class`` (or ``path``, ``image``). Until 2026-12-05 ``info LIST.csv`` read such
a list as a catalogue and said "required column 'id' missing ... name a column 'id' in the file", and
``train --stamps`` / ``classify --stamps`` said "no 'file' column" with the columns but not which one holds
the files. Every one now names the column whose cells are image files and says to rename it ``file``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _list(root: Path, header: str = "filename,class,object_id") -> Path:
    rng = np.random.default_rng(0)
    lines = [header]
    for i, lab in enumerate(["cluster", "galaxy"] * 3):
        (root / lab).mkdir(exist_ok=True)
        np.save(root / lab / f"obj {i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/obj {i}.npy,{lab},O{i}")
    (root / "cutouts.csv").write_text("\n".join(lines) + "\n")
    return root / "cutouts.csv"


def _said(res) -> str:
    return " ".join(res.output.split())


def test_info_names_the_files_column(tmp_path):
    res = runner.invoke(app, ["info", str(_list(tmp_path))])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "required column 'id'" not in said
    assert "column 'filename' names image files: rename it 'file'" in said


def test_info_names_the_files_column_below_excels_separator_line(tmp_path):
    """The same list saved with ';' and Excel's 'sep=;' line above the header: info took 'sep=' for the header and
    said "a table of 6 rows, not a catalogue of candidates", with no word of the files column."""
    listed = _list(tmp_path)
    listed.write_text("sep=;\n" + listed.read_text().replace(",", ";"))
    res = runner.invoke(app, ["info", str(listed)])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "not a catalogue" not in said and "column 'filename' names image files: rename it 'file'" in said, said


@pytest.mark.parametrize("ids", ["O0,O0,O1,O2,O3,O4", "O0,O1,O2,O3,O4,O5"])
def test_info_names_the_files_column_beside_an_id_column(tmp_path, ids):
    """Another team's list, ``filename,class,id,RA,Dec``, the object's id in ``id``: info read it as a catalogue and
    said "duplicate id O0 ... (rows 1, 2)" where two cutouts show one object, and with every id distinct it
    described a catalogue (exit 0) that train and classify then refused. Both now get the files column's rename."""
    listing = _list(tmp_path, header="filename,class,id")
    lines = listing.read_text().splitlines()
    lines = ["filename,class,id,RA,Dec"] + [",".join(line.split(",")[:2] + [i, "10.5", "41.2"])
                                            for line, i in zip(lines[1:], ids.split(","))]
    listing.write_text("\n".join(lines) + "\n")
    res = runner.invoke(app, ["info", str(listing)])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "duplicate id" not in said and "catalogue" not in said, said
    assert "column 'filename' names image files: rename it 'file'" in said, said


def test_a_catalogue_with_positions_and_thumbnails_is_still_a_catalogue(tmp_path):
    """A catalogue with pixel positions whose rows name a picture each stays a catalogue."""
    cat = tmp_path / "cat.csv"
    cat.write_text("id,x,y,thumb\n1,10.0,12.0,t1.png\n2,30.0,31.0,t2.png\n")
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 0, res.output
    assert "names image files" not in _said(res)


@pytest.mark.parametrize("verb", ["train", "classify"])
def test_train_and_classify_name_the_files_column(tmp_path, verb):
    listing = _list(tmp_path)
    if verb == "train":
        args = ["train", "--task", "m31-real", "--stamps", str(listing), "-o", str(tmp_path / "m")]
    else:
        model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
        args = ["classify", "--stamps", str(listing), "--model", str(model), "-o", str(tmp_path / "out.csv")]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "column 'filename' names image files: rename it 'file'" in _said(res)
    assert not (tmp_path / "m").exists() and not (tmp_path / "out.csv").exists()


def test_a_catalogue_is_no_list_of_cutouts():
    from starclass.io.cutout_folders import image_file_columns

    assert image_file_columns(["id", "x", "note"], [{"id": "1", "x": "2.0", "note": "a.png nearby"}]) == []
    assert image_file_columns(["path", "label"], [{"path": "a.PNG", "label": "x"}, {"path": "", "label": "y"}]) \
        == ["path"]


def test_info_points_to_a_label_like_column(tmp_path):
    """The list renamed to file,class,id: info said "labels: none (no 'label' column): classify only" and nothing
    of 'class', where train and classify point to it (--label-column class)."""
    listing = _list(tmp_path, header="file,class,id")
    res = runner.invoke(app, ["info", str(listing)])
    assert res.exit_code == 0, res.output
    said = _said(res)
    assert "labels: none (no 'label' column): classify only (column 'class' may hold them" in said, said
    assert "--label-column class" in said, said
    plain = tmp_path / "plain.csv"
    plain.write_text("file,id\n" + "".join(f"{line.split(',')[0]},{i}\n"
                                             for i, line in enumerate(listing.read_text().splitlines()[1:])))
    res = runner.invoke(app, ["info", str(plain)])
    assert res.exit_code == 0 and "may hold them" not in _said(res), res.output
