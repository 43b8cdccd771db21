"""A list of cutouts given as an ECSV, Parquet or FITS table is read as its CSV is (issue 12: other people's data).

Astronomers keep their tables as ECSV or FITS, and ``classify --stamps -o out.ecsv`` writes one. Until
2026-12-06 ``train``, ``classify``, ``calibrate``, ``explain`` and ``info`` took a list of cutouts only from a
``.csv``: ``train --stamps labels.ecsv`` was told to write the table as CSV, ``classify --stamps`` "give a
cutout folder (a .csv or a directory)", ``info labels.fits`` "a table of 6 rows, not a catalogue of
candidates". Such a table is now read through :func:`starclass.io.cutout_output.read_table_as`, its rows
named by number (a table has no CSV lines), a classified table's recorded folder and group column taken
from its meta as a CSV's are from its columns. A candidate catalogue (no file column) and a FITS image are
still no list.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()
SUFFIXES = [".ecsv", ".fits", ".parquet"]


def _list(root: Path, suffix: str) -> Path:
    """Eight small NPY cutouts of four objects in ``root/cuts``, listed in ``root/list<suffix>``."""
    rng = np.random.default_rng(5)
    (root / "cuts").mkdir(parents=True)
    files, labels, objects = [], [], []
    for i in range(8):
        a = rng.normal(0.0, 1.0, (16, 16)).astype(np.float32)
        if i % 2 == 0:
            a[6:10, 6:10] += 6.0
        np.save(root / "cuts" / f"c{i}.npy", a)
        files.append(f"cuts/c{i}.npy")
        labels.append("cluster" if i % 2 == 0 else "galaxy")
        objects.append(f"O{i % 2}" if i < 4 else f"P{i}")  # two objects with two cutouts each
    t = Table({"file": files, "label": labels, "object_id": objects, "notes": ["a, b"] * 8})
    out = root / f"list{suffix}"
    t.write(out, format={".ecsv": "ascii.ecsv", ".fits": "fits", ".parquet": "parquet"}[suffix])
    return out


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_table_list_reads_as_its_csv(tmp_path, suffix):
    lst = _list(tmp_path, suffix)
    t = Table.read(lst)
    t.write(tmp_path / "list.csv", format="ascii.csv")
    got = read_cutout_folder(lst, group_column="object_id")
    want = read_cutout_folder(tmp_path / "list.csv", group_column="object_id")
    assert got.files == want.files and got.labels.tolist() == want.labels.tolist()
    assert got.groups.tolist() == want.groups.tolist() and np.array_equal(got.images, want.images)
    assert got.table["notes"].tolist() == ["a, b"] * 8
    res = runner.invoke(app, ["info", str(lst)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "table of cutouts" in said and "cutouts: 8" in said and "labels: cluster 4, galaxy 4" in said


def test_train_classify_and_classify_again_from_ecsv_and_fits(tmp_path):
    lst = _list(tmp_path / "data", ".fits")
    task = tmp_path / "small.yaml"
    task.write_text("extends: m31-real\nstamp_size: 16\nrecipe: {epochs: 1, batch_size: 4}\n")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(lst), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert "8 images of 16 px of 6 objects (object_id)" in " ".join(res.output.split())
    out = tmp_path / "run" / "out.ecsv"
    out.parent.mkdir()
    res = runner.invoke(app, ["classify", "--stamps", str(lst), "--model", str(tmp_path / "m"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    first = Table.read(out)
    assert len(first) == 8 and first["class_ref"].tolist() == [1, 2] * 4
    # the classified ECSV, elsewhere than its cutouts, read as a list: its files through its recorded folder
    again = tmp_path / "again.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(out), "--model", str(tmp_path / "m"), "-o", str(again)])
    assert res.exit_code == 0, res.output
    assert "group_column 'object_id' kept" in " ".join(res.output.split())
    assert np.allclose(Table.read(again)["prob_1"], first["prob_1"], atol=1e-6)


def test_a_missing_file_is_named_by_its_row(tmp_path):
    lst = _list(tmp_path, ".ecsv")
    (tmp_path / "cuts" / "c2.npy").unlink()
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(lst), "-o", str(tmp_path / "m")])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"{lst}: row 3, file 'cuts/c2.npy'" in said and "line" not in said.split("row 3")[1][:12]
    assert not (tmp_path / "m").exists()


def test_a_catalogue_and_a_fits_image_are_no_lists(tmp_path):
    from starclass.io.cutout_folders import cutout_list_format

    cat = tmp_path / "truth.ecsv"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0]}).write(cat)
    image = tmp_path / "one.fits"
    fits.PrimaryHDU(np.zeros((8, 8), np.float32)).writeto(image)
    assert cutout_list_format(cat) is None and cutout_list_format(image) is None
    assert cutout_list_format(tmp_path / "not_yet.ecsv") == "ascii.ecsv"
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(cat), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "it is a catalogue" in " ".join(res.output.split()), res.output
    res = runner.invoke(app, ["classify", "--stamps", str(image), "--model", str(tmp_path / "m"), "-o",
                              str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert not (tmp_path / "m").exists() and not (tmp_path / "o.csv").exists()
