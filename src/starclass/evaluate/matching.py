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

A simulated truth (a table with ``x_light``, ``y_light``: its objects' V-band centres of light) is
matched as ``demo``, ``detect --truth`` and ``survey`` match it, by
:func:`starclass.detect.match.match_truth`: a detection within the radius of an object's position
*or* of its centre of light finds it (a cluster with a bright off-centre star is detected as one
blend near its centre of light, up to 3 px from its body). Until 2026-12-07 ``evaluate`` and
``report`` matched it at the position only: the demo's field of 60 objects paired 60 in the demo
and 58 in ``evaluate``, its two blends left out of every figure. On the sky the centre of light is
put there through a WCS fitted to the truth's own ``x``, ``y`` and ``ra``, ``dec``
(:func:`astropy.wcs.utils.fit_wcs_from_points`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import astropy.units as u
import numpy as np
from astropy.coordinates import SkyCoord
from astropy.table import Table

from starclass.detect.match import match_catalogs as match_positions
from starclass.detect.match import match_truth, one_to_one
from starclass.errors import StarclassError, counted
from starclass.evaluate.metrics import class_array
from starclass.io.mosaic import SKY_POSITIONS
from starclass.schema import DEC, ID, RA, X_LIGHT, Y_LIGHT, X, Y, check_match_radius, row_name

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

    Where one of them is a simulated truth (``x_light``, ``y_light``), an object is found at its
    position or its centre of light, as the demo finds it (:func:`match_objects`, which also says so).

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
    ia, ib, d, _ = match_objects(a, b, radius, pixel_scale=pixel_scale, names=names)
    return ia, ib, d


@dataclass(frozen=True)
class LightMatch:
    """How a simulated truth's centres of light took part in a match (:func:`match_objects`).

    Examples
    --------
    >>> LightMatch("truth", alone=2).words()
    "of truth's position or centre of light (x_light, y_light: 2 found at the centre of light alone)"
    >>> LightMatch("truth", alone=0, placed=False, why="no x, y").words()
    "of truth's position only (its centre of light, x_light, y_light, not placed on the sky: no x, y)"
    """

    #: How messages name the table whose centres of light were used.
    table: str
    #: Pairs found within the radius of the centre of light and not of the position.
    alone: int = 0
    #: False where, matched on the sky, the centres of light could not be put there (``why`` says why).
    placed: bool = True
    why: str = ""
    #: The table the centres of light were taken from where ``table`` had none (:func:`with_light_of`).
    source: str = ""

    def words(self) -> str:
        """The rule in words, to follow ``one-to-one within 2.0 px on the sky (ra, dec)``."""
        if not self.placed:
            return (f"of {self.table}'s position only (its centre of light, {X_LIGHT}, {Y_LIGHT}, not placed on "
                    f"the sky: {self.why})")
        alone = f": {self.alone} found at the centre of light alone" if self.alone else ""
        # a table given without them (a people's table written before they were) says whose they are
        taken = f" of {self.source}, the same objects by {ID} and {X}, {Y}" if self.source else ""
        return f"of {self.table}'s position or centre of light ({X_LIGHT}, {Y_LIGHT}{taken}{alone})"


#: How far (px) a table's ``x``, ``y`` may lie from a simulated truth's for :func:`with_light_of` to call
#: them one object: both are the simulator's positions, written to 1e-15 px; a catalogue measured on the
#: images lies 0.1 px and more away.
SAME_POSITION_PX = 1e-6


def with_light_of(table: Table, truth: Table) -> Table | None:
    """``table`` with the centres of light of ``truth`` where every row of it is one of truth's objects; else None.

    A simulated people's table (``humans.ecsv``) written before the simulator gave it ``x_light``,
    ``y_light`` lists the truth's objects at the truth's ``x``, ``y`` under the truth's ``id``: its
    centres of light are the truth's. Taken over, it is paired as the truth and as the demo pairs it
    (:func:`match_objects`); at the position alone a catalogue paired 58 of the demo field's 60
    objects with it and 60 with the truth. A row is one of truth's objects where its ``id`` (where
    both tables have one) is that object's and its ``x``, ``y`` are within :data:`SAME_POSITION_PX`
    of it; None where a row is not (a catalogue measured on the images, another field), where ``table``
    has a centre of light already or no ``x``, ``y``, or ``truth`` has none.

    Parameters
    ----------
    table
        The table without ``x_light``, ``y_light`` (a reference).
    truth
        A simulated truth with ``x``, ``y``, ``x_light``, ``y_light`` (and ``id``).

    Returns
    -------
    astropy.table.Table or None
        A copy of ``table`` (its columns shared) with ``x_light``, ``y_light`` added, or None.

    Examples
    --------
    >>> truth = Table({"id": [1, 2], "x": [10.0, 40.0], "y": [10.0, 10.0], "x_light": [12.6, 40.0],
    ...                "y_light": [10.0, 10.0]})
    >>> people = Table({"id": [2, 1], "x": [40.0, 10.0], "y": [10.0, 10.0], "class_ref": [4, 1]})
    >>> with_light_of(people, truth)["x_light"].tolist()
    [40.0, 12.6]
    >>> people["x"][0] = 40.3   # measured on the image: not the truth's object
    >>> with_light_of(people, truth) is None
    True
    """
    need = (X, Y)
    if (any(c in table.colnames for c in (X_LIGHT, Y_LIGHT)) or len(table) == 0 or not all(
            c in table.colnames for c in need) or not all(c in truth.colnames for c in (*need, X_LIGHT, Y_LIGHT))):
        return None

    def finite(t: Table, cols: tuple[str, ...]) -> np.ndarray | None:
        v = np.column_stack([np.ma.filled(np.ma.asarray(t[c], dtype=float), np.nan) for c in cols])
        return v if np.isfinite(v).all() else None

    mine, theirs = finite(table, need), finite(truth, (*need, X_LIGHT, Y_LIGHT))
    if mine is None or theirs is None:
        return None
    ib, ia, _ = match_positions(theirs[:, :2], mine, SAME_POSITION_PX)
    if ia.size != len(table):
        return None
    order = np.argsort(ia)
    rows = np.asarray(ib)[order]  # truth's row of each of table's rows
    if ID in table.colnames and ID in truth.colnames:
        if not np.array_equal(np.asarray(table[ID]).astype(str), np.asarray(truth[ID]).astype(str)[rows]):
            return None  # the same place, another object: not the truth's table
    out = table.copy(copy_data=False)
    out[X_LIGHT], out[Y_LIGHT] = theirs[rows, 2], theirs[rows, 3]
    for c in (X_LIGHT, Y_LIGHT):
        out[c].unit = getattr(truth[c], "unit", None)
    return out


def light_side(a: Table, b: Table) -> int | None:
    """Which of two tables is a simulated truth with centres of light: 1 (``b``, the reference), else 0, else None.

    Examples
    --------
    >>> truth = Table({"x": [1.0], "y": [1.0], "x_light": [1.5], "y_light": [1.0]})
    >>> cat = Table({"x": [1.0], "y": [1.0]})
    >>> light_side(cat, truth), light_side(truth, cat), light_side(truth, truth), light_side(cat, cat)
    (1, 0, 1, None)
    """
    for side, t in ((1, b), (0, a)):
        if X_LIGHT in t.colnames and Y_LIGHT in t.colnames:
            return side
    return None


def fitted_wcs(t: Table, tolerance: float = 0.5, max_rows: int = 500) -> tuple[Any, str]:
    """A celestial WCS of a table's pixels fitted to its own ``x``, ``y`` and ``ra``, ``dec``; or None and why not.

    The fit (:func:`astropy.wcs.utils.fit_wcs_from_points`, a TAN projection) is made on at most
    ``max_rows`` rows spread through the table (it took 5 s on 20,000) and kept only where it puts
    every row back within ``tolerance`` px of its ``x``, ``y``: a table whose pixels are not of one
    grid with its sky positions has no such WCS.

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype, w.wcs.crval, w.wcs.cdelt = ["RA---TAN", "DEC--TAN"], [10.0, 20.0], [-1e-5, 1e-5]
    >>> t = Table({"x": [0.0, 100.0, 40.0, 70.0], "y": [0.0, 10.0, 90.0, 50.0]})
    >>> t["ra"], t["dec"] = w.wcs_pix2world(t["x"], t["y"], 0)
    >>> fit, why = fitted_wcs(t)
    >>> [round(float(v[0]), 3) for v in fit.wcs_world2pix([t["ra"][2]], [t["dec"][2]], 0)], why
    ([40.0, 90.0], '')
    >>> fitted_wcs(t[:2])
    (None, 'fewer than 3 rows with x, y, ra, dec')
    """
    if not all(c in t.colnames for c in (X, Y, RA, DEC)):
        return None, "no x, y beside its ra, dec"
    cols = np.column_stack([np.ma.filled(np.ma.asarray(t[c], dtype=float), np.nan) for c in (X, Y, RA, DEC)])
    cols = cols[np.isfinite(cols).all(axis=1)]
    if len(cols) < 3:
        return None, "fewer than 3 rows with x, y, ra, dec"
    from astropy.wcs.utils import fit_wcs_from_points

    sky = SkyCoord(cols[:, 2] * u.deg, cols[:, 3] * u.deg, frame="icrs")
    some = slice(None, None, max(1, len(cols) // max_rows))
    try:
        w = fit_wcs_from_points((cols[some, 0], cols[some, 1]), sky[some], projection="TAN")
        back = np.column_stack(w.world_to_pixel(sky))
    except (ValueError, np.linalg.LinAlgError) as exc:  # positions on one line: no 2-D fit
        return None, f"no WCS fits its x, y and ra, dec ({exc})"
    worst = float(np.max(np.hypot(*(back - cols[:, :2]).T)))
    if not np.isfinite(worst) or worst > tolerance:
        return None, f"its x, y and ra, dec are not of one WCS (a fit misses a row by {worst:.2g} px)"
    return w, ""


def match_objects(
    a: Table,
    b: Table,
    radius: float = 2.0,
    *,
    pixel_scale: float | None = None,
    names: tuple[str, str] = ("A", "B"),
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LightMatch | None]:
    """:func:`match_catalogs`, and how a simulated truth's centres of light took part (None: they did not).

    Where ``b`` (else ``a``) has ``x_light``, ``y_light``, the pairs are those of
    :func:`starclass.detect.match.match_truth` (the demo's, ``detect --truth``'s and ``survey``'s
    matcher): within ``radius`` of the position or the centre of light. On the sky the centre of light
    goes there through :func:`fitted_wcs` of that table; where none fits, the match is at the positions
    and the :class:`LightMatch` says why.

    Examples
    --------
    A blend detected 2.6 px from the cluster's body, at its centre of light:

    >>> truth = Table({"x": [10.0, 40.0], "y": [10.0, 10.0], "x_light": [12.6, 40.0], "y_light": [10.0, 10.0]})
    >>> cat = Table({"x": [12.4, 40.2], "y": [10.1, 10.0]})
    >>> ia, ib, d, light = match_objects(cat, truth, names=("classified", "truth"))
    >>> ia.tolist(), ib.tolist(), light.words()
    ([0, 1], [0, 1], "of truth's position or centre of light (x_light, y_light: 1 found at the centre of light alone)")
    """
    check_match_radius(radius)  # the bound of evaluate --radius: 1e308 paired unrelated objects
    if len(a) == 0 or len(b) == 0:
        empty = names[0] if len(a) == 0 else names[1]
        raise StarclassError(f"catalogue {empty} is empty: nothing to match")
    side = light_side(a, b)
    if not matched_on_sky(a, b):
        pa = _positions(a, (X, Y), names[0])
        pb = _positions(b, (X, Y), names[1])
        if side is None:
            return (*match_positions(pa, pb, radius), None)
        truth, pt, po = (b, pb, pa) if side == 1 else (a, pa, pb)
        lit = Table({X: pt[:, 0], Y: pt[:, 1], X_LIGHT: truth[X_LIGHT], Y_LIGHT: truth[Y_LIGHT]})
        it, io, d = match_truth(lit, po, radius)
        alone = int(np.count_nonzero(np.hypot(*(pt[it] - po[io]).T) > radius))
        return (*_ordered(it, io, d, side), LightMatch(names[side], alone))
    if all(c in a.colnames and c in b.colnames for c in (RA, DEC)):
        # on the sky even where both have x, y: those are pixels of each table's own mosaic
        # (two pointings of one galaxy have two grids), the sky is common to both
        if pixel_scale is None:
            pixel_scale = pixel_scale_of(a) or pixel_scale_of(b) or 0.04
        pa, pb = _positions(a, (RA, DEC), names[0]), _positions(b, (RA, DEC), names[1])
        light = None
        if side is not None:
            truth = b if side == 1 else a
            w, why = fitted_wcs(truth)
            if w is not None:
                pt, po = (pb, pa) if side == 1 else (pa, pb)
                other = Table({RA: po[:, 0], DEC: po[:, 1]})
                lit = Table({RA: pt[:, 0], DEC: pt[:, 1], X_LIGHT: truth[X_LIGHT], Y_LIGHT: truth[Y_LIGHT]})
                it, io, d = match_truth(lit, other, radius, wcs=w, pixel_scale=pixel_scale)
                at = SkyCoord(pt[it] * u.deg, frame="icrs").separation(SkyCoord(po[io] * u.deg, frame="icrs"))
                alone = int(np.count_nonzero(at.to_value(u.arcsec) / pixel_scale > radius))
                return (*_ordered(it, io, d, side), LightMatch(names[side], alone))
            light = LightMatch(names[side], placed=False, why=why)
        ca, cb = SkyCoord(pa * u.deg, frame="icrs"), SkyCoord(pb * u.deg, frame="icrs")
        # search_around_sky returns (indices into the argument, indices into self, ...)
        ib, ia, sep2d, _ = ca.search_around_sky(cb, radius * pixel_scale * u.arcsec)
        d = sep2d.to_value(u.arcsec) / pixel_scale
        return (*one_to_one(ia, ib, d), light)
    raise StarclassError(_no_common_positions(a, b, names))


def _ordered(it: np.ndarray, io: np.ndarray, d: np.ndarray,
             side: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of (truth, other) rows as (a, b) rows, sorted by a's row, ``side`` saying which table is the truth."""
    ia, ib = (io, it) if side == 1 else (it, io)
    order = np.argsort(ia, kind="stable")
    return ia[order].astype(np.int64), ib[order].astype(np.int64), np.asarray(d, dtype=float)[order]


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
