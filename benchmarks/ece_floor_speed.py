"""How much of ``evaluate``'s time its ECE floor takes on a survey catalogue (10^5 and 10^6 rows, 4 classes).

Since 2026-12-05 every ``evaluate`` run computes ``ece_floor``
(:func:`starclass.evaluate.reliability.ece_floor`: 200 label draws over the N rows, a second set
for ``prob_<k>_raw``). This times :func:`starclass.evaluate.compare.evaluate_catalogs` on a
four-class table of N rows (one object each; ``n_boot`` as the command's ``--bootstrap``, 200 by
default, and 0) with the floor's calls timed inside the run, and prints the floor's seconds, the
rest's, and their ratio. Both probability sets (``prob_<k>`` and ``prob_<k>_raw``) are in the table,
as ``classify`` writes them after ``calibrate``.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/ece_floor_speed.py --rows 100000 1000000

``--before SRC`` also times the ``src`` folder of other code (a checkout of main before a change)
in a child process, so the two are compared on one machine.

``--floor-only`` times the floor alone, in one process: the package's ``ece_floor`` against the
row-by-row implementation it had until 2026-12-05 (:func:`old_ece_floor`, kept here as the
baseline: every row drawn in every draw, where bins of at least
:data:`starclass.evaluate.reliability.FLOOR_NORMAL_VARIANCE` are now one normal deviate each),
on the calibrated and the raw probabilities of the same tables, CPU seconds, best of
``--repeats``, and prints the ratio new / old and both floors::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/ece_floor_speed.py --floor-only --rows 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _table(n: int, k: int = 4, seed: int = 0):
    import numpy as np
    from astropy.table import Table

    rng = np.random.default_rng(seed)
    ref = rng.integers(1, k + 1, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), ref - 1] += 1.5
    raw = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    cal = np.exp(logits / 1.3) / np.exp(logits / 1.3).sum(axis=1, keepdims=True)  # a temperature of 1.3
    t = Table({"id": np.arange(1, n + 1), "class_ref": ref, "class_pred": cal.argmax(axis=1) + 1})
    for j in range(k):
        t[f"prob_{j + 1}"] = cal[:, j]
        t[f"prob_{j + 1}_raw"] = raw[:, j]
    t.meta["temperature"] = 1.3
    return t


def old_ece_floor(probs, n_draws: int = 200, seed: int = 0, n_bins: int = 15) -> tuple[float, float]:
    """``starclass.evaluate.reliability.ece_floor`` as it was until 2026-12-05: every row drawn in every draw."""
    import numpy as np

    from starclass.evaluate.reliability import _bin_index

    p = np.asarray(probs, dtype=np.float64)
    n, k = p.shape
    rng = np.random.default_rng(seed)
    cum = np.cumsum(p, axis=1)
    top = p.argmax(axis=1)
    conf = p.max(axis=1)
    rows = np.arange(n)
    lo = np.where(top > 0, cum[rows, np.maximum(top - 1, 0)], -np.inf)
    hi = np.where(top < k - 1, cum[rows, top], np.inf)
    b = _bin_index(conf, int(n_bins))
    vals = np.empty(int(n_draws))
    for d in range(int(n_draws)):
        u = rng.random(n)
        right = ((u > lo) & (u <= hi)).astype(np.float64)
        vals[d] = np.abs(np.bincount(b, weights=right - conf, minlength=int(n_bins))).sum() / n
    return float(np.mean(vals)), float(np.quantile(vals, 0.95))


def floor_only(rows: list[int], repeats: int = 2) -> dict:
    """CPU seconds of the old and the package's ece_floor on each table's two probability sets, in this process."""
    import numpy as np

    from starclass.evaluate.reliability import ece_floor

    out = {}
    for n in rows:
        t = _table(n)
        sets = {name: np.column_stack([np.asarray(t[f"prob_{j}{suffix}"]) for j in range(1, 5)])
                for name, suffix in (("calibrated", ""), ("raw", "_raw"))}
        for name, p in sets.items():
            best = {}
            vals = {}
            for _ in range(repeats):
                for impl, fn in (("old", old_ece_floor), ("new", ece_floor)):
                    t0 = time.process_time()
                    vals[impl] = fn(p)
                    best[impl] = min(best.get(impl, float("inf")), time.process_time() - t0)
            out[f"{n} rows {name}"] = {"old_s": round(best["old"], 3), "new_s": round(best["new"], 3),
                                       "new_over_old": round(best["new"] / best["old"], 3),
                                       "old_floor": [round(v, 5) for v in vals["old"]],
                                       "new_floor": [round(v, 5) for v in vals["new"]]}
    return out


def _child(rows: list[int], boots: list[int]) -> dict:
    """Time evaluate_catalogs and its ece_floor calls in this process (whichever starclass PYTHONPATH gives)."""
    import warnings

    import starclass.evaluate.reliability as rel
    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.evaluate.task import EvalTask

    inner = rel.ece_floor
    spent = [0.0]

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    rel.ece_floor = timed  # trust_study looks it up in its module: each call is timed
    task = EvalTask.from_classes((1, 2, 3, 4))
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_catalogs(_table(1000), task=task, n_boot=10)  # warm-up (imports)
        for n in rows:
            t = _table(n)
            for nb in boots:
                spent[0] = 0.0
                t0 = time.perf_counter()
                ev = evaluate_catalogs(t, task=task, n_boot=nb)
                total = time.perf_counter() - t0
                floor = spent[0]
                study = next((s for s in _studies(ev)), None)
                out[f"{n} rows n_boot={nb}"] = {
                    "total_s": round(total, 3), "ece_floor_s": round(floor, 3), "rest_s": round(total - floor, 3),
                    "floor_over_rest": round(floor / max(total - floor, 1e-9), 3),
                    "ece_floor": None if study is None else list(study.ece_floor),
                    "ece_floor_raw": None if study is None or study.ece_floor_raw is None
                    else list(study.ece_floor_raw)}
    return out


def _studies(ev):
    """The TrustStudy objects an Evaluation holds (one per reference)."""
    from starclass.evaluate.reliability import TrustStudy

    for v in vars(ev).values():
        for x in (v.values() if isinstance(v, dict) else v if isinstance(v, list) else [v]):
            if isinstance(x, TrustStudy):
                yield x
            elif hasattr(x, "__dict__"):
                yield from (y for y in vars(x).values() if isinstance(y, TrustStudy))


def _run(src: str, rows: list[int], boots: list[int]) -> dict:
    env = {**os.environ, "PYTHONPATH": src, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    code = (f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import ece_floor_speed as b; "
            f"print(json.dumps(b._child({rows!r}, {boots!r})))")
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--bootstrap", type=int, nargs="+", default=[200, 0],
                    help="n_boot values (the command's --bootstrap; 200 by default)")
    ap.add_argument("--before", help="src folder of the code to compare with")
    ap.add_argument("--json", type=Path, help="write the timings here too")
    ap.add_argument("--floor-only", action="store_true",
                    help="time the floor alone, the package's against the old row-by-row one, in this process")
    ap.add_argument("--repeats", type=int, default=2, help="with --floor-only: best of this many")
    args = ap.parse_args(argv)
    if args.floor_only:
        res = floor_only(args.rows, args.repeats)
        print("ece_floor, 200 draws, 4 classes: CPU seconds (best of "
              f"{args.repeats}), the package's against the row-by-row one it had until 2026-12-05")
        for key, r in res.items():
            print(f"  {key}: old {r['old_s']:.3f} s, new {r['new_s']:.3f} s, new / old = {r['new_over_old']:.3f}; "
                  f"floor (mean, 95th percentile) old {r['old_floor']}, new {r['new_floor']}")
        if args.json:
            args.json.write_text(json.dumps(res, indent=1) + "\n")
        return
    trees = {"this tree": str(HERE.parent / "src")}
    if args.before:
        trees["before"] = args.before
    results = {name: _run(src, args.rows, args.bootstrap) for name, src in trees.items()}
    for name, res in results.items():
        print(f"{name}:")
        for key, r in res.items():
            print(f"  {key}: evaluate {r['total_s']:.2f} s, of which ece_floor {r['ece_floor_s']:.2f} s; "
                  f"ece_floor / the rest = {r['floor_over_rest']:.2f}; "
                  f"floor {r['ece_floor']}, raw {r['ece_floor_raw']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
