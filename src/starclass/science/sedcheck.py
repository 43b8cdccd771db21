"""Do a catalogue's SED-fit ages and E(B-V) reproduce its own photometry with the SSP table?

A LEGUS catalogue (or any with ``age``, ``ebv`` and magnitudes) carries, per source, the age, mass and
E(B-V) its authors fitted. Put through the SSP table starclass draws its mass limits and tracks
with, those parameters give a magnitude in every band. Relative to V the fitted mass and the
distance cancel, so each band's median of (observed - model) minus V's says whether the fits and
the photometry are on the same system. NGC 1566 and NGC 1433 are not: their F814W is 0.42-0.44 mag
fainter than their fits imply and their F438W 0.14-0.19 mag brighter, F814W's and F438W's AB - Vega
differences from F555W (0.45 and -0.12 on WFC3/UVIS): fits made with AB models of B, V and I against
Vega photometry, which biases the ages, masses and E(B-V) (docs/legus_validation.md, "SED fits
against their own photometry"). Only sources fitted at 10 Myr or older count: younger, the
table's nebular covering fraction (1, LEGUS's models 0.5) moves the bands apart by itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.bands import BANDS, v_band
from starclass.errors import StarclassError
from starclass.schema import bands_in, mag_col

#: A band's median offset relative to V (mag) above which the fits are said not to match the photometry.
#: The 35 LEGUS fields' 140 offsets (UV, U, B, I) have |offset| 0.11 at the median, 0.23 at the 75th and
#: 0.30 at the 90th percentile; F814W's spread from -0.07 to +0.47 mag (docs/legus_validation.md, the table of
#: all fields): 0.3 is said of a tenth of them.
SED_OFFSET_TOLERANCE = 0.3

#: How near (mag) a band's offset must lie to its AB - Vega difference from V to be read as one.
AB_MATCH = 0.1

#: Youngest fitted age counted, log10(yr): below 10 Myr the table's covering fraction shows.
MIN_LOG_AGE = 7.0

#: Fewest sources a band's median is given for.
MIN_SOURCES = 20


def sed_band_offsets(table: Table, *, ssp: str | Path | None = None, min_log_age: float = MIN_LOG_AGE,
                     tolerance: float = SED_OFFSET_TOLERANCE, match: float = AB_MATCH) -> Table:
    """Each band's median offset from the SSP table at the fitted age and E(B-V), relative to V.

    For every source with a fit (finite ``age`` > 0 and ``ebv``; ``mass`` > 0 where the column is
    there) the model magnitude of band b is the table's at the fitted age plus A_b = (A_b / E(B-V))
    E(B-V) (Cardelli et al. 1989, :data:`starclass.bands.BANDS`), on the catalogue's Vega system
    (its ``meta['cameras']``). The offset is (m_b - model_b) - (m_V - model_V): mass and distance
    cancel. Positive: the band is fainter, relative to V, than the fit implies.

    Parameters
    ----------
    table
        A catalogue with ``age`` [yr], ``ebv`` and ``mag_<band>`` columns (AB catalogues are put on
        Vega, :func:`starclass.science.colour.vega_mag`).
    ssp
        An SSP table (as ``--ssp``); default the packaged one.
    min_log_age
        Sources fitted younger than this (log10 yr) are left out.
    tolerance
        ``exceeds`` is set where the absolute median offset is above it (mag).
    match
        ``ab_like`` is set where the offset lies within this of the band's AB - Vega minus V's.

    Returns
    -------
    astropy.table.Table
        One row per band other than V: ``band``, ``n`` (sources), ``offset`` (median, mag; NaN
        under :data:`MIN_SOURCES` sources), ``scatter`` (1.4826 times the median absolute
        deviation), ``ab_minus_vega`` (the band's AB - Vega minus V's), ``exceeds``, ``ab_like``.
        ``meta`` holds ``v_band``, ``tolerance``, ``match``, ``min_log_age`` and ``n_fitted``.

    Raises
    ------
    StarclassError
        No ``age`` or ``ebv`` column, or fewer than two bands.

    Examples
    --------
    A catalogue made from the table itself, then one whose F814W is 0.45 mag fainter:

    >>> from starclass.science.ssp import load_ssp
    >>> ssp = load_ssp()
    >>> la = np.linspace(7.0, 9.0, 30)
    >>> bands = ["f336w", "f438w", "f555w", "f814w"]
    >>> t = Table({"age": 10**la, "mass": np.full(30, 1e5), "ebv": np.full(30, 0.1)})
    >>> for b in bands:
    ...     t[f"mag_{b}"] = (np.interp(la, ssp["log_age"], ssp[f"mag_{b}"]) + 25.0
    ...                      + BANDS[b].a_over_ebv * 0.1)
    >>> off = sed_band_offsets(t)
    >>> off["band"].tolist(), bool(np.abs(off["offset"]).max() < 1e-9), off.meta["v_band"]
    (['f336w', 'f438w', 'f814w'], True, 'f555w')
    >>> t["mag_f814w"] += 0.45
    >>> row = sed_band_offsets(t)[2]
    >>> round(float(row["offset"]), 2), float(row["ab_minus_vega"]), bool(row["exceeds"]), bool(row["ab_like"])
    (0.45, 0.45, True, True)
    """
    from starclass.science.colour import vega_mag
    from starclass.science.ssp import load_ssp

    missing = [c for c in ("age", "ebv") if c not in table.colnames]
    if missing:
        raise StarclassError(f"{table.meta.get('source', 'catalogue')}: no {' or '.join(missing)} column: "
                             "no SED fit to check against the photometry")
    bands = bands_in(table)
    if len(bands) < 2:
        raise StarclassError(f"{table.meta.get('source', 'catalogue')}: {len(bands)} band(s); the SED check compares "
                             "each band with V")
    v = v_band(bands)
    model = load_ssp(ssp, cameras=table.meta.get("cameras"))
    la_m = np.asarray(model["log_age"], float)
    age, ebv = (np.asarray(table[c], float) for c in ("age", "ebv"))
    fitted = np.isfinite(age) & (age > 0) & np.isfinite(ebv)
    if "mass" in table.colnames:
        mass = np.asarray(table["mass"], float)
        fitted &= np.isfinite(mass) & (mass > 0)
    la = np.log10(np.where(fitted, age, 1.0))
    fitted &= la >= min_log_age - 1e-9  # ages printed to a few digits: 1e7 is log 7 to rounding

    def residual(b: str) -> np.ndarray:
        predicted = np.interp(la, la_m, np.asarray(model[mag_col(b)], float)) + BANDS[b].a_over_ebv * ebv
        return vega_mag(table, b) - predicted

    rv = residual(v)
    offsets = model.meta.get("ab_minus_vega", {})
    rows = []
    for b in bands:
        if b == v or mag_col(b) not in model.colnames:
            continue
        r = residual(b) - rv
        r = r[fitted & np.isfinite(r)]
        med = float(np.median(r)) if len(r) >= MIN_SOURCES else float("nan")
        scatter = float(1.4826 * np.median(np.abs(r - med))) if len(r) >= MIN_SOURCES else float("nan")
        d = float(offsets.get(b, BANDS[b].ab_minus_vega) - offsets.get(v, BANDS[v].ab_minus_vega))
        # rounded as printed: AB - Vega offsets are tabulated to 3 decimals (0.42 + 0.03 was 0.44999999999999996)
        # exceeds as printed (2 decimals): a -0.3002 was warned of as "-0.30" beyond a tolerance of 0.30
        rows.append((b, len(r), round(med, 4), round(scatter, 4), round(d, 3), bool(abs(round(med, 2)) > tolerance),
                     bool(abs(med - d) <= match)))
    out = Table(rows=rows or None, names=("band", "n", "offset", "scatter", "ab_minus_vega", "exceeds", "ab_like"),
                dtype=(str, int, float, float, float, bool, bool))
    for c in ("offset", "scatter", "ab_minus_vega"):
        out[c].unit = "mag"
        out[c].format = ".3f"
    out.meta.update({"v_band": v, "tolerance": tolerance, "match": match, "min_log_age": min_log_age,
                     "n_fitted": int(fitted.sum())})
    return out


def sed_offset_lines(offsets: Table, name: str = "catalogue") -> list[str]:
    """Warnings, one a band whose median offset exceeds the tolerance, saying what it likely means.

    Where every such band lies within ``match`` of its AB - Vega difference from V, and another
    band with a difference of 0.05 mag or more does too, the fits most likely took AB models
    against Vega photometry (or the reverse); otherwise the models (metallicity, nebular covering
    fraction), a filter or the photometry differ.

    Parameters
    ----------
    offsets
        A :func:`sed_band_offsets` table.
    name
        The catalogue, as the lines name it.

    Returns
    -------
    list of str
        No line where no band exceeds the tolerance.

    Examples
    --------
    >>> off = Table({"band": ["f336w", "f438w", "f814w"], "n": [1188, 1190, 1190],
    ...              "offset": [-0.02, -0.19, 0.42], "scatter": [0.2, 0.1, 0.1],
    ...              "ab_minus_vega": [1.22, -0.12, 0.448], "exceeds": [False, False, True],
    ...              "ab_like": [False, True, True]},
    ...             meta={"v_band": "f555w", "tolerance": 0.3, "match": 0.1, "min_log_age": 7.0})
    >>> print(sed_offset_lines(off, "ngc1566")[0])  # doctest: +NORMALIZE_WHITESPACE
    ngc1566: its SED fits do not match its F814W: relative to F555W it is 0.42 mag fainter than the SSP
    table gives at each source's fitted age and E(B-V) (median of 1190 sources fitted at 10 Myr or older;
    tolerance 0.30 mag). That is F814W's AB - Vega minus F555W's (+0.45) within 0.10 mag, and F438W's -0.19
    is its -0.12: the fits most likely used AB models against Vega photometry (or the reverse), which biases
    their ages, masses and E(B-V)
    """
    meta = offsets.meta
    v, tol, match = str(meta["v_band"]).upper(), float(meta["tolerance"]), float(meta["match"])
    young = f"{10 ** (float(meta['min_log_age']) - 6):g} Myr"
    over = [r for r in offsets if bool(r["exceeds"])]
    support = [r for r in offsets if not r["exceeds"] and r["ab_like"] and abs(float(r["ab_minus_vega"])) >= 0.05
               and np.isfinite(r["offset"])]
    ab = bool(over) and all(r["ab_like"] for r in over) and bool(support)
    lines = []
    for r in over:
        b, off, d = str(r["band"]).upper(), float(r["offset"]), float(r["ab_minus_vega"])
        head = (f"{name}: its SED fits do not match its {b}: relative to {v} it is {abs(off):.2f} mag "
                f"{'fainter' if off > 0 else 'brighter'} than the SSP table gives at each source's fitted age and "
                f"E(B-V) (median of {int(r['n'])} sources fitted at {young} or older; tolerance {tol:.2f} mag). ")
        if ab:
            also = ", ".join(f"{str(s['band']).upper()}'s {float(s['offset']):+.2f} is its "
                             f"{float(s['ab_minus_vega']):+.2f}" for s in support)
            lines.append(head + f"That is {b}'s AB - Vega minus {v}'s ({d:+.2f}) within {match:.2f} mag, and {also}: "
                         "the fits most likely used AB models against Vega photometry (or the reverse), which "
                         "biases their ages, masses and E(B-V)")
        elif r["ab_like"]:
            lines.append(head + f"That is {b}'s AB - Vega minus {v}'s ({d:+.2f}) within {match:.2f} mag, but no "
                         "other band shows its own: an AB/Vega mix-up or another model (metallicity: the table is "
                         "one metallicity) may explain it; the fitted ages, masses and E(B-V) may be biased")
        else:
            lines.append(head + f"It is not {b}'s AB - Vega difference from {v} ({d:+.2f}): the fits' models "
                         "(metallicity: the table is one metallicity; nebular light), a filter or the photometry "
                         "differ; the fitted ages, masses and E(B-V) may be biased")
    return lines


def sed_check_lines(table: Table, name: str = "catalogue", ssp: str | Path | None = None) -> list[str]:
    """:func:`sed_offset_lines` of ``table``, or none where it has no SED fit to check.

    Examples
    --------
    >>> sed_check_lines(Table({"mag_f555w": [20.0], "mag_f814w": [19.5]}))
    []
    """
    if "age" not in table.colnames or "ebv" not in table.colnames or len(bands_in(table)) < 2:
        return []
    return sed_offset_lines(sed_band_offsets(table, ssp=ssp), name)
