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

``--trend-floor`` measures ``sedcheck.AGE_TREND_FLOOR``: over the fields whose every band lies within half
the tolerance (fits that match their photometry), each band's change of offset between 10-30 and 30-100 Myr,
its sampling error, and the root mean square of the change less that error.

``--trend-notes`` lists the fields the check notes (``sedcheck.sed_trend_notes``): a band within the tolerance
whose offset at 10-30 and at 30-100 Myr differ by more than three standard errors.

``--causes`` measures the causes of the UV, U and I age trends (docs/legus_validation.md, "The UV and U age
trends are the fits' own"): per field, the change as checked, of LEGUS's own fit residuals, of the table's model less
LEGUS's, without extinction and without the fits' 10 Myr node.

    PYTHONPATH=src .venv/bin/python benchmarks/legus_sed_offsets.py [folder] [--by-age | --trend-floor | --trend-notes
        | --causes]
        [--v-band f606w]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from starclass.io.catalog import read_catalog
from starclass.schema import bands_in, sed_chi2_col
from starclass.science.sedcheck import (
    AGE_BINS,
    AGE_TREND_FLOOR,
    AGE_WORDS,
    MIN_LOG_AGE,
    MIN_SOURCES,
    SED_OFFSET_TOLERANCE,
    sed_band_offsets,
    sed_offsets_by_age,
    sed_readings,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus"

#: What the table's reading column says of each of sedcheck.sed_readings' readings (the worst of a field's bands).
READING_WORDS = {"age": "depends on the fitted age (models' metallicity or the V band)",
                 "ab_vega": "AB models against Vega photometry, most likely",
                 "ab_band": "the band's AB - Vega difference, no other band's",
                 "other": "not an AB - Vega difference"}


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
        # the bins are sedcheck's, the ones its age rule reads (10-30 against 30-100 Myr)
        pooled = sed_offsets_by_age(t, ssp=ssp, bins=((AGE_BINS[0][0], AGE_BINS[-1][1]),))
        by = sed_offsets_by_age(t, ssp=ssp)
        cells = []
        for r in (*pooled[pooled["band"] == "f814w"], *by[by["band"] == "f814w"]):
            ok = np.isfinite(r["offset"])
            cells.append(f"{float(r['offset']):+.2f} ({int(r['n'])})" if ok else f"- ({int(r['n'])})")
        print(f"| {t.meta['field']} | " + " | ".join(cells) + " |")


def trend_floor(folder: Path = DEFAULT, v_band: str | None = None, ssp: Path | None = None) -> float:
    """The systematic floor of the age trend: its RMS less its sampling error over the fields that match their fits."""
    trends, errs, fields = [], [], set()
    print("| field | band | 10-30 minus 30-100 Myr | sampling error |")
    print("|---|---|---|---|")
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        off = sed_band_offsets(t, ssp=ssp)
        if not (np.abs(np.asarray(off["offset"], float)) <= SED_OFFSET_TOLERANCE / 2).all():
            continue
        for r in off:
            if not np.isfinite(r["age_trend"]):
                continue
            sampling = float(np.sqrt(max(r["age_trend_err"] ** 2 - AGE_TREND_FLOOR ** 2, 0.0)))
            trends.append(float(r["age_trend"]))
            fields.add(t.meta["field"])
            errs.append(sampling)
            print(f"| {t.meta['field']} | {str(r['band']).upper()} | {float(r['age_trend']):+.3f} | {sampling:.3f} |")
    d, e = np.asarray(trends), np.asarray(errs)
    floor = float(np.sqrt(max(np.mean(d ** 2 - e ** 2), 0.0)))
    print(f"\n{len(d)} bands of {len(fields)} fields within {SED_OFFSET_TOLERANCE / 2:.2f} mag in every band: "
          f"RMS change {np.sqrt(np.mean(d ** 2)):.3f} mag, RMS sampling error {np.sqrt(np.mean(e ** 2)):.3f}, "
          f"floor (RMS change less sampling error, in quadrature) {floor:.3f}; "
          f"sedcheck.AGE_TREND_FLOOR {AGE_TREND_FLOOR}")
    return floor


def trend_notes(folder: Path = DEFAULT, v_band: str | None = None, ssp: Path | None = None) -> None:
    """Each field's bands within the tolerance whose offset changes with age (``sedcheck.sed_trend_notes``)."""
    print("| field | warned of (beyond 0.30) | noted: within 0.30, 10-30 minus 30-100 Myr ± error (z) |")
    print("|---|---|---|")
    n = 0
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        off = sed_band_offsets(t, ssp=ssp)
        noted = [f"{str(r['band']).upper()} {float(r['age_trend']):+.2f} ± {float(r['age_trend_err']):.2f} "
                 f"({float(r['age_trend_z']):+.1f})" for r in off if r["age_dependent"] and not r["exceeds"]]
        over = [str(r["band"]).upper() for r in off if r["exceeds"]]
        if noted:
            n += 1
            print(f"| {t.meta['field']} | {', '.join(over) or '-'} | {', '.join(noted)} |")
    print(f"\n{n} fields noted (sedcheck.sed_trend_notes: a band within {SED_OFFSET_TOLERANCE} mag whose offset at "
          "10-30 and 30-100 Myr differ by more than 3 standard errors)")


def _bin_trend(rel: np.ndarray, la: np.ndarray, rows: np.ndarray) -> tuple[float, int, int]:
    """Median of ``rel`` at 10-30 Myr less at 30-100 Myr on ``rows`` (NaN where a bin has under 20), and the counts."""
    meds, ns = [], []
    for lo, hi in AGE_BINS[:2]:
        sel = rows & np.isfinite(rel) & (la >= lo - 1e-9) & (la < hi - 1e-9)
        ns.append(int(sel.sum()))
        meds.append(float(np.median(rel[sel])) if sel.sum() >= MIN_SOURCES else float("nan"))
    return meds[0] - meds[1], ns[0], ns[1]




#: What each column of :func:`causes`' table is and where it is read from, printed under the table.
CAUSES_LEGEND = (
    "Columns: each cell is a band's change of offset relative to V, 10-30 less 30-100 Myr of fitted age (mag; "
    "negative: brighter at 10-30 Myr). checked: starclass's check, the photometry against the SSP table "
    "(starclass.science.sedcheck.sed_band_offsets); LEGUS: the change of LEGUS's own SED-fit residual, read from "
    "each file's columns 26 (UV), 27 (U) and 30 (I) less column 29 (V) (sed_chi2_<band>, the fit's residual per "
    "filter), its sign turned to observed - model; table - LEGUS: the per-source difference of the two (the SSP "
    "table's model less LEGUS's best model); E(B-V) <= 0.05: checked, on the sources fitted with no extinction to "
    "speak of; no 10 Myr: checked, without the sources fitted at 10 Myr. n: the sources in the two age bins.")


def causes(folder: Path = DEFAULT, v_band: str | None = None, ssp: Path | None = None) -> None:
    """The UV, U and I age trends against each cause an astronomer would check, one row a field.

    Each cell is a band's change of offset relative to V between 10-30 and 30-100 Myr of fitted age (mag;
    negative: brighter at 10-30 Myr), from the sources the check reads (10 Myr or older), four ways:
    **checked**, as ``sed_band_offsets`` gives it (against the Z = 0.020 table); **LEGUS**, the same change of
    LEGUS's own fit residual (columns 26-30, positive where the observed flux is above the fit's best model:
    minus its difference from V's, so observed minus LEGUS's model in this check's sign); **table - LEGUS**, of
    the per-source difference of the two (the table's model less LEGUS's best model at the same fitted age,
    mass and E(B-V): where it is flat, the table, its metallicity, the filters, the magnitude system and the
    extinction starclass applies reproduce LEGUS's models' change with age, and the trend is the fits' own
    misfit); **E(B-V) <= 0.05**, the check on the sources fitted with (nearly) no extinction, which no
    extinction law moves; and **no 10 Myr**, the check without the sources fitted at 10 Myr, the first node of
    the fits' age grid and its largest pile. A Vega - AB mix-up adds one constant to a band at every age and
    moves none of these.
    The summary lines give the medians over the v1 and the v2 files (the v2 files are the dwarf galaxies'),
    and the change of the table's F336W - F390W between the bins, of which a U filter 8 A redder than F336W
    (ACS/HRC F330W's pivot against WFC3/UVIS F336W's) would move the U trend 8/569.
    """
    from starclass.science.sedcheck import _relative_residuals
    from starclass.science.ssp import load_ssp

    model = load_ssp(ssp)
    la_m = np.asarray(model["log_age"], float)
    colour = np.asarray(model["mag_ab_f336w"], float) - np.asarray(model["mag_ab_f390w"], float)
    slots = (("uv", "f275w"), ("u", "f336w"), ("i", "f814w"))
    kinds = ("checked", "LEGUS", "table - LEGUS", "E(B-V) <= 0.05", "no 10 Myr")
    heads = [f"{w.upper()}: {k}" for w, _ in slots for k in kinds]
    print("| field | version | n (10-30, 30-100 Myr) | " + " | ".join(heads) + " |")
    print("|---|---|---|" + "---|" * len(heads))
    rows = []
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        v, la, fitted, rel, _ = _relative_residuals(t, ssp, MIN_LOG_AGE)
        ebv = np.asarray(t["ebv"], float)
        # the fits' ages lie on a grid (10, 11, ..., 15, 20, 30, ... Myr) whose first node holds the most sources
        grid_edge = np.isclose(np.asarray(t["age"], float), 1e7, rtol=1e-3)
        # LEGUS's fit residuals (columns 26-30) are named by the field's own filters: its V is F555W or F606W
        v_col = sed_chi2_col(bands_in(t)[3])
        legus_v = np.asarray(t[v_col], float) if v_col in t.colnames else None
        row = {"field": t.meta["field"], "version": p.name.split("_")[6]}
        cells = []
        n_bins = _bin_trend(np.zeros(len(t)), la, fitted)[1:]
        for slot, band in slots:
            r = rel.get(band)
            col = sed_chi2_col(band)
            if r is None or legus_v is None or col not in t.colnames:
                row[slot] = (np.nan,) * len(kinds)
                cells += ["-"] * len(kinds)
                continue
            # LEGUS's residual is in flux's sense (positive: brighter than the model); minus it is observed - model
            theirs = -(np.asarray(t[col], float) - legus_v)
            sane = np.abs(theirs) < 5  # a few residuals of sources not detected in a band are sentinels
            got = (_bin_trend(r, la, fitted)[0], _bin_trend(theirs, la, fitted & sane)[0],
                   _bin_trend(r - theirs, la, fitted & sane)[0], _bin_trend(r, la, fitted & (ebv <= 0.05))[0],
                   _bin_trend(r, la, fitted & ~grid_edge)[0])
            row[slot] = got
            cells += [f"{x:+.2f}" if np.isfinite(x) else "-" for x in got]
        c = np.interp(la, la_m, colour)
        row["colour"] = _bin_trend(c, la, fitted)[0]
        rows.append(row)
        print(f"| {row['field']} | {row['version']} | {n_bins[0]}, {n_bins[1]} | " + " | ".join(cells) + " |")
    print()
    # where each column comes from, said with the table: the LEGUS column (the UV/U excess of the fits' own
    # residuals) was printed with no word of its source, read as if starclass had computed it against the table
    print(CAUSES_LEGEND)
    print()
    for slot, _ in slots:
        for version in ("v1", "v2"):
            got = np.array([r[slot] for r in rows if r["version"] == version and np.isfinite(r[slot][0])])
            if len(got):
                med = np.nanmedian(got, axis=0)
                over = [int((np.abs(got[:, j]) > 0.15).sum()) for j in (0, 2)]
                print(f"{slot.upper()}, {version} files ({len(got)} with both bins): median change checked "
                      f"{med[0]:+.2f}, LEGUS's residual {med[1]:+.2f}, table - LEGUS {med[2]:+.2f}, E(B-V) <= 0.05 "
                      f"{med[3]:+.2f}, no 10 Myr {med[4]:+.2f}; |change| over 0.15 mag: checked {over[0]}, "
                      f"table - LEGUS {over[1]}")
    dc = np.array([r["colour"] for r in rows])
    print(f"table F336W - F390W at the fitted ages, 10-30 less 30-100 Myr: median {np.nanmedian(dc):+.2f} mag "
          f"(range {np.nanmin(dc):+.2f} to {np.nanmax(dc):+.2f}); an 8 A redder U filter moves the U trend by "
          f"{8 / 569 * np.nanmax(np.abs(dc)):.3f} mag at most")


def main(folder: Path = DEFAULT, v_band: str | None = None, ssp: Path | None = None) -> None:
    print("| field | cameras | V | n | UV | U | B | I | I, 10-30 minus 30-100 Myr (z) | beyond 0.30 | reading |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    every = []
    for p in sorted(folder.glob("*.tab")):
        t = _read(p, v_band)
        off = sed_band_offsets(t, ssp=ssp)
        every += [float(x) for x in off["offset"]]
        said = set(sed_readings(off).values())
        over = [f"{str(r['band']).upper()} {float(r['offset']):+.2f}" for r in off if r["exceeds"]]
        reading = next((w for k, w in READING_WORDS.items() if k in said), "")
        cams = p.name.split("_")[3]
        cells = " | ".join(f"{float(r['offset']):+.2f}" for r in off)
        i = off[off["band"] == "f814w"]
        trend = (f"{float(i['age_trend'][0]):+.2f} ± {float(i['age_trend_err'][0]):.2f} "
                 f"({float(i['age_trend_z'][0]):+.1f})" if len(i) and np.isfinite(i["age_trend"][0]) else "-")
        print(f"| {t.meta['field']} | {cams} | {str(off.meta['v_band']).upper()} | {off.meta['n_fitted']} | {cells} "
              f"| {trend} | {', '.join(over) or '-'} | {reading or '-'} |")
    a = np.abs(np.asarray(every))
    q = np.percentile(a, [50, 75, 90])
    print(f"\n{len(a)} field-band offsets: |offset| median {q[0]:.3f}, 75th percentile {q[1]:.3f}, 90th {q[2]:.3f}; "
          f"tolerance {SED_OFFSET_TOLERANCE}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT, help="the LEGUS .tab files")
    ap.add_argument("--by-age", action="store_true", help="F814W's offset by bin of fitted age, one row a field")
    ap.add_argument("--trend-floor", action="store_true",
                    help="measure the age trend's systematic floor on the fields that match their fits")
    ap.add_argument("--v-band", choices=("f555w", "f606w"), default=None,
                    help="read every field's V as this filter (a what-if; default: as the reader finds it)")
    ap.add_argument("--ssp", type=Path, default=None, help="another SSP table (default: the packaged Z = 0.020 one)")
    ap.add_argument("--trend-notes", action="store_true",
                    help="the bands within the tolerance whose offset changes with age (the check's notes)")
    ap.add_argument("--causes", action="store_true",
                    help="the UV and U age trends under each cause: extinction, the fits' age grid, LEGUS's own "
                         "residuals, the U filter")
    args = ap.parse_args()
    (causes if args.causes else by_age if args.by_age else trend_floor if args.trend_floor
     else trend_notes if args.trend_notes else main)(args.folder, args.v_band, args.ssp)
