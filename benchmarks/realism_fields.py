"""The simulator across distances: simulated LEGUS-like fields against their real catalogues.

For each field preset (``ngc7793w`` 3.44 Mpc, ``ngc5474`` 6.8 Mpc with F438W/F606W, ``ngc1433``
8.3 Mpc with WFC3 F438W, ``ngc628c`` 9.9 Mpc, and ``ngc1566`` 17.9 Mpc) it simulates a field,
runs ``starclass.detect.detect`` with the real field's selection (CI >= its cut, m_V <= its 99th
percentile; the magnitudes with one average aperture correction, as in the real "avgapcor" files:
:func:`average_aperture_correction`), matches detections to the truth within 2 px of its position or
centre of light (class = the simulated human mode, as the real class is a human mode), and checks, as
``benchmarks/realism_legus.py`` does for NGC 1566:

* per class, that the simulated medians of CI, M_V, U-B and V-I fall inside the real
  inter-quartile range of that field's catalogue;
* that the naive-rule ladder (majority, CI tree, CI + colours + m_V tree, gradient boosting;
  spatial 5-fold CV, :func:`starclass.simulate.calibration.rule_correct`) scores within
  ``--tolerance`` points (5) of the same ladder on the real catalogue.

Everything is repeated for several seeds (``--seeds``, default 1 2 3) and compared as a mean over
them, with a bootstrap interval of the real score (:func:`combine_seeds`): one seed's accuracies
move by 2-4 points.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/realism_fields.py
        [--fields ngc7793w,ngc5474,ngc1433,ngc628c,ngc1566] [--seeds 1 2 3] [--jobs 1] [--size PX]
        [--n-candidates N] [--tolerance 5] [--png-dir docs/img/simulator] [--json F] [--field-stars N]
        [--own-apcor]
    PYTHONPATH=src .venv/bin/python benchmarks/realism_fields.py --combine RUN1.json RUN2.json [--json F]
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
#: Simulated field per preset: (size in px, candidates). NGC 628-C gets the largest field: at 5260²
#: px its 3200 candidates give about as many classified sources per px² as the real catalogue has on
#: its footprint (59.7 per Mpx on the 26.1 Mpx convex hull of all its rows; :func:`footprint_area`),
#: and its ladder trains on about as many simulated as real sources (1509-1531 matched vs 1559 real);
#: at 2896² px (before issue 14's last NGC 628-C step) the simulated field was 3.3 times denser in
#: classified sources and 6 times in all rows (docs/legus_validation.md, "NGC 628-C: class mix,
#: density and saturation"). NGC 1566 gets 2560 px with 3900 candidates (about as many matched as
#: its 2451 real sources).
FIELD_SIZES = {"ngc7793w": (1536, 1800), "ngc1433": (1536, 1800), "ngc628c": (5260, 3200), "ngc5474": (1536, 1800),
               "ngc1566": (2560, 3900)}
#: What docs/legus_validation.md reports (seeds SEEDS, FIELD_SIZES), checked by the slow test: class
#: medians (mean over seeds) inside the real IQR (of 16), and the ladder rules whose mean difference
#: misses the 5-point bar, with the bound they do meet (every other rule is within 5 points of the
#: real catalogue). Why each one misses: docs/legus_validation.md, "The simulator across distances".
EXPECTED_INSIDE = {"ngc7793w": 16, "ngc5474": 16, "ngc1433": 16, "ngc628c": 16, "ngc1566": 16}
EXPECTED_MISSES = {
    # binary depth-3 tree: +4.7 +- 3.1 at the bar, +5.4 +- 3.0 since detect's disk peaks (621faf61, seeds 1-3;
    # same command on 451c7a05 gives +4.7): a shift of a quarter of the seed-to-seed sd; within 5 of the real interval
    "ngc7793w": {("binary", "tree3"): 6.0},
    "ngc5474": {},
    "ngc1433": {},
    "ngc628c": {},  # 4-class boosting (bound 8 before human_colour_link): -2.8 on SEEDS, -3.5 over seeds 1-6
    "ngc1566": {},
}
#: Seeds of the simulated fields: the ladder is compared as a mean over them (combine_seeds).
SEEDS = (1, 2, 3)
TASKS = ("4class", "binary")
RULES = ("majority", "ci_tree", "tree3", "gbm")
#: x-axis labels of the figure; units in square brackets, as in the report figures.
LABELS = {"ci": "CI [mag]", "abs_mag_v": "M_V [mag]", "u_b": "U-B [mag]", "v_i": "V-I [mag]"}


def quantities(t, bands, dm: float) -> dict[str, np.ndarray]:
    """CI, M_V, U-B, V-I from the U, B, V, I of ``bands`` (the field's filters)."""
    def c(b):
        return np.asarray(t[f"mag_{b}"], dtype=float)

    _, u, b, v, i = bands
    return {"ci": np.asarray(t["ci"], dtype=float), "abs_mag_v": c(v) - dm, "u_b": c(u) - c(b), "v_i": c(v) - c(i)}


def average_aperture_correction(table, mosaics) -> tuple:
    """Replace each source's own aperture correction by the catalogue's median one (LEGUS style).

    The real catalogues compared here are LEGUS "avgapcor" files: every source's 4 px aperture
    magnitude plus one average correction per band. ``starclass.detect`` corrects each source
    by its own V-band curve of growth (and every band by the same amount plus a PSF term), so
    at a given magnitude an extended source has a fainter aperture flux, hence a larger error,
    than a compact one, and the correction's own scatter (5-95 %: -1.5 to -0.15 mag in NGC
    628-C) blurs how the error follows the magnitude. Here each source's V correction (its
    magnitude minus its 4 px aperture magnitude, re-measured with the catalogue's annulus) is
    replaced in every band by the median correction; colours and errors do not change.

    Parameters
    ----------
    table
        ``detect`` output (``x, y, mag_<band>``), measured with the per-source correction.
    mosaics
        The images it was measured on.

    Returns
    -------
    (astropy.table.Table, float)
        A copy with the magnitudes changed, and the median V correction (mag).

    Examples
    --------
    >>> from astropy.table import Table
    >>> from starclass.io.mosaic import ArrayMosaics
    >>> yy, xx = np.mgrid[:64, :64]
    >>> img = sum(50 * np.exp(-((xx - x0) ** 2 + (yy - 30) ** 2) / 2.0) for x0 in (20, 44))  # two equal stars
    >>> m = ArrayMosaics({"f555w": img}, {"f555w": 25.0})
    >>> t = Table({"x": [20.0, 44.0], "y": [30.0, 30.0], "mag_f555w": [17.0, 16.0]})  # own corrections 1 mag apart
    >>> out, c = average_aperture_correction(t, m)
    >>> round(float(out["mag_f555w"][0] - out["mag_f555w"][1]), 3)
    0.0
    """
    from starclass.bands import v_band
    from starclass.detect.photometry import ANNULUS, band_photometry

    bands = [c[4:] for c in table.colnames if c.startswith("mag_") and not c.startswith("mag_true")]
    vb = getattr(mosaics, "v_band", None) or v_band(bands)
    out = table.copy()
    if len(out) == 0:
        return out, 0.0
    xy = np.column_stack([np.asarray(out["x"], float), np.asarray(out["y"], float)])
    mask = mosaics.mask(vb) if hasattr(mosaics, "mask") else None
    mask = ~np.isfinite(mosaics.data[vb]) if mask is None else np.asarray(mask, dtype=bool)
    res = band_photometry(mosaics.data[vb], mask, xy, [4.0], ANNULUS)
    flux = res["flux"][:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        m_ap = np.where(flux > 0, float(mosaics.zeropoint[vb]) - 2.5 * np.log10(np.where(flux > 0, flux, 1.0)), np.nan)
    own = np.asarray(out[f"mag_{vb}"], float) - m_ap
    ok = np.isfinite(own)
    avg = float(np.median(own[ok])) if ok.any() else 0.0
    shift = np.where(ok, avg - own, 0.0)
    for b in bands:
        out[f"mag_{b}"] = np.asarray(out[f"mag_{b}"], float) + shift
    return out, avg


def footprint_area(xy: np.ndarray) -> float:
    """Area (px²) of a catalogue's footprint: the convex hull of its positions.

    The real LEGUS files give no footprint; the hull of every row (inspected or not) stands in
    for it (NGC 628-C: 26.1 Mpx, against 22.8 Mpx of occupied 200 px cells).

    Examples
    --------
    >>> xy = np.array([[0, 0], [100, 0], [100, 50], [0, 50], [50, 25]], dtype=float)
    >>> footprint_area(xy)
    5000.0
    """
    from scipy.spatial import ConvexHull

    pts = np.asarray(xy, dtype=float)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    return float(ConvexHull(pts).volume) if len(pts) >= 3 else float("nan")


def check_field(name: str, args) -> dict:
    from starclass.detect import detect
    from starclass.detect.match import match_truth
    from starclass.science.many import read_legus_field
    from starclass.science.ssp import distance_modulus
    from starclass.simulate import preset, simulate_field
    from starclass.simulate.calibration import rule_correct

    real = real_all = read_legus_field(LEGUS / REAL[name])
    rc_all = np.asarray(real[CLASS_REF], dtype=int)
    real = real[np.isin(rc_all, [1, 2, 3, 4])]
    rc = np.asarray(real[CLASS_REF], dtype=int)
    size, n_cand = FIELD_SIZES[name]
    size, n_cand = args.size or size, args.n_candidates or n_cand
    extra = {} if getattr(args, "field_stars", None) is None else {"field_stars": args.field_stars}
    cfg = preset(name, seed=args.seed, shape=(size, size), n_candidates=n_cand, **extra)
    dm = distance_modulus(cfg.distance_mpc)
    rq = quantities(real, real.meta["bands"], dm)
    ci_cut = float(np.nanmin(rq["ci"]))
    mv_app = rq["abs_mag_v"] + dm
    mag_cut = float(np.nanpercentile(mv_app, 99))
    t0 = time.time()
    field = simulate_field(cfg)
    mosaics = field.mosaics()
    found = detect(mosaics, ci_min=ci_cut, progress=False)
    # measured as the real "avgapcor" catalogue was: one aperture correction for every source
    # (--own-apcor: each source's own curve-of-growth correction, as before issue 14's last step)
    apcor = float("nan")
    if not getattr(args, "own_apcor", False):
        found, apcor = average_aperture_correction(found, mosaics)
    found = found[np.isfinite(np.asarray(found[f"mag_{cfg.v_band}"], float))
                  & (np.asarray(found[f"mag_{cfg.v_band}"], float) <= mag_cut)]
    # at the truth's position or its centre of light, as the demo, detect --truth, survey and evaluate pair a
    # simulated truth (match_truth); until 2026-12-07 at the position only, a blend detected at its centre of
    # light was left out of the simulated quartiles (the figures of docs/legus_validation.md were so measured)
    ib, ia, _ = match_truth(field.truth, found, radius=2.0)
    sim = found[ia]
    sc = np.asarray(field.humans[CLASS_REF], dtype=int)[ib]
    sq = quantities(sim, list(cfg.bands), dm)
    out = {"field": name, "seed": args.seed, "distance_mpc": cfg.distance_mpc, "bands": list(cfg.bands),
           "ci_cut": ci_cut, "mag_cut": round(mag_cut, 2), "apcor_v": round(apcor, 3) if np.isfinite(apcor) else None,
           "seconds": round(time.time() - t0), "n_sim": int(len(sim)),
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
    # the real catalogue is scored with the same fold seed as the simulated one, and its per-source
    # right/wrong arrays are kept for the bootstrap interval (combine_seeds)
    real_ok = rule_correct(real, rc, bands=real.meta["bands"], seed=args.seed)
    sim_ok = rule_correct(sim, sc, bands=list(cfg.bands), seed=args.seed)
    out["ladder"] = []
    for task in TASKS:
        for rule in RULES:
            r, s = 100 * np.mean(real_ok[task][rule]), 100 * np.mean(sim_ok[task][rule])
            out["ladder"].append({"task": task, "rule": rule, "real": round(r, 1), "sim": round(s, 1),
                                  "diff": round(s - r, 1), "within": bool(abs(s - r) <= args.tolerance)})
    # sources per Mpx (10^6 px², 0.04"/px in both): every row or selected detection to the magnitude
    # cut, and the classified ones; the real area is its footprint, the simulated one the field's
    # valid V pixels (the blank mosaic corner left out)
    real_mv = np.asarray(real_all[f"mag_{real.meta['bands'][3]}"], dtype=float)
    real_area = footprint_area(np.column_stack([np.asarray(real_all["x"], float), np.asarray(real_all["y"], float)]))
    sim_area = float(np.isfinite(np.asarray(mosaics.data[cfg.v_band])).sum())
    out["density"] = {"real_area_mpx": round(real_area / 1e6, 2), "sim_area_mpx": round(sim_area / 1e6, 2),
                      "real_rows": round(1e6 * float(np.sum(real_mv <= mag_cut)) / real_area, 1),
                      "sim_rows": round(1e6 * len(found) / sim_area, 1),
                      "real_classified": round(1e6 * len(real) / real_area, 1),
                      "sim_classified": round(1e6 * len(sim) / sim_area, 1)}
    out["_arrays"] = (rq, rc, sq, sc)
    out["_real_correct"] = real_ok
    out["_tables"] = (real, rc, sim, sc)  # for diagnostics (benchmarks/realism_errors.py)
    # the field's truth, its configuration and the truth row of each matched source: the simulated
    # people can be re-drawn on the same objects (benchmarks/realism_modes34.py)
    out["_truth"] = (field.truth, cfg, np.asarray(ib))
    # every detection that passed the selection, matched or not: the neighbours of a source
    # (benchmarks/realism_errors.py), as the real catalogue's neighbours are all its rows
    out["_all_xy"] = (np.column_stack([np.asarray(real_all["x"], float), np.asarray(real_all["y"], float)]),
                      np.column_stack([np.asarray(found["x"], float), np.asarray(found["y"], float)]))
    return out


def combine_seeds(runs: list[dict], tol: float) -> dict:
    """Mean and spread over seeds, and a bootstrap interval of the real score.

    One simulated field's CV accuracies move by 2-4 points from seed to seed (a few hundred
    sources per class), so a single seed cannot tell a 6-point miss from noise. Per rule: the
    mean and standard deviation of the simulated score over the seeds; the real score averaged
    over the same fold seeds, with a 95 % bootstrap interval (sources resampled: the sampling error
    of a catalogue of the real field's size). A rule is *within* when the mean difference is at
    most ``tol`` points, and *within the interval* when the simulated mean is at most ``tol``
    points outside the real interval. A class median counts as inside when the mean over seeds
    of the simulated median lies in the real inter-quartile range.
    """
    from starclass.simulate.calibration import bootstrap_accuracy

    first = runs[0]
    out = {k: first[k] for k in ("field", "distance_mpc", "bands", "ci_cut", "mag_cut", "classes_real")}
    out["seeds"] = [r["seed"] for r in runs]
    out["n_sim"] = [r["n_sim"] for r in runs]
    out["classes_sim"] = np.mean([r["classes_sim"] for r in runs], axis=0).round().astype(int).tolist()
    if all("density" in r for r in runs):
        out["density"] = {k: (round(float(np.mean([r["density"][k] for r in runs])), 1) if k.startswith("sim")
                              else first["density"][k]) for k in first["density"]}
    out["medians"] = []
    for i, m in enumerate(first["medians"]):
        sims = np.array([r["medians"][i]["sim"] for r in runs])
        mean = float(np.nanmean(sims))
        out["medians"].append({**{k: m[k] for k in ("quantity", "class", "real", "q25", "q75")},
                               "sim": mean, "sim_sd": float(np.nanstd(sims, ddof=1)) if len(sims) > 1 else 0.0,
                               "inside_per_seed": int(sum(m["q25"] <= v <= m["q75"] for v in sims)),
                               "inside": bool(m["q25"] <= mean <= m["q75"])})
    out["ladder"] = []
    for i, row in enumerate(first["ladder"]):
        task, rule = row["task"], row["rule"]
        sims = np.array([r["ladder"][i]["sim"] for r in runs])
        reals = np.array([r["ladder"][i]["real"] for r in runs])
        correct = np.stack([r["_real_correct"][task][rule] for r in runs])
        lo, hi = (100 * v for v in bootstrap_accuracy(correct, seed=runs[0]["seed"]))
        s, r_ = float(sims.mean()), float(reals.mean())
        gap = max(lo - s, s - hi, 0.0)  # distance of the simulated mean from the real interval
        out["ladder"].append({"task": task, "rule": rule, "real": round(r_, 1), "real_lo": round(lo, 1),
                              "real_hi": round(hi, 1), "sim": round(s, 1), "sim_sd": round(float(sims.std(ddof=1))
                                                                                         if len(sims) > 1 else 0.0, 1),
                              "diff": round(s - r_, 1), "within": bool(abs(s - r_) <= tol),
                              "within_interval": bool(gap <= tol)})
    return out


def report(res: dict, tol: float) -> None:
    """Print one field's combined result (:func:`combine_seeds`)."""
    print(f"\n== {res['field']} at {res['distance_mpc']} Mpc, bands {res['bands']}: selection "
          f"CI >= {res['ci_cut']:.2f}, m_V <= {res['mag_cut']}; seeds {res['seeds']}: {res['n_sim']} simulated "
          f"candidates matched; classes sim (mean) {res['classes_sim']} real {res['classes_real']}")
    if "density" in res:
        d = res["density"]
        ratio, ratio_cls = d["sim_rows"] / d["real_rows"], d["sim_classified"] / d["real_classified"]
        print(f"sources per Mpx (to the m_V cut): real {d['real_rows']} on its {d['real_area_mpx']} Mpx footprint, "
              f"simulated {d['sim_rows']} ({ratio:.1f}x); classified: real {d['real_classified']}, simulated "
              f"{d['sim_classified']} ({ratio_cls:.1f}x)")
    print(f"{'quantity':10s} {'class':>5s} {'sim median':>15s} {'real median':>11s} {'real IQR':>15s}  inside "
          "(mean; seeds)")
    for m in res["medians"]:
        print(f"{m['quantity']:10s} {m['class']:5d} {m['sim']:8.2f} ± {m['sim_sd']:4.2f} {m['real']:11.2f} "
              f"{m['q25']:7.2f}..{m['q75']:6.2f}  {'yes' if m['inside'] else 'NO '} "
              f"{m['inside_per_seed']}/{len(res['seeds'])}")
    n_in = sum(m["inside"] for m in res["medians"])
    print(f"{n_in} of {len(res['medians'])} mean simulated class medians inside the real inter-quartile range")
    print(f"{'task':7s} {'rule':9s} {'real [95% bootstrap]':>22s} {'sim mean ± sd':>14s} {'diff':>6s}  "
          f"within {tol:g}  within {tol:g} of interval")
    for r in res["ladder"]:
        print(f"{r['task']:7s} {r['rule']:9s} {r['real']:6.1f} [{r['real_lo']:5.1f}, {r['real_hi']:5.1f}] "
              f"{r['sim']:7.1f} ± {r['sim_sd']:3.1f} {r['diff']:+6.1f}  {'yes' if r['within'] else 'NO ':9s}"
              f"  {'yes' if r['within_interval'] else 'NO'}")
    print(f"{sum(r['within'] for r in res['ladder'])} of {len(res['ladder'])} rules within {tol:g} points "
          f"(mean over seeds); {sum(r['within_interval'] for r in res['ladder'])} within {tol:g} of the real "
          "interval")


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
    fig.suptitle(f"Simulated {res['field']} ({res['distance_mpc']} Mpc, seeds {res.get('seeds', '')}) vs the real "
                 "LEGUS catalogue, per human class",
                 fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=70)
    plt.close(fig)


def run_field(name: str, args) -> dict:
    """All seeds of one field (in ``args.jobs`` processes), combined; the figure pools the seeds."""
    from concurrent.futures import ProcessPoolExecutor
    from types import SimpleNamespace

    per_seed = [SimpleNamespace(**{**vars(args), "seed": s}) for s in args.seeds]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            runs = list(pool.map(check_field, [name] * len(per_seed), per_seed))
    else:
        runs = [check_field(name, a) for a in per_seed]
    res = combine_seeds(runs, args.tolerance)
    rq, rc = runs[0]["_arrays"][:2]
    sq = {q: np.concatenate([r["_arrays"][2][q] for r in runs]) for q in QUANTITIES}
    sc = np.concatenate([r["_arrays"][3] for r in runs])
    res["_arrays"] = (rq, rc, sq, sc)
    res["per_seed"] = [{k: v for k, v in r.items() if not k.startswith("_")} for r in runs]
    return res


def pool_saved(paths: list[str], tol: float = 5.0) -> list[dict]:
    """Pool the per-seed results of several saved runs (``--json`` files) field by field.

    ``FILE:f1,f2`` takes only those fields of a file (a file can hold fields whose preset changed
    since it was written).

    Runs of other seeds can be added to a field without rerunning the first ones (seeds 1-3 and
    4-6 give six seeds). The same *within* rules as :func:`combine_seeds` (mean difference over
    the seeds; mean simulated median inside the real IQR); no bootstrap interval of the real
    score, which needs the real fold results that the files do not keep. A seed found twice for
    one field is refused: it would count twice.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> lad = lambda x: [{"task": "binary", "rule": "gbm", "real": 70.0, "sim": 70.0 + x, "diff": x}]
    >>> med = [{"quantity": "ci", "class": 1, "sim": 1.5, "q25": 1.4, "q75": 1.6}]
    >>> for i, x in ((1, -7.0), (2, -2.0)):
    ...     _ = (d / f"r{i}.json").write_text(json.dumps([{"field": "f", "per_seed": [
    ...         {"seed": i, "ladder": lad(x), "medians": med}]}]))
    >>> r = pool_saved([f"{d}/r1.json", f"{d}/r2.json:f"])[0]
    >>> r["seeds"], r["ladder"][0]["diff"], r["ladder"][0]["within"], r["medians"][0]["inside"]
    ([1, 2], -4.5, True, True)
    """
    runs: dict[str, list[dict]] = {}
    for arg in paths:
        path, only = str(arg).rsplit(":", 1) if ".json:" in str(arg) else (str(arg), "")
        keep = set(only.split(",")) if only else None
        if not Path(path).is_file():
            raise SystemExit(f"error: --combine: no file {path}")
        for field in json.loads(Path(path).read_text()):
            if keep is not None and field["field"] not in keep:
                continue
            have = {r["seed"] for r in runs.get(field["field"], [])}
            for r in field["per_seed"]:
                if r["seed"] in have:
                    raise SystemExit(f"error: {path}: seed {r['seed']} of {field['field']} is already in an "
                                     "earlier file")
                runs.setdefault(field["field"], []).append(r)
    out = []
    for name, rs in runs.items():
        res = {"field": name, "seeds": [r["seed"] for r in rs], "ladder": [], "medians": []}
        for i, row in enumerate(rs[0]["ladder"]):
            diffs = np.array([r["ladder"][i]["diff"] for r in rs])
            sd = float(diffs.std(ddof=1)) if len(diffs) > 1 else 0.0
            res["ladder"].append({"task": row["task"], "rule": row["rule"], "diff": round(float(diffs.mean()), 1),
                                  "diff_se": round(sd / np.sqrt(len(diffs)), 1),
                                  "within": bool(abs(diffs.mean()) <= tol)})
        for i, m in enumerate(rs[0]["medians"]):
            mean = float(np.nanmean([r["medians"][i]["sim"] for r in rs]))
            res["medians"].append({"quantity": m["quantity"], "class": m["class"], "sim": round(mean, 3),
                                   "q25": m["q25"], "q75": m["q75"], "inside": bool(m["q25"] <= mean <= m["q75"])})
        out.append(res)
    return out


def field_names(given: list[str], ap: argparse.ArgumentParser) -> list[str]:
    """The ``--fields`` names, each value split at commas too; an unknown one stops with argparse's exit 2.

    ``--fields ngc628c,ngc1566`` was refused as one invalid choice before: only space-separated names were taken.
    """
    names = [n.strip() for v in given for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in REAL]
    if unknown or not names:
        ap.error(f"argument --fields: {', '.join(map(repr, unknown)) or 'no field given'} "
                 f"(choose from {', '.join(sorted(REAL))}; space- or comma-separated)")
    return list(dict.fromkeys(names))  # a field named twice is simulated once


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fields", nargs="+", default=["ngc7793w", "ngc5474", "ngc1433", "ngc628c", "ngc1566"],
                    metavar="FIELD",
                    help="Fields to simulate, space- or comma-separated (ngc628c,ngc1566 or ngc628c ngc1566); "
                         f"known: {', '.join(sorted(REAL))} (default: all five).")
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    ap.add_argument("--jobs", type=int, default=1, help="Seeds simulated in parallel processes.")
    ap.add_argument("--size", type=int, default=None, help="Field size in px (default: FIELD_SIZES).")
    ap.add_argument("--n-candidates", type=int, default=None, help="Candidates (default: FIELD_SIZES).")
    ap.add_argument("--tolerance", type=float, default=5.0)
    ap.add_argument("--field-stars", type=float, default=None,
                    help="Faint field stars per candidate (default: the preset's; 3 before issue 14's last step).")
    ap.add_argument("--own-apcor", action="store_true",
                    help="Keep each source's own aperture correction instead of the average one.")
    ap.add_argument("--png-dir", type=Path, default=None, help="Write realism_<field>.png here.")
    ap.add_argument("--json", type=Path, default=None, help="Write the results as JSON.")
    ap.add_argument("--combine", nargs="+", default=None, metavar="JSON[:FIELDS]",
                    help="Simulate nothing: pool the per-seed results of these saved runs field by field "
                         "(e.g. seeds 1-3 and 4-6; FILE:f1,f2 takes only those fields of FILE) and print "
                         "each rule's mean difference.")
    args = ap.parse_args()
    args.fields = field_names(args.fields, ap)
    if args.combine:
        inputs = {Path(str(a).rsplit(":", 1)[0] if ".json:" in str(a) else a).resolve() for a in args.combine}
        if args.json and args.json.resolve() in inputs:
            raise SystemExit(f"error: --json {args.json} is one of the --combine inputs; it would be overwritten")
        pooled = pool_saved(args.combine, args.tolerance)
        for res in pooled:
            print(f"\n== {res['field']}, seeds {res['seeds']}: "
                  f"{sum(m['inside'] for m in res['medians'])} of {len(res['medians'])} medians inside")
            for x in res["ladder"]:
                print(f"{x['task']:7s} {x['rule']:9s} {x['diff']:+5.1f} ± {x['diff_se']:.1f}  "
                      f"{'yes' if x['within'] else 'NO'}")
        n_in = sum(x["within"] for r in pooled for x in r["ladder"])
        n_med = sum(m["inside"] for r in pooled for m in r["medians"])
        print(f"\nall fields: {n_med} of {sum(len(r['medians']) for r in pooled)} medians inside; {n_in} of "
              f"{sum(len(r['ladder']) for r in pooled)} rules within {args.tolerance:g} points (mean over seeds)")
        if args.json:  # whole or not at all
            tmp = args.json.with_name(args.json.name + ".tmp")
            tmp.write_text(json.dumps(pooled, indent=1))
            tmp.replace(args.json)
        return
    if not LEGUS.is_dir():
        raise SystemExit(f"real LEGUS catalogues not found at {LEGUS}")
    results = []
    for name in args.fields:
        res = run_field(name, args)
        report(res, args.tolerance)
        if args.png_dir:
            figure(res, args.png_dir / f"realism_{name}.png")
        res.pop("_arrays")
        results.append(res)
        if args.json:  # written after every field, so a long run leaves what it has
            args.json.write_text(json.dumps(results, indent=1))
    n_med = sum(sum(m["inside"] for m in r["medians"]) for r in results)
    n_in = sum(sum(x["within"] for x in r["ladder"]) for r in results)
    n_iv = sum(sum(x["within_interval"] for x in r["ladder"]) for r in results)
    n_all = sum(len(r["ladder"]) for r in results)
    print(f"\nall fields: {n_med} of {sum(len(r['medians']) for r in results)} medians inside; {n_in} of {n_all} "
          f"rules within {args.tolerance:g} points (mean over seeds), {n_iv} within {args.tolerance:g} of the "
          "real interval")


if __name__ == "__main__":
    main()
