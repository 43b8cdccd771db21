"""``starclass train`` at a terminal draws a bar for each pass after the epochs, not only for the epochs.

Until 2026-12-06 the member's batch-norm pass and final validation, the calibration's nine passes over the
validation rows, ``--target-purity``'s pass and each ``--cv`` fold's held-out predictions said their lines
into a log only: at a terminal the epochs' bar stopped at 100% and nothing moved until the summary (54 s of a
210 s run of one ResNet-18 epoch on the PAndAS cutouts, measured by an earlier session). Now each draws a bar
of its own there, as the epochs do; a log keeps its lines (tests/test_train_progress_lines.py) and
``--no-progress`` shows neither.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

#: The passes after the epochs, as their bars label them (a tqdm bar: '<desc>: 100%|...')
AFTER = ("mine member 1/1 (compact), batch-norm statistics and final validation", "mine calibration (1 member)")


def _args(tmp_path) -> list[str]:
    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset, save_config

    write_noise_cutout_folder(tmp_path / "data", size=16)
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16,
                                      recipe={"epochs": 1, "batch_size": 4, "val_fraction": 0.25})
    return ["train", "--task", str(save_config(cfg, tmp_path / "task.yaml")), "--stamps",
            str(tmp_path / "data" / "labels.csv"), "--device", "cpu"]


@pytest.fixture()
def at_terminal(monkeypatch):
    """stderr taken for a terminal, as tests/test_progress_tty.py does (CliRunner's is none)."""
    import io

    import starclass.cli._app as cli_app

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    real = cli_app.show_progress
    monkeypatch.setattr(cli_app, "show_progress", lambda progress, stream=None: real(progress, Terminal()))


def _finished_bar(stderr: str, desc: str) -> re.Match | None:
    """The redraw of ``desc``'s bar at 100%, with its count ('4/4')."""
    return re.search(rf"(?:^|\r|\n){re.escape(desc)}: 100%\|[^\r\n]*\| (?P<n>\d+)/(?P<total>\d+) ", stderr)


def test_train_at_a_terminal_draws_a_bar_for_each_pass_after_the_epochs(tmp_path, at_terminal):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model"), "--target-purity", "0.5"])
    assert res.exit_code == 0, res.output
    err = res.stderr
    epochs = _finished_bar(err, "mine member 1/1 (compact)")
    assert epochs is not None, repr(err)  # the epochs' bar, as before
    # 12 training rows in batches of 4 and 4 validation rows in one; the calibration's and the threshold's 4 rows
    bars = {desc: _finished_bar(err, desc) for desc in (*AFTER, "threshold for purity 0.50 (mine)")}
    assert {d: m and (m["n"], m["total"]) for d, m in bars.items()} == {
        AFTER[0]: ("4", "4"), AFTER[1]: ("4", "4"), "threshold for purity 0.50 (mine)": ("4", "4")}, repr(err)
    ends = [bars[d].start() for d in (*AFTER, "threshold for purity 0.50 (mine)")]
    assert epochs.start() < ends[0] < ends[1] < ends[2], repr(err)  # in the order they run
    # bars, not a log's lines: no timed line of these passes
    assert not re.search(r"^\d\d:\d\d:\d\d .*(batch-norm statistics|calibration \(1 member\)|threshold for purity)",
                         err, re.M), err


def test_train_cv_at_a_terminal_draws_each_fold_s_held_out_predictions(tmp_path, at_terminal):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "cv"), "--cv", "2"])
    assert res.exit_code == 0, res.output
    for k in (1, 2):
        held_out = _finished_bar(res.stderr, f"fold {k}/2: mine held-out predictions")
        assert held_out is not None and held_out["n"] == held_out["total"] == "8", repr(res.stderr)  # 16 rows / 2
        assert _finished_bar(res.stderr, f"fold {k}/2: {AFTER[1]}") is not None, repr(res.stderr)


def test_train_with_no_progress_at_a_terminal_draws_no_bar(tmp_path, at_terminal):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "\r" not in res.stderr and "%|" not in res.stderr, repr(res.stderr)
