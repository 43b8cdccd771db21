"""Figures of the simulated volunteers and of the expert / consensus / single-band comparison.

Left and middle: a galaxy-cluster sample with volunteers (``starclass simulate --preset
galaxy-cluster --volunteers 10``, seed 1): each volunteer's skill (mean of sensitivity and
specificity) against the weight their gold-set agreement earns, and the unweighted vote
fraction for "cluster" per expert class. Right: accuracy and AUC with 95 % bootstrap
intervals from the JSON of ``benchmarks/seeds_volunteers.py``.

    nice -n 10 python benchmarks/seeds_volunteers_figure.py \\
        --results benchmarks/results_seeds_volunteers_2026-12-01.json --out docs/img/seed_volunteers.png
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from starclass.simulate.seed_presets import write_seed_preset
from starclass.simulate.xray_candidates import EXPERT_CLASSES

RUN_NAMES = {"expert_both": "expert labels,\nX-ray + optical",
             "consensus_both": "volunteer consensus,\nX-ray + optical",
             "expert_xray_only": "expert labels,\nX-ray only", "expert_optical_only": "expert labels,\noptical only"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, required=True, help="JSON of benchmarks/seeds_volunteers.py.")
    ap.add_argument("--out", type=Path, required=True, help="PNG to write.")
    ap.add_argument("--n", type=int, default=200, help="Candidates of the volunteer sample.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        # 32 px: only the labels are used here, and the images cost the time
        labels, _ = write_seed_preset("galaxy-cluster", Path(d) / "gc", n=args.n, size=32, seed=1, volunteers=10)
        with open(labels, newline="") as fh:
            rows = list(csv.DictReader(fh))
        info = json.loads((Path(d) / "gc" / "simulation.json").read_text())["volunteers"]
    res = json.loads(args.results.read_text())

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.3))
    skill = (np.array(info["sensitivity"]) + np.array(info["specificity"])) / 2
    ax = axes[0]
    ax.scatter(skill, info["weights"], s=18)
    ax.set_xlabel("volunteer skill (mean of sensitivity and specificity)")
    ax.set_ylabel("gold-set weight log(a / (1 - a))")
    ax.set_title(f"{info['pool']} volunteers, {int(round(info['gold_fraction'] * 100))} % gold candidates")

    ax = axes[1]
    vf = np.array([float(r["vote_fraction"]) for r in rows])
    ex = np.array([int(r["expert"]) for r in rows])
    bins = np.linspace(0, 1, 12)
    for e, name in EXPERT_CLASSES.items():
        if (ex == e).any():
            ax.hist(vf[ex == e], bins=bins, histtype="step", lw=2, density=True, label=f"{name} ({(ex == e).sum()})")
    ax.set_xlabel("fraction of 10 volunteers voting cluster")
    ax.set_ylabel("density")
    ax.set_title(f"consensus = experts' binary label: {info['consensus_agrees_with_experts']:.2f} "
                 f"(majority {info['majority_agrees_with_experts']:.2f})", fontsize=10)
    ax.legend(fontsize=8)

    ax = axes[2]
    names = [k for k in RUN_NAMES if k in res]
    x = np.arange(len(names))
    for off, metric, colour in ((-0.15, "accuracy", "C0"), (0.15, "auc", "C1")):
        v = np.array([res[k][metric] for k in names])
        ax.errorbar(x + off, v[:, 0], yerr=[v[:, 0] - v[:, 1], v[:, 2] - v[:, 0]], fmt="o", color=colour,
                    capsize=4, label=metric.upper() if metric == "auc" else metric)
    ax.set_xticks(x, [RUN_NAMES[k] for k in names], fontsize=8)
    ax.set_ylabel("on the test set, against expert labels")
    ax.set_title(f"galaxy-cluster-compact, train {res['sizes']['n_train']}, test {res['sizes']['n_test']}",
                 fontsize=10)
    ax.set_ylim(0.4, 1.0)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=110)
    print("written", args.out)


if __name__ == "__main__":
    main()
