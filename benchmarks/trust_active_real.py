"""Active learning on the real PAndAS cutouts: labels chosen by entropy against labels at random.

The issue-17 figure "labels needed to reach the accuracy of random choice with all labels
(goal: half or fewer)", measured on the 869 real PAndAS g-band cutouts (755 objects,
clusters against galaxies) instead of simulated fields, because there a model trains in
seconds on a CPU.

For each of the five grouped folds of ``benchmarks/real_pandas.py`` (``StratifiedGroupKFold``
by ``object_id``, seed 0): the pool is the fold's training part, the test set its held-out
part. A label is an *object* (all its cutouts; 106 objects have two, 4 have three). The loop
starts from ``--start`` objects drawn at random; each round a model of the ``m31-real``
preset (compact CNN, its own recipe: up to 20 epochs, early stopping on a grouped 15%
validation split of the labelled objects) is trained **from scratch** on every label so far,
the same for both strategies, and ``--batch`` more objects are added:

* ``entropy``: :func:`starclass.suggest.pick` on the predictive entropy
  (:func:`starclass.suggest.entropy`) of the object's mean probability over its cutouts,
  **without** magnitude spreading (the cutout folder has no magnitude column);
* ``random``: the next objects of a random order (``--random-orders`` orders per fold; the
  entropy arm starts from the first ``--start`` objects of order 0).

Every model is scored on the fold's test cutouts (accuracy at P(cluster) >= 0.5, ROC AUC,
F1 of the cluster class). The reference, "random with all labels", is the same network
trained on the whole pool (``--ref-seeds`` training seeds). Each fold is written to
``OUT/fold<k>.json`` as it finishes, so folds can run in parallel jobs; ``--summarise``
prints the table, the labels at which each strategy's fold-mean first reaches the mean
all-labels accuracy (and AUC), and writes the JSON and the plot::

    nice -n 10 .venv/bin/python benchmarks/trust_active_real.py --folds 0,1,2 --start 50 --batch 50 \
        --max-labels 300 --random-orders 1 --ref-seeds 1 --threads 1
    nice -n 10 .venv/bin/python benchmarks/trust_active_real.py --folds 3,4 --start 50 --batch 50 \
        --max-labels 300 --random-orders 1 --ref-seeds 1 --threads 1
    .venv/bin/python benchmarks/trust_active_real.py --summarise \\
        --json benchmarks/results_trust_active_real_2026-12-01.json --plot docs/img/active_real_pandas.png

The machine is shared with other jobs: timings printed are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]


def _scores(y01: np.ndarray, p: np.ndarray) -> dict:
    """Accuracy (P >= 0.5), ROC AUC and F1 of the cluster class on the test cutouts."""
    return {"accuracy": float(np.mean((p >= 0.5) == y01)), "auc": float(roc_auc_score(y01, p)),
            "f1": float(f1_score(y01, p >= 0.5))}


def _train_predict(cfg, cs, rows, predict_rows, seed):
    """Train from scratch on ``rows``; P(cluster) of ``predict_rows`` (list of arrays)."""
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs
    from starclass.learn.cutouts import fit_cutouts
    from starclass.stamps.images import cutout_inputs

    with tempfile.TemporaryDirectory(prefix="active_real_") as tmp:
        res = fit_cutouts(cfg, cs, outdir=tmp, train_index=np.sort(rows), seed=seed, progress=False,
                          resume=False, device="cpu")
        model = load_model(tmp, device="cpu")
        k = cfg.classes.index(1)
        out = [predict_inputs(model, cutout_inputs(cs.images[r], cfg), device="cpu").prob_mean[:, k]
               if len(r) else np.zeros(0) for r in predict_rows]
    return out, len(res.histories[0])


def run_fold(k: int, cs, y01, folds, args) -> dict:
    from starclass.learn.config import get_preset
    from starclass.suggest import entropy, pick

    cfg = get_preset("m31-real")
    pool_rows = np.flatnonzero(folds != k)
    test_rows = np.flatnonzero(folds == k)
    groups = np.asarray(cs.groups).astype(str)
    objects = np.unique(groups[pool_rows])
    rows_of = {g: pool_rows[groups[pool_rows] == g] for g in objects}
    ytest = y01[test_rows]
    grid = list(range(args.start, min(args.max_labels, objects.size) + 1, args.batch))
    rng = np.random.default_rng(1000 + k)
    orders = [rng.permutation(objects.size) for _ in range(args.random_orders)]

    def rows_for(obj_idx):
        return np.concatenate([rows_of[objects[i]] for i in obj_idx])

    t0 = time.perf_counter()
    out = {"fold": k, "n_pool_objects": int(objects.size), "n_pool_cutouts": int(pool_rows.size),
           "n_test_cutouts": int(test_rows.size), "grid": grid, "random": [], "entropy": [], "reference": []}
    # random arms: the first n objects of each order
    for o, order in enumerate(orders):
        curve = []
        for n in grid:
            (p,), ep = _train_predict(cfg, cs, rows_for(order[:n]), [test_rows], args.seed)
            curve.append(dict(_scores(ytest, p), labels=n, epochs=ep))
        out["random"].append(curve)
        print(f"fold {k} random order {o}: " + " ".join(f"{c['labels']}:{c['accuracy']:.3f}" for c in curve)
              + f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    # entropy arm: same start as random order 0, then the most uncertain objects
    labelled = list(orders[0][: args.start])
    curve = []
    for n in grid:
        assert len(labelled) == n
        rest = np.setdiff1d(np.arange(objects.size), labelled)
        rest_rows = [rows_of[objects[i]] for i in rest]
        flat = np.concatenate(rest_rows) if rest.size else np.zeros(0, dtype=np.int64)
        (p, ppool), ep = _train_predict(cfg, cs, rows_for(labelled), [test_rows, flat], args.seed)
        curve.append(dict(_scores(ytest, p), labels=n, epochs=ep))
        if rest.size and n + args.batch <= grid[-1]:
            # an object's probability: the mean over its cutouts; its score: that mean's entropy
            bounds = np.cumsum([0] + [r.size for r in rest_rows])
            pc = np.array([ppool[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:])])
            score = entropy(np.stack([pc, 1 - pc], axis=1))
            chosen = pick(score, args.batch)  # no magnitude bins: the cutouts have no magnitude
            labelled.extend(rest[chosen].tolist())
    out["entropy"].append(curve)
    print(f"fold {k} entropy: " + " ".join(f"{c['labels']}:{c['accuracy']:.3f}" for c in curve)
          + f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    for s in range(args.ref_seeds):
        (p,), ep = _train_predict(cfg, cs, pool_rows, [test_rows], args.seed + s)
        out["reference"].append(dict(_scores(ytest, p), labels=int(objects.size), epochs=ep, seed=args.seed + s))
    print(f"fold {k} all {objects.size} objects: "
          + " ".join(f"{r['accuracy']:.3f}" for r in out["reference"]) + f"  ({time.perf_counter() - t0:.0f} s)",
          flush=True)
    out["seconds"] = time.perf_counter() - t0
    out["loadavg"] = os.getloadavg()[0]
    return out


def labels_needed(grid, curve_mean, target):
    """The first number of labels whose fold-mean reaches ``target`` (None: never within the grid)."""
    for n, v in zip(grid, curve_mean):
        if v >= target:
            return n
    return None


def summarise(args) -> int:
    runs = [json.loads(f.read_text()) for f in sorted(Path(args.out).glob("fold*.json"))]
    if not runs:
        raise SystemExit(f"no fold*.json in {args.out}")
    grid = runs[0]["grid"]
    n_obj = [r["n_pool_objects"] for r in runs]
    summary = {"folds": [r["fold"] for r in runs], "grid": grid, "n_pool_objects": n_obj,
               "n_random_orders": len(runs[0]["random"]), "metrics": {}}
    lines = []
    for m in ("accuracy", "auc", "f1"):
        # per fold: the entropy curve, the mean over random orders, the mean reference
        ent = np.array([[c[m] for c in r["entropy"][0]] for r in runs])
        rnd = np.array([np.mean([[c[m] for c in o] for o in r["random"]], axis=0) for r in runs])
        ref = np.array([np.mean([x[m] for x in r["reference"]]) for r in runs])
        target = float(ref.mean())
        d = {"entropy_mean": ent.mean(0).tolist(), "entropy_std": ent.std(0, ddof=1).tolist(),
             "random_mean": rnd.mean(0).tolist(), "random_std": rnd.std(0, ddof=1).tolist(),
             "all_labels_mean": target, "all_labels_std": float(ref.std(ddof=1)),
             "entropy_labels_needed": labels_needed(grid, ent.mean(0), target),
             "random_labels_needed": labels_needed(grid, rnd.mean(0), target),
             "entropy_per_fold": ent.tolist(), "random_per_fold": rnd.tolist(), "all_labels_per_fold": ref.tolist(),
             "entropy_labels_needed_per_fold": [labels_needed(grid, e, t) for e, t in zip(ent, ref)],
             "random_labels_needed_per_fold": [labels_needed(grid, e, t) for e, t in zip(rnd, ref)]}
        summary["metrics"][m] = d
        lines.append(f"\n{m}: all {np.mean(n_obj):.0f} pool objects (random, all labels) "
                     f"{target:.3f} ± {d['all_labels_std']:.3f}")
        lines.append("| labels (objects) | entropy | random |\n|---|---|---|")
        for i, n in enumerate(grid):
            lines.append(f"| {n} | {d['entropy_mean'][i]:.3f} ± {d['entropy_std'][i]:.3f} "
                         f"| {d['random_mean'][i]:.3f} ± {d['random_std'][i]:.3f} |")
        lines.append(f"labels needed to reach it (fold mean): entropy {d['entropy_labels_needed']}, "
                     f"random {d['random_labels_needed']}; per fold: entropy {d['entropy_labels_needed_per_fold']}, "
                     f"random {d['random_labels_needed_per_fold']}")
    summary["seconds_per_fold"] = [r["seconds"] for r in runs]
    print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
        print(f"wrote {args.json}")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        for ax, m in zip(axes, ("accuracy", "auc")):
            d = summary["metrics"][m]
            for key, lab, col in (("entropy", "entropy", "C3"), ("random", "random", "C0")):
                mu, sd = np.array(d[key + "_mean"]), np.array(d[key + "_std"])
                ax.plot(grid, mu, "o-", color=col, label=lab, ms=3)
                ax.fill_between(grid, mu - sd, mu + sd, color=col, alpha=0.15)
            ax.axhline(d["all_labels_mean"], color="k", ls="--", lw=1,
                       label=f"random, all {np.mean(n_obj):.0f} labels")
            ax.axvline(np.mean(n_obj) / 2, color="grey", ls=":", lw=1, label="half the pool")
            ax.set_xlabel("labelled objects")
            ax.set_ylabel({"accuracy": "accuracy", "auc": "ROC AUC"}[m])
        axes[0].legend(fontsize=7, loc="lower right")
        fig.suptitle(f"Active learning on the real PAndAS cutouts ({len(runs)} grouped folds, mean ± std)",
                     fontsize=9)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=90)
        print(f"wrote {args.plot}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    default_data = next((p for p in (ROOT.parent / "shared" / "data" / "pandas-m31",
                                     ROOT.parents[1] / "shared" / "data" / "pandas-m31") if p.is_dir()),
                        ROOT.parent / "shared" / "data" / "pandas-m31")
    ap.add_argument("--data", default=str(default_data), help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--folds", default="0,1,2,3,4", help="folds to run (0-based)")
    ap.add_argument("--n-folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="seed of the folds and of every training")
    ap.add_argument("--start", type=int, default=40, help="objects labelled at the start (random)")
    ap.add_argument("--batch", type=int, default=40, help="objects added per round")
    ap.add_argument("--max-labels", type=int, default=400, help="last number of labelled objects")
    ap.add_argument("--random-orders", type=int, default=3, help="random orders per fold")
    ap.add_argument("--ref-seeds", type=int, default=3, help="training seeds of the all-labels reference")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_trust_active_real"),
                    help="folder of the per-fold JSONs")
    ap.add_argument("--summarise", action="store_true", help="summarise OUT's folds (no training)")
    ap.add_argument("--json", default=None, help="summary JSON (with --summarise)")
    ap.add_argument("--plot", default=None, help="summary PNG (with --summarise)")
    args = ap.parse_args(argv)
    if args.summarise:
        return summarise(args)
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds

    torch.set_num_threads(args.threads)
    cs = read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id")
    y = label_classes(cs, get_preset("m31-real").label_map)
    folds = group_folds(y, cs.groups, args.n_folds, seed=args.seed)
    y01 = (y == 1).astype(int)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for k in (int(f) for f in args.folds.split(",")):
        res = run_fold(k, cs, y01, folds, args)
        path = out / f"fold{k}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(res))
        os.replace(tmp, path)  # a half-written fold never looks finished
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
