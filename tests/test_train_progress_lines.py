"""``starclass train`` into a log file says how far a member's batches have got, not only each epoch's end.

train said one line an epoch, at its end, on its own logger: one long epoch (a large model on a CPU, an hour)
left the log silent as long. Until 2026-12-05 night its bar was off in a log and nothing took its place.
Now the member's batches say Progress's timed lines (start, at most each 10% and 30 s, at least each 5 min,
end) and its "still working" lines while a batch or the validation goes on; the epoch lines stay as they
were. Here each pass over a set of batches starts 0.4 s late and the "still working" interval is 0.1 s.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app

#: A count line of the member's batches as the command line writes it into a log
COUNT = re.compile(r"^\d\d:\d\d:\d\d (?P<desc>mine member 1/1 \(.+\)): (?P<n>\d+) of (?P<total>\d+) batches "
                   r"\((?P<pct>\d+)%\), \d+ s$")
#: Its "still working" line
STILL = re.compile(r"^\d\d:\d\d:\d\d mine member 1/1 \(.+\): \d+ of \d+ batches \(\d+%\), [^;]+; still working, "
                   r"no batch done for [^;]+$")


@pytest.fixture()
def slow_batches(monkeypatch):
    """Each pass over batches waits 0.4 s before its first one; "still working" each 0.1 s without a line."""
    import starclass.io.progress as progress
    import starclass.learn.train as train

    real = train.loader

    def late(*args, **kwargs):
        time.sleep(0.4)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(train, "loader", late)
    monkeypatch.setattr(progress, "STILL_WORKING_S", 0.1)


def _args(tmp_path) -> list[str]:
    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset, save_config

    write_noise_cutout_folder(tmp_path / "data", size=16)
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16,
                                      recipe={"epochs": 1, "batch_size": 4, "val_fraction": 0.25})
    return ["train", "--task", str(save_config(cfg, tmp_path / "task.yaml")), "--stamps",
            str(tmp_path / "data" / "labels.csv"), "--device", "cpu"]


def test_train_into_a_log_says_its_batches_and_that_a_long_one_is_still_working(tmp_path, single_thread,
                                                                                slow_batches):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model")])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    counts = [COUNT.match(ln) for ln in lines if COUNT.match(ln)]
    assert counts, res.stderr
    total = int(counts[0]["total"])
    assert total == 3, res.stderr  # 12 training rows of the 16, batches of 4, one epoch
    assert [(m["n"], m["pct"]) for m in (counts[0], counts[-1])] == [("0", "0"), (str(total), "100")], res.stderr
    assert any(STILL.match(ln) for ln in lines), res.stderr  # the late batch said while it was awaited
    # the epoch line as it was, after the batches' lines of its epoch
    epoch = [i for i, ln in enumerate(lines) if re.match(r"^\d\d:\d\d:\d\d mine member 1/1: epoch 1/1, loss ", ln)]
    assert len(epoch) == 1 and epoch[0] > lines.index(counts[0].string), res.stderr
    assert "\r" not in res.stderr, repr(res.stderr)  # no bar's redraws
    assert not any(COUNT.match(ln) or STILL.match(ln) for ln in res.stdout.splitlines()), res.stdout


def test_train_with_no_progress_says_no_batch_line(tmp_path, single_thread, slow_batches):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert " batches (" not in res.stderr and "still working" not in res.stderr, res.stderr
    assert ": epoch " not in res.stderr and "\r" not in res.stderr, res.stderr


def test_train_cv_into_a_log_names_the_fold_in_each_batch_and_epoch_line(tmp_path, single_thread, monkeypatch):
    """Until 2026-12-06 only the 'fold k/n: training' line before them named the fold: each fold's batch and
    epoch lines read 'mine member 1/1 (...): ...' alike, so a log's later lines could not be told apart."""
    import starclass.io.progress as progress

    monkeypatch.setattr(progress, "LINE_EVERY_S", 0.0)  # a line at each 10% of the batches, quick as they are
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "cv"), "--cv", "2"])
    assert res.exit_code == 0, res.output
    lines = [ln[9:] for ln in res.stderr.splitlines() if re.match(r"^\d\d:\d\d:\d\d ", ln)]
    starts = [i for i, ln in enumerate(lines) if re.match(r"^fold \d/2: training$", ln)]
    assert [lines[i] for i in starts] == ["fold 1/2: training", "fold 2/2: training"], res.stderr
    for k, (begin, end) in enumerate(zip(starts, [*starts[1:], len(lines)]), start=1):
        ours = [ln for ln in lines[begin + 1:end] if " batches (" in ln or ": epoch " in ln]
        assert any(" batches (" in ln for ln in ours) and any(": epoch " in ln for ln in ours), res.stderr
        assert all(ln.startswith(f"fold {k}/2: mine member 1/1") for ln in ours), res.stderr
    assert "\r" not in res.stderr, repr(res.stderr)


def test_train_without_cv_keeps_its_lines_unnamed(tmp_path, single_thread):
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model")])
    assert res.exit_code == 0, res.output
    lines = [ln[9:] for ln in res.stderr.splitlines() if re.match(r"^\d\d:\d\d:\d\d ", ln)]
    assert any(ln.startswith("mine member 1/1 (") and " batches (" in ln for ln in lines), res.stderr
    assert any(ln.startswith("mine member 1/1: epoch 1/1, loss ") for ln in lines), res.stderr
    assert not any("fold" in ln for ln in lines), res.stderr


#: The lines of a member's batch-norm pass and final validation, and of the calibration, after its last epoch
AFTER = re.compile(r"^\d\d:\d\d:\d\d (?P<desc>mine member 1/1 \(.+\), batch-norm statistics and final validation: "
                   r"(?P<n>\d+) of (?P<total>\d+) batches|mine calibration \(1 member\): (?P<rows>\d+) of "
                   r"(?P<val>\d+) validation rows) \(\d+%\), \d+ s$")


def test_train_into_a_log_says_its_passes_after_the_last_epoch(tmp_path, single_thread):
    """Until 2026-12-06 the batch-norm pass over the training rows, the final validation and the calibration's
    nine passes over the validation rows said nothing after the last epoch's line: 54 s of a 210 s log of one
    ResNet-18 epoch on the 869 PAndAS cutouts (measured), minutes to hours for a large ensemble."""
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model")])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    after = [AFTER.match(ln) for ln in lines if AFTER.match(ln)]
    bn = [m for m in after if m["desc"].startswith("mine member")]
    cal = [m for m in after if m["rows"] is not None]
    # 12 training rows in batches of 4 and 4 validation rows in one: 4 batches; the calibration's 4 rows
    assert [(m["n"], m["total"]) for m in bn] == [("0", "4"), ("4", "4")], res.stderr
    assert [(m["rows"], m["val"]) for m in cal] == [("0", "4"), ("4", "4")], res.stderr
    epoch = next(i for i, ln in enumerate(lines) if re.match(r"^\d\d:\d\d:\d\d mine member 1/1: epoch 1/1, ", ln))
    assert epoch < lines.index(bn[0].string) < lines.index(cal[0].string), res.stderr
    assert not any(AFTER.match(ln) for ln in res.stdout.splitlines()), res.stdout


def test_train_with_no_progress_or_in_python_says_no_line_after_the_epochs(tmp_path, single_thread, caplog):
    import logging

    from starclass.io.progress import LOGGER

    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "batch-norm statistics" not in res.output and " calibration (" not in res.output, res.output
    from starclass.learn.config import load_config
    from starclass.learn.train import fit

    caplog.set_level(logging.INFO, logger=LOGGER)
    cfg = load_config(tmp_path / "task.yaml")
    x = np.random.default_rng(0).normal(size=(8, 1, 16, 16)).astype("f4")
    fit(cfg, x, [1, 2] * 4, outdir=tmp_path / "quiet", progress=False, device="cpu")
    assert [r.getMessage() for r in caplog.records if r.name == LOGGER] == []


def test_train_target_purity_into_a_log_says_its_pass_over_the_validation_rows(tmp_path, single_thread):
    """Until 2026-12-06 the threshold's pass of every member over the validation rows, after train's summary,
    said nothing in a log until its result line."""
    res = CliRunner().invoke(app, [*_args(tmp_path), "-o", str(tmp_path / "model"), "--target-purity", "0.5"])
    said = [m for m in (re.match(r"^\d\d:\d\d:\d\d threshold for purity 0\.50 \(mine\): (\d+) of (\d+) validation "
                                 r"cutouts \(\d+%\), \d+ s$", ln) for ln in res.stderr.splitlines()) if m]
    assert [m.groups() for m in said] == [("0", "4"), ("4", "4")], res.output
    assert not re.search(r"threshold for purity 0\.50 \(mine\): \d", res.stdout), res.stdout


def test_a_network_without_batch_norm_counts_the_pass_as_done():
    """The member's line of its batch-norm pass and validation reaches its total where there is nothing to recompute."""
    import torch

    from starclass.learn.config import get_preset
    from starclass.learn.train import prepare_data, recalibrate_batchnorm

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    data = prepare_data(cfg, np.random.default_rng(0).normal(size=(10, 2, 16, 16)).astype("f4"), [1, 2] * 5, seed=0)
    counted = []
    plain = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(2 * 16 * 16, 2))
    assert recalibrate_batchnorm(plain, data.train, 4, "cpu", on_batch=counted.append) == 0
    assert sum(counted) == -(-len(data.train) // 4), counted
