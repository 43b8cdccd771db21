"""Reports: one self-contained HTML page (figures as base64 PNG) plus every table as ECSV.

The numbers come from :func:`starclass.evaluate.compare.evaluate_catalogs`; this package lays
them out. ``build_report(pred, references, outdir, *, title, distance_mpc=None, model_path=None,
mosaics=None, task=None) -> Path`` is the entry point (used by ``starclass report`` and
``starclass demo``); ``run_evaluation`` writes the ``starclass evaluate`` folder.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from starclass.errors import StarclassError

#: What :func:`starclass.report.build.run_evaluation` writes in its folder: a folder holding only these may be
#: replaced (here, not in the heavy report.build: ``starclass evaluate`` checks its output with it first)
EVALUATION_ENTRIES = ("tables", "figures", "summary.json")

#: The file in ``tables/`` naming the page whose tables they are (the page beside the folder). It and
#: :func:`check_tables_page` are here, not in the heavy report.build: ``starclass report`` checks the folder before
#: it says its first line, and importing report.build first kept that line back 2.9 s
TABLES_PAGE = ".page"

#: What :func:`build_report` writes in ``tables/``: a folder holding only these may be replaced.
REPORT_TABLE_ENTRIES = ("*.ecsv", TABLES_PAGE)


def check_tables_page(outdir: str | Path, filename: str) -> None:
    """Refuse to replace the ``tables/`` of another page beside ``filename``, even with ``--overwrite``.

    Every page puts its tables in ``tables/`` beside it, so ``report b.html --overwrite`` written
    into the folder of ``a.html`` replaced a's tables without a word: a's links then opened b's
    tables. The folder records its page (:data:`TABLES_PAGE`); folders of older versions do not,
    and are replaced as before.

    Parameters
    ----------
    outdir : str or Path
        The folder of the page.
    filename : str
        The page to write there.

    Raises
    ------
    StarclassError
        ``tables/`` belongs to another page that is still there.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "tables").mkdir(); _ = (d / "tables" / TABLES_PAGE).write_text("a.html")
    >>> _ = (d / "a.html").write_text("<html>")
    >>> check_tables_page(d, "a.html")
    >>> check_tables_page(d, "b.html")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: .../tables holds the tables of the page a.html ...
    """
    marker = Path(outdir) / "tables" / TABLES_PAGE
    try:
        owner = marker.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return  # no record (a folder of an older version, or none): nothing to protect it by
    if owner and owner != filename and (Path(outdir) / owner).is_file():
        raise StarclassError(
            f"{marker.parent} holds the tables of the page {owner} (its links open them); writing "
            f"{filename} there would replace them, even with --overwrite: write this report into another folder "
            f"(-o OTHER/{filename}), or remove {owner} first")


#: The names of :mod:`starclass.report.build` this package gives, loaded on first use
_FROM_BUILD = ("build_report", "evaluate_sections", "layout", "run_evaluation")


def __getattr__(name: str):
    # loaded on first use: report.build brings evaluate.compare and scikit-learn's metrics (2.7 s of the 3.7 s
    # `evaluate --catalogs` spent importing before its first line, measured), which the many-field study, the
    # figures and the sections modules of this package do not need
    if name in _FROM_BUILD:
        return getattr(importlib.import_module("starclass.report.build"), name)
    raise AttributeError(f"module 'starclass.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FROM_BUILD])
