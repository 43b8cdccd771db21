"""What ``evaluate --by COLUMN`` costs on a binary classified catalogue, as a ratio to the same evaluate without it.

A binary ``--by`` table gives each group (and the pooled row) an accuracy, recalls and a ROC AUC,
each with a bootstrap interval from the resamples every other figure is scored on. Measured on
2026-12-05 it cost about 1.45x the CPU of evaluate without ``--by``; the groups' AUCs are now scored
alone, without the average precision (:func:`starclass.evaluate.bootstrap.auc_of_weights`). This times
:func:`starclass.evaluate.compare.evaluate_catalogs` on a generated binary catalogue of N rows
(default 10^5; scores as classify writes them, all distinct, or with ``--decimals 3`` rounded
to 3 decimals, about a thousand distinct values), with ``--bootstrap 200`` (the command's
default), without ``--by``, with ``--by field`` (8 fields and a missing group) and with
``--by mag`` (binned at the quantiles), in CPU seconds of one process (``time.process_time``: on
a shared machine the wall clock counts the other jobs' turns), best of ``--repeats``, and prints
each as a ratio to the run without ``--by`` in the same process. The ``--by`` tables' figures are
also timed alone on 20 resamples (best of 5), as a ratio to the overall ROC AUC's figures scored
on the same resamples in the same process: the whole evaluate's CPU time swings by tens of percent
on the loaded machine, the figures alone much less.

Usage (from the repository root)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/evaluate_by_speed.py --rows 100000 --repeats 3

``--before SRC`` also times the ``src`` folder of other code (a checkout of main before a change)
in a child process, rounds of the two taking turns, so that both ratios come from one machine.
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


def _table(n: int, seed: int = 0, decimals: int | None = None):
    import numpy as np
    from astropy.table import Table

    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    logits = rng.normal(size=(n, 2))
    logits[np.arange(n), ref - 1] += 1.2
    p1 = np.exp(logits[:, 0]) / np.exp(logits).sum(axis=1)
    if decimals is not None:
        p1 = np.round(p1, decimals)  # tied scores: few distinct levels
    field = rng.choice([f"f{j}" for j in range(8)], n).astype(object)
    field[rng.random(n) < 0.01] = ""
    t = Table({"id": np.arange(1, n + 1), "class_ref": ref, "class_pred": np.where(p1 >= 0.5, 1, 2),
               "field": field.astype(str), "mag": rng.normal(22.0, 1.0, n), "prob_1": p1, "prob_2": 1 - p1})
    return t


CASES = {"no --by": [], "--by field": ["field"], "--by mag": ["mag"]}


def _child(n: int, n_boot: int, repeats: int, decimals: int | None = None) -> dict:
    """CPU seconds of evaluate_catalogs for each case, in this process (whichever starclass PYTHONPATH gives)."""
    import warnings

    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.evaluate.task import EvalTask

    task = EvalTask.from_classes((1, 2), positive_class=1)
    t = _table(n, decimals=decimals)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_catalogs(_table(1000), task=task, n_boot=10, by=["field"])  # warm-up (imports)
        for _ in range(repeats):
            for case, by in CASES.items():  # the cases take turns: a load that comes and goes weighs on all
                t0 = time.process_time()
                evaluate_catalogs(t, task=task, n_boot=n_boot, by=by)
                out[case] = min(out.get(case, float("inf")), time.process_time() - t0)
        # the --by table's own share, alone: its figures scored on 20 resamples (best of 5; robust to a load
        # that comes and goes), against the per-class figures every evaluate scores on the same resamples
        import numpy as np

        from starclass.evaluate.bootstrap import ranking_figures, resamples
        from starclass.evaluate.groups import group_table

        ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
        score = np.asarray(t["prob_1"], dtype=float)
        ws = [np.bincount(i, minlength=n).astype(float) for i in resamples(n, 20, seed=0)]
        fns = {"by field figures": group_table(ref, pred, np.asarray(t["field"]), (1, 2), score=score,
                                               positive=1)[2],
               "by mag figures": group_table(ref, pred, np.asarray(t["mag"]), (1, 2), score=score, positive=1)[2],
               "overall ROC AUC figures": ranking_figures(ref == 1, score)}
        for name, fn in fns.items():
            best = float("inf")
            for _ in range(5):
                t0 = time.process_time()
                for w in ws:
                    fn(w)
                best = min(best, time.process_time() - t0)
            out[f"{name}, 20 resamples"] = best
    return {k: round(v, 4) for k, v in out.items()}


def _run(src: str, args) -> dict:
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--rows", str(args.rows),
                          "--bootstrap", str(args.bootstrap), "--repeats", str(args.repeats)]
                         + ([] if args.decimals is None else ["--decimals", str(args.decimals)]),
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--bootstrap", type=int, default=200, help="resamples (the command's --bootstrap)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many runs of each case")
    ap.add_argument("--decimals", type=int, help="round the scores to this many decimals (ties)")
    ap.add_argument("--before", help="src folder of the code to compare with")
    ap.add_argument("--rounds", type=int, default=1, help="child processes per tree, taking turns")
    ap.add_argument("--json", type=Path, help="write the timings here too")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.rows, args.bootstrap, args.repeats, args.decimals)))
        return
    trees = {"this tree": str(HERE.parent / "src"), **({"before": args.before} if args.before else {})}
    best: dict[str, dict[str, float]] = {name: {} for name in trees}
    for _ in range(max(1, args.rounds)):
        for name, src in trees.items():
            for case, t in _run(src, args).items():
                best[name][case] = min(t, best[name].get(case, t))
    ties = "all scores distinct" if args.decimals is None else f"scores rounded to {args.decimals} decimals"
    print(f"evaluate_catalogs, binary, {args.rows} rows ({ties}), --bootstrap {args.bootstrap}: CPU seconds, best of "
          f"{args.repeats} x {max(1, args.rounds)} rounds; ratio to the run without --by in the same process")
    for name, res in best.items():
        base = res["no --by"]
        print(f"  {name}: " + ", ".join(f"{case} {res[case]:.2f} s ({res[case] / base:.2f}x)" for case in CASES))
        fig = res["overall ROC AUC figures, 20 resamples"]
        print(f"  {name}, scoring alone: " + ", ".join(f"{k} {t:.4f} s ({t / fig:.2f}x the overall ROC AUC's)"
                                                        for k, t in res.items() if k not in CASES))
    if args.before:
        for case in best["this tree"]:
            print(f"  {case}: this tree / before = {best['this tree'][case] / best['before'][case]:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "bootstrap": args.bootstrap, "decimals": args.decimals,
                                         "cpu_s": best}, indent=1)
                             + "\n")


if __name__ == "__main__":
    main()
