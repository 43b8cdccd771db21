"""The summary of benchmarks/trust_active_real.py: labels needed, fold means (generated folds)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import load_benchmark


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("trust_active_real")


def test_labels_needed_first_reaching(bench):
    assert bench.labels_needed([10, 20, 30], [0.5, 0.8, 0.9], 0.8) == 20
    assert bench.labels_needed([10, 20, 30], [0.5, 0.7, 0.79], 0.8) is None


def _fold(k, ent, rnd, ref):
    grid = [10, 20, 30]
    curve = [lambda v, n=n: {"accuracy": v, "auc": v, "f1": v, "labels": n} for n in grid]
    return {"fold": k, "grid": grid, "n_pool_objects": 60, "seconds": 1.0,
            "entropy": [[c(v) for c, v in zip(curve, ent)]],
            "random": [[c(v) for c, v in zip(curve, r)] for r in rnd],
            "reference": [{"accuracy": ref, "auc": ref, "f1": ref}]}


def test_summary_means_and_labels_needed(bench, tmp_path):
    # fold means: entropy 0.6, 0.85, 0.9; random (mean of two orders, then of folds) 0.6, 0.7, 0.8
    (tmp_path / "fold0.json").write_text(json.dumps(_fold(0, [0.6, 0.8, 0.9], [[0.5, 0.7, 0.8], [0.7, 0.7, 0.8]], 0.8)))
    (tmp_path / "fold1.json").write_text(json.dumps(_fold(1, [0.6, 0.9, 0.9], [[0.6, 0.7, 0.8], [0.6, 0.7, 0.8]], 0.9)))
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out)]) == 0
    acc = json.loads(out.read_text())["metrics"]["accuracy"]
    np.testing.assert_allclose(acc["entropy_mean"], [0.6, 0.85, 0.9])
    np.testing.assert_allclose(acc["random_mean"], [0.6, 0.7, 0.8])
    assert acc["all_labels_mean"] == pytest.approx(0.85)
    assert acc["entropy_labels_needed"] == 20
    assert acc["random_labels_needed"] is None
    assert acc["entropy_labels_needed_per_fold"] == [20, 20]
    assert acc["random_labels_needed_per_fold"] == [30, None]
