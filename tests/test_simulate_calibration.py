"""Calibration helpers: spatial folds and naive-rule scoring."""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.simulate.calibration import rule_scores, spatial_folds, summary_text


def _table(n, informative: bool, seed=0):
    rng = np.random.default_rng(seed)
    cls = rng.integers(1, 5, n)
    t = Table()
    t["x"] = rng.uniform(0, 1000, n)
    t["y"] = rng.uniform(0, 1000, n)
    shift = cls * 0.3 if informative else np.zeros(n)
    t["ci"] = 1.4 + shift + rng.normal(0, 0.05, n)
    for b in ("f336w", "f438w", "f555w", "f814w"):
        t[f"mag_{b}"] = 23 + rng.normal(0, 0.5, n)
        t[f"magerr_{b}"] = np.full(n, 0.05)
    return t, cls


def test_spatial_folds_are_balanced_blocks():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 500, 2000), rng.uniform(0, 500, 2000)
    f = spatial_folds(x, y)
    counts = np.bincount(f, minlength=5)
    assert len(counts) == 5 and counts.min() > 250
    # neighbours (same block) share a fold
    near = (np.abs(x[:, None] - x[None, :]) < 2) & (np.abs(y[:, None] - y[None, :]) < 2)
    i, j = np.nonzero(np.triu(near, 1))
    assert np.mean(f[i] == f[j]) > 0.9


def test_rules_find_signal_only_when_there_is_some():
    t, cls = _table(400, informative=True)
    good = rule_scores(t, cls)
    assert good["4class"]["ci_tree"] > 0.45  # depth 2 -> at most 4 leaves, CI separates classes
    assert good["4class"]["gbm"] > 0.8
    t2, cls2 = _table(400, informative=False)
    bad = rule_scores(t2, cls2)
    assert bad["4class"]["gbm"] < 0.35
    assert set(bad["binary"]) >= {"majority", "ci_tree", "tree3", "gbm"}
    res = {"vs_truth": good, "vs_humans": bad, "class_fractions_truth": {str(k): 0.25 for k in range(1, 5)},
           "class_fractions_humans": {str(k): 0.25 for k in range(1, 5)}, "humans_vs_truth": 0.8}
    text = summary_text(res)
    assert "| 4class | gbm |" in text
