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

from typing import Any

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.schema import DEC, RA, X_LIGHT, Y_LIGHT, X, Y, check_match_radius


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
    # here: scipy.spatial takes 0.3 s to import, and starclass.detect imports this module with its completeness
    from scipy.spatial import cKDTree

    sparse = cKDTree(pa[fa]).sparse_distance_matrix(cKDTree(pb[fb]), radius, output_type="ndarray")
    if len(sparse) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    i, j, d = sparse["i"], sparse["j"], sparse["v"]
    keep = d <= radius
    return fa[i[keep]], fb[j[keep]], d[keep]


def match_truth(truth: Table | np.ndarray, found: Table | np.ndarray,
                radius: float = 2.0, *, wcs: Any = None,
                pixel_scale: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match true objects to detections one-to-one: within ``radius`` of the position or the centre of light.

    A simulated object's ``x``, ``y`` is its cluster body's centre or, for a pair or triplet of
    stars, its brightest star; its ``x_light``, ``y_light`` (:data:`starclass.schema.X_LIGHT`) the
    centre of its V-band light. A cluster with a bright off-centre star is detected as one blend
    near its centre of light, up to 3 px from the body, and a pair on its brightest star, up to
    2.5 px from its centre of light: matched at one of the two points only, either was counted as
    missed. A detection within ``radius`` of either point finds the object; the pairs are then
    reduced one-to-one nearest first (:func:`one_to_one`) on the smaller of the two separations.
    A truth without ``x_light``, ``y_light`` (or an array) is matched as by :func:`match_catalogs`.

    With ``wcs``, where both tables have ``ra``, ``dec`` in every row, the match is on the sky, as
    :func:`starclass.evaluate.matching.match_catalogs` matches two such catalogues: ``radius`` is in
    pixels of ``wcs``, and the centre of light is put on the sky through ``wcs``. ``survey`` scores
    each field against its truth so (the field's mosaics' WCS, on which the truth's pixels lie):
    until 2026-12-06 it matched at ``ra``, ``dec`` (or ``x``, ``y``) only, and a blend detected at
    its centre of light read as missed there though ``detect --truth`` found it.

    Parameters
    ----------
    truth
        The true objects: a table with ``x``, ``y`` and optionally ``x_light``, ``y_light``
        (0-based px, rows where they are NaN use ``x``, ``y`` only), or an ``(N, 2)`` array.
    found
        The detections (table with ``x``, ``y``, or an ``(M, 2)`` array).
    radius
        Largest separation (px) of a match.
    wcs
        The celestial WCS of the truth's pixels (an :class:`astropy.wcs.WCS`), or None to match
        on the pixels whatever the tables hold. On the sky ``found`` needs no ``x``, ``y``.
    pixel_scale
        On the sky, the arcsec per pixel that ``radius`` and the separations are in; None: that of
        ``wcs``. ``evaluate`` gives the prediction's own (:func:`starclass.evaluate.matching.pixel_scale_of`),
        as it matches two catalogues without a centre of light.

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

    The same on the sky (0.1"/px), as ``survey`` matches a field whose mosaics have a WCS:

    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype, w.wcs.crval, w.wcs.cdelt = ["RA---TAN", "DEC--TAN"], [10.0, 20.0], [-0.1 / 3600, 0.1 / 3600]
    >>> for t in (truth, found := Table({"x": found[:, 0], "y": found[:, 1]})):
    ...     t["ra"], t["dec"] = w.wcs_pix2world(t["x"], t["y"], 0)
    >>> match_truth(truth, found, wcs=w)[1].tolist()
    [0, 1]
    """
    check_match_radius(radius)
    light = None
    if isinstance(truth, Table) and X_LIGHT in truth.colnames and Y_LIGHT in truth.colnames:
        light = np.column_stack([np.ma.filled(np.ma.asarray(truth[c], dtype=float), np.nan)
                                 for c in (X_LIGHT, Y_LIGHT)])
    if wcs is not None and _on_sky(truth) and _on_sky(found):
        # before the pixels are read: evaluate's catalogues matched on the sky may have ra, dec alone
        return _match_truth_on_sky(truth, found, light, radius, wcs, pixel_scale)
    pt, pf = _xy(truth, "truth catalogue"), _xy(found, "detections")
    i, j, d = _pairs_within(pt, pf, radius)
    if light is not None:
        i, j, d = _nearer_point(i, j, d, *_pairs_within(light, pf, radius))
    return one_to_one(i, j, d)


def _nearer_point(i: np.ndarray, j: np.ndarray, d: np.ndarray, i2: np.ndarray, j2: np.ndarray,
                  d2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs found at either point of a true object, one per (truth, detection): the smaller separation."""
    i, j, d = np.concatenate([i, i2]), np.concatenate([j, j2]), np.concatenate([d, d2])
    if len(i):
        order = np.lexsort((d, j, i))
        i, j, d = i[order], j[order], d[order]
        first = np.ones(len(i), dtype=bool)
        first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
        i, j, d = i[first], j[first], d[first]
    return i, j, d


def _on_sky(cat) -> bool:
    """Whether ``cat`` is a table with ``ra``, ``dec`` finite in every row (the rule of evaluate's matching)."""
    if not isinstance(cat, Table) or not all(c in cat.colnames for c in (RA, DEC)):
        return False
    radec = np.column_stack([np.ma.filled(np.ma.asarray(cat[c], dtype=float), np.nan) for c in (RA, DEC)])
    return bool(len(radec)) and bool(np.isfinite(radec).all())


def _match_truth_on_sky(truth: Table, found: Table, light: np.ndarray | None, radius: float,
                        wcs: Any, pixel_scale: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`match_truth` on the sky: ``radius`` px of ``wcs`` (or of ``pixel_scale``); the centre of light put
    on the sky through ``wcs``."""
    import astropy.units as u
    from astropy.coordinates import SkyCoord
    from astropy.wcs.utils import proj_plane_pixel_scales

    celestial = wcs.celestial
    scale = (float(pixel_scale) if pixel_scale is not None
             else float(np.sqrt(np.prod(proj_plane_pixel_scales(celestial))) * 3600.0))  # arcsec per px
    if not (np.isfinite(scale) and scale > 0):
        raise StarclassError(f"match_truth: the WCS given has no usable pixel scale ({scale} arcsec/px)")

    def radec(cat: Table) -> np.ndarray:
        return np.column_stack([np.ma.filled(np.ma.asarray(cat[c], dtype=float), np.nan) for c in (RA, DEC)])

    cf = SkyCoord(*(radec(found).T * u.deg), frame="icrs")

    def pairs(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ok = np.flatnonzero(np.isfinite(points).all(axis=1))
        if ok.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        # search_around_sky returns (indices into the argument, indices into self, ...)
        jf, it, sep, _ = SkyCoord(*(points[ok].T * u.deg), frame="icrs").search_around_sky(
            cf, radius * scale * u.arcsec)
        return ok[it], np.asarray(jf, dtype=np.int64), sep.to_value(u.arcsec) / scale

    i, j, d = pairs(radec(truth))
    if light is not None:
        lit = np.full(light.shape, np.nan)
        ok = np.isfinite(light).all(axis=1)
        if ok.any():
            lit[ok] = np.column_stack(celestial.wcs_pix2world(light[ok, 0], light[ok, 1], 0))
        i, j, d = _nearer_point(i, j, d, *pairs(lit))
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
