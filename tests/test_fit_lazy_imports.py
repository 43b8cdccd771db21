"""``starclass.learn.train.fit`` on arrays imports neither scikit-learn, numba nor ``torch._dynamo``.

Most of what ``fit`` held after it returned was imports (``benchmarks/fit_memory.py``): scikit-learn
(about 130 MiB), loaded because the calibrators derived from ``sklearn.base.BaseEstimator``, and
numba (about 55 MiB), loaded through ``learn.classify``'s module-level ``starclass.stamps`` imports,
although training neither clones an estimator nor cuts a stamp. ``torch._dynamo`` (about 160 MiB, 1.5-5 s)
came with every ``torch.optim`` optimizer, whose methods torch wraps in guards for ``torch.compile`` that
import it; the optimizers fit makes are torch's without those guards
(:func:`starclass.learn.train.eager_optimizer`), whose steps are checked here to be torch's, bit for bit.
Checked in a fresh interpreter, where nothing else imported them first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys, tempfile, warnings
import numpy as np
import torch
torch.set_num_threads(1)
from starclass.learn.config import get_preset
from starclass.learn.train import fit
cfg = get_preset("legus4-compact", stamp_size=32, recipe={"lr_schedule": "plateau"})
x = np.random.default_rng(0).normal(size=(24, cfg.n_channels, 32, 32)).astype(np.float32)
y = np.tile([1, 2, 3, 4], 6)
with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = fit(cfg, x, y, outdir=d, progress=False, device="cpu", epochs=1, seed=0)
print(json.dumps({"fitted": result is not None,
                  "loaded": sorted(m for m in ("sklearn", "numba", "starclass.stamps", "torch._dynamo")
                                   if m in sys.modules)}))
"""


def test_fit_imports_neither_sklearn_nor_numba_nor_dynamo():
    env = dict(os.environ, PYTHONPATH=str(SRC), OMP_NUM_THREADS="1")
    run = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["fitted"]
    assert got["loaded"] == [], f"fit imported {got['loaded']}"


def test_calibrators_still_clone_with_sklearn():
    """The scikit-learn methods are scikit-learn's own, loaded on use: clone and repr behave as before."""
    from sklearn.base import clone

    from starclass.learn.calibration import HistogramBinner, TemperatureScaler
    from starclass.learn.conformal import ClassConditionalConformal

    est = HistogramBinner(n_bins=7)
    twin = clone(est)
    assert twin is not est and twin.get_params() == {"n_bins": 7, "min_rows_per_bin": est.min_rows_per_bin}
    assert repr(est) == "HistogramBinner(n_bins=7)"
    assert repr(TemperatureScaler()) == "TemperatureScaler()"
    assert ClassConditionalConformal(seed=3).set_params(coverage=0.8).get_params()["coverage"] == 0.8


@pytest.mark.parametrize("name, options", [("Adam", {"lr": 0.01, "weight_decay": 0.1}),
                                           ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
                                           ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
                                           ("Adadelta", {"lr": 1.0, "rho": 0.95})])
def test_the_eager_optimizers_step_as_torchs_own(name, options):
    """The same weights, step for step, as torch's class; its state dict loads into torch's and back."""
    import torch

    from starclass.learn.train import eager_optimizer

    torch.manual_seed(0)
    start = [torch.randn(5, 3), torch.randn(3)]
    data = torch.randn(8, 5)

    def run(cls, steps, state=None):
        params = [torch.nn.Parameter(p.clone()) for p in start]
        opt = cls(params, **options)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
        if state is not None:
            opt.load_state_dict(state)
        for _ in range(steps):
            opt.zero_grad()
            loss = ((data @ params[0] + params[1]) ** 2).mean()
            loss.backward()
            opt.step()
            sched.step(loss.item())
        return params, opt

    torch_cls = getattr(torch.optim, name)
    eager = eager_optimizer(torch_cls)
    assert issubclass(eager, torch_cls) and eager is not torch_cls
    ours, opt = run(eager, 6)
    theirs, torch_opt = run(torch_cls, 6)
    for a, b in zip(ours, theirs):
        assert torch.equal(a, b), (a - b).abs().max()
    # a checkpoint of either resumes in the other (fit resumes from the state dicts its epochs saved)
    state = torch_opt.state_dict()
    assert opt.state_dict()["param_groups"] == state["param_groups"]
    resumed, _ = run(eager, 1, state=state)
    again, _ = run(torch_cls, 1, state=opt.state_dict())
    for a, b in zip(resumed, again):
        assert torch.equal(a, b)
    assert not torch.equal(resumed[0], start[0])  # the steps did move the weights
