"""One-to-one positional cross-matching of two catalogues.

The PHANGS paper (Whitmore et al., section 4) compares classifications on the *intersection*
of two catalogues: objects matched one-to-one within a 2 px radius. Here the candidate pairs
within the radius come from a k-d tree (:class:`scipy.spatial.cKDTree`), and pairs are then
accepted nearest first, each object being used at most once (a greedy assignment; for
sparse cluster catalogues it is the same as an optimal one except in rare triple
coincidences).

When both catalogues have ``ra``/``dec`` (finite in every row), the match is done on the sky,
within ``radius`` pixels of the first catalogue's mosaic: its pixel scale is measured from its own
``x``, ``y`` and ``ra``, ``dec`` (:func:`pixel_scale_of`). Pixel positions of two catalogues are
only comparable when both come from one mosaic: LEGUS NGC 628-C and NGC 628-E are two pointings
with their own pixel grids, and matching them on ``x``, ``y`` paired 1 object by chance where the
sky gives 122 within 2 px (22 classified in both). Otherwise the match is on 0-based pixels
(``x``, ``y``) of the same mosaic.

Both kinds of match use the detect stage's matcher (:mod:`starclass.detect.match`): pixel
positions go to :func:`starclass.detect.match.match_catalogs`, and the pairs found on the sky
are made one-to-one by :func:`starclass.detect.match.one_to_one`, so the two stages can never
disagree about which objects are the same.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
from astropy.coordinates import SkyCoord
from astropy.table import Table

from starclass.detect.match import match_catalogs as match_positions
from starclass.detect.match import one_to_one
from starclass.errors import StarclassError, counted
from starclass.evaluate.metrics import class_array
from starclass.io.mosaic import SKY_POSITIONS
from starclass.schema import DEC, RA, X, Y, check_match_radius, row_name

#: The one-to-one assignment under its former name here (kept so old imports keep working).
greedy_one_to_one = one_to_one


def _positions(table: Table, cols: tuple[str, str], name: str) -> np.ndarray:
    for c in cols:
        if c not in table.colnames:
            raise StarclassError(f"catalogue {name} has no column {c!r} to match on")
    pos = np.column_stack([np.asarray(table[c], dtype=float) for c in cols])
    bad = ~np.isfinite(pos).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise StarclassError(f"catalogue {name}: non-finite position in {row_name(row)} (columns {cols})")
    return pos


def _sky(table: Table) -> bool:
    """Whether a table has ``ra``, ``dec`` finite in every row (a sky position for each object)."""
    if not all(c in table.colnames for c in (RA, DEC)):
        return False
    radec = np.column_stack([np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan) for c in (RA, DEC)])
    return bool(np.isfinite(radec).all())


def pixel_scale_of(table: Table, max_pairs: int = 500) -> float | None:
    """Arcsec per pixel of a table's ``x``, ``y``, measured from its own ``ra``, ``dec``.

    The median, over pairs of objects at least 20 px apart, of their separation on the sky over
    their separation in pixels (positions are rounded in published catalogues: LEGUS gives
    ``ra``, ``dec`` to 1e-5 deg, 0.036", so close pairs would be imprecise).

    Parameters
    ----------
    table
        A catalogue with ``x``, ``y``, ``ra``, ``dec``.
    max_pairs
        At most this many pairs are measured.

    Returns
    -------
    float or None
        Arcsec per pixel; None when the table lacks a column or two objects far enough apart.

    Examples
    --------
    >>> t = Table({"x": [0.0, 100.0, 0.0], "y": [0.0, 0.0, 100.0], "ra": [10.0, 10.0 - 1e-3, 10.0],
    ...            "dec": [0.0, 0.0, 1e-3]})
    >>> round(pixel_scale_of(t), 3)   # 1e-3 deg = 3.6 arcsec over 100 px
    0.036
    """
    if not all(c in table.colnames for c in (X, Y, RA, DEC)):
        return None
    cols = {c: np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan) for c in (X, Y, RA, DEC)}
    rows = np.flatnonzero(np.isfinite(np.column_stack(list(cols.values()))).all(axis=1))
    if rows.size < 2:
        return None
    # pairs of objects from the two halves of the table: far apart, whatever its order
    rows = rows[:: max(1, rows.size // (2 * max_pairs))]
    half = rows.size // 2
    i, j = rows[:half], rows[half:2 * half]
    pix = np.hypot(cols[X][i] - cols[X][j], cols[Y][i] - cols[Y][j])
    ci = SkyCoord(cols[RA][i] * u.deg, cols[DEC][i] * u.deg)
    cj = SkyCoord(cols[RA][j] * u.deg, cols[DEC][j] * u.deg)
    arcsec = ci.separation(cj).to_value(u.arcsec)
    ok = pix >= 20
    if not ok.any():
        return None
    scale = float(np.median(arcsec[ok] / pix[ok]))
    return scale if np.isfinite(scale) and scale > 0 else None


def matched_on_sky(a: Table, b: Table) -> bool:
    """Whether :func:`match_catalogs` pairs ``a`` and ``b`` on the sky rather than on pixels.

    On pixels when both have ``x``, ``y`` and not both have a finite ``ra``, ``dec`` in every
    row; otherwise on the sky.

    Examples
    --------
    >>> from astropy.table import Table
    >>> xy = Table({"x": [1.0], "y": [2.0]})
    >>> sky = Table({"x": [1.0], "y": [2.0], "ra": [24.17], "dec": [15.78]})
    >>> matched_on_sky(xy, sky), matched_on_sky(sky, sky)
    (False, True)
    """
    both_xy = all(c in a.colnames and c in b.colnames for c in (X, Y))
    return not both_xy or (_sky(a) and _sky(b))


def match_catalogs(
    a: Table,
    b: Table,
    radius: float = 2.0,
    *,
    pixel_scale: float | None = None,
    names: tuple[str, str] = ("A", "B"),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match two catalogues one-to-one within ``radius`` pixels (on the sky where both have ``ra``, ``dec``).

    Parameters
    ----------
    a, b
        Tables with ``ra``, ``dec`` (matched on the sky) or else ``x``, ``y`` (0-based pixels
        of the same mosaic).
    radius
        Matching radius in pixels (PHANGS: 2 px) of ``a``'s mosaic.
    pixel_scale
        Arcsec per pixel, used only when matching on the sky; None: measured from ``a`` (else
        ``b``) by :func:`pixel_scale_of`, else 0.04 (HST).
    names
        Names of the catalogues for error messages.

    Returns
    -------
    idx_a, idx_b, sep
        Row indices of matched pairs (sorted by ``idx_a``) and their separations in pixels.

    Examples
    --------
    >>> from astropy.table import Table
    >>> a = Table({"x": [0.0, 10.0], "y": [0.0, 10.0]})
    >>> b = Table({"x": [10.5, 0.0], "y": [10.0, 1.0]})
    >>> ia, ib, d = match_catalogs(a, b)
    >>> ia.tolist(), ib.tolist(), d.tolist()
    ([0, 1], [1, 0], [1.0, 0.5])
    """
    check_match_radius(radius)  # the bound of evaluate --radius: 1e308 paired unrelated objects
    if len(a) == 0 or len(b) == 0:
        empty = names[0] if len(a) == 0 else names[1]
        raise StarclassError(f"catalogue {empty} is empty: nothing to match")
    if not matched_on_sky(a, b):
        pa = _positions(a, (X, Y), names[0])
        pb = _positions(b, (X, Y), names[1])
        return match_positions(pa, pb, radius)
    if all(c in a.colnames and c in b.colnames for c in (RA, DEC)):
        # on the sky even where both have x, y: those are pixels of each table's own mosaic
        # (two pointings of one galaxy have two grids), the sky is common to both
        if pixel_scale is None:
            pixel_scale = pixel_scale_of(a) or pixel_scale_of(b) or 0.04
        ca = SkyCoord(_positions(a, (RA, DEC), names[0]) * u.deg, frame="icrs")
        cb = SkyCoord(_positions(b, (RA, DEC), names[1]) * u.deg, frame="icrs")
        # search_around_sky returns (indices into the argument, indices into self, ...)
        ib, ia, sep2d, _ = ca.search_around_sky(cb, radius * pixel_scale * u.arcsec)
        d = sep2d.to_value(u.arcsec) / pixel_scale
        return one_to_one(ia, ib, d)
    raise StarclassError(_no_common_positions(a, b, names))


def _no_common_positions(a: Table, b: Table, names: tuple[str, str]) -> str:
    """Why two catalogues cannot be matched: which positions each has, and why one lacks ``ra``, ``dec``.

    Examples
    --------
    >>> a = Table({"x": [1.0], "y": [2.0]}, meta={"sky_positions": "none: v.fits carry no celestial WCS"})
    >>> msg = _no_common_positions(a, Table({"ra": [1.0], "dec": [2.0]}), ("cand.ecsv", "truth.ecsv"))
    >>> msg.split(". ")[1].split(":")[0]
    'cand.ecsv has no ra, dec because v.fits carry no celestial WCS'
    """
    def has(t: Table) -> str:
        kinds = [k for k, cols in (("x, y", (X, Y)), ("ra, dec", (RA, DEC)))
                 if all(c in t.colnames for c in cols)]
        return " and ".join(kinds) or "neither x, y nor ra, dec"

    msg = (f"catalogues {names[0]} and {names[1]} share neither x/y nor ra/dec columns: cannot match "
           f"({names[0]} has {has(a)}; {names[1]} has {has(b)})")
    for t, name, other in ((a, names[0], names[1]), (b, names[1], names[0])):
        why = str(t.meta.get(SKY_POSITIONS, ""))
        if why.startswith("none: ") and not all(c in t.colnames for c in (RA, DEC)):
            # the detect stage recorded that its mosaics had no WCS: say so rather than only "no column"
            msg += (f". {name} has no ra, dec because {why[len('none: '):]}: give {other} 0-based pixel "
                    f"columns x, y on those mosaics, or measure {name} on mosaics with a WCS")
    return msg


def matched_classes(
    a: Table,
    b: Table,
    col_a: str,
    col_b: str,
    radius: float = 2.0,
    *,
    names: tuple[str, str] = ("A", "B"),
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Match, then return (idx_a, idx_b, class_a, class_b) for pairs where both have a class.

    Rows with class 0 (not classified) on either side are left out.

    Parameters
    ----------
    a, b : astropy.table.Table
        The catalogues (positions as :func:`match_catalogs` takes them).
    col_a, col_b : str
        Their class columns.
    radius : float
        One-to-one matching radius in pixels.
    names : (str, str)
        How messages name the two catalogues.

    Returns
    -------
    idx_a, idx_b : numpy.ndarray of int
        The matched rows of ``a`` and ``b``.
    class_a, class_b : numpy.ndarray of int
        Their classes.

    Raises
    ------
    StarclassError
        A class column is missing, or no classified object of one matches one of the other.

    Examples
    --------
    A's second row has no class, so only two of the three matches are kept:

    >>> a = Table({"x": [0.0, 10.0, 20.0], "y": [0.0, 10.0, 20.0], "class_ref": [1, 0, 3]})
    >>> b = Table({"x": [10.0, 0.0, 20.5], "y": [10.0, 0.0, 20.0], "class_pred": [2, 1, 4]})
    >>> [v.tolist() for v in matched_classes(a, b, "class_ref", "class_pred")]
    [[0, 2], [1, 2], [1, 3], [1, 4]]
    """
    for t, c, n in ((a, col_a, names[0]), (b, col_b, names[1])):
        if c not in t.colnames:
            raise StarclassError(f"catalogue {n} has no class column {c!r} (columns: {', '.join(t.colnames)})")
    ia, ib, _ = match_catalogs(a, b, radius, names=names)
    if ia.size == 0:
        raise StarclassError(
            f"catalogues {names[0]} ({counted(len(a), 'row')}) and {names[1]} ({counted(len(b), 'row')}) "
            f"have no objects "
            f"within {radius} px of each other: no overlap to compare"
        )
    ca = class_array(a, col_a, name=f"catalogue {names[0]}")[ia]
    cb = class_array(b, col_b, name=f"catalogue {names[1]}")[ib]
    ok = (ca > 0) & (cb > 0)
    if not ok.any():
        raise StarclassError(
            f"{counted(ia.size, 'object')} of {names[0]} and {names[1]} "
            f"{'matches' if ia.size == 1 else 'match'}, but none "
            "is classified in both "
            f"(columns {col_a!r}, {col_b!r})"
        )
    return ia[ok], ib[ok], ca[ok], cb[ok]
