"""Recheck a finished ``benchmarks/trust.py`` run from its saved models (issue 17).

``trust.py`` keeps its models in a temporary folder (printed nowhere; ``/tmp/starclass_trust_*``).
This recomputes, on exactly the rows that run scored, the figures the run of 2026-12-01 did not
yet print (``trust.py`` computes them itself since):

``sim MODEL_DIR N SHAPE TEST_FIELDS FRACTION``
    the people's mode against the truth on the scored rows and the truth-trained network minus
    it (95% paired bootstrap), the ECE of a perfectly calibrated model with the same
    probabilities (the sampling floor), and 100 random calibrate/score splits of the test rows
    (mean and spread of the per-class coverage).
``fields MODEL_DIR N SHAPE CAL_SEEDS TEST_SEEDS``
    recalibrate the model on fresh labelled fields (comma-separated seeds) and score it on more
    fresh fields: ECE with its sampling floor and per-class coverage on enough rows to test the goals;
    under ``"methods"`` the same for raw, temperature and vector-scaled probabilities side by side.
``dump MODEL_DIR N SHAPE SEEDS OUT.npz``
    the raw ensemble-mean probabilities, task class indices, true reference classes, people's mode
    and field seed of every usable candidate of fresh fields (comma-separated seeds), saved once
    so that calibrators and conformal set-ups can be compared in seconds
    (``benchmarks/trust_calibrators.py``).
``dump-real WORK_DIR OUT.npz``
    per fold of a ``--parts real`` run: its stored calibration rows (raw probabilities, labels)
    and the raw probabilities and labels of its out-of-fold cutouts, for the same comparison.
``real WORK_DIR``
    the ECE sampling floor of the pooled out-of-fold calibrated probabilities (``fold0`` ..
    ``fold4`` model directories of a ``--parts real`` run); under ``"methods"`` every fold's stored
    calibration rows refitted with a temperature and with vector scaling, pooled and scored.

Run::

    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py sim /tmp/starclass_trust_XXXX/sim 1500 1024 2 0.5
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py real /tmp/starclass_trust_real_XXXX
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py fields /tmp/starclass_trust_XXXX/sim 1500 1024 \
        310,311 312,313,314,315
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py dump /tmp/starclass_trust_XXXX/sim 1500 1024 \
        310,311,312,313,314,315 /tmp/fields.npz
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py dump-real /tmp/starclass_trust_real_XXXX /tmp/real.npz
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np


def _trust():
    spec = importlib.util.spec_from_file_location("trust", Path(__file__).resolve().parent / "trust.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def field_rows(cfg, seeds, shape: int, n: int):
    """Network inputs, true classes and the people's mode of simulated ``hst`` fields (seeds given).

    Returns the stacked inputs of the candidates with a usable stamp, their true reference
    classes and the simulated people's mode (0 where a candidate has no vote).
    """
    from starclass.simulate import preset, simulate_field
    from starclass.stamps import make_inputs

    xs, ys, modes = [], [], []
    for s in seeds:
        f = simulate_field(preset("hst", seed=s, shape=(shape, shape), n_candidates=n))
        x, ok = make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint)
        hum = dict(zip(np.asarray(f.humans["id"]).tolist(), np.asarray(f.humans["class_ref"]).tolist()))
        mode = np.array([int(hum.get(int(i), 0)) for i in np.asarray(f.truth["id"])])
        xs.append(x[ok])
        ys.append(np.asarray(f.truth["class_ref"], dtype=int)[ok])
        modes.append(mode[ok])
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(modes)


def _per_class_fractions(probs: np.ndarray, y: np.ndarray) -> dict:
    """Mean predicted probability of each class against its observed fraction (calibration in the large)."""
    k = probs.shape[1]
    return {"mean_prob": probs.mean(0).round(4).tolist(),
            "observed": np.bincount(y, minlength=k).astype(float).__truediv__(len(y)).round(4).tolist()}


def classwise_ece(probs: np.ndarray, y: np.ndarray, n_bins: int = 15) -> float:
    """Mean over classes of the ECE of ``p_k`` against ``[y = k]`` (15 equal-width bins of ``p_k``)."""
    out = []
    for j in range(probs.shape[1]):
        p, hit = probs[:, j], (y == j).astype(float)
        b = np.minimum((p * n_bins).astype(int), n_bins - 1)
        e = 0.0
        for i in np.unique(b):
            m = b == i
            e += m.sum() / len(p) * abs(hit[m].mean() - p[m].mean())
        out.append(e)
    return float(np.mean(out))


def compare_methods(classes, p_cal: np.ndarray, y_cal: np.ndarray, p_te: np.ndarray, y_te: np.ndarray,
                    coverage: float = 0.9) -> dict:
    """Raw, temperature and vector scaling fitted on (p_cal, y_cal), each scored on (p_te, y_te).

    Per method: the fitted terms, ECE (top-label) with its sampling floor, class-wise ECE, NLL,
    Brier, accuracy of the calibrated argmax (vector scaling can change the most probable class)
    and the class-conditional conformal coverage at ``coverage`` with the sets fitted on the same
    calibration rows.
    """
    from sklearn.metrics import log_loss

    from starclass.evaluate.reliability import brier_score, coverage_table, expected_calibration_error
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.conformal import ClassConditionalConformal

    trust = _trust()
    k = len(classes)
    out = {}
    for method in ("raw", "temperature", "vector"):
        if method == "raw":
            cal_c, cal_t, terms = p_cal, p_te, {}
        else:
            mc = ModelCalibration.fit(p_cal, y_cal, classes, source="recheck", method=method)
            cal_c, cal_t = mc.calibrate(p_cal), mc.calibrate(p_te)
            terms = {"temperature": mc.temperature, "nll_fit": mc.nll_after}
            if method == "vector":
                terms.update(scale=mc.scale.round(4).tolist(), bias=mc.bias.round(4).tolist())
        sets = ClassConditionalConformal(seed=0).fit(cal_c, y_cal).predict_set(cal_t, coverage)
        cov = coverage_table(sets, y_te, classes, coverage)
        out[method] = dict(terms, ece=expected_calibration_error(cal_t, y_te),
                           ece_floor_mean_p95=trust.ece_floor(cal_t), classwise_ece=classwise_ece(cal_t, y_te),
                           nll=float(log_loss(y_te, np.clip(cal_t, 1e-12, 1), labels=np.arange(k))),
                           brier=brier_score(cal_t, y_te), accuracy_argmax=float(np.mean(cal_t.argmax(1) == y_te)),
                           argmax_changed=float(np.mean(cal_t.argmax(1) != p_te.argmax(1))),
                           fractions=_per_class_fractions(cal_t, y_te),
                           coverage={str(r["class"]): float(r["coverage"]) for r in cov},
                           mean_set_size={str(r["class"]): float(r["mean_set_size"]) for r in cov})
        o = out[method]
        print(f"  {method:11s} ECE {o['ece']:.4f} (floor {o['ece_floor_mean_p95'][0]:.4f}, p95 "
              f"{o['ece_floor_mean_p95'][1]:.4f}), class-wise {o['classwise_ece']:.4f}, NLL {o['nll']:.4f}, "
              f"Brier {o['brier']:.4f}, argmax acc {o['accuracy_argmax']:.4f}; coverage {o['coverage']}",
              file=sys.stderr, flush=True)
    return out


def recheck_sim(model: str, n: int, shape: int, n_fields: int, frac: float) -> dict:
    """Mode, ECE floor and repeated splits on the rows ``trust.py --parts sim`` scored."""
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs

    trust = _trust()
    loaded = load_model(model, device="cpu")
    cfg = loaded.config
    # the test fields of trust.py: seeds 202, 203, ...
    x, yv, mode = field_rows(cfg, [202 + k for k in range(n_fields)], shape, n)
    y = np.asarray(cfg.class_indices(yv))
    is_cal = np.zeros(len(y), bool)  # the same split as trust.py
    if frac > 0:
        is_cal[np.random.default_rng(12345).permutation(len(y))[: int(round(frac * len(y)))]] = True
    keep = (y >= 0) & ~is_cal
    res = predict_inputs(loaded, x, calibrated=False)
    pred = np.array([cfg.classes.index(c) if c in cfg.classes else -1 for c in res.class_pred])
    out: dict = {}
    # the manifest holds the last calibration trust.py stored: the calibration field's
    part = is_cal & (y >= 0)
    for name, mc in (("calibration_field", ModelCalibration.from_dict(loaded.calibration, "model")),
                     ("test_part", ModelCalibration.fit(res.prob_mean[part], y[part], cfg.classes, source="part"))):
        cal = mc.calibrate(res.prob_mean)[keep]
        out[name] = {"temperature": mc.temperature, "ece_cal": expected_calibration_error(cal, y[keep]),
                     "ece_floor_mean_p95": trust.ece_floor(cal)}
    net_ok = (pred == y)[keep]
    mode_ok = (mode == yv)[keep]
    diff = net_ok.astype(float) - mode_ok.astype(float)
    d = diff[np.random.default_rng(0).integers(0, diff.size, size=(2000, diff.size))].mean(axis=1)
    out.update(n_scored=int(keep.sum()), network_acc=float(net_ok.mean()), people_mode_acc=float(mode_ok.mean()),
               network_minus_mode=[float(diff.mean()), float(np.quantile(d, 0.025)), float(np.quantile(d, 0.975))])
    out["repeated_splits"] = trust.repeated_splits(res.prob_mean, y, cfg.classes, 0.9, 0.5)
    return out


def more_fields(model: str, n: int, shape: int, cal_seeds: list[int], test_seeds: list[int]) -> dict:
    """Recalibrate a ``--parts sim`` model on fresh labelled fields and score it on more fresh fields.

    More rows than one run's test fields: the ECE sampling floor and the per-class coverage
    scatter shrink as 1/sqrt(rows), so the goals (ECE <= 0.02, coverage within 2 points per class)
    become measurable.
    """
    from starclass.evaluate.reliability import coverage_table, expected_calibration_error
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs

    trust = _trust()
    loaded = load_model(model, device="cpu", check_calibration=False)
    cfg = loaded.config

    def rows(seeds):
        x, yv, mode = field_rows(cfg, seeds, shape, n)
        prob = predict_inputs(loaded, x, calibrated=False).prob_mean
        return prob, np.asarray(cfg.class_indices(yv)), yv, mode

    p_cal, y_cal, _, _ = rows(cal_seeds)
    p_te, y_te, yv_te, mode_te = rows(test_seeds)
    ok_c, ok_t = y_cal >= 0, y_te >= 0
    mc = ModelCalibration.fit(p_cal[ok_c], y_cal[ok_c], cfg.classes, source=f"fields {cal_seeds}")
    cal = mc.calibrate(p_te[ok_t])
    sets = mc.conformal(calibrated=True).predict_set(cal, 0.9)
    cov = coverage_table(sets, y_te[ok_t], cfg.classes, 0.9)
    out = {"calibration_fields": cal_seeds, "test_fields": test_seeds, "n_calibration": int(ok_c.sum()),
           "calibration_class_counts": mc.class_counts(), "n_test": int(ok_t.sum()),
           "accuracy": float(np.mean(p_te[ok_t].argmax(1) == y_te[ok_t])),
           "people_mode_vs_truth": float(np.mean(mode_te == yv_te)), "temperature": mc.temperature,
           "ece_raw": expected_calibration_error(p_te[ok_t], y_te[ok_t]),
           "ece_cal": expected_calibration_error(cal, y_te[ok_t]), "ece_floor_mean_p95": trust.ece_floor(cal),
           "coverage": {str(r["class"]): float(r["coverage"]) for r in cov},
           "coverage_n": {str(r["class"]): int(r["n"]) for r in cov},
           "mean_set_size": {str(r["class"]): float(r["mean_set_size"]) for r in cov}}
    out["methods"] = compare_methods(cfg.classes, p_cal[ok_c], y_cal[ok_c], p_te[ok_t], y_te[ok_t])
    return out


def dump_fields(model: str, n: int, shape: int, seeds: list[int], out_path: str) -> dict:
    """Save the raw probabilities of a ``--parts sim`` model on fresh fields, with labels and field seeds.

    One field at a time (the same simulation and stamps as :func:`more_fields`, so the rows of
    seeds 310-315 are the rows that recheck scored); returns a summary of what was written.
    """
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs

    loaded = load_model(model, device="cpu", check_calibration=False)
    cfg = loaded.config
    probs, idx, ref, modes, field = [], [], [], [], []
    for s in seeds:
        x, yv, mode = field_rows(cfg, [s], shape, n)
        probs.append(np.asarray(predict_inputs(loaded, x, calibrated=False).prob_mean, dtype=np.float64))
        idx.append(np.asarray(cfg.class_indices(yv), dtype=np.int64))
        ref.append(np.asarray(yv, dtype=np.int64))
        modes.append(np.asarray(mode, dtype=np.int64))
        field.append(np.full(len(yv), s, dtype=np.int64))
        print(f"  field {s}: {len(yv)} rows", file=sys.stderr, flush=True)
    np.savez_compressed(out_path, probs=np.concatenate(probs), y=np.concatenate(idx), class_ref=np.concatenate(ref),
                        people_mode=np.concatenate(modes), field=np.concatenate(field),
                        classes=np.asarray(cfg.classes, dtype=np.int64))
    return {"model": model, "seeds": seeds, "n": n, "shape": shape, "out": out_path,
            "rows_per_field": {str(s): int(len(f)) for s, f in zip(seeds, field)}}


def _real_folds():
    """The task, grouped folds, network inputs and class indices of the real cutouts, as ``trust.py`` made them."""
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds
    from starclass.stamps.images import cutout_inputs

    cfg = get_preset("m31-real")
    cut = read_cutout_folder(_trust().PANDAS, group_column="object_id")
    classes_all = label_classes(cut, cfg.label_map)
    folds = group_folds(classes_all, cut.groups, 5, seed=0)  # the folds of trust.py
    return cfg, folds, cutout_inputs(cut.images, cfg), np.asarray(cfg.class_indices(classes_all))


def dump_real(work: str, out_path: str) -> dict:
    """Save, per fold of a ``--parts real`` run, its stored calibration rows and its out-of-fold raw probabilities."""
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs

    cfg, folds, inputs, y = _real_folds()
    arrs: dict[str, list] = {k: [] for k in ("cal_probs", "cal_y", "cal_fold", "test_probs", "test_y", "test_fold")}
    for f in range(5):
        rows = np.flatnonzero(folds == f)
        loaded = load_model(f"{work}/fold{f}", device="cpu")
        stored = ModelCalibration.from_dict(loaded.calibration, "model")
        arrs["cal_probs"].append(stored.probs)
        arrs["cal_y"].append(stored.labels)
        arrs["cal_fold"].append(np.full(stored.n, f))
        arrs["test_probs"].append(np.asarray(predict_inputs(loaded, inputs[rows], calibrated=False).prob_mean,
                                             dtype=np.float64))
        arrs["test_y"].append(y[rows])
        arrs["test_fold"].append(np.full(len(rows), f))
    np.savez_compressed(out_path, **{k: np.concatenate(v) for k, v in arrs.items()},
                        classes=np.asarray(cfg.classes, dtype=np.int64))
    return {"work": work, "out": out_path, "n_cal": int(sum(len(v) for v in arrs["cal_y"])),
            "n_test": int(sum(len(v) for v in arrs["test_y"]))}


def recheck_real(work: str) -> dict:
    """ECE sampling floor of the pooled out-of-fold calibrated probabilities of a ``--parts real`` run."""
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs

    trust = _trust()
    cfg, folds, inputs, y = _real_folds()
    cal = np.full((len(y), cfg.n_classes), np.nan)
    raw = np.full((len(y), cfg.n_classes), np.nan)
    per_method: dict[str, np.ndarray] = {m: np.full((len(y), cfg.n_classes), np.nan) for m in ("temperature", "vector")}
    sets = {m: np.zeros((len(y), cfg.n_classes), bool) for m in ("raw", "temperature", "vector")}
    terms: dict[str, list] = {"temperature": [], "vector": []}
    for f in range(5):
        rows = np.flatnonzero(folds == f)
        loaded = load_model(f"{work}/fold{f}", device="cpu")
        res = predict_inputs(loaded, inputs[rows], calibrated=False)
        stored = ModelCalibration.from_dict(loaded.calibration, "model")
        cal[rows] = stored.calibrate(res.prob_mean)
        raw[rows] = res.prob_mean
        # the fold's own calibration rows (kept in its manifest), refitted with each method
        sets["raw"][rows] = stored.conformal(calibrated=False).predict_set(res.prob_mean, 0.9)
        for m in ("temperature", "vector"):
            mc = ModelCalibration.fit(stored.probs, stored.labels, cfg.classes, source=stored.source, method=m)
            per_method[m][rows] = mc.calibrate(res.prob_mean)
            sets[m][rows] = mc.conformal(calibrated=True).predict_set(per_method[m][rows], 0.9)
            terms[m].append({"temperature": round(mc.temperature, 4)} if m == "temperature" else
                            {"scale": mc.scale.round(4).tolist(), "bias": mc.bias.round(4).tolist()})
    ok = np.all(np.isfinite(cal), axis=1) & (y >= 0)
    out = {"n": int(ok.sum()), "ece_cal": expected_calibration_error(cal[ok], y[ok]),
           "ece_floor_mean_p95": trust.ece_floor(cal[ok]), "methods": {}}
    from sklearn.metrics import log_loss

    from starclass.evaluate.reliability import brier_score, coverage_table

    for m, p in (("raw", raw), *per_method.items()):
        cov = coverage_table(sets[m][ok], y[ok], cfg.classes, 0.9)
        out["methods"][m] = {"ece": expected_calibration_error(p[ok], y[ok]),
                             "ece_floor_mean_p95": trust.ece_floor(p[ok]), "classwise_ece": classwise_ece(p[ok], y[ok]),
                             "nll": float(log_loss(y[ok], np.clip(p[ok], 1e-12, 1), labels=np.arange(cfg.n_classes))),
                             "brier": brier_score(p[ok], y[ok]),
                             "coverage": {str(r["class"]): float(r["coverage"]) for r in cov},
                             "per_fold": terms.get(m, [])}
        print(f"  {m:11s} ECE {out['methods'][m]['ece']:.4f} floor {out['methods'][m]['ece_floor_mean_p95']}; "
              f"NLL {out['methods'][m]['nll']:.4f}; "
              f"coverage {out['methods'][m]['coverage']}", file=sys.stderr, flush=True)
    return out


def main() -> None:
    import torch

    torch.set_num_threads(1)
    what, rest = sys.argv[1], sys.argv[2:]
    # progress lines to stderr, so that stdout is the JSON alone
    with contextlib.redirect_stdout(sys.stderr):
        out = _run(what, rest)
    print(json.dumps(out, indent=1, default=float))


def _run(what: str, rest: list[str]) -> dict:
    if what == "sim":
        out = recheck_sim(rest[0], int(rest[1]), int(rest[2]), int(rest[3]), float(rest[4]))
    elif what == "fields":
        out = more_fields(rest[0], int(rest[1]), int(rest[2]), [int(v) for v in rest[3].split(",")],
                          [int(v) for v in rest[4].split(",")])
    elif what == "real":
        out = recheck_real(rest[0])
    elif what == "dump-real":
        out = dump_real(rest[0], rest[1])
    elif what == "dump":
        out = dump_fields(rest[0], int(rest[1]), int(rest[2]), [int(v) for v in rest[3].split(",")], rest[4])
    else:
        sys.exit("usage: trust_recheck.py sim MODEL N SHAPE TEST_FIELDS FRACTION | fields MODEL N SHAPE CAL_SEEDS "
                 "TEST_SEEDS | real WORK_DIR | dump MODEL N SHAPE SEEDS OUT.npz | "
                 "dump-real WORK_DIR OUT.npz")
    return out


if __name__ == "__main__":
    main()
