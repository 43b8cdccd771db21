"""Issue 17: the calibrators and coverage helpers of ``benchmarks/trust_calibrators.py``.

Matrix scaling with ODIR is checked against scikit-learn's unpenalised multinomial logistic
regression (the same model without the penalty) and against a known off-diagonal
miscalibration; the one-vs-rest binning maps on a known miscalibration; the Wilson interval
against a hand computation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import check_grad
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tc():
    path = ROOT / "benchmarks" / "trust_calibrators.py"
    spec = importlib.util.spec_from_file_location("trust_calibrators_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _drawn(n: int, seed: int, w, b):
    """Probabilities of a model and labels drawn from ``softmax(W log p + b)`` (a known miscalibration)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 1.5, (n, len(b)))
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    t = np.log(p) @ np.asarray(w).T + b
    t = np.exp(t - t.max(1, keepdims=True))
    t /= t.sum(1, keepdims=True)
    y = np.minimum((rng.random(n)[:, None] > np.cumsum(t, 1)).sum(1), len(b) - 1)
    return p, y


W_TRUE = [[0.8, 0.3, 0.0], [0.0, 1.2, 0.0], [0.0, -0.3, 0.9]]
B_TRUE = [0.2, -0.3, 0.1]


def test_odir_gradient_and_the_unpenalised_fit_equal_logistic_regression(tc):
    p, y = _drawn(1500, 0, W_TRUE, B_TRUE)
    logp, onehot = np.log(p), np.eye(3)[y]
    theta = np.random.default_rng(1).normal(size=12)
    err = check_grad(lambda t: tc._matrix_loss_grad(t, logp, onehot, 0.3, 0.2)[0],
                     lambda t: tc._matrix_loss_grad(t, logp, onehot, 0.3, 0.2)[1], theta)
    assert err < 1e-5
    ours = tc.MatrixODIR(0.0, 0.0).fit(p, y).predict_proba(p)
    ref = LogisticRegression(C=np.inf, max_iter=5000, tol=1e-10).fit(logp, y).predict_proba(logp)
    assert log_loss(y, ours) == pytest.approx(log_loss(y, ref), abs=1e-5)


def test_matrix_odir_recovers_an_off_diagonal_miscalibration_on_fresh_rows(tc):
    p, y = _drawn(6000, 2, W_TRUE, B_TRUE)
    p_new, y_new = _drawn(6000, 3, W_TRUE, B_TRUE)
    mat = tc.MatrixODIR(1e-3, 1e-3).fit(p, y)
    assert np.allclose(mat.w_ - mat.w_.mean(0), np.asarray(W_TRUE) - np.mean(W_TRUE, 0), atol=0.12)
    vec = tc._Starclass("vector").fit(p, y)
    nll_mat = log_loss(y_new, mat.predict_proba(p_new))
    assert nll_mat < log_loss(y_new, vec.predict_proba(p_new)) - 0.005  # vector scaling has no off-diagonal
    # a strong off-diagonal penalty pulls the map back towards the diagonal
    strong = tc.MatrixODIR(1e3, 1e-3).fit(p, y)
    off = ~np.eye(3, dtype=bool)
    assert np.abs(strong.w_[off]).max() < 0.2 * np.abs(mat.w_[off]).max()


@pytest.mark.parametrize("name", ["isotonic_ovr", "histogram_ovr"])
def test_binning_maps_renormalise_and_lower_the_classwise_ece_on_fresh_rows(tc, name):
    # over-confident model: the truth is a softened version of p
    w = np.eye(3) * 0.5
    p, y = _drawn(6000, 4, w, [0.0, 0.0, 0.0])
    p_new, y_new = _drawn(6000, 5, w, [0.0, 0.0, 0.0])
    q = tc.make_maps()[name].fit(p, y).predict_proba(p_new)
    assert np.allclose(q.sum(1), 1.0) and np.all(q >= 0)
    before, after = tc.scores(p_new, y_new), tc.scores(q, y_new)
    assert after["classwise_ece"] < 0.5 * before["classwise_ece"]
    assert after["ece"] < 0.5 * before["ece"]


def test_wilson_interval_and_coverage_spread(tc):
    # Wilson 95% for 8 of 10 by hand: centre (0.8 + 1.92/10) / 1.384, half-width 1.96 * sqrt(0.016 + 0.00096) / 1.384
    centre = (0.8 + 1.96 ** 2 / 20) / (1 + 1.96 ** 2 / 10)
    half = 1.96 * np.sqrt(0.8 * 0.2 / 10 + 1.96 ** 2 / 400) / (1 + 1.96 ** 2 / 10)
    assert tc._wilson(8, 10) == pytest.approx([centre - half, centre + half], abs=1e-4)
    covs = np.array([[0.90, 0.85], [0.91, 0.93], [0.89, 0.90]])
    s = tc._spread(covs, 0.9, observed=[0.895, 0.86])
    assert s["share_all_within_2pts"] == pytest.approx(1 / 3)
    assert s["share_each_within_2pts"] == [1.0, pytest.approx(0.333, abs=1e-3)]
    assert s["share_at_or_below_observed"] == [pytest.approx(0.333, abs=1e-3), pytest.approx(0.333, abs=1e-3)]
