"""How long ``evaluate``'s bootstrap takes on ~10,000 rows with 1000 resamples, before and after.

Since 2026-12-05 every figure evaluate gives (accuracy, balanced accuracy, precision, recall and F1
per class, ROC AUC per class, ECE, Brier) gets its interval from one set of resamples; before, only
the accuracies had one (``bootstrap_ci`` twice per merge). This times
:func:`starclass.evaluate.compare.evaluate_catalogs` with ``n_boot=0`` and ``n_boot=1000`` on a
binary and a four-class (PHANGS, four merges) table of 10,000 rows in 5,000 objects (two rows
each, ``group_column``), in a child process per source tree, and prints the ratio after / before.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/evaluate_bootstrap_speed.py --before /path/to/old/src

``--before`` is the ``src`` folder of the code to compare with (e.g. a checkout of main before the
change); without it only this tree is timed.
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


def _table(k: int, n: int, seed: int = 0):
    import numpy as np
    from astropy.table import Table

    rng = np.random.default_rng(seed)
    obj = np.arange(n) // 2
    ref = rng.integers(1, k + 1, n // 2)[obj]
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), ref - 1] += 1.5
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"object_id": obj.astype(str), "class_ref": ref, "class_pred": p.argmax(axis=1) + 1})
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    return t


def _child(n: int, n_boot: int, repeats: int) -> dict:
    """Time evaluate_catalogs in this process (whichever starclass PYTHONPATH gives)."""
    import warnings

    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.evaluate.task import EvalTask

    out = {}
    for k in (2, 4):
        t = _table(k, n)
        task = EvalTask.from_classes((1, 2), positive_class=1) if k == 2 else EvalTask.from_classes((1, 2, 3, 4))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluate_catalogs(t, task=task, n_boot=10, group_column="object_id")  # warm-up (imports)
            for nb in (0, n_boot):
                best = float("inf")
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    evaluate_catalogs(t, task=task, n_boot=nb, group_column="object_id")
                    best = min(best, time.perf_counter() - t0)
                out[f"{k}class n_boot={nb}"] = round(best, 3)
    return out


def _run(src: str, args) -> dict:
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--n", str(args.n),
                          "--n-boot", str(args.n_boot), "--repeats", str(args.repeats)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="src folder of the code to compare with")
    ap.add_argument("--n", type=int, default=10_000, help="rows (two per object)")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=2, help="best of this many runs")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.n, args.n_boot, args.repeats)))
        return
    after = _run(str(HERE.parent / "src"), args)
    before = _run(args.before, args) if args.before else None
    print(f"evaluate_catalogs on {args.n} rows ({args.n // 2} objects), best of {args.repeats}, seconds:")
    for key, t_after in after.items():
        line = f"  {key:22s} after {t_after:7.3f}"
        if before is not None:
            line += f"  before {before[key]:7.3f}  ratio after/before {t_after / before[key]:.2f}"
        print(line)
    if before is not None:
        for k in (2, 4):
            key = f"{k}class n_boot={args.n_boot}"
            base = f"{k}class n_boot=0"
            print(f"  {k}class bootstrap alone (n_boot={args.n_boot} minus n_boot=0): after "
                  f"{after[key] - after[base]:.3f}, before {before[key] - before[base]:.3f}")


if __name__ == "__main__":
    main()
