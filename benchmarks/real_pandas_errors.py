"""Where the real-image models fail: out-of-fold predictions as a classified cutout table.

``benchmarks/real_pandas.py`` stores, per model and fold, P(cluster) of the fold's test
cutouts. This script pools the five folds of one or more runs (their mean, with or without
test-time augmentation) into one table in the form ``starclass classify --stamps`` writes:
every column of ``labels.csv``, ``class_pred`` (P(cluster) >= 0.5), ``prob_1`` (cluster) and
``prob_2`` (non-cluster), plus ``r_m31_deg``, the projected distance from M31's centre, and
``cutout_root``, the folder the files are relative to. The
package's own ``starclass evaluate`` then splits the errors by any column::

    .venv/bin/python benchmarks/real_pandas_errors.py --runs "resnet18-n128-e20 +TTA,compact-ft-sim12 +TTA" \\
        -o /tmp/oof.csv
    starclass evaluate /tmp/oof.csv --task m31-real --label-column label \\
        --by source_table --by pandas_field --by r_m31_deg -o /tmp/oof_eval

Only the out-of-fold probabilities are used: every cutout is scored by models that never
saw its object (the folds are grouped by ``object_id``).

The cutouts that ``classify --stamps`` leaves unclassified (blank, or no data at the centre: the rows
``real_pandas.py --summarise`` leaves out, found by the same function) are written as ``classify`` writes
them, ``class_pred`` 0 and no probabilities, so ``evaluate`` leaves them out too; the script says how
many and which. Until 2026-12-06 the 2 blank cutouts of the 869 were written with the fold models'
confident P(cluster), and evaluate scored them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

import numpy as np
from astropy.coordinates import SkyCoord
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.catalog import write_catalog
from starclass.io.cutout_folders import read_cutout_folder
from starclass.schema import CLASS_PRED, prob_col

ROOT = Path(__file__).resolve().parents[1]
#: M31's centre (the nucleus; ICRS), from which ``r_m31_deg`` is measured
M31_CENTRE = SkyCoord("00h42m44.3s", "+41d16m09s", frame="icrs")


def pooled_probability(out: Path, run: str, n_rows: int, unclassified: np.ndarray | None = None) -> np.ndarray:
    """P(cluster) of every cutout from the fold files of one run (``NAME`` or ``NAME +TTA``).

    ``unclassified``: bool ``[n_rows]``, the cutouts ``classify --stamps`` leaves unclassified: NaN here
    (classify gives them no probabilities), and a run whose folds leave them out (``real_pandas_stack.py``'s
    since 2026-12-06) is whole.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for k, (rows, p) in enumerate([([0, 2], [0.9, 0.2]), ([1], [0.4])]):
    ...     _ = (d / f"m_fold{k}.json").write_text(json.dumps({"test": rows, "p": p, "p_tta": p}))
    >>> pooled_probability(d, "m", 3).tolist()
    [0.9, 0.4, 0.2]
    >>> pooled_probability(d, "m", 3, np.array([False, True, False])).tolist()
    [0.9, nan, 0.2]
    """
    name, _, flag = run.strip().partition(" ")
    key = "p_tta" if flag.strip() == "+TTA" else "p"
    if flag.strip() not in ("", "+TTA"):
        raise StarclassError(f"run {run!r}: write NAME or 'NAME +TTA'")
    files = sorted(out.glob(f"{name}_fold*.json"))
    if not files:
        raise StarclassError(f"no fold files {name}_fold*.json in {out}")
    p = np.full(n_rows, np.nan)
    for f in files:
        d = json.loads(f.read_text())
        if key not in d:
            raise StarclassError(f"{f}: no {key!r} (run without test-time augmentation?)")
        idx = np.asarray(d["test"], int)
        if np.isfinite(p[idx]).any():
            raise StarclassError(f"{f}: cutouts already scored by another fold of {name}")
        p[idx] = d[key]
    if unclassified is not None:
        p[np.asarray(unclassified, bool)] = np.nan
    missing = ~np.isfinite(p) & ~(np.zeros(n_rows, bool) if unclassified is None else np.asarray(unclassified, bool))
    if missing.any():
        raise StarclassError(f"run {name}: {int(missing.sum())} of {n_rows} cutouts have no out-of-fold "
                             "probability (folds missing?)")
    return p


def oof_table(labels: Table, p: np.ndarray) -> Table:
    """``labels`` with ``class_pred``, ``prob_1``/``prob_2`` and ``r_m31_deg`` added.

    A row without P(cluster) (NaN: a cutout ``classify --stamps`` leaves unclassified) gets ``class_pred`` 0
    and NaN probabilities, as ``classify`` writes it.

    Examples
    --------
    >>> t = oof_table(Table({"ra": [10.68, 12.0], "dec": [41.27, 40.0]}), np.array([0.7, 0.2]))
    >>> t["class_pred"].tolist(), [round(float(v), 2) for v in t["r_m31_deg"]]
    ([1, 2], [0.0, 1.61])
    >>> oof_table(Table({"a": [1, 2]}), np.array([np.nan, 0.2]))["class_pred"].tolist()
    [0, 2]
    """
    t = labels.copy()
    t[CLASS_PRED] = np.where(np.isnan(p), 0, np.where(p >= 0.5, 1, 2))
    t[prob_col(1)] = p
    t[prob_col(2)] = 1.0 - p
    if "ra" in t.colnames and "dec" in t.colnames:
        c = SkyCoord(np.asarray(t["ra"], float), np.asarray(t["dec"], float), unit="deg")
        t["r_m31_deg"] = c.separation(M31_CENTRE).deg
    return t


def _real_pandas():
    """``real_pandas.py`` (its ``unclassified_rows``): the benchmarks are scripts, not a package."""
    spec = importlib.util.spec_from_file_location("real_pandas", Path(__file__).with_name("real_pandas.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    default_data = ROOT.parent / "shared" / "data" / "pandas-m31"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(default_data), help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_real_pandas"),
                    help="folder of real_pandas.py's fold files")
    ap.add_argument("--runs", required=True, help="runs to average, comma-separated: 'a +TTA,b'")
    ap.add_argument("-o", "--output", required=True, help="the classified table to write (CSV or ECSV)")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing output")
    args = ap.parse_args(argv)
    try:
        labels_path = Path(args.data) / "labels.csv"
        if not labels_path.is_file():
            raise StarclassError(f"no {labels_path} (--data)")
        if Path(args.output).resolve() == labels_path.resolve():
            raise StarclassError(f"-o {args.output} is the input labels.csv: name another file")
        labels = Table.read(labels_path, format="ascii.csv")
        runs = [r for r in args.runs.split(",") if r.strip()]
        # the cutouts classify --stamps leaves unclassified, as real_pandas.py --summarise finds them
        bench = _real_pandas()
        images = read_cutout_folder(labels_path).images
        blank, centre = bench.unclassified_rows(
            images, [bench.stamp_size_of(Path(args.out), r.strip().split(" ")[0]) for r in runs])
        p = np.mean([pooled_probability(Path(args.out), r, len(labels), blank | centre) for r in runs], axis=0)
        t = oof_table(labels, p)
        t.meta["runs"] = runs
        # the folder its file column is relative to, as classify --stamps records it (a CSV keeps no meta): a list
        # made from the table elsewhere (suggest --check-labels) then finds the cutouts for inspect --stamps.
        # Absolute but with its links kept (a checkout's ../shared), so that such a list, which records it relative
        # to itself, leads there through ../shared in any checkout, not through this machine's link target
        t["cutout_root"] = os.path.abspath(labels_path.parent)
        write_catalog(t, args.output, overwrite=args.overwrite)
    except StarclassError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(bench.left_out_line(blank, centre) + " (class_pred 0, as classify writes them)")
    print(f"wrote {args.output}: {len(t)} cutouts, mean of {', '.join(runs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
