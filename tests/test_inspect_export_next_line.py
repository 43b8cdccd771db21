"""``inspect DATA_DIR --export`` of PHANGS classes ends with the command that trains on them.

A walk of the docs (2026-12-07) labelled 50 candidates through the page's API and exported them: the command
said the counts and that one person has no agreement to measure, and nothing of what to do with the file
(``classify``, ``train``, ``suggest`` and a cutout folder's export each end with their next step). It now says
how to train on the export from the same data folder, and how to fine-tune a model on it.
"""

from __future__ import annotations

import re
import shlex
import warnings

import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    pytest.importorskip("fastapi")
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def _labelled(tmp_path, votes):
    field = make_demo_field(tmp_path / "my field", n=12, size=200, seed=3)
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    ann = db.add_user(engine, "ann", "ann-password")
    for cid, v in votes.items():
        db.save_label(engine, "", cid, ann, v)
    return field, url


def test_the_export_says_how_to_train_on_it(tmp_path, monkeypatch):
    field, url = _labelled(tmp_path, {"1": 1, "2": 4, "3": 2})
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["inspect", "my field", "--db", url, "--export", "labels.ecsv"])
    assert res.exit_code == 0, res.output
    line = [ln for ln in res.output.splitlines() if ln.startswith("next: ")]
    assert len(line) == 1, res.output
    commands = [shlex.split(c) for c in re.findall(r"'(starclass [^']*)'|\"(starclass [^\"]*)\"", line[0])
                for c in c if c]
    # the demo field's f336w, f555w, f814w: no packaged task reads them (legus4-compact until 2026-12-07, refused by
    # train as printed; tests/test_export_first_train_task.py), so TASK and the task file to write
    assert commands[0] == ["starclass", "train", "--task", "TASK", "--mosaics", "my field", "--catalog",
                           "labels.ecsv", "-o", "model"], commands
    assert ("TASK: no packaged task reads bands f336w, f555w, f814w alone; write a task file with 'extends: "
            "legus4-compact' and 'bands: [f336w, f555w, f814w]'") in line[0], line[0]
    # since 2026-12-07 (late) suggest's fine-tune too: the fields MODEL was trained on beside the export
    assert commands[1][:10] == ["starclass", "train", "--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv",
                                "--mosaics", "my field", "--catalog", "labels.ecsv"], commands
    assert "--resume-from" in commands[1]
    # the file it names holds the labels train reads, and the folder the mosaics
    assert sorted(Table.read("labels.ecsv")["class_ref"].tolist()) == [1, 2, 4]
    assert list((tmp_path / "my field").glob("*.fits"))


def test_an_export_with_no_label_offers_no_training(tmp_path, monkeypatch):
    field, url = _labelled(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["inspect", "my field", "--db", url, "--export", "all.ecsv",
                                   "--include-unlabelled"])
    assert res.exit_code == 0, res.output
    assert "next: train" not in res.output, res.output
