"""Ctrl-C and SIGTERM stop classify, calibrate and train at once, leave nothing half-written, and say what they stopped.

Checked on 2026-12-07 with real signals (benchmarks-style, by hand: a subprocess sent SIGTERM or SIGINT 1-7 s into
each command on a 3,000-candidate simulated field, loaded machine): each stopped 0.5-2 s after the signal (in the
middle of a batch, not at its end), left no output file, no temporary file and calibrate's model unchanged, and
said "error: stopped by SIGTERM; no output is left half-written ...". What it did not say was what it had stopped:
the line now names the step and how far it had got (the innermost progress step, io.progress.stopped_during),
as its bar or last timed line showed it.

Here the signal is real (``os.kill`` of this process, with the handler ``starclass`` installs for SIGTERM and
Python's own for SIGINT), sent from inside the second batch, so the test runs in-process in a few seconds.
"""

from __future__ import annotations

import os
import re
import signal

import pytest
from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import _exit_on_sigterm, app
from starclass.learn.config import get_preset

runner = CliRunner()

SAID = {signal.SIGTERM: (143, "error: stopped by SIGTERM during "),
        signal.SIGINT: (130, "error: interrupted by Ctrl-C (SIGINT) during ")}


@pytest.fixture
def signal_in_second_batch(monkeypatch):
    """Send ``sig`` to this process from inside the second pass of a network, with the command line's handlers."""
    import starclass.learn.classify as classify

    real = classify.member_probabilities
    handlers = {signal.SIGTERM: _exit_on_sigterm, signal.SIGINT: signal.default_int_handler}
    before = {s: signal.getsignal(s) for s in handlers}

    def arm(sig):
        calls = []

        def sent_in_the_second(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), sig)  # the handler runs at the next bytecode, inside this batch
            return real(*args, **kwargs)

        for s, handler in handlers.items():
            signal.signal(s, handler)
        monkeypatch.setattr(classify, "member_probabilities", sent_in_the_second)
        return calls

    yield arm
    for s, handler in before.items():
        signal.signal(s, handler)


@pytest.fixture
def toy(tmp_path):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 40, seed=21)
    model = write_untrained_model(tmp_path / "model", cfg, seed=0)
    return tmp_path, model


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_classify_stopped_in_a_batch_names_the_step_and_writes_nothing(toy, signal_in_second_batch, sig,
                                                                       single_thread):
    folder, model = toy
    before = _files(folder)
    calls = signal_in_second_batch(sig)
    res = runner.invoke(app, ["classify", str(folder / "mos"), "--catalog", str(folder / "held.ecsv"), "--model",
                              str(model), "-o", str(folder / "classified.ecsv"), "--batch-size", "8", "--device",
                              "cpu", "--no-progress"])
    status, said = SAID[sig]
    assert res.exit_code == status, res.output
    assert len(calls) == 2  # stopped in the batch the signal came in, not after the others
    line = next(s for s in res.output.splitlines() if s.startswith("error: "))
    # the old code: "error: stopped by SIGTERM; no output ..." (what was stopped, not said)
    assert line.startswith(said), line
    assert re.search(r" during classify \(legus4-compact, 1 member\) at 8 of 40 candidates; no output is left "
                     r"half-written", line), line
    assert "Traceback" not in res.output
    assert _files(folder) == before  # no catalogue, no temporary file beside it


def test_calibrate_stopped_in_a_batch_names_the_step_and_keeps_the_model(toy, signal_in_second_batch, single_thread):
    folder, model = toy
    manifest = (model / "manifest.json").read_bytes()
    before = _files(folder)
    signal_in_second_batch(signal.SIGTERM)
    res = runner.invoke(app, ["calibrate", str(model), str(folder / "mos"), "--catalog", str(folder / "held.ecsv"),
                              "--batch-size", "8", "--device", "cpu", "--overwrite", "--no-progress"])
    assert res.exit_code == 143, res.output
    line = next(s for s in res.output.splitlines() if s.startswith("error: "))
    assert line.startswith("error: stopped by SIGTERM during classify (legus4-compact, 1 member) at 8 of "), line
    assert (model / "manifest.json").read_bytes() == manifest and _files(folder) == before
