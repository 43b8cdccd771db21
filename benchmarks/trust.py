"""Trust benchmark (issue 17): calibration, conformal coverage and uncertainty signals.

Two data sets, each scored on objects the model never saw:

``sim``   simulated HST-like fields (``simulate_field``, preset ``hst``): a compact-CNN ensemble
          (``legus4-compact``, four classes) trained on the *truth* of ``--train-fields`` fields,
          its temperature and conformal rows fitted on its validation split (``starclass train``
          does this), scored on ``--test-fields`` fields of other seeds against the truth.
``real``  the 869 real PAndAS g-band cutouts (``../shared/data/pandas-m31``, preset ``m31-real``,
          cluster vs galaxy): grouped 5-fold cross-validation by ``object_id``; in every fold a
          compact ensemble is trained on four folds (its grouped validation split calibrates it)
          and classifies the fifth; the out-of-fold rows of all five folds are pooled.

Where the temperature and the conformal rows come from (issue 17's goals need rows that are
exchangeable with the objects scored, which the validation split is not quite: it chose the epoch):

``sim``   always the validation split of the training fields (what ``train`` stores); with
          ``--calibration-fields N`` also refitted on N labelled fields of other seeds
          (``starclass calibrate``), with ``--test-calibration-fraction f`` also on a random share f
          of the test fields' candidates; every variant is then scored on the same remaining rows.
``real``  with ``--calibration-fraction f`` a grouped share f of each fold's training part is kept
          apart from training and from the early-stopping split and refits the calibration
          (``calibrate_model``, as ``starclass calibrate --overwrite``); ECE and coverage are also
          given per fold.

Printed for each: ECE (15 equal-width bins of top-class confidence) and multi-class Brier score
before and after temperature scaling, conformal coverage per class at ``--coverage`` (class-
conditional, crepes), the distribution of set sizes, accuracy when the most uncertain 10/20/30%
are left to people, and the ROC AUC of each uncertainty signal (1 - calibrated confidence,
entropy, ensemble spread ``prob_std``, vote disagreement ``1 - quality``, TTA spread ``tta_std``
over the 8 rotations/flips, BALD mutual information ``mutual_info``, conformal set size) for
predicting a mistake. ``--json`` writes
every figure.

Run (about 10 minutes on the loaded 2-core machine; few epochs, so the networks are not the
best they can be: the point is whether their probabilities can be trusted)::

    nice -n 10 .venv/bin/python benchmarks/trust.py --json benchmarks/results_trust.json
    nice -n 10 .venv/bin/python benchmarks/trust.py --parts real --members 3      # real cutouts only
    nice -n 10 .venv/bin/python benchmarks/trust.py --quick                        # a smoke run
    nice -n 10 .venv/bin/python benchmarks/trust.py --parts real --calibration-fraction 0.2
    nice -n 10 .venv/bin/python benchmarks/trust.py --parts sim --calibration-fields 1 \
        --test-calibration-fraction 0.5
    nice -n 10 .venv/bin/python benchmarks/trust.py --calibration-method vector   # a scale and a bias per class

``--calibration-method`` (``temperature``, ``vector`` or ``histogram``) is the map every calibration of the run
fits (``train --calibration-method``, ``starclass calibrate --method``).

The machine is shared with other jobs: timings are indicative only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from starclass.evaluate.reliability import (
    brier_score,
    coverage_table,
    deferral_curve,
    ece_floor,  # the package's since 2026-12-05; the other benchmarks call it as trust.ece_floor
    expected_calibration_error,
    set_size_table,
    signal_aurocs,
)

ROOT = Path(__file__).resolve().parents[1]
PANDAS = ROOT.parent / "shared" / "data" / "pandas-m31" / "labels.csv"


def _entropy(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=1)


def repeated_splits(probs: np.ndarray, y: np.ndarray, classes, coverage: float, fraction: float,
                    n_splits: int = 100, seed: int = 7, method: str = "temperature") -> dict:
    """Calibrate on a random share of exchangeable rows, score the rest, many times over.

    The mean coverage per class says whether the sets are valid; its spread, how far one split
    (one calibration set of this size) can land from the target by chance alone.
    """
    from starclass.learn.calibration import ModelCalibration

    valid = np.flatnonzero(y >= 0)
    rng = np.random.default_rng(seed)
    covs, eces = [], []
    for r in range(n_splits):
        perm = rng.permutation(valid)
        k = int(round(fraction * len(perm)))
        a, b = perm[:k], perm[k:]
        mc = ModelCalibration.fit(probs[a], y[a], classes, source="split", method=method)
        cal_b = mc.calibrate(probs[b])
        sets = mc.conformal(calibrated=True, seed=r).predict_set(cal_b, coverage)
        covs.append([float(sets[y[b] == j, j].mean()) for j in range(len(classes))])
        eces.append(expected_calibration_error(cal_b, y[b]))
    cov = np.array(covs)
    out = {"n_splits": n_splits, "coverage_mean": cov.mean(0).round(4).tolist(),
           "coverage_sd": cov.std(0).round(4).tolist(),
           "share_all_classes_within_2pts": float(np.mean(np.all(np.abs(cov - coverage) <= 0.02, axis=1))),
           "ece_mean_sd": [round(float(np.mean(eces)), 4), round(float(np.std(eces)), 4)]}
    print(f"\n  {n_splits} random {fraction:.0%}/{1 - fraction:.0%} splits of the test rows: coverage per class mean "
          f"{out['coverage_mean']}, sd {out['coverage_sd']}; all classes within 2 points in "
          f"{out['share_all_classes_within_2pts']:.0%} of splits; ECE {out['ece_mean_sd']}")
    return out


def score(name: str, classes, y: np.ndarray, raw: np.ndarray, cal: np.ndarray, pred_idx: np.ndarray,
          sets: np.ndarray, coverage: float, signals: dict[str, np.ndarray], extra: dict) -> dict:
    """Every figure of one data set; printed and returned."""
    # rows the model did not classify (blank stamps: NaN probabilities, class 0) are left out
    ok = np.all(np.isfinite(raw), axis=1) & (y >= 0) & (pred_idx >= 0)
    y, raw, cal, pred_idx, sets = y[ok], raw[ok], cal[ok], pred_idx[ok], sets[ok]
    signals = {k: v[ok] for k, v in signals.items()}
    if (~ok).any():
        extra = dict(extra, left_out=f"{int((~ok).sum())} unclassified rows")
    correct = pred_idx == y
    out = {"name": name, "n": int(len(y)), "accuracy": float(correct.mean()), **extra,
           "ece_raw": expected_calibration_error(raw, y), "ece_cal": expected_calibration_error(cal, y),
           "brier_raw": brier_score(raw, y), "brier_cal": brier_score(cal, y)}
    out["ece_floor_mean_p95"] = [round(v, 4) for v in ece_floor(cal)]
    cov = coverage_table(sets, y, classes, coverage)
    out["coverage"] = {str(r["class"]): round(float(r["coverage"]), 4) for r in cov}
    out["coverage_n"] = {str(r["class"]): int(r["n"]) for r in cov}
    out["mean_set_size"] = {str(r["class"]): round(float(r["mean_set_size"]), 3) for r in cov}
    sizes = sets.sum(axis=1)
    out["set_sizes"] = {int(r["set_size"]): int(r["n"]) for r in set_size_table(sizes, len(classes))}
    conf = cal.max(axis=1)
    fr = [0.0, 0.1, 0.2, 0.3]
    out["deferral_confidence"] = [round(float(a), 4) for a in deferral_curve(1 - conf, correct, fr)["accuracy_kept"]]
    out["deferral_set"] = [round(float(a), 4)
                           for a in deferral_curve(sizes + 0.5 * (1 - conf), correct, fr)["accuracy_kept"]]
    sig = {"1 - confidence (calibrated)": 1 - conf, "entropy": _entropy(cal), **signals,
           "conformal set size": sizes.astype(float)}
    auc = signal_aurocs(sig, ~correct)
    out["signal_auroc"] = {str(r["signal"]): round(float(r["auroc"]), 4) for r in auc}
    best = max(out["signal_auroc"], key=lambda k: -1 if np.isnan(out["signal_auroc"][k]) else out["signal_auroc"][k])
    out["best_signal"] = best

    print(f"\n## {name}: {out['n']} objects never seen in training, accuracy {out['accuracy']:.3f}")
    for k, v in extra.items():
        print(f"  {k}: {v}")
    print(f"  ECE  raw {out['ece_raw']:.4f} -> calibrated {out['ece_cal']:.4f}  (15 equal-width bins)")
    print(f"  ECE of a perfectly calibrated model with these probabilities and rows (sampling noise): mean "
          f"{out['ece_floor_mean_p95'][0]:.4f}, 95th percentile {out['ece_floor_mean_p95'][1]:.4f}")
    print(f"  Brier raw {out['brier_raw']:.4f} -> calibrated {out['brier_cal']:.4f}  (multi-class, 0-2)")
    print(f"  conformal coverage at {coverage:.0%} (class-conditional): "
          + ", ".join(f"class {c} {v:.3f} (n {out['coverage_n'][c]}, {100 * (v - coverage):+.1f} pts)"
                      for c, v in out["coverage"].items()))
    print("  set sizes: " + ", ".join(f"{s}: {n}" for s, n in out["set_sizes"].items())
          + "; mean size per class " + ", ".join(f"{c} {v:.2f}" for c, v in out["mean_set_size"].items()))
    print("  accuracy on the rest when 0/10/20/30% go to people: lowest confidence first "
          + "/".join(f"{a:.3f}" for a in out["deferral_confidence"]) + "; largest set first "
          + "/".join(f"{a:.3f}" for a in out["deferral_set"]))
    print("  mistake AUROC: " + ", ".join(f"{k} {v:.3f}" for k, v in out["signal_auroc"].items())
          + f"  -> best: {best}")
    return out


def _signals(res, tta_res) -> dict[str, np.ndarray]:
    out = {}
    if res.votes.shape[0] > 1:
        out["ensemble spread (prob_std)"] = res.prob_std
        out["1 - vote agreement (quality)"] = 1 - res.quality
    if tta_res is not None:
        out["TTA spread (tta_std)"] = tta_res.tta_std
    # BALD, as classify writes it: over TTA views x members with --tta, else over the members
    mi = (tta_res if tta_res is not None else res).mutual_info
    if mi is not None:
        out["BALD mutual information (mutual_info)"] = mi
    return out


def _apply(loaded, inputs, coverage: float, tta: bool):
    """Raw result, TTA result (for tta_std), calibrated probabilities and conformal sets."""
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.classify import predict_inputs

    res = predict_inputs(loaded, inputs, calibrated=False)
    tta_res = predict_inputs(loaded, inputs, calibrated=False, tta=True) if tta else None
    mc = ModelCalibration.from_dict(loaded.calibration, "model")
    cal = mc.calibrate(res.prob_mean)
    sets = mc.conformal(calibrated=True).predict_set(cal, coverage)
    return res, tta_res, cal, sets, mc


def run_sim(args) -> dict:
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit
    from starclass.simulate import preset, simulate_field
    from starclass.stamps import make_inputs

    t0 = time.perf_counter()
    cfg = get_preset("legus4-compact").copy(recipe={"epochs": args.epochs, "ensemble_size": args.members,
                                                    "val_fraction": args.val_fraction,
                                                    "early_stopping_patience": 4,
                                                    "calibration": args.calibration_method})

    def field_inputs(seed: int):
        f = simulate_field(preset("hst", seed=seed, shape=(args.shape, args.shape), n_candidates=args.n))
        x, ok = make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint)
        y = np.asarray(f.truth["class_ref"], dtype=int)
        # the simulated people's mode per truth row (0: nobody labelled it), the yardstick of issue 17
        hum = dict(zip(np.asarray(f.humans["id"]).tolist(), np.asarray(f.humans["class_ref"]).tolist()))
        mode = np.array([int(hum.get(int(i), 0)) for i in np.asarray(f.truth["id"])])
        return x[ok], y[ok], np.asarray(f.truth["x"])[ok], np.asarray(f.truth["y"])[ok], mode[ok]

    tr = [field_inputs(101 + k) for k in range(args.train_fields)]
    te = [field_inputs(202 + k) for k in range(args.test_fields)]
    x_tr = np.concatenate([t[0] for t in tr])
    y_tr = np.concatenate([t[1] for t in tr])
    x_te = np.concatenate([t[0] for t in te])
    y_te = np.concatenate([t[1] for t in te])
    t_prep = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="starclass_trust_"))
    t1 = time.perf_counter()
    result = fit(cfg, x_tr, y_tr, outdir=work / "sim", seed=0, progress=False, device="cpu")
    t_train = time.perf_counter() - t1
    loaded = load_model(work / "sim")
    res, tta_res, cal, sets, mc = _apply(loaded, x_te, args.coverage, args.tta)
    y = np.asarray(cfg.class_indices(y_te))
    mode_te = np.concatenate([t[4] for t in te])
    idx = np.array([cfg.classes.index(c) if c in cfg.classes else -1 for c in res.class_pred])
    sig_all = _signals(res, tta_res)
    base = {"train": f"{len(y_tr)} candidates of {args.train_fields} field(s), truth labels, {args.members} "
                     f"member(s), <= {args.epochs} epochs ({t_train:.0f} s; data {t_prep:.0f} s)",
            "notes": "; ".join(result.notes)}
    # the objects scored: all test rows, or those left when a part of the test fields calibrates
    rng = np.random.default_rng(12345)
    is_cal = np.zeros(len(y), bool)
    if args.test_calibration_fraction > 0:
        is_cal[rng.permutation(len(y))[: int(round(args.test_calibration_fraction * len(y)))]] = True
    keep = (y >= 0) & ~is_cal

    def scored(label: str, mcal, where: str) -> dict:
        c = mcal.calibrate(res.prob_mean)
        s = mcal.conformal(calibrated=True).predict_set(c, args.coverage)
        extra = dict(base, calibration=f"{where}: {mcal.describe()} on {mcal.n} rows {mcal.class_counts()}",
                     temperature=round(mcal.temperature, 4), method=mcal.method, n_calibration=int(mcal.n))
        return score(f"simulated fields (legus4-compact, 4 classes, vs truth), calibrated on {label}", cfg.classes,
                     y[keep], res.prob_mean[keep], c[keep], idx[keep], s[keep], args.coverage,
                     {k: v[keep] for k, v in sig_all.items()}, extra)

    out = {"validation": scored("the validation split", mc, "the training fields' validation split (chose the "
                                                             "epoch)")}
    # the network (trained on the truth) against the people's mode on the same rows: the ceiling
    # of any network trained on the people's votes (issue 17, learning from votes)
    net_ok = (idx == y)[keep]
    mode_ok = (mode_te == y_te)[keep]
    diff = net_ok.astype(float) - mode_ok.astype(float)
    boot = np.random.default_rng(0).integers(0, diff.size, size=(2000, diff.size))
    d = diff[boot].mean(axis=1)
    out["people_mode_vs_truth"] = float(mode_ok.mean())
    out["network_minus_mode"] = [round(float(diff.mean()), 4), round(float(np.quantile(d, 0.025)), 4),
                                 round(float(np.quantile(d, 0.975)), 4)]
    print(f"\n  people's mode vs truth on the same rows {mode_ok.mean():.3f}; network (trained on the truth) "
          f"minus mode {out['network_minus_mode'][0]:+.3f} [{out['network_minus_mode'][1]:+.3f}, "
          f"{out['network_minus_mode'][2]:+.3f}] (95% paired bootstrap)")
    if args.calibration_fields > 0:
        from starclass.learn.calibration import calibrate_model

        cf = [field_inputs(303 + k) for k in range(args.calibration_fields)]
        # what `starclass calibrate MODEL field/*.fits --catalog truth.ecsv --overwrite` does
        mcf = calibrate_model(work / "sim", np.concatenate([t[0] for t in cf]), np.concatenate([t[1] for t in cf]),
                              source="calibration field(s)", overwrite=True, method=args.calibration_method)
        out["calibration_field"] = scored(f"{args.calibration_fields} labelled field(s) of other seeds", mcf,
                                          f"{args.calibration_fields} field(s) of seeds 303+ (never trained on)")
    if is_cal.any():
        from starclass.learn.calibration import ModelCalibration

        cal_rows = is_cal & (y >= 0)
        # the same fit calibrate_model does, on probabilities already computed
        mtp = ModelCalibration.fit(res.prob_mean[cal_rows], y[cal_rows], cfg.classes, source="test-field part",
                                   method=args.calibration_method)
        out["test_part"] = scored(f"a random {args.test_calibration_fraction:.0%} of the test fields", mtp,
                                  "labelled part of the test fields (exchangeable with the rest)")
        out["repeated_splits"] = repeated_splits(res.prob_mean, y, cfg.classes, args.coverage,
                                                 args.test_calibration_fraction, method=args.calibration_method)
    return out


def run_real(args) -> dict | None:
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.calibration import calibrate_model
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import fit_cutouts, group_folds, group_validation
    from starclass.stamps.images import cutout_inputs

    if not PANDAS.is_file():
        print(f"\n## real PAndAS cutouts: {PANDAS} not found, skipped")
        return None
    cfg = get_preset("m31-real").copy(recipe={"epochs": args.real_epochs, "ensemble_size": args.members,
                                              "calibration": args.calibration_method})
    cut = read_cutout_folder(PANDAS, group_column="object_id")
    classes_all = label_classes(cut, cfg.label_map)
    folds = group_folds(classes_all, cut.groups, args.folds, seed=0)
    inputs = cutout_inputs(cut.images, cfg)
    y_all = cfg.class_indices(classes_all)
    n, k = len(cut), cfg.n_classes
    raw = np.full((n, k), np.nan)
    cal = np.full((n, k), np.nan)
    sets = np.zeros((n, k), bool)
    pred = np.full(n, -1)
    sig: dict[str, np.ndarray] = {}
    temps = []
    per_fold: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="starclass_trust_real_"))
    t0 = time.perf_counter()
    for f in range(args.folds):
        train_rows = np.flatnonzero(folds != f)
        test_rows = np.flatnonzero(folds == f)
        cal_rows = np.zeros(0, dtype=np.int64)
        if args.calibration_fraction > 0:
            # a grouped calibration part kept apart from the early-stopping split: the rows that
            # fit the temperature and the conformal scores never chose an epoch (exchangeable with
            # the test fold, which the validation rows are not quite)
            keep, held = group_validation(classes_all[train_rows], cut.groups[train_rows],
                                          args.calibration_fraction, seed=1000 + f)
            train_rows, cal_rows = train_rows[keep], train_rows[held]
        fit_cutouts(cfg, cut, outdir=work / f"fold{f}", train_index=train_rows, seed=f, progress=False,
                    device="cpu")
        if cal_rows.size:
            # what `starclass calibrate MODEL --stamps held-out.csv --overwrite` does
            calibrate_model(work / f"fold{f}", inputs[cal_rows], classes_all[cal_rows],
                            source=f"grouped calibration part of fold {f}", overwrite=True,
                            method=args.calibration_method)
        loaded = load_model(work / f"fold{f}")
        res, tta_res, c, s, mc = _apply(loaded, inputs[test_rows], args.coverage, args.tta)
        temps.append(round(mc.temperature, 3))
        raw[test_rows], cal[test_rows], sets[test_rows] = res.prob_mean, c, s
        pred[test_rows] = [cfg.classes.index(v) if v in cfg.classes else -1 for v in res.class_pred]
        for name, v in _signals(res, tta_res).items():
            sig.setdefault(name, np.full(n, np.nan))[test_rows] = v
        fold_y = y_all[test_rows]
        fold_cov = {str(c): round(float(s[fold_y == j, j].mean()), 4) for j, c in enumerate(cfg.classes)}
        per_fold.append({"fold": f, "n_test": int(len(test_rows)), "n_train": int(len(train_rows)),
                         "n_calibration": int(mc.n), "temperature": round(mc.temperature, 4),
                         "ece_raw": expected_calibration_error(res.prob_mean, fold_y),
                         "ece_cal": expected_calibration_error(c, fold_y), "coverage": fold_cov})
        print(f"  fold {f}: {len(test_rows)} test cutouts, temperature {mc.temperature:.3f} on {mc.n} "
              f"{'held-out calibration' if cal_rows.size else 'validation'} rows {mc.class_counts()}; "
              f"ECE {per_fold[-1]['ece_raw']:.4f} -> {per_fold[-1]['ece_cal']:.4f}; coverage {fold_cov}",
              flush=True)
    extra = {"train": f"{args.folds}-fold grouped CV by object_id, {args.members} member(s), <= {args.real_epochs} "
                      f"epochs ({time.perf_counter() - t0:.0f} s all folds)",
             "temperatures": temps,
             "calibration": (f"grouped {args.calibration_fraction:.0%} of each fold's training part, kept apart "
                             "from the early-stopping split" if args.calibration_fraction > 0
                             else "each fold's early-stopping validation split")}
    out = score("real PAndAS cutouts (m31-real, cluster vs galaxy, out-of-fold)", cfg.classes, y_all, raw, cal,
                 pred, sets, args.coverage, sig, extra)
    out["per_fold"] = per_fold
    for key in ("ece_raw", "ece_cal"):
        v = np.array([p[key] for p in per_fold])
        out[f"{key}_fold_mean_std"] = [round(float(v.mean()), 4), round(float(v.std(ddof=1)), 4)]
    for c in per_fold[0]["coverage"]:
        v = np.array([p["coverage"][c] for p in per_fold])
        out.setdefault("coverage_fold_min_max", {})[c] = [round(float(v.min()), 4), round(float(v.max()), 4)]
    print(f"  over folds: ECE raw {out['ece_raw_fold_mean_std']}, calibrated {out['ece_cal_fold_mean_std']} "
          f"(mean, std); coverage min-max {out['coverage_fold_min_max']}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default="sim,real", help="sim, real or both")
    ap.add_argument("--coverage", type=float, default=0.9)
    ap.add_argument("--members", type=int, default=3, help="ensemble members")
    ap.add_argument("--epochs", type=int, default=12, help="simulated fields: epochs per member")
    ap.add_argument("--real-epochs", type=int, default=20, help="real cutouts: epochs per member")
    ap.add_argument("--n", type=int, default=2000, help="candidates per simulated field")
    ap.add_argument("--shape", type=int, default=1536, help="simulated field side (px)")
    ap.add_argument("--train-fields", type=int, default=2)
    ap.add_argument("--test-fields", type=int, default=2)
    ap.add_argument("--val-fraction", type=float, default=0.25,
                    help="simulated: validation (= calibration) share of the training candidates")
    ap.add_argument("--calibration-fields", type=int, default=0,
                    help="simulated: also refit the calibration on this many labelled fields of other seeds")
    ap.add_argument("--test-calibration-fraction", type=float, default=0.0,
                    help="simulated: also refit it on a random share of the test fields' candidates; every "
                         "variant is then scored on the rest")
    ap.add_argument("--calibration-method", choices=("temperature", "vector", "histogram"), default="temperature",
                    help="the calibration map fitted everywhere (one temperature, a scale and a bias per class, or "
                         "histogram binning: refused on fewer than 100 rows per bin, e.g. the real folds)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--calibration-fraction", type=float, default=0.0,
                    help="real: grouped share of each fold's training part held out to calibrate (refit as "
                         "'starclass calibrate' does), apart from the early-stopping split; 0: the validation split")
    ap.add_argument("--tta", action=argparse.BooleanOptionalAction, default=True,
                    help="also classify with the 8 rotations/flips for the TTA spread signal")
    ap.add_argument("--quick", action="store_true", help="smoke run: tiny everything")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1: spinning OpenMP threads stall on a loaded shared machine)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.quick:
        args.n, args.shape, args.epochs, args.real_epochs, args.members = 400, 768, 2, 2, 2
        args.train_fields, args.test_fields = 1, 1
    import torch

    torch.set_num_threads(max(1, args.threads))
    print(f"# trust benchmark (shared 2-core machine, torch threads {torch.get_num_threads()}; timings indicative)")
    t0 = time.perf_counter()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    out = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    if "sim" in parts:
        out["sim"] = run_sim(args)
    if "real" in parts:
        out["real"] = run_real(args)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(f"\ntotal {out['seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float) + "\n")
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
