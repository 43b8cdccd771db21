"""Typicality picks for a small labelling budget (TypiClust; Hacohen, Dekel & Weinshall 2022).

With few labels, uncertainty sampling picks the candidates a poorly trained model is unsure
of: outliers and near-duplicates of one another, worse than random (the "cold start"). For a
low budget it pays instead to label candidates that *represent* the data: :func:`typical_pick`
clusters an embedding of every candidate (labelled and not) into ``labelled + n`` clusters
with k-means and labels, in the largest clusters that hold no label yet, each cluster's most
*typical* candidate: the one whose nearest neighbours in its cluster are closest (the densest
neighbourhood). The picks are spread over the data (one per cluster) and none is an outlier.

:func:`typicality` is the density score alone: the inverse of the mean distance to a point's
``k`` nearest neighbours. The embedding is the caller's: for a network the penultimate
features (:func:`starclass.learn.embedding.penultimate_features`), averaged over a candidate's
stamps.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from starclass import quiet_import
from starclass.errors import StarclassError, agreeing

__all__ = ["typical_pick", "typicality"]


def typicality(features: np.ndarray, n_neighbours: int = 20) -> np.ndarray:
    """Typicality of each point: one over the mean distance to its ``n_neighbours`` nearest others.

    Parameters
    ----------
    features : numpy.ndarray
        ``[N, D]`` embedding.
    n_neighbours : int
        Neighbours averaged over (fewer when there are fewer other points).

    Returns
    -------
    numpy.ndarray
        ``[N]`` typicality, larger in denser neighbourhoods; a single point gets 0 (no neighbour
        to be typical of); points at zero distance from all their neighbours get ``inf``.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [5.0, 5.0]])
    >>> int(np.argmax(typicality(x, n_neighbours=2)))   # the corner of the tight triangle
    0
    """
    x = np.asarray(features, dtype=float)
    if x.ndim != 2:
        raise StarclassError(f"typicality: features must be [N, D], got shape {x.shape}")
    if int(n_neighbours) < 1:
        raise StarclassError(f"typicality: n_neighbours must be >= 1, got {n_neighbours}")
    if len(x) < 2:
        return np.zeros(len(x))
    with quiet_import():
        from sklearn.neighbors import NearestNeighbors  # here: importing starclass.suggest stays light

    k = min(int(n_neighbours), len(x) - 1)
    # k + 1: each point is its own nearest neighbour, left out below
    dist, _ = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x)
    mean = dist[:, 1:].mean(axis=1)
    with np.errstate(divide="ignore"):
        return 1.0 / mean


def typical_pick(features: np.ndarray, n: int, labelled: ArrayLike | None = None, *, n_neighbours: int = 20,
                 min_cluster_size: int = 5, seed: int = 0, n_init: int = 10) -> np.ndarray:
    """Rows of ``n`` unlabelled points to label next: the most typical point of each of the largest unlabelled clusters.

    The points (labelled and unlabelled) are clustered with k-means into ``len(labelled) + n``
    clusters (at most one per point). Then, ``n`` times: among the clusters with at least
    ``min_cluster_size`` points (all clusters when none has) that still hold an unlabelled,
    unpicked point, take the one with the fewest labels and picks so far, the largest of those,
    and pick its unlabelled point of highest :func:`typicality` (computed within the cluster,
    labelled points included, since they make the neighbourhood dense too). So clusters without
    a label are served first, largest first; only when they run out does a cluster get a second.

    Parameters
    ----------
    features : numpy.ndarray
        ``[N, D]`` embedding of every candidate, labelled ones included.
    n : int
        How many to pick (fewer when fewer are unlabelled).
    labelled : array-like, optional
        Rows already labelled: indices, or a boolean mask of length N.
    n_neighbours : int
        Neighbours of the typicality (TypiClust uses 20).
    min_cluster_size : int
        Smaller clusters are served only when no larger one is left (TypiClust: 5), so that a
        clump of outliers is not labelled before the bulk.
    seed : int
        Seed of k-means: the same seed, the same picks.
    n_init : int
        k-means restarts (the best inertia is kept).

    Returns
    -------
    numpy.ndarray
        Row indices in pick order (largest unlabelled cluster first).

    Raises
    ------
    StarclassError
        ``features`` not 2-D or not finite, ``n < 1``, or ``labelled`` out of range.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centres = np.array([[0, 0], [10, 0], [0, 10]])
    >>> x = np.concatenate([c + rng.normal(0, 0.5, (20, 2)) for c in centres])
    >>> picked = typical_pick(x, 2, labelled=[0])     # row 0 is in the first blob
    >>> sorted(int(i) // 20 for i in picked)           # one from each of the other two blobs
    [1, 2]
    """
    x = np.asarray(features, dtype=float)
    if x.ndim != 2 or len(x) == 0:
        raise StarclassError(f"typical_pick: features must be a non-empty [N, D] array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        bad = np.flatnonzero(~np.all(np.isfinite(x), axis=1))
        raise StarclassError(f"typical_pick: features of {agreeing(bad.size, 'row')} {bad[:10].tolist()} "
                             f"{'is' if bad.size == 1 else 'are'} not finite")
    if int(n) < 1:
        raise StarclassError(f"typical_pick: n must be >= 1, got {n}")
    is_lab = np.zeros(len(x), dtype=bool)
    if labelled is not None:
        lab = np.asarray(labelled)
        if lab.dtype == bool:
            if lab.shape != (len(x),):
                raise StarclassError(f"typical_pick: a boolean labelled mask needs {len(x)} entries, got {lab.shape}")
            is_lab = lab.copy()
        elif lab.size:
            lab = lab.astype(np.int64).ravel()
            if lab.min() < 0 or lab.max() >= len(x):
                raise StarclassError(f"typical_pick: labelled rows must be in 0..{len(x) - 1}, got "
                                     f"{lab.min()}..{lab.max()}")
            is_lab[lab] = True
    n = min(int(n), int((~is_lab).sum()))
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    with quiet_import():
        from sklearn.cluster import KMeans

    k = min(int(is_lab.sum()) + n, len(x))
    cluster = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(x)
    size = np.bincount(cluster, minlength=k)
    served = np.bincount(cluster[is_lab], minlength=k)  # labels, then picks, per cluster
    free = ~is_lab
    typ: dict[int, np.ndarray] = {}
    picked: list[int] = []
    for _ in range(n):
        open_ = np.flatnonzero(np.bincount(cluster[free], minlength=k) > 0)
        big = open_[size[open_] >= min_cluster_size]
        cand = big if big.size else open_
        # fewest labels first, then the largest; lexsort's last key is the primary one
        c = int(cand[np.lexsort((-size[cand], served[cand]))[0]])
        members = np.flatnonzero(cluster == c)
        if c not in typ:
            typ[c] = typicality(x[members], n_neighbours)
        t = np.where(free[members], typ[c], -np.inf)
        row = int(members[np.argmax(t)])  # ties: the first row, so the pick is repeatable
        picked.append(row)
        free[row] = False
        served[c] += 1
    return np.asarray(picked, dtype=np.int64)
