"""evaluate's reliability table, ECE, Brier score and conformal coverage on three- and five-class tasks.

tests/test_trust.py checks the functions one by one (its ECE hand count uses six rows at two
confidences); here the whole of ``evaluate`` (:func:`starclass.evaluate.compare.evaluate_catalogs`)
scores a classified catalogue with calibrated and raw probabilities and conformal sets, and every
figure it gives is recomputed independently: the bins and the ECE by a plain numpy count written
out here, the Brier score with scikit-learn's ``brier_score_loss`` per class, the coverage and set
sizes by counting the ``pred_set`` strings.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss

from conftest import classified_objects
from starclass.evaluate.compare import evaluate_catalogs


def _bins_by_hand(p: np.ndarray, ref_index: np.ndarray, n_bins: int = 15):
    """Rows, mean top confidence and accuracy per bin (b/n, (b+1)/n] (0 in the first); the ECE."""
    conf = p.max(axis=1)
    right = p.argmax(axis=1) == ref_index
    n, mean_conf, acc = np.zeros(n_bins, int), np.full(n_bins, np.nan), np.full(n_bins, np.nan)
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        inside = (conf > lo) & (conf <= hi) if b else (conf >= 0) & (conf <= hi)
        n[b] = inside.sum()
        if n[b]:
            mean_conf[b], acc[b] = conf[inside].mean(), right[inside].mean()
    ece = sum(n[b] / len(conf) * abs(acc[b] - mean_conf[b]) for b in range(n_bins) if n[b])
    return n, mean_conf, acc, ece


def _brier_by_sklearn(p: np.ndarray, ref: np.ndarray) -> float:
    return sum(brier_score_loss(ref == c, p[:, c - 1]) for c in range(1, p.shape[1] + 1))


@pytest.mark.parametrize("k", [3, 5])
def test_evaluates_reliability_ece_brier_and_coverage_match_independent_counts(k):
    t, task, p = classified_objects(k, 150, seed=70 + k, signal=1.6)
    rng = np.random.default_rng(k)
    # raw probabilities sharper than the calibrated ones, as a network's before its temperature
    raw = p ** 2 / (p ** 2).sum(axis=1, keepdims=True)
    for j in range(k):
        t[f"prob_{j + 1}_raw"] = raw[:, j]
    ref = np.asarray(t["class_ref"])
    # sets: the reference class in about 90% of rows, other classes at random, some empty
    sets = rng.random((len(t), k)) < 0.3
    sets[np.arange(len(t)), ref - 1] = rng.random(len(t)) < 0.9
    t["pred_set"] = ["|".join(str(c + 1) for c in np.flatnonzero(row)) for row in sets]
    t["pred_set_size"] = sets.sum(axis=1)
    t.meta.update({"coverage": 0.9, "temperature": 1.7})
    c = evaluate_catalogs(t, task=task, n_boot=0).comparisons[0]
    tr = c.trust
    assert tr.n == len(t) and tr.n_classes == k

    for probs, table, ece in ((p, tr.reliability, tr.ece), (raw, tr.reliability_raw, tr.ece_raw)):
        n, mean_conf, acc, want = _bins_by_hand(probs, ref - 1)
        assert np.asarray(table["n"]).tolist() == n.tolist()
        filled = n > 0
        assert np.asarray(table["confidence"], float)[filled] == pytest.approx(mean_conf[filled], rel=1e-12)
        assert np.asarray(table["accuracy"], float)[filled] == pytest.approx(acc[filled], rel=1e-12)
        assert ece == pytest.approx(want, rel=1e-12)
    assert tr.brier == pytest.approx(_brier_by_sklearn(p, ref), rel=1e-12)
    assert tr.brier_raw == pytest.approx(_brier_by_sklearn(raw, ref), rel=1e-12)

    cov = tr.coverage_table
    for j in range(k):
        row = list(cov["class"]).index(str(j + 1)) if cov["class"].dtype.kind in "US" else j
        mine = ref == j + 1
        assert int(cov["n"][row]) == int(mine.sum())
        assert float(cov["coverage"][row]) == pytest.approx(sets[mine, j].mean(), rel=1e-12)
        assert float(cov["mean_set_size"][row]) == pytest.approx(sets[mine].sum(axis=1).mean(), rel=1e-12)
    all_row = list(np.asarray(cov["class"]).astype(str)).index("all")
    assert float(cov["coverage"][all_row]) == pytest.approx(sets[np.arange(len(t)), ref - 1].mean(), rel=1e-12)
    assert np.asarray(tr.set_sizes["n"]).tolist() == np.bincount(sets.sum(axis=1), minlength=k + 1).tolist()
    assert tr.coverage == pytest.approx(0.9)
