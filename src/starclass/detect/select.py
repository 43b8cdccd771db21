"""Candidate selection: magnitude limit, CI cut, or a polygon in MCI space.

* LEGUS-like (Adamo et al. 2017): ``ci >= ci_min`` (e.g. 1.35 mag for NGC 1566-like depth
  and PSF) and ``m_V <= mag_limit`` (LEGUS required M_V <= -6 in the V band).
* PHANGS-like (Thilker et al. 2022; Whitmore et al. 2021 section 3.2): a polygon in the plane
  of the inner and outer multiple concentration indices, ``MCI_in`` = mean of ``mci_1`` and
  ``mci_2`` (apertures 1-3 px) and ``MCI_out`` = mean of ``mci_3``, ``mci_4`` and ``mci_5``
  (apertures 3-6 px), as returned by :func:`mci_inner_outer`. On this normalisation the
  fiducial cluster sits at (1, 1); a point source near (0.6, 0.1) for a Gaussian 2 px PSF and
  near (0.8, 0.5) for the Moffat-winged PSF of the simulator (HST-like); clusters on the
  default simulated field have median MCI_in 1.0-1.2 (docs/img/detect/ci_mci_by_class.png).
  :data:`DEFAULT_MCI_POLYGON` is a generous region that drops most point sources and very
  flat fluff; tune it on your data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from astropy.table import Table

from starclass import schema
from starclass.bands import v_band
from starclass.errors import StarclassError

#: A broad region in the (MCI_in, MCI_out) plane keeping resolved, centrally concentrated
#: objects: vertices (MCI_in, MCI_out), counter-clockwise.
DEFAULT_MCI_POLYGON: tuple[tuple[float, float], ...] = (
    (0.9, 0.3), (2.5, 0.3), (2.5, 4.0), (0.9, 4.0),
)


def mci_inner_outer(table: Table) -> tuple[np.ndarray, np.ndarray]:
    """The PHANGS-style inner and outer MCI: means of ``mci_1..2`` and of ``mci_3..5``.

    Examples
    --------
    >>> t = Table({"mci_1": [1.0], "mci_2": [2.0], "mci_3": [3.0], "mci_4": [4.0], "mci_5": [5.0]})
    >>> [a.tolist() for a in mci_inner_outer(t)]
    [[1.5], [4.0]]
    """
    for r in schema.MCI_RADII:
        if schema.mci_col(r) not in table.colnames:
            raise StarclassError(f"column {schema.mci_col(r)!r} is missing: run measure() first")
    cols = [np.ma.filled(np.ma.asarray(table[schema.mci_col(r)], dtype=float), np.nan)
            for r in schema.MCI_RADII]
    inner = np.mean(cols[0:2], axis=0)
    outer = np.mean(cols[2:5], axis=0)
    return inner, outer


def points_in_polygon(px: np.ndarray, py: np.ndarray, polygon: Sequence[Sequence[float]]) -> np.ndarray:
    """True for points inside ``polygon`` (a list of (x, y) vertices); NaN points are outside.

    Examples
    --------
    >>> square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> points_in_polygon(np.array([0.5, 2.0, np.nan]), np.array([0.5, 0.5, 0.5]), square).tolist()
    [True, False, False]
    """
    # matplotlib adds 0.15 s (measured) to `import starclass.detect`; only the MCI polygon cut needs it
    from matplotlib.path import Path as MplPath

    poly = np.asarray(polygon, dtype=float)
    if poly.ndim != 2 or poly.shape[1] != 2 or len(poly) < 3:
        raise StarclassError(f"MCI polygon needs at least 3 (x, y) vertices, got {poly.tolist()}")
    pts = np.column_stack([px, py])
    finite = np.isfinite(pts).all(axis=1)
    inside = np.zeros(len(pts), dtype=bool)
    if finite.any():
        inside[finite] = MplPath(poly).contains_points(pts[finite])
    return inside


def check_cuts(**cuts: object) -> dict[str, float | None]:
    """The numeric cuts (``mag_limit``, ``ci_min``, ``ci_max``) as floats; None stays None.

    Checked before any work: a cut given as text (a notebook widget's value) ran the whole
    detection and then stopped in numpy ("ufunc 'less_equal' did not contain a loop").

    Raises
    ------
    StarclassError
        A cut that is not a finite number, named.

    Examples
    --------
    >>> check_cuts(mag_limit=24, ci_min=None)
    {'mag_limit': 24.0, 'ci_min': None}
    >>> check_cuts(ci_max="high")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: ci_max='high' must be a finite number (or None: no cut)
    """
    out: dict[str, float | None] = {}
    for name, value in cuts.items():
        if value is None:
            out[name] = None
            continue
        number = None
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            number = float(value)
        if number is None or not np.isfinite(number):
            raise StarclassError(f"{name}={value!r} must be a finite number (or None: no cut)")
        out[name] = number
    return out


def selection_mask(
    table: Table,
    *,
    mag_limit: float | None = None,
    ci_min: float | None = None,
    ci_max: float | None = None,
    mci_polygon: Sequence[Sequence[float]] | None = None,
    band: str | None = None,
) -> np.ndarray:
    """Boolean mask of rows passing every given criterion (all True when none is given).

    Parameters
    ----------
    table
        Measured candidates.
    mag_limit
        Keep ``mag_<band> <= mag_limit`` (NaN magnitudes fail).
    ci_min, ci_max
        Keep ``ci_min <= ci <= ci_max`` (NaN fails).
    mci_polygon
        Keep points inside this polygon in the (MCI_in, MCI_out) plane.
    band
        Band of the magnitude limit (default: the V band of the table's bands).

    Examples
    --------
    >>> cand = Table({"mag_f555w": [21.0, 23.5, np.nan], "ci": [1.2, 1.5, 1.4]})
    >>> selection_mask(cand, mag_limit=23.0).tolist(), selection_mask(cand, ci_min=1.3).tolist()
    ([True, False, False], [False, True, True])
    """
    cuts = check_cuts(mag_limit=mag_limit, ci_min=ci_min, ci_max=ci_max)
    mag_limit, ci_min, ci_max = cuts["mag_limit"], cuts["ci_min"], cuts["ci_max"]
    keep = np.ones(len(table), dtype=bool)
    if mag_limit is not None:
        bands = schema.bands_in(table)
        if not bands:
            raise StarclassError("mag_limit given but the table has no mag_<band> column")
        b = (band or v_band(bands)).lower()
        col = schema.mag_col(b)
        if col not in table.colnames:
            raise StarclassError(f"mag_limit: column {col!r} is missing")
        m = np.ma.filled(np.ma.asarray(table[col], dtype=float), np.nan)
        keep &= np.isfinite(m) & (m <= mag_limit)
    if ci_min is not None or ci_max is not None:
        if "ci" not in table.colnames:
            raise StarclassError("CI cut given but the table has no 'ci' column")
        ci = np.ma.filled(np.ma.asarray(table["ci"], dtype=float), np.nan)
        ok = np.isfinite(ci)
        if ci_min is not None:
            ok &= ci >= ci_min
        if ci_max is not None:
            ok &= ci <= ci_max
        keep &= ok
    if mci_polygon is not None:
        inner, outer = mci_inner_outer(table)
        keep &= points_in_polygon(inner, outer, mci_polygon)
    return keep


def select_candidates(table: Table, **criteria: Any) -> Table:
    """Rows of ``table`` passing :func:`selection_mask` with ``criteria``.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0], "mag_f555w": [22.0, 24.5, 23.0], "ci": [1.5, 1.6, 1.2]})
    >>> kept = select_candidates(t, mag_limit=24.0, ci_min=1.35)
    >>> kept["mag_f555w"].tolist(), kept.meta["selection"]
    ([22.0], {'mag_limit': 24.0, 'ci_min': 1.35})
    """
    from starclass.io.catalog import catalog_argument  # io.catalog loads pyarrow: only when selecting

    table = catalog_argument(table, "the candidates")  # a DataFrame stopped on .colnames
    keep = selection_mask(table, **criteria)
    out = table[keep]
    out.meta["selection"] = {k: (list(map(list, v)) if k == "mci_polygon" and v is not None else v)
                             for k, v in criteria.items() if v is not None}
    return out
