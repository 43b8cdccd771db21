"""``--file-column NAME``: a cutout CSV whose files are in ``filename`` or ``path`` (issue 12, part 1).

Another team's list names its files in ``filename``; ``train``, ``classify``, ``evaluate`` and ``report`` took
only ``file`` and refused it with a rename to make. Now ``--file-column filename`` reads it, the output records
the column (meta, and a ``file_column`` column of a CSV) and ``evaluate`` / ``report`` pair by it. The rename
hint names the option too, and offers no column whose paths do not exist beside the CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


def _renamed(labels: Path, column: str) -> Path:
    """The folder's labels.csv with its 'file' column called ``column``."""
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[column if c == "file" else c for c in rows[0]])
        w.writeheader()
        w.writerows([{(column if k == "file" else k): v for k, v in r.items()} for r in rows])
    return labels


@pytest.fixture
def folder(tmp_path):
    labels = _renamed(write_noise_cutout_folder(tmp_path / "folder", size=16, object_ids=True, n=12), "filename")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    return labels, model


def test_without_the_option_the_rename_hint_names_it(folder, tmp_path):
    labels, model = folder
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model),
                              "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "column 'filename' names image files: rename it 'file'" in said, said
    assert "--file-column filename" in said, said
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("ext", ["csv", "ecsv"])
def test_classify_reads_the_column_records_it_and_evaluate_pairs_the_labels_by_it(folder, tmp_path, ext):
    labels, model = folder
    out = tmp_path / f"out.{ext}"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--file-column", "filename", "--model", str(model),
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.csv" if ext == "csv" else None)
    assert len(t) == 12 and "filename" in t.colnames
    if ext == "csv":
        assert set(t["file_column"]) == {"filename"}  # a CSV keeps no meta
    else:
        assert t.meta["file_column"] == "filename"
    # scored against the folder's own list, which names its files in filename only
    ev = runner.invoke(app, ["evaluate", str(out), "-r", str(labels), "--label-column", "label", "--no-science",
                             "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    assert "12 objects paired by filename, 12 classified in both" in _said(ev), ev.output
    page = tmp_path / "rep" / "r.html"
    rep = runner.invoke(app, ["report", str(out), "--stamps", str(labels), "--bootstrap", "0", "-o", str(page)])
    assert rep.exit_code == 0, rep.output
    assert page.is_file()


def test_train_takes_the_option(folder, tmp_path):
    labels, _ = folder
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(labels), "--file-column", "filename",
                              "--stamp-size", "16", "--epochs", "1", "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "manifest.json").is_file()


def test_a_column_that_is_not_there_is_named_with_the_columns(folder, tmp_path):
    labels, model = folder
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--file-column", "path", "--model", str(model),
                              "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "no column 'path' (--file-column" in said and "filename" in said and "Traceback" not in said, said
    res = runner.invoke(app, ["evaluate", str(labels), "--file-column", "path", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output


def test_the_option_without_stamps_or_on_label_folders_is_refused(tmp_path):
    root = tmp_path / "folder"
    write_noise_cutout_folder(root, size=16, n=4)
    (root / "labels.csv").unlink()  # label folders, no CSV
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--file-column", "filename", "--model", str(model),
                              "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "--file-column 'filename'" in res.output, res.output
    res = runner.invoke(app, ["classify", str(tmp_path), "-c", str(tmp_path / "c.ecsv"), "--file-column", "filename",
                              "--model", str(model), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "applies with --stamps" in _said(res), res.output


def test_the_rename_hint_offers_no_column_whose_files_do_not_exist(tmp_path):
    """A column of file-like names none of which is beside the CSV was offered as the files' column."""
    root = tmp_path / "folder"
    labels = _renamed(write_noise_cutout_folder(root, size=16, n=6), "filename")
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["filename", "label"])
        w.writeheader()
        w.writerows([{"filename": "elsewhere/" + Path(r["filename"]).name, "label": r["label"]} for r in rows])
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(labels), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "rename it 'file'" not in said, said
    assert (f"column 'filename' looks like image files, but none of its first 5 cells names a file that exists "
            f"relative to {root}") in said, said
    assert not (tmp_path / "m").exists()


def test_suggest_leaves_out_the_files_a_labels_list_names_in_the_same_column(folder, tmp_path):
    """suggest --labels of the folder's own filename list was refused: "no 'file' column"."""
    labels, model = folder
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--file-column", "filename", "--model", str(model),
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    done = tmp_path / "folder" / "done.csv"
    rows = list(csv.DictReader(open(labels)))
    with open(done, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[:4])
    nxt = tmp_path / "next.csv"
    res = runner.invoke(app, ["suggest", str(model), str(out), "--labels", str(done), "-o", str(nxt), "-n", "20"])
    assert res.exit_code == 0, res.output
    picked = set(Table.read(nxt, format="ascii.csv")["filename"])
    assert picked and not picked & {r["filename"] for r in rows[:4]}, picked
