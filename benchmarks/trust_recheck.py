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
    fresh fields: ECE with its sampling floor and per-class coverage on enough rows to test the goals.
``real WORK_DIR``
    the ECE sampling floor of the pooled out-of-fold calibrated probabilities (``fold0`` ..
    ``fold4`` model directories of a ``--parts real`` run).

Run::

    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py sim /tmp/starclass_trust_XXXX/sim 1500 1024 2 0.5
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py real /tmp/starclass_trust_real_XXXX
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py fields /tmp/starclass_trust_XXXX/sim 1500 1024 \
        310,311 312,313,314,315
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
    return out


def recheck_real(work: str) -> dict:
    """ECE sampling floor of the pooled out-of-fold calibrated probabilities of a ``--parts real`` run."""
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds
    from starclass.stamps.images import cutout_inputs

    trust = _trust()
    cfg = get_preset("m31-real")
    cut = read_cutout_folder(trust.PANDAS, group_column="object_id")
    classes_all = label_classes(cut, cfg.label_map)
    folds = group_folds(classes_all, cut.groups, 5, seed=0)  # the folds of trust.py
    inputs = cutout_inputs(cut.images, cfg)
    y = np.asarray(cfg.class_indices(classes_all))
    cal = np.full((len(y), cfg.n_classes), np.nan)
    for f in range(5):
        rows = np.flatnonzero(folds == f)
        loaded = load_model(f"{work}/fold{f}", device="cpu")
        res = predict_inputs(loaded, inputs[rows], calibrated=False)
        cal[rows] = ModelCalibration.from_dict(loaded.calibration, "model").calibrate(res.prob_mean)
    ok = np.all(np.isfinite(cal), axis=1) & (y >= 0)
    return {"n": int(ok.sum()), "ece_cal": expected_calibration_error(cal[ok], y[ok]),
            "ece_floor_mean_p95": trust.ece_floor(cal[ok])}


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
    else:
        sys.exit("usage: trust_recheck.py sim MODEL N SHAPE TEST_FIELDS FRACTION | fields MODEL N SHAPE CAL_SEEDS "
                 "TEST_SEEDS | real WORK_DIR")
    return out


if __name__ == "__main__":
    main()
