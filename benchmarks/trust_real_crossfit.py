"""Calibration and conformal coverage on the real PAndAS cutouts, from saved out-of-fold runs (issue 17).

``benchmarks/real_pandas.py`` keeps, for every model and grouped fold, P(cluster) of the fold's
held-out cutouts (``p``, and ``p_tta`` with the 8 rotations/flips). Those probabilities are
already calibrated by each fold model's own temperature, fitted on its grouped validation split
(what ``starclass train`` stores and ``classify`` applies). This script scores them without
retraining anything:

* **as trained**: ECE (top class, 15 bins), class-wise ECE, NLL and Brier of the stored
  probabilities, next to the ECE a perfectly calibrated model with the same probabilities would
  show on the same rows (``trust.ece_floor``: below it nothing can be told);
* **cross-fitted**: for each fold ``k`` a calibration map (temperature, vector scaling or
  histogram binning, :class:`starclass.learn.calibration.ModelCalibration`) and the class-
  conditional conformal sets at 90% are fitted on the held-out probabilities of the *other*
  folds (made by the other folds' models, on cutouts those models never trained on), then
  applied to fold ``k``. No row of fold ``k`` is used to fit what scores it. This is the
  cross-validation protocol of scikit-learn's ``CalibratedClassifierCV(ensemble=False)``; it
  gives each map 4/5 of the 869 cutouts (about 695) instead of the 100-139 of one fold's
  validation split. The maps and sets come from models trained with the same recipe but not the
  same weights, so the guarantee of split-conformal prediction holds only approximately: the
  coverage per class is reported with a Wilson interval so that the reader can judge.

Run::

    .venv/bin/python benchmarks/trust_real_crossfit.py \\
        --runs resnet18-n128-e20,resnet18-n128,compact-ft-sim12,compact-ft \\
        --json benchmarks/results_trust_real_crossfit_2026-12-02.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
METHODS = ("temperature", "vector", "histogram")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_oof(results: Path, run: str, key: str, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """P(cluster) and fold of every cutout from ``RUN_fold<k>.json``; every row exactly once.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "m_fold0.json").write_text('{"test": [1], "p": [0.2]}')
    >>> _ = (d / "m_fold1.json").write_text('{"test": [0], "p": [0.9]}')
    >>> load_oof(d, "m", "p", 2)
    (array([0.9, 0.2]), array([1, 0]))
    """
    files = sorted(results.glob(f"{run}_fold*.json"))
    if not files:
        raise SystemExit(f"error: no {run}_fold*.json in {results}")
    p, fold = np.full(n_rows, np.nan), np.full(n_rows, -1)
    for f in files:
        d = json.loads(f.read_text())
        if key not in d:
            raise SystemExit(f"error: {f} has no {key!r}")
        idx = np.asarray(d["test"], int)
        if np.any(fold[idx] >= 0):
            raise SystemExit(f"error: {f}: cutouts already held out by another fold")
        p[idx], fold[idx] = d[key], int(f.stem.rsplit("_fold", 1)[1])
    if np.any(fold < 0):
        raise SystemExit(f"error: {run}: {int(np.sum(fold < 0))} of {n_rows} cutouts are in no fold")
    return p, fold


def cross_fit(probs: np.ndarray, y: np.ndarray, fold: np.ndarray, method: str,
              coverage: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated probabilities and conformal sets of each fold, fitted on the other folds' rows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p1 = rng.uniform(0.05, 0.95, 600)
    >>> y = (rng.random(600) >= p1).astype(int)       # class 0 with probability p1
    >>> q, sets = cross_fit(np.c_[p1, 1 - p1], y, np.arange(600) % 3, "temperature")
    >>> q.shape, sets.shape, bool(sets.any(axis=1).all())
    ((600, 2), (600, 2), True)
    """
    from starclass.learn.calibration import HISTOGRAM_MIN_ROWS_PER_BIN, ModelCalibration

    classes = list(range(1, probs.shape[1] + 1))
    q, sets = np.full(probs.shape, np.nan), np.zeros(probs.shape, bool)
    for k in np.unique(fold):
        fit, use = fold != k, fold == k
        # histogram binning: as many bins as the rows allow (100+ rows per bin), at most 15
        bins = int(min(15, max(1, fit.sum() // HISTOGRAM_MIN_ROWS_PER_BIN)))
        cal = ModelCalibration.fit(probs[fit], y[fit], classes, source=f"folds other than {k}", method=method,
                                   n_bins=bins)
        q[use] = cal.calibrate(probs[use])
        sets[use] = cal.conformal(calibrated=True, seed=0).predict_set(q[use], coverage)
    return q, sets


def _scores(q: np.ndarray, y: np.ndarray, trust, tc) -> dict:
    s = {k: round(float(v), 4) for k, v in tc.scores(q, y).items()}
    s["ece_floor_mean_p95"] = [round(v, 4) for v in trust.ece_floor(q)]
    return s


def score_run(p: np.ndarray, fold: np.ndarray, y: np.ndarray, coverage: float = 0.9) -> dict:
    """As-trained and cross-fitted scores of one run (``y``: 0 cluster, 1 galaxy)."""
    trust, tc = _load("trust"), _load("trust_calibrators")
    probs = np.c_[p, 1.0 - p]
    out = {"n": int(len(y)), "per_class": np.bincount(y, minlength=2).tolist(),
           "as_trained": _scores(probs, y, trust, tc), "cross_fitted": {}}
    for method in METHODS:
        q, sets = cross_fit(probs, y, fold, method, coverage)
        s = _scores(q, y, trust, tc)
        hits = [int(sets[y == j, j].sum()) for j in range(2)]
        n = [int(np.sum(y == j)) for j in range(2)]
        s["coverage"] = [round(h / m, 4) for h, m in zip(hits, n)]
        s["coverage_wilson95"] = [tc._wilson(h, m) for h, m in zip(hits, n)]
        s["within_2_points"] = bool(all(abs(c - coverage) <= 0.02 for c in s["coverage"]))
        s["mean_set_size"] = round(float(sets.sum(1).mean()), 4)
        out["cross_fitted"][method] = s
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=str(HERE / "results_real_pandas"), help="real_pandas.py's --out")
    ap.add_argument("--data", default=None, help="the pandas-m31 folder (default: ../shared/data/pandas-m31)")
    ap.add_argument("--runs", default="resnet18-n128-e20,resnet18-n128,compact-ft-sim12,compact-ft")
    ap.add_argument("--coverage", type=float, default=0.9)
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset

    if a.json and Path(a.json).resolve().parent == Path(a.results).resolve() and "_fold" in Path(a.json).name:
        raise SystemExit(f"error: --json {a.json} would overwrite a saved fold of --results")
    data = Path(a.data) if a.data else ROOT.parent / "shared" / "data" / "pandas-m31"
    if not (data / "labels.csv").is_file():
        raise SystemExit(f"error: --data {data}: no labels.csv there")
    cs = read_cutout_folder(data / "labels.csv", group_column="object_id")
    # class 1 (cluster) -> index 0, class 2 (non-cluster) -> index 1, as the models' prob columns
    y = label_classes(cs, get_preset("m31-real").label_map) - 1
    out = {}
    for run in a.runs.split(","):
        for key in ("p", "p_tta"):
            p, fold = load_oof(Path(a.results), run.strip(), key, len(y))
            name = run.strip() + (" +TTA" if key == "p_tta" else "")
            r = out[name] = score_run(p, fold, y, a.coverage)
            t, x = r["as_trained"], r["cross_fitted"]
            print(f"{name:28s} as trained ECE {t['ece']:.4f} (floor {t['ece_floor_mean_p95'][0]:.4f}/"
                  f"{t['ece_floor_mean_p95'][1]:.4f}) | cross-fitted ECE T {x['temperature']['ece']:.4f} "
                  f"V {x['vector']['ece']:.4f} H {x['histogram']['ece']:.4f} | coverage "
                  f"{x['temperature']['coverage']} size {x['temperature']['mean_set_size']}", file=sys.stderr)
    text = json.dumps(out, indent=1)
    if a.json:
        tmp = Path(a.json).with_suffix(".tmp")
        tmp.write_text(text + "\n")
        tmp.replace(a.json)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
