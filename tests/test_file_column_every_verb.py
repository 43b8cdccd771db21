"""``--file-column`` on every command that reads a cutout CSV (issue 12, part 1, follow-up).

``train``, ``classify``, ``evaluate`` and ``report`` took ``--file-column filename``; ``info``, ``inspect --stamps``,
``calibrate --stamps`` and ``explain`` did not ("No such option"), so a list naming its files in ``filename`` had
to be renamed for them after all, and the rename hint sent the user to four commands only. The option is now one
definition (``starclass.cli._app.FILE_COLUMN_OPTION``) that every such command takes.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest
import typer
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


def _filename_list(root: Path, n: int = 8) -> Path:
    """A cutout folder whose labels.csv names its files in 'filename' (as another team's tool writes it)."""
    labels = write_noise_cutout_folder(root, size=16, object_ids=True, n=n)
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["filename" if c == "file" else c for c in rows[0]])
        w.writeheader()
        w.writerows([{("filename" if k == "file" else k): v for k, v in r.items()} for r in rows])
    return labels


def test_every_command_that_reads_a_cutout_csv_takes_the_one_option():
    from starclass.cli._app import FILE_COLUMN_OPTION

    cmd = typer.main.get_command(app)
    for name in ("train", "classify", "evaluate", "report", "info", "inspect", "calibrate", "explain"):
        params = [p for p in cmd.commands[name].params if "--file-column" in p.opts]
        assert params, name
        # one definition: the same words everywhere, not a copy per command
        assert params[0].help == FILE_COLUMN_OPTION.help, name


def test_the_rename_hint_no_longer_lists_four_commands(tmp_path):
    labels = _filename_list(tmp_path / "f")
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "or give --file-column filename" in said and "classify, evaluate and report" not in said, said


def test_info_reads_the_files_of_the_column_given(tmp_path):
    labels = _filename_list(tmp_path / "f")
    res = runner.invoke(app, ["info", str(labels), "--file-column", "filename"])
    assert res.exit_code == 0, res.output
    said = _said(res)
    assert "cutouts: 8, images 1 x 16 x 16" in said and "labels: cluster 4, galaxy 4" in said, said
    # a folder given is read through its labels.csv, the same way
    res = runner.invoke(app, ["info", str(labels.parent), "--file-column", "filename"])
    assert res.exit_code == 0 and "cutouts: 8" in res.output, res.output
    res = runner.invoke(app, ["info", str(labels), "--file-column", "path"])
    assert res.exit_code == 2 and "no column 'path' (--file-column" in _said(res), res.output


def test_info_refuses_the_option_where_no_cutout_csv_is_read(tmp_path):
    cat = tmp_path / "cat.ecsv"
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0]}).write(cat)
    res = runner.invoke(app, ["info", str(cat), "--file-column", "filename"])
    assert res.exit_code == 2, res.output
    assert "--file-column 'filename' names the column of image files of a cutout CSV" in _said(res), res.output
    assert "Traceback" not in res.output


def test_calibrate_takes_the_column_and_refuses_it_without_stamps(tmp_path):
    labels = _filename_list(tmp_path / "f", n=12)
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(labels), "--file-column", "filename",
                              "--overwrite", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "m.fits"), "-c", str(tmp_path / "c.ecsv"),
                              "--file-column", "filename", "--overwrite"])
    assert res.exit_code == 2 and "it applies with --stamps" in _said(res), res.output


def test_explain_names_the_stamps_by_the_column(tmp_path):
    labels = _filename_list(tmp_path / "f")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    out = tmp_path / "ex"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = runner.invoke(app, ["explain", str(model), str(labels), "--file-column", "filename", "-o", str(out),
                                  "-m", "gradcam", "--per-class", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    tables = list((out / "tables").glob("*"))
    named = [t for t in tables if t.suffix == ".ecsv" and "filename" in Table.read(t).colnames]
    assert named, [t.name for t in tables]


def test_inspect_reads_the_list_by_the_column_and_its_export_says_so(tmp_path):
    pytest.importorskip("fastapi")
    from starclass.inspect import db
    from starclass.inspect.cutouts import read_cutout_list

    labels = _filename_list(tmp_path / "f")
    cfg = get_preset("m31-real", stamp_size=16)
    lst = read_cutout_list(labels, cfg, file_column="filename")
    assert lst.file_columns == ["filename"] and lst.bands == []  # 'filename' names no band 'name'
    assert lst.ids[:2] == ["cluster/obj00.npy", "galaxy/obj01.npy"]
    from starclass.inspect.cutouts import stamps_scheme

    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    uid = db.add_user(engine, "ann", "ann-password")
    scheme = stamps_scheme(cfg)
    db.save_label(engine, "", "cluster/obj00.npy", uid, 1, scheme=scheme)
    db.save_label(engine, "", "galaxy/obj01.npy", uid, 2, scheme=scheme)
    engine.dispose()
    out = tmp_path / "r1.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db", url,
                              "--file-column", "filename", "--export", str(out)])
    assert res.exit_code == 0, res.output
    # the export keeps 'filename': the fine-tuning command it prints reads it so
    # the fine-tune reads the cutouts labelled so far beside this round's (s84walkB: on a round's labels alone a
    # fine-tune forgot what its start learnt), the round's list by its file column
    assert f"train --stamps SO_FAR.csv --stamps {out} --file-column filename --resume-from" in _said(res), res.output
    from starclass.io.cutout_folders import read_cutout_folder

    assert read_cutout_folder(out, file_column="filename").labels.tolist() == ["cluster", "galaxy"]
    res = runner.invoke(app, ["inspect", str(tmp_path), "--file-column", "filename"])
    assert res.exit_code == 2 and "it applies with --stamps" in _said(res), res.output


def test_suggest_on_an_unclassified_filename_list_gives_the_classify_command_with_the_option(tmp_path):
    """suggest said "required column 'x' missing" of a filename,label list (a 'file' list got the two commands)."""
    labels = _filename_list(tmp_path / "f")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["suggest", str(model), str(labels), "-o", str(tmp_path / "next.csv")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert f"cutout folder {labels} is not classified" in said, said
    assert f"starclass classify --stamps {labels} --file-column filename --model {model}" in said, said


@pytest.mark.parametrize("option", [["--list-users"], ["--backup", "copy.sqlite"], ["--add-user", "bob"]])
def test_inspect_refuses_the_option_where_it_reads_no_cutout(tmp_path, option):
    """--list-users, --backup and --add-user took --file-column and ignored it (they read no cutout file)."""
    pytest.importorskip("fastapi")
    from starclass.inspect import db

    labels = _filename_list(tmp_path / "f")
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    engine.dispose()
    args = [str(tmp_path / a) if a.endswith(".sqlite") else a for a in option]
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db", url,
                              "--file-column", "filename", *args], input="a-long-password\na-long-password\n")
    assert res.exit_code == 2, res.output
    assert (f"--file-column 'filename' names the column of image files of a cutout CSV, and {option[0]} reads none: "
            "it applies to serving --stamps and to --export") in _said(res), res.output
    assert not (tmp_path / "copy.sqlite").exists()
