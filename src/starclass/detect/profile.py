"""FWHM from a radial-profile fit, for all sources at once.

Each source's pixels within ``radius`` of its position are taken as samples ``(r_i, I_i)`` of
its radial profile (the azimuthally averaged profile, sampled at every pixel rather than in
bins), after subtracting the local background. A circular Gaussian ``A exp(-r^2 / 2 s^2)`` is
fitted by least squares: for each trial ``s`` on a fine logarithmic grid the best amplitude is
analytic, so the whole fit is a few array operations over (sources x grid x pixels), refined by
a parabola through the best grid point. ``FWHM = 2 sqrt(2 ln 2) s`` is the width as seen on the
image (PSF included), the quantity the PHANGS classifiers read off the profile (stars 1.8-2.4
px, clusters wider).
"""

from __future__ import annotations

import math

import numpy as np

from starclass.stamps.extract import cut_boxes

_FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


def cutouts(
    data: np.ndarray, xy: np.ndarray, half: int, fill: float | bool = np.nan
) -> tuple[np.ndarray, np.ndarray]:
    """Square boxes of side ``2 half + 1`` centred on the pixels nearest to ``xy``.

    Detection centres its boxes on ``numpy.rint`` of the position (photometry's apertures
    and annuli are measured from the same centre) and cuts them with
    :func:`starclass.stamps.extract.cut_boxes`, the one cut-out routine.

    Parameters
    ----------
    data
        2-D array (memory-mapped arrays are read only where the boxes fall).
    xy
        ``(N, 2)`` 0-based positions.
    half
        Half-size of the box (px).
    fill
        Value of box pixels that fall off the image.

    Returns
    -------
    boxes, inside
        ``(N, S, S)`` values and a boolean array, True where the box pixel is on the image.

    Examples
    --------
    >>> img = np.arange(25.0).reshape(5, 5)
    >>> boxes, inside = cutouts(img, np.array([[2.4, 1.6]]), 1)
    >>> boxes[0].tolist()
    [[6.0, 7.0, 8.0], [11.0, 12.0, 13.0], [16.0, 17.0, 18.0]]
    """
    cx = np.rint(xy[:, 0]).astype(np.int64)
    cy = np.rint(xy[:, 1]).astype(np.int64)
    return cut_boxes(data, cx, cy, 2 * half + 1, fill)


def fit_fwhm(
    data: np.ndarray,
    mask: np.ndarray | None,
    xy: np.ndarray,
    bkg: np.ndarray,
    radius: float = 5.0,
    sigma_range: tuple[float, float] = (0.3, 8.0),
    n_grid: int = 120,
    chunk: int = 512,
) -> np.ndarray:
    """FWHM (px) of a circular Gaussian fitted to each source's radial profile.

    Parameters
    ----------
    data
        2-D image.
    mask
        True where pixels are unusable (excluded from the fit), or None.
    xy
        ``(N, 2)`` 0-based positions (the profile centre).
    bkg
        Local background per pixel of each source, subtracted first (NaN counts as 0).
    radius
        Pixels whose centres lie within this distance enter the fit.
    sigma_range
        Range of Gaussian sigma (px) searched; fits ending on its edges give NaN.
    n_grid
        Number of trial sigmas (logarithmic grid).
    chunk
        Sources processed per block (bounds memory).

    Returns
    -------
    numpy.ndarray
        FWHM in px; NaN when the fit fails (no positive amplitude, too few pixels, or the
        best width on the edge of ``sigma_range``).

    Examples
    --------
    A Gaussian of sigma 1.5 px has FWHM 2.3548 x 1.5 = 3.532 px:

    >>> yy, xx = np.mgrid[0:41, 0:41]
    >>> img = 5.0 + 100.0 * np.exp(-((xx - 20) ** 2 + (yy - 20) ** 2) / (2 * 1.5**2))
    >>> fit_fwhm(img, None, np.array([[20.0, 20.0]]), np.array([5.0])).round(3).tolist()
    [3.532]
    """
    n = len(xy)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    half = int(math.ceil(radius))
    offs = np.arange(-half, half + 1, dtype=float)
    grid = np.geomspace(sigma_range[0], sigma_range[1], n_grid)
    logg = np.log(grid)
    bkg = np.where(np.isfinite(bkg), bkg, 0.0)
    for s in range(0, n, chunk):
        sl = slice(s, min(s + chunk, n))
        pos = xy[sl]
        boxes, inside = cutouts(data, pos, half)
        vals = boxes.reshape(len(pos), -1).astype(float) - bkg[sl, None]
        good = inside.reshape(len(pos), -1) & np.isfinite(vals)
        if mask is not None:
            mboxes, _ = cutouts(mask, pos, half, fill=True)
            good &= ~mboxes.reshape(len(pos), -1)
        cx = np.rint(pos[:, 0])
        cy = np.rint(pos[:, 1])
        dx = (cx - pos[:, 0])[:, None] + offs[None, :]
        dy = (cy - pos[:, 1])[:, None] + offs[None, :]
        r2 = (dy[:, :, None] ** 2 + dx[:, None, :] ** 2).reshape(len(pos), -1)
        good &= r2 <= radius * radius
        vals = np.where(good, vals, 0.0)
        # For each trial sigma: model g = exp(-r2 / 2 s^2); best A = <v g> / <g g>;
        # chi2 = <v v> - <v g>^2 / <g g> (masked pixels have weight 0).
        w = good.astype(float)
        g = np.exp(-r2[:, None, :] / (2.0 * grid[None, :, None] ** 2))
        vg = np.einsum("np,nkp->nk", vals, g)
        gg = np.einsum("np,nkp->nk", w, g * g)
        with np.errstate(invalid="ignore", divide="ignore"):
            amp = vg / gg
            chi2 = (vals * vals).sum(axis=1)[:, None] - vg * amp
        chi2 = np.where(amp > 0, chi2, np.inf)
        best = np.argmin(chi2, axis=1)
        ok = np.isfinite(chi2[np.arange(len(pos)), best]) & (good.sum(axis=1) >= 6)
        ok &= (best > 0) & (best < n_grid - 1)
        b = np.clip(best, 1, n_grid - 2)
        rows = np.arange(len(pos))
        c0, c1, c2 = chi2[rows, b - 1], chi2[rows, b], chi2[rows, b + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            denom = c0 - 2.0 * c1 + c2
            shift = np.where(np.isfinite(denom) & (denom > 0), 0.5 * (c0 - c2) / denom, 0.0)
        shift = np.clip(shift, -1.0, 1.0)
        step = logg[1] - logg[0]
        sigma = np.exp(logg[b] + shift * step)
        out[sl] = np.where(ok, sigma * _FWHM_PER_SIGMA, np.nan)
    return out
