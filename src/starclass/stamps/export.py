"""Per-candidate multi-extension FITS, as the PHANGS-HST classifiers use them
(Whitmore et al. 2021, section 10 / Wei et al. 2020: 299 x 299 px sub-images per band).

One file per candidate, ``<prefix><id>.fits``:

* primary HDU (no data): ``ID``, ``X``, ``Y`` (0-based candidate position), ``XC``, ``YC``
  (the centre pixel, ``floor(x + 0.5)``), ``SIZE``, ``BANDS``, ``NBANDS``, ``ORIGIN``;
* one image extension per band, ``EXTNAME`` = band, with ``BAND``, ``ID``, ``X``, ``Y``,
  ``ZP`` (zeropoint, when known), the cut-out's WCS (the mosaic's with ``CRPIX`` shifted, SIP kept)
  and ``BLANK`` pixels (off the image or bad) written as NaN.

These files are for people and other tools (DS9, external classifiers), not for starclass
models: model inputs come from :func:`starclass.stamps.make_inputs`, which never holds NaN.
Each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

from starclass.errors import OutputExistsError, StarclassError
from starclass.io import MosaicsLike
from starclass.io.atomic import atomic_path
from starclass.io.progress import Progress
from starclass.schema import ID, X, Y
from starclass.stamps.extract import centre_pixels, extract_stamps, resolve_images
from starclass.stamps.inputs import _weights

__all__ = ["export_phangs_fits"]


def cutout_wcs(wcs: WCS, x0: int, y0: int) -> WCS:
    """The WCS of a cut-out whose pixel (0, 0) is pixel ``(x0, y0)`` (0-based) of the mosaic of ``wcs``.

    ``CRPIX`` is shifted, and so is the SIP distortion's own reference pixel: a copy with only
    ``wcs.crpix`` shifted kept SIP about the mosaic's reference pixel, and ``to_header()`` without
    ``relax`` left SIP out, so the cut-outs of a mosaic with SIP keywords placed their pixels up to
    0.8 px off on a 64 px cut-out (0.4 px at the candidate itself) of a simulated field. Written with
    ``to_header(relax=True)``, the SIP keywords go with it.

    Parameters
    ----------
    wcs
        The mosaic's celestial :class:`astropy.wcs.WCS`.
    x0, y0
        The mosaic pixel (column, row; 0-based, may be negative) at the cut-out's pixel (0, 0).

    Returns
    -------
    astropy.wcs.WCS

    Examples
    --------
    >>> from astropy.wcs import WCS
    >>> w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.crpix = [50, 50]
    >>> w.wcs.cdelt = [-1e-5, 1e-5]
    >>> [float(v) for v in cutout_wcs(w, 10, 20).wcs.crpix]
    [40.0, 30.0]
    """
    from astropy.wcs import Sip

    w = wcs.deepcopy()
    w.wcs.crpix = [w.wcs.crpix[0] - x0, w.wcs.crpix[1] - y0]
    if w.sip is not None:
        w.sip = Sip(w.sip.a, w.sip.b, w.sip.ap, w.sip.bp, w.wcs.crpix)
    return w


def _file_name(ident: Any, prefix: str) -> str:
    """``<prefix><id>.fits``: an integer id zero-padded to 6 digits, other ids with / and spaces made _."""
    if np.issubdtype(np.asarray(ident).dtype, np.integer):
        return f"{prefix}{int(ident):06d}.fits"
    return f"{prefix}{str(ident).strip().replace('/', '_').replace(' ', '_')}.fits"


def export_phangs_fits(
    mosaics: MosaicsLike,
    table: Any,
    outdir: str | Path,
    size: int = 299,
    bands: Sequence[str] | None = None,
    *,
    prefix: str = "cand_",
    fill: float = np.nan,
    masks: Any = None,
    weights: Any = "auto",
    batch: int = 32,
    progress: bool | None = False,
    overwrite: bool = False,
) -> list[Path]:
    """Write one multi-extension FITS file of ``size`` x ``size`` stamps per candidate.

    Parameters
    ----------
    mosaics
        MosaicSet (its ``wcs`` and ``zeropoint`` go into the headers) or arrays.
    table
        Candidates with ``x``, ``y`` (0-based) and optionally ``id`` (default: row number).
    outdir
        Directory for the files (created).
    size
        Stamp side (PHANGS: 299).
    bands
        Bands to write, in this order (default: all).
    prefix
        File name prefix; names are ``<prefix><id>.fits`` (id zero-padded to 6 digits when
        an integer).
    fill
        Value of pixels off the image or bad (default NaN, the FITS convention for blank).
    masks
        Optional per-band bad-pixel masks (True = bad).
    weights
        Weight maps (zero weight = bad); ``"auto"``: the MosaicSet's, where present.
    batch
        Candidates extracted at once (bounds memory: ``batch * bands * size**2 * 4`` bytes).
    progress
        Show a tqdm progress bar (None: a few timed lines instead, :class:`starclass.io.progress.Progress`).
    overwrite
        Replace files of the same names in ``outdir``; without it any such file is refused
        before one is written (a notebook's second export replaced the first without a word).

    Returns
    -------
    list of pathlib.Path
        The files written, in table order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from astropy.io import fits
    >>> from astropy.table import Table
    >>> images = {"f555w": np.ones((64, 64), np.float32), "f814w": np.ones((64, 64), np.float32)}
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> paths = export_phangs_fits(images, Table({"id": [7], "x": [30.0], "y": [31.0]}), out, size=21)
    >>> [p.name for p in paths], [h.name for h in fits.open(paths[0])][1:], fits.getdata(paths[0], 1).shape
    (['cand_000007.fits'], ['F555W', 'F814W'], (21, 21))
    >>> export_phangs_fits(images, Table({"id": [7], "x": [30.0], "y": [31.0]}), out, size=21)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...cand_000007.fits exists (overwrite=False); give overwrite=True to replace it
    """
    names, arrays = resolve_images(mosaics, bands)
    for col in (X, Y):
        if col not in table.colnames:
            raise StarclassError(f"candidate table has no column {col!r} (0-based pixel positions)")
    x = np.asarray(table[X], dtype=np.float64)
    y = np.asarray(table[Y], dtype=np.float64)
    ids = np.asarray(table[ID]) if ID in table.colnames else np.arange(len(x))
    outdir = Path(outdir)
    names_out = [_file_name(ident, prefix) for ident in ids]
    if not overwrite:
        taken = [n for n in names_out if (outdir / n).exists()]
        if taken:
            more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
            raise OutputExistsError(f"{outdir / taken[0]} exists{more} (overwrite=False); give overwrite=True to "
                                    "replace it", outdir / taken[0])
    outdir.mkdir(parents=True, exist_ok=True)
    wcs = getattr(mosaics, "wcs", None)
    zps = getattr(mosaics, "zeropoint", None) or {}
    cx, cy = centre_pixels(x, y) if len(x) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    half = int(size) // 2
    paths: list[Path] = []
    bar = Progress(len(x), desc="PHANGS FITS", noun="candidate", show=progress, unit="cand")
    images = dict(zip(names, arrays))

    wmaps = _weights(mosaics, weights)
    try:
        for start in range(0, len(x), batch):
            stop = min(len(x), start + batch)
            stamps, _ = extract_stamps(images, x[start:stop], y[start:stop], size, names, fill=fill, masks=masks,
                                       weights=wmaps)
            for k in range(stop - start):
                n = start + k
                ident = ids[n]
                fname = names_out[n]
                primary = fits.PrimaryHDU()
                h = primary.header
                h["ID"] = (_scalar(ident), "candidate id")
                h["X"] = (float(x[n]), "candidate x (0-based mosaic pixel)")
                h["Y"] = (float(y[n]), "candidate y (0-based mosaic pixel)")
                h["XC"] = (int(cx[n]), "centre column floor(x+0.5) at SIZE//2")
                h["YC"] = (int(cy[n]), "centre row floor(y+0.5) at SIZE//2")
                h["SIZE"] = (int(size), "stamp side in pixels")
                h["NBANDS"] = len(names)
                h["BANDS"] = ",".join(names)
                h["ORIGIN"] = "starclass"
                hdus = [primary]
                x0, y0 = int(cx[n]) - half, int(cy[n]) - half
                for b, band in enumerate(names):
                    hdr = fits.Header()
                    if wcs is not None:
                        hdr.update(cutout_wcs(wcs, x0, y0).to_header(relax=True))
                    hdr["BAND"] = band
                    hdr["ID"] = _scalar(ident)
                    hdr["X"] = float(x[n])
                    hdr["Y"] = float(y[n])
                    if band in zps and np.isfinite(zps[band]):
                        hdr["ZP"] = (float(zps[band]), "mag = -2.5 log10(value) + ZP")
                    hdus.append(fits.ImageHDU(stamps[k, b], header=hdr, name=band.upper()))
                target = outdir / fname
                with atomic_path(target, suffix=".fits") as tmp:
                    fits.HDUList(hdus).writeto(tmp, overwrite=True)
                paths.append(target)
            bar.update(stop - start)
    finally:
        bar.close()
    return paths


def _scalar(v: Any) -> Any:
    v = np.asarray(v).item()
    return v.decode() if isinstance(v, bytes) else v
