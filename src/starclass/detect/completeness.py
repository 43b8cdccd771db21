"""Completeness of a candidate list against a truth catalogue, as a function of magnitude."""

from __future__ import annotations

import os
from collections.abc import Sequence

import astropy.units as u
import numpy as np
from astropy.table import Table

from starclass.bands import BANDS, ab_minus_vega, meta_camera
from starclass.detect.match import match_truth
from starclass.errors import OutputExistsError, StarclassError, counted, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.io.mosaic import Mosaics
from starclass.schema import (
    CLASS_REF,
    COMPLETENESS,
    MAG_HI,
    MAG_LO,
    N_FOUND,
    N_TRUE,
    X_LIGHT,
    Y_LIGHT,
    X,
    Y,
    mag_col,
    mag_true_col,
)


def _col(table: Table, name: str) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(table[name], dtype=float), np.nan)


def check_truth(truth: Table, band: str, source: str | os.PathLike = "truth catalogue") -> None:
    """Refuse a truth catalogue that cannot give completeness in ``band``, naming what is missing.

    :func:`completeness` needs ``x``, ``y`` and a true (``mag_true_<band>``) or measured
    (``mag_<band>``) magnitude of the band. ``detect --truth`` calls this before the detection,
    so a catalogue without magnitudes fails in a second, not after minutes of work.

    Parameters
    ----------
    truth
        The truth catalogue as read.
    band
        The detection (V) band of the mosaics.
    source
        The file, for the message.

    Raises
    ------
    StarclassError
        Naming ``source``, the missing columns and the columns it has.

    Examples
    --------
    >>> check_truth(Table({"x": [1.0], "y": [2.0], "mag_true_f555w": [22.0]}), "f555w")
    >>> check_truth(Table({"x": [1.0], "y": [2.0]}), "f555w", "t.ecsv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --truth t.ecsv has no magnitude of the V band f555w (needs ...); its columns: x, y
    """
    band = band.lower()
    have = truth.colnames
    missing_xy = [c for c in (X, Y) if c not in have]
    problems = []
    if missing_xy:
        problems.append(f"no {' or '.join(missing_xy)} column")
    if mag_true_col(band) not in have and mag_col(band) not in have:
        problems.append(f"no magnitude of the V band {band} (needs {mag_true_col(band)} or {mag_col(band)})")
    if problems:
        listed = ", ".join(have[:20]) + (", ..." if len(have) > 20 else "")
        raise StarclassError(f"--truth {source} has {'; '.join(problems)}; its columns: {listed or 'none'}")


def on_data(table: Table, mosaics: Mosaics, band: str) -> np.ndarray:
    """Which rows of ``table`` lie on the data of ``band``: on the image and on a pixel that is not masked.

    Masked pixels are those of ``mosaics.mask(band)``: NaN (a drizzled mosaic's border), zero weight,
    flagged. A truth object there cannot be detected, so ``detect --truth`` leaves such rows out of the
    completeness rather than counting them as missed.

    Parameters
    ----------
    table
        Rows with ``x``, ``y`` (0-based pixels).
    mosaics
        Anything with ``shape`` and ``mask(band)`` (a :class:`~starclass.io.mosaic.MosaicSet`).
    band
        The band whose data count (the detection band).

    Returns
    -------
    numpy.ndarray
        Boolean ``[len(table)]``; False for a row off the image, on a masked pixel or without a position.

    Examples
    --------
    >>> from starclass.detect import ArrayMosaics
    >>> img = np.ones((10, 10), np.float32)
    >>> img[:, :4] = np.nan
    >>> ms = ArrayMosaics({"f555w": img}, {"f555w": 25.0})
    >>> on_data(Table({"x": [2.0, 6.0, 12.0], "y": [5.0, 5.0, 5.0]}), ms, "f555w").tolist()
    [False, True, False]
    """
    x, y = _col(table, X), _col(table, Y)
    ny, nx = mosaics.shape[:2]
    with np.errstate(invalid="ignore"):
        ix, iy = np.rint(x), np.rint(y)
        inside = np.isfinite(ix) & np.isfinite(iy) & (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    out = inside.copy()
    if inside.any():
        bad = mosaics.mask(band)
        out[inside] = ~np.asarray(bad)[iy[inside].astype(np.intp), ix[inside].astype(np.intp)]
    return out


def completeness(
    truth: Table,
    found: Table,
    *,
    band: str = "f555w",
    radius: float = 2.0,
    bins: Sequence[float] | None = None,
    classes: Sequence[int] | None = None,
) -> Table:
    """Fraction of true objects recovered (matched within ``radius`` px) per magnitude bin.

    A true object is recovered by a detection within ``radius`` of its ``x``, ``y`` or of its
    centre of light ``x_light``, ``y_light`` where the truth has them (simulated truths do), one
    to one (:func:`starclass.detect.match.match_truth`).

    Parameters
    ----------
    truth
        Truth catalogue with ``x``, ``y`` (optionally ``x_light``, ``y_light``) and a true magnitude
        column ``mag_true_<band>`` (``mag_<band>`` is used when there is no ``mag_true_<band>``).
    found
        Detected candidates with ``x``, ``y``.
    band
        Band of the magnitudes (V by default).
    radius
        Match radius (px).
    bins
        Magnitude bin edges (default: 0.5 mag bins over the truth's range).
    classes
        Only truth rows whose ``class_ref`` is in ``classes`` (e.g. (1, 2, 3)); None = all.

    Returns
    -------
    astropy.table.Table
        ``mag_lo``, ``mag_hi`` (unit mag), ``n_true``, ``n_found``, ``completeness`` per bin, and in
        ``meta``: ``matched`` (total), ``n_found_unmatched`` (detections that are no truth object's match:
        sources the truth does not list, or a second detection of one), ``median_mag_unmatched`` and
        ``faintest_true_mag`` (where ``found`` has ``mag_<band>``: how much fainter those are than the truth's
        limit), ``median_dmag`` (median of measured - true magnitude
        of matched objects, where ``found`` has ``mag_<band>``, in the truth's system: measured AB
        magnitudes (``meta['magsys']``) are put on a Vega truth with the band's offset, as
        ``dmag_system`` says).

    Examples
    --------
    >>> from astropy.table import Table
    >>> truth = Table({"x": [10.0, 30.0, 50.0, 70.0], "y": [10.0] * 4, "mag_true_f555w": [21.2, 21.4, 22.6, 22.8]})
    >>> found = Table({"x": [10.3, 30.2, 50.1], "y": [10.0, 9.8, 10.1]})
    >>> c = completeness(truth, found, bins=[21.0, 22.0, 23.0])
    >>> c["completeness"].tolist(), c.meta["matched"], c.meta["n_found_unmatched"]
    ([1.0, 0.5], 3, 0)
    """
    from starclass.io.catalog import catalog_argument  # io.catalog loads pyarrow: only here

    # DataFrames stopped on .colnames; x in arcsec was matched as pixels
    truth, found = catalog_argument(truth, "the truth catalogue"), catalog_argument(found, "the detections")
    band = band.lower()
    mcol = mag_true_col(band) if mag_true_col(band) in truth.colnames else mag_col(band)
    if mcol not in truth.colnames:
        have = sorted(c for c in truth.colnames if c.startswith("mag_"))
        raise StarclassError(f"truth catalogue has no 'mag_true_{band}' or 'mag_{band}' column (its magnitude "
                             f"columns: {', '.join(have) or 'none'})")
    sel = np.ones(len(truth), dtype=bool)
    if classes is not None:
        if CLASS_REF not in truth.colnames:
            raise StarclassError("classes given but the truth catalogue has no 'class_ref' column")
        sel = np.isin(np.ma.filled(np.ma.asarray(truth[CLASS_REF]), 0), list(classes))
    t = truth[sel]
    # at the position or the centre of light: a cluster and its off-centre star are found as one blend
    # near the centre of light, 2-3 px from the body's centre, and were counted as missed
    ia, ib, _ = match_truth(t, found, radius=radius)
    mag = _col(t, mcol)
    hit = np.zeros(len(t), dtype=bool)
    hit[ia] = True
    if bins is None:
        fin = mag[np.isfinite(mag)]
        lo = np.floor(fin.min() * 2) / 2 if fin.size else 18.0
        # the edge above the faintest: np.digitize puts a magnitude equal to the last edge past it, so
        # ceil() dropped a faintest object on a half magnitude (20.0) and, with all of one magnitude,
        # left no bin at all (detect --truth then failed with a traceback)
        hi = np.floor(fin.max() * 2) / 2 + 0.5 if fin.size else 28.0
        bins = np.arange(lo, hi + 0.25, 0.5)
    edges = np.asarray(bins, dtype=float)
    idx = np.digitize(mag, edges) - 1
    n_true = np.array([(idx == k).sum() for k in range(len(edges) - 1)])
    n_found = np.array([((idx == k) & hit).sum() for k in range(len(edges) - 1)])
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(n_true > 0, n_found / np.maximum(n_true, 1), np.nan)
    out = Table({MAG_LO: edges[:-1], MAG_HI: edges[1:], N_TRUE: n_true,
                 N_FOUND: n_found, COMPLETENESS: frac})
    # the bin edges are magnitudes, as the catalogues' mag_<band> columns are (ECSV keeps the unit), and
    # say which band's: the file alone named it only in its meta
    out[MAG_LO].unit = out[MAG_HI].unit = u.mag
    out[MAG_LO].description = f"the bin's lower (brighter) edge of the true {band} magnitude ({mcol})"
    out[MAG_HI].description = f"the bin's upper (fainter) edge of the true {band} magnitude ({mcol})"
    out.meta["band"] = band
    out.meta["radius_px"] = radius
    out.meta["matched_at"] = "x, y or x_light, y_light" if X_LIGHT in t.colnames and Y_LIGHT in t.colnames else "x, y"
    out.meta["matched"] = int(hit.sum())
    out.meta["n_truth"] = int(len(t))
    # the detections left over: a detection list is every peak above the threshold, and a user seeing 567
    # candidates for 300 true objects took detect for broken; how many and how faint says what they are
    spare = np.ones(len(found), dtype=bool)
    spare[ib] = False
    out.meta["n_found_unmatched"] = int(spare.sum())
    fcol = mag_col(band)
    if fcol in found.colnames:
        measured_all = _col(found, fcol)
        # detect --magsys ab against a Vega truth (simulate's): the difference was the band's AB - Vega
        # offset plus the photometry's error, and was printed as the error
        f_sys, t_sys = (str(c.meta.get("magsys") or "vega").lower() for c in (found, truth))
        if f_sys != t_sys and {f_sys, t_sys} == {"ab", "vega"} and band in BANDS:
            # the offset of the camera that took the measured AB magnitudes, where detect recorded it
            offset = ab_minus_vega(band, meta_camera(found.meta, band))
            measured_all = measured_all - offset if f_sys == "ab" else measured_all + offset
            out.meta["dmag_system"] = (f"measured {f_sys.upper()} put on the truth's {t_sys.upper()} "
                                       f"(AB - Vega {offset:+.2f})")
        left = measured_all[spare]
        if np.isfinite(left).any() and np.isfinite(mag).any():
            # in the truth's system, as median_dmag: the two are compared in one line
            out.meta["median_mag_unmatched"] = float(np.nanmedian(left))
            out.meta["faintest_true_mag"] = float(np.nanmax(mag))
    if fcol in found.colnames and len(ia):
        measured = measured_all[ib]
        dm = measured - mag[ia]
        out.meta["median_dmag"] = float(np.nanmedian(dm)) if np.isfinite(dm).any() else float("nan")
    return out


def found_note(cat: Table, threshold: float) -> str:
    """The line that says what an unselected candidate list holds, and the cut that makes a catalogue of it.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"mag_f555w": [21.0, 24.0, 26.5]})
    >>> t.meta["detect_band"] = "f555w"
    >>> print(found_note(t, 5.0))  # doctest: +NORMALIZE_WHITESPACE
    note: the 3 candidates are every peak above S/N 5 in f555w (--threshold), m_f555w 21.0-26.5 (median 24.0):
    clusters, stars, blends and noise peaks alike, so more than a catalogue of the field lists; a catalogue keeps
    those passing a cut (--mag-limit 24 --ci-min 1.35 LEGUS-like, or --mci-polygon default PHANGS-like), and
    classify's non-cluster class takes what is left (docs/detect.md)
    """
    band = str(cat.meta.get("detect_band", ""))
    mags = ""
    col = f"mag_{band}"
    if band and col in cat.colnames:
        m = np.ma.filled(np.ma.asarray(cat[col], dtype=float), np.nan)
        if np.isfinite(m).any():
            mags = (f", m_{band} {np.nanmin(m):.1f}-{np.nanmax(m):.1f} (median {np.nanmedian(m):.1f})")
    where = f" in {band}" if band else ""
    return (f"note: the {counted(len(cat), 'candidate')} are every peak above S/N {threshold:g}{where} "
            f"(--threshold){mags}: clusters, stars, blends and noise peaks alike, so more than a catalogue of the "
            "field lists; a catalogue keeps those passing a cut (--mag-limit 24 --ci-min 1.35 LEGUS-like, or "
            "--mci-polygon default PHANGS-like), and classify's non-cluster class takes what is left (docs/detect.md)")


def unmatched_note(meta: dict, n_detected: int, band: str) -> str:
    """The line that says what the detections no truth object matched are ("" when there are none).

    Examples
    --------
    >>> print(unmatched_note({"n_found_unmatched": 256, "median_mag_unmatched": 25.21,
    ...                       "faintest_true_mag": 24.49}, 567, "f555w"))  # doctest: +NORMALIZE_WHITESPACE
    the other 256 of the 567 candidates are no truth object's match (median m_f555w 25.2, the truth's faintest
    24.5): sources the truth does not list (stars and objects fainter than its limit, stars of resolved
    clusters, noise peaks) or a second detection of one object
    """
    n = int(meta.get("n_found_unmatched", 0))
    if not n:
        return ""
    faint = ""
    if "median_mag_unmatched" in meta and "faintest_true_mag" in meta:
        faint = (f" (median m_{band} {meta['median_mag_unmatched']:.1f}, the truth's faintest "
                 f"{meta['faintest_true_mag']:.1f})")
    return (f"the other {n} of the {counted(n_detected, 'candidate')} are no truth object's match{faint}: sources "
            "the truth does not list (stars and objects fainter than its limit, stars of resolved clusters, noise "
            "peaks) or a second detection of one object")


def fraction_brighter(truth: Table, found: Table, mag_max: float, *, band: str = "f555w",
                      radius: float = 2.0, classes: Sequence[int] | None = None) -> tuple[float, int]:
    """Recovered fraction of true objects brighter than ``mag_max`` (and their number).

    Examples
    --------
    Two true objects are brighter than V = 22; both are found within 2 px:

    >>> truth = Table({"x": [10.0, 30.0, 50.0], "y": [10.0, 10.0, 10.0], "mag_true_f555w": [21.2, 22.6, 21.8]})
    >>> fraction_brighter(truth, Table({"x": [10.2, 50.5], "y": [10.0, 10.0]}), 22.0)
    (1.0, 2)
    """
    tab = completeness(truth, found, band=band, radius=radius, bins=[-np.inf, mag_max], classes=classes)
    return float(tab["completeness"][0]), int(tab["n_true"][0])


def plot_completeness(table: Table, path: str | os.PathLike, title: str | None = None, *,
                      overwrite: bool = False) -> None:
    """Write a PNG of completeness against magnitude (atomically).

    An existing file is refused unless ``overwrite``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> truth = Table({"x": [10.0, 30.0], "y": [10.0, 10.0], "mag_true_f555w": [21.2, 22.6]})
    >>> tab = completeness(truth, Table({"x": [10.2], "y": [10.0]}), bins=[21.0, 22.0, 23.0])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "completeness.png"
    >>> plot_completeness(tab, path)
    >>> path.stat().st_size > 1000
    True
    """
    if os.path.exists(path) and not overwrite:
        raise OutputExistsError(exists_refusal(path), path)
    # matplotlib adds 0.6-1.8 s (measured): only the completeness PNG pays for it; a figure of its own, not
    # pyplot's, so a notebook's backend and open figures are left as they were
    from matplotlib.figure import Figure

    centre = 0.5 * (np.asarray(table["mag_lo"]) + np.asarray(table["mag_hi"]))
    fig = Figure(figsize=(5.5, 3.6), dpi=110)
    ax = fig.subplots()
    ax.step(centre, table["completeness"], where="mid", color="k")
    ax.plot(centre, table["completeness"], "o", color="k", ms=3)
    ax.axhline(0.9, color="0.6", ls=":", lw=1)
    ax.set_xlabel(f"true {table.meta.get('band', 'V').upper()} magnitude")
    ax.set_ylabel("fraction recovered")
    ax.set_ylim(-0.02, 1.05)
    ax.set_title(title or f"completeness (match within {table.meta.get('radius_px', 2)} px)")
    ax2 = ax.twinx()
    ax2.bar(centre, table["n_true"], width=0.9 * (table["mag_hi"] - table["mag_lo"]), color="C0", alpha=0.2)
    ax2.set_ylabel("true objects per bin", color="C0")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
