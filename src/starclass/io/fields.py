"""Several fields at once: each a set of band mosaics with its own candidate catalogue.

A survey (the M31 search's overlapping fields) or a set of galaxies (StarcNet's 31) is
trained on together. The fields come either from repeated command-line options, one
``--catalog`` per ``--mosaics`` in the same order, or from a small fields list: a CSV (or
ECSV) file with one row per field and the columns

``mosaics``
    a directory of band mosaics, or band files separated by ``;``;
``catalog``
    the field's candidate catalogue;
``name`` (optional)
    the field's name (default: the mosaics' directory or file name);
``galaxy`` (optional)
    the galaxy it belongs to (default: the catalogue's ``galaxy`` column, else the field name).

Relative paths in a fields list are relative to the list's own folder, so a list travels with
its data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starclass.errors import StarclassError, counted, refuse_no_rows
from starclass.schema import row_name

__all__ = ["FieldSpec", "FieldMosaics", "field_mosaics_option", "read_fields_list", "pair_fields",
           "split_list_cell"]

#: Columns a fields list must have.
REQUIRED = ("mosaics", "catalog")


def split_list_cell(cell: str) -> list[str]:
    """The paths of one CSV cell that lists several, separated by ``;`` (blanks around each and empty ones dropped).

    One rule for every CSV that lists a field's mosaics: a fields list (``train``/``cutouts --fields``) and a
    survey's CSV plan, where 'f1/a.fits;f1/b.fits' was taken for one file of that name.

    Parameters
    ----------
    cell : str
        The cell's text.

    Returns
    -------
    list of str
        Its paths, in their order.

    Examples
    --------
    >>> split_list_cell(" f1/a.fits; f1/b.fits;")
    ['f1/a.fits', 'f1/b.fits']
    >>> split_list_cell("fields/*.fits")
    ['fields/*.fits']
    """
    return [p.strip() for p in cell.split(";") if p.strip()]


@dataclass(frozen=True)
class FieldSpec:
    """One field: its name, band mosaics, catalogue and (optionally) galaxy.

    Attributes
    ----------
    name
        Field name, unique among the fields (stored per candidate in the ``field`` column).
    mosaics
        Band mosaic files, or one directory of them.
    catalog
        Candidate catalogue of this field (0-based x, y on its mosaics).
    galaxy
        Galaxy name for every candidate of the field, or None: the catalogue's own ``galaxy``
        column, else the field name.

    Examples
    --------
    Made by :func:`read_fields_list` or :func:`pair_fields`:

    >>> f = FieldSpec("north", (Path("m31/north"),), Path("north.ecsv"), "M31")
    >>> f.name, f.galaxy
    ('north', 'M31')
    """

    name: str
    mosaics: tuple[Path, ...]
    catalog: Path
    galaxy: str | None = None


def default_field_name(mosaics: Sequence[str | os.PathLike]) -> str:
    """A field's name from its mosaics: a directory's name, or the folder of its band files.

    The one rule of every command that names a field it was not given a name for: ``cutouts`` and
    ``train`` of several fields (one mosaics folder per ``--catalog``, a fields list without ``name``)
    and ``cutouts --merge`` of stores cut apart, from the mosaics each store records
    (:func:`starclass.stamps.merge.field_names`), so one field has one name however it was cut.

    Parameters
    ----------
    mosaics : sequence of path-like
        The field's mosaics: one directory, or band files.

    Returns
    -------
    str
        The directory's name; for band files their folder's name (a file's stem where it has no folder).

    Examples
    --------
    >>> default_field_name(["m31/f1"]), default_field_name(["m31/f1/f475w.fits", "m31/f1/f814w.fits"])
    ('f1', 'f1')
    """
    mosaics = tuple(Path(m) for m in mosaics)
    first = mosaics[0]
    from starclass.io.mosaic import is_fits_name

    if len(mosaics) == 1 and not is_fits_name(first):
        return first.name
    return first.parent.name or first.stem


def _check_unique(fields: list[FieldSpec], where: str) -> list[FieldSpec]:
    seen: dict[str, FieldSpec] = {}
    for f in fields:
        if f.name in seen:
            raise StarclassError(
                f"{where}: two fields are named {f.name!r} ({seen[f.name].catalog} and {f.catalog}); give each "
                "field its own name (a fields list with a name column)")
        seen[f.name] = f
    return fields


def pair_fields(mosaics: list[Path], catalogs: list[Path]) -> list[FieldSpec]:
    """Fields from repeated options: the i-th ``--mosaics`` goes with the i-th ``--catalog``.

    Parameters
    ----------
    mosaics
        One entry per field: a directory of band mosaics (a field's band files together are
        given through a fields list instead).
    catalogs
        One catalogue per field, in the same order.

    Returns
    -------
    list of FieldSpec

    Raises
    ------
    StarclassError
        When the counts differ or two fields would have the same name.

    Examples
    --------
    >>> [f.name for f in pair_fields([Path("m31/f1"), Path("m31/f2")], [Path("f1.ecsv"), Path("f2.ecsv")])]
    ['f1', 'f2']
    """
    # worded for both callers: train takes the mosaics as --mosaics, cutouts as its arguments
    if len(mosaics) != len(catalogs):
        raise StarclassError(
            f"{counted(len(mosaics), 'mosaics folder')} but {len(catalogs)} --catalog: for several fields give one "
            "--catalog per mosaics folder, in the same order (or a fields list: --fields FILE)")
    fields = [FieldSpec(default_field_name((Path(m),)), (Path(m),), Path(c)) for m, c in zip(mosaics, catalogs)]
    return _check_unique(fields, "mosaics folders and --catalog")


def read_fields_list(path: str | Path) -> list[FieldSpec]:
    """Read a fields list (CSV with ``mosaics``, ``catalog`` and optional ``name``, ``galaxy``).

    Parameters
    ----------
    path
        The list file; relative paths in it are taken from its folder.

    Returns
    -------
    list of FieldSpec
        In file order.

    Raises
    ------
    StarclassError
        A missing file or column, an empty cell, a path that does not exist (naming the row),
        no rows, or two fields with one name.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("north", "south"):
    ...     (d / name).mkdir(); (d / f"{name}.ecsv").touch()
    >>> rows = ["name,mosaics,catalog,galaxy", "n,north,north.ecsv,M31", "s,south,south.ecsv,M31"]
    >>> _ = (d / "fields.csv").write_text("\\n".join(rows))
    >>> [(f.name, f.mosaics[0].name, f.galaxy) for f in read_fields_list(d / "fields.csv")]
    [('n', 'north', 'M31'), ('s', 'south', 'M31')]
    """
    path = Path(path)
    if path.is_dir():
        # "no such file" of a folder that is there
        raise StarclassError(f"fields list {path} is a directory; give the CSV that lists the fields (columns "
                             f"{', '.join(REQUIRED)})")
    if not path.is_file():
        raise StarclassError(f"fields list {path}: no such file")
    from starclass.io.catalog import csv_dialect, csv_dict_reader

    encoding, sep = csv_dialect(path)  # a spreadsheet's ';' or tab, and its byte-order mark
    try:
        with path.open(newline="", encoding=encoding) as fh:
            # ECSV headers and notes are comment lines, indented ones too (an indented '# note' was read as the
            # header or a field), as every CSV reader skips them; Excel's 'sep=;' line was the header (a
            # traceback). Blank lines are skipped there too, but not inside a quoted value: a note's empty line
            # was dropped here
            reader = csv_dict_reader(fh, sep)
            numbered = [(dict(row), reader.line) for row in reader]
            header = bool(reader.fieldnames)
    except UnicodeDecodeError:
        from starclass.io.cutout_folders import not_utf8_message

        # the Windows code page ('é' as 0xe9): a UnicodeDecodeError traceback
        raise StarclassError(f"fields list {not_utf8_message(path)}") from None
    except OSError as exc:
        # no read permission: a PermissionError traceback from Python (the command line checks it first)
        raise StarclassError(f"fields list {path}: cannot read it ({exc.strerror or exc})") from None
    rows = [row for row, _ in numbered]
    if header:
        # its header alone was told "no fields (expected a header and one row per field)", as a blank file is
        refuse_no_rows(rows, path, "fields list", why=": no fields (one row per field)")
    if not rows:
        raise StarclassError(f"fields list {path}: no fields (expected a header and one row per field)")
    have = [c.strip() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in have]
    if missing:
        raise StarclassError(f"fields list {path}: no column {', '.join(missing)} (columns: {', '.join(have)}); "
                             f"expected {', '.join(REQUIRED)} and optionally name, galaxy")
    base = path.parent
    fields = []
    for i, (row, line) in enumerate(numbered):
        # "row 2 (line 3 of the file)": rows counted from 1 below the header, as every reader names them, and the
        # line as an editor numbers it (a '# note' or 'sep=;' line above the header made it one line short)
        where = row_name(i, header_lines=line - i - 1)
        row = {str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None}
        for col in REQUIRED:
            if not row.get(col):
                raise StarclassError(f"fields list {path}, {where}: empty {col}")
        mosaics = tuple(base / p for p in split_list_cell(row["mosaics"]))
        catalog = base / row["catalog"]
        for p in (*mosaics, catalog):
            if not p.exists():
                raise StarclassError(f"fields list {path}, {where}: {p} does not exist")
        fields.append(FieldSpec(row.get("name") or default_field_name(mosaics), mosaics, catalog,
                                row.get("galaxy") or None))
    return _check_unique(fields, f"fields list {path}")


@dataclass(frozen=True)
class FieldMosaics:
    """Each field's mosaics, by the field's name: the images a table of several fields was classified on.

    A table with a ``field`` column holds each field's x, y on its own mosaics; its stamps are cut
    field by field (``starclass report --mosaics FIELD=DIR``, :func:`field_mosaics_option`).

    Attributes
    ----------
    by_field
        Field name -> its mosaics: the paths given (a folder, or band files), or what was read
        from them (a ``MosaicSet``).

    Examples
    --------
    >>> m = FieldMosaics({"north": (Path("m31/north"),), "south": (Path("m31/south"),)})
    >>> sorted(m.by_field)
    ['north', 'south']
    """

    by_field: dict[str, Any]


def _named_entry(entry: str) -> tuple[str, str] | None:
    """``(field, path)`` of a ``FIELD=PATH`` entry; None for a plain path (one that exists is never split)."""
    if "=" not in entry or Path(entry).exists():
        return None
    name, path = entry.split("=", 1)
    return name.strip(), path.strip()


def field_mosaics_option(entries: Sequence[str | os.PathLike], option: str = "--mosaics"
                         ) -> list[Path] | FieldMosaics:
    """Read a repeated mosaics option that may give each field its own: ``FIELD=DIR`` or folders named as fields.

    The forms, one per field of a table with a ``field`` column:

    * ``FIELD=PATH``: the field's mosaics folder, or one of its band files (repeat ``FIELD=FILE`` for
      each band);
    * a folder alone when several are given: the field it holds is named by the folder, as
      ``cutouts`` and ``train`` name the fields of their mosaics folders
      (:func:`default_field_name`).

    Anything else (one folder, or band files) is one field's mosaics, returned as the paths given.

    Parameters
    ----------
    entries
        The option's values, in the order given.
    option
        The option's name, for the messages.

    Returns
    -------
    list of Path or FieldMosaics
        The paths (one field) or each field's paths.

    Raises
    ------
    StarclassError
        A ``FIELD=PATH`` without its name or path, a field given twice as folders, or named and plain
        entries mixed.

    Examples
    --------
    >>> field_mosaics_option(["a=m31/a", "b=m31/b"]).by_field
    {'a': (PosixPath('m31/a'),), 'b': (PosixPath('m31/b'),)}
    >>> field_mosaics_option(["a=f1/v.fits", "a=f1/i.fits"]).by_field
    {'a': (PosixPath('f1/v.fits'), PosixPath('f1/i.fits'))}
    >>> field_mosaics_option(["f1/v.fits", "f1/i.fits"])
    [PosixPath('f1/v.fits'), PosixPath('f1/i.fits')]
    """
    texts = [str(e) for e in entries]
    named = [_named_entry(t) for t in texts]
    if not any(named):
        paths = [Path(t) for t in texts]
        if len(paths) > 1 and all(p.is_dir() for p in paths):
            # several folders are several fields (one set of band files is one field): named as cutouts names them
            by_field: dict[str, tuple[Path, ...]] = {}
            for p in paths:
                name = default_field_name((p,))
                if name in by_field:
                    raise StarclassError(f"{option}: the folders {by_field[name][0]} and {p} are both named {name!r}, "
                                         f"so both would be field {name!r}; give each field as {option} FIELD=DIR")
                by_field[name] = (p,)
            return FieldMosaics(by_field)
        return paths
    if not all(named):
        plain = next(t for t, n in zip(texts, named) if n is None)
        raise StarclassError(f"{option} {plain}: give every field's mosaics as FIELD=PATH once one is named so "
                             "(or each field's folder, named as the field, with no FIELD=)")
    by_name: dict[str, list[Path]] = {}
    for text, (name, path) in zip(texts, named):  # type: ignore[misc]
        if not name or not path:
            raise StarclassError(f"{option} {text}: give FIELD=PATH, the field's name as in the table's "
                                 "'field' column and its mosaics folder or band file")
        by_name.setdefault(name, []).append(Path(path))
    return FieldMosaics({k: tuple(v) for k, v in by_name.items()})
