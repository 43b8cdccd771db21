"""Aperture photometry, concentration indices, local background, FWHM, crowding at given x, y.

:class:`CandidatePhotometry` holds the settings (photutils' habit: parameters in the
constructor, one call on the data returning a table); :func:`measure` is the same as one
function. Both work on any positions (detections, a catalogue from elsewhere, the simulator's
truth positions) and every band of a mosaic set.

Definitions (PHANGS-HST, Whitmore et al. 2021 section 3.2 and Thilker et al. 2022; LEGUS,
Adamo et al. 2017):

* **local background**: median of the pixels whose centres lie in a circular annulus of radii
  7-8 px around the source, after 3-sigma clipping, subtracted per pixel from every aperture.
  Its scatter (MAD standard deviation) gives the background term of the errors. On an image
  of photon counts (:func:`starclass.io.counts.photon_counts`) the median of a Poisson
  background of under ~0.7 counts/px is 0 (and its MAD too), so there the annulus level is the
  Poisson mean ``-ln(share of zeros)`` (a clipped mean with under half the pixels 0) and its scatter
  ``sqrt(level)``; the rings of the curve of growth are read the same way (:func:`poisson_level`).
* **magnitude** ``mag_<band>``: ``-2.5 log10(F) + zeropoint`` of the background-subtracted
  flux ``F`` (counts/s) in the photometry aperture (radius ``aperture_radius``, 4 px by
  default as in LEGUS/PHANGS), in the magnitude system of the mosaics (Vega for HST products),
  plus the aperture correction: by default (``aperture_correction="growth"``) each source's
  correction to its **total** magnitude from its own V-band curve of growth (see
  :mod:`starclass.detect.apcorr`), as LEGUS catalogues give aperture-corrected totals.
  Non-positive fluxes give NaN.
* **error** ``magerr_<band>``: ``1.0857 sqrt(var) / F`` with
  ``var = F / t + A s^2 + (pi/2) A^2 s^2 / n``: Poisson noise of the source (``t`` the
  exposure time, images being in counts/s), sky noise over the aperture area ``A`` (``s`` the
  annulus scatter) and the uncertainty of the annulus median (``n`` annulus pixels).
* **CI** ``ci = m(1 px) - m(3 px)`` in the V band (no aperture correction).
* **MCI** ``mci_r`` (r = 1..5): the concentration between adjacent apertures of radii r and
  r + 1 px, ``m(r) - m(r + 1)``, divided by the same quantity for a fiducial cluster (an EFF
  profile with power-law index gamma = 3, i.e. a Moffat profile with beta = 1.5, of FWHM
  ``mci_fiducial_fwhm`` = 3 px as seen on the image, just above the 2.4 px star/cluster
  dividing line of the PHANGS classifiers). This is the
  PHANGS construction ("normalised CIs of adjacent radii pairs", Thilker et al. 2022) on integer
  radii: 1 for an object as concentrated as the fiducial cluster at that radius, below 1 for
  steeper objects (stars: near 0 at r >= 3), above 1 for flatter ones. The PHANGS inner and
  outer indices are averages of these: see :func:`starclass.detect.select.mci_inner_outer`.
* **FWHM** from a Gaussian fitted to the radial profile (see :mod:`starclass.detect.profile`).
* **crowding** / **redundant**: see :mod:`starclass.detect.crowding`.

Masked pixels (``mosaics.mask(band)``: NaN or zero weight) are excluded from apertures and
annuli; the background is subtracted only over the unmasked aperture area. ``masked_frac`` is
the share of the V-band aperture lost that way (or off the image): those magnitudes miss its light;
``masked_frac_<band>`` is that share in each band (bands cover different areas).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from astropy.table import Table

from starclass import schema
from starclass.bands import BANDS
from starclass.bands import v_band as default_v_band
from starclass.detect import apcorr
from starclass.detect._images import (
    bad_pixels,
    band_label,
    check_bands,
    exptime_of,
)
from starclass.detect.crowding import crowding_counts, redundant_flags
from starclass.detect.profile import cutouts, fit_fwhm
from starclass.errors import StarclassError, counted
from starclass.io import Mosaics
from starclass.io.mosaic import SKY_POSITIONS
from starclass.io.progress import Progress
from starclass.schema import DEC, ID, RA, X, Y, row_name, rows_counted

#: Radii (px) of the apertures behind the MCI (pairs r, r + 1 for r = 1..5).
MCI_APERTURES: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
#: Radii (px) of the CI apertures.
CI_RADII: tuple[float, float] = (1.0, 3.0)
#: Default local-background annulus (inner, outer radius in px).
ANNULUS: tuple[float, float] = (7.0, 8.0)
_MAG = 2.5 / math.log(10.0)  # 1.0857: d(mag) = _MAG dF/F
#: Share of zero pixels from which :func:`poisson_level` reads a Poisson mean from that share
#: (a mean under ln 2 counts/px); with fewer zeros that estimate is noisier than a clipped mean
#: (variance ``(e^lam - 1) / n`` against ``lam / n``) and biased ((1 - p) / (2 n p)). Measured on
#: 400 boxes of 32 x 32 px: at 1, 2, 3 counts/px the box's level scatters by 4.2, 4.0, 4.4% from
#: the zeros and by 3.1, 2.2, 1.7% as the clipped mean, with biases under 1.5% either way.
POISSON_ZEROS = 0.5


def gaussian_aperture_fraction(radius: float | np.ndarray, fwhm: float | np.ndarray) -> np.ndarray:
    """Fraction of a circular 2-D Gaussian's flux inside ``radius``: ``1 - exp(-r^2 / 2 s^2)``.

    Examples
    --------
    Half the light within r = FWHM / 2 (``1 - 0.5^((2 r / FWHM)^2)``):

    >>> gaussian_aperture_fraction(np.array([1.0, 2.0, 4.0]), 2.0).round(4).tolist()
    [0.5, 0.9375, 1.0]
    """
    sigma = np.asarray(fwhm, dtype=float) / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    return 1.0 - np.exp(-np.asarray(radius, dtype=float) ** 2 / (2.0 * sigma**2))


def eff_aperture_fraction(
    radius: float | np.ndarray, fwhm: float | np.ndarray, gamma: float = 3.0
) -> np.ndarray:
    """Fraction of an EFF (Moffat, ``beta = gamma / 2``) profile's flux inside ``radius``.

    ``I(r) ~ (1 + r^2 / a^2)^(-gamma/2)``; the enclosed fraction is
    ``1 - (1 + r^2 / a^2)^(1 - gamma/2)`` (finite total flux needs ``gamma > 2``), with
    ``a = FWHM / (2 sqrt(2^(2/gamma) - 1))``.

    Examples
    --------
    >>> eff_aperture_fraction(np.array([1.0, 2.0, 4.0]), 2.0).round(4).tolist()
    [0.2063, 0.4536, 0.6899]
    """
    if gamma <= 2:
        raise StarclassError(f"EFF gamma must exceed 2 for a finite flux, got {gamma}")
    beta = gamma / 2.0
    a = np.asarray(fwhm, dtype=float) / (2.0 * np.sqrt(2.0 ** (1.0 / beta) - 1.0))
    return 1.0 - (1.0 + (np.asarray(radius, dtype=float) / a) ** 2) ** (1.0 - beta)


def _mci_normalisation(fiducial_fwhm: float = 3.0) -> np.ndarray:
    """``m(r) - m(r + 1)`` of the fiducial cluster for r = 1..5 (denominators of ``mci_r``)."""
    f = eff_aperture_fraction(np.asarray(MCI_APERTURES), fiducial_fwhm)
    return 2.5 * np.log10(f[1:] / f[:-1])


#: How :func:`measure`'s refusal of rows off the image (or without a position) ends: a notebook's user was told
#: which rows, but not that ``detect --positions`` and the survey measure the others and keep these.
OFF_IMAGE_HINT = ("measure() measures every row or none: measure_on_image() measures the others and keeps these "
                  "rows unmeasured (NaN photometry, masked_frac 1), as detect --positions and survey do")


def positions_of(table: Table, shape: tuple[int, int], what: str = "table", hint: str | None = None) -> np.ndarray:
    """Checked ``(N, 2)`` array of 0-based x, y; off-image or missing positions raise.

    A position is on the image when ``-0.5 <= x < nx - 0.5`` and ``-0.5 <= y < ny - 0.5``
    (inside the outer edges of the border pixels). The error names the rows of both faults (missing
    and off the image), ``hint`` (what to do instead) ending it.

    Examples
    --------
    >>> positions_of(Table({"x": [1.0, 5.0], "y": [2.0, 9.4]}), (10, 10)).tolist()
    [[1.0, 2.0], [5.0, 9.4]]
    >>> positions_of(Table({"x": [1.0, 12.0], "y": [2.0, 3.0]}), (10, 10), "cands.ecsv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cands.ecsv: positions off the 10 x 10 image in 1 row: row 2 x=12.00 y=3.00 (...)
    """
    for col in (X, Y):
        if col not in table.colnames:
            raise StarclassError(f"{what}: required column {col!r} is missing")
    x = np.ma.filled(np.ma.asarray(table[X], dtype=float), np.nan)
    y = np.ma.filled(np.ma.asarray(table[Y], dtype=float), np.nan)
    ny, nx = shape
    bad = ~(np.isfinite(x) & np.isfinite(y))
    off = ~bad & ((x < -0.5) | (x >= nx - 0.5) | (y < -0.5) | (y >= ny - 0.5))
    faults = []
    for flag, why in ((bad, "missing/non-finite x or y"), (off, f"positions off the {nx} x {ny} image")):
        if flag.any():
            rows = np.flatnonzero(flag)
            ids = table[ID][rows] if ID in table.colnames else None
            # counted from 1 as the catalogue readers count (this said "row 0" for the first row)
            shown = ", ".join(
                row_name(r) + (f" (id {ids[i]})" if ids is not None else "") + f" x={x[r]:.2f} y={y[r]:.2f}"
                for i, r in enumerate(rows[:10])
            )
            more = f" and {rows.size - 10} more" if rows.size > 10 else ""
            faults.append(f"{why} in {counted(rows.size, 'row')}: {shown}{more}")
    if faults:
        # both faults at once: a table with rows of each was refused for the missing ones, fixed, and refused again
        raise StarclassError(f"{what}: " + "; ".join(faults) + f" ({rows_counted()})" + (f"; {hint}" if hint else ""))
    return np.column_stack([x, y])


def aperture_weights(xy: np.ndarray, radii: list[float], half: int, exact_max: float = 6.0) -> np.ndarray:
    """Exact pixel-overlap weights of circular apertures, on a fixed box per source.

    photutils computes the exact overlap of each circle with the pixel grid
    (``CircularAperture.to_mask(method="exact")``); the masks are placed on a box of side
    ``2 half + 1`` centred on the pixel nearest to each position (the boxes of
    :func:`starclass.detect.profile.cutouts`), so that they can be reused for every band.
    Radii above ``exact_max`` (the curve of growth's 8-12 px apertures, V band only) use the
    pixel-centre rule instead: photutils' per-source masks cost most of the photometry time
    there, and beyond 4 px the curve of growth uses these apertures for their areas, where
    the centre rule errs by < 1%.

    Returns
    -------
    numpy.ndarray
        ``(R, N, S, S)`` float32 weights in [0, 1].

    Examples
    --------
    The weights of a circle sum to its area, pi r^2:

    >>> w = aperture_weights(np.array([[10.0, 10.0]]), [1.0, 2.0], 3)
    >>> w.shape, w.sum(axis=(2, 3), dtype=float).round(3).tolist()
    ((2, 1, 7, 7), [[3.142], [12.566]])
    """
    # here, not at the top: photutils.aperture would add 0.50-0.63 s to the 0.73-1.0 s of
    # `import starclass.detect`, which imports this module (python -X importtime, 3 runs)
    from photutils.aperture import CircularAperture

    n = len(xy)
    size = 2 * half + 1
    w = np.zeros((len(radii), n, size, size), dtype=np.float32)
    cx = np.rint(xy[:, 0]).astype(np.int64) - half
    cy = np.rint(xy[:, 1]).astype(np.int64) - half
    offs = np.arange(-half, half + 1, dtype=float)
    for k, r in enumerate(radii):
        if r > exact_max:
            dx = (np.rint(xy[:, 0]) - xy[:, 0])[:, None] + offs[None, :]
            dy = (np.rint(xy[:, 1]) - xy[:, 1])[:, None] + offs[None, :]
            w[k] = (dy[:, :, None] ** 2 + dx[:, None, :] ** 2) <= r * r
            continue
        masks = CircularAperture(xy, r=r).to_mask(method="exact")
        if n == 1 and not isinstance(masks, list):
            masks = [masks]
        for i, m in enumerate(masks):
            oy = m.bbox.iymin - cy[i]
            ox = m.bbox.ixmin - cx[i]
            h, wd = m.data.shape
            w[k, i, oy:oy + h, ox:ox + wd] = m.data
    return w



def band_photometry(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    radii: list[float],
    annulus: tuple[float, float] = ANNULUS,
    exptime: float = 1.0,
    weights: np.ndarray | None = None,
    poisson: bool = False,
) -> dict[str, np.ndarray]:
    """Background-subtracted aperture fluxes of one image at many positions.

    Parameters
    ----------
    data
        2-D image (counts/s), possibly memory-mapped: only the boxes around the sources are
        read.
    mask
        True where pixels are unusable (or None). Masked and off-image pixels are excluded from
        the sums and from the area over which the background is subtracted.
    xy
        ``(N, 2)`` 0-based positions.
    radii
        Aperture radii (px).
    annulus
        Inner and outer radius (px) of the local-background annulus.
    exptime
        Exposure time (s) for the Poisson term of the errors.
    weights
        Precomputed :func:`aperture_weights` for these positions and radii (reused across
        bands), on boxes of any half-size ``>= ceil(max(radii))``.
    poisson
        The image holds photon counts: the annulus level is Poisson (see
        :func:`annulus_background`).

    Returns
    -------
    dict
        ``flux`` (N, R) background-subtracted fluxes, ``var`` (N, R) their variances,
        ``bkg`` (N,) annulus median per pixel, ``bkg_std`` (N,) annulus MAD scatter,
        ``area`` (N, R) unmasked aperture areas (px^2), ``sums`` (N, R) the raw sums.

    Examples
    --------
    A Gaussian of sigma 1.5 px and peak 100 on a background of 5: the annulus finds the
    background, and the 6 px aperture nearly all of the 2 pi sigma^2 100 = 1413.7:

    >>> yy, xx = np.mgrid[0:41, 0:41]
    >>> img = 5.0 + 100.0 * np.exp(-((xx - 20) ** 2 + (yy - 20) ** 2) / (2 * 1.5**2))
    >>> r = band_photometry(img, None, np.array([[20.0, 20.0]]), [3.0, 6.0], annulus=(12.0, 15.0))
    >>> r["bkg"].tolist(), r["flux"].round(1).tolist()
    ([5.0], [[1205.1, 1413.1]])
    """
    n = len(xy)
    if n == 0:
        z = np.zeros((0, len(radii)))
        return {"flux": z, "var": z, "bkg": np.zeros(0), "bkg_std": np.zeros(0), "area": z,
                "sums": z, "n_ann": np.zeros(0)}
    if weights is None:
        half = int(math.ceil(max(radii))) + 1
        weights = aperture_weights(xy, radii, half)
    half = (weights.shape[-1] - 1) // 2
    boxes, usable = cutouts(data, xy, half, fill=0.0)
    boxes = boxes.astype(np.float64)
    usable = usable & np.isfinite(boxes)
    if mask is not None:
        mboxes, _ = cutouts(mask, xy, half, fill=True)
        usable &= ~mboxes
    boxes[~usable] = 0.0
    sums = np.einsum("rnij,nij->nr", weights, boxes, dtype=np.float64)
    area = np.einsum("rnij,nij->nr", weights, usable.astype(np.float32), dtype=np.float64)

    bkg, bkg_std, n_ann = annulus_background(data, mask, xy, annulus, poisson=poisson)
    no_bkg = ~np.isfinite(bkg)
    bkg = np.where(no_bkg, 0.0, bkg)
    flux = sums - bkg[:, None] * area
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (
            np.clip(flux, 0.0, None) / max(exptime, 1e-12)
            + area * bkg_std[:, None] ** 2
            + (np.pi / 2.0) * area**2 * bkg_std[:, None] ** 2 / np.maximum(n_ann, 1.0)[:, None]
        )
    flux[area <= 0] = np.nan
    bkg[no_bkg] = np.nan
    return {"flux": flux, "var": var, "bkg": bkg, "bkg_std": bkg_std, "area": area, "sums": sums,
            "n_ann": n_ann}


def annulus_background(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    annulus: tuple[float, float] = ANNULUS,
    sigma: float = 3.0,
    maxiters: int = 5,
    chunk: int = 2048,
    poisson: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sigma-clipped median, MAD scatter and pixel count of the local-background annulus.

    The pixels whose centres lie between ``annulus[0]`` and ``annulus[1]`` px of each position
    (photutils' "center" rule) are clipped at ``sigma`` times their MAD standard deviation
    around the median, iterated, for all sources at once (a NaN-padded array per block of
    sources; this replaces a per-source loop and is ~30x faster than ``ApertureStats``).

    With ``poisson=True`` (an image of photon counts) the level is :func:`poisson_level` of the
    annulus pixels and the scatter its square root: the median of a Poisson background of
    0.05 counts/px is 0, and subtracting 0 left the sky in every aperture.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> img = rng.poisson(0.3, (200, 200)).astype(np.float32)
    >>> xy = np.array([[50.0, 50.0], [150.0, 120.0]])
    >>> annulus_background(img, None, xy)[0]  # the median of the counts
    array([0., 0.])
    >>> np.round(annulus_background(img, None, xy, (7.0, 12.0), poisson=True)[0], 1)
    array([0.3, 0.3])

    Returns
    -------
    median, mad_std, n_pixels
        Arrays of shape ``(N,)``; NaN where no usable pixel is left.
    """
    n = len(xy)
    med = np.full(n, np.nan)
    std = np.full(n, np.nan)
    npx = np.zeros(n)
    half = int(math.ceil(annulus[1]))
    offs = np.arange(-half, half + 1, dtype=float)
    for s in range(0, n, chunk):
        sl = slice(s, min(s + chunk, n))
        pos = xy[sl]
        boxes, inside = cutouts(data, pos, half)
        cx, cy = np.rint(pos[:, 0]), np.rint(pos[:, 1])
        dx = (cx - pos[:, 0])[:, None] + offs[None, :]
        dy = (cy - pos[:, 1])[:, None] + offs[None, :]
        r2 = dy[:, :, None] ** 2 + dx[:, None, :] ** 2
        sel = inside & (r2 >= annulus[0] ** 2) & (r2 <= annulus[1] ** 2)
        if mask is not None:
            mboxes, _ = cutouts(mask, pos, half, fill=True)
            sel &= ~mboxes
        cols = np.flatnonzero(sel.any(axis=0).ravel())  # box pixels some source's annulus uses
        vals = np.where(sel, boxes, np.nan).reshape(len(pos), -1)[:, cols].astype(float)
        vals[~np.isfinite(vals)] = np.nan
        if poisson:
            med[sl], npx[sl] = poisson_level(vals, sigma)
            std[sl] = np.sqrt(np.clip(med[sl], 0.0, None))
            continue
        with np.errstate(invalid="ignore"):
            for _ in range(maxiters):
                m = _row_median(vals)
                dev = np.abs(vals - m[:, None])
                mad = 1.4826 * _row_median(dev)
                clip = (dev > sigma * mad[:, None]) & (mad > 0)[:, None]
                if not clip.any():
                    break
                vals[clip] = np.nan
            med[sl] = _row_median(vals)
            std[sl] = 1.4826 * _row_median(np.abs(vals - med[sl, None]))
        npx[sl] = np.isfinite(vals).sum(axis=1)
    return med, std, npx


def _row_median(vals: np.ndarray) -> np.ndarray:
    """Median of each row ignoring NaN (NaN for rows without a finite value); sort-based."""
    if vals.shape[1] == 0:
        # no pixel of any row's annulus or ring is usable (every source of the block on a band's NaN area): the
        # indexing below failed with an IndexError, and detect with it where a band missed every candidate
        return np.full(len(vals), np.nan)
    srt = np.sort(vals, axis=1)  # NaN sort last
    k = np.isfinite(vals).sum(axis=1)
    rows = np.arange(len(vals))
    lo = srt[rows, np.clip((k - 1) // 2, 0, None)]
    hi = srt[rows, np.clip(k // 2, 0, vals.shape[1] - 1)]
    return np.where(k > 0, 0.5 * (lo + hi), np.nan)


def poisson_level(vals: np.ndarray, sigma: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """Poisson mean of each row of counts (NaN-padded), robust to a few bright pixels.

    The one estimator of a counts image's background: the annuli and rings of the photometry and
    the boxes of :func:`starclass.detect.find.background_mesh`.
    Where at least :data:`POISSON_ZEROS` of a row's pixels are 0 (a mean under ln 2 counts/px,
    where the median is 0 and so is the MAD), the mean is ``-ln(share of zeros)``, less its first-order bias
    ``(1 - p) / (2 n p)`` (``p`` the share of zeros of ``n`` pixels: 0.007 counts/px at a mean
    of 0.5 and n = 47); a neighbour's or a cosmic ray's pixels only count as non-zero pixels,
    whatever their values. Otherwise the mean of the pixels within ``sigma`` times
    ``max(MAD std, sqrt(median))`` of the median (a clipped median of integers is biased: 4.83
    on average for a mean of 5 in a 7-8 px annulus).

    Parameters
    ----------
    vals
        ``(N, M)`` counts, one row per source (annulus or ring pixels), NaN where unused.
    sigma
        Clip (in units of the scale above) of the clipped mean.

    Returns
    -------
    level, n_pixels
        Arrays of shape ``(N,)``; NaN where a row has no finite value.

    Examples
    --------
    >>> vals = np.array([[0.0] * 18 + [1.0, 250.0], [np.nan] * 20])
    >>> level, n = poisson_level(vals)
    >>> round(float(level[0]), 4), bool(np.isnan(level[1])), n.tolist()
    (0.1026, True, [20, 0])
    """
    ok = np.isfinite(vals)
    n = ok.sum(axis=1)
    share0 = (vals == 0).sum(axis=1) / np.maximum(n, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(share0 > 0, share0, 1.0)
        from_zeros = np.clip(-np.log(p) - (1.0 - p) / (2.0 * np.maximum(n, 1) * p), 0.0, None)
        med = _row_median(vals)
        scale = np.maximum(1.4826 * _row_median(np.abs(vals - med[:, None])), np.sqrt(np.clip(med, 0, None)))
        keep = ok & (np.abs(vals - med[:, None]) <= sigma * scale[:, None])
        cnt = keep.sum(axis=1)
        clipped = np.where(keep, vals, 0.0).sum(axis=1) / np.maximum(cnt, 1)
    level = np.where(share0 >= POISSON_ZEROS, from_zeros, np.where(cnt > 0, clipped, med))
    return np.where(n > 0, level, np.nan), n


def ring_medians(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    edges: list[float] | tuple[float, ...],
    chunk: int = 1024,
    clip: float | None = 3.0,
    poisson: bool = False,
) -> np.ndarray:
    """Robust mean pixel value in rings ``edges[k] <= r < edges[k + 1]`` around each position.

    Pixels are taken by their centres; masked and off-image pixels are left out. With
    ``clip``, the mean of the pixels within ``clip`` MAD standard deviations of the ring's
    median (one pass): a neighbour's or a cosmic ray's pixels stand far out and are dropped,
    while the smooth azimuthal variation of an elongated object is kept (a plain median
    would under-count its light); with ``clip=None``, the median. With ``poisson=True`` (an image
    of photon counts, whose ring medians and MADs are 0 on a faint background) the ring's
    :func:`poisson_level`.

    Returns
    -------
    numpy.ndarray
        ``(N, len(edges) - 1)``; NaN where a ring has no usable pixel.

    Examples
    --------
    >>> yy, xx = np.mgrid[0:41, 0:41]
    >>> img = 5.0 + 100.0 * np.exp(-((xx - 20) ** 2 + (yy - 20) ** 2) / (2 * 1.5**2))
    >>> ring_medians(img, None, np.array([[20.0, 20.0]]), [0.0, 1.0, 2.0, 15.0]).round(2).tolist()
    [[105.0, 77.1, 5.0]]

    The four pixels at r = 1 (85.07) and the four at r = 1.41 (69.12) make the second ring;
    a cosmic ray in the background ring is clipped away:

    >>> img[20, 31] = 1000.0
    >>> ring_medians(img, None, np.array([[20.0, 20.0]]), [10.0, 12.0]).round(2).tolist()
    [[5.0]]
    """
    n = len(xy)
    out = np.full((n, len(edges) - 1), np.nan)
    half = int(math.ceil(edges[-1]))
    offs = np.arange(-half, half + 1, dtype=float)
    for s in range(0, n, chunk):
        sl = slice(s, min(s + chunk, n))
        pos = xy[sl]
        boxes, inside = cutouts(data, pos, half)
        good = inside & np.isfinite(boxes)
        if mask is not None:
            mboxes, _ = cutouts(mask, pos, half, fill=True)
            good &= ~mboxes
        dx = (np.rint(pos[:, 0]) - pos[:, 0])[:, None] + offs[None, :]
        dy = (np.rint(pos[:, 1]) - pos[:, 1])[:, None] + offs[None, :]
        r2 = dy[:, :, None] ** 2 + dx[:, None, :] ** 2
        for k in range(len(edges) - 1):
            sel = good & (r2 >= edges[k] ** 2) & (r2 < edges[k + 1] ** 2)
            # only the pixels any source could use: a fixed index set of the box
            cols = np.flatnonzero(sel.any(axis=0).ravel())
            vals = np.where(sel, boxes, np.nan).reshape(len(pos), -1)[:, cols].astype(float)
            if poisson:
                out[sl, k] = poisson_level(vals, 3.0 if clip is None else clip)[0]
                continue
            med = _row_median(vals)
            if clip is None:
                out[sl, k] = med
                continue
            with np.errstate(invalid="ignore"):
                dev = np.abs(vals - med[:, None])
                mad = 1.4826 * _row_median(dev)
                keep = dev <= clip * mad[:, None]
                cnt = keep.sum(axis=1)
                mean = np.where(keep, vals, 0.0).sum(axis=1) / np.maximum(cnt, 1)
            out[sl, k] = np.where(cnt > 0, mean, med)
    return out


def robust_growth(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    sums: np.ndarray,
    area: np.ndarray,
    radii: list[float] | tuple[float, ...],
    bkg: np.ndarray,
    inner: float = 4.0,
    poisson: bool = False,
) -> np.ndarray:
    """Curve of growth that ignores neighbours beyond ``inner`` px.

    Inside ``inner`` the flux is the aperture sum minus ``bkg`` per pixel; beyond it, the
    light of each ring between successive radii is the ring's median pixel (minus ``bkg``)
    times its area. An azimuthal median ignores the few pixels of a neighbouring star or a
    cosmic ray in a ring where an object's own wings are smooth, so the curve keeps growing
    only with the object's light.

    Parameters
    ----------
    sums, area
        ``(N, K)`` raw aperture sums and unmasked areas at ``radii`` (see
        :func:`band_photometry`).
    bkg
        ``(N,)`` background per pixel (NaN counts as 0).
    poisson
        The image holds photon counts: rings are read with :func:`poisson_level`, as the
        background is (:func:`annulus_background`).

    Returns
    -------
    numpy.ndarray
        ``(N, K)`` background-subtracted cumulative fluxes.

    Examples
    --------
    A Gaussian source (2 pi sigma^2 100 = 1413.7) with one bright pixel of a neighbour 6 px away:
    the plain curve (sums minus background) jumps by its 500, the robust one does not:

    >>> yy, xx = np.mgrid[0:41, 0:41]
    >>> img = 5.0 + 100.0 * np.exp(-((xx - 20) ** 2 + (yy - 20) ** 2) / (2 * 1.5**2))
    >>> img[20, 26] += 500.0
    >>> xy, radii = np.array([[20.0, 20.0]]), [3.0, 4.0, 6.0, 8.0]
    >>> r = band_photometry(img, None, xy, radii, annulus=(12.0, 15.0))
    >>> (r["sums"] - 5.0 * r["area"]).round(1).tolist()
    [[1205.1, 1367.2, 1659.6, 1913.7]]
    >>> robust_growth(img, None, xy, r["sums"], r["area"], radii, np.array([5.0])).round(1).tolist()
    [[1205.1, 1367.2, 1391.5, 1391.6]]
    """
    radii = [float(r) for r in radii]
    b = np.where(np.isfinite(bkg), bkg, 0.0)
    flux = sums - b[:, None] * area
    k0 = radii.index(float(inner))
    if k0 + 1 < len(radii):
        med = ring_medians(data, mask, xy, radii[k0:], poisson=poisson) - b[:, None]
        med = np.where(np.isfinite(med), med, 0.0)
        ring_area = np.diff(area[:, k0:], axis=1)
        flux[:, k0 + 1:] = flux[:, k0:k0 + 1] + np.cumsum(med * ring_area, axis=1)
    return flux


def _saturated_totals(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    bkg: np.ndarray,
    bkg_std: np.ndarray,
    point_fraction: float,
    radius: float = 12.0,
    flat: float = 0.98,
    min_flat: int = 4,
    max_bleed: int = 256,
    reach: Callable[[tuple[int, int, int, int]], tuple[np.ndarray, np.ndarray, int, int]] | None = None,
) -> np.ndarray:
    """Total fluxes of saturated stars (NaN for the other sources).

    A saturated star has a flat top: at least ``min_flat`` pixels of its 5 x 5 core within
    ``1 - flat`` of the core maximum, far above the noise. Its lost core charge bleeds along
    the detector column (conserved on HST's CCDs), so its light is summed, background
    subtracted (``bkg``: the curve of growth's 15-20 px annulus, for which ``point_fraction``
    is computed), over a circle of ``radius`` px plus the 3-px-wide column as far as the
    bleed reaches (pixels above half the plateau), and divided by ``point_fraction``, the
    share of a point source's light within ``radius``. The robust rings of the curve of
    growth would discard the bleed as an outlier.

    ``reach`` (a part of a larger image: a survey tile's :meth:`starclass.survey.tiles.MosaicWindow.reach`)
    gives the pixels and bad-pixel mask of a box ``(x0, x1, y0, y1)`` of ``data``'s pixels that may lie
    beyond ``data``, clipped to the whole image, with the box's origin in ``data``'s pixels: the column is
    followed there, as on the whole image. Without it a bleed longer than a tile's overlap was cut at the
    window's edge and the star read up to 0.4 mag faint in a survey.
    """
    n = len(xy)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    core, inside = cutouts(data, xy, 2)
    core = np.where(inside & np.isfinite(core), core, -np.inf).reshape(n, -1)
    top = core.max(axis=1)
    b = np.where(np.isfinite(bkg), bkg, 0.0)
    sd = np.where(np.isfinite(bkg_std), bkg_std, 0.0)
    with np.errstate(invalid="ignore"):
        n_flat = (core - b[:, None] >= flat * (top - b)[:, None]).sum(axis=1)
        sat = (n_flat >= min_flat) & (top - b > 50.0 * np.maximum(sd, 1e-12))
    r = int(math.ceil(radius))
    for i in np.flatnonzero(sat):
        x, y = xy[i]
        cx, cy = int(round(x)), int(round(y))
        img, bad, ox, oy = data, mask, 0, 0
        if reach is not None:
            # every pixel the whole image's walk and sum can touch, wherever the window ends
            img, bad, ox, oy = reach((cx - r, cx + r + 1, cy - max_bleed - r - 2, cy + max_bleed + r + 3))
        x, y, cx, cy = x - ox, y - oy, cx - ox, cy - oy
        ny, nx = img.shape
        half_level = b[i] + 0.5 * (top[i] - b[i])
        y0 = y1 = cy
        while y0 - 1 >= 0 and cy - y0 < max_bleed and img[y0 - 1, cx] >= half_level:
            y0 -= 1
        while y1 + 1 < ny and y1 - cy < max_bleed and img[y1 + 1, cx] >= half_level:
            y1 += 1
        ya, yb = max(min(y0 - 2, cy - r), 0), min(max(y1 + 2, cy + r), ny - 1)
        xa, xb = max(cx - r, 0), min(cx + r, nx - 1)
        box = np.asarray(img[ya:yb + 1, xa:xb + 1], dtype=float)
        yy, xx = np.mgrid[ya:yb + 1, xa:xb + 1]
        region = ((xx - x) ** 2 + (yy - y) ** 2 <= radius * radius) | (
            (np.abs(xx - cx) <= 1) & (yy >= y0 - 2) & (yy <= y1 + 2))
        region &= np.isfinite(box)
        if bad is not None:
            region &= ~np.asarray(bad[ya:yb + 1, xa:xb + 1], dtype=bool)
        total = float((box[region] - b[i]).sum()) / max(point_fraction, 1e-3)
        out[i] = total if total > 0 else np.nan
    return out


def flux_to_mag(flux: np.ndarray, var: np.ndarray, zeropoint: float) -> tuple[np.ndarray, np.ndarray]:
    """Magnitudes and errors from fluxes and variances; NaN where the flux is not positive.

    Examples
    --------
    The error is 1.0857 sigma / flux; a negative flux has no magnitude:

    >>> mag, err = flux_to_mag(np.array([100.0, -1.0]), np.array([25.0, 1.0]), 25.0)
    >>> mag.tolist(), err.round(4).tolist()
    ([20.0, nan], [0.0543, nan])
    """
    flux = np.asarray(flux, dtype=float)
    good = np.isfinite(flux) & (flux > 0)
    mag = np.full(flux.shape, np.nan)
    err = np.full(flux.shape, np.nan)
    mag[good] = -2.5 * np.log10(flux[good]) + zeropoint
    err[good] = _MAG * np.sqrt(np.asarray(var, dtype=float)[good]) / flux[good]
    return mag, err



def _constant_correction(aperture_correction: Any, band: str) -> float | None:
    """The constant aperture correction (mag) of ``band``; None for the per-source modes."""
    if aperture_correction is None:
        return 0.0
    if isinstance(aperture_correction, str):
        return None
    if isinstance(aperture_correction, Mapping):
        val = aperture_correction.get(band, aperture_correction.get(band.lower(), 0.0))
        return float(val)
    return float(aperture_correction)


def _psf_given(psf_fwhm: float | Mapping[str, float] | None, band: str) -> bool:
    """True when the caller gave the PSF FWHM of ``band`` (one number counts for every band)."""
    return psf_fwhm is not None and (not isinstance(psf_fwhm, Mapping) or band in psf_fwhm)


def _psf_fwhm(psf_fwhm: float | Mapping[str, float] | None, band: str) -> float:
    """PSF FWHM (px) of ``band``: given, else the :mod:`starclass.bands` value, else 2 px."""
    if isinstance(psf_fwhm, Mapping):
        if band in psf_fwhm:
            return float(psf_fwhm[band])
    elif psf_fwhm is not None:
        return float(psf_fwhm)
    return float(BANDS[band].psf_fwhm_px) if band in BANDS else 2.0


def _calibrated_psf(res: dict[str, np.ndarray], i_ci: list[int],
                    psf_fwhm: float | Mapping[str, float] | None, band: str,
                    psf_beta: float | None) -> float:
    """PSF FWHM of ``band`` for the CI-based correction: given, else from the stellar locus."""
    if _psf_given(psf_fwhm, band):
        return _psf_fwhm(psf_fwhm, band)
    locus = _locus_psf(res, i_ci, psf_beta)
    return _psf_fwhm(None, band) if locus is None else locus


def _locus_psf(res: dict[str, np.ndarray], i_ci: list[int], psf_beta: float | None) -> float | None:
    """PSF FWHM whose model point source has the CI of the band's stellar locus; None without a locus."""
    f0, f1 = res["flux"][:, i_ci[0]], res["flux"][:, i_ci[1]]
    with np.errstate(invalid="ignore", divide="ignore"):
        ci_b = 2.5 * np.log10(f1 / f0)
        snr = f1 / np.sqrt(res["var"][:, i_ci[1]])
    locus = apcorr.stellar_ci(ci_b, snr)
    return None if locus is None else apcorr.calibrate_psf_fwhm(locus, psf_beta)


def psf_decision(table: Table) -> dict[str, Any] | None:
    """The PSF a measured table's aperture corrections used, to be carried to parts of its image.

    Read from the meta :func:`measure` writes (``aperture_correction``, ``apcorr_psf_fwhm_px``,
    ``apcorr_psf_beta``, ``apcorr_psf_source``). A survey measures each field's whole mosaic once and
    gives the result to every tile (:func:`carried_psf`): each tile estimating the PSF from its own
    stars gave tiles with fewer than 10 of them another PSF, and their sources other corrections,
    than their neighbours (0.43 mag on a field whose stars were all in one corner).

    Returns
    -------
    dict or None
        ``mode`` (``"growth"`` or ``"ci"``), ``fwhm`` (band -> PSF FWHM px; empty when the growth
        correction had no PSF), ``beta`` (the growth PSF's Moffat beta, or None) and ``source``
        (``stars``, ``stack``, ``ci-locus``, ``given``, ``none``; None for ``"ci"``); None for the
        other modes, which use no PSF.

    Examples
    --------
    >>> t = Table(meta={"aperture_correction": "growth", "apcorr_psf_fwhm_px": {"f555w": 2.1},
    ...                 "apcorr_psf_beta": 2.5, "apcorr_psf_source": "stars"})
    >>> psf_decision(t)
    {'mode': 'growth', 'fwhm': {'f555w': 2.1}, 'beta': 2.5, 'source': 'stars'}
    >>> psf_decision(Table(meta={"aperture_correction": None})) is None
    True
    """
    meta = table.meta
    mode = meta.get("aperture_correction")
    if mode not in ("growth", "ci"):
        return None
    beta = meta.get("apcorr_psf_beta")
    source = meta.get("apcorr_psf_source")
    return {"mode": str(mode),
            "fwhm": {str(b): float(v) for b, v in dict(meta.get("apcorr_psf_fwhm_px") or {}).items()},
            "beta": None if beta is None else float(beta), "source": None if source is None else str(source)}


def carried_psf(mosaics: Mosaics, mode: Any) -> Mapping[str, Any] | None:
    """The PSF decided on the whole image that ``mosaics`` (a part of it) carries for ``mode``, or None.

    A survey's tiles (:class:`starclass.survey.tiles.MosaicWindow`) carry their field's
    :func:`psf_decision` as ``apcorr_psf``; :class:`CandidatePhotometry` then uses its PSF (and, for
    ``"growth"``, its source) in every band instead of estimating one on the part.

    Examples
    --------
    >>> from starclass.detect import ArrayMosaics
    >>> m = ArrayMosaics({"f555w": np.zeros((8, 8))}, {"f555w": 25.0})
    >>> carried_psf(m, "growth") is None
    True
    >>> m.apcorr_psf = {"mode": "growth", "fwhm": {"f555w": 2.1}, "beta": 2.5, "source": "stars"}
    >>> carried_psf(m, "growth")["fwhm"], carried_psf(m, "ci") is None
    ({'f555w': 2.1}, True)
    """
    decided = getattr(mosaics, "apcorr_psf", None)
    if not isinstance(decided, Mapping) or decided.get("mode") != mode:
        return None
    return decided


#: Table meta key: the bands whose aperture-correction PSF is the tabulated one (:mod:`starclass.bands`) and
#: its FWHM (px), for want of a stellar locus of their own.
PSF_TABULATED = "apcorr_psf_tabulated"


def tabulated_psf_message(tabulated: Mapping[str, float] | None) -> str | None:
    """What ``detect`` warns of bands whose aperture-correction PSF is the tabulated one (meta :data:`PSF_TABULATED`).

    What the user must know and can do, in one sentence: which bands, that their totals assume the
    tabulated PSF and how far off that can be, and the option that gives aperture magnitudes instead. It
    said each band's FWHM, "a stellar CI locus of its own", starclass.bands and a Python call besides (460
    characters for five bands on a 512 px simulated field): the FWHMs are in the catalogue's meta
    (``apcorr_psf_tabulated``) and the rest in docs/detect.md.

    Examples
    --------
    >>> print(tabulated_psf_message({"f435w": 2.0}))  # doctest: +NORMALIZE_WHITESPACE
    f435w: too few bright stars (15 of S/N >= 30 needed) to measure its PSF, so its total magnitudes assume
    the tabulated PSF (2 px FWHM) and are off where the image's differs (0.1 mag for 2.7 px);
    --aperture-correction none gives aperture magnitudes
    >>> tabulated_psf_message({}) is None
    True
    """
    if not tabulated:
        return None
    named = ", ".join(tabulated)
    its = "its" if len(tabulated) == 1 else "their"
    fwhm = ", ".join(f"{float(fw):g}" for fw in tabulated.values()) if len(set(tabulated.values())) > 1 else (
        f"{float(next(iter(tabulated.values()))):g}")
    return (f"{named}: too few bright stars (15 of S/N >= 30 needed) to measure {its} PSF, so {its} total "
            f"magnitudes assume the tabulated PSF ({fwhm} px FWHM) and are off where the image's differs "
            "(0.1 mag for 2.7 px); --aperture-correction none gives aperture magnitudes")


@dataclass(frozen=True)
class _Radii:
    """The aperture radii of one run and where the catalogue's apertures sit among them.

    The V band is measured at every radius of ``values`` (with the curve of growth, out to
    12 px); the other bands only at ``small``, the catalogue's radii.
    """

    values: list[float]
    small: list[float]
    i_ap: int
    i_ci: list[int]
    i_mci: list[int]
    i_small: list[int]

    @classmethod
    def of(cls, aperture_radius: float, growth: bool) -> _Radii:
        """The radii of a run with this photometry aperture, with or without the curve of growth."""
        small = sorted(set(MCI_APERTURES) | {float(aperture_radius)})
        values = set(small) | (set(apcorr.COG_RADII) if growth else set())
        values = sorted(values)
        return cls(values=values, small=small, i_ap=values.index(float(aperture_radius)),
                   i_ci=[values.index(r) for r in CI_RADII],
                   i_mci=[values.index(r) for r in MCI_APERTURES],
                   i_small=[values.index(r) for r in small])

    def index(self, radius: float) -> int:
        """Position of ``radius`` among :attr:`values`."""
        return self.values.index(float(radius))

    def indices(self, radii: list[float]) -> list[int]:
        """Positions of ``radii`` among :attr:`values`."""
        return [self.index(r) for r in radii]


@dataclass(frozen=True)
class _Bands:
    """The bands of one call, V first, with their usable-pixel masks and exposure times."""

    order: list[str]
    masks: dict[str, np.ndarray | None]
    exptimes: dict[str, float]
    #: band -> the image holds photon counts (its backgrounds are Poisson means)
    counts: dict[str, bool]

    @property
    def v_band(self) -> str:
        """The band of the morphology (CI, MCI, FWHM, background) and of the curve of growth."""
        return self.order[0]


class CandidatePhotometry:
    """Photometry and morphology of candidates at given positions, in every band.

    The parameters are kept as attributes of the same names; calling the object on a set
    of mosaics and a candidate table measures (see the module notes for the definitions)
    and returns a new table. The object keeps no state between calls.

    Parameters
    ----------
    bands : list of str, optional
        Bands to measure (default: all bands of the mosaics).
    aperture_radius : float
        Radius (px) of the photometry aperture.
    aperture_correction : float, dict, str or None
        Added to the aperture magnitudes. ``"growth"`` (default): total magnitudes from each
        source's own V-band curve of growth (:func:`starclass.detect.apcorr.growth_family`
        and :func:`~starclass.detect.apcorr.growth_totals_averaged`: apertures to 12 px, a
        background 15-20 px out, rings beyond 4 px measured robustly, a PSF-convolved EFF
        family fitted with the PSF estimated from the image's stars); other bands get the
        same correction plus their PSF difference, so colours stay 4 px aperture colours.
        ``"ci"``: a per-source correction from the V-band CI through the same kind of model
        (:func:`starclass.detect.apcorr.ci_aperture_correction`). A number (mag, all bands)
        or ``{band: mag}``: constant corrections (LEGUS style). None: plain aperture
        magnitudes.
    annulus : tuple of float
        Inner and outer radii (px) of the local-background annulus.
    crowding_radius : float
        Radius (px) within which other candidates are counted in ``crowding``.
    redundant_radius : float
        A candidate within this distance (px) of a brighter one is ``redundant`` (4.9).
    fwhm_radius : float
        Pixels within this radius enter the FWHM fit.
    mci_fiducial_fwhm : float
        FWHM (px) of the fiducial cluster that normalises the MCI.
    psf_fwhm : float, dict or None
        PSF FWHM (px), one number or ``{band: fwhm}``, of the aperture-correction model
        (default: calibrated on the stellar locus of the CI distribution in each band, see
        :mod:`starclass.detect.apcorr`; :data:`starclass.bands.BANDS` values when too few
        bright sources; on an image of photon counts, the stack of its faint sources, else no
        growth correction at all). Mosaics that carry a PSF decided on their whole image (a
        survey's tiles, :func:`carried_psf`) take that one instead of estimating their own.
    psf_beta : float or None
        Moffat beta of the PSF model of the ``"ci"`` correction (None: Gaussian).
    eff_gamma : float
        EFF power-law index of the ``"ci"`` correction's model family.
    max_correction : float
        Cap (mag) of the per-source corrections.
    progress : bool or None
        Show a progress bar over the steps (a block of sources in one band, then the FWHM fit and the aperture
        corrections; None: a few timed lines, :class:`starclass.io.progress.Progress`).
    chunk : int
        Sources measured per block (bounds memory: about 7 kB per source).
    keep_empty_bands : bool
        Measure a band with no usable pixel (all NaN or masked: a survey tile off that band's
        footprint) as every row's aperture on NaN pixels is measured, its ``mag_<band>`` and
        ``magerr_<band>`` NaN (and, for the V band, ``ci``, ``mci_*``, ``bkg``, ``fwhm`` NaN and
        ``masked_frac`` 1), the other bands measured as usual; ``meta["no_usable_pixel"]`` names
        such bands. Default False: such an image is refused (a mosaic without any data is a
        wrong file more often than a footprint).

    Raises
    ------
    StarclassError
        A non-positive ``aperture_radius``, an annulus that is not ``0 < inner < outer``, or
        an unknown ``aperture_correction`` mode.

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> from starclass.detect import ArrayMosaics
    >>> yy, xx = np.mgrid[:64, :64]
    >>> star = 100 * np.exp(-((xx - 32) ** 2 + (yy - 30) ** 2) / 2.0) + 0.1
    >>> mosaics = ArrayMosaics({"f555w": star, "f814w": 2 * star}, {"f555w": 25.0, "f814w": 24.0})
    >>> phot = CandidatePhotometry(aperture_radius=3.0, aperture_correction=None)
    >>> phot.aperture_radius
    3.0
    >>> out = phot(mosaics, Table({"x": [32.0], "y": [30.0]}))
    >>> round(float(out["mag_f555w"][0]), 2)
    18.02
    """

    def __init__(
        self,
        *,
        bands: list[str] | None = None,
        aperture_radius: float = 4.0,
        aperture_correction: float | Mapping[str, float] | str | None = "growth",
        annulus: tuple[float, float] = ANNULUS,
        crowding_radius: float = 10.0,
        redundant_radius: float = 5.0,
        fwhm_radius: float = 5.0,
        mci_fiducial_fwhm: float = 3.0,
        psf_fwhm: float | Mapping[str, float] | None = None,
        psf_beta: float | None = 2.0,
        eff_gamma: float = 3.0,
        max_correction: float = 0.8,
        progress: bool | None = False,
        chunk: int = 4096,
        keep_empty_bands: bool = False,
    ) -> None:
        # checked here, where they are cheap to check and the caller still knows its values
        if aperture_radius <= 0:
            raise StarclassError(f"aperture_radius must be positive, got {aperture_radius}")
        if not (0 < annulus[0] < annulus[1]):
            raise StarclassError(f"annulus must be (inner, outer) with 0 < inner < outer, got {annulus}")
        if isinstance(aperture_correction, str) and aperture_correction not in ("ci", "growth"):
            # (the CLI spells "none" for None)
            raise StarclassError(
                f"aperture_correction must be a number, a {{band: mag}} mapping, 'ci', 'growth' or None; "
                f"got {aperture_correction!r}"
            )
        self.bands = bands
        self.aperture_radius = aperture_radius
        self.aperture_correction = aperture_correction
        self.annulus = annulus
        self.crowding_radius = crowding_radius
        self.redundant_radius = redundant_radius
        self.fwhm_radius = fwhm_radius
        self.mci_fiducial_fwhm = mci_fiducial_fwhm
        self.psf_fwhm = psf_fwhm
        self.psf_beta = psf_beta
        self.eff_gamma = eff_gamma
        self.max_correction = max_correction
        self.progress = progress
        self.chunk = chunk
        self.keep_empty_bands = keep_empty_bands

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __call__(self, mosaics: Mosaics, table: Table) -> Table:
        """Measure at the positions of ``table`` in every band.

        Parameters
        ----------
        mosaics
            A :class:`starclass.io.mosaic.MosaicSet` (or :class:`starclass.detect.ArrayMosaics`).
        table
            Candidates with 0-based ``x`` and ``y`` columns; other columns are kept (measured
            columns are replaced). ``id`` is added (1..N) when missing, ``ra``/``dec`` when the
            mosaics have a WCS and the table has none.

        Returns
        -------
        astropy.table.Table
            A copy of ``table`` with ``mag_<band>``, ``magerr_<band>`` for every band, ``ci``,
            ``mci_1`` .. ``mci_5``, ``bkg`` (V band, counts/s per px), ``fwhm`` (px),
            ``crowding``, ``redundant``, ``masked_frac`` (share of the V aperture on masked or
            off-image pixels: its light is missing from the magnitudes) and ``masked_frac_<band>`` (the
            same share in every band, V included); with ``aperture_correction="growth"`` also
            ``apcorr_radius`` (px within which the V light was measured, 0 where the CI
            correction stood in) and ``saturated``. With ``keep_empty_bands``, ``meta["no_usable_pixel"]``
            lists the bands with no usable pixel, where there are any.

        Raises
        ------
        StarclassError
            Missing ``x``/``y`` columns, positions off the image (the message names the
            rows), an unknown band, or an image with no usable pixel (unless ``keep_empty_bands``).

        Examples
        --------
        >>> from starclass.datasets.fields import synthetic_field
        >>> mosaics, truth = synthetic_field((96, 96), n_sources=5, seed=1)
        >>> out = CandidatePhotometry(aperture_correction="ci")(mosaics, truth["x", "y"])
        >>> "mag_f814w" in out.colnames and "ci" in out.colnames
        True
        """
        from starclass.io.catalog import catalog_argument  # io.catalog loads pyarrow: only when measuring

        # x in arcsec was measured as pixels and labelled pix on the way out; a DataFrame stopped in Table()
        table = catalog_argument(table, "the table")
        use = check_bands(mosaics, self.bands)
        vband = mosaics.v_band if getattr(mosaics, "v_band", None) in use else default_v_band(use)
        out = Table(table, copy=True)
        xy = positions_of(out, tuple(mosaics.shape), hint=OFF_IMAGE_HINT)
        if ID not in out.colnames:
            out.add_column(np.arange(1, len(out) + 1, dtype=np.int64), name=ID, index=0)
        bands = self._bands(mosaics, [vband] + [b for b in use if b != vband],
                            n_rows=0 if self.keep_empty_bands else len(out))
        radii = _Radii.of(self.aperture_radius, growth=self.aperture_correction == "growth")

        # a step is one block of sources in one band, then the V band's FWHM fit, then the aperture corrections:
        # the count stood at 100% for ~7 s (loaded machine) while the last two ran after the blocks
        bar = Progress(self._n_blocks(len(xy)) * len(bands.order) + 2, desc="photometry", noun="step",
                       show=self.progress, unit="step")
        try:
            results = self._aperture_photometry(mosaics, bands, xy, radii, bar)
            v = results[vband]
            ci, mci = self._concentration(v, radii)
            fwhm = fit_fwhm(mosaics.data[vband], bands.masks[vband], xy, v["bkg"], radius=self.fwhm_radius)
            bar.update(1)
            corrections, psf_used, growth, tabulated = self._aperture_corrections(mosaics, bands, use, xy, results,
                                                                                  radii, ci)
            bar.update(1)
        finally:
            bar.close()  # on an error too: its "still working" thread stops
        for band in use:
            r = results[band]
            mag, err = flux_to_mag(r["flux"][:, radii.i_ap], r["var"][:, radii.i_ap],
                                   float(mosaics.zeropoint[band]))
            out[schema.mag_col(band)] = mag + corrections[band]
            out[schema.magerr_col(band)] = err
        out["ci"] = ci
        for k, r in enumerate(schema.MCI_RADII):
            out[schema.mci_col(r)] = mci[:, k]
        out["bkg"] = v["bkg"]
        # the V-band image's unit per pixel (electron / (pix s) for HST's ELECTRONS/S): the column had no unit, where
        # every other measured column carries one; none where the header states none
        out["bkg"].unit = schema.per_pixel(_pixel_unit(mosaics, vband, bands.counts.get(vband, False)))
        out["fwhm"] = fwhm
        out["fwhm"].unit = "pix"
        out["crowding"] = crowding_counts(xy, self.crowding_radius)
        out["redundant"] = redundant_flags(xy, v["flux"][:, radii.i_ap], self.redundant_radius)
        # the aperture's light on NaN, zero-weight or off-image pixels is missing from every
        # magnitude: said per row, not left to look like a faint source (a star half on a mosaic's
        # NaN border read 1.9 mag too faint with an error of 0.004)
        full = math.pi * float(self.aperture_radius) ** 2
        out[schema.MASKED_FRAC] = np.clip(1.0 - v["area"][:, radii.i_ap] / full, 0.0, 1.0).round(6)
        # bands cover different areas (HST mosaics): a source on the edge of one band's footprint read 0.17 mag
        # too faint there with only the V band's share flagged
        for band in use:
            share = 1.0 - results[band]["area"][:, radii.i_ap] / full
            out[schema.masked_frac_col(band)] = np.clip(share, 0.0, 1.0).round(6)
        _add_sky_positions(out, mosaics, xy)
        self._record(out, mosaics, vband, psf_used, growth)
        empty = [b for b in bands.order if bands.masks[b] is not None and bands.masks[b].all()]
        if empty:
            out.meta["no_usable_pixel"] = empty
        if tabulated:
            # the bands whose PSF is starclass.bands' table value, not their own: the CLI says so
            out.meta[PSF_TABULATED] = {b: round(float(psf_used[b]), 3) for b in tabulated}
        # the schema's units (x/y pix, magnitudes and CI mag), as every reader gives them: a
        # table measured here and the same table read back from its file are alike
        schema.set_units(out)
        return out

    # -- the steps ----------------------------------------------------------------------

    @staticmethod
    def _bands(mosaics: Mosaics, order: list[str], n_rows: int = 1) -> _Bands:
        """Usable-pixel masks (None where every pixel is good), exposure times, photon counts or not; V first.

        An image with no usable pixel is refused where there is a row to measure; with none (``n_rows`` 0) the
        empty table comes back with its columns, which :func:`measure_on_image` gives the rows it keeps unmeasured.
        """
        from starclass.detect.find import counts_decision  # find imports this module

        masks: dict[str, np.ndarray | None] = {}
        for band in order:
            mask = bad_pixels(mosaics, band)
            if mask.all() and n_rows:
                raise StarclassError(
                    f"{band_label(mosaics, band)}: the image has no usable pixel (all NaN or masked)"
                )
            masks[band] = mask if mask.any() else None
        return _Bands(order=order, masks=masks,
                      exptimes={band: exptime_of(mosaics, band) for band in order},
                      counts={band: counts_decision(mosaics, band, masks[band]) for band in order})

    def _n_blocks(self, n: int) -> int:
        """How many blocks of sources :meth:`_aperture_photometry` measures ``n`` sources in (one for none)."""
        return len(range(0, max(n, 1), self.chunk))

    def _aperture_photometry(self, mosaics: Mosaics, bands: _Bands, xy: np.ndarray,
                             radii: _Radii, bar: Progress) -> dict[str, dict[str, np.ndarray]]:
        """:func:`band_photometry` of every band, block by block of sources; ``bar`` moves a step a block and band.

        The aperture weights of a block are computed once and reused for every band; bands
        other than V are measured at the catalogue's radii only, the arrays padded with NaN
        at the curve-of-growth radii so that every band's results index alike.
        """
        n = len(xy)
        half = int(math.ceil(max(radii.values))) + 1
        half_small = int(math.ceil(max(radii.small))) + 1
        parts: dict[str, list[dict[str, np.ndarray]]] = {band: [] for band in bands.order}
        starts = list(range(0, max(n, 1), self.chunk))
        for s0 in starts:
            pos = xy[s0:s0 + self.chunk]
            weights = aperture_weights(pos, radii.values, half) if len(pos) else None
            for band in bands.order:
                data, mask, exptime = mosaics.data[band], bands.masks[band], bands.exptimes[band]
                if band == bands.v_band or len(radii.small) == len(radii.values) or weights is None:
                    res = band_photometry(data, mask, pos, radii.values, self.annulus, exptime, weights,
                                          poisson=bands.counts[band])
                else:
                    c = half - half_small
                    w_small = weights[radii.i_small][:, :, c:weights.shape[2] - c, c:weights.shape[3] - c]
                    res = band_photometry(data, mask, pos, radii.small, self.annulus, exptime, w_small,
                                          poisson=bands.counts[band])
                    for key in ("flux", "var", "area", "sums"):
                        full = np.full((len(pos), len(radii.values)), np.nan)
                        full[:, radii.i_small] = res[key]
                        res[key] = full
                parts[band].append(res)
                bar.update(1)
        return {band: {k: np.concatenate([p[k] for p in plist]) for k in plist[0]}
                for band, plist in parts.items()}

    def _concentration(self, v: dict[str, np.ndarray], radii: _Radii) -> tuple[np.ndarray, np.ndarray]:
        """V-band CI ``(N,)`` and MCI ``(N, 5)`` from the aperture fluxes (no correction)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            logf = np.where(v["flux"] > 0, np.log10(np.where(v["flux"] > 0, v["flux"], 1.0)), np.nan)
            ci = -2.5 * (logf[:, radii.i_ci[0]] - logf[:, radii.i_ci[1]])
            pair = -2.5 * (logf[:, radii.i_mci[:-1]] - logf[:, radii.i_mci[1:]])
            mci = pair / _mci_normalisation(self.mci_fiducial_fwhm)[None, :]
        return ci, mci

    def _aperture_corrections(
        self, mosaics: Mosaics, bands: _Bands, use: list[str], xy: np.ndarray,
        results: dict[str, dict[str, np.ndarray]], radii: _Radii, ci: np.ndarray,
    ) -> tuple[dict[str, np.ndarray | float], dict[str, float], dict[str, Any], list[str]]:
        """The correction (mag) of every band, the PSF FWHM used per band, the growth details.

        Returns
        -------
        corrections, psf_used, growth, tabulated
            ``{band: mag}`` (a number or one per source); ``{band: FWHM px}`` (empty for the
            constant corrections); the curve-of-growth details of
            :meth:`_growth_correction` (empty unless ``aperture_correction="growth"``); the bands
            whose PSF is the tabulated one (:mod:`starclass.bands`), with too few bright sources
            for a stellar locus of their own.
        """
        mode = self.aperture_correction
        vband = bands.v_band
        psf_used: dict[str, float] = {}
        growth: dict[str, Any] = {}
        carried = carried_psf(mosaics, mode)
        tabulated: list[str] = []
        if mode == "ci":  # per source, from the V-band CI
            psf_used = {b: self._band_psf(results[b], radii, b, self.psf_beta, carried, tabulated) for b in use}
        elif mode == "growth":
            v_corr, growth = self._growth_correction(mosaics, bands, xy, results[vband], radii, ci, carried)
            if (growth["psf_source"] == "ci-locus" and carried is None and not _psf_given(self.psf_fwhm, vband)
                    and _locus_psf(results[vband], radii.i_ci, growth["psf_beta"]) is None):
                tabulated.append(vband)
            psf_used = {} if growth["psf_source"] == "none" else {
                b: (growth["psf_fwhm"] if b == vband else
                    self._band_psf(results[b], radii, b, growth["psf_beta"], carried, tabulated))
                for b in use}
        corrections: dict[str, np.ndarray | float] = {}
        for band in use:
            const = _constant_correction(mode, band)
            if const is None and mode == "ci":
                const = apcorr.ci_aperture_correction(
                    ci, psf_fwhm_v=psf_used[vband], psf_fwhm_band=psf_used[band], gamma=self.eff_gamma,
                    aperture_radius=self.aperture_radius, annulus=self.annulus, psf_beta=self.psf_beta,
                    max_correction=self.max_correction)
            elif const is None and growth["psf_source"] == "none":
                const = 0.0  # no PSF of the V band's own: aperture magnitudes, aperture colours
            elif const is None:  # growth: the V correction plus the PSF difference of the band
                beta = growth["psf_beta"]
                const = v_corr + (
                    apcorr.point_correction(psf_used[band], beta, self.aperture_radius, self.annulus)
                    - apcorr.point_correction(psf_used[vband], beta, self.aperture_radius, self.annulus))
            corrections[band] = const
        return corrections, psf_used, growth, tabulated

    def _band_psf(self, res: dict[str, np.ndarray], radii: _Radii, band: str, psf_beta: float | None,
                  carried: Mapping[str, Any] | None, tabulated: list[str] | None = None) -> float:
        """PSF FWHM (px) of ``band``: given, else the whole image's (``carried``), else its own stellar locus.

        Without a locus (fewer than 15 sources of S/N >= 30) it is the tabulated one, and ``band`` is
        added to ``tabulated``.
        """
        if carried is not None and not _psf_given(self.psf_fwhm, band) and band in carried["fwhm"]:
            return float(carried["fwhm"][band])
        if _psf_given(self.psf_fwhm, band):
            return _psf_fwhm(self.psf_fwhm, band)
        locus = _locus_psf(res, radii.i_ci, psf_beta)
        if locus is None:
            # an HST band's table value (a blue or UV band of a small field seldom has 15 bright sources): on a
            # 512 px field whose F435W PSF was 2.67 px the table's 2.0 px made its totals 0.10 mag too faint,
            # without a word; the band is named in the meta and by detect
            if tabulated is not None and band not in tabulated:
                tabulated.append(band)
            return _psf_fwhm(None, band)
        return locus

    def _growth_correction(self, mosaics: Mosaics, bands: _Bands, xy: np.ndarray,
                           v: dict[str, np.ndarray], radii: _Radii, ci: np.ndarray,
                           carried: Mapping[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        """Per-source V-band corrections (mag) from each source's own curve of growth.

        See :mod:`starclass.detect.apcorr` (section "curve of growth") for the method.

        Returns
        -------
        corrections, details
            The corrections to add to the catalogue-aperture V magnitudes; a dict with the
            PSF used (``psf_fwhm``, ``psf_beta``, ``psf_source``), the radius (px) each
            source's total was measured within (``radius``; 0 where the CI-based correction
            was used) and the ``saturated`` flags.
        """
        vband = bands.v_band
        data, mask, exptime = mosaics.data[vband], bands.masks[vband], bands.exptimes[vband]
        aperture_radius, annulus = self.aperture_radius, self.annulus
        cog = [float(r) for r in apcorr.COG_RADII]
        ik = radii.indices(cog)
        counts = bands.counts[vband]
        bo, so, no = annulus_background(data, mask, xy, apcorr.COG_ANNULUS, maxiters=2, poisson=counts)
        flux = robust_growth(data, mask, xy, v["sums"][:, ik], v["area"][:, ik], cog, bo,
                             inner=apcorr.COG_INNER, poisson=counts)
        area = v["area"][:, ik]
        s2 = np.where(np.isfinite(so), so, np.inf)[:, None] ** 2
        i3 = radii.i_ci[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            var = area * s2 * (1.0 + 0.5 * np.pi * area / np.maximum(no, 1.0)[:, None]) \
                + np.clip(flux, 0.0, None) / max(exptime, 1e-12)
            snr = flux / np.sqrt(var)
            snr3 = v["flux"][:, i3] / np.sqrt(v["var"][:, i3])
        fw, beta, source = self._growth_psf(vband, v, radii, cog, bo, flux, snr3, ci, counts=counts,
                                            carried=carried)
        if source == "none" and carried is None:
            # a PSF decided on the whole image was warned of there, once: not again in each part of it
            n_faint = int((np.nan_to_num(snr3, nan=-1.0) >= apcorr.STACK_MIN_SNR).sum())
            warnings.warn(
                f"{band_label(mosaics, vband)}: read as photon counts, with neither 10 isolated stars of S/N >= 30 "
                f"nor {apcorr.STACK_MIN_COUNT} sources of S/N >= {apcorr.STACK_MIN_SNR:g} to stack ({n_faint} "
                f"found) to measure its PSF: its magnitudes are {self.aperture_radius:g} px aperture magnitudes, "
                "without aperture correction (a known correction: --aperture-correction MAG; a known PSF: "
                "measure(..., psf_fwhm=...) in Python)",
                UserWarning, stacklevel=4)
        if source == "none":
            return np.zeros(len(xy)), {"psf_fwhm": float(fw), "psf_beta": float(beta), "psf_source": source,
                                       "radius": np.zeros(len(xy)), "saturated": np.zeros(len(xy), dtype=bool)}
        _, frac, _ = apcorr.growth_family(
            round(float(fw), 2), float(beta), tuple(cog), apcorr.COG_ANNULUS, float(aperture_radius),
            (float(annulus[0]), float(annulus[1])))
        if apcorr.COG_AVERAGE:
            post = apcorr.growth_posterior(flux, so, exptime, frac, tuple(cog), floor=apcorr.COG_FLOOR)
            total, radius, _ = apcorr.growth_totals_averaged(flux, snr, frac, post, tuple(cog),
                                                             float(aperture_radius))
        else:
            best = apcorr.fit_growth_curves(flux, so, exptime, frac, tuple(cog))
            total, radius = apcorr.growth_totals(flux, snr, frac, best, tuple(cog), float(aperture_radius))
        # saturated stars: their charge bleeds along the column, which the robust rings discard
        reach = getattr(mosaics, "reach", None)  # a survey tile: the bleed is followed beyond its window
        sat_total = _saturated_totals(data, mask, xy, bo, so, float(frac[0, -1]), radius=cog[-1],
                                      reach=(lambda box: reach(vband, box)) if callable(reach) else None)
        saturated = np.isfinite(sat_total)
        total = np.where(saturated, sat_total, total)
        radius = np.where(saturated, cog[-1], radius)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = -2.5 * np.log10(total / v["flux"][:, radii.i_ap])
        # faint or odd sources: the CI-based correction (the same model family, indexed by CI)
        weak = ~np.isfinite(corr) | (radius <= 0)
        if weak.any() and source == "stack":
            # the PSF is these faint sources' own stack: its point-source correction is their mean one. A
            # CI at S/N < 20 is mostly noise, and the family, bounded by the point source below, turned
            # that noise into corrections of extended sources, 0.02-0.05 mag too bright on average
            corr[weak] = apcorr.point_correction(round(float(fw), 2), float(beta), float(aperture_radius),
                                                 (float(annulus[0]), float(annulus[1])))
            radius[weak] = 0.0
        elif weak.any():
            corr[weak] = apcorr.ci_aperture_correction(
                ci[weak], psf_fwhm_v=fw, gamma=self.eff_gamma, aperture_radius=aperture_radius,
                annulus=annulus, psf_beta=beta, max_correction=self.max_correction)
            radius[weak] = 0.0
        corr = np.where(saturated, corr, np.clip(corr, -apcorr.GROWTH_MAX_CORRECTION,
                                                   apcorr.GROWTH_MAX_CORRECTION / 4))
        return corr, {"psf_fwhm": float(fw), "psf_beta": float(beta), "psf_source": source,
                      "radius": radius, "saturated": saturated}

    def _growth_psf(self, vband: str, v: dict[str, np.ndarray], radii: _Radii, cog: list[float],
                    bkg: np.ndarray, flux: np.ndarray, snr3: np.ndarray,
                    ci: np.ndarray, counts: bool = False,
                    carried: Mapping[str, Any] | None = None) -> tuple[float, float, str]:
        """The V-band PSF (FWHM px, Moffat beta) of the growth family, and where it came from.

        Given by the caller (``"given"``), else the one decided on the whole image (``carried``,
        :func:`carried_psf`: a survey's tiles, each a part of it) with its source, else estimated
        from the image's isolated stars
        (``"stars"``), else, on an image of photon counts, from the stacked curves of growth of
        its faint sources (``"stack"``, :func:`starclass.detect.apcorr.estimate_psf_stacked`),
        else calibrated on the stellar locus of the CI (``"ci-locus"``; with too few bright
        sources for a locus, the band's tabulated HST PSF with beta 2).
        ``flux`` is the robust curve of growth at ``cog``, ``bkg`` its background per pixel.
        """
        beta = 2.0 if self.psf_beta is None else float(self.psf_beta)
        if _psf_given(self.psf_fwhm, vband):
            return _psf_fwhm(self.psf_fwhm, vband), beta, "given"
        if carried is not None:
            fw = carried["fwhm"].get(vband)  # none with source "none": the band's table value, unused
            return (_psf_fwhm(None, vband) if fw is None else float(fw),
                    beta if carried.get("beta") is None else float(carried["beta"]), str(carried["source"]))
        # stars whose plain curve of growth agrees with the robust one out to 8 px: isolated,
        # unsaturated (no spikes or bleeding columns)
        k8 = radii.index(8.0)
        plain = v["sums"][:, k8] - np.where(np.isfinite(bkg), bkg, 0.0) * v["area"][:, k8]
        with np.errstate(invalid="ignore", divide="ignore"):
            isolated = np.abs(plain / flux[:, cog.index(8.0)] - 1.0) < 0.03
        est = apcorr.estimate_psf(flux, snr3, ci, tuple(cog), apcorr.COG_ANNULUS, isolated=isolated)
        if est is None and counts:
            # an X-ray or UV counts image seldom has 10 stars of S/N 30, and the fallback below is an
            # HST band's PSF: its faint sources read 0.15-0.18 mag too bright with it (2.5 px Gaussian
            # PSF, 0.05-1 counts/px). Their stack is one bright star of the image's own PSF
            stacked = apcorr.estimate_psf_stacked(flux, snr3, tuple(cog), apcorr.COG_ANNULUS)
            if stacked is not None:
                return stacked[0], stacked[1], "stack"
            if _locus_psf(v, radii.i_ci, beta) is None:
                # nothing of the image's own to go by: an HST band's PSF would be a guess
                return _psf_fwhm(None, vband), beta, "none"
        if est is None:
            return _calibrated_psf(v, radii.i_ci, None, vband, beta), beta, "ci-locus"
        fw, beta = est
        return fw, beta, "stars"

    def _record(self, out: Table, mosaics: Mosaics, vband: str, psf_used: dict[str, float],
                growth: dict[str, Any]) -> None:
        """Settings and PSF of the run in ``out.meta``; the growth columns when there are any."""
        out.meta["detect_v_band"] = vband
        out.meta["aperture_radius_px"] = float(self.aperture_radius)
        out.meta["annulus_px"] = [float(self.annulus[0]), float(self.annulus[1])]
        out.meta["magsys"] = str(getattr(mosaics, "magsys", "vega"))
        cameras = getattr(mosaics, "cameras", None)
        if cameras:
            # the camera of each band (INSTRUME/DETECTOR): AB magnitudes are put on Vega later with that
            # camera's offset (ACS/WFC's and WFC3/UVIS's F555W differ by 0.024 mag)
            out.meta["cameras"] = {str(b): str(c) for b, c in cameras.items()}
        if psf_used:
            out.meta["apcorr_psf_fwhm_px"] = {b: round(float(v), 3) for b, v in psf_used.items()}
        if growth:
            if growth["psf_source"] != "none":
                out.meta["apcorr_psf_beta"] = float(growth["psf_beta"])
            out.meta["apcorr_psf_source"] = growth["psf_source"]
            out["apcorr_radius"] = growth["radius"]
            out["saturated"] = growth["saturated"]
            out["apcorr_radius"].unit = "pix"
        mode = self.aperture_correction
        out.meta["aperture_correction"] = (
            mode if isinstance(mode, (str, type(None), float, int)) else dict(mode)
        )


def _pixel_unit(mosaics: Mosaics, band: str, photon_counts: bool):
    """The unit of ``band``'s pixel values from its header (:func:`starclass.io.mosaic.pixel_unit`); None without one.

    Arrays given as they are (a mapping band -> array, a simulation's own set) have no header: no unit.
    """
    from starclass.io.mosaic import pixel_unit

    header = (getattr(mosaics, "headers", None) or {}).get(band)
    return None if header is None else pixel_unit(header, photon_counts=bool(photon_counts))


def _add_sky_positions(out: Table, mosaics: Mosaics, xy: np.ndarray) -> None:
    """``ra``/``dec`` (deg, ICRS) from the mosaics' WCS, unless the table has them or there is none.

    ``meta["sky_positions"]`` records where they came from, or why there are none: a field
    whose mosaics carry no WCS gave a catalogue without ``ra``, ``dec`` and no trace of why,
    and the commands that need sky positions (matching on the sky, merging fields) could not say.
    """
    if RA in out.colnames and DEC in out.colnames:
        out.meta.setdefault(SKY_POSITIONS, "given")
        return
    files = ", ".join(str(p) for p in dict(getattr(mosaics, "paths", {}) or {}).values()) or "the mosaics"
    wcs = getattr(mosaics, "wcs", None)
    if wcs is None:
        out.meta[SKY_POSITIONS] = (f"none: {files} carry no celestial WCS (no CTYPE1/CTYPE2 RA/DEC keywords); "
                                   "positions are 0-based pixels x, y only")
        return
    if not len(out):
        out.meta[SKY_POSITIONS] = "mosaics' WCS"
        return
    try:
        # ICRS, the schema's frame, whatever frame the WCS is in: all_pix2world gave the WCS's own
        # numbers, FK5 on a RADESYS='FK5' mosaic, 14-30 mas off the ICRS that catalogues are placed
        # with (0.35 px at 0.04"/px when the catalogue came back to the same mosaic)
        icrs = wcs.pixel_to_world(xy[:, 0], xy[:, 1]).icrs
        ra, dec = np.asarray(icrs.ra.deg, dtype=float), np.asarray(icrs.dec.deg, dtype=float)
    except Exception as exc:  # a WCS astropy cannot evaluate: positions stay in pixels, and the meta says why
        out.meta[SKY_POSITIONS] = f"none: the WCS of {files} cannot convert pixels to sky ({exc})"
        return
    out[RA], out[DEC] = ra, dec
    out[RA].unit = out[DEC].unit = "deg"
    out.meta[SKY_POSITIONS] = "mosaics' WCS"


def keep_given_photometry(table: Table, source: str | os.PathLike) -> list[str]:
    """Keep a positions catalogue's own photometry (``mag_<band>``, ``ci``, ...) as ``<name>_input``.

    :func:`measure` replaces the columns it measures. A published catalogue (LEGUS, PHANGS)
    given as positions (``detect --positions``, a survey field's ``positions``) lost its own
    magnitudes and concentration indices under the ones measured here without a word; kept
    renamed, with a warning naming them, they can be compared (as classify keeps a
    catalogue's own ``class_pred``). Columns already named ``*_input`` (an earlier run's) stay.

    Parameters
    ----------
    table : astropy.table.Table
        The positions catalogue, renamed in place.
    source : str or path-like
        What it is (its file, the field), named in the warning.

    Returns
    -------
    list of str
        ``"'old' -> 'new'"`` for each renamed column (empty: none).

    Examples
    --------
    >>> import warnings
    >>> t = Table({"id": [1], "x": [5.0], "y": [5.0], "mag_f555w": [21.0], "mag_f555w_input": [20.0], "ci": [1.4]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     keep_given_photometry(t, "cat.ecsv")
    ["'mag_f555w' -> 'mag_f555w_input2'", "'ci' -> 'ci_input'"]
    """
    from starclass.io.catalog import keep_input_columns

    fixed = {schema.CI, schema.BKG, schema.FWHM, schema.CROWDING, schema.REDUNDANT, schema.APCORR_RADIUS,
             schema.SATURATED, schema.MASKED_FRAC}
    # an earlier run's mag_f555w_input is no mag_<band> (schema: a band never ends in _input): it stays
    patterns = (schema.COLUMNS["mag_<band>"], schema.COLUMNS["magerr_<band>"], schema.COLUMNS["mci_<r>"],
                schema.COLUMNS["masked_frac_<band>"])
    names = [c for c in table.colnames if c in fixed or any(p.matches(c) for p in patterns)]
    return keep_input_columns(table, names, source, what="carry the names of the photometry measured here")


def measure(
    mosaics: Mosaics,
    table: Table,
    *,
    bands: list[str] | None = None,
    aperture_radius: float = 4.0,
    aperture_correction: float | Mapping[str, float] | str | None = "growth",
    annulus: tuple[float, float] = ANNULUS,
    crowding_radius: float = 10.0,
    redundant_radius: float = 5.0,
    fwhm_radius: float = 5.0,
    mci_fiducial_fwhm: float = 3.0,
    psf_fwhm: float | Mapping[str, float] | None = None,
    psf_beta: float | None = 2.0,
    eff_gamma: float = 3.0,
    max_correction: float = 0.8,
    progress: bool | None = False,
    chunk: int = 4096,
    keep_empty_bands: bool = False,
) -> Table:
    """Measure photometry and morphology at the positions of ``table`` in every band.

    The same as ``CandidatePhotometry(**settings)(mosaics, table)``. Every row must lie on the image:
    a row off it (or without a position) is refused, the error naming the rows, rather than
    returned with NaN photometry that reads as a faint source. :func:`measure_on_image` measures
    the others and keeps such rows unmeasured, as ``detect --positions`` and ``survey`` do.

    Parameters
    ----------
    mosaics
        A :class:`starclass.io.mosaic.MosaicSet` (or :class:`starclass.detect.ArrayMosaics`).
    table
        Candidates with 0-based ``x`` and ``y`` columns; other columns are kept (measured
        columns are replaced). ``id`` is added (1..N) when missing, ``ra``/``dec`` when the
        mosaics have a WCS and the table has none.
    bands, aperture_radius, aperture_correction, annulus, crowding_radius, redundant_radius, \
fwhm_radius, mci_fiducial_fwhm, psf_fwhm, psf_beta, eff_gamma, max_correction, progress, chunk, \
keep_empty_bands
        The settings: see :class:`CandidatePhotometry`.

    Returns
    -------
    astropy.table.Table
        A copy of ``table`` with ``mag_<band>``, ``magerr_<band>`` for every band, ``ci``,
        ``mci_1`` .. ``mci_5``, ``bkg`` (V band, counts/s per px), ``fwhm`` (px), ``crowding``
        and ``redundant``; with ``aperture_correction="growth"`` also ``apcorr_radius`` (px within
        which the V light was measured, 0 where the CI correction stood in) and ``saturated``.

    Raises
    ------
    StarclassError
        Bad settings, missing ``x``/``y`` columns, positions off the image or missing (the
        message names the rows of both and points to :func:`measure_on_image`), an unknown band,
        or an image with no usable pixel (unless ``keep_empty_bands``).

    Examples
    --------
    >>> from starclass.datasets.fields import synthetic_field
    >>> mosaics, truth = synthetic_field((96, 96), n_sources=5, seed=1)
    >>> out = measure(mosaics, truth["x", "y"], aperture_correction=None)
    >>> out.meta["aperture_radius_px"], len(out) == len(truth)
    (4.0, True)

    A row off the 96 x 96 image is refused, by its row:

    >>> given = truth["x", "y"]
    >>> given["x"][1] = 500.0
    >>> measure(mosaics, given, aperture_correction=None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: table: positions off the 96 x 96 image in 1 row: row 2 x=500.00 ...; ...
    >>> measure_on_image(mosaics, given, aperture_correction=None)[1].tolist()  # what the refusal points to
    [False, True, False, False, False]
    """
    phot = CandidatePhotometry(
        bands=bands, aperture_radius=aperture_radius, aperture_correction=aperture_correction,
        annulus=annulus, crowding_radius=crowding_radius, redundant_radius=redundant_radius,
        fwhm_radius=fwhm_radius, mci_fiducial_fwhm=mci_fiducial_fwhm, psf_fwhm=psf_fwhm,
        psf_beta=psf_beta, eff_gamma=eff_gamma, max_correction=max_correction, progress=progress,
        chunk=chunk, keep_empty_bands=keep_empty_bands)
    return phot(mosaics, table)


def measure_on_image(mosaics: Mosaics, table: Table, **settings: Any) -> tuple[Table, np.ndarray]:
    """:func:`measure` the rows of ``table`` on the mosaics; the rows off them kept, unmeasured, in place.

    :func:`measure` refuses a table with any row off the image, so one row of another field cost the
    whole list its photometry, while classify and cutouts keep and flag such rows. Here the rows on
    the image are measured as they would be alone (the others count in no crowding), and each row
    off it (or without a position) stays where it was, with NaN photometry, ``masked_frac`` and every
    ``masked_frac_<band>`` 1 (its whole aperture off the image) and its counts and flags (``crowding``, ``redundant``,
    ``saturated``) masked; ``ra``, ``dec`` come from the WCS where the table had none, as for the
    others. Nothing is said: the caller warns of the rows, in its own words, by
    :func:`starclass.stamps.extract.refuse_off_image` (``detect --positions`` before it measures; a
    survey once per field, its tiles measuring after it). With ``keep_empty_bands=True``, a band with no
    usable pixel (a survey tile off that band's footprint) reads NaN and the others are measured, instead
    of the image being refused (:class:`CandidatePhotometry`).

    Parameters
    ----------
    mosaics
        As for :func:`measure`.
    table
        Candidates with 0-based ``x``, ``y``; ``id`` is added (1..N, over every row) when missing.
    **settings
        :func:`measure`'s keyword arguments (``keep_empty_bands`` among them).

    Returns
    -------
    table : astropy.table.Table
        Every row of ``table`` in its order, the measured columns added; where some are off the image,
        ``meta["n_detected"]`` counts them all and ``meta["n_unmeasured_off_image"]`` those off it;
        ``meta["no_usable_pixel"]`` names the bands read as NaN (``keep_empty_bands``).
    off : numpy.ndarray
        bool ``[N]``: the rows left unmeasured.

    Raises
    ------
    StarclassError
        As :func:`measure` does (the rows on the image measured, an image with no usable pixel refused
        unless ``keep_empty_bands``). A table wholly off the image comes back wholly unmeasured: the
        commands refuse such a list first (a survey tile may hold only rows off the image).

    Examples
    --------
    >>> from starclass.datasets.fields import synthetic_field
    >>> mosaics, truth = synthetic_field((96, 96), n_sources=5, seed=1)
    >>> given = truth["x", "y"]
    >>> given["x"][1] = 500.0  # off the 96 x 96 image
    >>> out, off = measure_on_image(mosaics, given, aperture_correction=None)
    >>> off.tolist(), len(out), out.meta["n_unmeasured_off_image"], float(out["masked_frac"][1])
    ([False, True, False, False, False], 5, 1, 1.0)
    >>> bool(np.isnan(out["mag_f555w"][1])), bool(np.isfinite(out["mag_f555w"][0]))
    (True, True)
    >>> mosaics.data["f814w"][:] = np.nan  # no usable pixel left in one band: the other is measured
    >>> out, off = measure_on_image(mosaics, given, keep_empty_bands=True, aperture_correction=None)
    >>> out.meta["no_usable_pixel"], bool(np.isnan(out["mag_f814w"]).all()), np.isfinite(out["mag_f555w"]).tolist()
    (['f814w'], True, [True, False, True, True, True])
    """
    from astropy.table import vstack

    from starclass.io.catalog import numeric_column
    from starclass.schema import COLUMNS, MASKED_FRAC
    from starclass.stamps.extract import off_image

    off = off_image(numeric_column(table, X), numeric_column(table, Y), tuple(mosaics.shape))
    if not off.any():
        return measure(mosaics, table, **settings), off
    table = Table(table, copy=False)
    if ID not in table.colnames:
        # measure numbers a table without ids 1..N: numbered over every row, not over those measured
        table[ID] = np.arange(1, len(table) + 1, dtype=np.int64)
    part = measure(mosaics, table[~off], **settings)
    part["_row"] = np.flatnonzero(~off)
    rest = Table({c: table[c][off] for c in part.colnames if c in table.colnames})
    if RA in part.colnames and RA not in table.colnames:
        _add_sky_positions(rest, mosaics, np.column_stack([numeric_column(rest, X), numeric_column(rest, Y)]))
    for c in part.colnames:
        if c not in rest.colnames and part[c].dtype.kind == "f":
            # the measured floats read NaN; the counts and flags (crowding, redundant, saturated) are masked
            whole = c == MASKED_FRAC or COLUMNS["masked_frac_<band>"].matches(c)
            rest[c] = np.full(int(off.sum()), 1.0 if whole else np.nan)
            rest[c].unit = part[c].unit
    rest["_row"] = np.flatnonzero(off)
    out = vstack([part, rest], join_type="outer", metadata_conflicts="silent")
    out.sort("_row")
    del out["_row"]
    out.meta = dict(part.meta)
    out.meta["n_detected"] = len(out)  # every position given is a row of the catalogue
    out.meta["n_unmeasured_off_image"] = int(off.sum())
    return out, off
