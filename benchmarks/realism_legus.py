"""Does a simulated field look like the real LEGUS NGC 1566 catalogue, class by class?

Simulates a field at NGC 1566's distance (``ngc1566`` preset, 17.9 Mpc), runs
``starclass.detect.detect`` with a LEGUS-like selection (CI >= 1.35, m_V <= 24.5), cross-matches
the detections with the truth within 2 px of its position or centre of light (class = the simulated
human mode, as the real catalogue's class is its human mode), and compares per class the distributions of CI, m_V,
U-B and V-I with the real catalogue: medians, inter-quartile ranges, two-sample KS statistics,
and histograms side by side (``docs/img/simulator/realism_legus.png``). A simulated class
median is "ok" when it falls inside the real inter-quartile range of that class.

    .venv/bin/python benchmarks/realism_legus.py [--legus PATH] [--seed 5] [--size 3072]
        [--n-candidates 5600] [--avg-apcor] [--png docs/img/simulator/realism_legus.png]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from starclass.schema import CLASS_REF

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEGUS = (ROOT.parent / "shared" / "data" / "legus"
                 / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab")
QUANTITIES = ("ci", "mag_v", "u_b", "v_i")
#: x-axis labels of the figure: the filters in parentheses, the unit in square brackets (as in the
#: report figures).
LABELS = {"ci": "CI [mag]", "mag_v": "m_V (F555W) [mag]", "u_b": "U-B (F336W-F438W) [mag]",
          "v_i": "V-I (F555W-F814W) [mag]"}
RANGES = {"ci": (1.2, 2.6), "mag_v": (19.5, 25.5), "u_b": (-2.5, 1.5), "v_i": (-1.0, 2.5)}


def quantities(t) -> dict[str, np.ndarray]:
    def c(name):
        return np.asarray(t[name], dtype=float)

    return {"ci": c("ci"), "mag_v": c("mag_f555w"), "u_b": c("mag_f336w") - c("mag_f438w"),
            "v_i": c("mag_f555w") - c("mag_f814w")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--legus", type=Path, default=DEFAULT_LEGUS)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--size", type=int, default=3072)
    ap.add_argument("--n-candidates", type=int, default=5600)
    ap.add_argument("--ci-min", type=float, default=1.35)
    ap.add_argument("--mag-limit", type=float, default=24.5)
    ap.add_argument("--label", choices=("humans", "truth"), default="humans")
    ap.add_argument("--avg-apcor", action="store_true",
                    help="one median aperture correction for every source, as the real 'avgapcor' catalogue "
                         "(realism_fields.average_aperture_correction); default: each source's own correction")
    ap.add_argument("--png", type=Path, default=ROOT / "docs" / "img" / "simulator" / "realism_legus.png")
    args = ap.parse_args()

    from scipy.stats import ks_2samp

    from starclass.detect import detect
    from starclass.detect.match import match_truth
    from starclass.io.catalog import read_legus_tab
    from starclass.simulate import preset, simulate_field

    if not args.legus.exists():
        raise SystemExit(f"real LEGUS catalogue not found at {args.legus} (pass --legus)")
    real = read_legus_tab(args.legus)
    real = real[np.isin(np.asarray(real[CLASS_REF]), [1, 2, 3, 4])]
    rq = quantities(real)
    rc = np.asarray(real[CLASS_REF], dtype=int)

    t0 = time.time()
    cfg = preset("ngc1566", seed=args.seed, shape=(args.size, args.size), n_candidates=args.n_candidates)
    field = simulate_field(cfg)
    t1 = time.time()
    mosaics = field.mosaics()
    if args.avg_apcor:
        # the magnitude cut must see the magnitudes as the real catalogue measured them, so it
        # comes after the correction is replaced
        from realism_fields import average_aperture_correction

        found = detect(mosaics, ci_min=args.ci_min, progress=False)
        found, _ = average_aperture_correction(found, mosaics)
        mv = np.asarray(found["mag_f555w"], dtype=float)
        found = found[np.isfinite(mv) & (mv <= args.mag_limit)]
    else:
        found = detect(mosaics, ci_min=args.ci_min, mag_limit=args.mag_limit, progress=False)
    t2 = time.time()
    # at the truth's position or its centre of light, as every other pairing with a simulated truth (match_truth;
    # until 2026-12-07 at the position only)
    ib, ia, _ = match_truth(field.truth, found, radius=2.0)
    labels = np.asarray((field.humans if args.label == "humans" else field.truth)[CLASS_REF], dtype=int)
    sim = found[ia]
    sc = labels[ib]
    sq = quantities(sim)
    print(f"simulated {args.size}^2 px, {args.n_candidates} candidates at 17.9 Mpc (seed {args.seed}) in "
          f"{t1 - t0:.0f} s; detect found {len(found)} passing CI >= {args.ci_min}, m_V <= {args.mag_limit} "
          f"in {t2 - t1:.0f} s; {len(sim)} match a candidate (class = simulated {args.label} mode)")
    print(f"class counts sim {np.bincount(sc, minlength=5)[1:].tolist()}  "
          f"real {np.bincount(rc, minlength=5)[1:].tolist()}")
    print()
    print(f"{'quantity':8s} {'class':>5s} {'sim median':>10s} {'real median':>11s} {'real IQR':>15s} "
          f"{'KS D':>6s} {'p':>8s}  inside IQR")
    n_ok = n_all = 0
    for q in QUANTITIES:
        for k in (1, 2, 3, 4):
            a = sq[q][(sc == k) & np.isfinite(sq[q])]
            b = rq[q][(rc == k) & np.isfinite(rq[q])]
            if len(a) < 5:
                print(f"{q:8s} {k:5d}   too few simulated ({len(a)})")
                continue
            med = np.median(a)
            lo, mid, hi = np.percentile(b, [25, 50, 75])
            ks = ks_2samp(a, b)
            ok = lo <= med <= hi
            n_ok += ok
            n_all += 1
            print(f"{q:8s} {k:5d} {med:10.2f} {mid:11.2f} {lo:7.2f}..{hi:6.2f} {ks.statistic:6.2f} "
                  f"{ks.pvalue:8.1e}  {'yes' if ok else 'NO'}")
    print(f"\n{n_ok} of {n_all} simulated class medians inside the real inter-quartile range")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(4, 4, figsize=(13, 10))
    for r, q in enumerate(QUANTITIES):
        bins = np.linspace(*RANGES[q], 36)
        for k in (1, 2, 3, 4):
            ax = axes[r, k - 1]
            b = rq[q][(rc == k) & np.isfinite(rq[q])]
            a = sq[q][(sc == k) & np.isfinite(sq[q])]
            ax.hist(np.clip(b, *RANGES[q]), bins=bins, density=True, histtype="stepfilled", alpha=0.4,
                    color="k", label=f"LEGUS NGC 1566 ({len(b)})")
            ax.hist(np.clip(a, *RANGES[q]), bins=bins, density=True, histtype="step", lw=1.6, color="C3",
                    label=f"simulated ({len(a)})")
            if len(a) >= 5:
                ax.set_title(f"class {k}: KS D = {ks_2samp(a, b).statistic:.2f}", fontsize=9)
            ax.set_xlabel(LABELS[q], fontsize=8)
            ax.tick_params(labelsize=7)
            ax.legend(fontsize=6)
    fig.suptitle("Simulated field at 17.9 Mpc (detect, CI >= 1.35) vs real LEGUS NGC 1566, per human class",
                 fontsize=11)
    fig.tight_layout()
    args.png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.png, dpi=80)
    print(f"figure: {args.png}")


if __name__ == "__main__":
    main()
