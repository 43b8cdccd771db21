"""The three seed-paper systems on simulated data, scored with the papers' metrics (docs/seeds.md).

For each system: simulate a training folder and an independent test folder
(``starclass simulate --preset ...``, other seed), train the task's compact preset on the
training folder (``fit_cutouts``, as ``starclass train --stamps``), classify the test folder
(``classify_cutouts``, as ``starclass classify --stamps``) and score it as the paper does, with
95 % bootstrap intervals over the test set:

* open-globular: accuracy and F1 (globular positive), and the concentration + colour rule;
* galaxy-cluster: accuracy and ROC AUC of cluster vs non-cluster (binary merge of the experts'
  classes);
* cool-core: one-vs-rest balanced accuracy of CC / WCC / NCC, against the central-density
  rule, the C_SB thresholds and the C_SB ranking in the training fractions.

A short CPU run (sizes below; open-globular and galaxy-cluster ~10 minutes on a shared 2-core
machine; cool-core trains on 3000 simulated clusters, which it needs to reach its baselines,
docs/seeds.md, ~10 minutes more; ``--cc-train 300`` for the first, smaller run):

    nice -n 10 python benchmarks/seeds_parity.py --out benchmarks/results_seeds_parity_2026-12-01.json

``--quick`` runs tiny samples (a smoke test, numbers meaningless).

``--paper`` trains the papers' own networks at the papers' input sizes instead of the compact
presets: VGG16 at 224 px (``open-globular``), the custom CNN at 356 px with its plateau
schedule (``galaxy-cluster``), ResNet-18 at 256 px (``cool-core``), each with its preset's own
recipe (epochs, batch, learning rate) and larger simulated samples. It needs a GPU (VGG16 at
224 px is hours per epoch on the 2-core CPU); not run on this project's CPU:

    python benchmarks/seeds_parity.py --paper --device cuda --out results_seeds_parity_paper.json
"""

from __future__ import annotations

import argparse
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
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts, fit_cutouts
from starclass.learn.precision import settled_clock
from starclass.science.seed_baselines import (
    ConcentrationColourRule,
    csb_classes,
    density_classes,
    plate_features,
    rank_classes,
)
from starclass.simulate.coolcore import surface_brightness_concentration
from starclass.simulate.seed_presets import write_seed_preset

N_BOOT = 1000


def boot(fn, *arrays, seed: int = 0) -> tuple[float, float, float]:
    """Value and 95 % percentile-bootstrap interval of ``fn(*arrays)`` over rows (resamples where
    ``fn`` is undefined, e.g. AUC with one class, are skipped by ``bootstrap_ci``)."""
    return bootstrap_ci(fn, *arrays, n_boot=N_BOOT, seed=seed)


def fmt(v: tuple[float, float, float]) -> str:
    return f"{v[0]:.3f} [{v[1]:.3f}, {v[2]:.3f}]"


def simulate(preset: str, root: Path, n_train: int, n_test: int, size: int) -> tuple[Path, Path, float]:
    t0 = time.perf_counter()
    tr, _ = write_seed_preset(preset, root / f"{preset}_train", n=n_train, size=size, seed=1)
    te, _ = write_seed_preset(preset, root / f"{preset}_test", n=n_test, size=size, seed=2)
    return tr, te, time.perf_counter() - t0


#: The task each system trains: the compact presets (CPU) or, with ``--paper``, the papers' networks.
TASKS = {"compact": {"og": "open-globular-compact", "gc": "galaxy-cluster-compact", "cc": "cool-core-compact"},
         "paper": {"og": "open-globular", "gc": "galaxy-cluster", "cc": "cool-core"}}
#: Set by main(): the torch device and the task family.
RUN = {"device": "cpu", "tasks": TASKS["compact"]}


def train_and_classify(task: str, train_csv: Path, test_csv: Path, root: Path, size: int, epochs: int | None,
                       label_column: str = "label", tta: bool = False):
    # epochs None: the preset's own recipe (the papers' epochs and early stopping)
    recipe = {} if epochs is None else {"epochs": epochs, "early_stopping_patience": 8}
    cfg = get_preset(task, stamp_size=size, recipe=recipe)
    bands = list(cfg.bands) if len(cfg.bands) > 1 else None
    tr = read_cutout_folder(train_csv, require_group=False, bands=bands, label_column=label_column)
    te = read_cutout_folder(test_csv, require_group=False, bands=bands, label_column=label_column)
    t0 = settled_clock(RUN["device"])
    fit_cutouts(cfg, tr, outdir=root / f"model_{task}", seed=0, progress=False, device=RUN["device"])
    t_train = settled_clock(RUN["device"]) - t0  # --device cuda: after the queued GPU work has run
    out = classify_cutouts(te, root / f"model_{task}", device=RUN["device"])
    if tta:  # also averaged over the eight rotations/flips (`classify --tta`)
        return cfg, tr, te, (out, classify_cutouts(te, root / f"model_{task}", device=RUN["device"], tta=True)), \
            t_train
    return cfg, tr, te, out, t_train


def open_globular(root: Path, q: dict) -> dict:
    tr_csv, te_csv, t_sim = simulate("open-globular", root, q["og_train"], q["og_test"], q["og_size"])
    cfg, tr, te, out, t_train = train_and_classify(RUN["tasks"]["og"], tr_csv, te_csv, root, q["og_size"],
                                                   q["epochs"])
    ref = np.asarray(out["class_ref"], int)
    pred = np.asarray(out["class_pred"], int)
    # the rule: features of the training images, thresholds fitted there
    rgb_tr = np.moveaxis(tr.images, 1, -1)
    rgb_te = np.moveaxis(te.images, 1, -1)
    rule = ConcentrationColourRule().fit(plate_features(rgb_tr), np.asarray(tr.labels, int))
    rule_pred = rule.predict(plate_features(rgb_te))
    f1 = lambda r, p: f1_score(r, p, pos_label=2)  # noqa: E731
    return {"n_train": len(tr), "n_test": len(te), "size_px": q["og_size"], "simulate_s": t_sim, "train_s": t_train,
            "cnn": {"accuracy": boot(accuracy_score, ref, pred), "f1_globular": boot(f1, ref, pred)},
            "rule": {"accuracy": boot(accuracy_score, ref, rule_pred), "f1_globular": boot(f1, ref, rule_pred),
                     "rule": rule.describe()},
            "label_noise_in_test": float(np.mean([r["label"] != r["label_true"] for r in te.table]))}


def galaxy_clusters(root: Path, q: dict) -> dict:
    tr_csv, te_csv, t_sim = simulate("galaxy-cluster", root, q["gc_train"], q["gc_test"], q["gc_size"])
    cfg, tr, te, out, t_train = train_and_classify(RUN["tasks"]["gc"], tr_csv, te_csv, root, q["gc_size"],
                                                   q["epochs"])
    ref = np.asarray(out["class_ref"], int)
    pred = np.asarray(out["class_pred"], int)
    score = np.asarray(out["prob_1"], float)
    auc = lambda r, s: roc_auc_score(r == 1, s)  # noqa: E731
    expert = np.asarray(te.table["expert"], int)
    per_expert = {int(e): float(np.mean(pred[expert == e] == ref[expert == e])) for e in np.unique(expert)}
    return {"n_train": len(tr), "n_test": len(te), "size_px": q["gc_size"], "simulate_s": t_sim, "train_s": t_train,
            "cnn": {"accuracy": boot(accuracy_score, ref, pred), "auc": boot(auc, ref, score)},
            "accuracy_by_expert_class": per_expert}


def cool_cores(root: Path, q: dict) -> dict:
    tr_csv, te_csv, t_sim = simulate("cool-core", root, q["cc_train"], q["cc_test"], q["cc_size"])
    # cool cores: the preset's own recipe (batch 32, balanced sampling, early stopping; see its yaml)
    cfg, tr, te, (out, out_tta), t_train = train_and_classify(RUN["tasks"]["cc"], tr_csv, te_csv, root,
                                                              q["cc_size"], q.get("cc_epochs", q["epochs"]), tta=True)
    ref = np.asarray(out["class_ref"], int)
    pred = np.asarray(out["class_pred"], int)
    pixel_kpc = 1000.0 / q["cc_size"]
    csb = np.array([surface_brightness_concentration(img[0], pixel_kpc) for img in te.images])
    ne = np.asarray(te.table["ne_center"], float)
    train_labels = np.asarray(tr.labels, int)
    fractions = [np.mean(train_labels == c) for c in (1, 2, 3)]
    methods = {"cnn": pred, "cnn_tta": np.asarray(out_tta["class_pred"], int),
               "density": density_classes(ne), "csb_thresholds": csb_classes(csb),
               "csb_ranked": rank_classes(csb, fractions)}
    res = {"n_train": len(tr), "n_test": len(te), "size_px": q["cc_size"], "simulate_s": t_sim, "train_s": t_train,
           "class_counts_test": {str(c): int(np.sum(ref == c)) for c in (1, 2, 3)}}
    for name, p in methods.items():
        entry = {}
        for c, cname in ((1, "CC"), (2, "WCC"), (3, "NCC")):
            entry[f"bacc_{cname}"] = boot(
                lambda r, pp, c=c: float(per_class_table(r, pp, [1, 2, 3])["one_vs_rest_balanced_accuracy"][c - 1]),
                ref, p)
        entry["bacc_mean"] = boot(
            lambda r, pp: float(np.mean(per_class_table(r, pp, [1, 2, 3])["one_vs_rest_balanced_accuracy"])), ref, p)
        res[name] = entry
    return res


SIZES = {
    "full": {"og_train": 300, "og_test": 160, "og_size": 64, "gc_train": 240, "gc_test": 120, "gc_size": 64,
             "cc_train": 3000, "cc_test": 200, "cc_size": 96, "epochs": 20, "cc_epochs": None},
    # the papers' input sizes and networks (--paper, GPU): VGG16 224 px, custom CNN 356 px, ResNet-18
    # 256 px; samples near the papers' (Kosiba: 1600 candidates; Su: 318 clusters, here more since
    # there is no 10-fold); epochs None: each preset's own recipe
    "paper": {"og_train": 600, "og_test": 200, "og_size": 224, "gc_train": 1600, "gc_test": 400, "gc_size": 356,
              "cc_train": 1000, "cc_test": 200, "cc_size": 256, "epochs": None},
    "quick": {"og_train": 24, "og_test": 16, "og_size": 48, "gc_train": 24, "gc_test": 16, "gc_size": 48,
              "cc_train": 24, "cc_test": 18, "cc_size": 64, "epochs": 2},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="JSON file for the results.")
    ap.add_argument("--quick", action="store_true", help="Tiny samples (smoke test).")
    ap.add_argument("--only", choices=["open-globular", "galaxy-cluster", "cool-core"], default=None)
    ap.add_argument("--paper", action="store_true",
                    help="The papers' networks at their input sizes (VGG16 224 px, custom CNN 356 px, ResNet-18 "
                         "256 px) with their presets' recipes: needs a GPU.")
    ap.add_argument("--device", default="cpu", help="torch device (cuda on a GPU machine).")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads.")
    ap.add_argument("--cc-train", type=int, default=None,
                    help="Number of simulated training clusters for cool-core (default: the size set's).")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    RUN["device"] = args.device
    RUN["tasks"] = TASKS["paper" if args.paper else "compact"]
    warnings.filterwarnings("ignore", message=".*masked element.*")
    q = dict(SIZES["quick" if args.quick else ("paper" if args.paper else "full")])
    if args.paper and args.quick:
        q.update(epochs=1)  # a smoke test of the paper networks: tiny samples, one epoch
    if args.cc_train is not None:
        q["cc_train"] = args.cc_train
    results: dict = {"sizes": q, "tasks": RUN["tasks"], "device": args.device, "n_boot": N_BOOT,
                     "machine": "shared 2-core CPU, loaded by other jobs" if args.device == "cpu" else args.device}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for name, fn in (("open-globular", open_globular), ("galaxy-cluster", galaxy_clusters),
                         ("cool-core", cool_cores)):
            if args.only and args.only != name:
                continue
            t1 = time.perf_counter()
            results[name] = fn(root, q)
            results[name]["wall_s"] = time.perf_counter() - t1
            print(name, json.dumps({k: v for k, v in results[name].items() if k not in ("rule",)}, default=str)[:900],
                  flush=True)
    results["total_s"] = time.perf_counter() - t0
    if "open-globular" in results:
        r = results["open-globular"]
        print(f"open-globular  CNN accuracy {fmt(r['cnn']['accuracy'])}  F1 {fmt(r['cnn']['f1_globular'])}; "
              f"rule accuracy {fmt(r['rule']['accuracy'])}")
    if "galaxy-cluster" in results:
        r = results["galaxy-cluster"]
        print(f"galaxy-cluster CNN accuracy {fmt(r['cnn']['accuracy'])}  AUC {fmt(r['cnn']['auc'])}")
    if "cool-core" in results:
        r = results["cool-core"]
        for m in ("cnn", "cnn_tta", "density", "csb_thresholds", "csb_ranked"):
            print(f"cool-core {m:15s} " + "  ".join(f"{k[5:]} {fmt(v)}" for k, v in r[m].items()))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=str))
        print("written", args.out)


if __name__ == "__main__":
    main()
