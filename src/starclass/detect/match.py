"""One-to-one cross-matching of two catalogues by pixel position.

The PHANGS comparisons (Whitmore et al. 2021 section 5) count two candidates as the same object
when they lie within 2 px. :func:`match_catalogs` pairs each object with at most one partner:
all pairs closer than ``radius`` are taken in order of increasing separation, and a pair is
accepted only if neither member is already matched (greedy nearest-first assignment; it gives
the same result as an optimal assignment whenever the close pairs do not compete, which is the
normal case at 2 px).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from starclass.errors import StarclassError


def _xy(cat, name: str) -> np.ndarray:
    if isinstance(cat, np.ndarray):
        arr = np.asarray(cat, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise StarclassError(f"{name}: expected an (N, 2) array of x, y, got shape {arr.shape}")
        return arr
    for col in ("x", "y"):
        if col not in cat.colnames:
            raise StarclassError(f"{name}: required column {col!r} is missing")
    x = np.ma.filled(np.ma.asarray(cat["x"], dtype=float), np.nan)
    y = np.ma.filled(np.ma.asarray(cat["y"], dtype=float), np.nan)
    return np.column_stack([x, y])


def match_catalogs(a, b, radius: float = 2.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    if radius <= 0:
        raise StarclassError(f"match radius must be positive, got {radius}")
    pa, pb = _xy(a, "first catalogue"), _xy(b, "second catalogue")
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    fa = np.flatnonzero(np.isfinite(pa).all(axis=1))
    fb = np.flatnonzero(np.isfinite(pb).all(axis=1))
    if fa.size == 0 or fb.size == 0:
        return empty
    ta, tb = cKDTree(pa[fa]), cKDTree(pb[fb])
    sparse = ta.sparse_distance_matrix(tb, radius, output_type="ndarray")
    if len(sparse) == 0:
        return empty
    i, j, d = sparse["i"], sparse["j"], sparse["v"]
    keep = d <= radius
    i, j, d = i[keep], j[keep], d[keep]
    order = np.lexsort((j, i, d))
    used_a = np.zeros(fa.size, dtype=bool)
    used_b = np.zeros(fb.size, dtype=bool)
    ia, ib, sep = [], [], []
    for k in order:
        if used_a[i[k]] or used_b[j[k]]:
            continue
        used_a[i[k]] = used_b[j[k]] = True
        ia.append(fa[i[k]])
        ib.append(fb[j[k]])
        sep.append(d[k])
    ia_arr = np.asarray(ia, dtype=np.int64)
    srt = np.argsort(ia_arr, kind="stable")
    return ia_arr[srt], np.asarray(ib, dtype=np.int64)[srt], np.asarray(sep, dtype=float)[srt]
