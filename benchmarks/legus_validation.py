"""Validate the science code on the real LEGUS NGC 1566 catalogue; write docs/img/legus/*.png.

Usage (from the project root):

    .venv/bin/python benchmarks/legus_validation.py [path/to/legus.tab] [--out docs/img/legus]

Prints the tables of docs/legus_validation.md (markdown) and writes its figures. Reads the
catalogue from ../shared/data/legus by default (this script, not the package, knows that path).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from starclass.schema import CLASS_REF, bands_in

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = (ROOT.parent / "shared" / "data" / "legus"
           / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab")


def md(table, floatfmt: str = ".2f") -> str:
    cols = table.colnames
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in table:
        cells = []
        for c in cols:
            v = r[c]
            if np.ma.is_masked(v):
                cells.append("—")
            elif isinstance(v, (float, np.floating)):
                cells.append(format(float(v), floatfmt) if np.isfinite(v) else "—")
            else:
                cells.append(str(v))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "legus"))
    args = ap.parse_args()
    t0 = time.time()

    from starclass.io.catalog import read_catalog
    from starclass.report import figures as F
    from starclass.science import colour
    from starclass.science import validation as V
    from starclass.science.agefunc import age_distribution
    from starclass.science.massfunc import catalog_mass_kind, fit_powerlaw_binned, mass_completeness, mass_limit
    from starclass.science.ssp import ssp_track

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t = read_catalog(args.path)
    checks = V.legus_ngc1566_checks(t)
    for name, tab in checks.items():
        print(f"\n### {name}\n")
        print(md(tab, ".3f" if name == "hybrid_agreement" else ".2f"))
        if name == "hybrid_agreement" and "class_ref_follows_method" in tab.meta:
            for flags, (n, same) in tab.meta["class_ref_follows_method"].items():
                print(f"class_ref equals the column of method flag {flags}: {same}/{n}")

    # colour-colour per class, M_V < -7.8 at 17.7 Mpc
    lim = -7.8 + colour.distance_modulus(V.DISTANCE_MPC)
    ub, vi, v = colour.colours(t)
    cls = np.asarray(t[CLASS_REF], int)
    bright = np.isfinite(v) & (v < lim)
    track = ssp_track(bands_in(t))
    panels = [(f"class {k}", ub[bright & (cls == k)], vi[bright & (cls == k)]) for k in (1, 2, 3, 4)]
    F.save_png(F.fig_colour_colour(panels, track, f"LEGUS NGC 1566, m_V < {lim:.2f} (M_V < -7.8)"),
               out / "colour_colour.png", overwrite=True)

    # box counts: ours vs published
    import matplotlib.pyplot as plt

    bc = checks["boxes"]
    fig, axes = plt.subplots(1, 5, figsize=(15, 3.2), sharey=False)
    for ax, g in zip(axes, ("1", "2", "3", "4", "1+2")):
        sel = bc["class"] == g
        x = np.arange(1, 5)
        ax.bar(x - 0.18, bc["n"][sel], width=0.36, label="starclass (LEGUS photometry)")
        ax.bar(x + 0.18, bc["n_published"][sel], width=0.36, label="PHANGS Table 2, LEGUS column")
        labels = [f"box {k}\nQR {q:.1f}" if not np.ma.is_masked(q) else f"box {k}\n(n<12)"
                  for k, q in zip(x, bc["qr"][sel])]
        ax.set_xticks(x, labels, fontsize=8)
        ax.set_title(f"class {g}")
    h, lab = axes[0].get_legend_handles_labels()
    fig.legend(h, lab, loc="lower center", ncol=2, fontsize=9, bbox_to_anchor=(0.5, -0.08))
    F.save_png(fig, out / "box_counts.png", overwrite=True)

    # mass functions and age distributions, class 1+2
    c12 = np.isin(cls, (1, 2))
    mass, age = np.asarray(t["mass"], float)[c12], np.asarray(t["age"], float)[c12]
    with np.errstate(divide="ignore", invalid="ignore"):
        la, lm = np.log10(age), np.log10(mass)
    fits = []
    # the limits in the convention of LEGUS's masses (stellar, io.legus) and on its V camera, as section 3's table
    kind, cams = catalog_mass_kind(t)[0], t.meta.get("cameras")
    for a0, a1 in ((6.0, 7.0), (7.0, 8.0), (8.0, 8.6)):
        lo = 10 ** round(mass_limit(a1, -7.8, cameras=cams, mass_kind=kind), 2)
        fits.append((f"log τ {a0}-{a1}", fit_powerlaw_binned(mass[(la >= a0) & (la < a1)], lo=lo)))
    F.save_png(F.fig_powerlaw_bins(fits, "log M [Msun]", "log dN/dM", "LEGUS NGC 1566 class 1+2 mass functions"),
               out / "mass_functions.png", overwrite=True)
    res = []
    for m0, m1 in ((4.0, 4.8), (4.8, None)):
        sel = (lm >= m0) & ((lm < m1) if m1 else True)
        res.append((f"log M {m0}-{m1 or 'max'}", age_distribution(age[sel])))
    F.save_png(F.fig_age_distributions(res, "LEGUS NGC 1566 class 1+2 age distributions"),
               out / "age_distributions.png", overwrite=True)
    # the mass-completeness curve: the mass a cluster at the catalogue's faint limit (the 90th percentile of V, as
    # the report takes it without --mag-limit) has at each age of the SSP table, at the galaxy's distance
    m90 = float(np.nanpercentile(v, 90))
    grid = np.linspace(6.0, 10.1, 83)
    curve = np.log10(mass_completeness(grid, m90, V.DISTANCE_MPC, cameras=cams, mass_kind=kind).value)
    print(f"\nmass-completeness curve ({kind} mass) at V = {m90:.2f} (90th percentile), {V.DISTANCE_MPC} Mpc: "
          f"log M = {np.interp(7.0, grid, curve):.2f} at 10 Myr, {np.interp(8.0, grid, curve):.2f} at 100 Myr")
    F.save_png(F.fig_mass_age([("LEGUS class 1+2", mass, age)], "mass vs age",
                              curves=[(grid, curve, f"f555w = {m90:.2f} (90th pct)", "")]),
               out / "mass_age.png", overwrite=True)

    # sensitivity of box 4 to a U-B offset
    print("\n### class 1+2 in box 4 against a shift of U-B (mag)\n")
    for d in (-0.05, -0.02, 0.0, 0.02, 0.05, 0.1):
        b = colour.box_of(ub + d, vi)
        print(f"U-B {d:+.2f}: box 3 {int(np.sum(bright & c12 & (b == 3)))}, "
              f"box 4 {int(np.sum(bright & c12 & (b == 4)))}")
    print(f"\n(wall time {time.time() - t0:.1f} s; figures in {out})")


if __name__ == "__main__":
    main()
