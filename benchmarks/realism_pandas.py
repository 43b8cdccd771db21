"""Do simulated PAndAS-like cutouts look like the real ones, class by class?

Measures :func:`starclass.stamps.morphology.cutout_statistics` (pixel values, background level
and noise, concentration, asymmetry, ellipticity, r50, Gini) on every cutout of the real folder
(``shared/data/pandas-m31``) and of a simulated one (``starclass simulate OUT --preset
pandas-cutouts``; made here when ``--sim`` does not exist), prints per label the two-sample
Kolmogorov-Smirnov distance (:func:`scipy.stats.ks_2samp`) and the medians of each statistic,
writes the table as JSON and Markdown, and draws side-by-side galleries (8 real and 8 simulated
cutouts per label) as one PNG.

    PYTHONPATH=src python benchmarks/realism_pandas.py --real ../shared/data/pandas-m31 \\
        --sim /tmp/sim_pandas --n 869 --seed 1 [--per-label 200] \\
        [--json docs/img/real_images/realism_pandas.json] [--png docs/img/real_images/realism_pandas.png]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import ks_2samp

from starclass.io.atomic import atomic_path
from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts
from starclass.stamps.morphology import folder_statistics, read_cutout

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "pandas-m31"
#: The statistics compared (``flag``, ``m20`` and ``smoothness`` are left out: the default
#: photutils engine does not measure the last two).
COMPARED = ("pix_mean", "pix_median", "pix_std", "pix_p90", "frac_saturated", "bkg_level",
            "bkg_noise", "concentration", "asymmetry", "ellipticity", "r50", "gini")
LABELS = ("cluster", "extended_cluster", "galaxy")


def ks_table(real, sim, labels=LABELS, stats=COMPARED) -> dict:
    """Per label and statistic: KS distance, p-value, sample sizes and medians."""
    out: dict = {}
    for lab in labels:
        r = real[real["label"] == lab]
        s = sim[sim["label"] == lab]
        out[lab] = {}
        for k in stats:
            a = np.asarray(r[k], dtype=float)
            b = np.asarray(s[k], dtype=float)
            a, b = a[np.isfinite(a)], b[np.isfinite(b)]
            if len(a) < 2 or len(b) < 2:
                continue
            res = ks_2samp(a, b)
            out[lab][k] = {"ks": float(res.statistic), "p": float(res.pvalue), "n_real": len(a),
                           "n_sim": len(b), "median_real": float(np.median(a)),
                           "median_sim": float(np.median(b))}
    return out


def markdown(table: dict, stats=COMPARED) -> str:
    """The KS table as Markdown: one row per statistic, one column per label."""
    labs = [lab for lab in table if table[lab]]
    head = "| statistic | " + " | ".join(
        f"{lab} KS (n real/sim) | median real / sim" for lab in labs) + " |"
    sep = "|---|" + "---|---|" * len(labs)
    lines = [head, sep]
    for k in stats:
        cells = []
        for lab in labs:
            e = table[lab].get(k)
            if e is None:
                cells += ["-", "-"]
                continue
            mark = "**" if e["ks"] > 0.2 else ""
            cells += [f"{mark}{e['ks']:.3f}{mark} ({e['n_real']}/{e['n_sim']})",
                      f"{e['median_real']:.3g} / {e['median_sim']:.3g}"]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gallery(real_dir: Path, real, sim_dir: Path, sim, path: Path, per=8, seed=0) -> Path:
    """Rows of ``per`` real and ``per`` simulated cutouts for each label."""
    rng = np.random.default_rng(seed)
    labs = [lab for lab in LABELS if (real["label"] == lab).any() and (sim["label"] == lab).any()]
    fig, axes = plt.subplots(2 * len(labs), per, figsize=(per * 1.3, 2 * len(labs) * 1.4))
    for i, lab in enumerate(labs):
        for j, (root, t, name) in enumerate(((real_dir, real, "real"), (sim_dir, sim, "sim"))):
            files = list(t[t["label"] == lab]["file"])
            pick = rng.choice(len(files), size=min(per, len(files)), replace=False)
            for c in range(per):
                ax = axes[2 * i + j, c]
                ax.axis("off")
                if c < len(pick):
                    ax.imshow(read_cutout(root / files[pick[c]]), cmap="gray", origin="lower",
                              vmin=0, vmax=255)
                if c == 0:
                    ax.set_title(f"{name} {lab}", fontsize=7, loc="left")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=80)
    plt.close(fig)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL)
    ap.add_argument("--sim", type=Path, required=True, help="simulated folder (made if absent)")
    ap.add_argument("--n", type=int, default=869, help="cutouts to simulate when --sim is absent")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-label", type=int, default=None, help="at most this many cutouts per label")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    if not (args.real / "labels.csv").exists():
        raise SystemExit(f"real folder not found at {args.real} (pass --real)")
    t0 = time.time()
    if not (args.sim / "labels.csv").exists():
        write_cutouts(CutoutSimConfig(n=args.n, seed=args.seed), args.sim)
        print(f"simulated {args.n} cutouts into {args.sim} in {time.time() - t0:.0f} s")
    t1 = time.time()
    real = folder_statistics(args.real, per_label=args.per_label, seed=0)
    sim = folder_statistics(args.sim, per_label=args.per_label, seed=0)
    print(f"statistics of {len(real)} real + {len(sim)} simulated cutouts in {time.time() - t1:.0f} s")
    table = ks_table(real, sim)
    md = markdown(table)
    print(md)
    worst = max(((e["ks"], lab, k) for lab in ("cluster", "galaxy") for k, e in table[lab].items()),
                default=None)
    if worst:
        print(f"largest KS distance (cluster, galaxy): {worst[0]:.3f} ({worst[1]}, {worst[2]})")
    if args.json:
        with atomic_path(args.json) as tmp:
            tmp.write_text(json.dumps({"command_args": vars(args) | {"real": str(args.real), "sim": str(args.sim),
                                                                     "json": str(args.json), "png": str(args.png)},
                                       "table": table}, indent=1))
        print(f"json: {args.json}")
    if args.png:
        print(f"gallery: {gallery(args.real, real, args.sim, sim, args.png)}")


if __name__ == "__main__":
    main()
