"""Catalogue science over many LEGUS fields, and the naive-rule ladder leaving one galaxy out.

Reads every LEGUS ``.tab`` in a folder (default ``../shared/data/legus``), keeps the fields with
at least ``--min-inspected`` human-classified sources, and prints: one row per field (distance,
class counts, CI cut, inspection check), per-class medians and inter-quartile ranges of CI, M_V,
U-B and V-I per field, colour-colour box counts, class 1+2 mass-function slopes, and the
naive-rule ladder (majority, CI tree, CI + colours + M_V tree, gradient boosting) scored leaving
one galaxy out, per field and pooled. Writes the summary figure.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/legus_many.py [--legus DIR]
        [--min-inspected 100] [--png docs/img/legus/many_fields.png] [--distance GALAXY=MPC ...]

``--distance ugc5340=5.9`` places a galaxy at another distance than
``starclass.science.many.FIELD_DISTANCES_MPC`` for this run (UGC 5340 was at 5.9 Mpc until
2026-12-06: the "before" of docs/legus_validation.md).

The same tables come from ``starclass evaluate --catalogs DIR -o OUT`` (ECSV + PNG) and
``starclass report --catalogs DIR -o legus.html``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LEGUS = ROOT.parent / "shared" / "data" / "legus"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--legus", type=Path, default=DEFAULT_LEGUS)
    ap.add_argument("--min-inspected", type=int, default=100)
    ap.add_argument("--png", type=Path, default=ROOT / "docs" / "img" / "legus" / "many_fields.png")
    ap.add_argument("--distance", action="append", default=[], metavar="GALAXY=MPC",
                    help="a galaxy's distance (Mpc) for this run, e.g. ugc5340=5.9; repeatable")
    args = ap.parse_args()
    distances = {}
    for item in args.distance:
        galaxy, _, mpc = item.partition("=")
        try:
            distances[galaxy.strip()] = float(mpc)
        except ValueError:
            ap.error(f"--distance {item!r}: expected GALAXY=MPC, e.g. ugc5340=5.9")

    from starclass.errors import StarclassError
    from starclass.report.figures import save_png
    from starclass.report.many import quartile_table, summary_figure
    from starclass.science.many import QUANTITIES, many_field_tables

    if not args.legus.is_dir():
        raise SystemExit(f"LEGUS folder not found at {args.legus} (pass --legus)")
    t0 = time.time()
    try:
        tables = many_field_tables(args.legus, min_inspected=args.min_inspected, distances=distances or None)
    except StarclassError as exc:
        ap.error(str(exc))  # exit 2, as for any bad option
    print(f"{len(tables['fields'])} fields, {int(np.sum(tables['fields']['n_inspected']))} inspected sources "
          f"({time.time() - t0:.0f} s)\n")
    tables["fields"].pprint(max_lines=-1, max_width=-1)
    print("\nleft out:")
    tables["skipped"].pprint(max_lines=-1, max_width=-1)
    for q in QUANTITIES:
        print(f"\n{q}: median [25th, 75th percentile] (n) per class")
        quartile_table(tables["distributions"], q).pprint(max_lines=-1, max_width=-1)
    print("\ncolour-colour boxes, M_V < -6 (box 1 > 1 Gyr, 2 0.1-1 Gyr, 3 10-100 Myr, 4 < 10 Myr)")
    tables["boxes"].pprint(max_lines=-1, max_width=-1)
    print("\nclass 1+2 mass-function slopes (maximum likelihood, age < 100 Myr)")
    tables["mass_slopes"]["field", "n", "mv_limit", "log_mass_min", "beta", "beta_err"].pprint(max_lines=-1)
    print("\nnaive-rule ladder, leave one galaxy out: accuracy per left-out field")
    tables["ladder_per_field"].pprint(max_lines=-1, max_width=-1)
    print("\npooled over all fields")
    tables["ladder_pooled"].pprint(max_lines=-1)
    args.png.parent.mkdir(parents=True, exist_ok=True)
    save_png(summary_figure(tables), args.png, dpi=80, overwrite=True)
    print(f"\nfigure: {args.png}")


if __name__ == "__main__":
    main()
