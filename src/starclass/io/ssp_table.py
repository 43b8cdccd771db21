"""How an SSP model table (Yggdrasil's text format) is told from a catalogue, without reading it as one.

:mod:`starclass.science.ssp` reads the table; ``starclass info`` and the catalogue reader's "not a catalogue"
reasons (:func:`starclass.io.catalog.not_a_catalogue_reason`) need only to know that a file is one, so the test
lives here, below both (the package's layers: io does not import science).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SSP_HEADER_COLUMNS", "looks_like_ssp_table"]

#: Columns every SSP table has (lower case, as read from its header line): ``Redshift Age(yr) ...``.
SSP_HEADER_COLUMNS: tuple[str, ...] = ("redshift", "age(yr)")


def looks_like_ssp_table(path: str | Path) -> bool:
    """Whether ``path`` is a text file whose first line names an SSP table's columns (``Redshift``, ``Age(yr)``).

    A sniff of the header line only (the table is not parsed): ``starclass info`` takes such a file for an SSP
    model, not a catalogue, and describes it with :func:`starclass.science.ssp.ssp_summary_lines`.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "model.txt"
    >>> _ = f.write_text("Redshift Age(yr) Mstars F555W\\n0.0 1e6 1e6 -15.1\\n")
    >>> looks_like_ssp_table(f), looks_like_ssp_table("no/such.txt")
    (True, False)
    """
    p = Path(path)
    if not p.is_file():
        return False
    try:
        with open(p, encoding="utf-8", errors="replace") as fh:
            names = {h.lower() for h in fh.readline(4096).split()}
    except OSError:
        return False
    return all(c in names for c in SSP_HEADER_COLUMNS)
