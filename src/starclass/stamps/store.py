"""HDF5 stamp store: stamps, pixel validity, the candidates' id/x/y (and labels) and the
metadata needed to reproduce them, written in chunks and read lazily.

Layout (format ``starclass-stamps``, version 1)::

    /inputs     float32 [N, n_scales * C, S, S]  normalised model inputs, channels
                                                 scale-major (as make_inputs), chunked
    /valid      bool    [N, n_scales, S, S]      pixel validity (False = filled)
    /ok         bool    [N]                      candidate pixel valid (see inputs.py)
    /table/id, /table/x, /table/y                and, when present, class_ref, galaxy, field
                                                 and the candidates' other columns (mag_<band>, ra, ...)
    attrs: format, version, bands, channels, stamp_size, scales, normalisation,
           zeropoints (JSON), sources (JSON), fill, centring, created_by

Channels C are the bands (or r, g, b for the ``rgb`` normalisation). Training reads it
lazily through :class:`StampStore` (pass the store to :func:`starclass.learn.train.fit`, or
wrap it in :class:`starclass.learn.data.StampDataset`); nothing is loaded until indexed.
Files are written to a temporary name and renamed on success.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from starclass.errors import OutputExistsError, StarclassError, counted, exists_refusal, shell_word, shown_command
from starclass.io import MosaicsLike
from starclass.io.atomic import atomic_path
from starclass.io.mosaic import FITS_SUFFIXES, is_fits_name, unopenable_compression
from starclass.schema import CLASS_REF, FIELD, GALAXY, ID, X, Y
from starclass.stamps.extract import resolve_images
from starclass.stamps.inputs import _iter_batches, input_spec, resolve_spec
from starclass.stamps.multiscale import multiscale

__all__ = ["StampStoreWriter", "write_stamp_store", "StampStore", "FORMAT", "VERSION"]

FORMAT = "starclass-stamps"
VERSION = 1
_CENTRING = "candidate pixel floor(x+0.5), floor(y+0.5) at index S//2; x, y 0-based"
_TABLE_COLS = (ID, X, Y, CLASS_REF, GALAXY, FIELD)


def _storable(column: Any, keep_dtype: bool = False) -> np.ndarray | None:
    """A candidate column as HDF5 keeps it (text as bytes, masked values as NaN or ""), else None.

    None for a column of arrays per row (a cutout's spectrum, a vector): the store keeps one value
    per candidate, as the catalogues it is cut from do. ``keep_dtype``: masked values keep the
    column's own type and stored value (the store's named columns, ``id`` ... ``class_ref``, as
    before other columns were kept: a masked ``class_ref`` turned into floats with NaN).
    """
    masked = np.ma.isMaskedArray(column) or hasattr(column, "mask")
    mask = np.ma.getmaskarray(column) if masked and not keep_dtype else None
    values = np.asarray(np.ma.getdata(column))
    if values.ndim != 1:
        return None
    if values.dtype.kind == "S":
        text = values.copy()
    elif values.dtype.kind in "UO":
        text = np.asarray([str(v) for v in values.tolist()], dtype=str)
        if not text.size:
            return np.zeros(0, "S1")
        try:
            text = text.astype("S")  # the reader reads ASCII back as text (astype(str))
        except UnicodeEncodeError:
            return None  # a free-text column with other letters: not a candidate's measurement
    else:
        text = None
    if text is not None:
        if mask is not None and mask.any():
            text[mask] = b""
        return text
    if values.dtype.kind not in "biuf":
        return None  # a complex or date column: not what a candidate list carries to a classifier
    if mask is not None and mask.any():
        values = values.astype(float)
        values[mask] = np.nan
    return values


#: Suffixes of tables that are not stamp stores, read by astropy's Table.read (a cutout list kept as ECSV or FITS).
_TABLE_SUFFIXES = (".ecsv", *(s.lower() for s in FITS_SUFFIXES), ".tsv", ".txt", ".dat", ".tab", ".parquet",
                   ".vot", ".xml")


def _not_hdf5(path: Path) -> bool:
    """Whether ``path`` is a file that does not start with the HDF5 signature."""
    from starclass.io.cutout_folders import is_hdf5

    return path.is_file() and not is_hdf5(path)


#: Bytes of the smallest HDF5 start h5py writes (a version 0 superblock and its root group entry): a shorter
#: file with the signature was cut short before the library could read how long it should be.
_HDF5_SUPERBLOCK_BYTES = 96


def _cut_short_store(path: Path, exc: BaseException) -> str | None:
    """What to say of a stamp store cut short (an interrupted copy or download), as the FITS readers say it.

    h5py's words were "Unable to synchronously open file (truncated file: eof = 4000,
    sblock->base_addr = 0, stored_eof = 17896)", or for a file cut inside its first bytes "bad byte
    number in an address". None where ``exc`` is not of a file cut short.

    Examples
    --------
    >>> err = OSError("Unable to synchronously open file (truncated file: eof = 4000, sblock->base_addr = 0, "
    ...               "stored_eof = 17896)")
    >>> print(_cut_short_store(Path("stamps.h5"), err))  # doctest: +NORMALIZE_WHITESPACE
    stamp store stamps.h5 is cut short (4000 bytes of 17896), as an interrupted copy or download leaves it; copy it
    again (or cut the stamps again with starclass cutouts)
    """
    again = ("as an interrupted copy or download leaves it; copy it again (or cut the stamps again with "
             "starclass cutouts)")
    m = re.search(r"truncated file: eof = (\d+),.*stored_eof = (\d+)", str(exc))
    if m:
        return f"stamp store {path} is cut short ({m.group(1)} bytes of {m.group(2)}), {again}"
    try:
        size = path.stat().st_size
    except OSError:
        return None
    from starclass.io.cutout_folders import is_hdf5

    if is_hdf5(path) and size < _HDF5_SUPERBLOCK_BYTES:
        return f"stamp store {path} is cut short inside its HDF5 header ({counted(size, 'byte')}), {again}"
    return None


def not_a_store_message(path: str | os.PathLike) -> str:
    """What to say of a file given as a stamp store that is no HDF5 file (a catalogue, a table in another format).

    ``train --stamps labels.ecsv`` said "stamp store labels.ecsv: cannot read HDF5 (Unable to
    synchronously open file (file signature not found))": that a cutout list is read from a
    ``.csv`` only was left for the user to guess. Since 2026-12-06 a list of cutouts is read from an
    ECSV, Parquet or FITS table too (:func:`starclass.io.cutout_folders.cutout_list_format`); this is said
    of other tables (``.tsv``, VOTable) and of tables that name no cutout files (a candidate catalogue).

    Parameters
    ----------
    path : str or os.PathLike
        The file, as the user named it.

    Returns
    -------
    str

    Examples
    --------
    >>> print(not_a_store_message("labels.tsv"))  # doctest: +NORMALIZE_WHITESPACE
    labels.tsv: not a stamp store (the HDF5 file 'starclass cutouts' writes) nor a list of cutouts, which is
    read from a CSV, ECSV, Parquet or FITS table (file, label, ...) or a folder of images: write this table as
    CSV, e.g. with astropy Table.read('labels.tsv', format='ascii.tab').write('labels.csv')
    """
    p = Path(path)
    text = (f"{p}: not a stamp store (the HDF5 file 'starclass cutouts' writes) nor a list of cutouts, which is read "
            "from a CSV, ECSV, Parquet or FITS table (file, label, ...) or a folder of images")
    name = p.name.lower()
    table = next((s for s in _TABLE_SUFFIXES if name.endswith(s)), None)
    if table is None:
        from starclass.io.catalog import compressed_text_refusal

        # a list kept compressed (labels.csv.gz): the message stopped at what it is not
        compressed = None if is_fits_name(p) else compressed_text_refusal(p)
        return f"{text}; {compressed}" if compressed else text
    # a .fits.Z without uncompresspy, a zip of several files: "write this table as CSV" gave advice that fails
    # the same way, Table.read raising astropy's words
    why = unopenable_compression(p) if is_fits_name(p) else None
    if why is not None:
        return f"{text}: {why}"
    cols, failure = _table_columns(p)
    if failure is not None and (is_fits_name(p) or name.endswith((".ecsv", ".parquet"))):
        # a list damaged or cut short (its format told by its name): "write this table as CSV, e.g. with astropy
        # Table.read(...)" gave advice that fails as the list's reader did, without saying why
        return f"{text}: {failure}"
    if cols is not None and "file" not in cols:
        # a candidate catalogue (truth.ecsv): "write this table as CSV" led to a CSV without a file column
        shown = ", ".join(cols[:8]) + (", ..." if len(cols) > 8 else "")
        cut = shown_command(f"starclass cutouts MOSAICS --catalog {shell_word(p)} --task TASK_OR_MODEL -o STAMPS.h5")
        return (f"{text}: it is a catalogue (columns {shown}; no 'file' column naming cutouts); cut its stamps "
                f"from the mosaics with {cut}")
    csv_path = p.with_name(p.name[: -len(table)] + ".csv")
    # format named for every FITS name, as the catalogue reader names it: Table.read('x.fits.zip') alone
    # cannot tell the format (neither the name nor the zip's first bytes say FITS)
    # a .tsv neither: astropy tells no format by that name ("Format could not be identified")
    how = ", format='fits'" if is_fits_name(p) else ", format='ascii.tab'" if name.endswith(".tsv") else ""
    return f"{text}: write this table as CSV, e.g. with astropy Table.read({str(p)!r}{how}).write({str(csv_path)!r})"


def _table_columns(path: Path) -> tuple[list[str] | None, str | None]:
    """The column names of a table file, else None and why astropy cannot read it (damaged, another format).

    Only the failures of a read are taken (:func:`starclass.io.cutout_folders.table_read_errors`, and
    astropy's own ``TypeError`` ... of a malformed ECSV header): a bug of ours is not passed off as a bad file.
    Astropy's warnings are kept from the screen (a FITS file cut short inside its header printed its
    VerifyWarning before the message naming the cut).
    """
    import warnings
    import zlib

    from starclass.io.cutout_folders import not_utf8_message, raised_by_reader, table_read_errors
    from starclass.io.cutout_output import read_table_as
    from starclass.io.mosaic import unreadable_fits

    fits_name = is_fits_name(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # a FITS name's format named: by its name and first bytes astropy told a .fits, .fits.gz or .fits.bz2
            # catalogue, not a .fits.zip one, whose columns went unseen ("write this table as CSV", not "it is a
            # catalogue ...; cut its stamps ...")
            return list(read_table_as(path, "fits" if fits_name else None).colnames), None
    except UnicodeDecodeError:
        return None, not_utf8_message(path)
    except table_read_errors() as exc:
        reason = exc
    except (TypeError, KeyError, IndexError, AttributeError, NotImplementedError) as exc:
        if not raised_by_reader(exc):
            raise
        # astropy's words of an ECSV header of another shape ('int' object is not iterable) said nothing of where
        return None, (f"its ECSV header (the YAML in its '#' lines) is not as astropy writes it "
                      f"({type(exc).__name__}: {exc}); write the table again, or save it as CSV")
    if fits_name and isinstance(reason, OSError):
        return None, unreadable_fits(path, reason)
    said = str(reason).strip().splitlines()[0] if str(reason).strip() else ""
    if isinstance(reason, zlib.error):
        # zlib's "Error -3 while decompressing data: invalid block type" said nothing of the file
        return None, f"its gzip data are damaged (zlib: {said}), as a copy that went wrong leaves them; copy it again"
    kind = "FITS" if fits_name else {".ecsv": "ECSV", ".parquet": "Parquet", ".pq": "Parquet"}.get(
        Path(path).suffix.lower(), "a table")
    return None, f"it does not read as {kind} ({type(reason).__name__}{': ' + said if said else ''})"


def refuse_existing_store(path: Path, overwrite: bool) -> None:
    """Refuse to write a stamp store over an existing file unless ``overwrite``.

    A notebook's second ``make_store(..., "stamps.h5", ...)`` replaced the first store without a
    word (the command line refused it without ``--overwrite``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.h5"
    >>> _ = p.write_bytes(b"")
    >>> refuse_existing_store(p, overwrite=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: stamp store ... exists (overwrite=False); give overwrite=True to replace it
    """
    if path.exists() and not overwrite:
        raise OutputExistsError(exists_refusal(path, "stamp store"), path)


class StampStoreWriter:
    """Write a stamp store batch by batch (use as a context manager).

    Parameters
    ----------
    path
        Output ``.h5`` file (written atomically: a temporary file renamed on success).
    n
        Total number of candidates.
    channels
        Channel names of one scale (bands, or ``["r", "g", "b"]``... for rgb).
    stamp_size
        S.
    scales
        Magnifications (one entry per scale plane).
    normalisation
        Name of the normalisation applied to the stored stamps.
    bands, zeropoints, sources
        Provenance: bands used, their zeropoints, the source files.
    chunk
        Candidates per HDF5 chunk (also the natural read granularity).
    compression
        h5py compression (``"lzf"`` default, None for none).
    extra
        Further JSON-serialisable metadata (e.g. the task config as a dict).
    overwrite
        Replace a file at ``path`` (default False: an existing one is refused before anything
        is written, as astropy's writers refuse it).
    atomic
        Write a temporary file beside ``path`` and rename it onto ``path`` on success (default).
        False writes ``path`` itself: for a caller that already writes to a temporary it renames
        (``starclass cutouts`` stages the store with its PHANGS export), so that one write has one
        temporary. A store staged twice made two (``.s.h5.XXXXXXXX.h5`` and
        ``..s.h5.XXXXXXXX.h5.YYYYYYYY.h5``), and a kill left both beside the user's store.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
    >>> with StampStoreWriter(path, 4, ["f555w"], 8) as w:
    ...     for start in (0, 2):                          # batch by batch
    ...         w.write(np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool))
    ...     w.write_table({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 1.0, 1.0, 1.0]})
    >>> StampStore(path).shape
    (4, 1, 8, 8)
    """

    def __init__(
        self,
        path: str | Path,
        n: int,
        channels: Sequence[str],
        stamp_size: int,
        scales: Sequence[float] = (1.0,),
        normalisation: str = "none",
        *,
        bands: Sequence[str] | None = None,
        zeropoints: Mapping[str, float] | None = None,
        sources: Mapping[str, str] | Sequence[str] | None = None,
        fill: float = 0.0,
        chunk: int = 256,
        compression: str | None = "lzf",
        extra: Mapping[str, Any] | None = None,
        overwrite: bool = False,
        atomic: bool = True,
    ) -> None:
        self.path = Path(path)
        refuse_existing_store(self.path, overwrite)
        self.atomic = bool(atomic)
        self.n = int(n)
        self.channels = [str(c) for c in channels]
        self.size = int(stamp_size)
        self.scales = [float(s) for s in scales]
        self.meta = {
            "format": FORMAT,
            "version": VERSION,
            "bands": json.dumps([str(b) for b in (bands or channels)]),
            "channels": json.dumps(self.channels),
            "stamp_size": self.size,
            "scales": json.dumps(self.scales),
            "normalisation": str(normalisation),
            "zeropoints": json.dumps({str(k): float(v) for k, v in (zeropoints or {}).items()}),
            "sources": json.dumps(
                {str(k): str(v) for k, v in sources.items()} if isinstance(sources, Mapping)
                else [str(s) for s in (sources or [])]
            ),
            "fill": float(fill),
            "centring": _CENTRING,
            # the folder relative paths in sources are relative to (the one the store was cut in): a store
            # used from another folder named 'm31_a' in its messages, a folder not there
            "sources_folder": str(Path.cwd()),
            "extra": json.dumps(dict(extra or {}), default=str),
        }
        self.chunk = max(1, min(int(chunk), max(self.n, 1)))
        self.compression = compression
        self._written = 0
        self._stack: contextlib.ExitStack | None = None
        self._h5 = None

    def __enter__(self) -> StampStoreWriter:
        self._stack = contextlib.ExitStack()
        # not atomic: the caller's own temporary, renamed by the caller (a second one here made two)
        tmp = self._stack.enter_context(atomic_path(self.path, suffix=".h5")) if self.atomic else self.path
        self._h5 = self._stack.enter_context(h5py.File(tmp, "w"))
        h = self._h5
        ns, nc, s = len(self.scales), len(self.channels), self.size
        h.create_dataset("inputs", shape=(self.n, ns * nc, s, s), dtype="f4",
                         chunks=(self.chunk, ns * nc, s, s), compression=self.compression)
        h.create_dataset("valid", shape=(self.n, ns, s, s), dtype=bool,
                         chunks=(self.chunk, ns, s, s), compression=self.compression)
        h.create_dataset("ok", shape=(self.n,), dtype=bool)
        for k, v in self.meta.items():
            h.attrs[k] = v
        return self

    def write(self, stamps: np.ndarray, valid: np.ndarray, ok: np.ndarray | None = None) -> None:
        """Append a batch: stamps ``[m, n_scales, C, S, S]`` or stacked ``[m, n_scales * C,
        S, S]``; valid ``[m, n_scales, S, S]`` (or ``[m, S, S]`` for one scale); ok ``[m]``."""
        if self._h5 is None:
            raise StarclassError("StampStoreWriter: use it as a context manager ('with ...')")
        stamps = np.asarray(stamps, dtype=np.float32)
        valid = np.asarray(valid, dtype=bool)
        ns, nc = len(self.scales), len(self.channels)
        if stamps.ndim == 4 and stamps.shape[1] == ns * nc:
            stamps = stamps.reshape(stamps.shape[0], ns, nc, *stamps.shape[2:])
        if valid.ndim == 3:
            valid = valid[:, None]
        m = stamps.shape[0]
        want = (m, len(self.scales), len(self.channels), self.size, self.size)
        if stamps.shape != want:
            raise StarclassError(f"stamp store: batch has shape {stamps.shape}, expected {want}")
        if valid.shape != (m,) + want[1:2] + want[3:]:
            raise StarclassError(f"stamp store: valid has shape {valid.shape}, expected {(m,) + want[1:2] + want[3:]}")
        if not np.isfinite(stamps).all():
            raise StarclassError("stamp store: stamps contain NaN or inf (fill invalid pixels first)")
        a, b = self._written, self._written + m
        if b > self.n:
            raise StarclassError(f"stamp store: writing {b} stamps into a store sized {self.n}")
        self._h5["inputs"][a:b] = stamps.reshape(m, -1, self.size, self.size)
        self._h5["valid"][a:b] = valid
        self._h5["ok"][a:b] = valid[:, 0, self.size // 2, self.size // 2] if ok is None else np.asarray(ok, bool)
        self._written = b

    def write_table(self, table: Any) -> None:
        """Store the candidates' columns: ``id, x, y`` (``class_ref``, ``galaxy``, ``field``) and the rest.

        Every one-value-per-row column (numbers, flags, text) is kept, so that ``classify --stamps
        STORE.h5`` carries the candidates' magnitudes, ``ra``, ``dec`` ... into its output as it keeps a
        catalogue's (``suggest`` read "no mag_<band> column" of a store's classification, the
        catalogue it was cut from having them). Columns of arrays per row are left out, as are masked
        values (written as NaN, or as empty text).
        """
        if self._h5 is None:
            raise StarclassError("StampStoreWriter: use it as a context manager ('with ...')")
        g = self._h5.require_group("table")
        names = list(table.colnames if hasattr(table, "colnames") else table)
        # the named columns first (their checks as before), then the others in the table's order
        for col in [*(c for c in _TABLE_COLS if c in names), *(c for c in names if c not in _TABLE_COLS)]:
            values = _storable(table[col], keep_dtype=col in _TABLE_COLS)
            if values is None or "/" in col or col in g:
                continue  # an array per row, an object column with no one text form, or a name HDF5 nests
            if values.shape[0] != self.n:
                raise StarclassError(f"stamp store: column {col} has {values.shape[0]} rows, store {self.n}")
            g.create_dataset(col, data=values)

    def __exit__(self, exc_type, exc, tb) -> None:
        stack, self._stack = self._stack, None
        if exc_type is None and self._written != self.n:
            err = StarclassError(f"stamp store {self.path}: {self._written} of {self.n} stamps written")
            # close (and remove) the temporary file, then report
            stack.__exit__(type(err), err, None)
            self._h5 = None
            raise err
        self._h5 = None
        stack.__exit__(exc_type, exc, tb)


def write_stamp_store(
    path: str | Path,
    stamps: np.ndarray,
    valid: np.ndarray,
    table: Any = None,
    *,
    channels: Sequence[str],
    scales: Sequence[float] = (1.0,),
    normalisation: str = "none",
    ok: np.ndarray | None = None,
    overwrite: bool = False,
    **meta: Any,
) -> Path:
    """Write stamps held in memory to a store in one go (see :class:`StampStoreWriter`).

    ``stamps`` is ``[N, n_scales, C, S, S]`` or stacked ``[N, n_scales * C, S, S]``;
    ``valid`` is ``[N, n_scales, S, S]`` (or ``[N, S, S]`` for one scale). An existing file at
    ``path`` is refused unless ``overwrite``.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
    >>> stamps = np.zeros((3, 1, 8, 8), np.float32)
    >>> _ = write_stamp_store(path, stamps, np.ones((3, 8, 8), bool), {"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]},
    ...                       channels=["f555w"])
    >>> StampStore(path).shape
    (3, 1, 8, 8)
    >>> _ = write_stamp_store(path, stamps, np.ones((3, 8, 8), bool), channels=["f555w"], overwrite=True)
    """
    stamps = np.asarray(stamps)
    with StampStoreWriter(path, stamps.shape[0], channels, stamps.shape[-1], scales, normalisation,
                          overwrite=overwrite, **meta) as w:
        w.write(stamps, valid, ok)
        if table is not None:
            w.write_table(table)
    return Path(path)


class StampStore:
    """Lazy reader of a stamp store.

    ``len(store)`` is N; ``store[idx]`` (int, slice, or array of indices in any order,
    repeats allowed) returns ``(inputs, valid)`` with inputs ``[m, n_scales * C, S, S]``
    (scale-major, exactly what :func:`~starclass.stamps.make_inputs` returns) and valid
    ``[m, n_scales, S, S]``, read from disk on demand. ``store.shape`` is the 4-D shape
    of all inputs. ``store.table`` holds the
    candidate columns, ``store.meta`` the metadata, ``store.ok`` the per-candidate flag.
    The HDF5 file is opened on first access in each process (safe with DataLoader workers).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
    >>> stamps = np.arange(3 * 1 * 4 * 4, dtype=np.float32).reshape(3, 1, 4, 4)
    >>> _ = write_stamp_store(path, stamps, np.ones((3, 4, 4), bool), {"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]},
    ...                       channels=["f555w"])
    >>> store = StampStore(path)
    >>> len(store), store.shape, store.channels
    (3, (3, 1, 4, 4), ['f555w'])
    >>> inputs, valid = store[[2, 0]]                  # any order; read from disk on demand
    >>> inputs.shape, float(inputs[0, 0, 0, 0]), store.table["x"].tolist()
    ((2, 1, 4, 4), 32.0, [1.0, 2.0, 3.0])
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StarclassError(f"stamp store {self.path}: no such file")
        try:
            with h5py.File(self.path, "r") as h:
                attrs = dict(h.attrs)
                if attrs.get("format") != FORMAT:
                    raise StarclassError(f"stamp store {self.path}: not a starclass stamp store")
                self._shape = h["inputs"].shape
                self._vshape = h["valid"].shape
                self.ok = np.asarray(h["ok"][...], dtype=bool)
                table = {}
                if "table" in h:
                    for k in h["table"]:
                        v = h["table"][k][...]
                        table[k] = v.astype(str) if v.dtype.kind == "S" else v
        except OSError as exc:
            if _not_hdf5(self.path):
                from starclass.io.catalog import refuse_database

                # train --stamps labels.db / explain MODEL inspect.sqlite: said only "not a stamp store nor a list
                # of cutouts", where the catalogue and cutout-list readers name inspect's database (5e77b1d)
                refuse_database(self.path, instead="a stamp store nor a list of cutouts (a table of files or a "
                                                   "folder of images)")
                raise StarclassError(not_a_store_message(self.path)) from None
            cut = _cut_short_store(self.path, exc)
            if cut is not None:
                raise StarclassError(cut) from None
            raise StarclassError(f"stamp store {self.path}: cannot read HDF5 ({exc})") from exc
        self.meta = {k: (json.loads(v) if k in ("bands", "channels", "scales", "zeropoints", "sources", "extra") else v)
                     for k, v in attrs.items()}
        for k, v in list(self.meta.items()):
            if isinstance(v, np.generic):
                self.meta[k] = v.item()
        self.table = table
        self._h5 = None
        self._pid = None

    # metadata shortcuts
    @property
    def bands(self) -> list[str]:
        """Names of the bands the inputs were cut from (the bands metadata).

        They are the channels, except with the rgb normalisation, whose channels are r, g, b.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 3, 8, 8), np.float32), np.ones((2, 8, 8), bool),
        ...                       channels=["r", "g", "b"], normalisation="rgb", bands=["f438w", "f555w", "f814w"])
        >>> StampStore(path).bands, StampStore(path).channels
        (['f438w', 'f555w', 'f814w'], ['r', 'g', 'b'])
        """
        return list(self.meta["bands"])

    @property
    def channels(self) -> list[str]:
        """Channel names of one scale, in the order of the inputs' channel axis.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 2, 8, 8), np.float32), np.ones((2, 8, 8), bool),
        ...                       channels=["f555w", "f814w"])
        >>> StampStore(path).channels
        ['f555w', 'f814w']
        """
        return list(self.meta["channels"])

    @property
    def scales(self) -> list[float]:
        """Zoom factor of each scale, in the order the inputs hold them (scale-major).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 2, 8, 8), np.float32), np.ones((2, 2, 8, 8), bool),
        ...                       channels=["f555w"], scales=(1.0, 2.0))
        >>> StampStore(path).scales
        [1.0, 2.0]
        """
        return list(self.meta["scales"])

    @property
    def normalisation(self) -> str:
        """Name of the normalisation the stamps were written with ("none" when not normalised).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
        ...                       channels=["f555w"])
        >>> StampStore(path).normalisation
        'none'
        """
        return str(self.meta["normalisation"])

    @property
    def n_scales(self) -> int:
        """Number of scales (len(store.scales)); the inputs hold n_scales * len(channels) channels.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 2, 8, 8), np.float32), np.ones((2, 2, 8, 8), bool),
        ...                       channels=["f555w"], scales=(1.0, 2.0))
        >>> StampStore(path).n_scales
        2
        """
        return len(self.meta["scales"])

    @property
    def stamp_size(self) -> int:
        """Side S of the square stamps, in pixels.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
        ...                       channels=["f555w"])
        >>> StampStore(path).stamp_size
        8
        """
        return int(self.meta["stamp_size"])

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape (N, n_scales * C, S, S) of all the inputs, read without loading them.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
        ...                       channels=["f555w"])
        >>> StampStore(path).shape
        (2, 1, 8, 8)
        """
        return tuple(self._shape)

    @property
    def source_files(self) -> dict[str, str]:
        """The mosaics the store was cut from (band -> file), as paths that work from the current folder.

        ``cutouts`` records them as they were typed (``m31_a/g.fits``), relative to the folder it ran in;
        named so from another folder, they pointed nowhere. A relative path is taken from the folder the
        store records (``sources_folder``; stores cut before 2026-12-07 record none: the store's own folder
        where the file is there, else the path as recorded) and shown relative to the current folder when it
        lies under it, else absolute. A store of several fields (or none recorded) gives ``{}``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
        >>> _ = write_stamp_store(path, np.zeros((1, 1, 8, 8), np.float32), np.ones((1, 8, 8), bool),
        ...                       channels=["g"], sources={"g": "/data/m31_a/g.fits"})
        >>> StampStore(path).source_files
        {'g': '/data/m31_a/g.fits'}
        """
        sources = self.meta.get("sources")
        if not isinstance(sources, dict):
            return {}
        recorded = self.meta.get("sources_folder")
        here = Path.cwd()
        out = {}
        for band, f in sources.items():
            p = Path(str(f))
            if not p.is_absolute():
                if recorded:
                    p = Path(str(recorded)) / p
                elif not p.exists() and (self.path.parent / p).exists():
                    p = self.path.absolute().parent / p
            if p.is_absolute():
                p = Path(os.path.normpath(p))
                with contextlib.suppress(ValueError):
                    p = p.relative_to(here)
            out[str(band)] = str(p)
        return out

    def __len__(self) -> int:
        return int(self._shape[0])

    def _file(self):
        if self._h5 is None or self._pid != os.getpid():
            self._h5 = h5py.File(self.path, "r")
            self._pid = os.getpid()
        return self._h5

    def close(self) -> None:
        if self._h5 is not None:
            self._h5.close()
            self._h5 = None

    def __getstate__(self):  # picklable for DataLoader workers: reopen in the worker
        state = self.__dict__.copy()
        state["_h5"] = None
        state["_pid"] = None
        return state

    def __enter__(self) -> StampStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getitem__(self, idx: Any) -> tuple[np.ndarray, np.ndarray]:
        h = self._file()
        n = len(self)
        if isinstance(idx, slice):
            return h["inputs"][idx], h["valid"][idx]
        arr = np.asarray(idx)
        scalar = arr.ndim == 0
        arr = np.atleast_1d(arr).astype(np.int64)
        if arr.size and (arr.min() < -n or arr.max() >= n):
            raise IndexError(f"stamp store {self.path}: index out of range for {n} stamps")
        arr = np.where(arr < 0, arr + n, arr)
        uniq, inverse = np.unique(arr, return_inverse=True)  # h5py needs increasing indices
        if uniq.size == 0:
            s = self._shape
            return np.empty((0,) + tuple(s[1:]), np.float32), np.empty((0,) + tuple(self._vshape[1:]), bool)
        if uniq.size > 1 and uniq[-1] - uniq[0] + 1 == uniq.size:  # contiguous: one slice
            st = h["inputs"][uniq[0]:uniq[-1] + 1]
            va = h["valid"][uniq[0]:uniq[-1] + 1]
        else:
            st = h["inputs"][uniq]
            va = h["valid"][uniq]
        st, va = st[inverse], va[inverse]
        if scalar:
            return st[0], va[0]
        return st, va

    def iter_batches(self, batch_size: int = 1024) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Yield ``(start, inputs, valid)`` in order, ``batch_size`` candidates at a time."""
        for start in range(0, len(self), batch_size):
            st, va = self[start:start + batch_size]
            yield start, st, va


def make_store(
    mosaics: MosaicsLike,
    table: Any,
    path: str | Path,
    config: Any,
    *,
    batch_size: int | None = None,
    masks: Any = None,
    weights: Any = "auto",
    zeropoints: Mapping[str, float] | None = None,
    progress: bool | None = False,
    chunk: int = 256,
    overwrite: bool = False,
    atomic: bool = True,
) -> Path:
    """Stream the model inputs of a candidate table into a stamp store.

    Parameters
    ----------
    mosaics
        MosaicSet (or arrays; see :func:`~starclass.stamps.extract_stamps`). Read with
        ``pixel_flags`` (``--mask-extension``, ``--dq-good-bits``): what they applied, and the
        pixels flagged per band, are stored under ``extra["pixel_flags"]``.
    table
        Candidates with ``x``, ``y`` (0-based); ``id``, ``class_ref``, ``galaxy`` are
        stored when present.
    path
        Output ``.h5`` (atomic).
    config
        TaskConfig / :class:`~starclass.stamps.InputSpec` (bands, stamp_size, scales,
        normalisation); a TaskConfig's ``to_dict()`` is stored under ``extra["task"]``.
    batch_size, masks, weights, zeropoints, progress
        As for :func:`~starclass.stamps.iter_inputs` (``weights="auto"``: the MosaicSet's
        weight maps mark zero-weight pixels invalid).
    chunk
        HDF5 chunk length (candidates).
    overwrite
        Replace a file at ``path``; without it an existing one is refused before any stamp
        is cut (a notebook's second call replaced the first store without a word).
    atomic
        As for :class:`StampStoreWriter`: False writes ``path`` itself, for a caller that writes to
        a temporary of its own and renames it (``starclass cutouts``).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    StarclassError
        ``path`` exists and ``overwrite`` is false; a band of the config missing from the
        mosaics; a table without ``x``, ``y``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> images = {b: np.random.default_rng(0).random((64, 64)).astype(np.float32) for b in cfg.bands}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "stamps.h5"
    >>> table = Table({"x": [20.0, 40.0], "y": [30.0, 30.0]})
    >>> StampStore(make_store(images, table, path, cfg)).shape
    (2, 2, 16, 16)
    >>> make_store(images, table, path, cfg)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: stamp store ... exists (overwrite=False); give overwrite=True to replace it
    >>> _ = make_store(images, table, path, cfg, overwrite=True)
    """
    refuse_existing_store(Path(path), overwrite)  # before the mosaics are read, not after
    spec = resolve_spec(input_spec(config), mosaics, zeropoints)
    if getattr(config, "softening_mag", None) == "auto" and hasattr(config, "copy"):
        config = config.copy(softening_mag=spec.softening_mag)  # the store records the number used
    names, _ = resolve_images(mosaics, spec.bands)
    for col in (X, Y):
        if col not in table.colnames:
            raise StarclassError(f"candidate table has no column {col!r} (0-based pixel positions)")
    n = len(table)
    channels = ["r", "g", "b"] if spec.normalisation == "rgb" else names
    zps = zeropoints if zeropoints is not None else getattr(mosaics, "zeropoint", None)
    zps = {b: float(zps[b]) for b in names if b in zps} if zps else {}
    extra: dict[str, Any] = {}
    if hasattr(config, "to_dict"):
        extra["task"] = config.to_dict()
    if spec.normalisation == "flux":
        extra["softening_mag"] = spec.softening_mag
    elif spec.normalisation == "asinh":
        extra["softening"] = spec.softening
    flags = getattr(mosaics, "pixel_flags", None)
    if flags:
        # as detect's catalogue meta: a store cut with --mask-extension / --dq-good-bits says so (and how
        # many pixels), so the stamps a model is trained on (train --stamps) can be told from others
        # (the option values too: a model trained on the store records them, and classify compares)
        extra["pixel_flags"] = {"applied": flags.describe(), "mask_extension": flags.mask_extension,
                                "dq_good_bits": flags.dq_good_bits,
                                **({"mask_file": flags.mask_file} if getattr(flags, "mask_file", None) else {}),
                                "flagged_pixels": {b: int(v) for b, v in getattr(mosaics, "flagged", {}).items()}}
    sources = {b: str(p) for b, p in (getattr(mosaics, "paths", None) or {}).items() if b in names}
    x = np.asarray(table[X], dtype=np.float64)
    y = np.asarray(table[Y], dtype=np.float64)
    writer = StampStoreWriter(
        path, n, channels, spec.stamp_size, spec.scales, spec.normalisation, bands=names,
        zeropoints=zps, sources=sources, fill=spec.fill, chunk=chunk, extra=extra, overwrite=overwrite,
        atomic=atomic,
    )

    with writer as w:
        n_bad = 0
        for start, stop, inputs, valid, valid_px in _iter_batches(
            mosaics, x, y, spec, batch_size, zeropoints, masks, False, progress, weights
        ):
            m = stop - start
            # per-scale pixel validity for /valid, resampled like the stamps
            vms = multiscale(np.zeros((m, 0) + valid_px.shape[1:], np.float32), spec.scales,
                             size=spec.stamp_size, valid=valid_px)[1]
            w.write(inputs, vms, valid)
            n_bad += int((~valid).sum())
        w.write_table(table)
        w._h5.attrs["n_invalid"] = n_bad
    return Path(path)
