"""Several stamp stores as one: a lazy concatenation for training, and a merge into one file.

Training on many fields (the M31 search's overlapping fields, StarcNet's 31 galaxies) needs
their candidates side by side with the field each came from, so that a split or a
cross-validation can keep a field (or a galaxy) whole. :class:`StampStores` reads several
stores as one without copying them; :func:`merge_stores` writes them into one store.

Every row keeps a ``field`` column (the store's own ``field`` column where it has one, as a
store merged before does, else the name given for the store, by default the name of the field
its mosaics were cut from, as ``cutouts --fields`` names it, else its file name without suffix)
and a ``galaxy`` column (the store's own where present, else the field).
Stores must agree on what their inputs are (bands, channels, stamp size, scales,
normalisation and its softening): stamps normalised differently would mean different things
to one network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from starclass.errors import StarclassError
from starclass.io.paths import resolved
from starclass.schema import CLASS_REF, FIELD, GALAXY, ID, X, Y
from starclass.stamps.store import StampStore, StampStoreWriter, refuse_existing_store

__all__ = ["StampStores", "merge_stores", "field_names", "recorded_field_name"]

#: Store properties that must agree before stores are read or written as one.
_MUST_AGREE = ("bands", "channels", "stamp_size", "scales", "normalisation")
#: Normalisation settings kept in a store's ``extra`` metadata that change what a pixel value means.
_EXTRA_AGREE = ("softening_mag", "softening")


def recorded_field_name(store: StampStore) -> str | None:
    """The name of the field a store of one field was cut from, by its recorded mosaics; None if it records none.

    ``cutouts MOSAICS -c CAT -o s.h5`` records its mosaics (meta ``sources``, band -> file): the field is
    named from them as ``cutouts --fields`` and ``train`` of several fields name it
    (:func:`starclass.io.fields.default_field_name`: ``m31_a/f555w.fits`` -> ``m31_a``). A store of several
    fields (its own ``field`` column) or one made otherwise (``simulate``, a store without sources) gives None.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from starclass.stamps import write_stamp_store
    >>> d = Path(tempfile.mkdtemp())
    >>> s = write_stamp_store(d / "s.h5", np.zeros((1, 1, 4, 4), np.float32), np.ones((1, 4, 4), bool),
    ...                       {"x": np.zeros(1), "y": np.zeros(1)}, channels=["g"])
    >>> recorded_field_name(StampStore(s)) is None
    True
    """
    from starclass.io.fields import default_field_name
    from starclass.io.mosaic import is_fits_name

    sources = store.meta.get("sources")
    if FIELD in store.table or not isinstance(sources, dict) or not sources:
        return None
    files = [str(v) for v in sources.values()]
    if not all(isinstance(v, str) and v and is_fits_name(Path(v)) for v in sources.values()):
        return None  # not a store cut from mosaics
    return default_field_name(files) or None


def _stem(path: Path) -> str:
    """A store's file name without its suffix (the field name of a store that records none)."""
    return path.stem if path.suffix else path.name


def field_names(paths: Sequence[str | Path], names: Sequence[str] | None = None,
                recorded: Sequence[str | None] | None = None) -> list[str]:
    """One field name per store: ``names`` when given, else each store's recorded field, else its file name.

    A store of one field is named by the folder of the mosaics it was cut from (``recorded``, from
    :func:`recorded_field_name`), as ``cutouts --fields`` and ``train`` of several fields name the same
    field; until 2026-12-07 ``cutouts --merge`` named it by its file (``stamps_a`` for the field that
    ``--fields`` called ``a``). Where those names would repeat (two stores cut from one folder, or from
    two folders of one name) or a store records none, every store is named by its file, as before.

    Parameters
    ----------
    paths
        The stores (or any paths) in order.
    names
        Explicit names, one per path.
    recorded
        The field each store records (None: none), used where ``names`` is not given.

    Returns
    -------
    list of str

    Raises
    ------
    StarclassError
        When the counts differ or two names are equal (rows of two fields could no longer be
        told apart).

    Examples
    --------
    >>> field_names(["a/m31_f1.h5", "b/m31_f2.h5"])
    ['m31_f1', 'm31_f2']
    >>> field_names(["stamps_a.h5", "stamps_b.h5"], recorded=["a", "b"])
    ['a', 'b']
    >>> field_names(["train.h5", "test.h5"], recorded=["f1", "f1"])  # one folder: named by file
    ['train', 'test']
    >>> field_names(["a/stamps.h5", "b/stamps.h5"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: two fields would be named 'stamps' (a/stamps.h5, b/stamps.h5); ...
    """
    paths = [Path(p) for p in paths]
    if names is None:
        stems = [_stem(p) for p in paths]
        # the recorded fields only where every store records one and they differ: mixed with file names, or
        # repeated, rows of two stores could take one name (or two fields' names mix their two rules)
        ok = recorded is not None and len(recorded) == len(paths) and all(recorded) \
            and len(set(recorded)) == len(recorded)
        names = [str(r) for r in recorded] if ok else stems
    names = [str(n) for n in names]
    if len(names) != len(paths):
        raise StarclassError(f"{len(names)} field names for {len(paths)} fields")
    for name in dict.fromkeys(names):
        same = [str(p) for p, n in zip(paths, names) if n == name]
        if len(same) > 1:
            raise StarclassError(f"two fields would be named {name!r} ({', '.join(same)}); name the fields "
                                 "(a fields list with a name column)")
    return names


def _signature(store: StampStore) -> dict[str, Any]:
    """What a store's inputs are, as compared between stores."""
    sig = {k: getattr(store, k) for k in _MUST_AGREE}
    sig["scales"] = [float(s) for s in sig["scales"]]
    extra = store.meta.get("extra") or {}
    for k in _EXTRA_AGREE:
        if extra.get(k) is not None:
            sig[k] = float(extra[k])
    return sig


class StampStores:
    """Several stamp stores read as one, lazily, with a ``field`` and ``galaxy`` per row.

    It offers what training reads from a :class:`~starclass.stamps.StampStore`: ``len``,
    ``shape``, ``store[idx]`` returning ``(inputs, valid)``, ``ok``, ``table``, ``meta`` and
    the ``bands``, ``channels``, ``stamp_size``, ``scales``, ``normalisation`` shortcuts.

    Parameters
    ----------
    paths
        Stamp store files, in the order their rows are to follow each other.
    names
        Field name of each store (default: the file names without suffix); a store that has
        its own ``field`` column (one merged before) keeps it.

    Raises
    ------
    StarclassError
        When fewer than one store is given, a store cannot be read, or stores disagree on
        their inputs (the message names the file and what differs).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> from starclass.stamps import write_stamp_store
    >>> d = Path(tempfile.mkdtemp())
    >>> for name, n in (("north", 3), ("south", 2)):
    ...     _ = write_stamp_store(d / f"{name}.h5", np.full((n, 1, 4, 4), n, np.float32),
    ...                           np.ones((n, 4, 4), bool), {"x": np.arange(n) * 1.0, "y": np.zeros(n)},
    ...                           channels=["f555w"])
    >>> both = StampStores([d / "north.h5", d / "south.h5"])
    >>> len(both), both.table["field"].tolist()
    (5, ['north', 'north', 'north', 'south', 'south'])
    >>> both[[1, 4]][0][:, 0, 0, 0].tolist()
    [3.0, 2.0]
    """

    def __init__(self, paths: Sequence[str | Path], names: Sequence[str] | None = None) -> None:
        paths = [Path(p) for p in paths]
        if not paths:
            raise StarclassError("no stamp stores given")
        self.stores = [StampStore(p) for p in paths]
        # by the field each store was cut from (its recorded mosaics), as cutouts --fields names it; a store of
        # several fields keeps its own field column, its name (its file's) naming no row
        recorded = [recorded_field_name(s) or (_stem(p) if FIELD in s.table else None)
                    for p, s in zip(paths, self.stores)]
        try:
            self.names = field_names(paths, names, recorded)
        except StarclassError:
            self.close()
            raise
        self.paths = paths
        first = _signature(self.stores[0])
        for path, store in zip(paths[1:], self.stores[1:]):
            sig = _signature(store)
            diff = [f"{k} is {sig.get(k)} there, {first.get(k)} in {paths[0]}"
                    for k in sorted(set(first) | set(sig)) if sig.get(k) != first.get(k)]
            if diff:
                raise StarclassError(f"stamp store {path} does not fit with the others: " + "; ".join(diff))
        self._sizes = np.array([len(s) for s in self.stores], dtype=np.int64)
        self._starts = np.concatenate([[0], np.cumsum(self._sizes)])
        self.ok = np.concatenate([s.ok for s in self.stores])
        self.table = self._merged_table()
        meta = dict(self.stores[0].meta)
        extra = dict(meta.get("extra") or {})
        # provenance: which rows came from which file, so a merged store says what it holds; the mask
        # and DQ flags each store was cut with are its own (the first store's stood for all)
        extra.pop("pixel_flags", None)
        extra["merged_from"] = []
        for p, n, k, s in zip(paths, self.names, self._sizes, self.stores):
            entry = {"path": str(p), "field": n, "rows": int(k)}
            flags = (s.meta.get("extra") or {}).get("pixel_flags")
            if flags:
                entry["pixel_flags"] = flags
            extra["merged_from"].append(entry)
        meta["extra"] = extra
        meta["sources"] = {n: s.meta.get("sources") for n, s in zip(self.names, self.stores)}
        self.meta = meta

    def _merged_table(self) -> dict[str, np.ndarray]:
        """The stores' candidate columns end to end, with ``field`` and ``galaxy`` filled in, and those all keep."""
        cols: dict[str, list[np.ndarray]] = {c: [] for c in (ID, X, Y, CLASS_REF, GALAXY, FIELD)}
        for name, store in zip(self.names, self.stores):
            t, n = store.table, len(store)
            field = np.asarray(t[FIELD]).astype(str) if FIELD in t else np.full(n, name)
            cols[FIELD].append(field)
            cols[GALAXY].append(np.asarray(t[GALAXY]).astype(str) if GALAXY in t else field)
            # a store without labels (unlabelled field) gets class 0, "no class", not a made-up one
            cols[CLASS_REF].append(np.asarray(t[CLASS_REF]) if CLASS_REF in t else np.zeros(n, np.int64))
            for c in (ID, X, Y):
                cols[c].append(np.asarray(t[c]) if c in t else np.full(n, -1 if c == ID else np.nan))
        out = {}
        for c, parts in cols.items():
            if c in (GALAXY, FIELD):
                out[c] = np.concatenate(parts).astype(str)
            elif c == CLASS_REF:
                out[c] = np.concatenate(parts)  # integer labels stay integers (float only if a store has them so)
            else:
                out[c] = np.concatenate([np.asarray(p, dtype=float if c != ID else np.int64) for p in parts])
        if not any(CLASS_REF in s.table for s in self.stores):
            del out[CLASS_REF]
        # the candidates' other columns every store keeps (mag_<band>, ra, dec: a store keeps them since
        # 2026-12-07), so that classify --stamps of the merged store carries them as of one store
        fixed = set(cols)
        common = [c for c in self.stores[0].table if c not in fixed
                  and all(c in s.table for s in self.stores[1:])]
        for c in common:
            parts = [np.asarray(s.table[c]) for s in self.stores]
            if len({p.dtype.kind in "US" for p in parts}) == 1:  # text in one store, numbers in another: left out
                out[c] = np.concatenate(parts)
        return out

    # the StampStore shortcuts training reads
    @property
    def bands(self) -> list[str]:
        """Names of the bands the inputs were cut from (every store has the same).

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).bands
        ['f555w']
        """
        return self.stores[0].bands

    @property
    def channels(self) -> list[str]:
        """Channel names of one scale, in the order of the inputs' channel axis (every store has the same).

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).channels
        ['f555w']
        """
        return self.stores[0].channels

    @property
    def scales(self) -> list[float]:
        """Zoom factor of each scale, scale-major as the inputs hold them (every store has the same).

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).scales
        [1.0]
        """
        return self.stores[0].scales

    @property
    def normalisation(self) -> str:
        """Name of the normalisation the stamps were written with (every store has the same).

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).normalisation
        'none'
        """
        return self.stores[0].normalisation

    @property
    def stamp_size(self) -> int:
        """Side S of the square stamps, in pixels (every store has the same).

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).stamp_size
        4
        """
        return self.stores[0].stamp_size

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape ``(N, n_scales * C, S, S)`` of all the inputs, N the rows of all the stores together.

        Examples
        --------
        >>> import tempfile
        >>> from starclass.stamps import write_stamp_store
        >>> d = Path(tempfile.mkdtemp())
        >>> for name, n in (("north", 3), ("south", 2)):
        ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
        ...                           channels=["f555w"])
        >>> StampStores([d / "north.h5", d / "south.h5"]).shape
        (5, 1, 4, 4)
        """
        return (int(self._starts[-1]), *self.stores[0].shape[1:])

    def __len__(self) -> int:
        return int(self._starts[-1])

    def __getitem__(self, idx: Any) -> tuple[np.ndarray, np.ndarray]:
        n = len(self)
        if isinstance(idx, slice):
            idx = np.arange(n)[idx]
        arr = np.atleast_1d(np.asarray(idx)).astype(np.int64)
        scalar = np.ndim(idx) == 0
        if arr.size and (arr.min() < -n or arr.max() >= n):
            raise IndexError(f"stamp stores: index out of range for {n} stamps")
        arr = np.where(arr < 0, arr + n, arr)
        which = np.searchsorted(self._starts, arr, side="right") - 1
        first_in, first_va = self.stores[0][np.zeros(0, np.int64)]
        inputs = np.empty((arr.size, *first_in.shape[1:]), np.float32)
        valid = np.empty((arr.size, *first_va.shape[1:]), bool)
        # one read per store touched: each store sorts its own rows for h5py
        for k in np.unique(which):
            sel = np.flatnonzero(which == k)
            st, va = self.stores[k][arr[sel] - self._starts[k]]
            inputs[sel], valid[sel] = st, va
        if scalar:
            return inputs[0], valid[0]
        return inputs, valid

    def close(self) -> None:
        for s in self.stores:
            s.close()


def merge_stores(paths: Sequence[str | Path], output: str | Path, *, names: Sequence[str] | None = None,
                 batch_size: int = 1024, overwrite: bool = False) -> Path:
    """Write several stamp stores into one, rows in order, with ``field`` and ``galaxy`` columns.

    Parameters
    ----------
    paths
        Stores to merge (see :class:`StampStores` for what must agree).
    output
        The merged ``.h5`` store, written atomically.
    names
        Field name per store (default: the field each store was cut from, as :func:`field_names` names it).
    batch_size
        Candidates copied at a time (bounds the memory used).
    overwrite
        Replace a file at ``output`` (default False: an existing one is refused).

    Returns
    -------
    pathlib.Path
        ``output``.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> from starclass.stamps import StampStore, write_stamp_store
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("a", "b"):
    ...     _ = write_stamp_store(d / f"{name}.h5", np.zeros((2, 1, 4, 4), np.float32), np.ones((2, 4, 4), bool),
    ...                           {"x": np.zeros(2), "y": np.zeros(2), "class_ref": np.array([1, 2])},
    ...                           channels=["f555w"])
    >>> merged = StampStore(merge_stores([d / "a.h5", d / "b.h5"], d / "all.h5"))
    >>> len(merged), merged.table["field"].tolist(), merged.table["class_ref"].tolist()
    (4, ['a', 'a', 'b', 'b'], [1, 2, 1, 2])
    """
    src = StampStores(paths, names)
    out = Path(output)
    if resolved(out) in {resolved(p) for p in src.paths}:
        raise StarclassError(f"merged store {out} is one of the stores to merge; choose another path")
    refuse_existing_store(out, overwrite)
    first = src.stores[0]
    meta = src.meta
    with StampStoreWriter(out, len(src), src.channels, src.stamp_size, src.scales, src.normalisation,
                          bands=src.bands, zeropoints=meta.get("zeropoints") or {}, sources=[str(p) for p in src.paths],
                          fill=float(first.meta.get("fill", 0.0)), extra=meta.get("extra"), overwrite=True) as w:
        for start in range(0, len(src), batch_size):
            rows = np.arange(start, min(start + batch_size, len(src)))
            st, va = src[rows]
            w.write(st, va, src.ok[rows])
        w.write_table(src.table)
    src.close()
    return out
