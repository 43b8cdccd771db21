"""Progress bars only when stderr is a terminal, unless ``--progress`` or ``--no-progress`` says otherwise.

Before 2026-12-05 every ``--progress/--no-progress`` was on by default: ``starclass simulate ... > run.log 2>&1``
in a batch job wrote each tqdm redraw (a carriage return and the whole bar) into the log, hundreds of KB of
them for a training. Now the default is a bar only where stderr is a terminal, as pip's; ``--progress`` forces
one. CliRunner's stderr is not a terminal, which is the log-file case.
"""
from __future__ import annotations

import io

import pytest
import typer
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_show_progress_asks_the_stream_only_when_neither_switch_is_given():
    from starclass.cli._app import show_progress

    assert show_progress(None, _Terminal()) is True
    assert show_progress(None, io.StringIO()) is False
    assert show_progress(True, io.StringIO()) is True
    assert show_progress(False, _Terminal()) is False
    assert show_progress(None, object()) is False  # a stream with no isatty is no terminal


def _simulate(tmp_path, name, *extra):
    return runner.invoke(app, ["simulate", str(tmp_path / name), "--preset", "cool-core", "--n", "6", "--size", "64",
                               "--seed", "1", *extra])


def test_simulate_writes_no_bar_into_a_log_unless_progress(tmp_path):
    logged = _simulate(tmp_path, "a")
    assert logged.exit_code == 0, logged.output
    # no bar's redraws; its plain lines instead (tests/test_progress_lines.py)
    assert "\r" not in logged.stderr and "%|" not in logged.stderr, repr(logged.stderr)
    assert "labels:" in logged.output  # what was written is still said
    forced = _simulate(tmp_path, "b", "--progress")
    assert forced.exit_code == 0, forced.output
    assert "\r" in forced.stderr and "cutouts: 100%" in forced.stderr, repr(forced.stderr)
    off = _simulate(tmp_path, "c", "--no-progress")
    assert off.exit_code == 0 and "\r" not in off.stderr, repr(off.stderr)


def test_simulate_on_a_terminal_shows_the_bar_by_default(tmp_path, monkeypatch):
    import starclass.cli._app as cli_app

    # the runner's stderr is no terminal; show_progress reads the stderr of the moment, made one here
    real = cli_app.show_progress
    monkeypatch.setattr(cli_app, "show_progress", lambda progress, stream=None: real(progress, _Terminal()))
    r = _simulate(tmp_path, "t")
    assert r.exit_code == 0, r.output
    assert "cutouts: 100%" in r.stderr, repr(r.stderr)


def _progress_params():
    cmd = typer.main.get_command(app)
    return [(name, p) for name, sub in cmd.commands.items() for p in sub.params
            if "--progress" in getattr(p, "opts", ()) and "--no-progress" in getattr(p, "secondary_opts", ())]


def test_every_progress_switch_leaves_the_default_to_the_terminal_and_says_so():
    params = _progress_params()
    assert len(params) >= 10, [n for n, _ in params]  # simulate detect cutouts train classify calibrate ...
    wrong = [name for name, p in params if p.default is not None or "only when stderr is a terminal" not in p.help]
    assert not wrong, wrong


@pytest.mark.parametrize("name", ["simulate", "detect", "cutouts", "train", "classify", "calibrate", "explain",
                                  "demo", "survey", "suggest"])
def test_each_command_decides_with_show_progress(name):
    """A command given None (neither switch) must ask show_progress, not pass None on as 'off' or 'on'
    (bars_or_lines asks it, and passes None on only as "plain lines": a log file)."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(f"starclass.cli.{name}_cmd"))
    assert "show_progress(progress)" in source or "bars_or_lines(progress)" in source, name


def test_docs_cli_states_the_terminal_default():
    from pathlib import Path

    row = next(line for line in (Path(__file__).parents[1] / "docs" / "cli.md").read_text().splitlines()
               if line.startswith("| `--progress`"))
    default = row.strip().strip("|").split("|")[-1]
    assert "only when stderr is a terminal" in default, row


def test_train_into_a_log_says_each_epoch_in_a_plain_line(tmp_path, single_thread):
    """With the bar off for a log file, train said nothing between its first lines and the end (hours on a
    real set): one timed line an epoch now, none with --no-progress, and no carriage return either way."""
    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset, save_config

    write_noise_cutout_folder(tmp_path / "data", size=16)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 2, "batch_size": 16, "val_fraction": 0.25})
    args = ["train", "--task", str(save_config(cfg, tmp_path / "task.yaml")), "--stamps",
            str(tmp_path / "data" / "labels.csv"), "--device", "cpu"]
    logged = runner.invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert logged.exit_code == 0, logged.output
    lines = [ln for ln in logged.stderr.splitlines() if "member 1/1: epoch" in ln]
    assert [ln.split(": epoch ")[1][:3] for ln in lines] == ["1/2", "2/2"], logged.stderr
    assert "\r" not in logged.stderr
    quiet = runner.invoke(app, [*args, "-o", str(tmp_path / "b"), "--no-progress"])
    assert quiet.exit_code == 0, quiet.output
    assert ": epoch " not in quiet.stderr and "\r" not in quiet.stderr, quiet.stderr


def test_progress_lines_show_info_only_for_a_log_file_without_a_switch(capsys, monkeypatch):
    import logging
    import sys

    from starclass.cli._app import progress_lines

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a log file
    name = "starclass.test_progress_lines"
    for asked in (None, False, True):
        with progress_lines(asked, name):
            logging.getLogger(name).info("tile %s", asked)
    logging.getLogger(name).info("after the block")
    assert sys.stderr.getvalue().count("tile") == 1 and "tile None" in sys.stderr.getvalue()
    assert "after" not in sys.stderr.getvalue() and not logging.getLogger(name).handlers
