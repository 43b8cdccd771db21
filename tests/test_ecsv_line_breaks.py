"""An ECSV with a quoted value that runs over lines is read as astropy reads it, by every command (2026-12-07).

astropy writes a text value holding a line break as a quoted value over two lines, and reads it back. The probe
that tells a list of cutouts from other tables read only its first rows, with astropy's ``data_end``, which counts
lines: the row was cut inside its value, did not split, and ``train --stamps labels.ecsv`` said "not a stamp store
... nor a list of cutouts", ``info labels.ecsv`` "a table of 24 rows, not a catalogue of candidates". The values
here hold what a person types into a note: quotes, a comma, a line that starts with ``#``, an empty line (astropy
itself leaves the last two out of the value; the commands read what astropy reads).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _note(i: int) -> str:
    return f"seen twice\nby 'A', \"B\"\n# and C\n\nrow {i}"


def _cutout_list(root: Path, n: int = 24) -> Path:
    """``n`` small NPY cutouts (cluster: a bright square) listed in ``root / "list.ecsv"``, a note first."""
    rng = np.random.default_rng(3)
    (root / "cuts").mkdir(parents=True)
    files, labels = [], []
    for i in range(n):
        a = rng.normal(0.0, 1.0, (16, 16)).astype(np.float32)
        if i % 2 == 0:
            a[6:10, 6:10] += 6.0
        np.save(root / "cuts" / f"c{i}.npy", a)
        files.append(f"cuts/c{i}.npy")
        labels.append("cluster" if i % 2 == 0 else "galaxy")
    out = root / "list.ecsv"
    # the note before the file column: a row cut inside it lacks its file and label
    Table({"note": [_note(i) for i in range(n)], "file": files, "label": labels}).write(out)
    return out


def test_a_cutout_list_with_notes_over_lines_is_a_cutout_list(tmp_path):
    from starclass.io.cutout_folders import cutout_list_format, read_cutout_folder

    lst = _cutout_list(tmp_path)
    assert "\n" in Table.read(lst)["note"][0]  # astropy's own read keeps the line breaks
    assert cutout_list_format(lst) == "ascii.ecsv"
    cs = read_cutout_folder(lst)
    assert cs.files == [f"cuts/c{i}.npy" for i in range(24)]
    assert cs.table["note"].tolist() == Table.read(lst)["note"].tolist()
    res = runner.invoke(app, ["info", str(lst)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "an ECSV table of cutouts" in said and "cutouts: 24" in said and "labels: cluster 12, galaxy 12" in said


@pytest.mark.slow  # a training: 15 s on the shared machine
def test_train_classify_and_evaluate_read_it_as_astropy_does(tmp_path):
    lst = _cutout_list(tmp_path / "data")
    task = tmp_path / "small.yaml"
    task.write_text("extends: m31-real\nstamp_size: 16\nrecipe: {epochs: 1, batch_size: 4}\n")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(lst), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(lst), "--model", str(tmp_path / "m"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    got = Table.read(out)
    assert got["note"].tolist() == Table.read(lst)["note"].tolist() and got["file"].tolist()[-1] == "cuts/c23.npy"
    res = runner.invoke(app, ["evaluate", str(out), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "24 objects paired row by row, 24 classified in both" in " ".join(res.output.split()), res.output


def test_a_catalogue_and_a_votes_table_with_notes_over_lines(tmp_path):
    from starclass.io.catalog import read_catalog
    from starclass.learn.labels import read_votes

    n = 30
    t = Table({"id": np.arange(1, n + 1), "x": np.linspace(5, 60, n), "y": np.linspace(8, 50, n),
               "class_h1": np.resize([1, 2, 3, 4], n), "note": [_note(i) for i in range(n)]})
    path = tmp_path / "votes.ecsv"
    t.write(path)
    want = Table.read(path)
    for got in (read_catalog(path), read_votes(path)):
        assert len(got) == n and got["note"].tolist() == want["note"].tolist()
        assert got["class_h1"].tolist() == want["class_h1"].tolist()
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0 and f"rows: {n}" in res.output, res.output


def test_an_ecsv_named_csv_is_a_list_of_cutouts_as_a_catalogue_is_read(tmp_path):
    """The catalogue reader reads ECSV text named ``.csv`` as ECSV (io.catalog.is_ecsv_text); the cutout readers
    took its ``#`` header for a CSV's comments and its column line for one column: "no 'file' column (nor
    'file_<band>' columns); columns: ['note file label']" (classify --stamps), "not a catalogue of candidates"
    (info)."""
    from starclass.io.cutout_folders import cutout_list_format, read_cutout_folder

    lst = _cutout_list(tmp_path)
    named = lst.rename(tmp_path / "list.csv")
    assert cutout_list_format(named) == "ascii.ecsv"
    cs = read_cutout_folder(named)
    assert cs.labels.tolist() == ["cluster", "galaxy"] * 12
    assert cs.table["note"].tolist() == Table.read(named, format="ascii.ecsv")["note"].tolist()
    res = runner.invoke(app, ["info", str(named)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0 and "an ECSV table of cutouts" in said and "cutouts: 24" in said, res.output
