"""How large BALD's mutual information over the 8 TTA views is on the real PAndAS pool, against entropy.

A diagnostic of the ``bald`` arm of ``benchmarks/trust_active_real.py`` (docs/uncertainty.md,
"BALD (mutual information) against entropy"): for fold 0, order 0, training seed 0, the model
trained on the first 50 and on the first 150 objects of the order (the arms' models at those
grid points for random), then for every unlabelled object of the pool its BALD score (mean
over its cutouts of the per-cutout MI over the 8 rotations/flips, raw softmax) and its entropy
score (of its mean calibrated P(cluster)): the MI's quantiles, their Spearman rank correlation
and how many of the 50 objects each would pick are the same::

    nice -n 10 .venv/bin/python benchmarks/trust_active_real_bald_views.py
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent.parent / "shared" / "data" / "pandas-m31"))
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--labels", default="50,150", help="numbers of random labels to train on")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    spec = importlib.util.spec_from_file_location("trust_active_real", ROOT / "trust_active_real.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds
    from starclass.suggest import entropy, pick

    cs = read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id")
    y = label_classes(cs, get_preset("m31-real").label_map)
    folds = group_folds(y, cs.groups, 5, seed=0)
    opts = argparse.Namespace(epochs=None, start=50, batch=50, max_labels=300, init_from=None)
    f = bench.Fold(args.fold, cs, (y == 1).astype(int), folds, opts)
    for n in (int(v) for v in args.labels.split(",")):
        labelled = f.order(0)[:n]
        rest = np.setdiff1d(np.arange(f.objects.size), labelled)
        rest_rows = [f.rows_of[f.objects[i]] for i in rest]
        flat = np.concatenate(rest_rows)
        rows = np.concatenate([f.rows_of[f.objects[i]] for i in labelled])
        mi: list = []
        (_, ppool), _ = bench._train_predict(f.cfg, cs, rows, [f.test_rows, flat], 0, mi_rows=flat, mi=mi)
        m = bench._object_means(mi[0], rest_rows)
        pc = bench._object_means(ppool, rest_rows)
        e = entropy(np.stack([pc, 1 - pc], axis=1))
        top_m, top_e = set(pick(m, 50).tolist()), set(pick(e, 50).tolist())
        print(f"fold {args.fold}, {n} random labels, {rest.size} unlabelled objects: object MI (nats) quantiles "
              f"50/90/99% {np.quantile(m, [0.5, 0.9, 0.99]).round(3).tolist()}, max {m.max():.3f} (ln 2 = 0.693); "
              f"entropy median {np.median(e):.3f}; Spearman(MI, entropy) {spearmanr(m, e)[0]:.2f}; "
              f"the 50 each picks: {len(top_m & top_e)} in common", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
