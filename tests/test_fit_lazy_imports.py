"""``starclass.learn.train.fit`` on arrays imports neither scikit-learn nor numba.

Most of what ``fit`` held after it returned was imports (``benchmarks/fit_memory.py``): scikit-learn
(about 130 MiB), loaded because the calibrators derived from ``sklearn.base.BaseEstimator``, and
numba (about 55 MiB), loaded through ``learn.classify``'s module-level ``starclass.stamps`` imports,
although training neither clones an estimator nor cuts a stamp. (``torch._dynamo`` stays: every
``torch.optim`` optimizer imports it when made.) Checked in a fresh interpreter, where nothing else
imported them first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys, tempfile, warnings
import numpy as np
import torch
torch.set_num_threads(1)
from starclass.learn.config import get_preset
from starclass.learn.train import fit
cfg = get_preset("legus4-compact", stamp_size=32)
x = np.random.default_rng(0).normal(size=(24, cfg.n_channels, 32, 32)).astype(np.float32)
y = np.tile([1, 2, 3, 4], 6)
with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = fit(cfg, x, y, outdir=d, progress=False, device="cpu", epochs=1, seed=0)
print(json.dumps({"fitted": result is not None,
                  "loaded": sorted(m for m in ("sklearn", "numba", "starclass.stamps") if m in sys.modules)}))
"""


def test_fit_imports_neither_sklearn_nor_numba():
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
