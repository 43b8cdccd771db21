"""Issue 17: the calibrators and coverage helpers of ``benchmarks/trust_calibrators.py``.

Matrix scaling with ODIR is checked against scikit-learn's unpenalised multinomial logistic
regression (the same model without the penalty) and against a known off-diagonal
miscalibration; the one-vs-rest binning maps on a known miscalibration; the Wilson interval
against a hand computation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import check_grad
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from conftest import load_benchmark


@pytest.fixture(scope="module")
def tc():
    return load_benchmark("trust_calibrators")


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


def _fields_npz(path, seeds, n_per_field: int, soften: float, rng_seed: int = 0):
    """A ``trust_recheck.py dump``-like file: 4-class probabilities, labels drawn from ``p ** soften`` renormalised.

    ``soften`` = 1 is a perfectly calibrated model; below 1 the model is over-confident.
    """
    rng = np.random.default_rng(rng_seed)
    n = n_per_field * len(seeds)
    z = rng.normal(0, 1.4, (n, 4))
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    t = p ** soften
    t /= t.sum(1, keepdims=True)
    y = np.minimum((rng.random(n)[:, None] > np.cumsum(t, 1)).sum(1), 3)
    np.savez_compressed(path, probs=p, y=y, class_ref=y + 1, people_mode=y + 1,
                        field=np.repeat(np.asarray(seeds), n_per_field), classes=np.arange(1, 5))
    return path


def test_seed_list_and_load_fields_concatenate_and_refuse_a_field_twice(tc, tmp_path, capsys):
    assert tc.seed_list("310,312-314") == [310, 312, 313, 314]
    a = _fields_npz(tmp_path / "a.npz", [1, 2], 10, 1.0, 0)
    b = _fields_npz(tmp_path / "b.npz", [3], 10, 1.0, 1)
    d = tc.load_fields(f"{a},{b}")
    assert d["probs"].shape == (30, 4) and np.unique(d["field"]).tolist() == [1, 2, 3]
    assert np.array_equal(d["y"][20:], np.load(b)["y"])
    with pytest.raises(SystemExit) as e:
        tc.load_fields(f"{a},{a}")
    assert e.value.code == 2 and "field seed(s) [1, 2] already in an earlier file" in capsys.readouterr().err


@pytest.mark.parametrize("args, says", [
    (["--test-seeds", "3-x"], "'3-x' is not a seed"),
    (["--test-seeds", "2,3", "--pool-seeds", "1,2"], "overlap"),
    (["--test-seeds", "3", "--explain", "1-2"], "give OLD_TEST:OLD_POOL"),
    (["--test-seeds", "3", "--explain", "1:2,9"], "seeds [9] not in the saved rows"),
])
def test_large_test_bad_arguments_exit_2_naming_them_and_write_nothing(tc, tmp_path, monkeypatch, capsys, args,
                                                                      says):
    a = _fields_npz(tmp_path / "a.npz", [1, 2, 3], 10, 1.0)
    out = tmp_path / "out.json"
    monkeypatch.setattr("sys.argv", ["trust_calibrators.py", "large-test", str(a), *args, "--json", str(out)])
    with pytest.raises(SystemExit) as e:
        tc.main()
    assert e.value.code == 2 and says in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr("sys.argv", ["trust_calibrators.py", "large-test", str(tmp_path / "none.npz")])
    with pytest.raises(SystemExit) as e:
        tc.main()
    assert e.value.code == 2 and "none.npz: no such file" in capsys.readouterr().err


def test_large_test_floor_and_coverage_on_a_calibrated_and_an_over_confident_model(tc, tmp_path):
    seeds = list(range(8))
    # perfectly calibrated: every map's ECE sits at the floor, the sets cover each class at ~90%
    # (2 calibration fields: ~500 rows per class, so one class's coverage scatters by ~1.5 points
    # and the draws share fields; the mean over the four classes by ~0.8)
    d = tc.load_fields(str(_fields_npz(tmp_path / "ok.npz", seeds, 1000, 1.0)))
    out = tc.run_large_test(d, seeds[4:], seeds[:4], sizes=(2,), draws=3, floor_draws=20, block=2, split_reps=3)
    s = out["by_calibration_fields"]["2"]
    fs = out["field_splits_temperature"]
    assert fs["reps"] == 3 and len(fs["random_splits"]["share_at_or_below_observed"]) == 4
    for key in ("pool_to_test", "test_to_pool"):  # exchangeable fields: both ways near 90%
        assert np.mean(fs[key]) == pytest.approx(0.9, abs=0.02)
    assert out["n_test"] == 4000 and out["test_blocks"] == [[4, 5], [6, 7]]
    for m in ("temperature", "vector", "histogram"):
        assert abs(s[m]["ece_minus_floor_mean"]) < 0.01
    for m in ("temperature", "histogram"):
        assert np.mean(s[m]["coverage"]["mean"]) == pytest.approx(0.9, abs=0.025)
        assert np.allclose(s[m]["coverage"]["mean"], 0.9, atol=0.06)
        assert len(s[m]["coverage"]["sd"]) == 4
    assert "coverage" not in s["vector"]
    assert len(s["per_draw"]) == 3 and all(len(r["fields"]) == 2 for r in s["per_draw"])
    # over-confident: the raw ECE is far above the floor, the fitted maps bring it down to it
    d = tc.load_fields(str(_fields_npz(tmp_path / "over.npz", seeds, 1000, 0.5)))
    out = tc.run_large_test(d, seeds[4:], seeds[:4], sizes=(2,), draws=2, floor_draws=20, block=2, split_reps=0)
    s = out["by_calibration_fields"]["2"]
    assert "field_splits_temperature" not in out
    assert out["raw"]["ece"] > 0.1
    assert s["temperature"]["ece_mean_sd"][0] < 0.3 * out["raw"]["ece"]
    assert s["temperature"]["nll_mean_sd"][0] < out["raw"]["nll"]
    with pytest.raises(SystemExit) as e:
        tc.run_large_test(d, seeds[3:], seeds[:4], sizes=(2,), draws=1)
    assert e.value.code == 2


def test_explain_draws_reproduces_the_histogram_sections_draws(tc, tmp_path):
    seeds = list(range(100, 116))
    d = tc.load_fields(str(_fields_npz(tmp_path / "f.npz", seeds, 750, 0.8)))
    old_test, pool = seeds[2:6], seeds[:2] + seeds[6:]
    ref = tc.run_histogram(d, old_test)["random_field_subsets"]
    ex = tc.explain_draws(d, old_test, pool, seeds[6:10])
    for nf in ("2", "4", "8", "12"):
        for m in ("temperature", "vector", "histogram"):
            assert ex["sizes"][nf]["mean_sd"][m]["ece_old_test"] == ref[nf][m]["ece_mean_sd"]
    assert set(ex["eight_field_draws_with_minus_without_field"]) <= {str(s) for s in pool}


def test_true_class_coverage_equals_the_coverage_of_the_full_sets(tc):
    from starclass.learn.conformal import ClassConditionalConformal

    p, y = _drawn(3000, 6, np.eye(3), [0.0, 0.0, 0.0])
    p_new, y_new = _drawn(4000, 7, np.eye(3), [0.0, 0.0, 0.0])
    # without smoothing the p-values are exact, so the shortcut must agree to the last row
    cp = ClassConditionalConformal(smoothing=False).fit(p, y)
    full = cp.predict_set(p_new, 0.9)
    assert tc.true_class_coverage(cp, p_new, y_new, 0.9) == tc._cov(full, y_new, 3)
    assert tc.true_class_coverage(cp, p_new, y_new, 0.8) == tc._cov(cp.predict_set(p_new, 0.8), y_new, 3)
