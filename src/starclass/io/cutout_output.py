"""Reading what ``starclass classify --stamps -o`` writes: a table of cutout files and their classes.

Such a table has a ``file`` column (or ``file_<band>`` columns) and ``class_pred`` but no ``id`` or
pixel positions, so :func:`starclass.io.catalog.read_catalog` refuses it. ``info``, ``suggest``
and ``evaluate`` read it here: in :mod:`starclass.evaluate.compare` (its first home, which still
re-exports these names) ``info CATALOGUE`` paid for scikit-learn and pandas through
``evaluate.groups``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from astropy.table import Table

from starclass.errors import StarclassError
from starclass.schema import CLASS_PRED

#: Suffix -> astropy format of the files ``starclass classify --stamps`` writes.
CUTOUT_OUTPUT_FORMATS = {".csv": "ascii.csv", ".ecsv": "ascii.ecsv", ".parquet": "parquet", ".pq": "parquet",
                         ".fits": "fits", ".fit": "fits"}


def cutout_output_format(path: str | Path) -> str | None:
    """The astropy format of a classified or suggested cutout list by its name; None for another name.

    Any FITS name (:data:`~starclass.io.fits_names.FITS_SUFFIXES`: ``.fits.gz``, ``.fit``, ``.fits.Z``, ...) is
    ``"fits"``, read through :func:`starclass.io.mosaic.read_fits_table`, which opens what astropy can and
    refuses the rest by name; otherwise the last suffix's entry of :data:`CUTOUT_OUTPUT_FORMATS`, or for a CSV or
    ECSV kept compressed (``labels.csv.gz``, ``.bz2``, ``.xz``) the format of the name inside. Until
    2026-12-06 only the last suffix was looked up, so ``inspect --stamps classified.fits.gz`` was "give a cutout
    folder ... (.csv, .ecsv, .parquet, .pq, .fits, .fit)" and ``evaluate classified.fits.gz`` "required column
    'id' missing".

    Parameters
    ----------
    path : str or Path
        The list's file name.

    Returns
    -------
    str or None
        ``"fits"``, ``"ascii.csv"``, ``"ascii.ecsv"``, ``"parquet"``, or None.

    Examples
    --------
    >>> [cutout_output_format(n) for n in ("out.fits.gz", "out.FIT", "out.csv", "out.tab.gz", "labels.csv.gz")]
    ['fits', 'fits', 'ascii.csv', None, 'ascii.csv']
    """
    from starclass.io.compressed_text import table_suffix
    from starclass.io.fits_names import FITS_SUFFIXES

    name = Path(path).name.lower()
    if any(name.endswith(s.lower()) and len(name) > len(s) for s in FITS_SUFFIXES):
        return "fits"
    fmt = CUTOUT_OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None and (inner := CUTOUT_OUTPUT_FORMATS.get(table_suffix(path))) in ("ascii.csv", "ascii.ecsv"):
        # a text list kept compressed (labels.csv.gz, out.ecsv.xz, as archives hand them out) is read as the list
        # inside (io.compressed_text.open_table_file); a Parquet inside gzip is no Parquet to pyarrow
        return inner
    return fmt


#: The names :func:`cutout_output_format` takes, for messages.
CUTOUT_OUTPUT_NAMES = ".csv, .ecsv, .parquet, .pq, or FITS (.fits, .fit, .fts, also compressed)"


def text_table_options(path: str | Path, fmt: str) -> dict:
    """:func:`starclass.io.catalog.csv_table_options` for a CSV (``fmt`` ``ascii.csv``), none for other formats.

    Parameters
    ----------
    path : str or Path
        The table.
    fmt : str
        Its astropy format (a value of :data:`CUTOUT_OUTPUT_FORMATS`).

    Returns
    -------
    dict
        Keyword arguments for ``Table.read`` (the CSV's delimiter and encoding).

    Examples
    --------
    >>> text_table_options("out.parquet", "parquet")
    {}
    """
    from starclass.io.catalog import csv_table_options

    return csv_table_options(path) if fmt == "ascii.csv" else {}


def read_table_as(path: str | Path, fmt: str | None, *, rows: int | None = None) -> Table:
    """A table read by its astropy format as the catalogue reader reads it, its kept meta put back.

    FITS through :func:`starclass.io.mosaic.read_fits_table` (a compression astropy cannot open here
    refused by name); CSV through :func:`starclass.io.catalog.read_csv_table` (a spreadsheet's separator
    and byte-order mark, a ragged row named by its file line) and its decimal commas read as numbers;
    any other format by astropy. The meta :func:`starclass.io.catalog.write_catalog` keeps as JSON in a
    FITS header is put back (:func:`starclass.io.catalog.restore_fits_meta`; nothing to do elsewhere).

    Parameters
    ----------
    path : str or Path
        The table.
    fmt : str or None
        Its astropy format (``"fits"``, ``"ascii.csv"``, ``"ascii.ecsv"``, ``"parquet"``), or None to let
        astropy tell.
    rows : int, optional
        Only the first ``rows`` rows are needed: an ECSV is read no further (its header and at most those
        rows, fewer where a value runs over lines; :func:`_first_ecsv_rows`), other formats whole. Default:
        every row.

    Returns
    -------
    astropy.table.Table

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = f.write_text("file;prob_1\\na.png;0,25\\n")
    >>> read_table_as(f, "ascii.csv")["prob_1"][0]
    np.float64(0.25)
    >>> Table({"file": ["a.png", "b.png", "c.png"]}).write(f.with_suffix(".ecsv"))
    >>> len(read_table_as(f.with_suffix(".ecsv"), "ascii.ecsv", rows=2)), len(read_table_as(f, "ascii.csv", rows=2))
    (2, 1)
    """
    from starclass.io.catalog import read_csv_table, read_decimal_commas, restore_fits_meta, strip_text_columns

    if fmt == "fits":
        from starclass.io.mosaic import read_fits_table

        table = read_fits_table(path)
    elif fmt == "ascii.csv":
        table = read_csv_table(path)
        read_decimal_commas(table, path)  # saved again by European Excel: 0,46 read as the number
    else:
        from starclass.io.compressed_text import table_source

        # an out.ecsv.xz: the bytes the looks decompressed
        table = None
        if rows is not None and fmt == "ascii.ecsv":
            table = _first_ecsv_rows(path, rows)
        if table is None:
            table = Table.read(table_source(path), format=fmt)
    strip_text_columns(table)  # a Parquet's or FITS's padded labels, as the catalogue reader strips them
    return restore_fits_meta(table, path)


def _first_ecsv_rows(path: str | Path, rows: int) -> Table | None:
    r"""The first rows of an ECSV read by astropy, its header whole; None where they cannot be read alone.

    astropy's ``data_end`` counts lines, not rows: a quoted value that runs over lines (``"seen twice\nby
    A"``, which astropy writes and reads back) was cut where the count ended. The row failed to split ("Number
    of header columns (3) inconsistent with data columns (1)"), and the probe of cutout lists took an ECSV
    list of cutouts for no list at all (``train --stamps labels.ecsv``: "not a stamp store ... nor a list of
    cutouts"), or the value kept half its text. A value cut by the count ends in the line break astropy puts
    back between its lines, so a text cell holding one (or a row that does not split) means the file is read
    whole instead (None), as astropy reads it.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "notes.ecsv"
    >>> Table({"note": ["two\nlines"] * 3, "file": ["a.png", "b.png", "c.png"]}).write(f)
    >>> _first_ecsv_rows(f, 2) is None
    True
    >>> Table({"file": ["a.png", "b.png", "c.png"]}).write(f, overwrite=True)
    >>> len(_first_ecsv_rows(f, 2))
    2
    """
    from starclass.io.compressed_text import table_source

    try:
        # astropy's data_end counts the column names' line
        table = Table.read(table_source(path), format="ascii.ecsv", data_end=rows + 1)
    except ValueError:  # astropy's InconsistentTableError of a row cut inside a value: read it whole
        return None
    for name in table.colnames:
        col = table[name]
        if col.dtype.kind in "UO" and any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in col.tolist()):
            return None
    return table


def read_cutout_output(path: str | Path, name: str = "catalogue",
                       classes: tuple[str, ...] = (CLASS_PRED,), file_column: str | None = None) -> Table | None:
    """A classified cutout folder (``file`` + ``class_pred``) read as it is, or None if it is not one.

    Such outputs have no ``id`` and no pixel positions, which a catalogue needs
    (:func:`starclass.io.catalog.read_catalog`); they are read with astropy's reader for
    their suffix, meta included (ECSV, Parquet and FITS keep the task; CSV does not).
    ``classes`` are the columns of which one must be there: ``class_pred`` for a classified
    output; a reference may be a labels table instead (``class_ref`` or the label column).
    The file columns are ``file``, or ``file_<band>`` for several bands per object.

    Parameters
    ----------
    path : str or Path
        The table (``.csv``, ``.ecsv``, ``.parquet``/``.pq``, ``.fits``/``.fit``).
    name : str
        What the messages call it (``"catalogue"``, ``"candidates x.csv"``).
    classes : tuple of str
        The columns of which one must be there.
    file_column : str, optional
        The column of image files where it is not ``file`` (``evaluate --file-column filename``, or the column
        a classification it is compared with records): recorded in the meta (``file_column``) where the table
        has it and records none of its own, so that :func:`file_columns` gives it.

    Returns
    -------
    Table or None
        The table, or None for another suffix or a table without file or class columns.

    Raises
    ------
    StarclassError
        The file does not read (naming ``name`` and the file), or its ``prob_<k>`` columns are not numbers.

    Examples
    --------
    >>> import tempfile, os
    >>> from astropy.table import Table
    >>> p = os.path.join(tempfile.mkdtemp(), "out.csv")
    >>> Table({"file": ["a.png"], "label": ["galaxy"], "class_pred": [2]}).write(p)
    >>> read_cutout_output(p)["label"].tolist()
    ['galaxy']
    """
    from starclass.io.catalog import check_prob_columns

    path = Path(path)
    fmt = cutout_output_format(path)
    if fmt is None:
        return None
    if path.is_file() and path.stat().st_size == 0:
        # as the catalogue reader says it: astropy's "ECSV header line like ... not found as first line" for an
        # ECSV, a FITS file's own words (io.mosaic.unreadable_fits) below
        if fmt != "fits":
            raise StarclassError(f"{name}: {path} is empty (0 bytes), not a table")
    try:
        from starclass.io.mosaic import HEADER0_WARNING

        with warnings.catch_warnings():
            # a FITS file cut short in its header: unreadable_fits below says so, astropy's warning was noise
            warnings.filterwarnings("ignore", message=HEADER0_WARNING)
            # a CSV saved again by Excel (byte-order mark, ';'): plainly read, its first column was '\ufefffile', or
            # the whole header one column, and the table was refused as "required column 'id' missing"; a FITS
            # compression astropy cannot open here is an OSError said below, not a ModuleNotFoundError traceback
            t = read_table_as(path, fmt)
        if fmt == "ascii.csv":
            from starclass.io.catalog import restore_csv_coverage, restore_csv_decision

            restore_csv_decision(t)  # classify's decision threshold, kept as columns where there is no meta
            restore_csv_coverage(t)  # and the conformal sets' coverage
            restore_csv_columns(t)  # the columns classify read the objects and files from (--group/--file-column)
    except StarclassError as exc:
        raise StarclassError(f"{name}: {exc}") from None
    except UnicodeDecodeError:
        from starclass.io.cutout_folders import not_utf8_message

        # saved in the Windows code page: "cannot read X (UnicodeDecodeError: ... in position 27)"
        raise StarclassError(f"{name}: {not_utf8_message(path)}") from None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        if fmt == "fits" and isinstance(exc, OSError):
            from starclass.io.mosaic import unreadable_fits

            # astropy's "try with ignore_missing_simple=True" named an option no command has
            raise StarclassError(f"{name}: {unreadable_fits(path, exc)}") from None
        raise StarclassError(f"{name}: cannot read {path} ({type(exc).__name__}: {exc})") from None
    if file_column and file_column in t.colnames and not t.meta.get("file_column"):
        t.meta["file_column"] = file_column
    if not file_columns(t) or not any(c in t.colnames for c in classes):
        return None
    return check_prob_columns(t, path, name)


def restore_csv_columns(t: Table) -> Table:
    """Put back into the meta the column names ``classify --stamps`` keeps as columns of a CSV output.

    ``classify --stamps --group-column id`` records ``group_column`` (the objects' column), and
    ``--file-column filename`` records ``file_column`` (the files' column), in the meta of an ECSV,
    Parquet or FITS output; a CSV keeps no meta, so they are written as columns of those names, one value
    on every row, and read back here where that value names a column of the table (``evaluate`` then
    resamples whole objects and pairs by that file column; ``suggest`` keeps one cutout per object).

    Parameters
    ----------
    t : astropy.table.Table
        A table read from a CSV file; its ``meta`` is changed in place.

    Returns
    -------
    astropy.table.Table
        ``t``.

    Examples
    --------
    >>> t = Table({"filename": ["a.png", "b.png"], "id": ["A", "A"], "group_column": ["id", "id"],
    ...            "file_column": ["filename", "filename"]})
    >>> m = restore_csv_columns(t).meta
    >>> m["group_column"], m["file_column"]
    ('id', 'filename')
    """
    from starclass.schema import FILE_COLUMN, GROUP_COLUMN

    for key in (GROUP_COLUMN, FILE_COLUMN):
        if key not in t.colnames or t.meta.get(key) or not len(t):
            continue
        cells = {str(v).strip() for v in t[key].tolist()}
        if len(cells) == 1 and (name := cells.pop()) in t.colnames and name != key:
            t.meta[key] = name
    return t


def file_columns(t: Table) -> list[str]:
    """The columns naming a row's cutout file(s): ``file``, else the ``file_<band>`` columns.

    A column recorded in the meta as ``file_column`` (``classify --stamps --file-column filename``,
    :func:`restore_csv_columns` for a CSV) comes first, where the table has it.

    Parameters
    ----------
    t : Table
        A table of cutouts.

    Returns
    -------
    list of str
        ``["file"]``, the sorted ``file_<band>`` columns, or none.

    Examples
    --------
    >>> from astropy.table import Table
    >>> file_columns(Table({"file_i": ["a.fits"], "file_g": ["b.fits"], "label": ["x"]}))
    ['file_g', 'file_i']
    >>> file_columns(Table({"x": [1.0]}))
    []
    >>> file_columns(Table({"filename": ["a.png"]}, meta={"file_column": "filename"}))
    ['filename']
    """
    if (named := str(t.meta.get("file_column") or "")) and named in t.colnames:
        return [named]
    if "file" in t.colnames:
        return ["file"]
    return sorted(c for c in t.colnames if c.startswith("file_"))
