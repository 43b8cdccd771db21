"""How long ``evaluate``'s bootstrap takes on ~10,000 rows with 1000 resamples, before and after.

Since 2026-12-05 every figure evaluate gives (accuracy, balanced accuracy, precision, recall and F1
per class, ROC AUC per class, ECE, Brier) gets its interval from one set of resamples; before, only
the accuracies had one (``bootstrap_ci`` twice per merge). This times
:func:`starclass.evaluate.compare.evaluate_catalogs` with ``n_boot=0`` and ``n_boot=1000`` on a
binary and a four-class (PHANGS, four merges) table of 10,000 rows in 5,000 objects (two rows
each, ``group_column``), in a child process per source tree, and prints the ratio after / before.
Each is timed twice: alone, and with ``by=["field"]`` (``--by field``: six fields, each object in
one), whose per-group accuracy, recalls and (binary) ROC AUC get intervals over the same objects.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/evaluate_bootstrap_speed.py --before /path/to/old/src --rounds 4

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
    field = rng.choice([f"f{j}" for j in range(6)], n // 2)[obj]  # an object lies in one field
    t = Table({"object_id": obj.astype(str), "class_ref": ref, "class_pred": p.argmax(axis=1) + 1, "field": field})
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    return t


def _child(n: int, n_boot: int, repeats: int, cpu: bool = False) -> dict:
    """Time evaluate_catalogs in this process (whichever starclass PYTHONPATH gives)."""
    import warnings

    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.evaluate.task import EvalTask

    # CPU time of this process: on a machine shared with other work, the wall clock counts their turns too
    clock = time.process_time if cpu else time.perf_counter
    out = {}
    for k in (2, 4):
        t = _table(k, n)
        task = EvalTask.from_classes((1, 2), positive_class=1) if k == 2 else EvalTask.from_classes((1, 2, 3, 4))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluate_catalogs(t, task=task, n_boot=10, group_column="object_id", by=["field"])  # warm-up (imports)
            for by in ((), ("field",)):
                for nb in (0, n_boot):
                    best = float("inf")
                    for _ in range(repeats):
                        t0 = clock()
                        evaluate_catalogs(t, task=task, n_boot=nb, group_column="object_id", by=list(by))
                        best = min(best, clock() - t0)
                    out[_key(k, by, nb)] = round(best, 3)
    return out


def _key(k: int, by: tuple[str, ...], n_boot: int) -> str:
    return f"{k}class{' --by field' if by else ''} n_boot={n_boot}"


def _run(src: str, args) -> dict:
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--n", str(args.n),
                          "--n-boot", str(args.n_boot), "--repeats", str(args.repeats)]
                         + (["--cpu-time"] if args.cpu_time else []),
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="src folder of the code to compare with")
    ap.add_argument("--n", type=int, default=10_000, help="rows (two per object)")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=2, help="best of this many runs per round")
    ap.add_argument("--rounds", type=int, default=1,
                    help="child processes per tree, after and before taking turns (best of all): on a shared "
                         "machine a load that comes and goes then weighs on both trees alike")
    ap.add_argument("--cpu-time", action="store_true",
                    help="time the CPU the process used (time.process_time) instead of the wall clock")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.n, args.n_boot, args.repeats, args.cpu_time)))
        return
    after: dict = {}
    before: dict | None = {} if args.before else None
    for _ in range(max(1, args.rounds)):
        for best, src in ((after, str(HERE.parent / "src")), (before, args.before)):
            if best is not None:
                for key, t in _run(src, args).items():
                    best[key] = min(t, best.get(key, t))
    print(f"evaluate_catalogs on {args.n} rows ({args.n // 2} objects), best of {args.repeats} x "
          f"{max(1, args.rounds)} rounds, {'CPU' if args.cpu_time else 'wall-clock'} seconds:")
    for key, t_after in after.items():
        line = f"  {key:33s} after {t_after:7.3f}"
        if before is not None:
            line += f"  before {before[key]:7.3f}  ratio after/before {t_after / before[key]:.2f}"
        print(line)
    if before is not None:
        for k in (2, 4):
            for by in ((), ("field",)):
                key, base = _key(k, by, args.n_boot), _key(k, by, 0)
                print(f"  {key.rsplit(' ', 1)[0]} bootstrap alone (n_boot={args.n_boot} minus n_boot=0): after "
                      f"{after[key] - after[base]:.3f}, before {before[key] - before[base]:.3f}")


if __name__ == "__main__":
    main()
