"""Coverage of the ECE's 95% bootstrap interval: percentile, bias-corrected and basic (evaluate's since 2026-12-06).

Binary confidences are drawn as ``0.5 + 0.5 * Beta(2, 2)`` and a row is right with probability
``confidence - delta``: the population ECE over evaluate's 15 equal-width bins is then exactly
``delta`` (every bin's accuracy is its mean confidence less ``delta``). For each row count and
``delta`` the script draws ``--reps`` samples, gives each the intervals ``evaluate`` would give
(:func:`starclass.evaluate.bootstrap.bootstrap_figures`, 1,000 resamples of the rows) and counts
how often each interval holds the population ECE, how often it holds the sample's own ECE, and
the same for the Brier score (a mean: its percentile interval is kept)::

    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200
    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200 \
        --rows 50 100 200 500 --classes 4

``--classes K`` draws the top confidence as ``1/K + (1 - 1/K) Beta(2, 2)`` instead. The rerun with
the basic interval (evaluate's since 2026-12-06, later; 50-500 rows, two and four classes) is in
``results_ece_interval_coverage_2026-12-06.txt`` and tabled in docs/evaluation.md ("Which interval
each figure has"). The first run, before the basic interval: recorded 2026-12-06 (200 draws each),
share of draws whose interval holds the population ECE,
percentile -> bias-corrected: 64 rows 0.00 -> 0.00 (ECE 0), 0.00 -> 0.07 (0.03), 0.29 -> 0.77
(0.08); 126 rows 0.00 -> 0.00, 0.00 -> 0.29, 0.68 -> 0.88; 867 rows 0.00 -> 0.00, 0.59 -> 0.87,
0.94 -> 0.93. The sample's own ECE: 0.94-1.00 inside the percentile interval, always inside the
bias-corrected one (widened to it). Brier's percentile interval held the population Brier score
in 0.92-0.96 of the draws, and 0.92-0.97 bias-corrected: no need to correct it.
"""

from __future__ import annotations

import argparse

import numpy as np

from starclass.evaluate.bootstrap import bootstrap_figures
from starclass.evaluate.reliability import DEFAULT_BINS, _bin_index


def coverage(n: int, delta: float, reps: int, n_boot: int, seed: int = 1, classes: int = 2) -> dict[str, float]:
    """Shares of ``reps`` draws of ``n`` rows whose intervals hold the population figures.

    ``classes`` K: the top-class confidence is ``1/K + (1 - 1/K) * Beta(2, 2)``, the other classes share
    the rest equally, and a wrong row's label is one of them at random (the ECE sees only the top
    confidence and whether it is right, so its population value is ``delta`` for any K).
    """
    rng = np.random.default_rng(seed)
    lo_c = 1.0 / classes

    def draw(size: int) -> np.ndarray:
        return lo_c + (1 - lo_c) * rng.beta(2, 2, size)

    def brier_terms(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # summed over classes, right: (1 - c)^2 + (K-1) q^2; wrong: c^2 + (1 - q)^2 + (K-2) q^2, q = (1-c)/(K-1)
        q = (1 - c) / (classes - 1)
        return (1 - c) ** 2 + (classes - 1) * q ** 2, c ** 2 + (1 - q) ** 2 + (classes - 2) * q ** 2

    big = draw(2_000_000)
    t_right, t_wrong = brier_terms(big)
    pop_brier = float(np.mean((big - delta) * t_right + (1 - big + delta) * t_wrong))
    hits = dict.fromkeys(("ece_pct", "ece_bc", "ece_basic", "point_pct", "point_bc", "brier_pct", "brier_bc"), 0)
    for r in range(reps):
        c = draw(n)
        right = (rng.random(n) < c - delta).astype(np.float64)
        b = _bin_index(c, DEFAULT_BINS)
        t_right, t_wrong = brier_terms(c)
        term = np.where(right > 0, t_right, t_wrong)

        def stat(w: np.ndarray, b=b, c=c, right=right, term=term) -> np.ndarray:
            tot = w.sum()
            gap = np.abs(np.bincount(b, weights=w * right, minlength=DEFAULT_BINS)
                         - np.bincount(b, weights=w * c, minlength=DEFAULT_BINS))
            return np.array([gap.sum() / tot, np.sum(w * term) / tot])

        point = stat(np.ones(n))
        lo, hi, _ = bootstrap_figures(stat, n, n_boot=n_boot, seed=r)
        lo_bc, hi_bc, _ = bootstrap_figures(stat, n, n_boot=n_boot, seed=r, points=point, method="bc")
        # evaluate's since 2026-12-06 (later): the basic interval, cut at 0 (the ECE only: the Brier point is NaN)
        lo_b, hi_b, _ = bootstrap_figures(stat, n, n_boot=n_boot, seed=r, points=np.array([point[0], np.nan]))
        hits["ece_basic"] += lo_b[0] <= delta <= hi_b[0]
        hits["ece_pct"] += lo[0] <= delta <= hi[0]
        hits["ece_bc"] += lo_bc[0] <= delta <= hi_bc[0]
        hits["point_pct"] += lo[0] <= point[0] <= hi[0]
        hits["point_bc"] += lo_bc[0] <= point[0] <= hi_bc[0]
        hits["brier_pct"] += lo[1] <= pop_brier <= hi[1]
        hits["brier_bc"] += lo_bc[1] <= pop_brier <= hi_bc[1]
    return {k: v / reps for k, v in hits.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--rows", type=int, nargs="+", default=[64, 126, 867], help="row counts to draw")
    ap.add_argument("--classes", type=int, default=2, help="number of classes (2 or more)")
    ap.add_argument("--deltas", type=float, nargs="+", default=[0.0, 0.03, 0.08], help="population ECEs")
    args = ap.parse_args()
    for n in args.rows:
        for delta in args.deltas:
            f = coverage(n, delta, args.reps, args.n_boot, classes=args.classes)
            print(f"K={args.classes} n={n:4d} true ECE {delta:.2f}: holds the true ECE: percentile {f['ece_pct']:.3f}, "
                  f"bias-corrected {f['ece_bc']:.3f}, basic {f['ece_basic']:.3f}; holds the sample's ECE "
                  f"{f['point_pct']:.3f} -> {f['point_bc']:.3f}; Brier "
                  f"{f['brier_pct']:.3f} (bias-corrected {f['brier_bc']:.3f})", flush=True)


if __name__ == "__main__":
    main()
