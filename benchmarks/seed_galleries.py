"""Gallery figures of the three seed-paper simulators (docs/seed_simulators.md).

Run from the repository root (reproject must be importable for the galaxy-cluster panel):

    nice -n 10 python benchmarks/seed_galleries.py --out docs/img

Writes ``seed_coolcore_gallery.png`` (X-ray images per class, log stretch) with the mean
surface-brightness profile per class, ``seed_galaxy_cluster_gallery.png`` (X-ray and optical on
the common grid per expert class) and ``seed_open_globular_gallery.png`` (RGB plates).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from starclass.science.gradcam import radial_profile
from starclass.simulate.coolcore import CLASS_NAMES as CC_NAMES
from starclass.simulate.coolcore import CoolCoreSimConfig, simulate_cluster
from starclass.simulate.star_clusters_dss import DSSSimConfig, simulate_plate_cutout
from starclass.simulate.xray_candidates import EXPERT_CLASSES, CandidateSimConfig, simulate_candidate


def coolcore(out: Path, per_class: int = 4, n: int = 90) -> None:
    cfg = CoolCoreSimConfig(seed=1)
    by = {1: [], 2: [], 3: []}
    profiles = {1: [], 2: [], 3: []}
    for i in range(n):
        img, t = simulate_cluster(cfg, i)
        by[t["label"]].append((img, t))
        r, p = radial_profile(img)
        profiles[t["label"]].append(p)
    fig, axes = plt.subplots(3, per_class + 1, figsize=(2.2 * (per_class + 1), 6.8))
    for row, c in enumerate((1, 2, 3)):
        for j in range(per_class):
            ax = axes[row, j]
            ax.axis("off")
            if j < len(by[c]):
                img, t = by[c][j]
                ax.imshow(np.log10(1 + img), cmap="magma", origin="lower")
                ax.set_title(f"{CC_NAMES[c]} t={t['tcool_gyr']:.2g} Gyr" + (" merger" if t["merger"] else ""),
                             fontsize=7)
        ax = axes[row, per_class]
        for c2 in (1, 2, 3):
            if profiles[c2]:
                ax.loglog(r * cfg.pixel_kpc, np.median(profiles[c2], axis=0), label=CC_NAMES[c2])
        ax.set_xlabel("R [kpc]", fontsize=7)
        ax.set_ylabel("counts / px", fontsize=7)
        ax.tick_params(labelsize=6)
        if row == 0:
            ax.legend(fontsize=6)
    counts = {CC_NAMES[c]: len(v) for c, v in by.items()}
    fig.suptitle(f"cool-core simulator: 256 px at 3.9\"/px (1 Mpc), {n} clusters: {counts}", fontsize=9)
    fig.tight_layout()
    fig.savefig(out / "seed_coolcore_gallery.png", dpi=90)
    plt.close(fig)


def galaxy_clusters(out: Path) -> None:
    cfg = CandidateSimConfig(seed=2)
    fig, axes = plt.subplots(2, 5, figsize=(12, 5.2))
    for j, e in enumerate(EXPERT_CLASSES):
        imgs, t = simulate_candidate(cfg, 100 + j, e)
        axes[0, j].imshow(np.log10(1 + gauss(imgs["xray"])), cmap="viridis", origin="lower")
        axes[0, j].set_title(f"{EXPERT_CLASSES[e]}" + (f" z={t['z']:.2f}" if t["z"] else ""), fontsize=8)
        lo, hi = np.percentile(imgs["optical"], [1, 99.7])
        axes[1, j].imshow(imgs["optical"], cmap="gray_r", origin="lower", vmin=lo, vmax=hi)
        for ax in axes[:, j]:
            ax.axis("off")
    axes[0, 0].text(-0.1, 0.5, "X-ray (XMM-like)", transform=axes[0, 0].transAxes, rotation=90, va="center")
    axes[1, 0].text(-0.1, 0.5, "optical (DSS2 R)", transform=axes[1, 0].transAxes, rotation=90, va="center")
    fig.suptitle("galaxy-cluster candidates: 7' fields, optical reprojected onto the X-ray grid (2.5\"/px)",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(out / "seed_galaxy_cluster_gallery.png", dpi=90)
    plt.close(fig)


def gauss(img):
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(img, 1.0)


def open_globular(out: Path, per_class: int = 6) -> None:
    cfg = DSSSimConfig(seed=3, label_noise=0.0)
    fig, axes = plt.subplots(2, per_class, figsize=(2.1 * per_class, 4.6))
    for row, kind in enumerate((1, 2)):
        for j in range(per_class):
            img, t = simulate_plate_cutout(cfg, 10 * kind + j, kind)
            axes[row, j].imshow(img, origin="lower")
            axes[row, j].set_title(f"{'open' if kind == 1 else 'globular'} b={t['gal_b_deg']:.0f} "
                                   f"d={t['distance_kpc']:.1f}kpc", fontsize=7)
            axes[row, j].axis("off")
    fig.suptitle("open vs globular clusters on DSS2-like plates (RGB = I_N, R_F, B_J; 224\" fields)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out / "seed_open_globular_gallery.png", dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    open_globular(args.out)
    galaxy_clusters(args.out)
    coolcore(args.out)
    print("written", *sorted(p.name for p in args.out.glob("seed_*gallery.png")))
