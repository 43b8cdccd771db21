"""Coverage of the ECE's 95% bootstrap interval, evaluate's and the alternatives, on samples with a known ECE.

Each generator draws a top-class confidence ``c`` per row and whether the row is right with a true
probability ``p(c)``: ``calibrated`` (``p = c``, population ECE 0), ``offset`` (``p = c - 0.03``,
the 2026-12-06 benchmark's, ECE 0.03), ``overconfident`` (``p`` the confidence's logit shrunk by a
factor 0.7: the gap grows towards the ends, ECE about 0.06) and ``mixed`` (under-confident below
0.75, over-confident above: the signed gaps cancel in places, ECE about 0.03). Confidences are
``1/K + (1 - 1/K) Beta(2, 2)``. The population ECE over evaluate's 15 equal-width bins is
computed on 4,000,000 rows of the same generator (the bins' true accuracy is the mean of ``p``).

For each generator and row count the script draws ``--reps`` samples, 1,000 resamples each (one
resample matrix per sample, shared by every row-bootstrap interval), and counts how often each
interval holds the population ECE:

* ``basic``: evaluate's from 2026-12-06 until that evening (:func:`starclass.evaluate.bootstrap.basic_interval`,
  cut at 0 and widened to the ECE);
* ``percentile``: the 2.5th and 97.5th percentiles of the resamples' ECE;
* ``bca``: ``scipy.stats.bootstrap(method="BCa")`` on the (confidence, right) pairs;
* ``debiased``: the ECE with each bin's upward bias removed (:func:`debiased_ece`: a bin's
  ``|gap|`` replaced by ``2 |gap| - E|N(gap, s^2)|``, ``s^2`` the binomial variance of its
  accuracy) and the percentile interval of that estimate over the resamples, cut at 0;
* ``debiased-basic``: the basic interval of the same estimate, cut at 0;
* ``union``: from the lower of ``basic``'s and ``debiased-basic``'s ends to the higher: evaluate's since
  2026-12-06, evening (:func:`starclass.evaluate.bootstrap.ece_interval`; the debiased ECE is
  :func:`starclass.evaluate.reliability.debiased_ece`, checked equal on every sample);
* ``basic-99``: ``basic`` at a nominal 99% (a wider interval of the same kind);
* ``now``: evaluate's since 2026-12-06, late: ``basic`` joined to
  :func:`starclass.evaluate.bootstrap.debiased_interval` (``[2 d - q99.5, d + (q99 - q50)]`` of the debiased
  ECE), cut at 0. The cells also give, for ``union`` and ``now``, the share of samples whose upper end lies
  below the population ECE (``above``) and the median width.

Run (2 shared cores, ``nice``: about 25 minutes, most of it at 2,000 rows; the small ones a few minutes)::

    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200
    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200 --rows 50 100
    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200 \
        --rows 50 100 200 --classes 4

Since 2026-12-06 (late), with ``--no-bca`` (scipy's BCa is most of the time at 2,000 rows and more)::

    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ece_interval_coverage.py --reps 200 \
        --rows 100 500 2000 10000 --classes 2 --no-bca      # and --classes 4; about 25 minutes each

wrote ``results_ece_interval_coverage_2026-12-06c.txt`` (docs/uncertainty.md, "The ECE's interval at large
samples"). ``--rows``, ``--generators``, ``--classes`` pick a part. The output of those three commands is in
``results_ece_interval_coverage_2026-12-06b.txt`` (scipy's warnings that BCa cannot be computed on
some samples left out: their mean width reads ``nan``); docs/uncertainty.md ("How sure is the ECE")
tables it. The earlier script (offset generators only, 50-500 rows, percentile / bias-corrected / basic;
commit 9b9a533c) wrote ``results_ece_interval_coverage_2026-12-06.txt``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import stats

from starclass.evaluate.bootstrap import basic_interval, debiased_interval, ece_interval
from starclass.evaluate.reliability import DEFAULT_BINS, _bin_index, _debiased_of_bins

GENERATORS = ("calibrated", "offset", "overconfident", "mixed")


def true_probability(name: str, c: np.ndarray, classes: int) -> np.ndarray:
    """The probability that a row of top confidence ``c`` is right, under generator ``name``."""
    if name == "calibrated":
        return c
    if name == "offset":
        return c - 0.03
    if name == "overconfident":
        # the logit of c relative to chance (1/K) shrunk: confidences overstate how often the rows are right
        lo = 1.0 / classes
        u = (c - lo) / (1 - lo)
        u = np.clip(u, 1e-9, 1 - 1e-9)
        z = 0.7 * np.log(u / (1 - u))
        return lo + (1 - lo) / (1 + np.exp(-z))
    if name == "mixed":
        return np.clip(c + 0.06 * np.sin(2 * np.pi * (c - 0.5)), 0, 1)
    raise ValueError(name)


def draw_confidence(rng: np.random.Generator, size: int, classes: int) -> np.ndarray:
    lo = 1.0 / classes
    return lo + (1 - lo) * rng.beta(2, 2, size)


def population_ece(name: str, classes: int, rows: int = 4_000_000, seed: int = 12345) -> float:
    """The population ECE over evaluate's bins: each bin's mean |mean p - mean c|, from ``rows`` draws."""
    rng = np.random.default_rng(seed)
    c = draw_confidence(rng, rows, classes)
    p = true_probability(name, c, classes)
    b = _bin_index(c, DEFAULT_BINS)
    n = np.bincount(b, minlength=DEFAULT_BINS)
    gap = np.bincount(b, weights=p - c, minlength=DEFAULT_BINS)
    return float(np.abs(gap).sum() / n.sum())


def _bins(b: np.ndarray, w: np.ndarray, c: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per resample (rows of ``w``) and bin: the weight, the weighted right count and the summed confidence."""
    onehot = np.zeros((b.size, DEFAULT_BINS))
    onehot[np.arange(b.size), b] = 1.0
    return w @ onehot, (w * right) @ onehot, (w * c) @ onehot


def ece_of_bins(n: np.ndarray, k: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The plug-in ECE (evaluate's) from per-bin weights, right counts and summed confidences."""
    return np.abs(k - s).sum(axis=-1) / n.sum(axis=-1)


def debiased_ece(n: np.ndarray, k: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The ECE with each bin's expected excess of ``|gap|`` over ``|true gap|`` taken off (may go below 0).

    A bin's observed gap ``g = accuracy - mean confidence`` is about ``N(gap, s^2)`` with ``s^2 =
    a (1 - a) / n_b``; ``E|g|`` exceeds ``|gap|`` by ``E|N(gap, s^2)| - |gap|``, estimated with ``g``
    in place of ``gap``, so the bin adds ``2 |g| - E|N(g, s^2)|`` (the L1 analogue of the debiased
    squared-error estimator of Kumar, Liang & Ma 2019).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.where(n > 0, k / np.maximum(n, 1), 0.0)
        g = np.where(n > 0, (k - s) / np.maximum(n, 1), 0.0)
        sd = np.sqrt(np.maximum(acc * (1 - acc), 0.25 / np.maximum(n, 1)) / np.maximum(n, 1))
        m = np.where(sd > 0, g / sd, 0.0)
        folded = sd * np.sqrt(2 / np.pi) * np.exp(-0.5 * m * m) + g * (1 - 2 * stats.norm.cdf(-m))
        per_bin = np.where(n > 0, n * (2 * np.abs(g) - folded), 0.0)
    return per_bin.sum(axis=-1) / n.sum(axis=-1)


def coverage(name: str, n: int, reps: int, n_boot: int, classes: int, truth: float, seed: int = 1,
             bca: bool = True) -> dict[str, float]:
    """Share of ``reps`` samples of ``n`` rows whose interval of each kind holds ``truth``; mean and median widths."""
    rng = np.random.default_rng(seed)
    kinds = ("basic", "percentile", "bca", "debiased", "debiased-basic", "union", "basic-99", "now")
    hits = dict.fromkeys(kinds, 0)
    above = dict.fromkeys(kinds, 0)
    width = dict.fromkeys(kinds, 0.0)
    widths: dict[str, list[float]] = {k: [] for k in kinds}
    point_sum = dict.fromkeys(("ece", "debiased"), 0.0)
    for r in range(reps):
        c = draw_confidence(rng, n, classes)
        right = (rng.random(n) < true_probability(name, c, classes)).astype(np.float64)
        b = _bin_index(c, DEFAULT_BINS)
        ones = np.ones((1, n))
        t = float(ece_of_bins(*_bins(b, ones, c, right))[0])
        t_db = float(debiased_ece(*_bins(b, ones, c, right))[0])
        # this script's vectorised figure is evaluate's
        assert abs(t_db - _debiased_of_bins(*(a[0] for a in _bins(b, ones, c, right)))) < 1e-12
        boot_rng = np.random.default_rng(r)
        w = np.stack([np.bincount(boot_rng.integers(0, n, n), minlength=n) for _ in range(n_boot)]).astype(np.float64)
        bn, bk, bs = _bins(b, w, c, right)
        vals, vals_db = ece_of_bins(bn, bk, bs), debiased_ece(bn, bk, bs)
        iv = {
            "basic": basic_interval(vals, t, n_boot, 0.95, lower=0.0),
            "percentile": tuple(np.quantile(vals, [0.025, 0.975])),
            "debiased": tuple(np.maximum(np.quantile(vals_db, [0.025, 0.975]), 0.0)),
            "debiased-basic": basic_interval(vals_db, t_db, n_boot, 0.95, lower=0.0),
            "basic-99": basic_interval(vals, t, n_boot, 0.99, lower=0.0),
        }
        iv["union"] = ece_interval(iv["basic"], iv["debiased-basic"])
        iv["now"] = ece_interval(iv["basic"], debiased_interval(vals_db, t_db, n_boot, 0.95))

        def stat(cc: np.ndarray, rr: np.ndarray, axis: int = -1) -> np.ndarray:
            bb = _bin_index(cc.ravel(), DEFAULT_BINS).reshape(cc.shape)
            gap = np.zeros(cc.shape[:-1] + (DEFAULT_BINS,))
            for j in range(DEFAULT_BINS):
                gap[..., j] = np.sum(np.where(bb == j, rr - cc, 0.0), axis=-1)
            return np.abs(gap).sum(axis=-1) / cc.shape[-1]

        if bca:
            res = stats.bootstrap((c, right), stat, paired=True, vectorized=True, n_resamples=n_boot,
                                  method="BCa", random_state=np.random.default_rng(r), batch=200)
            iv["bca"] = (float(res.confidence_interval.low), float(res.confidence_interval.high))
        else:
            iv["bca"] = (np.nan, np.nan)
        for k in kinds:
            lo, hi = iv[k]
            hits[k] += lo <= truth <= hi
            above[k] += truth > hi
            width[k] += hi - lo
            widths[k].append(hi - lo)
        point_sum["ece"] += t
        point_sum["debiased"] += t_db
    out = {k: hits[k] / reps for k in kinds}
    out.update({f"width_{k}": width[k] / reps for k in kinds})
    out.update({f"median_width_{k}": float(np.median(widths[k])) for k in kinds})
    out.update({f"above_{k}": above[k] / reps for k in kinds})
    out.update({f"mean_{k}": v / reps for k, v in point_sum.items()})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--rows", type=int, nargs="+", default=[200, 500, 2000], help="row counts to draw")
    ap.add_argument("--classes", type=int, default=2, help="number of classes (2 or more)")
    ap.add_argument("--generators", nargs="+", default=list(GENERATORS), choices=GENERATORS)
    ap.add_argument("--no-bca", action="store_true",
                    help="skip scipy's BCa interval (most of the time at 2,000 rows and more; it never held a small "
                         "population ECE)")
    args = ap.parse_args()
    print(f"reps {args.reps}, {args.n_boot} resamples, K={args.classes}, 15 bins; coverage of the population ECE "
          "(mean width); nominal 0.95", flush=True)
    for name in args.generators:
        truth = population_ece(name, args.classes)
        for n in args.rows:
            t0 = time.perf_counter()
            f = coverage(name, n, args.reps, args.n_boot, args.classes, truth, bca=not args.no_bca)
            cells = ", ".join(f"{k} {f[k]:.3f} ({f['width_' + k]:.3f})"
                              for k in ("basic", "percentile", "bca", "debiased", "debiased-basic", "union",
                                        "basic-99", "now"))
            cells += "; " + ", ".join(f"{k}: above {f['above_' + k]:.3f}, median width {f['median_width_' + k]:.4f}"
                                      for k in ("union", "now"))
            print(f"{name:13s} true ECE {truth:.4f} n={n:5d}: mean ECE {f['mean_ece']:.4f}, debiased "
                  f"{f['mean_debiased']:.4f}; {cells}  [{time.perf_counter() - t0:.0f} s]", flush=True)


if __name__ == "__main__":
    main()
