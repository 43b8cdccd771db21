"""Writing simulated labelled cutouts in the form ``train --stamps`` reads, and shared physics.

A simulated sample is a folder with one image file per cutout and band and a ``labels.csv``
(``file`` or ``file_<band>`` columns, ``label``, then the simulated truth), written as a whole
(:func:`starclass.io.atomic.atomic_dir`): a folder that exists is complete. FITS files carry a
celestial WCS (TAN) with the pixel scale, so real-image tools read them as they read survey
cutouts.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_dir
from starclass.io.progress import Progress

__all__ = ["celestial_wcs", "counts_from_fractions", "write_labelled_folder"]

#: What a labelled folder consists of (``--overwrite`` replaces only a folder holding just these).
OWN_NAMES = ("labels.csv", "images", "simulation.json")


def celestial_wcs(shape: tuple[int, int], scale_arcsec: float, ra: float = 150.0, dec: float = 2.0,
                  rotation_deg: float = 0.0, offset_px: tuple[float, float] = (0.0, 0.0)) -> WCS:
    """A TAN WCS of an image of ``shape`` with square pixels of ``scale_arcsec``.

    Parameters
    ----------
    shape : (ny, nx)
        Image shape.
    scale_arcsec : float
        Pixel size in arcsec.
    ra, dec : float
        Sky position (degrees) of the image centre (plus ``offset_px``).
    rotation_deg : float
        Angle of the pixel grid east of north (a survey plate is not aligned with an X-ray
        detector).
    offset_px : (float, float)
        Shift of the reference pixel from the centre, in pixels (x, y).

    Returns
    -------
    astropy.wcs.WCS

    Examples
    --------
    >>> w = celestial_wcs((10, 10), 2.5)
    >>> round(float(w.proj_plane_pixel_scales()[0].to("arcsec").value), 6)
    2.5
    """
    w = WCS(naxis=2)
    ny, nx = shape
    w.wcs.crpix = [(nx + 1) / 2 + offset_px[0], (ny + 1) / 2 + offset_px[1]]
    w.wcs.crval = [ra, dec]
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    s = scale_arcsec / 3600.0
    t = np.deg2rad(rotation_deg)
    # east to the left (-x) on the sky, as survey images are displayed
    w.wcs.cd = np.array([[-s * np.cos(t), s * np.sin(t)], [s * np.sin(t), s * np.cos(t)]])
    return w


def counts_from_fractions(n: int, fractions: dict[Any, float]) -> dict[Any, int]:
    """Split ``n`` into integer counts in the given fractions (largest remainders; sums to n).

    Examples
    --------
    >>> counts_from_fractions(10, {"a": 0.55, "b": 0.45})
    {'a': 6, 'b': 4}
    """
    keys = list(fractions)
    f = np.array([fractions[k] for k in keys], float)
    f = f / f.sum()
    raw = f * n
    base = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - base))[: n - base.sum()]:
        base[i] += 1
    return {k: int(v) for k, v in zip(keys, base)}


def _label_order(label: str) -> tuple:
    """Class numbers in numeric order (2 before 10), other labels after them by name."""
    return (0, int(label), "") if label.lstrip("-").isdigit() else (1, 0, label)


def _fits_header(band: str, wcs: WCS | None, unit: str | None) -> fits.Header:
    """The header of one simulated FITS cutout: its WCS, band, pixel scale and (where it has one) unit.

    The files had the WCS alone: ``info`` said "no BUNIT" of X-ray counts, and a FITS viewer showed
    neither the band nor the unit.

    Examples
    --------
    >>> h = _fits_header("xray", celestial_wcs((8, 8), 3.9), "count")
    >>> h["BUNIT"], h["BAND"], round(h["PIXSCALE"], 6)
    ('count', 'xray', 3.9)
    >>> "BUNIT" in _fits_header("optical", None, None)
    False
    """
    hdr = wcs.to_header() if wcs is not None else fits.Header()
    if unit:
        hdr["BUNIT"] = (unit, "units of the data")
    hdr["BAND"] = (band, "band (image) of this file")
    if wcs is not None:
        from astropy.wcs.utils import proj_plane_pixel_scales

        scale = float(np.mean(proj_plane_pixel_scales(wcs)) * 3600.0)  # degrees: the WCS's units are deg
        hdr["PIXSCALE"] = (scale, "pixel scale (arcsec/pixel)")
    hdr["ORIGIN"] = ("starclass simulate", "simulated, not observed")
    return hdr


def write_labelled_folder(outdir: str | os.PathLike, n: int, make: Callable[[int], tuple[dict, dict]], *,
                          bands: list[str] | None, overwrite: bool = False, progress: bool | None = False,
                          info: dict | None = None, fmt: str = "fits",
                          finish: Callable[[list[dict], dict], None] | None = None,
                          units: dict[str, str] | None = None) -> Path:
    """Simulate ``n`` cutouts with ``make(index)`` and write them as a labelled folder.

    Parameters
    ----------
    outdir : path
        Output folder (``labels.csv``, ``images/``, ``simulation.json``).
    n : int
        Number of cutouts.
    make : callable
        ``make(index) -> (images, row)``: ``images`` maps a band (or ``"rgb"``) to an array
        (``[H, W]`` float, or ``[H, W, 3]`` uint8 for an RGB PNG) plus, for FITS, an optional
        ``"wcs"`` entry; ``row`` holds ``label`` and the truth columns.
    bands : list of str or None
        Band names: one ``file_<band>`` column each; None: one ``file`` column (one FITS or
        one RGB PNG per cutout).
    overwrite : bool
        Replace an existing non-empty folder of this form.
    progress : bool or None
        Show a progress bar (None: a few timed lines, :class:`starclass.io.progress.Progress`).
    info : dict or None
        Written as ``simulation.json`` (settings and class counts).
    fmt : {"fits", "png"}
        File format of the images.
    finish : callable or None
        ``finish(rows, info)``, called with all rows before ``labels.csv`` is written: adds
        columns that need the whole sample (e.g. volunteers weighted on a gold set) and may
        add to ``info``; inside the atomic write, so a folder that exists is complete.
    units : dict or None
        FITS ``BUNIT`` of each image key of ``make`` whose values have a unit (``{"xray": "count"}``);
        an image without one (a photographic plate's density) gets no ``BUNIT``. Every FITS file
        also carries ``BAND`` (the image key), ``PIXSCALE`` (arcsec, from the WCS) and ``ORIGIN``.

    Returns
    -------
    pathlib.Path
        ``OUT/labels.csv``.

    Raises
    ------
    StarclassError
        ``n < 1``, or the output exists (without ``overwrite``) or holds other files.

    Examples
    --------
    >>> import tempfile
    >>> p = write_labelled_folder(tempfile.mkdtemp() + "/s", 2,
    ...                           lambda i: ({"x": np.zeros((4, 4))}, {"label": 1 + i}), bands=None)
    >>> p.read_text().splitlines()[0]
    'file,label'
    """
    import json

    if n < 1:
        raise StarclassError(f"--n must be >= 1, got {n}")
    out = Path(outdir)
    rows = []
    with atomic_dir(out, overwrite=overwrite, own=OWN_NAMES) as tmp:
        (tmp / "images").mkdir()
        # through Progress, not tqdm itself: a log file (`simulate ... > log 2>&1`) gets a few timed lines. Its
        # iterate() in the for statement, not kept in a variable: an error in the loop closes it (and its "still
        # working" thread), where a kept generator stayed open while the error's traceback was kept
        for i in Progress(n, desc="cutouts", noun="cutout", show=progress).iterate(range(n)):
            images, row = make(i)
            wcs = images.pop("wcs", None)
            files = {}
            for band, img in images.items():
                rel = f"images/sim_{i:06d}" + ("" if bands is None else f"_{band}") + f".{fmt}"
                if fmt == "png":
                    from PIL import Image

                    Image.fromarray(np.asarray(img, np.uint8)).save(tmp / rel, format="PNG")
                else:
                    fits.PrimaryHDU(np.asarray(img, np.float32),
                                    header=_fits_header(band, wcs, (units or {}).get(band))).writeto(tmp / rel)
                files["file" if bands is None else f"file_{band}"] = rel
            rows.append({**files, **row})
        info = dict(info or {})
        if finish is not None:
            finish(rows, info)
        # the class counts the docs promise in simulation.json: only galaxy-cluster wrote any
        # (its experts'); counted from the label column as written, classes in order
        labels = Counter(str(r["label"]) for r in rows if "label" in r)
        info.setdefault("label_counts", {k: labels[k] for k in sorted(labels, key=_label_order)})
        cols = list(dict.fromkeys(k for r in rows for k in r))  # truth columns may differ by class
        with open(tmp / "labels.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, restval="")
            w.writeheader()
            for r in rows:
                w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
        (tmp / "simulation.json").write_text(json.dumps(info, indent=2, default=str))
    return out / "labels.csv"
