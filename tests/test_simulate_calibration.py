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


def test_per_source_right_wrong_gives_the_scores():
    from starclass.simulate.calibration import rule_correct

    t, cls = _table(300, informative=True, seed=3)
    scores = rule_scores(t, cls, seed=2)
    correct = rule_correct(t, cls, seed=2)
    for task in ("4class", "binary"):
        for rule in ("majority", "ci_tree", "tree3", "gbm"):
            assert len(correct[task][rule]) == scores["n"] == 300
            assert np.mean(correct[task][rule]) == scores[task][rule]


def test_bootstrap_interval_shrinks_with_size_and_covers_the_accuracy():
    from starclass.simulate.calibration import bootstrap_accuracy

    rng = np.random.default_rng(4)
    small = rng.random(100) < 0.6
    large = rng.random(10000) < 0.6
    lo_s, hi_s = bootstrap_accuracy(small, seed=1)
    lo_l, hi_l = bootstrap_accuracy(large, seed=1)
    assert lo_s <= small.mean() <= hi_s and lo_l <= large.mean() <= hi_l
    # binomial error sqrt(p(1-p)/n): a 95 % interval of about +-9.6 points at n=100, +-1 at 10^4
    assert 0.13 < hi_s - lo_s < 0.25 and 0.013 < hi_l - lo_l < 0.025
    # several fold partitions of the same sources: their accuracies are averaged per resample
    two = np.stack([large, large])
    assert bootstrap_accuracy(two, seed=1) == (lo_l, hi_l)


def test_rules_run_on_a_catalogue_without_magnitude_errors():
    # mag_<band> without magerr_<band>: the gradient boosting's all-NaN columns made scikit-learn's
    # binning raise "window shape cannot be larger than input array shape"
    t, cls = _table(200, informative=True, seed=5)
    no_errors = t.copy()
    no_errors.remove_columns([c for c in t.colnames if c.startswith("magerr_")])
    scores = rule_scores(no_errors, cls)
    # constant magnitude errors give nothing to split on: the same predictions as none at all
    assert scores == rule_scores(t, cls)
    assert scores["4class"]["gbm"] > 0.8


def test_rules_refuse_a_catalogue_without_magnitudes():
    import pytest

    from starclass.errors import StarclassError

    t, cls = _table(50, informative=True)
    t.remove_columns([c for c in t.colnames if c.startswith("mag")])
    with pytest.raises(StarclassError, match="no mag_<band> column"):
        rule_scores(t, cls)
