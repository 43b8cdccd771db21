"""One-to-one cross-matching of two catalogues by pixel position.

The PHANGS comparisons (Whitmore et al. 2021 section 5) count two candidates as the same object
when they lie within 2 px. :func:`match_catalogs` pairs each object with at most one partner:
all pairs closer than ``radius`` are taken in order of increasing separation, and a pair is
accepted only if neither member is already matched (greedy nearest-first assignment; it gives
the same result as an optimal assignment whenever the close pairs do not compete, which is the
normal case at 2 px). :func:`one_to_one` is that assignment on its own, for pairs found some
other way (on the sky, by :mod:`starclass.evaluate.matching`). :func:`match_truth` matches a
truth catalogue to detections for completeness: a true object is found by a detection near its
position or, where the truth gives one, near its centre of light.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from scipy.spatial import cKDTree

from starclass.errors import StarclassError
from starclass.schema import X_LIGHT, Y_LIGHT, X, Y, check_match_radius


def _xy(cat, name: str) -> np.ndarray:
    if isinstance(cat, np.ndarray):
        arr = np.asarray(cat, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise StarclassError(f"{name}: expected an (N, 2) array of x, y, got shape {arr.shape}")
        return arr
    from starclass.io.catalog import catalog_argument  # io.catalog loads pyarrow: only for tables

    # x in arcsec matched as pixels (nothing within 2 "px"); a DataFrame stopped on .colnames
    cat = catalog_argument(cat, name)
    for col in (X, Y):
        if col not in cat.colnames:
            raise StarclassError(f"{name}: required column {col!r} is missing")
    x = np.ma.filled(np.ma.asarray(cat[X], dtype=float), np.nan)
    y = np.ma.filled(np.ma.asarray(cat[Y], dtype=float), np.nan)
    return np.column_stack([x, y])


def match_catalogs(a: Table | np.ndarray, b: Table | np.ndarray,
                   radius: float = 2.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match two catalogues one-to-one within ``radius`` pixels.

    Parameters
    ----------
    a, b
        Tables with 0-based ``x``, ``y`` columns (same pixel grid), or ``(N, 2)`` arrays.
    radius
        Largest separation (px) of a match.

    Returns
    -------
    idx_a, idx_b, sep
        Row indices into ``a`` and ``b`` of the matched pairs and their separations (px),
        sorted by ``idx_a``. Each row of ``a`` and of ``b`` appears at most once. Rows with
        non-finite positions never match.

    Examples
    --------
    >>> import numpy as np
    >>> ia, ib, d = match_catalogs(np.array([[0., 0.], [10., 10.]]), np.array([[10.5, 10.], [0., 1.]]))
    >>> ia.tolist(), ib.tolist(), d.tolist()
    ([0, 1], [1, 0], [1.0, 0.5])
    """
    check_match_radius(radius)  # the bound of evaluate --radius: 1e308 paired unrelated objects
    return one_to_one(*_pairs_within(_xy(a, "first catalogue"), _xy(b, "second catalogue"), radius))


def _pairs_within(pa: np.ndarray, pb: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i, j, separation) of finite rows of ``pa`` and ``pb`` closer than ``radius``."""
    fa = np.flatnonzero(np.isfinite(pa).all(axis=1))
    fb = np.flatnonzero(np.isfinite(pb).all(axis=1))
    if fa.size == 0 or fb.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    sparse = cKDTree(pa[fa]).sparse_distance_matrix(cKDTree(pb[fb]), radius, output_type="ndarray")
    if len(sparse) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    i, j, d = sparse["i"], sparse["j"], sparse["v"]
    keep = d <= radius
    return fa[i[keep]], fb[j[keep]], d[keep]


def match_truth(truth: Table | np.ndarray, found: Table | np.ndarray,
                radius: float = 2.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match true objects to detections one-to-one: within ``radius`` of the position or the centre of light.

    A simulated object's ``x``, ``y`` is its cluster body's centre or, for a pair or triplet of
    stars, its brightest star; its ``x_light``, ``y_light`` (:data:`starclass.schema.X_LIGHT`) the
    centre of its V-band light. A cluster with a bright off-centre star is detected as one blend
    near its centre of light, up to 3 px from the body, and a pair on its brightest star, up to
    2.5 px from its centre of light: matched at one of the two points only, either was counted as
    missed. A detection within ``radius`` of either point finds the object; the pairs are then
    reduced one-to-one nearest first (:func:`one_to_one`) on the smaller of the two separations.
    A truth without ``x_light``, ``y_light`` (or an array) is matched as by :func:`match_catalogs`.

    Parameters
    ----------
    truth
        The true objects: a table with ``x``, ``y`` and optionally ``x_light``, ``y_light``
        (0-based px, rows where they are NaN use ``x``, ``y`` only), or an ``(N, 2)`` array.
    found
        The detections (table with ``x``, ``y``, or an ``(M, 2)`` array).
    radius
        Largest separation (px) of a match.

    Returns
    -------
    idx_truth, idx_found, sep
        Row indices of the matched pairs and their separations (px, the smaller of the two),
        sorted by ``idx_truth``.

    Examples
    --------
    A cluster whose off-centre star pulls its light 2.6 px away, detected there, and a pair
    detected on its brightest star (its ``x``, ``y``):

    >>> truth = Table({"x": [10.0, 40.0], "y": [10.0, 10.0], "x_light": [12.6, 41.8], "y_light": [10.0, 10.0]})
    >>> found = np.array([[12.4, 10.1], [40.2, 10.0]])
    >>> it, jf, d = match_truth(truth, found)
    >>> it.tolist(), jf.tolist(), [round(float(v), 2) for v in d]
    ([0, 1], [0, 1], [0.22, 0.2])
    >>> match_catalogs(truth, found)[0].tolist()  # at x, y only the cluster reads as missed
    [1]
    """
    check_match_radius(radius)
    pt, pf = _xy(truth, "truth catalogue"), _xy(found, "detections")
    i, j, d = _pairs_within(pt, pf, radius)
    if isinstance(truth, Table) and X_LIGHT in truth.colnames and Y_LIGHT in truth.colnames:
        light = np.column_stack([np.ma.filled(np.ma.asarray(truth[c], dtype=float), np.nan)
                                 for c in (X_LIGHT, Y_LIGHT)])
        i2, j2, d2 = _pairs_within(light, pf, radius)
        i, j, d = np.concatenate([i, i2]), np.concatenate([j, j2]), np.concatenate([d, d2])
        if len(i):
            # one candidate pair per (truth, detection): the smaller separation of the two points
            order = np.lexsort((d, j, i))
            i, j, d = i[order], j[order], d[order]
            first = np.ones(len(i), dtype=bool)
            first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
            i, j, d = i[first], j[first], d[first]
    return one_to_one(i, j, d)


def one_to_one(
    idx_a: np.ndarray, idx_b: np.ndarray, sep: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduce candidate pairs to a one-to-one match, nearest first.

    Pairs are taken in order of increasing separation (ties broken by ``idx_a``, then
    ``idx_b``, so the result never depends on the input order) and a pair is kept only
    if neither of its members is already matched.

    Parameters
    ----------
    idx_a, idx_b
        Row indices of the candidate pairs in the two catalogues (any integers).
    sep
        Separation of each pair, in any unit.

    Returns
    -------
    idx_a, idx_b, sep
        The kept pairs, sorted by ``idx_a``.

    Examples
    --------
    >>> import numpy as np
    >>> ia, ib, d = one_to_one(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.5, 0.6, 0.4]))
    >>> ia.tolist(), ib.tolist(), d.tolist()
    ([0, 1], [1, 0], [0.6, 0.4])
    """
    ia = np.asarray(idx_a, dtype=np.int64)
    ib = np.asarray(idx_b, dtype=np.int64)
    d = np.asarray(sep, dtype=float)
    if not ia.shape == ib.shape == d.shape or ia.ndim != 1:
        raise StarclassError(
            f"one_to_one: idx_a, idx_b and sep must be 1-D of one length, got {ia.shape}, {ib.shape}, {d.shape}"
        )
    used_a: set[int] = set()
    used_b: set[int] = set()
    keep = []
    for k in np.lexsort((ib, ia, d)):
        a, b = int(ia[k]), int(ib[k])
        if a in used_a or b in used_b:
            continue
        used_a.add(a)
        used_b.add(b)
        keep.append(k)
    kept = np.asarray(keep, dtype=np.int64)
    kept = kept[np.argsort(ia[kept], kind="stable")]
    return ia[kept], ib[kept], d[kept]
