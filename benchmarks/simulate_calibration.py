"""How hard is a simulated field for naive catalogue rules, next to the real LEGUS catalogue?

Simulates a field with the ``ngc1566`` preset (17.9 Mpc, LEGUS-like class mix), measures the
photometry at the truth positions (``starclass.detect.measure``), keeps a LEGUS-like selection
(CI >= 1.35), and scores three naive rules with spatial 5-fold CV against truth and against the
simulated human mode; the same rules are scored on the real LEGUS NGC 1566 catalogue against
its final (hybrid human / ML) labels, and everything is printed side by side.

    .venv/bin/python benchmarks/simulate_calibration.py [--legus PATH] [--seed 5] [--size 2048]
        [--n-candidates 2500] [--out docs/simulator_calibration.md]

Timing is not the point here; the machine may be shared.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--legus", type=Path, default=DEFAULT_LEGUS, help="LEGUS NGC 1566 .tab catalogue")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--n-candidates", type=int, default=2500)
    ap.add_argument("--ci-min", type=float, default=1.35)
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    args = ap.parse_args()

    from starclass.io.catalog import read_legus_tab
    from starclass.simulate import preset, simulate_field
    from starclass.simulate.calibration import calibrate_field, rule_scores, summary_text

    real = None
    if args.legus.exists():
        legus = read_legus_tab(args.legus)
        lab = np.asarray(legus[CLASS_REF], dtype=int)
        real = rule_scores(legus, lab)
        print(f"real LEGUS NGC 1566: {real['n']} human-classified candidates")
    else:
        print(f"(no real catalogue at {args.legus}: real-data column left out)")

    t0 = time.time()
    cfg = preset("ngc1566", seed=args.seed, shape=(args.size, args.size), n_candidates=args.n_candidates)
    field = simulate_field(cfg)
    t1 = time.time()
    result = calibrate_field(field.mosaics(), field.truth, field.humans, ci_min=args.ci_min)
    t2 = time.time()
    text = summary_text(result, real)
    print(f"simulated {args.size} x {args.size}, {args.n_candidates} candidates, seed {args.seed}: "
          f"simulation {t1 - t0:.0f} s, measurement + rules {t2 - t1:.0f} s (shared machine)")
    print(text)
    if real is not None:
        print("\nwithin 10 points of the real score (vs human mode):")
        for task in ("4class", "binary"):
            for rule in ("ci_tree", "tree3", "gbm"):
                d = 100 * (result["vs_humans"][task][rule] - real[task][rule])
                print(f"  {task:7s} {rule:8s} sim - real = {d:+5.1f}  {'ok' if abs(d) <= 10 else 'OUT'}")
    if args.out:
        args.out.write_text("# Simulator calibration (benchmarks/simulate_calibration.py)\n\n" + text + "\n")


if __name__ == "__main__":
    main()
