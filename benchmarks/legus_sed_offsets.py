"""The SED-fit check on every LEGUS field: each band's median offset from the SSP table, relative to V.

For each of the 35 catalogues of ``../shared/data/legus``, ``starclass.science.sedcheck.sed_band_offsets``
at the sources' own fitted age and E(B-V) (10 Myr or older), and what ``starclass info`` would warn of.
Prints the Markdown table of docs/legus_validation.md ("SED fits against their own photometry") and the
spread the tolerance was chosen from.

``--by-age`` prints instead each field's F814W offset in four bins of fitted age (10-30 Myr, 30-100 Myr,
0.1-0.3 Gyr, older): an AB - Vega mix-up moves every age alike, a model of another metallicity most where
red supergiants light the I band. ``--v-band f606w`` reads every field's V as F606W, a what-if for the
fields whose V no source states. ``--ssp FILE`` takes another SSP table (another metallicity, where one
is at hand; ``../shared/data/ssp`` holds Z = 0.020 alone).

    PYTHONPATH=src .venv/bin/python benchmarks/legus_sed_offsets.py [folder] [--by-age] [--v-band f606w]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from starclass.io.catalog import read_catalog
from starclass.science.sedcheck import SED_OFFSET_TOLERANCE, sed_band_offsets, sed_offset_lines

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus"

#: Bins of fitted age (log10 yr) of ``--by-age``: red supergiants light the I band most at 10-30 Myr.
AGE_BINS = ((7.0, 7.5), (7.5, 8.0), (8.0, 8.5), (8.5, 10.5))
AGE_WORDS = ("10-30 Myr", "30-100 Myr", "0.1-0.3 Gyr", "> 0.3 Gyr")


def _read(p: Path, v_band: str | None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # layout notes
        if v_band is None:
            return read_catalog(p, fmt="legus")
        b = "f435w" if p.name.split("_")[3] == "acs-wfc3" else "f438w"
        return read_catalog(p, fmt="legus", bands=["f275w", "f336w", b, v_band, "f814w"])


def by_age(folder: Path, v_band: str | None = None, ssp: Path | None = None) -> None:
    """Each field's F814W offset by bin of fitted age (n sources in brackets; blank under 20)."""
    heads = AGE_WORDS
    print("| field | I, all | " + " | ".join(f"I, {h}" for h in heads) + " |")
    print("|---|---|" + "---|" * len(heads))
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        age = np.asarray(t["age"], float)
        la = np.log10(np.where(age > 0, age, 1.0))
        cells = []
        for lo, hi in ((7.0, 10.5), *AGE_BINS):
            off = sed_band_offsets(t[(la >= lo - 1e-9) & (la < hi)], min_log_age=lo, ssp=ssp)
            r = off[off["band"] == "f814w"]
            ok = len(r) and np.isfinite(r["offset"][0])
            cells.append(f"{float(r['offset'][0]):+.2f} ({int(r['n'][0])})" if ok else
                         f"- ({int(r['n'][0]) if len(r) else 0})")
        print(f"| {t.meta['field']} | " + " | ".join(cells) + " |")


def main(folder: Path = DEFAULT, v_band: str | None = None, ssp: Path | None = None) -> None:
    print("| field | cameras | V | n | UV | U | B | I | beyond 0.30 | reading |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    every = []
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        off = sed_band_offsets(t, ssp=ssp)
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
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT, help="the LEGUS .tab files")
    ap.add_argument("--by-age", action="store_true", help="F814W's offset by bin of fitted age, one row a field")
    ap.add_argument("--v-band", choices=("f555w", "f606w"), default=None,
                    help="read every field's V as this filter (a what-if; default: as the reader finds it)")
    ap.add_argument("--ssp", type=Path, default=None, help="another SSP table (default: the packaged Z = 0.020 one)")
    args = ap.parse_args()
    (by_age if args.by_age else main)(args.folder, args.v_band, args.ssp)
