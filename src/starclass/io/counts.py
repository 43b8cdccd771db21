"""Whether an image is one of photon counts (X-ray, UV photon counting): a Poisson background of a small mean.

Decided here, beside the mosaics, because reading a weight-less band's zero padding depends on it
(:func:`starclass.io.mosaic.padding_side`): the zeros of a sparse counts image are sky. Detection
and photometry (:mod:`starclass.detect`) take the same decision for their background model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

#: Share of zero pixels an image needs to be read as photon counts (:func:`photon_counts`): a Poisson
#: mean of 3 counts/px or less.
POISSON_ZERO_MIN = 0.05


def photon_counts(
    data: np.ndarray,
    mask: np.ndarray | Callable[[slice], np.ndarray] | None = None,
    strip_rows: int = 256,
) -> bool:
    """True for an image of photon counts: non-negative integers, mostly 0 or 1 on the background.

    Such an image (X-ray, UV photon counting) has a Poisson background of a small mean: most pixels
    are 0, and the sigma-clipped statistic of the background mesh reads its noise as 0. Taken as
    counts: every usable pixel a non-negative integer, and either at least :data:`POISSON_ZERO_MIN`
    of them 0 with the shares of 0 and 1 as a Poisson law has them (the ratio ``n1 / n0`` within a
    factor 2 of ``-ln(n0 / n)``), so an integer image whose negative values were clipped to 0 is
    not; or, with fewer zeros (above about 3 counts/px), a spread of the values that of a Poisson
    law of their median (the variance read on the quartiles of neighbour differences, over the
    median, within :data:`COUNTS_DISPERSION`), so an image in ADU with a bias level or a gain is
    not. Read as Gaussian, such an image's background is the clipped median, an integer, off by
    up to 0.5 count/px: a pure Poisson image of 3.5 counts/px gave 214 false detections on
    512 x 512 px, and its sources' photometry 10% too much flux.

    It is decided once per image on all its usable pixels (``mask`` True where unusable: an array,
    or a function of a slice of rows giving their mask, so a survey reads it strip by strip):
    near the threshold (about 3 counts/px) parts of one image decide differently, and a survey's
    tiles gave neighbours different background and noise models
    (:func:`starclass.detect.find.counts_decision`).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> photon_counts(rng.poisson(0.05, (64, 64)).astype(np.float32))
    True
    >>> photon_counts(rng.normal(0, 1, (64, 64)).astype(np.float32))
    False
    >>> photon_counts(np.maximum(np.round(rng.normal(0, 30, (64, 64))), 0))
    False
    """
    tally = counts_tally(data, mask, strip_rows)
    if tally is None or tally[0] == 0:
        return False
    n, n0, n1 = tally
    if n0 >= POISSON_ZERO_MIN * n:
        lam0 = -math.log(n0 / n)
        lam1 = n1 / n0
        return lam0 > 0 and 0.5 <= lam1 / lam0 <= 2.0
    # fewer zeros (a mean above 3 counts/px): Poisson when the pixel noise is that of the level, variance ~
    # mean: the variance from the quartiles of horizontal neighbour differences (twice a pixel's variance,
    # whatever the sky does across the image; the sources' pixels barely move them) over the median pixel.
    # A second pass, so that the common case above reads no more than it did
    hist = np.zeros(_COUNTS_HIST_MAX + 1, dtype=np.int64)
    dhist = np.zeros(2 * _COUNTS_HIST_MAX + 1, dtype=np.int64)  # differences offset by _COUNTS_HIST_MAX
    for sub, use in _usable_strips(data, mask, strip_rows):
        hist += np.bincount(np.minimum(sub[use], _COUNTS_HIST_MAX).astype(np.int64), minlength=hist.size)
        pair = use[:, 1:] & use[:, :-1]
        d = (np.minimum(sub[:, 1:][pair], _COUNTS_HIST_MAX).astype(np.int64)
             - np.minimum(sub[:, :-1][pair], _COUNTS_HIST_MAX).astype(np.int64))
        dhist += np.bincount(d + _COUNTS_HIST_MAX, minlength=dhist.size)
    med, = _hist_quantiles(hist, (0.5,))
    if not 1.0 <= med < _COUNTS_HIST_MAX / 2 or dhist.sum() == 0:
        return False
    d1, d3 = _hist_quantiles(dhist, (0.25, 0.75))
    disp = ((d3 - d1) / 1.349) ** 2 / 2.0 / med
    return bool(COUNTS_DISPERSION[0] <= disp <= COUNTS_DISPERSION[1])


def counts_tally(
    data: np.ndarray,
    mask: np.ndarray | Callable[[slice], np.ndarray] | None = None,
    strip_rows: int = 256,
) -> tuple[int, int, int] | None:
    """``(usable pixels, zeros, ones)`` of an image of non-negative integers; None for any other image.

    The first pass of :func:`photon_counts`, read strip by strip (``mask`` as there): a float image
    stops at its first strip.

    Examples
    --------
    >>> counts_tally(np.array([[0.0, 1.0, 0.0], [2.0, 0.0, np.nan]]))
    (5, 3, 1)
    >>> counts_tally(np.array([[0.5, 1.0]])) is None
    True
    """
    n = n0 = n1 = 0
    for sub, use in _usable_strips(data, mask, strip_rows):
        v = sub[use]
        if v.size and (v.min() < 0 or not np.array_equal(v, np.floor(v))):
            return None
        n += v.size
        n0 += int((v == 0).sum())
        n1 += int((v == 1).sum())
    return n, n0, n1


def _usable_strips(data: np.ndarray, mask, strip_rows: int):
    """``(strip, usable)`` of ``strip_rows`` rows at a time (the mask an array, a function of a row slice, or None)."""
    for r0 in range(0, data.shape[0], strip_rows):
        # as stored (float32 stays float32) and 256 rows at a time: a float image is refused on its first
        # strip, and a 16k-wide mosaic costs no float64 copy of 1024 rows (128 MiB) beside detection's own
        sub = np.asarray(data[r0:r0 + strip_rows])
        use = np.isfinite(sub)
        if callable(mask):
            use &= ~np.asarray(mask(slice(r0, r0 + sub.shape[0])), dtype=bool)
        elif mask is not None:
            use &= ~np.asarray(mask[r0:r0 + strip_rows], dtype=bool)
        yield sub, use


#: Range of the pixel variance over the median pixel within which an integer image with under
#: :data:`POISSON_ZERO_MIN` zeros is read as photon counts (:func:`photon_counts`). Measured on 256 px
#: images: pure Poisson of 3.2-1000 counts/px 0.99-1.03, a sky rising from 3 to 10 or 5 to 15 counts/px
#: across 0.95; in ADU of gain 1.33 0.77, of gain 2 0.54; a bias level of 1000 ADU 0.03; read noise
#: of 5 on 5 counts/px 4.4.
COUNTS_DISPERSION = (0.75, 1.5)


#: Values above this count as this in :func:`photon_counts`' histogram (only its quartiles are read).
_COUNTS_HIST_MAX = 1 << 16


def _hist_quantiles(hist: np.ndarray, qs: Sequence[float]) -> list[float]:
    """Quantiles of integer data from their histogram, each value ``k`` spread over ``[k - 0.5, k + 0.5]``."""
    cum = np.cumsum(hist)
    out = []
    for q in qs:
        target = q * cum[-1]
        k = int(np.searchsorted(cum, target))
        below = cum[k - 1] if k else 0
        out.append(k - 0.5 + (target - below) / max(int(hist[k]), 1))
    return out
