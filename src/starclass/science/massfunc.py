"""Power-law fits of distributions: dN/dM ~ M^beta (mass functions) and friends.

Two estimators:

* :func:`fit_powerlaw_binned`, as Whitmore et al. (section 7, Table 4): bins holding an equal
  number of objects (Maiz Apellaniz & Ubeda 2005), dN/dM = n_i / (bin width), and a
  least-squares straight line through log10(dN/dM) against log10(M). Each point sits where the
  fitted power law equals its average over the bin (found by iterating the fit; for wide bins,
  such as the last one that reaches the most massive object, the mean of the members would
  bias the slope steep). The points are weighted by their Poisson errors, and the error of the
  slope is the larger of the one those errors give and the one the scatter about the line gives
  (:func:`poisson_line`): the scatter alone understated it, down to zero for points that happen
  to lie on a line.
* :func:`fit_powerlaw_ml`, the maximum-likelihood index of a power law truncated to
  [xmin, xmax] (xmax = infinity gives the closed form beta = -1 - n / sum(ln(x / xmin)));
  the error comes from the curvature of the log-likelihood (Fisher information).

Both raise :class:`starclass.errors.StarclassError` with a clear message when there are too few
objects, rather than returning NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError, counted
from starclass.schema import MASS_KIND, MASS_KINDS, MassKind, mag_col
from starclass.science.ssp import load_ssp, ssp_bands


@dataclass
class PowerLawFit:
    """Result of a power-law fit dN/dx ~ x^index.

    Made by :func:`fit_powerlaw_ml` and :func:`fit_powerlaw_binned`.

    Examples
    --------
    >>> f = fit_powerlaw_ml(1e4 * np.random.default_rng(0).random(200) ** -1.0, lo=1e4)
    >>> round(f.index, 3), f.n, f.method, f.xmin, f.xmax
    (-2.066, 200, 'maximum likelihood', 10000.0, inf)
    """

    index: float
    index_err: float
    n: int
    method: str
    xmin: float
    xmax: float
    amplitude: float = 0.0  # log10 of dN/dx at x = 1 (binned fits; for drawing the line)
    bins: Table | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        return {"index": self.index, "index_err": self.index_err, "n": self.n, "method": self.method,
                "xmin": self.xmin, "xmax": self.xmax}


def in_unit(values: ArrayLike, unit: str, name: str) -> np.ndarray:
    """The numbers of ``values`` in ``unit``: a Quantity or a Column with a unit is converted.

    Plain numbers are taken as given in ``unit``. A column of ages in Myr (an SSP fit's output, a
    ``Quantity``) was read as years by its numbers, so every fit of a mass function or age
    distribution found "no object in the range" of log(age/yr) 6-8.6; masked cells were read as
    the value under the mask. Masked cells become NaN (left out, as NaN is).

    Parameters
    ----------
    values : array-like, Quantity or astropy Column
        The values; a logarithmic unit (``dex(yr)``: log ages) is taken as one, its values converted.
    unit : str
        The unit the caller works in (``"yr"``, ``"solMass"``).
    name : str
        The argument, for the message.

    Returns
    -------
    numpy.ndarray
        float64 values in ``unit``.

    Raises
    ------
    StarclassError
        A unit that does not convert to ``unit``, naming the argument.

    Examples
    --------
    >>> in_unit(np.array([1.0, 10.0]) * u.Myr, "yr", "age").tolist()
    [1000000.0, 10000000.0]
    >>> in_unit(np.array([7.0]) * u.dex(u.yr), "yr", "age").tolist()  # log ages
    [10000000.0]
    >>> in_unit([3.0e4], "solMass", "mass").tolist()
    [30000.0]
    >>> in_unit(np.array([20.0]) * u.mag, "yr", "age")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: age is in mag, which is not a unit of yr: give it in yr (or any unit that converts)
    """
    have = getattr(values, "unit", None)
    data = getattr(values, "value", values) if isinstance(values, u.Quantity) else values
    x = np.asarray(np.ma.filled(np.ma.asarray(data, dtype=float), np.nan), dtype=float)
    if have is None or isinstance(have, u.UnrecognizedUnit):
        return x
    try:
        # the values converted, not multiplied by the unit's scale: a logarithmic unit (log ages in dex(yr),
        # 7.0 for 10 Myr) is no scale, and 7.0 became 70 yr
        return np.asarray(u.Unit(have).to(unit, x), dtype=float)
    except u.UnitConversionError:
        raise StarclassError(f"{name} is in {have}, which is not a unit of {unit}: give it in {unit} (or any unit "
                             "that converts)") from None


def _select(values, lo, hi, what):
    x = np.asarray(values, float)
    x = x[np.isfinite(x) & (x > 0)]
    if lo is not None:
        x = x[x >= lo]
    if hi is not None:
        x = x[x < hi]
    if x.size == 0:
        raise StarclassError(f"{what}: no object {_range_words(lo, hi)}")
    return np.sort(x)


def _range_words(lo: float | None, hi: float | None) -> str:
    """Where :func:`_select` looked, in words: the report said "no object in the range [47863.0092322638, None)".

    Examples
    --------
    >>> _range_words(47863.0092322638, None), _range_words(None, 1e5), _range_words(1e4, 1e5)
    ('at or above 4.786e+04', 'below 1e+05', 'in [1e+04, 1e+05)')
    """
    if lo is None and hi is None:
        return "with a positive value"
    if hi is None:
        return f"at or above {lo:.4g}"
    if lo is None:
        return f"below {hi:.4g}"
    return f"in [{lo:.4g}, {hi:.4g})"


def equal_number_bins(x: np.ndarray, nbins: int) -> tuple[np.ndarray, np.ndarray]:
    """Edges and counts of ``nbins`` bins with (nearly) equal numbers of the sorted values ``x``.

    Inner edges lie half-way between the last member of a bin and the first of the next; the
    outer edges are the smallest and largest values.

    Examples
    --------
    >>> edges, counts = equal_number_bins(np.array([1.0, 2, 3, 4, 5, 6, 7]), 3)
    >>> edges.tolist(), counts.tolist()
    ([1.0, 3.5, 5.5, 7.0], [3, 2, 2])
    """
    x = np.sort(np.asarray(x, float))
    groups = np.array_split(np.arange(x.size), nbins)
    edges = [x[0]]
    for g, nxt in zip(groups[:-1], groups[1:]):
        edges.append(0.5 * (x[g[-1]] + x[nxt[0]]))
    edges.append(x[-1])
    counts = np.array([len(g) for g in groups])
    return np.asarray(edges), counts


def poisson_line(x: ArrayLike, counts: ArrayLike, logd: ArrayLike, *, what: str = "power-law fit") -> dict:
    """Weighted straight line through binned log densities, with Poisson errors per bin.

    A bin of ``n`` objects has log10(n / width) uncertain by 1 / (sqrt(n) ln 10) dex. The
    points are weighted by those errors, and the slope error is the larger of the one the
    Poisson errors give and the one the scatter about the line gives (the covariance scaled by
    the reduced chi-square when it exceeds 1): the residual scatter alone is zero when every
    bin holds one object (log10(1 / width) lies exactly on a line), which reported an exact
    index.

    Parameters
    ----------
    x, logd
        The bins' positions and log10 densities.
    counts
        Objects per bin (each >= 1).
    what
        Names the fit in the error message.

    Returns
    -------
    dict: slope, slope_err, intercept, chi2 (about the line, in Poisson errors), n_points.

    Raises
    ------
    StarclassError
        Fewer than 3 bins, an empty bin, or all bins at the same x.

    Examples
    --------
    Three bins of one object each: the points lie on a line, the slope error comes from the
    Poisson errors (0.434 dex a point) alone, 0.434 / sqrt(sum((x - mean x)^2)):

    >>> f = poisson_line(np.array([7.0, 8.0, 8.9]), np.array([1, 1, 1]), np.array([-7.0, -8.0, -8.9]))
    >>> round(f["slope"], 3), round(f["slope_err"], 3), round(f["chi2"], 3)
    (-1.0, 0.323, 0.0)
    """
    x, logd = np.asarray(x, float), np.asarray(logd, float)
    counts = np.asarray(counts, float)
    if x.size < 3:
        raise StarclassError(f"{what}: {counted(int(x.size), 'point')}, need at least 3 for a fit")
    if np.any(counts < 1):
        raise StarclassError(f"{what}: an empty bin has no log density to fit")
    if np.ptp(x) == 0:
        raise StarclassError(f"{what}: all points at the same x, no slope can be fitted")
    w = counts * np.log(10) ** 2  # 1 / sigma^2, sigma = 1 / (sqrt(n) ln 10)
    sw, swx, swy = w.sum(), (w * x).sum(), (w * logd).sum()
    delta = sw * (w * x * x).sum() - swx**2
    slope = (sw * (w * x * logd).sum() - swx * swy) / delta
    intercept = (swy - slope * swx) / sw
    chi2 = float((w * (logd - slope * x - intercept) ** 2).sum())
    scale = max(1.0, chi2 / (x.size - 2))
    return {"slope": float(slope), "slope_err": float(np.sqrt(sw / delta * scale)),
            "intercept": float(intercept), "chi2": chi2, "n_points": int(x.size)}


def fit_powerlaw_binned(values: ArrayLike, *, lo: float | None = None, hi: float | None = None,
                        nbins: int | None = None,
                        min_per_bin: int = 3, what: str = "power-law fit") -> PowerLawFit:
    """Least-squares power-law index on equal-number bins (PHANGS Table 4 method).

    Parameters
    ----------
    values
        Linear quantities (masses in Msun, luminosities ...); non-positive ones are dropped.
    lo, hi
        Keep ``lo <= x < hi``.
    nbins
        Number of bins (default: about 10 objects per bin, between 3 and 8 bins).
    min_per_bin
        Fewer objects per bin than this is "too few points for a fit".

    Examples
    --------
    200 masses drawn from dN/dM ~ M^-2 above 10^4 Msun:

    >>> x = 1e4 * np.random.default_rng(0).random(200) ** -1.0
    >>> f = fit_powerlaw_binned(x, lo=1e4)
    >>> round(f.index, 2), round(f.index_err, 2), f.n, f.method
    (-2.08, 0.07, 200, 'least squares, equal-number bins')
    """
    x = _select(values, lo, hi, what)
    if nbins is None:
        nbins = int(np.clip(x.size // 10, 3, 8))
    if nbins < 3:
        raise StarclassError(f"{what}: need at least 3 bins for a line with an error, asked for {nbins}")
    if x.size < nbins * min_per_bin:
        raise StarclassError(
            f"{what}: {counted(x.size, 'object')}, too few for {nbins} bins of at least {min_per_bin} "
            f"(need {nbins * min_per_bin})"
        )
    edges, counts = equal_number_bins(x, nbins)
    widths = np.diff(edges)
    if np.any(widths <= 0):
        raise StarclassError(f"{what}: repeated values make a bin of zero width; use fewer bins")
    dens = counts / widths
    logd = np.log10(dens)
    lo_e, hi_e = edges[:-1], edges[1:]
    logx = 0.5 * (np.log10(lo_e) + np.log10(hi_e))  # start at the geometric centres
    for _ in range(20):
        b = poisson_line(logx, counts, logd, what=what)["slope"]
        # x* with x*^b = mean of x^b over [lo, hi]
        if abs(b + 1) < 1e-6:
            mean_pow = np.log(hi_e / lo_e) / (hi_e - lo_e)
        else:
            mean_pow = (hi_e ** (b + 1) - lo_e ** (b + 1)) / ((b + 1) * (hi_e - lo_e))
        new = np.log10(mean_pow) / b if abs(b) > 1e-6 else logx
        if np.allclose(new, logx, atol=1e-6):
            break
        logx = new
    r = poisson_line(logx, counts, logd, what=what)
    bins = Table({"lo": edges[:-1], "hi": edges[1:], "n": counts, "log_x": logx, "log_dndx": logd,
                  "log_dndx_err": 1 / (np.sqrt(counts) * np.log(10))})
    return PowerLawFit(r["slope"], r["slope_err"], int(x.size), "least squares, equal-number bins",
                       float(x[0]), float(x[-1]), r["intercept"], bins)


def fit_powerlaw_ml(values: ArrayLike, *, lo: float | None = None, hi: float | None = None, min_n: int = 10,
                    what: str = "power-law fit") -> PowerLawFit:
    """Maximum-likelihood index of dN/dx ~ x^index on [lo, hi) (hi None: no upper truncation).

    Examples
    --------
    The estimate is the closed form 1 + n / sum(ln(x / lo)) with its sign turned (2.066 for these
    200 masses drawn from dN/dM ~ M^-2):

    >>> x = 1e4 * np.random.default_rng(0).random(200) ** -1.0
    >>> f = fit_powerlaw_ml(x, lo=1e4)
    >>> round(f.index, 3), round(float(f.index_err), 3), round(float(1 + x.size / np.sum(np.log(x / 1e4))), 3)
    (-2.066, 0.075, 2.066)
    """
    # scipy.optimize adds 0.12 s (measured) to `import starclass.science`; only the ML fit needs it
    from scipy.optimize import minimize_scalar

    x = _select(values, lo, hi, what)
    if x.size < min_n:
        raise StarclassError(f"{what}: {counted(x.size, 'object')}, need at least {min_n} for a maximum-likelihood fit")
    xmin = float(lo) if lo is not None else float(x[0])
    s = float(np.sum(np.log(x / xmin)))
    if s <= 0:
        raise StarclassError(f"{what}: all values equal, no slope")
    if hi is None or not np.isfinite(hi):
        alpha = 1 + x.size / s
        return PowerLawFit(-alpha, (alpha - 1) / np.sqrt(x.size), int(x.size), "maximum likelihood", xmin, float("inf"))
    xmax = float(hi)
    r = xmax / xmin
    n = x.size

    def negloglike(b: float) -> float:
        # pdf(x) = x^b / Z, Z = integral_xmin^xmax x^b dx; work in u = x / xmin
        if abs(b + 1) < 1e-9:
            logz = np.log(np.log(r))
        else:
            logz = np.log(abs((r ** (b + 1) - 1) / (b + 1)))
        return -(b * s - n * logz)

    res = minimize_scalar(negloglike, bounds=(-6.0, 4.0), method="bounded", options={"xatol": 1e-7})
    b = float(res.x)
    h = 1e-3
    curv = (negloglike(b + h) - 2 * negloglike(b) + negloglike(b - h)) / h**2
    err = float(1 / np.sqrt(curv)) if curv > 0 else float("inf")
    if not np.isfinite(err) or b <= -5.99 or b >= 3.99:
        raise StarclassError(f"{what}: the maximum-likelihood index is not constrained by {counted(int(n), 'object')}")
    return PowerLawFit(b, err, int(n), "maximum likelihood (truncated)", xmin, xmax)


def mass_functions(mass: ArrayLike, age: ArrayLike, *,
                   age_ranges: Sequence[tuple[float, float]] = ((6.0, 7.0), (7.0, 8.0), (8.0, 8.6)),
                   log_mass_min: float | Sequence[float | None] | None = None,
                   nbins: int | None = None) -> Table:
    """Mass-function slopes beta in ranges of log age (both estimators).

    Parameters
    ----------
    mass, age
        Msun and yr; a Quantity or a Column with a unit (age in Myr) is converted first (:func:`in_unit`).
    age_ranges
        (lo, hi) in log10(age / yr); PHANGS uses 6-7, 7-8, 8-8.6.
    log_mass_min
        Lower mass limit per age range (a number, or a sequence with one per range): the
        completeness limit, which grows with age as clusters fade.

    Returns
    -------
    Table: log_age_lo, log_age_hi, log_mass_min, n, beta_ls, beta_ls_err, beta_ml, beta_ml_err
    and ``note`` (why a fit is missing). Missing fits are masked.

    Examples
    --------
    >>> x = 1e4 * np.random.default_rng(0).random(200) ** -1.0
    >>> age = np.r_[np.full(200, 10 ** 6.5), np.full(3, 10 ** 7.5)]
    >>> t = mass_functions(np.r_[x, 1e4, 2e4, 3e4], age, age_ranges=((6.0, 7.0), (7.0, 8.0)))
    >>> t["n"].tolist(), round(float(t["beta_ml"][0]), 2), bool(np.ma.is_masked(t["beta_ml"][1]))
    ([200, 3], -2.07, True)
    """
    mass = in_unit(mass, "solMass", "mass")
    age = in_unit(age, "yr", "age")
    with np.errstate(divide="ignore", invalid="ignore"):
        la = np.log10(age)
    if np.isscalar(log_mass_min) or log_mass_min is None:
        mins = [log_mass_min] * len(age_ranges)
    else:
        mins = list(log_mass_min)
        if len(mins) != len(age_ranges):
            raise StarclassError("log_mass_min needs one value per age range")
    rows = []
    for (a0, a1), mmin in zip(age_ranges, mins):
        sel = (la >= a0) & (la < a1) & (mass > 0)
        lo = 10**mmin if mmin is not None else None
        what = f"mass function, log age {a0}-{a1}"
        row = {"log_age_lo": a0, "log_age_hi": a1, "log_mass_min": np.nan if mmin is None else mmin}
        notes = []
        try:
            f = fit_powerlaw_binned(mass[sel], lo=lo, nbins=nbins, what=what)
            row.update(n=f.n, beta_ls=f.index, beta_ls_err=f.index_err)
        except StarclassError as exc:
            row.update(n=int(np.sum(sel & (mass >= (lo or 0)))), beta_ls=None, beta_ls_err=None)
            notes.append(str(exc))
        try:
            f = fit_powerlaw_ml(mass[sel], lo=lo, what=what)
            row.update(beta_ml=f.index, beta_ml_err=f.index_err)
        except StarclassError as exc:
            row.update(beta_ml=None, beta_ml_err=None)
            notes.append(str(exc))
        row["note"] = "; ".join(dict.fromkeys(notes))
        rows.append(row)
    return _rows_to_table(rows)


def _rows_to_table(rows: list[dict]) -> Table:
    t = Table()
    for c in rows[0]:
        vals = [r[c] for r in rows]
        if any(v is None for v in vals):
            t[c] = MaskedColumn([0.0 if v is None else v for v in vals], mask=[v is None for v in vals])
        else:
            t[c] = vals
        if isinstance(vals[0], float) or any(v is None for v in vals):
            t[c].format = ".3f"
    return t


def _ssp_mag_column(ssp: Table, band: str) -> str:
    """The SSP table's Vega magnitude column of ``band``; refused naming the bands it has."""
    col = mag_col(band)
    refused = ssp.meta.get("vega_refused") or {}
    if band.lower() in refused:  # a camera whose offset for the band is not known (load_ssp's cameras)
        raise StarclassError(f"SSP table {ssp.meta.get('file')}: {refused[band.lower()]}")
    if col not in ssp.colnames:
        raise StarclassError(f"the SSP model has no Vega magnitude for band {band}; it has "
                             f"{', '.join(ssp_bands(ssp))}")
    return col


def catalog_mass_kind(table: Table) -> tuple[MassKind, bool]:
    """The mass convention of a catalogue's ``mass`` column (``meta['mass_kind']``) and whether it is stated.

    A catalogue whose meta does not say takes ``"formed"`` (the SSP table's own normalisation, what the
    limits were before 2026-12-06) with False, so that a report can say the convention was assumed.

    Parameters
    ----------
    table : astropy.table.Table
        The catalogue (``meta['mass_kind']``, or ``MASS_KIND`` as a FITS header gives it back).

    Returns
    -------
    tuple
        (``"stellar"`` or ``"formed"``, True where the meta states it).

    Raises
    ------
    StarclassError
        A stated convention that is neither.

    Examples
    --------
    >>> catalog_mass_kind(Table(meta={"mass_kind": "stellar"})), catalog_mass_kind(Table())
    (('stellar', True), ('formed', False))
    """
    meta = table.meta or {}
    kind = meta.get(MASS_KIND, meta.get(MASS_KIND.upper()))
    if kind is None:
        return "formed", False
    return _checked_mass_kind(str(kind).strip().lower(), "the catalogue's meta['mass_kind']"), True


def mass_kind_words(kind: MassKind, stated: bool = True, given_as: str | None = None,
                    catalogue_kind: str | None = None) -> str:
    """How a report says which mass a limit or curve is in, beside it.

    Parameters
    ----------
    kind : {"stellar", "formed"}
        The convention (:func:`catalog_mass_kind`, or the user's ``--mass-kind``).
    stated : bool
        Whether the catalogue states it (False: assumed).
    given_as : str, optional
        The option the user stated it with (``"--mass-kind"``): then it is neither the catalogue's
        word nor assumed, and the words say who stated it.
    catalogue_kind : str, optional
        With ``given_as``: the convention the catalogue itself states, named where it differs.

    Returns
    -------
    str

    Examples
    --------
    >>> print(mass_kind_words("stellar"))
    stellar mass at the age, as the catalogue's masses
    >>> print(mass_kind_words("formed", False))
    mass formed (assumed: the catalogue does not say whether its masses are stellar or formed)
    >>> print(mass_kind_words("stellar", given_as="--mass-kind"))
    stellar mass at the age, as --mass-kind states the catalogue's masses are
    >>> print(mass_kind_words("formed", given_as="--mass-kind", catalogue_kind="stellar"))
    mass formed, as --mass-kind states the catalogue's masses are (the catalogue itself says stellar)
    """
    if _checked_mass_kind(kind) == "stellar":
        words = "stellar mass at the age"
    else:
        words = "mass formed"
    if given_as is not None:
        # the user's word on their own catalogue: a PHANGS or home-made table says nothing of it
        other = (f" (the catalogue itself says {catalogue_kind})"
                 if catalogue_kind is not None and catalogue_kind != kind else "")
        return f"{words}, as {given_as} states the catalogue's masses are{other}"
    if stated:
        return f"{words}, as the catalogue's masses"
    return f"{words} (assumed: the catalogue does not say whether its masses are stellar or formed)"


def check_mass_kind(kind: str, what: str = "--mass-kind") -> MassKind:
    """A mass convention the user states (``--mass-kind``), checked: ``"stellar"`` or ``"formed"``.

    Parameters
    ----------
    kind : str
        The stated convention; case and surrounding spaces do not matter.
    what : str
        How the error names where it came from.

    Returns
    -------
    str
        ``"stellar"`` or ``"formed"``.

    Raises
    ------
    StarclassError
        Any other value, naming ``what``.

    Examples
    --------
    >>> check_mass_kind(" Stellar ")
    'stellar'
    >>> try:
    ...     check_mass_kind("initial")
    ... except StarclassError as exc:
    ...     print(exc)
    --mass-kind must be one of stellar, formed, got 'initial'
    """
    return _checked_mass_kind(str(kind).strip().lower(), what)


def _checked_mass_kind(kind: str, what: str = "mass_kind") -> MassKind:
    if kind not in MASS_KINDS:
        raise StarclassError(f"{what} must be one of {', '.join(MASS_KINDS)}, got {kind!r}")
    return kind  # type: ignore[return-value]


def _ssp_mass(ssp: Table, log_age: np.ndarray, mass_kind: str) -> np.ndarray:
    """The mass [Msun] in ``mass_kind``'s convention of the population the SSP table's magnitudes are for."""
    la = np.asarray(ssp["log_age"], float)
    # the magnitudes are for Mconverted (Yggdrasil: 10^6 Msun formed); a table without it, for 10^6
    formed = (np.interp(log_age, la, ssp["mconverted"].quantity.to_value(u.Msun)) if "mconverted" in ssp.colnames
              else np.full(np.shape(log_age), 1e6))
    if _checked_mass_kind(mass_kind) == "formed":
        return formed
    if "mstars" not in ssp.colnames or "mconverted" not in ssp.colnames:
        raise StarclassError(f"SSP table {ssp.meta.get('file')} has no Mstars and Mconverted columns: it cannot give "
                             "a stellar mass (mass_kind='stellar'); use mass_kind='formed'")
    # the stars left of that population at the age: 0.899 of the mass formed at 10 Myr, 0.824 at 100 Myr
    stars = np.interp(log_age, la, ssp["mstars"].quantity.to_value(u.Msun))
    conv = np.interp(log_age, la, ssp["mconverted"].quantity.to_value(u.Msun))
    return formed * stars / conv


def mass_completeness(log_age: ArrayLike, mag_limit: float, distance_mpc: float, *, band: str = "f555w",
                      path: str | Path | None = None, cameras: Mapping[str, str] | None = None,
                      mass_kind: MassKind = "formed") -> u.Quantity:
    """The mass of a cluster at the catalogue's magnitude limit, at each age: the mass-completeness curve.

    A cluster of age τ whose SSP magnitude in ``band`` is ``M_ssp(τ)`` for the table's mass
    ``M_ssp_mass`` (Yggdrasil: its ``Mconverted``, 10^6 Msun formed; with ``mass_kind="stellar"`` the
    ``Mstars`` left of it at τ) is seen at apparent magnitude
    ``mag_limit`` at distance modulus ``DM`` when its mass is

        M_lim(τ) = M_ssp_mass · 10^(-0.4 (mag_limit - DM - M_ssp(τ)))

    (no extinction: a reddened cluster needs more mass). Clusters below the curve in the mass-age
    diagram are fainter than the limit at their age: the catalogue is incomplete there. Computed
    with astropy units (``Distance.distmod``, magnitudes in ``u.mag``, masses in ``u.Msun``); the
    SSP magnitude is interpolated linearly in log age between the table's rows
    (:func:`starclass.science.ssp.load_ssp`, Vega: catalogue magnitudes are Vega).

    Parameters
    ----------
    log_age : array_like
        log10 age [yr], within the SSP table's ages.
    mag_limit : float
        Apparent magnitude limit (Vega) in ``band``.
    distance_mpc : float
        Distance [Mpc].
    band : str
        The detection band (a ``mag_<band>`` column of the SSP table).
    path : str or Path, optional
        SSP table (default: the packaged Z = 0.020 one).
    cameras : mapping, optional
        Band -> camera of the catalogue (its ``meta['cameras']``, as ``detect`` writes it): the
        model's magnitude is put on that camera's Vega system, as the catalogue's limit is
        (:func:`starclass.science.ssp.load_ssp`).
    mass_kind : {"formed", "stellar"}
        The convention of the masses the curve is drawn over (:func:`catalog_mass_kind`): the mass
        formed, or the stars' mass at the age (LEGUS's SED fits), 0.046 dex less at 10 Myr, 0.084 at
        100 Myr (the table's Mstars / Mconverted).

    Returns
    -------
    astropy.units.Quantity
        Masses [Msun], one per age.

    Raises
    ------
    StarclassError
        A band the table lacks, an age outside it, a limit or distance that is not a finite number,
        or a ``mass_kind`` that is neither (or "stellar" for a table without Mstars).

    Examples
    --------
    At 10 Myr the packaged model's 10^6 Msun has M_V = -14.01 (Vega); at 10 Mpc (DM = 30) a limit of
    V = 22 is M_V = -8, reached by 10^(6 + 0.4 (-14.01 + 8)) Msun formed, of which 0.899 is left in stars:

    >>> m = mass_completeness([7.0], 22.0, 10.0)
    >>> stellar = mass_completeness([7.0], 22.0, 10.0, mass_kind="stellar")
    >>> m.unit, round(float(np.log10(m.value[0])), 2), round(float(stellar[0] / m[0]), 3)
    (Unit("solMass"), 3.59, 0.899)
    """
    from astropy.coordinates import Distance

    if not np.isfinite(mag_limit):
        raise StarclassError(f"mag_limit must be a finite magnitude, got {mag_limit}")
    if not (np.isfinite(distance_mpc) and distance_mpc > 0):
        raise StarclassError(f"distance must be a positive number of Mpc, got {distance_mpc}")
    _checked_mass_kind(mass_kind)
    ssp = load_ssp(path, cameras=cameras)
    col = _ssp_mag_column(ssp, band)
    la = np.asarray(ssp["log_age"], float)
    x = np.atleast_1d(np.asarray(log_age, float))
    if x.size and not (la.min() <= np.nanmin(x) and np.nanmax(x) <= la.max()):
        raise StarclassError(f"log age {np.nanmin(x):g}-{np.nanmax(x):g} is outside the SSP model "
                             f"({la.min():.2f}-{la.max():.2f})")
    m_ssp = np.interp(x, la, np.asarray(ssp[col], float)) * u.mag
    norm = _ssp_mass(ssp, x, mass_kind) * u.Msun
    dm = Distance(distance_mpc * u.Mpc).distmod
    return norm * 10 ** (-0.4 * (mag_limit * u.mag - dm - m_ssp).to_value(u.mag))


def mass_limit(log_age: float, abs_mag_limit: float, *, band: str = "f555w",
               path: str | Path | None = None, cameras: Mapping[str, str] | None = None,
               mass_kind: MassKind = "formed") -> float:
    """log10 of the smallest mass visible at ``log_age`` for an absolute-magnitude limit.

    From the SSP model (:func:`starclass.science.ssp.load_ssp`: the packaged one, or the table
    at ``path``; Vega): log M_lim = log M_ssp_mass + 0.4 (M_ssp(age) - M_lim), with M_ssp_mass
    the mass the table's magnitudes are for (Yggdrasil's Mconverted, 10^6 Msun formed) or, with
    ``mass_kind="stellar"``, the mass left in stars at the age (Mstars). Taken at the oldest age of
    a range, it is the mass above which the range is complete (no extinction). ``cameras`` (the
    catalogue's ``meta['cameras']``) puts the model on the Vega system of the camera that took ``band``.
    ``mass_kind`` is the convention of the masses the limit is compared with
    (:func:`catalog_mass_kind`: LEGUS's are stellar).

    Examples
    --------
    At 10 Myr the packaged model's 10^6 Msun has M_V = -14.01, so M_V = -8 is reached at
    6 + 0.4 (-14.01 + 8); on ACS/WFC's F555W (AB - Vega -0.006, WFC3/UVIS's -0.03) the model is
    0.024 mag brighter, 0.4 x 0.024 dex less mass:

    >>> acs = mass_limit(7.0, -8.0, cameras={"f555w": "acs/wfc"})
    >>> round(mass_limit(7.0, -8.0), 2), round(mass_limit(7.0, -8.0) - acs, 4)
    (3.59, 0.0096)

    In stellar mass, as LEGUS's catalogues give it, log(Mstars / Mconverted) = log 0.899 lower:

    >>> round(mass_limit(7.0, -8.0, mass_kind="stellar") - mass_limit(7.0, -8.0), 3)
    -0.046
    """
    _checked_mass_kind(mass_kind)
    ssp = load_ssp(path, cameras=cameras)
    col = _ssp_mag_column(ssp, band)
    la = np.asarray(ssp["log_age"], float)
    if not la.min() <= log_age <= la.max():
        raise StarclassError(f"log age {log_age} is outside the SSP model ({la.min():.2f}-{la.max():.2f})")
    m_ssp = float(np.interp(log_age, la, np.asarray(ssp[col], float)))
    return float(np.log10(_ssp_mass(ssp, np.asarray(log_age, float), mass_kind))) + 0.4 * (m_ssp - abs_mag_limit)
