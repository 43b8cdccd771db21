"""Age distributions dN/dtau ~ tau^gamma in ranges of mass (Whitmore et al. section 7, Table 5).

Ages are binned in log10(tau) (default 0.5 dex bins); dN/dtau is the count divided by the
linear width of the bin, and gamma is the slope of log10(dN/dtau) against the log of the bin
centre, each bin weighted by its Poisson error 1 / (sqrt(n) ln 10) dex; the error of gamma is the
larger of the one those errors give and the one the scatter about the line gives
(:func:`starclass.science.massfunc.poisson_line`). The scatter alone made the index exact (error
0) when each bin held one object, since log10(1 / width) lies on a line. Bins of fewer than
:data:`MIN_PER_BIN` objects are fitted but named in the note. PHANGS fits log(age/yr) 6.5-9
(dropping the youngest bin, which lies systematically high) and also 6-9. Empty bins cannot be
logged: they are left out of the fit and named in the note; fewer than three usable bins is an
error.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError
from starclass.science.massfunc import _rows_to_table, in_unit, poisson_line

#: a bin with fewer objects is named in the note: its log density is uncertain by more than
#: 1 / (sqrt(5) ln 10) = 0.19 dex, and the log of a small count is biased low
MIN_PER_BIN = 5


def age_distribution(age: ArrayLike, *, log_age_range: tuple[float, float] = (6.5, 9.0), bin_width: float = 0.5,
                     what: str = "age distribution") -> dict:
    """Binned dN/dtau and the power-law index gamma.

    ``age`` is in yr; a Quantity or a Column with a unit (Myr) is converted first
    (:func:`starclass.science.massfunc.in_unit`), masked cells left out.

    Returns
    -------
    dict: gamma, gamma_err, n, bins (Table: log_age_lo, log_age_hi, log_age_mid, n, log_dndt),
    note.

    Examples
    --------
    40, 20, 10, 5 and 2 clusters in the five 0.5 dex bins of log age 6.5-9: gamma is the slope of
    log10(n / bin width) against the bin centre, weighted by the Poisson errors
    (``scipy.optimize.curve_fit`` of those five points with sigma = 1 / (sqrt(n) ln 10) and
    ``absolute_sigma=True`` gives -1.616 +- 0.094 too):

    >>> age = np.repeat(10 ** np.array([6.75, 7.25, 7.75, 8.25, 8.75]), [40, 20, 10, 5, 2])
    >>> r = age_distribution(age)
    >>> round(r["gamma"], 3), round(r["gamma_err"], 3), r["n"], r["bins"]["n"].tolist()
    (-1.616, 0.094, 77, [40, 20, 10, 5, 2])
    >>> r["note"]
    'bins with fewer than 5 objects (gamma uncertain): 8.5-9.0 (2)'

    One object in each of three bins: the points lie exactly on a line, but the index is not
    exact:

    >>> r = age_distribution([1e7, 1e8, 10**8.9])
    >>> round(r["gamma"], 3), round(r["gamma_err"], 3)
    (-1.0, 0.402)
    """
    age = in_unit(age, "yr", "age")  # ages in Myr were read as years
    a0, a1 = log_age_range
    if not a1 > a0 or bin_width <= 0:
        raise StarclassError(f"{what}: bad log age range {log_age_range} or bin width {bin_width}")
    nb = int(round((a1 - a0) / bin_width))
    if nb < 1 or not np.isclose(a0 + nb * bin_width, a1):
        raise StarclassError(f"{what}: log age range {log_age_range} is not a whole number of {bin_width} dex bins")
    edges = a0 + bin_width * np.arange(nb + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        la = np.log10(age)
    la = la[np.isfinite(la)]
    counts, _ = np.histogram(la, bins=edges)
    width = 10 ** edges[1:] - 10 ** edges[:-1]
    mid = 0.5 * (edges[1:] + edges[:-1])
    with np.errstate(divide="ignore"):
        logd = np.where(counts > 0, np.log10(np.maximum(counts, 1) / width), np.nan)
    bins = Table({"log_age_lo": edges[:-1], "log_age_hi": edges[1:], "log_age_mid": mid, "n": counts})

    bins["log_dndt"] = MaskedColumn(np.nan_to_num(logd), mask=counts == 0, format=".3f")
    notes = []
    if np.any(counts == 0):
        empty = zip(edges[:-1][counts == 0], edges[1:][counts == 0])
        notes.append(f"empty bins left out: {', '.join(f'{lo:.1f}-{hi:.1f}' for lo, hi in empty)}")
    few = (counts > 0) & (counts < MIN_PER_BIN)
    if np.any(few):
        listed = ", ".join(f"{lo:.1f}-{hi:.1f} ({n})"
                           for lo, hi, n in zip(edges[:-1][few], edges[1:][few], counts[few]))
        notes.append(f"bins with fewer than {MIN_PER_BIN} objects (gamma uncertain): {listed}")
    note = "; ".join(notes)
    used = counts > 0
    fit = poisson_line(mid[used], counts[used], logd[used], what=what)
    return {"gamma": fit["slope"], "gamma_err": fit["slope_err"], "intercept": fit["intercept"],
            "n": int(counts.sum()), "bins": bins, "note": note}


def age_distributions(mass: ArrayLike, age: ArrayLike, *,
                      log_mass_ranges: Sequence[tuple[float, float | None]] = ((4.0, 4.8), (4.8, None)),
                      log_age_range: tuple[float, float] = (6.5, 9.0),
                      bin_width: float = 0.5) -> Table:
    """gamma in each mass range (PHANGS: log M 4-4.8 and > 4.8, log age 6.5-9).

    Returns a Table with log_mass_lo, log_mass_hi (masked when open), n, gamma, gamma_err, note.

    Examples
    --------
    >>> age = np.repeat(10 ** np.array([6.75, 7.25, 7.75, 8.25, 8.75]), [40, 20, 10, 5, 2])
    >>> mass = np.full(len(age), 10 ** 4.5)
    >>> t = age_distributions(np.r_[mass, 1e5, 1e5], np.r_[age, 1e7, 1e8])
    >>> t["n"].tolist(), round(float(t["gamma"][0]), 3), bool(np.ma.is_masked(t["gamma"][1]))
    ([77, 2], -1.616, True)
    >>> str(t["note"][1])
    'age distribution, log M 4.8-max: 2 points, need at least 3 for a fit'
    """
    mass = in_unit(mass, "solMass", "mass")
    age = in_unit(age, "yr", "age")
    with np.errstate(divide="ignore", invalid="ignore"):
        lm = np.log10(mass)
    rows = []
    for m0, m1 in log_mass_ranges:
        sel = np.isfinite(lm) & (lm >= m0) & ((lm < m1) if m1 is not None else True)
        what = f"age distribution, log M {m0}-{m1 if m1 is not None else 'max'}"
        row = {"log_mass_lo": float(m0), "log_mass_hi": None if m1 is None else float(m1)}
        try:
            r = age_distribution(age[sel], log_age_range=log_age_range, bin_width=bin_width, what=what)
            row.update(n=r["n"], gamma=r["gamma"], gamma_err=r["gamma_err"], note=r["note"])
        except StarclassError as exc:
            row.update(n=int(sel.sum()), gamma=None, gamma_err=None, note=str(exc))
        rows.append(row)
    return _rows_to_table(rows)
