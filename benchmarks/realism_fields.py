"""The simulator across distances: simulated LEGUS-like fields against their real catalogues.

For each field preset (``ngc7793w`` 3.44 Mpc, ``ngc5474`` 6.8 Mpc with F438W/F606W, ``ngc1433``
8.3 Mpc with WFC3 F438W, ``ngc628c`` 9.9 Mpc, and ``ngc1566`` 17.9 Mpc) it simulates a field,
runs ``starclass.detect.detect`` with the real field's selection (CI >= its cut, m_V <= its 99th
percentile), matches detections to the truth within 2 px (class = the simulated human mode, as
the real class is a human mode), and checks, as ``benchmarks/realism_legus.py`` does for NGC 1566:

* per class, that the simulated medians of CI, M_V, U-B and V-I fall inside the real
  inter-quartile range of that field's catalogue;
* that the naive-rule ladder (majority, CI tree, CI + colours + m_V tree, gradient boosting;
  spatial 5-fold CV, :func:`starclass.simulate.calibration.rule_scores`) scores within
  ``--tolerance`` points (5) of the same ladder on the real catalogue.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/realism_fields.py [--fields ngc7793w ngc5474 ngc1433 ngc628c]
        [--seed 5] [--size PX] [--n-candidates N] [--tolerance 5] [--png-dir docs/img/simulator] [--json F]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from starclass.schema import CLASS_REF

ROOT = Path(__file__).resolve().parents[1]
LEGUS = ROOT.parent / "shared" / "data" / "legus"
#: preset -> real LEGUS file (its field, filters and CI cut follow from it).
REAL = {
    "ngc7793w": "hlsp_legus_hst_acs-wfc3_ngc7793-w_multiband_v1_padagb-mwext-avgapcor.tab",
    "ngc1433": "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab",
    "ngc628c": "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab",
    "ngc5474": "hlsp_legus_hst_acs-wfc3_ngc5474_multiband_v1_padagb-mwext-avgapcor.tab",
    "ngc1566": "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab",
}
QUANTITIES = ("ci", "abs_mag_v", "u_b", "v_i")
#: Simulated field per preset: (size in px, candidates). NGC 628-C gets the larger field so that
#: its ladder trains on as many simulated as real sources (1882 matched vs 1559 real).
FIELD_SIZES = {"ngc7793w": (1536, 1800), "ngc1433": (1536, 1800), "ngc628c": (2048, 3200), "ngc5474": (1536, 1800),
               "ngc1566": (3072, 5600)}
#: What docs/legus_validation.md reports (seed 5, FIELD_SIZES), checked by the slow test: class
#: medians inside the real IQR (of 16), and the ladder rungs that miss the 5-point bar with the
#: bound they do meet (every other rung is within 5 points of the real catalogue).
EXPECTED_INSIDE = {"ngc7793w": 16, "ngc5474": 14, "ngc1433": 14, "ngc628c": 16}
EXPECTED_MISSES = {
    "ngc7793w": {("4class", "tree3"): 6.0, ("binary", "ci_tree"): 6.0, ("binary", "tree3"): 10.5},
    "ngc5474": {("4class", "ci_tree"): 6.5, ("binary", "ci_tree"): 10.5, ("binary", "gbm"): 7.0},
    "ngc1433": {("4class", "ci_tree"): 6.0},
    "ngc628c": {("4class", "gbm"): 12.5, ("binary", "gbm"): 11.0},
}
LABELS = {"ci": "CI (mag)", "abs_mag_v": "M_V", "u_b": "U-B", "v_i": "V-I"}


def quantities(t, bands, dm: float) -> dict[str, np.ndarray]:
    """CI, M_V, U-B, V-I from the U, B, V, I of ``bands`` (the field's filters)."""
    def c(b):
        return np.asarray(t[f"mag_{b}"], dtype=float)

    _, u, b, v, i = bands
    return {"ci": np.asarray(t["ci"], dtype=float), "abs_mag_v": c(v) - dm, "u_b": c(u) - c(b), "v_i": c(v) - c(i)}


def check_field(name: str, args) -> dict:
    from starclass.detect import detect, match_catalogs
    from starclass.science.many import read_legus_field
    from starclass.science.ssp import distance_modulus
    from starclass.simulate import preset, simulate_field
    from starclass.simulate.calibration import rule_scores

    real = read_legus_field(LEGUS / REAL[name])
    rc_all = np.asarray(real[CLASS_REF], dtype=int)
    real = real[np.isin(rc_all, [1, 2, 3, 4])]
    rc = np.asarray(real[CLASS_REF], dtype=int)
    size, n_cand = FIELD_SIZES[name]
    size, n_cand = args.size or size, args.n_candidates or n_cand
    cfg = preset(name, seed=args.seed, shape=(size, size), n_candidates=n_cand)
    dm = distance_modulus(cfg.distance_mpc)
    rq = quantities(real, real.meta["bands"], dm)
    ci_cut = float(np.nanmin(rq["ci"]))
    mv_app = rq["abs_mag_v"] + dm
    mag_cut = float(np.nanpercentile(mv_app, 99))
    t0 = time.time()
    field = simulate_field(cfg)
    found = detect(field.mosaics(), ci_min=ci_cut, mag_limit=mag_cut, progress=False)
    ia, ib, _ = match_catalogs(found, field.truth, radius=2.0)
    sim = found[ia]
    sc = np.asarray(field.humans[CLASS_REF], dtype=int)[ib]
    sq = quantities(sim, list(cfg.bands), dm)
    out = {"field": name, "distance_mpc": cfg.distance_mpc, "bands": list(cfg.bands), "ci_cut": ci_cut,
           "mag_cut": round(mag_cut, 2), "seconds": round(time.time() - t0), "n_sim": int(len(sim)),
           "classes_sim": np.bincount(sc, minlength=5)[1:].tolist(),
           "classes_real": np.bincount(rc, minlength=5)[1:].tolist(), "medians": []}
    for q in QUANTITIES:
        for k in (1, 2, 3, 4):
            a = sq[q][(sc == k) & np.isfinite(sq[q])]
            b = rq[q][(rc == k) & np.isfinite(rq[q])]
            lo, mid, hi = np.percentile(b, [25, 50, 75])
            med = float(np.median(a)) if len(a) >= 5 else float("nan")
            out["medians"].append({"quantity": q, "class": k, "sim": med, "real": float(mid), "q25": float(lo),
                                   "q75": float(hi), "n_sim": int(len(a)), "inside": bool(lo <= med <= hi)})
    real_scores = rule_scores(real, rc, bands=real.meta["bands"], seed=args.seed)
    sim_scores = rule_scores(sim, sc, bands=list(cfg.bands), seed=args.seed)
    out["ladder"] = []
    for task in ("4class", "binary"):
        for rule in ("majority", "ci_tree", "tree3", "gbm"):
            r, s = 100 * real_scores[task][rule], 100 * sim_scores[task][rule]
            out["ladder"].append({"task": task, "rule": rule, "real": round(r, 1), "sim": round(s, 1),
                                  "diff": round(s - r, 1), "within": bool(abs(s - r) <= args.tolerance)})
    out["_arrays"] = (rq, rc, sq, sc)
    return out


def report(res: dict, tol: float) -> None:
    print(f"\n== {res['field']} at {res['distance_mpc']} Mpc, bands {res['bands']}: selection "
          f"CI >= {res['ci_cut']:.2f}, m_V <= {res['mag_cut']}; {res['n_sim']} simulated candidates matched "
          f"({res['seconds']} s); classes sim "
          f"{res['classes_sim']} real {res['classes_real']}")
    print(f"{'quantity':10s} {'class':>5s} {'sim median':>10s} {'real median':>11s} {'real IQR':>15s}  inside")
    for m in res["medians"]:
        print(f"{m['quantity']:10s} {m['class']:5d} {m['sim']:10.2f} {m['real']:11.2f} {m['q25']:7.2f}..{m['q75']:6.2f}"
              f"  {'yes' if m['inside'] else 'NO'}")
    n_in = sum(m["inside"] for m in res["medians"])
    print(f"{n_in} of {len(res['medians'])} simulated class medians inside the real inter-quartile range")
    print(f"{'task':7s} {'rule':9s} {'real':>6s} {'sim':>6s} {'diff':>6s}  within {tol:g}")
    for r in res["ladder"]:
        print(f"{r['task']:7s} {r['rule']:9s} {r['real']:6.1f} {r['sim']:6.1f} {r['diff']:+6.1f}  "
              f"{'yes' if r['within'] else 'NO'}")


def figure(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rq, rc, sq, sc = res["_arrays"]
    fig, axes = plt.subplots(4, 4, figsize=(13, 10))
    for r, q in enumerate(QUANTITIES):
        both = np.concatenate([rq[q][np.isfinite(rq[q])], sq[q][np.isfinite(sq[q])]])
        lo, hi = np.percentile(both, [1, 99])
        bins = np.linspace(lo, hi, 36)
        for k in (1, 2, 3, 4):
            ax = axes[r, k - 1]
            b = rq[q][(rc == k) & np.isfinite(rq[q])]
            a = sq[q][(sc == k) & np.isfinite(sq[q])]
            ax.hist(np.clip(b, lo, hi), bins=bins, density=True, histtype="stepfilled", alpha=0.4, color="k",
                    label=f"LEGUS ({len(b)})")
            ax.hist(np.clip(a, lo, hi), bins=bins, density=True, histtype="step", lw=1.6, color="C3",
                    label=f"simulated ({len(a)})")
            ax.set_title(f"class {k}", fontsize=9)
            ax.set_xlabel(LABELS[q], fontsize=8)
            ax.tick_params(labelsize=7)
            ax.legend(fontsize=6)
    fig.suptitle(f"Simulated {res['field']} ({res['distance_mpc']} Mpc) vs the real LEGUS catalogue, per human class",
                 fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=70)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fields", nargs="+", default=["ngc7793w", "ngc5474", "ngc1433", "ngc628c"],
                    choices=sorted(REAL))
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--size", type=int, default=None, help="Field size in px (default: FIELD_SIZES).")
    ap.add_argument("--n-candidates", type=int, default=None, help="Candidates (default: FIELD_SIZES).")
    ap.add_argument("--tolerance", type=float, default=5.0)
    ap.add_argument("--png-dir", type=Path, default=None, help="Write realism_<field>.png here.")
    ap.add_argument("--json", type=Path, default=None, help="Write the results as JSON.")
    args = ap.parse_args()
    if not LEGUS.is_dir():
        raise SystemExit(f"real LEGUS catalogues not found at {LEGUS}")
    results = []
    for name in args.fields:
        res = check_field(name, args)
        report(res, args.tolerance)
        if args.png_dir:
            figure(res, args.png_dir / f"realism_{name}.png")
        res.pop("_arrays")
        results.append(res)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
