"""Active learning on simulated fields: labels chosen by entropy against labels chosen at random.

The loop of ``starclass suggest`` -> ``inspect`` -> ``train --resume-from``, with simulated people
answering: a pool of candidates on simulated HST fields starts with a small random labelled
set; each round a model is fine-tuned (from the previous round's weights, ``fit(init_from=...)``)
on every label so far, then a batch of new candidates is chosen either by
:func:`starclass.suggest.pick.suggest` (largest predictive entropy, spread over V-magnitude
bins) or at random, and the simulated people's mode for them is added. Every round's model is
scored against the truth on test fields of unseen seeds (four classes). The reference is a
model trained from scratch on the whole pool's labels ("random with all labels"); the figure
of merit is how many labels each strategy needs to reach its accuracy.

Run (docs/uncertainty.md, "Active learning"; about 15 minutes on the loaded 2-core machine)::

    nice -n 10 .venv/bin/python benchmarks/trust_active.py --threads 1 --precision bf16
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --quick     # a smoke run

The machine is shared with other jobs: timings printed are indicative only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.schema import CLASS_REF, ID, mag_true_col, prob_col


def _simulate(seed: int, n: int, shape: int):
    from starclass.simulate import preset, simulate_field

    return simulate_field(preset("hst", seed=seed, shape=(shape, shape), n_candidates=n))


def _mode(field) -> np.ndarray:
    """The simulated people's mode per truth row (matched by id; 0 = nobody labelled it)."""
    hum = dict(zip(np.asarray(field.humans["id"]).tolist(), np.asarray(field.humans[CLASS_REF]).tolist()))
    return np.array([int(hum.get(int(i), 0)) for i in np.asarray(field.truth["id"])])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool-fields", type=int, default=2)
    ap.add_argument("--n-pool", type=int, default=1000, help="candidates per pool field")
    ap.add_argument("--test-fields", type=int, default=1)
    ap.add_argument("--n-test", type=int, default=1500)
    ap.add_argument("--shape", type=int, default=2048)
    ap.add_argument("--pool-seed", type=int, default=301)
    ap.add_argument("--test-seed", type=int, default=401)
    ap.add_argument("--start", type=int, default=100, help="labels at the start (random)")
    ap.add_argument("--batch", type=int, default=100, help="labels added per round")
    ap.add_argument("--max-labels", type=int, default=1000, help="stop the loop at this many labels")
    ap.add_argument("--start-epochs", type=int, default=15, help="epochs of the first model (from scratch)")
    ap.add_argument("--round-epochs", type=int, default=4, help="fine-tuning epochs per round")
    ap.add_argument("--all-epochs", type=int, default=15, help="epochs of the all-labels model (from scratch)")
    ap.add_argument("--mag-bins", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 is faster on a loaded machine)")
    ap.add_argument("--quick", action="store_true", help="small everything (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the curves as JSON")
    args = ap.parse_args()
    if args.quick:
        args.pool_fields, args.n_pool, args.n_test, args.shape = 1, 500, 400, 1024
        args.start, args.batch, args.max_labels = 50, 50, 200
        args.start_epochs, args.round_epochs, args.all_epochs = 3, 1, 3

    import torch

    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit
    from starclass.stamps import make_inputs
    from starclass.suggest.pick import suggest

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"# active learning (shared 2-core machine, torch threads {torch.get_num_threads()})")
    t0 = time.perf_counter()
    pool_f = [_simulate(args.pool_seed + k, args.n_pool, args.shape) for k in range(args.pool_fields)]
    test_f = [_simulate(args.test_seed + k, args.n_test, args.shape) for k in range(args.test_fields)]
    # training without validation: a few hundred labels are too few to hold some out, and every
    # round and strategy trains for the same fixed number of epochs
    cfg = get_preset("legus4-compact").copy(recipe={"balance": None, "amp": args.precision, "val_fraction": 0.0})

    def inputs(fields):
        parts = [make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint) for f in fields]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    x_pool, ok_pool = inputs(pool_f)
    x_test, ok_test = inputs(test_f)
    people = np.where(ok_pool, np.concatenate([_mode(f) for f in pool_f]), 0)
    test_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in test_f])
    pool_mag = np.concatenate([np.asarray(f.truth[mag_true_col("f555w")], dtype=float) for f in pool_f])
    labellable = np.flatnonzero(people > 0)
    n_pool = labellable.size
    print(f"simulated {len(pool_f)} pool field(s) ({n_pool} labellable candidates) and {len(test_f)} test "
          f"field(s) ({len(test_truth)} candidates) in {time.perf_counter() - t0:.0f} s")
    test_mode = np.concatenate([_mode(f) for f in test_f])
    print(f"people's mode vs truth on the test fields: {np.mean(test_mode == test_truth):.3f}")

    work = Path(tempfile.mkdtemp(prefix="starclass_active_"))

    def train(name: str, labelled: np.ndarray, epochs: int, init_from: Path | None = None) -> tuple[Path, float]:
        y = np.zeros(len(people), dtype=np.int64)
        y[labelled] = people[labelled]
        fit(cfg, x_pool, y, outdir=work / name, seed=args.seed, epochs=epochs, progress=False, resume=False,
            init_from=init_from)
        pred = predict_inputs(work / name, x_test, valid=ok_test, batch_size=512).class_pred
        return work / name, float(np.mean(pred == test_truth))

    t = time.perf_counter()
    _, acc_all = train("all", labellable, args.all_epochs)
    print(f"random with all labels ({n_pool}, {args.all_epochs} epochs from scratch): accuracy vs truth "
          f"{acc_all:.3f} ({time.perf_counter() - t:.0f} s)", flush=True)

    rng = np.random.default_rng(args.seed)
    start = rng.choice(labellable, size=min(args.start, n_pool), replace=False)
    first, acc0 = train("start", start, args.start_epochs)
    print(f"start: {start.size} random labels, {args.start_epochs} epochs: accuracy {acc0:.3f}", flush=True)
    curves: dict[str, list[tuple[int, float]]] = {}
    for strategy in ("entropy", "random"):
        labelled = start.copy()
        model, acc = first, acc0
        curve = [(int(labelled.size), acc0)]
        rnd = np.random.default_rng(args.seed + 1)
        r = 0
        while labelled.size < min(args.max_labels, n_pool):
            r += 1
            k = min(args.batch, min(args.max_labels, n_pool) - labelled.size)
            rest = np.setdiff1d(labellable, labelled)
            if strategy == "random":
                new = rnd.choice(rest, size=k, replace=False)
            else:
                prob = predict_inputs(model, x_pool[rest], batch_size=512).prob_mean
                cand = Table({ID: rest, "mag_f555w": pool_mag[rest]})
                for j, c in enumerate(cfg.classes):
                    cand[prob_col(c)] = prob[:, j]
                picked = suggest(cand, k, by="entropy", mag_column="mag_f555w", bins=args.mag_bins)
                new = np.asarray(picked[ID], dtype=np.int64)
            labelled = np.concatenate([labelled, new])
            model, acc = train(f"{strategy}_{r:02d}", labelled, args.round_epochs, init_from=model)
            curve.append((int(labelled.size), acc))
            print(f"  {strategy:7s} round {r:2d}: {labelled.size:5d} labels, accuracy vs truth {acc:.3f} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
        curves[strategy] = curve

    print(f"\n{'labels':>7s} " + " ".join(f"{s:>8s}" for s in curves))
    for i in range(len(curves["random"])):
        print(f"{curves['random'][i][0]:7d} " + " ".join(f"{curves[s][i][1]:8.3f}" for s in curves))
    print(f"{n_pool:7d} {'':8s} {acc_all:8.3f}  (random with all labels, from scratch)")
    needed = {}
    for s, curve in curves.items():
        hit = [n for n, a in curve if a >= acc_all]
        needed[s] = hit[0] if hit else None
        txt = (f"reaches the all-labels accuracy {acc_all:.3f} with {hit[0]} labels ({hit[0] / n_pool:.0%} of "
               f"the pool)" if hit else f"does not reach the all-labels accuracy {acc_all:.3f} within "
               f"{curve[-1][0]} labels")
        print(f"{s}: {txt}; "
              f"best {max(a for _, a in curve):.3f}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; models in {work}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "acc_all": acc_all,
                                         "n_pool": int(n_pool), "curves": curves, "labels_needed": needed},
                                        indent=2))


if __name__ == "__main__":
    main()
