"""Colour-colour figure of merit: the four PHANGS age boxes and the Quality Ratio.

Whitmore et al. (section 5, Table 2) count the objects of each class in four boxes of the
U-B vs V-I diagram (Vega magnitudes, no reddening correction):

=====  ============  ======================  ===================
box    age           V-I                     U-B
=====  ============  ======================  ===================
1      > 1 Gyr       0.95 < V-I < 1.5        -0.4 < U-B < 1.0
2      0.1 - 1 Gyr   0.2 < V-I < 0.95        -0.4 < U-B < 1.0
3      10 - 100 Myr  0.1 < V-I < 0.95        -1.1 < U-B < -0.4
4      < 10 Myr      -0.6 < V-I < 0.95       -1.8 < U-B < -1.1
=====  ============  ======================  ===================

for objects brighter than an absolute V limit (they use M_V = -7.8). The boxes, the limit and the
SSP track are Vega, so a catalogue's AB magnitudes (``detect --magsys ab`` records
``meta['magsys'] = 'ab'``; a column may say ``mag(AB)``) are put on Vega first, band by band
(:func:`vega_mag`): U-B and V-I in AB differ from Vega by about +1.3 and -0.45 mag in the HST bands.
When several methods (human, machine ...) classify the same field, the Quality Ratio of a class and box is
QR = std(counts) / sqrt(mean(counts)), the scatter in units of the Poisson expectation; it is
computed only where every method has at least 12 objects in the box (the paper writes both
"at least 12" and "more than 12"; we use >= 12 as the issue says). The standard deviation is
the sample one (ddof = 1), which reproduces the paper's values (NGC 1566: class 1 box 1,
52/34/46/45 -> 1.1; class 3 box 4, 78/239/257/327 -> 7.0; with ddof = 0 they would be 1.0
and 6.1).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass.bands import BANDS, ab_minus_vega, meta_camera, role_hint, ubvi_bands
from starclass.errors import StarclassError
from starclass.schema import CLASS_REF, bands_in, class_array, column_names, mag_col
from starclass.science.ssp import distance_modulus

#: box -> (V-I min, V-I max, U-B min, U-B max), strict inequalities.
BOXES: dict[int, tuple[float, float, float, float]] = {
    1: (0.95, 1.5, -0.4, 1.0),
    2: (0.2, 0.95, -0.4, 1.0),
    3: (0.1, 0.95, -1.1, -0.4),
    4: (-0.6, 0.95, -1.8, -1.1),
}
BOX_AGES: dict[int, str] = {1: "> 1 Gyr", 2: "0.1-1 Gyr", 3: "10-100 Myr", 4: "< 10 Myr"}

#: Class groups counted in Table 2 (label -> member classes).
CLASS_GROUPS: dict[str, tuple[int, ...]] = {"1": (1,), "2": (2,), "3": (3,), "4": (4,), "1+2": (1, 2)}

NO_DETECTION = 90.0  # LEGUS writes 99.999 for "not detected"


#: Units that name the AB system (astropy's ``u.ABmag`` is written ``mag(AB)``), lower case, no spaces.
AB_UNITS: tuple[str, ...] = ("mag(ab)", "abmag")


def magnitude_system(table: Table, band: str) -> str:
    """The system of ``table``'s ``mag_<band>``: ``"ab"`` or ``"vega"``.

    A column whose unit names AB (``mag(AB)``) is AB; otherwise the catalogue's
    ``meta['magsys']`` (what ``detect --magsys`` wrote) decides, and a catalogue that says
    nothing is Vega, the system of LEGUS, PHANGS and ``detect``'s default.

    Examples
    --------
    >>> t = Table({"mag_f555w": [21.0], "mag_f814w": [20.0]}, meta={"magsys": "ab"})
    >>> magnitude_system(t, "f555w"), magnitude_system(Table({"mag_f555w": [21.0]}), "f555w")
    ('ab', 'vega')
    """
    col = mag_col(band)
    if col not in table.colnames:
        raise StarclassError(f"catalogue has no column {col!r}")
    unit = str(getattr(table[col], "unit", None) or "").replace(" ", "").lower()
    if unit in AB_UNITS:
        return "ab"
    system = str(table.meta.get("magsys") or "vega").strip().lower()
    if system not in ("ab", "vega"):
        raise StarclassError(f"catalogue meta 'magsys' is {table.meta.get('magsys')!r}: the magnitude system "
                             "must be 'vega' or 'ab'")
    return system


def vega_mag(table: Table, band: str) -> np.ndarray:
    """``mag_<band>`` of every row on the Vega system (NaN where not detected).

    AB magnitudes (:func:`magnitude_system`) are converted with the band's AB - Vega offset
    (:func:`starclass.bands.ab_minus_vega`, from the STScI zeropoint tables) of the camera that
    took them where the catalogue says it (``meta['cameras']``, as ``detect`` writes it: ACS/WFC's
    and WFC3/UVIS's F555W differ by 0.024 mag), since the PHANGS boxes, the M_V limits and the SSP
    track are all Vega.

    Examples
    --------
    F336W is 1.19 mag fainter in AB than in Vega:

    >>> t = Table({"mag_f336w": [21.19, 99.999]}, meta={"magsys": "ab"})
    >>> vega_mag(t, "f336w").round(3).tolist()
    [20.0, nan]

    An ACS/WFC F555W is 0.006 mag brighter in AB than in Vega (WFC3/UVIS's, the default, 0.03):

    >>> t = Table({"mag_f555w": [21.0]}, meta={"magsys": "ab", "cameras": {"f555w": "acs/wfc"}})
    >>> vega_mag(t, "f555w").round(3).tolist()
    [21.006]
    """
    m = _mag(table, band)
    if magnitude_system(table, band) == "ab":
        return m - _ab_offset(table, band)
    return m


def _ab_offset(table: Table, band: str) -> float:
    """AB - Vega of ``band`` on the camera the catalogue gives it (else the filter's), refused where unknown."""
    if band.lower() not in BANDS:
        raise StarclassError(f"mag_{band} is AB and band {band} has no known AB - Vega offset: cannot put it "
                             "on the Vega system of the PHANGS boxes and the SSP track")
    try:
        return ab_minus_vega(band, meta_camera(table.meta, band))
    except StarclassError as exc:
        raise StarclassError(f"mag_{band} is AB and {exc}: cannot put it on the Vega system of the PHANGS "
                             "boxes and the SSP track") from None


def ab_bands_note(table: Table, bands: list[str] | None = None) -> str:
    """A sentence naming the bands read as AB and the offsets that put them on Vega ('' if none).

    Examples
    --------
    >>> t = Table({"mag_f555w": [21.0], "mag_f814w": [20.0]}, meta={"magsys": "ab"})
    >>> ab_bands_note(t)
    'AB magnitudes put on Vega (m_Vega = m_AB - (AB - Vega)): f555w -0.03, f814w +0.42'
    """
    have = [b for b in (bands or bands_in(table)) if mag_col(b) in table.colnames]
    ab = [b for b in have if magnitude_system(table, b) == "ab" and b.lower() in BANDS]
    if not ab:
        return ""
    return ("AB magnitudes put on Vega (m_Vega = m_AB - (AB - Vega)): "
            + ", ".join(f"{b} {_ab_offset(table, b):+.{_places(table, b)}f}" for b in ab))


def _places(table: Table, band: str) -> int:
    # a camera's published offset to 0.001 mag; the filter-only value is good to a few hundredths
    return 3 if meta_camera(table.meta, band) is not None else 2


def reddening_vector(bands: Mapping[str, str], a_v: float = 1.0) -> tuple[float, float]:
    """The shift (Δ(V-I), Δ(U-B)) that ``a_v`` magnitudes of V extinction give, for the U, B, V, I bands.

    From ``starclass.bands.BANDS[b].a_over_ebv`` (Cardelli, Clayton & Mathis 1989, R_V = 3.1, at
    each band's pivot wavelength): E(B-V) = A_V / (A_V/E(B-V)), then each colour's excess. The
    PHANGS colour-colour diagrams draw it as an arrow: reddening moves a young cluster along it,
    towards the older boxes.

    Parameters
    ----------
    bands
        Role -> band, ``{"u": "f336w", "b": "f438w", "v": "f555w", "i": "f814w"}`` (as
        :func:`starclass.bands.ubvi_bands` returns and ``ssp_track(...).meta["bands"]`` holds).
    a_v
        Extinction in the V band (mag).

    Examples
    --------
    >>> d_vi, d_ub = reddening_vector({"u": "f336w", "b": "f438w", "v": "f555w", "i": "f814w"})
    >>> round(d_vi, 3), round(d_ub, 3)
    (0.433, 0.288)
    """
    a = {r: BANDS[bands[r].lower()].a_over_ebv for r in ("u", "b", "v", "i")}
    ebv = a_v / a["v"]
    return (a["v"] - a["i"]) * ebv, (a["u"] - a["b"]) * ebv


def _mag(table: Table, band: str) -> np.ndarray:
    col = mag_col(band)
    if col not in table.colnames:
        raise StarclassError(f"catalogue has no column {col!r}")
    m = np.asarray(np.ma.filled(table[col], np.nan) if np.ma.isMaskedArray(table[col]) else table[col], float)
    return np.where(np.isfinite(m) & (m < NO_DETECTION), m, np.nan)


def colours(table: Table, bands: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """U-B, V-I and V of every row on the Vega system (NaN where a band is undetected).

    The U, B, V, I bands are picked from the table's ``mag_<band>`` columns by
    :func:`starclass.bands.ubvi_bands` (F336W, F438W or F435W, F555W or F606W, F814W). AB
    magnitudes are put on Vega first (:func:`vega_mag`), as the boxes and the SSP track are Vega.

    Examples
    --------
    U-B = F336W - F438W, V-I = F555W - F814W; 99.999 (not detected) gives NaN:

    >>> t = Table({"mag_f336w": [21.0, 22.0], "mag_f438w": [21.5, 99.999], "mag_f555w": [21.2, 21.9],
    ...            "mag_f814w": [20.5, 21.0]})
    >>> u_b, v_i, v = colours(t)
    >>> u_b.tolist(), v_i.round(3).tolist(), v.tolist()
    ([-0.5, nan], [0.7, 0.9], [21.2, 21.9])
    """
    have = list(bands or bands_in(table))
    roles = ubvi_bands(have)
    missing = [r for r, b in roles.items() if b is None]
    if missing:
        # which bands it has, and which would do: "lacks a band for U, B, V, I" on a table with
        # f555w and f814w truth magnitudes (mag_true_*) left the user guessing
        true_only = sorted(c[len("mag_true_"):] for c in table.colnames if c.startswith("mag_true_"))
        has = (f"its magnitude bands (mag_<band>): {', '.join(have) if have else 'none'}"
               + (f"; truth magnitudes (mag_true_<band>, not used here): {', '.join(true_only)}" if true_only else ""))
        raise StarclassError(f"catalogue lacks a band for {', '.join(r.upper() for r in missing)} "
                             f"({role_hint(missing)}); {has}: no U-B vs V-I diagram possible")
    u, b, v, i = (vega_mag(table, roles[r]) for r in ("u", "b", "v", "i"))
    return u - b, v - i, v


def box_of(u_b: np.ndarray, v_i: np.ndarray) -> np.ndarray:
    """Box number 1-4 of each point, 0 outside every box (or NaN colour).

    Examples
    --------
    >>> box_of(np.array([0.5, 0.5, -0.7, -1.5, 2.0]), np.array([1.2, 0.5, 0.5, 0.0, 0.5])).tolist()
    [1, 2, 3, 4, 0]
    """
    ub = np.asarray(u_b, float)
    vi = np.asarray(v_i, float)
    out = np.zeros(ub.shape, int)
    with np.errstate(invalid="ignore"):
        for k, (v0, v1, u0, u1) in BOXES.items():
            inside = (vi > v0) & (vi < v1) & (ub > u0) & (ub < u1)
            out[inside & (out == 0)] = k
    return out


def _limit(mag_limit: float | None, abs_mag_limit: float | None, distance_mpc: float | None) -> float | None:
    """The apparent V limit from either an apparent or an absolute limit (at a distance)."""
    if mag_limit is None and abs_mag_limit is not None:
        if distance_mpc is None:
            raise StarclassError("an absolute magnitude limit needs distance_mpc")
        mag_limit = abs_mag_limit + distance_modulus(distance_mpc)
    return mag_limit


def _count(ub: np.ndarray, vi: np.ndarray, v: np.ndarray, cls: np.ndarray, mag_limit: float | None) -> Table:
    """Counts per class group and box of rows with colours ``ub``, ``vi``, V ``v`` and classes ``cls``."""
    bright = np.isfinite(v) & (v < mag_limit) if mag_limit is not None else np.isfinite(v)
    box = box_of(ub, vi)
    t = Table()
    t["class"] = list(CLASS_GROUPS)
    for k in BOXES:
        t[f"box_{k}"] = [int(np.sum(bright & np.isin(cls, m) & (box == k))) for m in CLASS_GROUPS.values()]
    t["outside"] = [int(np.sum(bright & np.isin(cls, m) & (box == 0))) for m in CLASS_GROUPS.values()]
    t["n"] = [int(np.sum(bright & np.isin(cls, m))) for m in CLASS_GROUPS.values()]
    t.meta["mag_limit_v"] = None if mag_limit is None else float(mag_limit)
    return t


def box_counts(table: Table, *, class_col: str = CLASS_REF, mag_limit: float | None = None,
               abs_mag_limit: float | None = None, distance_mpc: float | None = None) -> Table:
    """Counts per class group and box for objects brighter than a limit.

    Every row of ``table`` is counted under its own class: these are one catalogue's own counts.
    To compare catalogues (the Quality Ratio), count them on the same objects with
    :func:`matched_box_counts`.

    Parameters
    ----------
    table
        Catalogue with U, B, V, I magnitudes (Vega) and a class column.
    class_col
        Column holding the classes to count.
    mag_limit
        Apparent V limit (keep m_V < mag_limit), or
    abs_mag_limit, distance_mpc
        absolute limit M_V < abs_mag_limit at the given distance (m = M + distance modulus).

    Returns
    -------
    Table with rows ``class`` (1, 2, 3, 4, 1+2) and columns ``box_1`` .. ``box_4``,
    ``outside`` (bright enough but in no box or lacking a colour) and ``n``.

    Examples
    --------
    >>> t = Table({"mag_f336w": [20.3, 19.5], "mag_f438w": [20.3, 20.3], "mag_f555w": [20.0, 20.0],
    ...            "mag_f814w": [18.8, 19.5], "class_ref": [1, 2]})
    >>> c = box_counts(t)
    >>> [int(c["box_1"][0]), int(c["box_3"][1])]
    [1, 1]
    """
    mag_limit = _limit(mag_limit, abs_mag_limit, distance_mpc)
    ub, vi, v = colours(table)
    cls = class_array(table, class_col, name="catalogue")
    t = _count(ub, vi, v, cls, mag_limit)
    t.meta["class_col"] = class_col
    if ab_bands_note(table):  # the table written by evaluate says which system its colours were counted in
        t.meta["magnitudes"] = ab_bands_note(table)
    return t


def matched_box_counts(photometry: Table, classes: Mapping[str, np.ndarray], *, mag_limit: float | None = None,
                       abs_mag_limit: float | None = None, distance_mpc: float | None = None) -> dict[str, Table]:
    """Box counts of several classifications of the same objects, for :func:`qr_table`.

    PHANGS (section 2) compares the methods on "the objects in common between the two catalogs"
    with one photometry, "to focus on differences resulting from classification methodology
    rather than from detection, selection": each method's counts in a box then differ only by
    how it classified the same objects. Counting each catalogue over its own rows instead
    compares how many objects each classified as much as how it classified them (NGC 1566:
    2432 rows with a machine class against 1061 with the people's mode).

    Parameters
    ----------
    photometry
        The objects (one row each) with their U, B, V, I magnitudes (Vega, or AB put on Vega:
        :func:`vega_mag`).
    classes
        Method name -> class of every row of ``photometry`` (1-4; 0 = not classified).
    mag_limit, abs_mag_limit, distance_mpc
        As :func:`box_counts`.

    Returns
    -------
    dict
        Method name -> counts table as :func:`box_counts` returns, with ``meta["objects"]``,
        the number of rows counted.

    Examples
    --------
    >>> t = Table({"mag_f336w": [20.3, 19.5], "mag_f438w": [20.3, 20.3], "mag_f555w": [20.0, 20.0],
    ...            "mag_f814w": [18.8, 19.5]})
    >>> c = matched_box_counts(t, {"human": np.array([1, 2]), "machine": np.array([1, 1])})
    >>> [int(c["human"]["box_3"][0]), int(c["machine"]["box_3"][0])]
    [0, 1]
    """
    mag_limit = _limit(mag_limit, abs_mag_limit, distance_mpc)
    ub, vi, v = colours(photometry)
    out = {}
    for name, cls in classes.items():
        cls = np.asarray(cls)
        if cls.shape != (len(photometry),):
            raise StarclassError(f"matched_box_counts: {name} has {cls.size} classes for {len(photometry)} objects")
        out[name] = _count(ub, vi, v, cls, mag_limit)
        out[name].meta["objects"] = len(photometry)
        if ab_bands_note(photometry):
            out[name].meta["magnitudes"] = ab_bands_note(photometry)
    return out


def quality_ratio(counts: ArrayLike, min_count: int = 12) -> tuple[float | None, str]:
    """QR = std(counts) / sqrt(mean(counts)) of the methods' counts in one box.

    Returns
    -------
    (qr, reason): qr is None (with the reason) when fewer than two methods are given or when
    any method has fewer than ``min_count`` objects.

    Examples
    --------
    The sample standard deviation (``ddof=1``) of 20, 30, 25 is 5, and sqrt(25) = 5:

    >>> quality_ratio([20, 30, 25])
    (1.0, '')
    >>> quality_ratio([20, 5]), quality_ratio([20])
    ((None, 'a method has fewer than 12 objects'), (None, 'needs at least two methods'))
    """
    c = np.asarray(counts, float)
    if c.size < 2:
        return None, "needs at least two methods"
    if np.any(c < min_count):
        return None, f"a method has fewer than {min_count} objects"
    return float(np.std(c, ddof=1) / np.sqrt(np.mean(c))), ""


def qr_table(counts: dict[str, Table], *, groups: tuple[str, ...] = ("1", "2", "3", "1+2"),
             min_count: int = 12) -> Table:
    """Table-2-like comparison: counts of every method per class and box, and QR.

    Parameters
    ----------
    counts
        Method name -> counts per class and box of the same objects: the output of
        :func:`matched_box_counts` (of :func:`box_counts` for catalogues of the very same
        objects). Counts of different objects (each catalogue over its own rows) make a QR
        that measures how many objects each classified, not how it classified them.
    groups
        Class groups to include (the paper leaves class 4 out of the QR analysis).

    Returns
    -------
    Table with ``class``, ``box``, one count column per method (``n_<method>``, the name made
    an identifier by :func:`starclass.schema.column_names`), ``counts`` (the paper's "a/b/c/d"
    string), ``qr`` (masked where not computed) and ``qr_note``; ``meta["objects"]`` is the
    number of objects counted when the counts say so (:func:`matched_box_counts`).

    Examples
    --------
    >>> t = Table({"mag_f336w": [20.3] * 40, "mag_f438w": [20.3] * 40, "mag_f555w": [20.0] * 40,
    ...            "mag_f814w": [18.8] * 40})
    >>> c = matched_box_counts(t, {"human": np.full(40, 1), "machine": np.r_[np.full(30, 1), np.full(10, 2)]})
    >>> q = qr_table(c)
    >>> str(q["counts"][0]), round(float(q["qr"][0]), 2), q.colnames[2:4]
    ('40/30', 1.2, ['n_human', 'n_machine'])
    """
    if not counts:
        raise StarclassError("qr_table needs at least one method's counts")
    methods = list(counts)
    rows = []
    for g in groups:
        for k in BOXES:
            vals = []
            for m in methods:
                t = counts[m]
                r = np.flatnonzero(np.asarray(t["class"]) == g)
                if r.size == 0:
                    raise StarclassError(f"counts of {m} have no class group {g}")
                vals.append(int(t[f"box_{k}"][r[0]]))
            qr, why = quality_ratio(vals, min_count)
            rows.append((g, k, *vals, "/".join(str(v) for v in vals), qr, why))
    # identifiers: a catalogue named after a file stem with a space ("my truth") made "n_my truth"
    names = ["class", "box"] + column_names(methods, prefix="n_") + ["counts", "qr", "qr_note"]
    t = Table(rows=[r[:-2] for r in rows], names=names[:-2])
    t["qr"] = MaskedColumn([0.0 if r[-2] is None else r[-2] for r in rows], mask=[r[-2] is None for r in rows],
                           format=".1f")
    t["qr_note"] = [r[-1] for r in rows]
    t.meta["methods"] = methods
    objects = {m: counts[m].meta.get("objects") for m in methods}
    if all(n is not None for n in objects.values()) and len(set(objects.values())) == 1:
        t.meta["objects"] = next(iter(objects.values()))  # the same objects, counted by every method
    t.meta["definition"] = (f"QR = std(counts, ddof=1) / sqrt(mean(counts)); only where every method has "
                            f">= {min_count:d}")
    return t
