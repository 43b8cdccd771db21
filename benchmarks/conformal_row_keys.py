"""Coverage of the conformal sets with each row's own smoothing weight (docs/uncertainty.md, section 2).

crepes draws the smoothing weight of a p-value by row position; starclass now draws it from the row
itself (``learn.conformal.row_uniforms``). This script measures the mean class coverage at 90% of
three kinds of p-values on simulated two-class probabilities, over ``--runs`` calibration sets of
each size: row-keyed smoothing (now), crepes' positional smoothing (before 2026-12-05) and no
smoothing (conservative)::

    nice -n 10 .venv/bin/python benchmarks/conformal_row_keys.py --runs 300

Pure numpy, about a minute on one core; every draw is seeded.
"""

from __future__ import annotations

import argparse
import json
import warnings

import numpy as np


def draw(rng: np.random.Generator, n: int, k: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """``n`` rows of informative but noisy probabilities of ``k`` classes and their true classes."""
    y = rng.integers(0, k, n)
    p = rng.dirichlet(np.ones(k) * 0.7, n)
    p[np.arange(n), y] += rng.uniform(0, 1.5, n)
    return p / p.sum(1, keepdims=True), y


def measure(n_cal: int, runs: int, n_test: int = 400, coverage: float = 0.9) -> dict:
    """Mean and spread over ``runs`` of each class's coverage, and the mean set size, of each p-value."""
    from starclass.learn.conformal import ClassConditionalConformal, _p_values

    kinds = ("keyed", "positional", "unsmoothed")
    cov: dict[str, list] = {m: [] for m in kinds}
    size: dict[str, list] = {m: [] for m in kinds}
    rng = np.random.default_rng(n_cal)
    for rep in range(runs):
        p_cal, y_cal = draw(rng, n_cal)
        p_new, y_new = draw(rng, n_test)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a small calibration set may hold too few of a class
            keyed = ClassConditionalConformal(seed=rep).fit(p_cal, y_cal).predict_set(p_new, coverage)
            plain = ClassConditionalConformal(smoothing=False).fit(p_cal, y_cal).predict_set(p_new, coverage)
        # crepes' draw: one RandomState(seed + class) number per row position
        pv = np.column_stack([_p_values(np.sort(1 - p_cal[y_cal == j, j]), 1 - p_new[:, j],
                                        np.random.RandomState(rep + j).random_sample(n_test)) for j in range(2)])
        for m, s in (("keyed", keyed), ("positional", pv >= 1 - coverage), ("unsmoothed", plain)):
            cov[m].append([s[y_new == j, j].mean() for j in range(2)])
            size[m].append(s.sum(1).mean())
    return {m: {"coverage_mean": np.mean(cov[m], 0).round(4).tolist(),
                "coverage_sd": np.std(cov[m], 0).round(4).tolist(),
                "set_size_mean": round(float(np.mean(size[m])), 3)} for m in kinds}


def main(argv: list[str] | None = None) -> int:
    """Print the coverage of each p-value for calibration sets of each size as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=300, help="calibration sets of each size (default 300)")
    ap.add_argument("--sizes", default="40,100,400", help="calibration rows, comma-separated")
    args = ap.parse_args(argv)
    out = {int(n): measure(int(n), args.runs) for n in args.sizes.split(",")}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
