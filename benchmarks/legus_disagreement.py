"""How often did real LEGUS classifiers disagree, and do the simulated people disagree alike?

Reads every LEGUS catalogue in a folder (default ``../shared/data/legus``), and for each file
with a class mean beside the class mode (col 35 next to col 34) bounds the human votes per
source (``starclass.evaluate.disagreement``): the share of sources where people disagreed, the
pairwise and person-vs-mode agreement (four classes; clusters 1+2 against the rest) and between
which classes the minority votes fell. Then it does the same for simulated people (the
``ngc1566`` preset, three humans, labels only: no images are rendered) through the same
mode + mean inference, so both sides carry the same bias, and prints real against simulated,
overall and per final class: "before" with the human-confusion parameters set from the published
averages (``PARTNERS_PUBLISHED``: where a mistaken label goes), "after" with the ones tuned here
(``PARTNERS``).

    .venv/bin/python benchmarks/legus_disagreement.py [DIR] [--seeds 1 2 3] [--noise 1.0]

Prints markdown tables (docs/legus_validation.md, "Real human disagreement").
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus"
FIGURES = ("disagree", "pair_4class", "pair_binary", "mode_4class", "mode_binary")


def md(table, floatfmt: str = ".3f") -> str:
    cols = table.colnames
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in table:
        out.append("| " + " | ".join(format(float(r[c]), floatfmt) if isinstance(r[c], (float, np.floating))
                                     else str(r[c]) for c in cols) + " |")
    return "\n".join(out)


def real_results(folder: Path) -> tuple[dict, list[str]]:
    from starclass.errors import StarclassError
    from starclass.evaluate.disagreement import catalog_disagreement
    from starclass.io.catalog import read_catalog

    results, skipped = {}, []
    for p in sorted(folder.glob("*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # uncertain layouts: they have no class mean anyway
            t = read_catalog(p, require_xy=False)
        name = t.meta.get("field", p.stem)
        try:
            results[name] = catalog_disagreement(t, p.name)
        except StarclassError:
            skipped.append(f"{name} ({t.meta.get('legus_layout')}, {t.meta.get('legus_ncols')} columns)")
    return results, skipped


def simulated(seeds, noise: float, *, partners=None) -> dict:
    """Simulated people through the same mode + mean inference as the real files."""
    from starclass.evaluate.disagreement import disagreement, pooled
    from starclass.schema import human_cols
    from starclass.simulate import preset, simulate_labels
    from starclass.simulate.field import stage_rng
    from starclass.simulate.humans import consensus, simulate_humans

    out = {}
    for seed in seeds:
        cfg = preset("ngc1566", seed=seed, shape=(2048, 2048), n_candidates=2500, human_noise=noise)
        truth, _ = simulate_labels(cfg)
        # the simulator's own random stage, so "before" and "after" label the same objects
        humans = simulate_humans(truth, 3, stage_rng(seed, "humans"), noise=noise, mag_limit=cfg.mag_limit,
                                 v_band=cfg.v_band, partners=partners)
        votes = np.column_stack([np.asarray(humans[c]) for c in human_cols(humans)])
        # the catalogue gives the mode (team tie-break) and the mean to two decimals
        out[seed] = disagreement(consensus(votes), np.round(votes.mean(axis=1), 2))
    return pooled(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--noise", type=float, default=None, help="human_noise of the simulation (default: the preset's)")
    args = ap.parse_args()

    from astropy.table import Table

    from starclass.evaluate.disagreement import by_mode_table, disagreement_table, pooled
    from starclass.simulate import preset

    if not args.folder.exists():
        raise SystemExit(f"no LEGUS folder at {args.folder}")
    real, skipped = real_results(args.folder)
    total = pooled(real)
    print(f"### Real LEGUS people, per field ({len(real)} files with a class mean)\n")
    tab = disagreement_table({**dict(sorted(real.items(), key=lambda kv: -kv[1]['n'])), "all": total})
    print(md(tab))
    print(f"\nwithout a class mean (not used): {', '.join(skipped)}")
    print(f"sources: {total['n']} inspected, {total['n_used']} with a consistent split, "
          f"{total['n_inconsistent']} inconsistent (left out), {total['n_ambiguous']} with several splits")

    from starclass.simulate.humans import PARTNERS_PUBLISHED

    noise = args.noise if args.noise is not None else preset("ngc1566").human_noise
    before = simulated(args.seeds, noise, partners=PARTNERS_PUBLISHED)
    after = simulated(args.seeds, noise)
    print(f"\n### Real against simulated people (ngc1566 preset, 3 people, human_noise {noise}, seeds {args.seeds}, "
          "all through mode + mean; before: the published-average partners, after: the tuned partners)\n")
    rows = [(k, total[k], before[k], after[k], after[k] - total[k]) for k in FIGURES]
    rows += [(f"share {a}-{b}", total["pair_share"][(a, b)], before["pair_share"][(a, b)],
              after["pair_share"][(a, b)], after["pair_share"][(a, b)] - total["pair_share"][(a, b)])
             for a, b in total["pair_share"]]
    print(md(Table(rows=rows, names=("figure", "real", "sim before", "sim after", "after - real"))))
    print("\n### Per final class: share disagreed and where the minority votes went\n")
    parts = []
    for who, res in (("real", total), ("sim before", before), ("sim after", after)):
        b = by_mode_table(res)
        b["who"] = who
        parts.append(b)
    both = Table(rows=[tuple(r) for group in zip(*parts) for r in group], names=parts[0].colnames)
    print(md(both[["class", "who", "n", "disagree", "to_1", "to_2", "to_3", "to_4"]]))

if __name__ == "__main__":
    main()
