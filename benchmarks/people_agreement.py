"""How often the simulated people agree, per field preset (issue 17: honest people for every task).

For each preset, a few fields' labels (``simulate_labels``: truth and people, no images) pooled:
the classes the people voted, the mean pairwise agreement over four classes and on clusters
(1 + 2) against the rest, each person's binary agreement with the mode and with the truth.
The documented LEGUS figures (StarcNet paper, seed 001, section 4 and Figure 3) are 57.3 % and
78.1 % pairwise, 75.0 % and 87.2 % person-to-mode. ``m31``'s people vote its task's classes
(1, 2, 4) and are set to the binary pairwise figure (``simulate.config.M31_HUMAN_NOISE``).

Run (about a minute on the loaded 2-core machine)::

    nice .venv/bin/python benchmarks/people_agreement.py
    nice .venv/bin/python benchmarks/people_agreement.py --presets m31 --shape 2048 --n 3000 --seeds 1,2,3,4,5,6

Reads nothing but the simulator; prints a table (and ``--json`` writes it).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def measure(name: str, seeds: list[int], shape: int, n: int) -> dict:
    """Pooled agreement figures of one preset's simulated people."""
    from starclass.simulate.config import preset
    from starclass.simulate.field import simulate_labels
    from starclass.simulate.humans import agreement_stats

    votes, truth = [], []
    for seed in seeds:
        t, h = simulate_labels(preset(name, seed=seed, shape=(shape, shape), n_candidates=n))
        votes.append(np.column_stack([h[c] for c in h.colnames if c.startswith("class_h")]))
        truth.append(np.asarray(t["class_ref"]))
    v, t = np.concatenate(votes), np.concatenate(truth)
    s = agreement_stats(v)
    return {"preset": name, "n": int(len(t)), "truth_classes": sorted(np.unique(t).tolist()),
            "voted_classes": sorted(np.unique(v).tolist()),
            "pair_4class": round(s["pair_4class"], 3), "pair_binary": round(s["pair_binary"], 3),
            "mode_binary": round(s["mode_binary"], 3),
            "truth_binary": round(float(np.mean((v <= 2) == (t[:, None] <= 2))), 3)}


def main() -> None:
    from starclass.simulate.config import PRESETS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", default=",".join(PRESETS), help="comma-separated field presets")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--shape", type=int, default=1024, help="field side (px)")
    ap.add_argument("--n", type=int, default=750,
                    help="candidates per field (750 on 1024 px: the presets' default density, 3000 on 2048 px)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = [measure(p.strip(), seeds, args.shape, args.n) for p in args.presets.split(",") if p.strip()]
    print(f"# simulated people, seeds {seeds}, {args.n} candidates on {args.shape} x {args.shape} px each "
          "(LEGUS: pair 57.3 / 78.1 %, person-mode 87.2 % binary)")
    print(f"{'preset':10s} {'truth':10s} {'voted':10s} {'pair4':>6s} {'pair2':>6s} {'mode2':>6s} {'truth2':>6s}")
    for r in rows:
        print(f"{r['preset']:10s} {','.join(map(str, r['truth_classes'])):10s} "
              f"{','.join(map(str, r['voted_classes'])):10s} {r['pair_4class']:6.3f} {r['pair_binary']:6.3f} "
              f"{r['mode_binary']:6.3f} {r['truth_binary']:6.3f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
