"""The data one ``starclass inspect`` server shows: mosaics, candidates, model predictions.

:func:`load_field` opens a data directory into a :class:`Field`; :func:`prerender` fills its
picture cache. The web routes (:mod:`starclass.inspect.routes`) read the field from
``app.state.field``.
"""

from __future__ import annotations

import hashlib
import math
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.bands import BANDS, V_BAND_USES, require_bands, ubvi_bands, v_band, v_band_note
from starclass.errors import StarclassError
from starclass.inspect.render import RenderCache, RenderSettings, catalogue_fwhm, user_cache_root
from starclass.io.catalog import (
    check_prob_columns,
    class_values,
    pixel_sky_distance,
    place_on_mosaics,
    read_catalog,
)
from starclass.io.counts import photon_counts
from starclass.io.cutout_output import read_table_as
from starclass.io.fits_names import FITS_NAMES
from starclass.io.mosaic import PixelFlags, is_fits_name, is_weight_file, read_mosaics, value_unit
from starclass.io.paths import resolved
from starclass.io.progress import LOGGER as PROGRESS_LOGGER
from starclass.io.progress import Progress, on_terminal
from starclass.schema import (
    BKG,
    CI,
    CLASS_PRED,
    CROWDING,
    DEC,
    FWHM,
    GALAXY,
    ID,
    MASKED_FRAC,
    RA,
    REDUNDANT,
    X,
    Y,
    mag_col,
)
from starclass.stamps.extract import refuse_off_image

ORDERS = ("catalogue", "random", "brightest", "uncertain")
CATALOGUE_NAMES = ("candidates.ecsv", "candidates.fits", "candidates.parquet", "candidates.csv",
                   "candidates.tab", "candidates.txt")
PREDICTION_NAMES = ("predictions.ecsv", "predictions.fits", "predictions.parquet", "predictions.csv")
#: Catalogue columns shown beside the pictures (with mag_*, magerr_*, mci_*, masked_frac_*). Anything else,
#: classes, probabilities and simulated truth (age, mass, mag_true_*), stays hidden: bias.
#: ``masked_frac`` tells the person that the magnitudes miss light on NaN/off-image pixels (4.11 edge).
SHOWN_COLUMNS = (X, Y, RA, DEC, CI, BKG, FWHM, CROWDING, REDUNDANT, MASKED_FRAC, GALAXY)
#: The median distance (px) between a catalogue's x, y and its ra, dec placed through the mosaics'
#: WCS beyond which inspect refuses it: detect counts a candidate within 5 px of a brighter one as
#: the same object (redundant), so beyond it the picture may centre on another candidate. 1-based
#: positions (1.4 px) are only warned of, as every command warns of them.
XY_SKY_REFUSE_PX = 5.0

@dataclass
class Field:
    """Everything the app serves for one data directory (:func:`load_field` makes it).

    Attributes
    ----------
    data_dir : Path
        The data directory (or a cutout list's folder).
    table : astropy.table.Table
        The candidates, one row each, in catalogue order.
    ids, row_of
        The candidates' ids (str) and each id's row.
    cache : RenderCache
        The candidates' pictures, rendered on first use and kept on disk.
    bands, v_band
        The mosaics' bands and the band of the contours and profile.
    predictions : dict of int to dict, or None
        A model's classes and probabilities by row, where given.
    catalogue_path : Path
        The catalogue read.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> f = load_field(make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=10, size=100))
    >>> len(f.ids), f.v_band, f.order("catalogue")[:3]
    (10, 'f555w', [0, 1, 2])
    """

    data_dir: Path
    table: Table
    ids: list[str]
    row_of: dict[str, int]
    cache: RenderCache
    bands: list[str]
    v_band: str
    predictions: dict[int, dict] | None
    catalogue_path: Path
    dataset: str = ""
    #: The files ``GET /data/...`` may send (resolved paths): the mosaics, catalogue and
    #: predictions this field opened. An allow-list, so that nothing else in the folder (the
    #: label database under any name, its backups, label exports) is ever served.
    served: frozenset[Path] = frozenset()
    #: ``"mosaics"`` (a data directory) or ``"cutouts"`` (``inspect --stamps``: the page's captions differ).
    kind: str = "mosaics"
    #: Which field the labels belong to in the database (:func:`mosaic_key`: the mosaics' file
    #: names); empty for cutout folders. Two fields under one ``--dataset`` would share labels
    #: wherever their candidate ids coincide (``1``, ``2``, ...), so the database records it.
    field_key: str = ""
    #: The columns shown beside the pictures, where not :data:`SHOWN_COLUMNS` (cutouts: the files
    #: and the group; never a label, a class or a probability: bias).
    shown: tuple[str, ...] | None = None

    def order(self, order: str, user: str = "") -> list[int]:
        """Row numbers in the queue order asked for."""
        n = len(self.ids)
        if order == "catalogue":
            return list(range(n))
        if order == "random":
            seed = int.from_bytes(hashlib.sha256(f"{self.dataset}|{user}".encode()).digest()[:8], "little")
            return [int(i) for i in np.random.default_rng(seed).permutation(n)]
        if order == "brightest":
            col = mag_col(self.v_band)
            if col not in self.table.colnames:
                raise StarclassError(f"order 'brightest' needs column {col} in {self.catalogue_path}")
            mag = np.ma.filled(np.ma.asarray(self.table[col], dtype=float), np.nan)
            mag = np.where(np.isfinite(mag), mag, np.inf)
            return [int(i) for i in np.argsort(mag, kind="stable")]
        if order == "uncertain":
            if not self.predictions:
                raise StarclassError(
                    "order 'uncertain' needs model predictions (prob_<k> columns in the catalogue "
                    "or a predictions.ecsv beside it)")
            top = np.array([self.predictions.get(i, {}).get("top_prob", np.nan) for i in range(n)])
            top = np.where(np.isfinite(top), top, np.inf)
            return [int(i) for i in np.argsort(top, kind="stable")]
        raise StarclassError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")

    def values(self, row: int) -> dict:
        """Catalogue values worth showing (:data:`SHOWN_COLUMNS`, magnitudes, MCI; colours)."""
        r = self.table[row]
        out: dict = {}
        if self.shown is not None:
            return {c: json_value(r[c]) for c in self.shown if c in self.table.colnames}
        for c in self.table.colnames:
            if c in SHOWN_COLUMNS or (c.startswith(("mag_", "magerr_", "mci_", "masked_frac_"))
                                       and not c.startswith("mag_true_")):
                out[c] = json_value(r[c])
        roles = ubvi_bands(self.bands)
        for a, b in (("u", "b"), ("v", "i"), ("b", "v")):
            ca, cb = roles.get(a), roles.get(b)
            if ca and cb and mag_col(ca) in self.table.colnames and mag_col(cb) in self.table.colnames:
                va, vb = json_value(r[mag_col(ca)]), json_value(r[mag_col(cb)])
                if isinstance(va, float) and isinstance(vb, float):
                    out[f"{a.upper()}-{b.upper()}"] = round(va - vb, 3)
        return out


def json_value(v: object) -> float | int | str | bool | None:
    """One table value as JSON: masked, NaN and infinite -> None, floats to 5 decimals.

    Parameters
    ----------
    v
        A table cell (numpy scalar, masked constant, bytes, Python value).

    Returns
    -------
    float, int, str, bool or None
        Anything else becomes its ``str``.

    Examples
    --------
    >>> import numpy as np
    >>> json_value(np.float32(0.1)), json_value(np.nan), json_value(b"NGC 628")
    (0.1, None, 'NGC 628')
    """
    if v is np.ma.masked:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return None if not math.isfinite(v) else round(v, 5)
    if isinstance(v, bytes):
        return v.decode(errors="replace")
    if isinstance(v, (int, str, bool)) or v is None:
        return v
    return str(v)


def find_file(data_dir: Path, given: str | Path | None, names: tuple[str, ...], what: str) -> Path | None:
    """The file the user named (absolute or relative to ``data_dir``), else the first of ``names``.

    Parameters
    ----------
    data_dir
        The data directory.
    given
        A path the user gave (``--catalogue``, ``--predictions``), or None.
    names
        File names looked for in ``data_dir`` when nothing was given, in order.
    what
        What the file is, for the error message.

    Returns
    -------
    pathlib.Path or None
        None when nothing was given and none of ``names`` exists.

    Raises
    ------
    StarclassError
        ``given`` does not exist.

    Examples
    --------
    >>> from pathlib import Path
    >>> find_file(Path("."), None, ("no-such-file.ecsv",), "catalogue") is None
    True
    """
    if given is not None:
        p = Path(given)
        if not p.is_absolute() and not p.exists():
            p = data_dir / p
        if not p.exists():
            raise StarclassError(f"{what} {given} not found")
        return p
    for n in names:
        if (data_dir / n).exists():
            return data_dir / n
    return None


def read_candidates(path: Path, *, require_xy: bool = True, classes: Sequence[int] = ()) -> Table:
    """The candidate catalogue at ``path`` (any format :func:`~starclass.io.catalog.read_catalog` reads).

    Its ``class_ref`` and ``class_pred`` may hold 0-4, the classes it declares and ``classes``; any other
    value is refused naming the file, row and column, as every command's reader refuses it.

    Parameters
    ----------
    path
        The catalogue file.
    require_xy
        Refuse a catalogue without pixel positions.
    classes
        The task's classes (``inspect --task``: :attr:`starclass.learn.config.TaskConfig.catalogue_classes`).

    Returns
    -------
    astropy.table.Table
        The candidates.

    Examples
    --------
    >>> from starclass.datasets.labelling import make_demo_field
    >>> import tempfile
    >>> folder = make_demo_field(tempfile.mkdtemp(), n=3, size=100, seed=1)
    >>> len(read_candidates(folder / "candidates.ecsv"))
    3
    """
    return read_catalog(path, require_xy=require_xy, classes=classes)


def _read_predictions(path: Path) -> Table:
    """A predictions table needs only ``id`` and ``prob_<k>``/``class_pred``: read it as is."""
    name = path.name.lower()
    # a FITS name's format named, as the catalogue reader names it: astropy tells a .fits.zip neither by its
    # name nor by its first bytes ("IORegistryError: Format could not be identified" and 70 lines of formats)
    fmt = "ascii.csv" if name.endswith(".csv") else "fits" if is_fits_name(path) else None
    if path.is_file() and path.stat().st_size == 0:
        # astropy's words were "ECSV header line like '# %ECSV <version>' not found as first line", or "Empty or
        # corrupt FITS file": as the catalogue readers say it
        raise StarclassError(f"predictions {path} is empty (0 bytes), not a table")
    try:
        # a classification saved again by Excel (byte-order mark, ';'): read as the catalogue reader reads it
        table = read_table_as(path, fmt)
    except StarclassError as exc:
        raise StarclassError(f"predictions: {exc}") from None
    except Exception as exc:  # astropy raises many kinds
        from astropy.io.registry import IORegistryError

        if fmt == "fits" and isinstance(exc, (OSError, ImportError)):
            from starclass.io.mosaic import unreadable_fits

            # as the catalogue reader says it: a .fits.Z without uncompresspy was "cannot read (ModuleNotFoundError:
            # The optional package uncompresspy is necessary ...)", a zip of several files astropy's bare OSError
            raise StarclassError(f"predictions: {unreadable_fits(path, exc)}") from None
        if isinstance(exc, IORegistryError):
            raise StarclassError(f"predictions {path}: cannot read: astropy cannot tell its format from its name or "
                                 "first bytes; give the predictions as ECSV (.ecsv), CSV (.csv), Parquet (.parquet) "
                                 f"or FITS ({FITS_NAMES})") from None
        raise StarclassError(f"predictions {path}: cannot read ({type(exc).__name__}: {exc})") from None
    # a prob_<k> cell of text was shown as no probability at all, without a word
    return check_prob_columns(table, path, "predictions")


def _prediction_rows(table: Table, pred_path: Path | None, ids: list[str], key: str = ID,
                     table_path: Path | None = None, files: list[str] | None = None,
                     classes: Sequence[int] = ()) -> dict[int, dict] | None:
    """Each candidate row's model probabilities, top probability and predicted class.

    ``key`` is the column of the predictions that holds the candidates' ids (cutouts: ``file``);
    ``table_path`` is the file ``table`` came from, named when its own ``prob_<k>`` hold text.
    ``files`` (cutouts) gives each candidate's file as an absolute path: where the predictions' files,
    taken under the folder they record (``cutout_root``) or their own, pair more candidates than the ids
    as written, they are paired so (the same cutouts listed otherwise: absolute paths, another folder).
    """
    if pred_path is not None:
        src = _read_predictions(pred_path)
        if key not in src.colnames:
            raise StarclassError(f"predictions {pred_path}: no {key} column")
    else:
        # a cutout list's CSV is read as text: one bad cell made its column text, and every row's
        # top probability was taken from the other columns without a word (the table itself is left as read)
        src = check_prob_columns(table.copy(copy_data=False), table_path, "predictions")
    probs = sorted((c for c in src.colnames if c.startswith("prob_") and c[5:].isdigit()),
                   key=lambda c: int(c[5:]))
    if not probs and CLASS_PRED not in src.colnames:
        return None
    if CLASS_PRED in src.colnames and len(src) and (pred_path is not None or table_path is not None):
        # a class_pred no task declares (9, or a five-class model's 5 beside a four-class task) was shown on the
        # page as the model's answer without a word, where the candidates' own class_pred is refused
        where = f" in predictions {pred_path}" if pred_path is not None else f" in {table_path}"
        class_values(src, CLASS_PRED, where=where, ids=np.asarray(src[key]) if key in src.colnames else None,
                     classes=classes)
    by_id = None
    if pred_path is not None:
        by_id = {}
        for i, v in enumerate(src[key]):
            # a second row of one id replaced the first without a word: which one is the model's?
            if str(v) in by_id:
                raise StarclassError(f"predictions {pred_path}: {key} {str(v)!r} is given twice (rows "
                                     f"{by_id[str(v)] + 1} and {i + 1}); give one row per candidate")
            by_id[str(v)] = i
    keys = list(ids)
    if by_id is not None and files is not None and set(ids) - set(by_id):
        by_id, keys = _by_file(src, pred_path, key, ids, files, by_id)
    out: dict[int, dict] = {}
    for row, cid in enumerate(keys):
        j = row if by_id is None else by_id.get(cid)
        if j is None:
            continue
        p = {c: json_value(src[c][j]) for c in probs}
        vals = [v for v in p.values() if isinstance(v, float)]
        entry = {"probs": p, "top_prob": max(vals) if vals else float("nan")}
        if CLASS_PRED in src.colnames:
            entry["class_pred"] = json_value(src[CLASS_PRED][j])
        elif vals:
            entry["class_pred"] = int(probs[int(np.argmax([p[c] if p[c] is not None else -1 for c in probs]))][5:])
        out[row] = entry
    if pred_path is not None and not out:
        raise StarclassError(f"predictions {pred_path}: no id matches the candidate catalogue")
    return out


def _by_file(src: Table, pred_path: Path, key: str, ids: list[str], files: list[str],
             by_id: dict[str, int]) -> tuple[dict[str, int], list[str]]:
    """The predictions' rows by the file each names (an absolute path), where that pairs more candidates.

    A list that gave every fifth file with an absolute path, served with predictions of the same cutouts
    listed with absolute paths throughout, showed the model's answer on 28 of its 138 candidates without a
    word; the same cutouts listed relative to another folder were refused, "no id matches".
    """
    from starclass.io.cutout_folders import listed_path, row_folders

    own = pred_path.resolve().parent
    cells = np.asarray(src[key]).astype(str).tolist()
    try:
        # a relative record is relative to the table's folder, as its files are (classify --stamps -o elsewhere)
        roots = row_folders(src, pred_path, own, files=cells)
    except StarclassError:
        return by_id, list(ids)  # a folder recorded for some rows only: no reading of the others is safe
    by_file: dict[str, int] = {}
    for i, f in enumerate(cells):
        root = own if roots is None else roots[i]
        by_file.setdefault(str(listed_path(root, f.strip()).resolve()), i)
    wanted = [str(Path(f).resolve()) for f in files]
    if sum(f in by_file for f in wanted) > sum(c in by_id for c in ids):
        return by_file, wanted
    return by_id, list(ids)


def refuse_xy_off_sky(table: Table, wcs: object, source: str | Path) -> None:
    """Refuse a catalogue whose x, y lie more than :data:`XY_SKY_REFUSE_PX` from its ra, dec through ``wcs``.

    A catalogue of another field whose x, y happen to fall on these mosaics passed the
    off-image check: the other commands warn of the offset (``place_on_mosaics``) and go on,
    their outputs can be made again; inspect made a label database of it, and the pictures
    people labelled were not of the objects the catalogue names. Rows without x, y, ra or dec,
    a catalogue without ra, dec and mosaics without a WCS are not checked.

    Parameters
    ----------
    table : astropy.table.Table
        The candidates as read (``x``, ``y`` 0-based; ``ra``, ``dec`` in degrees).
    wcs : astropy.wcs.WCS or None
        The celestial WCS of the mosaics.
    source : str or path
        The catalogue file, named in the error.

    Raises
    ------
    StarclassError
        The median distance exceeds :data:`XY_SKY_REFUSE_PX`; the message gives it and how to go on.

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2)
    >>> w.wcs.ctype, w.wcs.crval, w.wcs.crpix = ["RA---TAN", "DEC--TAN"], [65.0, -54.9], [50.5, 50.5]
    >>> w.wcs.cd = [[-1e-5, 0], [0, 1e-5]]
    >>> ra, dec = w.pixel_to_world_values([10.0, 30.0], [20.0, 40.0])
    >>> refuse_xy_off_sky(Table({"x": [11.0, 31.0], "y": [21.0, 41.0], "ra": ra, "dec": dec}), w, "c.ecsv")
    >>> try:
    ...     refuse_xy_off_sky(Table({"x": [90.0, 60.0], "y": [20.0, 40.0], "ra": ra, "dec": dec}), w, "c.ecsv")
    ... except StarclassError as exc:
    ...     print(str(exc)[:78])
    catalogue c.ecsv: its x, y lie a median 55.0 px from the pixels its ra, dec fa
    """
    cols = table.colnames
    if wcs is None or not len(table) or not all(c in cols for c in (X, Y, RA, DEC)):
        return
    d = pixel_sky_distance(table, wcs)
    if not np.isfinite(d) or d <= XY_SKY_REFUSE_PX:
        return
    raise StarclassError(
        f"catalogue {source}: its x, y lie a median {d:.1f} px from the pixels its ra, dec fall on through the "
        f"mosaics' WCS (more than {XY_SKY_REFUSE_PX:g} px: a catalogue of another field, or of another image "
        "grid), so the pictures would not show the candidates it names; nothing was created or written. If x, y "
        "are pixels of these mosaics, drop the ra, dec columns; if ra, dec are right, drop the x, y columns (the "
        "rows are then placed through the WCS). classify and cutouts warn of such a catalogue and go on.")


def shown_v_band(table: Table, bands: list[str], source: str | Path) -> tuple[str, str | None]:
    """The band inspect shows as V: the one detect measured the catalogue with, where it is recorded.

    ``detect --bands f814w,...`` on mosaics without F555W records ``detect_v_band`` f814w in the
    catalogue's meta (its CI, background and ``mag`` order are of that band); inspect showed the first
    band in wavelength order (f275w) instead, and said so as though there were no choice. Now the
    recorded band is shown where the mosaics have it, and said where it is not the one inspect would
    take; otherwise :func:`starclass.bands.v_band`'s choice, with its note where there is no V band
    (the catalogue measured with that band too, or not saying).

    Parameters
    ----------
    table
        The candidate catalogue (its ``meta["detect_v_band"]``, when present).
    bands
        The mosaics' bands, in the order :func:`starclass.bands.v_band` reads them.
    source
        The catalogue's file, for the note.

    Returns
    -------
    band : str
        The band shown as V.
    note : str or None
        What to say of it; None where there is nothing to say.

    Examples
    --------
    >>> t = Table({"x": [1.0]}, meta={"detect_v_band": "f814w"})
    >>> band, note = shown_v_band(t, ["f275w", "f336w", "f814w"], "c.ecsv")
    >>> band, note.split(":")[0]
    ('f814w', 'catalogue c.ecsv was measured with f814w as V (its meta detect_v_band)')
    >>> shown_v_band(Table({"x": [1.0]}), ["f336w", "f555w", "f814w"], "c.ecsv")
    ('f555w', None)
    """
    recorded = (getattr(table, "meta", None) or {}).get("detect_v_band")
    default = v_band(bands)
    if isinstance(recorded, str) and recorded in bands and recorded != default:
        use = V_BAND_USES["inspect"][0]
        red, green, _ = _default_rgb(bands, recorded)
        if green != recorded:  # f814w as V is the picture's red: green goes to another band
            use = use.replace(", and green unless --rgb", "") + (
                f"; green is {green} unless --rgb, {recorded} being {'red' if recorded == red else 'blue'}")
        return recorded, (f"catalogue {source} was measured with {recorded} as V (its meta detect_v_band): "
                          f"{recorded} {use}")
    note = v_band_note(bands, "inspect")
    if note is not None and isinstance(recorded, str) and recorded != default:
        note += f" (the catalogue was measured with {recorded} as V, which these mosaics lack)"
    return default, note


def _default_rgb(bands: list[str], vb: str) -> tuple[str, str, str]:
    """Red (I or the reddest), green (the V band shown) and blue (U, B or the bluest) of the picture.

    A V band that is already red or blue (f814w measured as V) gives green to the other band nearest
    V's wavelength: (f814w, f814w, f336w) was a picture in two colours.
    """
    roles = ubvi_bands(bands)
    by_wave = sorted(bands, key=lambda b: BANDS[b].photplam if b in BANDS else 0.0)
    red = roles["i"] or by_wave[-1]
    blue = roles["u"] or roles["b"] or by_wave[0]
    green = vb
    others = [b for b in bands if b not in (red, blue)]
    if vb in (red, blue) and others:
        target = BANDS["f555w"].photplam
        green = min(others, key=lambda b: abs((BANDS[b].photplam if b in BANDS else 0.0) - target))
    return red, green, blue


def load_field(data_dir: str | Path, *, catalogue: str | Path | None = None,
               predictions: str | Path | None = None, rgb: tuple[str, str, str] | None = None,
               cache_dir: str | Path | None = None, star_fwhm: float | None = None,
               dataset: str = "", stamp_size: int = 41, pixel_flags: PixelFlags | None = None,
               say: Callable[[str], object] | None = None, classes: Sequence[int] = (),
               make_cache: bool = True) -> Field:
    """Open the mosaics and the candidate catalogue of a data directory.

    Parameters
    ----------
    data_dir
        Folder with one FITS mosaic per band and ``candidates.ecsv`` (or another
        ``candidates.*`` the catalogue reader knows, or ``catalogue``).
    catalogue, predictions
        Paths (absolute or relative to ``data_dir``); predictions default to
        ``predictions.ecsv`` when present, else the catalogue's own ``prob_<k>``/``class_pred``.
    rgb
        Bands shown as red, green, blue (default F814W, F555W, F336W or the nearest roles).
    cache_dir
        Where rendered PNGs go (default: the user's cache, :func:`~starclass.inspect.render.user_cache_root`;
        never the data folder).
    star_fwhm
        FWHM (px) of the typical star drawn beside each profile (default: the V band's PSF).
    dataset
        Key that separates the labels of several fields in one database.
    pixel_flags
        A :class:`starclass.io.mosaic.PixelFlags` (``--mask-extension``, ``--dq-good-bits``): the
        pixels it flags are NaN in the pictures, as in the stamps a model saw; the picture cache
        is kept apart from the one without flags.
    say
        Given the one line that says how many rows were placed from ``ra``, ``dec`` through the
        mosaics' WCS (:func:`starclass.io.catalog.placed_note`, as the other commands say it).
    classes
        The task's classes, which the candidates' and the predictions' classes may hold beyond 0-4 and
        those the files declare (:func:`read_candidates`); any other class is refused.
    make_cache
        Make the pictures' folder now (False: on first use, or ``field.cache.make_folder()``; ``inspect``
        makes it once nothing is left to refuse).

    Returns
    -------
    Field

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> f = load_field(make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=10, size=100))
    >>> f.bands, f.catalogue_path.name
    (['f336w', 'f555w', 'f814w'], 'candidates.ecsv')
    """
    d = Path(data_dir)
    if not d.is_dir():
        raise StarclassError(f"data directory {d} does not exist")
    cat_path = find_file(d, catalogue, CATALOGUE_NAMES, "catalogue")
    if cat_path is None:
        raise StarclassError(f"no candidate catalogue in {d}: expected one of {', '.join(CATALOGUE_NAMES)} "
                             "or --catalogue")
    pred_path = find_file(d, predictions, PREDICTION_NAMES, "predictions")
    # ra, dec without x, y: placed through the mosaics' WCS once they are read (below)
    table = read_candidates(cat_path, require_xy=False, classes=classes)
    ids = [str(v) for v in table[ID]]
    if len(set(ids)) != len(ids):
        raise StarclassError(f"catalogue {cat_path}: ids are not unique")
    skip = {resolved(cat_path)} | ({resolved(pred_path)} if pred_path else set())
    images = mosaic_files(d, skip)
    mosaics = read_mosaics(images, require_zeropoint=False, pixel_flags=pixel_flags, warn_v_band=False)
    vb, note = shown_v_band(table, list(mosaics.bands), cat_path)
    if note is not None:
        # in inspect's words: the band it shows as V, and why
        warnings.warn(note, stacklevel=2)
    # before place_on_mosaics, whose warning of the same offset would come before the error
    refuse_xy_off_sky(table, mosaics.wcs, cat_path)
    table = place_on_mosaics(table, mosaics, cat_path, say=say)
    # the check of train, classify and cutouts: a catalogue of another field was served as blank pictures
    refuse_off_image(table, mosaics.shape, f"catalogue {cat_path}", consequence="their pictures are blank",
                     action="show", warn=lambda m: warnings.warn(m, stacklevel=3))
    bands = list(mosaics.bands)
    if rgb is None:
        rgb = _default_rgb(bands, vb)
    rgb = tuple(require_bands(rgb, bands, context="--rgb"))
    if star_fwhm is None:
        star_fwhm = BANDS[vb].psf_fwhm_px if vb in BANDS else 2.1
    # detection's decision on the same pixels (its bad ones left out), read strip by strip
    counts = tuple(b for b in dict.fromkeys([*rgb, vb]) if photon_counts(
        mosaics.data[b], lambda rows, b=b: mosaics.mask(b, window=(rows, slice(None)))))
    # the profile is of the V band: its axis said counts/s of a mosaic in counts, nanomaggies or MJy/sr
    settings = RenderSettings(rgb=rgb, v_band=vb, star_fwhm=float(star_fwhm), stamp_size=stamp_size,
                              pixel_flags=pixel_flags.describe() if pixel_flags else "", counts=counts,
                              value_label=value_unit(mosaics.headers[vb], photon_counts=vb in counts))
    # before the render cache, whose folder is made on serving: refused predictions left an empty one behind
    predictions = _prediction_rows(table, pred_path, ids, classes=classes)
    cache = RenderCache(
        data={b: mosaics.data[b] for b in bands},
        xs=np.asarray(table[X], float), ys=np.asarray(table[Y], float), settings=settings,
        root=Path(cache_dir) if cache_dir else user_cache_root(d), fwhm=catalogue_fwhm(table),
        # zero-weight pixels (drizzle padding) and flagged ones: their values set a stamp's stretch
        bad=lambda band, window: mosaics.mask(band, window=window),
    )
    if make_cache:
        cache.make_folder()
    return Field(data_dir=resolved(d), table=table, ids=ids, row_of={c: i for i, c in enumerate(ids)},
                 cache=cache, bands=bands, v_band=vb, predictions=predictions,
                 catalogue_path=cat_path, dataset=dataset, field_key=mosaic_key(images),
                 served=frozenset(resolved(p) for p in [*images, cat_path, pred_path] if p is not None))


def mosaic_files(data_dir: Path, skip: set[Path] = frozenset()) -> list[Path]:
    """The FITS mosaics of a data directory (not weight maps, hidden files or ``skip``).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> folder = make_demo_field(tempfile.mkdtemp(), n=3, size=100, seed=1)
    >>> [p.name for p in mosaic_files(folder)][:1]
    ['demo_f336w.fits']
    """
    d = Path(data_dir)
    images = [p for p in sorted(d.iterdir())
              if p.is_file() and is_fits_name(p) and resolved(p) not in skip and not p.name.startswith(".")]
    if not images:
        raise StarclassError(f"no FITS mosaics ({FITS_NAMES}) in {d}")
    return [p for p in images if not is_weight_file(p)]


def mosaic_key(images: list[Path]) -> str:
    """The key of a field in the label database: its mosaics' file names, sorted, joined by ``,``.

    File names rather than the folder, so that a moved or copied data directory is the same field.

    Examples
    --------
    >>> mosaic_key([Path("/a/x_f814w.fits"), Path("/a/x_f555w.fits")])
    'x_f555w.fits,x_f814w.fits'
    """
    return ",".join(sorted(Path(p).name for p in images))


def prerender(field: Field, rows: list[int] | None = None, *, stop: threading.Event | None = None,
              progress: bool | None = False, logger: str = PROGRESS_LOGGER) -> int:
    """Render (and cache) the pictures of ``rows`` (default: all); returns how many were new.

    Parameters
    ----------
    field : Field
        The field (:func:`load_field`).
    rows : list of int, optional
        The rows to render (default: every candidate).
    stop : threading.Event, optional
        Set it to stop after the picture being rendered (the server does at shutdown).
    progress : bool or None
        Show how far it has got: a progress bar where stderr is a terminal, else (a log file) a few
        timed lines (:class:`starclass.io.progress.Progress`), never a bar's redraws; None: the
        lines wherever stderr goes (the server's background pre-render, into the server's log).
    logger : str
        The logger of those lines (default ``starclass.progress``; the server: ``starclass.inspect``).

    Returns
    -------
    int
        How many candidates' pictures were rendered; those already cached are not counted.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> f = load_field(make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=10, size=100))
    >>> prerender(f, [0, 1]), prerender(f, [0, 1, 2])
    (2, 1)
    """
    rows = list(range(len(field.ids))) if rows is None else rows
    # the pictures to draw, not those cached: the server said "rendering the pictures of 24 candidates" and its
    # lines then counted "0 of 50", the 26 cached by an earlier run among them
    rows = [r for r in rows if not field.cache.is_cached(r)]
    if not rows:
        # every picture cached (a restarted server): the log said "rendering: 0 of 0 candidates (100%), 0 s"
        # after the server had said nothing of rendering
        return 0
    # the bar only where a person watches it, as the command line's: its redraws are junk in a log file
    show = None if progress is None else (True if on_terminal() else None) if progress else False
    n = 0
    for r in Progress(len(rows), desc="rendering", noun="candidate", show=show, logger=logger,
                      unit="cand").iterate(rows):
        if stop is not None and stop.is_set():
            break
        if not field.cache.is_cached(r):
            field.cache.render(r)
            n += 1
    return n


def json_safe(obj: object) -> object:
    """JSON-safe copy of nested dicts, lists and tuples: NaN/inf -> None, numpy scalars -> Python.

    Parameters
    ----------
    obj
        A value, or dicts and lists of values (see :func:`json_value`).

    Returns
    -------
    object
        Dicts with text keys, lists, and the values of :func:`json_value`.

    Examples
    --------
    >>> import numpy as np
    >>> json_safe({"fwhm": np.float64(2.5), "chi2": [1.0, np.inf]})
    {'fwhm': 2.5, 'chi2': [1.0, None]}
    """
    if obj is None:
        return None
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return json_value(obj)
