"""Real against simulated PAndAS cluster cutouts by projected radius on M31 (issue 12, fifth pass).

The KS table of ``benchmarks/realism_pandas.py`` pools every cluster; the outer-halo clusters
(beyond ~15 kpc, most of them PAndAS halo discoveries) are a fifth of them and can miss while
the pool passes. This script takes the clusters at or beyond ``--min-r`` kpc of the real folder
(radius from ``ra, dec``: angular distance from M31's centre at 0.78 Mpc, not deprojected) and
of each simulated folder (its ``r_gal`` column) and prints, per group, the medians of
:func:`starclass.stamps.morphology.cutout_statistics` and of the implied ZScale contrast, the
two-sample KS distance real v simulated of each statistic, and the same medians in radius bins::

    PYTHONPATH=src python benchmarks/realism_by_radius.py --real ../shared/data/pandas-m31 \\
        --sim fourth=/tmp/sim12/simA --sim fifth=/tmp/halo12/simA --json OUT.json

Implied contrast: the ZScale contrast read back from the 8-bit cutout, as
``benchmarks/realism_clusters_diagnose.py`` measures it (third pass of ``docs/real_images.md``;
NaN, and skipped, where undefined).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord
from scipy.stats import ks_2samp

from starclass.io.atomic import atomic_path
from starclass.stamps.morphology import cutout_statistics, read_cutout

ROOT = Path(__file__).resolve().parents[1]
#: M31's centre and distance, as in the simulator's radius table (fourth pass).
M31 = SkyCoord(10.6847 * u.deg, 41.2690 * u.deg)
DISTANCE_KPC = 780.0
STATS = ("pix_mean", "pix_p90", "frac_saturated", "bkg_noise", "concentration", "asymmetry",
         "r50", "gini", "implied_contrast")
BINS = ((15.0, 25.0), (25.0, 50.0), (50.0, 300.0))


def _diagnose():
    """``benchmarks/realism_clusters_diagnose.py`` (its implied contrast is the one the doc uses)."""
    spec = importlib.util.spec_from_file_location("realism_clusters_diagnose",
                                                  ROOT / "benchmarks" / "realism_clusters_diagnose.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def clusters(root: Path, min_r: float) -> list[dict]:
    """Statistics of the cluster cutouts of ``root`` at projected radius >= ``min_r`` kpc."""
    with open(root / "labels.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] == "cluster"]
    implied_contrast = _diagnose().implied_contrast
    out = []
    for r in rows:
        if r.get("r_gal"):
            rad = float(r["r_gal"])
        else:
            sep = SkyCoord(float(r["ra"]) * u.deg, float(r["dec"]) * u.deg).separation(M31)
            rad = float(sep.radian * DISTANCE_KPC)
        if rad < min_r:
            continue
        img = read_cutout(root / r["file"])
        s = {k: float(v) for k, v in cutout_statistics(img).items() if k in STATS}
        s.update(implied_contrast=implied_contrast(img), r_kpc=rad, source=r.get("source_table", ""))
        out.append(s)
    return out


def medians(rows: list[dict]) -> dict:
    """n and the median of every statistic (NaNs left out)."""
    out: dict = {"n": len(rows)}
    for k in STATS:
        v = np.array([r[k] for r in rows], dtype=float)
        v = v[np.isfinite(v)]
        out[k] = float(np.median(v)) if v.size else None
    return out


def ks(real: list[dict], sim: list[dict]) -> dict:
    """KS distance real v simulated of every statistic."""
    out = {}
    for k in STATS:
        a = np.array([r[k] for r in real], dtype=float)
        b = np.array([r[k] for r in sim], dtype=float)
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        out[k] = float(ks_2samp(a, b).statistic) if a.size > 1 and b.size > 1 else None
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", default=str(ROOT.parent / "shared" / "data" / "pandas-m31"))
    ap.add_argument("--sim", action="append", required=True, help="NAME=FOLDER, repeatable")
    ap.add_argument("--min-r", type=float, default=15.0, help="projected radius (kpc) from which to compare")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    real = clusters(Path(args.real), args.min_r)
    groups = {"real": real,
              "real huxor14": [r for r in real if r["source"].startswith("huxor14")],
              "real rbc": [r for r in real if r["source"].startswith("m31rbc")],
              "real other": [r for r in real if not r["source"].startswith(("huxor14", "m31rbc"))]}
    sims = {}
    for spec in args.sim:
        name, _, folder = spec.partition("=")
        sims[name] = clusters(Path(folder), args.min_r)
        groups[name] = sims[name]
    result = {"min_r_kpc": args.min_r, "medians": {g: medians(v) for g, v in groups.items()},
              "ks_vs_real": {n: ks(real, v) for n, v in sims.items()},
              "bins": {f"{lo:g}-{hi:g}": {g: medians([r for r in groups[g] if lo <= r["r_kpc"] < hi])
                                          for g in ["real", *sims]} for lo, hi in BINS}}
    print(f"clusters at R >= {args.min_r:g} kpc: medians")
    print("| group | n | " + " | ".join(STATS) + " |")
    for g, m in result["medians"].items():
        print(f"| {g} | {m['n']} | " + " | ".join("-" if m[k] is None else f"{m[k]:.3g}" for k in STATS) + " |")
    print("KS distance against the real ones")
    for n, d in result["ks_vs_real"].items():
        print(f"| {n} | " + " | ".join("-" if d[k] is None else f"{d[k]:.3f}" for k in STATS) + " |")
    for b, d in result["bins"].items():
        print(f"R {b} kpc")
        for g, m in d.items():
            print(f"| {g} | {m['n']} | " + " | ".join("-" if m[k] is None else f"{m[k]:.3g}" for k in STATS) + " |")
    if args.json:
        with atomic_path(args.json) as tmp, open(tmp, "w") as fh:
            json.dump(result, fh, indent=1)
    return result


if __name__ == "__main__":
    main()
