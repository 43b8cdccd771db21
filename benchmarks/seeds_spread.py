"""Mean and spread over k folds and over training seeds, and pretraining on simulated data against scratch.

The seed papers report a mean and spread: Kosiba et al. (2020) over ten training seeds
(mean +- std), Su et al. (2020) over ten folds. This benchmark gives ours for each system's
compact preset on simulated data (``docs/seeds.md``, "Mean and spread"), with the papers'
metrics:

* open-globular: accuracy and F1 (globular positive);
* galaxy-cluster: accuracy and ROC AUC of cluster vs non-cluster;
* cool-core: one-vs-rest balanced accuracy of CC / WCC / NCC and their mean.

Modes:

``kfold``
    Stratified k-fold (:func:`starclass.learn.crossval.cv_folds`, as ``train --cv K``) over
    one simulated pool (seed 1): each fold trains on the others (``fit_cutouts`` with
    ``train_index``, as ``train --stamps``) and is classified by that model; mean +- std over
    folds and the pooled value.
``seeds``
    The same training folder (seed 1) trained with N training seeds (initialisation, batch
    order, validation draw), each model classifying one independent test folder (seed 2);
    mean +- std over seeds.
``pretrain``
    Issue 16 point 2, the substitute for ImageNet weights: pretrain the preset on a large
    simulated sample of the task (seed 7, ``--pretrain-n``), then fine-tune it on a small
    labelled set (seed 1, ``--finetune-n``) with ``init_from`` (as ``train --init-from``),
    against training from scratch on the same small set; both classify the test folder
    (seed 2). Per training seed: both metrics and their difference with a paired 95 %
    bootstrap interval over the test set; mean +- std over seeds. The pretrained model alone
    (no fine-tuning) is scored too.

Sizes are small (CPU): see ``SIZES`` and ``docs/seeds.md``. A run:

    nice -n 10 python benchmarks/seeds_spread.py --mode kfold --out benchmarks/results_seeds_kfold_2026-12-01.json
    nice -n 10 python benchmarks/seeds_spread.py --mode seeds --out benchmarks/results_seeds_tenseeds_2026-12-01.json
    nice -n 10 python benchmarks/seeds_spread.py --mode pretrain --only cool-core \\
        --out benchmarks/results_seeds_pretrain_2026-12-01.json

``--quick`` runs tiny samples (a smoke test, numbers meaningless).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.evaluate.metrics import per_class_table
from starclass.io.cutout_folders import CutoutSet, read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.crossval import cv_folds
from starclass.learn.cutouts import classify_cutouts, fit_cutouts
from starclass.simulate.seed_presets import write_seed_preset

#: system -> (simulate preset, compact task)
SYSTEMS = {"open-globular": "open-globular-compact", "galaxy-cluster": "galaxy-cluster-compact",
           "cool-core": "cool-core-compact"}

SIZES = {
    "full": {
        "open-globular": {"n": 240, "test": 160, "size": 48, "epochs": 15},
        "galaxy-cluster": {"n": 240, "test": 120, "size": 48, "epochs": 15},
        "cool-core": {"n": 300, "test": 200, "size": 96, "epochs": 30},
        "k": 5, "seeds": 10, "pretrain_n": 1200, "finetune_n": 60, "pretrain_seeds": 3,
    },
    "quick": {
        "open-globular": {"n": 30, "test": 16, "size": 32, "epochs": 1},
        "galaxy-cluster": {"n": 30, "test": 16, "size": 32, "epochs": 1},
        "cool-core": {"n": 30, "test": 18, "size": 32, "epochs": 1},
        "k": 2, "seeds": 2, "pretrain_n": 30, "finetune_n": 40, "pretrain_seeds": 1,
    },
}


def metrics(system: str, ref: np.ndarray, pred: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """The paper's metrics of one system on one set of predictions."""
    if system == "open-globular":
        return {"accuracy": float(accuracy_score(ref, pred)), "f1_globular": float(f1_score(ref, pred, pos_label=2))}
    if system == "galaxy-cluster":
        auc = float(roc_auc_score(ref == 1, score)) if len(np.unique(ref == 1)) == 2 else float("nan")
        return {"accuracy": float(accuracy_score(ref, pred)), "auc": auc}
    bacc = per_class_table(ref, pred, [1, 2, 3])["one_vs_rest_balanced_accuracy"]
    out = {f"bacc_{c}": float(v) for c, v in zip(("CC", "WCC", "NCC"), bacc)}
    out["bacc_mean"] = float(np.mean(bacc))
    return out


def headline(system: str) -> str:
    """The metric the paired pretraining difference is taken on."""
    return {"open-globular": "accuracy", "galaxy-cluster": "auc", "cool-core": "bacc_mean"}[system]


def subset(cs: CutoutSet, rows: np.ndarray) -> CutoutSet:
    """The cutouts of ``rows`` (a new set; the images are copied)."""
    rows = np.asarray(rows, dtype=np.int64)
    return dataclasses.replace(
        cs, images=cs.images[rows], table=cs.table[rows], files=[cs.files[i] for i in rows],
        labels=None if cs.labels is None else cs.labels[rows], groups=cs.groups[rows],
        folds=None if cs.folds is None else cs.folds[rows])


def read(system: str, csv: Path, task: str) -> CutoutSet:
    cfg = get_preset(task)
    bands = list(cfg.bands) if len(cfg.bands) > 1 else None
    return read_cutout_folder(csv, require_group=False, bands=bands)


def predictions(out) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.asarray(out["class_ref"], int), np.asarray(out["class_pred"], int),
            np.asarray(out["prob_1"], float))


def summarise(rows: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and sample standard deviation (ddof 1) of every metric over folds or seeds."""
    keys = rows[0].keys()
    return {k: {"mean": float(np.nanmean([r[k] for r in rows])),
                "std": float(np.nanstd([r[k] for r in rows], ddof=1)) if len(rows) > 1 else 0.0}
            for k in keys}


def train(task: str, size: int, epochs: int, cs: CutoutSet, outdir: Path, seed: int,
          rows: np.ndarray | None = None, init_from: Path | None = None, lr: float | None = None) -> float:
    recipe = {"epochs": epochs}
    if lr is not None:
        recipe["lr"] = lr
    cfg = get_preset(task, stamp_size=size, recipe=recipe)
    t0 = time.perf_counter()
    fit_cutouts(cfg, cs, outdir=outdir, train_index=rows, seed=seed, progress=False, device="cpu",
                init_from=init_from)
    return time.perf_counter() - t0


def run_kfold(system: str, q: dict, root: Path) -> dict:
    s = q[system]
    task = SYSTEMS[system]
    csv, _ = write_seed_preset(system, root / f"{system}_pool", n=s["n"], size=s["size"], seed=1)
    pool = read(system, csv, task)
    target = np.asarray(pool.labels).astype(int)
    folds = cv_folds(q["k"], target, seed=0)
    per_fold, ref_all, pred_all, score_all, t_train = [], [], [], [], 0.0
    for name, held in folds:
        rest = np.setdiff1d(np.arange(len(pool)), held)
        t_train += train(task, s["size"], s["epochs"], pool, root / f"m_{system}_fold{name}", seed=0, rows=rest)
        ref, pred, score = predictions(classify_cutouts(subset(pool, held), root / f"m_{system}_fold{name}",
                                                        device="cpu"))
        per_fold.append(metrics(system, ref, pred, score))
        ref_all.append(ref)
        pred_all.append(pred)
        score_all.append(score)
        print(system, "fold", name, json.dumps(per_fold[-1]), flush=True)
    pooled = metrics(system, np.concatenate(ref_all), np.concatenate(pred_all), np.concatenate(score_all))
    return {"k": q["k"], "n": len(pool), "size_px": s["size"], "epochs": s["epochs"], "train_s": t_train,
            "per_fold": per_fold, "summary": summarise(per_fold), "pooled": pooled}


def run_seeds(system: str, q: dict, root: Path) -> dict:
    s = q[system]
    task = SYSTEMS[system]
    tr_csv, _ = write_seed_preset(system, root / f"{system}_train", n=s["n"], size=s["size"], seed=1)
    te_csv, _ = write_seed_preset(system, root / f"{system}_test", n=s["test"], size=s["size"], seed=2)
    tr, te = read(system, tr_csv, task), read(system, te_csv, task)
    per_seed, t_train = [], 0.0
    for seed in range(q["seeds"]):
        t_train += train(task, s["size"], s["epochs"], tr, root / f"m_{system}_seed{seed}", seed=seed)
        per_seed.append(metrics(system, *predictions(classify_cutouts(te, root / f"m_{system}_seed{seed}",
                                                                      device="cpu"))))
        print(system, "seed", seed, json.dumps(per_seed[-1]), flush=True)
    return {"seeds": q["seeds"], "n_train": len(tr), "n_test": len(te), "size_px": s["size"], "epochs": s["epochs"],
            "train_s": t_train, "per_seed": per_seed, "summary": summarise(per_seed)}


def run_pretrain(system: str, q: dict, root: Path) -> dict:
    s = q[system]
    task = SYSTEMS[system]
    key = headline(system)
    pre_csv, _ = write_seed_preset(system, root / f"{system}_pre", n=q["pretrain_n"], size=s["size"], seed=7)
    ft_csv, _ = write_seed_preset(system, root / f"{system}_ft", n=q["finetune_n"], size=s["size"], seed=1)
    te_csv, _ = write_seed_preset(system, root / f"{system}_test", n=s["test"], size=s["size"], seed=2)
    pre, ft, te = (read(system, p, task) for p in (pre_csv, ft_csv, te_csv))
    t_pre = train(task, s["size"], s["epochs"], pre, root / f"m_{system}_pre", seed=100)
    pre_only = metrics(system, *predictions(classify_cutouts(te, root / f"m_{system}_pre", device="cpu")))
    print(system, "pretrained only", json.dumps(pre_only), flush=True)
    runs = []
    for seed in range(q["pretrain_seeds"]):
        t0 = time.perf_counter()
        train(task, s["size"], s["epochs"], ft, root / f"m_{system}_scratch{seed}", seed=seed)
        # fine-tuning: a tenth of the preset's learning rate, so the pretrained filters are adjusted, not erased
        lr_ft = float(get_preset(task).recipe.lr) / 10
        train(task, s["size"], s["epochs"], ft, root / f"m_{system}_ft{seed}", seed=seed,
              init_from=root / f"m_{system}_pre", lr=lr_ft)
        a = predictions(classify_cutouts(te, root / f"m_{system}_scratch{seed}", device="cpu"))
        b = predictions(classify_cutouts(te, root / f"m_{system}_ft{seed}", device="cpu"))
        m_scratch, m_ft = metrics(system, *a), metrics(system, *b)

        def diff(ref, p_ft, s_ft, p_sc, s_sc):
            return metrics(system, ref, p_ft, s_ft)[key] - metrics(system, ref, p_sc, s_sc)[key]

        d = bootstrap_ci(diff, a[0], b[1], b[2], a[1], a[2], n_boot=1000, seed=seed)
        runs.append({"seed": seed, "scratch": m_scratch, "finetuned": m_ft, f"diff_{key}": d,
                     "wall_s": time.perf_counter() - t0})
        print(system, "seed", seed, json.dumps(runs[-1]), flush=True)
    return {"pretrain_n": len(pre), "finetune_n": len(ft), "n_test": len(te), "size_px": s["size"],
            "epochs": s["epochs"], "pretrain_s": t_pre, "finetune_lr": lr_ft, "headline": key,
            "pretrained_only": pre_only, "runs": runs,
            "scratch": summarise([r["scratch"] for r in runs]), "finetuned": summarise([r["finetuned"] for r in runs]),
            f"diff_{key}": summarise([{key: r[f"diff_{key}"][0]} for r in runs])[key]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["kfold", "seeds", "pretrain"], required=True)
    ap.add_argument("--out", type=Path, default=None, help="JSON file for the results.")
    ap.add_argument("--only", choices=list(SYSTEMS), action="append", default=None,
                    help="Run these systems only (repeatable).")
    ap.add_argument("--quick", action="store_true", help="Tiny samples (smoke test).")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", message=".*masked element.*")
    warnings.filterwarnings("ignore", message=".*conformal sets.*")
    q = SIZES["quick" if args.quick else "full"]
    fn = {"kfold": run_kfold, "seeds": run_seeds, "pretrain": run_pretrain}[args.mode]
    results: dict = {"mode": args.mode, "sizes": q, "machine": "shared 2-core CPU, loaded by other jobs"}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        for system in SYSTEMS:
            if args.only and system not in args.only:
                continue
            t1 = time.perf_counter()
            results[system] = fn(system, q, Path(d))
            results[system]["wall_s"] = time.perf_counter() - t1
            if args.out:  # written after every system: a long run keeps what it has
                results["total_s"] = time.perf_counter() - t0
                args.out.write_text(json.dumps(results, indent=2, default=float))
    results["total_s"] = time.perf_counter() - t0
    for system in SYSTEMS:
        r = results.get(system)
        if r is None:
            continue
        summ = r.get("summary") or {"scratch": r["scratch"], "finetuned": r["finetuned"]}
        print(system, args.mode, json.dumps(summ, default=float))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=float))
        print("written", args.out)


if __name__ == "__main__":
    main()
