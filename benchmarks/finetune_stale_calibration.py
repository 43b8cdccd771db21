"""Coverage of a fine-tune's conformal sets: the starting model's calibration kept, against its rows re-scored.

Until 2026-12-06 ``train --resume-from M`` (``fit(init_from=M)``) whose validation split held too few
rows M did not train on kept M's calibration as it was: a temperature and conformal rows scored with
M's weights. This script measures what that did on simulated rows (``legus4-compact``, 16 px, four
classes): M is trained one epoch on 300 rows and calibrated on 400 held-out rows; the fine-tune
trains ``--epochs`` more on M's 300 rows plus 30 new ones (its validation split is then mostly M's
training rows, so train does not calibrate on it). Both calibrations are applied to the fine-tune's
own probabilities of 4,000 new rows: M's entry as it was ("kept", what the old code did) and the
same 400 rows classified with the fine-tuned weights ("re-scored", what train now does where the
rows can be read again, as ``starclass calibrate`` fits). Printed: coverage at 90% overall and per
class, mean set size, temperature::

    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/finetune_stale_calibration.py --seeds 0 1 2

About 30 s a seed on the shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import warnings
from pathlib import Path

import numpy as np


def set_coverage(entry: dict, raw: np.ndarray, y: np.ndarray, classes: list[int]) -> dict:
    """Coverage at 90% (overall, per class) and mean set size of ``entry``'s sets over raw probabilities ``raw``."""
    from starclass.learn.calibration import ModelCalibration

    cal = ModelCalibration.from_dict(entry)
    sets = cal.conformal(calibrated=True).predict_set(cal.calibrate(raw), coverage=0.9)
    hit = sets[np.arange(len(y)), y]
    return {"temperature": round(cal.temperature, 3), "overall": round(float(hit.mean()), 3),
            "per_class": {c: round(float(hit[y == j].mean()), 3) for j, c in enumerate(classes)},
            "mean_set_size": round(float(sets.sum(axis=1).mean()), 2)}


def run(seed: int, epochs: int, root: Path) -> dict:
    """One draw: the starting model, its fine-tune, and the coverage of both calibrations on new rows."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.calibration import calibrate_model, calibration_probabilities
    from starclass.learn.checkpoint import load_model, read_manifest
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    recipe = {"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 32, "seeds": [seed]}
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], recipe=recipe)
    train0, held = make_synthetic(cfg, 300, seed=100 + seed), make_synthetic(cfg, 400, seed=200 + seed)
    test, new = make_synthetic(cfg, 4000, seed=300 + seed), make_synthetic(cfg, 30, seed=400 + seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the few-rows and seen-rows warnings are the case measured
        fit(cfg, train0.inputs, train0.class_ref, outdir=root / "m0", progress=False, device="cpu")
        calibrate_model(root / "m0", held.inputs, held.class_ref, source="held", overwrite=True, device="cpu")
        fit(cfg.copy(recipe={"epochs": epochs}), np.concatenate([train0.inputs, new.inputs]),
            np.concatenate([train0.class_ref, new.class_ref]), outdir=root / "m1", progress=False, device="cpu",
            init_from=root / "m0")
        kept = read_manifest(root / "m0")["calibration"]
        rescored = calibrate_model(root / "m1", held.inputs, held.class_ref, source="held", overwrite=True,
                                   device="cpu").to_dict()
    y = np.asarray(cfg.class_indices(test.class_ref))
    ok = y >= 0
    out = {"seed": seed}
    for name, model in (("start", "m0"), ("fine-tune", "m1")):
        raw = calibration_probabilities(load_model(root / model, check_calibration=False), test.inputs[ok],
                                        device="cpu")
        if name == "start":
            out["start"] = set_coverage(kept, raw, y[ok], list(cfg.classes))
        else:
            out["kept"] = set_coverage(kept, raw, y[ok], list(cfg.classes))
            out["rescored"] = set_coverage(rescored, raw, y[ok], list(cfg.classes))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--epochs", type=int, default=6, help="epochs of the fine-tune")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run(seed, args.epochs, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
