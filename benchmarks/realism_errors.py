"""What the magnitude errors tell gradient boosting, in a real LEGUS field and in its simulation.

In NGC 628-C the gradient-boosting rule of the naive ladder (``benchmarks/realism_fields.py``)
scores 9-13 points higher on the real catalogue than on the simulated one, while the trees on
CI, colours and m_V agree within a few points. Boosting is the one rule that sees the
``magerr_<band>`` columns. This script measures, on the real catalogue and on simulated fields
of the same preset (same selection, same spatial folds, simulated human mode as the class):

* gradient boosting (``simulate.calibration.cv_predict``, rule ``gbm``) on feature subsets:
  CI alone, CI + m_V, CI + err_V, CI + the five magnitudes, CI + the five errors, everything;
* the effective depth of each band: the magnitude at which the median error, less the
  catalogue's error floor in quadrature, would be 0.1086 mag (S/N 10), from the faint
  half-magnitude bins (:func:`effective_depth`). The presets' ``depth`` was set so that the
  simulated effective depth meets the real one (shift = real - simulated, added to the depth);
* how much the V error says about the class at a given magnitude (:func:`error_class_signal`:
  ROC AUC of classes 3+4 against 1+2 inside half-magnitude bins, and the correlation of the error
  at fixed magnitude with the number of catalogue neighbours within 50 px);
* the correlation, at fixed magnitude, between the V-band error and CI (the log error minus a
  quadratic fit of it against m_V, correlated with CI), and the inter-quartile range of the
  V error per class at m_V 23-23.5.

If the errors carry class information in the real catalogue that they do not carry in the
simulated one, boosting's gap is a property of the photometry's error model, not of the
simulated objects.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/realism_errors.py [--field ngc628c] [--seeds 1 2 3]
        [--json F] [--field-stars N] [--own-apcor]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _fields_module():
    spec = importlib.util.spec_from_file_location("realism_fields", ROOT / "benchmarks" / "realism_fields.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def effective_depth(mag: np.ndarray, err: np.ndarray) -> tuple[float, float]:
    """Magnitude at S/N 10 of the error-magnitude relation, and its floor.

    Median error in half-magnitude bins (20 sources or more); the floor is the smallest bin
    median (real LEGUS errors level off at 0.03-0.07 mag: aperture-correction and calibration
    terms); in the bins where the median exceeds 1.4 times the floor, the floor is taken off in
    quadrature and each bin gives ``m - 2.5 log10(err / 0.1086)``; the median of those is returned.

    Examples
    --------
    >>> m = np.linspace(20, 25, 500)
    >>> e = np.hypot(0.04, 0.1086 * 10 ** (0.4 * (m - 24.0)))
    >>> round(effective_depth(m, e)[0], 1)
    24.0
    """
    m, e = np.asarray(mag, dtype=float), np.asarray(err, dtype=float)
    ok = np.isfinite(m) & np.isfinite(e) & (e > 0) & (e < 3)
    m, e = m[ok], e[ok]
    rows = []
    for lo in np.arange(np.floor(m.min()), m.max(), 0.5):
        s = (m >= lo) & (m < lo + 0.5)
        if s.sum() >= 20:
            rows.append((lo + 0.25, float(np.median(e[s]))))
    bins = np.array(rows)
    floor = float(bins[:, 1].min())
    faint = bins[bins[:, 1] > 1.4 * floor]
    if len(faint) < 2:  # a flat relation: the two faintest bins
        faint = bins[-2:]
    above = np.sqrt(np.maximum(faint[:, 1] ** 2 - floor ** 2, 1e-8))
    return float(np.median(faint[:, 0] - 2.5 * np.log10(above / 0.1086))), floor


def error_class_signal(t, labels: np.ndarray, v_band: str, all_xy: np.ndarray | None = None,
                       radius: float = 50.0) -> dict:
    """How much the V error says about the class beyond the magnitude, and what it tracks.

    * ``auc_mag``: ROC AUC of m_V for classes 3+4 against 1+2 (0.5: the magnitude says nothing);
    * ``auc_err_bins``: the same AUC of err_V inside half-magnitude bins of m_V (30 sources or
      more, both groups present), and ``auc_err``, their source-weighted mean: at a given
      magnitude, does a larger error mean a non-cluster?
    * ``resid_median``: per class, the median log10 error at fixed m_V (log error minus a
      quadratic fit in m_V), and ``corr_neighbours``, the correlation of that residual with the
      number of other catalogue rows within ``radius`` px (``all_xy``: every row of the
      catalogue, inspected or not; default the rows of ``t``), the median of that number per
      class (``neighbours_median``) and the share of each class with no other row within
      ``radius / 2`` (``isolated_share``).

    Examples
    --------
    >>> from astropy.table import Table
    >>> rng = np.random.default_rng(1)
    >>> n = 600
    >>> lab = rng.integers(1, 5, n)
    >>> m = rng.uniform(21, 24, n)
    >>> e = 0.01 * 10 ** (0.3 * (m - 21)) * np.where(lab >= 3, 1.5, 1.0)  # non-clusters: larger errors
    >>> t = Table({"x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n), "mag_f555w": m, "magerr_f555w": e})
    >>> d = error_class_signal(t, lab, "f555w")
    >>> d["auc_err"] > 0.9, abs(d["auc_mag"] - 0.5) < 0.1
    (True, True)
    """
    from scipy.spatial import cKDTree
    from sklearn.metrics import roc_auc_score

    lab = np.asarray(labels, dtype=int)
    mv = np.asarray(t[f"mag_{v_band}"], dtype=float)
    ev = np.asarray(t[f"magerr_{v_band}"], dtype=float)
    xy = np.column_stack([np.asarray(t["x"], float), np.asarray(t["y"], float)])
    ok = np.isfinite(mv) & np.isfinite(ev) & (ev > 0)
    y = (lab >= 3).astype(int)
    out: dict = {"auc_mag": round(float(roc_auc_score(y[ok], mv[ok])), 3)}
    bins, weights = {}, []
    for lo in np.arange(np.floor(np.nanmin(mv[ok]) * 2) / 2, np.nanmax(mv[ok]), 0.5):
        b = ok & (mv >= lo) & (mv < lo + 0.5)
        if b.sum() >= 30 and 0 < y[b].sum() < b.sum():
            bins[f"{lo:.1f}"] = round(float(roc_auc_score(y[b], ev[b])), 3)
            weights.append(b.sum())
    out["auc_err_bins"] = bins
    out["auc_err"] = round(float(np.average(list(bins.values()), weights=weights)), 3) if bins else float("nan")
    resid = np.full(len(mv), np.nan)
    resid[ok] = np.log10(ev[ok]) - np.polyval(np.polyfit(mv[ok], np.log10(ev[ok]), 2), mv[ok])
    out["resid_median"] = {str(k): round(float(np.nanmedian(resid[lab == k])), 3) if np.any(lab == k) else None
                           for k in (1, 2, 3, 4)}
    others = xy if all_xy is None else np.asarray(all_xy, dtype=float)
    near = cKDTree(others).query_ball_point(xy, radius)
    # a row of t is itself among all_xy (distance 0): not its own neighbour
    n_near = np.array([len(v) for v in near]) - 1
    out["corr_neighbours"] = round(float(np.corrcoef(resid[ok], n_near[ok])[0, 1]), 3)
    out["neighbours_median"] = {str(k): float(np.median(n_near[lab == k])) if np.any(lab == k) else None
                                for k in (1, 2, 3, 4)}
    # isolation per class: no other row within half the radius (real NGC 628-C: clusters mostly
    # isolated, 72 % of class 1 against 37 % of class 4)
    close = np.array([len(v) for v in cKDTree(others).query_ball_point(xy, radius / 2)]) - 1
    out["isolated_share"] = {str(k): round(float(np.mean(close[lab == k] == 0)), 3) if np.any(lab == k) else None
                             for k in (1, 2, 3, 4)}
    return out


def error_diagnostics(t, labels: np.ndarray, bands: list[str], seed: int) -> dict:
    """Boosting on feature subsets and the error-CI correlation of one catalogue.

    Parameters
    ----------
    t
        Catalogue with ``x, y, ci, mag_<band>, magerr_<band>`` (real or simulated).
    labels
        Classes 1-4 of its rows.
    bands
        The five bands, UV to I (V is the fourth).
    seed
        Seed of the spatial folds and of the boosting.

    Returns
    -------
    dict
        ``gbm``: {subset: [4-class %, binary %]}, ``effective_depth`` per band, ``corr_err_ci``
        and ``err_v_iqr`` per class.

    Examples
    --------
    >>> from astropy.table import Table
    >>> rng = np.random.default_rng(0)
    >>> n = 200
    >>> t = Table({"x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n), "ci": rng.normal(1.5, 0.1, n)})
    >>> for b in ("f275w", "f336w", "f435w", "f555w", "f814w"):
    ...     t[f"mag_{b}"] = rng.uniform(21, 24, n)
    ...     t[f"magerr_{b}"] = 0.03 * 10 ** (0.2 * (t[f"mag_{b}"] - 21))
    >>> d = error_diagnostics(t, rng.integers(1, 5, n), ["f275w", "f336w", "f435w", "f555w", "f814w"], 0)
    >>> sorted(d["gbm"])[:2]
    ['all', 'ci']
    """
    from starclass.schema import mag_col, magerr_col
    from starclass.simulate.calibration import cv_predict, spatial_folds

    lab = np.asarray(labels, dtype=int)
    folds = spatial_folds(t["x"], t["y"], seed=seed)

    def col(name):
        return np.asarray(t[name], dtype=float)

    ci = col("ci")
    mags = [col(mag_col(b)) for b in bands]
    errs = [col(magerr_col(b)) for b in bands]
    mv, ev = mags[3], errs[3]
    subsets = {"ci": [ci], "ci+m_v": [ci, mv], "ci+err_v": [ci, ev], "ci+mags": [ci, *mags],
               "ci+errs": [ci, *errs], "all": [ci, *mags, *errs]}
    binary = (lab <= 2).astype(int)
    gbm = {name: [round(100 * float(np.mean(cv_predict(np.column_stack(cols), y, folds, "gbm", seed) == y)), 1)
                  for y in (lab, binary)] for name, cols in subsets.items()}
    ok = np.isfinite(mv) & np.isfinite(ev) & (ev > 0) & np.isfinite(ci)
    resid = np.log10(ev[ok]) - np.polyval(np.polyfit(mv[ok], np.log10(ev[ok]), 2), mv[ok])
    window = ok & (mv >= 23.0) & (mv < 23.5)
    iqr = {}
    for k in (1, 2, 3, 4):
        e = ev[window & (lab == k)]
        iqr[str(k)] = [round(float(v), 3) for v in np.percentile(e, [25, 50, 75])] if len(e) >= 5 else None
    depth = {b: round(effective_depth(m, e)[0], 2) for b, m, e in zip(bands, mags, errs)}
    corr = round(float(np.corrcoef(resid, ci[ok])[0, 1]), 3)
    return {"gbm": gbm, "effective_depth": depth, "corr_err_ci": corr, "err_v_iqr": iqr}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--field", default="ngc628c")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--field-stars", type=float, default=None,
                    help="Faint field stars per candidate (default: the preset's).")
    ap.add_argument("--own-apcor", action="store_true",
                    help="Each source's own aperture correction instead of the average one (as before).")
    args = ap.parse_args()
    rf = _fields_module()
    out = {"field": args.field, "real": [], "sim": []}
    for seed in args.seeds:
        run = rf.check_field(args.field, SimpleNamespace(seed=seed, size=None, n_candidates=None, tolerance=5.0,
                                                        field_stars=args.field_stars, own_apcor=args.own_apcor))
        real, rc, sim, sc = run["_tables"]
        real_xy, sim_xy = run["_all_xy"]
        out["real"].append({**error_diagnostics(real, rc, list(real.meta["bands"]), seed),
                            "signal": error_class_signal(real, rc, real.meta["bands"][3], real_xy)})
        out["sim"].append({**error_diagnostics(sim, sc, list(run["bands"]), seed),
                           "signal": error_class_signal(sim, sc, run["bands"][3], sim_xy)})
        print(f"seed {seed}\n  real {out['real'][-1]}\n  sim  {out['sim'][-1]}", flush=True)
    for side in ("real", "sim"):
        names = out[side][0]["gbm"]
        mean = {k: np.mean([r["gbm"][k] for r in out[side]], axis=0).round(1).tolist() for k in names}
        corr = np.mean([r["corr_err_ci"] for r in out[side]])
        depth = {b: round(float(np.mean([r["effective_depth"][b] for r in out[side]])), 2)
                 for b in out[side][0]["effective_depth"]}
        sig = {k: round(float(np.mean([r["signal"][k] for r in out[side]])), 3)
               for k in ("auc_mag", "auc_err", "corr_neighbours")}
        out[f"{side}_mean"] = {"gbm": mean, "effective_depth": depth, "corr_err_ci": round(float(corr), 3), **sig}
        print(f"{side} (mean over seeds): gbm [4 classes, binary] {mean}; effective depth {depth}; "
              f"corr(err_V at fixed m_V, CI) {corr:+.2f}; AUC of classes 3+4 from m_V {sig['auc_mag']:.2f}, from "
              f"err_V at fixed m_V {sig['auc_err']:.2f}; corr(err_V at fixed m_V, neighbours within 50 px) "
              f"{sig['corr_neighbours']:+.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
