"""Text tables kept compressed (``cat.csv.gz``, ``.bz2``, ``.xz``, ``.Z``): opened as the text they hold.

Archives (VizieR, MAST, the LEGUS HLSP) hand catalogues out gzipped. The catalogue readers look at a file's
lines before astropy does (its separator, encoding, comment lines, the line of a bad row), so every one of
them opens the file through :func:`open_table_file`, which gives the decompressed text, and the same line
numbers. The compression is told by the first bytes, as astropy tells it, whatever the name; the format by
the name inside (:func:`inner_name`: ``x.csv.gz`` is a CSV). Nothing is written: the text is read from the
compressed stream, never beside the input.

A light module (the standard library only; astropy for Unix ``compress``, where it reads it).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zlib
from pathlib import Path
from typing import IO, Any

PathLike = str | os.PathLike

#: First bytes of whole-file compressions -> their names, as the messages say them
TEXT_COMPRESSIONS = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"\x1f\x9d": "Unix compress (.Z)"}

#: The suffixes those compressions are named by; ``.Z`` in either case (names are lower-cased to be looked up)
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".z")


def astropy_reads_lzw() -> bool:
    """Whether astropy reads Unix ``compress`` (LZW, ``.Z``) files here: only with the optional package uncompresspy.

    Examples
    --------
    >>> isinstance(astropy_reads_lzw(), bool)
    True
    """
    from astropy.utils.compat.optional_deps import HAS_UNCOMPRESSPY

    return bool(HAS_UNCOMPRESSPY)


def text_compression(path: PathLike) -> str | None:
    """The compression of ``path`` told by its first bytes (``"gzip"``, ``"bzip2"``, ``"xz"``, ``"Unix compress
    (.Z)"``), or None for a file that is not compressed so (or cannot be opened: its reader names it).

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv.gz"
    >>> _ = f.write_bytes(gzip.compress(b"id,x,y\\n"))
    >>> text_compression(f), text_compression(f.with_name("none.csv"))
    ('gzip', None)
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(6)
    except OSError:
        return None
    return next((name for magic, name in TEXT_COMPRESSIONS.items() if head.startswith(magic)), None)


def inner_name(name: str) -> str:
    """A file name without its compression suffix (``cat.csv.gz`` -> ``cat.csv``), for telling the format inside.

    A name that is only the suffix is kept as it is.

    Examples
    --------
    >>> inner_name("cat.csv.gz"), inner_name("CAT.ECSV.BZ2"), inner_name("t.tab.Z"), inner_name("cat.csv")
    ('cat.csv', 'CAT.ECSV', 't.tab', 'cat.csv')
    """
    lower = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def table_suffix(path: PathLike) -> str:
    """The lower-case suffix of a table's name inside its compression (``labels.csv.gz`` -> ``.csv``).

    For the readers that tell a table's kind by its name: a cutout list kept compressed is the list it holds.

    Examples
    --------
    >>> table_suffix("labels.csv.gz"), table_suffix("OUT.ECSV.XZ"), table_suffix("labels.csv"), table_suffix("a.gz")
    ('.csv', '.ecsv', '.csv', '')
    """
    return Path(inner_name(Path(path).name)).suffix.lower()


def _lzw_bytes(path: Path) -> bytes:
    # astropy's own opener, which reads LZW through uncompresspy; a catalogue is small enough to hold
    from astropy.utils.data import get_readable_fileobj

    with get_readable_fileobj(str(path), encoding="binary") as fh:
        return fh.read()


#: The text of the compressed table read last, by (path, size, mtime, inode): one read of a catalogue looks at its
#: file a dozen times (head, separator, encoding, damage, astropy's read), each a decompression of the whole file
_LAST: dict[tuple, bytes] = {}


def decompressed_bytes(path: PathLike) -> bytes | None:
    """The bytes inside a table compressed with gzip, bzip2 or xz (``.Z`` where astropy reads it), decompressed once.

    The readers' many looks at one file (:func:`open_table_file`, :func:`compressed_damage`) share one
    decompression: the last file's text is kept while the file on disk is unchanged (its size, time and inode),
    so a catalogue is decompressed once per read, not once per look. Until 2026-12-07 a ``.csv.gz`` of 50,000
    rows was decompressed some four times over by one ``read_catalog`` (benchmarks/bench_compressed_read.py).

    Parameters
    ----------
    path : str or os.PathLike
        The table.

    Returns
    -------
    bytes or None
        None for a file not compressed so (read as it is).

    Raises
    ------
    EOFError, OSError, zlib.error, lzma.LZMAError
        Compressed data cut short or damaged (said in words by :func:`compressed_damage`).

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv.gz"
    >>> _ = f.write_bytes(gzip.compress(b"id,x,y\\n"))
    >>> decompressed_bytes(f), decompressed_bytes(f) is decompressed_bytes(f)
    (b'id,x,y\\n', True)
    """
    p = Path(path)
    kind = text_compression(p)
    opener = {"gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}.get(kind or "")
    if opener is None and not (kind is not None and astropy_reads_lzw()):
        return None
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if key in _LAST:
        return _LAST[key]
    if opener is not None:
        with opener(p, "rb") as fh:
            data = fh.read()
    else:
        data = _lzw_bytes(p)
    _LAST.clear()  # one file kept: a folder of catalogues is read one by one
    _LAST[key] = data
    return data


def open_table_file(path: PathLike, mode: str = "r", *, encoding: str | None = None, errors: str | None = None,
                    newline: str | None = None) -> IO[Any]:
    r""":func:`open` of a text table, the text inside where the file is compressed (gzip, bzip2, xz, ``.Z``).

    The one opener of the catalogue readers' looks at a file (its first bytes, its lines), so a ``cat.csv.gz``
    is looked at as the ``cat.csv`` it holds, line numbers the same. Unix ``compress`` is read where astropy
    reads it (:func:`astropy_reads_lzw`); elsewhere the file is opened as it is, and the readers refuse it
    (:func:`starclass.io.catalog.compressed_text_refusal`).

    Parameters
    ----------
    path : str or os.PathLike
        The table.
    mode : str
        ``"r"``/``"rt"`` (text, as :func:`open`'s default) or ``"rb"`` (bytes).
    encoding, errors, newline : str, optional
        As for :func:`open`, in text mode.

    Returns
    -------
    file object
        To be closed (use it in a ``with``).

    Raises
    ------
    OSError
        The file cannot be opened.

    Examples
    --------
    >>> import bz2, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv.bz2"
    >>> _ = f.write_bytes(bz2.compress(b"id,x,y\n1,2,3\n"))
    >>> with open_table_file(f, "r", encoding="utf-8") as fh:
    ...     fh.read().splitlines()
    ['id,x,y', '1,2,3']
    """
    p = Path(path)
    text = "b" not in mode
    options = {"encoding": encoding, "errors": errors, "newline": newline} if text else {}
    data = decompressed_bytes(p)
    if data is not None:
        # the text decompressed once for all the looks of one read (decompressed_bytes), as gzip.open(p, "rt") reads it
        raw = io.BytesIO(data)
        return io.TextIOWrapper(raw, **options) if text else raw
    return open(p, "r" if text else "rb", **options)


def table_source(path: PathLike) -> Path | io.BytesIO:
    """What to hand astropy's ``Table.read`` for a text table: the path, or the bytes inside a compressed one.

    Given the path of a ``.csv.gz``, astropy decompresses it once more; handed the bytes the readers' looks
    decompressed (:func:`decompressed_bytes`), the file is decompressed once per read. The format and the
    options (``encoding``, ``delimiter``) are given as for the path.

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> from astropy.table import Table
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv.gz"
    >>> _ = f.write_bytes(gzip.compress(b"id,x\\n1,2.5\\n"))
    >>> Table.read(table_source(f), format="ascii.csv")["x"].tolist()
    [2.5]
    >>> table_source(f.with_name("plain.csv")) == f.with_name("plain.csv")
    True
    """
    p = Path(path)
    data = decompressed_bytes(p) if p.is_file() else None
    return p if data is None else io.BytesIO(data)


def compressed_damage(path: PathLike) -> str | None:
    """What to say of a gzip, bzip2 or xz file whose compressed data are cut short or damaged; else None.

    Read to its end (a catalogue is small; its text kept for the reads that follow, :func:`decompressed_bytes`): a
    download or copy interrupted leaves the data ending before their
    end-of-stream marker, which the readers met partway, as astropy's "chr() arg not in range(0x110000)" or
    a row cut mid-line; a damaged one fails its check.

    Parameters
    ----------
    path : str or os.PathLike
        The table.

    Returns
    -------
    str or None
        ``"cannot read PATH: a gzip file cut short (its compressed data end early, N bytes), as an interrupted
        copy or download leaves it; copy it again"``, ``"... a gzip file damaged (...)"``, or None.

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv.gz"
    >>> rows = "".join(f"{i},{i * 7 % 13}\\n" for i in range(500)).encode()
    >>> _ = f.write_bytes(gzip.compress(b"id,x\\n" + rows)[:40])
    >>> print(compressed_damage(f).replace(str(f), "cat.csv.gz"))  # doctest: +NORMALIZE_WHITESPACE
    cannot read cat.csv.gz: a gzip file cut short (its compressed data end early, 40 bytes), as an interrupted
    copy or download leaves it; copy it again
    """
    p = Path(path)
    kind = text_compression(p)
    if kind not in ("gzip", "bzip2", "xz"):
        return None
    try:
        decompressed_bytes(p)  # read to its end once; kept for the reader's looks that follow
    except EOFError:
        size = p.stat().st_size
        return (f"cannot read {p}: a {kind} file cut short (its compressed data end early, {size} bytes), as an "
                "interrupted copy or download leaves it; copy it again")
    except (OSError, ValueError, zlib.error, lzma.LZMAError) as exc:
        return f"cannot read {p}: a {kind} file damaged ({exc}); copy it again"
    return None
