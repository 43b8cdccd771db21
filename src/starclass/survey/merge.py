"""From tile files to one field's catalogue: concatenate, reconcile the edges, order, number.

Given positions are exact, so each lands in exactly one tile's core and the tile files only
need concatenating. Detected positions are not: the same source seen from two tiles (whose
windows differ) can be centred a hair apart, one each side of the shared edge, so each tile
keeps a guard band beyond its core and :func:`reconcile` keeps exactly one row per source.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pyarrow is imported where the tiles are read
    import pyarrow as pa

from starclass.errors import StarclassError
from starclass.schema import CLASS_PRED, ID, ID_ORDER, STAMP_NO_DATA, TILE, X, Y
from starclass.survey.work import IN_CORE, META_YAML, ORDER, with_astropy_metadata


def reconcile(x: np.ndarray, y: np.ndarray, tile: np.ndarray, core: np.ndarray, radius: float = 1.0) -> np.ndarray:
    """Rows to keep so that each source near a tile edge is kept once.

    Rows in their tile's core are kept, except that of two such rows from different tiles
    within ``radius`` the one of the later tile is dropped (a source centred just inside both
    cores). A guard-band row (outside its core) is kept only when no kept row of another tile
    lies within ``radius`` (a source centred just outside both cores); among several such rows
    the earliest tile's is kept.

    Parameters
    ----------
    x, y
        Whole-image centres.
    tile
        Tile index (order of preference) of each row.
    core
        Whether each row's centre is in its own tile's core.
    radius
        Separation (px) below which two rows of different tiles are one source.

    Returns
    -------
    numpy.ndarray
        Boolean mask of the rows to keep.

    Examples
    --------
    >>> x = np.array([511.99, 512.01, 100.0]); y = np.array([5.0, 5.0, 5.0])
    >>> reconcile(x, y, np.array([0, 1, 0]), np.array([True, True, True])).tolist()
    [True, False, True]
    >>> reconcile(np.array([512.01, 511.99]), np.array([5.0, 5.0]), np.array([0, 1]),
    ...           np.array([False, False])).tolist()
    [True, False]
    """
    from scipy.spatial import cKDTree

    n = len(x)
    keep = np.asarray(core, dtype=bool).copy()
    if n < 2:
        return keep | (n == 1)
    xy = np.column_stack([x, y])
    tile = np.asarray(tile)
    tree = cKDTree(xy)
    pairs = tree.query_pairs(radius, output_type="ndarray")
    if len(pairs) == 0:
        return keep | ~np.asarray(core, dtype=bool)
    pairs = pairs[tile[pairs[:, 0]] != tile[pairs[:, 1]]]
    # order each pair (earlier tile first) and visit them from the earliest tile on
    swap = tile[pairs[:, 0]] > tile[pairs[:, 1]]
    pairs[swap] = pairs[swap][:, ::-1]
    pairs = pairs[np.lexsort((tile[pairs[:, 1]], tile[pairs[:, 0]]))]
    for a, b in pairs:  # duplicates in two cores: the later tile's row goes
        if keep[a] and keep[b]:
            keep[b] = False
    guard = np.flatnonzero(~np.asarray(core, dtype=bool))
    guard = guard[np.argsort(tile[guard], kind="stable")]
    for i in guard:  # orphans: nobody else kept this source
        near = tree.query_ball_point(xy[i], radius)
        if not any(keep[j] and tile[j] != tile[i] for j in near):
            keep[i] = True
    return keep


#: The column of blank bands classify adds only when some candidate has one (:func:`fill_flag_columns`)
BLANK_BANDS = "blank_bands"


def fill_flag_columns(table: pa.Table) -> pa.Table:
    """``table`` with the nulls of classify's flag columns set to what classify writes for such a row.

    ``classify`` adds ``stamp_no_data`` and ``blank_bands`` only when some candidate of its catalogue
    needs them, so of a survey's tiles (or fields) some have them and some not; joined, the rows of
    those without were null, which reads as NaN (``stamp_no_data``: "unclassified") for candidates that
    were classified on a stamp with every pixel, and the merged catalogue depended on the tile size.
    Such a row gets what ``classify`` on the whole image writes: ``stamp_no_data`` 0 where
    ``class_pred`` is not 0 (NaN where it is), ``blank_bands`` "" (no blank band).

    Parameters
    ----------
    table
        A field's joined tiles, or a field's catalogue conformed to the survey's columns.

    Returns
    -------
    pyarrow.Table
        ``table`` itself when neither column holds a null, else a copy with them filled.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"class_pred": [1, 0, 2], "stamp_no_data": pa.array([0.25, None, None], pa.float64()),
    ...               "blank_bands": pa.array(["", None, None], pa.string())})
    >>> out = fill_flag_columns(t)
    >>> out.column("stamp_no_data").to_pylist()[::2], out.column("blank_bands").to_pylist()
    ([0.25, 0.0], ['', '', ''])
    >>> bool(np.isnan(out.column("stamp_no_data").to_pylist()[1]))
    True
    """
    import pyarrow as pa

    names = table.column_names
    if STAMP_NO_DATA in names and table.column(STAMP_NO_DATA).null_count:
        col = table.column(STAMP_NO_DATA)
        share = col.to_numpy(zero_copy_only=False).astype(float)
        null = col.is_null().to_numpy(zero_copy_only=False)
        classified = (table.column(CLASS_PRED).to_numpy(zero_copy_only=False) != 0 if CLASS_PRED in names
                      else np.ones(len(share), dtype=bool))
        share[null] = np.where(classified[null], 0.0, np.nan)
        table = table.set_column(names.index(STAMP_NO_DATA), table.schema.field(STAMP_NO_DATA),
                                 pa.array(share, type=col.type))
    if BLANK_BANDS in names and table.column(BLANK_BANDS).null_count:
        col = table.column(BLANK_BANDS)
        values = ["" if v is None else v for v in col.to_pylist()]
        table = table.set_column(names.index(BLANK_BANDS), table.schema.field(BLANK_BANDS),
                                 pa.array(values, type=col.type))
    return table


def _read_tile(path: str | Path) -> pa.Table:
    """A tile file read whole; one whose data cannot be read is named, with what to do, as a StarclassError.

    A file damaged past its footer (its digest still readable, so it counted as finished) stopped the merge
    with pyarrow's ``OSError: Corrupt snappy compressed data`` and a traceback, exit status 1.
    """
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError, ArrowIOError an OSError
        raise StarclassError(
            f"tile file {path} cannot be read ({type(exc).__name__}: {' '.join(str(exc).split()).rstrip('.')}): it is "
            "damaged. Delete it and run the same command again: its tile is run again and the other finished tiles "
            "are kept. No merged catalogue was written.") from None


def merge_tiles(files: Sequence[str | Path], *, detected: bool, radius: float = 1.0,
                tile_order: Sequence[str] = ()) -> pa.Table:
    """One field's catalogue from its tile files.

    Parameters
    ----------
    files
        The field's tile Parquet files.
    detected
        Candidates were detected (reconcile the edges, number them 1..N in (y, x) order);
        otherwise they are given positions (kept in the input order, ids as given).
    radius
        Reconciliation radius (px).
    tile_order
        Tile names in grid order (the preference of :func:`reconcile`).

    Returns
    -------
    pyarrow.Table
        Without the internal columns.

    Examples
    --------
    >>> merge_tiles([], detected=True).num_rows
    0
    """
    import pyarrow as pa

    tables = [_read_tile(f) for f in files]
    tables = [t for t in tables if t.num_rows] or tables[:1]
    if not tables:
        return pa.table({})
    meta = tables[0].schema.metadata
    # a tile whose candidates needed no flag column has none: its rows get what classify writes for them
    table = fill_flag_columns(pa.concat_tables(tables, promote_options="default"))
    if table.num_rows:
        x = table.column(X).to_numpy()
        y = table.column(Y).to_numpy()
        if detected:
            rank = {name: i for i, name in enumerate(tile_order)}
            tiles = np.array([rank.get(t, len(rank)) for t in table.column(TILE).to_pylist()])
            keep = reconcile(x, y, tiles, table.column(IN_CORE).to_numpy(zero_copy_only=False), radius)
            table = table.filter(pa.array(keep))
            x, y = x[keep], y[keep]
            order = np.lexsort((x, y))
            table = table.take(pa.array(order))
            ids = pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64))
            table = table.set_column(table.schema.get_field_index(ID), ID, ids) if ID in table.column_names \
                else table.add_column(0, ID, ids)
        else:
            table = table.take(pa.array(np.argsort(table.column(ORDER).to_numpy(), kind="stable")))
    for col in (IN_CORE, ORDER):
        if col in table.column_names:
            table = table.drop_columns([col])
    keep = {k: v for k, v in (meta or {}).items() if k == b"starclass_units"}
    task_meta = _classify_meta(tables)
    if task_meta:
        if CLASS_PRED in table.column_names:
            # classify counted these per tile, guard bands included: counted again on the merged rows
            task_meta["n_unclassified"] = int(np.sum(table.column(CLASS_PRED).to_numpy(zero_copy_only=False) == 0))
        if "n_blank" in task_meta:
            blank = table.column("blank_bands").to_pylist() if "blank_bands" in table.column_names else []
            task_meta["n_blank"] = int(sum(1 for v in blank if v))
        if "n_stamp_no_data" in task_meta:
            # likewise: the first tile's count was kept for the whole survey
            share = (table.column("stamp_no_data").to_numpy(zero_copy_only=False)
                     if "stamp_no_data" in table.column_names else np.zeros(0))
            task_meta["n_stamp_no_data"] = int(np.sum(np.nan_to_num(share.astype(float)) > 0))
        if detected and "n_selected" in task_meta:
            # detect's counts were the first tile's, guard band included ('n_detected 20' on a field of 478 rows);
            # a survey selects nothing, so each is the field's rows (a tile that did select leaves n_detected unknown)
            if task_meta.get("n_detected") == task_meta["n_selected"]:
                task_meta["n_detected"] = table.num_rows
            else:
                task_meta.pop("n_detected", None)
            task_meta["n_selected"] = table.num_rows
    # a tile's detect numbered its own candidates by V magnitude: the field's are numbered here
    task_meta[ID_ORDER] = ("(y, x): per field by y, then x (detect numbers by V magnitude: match the two on x, y)"
                           if detected else "as given (the positions' ids, in their order)")
    # the column list and string lengths astropy's reader needs, for the merged columns
    return with_astropy_metadata(table.replace_schema_metadata(keep), task_meta)


def _classify_meta(tables) -> dict:
    """Classify's meta (task, classes, model, calibration) from the first tile that has it.

    A tile without candidates never ran classify and has none; the others share it (one model).
    """
    from astropy.table.meta import get_header_from_yaml

    for t in tables:
        raw = (t.schema.metadata or {}).get(META_YAML)
        if raw:
            return dict(get_header_from_yaml(raw.decode().splitlines()).get("meta", {}) or {})
    return {}
