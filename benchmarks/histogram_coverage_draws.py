"""Histogram binning's conformal coverage on a synthetic model: in-sample against cross-fitted scores.

docs/uncertainty.md (section 1c) quotes the mean per-class coverage at 80% / 90% of the sets of
``tests/test_histogram_crossfit.py``'s over-confident four-class model: 8 calibration draws of
1,500 rows, each scored on 20,000 fresh rows. The sets are fitted on the stored rows' scores
cross-fitted by :func:`starclass.learn.calibration.cross_fitted_histogram` (what
``ModelCalibration.conformal`` does since 2026-12-03), or, as before that, on the in-sample
calibrated scores. Since 2026-12-05 a row's smoothing weight comes from the row
(``learn.conformal.row_uniforms``), not its position; this recomputes both figures with the code
of the tree it runs in, in seconds.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/histogram_coverage_draws.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _model_rows(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The over-confident four-class model of tests/test_histogram_crossfit.py (its logits doubled)."""
    logits = rng.normal(0, 1.5, (n, 4)) + np.array([0.0, 0.3, 0.2, 0.8])
    truth = np.exp(logits)
    truth /= truth.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > np.cumsum(truth, axis=1)).sum(axis=1)
    p = np.exp(2.0 * logits)
    return p / p.sum(axis=1, keepdims=True), y


def coverage_draws(draws: int = 8, n_cal: int = 1500, n_test: int = 20000,
                   coverages: tuple[float, ...] = (0.8, 0.9)) -> dict:
    """Mean per-class coverage of the cross-fitted and the in-sample sets, per draw and on average."""
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.conformal import ClassConditionalConformal

    out: dict = {"cross_fitted": {c: [] for c in coverages}, "in_sample": {c: [] for c in coverages}}
    for seed in range(draws):
        rng = np.random.default_rng(seed)  # the test's draws
        p_c, y_c = _model_rows(n_cal, rng)
        p_t, y_t = _model_rows(n_test, rng)
        cal = ModelCalibration.fit(p_c, y_c, [1, 2, 3, 4], method="histogram")
        q = cal.calibrate(p_t)
        sets_of = {"cross_fitted": cal.conformal(calibrated=True, seed=seed),
                   "in_sample": ClassConditionalConformal(seed=seed).fit(cal.calibrate(p_c), y_c)}
        for kind, conformal in sets_of.items():
            for c in coverages:
                sets = conformal.predict_set(q, c)
                out[kind][c].append(float(np.mean([sets[y_t == j, j].mean() for j in range(4)])))
    return {kind: {str(c): {"mean": round(float(np.mean(v)), 4), "draws": [round(x, 4) for x in v]}
                   for c, v in res.items()} for kind, res in out.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=8)
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args(argv)
    res = coverage_draws(args.draws)
    for kind, r in res.items():
        print(f"{kind}: mean per-class coverage " + ", ".join(f"at {c}: {v['mean']:.3f}" for c, v in r.items()))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
