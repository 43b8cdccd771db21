"""Galaxy-cluster candidates: the compact preset's batch of 128 against 32 on the parity run's folders.

The cool-core CNN was held back by batch 128 on a few hundred images (two gradient steps an
epoch; ``docs/seeds.md``, "Cool cores: why the CNN was below the baselines"). The same holds for
``galaxy-cluster-compact`` on 240 training candidates; this measures it on the folders of
``seeds_parity.py`` (train 240, seed 1; test 120, seed 2; 64 px), training seed 0, accuracy and
AUC with 95 % bootstrap intervals. The preset itself is unchanged (see docs/seeds.md)::

    nice -n 10 python benchmarks/seeds_gc_batch.py --out benchmarks/results_seeds_gc_batch_2026-12-01.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import accuracy_score, roc_auc_score

sys.path.insert(0, str(Path(__file__).parent))
from seeds_parity import boot, simulate

from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts, fit_cutouts

VARIANTS = {"b128_as_parity": {"epochs": 20, "early_stopping_patience": 8},
            "b32": {"epochs": 20, "early_stopping_patience": 8, "batch_size": 32},
            "b32_preset_epochs": {"batch_size": 32}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*conformal sets.*")
    results = []
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        tr_csv, te_csv, _ = simulate("galaxy-cluster", root, 240, 120, 64)
        for name, rec in VARIANTS.items():
            cfg = get_preset("galaxy-cluster-compact", stamp_size=64, recipe=rec)
            tr = read_cutout_folder(tr_csv, require_group=False, bands=list(cfg.bands))
            te = read_cutout_folder(te_csv, require_group=False, bands=list(cfg.bands))
            t0 = time.perf_counter()
            res = fit_cutouts(cfg, tr, outdir=root / name, seed=0, progress=False, device="cpu")
            t_train = time.perf_counter() - t0
            out = classify_cutouts(te, root / name, device="cpu")
            ref, pred = np.asarray(out["class_ref"], int), np.asarray(out["class_pred"], int)
            score = np.asarray(out["prob_1"], float)
            results.append({"name": name, "recipe": rec, "train_s": round(t_train),
                            "epochs_run": len(res.histories[0]), "accuracy": boot(accuracy_score, ref, pred),
                            "auc": boot(lambda r, s: roc_auc_score(r == 1, s), ref, score)})
            print(json.dumps(results[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"machine": "shared 2-core CPU, loaded by other jobs", "variants": results},
                                       indent=2))


if __name__ == "__main__":
    main()
