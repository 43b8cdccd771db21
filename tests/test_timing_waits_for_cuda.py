"""Timings that train and classify print wait for the GPU's queued work first (``torch.cuda.synchronize``).

CUDA runs kernels asynchronously: a clock read just after a call that launches them measures the launch,
not the work. train's epoch seconds and its total, classify's "in N s", demo's and survey's step seconds now
read :func:`starclass.learn.precision.settled_clock`, and classify's TTA bar moves after each pass has run
(it counted passes as they were queued). There is no GPU here: the device is reported as CUDA
(``precision._on_cuda``) and ``torch.cuda.synchronize`` records its calls, all on the CPU.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from typer.testing import CliRunner

import starclass.learn.precision as precision


def _as_if_cuda(monkeypatch) -> list[str]:
    """Every device taken for a CUDA one; each wait recorded (as ``"sync"``) instead of run."""
    events: list[str] = []
    monkeypatch.setattr(precision, "_on_cuda", lambda device: True, raising=False)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: events.append("sync"))
    return events


def test_the_clock_waits_on_cuda_only(monkeypatch):
    from starclass.learn.precision import settled_clock, wait_for_device

    calls: list[object] = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: calls.append(device))
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)  # CUDA started: work may be queued
    settled_clock("cpu")
    wait_for_device(torch.device("cpu"))
    assert calls == []  # a CPU never waits
    t0 = settled_clock("cuda")
    assert calls == [torch.device("cuda")]
    assert settled_clock("cuda:0") >= t0 and calls[-1] == torch.device("cuda:0")
    # None: the current CUDA device, only where CUDA was started in this process
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: False)
    wait_for_device(None)
    assert len(calls) == 2
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    wait_for_device(None)
    assert calls[-1] is None and len(calls) == 3


def test_no_wait_starts_cuda(monkeypatch):
    # torch.cuda.synchronize starts CUDA where it has not started (a context on the GPU, seconds): on the old code
    # wait_for_device("cuda") did, before any work was queued there (settled_clock at the start of a timing)
    from starclass.learn.precision import settled_clock, wait_for_device

    calls: list[object] = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: calls.append(device))
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: False)
    for device in ("cuda", "cuda:1", torch.device("cuda", 0), None):
        wait_for_device(device)
        settled_clock(device)
    assert calls == []


def test_train_reads_each_epochs_seconds_after_the_gpu_work(monkeypatch, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 2, "val_fraction": 0.25})
    toy = make_synthetic(cfg, 24, seed=0)
    events = _as_if_cuda(monkeypatch)
    result = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "m", progress=False, device="cpu", ensemble=1)
    # each epoch's start and end (its history's seconds and its log line), and the run's total
    assert len(events) >= 2 * 2 + 1, events
    assert len(result.histories[0]) == 2 and all(h["seconds"] >= 0 for h in result.histories[0])


def test_the_tta_bar_moves_after_each_pass_has_run(monkeypatch, tmp_path):
    from starclass.learn.checkpoint import load_model, write_untrained_model
    from starclass.learn.classify import member_probabilities
    from starclass.learn.config import get_preset

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    model = load_model(write_untrained_model(tmp_path / "m", cfg), device="cpu")
    x = np.zeros((3, cfg.n_channels, 16, 16), np.float32)
    events = _as_if_cuda(monkeypatch)
    member_probabilities(model.members, x, tta=True, device="cpu", on_pass=lambda n: events.append("pass"))
    assert events == ["sync", "pass"] * 8 * len(model.members)


def test_classify_says_its_seconds_after_the_gpu_work(monkeypatch, tmp_path):
    from finetune_setup import noise_folder, tiny_config  # tests/ is on sys.path under pytest
    from starclass.cli import app
    from starclass.learn.checkpoint import write_untrained_model

    folder = noise_folder(Path(tmp_path / "cut").resolve(), 4, seed=1)
    model = write_untrained_model(tmp_path / "m", tiny_config())
    events = _as_if_cuda(monkeypatch)
    res = CliRunner().invoke(app, ["classify", "--stamps", str(folder), "--model", str(model), "-o",
                                   str(tmp_path / "out.csv"), "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "classified 4 cutouts" in res.output and events, res.output


def test_a_training_batch_reads_its_loss_once(monkeypatch, tmp_path):
    # each read of a GPU tensor's value waits for the work queued before it: the batch loop read the loss twice
    # (torch.isfinite(loss) as a bool, then float(loss)) on the old code, two waits per batch. Counted here: the
    # reads of a tensor's value made by MemberTrainer.train_epoch's own lines, against its batches
    import sys

    import torch.nn.functional as F

    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    reads: list[str] = []

    def counted(name: str):
        real = getattr(torch.Tensor, name)

        def read(self, *args, **kwargs):
            if sys._getframe(1).f_code.co_name == "train_epoch":
                reads.append(name)
            return real(self, *args, **kwargs)

        return read

    for name in ("__bool__", "__float__", "item", "tolist"):
        monkeypatch.setattr(torch.Tensor, name, counted(name))
    losses: list[int] = []
    real_loss = F.cross_entropy

    def cross_entropy(*args, **kwargs):
        if sys._getframe(1).f_code.co_name == "train_epoch":
            losses.append(1)  # one per training batch (no mixup)
        return real_loss(*args, **kwargs)

    monkeypatch.setattr(F, "cross_entropy", cross_entropy)
    torch.set_num_threads(1)
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 2, "val_fraction": 0.25,
                                                                        "batch_size": 8, "mixup": 0.0})
    toy = make_synthetic(cfg, 40, seed=0)
    fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "m", progress=False, device="cpu", ensemble=1)
    assert len(losses) >= 4, losses  # the loop ran batches
    assert reads == ["__float__"] * len(losses)
