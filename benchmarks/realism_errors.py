"""What the magnitude errors tell gradient boosting, in a real LEGUS field and in its simulation.

In NGC 628-C the gradient-boosting rule of the naive ladder (``benchmarks/realism_fields.py``)
scores 9-13 points higher on the real catalogue than on the simulated one, while the trees on
CI, colours and m_V agree within a few points. Boosting is the one rule that sees the
``magerr_<band>`` columns. This script measures, on the real catalogue and on simulated fields
of the same preset (same selection, same spatial folds, simulated human mode as the class):

* gradient boosting (``simulate.calibration.cv_predict``, rule ``gbm``) on feature subsets:
  CI alone, CI + m_V, CI + err_V, CI + the five magnitudes, CI + the five errors, everything;
* the correlation, at fixed magnitude, between the V-band error and CI (the log error minus a
  quadratic fit of it against m_V, correlated with CI), and the inter-quartile range of the
  V error per class at m_V 23-23.5.

If the errors carry class information in the real catalogue that they do not carry in the
simulated one, boosting's gap is a property of the photometry's error model, not of the
simulated objects.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/realism_errors.py [--field ngc628c] [--seeds 1 2 3]
        [--json F]
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
        ``gbm``: {subset: [4-class %, binary %]}, ``corr_err_ci`` and ``err_v_iqr`` per class.

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
    ['ci', 'ci+errs']
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
    return {"gbm": gbm, "corr_err_ci": round(float(np.corrcoef(resid, ci[ok])[0, 1]), 3), "err_v_iqr": iqr}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--field", default="ngc628c")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rf = _fields_module()
    out = {"field": args.field, "real": [], "sim": []}
    for seed in args.seeds:
        run = rf.check_field(args.field, SimpleNamespace(seed=seed, size=None, n_candidates=None, tolerance=5.0))
        real, rc, sim, sc = run["_tables"]
        out["real"].append(error_diagnostics(real, rc, list(real.meta["bands"]), seed))
        out["sim"].append(error_diagnostics(sim, sc, list(run["bands"]), seed))
        print(f"seed {seed}\n  real {out['real'][-1]}\n  sim  {out['sim'][-1]}", flush=True)
    for side in ("real", "sim"):
        names = out[side][0]["gbm"]
        mean = {k: np.mean([r["gbm"][k] for r in out[side]], axis=0).round(1).tolist() for k in names}
        corr = np.mean([r["corr_err_ci"] for r in out[side]])
        out[f"{side}_mean"] = {"gbm": mean, "corr_err_ci": round(float(corr), 3)}
        print(f"{side} (mean over seeds): gbm [4 classes, binary] {mean}; corr(err_V at fixed m_V, CI) {corr:+.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
