"""Labelled cutout folders: image files with a label each, as most users hold real data.

Two layouts are read:

**A CSV of cutouts** (``labels.csv``). One row per cutout. Columns:

``file``
    Path of the image, relative to the CSV's folder. For several bands give one column per
    band instead, ``file_<band>`` (e.g. ``file_g``, ``file_i``); the files of one row are
    stacked in that column order.
``label``
    The class as a string (``cluster``, ``galaxy``, ...); the task's ``label_map`` turns it
    into a class. A column of integers is read as classes directly when the task has no
    ``label_map``. Optional for classification.
group column (optional, named by ``group_column``, e.g. ``object_id``)
    Rows with the same value are one object seen several times (two CCDs, two epochs);
    they must stay on one side of every split.
``fold`` (optional)
    A ready-made cross-validation fold per row; every row of a group must share it.

Every other column is kept and passes through to classified output.

**An ImageFolder-style directory** (torchvision's habit): one sub-folder per label, the
images inside (at any depth below it, as torchvision reads them); no CSV needed and every
image is its own group. A directory that holds a ``labels.csv`` is read through that CSV
instead (so its groups are kept). A directory with images in itself and no label folders is
a folder of unlabelled cutouts (``file`` only), to classify.

Formats, told by the suffix: PNG (8- or 16-bit, grey, grey+alpha, RGB, RGBA or palette; a
palette whose pixels are all grey reads as grey; 16-bit colour at its 16 bits), JPEG (CMYK read as RGB),
TIFF (8/16-bit or float; a stack of pages is one channel per page; several planes of 16 bits or floats in
one page, contiguous or planar, read with tifffile at their full depth), BMP, WebP, FITS (the primary HDU, or the
first image HDU when the primary is empty; ``.fits``, ``.fit``, ``.fts``, optionally ``.gz``, ``.bz2``, ``.xz``,
``.zip``, ``.Z`` (:data:`starclass.io.mosaic.FITS_COMPRESSIONS`); fpack's ``.fz``; leading axes of
length 1 beyond three dropped, as a radio cutout's
``(1, 1, H, W)``) and NPY (a 2-D array, or 3-D with channels first; an array ``(H, W, C)``
with at most 4 channels after a longer first axis, numpy's and PIL's habit, is read channels
last). Cutouts are centred on the object; one that is not square (64 x 80 px, or trimmed at its
image's edge) is padded with NaN to a square of its longer side (:func:`pad_to_square`), with one
warning a read counting them (until 2026-12-04 it was refused).

**Pixel values.** Pictures (PNG, JPEG, TIFF, BMP, WebP) are divided by the largest value of
their type (255 for 8-bit, 65535 for 16-bit) so every stretched picture lies in [0, 1]; so
are ``uint8`` and ``uint16`` NPY arrays (pictures saved with numpy). FITS images and every
other NPY array (floats, ``int16``, ``int32``, ...) carry physical values (counts, flux) and
are kept as stored: FITS integers as astropy gives them, ``BZERO``/``BSCALE`` applied (until
2026-12-03 integer FITS and wide integer NPY were divided by 65535 too: int32 counts of
100000 became 1.5). FITS values stored asinh-scaled (``BSOFTEN``/``BOFFSET``: cutouts of
Pan-STARRS1 stacks) are made linear on read, ``BOFFSET + BSOFTEN * 2 sinh(value / 1.0857)``
(PS1's own formula; until 2026-12-04 they reached the network as they were stored). A picture
made with a ZScale (or any) stretch has lost its flux scale, so nothing more is assumed here:
the task's normalisation (``m31-real``: a robust per-stamp z-score, median and MAD-sigma of the
stamp) then puts every stamp on a common scale (the per-stamp ``zscore``, ``zstd`` and
``asinh`` do not depend on a constant factor, so a model trained on such files before sees the
same inputs; one with normalisation ``none`` does not).
Alpha channels are dropped.

**Orientation.** Row 0 of a PNG, JPEG or NPY array is the top of the picture (as any image
viewer and matplotlib's default show it); row 0 of a FITS image is the bottom (y up, as DS9
shows it). Pixels are kept as stored (the network sees them so); only figures differ:
:func:`drawing_origin` is the one rule every figure of cutouts follows, and
:attr:`CutoutSet.origins` carries it per row.

**Bad input** raises :class:`~starclass.errors.StarclassError` naming the file and the CSV
row (row 1 is the first data row; the line number is given too): a missing, unreadable or
truncated image, sizes (unless read with ``resample``: a task with ``mixed_sizes``) or channel
counts that differ between images (a non-square cutout is padded to a square first), a file listed
twice, an empty label or group, a blank fold, a group split across folds, a fold (or, for a task without
``label_map``, a label) that is not a whole number (``2.0`` reads as 2).
"""

from __future__ import annotations

import csv
import functools
import json
import lzma
import os
import re
import unicodedata
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError, agreeing, counted, refuse_no_rows, shell_word, shown_command
from starclass.io.atomic import is_os_file
from starclass.io.compressed_text import compressed_damage, inner_name, open_table_file, table_suffix
from starclass.io.fits_names import FITS_NAMES
from starclass.io.mosaic import (
    ANCILLARY_EXTNAMES,
    FITS_SUFFIXES,
    MASK_EXTNAMES,
    WEIGHT_EXTNAMES,
    asinh_scaling,
    fits_suffix,
    linear_from_asinh,
    open_fits,
    unreadable_fits,
)
from starclass.io.paths import resolved
from starclass.io.task_like import TaskLike
from starclass.schema import STAMP_STORE_SUFFIXES, label_key, row_name, rows_named

if TYPE_CHECKING:
    # astropy's WCS loads where a cutout's header is read for it (fits_celestial_wcs), not for every folder info reads
    from astropy.wcs import WCS

#: Suffix -> format name of the images the reader understands.
IMAGE_SUFFIXES: dict[str, str] = {
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg",
    # every FITS name (io.mosaic.FITS_SUFFIXES): whole-file gzip, bzip2, xz, zip, compress, and fpack's
    # tile-compressed .fz (survey cutout services hand these out), all read by astropy; lower-cased as the names
    # are when looked up (".fits.Z" is compress's own case)
    **dict.fromkeys((s.lower() for s in FITS_SUFFIXES), "fits"),
    ".npy": "npy",
    # other formats PIL reads and torchvision's ImageFolder takes: in an ImageFolder directory they
    # were left out without a word (a folder of 16-bit TIFFs read as "no images")
    ".tif": "tiff", ".tiff": "tiff", ".bmp": "bmp", ".webp": "webp",
}

#: Each format's name in a message, in the order a message lists them (every format of IMAGE_SUFFIXES).
_FORMAT_WORDS = {"fits": "FITS", "png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "bmp": "BMP", "webp": "WebP",
                 "npy": "NPY"}


def _kinds_phrase() -> str:
    # a format's suffixes are named where its name does not say them (JPEG: .jpg/.jpeg); FITS by the readers' own
    # phrase: the message listed all 34 suffixes, .fits.bz2 and .fts.fz among them, sorted, before the file's name
    # could be found again
    parts = []
    for fmt, word in _FORMAT_WORDS.items():
        if fmt == "fits":
            parts.append(f"{word} ({FITS_NAMES})")
            continue
        suffixes = [s for s, f in IMAGE_SUFFIXES.items() if f == fmt]
        parts.append(word if suffixes == [f".{word.lower()}"] else f"{word} ({'/'.join(suffixes)})")
    return f"{', '.join(parts[:-1])} or {parts[-1]}"


#: The images a cutout folder may hold, in a few words for messages: "FITS (.fits, .fit, .fts, compressed
#: .gz/.bz2/.xz/.zip/.Z/.fz), PNG, JPEG (.jpg/.jpeg), TIFF (.tif/.tiff), BMP, WebP or NPY".
IMAGE_KINDS = _kinds_phrase()

#: Formats read with PIL (rows from the top, channels last).
_PIL_FORMATS = ("png", "jpeg", "tiff", "bmp", "webp")

#: Where a figure draws row 0 of an image, by format (matplotlib's ``origin``): FITS is y up.
_ORIGIN_OF_FORMAT: dict[str, str] = {"fits": "lower", "png": "upper", "jpeg": "upper", "npy": "upper",
                                     "tiff": "upper", "bmp": "upper", "webp": "upper"}

#: :func:`common_origin` of a set whose images do not share one origin.
MIXED = "mixed"

#: An NPY array (A, B, C) with C at most this and A larger is read channels last (H, W, C).
_MAX_LAST_CHANNELS = 4

#: Name of the CSV read when a directory holds one.
LABELS_CSV = "labels.csv"

#: The names a directory's label list is read under, in this order: :data:`LABELS_CSV`, then kept compressed
#: (``labels.csv.gz``, as archives hand a folder out; read as the text inside, :mod:`starclass.io.compressed_text`).
LABELS_CSV_NAMES = (LABELS_CSV, *(LABELS_CSV + s for s in (".gz", ".bz2", ".xz", ".Z")))


def folder_labels_csv(folder: str | os.PathLike) -> Path | None:
    """The label list a cutout directory is read through, or None where it has none (or is no directory).

    The one rule of every command that looks for a folder's list (train, classify, calibrate, info, inspect,
    suggest, report): ``labels.csv``, else the same list kept compressed (``labels.csv.gz``, ``.bz2``, ``.xz``,
    ``.Z``), which the readers read as the text inside. A folder holding only ``labels.csv.gz`` was read by its
    label sub-folders by some commands, warned "lists cutouts but is not read", its group column lost.

    A folder holding two of them (``labels.csv`` and ``labels.csv.gz``) is read through ``labels.csv`` where
    they hold the same text (``gunzip -k`` leaves both); where they differ it is refused, naming both: until
    2026-12-07 ``labels.csv`` was read without a word, and labels corrected in the other one were never seen.

    Parameters
    ----------
    folder : str or os.PathLike
        A cutout directory (a file or a missing path gives None).

    Returns
    -------
    pathlib.Path or None
        The list's path.

    Raises
    ------
    StarclassError
        The folder holds two lists whose text differs (or one that cannot be decompressed to compare).

    Examples
    --------
    >>> import gzip, shutil, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> folder_labels_csv(d) is None
    True
    >>> _ = (d / "labels.csv.gz").write_bytes(gzip.compress(b"file,label\\na.png,galaxy\\n"))
    >>> folder_labels_csv(d).name
    'labels.csv.gz'
    >>> _ = (d / "labels.csv").write_text("file,label\\na.png,galaxy\\n")  # gunzip -k: the same list twice
    >>> folder_labels_csv(d).name
    'labels.csv'
    >>> _ = (d / "labels.csv").write_text("file,label\\na.png,cluster\\n")  # one of them edited
    >>> folder_labels_csv(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: .../labels.csv and .../labels.csv.gz: the folder holds both lists, and ...
    >>> shutil.rmtree(d)
    """
    root = Path(folder)
    if not root.is_dir():
        return None
    found = folder_label_lists(root)
    if len(found) > 1:
        _refuse_differing_lists(found)
    return found[0] if found else None


def folder_label_lists(folder: str | os.PathLike) -> list[Path]:
    """Every label list of :data:`LABELS_CSV_NAMES` in ``folder``, in that order; no check that they agree.

    For the looks that only ask whether a folder has a list (what a path is, where an output would land);
    the readers ask :func:`folder_labels_csv`, which refuses two lists that differ.

    Examples
    --------
    >>> import shutil, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv.bz2").write_bytes(b""); _ = (d / "labels.csv").write_text("file\\n")
    >>> [p.name for p in folder_label_lists(d)]
    ['labels.csv', 'labels.csv.bz2']
    >>> shutil.rmtree(d)
    """
    root = Path(folder)
    return [root / n for n in LABELS_CSV_NAMES if (root / n).is_file()]


def _list_text(path: Path) -> bytes | None:
    """The text of a label list, decompressed where it is compressed; None where it cannot be read so."""
    from starclass.io.compressed_text import decompressed_bytes, text_compression

    try:
        inside = decompressed_bytes(path)
        if inside is None and text_compression(path) is not None:
            return None  # Unix compress without uncompresspy: not comparable here
        return path.read_bytes() if inside is None else inside
    except (OSError, EOFError, zlib.error, lzma.LZMAError):
        return None


#: (path, size, mtime) of each list -> whether they all agree: every command asks for a folder's list several times
_LISTS_AGREE: dict[tuple, bool] = {}


def _refuse_differing_lists(found: list[Path]) -> None:
    """Raise naming the lists in ``found`` unless they all hold the same text (line endings aside)."""
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in found)
    if key not in _LISTS_AGREE:
        texts = [_list_text(p) for p in found]
        # CRLF from a spreadsheet and LF from gzip's round trip are the same list
        same = all(t is not None for t in texts) and len({t.replace(b"\r\n", b"\n") for t in texts}) == 1
        _LISTS_AGREE.clear()
        _LISTS_AGREE[key] = same
    if not _LISTS_AGREE[key]:
        names = " and ".join(str(p) for p in found)
        raise StarclassError(
            f"{names}: the folder holds both lists, and they differ (or one cannot be read to compare): which "
            f"one lists the cutouts is unclear; remove or rename the one not to be read, or give the one to read "
            f"in place of the folder (e.g. {shell_word(found[0])})")


def cutout_list_path(source: str | os.PathLike) -> Path:
    """The file a cutout source is read from: a directory's label list (:func:`folder_labels_csv`), else the path.

    A directory without a list gives its ``labels.csv``, the name it would be read through once written
    (a message names it; :meth:`pathlib.Path.is_file` tells it is not there).

    Parameters
    ----------
    source : str or os.PathLike
        A cutout list or directory.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import gzip, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> cutout_list_path(d).name, cutout_list_path(d / "round1.csv").name
    ('labels.csv', 'round1.csv')
    >>> _ = (d / "labels.csv.gz").write_bytes(gzip.compress(b"file,label\\na.png,galaxy\\n"))
    >>> cutout_list_path(d).name
    'labels.csv.gz'
    """
    src = Path(source)
    if not src.is_dir():
        return src
    return folder_labels_csv(src) or src / LABELS_CSV


#: Meta key of a cutout table read from a file: that file's folder, which its relative paths (and a relative
#: ``cutout_root``) are relative to (set by :func:`starclass.evaluate.compare.load_catalog`; read when pairing by
#: file there and by :func:`cutout_rows`).
TABLE_FOLDER = "_starclass_table_folder"


def is_os_clutter(name: str) -> bool:
    """Whether a file or folder name is one the system or a tool keeps beside the cutouts, not a cutout.

    Hidden names (``.DS_Store``, macOS ``._name.png``, ``.ipynb_checkpoints``, a killed atomic
    write's ``.name.XXXXXXXX.png``) and Windows' own files (``Thumbs.db``, ``desktop.ini``:
    :data:`starclass.io.atomic.OS_CLUTTER`, the one list of them). A cutout
    folder's ``Thumbs.db`` was warned of as a file "not images starclass reads" while the Mac's
    were skipped without a word.

    Examples
    --------
    >>> [is_os_clutter(n) for n in ("Thumbs.db", "desktop.ini", ".DS_Store", "._a.png", "a.png", "notes.txt")]
    [True, True, True, True, False, False]
    """
    return name.startswith(".") or is_os_file(name)


@dataclass
class CutoutSet:
    """Cutouts read from a folder: pixels, labels, groups and every input column.

    Attributes
    ----------
    images : numpy.ndarray
        float32 ``[N, C, H, W]``: C is the number of bands (or 3 for one RGB file per row).
    table : astropy.table.Table
        One row per cutout: every column of the CSV (as strings), or ``file`` and ``label``
        for an ImageFolder directory.
    files : list of str
        The (first-band) file of each row, as written in the CSV (relative to ``root``).
    labels : numpy.ndarray or None
        Label strings, or None when there is no label column.
    groups : numpy.ndarray
        Group of each row (the group column, else the file: every row its own group).
    bands : list of str
        Band names of the channels (``file_<band>`` columns), or ``[]`` for a single ``file``.
    folds : numpy.ndarray or None
        The ``fold`` column as integers, when present.
    root : pathlib.Path
        Folder the file paths are relative to.
    source : pathlib.Path
        The CSV or directory read.

    Examples
    --------
    Made by :func:`read_cutout_folder`; two one-band 8 px cutouts:

    >>> cs = CutoutSet(images=np.zeros((2, 1, 8, 8), np.float32), table=None, files=["a.fits", "b.fits"],
    ...                labels=np.array(["cluster", "galaxy"]), groups=np.array(["a.fits", "b.fits"]), bands=[],
    ...                folds=None, root=Path("."), source=Path("labels.csv"))
    >>> cs.images.shape, cs.labels.tolist()
    ((2, 1, 8, 8), ['cluster', 'galaxy'])
    """

    images: np.ndarray
    table: Table
    files: list[str]
    labels: np.ndarray | None
    groups: np.ndarray
    bands: list[str] = field(default_factory=list)
    folds: np.ndarray | None = None
    root: Path = Path(".")
    source: Path = Path(".")
    lines: list[int] | None = None
    #: :func:`drawing_origin` of each row's file(s) (``"mixed"`` for a row whose band files differ)
    origins: list[str] = field(default_factory=list)
    #: the column the labels were read from (None: unlabelled); a model trained on them records it
    label_column: str | None = None
    #: the column the groups (objects) were read from (None: every row its own group); a model trained on
    #: them records it, and classify's output names it for evaluate's bootstrap of whole objects
    group_column: str | None = None
    #: the column the files were read from (``--file-column``): ``file`` (also for ``file_<band>`` columns and
    #: a folder of label folders), or another that the output records so that evaluate pairs by it
    file_column: str = "file"
    #: the bands the files' FITS headers name for the planes of one ``file`` (a Legacy Survey g, r, z cube:
    #: ``BAND0``...), in stored order; [] when they name none (:func:`fits_plane_bands`)
    plane_bands: list[str] = field(default_factory=list)
    #: the planes of each cube that hold the task's bands, by the names :attr:`plane_bands` gives them
    #: (:func:`named_planes`): ``images`` holds those planes only (every plane when read with
    #: ``keep_planes``); [] when no plane is taken by name
    taken_planes: list[int] = field(default_factory=list)
    #: whether every row's cube names its planes :attr:`plane_bands`: only then are planes taken by name
    #: (a folder mixing named and plain cubes is averaged, every row alike); a reader that takes them
    #: later (the report's Grad-CAM, of a folder read without the task's bands) asks this
    all_planes_named: bool = False
    #: how many rows' cubes name their planes in their headers: where some do and some do not, the planes are
    #: averaged and :func:`averaged_planes_note` says how many are named and that every cube must be
    named_cubes: int = 0
    #: the side (px) of each cutout as read, where ``images`` holds them resampled to one size (a task with
    #: ``mixed_sizes``: :func:`read_cutout_folder` with ``resample``); [] when they are as read
    native_sizes: list[int] = field(default_factory=list)
    #: each cutout's share in blocks of exact zeros as read
    #: (:func:`starclass.io.mosaic.cutout_zero_padding_fraction`), where ``images`` holds them resampled
    #: (:attr:`native_sizes`): resampling smears a block's edge; [] when ``images`` are as read
    native_zero_padding: list[float] = field(default_factory=list)
    #: how each row's pixels were read (:func:`pixel_kind`): ``"picture"`` (integer picture files divided by
    #: their type's maximum, so in 0-1), ``"stored"`` (FITS and other NPY: values as stored) or ``"mixed"``
    #: (band files of both kinds); [] for a set built by hand
    pixel_kinds: list[str] = field(default_factory=list)
    #: ``(file as listed, unit, exposure time or None, file column)`` of each FITS file read, from its headers
    #: (:func:`fits_cutout_unit`): the units :func:`units_seen` and :func:`mixed_units_note` (band by band: by
    #: file column, ``file_<band>``) speak of; a set built by hand may leave out the column
    fits_units: list[tuple] = field(default_factory=list)
    #: the lists :func:`concat_cutout_sets` joined, in order: ``(source, rows, lines)`` of each, so that a row is
    #: named in its own list (:meth:`row_place`); [] for a set read from one list or folder
    parts: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def origin(self, rows: int | ArrayLike | None = None) -> str:
        """The one origin of ``rows`` (default: all), or ``"mixed"``; see :func:`common_origin`.

        A set built without origins (by hand, in Python) is taken as stored arrays, ``"upper"``.
        """
        if not self.origins:
            return "upper"
        picked = self.origins if rows is None else [self.origins[int(i)] for i in np.atleast_1d(rows)]
        return common_origin(picked)

    def widths(self) -> np.ndarray:
        """The side (px) of each cutout as read: :attr:`native_sizes`, else the width of ``images``.

        Examples
        --------
        >>> cs = CutoutSet(images=np.zeros((2, 1, 8, 8), np.float32), table=None, files=["a", "b"], labels=None,
        ...                groups=np.array(["a", "b"]), native_sizes=[6, 12])
        >>> cs.widths().tolist(), CutoutSet(images=cs.images, table=None, files=["a", "b"], labels=None,
        ...                                 groups=cs.groups).widths().tolist()
        ([6, 12], [8, 8])
        """
        if self.native_sizes:
            return np.asarray(self.native_sizes, dtype=np.int64)
        return np.full(len(self), int(self.images.shape[-1]) if self.images.ndim == 4 else 0, dtype=np.int64)

    def row_place(self, i: int) -> str:
        """Row ``i`` (0-based) as messages name it: its row and line in its list, and its file.

        A set of several lists joined (:func:`concat_cutout_sets`) names the row in its own list: the
        joined set's row 332 is a row of neither file.

        Examples
        --------
        >>> a = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=None, files=["a.png", "b.png"],
        ...               labels=None, groups=np.array(["a", "b"]), source=Path("start.csv"), lines=[2, 3])
        >>> b = CutoutSet(images=np.zeros((1, 1, 4, 4), np.float32), table=None, files=["c.png"], labels=None,
        ...               groups=np.array(["c"]), source=Path("round1.csv"), lines=[2])
        >>> a.row_place(1)
        "row 2 (line 3 of the file), file 'b.png'"
        >>> both = CutoutSet(images=np.zeros((3, 1, 4, 4), np.float32), table=None, files=["/a.png", "/b.png",
        ...                  "/c.png"], labels=None, groups=np.array(["a", "b", "c"]),
        ...                  parts=[(Path("start.csv"), 2, [2, 3]), (Path("round1.csv"), 1, [2])])
        >>> both.row_place(2)
        "row 1 (line 2 of the file) of round1.csv, file '/c.png'"
        """
        def said(j: int, source: Path, lines: list[int] | None, of: str = "") -> str:
            # a folder of label folders has no rows: its file is the place
            if lines is None and Path(source).is_dir():
                return f"file {self.files[i]!r}{of}"
            return f"{_row_line(j, lines)}{of}, file {self.files[i]!r}"

        i = int(i)
        start = 0
        for source, n, lines in self.parts:
            if i < start + n:
                return said(i - start, source, lines, f" of {source}")
            start += n
        return said(i, self.source, self.lines)

    def where(self, i: int) -> str:
        """Human-readable place of row ``i``: the file and, for a CSV, the row and line."""
        if self.parts:
            return self.row_place(i)
        if self.source.is_file():
            return f"{self.source}: {_row_line(i, self.lines)}, file {self.files[i]!r}"
        return f"{self.root / self.files[i]}"


def _row_line(i: int, lines: list[int] | None) -> str:
    """``row N (line L of the file)``: L as the CSV reader counted it, when known.

    A blank line (or an all-empty row) above row N is skipped by the reader, so the line is
    not always N + 1.
    """
    if lines is None:
        return row_name(i, header_lines=1)
    if not lines[i]:
        return f"row {i + 1}"  # a FITS, Parquet or ECSV list: read as a table, no line of a CSV to name
    return f"row {i + 1} (line {lines[i]} of the file)"


def _not_a_cutout_list(path: Path) -> str | None:
    """What ``path`` is where it is plainly no CSV of cutouts (empty, an image, a FITS or Parquet file, an ECSV
    table), in words that follow "is"; None where it may be one (a ``.csv``, or text under another name)."""
    if cutout_list_format(path) is not None:
        return None  # read as one: its own errors (no header, not UTF-8, no 'file' column) name the row or line
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(9)
    except OSError:
        return None
    if size == 0:
        return "empty (0 bytes)"
    if head.startswith(b"SIMPLE"):
        return "a FITS file"
    if head.startswith(b"PAR1"):
        return "a Parquet table"
    if head.startswith(b"# %ECSV"):
        return "an ECSV table"
    if image_format(path) is not None:
        return f"an image ({image_format(path).upper()})"
    return None


def is_cutout_source(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a cutout folder (a directory, or a list: :func:`cutout_list_format`), not a stamp store.

    Examples
    --------
    >>> is_cutout_source("labels.csv"), is_cutout_source("labels.ecsv")
    (True, True)
    >>> is_cutout_source("stamps.h5")
    False
    """
    p = Path(path)
    return p.is_dir() or cutout_list_format(p) is not None


#: The kinds of table a list of cutouts is read from, for messages.
CUTOUT_LIST_KINDS = "a CSV, ECSV, Parquet or FITS table"


def cutout_list_format(path: str | os.PathLike) -> str | None:
    """The astropy format a list of cutouts named ``path`` is read in; None where the name is no table's.

    A list is a CSV, or the same columns (``file``, ``label``, ...) as an ECSV, Parquet or FITS table, as
    astronomers keep tables and as ``classify --stamps -o out.ecsv`` writes them: ``"ascii.csv"``,
    ``"ascii.ecsv"``, ``"parquet"`` or ``"fits"`` (any FITS name,
    :func:`starclass.io.cutout_output.cutout_output_format`). A FITS file that exists and holds no table
    (a cutout image given as ``--stamps``) is None. Until 2026-12-06 only a ``.csv`` was a list, and
    ``train --stamps labels.ecsv`` was told to write the table as CSV.

    Parameters
    ----------
    path : str or os.PathLike
        The list's file name (it need not exist).

    Returns
    -------
    str or None

    Examples
    --------
    >>> [cutout_list_format(n) for n in ("a.csv", "a.ecsv", "a.fits.gz", "a.pq", "a.png", "a.h5")]
    ['ascii.csv', 'ascii.ecsv', 'fits', 'parquet', None, None]
    >>> import tempfile
    >>> named_csv = Path(tempfile.mkdtemp()) / "list.csv"
    >>> Table({"file": ["a.png"], "note": ["two words"]}).write(named_csv, format="ascii.ecsv")
    >>> cutout_list_format(named_csv)  # ECSV text under a CSV's name
    'ascii.ecsv'
    """
    from starclass.io.cutout_output import cutout_output_format

    p = Path(path)
    fmt = cutout_output_format(p)
    if fmt == "ascii.csv" and p.is_file():
        from starclass.io.catalog import is_ecsv_text

        if is_ecsv_text(p):
            # an ECSV named .csv, as the catalogue reader takes it: read as a CSV its header was one column of its
            # '#' lines skipped ("no 'file' column ...; columns: ['note file label']")
            fmt = "ascii.ecsv"
    if fmt in (None, "ascii.csv") or not p.is_file():
        return fmt
    try:
        stat = p.stat()
    except OSError:
        return fmt
    return fmt if _table_lists_cutouts(str(p), stat.st_mtime_ns, stat.st_size, fmt) else None


def table_read_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a failed read of a table file raises: what a probe that reads one may take as "unreadable".

    Checked with astropy 7 on damaged files: ``OSError`` (not FITS, cut short, a compression refused by
    :func:`starclass.io.mosaic.open_fits`), ``ValueError`` (astropy's ``InconsistentTableError`` of an ECSV,
    ``UnicodeDecodeError`` of text in another encoding, pyarrow's ``ArrowInvalid`` of a damaged Parquet, "No
    table found" of a FITS file without one, a column that fails to convert; :class:`StarclassError`
    too), ``EOFError`` (a gzip, bzip2 or xz file cut short), ``zlib.error`` and ``lzma.LZMAError`` (damaged
    compressed data), ``zipfile.BadZipFile``, astropy's ``VerifyError`` (a FITS header it cannot fix) and
    ``IORegistryError`` (a format astropy cannot tell). Not ``TypeError``, ``KeyError`` and the like: raised
    by our own code they are bugs, and astropy's of a malformed ECSV header are told apart by where they
    were raised (:func:`raised_by_reader`).

    Returns
    -------
    tuple of exception types

    Examples
    --------
    >>> errors = table_read_errors()
    >>> OSError in errors, EOFError in errors, TypeError in errors
    (True, True, False)
    """
    import lzma
    import zipfile
    import zlib

    from astropy.io.fits.verify import VerifyError
    from astropy.io.registry import IORegistryError

    return (OSError, ValueError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, VerifyError,
            IORegistryError)


def raised_by_reader(exc: BaseException, readers: tuple[str, ...] = ("astropy", "pyarrow", "yaml")) -> bool:
    """Whether ``exc`` was raised inside astropy or pyarrow (a reader's failure on a malformed file), not in starclass.

    astropy's ECSV reader takes the YAML of a file's ``#`` header as it comes: a header of another shape
    (``datatype: 5``, a column without its ``datatype``) fails inside astropy with ``TypeError``,
    ``KeyError`` or ``IndexError``. Those are failed reads; the same types raised in starclass's own code
    are bugs, which a probe must not take for an unreadable file. Told by the innermost frame of the
    traceback: the line that raised it.

    Parameters
    ----------
    exc : BaseException
        A caught exception, its traceback attached.
    readers : tuple of str
        The top-level packages whose code counts as a reader's (the image readers pass PIL, numpy, ...).

    Returns
    -------
    bool

    Examples
    --------
    >>> import io
    >>> from astropy.table import Table
    >>> try:
    ...     Table.read(io.StringIO("# %ECSV 1.0\\n# ---\\n# datatype: 5\\na\\n1\\n"), format="ascii.ecsv")
    ... except TypeError as exc:
    ...     raised_by_reader(exc)
    True
    >>> try:
    ...     len(5)
    ... except TypeError as exc:
    ...     raised_by_reader(exc)
    False
    """
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = str(tb.tb_frame.f_globals.get("__name__", ""))
    return module.split(".")[0] in readers


@functools.lru_cache(maxsize=32)
def _table_lists_cutouts(path: str, mtime_ns: int, size: int, fmt: str) -> bool:
    """Whether an ECSV, Parquet or FITS table names cutout files: a ``file`` or ``file_<band>`` column, or a
    column of image file names (:func:`image_file_columns`). A FITS image, a candidate catalogue (``id``,
    ``x``, ``y``) or an unreadable file is not (the stamp-store and catalogue readers say what it is).
    Cached by the file's time and size: every command asks several times of one list."""
    from starclass.io.cutout_output import read_table_as

    try:
        with warnings.catch_warnings():
            # the list's reader says them when it reads it; astropy's VerifyWarning of a FITS file cut short
            # inside its header came before the error naming the cut
            warnings.simplefilter("ignore")
            if fmt == "fits":
                from astropy.io import fits

                from starclass.io.mosaic import open_fits

                # the project's opener: a .fits.Z without uncompresspy raised astropy's ModuleNotFoundError here
                with open_fits(path) as hdul:
                    if not any(isinstance(h, (fits.BinTableHDU, fits.TableHDU))
                               and not isinstance(h, fits.CompImageHDU) for h in hdul):
                        return False
            # the header and the rows looked at below: evaluate read each catalogue of the demo (5236 rows) whole
            # here, once more than its own read, 0.1-0.3 s each (benchmarks/evaluate_stages.py)
            table = read_table_as(path, fmt, rows=_LOOKED_AT)
    except table_read_errors():
        # a file that does not read is no list here: the reader of what it is names the failure
        # (stamps.store.not_a_store_message). Only those: a bug of ours (a TypeError) was taken for a bad file
        return False
    except (TypeError, KeyError, IndexError, AttributeError, NotImplementedError) as exc:
        if raised_by_reader(exc):
            return False  # astropy's of a malformed ECSV header (datatype: 5): a failed read
        raise
    names = [str(c).strip() for c in table.colnames]
    if "file" in names or any(n.lower().startswith("file_") for n in names):
        return True
    first = table[:_LOOKED_AT]
    rows = [{n: ("" if np.ma.is_masked(v) else str(v)) for n, v in zip(names, row)} for row in first]
    return bool(image_file_columns(names, rows))


#: The first rows of a table :func:`_table_lists_cutouts` looks at for columns of image file names
_LOOKED_AT = 20


def cutouts_not_mosaics(path: str | os.PathLike) -> str | None:
    """What ``path`` is, where it is a cutout folder or list given where mosaics or a catalogue belong; else None.

    A user with a folder of labelled PNGs who types ``classify my_cutouts --model M`` (the folder where
    the mosaics go) was told "give the mosaics and --catalog, or a cutout folder with --stamps", or
    "no FITS images found in my_cutouts", or, for its CSV given as ``--catalog``, "required column
    'id' missing": none said that the folder itself is right and only the option is wrong. A folder
    with a FITS file at its top is a mosaic folder (None); one with a ``labels.csv``, with images in
    sub-folders, or with pictures (PNG, JPEG, NPY, ...) at its top is a cutout folder; a CSV is a
    list of cutouts where a column names image files (:func:`image_file_columns`).

    Parameters
    ----------
    path : str or os.PathLike
        The path given as a mosaic (or mosaic folder) or as a catalogue.

    Returns
    -------
    str or None
        Words that follow "is" (``a folder of labelled cutouts (one sub-folder per label: cluster,
        galaxy)``), or None where the path is not plainly cutouts (missing, FITS, a catalogue).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for label in ("cluster", "galaxy"):
    ...     (root / "cut" / label).mkdir(parents=True)
    ...     np.save(root / "cut" / label / "a.npy", np.zeros((8, 8), np.float32))
    >>> cutouts_not_mosaics(root / "cut")
    'a folder of labelled cutouts (one sub-folder per label: cluster, galaxy)'
    >>> _ = (root / "list.csv").write_text("file,label\\ncluster/a.npy,cluster\\n")
    >>> cutouts_not_mosaics(root / "list.csv")
    "a list of cutout images (column 'file')"
    >>> _ = (root / "cat.csv").write_text("id,x,y\\n1,5,5\\n")
    >>> cutouts_not_mosaics(root / "cat.csv") is None, cutouts_not_mosaics(root / "missing") is None
    (True, True)
    """
    p = Path(path)
    if p.is_dir():
        try:
            entries = [e for e in p.iterdir() if not is_os_clutter(e.name)]
        except OSError:
            return None
        files = [e for e in entries if e.is_file()]
        if any(fits_suffix(e) is not None for e in files):
            return None  # FITS at the top: mosaics (read_mosaics says what is wrong with them)
        if listed := folder_label_lists(p):  # what the path is; the reader refuses two lists that differ
            return f"a folder of labelled cutouts (its {listed[0].name})"
        labels = sorted(d.name for d in entries if d.is_dir()
                        and any(image_format(f) is not None for f in d.rglob("*") if f.is_file()))
        if labels:
            shown = ", ".join(labels[:5]) + (", ..." if len(labels) > 5 else "")
            return f"a folder of labelled cutouts (one sub-folder per label: {shown})"
        pictures = [e for e in files if image_format(e) is not None]
        if pictures:
            kinds = "/".join(sorted({image_format(e).upper() for e in pictures}))
            return f"a folder of cutout images ({counted(len(pictures), f'{kinds} file')})"
        return None
    if cutout_list_format(p) is None or not p.is_file():
        return None
    try:
        names, rows, _ = read_csv_rows(p)
    except (StarclassError, OSError, UnicodeError, csv.Error):
        return None  # the reader of the option it was given says what is wrong with it
    columns = image_file_columns(names, rows)
    if not columns:
        return None
    return f"a list of cutout images (column{'s' if len(columns) > 1 else ''} {', '.join(map(repr, columns))})"


def _header_note(src: Path) -> str:
    """``; line 1 '#file,label' looks like the header written as a comment; ...`` for a CSV list, else ``""``."""
    if table_suffix(src) != ".csv":
        return ""
    from starclass.io.catalog import commented_header

    # '#file,label' was skipped as a comment and the first row read as the header: "no 'file' column; columns:
    # ['a.png', 'cluster']" said not why
    note = commented_header(src)
    return f"; {note}" if note else ""


def image_format(path: str | os.PathLike) -> str | None:
    """The format name of an image file from its suffix (None when not an image).

    Examples
    --------
    >>> image_format("a/b.FITS.gz")
    'fits'
    >>> image_format("notes.txt") is None
    True
    """
    name = Path(path).name.lower()
    for suffix in sorted(IMAGE_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return IMAGE_SUFFIXES[suffix]
    return None


#: numpy dtype kinds that are pixel values: boolean, signed and unsigned integer, real float.
_PIXEL_KINDS = "biuf"
#: Words for the other kinds, in the message that refuses them.
_KIND_WORDS = {"U": "text", "S": "bytes (text)", "O": "Python objects", "c": "complex numbers",
               "M": "dates", "m": "time intervals", "V": "records (a structured array)"}


def drawing_origin(path: str | os.PathLike) -> str:
    """Where a figure draws row 0 of an image file or stamp store: ``"upper"`` or ``"lower"``.

    The one rule for every figure of stamps (``explain``, the report's Grad-CAM and gallery of
    mistakes): PNG, JPEG and NPY cutouts are drawn as stored, row 0 at the top (as image
    viewers show them); FITS cutouts and the stamps of an HDF5 stamp store (cut from FITS
    mosaics) are drawn y up, row 0 at the bottom (as DS9 and ``starclass inspect`` show them).

    Parameters
    ----------
    path : str or os.PathLike
        An image file (told by its suffix, see :data:`IMAGE_SUFFIXES`) or a stamp store
        (:data:`starclass.schema.STAMP_STORE_SUFFIXES`).

    Returns
    -------
    str
        matplotlib's ``origin``: ``"upper"`` or ``"lower"``.

    Raises
    ------
    StarclassError
        Neither an image suffix nor a stamp store's.

    Examples
    --------
    >>> drawing_origin("cut/a.png"), drawing_origin("cut/a.npy"), drawing_origin("cut/a.fits.gz")
    ('upper', 'upper', 'lower')
    >>> drawing_origin("stamps.h5")
    'lower'
    """
    fmt = image_format(path)
    if fmt is not None:
        return _ORIGIN_OF_FORMAT[fmt]
    if Path(path).suffix.lower() in STAMP_STORE_SUFFIXES:
        return "lower"
    raise StarclassError(f"{path}: neither an image file nor a stamp store ({'/'.join(STAMP_STORE_SUFFIXES)}), so no "
                         f"orientation to draw it with; images read are {IMAGE_KINDS}")


def common_origin(origins: Iterable[str]) -> str:
    """The origin shared by every entry of ``origins``, or ``"mixed"`` (also for an empty one).

    Examples
    --------
    >>> common_origin(["lower", "lower"]), common_origin(["upper", "lower"])
    ('lower', 'mixed')
    """
    seen = set(origins)
    return seen.pop() if len(seen) == 1 else MIXED


def figure_origin(origin: str) -> str:
    """matplotlib's ``origin`` for a figure of stamps whose :func:`common_origin` is ``origin``.

    A figure has one origin: a set that mixes orientations is drawn as its arrays are stored,
    row 0 at the top (the frame the network saw); whoever draws it says so.

    Examples
    --------
    >>> figure_origin("lower"), figure_origin("mixed")
    ('lower', 'upper')
    """
    return origin if origin in ("upper", "lower") else "upper"


def _scaled_to_unit(a: np.ndarray, fmt: str) -> bool:
    """Whether pixels ``a`` read from a file of format ``fmt`` are a picture's, divided by their type's maximum.

    Examples
    --------
    >>> _scaled_to_unit(np.zeros(2, np.uint8), "png"), _scaled_to_unit(np.zeros(2, np.float32), "fits")
    (True, False)
    """
    # kind and size, not dtype equality: a big-endian (">u2") array is a uint16 picture too
    picture = fmt in _PIL_FORMATS or (fmt == "npy" and a.dtype.kind == "u" and a.dtype.itemsize <= 2)
    return bool(picture and np.issubdtype(a.dtype, np.integer))


def _scale_integers(a: np.ndarray, fmt: str) -> np.ndarray:
    """Pixels as float32: pictures' integers -> [0, 1] by the type's maximum (see module notes).

    PIL formats and ``uint8``/``uint16`` NPY arrays are pictures (stretched 8/16-bit grey
    levels); FITS and any other NPY array hold physical values, kept as they are.

    Examples
    --------
    >>> _scale_integers(np.array([[0, 255]], np.uint8), "png").tolist()
    [[0.0, 1.0]]
    >>> _scale_integers(np.array([[0, 100000]], np.int32), "fits").tolist()
    [[0.0, 100000.0]]
    """
    if _scaled_to_unit(a, fmt):
        if a.dtype.itemsize == 1:
            return a.astype(np.float32) / 255.0
        # PIL hands 16-bit PNGs over as int32 ("I" mode) on some versions: use 16 bits
        return a.astype(np.float32) / 65535.0
    return np.asarray(a, dtype=np.float32)


#: PIL modes of colour held otherwise than as R, G, B (print JPEGs' CMYK, ...): read as the RGB they show.
_PIL_AS_RGB = frozenset({"CMYK", "YCbCr", "LAB", "HSV", "RGBX"})


def _read_pil(path: Path) -> np.ndarray:
    """A picture's pixels as PIL decodes them, rows from the top, channels last (none for grey).

    A palette image is read as the colours it shows, and as grey when every pixel's colour is a
    grey (PIL's ``convert("P")`` of a grey picture, PNG optimisers): read as RGB, one such file
    among grey cutouts refused the folder for its 3 channels. CMYK (and other colour spaces PIL
    decodes) are read as RGB: the 4 CMYK channels were taken for 4 bands.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> p = Path(tempfile.mkdtemp()) / "grey.png"
    >>> Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8)).convert("P").save(p)
    >>> _read_pil(p).shape
    (8, 8)
    """
    from PIL import Image

    deep = _png_colour_depth(path)
    if deep is not None:
        return _read_png16_colour(path, deep)
    with Image.open(path) as img:
        _refuse_planar_tiff(img, path)
        n_frames = getattr(img, "n_frames", 1)
        if n_frames == 1:
            return _pil_frame(img)
        # a TIFF stack, one band per page (as ImageJ, tifffile and PIL's save_all write it): only the first page
        # was read, the other bands dropped without a word
        frames = []
        for k in range(n_frames):
            img.seek(k)
            frames.append(_pil_frame(img))
    odd = next((k for k, f in enumerate(frames) if f.ndim != 2 or f.shape != frames[0].shape), None)
    if odd is not None:
        raise StarclassError(f"{path}: holds {n_frames} pictures (pages or frames), page {odd + 1} of shape "
                             f"{frames[odd].shape} beside page 1's {frames[0].shape}: a cutout of several pages must "
                             "be one grey plane per band, all of one size")
    return np.stack(frames, axis=-1)  # channels last, as PIL gives colour


def _pil_frame(img) -> np.ndarray:
    """The pixels of a PIL image's current frame (see :func:`_read_pil`)."""
    img.load()  # decodes everything now, so a truncated file fails here
    mode = img.mode
    palette = mode in ("P", "PA")
    if palette:
        img = img.convert("RGBA" if mode == "PA" or "transparency" in img.info else "RGB")
    elif mode in _PIL_AS_RGB:
        img = img.convert("RGB")
    a = np.asarray(img)
    mode = img.mode
    if mode in ("LA", "RGBA"):
        a = a[..., :-1]
    if mode == "1":
        a = a.astype(np.uint8) * 255
    if palette and a.shape[-1] == 3 and (a[..., 0] == a[..., 1]).all() and (a[..., 1] == a[..., 2]).all():
        a = a[..., 0]
    return a


#: The eight bytes every PNG starts with.
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: PNG colour types of 16-bit samples PIL hands over at 8 bits -> the rawmode whose unpacker takes each
#: sample's second (low) byte after PIL's own unfiltering: RGB, RGBA; grey+alpha through an 8-bit RGBA
#: unpacker of the same 4 bytes per pixel (grey high, grey low, alpha high, alpha low).
_PNG16_LOW_RAWMODE = {2: "RGB;16L", 6: "RGBA;16L", 4: "RGBA"}


def _png_colour_depth(path: Path) -> int | None:
    """The colour type of a 16-bit colour (or grey+alpha) PNG, from its header; None for any other file.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> p = Path(tempfile.mkdtemp()) / "rgb8.png"
    >>> Image.new("RGB", (4, 4)).save(p)
    >>> _png_colour_depth(p) is None
    True
    """
    if image_format(path) != "png":
        return None
    with open(path, "rb") as fh:
        head = fh.read(26)
    if len(head) < 26 or head[:8] != _PNG_SIGNATURE or head[12:16] != b"IHDR":
        return None  # PIL says what is wrong with it
    depth, colour_type = head[24], head[25]
    return colour_type if depth == 16 and colour_type in _PNG16_LOW_RAWMODE else None


def _read_png16_colour(path: Path, colour_type: int) -> np.ndarray:
    """A 16-bit colour (RGB48, RGBA64) or grey+alpha PNG at its full depth, channels last, ``uint16``.

    PIL has no 16-bit colour mode: it decodes such a PNG to 8 bits a channel (the high byte), and a
    colour PNG of 16 bits (astropy's ``make_rgb``, Siril and PixInsight exports) reached the network
    at 8 bits without a word. PIL's decoder still unfilters every byte of the rows: decoded a second
    time with the unpacker of little-endian samples (which takes the other byte of each pair), it
    gives the low bytes. No other library in the dependencies reads 16-bit colour PNG.

    Examples
    --------
    A PNG of one row of two RGB48 pixels (colour type 2), written by hand as PIL cannot write one;
    every sample comes back whole, low byte included:

    >>> import struct, tempfile, zlib
    >>> def chunk(kind, data):
    ...     return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    >>> samples = np.array([[[1, 256, 65535], [4660, 0, 43981]]], dtype=">u2")
    >>> rows = b"".join(b"\\x00" + row.tobytes() for row in samples)  # filter 0 before each row
    >>> p = Path(tempfile.mkdtemp()) / "rgb48.png"
    >>> _ = p.write_bytes(_PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 16, 2, 0, 0, 0))
    ...                   + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    >>> a = _read_png16_colour(p, _png_colour_depth(p))
    >>> a.dtype, a.tolist()
    (dtype('uint16'), [[[1, 256, 65535], [4660, 0, 43981]]])
    """
    from PIL import Image

    try:
        with Image.open(path) as img:
            high = np.asarray(img)  # the high byte of each sample (the low one for grey+alpha's RGBA below)
        with Image.open(path) as img:
            tile = img.tile[0]
            args = (*tuple(tile)[:3], _PNG16_LOW_RAWMODE[colour_type])
            img.tile = [tile._make(args) if hasattr(tile, "_make") else args]
            low = np.asarray(img)
    except (OSError, ValueError, IndexError, SyntaxError) as exc:
        raise StarclassError(
            f"{path}: a PNG of 16-bit colour, which this version of PIL reads only at 8 bits "
            f"({type(exc).__name__}: {exc}): save the cutout as a 16-bit TIFF (tifffile.imwrite(path, a)), "
            "FITS or NPY") from None
    if colour_type == 4:  # grey+alpha: R, G are the grey sample's high and low bytes
        if low.ndim != 3 or low.shape[-1] != 4:
            raise StarclassError(f"{path}: a PNG of 16-bit grey+alpha read as {low.shape}: save it as a 16-bit "
                                 "grey PNG, TIFF, FITS or NPY")
        return (low[..., 0].astype(np.uint16) << 8) | low[..., 1]
    if high.shape != low.shape or high.dtype != np.uint8:
        raise StarclassError(f"{path}: a PNG of 16-bit colour read as {high.shape} and {low.shape}: save it as a "
                             "16-bit TIFF (tifffile.imwrite(path, a)), FITS or NPY")
    a = (high.astype(np.uint16) << 8) | low
    return a[..., :3]  # the alpha channel is dropped, as for every picture


def _tiff_deep_planes(path: Path) -> tuple[int, int] | None:
    """Samples per pixel and bits per sample of a TIFF of several samples of more than 8 bits, from its first page.

    Those are what PIL misreads (16-bit colour as 8 bits, planar 16-bit as wrong values) or cannot
    read (several float planes): :func:`_read_tiff_deep` reads them with tifffile. None for every
    other TIFF (grey, 8-bit colour, a stack of grey pages), which PIL reads as it is.
    """
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            spp, bits = int(page.samplesperpixel), int(page.bitspersample)
    except Exception:  # not a TIFF tifffile can parse: PIL says what is wrong with it
        return None
    # 8-bit colour, planar or not, PIL reads right (and decodes LZW, which tifffile needs imagecodecs for)
    return (spp, bits) if spp > 1 and bits > 8 else None


def _read_tiff_deep(path: Path) -> np.ndarray:
    """A TIFF of several planes of 16 bits or floats (contiguous or planar), channels last, as stored.

    PIL read a 16-bit RGB TIFF at 8 bits without a word, decoded tifffile's default for a
    ``uint16`` array ``(3, H, W)`` (one page, planar configuration 2) to wrong values, and could not
    open one of float planes; tifffile reads all three at their full depth. An alpha channel
    (TIFF ``ExtraSamples`` 1 or 2) is dropped, as for every picture.

    Examples
    --------
    >>> import tempfile, tifffile
    >>> p = Path(tempfile.mkdtemp()) / "planes.tif"
    >>> planes = np.arange(48, dtype=np.float32).reshape(3, 4, 4)  # planes 0-15, 16-31, 32-47
    >>> tifffile.imwrite(p, planes, photometric="rgb", planarconfig="separate")
    >>> _read_tiff_deep(p).shape, _read_tiff_deep(p)[1, 0].tolist()  # row 1, column 0 of each plane
    ((4, 4, 3), [4.0, 20.0, 36.0])
    """
    import tifffile

    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        spp, bits = int(page.samplesperpixel), int(page.bitspersample)
        if len(tif.pages) > 1:
            raise StarclassError(f"{path}: a TIFF of {len(tif.pages)} pages of {spp} planes of {bits} bits each: a "
                                 "cutout is one page of planes, or one grey page per band")
        try:
            a = page.asarray()
        except (ValueError, NotImplementedError, KeyError, RuntimeError) as exc:
            # LZW and JPEG need the imagecodecs package; zlib (deflate), packbits and no compression do not
            compression = getattr(page.compression, "name", page.compression)
            raise StarclassError(
                f"{path}: a TIFF of {spp} planes of {bits} bits compressed with {compression}, which tifffile "
                f"cannot decode here ({exc}) and PIL reads only at 8 bits: install imagecodecs (pip install "
                "imagecodecs), or save the cutout uncompressed or with zlib (deflate) compression, or as FITS or NPY"
            ) from None
        extras = tuple(int(e) for e in (page.extrasamples or ()))
        planar = int(page.planarconfig) == 2
    a = np.asarray(a)
    if a.ndim == 3 and planar:
        a = np.moveaxis(a, 0, -1)  # one plane after another: channels first as tifffile gives them
    if a.ndim != 3 or a.shape[-1] != spp:
        raise StarclassError(f"{path}: a TIFF of {spp} planes read as an array of shape {a.shape}: save the "
                             "cutout as FITS or NPY")
    if extras and extras[-1] in (1, 2):  # associated or unassociated alpha
        a = a[..., :-1]
    return a


def deep_colour_picture(path: str | os.PathLike) -> bool:
    """Whether a picture file holds several planes of more than 8 bits (16-bit colour PNG or TIFF, float planes).

    PIL opens those in its 8-bit modes; :func:`read_image` reads them at their full depth.

    Parameters
    ----------
    path : str or os.PathLike
        An image file (only its header is read).

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> p = Path(tempfile.mkdtemp()) / "rgb8.png"
    >>> Image.new("RGB", (4, 4)).save(p)
    >>> deep_colour_picture(p)
    False
    """
    p = Path(path)
    fmt = image_format(p)
    if not p.is_file():
        return False
    if fmt == "png":
        return _png_colour_depth(p) is not None
    return fmt == "tiff" and _tiff_deep_planes(p) is not None


def _refuse_planar_tiff(img, path: Path) -> None:
    """Refuse a TIFF whose several planes of more than 8 bits are stored one after another.

    tifffile writes an array ``(3, H, W)`` of ``uint16`` so (``PlanarConfiguration`` 2): PIL
    decodes it as an 8-bit RGB picture of wrong values (55745 read as 193 of 255, not 217),
    which reached the network without a word.
    """
    tags = getattr(img, "tag_v2", None)
    if tags is None:
        return
    bits = tags.get(258) or (8,)
    bits = max(bits) if isinstance(bits, tuple) else int(bits)
    if tags.get(284) == 2 and int(tags.get(277, 1)) > 1 and bits > 8:
        raise StarclassError(
            f"{path}: a TIFF of {tags.get(277)} planes of {bits} bits stored plane after plane (planar "
            "configuration 2, as tifffile writes an array (3, H, W)), which PIL decodes wrongly: save the cutout "
            "as FITS or NPY, or one page per band (tifffile.imwrite(path, a, photometric='minisblack'))")


#: EXTNAMEs of a FITS cutout's HDUs that are not its image: exposure and weight maps, errors, masks (the
#: mosaic reader's rule, :func:`starclass.io.mosaic._first_image`)
_NOT_IMAGE_EXTNAMES = frozenset(WEIGHT_EXTNAMES) | frozenset(ANCILLARY_EXTNAMES) | frozenset(MASK_EXTNAMES)


#: ``file_<name>`` columns whose name says they list exposure maps (``file_exposure``, ``file_xray_exp``)
_EXPOSURE_COLUMN = re.compile(r"(^|_)(exp|exposure|expmap|exp_?map)($|_)", re.I)


def _extname(hdu) -> str:
    return str(hdu.header.get("EXTNAME", "")).strip().upper()


def _image_hdus(hdul) -> tuple[int | None, int | None]:
    """The index of the HDU read as a FITS cutout's image, and of its exposure (or weight) map; None for none.

    The image is the first 2-D (or deeper) HDU not named as an exposure, weight, error or mask map, else
    the first 2-D HDU; the map is the first 2-D HDU of a name in :data:`starclass.io.mosaic.WEIGHT_EXTNAMES`
    (``EXPOSURE``, ``EXP``, ``WHT``, ...) other than the image. Headers only: no pixel is read.
    """
    cands = [i for i, h in enumerate(hdul) if getattr(h, "is_image", False) and int(h.header.get("NAXIS", 0)) >= 2]
    named = [i for i in cands if _extname(hdul[i]) not in _NOT_IMAGE_EXTNAMES]
    image = (named or cands or [None])[0]
    weight = next((i for i in cands if i != image and _extname(hdul[i]) in WEIGHT_EXTNAMES), None)
    return image, weight


def fits_exposure_extension(path: str | os.PathLike) -> str | None:
    """The EXTNAME of a FITS cutout's exposure (or weight) map, which :func:`read_image` applies; None without one.

    Parameters
    ----------
    path : str or os.PathLike
        A cutout file (any other than FITS: None).

    Returns
    -------
    str or None

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.fits"
    >>> fits.HDUList([fits.PrimaryHDU(np.zeros((4, 4))), fits.ImageHDU(np.ones((4, 4)), name="EXPOSURE")]).writeto(p)
    >>> fits_exposure_extension(p)
    'EXPOSURE'
    >>> p.unlink(); p.parent.rmdir()
    """
    if image_format(path) != "fits":
        return None
    try:
        with open_fits(path, memmap=False) as hdul:
            _, weight = _image_hdus(hdul)
            return None if weight is None else _extname(hdul[weight])
    except (OSError, ValueError):
        return None  # read_image says what is wrong with the file


def _read_fits(path: Path) -> np.ndarray:
    try:
        opened = open_fits(path, memmap=False)
    except (OSError, ValueError) as exc:
        # a stamp cut short or not FITS at all is said as the mosaics say it (astropy's "Empty or corrupt FITS
        # file" did not say that copying it again mends it)
        raise StarclassError(unreadable_fits(path, exc)) from None
    with opened as hdul:
        image, weight = _image_hdus(hdul)
        # the image by its name, not the first HDU with data: a file of an empty primary, an EXPOSURE map and
        # the counts handed the exposure map to the network as the image
        order = ([image] if image is not None else []) + [i for i in range(len(hdul)) if i != image]
        for k in order:
            hdu = hdul[k]
            if hdu.data is not None and getattr(hdu, "is_image", False) and hdu.data.ndim >= 2:
                # a Pan-STARRS1 stack's cutout stores asinh(flux) (BSOFTEN, BOFFSET; in the image's header or,
                # for an image extension, the primary one): it reached the network as if linear
                header = hdu.header if ("BSOFTEN" in hdu.header or "BOFFSET" in hdu.header) else hdul[0].header
                scaling = asinh_scaling(header, path)
                data = linear_from_asinh(hdu.data, *scaling) if scaling is not None else np.array(hdu.data)
                if weight is not None and k == image:
                    data = _no_exposure_as_nan(data, hdul[weight], path)
                return data
    raise StarclassError(f"{path}: no image HDU with data")


def _no_exposure_as_nan(data: np.ndarray, weight_hdu, path: Path) -> np.ndarray:
    """``data`` with NaN where its exposure (or weight) map is zero, not finite or negative: no data there.

    An X-ray counts image holds 0 in its chip gaps and beyond its field of view, where nothing was
    observed; read as counts, those zeros are taken for an empty sky. The mosaic reader takes a weight or
    exposure extension the same way (zero weight: no data). The counts elsewhere are kept as they are,
    not divided by the exposure: the seed presets' images (and the papers') are counts.
    """
    w = np.asarray(weight_hdu.data, dtype=np.float64)
    if w.shape[-2:] != data.shape[-2:]:
        raise StarclassError(f"{path}: its {_extname(weight_hdu)} map is {w.shape[-2]} x {w.shape[-1]} px but its "
                             f"image {data.shape[-2]} x {data.shape[-1]} px (height x width): the map must be of "
                             "the image's pixels")
    w2 = w.reshape(-1, *w.shape[-2:])
    none = ~np.all(np.isfinite(w2) & (w2 > 0), axis=0)
    if not none.any():
        return data
    out = np.array(data, dtype=np.float32)
    out[..., none] = np.nan
    return out


def fits_cutout_unit(path: str | os.PathLike) -> tuple[str, float | None] | None:
    """The unit of a FITS cutout's pixel values and its exposure time (s), from the headers; None if unreadable.

    The unit as the mosaic reader names it (:func:`starclass.io.mosaic.value_unit`: ``counts`` for ``BUNIT``
    ``COUNTS``, ``ELECTRONS``, ``ct``, ``e-``; ``counts/s`` for a rate; ``MJy/sr``, ``nanomaggies``, ``DN``, ...;
    ``pixel value`` without ``BUNIT``) and the exposure time (``EXPTIME``, else ``TEXPTIME``, ``XPOSURE``;
    :func:`starclass.io.mosaic.exposure_time`), read from the image's HDU (the one :func:`read_image` reads),
    else the primary header, where HST and many archives keep them. Headers only: no pixel is read.

    Parameters
    ----------
    path : str or os.PathLike
        A FITS cutout.

    Returns
    -------
    tuple of (str, float or None), or None

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.fits"
    >>> fits.PrimaryHDU(np.zeros((4, 4), np.float32), fits.Header({"BUNIT": "ELECTRONS", "EXPTIME": 400.0})).writeto(p)
    >>> fits_cutout_unit(p)
    ('counts', 400.0)
    """
    from starclass.io.mosaic import exposure_time, value_unit

    try:
        with open_fits(path) as hdul:
            image, _ = _image_hdus(hdul)
            keys = {}
            for k in dict.fromkeys((0, image if image is not None else 0)):
                # the image's own cards over the primary's: an extension's BUNIT is the image's
                keys.update({c: v for c, v in hdul[k].header.items() if c not in ("", "COMMENT", "HISTORY")})
    except (OSError, ValueError):
        return None  # read_image names a file it cannot read
    return value_unit(keys), exposure_time(keys)


#: Normalisations that keep the pixel values' scale (:mod:`starclass.stamps.normalise`): under them, cutouts in
#: different units (counts beside counts/s) reach the network on different scales. The others (zscore, zstd, asinh,
#: rgb) divide each stamp by its own robust sigma, so a constant factor per cutout changes nothing.
UNIT_KEEPING_NORMALISATIONS = ("none", "flux")

#: value_unit's word for no BUNIT, and how a list of units says it
_UNKNOWN_UNIT_WORDS = ("pixel value", "no BUNIT")


def units_seen(cutouts: CutoutSet) -> str | None:
    """The units of a set's FITS cutouts in words, with the exposure times of those in counts; None without FITS.

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((3, 1, 4, 4), np.float32), table=None, files=["a", "b", "c"], labels=None,
    ...                groups=np.array(["a", "b", "c"]), fits_units=[
    ...                    ("a.fits", "counts", 400.0), ("b.fits", "counts", 1200.0), ("c.fits", "counts/s", 400.0)])
    >>> units_seen(cs)
    'counts (2 files, EXPTIME 400 .. 1200 s), counts/s (1 file)'
    """
    if not cutouts.fits_units:
        return None
    parts = []
    for unit in dict.fromkeys(e[1] for e in cutouts.fits_units):
        times = [e[2] for e in cutouts.fits_units if e[1] == unit]
        said = counted(len(times), "file")
        known = [t for t in times if t is not None]
        if unit == "counts" and known:
            lo, hi = min(known), max(known)
            span = f"{lo:g} s" if lo == hi else f"{lo:g} .. {hi:g} s"
            said += f", EXPTIME {span}" + (f"; {len(times) - len(known)} without" if len(known) < len(times) else "")
        parts.append(f"{unit if unit != _UNKNOWN_UNIT_WORDS[0] else _UNKNOWN_UNIT_WORDS[1]} ({said})")
    return ", ".join(parts)


def mixed_units_note(cutouts: CutoutSet) -> str | None:
    """What differs between a set's FITS cutouts in unit: two example files with their units; None where one unit.

    Cutouts in counts beside counts/s (or MJy/sr, or no ``BUNIT``) differ by a factor per cutout (the exposure
    time, a calibration), as do cutouts in counts of different exposure times (the same source gives 3 times
    the counts in 1200 s as in 400 s). A normalisation per stamp divides that factor out; one that keeps the
    values' scale (:data:`UNIT_KEEPING_NORMALISATIONS`) hands it to the network. The caller says which applies.

    Parameters
    ----------
    cutouts : CutoutSet
        The set as read (:attr:`CutoutSet.fits_units`).

    Returns
    -------
    str or None

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=None, files=["a", "b"], labels=None,
    ...                groups=np.array(["a", "b"]),
    ...                fits_units=[("a.fits", "counts", 400.0), ("b.fits", "counts/s", None)])
    >>> print(mixed_units_note(cs))  # doctest: +NORMALIZE_WHITESPACE
    FITS cutouts in 2 units: a.fits in counts (EXPTIME 400 s), b.fits in counts/s; counts (1 file, EXPTIME 400 s),
    counts/s (1 file)

    Two bands, each of its own unit, are not mixed units:

    >>> cs.fits_units = [("a_x.fits", "counts", None, "file_xray"), ("a_o.fits", "pixel value", None, "file_optical")]
    >>> mixed_units_note(cs) is None
    True
    """
    def said(entry: tuple) -> str:
        name, unit, t = entry[:3]
        unit = _UNKNOWN_UNIT_WORDS[1] if unit == _UNKNOWN_UNIT_WORDS[0] else unit
        return f"{name} in {unit}" + (f" (EXPTIME {t:g} s)" if unit == "counts" and t is not None else "")

    # band by band: each band is its own channel, so X-ray counts beside an optical plate of no BUNIT (a
    # galaxy-cluster folder) are two bands, not "2 units" to convert to one
    by_band: dict[str, list[tuple]] = {}
    for entry in cutouts.fits_units:
        by_band.setdefault(entry[3] if len(entry) > 3 else "", []).append(entry)
    for units in by_band.values():
        distinct = list(dict.fromkeys(e[1] for e in units))
        if len(distinct) > 1:
            a = next(e for e in units if e[1] == distinct[0])
            b = next(e for e in units if e[1] == distinct[1])
            return f"FITS cutouts in {len(distinct)} units: {said(a)}, {said(b)}; {units_seen(cutouts)}"
    for units in by_band.values():
        timed = [e for e in units if e[1] == "counts" and e[2] is not None]
        if timed:
            short, long = min(timed, key=lambda e: e[2]), max(timed, key=lambda e: e[2])
            if long[2] > short[2] * 1.01:
                return (f"FITS cutouts in counts of different exposure times: {said(short)}, {said(long)}; the same "
                        f"source gives {long[2] / short[2]:.3g} times the counts in the longer")
    return None


def fits_plane_bands(path: str | os.PathLike) -> list[str] | None:
    """The bands a FITS cube's header names for its planes, in stored order; None when it names none.

    The Legacy Survey's cutout service writes a g, r, z cube as one FITS image of shape ``(3, H, W)``
    with ``BAND0 = 'g'``, ``BAND1 = 'r'``, ``BAND2 = 'z'`` (and ``BANDS = 'grz'``). :func:`read_image`
    keeps the planes in stored order; these names say what they hold (the reddest is drawn red on
    the labelling page) and are checked against a task's bands.

    Parameters
    ----------
    path : str or os.PathLike
        A FITS file (any other file: None).

    Returns
    -------
    list of str or None
        One name per plane (``BAND<k>``, else ``BANDS`` of one letter per plane).

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "grz.fits"
    >>> fits.writeto(p, np.zeros((3, 4, 4), np.float32), fits.Header({"BAND0": "g", "BAND1": "r", "BAND2": "z"}))
    >>> fits_plane_bands(p)
    ['g', 'r', 'z']
    """
    if image_format(path) != "fits":
        return None
    try:
        with open_fits(path, memmap=False) as hdul:
            image, _ = _image_hdus(hdul)  # the HDU read_image reads
            header = None if image is None else hdul[image].header
    except (OSError, ValueError):
        return None  # read_image says what is wrong with the file
    if header is None or int(header.get("NAXIS", 0)) < 3:
        return None
    n = int(header.get("NAXIS3", 0))
    names = [header.get(f"BAND{k}") for k in range(n)]
    if n and all(isinstance(v, str) and v.strip() for v in names):
        return [v.strip() for v in names]
    bands = header.get("BANDS")
    if isinstance(bands, str) and len(bands.strip()) == n:
        return list(bands.strip())
    return None


def fits_celestial_wcs(path: str | os.PathLike) -> WCS | None:
    """The celestial WCS of a FITS cutout's image (the HDU :func:`read_image` reads), or None.

    None for a file that is not FITS, or whose header has no celestial WCS (no ``CTYPE``
    RA/Dec pair): such files are taken as they come.

    Parameters
    ----------
    path : str or os.PathLike
        A cutout file.

    Returns
    -------
    astropy.wcs.WCS or None

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.cdelt = [-1e-3, 1e-3]
    >>> p = Path(tempfile.mkdtemp()) / "x.fits"
    >>> fits.writeto(p, np.zeros((4, 4), np.float32), w.to_header())
    >>> round(float(fits_celestial_wcs(p).proj_plane_pixel_scales()[0].to("arcsec").value), 3)
    3.6
    """
    if image_format(path) != "fits":
        return None
    from astropy.wcs import WCS, FITSFixedWarning

    try:
        with open_fits(path, memmap=False) as hdul:
            # the header's NAXIS, not h.data: asking for the data read every pixel again (memmap off) per file
            image, _ = _image_hdus(hdul)
            if image is None:
                return None
            header = hdul[image].header
            with warnings.catch_warnings():
                # a DSS plate's old keywords (DATE-OBS forms, RADECSYS) are fixed by astropy with a warning each
                warnings.simplefilter("ignore", FITSFixedWarning)
                wcs = WCS(header, naxis=2).celestial
    except Exception:  # an unreadable WCS is no WCS: read_image says what is wrong with the file
        return None
    return wcs if wcs.has_celestial and wcs.naxis == 2 else None


def arcsec_per_px(wcs: WCS) -> float:
    """The mean pixel scale of a celestial WCS in arcsec.

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.cdelt = [-1 / 3600, 1 / 3600]
    >>> round(arcsec_per_px(w), 6)
    1.0
    """
    return float(np.mean([q.to_value("arcsec") for q in wcs.proj_plane_pixel_scales()]))


def cutout_scales(cutouts: CutoutSet) -> list[float]:
    """The pixel scale (arcsec) of each cutout's first band file that carries a celestial FITS WCS.

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((1, 1, 4, 4), np.float32), table=None, files=["a.png"], labels=None,
    ...                groups=np.array(["a"]))
    >>> cutout_scales(cs)
    []
    """
    out = []
    for f in cutouts.files:
        path = Path(cutouts.root) / f
        wcs = fits_celestial_wcs(path) if path.is_file() else None
        if wcs is not None:
            out.append(arcsec_per_px(wcs))
    return out


def cutout_fields(cutouts: CutoutSet) -> list[float]:
    """The width (arcsec) of each cutout that carries a celestial FITS WCS: its pixel scale times its side as read.

    Cutouts of mixed sizes read with ``resample`` count at their own size (:meth:`CutoutSet.widths`).

    Parameters
    ----------
    cutouts : CutoutSet
        Cutouts read by :func:`read_cutout_folder`.

    Returns
    -------
    list of float
        One field (arcsec) per cutout whose first band file carries a celestial WCS.

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((1, 1, 4, 4), np.float32), table=None, files=["a.png"], labels=None,
    ...                groups=np.array(["a"]))
    >>> cutout_fields(cs)
    []
    """
    out = []
    widths = cutouts.widths() if hasattr(cutouts, "widths") else np.full(len(cutouts.files), cutouts.images.shape[-1])
    for f, w in zip(cutouts.files, widths):
        path = Path(cutouts.root) / f
        wcs = fits_celestial_wcs(path) if path.is_file() else None
        if wcs is not None:
            out.append(arcsec_per_px(wcs) * int(w))
    return out


def cutout_field_arcsec(cutouts: CutoutSet) -> float | None:
    """The width (arcsec) of the cutouts' field from their FITS WCS (median over them); None without a WCS.

    Each cutout is resampled over its whole field to the task's ``stamp_size``: this field, not
    the number of pixels, is what the network sees at one scale.

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> from astropy.wcs import WCS
    >>> d = Path(tempfile.mkdtemp())
    >>> w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.cdelt = [-2 / 3600, 2 / 3600]
    >>> fits.writeto(d / "a.fits", np.zeros((32, 32), np.float32), w.to_header())
    >>> cs = CutoutSet(images=np.zeros((1, 1, 32, 32), np.float32), table=None, files=["a.fits"], labels=None,
    ...                groups=np.array(["a"]), root=d)
    >>> round(cutout_field_arcsec(cs), 6)
    64.0
    """
    fields = cutout_fields(cutouts) if len(cutouts) else []
    if not fields:
        return None
    return float(np.median(fields))


#: Largest offset (px) between the grids of an object's band files before they are called other grids.
BAND_GRID_TOLERANCE_PX = 1.0


def band_grid_mismatch(paths: list[Path], shape: tuple[int, int]) -> tuple[int, str] | None:
    """Whether the band files of one object lie on other sky grids, as their FITS WCS say.

    The band files of an object are stacked pixel for pixel, so they must share one pixel grid:
    an XMM counts image of 7' on 64 px beside a DSS plate of 1.8' on 64 px has one size and
    other skies (the plate's objects would sit on the X-ray's, four times too large). Each
    band file's centre and corners are carried through its WCS to the sky and into the first
    file's pixels; more than :data:`BAND_GRID_TOLERANCE_PX` apart is another grid. Files
    without a celestial WCS are not checked.

    Parameters
    ----------
    paths : list of Path
        The band files of one object, in stacking order.
    shape : tuple of int
        Their common (height, width).

    Returns
    -------
    tuple of (int, str) or None
        The index of the first file on another grid than ``paths[0]`` and what differs, or None.

    Examples
    --------
    >>> from astropy.io import fits
    >>> import tempfile
    >>> from astropy.wcs import WCS
    >>> d = Path(tempfile.mkdtemp())
    >>> for name, scale in (("x.fits", 6.56), ("o.fits", 1.7)):
    ...     w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.crval = [150, 2]
    ...     w.wcs.crpix = [32.5, 32.5]; w.wcs.cdelt = [-scale / 3600, scale / 3600]
    ...     fits.writeto(d / name, np.zeros((64, 64), np.float32), w.to_header())
    >>> band_grid_mismatch([d / "x.fits", d / "o.fits"], (64, 64))[1]  # doctest: +ELLIPSIS
    'pixel scale 1.7"/px against 6.56"/px: ...'
    >>> band_grid_mismatch([d / "x.fits", d / "x.fits"], (64, 64)) is None
    True
    """
    wcs0 = fits_celestial_wcs(paths[0])
    if wcs0 is None:
        return None
    h, w = shape
    px = np.array([[(w - 1) / 2, (h - 1) / 2], [0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]], dtype=float)
    scale0 = arcsec_per_px(wcs0)
    for j, path in enumerate(paths[1:], start=1):
        wcs = fits_celestial_wcs(path)
        if wcs is None:
            continue
        try:
            sky = wcs.pixel_to_world(px[:, 0], px[:, 1])
            x0, y0 = wcs0.world_to_pixel(sky)
        except Exception:  # frames that cannot be compared (galactic vs ecliptic) are not checked
            continue
        off = np.hypot(np.asarray(x0) - px[:, 0], np.asarray(y0) - px[:, 1])
        if np.all(np.isfinite(off)) and off.max() <= BAND_GRID_TOLERANCE_PX:
            continue
        scale = arcsec_per_px(wcs)
        what = []
        if abs(scale / scale0 - 1) > 0.01:
            what.append(f'pixel scale {scale:.3g}"/px against {scale0:.3g}"/px')
        centre = off[0] if np.isfinite(off[0]) else np.inf
        if centre > BAND_GRID_TOLERANCE_PX:
            what.append(f"centre {centre * scale0:.3g}\" ({centre:.3g} px) away")
        if not what:
            what.append("rotated (its corners up to "
                        f"{np.nanmax(off):.3g} px away)" if np.isfinite(off).all() else "another projection")
        return j, ", ".join(what) + f": fields {w * scale / 60:.3g}' and {w * scale0 / 60:.3g}' across"
    return None


def named_planes(plane_bands: Sequence[str], bands: Sequence[str]) -> list[int] | None:
    """The planes of a cube that hold ``bands``, by the names its header gives them; None when it names not all.

    A one-band task given Legacy Survey g, r, z cubes (``BAND0 = 'g'``...) takes their g plane; the
    three planes were averaged to grey. Only fewer bands than planes are taken so: a cube of as many
    planes as the task has bands is read in stored order (:func:`read_cutout_folder` warns when the
    names differ in order).

    Parameters
    ----------
    plane_bands : sequence of str
        The planes' names in stored order (:func:`fits_plane_bands`), or empty.
    bands : sequence of str
        The task's bands.

    Returns
    -------
    list of int or None
        One plane index per band, in the task's order (names matched whatever their case).

    Examples
    --------
    >>> named_planes(["g", "r", "z"], ["g"]), named_planes(["g", "r", "z"], ["z", "g"])
    ([0], [2, 0])
    >>> named_planes(["g", "r", "z"], ["i"]) is None, named_planes([], ["g"]) is None
    (True, True)
    """
    lower = [str(p).strip().lower() for p in (plane_bands or [])]
    wanted = [str(b).strip().lower() for b in (bands or [])]
    if not wanted or len(wanted) >= len(lower) or any(b not in lower for b in wanted):
        return None
    return [lower.index(b) for b in wanted]


def taken_planes_note(files: list[str], plane_bands: Sequence[str], taken: list[int], task: str, *,
                      page: bool = False) -> str | None:
    """The one line of a run that takes the planes of its cubes named as the task's bands; None otherwise.

    Said once per run where :func:`averaged_planes_note` said the planes were averaged (train,
    classify, calibrate, explain; ``inspect --stamps`` with ``page``).

    Parameters
    ----------
    files : list of str
        The cutout files (one per row), counted.
    plane_bands : sequence of str
        The names the cubes' headers give their planes, in stored order.
    taken : list of int
        The planes taken (:func:`named_planes`).
    task : str
        The task's name, as the line names it.
    page : bool
        For ``inspect --stamps``: says that the page's grey stamp and profile show that plane.

    Returns
    -------
    str or None
        One line starting ``note:``, or None when no plane was taken.

    Examples
    --------
    >>> print(taken_planes_note(["a.fits", "b.fits"], ["g", "r", "z"], [0], "m31-real"))
    ... # doctest: +NORMALIZE_WHITESPACE
    note: the headers of the 2 cutout files name their planes g, r, z (BAND0...): task 'm31-real' takes
    plane 0 (g) of each, the others are left out (until 2026-12-05 the planes were averaged: retrain a model
    trained on such cubes before then)
    """
    if not taken or not files:
        return None
    names = list(plane_bands)
    what = ", ".join(f"{k} ({names[k]})" for k in taken)
    done = (": the page's grey stamp and profile show it, as the model is given it" if page else
            ", the others are left out (until 2026-12-05 the planes were averaged: retrain a model "
            "trained on such cubes before then)")
    return (f"note: the headers of the {counted(len(files), 'cutout file')} name their planes "
            f"{', '.join(names)} (BAND0...): task {task!r} takes plane{'s' if len(taken) > 1 else ''} {what} of "
            f"each{done}")


#: The packages whose code reads cutouts: a TypeError, IndexError or KeyError raised inside them is a damaged file.
_IMAGE_READERS = ("PIL", "numpy", "astropy", "tifffile")


def read_image(path: str | os.PathLike, *, return_kind: bool = False) -> np.ndarray | tuple[np.ndarray, str]:
    """Read one cutout as float32 ``[C, H, W]`` (see the module notes on pixel values).

    Parameters
    ----------
    path : str or os.PathLike
        A PNG, JPEG, TIFF, BMP, WebP, FITS or NPY file.
    return_kind : bool
        Also return how the pixels were read: ``"picture"`` (an integer picture divided by its
        type's maximum: 0-1) or ``"stored"`` (FITS, other NPY: the values as stored).

    Returns
    -------
    numpy.ndarray
        ``[C, H, W]`` float32; C = 1 for grey, 3 for colour images, or the first axis of a
        3-D FITS/NPY cube (the last of an NPY ``(H, W, C)`` array with C <= 4). With
        ``return_kind``, ``(array, kind)``.

    Raises
    ------
    StarclassError
        A missing, unreadable, truncated or non-image file, or a non-finite-only image. Leading
        axes of length 1 beyond the third (a radio cutout's Stokes and frequency axes) are dropped.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.npy")
    >>> np.save(p, np.ones((8, 8)))
    >>> read_image(p).shape
    (1, 8, 8)
    >>> read_image(p, return_kind=True)[1]  # a float array: its values as stored
    'stored'
    >>> np.save(p, np.full((8, 8), 255, np.uint8))
    >>> img, kind = read_image(p, return_kind=True)  # an 8-bit picture: divided by 255
    >>> float(img.max()), kind
    (1.0, 'picture')
    """
    p = Path(path)
    fmt = image_format(p)
    if fmt is None:
        raise StarclassError(f"{p}: not an image file; images read are {IMAGE_KINDS}")
    if p.is_dir():
        raise StarclassError(f"{p}: is a folder, not an image file")
    if not p.is_file():
        raise StarclassError(f"{p}: no such file")
    try:
        if fmt == "tiff" and _tiff_deep_planes(p) is not None:
            a = _read_tiff_deep(p)
        elif fmt in _PIL_FORMATS:
            a = _read_pil(p)
        elif fmt == "fits":
            a = _read_fits(p)
        else:
            a = np.load(p, allow_pickle=False)
    except StarclassError:
        raise
    except ValueError as exc:  # also what PIL, astropy.io.fits and numpy raise for broken files
        if fmt == "npy" and "allow_pickle" in str(exc):
            # numpy refuses object arrays without pickle (which could run code): say what the file holds
            raise StarclassError(f"{p}: holds an array of Python objects (dtype object), not pixel values; "
                                 "save the image as a numeric array (e.g. np.save(path, img.astype('float32')))") \
                from None
        raise StarclassError(f"{p}: cannot read the image ({type(exc).__name__}: {exc})") from None
    # what PIL, astropy.io.fits and numpy raise for broken, truncated or foreign files
    except (OSError, EOFError, SyntaxError) as exc:
        # (a TIFF of float planes, which PIL cannot open, is read by tifffile above since 2026-12-04)
        raise StarclassError(f"{p}: cannot read the image ({type(exc).__name__}: {exc})") from None
    except (TypeError, IndexError, KeyError) as exc:
        # the readers raise these too for damaged files (PIL's KeyError of an unknown TIFF tag value, numpy's
        # TypeError of a damaged .npy header); raised in starclass they are bugs, which must not read as a bad file
        if not raised_by_reader(exc, _IMAGE_READERS):
            raise
        raise StarclassError(f"{p}: cannot read the image ({type(exc).__name__}: {exc})") from None
    a = np.asarray(a)
    if a.dtype.kind not in _PIXEL_KINDS:
        # text, complex numbers, dates or records are no pixels: text failed with a bare
        # "could not convert string to float", complex silently lost its imaginary part
        raise StarclassError(f"{p}: holds {_KIND_WORDS.get(a.dtype.kind, 'values')} (dtype {a.dtype}), not pixel "
                             "values; cutouts must be integer or real (float) arrays")
    while a.ndim > 3 and a.shape[0] == 1:
        # a radio cutout (VLASS, CASA, ...) keeps its Stokes and frequency axes of length 1: (1, 1, H, W)
        # was refused for its 4 dimensions though it holds one plane
        a = a[0]
    if a.ndim == 2:
        a = a[None]
    elif a.ndim == 3 and fmt in _PIL_FORMATS:
        a = np.moveaxis(a, -1, 0)  # PIL gives channels last
    elif a.ndim == 3 and fmt == "npy" and a.shape[-1] <= _MAX_LAST_CHANNELS < a.shape[0]:
        # numpy arrays saved from PIL, matplotlib or scikit-image are (H, W, C): a short
        # last axis behind a long first one cannot be (C, H, W) with an image of width <= 4
        a = np.moveaxis(a, -1, 0)
    elif a.ndim != 3:
        raise StarclassError(f"{p}: image has {a.ndim} dimensions; expected 2 (or 3 with channels)")
    if a.shape[-1] < 2 or a.shape[-2] < 2:
        raise StarclassError(f"{p}: image of shape {a.shape} is too small")
    out = _scale_integers(a, fmt)
    if return_kind:
        return out, "picture" if _scaled_to_unit(a, fmt) else "stored"
    return out


#: The 8 bytes every HDF5 file starts with.
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def is_hdf5(path: Path) -> bool:
    """Whether a file starts with the HDF5 signature (a stamp store, whatever its name), or is cut short inside it.

    A file of 1 to 7 bytes that begin the signature is a store cut short (an interrupted copy): taken
    for one, the store reader says it is cut short, where it was "not a stamp store nor a list of
    cutouts" or, given to ``info``, "line 1 is not UTF-8 text".

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = p.write_text("file,label")
    >>> is_hdf5(p)
    False
    >>> _ = p.write_bytes(HDF5_SIGNATURE[:5])
    >>> is_hdf5(p)
    True
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head == HDF5_SIGNATURE or (0 < len(head) < 8 and HDF5_SIGNATURE.startswith(head))


def is_store_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a file to read as a stamp store: one with the HDF5 signature, or one named as a store.

    ``calibrate`` and ``classify`` chose the store reader by the signature alone, so a ``stamps.h5`` that is
    no HDF5 file (a text file saved under that name, a failed download's error page) went to the cutout-list
    reader: ``calibrate`` said "stamps.h5 has a header but no rows", ``classify`` "give a cutout folder",
    where ``train --stamps`` said it is not a stamp store. Named as one, the store reader now says so for
    all three.

    Parameters
    ----------
    path : str or os.PathLike
        The ``--stamps`` argument.

    Returns
    -------
    bool

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "stamps.h5").write_text("hello")
    >>> _ = (folder / "labels.csv").write_text("file,label")
    >>> is_store_file(folder / "stamps.h5"), is_store_file(folder / "labels.csv"), is_store_file(folder)
    (True, False, False)
    """
    p = Path(path)
    return p.is_file() and (is_hdf5(p) or p.suffix.lower() in STAMP_STORE_SUFFIXES)


def stamp_store_error(path: str | os.PathLike, *, catalogue: bool = False) -> StarclassError:
    """The error for a stamp store given where a cutout folder is wanted (``classify --stamps stamps.h5``),
    or with ``catalogue`` where a catalogue table is (``evaluate stamps.h5``, ``suggest MODEL stamps.h5``).

    Parameters
    ----------
    path : str or os.PathLike
        The store, as the user named it.
    catalogue : bool
        It was given as a catalogue (read as a text table it failed with "cannot read stamps.h5 as
        ascii: UnicodeDecodeError ... byte 0x89").

    Returns
    -------
    StarclassError

    Examples
    --------
    >>> str(stamp_store_error("stamps.h5"))[:41]
    'stamps.h5 is an HDF5 stamp store (written'
    >>> "not a catalogue" in str(stamp_store_error("stamps.h5", catalogue=True))
    True
    """
    store = f"{path} is an HDF5 stamp store (written by 'starclass cutouts')"
    if catalogue:
        return StarclassError(
            f"{store}, not a catalogue (a CSV, ECSV, Parquet or FITS table); give the catalogue its stamps were "
            f"cut from (cutouts --catalog), with their mosaics where the command needs stamps; "
            f"{shown_command(f'starclass info {shell_word(path)}')} describes the store")
    return StarclassError(
        f"{store}, not a cutout folder (a CSV of file,label or a folder of images); stamps of catalogue candidates "
        "come from their mosaics: give those instead (report: --mosaics; "
        "inspect: DATA_DIR, the mosaics' folder, with --catalogue); 'starclass classify --stamps STORE.h5' "
        "classifies a store as it is, 'starclass calibrate MODEL --stamps STORE.h5' calibrates a model on one")


def read_csv_rows(path: str | os.PathLike) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Header, rows and the file line of each row of a cutout CSV (blank and all-empty rows skipped).

    The one reader of a labels CSV: every command that takes one (``train``, ``classify``,
    ``calibrate``, ``info``, :func:`starclass.stamps.morphology.folder_statistics`) reads it
    here, so a file one accepts the others accept. A spreadsheet's ``;`` or tab separator, its
    ``sep=`` line, a byte-order mark and UTF-16 are taken as they are; pandas' index column is
    left out with a warning.

    Header names are stripped (``file, label`` names the columns ``file`` and ``label``, as
    the cells are read); a name given twice is an error naming it, since a reader would
    silently keep one of the two columns.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.

    Returns
    -------
    names : list of str
        The header's column names.
    rows : list of dict
        Each row's cells (text as written) by column name; ``None`` for a cell a short row lacks.
    lines : list of int
        The file line of each row, for messages.

    Raises
    ------
    StarclassError
        A file that cannot be read or is not UTF-8 / UTF-16 text, no header, no rows, a column
        named twice, or a row with more cells than the header (each naming the file and row).

    Examples
    --------
    A labels file saved by a spreadsheet set to a European locale:

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = p.write_text("sep=;\\nfile; label\\na.png;cluster\\n\\nb.png;galaxy\\n")
    >>> names, rows, lines = read_csv_rows(p)
    >>> names, [r["label"] for r in rows], lines
    (['file', 'label'], ['cluster', 'galaxy'], [3, 5])
    """
    path = Path(path)
    if cutout_list_format(path) not in (None, "ascii.csv"):
        return _table_list_rows(path, cutout_list_format(path))
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    names: list[str] = []
    header_line = width = 1
    sep = ","
    try:
        from starclass.io.catalog import CsvLines, csv_dialect, is_sep_line

        encoding, sep = csv_dialect(path)  # a spreadsheet's ';' or tab, and its byte-order mark
        # a list kept compressed (labels.csv.gz from an archive) read as the text inside, its lines numbered so
        with open_table_file(path, newline="", encoding=encoding) as fh:
            numbered = CsvLines(fh)  # '#' comment lines (a note, a cutout left out) skipped, file lines kept
            reader = csv.reader(numbered, delimiter=sep)
            for cells in reader:
                if not names:
                    if is_sep_line(cells):
                        continue  # Excel's 'sep=;' above the header: csv_dialect has split the file on it
                    # blank lines above the header are skipped, as csv.DictReader skips them
                    names = [c.strip() for c in cells]
                    header_line, width = numbered.numbers[-1], len(cells)
                    continue
                if not cells:
                    continue
                row: dict = dict(zip(names, cells))
                if len(cells) > len(names):
                    row[None] = cells[len(names):]  # more cells than header names: refused below
                else:
                    row.update({n: None for n in names[len(cells):]})
                # a spreadsheet saves rows it once touched as ",,,": nothing there, as a blank line
                if None not in row and not any((v or "").strip() for v in row.values()):
                    continue
                rows.append(row)
                lines.append(numbered.numbers[-1])  # the file line: comment lines above counted too
    except UnicodeDecodeError:
        raise StarclassError(not_utf8_message(path)) from None
    except (OSError, csv.Error, EOFError, zlib.error, lzma.LZMAError) as exc:
        # a list kept compressed and cut short or damaged: said so, naming it (EOFError: "Compressed file ended
        # before the end-of-stream marker was reached")
        raise StarclassError(compressed_damage(path) or f"{path}: cannot read the CSV ({exc})") from None
    if not names:
        raise StarclassError(f"{path}: the CSV has no header")
    from starclass.io.catalog import index_column_note, is_index_header

    if is_index_header(names):
        # pandas' row index (to_csv's default): read as a column '' beside file and label (and as a
        # column of the outputs), where the catalogue reader called it 'col0'; left out by both now
        warnings.warn(index_column_note(path), UserWarning, stacklevel=3)
        first = names[0]
        names = names[1:]
        for row in rows:
            row.pop(first, None)
        # a row that held only its index (",," once touched in a spreadsheet) is a blank row
        kept = [i for i, row in enumerate(rows) if None in row or any((v or "").strip() for v in row.values())]
        rows, lines = [rows[i] for i in kept], [lines[i] for i in kept]
    dup = sorted({n for n in names if n and names.count(n) > 1})
    if dup:
        where = "; ".join(f"{n!r} in columns {', '.join(str(j + 1) for j, m in enumerate(names) if m == n)}"
                          for n in dup)
        raise StarclassError(f"{path}: the header names a column twice ({where}); rename one of them")
    for i, row in enumerate(rows):
        if None in row:  # more cells than header names
            # the counts, as the catalogue reader says them (io.catalog.csv_ragged_line)
            name = {",": "comma", ";": "semicolon", "\t": "tab"}.get(sep, repr(sep))
            raise StarclassError(f"{path}: {_row_line(i, lines)} has {width + len(row[None])} cells where the header "
                                 f"(line {header_line}) has {width}; a value with a {name} in it goes in double quotes")
    refuse_no_rows(rows, path)
    return names, rows, lines


def _table_list_rows(path: Path, fmt: str) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """:func:`read_csv_rows` of a list given as an ECSV, Parquet or FITS table: its cells as a CSV would hold them.

    Read by :func:`starclass.io.cutout_output.read_table_as` (as every table of cutouts is); a masked cell is
    empty, a number its text. What a classified list records in its meta (``cutout_root``, ``group_column``,
    ``file_column``), which a classified CSV holds as columns, is given as those columns, so that the CSV's
    readers find it. Rows have no file line (0: :func:`_row_line` names the row only).
    """
    from starclass.io.cutout_output import read_table_as
    from starclass.schema import CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE, FILE_COLUMN, GROUP_COLUMN

    try:
        table = read_table_as(path, fmt)
    except StarclassError:
        raise
    except Exception as exc:  # astropy's and pyarrow's many errors: the file is named
        raise StarclassError(f"{path}: cannot read it as {CUTOUT_LIST_KINDS} of cutouts "
                             f"({type(exc).__name__}: {exc})") from None
    names = [str(c).strip() for c in table.colnames]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise StarclassError(f"{path}: columns {dup} are named twice once stripped of spaces; rename one of them")
    cells: dict[str, list[str]] = {}
    for name, column in zip(names, table.columns.values()):
        if getattr(column, "ndim", 1) > 1:
            raise StarclassError(f"{path}: column {name!r} holds arrays of shape {column.shape[1:]} per row; a list "
                                 "of cutouts holds one value per cell")
        mask = np.ma.getmaskarray(np.ma.asarray(column))
        cells[name] = ["" if m else (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
                       for v, m in zip(column.tolist(), mask.tolist())]
    for key in (CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE, GROUP_COLUMN, FILE_COLUMN):
        value = table.meta.get(key)
        if isinstance(value, str) and value and key not in cells:
            names.append(key)
            cells[key] = [value] * len(table)
    rows = [{n: cells[n][i] for n in names} for i in range(len(table))]
    # a row that holds nothing is a blank row, as the CSV reader skips one
    rows = [r for r in rows if any(v.strip() for v in r.values())]
    if not names:
        raise StarclassError(f"{path}: the table has no columns")
    refuse_no_rows(rows, path)
    return names, rows, [0] * len(rows)


def not_utf8_message(path: str | os.PathLike) -> str:
    r"""The error for a CSV that is not UTF-8 text: its first such line, shown, and how to save it.

    Excel's plain "CSV (Comma delimited)" writes the Windows code page (``é`` as the byte 0xe9);
    the message was "cannot read the CSV ('utf-8' codec can't decode byte 0xe9 in position 14:
    invalid continuation byte)", a position in no line of the file. Used by the cutout CSV
    reader and by the catalogue reader (:func:`starclass.io.catalog.read_table`), whose message
    was "cannot read X as csv: UnicodeDecodeError ...".

    Parameters
    ----------
    path : str or os.PathLike
        The text file that failed to decode as UTF-8.

    Returns
    -------
    str
        The message: the file, the first line that is not UTF-8 (shown with the odd bytes
        escaped), the byte, and how to save the file as UTF-8 (Excel's words for a ``.csv``,
        a conversion for any other text table such as an ECSV).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = p.write_bytes("file,label\ncafé.png,cluster\n".encode("cp1252"))
    >>> print(not_utf8_message(p).split(": ", 1)[1][:59])
    line 2 is not UTF-8 text ('caf\xe9.png,cluster', byte 0xe9)
    """
    path = Path(path)
    from starclass.io.catalog import compressed_text_refusal

    if (compressed := compressed_text_refusal(path)) is not None:
        # a list kept compressed (labels.csv from gzip): "line 1 is not UTF-8 text ... save it as 'CSV UTF-8'"
        return compressed
    csv = table_suffix(path) == ".csv"
    with open_table_file(path, "rb") as fh:
        raw = fh.read()  # the text inside a list kept compressed: its lines as the reader numbered them
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = line.decode("utf-8", errors="backslashreplace")
            # quoted by hand: repr would double the backslash of \xe9
            head = f"{path}: line {number} is not UTF-8 text ('{shown[:80]}', byte 0x{line[exc.start]:02x}): the "
            if not csv:
                # an ECSV or a table in another text format: Excel's save menu is no help there
                return head + "file was saved in another encoding; convert it to UTF-8, e.g. iconv -f CP1252 -t UTF-8"
            return head + ("CSV was saved in another encoding (Excel's 'CSV (Comma delimited)' writes the Windows "
                           "code page); save it as 'CSV UTF-8', or convert it, e.g. iconv -f CP1252 -t UTF-8")
    return f"{path}: the {'CSV' if csv else 'file'} is not UTF-8 text; save it as UTF-8"


def stray_cutout_csvs(folder: str | os.PathLike) -> list[Path]:
    """CSVs in ``folder`` that list cutouts (a ``file`` or ``file_<band>`` column) but are not its ``labels.csv``.

    A folder is read through ``labels.csv``, named so: a ``Labels.CSV`` from Windows (whose file
    system ignores case) or a ``cutouts.csv`` was passed over without a word, the folder read as
    unlabelled images ("nothing to train on") or by its label folders. A classification written
    there (a ``class_pred`` column) is not one.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "Labels.CSV").write_text("file,label\\na.png,galaxy\\n")
    >>> [p.name for p in stray_cutout_csvs(d)]
    ['Labels.CSV']
    """
    folder = Path(folder)
    own = folder_label_lists(folder)  # a hint's look: the reader refuses two lists that differ
    found = []
    for f in sorted(folder.iterdir()):
        # labels.csv.gz too (a folder unpacked from an archive, its list kept compressed): it was passed over without
        # a word, the folder read as "images without labels"
        # the one read (labels.csv, else labels.csv.gz: folder_labels_csv) is no stray
        if f.is_file() and table_suffix(f) == ".csv" and f not in own and not is_os_clutter(f.name):
            try:
                names = [n.casefold() for n in csv_header(f)]
            except (OSError, UnicodeDecodeError, csv.Error, EOFError, zlib.error, lzma.LZMAError):
                continue
            # a classification written beside the label folders (classify --stamps DIR -o DIR/c.csv) is no list
            if ("file" in names or any(n.startswith("file_") for n in names)) and "class_pred" not in names:
                found.append(f)
    return found


def _warn_stray_csvs(root: Path) -> None:
    """Warn that a cutout list beside the images is not read (:func:`stray_cutout_csvs`)."""
    stray = stray_cutout_csvs(root)
    if stray:
        warnings.warn(f"{root}: {', '.join(p.name for p in stray)} lists cutouts but is not read: a folder is read "
                      f"through {LABELS_CSV} (this name, in lower case; or {LABELS_CSV}.gz) or else by its label "
                      "folders; give the CSV "
                      f"itself (--stamps {stray[0]}) or rename it {LABELS_CSV}", UserWarning, stacklevel=4)


def _imagefolder_rows(root: Path) -> tuple[list[str], list[dict[str, str]]]:
    _warn_stray_csvs(root)
    rows: list[dict[str, str]] = []
    skipped: list[str] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not is_os_clutter(p.name)):
        # the whole tree under each label folder, as torchvision's ImageFolder reads it: images
        # in cluster/night1/ were left out without a word
        for dirpath, dirnames, filenames in os.walk(sub, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if not is_os_clutter(d))
            for name in sorted(filenames):
                f = Path(dirpath) / name
                # hidden files (killed atomic writes `.name.XXXXXXXX.png`, macOS `._name.png`, `.DS_Store`)
                # and Windows' Thumbs.db, desktop.ini: the system's, skipped without a word
                if is_os_clutter(name):
                    continue
                if image_format(f) is not None:
                    rows.append({"file": f.relative_to(root).as_posix(), "label": sub.name})
                else:
                    skipped.append(f.relative_to(root).as_posix())
    if skipped:
        # a .gif or .ppm cutout (torchvision reads them) was left out without a word
        warnings.warn(f"{root}: {counted(len(skipped), 'file')} in the label folders "
                      f"{'is not an image' if len(skipped) == 1 else 'are not images'} starclass reads and "
                      f"{'is' if len(skipped) == 1 else 'are'} left out "
                      f"({', '.join(skipped[:5])}{', ...' if len(skipped) > 5 else ''}); images read "
                      f"are {IMAGE_KINDS}", stacklevel=3)
    # images directly in the directory, in no label folder
    loose = sorted(p.name for p in root.iterdir()
                   if p.is_file() and not is_os_clutter(p.name) and image_format(p) is not None)
    if not rows and loose:
        # a plain folder of new cutouts, to classify: "no images in sub-folders" refused it, and
        # a CSV listing every file had to be written by hand
        return ["file"], [{"file": name} for name in loose]
    if not rows:
        raise StarclassError(
            f"{root}: no {LABELS_CSV} and no images in sub-folders (ImageFolder layout: one "
            "sub-folder per label) nor in the folder itself")
    if loose:
        one = len(loose) == 1
        warnings.warn(f"{root}: {counted(len(loose), 'image')} {'lies' if one else 'lie'} directly in the folder, in "
                      f"no label folder, and {'is' if one else 'are'} left "
                      f"out ({', '.join(loose[:5])}{', ...' if len(loose) > 5 else ''}); move "
                      f"{'it into the folder of its' if one else 'them into the folder of their'} label", stacklevel=3)
    _warn_split_layout(root, sorted({r["label"] for r in rows}))
    return ["file", "label"], rows


#: Folder names of data splits (torchvision's ``root/<split>/<label>/`` habit), lower case.
_SPLIT_NAMES = {"train", "training", "val", "valid", "validation", "test", "testing", "eval", "dev"}


def _warn_split_layout(root: Path, labels: list[str]) -> None:
    """Warn when the label folders of an ImageFolder directory are data splits holding the labels.

    ``root/train/cluster/*.png`` and ``root/val/galaxy/*.png`` were read as labels ``train`` and
    ``val`` (images at any depth below a label folder belong to it); ``info`` printed
    "labels: train 88, val 29", and the unknown-label error offered to map ``train`` to a class.
    """
    splits = [lab for lab in labels if lab.casefold() in _SPLIT_NAMES]
    if not splits:
        return
    inner = sorted({d.name for lab in splits for d in (root / lab).iterdir() if d.is_dir() and
                    not is_os_clutter(d.name)})
    if not inner:
        return
    warnings.warn(f"{root}: its label folders {', '.join(repr(x) for x in splits)} are named as data splits and "
                  f"hold folders ({', '.join(inner[:5])}{', ...' if len(inner) > 5 else ''}): the labels are "
                  "the names of the folders directly below the directory given; for a layout "
                  f"<split>/<label>/ give one split, e.g. --stamps {root / splits[0]}", stacklevel=4)


def wrapped_labels_hint(source: str | os.PathLike, labels: Iterable[str], known: Iterable[str]) -> str:
    """The end of an unknown-label message for an ImageFolder directory one level above its label folders.

    A folder sent as ``cutouts/data/cluster/*.png`` and ``cutouts/data/galaxy/*.png`` and given as
    ``--stamps cutouts`` is read with one label, ``data`` (images at any depth below a label folder belong
    to it), and was refused with a task file mapping ``data`` to a class, which would have trained every
    cutout as one class. When the folders of the labels the task does not know hold folders named as labels
    it knows, this says which directory to give.

    Parameters
    ----------
    source : str or os.PathLike
        The folder read (a CSV gives ``""``: its labels are a column's).
    labels : iterable of str
        The labels the task does not know.
    known : iterable of str
        The labels the task knows (its ``label_map`` keys or class names).

    Returns
    -------
    str
        ``"; ..."`` naming the folder and the directory to give, or ``""``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (root / "data" / lab).mkdir(parents=True)
    >>> print(wrapped_labels_hint(root, ["data"], ["cluster", "galaxy"])[:78])
    ; the folder 'data' holds folders named as the task's labels (cluster, galaxy)
    >>> wrapped_labels_hint(root, ["data"], ["star"])
    ''
    """
    root = Path(source)
    if not root.is_dir():
        return ""
    labels = list(labels)
    keys = {label_key(k): str(k) for k in known}
    for lab in labels:
        folder = root / str(lab).strip()
        if not folder.is_dir():
            continue
        inner = sorted(d.name for d in folder.iterdir() if d.is_dir() and not is_os_clutter(d.name)
                       and label_key(d.name) in keys)
        if inner:
            return (f"; the folder {folder.name!r} holds folders named as the task's labels ({', '.join(inner)}), "
                    f"and the labels are the names of the folders directly below the directory given: give the "
                    f"folder {folder} instead")
    # labels of one's own below the one folder (data/GC/, data/bg/): the same mistake, said without the task's names
    found = _one_folder_of_labels(root, keys.values())
    if found is not None and [str(lab).strip() for lab in labels] == [found[0].name]:
        return f"; {one_folder_hint(root, keys.values())}"
    return ""


def one_folder_hint(source: str | os.PathLike, known: Iterable[str] | None = None) -> str:
    """Words for an ImageFolder directory given one level too high: its one folder holds the label folders.

    ``DIR/data/cluster/*.png`` and ``DIR/data/galaxy/*.png`` given as ``DIR`` are read with the one label
    ``data``; ``info DIR`` printed "labels: data 12" without a word, and ``train`` and ``classify`` said so
    only where the inner folders were named as the task's labels (:func:`wrapped_labels_hint`), so a folder
    of labels of one's own (``GC``, ``bg``) was offered a task file mapping ``data`` to a class. Said where
    ``source`` is a directory without ``labels.csv`` and without images of its own, holding one visible
    folder that holds no image itself and has sub-folders holding images (at any depth), unless those
    look like no labels: where none of them is named as a label (of ``known``) and the one folder is, or
    their names differ in digits only (``night1``, ``night2``), it is one label sorted into sub-folders
    (``cluster/night1/``), and nothing is said.

    Parameters
    ----------
    source : str or os.PathLike
        The folder given.
    known : iterable of str, optional
        The labels of the task (``info``, which has none, gives those of every packaged task:
        :func:`starclass.learn.config.preset_labels`); None: no label is known.

    Returns
    -------
    str
        ``"DIR has one folder 'data' whose sub-folders look like labels (cluster, galaxy): did you mean
        DIR/data?"``, or ``""``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("GC", "bg"):
    ...     (root / "data" / lab).mkdir(parents=True)
    ...     _ = (root / "data" / lab / "a.png").write_bytes(b"")
    >>> one_folder_hint(root) == (f"{root} has one folder 'data' whose sub-folders look like labels (bg, GC): "
    ...                           f"did you mean {root / 'data'}?")
    True
    >>> one_folder_hint(root / "data")
    ''
    >>> night = pathlib.Path(tempfile.mkdtemp())
    >>> for n in ("n1", "n2"):
    ...     (night / "cluster" / n).mkdir(parents=True)
    ...     _ = (night / "cluster" / n / "a.png").write_bytes(b"")
    >>> one_folder_hint(night, ["cluster", "galaxy"])
    ''
    """
    found = _one_folder_of_labels(Path(source), known)
    if found is None:
        return ""
    inner, labels = found
    shown = ", ".join(labels[:6]) + (", ..." if len(labels) > 6 else "")
    return (f"{source} has one folder {inner.name!r} whose sub-folders look like labels ({shown}): "
            f"did you mean {inner}?")


def _one_folder_of_labels(root: Path, known: Iterable[str] | None = None) -> tuple[Path, list[str]] | None:
    """The one folder of ``root`` and its sub-folders holding images, as :func:`one_folder_hint` says them.

    None also where those sub-folders look like no labels: the one folder is named as a label (of
    ``known``) and none of its sub-folders is, or their names differ in digits only (``n1``, ``n2``;
    ``night1``, ``night2``; dates): one label whose images are sorted into nights, fields or CCDs.
    """
    if not root.is_dir() or folder_label_lists(root):
        return None
    entries = [e for e in root.iterdir() if not is_os_clutter(e.name)]
    folders = [e for e in entries if e.is_dir()]
    if len(folders) != 1 or any(e.is_file() and image_format(e) is not None for e in entries):
        return None
    inner = folders[0]
    if any(f.is_file() and image_format(f) is not None for f in inner.iterdir()):
        return None  # images beside its sub-folders: a label folder of its own, its images sorted into nights
    labels = sorted((d.name for d in inner.iterdir() if d.is_dir() and not is_os_clutter(d.name)
                     and any(f.is_file() and image_format(f) is not None
                             and not any(is_os_clutter(p) for p in f.relative_to(d).parts)
                             for f in d.rglob("*"))), key=str.casefold)
    if not labels:
        return None
    keys = {label_key(k) for k in known or ()}
    if not any(label_key(lab) in keys for lab in labels):
        # cluster/n1/, cluster/n2/ (info asked "did you mean cluster?" of it): one label sorted into nights
        series = len(labels) > 1 and len({re.sub(r"\d+", "#", lab) for lab in labels}) == 1
        if label_key(inner.name) in keys or series:
            return None
    return inner, labels


def listed_path(root: Path, rel: str) -> Path:
    """The file a CSV cell names, relative to ``root`` (absolute paths as they are).

    A CSV written on Windows names ``cluster\\a.png``: there a backslash separates folders, here
    it is a character of a file name, and every such row was "no such file". When the path as
    written does not exist, the one with ``/`` for each ``\\`` is taken. Likewise for accented
    names: macOS writes ``é`` in file names as ``e`` and a combining accent (Unicode NFD), a
    spreadsheet or a keyboard as one character (NFC); both print alike, so a folder copied from a
    Mac was "no such file 'café.png'" beside a file that looked the same. The other form is tried.

    Parameters
    ----------
    root : pathlib.Path
        The folder the CSV's paths are relative to.
    rel : str
        The cell, as written.

    Returns
    -------
    pathlib.Path
        The absolute, resolved path (which need not exist).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "cluster").mkdir()
    >>> _ = (root / "cluster" / "a.png").write_bytes(b"")
    >>> listed_path(root, "cluster\\\\a.png") == (root / "cluster" / "a.png").resolve()
    True
    >>> import unicodedata
    >>> _ = (root / unicodedata.normalize("NFD", "café.png")).write_bytes(b"")  # as a Mac names it
    >>> listed_path(root, "café.png").exists()
    True
    """
    full = resolved(root / rel)
    if full.exists():
        return full
    spellings = [rel] + ([rel.replace("\\", "/")] if "\\" in rel else [])
    if not rel.isascii():
        spellings += [unicodedata.normalize(form, s) for s in list(spellings) for form in ("NFC", "NFD")]
    for spelling in spellings[1:]:
        alt = resolved(root / spelling)
        if alt.exists():
            return alt
    return full


def case_twin(path: Path) -> Path | None:
    """The one existing file that ``path`` names but for the case of its letters, else None.

    A CSV written on Windows or macOS, whose file systems ignore case, may list ``cluster/c0.png`` for
    ``Cluster/C0.png``: here, where case matters, that was "no such file" and nothing more.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "Cluster").mkdir(); _ = (d / "Cluster" / "C0.png").write_bytes(b"")
    >>> case_twin(d / "cluster" / "c0.PNG") == d / "Cluster" / "C0.png", case_twin(d / "cluster" / "c9.png")
    (True, None)
    """
    parts = path.parts
    here = Path(parts[0])
    for part in parts[1:]:
        if (here / part).exists():
            here = here / part
            continue
        try:
            alike = [e for e in here.iterdir() if e.name.casefold() == part.casefold()]
        except OSError:
            return None
        if len(alike) != 1:
            return None
        here = alike[0]
    return here if here.is_file() and here != path else None


def _lzw_list_note(said: str, full: Path, rel: str, rows: list[dict[str, str]], file_cols: list[str],
                   src: Path) -> str:
    """After the refusal of a listed Unix-compressed cutout: the list's names, which decompressing leaves behind.

    ``gzip -d s0.fits.Z`` (the refusal's remedy) writes ``s0.fits`` in its place, and the list, still naming
    ``s0.fits.Z``, was then refused file by file as "no such file": the names to write are said, with how many
    rows name such a file.
    """
    if not said.startswith(f"{full} is compressed with Unix compress"):
        return ""
    n = sum(1 for row in rows if any((row.get(col) or "").strip().endswith(".Z") for col in file_cols))
    inner = rel[: len(rel) - (len(full.name) - len(inner_name(full.name)))]
    rows_said = ("its row names" if len(rows) == 1 else f"all {len(rows)} of its rows name" if n == len(rows)
                 else f"{n} of its {len(rows)} rows {'names' if n == 1 else 'name'}")
    return (f"; decompressed, it is {inner!r}: list it so in {src.name} ({rows_said} a .Z file; "
            f"'gzip -d' decompresses several at once)")


def _missing_hint(rel: str, root: Path, full: Path | None = None) -> str:
    """What to say of a listed file that is not there, when its spelling tells why."""
    if re.match(r"[A-Za-z]:[\\/]", rel) or rel.startswith("\\\\"):
        return "; a Windows path (drive or network share): write the paths relative to the CSV's folder"
    if full is not None and (twin := compressed_twin_hint(rel, full)):
        return twin
    # Cluster\C1.PNG from Windows for Cluster/c1.png: both the separators and the case differ
    twins = [case_twin(f) for f in ([full, Path(str(full).replace("\\", "/"))] if "\\" in rel else [full])
             if f is not None]
    if (twin := next((t for t in twins if t is not None), None)) is not None:
        return (f"; {twin} exists, named so but for the case of its letters: names are matched exactly here (a CSV "
                "written on Windows or macOS, whose file systems ignore case, may differ): write them as on disk")
    here = resolved(Path.cwd())
    if not Path(rel).is_absolute() and here != resolved(root) and listed_path(here, rel).is_file():
        # 'data/cut/a.png' in data/labels.csv, written from the folder above: found from here, not from the CSV
        prefix = os.path.relpath(resolved(root), here).replace(os.sep, "/") + "/"
        how = f" (here without the leading {prefix!r})" if rel.replace("\\", "/").startswith(prefix) else ""
        return ("; it exists relative to the current directory, but the paths of a CSV are read relative to the "
                f"CSV's folder ({root}): write them so{how}")
    return ""


#: The compressions a FITS cutout is read through as it is (astropy; Unix compress only with uncompresspy)
_READ_COMPRESSED = (".gz", ".bz2", ".xz")


def compressed_twin_hint(rel: str, full: Path) -> str:
    """What to say of a listed file that is missing beside one of its name but for a compression suffix.

    The remedy of a listed ``s0.fits.Z`` (Unix compress, not read here) is to decompress it, which leaves
    ``s0.fits`` and the list naming a file that is gone: "no such file" and nothing more sent the user back to
    the folder where the file was plainly there. A list of ``s0.fits`` beside ``s0.fits.gz`` (compressed since
    the list was written) is the same slip the other way.

    Parameters
    ----------
    rel : str
        The name as the list gives it.
    full : pathlib.Path
        The path it names, which is not there.

    Returns
    -------
    str
        ``"; s0.fits is there beside it, decompressed: list it by that name ('s0.fits')"``, or ``""``.

    Examples
    --------
    >>> import shutil, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "s0.fits").write_bytes(b"SIMPLE"); _ = (d / "s1.fits.gz").write_bytes(b"")
    >>> compressed_twin_hint("cut/s0.fits.Z", d / "s0.fits.Z")
    "; s0.fits is there beside it, decompressed: list it by that name ('cut/s0.fits')"
    >>> compressed_twin_hint("s1.fits", d / "s1.fits")
    "; s1.fits.gz is there beside it, compressed: list it by that name ('s1.fits.gz'; gzip, bzip2 and xz FITS \
files are read as they are)"
    >>> compressed_twin_hint("s2.fits", d / "s2.fits")
    ''
    >>> shutil.rmtree(d)
    """
    inner = inner_name(full.name)
    if inner != full.name:
        if (full.with_name(inner)).is_file():
            listed = rel[: len(rel) - (len(full.name) - len(inner))]
            return f"; {inner} is there beside it, decompressed: list it by that name ({listed!r})"
        return ""
    if fits_suffix(full) is None:
        return ""  # a PNG or NPY is read uncompressed only: its compressed twin would not be read either
    for suffix in _READ_COMPRESSED:
        if (full.with_name(full.name + suffix)).is_file():
            return (f"; {full.name + suffix} is there beside it, compressed: list it by that name "
                    f"({rel + suffix!r}; gzip, bzip2 and xz FITS files are read as they are)")
    return ""


def _linked_csv_hint(csv_path: Path, rel: str) -> str:
    """What to say when a CSV reached through a symbolic link lists files beside its target.

    The paths of a CSV are read relative to the folder it is named in (a link's own folder); a
    ``labels.csv`` linked into a work folder listed every cutout as "no such file" without saying
    that the files lie beside the file the link points to.
    """
    if not csv_path.is_symlink() or Path(rel).is_absolute():
        return ""
    target = resolved(csv_path)
    if target.parent == resolved(csv_path.parent) or not listed_path(target.parent, rel).is_file():
        return ""
    return (f"; {csv_path} is a link to {target}, and the file is there beside it: give {target} itself "
            f"(or link the folder {target.parent}, not only its CSV), since a CSV's paths are read relative to "
            "the folder it is named in")


def image_file_columns(names: list[str], rows: list[dict[str, str]]) -> list[str]:
    """The columns of a CSV whose every filled cell names an image file by its suffix (``a.png``, ``b.fits``).

    A list of cutouts whose files are in a column named otherwise than ``file`` (``filename``, ``path``,
    ``image``: what other tools write) was refused with "no 'file' column" and the columns, which left
    the user to guess, and ``info`` read it as a catalogue: "required column 'id' missing". The column
    found here is named in the message, with the rename to make.

    Parameters
    ----------
    names : list of str
        The header's column names.
    rows : list of dict
        The rows, column name -> cell text.

    Returns
    -------
    list of str
        Those columns, in header order (none filled: not one).

    Examples
    --------
    >>> image_file_columns(["filename", "class"], [{"filename": "a b.png", "class": "x"},
    ...                                            {"filename": "c.fits.gz", "class": "y"}])
    ['filename']
    >>> image_file_columns(["id", "mag"], [{"id": "1", "mag": "20.1"}])
    []
    """
    out = []
    for name in names:
        cells = [str(row.get(name) or "").strip() for row in rows]
        cells = [c for c in cells if c]
        if cells and all(image_format(c) is not None for c in cells):
            out.append(name)
    return out


def file_column_hint(names: list[str], rows: list[dict[str, str]], root: Path | None = None, *,
                     asked: str | None = None) -> str:
    """The end of the "no 'file' column" message: the column that seems to hold the files, and what to do.

    A column whose cells look like image files is offered (rename it ``file``, or give ``--file-column``) only
    where some of its first :data:`HINT_ROWS` cells name files that exist under ``root`` (the CSV's folder);
    where none does, that is said instead: renamed, the list would be refused file by file ("no such file").

    Parameters
    ----------
    names : list of str
        The header's column names.
    rows : list of dict
        The rows, column name -> cell text.
    root : Path, optional
        The folder the paths are relative to; None: not checked (every such column offered).
    asked : str, optional
        The column given with ``--file-column`` that the CSV lacks (a case twin is named for it).

    Returns
    -------
    str
        ``"; ..."``, or ``""``.

    Examples
    --------
    >>> file_column_hint(["filename", "label"], [{"filename": "g/a.png", "label": "galaxy"}])[:64]
    "; column 'filename' names image files: rename it 'file' (the cut"
    >>> file_column_hint(["id", "x"], [{"id": "1", "x": "2.5"}])
    ''
    >>> import tempfile
    >>> print(file_column_hint(["path"], [{"path": "nowhere/a.png"}], Path(tempfile.mkdtemp()))[:80])
    ; column 'path' looks like image files, but none of its first 1 cells names a fi
    """
    if asked is not None:
        twins = [n for n in names if n.casefold() == asked.casefold()]
        if twins:
            return f"; column names are matched exactly, case included: give --file-column {twins[0]}"
    near = [n for n in names if n.casefold() == "file" or n.casefold().startswith("file_")]
    if near and asked is None:
        # a spreadsheet's 'File' (or 'FILE_G') differs in case only: column names are matched exactly
        return (f"; column names are matched exactly, case included: rename {', '.join(map(repr, near))} to "
                f"{', '.join(repr(n.lower()) for n in near)}")
    found = [n for n in image_file_columns(names, rows) if n != asked]
    if root is not None:
        missing = [n for n in found if not _some_listed_files_exist(rows, n, root)]
        if missing and len(missing) == len(found):
            n = missing[0]
            cells = [c for c in ((row.get(n) or "").strip() for row in rows[:HINT_ROWS]) if c]
            return (f"; column {n!r} looks like image files, but none of its first {len(cells)} cells names a file "
                    f"that exists relative to {root} (e.g. {cells[0]!r}): paths in a cutout CSV are relative to "
                    "the folder it is in (or absolute)")
        found = [n for n in found if n not in missing]
    if len(found) == 1:
        return (f"; column {found[0]!r} names image files: rename it 'file' (the cutouts' column; one 'file_<band>' "
                f"column per band for several bands), or give --file-column {found[0]} (every command that reads "
                "a cutout CSV takes it)")
    if found:
        return (f"; columns {', '.join(map(repr, found))} name image files: for one band rename the cutouts' "
                "column 'file' (or give --file-column NAME), for several bands name them 'file_<band>' (e.g. "
                "file_g, file_i)")
    return ""


#: How many rows :func:`file_column_hint` looks at for files that exist
HINT_ROWS = 5


def _some_listed_files_exist(rows: list[dict[str, str]], column: str, root: Path) -> bool:
    """Whether any of the first :data:`HINT_ROWS` filled cells of ``column`` names an existing file under ``root``."""
    cells = [c for c in ((row.get(column) or "").strip() for row in rows[:HINT_ROWS]) if c]
    return any(listed_path(root, c).is_file() for c in cells)


def _recorded_file_column(names: list[str], rows: list[dict[str, str]]) -> str:
    """The files' column a classified CSV records in its ``file_column`` column (one value), else ``file``."""
    if "file_column" not in names or not rows:
        return "file"
    cells = {(row.get("file_column") or "").strip() for row in rows}
    name = cells.pop() if len(cells) == 1 else ""
    return name if name in names and name != "file_column" else "file"


def recorded_columns(source: str | os.PathLike) -> dict[str, str]:
    """The objects' and files' columns a classified cutout CSV records (``classify --stamps`` wrote it).

    ``classify --stamps --group-column id --file-column filename -o out.csv`` writes ``group_column`` and
    ``file_column`` columns (a CSV keeps no meta), each one value naming a column of the table. ``out.csv``
    classified again without the options was grouped by the model's column and read by ``file``, and
    the output recorded neither: the choice was lost on the way to ``evaluate`` and ``suggest``.

    Parameters
    ----------
    source : str or os.PathLike
        A cutout CSV, or a folder holding ``labels.csv``.

    Returns
    -------
    dict
        ``{"group_column": ..., "file_column": ...}``, those recorded only; ``{}`` for anything else
        (the reader then says what is wrong with it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "out.csv").write_text("filename,id,file,group_column,file_column\\n"
    ...                                "a.png,A,a.png,id,filename\\nb.png,A,b.png,id,filename\\n")
    >>> recorded_columns(d / "out.csv")
    {'group_column': 'id', 'file_column': 'filename'}
    """
    src = Path(source)
    src = cutout_list_path(src)
    if cutout_list_format(src) is None or not src.is_file():
        return {}
    try:
        names, rows, _ = read_csv_rows(src)
    except (StarclassError, OSError, UnicodeDecodeError):
        return {}
    out = {}
    for key in ("group_column", "file_column"):
        cells = {(row.get(key) or "").strip() for row in rows} if key in names else set()
        if len(cells) == 1 and (name := cells.pop()) in names and name != key:
            out[key] = name
    return out


def keep_recorded_columns(sources: str | os.PathLike | Sequence[str | os.PathLike], group_column: str | None,
                          file_column: str | None) -> tuple[str | None, str | None, str | None]:
    """The objects' and files' columns to read cutout CSVs by: the options given, else those the CSVs record.

    ``train --stamps out.csv`` (``out.csv`` from ``classify --group-column id --file-column filename``) split
    by the task's column or row by row: cutouts of one object fell on both sides of the validation split.
    Every command that reads a classified CSV keeps what :func:`recorded_columns` finds, as ``classify``
    does. With several lists a column is kept only where each of them records the same one.

    Parameters
    ----------
    sources : str, os.PathLike or sequence of them
        The ``--stamps`` lists.
    group_column, file_column : str or None
        ``--group-column`` and ``--file-column`` (None: not given).

    Returns
    -------
    tuple
        ``(group_column, file_column, note)``: the columns (None where neither given nor recorded) and the
        line that says which were kept (None where none was).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "out.csv").write_text("filename,id,file,group_column,file_column\\n"
    ...                                "a.png,A,a.png,id,filename\\nb.png,A,b.png,id,filename\\n")
    >>> group, files, note = keep_recorded_columns(d / "out.csv", None, "file")
    >>> group, files, note.endswith("records it (give --group-column to change)")
    ('id', 'file', True)
    """
    many = [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)
    found = [recorded_columns(s) for s in many]
    given = {"group_column": group_column, "file_column": file_column}
    kept = {}
    for key, value in given.items():
        names = {f.get(key) for f in found}
        if value is None and len(names) == 1 and (name := names.pop()) is not None:
            kept[key] = name
    if not kept:
        return group_column, file_column, None
    them = "them" if len(kept) > 1 else "it"
    named = ", ".join(str(s) for s in many)
    note = (f"note: {' and '.join(f'{k} {v!r}' for k, v in kept.items())} kept as {named} "
            f"record{'s' if len(many) == 1 else ''} {them} (give "
            f"{' or '.join('--' + k.replace('_', '-') for k in kept)} to change)")
    return kept.get("group_column", group_column), kept.get("file_column", file_column), note


def labelled_rows(names: list[str], rows: list[dict[str, str]]) -> list[bool] | None:
    """Which rows of a cutout CSV carry a label, as ``suggest --labels`` counts them; None: no label column.

    A row is labelled when it holds a vote (a ``class_h<k>`` cell above 0), else, in a table without
    votes, a ``class_ref`` above 0, else, without either, a non-blank ``label`` cell. ``inspect --stamps
    --export --include-unlabelled`` writes every cutout of the pool, those nobody labelled with votes of
    0, ``class_ref`` 0 and an empty ``label``: every one of them counted as labelled, and ``suggest``
    refused the pool ("every one of the candidates already has a label"). A table with none of these
    columns (a list of cutouts and their catalogue values) gives None: it says nothing of labels.

    Parameters
    ----------
    names : list of str
        The CSV's column names.
    rows : list of dict
        Its rows, cell text by column name (as :func:`read_csv_rows` reads them).

    Returns
    -------
    list of bool or None
        One flag per row, or None where the CSV has no label column.

    Examples
    --------
    >>> labelled_rows(["file", "label", "class_h1", "class_ref"],
    ...               [{"file": "a.png", "label": "galaxy", "class_h1": "2", "class_ref": "2"},
    ...                {"file": "b.png", "label": "", "class_h1": "0", "class_ref": "0"}])
    [True, False]
    >>> labelled_rows(["file", "label"], [{"file": "a.png", "label": " "}, {"file": "b.png", "label": "cluster"}])
    [False, True]
    >>> labelled_rows(["file", "object_id"], [{"file": "a.png", "object_id": "B070"}]) is None
    True
    """

    def positive(cell: str | None) -> bool:
        try:
            value = float((cell or "").strip())
        except ValueError:  # an empty cell, or text: no vote
            return False
        return value == value and value > 0  # NaN is no vote

    votes = [c for c in names if re.fullmatch(r"class_h\d+", c)]
    if votes:
        return [any(positive(row.get(c)) for c in votes) for row in rows]
    if "class_ref" in names:
        return [positive(row.get("class_ref")) for row in rows]
    if "label" in names:
        return [bool((row.get("label") or "").strip()) for row in rows]
    return None


def csv_has_labels(path: str | os.PathLike) -> bool:
    """Whether a cutout CSV has a column of labels (``label``, ``class_ref`` or ``class_h<k>``); a directory has.

    A directory is an ImageFolder (its sub-folders are the labels) or holds a ``labels.csv``, which is asked
    in its stead. A file that cannot be read as a CSV says True: its reader names what is wrong with it.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV of cutouts or a directory, as :func:`listed_files` takes it.

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "pool.csv").write_text("file,object_id\\na.png,B070\\n")
    >>> _ = (d / "done.csv").write_text("file,label\\na.png,cluster\\n")
    >>> csv_has_labels(d / "pool.csv"), csv_has_labels(d / "done.csv")
    (False, True)
    """
    src = Path(path)
    if src.is_dir():
        src = folder_labels_csv(src) or src  # labels.csv, else labels.csv.gz: the folder's list
    if not src.is_file():
        return True
    try:
        names, rows, _ = read_csv_rows(src)
    except StarclassError:
        return True
    return labelled_rows(names, rows[:1]) is not None


def listed_labels(path: str | os.PathLike) -> list[str]:
    """The label strings a cutout folder gives its rows, in row order; no image is read.

    A CSV (or a table of cutouts) gives its ``label`` column's non-blank cells, a directory its
    ``labels.csv``'s, else the names of its label sub-folders (ImageFolder layout), one per image.
    A missing value's spelling (``N/A``, ``nan``: :data:`MISSING_LABELS`) is no label.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV of cutouts or a directory, as :func:`read_cutout_folder` takes it.

    Returns
    -------
    list of str
        The labels as written (stripped), one per labelled row; empty for a list without labels.

    Raises
    ------
    StarclassError
        No such file or directory, or a list that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = p.write_text("file,label\\na.png,galaxy\\nb.png,\\nc.png,cluster\\n")
    >>> listed_labels(p)
    ['galaxy', 'cluster']
    """
    src = Path(path)
    if src.is_dir():
        src = folder_labels_csv(src) or src  # labels.csv, else labels.csv.gz: the folder's list
    if src.is_dir():
        names, rows = _imagefolder_rows(src)
    elif not src.is_file():
        raise StarclassError(f"{src}: no such file or directory")
    else:
        names, rows, _ = read_csv_rows(src)
    if "label" not in names:
        return []
    cells = ((row.get("label") or "").strip() for row in rows)
    return [c for c in cells if c and not is_missing_label(c, None)]


def listed_files(path: str | os.PathLike, *, absolute: bool = False, labelled_only: bool = False,
                 file_column: str | None = None) -> list[str]:
    """Every image file a cutout folder lists, as written (relative to its folder); no image is read.

    A CSV gives the cells of its ``file`` column, else of every ``file_<band>`` column (all the
    bands of each object); a directory gives its ``labels.csv``'s, else the images of its
    label sub-folders (ImageFolder layout). ``suggest --labels`` leaves these files out.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV of cutouts or a directory, as :func:`read_cutout_folder` takes it.
    absolute : bool
        Give each file as an absolute path (resolved against the folder the paths are relative
        to) instead of as written.
    labelled_only : bool
        Only the rows that carry a label (:func:`labelled_rows`; every row of a CSV without a label
        column, and every image of an ImageFolder directory, whose sub-folders are the labels).
    file_column : str, optional
        The CSV's column of files where it has no ``file`` (``filename``: the column the candidates were
        classified with, ``classify --stamps --file-column``).

    Returns
    -------
    list of str
        The files, each path as the folder writes it (or absolute).

    Raises
    ------
    StarclassError
        No such file or directory, an unreadable CSV, or one with neither ``file`` nor
        ``file_<band>`` columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = p.write_text("file_g,file_i,label\\ng/a.png,i/a.png,galaxy\\n")
    >>> listed_files(p)
    ['g/a.png', 'i/a.png']
    """
    src = Path(path)
    if src.is_dir():
        src = folder_labels_csv(src) or src  # labels.csv, else labels.csv.gz: the folder's list
    if src.is_dir():
        root, files = src, [row["file"] for row in _imagefolder_rows(src)[1]]
        bases = [root] * len(files)
    elif not src.is_file():
        raise StarclassError(f"{src}: no such file or directory")
    else:
        names, rows, _ = read_csv_rows(src)
        recorded = _recorded_file_column(names, rows) if "file" not in names else "file"
        if (recorded == "file" and "file" not in names and file_column in names
                and not str(file_column).lower().startswith("file_")):  # band columns: every band's files, below
            recorded = str(file_column)
        columns = ([recorded] if recorded != "file" else
                   [c for c in names if c.lower().startswith("file_")]
                   if "file" not in names or file_is_a_band_copy(names, lambda c: [row.get(c) for row in rows])
                   else ["file"])
        if not columns:
            raise StarclassError(f"{src}: no 'file' column (nor 'file_<band>' columns for several bands); "
                                 f"columns: {names}{_header_note(src) or file_column_hint(names, rows, src.parent)}")
        root = src.parent
        # a classified table written elsewhere: its files are relative to the folder it records, as read_cutout_folder
        # reads them
        row_roots = _recorded_csv_roots(names, rows, src, root) if absolute else None
        has = (labelled_rows(names, rows) if labelled_only else None) or [True] * len(rows)
        pairs = [(root if row_roots is None else row_roots[i], v) for i, row in enumerate(rows) if has[i]
                 for c in columns if (v := (row.get(c) or "").strip())]
        bases, files = [b for b, _ in pairs], [f for _, f in pairs]
    return [str(listed_file(b, f, root)) for b, f in zip(bases, files)] if absolute else files


def file_is_a_band_copy(names: list[str], cells: Callable[..., Any]) -> bool:
    """Whether a table's ``file`` column is a copy of one of its several ``file_<band>`` columns.

    ``classify --stamps`` writes the first band's file as ``file`` beside the ``file_<band>``
    columns of a several-band folder (its rows are found by it). Read again as a cutout folder
    (``classify --stamps`` with another model, ``report --stamps``, ``info``, ``inspect --stamps``)
    that ``file`` was taken for the one image of each row: one band, and "the cutouts have 1
    channel(s) ... give one file_<band> column per band", which the table has. Such a table is
    read through its band columns; a ``file`` of other files (a colour picture beside the bands)
    is still read as it is.

    Parameters
    ----------
    names : list of str
        The column names.
    cells : callable
        ``cells(column)`` -> the column's cells, in row order.

    Returns
    -------
    bool

    Examples
    --------
    >>> t = {"file": ["g/a.fits"], "file_g": ["g/a.fits"], "file_i": ["i/a.fits"]}
    >>> file_is_a_band_copy(list(t), t.get), file_is_a_band_copy(["file", "file_g"], t.get)
    (True, False)
    """
    bands = [c for c in names if c.lower().startswith("file_")]
    if "file" not in names or len(bands) < 2:
        return False
    files = [str(v or "").strip() for v in cells("file")]
    return any(files == [str(v or "").strip() for v in cells(c)] for c in bands)


def listed_file(base: Path, rel: str, here: Path) -> Path:
    """``rel`` under the recorded folder ``base``, or under the table's folder ``here`` when only there it is.

    The fallback serves a folder moved together with its classified table (to another machine):
    the absolute folder its ``cutout_root`` records is gone, the table's own folder holds the file.
    The one rule for every reader of a recorded folder: :func:`read_cutout_folder` (``classify
    --stamps``, ``train``, ``info``), :func:`listed_files` and ``inspect --stamps``
    (:func:`starclass.inspect.cutouts.read_cutout_list`), which refused such a list.

    Parameters
    ----------
    base : Path
        The folder the row records (``cutout_root``), or the table's own.
    rel : str
        The file as the table lists it.
    here : Path
        The table's folder.

    Returns
    -------
    Path
        The file under ``base``, unless only ``here`` holds it (then there).

    Examples
    --------
    >>> import tempfile
    >>> here = Path(tempfile.mkdtemp()); _ = (here / "a.png").write_bytes(b"")
    >>> listed_file(Path("/no/such/folder"), "a.png", here) == (here / "a.png").resolve()
    True
    """
    full = listed_path(base, rel)
    if base != here and not full.is_file() and listed_path(here, rel).is_file():
        return listed_path(here, rel)
    return full


def stored_group_column(value: object) -> str | None:
    """A task's stored ``group_column`` as :func:`read_cutout_folder` takes it: text, else None.

    A model trained before 2026-12-05 may store a number (``group_column: 3`` in its task file); it
    matched no column then, and :func:`read_cutout_folder` now refuses a number given by a caller, so
    the commands that read a folder with a model's column pass it through here: such a model still
    classifies, each cutout its own object, as it did.

    Examples
    --------
    >>> stored_group_column("object_id"), stored_group_column(3), stored_group_column(None)
    ('object_id', None, None)
    """
    return value if isinstance(value, str) and value.strip() else None


def _check_group_name(value: object, src: Path) -> None:
    """Refuse a ``group_column`` that is not a column name (text), as a task file's is refused.

    A number (``group_column=3``) never equals a CSV column name, even one named ``3``: with
    ``require_group=False`` the folder was read with every cutout its own group without a word
    (``learn.config`` refuses ``group_column: 3`` in a task file since 2026-12-05).
    """
    if value is None or (isinstance(value, str) and value.strip()):
        return
    if isinstance(value, str):
        raise StarclassError(f"{src}: group_column={value!r} is empty: give the column naming each cutout's "
                             "object (e.g. group_column='object_id'), or None for none")
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    raise StarclassError(f"{src}: group_column={value!r} must be a column name (text), e.g. "
                         "group_column='object_id'" + (f"; a column named {value} is given as group_column='{value}'"
                                                       if number else ""))


def list_place(cs: CutoutSet, j: int) -> str:
    """Row ``j`` of one list as :func:`concat_cutout_sets` names it: its row and line, the list, its file.

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((1, 1, 4, 4), np.float32), table=Table(), files=["a.png"],
    ...                labels=np.array(["cluster"]), groups=np.array(["o1"]), source=Path("start.csv"))
    >>> list_place(cs, 0)
    "row 1 (line 2 of the file) of start.csv, file 'a.png'"
    """
    if cs.lines is None and Path(cs.source).is_dir():
        return f"file {cs.files[j]!r} of {cs.source}"  # a folder of label folders has no rows
    return f"{_row_line(j, cs.lines)} of {cs.source}, file {cs.files[j]!r}"


def concat_cutout_sets(sets: list[CutoutSet]) -> CutoutSet:
    """Several labelled cutout lists as one set, for ``train --stamps A.csv --stamps B.csv``.

    The active-learning loop on cutouts trains on the labels so far (the first labelled cutouts) and the
    new ones (``inspect --stamps --export``): two CSVs, which the user had to merge by hand. Each list's
    files become absolute paths (so that each resolves from its own folder); the rows keep the columns
    every list has; groups, labels, origins and sizes are joined in order.

    Parameters
    ----------
    sets : list of CutoutSet
        Read by :func:`read_cutout_folder` with the same task (bands, stamp size, label column).

    Returns
    -------
    CutoutSet
        The rows of every set in order; its ``source`` names the lists joined by ``+``, each with its rows.

    Raises
    ------
    StarclassError
        Lists of other bands, another cutout size, one without labels, or a file listed in two of them.

    Examples
    --------
    >>> a = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=Table({"file": ["a.png", "b.png"]}),
    ...               files=["a.png", "b.png"], labels=np.array(["cluster", "galaxy"]), groups=np.array(["o1", "o2"]),
    ...               root=Path("/data/start"), source=Path("start.csv"), label_column="label")
    >>> b = CutoutSet(images=np.ones((1, 1, 4, 4), np.float32), table=Table({"file": ["/pool/c.png"]}),
    ...               files=["/pool/c.png"], labels=np.array(["galaxy"]), groups=np.array(["o3"]),
    ...               root=Path("/data/round1"), source=Path("round1.csv"), label_column="label")
    >>> both = concat_cutout_sets([a, b])
    >>> len(both), both.files, str(both.source), both.labels.tolist()
    (3, ['/data/start/a.png', '/data/start/b.png', '/pool/c.png'], 'start.csv (rows 1-2) + round1.csv (rows 3-3)', \
['cluster', 'galaxy', 'galaxy'])
    """
    from astropy.table import TableMergeError, vstack

    first = sets[0]
    for cs in sets[1:]:
        if cs.images.shape[1:] != first.images.shape[1:]:
            raise StarclassError(f"--stamps {cs.source}: cutouts of {cs.images.shape[1]} x {cs.images.shape[-2]} x "
                                 f"{cs.images.shape[-1]} (channels x px), but those of {first.source} are "
                                 f"{first.images.shape[1]} x {first.images.shape[-2]} x {first.images.shape[-1]}: "
                                 "lists trained together need cutouts of one kind")
        if [b.lower() for b in cs.bands] != [b.lower() for b in first.bands]:
            raise StarclassError(f"--stamps {cs.source} has bands {cs.bands or 'file'}, {first.source} "
                                 f"{first.bands or 'file'}: lists trained together need the same file columns")
    asked = next((cs.label_column for cs in sets if cs.label_column), "label")
    for cs in sets:
        if cs.labels is None:
            # train --stamps A.csv --stamps B.csv --label-column class, B's labels under 'label': "no labels"
            # named no column, while B had one
            like = label_like_column(cs.table.colnames, asked)
            held = (f"; its labels may be in column {like!r}: one --label-column names the labels of every list, "
                    f"so name it {asked!r} there" if like else "")
            raise StarclassError(f"--stamps {cs.source}: no labels (no column {asked!r}, --label-column); every list "
                                 f"trained on needs that column{held}")
    files = [str(listed_path(cs.root, f)) for cs in sets for f in cs.files]
    where: dict[str, tuple[CutoutSet, int]] = {}
    for cs, start in zip(sets, np.cumsum([0] + [len(c) for c in sets[:-1]])):
        for j, f in enumerate(files[start:start + len(cs)]):
            if f in where:
                # each list's row as written: the resolved path alone named neither row, and read as neither
                # list's cell where a folder is a link (/work/wt/shared -> /work/shared)
                before, i = where[f]
                same = "" if before.files[i] == cs.files[j] else f" (both {f})"
                raise StarclassError(f"--stamps {before.source} and {cs.source} both list one cutout: "
                                     f"{list_place(before, i)} and {list_place(cs, j)}{same}; a cutout would be "
                                     "trained on twice (with two labels, perhaps): give each labelled cutout in "
                                     "one list")
            where[f] = (cs, j)
    common = [c for c in first.table.colnames if all(c in cs.table.colnames for cs in sets)]
    parts = [cs.table[common] for cs in sets]
    try:
        table = vstack(parts, join_type="exact")
    except (TableMergeError, TypeError, ValueError):
        # a column typed a number in one list and text in another (an empty column reads as text)
        # a masked cell (a blank in a column of numbers) is a blank again, not its fill value
        table = vstack([Table({c: np.where(np.ma.getmaskarray(t[c]), "", np.asarray(t[c]).astype(str))
                               for c in common}) for t in parts], join_type="exact")
    if "file" in table.colnames:
        table["file"] = files  # each relative to its own list's folder: as absolute paths, one folder for all
    groups = np.concatenate([np.asarray(cs.groups).astype(str) for cs in sets])
    same = {cs.group_column for cs in sets}
    # warnings name rows of the joined set ("row 70"): each list says which of them are its own
    ends = np.cumsum([len(cs) for cs in sets])
    spans = [f"{cs.source} (rows {end - len(cs) + 1}-{end})" for cs, end in zip(sets, ends)]

    def joined(name: str) -> list:
        lists = [getattr(cs, name) for cs in sets]
        return [v for part in lists for v in part] if all(lists) else []

    return CutoutSet(images=np.concatenate([cs.images for cs in sets]).astype(np.float32), table=table, files=files,
                     labels=np.concatenate([cs.labels for cs in sets]), groups=groups, bands=list(first.bands),
                     folds=None if any(cs.folds is None for cs in sets) else np.concatenate([cs.folds for cs in sets]),
                     root=first.root, source=Path(" + ".join(spans)), lines=None,
                     origins=joined("origins"), label_column=first.label_column,
                     group_column=first.group_column if len(same) == 1 else None,
                     plane_bands=list(first.plane_bands), taken_planes=list(first.taken_planes),
                     all_planes_named=all(cs.all_planes_named for cs in sets),
                     named_cubes=sum(cs.named_cubes for cs in sets), native_sizes=joined("native_sizes"),
                     native_zero_padding=joined("native_zero_padding"), pixel_kinds=joined("pixel_kinds"),
                     fits_units=[u for cs in sets for u in cs.fits_units],
                     parts=[p for cs in sets for p in (cs.parts or [(cs.source, len(cs), cs.lines)])])


#: A cutout folder of this many rows or more shows the progress of its reading (read_cutout_folder's ``progress``)
PROGRESS_FROM = 2000


def read_cutout_folder(
    path: str | os.PathLike,
    *,
    group_column: str | None = None,
    require_group: bool = True,
    label_column: str = "label",
    bands: list[str] | None = None,
    fold_column: str = "fold",
    require_labels: bool = True,
    bands_of: str | None = None,
    keep_planes: bool = False,
    resample: Callable[[np.ndarray], np.ndarray] | None = None,
    resample_purpose: str | None = None,
    label_map: dict[str, int] | None = None,
    progress: bool | None = False,
    file_column: str = "file",
    split_folds_refused: bool = True,
) -> CutoutSet:
    """Read a labelled cutout folder (a CSV of cutouts, or an ImageFolder directory).

    Parameters
    ----------
    path : str or os.PathLike
        A CSV (see the module docstring), a directory holding ``labels.csv``, an
        ImageFolder directory (one sub-folder per label), or a directory of images without
        labels (no label folders).
    group_column : str, optional
        Column naming the object of each row (rows of one object stay on one side of every
        split). Ignored for an ImageFolder directory without a CSV (each image is then its
        own group).
    require_group : bool
        Whether a CSV without ``group_column`` is an error (True) or read with every row its
        own group (False: how a task's default group column is applied).
    label_column : str
        Column with the label strings (absent: unlabelled cutouts).
    bands : list of str, optional
        Band order for ``file_<band>`` columns (default: the CSV's column order); a subset
        reads only those bands (a one-band task on an X-ray + optical folder). One band that
        the CSV lacks, where it has a single ``file_<band>`` column, reads that column.
    fold_column : str
        Column with ready-made folds, checked for groups split across folds when present.
    split_folds_refused : bool
        A group split across the folds is an error (True: train); False warns of every one instead
        (``info``, which says what train would refuse).
    require_labels : bool
        Whether an empty label cell is an error (True: training and calibration need every
        label) or an unlabelled row, kept as ``""`` (False: classification of a folder
        labelled in part; :func:`label_classes` with ``allow_empty`` gives it class 0).
    bands_of : str, optional
        Who asks for ``bands`` (e.g. ``"model runs/m31"``), named when the images' channels do
        not match them.
    keep_planes : bool
        Keep every plane of cubes whose FITS headers name the ``bands`` among more planes
        (``inspect --stamps`` draws them all); by default only those planes are read
        (:func:`named_planes`: a one-band g task takes the g plane of a g, r, z cube, and
        :attr:`CutoutSet.taken_planes` says which), where they were averaged.
    resample : callable, optional
        Take cutouts of different sizes (after padding to a square), each resampled over its whole
        field by this function of one cutout ``[C, H, W]`` to one size (a task's ``stamp_size`` when it
        sets ``mixed_sizes``: :func:`starclass.stamps.images.cutout_resampler`), with one warning
        counting the sizes; :attr:`CutoutSet.native_sizes` keeps each one's side as read. None: a
        folder of mixed sizes is refused. A folder of one size is read as it is either way.
    resample_purpose : str, optional
        What ``resample`` is for, when it is not a task's ``stamp_size`` (``"for the gallery of mistakes
        only"``: the report draws the cutouts without a task): said in the warning instead of the task's.
    progress : bool or None
        The images read, as :class:`starclass.io.progress.Progress` shows them (True a bar, None timed
        lines, False nothing), for a folder of :data:`PROGRESS_FROM` rows or more.
    label_map : dict of str to int, optional
        The task's label -> class map, when a task reads the folder: the cutouts of one object are
        warned of only when their labels give different classes (``Cluster`` and ``cluster`` both
        mapped to 1 are one class). None: labels are compared as written.
    file_column : str
        The CSV's column of image files (``--file-column``; ``filename``, ``path`` as other tools write
        them), one per row. The default ``file`` also takes ``file_<band>`` columns, and a classified
        CSV's recorded ``file_column`` (:func:`starclass.io.cutout_output.restore_csv_columns`) where it
        has no ``file``. Kept in :attr:`CutoutSet.file_column`.

    Returns
    -------
    CutoutSet

    Raises
    ------
    StarclassError
        Any bad input listed in the module docstring; nothing is written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (root / lab).mkdir()
    ...     np.save(root / lab / "a.npy", np.ones((16, 16)))
    >>> cs = read_cutout_folder(root)
    >>> len(cs), cs.images.shape[1:], cs.labels.tolist()
    (2, (1, 16, 16), ['cluster', 'galaxy'])
    >>> import shutil; shutil.rmtree(root)  # the images are read: the example leaves nothing behind
    """
    src = Path(path)
    if src.is_dir():
        src = folder_labels_csv(src) or src  # labels.csv, else labels.csv.gz: the folder's list
    _check_group_name(group_column, src)
    lines: list[int] | None = None
    if src.is_dir() and file_column != "file":
        # asked for and not applied, the user would not learn that the option did nothing
        raise StarclassError(f"--file-column {file_column!r} names the column of a CSV of cutouts; {src} is a folder "
                             f"without {LABELS_CSV} (its sub-folders give the labels, their images the files)")
    if src.is_dir():
        root = src
        names, rows = _imagefolder_rows(src)
        if group_column is not None and require_group:
            # train --group-column on label folders: asked for, and left out without a word (every image its own group)
            warnings.warn(f"{src}: a folder of label folders has no columns, so group column {group_column!r} is not "
                          f"applied: every image is its own group, so cutouts of one object may fall on both sides "
                          f"of a split (train) and count as separate objects (classify's output, evaluate's "
                          f"intervals); list them in {src / LABELS_CSV} (file, label, {group_column}) to keep each "
                          "object together", UserWarning, stacklevel=2)
        group_column = None
    elif src.is_file():
        if is_hdf5(src):
            # what `starclass cutouts -o stamps.h5` wrote: read as a CSV it failed with
            # "cannot read the CSV ('utf-8' codec can't decode byte 0x89 ...)"
            raise stamp_store_error(src)
        from starclass.io.catalog import refuse_database

        refuse_database(src)  # inspect's --db: "cannot read the CSV ('utf-8' codec can't decode ...)"
        if (what := _not_a_cutout_list(src)) is not None:
            # report and calibrate --stamps read any file as a CSV: a mosaic was 'line 1 is not UTF-8 text ...
            # convert it to UTF-8', a catalogue 'row 3 has more cells than the header', an empty file 'the CSV
            # has no header'
            raise StarclassError(f"{src} is {what}, not a list of cutouts, which is read from {CUTOUT_LIST_KINDS} "
                                 "naming the files (file, label, ...) or a folder of images")
        root = src.parent
        names, rows, lines = read_csv_rows(src)
    else:
        raise StarclassError(f"{src}: no such file or directory")
    is_csv = src.is_file()
    row_roots = _recorded_csv_roots(names, rows, src, root) if is_csv else None
    if row_roots is not None and len(set(row_roots)) == 1:
        root = row_roots[0]  # classify --stamps records it in the meta of what it writes next

    def where(i: int, f: str) -> str:
        return f"{src}: {_row_line(i, lines)}, file {f!r}" if is_csv else f"{root / f}"

    band_cols = [c for c in names if c.lower().startswith("file_")]
    if file_column == "file" and "file" not in names and is_csv:
        # a classified CSV (classify --stamps --file-column filename) records its files' column as a column
        file_column = _recorded_file_column(names, rows)
    if file_column != "file":
        if file_column not in names:
            raise StarclassError(f"{src}: no column {file_column!r} (--file-column, the cutouts' files); columns: "
                                 f"{names}{file_column_hint(names, rows, root, asked=file_column)}")
        file_cols, band_names = [file_column], []
    elif "file" in names and not file_is_a_band_copy(names, lambda c: [row.get(c) for row in rows]):
        file_cols, band_names = ["file"], []
    elif band_cols:
        by_band = {c[5:].lower(): c for c in band_cols}
        band_names = [b.lower() for b in bands] if bands else list(by_band)
        if len(band_names) == 1 and band_names[0] not in by_band and len(by_band) == 1:
            # a one-band task reads a one-band folder whatever its column calls the band
            band_names = list(by_band)
        missing = [b for b in band_names if b not in by_band]
        if missing:
            wants = f" ({bands_of} expects bands {band_names})" if bands_of else ""
            hint = ""
            if bands and len(by_band) >= len(band_names):
                # DSS2 plates as file_blue, file_red, file_ir for open-globular's r, g, b: the message
                # named the task's bands without saying they are names to match, nor how
                ours = [b for b in by_band if b not in band_names]
                hint = (f"; the task's bands are its names for the image channels, matched to the file_<band> "
                        f"columns by name, in that order: rename your columns to "
                        f"{', '.join('file_' + b for b in band_names)} (channel by channel), or train with a task "
                        f"file whose bands name yours in the channel order (e.g. 'bands: [{', '.join(ours)}]' "
                        f"reordered as the channels {', '.join(band_names)} need; a trained model keeps its "
                        "bands, so classify then needs columns of those names)")
            raise StarclassError(f"{src}: no column for {agreeing(len(missing), 'band')} {missing} (have "
                                 f"{band_cols}){wants}{hint}")
        file_cols = [by_band[b] for b in band_names]
        unread = [by_band[b] for b in by_band if b not in band_names and _EXPOSURE_COLUMN.search(b)]
        if unread:
            # an exposure map listed beside the counts was left out without a word, its chip gaps read as sky
            warnings.warn(f"{src}: {agreeing(len(unread), 'column')} {', '.join(unread)} (an exposure map?) not "
                          "read: the bands read are "
                          f"{', '.join(band_names)}, and an exposure map is applied only as an EXPOSURE extension "
                          "of the counts file (its zero pixels then read as no data)", UserWarning, stacklevel=2)
    else:
        raise StarclassError(f"{src}: no 'file' column (nor 'file_<band>' columns); columns: {names}"
                             f"{_header_note(src) or file_column_hint(names, rows, root)}")
    if is_csv and file_cols == ["file"]:
        _refuse_band_rows(names, rows, lines, src, group_column)
    if group_column is not None and group_column not in names and not require_group:
        group_column = None
    if group_column is not None and group_column not in names:
        raise StarclassError(f"{src}: no group column {group_column!r} (--group-column); columns: {names}")
    has_labels = label_column in names
    if has_labels and require_labels:
        # every empty label at once, before any image is read: the first alone was named, after the images
        # above it had been read, so a folder with many gaps took one run per gap
        empty = [i for i, row in enumerate(rows) if not (row.get(label_column) or "").strip()]
        if empty:
            first = empty[0]
            more = (f"; {counted(len(empty), 'row')} have an empty {label_column!r}: {rows_named(empty, limit=5)}"
                    if len(empty) > 1 else "")
            raise StarclassError(f"{where(first, rows[first][file_cols[0]])}: empty {label_column!r}{more}; train "
                                 "and calibrate need a label on every row (classify, explain, evaluate and report "
                                 "take a folder labelled in part): label those rows, or leave them out of the CSV")

    seen: dict[Path, int] = {}
    images: list[np.ndarray] = []
    origins: list[str] = []
    kinds: list[str] = []  # how each row's pixels were read (pixel_kind)
    first_shape: tuple[int, ...] | None = None
    odd_shape: str | None = None  # the message for the first cutout whose shape differs from the first row's
    odd_rows: list[int] = []
    shapes: list[tuple[int, ...]] = []
    padded: list[tuple[int, int, int]] = []  # (row, height, width) of each cutout padded to a square
    plane_bands: list[str] | None = None  # the planes' bands the first named cube's header gives
    named_row = 0
    n_named = 0  # rows whose cube's header names its planes: planes are taken by name only when all do
    exposed: list[tuple[int, str, str]] = []  # (row, file, EXTNAME) of FITS files with an exposure map
    units: list[tuple[str, str, float | None]] = []  # (file, unit, EXPTIME) of each FITS file (fits_cutout_unit)
    from starclass.io.progress import Progress

    # 1.2 ms a 128 px PNG: 40000 cutouts took 50 s without a word; a small folder's second needs no line
    shown = progress if len(rows) >= PROGRESS_FROM else False
    for i, row in Progress(len(rows), desc=f"reading {src.name}", noun="cutout", show=shown,
                           unit="cutout").iterate(enumerate(rows)):
        planes = []
        row_kinds: set[str] = set()
        full_paths: list[Path] = []
        origins.append(common_origin(drawing_origin(row.get(col) or "") for col in file_cols
                                     if image_format(row.get(col) or "") is not None))
        for col in file_cols:
            rel = (row.get(col) or "").strip()
            if not rel:
                raise StarclassError(f"{src}: {_row_line(i, lines)}: empty {col!r}"
                                     f"{_missing_band_note(row, col, file_cols)}")
            full = listed_path(root, rel) if row_roots is None else listed_file(row_roots[i], rel, src.parent)
            if full in seen:
                raise StarclassError(
                    f"{where(i, rel)}: listed twice (first in row {seen[full] + 1})")
            seen[full] = i
            if full.is_dir():
                # "no such file" for a path that exists sent the user looking for a missing file
                raise StarclassError(f"{where(i, rel)}: is a folder ({full}), not an image file; name one cutout "
                                     f"file per row in {col!r}")
            if not full.is_file():
                raise StarclassError(f"{where(i, rel)}: no such file ({full}){_missing_hint(rel, root, full)}"
                                     f"{_linked_csv_hint(src, rel) if is_csv and row_roots is None else ''}")
            full_paths.append(full)
            if (ext := fits_exposure_extension(full)) is not None:
                exposed.append((i, rel, ext))
            try:
                plane, how = read_image(full, return_kind=True)
                planes.append(plane)
                row_kinds.add(how)
                if image_format(full) == "fits" and (unit := fits_cutout_unit(full)) is not None:
                    units.append((rel, *unit, col))  # the column: units are compared band by band
            except StarclassError as exc:
                # read_image names the file (resolved) first: after where() it said the path twice,
                # 'data/galaxy/a.jpg: /home/.../data/galaxy/a.jpg: cannot read the image ...'
                said = str(exc)
                if said.startswith(f"{full} "):  # unreadable_fits: 'PATH is cut short inside its FITS header ...'
                    raise StarclassError(f"{where(i, rel)} {said.removeprefix(f'{full} ')}"
                                         f"{_lzw_list_note(said, full, rel, rows, file_cols, src)}") from None
                # unreadable_fits' last resort, 'cannot read FITS file PATH: ...', named the file a second time
                said = said.removeprefix(f"{full}: ").replace(f"cannot read FITS file {full}: ",
                                                                "cannot read it as FITS: ", 1)
                raise StarclassError(f"{where(i, rel)}: {said}") from None
            cube_names = fits_plane_bands(full) if len(file_cols) == 1 and planes[-1].shape[0] > 1 else None
            if cube_names is not None:
                n_named += 1
                if plane_bands is None:
                    plane_bands, named_row = cube_names, i
                elif [n.lower() for n in cube_names] != [n.lower() for n in plane_bands]:
                    # planes are read in stored order: a cube of another order would hand the network other bands
                    first = rows[named_row][file_cols[0]].strip()
                    raise StarclassError(
                        f"{where(i, rel)}: its header names its planes {', '.join(cube_names)} (BAND0...), that of "
                        f"{_row_line(named_row, lines) + ' ' if is_csv else ''}{first!r} "
                        f"{', '.join(plane_bands)}: the planes are read in stored order, so the bands would be "
                        "mixed; write every cube in one band order")
        kinds.append(row_kinds.pop() if len(row_kinds) == 1 else "mixed")
        if len(planes) > 1:
            # band files of one object are stacked as channels: they must be of one pixel size
            # (numpy's broadcasting error named neither the row nor the files)
            odd = next((j for j in range(1, len(planes)) if planes[j].shape[-2:] != planes[0].shape[-2:]), None)
            if odd is not None:
                (h0, w0), (h1, w1) = planes[0].shape[-2:], planes[odd].shape[-2:]
                raise StarclassError(
                    f"{src}: {_row_line(i, lines)}: band files of different sizes: {file_cols[0]} "
                    f"{row[file_cols[0]].strip()!r} is {h0} x {w0} px, {file_cols[odd]} "
                    f"{row[file_cols[odd]].strip()!r} is {h1} x {w1} px (height x width); the bands of an "
                    f"object must be cut to one pixel grid{_reproject_hint(full_paths, odd, file_cols)}")
            grid = band_grid_mismatch(full_paths, planes[0].shape[-2:])
            if grid is not None:
                # one size, other skies: stacked pixel for pixel, the plate's 1.8' lay over the X-ray's 7'
                j, what = grid
                raise StarclassError(
                    f"{src}: {_row_line(i, lines)}: band files on different sky grids (their FITS WCS): "
                    f"{file_cols[j]} {row[file_cols[j]].strip()!r} is not on the grid of {file_cols[0]} "
                    f"{row[file_cols[0]].strip()!r} ({what}); the bands of an object are stacked pixel for pixel "
                    f"and must be on one pixel grid{_reproject_hint(full_paths, j, file_cols)}")
        img = planes[0] if len(planes) == 1 else np.concatenate(planes, axis=0)
        if len(planes) > 1 and img.shape[0] != len(planes):
            raise StarclassError(f"{where(i, row[file_cols[0]])}: a band file has several channels")
        if img.shape[-1] != img.shape[-2]:
            # the network's stamps are square: a 64 x 80 cutout, or one trimmed at its image's edge, was refused
            padded.append((i, img.shape[-2], img.shape[-1]))
            img = pad_to_square(img)
        if first_shape is None:
            first_shape = img.shape
        elif grey_among_colour(img.shape, first_shape, len(file_cols), bands, any_size=resample is not None):
            # a grey file among 3-plane ones (or the reverse): every 3-plane file is averaged below
            # (and, of another size under a task with mixed_sizes, resampled with the rest)
            pass
        elif img.shape != first_shape and not (resample is not None and img.shape[0] == first_shape[0]):
            # (of another size with resample: resampled below, a task with mixed_sizes)
            # a grey file among colour ones has the same size: "must have one size" named the wrong fault;
            # under mixed_sizes the size is resampled, so only the channels can be at fault (a grey 64 px
            # PNG among 80 px RGB ones for a 3-band task was refused as not "of one size")
            sized = img.shape[1:] != first_shape[1:] and resample is None
            channels = (f"one number of channels (the first row's has {_channel_words(first_shape[0])}, this one "
                        f"{_channel_words(img.shape[0])}; {_channels_advice(img.shape[0], first_shape[0], bands)})")
            # both at fault: "one size" alone advised mixed_sizes: true, which then met the channel refusal
            fault = (channels if not sized else "one size" if img.shape[0] == first_shape[0]
                     else f"one size and {channels}")
            if odd_shape is None:
                odd_shape = (f"{where(i, row[file_cols[0]])}: image of shape {img.shape} (channels, height, width) "
                             f"but the first row's is {first_shape}; all cutouts must have {fault}")
            # the others are read on and counted below: the first alone was named, one run per odd cutout
            odd_rows.append(i)
        if group_column is not None and not (row.get(group_column) or "").strip():
            raise StarclassError(f"{where(i, row[file_cols[0]])}: empty group {group_column!r}")
        shapes.append(img.shape)
        images.append(img)
    files = [(row.get(file_cols[0]) or "").strip() for row in rows]
    colour = [i for i, img in enumerate(images) if img.shape[0] == 3]
    if colour and len(colour) < len(images) and odd_shape is None:
        # JPEGs saved as RGB beside grey PNGs and FITS: refused as "all cutouts must have one number of channels",
        # while a colour file for a one-band task is averaged to grey anyway (stamps.images.cutout_inputs)
        for i in colour:
            images[i] = np.nanmean(images[i], axis=0, keepdims=True).astype(np.float32)
        shapes = [img.shape for img in images]
        warnings.warn(f"{src}: " + grey_among_colour_note(colour, len(images), files=files, numbered=is_csv),
                      UserWarning, stacklevel=2)
    if odd_shape is not None:
        raise StarclassError(odd_shape + _odd_shapes_note(odd_rows, shapes, files=files, numbered=is_csv,
                                                          resampled=resample is not None)
                             + padded_note(padded, len(rows), files=files, numbered=is_csv, refused=True))
    if padded:
        warnings.warn(f"{src}: " + padded_note(padded, len(rows), files=files, numbered=is_csv), UserWarning,
                      stacklevel=2)

    if exposed:
        warnings.warn(f"{src}: " + exposure_note(exposed, len(rows), numbered=is_csv), UserWarning, stacklevel=2)
    native: list[int] = []
    read = images
    if resample is not None and len({img.shape[-1] for img in images}) > 1:
        native = [int(img.shape[-1]) for img in images]
        images = [np.asarray(resample(img), dtype=np.float32) for img in images]
        warnings.warn(f"{src}: " + mixed_sizes_note(native, int(images[0].shape[-1]), resample_purpose), UserWarning,
                      stacklevel=2)

    taken = named_planes(plane_bands, bands) if n_named == len(rows) and images else None
    if taken and not keep_planes:
        # the planes the headers name as the task's bands: a one-band task averaged all three to grey
        images = [img[taken] for img in images]
    padding: list[float] = []
    if native:
        from starclass.io.mosaic import cutout_zero_padding_fraction

        # a survey's zero padding measured on each cutout as read: resampled, a 24 px cutout's 7 padded rows are
        # 4.7 of 16 px, under the 5 x 5 px rule, and classify said nothing of what info named (29%)
        padding = [float(cutout_zero_padding_fraction(np.asarray(img[taken] if taken and not keep_planes
                                                                  else img)[None])[0]) for img in read]
    if bands and images and not taken:
        _check_channels(images[0].shape[0], [b.lower() for b in bands], file_cols, src, bands_of)
    if plane_bands and bands and len(bands) == len(plane_bands) > 1 and \
            [b.lower() for b in bands] != [b.lower() for b in plane_bands]:
        # a task of [z, r, g] (a Legacy Survey JPEG's red, green, blue) given the survey's g, r, z FITS cubes:
        # each plane went to the band of the other name without a word
        who = bands_of or "the task"
        warnings.warn(
            f"{src}: the FITS cubes' headers name their planes {', '.join(plane_bands)} (BAND0...), but {who} "
            f"names its bands {', '.join(bands)}: the planes are read in stored order, so what {who} takes for "
            f"{bands[0]} is the cubes' {plane_bands[0]}; give a task whose bands are [{', '.join(plane_bands)}], "
            "or write the cubes in the task's order", UserWarning, stacklevel=2)
    files = [row[file_cols[0]].strip() for row in rows]
    from starclass.io.catalog import csv_dialect

    # European Excel's ';' CSV writes ra 11,1231667: passed through classify as text, evaluate --by ra grouped text
    comma = is_csv and csv_dialect(src)[1] == ";"
    # the columns whose cells are used as the strings written (labels, objects, folds, files) keep a blank a blank
    as_written = {label_column, group_column, fold_column, *file_cols}
    table = Table({c: _typed([row.get(c, "") for row in rows], decimal_comma=comma, blanks_missing=c not in as_written)
                   for c in names})
    if is_csv and csv_dialect(src)[1] == "\t":
        from starclass.io.catalog import warn_decimal_commas

        # Excel's "Unicode Text" in a decimal-comma locale: ra 11,5 passed through as text without a word
        warn_decimal_commas(src, {c: [row.get(c) for row in rows] for c in names if table[c].dtype.kind == "U"})
    labels = np.array([row[label_column].strip() for row in rows]) if has_labels else None
    if labels is not None and comma and table[label_column].dtype.kind == "f":
        # a ';' CSV's label column of decimal-comma numbers (a spreadsheet's float column, 1,0 and 2,0 in a
        # decimal-comma locale): "1,0" was no class number, and the user was told to map it in a label_map
        labels = np.array([lab.replace(",", ".") for lab in labels])
    groups = np.array([row[group_column].strip() for row in rows]) if group_column else np.array(files)
    folds = None
    if fold_column in names:
        if comma and table[fold_column].dtype.kind == "f":
            # a ';' CSV's float column of folds (1,0, 2,0): "fold '1,0' is not an integer", as a label was refused
            rows = [{**row, fold_column: (row[fold_column] or "").replace(",", ".")} for row in rows]
        folds = _parse_folds(rows, fold_column, groups, files, where, refuse=split_folds_refused)
    if labels is not None and group_column is not None:
        _warn_mixed_labels(labels, groups, files, where, group_column, label_map)
    return CutoutSet(images=np.stack(images).astype(np.float32), table=table, files=files, labels=labels,
                     groups=groups, bands=band_names, folds=folds, root=root, source=src, lines=lines,
                     origins=origins, label_column=label_column if labels is not None else None,
                     group_column=group_column, plane_bands=list(plane_bands or []), taken_planes=list(taken or []),
                     all_planes_named=bool(plane_bands) and n_named == len(rows), native_sizes=native,
                     native_zero_padding=padding, named_cubes=n_named, pixel_kinds=kinds, fits_units=units,
                     file_column=file_column if not band_names else "file")


def grey_among_colour(shape: tuple[int, ...], first: tuple[int, ...], n_file_columns: int,
                      bands: Sequence[str] | None, *,
                      any_size: bool = False) -> bool:
    """Whether a cutout of ``shape`` beside a first one of ``first`` is a grey file among 3-plane ones (or the reverse).

    One file per row of one size, one plane against three (an RGB picture, a 3-plane FITS cube), for
    any reader but a task of three bands (whose grey file cannot give three): :func:`read_cutout_folder`
    averages every 3-plane file to grey, as a colour file for a one-band task is averaged
    (:func:`starclass.stamps.images.cutout_inputs`), where such a folder was refused.

    Parameters
    ----------
    shape, first : tuple of int
        ``(channels, height, width)`` of this cutout and of the folder's first.
    n_file_columns : int
        The file columns of a row (one per band file); only one file per row is averaged.
    bands : sequence of str or None
        The task's bands; a task of three keeps colour and refuses the grey file.
    any_size : bool
        The reader resamples every cutout to one size (a task with ``mixed_sizes``): the two may
        differ in size too. Without it a grey 64 px PNG beside an 80 px RGB JPEG was refused as of
        another shape under such a task, where a grey 80 px PNG was resampled.

    Examples
    --------
    >>> grey_among_colour((3, 64, 64), (1, 64, 64), 1, ["g"]), grey_among_colour((3, 64, 64), (1, 64, 64), 1, None)
    (True, True)
    >>> grey_among_colour((3, 64, 64), (1, 64, 64), 1, ["z", "r", "g"]), grey_among_colour((3, 64, 64), (1, 32, 32), 1,
    ...                                                                                     ["g"])
    (False, False)
    >>> grey_among_colour((3, 80, 80), (1, 64, 64), 1, ["g"], any_size=True)
    True
    """
    return (n_file_columns == 1 and sorted((shape[0], first[0])) == [1, 3] and (any_size or shape[1:] == first[1:])
            and not (bands is not None and len(bands) == 3))


def grey_among_colour_note(colour: list[int], n: int, *, files: list[str], numbered: bool = True) -> str:
    """The one warning of a folder whose 3-plane files (among grey ones) were averaged to grey.

    Examples
    --------
    >>> print(grey_among_colour_note([1], 3, files=["a.png", "b.jpg", "c.fits"]))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 3 cutouts has 3 planes among grey ones (row 2 b.jpg): each such file's planes are averaged into one
    grey plane, as a colour file is for a one-band task, so every cutout is read grey; to keep colour, save every
    cutout with three planes (and give a task of 3 bands)
    """
    shown = ", ".join(f"{'row ' + str(i + 1) + ' ' if numbered else ''}{files[i]}" for i in colour[:5])
    more = f" and {len(colour) - 5} more" if len(colour) > 5 else ""
    verb = "has" if len(colour) == 1 else "have"
    return (f"{len(colour)} of the {n} cutouts {verb} 3 planes among grey ones ({shown}{more}): each such file's "
            "planes are averaged into one grey plane, as a colour file is for a one-band task, so every cutout is "
            "read grey; to keep colour, save every cutout with three planes (and give a task of 3 bands)")


def exposure_note(exposed: list[tuple[int, str, str]], n: int, *, numbered: bool = True) -> str:
    """What was done with the exposure (or weight) maps of FITS cutouts: zero exposure is no data; counts stay counts.

    Parameters
    ----------
    exposed : list of (int, str, str)
        (0-based row, file, EXTNAME) of each band file with an exposure map.
    n : int
        The rows read.
    numbered : bool
        Name rows by number (a CSV), else by file only.

    Returns
    -------
    str

    Examples
    --------
    >>> print(exposure_note([(0, "c0.fits", "EXPOSURE")], 3))  # doctest: +ELLIPSIS
    1 of the 3 cutouts carries an exposure map (row 1 c0.fits: EXPOSURE): its pixels of zero exposure ...
    """
    rows = sorted({r for r, _, _ in exposed})
    first = ", ".join(f"{f'row {r + 1} ' if numbered else ''}{f}: {e}" for r, f, e in exposed[:3])
    more = f", and {len(exposed) - 3} more" if len(exposed) > 3 else ""
    one = len(rows) == 1
    return (f"{len(rows)} of the {n} cutouts {'carries' if one else 'carry'} an exposure map ({first}{more}): "
            f"{'its' if one else 'their'} pixels of zero exposure (chip gaps, beyond the field of view) are read "
            "as no data (NaN: left out of the normalisation, 0 in the model's input), as the mosaic reader does; "
            "the counts are not divided by the exposure (the seed papers' networks and the simulators take "
            "counts images): to train on count rates, write the rate images (counts / exposure) as the cutouts")


#: How each :attr:`CutoutSet.pixel_kinds` entry reads in words.
PIXEL_KIND_WORDS = {"picture": "pictures, scaled to 0-1 by their type's maximum", "stored": "values as stored",
                    "mixed": "band files of both kinds"}


def pixel_ranges(files: Sequence[str], kinds: Sequence[str], lo: ArrayLike,
                 hi: ArrayLike) -> list[tuple[str, str, int, float, float]]:
    """The pixel range of the cutouts of each format and kind of reading, in order of first appearance.

    Parameters
    ----------
    files : sequence of str
        Each row's (first-band) file: its suffix names the format.
    kinds : sequence of str
        Each row's :attr:`CutoutSet.pixel_kinds` entry (``"picture"``, ``"stored"``, ``"mixed"``).
    lo, hi : array_like
        Each row's smallest and largest finite pixel (NaN for a row without one).

    Returns
    -------
    list of (format, kind, rows, low, high)
        ``format`` upper-case ("PNG", "FITS", "NPY"); ``low``/``high`` NaN where no row has a finite pixel.

    Examples
    --------
    >>> pixel_ranges(["a.png", "b.fits", "c.png"], ["picture", "stored", "picture"], [0.0, 3.0, 0.1], [1.0, 900, 0.5])
    [('PNG', 'picture', 2, 0.0, 1.0), ('FITS', 'stored', 1, 3.0, 900.0)]
    """
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (f, k) in enumerate(zip(files, kinds)):
        groups.setdefault(((image_format(str(f)) or "?").upper(), str(k)), []).append(i)
    out = []
    for (fmt, kind), rows in groups.items():
        ok = [i for i in rows if np.isfinite(lo[i])]
        out.append((fmt, kind, len(rows), float(np.min(lo[ok])) if ok else float("nan"),
                    float(np.max(hi[ok])) if ok else float("nan")))
    return out


def describe_pixel_ranges(ranges: list[tuple[str, str, int, float, float]]) -> str:
    """:func:`pixel_ranges` in words: "PNG (12 cutouts, pictures, scaled to 0-1 ...) 0 .. 1; FITS (3, ...) ...".

    Examples
    --------
    >>> describe_pixel_ranges([("PNG", "picture", 2, 0.0, 1.0), ("FITS", "stored", 1, 3.0, 900.0)])
    "PNG (2 cutouts, pictures, scaled to 0-1 by their type's maximum) 0 .. 1; FITS (1, values as stored) 3 .. 900"
    """
    parts = []
    for j, (fmt, kind, n, lo, hi) in enumerate(ranges):
        count = counted(n, "cutout") if j == 0 else str(n)
        span = f"{lo:.4g} .. {hi:.4g}" if np.isfinite(lo) else "no finite pixel"
        parts.append(f"{fmt} ({count}, {PIXEL_KIND_WORDS.get(kind, kind)}) {span}")
    return "; ".join(parts)


def mixed_scale_note(cutouts: CutoutSet) -> str | None:
    """Why a folder holds pixels on two scales: pictures scaled to 0-1 beside FITS/NPY values outside 0-1.

    Picture files (PNG, JPEG, TIFF, BMP, WebP; ``uint8``/``uint16`` NPY) are divided by their
    type's maximum, FITS and other NPY arrays keep their stored values (module notes). A task that
    normalises each stamp (``zscore``, ``zstd``, ``asinh``) does not see the difference; under
    normalisation ``none`` the network does. None: one kind of file, or stored values within 0-1
    (already on the pictures' scale), or a set built by hand (no :attr:`CutoutSet.pixel_kinds`).

    Examples
    --------
    >>> cs = CutoutSet(images=np.stack([np.full((1, 4, 4), 0.5), np.full((1, 4, 4), 800.0)]).astype("f4"),
    ...                table=None, files=["a.png", "b.fits"], labels=None, groups=np.array(["a", "b"]),
    ...                pixel_kinds=["picture", "stored"])
    >>> mixed_scale_note(cs)[:60]
    '1 picture file scaled to 0-1 beside 1 FITS/NPY file whose st'
    """
    kinds = np.asarray(cutouts.pixel_kinds, dtype=str)
    if kinds.size != len(cutouts) or not ((kinds == "picture").any() and (kinds != "picture").any()
                                          or (kinds == "mixed").any()):
        return None
    flat = cutouts.images.reshape(len(cutouts), -1)
    fin = np.isfinite(flat)
    with np.errstate(invalid="ignore"):
        lo = np.where(fin.any(1), np.min(np.where(fin, flat, np.inf), axis=1), np.nan)
        hi = np.where(fin.any(1), np.max(np.where(fin, flat, -np.inf), axis=1), np.nan)
    stored = kinds != "picture"
    outside = stored & ((lo < 0) | (hi > 1))
    if not outside.any():
        return None
    first = int(np.flatnonzero(outside)[0])
    # a row of band files of both kinds ("mixed") counts on both sides
    n_pic, n_sto = int((kinds != "stored").sum()), int(stored.sum())
    return (f"{counted(n_pic, 'picture file')} scaled to 0-1 beside {counted(n_sto, 'FITS/NPY file')} whose stored "
            f"values reach {float(np.nanmin(lo[stored])):.4g} .. {float(np.nanmax(hi[stored])):.4g} (e.g. "
            f"{cutouts.files[first]}); per format: "
            f"{describe_pixel_ranges(pixel_ranges(cutouts.files, kinds, lo, hi))}")


def mixed_sizes_note(sizes: list[int], size: int, purpose: str | None = None) -> str:
    """What reading cutouts of several sizes with ``resample`` did: the sizes counted, and why it is sound.

    Parameters
    ----------
    sizes : list of int
        The side (px) of each cutout as read.
    size : int
        The side they were resampled to.
    purpose : str, optional
        What the one size is for when no task asked for it (``"for the gallery of mistakes only"``);
        by default the task's ``stamp_size`` (it sets ``mixed_sizes``).

    Returns
    -------
    str

    Examples
    --------
    >>> print(mixed_sizes_note([256, 180, 256], 128))  # doctest: +ELLIPSIS
    the cutouts are of 2 sizes (256 x 256 px: 2, 180 x 180 px: 1): each is resampled over its whole field to 128 px ...
    >>> print(mixed_sizes_note([48, 64], 96, "to draw"))
    the cutouts are of 2 sizes (48 x 48 px: 1, 64 x 64 px: 1): each is resampled over its whole field to 96 px to draw
    """
    from collections import Counter

    counts = ", ".join(f"{k} x {k} px: {n}" for k, n in Counter(sizes).most_common())
    if purpose:
        return (f"the cutouts are of {len(set(sizes))} sizes ({counts}): each is resampled over its whole field to "
                f"{size} px {purpose}")
    return (f"the cutouts are of {len(set(sizes))} sizes ({counts}): each is resampled over its whole field to "
            f"{size} px (the task's stamp_size; it sets mixed_sizes), so an object keeps its size relative to its "
            "cutout's field, not its size in pixels: right for cutouts of one physical size at different "
            "distances (cool-core's 1 Mpc), wrong for cutouts of one survey cut to different sizes")


def _reproject_hint(paths: list[Path], odd: int, file_cols: list[str]) -> str:
    """How to put band files with a FITS WCS each on one grid (reproject), else ''."""
    if fits_celestial_wcs(paths[0]) is None or fits_celestial_wcs(paths[odd]) is None:
        return ""
    return (f": both carry a WCS, so resample {file_cols[odd]} onto the grid of {file_cols[0]} with reproject "
            "(reproject_interp for a surface brightness or plate density, reproject_adaptive(conserve_flux=True) "
            "for counts) and list the resampled file (docs/seed_simulators.md, 'X-ray and optical on one grid')")


def pad_to_square(img: np.ndarray) -> np.ndarray:
    """A cutout ``[C, H, W]`` padded with NaN (no data) to a square of its longer side, the image centred.

    What :func:`read_cutout_folder` does to a cutout that is not square (64 x 80 px, or one trimmed
    at its image's edge), as astropy's ``Cutout2D(mode="partial")`` fills the part of a cutout
    beyond its image: no pixel is invented or lost, the pixel scale is kept, and the normalisation
    leaves NaN out of its statistics and gives it the background (0) in the model's input.

    Parameters
    ----------
    img : numpy.ndarray
        float ``[C, H, W]``.

    Returns
    -------
    numpy.ndarray
        float32 ``[C, S, S]`` with ``S = max(H, W)``; ``img`` itself when it is square.

    Examples
    --------
    >>> out = pad_to_square(np.ones((1, 2, 4), np.float32))
    >>> out.shape, np.isnan(out[0]).sum(axis=1).tolist()
    ((1, 4, 4), [4, 0, 0, 4])
    """
    h, w = img.shape[-2:]
    if h == w:
        return img
    n = max(h, w)
    out = np.full((*img.shape[:-2], n, n), np.nan, dtype=np.float32)
    y0, x0 = (n - h) // 2, (n - w) // 2
    out[..., y0:y0 + h, x0:x0 + w] = img
    return out


def padded_note(padded: list[tuple[int, int, int]], n: int, *, files: list[str], numbered: bool,
                refused: bool = False) -> str:
    """The one warning of a read that padded cutouts to squares (:func:`pad_to_square`): how many, which, what was done.

    Parameters
    ----------
    padded : list of (int, int, int)
        0-based row, height and width of each cutout padded.
    n : int
        The number of cutouts read.
    files : list of str
        The file of each row, as listed.
    numbered : bool
        Whether rows are CSV rows (named with their number) or the files of a directory.
    refused : bool
        The end of a refusal of cutouts of several sizes instead of the warning ("" when none was padded).

    Returns
    -------
    str

    Examples
    --------
    >>> print(padded_note([(1, 64, 80)], 3, files=["a.png", "b.png", "c.png"], numbered=True))
    ... # doctest: +ELLIPSIS
    1 of the 3 cutouts is not square (height x width: row 2 b.png: 64 x 80 px): padded to a square of its ...
    """
    if not padded:
        return ""
    from collections import Counter

    shown = "; ".join(f"{f'row {i + 1} ' if numbered else ''}{files[i]}: {h} x {w} px" for i, h, w in padded[:3])
    sizes = Counter((h, w) for _, h, w in padded).most_common()
    more = f"; ... ({', '.join(f'{h} x {w} px: {k}' for (h, w), k in sizes)})" if len(padded) > 3 else ""
    verb = "is" if len(padded) == 1 else "are"
    its = "its" if len(padded) == 1 else "each one's"
    if refused:
        return (f"; {len(padded)} of the {n} {verb} not square ({shown}{more}) and {verb} compared once padded with "
                f"NaN to a square of {its} longer side")
    return (f"{len(padded)} of the {n} cutouts {verb} not square (height x width: {shown}{more}): padded to a "
            f"square of {its} longer side, centred, with NaN in the added rows or columns (no data: left out of "
            "the normalisation, the background 0 in the model's input), so no pixel is lost and the pixel scale "
            "is kept; to use the central square instead, crop the files so")


def _odd_shapes_note(odd_rows: list[int], shapes: list[tuple[int, ...]], *, files: list[str], numbered: bool,
                     resampled: bool = False) -> str:
    """The end of the message refusing cutouts of several shapes: how many, which, and the shapes read.

    Examples
    --------
    >>> note = _odd_shapes_note([2], [(1, 64, 64), (1, 64, 64), (1, 48, 48)], files=["a", "b", "c"], numbered=True)
    >>> print(note.split("; ")[1])
    1 of 3 cutouts differs from the first row's shape (row 3)
    >>> print(note.split("; ")[2])
    shapes read (channels x height x width): 1 x 64 x 64: 2, 1 x 48 x 48: 1
    """
    from collections import Counter

    which = (rows_named(odd_rows, limit=5) if numbered
             else ", ".join(files[i] for i in odd_rows[:5]) + (", ..." if len(odd_rows) > 5 else ""))
    if numbered:
        which = which.split(" (rows counted")[0]
    counts = ", ".join(f"{' x '.join(map(str, k))}: {n}" for k, n in Counter(shapes).most_common())
    verb = "differs" if len(odd_rows) == 1 else "differ"
    # channels only: the first message says how to convert them; sizes: how to make one (not when the
    # task resamples every size: then the channels alone were refused, and "mixed_sizes" is already set)
    sized = not resampled and any(shapes[i][1:] != shapes[0][1:] for i in odd_rows)
    advice = ("; cut or resample them to one size (a task resamples that one size to its stamp_size; a cutout "
              "trimmed at its image's edge: cut it at the full size, the part beyond the image NaN, as astropy's "
              "Cutout2D(..., mode='partial') does); cutouts of one physical size at different distances (cool-core's "
              "1 Mpc at several redshifts) are taken by a task that sets 'mixed_sizes: true' (cool-core does), "
              "each resampled to its stamp_size") if sized else ""
    return (f"; {len(odd_rows)} of {len(shapes)} cutouts {verb} from the first row's shape ({which}); shapes read "
            f"(channels x height x width): {counts}{advice}")


#: Column names (case-folded) that say which band a row's ``file`` is in: one row per band file.
_BAND_ROW_COLUMNS = ("band", "filter")


def _refuse_band_rows(names: list[str], rows: list[dict[str, str]], lines: list[int] | None, src: Path,
                      group_column: str | None) -> None:
    """Refuse a CSV with one row per band file (``file``, ``band``): its bands would be read as separate cutouts.

    Such a "long" table (``file,band,label,object_id`` with a ``g`` and an ``i`` row per object) was
    read row by row: every band file became a cutout of its own, trained on and classified as
    the task's band, without a word. One band throughout is harmless and read as it is.

    Examples
    --------
    >>> rows = [{"file": "a_g.png", "band": "g"}, {"file": "a_i.png", "band": "i"}]
    >>> try:
    ...     _refuse_band_rows(["file", "band"], rows, [2, 3], Path("labels.csv"), None)
    ... except StarclassError as exc:
    ...     print(str(exc)[:47])
    labels.csv: column 'band' names 2 bands (g, i):
    """
    col = next((n for n in names if n.casefold() in _BAND_ROW_COLUMNS), None)
    if col is None:
        return
    values = [(row.get(col) or "").strip() for row in rows]
    bands = list(dict.fromkeys(v for v in values if v))
    if len(bands) < 2:
        return
    first = values.index(bands[0])
    other = values.index(bands[1])
    # the label (and any column of the object) must be in the index, or pivot drops it
    keys = [group_column if group_column in names else "object_id"] + [n for n in ("label",) if n in names]
    raise StarclassError(
        f"{src}: column {col!r} names {len(bands)} bands ({', '.join(bands[:6])}{', ...' if len(bands) > 6 else ''}): "
        f"one row per band file ({_row_line(first, lines)}, file {rows[first]['file'].strip()!r}, band "
        f"{bands[0]!r}; {_row_line(other, lines)}, file {rows[other]['file'].strip()!r}, band {bands[1]!r}) would "
        "read every band file as a cutout of its own, in the task's band. Give one row per object with one "
        f"file_<band> column per band ({', '.join('file_' + b.lower() for b in bands[:3])}; with pandas: "
        f"df.pivot(index={keys!r}, columns={col!r}, values='file').add_prefix('file_').reset_index()), or keep "
        "the rows of one band only.")


def _missing_band_note(row: dict[str, str], col: str, file_cols: list[str]) -> str:
    """What an empty ``file_<band>`` cell of a row with other bands' files means, and what to do.

    "row 7: empty 'file_i'" named neither the object's other files nor that each row needs a file
    in every band read.

    Examples
    --------
    >>> _missing_band_note({"file_g": "a_g.png", "file_i": ""}, "file_i", ["file_g", "file_i"])[:61]
    " (file_g 'a_g.png'): every row needs a file in each band read"
    """
    others = [f"{c} {(row.get(c) or '').strip()!r}" for c in file_cols if c != col and (row.get(c) or "").strip()]
    if not others:
        return ""
    return (f" ({', '.join(others)}): every row needs a file in each band read ({', '.join(file_cols)}); cut the "
            "missing band or leave the row out")


def _recorded_csv_roots(names: list[str], rows: list[dict[str, str]], src: Path, here: Path) -> list[Path] | None:
    """The folder each row's files are relative to, where a classified cutout CSV records it; else None.

    ``classify --stamps DATA -o /results/c.csv`` writes the folder its ``file`` paths are
    relative to in a ``cutout_root`` column; read as a cutout folder again (``classify --stamps
    /results/c.csv`` with another model, ``info``), the files were looked for beside the CSV
    and every row was "no such file", while ``inspect`` and ``suggest`` read the recorded
    folder (:func:`recorded_roots`: empty or NaN cells record nothing; some rows only, refused).

    Examples
    --------
    >>> [r.as_posix() for r in _recorded_csv_roots(["file", "cutout_root"], [{"file": "a.png", "cutout_root":
    ...                                              "/data/m31"}], Path("c.csv"), Path("."))]
    ['/data/m31']
    >>> _recorded_csv_roots(["file", "cutout_root"], [{"file": "a.png", "cutout_root": ""}], Path("c.csv"),
    ...                     Path(".")) is None
    True
    """
    from starclass.schema import CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE

    if CUTOUT_ROOT not in names:
        return None
    recorded = Table({c: [row.get(c) or "" for row in rows] for c in (CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE) if c in names})
    column = _recorded_file_column(names, rows)
    column = column if column in names else next((c for c in names if c.lower().startswith("file_")), None)
    files = None if column is None else [row.get(column) or "" for row in rows]
    return row_folders(recorded, src, here, files=files)


def _channel_words(n: int) -> str:
    """``1 channel (grey)``, ``3 channels (colour)``, ... for messages."""
    return {1: "1 channel (grey)", 3: "3 channels (colour)"}.get(n, f"{n} channels")


def _channels_advice(n: int, first: int, bands) -> str:
    """How to bring cutouts of ``n`` and ``first`` channels to one, for a task of ``bands`` (None: no task).

    A task of three bands reads them from the three planes of each cutout: converting to grey, the
    advice for any other reader, would only move the refusal.

    Examples
    --------
    >>> print(_channels_advice(1, 3, ["z", "r", "g"]))  # doctest: +NORMALIZE_WHITESPACE
    a grey file cannot give the task's 3 bands (z, r, g), read from the three planes of each cutout in that
    order: save every cutout with three planes, or give a task of one band to read every cutout grey
    >>> _channels_advice(1, 4, None)
    "convert them to one, e.g. to grey with PIL's Image.convert('L')"
    """
    if bands is not None and len(bands) == 3 and sorted((n, first)) == [1, 3]:
        return (f"a grey file cannot give the task's 3 bands ({', '.join(bands)}), read from the three planes of "
                "each cutout in that order: save every cutout with three planes, or give a task of one band to read "
                "every cutout grey")
    return "convert them to one, e.g. to grey with PIL's Image.convert('L')"


def averaged_planes_note(files: list[str], n_channels: int, bands: Sequence[str], task: str, *, page: bool = False,
                         named: int = 0, plane_bands: Sequence[str] = (), is_preset: bool = True,
                         grey: int = 0) -> str | None:
    """The one warning of a run whose 3-plane files are averaged to grey for a one-band task; None otherwise.

    :func:`starclass.stamps.images.cutout_inputs` averages the three planes of an RGB picture or
    of a 3-plane FITS cube for a task of one band. The note train and classify printed called a
    FITS cube a "colour image", said neither how many files nor how to keep the planes apart;
    ``inspect --stamps`` said nothing while its grey stamp showed the same mean.

    Parameters
    ----------
    files : list of str
        The cutout files (one per row), for the count of each kind.
    n_channels : int
        Channels (planes) of every file.
    bands : sequence of str
        The task's bands.
    task : str
        The task's name, as the message names it.
    page : bool
        For ``inspect --stamps``: says that the page's grey stamp and profile show the mean.
    named : int
        How many of the files' cubes name their planes in their headers (``BAND0``...;
        :attr:`CutoutSet.named_cubes`). Planes are taken by name only when every cube does: where some
        do, the line counts them and says to give the others the same headers (it said only "averaged").
    plane_bands : sequence of str
        The names those headers give the planes (:attr:`CutoutSet.plane_bands`).
    is_preset : bool
        Whether ``task`` is a preset's name (``TaskConfig.preset_name``): the task file offered then
        ``extends:`` it; else the line says to set the bands in the task's own file, since ``extends:``
        takes a preset only (it offered ``extends: m31-real-2ep``, refused by ``--task``).
    grey : int
        How many of the files hold one grey picture in their three planes (:func:`grey_in_colour`). When
        all do, nothing is lost by the mean: the line is a ``note:`` saying so, without the advice to use
        the planes as bands (a grey JPEG saved as RGB was told "the model sees no colour; to use the planes
        as bands, give a task of 3 bands", until 2026-12-06).

    Returns
    -------
    str or None
        One line starting ``warning:`` (``note:`` when every file is grey), or None when nothing is averaged.

    Examples
    --------
    >>> note = averaged_planes_note(["a.fits", "b.fits", "c.png"], 3, ["g"], "m31-real")
    >>> print(note)  # doctest: +NORMALIZE_WHITESPACE
    warning: 3 cutout files have 3 planes (2 FITS cubes, 1 RGB picture) but task 'm31-real' has one band (g):
    each file's planes are averaged into one grey plane, so the model sees no colour; to use the planes as
    bands, give a task of 3 bands (a task file with 'extends: m31-real' and 'bands: [b1, b2, b3]' in the
    files' plane order, docs/real_images.md)
    >>> averaged_planes_note(["a.fits"], 1, ["g"], "m31-real") is None
    True
    >>> note = averaged_planes_note(["a.fits", "b.fits", "c.fits"], 3, ["g"], "m31-real", named=2,
    ...                             plane_bands=["g", "r", "z"])
    >>> print(note[note.index("; 2 of"):note.index("; to use")])  # doctest: +NORMALIZE_WHITESPACE
    ; 2 of the 3 FITS cubes name their planes g, r, z in their headers (BAND0...), but planes are taken by name
    only when every cube does: give the other 1 the same BAND0, BAND1, BAND2 headers and task 'm31-real' takes
    plane 0 (g) of each
    """
    if len(bands) != 1 or n_channels != 3 or not files:
        return None
    if grey == len(files):
        return (f"note: the {counted(len(files), 'cutout file')} with 3 planes hold the same picture in each plane "
                f"(grey saved as colour): read as that grey plane, the one band ({bands[0]}) of task {task!r}")
    # extends: takes a preset only: a user's task (or a model trained on one) is changed in its own file
    # (the words of starclass.learn.config.task_file_with, which io cannot import)
    use = (f"a task file with 'extends: {task}' and 'bands: [b1, b2, b3]'" if is_preset
           else f"the task file of task {task!r} with 'bands: [b1, b2, b3]'")
    formats = [image_format(f) for f in files]
    cubes, arrays = formats.count("fits"), formats.count("npy")
    pictures = len(files) - cubes - arrays
    kinds = ", ".join(counted(n, noun) for n, noun in ((cubes, "FITS cube"), (arrays, "NPY array"),
                                                        (pictures, "RGB picture")) if n)
    done = ("the page's grey stamp and profile show the mean of each file's planes, as the model is given "
            "them" if page else "each file's planes are averaged into one grey plane, so the model sees no colour")
    taken = named_planes(plane_bands, bands) if 0 < named < cubes else None
    if taken:
        # a folder mixing named and plain cubes was averaged with no word of the names: taken only when all name them
        cards = ", ".join(f"BAND{k}" for k in range(len(plane_bands)))
        done += (f"; {named} of the {cubes} FITS cubes name their planes {', '.join(plane_bands)} in their headers "
                 f"(BAND0...), but planes are taken by name only when every cube does: give the other "
                 f"{cubes - named} the same {cards} headers and task {task!r} takes plane {taken[0]} ({bands[0]}) "
                 "of each")
    if grey:
        done += f" ({grey} of them hold the same picture in each plane: grey saved as colour, nothing lost)"
    return (f"warning: {counted(len(files), 'cutout file')} {'has' if len(files) == 1 else 'have'} 3 planes "
            f"({kinds}) but task {task!r} has one band ({bands[0]}): {done}; to use the planes as bands, give a task "
            f"of 3 bands ({use} in the files' plane order, "
            "docs/real_images.md)")


def grey_in_colour(images: np.ndarray) -> np.ndarray:
    """Which 3-plane cutouts hold one picture in every plane, ``[N]`` bool (a grey picture saved as RGB).

    Equal within 1% of each cutout's range, which a grey JPEG's colour rounding stays inside; NaN
    pixels are left out. Cutouts of another number of planes are False.

    Examples
    --------
    >>> g = np.random.default_rng(0).random((2, 1, 8, 8)).astype(np.float32)
    >>> rgb = np.concatenate([g, g, g], axis=1)
    >>> rgb[1, 0] *= 0.5  # a red plane of its own
    >>> grey_in_colour(rgb).tolist()
    [True, False]
    """
    x = np.asarray(images, dtype=np.float32)
    if x.ndim != 4 or x.shape[1] != 3 or not len(x):
        return np.zeros(len(x), dtype=bool)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN cutout: no range, not grey
        span = np.nanmax(x, axis=(1, 2, 3)) - np.nanmin(x, axis=(1, 2, 3))
        off = np.nanmax(np.abs(x - x.mean(axis=1, keepdims=True)), axis=(1, 2, 3))
    return np.isfinite(off) & (off <= 0.01 * np.where(span > 0, span, 1.0))


def _check_channels(n_channels: int, bands: list[str], file_cols: list[str], src: Path,
                    bands_of: str | None) -> None:
    """Refuse images whose channels are not the bands asked for, naming the folder and both sides.

    One channel per band, or a colour (3-channel) file for a single band (averaged to grey by
    :func:`starclass.stamps.images.cutout_inputs`). Told only later, the error named the task but
    neither the folder nor how its bands are laid out.
    """
    if n_channels == len(bands) or (len(bands) == 1 and n_channels == 3):
        return
    who = bands_of or "the task"
    have = (f"one {file_cols[0]!r} column of {n_channels}-channel images" if len(file_cols) == 1
            else f"columns {', '.join(file_cols)}")
    hint = ""
    if len(bands) > 1 and len(file_cols) == 1:
        hint = (f"; give one file_<band> column per band ({', '.join('file_' + b for b in bands)}), or "
                "use a model trained on the folder's band")
    raise StarclassError(f"{src}: the cutouts have {counted(n_channels, 'channel')} ({have}) but {who} expects "
                         f"{counted(len(bands), 'band')} {bands}{hint}")


def _typed(values: list[str], decimal_comma: bool = False, blanks_missing: bool = True) -> np.ndarray:
    """A CSV column as int or float when every cell parses so, else as strings.

    Label, group and file columns are used as the strings written in the CSV whatever this
    gives; the typing only lets numeric columns (``ra``, ``dec``) pass through as numbers.
    ``decimal_comma`` (a ``;``-separated CSV, as European Excel writes it): a column whose every
    non-blank cell is a decimal-comma number (``11,1231667``) is read as floats, blanks NaN
    (:func:`starclass.io.catalog.decimal_comma_values`); it passed through as text.
    ``blanks_missing``: a column whose every non-blank cell is a number, some cells blank, is a
    masked column of those numbers (floats NaN under the mask), as astropy reads such a CSV; it was
    text, so a magnitude with a few blanks passed through ``classify --stamps`` as strings and
    ``evaluate --by`` took each value for a group of its own. A column of blanks alone stays text.

    Examples
    --------
    >>> _typed(["21.5", "", "22.0"]).tolist(), _typed(["3", " ", "4"]).tolist(), _typed(["a", "", "b"]).tolist()
    ([21.5, None, 22.0], [3, None, 4], ['a', '', 'b'])
    >>> _typed(["007", "", "8"]).tolist(), _typed(["3", "", "4"], blanks_missing=False).tolist()
    (['007', '', '8'], ['3', '', '4'])
    """
    as_text = np.array([str(v) for v in values])
    if decimal_comma:
        from starclass.io.catalog import decimal_comma_values

        comma = decimal_comma_values(values)
        if comma is not None:
            return comma
    blank = np.array([not str(v).strip() for v in values], dtype=bool)
    if blanks_missing and blank.any() and not blank.all():
        numbers = _typed([v for v, b in zip(values, blank) if not b], blanks_missing=False)
        if numbers.dtype.kind in "if":
            data = np.full(len(values), np.nan if numbers.dtype.kind == "f" else 0, dtype=numbers.dtype)
            data[~blank] = numbers
            return MaskedColumn(data, mask=blank)
    try:
        ints = [int(v) for v in values]
    except (TypeError, ValueError):
        ints = None
    if ints is not None:
        # only where the text is the number: an id such as "007" (or "+5", "1_000", which
        # Python's int() also reads) passes through to the classified output as written
        return np.array(ints) if all(str(i) == v.strip() for i, v in zip(ints, values)) else as_text
    if any("_" in str(v) for v in values):
        return as_text  # "1_0.5" is a float to Python only
    try:
        return np.array([float(v) for v in values])
    except (TypeError, ValueError):
        return as_text


def _warn_mixed_labels(labels: np.ndarray, groups: np.ndarray, files: list[str], where, column: str,
                       label_map: dict[str, int] | None = None) -> None:
    """Warn, naming the rows, when one group (one object) carries different labels.

    Cutouts of one object (two CCDs, two epochs) show the same thing: different labels are a
    catalogue error or a mistyped group, and the object teaches both classes at once. Not an
    error: a user may mean it (a per-cutout verdict), but they must know.

    With the task's ``label_map``, labels are compared by the class they give: ``Cluster`` and
    ``cluster`` of one object, both mapped to class 1 by the task file that a spreadsheet's labels
    need, were warned of as different labels although training sees one class. A label the map does
    not know is compared as written (the unknown-label message names it).

    Examples
    --------
    >>> import warnings
    >>> labs, objs = np.array(["Cluster", "cluster"]), np.array(["B1", "B1"])
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     _warn_mixed_labels(labs, objs, ["a.png", "b.png"], lambda i, f: f, "object_id",
    ...                        {"cluster": 1, "Cluster": 1})
    >>> seen
    []
    """
    keyed = {label_key(k): v for k, v in (label_map or {}).items()}

    def same_class(a: str, b: str) -> bool:
        # the class through the map, as label_classes reads it; unknown labels as written
        return a == b or (class_of(a) is not None and class_of(a) == class_of(b))

    def class_of(a: str) -> int | None:
        if label_key(a) in keyed:
            return keyed[label_key(a)]
        key = mapped_label(label_key(a), label_map or {})  # 'Cluster' beside 'cluster': one class
        return None if key is None else label_map[key]

    first: dict[str, int] = {}
    mixed: list[str] = []
    unknown = False  # a label the map does not know among them: it has no class (yet)
    labs = [str(v) for v in labels.tolist()]
    for i, g in enumerate(str(v) for v in groups.tolist()):
        j = first.setdefault(g, i)
        if not same_class(labs[j], labs[i]) and len(mixed) < 5:
            mixed.append(f"{column} {g!r}: {labs[i]!r} at {where(i, files[i])}, {labs[j]!r} at row {j + 1}")
            unknown = unknown or class_of(labs[i]) is None or class_of(labs[j]) is None
    if mixed:
        # 'star' beside 'galaxy' under m31-real was "labels of different classes": star is no class of the task
        what = "labels of different classes" if keyed and not unknown else "different labels"
        warnings.warn(f"cutouts of one object carry {what} (" + "; ".join(mixed) + ")", stacklevel=3)


def _parse_folds(rows, column: str, groups: np.ndarray, files: list[str], where, *, refuse: bool = True) -> np.ndarray:
    folds = np.empty(len(rows), dtype=np.int64)
    first: dict[str, tuple[int, int]] = {}
    split: list[str] = []
    for i, row in enumerate(rows):
        cell = str(row[column] if row[column] is not None else "").strip()
        if not cell:
            # a blank cell (pandas writes a missing fold so) read as "fold '' is not an integer"; a row with no fold
            # is refused, not left out of every fold: a published benchmark's folds cover every row it scores
            raise StarclassError(f"{where(i, files[i])}: no fold (a blank cell in column {column!r}): every row of a "
                                 f"list with a {column!r} column needs one; give the row its object's fold, or remove "
                                 "the row (or the column)")
        try:
            # "2.0" as well as "2": pandas writes an integer column that had a missing value as floats
            number = float(cell)
            if not np.isfinite(number) or number != int(number):
                raise ValueError(cell)
            folds[i] = int(number)
        except ValueError:
            raise StarclassError(f"{where(i, files[i])}: fold {row[column]!r} is not an integer") from None
        g = str(groups[i])
        if g in first and first[g][1] != folds[i]:
            said = (f"{where(i, files[i])}: group {g!r} is split across folds {first[g][1]} (row "
                    f"{first[g][0] + 1}) and {folds[i]}")
            if refuse:
                raise StarclassError(f"{said}: one object must stay in one fold")
            split.append(said)
        first.setdefault(g, (i, int(folds[i])))
    if split:
        # info: the same check as train's, said of every split group where train stops at the first
        more = f" and {len(split) - 5} more" if len(split) > 5 else ""
        warnings.warn("; ".join(split[:5]) + f"{more}: train refuses a group split across the folds of column "
                      f"{column!r} (one object must stay in one fold)", UserWarning, stacklevel=3)
    return folds


#: Plain YAML words that a YAML 1.1 reader (PyYAML) takes as booleans or null, not as text.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _yaml_key(label: str) -> str:
    """``label`` as a key of a YAML flow mapping: plain where it reads back as that text, else quoted."""
    plain = re.fullmatch(r"[A-Za-z_](?:[A-Za-z0-9_ .+-]*[A-Za-z0-9_.+-])?", label)
    # JSON's double-quoted string is a valid YAML scalar
    return label if plain and label.lower() not in _YAML_WORDS else json.dumps(label)


def _row_list(rows: list[int], most: int = 5, *, numbered: bool = True) -> str:
    """``row 6`` / ``3 rows: 6, 18, 41`` / ``7 rows: 6, 18, 41, 50, 52, ...`` (1-based); ``7 images`` unnumbered."""
    if not numbered:
        # an ImageFolder directory has no rows to look up: its label folder holds the images
        return f"{len(rows)} image{'s' if len(rows) > 1 else ''}"
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:most])
    return f"{len(rows)} rows: {shown}{', ...' if len(rows) > most else ''}"


def unknown_labels_note(rows_of: dict[str, list[int]], label_map: dict[str, int], *, preset: str | None = None,
                        classes: dict[int, str] | None = None, numbered: bool = True,
                        task_file: str | None = None, remedy: bool = True) -> str:
    """The end of an unknown-label message: every unknown label with its rows, and a task file that maps them.

    One error used to name the first unknown label only: a folder with ``star`` and ``artefact``
    (the M31 paper's other negatives) was refused for ``star``, and after that was mapped, again
    for ``artefact``. The note lists them all and gives a task file to copy, whose ``label_map``
    keeps the task's own labels (a ``label_map`` replaces the one it extends) and adds the unknown
    ones, each ``N``, to be replaced by a class number.

    Parameters
    ----------
    rows_of : dict of str to list of int
        Unknown label -> the rows (1 = first data row) that carry it, in order of appearance.
    label_map : dict of str to int
        The task's label map.
    preset : str, optional
        The preset the task is (``TaskConfig.preset_name``), for ``extends:``; without it (and
        without ``task_file``) the snippet says to extend the task file used.
    task_file : str, optional
        The task file the task was read from (``train --task FILE``): ``extends:`` takes presets
        only, so the note gives the ``label_map`` to put in that file, named.
    classes : dict of int to str, optional
        Class number -> name, listed after the snippet so that ``N`` can be chosen.
    numbered : bool
        Name the rows (a CSV); False counts images instead (an ImageFolder directory, whose
        rows are no file's lines).
    remedy : bool
        End with the task file to copy; False stops after the labels (and their case), for a
        command that takes no ``--task`` (``explain``) to end with its own advice.

    Returns
    -------
    str
        Text starting with ``"; "``, to end a message that names the first unknown label.

    Examples
    --------
    >>> note = unknown_labels_note({"star": [6, 18], "Galaxy": [9]}, {"cluster": 1, "galaxy": 2},
    ...                            preset="m31-real", classes={1: "cluster", 2: "non-cluster"})
    >>> "'star' (2 rows: 6, 18), 'Galaxy' (row 9)" in note
    True
    >>> print(note.splitlines()[2])
        label_map: {cluster: 1, galaxy: 2, star: N, Galaxy: 2}
    >>> note = unknown_labels_note({"star": [6]}, {"cluster": 1}, task_file="mine.yaml")
    >>> print(note.splitlines()[0].split("; ")[-1])
    labels of your own need a label_map that maps them to classes: put this one in mine.yaml (it replaces the one there)
    >>> unknown_labels_note({"star": [6]}, {"cluster": 1}, remedy=False)
    "; 1 row carries 1 label the task does not know: 'star' (row 6)"
    """
    n_rows = sum(len(r) for r in rows_of.values())
    listed = ", ".join(f"{lab!r} ({_row_list(rows, numbered=numbered)})" for lab, rows in rows_of.items())
    unit = "row" if numbered else "image"
    out = (f"; {counted(n_rows, unit)} {'carries' if n_rows == 1 else 'carry'} {counted(len(rows_of), 'label')} "
           f"the task does not know: {listed}")
    cased = {lab: case_twin_label(lab, label_map) for lab in rows_of}
    # keys in other cases that the map gives different classes: which one the label means is the user's to say
    twins = {lab: [k for k in label_map if label_key(k).casefold() == label_key(lab).casefold()] for lab in rows_of}
    same = [f"{lab!r} could be {' or '.join(f'{k!r} (class {label_map[k]})' for k in ks)}"
            for lab, ks in twins.items() if len(ks) > 1 and cased[lab] is None]
    if same:
        out += f"; a label in another case is read as the task's only where that gives one class: {', '.join(same)}"
    if not remedy:
        return out
    base = preset or "<the task file you trained with>"
    if task_file is not None and preset is None:
        # extends: takes a preset only; naming the file the task came from beats a placeholder
        base = None
    known_classes = set(classes) if classes else set(label_map.values())
    if all(lab.isdigit() and int(lab) in known_classes for lab in rows_of):
        # class numbers for labels (1, 2): the map of label strings is not what they need
        out += ("; labels that are the task's class numbers are read as such by a task without a label map: "
                + (f"'extends: {base}' and 'label_map: {{}}' in a task file" if base is not None
                   else f"'label_map: {{}}' in {task_file}"))
    pairs = [f"{_yaml_key(k)}: {v}" for k, v in label_map.items()]
    pairs += [f"{_yaml_key(lab)}: {label_map[k] if k is not None else 'N'}" for lab, k in cased.items()]
    if base is not None:
        out += ("; labels of your own need a task file that maps them to classes, e.g. my_task.yaml holding\n"
                f"    extends: {base}\n    label_map: {{{', '.join(pairs)}}}\n")
    else:
        out += (f"; labels of your own need a label_map that maps them to classes: put this one in {task_file} "
                f"(it replaces the one there)\n    label_map: {{{', '.join(pairs)}}}\n")
    then = f"then --task {'my_task.yaml' if base is not None else task_file}"
    if any(k is None for k in cased.values()):
        which = (", ".join(f"{c} = {n}" for c, n in classes.items()) if classes
                 else ", ".join(str(c) for c in sorted(set(label_map.values()))))
        out += (f"with each N a class of the task ({which}; a new class needs classes and class_names too), "
                f"{then} (docs/real_images.md, 'Your own labels and classes')")
    else:
        out += f"{then} (docs/real_images.md, 'Your own labels and classes')"
    return out


def _named_labels_note(labels, config, *, numbered: bool = True, task_file: str | None = None) -> str:
    """The end of the message refusing label strings for a task without a ``label_map``: every such
    label with its rows, and the task file that maps them, the task's class names mapped to their classes.

    A galaxy-cluster folder labelled ``cluster`` / ``non-cluster`` (the task's own class names) was
    refused at its first row, saying only that the label was no class number.
    """
    if config is None:
        return ""
    rows_of: dict[str, list[int]] = {}
    for i, value in enumerate(labels):
        text = str(value).strip()
        try:
            float(text)
        except ValueError:
            if text:
                rows_of.setdefault(text, []).append(i + 1)
    by_name = {str(n).casefold(): int(c) for c, n in zip(config.classes, config.class_names or [])}
    unit = "row" if numbered else "image"
    listed = ", ".join(f"{lab!r} ({_row_list(rows, numbered=numbered)})" for lab, rows in rows_of.items())
    n_rows = sum(len(r) for r in rows_of.values())
    out = (f"; {counted(n_rows, unit)} {'carries' if n_rows == 1 else 'carry'} {counted(len(rows_of), 'label')} "
           f"that {'is' if len(rows_of) == 1 else 'are'} no class number: {listed}")
    pairs = ", ".join(f"{_yaml_key(lab)}: {by_name.get(lab.casefold(), 'N')}" for lab in rows_of)
    named = all(lab.casefold() in by_name for lab in rows_of)
    if named:
        out += "; they are the names of the task's classes"
    base = config.preset_name
    if base is not None:
        out += (f"; map them to classes in a task file, e.g. my_task.yaml holding\n    extends: {base}\n"
                f"    label_map: {{{pairs}}}\nthen --task my_task.yaml")
    else:
        where = task_file or "your task file"
        out += f"; map them to classes with this label_map in {where}\n    label_map: {{{pairs}}}\n"
    if not named:
        which = ", ".join(f"{c} = {n}" for c, n in zip(config.classes, config.class_names or config.classes))
        out += f" (each N a class of the task: {which})"
    return out + " (docs/real_images.md, 'Your own labels and classes')"


def mapped_label(label: str, label_map: dict[str, int]) -> str | None:
    """The ``label_map`` key ``label`` stands for: itself, a float of it, or it in another case.

    A spreadsheet or pandas writes a column of numbers with a gap as floats (``1.0``, ``2.0``, ``""``):
    a task without a ``label_map`` reads ``2.0`` as class 2, but one whose map names the labels ``"1"``
    and ``"2"`` (a galaxy-cluster task whose real candidates are ``2``) refused every ``2.0`` as a label
    it did not know. An exact key wins (a map with ``"1.0"`` keeps it).

    A label that differs from keys only in the case of its letters (a ``Cluster/`` folder, a
    ``CLUSTER`` cell, for ``m31-real``'s ``cluster``) is the key when every such key gives one class;
    where keys differing only in case give different classes, the label is none of them. Until
    2026-12-06 such labels were refused, and a folder named as people write labels needed a task file.
    None when no key fits.

    Examples
    --------
    >>> mapped_label("2.0", {"1": 2, "2": 1}), mapped_label("2", {"1": 2, "2": 1}), mapped_label("2.5", {"2": 1})
    ('2', '2', None)
    >>> mapped_label(" Cluster", {"cluster": 1, "galaxy": 2}), mapped_label("GC", {"gc": 1, "Gc": 2})
    ('cluster', None)
    """
    if label in label_map:
        return label
    try:
        number = float(label)
    except ValueError:
        number = None
    if number is not None and np.isfinite(number) and number == int(number):
        whole = str(int(number))
        if whole in label_map:
            return whole
    return case_twin_label(label, label_map)


def case_twin_label(label: str, label_map: dict[str, int]) -> str | None:
    """The key of ``label_map`` that ``label`` is in another case, when the keys it could be give one class; else None.

    Compared stripped and in one Unicode form (:func:`starclass.schema.label_key`), then case-folded.

    Examples
    --------
    >>> case_twin_label("Globular Cluster", {"globular cluster": 1}), case_twin_label("x", {"y": 1})
    ('globular cluster', None)
    """
    folded = label_key(label).casefold()
    twins = [k for k in label_map if label_key(k).casefold() == folded]
    if not twins or len({int(label_map[k]) for k in twins}) != 1:
        return None
    return twins[0]


def case_matched_note(matched: dict[tuple[str, str], int], *, numbered: bool = True) -> str:
    """The words for labels read as a ``label_map`` key in another case: ``'Cluster' as 'cluster' (60 rows)``.

    Examples
    --------
    >>> case_matched_note({("Cluster", "cluster"): 3, ("GALAXY", "galaxy"): 1})
    "labels read as the task's labels in another case: 'Cluster' as 'cluster' (3 rows), 'GALAXY' as 'galaxy' (1 row)"
    """
    unit = "row" if numbered else "image"
    listed = ", ".join(f"{lab!r} as {key!r} ({n} {unit}{'s' if n != 1 else ''})" for (lab, key), n in matched.items())
    return f"labels read as the task's labels in another case: {listed}"


def case_twin_groups(labels: Iterable[str]) -> list[list[tuple[str, int]]]:
    """The labels that differ only in case, in groups, each spelling with its count (groups of one left out).

    Grouped by the rule :func:`case_twin_label` matches a label to a task's ``label_map`` key by (stripped,
    one Unicode form, case-folded), so ``info`` says of a list what ``train`` and ``classify`` will read:
    ``CLUSTER``, ``Cluster`` and ``cluster`` are one label to a task whose map names one of them.

    Parameters
    ----------
    labels : Iterable[str]
        The labels as the cutout reader gives them (:attr:`CutoutSet.labels`); empty ones are left out.

    Returns
    -------
    list[list[tuple[str, int]]]
        Each group's spellings with their counts, spellings and groups in sorted order.

    Examples
    --------
    >>> case_twin_groups(["CLUSTER", "cluster", "cluster", "galaxy", "Galaxy", "star"])
    [[('CLUSTER', 1), ('cluster', 2)], [('Galaxy', 1), ('galaxy', 1)]]
    """
    from collections import Counter

    counts = Counter(str(lab) for lab in labels if str(lab).strip())
    groups: dict[str, list[tuple[str, int]]] = {}
    for lab in sorted(counts):
        groups.setdefault(label_key(lab).casefold(), []).append((lab, counts[lab]))
    return [g for _, g in sorted(groups.items()) if len(g) > 1]


#: The case notes :func:`label_classes` has given in this process: said once for each labels file or folder and
#: the labels matched there (its source and the pairs), so a second folder with other case twins is told too.
_CASE_NOTES_SAID: set[tuple[str, tuple[tuple[str, str], ...]]] = set()


def label_classes(cutouts: CutoutSet, label_map: dict[str, int], *, allow_empty: bool = False,
                  config: TaskLike | None = None, allow_unknown: bool = False, task_file: str | None = None,
                  unknown_use: tuple[str, str] | None = None) -> np.ndarray:
    """Map every label string to a class, naming every unknown label with its rows.

    Parameters
    ----------
    cutouts : CutoutSet
        Labelled cutouts (``cutouts.labels`` not None).
    label_map : dict of str to int
        Label -> class. Empty: labels must be integers and are returned as classes.
    allow_empty : bool
        An empty label is class 0 ("no class": an unlabelled row) instead of an error; so is a missing value's
        spelling (``N/A``, ``nan``, ``--``: :data:`MISSING_LABELS`) that ``label_map`` does not name, which is
        otherwise refused as "(a missing label?)".
    config : starclass.learn.config.TaskConfig, optional
        The task the map is from: its name and class names make the unknown-label message's
        task file to copy (:func:`unknown_labels_note`).
    allow_unknown : bool
        A label the map does not know is class 0 (no reference class), with one warning naming
        every such label and its rows, instead of an error: ``classify`` needs no labels to
        classify, only to score (``evaluate --task`` scores them with a map that knows them).
    task_file : str, optional
        The task file ``config`` was read from, named in the unknown-label message
        (:func:`unknown_labels_note`).
    unknown_use : tuple of (str, str), optional
        With ``allow_unknown``, the warning's words of the command that reads the labels: what it
        does with the rows of an unknown label, and what to do instead (in place of the task file
        of ``evaluate --task``). The default (None) is ``classify``'s: left out of the accuracy.

    Returns
    -------
    numpy.ndarray
        int64 class per row.

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> cs = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=Table(), files=["a", "b"],
    ...                labels=np.array(["galaxy", "cluster"]), groups=np.array(["a", "b"]))
    >>> label_classes(cs, {"cluster": 1, "galaxy": 2}).tolist()
    [2, 1]
    """
    if cutouts.labels is None:
        raise StarclassError(f"{cutouts.source}: no label column: the cutouts need labels")
    out = np.empty(len(cutouts.labels), dtype=np.int64)
    unknown: dict[str, list[int]] = {}  # every unknown label and its rows, named together below
    first_unknown = -1
    # matched in one Unicode form (schema.label_key): a Mac's label folder 'ste\u0301llaire' is 'stéllaire'
    keyed = {label_key(k): v for k, v in (label_map or {}).items()}
    cased: dict[tuple[str, str], int] = {}  # (label, key) -> rows, the labels matched in another case
    missing: list[int] = []  # rows whose label is a missing value's spelling the map does not know ('N/A')
    for i, lab in enumerate(cutouts.labels):
        lab = str(lab).strip()
        if not lab:
            if not allow_empty:
                raise StarclassError(f"{cutouts.where(i)}: empty label")
            out[i] = 0
            continue
        if label_map and label_key(lab) in keyed:
            out[i] = int(keyed[label_key(lab)])  # a class the task names so ('none', 'NA') is that class
            continue
        if is_missing_label(lab, label_map):
            # a spreadsheet's or pandas' missing value: classify refused 'nan' as "not a whole class number" and
            # warned of 'N/A' as a label the task does not know, where an empty cell is an unlabelled row
            missing.append(i)
            out[i] = 0
            continue
        if label_map:
            key = mapped_label(lab, label_map)
            if key is None:
                unknown.setdefault(lab, []).append(i + 1)
                first_unknown = i if first_unknown < 0 else first_unknown
                out[i] = 0
                continue
            if key == case_twin_label(lab, label_map):
                cased[(lab, key)] = cased.get((lab, key), 0) + 1
            out[i] = int(label_map[key])
        else:
            try:
                number = float(lab)
            except ValueError:
                if allow_unknown:
                    # classify needs no labels: 'open'/'globular' sub-folders of an open-globular model's
                    # folder refused the whole run, while a label_map task classifies such rows (class_ref 0)
                    unknown.setdefault(lab, []).append(i + 1)
                    first_unknown = i if first_unknown < 0 else first_unknown
                    out[i] = 0
                    continue
                from starclass.io.catalog import decimal_comma_values

                if decimal_comma_values([lab]) is not None:
                    # a tab- or comma-separated CSV saved in a decimal-comma locale (Excel's "Unicode Text"):
                    # the user was told to map '1,0' to a class in a label_map
                    raise StarclassError(
                        f"{cutouts.where(i)}: label {lab!r} is a number written with a decimal comma, which "
                        "starclass reads as one only in a CSV separated by ';'; save the file with a decimal "
                        "point, or as CSV separated by ';'") from None
                raise StarclassError(
                    f"{cutouts.where(i)}: label {lab!r} is not a class number and the task has no label_map"
                    + _named_labels_note(cutouts.labels, config, numbered=cutouts.source.is_file(),
                                         task_file=task_file)) from None
            # "2.0" (a spreadsheet's float column) is class 2; "2.5" was class 2 too, and "inf" a traceback
            if not np.isfinite(number) or number != int(number):
                raise StarclassError(f"{cutouts.where(i)}: label {lab!r} is not a whole class number (the task has "
                                     "no label_map: labels are its classes)")
            # with a merge the numbers are its reference classes, as a catalogue's class_ref (m31-binary: the
            # PHANGS four): '3' (non-cluster through the merge) was refused as "not a class of the task, takes
            # only 1, 2", and then a '2' was read through the merge as 1 (cluster)
            accepted = sorted(int(c) for c in config.merge) if config is not None and config.merge else (
                list(config.classes) if config is not None else [])
            if config is not None and not allow_unknown and int(number) not in accepted:
                # 0/1 labels: the 0 rows were read as "no class" and left out of training without a word
                # (then "class 2 has no training example", or, with classes [1, 2, 3], trained without them)
                every = sorted({str(v).strip() for v in cutouts.labels if str(v).strip()})
                yaml = ", ".join(f"{json.dumps(v)}: N" for v in every)
                # "(0: no class)" here read as if 0 were accepted, in the message refusing it: only
                # classify reads a 0 (or an unknown number) as no reference class
                if config.merge:
                    # a label_map's numbers go through the merge too: "each N a class of the task" sent a
                    # non-cluster mapped to 2 to class 1
                    targets = ", ".join(f"{c} ({what})" for c, what in config.label_targets().items())
                    raise StarclassError(
                        f"{cutouts.where(i)}: label {lab!r} is not a reference class of task {config.name!r}; a "
                        f"task without a label_map reads labels as class numbers through its merge "
                        f"{dict(config.merge)} and takes only {targets}. Map your labels in a task file: "
                        f"label_map: {{{yaml}}}, each N one of those reference classes; or, for labels that "
                        f"are the task's own classes {list(config.classes)}, add 'merge: {{}}' to the task file "
                        "(no merge: each class is itself).")
                raise StarclassError(
                    f"{cutouts.where(i)}: label {lab!r} is not a class of task {config.name!r} (classes "
                    f"{list(config.classes)}); a task without a label_map reads labels as its class numbers and "
                    f"takes only {', '.join(map(str, config.classes))}. Map your labels in a task file: "
                    f"label_map: {{{yaml}}}, each N a class of the task.")
            out[i] = int(number)
    if missing and not allow_empty:
        first = missing[0]
        lab = str(cutouts.labels[first]).strip()
        more = (f"; {counted(len(missing), 'row')} have a missing value's spelling as label: "
                f"{rows_named(missing, limit=5)}" if len(missing) > 1 else "")
        raise StarclassError(f"{cutouts.where(first)}: label {lab!r} (a missing label?){more}; train and calibrate "
                             "need a label on every row (classify, explain, evaluate and report take a folder "
                             "labelled in part): label those rows, or leave them out of the CSV")
    note = f"{cutouts.source}: {case_matched_note(cased, numbered=cutouts.source.is_file())}" if cased else None
    said_key = (str(Path(cutouts.source).resolve()), tuple(sorted(cased)))
    if note is not None and said_key not in _CASE_NOTES_SAID:
        # said, not silent: 'Cluster' and 'cluster' are one class here because the task's map has one of them.
        # Once a process: train reads the labels at several steps, one of them from the folder read again, with
        # warnings filters reset in between, so Python's once-per-place rule said it twice
        _CASE_NOTES_SAID.add(said_key)
        warnings.warn(note, UserWarning, stacklevel=2)
    if unknown:
        lab = str(cutouts.labels[first_unknown]).strip()
        # what each number of a label_map becomes: with a merge, a reference class (m31-binary: 3 and 4 are
        # non-cluster); listed as the output classes, 'star: 2' read as non-cluster and trained as a cluster
        names = config.label_targets() if config is not None else None
        if allow_unknown:
            # a folder with the M31 paper's stars and artefacts could not be classified by an
            # m31-real model at all, and the message advised a --task that classify does not take
            if unknown_use is not None:
                # explain's words: "left out of the accuracy, and of evaluate" read oddly there, and explain
                # takes no --task
                did, instead = unknown_use
                note = unknown_labels_note(unknown, label_map, numbered=cutouts.source.is_file(), remedy=False)
                warnings.warn(f"{cutouts.source}: {did}{note}; {instead}", stacklevel=2)
                return out
            note = unknown_labels_note(unknown, label_map, preset=config.preset_name if config is not None else None,
                                       classes=names, numbered=cutouts.source.is_file())
            warnings.warn(f"{cutouts.source}: every row is classified, but those whose label the task does not know "
                          "get class_ref 0 (no reference class: left out of the accuracy, and of evaluate unless it "
                          "is given a task that maps them)"
                          + note.replace("then --task my_task.yaml", "then evaluate --task my_task.yaml"),
                          stacklevel=2)
            return out
        wrapped = wrapped_labels_hint(cutouts.source, unknown, label_map)
        # a folder given one level too high: a task file mapping its one folder ('data') to a class would train
        # every cutout as that class, so none is offered beside the folder to give
        raise StarclassError(
            f"{cutouts.where(first_unknown)}: label {lab!r} is not known to the task (known: {sorted(label_map)})"
            + (wrapped or unknown_labels_note(unknown, label_map,
                                              preset=config.preset_name if config is not None else None,
                                              classes=names, numbered=cutouts.source.is_file(),
                                              task_file=task_file)))
    return out


#: Label text (case-folded) read as no label, as an empty cell is, where the task's ``label_map`` does not name
#: it: the missing values of spreadsheets (``N/A``, ``#N/A``), pandas (``nan``, ``NA``), astropy (``--``) and
#: databases (``null``). ``none`` is not among them: it is a class name some tasks use.
MISSING_LABELS = frozenset({"n/a", "#n/a", "nan", "na", "--", "null"})

def is_missing_label(label: str, label_map: dict[str, int] | None) -> bool:
    """Whether a label cell means no label: empty, or a missing value's spelling ``label_map`` does not name.

    The one rule of ``classify --stamps`` (an unlabelled row, class_ref 0), train and calibrate (refused as
    "a missing label?") and ``evaluate --label-column`` (left out of the scores, counted).

    Parameters
    ----------
    label : str
        The cell as written.
    label_map : dict of str to int or None
        The task's label -> class map; a key spelled so (``none``, ``NA``) is a class.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_missing_label(" N/A ", {"cluster": 1}), is_missing_label("nan", {}), is_missing_label("none", {})
    (True, True, False)
    >>> is_missing_label("NA", {"NA": 3}), is_missing_label("", {"cluster": 1})
    (False, True)
    """
    lab = str(label).strip()
    if not lab:
        return True
    return lab.casefold() in MISSING_LABELS and not (label_map and mapped_label(lab, label_map) is not None)


#: Text of a ``cutout_root`` cell that means "not recorded": empty, or a missing value as pandas,
#: astropy or a spreadsheet writes it (a hand-edited or concatenated table); read as a folder,
#: "nan" sent every file to ./nan
_NOT_RECORDED = frozenset({"", "nan", "none", "null", "--", "n/a", "na"})

#: Column names (case-folded) that may hold a cutout folder's labels under another name than ``label``.
LABEL_LIKE = frozenset({"label", "labels", "class", "classes", "class_name", "type", "category", "truth"})


def column_classes(values: Iterable[object]) -> set[int] | None:
    """The class numbers a column's cells hold (blank and 0 cells left out), or None when a cell is no whole number.

    Examples
    --------
    >>> sorted(column_classes(["1", " 2", "", "0", "2.0"])), column_classes(["1", "cluster"])
    ([1, 2], None)
    """
    out: set[int] = set()
    for cell in values:
        text = str(cell).strip()
        if not text or text == "--":
            continue
        try:
            number = float(text)
        except ValueError:
            return None
        if not np.isfinite(number) or number != int(number) or number < 0:
            return None
        if number:
            out.add(int(number))
    return out


def fuller_label_column(cs: CutoutSet, config: Any, classes: np.ndarray) -> str | None:
    """A refusal when the label column lacks some of the task's classes and another column holds all of them.

    ``simulate --preset galaxy-cluster`` writes the binary ``label`` and the experts' five kinds in
    ``expert``: ``train --task galaxy-cluster-experts`` without ``--label-column expert`` read ``label``'s 1
    and 2 as two of its five classes and was refused only later, "classes 3 (nearby galaxy), 4 (point
    source), 5 (other) have no training example", with no word of the column that holds them.

    Parameters
    ----------
    cs : CutoutSet
        The list read (``label_column`` the column asked for).
    config : TaskConfig
        The task (one with a ``label_map`` reads words: not checked).
    classes : numpy.ndarray
        The class of each row as :func:`label_classes` reads it (0: none).

    Returns
    -------
    str or None
        The message naming both columns and the option to give, or None.

    Examples
    --------
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> t = Table({"label": ["1", "2", "2"], "expert": ["1", "4", "5"], "other": ["1", "2", "3"]})
    >>> cs = CutoutSet(images=np.zeros((3, 1, 4, 4), np.float32), table=t, files=["a", "b", "c"],
    ...                labels=np.array(["1", "2", "2"]), groups=np.array(["a", "b", "c"]), label_column="label",
    ...                source=Path("gc/labels.csv"))
    >>> fuller_label_column(cs, get_preset("galaxy-cluster-experts"), np.array([1, 2, 2])) is None
    True
    >>> t["expert"] = ["1", "2", "3"]; t.add_row(["2", "4", "4"]); t.add_row(["1", "5", "5"])
    >>> print(fuller_label_column(cs, get_preset("galaxy-cluster-experts"), np.array([1, 2, 2, 2, 1])))
    ... # doctest: +NORMALIZE_WHITESPACE
    gc/labels.csv: column 'label' holds classes 1, 2 of the 5 of task 'galaxy-cluster-experts' (1 (low-z cluster),
    2 (high-z cluster), 3 (nearby galaxy), 4 (point source), 5 (other)), and column 'expert' all 5: give
    --label-column expert
    """
    if config.label_map or cs.table is None or not len(cs.table) or len(cs.table) != len(classes):
        return None
    wanted = {int(c) for c in config.classes}
    have = {int(c) for c in np.asarray(classes) if c > 0}
    if not have or have >= wanted:
        return None
    asked = cs.label_column or "label"
    fuller = [c for c in cs.table.colnames if c != asked and column_classes(cs.table[c]) == wanted]
    if not fuller:
        return None
    named = ", ".join(f"{c} ({n})" for c, n in zip(config.classes, config.class_names))
    return (f"{cs.source}: column {asked!r} holds classes {', '.join(map(str, sorted(have)))} of the "
            f"{len(wanted)} of task {config.name!r} ({named}), and column {fuller[0]!r} all {len(wanted)}: give "
            f"--label-column {fuller[0]}")


def label_like_column(columns: Iterable[str], label_column: str) -> str | None:
    """The first of ``columns`` that may hold the labels asked for as ``label_column`` under another
    name (a spreadsheet's ``Label``, a ``class`` column: :data:`LABEL_LIKE`), else None.

    Parameters
    ----------
    columns : iterable of str
        The folder's column names.
    label_column : str
        The label column asked for (``--label-column``).

    Returns
    -------
    str or None

    Examples
    --------
    >>> label_like_column(["file", "Label"], "label"), label_like_column(["file", "flux"], "label")
    ('Label', None)

    A column whose name is that asked for but misspelt comes first: ``--label-column experts`` on a
    galaxy-cluster folder was pointed to ``label`` (the binary classes) rather than ``expert`` (the five
    classes asked for), and a five-class task takes 1 and 2 as two of its classes without a word.

    >>> label_like_column(["file", "label", "expert"], "experts")
    'expert'
    """
    import difflib

    columns = [str(c) for c in columns]
    others = [c for c in columns if c != label_column]
    same = [c for c in others if c.casefold() == str(label_column).casefold()]
    close = same or difflib.get_close_matches(str(label_column), others, n=1, cutoff=0.8)
    if close:
        return close[0]
    return next((c for c in others if c.casefold() in LABEL_LIKE), None)


def label_column_hint(columns: Iterable[str], label_column: str) -> str:
    """``; column 'Label' may hold the labels: give --label-column Label`` for a message that a label
    column is missing, where :func:`label_like_column` finds one; else ``""``.

    One wording for every command that reads a cutout folder's labels (train, classify, calibrate,
    explain --stamps, evaluate --label-column): only classify and train pointed to the column.

    Examples
    --------
    >>> label_column_hint(["file", "Label"], "label")
    "; column 'Label' may hold the labels: give --label-column Label"
    >>> label_column_hint(["file"], "label")
    ''
    """
    alike = label_like_column(columns, label_column)
    return f"; column {alike!r} may hold the labels: give --label-column {alike}" if alike else ""


def root_not_recorded(cell: object) -> bool:
    """Whether one ``cutout_root`` cell says nothing (empty, masked, NaN, ``None``).

    Examples
    --------
    >>> root_not_recorded("nan"), root_not_recorded(" "), root_not_recorded("/data/m31")
    (True, True, False)
    """
    if cell is None or cell is np.ma.masked:
        return True
    if isinstance(cell, float) and not np.isfinite(cell):
        return True
    return str(cell).strip().lower() in _NOT_RECORDED


def recorded_folder(cell: object, here: Path) -> Path | None:
    """The folder one ``cutout_root`` cell records, a relative one taken under ``here`` (the table's
    folder, as its files are); None when the cell records nothing (:func:`root_not_recorded`).

    Parameters
    ----------
    cell
        The cell (text, NaN, masked, None).
    here : Path
        The folder of the table the cell is in.

    Returns
    -------
    Path or None

    Examples
    --------
    >>> recorded_folder("/data/m31", Path("out")).as_posix(), recorded_folder("../data", Path("out")).as_posix()
    ('/data/m31', 'out/../data')
    >>> recorded_folder("nan", Path("out")) is None
    True
    """
    return None if root_not_recorded(cell) else here / str(cell).strip()


def portable_folder(folder: str | os.PathLike, table: str | os.PathLike) -> str:
    """``folder`` as a table written to ``table`` records it in ``cutout_root``: relative to the table's folder
    where that leads to the same folder, else absolute.

    An absolute record held one machine's path: a review list moved, or committed, with its cutouts
    beside or under it named a folder the next machine does not have. Every reader takes a relative
    record under the table's folder (:func:`recorded_folder`), the folder as given or with its links
    followed (``evaluate``, ``inspect``'s field view), so the relative form is written only where both
    lead to ``folder``; the path as typed is tried first, so that a data folder reached through a link
    (a checkout's ``../shared``) stays reached through it.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder the table's files are relative to.
    table : str or os.PathLike
        The file the table is written to.

    Returns
    -------
    str
        The relative path (POSIX separators), or the absolute folder with its links followed.

    Examples
    --------
    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> portable_folder(top / "cutouts", top / "lists" / "review.csv")
    '../cutouts'
    >>> portable_folder(top, top / "review.csv")
    '.'
    """
    target = resolved(folder)
    out_dir = Path(os.path.abspath(Path(table).parent))
    for base, there in ((out_dir, os.path.abspath(folder)), (resolved(out_dir), str(target))):
        try:
            rel = os.path.relpath(there, base)
        except ValueError:  # another drive (Windows): no relative path leads there
            break
        if all(resolved(b / rel) == target for b in (out_dir, resolved(out_dir))):
            return Path(rel).as_posix()
    return str(target)


def row_folders(table: Table, source: str | os.PathLike, here: Path,
                files: Sequence[str] | None = None) -> list[Path] | None:
    """The folder each row's files are relative to, where ``table`` records it (:func:`recorded_roots`),
    a relative record taken under ``here`` (:func:`recorded_folder`); None when nothing is recorded.

    The one reading of a recorded folder for every reader of a cutout table (:func:`read_cutout_folder`
    of a classified CSV, ``inspect --stamps``, ``suggest``, ``evaluate``'s pairing by file). A writer
    records the folder twice (:func:`cutout_root_records`): ``cutout_root`` relative to the table where it
    can, and ``cutout_root_abs``, absolute. The relative one is taken where it holds the rows' files (a
    list moved together with its cutouts), else the absolute one where that does (a list moved alone),
    else the relative one (whose "no such file" then names the folder looked in). Without files to try
    (none given, no file column), the first of the two that is a folder is taken.

    Parameters
    ----------
    table, source
        As for :func:`recorded_roots`, which refuses a folder recorded for some rows only.
    here : Path
        The table's folder.
    files : sequence of str, optional
        The (first) file of each row, to choose between the two records by; default: the table's first
        file column (:func:`starclass.io.cutout_output.file_columns`).

    Returns
    -------
    list of Path or None

    Examples
    --------
    >>> [p.as_posix() for p in row_folders(Table({"cutout_root": ["/data", "rel"]}), "c.csv", Path("out"))]
    ['/data', 'out/rel']

    A list moved alone: its relative record leads nowhere, the absolute one holds the file.

    >>> import tempfile
    >>> data = Path(tempfile.mkdtemp()); _ = (data / "a.png").write_bytes(b"")
    >>> t = Table({"file": ["a.png"], "cutout_root": ["../cuts"], "cutout_root_abs": [str(data)]})
    >>> row_folders(t, "c.csv", Path(tempfile.mkdtemp())) == [data]
    True
    """
    roots = recorded_roots(table, source)
    if roots is None:
        return None
    firsts = [recorded_folder(r, here) for r in roots]
    fallbacks = _absolute_records(table)
    if fallbacks is None:
        return firsts
    if files is None:
        from starclass.io.cutout_output import file_columns

        cols = file_columns(table)
        files = np.asarray(table[cols[0]]).astype(str).tolist() if cols else None
    # one choice per pair of records, from the first row whose file either holds: the rows of one folder stay together
    chosen: dict[tuple[Path, Path | None], Path] = {}
    for i, key in enumerate(zip(firsts, fallbacks)):
        first, other = key
        if key in chosen or other is None:
            continue
        if files is None:
            chosen[key] = first if first.is_dir() or not other.is_dir() else other
            continue
        rel = str(files[i]).strip()
        if rel and listed_path(first, rel).is_file():
            chosen[key] = first
        elif rel and listed_path(other, rel).is_file():
            chosen[key] = other
    return [chosen.get(key, key[0]) for key in zip(firsts, fallbacks)]


def _absolute_records(table: Table) -> list[Path | None] | None:
    """Each row's ``cutout_root_abs`` (column, else meta; None where a cell records nothing), or None.

    A fallback only: rows without one (a list of an older classification joined to a newer one) keep their
    ``cutout_root`` alone, rather than being refused as a ``cutout_root`` recorded for some rows is.
    """
    from starclass.schema import CUTOUT_ROOT_ABSOLUTE

    if CUTOUT_ROOT_ABSOLUTE in table.colnames:
        col = table[CUTOUT_ROOT_ABSOLUTE]
        mask = np.ma.getmaskarray(np.ma.asarray(col))
        cells = [None if m or root_not_recorded(v) else Path(str(v).strip())
                 for v, m in zip(np.asarray(col).tolist(), mask)]
        return cells if any(c is not None for c in cells) else None
    meta = table.meta.get(CUTOUT_ROOT_ABSOLUTE)
    return None if meta is None or root_not_recorded(meta) else [Path(str(meta).strip())] * len(table)


def cutout_root_records(folders: Sequence[str | os.PathLike], table: str | os.PathLike) -> dict[str, list[str]]:
    """What a table written to ``table`` records of the folder each row's files are relative to.

    The one rule of every writer (``classify --stamps``, ``train --cv``'s ``cv_predictions.ecsv``,
    ``suggest``): ``cutout_root`` relative to the table's folder where it can be
    (:func:`portable_folder`), so that a list moved together with its cutouts still finds them, and
    ``cutout_root_abs``, the absolute folder, so that a list moved alone does too; :func:`row_folders`
    reads them. ``classify --stamps`` and ``train --cv`` wrote the absolute folder alone (a folder
    moved whole lost its cutouts), ``suggest`` the relative one alone (a list moved alone lost them).

    Parameters
    ----------
    folders : sequence of str or os.PathLike
        Each row's folder (as given or absolute).
    table : str or os.PathLike
        The file the table is written to.

    Returns
    -------
    dict
        ``{"cutout_root": [...], "cutout_root_abs": [...]}``, one cell per row.

    Examples
    --------
    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> rec = cutout_root_records([top / "cutouts"], top / "lists" / "review.csv")
    >>> rec["cutout_root"], rec["cutout_root_abs"] == [str(resolved(top / "cutouts"))]
    (['../cutouts'], True)
    """
    from starclass.schema import CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE

    written = {f: (portable_folder(f, table), str(resolved(f))) for f in set(map(str, folders))}
    cells = [written[str(f)] for f in folders]
    return {CUTOUT_ROOT: [c[0] for c in cells], CUTOUT_ROOT_ABSOLUTE: [c[1] for c in cells]}


def recorded_roots(table: Table, source: str | os.PathLike) -> list[str] | None:
    """The folder each row's files are relative to, as a classified table records it, or None.

    ``classify --stamps`` records it as a ``cutout_root`` column (CSV) or in the meta. A column
    whose every cell is empty or NaN (:func:`root_not_recorded`) records nothing (the caller
    falls back, as for a table without it); one that records the folder for some rows only
    (two runs concatenated, a hand edit) is refused, naming the first row without it, since
    those files could be relative to anything.

    Parameters
    ----------
    table : astropy.table.Table
        The classified (or suggested) table.
    source : str or os.PathLike
        Where it was read from, for the message.

    Returns
    -------
    list of str or None
        One folder per row, or None when nothing is recorded.

    Raises
    ------
    StarclassError
        Some rows record the folder and others do not.

    Examples
    --------
    >>> recorded_roots(Table({"file": ["a.png", "b.png"], "cutout_root": ["nan", ""]}), "c.csv") is None
    True
    >>> recorded_roots(Table({"file": ["a.png"], "cutout_root": ["/data/m31"]}), "c.csv")
    ['/data/m31']
    """
    from starclass.schema import CUTOUT_ROOT

    if CUTOUT_ROOT in table.colnames:
        col = table[CUTOUT_ROOT]
        mask = np.ma.getmaskarray(np.ma.asarray(col))
        # cell by cell: a column of NaN is read as floats, an all-empty one as masked integers
        cells = [None if m else v for v, m in zip(np.asarray(col).tolist(), mask)]
        missing = [root_not_recorded(c) for c in cells]
        if not all(missing):
            if any(missing):
                i = missing.index(True)
                j = missing.index(False)
                raise StarclassError(
                    f"{source}: row {i + 1}: empty {CUTOUT_ROOT!r} while row {j + 1} records "
                    f"{str(cells[j]).strip()!r}; the rows' files would be relative to different folders: give "
                    f"every row its {CUTOUT_ROOT} (the folder its file is relative to) or none (the table's "
                    "own folder)")
            return [str(c).strip() for c in cells]
    meta = table.meta.get(CUTOUT_ROOT)
    if meta is not None and not root_not_recorded(meta):
        return [str(meta).strip()] * len(table)
    return None


def check_output_outside_cutouts(output: str | os.PathLike | None, source: str | os.PathLike | None, *,
                                 option: str = "--output", file: bool = False) -> None:
    """Refuse an output that would change what the cutout folder ``source`` reads as next time.

    An ImageFolder-style directory (no ``labels.csv``) is read by scanning it: a folder written
    anywhere inside it is a new label (``DATA/model``) or more images of one (``DATA/galaxy/model``,
    with any figure it holds), so ``train --stamps DATA -o DATA/galaxy`` put the model beside the
    cutouts and the next read saw other files. A file output is fine in the directory itself (a
    classified CSV beside the label folders), not in a folder it would create there, not as an
    image, and not as the ``labels.csv`` the directory would then be read through. A folder read
    through a CSV is read as the CSV lists it: only a folder output in (or below) a sub-folder
    holding listed cutouts is refused.

    Parameters
    ----------
    output : str or os.PathLike or None
        The output path (None: not given, nothing to check).
    source : str or os.PathLike or None
        The cutout folder read (a directory or a CSV); anything else is not checked.
    option : str
        The option naming ``output``, for the message.
    file : bool
        The output is a file (a table, a stamp store), not a folder.

    Raises
    ------
    StarclassError
        Naming the option, the output and the folder.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "galaxy").mkdir(); np.save(d / "galaxy" / "a.npy", np.ones((4, 4)))
    >>> check_output_outside_cutouts(d / "out.csv", d, file=True)  # beside the label folders: fine
    >>> try:
    ...     check_output_outside_cutouts(d / "model", d)
    ... except StarclassError as exc:
    ...     print("would take model/ for a label folder" in str(exc))
    True
    """
    if output is None or source is None:
        return
    src = Path(source)
    if not (src.is_dir() or (src.is_file() and cutout_list_format(src) is not None)):
        return
    out = resolved(output)
    scanned = src.is_dir() and not folder_label_lists(src)
    root = resolved(src if src.is_dir() else src.parent)
    if scanned:
        why = None
        if not file and root in out.parents:
            first = out.relative_to(root).parts[0]
            why = (f"the next read of it would take {first}/ for a label folder" if not (root / first).is_dir()
                   else f"{first}/ is a label folder: the output's files would be read as {first} cutouts")
        elif file and root in out.parents:
            if out.parent != root and not out.parent.exists():
                why = f"it would create the folder {out.parent.relative_to(root)}/, read next time as a label"
            elif image_format(out) is not None:
                why = "it is an image, read next time as a cutout"
            elif out.parent == root and out.name.lower() in {n.lower() for n in LABELS_CSV_NAMES}:
                why = f"the directory would then be read through this {out.name}"
        if why:
            raise StarclassError(f"{option} {output} lies inside the cutout folder {source} (one sub-folder per "
                                 f"label): {why}; write it outside {source}")
        return
    if file:
        return  # a table or store beside listed cutouts is never read as one: the CSV lists what is
    try:
        # quietly: the command reads the CSV next and warns then (a pandas index column was said twice)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            files = listed_files(src, absolute=True)
    except StarclassError:
        return  # read_cutout_folder says what is wrong with the folder, naming it
    for folder in sorted({resolved(Path(f).parent) for f in files} - {root}):
        if out == folder or folder in out.parents:
            raise StarclassError(f"{option} {output} lies inside {folder}, which holds cutouts that {source} "
                                 f"lists: keep outputs out of the cutouts' folders (e.g. beside {source})")


def beside_cutouts(output: str | os.PathLike, source: str | os.PathLike, *, within: Sequence[str] = ()) -> str | None:
    """Where a proposed command's output folder goes where :func:`check_output_outside_cutouts` would refuse it.

    A command proposed after ``classify --stamps . -o out.csv`` run inside a folder of label sub-folders
    (``evaluate out.csv``, ``report out.csv --stamps .``) wrote, or was refused to write, its default
    folder inside the cutouts, read next time as a label. The folder of the same name beside the cutout
    folder, as the user types it from here (``../evaluation``); None where ``output`` (and each folder
    ``within`` it the command writes, report's ``tables``) is fine.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "galaxy").mkdir(); np.save(d / "galaxy" / "a.npy", np.ones((4, 4)))
    >>> Path(beside_cutouts(d / "evaluation", d)).resolve() == (d.parent / "evaluation").resolve()
    True
    >>> beside_cutouts(d.parent / "evaluation", d) is None
    True
    """
    from starclass.io.paths import short_path

    try:
        for folder in (Path(output), *(Path(output) / w for w in within)):
            check_output_outside_cutouts(folder, source)
    except StarclassError:
        root = resolved(source if Path(source).is_dir() else Path(source).parent)
        return short_path(os.path.relpath(root.parent / Path(output).name))
    return None


def cutout_rows(catalogue: Table, cutouts: CutoutSet, *, name: str = "classified output") -> np.ndarray:
    """Row of ``cutouts`` for every row of a classified cutout output, matched by ``file``.

    ``starclass classify --stamps`` keeps the folder's ``file`` column, so the output may be
    filtered or re-ordered and still find its images.

    Parameters
    ----------
    catalogue
        Table with a ``file`` column (as written in the cutout CSV).
    cutouts
        The folder read with :func:`starclass.io.cutout_folders.read_cutout_folder`.
    name
        Names the table in messages.

    Returns
    -------
    numpy.ndarray
        int64 index into ``cutouts`` per catalogue row.

    Raises
    ------
    StarclassError
        No ``file`` column, or a file (named with its row) that the folder does not hold.

    Examples
    --------
    >>> cs = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=Table(), files=["a.png", "b.png"],
    ...                labels=None, groups=np.array(["a", "b"]))
    >>> cutout_rows(Table({"file": ["b.png", "a.png"]}), cs).tolist()
    [1, 0]
    """
    # the column classify --stamps --file-column recorded (filename), else file
    col = str(catalogue.meta.get("file_column") or "")
    col = col if col in catalogue.colnames else "file"
    if col not in catalogue.colnames:
        raise StarclassError(f"{name}: no 'file' column to find the cutouts of {cutouts.source} by")
    index = {f: i for i, f in enumerate(cutouts.files)}
    cells = np.asarray(catalogue[col]).astype(str).tolist()  # str, not np.str_: its repr is named
    named: dict[str, int] = {}
    roots: list[Path] | None = None
    if any(f.strip() not in index for f in cells) and cutouts.root is not None:
        # the same cutouts listed otherwise (a classification of a list that gave absolute paths, report --stamps
        # the list that gave them relative): "row 1 has file '/data/b/x.png', which b/labels.csv does not list"
        named = {str(listed_path(cutouts.root, f).resolve()): i for i, f in enumerate(cutouts.files)}
        try:
            # a relative record is relative to the table's folder, as every reader takes it (not to the working one)
            roots = row_folders(catalogue, name, Path(catalogue.meta.get(TABLE_FOLDER) or "."), files=cells)
        except StarclassError:
            roots = None
    out = np.empty(len(catalogue), dtype=np.int64)
    for i, f in enumerate(cells):
        j = index.get(f.strip())
        if j is None and named and (Path(f.strip()).is_absolute() or roots is not None):
            base = Path("/") if roots is None else roots[i]
            j = named.get(str(listed_path(base, f.strip()).resolve()))
        if j is None:
            raise StarclassError(f"{name}: row {i + 1} has file {f!r}, which {cutouts.source} does not list")
        out[i] = j
    return out


def model_label_column(source: str | os.PathLike, given: str | None, trained_on: str | None,
                       model: str = "the model") -> tuple[str, str | None]:
    """The label column of a cutout folder scored against (or calibrating) a model, and a line saying so.

    A column given on the command line is used as it is. Otherwise ``label``, the folder's own
    labels, unless the model was trained on another column (``train --label-column``, recorded
    in its manifest) that holds other classes than ``label`` does: a galaxy-cluster folder has a
    binary ``label`` beside five ``expert`` classes, and a five-class model trained on ``expert``
    was scored (and calibrated) against the binary one, whose 1 and 2 read as two of its five
    classes. A model trained on labels of the same classes as ``label`` (the volunteers'
    ``consensus``, 1 or 2 as the experts' ``label``) is still scored against ``label``, the
    reference, with a note.

    Parameters
    ----------
    source
        The cutout folder (a CSV, or a directory with ``labels.csv``).
    given
        ``--label-column`` as given (None: not given).
    trained_on
        The model's recorded label column (:attr:`starclass.learn.checkpoint.LoadedModel.training_label_column`).
    model
        The model, for the line.

    Returns
    -------
    (str, str or None)
        The column, and a note (which column and why) or a warning (the model's column missing
        from the folder) to print, or None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv").write_text("file,label,expert,consensus\\na.fits,1,2,1\\nb.fits,2,5,2\\n")
    >>> model_label_column(d, None, "expert", "m5")[0], model_label_column(d, "label", "expert")[0]
    ('expert', 'label')
    >>> model_label_column(d, None, "consensus", "m5")[0], model_label_column(d, None, None)
    ('label', ('label', None))
    """
    if given is not None:
        return given, None
    if trained_on is None or trained_on == "label":
        return "label", None
    values = csv_values(Path(source), (trained_on, "label"))
    if trained_on not in values:
        return "label", (f"warning: {model} was trained on the labels of column {trained_on!r}, which {source} "
                         "lacks; its 'label' column is used instead (it may hold another class scheme): give "
                         "--label-column to choose")
    if "label" in values and values["label"] == values[trained_on]:
        return "label", (f"note: {model} was trained on column {trained_on!r}; scored against the folder's 'label' "
                         f"(the same classes; --label-column {trained_on} to score against the labels it learnt)")
    other = "" if "label" not in values else f" ('label' holds other classes: {', '.join(sorted(values['label']))})"
    return trained_on, (f"note: labels from column {trained_on!r}, the one {model} was trained on{other} "
                        "(--label-column to choose another)")


def csv_values(source: str | os.PathLike, columns: tuple[str, ...]) -> dict[str, set[str]]:
    """The distinct non-empty values of ``columns`` in a cutout folder's CSV, for those it has.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv").write_text("file,label\\na.png,1\\nb.png,\\nc.png,2\\n")
    >>> {c: sorted(v) for c, v in csv_values(d, ("label", "expert")).items()}  # sorted: a set's order varies
    {'label': ['1', '2']}
    """
    source = Path(source)
    path = cutout_list_path(source)
    if not path.is_file():
        return {}
    if cutout_list_format(path) not in (None, "ascii.csv"):
        names, cells, _ = read_csv_rows(path)  # an ECSV, Parquet or FITS list
        return {c: {(r.get(c) or "").strip() for r in cells} - {""} for c in columns if c in names}
    from starclass.io.catalog import CsvLines, csv_dialect, header_cells

    encoding, sep = csv_dialect(path)
    with open_table_file(path, encoding=encoding, errors="replace", newline="") as f:
        rows = csv.reader(CsvLines(f), delimiter=sep)  # '#' comment lines skipped, as read_csv_rows does
        header = [h.strip() for h in header_cells(rows)]
        idx = {c: header.index(c) for c in columns if c in header}
        out: dict[str, set[str]] = {c: set() for c in idx}
        for row in rows:
            for c, i in idx.items():
                if i < len(row) and row[i].strip():
                    out[c].add(row[i].strip())
    return out


def csv_header(source: str | os.PathLike) -> list[str]:
    """The header of a cutout folder's CSV (the file, or a directory's labels.csv); [] without one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv").write_text("file, label\\na.png,galaxy\\n")
    >>> csv_header(d), csv_header(d / "none.csv")
    (['file', 'label'], [])
    """
    source = Path(source)
    from starclass.io.catalog import CsvLines, csv_dialect, header_cells

    path = cutout_list_path(source)
    if not path.is_file():
        return []  # an ImageFolder directory: its labels are its sub-folders' names
    if cutout_list_format(path) not in (None, "ascii.csv"):
        try:
            return read_csv_rows(path)[0]  # an ECSV, Parquet or FITS list
        except StarclassError:
            return []  # the list's reader says what is wrong with it
    encoding, sep = csv_dialect(path)
    with open_table_file(path, encoding=encoding, errors="replace", newline="") as f:
        names = [h.strip() for h in header_cells(csv.reader(CsvLines(f), delimiter=sep))]
    from starclass.io.catalog import is_index_header

    return names[1:] if is_index_header(names) else names  # pandas' index column: left out, as the reader does
