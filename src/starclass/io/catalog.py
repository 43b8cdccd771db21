"""Catalogues in, catalogues out: every format becomes the schema of :mod:`starclass.schema`.

Formats read (``fmt``; guessed from the extension and contents when not given):

``legus``
    LEGUS ``.tab`` cluster catalogues (34-39 whitespace-separated columns, up to 60 read; no header; see
    ``docs/io.md`` and :mod:`starclass.io.legus`). x, y become 0-based; the sentinels 99.999,
    66.666 and 44.444 become NaN; the class column of the file's layout becomes ``class_ref``
    (NGC 1566: the hybrid class, with ``class_method``, ``class_human_mode``, ``class_ml``,
    ``class_ml_checked``, ``class_reclassified`` beside it).
``phangs``
    PHANGS-HST FITS tables (``PHANGS_X``, ``PHANGS_F555W_VEGA_TOT``,
    ``PHANGS_CLUSTER_CLASS_HUMAN`` ...). Any table with a ``PHANGS_X`` column is read this way.
``cds``, ``mrt``
    CDS / AAS machine-readable tables, through astropy's ``ascii.cds`` / ``ascii.mrt``.
``csv``, ``ecsv``, ``parquet``, ``fits``, ``ascii``
    Generic tables. Columns are renamed with ``column_map`` (``{"X_IMAGE": "x"}``) and a few
    well-known aliases (SExtractor ``X_IMAGE``/``NUMBER``, photutils ``xcentroid``, ``RAdeg``
    ...). Positions given 1-based (``one_based=True``, or implied by a SExtractor name) are
    converted to 0-based.

Required columns: ``id`` and a position, ``x`` and ``y`` (or ``ra`` and ``dec`` plus a WCS
to compute them). An empty catalogue is an error unless ``allow_empty=True``.

Writers (:func:`write_catalog`): ECSV, Parquet, FITS and CSV, chosen by extension, atomic. A FITS
table keeps its whole meta as JSON in the header card :data:`FITS_META_KEY`, read back by
:func:`restore_fits_meta`.
"""

from __future__ import annotations

import csv
import json
import lzma
import os
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import astropy.units as u
import numpy as np
from astropy.io import fits
from astropy.table import Column, MaskedColumn, Table
from astropy.table.meta import get_header_from_yaml
from numpy.typing import ArrayLike

from starclass.errors import (
    ColumnMapError,
    OutputExistsError,
    StarclassError,
    agreeing,
    counted,
    exists_refusal,
    refuse_no_rows,
    shell_word,
    shown_command,
)
from starclass.io.atomic import atomic_path
from starclass.io.compressed_text import (
    astropy_reads_lzw,
    compressed_damage,
    inner_name,
    open_table_file,
    table_source,
)
from starclass.io.fits_names import FITS_NAMES, FITS_SUFFIXES, is_fits_name
from starclass.io.legus import LEGUS_MAX_COLS, LEGUS_MIN_COLS, legus_line_token, legus_tokens, read_legus_tab
from starclass.io.legus import SENTINELS as LEGUS_SENTINELS
from starclass.io.paths import no_such_path
from starclass.schema import (
    CLASS_PRED,
    CLASS_REF,
    CLASSES,
    DEC,
    FIELD,
    ID,
    RA,
    X,
    Y,
    is_known,
    mag_col,
    magerr_col,
    set_units,
    unit_of,
)

if TYPE_CHECKING:
    # astropy's coordinates (0.1-0.2 s after its tables) and WCS load where a catalogue's ra, dec are converted,
    # not wherever a catalogue is read (info of a CSV or FITS table; astropy's ECSV reader loads the coordinates)
    from astropy.coordinates import Angle
    from astropy.wcs import WCS

    from starclass.io.mosaic import MosaicSet

PathLike = str | os.PathLike

#: The FITS header card in which :func:`write_catalog` keeps a table's whole meta as JSON. A header
#: card holds a number or a string, not a dict or a list of numbers: the task's ``classes``,
#: ``eval_merges``, ``label_map`` and ``reference_merge`` were dropped, and ``evaluate OUT.fits`` scored
#: another task than ``evaluate OUT.ecsv``. :func:`restore_fits_meta` reads it back.
FITS_META_KEY = "SC_META"

FORMATS = ("legus", "phangs", "cds", "mrt", "csv", "ecsv", "parquet", "fits", "ds9", "ascii")

#: Magnitudes at or beyond this value mean "no measurement" (LEGUS uses 99.999).
MAG_MISSING = 90.0

# read_legus_tab and the column-count bounds live in io.legus; they are re-exported here, where
# callers have always found the LEGUS reader.
LEGUS_COLUMN_RANGE = (LEGUS_MIN_COLS, LEGUS_MAX_COLS)

_EXT_FORMATS = {
    ".ecsv": "ecsv", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet",
    # every FITS name, compressed ones too (io.mosaic.FITS_SUFFIXES): read as text, a .fits.bz2 cut short was
    # "cannot read x.fits.bz2 as ascii: EOFError: Compressed file ended before the end-of-stream marker was reached"
    **dict.fromkeys((s.lower() for s in FITS_SUFFIXES), "fits"),
    ".tab": "legus", ".tab.gz": "legus", ".mrt": "mrt", ".cds": "cds", ".reg": "ds9",
}

_KIND_WORDS = {"csv": "CSV", "ecsv": "ECSV", "parquet": "Parquet", "fits": "FITS", "legus": "LEGUS", "mrt": "MRT",
               "cds": "CDS", "ds9": "DS9 regions"}


def _read_kinds() -> str:
    """The tables starclass tells by their names, each with its suffixes, from the table the format guess uses."""
    kinds = []
    for fmt in dict.fromkeys(_EXT_FORMATS.values()):
        names = FITS_NAMES if fmt == "fits" else ", ".join(e for e, f in _EXT_FORMATS.items() if f == fmt)
        kinds.append(f"{_KIND_WORDS[fmt]} ({names})")
    return ", ".join(kinds[:-1]) + f" or {kinds[-1]}"


_WRITE_FORMATS = {
    ".ecsv": "ascii.ecsv", ".csv": "ascii.csv", ".parquet": "parquet", ".pq": "parquet",
    ".fits": "fits", ".fit": "fits", ".fits.gz": "fits",
}

# The one alias table: column names met in the wild (lower case) -> (schema name, 1-based?).
# None = the convention is not implied by the name (the format's default or --one-based decide).
_ALIASES: dict[str, tuple[str, bool | None]] = {
    # id
    "number": (ID, None), "source_id": (ID, None), "seq": (ID, None), "idx": (ID, None),
    "cluster": (ID, None), "cluster_id": (ID, None), "clusterid": (ID, None), "objid": (ID, None),
    "obj_id": (ID, None),
    # pixel positions
    "x_image": (X, True), "y_image": (Y, True),          # SExtractor: 1-based
    "xcentroid": (X, False), "ycentroid": (Y, False),    # photutils: 0-based
    "x_centroid": (X, False), "y_centroid": (Y, False),
    "xpix": (X, None), "ypix": (Y, None), "x_pix": (X, None), "y_pix": (Y, None),
    "xpos": (X, None), "ypos": (Y, None),
    # sky positions
    "alpha_j2000": (RA, None), "delta_j2000": (DEC, None),
    "radeg": (RA, None), "dedeg": (DEC, None), "ra_deg": (RA, None), "dec_deg": (DEC, None),
    "raj2000": (RA, None), "dej2000": (DEC, None), "ra_icrs": (RA, None), "de_icrs": (DEC, None),
    # RA_J2000 / DEC_J2000 (tables from papers and pipelines), VizieR's computed _RAJ2000 / _DEJ2000:
    # a file with only these was refused "required column 'x' missing", its sky positions unseen
    "ra_j2000": (RA, None), "dec_j2000": (DEC, None), "de_j2000": (DEC, None),
    "_raj2000": (RA, None), "_dej2000": (DEC, None),
    # class (only numeric columns are renamed: a text "Category" stays as it is)
    "class": (CLASS_REF, None), "category": (CLASS_REF, None), "cluster_class": (CLASS_REF, None),
    "class_mode": (CLASS_REF, None), "classification": (CLASS_REF, None), "morph_class": (CLASS_REF, None),
    "class_mode_human": (CLASS_REF, None), "visual_class": (CLASS_REF, None),
    # concentration index
    "concentration_index": ("ci", None), "c_i": ("ci", None),
}
# Band magnitudes and their errors by pattern: F555Wmag, mag_F555W, F555W_mag, m_F555W;
# e_F555Wmag, F555Wmag_err, err_F555W, F555W_err, e_mag_F555W (CDS puts e_ before the column).
_FILTER = r"(f\d{3,4}(?:lp|[wmnlx]{1,2}))"  # F555W, F658N, F550M, F300X; long-pass F850LP
_MAG_ALIAS = re.compile(rf"^(?:mag_?|m_)?{_FILTER}(?:_?mag)?$", re.I)
_ERR_ALIAS = re.compile(rf"^(?:e_?|err_?|e_mag_?)(?:mag_?)?{_FILTER}(?:_?mag)?$"
                        rf"|^(?:mag_?)?{_FILTER}(?:_?mag)?_?(?:err|error|e)$", re.I)


def _band_alias(name: str) -> str | None:
    """Schema name of a magnitude or magnitude-error column named after its filter, else None.

    A bare filter name (``F555W``) is not renamed: it may hold a flux.
    """
    m = _ERR_ALIAS.match(name)
    if m:
        return magerr_col(next(g for g in m.groups() if g))
    m = _MAG_ALIAS.match(name)
    if m and name.lower() != m.group(1).lower():
        return mag_col(m.group(1))
    return None


# ---------------------------------------------------------------------------------------------
# public API


def guess_format(path: PathLike) -> str:
    """The reader for ``path``: from the extension, the first lines, or the columns.

    FITS tables with PHANGS column names are reported as ``"fits"``; :func:`read_catalog`
    recognises PHANGS columns whatever the container.

    Parameters
    ----------
    path : path-like
        The catalogue file.

    Returns
    -------
    str
        One of :data:`FORMATS` (``legus``, ``cds``, ``csv``, ``ecsv``, ``parquet``, ``fits``, ...).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "candidates.csv"
    >>> _ = p.write_text("id,x,y\\n1,10.5,20.0\\n")
    >>> guess_format(p)
    'csv'
    """
    p = Path(path)
    name = p.name.lower()
    if not any(name.endswith(ext) for ext in _EXT_FORMATS):
        # a text table kept compressed is the format of the name inside: cat.csv.gz a CSV, cat.ecsv.xz an ECSV
        # (a .fits.gz and a LEGUS .tab.gz are named in the table as they are)
        name = inner_name(name)
    for ext in sorted(_EXT_FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            fmt = _EXT_FORMATS[ext]
            if fmt == "legus":
                if _looks_like_cds(p):
                    return "cds"
                lines = _head(p).lstrip(_HEAD_BOM).splitlines()
                # an indented '   # note' above the rows was taken for the first row: a header, so no LEGUS file
                first = next((ln for ln in lines if ln.strip() and not is_comment_line(ln)), "")
                tokens = legus_tokens(first)
                # sexagesimal RA, Dec in a row of numbers are no header: the LEGUS reader names them
                if tokens and not all(legus_line_token(v) for v in tokens):
                    return "ascii"  # a .tab with a header line: not a LEGUS catalogue
            if fmt == "csv" and _looks_like_legus(p):
                # a LEGUS .tab saved from a spreadsheet as CSV: no header, its first row was taken for one
                # ("required column 'id' missing (columns: 1, 3839.345, ...); name a column 'id'")
                return "legus"
            return fmt
    if _head(p).lstrip(_HEAD_BOM + " \t\r\n").lower().startswith("# region file format"):
        return "ds9"  # a DS9 region file named otherwise (.txt): its header line says so
    if _looks_like_cds(p):
        return "mrt" if _head(p).lstrip().startswith("Title:") and "Byte-by-byte" in _head(p) else "cds"
    if _looks_like_legus(p):
        # a LEGUS catalogue saved as .txt or .dat was read as a generic table with columns col1..col39
        # and refused with "required column 'id' missing ... name a column 'id'"
        return "legus"
    return "ascii"


def _looks_like_legus(p: Path) -> bool:
    """True when the first data line is LEGUS-like: numbers only, 34-60 of them, no header line.

    A UTF-8 byte-order mark before it (Windows Notepad's "UTF-8 with BOM") is no part of the line: the
    copy was read as a generic table, its columns col1..col36, and refused for "required column 'id'".
    """
    lines = [ln for ln in _head(p).lstrip(_HEAD_BOM).splitlines() if ln.strip()]
    # the comment rule of every reader (is_comment_line): an indented '  # exported' line was the first data line
    first = next((ln for ln in lines if not is_comment_line(ln)), "")
    tokens = legus_tokens(first)
    # a decimal comma in a tab-separated copy (Excel's "Unicode Text"): the LEGUS reader says what to do
    return LEGUS_MIN_COLS <= len(tokens) <= LEGUS_MAX_COLS and all(legus_line_token(v) for v in tokens)


def _starts_as_html(p: Path) -> bool:
    """Whether a file opens as an HTML page (``<!DOCTYPE html`` or ``<html``, any case), as no table does.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "report.html"
    >>> _ = f.write_text("<!DOCTYPE html><html lang='en'>")
    >>> _starts_as_html(f)
    True
    """
    try:
        with open_table_file(p, "rb") as fh:
            head = fh.read(4096).lstrip(b" \t\r\n\xef\xbb\xbf")[:14].lower()
    except OSError:
        return False
    return head.startswith((b"<!doctype html", b"<html"))


def _starts_as_json(p: Path) -> bool:
    """Whether a file's first non-blank character opens a JSON object or array (no text table starts so).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "s.json"
    >>> _ = f.write_text(' {"n": 3}')
    >>> _starts_as_json(f)
    True
    """
    try:
        with open_table_file(p, "rb") as fh:
            head = fh.read(4096).lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    except OSError:
        return False
    return head in (b"{", b"[")


def read_catalog(
    path: PathLike,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    *,
    one_based: bool | None = None,
    allow_empty: bool = False,
    wcs: WCS | None = None,
    galaxy: str | None = None,
    bands: list[str] | tuple[str, ...] | None = None,
    require_xy: bool = True,
    classes: Sequence[int] = (),
    any_classes: bool = False,
    ids_within_field: bool = False,
    require_positions: bool = True,
) -> Table:
    """Read a catalogue and return it in the starclass schema.

    Parameters
    ----------
    path
        The catalogue file.
    fmt
        One of :data:`FORMATS`; guessed when None.
    column_map
        Source column -> schema column renames, applied first (e.g. ``{"X_IMAGE": "x",
        "Y_IMAGE": "y", "MAG_V": "mag_f555w"}``).
    one_based
        True if the file's x, y are 1-based (FITS/IRAF/DS9 convention) and must have 1
        subtracted. None: the format's convention (LEGUS, PHANGS and SExtractor ``X_IMAGE``
        are 1-based; ``x``/``xcentroid`` columns 0-based).
    allow_empty
        Accept a catalogue without rows (otherwise an error).
    wcs
        An astropy WCS (or a :class:`~starclass.io.mosaic.MosaicSet`): used to compute x, y
        from ra, dec when the file has no pixel positions, or for the rows whose x, y are empty
        (``meta["xy_from_wcs_rows"]`` counts them; the other rows keep their own).
    galaxy
        Galaxy name for the ``galaxy`` column; by default taken from the file name
        (``ngc1566``) when it contains one.
    bands
        LEGUS only: the five bands of the magnitude columns, blue to red (default: from a
        ``.readme`` beside the file, the fields we know, or the file name; see
        :func:`starclass.io.legus.legus_bands`).
    require_xy
        If False, a catalogue with ra, dec but no x, y (and no WCS) is accepted, as are rows
        with empty x, y and a valid ra, dec (left NaN, placed by :func:`place_on_mosaics`); a
        row with neither is always an error.
    require_positions
        If False (with ``require_xy=False``), a table with neither ``x``, ``y`` nor ``ra``, ``dec``
        is read too: ``evaluate``'s reference of ids and classes (``id,class_ref``), paired by id.
    classes
        Class values ``class_ref`` and ``class_pred`` may hold beyond 0-4 and those the table declares
        (:func:`declared_classes`): the classes of the task it is read for (``evaluate`` passes them for a
        reference catalogue, which records no task of its own).
    any_classes
        Accept any positive whole class value (``info`` without ``--task``: a catalogue described, not used;
        it counts the values no task declares by number and says so). Other values are still refused.
    ids_within_field
        Where the table has a ``field`` column, ids need only be unique within a field (a table of
        several fields: ``train --cv`` on a store of two fields, ``classify --stamps``; each field's
        candidates are numbered from 1). ``evaluate`` reads its tables so; a catalogue read to cut
        stamps from one mosaic keeps the plain rule.

    Returns
    -------
    astropy.table.Table
        Schema columns (0-based x, y; NaN for missing magnitudes; ``class_ref`` int, 0 = none)
        plus the file's other columns under lower-case names. ``meta`` records the source
        file, its format and the position convention that was converted.

    Raises
    ------
    StarclassError
        Missing or unreadable file, unknown format, a required column missing (named), no
        rows, duplicate ids or invalid classes (the row is named).

    Examples
    --------
    A CSV with 0-based x, y; the galaxy comes from the file name, classes become int16:

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "ngc1566_candidates.csv"
    >>> _ = p.write_text("id,x,y,class_ref\\n1,10.5,20.0,1\\n2,30.0,40.0,4\\n")
    >>> t = read_catalog(p)
    >>> t.colnames, t["x"].tolist(), str(t["galaxy"][0]), t["class_ref"].dtype.name
    (['id', 'x', 'y', 'class_ref', 'galaxy'], [10.5, 30.0], 'ngc1566', 'int16')
    """
    p = Path(path)
    if not p.exists():
        # the words of every command's missing input, a link's target included ("catalogue file not found: loop")
        raise StarclassError(no_such_path(p, "catalogue"))
    if p.is_dir():
        raise StarclassError(f"expected a catalogue file, got a directory: {p}")
    if not is_fits_name(p) and (damage := compressed_damage(p)) is not None:
        # a text table kept compressed and cut short (a LEGUS .tab.gz, a .csv.gz): said before its format is told
        raise StarclassError(damage)
    fmt = (fmt or guess_format(p)).lower()
    if fmt not in FORMATS:
        raise StarclassError(f"unknown catalogue format {fmt!r} for {p}; known: {', '.join(FORMATS)}")
    if wcs is not None and hasattr(wcs, "wcs") and hasattr(wcs, "bands"):
        wcs = wcs.wcs  # a MosaicSet

    if fmt == "legus":
        table = read_legus_tab(p, bands=bands, one_based=True if one_based is None else one_based,
                               column_map=column_map)
    else:
        raw = _read_generic(p, fmt)
        for key in READ_RECORDS:
            # an ECSV written by starclass keeps the meta of its own read: that read's conversions were
            # said again of this one (info: "units converted: ra hourangle (text) -> deg" of plain degrees)
            raw.meta.pop(key, None)
        if fmt == "ds9":
            one_based = False  # the regions package gives DS9's 1-based image positions 0-based
        if column_map:
            raw = _rename(raw, column_map, p)
        if "PHANGS_X" in raw.colnames or fmt == "phangs":
            table = _phangs_to_schema(raw, p, one_based=True if one_based is None else one_based)
            fmt = "phangs"
        else:
            table = _generic_to_schema(raw, p, one_based=one_based, mapped=dict(column_map or {}))
    table.meta["source"] = str(p)
    table.meta["format"] = fmt
    if fmt in ("ascii", "csv"):
        # which text it is, for people (format_words): 'info c.txt' of a ';' table said "(format ascii)"
        table.meta["text_separator"] = text_separator(p) if fmt == "ascii" else csv_dialect(p)[1]

    sky_field = table.meta.get("field_from_sky")
    # a renamed LEGUS file (ngc628c.tab) is the galaxy its positions lie in, not 'ngc628c'; a pointing's
    # letter (-c, -e, -n, -s, -w) is no part of the galaxy's name
    gal = galaxy or (re.sub(r"-[a-z]$", "", sky_field) if sky_field else galaxy_from_name(p.name))
    if gal and "galaxy" not in table.colnames:
        table["galaxy"] = np.full(len(table), gal, dtype=f"<U{max(len(gal), 1)}")
    lacks = ID not in table.colnames or not ({X, Y} <= set(table.colnames) or {RA, DEC} <= set(table.colnames))
    if fmt == "csv" and lacks and (header := commented_header(p)) is not None:
        # '#id,x,y' skipped as a comment: "required column 'id' missing (columns: 1, 10.5, 20.0)" said not why
        raise StarclassError(f"required columns missing in {p}: {header}")
    return validate_catalog(table, p, allow_empty=allow_empty, wcs=wcs, require_xy=require_xy, classes=classes,
                            any_classes=any_classes, ids_within_field=ids_within_field,
                            require_positions=require_positions)


#: What a person calls each reader's tables (:func:`format_words`); ``ascii`` is said by its separator
_FORMAT_WORDS = {
    "legus": "LEGUS", "phangs": "PHANGS", "cds": "CDS (VizieR byte-by-byte)", "mrt": "AAS machine-readable table",
    "csv": "CSV", "ecsv": "ECSV", "parquet": "Parquet", "pq": "Parquet", "fits": "FITS", "ds9": "DS9 regions",
}

#: A text table's separator as a person names it
_SEPARATOR_WORDS = {";": "semicolon", "\t": "tab", ",": "comma", " ": "whitespace"}


def format_words(fmt: str, separator: str | None = None) -> str:
    r"""What a person calls a table of reader format ``fmt`` (one of :data:`FORMATS`), for messages and ``info``.

    ``ascii`` is astropy's name for the text tables it reads by guessing; it said nothing to the person who
    saved a ``;`` table as ``.txt``. Such a table is named by its separator (``separator``, as
    :func:`read_catalog` records it in ``meta["text_separator"]``): ``semicolon-separated text``; a CSV
    separated by other than commas says so too.

    Parameters
    ----------
    fmt : str
        The reader's format (``table.meta["format"]``); a name not known is returned as it is.
    separator : str, optional
        The text table's field separator (``;``, a tab, ``,``, or a blank for whitespace).

    Returns
    -------
    str

    Examples
    --------
    >>> format_words("ascii", ";"), format_words("ascii", " "), format_words("csv", "\t")
    ('semicolon-separated text', 'whitespace-separated text', 'CSV, tab-separated')
    >>> format_words("legus"), format_words("fits"), format_words("mrt")
    ('LEGUS', 'FITS', 'AAS machine-readable table')
    """
    sep = _SEPARATOR_WORDS.get(separator or "")
    if fmt == "ascii":
        return f"{sep or 'whitespace'}-separated text"
    words = _FORMAT_WORDS.get(fmt, fmt)
    if fmt == "csv" and sep and separator != ",":
        words += f", {sep}-separated"
    return words


def text_separator(path: PathLike) -> str:
    r"""The field separator of a text table read by astropy's guesses (``.txt``, ``.dat``): ``;``, a tab, ``,`` or
    a blank (whitespace).

    ``;`` where :func:`is_semicolon_text` says so (the table is then read as a ``;`` CSV); a tab where the
    header line (the first neither blank nor a comment) has one; ``,`` where the header and the rows below
    split on commas into one count of more than one cell; else a blank.

    Parameters
    ----------
    path : str or os.PathLike
        The text table.

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.txt"
    >>> _ = f.write_text("# note\nid\tx\n1\t2.5\n")
    >>> text_separator(f) == "\t"
    True
    >>> _ = f.write_text("id x\n1 2.5\n")
    >>> text_separator(f)
    ' '
    """
    p = Path(path)
    if is_semicolon_text(p):
        return ";"
    lines = [ln for ln in _head(p, 65536).splitlines() if ln.strip() and not is_comment_line(ln)][:51]
    if not lines:
        return " "
    if "\t" in lines[0]:
        return "\t"
    if _separator(lines) == ",":
        counts = [len(row) for row in csv.reader(lines) if row]
        if counts[0] > 1 and all(c == counts[0] for c in counts):
            return ","
    return " "


def catalog_format(path: PathLike) -> str:
    """The astropy format :func:`write_catalog` uses for ``path``, from its extension.

    Commands call it before their work, so a wrong extension fails at once.

    Parameters
    ----------
    path
        The catalogue to be written.

    Returns
    -------
    str
        An astropy ``Table.write`` format name.

    Raises
    ------
    StarclassError
        When the extension is not one of ``.ecsv``, ``.parquet``, ``.fits``, ``.csv``.

    Examples
    --------
    >>> catalog_format("candidates.ecsv"), catalog_format("out.fits.gz")
    ('ascii.ecsv', 'fits')
    >>> catalog_format("out.csv.gz")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot write out.csv.gz compressed: catalogues are written uncompressed, \
but for FITS (.fits.gz); give out.csv (then compress it, e.g. gzip out.csv) or a .fits.gz name
    """
    p = Path(path)
    name = p.name.lower()
    for ext in sorted(_WRITE_FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return _WRITE_FORMATS[ext]
    from starclass.io.compressed_text import inner_name

    inner = inner_name(p.name)
    if inner != p.name and any(inner.lower().endswith(ext) for ext in _WRITE_FORMATS):
        # the readers take out.csv.gz since 2026-12-06: said why the writers do not, and what to give instead of
        # "cannot tell the catalogue format", which read as if .csv.gz were unknown
        raise StarclassError(f"cannot write {p} compressed: catalogues are written uncompressed, but for FITS "
                             f"(.fits.gz); give {p.with_name(inner)} (then compress it, e.g. gzip "
                             f"{p.with_name(inner).name}) or a .fits.gz name")
    raise StarclassError(
        f"cannot tell the catalogue format of {p}: use one of {', '.join(sorted(_WRITE_FORMATS))}")


def check_fits_text(table: Table, path: PathLike) -> None:
    """Refuse, naming the column, row and value, text a FITS table cannot hold (non-ASCII).

    A cutout folder's file names (``Ströme/é_b039.fits``) pass through to ``classify --stamps``
    output; FITS stores text as ASCII, and astropy's ``UnicodeEncodeError`` named neither the
    column nor the row, after the whole classification.

    Parameters
    ----------
    table : astropy.table.Table
        The table to be written.
    path : path-like
        The FITS file it is for (named in the message).

    Raises
    ------
    StarclassError
        A string cell with a non-ASCII character.

    Examples
    --------
    >>> check_fits_text(Table({"file": ["a.png", "b.png"]}), "out.fits")
    >>> try:
    ...     check_fits_text(Table({"file": ["a.png", "é.png"]}), "out.fits")
    ... except StarclassError as exc:
    ...     print(str(exc).split(":")[1].strip())
    column 'file' row 2 holds 'é.png'
    """
    for name in table.colnames:
        col = table[name]
        if getattr(col.dtype, "kind", "") not in ("U", "O"):
            continue
        for i, v in enumerate(col.tolist()):
            if isinstance(v, str) and not v.isascii():
                raise StarclassError(
                    f"{path}: column {name!r} row {i + 1} holds {v!r}: a FITS table holds ASCII text only; "
                    "write .ecsv, .parquet or .csv")


def write_catalog(table: Table, path: PathLike, *, overwrite: bool = False) -> Path:
    """Write a catalogue atomically; the format follows the extension.

    ``.ecsv`` (keeps units and types; the default choice), ``.parquet``, ``.fits`` and ``.csv``.
    A failure leaves no partial file (and the previous file, if any, untouched).

    Parameters
    ----------
    table : astropy.table.Table
        The catalogue.
    path : path-like
        Where to write it; the extension picks the format.
    overwrite : bool
        Replace an existing file. Default False, as astropy's ``Table.write``: an existing
        file is refused (:class:`StarclassError`) and left as it was.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from astropy.table import Table
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_catalog(Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0]}), Path(d) / "c.ecsv")
    ...     try:
    ...         write_catalog(Table({"id": [9]}), p)
    ...     except StarclassError as exc:
    ...         print("refused:", exc.args[0].endswith("exists (overwrite=False); give overwrite=True to replace it"))
    refused: True
    """
    p = Path(path)
    fmt = catalog_format(p)
    if p.exists() and not overwrite:
        # said with the argument that replaces it: "exists (overwrite=False)" left a notebook user to guess
        raise OutputExistsError(exists_refusal(p), p)
    out = table.copy(copy_data=False)
    if fmt == "fits":
        check_fits_text(out, p)
        if units := _non_fits_units(out):
            # TUNIT holds the FITS standard's units only: astropy dropped bkg's electron / (pix s) without a word
            out.meta[FITS_UNITS_KEY] = units
        out.meta = _fits_safe_meta(out.meta)
    try:
        with atomic_path(p) as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.write(tmp, format=fmt, overwrite=True)
    except StarclassError:
        raise
    except Exception as exc:
        raise StarclassError(f"cannot write catalogue {p}: {type(exc).__name__}: {exc}") from None
    return p


#: The suffix :func:`keep_input_columns` gives an input's own column: ``_input``, ``_input2``, ...
_KEPT_SUFFIX = re.compile(r"^(?P<base>.+?)(?P<suffix>_input\d*)$")


def kept_input_name(name: str) -> tuple[str, str] | None:
    """``(original name, suffix)`` of a column :func:`keep_input_columns` renamed, else None.

    Parameters
    ----------
    name : str
        A column name.

    Returns
    -------
    tuple of (str, str) or None
        The name the column had in the input and the suffix it was given.

    Examples
    --------
    >>> kept_input_name("class_pred_input"), kept_input_name("prob_joint_2_input2"), kept_input_name("class_pred")
    (('class_pred', '_input'), ('prob_joint_2', '_input2'), None)
    """
    m = _KEPT_SUFFIX.match(name)
    return (m.group("base"), m.group("suffix")) if m else None


def keep_input_columns(out: Table, names: Iterable[str], source: str | os.PathLike, *,
                       what: str = "carry the names of classify's own output columns",
                       one_suffix: bool = False) -> list[str]:
    """Rename the input's own columns that carry the names of classify's output columns.

    A CSV with a ``class_pred`` or ``prob_1`` of its own (a catalogue's earlier classification,
    a survey's ``quality`` flag) lost it without a word under the new values; a ``model`` column
    of its own was kept and then read by ``evaluate`` as the path of the model that classified
    the rows. They are kept as ``<name>_input`` (``_input2`` ... if that is taken too), with a
    warning naming them.

    Parameters
    ----------
    out : astropy.table.Table
        The output table (the input's columns copied), renamed in place.
    names : iterable of str
        The column names classify writes; those present in ``out`` are renamed.
    source : str or path-like
        The input, named in the warning.
    what : str
        Why they are renamed, in the warning.
    one_suffix : bool
        Give every renamed column the same suffix, the first one free for all of them: the
        columns of one earlier classification (``class_pred``, ``prob_<k>``) stay together, so
        ``evaluate --pred-column class_pred_input2`` reads ``prob_<k>_input2`` with it.

    Returns
    -------
    list of str
        ``"'old' -> 'new'"`` for each renamed column (empty: none).

    Examples
    --------
    >>> import warnings
    >>> t = Table({"class_joint": [1], "class_joint_input": [2]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     keep_input_columns(t, ["class_joint", "prob_1"], "cat.ecsv")
    ["'class_joint' -> 'class_joint_input2'"]
    >>> t = Table({"class_pred": [1], "class_pred_input": [2], "prob_1": [0.9]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     keep_input_columns(t, ["class_pred", "prob_1"], "cat.ecsv", one_suffix=True)
    ["'class_pred' -> 'class_pred_input2'", "'prob_1' -> 'prob_1_input2'"]
    """
    present = [n for n in dict.fromkeys(names) if n in out.colnames]

    def suffix(k: int) -> str:
        return "_input" if k == 1 else f"_input{k}"

    common = 1
    while one_suffix and any(f"{n}{suffix(common)}" in out.colnames for n in present):
        common += 1
    renamed = []
    for name in present:
        k = common
        while f"{name}{suffix(k)}" in out.colnames:
            k += 1
        new = f"{name}{suffix(k)}"
        out.rename_column(name, new)
        renamed.append(f"{name!r} -> {new!r}")
    if renamed:
        # the number the list has: "column(s) of the input carry ... and are kept renamed" read so for one column
        one = len(renamed) == 1
        said = f"carries {what[len('carry '):]}" if one and what.startswith("carry ") else what
        warnings.warn(f"{source}: {'a column' if one else 'columns'} of the input {said} and {'is' if one else 'are'} "
                      f"kept renamed: {', '.join(renamed)}",
                      stacklevel=3)
    return renamed


def galaxy_from_name(name: str) -> str | None:
    """A galaxy name found in a file name (``ngc1566``, ``ngc0628c``, ``ic4247``, ``m51``, ``eso486-g021``), or None.

    An ESO galaxy is named by its ESO field and its object in that field (ESO 486-G021): both are
    kept, as ``eso486-g021``, the name :data:`starclass.science.many.FIELD_DISTANCES_MPC` knows.

    Parameters
    ----------
    name
        A file name (a LEGUS ``hlsp_legus_hst_<cameras>_<field>_multiband_...tab``, a mosaic).

    Returns
    -------
    str or None
        The galaxy in lower case without spaces or underscores, None where the name holds none.

    Examples
    --------
    >>> galaxy_from_name("hlsp_legus_hst_wfc3_ngc1566_multiband.tab"), galaxy_from_name("field_a.csv")
    ('ngc1566', None)
    >>> galaxy_from_name("hlsp_legus_hst_wfc3_eso486-g021_multiband_v2_padagb-mwext-avgapcor.tab")
    'eso486-g021'
    """
    m = re.search(r"(?<![a-z0-9])(eso[-_]?(\d+)[-_]?g[-_]?(\d+)|(?:ngc|ic|ugc|ugca|eso|pgc)[-_]?\d+[a-z]?|m\d{1,3})"
                  r"(?![0-9])", name.lower())
    if not m:
        return None
    if m.group(2):
        # ESO 486-G021: the field alone ('eso486', which it was read as until 2026-12-07) is no galaxy, and
        # no distance is known under it, so evaluate said none for the LEGUS file of ESO 486-G021
        return f"eso{m.group(2)}-g{m.group(3)}"
    return m.group(1).replace("_", "").replace("-", "")


# ---------------------------------------------------------------------------------------------
# LEGUS


# ---------------------------------------------------------------------------------------------
# PHANGS

_PHANGS_MAG = re.compile(r"^PHANGS_(F\d{3,4}[A-Z]+)_VEGA_TOT(_ERR)?$", re.I)
_PHANGS_FIXED = {
    "PHANGS_X": X, "PHANGS_Y": Y, "PHANGS_RA": RA, "PHANGS_DEC": DEC,
    "PHANGS_CI": "ci",
    "PHANGS_CLUSTER_CLASS_HUMAN": CLASS_REF,
    "PHANGS_CLUSTER_CLASS_ML_VGG": CLASS_PRED,
    "PHANGS_CLUSTER_CLASS_ML_VGG_QUAL": "quality",
    "PHANGS_AGE_MINCHISQ": "age", "PHANGS_MASS_MINCHISQ": "mass", "PHANGS_EBV_MINCHISQ": "ebv",
    "PHANGS_AGE_MINCHISQ_ERR": "age_err", "PHANGS_MASS_MINCHISQ_ERR": "mass_err",
    "PHANGS_EBV_MINCHISQ_ERR": "ebv_err",
}
_PHANGS_ID = ("ID_PHANGS_CLUSTER", "ID_PHANGS_CLUSTERS", "ID_PHANGS_CLUSTERS_V1P2", "INDEX")


def _phangs_to_schema(raw: Table, path: Path, one_based: bool) -> Table:
    upper = {c.upper(): c for c in raw.colnames}
    t = Table(meta=dict(raw.meta))
    t.meta["format"] = "phangs"
    t.meta["one_based_input"] = one_based
    t.meta["magsys"] = "vega"
    used: set[str] = set()

    id_src = next((upper[k] for k in _PHANGS_ID if k in upper), None)
    if id_src is None:
        id_src = next((c for c in raw.colnames if c.upper().startswith("ID_PHANGS")), None)
    if id_src is None and ID in raw.colnames:
        id_src = ID
    where = f" in {path}"
    if id_src is not None:
        # a text id ('11a', a blank) in a text table ended in a traceback: "invalid literal for int()"
        ids = numeric_column(raw, id_src, where=where)
        if (bad := np.flatnonzero(~np.isfinite(ids) | (np.nan_to_num(ids) % 1 != 0))).size:
            value = np.ma.asarray(raw[id_src]).tolist()[bad[0]]
            raise StarclassError(f"catalogue column {id_src!r}{where} row {bad[0] + 1} is "
                                 f"{'blank' if value is None else repr(value)}, not a whole number (an id)")
        t[ID] = ids.astype(np.int64)
        used.add(id_src)
    if "PHANGS_CLUSTER_CLASS_HUMAN" not in upper and "PHANGS_CLUSTER_CLASS" in upper:
        upper_map = dict(_PHANGS_FIXED, PHANGS_CLUSTER_CLASS=CLASS_REF)
    else:
        upper_map = dict(_PHANGS_FIXED)
    if "PHANGS_CLUSTER_CLASS_ML_VGG" not in upper and "PHANGS_CLUSTER_CLASS_ML_RESNET" in upper:
        upper_map["PHANGS_CLUSTER_CLASS_ML_RESNET"] = CLASS_PRED
    src_of: dict[str, str] = {}
    for src_u, dst in upper_map.items():
        if src_u in upper:
            src = upper[src_u]
            t[dst] = _plain(raw[src])
            used.add(src)
            src_of[dst] = src
    off = 1.0 if one_based else 0.0
    for c in (X, Y):
        if c in t.colnames:
            # named as the file names it (PHANGS_X), row by row: a text cell was a bare "could not convert string"
            t[c] = numeric_column(raw, src_of[c], where=where) - off
    for c in raw.colnames:
        m = _PHANGS_MAG.match(c)
        if m:
            band = m.group(1).lower()
            name = magerr_col(band) if m.group(2) else mag_col(band)
            v = numeric_column(raw, c, where=where).copy()
            v[(v >= MAG_MISSING) | (v <= -MAG_MISSING)] = np.nan
            t[name] = v
            used.add(c)
    for cls in (CLASS_REF, CLASS_PRED):
        if cls in t.colnames:
            v = numeric_column(raw, src_of[cls], where=where)
            v = np.where(np.isfinite(v) & np.isin(v, CLASSES), v, 0)
            t[cls] = v.astype(np.int16)
    for c in raw.colnames:
        if c in used:
            continue
        name = c.lower()
        if name in t.colnames:
            name = f"phangs_{name}"
        t[name] = raw[c]
    set_units(t)
    return t


# ---------------------------------------------------------------------------------------------
# generic tables


def read_table(path: PathLike) -> Table:
    r"""A table file as it is, columns unrenamed: the reading layer of :func:`read_catalog`.

    For tables that are not candidate catalogues (people's votes) but should be read the way
    catalogues are: spreadsheet CSVs (a byte-order mark, ``;`` or tab separators), zero-padded
    ids kept as text, Parquet without pandas.

    Parameters
    ----------
    path
        A CSV, ECSV, Parquet or FITS table.

    Returns
    -------
    astropy.table.Table

    Raises
    ------
    StarclassError
        The file cannot be read, naming it and the format tried.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "votes.csv"
    >>> _ = f.write_text("id;class_h1\n007;2\n")
    >>> read_table(f)["id"].tolist()
    ['007']
    """
    p = Path(path)
    return _read_generic(p, guess_format(p))


def _is_empty_file(p: Path) -> bool:
    try:
        return p.is_file() and p.stat().st_size == 0
    except OSError:
        return False


def _read_generic(p: Path, fmt: str) -> Table:
    from starclass.io.cutout_folders import is_hdf5, not_utf8_message, stamp_store_error

    if is_hdf5(p):
        # the store `starclass cutouts` writes, given as a catalogue (evaluate, report, suggest, --votes):
        # read as text it failed with "cannot read stamps.h5 as ascii: UnicodeDecodeError ... byte 0x89"
        raise stamp_store_error(p, catalogue=True)
    # the label database of 'starclass inspect --db' given as a catalogue (info, evaluate, report): read as text
    # it failed with "cannot read labels.db as ascii: UnicodeDecodeError ..."
    refuse_database(p)
    if fmt not in ("fits", "parquet") and (damage := compressed_damage(p)) is not None:
        # a .csv.gz cut short, before the looks at its lines below meet its end: astropy's "chr() arg not in range"
        raise StarclassError(damage)
    # what holds the table: a PHANGS catalogue (--format phangs) is a FITS, CSV, ... or whitespace text table
    container = _phangs_container(p) if fmt == "phangs" else fmt
    if container == "ascii" and is_semicolon_text(p):
        # a ';' table saved as .txt or .dat (European Excel's CSV renamed): astropy's whitespace reader made its
        # header one column, refused as "required column 'id' missing (columns: id;x;y)"
        container = "csv"
    if container == "csv" and is_ecsv_text(p):
        container = "ecsv"  # an ECSV named .csv: its header is '#' lines, which a CSV's comments now skip
    if container not in ("fits", None) and _is_empty_file(p):
        # astropy's words for it were "ECSV header line like '# %ECSV <version>' not found as first line" (ECSV),
        # "required column 'id' missing ... (columns: none)" (CSV), "none of astropy's text formats ... reads it";
        # a FITS file says so itself (io.mosaic.unreadable_fits)
        raise StarclassError(f"{p} is empty (0 bytes), not a table")
    if container in ("csv", "ecsv", "ascii", "cds", "mrt"):
        # a NUL byte (a binary file named .csv, a copy cut short) was "cannot read x.csv as csv:
        # InconsistentTableError: Number of header columns (0) inconsistent with data columns in data line 0"
        refuse_non_text(p)
    astropy_fmt = {
        "csv": "ascii.csv", "ecsv": "ascii.ecsv", "parquet": "parquet", "fits": "fits",
        "cds": "ascii.cds", "mrt": "ascii.mrt", "ascii": "ascii", "ds9": None, None: None,
    }[container]
    if fmt == "ds9":
        # a DS9 region file of positions: read as a whitespace table it was refused with "required column
        # 'id' missing ... (columns: image)", or "none of astropy's text formats ... reads it" for fk5
        from starclass.io.regions import read_regions_table

        return read_regions_table(p)
    if astropy_fmt not in ("fits", "parquet") and _starts_as_json(p):
        # a one-line JSON read as a table of no rows ("has no rows"), a longer one as astropy's 70 lines of
        # format guesses (info of evaluate's summary.json, train --cv's cv_summary.json)
        raise StarclassError(f"cannot read {p} as a table: it is JSON (e.g. a summary or manifest starclass wrote), "
                             "not a catalogue")
    if astropy_fmt not in ("fits", "parquet") and p.suffix.lower() in (".yaml", ".yml"):
        # a task file given as a catalogue ('info mine.yaml') was read as a table of one column named after its
        # first line: "catalogue mine.yaml has no rows"
        raise StarclassError(f"cannot read {p} as a table: it is YAML (a task file, given as --task, or a survey "
                             "plan, given to 'starclass survey'), not a catalogue")
    if astropy_fmt not in ("fits", "parquet") and _starts_as_html(p):
        # a report page given as a catalogue: astropy's format guesses ran for minutes over its embedded
        # figures (info report.html, 1.7 MB, still running after 7 minutes)
        raise StarclassError(f"cannot read {p} as a table: it is an HTML page (e.g. a report starclass wrote), not "
                             "a catalogue; give the table as CSV, ECSV, Parquet or FITS")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if astropy_fmt is None:
                table = Table.read(p)
            elif astropy_fmt == "fits":
                table = _read_fits_table(p)
            elif astropy_fmt == "parquet":
                table = _read_parquet(p)
            else:
                # a compressed table's bytes as the looks above decompressed them: astropy's own decompression was one
                # more of the whole file (benchmarks/bench_compressed_read.py)
                table = Table.read(table_source(p), format=astropy_fmt, **_text_options(p, container))
    except StarclassError:
        raise
    except UnicodeDecodeError:
        # a CSV saved in the Windows code page ('é' as the byte 0xe9): the message was "cannot read X as
        # csv: UnicodeDecodeError: ... byte 0xe9 in position 27", a position in no line of the file
        raise StarclassError(not_utf8_message(p)) from None
    except Exception as exc:
        # ImportError: astropy's "optional package uncompresspy is necessary" for a .fits.Z, said with the remedy
        if astropy_fmt == "fits" and isinstance(exc, (OSError, ImportError)):
            from starclass.io.mosaic import unreadable_fits

            # the mosaics' words: "as fits: OSError: No SIMPLE card found ... try with ignore_missing_simple=True"
            # offered an option no command has
            raise StarclassError(unreadable_fits(p, exc)) from None
        if container == "csv" and (ragged := csv_ragged_line(p)) is not None:
            # astropy's "Number of header columns (3) inconsistent with data columns in data line 1" counted the
            # data rows from 0 after the header, where the row is line 3 of the file
            raise StarclassError(f"cannot read {p} as a table: {ragged}") from None
        if "Unable to guess table format" in str(exc):
            # a row with a field more or fewer than the others (a value left out, a name with a space in it) made
            # every guess fail: the message named neither the row nor why
            if container == "ascii" and _semicolon_header_only(p) and (ragged := csv_ragged_line(p)) is not None:
                # 'id; x; y' with a short row: its lines were counted in blank-separated words ("values are
                # separated by blanks"), though the header is a ';' table's
                raise StarclassError(f"cannot read {p} as a table separated by ';': {ragged}") from None
            if container == "ascii" and (ragged := _ragged_line(p)) is not None:
                raise StarclassError(f"cannot read {p} as a table: {ragged}") from None
            # astropy's message lists its ~60 guesses over 70 lines
            raise StarclassError(f"cannot read {p} as a table: none of astropy's text formats (CSV, ECSV, "
                                 "whitespace-separated, CDS/MRT, ...) reads it") from None
        from astropy.io.registry import IORegistryError

        if isinstance(exc, IORegistryError):
            # astropy's "Format could not be identified" came with its 70-line table of formats
            # ('info junk.dat --format phangs': a PHANGS table's container is told by its name)
            raise StarclassError(f"cannot read {p} as {fmt}: astropy cannot tell its format from its name or first "
                                 f"bytes; name it with its format's suffix: starclass reads {_read_kinds()}") from None
        if container == "ecsv" and isinstance(exc, (TypeError, KeyError, IndexError, AttributeError)):
            from starclass.io.cutout_folders import raised_by_reader

            if raised_by_reader(exc):
                # astropy's "TypeError: 'int' object is not iterable" of '# datatype: 5' said nothing of where
                raise StarclassError(f"cannot read {p} as ECSV: its header (the YAML in its '#' lines) is not as "
                                     f"astropy writes it ({type(exc).__name__}: {exc}); write the table again, "
                                     "or save it as CSV") from None
            raise  # raised in starclass: a bug, not a bad file
        raise StarclassError(f"cannot read {p} as {fmt}: {type(exc).__name__}: {exc}") from None
    if container == "ascii" and len(table.colnames) == 1 and "\t" in table.colnames[0] and (
            ragged := _ragged_line(p)) is not None:
        # a tab table with a row of a field more or fewer passes astropy's guesses as one column of whole lines,
        # each cell a row's text ('invalid literal for int()' of a PHANGS id, a traceback)
        raise StarclassError(f"cannot read {p} as a table: {ragged}")
    if container == "ascii" and len(table.colnames) == 1 and ";" in table.colnames[0] and (
            ragged := csv_ragged_line(p)) is not None:
        # a ';' table renamed .txt with a row of a field more or fewer (not read as ';', is_semicolon_text): it was
        # "required column 'id' missing (columns: id;x;y)", which did not say what is wrong with the file
        raise StarclassError(f"cannot read {p} as a table separated by ';': {ragged}")
    if container in ("csv", "ascii"):
        # '--' (astropy's masked value), 'null', 'N/A' ... and typeset minus signs: the column was kept as text and
        # info stopped on a magnitude '--' with a traceback
        read_spelled_numbers(table, p)
    if container == "csv":
        refuse_short_rows(table, p)
        # European Excel's ';' CSV writes 11,5 for 11.5; outside the reader's silenced warnings, since a
        # tab-separated file's decimal commas are warned of
        read_decimal_commas(table, p)
    if astropy_fmt == "fits":
        restore_fits_meta(table, p)
    if container == "csv" and len(table.colnames) > 1 and is_index_header(_csv_header(p)):
        # pandas' row index (to_csv's default): it was a column 'col0' beside the data
        table.remove_column(table.colnames[0])
        warnings.warn(index_column_note(p), UserWarning, stacklevel=3)
    if container == "csv":
        restore_csv_decision(table)  # classify's decision threshold, kept as columns where there is no meta
        restore_csv_coverage(table)  # and the conformal sets' coverage
    # Parquet and FITS keep a text cell's padding ('cluster   ' of a fixed-width FITS column), where the CSV and ECSV
    # readers strip it: the same labels were other class names, info counts and label maps by format
    strip_text_columns(table)
    check_recorded_meta(table, p)
    return table


def strip_text_columns(table: Table) -> Table:
    """Strip the blanks around every text cell of ``table``, in place, as astropy's CSV and ECSV readers strip them.

    The one place the table readers (:func:`read_table`, :func:`read_catalog`, classified lists) do it: a
    Parquet or FITS table keeps the padding a fixed-width string column was written with (``'cluster   '``), or a
    leading blank, which a CSV of the same table loses, so the same labelled table printed other class names,
    counted other labels and matched a task's label map otherwise by its format. Masked cells stay masked; byte
    strings are stripped as bytes.

    Parameters
    ----------
    table : astropy.table.Table
        A table as read.

    Returns
    -------
    astropy.table.Table
        The same table.

    Examples
    --------
    >>> t = strip_text_columns(Table({"label": ["cluster   ", " star"], "n": [1, 2]}))
    >>> t["label"].tolist(), t["n"].tolist()
    (['cluster', 'star'], [1, 2])
    """
    for name in table.colnames:
        col = table[name]
        if getattr(col, "dtype", None) is None or col.dtype.kind not in "US" or not len(col):
            continue
        data = np.asarray(col.data if not hasattr(col, "mask") else np.ma.getdata(col))
        stripped = np.char.strip(data)
        if np.array_equal(stripped, data):
            continue  # nothing to strip: the column (its width, its meta) as read
        if isinstance(col, MaskedColumn):
            new = MaskedColumn(stripped, mask=col.mask, name=name, unit=col.unit, description=col.description,
                               meta=col.meta)
        else:
            new = Column(stripped, name=name, unit=col.unit, description=col.description, meta=col.meta)
        table.replace_column(name, new)
    return table


#: The containers a PHANGS table is read from as their names tell them; any other name is read as a text table
_PHANGS_CONTAINERS = ("fits", "csv", "ecsv", "parquet", "cds", "mrt")


def _phangs_container(p: Path) -> str | None:
    """The format of the file that holds a PHANGS table (``--format phangs``): its name's, else text, else None.

    A name that tells none (``cat.dat``, ``cat.txt``) is read as a text table (whitespace, tab, ...: astropy's
    guesses), as a catalogue of that name without ``--format`` is: astronomers keep PHANGS catalogues as plain
    text with a header line, and ``info cat.dat --format phangs`` was refused as a format astropy cannot tell.
    A file of binary bytes (a NUL in its first 4 kB) is not text: None, and astropy is asked to tell it.
    """
    kind = guess_format(p)
    if kind in _PHANGS_CONTAINERS:
        return kind
    try:
        with open_table_file(p, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "ascii"  # the reader names the file it cannot open
    # UTF-16 text (Excel's "Unicode Text", its byte-order mark first) has a NUL in every other byte
    return "ascii" if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" not in head else None


def is_semicolon_text(path: PathLike) -> bool:
    r"""Whether a text table not named ``.csv`` is separated by ``;``, as European Excel writes a CSV.

    True where its header line (the first neither blank nor a comment, :func:`is_comment_line`) splits into
    more cells on ``;`` than on blanks, none of them empty, and each of the next 50 rows into as many; blanks
    beside a ``;`` (``id; x; y``) are no separators of their own, so such a header reads as ``id;x;y`` does.
    Only then: such a header read as whitespace-separated is one column named ``id;x;y``, a table no command
    takes, so a file read before is read as before; a row of a different count further down is named by
    the CSV reader (:func:`csv_ragged_line`).

    Parameters
    ----------
    path : str or os.PathLike
        The text table (``.txt``, ``.dat``, ...).

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.txt"
    >>> _ = f.write_text("# from Excel\nid;x;note\n1;2,5;NGC 628\n")
    >>> is_semicolon_text(f)
    True
    >>> _ = f.write_text("id; x; note\n1; 2,5; NGC 628\n")
    >>> is_semicolon_text(f)
    True
    >>> _ = f.write_text("id x note\n1 2.5 a;b\n")
    >>> is_semicolon_text(f)
    False
    """
    p = Path(path)
    encoding, sep = csv_dialect(p)
    if sep != ";":
        return False
    try:
        with open_table_file(p, encoding=encoding, newline="") as fh:
            lines = CsvLines(fh)
            rows = []
            for row in csv.reader(lines, delimiter=";"):
                rows.append(row)
                if len(rows) > 50:
                    break
    except (OSError, UnicodeError, csv.Error):
        return False
    if rows and is_sep_line(rows[0]):
        rows = rows[1:]  # Excel's 'sep=;' line above the header says it too
    if not rows:
        return False
    return _semicolon_header(rows[0]) and all(len(row) == len(rows[0]) for row in rows[1:])


def _semicolon_header(cells: list[str]) -> bool:
    """Whether a header line split on ``;`` into ``cells`` is a ``;`` table's: more cells than blank-separated
    words, none empty. Blanks beside a ``;`` are padding (``id; x; y``, as people type it and some exports
    write it), not separators: counted as such, ``id; x; y`` split into as many cells on blanks as on ``;``
    and was read as columns ``id;``, ``x;``."""
    blank_split = len(re.sub(r"\s*;\s*", ";", ";".join(cells)).split())
    return len(cells) > max(1, blank_split) and all(cell.strip() for cell in cells)


def _semicolon_header_only(p: Path) -> bool:
    """Whether the header line of a text table is a ``;`` table's (:func:`_semicolon_header`), its rows aside."""
    encoding, sep = csv_dialect(p)
    if sep != ";":
        return False
    try:
        with open_table_file(p, encoding=encoding, newline="") as fh:
            rows = [row for _, row in zip(range(2), csv.reader(CsvLines(fh), delimiter=";"))]
    except (OSError, UnicodeError, csv.Error):
        return False
    if rows and is_sep_line(rows[0]):
        rows = rows[1:]
    return bool(rows) and _semicolon_header(rows[0])


#: A field of a whitespace-separated line: a double-quoted value (spaces and all), else a run of non-blanks
_FIELD = re.compile(r'"(?:[^"]|"")*"|[^\s"]+')


def _ragged_line(p: Path) -> str | None:
    r"""Which line of a whitespace or tab table has more or fewer fields than its first, and how many; else None.

    The first line that is neither blank nor a ``#`` comment (the header line, or the first row of a table
    without one) sets the count; fields are split on tabs where that line has one, else on blanks (a
    double-quoted value is one field). Lines are counted from 1, as an editor numbers them.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "cat.dat"
    >>> _ = f.write_text("# PHANGS clusters\nid x y class\n1 2.5 3.0 1\n2 4.0 2\n")
    >>> _ragged_line(f).split(";")[0]
    'line 4 has 3 fields where the header (line 2) has 4'
    >>> _ = f.write_text("id x y\n1 2.5 3.0\n")
    >>> _ragged_line(f) is None
    True
    """
    try:
        with open_table_file(p, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    else:
        text = raw.decode("utf-8-sig", errors="replace")
    first: tuple[int, int, list[str]] | None = None
    tabs = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or is_comment_line(line):
            continue
        if first is None:
            tabs = "\t" in line
        n = len(line.rstrip("\r\n").split("\t")) if tabs else len(_FIELD.findall(line))
        if first is None:
            first = (number, n, _FIELD.findall(line))
        elif n != first[1]:
            head = "the first row" if all(_is_float(v) for v in first[2]) else "the header"
            how = ("each line needs a value in every column, between tabs" if tabs else
                   "values are separated by blanks: one with a blank in it goes in double quotes, and a missing "
                   "one needs a placeholder (nan, --)")
            return f"line {number} has {counted(n, 'field')} where {head} (line {first[0]}) has {first[1]}; {how}"
    return None


#: How a message names a CSV's field separator
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def is_comment_line(line: str) -> bool:
    r"""Whether a line of a text table is a comment: its first non-blank character is ``#``.

    The one rule of every text reader (CSV, whitespace and LEGUS tables, cutout lists, fields
    lists, survey plans), so that they agree on which line is the first of the data: an indented
    ``   # note`` is a comment as much as ``# note`` is. A ``#`` after other text is data.

    Parameters
    ----------
    line : str
        One line of the file, with or without its line end.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_comment_line("# exported"), is_comment_line("  \t# note"), is_comment_line("1,#2")
    (True, True, False)
    """
    return line.lstrip().startswith("#")


class CsvLines:
    r"""The lines of an open CSV for :func:`csv.reader`, its comment and blank lines left out, each line's number kept.

    VizieR and TOPCAT exports, and hand-kept files, start with ``#`` lines (a query, a note), and a
    source is commented out among the rows; astropy's CSV reader read such a line as the header or a
    row. A line whose first non-blank character is ``#`` (:func:`is_comment_line`) is a comment, as
    the catalogue reader (``comment="#"``) skips it, unless it continues a quoted value that runs
    over lines; a ``#`` after the first cell (``1,#2``) or inside quotes (``"# x",1``) is data. A
    blank line, spaces or tabs only (an editor's trailing line), is left out as astropy leaves it out,
    except inside a quoted value, where it is part of the value as written (a note of two paragraphs).

    Parameters
    ----------
    lines : iterable of str
        The file's lines (an open file, ``newline=""``).

    Attributes
    ----------
    numbers : list of int
        The file line (from 1) of each line handed on, for messages.

    Examples
    --------
    >>> import csv, io
    >>> lines = CsvLines(io.StringIO('# TOPCAT\nid,note\n# 2 left out\n1,"# a\n# b"\n3,x#\n'))
    >>> list(csv.reader(lines)), lines.numbers
    ([['id', 'note'], ['1', '# a\n# b'], ['3', 'x#']], [2, 4, 5, 6])
    >>> lines = CsvLines(io.StringIO('id,note\n1,"a\n\nb"\n  \n'))
    >>> list(csv.reader(lines)), lines.numbers
    ([['id', 'note'], ['1', 'a\n\nb']], [1, 2, 3, 4])
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._number = 0
        self._quoted = False
        self.numbers: list[int] = []

    def __iter__(self) -> CsvLines:
        return self

    def __next__(self) -> str:
        while True:
            line = next(self._lines)
            self._number += 1
            if self._quoted or (line.strip() and not is_comment_line(line)):
                break
        # an odd count of quotes leaves a quoted value open into the next line ("" is a quote inside one)
        self._quoted ^= line.count('"') % 2 == 1
        self.numbers.append(self._number)
        return line


def commented_header(path: PathLike) -> str | None:
    r"""Words for a CSV whose header looks written as a comment (``#id,x,y``); else None.

    Some exports write the header line as ``#id,x,y``. A ``#`` line is a comment (:class:`CsvLines`), so the first
    row was taken for the header and the file refused with "required column 'id' missing (columns: 1, 10.5,
    20.0)", which did not say why. The last ``#`` line above the first line that is no comment looks like the
    header when it splits into as many fields as that line (two or more) and one of them is not a number (a row
    commented out is all numbers but its text cells, a header none). The caller says this only where the
    table lacks its required columns: a file with a header of its own keeps its ``#`` lines as comments.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    str or None
        ``"line 1 '#id,x,y' looks like the header written as a comment; remove the '#'"``, else None (no such
        line, or the file cannot be read: its reader says why).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("# exported 2026-12-06\n#id,x,y\n1,2,3\n")
    >>> commented_header(f)
    "line 2 '#id,x,y' looks like the header written as a comment; remove the '#'"
    >>> _ = f.write_text("# 1,2,3\n4,5,6\n")
    >>> commented_header(f) is None
    True
    """
    p = Path(path)
    encoding, sep = csv_dialect(p)
    last: tuple[int, str] | None = None
    try:
        with open_table_file(p, encoding=encoding, errors="replace", newline="") as fh:
            for number, line in enumerate(fh, start=1):
                text = line.strip()
                if not text:
                    continue
                if text.startswith("#"):
                    last = (number, text)
                    continue
                first = next(csv.reader([text], delimiter=sep), [])
                if is_sep_line(first):
                    continue  # Excel's 'sep=;' above the rows
                break
            else:
                return None
    except (OSError, csv.Error):
        return None
    if last is None:
        return None
    cells = [c.strip() for c in next(csv.reader([last[1].lstrip("#").strip()], delimiter=sep), [])]
    if len(cells) < 2 or len(cells) != len(first) or not any(c and not _reads_as_number(c) for c in cells):
        return None
    shown = last[1] if len(last[1]) <= 60 else last[1][:57] + "..."
    return f"line {last[0]} {shown!r} looks like the header written as a comment; remove the '#'"


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_ragged_line(path: PathLike) -> str | None:
    r"""Which line of a CSV has more or fewer fields than its header, and how many; else None.

    The file is split as the catalogue reader splits it (:func:`csv_table_options`: the
    separator, the encoding, Excel's ``sep=`` line). Lines are counted from 1 as an editor
    numbers them, the header and blank lines included (astropy's "data line 1" counted the
    data rows from 0). A quoted value may hold the separator, and a row ending in a separator
    ends in an empty cell (``4,5,`` is three fields), so neither is ragged.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    str or None
        ``"line L has N fields where the header (line H) has M; ..."`` with what to do, for the
        first such line; None when every row has as many fields as the header, or the file
        cannot be read (its reader says why).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("id,x,y\n1,2,3\n4,5,6,7\n")
    >>> csv_ragged_line(f).split(";")[0]
    'line 3 has 4 fields where the header (line 1) has 3'
    >>> _ = f.write_text("id,x,y\n1,\"2,5\",3\n4,5,\n")
    >>> csv_ragged_line(f) is None
    True
    """
    p = Path(path)
    options = _text_options(p, "csv")
    sep = options.get("delimiter", ",")
    header: tuple[int, int] | None = None
    try:
        with open_table_file(p, encoding=options.get("encoding", "utf-8"), errors="replace", newline="") as fh:
            lines = CsvLines(fh)
            reader = csv.reader(lines, delimiter=sep)
            seen = 0
            for cells in reader:
                start, seen = lines.numbers[seen], len(lines.numbers)  # a quoted value may run over lines
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # a blank line, skipped by astropy too
                if header is None:
                    if not is_sep_line(cells):  # Excel's 'sep=;' above the header
                        header = (start, len(cells))
                    continue
                if len(cells) != header[1]:
                    return _ragged_csv_words(start, len(cells), header, sep)
    except (OSError, csv.Error):
        return None
    return None


def _ragged_csv_words(line: int, n: int, header: tuple[int, int], sep: str) -> str:
    name = _SEPARATOR_NAMES.get(sep, repr(sep))
    if n > header[1]:
        how = f"a value with a {name} in it goes in double quotes"
    else:
        how = f"a row needs a cell for every column: leave a missing value empty but keep its {name}"
    return f"line {line} has {counted(n, 'field')} where the header (line {header[0]}) has {header[1]}; {how}"


def is_ecsv_text(path: PathLike) -> bool:
    r"""Whether a file starts as an ECSV does (``# %ECSV``), whatever its name.

    A CSV's ``#`` lines are comments, skipped; an ECSV's header is ``#`` lines too, and an ECSV
    named ``.csv`` is read as ECSV, not as the one column of its space-separated rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("# %ECSV 1.0\n# ---\nid x\n1 2\n")
    >>> is_ecsv_text(f), is_ecsv_text(f.with_name("none.csv"))
    (True, False)
    """
    try:
        with open_table_file(path, "rb") as fh:
            head = fh.read(16)
    except (OSError, EOFError, zlib.error, lzma.LZMAError):
        # a compressed file cut short or damaged is no ECSV here: its reader names the damage (compressed_damage)
        return False
    return head.removeprefix(_BOM).startswith(b"# %ECSV")


def read_csv_table(path: PathLike) -> Table:
    r"""A CSV read with astropy as the catalogue reader reads it, a row of more or fewer fields refused by line.

    For the readers of CSV tables outside :func:`read_catalog` (classified cutout lists,
    predictions): :func:`csv_table_options` (a spreadsheet's separator, byte-order mark and
    ``sep=`` line), and a row whose fields do not match the header named by its file line
    (:func:`csv_ragged_line`), where astropy named its "data line" counted from 0 after the header.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    astropy.table.Table

    Raises
    ------
    StarclassError
        A row with more fields than the header, naming the file and the line; a directory, an empty file
        or one with a NUL byte (:func:`refuse_non_text`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = f.write_text("file,class_pred\na.png,1\nb.png,0,2\n")
    >>> read_csv_table(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot read .../out.csv as a table: line 3 has 3 fields where the header ...
    """
    p = Path(path)
    # a directory, an empty file and a binary one were IsADirectoryError, a table of no columns, and astropy's
    # "Number of header columns (0) inconsistent with data columns in data line 0"
    refuse_non_text(p)
    if is_ecsv_text(p):
        # its header, '#' lines, would be skipped as a CSV's comments
        return Table.read(table_source(p), format="ascii.ecsv")
    try:
        table = Table.read(table_source(p), format="ascii.csv", **csv_table_options(p))
    except ValueError:  # astropy's InconsistentTableError: "... in data line 1"
        if (ragged := csv_ragged_line(p)) is not None:
            raise StarclassError(f"cannot read {p} as a table: {ragged}") from None
        raise
    read_spelled_numbers(table, p)  # '--', 'N/A' and typeset minus signs, as the catalogue reader reads them
    return refuse_short_rows(table, p)


#: First bytes of whole-file compressions -> (the compressor's name, the command that writes the text beside it)
_COMPRESSIONS = {
    b"\x1f\x8b": ("gzip", "gzip -dc"), b"BZh": ("bzip2", "bzip2 -dc"), b"\xfd7zXZ\x00": ("xz", "xz -dc"),
    b"\x1f\x9d": ("Unix compress (.Z)", "uncompress -c <"), b"PK\x03\x04": ("zip", "unzip -p"),
}


def compressed_text_refusal(path: PathLike, head: bytes | None = None) -> str | None:
    r"""What to say of a text table kept compressed that is not read so here (``.zip``, ``.Z``, ...); else None.

    The readers of catalogues and of cutout lists read a text table compressed with gzip, bzip2 or xz, and Unix
    compress (``.Z``) where astropy does (with the optional package uncompresspy), as the text inside
    (:func:`starclass.io.compressed_text.open_table_file`): None for them. A zip archive is read as a FITS file
    only. The compression is told by the first bytes, whatever the name, and the message gives the command that
    writes the text beside it (``unzip -p cat.csv.zip > cat.csv``); Unix compress (``.Z``) is said so by name,
    and ``uncompress`` decompresses it. Until 2026-12-07 the reader of cutout lists read none compressed and
    was refused here with the command (``gzip -dc labels.csv.gz > labels.csv``).

    Parameters
    ----------
    path : str or os.PathLike
        The table.
    head : bytes, optional
        Its first bytes (as on disk), where the caller has read them.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import gzip, io, tempfile, pathlib, zipfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv.gz").write_bytes(gzip.compress(b"file,label\na.png,1\n"))
    >>> compressed_text_refusal(d / "labels.csv.gz") is None
    True
    >>> with zipfile.ZipFile(d / "cat.csv.zip", "w") as zf:
    ...     zf.writestr("cat.csv", "id,x,y\n1,2,3\n")
    >>> print(compressed_text_refusal(d / "cat.csv.zip").replace(str(d), "d"))  # doctest: +NORMALIZE_WHITESPACE
    d/cat.csv.zip is a text table compressed with zip, which starclass reads as a FITS file only (a text table
    may be compressed with gzip, bzip2 or xz); decompress it first: 'unzip -p d/cat.csv.zip > d/cat.csv' writes
    d/cat.csv
    """
    p = Path(path)
    if head is None:
        try:
            with open(p, "rb") as fh:
                head = fh.read(8)
        except OSError:
            return None
    found = next(((name, how) for magic, (name, how) in _COMPRESSIONS.items() if head.startswith(magic)), None)
    if found is None:
        return None
    name, how = found
    lzw = name.startswith("Unix compress")
    if name in ("gzip", "bzip2", "xz") or (lzw and astropy_reads_lzw()):
        return None  # read as the text inside (open_table_file)
    if name == "zip":
        import zipfile

        try:
            with zipfile.ZipFile(p) as zf:
                members = zf.namelist()
        except (OSError, zipfile.BadZipFile):
            return None  # a zip cut short: the reader's own words
        if "[Content_Types].xml" in members or "mimetype" in members:
            # an Excel or LibreOffice workbook is a zip too: "unzip" would give its XML parts, not a table
            return f"{p} is a spreadsheet workbook (Excel or OpenDocument), not a text table; save it as CSV UTF-8"
        if len(members) != 1:
            return (f"{p} is a zip archive of {counted(len(members), 'file')}, not a table; unzip it and give the "
                    "table itself")
    plain = p.name
    for comp in (".gz", ".bz2", ".xz", ".z", ".zip", ".tgz"):
        if plain.lower().endswith(comp) and len(plain) > len(comp):
            plain = plain[: -len(comp)]
            break
    out = p.with_name(plain)
    if out == p or out.exists():
        # a name that does not say the compression, or a plain copy already there: written under a new name
        stem, dot, ext = plain.rpartition(".")
        out = p.with_name(f"{stem}_uncompressed.{ext}" if dot and stem else f"{plain}_uncompressed")
    command = shown_command(f"{how} {shell_word(p)} > {shell_word(out)}")
    if lzw:
        why = "which astropy reads only with the optional package uncompresspy ('pip install uncompresspy')"
    else:
        why = "which starclass reads as a FITS file only (a text table may be compressed with gzip, bzip2 or xz)"
    return f"{p} is a text table compressed with {name}, {why}; decompress it first: {command} writes {out}"


def refuse_non_text(path: PathLike) -> None:
    r"""Refuse, naming it, a path that is no text table: a directory, an empty or blank file, one with a NUL byte.

    A NUL byte is in no text table: the file is binary (an image, a store) or was cut short when a disk
    filled. UTF-16 text (Excel's "Unicode Text", with or without its byte-order mark) is text, its NULs
    every other byte. A file that cannot be opened is left to the reader, which names it. A text table
    compressed with gzip, bzip2 or xz is looked at inside (:func:`starclass.io.compressed_text.open_table_file`);
    one cut short or damaged, a zip archive and a ``.Z`` astropy cannot read here are refused naming it
    (:func:`compressed_text_refusal`).

    Parameters
    ----------
    path : str or os.PathLike
        The table.

    Raises
    ------
    StarclassError
        Naming the file, and the line of the first NUL byte.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes(b"file,label\na.png,1\n\0\0\0\n")
    >>> refuse_non_text(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot read .../t.csv as a table: line 3 holds a NUL byte, which no text ...
    """
    p = Path(path)
    if p.is_dir():
        raise StarclassError(f"{p} is a directory, not a table file")
    if (refusal := compressed_text_refusal(p)) is not None:
        # a zip, or a .Z without uncompresspy: "line 1 holds a NUL byte, which no text table does (a binary file, or
        # one cut short when a disk filled)" said nothing of the compression
        raise StarclassError(refusal)
    if (damage := compressed_damage(p)) is not None:
        # a .csv.gz cut short: astropy's "chr() arg not in range(0x110000)", or a row cut mid-line
        raise StarclassError(damage)
    try:
        # a gzip, bzip2 or xz file looked at inside: an archive's cat.csv.gz is read as the CSV it holds
        with open_table_file(p, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return
    if not head:
        raise StarclassError(f"{p} is empty (0 bytes), not a table")
    if len(head) < 65536 and not head.lstrip(_BOM).strip():
        raise StarclassError(f"{p} holds only blank lines, not a table")
    if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and utf16_without_mark(head) is None:
        line = head[:head.index(b"\0")].count(b"\n") + 1
        raise StarclassError(f"cannot read {p} as a table: line {line} holds a NUL byte, which no text table "
                             "does (a binary file, or one cut short when a disk filled)")


def refuse_short_rows(table: Table, path: PathLike) -> Table:
    r"""Refuse a CSV read with astropy whose row has fewer fields than the header, naming its file line.

    astropy fills a short row's missing cells as blanks (masked), so ``4,5`` under ``id,x,y`` was
    read as a row with no ``y``, and the message that followed blamed the column ("no valid position
    in row 2"), not the row that lost a field. Only a table with a blank cell is looked at again
    (:func:`csv_ragged_line`); a row ending in a separator (``4,5,``) has its last cell empty, not missing.

    Parameters
    ----------
    table : astropy.table.Table
        The table as astropy read it from ``path``.
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    astropy.table.Table
        ``table``, unchanged.

    Raises
    ------
    StarclassError
        A row with fewer (or more) fields than the header, naming the file and the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
    >>> _ = f.write_text("id,x,y\n1,2,3\n4,5,\n")
    >>> refuse_short_rows(Table.read(f, format="ascii.csv"), f)["y"].mask.tolist()
    [False, True]
    >>> _ = f.write_text("id,x,y\n1,2,3\n4,5\n")
    >>> refuse_short_rows(Table.read(f, format="ascii.csv"), f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot read .../b.csv as a table: line 3 has 2 fields where the header ...
    """
    if table.has_masked_values and (ragged := csv_ragged_line(path)) is not None:
        raise StarclassError(f"cannot read {path} as a table: {ragged}")
    return table


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return (_is_number(value) and np.isfinite(value) and float(value) == int(value)) or \
        (isinstance(value, str) and value.strip().lstrip("+-").isdigit())


def _is_merge_groups(value: Any) -> bool:
    # one merge: a label -> the classes it holds ({"cluster": [1, 2], "other": [3, 4]})
    return isinstance(value, Mapping) and all(
        isinstance(v, (list, tuple)) and all(_is_whole(c) for c in v) for v in value.values())


#: What ``classify`` (and ``evaluate``'s tables) record in a catalogue's meta, read back as numbers,
#: classes and merges by evaluate, report, info, explain and suggest: the test a value must pass, and
#: what it should be, for the message. None (a FITS card without a value) always passes.
_RECORDED_META: dict[str, tuple[Callable[[Any], bool], str]] = {
    "classes": (lambda v: isinstance(v, str) or (isinstance(v, (list, tuple)) and all(_is_whole(c) for c in v)),
                "a list of whole-number classes, e.g. [1, 2, 3, 4]"),
    "class_names": (lambda v: isinstance(v, (str, list, tuple)), "a list of class names"),
    "threshold": (lambda v: _is_number(v) and bool(np.isfinite(v)), "a number (the decision threshold)"),
    "positive_class": (_is_whole, "a whole-number class"),
    "coverage": (lambda v: _is_number(v) and 0 < v < 1, "a number between 0 and 1 (the conformal sets' coverage)"),
    "temperature": (lambda v: _is_number(v) and bool(np.isfinite(v)) and v > 0,
                    "a positive number (the calibration temperature)"),
    "eval_merges": (lambda v: isinstance(v, Mapping) and all(_is_merge_groups(g) for g in v.values()),
                    "merges: a name -> {label: [classes]} for each, e.g. {binary: {cluster: [1, 2], other: [3, 4]}}"),
    "reference_merge": (lambda v: isinstance(v, Mapping) and all(_is_whole(k) and _is_whole(c) for k, c in v.items()),
                        "a class -> class mapping, e.g. {3: 2}"),
    "label_map": (lambda v: isinstance(v, Mapping) and all(_is_whole(c) for c in v.values()),
                  "a label -> class mapping, e.g. {cluster: 1}"),
}


def check_recorded_meta(table: Table, path: PathLike) -> Table:
    """Refuse a table whose meta holds a recorded value of the wrong kind, naming the file and the key.

    ``classify`` records the task's classes, merges, decision threshold and calibration in the
    meta, which ``evaluate``, ``report`` and ``info`` read back. A hand-edited ECSV header
    (``threshold: high``, ``class_names: 5``, ``reference_merge: [1, 2]``) or a FITS table
    written by another program (astropy writes None as a card without a value) stopped those
    commands with a ``ValueError`` or ``TypeError`` traceback. A FITS card without a value is
    read as None (not recorded); any other value that is not of its kind is refused here.

    Parameters
    ----------
    table : astropy.table.Table
        A table just read; ``meta`` is changed in place (valueless FITS cards become None).
    path : path-like
        The file, named in the message.

    Returns
    -------
    astropy.table.Table
        ``table``.

    Raises
    ------
    StarclassError
        ``PATH: its meta 'threshold' is 'high', not a number ...``.

    Examples
    --------
    >>> check_recorded_meta(Table({"id": [1]}, meta={"threshold": 0.4, "classes": [1, 2]}), "ok.ecsv").meta
    {'threshold': 0.4, 'classes': [1, 2]}
    >>> check_recorded_meta(Table({"id": [1]}, meta={"threshold": "high"}), "c.ecsv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: c.ecsv: its meta 'threshold' is 'high', not a number (the decision threshold); ...
    """
    for key, value in list(table.meta.items()):
        if isinstance(value, fits.card.Undefined):
            table.meta[key] = None  # astropy's FITS writer keeps None as a card without a value
    for key, (ok, kind) in _RECORDED_META.items():
        value = table.meta.get(key)
        if value is None or ok(value):
            continue
        raise StarclassError(
            f"{path}: its meta {key!r} is {value!r}, not {kind}; 'starclass classify' records it there: correct "
            "that line of the header (or delete it, and give --task) or classify the catalogue again")
    return table


_SQLITE_MAGIC = b"SQLite format 3\x00"


def refuse_database(path: PathLike, *, instead: str = "a catalogue (a CSV, ECSV, Parquet or FITS table)") -> None:
    """Refuse a SQLite database (``inspect --db``'s labels) given where a catalogue or votes table is read.

    Read as a text table it failed with a ``UnicodeDecodeError`` (info, evaluate, report), and as a
    votes table (``suggest --labels``, ``train --labels``) with "cannot tell the catalogue format";
    neither said that the labels are exported with ``inspect --export``.

    Parameters
    ----------
    path : str or os.PathLike
        The file given.
    instead : str
        What was expected there, as the message says it ("a FITS mosaic" where mosaics are read).

    Raises
    ------
    StarclassError
        ``path`` is a SQLite file: the message says how to export its labels as a table.

    Examples
    --------
    >>> refuse_database(Path(__file__))  # a Python file: not a database, nothing raised
    """
    p = Path(path)
    if _is_sqlite(p):
        raise StarclassError(
            f"{p} is a SQLite database (the label database of 'starclass inspect --db'?), not {instead}; "
            "export its labels as a table first: "
            f"{shown_command(f'starclass inspect DATA_DIR --db {shell_word(p)} --export labels.ecsv')} (or --stamps "
            "LIST --task MODEL for cutouts), and give that file")


def _is_sqlite(p: Path) -> bool:
    """Whether the file ``p`` starts with SQLite's header (a database, such as inspect's ``--db``).

    Examples
    --------
    >>> import sqlite3, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sqlite3.connect(Path(d) / "l.db").execute("create table t (x)").connection.commit()
    ...     _is_sqlite(Path(d) / "l.db"), _is_sqlite(Path(__file__))
    (True, False)
    """
    try:
        with open(p, "rb") as fh:
            return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


_BOM = b"\xef\xbb\xbf"


def _text_options(p: Path, fmt: str) -> dict:
    r"""Reader options for a text table as spreadsheets write them.

    Excel's "CSV UTF-8" starts the file with a byte-order mark, which would otherwise become
    part of the first column's name (``\ufeffid``: "column 'id' missing" beside a column
    shown as ``id``); Excel in locales with a decimal comma separates fields with ``;``, and
    tab-separated exports are often named ``.csv``. A ``.csv`` whose header line has no comma
    but has one of those separators is read with it. Excel's separator line above the header
    (``sep=;``, written by tools that export for Excel) gives the separator, and the header is
    the line below it (read as the header it failed with "Number of header columns (1)
    inconsistent with data columns"). A file that starts with a UTF-16 byte-order mark (Excel's
    "Unicode Text", tab-separated) is read as UTF-16, as :func:`csv_dialect` reads it: it was
    refused as "not UTF-8 text", saved in the Windows code page. A CSV's ``#`` lines are comments
    (:class:`CsvLines`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_bytes("id\tx\ty\r\n1\t2.5\t3\r\n".encode("utf-16"))
    >>> sorted(_text_options(f, "csv").items())
    [('comment', '#'), ('delimiter', '\t'), ('encoding', 'utf-16')]
    >>> _ = f.write_bytes(b"\xef\xbb\xbfid;x;y\n1;2.5;3\n")
    >>> sorted(_text_options(f, "csv").items())
    [('comment', '#'), ('delimiter', ';'), ('encoding', 'utf-8-sig')]
    >>> _ = f.write_bytes(b"sep=;\r\nid;x;y\r\n1;2.5;3\r\n")
    >>> sorted(_text_options(f, "csv").items())
    [('comment', '#'), ('data_start', 2), ('delimiter', ';'), ('header_start', 1)]
    """
    try:
        with open_table_file(p, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return {}  # the reader reports the file
    options: dict[str, str] = {}
    if head.startswith(_BOM):
        options["encoding"] = "utf-8-sig"
        text = head[len(_BOM):].decode("utf-8", errors="replace")
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" (UTF-16, tab-separated, often renamed .csv), as csv_dialect reads it: refused
        # as "not UTF-8 text ... saved in the Windows code page" before. The head may end inside a character
        options["encoding"] = "utf-16"
        text = head.decode("utf-16", errors="replace")
    elif (unmarked := utf16_without_mark(head)) is not None:
        # UTF-16 without its mark (a script's or database's export): read as UTF-8 every other character was a NUL,
        # invisible in the messages ("a CSV plan needs columns name and mosaics (has name, mosaics)")
        options["encoding"] = unmarked
        text = head.decode(unmarked, errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    if fmt == "csv":
        # '#' lines (a VizieR or TOPCAT export's notes, a source commented out) are comments, as CsvLines skips
        # them; astropy's CSV reader read them as the header or a row
        options["comment"] = "#"
        lines = text.splitlines()
        body = [ln for ln in lines if ln.strip() and not is_comment_line(ln)]
        declared = None
        if body and re.fullmatch(r"sep=.?", body[0].strip("\r\n "), flags=re.IGNORECASE):
            # astropy counts the header and data lines past blank and comment lines, as body does
            declared = body[0].strip("\r\n ")[4:] or None
            body = body[1:]
            options.update(header_start=1, data_start=2)
        if len(head) == 65536:
            body = body[:-1]  # the head may end inside its last line
        sep = declared if declared is not None else _separator(body)
        if sep != ",":
            options["delimiter"] = sep
        text_ids = _zero_padded_id_columns(body, sep)
    elif fmt == "ascii":
        # a whitespace or tab table (.txt, .dat) lost its zero-padded ids as the CSV did ('007' read as 7,
        # where the same rows as .csv kept '007' and matched their source's ids)
        body = [ln for ln in text.splitlines() if ln.strip() and not is_comment_line(ln)]
        if len(head) == 65536:
            body = body[:-1]
        text_ids = _zero_padded_id_columns(body, "\t" if body and "\t" in body[0] else None)
    else:
        text_ids = []
    if text_ids:
        from astropy.io.ascii import convert_numpy

        options["converters"] = {name: [convert_numpy(str)] for name in text_ids}
    return options


def utf16_without_mark(head: bytes) -> str | None:
    r"""``"utf-16-le"`` or ``"utf-16-be"`` for text that is UTF-16 without a byte-order mark; else None.

    Text of the Latin alphabet in UTF-16 has a NUL in every other byte: the second of each pair (little
    endian) or the first (big endian). Most of those bytes NUL, and next to none of the others, says so;
    a binary file's NULs fall anywhere.

    Parameters
    ----------
    head : bytes
        The file's first bytes.

    Returns
    -------
    str or None

    Examples
    --------
    >>> utf16_without_mark("id,x\n1,2\n".encode("utf-16-le")), utf16_without_mark("id,x\n".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> utf16_without_mark(b"id,x\n1,2\n") is None, utf16_without_mark(bytes(range(16))) is None
    (True, True)
    """
    pairs = len(head) // 2
    if pairs < 2 or b"\0" not in head:
        return None
    even = head[0:2 * pairs:2].count(0) / pairs
    odd = head[1:2 * pairs:2].count(0) / pairs
    if odd >= 0.6 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.6 and odd <= 0.05:
        return "utf-16-be"
    return None


def csv_dialect(path: PathLike) -> tuple[str, str]:
    r"""Encoding and field separator of a CSV as spreadsheets write it, for :mod:`csv` readers.

    The catalogue reader's rules (:func:`_text_options`) for the CSVs read with :mod:`csv`
    (cutout folders' ``labels.csv``, survey plans, ``--fields`` lists, ``suggest --labels``):
    ``utf-8-sig`` reads a file with or without Excel's byte-order mark, and a header line
    without a comma but with ``;`` or a tab is split on that. A file starting with a UTF-16
    byte-order mark (Excel's "Unicode Text", tab-separated, often renamed ``.csv``) is read as
    UTF-16: as UTF-8 it failed with "can't decode byte 0xff in position 0".

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = f.write_bytes(b"\xef\xbb\xbffile;label\na.png;cluster\n")
    >>> csv_dialect(f)
    ('utf-8-sig', ';')
    >>> _ = f.write_bytes("file\tlabel\na.png\tcluster\n".encode("utf-16"))
    >>> csv_dialect(f)
    ('utf-16', '\t')
    """
    options = _text_options(Path(path), "csv")  # UTF-16 (Excel's "Unicode Text") included, its sep= line too
    encoding = options.get("encoding", "")
    return (encoding if encoding.startswith("utf-16") else "utf-8-sig"), options.get("delimiter", ",")


def _separator(lines: Sequence[str]) -> str:
    r"""The field separator of a CSV's header and first lines: ``,``, ``;`` or a tab.

    The one that splits the header into more than one cell and every line below (of the first 50)
    into as many, the most cells of all such; else, as before, ``,`` where the header has a comma,
    else ``;`` or a tab where it has one. A ``;`` file with a comma in a header name (``comment,
    free``) was split on commas: "Number of header columns (2) inconsistent with data columns",
    or, with one comma on each line, two wrong columns.

    Examples
    --------
    >>> _separator(["id;x;comment, free", "1;10,5;round, faint"]), _separator(["id,x,note", "1,2,a;b"])
    (';', ',')
    >>> _separator(["file\tlabel", "a.png\tcluster"]), _separator(["id;x", "1;2;3"])
    ('\t', ';')
    """
    sample = list(lines[:51])
    header = sample[0] if sample else ""
    best, most = None, 1
    for sep in (",", ";", "\t"):
        if sep not in header:
            continue
        counts = [len(row) for row in csv.reader(sample, delimiter=sep) if row]
        if counts and counts[0] > most and all(c == counts[0] for c in counts[1:]):
            best, most = sep, counts[0]
    if best is not None:
        return best
    return "," if "," in header else next((c for c in (";", "\t") if c in header), ",")


#: How tables spell a missing number, lower case: astropy's masked value (``--``), databases' and pandas'
#: (``null``, ``NA``, ``None``), spreadsheets' (``N/A``, ``#N/A``, ``-``) and ``nan``, besides an empty cell.
MISSING_SPELLINGS = frozenset({"", "--", "-", "null", "n/a", "#n/a", "na", "none", "nan"})

#: The minus sign of typeset tables (U+2212), copied from a paper's PDF or HTML: no minus to ``float``
UNICODE_MINUS = "\u2212"


def _spelled_number(text: str) -> float | None:
    try:
        return None if "_" in text else float(text.replace(UNICODE_MINUS, "-"))
    except ValueError:
        return None


def spelled_numbers(values: Sequence[Any]) -> np.ma.MaskedArray | None:
    r"""A text column as numbers where each cell is a number or a missing value's spelling; else None.

    Tables written by astropy (``--`` for a masked value), databases and pandas (``null``, ``NA``,
    ``None``) and spreadsheets (``N/A``, ``-``) spell a missing number as text, and numbers copied
    from a paper carry its minus sign (U+2212, ``−1.5``); the CSV reader kept such a column as text,
    and ``info`` stopped on a magnitude ``'--'`` with a traceback. Only a column with at least one
    number, and one such spelling or minus sign, is converted; every other text column is left as it is.

    Parameters
    ----------
    values : sequence
        The column's cells (masked ones None).

    Returns
    -------
    numpy.ma.MaskedArray or None
        Integers where every number is whole, else floats; masked where a value is missing
        (:data:`MISSING_SPELLINGS`, case and blanks aside).

    Examples
    --------
    >>> spelled_numbers(["21.5", "--", "N/A", "\u22120.25"]).tolist()
    [21.5, None, None, -0.25]
    >>> spelled_numbers(["1", "null", "3"]).dtype.kind, spelled_numbers(["1", "n/a", "star"])
    ('i', None)
    """
    cells = [None if v is None or v is np.ma.masked else str(v).strip() for v in values]
    numbers: list[float | None] = []
    changed = False
    for c in cells:
        if c is None or c.lower() in MISSING_SPELLINGS:
            numbers.append(None)
            changed = changed or (c is not None and c.lower() != "nan")
            continue
        number = _spelled_number(c)
        if number is None:
            return None
        numbers.append(number)
        changed = changed or UNICODE_MINUS in c
    if not changed or all(n is None for n in numbers):
        return None
    given = [n for n in numbers if n is not None]
    whole = all(np.isfinite(n) and float(n).is_integer() and "." not in c and "e" not in c.lower()
                for n, c in zip(numbers, cells) if n is not None)
    dtype = np.int64 if whole and max(abs(n) for n in given) < 2 ** 62 else float
    filled = [0 if n is None else n for n in numbers]
    return np.ma.MaskedArray(np.asarray(filled, dtype=dtype), mask=[n is None for n in numbers])


def read_spelled_numbers(table: Table, path: PathLike | None = None) -> list[str]:
    r"""Read a text table's columns of numbers with spelled missing values or U+2212 minus signs as numbers, in place.

    :func:`spelled_numbers` for each text column; a missing value becomes a masked cell, as an empty
    cell is read.

    Parameters
    ----------
    table : astropy.table.Table
        As read from a CSV or whitespace table.
    path : str or os.PathLike, optional
        The file (unused; for the callers' symmetry with :func:`read_decimal_commas`).

    Returns
    -------
    list of str
        The columns converted.

    Examples
    --------
    >>> t = Table({"mag_f555w": ["21.5", "--"], "name": ["a", "-"]})
    >>> read_spelled_numbers(t), t["mag_f555w"].mask.tolist()
    (['mag_f555w'], [False, True])
    """
    done = []
    for name in table.colnames:
        col = table[name]
        if col.dtype.kind not in "US" or col.ndim != 1:
            continue
        values = spelled_numbers(_cells(col))
        if values is not None:
            table[name] = MaskedColumn(values, name=name, unit=col.unit, description=col.description)
            done.append(name)
    return done


#: A number as a spreadsheet with a decimal comma writes it (``11,1231667``, ``-0,5``, ``1,5e-05``):
#: what European Excel (and pandas ``to_csv(sep=';', decimal=',')``) puts in a ``;``-separated CSV.
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d+,\d*|,\d+|\d+)(?:[eE][+-]?\d+)?")


def decimal_comma_values(values: Sequence[str] | np.ndarray) -> np.ndarray | None:
    """A column of text as floats where every non-blank value is a decimal-comma number; else None.

    Blank (or masked) cells become NaN. At least one value must hold the comma: a column of
    integers is read as integers by the readers themselves, and a column with any other text
    (a ``1,2,3`` list, a name) is left as it is.

    Examples
    --------
    >>> decimal_comma_values(["11,1231667", "-0,5", "", "3"]).tolist()
    [11.1231667, -0.5, nan, 3.0]
    >>> decimal_comma_values(["1,2,3", "4,5"]) is None, decimal_comma_values(["1", "2"]) is None
    (True, True)
    """
    cells = [None if v is None or v is np.ma.masked else str(v).strip().replace(UNICODE_MINUS, "-") for v in values]
    # a missing value spelled out ('--', 'N/A': MISSING_SPELLINGS) is a blank cell here as in spelled_numbers
    cells = [None if c is None or c.lower() in MISSING_SPELLINGS else c for c in cells]
    filled = [c for c in cells if c]
    if not filled or not any("," in c for c in filled) or not all(_DECIMAL_COMMA.fullmatch(c) for c in filled):
        return None
    return np.array([float(c.replace(",", ".")) if c else np.nan for c in cells])


def read_decimal_commas(table: Table, path: PathLike) -> list[str]:
    r"""Read a ``;``-separated CSV's text columns of decimal-comma numbers as numbers, in place.

    European Excel (and pandas ``to_csv(sep=';', decimal=',')``) writes ``11,1231667``; read
    as text, ``ra`` passed through ``classify`` as text and ``evaluate --by ra`` grouped by
    the text. Only a file whose separator is ``;`` (:func:`csv_table_options`) is touched,
    and only a column every non-blank value of which parses so (:func:`decimal_comma_values`).

    Returns
    -------
    list of str
        The columns converted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("id;ra;name\n1;11,5;a,b\n2;12,25;c\n")
    >>> t = Table.read(f, format="ascii.csv", **csv_table_options(f))
    >>> read_decimal_commas(t, f), t["ra"].tolist()
    (['ra'], [11.5, 12.25])
    """
    sep = _text_options(Path(path), "csv").get("delimiter")
    if sep == "\t":
        # Excel's "Unicode Text" in a decimal-comma locale: its numbers stay text, said so (they passed silently)
        cells = {name: _cells(table[name]) for name in table.colnames
                 if table[name].dtype.kind in "US" and table[name].ndim == 1}
        warn_decimal_commas(path, cells)
    if sep != ";":
        return []
    done = []
    for name in table.colnames:
        col = table[name]
        if col.dtype.kind not in "US" or col.ndim != 1:
            continue
        values = decimal_comma_values(_cells(col))
        if values is not None:
            table[name] = values
            done.append(name)
    return done


def _cells(col) -> list:
    """A text column's cells, a masked one None."""
    if not hasattr(col, "mask"):
        return col.tolist()
    return [None if m else v for v, m in zip(col.tolist(), np.ma.getmaskarray(col))]


#: The files (path, modification time) :func:`warn_decimal_commas` has warned of.
_DECIMAL_COMMAS_WARNED: set[tuple[str, int]] = set()


def warn_decimal_commas(path: PathLike, cells: Mapping[str, Sequence]) -> list[str]:
    r"""Warn, naming the file and the columns, of decimal-comma numbers in a file not separated by ``;``.

    Only a ``;``-separated CSV has its decimal commas read (:func:`read_decimal_commas`); a tab-separated
    file (Excel's "Unicode Text" in a decimal-comma locale) keeps such a column as text, which passed
    through as text without a word (``ra`` ``11,5`` in a classified output, grouped as text).

    Parameters
    ----------
    path : str or os.PathLike
        The file, named in the warning.
    cells : mapping of str to sequence
        Each text column's cells (None for a blank).

    Returns
    -------
    list of str
        The columns warned of.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_decimal_commas("t.csv", {"ra": ["11,5", "12,25"], "name": ["a", "b"]})
    ['ra']
    >>> str(w[0].message)  # doctest: +ELLIPSIS
    "t.csv: column 'ra' holds numbers written with a decimal comma ('11,5') in a file not separated by ';'..."
    """
    found = [(name, next(str(v).strip() for v in vals if v is not None and "," in str(v)))
             for name, vals in cells.items() if decimal_comma_values(vals) is not None]
    try:
        key: tuple[str, int] | None = (str(path), os.stat(path).st_mtime_ns)
    except OSError:
        key = None  # no file (cells from elsewhere): every call warns
    if found and key not in _DECIMAL_COMMAS_WARNED:
        # once per file as it is: a command may read the file twice (evaluate, info's second look)
        if key is not None:
            _DECIMAL_COMMAS_WARNED.add(key)
        names = ", ".join(repr(n) for n, _ in found)
        what = f"column {names} holds" if len(found) == 1 else f"columns {names} hold"
        warnings.warn(f"{path}: {what} numbers written with a decimal comma ({found[0][1]!r}) in a file not separated "
                      "by ';', where starclass reads a comma as the decimal mark only in a CSV separated by ';': kept "
                      "as text; save the file with a decimal point, or as CSV separated by ';'", UserWarning,
                      stacklevel=3)
    return [n for n, _ in found]


def csv_table_options(path: PathLike) -> dict:
    r"""Options of :meth:`astropy.table.Table.read` for a CSV as spreadsheets save it.

    The catalogue reader's rules (:func:`_text_options`: Excel's byte-order mark, ``;`` or tab
    separators, a ``sep=;`` line above the header, zero-padded ids kept as text) for the other
    readers that take a CSV with astropy (``format="ascii.csv"``): a ``classify --stamps`` output
    opened and saved again in Excel was read with its first column named ``﻿file``, or as one
    column, and refused as no classified cutout folder.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV.

    Returns
    -------
    dict
        Keyword arguments for ``Table.read(path, format="ascii.csv", **options)``; for a plain
        comma-separated UTF-8 file only ``comment="#"`` (a ``#`` line is a comment, :class:`CsvLines`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = f.write_bytes(b"\xef\xbb\xbffile;class_pred\r\na.png;1\r\n")
    >>> Table.read(f, format="ascii.csv", **csv_table_options(f)).colnames
    ['file', 'class_pred']
    """
    return _text_options(Path(path), "csv")


def is_sep_line(cells: Sequence[str]) -> bool:
    """Whether a CSV row is Excel's separator line (``sep=;`` above the header), not the header.

    Excel reads a first line ``sep=;`` (or ``sep=,``, ``sep=<tab>``) as the file's separator, and
    tools that export for Excel write it; the cutout reader took it for the header ("no 'file'
    column; columns: ['sep=', '']"). :func:`csv_dialect` already splits the file on that separator.

    Examples
    --------
    >>> is_sep_line(["sep=", ""]), is_sep_line(["sep=;"]), is_sep_line(["file", "label"])
    (True, True, False)
    """
    return (len(cells) > 0 and re.fullmatch(r"sep=.?", str(cells[0]).strip(), flags=re.IGNORECASE) is not None
            and not any(str(c).strip() for c in cells[1:]))


def header_cells(reader: Iterator[list[str]]) -> list[str]:
    """The header row of a :func:`csv.reader`: its first row, or the one below Excel's ``sep=`` line.

    Examples
    --------
    >>> import csv, io
    >>> header_cells(csv.reader(io.StringIO("sep=;\\nfile;label\\n"), delimiter=";"))
    ['file', 'label']
    """
    for cells in reader:
        if not is_sep_line(cells):
            return cells
    return []


class _NumberedDictReader(csv.DictReader):
    """A :class:`csv.DictReader` over :class:`CsvLines` that knows the file line each row starts on."""

    def __init__(self, numbered: CsvLines, fieldnames: list[str], sep: str) -> None:
        super().__init__(numbered, fieldnames=fieldnames, delimiter=sep)
        self._numbered = numbered
        #: The file line (from 1) of the row last handed on; 0 before the first
        self.line = 0

    def __next__(self) -> dict:
        # CsvLines hands on no blank line outside a quoted value, so the row starts at the next line it hands on
        start = len(self._numbered.numbers)
        row = super().__next__()
        self.line = self._numbered.numbers[start]
        return row


def csv_dict_reader(lines: Iterable[str], sep: str = ",") -> csv.DictReader:
    r"""A :class:`csv.DictReader` of a CSV's lines, its ``#`` comment lines and Excel's ``sep=`` line left out.

    A survey plan or ``--fields`` list saved by Excel with its ``sep=;`` line above the header took that line
    for the header: "a CSV plan needs columns name and mosaics (has sep=, )", or an AttributeError traceback
    from the fields list. The header is the first row neither blank nor ``sep=``; the rows follow it.

    Parameters
    ----------
    lines : iterable of str
        The file's lines (an open file, ``newline=""``).
    sep : str
        The field separator (:func:`csv_dialect`).

    Returns
    -------
    csv.DictReader
        Its ``fieldnames`` the header's cells (``[]`` for a file without one); its ``line`` the file line
        (from 1, comment and blank lines counted) of the row last read, for messages: "row 2 (line 3 of
        the file)" was the wrong line below a ``#`` note or a ``sep=`` line.

    Examples
    --------
    >>> import io
    >>> rows = csv_dict_reader(io.StringIO("sep=;\n# a note\nname;mosaics\nn;north\n"), ";")
    >>> rows.fieldnames, [(dict(r), rows.line) for r in rows]
    (['name', 'mosaics'], [({'name': 'n', 'mosaics': 'north'}, 4)])
    """
    numbered = CsvLines(lines)
    header: list[str] = []
    for cells in csv.reader(numbered, delimiter=sep):
        # csv.reader reads no further than the row it hands on: the DictReader below goes on from the next line
        if cells and not is_sep_line(cells):
            header = cells
            break
    return _NumberedDictReader(numbered, header, sep)


def is_index_header(names: Sequence[str]) -> bool:
    """Whether a CSV header starts with an empty cell before named ones: pandas' row index.

    ``DataFrame.to_csv`` writes the (unnamed) row index as a first column with an empty header cell
    unless given ``index=False``. Every CSV reader of starclass (catalogues, votes, cutout folders'
    ``labels.csv``) leaves that column out, with :func:`index_column_note` (it became a column
    ``col0``, or one named ``''``, beside the data).

    Examples
    --------
    >>> is_index_header(["", "id", "x", "y"]), is_index_header(["id", "x"]), is_index_header([""])
    (True, False, False)
    """
    return len(names) > 1 and not str(names[0]).strip() and all(str(n).strip() for n in names[1:])


def index_column_note(path: PathLike) -> str:
    """The warning for the column :func:`is_index_header` leaves out, naming the file.

    Examples
    --------
    >>> index_column_note("cat.csv")  # doctest: +ELLIPSIS
    'cat.csv: its first column has no name (a row index written by pandas to_csv...): left out; ...'
    """
    return (f"{path}: its first column has no name (a row index written by pandas to_csv without "
            "index=False): left out; give it a name in the header to keep it")


def _csv_header(p: Path) -> list[str]:
    """The header cells of a CSV (the first line neither blank nor a ``#`` comment), as written."""
    encoding, sep = csv_dialect(p)
    try:
        with open_table_file(p, encoding=encoding, errors="replace", newline="") as fh:
            lines = (line for line in fh if line.strip() and not is_comment_line(line))
            return next(csv.reader(lines, delimiter=sep), [])
    except OSError:
        return []


def _zero_padded_id_columns(lines: list[str], sep: str | None) -> list[str]:
    """Id columns of a CSV (``id`` or an id alias) holding a zero-padded number such as ``00042``.

    Read as numbers, ``00042`` became 42 and the output no longer matched the ids of the
    tables it came from; such a column is read as text. Only the lines given (the start of
    the file) are looked at, and quoting is not handled: enough for ids.

    Examples
    --------
    >>> _zero_padded_id_columns(["id,x", "00042,1.5", "00043,2.0"], ",")
    ['id']
    >>> _zero_padded_id_columns(["id,x", "42,1.5", "0,2.0"], ",")
    []
    >>> _zero_padded_id_columns(["id  x", "007  1.5"], None)  # None: split on white space
    ['id']
    """
    if not lines:
        return []
    names = [n.strip().strip('"') for n in lines[0].split(sep)]
    id_like = [i for i, n in enumerate(names) if n.lower() == ID or _ALIASES.get(n.lower(), ("",))[0] == ID]
    out = []
    for i in id_like:
        cells = [row.split(sep)[i].strip().strip('"') for row in lines[1:] if len(row.split(sep)) > i]
        if any(re.fullmatch(r"0\d+", c) for c in cells):
            out.append(names[i])
    return out


def _read_fits_table(p: Path) -> Table:
    from starclass.io.mosaic import open_fits

    with open_fits(p) as hdul:
        for i, hdu in enumerate(hdul):
            if isinstance(hdu, (fits.BinTableHDU, fits.TableHDU)):
                # format named: astropy tells FITS by name or first bytes, and a .fits.zip shows neither
                return Table.read(p, hdu=i, format="fits")
    from starclass.io.mosaic import ends_after_primary_header, fits_cut_short

    # astropy stops at the end of what a file cut short holds: its table was "no table HDU"; a file that is only an
    # empty primary header is said so (ends_after_primary_header)
    cut = fits_cut_short(p) or ends_after_primary_header(p)
    if cut is not None:
        raise StarclassError(cut)
    raise StarclassError(f"no table HDU in FITS file {p}")


def _read_parquet(p: Path) -> Table:
    """Parquet through pyarrow alone (astropy's reader needs pandas); units and meta restored
    from the ``table_meta_yaml`` that astropy's writer stores."""
    # here, not at the module's top: pyarrow is needed for Parquet only, and every command reads catalogues
    import pyarrow as pa
    import pyarrow.parquet as pq

    pt = pq.read_table(p)
    t = Table()
    for name in pt.column_names:
        chunked = pt.column(name)
        typ = chunked.type
        if pa.types.is_string(typ) or pa.types.is_large_string(typ):
            values = [("" if v is None else v) for v in chunked.to_pylist()]
            t[name] = np.array(values, dtype=str) if values else np.array([], dtype="<U1")
            continue
        values = chunked.to_numpy()
        if chunked.null_count:
            mask = chunked.is_null().to_numpy()
            t[name] = MaskedColumn(values, mask=mask)
        else:
            t[name] = values
    meta_yaml = (pt.schema.metadata or {}).get(b"table_meta_yaml")
    if meta_yaml:
        try:
            header = get_header_from_yaml(meta_yaml.decode("utf-8").splitlines())
        except Exception:  # foreign metadata: keep the data, drop the decorations
            header = {}
        for d in header.get("datatype", []):
            name = d.get("name")
            if name in t.colnames:
                if d.get("unit"):
                    t[name].unit = d["unit"]
                if d.get("description"):
                    t[name].description = d["description"]
        t.meta.update(header.get("meta", {}) or {})
    return t


def _rename(raw: Table, column_map: Mapping[str, str], p: Path) -> Table:
    out = raw.copy(copy_data=False)
    for src, dst in column_map.items():
        if src not in out.colnames:
            matches = [c for c in out.colnames if c.lower() == src.lower()]
            if len(matches) != 1:
                raise ColumnMapError(
                    f"column {src!r} (in the column map) not found in {p}; columns: "
                    f"{', '.join(out.colnames[:40])}{' ...' if len(out.colnames) > 40 else ''}")
            src = matches[0]
        _check_position_kind(out[src], src, dst, p)
        if dst != src:
            if dst in out.colnames:
                out.remove_column(dst)
            out.rename_column(src, dst)
    return out


def _position_kind(col, name: str) -> str | None:
    """``"sky"`` or ``"pixel"`` when a column's name (schema name or alias) or unit says it is a
    position of that kind, else None.

    Examples
    --------
    >>> _position_kind(Table({"RAJ2000": [64.0]})["RAJ2000"], "RAJ2000")
    'sky'
    >>> _position_kind(Table({"X_IMAGE": [3.0]})["X_IMAGE"], "X_IMAGE"), _position_kind(Table({"f": [1]})["f"], "f")
    ('pixel', None)
    """
    lc = name.lower()
    schema = lc if lc in (X, Y, RA, DEC) else _ALIASES.get(lc, (None, None))[0]
    if schema in (RA, DEC):
        return "sky"
    if schema in (X, Y):
        return "pixel"
    unit = getattr(col, "unit", None)
    if unit is None or isinstance(unit, u.UnrecognizedUnit):
        return None
    if unit == u.pix:
        return "pixel"
    return "sky" if unit.physical_type == "angle" else None


def _check_position_kind(col, src: str, dst: str, p: Path) -> None:
    """Refuse ``--map RA=x`` (a sky column read as a pixel position) and ``--map X_IMAGE=ra``.

    x, y in degrees and ra, dec in pixels were taken without a word: ``info`` printed the
    positions "x 64.0 .. 64.0, y -54.9 .. -54.9".
    """
    want = "pixel" if dst in (X, Y) else "sky" if dst in (RA, DEC) else None
    have = _position_kind(col, src)
    if want is None or have is None or have == want:
        return
    unit = f" (in {col.unit})" if getattr(col, "unit", None) is not None else ""
    if have == "sky":
        fix = ("name it ra or dec (x, y are then computed from ra, dec where mosaics with a celestial WCS are "
               "given)")
    else:
        fix = "name it x or y"
    raise ColumnMapError(
        f"{p}: --map {src}={dst}: column {src!r}{unit} holds a {have} position, not a {want} position as "
        f"{dst} is ({'x, y in pixels' if want == 'pixel' else 'ra, dec in degrees'}); {fix}")


def _generic_to_schema(raw: Table, p: Path, one_based: bool | None, mapped: dict[str, str]) -> Table:
    t = raw.copy(copy_data=False)
    implied: bool | None = None
    used = dict(mapped)  # source name -> schema name, shown by `starclass info`
    # schema names in another case (MAG_F555W, ID, Class_Ref) -> lower case
    for c in list(t.colnames):
        lc = c.lower()
        if c != lc and is_known(lc) and lc not in t.colnames:
            t.rename_column(c, lc)
            used[c] = lc
    lower = {c.lower(): c for c in t.colnames}
    for alias, (dst, alias_one_based) in _ALIASES.items():
        if dst in t.colnames or alias not in lower:
            continue
        src = lower[alias]
        if dst == CLASS_REF and not _numeric_like(t[src]):
            continue  # a text category ("cluster") is not a class number: leave it
        t.rename_column(src, dst)
        used[src] = dst
        if dst in (X, Y) and alias_one_based is not None:
            implied = alias_one_based
    for c in list(t.colnames):
        dst = _band_alias(c)
        if dst and dst not in t.colnames:
            t.rename_column(c, dst)
            used[c] = dst
    t.meta["column_map_used"] = used  # before _reconcile_units: its errors name the file's columns
    _reconcile_units(t, p)  # before the conversions below, which keep the numbers but drop the units
    convert = one_based if one_based is not None else bool(implied)
    if convert:
        for c in (X, Y):
            if c in t.colnames:
                t[c] = np.asarray(_plain(t[c]), dtype=float) - 1.0
    t.meta["one_based_input"] = bool(convert)
    for c in t.colnames:
        if c.startswith(("mag_", "magerr_")) and t[c].dtype.kind in "fiu":
            # masked cells (MRT/CDS null values such as ?=99.999) and sentinels -> NaN
            v = np.asarray(_plain(t[c]), dtype=float).copy()
            v[sentinel_magnitudes(v)] = np.nan
            unit = t[c].unit
            t[c] = v
            # set_units gives the schema's bands theirs back; a kept mag_f555w_input is no band, and kept its own
            t[c].unit = unit
    set_units(t)
    return t


def sentinel_magnitudes(values: ArrayLike) -> np.ndarray:
    """Which magnitudes (or their errors) are markers for "no measurement", not measurements.

    At or beyond :data:`MAG_MISSING` (LEGUS's 99.999 "not detected", SExtractor's 99), LEGUS's other
    markers 66.666 (outside the filter's footprint) and 44.444 (aperture correction undefined), as
    the LEGUS readme has them, and at or below ``-MAG_MISSING`` (the -99 of many catalogues). A LEGUS
    catalogue saved as a CSV with named columns kept 66.666 as a magnitude (``info``: "f814w ... 66.666",
    44756 such cells in the 35 public files), and -99 as the brightest source.

    Parameters
    ----------
    values : array-like
        Magnitudes or magnitude errors.

    Returns
    -------
    numpy.ndarray
        Boolean, True at a marker.

    Examples
    --------
    >>> sentinel_magnitudes([21.5, 66.666, 44.444, 99.999, -99.0, 39.9]).tolist()
    [False, True, True, True, True, False]
    """
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (v >= MAG_MISSING) | (v <= -MAG_MISSING)
    for marker in LEGUS_SENTINELS:
        bad |= np.isclose(v, marker, rtol=0, atol=5e-4)
    return bad


def _reconcile_units(t: Table, p: Path | str) -> None:
    """Bring schema columns whose file declares another unit to the schema's unit, in place.

    :func:`~starclass.schema.set_units` labels every schema column with the schema's unit; a
    column the file declares in another unit would keep its numbers under the new label: ra
    in radians read as degrees, an age in Myr read as years. Units that convert (rad, hourangle
    -> deg; Myr -> yr) are converted (recorded in ``meta["units_converted"]``); units of another
    kind (x in arcsec, a magnitude in Jy) are an error naming the column. Magnitudes in a named
    system (``mag(AB)``) stay as they are: the system is a separate choice (``magsys``).
    Units astropy does not recognise are left to the schema, as before.

    Examples
    --------
    >>> t = Table({"ra": [np.pi]}); t["ra"].unit = u.rad
    >>> _reconcile_units(t, Path("c.ecsv")); t["ra"].tolist(), t.meta["units_converted"]
    ([180.0], {'ra': 'rad -> deg'})
    >>> t = Table({"x": [3.0]}); t["x"].unit = u.arcsec
    >>> _reconcile_units(t, Path("c.ecsv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'x' in c.ecsv is in arcsec, but starclass reads x in pix; ...
    """
    # ra, dec text (sexagesimal, in a declared unit or not) first: astype(float) below stopped every
    # command with a ValueError traceback on an ECSV's ra strings with unit: hourangle
    converted = _sky_in_degrees(t, f" in {p}")
    for name in t.colnames:
        want, have = unit_of(name), t[name].unit
        if name in converted:
            continue
        if want is None or have is None or isinstance(have, u.UnrecognizedUnit) or have == want:
            continue
        if want == u.mag and isinstance(have, u.MagUnit):
            continue
        try:
            factor = _exact_factor(have, want)
        except (u.UnitsError, TypeError, ValueError):
            raise StarclassError(
                f"column {name!r} in {p} is in {have}, but starclass reads {name} in {want}; convert the "
                f"column to {want} (or rename it, if it holds something else)") from None
        values = np.ma.asarray(t[name]).astype(float) * factor
        t[name] = MaskedColumn(values) if np.ma.is_masked(values) else np.ma.getdata(values)
        converted[name] = f"{have} -> {want}"
    if converted:
        t.meta["units_converted"] = converted


def _exact_factor(have: u.UnitBase, want: u.UnitBase) -> float:
    """The factor from unit ``have`` to ``want``; hours to degrees exactly 15.

    astropy's hourangle -> deg factor is 15 less one unit in the last place: an ``ra`` of 24 h came out
    359.99999999999994, short of the 360 that is wrapped to 0 (:func:`_check_right_ascensions`), and 12 h as
    179.99999999999997.

    Examples
    --------
    >>> _exact_factor(u.hourangle, u.deg), round(_exact_factor(u.rad, u.deg), 6)
    (15.0, 57.29578)
    """
    if have == u.hourangle and want == u.deg:
        return 15.0
    return float(have.to(want))


def _numeric_like(col) -> bool:
    """True when a column holds numbers (or text that reads as numbers)."""
    if col.dtype.kind in "iuf":
        return True
    try:
        np.ma.asarray(col).astype(float)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# validation


def is_dataframe(obj: Any) -> bool:
    """True for a pandas ``DataFrame`` (told by its type, so that pandas is never imported here).

    Examples
    --------
    >>> is_dataframe(Table({"x": [1.0]}))
    False
    """
    return type(obj).__name__ == "DataFrame" and type(obj).__module__.split(".")[0] == "pandas"


def catalog_argument(table: Any, what: str = "the table") -> Table:
    """A catalogue given in Python, read as a file is: a Table with the schema columns in the schema's units.

    A file's columns are brought to the schema's units by :func:`read_catalog`; a Table handed
    to ``classify``, ``measure``, ``match_catalogs``, ``suggest`` or ``evaluate_catalogs`` in a
    notebook was used by its numbers, so ``x`` in arcsec was read as pixels (and labelled ``pix``
    on the way out) and ``ra`` in radians as degrees. Here units that convert (rad -> deg) are
    converted, in a copy, and units of another kind are an error naming the column. A pandas
    ``DataFrame`` is converted (``Table.from_pandas``: the index is left out, missing values
    become masked cells), a ``QTable`` becomes a ``Table``; anything else is a ``TypeError``.
    The caller's table is never changed.

    Parameters
    ----------
    table : astropy.table.Table or pandas.DataFrame
        The catalogue.
    what : str
        How messages name it (``"the candidates"``, ``"reference truth"``).

    Returns
    -------
    astropy.table.Table
        ``table`` itself when nothing needed changing, else a new Table (columns shared where kept).

    Raises
    ------
    TypeError
        Not a Table or a DataFrame.
    StarclassError
        A schema column in a unit of another kind (``x`` in arcsec, a magnitude in Jy).

    Examples
    --------
    >>> t = Table({"id": [1], "ra": [np.pi], "dec": [0.5]}); t["ra"].unit = u.rad; t["dec"].unit = u.rad
    >>> out = catalog_argument(t)
    >>> round(float(out["ra"][0]), 6), str(out["ra"].unit), t["ra"].unit  # the caller's table is unchanged
    (180.0, 'deg', Unit("rad"))
    >>> t = Table({"id": [1], "x": [0.4], "y": [0.4]}); t["x"].unit = u.arcsec
    >>> catalog_argument(t, "the candidates")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'x' in the candidates is in arcsec, but starclass reads x in pix; ...
    >>> catalog_argument([[1.0, 2.0]], "the candidates")
    Traceback (most recent call last):
    ...
    TypeError: the candidates must be an astropy Table or a pandas DataFrame, not list
    """
    if is_dataframe(table):
        table = Table.from_pandas(table)
    elif not isinstance(table, Table):
        raise TypeError(f"{what} must be an astropy Table or a pandas DataFrame, not {type(table).__name__}")
    elif type(table) is not Table:
        table = Table(table, copy=False)  # a QTable's Quantity columns become Columns with that unit

    def differs(name: str) -> bool:
        want, have = unit_of(name), getattr(table[name], "unit", None)
        return want is not None and have is not None and not isinstance(have, u.UnrecognizedUnit) and have != want

    if not any(differs(c) for c in table.colnames):
        return table
    out = Table(table, copy=False)  # new columns replace the converted ones; the caller's stay as they are
    _reconcile_units(out, what)
    for name in out.meta.get("units_converted") or {}:
        out[name].unit = unit_of(name)  # the converted numbers came back without one
    return out


def validate_catalog(table: Table, path: PathLike | None = None, *, allow_empty: bool = False,
                     wcs: WCS | None = None, require_xy: bool = True, classes: Sequence[int] = (),
                     any_classes: bool = False, ids_within_field: bool = False,
                     require_positions: bool = True) -> Table:
    """Check a schema table: rows, id, positions, classes. Returns the (normalised) table.

    ra, dec with a WCS fill in missing x, y (the columns, or the rows where both are empty; without
    a WCS and ``require_xy=False`` such rows stay NaN for :func:`place_on_mosaics`).
    ``class_ref``/``class_pred`` become int16 with
    0 for none; any other value than 0-4, those the table declares (:func:`declared_classes`) and
    ``classes`` is an error naming the row.

    Parameters
    ----------
    table : astropy.table.Table
        A table in the schema's column names (:mod:`starclass.schema`).
    path : path-like, optional
        Its file, named in the messages.
    allow_empty : bool
        Accept a table of no rows (refused by default).
    wcs : astropy.wcs.WCS, optional
        Places rows that have only ``ra``, ``dec``.
    require_xy : bool
        Refuse rows without a position in pixels (False: they stay NaN, to be placed later).
    require_positions : bool
        With ``require_xy=False``, False accepts a table with no position columns at all (x, y nor
        ra, dec): a reference paired by id. Its ``id`` is then still required, and the message of
        its absence says that positions would do too.
    classes : sequence of int
        Class values allowed beyond 0-4 and the declared ones (a task's classes: :func:`read_catalog`).
    any_classes : bool
        Allow any positive whole class value (below 32768, the int16 the column becomes) as well.
    ids_within_field : bool
        Where the table has a ``field`` column, an id may repeat in another field: the pair (field, id)
        must be unique (:func:`read_catalog`).

    Returns
    -------
    astropy.table.Table
        The table, normalised (class columns int16, ids checked, positions filled).

    Raises
    ------
    StarclassError
        Naming the file, column and row at fault.

    Examples
    --------
    >>> t = validate_catalog(Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0], "class_ref": [1, 0]}))
    >>> t["class_ref"].dtype.name
    'int16'
    >>> validate_catalog(Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0], "class_ref": [1, 7]}), "cat.csv")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'class_ref' in cat.csv: class 7 in row 2 (id 2) is not 0-4
    """
    where = f" in {path}" if path is not None else ""
    if len(table) == 0 and not allow_empty:
        if path is None:
            raise StarclassError("catalogue has no rows")
        # a LEGUS .tab and DS9 regions have no header: theirs is a file of no rows
        refuse_no_rows(table, path, "catalogue", header=table.meta.get("format") not in ("legus", "ds9"))
    if ID not in table.colnames:
        positions = {X, Y} <= set(table.colnames) or {RA, DEC} <= set(table.colnames)
        if not (require_positions or require_xy or positions):
            # a reference is paired by position or by id: with neither, the two things it may give are named
            raise StarclassError(
                f"{path if path is not None else 'the table'} has neither positions (x, y or ra, dec) nor an 'id' "
                f"column (columns: {_short_cols(table)}): nothing to pair it with a catalogue by; give it x, y "
                "(0-based pixels of the catalogue's mosaic) or ra, dec (deg), or an 'id' column holding the "
                "catalogue's ids (starclass info FILE --map NAME=id shows a column renamed)")
        raise StarclassError(
            f"required column 'id' missing{where} (columns: {_short_cols(table)}); name a column 'id' in the "
            f"file (in Python: column_map={{'<name>': 'id'}}; starclass info FILE --map NAME=id shows the result)")
    converted = _sky_in_degrees(table, where)
    if converted:  # a table given in Python (a file's were converted, and recorded, by its reader)
        table.meta["units_converted"] = {**dict(table.meta.get("units_converted") or {}), **converted}
    _check_declinations(table, where)
    _check_right_ascensions(table, where)
    has_xy = X in table.colnames and Y in table.colnames
    filled = False
    has_sky = RA in table.colnames and DEC in table.colnames
    if not has_xy:
        missing = X if X not in table.colnames else Y
        if has_sky and wcs is not None:
            from astropy.coordinates import SkyCoord

            sky = SkyCoord(np.asarray(_plain(table[RA]), float) * u.deg,
                           np.asarray(_plain(table[DEC]), float) * u.deg)
            x, y = wcs.world_to_pixel(sky)
            table[X] = np.asarray(x, dtype=float)
            table[Y] = np.asarray(y, dtype=float)
            table.meta["xy_from_wcs"] = True
            filled = True
        elif not (require_xy or has_sky or require_positions) and X not in table.colnames and Y not in table.colnames:
            pass  # no position at all, allowed: the caller pairs the table by its ids
        elif require_xy or not has_sky:
            hint = (" (it has ra, dec: give the mosaics/WCS to compute pixel positions)"
                    if has_sky else "")
            raise StarclassError(
                f"required column {missing!r} missing{where}{hint} (columns: {_short_cols(table)})")
        elif X in table.colnames or Y in table.colnames:
            # half a pixel position (a LEGUS .tab read with --map foo=3 renames its y): accepted as a
            # sky-only table, it crashed `info` and any command reading x with y (KeyError: 'y')
            present = Y if missing == X else X
            raise StarclassError(
                f"column {missing!r} missing{where} but {present!r} is there: a pixel position needs both "
                f"(a column map renaming one of them?) (columns: {_short_cols(table)})")
    if (wcs is not None and len(table) and all(c in table.colnames for c in (X, Y, RA, DEC))
            and not filled):
        _check_origin(table, wcs, where, "use one_based=True / --one-based")
    ids = np.asarray(_plain(table[ID]))
    if len(ids) and ids.dtype.kind in "USO":
        # an empty cell of a text id column was kept as a masked id (filled 'N/A' or '--' later),
        # matched to nothing or to another empty one without a word
        empty = np.ma.getmaskarray(np.ma.asarray(table[ID])) | (np.char.strip(ids.astype(str)) == "")
        if empty.any():
            raise StarclassError(f"column 'id'{where}: no valid id in {agreeing(int(empty.sum()), 'row')} "
                                 f"{', '.join(str(r + 1) for r in np.flatnonzero(empty)[:5])}")
    if len(ids) and ids.dtype.kind == "f":
        missing = np.flatnonzero(~np.isfinite(ids))
        if missing.size:
            # NaN never equals itself: a NaN id would also slip past the duplicate check below
            raise StarclassError(f"column 'id'{where}: no valid id in {agreeing(missing.size, 'row')} "
                                 f"{', '.join(str(r + 1) for r in missing[:5])}")
    if len(ids) and ids_within_field and FIELD in table.colnames:
        # a table of several fields (train --cv on a store cut from two, classify --stamps): each field's
        # candidates are numbered from 1, so "duplicate id 1 (rows 1, 301)" refused the commands' own outputs
        keys = [f"{f}\x00{i}" for f, i in zip(np.asarray(_plain(table[FIELD])).astype(str), ids.astype(str))]
        seen: dict[str, int] = {}
        for r, k in enumerate(keys):
            if k in seen:
                fld, dup = k.split("\x00", 1)
                raise StarclassError(f"duplicate id {dup} in field {fld!r}{where} (rows {seen[k] + 1}, {r + 1})")
            seen[k] = r
    elif len(ids):
        uniq, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            dup = uniq[counts > 1][0]
            rows = np.flatnonzero(ids == dup)[:3]
            raise StarclassError(f"duplicate id {dup}{where} (rows {', '.join(str(r + 1) for r in rows)})")
    # rows whose x, y are both blank but whose ra, dec are given: placed through the WCS here when
    # there is one, else left NaN for place_on_mosaics (require_xy=False: the commands read the
    # catalogue before the mosaics). They were refused "no valid position in row 2" although the
    # docs place a row from ra, dec where it has no x, y; a row's own x, y still take precedence.
    blank = np.zeros(len(table), dtype=bool)
    if has_xy and has_sky and not filled and (wcs is not None or not require_xy):
        blank = blank_xy_rows(table)
        if blank.any() and wcs is not None:
            _fill_xy_from_sky(table, blank, wcs)
            table.meta["xy_from_wcs_rows"] = int(blank.sum())
            blank[:] = False
    for c in (X, Y):
        if c in table.colnames:
            v = numeric_column(table, c, where=where, ids=ids)
            bad = ~np.isfinite(v) & ~blank
            if bad.any() and not filled and np.isnan(v).all():
                # an empty or all-NaN column (an export that dropped its values, a column of another meaning) was
                # "no valid position in row 1 (id 1)", read as one bad row to mend
                rows = "its one row" if len(v) == 1 else f"all {len(v)} rows"
                how = (" (ra, dec place a row only where its x and y are both empty: leave out both columns, or "
                       f"empty {X if c == Y else Y} too)" if has_sky else "")
                raise StarclassError(f"column {c!r}{where}: every value is missing (empty or NaN in {rows}), so no "
                                     f"row has a pixel position{how}")
            if bad.any():
                r = int(np.flatnonzero(bad)[0])
                if filled:
                    # x, y were computed here from ra, dec: the file has no column 'x' to look at
                    raise StarclassError(f"columns 'ra', 'dec'{where}: no valid sky position in row {r + 1} "
                                         f"(id {ids[r]}; ra {table[RA][r]}, dec {table[DEC][r]}) to place it on "
                                         "the mosaics with")
                if has_sky and not blank_xy_rows(table)[r]:
                    why = "no valid ra, dec either to place it with"
                    if np.isfinite(numeric_column(table, X if c == Y else Y))[r]:
                        why = "only one of x, y is given"
                    raise StarclassError(f"column {c!r}{where}: no valid position in row {r + 1} (id {ids[r]}): "
                                         f"{why}")
                if has_sky:
                    raise StarclassError(f"column {c!r}{where}: no valid position in row {r + 1} (id {ids[r]}): it "
                                         "has ra, dec, give the mosaics/WCS to place it")
                raise StarclassError(f"column {c!r}{where}: no valid position in row {r + 1} (id {ids[r]})")
            table[c] = v
    for cls in (CLASS_REF, CLASS_PRED):
        if cls in table.colnames:
            table[cls] = class_values(table, cls, where=where, ids=ids, classes=classes, any_classes=any_classes)
    check_prob_columns(table, path)
    set_units(table)
    return table


def class_values(table: Table, column: str, *, where: str = "", ids: np.ndarray | None = None,
                 classes: Sequence[int] = (), any_classes: bool = False) -> np.ndarray:
    """A class column as int16 (empty or NaN: 0, no class), or an error naming the row of a class not allowed.

    Allowed: 0-4, the classes the table declares (:func:`declared_classes`) and ``classes`` (a task's).
    The one check of :func:`validate_catalog` (``class_ref``, ``class_pred``) and of the predictions
    ``inspect`` shows beside the candidates (:func:`starclass.inspect.field.read_candidates`).

    Parameters
    ----------
    table : astropy.table.Table
        The table (its meta and ``prob_<k>`` columns declare classes).
    column : str
        The class column (``class_ref`` also allows the ``reference_merge`` sources).
    where : str
        `` in FILE``, said after the column's name.
    ids : numpy.ndarray, optional
        The rows' ids, said with the row (default: the ``id`` column, else none).
    classes : sequence of int
        Class values allowed beyond 0-4 and the declared ones.
    any_classes : bool
        Allow any positive whole class value (below 32768, the int16 the column becomes) as well.

    Returns
    -------
    numpy.ndarray
        int16, one per row.

    Examples
    --------
    >>> class_values(Table({"class_pred": [1, 5]}), "class_pred", classes=[5]).tolist()
    [1, 5]
    >>> class_values(Table({"id": [7, 8], "class_pred": [1, 9]}), "class_pred", where=" in p.ecsv")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'class_pred' in p.ecsv: class 9 in row 2 (id 8) is not 0-4
    """
    if ids is None and ID in table.colnames:
        ids = np.asarray(_plain(table[ID]))
    col = table[column]
    mask = np.asarray(getattr(col, "mask", np.zeros(len(col), bool)), dtype=bool)
    v = numeric_column(table, column, where=where, ids=ids)
    allowed = tuple(sorted(set(declared_classes(table, reference=column == CLASS_REF))
                           | {int(c) for c in classes if int(c) > 0}))

    def row(r: int) -> str:
        return f"row {r + 1}" + (f" (id {ids[r]})" if ids is not None else "")

    infinite = ~mask & np.isinf(v)
    if infinite.any():
        # NaN or empty is "no class"; inf is a broken cell, and was read as no class without a word
        r = int(np.flatnonzero(infinite)[0])
        raise StarclassError(f"column {column!r}{where}: class {v[r]:g} in {row(r)} is not "
                             f"{_classes_words(allowed)} (leave the cell empty for no class)")
    v = np.where(mask | ~np.isfinite(v), 0, v)
    if any_classes:
        # a catalogue only described (info without --task): a class no task declares is counted, not refused;
        # a fraction, a negative number or one beyond int16 is still no class
        whole = (v > 0) & (v == np.floor(v)) & (v < 2 ** 15)
        allowed = tuple(sorted(set(allowed) | {int(k) for k in np.unique(v[whole])}))
    bad = ~np.isin(v, allowed)
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise StarclassError(f"column {column!r}{where}: class {v[r]:g} in {row(r)} is not {_classes_words(allowed)}")
    return v.astype(np.int16)


def declared_classes(table: Table, *, reference: bool = False) -> tuple[int, ...]:
    """The class values a table's class column may hold: 0 (none), the PHANGS 1-4, and those it declares.

    A task may have any classes (five of its own, say), and ``classify`` writes them in ``class_pred``
    with one ``prob_<k>`` per class and the task's ``classes`` in the meta (a CSV keeps no meta, only
    the columns). A reference column (``reference=True``) may also hold the reference classes the
    meta's ``reference_merge`` maps from. Until 2026-12-06 only 0-4 were read: a five-class task's
    output was refused by ``evaluate`` ("class 5 in row 1 (id 1) is not 0-4").

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue (its meta and column names are read).
    reference : bool
        Whether the column is a reference (``class_ref``): the ``reference_merge`` sources count too.

    Returns
    -------
    tuple of int
        Sorted, 0 first.

    Examples
    --------
    >>> declared_classes(Table({"id": [1], "prob_1": [0.1], "prob_5": [0.9]}))
    (0, 1, 2, 3, 4, 5)
    >>> t = Table({"id": [1]}, meta={"classes": [1, 2], "reference_merge": {"7": 1, "8": 2}})
    >>> declared_classes(t), declared_classes(t, reference=True)
    ((0, 1, 2, 3, 4), (0, 1, 2, 3, 4, 7, 8))
    """
    from starclass.schema import prob_classes

    found = set(CLASSES) | set(prob_classes(table))
    keys = [table.meta.get("classes")]
    if reference and isinstance(table.meta.get("reference_merge"), dict):
        keys.append(list(table.meta["reference_merge"]))
    for values in keys:
        if isinstance(values, str):  # a FITS header holds a list as comma-separated text
            values = values.split(",")
        if isinstance(values, (list, tuple)):
            for v in values:
                try:
                    k = int(str(v).strip())
                except ValueError:
                    continue  # not a class number: the task reader names it (evaluate.task.EvalTask.from_meta)
                if k > 0:
                    found.add(k)
    return (0, *sorted(found))


def _classes_words(allowed: tuple[int, ...]) -> str:
    """``0-4`` for 0..4 (the PHANGS classes' words, as before), ``one of 0-5`` or ``one of 0, 1, 7`` otherwise."""
    if allowed == (0,) + tuple(CLASSES):
        return "0-4"
    if allowed == tuple(range(allowed[-1] + 1)):
        return f"one of 0-{allowed[-1]}"
    return "one of " + ", ".join(map(str, allowed))


def blank_xy_rows(table: Table) -> np.ndarray:
    """Rows with no pixel position (``x`` and ``y`` both empty or NaN) but a finite ``ra``, ``dec``.

    Such rows are placed through the WCS (:func:`place_on_mosaics`, or :func:`read_catalog` given
    a ``wcs``); the other rows keep their own ``x``, ``y``.

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue with ``x``, ``y``, ``ra``, ``dec`` (others: no row is blank).

    Returns
    -------
    numpy.ndarray
        Boolean, one per row.

    Examples
    --------
    >>> t = Table({"id": [1, 2, 3], "x": [1.0, np.nan, np.nan], "y": [2.0, np.nan, np.nan],
    ...            "ra": [10.0, 10.0, np.nan], "dec": [20.0, 20.0, np.nan]})
    >>> blank_xy_rows(t).tolist()
    [False, True, False]
    """
    if not all(c in table.colnames for c in (X, Y, RA, DEC)):
        return np.zeros(len(table), dtype=bool)
    try:
        xs, ys, ra, dec = (numeric_column(table, c) for c in (X, Y, RA, DEC))
    except StarclassError:
        return np.zeros(len(table), dtype=bool)  # text in a cell: named by validate_catalog's own checks
    return ~np.isfinite(xs) & ~np.isfinite(ys) & np.isfinite(ra) & np.isfinite(dec)


def _fill_xy_from_sky(table: Table, rows: np.ndarray, wcs) -> None:
    """Set ``x``, ``y`` of ``rows`` (in place) from their ICRS ``ra``, ``dec`` through ``wcs``."""
    from astropy.coordinates import SkyCoord

    sky = SkyCoord(numeric_column(table, RA)[rows] * u.deg, numeric_column(table, DEC)[rows] * u.deg,
                   frame="icrs")
    x, y = wcs.world_to_pixel(sky)
    for c, v in ((X, x), (Y, y)):
        col = numeric_column(table, c)
        col[rows] = np.asarray(v, dtype=float)
        table[c] = col


def catalogue_row_places(table: Table) -> list[str]:
    """Each row of a catalogue as a person finds it: its id and its position, ``x``, ``y`` or else ``ra``, ``dec``.

    ``calibrate MOSAICS -c CATALOGUE`` and a fine-tune re-scoring those rows named a blank row "(row 61)" of
    an ECSV, whose line is not the row's (a header of 20-odd lines above it), and which no viewer of the
    field shows: the id, and where it sits on the mosaics or the sky, find it in the catalogue and in DS9.
    Read before the rows are placed through the WCS: a catalogue of ``ra``, ``dec`` alone is named by them.
    A row without an id is named by its row number (counted from 1, the first below the header).

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue as read (:func:`read_catalog`).

    Returns
    -------
    list of str
        One place per row, in order.

    Examples
    --------
    >>> catalogue_row_places(Table({"id": [12, 15], "x": [101.24, np.nan], "y": [88.0, np.nan],
    ...                             "ra": [10.1, 10.2], "dec": [41.0, 41.1]}))
    ['id 12 at x 101.2, y 88.0', 'id 15 at ra 10.200000, dec 41.100000']
    >>> catalogue_row_places(Table({"ra": [10.1], "dec": [41.0]}))
    ['row 1 at ra 10.100000, dec 41.000000']
    """
    def values(name: str) -> np.ndarray | None:
        if name not in table.colnames:
            return None
        try:
            return np.asarray(np.ma.filled(np.ma.asarray(table[name], dtype=float), np.nan), dtype=float)
        except (TypeError, ValueError):  # sexagesimal text: said as written
            return np.asarray([str(v) for v in table[name]], dtype=object)

    def known(col: np.ndarray | None, i: int) -> bool:
        return col is not None and (col.dtype == object or bool(np.isfinite(col[i])))

    ids = (np.ma.filled(np.ma.asarray(table[ID]).astype(str), "") if ID in table.colnames
           else np.full(len(table), "", dtype=object))
    x, y, ra, dec = values(X), values(Y), values(RA), values(DEC)
    places = []
    for i in range(len(table)):
        who = f"id {ids[i]}" if str(ids[i]).strip() else f"row {i + 1}"
        if known(x, i) and known(y, i):
            where = f" at x {x[i]:.1f}, y {y[i]:.1f}"
        elif known(ra, i) and known(dec, i):
            where = (f" at ra {ra[i]}, dec {dec[i]}" if ra.dtype == object or dec.dtype == object
                     else f" at ra {ra[i]:.6f}, dec {dec[i]:.6f}")
        else:
            where = ""
        places.append(who + where)
    return places


def placed_note(source: str | os.PathLike, placed: int, rows: int, *, every: bool) -> str:
    """The one line that says rows of catalogue ``source`` were placed from ``ra``, ``dec`` through the WCS.

    Said by every command that places them (:func:`place_on_mosaics` with ``say``): ``cutouts``,
    ``classify``, ``detect``, ``train``, ``calibrate``, ``suggest``, ``inspect`` and ``survey``.

    Parameters
    ----------
    source
        The catalogue (its file), named first.
    placed, rows
        How many rows were placed, of how many.
    every
        The catalogue has no ``x``, ``y`` columns (every row placed).

    Returns
    -------
    str
        The line.

    Examples
    --------
    >>> placed_note("c.csv", 2, 40, every=False)
    'c.csv: 2 of 40 rows had no x, y: placed on the mosaics through their WCS (ra, dec)'
    >>> placed_note("c.csv", 1, 1, every=True)
    'c.csv: no x, y; 1 row placed on the mosaics through their WCS (ra, dec)'
    """
    if every:
        return f"{source}: no x, y; {counted(rows, 'row')} placed on the mosaics through their WCS (ra, dec)"
    return (f"{source}: {placed} of {counted(rows, 'row')} had no x, y: placed on the mosaics through their WCS "
            "(ra, dec)")


def place_on_mosaics(table: Table, mosaics: MosaicSet, path: PathLike | None = None, *,
                     say: Callable[[str], object] | None = None) -> Table:
    """Pixel positions for a catalogue that gives only ``ra``, ``dec``, through the mosaics' WCS.

    Commands that cut or measure stamps (``cutouts``, ``classify``, ``calibrate``, ``train``,
    ``detect --positions/--truth``), ``inspect`` and ``survey`` read the catalogue with
    ``require_xy=False`` and call this once the mosaics are read: a table with ``x``, ``y`` keeps
    them, its rows whose ``x``, ``y`` are both empty placed from their ``ra``, ``dec`` (``meta
    ["xy_from_wcs_rows"]`` counts them); one with only ``ra``, ``dec`` gets 0-based ``x``, ``y``
    from the mosaics' celestial WCS (``meta["xy_from_wcs"]`` True). Each command says so in
    one line, :func:`placed_note`, handed to ``say``.

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue read by :func:`read_catalog`.
    mosaics : MosaicSet
        The field's mosaics (their ``wcs`` and ``paths``).
    path : path, optional
        The catalogue's file, named in messages.
    say : callable, optional
        Given :func:`placed_note`'s line when rows were placed (a command's ``echo``).

    Returns
    -------
    astropy.table.Table
        ``table`` with ``x``, ``y``.

    Raises
    ------
    StarclassError
        No ``x``, ``y`` and no ``ra``, ``dec``; or only ``ra``, ``dec`` and mosaics without a
        celestial WCS (the mosaics' files are named).

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> from types import SimpleNamespace
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    >>> w.wcs.crval, w.wcs.crpix, w.wcs.cdelt = [10.0, 20.0], [51.0, 51.0], [-1e-5, 1e-5]
    >>> t = place_on_mosaics(Table({"id": [1], "ra": [10.0], "dec": [20.0]}), SimpleNamespace(wcs=w, paths={}))
    >>> round(float(t["x"][0]), 6), round(float(t["y"][0]), 6)
    (50.0, 50.0)
    """
    where = f" {path}" if path is not None else ""
    if X in table.colnames and Y in table.colnames:
        wcs = getattr(mosaics, "wcs", None)
        if wcs is not None and len(table) and RA in table.colnames and DEC in table.colnames:
            # the commands read catalogues without a WCS and placed them here, so a table with
            # 1-based x, y beside its ra, dec (the check validate_catalog makes when given a WCS)
            # was cut one pixel off without a word
            _check_origin(table, wcs, where, "subtract 1 from x and y, or drop the x, y columns so that "
                          "the rows are placed through the WCS from ra, dec")
        blank = blank_xy_rows(table)
        if blank.any():
            # rows with empty x, y and a sky position (read_catalog(require_xy=False) kept them NaN):
            # placed through the WCS; the others keep their own x, y (checked above)
            if wcs is None:
                files = ", ".join(str(p) for p in dict(getattr(mosaics, "paths", {}) or {}).values()) or "the mosaics"
                r = int(np.flatnonzero(blank)[0])
                raise StarclassError(
                    f"catalogue{where}: {counted(int(blank.sum()), 'row')} without x, y but with ra, dec (first: "
                    f"row {r + 1}, id {table[ID][r] if ID in table.colnames else r + 1}), and the mosaics ({files}) "
                    "have no celestial WCS to place them with: fill in their 0-based x, y")
            _fill_xy_from_sky(table, blank, wcs)
            table.meta["xy_from_wcs_rows"] = int(blank.sum())
            if say is not None:
                say(placed_note(path, int(blank.sum()), len(table), every=False))
        return table
    missing = X if X not in table.colnames else Y
    if missing == Y or Y in table.colnames:
        # one of the two: placing the rows would replace the given one without a word
        raise StarclassError(f"catalogue{where} has {'x' if missing == 'y' else 'y'} but no {missing!r} "
                             f"(columns: {_short_cols(table)})")
    if not (RA in table.colnames and DEC in table.colnames):
        raise StarclassError(f"required column {missing!r} missing in catalogue{where} (and no ra, dec to place "
                             f"its rows with; columns: {_short_cols(table)})")
    wcs = getattr(mosaics, "wcs", None)
    if wcs is None:
        files = ", ".join(str(p) for p in dict(getattr(mosaics, "paths", {}) or {}).values()) or "the mosaics"
        raise StarclassError(
            f"catalogue{where} gives ra, dec but no x, y, and the mosaics ({files}) have no celestial WCS "
            "(no CTYPE1/CTYPE2 RA/DEC in their FITS headers) to place them with: add 0-based pixel columns x, "
            "y to the catalogue, or use mosaics whose headers carry the WCS")
    out = validate_catalog(table, path, allow_empty=True, wcs=wcs)
    if say is not None:
        say(placed_note(path, len(out), len(out), every=True))
    return out


def check_on_image(table: Table, shape: tuple[int, int], path: PathLike | None = None,
                   margin: float = 0.0) -> None:
    """Error naming the first row whose (x, y) lies off an image of ``shape`` = (ny, nx).

    Examples
    --------
    >>> t = Table({"id": [1, 2], "x": [10.5, 30.0], "y": [20.0, 40.0]})
    >>> check_on_image(t, (64, 64))  # both on a 64 x 64 image: nothing to say
    >>> check_on_image(t, (32, 32), "cat.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: 1 position of cat.csv lies off the 32 x 32 px image; first: row 2 (id 2) ...
    """
    x = np.asarray(_plain(table[X]), dtype=float)
    y = np.asarray(_plain(table[Y]), dtype=float)
    ny, nx = shape
    off = (x < -0.5 - margin) | (y < -0.5 - margin) | (x > nx - 0.5 + margin) | (y > ny - 0.5 + margin)
    if off.any():
        r = int(np.flatnonzero(off)[0])
        where = f" of {path}" if path is not None else ""
        ident = table[ID][r] if ID in table.colnames else r
        raise StarclassError(
            f"{counted(int(off.sum()), 'position')}{where} {'lies' if off.sum() == 1 else 'lie'} off the {nx} x {ny} "
            f"px image; first: row {r + 1} "
            f"(id {ident}) at x={x[r]:.2f}, y={y[r]:.2f} (0-based)")


def _check_origin(table: Table, wcs, where: str, fix: str) -> None:
    """Record the median x, y - WCS(ra, dec) offset in ``meta`` and warn beyond 0.25 px."""
    offset = pixel_origin_offset(table, wcs)
    if not np.isfinite(offset):
        return  # no row with both a position and finite ra, dec: nothing to compare
    table.meta["origin_offset_px"] = round(offset, 4)
    if abs(offset) > 0.25:
        warnings.warn(
            f"catalogue{where}: its x, y differ from the WCS positions of its ra, dec by "
            f"{offset:+.2f} px (median); about +1 means 1-based positions read as 0-based "
            f"({fix}), other values a different image grid", stacklevel=3)


def pixel_origin_offset(table: Table, wcs: WCS) -> float:
    """Median offset (pixels) between the table's x, y and those computed from ra, dec.

    About 0 when the table's positions are 0-based in the frame of ``wcs``; about 1 when they
    were 1-based and not converted. Use it to verify a catalogue's convention.

    Examples
    --------
    x, y written 1-based (the 0-based pixel plus one): the offset says so:

    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype, w.wcs.crval, w.wcs.crpix = ["RA---TAN", "DEC--TAN"], [65.0, -54.9], [50.5, 50.5]
    >>> w.wcs.cd = [[-1e-5, 0], [0, 1e-5]]
    >>> ra, dec = w.pixel_to_world_values([10.0, 30.0], [20.0, 40.0])
    >>> round(pixel_origin_offset(Table({"x": [11.0, 31.0], "y": [21.0, 41.0], "ra": ra, "dec": dec}), w), 3)
    1.0
    """
    from astropy.coordinates import SkyCoord

    sky = SkyCoord(np.asarray(_plain(table[RA]), float) * u.deg,
                   np.asarray(_plain(table[DEC]), float) * u.deg)
    x, y = wcs.world_to_pixel(sky)
    dx = np.asarray(_plain(table[X]), float) - x
    dy = np.asarray(_plain(table[Y]), float) - y
    d = (dx + dy) / 2.0
    d = d[np.isfinite(d)]
    # no row to compare (NaN ra, dec): NaN, without numpy's "All-NaN slice" warning
    return float(np.median(d)) if d.size else float("nan")


def pixel_sky_distance(table: Table, wcs: WCS) -> float:
    """Median distance (pixels) between the table's x, y and the pixels its ra, dec fall on through ``wcs``.

    :func:`pixel_origin_offset` averages the signed x and y offsets, which says +1 for 1-based
    positions but may say about 0 for a catalogue of another field whose rows are off by +700 px
    in x and -700 px in y. This is the length of each row's offset, so such a catalogue is told
    apart from one on these mosaics. Rows without finite x, y, ra and dec are left out.

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue with ``x``, ``y`` (0-based) and ``ra``, ``dec`` (degrees).
    wcs : astropy.wcs.WCS
        The celestial WCS of the mosaics.

    Returns
    -------
    float
        The median distance in pixels; NaN when no row has all four values.

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype, w.wcs.crval, w.wcs.crpix = ["RA---TAN", "DEC--TAN"], [65.0, -54.9], [50.5, 50.5]
    >>> w.wcs.cd = [[-1e-5, 0], [0, 1e-5]]
    >>> ra, dec = w.pixel_to_world_values([10.0, 30.0], [20.0, 40.0])
    >>> t = Table({"x": [13.0, 33.0], "y": [16.0, 36.0], "ra": ra, "dec": dec})
    >>> round(pixel_sky_distance(t, w), 3), round(pixel_origin_offset(t, w), 3)
    (5.0, -0.5)
    """
    from astropy.coordinates import SkyCoord

    sky = SkyCoord(np.asarray(_plain(table[RA]), float) * u.deg,
                   np.asarray(_plain(table[DEC]), float) * u.deg)
    x, y = wcs.world_to_pixel(sky)
    d = np.hypot(np.asarray(_plain(table[X]), float) - x, np.asarray(_plain(table[Y]), float) - y)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else float("nan")


# ---------------------------------------------------------------------------------------------
# helpers


#: ``meta`` keys that record what one read of a file did (:func:`read_catalog`): a file's own are dropped.
READ_RECORDS = ("units_converted", "sky_text", "xy_from_wcs", "xy_from_wcs_rows", "text_separator")

#: Angle text without a unit symbol of its own (``10:20:30.5``, ``-54 56 14.8``): read in the column's unit.
_NO_UNIT_TEXT = re.compile(r"[0-9\s:.+\-]*")

#: Text that means "no value" in a ra/dec column.
_NO_TEXT = ("", "--", "n/a", "nan", "none", "null")


def _sky_in_degrees(table: Table, where: str = "") -> dict[str, str]:
    """``ra``, ``dec`` as text, or numbers in another angle unit, become degrees (in place); returns what was converted.

    The one place text positions are read: a file's columns (:func:`read_catalog`) and a table
    handed to :func:`validate_catalog` go through it alike. A column with an angle unit (an ECSV's
    ``unit: hourangle``) is read in that unit, always, as are numbers in one (hours times 15 exactly,
    :func:`_exact_factor`); text without one (a CSV) is read when both
    ``ra`` and ``dec`` are there, by :func:`sky_text_degrees`'s rule. Empty cells become NaN
    (named later, where a position is needed). ``meta["sky_text"]`` records how each column was
    read (its declared unit, or ``""``), which ``starclass info`` says.

    Examples
    --------
    >>> t = Table({"id": [1, 2], "ra": ["04:20:00", "10.5"], "dec": ["-54:30:00", "-1.25"]})
    >>> _sky_in_degrees(t)
    {}
    >>> [round(float(v), 4) for v in t["ra"]], [round(float(v), 4) for v in t["dec"]]
    ([65.0, 10.5], [-54.5, -1.25])
    """
    both = RA in table.colnames and DEC in table.colnames
    converted: dict[str, str] = {}
    for col in (RA, DEC):
        if col in table.colnames and table[col].dtype.kind in "iuf":
            unit = table[col].unit
            if unit is None or isinstance(unit, u.UnrecognizedUnit) or unit == u.deg or unit.physical_type != "angle":
                continue
            # numbers in a declared angle unit: a file's were converted by _reconcile_units, but a Table handed to
            # validate_catalog kept ra 24 (hourangle) as 24 degrees
            values = np.ma.asarray(table[col]).astype(float) * _exact_factor(unit, u.deg)
            table[col] = MaskedColumn(values) if np.ma.is_masked(values) else np.ma.getdata(values)
            table[col].unit = u.deg
            converted[col] = f"{unit} -> deg"
            continue
        if col not in table.colnames or table[col].dtype.kind not in "USO":
            continue
        unit = table[col].unit
        if unit is not None and (isinstance(unit, u.UnrecognizedUnit) or unit.physical_type != "angle"):
            unit = None  # not an angle (a typo astropy could not read): the text says, as in a CSV
        if unit is None and not both:
            continue  # a lone ra or dec text column without a unit is not a position: left as it is
        table[col] = sky_text_degrees(table[col], col, unit, where=where,
                                      ids=np.asarray(table[ID]) if ID in table.colnames else None,
                                      source=_source_name(table, col))
        table[col].unit = u.deg
        # how the text was read, for `info`: the declared unit, or "" (sexagesimal ra in hours, numbers in deg)
        table.meta["sky_text"] = {**dict(table.meta.get("sky_text") or {}), col: "" if unit is None else str(unit)}
        if unit is not None and unit != u.deg:
            converted[col] = f"{unit} (text) -> deg"
    return converted


def _check_declinations(table: Table, where: str = "") -> None:
    """Refuse a ``dec`` beyond +-90 degrees, naming the row: astropy's ValueError traceback came later.

    Placing the row through the WCS or matching on the sky stopped with "Latitude angle(s) must be
    within -90 deg <= angle <= 90 deg" (a traceback, exit 1); ``info`` showed the range without a word.

    Examples
    --------
    >>> t = Table({"id": [4, 5], "ra": [10.0, 11.0], "dec": [-54.9, -91.0]})
    >>> _check_declinations(t, " in c.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'dec' in c.csv: -91 in row 2 (id 5) is not a declination (-90 to +90 ...
    """
    if DEC not in table.colnames or not len(table):
        return
    try:
        dec = numeric_column(table, DEC)
    except StarclassError:
        return  # text that is no number: named where the column is read as positions
    bad = np.abs(dec) > 90.0  # NaN compares False: an empty cell is no position, not a wrong one
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        ident = f" (id {table[ID][r]})" if ID in table.colnames else ""
        raise StarclassError(f"column {_source_name(table, DEC)!r}{where}: {dec[r]:g} in row {r + 1}{ident} is not a "
                             "declination (-90 to +90 degrees); leave the cell empty for a row without a sky position")


def _check_right_ascensions(table: Table, where: str = "") -> None:
    """Wrap a signed ``ra`` (-180 to 0, and 360) into 0-360 with a warning; refuse one beyond, naming the row.

    Some catalogues write RA signed (-5 for 355); astropy reads both as one longitude, but the
    catalogue kept -5 as it was (written out so, shown by ``info`` as ``ra -5 .. 365``). A value
    no convention writes (365, -999, 25h read as 375) was taken modulo 360 without a word; like a
    ``dec`` beyond +-90 (:func:`_check_declinations`) it is refused.

    Examples
    --------
    >>> import warnings
    >>> t = Table({"id": [4, 5], "ra": [10.0, -5.0], "dec": [0.0, 0.0]})
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _check_right_ascensions(t, " in c.csv")
    >>> t["ra"].tolist(), str(w[0].message)  # doctest: +ELLIPSIS
    ([10.0, 355.0], "column 'ra' in c.csv: 1 row with ra below 0 or at 360 degrees wrapped into 0 to 360 ...")
    >>> _check_right_ascensions(Table({"id": [6], "ra": [365.0], "dec": [0.0]}), " in c.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: column 'ra' in c.csv: 365 in row 1 (id 6) is not a right ascension (0 to 360 ...
    """
    if RA not in table.colnames or not len(table):
        return
    try:
        ra = numeric_column(table, RA)
    except StarclassError:
        return  # text that is no number: named where the column is read as positions
    bad = (ra < -180.0) | (ra > 360.0)  # NaN compares False: an empty cell is no position, not a wrong one

    def who(r: int) -> str:
        return f"row {r + 1}" + (f" (id {table[ID][r]})" if ID in table.colnames else "")

    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise StarclassError(f"column {_source_name(table, RA)!r}{where}: {ra[r]:g} in {who(r)} is not a right "
                             "ascension (0 to 360 degrees, or -180 to 180 written signed); leave the cell empty "
                             "for a row without a sky position")
    wrap = (ra < 0.0) | (ra == 360.0)
    if wrap.any():
        r = int(np.flatnonzero(wrap)[0])
        first = ra[r]
        unit = table[RA].unit
        ra[wrap] = np.mod(ra[wrap], 360.0)
        table[RA] = ra  # empty cells stay NaN, as numeric_column reads them
        table[RA].unit = unit
        # one line: the values written out differ from the file's, the user must know why
        warnings.warn(f"column {_source_name(table, RA)!r}{where}: {counted(int(wrap.sum()), 'row')} with ra below 0 "
                      f"or at 360 degrees wrapped into 0 to 360 (first: {who(r)}, {first:g} read as "
                      f"{np.mod(first, 360.0):g})", UserWarning, stacklevel=3)


def _source_name(table: Table, col: str) -> str:
    """The file's name of schema column ``col`` (``RA_J2000`` read as ``ra``), for messages."""
    for src, dst in dict(table.meta.get("column_map_used") or {}).items():
        if dst == col and src != col:
            return src
    return col


def sky_text_degrees(cells: Sequence[str], col: str, unit: u.UnitBase | None = None, *, where: str = "",
                     ids: ArrayLike | None = None,
                     source: str | None = None,
                     ) -> np.ndarray:
    """Degrees of ``ra`` or ``dec`` cells given as text: numbers or sexagesimal; NaN for empty cells.

    Read by astropy's :class:`~astropy.coordinates.Angle`. Text that names its unit
    (``10h20m30.5s``, ``155d07m37.5s``, ``155°07′37.5″``) is read in it. Otherwise, with ``unit``
    (the unit the file declares for the column) every cell is in that unit; without one, a
    plain number is degrees and sexagesimal is hours for ``ra`` (``10:20:30.5``), degrees for
    ``dec`` (``+41:16:09``), as catalogues write them.

    Parameters
    ----------
    cells : sequence of str
        The column (masked cells and ``--``, ``n/a``, ``nan``, ``none``, ``null`` are empty).
    col : {"ra", "dec"}
        Which coordinate.
    unit : astropy.units.Unit, optional
        The column's declared angle unit.
    where, ids, source
        For the error: `` in FILE``, the rows' ids, the file's name of the column.

    Returns
    -------
    numpy.ndarray
        Degrees, float64.

    Raises
    ------
    StarclassError
        A cell that is no angle, naming the column, the row (and its id) and the value.

    Examples
    --------
    >>> [round(float(v), 6) for v in sky_text_degrees(["10:20:30.5", "10h20m30.5s", "155.5", ""], "ra")]
    [155.127083, 155.127083, 155.5, nan]
    >>> [round(float(v), 6) for v in sky_text_degrees(["10.5", "155d07m37.5s"], "ra", u.hourangle)]
    [157.5, 155.127083]
    >>> sky_text_degrees(["+41:16:09", "4x1"], "dec", where=" in c.csv", ids=[7, 8])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: catalogue in c.csv, row 2 (id 8): dec '4x1' is neither a number of degrees ...
    """
    from astropy.coordinates import Angle
    from astropy.coordinates.angles.errors import IllegalHourWarning

    text = [str(v).strip() for v in np.ma.filled(np.ma.asarray(cells).astype(str), "")]
    guess = u.hourangle if col == RA else u.deg
    out = np.full(len(text), np.nan)
    for i, v in enumerate(text):
        if v.lower() in _NO_TEXT:
            continue
        try:
            if unit is None:
                try:
                    out[i] = float(v)  # a number without a declared unit is degrees, RA too
                    continue
                except ValueError:
                    pass
            fallback = unit if unit is not None else guess
            with warnings.catch_warnings():
                # '24:00:00' (23:59:59.96 rounded) is read as 24 h and wrapped to 0 with the catalogue's own
                # warning (_check_right_ascensions); astropy's "IllegalHourWarning: 'hour' was found to be '24.0'"
                # line before it, once per row, was noise
                warnings.simplefilter("ignore", IllegalHourWarning)
                if _NO_UNIT_TEXT.fullmatch(v):
                    # digits and separators only: no unit of its own to try first (2x faster)
                    angle = Angle(v, unit=fallback)
                else:
                    try:
                        # text that names its own unit (h, d, a degree sign) is read in it, exactly
                        angle = Angle(v)
                    except u.UnitsError:
                        angle = Angle(v, unit=fallback)
        except (ValueError, TypeError, u.UnitsError):
            who = f"row {i + 1}" + (f" (id {ids[i]})" if ids is not None else "")
            name = _col_words(col, source)
            sexa = "hh:mm:ss.s" if (unit if unit is not None else guess) == u.hourangle else (
                "dd:mm:ss.s" if unit is not None else "+dd:mm:ss.s")
            if unit is not None:
                raise StarclassError(f"column {name!r}{where}, {who}: {v!r} is not an angle in {unit} (a number or "
                                     f"sexagesimal {sexa})") from None
            hint = ""
            as_deg = _angle_or_none(v, u.deg) if col == RA and unit is None else None
            if as_deg is not None:
                # '155:07:37.5': RA sexagesimal in degrees, which a file without units cannot say
                hint = (f"; sexagesimal ra without a unit is read in hours: as degrees write it "
                        f"{as_deg.to_string(unit=u.deg, sep='dms')}, or declare the column's unit (an ECSV's "
                        "unit: deg)")
            raise StarclassError(f"catalogue{where}, {who}: {name} {v!r} is neither a number of degrees nor "
                                 f"sexagesimal ({sexa}){hint}") from None
        if col == DEC and angle.unit == u.hourangle:
            # '1h00m00s' as a declination was taken as 15 deg without a word: ra and dec swapped, most likely
            who = f"row {i + 1}" + (f" (id {ids[i]})" if ids is not None else "")
            raise StarclassError(f"column {source or col!r}{where}, {who}: {v!r} is in hours, which a "
                                 "declination never is (are ra and dec swapped?)")
        # hours times 15 exactly (_exact_factor): '24:00:00' was 359.99999999999994, not wrapped to 0
        out[i] = angle.hour * 15.0 if angle.unit == u.hourangle else angle.to_value(u.deg)
    return out


def _col_words(col: str, source: str | None) -> str:
    """``col``, or the file's name of it: ``RA_J2000 (read as ra)``."""
    return col if source in (None, col) else f"{source} (read as {col})"


def _angle_or_none(text: str, unit) -> Angle | None:
    """``text`` read as an angle in ``unit`` by astropy, or None where it is not one."""
    from astropy.coordinates import Angle

    try:
        return Angle(text, unit=unit)
    except (ValueError, TypeError, u.UnitsError):
        return None


def _plain(col) -> np.ndarray:
    """Column values as a plain array (masked entries NaN for floats)."""
    if isinstance(col, MaskedColumn) or hasattr(col, "mask") and np.ma.isMaskedArray(col):
        if col.dtype.kind == "f":
            return np.ma.filled(np.ma.asarray(col), np.nan)
        if col.dtype.kind in "iu":
            return np.ma.filled(np.ma.asarray(col).astype(float), np.nan)
        return np.ma.filled(np.ma.asarray(col))
    return np.asarray(col)


def numeric_column(table: Table | Mapping[str, Any], name: str, source: str = "catalogue", *, where: str = "",
                   ids: np.ndarray | None = None) -> np.ndarray:
    """A catalogue column as float64 (masked entries NaN), or an error naming the first bad row.

    The one place a column that must hold numbers is read: catalogue validation (positions,
    classes) and the training labels of ``starclass train`` both use it.

    Parameters
    ----------
    table : astropy.table.Table or mapping
        The catalogue.
    name : str
        Column name.
    source : str
        What the table is, for the message.
    where : str
        Where it came from (e.g. ``" in cat.ecsv"``), for the message.
    ids : numpy.ndarray, optional
        The rows' ids, named in the message beside the row number.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    StarclassError
        When an entry is text that is not a number (``"abc"``), naming the column and row.

    Examples
    --------
    >>> from astropy.table import Table
    >>> numeric_column(Table({"class_ref": ["1", "2"]}), "class_ref").tolist()
    [1.0, 2.0]
    >>> numeric_column(Table({"class_ref": ["1", "star"]}), "class_ref")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: catalogue column 'class_ref' row 2 is 'star', not a number
    """
    col = np.ma.asarray(table[name])
    try:
        return np.ma.filled(col.astype(float), np.nan)
    except (TypeError, ValueError):
        pass  # text: find the row to name below, or convert entry by entry (masked text cells)
    values = col.tolist()
    for row, value in enumerate(values):
        if value is None:
            continue
        try:
            float(value)
        except (TypeError, ValueError):
            id_part = f" (id {ids[row]})" if ids is not None else ""
            # rows are 1-based, as read_catalog counts them
            raise StarclassError(f"{source} column {name!r}{where} row {row + 1}{id_part} is {value!r}, "
                                 "not a number") from None
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _is_prob_column(name: str) -> bool:
    """Whether ``name`` is a probability column: ``prob_<k>``, ``prob_<k>_raw``, ``prob_joint_<k>``, ``prob_std``.

    From the schema's names: a hand-written ``prob_raw_<k>`` here missed the ``prob_<k>_raw``
    classify writes, whose text cell was then a ValueError traceback in ``evaluate``.
    """
    from starclass.schema import COLUMNS, PROB_STD

    return name == PROB_STD or any(COLUMNS[p].matches(name) for p in ("prob_<k>", "prob_<k>_raw", "prob_joint_<k>"))


def check_prob_columns(table: Table, path: PathLike | None = None, source: str = "catalogue") -> Table:
    """Read every probability column of ``table`` as float64, or refuse the first cell that is no number.

    A ``prob_<k>`` cell of text (``"high"``, a spreadsheet's ``#N/A``) was kept as text: ``evaluate``
    then failed with a ValueError traceback, ``inspect --predictions`` dropped the row's
    probabilities without a word. Empty (masked) cells become NaN, as elsewhere.
    An empty cell of a column of numbers became its fill value, 0.0, and was scored as a
    probability of 0; it is NaN too.

    Parameters
    ----------
    table : astropy.table.Table
        A classified table (catalogue, predictions, classified cutout folder); changed in place.
    path : str or os.PathLike, optional
        The file it was read from, named in the message.
    source : str
        What the table is, for the message (``"predictions"``, ``"catalogue"``).

    Returns
    -------
    astropy.table.Table
        ``table``, its probability columns float64.

    Raises
    ------
    StarclassError
        A cell that is text other than a number, naming the file, column and row (1 = first data row).

    Examples
    --------
    >>> check_prob_columns(Table({"id": [1, 2], "prob_1": ["0.2", "0.9"]}))["prob_1"].tolist()
    [0.2, 0.9]
    >>> from astropy.table import MaskedColumn
    >>> t = Table({"id": [1, 2], "prob_1": MaskedColumn([0.2, 0.0], mask=[False, True])})  # an empty cell
    >>> check_prob_columns(t)["prob_1"].tolist()
    [0.2, nan]
    >>> check_prob_columns(Table({"id": [1, 2], "prob_1": ["0.2", "high"]}), "p.csv", "predictions")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: predictions column 'prob_1' in p.csv row 2 (id 2) is 'high', not a number
    """
    where = f" in {path}" if path is not None else ""
    ids = np.asarray(table[ID]) if ID in table.colnames else None
    for name in table.colnames:
        if not _is_prob_column(name):
            continue
        col = table[name]
        if col.dtype.kind not in "fiub":
            table[name] = numeric_column(table, name, source, where=where, ids=ids)
        elif np.any(np.ma.getmaskarray(col)):
            # an empty cell of a number column (a CSV saved by pandas or a spreadsheet) is masked, and
            # np.asarray gave its fill value: evaluate scored the row with a probability of 0
            table[name] = Column(np.ma.filled(np.ma.asarray(col, dtype=float), np.nan), name=name, unit=col.unit,
                                 description=col.description, meta=col.meta, format=col.format)
    return table


#: How far a stored probability may lie outside 0-1 (float32 softmax outputs written and read again).
PROB_TOLERANCE = 1e-6


def check_probability_range(probs: np.ndarray, columns: Sequence[str], rows: np.ndarray | None = None,
                            where: str = "") -> None:
    """Refuse a probability outside 0-1 (beyond :data:`PROB_TOLERANCE`) on the rows used.

    Probabilities written in percent (another tool's ``prob_1`` of 71.6) or a hand-edited cell of
    1.7 were scored as they were: an ECE of 64 and a Brier score of 5506, a purity threshold of
    71.6, and suggestions ranked by the entropy of numbers that are no probabilities.

    Parameters
    ----------
    probs : numpy.ndarray
        ``[n_rows, n_columns]`` probabilities; NaN is left to the caller.
    columns : sequence of str
        The column of each of ``probs``' columns, named in the message.
    rows : numpy.ndarray, optional
        Boolean mask of the rows used (default: all).
    where : str
        Where the table came from (e.g. ``" of out.csv"``), for the message.

    Raises
    ------
    StarclassError
        Naming the first such cell (column, 1-based row, value), and saying when the columns look
        like percentages.

    Examples
    --------
    >>> check_probability_range(np.array([[0.2, 0.8], [1.0, 0.0]]), ["prob_1", "prob_2"])
    >>> try:
    ...     check_probability_range(np.array([[20.0, 80.0], [71.6, 28.4]]), ["prob_1", "prob_2"])
    ... except StarclassError as exc:
    ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
    prob_1 is 20 in row 1: a probability lies between 0 and 1 (the columns prob_1, prob_2 look like
    percentages, 20-80: divide them by 100)
    """
    p = np.asarray(probs, dtype=float)
    used = np.ones(len(p), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    with np.errstate(invalid="ignore"):
        outside = (p < -PROB_TOLERANCE) | (p > 1 + PROB_TOLERANCE)
    outside &= used[:, None]
    if not outside.any():
        return
    row, j = (int(i) for i in np.argwhere(outside)[0])
    finite = p[used][np.isfinite(p[used]).all(axis=1)]
    hint = ""
    # rows summing to about 100: percentages (one cell of 1.7 among probabilities is no such thing)
    if finite.size and finite.min() >= 0 and 50 < np.median(finite.sum(axis=1)) < 150:
        hint = (f" (the columns {', '.join(columns)} look like percentages, {finite.min():g}-{finite.max():g}: "
                "divide them by 100)")
    raise StarclassError(f"{columns[j]}{where} is {p[row, j]:g} in row {row + 1}: a probability lies between 0 and 1"
                         + hint)


#: The schema columns that make a table a catalogue of candidates: an id, a position, a class.
CATALOGUE_ROLES: tuple[str, ...] = (ID, X, Y, RA, DEC, CLASS_REF, CLASS_PRED)
# the names astropy gives the columns of a table without a header line (col1, col2 ...)
_UNNAMED_COLUMN = re.compile(r"^col\d+$")


def _no_header(names: Sequence[str]) -> bool:
    """Column names that are no header: astropy's ``col1`` ..., or numbers (the first data line read as one)."""
    return all(_UNNAMED_COLUMN.match(n) for n in names) or any(
        _is_float(tok) for n in names for tok in str(n).replace(",", " ").split())


def catalogue_roles(names: Iterable[str]) -> set[str]:
    """The id, position and class columns (schema names) that ``names`` give a table, by name or alias.

    A table with none of them (no id, no x, y or ra, dec, no class) is not a catalogue of candidates:
    a folder's own survey of its files, a list of exposures. Only names are looked at, not values.

    Parameters
    ----------
    names
        A table's column names, as in the file.

    Returns
    -------
    set of str
        The members of :data:`CATALOGUE_ROLES` the names stand for.

    Examples
    --------
    >>> sorted(catalogue_roles(["NUMBER", "X_IMAGE", "Y_IMAGE", "mag"]))
    ['id', 'x', 'y']
    >>> catalogue_roles(["file", "field", "n_rows", "class_col"])
    set()
    """
    roles = set()
    for name in names:
        lc = str(name).lower()
        role = lc if lc in CATALOGUE_ROLES else _ALIASES.get(lc, (None, None))[0]
        if role in CATALOGUE_ROLES:
            roles.add(role)
    return roles


def not_a_catalogue_reason(path: PathLike, column_map: Mapping[str, str] | None = None) -> str | None:
    """Why a table that did not read as a catalogue is plainly not one, or None when it may be one.

    A table whose header names no id, no position and no class (by schema name or alias, after
    ``column_map``) is no catalogue missing a column: telling the user to "name a column 'id' in the
    file" asked them to edit, say, the ``layouts.csv`` that documents a LEGUS folder. A file that does
    not read as a table (or as text of no set format, a ``.txt``), has no rows, or whose columns have no
    names (``col1``, ``col2`` ...), may still be one: None.

    Parameters
    ----------
    path
        The table file.
    column_map
        The renames the file was read with (``{"NUM": "id"}``), if any.

    Returns
    -------
    str or None
        ``"no id, position (x, y or ra, dec) or class column among its 3 columns (file, field, notes)"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "layouts.csv"
    >>> _ = f.write_text("file,n_rows,notes\\na.tab,12,standard\\n")
    >>> not_a_catalogue_reason(f)
    'no id, position (x, y or ra, dec) or class column among its 3 columns (file, n_rows, notes)'
    >>> _ = f.write_text("NUM,X_IMAGE,Y_IMAGE\\n1,2,3\\n")
    >>> not_a_catalogue_reason(f) is None
    True
    >>> _ = f.write_text("file,label,ra,dec\\ncluster/a.png,cluster,10.1,41.2\\n")
    >>> print(not_a_catalogue_reason(f).replace(str(f), "layouts.csv"))  # doctest: +NORMALIZE_WHITESPACE
    a table of cutout images (column 'file' names each image), not a catalogue of candidates;
    'starclass info layouts.csv' describes it
    """
    p = Path(path)
    from starclass.io.ssp_table import looks_like_ssp_table

    if p.is_file() and looks_like_ssp_table(p):
        # the SSP model (../shared/data/ssp) in a folder given to info: "required column 'id' missing ...; name a
        # column 'id' in the file" (until 2026-12-07)
        return (f"an SSP model table (its header starts 'Redshift Age(yr)'), taken by evaluate and report with "
                f"--ssp; 'starclass info {shell_word(p)}' describes it")
    fmt = guess_format(p)
    if fmt not in ("csv", "ecsv", "parquet", "fits"):
        # a .tab has no header (its columns are numbers); a .txt of prose reads as a table whose one
        # "column" is a sentence: only tables whose header is meant as one are judged by it
        return None
    try:
        with warnings.catch_warnings():
            # the reader that failed has warned already (a tab-separated file's decimal commas): not twice
            warnings.simplefilter("ignore")
            table = _read_generic(p, fmt)
    except StarclassError:
        return None
    names = table.colnames
    if not len(table) or not names or _no_header(names):
        return None
    if column := _cutout_file_column(table):
        # a cutout list (a classified one too) in a folder of catalogues: "name a column 'id' in the file" was
        # said of it (info cats/), advice for a catalogue; it is described as what it is by info FILE
        return (f"a table of cutout images (column {column!r} names each image), not a catalogue of candidates; "
                f"'starclass info {shell_word(p)}' describes it")
    renamed = [(column_map or {}).get(n, n) for n in names]
    if catalogue_roles(renamed):
        return None
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    why = f"no id, position (x, y or ra, dec) or class column among its {counted(len(names), 'column')} ({shown})"
    return why


def _cutout_file_column(table: Table) -> str | None:
    """The column of a cutout list (``file``, or the one a classified list records) whose values are image files."""
    from starclass.io.cutout_folders import IMAGE_SUFFIXES

    names = table.colnames
    recorded = str(table["file_column"][0]) if "file_column" in names and len(table) else None
    for column in (recorded, "file"):
        if column in names and table[column].dtype.kind in "US":
            values = [str(v).strip().lower() for v in table[column][:50]]
            if values and all(v.endswith(tuple(IMAGE_SUFFIXES)) for v in values):
                return column
    return None


def _short_cols(table: Table) -> str:
    names = table.colnames
    return ", ".join(names[:30]) + (" ..." if len(names) > 30 else "") if names else "none"


def _is_float(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


#: A UTF-8 byte-order mark as :func:`_head` decodes it.
_HEAD_BOM = "\ufeff"


def _head(p: Path, n: int = 4096) -> str:
    try:
        # a compressed catalogue is looked at inside: its compressed bytes say nothing of the format
        with open_table_file(p, "rb") as fh:
            head = fh.read(n)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):  # damaged: its reader says so
        return ""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" (UTF-16, its byte-order mark first): read as latin-1, every other character
        # was a NUL, and a LEGUS copy saved so was no LEGUS catalogue. n bytes may end inside a character
        return head.decode("utf-16", errors="replace")
    # as UTF-8, as the readers read it: as latin-1 a typeset minus sign (U+2212) was three characters, no minus,
    # and a LEGUS copy holding one was no LEGUS catalogue. Bytes that are no UTF-8 (and n bytes ending inside a
    # character) are replaced, never an error
    return head.decode("utf-8", errors="replace")


def _looks_like_cds(p: Path) -> bool:
    head = _head(p)
    return "Byte-by-byte Description" in head or head.lstrip().startswith("Title:")


def _json_value(v):
    """A meta value JSON can hold: numpy scalars and arrays as Python's, paths and the rest as text."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


def _fits_safe_meta(meta: Mapping) -> dict:
    """Meta for a FITS header: readable cards of the scalars and short strings, and all of it as JSON.

    The readable cards are for people reading the header (``fitsheader``); the JSON under
    :data:`FITS_META_KEY` (ASCII, long-string ``CONTINUE`` cards) is what :func:`restore_fits_meta`
    reads back: dicts, lists of numbers, ``None`` and long strings included.
    """
    out = {}
    for k, v in meta.items():
        if isinstance(v, (bool, int, float, np.integer, np.floating)):
            out[k] = v
        elif isinstance(v, str) and len(v) <= 68:
            out[k] = v
        elif isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v):
            s = ",".join(v)
            if len(s) <= 68:
                out[k] = s
    if meta:
        # ensure_ascii: a header holds ASCII only (a cutout folder named Ströme)
        out[FITS_META_KEY] = json.dumps(dict(meta), default=_json_value, ensure_ascii=True)
    return out


#: The meta key under which :func:`write_catalog` keeps the units a FITS ``TUNIT`` cannot hold (``electron``),
#: column -> unit as astropy writes it; :func:`restore_fits_meta` gives them back.
FITS_UNITS_KEY = "column_units"


def _non_fits_units(table: Table) -> dict[str, str]:
    """Column -> unit (astropy's generic text) of the columns whose unit the FITS standard does not hold.

    Examples
    --------
    >>> import astropy.units as u
    >>> t = Table({"bkg": [1.0], "x": [2.0]}); t["bkg"].unit = u.electron / u.s / u.pix; t["x"].unit = u.pix
    >>> _non_fits_units(t)
    {'bkg': 'electron / (pix s)'}
    """
    out = {}
    for name in table.colnames:
        unit = getattr(table[name], "unit", None)
        if unit is None:
            continue
        try:
            unit.to_string("fits")
        except (ValueError, TypeError):
            out[name] = unit.to_string()
    return out


def restore_csv_decision(table: Table) -> Table:
    """Put back the decision threshold ``classify`` keeps as columns of a CSV output into the meta.

    ``classify --threshold 0.4 -o OUT.csv`` (or a model's ``train --target-purity`` threshold)
    decides ``class_pred``; an ECSV, Parquet or FITS output records that in its meta
    (``threshold``, ``threshold_source``, ``positive_class``), which ``evaluate``, ``report`` and
    ``info`` say. A CSV keeps no meta, so ``classify`` writes them as columns of those names
    (:data:`starclass.schema.DECISION_COLUMNS`); this reads them back where each holds one value
    (rows of two classifications stacked hold no one decision, and are left as they are).

    Parameters
    ----------
    table : astropy.table.Table
        A table read from a CSV file; its ``meta`` is changed in place.

    Returns
    -------
    astropy.table.Table
        ``table``.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2], "threshold": [0.4, 0.4], "threshold_source": ["--threshold"] * 2,
    ...            "positive_class": [1, 1]})
    >>> m = restore_csv_decision(t).meta
    >>> m["threshold"], m["threshold_source"], m["positive_class"]
    (0.4, '--threshold', 1)
    """
    from starclass.schema import DECISION_COLUMNS, POSITIVE_CLASS, THRESHOLD, THRESHOLD_SOURCE

    if not len(table) or table.meta.get(THRESHOLD) is not None or any(c not in table.colnames
                                                                      for c in DECISION_COLUMNS):
        return table
    values = {}
    for c in DECISION_COLUMNS:
        col = table[c]
        if np.ma.getmaskarray(np.ma.asarray(col)).any():
            return table  # an empty cell: a hand-edited table, no one decision
        distinct = set(np.asarray(col).tolist())
        if len(distinct) != 1:
            return table
        values[c] = distinct.pop()
    try:
        thr, positive = float(values[THRESHOLD]), int(values[POSITIVE_CLASS])
    except (TypeError, ValueError):
        return table  # columns of these names that are not classify's: left as they are
    if not np.isfinite(thr):
        return table
    table.meta.update({THRESHOLD: thr, THRESHOLD_SOURCE: str(values[THRESHOLD_SOURCE]), POSITIVE_CLASS: positive})
    return table


def restore_csv_coverage(table: Table) -> Table:
    """Put back the conformal sets' coverage ``classify`` keeps as a column of a CSV output into the meta.

    Read back where the ``coverage`` column holds one number in (0, 1) on every row and the meta has none
    (rows of several classifications stacked may hold several: left as they are, and ``evaluate`` names them).

    Examples
    --------
    >>> restore_csv_coverage(Table({"pred_set": ["1", "1|2"], "coverage": [0.9, 0.9]})).meta["coverage"]
    0.9
    >>> "coverage" in restore_csv_coverage(Table({"pred_set": ["1", "2"], "coverage": [0.9, 0.8]})).meta
    False
    """
    from starclass.schema import COVERAGE, PRED_SET

    if not len(table) or table.meta.get(COVERAGE) is not None or COVERAGE not in table.colnames \
            or PRED_SET not in table.colnames:
        return table
    col = np.ma.asarray(table[COVERAGE])
    if np.ma.getmaskarray(col).any():
        return table
    try:
        distinct = {float(v) for v in np.asarray(col).tolist()}
    except (TypeError, ValueError):
        return table  # a column of this name that is not classify's
    if len(distinct) == 1 and 0 < (cov := distinct.pop()) < 1:
        table.meta[COVERAGE] = cov
    return table


def restore_fits_meta(table: Table, path: PathLike | None = None) -> Table:
    """Put back the meta :func:`write_catalog` kept as JSON in a FITS table's header.

    The header's own cards (upper-cased short keys, lists as comma-separated text) are replaced
    by the meta as written; cards the JSON does not hold (added to the header since) are kept. A
    table without the card is left as it is; a card that is not a JSON object is left in the
    meta with a warning naming the file.

    Parameters
    ----------
    table : astropy.table.Table
        A table read from a FITS file (``Table.read``); its ``meta`` is changed in place.
    path : path-like, optional
        The file, named in the warning.

    Returns
    -------
    astropy.table.Table
        ``table``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from astropy.table import Table
    >>> p = Path(tempfile.mkdtemp()) / "out.fits"
    >>> meta = {"classes": [1, 2], "eval_merges": {"b": {"x": [1], "y": [2]}}}
    >>> _ = write_catalog(Table({"id": [1]}, meta=meta), p)
    >>> Table.read(p).meta.get("classes")  # a header card holds no list of numbers
    >>> restore_fits_meta(Table.read(p)).meta["eval_merges"]
    {'b': {'x': [1], 'y': [2]}}
    """
    text = table.meta.get(FITS_META_KEY)
    if text is None:
        return table
    try:
        kept = json.loads(text)
        if not isinstance(kept, dict):
            raise ValueError(f"a JSON {type(kept).__name__}, not an object")
    except (TypeError, ValueError) as exc:
        warnings.warn(f"{path or 'FITS table'}: header card {FITS_META_KEY} is not the JSON meta starclass "
                      f"writes ({exc}); the header's other cards are read as the meta", UserWarning, stacklevel=2)
        return table
    own = {str(k).lower() for k in kept}
    others = {k: v for k, v in table.meta.items() if k != FITS_META_KEY and str(k).lower() not in own}
    table.meta.clear()
    table.meta.update(kept)
    table.meta.update(others)
    units = table.meta.pop(FITS_UNITS_KEY, None)
    for name, text in (units.items() if isinstance(units, dict) else ()):
        # the units TUNIT could not hold (write_catalog): bkg of an HST image in electron / (pix s)
        if name in table.colnames and table[name].unit is None:
            unit = u.Unit(str(text), parse_strict="silent")
            if not isinstance(unit, u.UnrecognizedUnit):
                table[name].unit = unit
    return table
