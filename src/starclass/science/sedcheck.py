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

A mix-up of magnitude systems moves every fitted age alike; an offset that changes with age does not
come from one. Each band's offset is therefore also taken at 10-30 and at 30-100 Myr
(:data:`AGE_BINS`, :func:`sed_offsets_by_age`); where the two differ by more than
:data:`AGE_TREND_SIGNIFICANCE` standard errors (the two medians' sampling errors and
:data:`AGE_TREND_FLOOR`, the change fits that match their photometry show, in quadrature) the warning
says the offset depends on age (the models' metallicity, or the V band) instead of AB against Vega:
UGC 5340's and five dwarf fields' F814W are 0.24-0.35 mag fainter at 10-30 Myr than at 30-100 Myr (4.2-6.8
standard errors), NGC 1566's and NGC 1433's 0.02-0.04 (under 1), UGCA 281's 0.17 from few sources (1.9)
(docs/legus_validation.md, "The age rule weighs the trend against its errors"). :func:`sed_readings` is
the one place that reading is made. A band within the tolerance that changes with age as significantly is
said in a note, not a warning (:func:`sed_trend_notes`: NGC 4449's, NGC 4485's F814W; the UV and U of most
dwarf fields). Where the catalogue carries its fits' own residuals (LEGUS's columns 26-30), the change of those
and of the table's model less the fits' says whose the trend is (:func:`trend_cause`): LEGUS's own residuals
carry the UV and U trends (the photometry departs from the fits' own models), while in F814W the table and the
fits' models differ (docs/legus_validation.md, "The UV and U age trends are the fits' own").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from astropy.table import Row, Table

from starclass.bands import BANDS, v_band
from starclass.errors import StarclassError, counted
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

#: Bins of fitted age (log10 yr) of :func:`sed_offsets_by_age`: red supergiants light the red bands most at
#: 10-30 Myr, and how much depends on the stars' metallicity.
AGE_BINS = ((7.0, 7.5), (7.5, 8.0), (8.0, 8.5), (8.5, 10.5))

#: :data:`AGE_BINS` in words.
AGE_WORDS = ("10-30 Myr", "30-100 Myr", "0.1-0.3 Gyr", "> 0.3 Gyr")

#: Systematic floor (mag) of a band's change of offset between 10-30 and 30-100 Myr in fits that match their
#: photometry: the root mean square of that change, less its own sampling error, over the 8 LEGUS fields whose every
#: band lies within half the tolerance (0.15 mag) of the SSP table (NGC 628-C, NGC 628-E, NGC 7793-W, NGC 3351,
#: NGC 4242, NGC 45, NGC 5474, NGC 6503; 32 bands: RMS change 0.057 mag, RMS sampling error 0.035, floor 0.045;
#: ``benchmarks/legus_sed_offsets.py --trend-floor``). Medians of a thousand sources are known to 0.01 mag, yet
#: such fields' F814W moves up to 0.10 mag between the bins (NGC 5474: -0.097 +- 0.006): the table's single
#: metallicity and the fits' age grid leave that much in fits on the right system, so a change is weighed
#: against this as well as against its sampling error.
AGE_TREND_FLOOR = 0.045

#: How many standard errors (:data:`AGE_TREND_FLOOR` and the two medians' sampling errors in quadrature) a band's
#: change of offset between 10-30 and 30-100 Myr must reach to be said to depend on age: 3, a chance of 0.3%
#: for a normal deviate, so among the dozen-odd bands beyond the tolerance in the 35 LEGUS fields (the only ones
#: read) fewer than one in twenty such surveys would call a flat one aged by chance (docs/legus_validation.md,
#: "The age rule weighs the trend against its errors"). The 0.1-0.3 Gyr bin is left out of the rule: there many
#: fields' offsets scatter by +-0.5 mag, whatever their system.
AGE_TREND_SIGNIFICANCE = 3.0

#: A fit residual (LEGUS columns 26-30) at least this large in magnitude is none: LEGUS writes 200 for a band
#: left out of the fit.
FIT_RESIDUAL_MISSING = 100.0

#: Where docs/legus_validation.md measures the causes of the trends (what the notes and warnings point to).
TREND_CAUSES_DOC = 'docs/legus_validation.md, "The UV and U age trends are the fits\' own"'

#: :func:`trend_cause`'s readings: the catalogue's own fits leave the change in their residuals too, or the
#: fits' models and the table differ in it.
TREND_CAUSES = ("fits", "models")


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
        deviation), ``ab_minus_vega`` (the band's AB - Vega minus V's), ``exceeds``, ``ab_like``;
        ``n_10_30_myr``, ``offset_10_30_myr``, ``n_30_100_myr``, ``offset_30_100_myr`` (the first two
        :data:`AGE_BINS`, as :func:`sed_offsets_by_age`), ``age_trend`` (the first less the second, mag),
        ``age_trend_err`` (its standard error: each median's, ``1.2533 scatter / sqrt(n)`` of its bin, and
        :data:`AGE_TREND_FLOOR` in quadrature), ``age_trend_z`` (their ratio) and ``age_dependent`` (both
        medians given and ``|age_trend_z|`` above :data:`AGE_TREND_SIGNIFICANCE`). ``meta`` holds ``v_band``,
        ``tolerance``, ``match``, ``min_log_age``, ``n_fitted``, ``age_trend_floor`` and
        ``age_trend_significance``.

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
    v, la, fitted, rel, diffs = _relative_residuals(table, ssp, min_log_age)
    own = _fit_residuals(table, v)
    young, older = ((la >= lo - 1e-9) & (la < hi - 1e-9) for lo, hi in AGE_BINS[:2])
    rows = []
    for b, r_all in rel.items():
        med, scatter, n = _median(r_all, fitted)
        med_y, sc_y, n_y = _median(r_all, fitted & young)
        med_o, sc_o, n_o = _median(r_all, fitted & older)
        trend, err = _age_trend(med_y, sc_y, n_y, med_o, sc_o, n_o)
        # the same change of the fits' own residual, and of the table's model less the fits' (per source)
        fit, fit_err = _bin_change(own[b], fitted, young, older) if b in own else (np.nan, np.nan)
        model, model_err = _bin_change(r_all - own[b], fitted, young, older) if b in own else (np.nan, np.nan)
        d = diffs[b]
        # rounded as printed: AB - Vega offsets are tabulated to 3 decimals (0.42 + 0.03 was 0.44999999999999996)
        # exceeds as printed (2 decimals): a -0.3002 was warned of as "-0.30" beyond a tolerance of 0.30
        rows.append((b, n, round(med, 4), round(scatter, 4), round(d, 3), bool(abs(round(med, 2)) > tolerance),
                     bool(abs(med - d) <= match), n_y, round(med_y, 4), n_o, round(med_o, 4),
                     round(trend, 4), round(err, 4), round(trend / err, 2),
                     bool(abs(trend / err) > AGE_TREND_SIGNIFICANCE),
                     round(fit, 4), round(fit / fit_err, 2), round(model, 4), round(model_err, 4),
                     round(model / model_err, 2),
                     trend_cause(trend, trend / err, fit, fit / fit_err, model, model / model_err)))
    out = Table(rows=rows or None, names=("band", "n", "offset", "scatter", "ab_minus_vega", "exceeds", "ab_like",
                                          "n_10_30_myr", "offset_10_30_myr", "n_30_100_myr", "offset_30_100_myr",
                                          "age_trend", "age_trend_err", "age_trend_z", "age_dependent",
                                          "fit_trend", "fit_trend_z", "model_trend", "model_trend_err",
                                          "model_trend_z", "trend_cause"),
                dtype=(str, int, float, float, float, bool, bool, int, float, int, float, float, float, float, bool,
                       float, float, float, float, float, str))
    for c in ("age_trend_z", "fit_trend_z", "model_trend_z"):
        out[c].format = ".1f"
    for c in ("offset", "scatter", "ab_minus_vega", "offset_10_30_myr", "offset_30_100_myr", "age_trend",
              "age_trend_err", "fit_trend", "model_trend", "model_trend_err"):
        out[c].unit = "mag"
        out[c].format = ".3f"
    out.meta.update({"v_band": v, "tolerance": tolerance, "match": match, "min_log_age": min_log_age,
                     "n_fitted": int(fitted.sum()), "age_trend_floor": AGE_TREND_FLOOR,
                     "age_trend_significance": AGE_TREND_SIGNIFICANCE})
    return out


def _age_trend(med_y: float, sc_y: float, n_y: int, med_o: float, sc_o: float, n_o: int) -> tuple[float, float]:
    """A band's change of median offset between two age bins and its standard error (NaN where a bin has none).

    A median's sampling error is ``sqrt(pi / 2) sigma / sqrt(n)`` for normal residuals, ``sigma`` here the bin's
    1.4826 x median absolute deviation (robust to the few sources far off); the floor
    (:data:`AGE_TREND_FLOOR`) is what fits that match their photometry show beyond it.
    """
    se_y, se_o = (np.sqrt(np.pi / 2) * sc / np.sqrt(n) if n else np.nan for sc, n in ((sc_y, n_y), (sc_o, n_o)))
    return med_y - med_o, float(np.sqrt(se_y ** 2 + se_o ** 2 + AGE_TREND_FLOOR ** 2))


def _bin_change(r: np.ndarray, fitted: np.ndarray, young: np.ndarray, older: np.ndarray) -> tuple[float, float]:
    """The change of ``r``'s median between the two age bins and its standard error (:func:`_age_trend`)."""
    return _age_trend(*_median(r, fitted & young), *_median(r, fitted & older))


def _fit_residuals(table: Table, v: str) -> dict[str, np.ndarray]:
    """Each band's residual of the catalogue's own SED fits relative to V's, as observed - model (mag); {} without.

    The residual columns are named in ``meta`` (:data:`starclass.io.legus.FIT_RESIDUALS`); they are positive where
    the observed flux is above the fit's model, so minus a band's less V's is observed minus the fit's model in
    the sense of this check's offsets.
    """
    from starclass.io.legus import FIT_RESIDUALS

    cols = table.meta.get(FIT_RESIDUALS) or {}
    if v not in cols or any(c not in table.colnames for c in cols.values()):
        return {}

    def mag(col: str) -> np.ndarray:
        x = np.asarray(table[col], float)
        return np.where(np.abs(x) < FIT_RESIDUAL_MISSING, x, np.nan)

    rv = mag(cols[v])
    return {b: -(mag(c) - rv) for b, c in cols.items() if b != v}


def trend_columns_words(table: Table, v: str) -> str:
    """What a :func:`sed_band_offsets` table's age-trend columns hold, and the columns ``fit_trend`` is from.

    The table's caption says it (``report``'s page, ``evaluate``'s ``sed_offsets_*.ecsv``): the UV and U
    ``fit_trend`` of the LEGUS dwarf fields (their own fits' excess at 10-30 Myr) was shown with no word of
    where it came from, the catalogue's fit residuals (LEGUS columns 26-30) and not the SSP table.

    Parameters
    ----------
    table
        The catalogue the offsets were taken of (its ``meta['fit_residuals']``: band to column).
    v
        The V band the offsets are relative to.

    Returns
    -------
    str
        Sentences for a caption.

    Examples
    --------
    >>> t = Table({"sed_chi2_f336w": [0.1], "sed_chi2_f555w": [0.2]},
    ...           meta={"fit_residuals": {"f336w": "sed_chi2_f336w", "f555w": "sed_chi2_f555w"}})
    >>> print(trend_columns_words(t, "f555w"))  # doctest: +NORMALIZE_WHITESPACE
    age_trend: offset_10_30_myr less offset_30_100_myr (age_trend_err its standard error, age_trend_z their
    ratio). fit_trend: the same change of the catalogue's own SED-fit residuals, not of the SSP table: its
    columns sed_chi2_f336w (F336W) and sed_chi2_f555w (F555W) (LEGUS columns 26-30, observed less the fit's best
    model), each less V's, the sign turned so that + is fainter, as offset; fit_trend_z its significance.
    model_trend: the table's model less the fits' own, per source (model_trend_err, model_trend_z).
    trend_cause: 'fits' or 'models' where either makes a significant change (docs/legus_validation.md,
    "The UV and U age trends are the fits' own").
    >>> print(trend_columns_words(Table({"x": [1.0]}), "f555w").split(". ")[1])  # doctest: +NORMALIZE_WHITESPACE
    fit_trend, fit_trend_z, model_trend and its error and trend_cause are empty (NaN): the catalogue has no
    SED-fit residual columns.
    """
    from starclass.io.legus import FIT_RESIDUALS

    head = ("age_trend: offset_10_30_myr less offset_30_100_myr (age_trend_err its standard error, age_trend_z "
            "their ratio). ")
    cols = table.meta.get(FIT_RESIDUALS) or {}
    if v not in cols or any(c not in table.colnames for c in cols.values()):
        return head + ("fit_trend, fit_trend_z, model_trend and its error and trend_cause are empty (NaN): the "
                       "catalogue has no SED-fit residual columns.")
    named = [f"{c} ({str(b).upper()})" for b, c in cols.items()]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return (head + f"fit_trend: the same change of the catalogue's own SED-fit residuals, not of the SSP table: its "
            f"columns {listed} (LEGUS columns 26-30, observed less the fit's best model), each less V's, the sign "
            "turned so that + is fainter, as offset; fit_trend_z its significance. model_trend: the table's model "
            "less the fits' own, per source (model_trend_err, model_trend_z). trend_cause: 'fits' or 'models' where "
            f"either makes a significant change ({TREND_CAUSES_DOC}).")


def trend_cause(trend: float, z: float, fit: float, fit_z: float, model: float, model_z: float) -> str:
    """Whether a band's change with age is the catalogue's own fits' or a difference of the fits' models from the table.

    ``"models"`` where the table's model less the fits' own (per source) changes between the age bins in the
    same direction as the check's offset by more than :data:`AGE_TREND_SIGNIFICANCE` standard errors: the fits
    were made with models that change otherwise with age (another metallicity, most likely). ``"fits"``
    where that is not so and the fits' own residuals change in that direction by more than as many standard
    errors: the photometry departs from the fits' own models there as from the table, so nothing starclass
    applies (the table's metallicity, filters, magnitude system, extinction) makes the change. ``""`` where
    the check's change is not significant, the catalogue has no fit residuals (NaN), or neither reading holds.

    Parameters
    ----------
    trend, z
        The check's change of offset between 10-30 and 30-100 Myr (mag) and its significance.
    fit, fit_z
        The same change of the fits' own residuals, and its significance.
    model, model_z
        The same change of the table's model less the fits' own, and its significance.

    Returns
    -------
    str
        One of :data:`TREND_CAUSES`, or "".

    Examples
    --------
    NGC 4449's F336W (LEGUS's own residuals change alike) and F814W (the models differ):

    >>> trend_cause(-0.33, -7.1, -0.31, -6.0, 0.08, 1.5), trend_cause(0.18, 3.7, -0.21, -4.0, 0.35, 6.9)
    ('fits', 'models')
    >>> trend_cause(0.18, 3.7, float("nan"), float("nan"), float("nan"), float("nan"))
    ''
    """
    if not (np.isfinite(z) and abs(z) > AGE_TREND_SIGNIFICANCE):
        return ""
    way = np.sign(trend)
    if np.isfinite(model_z) and np.sign(model) == way and abs(model_z) > AGE_TREND_SIGNIFICANCE:
        return "models"
    if np.isfinite(fit_z) and np.sign(fit) == way and abs(fit_z) > AGE_TREND_SIGNIFICANCE:
        return "fits"
    return ""


def _relative_residuals(table: Table, ssp: str | Path | None,
                        min_log_age: float) -> tuple[str, np.ndarray, np.ndarray, dict[str, np.ndarray],
                                                     dict[str, float]]:
    """V band, log age, fitted rows, each band's (observed - model) minus V's, and its AB - Vega minus V's."""
    from starclass.science.colour import vega_mag
    from starclass.science.ssp import load_ssp

    missing = [c for c in ("age", "ebv") if c not in table.colnames]
    if missing:
        raise StarclassError(f"{table.meta.get('source', 'catalogue')}: no {' or '.join(missing)} column: "
                             "no SED fit to check against the photometry")
    bands = bands_in(table)
    if len(bands) < 2:
        raise StarclassError(f"{table.meta.get('source', 'catalogue')}: {counted(len(bands), 'band')}; the SED "
                             "check compares each band with V")
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
    rel, diffs = {}, {}
    for b in bands:
        if b == v or mag_col(b) not in model.colnames:
            continue
        rel[b] = residual(b) - rv
        diffs[b] = float(offsets.get(b, BANDS[b].ab_minus_vega) - offsets.get(v, BANDS[v].ab_minus_vega))
    return v, la, fitted, rel, diffs


def _median(r: np.ndarray, rows: np.ndarray) -> tuple[float, float, int]:
    """Median and 1.4826 x median absolute deviation of ``r`` on ``rows`` (NaN under MIN_SOURCES), and the count."""
    r = r[rows & np.isfinite(r)]
    if len(r) < MIN_SOURCES:
        return float("nan"), float("nan"), len(r)
    med = float(np.median(r))
    return med, float(1.4826 * np.median(np.abs(r - med))), len(r)


def sed_offsets_by_age(table: Table, *, ssp: str | Path | None = None,
                       bins: tuple[tuple[float, float], ...] = AGE_BINS) -> Table:
    """Each band's median offset relative to V (as :func:`sed_band_offsets`) in bins of fitted age.

    An AB - Vega mix-up of the fits moves every age alike; models of another metallicity move the
    red bands most at 10-30 Myr, where red supergiants light them.

    Parameters
    ----------
    table
        A catalogue with ``age`` [yr], ``ebv`` and ``mag_<band>`` columns.
    ssp
        An SSP table (as ``--ssp``); default the packaged one.
    bins
        (low, high) log10 age [yr] of each bin, low included.

    Returns
    -------
    astropy.table.Table
        One row per band other than V and bin: ``band``, ``log_age_min``, ``log_age_max``, ``n``,
        ``offset`` (median, mag; NaN under :data:`MIN_SOURCES` sources). ``meta['v_band']`` is V.

    Raises
    ------
    StarclassError
        No ``age`` or ``ebv`` column, or fewer than two bands.

    Examples
    --------
    A catalogue made from the table, whose F814W is 0.3 mag fainter at 10-30 Myr only:

    >>> from starclass.science.ssp import load_ssp
    >>> ssp = load_ssp()
    >>> la = np.linspace(7.0, 8.99, 100)
    >>> t = Table({"age": 10**la, "ebv": np.zeros(100)})
    >>> for b in ("f555w", "f814w"):
    ...     t[f"mag_{b}"] = np.interp(la, ssp["log_age"], ssp[f"mag_{b}"]) + 25.0
    >>> t["mag_f814w"] += np.where(la < 7.5, 0.3, 0.0)
    >>> by = sed_offsets_by_age(t, bins=((7.0, 7.5), (7.5, 8.0), (8.0, 9.0)))
    >>> [(int(r["n"]), round(float(r["offset"]), 2)) for r in by]
    [(25, 0.3), (25, 0.0), (50, 0.0)]

    :func:`sed_band_offsets` takes the first two bins for its age rule:

    >>> row = sed_band_offsets(t)[0]
    >>> round(float(row["offset_10_30_myr"]), 2), round(float(row["offset_30_100_myr"]), 2), bool(row["age_dependent"])
    (0.3, 0.0, True)
    """
    v, la, fitted, rel, _ = _relative_residuals(table, ssp, min(lo for lo, _ in bins))
    rows = []
    for b, r in rel.items():
        for lo, hi in bins:
            med, _, n = _median(r, fitted & (la >= lo - 1e-9) & (la < hi - 1e-9))
            rows.append((b, lo, hi, n, round(med, 4)))
    out = Table(rows=rows or None, names=("band", "log_age_min", "log_age_max", "n", "offset"),
                dtype=(str, float, float, int, float))
    out["offset"].unit = "mag"
    out["offset"].format = ".3f"
    out.meta["v_band"] = v
    return out


def sed_readings(offsets: Table) -> dict[str, str]:
    """What each band beyond the tolerance most likely means: the one rule the warnings and benchmarks read.

    ``"age"`` where the band's offset at 10-30 Myr and at 30-100 Myr differ by more than
    :data:`AGE_TREND_SIGNIFICANCE` standard errors (``age_dependent``): a mix-up of magnitude systems
    moves every age alike, so the fits' models (their metallicity) or their V band differ. Else
    ``"ab_vega"`` where every band beyond the tolerance lies within ``match`` of its AB - Vega difference
    from V, none depends on age, and another band with a difference of 0.05 mag or more lies at its own
    too: the fits most likely took AB models against Vega photometry (or the reverse). Else
    ``"ab_band"`` where the band alone shows its difference, and ``"other"``. A table without
    ``age_dependent`` (one made before the age bins) is read as flat.

    Parameters
    ----------
    offsets
        A :func:`sed_band_offsets` table.

    Returns
    -------
    dict of str to str
        Band (lower case) to reading, for the bands beyond the tolerance only.

    Examples
    --------
    >>> off = Table({"band": ["f438w", "f814w"], "offset": [-0.19, 0.42], "ab_minus_vega": [-0.12, 0.448],
    ...              "exceeds": [False, True], "ab_like": [True, True], "age_dependent": [False, False]})
    >>> sed_readings(off)
    {'f814w': 'ab_vega'}
    >>> off["age_dependent"][1] = True
    >>> sed_readings(off)
    {'f814w': 'age'}
    """
    def aged(r: Row) -> bool:
        return "age_dependent" in r.colnames and bool(r["age_dependent"])

    over = [r for r in offsets if bool(r["exceeds"])]
    support = [r for r in offsets if not r["exceeds"] and r["ab_like"] and abs(float(r["ab_minus_vega"])) >= 0.05
               and np.isfinite(r["offset"])]
    ab = bool(over) and all(r["ab_like"] and not aged(r) for r in over) and bool(support)
    return {str(r["band"]): "age" if aged(r) else "ab_vega" if ab else "ab_band" if r["ab_like"] else "other"
            for r in over}


def age_trend_words(row: Row) -> str:
    """A band's offset at 10-30 and at 30-100 Myr and their difference, its error and significance, in words.

    What the warnings say of the age rule's evidence (:func:`sed_band_offsets`' ``offset_10_30_myr``,
    ``offset_30_100_myr``, their ``n_``, ``age_trend``, ``age_trend_err``, ``age_trend_z``), so a reader can
    judge a reading: how far apart the two medians are, give or take how much, and how many standard errors
    that is against the :data:`AGE_TREND_SIGNIFICANCE` the rule asks.

    Parameters
    ----------
    row
        A row of a :func:`sed_band_offsets` table.

    Returns
    -------
    str
        A clause without a capital or a full stop; "not measured (...)" where a bin has under
        :data:`MIN_SOURCES` sources.

    Examples
    --------
    >>> t = Table({"n_10_30_myr": [56, 64], "offset_10_30_myr": [0.68, 0.40], "n_30_100_myr": [104, 7],
    ...            "offset_30_100_myr": [0.38, np.nan], "age_trend": [0.30, np.nan],
    ...            "age_trend_err": [0.0625, np.nan], "age_trend_z": [4.8, np.nan]})
    >>> print(age_trend_words(t[0]))  # doctest: +NORMALIZE_WHITESPACE
    +0.68 at 10-30 Myr, +0.38 at 30-100 Myr (56 and 104 sources): 0.30 ± 0.06 mag fainter at 10-30 than at
    30-100 Myr, 4.8 standard errors (beyond 3, read as a change with age; the error is the two medians' and a
    floor of 0.045 mag)
    >>> print(age_trend_words(t[1]))
    not measured (7 sources at 30-100 Myr; a median needs 20 in each bin)
    """
    n_y, n_o = int(row["n_10_30_myr"]), int(row["n_30_100_myr"])
    y, o = float(row["offset_10_30_myr"]), float(row["offset_30_100_myr"])
    if not (np.isfinite(y) and np.isfinite(o)):
        few = "; ".join(f"{n} sources at {w}" for n, w in ((n_y, AGE_WORDS[0]), (n_o, AGE_WORDS[1])) if n < MIN_SOURCES)
        return f"not measured ({few}; a median needs {MIN_SOURCES} in each bin)"
    said = f"{y:+.2f} at {AGE_WORDS[0]}, {o:+.2f} at {AGE_WORDS[1]} ({n_y} and {n_o} sources)"
    if "age_trend_err" not in row.colnames:
        return said  # a table made before the errors
    trend, err, z = float(row["age_trend"]), float(row["age_trend_err"]), abs(float(row["age_trend_z"]))
    # the bar as the rule applies it: z above the significance
    bar = f"{AGE_TREND_SIGNIFICANCE:g}"
    verdict = (f"beyond {bar}, read as a change with age" if z > AGE_TREND_SIGNIFICANCE
               else f"under the {bar} that read as a change with age")
    return (f"{said}: {abs(trend):.2f} ± {err:.2f} mag {'fainter' if trend >= 0 else 'brighter'} at "
            f"{AGE_WORDS[0].split(' ')[0]} than at {AGE_WORDS[1]}, {z:.1f} standard errors ({verdict}; the error is "
            f"the two medians' and a floor of {AGE_TREND_FLOOR:g} mag)")


def sed_offset_lines(offsets: Table, name: str = "catalogue") -> list[str]:
    """Warnings, one a band whose median offset exceeds the tolerance, saying what it likely means.

    The reading is :func:`sed_readings`': an offset that changes with the fitted age is said to depend
    on age (the models' metallicity, or the V band); a flat one at the bands' AB - Vega differences
    from V is said to be AB models against Vega photometry, most likely; otherwise the models
    (metallicity, nebular covering fraction), a filter or the photometry differ.

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
    ...              "ab_like": [False, True, True],
    ...              "n_10_30_myr": [901, 903, 903], "offset_10_30_myr": [0.0, -0.2, 0.44],
    ...              "n_30_100_myr": [181, 181, 181], "offset_30_100_myr": [0.0, -0.2, 0.40],
    ...              "age_trend": [0.0, 0.0, 0.04], "age_trend_err": [0.05, 0.05, 0.0454],
    ...              "age_trend_z": [0.0, 0.0, 0.88], "age_dependent": [False, False, False]},
    ...             meta={"v_band": "f555w", "tolerance": 0.3, "match": 0.1, "min_log_age": 7.0})
    >>> print(sed_offset_lines(off, "ngc1566")[0])  # doctest: +NORMALIZE_WHITESPACE
    ngc1566: its SED fits do not match its F814W: relative to F555W it is 0.42 mag fainter than the SSP
    table gives at each source's fitted age and E(B-V) (median of 1190 sources fitted at 10 Myr or older;
    tolerance 0.30 mag). That is F814W's AB - Vega minus F555W's (+0.45) within 0.10 mag, and F438W's -0.19
    is its -0.12: the fits most likely used AB models against Vega photometry (or the reverse), which biases
    their ages, masses and E(B-V). With the fitted age: +0.44 at 10-30 Myr, +0.40 at 30-100 Myr (903 and 181
    sources): 0.04 ± 0.05 mag fainter at 10-30 than at 30-100 Myr, 0.9 standard errors (under the 3 that
    read as a change with age; the error is the two medians' and a floor of 0.045 mag)

    The same offset, +0.68 at 10-30 Myr and +0.38 at 30-100 Myr (UGC 5340's):

    >>> off["offset_10_30_myr"][2], off["offset_30_100_myr"][2], off["age_dependent"][2] = 0.68, 0.38, True
    >>> off["age_trend"][2], off["age_trend_err"][2], off["age_trend_z"][2] = 0.30, 0.0625, 4.8
    >>> print(sed_offset_lines(off, "ugc5340")[0])  # doctest: +NORMALIZE_WHITESPACE
    ugc5340: its SED fits do not match its F814W: relative to F555W it is 0.42 mag fainter than the SSP
    table gives at each source's fitted age and E(B-V) (median of 1190 sources fitted at 10 Myr or older;
    tolerance 0.30 mag). It depends on the fitted age: +0.68 at 10-30 Myr, +0.38 at 30-100 Myr (903 and 181
    sources): 0.30 ± 0.06 mag fainter at 10-30 than at 30-100 Myr, 4.8 standard errors (beyond 3, read as a
    change with age; the error is the two medians' and a floor of 0.045 mag). An AB - Vega mix-up would move
    every age alike (its median lies within 0.10 mag of F814W's AB - Vega minus F555W's, +0.45, all the
    same): the fits' models (their metallicity: the table is one metallicity) or their V band (another
    filter than F555W?) differ from the table's; the fitted ages, masses and E(B-V) may be biased
    """
    return [head + rest for _, head, rest in _sed_offset_parts(offsets, name)]


#: :func:`sed_offset_warnings`' short word for each reading of :func:`sed_readings`
READING_WORDS = {"age": "it changes with the fitted age: the fits' models or V band differ from the table's",
                 "ab_vega": "most likely AB models against Vega photometry (or the reverse)",
                 "ab_band": "an AB/Vega mix-up or another model",
                 "other": "the fits' models, a filter or the photometry differ"}


def sed_offset_warnings(offsets: Table, name: str = "catalogue", table: str | None = None) -> list[str]:
    """:func:`sed_offset_lines` as warnings: a short first line, the detail on indented lines below it.

    Each line of :func:`sed_offset_lines` ran to ~900 characters (NGC 1566's F814W) on one line of the terminal;
    its first line now says the band, the offset and the likely cause, the lines below the evidence, and where
    the table of every band's offsets is (``table``).

    Parameters
    ----------
    offsets
        A :func:`sed_band_offsets` table.
    name
        The catalogue, as the lines name it.
    table
        Where the offsets table is written, named on the last line; None names none.

    Returns
    -------
    list of str
        One warning (with its newlines) a band beyond the tolerance.

    Examples
    --------
    >>> off = Table({"band": ["f438w", "f814w"], "n": [1190, 1190], "offset": [-0.19, 0.42], "scatter": [0.1, 0.1],
    ...              "ab_minus_vega": [-0.12, 0.448], "exceeds": [False, True], "ab_like": [True, True]},
    ...             meta={"v_band": "f555w", "tolerance": 0.3, "match": 0.1, "min_log_age": 7.0})
    >>> w = sed_offset_warnings(off, "ngc1566", "ev/tables/sed_offsets_ngc1566.ecsv")[0].splitlines()
    >>> print(w[0])  # doctest: +NORMALIZE_WHITESPACE
    ngc1566: its SED fits do not match its F814W: 0.42 mag fainter than the SSP table, relative to F555W
    (tolerance 0.30 mag): most likely AB models against Vega photometry (or the reverse)
    >>> len(w), w[-1]
    (4, "  each band's offsets: ev/tables/sed_offsets_ngc1566.ecsv")
    """
    v, tol = str(offsets.meta["v_band"]).upper(), float(offsets.meta["tolerance"])
    out = []
    for (reading, head, rest), r in zip(_sed_offset_parts(offsets, name),
                                        [r for r in offsets if str(r["band"]) in sed_readings(offsets)]):
        b, off = str(r["band"]).upper(), float(r["offset"])
        short = (f"{name}: its SED fits do not match its {b}: {abs(off):.2f} mag "
                 f"{'fainter' if off > 0 else 'brighter'} than the SSP table, relative to {v} (tolerance {tol:.2f} "
                 f"mag): {READING_WORDS.get(reading, READING_WORDS['other'])}")
        # the head less "NAME: its SED fits do not match its BAND: ", then the rest sentence by sentence
        detail = [head.split(f"{b}: ", 1)[1].strip().rstrip("."),
                  *(s.strip() for s in re.split(r"(?<=[a-z0-9)])\. (?=[A-Z])", rest) if s.strip())]
        if table:
            detail.append(f"each band's offsets: {table}")
        out.append(short + "".join(f"\n  {d}" for d in detail))
    return out


def _sed_offset_parts(offsets: Table, name: str) -> list[tuple[str, str, str]]:
    """(reading, head, the rest) of each line of :func:`sed_offset_lines`, in the offsets' band order."""
    meta = offsets.meta
    v, tol, match = str(meta["v_band"]).upper(), float(meta["tolerance"]), float(meta["match"])
    young = f"{10 ** (float(meta['min_log_age']) - 6):g} Myr"
    readings = sed_readings(offsets)
    support = [r for r in offsets if not r["exceeds"] and r["ab_like"] and abs(float(r["ab_minus_vega"])) >= 0.05
               and np.isfinite(r["offset"])]
    parts: list[tuple[str, str, str]] = []  # (reading, head, the rest)
    for r in offsets:
        if str(r["band"]) not in readings:
            continue
        reading = readings[str(r["band"])]
        b, off, d = str(r["band"]).upper(), float(r["offset"]), float(r["ab_minus_vega"])
        head = (f"{name}: its SED fits do not match its {b}: relative to {v} it is {abs(off):.2f} mag "
                f"{'fainter' if off > 0 else 'brighter'} than the SSP table gives at each source's fitted age and "
                f"E(B-V) (median of {int(r['n'])} sources fitted at {young} or older; tolerance {tol:.2f} mag). ")
        if reading == "age":
            near = (f" (its median lies within {match:.2f} mag of {b}'s AB - Vega minus {v}'s, {d:+.2f}, all the "
                    "same)" if r["ab_like"] else "")
            cause = str(r["trend_cause"]) if "trend_cause" in r.colnames else ""
            if cause == "fits":
                parts.append((reading, head,
                              f"It depends on the fitted age: {age_trend_words(r)}. An AB - Vega mix-up would "
                              f"move every age alike{near}, and the catalogue's own fit residuals change alike "
                              f"({float(r['fit_trend']):+.2f} mag): its photometry departs from its fits' own models "
                              f"at those ages as it does from the table ({TREND_CAUSES_DOC}); the fitted ages, masses "
                              "and E(B-V) may be biased"))
            else:
                evidence = (f" (the table less the fits' own models changes by {float(r['model_trend']):+.2f} mag, "
                            f"{abs(float(r['model_trend_z'])):.1f} standard errors)" if cause == "models" else "")
                parts.append((reading, head,
                              f"It depends on the fitted age: {age_trend_words(r)}. An AB - Vega mix-up would "
                              f"move every age alike{near}: the fits' models (their metallicity: the table is one "
                              f"metallicity) or their V band (another filter than {v}?) differ from the table's"
                              f"{evidence}; the fitted ages, masses and E(B-V) may be biased"))
        elif reading == "ab_vega":
            also = ", ".join(f"{str(s['band']).upper()}'s {float(s['offset']):+.2f} is its "
                             f"{float(s['ab_minus_vega']):+.2f}" for s in support)
            parts.append((reading, head,
                          f"That is {b}'s AB - Vega minus {v}'s ({d:+.2f}) within {match:.2f} mag, and {also}: "
                          "the fits most likely used AB models against Vega photometry (or the reverse), which "
                          "biases their ages, masses and E(B-V)"))
        elif reading == "ab_band":
            parts.append((reading, head,
                          f"That is {b}'s AB - Vega minus {v}'s ({d:+.2f}) within {match:.2f} mag, but no "
                          "other band shows its own: an AB/Vega mix-up or another model (metallicity: the table is "
                          "one metallicity) may explain it; the fitted ages, masses and E(B-V) may be biased"))
        else:
            parts.append((reading, head,
                          f"It is not {b}'s AB - Vega difference from {v} ({d:+.2f}): the fits' models "
                          "(metallicity: the table is one metallicity; nebular light), a filter or the photometry "
                          "differ; the fitted ages, masses and E(B-V) may be biased"))
        if reading != "age" and "offset_10_30_myr" in r.colnames:
            # the evidence the reading rests on, so a user can judge it: a flat offset is what AB - Vega leaves
            parts[-1] = (*parts[-1][:2], parts[-1][2] + f". With the fitted age: {age_trend_words(r)}")
    return parts


def sed_trend_notes(offsets: Table, name: str = "catalogue") -> list[str]:
    """A note where bands within the tolerance change with the fitted age: proportionate, not a warning.

    A band whose offset pooled over every age is within the tolerance is not warned of, yet its offset at
    10-30 Myr and at 30-100 Myr may differ by more than :data:`AGE_TREND_SIGNIFICANCE` standard errors
    (``age_dependent``): NGC 4449's, NGC 4485's, NGC 3274's, UGC 5139's, UGC 4459's and IC 559's F814W by
    0.18-0.21 mag (3.1-4.2 standard errors), and the UV and U of most dwarf fields. The fits' models and the
    SSP table then differ in how the band changes with age (the table has one metallicity), which no mix-up
    of magnitude systems does: ages fitted with the table would differ from the catalogue's most at 10-100 Myr.
    That is said once a catalogue, naming each such band with its change, error and significance.

    Parameters
    ----------
    offsets
        A :func:`sed_band_offsets` table.
    name
        The catalogue, as the line names it.

    Returns
    -------
    list of str
        One line, or none where no band within the tolerance depends on age.

    Examples
    --------
    >>> off = Table({"band": ["f336w", "f814w"], "exceeds": [False, False], "age_dependent": [True, True],
    ...              "age_trend": [-0.33, 0.18], "age_trend_err": [0.0465, 0.0486], "age_trend_z": [-7.1, 3.7]},
    ...             meta={"v_band": "f555w", "tolerance": 0.3})
    >>> print(sed_trend_notes(off, "ngc4449")[0])  # doctest: +NORMALIZE_WHITESPACE
    ngc4449: its SED fits' offsets from the SSP table, relative to F555W, change with the fitted age in bands
    within 0.30 mag pooled over every age: F336W 0.33 ± 0.05 mag brighter at 10-30 than at 30-100 Myr (7.1
    standard errors), F814W 0.18 ± 0.05 mag fainter (3.7); 3 standard errors or more is read as a change with age.
    In those bands the fits' models change with age differently from the table, which has one metallicity: ages
    fitted with the table would differ from the catalogue's most at 10-100 Myr, where its ages, masses and E(B-V)
    may be biased
    >>> off["age_dependent"] = [False, False]
    >>> sed_trend_notes(off, "ngc4449")
    []
    """
    if "age_dependent" not in offsets.colnames or "age_trend_err" not in offsets.colnames:
        return []  # a table made before the age bins or their errors
    aged = [r for r in offsets if bool(r["age_dependent"]) and not bool(r["exceeds"])]
    if not aged:
        return []
    parts = []
    for k, r in enumerate(aged):
        trend, err, z = float(r["age_trend"]), float(r["age_trend_err"]), abs(float(r["age_trend_z"]))
        way = "fainter" if trend >= 0 else "brighter"
        parts.append(f"{str(r['band']).upper()} {abs(trend):.2f} ± {err:.2f} mag {way}"
                     + (f" at {AGE_WORDS[0].split(' ')[0]} than at {AGE_WORDS[1]} ({z:.1f} standard errors)" if k == 0
                        else f" ({z:.1f})"))
    meta = offsets.meta
    head = (f"{name}: its SED fits' offsets from the SSP table, relative to {str(meta['v_band']).upper()}, change with "
            f"the fitted age in {'bands' if len(aged) > 1 else 'a band'} within {float(meta['tolerance']):.2f} mag "
            "pooled over every age: "
            f"{', '.join(parts)}; {AGE_TREND_SIGNIFICANCE:g} standard errors or more is read as a change with age. ")
    own = [r for r in aged if "trend_cause" in r.colnames and str(r["trend_cause"]) == "fits"]
    rest = [r for r in aged if r not in own]
    changes = ", ".join(f"{str(r['band']).upper()} {abs(float(r['fit_trend'])):.2f} mag "
                        f"{'fainter' if float(r['fit_trend']) >= 0 else 'brighter'}" for r in own)
    evidence = "; ".join(f"{str(r['band']).upper()} {float(r['model_trend']):+.2f} mag, "
                         f"{abs(float(r['model_trend_z'])):.1f} standard errors"
                         for r in rest if "model_trend" in r.colnames and np.isfinite(r["model_trend"]))
    known = bool(own) or any("trend_cause" in r.colnames and str(r["trend_cause"]) == "models" for r in rest)
    return [head + trend_cause_words([str(r["band"]).upper() for r in own], [str(r["band"]).upper() for r in rest],
                                     known=known, fit_changes=changes, model_evidence=evidence)]


def trend_cause_words(fits: Sequence[str], models: Sequence[str], *, known: bool = True,
                      many: bool | tuple[bool, bool] = False, fit_changes: str = "", model_evidence: str = "") -> str:
    """Whose an age trend is, in words: the one wording of ``info``'s note and ``evaluate --catalogs``'s.

    :func:`sed_trend_notes` (one catalogue) and :func:`starclass.science.many.sed_trends_note` (the fields of
    ``--catalogs``) both say it with this, so the two cannot come to name different causes for one band.

    Parameters
    ----------
    fits
        The bands as said (``"F336W"``, or ``"ngc4449's F336W"`` where the band is read the other way in
        another catalogue) whose :func:`trend_cause` is ``"fits"``.
    models
        The other age-dependent bands: the fits' models and the table differ in them, or nothing tells.
    known
        False where no band has a cause (no fit residuals to weigh it against): the table's one metallicity is
        then named for every band, without naming them.
    many
        Said of several catalogues ("the catalogues' own fit residuals"); a pair says it of each reading
        apart (the fits', the models'), so that a reading resting on one field of several speaks of one.
    fit_changes, model_evidence
        The numbers each reading rests on, said in brackets after it where given.

    Returns
    -------
    str

    Examples
    --------
    >>> print(trend_cause_words(["F336W"], ["F814W"], many=True))  # doctest: +NORMALIZE_WHITESPACE
    In F336W the catalogues' own fit residuals change with age in the same way: their photometry departs from
    their fits' own models there as it does from the table, so the trend lies in the photometry or the fits, not
    in the table's metallicity or in the filters, magnitude system or extinction the check applies
    (docs/legus_validation.md, "The UV and U age trends are the fits' own"). In F814W the fits' models change
    with age differently from the table, which has one metallicity: ages fitted with the table would differ from
    the catalogues' most at 10-100 Myr, where their ages, masses and E(B-V) may be biased

    A band read one way in one catalogue and the other way in another is named with its catalogue:

    >>> print(trend_cause_words(["F275W", "ngc4449's F336W"], ["ugc685's F336W", "F814W"], many=(False, True))
    ...       )  # doctest: +NORMALIZE_WHITESPACE
    In F275W and in ngc4449's F336W the catalogue's own fit residuals change with age in the same way: its
    photometry departs from its fits' own models there as it does from the table, so the trend lies in the
    photometry or the fits, not in the table's metallicity or in the filters, magnitude system or extinction the
    check applies (docs/legus_validation.md, "The UV and U age trends are the fits' own"). In ugc685's F336W and
    in F814W the fits' models change with age differently from the table, which has one metallicity: ages fitted
    with the table would differ from the catalogues' most at 10-100 Myr, where their ages, masses and E(B-V) may
    be biased
    """
    fits_many, models_many = many if isinstance(many, tuple) else (many, many)

    def whose(several: bool) -> tuple[str, str]:
        return ("the catalogues'", "their") if several else ("the catalogue's", "its")

    def tail(several: bool) -> str:
        owner, its = whose(several)
        return (f": ages fitted with the table would differ from {owner} most at 10-100 Myr, where {its} ages, "
                "masses and E(B-V) may be biased")

    if not known:
        return (f"In {'those bands' if len(models) > 1 else 'that band'} the fits' models change with age differently "
                "from the table, which has one metallicity" + tail(models_many))
    said = []
    if fits:
        owner, its = whose(fits_many)
        said.append(f"In {_band_list(fits)} {owner} own fit residuals change with age in the same way"
                    + (f" ({fit_changes} at 10-30 than at 30-100 Myr)" if fit_changes else "")
                    + f": {its} photometry departs from {its} fits' own models there as it does from the table, so "
                    "the trend lies in the photometry or the fits, not in the table's metallicity or in the filters, "
                    f"magnitude system or extinction the check applies ({TREND_CAUSES_DOC})")
    if models:
        said.append(f"In {_band_list(models)} the fits' models change with age differently from the table, which has "
                    "one metallicity"
                    + (f" (the table less the fits' own models, 10-30 less 30-100 Myr: {model_evidence})"
                       if model_evidence else "") + tail(models_many))
    return ". ".join(said)


def _names(names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _band_list(names: Sequence[str]) -> str:
    """Bands as a sentence lists them: "F275W, F336W and F435W"; "F275W and in ngc4449's F336W" where one is a
    catalogue's own (a band name has no blank), so that the catalogue is not read as qualifying the bands before."""
    if all(" " not in n for n in names):
        return _names(names)
    return _names([n if k == 0 else f"in {n}" for k, n in enumerate(names)])


def sed_check_notes(table: Table, name: str = "catalogue", ssp: str | Path | None = None) -> list[str]:
    """:func:`sed_trend_notes` of ``table``, or none where it has no SED fit to check.

    Examples
    --------
    >>> sed_check_notes(Table({"mag_f555w": [20.0], "mag_f814w": [19.5]}))
    []
    """
    if "age" not in table.colnames or "ebv" not in table.colnames or len(bands_in(table)) < 2:
        return []
    return sed_trend_notes(sed_band_offsets(table, ssp=ssp), name)


def sed_check_lines(table: Table, name: str = "catalogue", ssp: str | Path | None = None) -> list[str]:
    """:func:`sed_offset_warnings` of ``table`` (a short line, the detail indented), or none where it has no SED fit.

    Examples
    --------
    >>> sed_check_lines(Table({"mag_f555w": [20.0], "mag_f814w": [19.5]}))
    []
    """
    if "age" not in table.colnames or "ebv" not in table.colnames or len(bands_in(table)) < 2:
        return []
    # info prints the table of offsets above: the warning names no file (a ~900-character line until 2026-12-07)
    return sed_offset_warnings(sed_band_offsets(table, ssp=ssp), name)
