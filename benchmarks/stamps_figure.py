"""Figure for docs/stamps.md: one simulated candidate of each class as the models see it.

Rows: classes 1-4 (truth of a simulated HST field). Columns: the F555W stamp at 1x, 1.6x and
3.2x (z-score, StarcNet geometry), the asinh stretch at 1x, and the zeropoint-weighted RGB
composite (blue = F275W + F336W, green = F438W, red = F555W + F814W).

Usage::

    .venv/bin/python benchmarks/stamps_figure.py [-o docs/img/stamps/classes.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from starclass.schema import CLASS_REF, mag_true_col


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", type=Path, default=Path("docs/img/stamps/classes.png"))
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from starclass.simulate.config import preset
    from starclass.simulate.field import simulate_field
    from starclass.stamps import InputSpec, make_inputs

    field = simulate_field(preset("hst", seed=args.seed, shape=(600, 600), n_candidates=150))
    mos = field.mosaics()
    truth = field.truth
    bands = list(field.config.bands)
    v = bands.index("f555w")
    rows = []
    for k in (1, 2, 3, 4):
        sel = np.flatnonzero(np.asarray(truth[CLASS_REF]) == k)
        if sel.size == 0:
            continue
        mags = np.asarray(truth[mag_true_col(bands[v])])[sel]
        rows.append((k, sel[np.argsort(mags)[min(2, sel.size - 1)]]))
    x = np.asarray(truth["x"])[[r[1] for r in rows]]
    y = np.asarray(truth["y"])[[r[1] for r in rows]]
    zs, _ = make_inputs(mos, x, y, InputSpec(bands=tuple(bands), scales=(1.0, 1.6, 3.2), normalisation="zscore"))
    ash, _ = make_inputs(mos, x, y, InputSpec(bands=tuple(bands), normalisation="asinh", softening=3.0))
    rgb, _ = make_inputs(mos, x, y, InputSpec(bands=tuple(bands), normalisation="rgb"))
    nb = len(bands)
    fig, axes = plt.subplots(len(rows), 5, figsize=(10, 2.1 * len(rows)))
    titles = ["F555W 1x (z)", "F555W 1.6x (z)", "F555W 3.2x (z)", "F555W asinh", "RGB (zp-weighted)"]
    for r, (k, _) in enumerate(rows):
        panels = [zs[r, v], zs[r, nb + v], zs[r, 2 * nb + v], ash[r, v]]
        for c, img in enumerate(panels):
            lo, hi = np.percentile(img, [1, 99.5])
            axes[r, c].imshow(img, origin="lower", cmap="gray", vmin=lo, vmax=hi)
        col = np.moveaxis(rgb[r], 0, -1)
        col = np.arcsinh(np.clip(col, 0, None) / 3.0)
        col = col / max(col.max(), 1e-6)
        axes[r, 4].imshow(col, origin="lower")
        axes[r, 0].set_ylabel(f"class {k}")
        for c in range(5):
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
            if r == 0:
                axes[r, c].set_title(titles[c], fontsize=9)
    fig.suptitle("starclass.stamps: 32 px stamps of simulated candidates (0.04\"/px, 10 Mpc)", fontsize=10)
    fig.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=90)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
