"""Reading a large cutout folder says how far it has got (train, classify and info ``--stamps``).

Until 2026-12-06 the reader said nothing while it read the images: 1.2 ms a 128 px PNG, about 50 s for
40000 cutouts, with no line in a log file and no bar at a terminal. Now a folder of
``PROGRESS_FROM`` rows or more shows :class:`starclass.io.progress.Progress`'s bar or lines; the tests
lower the threshold so that a small folder counts as large.
"""

from __future__ import annotations

import logging
import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

#: A line of the reader as the command line writes it into a log (Progress's, timed)
LINE = re.compile(r"^\d\d:\d\d:\d\d reading labels\.csv: (?P<n>\d+) of (?P<total>\d+) cutouts \(\d+%\), \d+ s$")


@pytest.fixture()
def folder(tmp_path):
    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest

    return write_noise_cutout_folder(tmp_path / "data", size=16)  # 16 cutouts


def _said(text: str) -> list[tuple[str, str]]:
    return [(m["n"], m["total"]) for m in map(LINE.match, text.splitlines()) if m]


def test_read_cutout_folder_says_its_images_in_lines_from_the_threshold(folder, monkeypatch, caplog):
    import starclass.io.cutout_folders as cf
    from starclass.io.progress import LOGGER

    with caplog.at_level(logging.INFO, logger=LOGGER):
        cf.read_cutout_folder(folder, progress=None)  # 16 rows: below the threshold, nothing said
    assert not caplog.records, caplog.text
    monkeypatch.setattr(cf, "PROGRESS_FROM", 10)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        cf.read_cutout_folder(folder, progress=None)
        n_lines = len(caplog.records)
        cf.read_cutout_folder(folder, progress=False)  # as asked: nothing
    said = [r.getMessage() for r in caplog.records]
    assert n_lines == len(said) and said[0].startswith("reading labels.csv: 0 of 16 cutouts (0%)"), said
    assert said[-1].startswith("reading labels.csv: 16 of 16 cutouts (100%)"), said


def test_info_stamps_into_a_log_says_the_images_read(folder, monkeypatch):
    import starclass.io.cutout_folders as cf

    quiet = CliRunner().invoke(app, ["info", str(folder)])
    assert quiet.exit_code == 0, quiet.output
    assert not _said(quiet.stderr), quiet.stderr  # a small folder: no line
    monkeypatch.setattr(cf, "PROGRESS_FROM", 10)
    res = CliRunner().invoke(app, ["info", str(folder)])
    assert res.exit_code == 0, res.output
    assert _said(res.stderr) == [("0", "16"), ("16", "16")], res.stderr
    assert not _said(res.stdout) and res.stdout == quiet.stdout, res.stdout


def test_train_and_classify_stamps_into_a_log_say_the_images_read(folder, tmp_path, monkeypatch, single_thread):
    import starclass.io.cutout_folders as cf
    from starclass.learn.config import get_preset, save_config

    monkeypatch.setattr(cf, "PROGRESS_FROM", 10)
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16, recipe={"epochs": 1, "batch_size": 4})
    args = ["train", "--task", str(save_config(cfg, tmp_path / "task.yaml")), "--stamps", str(folder),
            "--device", "cpu", "-o", str(tmp_path / "m")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert _said(res.stderr) == [("0", "16"), ("16", "16")], res.stderr
    quiet = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "m2"), "--no-progress"])
    assert quiet.exit_code == 0, quiet.output
    assert not _said(quiet.stderr), quiet.stderr
    # classify --stamps reads the folder as train does
    res = CliRunner().invoke(app, ["classify", "--stamps", str(folder), "--model", str(tmp_path / "m"), "--device",
                                   "cpu", "-o", str(tmp_path / "c.ecsv")])
    assert res.exit_code == 0, res.output
    assert _said(res.stderr) == [("0", "16"), ("16", "16")], res.stderr


def test_report_stamps_into_a_log_says_the_images_read(tmp_path, monkeypatch, single_thread):
    # report --stamps read its folder without the command's progress until 2026-12-06: silent however large
    import starclass.io.cutout_folders as cf
    from test_cutout_mixed_sizes import _folder
    from test_mixed_sizes_info_report import _prediction

    src = _folder(tmp_path / "f", sizes=(24,), n_each=6)
    pred = _prediction(tmp_path, src)
    args = ["report", str(pred), "--stamps", str(src), "--bootstrap", "0"]
    monkeypatch.setattr(cf, "PROGRESS_FROM", 4)
    res = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "rep" / "report.html")])
    assert res.exit_code == 0, res.output
    assert _said(res.stderr) == [("0", "6"), ("6", "6")], res.stderr
    assert not _said(res.stdout), res.stdout
    quiet = CliRunner().invoke(app, [*args, "--no-progress", "-o", str(tmp_path / "rep2" / "report.html")])
    assert quiet.exit_code == 0, quiet.output
    assert not _said(quiet.stderr), quiet.stderr
