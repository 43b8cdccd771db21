"""Cutout folders on the classification page: ``starclass inspect --stamps LIST --task TASK``.

Most people hold their real data as cutout folders (:mod:`starclass.io.cutout_folders`: a CSV
of ``file``, ``label`` and a group column, or an ImageFolder directory), not as FITS mosaics
with a candidate catalogue. This module lets the page, its database, its accounts and its
export serve such a folder unchanged:

* **the list** (:func:`read_cutout_list`) is a cutout CSV or directory, a ``classify --stamps``
  output, or ``suggest``'s output on one. Its ``file`` paths are relative to the folder the list
  records (``cutout_root``, a column or meta that ``classify --stamps`` writes and ``suggest``
  keeps), else to the list's own folder, as ``train --stamps`` reads them;
* **one candidate per row**, its id the ``file`` cell as the list writes it (the first
  ``file_<band>`` for several bands): a cutout keeps its id in the folder's CSV, in its
  classification and in the suggestions made from it, so their labels are one set;
* **the labels** are the task's classes (:func:`task_scheme`: ``m31-real`` gives the keys
  1 = cluster and 2 = galaxy), the names being the label strings the task's ``label_map``
  reads back (:func:`label_strings`);
* **the pictures** (:class:`CutoutRenderCache`): the cutout itself, grey, or in colour for an
  RGB image or three bands, zoomed to the page's 246 px; 8-bit pictures (PNG, JPEG, ... of
  8 bits, usually stretched already, e.g. PAndAS's ZScale) are shown as stored, all others
  (FITS, NPY, 16-bit) stretched as the page's mosaic stamps (asinh from the median to the
  99.5th percentile); the radial profile is the page's, from the cutout's centre out to a
  quarter of the cutout (at least 8 px); the context panel shows the whole cutout at a
  smaller zoom with the profile's radius drawn (there is no mosaic around a cutout);
* **the export** (:func:`export_catalogue`) is what ``train --stamps`` reads directly:
  ``file`` relative to the export's folder, ``label`` (the people's mode as a label
  string), the group column, each person's ``class_h<k>`` and the agreement columns.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy.table import Table
from PIL import Image, ImageDraw

from starclass.errors import StarclassError, refuse_no_rows
from starclass.inspect.field import Field
from starclass.inspect.render import (
    _MPL_LOCK,
    RenderCache,
    RenderSettings,
    _png_from_rgb,
    _scale,
    display_plane,
    profile_png,
    user_cache_root,
)
from starclass.inspect.schemes import LabelScheme, task_scheme
from starclass.io.atomic import atomic_path
from starclass.io.counts import photon_counts
from starclass.io.cutout_folders import (
    file_is_a_band_copy,
    is_hdf5,
    mixed_sizes_note,
    pad_to_square,
    padded_note,
    read_csv_rows,
    recorded_folder,
    row_folders,
    stamp_store_error,
    stored_group_column,
)
from starclass.io.cutout_output import CUTOUT_OUTPUT_NAMES, cutout_output_format
from starclass.io.mosaic import ZERO_PADDING_PX, padding_side, zero_padding
from starclass.io.paths import resolved
from starclass.io.task_like import TaskLike
from starclass.schema import CLASS_REF, CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE, ID

#: Display pixels the page gives the composite (``index.html``); the cutout is zoomed to about this.
PAGE_PIXELS = 246
#: Display pixels of the page's second panel (the context view of mosaics).
CONTEXT_PIXELS = 161
#: PIL modes of 8-bit pictures: shown as stored (they carry their own display stretch).
EIGHT_BIT_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


@dataclass
class CutoutList:
    """The cutouts one ``inspect --stamps`` serves (:func:`read_cutout_list`).

    Attributes
    ----------
    source : pathlib.Path
        The list read (a CSV or table file, or a directory).
    table : astropy.table.Table
        Its rows, every column.
    ids : list of str
        The candidate id of each row: its (first) file as the list writes it.
    file_columns : list of str
        ``["file"]`` or the ``file_<band>`` columns read, in channel order.
    paths : list of list of pathlib.Path
        Each row's resolved files, one per file column.
    images : numpy.ndarray
        float32 ``[N, C, H, W]``, row 0 at the **bottom** (as the page draws mosaic stamps).
    as_stored : numpy.ndarray
        bool per row: an 8-bit picture, shown as stored rather than stretched.
    bands : list of str
        The bands of the ``file_<band>`` columns (``[]`` for one ``file``).
    group_column : str or None
        The task's group column, when the list has it.
    plane_bands : list of str
        The bands of the planes of one ``file`` of several (a FITS or NPY cube): what the FITS
        headers name (``BAND0``..., :func:`~starclass.io.cutout_folders.fits_plane_bands`), else the
        task's bands when they are as many; ``[]`` for pictures (their red, green and blue are shown).
    task_planes : list of int
        The planes the FITS headers name as the task's bands where they are fewer than the planes
        (:func:`~starclass.io.cutout_folders.named_planes`: the g plane of a g, r, z cube for a g task):
        what the model is given, so the grey stamp and profile show it; ``[]`` otherwise.
    named_cubes : int
        How many rows' cubes name their planes in their headers: where only some do, the planes are
        averaged, and the page's note says how many are named
        (:func:`~starclass.io.cutout_folders.averaged_planes_note`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from starclass.learn.config import get_preset
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "cluster").mkdir()
    >>> np.save(d / "cluster" / "a.npy", np.ones((8, 8)))
    >>> cl = read_cutout_list(d, get_preset("m31-real"))
    >>> cl.ids, cl.images.shape, cl.bands
    (['cluster/a.npy'], (1, 1, 8, 8), [])
    """

    source: Path
    table: Table
    ids: list[str]
    file_columns: list[str]
    paths: list[list[Path]]
    images: np.ndarray
    as_stored: np.ndarray
    bands: list[str] = field(default_factory=list)
    group_column: str | None = None
    plane_bands: list[str] = field(default_factory=list)
    task_planes: list[int] = field(default_factory=list)
    named_cubes: int = 0

    @property
    def folder(self) -> Path:
        """The folder of the list (the directory itself for an ImageFolder directory).

        Examples
        --------
        A class-per-folder directory is its own folder; a list file's is the one it lies in:

        >>> import dataclasses, tempfile, pathlib
        >>> from starclass.learn.config import get_preset
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> (d / "cluster").mkdir()
        >>> np.save(d / "cluster" / "a.npy", np.ones((8, 8)))
        >>> cl = read_cutout_list(d, get_preset("m31-real"))
        >>> cl.folder == d, dataclasses.replace(cl, source=d / "cluster" / "list.csv").folder == d / "cluster"
        (True, True)
        """
        return self.source if self.source.is_dir() else self.source.parent


def _is_eight_bit(path: Path) -> bool:
    """Whether a picture file holds 8-bit values (its header only is read)."""
    from starclass.io.cutout_folders import deep_colour_picture, image_format

    if image_format(path) not in ("png", "jpeg", "tiff", "bmp", "webp"):
        return False
    if deep_colour_picture(path):
        # 16-bit colour opens in PIL's 8-bit "RGB" mode: taken for a stretched 8-bit picture, it was shown
        # without a stretch, as a 16-bit grey picture is not
        return False
    try:
        with Image.open(path) as img:
            return img.mode in EIGHT_BIT_MODES
    except OSError:
        return False  # unreadable: read_image refuses the file, naming its row, before this is asked


def _csv_root_elsewhere(path: Path) -> bool:
    """Whether a CSV records a ``cutout_root`` other than its own folder (a classification moved away)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the reader that reads the list next says it (pandas' index column)
            # the cutout folders' reader: a classification saved again by a spreadsheet (';') was read here as one
            # column, its recorded folder not seen, and every file looked for beside the CSV
            names, rows, _ = read_csv_rows(path)
        if CUTOUT_ROOT not in names:
            return False
        here = resolved(path.parent)
        return any((f := recorded_folder(row.get(CUTOUT_ROOT), path.parent)) is not None and resolved(f) != here
                   for row in rows)
    except StarclassError:
        return False  # read_cutout_folder says what is wrong with it


def _band_columns(names: list[str], bands: list[str]) -> list[str]:
    """The ``file_<band>`` columns of ``bands`` (all of them, in table order, when the task's are not all there)."""
    by_band = {c[5:].lower(): c for c in names if c.lower().startswith("file_")}
    if bands and all(b.lower() in by_band for b in bands):
        return [by_band[b.lower()] for b in bands]
    return list(by_band.values())


def read_cutout_list(source: str | os.PathLike, cfg: TaskLike, *, file_column: str | None = None) -> CutoutList:
    """Read the cutouts ``inspect --stamps`` serves: a cutout folder, or a classification or suggestion of one.

    Parameters
    ----------
    source : str or os.PathLike
        A cutout CSV or directory (read with
        :func:`starclass.io.cutout_folders.read_cutout_folder`, unlabelled rows allowed), or a
        table (CSV, ECSV, Parquet, FITS) with ``file`` (or ``file_<band>``) columns such as
        ``classify --stamps`` and ``suggest`` write: its files are relative to its
        ``cutout_root`` (column, else meta), else to its own folder.
    cfg : starclass.learn.config.TaskConfig
        The task: its bands pick the ``file_<band>`` columns, its ``group_column`` is kept.
    file_column : str, optional
        The column of image files (``inspect --stamps --file-column filename``); None: ``file``
        (or the ``file_<band>`` columns, or the column a classified CSV records).

    Returns
    -------
    CutoutList

    Raises
    ------
    StarclassError
        A missing list or file (named with its row), an unreadable or non-square image,
        images of different shapes, a file listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from starclass.learn.config import get_preset
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (d / lab).mkdir()
    ...     np.save(d / lab / "a.npy", np.ones((8, 8)))
    >>> read_cutout_list(d, get_preset("m31-real")).ids
    ['cluster/a.npy', 'galaxy/a.npy']
    """
    from starclass.io.cutout_folders import (
        cutout_list_path,
        drawing_origin,
        fits_plane_bands,
        image_format,
        listed_file,
        named_planes,
        read_cutout_folder,
        read_image,
    )

    src = Path(source)
    if not src.exists():
        raise StarclassError(f"--stamps {src}: no such file or directory")
    csv_path = cutout_list_path(src)  # a folder's labels.csv, else its labels.csv.gz
    from starclass.io.compressed_text import table_suffix

    if src.is_dir() or (table_suffix(src) == ".csv" and not _csv_root_elsewhere(csv_path)):
        # the folder as train --stamps reads it: the same checks, the same messages
        from starclass.stamps.images import cutout_resampler

        cs = read_cutout_folder(src, group_column=stored_group_column(cfg.group_column), require_group=False,
                                require_labels=False,
                                bands=list(cfg.bands) or None, bands_of=f"task {cfg.name!r}", keep_planes=True,
                                resample=cutout_resampler(cfg), label_map=cfg.label_map,
                                file_column=file_column or "file")
        table = cs.table
        # a list naming its files in 'filename' (--file-column): keyed by that column, as classify records it
        cols = _band_columns(table.colnames, cs.bands) if cs.bands else [cs.file_column]
        roots = [cs.root] * len(table)
        images = cs.images
        plane_bands = cs.plane_bands
        taken = cs.taken_planes
        named = cs.named_cubes
    else:
        table, cols, roots = _read_listed_table(src, cfg, file_column)
        images = None
        plane_bands = []
        taken = None
    ids = [str(v).strip() for v in np.asarray(table[cols[0]]).astype(str)]
    if CLASS_REF in table.colnames:
        from starclass.io.catalog import class_values

        # the list's own class_ref, checked as every catalogue reader checks it: a 7 under a five-class task was
        # taken by --init and exported as class_ref_catalogue, a class no task of this list knows
        class_values(table, CLASS_REF, where=f" of --stamps {src}", ids=np.asarray(ids),
                     classes=cfg.catalogue_classes if cfg is not None else ())
    # as the reader found them: a Windows CSV's 'cluster\\a.png', a Mac's accents (a path joined here named
    # no file, so an 8-bit picture was taken for a stretched one and left out of what the page serves)
    # a recorded cutout_root that is gone falls back to the list's folder, as classify --stamps reads it
    # (listed_file: one rule); inspect refused the list that classify read
    here = csv_path.parent if src.is_dir() else src.parent
    paths = [[listed_file(Path(r), str(row[c]).strip(), here) for c in cols] for row, r in zip(table, roots)]
    if images is None:
        from starclass.stamps.images import cutout_resampler

        images = _read_rows(src, paths, cols, read_image, resample=cutout_resampler(cfg))
        cube_names = [fits_plane_bands(ps[0]) for ps in paths] if len(cols) == 1 and images.shape[1] > 1 else []
        named = sum(n is not None for n in cube_names)
        # the first named cube's names, as read_cutout_folder gives them (the first row's, when it names none, were [])
        plane_bands = next((n for n in cube_names if n is not None), [])
        # by name only where every cube's header names its planes so, as read_cutout_folder takes them
        taken = named_planes(plane_bands, cfg.bands) if plane_bands and all(
            n == plane_bands for n in cube_names) else None
    if len(set(ids)) != len(ids):
        dup = next(i for i, v in enumerate(ids) if ids.index(v) != i)
        raise StarclassError(f"{src}: row {dup + 1}: file {ids[dup]!r} is listed twice (first in row "
                             f"{ids.index(ids[dup]) + 1})")
    # stored row 0 at the bottom, as the page draws the stamps of FITS mosaics: a PNG (row 0 at
    # the top) was shown upside down
    images = np.array(images, dtype=np.float32)
    for i, row_paths in enumerate(paths):
        if drawing_origin(row_paths[0]) == "upper":
            images[i] = images[i][:, ::-1, :]
    as_stored = np.array([all(_is_eight_bit(p) for p in ps) for ps in paths])
    # 'filename' (--file-column) names no band, as 'file' does not
    bands = [c[5:] for c in cols] if len(cols) > 1 or cols[0].lower().startswith("file_") else []
    cubes = all(image_format(ps[0]) in ("fits", "npy") for ps in paths)
    if not bands and not plane_bands and cubes and images.shape[1] > 1 and len(cfg.bands) == images.shape[1]:
        plane_bands = list(cfg.bands)  # a cube's planes are the task's bands, in its order (as the model reads them)
    group = cfg.group_column if cfg.group_column and cfg.group_column in table.colnames else None
    # read_cutout_folder(keep_planes=True) keeps every plane for the composite; the model takes these
    taken = taken if cubes and not bands else None
    return CutoutList(source=src, table=table, ids=ids, file_columns=cols, paths=paths, images=images,
                      as_stored=as_stored, bands=bands, group_column=group,
                      plane_bands=list(plane_bands) if cubes else [], task_planes=list(taken or []),
                      named_cubes=named if cubes else 0)


def _read_listed_table(src: Path, cfg, file_column: str | None = None) -> tuple[Table, list[str], list[Path]]:
    """A classified or suggested list: its table, file columns and the folder of each row's files."""
    fmt = cutout_output_format(src)
    if src.is_file() and is_hdf5(src):
        # the store `starclass cutouts` writes: "give a cutout folder ... or a classified or suggested list"
        # did not say what it is, nor what inspect serves its candidates from (as classify --stamps now says)
        raise stamp_store_error(f"--stamps {src}")
    if fmt is None or not src.is_file():
        from starclass.io.catalog import refuse_database

        # --stamps inspect.sqlite (the page's own database, by the list it served) said only "give a cutout folder"
        refuse_database(src, instead="a cutout folder (a CSV or a directory) nor a classified or suggested list")
        raise StarclassError(f"--stamps {src}: give a cutout folder (a CSV or a directory) or a classified or "
                             f"suggested list of one ({CUTOUT_OUTPUT_NAMES})")
    try:
        from starclass.io.cutout_output import read_table_as

        # a list saved again by Excel (byte-order mark, ';') was "no 'file' column" beside a column shown as file
        table = read_table_as(src, fmt)
    except StarclassError as exc:
        raise StarclassError(f"--stamps: {exc}") from None
    except Exception as exc:  # astropy raises many kinds for a broken table
        if fmt == "fits" and isinstance(exc, OSError):
            from starclass.io.mosaic import unreadable_fits

            # the FITS readers' words: a zip of several files was "cannot read it (OSError: Zip files with multiple
            # members are not supported.)", a .fits.Z astropy's ModuleNotFoundError
            raise StarclassError(f"--stamps: {unreadable_fits(src, exc)}") from None
        raise StarclassError(f"--stamps {src}: cannot read it ({type(exc).__name__}: {exc})") from None
    # a classification of a several-band folder: its 'file' is classify's copy of the first band's
    copy = file_is_a_band_copy(table.colnames, lambda c: np.asarray(table[c]).astype(str).tolist())
    cols = ["file"] if "file" in table.colnames and not copy else _band_columns(table.colnames, list(cfg.bands))
    if file_column is not None:
        if file_column not in table.colnames:
            raise StarclassError(f"--stamps {src}: no column {file_column!r} (--file-column, the cutouts' files); "
                                 f"columns: {', '.join(table.colnames)}")
        cols = [file_column]
    if not cols:
        from starclass.io.cutout_folders import file_column_hint

        cells = [{c: str(v) for c, v in zip(table.colnames, row)} for row in table]
        raise StarclassError(f"--stamps {src}: no 'file' column (nor 'file_<band>' columns); columns: "
                             f"{', '.join(table.colnames)}{file_column_hint(table.colnames, cells, src.parent)}")
    refuse_no_rows(table, src, "--stamps")
    for c in cols:
        # a masked (empty) cell was read as the text '--' and refused as "file '--': no such file"
        cells = np.ma.asarray(table[c])
        empty = np.ma.getmaskarray(cells) | (np.char.strip(cells.filled("").astype(str)) == "")
        if empty.any():
            raise StarclassError(f"--stamps {src}: row {int(np.flatnonzero(empty)[0]) + 1}: empty {c!r} (every row "
                                 "names its cutout file)")
    # empty or NaN cells record nothing (the list's own folder); read as text, 'nan' was a folder
    roots = row_folders(table, f"--stamps {src}", src.parent)
    return table, cols, roots if roots is not None else [src.parent] * len(table)


def _read_rows(src: Path, paths: list[list[Path]], cols: list[str], read_image, resample=None) -> np.ndarray:
    """Each row's files stacked as channels; refused, naming the row, when missing or of another shape.

    ``resample``: a task's :func:`starclass.stamps.images.cutout_resampler` (``mixed_sizes``): rows of other
    sizes are taken, each resampled over its field, as ``read_cutout_folder`` takes them.
    """

    images: list[np.ndarray] = []
    padded: list[tuple[int, int, int]] = []
    for i, row_paths in enumerate(paths):
        planes = []
        for c, p in zip(cols, row_paths):
            if not p.is_file():
                raise StarclassError(f"--stamps {src}: row {i + 1}: {c} {p.name!r}: no such file ({p}); the files are "
                                     f"relative to the list's {CUTOUT_ROOT} (else its folder)")
            try:
                planes.append(read_image(p))
            except StarclassError as exc:
                raise StarclassError(f"--stamps {src}: row {i + 1}: {exc}") from None
        img = np.concatenate(planes, axis=0)
        if img.shape[-1] != img.shape[-2]:
            # as train and classify read them (read_cutout_folder): padded with NaN, where this list was refused
            padded.append((i, img.shape[-2], img.shape[-1]))
            img = pad_to_square(img)
        other_size_taken = resample is not None and bool(images) and img.shape[0] == images[0].shape[0]
        if images and img.shape != images[0].shape and not other_size_taken:
            raise StarclassError(f"--stamps {src}: row {i + 1}: {row_paths[0]} has shape {img.shape} (channels, "
                                 f"height, width) but row 1's is {images[0].shape}; all cutouts must have one"
                                 + padded_note(padded, len(paths), files=[Path(ps[0]).name for ps in paths],
                                               numbered=True, refused=True))
        images.append(img)
    if padded:
        warnings.warn(f"--stamps {src}: " + padded_note(padded, len(paths), files=[Path(ps[0]).name for ps in paths],
                                                        numbered=True), UserWarning, stacklevel=2)
    if resample is not None and len({img.shape[-1] for img in images}) > 1:
        sizes = [int(img.shape[-1]) for img in images]
        images = [np.asarray(resample(img), dtype=np.float32) for img in images]
        warnings.warn(f"--stamps {src}: " + mixed_sizes_note(sizes, int(images[0].shape[-1])), UserWarning,
                      stacklevel=2)
    return np.stack(images)


#: Rough effective wavelengths (Angstrom) of survey bands that :data:`starclass.bands.BANDS` does not
#: describe, only to order a composite's colours: SDSS, Pan-STARRS1, DECam and the Legacy Surveys (u to Y),
#: 2MASS/UKIRT (J, H, K, Ks), WISE (W1-W4), GALEX (FUV, NUV). r and z were unknown, so a Legacy Survey
#: g, r, z cutout was drawn in stored order: g red, z blue.
_SURVEY_BAND_WAVELENGTH = {
    "fuv": 1530.0, "nuv": 2300.0, "u": 3560.0, "g": 4770.0, "r": 6230.0, "i": 7630.0, "z": 9130.0, "y": 9900.0,
    "j": 12350.0, "h": 16620.0, "k": 21900.0, "ks": 21590.0, "w1": 33500.0, "w2": 46000.0, "w3": 115600.0,
    "w4": 220800.0,
}


def band_wavelength(band: str) -> float | None:
    """A band's wavelength (Angstrom) for ordering colours: its pivot where known, else a survey band's typical one.

    Parameters
    ----------
    band : str
        A band name (case ignored).

    Returns
    -------
    float or None
        None for a band of unknown wavelength.

    Examples
    --------
    >>> band_wavelength("z") > band_wavelength("r") > band_wavelength("g")
    True
    >>> band_wavelength("b1") is None
    True
    """
    from starclass.bands import BANDS

    key = band.lower()
    if key in BANDS:
        return float(BANDS[key].photplam)
    return _SURVEY_BAND_WAVELENGTH.get(key)


def _rgb_order(bands: list[str]) -> list[int]:
    """Channels shown as red, green, blue: the longest wavelength red where the bands are known.

    Examples
    --------
    >>> _rgb_order(["g", "r", "z"])  # a Legacy Survey cube: z red, r green, g blue
    [2, 1, 0]
    >>> _rgb_order(["b1", "b2", "b3"])
    [0, 1, 2]
    """
    waves = [band_wavelength(b) for b in bands]
    if bands and all(w is not None for w in waves):
        return sorted(range(len(bands)), key=lambda j: -waves[j])
    return list(range(len(bands) or 3))  # an RGB file: R, G, B as stored


@dataclass
class CutoutRenderCache(RenderCache):
    """The page's picture cache for cutouts: the same files, kinds and routes, pictures of the cutout itself.

    ``images`` are float32 ``[N, C, H, W]`` (row 0 at the bottom), ``as_stored`` flags the
    8-bit pictures shown without a new stretch, ``grey`` is what the stamp canvas and the
    profile use (``mean``: the average of an RGB file's channels; else the channel number),
    ``colour`` the channels of the composite (three of them, or one for grey). ``padding_sides``:
    channel -> the side (px) of the squares of exact zeros read as a cutout's padding
    (:func:`list_padding_side`, decided on the whole list as a mosaic decides on its whole image),
    and ``"mean"`` for the mean of an RGB file's channels; ``counts`` the channels of photon counts
    (:func:`list_counts`), drawn smoothed (:func:`~starclass.inspect.render.display_plane`).

    Examples
    --------
    :func:`cutout_cache` makes one from a list; a grey cutout is its own grey plane and its composite:

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "cluster").mkdir()
    >>> np.save(d / "cluster" / "a.npy", np.arange(64, dtype="f4").reshape(8, 8))
    >>> root = Path(tempfile.mkdtemp())  # the pictures' folder: never beside the cutouts
    >>> cache = cutout_cache(read_cutout_list(d, get_preset("m31-real")), root)
    >>> isinstance(cache, CutoutRenderCache), cache.images.shape, cache.grey, cache.colour
    (True, (1, 1, 8, 8), 0, (0,))
    >>> bool((cache.plane(0) == cache.images[0, 0]).all()), cache.dir.parent == root
    (True, True)
    """

    images: np.ndarray = None
    as_stored: np.ndarray = None
    grey: str | int = 0
    colour: tuple[int, ...] = (0,)
    padding_sides: dict[str | int, int] = field(default_factory=dict)
    counts: frozenset = frozenset()

    def __post_init__(self) -> None:
        if not self.padding_sides:
            stretched = ~np.asarray(self.as_stored, dtype=bool)
            sides: dict[str | int, int] = {j: list_padding_side(self.images[stretched, j])
                                           for j in range(self.images.shape[1])}
            # a square of zeros in the mean is one in every channel: the smallest channel's side finds
            # padding there and, at that channel's chance, no sky
            sides["mean"] = min(sides.values())
            self.padding_sides = sides
        # a cache folder per settings and pixels: another list, or changed files, never get stale pictures
        h = hashlib.sha256(self.settings.key().encode())
        h.update(np.ascontiguousarray(self.images).tobytes())
        h.update(np.asarray(self.as_stored, dtype=bool).tobytes())
        h.update(repr((self.grey, self.colour)).encode())
        if self.counts:
            h.update(repr(sorted(self.counts, key=str)).encode())  # drawn smoothed: not the pictures of before
        if any(v != ZERO_PADDING_PX for v in self.padding_sides.values()):
            # pictures cached before the counts side (5 x 5 squares: the sparse sky masked) are not served
            h.update(repr(sorted(self.padding_sides.items(), key=str)).encode())
        # made on first use; a read-only folder of cutouts (--db elsewhere): the user's cache instead of a traceback
        self._set_folder(Path(self.root) / f"cutouts-{h.hexdigest()[:12]}")

    def plane(self, row: int) -> np.ndarray:
        """The grey picture of a row (float32, row 0 at the bottom)."""
        img = self.images[row]
        return img.mean(axis=0) if self.grey == "mean" else img[int(self.grey)]

    def _shown(self, a: np.ndarray, row: int, channel: str | int) -> np.ndarray:
        # an 8-bit picture carries its own stretch (PAndAS: ZScale): restretched it looked unlike the survey's
        if self.as_stored[row]:
            return np.clip(np.nan_to_num(a, nan=0.0), 0.0, 1.0).astype(np.float32)
        # a stamp cut at its image's edge padded with 0 (blocks of exact zeros, as a drizzled mosaic's
        # padding is found): the zeros set the stretch, black at 0 and the sky's noise bright. Kept where
        # the rest is one value (a noiseless drawing on a background of 0: its zeros are the picture).
        # The list's side: 5 x 5 squares took 38-45% of the sky of a 0.1 counts/px cutout for padding
        pad = zero_padding(np.nan_to_num(a, nan=1.0), side=self.padding_sides.get(channel, ZERO_PADDING_PX))
        rest = a[~pad & np.isfinite(a)]
        if pad.any() and rest.size and rest.min() < rest.max():
            a = np.where(pad, np.nan, a)
        return _scale(display_plane(a, channel in self.counts), lo_pct=50.0, min_range_sigma=25.0)

    def stamp(self, row: int) -> dict:
        """The grey picture as numbers for the page's contrast control (rows bottom to top)."""
        a = self.plane(row)
        finite = a[np.isfinite(a)]
        values = [[None if not np.isfinite(v) else round(float(v), 5) for v in r] for r in a]
        pct = {str(p): float(np.percentile(finite, p)) for p in (1, 50, 99, 99.9)} if finite.size else {}
        # an 8-bit picture carries its own stretch (PAndAS: ZScale): the page's contrast control, made for
        # counts (black below the median, asinh above), drew it almost pure black and white; the page shows
        # such a stamp as stored, the contrast control only brightening or darkening it (inspect.js)
        return {"size": int(a.shape[0]), "values": values, "percentiles": pct, "band": self.settings.v_band,
                "as_stored": bool(self.as_stored[row])}

    def neighbours(self, row: int) -> list[tuple[float, float, str]]:
        return []  # a cutout has no catalogue around it

    def _render_kind(self, row: int, kind: str) -> None:
        s = self.settings
        c = float(self.xs[row])
        p = self.path(row, kind)
        if kind == "composite":
            planes = [self._shown(self.images[row][j], row, j) for j in self.colour]
            rgb = np.stack(planes * 3 if len(planes) == 1 else planes, axis=-1)
            png = _png_from_rgb(rgb, s.zoom)
        elif kind == "profile":
            with _MPL_LOCK:
                png, fit = profile_png({s.v_band: self.plane(row)}, c, c, s, None)
            self.fits[row] = fit
            with atomic_path(self.dir / f"{int(row):07d}_fit.json") as tmp:
                tmp.write_text(json.dumps(fit))
        else:
            png = self._whole(row)
        with atomic_path(p) as tmp:
            tmp.write_bytes(png)

    def _whole(self, row: int) -> bytes:
        """The whole grey cutout at a smaller zoom, with the circle the profile is measured in."""
        g = (self._shown(self.plane(row), row, self.grey) * 255).astype(np.uint8)[::-1]
        z = self.settings.context_zoom
        img = Image.fromarray(g).convert("RGB").resize((g.shape[1] * z, g.shape[0] * z), Image.NEAREST)
        draw = ImageDraw.Draw(img)
        cx = (float(self.xs[row]) + 0.5) * z
        rad = self.settings.profile_radius * z
        draw.ellipse((cx - rad, cx - rad, cx + rad, cx + rad), outline="cyan", width=1)
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=1)
        return buf.getvalue()


def list_padding_side(planes: np.ndarray) -> int:
    """:func:`~starclass.io.mosaic.padding_side` of one channel of a cutout list, decided on all its cutouts.

    A cutout has no mosaic around it, so the list is read as one: its cutouts stacked, one NaN
    row between two (a square of zeros never spans two cutouts, and NaN is left out of the
    decision), so a list of photon counts gets the side its sky needs, and a cutout mostly of
    padding does not decide alone.

    Parameters
    ----------
    planes : numpy.ndarray
        ``[N, H, W]``: the channel of each cutout (8-bit pictures left out).

    Returns
    -------
    int
        5 for data with noise; more for sparse counts.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> list_padding_side(rng.poisson(0.1, (20, 41, 41)).astype(np.float32))
    15
    >>> list_padding_side(rng.normal(0, 1, (20, 41, 41)).astype(np.float32))
    5
    """
    return padding_side(_column(planes)) if len(planes) else ZERO_PADDING_PX


def list_counts(planes: np.ndarray) -> bool:
    """:func:`~starclass.io.counts.photon_counts` of one channel of a cutout list, decided on all its cutouts.

    Read as :func:`list_padding_side` reads the list: its cutouts stacked, one NaN row between two.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> list_counts(rng.poisson(0.1, (20, 41, 41)).astype(np.float32))
    True
    """
    return bool(len(planes)) and photon_counts(_column(planes))


def _column(planes: np.ndarray) -> np.ndarray:
    """``[N, H, W]`` cutouts as one image, a NaN row between two (squares of zeros never span two)."""
    n, h, w = planes.shape
    column = np.full((n, h + 1, w), np.nan, dtype=np.float32)
    column[:, :h] = planes
    return column.reshape(n * (h + 1), w)


def cutout_cache(cutouts: CutoutList, root: Path, *, star_fwhm: float | None = None,
                 rgb: tuple[str, str, str] | None = None) -> CutoutRenderCache:
    """The picture cache of a cutout list (pictures under ``root``).

    Parameters
    ----------
    cutouts : CutoutList
        What to show.
    root : pathlib.Path
        The cache folder.
    star_fwhm : float, optional
        FWHM (px) of the typical star drawn beside each profile (default 2.1 px).
    rgb : tuple of str, optional
        Three bands shown as red, green, blue (default: by wavelength): ``file_<band>`` bands, or
        the planes of a cube by the bands its FITS header names (``BAND0``...).

    Returns
    -------
    CutoutRenderCache

    Examples
    --------
    Two 32 px grey cutouts: shown 8 times enlarged, on a 33 px square (an odd size has a centre
    pixel), their radial profiles out to 8 px:

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (d / lab).mkdir()
    ...     np.save(d / lab / "a.npy", np.random.default_rng(0).normal(1, 0.1, (32, 32)).astype("f4"))
    >>> cache = cutout_cache(read_cutout_list(d, get_preset("m31-real")), Path(tempfile.mkdtemp()))
    >>> s = cache.settings
    >>> s.rgb, s.stamp_size, s.zoom, s.profile_radius
    (('grey', 'grey', 'grey'), 33, 8, 8.0)
    >>> sorted(cache.stamp(0))
    ['as_stored', 'band', 'percentiles', 'size', 'values']
    """
    n, nch, size, _ = cutouts.images.shape
    names = cutouts.bands
    if rgb is not None:
        # the file_<band> columns, else the planes of one cube by the bands its header names (a Legacy Survey
        # g, r, z cube: --rgb z,r,g), which were refused as "these cutouts have one file per row"
        given = names or cutouts.plane_bands
        if not given:
            what = ("one grey plane" if nch == 1 else
                    f"{nch} planes that no FITS header names (BAND0...), an RGB picture's red, green and blue "
                    "drawn as stored" if nch == 3 else f"{nch} planes that no FITS header names (BAND0...)")
            raise StarclassError(f"--rgb names three bands of the cutouts: file_<band> columns, or the planes of a "
                                 f"FITS cube whose header names them (BAND0...); these cutouts have {what}: leave "
                                 "--rgb out")
        lower = [b.lower() for b in given]
        missing = [b for b in rgb if b.lower() not in lower]
        if missing:
            of = "cutouts'" if names else "cubes' planes"
            raise StarclassError(f"--rgb: no band {', '.join(missing)} among the {of} {', '.join(given)}")
        colour = tuple(lower.index(b.lower()) for b in rgb)
    elif nch == 3:
        # a cube's planes by the bands they hold (a Legacy Survey g, r, z FITS cube: z red, r green, g blue);
        # its stored order was drawn as red, green, blue, so g red and z blue
        colour = tuple(_rgb_order(names or cutouts.plane_bands))
    elif nch == 2 and len(names) == 2:
        # two file_<band> bands (galaxy-cluster's X-ray and optical plate): the second was never drawn, so the
        # labeller judged a cluster candidate on its X-ray image alone, where the paper's volunteers saw both.
        # Red the first (or longer-wavelength) band, cyan (green and blue) the other: where both are bright, white
        red, other = _rgb_order(names)
        colour = (red, other, other)
    else:
        colour = (0,)
    grey: str | int = "mean" if (nch == 3 and not names) else 0
    if not names and cutouts.task_planes:
        # the plane the header names as the task's (first) band: what the model is given, not the mean
        grey = int(cutouts.task_planes[0])
    stretched = ~np.asarray(cutouts.as_stored, dtype=bool)
    counts = {j for j in range(nch) if list_counts(cutouts.images[stretched, j])}
    if len(counts) == nch:
        counts.add("mean")
    grey_name = names[0] if names else ("grey" if nch == 1 else "mean of RGB")
    if not names and cutouts.task_planes:
        grey_name = cutouts.plane_bands[int(grey)]
    named = names or cutouts.plane_bands
    shown = tuple(named[j] if named else "RGB"[j] for j in colour) if len(colour) == 3 else (grey_name,) * 3
    centre = (size - 1) / 2.0
    settings = RenderSettings(
        rgb=shown, v_band=grey_name, stamp_size=size if size % 2 else size + 1,
        zoom=max(1, int(round(PAGE_PIXELS / size))), context_size=size,
        context_zoom=max(1, int(round(CONTEXT_PIXELS / size))),
        # the mosaics' 8 px covered only the clipped core of a 128 px PAndAS cutout (a flat line at 1.0):
        # a quarter of the cutout shows where the light falls off, within the cutout
        profile_radius=min(max(8.0, size / 4), (size - 1) / 2),
        # "counts/s" on a PNG's 0-1 values (255 = 1) claimed a flux the picture does not hold
        value_label="pixel value (8-bit: 255 = 1)" if cutouts.as_stored.all() else "pixel value",
        star_fwhm=float(star_fwhm) if star_fwhm else 2.1,
        counts=(grey_name,) if grey in counts else ())
    xs = np.full(n, centre)
    return CutoutRenderCache(data={}, xs=xs, ys=xs.copy(), settings=settings, root=Path(root),
                             images=cutouts.images, as_stored=cutouts.as_stored, grey=grey, colour=colour,
                             counts=frozenset(counts))


def _absolute_as_given(given: str, found: Path) -> str:
    """An absolute cell of the list as it is written, where it names the file read (``found``); else ``found``.

    The reader may have found the file under another spelling (a Windows ``\\``, another Unicode
    form of an accent): then the name that exists is written.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()).resolve()
    >>> _ = (d / "a.png").write_bytes(b"")
    >>> (d / "link").symlink_to(d)
    >>> _absolute_as_given(f"{d}/link/a.png", d / "a.png") == f"{d}/link/a.png"
    True
    >>> _absolute_as_given(f"{d}/link/b.png", d / "a.png") == f"{d}/a.png"
    True
    """
    p = Path(given)
    # os.path.realpath stops at a loop of links (Path.resolve raised RuntimeError, which 'except OSError' let
    # through as a traceback) and at a name too long: then the path differs from the file read
    same = resolved(p) == found
    return p.as_posix() if same else found.as_posix()


def export_catalogue(cutouts: CutoutList, out_path: str | os.PathLike) -> Table:
    """The list as the catalogue :func:`starclass.inspect.export.export_labels` joins the labels to.

    ``id`` is each row's candidate id; the file columns are rewritten relative to the export's
    folder (so ``train --stamps OUT.csv`` finds the images wherever the list was), except those
    the list gave as absolute paths, which stay absolute; the list's
    ``cutout_root`` (and ``cutout_root_abs``) is left out (the files are no longer relative to it), and so is its own
    ``id`` when it holds these ids (an earlier export served as the list), else it is kept as
    ``id_list``. Every other column of the list is kept.

    An absolute path is kept as the list wrote it, symbolic links and all, as ``id`` keeps it: it was
    written resolved (``/work/shared/data/...`` for a list's ``/work/wt/shared/data/...``), pinned to
    where a link pointed at export time, beside an ``id`` that named the other. A relative one is
    made from the resolved paths, which name the file from the export's folder whatever links
    lie between them.

    Examples
    --------
    A folder of label sub-folders, exported beside it: the files are relative to ``round1/``.

    >>> import shutil, tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())  # the example's files: never in the folder it is run from
    >>> for lab in ("cluster", "galaxy"):
    ...     (d / "cut" / lab).mkdir(parents=True)
    ...     np.save(d / "cut" / lab / "a.npy", np.ones((8, 8)))
    >>> t = export_catalogue(read_cutout_list(d / "cut", get_preset("m31-real")), d / "round1" / "labels.csv")
    >>> t.colnames, [str(v) for v in t["id"]], [str(v) for v in t["file"]]
    (['id', 'file', 'label'], ['cluster/a.npy', 'galaxy/a.npy'], ['../cut/cluster/a.npy', '../cut/galaxy/a.npy'])
    >>> shutil.rmtree(d)
    """
    out_dir = resolved(out_path).parent
    t = cutouts.table.copy(copy_data=True)
    for name in (CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE):
        t.meta.pop(name, None)
        if name in t.colnames:
            t.remove_column(name)
    for j, c in enumerate(cutouts.file_columns):
        # a path the list gave as absolute stays absolute: made relative it became a climb of
        # ../../.. from the export's folder, which breaks as soon as either folder moves
        given = [str(v).strip() for v in t[c]]
        t[c] = [_absolute_as_given(g, ps[j]) if Path(g).is_absolute()
                else Path(os.path.relpath(ps[j], out_dir)).as_posix() for g, ps in zip(given, cutouts.paths)]
    if ID in t.colnames:
        if [str(v).strip() for v in np.ma.asarray(t[ID]).filled("").astype(str)] == list(cutouts.ids):
            # an earlier export served as the list: its id is this one (kept as id_list round after
            # round, the third export raised KeyError 'Column id_list already exists')
            t.remove_column(ID)
        else:
            name, k = f"{ID}_list", 1
            while name in t.colnames:
                k += 1
                name = f"{ID}_list{k}"
            t.rename_column(ID, name)
    t.add_column(cutouts.ids, name=ID, index=0)
    return t


def load_cutout_field(source: str | os.PathLike, cfg: TaskLike, *, predictions: str | os.PathLike | None = None,
                      cache_dir: str | os.PathLike | None = None, dataset: str = "",
                      star_fwhm: float | None = None, rgb: tuple[str, str, str] | None = None,
                      cutouts: CutoutList | None = None, make_cache: bool = True) -> Field:
    """A cutout list as the :class:`~starclass.inspect.field.Field` the page serves.

    Parameters
    ----------
    source : str or os.PathLike
        The list (:func:`read_cutout_list`).
    cfg : starclass.learn.config.TaskConfig
        The task.
    predictions : str or os.PathLike, optional
        A ``classify --stamps`` output of these cutouts (``file``, ``prob_<k>``, ``class_pred``),
        matched by ``file``; default: the list's own ``prob_<k>``/``class_pred`` (a classified or
        suggested list), for the ``uncertain`` order and the model's answer.
    cache_dir : str or os.PathLike, optional
        Where the pictures go (default: the user's cache, :func:`~starclass.inspect.render.user_cache_root`
        of the list; never beside it).
    dataset : str
        Key separating the labels of several lists in one database.
    star_fwhm : float, optional
        FWHM (px) of the typical star drawn beside each profile (default 2.1 px).
    rgb : tuple of str, optional
        Three bands shown as red, green, blue (``file_<band>`` bands, or a cube's named planes).
    cutouts : CutoutList, optional
        The list already read.
    make_cache : bool
        Make the pictures' folder now (False: on first use, or ``field.cache.make_folder()``; ``inspect``
        makes it once nothing is left to refuse).

    Returns
    -------
    starclass.inspect.field.Field
        ``kind`` ``"cutouts"``; ``data_dir`` the list's folder; ``served`` (``GET /data``) the list
        and its images inside that folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from starclass.learn.config import get_preset
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (d / lab).mkdir()
    ...     np.save(d / lab / "a.npy", np.ones((8, 8)))
    >>> f = load_cutout_field(d, get_preset("m31-real"))
    >>> f.ids, f.kind
    (['cluster/a.npy', 'galaxy/a.npy'], 'cutouts')
    """
    from starclass.inspect.field import Field, _prediction_rows, find_file

    lst = cutouts if cutouts is not None else read_cutout_list(source, cfg)
    folder = lst.folder
    cache = cutout_cache(lst, Path(cache_dir) if cache_dir else user_cache_root(lst.source), star_fwhm=star_fwhm,
                         rgb=rgb)
    pred_path = find_file(folder, predictions, (), "predictions") if predictions is not None else None
    # the task's classes: a five-class model's class_pred 5 is one, a 9 is refused naming the file and row
    preds = _prediction_rows(lst.table, pred_path, lst.ids, key=lst.file_columns[0], table_path=lst.source,
                             files=[str(ps[0]) for ps in lst.paths],
                             classes=cfg.catalogue_classes if cfg is not None else ())
    shown = tuple(lst.file_columns) + ((lst.group_column,) if lst.group_column else ())
    if make_cache:  # after the predictions' refusals: a refused list leaves no empty folder beside it
        cache.make_folder()
    listed = [lst.source] if lst.source.is_file() else []
    served = frozenset(resolved(p) for p in [*listed, *(p for ps in lst.paths for p in ps)]
                       if resolved(p).is_relative_to(resolved(folder)))
    return Field(data_dir=resolved(folder), table=lst.table, ids=lst.ids, row_of={c: i for i, c in enumerate(lst.ids)},
                 cache=cache, bands=lst.bands or [cache.settings.v_band], v_band=cache.settings.v_band,
                 predictions=preds, catalogue_path=lst.source, dataset=dataset, served=served, kind="cutouts",
                 shown=shown)


def stamps_scheme(cfg: TaskLike, scheme: str | None = None) -> LabelScheme:
    """The label scheme of ``inspect --stamps``: the task's classes, or a ``--scheme`` whose values they are.

    The buttons must give the classes the export's ``label`` maps back to: a scheme of other
    values (``m31-check``'s scores 0-2 for ``m31-real``'s classes cluster and galaxy) is refused.

    Parameters
    ----------
    cfg : starclass.learn.config.TaskConfig
        The task (``--task``).
    scheme : str, optional
        ``--scheme``; None: :func:`task_scheme`.

    Returns
    -------
    LabelScheme

    Raises
    ------
    StarclassError
        ``scheme`` is not a class scheme of exactly the task's classes.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> stamps_scheme(get_preset("legus4"), "phangs").name, stamps_scheme(get_preset("m31-real")).name
    ('phangs', 'task:m31-real')
    """
    from starclass.inspect.schemes import get_scheme

    if scheme is None:
        return task_scheme(cfg)
    s = get_scheme(scheme)
    if s.consensus != "mode" or sorted(s.allowed) != sorted(int(k) for k in cfg.classes):
        raise StarclassError(f"--scheme {s.name} ({s.describe_values()}) does not give the classes of task "
                             f"{cfg.name!r} ({', '.join(str(k) for k in cfg.classes)}), which --export writes for "
                             "train --stamps; leave --scheme out to label with the task's classes")
    return s
