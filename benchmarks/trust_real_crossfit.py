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

Runs made since 2026-12-05 store more per fold, and the JSON then has more per run: the conformal
sets at 90% each fold model wrote from its own validation split (``pred_set``, ``pred_set_tta``; the
coverage and set size **as trained**, what ``classify`` writes), the raw probabilities (``raw``:
no map), and under TTA the fold's map fitted *without* TTA applied to the raw TTA probabilities
(``as_trained_one_view_map``: what ``classify --tta`` applied before 2026-12-05, on the same
weights; the stored ``p_tta`` carry the map fitted under TTA, today's), and every map cross-fitted
on the raw probabilities (``cross_fitted_on_raw``: since 2026-12-06; the stored ones had been moved
by each fold's own map, so a map cross-fitted on them was fitted on rows moved four ways and applied
to rows moved a fifth way). With ``--rows 50,99,200,400,1000`` a temperature is also fitted on that
many raw rows drawn from the other folds (``raw_rows_curve``, :func:`rows_curve`): does a map fitted
on more rows than one fold's ~99 validation rows help?

Cutouts that ``classify --stamps`` leaves unclassified (a blank, constant, image, or no data at the
cutout's centre: :func:`starclass.learn.cutouts.unclassified_cutouts`, the function ``classify --stamps``
calls, through ``real_pandas.py``'s ``unclassified_rows``, which its ``--summarise`` uses too) are left out of every
score, as they get no probabilities from ``classify``; the output says how many and which rows
(``left_out`` in the JSON). Until 2026-12-06 they were scored: 2 blank cutouts of the 869
(rows 231 and 551 of ``labels.csv``, 0-based) with the fold models' confident probabilities.

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


def load_oof_sets(results: Path, run: str, key: str, n_rows: int,
                  classes: tuple[int, ...] = (1, 2)) -> np.ndarray | None:
    """The conformal sets each fold model wrote for its held-out cutouts (``pred_set``), or None.

    ``real_pandas.py`` stores them since 2026-12-05 (``pred_set``, ``pred_set_tta``: classify's
    column, class values joined by ``|``, from the fold model's own validation rows); runs made
    before have none, and a run with them in some folds only is refused.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "m_fold0.json").write_text('{"test": [1], "pred_set": ["1|2"]}')
    >>> _ = (d / "m_fold1.json").write_text('{"test": [0], "pred_set": ["2"]}')
    >>> load_oof_sets(d, "m", "pred_set", 2).tolist()
    [[False, True], [True, True]]
    >>> load_oof_sets(d, "m", "pred_set_tta", 2) is None
    True
    """
    files = sorted(results.glob(f"{run}_fold*.json"))
    docs = [json.loads(f.read_text()) for f in files]
    have = [key in d for d in docs]
    if not any(have):
        return None
    if not all(have):
        raise SystemExit(f"error: {run}: {key!r} is in {sum(have)} of its {len(docs)} fold files")
    sets = np.zeros((n_rows, len(classes)), bool)
    for d in docs:
        for i, text in zip(d["test"], d[key]):
            members = set(text.split("|")) if text else set()
            sets[int(i)] = [str(c) in members for c in classes]
    return sets


def one_view_map_tta(results: Path, run: str, n_rows: int) -> np.ndarray | None:
    """P(cluster) under TTA with each fold's map fitted *without* TTA: what ``classify --tta`` gave before 2026-12-05.

    Needs the raw TTA probabilities (``p_tta_raw``) and the fold model's one-view temperature
    (``calibration``), which ``real_pandas.py`` stores since 2026-12-05; None for runs without them
    (or calibrated otherwise than with a temperature). Scored beside ``p_tta`` (the map fitted
    under TTA, today's ``classify --tta``), it tells what section 1d changed on the same weights.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "m_fold0.json").write_text(
    ...     '{"test": [0, 1], "p_tta_raw": [0.8, 0.5], "calibration": {"method": "temperature", "temperature": 2.0}}')
    >>> one_view_map_tta(d, "m", 2).round(3).tolist()   # sqrt(0.8) / (sqrt(0.8) + sqrt(0.2))
    [0.667, 0.5]
    """
    from starclass.learn.calibration import temper

    p = np.full(n_rows, np.nan)
    for f in sorted(results.glob(f"{run}_fold*.json")):
        d = json.loads(f.read_text())
        cal = d.get("calibration") or {}
        if "p_tta_raw" not in d or cal.get("method") != "temperature":
            return None
        raw = np.asarray(d["p_tta_raw"], float)
        p[np.asarray(d["test"], int)] = temper(np.c_[raw, 1.0 - raw], cal["temperature"])[:, 0]
    return p


def set_scores(sets: np.ndarray, y: np.ndarray, coverage: float = 0.9) -> dict:
    """Coverage per class (with its Wilson 95% interval) and mean size of given sets.

    Examples
    --------
    >>> s = set_scores(np.array([[True, False], [True, True], [False, True], [True, False]]), np.array([0, 1, 1, 1]))
    >>> s["coverage"], s["mean_set_size"], s["within_2_points"]
    ([1.0, 0.6667], 1.25, False)
    """
    tc = _load("trust_calibrators")
    hits = [int(sets[y == j, j].sum()) for j in range(sets.shape[1])]
    n = [int(np.sum(y == j)) for j in range(sets.shape[1])]
    cov = [round(h / m, 4) for h, m in zip(hits, n)]
    return {"coverage": cov, "coverage_wilson95": [tc._wilson(h, m) for h, m in zip(hits, n)],
            "within_2_points": bool(all(abs(c - coverage) <= 0.02 for c in cov)),
            "mean_set_size": round(float(sets.sum(1).mean()), 4)}


def add_fold_extras(r: dict, results: Path, run: str, key: str, y: np.ndarray,
                    keep: np.ndarray | None = None, coverage: float = 0.9,
                    rows: list[int] | None = None, draws: int = 100) -> dict:
    """Add to a run's scores what its fold files hold beyond P(cluster) (runs made since 2026-12-05).

    ``r["as_trained"]`` gets the coverage and set size of the sets the fold models wrote
    (:func:`load_oof_sets`, at 90%); ``r["raw"]`` the scores of the raw probabilities and
    ``r["cross_fitted_on_raw"]`` those of each map cross-fitted on them (:func:`cross_fit` on the
    raw rows, as ``r["cross_fitted"]`` is on the stored ones); under TTA (``key == "p_tta"``)
    ``r["as_trained_one_view_map"]`` those of :func:`one_view_map_tta`. A run without them is left
    as it is. ``y`` holds every cutout's label; only the rows of ``keep`` (default all) are scored.
    With ``rows`` (calibration row counts), ``r["raw_rows_curve"]`` gets :func:`rows_curve` of the
    temperature on the raw rows (``draws`` draws per count) and, as ``temperature_in_sample_per_fold``,
    the temperature fitted on each fold's own raw rows (in-sample: what that fold model's rows ask for).

    The stored probabilities were already moved by each fold's own map (fitted on its ~100
    validation rows): a map cross-fitted on them is fitted on rows moved by four other folds'
    maps and applied to rows moved by a fifth. Fitted on the raw rows it is what ``starclass
    calibrate`` fits (:class:`starclass.learn.calibration.ModelCalibration` on raw, under TTA
    TTA-averaged, probabilities), on about 4/5 of the cutouts instead of one fold's validation split.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "m_fold0.json").write_text('{"test": [0, 1], "p_tta": [0.9, 0.2]}')
    >>> sorted(add_fold_extras({"as_trained": {}}, d, "m", "p_tta", np.array([0, 1])))
    ['as_trained']
    """
    trust, tc = _load("trust"), _load("trust_calibrators")
    keep = np.ones(len(y), bool) if keep is None else np.asarray(keep, bool)
    sets = load_oof_sets(results, run, key.replace("p", "pred_set", 1), len(y))
    if sets is not None:
        # the sets each fold model wrote from its own validation rows (what classify writes), at 90%
        r["as_trained"].update(set_scores(sets[keep], y[keep], 0.9))
    files = sorted(results.glob(f"{run}_fold*.json"))
    if files and all(key + "_raw" in json.loads(f.read_text()) for f in files):
        raw, fold = load_oof(results, run, key + "_raw", len(y))
        probs = np.c_[raw, 1.0 - raw][keep]
        r["raw"] = _scores(probs, y[keep], trust, tc)
        r["cross_fitted_on_raw"] = {}
        for method in METHODS:
            maps: list = []
            q, sets = cross_fit(probs, y[keep], fold[keep], method, coverage, maps)
            r["cross_fitted_on_raw"][method] = dict(_scores(q, y[keep], trust, tc),
                                                    **set_scores(sets, y[keep], coverage))
            if method == "temperature":
                r["cross_fitted_on_raw"][method]["temperature_per_fold"] = [round(float(m.temperature), 4)
                                                                            for m in maps]
        if rows:
            r["raw_rows_curve"] = rows_curve(probs, y[keep], fold[keep], rows, draws)
            # what each fold model's own test rows ask for (in-sample), beside what its validation rows gave
            from starclass.learn.calibration import ModelCalibration

            yk, fk = y[keep], fold[keep]
            r["raw_rows_curve"]["temperature_in_sample_per_fold"] = [
                round(float(ModelCalibration.fit(probs[fk == k], yk[fk == k], [1, 2]).temperature), 4)
                for k in np.unique(fk)]
    old = one_view_map_tta(results, run, len(y)) if key == "p_tta" else None
    if old is not None:
        r["as_trained_one_view_map"] = _scores(np.c_[old, 1.0 - old][keep], y[keep], trust, tc)
    return r


def cross_fit(probs: np.ndarray, y: np.ndarray, fold: np.ndarray, method: str,
              coverage: float = 0.9, maps: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated probabilities and conformal sets of each fold, fitted on the other folds' rows.

    ``maps``, when given, gets each fold's fitted map (a ``ModelCalibration``), in fold order.

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
        if maps is not None:
            maps.append(cal)
        q[use] = cal.calibrate(probs[use])
        sets[use] = cal.conformal(calibrated=True, seed=0).predict_set(q[use], coverage)
    return q, sets


def rows_curve(probs: np.ndarray, y: np.ndarray, fold: np.ndarray, sizes: list[int], draws: int = 100,
               seed: int = 0) -> dict:
    """ECE of a temperature cross-fitted on ``m`` rows drawn from the other folds, for each ``m`` of ``sizes``.

    For each draw and fold ``k``, ``m`` rows are drawn at random (without replacement) from the
    rows of the other folds, a temperature is fitted on them as ``starclass calibrate`` fits it
    (:meth:`starclass.learn.calibration.ModelCalibration.fit`) and applied to fold ``k``; the
    folds' rows are then pooled and scored. A size at least as large as the other folds' rows
    uses them all (one draw: :func:`cross_fit`'s temperature). Tells whether a temperature fitted
    on as many rows as one fold model's validation split (about 99 here) is worse than one fitted
    on more, and from how many rows on it stops being so.

    Returns
    -------
    dict
        Per size (as a string): ``draws``, ``ece_mean``, ``ece_sd``, ``ece_min_max``,
        ``ece_p5_p50_p95``, ``nll_mean``, ``share_ece_le_0.03``, ``share_ece_below_raw`` and
        ``share_nll_below_raw`` (against the uncalibrated probabilities' scores, under ``"raw"``)
        and ``temperature_median_p5_p95`` (of every fitted temperature).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p1 = rng.uniform(0.05, 0.95, 600)
    >>> y = (rng.random(600) >= p1).astype(int)
    >>> c = rows_curve(np.c_[p1, 1 - p1], y, np.arange(600) % 3, [50, 1000], draws=5)
    >>> sorted(c), c["50"]["draws"], c["1000"]["draws"]
    (['1000', '50', 'raw'], 5, 1)
    """
    from starclass.learn.calibration import ModelCalibration

    tc = _load("trust_calibrators")
    rng = np.random.default_rng(seed)
    classes = list(range(1, probs.shape[1] + 1))
    raw = tc.scores(probs, y)
    out: dict = {"raw": {"ece": round(float(raw["ece"]), 4), "nll": round(float(raw["nll"]), 4)}}
    folds = np.unique(fold)
    for m in sizes:
        every = all(m >= int(np.sum(fold != k)) for k in folds)
        eces, nlls, temps = [], [], []
        for _ in range(1 if every else draws):
            q = np.full(probs.shape, np.nan)
            for k in folds:
                pool = np.flatnonzero(fold != k)
                fit = pool if m >= pool.size else rng.choice(pool, m, replace=False)
                cal = ModelCalibration.fit(probs[fit], y[fit], classes, source=f"{m} rows of folds other than {k}")
                temps.append(float(cal.temperature))
                q[fold == k] = cal.calibrate(probs[fold == k])
            sc = tc.scores(q, y)
            eces.append(float(sc["ece"]))
            nlls.append(float(sc["nll"]))
        e = np.asarray(eces)
        out[str(m)] = {"draws": len(eces), "ece_mean": round(float(e.mean()), 4),
                       "ece_sd": round(float(e.std(ddof=1)), 4) if e.size > 1 else 0.0,
                       "ece_min_max": [round(float(e.min()), 4), round(float(e.max()), 4)],
                       "ece_p5_p50_p95": [round(float(v), 4) for v in np.percentile(e, [5, 50, 95])],
                       "nll_mean": round(float(np.mean(nlls)), 4),
                       "share_ece_le_0.03": round(float(np.mean(e <= 0.03)), 3),
                       "share_ece_below_raw": round(float(np.mean(e < raw["ece"])), 3),
                       "share_nll_below_raw": round(float(np.mean(np.asarray(nlls) < raw["nll"])), 3),
                       "temperature_median_p5_p95": [round(float(v), 3) for v in np.percentile(temps, [50, 5, 95])]}
    return out


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
        s.update(set_scores(sets, y, coverage))
        out["cross_fitted"][method] = s
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=str(HERE / "results_real_pandas"), help="real_pandas.py's --out")
    ap.add_argument("--data", default=None, help="the pandas-m31 folder (default: ../shared/data/pandas-m31)")
    ap.add_argument("--runs", default="resnet18-n128-e20,resnet18-n128,compact-ft-sim12,compact-ft")
    ap.add_argument("--coverage", type=float, default=0.9)
    ap.add_argument("--json", default=None)
    ap.add_argument("--rows", default=None,
                    help="calibration row counts (e.g. 50,99,200,400,1000): the ECE of a temperature cross-fitted on "
                         "that many raw rows drawn from the other folds (rows_curve), for runs that keep raw rows")
    ap.add_argument("--draws", type=int, default=100, help="draws per --rows count")
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
    # the rows classify --stamps leaves unclassified: one rule for this script and real_pandas.py --summarise
    bench = _load("real_pandas")
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for run in a.runs.split(","):
        # the cutouts classify --stamps leaves unclassified, tested at the run's stamp size as its models saw them
        size = bench.stamp_size_of(Path(a.results), run.strip())
        if size not in found:
            found[size] = bench.unclassified_rows(cs.images, [size])
            print(f"stamp size {size}: {bench.left_out_line(*found[size])}", file=sys.stderr)
        blank, centre = found[size]
        keep = ~(blank | centre)
        left_out = {"rows": np.flatnonzero(~keep).tolist(), "blank": np.flatnonzero(blank).tolist(),
                    "centre_no_data": np.flatnonzero(centre).tolist(), "of": int(len(y))}
        for key in ("p", "p_tta"):
            p, fold = load_oof(Path(a.results), run.strip(), key, len(y))
            name = run.strip() + (" +TTA" if key == "p_tta" else "")
            r = out[name] = score_run(p[keep], fold[keep], y[keep], a.coverage)
            r["left_out"] = left_out
            t, x = r["as_trained"], r["cross_fitted"]
            add_fold_extras(r, Path(a.results), run.strip(), key, y, keep, a.coverage,
                            [int(v) for v in a.rows.split(",")] if a.rows else None, a.draws)
            print(f"{name:28s} {int(keep.sum())} of {len(y)} cutouts | as trained ECE {t['ece']:.4f} "
                  f"(floor {t['ece_floor_mean_p95'][0]:.4f}/"
                  f"{t['ece_floor_mean_p95'][1]:.4f}) | cross-fitted ECE T {x['temperature']['ece']:.4f} "
                  f"V {x['vector']['ece']:.4f} H {x['histogram']['ece']:.4f} | coverage "
                  f"{x['temperature']['coverage']} size {x['temperature']['mean_set_size']}"
                  + (f" | as trained: coverage {t['coverage']} size {t['mean_set_size']}" if "coverage" in t else "")
                  + (f" | raw ECE {r['raw']['ece']:.4f}" if "raw" in r else "")
                  + (f" | cross-fitted on raw ECE T {r['cross_fitted_on_raw']['temperature']['ece']:.4f} "
                     f"V {r['cross_fitted_on_raw']['vector']['ece']:.4f} coverage "
                     f"{r['cross_fitted_on_raw']['temperature']['coverage']}" if "cross_fitted_on_raw" in r else "")
                  + ("".join(f" | T on {m} raw rows ECE {c['ece_mean']:.4f} ± {c['ece_sd']:.4f}"
                             for m, c in r.get("raw_rows_curve", {}).items() if m[0].isdigit()))
                  + (f" | one-view map under TTA ECE {r['as_trained_one_view_map']['ece']:.4f}"
                     if "as_trained_one_view_map" in r else ""), file=sys.stderr)
    text = json.dumps(out, indent=1)
    if a.json:
        tmp = Path(a.json).with_suffix(".tmp")
        tmp.write_text(text + "\n")
        tmp.replace(a.json)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
