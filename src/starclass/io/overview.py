"""Many catalogues at a glance: ``starclass info DIR`` and the ``--map`` syntax.

:func:`catalog_row` reduces one schema table to one row (field, n_rows, n_inspected, n_1-n_4,
bands, CI cut, layout, what was mapped); :func:`summarise_dir` reads every catalogue of a folder
into one table, one row per file, and keeps each file's warnings (an uncertain LEGUS layout says
so) beside it instead of stopping.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.errors import ColumnMapError, StarclassError, counted
from starclass.io.compressed_text import inner_name
from starclass.io.legus import machine_only
from starclass.schema import (
    CI_CUT,
    CLASS_COLUMN,
    CLASS_METHOD,
    CLASS_PRED,
    CLASS_REF,
    CLASSES,
    FIELD,
    LAYOUT,
    MAPPED,
    N_INSPECTED,
    N_ROWS,
    SUMMARY_BANDS,
    SUMMARY_FILE,
    bands_in,
    class_array,
    class_count_column,
    is_known,
)

#: File endings :func:`summarise_dir` reads as catalogues (``.tab.gz``: a LEGUS catalogue as an archive
#: keeps it; read_catalog read one, but a folder scan skipped it). A text table compressed with gzip, bzip2 or
#: xz (``cat.csv.gz`` as VizieR hands it out) is read as the one inside (io.compressed_text): a folder of them
#: was "no catalogue could be read" until 2026-12-07.
_TEXT_CATALOG_SUFFIXES = (".tab", ".ecsv", ".csv", ".mrt", ".cds", ".dat", ".txt")
CATALOG_SUFFIXES = (".tab", ".tab.gz", ".ecsv", ".csv", ".parquet", ".pq", ".fits", ".fit", ".mrt", ".cds",
                    ".dat", ".txt",
                    *(f"{base}{comp}" for base in _TEXT_CATALOG_SUFFIXES for comp in (".gz", ".bz2", ".xz")
                      if f"{base}{comp}" != ".tab.gz"))

#: The endings of a LEGUS ``.tab`` as :data:`CATALOG_SUFFIXES` reads it: plain, or compressed with gzip, bzip2, xz
#: (``evaluate --catalogs DIR`` finds them by these, as ``info DIR`` does)
LEGUS_SUFFIXES = tuple(s for s in CATALOG_SUFFIXES if inner_name(s) == ".tab")


def plain_copy_beside(p: Path) -> bool:
    """Whether ``p`` is a compressed catalogue beside its plain copy (``x.tab.gz`` beside ``x.tab``): one catalogue.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "x.tab").write_text(""); _ = (d / "x.tab.xz").write_text("")
    >>> plain_copy_beside(d / "x.tab.xz"), plain_copy_beside(d / "x.tab")
    (True, False)
    """
    plain = inner_name(p.name)
    return plain != p.name and p.with_name(plain).is_file()


def files_not_read_note(names: Sequence[str], as_what: str, shown: int = 8, noted: Collection[str] = ()) -> str:
    """A folder's files not read, named in one line: "3 files not read as LEGUS catalogues: a, b, c".

    ``info DIR`` and ``evaluate --catalogs DIR`` say the files of a folder they leave out in these words
    (info left a README and a ``.readme`` out without a word, where evaluate named them).

    Parameters
    ----------
    names : sequence of str
        The files' names, in the order to show them.
    as_what : str
        What they were not read as, singular: ``"LEGUS catalogue"``, ``"catalogue"`` (one file "not read as a
        catalogue", several "not read as catalogues").
    shown : int
        The most names given; the rest are counted.
    noted : collection of str
        Those of ``names`` with a note of their own that names them and says why (``info DIR``'s "layouts.csv:
        not a catalogue, skipped: ..."): counted, not named, so that each file is named once.

    Returns
    -------
    str
        Empty where ``names`` is, or where every one of them is in ``noted``.

    Examples
    --------
    >>> files_not_read_note(["README.md", "layouts.csv"], "LEGUS catalogue")
    '2 files not read as LEGUS catalogues: README.md, layouts.csv'
    >>> files_not_read_note(["notes.md"], "catalogue")
    '1 file not read as a catalogue: notes.md'
    >>> files_not_read_note([f"{k}.md" for k in range(5)], "catalogue", shown=2)
    '5 files not read as catalogues: 0.md, 1.md, ... (3 more)'
    >>> files_not_read_note(["README.md", "layouts.csv"], "LEGUS catalogue", noted={"layouts.csv"})
    '2 files not read as LEGUS catalogues: README.md, and 1 with a note of its own below'
    """
    named = [n for n in names if n not in noted]
    if not named:
        return ""
    more = f", ... ({len(named) - shown} more)" if len(named) > shown else ""
    below = len(names) - len(named)
    # info DIR named layouts.csv here and again in its own note ("layouts.csv: not a catalogue, skipped: ..."); the
    # count stays the one evaluate --catalogs gives of the folder
    said = f", and {below} with a note of {'its' if below == 1 else 'their'} own below" if below else ""
    what = f"a {as_what}" if len(names) == 1 else f"{as_what}s"
    return f"{counted(len(names), 'file')} not read as {what}: {', '.join(named[:shown])}{more}{said}"


def parse_column_map(items: Iterable[str] | None) -> dict[str, str] | None:
    """``--map`` items -> ``{source column: schema name}``.

    Each item is ``A=B`` or several separated by commas. Either order is accepted: the side
    that is a schema name (``class_ref``, ``x``, ``mag_f555w``) is the target, the other the
    file's column (a name, or a number for a LEGUS ``.tab``). When both sides are schema
    names, the left is the source (the older ``--map X_IMAGE=x`` form).

    Parameters
    ----------
    items
        The ``--map`` values.

    Returns
    -------
    dict or None
        None when there is nothing to map.

    Raises
    ------
    StarclassError
        An item without ``=`` or with an empty side.

    Examples
    --------
    >>> parse_column_map(["class_ref=34,ci=16", "X_IMAGE=x", "Class=class_ref"])
    {'34': 'class_ref', '16': 'ci', 'X_IMAGE': 'x', 'Class': 'class_ref'}
    """
    if not items:
        return None
    out: dict[str, str] = {}
    for item in items:
        for part in str(item).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise StarclassError(f"--map expects SOURCE=schema_name or schema_name=SOURCE, got {part!r}")
            left, right = (s.strip() for s in part.split("=", 1))
            if not left or not right:
                raise StarclassError(f"--map item {part!r} has an empty side")
            # the target is the side the schema knows; a number is always a LEGUS column
            if (is_known(left) and not is_known(right)) or right.isdigit() or right.lower().startswith("col") \
                    and right[3:].isdigit():
                left, right = right, left
            add_map_entry(out, left, right)
    return out or None


def _source_key(source: str) -> tuple[bool, str]:
    """``(is a LEGUS column number, the source as compared)``: ``"35"`` and ``"col35"`` are one column."""
    s = str(source).strip().lower()
    if is_column_number(s):
        return True, str(int(s[3:] if s.startswith("col") else s))
    return False, s


def add_map_entry(out: dict[str, str], source: str, target: str) -> None:
    """Add ``source -> target`` to a column map, refusing a map that says two things of one column.

    ``--map class_ref=36 --map class_ref=35`` read the class from column 35 while ``info`` said column 36,
    and ``--map class_ref=36 --map ci=36`` kept ``ci`` alone, both without a word: the later item replaced
    the earlier one. A number and a name may share a target (in a folder, numbers apply to LEGUS files and
    names to the other tables), and an item given twice is no conflict.

    Raises
    ------
    StarclassError
        One source mapped to two targets, or two sources of one kind (two numbers, two names) to one target.

    Examples
    --------
    >>> m = {}
    >>> for source in ("35", "col35", "Class"):
    ...     add_map_entry(m, source, "class_ref")
    >>> m
    {'35': 'class_ref', 'Class': 'class_ref'}
    >>> add_map_entry(m, "36", "class_ref")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --map names two columns as class_ref, 35 and 36: ...
    """
    kind, key = _source_key(source)
    for src, dst in out.items():
        other_kind, other_key = _source_key(src)
        if (other_kind, other_key) == (kind, key):
            if dst == target:
                return  # the same item again
            raise StarclassError(f"--map names column {source} twice, as {dst} and as {target}: a column is read as "
                                 "one thing; keep the --map item you mean")
        if dst == target and other_kind == kind:
            raise StarclassError(f"--map names two columns as {target}, {src} and {source}: only one can be read as "
                                 f"{target}; keep the --map item you mean")
    out[source] = target


def catalog_row(table: Table, name: str) -> dict:
    """One summary row of a schema catalogue.

    Parameters
    ----------
    table
        A table from :func:`starclass.io.catalog.read_catalog`.
    name
        The file name (the field when the table names none).

    Returns
    -------
    dict
        ``file, field, n_rows, n_inspected, n_1..n_4, class_column, bands, ci_cut, layout, mapped``: the counts
        (``class_column`` names the column they count, ``""`` where there is none) named as
        ``evaluate --catalogs``' ``fields.ecsv`` names them (:data:`starclass.schema.N_ROWS` ...; they were
        ``rows, inspected, n1..n4`` until 2026-12-07).

    Examples
    --------
    >>> t = Table({"id": [1, 2, 3], "class_ref": [1, 4, 0], "mag_f555w": [20.0, 21.0, 22.0]})
    >>> r = catalog_row(t, "x.ecsv")
    >>> r["n_inspected"], r["n_1"], r["n_4"], r["class_column"], r["bands"]
    (2, 1, 1, 'class_ref', 'f555w')
    """
    cls = class_array(table, CLASS_REF) if CLASS_REF in table.colnames else np.zeros(len(table), int)
    meta = table.meta
    field = meta.get("field") or (str(table["galaxy"][0]) if "galaxy" in table.colnames and len(table)
                                  else Path(name).stem)
    from starclass.io.catalog import format_words

    # a table that is no LEGUS file is described by what it is: astropy's reader name 'ascii' said nothing
    layout = meta.get("legus_layout") or (format_words(str(meta["format"]), meta.get("text_separator"))
                                          if meta.get("format") else "")
    if meta.get("legus_layout") and not meta.get("layout_certain", True):
        layout += " (uncertain)"
    if CLASS_REF not in table.colnames and CLASS_PRED in table.colnames:
        # a classified catalogue (classify's output, the demo's classified.ecsv): its classes are a model's,
        # which n_1-n_4 (people's classes, class_ref) do not count; "no class column" sent people looking
        layout += f"; predicted classes only ({CLASS_PRED}: info on the file counts them)"
    elif CLASS_REF not in table.colnames:
        layout += "; no class column"
    bands = ",".join(bands_in(table))
    if str(meta.get("bands_source", "")).startswith("assumed"):
        bands += " (assumed)"
    ci_cut = meta.get("ci_cut")
    if ci_cut is None and "ci" in table.colnames and np.isin(cls, CLASSES).any():
        ci_cut = round(float(np.nanmin(np.asarray(table["ci"], float)[np.isin(cls, CLASSES)])), 2)
    mapped = meta.get("column_map_used") or {}
    # every name from starclass.schema: evaluate --catalogs' fields.ecsv shares field, the counts and ci_cut
    row = {SUMMARY_FILE: Path(name).name, FIELD: field, N_ROWS: len(table),
           N_INSPECTED: int(np.isin(cls, CLASSES).sum())}
    row.update({class_count_column(k): int((cls == k).sum()) for k in CLASSES})
    # which column n_1-n_4 counted: a classified catalogue's class_pred is not it, and the counts did not say so
    # in csv/ecsv (only the text layout's words did); "" (none counted) is shown as a missing value
    row[CLASS_COLUMN] = CLASS_REF if CLASS_REF in table.colnames else ""
    row.update({SUMMARY_BANDS: bands, CI_CUT: np.nan if ci_cut is None else float(ci_cut), LAYOUT: layout,
                MAPPED: ", ".join(f"{s}->{d}" for s, d in mapped.items())})
    return row


def hybrid_note(table: Table) -> str | None:
    """For a hybrid human + machine class (LEGUS NGC 1566): how many of the classes no person gave.

    The summary's ``n_inspected`` column counts every labelled row; in the hybrid layout
    ``class_method`` 0 marks a class from the machine-learning classifier alone, so those rows
    were not inspected by anyone (654 of NGC 1566's 2451).

    Examples
    --------
    >>> t = Table({"class_ref": [1, 2, 3, 0], "class_method": [0, 1, 3, 0]})
    >>> "1 of the 3 labelled rows" in hybrid_note(t)
    True
    """
    if CLASS_METHOD not in table.colnames or CLASS_REF not in table.colnames:
        return None
    cls = class_array(table, CLASS_REF)
    method = np.asarray(table[CLASS_METHOD])
    done = np.isin(cls, CLASSES)
    ml, checked = int(np.sum(machine_only(table))), int(np.sum(done & (method == 1)))
    if not ml and not checked:
        return None
    return (f"'{N_INSPECTED}' counts the hybrid class: {ml} of the {int(done.sum())} labelled rows are the "
            f"machine-learning class alone (class_method 0), {checked} one person's check of it (class_method 1)")


def is_column_number(source: str) -> bool:
    """True for a LEGUS column number in a ``--map`` source (``"35"`` or ``"col35"``).

    Examples
    --------
    >>> is_column_number("35"), is_column_number("col16"), is_column_number("X_IMAGE")
    (True, True, False)
    """
    s = str(source).strip().lower()
    s = s[3:] if s.startswith("col") else s
    return s.isdigit()


def _read_caught(read, path: Path, column_map):
    """``read(path)`` with its warnings kept: ``(table or None, error or None, warnings)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return read(path, column_map=column_map, require_xy=False), None, list(caught)
        except StarclassError as exc:
            return None, exc, list(caught)


def _map_text(column_map: Mapping[str, str]) -> str:
    """``{"35": "class_ref"}`` -> ``"35 -> class_ref"``: the direction the map was read in."""
    return ", ".join(f"{s} -> {d}" for s, d in column_map.items())


def summarise_dir(directory: str | os.PathLike, column_map: Mapping[str, str] | None = None, *,
                  read: Callable[..., Table] | None = None,
                  allow_none: bool = False, read_elsewhere: Collection[str] = ()) -> tuple[Table, list[str]]:
    """Read every catalogue in ``directory`` and summarise them, one row per file.

    A folder mixes files that need no map with the few that do, so ``column_map`` is applied
    only where it is meant to be (``--map`` where a layout is uncertain): column numbers
    (``{"35": "class_ref"}``) to the LEGUS ``.tab`` files whose layout is uncertain, column
    names (``{"X_IMAGE": "x"}``) to the other tables. A LEGUS file whose layout is certain is
    read with its own layout (a note counts them); applied to every file, ``class_ref=35`` read
    the class means of the standard files as classes.

    Parameters
    ----------
    directory
        A folder of catalogues (``.tab``, ``.ecsv``, ``.csv``, ``.mrt``, ...).
    column_map
        Source column -> schema name, as :func:`parse_column_map` gives it.
    read
        The reader (default :func:`starclass.io.catalog.read_catalog`).
    allow_none
        When no file reads as a catalogue, return an empty table and the notes (each file
        named with why it was skipped) instead of raising: ``starclass info`` on a folder of
        FITS mosaics beside a stray ``pos.txt`` describes the mosaics and notes the file.
    read_elsewhere
        Names of files the caller reads as something else (``info``'s FITS mosaics): not among the
        files the notes say were not read. The others whose names no catalogue has (a README, a
        ``.readme``) and those that did not read as catalogues (each also in a note of its own, saying why) are
        counted and named in one note, as ``evaluate --catalogs`` names them.

    Returns
    -------
    (astropy.table.Table, list of str)
        The summary sorted by field, and the warnings and errors met, each naming its file.

    Raises
    ------
    StarclassError
        When the folder holds no catalogue (unless ``allow_none``), or the map does not fit a file it applies to (a
        column it names is not there): the file is named, rather than left out of the summary.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> Table({"NUM": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "Class": [1, 4]}).write(d / "a.csv")
    >>> t, notes = summarise_dir(d, {"NUM": "id", "Class": "class_ref"})
    >>> int(t["n_1"][0]), int(t["n_4"][0]), str(t["mapped"][0])
    (1, 1, 'NUM->id, Class->class_ref')
    """
    if read is None:
        from starclass.io.catalog import read_catalog as read
    d = Path(directory)
    files = sorted(p for p in d.iterdir() if p.is_file() and p.name.lower().endswith(CATALOG_SUFFIXES)
                   and not p.name.lower().endswith(".readme")
                   # a .tab.gz beside its .tab (a .csv.gz beside its .csv) is the same catalogue: listed once
                   and not plain_copy_beside(p))
    numbered = {s: v for s, v in (column_map or {}).items() if is_column_number(s)}
    named = {s: v for s, v in (column_map or {}).items() if not is_column_number(s)}
    rows, notes, certain, v_assumed = [], [], [], []
    # the files left out by their names (a README, a .readme), said as evaluate --catalogs says them: they were
    # left out without a word. Hidden files and a .tab.gz beside its .tab (a .csv.gz ...) are not counted (as there)
    by_name = [p.name for p in sorted(d.iterdir()) if p.is_file() and p not in files and not p.name.startswith(".")
               and p.name not in read_elsewhere
               and not plain_copy_beside(p)]
    # with the tables tried and not read (the LEGUS folder's layouts.csv): one count of the files not read, as
    # evaluate --catalogs counts them ("2 files not read" beside a layouts.csv note said 3 there until 2026-12-07)
    unread = list(by_name)
    said_why: set[str] = set()  # the files of unread with a note of their own, saying why
    legus_rows = 0
    for p in files:
        t, err, caught = _read_caught(read, p, None)
        legus = t is not None and t.meta.get("format") == "legus"
        cmap = None
        if legus and numbered:
            if t.meta.get("layout_certain", True):
                certain.append(p.name)
            else:
                cmap = numbered
        elif named and not legus and (t is not None or not p.name.lower().endswith(".tab")):
            # also a table that cannot be read without it: the map may name its id or x, y
            cmap = named
        if cmap:
            mapped, map_err, map_caught = _read_caught(read, p, cmap)
            if mapped is not None:
                t, err, caught = mapped, None, map_caught
            elif t is not None or isinstance(map_err, ColumnMapError):
                # a column the map names is not there, or the file reads without the map but not with
                # it: the map does not fit this file
                why = str(map_err)
                why = why[len(f"{p}: "):] if why.startswith(f"{p}: ") else why
                raise StarclassError(f"--map ({_map_text(cmap)}) does not fit {p}: {why}")
            else:
                err = map_err
        if t is None:
            # a table of no candidates (the LEGUS folder's own layouts.csv) was told "name a column 'id' in
            # the file": said as no catalogue instead; a catalogue lacking its id keeps that hint
            from starclass.io.catalog import not_a_catalogue_reason

            if p.name not in read_elsewhere:
                unread.append(p.name)
                said_why.add(p.name)
            if why := not_a_catalogue_reason(p, cmap):
                notes.append(f"{p.name}: not a catalogue, skipped: {why}")
            else:
                notes.append(f"{p.name}: not read as a catalogue, skipped: {err}")
            continue
        notes.extend(f"{p.name}: {w.message}" if p.name not in str(w.message) else str(w.message)
                     for w in caught)
        rows.append(catalog_row(t, p.name))
        legus_rows += bool(legus)
        if note := hybrid_note(t):
            notes.append(f"{p.name}: {note}")
        if legus and str(t.meta.get("v_camera_source", "")).startswith("assumed"):
            v_assumed.append(str(t.meta.get("field") or p.stem))
    if unread and (note := files_not_read_note(
            sorted(unread), "LEGUS catalogue" if rows and legus_rows == len(rows) else "catalogue", noted=said_why)):
        # a file with a note of its own (that names it and says why) was said twice: "3 files not read as LEGUS
        # catalogues: README.md, ..., layouts.csv" and "layouts.csv: not a catalogue, skipped: ...". A folder of LEGUS
        # catalogues counts the others as evaluate --catalogs counts them, in one wording
        notes.insert(0, note)
    if not rows and allow_none:
        return Table(), notes
    if not rows:
        # the plain endings, the compressed ones in a word: 32 endings made a line no one reads
        plain = [sfx for sfx in CATALOG_SUFFIXES if not sfx.endswith((".gz", ".bz2", ".xz"))]
        # why each table was skipped: a folder of one five-class CSV ("class 5 ... is not 0-4") said only this
        skipped = [n for n in notes if ", skipped: " in n]
        raise StarclassError(f"no catalogue could be read in {d} (looked for {', '.join(plain)}, .tab.gz, and the "
                             "text ones compressed .gz/.bz2/.xz)" + (f"; {'; '.join(skipped)}" if skipped else ""))
    if numbered and certain:
        notes.append(f"--map ({_map_text(numbered)}) applied only to the LEGUS files whose layout is uncertain, not to "
                     f"the {len(certain)} read with a certain layout (starclass info FILE --map ... maps one file)")
    if v_assumed:
        # the row's "(assumed)" spoke of the filter names only; the camera, which moves the SSP model's V, went unsaid
        notes.append(f"V camera assumed for {len(v_assumed)} LEGUS file{'s' if len(v_assumed) != 1 else ''}, which no "
                     f"source states ({', '.join(sorted(v_assumed))}): the SSP model's V takes the filter-only AB - "
                     "Vega offset (F555W: WFC3/UVIS's -0.030, where ACS/WFC's -0.006 would put mass limits 0.0096 dex "
                     "lower); starclass info FILE says so for one file")
    out = Table(rows=rows, names=list(rows[0]))
    out.sort(FIELD)
    return out, notes
