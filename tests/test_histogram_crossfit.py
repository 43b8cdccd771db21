"""Histogram binning's conformal sets: the stored rows are scored by bins fitted without them.

The bins (edges and frequencies) were fitted on the very rows whose calibrated scores then fitted
the conformal sets: those scores were optimistic, the sets too small and the coverage short of
its target (reported on 2026-12-02 for simulated fields: 0.781 / 0.887 at 80% / 90%).
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.learn.calibration import HistogramBinner, ModelCalibration, cross_fitted_histogram
from starclass.learn.conformal import ClassConditionalConformal


def _model_rows(n, rng):
    """An over-confident four-class model: its logits doubled against the truth's."""
    logits = rng.normal(0, 1.5, (n, 4)) + np.array([0.0, 0.3, 0.2, 0.8])
    truth = np.exp(logits)
    truth /= truth.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > np.cumsum(truth, axis=1)).sum(axis=1)
    p = np.exp(2.0 * logits)
    return p / p.sum(axis=1, keepdims=True), y


def test_each_row_is_scored_by_bins_that_never_saw_it():
    rng = np.random.default_rng(3)
    p, y = _model_rows(1600, rng)
    q = cross_fitted_histogram(p, y, 15)
    assert q.shape == p.shape and np.allclose(q.sum(axis=1), 1)
    # by hand: the two halves (each class split evenly), each calibrated by bins of the other
    fold = np.empty(len(y), int)
    split = np.random.default_rng(0)
    for c in np.unique(y):
        rows = split.permutation(np.flatnonzero(y == c))
        fold[rows] = np.arange(rows.size) % 2
    for f in (0, 1):
        other = HistogramBinner(15, min_rows_per_bin=0).fit(p[fold != f], y[fold != f])
        np.testing.assert_allclose(q[fold == f], other.predict_proba(p[fold == f]))
    # the conformal sets of a histogram map are fitted on these scores, not on the in-sample ones
    cal = ModelCalibration.fit(p, y, [1, 2, 3, 4], method="histogram")
    got = cal.conformal(calibrated=True, seed=0)
    want = ClassConditionalConformal(seed=0).fit(q, y)
    new = rng.dirichlet(np.ones(4), 500)
    np.testing.assert_array_equal(got.predict_p(cal.calibrate(new)), want.predict_p(cal.calibrate(new)))
    with pytest.raises(Exception, match="at least 2 folds"):
        cross_fitted_histogram(p, y, 15, folds=1)


def test_histogram_sets_reach_their_coverage_on_fresh_rows():
    """Mean per-class coverage over 8 calibration draws of 1,500 rows, on 20,000 fresh rows each."""
    cov = {0.8: [], 0.9: []}
    for seed in range(8):
        rng = np.random.default_rng(seed)
        p_c, y_c = _model_rows(1500, rng)
        p_t, y_t = _model_rows(20000, rng)
        cal = ModelCalibration.fit(p_c, y_c, [1, 2, 3, 4], method="histogram")
        conformal = cal.conformal(calibrated=True, seed=seed)
        q = cal.calibrate(p_t)
        for c in cov:
            sets = conformal.predict_set(q, c)
            cov[c].append(np.mean([sets[y_t == j, j].mean() for j in range(4)]))
    # split conformal promises at least the target on average: cross-fitted 0.813 / 0.910 here, the
    # in-sample bins' scores 0.798 / 0.894 (the draws' standard error is about 0.004)
    assert np.mean(cov[0.8]) >= 0.8 and np.mean(cov[0.9]) >= 0.9, cov


def test_benchmark_refuses_to_replace_its_json_without_overwrite(tmp_path, capsys):
    """benchmarks/trust_histogram_crossfit.py wrote --json over an existing file without a word."""
    from conftest import load_benchmark  # tests/ is on sys.path under pytest

    bench = load_benchmark("trust_histogram_crossfit")
    old = tmp_path / "cov.json"
    old.write_text('{"kept": true}')
    # in this process, as the script's own main() (a subprocess spent seconds importing torch)
    with pytest.raises(SystemExit) as stop:
        bench.main([str(tmp_path / "no_model"), "--json", str(old)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "give --overwrite" in err, err
    assert old.read_text() == '{"kept": true}'
