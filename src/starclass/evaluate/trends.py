"""Equal-number binning and least-squares trend lines.

PHANGS (section 4.2) bins magnitude so that every bin holds about the same number of objects;
agreement fractions against magnitude, crowding and background are then fitted with a straight
line by least squares (:func:`scipy.stats.linregress`).
"""

from __future__ import annotations

import numpy as np

from starclass.errors import StarclassError, counted


def equal_number_edges(values: np.ndarray, nbins: int) -> np.ndarray:
    """Bin edges so that each of ``nbins`` bins holds (nearly) the same number of values.

    Ties can make bins unequal (crowding is an integer); duplicate edges are dropped, so fewer
    bins may come back.

    Examples
    --------
    >>> equal_number_edges(np.array([1.0, 2, 3, 4, 5, 6]), 3).round(3).tolist()
    [1.0, 2.667, 4.333, 6.0]

    Four equal values cannot be split: two bins come back instead of three:

    >>> equal_number_edges(np.array([1, 1, 1, 1, 2, 3]), 3).round(3).tolist()
    [1.0, 1.333, 3.0]
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if nbins < 1:
        raise StarclassError(f"number of bins must be >= 1, got {nbins}")
    if v.size < nbins:
        raise StarclassError(f"cannot make {nbins} equal-number bins from {v.size} values")
    edges = np.quantile(v, np.linspace(0, 1, nbins + 1))
    edges = np.unique(edges)
    if edges.size < 2:
        edges = np.array([v.min(), v.min() + 1.0])
    edges[-1] = np.nextafter(edges[-1], np.inf)  # include the maximum in the last bin
    return edges


def linear_trend(x: np.ndarray, y: np.ndarray, *, what: str = "trend") -> dict:
    """Least-squares straight line y = slope * x + intercept with standard errors.

    Raises :class:`StarclassError` with fewer than 3 finite points (a line through two points
    has no error) or when x does not vary.

    Examples
    --------
    >>> fit = linear_trend(np.array([0.0, 1, 2, 3]), np.array([1.0, 3, 5, 7.5]))
    >>> round(fit["slope"], 3), round(fit["slope_err"], 3), round(fit["intercept"], 3), fit["n_points"]
    (2.15, 0.087, 0.9, 4)
    """
    # scipy.stats adds 0.7 s (measured) to `import starclass.evaluate`
    from scipy.stats import linregress

    x = np.asarray(x, float)
    y = np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        raise StarclassError(f"{what}: {counted(int(ok.sum()), 'point')}, need at least 3 for a fit")
    if np.ptp(x[ok]) == 0:
        raise StarclassError(f"{what}: all points at the same x, no slope can be fitted")
    r = linregress(x[ok], y[ok])
    return {
        "slope": float(r.slope),
        "slope_err": float(r.stderr),
        "intercept": float(r.intercept),
        "intercept_err": float(r.intercept_stderr),
        "n_points": int(ok.sum()),
    }
