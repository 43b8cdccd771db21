"""The ECE's bootstrap interval is bias-corrected (2026-12-06), so it holds the ECE it is printed beside.

The ECE is biased upwards at small n and its resamples more so: the percentile interval of
``evaluate`` lay wholly above the ECE on 64 real PAndAS cutouts ("ECE 0.0832 [0.0854, 0.2214]").
Now the interval is Efron's bias-corrected percentile interval, from the same resamples as every
other figure, widened to the ECE where it still leaves it out; the Brier score (a mean) keeps its
percentile interval. Checked against a resampler and a bias correction written out by hand and
against scipy.stats.bootstrap's BCa interval on rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import bootstrap

from conftest import bias_corrected_by_hand, classified_objects, object_resamples
from starclass.evaluate.bootstrap import bias_corrected_interval, bootstrap_figures, percentile_interval
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.reliability import DEFAULT_BINS, _bin_index, expected_calibration_error

N_BOOT = 200


def test_the_ece_interval_holds_the_ece_where_the_percentile_interval_lay_above_it():
    # 86 cutouts of 40 objects, well separated: the ECE (0.062) is below what most resamples give
    t, task, p = classified_objects(2, 40, seed=55, signal=2.0)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id").comparisons[0]
    ref = np.asarray(t["class_ref"]) - 1
    ece = expected_calibration_error(p, ref)
    assert c.trust.ece == pytest.approx(ece, rel=1e-12)
    draws = np.array([expected_calibration_error(p[idx], ref[idx]) for idx in object_resamples(t["object_id"], N_BOOT)])
    # the old interval, the percentiles, leaves the ECE out: the case the change is for
    old = np.quantile(draws, [0.025, 0.975])
    assert old[0] > ece
    lo, hi = c.trust.ece_ci
    assert lo <= c.trust.ece <= hi
    assert (lo, hi) == pytest.approx(bias_corrected_by_hand(draws, ece), rel=1e-9)
    # the Brier score keeps the percentile interval of the same resamples
    brier = np.array([np.sum((p[idx] - np.eye(2)[ref[idx]]) ** 2, axis=1).mean()
                      for idx in object_resamples(t["object_id"], N_BOOT)])
    assert c.trust.brier_ci == pytest.approx(tuple(np.quantile(brier, [0.025, 0.975])), rel=1e-9)
    # and what evaluate prints carries the new interval
    assert f"ECE {c.trust.ece:.4f} [{lo:.4f}, {hi:.4f}]" in "\n".join(c.lines())


@pytest.mark.parametrize(("n", "delta", "seed"), [(126, 0.05, 1), (200, 0.08, 2)])
def test_the_bias_corrected_interval_is_scipys_bca_interval_within_its_acceleration(n, delta, seed):
    # rows, not objects: scipy.stats.bootstrap resamples rows. Its BCa adds an acceleration (from the
    # jackknife) that the bias-corrected interval leaves out; for the ECE it moves the ends by under 0.01
    rng = np.random.default_rng(seed)
    conf = 0.5 + 0.5 * rng.beta(2, 2, n)
    right = (rng.random(n) < conf - delta).astype(np.float64)
    b = _bin_index(conf, DEFAULT_BINS)

    def ece_of_rows(idx):
        idx = np.asarray(idx, dtype=np.int64)
        gap = np.bincount(b[idx], weights=right[idx] - conf[idx], minlength=DEFAULT_BINS)
        return np.abs(gap).sum() / idx.size

    def ece_of_weights(w):
        return np.array([np.abs(np.bincount(b, weights=w * (right - conf), minlength=DEFAULT_BINS)).sum() / w.sum()])

    point = ece_of_rows(np.arange(n))
    lo, hi, _ = bootstrap_figures(ece_of_weights, n, n_boot=4000, points=np.array([point]))
    bca = bootstrap((np.arange(n),), ece_of_rows, vectorized=False, n_resamples=4000, method="BCa",
                    random_state=0).confidence_interval
    assert lo[0] == pytest.approx(bca.low, abs=0.01)
    assert hi[0] == pytest.approx(bca.high, abs=0.01)
    # and both lie well below the percentile interval: the bias correction is what moved them
    plo, phi, _ = bootstrap_figures(ece_of_weights, n, n_boot=4000)
    assert hi[0] < phi[0] - 0.02 and lo[0] < plo[0] - 0.01


def test_a_point_outside_every_resample_gives_an_interval_reaching_it():
    v = np.linspace(0.1, 0.2, 200)
    assert bias_corrected_interval(v, 0.05, 200) == (0.05, pytest.approx(0.1, abs=1e-3))
    assert bias_corrected_interval(v, 0.25, 200) == (pytest.approx(0.2, abs=1e-3), 0.25)
    # a point at the median: the percentile interval
    assert bias_corrected_interval(v, float(np.median(v)), 200) == pytest.approx(percentile_interval(v, 200))
