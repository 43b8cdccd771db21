"""Active learning on simulated fields: labels chosen by entropy against labels chosen at random.

The loop of ``starclass suggest`` -> ``inspect`` -> ``train``, with simulated people answering:
a pool of candidates on simulated HST fields starts with a small random labelled set; each
round a model is trained on every label so far, then a batch of new candidates is chosen
either by :func:`starclass.suggest.pick.suggest` (largest predictive entropy, spread over
V-magnitude bins) or at random, and the simulated people's mode for them is added. Every
round's model is scored against the truth on test fields of unseen seeds (four classes). The
reference is the same network trained on the whole pool's labels ("random with all labels");
the figure of merit is how many labels each strategy needs to reach its accuracy.

Two ways of training a round (``--retrain``):

* ``finetune`` (default, ``train --resume-from``): each round fine-tunes the previous round's
  weights (``fit(init_from=...)``) for ``--round-epochs``; the first model and the all-labels
  model train from scratch for ``--start-epochs`` / ``--all-epochs``. Cheap, but after many
  rounds a model has had more optimisation steps than the reference.
* ``scratch``: every round's model trains **from scratch** on every label so far for the same
  ``--epochs`` (with ``--lr-schedule``), as does the reference, so the strategies and the
  reference differ only in which labels they saw. ``--random-orders`` random arms (the entropy
  arm starts from the first candidates of order 0, as many as the first point of the grid) and ``--ref-seeds`` training
  seeds of the reference give the spread; the JSON is rewritten after every arm, so a stopped
  run keeps what it finished.

``--reweight start-mix`` (scratch) trains every model of the arms with per-class loss weights
(``recipe.balance="class_weights"``, ``recipe.class_mix``) that make its labelled set weigh as the
class mix of the arm's first, random, labels (the first grid point): what a user can do, since
the field's true mix is unknown but a random sample of labels estimates it. It tests whether
entropy's labels fall behind random ones because their class mix differs from the field's.
``--reweight pool-mix`` weighs them as the whole pool's labels instead (an oracle: the mix
without the sampling noise of the first labels). ``--pick entropy-by-class`` also splits each
batch of the entropy arm over the *predicted* classes in the first labels' class mix (the
highest entropy within each), so that its picks do not crowd into the classes the network
confuses.

Run (docs/uncertainty.md, "Active learning")::

    nice -n 10 .venv/bin/python benchmarks/trust_active.py --threads 1 --precision bf16
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch --pool-fields 2 \\
        --n-pool 2000 --test-fields 2 --grid 200,400,600,800,1200,1600,2000 --epochs 12 \\
        --random-orders 2 --ref-seeds 2 --threads 1 --precision bf16 --json out.json --plot out.png
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch --pool-fields 2 \
        --n-pool 2000 --test-fields 2 --grid 200,400,600,800,1200,1600,2000 --epochs 12 \
        --random-orders 1 --ref-seeds 0 --arms entropy,random --reweight start-mix --threads 1 \
        --precision bf16 --json out.json
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --quick     # a smoke run

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
from astropy.table import Table

from starclass.schema import CLASS_REF, ID, mag_true_col, prob_col


def _simulate(seed: int, n: int, shape: int):
    from starclass.simulate import preset, simulate_field

    return simulate_field(preset("hst", seed=seed, shape=(shape, shape), n_candidates=n))


def _mode(field) -> np.ndarray:
    """The simulated people's mode per truth row (matched by id; 0 = nobody labelled it)."""
    hum = dict(zip(np.asarray(field.humans["id"]).tolist(), np.asarray(field.humans[CLASS_REF]).tolist()))
    return np.array([int(hum.get(int(i), 0)) for i in np.asarray(field.truth["id"])])


def labels_needed(curve: list[tuple[int, float]], target: float) -> int | None:
    """The first number of labels whose accuracy reaches ``target`` (None: never on the curve).

    Examples
    --------
    >>> labels_needed([(100, 0.5), (200, 0.61), (300, 0.6)], 0.6)
    200
    >>> labels_needed([(100, 0.5)], 0.6) is None
    True
    """
    hit = [n for n, a in curve if a >= target]
    return hit[0] if hit else None


def _mix(labels: np.ndarray, classes) -> list[float]:
    """Fraction of ``labels`` in each of ``classes`` (labels outside them are left out).

    Examples
    --------
    >>> _mix(np.array([1, 1, 2, 0]), [1, 2])
    [0.6666666666666666, 0.3333333333333333]
    """
    labels = np.asarray(labels)
    n = np.array([np.sum(labels == c) for c in classes], dtype=float)
    return (n / n.sum()).tolist() if n.sum() else [float("nan")] * len(classes)


def _quotas(k: int, mix) -> np.ndarray:
    """``k`` split over classes in proportion to ``mix`` (largest remainders get the rest).

    Examples
    --------
    >>> _quotas(10, [0.16, 0.24, 0.195, 0.405]).tolist()
    [2, 2, 2, 4]
    """
    share = k * np.asarray(mix, dtype=float) / np.sum(mix)
    q = np.floor(share).astype(int)
    q[np.argsort(-(share - q), kind="stable")[: k - q.sum()]] += 1
    return q


def _pick_entropy(model, x_rest, rest, pool_mag, cfg, k, bins, by_class=None):
    """``k`` of the unlabelled rows ``rest`` by ``starclass suggest`` (entropy, magnitude bins).

    ``by_class``: a class mix; the picks are then split over the *predicted* classes in that
    mix (:func:`_quotas`), each share picked by ``suggest`` among the candidates predicted in
    that class; a class with too few candidates leaves its rest to the highest entropy overall.
    """
    from starclass.learn.classify import predict_inputs
    from starclass.suggest.pick import suggest

    prob = predict_inputs(model, x_rest, batch_size=512).prob_mean
    cand = Table({ID: rest, "mag_f555w": pool_mag[rest]})
    for j, c in enumerate(cfg.classes):
        cand[prob_col(c)] = prob[:, j]
    if by_class is None:
        picked = suggest(cand, k, by="entropy", mag_column="mag_f555w", bins=bins)
        return np.asarray(picked[ID], dtype=np.int64)
    pred = np.argmax(prob, axis=1)
    out: list[np.ndarray] = []
    for j, q in enumerate(_quotas(k, by_class)):
        rows = np.flatnonzero(pred == j)
        if q and rows.size:
            got = suggest(cand[rows], min(int(q), rows.size), by="entropy", mag_column="mag_f555w", bins=bins)
            out.append(np.asarray(got[ID], dtype=np.int64))
    chosen = np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
    if chosen.size < k:
        more = suggest(cand, k - chosen.size, by="entropy", labelled=chosen.tolist(), mag_column="mag_f555w",
                       bins=bins)
        chosen = np.concatenate([chosen, np.asarray(more[ID], dtype=np.int64)])
    return chosen


def _plot(path: Path, res: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    ent = res["curves"].get("entropy")
    if ent:
        ax.plot(*zip(*ent), "o-", color="C3", ms=3, label="entropy (4 V-magnitude bins)")
    for o, curve in enumerate(res["curves"].get("random_orders", [])):
        ax.plot(*zip(*curve), "s--" if o else "s-", color="C0", ms=3, alpha=0.9 if o == 0 else 0.6,
                label=f"random, order {o}")
    ref = res["reference"]
    mu, sd = ref["mean"], ref["std"]
    ax.axhline(mu, color="k", ls="--", lw=1, label=f"random, all {res['n_pool']} labels ({len(ref['acc'])} seeds)")
    ax.axhspan(mu - sd, mu + sd, color="k", alpha=0.08)
    ax.axvline(res["n_pool"] / 2, color="grey", ls=":", lw=1, label="half the pool")
    ax.set_xlabel("labelled candidates")
    ax.set_ylabel("accuracy vs truth, 4 classes")
    ax.set_title("Active learning on simulated fields (from-scratch retrain per round)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


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
    ap.add_argument("--retrain", choices=("finetune", "scratch"), default="finetune",
                    help="fine-tune the previous round's model, or train every round from scratch")
    ap.add_argument("--start-epochs", type=int, default=15, help="finetune: epochs of the first model")
    ap.add_argument("--round-epochs", type=int, default=4, help="finetune: fine-tuning epochs per round")
    ap.add_argument("--all-epochs", type=int, default=15, help="finetune: epochs of the all-labels model")
    ap.add_argument("--epochs", type=int, default=20, help="scratch: epochs of every model")
    ap.add_argument("--lr-schedule", default="cosine", help="scratch: recipe.lr_schedule of every model")
    ap.add_argument("--grid", default=None,
                    help="scratch: comma-separated label counts to score (instead of --start/--batch/--max-labels)")
    ap.add_argument("--random-orders", type=int, default=1, help="scratch: random arms")
    ap.add_argument("--arms", default="entropy,random", help="scratch: the curves to run (entropy, random)")
    ap.add_argument("--step-matched", action="store_true",
                    help="scratch: also train the last grid point's labels of the entropy arm and of every random "
                         "order with as many optimisation steps as the all-labels model (epochs x pool / labels)")
    ap.add_argument("--ref-seeds", type=int, default=1, help="scratch: training seeds of the all-labels model")
    ap.add_argument("--reweight", choices=("none", "start-mix", "pool-mix"), default="none",
                    help="scratch: 'start-mix' weights every model's loss so that its labels weigh as the class "
                         "mix of the arm's first (random) grid[0] labels; 'pool-mix' (an oracle a user does not "
                         "have) as the mix of the whole pool's labels")
    ap.add_argument("--pick", choices=("entropy", "entropy-by-class"), default="entropy",
                    help="scratch, entropy arm: 'entropy-by-class' also splits every batch over the predicted "
                         "classes in the class mix of the first (random) grid[0] labels")
    ap.add_argument("--mag-bins", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 is faster on a loaded machine)")
    ap.add_argument("--quick", action="store_true", help="small everything (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the curves as JSON")
    ap.add_argument("--plot", type=Path, help="scratch: also draw the curves (PNG)")
    args = ap.parse_args()
    if args.quick:
        args.pool_fields, args.n_pool, args.n_test, args.shape = 1, 500, 400, 1024
        args.start, args.batch, args.max_labels = 50, 50, 200
        args.start_epochs, args.round_epochs, args.all_epochs, args.epochs = 3, 1, 3, 3

    import torch

    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit
    from starclass.stamps import make_inputs

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"# active learning (shared 2-core machine, torch threads {torch.get_num_threads()})")
    t0 = time.perf_counter()
    pool_f = [_simulate(args.pool_seed + k, args.n_pool, args.shape) for k in range(args.pool_fields)]
    test_f = [_simulate(args.test_seed + k, args.n_test, args.shape) for k in range(args.test_fields)]
    # training without validation: a few hundred labels are too few to hold some out, and every
    # round and strategy trains for the same fixed number of epochs
    recipe = {"balance": None, "amp": args.precision, "val_fraction": 0.0}
    if args.retrain == "scratch":
        # a fixed-length run ends on its last epoch (no early stopping): an annealed learning
        # rate makes that last epoch a converged one rather than a noisy snapshot
        recipe["lr_schedule"] = args.lr_schedule
    cfg = get_preset("legus4-compact").copy(recipe=recipe)

    def inputs(fields):
        parts = [make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint) for f in fields]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    x_pool, ok_pool = inputs(pool_f)
    x_test, ok_test = inputs(test_f)
    people = np.where(ok_pool, np.concatenate([_mode(f) for f in pool_f]), 0)
    pool_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in pool_f])
    test_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in test_f])
    pool_mag = np.concatenate([np.asarray(f.truth[mag_true_col("f555w")], dtype=float) for f in pool_f])
    labellable = np.flatnonzero(people > 0)
    n_pool = labellable.size
    print(f"simulated {len(pool_f)} pool field(s) ({n_pool} labellable candidates) and {len(test_f)} test "
          f"field(s) ({len(test_truth)} candidates) in {time.perf_counter() - t0:.0f} s")
    test_mode = np.concatenate([_mode(f) for f in test_f])
    mode_acc = float(np.mean(test_mode == test_truth))
    print(f"people's mode vs truth on the test fields: {mode_acc:.3f}; on the pool: "
          f"{np.mean(people[labellable] == pool_truth[labellable]):.3f}")

    work = Path(tempfile.mkdtemp(prefix="starclass_active_"))

    def train(name: str, labelled: np.ndarray, epochs: int, init_from: Path | None = None,
              seed: int | None = None, mix: list[float] | None = None,
              details: dict | None = None) -> tuple[Path, float]:
        y = np.zeros(len(people), dtype=np.int64)
        y[labelled] = people[labelled]
        # mix: train as if the labels had this class mix (per-class loss weights, recipe.class_mix)
        use = cfg if mix is None else cfg.copy(recipe={"balance": "class_weights", "class_mix": list(mix)})
        fit(use, x_pool, y, outdir=work / name, seed=args.seed if seed is None else seed, epochs=epochs,
            progress=False, resume=False, init_from=init_from)
        pred = predict_inputs(work / name, x_test, valid=ok_test, batch_size=512).class_pred
        if details is not None:
            # what the model predicts on the test fields, and how the labels it saw were mixed
            details["labels_mix"] = _mix(people[labelled], cfg.classes)
            details["test_pred_mix"] = _mix(pred, cfg.classes)
            details["test_truth_mix"] = _mix(test_truth, cfg.classes)
            details["recall"] = [float(np.mean(pred[test_truth == c] == c)) for c in cfg.classes]
        return work / name, float(np.mean(pred == test_truth))

    if args.retrain == "scratch":
        _scratch(args, train, labellable, x_pool, pool_mag, cfg, work, t0, mode_acc, people)
        return

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
                new = _pick_entropy(model, x_pool[rest], rest, pool_mag, cfg, k, args.mag_bins)
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
        needed[s] = labels_needed(curve, acc_all)
        txt = (f"reaches the all-labels accuracy {acc_all:.3f} with {needed[s]} labels "
               f"({needed[s] / n_pool:.0%} of the pool)" if needed[s] else
               f"does not reach the all-labels accuracy {acc_all:.3f} within {curve[-1][0]} labels")
        print(f"{s}: {txt}; best {max(a for _, a in curve):.3f}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; models in {work}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "acc_all": acc_all,
                                         "n_pool": int(n_pool), "curves": curves, "labels_needed": needed},
                                        indent=2))


def _scratch(args, train, labellable, x_pool, pool_mag, cfg, work, t0, mode_acc, people) -> None:
    """``--retrain scratch``: reference seeds, the entropy arm, then the random arms."""
    import shutil

    n_pool = labellable.size
    top = min(args.max_labels, n_pool)
    grid = list(range(args.start, top + 1, args.batch))
    if args.grid:
        grid = sorted({min(int(v), n_pool) for v in args.grid.split(",")})
    res = {"args": {k: str(v) for k, v in vars(args).items()}, "retrain": "scratch", "n_pool": int(n_pool),
           "grid": grid, "people_mode_test_acc": mode_acc,
           "reference": {"acc": [], "seeds": []}, "curves": {"random_orders": []}, "seconds": {},
           "reweight": args.reweight, "pick": args.pick, "details": {}, "start_mix": {}}

    def save():
        if args.json:
            tmp = args.json.with_suffix(".tmp")
            tmp.write_text(json.dumps(res, indent=1))
            os.replace(tmp, args.json)  # a half-written JSON never replaces a good one

    def model_at(name, labelled, seed=None, mix=None):
        det: dict = {}
        path, acc = train(name, labelled, args.epochs, seed=seed, mix=mix, details=det)
        det.update(labels=int(len(labelled)), accuracy=acc)
        res["details"][name] = det
        return path, acc

    def start_mix(arm, first):
        """The arm's class mix to train to: its first (random) labels' or the pool's (None: no reweighting)."""
        if args.reweight == "none":
            return None
        mix = _mix(people[first if args.reweight == "start-mix" else labellable], cfg.classes)
        res["start_mix"][arm] = mix
        whose = f"its first {len(first)} (random) labels" if args.reweight == "start-mix" else "the pool's labels"
        print(f"  {arm}: loss weighted to the class mix of {whose}: " + " / ".join(f"{m:.3f}" for m in mix),
              flush=True)
        return mix

    for s in range(args.ref_seeds):
        t = time.perf_counter()
        path, acc = model_at(f"all_s{s}", labellable, seed=args.seed + s)
        shutil.rmtree(path, ignore_errors=True)
        res["reference"]["acc"].append(acc)
        res["reference"]["seeds"].append(args.seed + s)
        print(f"random with all labels ({n_pool}, {args.epochs} epochs, seed {args.seed + s}): accuracy vs "
              f"truth {acc:.3f} ({time.perf_counter() - t:.0f} s)", flush=True)
    ref = np.array(res["reference"]["acc"])
    res["reference"]["mean"] = float(ref.mean()) if ref.size else float("nan")
    res["reference"]["std"] = float(ref.std(ddof=1)) if ref.size > 1 else 0.0
    res["seconds"]["reference"] = time.perf_counter() - t0
    save()

    rng = np.random.default_rng(args.seed)
    orders = [rng.permutation(labellable) for _ in range(max(1, args.random_orders))]
    arms = {a.strip() for a in args.arms.split(",") if a.strip()}
    # as many optimisation steps as the all-labels model: the small label sets of a fixed-epoch
    # run get fewer steps, which holds them back for a reason other than their labels
    matched_epochs = int(round(args.epochs * n_pool / grid[-1]))

    def step_matched(name, labelled, mix=None):
        path, acc = train(name, labelled, matched_epochs, mix=mix)
        shutil.rmtree(path, ignore_errors=True)
        res.setdefault("step_matched", {})[name] = {"labels": int(len(labelled)), "epochs": matched_epochs,
                                                    "accuracy": acc}
        print(f"  {name}: {len(labelled)} labels, {matched_epochs} epochs (the all-labels model's steps): "
              f"accuracy vs truth {acc:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
        save()

    # entropy arm: the first grid[0] of random order 0, then the candidates suggest picks from the rest
    t = time.perf_counter()
    labelled = orders[0][: grid[0]].copy()
    mix = start_mix("entropy", labelled) if "entropy" in arms else None
    # entropy-by-class: the picks' predicted classes follow the first (random) labels' mix
    strata = _mix(people[labelled], cfg.classes) if args.pick == "entropy-by-class" else None
    curve = []
    for r, n in enumerate(grid if "entropy" in arms else []):
        path, acc = model_at(f"entropy_{r:02d}", labelled, mix=mix)
        curve.append((n, acc))
        print(f"  entropy round {r:2d}: {n:5d} labels, accuracy vs truth {acc:.3f} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
        if r + 1 < len(grid):
            rest = np.setdiff1d(labellable, labelled)
            k = grid[r + 1] - n
            labelled = np.concatenate([labelled, _pick_entropy(path, x_pool[rest], rest, pool_mag, cfg, k,
                                                               args.mag_bins, by_class=strata)])
        shutil.rmtree(path, ignore_errors=True)
        res["curves"]["entropy"] = curve
        res["entropy_labelled"] = [int(v) for v in labelled]  # pool rows, in the order they were labelled
        save()
    if "entropy" in arms:
        res["seconds"]["entropy"] = time.perf_counter() - t
        if args.step_matched:
            step_matched("entropy_matched", labelled, mix)
    for o, order in enumerate(orders[: args.random_orders]):
        t = time.perf_counter()
        curve = []
        mix = start_mix(f"random{o}", order[: grid[0]]) if ("random" in arms or args.step_matched) else None
        if "random" in arms:
            res["curves"]["random_orders"].append(curve)  # saved round by round (a stopped run keeps them)
        if args.step_matched:
            step_matched(f"random{o}_matched", order[: grid[-1]], mix)
        for r, n in enumerate(grid if "random" in arms else []):
            path, acc = model_at(f"random{o}_{r:02d}", order[:n], mix=mix)
            shutil.rmtree(path, ignore_errors=True)
            curve.append((n, acc))
            print(f"  random order {o} round {r:2d}: {n:5d} labels, accuracy vs truth {acc:.3f} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
            save()
        res["seconds"][f"random{o}"] = time.perf_counter() - t
        save()

    if not ({"entropy", "random"} <= arms and ref.size and args.random_orders):
        res["seconds"]["total"] = time.perf_counter() - t0
        save()
        print(f"\ntotal {time.perf_counter() - t0:.0f} s (no summary: it needs both arms and the reference)")
        return
    mu = res["reference"]["mean"]
    curves = {"entropy": res["curves"]["entropy"]}
    curves.update({f"random{o}": c for o, c in enumerate(res["curves"]["random_orders"])})
    rnd_mean = [(n, float(np.mean([c[i][1] for c in res["curves"]["random_orders"]]))) for i, n in enumerate(grid)]
    curves["random_mean"] = rnd_mean
    print(f"\n{'labels':>7s} " + " ".join(f"{s:>11s}" for s in curves))
    for i, n in enumerate(grid):
        print(f"{n:7d} " + " ".join(f"{curves[s][i][1]:11.3f}" for s in curves))
    print(f"{n_pool:7d} all labels: {mu:.3f} ± {res['reference']['std']:.3f} over {ref.size} seeds "
          f"({', '.join(f'{a:.3f}' for a in ref)})")
    res["labels_needed"] = {s: labels_needed(c, mu) for s, c in curves.items()}
    res["labels_needed_minus_1sd"] = {s: labels_needed(c, mu - res["reference"]["std"]) for s, c in curves.items()}
    for s, n in res["labels_needed"].items():
        print(f"{s}: " + (f"reaches {mu:.3f} with {n} labels ({n / n_pool:.0%} of the pool)" if n else
                          f"does not reach {mu:.3f} within {grid[-1]} labels")
              + f"; within one sd of it: {res['labels_needed_minus_1sd'][s]}")
    res["seconds"]["total"] = time.perf_counter() - t0
    res["loadavg_end"] = os.getloadavg()[0]
    save()
    if args.plot:
        _plot(args.plot, res)
        print(f"wrote {args.plot}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
