"""Checks of the science code against published numbers for LEGUS NGC 1566.

The published figures are those of Whitmore et al. (PHANGS-HST; Table 2 LEGUS column,
Tables 4 and 5 LEGUS columns) and Perez et al. (StarcNet; Table 6 class counts, section 2.1
class counts). The PHANGS boxes and fits for "LEGUS" used the LEGUS *classes* with PHANGS
photometry, ages and masses of the same objects, so a catalogue with LEGUS's own photometry
and SED fits is expected to differ a little; the QR of our counts against theirs says by how
much in Poisson units.

:func:`legus_ngc1566_checks` takes a catalogue already read into the schema (by
``starclass.io.catalog.read_catalog``); this package never reads ``../shared`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from astropy.table import MaskedColumn, Table

from starclass.errors import StarclassError
from starclass.schema import (
    CLASS_HUMAN_MODE,
    CLASS_METHOD,
    CLASS_ML,
    CLASS_ML_CHECKED,
    CLASS_RECLASSIFIED,
    CLASS_REF,
    class_array,
)
from starclass.science.agefunc import age_distributions
from starclass.science.colour import box_counts, quality_ratio
from starclass.science.massfunc import catalog_mass_kind, mass_functions, mass_limit

DISTANCE_MPC = 17.7  # PHANGS paper
ABS_MAG_LIMIT = -7.8  # M_V used for Table 2

#: Table 2, LEGUS column (boxes 1-4) for NGC 1566, M_V < -7.8.
PUBLISHED_BOXES: dict[str, tuple[int, int, int, int]] = {
    "1": (34, 135, 84, 25),
    "2": (11, 26, 85, 127),
    "3": (6, 8, 69, 239),
    "4": (5, 20, 79, 116),
    "1+2": (45, 161, 138, 152),
}
#: StarcNet Table 6: NGC 1566 sources per class (column 34 of the LEGUS file).
PUBLISHED_CLASS_COUNTS: dict[int, int] = {1: 477, 2: 404, 3: 692, 4: 878}
#: Table 4, LEGUS, class 1+2: (log age lo, hi) -> (beta, error).
PUBLISHED_BETA: dict[tuple[float, float], tuple[float, float]] = {
    (6.0, 7.0): (-1.73, 0.09), (7.0, 8.0): (-2.01, 0.19), (8.0, 8.6): (-2.00, 0.10),
}
#: Table 5, LEGUS, class 1+2, log age 6.5-9: (log M lo, hi) -> (gamma, error).
PUBLISHED_GAMMA: dict[tuple[float, float | None], tuple[float, float]] = {
    (4.0, 4.8): (-0.49, 0.01), (4.8, None): (-0.57, 0.09),
}
#: StarcNet section 2.1 (13 LEGUS galaxies): human agreement.


def class_count_check(table: Table, class_col: str = CLASS_REF) -> Table:
    """Objects per class beside StarcNet's Table 6.

    Examples
    --------
    >>> class_count_check(Table({"class_ref": [1, 1, 2, 4, 0]}))["n"].tolist()
    [2, 1, 0, 1]
    """
    cls = class_array(table, class_col, name="catalogue")
    ks = list(PUBLISHED_CLASS_COUNTS)
    return Table({"class": ks, "n": [int(np.sum(cls == k)) for k in ks],
                  "n_published": [PUBLISHED_CLASS_COUNTS[k] for k in ks]})


def box_check(table: Table, *, class_col: str = CLASS_REF, distance_mpc: float = DISTANCE_MPC,
              abs_mag_limit: float = ABS_MAG_LIMIT) -> Table:
    """Counts per class and box beside the published LEGUS column, with QR of the two.

    Examples
    --------
    Five objects are too few for a quality ratio (fewer than 12 per method):

    >>> t = Table({"class_ref": [1, 1, 2, 4, 0], "mag_f336w": [20.0] * 5, "mag_f438w": [20.3] * 5,
    ...            "mag_f555w": [20.0, 20.5, 21.0, 22.0, 20.0], "mag_f814w": [19.0, 19.8, 21.5, 21.0, 19.0]})
    >>> b = box_check(t)
    >>> b["n"][:4].tolist(), b["n_published"][:4].tolist(), str(b["qr_note"][0])
    ([1, 1, 0, 0], [34, 135, 84, 25], 'a method has fewer than 12 objects')
    """
    ours = box_counts(table, class_col=class_col, abs_mag_limit=abs_mag_limit, distance_mpc=distance_mpc)
    rows = []
    for r in ours:
        g = str(r["class"])
        pub = PUBLISHED_BOXES[g]
        for k in range(1, 5):
            qr, note = quality_ratio([int(r[f"box_{k}"]), pub[k - 1]])
            rows.append((g, k, int(r[f"box_{k}"]), pub[k - 1], qr, note))
    t = Table(rows=[r[:4] for r in rows], names=("class", "box", "n", "n_published"))
    t["qr"] = MaskedColumn([0.0 if r[4] is None else r[4] for r in rows], mask=[r[4] is None for r in rows],
                           format=".2f")
    t["qr_note"] = [r[5] for r in rows]
    t.meta["mag_limit_v"] = ours.meta["mag_limit_v"]
    return t


def massfunction_check(table: Table, *, classes: Sequence[int] = (1, 2), class_col: str = CLASS_REF,
                       abs_mag_limit: float = ABS_MAG_LIMIT) -> Table:
    """beta for class 1+2 in log age 6-7, 7-8, 8-8.6 beside the published LEGUS column.

    The lower mass limit of each range is the mass visible at M_V = ``abs_mag_limit`` at the
    range's oldest age (SSP model, :func:`starclass.science.massfunc.mass_limit`), in the
    convention of the catalogue's masses (``meta['mass_kind']``; mass formed where it does not say):
    ``meta['mass_kind']`` of the result says which.

    Examples
    --------
    >>> t = Table({"class_ref": [1, 1, 2], "age": [1e6, 1e7, 1e8], "mass": [1e4, 2e4, 5e4]})
    >>> m = massfunction_check(t)
    >>> m["beta_published"].tolist(), m["log_mass_min"].tolist(), m.meta["mass_kind"]
    ([-1.73, -2.01, -2.0], [3.51, 4.25, 4.68], 'formed (assumed)')

    A LEGUS catalogue's masses are stellar (``io.legus`` says so): the stars left at 10, 100 and 400 Myr,
    0.05, 0.08 and 0.10 dex below the mass formed:

    >>> t.meta["mass_kind"] = "stellar"
    >>> massfunction_check(t)["log_mass_min"].tolist()
    [3.47, 4.16, 4.58]
    """
    for c in ("age", "mass"):
        if c not in table.colnames:
            raise StarclassError(f"catalogue has no column {c!r}: no mass functions")
    cls = class_array(table, class_col, name="catalogue")
    sel = np.isin(cls, classes)
    ranges = tuple(PUBLISHED_BETA)
    # on the Vega system of the catalogue's cameras where it names them (ACS/WFC's F555W: 0.024 mag)
    # in the convention of the catalogue's masses: LEGUS's are stellar, 0.05-0.10 dex below the mass formed
    kind, stated = catalog_mass_kind(table)
    mins = [round(mass_limit(hi, abs_mag_limit, cameras=table.meta.get("cameras"), mass_kind=kind), 2)
            for _, hi in ranges]
    t = mass_functions(np.asarray(table["mass"], float)[sel], np.asarray(table["age"], float)[sel],
                       age_ranges=ranges, log_mass_min=mins)
    t["beta_published"] = [PUBLISHED_BETA[r][0] for r in ranges]
    t["beta_published_err"] = [PUBLISHED_BETA[r][1] for r in ranges]
    t.meta["mass_kind"] = kind if stated else f"{kind} (assumed)"
    return t


def agedist_check(table: Table, *, classes: Sequence[int] = (1, 2), class_col: str = CLASS_REF) -> Table:
    """gamma for class 1+2 in log M 4-4.8 and > 4.8 (log age 6.5-9) beside the published LEGUS column.

    Examples
    --------
    >>> t = Table({"class_ref": [1, 1, 2, 4], "age": [1e6, 1e7, 1e8, 1e9], "mass": [1e4, 2e4, 5e4, 1e5]})
    >>> a = agedist_check(t)
    >>> a["n"].tolist(), a["gamma_published"].tolist()
    ([3, 0], [-0.49, -0.57])
    """
    cls = class_array(table, class_col, name="catalogue")
    sel = np.isin(cls, classes)
    ranges = tuple(PUBLISHED_GAMMA)
    t = age_distributions(np.asarray(table["mass"], float)[sel], np.asarray(table["age"], float)[sel],
                          log_mass_ranges=ranges, log_age_range=(6.5, 9.0))
    t["gamma_published"] = [PUBLISHED_GAMMA[r][0] for r in ranges]
    t["gamma_published_err"] = [PUBLISHED_GAMMA[r][1] for r in ranges]
    return t


def hybrid_check(table: Table) -> Table:
    """What the NGC 1566 hybrid columns support: the three-human mode against the ML class and
    against one human's check of it, on the sources where both exist.

    Columns 36-39 of the NGC 1566 file are not individual people (col 36 the mode of three
    humans, 37 an ML class, 38 one human checking the ML class, 39 a re-classification), so no
    person-to-person agreement can be read from them. Binary: clusters (1, 2) against the rest;
    ``123v4``: classes 1-3 against class 4, the LEGUS papers' cluster-or-not split.

    Parameters
    ----------
    table
        The NGC 1566 catalogue read by ``read_catalog`` (hybrid layout).

    Returns
    -------
    astropy.table.Table
        ``pair, n, agree_4class, n_agree_4class, agree_binary, n_agree_binary, agree_123v4,
        n_agree_123v4``, and a row per
        method flag checking that ``class_ref`` is the column the flag names.

    Raises
    ------
    StarclassError
        When the table lacks the hybrid columns.

    Examples
    --------
    >>> t = Table({"class_ref": [1, 2, 3], "class_method": [3, 0, 1], "class_human_mode": [1, 1, 0],
    ...            "class_ml": [2, 2, 3], "class_ml_checked": [0, 0, 3]})
    >>> r = hybrid_check(t)
    >>> int(r["n"][0]), float(r["agree_4class"][0]), float(r["agree_binary"][0]), float(r["agree_123v4"][0])
    (2, 0.0, 1.0, 1.0)
    """
    need = (CLASS_HUMAN_MODE, CLASS_ML, CLASS_ML_CHECKED, CLASS_METHOD)
    missing = [c for c in need if c not in table.colnames]
    if missing:
        raise StarclassError(f"no hybrid columns ({', '.join(missing)}): not the NGC 1566 layout")
    mode = class_array(table, CLASS_HUMAN_MODE)
    ml = class_array(table, CLASS_ML)
    checked = class_array(table, CLASS_ML_CHECKED)
    rows = []
    for name, a, b in (("human mode (col 36) vs ML (col 37)", mode, ml),
                       ("human mode (col 36) vs 1 human checking ML (col 38)", mode, checked),
                       ("ML (col 37) vs 1 human checking ML (col 38)", ml, checked)):
        both = (a > 0) & (b > 0)
        n = int(both.sum())
        same4 = int((a[both] == b[both]).sum())
        same2 = int(((a[both] <= 2) == (b[both] <= 2)).sum())
        same3 = int(((a[both] <= 3) == (b[both] <= 3)).sum())
        rows.append((name, n, same4 / n if n else np.nan, same4, same2 / n if n else np.nan, same2,
                     same3 / n if n else np.nan, same3))
    out = Table(rows=rows, names=("pair", "n", "agree_4class", "n_agree_4class", "agree_binary", "n_agree_binary",
                                  "agree_123v4", "n_agree_123v4"))
    # the survey's rule: col 34 comes from col 37 (flag 0), col 38 (flag 1), col 36 (flags 3, 4); and, as the
    # file shows, from col 39 on flag 6 (a former class 4 re-classified by one person)
    ref = class_array(table, CLASS_REF)
    flag = np.asarray(table[CLASS_METHOD], int)
    checks = {}
    sources = [((0,), ml), ((1,), checked), ((3, 4), mode)]
    if CLASS_RECLASSIFIED in table.colnames:
        sources.append(((6,), class_array(table, CLASS_RECLASSIFIED)))
    for flags, src in sources:
        sel = np.isin(flag, flags)
        checks[flags] = (int(sel.sum()), int((ref[sel] == src[sel]).sum()))
    out.meta["class_ref_follows_method"] = checks
    return out


def legus_ngc1566_checks(table: Table) -> dict[str, Table]:
    """All checks; a check that cannot run (missing columns) is replaced by a one-row note.

    Examples
    --------
    A catalogue without the hybrid columns gets a note in their place:

    >>> r = legus_ngc1566_checks(Table({"class_ref": [1, 2], "age": [1e7, 1e8], "mass": [1e4, 1e5]}))
    >>> list(r), str(r["hybrid_agreement"]["note"][0])[:20]
    (['class_counts', 'boxes', 'mass_functions', 'age_distributions', 'hybrid_agreement'], 'no hybrid columns (c')
    """
    out: dict[str, Table] = {}
    for name, fn in (("class_counts", class_count_check), ("boxes", box_check), ("mass_functions", massfunction_check),
                     ("age_distributions", agedist_check), ("hybrid_agreement", hybrid_check)):
        try:
            out[name] = fn(table)
        except StarclassError as exc:
            out[name] = Table({"note": [str(exc)]})
    return out
