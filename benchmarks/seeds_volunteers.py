"""Galaxy-cluster candidates: expert vs volunteer labels, and X-ray-only / optical-only ablation.

The comparison of Kosiba et al. (2020; seed 004) on simulated candidates (docs/seeds.md):
simulate a training folder (seed 1) and a test folder (seed 2) with simulated volunteers
(``starclass simulate --preset galaxy-cluster --volunteers 10``), then train
``galaxy-cluster-compact`` (as ``starclass train --stamps``, same seed, same split):

* on the experts' labels (``label``), X-ray + optical;
* on the volunteers' gold-weighted consensus (``--label-column consensus``), X-ray + optical;
* on the experts' labels with the X-ray image only, and with the optical image only;

and score each on the test folder against the **expert** labels: accuracy and ROC AUC with
95 % percentile-bootstrap intervals (1000 resamples over the test candidates), plus the
agreement of the training labels (weighted consensus, unweighted majority) with the experts.

    nice -n 10 python benchmarks/seeds_volunteers.py --out benchmarks/results_seeds_volunteers_2026-12-01.json

``--quick`` runs tiny samples (a smoke test, numbers meaningless).
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
from sklearn.metrics import accuracy_score, roc_auc_score

from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts, fit_cutouts
from starclass.simulate.seed_presets import write_seed_preset

N_BOOT = 1000

SIZES = {
    "full": {"n_train": 200, "n_test": 120, "size": 48, "epochs": 15, "volunteers": 10},
    "quick": {"n_train": 24, "n_test": 16, "size": 32, "epochs": 1, "volunteers": 5},
}

#: name -> (label column, bands)
RUNS = {
    "expert_both": ("label", ["xray", "optical"]),
    "consensus_both": ("consensus", ["xray", "optical"]),
    "expert_xray_only": ("label", ["xray"]),
    "expert_optical_only": ("label", ["optical"]),
}


def boot(fn, *arrays, seed: int = 0) -> tuple[float, float, float]:
    """Value and 95 % percentile-bootstrap interval of ``fn(*arrays)`` over rows (resamples where
    ``fn`` is undefined, e.g. AUC with one class, are skipped by ``bootstrap_ci``)."""
    return bootstrap_ci(fn, *arrays, n_boot=N_BOOT, seed=seed)


def fmt(v) -> str:
    return f"{v[0]:.3f} [{v[1]:.3f}, {v[2]:.3f}]"


def auc(ref, score) -> float:
    return roc_auc_score(ref == 1, score)


def run_one(root: Path, name: str, label_column: str, bands: list[str], train_csv: Path, test_csv: Path,
            q: dict) -> dict:
    cfg = get_preset("galaxy-cluster-compact", stamp_size=q["size"], bands=bands,
                     recipe={"epochs": q["epochs"], "early_stopping_patience": 8})
    tr = read_cutout_folder(train_csv, require_group=False, bands=bands, label_column=label_column)
    # the test set is always scored against the experts' labels
    te = read_cutout_folder(test_csv, require_group=False, bands=bands, label_column="label")
    t0 = time.perf_counter()
    fit_cutouts(cfg, tr, outdir=root / f"model_{name}", seed=0, progress=False, device="cpu")
    t_train = time.perf_counter() - t0
    out = classify_cutouts(te, root / f"model_{name}", device="cpu")
    ref = np.asarray(out["class_ref"], int)
    pred = np.asarray(out["class_pred"], int)
    score = np.asarray(out["prob_1"], float)
    expert = np.asarray(te.table["expert"], int)
    return {"label_column": label_column, "bands": bands, "channels": int(tr.images.shape[1]), "train_s": t_train,
            "training_labels_agree_with_experts": float(np.mean(np.asarray(tr.table[label_column], int)
                                                                == np.asarray(tr.table["label"], int))),
            "accuracy": boot(accuracy_score, ref, pred), "auc": boot(auc, ref, score),
            "accuracy_by_expert_class": {int(e): float(np.mean(pred[expert == e] == ref[expert == e]))
                                         for e in np.unique(expert)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="JSON file for the results.")
    ap.add_argument("--quick", action="store_true", help="Tiny samples (smoke test).")
    args = ap.parse_args()
    torch.set_num_threads(2)
    warnings.filterwarnings("ignore", message=".*masked element.*")
    q = SIZES["quick" if args.quick else "full"]
    results: dict = {"sizes": q, "n_boot": N_BOOT, "machine": "shared 2-core CPU, loaded by other jobs"}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        tr_csv, _ = write_seed_preset("galaxy-cluster", root / "train", n=q["n_train"], size=q["size"], seed=1,
                                      volunteers=q["volunteers"])
        te_csv, _ = write_seed_preset("galaxy-cluster", root / "test", n=q["n_test"], size=q["size"], seed=2,
                                      volunteers=q["volunteers"])
        results["simulate_s"] = time.perf_counter() - t0
        info = json.loads((root / "train" / "simulation.json").read_text())["volunteers"]
        results["train_labels"] = {k: info[k] for k in ("consensus_agrees_with_experts",
                                                        "majority_agrees_with_experts")}
        print("training labels vs experts:", results["train_labels"], flush=True)
        for name, (col, bands) in RUNS.items():
            results[name] = run_one(root, name, col, bands, tr_csv, te_csv, q)
            r = results[name]
            print(f"{name:20s} ({r['channels']} ch) accuracy {fmt(r['accuracy'])}  AUC {fmt(r['auc'])}  "
                  f"({r['train_s']:.0f} s)", flush=True)
    results["total_s"] = time.perf_counter() - t0
    print(f"total {results['total_s']:.0f} s")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, default=str))
        print("written", args.out)


if __name__ == "__main__":
    main()
