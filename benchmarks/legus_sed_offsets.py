"""The SED-fit check on every LEGUS field: each band's median offset from the SSP table, relative to V.

For each of the 35 catalogues of ``../shared/data/legus``, ``starclass.science.sedcheck.sed_band_offsets``
at the sources' own fitted age and E(B-V) (10 Myr or older), and what ``starclass info`` would warn of.
Prints the Markdown table of docs/legus_validation.md ("SED fits against their own photometry") and the
spread the tolerance was chosen from.

    PYTHONPATH=src .venv/bin/python benchmarks/legus_sed_offsets.py [folder]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

from starclass.io.catalog import read_catalog
from starclass.science.sedcheck import SED_OFFSET_TOLERANCE, sed_band_offsets, sed_offset_lines

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus"


def main(folder: Path = DEFAULT) -> None:
    print("| field | cameras | V | n | UV | U | B | I | beyond 0.30 | reading |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    every = []
    for p in sorted(folder.glob("*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # layout notes
            t = read_catalog(p, fmt="legus")
        off = sed_band_offsets(t)
        every += [float(x) for x in off["offset"]]
        lines = sed_offset_lines(off, t.meta["field"])
        over = [f"{str(r['band']).upper()} {float(r['offset']):+.2f}" for r in off if r["exceeds"]]
        reading = ("AB models against Vega photometry, most likely" if any("most likely used AB" in s for s in lines)
                   else "the band's AB - Vega difference, no other band's" if any("but no other band" in s
                                                                                   for s in lines)
                   else "not an AB - Vega difference" if lines else "")
        cams = p.name.split("_")[3]
        cells = " | ".join(f"{float(r['offset']):+.2f}" for r in off)
        print(f"| {t.meta['field']} | {cams} | {str(off.meta['v_band']).upper()} | {off.meta['n_fitted']} | {cells} "
              f"| {', '.join(over) or '-'} | {reading or '-'} |")
    a = np.abs(np.asarray(every))
    q = np.percentile(a, [50, 75, 90])
    print(f"\n{len(a)} field-band offsets: |offset| median {q[0]:.3f}, 75th percentile {q[1]:.3f}, 90th {q[2]:.3f}; "
          f"tolerance {SED_OFFSET_TOLERANCE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
