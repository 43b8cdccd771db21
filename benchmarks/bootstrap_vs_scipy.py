"""``bootstrap_ci``'s percentile interval against ``scipy.stats.bootstrap(method="percentile")``.

For the accuracy of paired labels (three classes, 70% right) and the ROC AUC of a score, at 30, 60
and 200 rows and 200 and 2000 resamples, prints the value, starclass's interval, scipy's interval
with the same seed (``numpy.random.default_rng(seed)``: both draw one ``rng.integers(0, n, n)`` per
resample, so the same resamples), scipy's with another seed (independent resamples), and the width
ratios starclass / scipy. Whether each interval holds the value is said where it does not.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/bootstrap_vs_scipy.py
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.stats import bootstrap
from sklearn.metrics import roc_auc_score

from starclass.evaluate.bootstrap import bootstrap_ci


def accuracy(ref: np.ndarray, pred: np.ndarray) -> float:
    """Share of rows whose prediction is the reference's class."""
    return float(np.mean(ref == pred))


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC, NaN on a resample without positives or negatives (both libraries skip those)."""
    return float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else np.nan


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=11, help="seed of the data")
    ap.add_argument("--rows", type=int, nargs="+", default=[30, 60, 200])
    ap.add_argument("--resamples", type=int, nargs="+", default=[200, 2000])
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print(f"{'figure':9s} {'n':>4s} {'n_boot':>6s} {'value':>7s} {'starclass':>17s} {'scipy, same seed':>17s} "
          f"{'scipy, seed 99':>17s} {'ratio same':>10s} {'ratio other':>11s}")
    for n in args.rows:
        ref = rng.integers(1, 4, n)
        pred = np.where(rng.uniform(size=n) < 0.7, ref, rng.integers(1, 4, n))
        y = rng.uniform(size=n) < 0.4
        score = np.clip(y * 0.3 + rng.uniform(size=n) * 0.7, 0, 1)
        for name, fn, arrays in (("accuracy", accuracy, (ref, pred)), ("roc_auc", roc_auc, (y, score))):
            for n_boot in args.resamples:
                value, lo, hi = bootstrap_ci(fn, *arrays, n_boot=n_boot, seed=0)
                ci = {}
                for seed in (0, 99):
                    res = bootstrap(arrays, fn, paired=True, vectorized=False, n_resamples=n_boot,
                                    method="percentile", random_state=np.random.default_rng(seed))
                    ci[seed] = (float(res.confidence_interval.low), float(res.confidence_interval.high))
                outside = [who for who, (a, b) in (("starclass", (lo, hi)), ("scipy", ci[0]), ("scipy 99", ci[99]))
                           if not a <= value <= b]
                print(f"{name:9s} {n:4d} {n_boot:6d} {value:7.4f} [{lo:.4f}, {hi:.4f}] "
                      f"[{ci[0][0]:.4f}, {ci[0][1]:.4f}] [{ci[99][0]:.4f}, {ci[99][1]:.4f}] "
                      f"{(hi - lo) / (ci[0][1] - ci[0][0]):10.3f} "
                      f"{(hi - lo) / (ci[99][1] - ci[99][0]):11.3f}"
                      + (f"  value outside: {', '.join(outside)}" if outside else ""))


if __name__ == "__main__":
    main()
