"""What each active-learning arm labelled: label noise, class mix and magnitude of the picks.

Reads a ``benchmarks/trust_active.py --retrain scratch`` JSON that holds the entropy arm's
picks (``entropy_labelled``: pool rows in the order they were labelled), re-simulates the same
pool fields (simulation is deterministic at a seed) and compares the entropy arm's labels with
the first as many candidates of each random order (the same permutations as the run) and with
the whole pool: the share of the simulated people's mode that disagrees with the truth, the
true class fractions and the median true V magnitude.

Run (docs/uncertainty.md, "Active learning")::

    nice -n 10 .venv/bin/python benchmarks/trust_active_picks.py RUN.json --pool-fields 2 --n-pool 2000 \\
        --shape 2048 --random-orders 2 > benchmarks/results_trust_active_picks.json
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from starclass.schema import CLASS_REF, mag_true_col


def summary(idx: np.ndarray, people: np.ndarray, truth: np.ndarray, mag: np.ndarray) -> dict:
    """Label noise, true class fractions (classes 1-4) and median magnitude of the rows ``idx``.

    Examples
    --------
    >>> s = summary(np.array([0, 1]), np.array([1, 2, 3]), np.array([1, 3, 3]), np.array([20.0, 22.0, 0.0]))
    >>> s["label_wrong"], s["truth_class_fractions"], s["median_mag_f555w"]
    (0.5, [0.5, 0.0, 0.5, 0.0], 21.0)
    """
    return {"n": int(len(idx)), "label_wrong": round(float(np.mean(people[idx] != truth[idx])), 4),
            "truth_class_fractions": np.round(np.bincount(truth[idx], minlength=5)[1:] / len(idx), 3).tolist(),
            "median_mag_f555w": round(float(np.median(mag[idx])), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", help="trust_active.py --retrain scratch JSON with entropy_labelled")
    ap.add_argument("--pool-fields", type=int, default=2)
    ap.add_argument("--n-pool", type=int, default=2000)
    ap.add_argument("--shape", type=int, default=2048)
    ap.add_argument("--pool-seed", type=int, default=301)
    ap.add_argument("--seed", type=int, default=0, help="the run's --seed (its random orders)")
    ap.add_argument("--random-orders", type=int, default=2)
    args = ap.parse_args()

    from starclass.simulate import preset, simulate_field

    with open(args.run) as fh:
        run = json.load(fh)
    if "entropy_labelled" not in run:
        raise SystemExit(f"{args.run}: no entropy_labelled (a trust_active.py --retrain scratch run with the "
                         "entropy arm writes it)")
    fields = [simulate_field(preset("hst", seed=args.pool_seed + k, shape=(args.shape, args.shape),
                                    n_candidates=args.n_pool)) for k in range(args.pool_fields)]

    def mode(f):
        hum = dict(zip(np.asarray(f.humans["id"]).tolist(), np.asarray(f.humans[CLASS_REF]).tolist()))
        return np.array([int(hum.get(int(i), 0)) for i in np.asarray(f.truth["id"])])

    # rows as trust_active.py numbers them: the pool fields' truth tables one after the other
    # (every candidate there had a usable stamp in the runs documented; a run where some did not
    # leaves them unlabellable, and they are never picked)
    people = np.concatenate([mode(f) for f in fields])
    truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in fields])
    mag = np.concatenate([np.asarray(f.truth[mag_true_col("f555w")], dtype=float) for f in fields])
    labellable = np.flatnonzero(people > 0)
    rng = np.random.default_rng(args.seed)
    orders = [rng.permutation(labellable) for _ in range(max(1, args.random_orders))]
    ent = np.asarray(run["entropy_labelled"], dtype=np.int64)
    start = int(run["grid"][0])
    out = {"run": args.run, "entropy": summary(ent, people, truth, mag),
           "entropy_own_picks": summary(ent[start:], people, truth, mag)}
    for o, order in enumerate(orders[: args.random_orders]):
        out[f"random{o}"] = summary(order[: len(ent)], people, truth, mag)
    out["pool"] = summary(labellable, people, truth, mag)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
