"""Why do simulated cluster cutouts miss the real ones? Diagnostics behind ``docs/real_images.md``.

For one label (default ``cluster``) of a real and a simulated cutout folder, prints:

1. the statistics of ``benchmarks/realism_pandas.py`` binned by the border-frame noise in grey
   levels (``bkg_noise``): with a ZScale stretch, 255 / bkg_noise is the width of the stretch
   window in units of the background noise, so this separates "how wide is the window" from
   "what the object looks like at a given window";
2. the shape of the background: quantiles of the border-frame pixels in units of their
   sigma-clipped standard deviation, and the autocorrelation of the top 12 rows at lags 1, 2,
   4 and 8 px (sky noise is symmetric and correlated over the resampling kernel; crowded stellar
   backgrounds are skewed and correlated over the PSF);
3. how the ZScale limits sit on each cutout: the number of pixels at grey level 0 and the share
   of cutouts without any. :class:`astropy.visualization.ZScaleInterval` on the cutout itself
   sets the lower limit to the smallest of its ~1000 sampled pixels, so about 16 of 16384 pixels
   fall at 0 and never none;
4. the ZScale contrast implied by each cutout (:func:`implied_contrast`): ZScale run again on the
   8-bit cutout with contrast 1 gives median + (n/2) slope; divided by 255 - median it is the
   contrast that made the cutout, if ZScale made it from these pixels (about 0.24 for cutouts
   simulated with 0.25; ``docs/real_images.md``, third pass).

    PYTHONPATH=src python benchmarks/realism_clusters_diagnose.py --real ../shared/data/pandas-m31 \\
        --sim /tmp/sim_pandas [--label cluster] [--per-label 150] \\
        [--png docs/img/real_images/realism_clusters_window.png]

``--png`` draws 5 real and 5 simulated cutouts from three bins of ``bkg_noise`` (wide, middle
and narrow stretch windows), with the share of each folder in the bin.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from astropy.stats import sigma_clipped_stats
from astropy.visualization import ZScaleInterval

from starclass.io.atomic import atomic_path
from starclass.stamps.morphology import BORDER_PX, folder_statistics, read_cutout

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "pandas-m31"
NOISE_BINS = (0, 16, 19, 22, 25, 28, 31, 255)
SHOWN = ("pix_mean", "pix_p90", "gini", "frac_saturated", "bkg_level", "r50")


def binned_by_noise(t) -> list[str]:
    """Median of :data:`SHOWN` per ``bkg_noise`` bin, as text lines."""
    noise = np.asarray(t["bkg_noise"], dtype=float)
    lines = ["  bkg_noise   n  " + "  ".join(f"{k:>14s}" for k in SHOWN)]
    for lo, hi in zip(NOISE_BINS[:-1], NOISE_BINS[1:]):
        sel = (noise > lo) & (noise <= hi)
        if not sel.any():
            continue
        med = [np.nanmedian(np.asarray(t[k], dtype=float)[sel]) for k in SHOWN]
        lines.append(f"  ({lo:3d},{hi:3d}] {sel.sum():4d}  " + "  ".join(f"{m:14.3f}" for m in med))
    return lines


def background_shape(img: np.ndarray) -> np.ndarray:
    """Border-frame quantiles (1, 10, 25, 75, 90, 99 %) in sigma and the ACF at 1, 2, 4, 8 px."""
    a = img.astype(float)
    frame = np.ones(a.shape, dtype=bool)
    frame[BORDER_PX:-BORDER_PX, BORDER_PX:-BORDER_PX] = False
    _, med, sd = sigma_clipped_stats(a[frame], sigma=3.0, maxiters=5)
    sd = max(float(sd), 1e-6)
    q = (np.percentile(a[frame], [1, 10, 25, 75, 90, 99]) - med) / sd
    band = a[:BORDER_PX] - a[:BORDER_PX].mean()
    var = max(float(np.mean(band * band)), 1e-12)
    acf = [np.mean(band[:, :-k] * band[:, k:]) / var for k in (1, 2, 4, 8)]
    return np.r_[q, acf]


def implied_contrast(img: np.ndarray) -> float:
    """The ZScale contrast that stretched the 8-bit cutout ``img`` to 0-255, or NaN.

    ``ZScaleInterval(contrast=1)`` on the cutout gives an upper limit median + (n/2) slope
    (astropy's formula, the median of its ~1000 samples); the cutout's own upper limit is 255,
    so (limit - median) / (255 - median) is the contrast. NaN where ZScale's upper limit is
    the largest sample (no line fit, or the line above it): the slope is then unknown.
    """
    a = np.asarray(img, dtype=float)
    hi = ZScaleInterval(contrast=1.0).get_limits(a)[1]
    flat = a.ravel()
    samples = flat[::max(1, flat.size // 1000)][:1000]
    med = float(np.median(samples))
    if hi >= samples.max() or med >= 255:
        return float("nan")
    return float((hi - med) / (255.0 - med))


def window_gallery(tables: dict, roots: dict, path: Path, per: int = 5, seed: int = 0) -> Path:
    """Rows: bkg_noise bins (0,16], (22,25], (28,255]; columns: ``per`` real, ``per`` simulated."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = ((0, 16), (22, 25), (28, 255))
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(len(bins), 2 * per, figsize=(2 * per * 1.25, len(bins) * 1.45))
    for j, name in enumerate(("real", "sim")):
        t, root = tables[name], roots[name]
        noise = np.asarray(t["bkg_noise"], dtype=float)
        for i, (lo, hi) in enumerate(bins):
            idx = np.flatnonzero((noise > lo) & (noise <= hi))
            pick = rng.choice(idx, size=min(per, len(idx)), replace=False) if len(idx) else []
            for c in range(per):
                ax = axes[i, j * per + c]
                ax.axis("off")
                if c < len(pick):
                    ax.imshow(read_cutout(root / t["file"][pick[c]]), cmap="gray", origin="lower",
                              vmin=0, vmax=255)
                    head = f"{name} ({lo},{hi}]: {len(idx) / len(noise):.0%}\n" if c == 0 else "\n"
                    ax.set_title(f"{head}{name} bkg_noise {noise[pick[c]]:.0f}", fontsize=6)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=80)
    plt.close(fig)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL)
    ap.add_argument("--sim", type=Path, required=True, help="simulated folder with labels.csv")
    ap.add_argument("--label", default="cluster")
    ap.add_argument("--per-label", type=int, default=None)
    ap.add_argument("--png", type=Path, default=None, help="gallery by stretch-window width")
    args = ap.parse_args()
    for name, root in (("real", args.real), ("sim", args.sim)):
        if not (root / "labels.csv").exists():
            raise SystemExit(f"{name} folder not found at {root}")
    np.set_printoptions(precision=2, suppress=True, linewidth=160)
    tables, roots = {}, {"real": args.real, "sim": args.sim}
    for name, root in roots.items():
        t = tables[name] = folder_statistics(root, per_label=args.per_label, seed=0, labels=(args.label,))
        imgs = [read_cutout(root / f) for f in t["file"]]
        shape = np.array([background_shape(a) for a in imgs])
        n0 = np.array([(a == 0).sum() for a in imgs])
        print(f"== {name} {args.label}: {len(t)} cutouts")
        print("\n".join(binned_by_noise(t)))
        print("  border quantiles (1,10,25,75,90,99 %) in sigma:", np.nanmedian(shape[:, :6], axis=0))
        print("  border autocorrelation (1,2,4,8 px):          ", np.nanmedian(shape[:, 6:], axis=0))
        print(f"  pixels at 0: median {np.median(n0):.0f}, quartiles {np.percentile(n0, 25):.0f}-"
              f"{np.percentile(n0, 75):.0f}; cutouts with none: {np.mean(n0 == 0):.3f}")
        ic = np.array([implied_contrast(a) for a in imgs])
        print(f"  implied ZScale contrast: median {np.nanmedian(ic):.3f}, 10/90 % "
              f"{np.nanpercentile(ic, 10):.3f}/{np.nanpercentile(ic, 90):.3f} ({np.isfinite(ic).sum()} cutouts)")
    if args.png:
        print(f"gallery: {window_gallery(tables, roots, args.png)}")


if __name__ == "__main__":
    main()
