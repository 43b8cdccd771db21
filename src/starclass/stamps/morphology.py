"""Per-cutout statistics of single-band stamps: pixel values, background noise, morphology.

Used to hold simulated cutouts to real ones (``benchmarks/realism_pandas.py``,
``docs/real_images.md``) and usable as features for a non-deep baseline. The morphology comes
from maintained libraries, not from code written here:

* the source is the segment of :func:`photutils.segmentation.detect_sources` (on the
  background-subtracted image, 1.5 sigma, 10 connected pixels) that covers the cutout centre,
  or the one nearest to it;
* by default (``engine="photutils"``, fast) the concentration ``C = 5 log10(r80 / r20)``
  (Bershady et al. 2000; Conselice 2003), the half-light radius ``r50``, the ellipticity and
  the Gini coefficient (Lotz et al. 2004) come from :class:`photutils.segmentation.SourceCatalog`
  (``fluxfrac_radius``, ``ellipticity``, ``gini``), and the rotational asymmetry
  (Conselice 2003, eq. 2) is the one formula computed here, about the segment's centroid,
  because photutils has none and statmorph's costs 1-3 s a cutout;
* with ``engine="statmorph"`` every morphology value, M20 and smoothness included, is
  :mod:`statmorph`'s (Rodriguez-Gomez et al. 2019, MNRAS 483, 4140);
* the background level and noise are the sigma-clipped median and standard deviation
  (:func:`astropy.stats.sigma_clipped_stats`) of a border frame of the cutout.

Every statistic is measured in the image's own units: for 8-bit ZScale-stretched PNGs (the
PAndAS folder) the pixel statistics are in grey levels (0-255), sizes in pixels.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
from astropy.stats import sigma_clipped_stats
from astropy.table import Table
from photutils.segmentation import SegmentationImage, SourceCatalog, detect_sources
from PIL import Image
from scipy.ndimage import gaussian_filter, shift

from starclass.errors import StarclassError

#: Column names of :func:`cutout_statistics`, in order.
STATISTICS: tuple[str, ...] = (
    "pix_mean", "pix_median", "pix_std", "pix_p90", "frac_saturated",
    "bkg_level", "bkg_noise", "concentration", "asymmetry", "ellipticity", "r50", "gini", "m20",
    "smoothness", "flag",
)

#: Width (px) of the border frame whose pixels measure the background.
BORDER_PX = 12


def _background(image: np.ndarray, border: int) -> tuple[float, float]:
    """Sigma-clipped median and std of the pixels within ``border`` px of the edge."""
    frame = np.ones(image.shape, dtype=bool)
    frame[border:-border, border:-border] = False
    _, median, std = sigma_clipped_stats(image[frame], sigma=3.0, maxiters=5)
    return float(median), float(std)


def central_segment(image: np.ndarray, level: float, noise: float, nsigma: float = 1.5,
                    npixels: int = 10) -> np.ndarray | None:
    """Boolean mask of the detected source at (or nearest to) the cutout centre.

    Parameters
    ----------
    image : numpy.ndarray
        2-D image.
    level : float
        Background level (same units as ``image``).
    noise : float
        Background noise (unused when the border frame gives the smoothed image's noise;
        kept as a floor for constant images).
    nsigma : float
        Detection threshold above the background, in units of the noise of the image
        smoothed by a Gaussian of sigma 1 px.
    npixels : int
        Minimum number of connected pixels of a source.

    Returns
    -------
    numpy.ndarray or None
        The mask, or None when nothing is detected.

    Examples
    --------
    >>> import numpy as np
    >>> yy, xx = np.mgrid[:64, :64]
    >>> img = 100 * np.exp(-((xx - 32) ** 2 + (yy - 32) ** 2) / 18.0)
    >>> img = img + np.random.default_rng(0).normal(0, 1, img.shape)
    >>> mask = central_segment(img, 0.0, 1.0)
    >>> bool(mask[32, 32])
    True
    """
    # Smooth by about a seeing disc before thresholding so that noise peaks do not fragment
    # the source (the SExtractor habit, also photutils' documented recipe).
    smooth = gaussian_filter(image - level, 1.0)
    # The threshold is in units of the *smoothed* image's noise, measured like ``noise`` on
    # the border frame (smoothing lowers white noise about 3.5 times, correlated noise less).
    border = max(2, min(BORDER_PX, min(image.shape) // 6))
    _, smooth_noise = _background(smooth, border)
    # npixels passed by position: photutils 3 renamed the keyword to n_pixels
    seg = detect_sources(smooth, nsigma * max(smooth_noise, 1e-3 * max(noise, 1e-6)), npixels)
    if seg is None:
        return None
    ny, nx = image.shape
    cy, cx = ny // 2, nx // 2
    label = int(seg.data[cy, cx])
    if label == 0:
        yy, xx = np.nonzero(seg.data)
        k = int(np.argmin((yy - cy) ** 2 + (xx - cx) ** 2))
        label = int(seg.data[yy[k], xx[k]])
    return seg.data == label


def _value(q) -> float:
    """A scalar as float, whether a plain number or an astropy Quantity (pixels)."""
    return float(np.squeeze(getattr(q, "value", q)))


def _asymmetry(data: np.ndarray, mask: np.ndarray, xc: float, yc: float) -> float:
    """Rotational asymmetry sum|I - I_180| / (2 sum|I|) over the segment, about (xc, yc).

    Conselice (2003, ApJS 147, 1) eq. 2 without the background term; the 180-degree rotation
    about a sub-pixel centre is :func:`scipy.ndimage.rotate`'s job after a shift that puts the
    centre on the array centre.
    """
    ny, nx = data.shape
    img = np.where(mask, data, 0.0)
    shifted = shift(img, ((ny - 1) / 2.0 - yc, (nx - 1) / 2.0 - xc), order=1, mode="constant")
    rotated = shifted[::-1, ::-1]
    denom = 2.0 * np.sum(np.abs(shifted))
    return float(np.sum(np.abs(shifted - rotated)) / denom) if denom > 0 else float("nan")


def cutout_statistics(image: np.ndarray, saturated: float | None = 255.0,
                      engine: str = "photutils") -> dict[str, float]:
    """Pixel, background and morphology statistics of one single-band cutout.

    Parameters
    ----------
    image : numpy.ndarray
        2-D image (any dtype; converted to float).
    saturated : float or None
        Pixel value counted as saturated (255 for 8-bit stretched images; None to skip).
    engine : {"photutils", "statmorph"}
        ``photutils`` (default, about 20 ms a cutout): concentration, ``r50``, ellipticity and
        Gini from :class:`photutils.segmentation.SourceCatalog` (``fluxfrac_radius``,
        ``ellipticity``, ``gini``) and the rotational asymmetry of Conselice (2003) about the
        segment's centroid; M20 and smoothness are NaN. ``statmorph``: every value from
        :class:`statmorph.SourceMorphology` (Petrosian apertures, asymmetry minimised over the
        centre; 1-3 s a cutout on a loaded 2-core machine).

    Returns
    -------
    dict
        Keys :data:`STATISTICS`: ``pix_mean``, ``pix_median``, ``pix_std``, ``pix_p90``,
        ``frac_saturated`` (share of pixels at ``saturated``), ``bkg_level``, ``bkg_noise``
        (border frame, sigma-clipped), ``concentration`` (``5 log10(r80 / r20)``),
        ``asymmetry``, ``ellipticity`` (1 - b/a), ``r50`` (px), ``gini``, ``m20``,
        ``smoothness`` and ``flag`` (0 good; statmorph's flag with that engine; 4 when no
        source was found, and the morphology is then NaN).

    Examples
    --------
    >>> import numpy as np
    >>> yy, xx = np.mgrid[:64, :64]
    >>> img = 200 * np.exp(-((xx - 32) ** 2 + (yy - 32) ** 2) / 32.0)
    >>> img = img + np.random.default_rng(1).normal(10, 2, img.shape)
    >>> s = cutout_statistics(img, saturated=None)
    >>> bool(s["ellipticity"] < 0.1)
    True
    """
    if engine not in ("photutils", "statmorph"):
        raise StarclassError(f"engine must be photutils or statmorph, got {engine!r}")
    img = np.asarray(image, dtype=float)
    if img.ndim != 2:
        raise StarclassError(f"cutout_statistics needs a 2-D image, got shape {img.shape}")
    out: dict[str, float] = {
        "pix_mean": float(img.mean()), "pix_median": float(np.median(img)),
        "pix_std": float(img.std()), "pix_p90": float(np.percentile(img, 90)),
        "frac_saturated": float(np.mean(img >= saturated)) if saturated is not None else float("nan"),
    }
    border = max(2, min(BORDER_PX, min(img.shape) // 6))
    level, noise = _background(img, border)
    out["bkg_level"], out["bkg_noise"] = level, noise
    for k in ("concentration", "asymmetry", "ellipticity", "r50", "gini", "m20", "smoothness"):
        out[k] = float("nan")
    out["flag"] = 4.0
    mask = central_segment(img, level, noise)
    if mask is None:
        return out
    data = img - level
    if engine == "photutils":
        cat = SourceCatalog(data, SegmentationImage(mask.astype(np.int32)))
        src = cat[0]
        # photutils 3.0 renamed fluxfrac_radius -> flux_radius and xcentroid -> x_centroid;
        # the package supports photutils >= 2.0, so take whichever this version has.
        radius = getattr(src, "flux_radius", None) or src.fluxfrac_radius
        r20, r50, r80 = (_value(radius(f)) for f in (0.2, 0.5, 0.8))
        xc = _value(getattr(src, "x_centroid", None) if hasattr(src, "x_centroid") else src.xcentroid)
        yc = _value(getattr(src, "y_centroid", None) if hasattr(src, "y_centroid") else src.ycentroid)
        vals = {"concentration": 5.0 * np.log10(r80 / r20) if r20 > 0 else np.nan,
                "asymmetry": _asymmetry(data, mask, xc, yc),
                "ellipticity": _value(src.ellipticity), "r50": r50,
                "gini": _value(src.gini), "flag": 0.0}
    else:
        # statmorph is imported only here: it pulls in scikit-image at import time (seconds).
        import statmorph

        with warnings.catch_warnings():
            # statmorph warns on every flagged fit; the flag column carries that information.
            warnings.simplefilter("ignore")
            try:
                m = statmorph.SourceMorphology(data, mask.astype(np.int32), 1,
                                               weightmap=np.full(img.shape, max(noise, 1e-3)))
            except Exception as exc:
                warnings.warn(f"statmorph failed on a cutout: {exc}", RuntimeWarning, stacklevel=2)
                return out
        vals = {"concentration": m.concentration, "asymmetry": m.asymmetry,
                "ellipticity": m.ellipticity_asymmetry, "r50": m.r50, "gini": m.gini,
                "m20": m.m20, "smoothness": m.smoothness, "flag": m.flag}
    for k, v in vals.items():
        v = float(np.squeeze(v)) if v is not None else float("nan")
        out[k] = v if np.isfinite(v) else float("nan")
    return out


def read_cutout(path: str | os.PathLike) -> np.ndarray:
    """Read a greyscale image file (PNG, JPEG: via Pillow; NPY) as a 2-D float array.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.npy")
    >>> np.save(p, np.zeros((4, 4)))
    >>> read_cutout(p).shape
    (4, 4)
    """
    p = Path(path)
    if p.suffix.lower() == ".npy":
        arr = np.load(p)
    else:
        with Image.open(p) as im:
            arr = np.asarray(im.convert("L") if im.mode not in ("L", "I", "I;16", "F") else im)
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 3:
        arr = arr.mean(axis=-1)
    return arr


def folder_statistics(labels_csv: str | os.PathLike, per_label: int | None = None,
                      seed: int = 0, labels: tuple[str, ...] | None = None,
                      engine: str = "photutils") -> Table:
    """:func:`cutout_statistics` for every cutout listed in a ``labels.csv``.

    Parameters
    ----------
    labels_csv : path
        CSV with at least ``file`` (relative to the CSV's folder) and ``label``, or its folder; read
        as ``train --stamps`` reads it (:func:`starclass.io.cutout_folders.read_csv_rows`: a
        spreadsheet's ``;`` or tab, a ``sep=`` line, UTF-16).
    per_label : int, optional
        At most this many cutouts per label, drawn at random (``seed``) without replacement.
    seed : int
        Seed of that draw.
    labels : tuple of str, optional
        Keep only these labels.
    engine : {"photutils", "statmorph"}
        Passed to :func:`cutout_statistics`.

    Returns
    -------
    astropy.table.Table
        ``file``, ``label`` and the :data:`STATISTICS` columns, one row per cutout.

    Examples
    --------
    Six 48 px cutouts on a background of 10, compact sources labelled ``cluster`` and broad ones
    ``galaxy``; two of each label are drawn:

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> yy, xx = np.mgrid[:48, :48]
    >>> rng = np.random.default_rng(0)
    >>> rows = ["file,label"]
    >>> for k in range(6):
    ...     label, width = (("cluster", 4.0), ("galaxy", 60.0))[k % 2]
    ...     source = 200 * np.exp(-((xx - 24) ** 2 + (yy - 24) ** 2) / width)
    ...     np.save(d / f"s{k}.npy", source + rng.normal(10, 1, xx.shape))
    ...     rows.append(f"s{k}.npy,{label}")
    >>> _ = (d / "labels.csv").write_text("\\n".join(rows) + "\\n")
    >>> t = folder_statistics(d / "labels.csv", per_label=2)
    >>> t["file"].tolist(), t["label"].tolist()
    (['s1.npy', 's2.npy', 's4.npy', 's5.npy'], ['galaxy', 'cluster', 'cluster', 'galaxy'])
    >>> [round(float(r), 1) for r in t["r50"]]  # the half-light radius (px) tells them apart
    [6.4, 1.7, 1.7, 6.4]
    """
    from starclass.io.cutout_folders import cutout_list_path, listed_path, read_csv_rows

    path = cutout_list_path(labels_csv)  # a folder's labels.csv, else its labels.csv.gz
    if not path.exists():
        raise StarclassError(f"{path}: no labels.csv")

    # the cutout folders' reader: a spreadsheet's ';' file, UTF-16 or a 'sep=' line, which
    # train and classify take, was "needs columns file and label, has file;label" here
    names, cells, _ = read_csv_rows(path)
    if not {"file", "label"} <= set(names):
        raise StarclassError(f"{path}: needs columns file and label, has {', '.join(names)}")
    rows = [{"file": (r["file"] or "").strip(), "label": (r["label"] or "").strip()} for r in cells]
    if labels is not None:
        rows = [r for r in rows if r["label"] in labels]
    if per_label is not None:
        rng = np.random.default_rng(seed)
        keep = []
        for lab in sorted({r["label"] for r in rows}):
            idx = [i for i, r in enumerate(rows) if r["label"] == lab]
            if len(idx) > per_label:
                idx = sorted(rng.choice(idx, per_label, replace=False).tolist())
            keep.extend(idx)
        rows = [rows[i] for i in sorted(keep)]
    cols: dict[str, list] = {"file": [], "label": []}
    cols.update({k: [] for k in STATISTICS})
    for r in rows:
        s = cutout_statistics(read_cutout(listed_path(path.parent, r["file"])), engine=engine)
        cols["file"].append(r["file"])
        cols["label"].append(r["label"])
        for k in STATISTICS:
            cols[k].append(s[k])
    return Table(cols)
