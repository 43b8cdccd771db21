"""Many catalogues at a glance: ``starclass info DIR`` and the ``--map`` syntax.

:func:`catalog_row` reduces one schema table to one row (field, rows, inspected, classes 1-4,
bands, CI cut, layout, what was mapped); :func:`summarise_dir` reads every catalogue of a folder
into one table, one row per file, and keeps each file's warnings (an uncertain LEGUS layout says
so) beside it instead of stopping.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.schema import CLASS_REF, CLASSES, bands_in, class_array, is_known

#: File endings :func:`summarise_dir` reads as catalogues.
CATALOG_SUFFIXES = (".tab", ".ecsv", ".csv", ".parquet", ".pq", ".fits", ".fit", ".mrt", ".cds", ".dat", ".txt")


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
            out[left] = right
    return out or None


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
        ``file, field, rows, inspected, n1..n4, bands, ci_cut, layout, mapped``.

    Examples
    --------
    >>> t = Table({"id": [1, 2, 3], "class_ref": [1, 4, 0], "mag_f555w": [20.0, 21.0, 22.0]})
    >>> r = catalog_row(t, "x.ecsv")
    >>> r["inspected"], r["n1"], r["n4"], r["bands"]
    (2, 1, 1, 'f555w')
    """
    cls = class_array(table, CLASS_REF) if CLASS_REF in table.colnames else np.zeros(len(table), int)
    meta = table.meta
    field = meta.get("field") or (str(table["galaxy"][0]) if "galaxy" in table.colnames and len(table)
                                  else Path(name).stem)
    layout = meta.get("legus_layout") or meta.get("format", "")
    if meta.get("legus_layout") and not meta.get("layout_certain", True):
        layout += " (uncertain)"
    if CLASS_REF not in table.colnames:
        layout += "; no class column"
    bands = ",".join(bands_in(table))
    if str(meta.get("bands_source", "")).startswith("assumed"):
        bands += " (assumed)"
    ci_cut = meta.get("ci_cut")
    if ci_cut is None and "ci" in table.colnames and np.isin(cls, CLASSES).any():
        ci_cut = round(float(np.nanmin(np.asarray(table["ci"], float)[np.isin(cls, CLASSES)])), 2)
    mapped = meta.get("column_map_used") or {}
    row = {"file": Path(name).name, "field": field, "rows": len(table),
           "inspected": int(np.isin(cls, CLASSES).sum())}
    row.update({f"n{k}": int((cls == k).sum()) for k in CLASSES})
    row.update({"bands": bands, "ci_cut": np.nan if ci_cut is None else float(ci_cut), "layout": layout,
                "mapped": ", ".join(f"{s}->{d}" for s, d in mapped.items())})
    return row


def summarise_dir(directory, column_map: Mapping[str, str] | None = None, *, read=None) -> tuple[Table, list[str]]:
    """Read every catalogue in ``directory`` and summarise them, one row per file.

    Parameters
    ----------
    directory
        A folder of catalogues (``.tab``, ``.ecsv``, ``.csv``, ``.mrt``, ...).
    column_map
        Applied to every file (e.g. ``{"35": "class_ref"}``).
    read
        The reader (default :func:`starclass.io.catalog.read_catalog`).

    Returns
    -------
    (astropy.table.Table, list of str)
        The summary sorted by field, and the warnings and errors met, each naming its file.

    Raises
    ------
    StarclassError
        When the folder holds no catalogue.
    """
    if read is None:
        from starclass.io.catalog import read_catalog as read
    d = Path(directory)
    files = sorted(p for p in d.iterdir() if p.is_file() and p.name.lower().endswith(CATALOG_SUFFIXES)
                   and not p.name.lower().endswith(".readme"))
    rows, notes = [], []
    for p in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                t = read(p, column_map=column_map, require_xy=False)
            except StarclassError as exc:
                notes.append(f"{p.name}: skipped: {exc}")
                continue
        notes.extend(f"{p.name}: {w.message}" if p.name not in str(w.message) else str(w.message)
                     for w in caught)
        rows.append(catalog_row(t, p.name))
    if not rows:
        raise StarclassError(f"no catalogue could be read in {d} (looked for {', '.join(CATALOG_SUFFIXES)})")
    out = Table(rows=rows, names=list(rows[0]))
    out.sort("field")
    return out, notes
