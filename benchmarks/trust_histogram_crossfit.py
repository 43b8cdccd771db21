"""Conformal coverage of histogram binning, in-sample against cross-fitted scores (issue 17).

Histogram binning's conformal sets are fitted on the stored calibration rows. Scored by the
bins fitted on those very rows (the code before 2026-12-03) the scores are optimistic and the
sets too small; scored by bins fitted on the other half (``cross_fitted_histogram``, now) they
are exchangeable with a new row's. This script takes a model that ``benchmarks/trust.py
--calibration-method histogram --calibration-fields N`` trained and recalibrated (its work
folder is kept under ``/tmp/starclass_trust_*``), classifies the same test fields again and
prints the per-class coverage of both at each coverage asked for::

    nice -n 10 .venv/bin/python benchmarks/trust_histogram_crossfit.py /tmp/starclass_trust_XXXX/sim \\
        --n 2000 --shape 1536 --test-seeds 202,203 --coverage 0.8,0.9

``--n``, ``--shape`` and ``--test-seeds`` must be those of the ``trust.py`` run (its test fields
are seeds 202, 203, ...). The machine is shared: timings are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np


def coverage_per_class(sets: np.ndarray, y: np.ndarray) -> list[float]:
    """Share of each class's rows whose set holds their true class.

    Examples
    --------
    >>> coverage_per_class(np.array([[True, False], [True, True], [False, True]]), np.array([0, 1, 0]))
    [0.5, 1.0]
    """
    return [round(float(sets[y == j, j].mean()), 4) for j in range(sets.shape[1])]


def main(argv: list[str] | None = None) -> dict:
    import torch

    from starclass.learn.calibration import ModelCalibration, cross_fitted_histogram
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs
    from starclass.learn.conformal import ClassConditionalConformal
    from starclass.simulate import preset, simulate_field
    from starclass.stamps import make_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="the trust.py run's model (WORK/sim), recalibrated with histogram")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--shape", type=int, default=1536)
    ap.add_argument("--test-seeds", default="202,203")
    ap.add_argument("--coverage", default="0.8,0.9")
    ap.add_argument("--json", type=Path, help="also write the coverages as JSON")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --json")
    args = ap.parse_args(argv)
    if args.json is not None and args.json.exists() and not args.overwrite:
        # refused before the fields are simulated and classified, not after
        ap.error(f"--json {args.json} exists: give --overwrite to replace it")
    torch.set_num_threads(1)
    loaded = load_model(args.model, device="cpu")
    cfg = loaded.config
    mc = ModelCalibration.from_dict(loaded.calibration, str(args.model))
    if mc.method != "histogram":
        raise SystemExit(f"{args.model}: its calibration is {mc.method}, not histogram")
    xs, ys = [], []
    for seed in (int(s) for s in args.test_seeds.split(",")):
        # as trust.py's field_inputs: the same seeds and settings give the same rows
        f = simulate_field(preset("hst", seed=seed, shape=(args.shape, args.shape), n_candidates=args.n))
        x, ok = make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint)
        xs.append(x[ok])
        ys.append(np.asarray(f.truth["class_ref"], dtype=int)[ok])
    y = np.asarray(cfg.class_indices(np.concatenate(ys)))
    prob = predict_inputs(loaded, np.concatenate(xs), calibrated=False).prob_mean
    keep = y >= 0
    q = mc.calibrate(prob)[keep]
    y = y[keep]
    scores = {"in-sample (before)": mc.calibrate(mc.probs),
              "cross-fitted (now)": cross_fitted_histogram(mc.probs, mc.labels, int(mc.n_bins))}
    out = {"model": str(args.model), "n_calibration": mc.n, "n_test": int(y.size), "coverage": {}}
    for name, s in scores.items():
        cp = ClassConditionalConformal(seed=0).fit(s, mc.labels)
        for c in (float(v) for v in args.coverage.split(",")):
            cov = coverage_per_class(cp.predict_set(q, c), y)
            out["coverage"][f"{name} @ {c}"] = {"per_class": cov, "mean": round(float(np.mean(cov)), 4)}
            print(f"{name:>20} at {c:.0%}: per class {cov}, mean {np.mean(cov):.3f}")
    if args.json:
        tmp = args.json.with_suffix(".tmp")
        tmp.write_text(json.dumps(out, indent=1))
        os.replace(tmp, args.json)  # a half-written file never takes the name
    return out


if __name__ == "__main__":
    main()
