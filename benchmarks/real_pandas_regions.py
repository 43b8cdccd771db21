"""Paired comparison of two real-image runs region by region of M31 (issue 12, the disc shortcut).

``benchmarks/real_pandas.py --summarise --against`` gives paired bootstrap differences over all
869 cutouts. This script gives them per region of projected distance from M31's centre (the
``r_m31_bin`` regions of ``real_pandas.py``, :data:`R_M31_EDGES`, plus the disc as a whole,
r < 0.71 deg): ROC AUC, the recall of galaxies and of clusters at P(cluster) >= 0.5, each
run's value and the difference ``RUN - AGAINST`` with a 95% bootstrap interval over the
region's cutouts (the same resamples for both runs: paired). Out-of-fold probabilities only
(``real_pandas_errors.pooled_probability``: every fold of each run must be there)::

    .venv/bin/python benchmarks/real_pandas_regions.py --out OUT --run "compact-balr +TTA" \\
        --against "compact-repro +TTA" -o regions.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import warnings
from pathlib import Path

import numpy as np
from astropy.table import Table
from sklearn.metrics import roc_auc_score

from starclass.errors import StarclassError
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.io.atomic import atomic_path

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def galaxy_recall(y: np.ndarray, p: np.ndarray) -> float:
    """Fraction of the galaxies (``y == 0``) with P(cluster) < 0.5.

    Examples
    --------
    >>> galaxy_recall(np.array([0, 0, 1]), np.array([0.2, 0.7, 0.9]))
    0.5
    """
    g = np.asarray(y) == 0
    if not g.any():
        raise ValueError("no galaxy")
    return float(np.mean(np.asarray(p)[g] < 0.5))


def cluster_recall(y: np.ndarray, p: np.ndarray) -> float:
    """Fraction of the clusters (``y == 1``) with P(cluster) >= 0.5.

    Examples
    --------
    >>> cluster_recall(np.array([1, 1, 0]), np.array([0.2, 0.7, 0.9]))
    0.5
    """
    c = np.asarray(y) == 1
    if not c.any():
        raise ValueError("no cluster")
    return float(np.mean(np.asarray(p)[c] >= 0.5))


METRICS = {"auc": roc_auc_score, "galaxy_recall": galaxy_recall, "cluster_recall": cluster_recall}


def compare_regions(y: np.ndarray, regions: np.ndarray, pa: np.ndarray, pb: np.ndarray,
                    order: list[str], n_boot: int = 1000) -> list[dict]:
    """Per region: both runs' metrics and their paired differences with bootstrap intervals.

    Parameters
    ----------
    y : numpy.ndarray
        1 for a cluster, 0 for a galaxy.
    regions : numpy.ndarray
        Region name of every cutout.
    pa, pb : numpy.ndarray
        P(cluster) of the run and of the one it is compared against.
    order : list of str
        Regions to report, in this order; ``"all"`` is every cutout and a name joined by ``+``
        (``"0.00-0.28+0.28-0.71"``) the union of those regions.
    n_boot : int
        Bootstrap resamples (seed 0).

    Returns
    -------
    list of dict
        One per region: ``region``, ``n``, ``clusters``, ``galaxies`` and, per metric,
        ``<metric>_run``, ``<metric>_against`` and ``<metric>_diff`` = [value, lo, hi].

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0] * 5)
    >>> rows = compare_regions(y, np.array(["a"] * 20), y * 0.8 + 0.1, np.full(20, 0.6), ["a"], n_boot=50)
    >>> rows[0]["galaxy_recall_run"], rows[0]["galaxy_recall_against"], rows[0]["galaxy_recall_diff"][0]
    (1.0, 0.0, 1.0)
    """
    out = []
    # a resample of a small region may hold one class only: its AUC is NaN and the resample is skipped
    warnings.filterwarnings("ignore", message="Only one class is present")
    for name in order:
        if name == "all":
            m = np.ones(y.size, bool)
        else:
            m = np.isin(regions, name.split("+"))
        yr, a, b = y[m], pa[m], pb[m]
        row = {"region": name, "n": int(m.sum()), "clusters": int(yr.sum()), "galaxies": int((yr == 0).sum())}
        for key, fn in METRICS.items():
            try:
                row[f"{key}_run"] = float(fn(yr, a))
                row[f"{key}_against"] = float(fn(yr, b))
                v, lo, hi = bootstrap_ci(lambda t, u, w, fn=fn: fn(t, u) - fn(t, w), yr, a, b, n_boot=n_boot, seed=0)
                row[f"{key}_diff"] = [v, lo, hi]
            except (ValueError, StarclassError):
                # a region without one of the classes: the metric is undefined there
                row[f"{key}_run"] = row[f"{key}_against"] = None
                row[f"{key}_diff"] = None
        out.append(row)
    return out


def table(rows: list[dict], run: str, against: str) -> str:
    """Markdown table of :func:`compare_regions` (values, then differences with intervals)."""
    def num(v):
        return "" if v is None else f"{v:.3f}"

    def diff(d):
        return "" if d is None else f"{d[0]:+.3f} [{d[1]:+.3f}, {d[2]:+.3f}]"

    lines = [f"run = {run}; against = {against}", "",
             "| r (deg) | cutouts | clusters / galaxies | AUC run / against | AUC difference | galaxy recall "
             "run / against | galaxy recall difference | cluster recall run / against | cluster recall difference |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        cells = [r["region"], str(r["n"]), f"{r['clusters']} / {r['galaxies']}"]
        for key in METRICS:
            cells.append(f"{num(r[key + '_run'])} / {num(r[key + '_against'])}")
            cells.append(diff(r[key + "_diff"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pandas-m31"),
                    help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_real_pandas"),
                    help="folder of real_pandas.py's fold files")
    ap.add_argument("--run", required=True, help="the run: NAME or 'NAME +TTA'")
    ap.add_argument("--against", required=True, help="the run it is compared with: NAME or 'NAME +TTA'")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("-o", "--output", default=None, help="also write the rows as JSON here")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    args = ap.parse_args(argv)
    try:
        labels_path = Path(args.data) / "labels.csv"
        if not labels_path.is_file():
            raise StarclassError(f"no {labels_path} (--data)")
        if args.output and Path(args.output).exists() and not args.overwrite:
            raise StarclassError(f"-o {args.output} exists; give --overwrite to replace it")
        if args.n_boot < 10:
            raise StarclassError(f"--n-boot {args.n_boot}: give at least 10 resamples")
        errors, bench = _load("real_pandas_errors"), _load("real_pandas")
        labels = Table.read(labels_path, format="ascii.csv")
        y = (np.asarray(labels["label"]).astype(str) != "galaxy").astype(int)
        pa = errors.pooled_probability(Path(args.out), args.run, len(labels))
        pb = errors.pooled_probability(Path(args.out), args.against, len(labels))
        regions = np.asarray(errors.oof_table(labels, pa)["r_m31_deg"], float)
        edges = (0.0, *bench.R_M31_EDGES)
        names = [f"{lo:.2f}-{hi:.2f}" for lo, hi in zip(edges, edges[1:])] + [f">{edges[-1]:.2f}"]
        region = np.array([names[i] for i in np.searchsorted(bench.R_M31_EDGES, regions, side="right")])
        order = names[:2] + [f"{names[0]}+{names[1]}"] + names[2:] + ["all"]
        rows = compare_regions(y, region, pa, pb, order, n_boot=args.n_boot)
    except StarclassError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table(rows, args.run, args.against))
    if args.output:
        with atomic_path(args.output) as tmp:
            tmp.write_text(json.dumps({"run": args.run, "against": args.against, "n_boot": args.n_boot,
                                       "out": str(args.out), "regions": rows}, indent=1))
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
