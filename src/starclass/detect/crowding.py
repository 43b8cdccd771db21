"""Neighbour counts and the redundancy flag.

* ``crowding``: the number of *other* candidates within ``radius`` px (10 px by default, a
  5-8 pc radius at 10-20 Mpc: the scale on which the PHANGS classifiers judge an object
  "crowded").
* ``redundant``: a candidate within 5 px of a brighter candidate is redundant: PHANGS
  class-4 subclass 4.9 (Whitmore et al. 2021, Table 3), the same object found twice or a knot of
  a brighter one. Brightness is the V-band aperture flux; candidates without a flux count as the
  faintest; equal fluxes are broken by table order (the later row is redundant).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def crowding_counts(xy: np.ndarray, radius: float = 10.0) -> np.ndarray:
    """Number of other positions within ``radius`` of each position.

    Parameters
    ----------
    xy
        ``(N, 2)`` positions (px).
    radius
        Search radius (px).

    Returns
    -------
    numpy.ndarray
        Integer counts, shape ``(N,)``.

    Examples
    --------
    The first two positions are 5 px apart, the third 20 px from the first:

    >>> crowding_counts(np.array([[0.0, 0.0], [3.0, 4.0], [20.0, 0.0]]), 10.0).tolist()
    [1, 1, 0]
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        return np.zeros(0, dtype=np.int64)
    tree = cKDTree(xy)
    counts = tree.query_ball_point(xy, r=radius, return_length=True)
    return np.asarray(counts, dtype=np.int64) - 1


def redundant_flags(xy: np.ndarray, flux: np.ndarray, radius: float = 5.0) -> np.ndarray:
    """True for each position lying within ``radius`` of a brighter one.

    Parameters
    ----------
    xy
        ``(N, 2)`` positions (px).
    flux
        Brightness used to rank candidates (larger = brighter); NaN ranks last.
    radius
        Distance (px) below which the fainter candidate of a pair is redundant.

    Returns
    -------
    numpy.ndarray
        Boolean flags, shape ``(N,)``.

    Examples
    --------
    >>> xy = np.array([[0.0, 0.0], [3.0, 4.0], [20.0, 0.0]])
    >>> redundant_flags(xy, np.array([1.0, 5.0, 2.0])).tolist()
    [True, False, False]
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    flags = np.zeros(n, dtype=bool)
    if n < 2:
        return flags
    pairs = cKDTree(xy).query_pairs(r=radius, output_type="ndarray")
    if len(pairs) == 0:
        return flags
    f = np.where(np.isfinite(flux), np.asarray(flux, dtype=float), -np.inf)
    # rank: higher = brighter; ties broken so that the earlier row counts as brighter
    order = np.lexsort((-np.arange(n), f))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    i, j = pairs[:, 0], pairs[:, 1]
    fainter = np.where(rank[i] < rank[j], i, j)
    flags[fainter] = True
    return flags
