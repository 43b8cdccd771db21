"""DS9 region files coloured by class, as the PHANGS classifiers use them.

Class 1 red, 2 green, 3 blue, 4 yellow; anything else (0 = unclassified) white. The class
is ``class_pred`` when the table has it, else ``class_ref``. Circles are written either in
image coordinates (1-based in the file, as DS9 expects; the ``regions`` package converts from
starclass's 0-based positions) or in sky coordinates: ``icrs``, starclass's ``ra``, ``dec`` as they
are (DS9 reads the frame), or ``fk5`` (J2000) on request, converted from ICRS.
:func:`read_regions_table` reads a region file of positions back as a catalogue (``--catalog
pos.reg``, ``detect --positions pos.reg``).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import astropy.units as u
import numpy as np
from astropy.table import Table

if TYPE_CHECKING:  # the regions package is imported where it is used
    from regions import Regions

from starclass.errors import OutputExistsError, StarclassError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.schema import CLASS_COLOURS, CLASS_PRED, CLASS_REF, DEC, ID, RA, X, Y

PathLike = str | os.PathLike

#: Colour of sources without a class 1-4.
OTHER_COLOUR = "white"


def class_colour(k: int) -> str:
    """DS9 colour of class ``k`` (1 red, 2 green, 3 blue, 4 yellow, others white).

    Examples
    --------
    >>> class_colour(1), class_colour(4), class_colour(9)
    ('red', 'yellow', 'white')
    """
    return CLASS_COLOURS.get(int(k), OTHER_COLOUR)


def class_column(table: Table) -> str | None:
    """The column regions are coloured by: ``class_pred`` if present, else ``class_ref``.

    Examples
    --------
    >>> class_column(Table({"class_ref": [1], "class_pred": [2]})), class_column(Table({"x": [1.0]}))
    ('class_pred', None)
    """
    for c in (CLASS_PRED, CLASS_REF):
        if c in table.colnames:
            return c
    return None


def catalog_to_regions(table: Table, *, coords: str = "image", radius: float = 5.0,
                       label: bool = False, pixel_scale: float | None = None,
                       class_col: str | None = None) -> Regions:
    """Build a :class:`regions.Regions` of circles, one per row, coloured by class.

    Parameters
    ----------
    table
        Schema table (0-based ``x``, ``y``; ``ra``, ``dec`` in degrees, ICRS, for sky circles).
    coords
        ``"image"`` (pixel circles), ``"icrs"`` (sky circles at the catalogue's ``ra``, ``dec``
        unchanged; ``"sky"``, ``"wcs"`` are synonyms) or ``"fk5"`` (sky circles converted to FK5
        J2000; ``"j2000"`` is a synonym).
    radius
        Circle radius in pixels (converted with ``pixel_scale`` for sky circles).
    label
        Write the ``id`` as the region's text.
    pixel_scale
        Arcsec per pixel for sky circles (default 0.04, the HST drizzled scale).
    class_col
        Column to colour by (default :func:`class_column`).

    Examples
    --------
    >>> t = Table({"id": [1, 2], "x": [10.5, 30.0], "y": [20.0, 40.0], "class_ref": [1, 4]})
    >>> r = catalog_to_regions(t, label=True)
    >>> print("\\n".join(r.serialize(format="ds9").splitlines()[1:]))  # DS9 is 1-based
    image
    circle(11.50000000,21.00000000,5.00000000) # text={1} color=red
    circle(31.00000000,41.00000000,5.00000000) # text={2} color=yellow
    """
    # the regions package adds 0.16 s (measured) to `import starclass.io`; only DS9 output needs it, and astropy's
    # coordinates (0.1-0.2 s) only the regions: info of a catalogue without --ds9 loads neither
    from astropy.coordinates import SkyCoord
    from regions import CirclePixelRegion, CircleSkyRegion, PixCoord, Regions

    coords = sky_frame(coords)
    col = class_col or class_column(table)
    if col is not None and col not in table.colnames:
        raise StarclassError(f"class column {col!r} not in the table")
    classes = (np.asarray(table[col]).astype(float) if col else np.zeros(len(table)))
    classes = np.where(np.isfinite(classes), classes, 0).astype(int)
    ids = np.asarray(table[ID]) if ID in table.colnames else np.arange(1, len(table) + 1)

    regs = []
    if coords == "image":
        for c in (X, Y):
            if c not in table.colnames:
                raise StarclassError(f"image regions need column {c!r}")
        xs = np.asarray(table[X], dtype=float)
        ys = np.asarray(table[Y], dtype=float)
        for x, y, k, i in zip(xs, ys, classes, ids):
            meta = {"text": str(i)} if label else {}
            regs.append(CirclePixelRegion(PixCoord(x, y), radius, meta=meta,
                                          visual={"color": class_colour(k)}))
    else:
        for c in (RA, DEC):
            if c not in table.colnames:
                raise StarclassError(f"sky ({coords}) regions need column {c!r}")
        scale = 0.04 if pixel_scale is None else float(pixel_scale)
        rad = radius * scale * u.arcsec
        # starclass's ra, dec are ICRS (catalogues are placed on the mosaics as ICRS). DS9 reads an icrs
        # file, so they are written as they are: converted to FK5 (the only sky frame until 2026-12-05) they
        # were 14-30 mas from the catalogue's numbers; fk5 is written only where asked for, and converted
        # (FK5 numbers unconverted were 14-30 mas off in DS9: up to 0.75 px of an HST mosaic at 0.04"/px)
        sky = SkyCoord(np.asarray(table[RA], dtype=float) * u.deg,
                       np.asarray(table[DEC], dtype=float) * u.deg, frame="icrs")
        if coords == "fk5":
            sky = sky.transform_to("fk5")
        for s, k, i in zip(sky, classes, ids):
            meta = {"text": str(i)} if label else {}
            regs.append(CircleSkyRegion(s, rad, meta=meta, visual={"color": class_colour(k)}))
    return Regions(regs)


def sky_frame(coords: str) -> str:
    """The coordinates a region file is written in: ``image``, ``icrs`` or ``fk5``, from their names.

    ``sky`` and ``wcs`` are ICRS, starclass's frame for ``ra``, ``dec``; ``j2000`` is FK5.

    Examples
    --------
    >>> sky_frame("IMAGE"), sky_frame("sky"), sky_frame("j2000")
    ('image', 'icrs', 'fk5')
    >>> sky_frame("galactic")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: coords must be 'image', 'icrs' or 'fk5', not 'galactic'
    """
    c = str(coords).strip().lower()
    c = {"sky": "icrs", "wcs": "icrs", "j2000": "fk5"}.get(c, c)
    if c not in ("image", "icrs", "fk5"):
        raise StarclassError(f"coords must be 'image', 'icrs' or 'fk5', not {coords!r}")
    return c


def write_regions(table: Table, path: PathLike, *, coords: str = "image", radius: float = 5.0,
                  label: bool = False, pixel_scale: float | None = None,
                  class_col: str | None = None, overwrite: bool = False) -> Path:
    """Write a DS9 region file of the catalogue, coloured by class, atomically.

    See :func:`catalog_to_regions` for the other parameters. An existing file at ``path`` is
    refused unless ``overwrite`` (as :func:`starclass.io.catalog.write_catalog` refuses it).
    Returns the path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cands.reg"
    >>> t = Table({"x": [10.0, 20.0], "y": [5.0, 8.0], "class_pred": [1, 4]})
    >>> write_regions(t, path).read_text().count("circle")
    2
    >>> write_regions(t, path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ... exists (overwrite=False); give overwrite=True to replace it
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputExistsError(exists_refusal(target), target)
    regs = catalog_to_regions(table, coords=coords, radius=radius, label=label,
                              pixel_scale=pixel_scale, class_col=class_col)
    # sky positions to 1e-10 deg (0.4 micro-arcsec): the package's 8 decimals rounded them by up to 5e-9 deg
    text = regs.serialize(format="ds9", precision=8 if sky_frame(coords) == "image" else 10)
    with atomic_path(target) as tmp:
        tmp.write_text(text)
    return target


def read_regions_table(path: PathLike) -> Table:
    """A DS9 region file of positions as a table: ``id`` and ``x``, ``y`` (0-based) or ``ra``, ``dec``.

    Teams keep source lists as DS9 region files (circles or points, a ``text={...}`` label each).
    The ``regions`` package parses the file; image coordinates, 1-based in the file, come back
    0-based, and sky regions in any frame DS9 writes (``fk5``, ``icrs``, ``fk4``, ``galactic``)
    are given as ICRS degrees, the frame starclass takes ``ra``, ``dec`` in (an ``fk5`` position
    read as ICRS would be 14-30 mas off: up to 0.75 px of an HST mosaic at 0.04"/px). Every region
    stands for its centre; ``id`` is the label when every region has a distinct one, else the
    region's number counted from 1 (the labels are then kept as ``text``).

    Parameters
    ----------
    path
        A DS9 region file (``.reg``).

    Returns
    -------
    astropy.table.Table
        One row per region, in the file's order.

    Raises
    ------
    StarclassError
        The file does not parse, a region has no centre (a polygon, a line), or pixel and sky
        regions are mixed; the file and the region (counted from 1) are named.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "pos.reg"
    >>> _ = f.write_text("# Region file format: DS9 version 4.1\\nimage\\ncircle(101,51,5) # text={7}\\n")
    >>> t = read_regions_table(f)
    >>> t["id"].tolist(), t["x"].tolist(), t["y"].tolist()
    ([7], [100.0], [50.0])
    """
    from astropy.coordinates import SkyCoord
    from regions import PixCoord, Regions

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise StarclassError(f"cannot read {p} as a DS9 region file: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # saved as Windows' "Unicode": 'utf-8' codec can't decode byte 0xff, before
    else:
        # Notepad's "UTF-8 with BOM": the mark was read as part of the first line ('Unable to parse line "\ufeff#
        # Region file format: ds9 version 4.1"')
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        from starclass.io.cutout_folders import not_utf8_message

        raise StarclassError(not_utf8_message(p)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the parser warns of each region it does not know, named below
            # one line end, whatever the file's (CRLF, an old Mac's lone CR), as reading the file gave the parser
            regs = Regions.parse("\n".join(text.splitlines()) + "\n", format="ds9")
    except Exception as exc:
        raise StarclassError(f"cannot read {p} as a DS9 region file: {exc}") from None
    pix, sky, texts = [], [], []
    for k, reg in enumerate(regs, start=1):
        centre = getattr(reg, "center", None)
        if centre is None:
            shape = type(reg).__name__.replace("Region", "").replace("Pixel", "").replace("Sky", "").lower()
            raise StarclassError(f"{p}: region {k} ({shape}) has no centre; give each source as a circle or a point")
        (pix if isinstance(centre, PixCoord) else sky).append((k, centre))
        texts.append(str(reg.meta.get("text", "")).strip())
    if pix and sky:
        raise StarclassError(
            f"{p}: mixes image regions ({len(pix)}, first region {pix[0][0]}) and sky regions ({len(sky)}, "
            f"first region {sky[0][0]}); give one kind of coordinates")
    out = Table()
    distinct = all(texts) and len(set(texts)) == len(texts)
    if distinct and all(t.lstrip("-").isdigit() for t in texts):
        out[ID] = np.array([int(t) for t in texts], dtype=np.int64)
    elif distinct:
        out[ID] = np.array(texts)
    else:
        out[ID] = np.arange(1, len(texts) + 1, dtype=np.int64)
        if any(texts):
            out["text"] = np.array(texts)
    if pix:
        out[X] = np.array([c.x for _, c in pix], dtype=float)
        out[Y] = np.array([c.y for _, c in pix], dtype=float)
    elif sky:
        icrs = SkyCoord([c for _, c in sky]).icrs
        out[RA] = np.asarray(icrs.ra.deg, dtype=float)
        out[DEC] = np.asarray(icrs.dec.deg, dtype=float)
    else:
        out[X] = np.zeros(0)
        out[Y] = np.zeros(0)
    return out
