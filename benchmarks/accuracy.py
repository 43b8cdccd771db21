"""Accuracy benchmark: train on simulated fields, test on a field of an unseen seed.

Models: StarcNet-style (legus4; on a CPU its width is lowered from 128 to --starcnet-width),
a ResNet18 ensemble (phangs4 members at the stamp size, no upsampling), the compact model
(legus4-compact, optionally an ensemble), and both baselines (bagged trees on the central
15x15 px of RGB-normalised stamps, gradient boosting on measured catalogue features). Every
model is trained on the *simulated human* labels of the training fields (as StarcNet is
trained on LEGUS human labels) and scored on the test field against the truth and against the
simulated human mode: four-class and binary (1+2 vs 3+4) accuracy, per-class
precision/recall/F1, accuracy in bins of magnitude, and a paired bootstrap of each CNN's
accuracy minus each baseline's. With ``--tta`` the CNNs are also scored averaged over the
eight rotations/flips.

Runs (the figures in docs/training.md; 54 and 86 minutes on the 2-core machine)::

    .venv/bin/python benchmarks/accuracy.py --models compact,boosting,starcnet --train-fields 8 \
        --n-train 3000 --test-fields 3 --epochs 60 --starcnet-epochs 12 --compact-members 3 --tta
    .venv/bin/python benchmarks/accuracy.py --models starcnet,resnet18,compact,trees,boosting \
        --train-fields 4 --n-train 3000 --epochs 60 --starcnet-epochs 10 --resnet-epochs 20 \
        --compact-members 3 --tta
    .venv/bin/python benchmarks/accuracy.py --models starcnet,boosting --train-fields 8 --n-train 3000 \
        --test-fields 3 --starcnet-width 128 --starcnet-epochs 15 --precision bf16 --tta   # 59 min
    .venv/bin/python benchmarks/accuracy.py --quick        # a minute, smaller everything

``--precision bf16`` trains and applies the CNNs in bfloat16 (several times faster on CPUs
with AMX; :mod:`starclass.learn.precision`); ``--starcnet-norm batch`` swaps StarcNet-style's group
norm for batch norm (the paper's ablation).

The machine is shared with other jobs: timings printed here are indicative only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from starclass.schema import CLASS_REF


def _simulate(seed: int, n: int, shape: int):
    from starclass.simulate import preset, simulate_field

    return simulate_field(preset("hst", seed=seed, shape=(shape, shape), n_candidates=n))


def _labels(field):
    """Truth and human-mode class per truth candidate (human table matched by id)."""
    truth = field.truth
    hum = dict(zip(np.asarray(field.humans["id"]), np.asarray(field.humans[CLASS_REF])))
    human = np.array([int(hum.get(i, 0)) for i in np.asarray(truth["id"])])
    return np.asarray(truth[CLASS_REF], dtype=int), human


def _scores(pred: np.ndarray, truth: np.ndarray, human: np.ndarray, mag: np.ndarray, nbins: int):
    from starclass.evaluate.metrics import classification_summary

    out = {}
    for ref_name, ref in (("truth", truth), ("human", human)):
        for merge in ("4class", "12v34"):
            r = classification_summary(ref, pred, merge)
            out[f"acc_{merge}_vs_{ref_name}"] = r.accuracy
            if merge == "4class":
                pc = r.per_class
                out[f"per_class_vs_{ref_name}"] = {
                    str(pc[pc.colnames[0]][i]): {
                        k: (None if np.ma.is_masked(pc[k][i]) else round(float(pc[k][i]), 3))
                        for k in ("precision", "recall", "f1") if k in pc.colnames
                    }
                    for i in range(len(pc))
                }
    ok = (pred > 0) & (truth > 0) & np.isfinite(mag)
    edges = np.quantile(mag[ok], np.linspace(0, 1, nbins + 1))
    bins = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = ok & (mag >= lo) & (mag <= hi)
        bins.append({"mag_lo": round(float(lo), 2), "mag_hi": round(float(hi), 2), "n": int(sel.sum()),
                     "acc_4class_vs_truth": float(np.mean(pred[sel] == truth[sel])) if sel.any() else None})
    out["acc_vs_mag"] = bins
    return out


#: What ``--models`` takes: any other name was skipped without a word (exit 0) until 2026-12-05.
MODELS = ("starcnet", "resnet18", "compact", "trees", "boosting")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-train", type=int, default=2000, help="candidates per training field")
    ap.add_argument("--train-fields", type=int, default=1,
                    help="training fields (seeds train-seed, train-seed+1, ...); LEGUS trained on 31 galaxies")
    ap.add_argument("--n-test", type=int, default=1500)
    ap.add_argument("--shape", type=int, default=2048, help="field side (px)")
    ap.add_argument("--train-seed", type=int, default=101)
    ap.add_argument("--test-seed", type=int, default=202)
    ap.add_argument("--test-fields", type=int, default=1,
                    help="test fields (seeds test-seed, test-seed+1, ...), scored together")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--starcnet-width", type=int, default=32, help="128 = the paper's width (slow on a CPU)")
    ap.add_argument("--starcnet-norm", choices=("group", "batch"), default="group",
                    help="StarcNet-style normalisation layers (group: the paper's; batch: its ablation)")
    ap.add_argument("--resnet-members", type=int, default=2)
    ap.add_argument("--resnet-epochs", type=int, default=4, help="ResNet18 is slow on a CPU")
    ap.add_argument("--trees", type=int, default=100, help="bagged trees (100 in the StarcNet paper)")
    ap.add_argument("--models", default="starcnet,resnet18,compact,trees,boosting")
    ap.add_argument("--compact-normalisation", default=None,
                    help="override legus4-compact's normalisation (e.g. asinh)")
    ap.add_argument("--normalisation", default=None,
                    help="override every CNN's normalisation (default: each preset's, flux)")
    ap.add_argument("--compact-members", type=int, default=1, help="compact ensemble size")
    ap.add_argument("--tta", action="store_true",
                    help="also score the CNNs averaged over the 8 rotations/flips (test-time augmentation)")
    ap.add_argument("--balance", choices=("none", "weighted"), default="none",
                    help="class balancing for the CNNs (weighted sampler) and the boosting (balanced "
                         "class weights); none (default) keeps the training set's class fractions, "
                         "which maximises accuracy; the bagged trees are never balanced")
    ap.add_argument("--starcnet-epochs", type=int, default=None, help="default: --epochs")
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto",
                    help="CNN training/inference precision (bf16: bfloat16 autocast, fast on CPUs with AMX)")
    ap.add_argument("--train-labels", choices=("human", "truth"), default="human")
    ap.add_argument("--mag-bins", type=int, default=4)
    ap.add_argument("--quick", action="store_true", help="small fields and few epochs (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    if args.quick:
        args.n_train, args.n_test, args.shape, args.epochs = 800, 500, 1024, 3
        args.resnet_members, args.resnet_epochs = 2, 2
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for name in (m for m in models if m not in MODELS):
        ap.error(f"--models {name!r} is no model of this benchmark (the models: {', '.join(MODELS)})")

    import torch

    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit
    from starclass.stamps import make_inputs

    print(f"# accuracy benchmark (shared 2-core machine, torch threads {torch.get_num_threads()})")
    t0 = time.perf_counter()
    train_seeds = [args.train_seed + k for k in range(args.train_fields)]
    test_seeds = [args.test_seed + k for k in range(args.test_fields)]
    if set(test_seeds) & set(train_seeds):
        raise SystemExit(f"test seeds {test_seeds} overlap the training seeds {train_seeds}")
    train_fields = [_simulate(sd, args.n_train, args.shape) for sd in train_seeds]
    test_fields = [_simulate(sd, args.n_test, args.shape) for sd in test_seeds]
    n_tr = sum(len(f.truth) for f in train_fields)
    n_te = sum(len(f.truth) for f in test_fields)
    print(f"simulated {len(train_fields)} training field(s) (seeds {train_seeds}, {n_tr} candidates) and "
          f"{len(test_fields)} test field(s) (seeds {test_seeds}, {n_te}) in {time.perf_counter() - t0:.0f} s")
    tr_truth = np.concatenate([_labels(f)[0] for f in train_fields])
    tr_human = np.concatenate([_labels(f)[1] for f in train_fields])
    te_truth = np.concatenate([_labels(f)[0] for f in test_fields])
    te_human = np.concatenate([_labels(f)[1] for f in test_fields])
    y_train = tr_human if args.train_labels == "human" else tr_truth
    te_mag = np.concatenate([np.asarray(f.truth["mag_true_f555w"], dtype=float) for f in test_fields])
    print(f"training labels: simulated {args.train_labels}; human-mode vs truth agreement on the test field: "
          f"{np.mean(te_human[te_human > 0] == te_truth[te_human > 0]):.3f} (4 classes)")

    results: dict[str, dict] = {}
    preds: dict[str, np.ndarray] = {}
    work = Path(tempfile.mkdtemp(prefix="starclass_acc_"))

    def train_inputs(cfg):
        """Inputs of every training field, stacked; x offset per field so that positions differ."""
        xs, oks, tx, ty = [], [], [], []
        for k, f in enumerate(train_fields):
            fx, fy = np.asarray(f.truth["x"]), np.asarray(f.truth["y"])
            x, ok = make_inputs(f.images, fx, fy, cfg, zeropoints=f.zeropoint)
            xs.append(x)
            oks.append(ok)
            tx.append(fx + k * (args.shape + 100))
            ty.append(fy)
        return np.concatenate(xs), np.concatenate(oks), np.concatenate(tx), np.concatenate(ty)

    def test_inputs(cfg):
        """Inputs of every test field, stacked in the order of te_truth."""
        parts = [make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint)
                 for f in test_fields]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def cnn(name: str, cfg, label: str, epochs: int | None = None, ensemble: int | None = None):
        if args.normalisation:
            cfg = cfg.copy(normalisation=args.normalisation)
        cfg = cfg.copy(recipe={"balance": None if args.balance == "none" else "weighted_sampler",
                               "amp": args.precision})
        x_tr, ok_tr, tx, ty = train_inputs(cfg)
        x_te, ok_te = test_inputs(cfg)
        lab = np.where(ok_tr, y_train, 0)
        t = time.perf_counter()
        res = fit(cfg, x_tr, lab, outdir=work / name, positions=(tx, ty), seed=0, progress=False,
                  epochs=epochs or args.epochs, resume=False, ensemble=ensemble)
        t_fit = time.perf_counter() - t
        for tta in (False, True) if args.tta else (False,):
            t = time.perf_counter()
            agg = predict_inputs(work / name, x_te, ok=ok_te, batch_size=256, tta=tta)
            t_pred = time.perf_counter() - t
            key = label + (" + TTA" if tta else "")
            preds[key] = agg.class_pred
            results[key] = _scores(agg.class_pred, te_truth, te_human, te_mag, args.mag_bins)
            results[key].update(train_s=round(t_fit, 1), predict_s=round(t_pred, 1),
                                members=len(res.members), best_epochs=res.best_epochs,
                                val_acc=[round(v, 3) for v in res.val_accuracy])
            print(f"{key}: trained in {t_fit:.0f} s (val acc {[round(v, 3) for v in res.val_accuracy]}, "
                  f"best epochs {res.best_epochs}), predicted in {t_pred:.1f} s", flush=True)

    if "starcnet" in models:
        cfg = get_preset("legus4")
        cfg = cfg.copy(arch_options=dict(cfg.arch_options, width=args.starcnet_width, norm=args.starcnet_norm))
        norm_txt = ", batch norm" if args.starcnet_norm == "batch" else ""
        cnn("starcnet", cfg, f"StarcNet-style (width {args.starcnet_width}{norm_txt})", args.starcnet_epochs)
    if "resnet18" in models:
        cfg = get_preset("phangs4", stamp_size=32, input_size=None,
                         architecture=[{"architecture": "resnet18", "n": args.resnet_members}],
                         arch_options={"adapter": "conv1x1", "pretrained": None},
                         recipe={"batch_size": 64, "rescale_prob": 0.5})
        cnn("resnet18", cfg, f"ResNet18 ensemble x{args.resnet_members} (32 px)", args.resnet_epochs)
    if "compact" in models:
        ccfg = get_preset("legus4-compact")
        if args.compact_normalisation:
            ccfg = ccfg.copy(normalisation=args.compact_normalisation)
        label = f"compact ({args.normalisation or ccfg.normalisation})"
        if args.compact_members > 1:
            label = f"compact ensemble x{args.compact_members} ({args.normalisation or ccfg.normalisation})"
        cnn("compact", ccfg, label, ensemble=args.compact_members)

    if "trees" in models:
        from starclass.models.baselines import BaggedTreesPixels

        cfg = get_preset("legus4", scales=[1.0], normalisation="rgb")
        x_tr, ok_tr, _, _ = train_inputs(cfg)
        x_te, ok_te = test_inputs(cfg)
        use = ok_tr & (y_train > 0)
        t = time.perf_counter()
        model = BaggedTreesPixels(n_estimators=args.trees, patch=15, rotate=True, random_state=0, n_jobs=2)
        model.fit(x_tr[use], y_train[use])
        t_fit = time.perf_counter() - t
        pred = np.where(ok_te, model.predict(x_te), 0)
        key = f"bagged trees x{args.trees} (15x15x3 px)"
        preds[key] = pred
        results[key] = _scores(pred, te_truth, te_human, te_mag, args.mag_bins)
        results[key]["train_s"] = round(t_fit, 1)
        print(f"bagged trees: trained in {t_fit:.0f} s")

    if "boosting" in models:
        from starclass.detect import measure
        from starclass.models.baselines import CatalogBoosting

        t = time.perf_counter()
        from astropy.table import vstack

        cat_tr = vstack([measure(f.mosaics(), f.truth["id", "x", "y"]) for f in train_fields])
        cat_te = vstack([measure(f.mosaics(), f.truth["id", "x", "y"]) for f in test_fields])
        t_meas = time.perf_counter() - t
        use = y_train > 0
        model = CatalogBoosting(class_weight="balanced" if args.balance == "weighted" else None, random_state=0)
        t = time.perf_counter()
        model.fit(cat_tr[use], y_train[use])
        t_fit = time.perf_counter() - t
        pred = np.asarray(model.predict(cat_te), dtype=int)
        preds["gradient boosting (catalogue)"] = pred
        results["gradient boosting (catalogue)"] = _scores(pred, te_truth, te_human, te_mag, args.mag_bins)
        results["gradient boosting (catalogue)"]["train_s"] = round(t_fit, 1)
        print(f"catalogue boosting: photometry {t_meas:.0f} s, trained in {t_fit:.1f} s")

    print()
    print(f"{'model':40s} {'4cl/truth':>9s} {'2cl/truth':>9s} {'4cl/human':>9s} {'2cl/human':>9s}")
    for name, r in results.items():
        print(f"{name:40s} {r['acc_4class_vs_truth']:9.3f} {r['acc_12v34_vs_truth']:9.3f} "
              f"{r['acc_4class_vs_human']:9.3f} {r['acc_12v34_vs_human']:9.3f}")
    print()
    for name, r in results.items():
        pcs = r["per_class_vs_truth"]
        print(f"{name}: per class vs truth (precision / recall / F1): " + "; ".join(
            f"{k}: {v.get('precision')}/{v.get('recall')}/{v.get('f1')}" for k, v in pcs.items()))
        print("   accuracy vs V magnitude (4 classes, truth): " + "; ".join(
            f"{b['mag_lo']}-{b['mag_hi']}: {b['acc_4class_vs_truth']:.3f} (n={b['n']})"
            for b in r["acc_vs_mag"] if b["acc_4class_vs_truth"] is not None))
    base = [k for k in preds if k.startswith(("gradient boosting", "bagged trees"))]
    if base:
        print("\npaired bootstrap (2000 resamples of the test candidates), 4-class accuracy vs truth, "
              "CNN minus baseline: mean [95% interval]")
        rng = np.random.default_rng(0)
        boot = rng.integers(0, len(te_truth), size=(2000, len(te_truth)))
        for k in preds:
            if k in base:
                continue
            for b in base:
                diff = (preds[k] == te_truth).astype(float) - (preds[b] == te_truth).astype(float)
                d = diff[boot].mean(axis=1)
                results[k][f"minus {b}"] = [round(float(diff.mean()), 4),
                                            round(float(np.quantile(d, 0.025)), 4),
                                            round(float(np.quantile(d, 0.975)), 4)]
                print(f"  {k} - {b}: {diff.mean():+.3f} [{np.quantile(d, 0.025):+.3f}, {np.quantile(d, 0.975):+.3f}]")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; models in {work}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "results": results}, indent=2))


if __name__ == "__main__":
    main()
