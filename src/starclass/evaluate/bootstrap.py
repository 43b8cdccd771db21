"""Bootstrap confidence intervals (resampling objects with replacement).

StarcNet (section 4) quotes +-0.8 % on its 4-class accuracy from bootstrapping; here any
metric of paired arrays gets a percentile interval. Resamples on which the metric is undefined
(for instance a class drawn zero times) are skipped and counted, never averaged as NaN.

Rows that are not independent (several cutouts of one object: the PAndAS folder has 869
cutouts of 755 objects) are resampled by whole groups (``groups``): the cluster bootstrap.
Resampling their rows one by one treats the copies of an object as independent evidence and
gives intervals that are too narrow.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from starclass.errors import StarclassError, counted


def group_codes(groups: np.ndarray) -> np.ndarray:
    """Code 0..G-1 of each row's group, numbered in order of first appearance.

    Numbered so, a column of distinct values gives codes ``0..N-1`` in row order, and a grouped
    bootstrap of such groups draws exactly the rows of the row bootstrap with the same seed.

    Parameters
    ----------
    groups
        One value per row (any type; compared as strings).

    Returns
    -------
    numpy.ndarray
        int64 codes, one per row.

    Examples
    --------
    >>> group_codes(np.array(["b", "a", "b", "c"])).tolist()
    [0, 1, 0, 2]
    """
    g = np.asarray(groups).astype(str)
    _, first, inverse = np.unique(g, return_index=True, return_inverse=True)
    # np.unique numbers the sorted values: renumber them by their first row
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.ravel()]


def _group_sampler(codes: np.ndarray) -> Callable[[np.random.Generator], np.ndarray]:
    """A function of a generator returning the rows of one resample of whole groups."""
    n_groups = int(codes.max()) + 1
    order = np.argsort(codes, kind="stable")  # rows of group 0, then of group 1, ...
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])

    def draw(rng: np.random.Generator) -> np.ndarray:
        g = rng.integers(0, n_groups, n_groups)
        lens = sizes[g]
        # every row of each drawn group, a group drawn twice coming twice
        offsets = np.repeat(starts[g] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        return order[offsets]

    return draw


def bootstrap_ci(
    metric: Callable[..., float],
    *arrays: np.ndarray,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    groups: np.ndarray | None = None,
) -> tuple[float, float, float]:
    """Value and percentile confidence interval of ``metric(*arrays)``.

    Parameters
    ----------
    metric
        Function of the arrays returning a float (it may raise or return NaN on a resample
        where it is undefined; such resamples are skipped).
    arrays
        Arrays of the same length, resampled together by object.
    n_boot
        Number of resamples.
    level
        Two-sided confidence level.
    seed
        Seed of the random generator (results are reproducible).
    groups
        One value per row naming its object (e.g. ``object_id``), or None (every row its own
        object). Given, each resample draws as many groups as there are, with replacement, and
        takes every row of each drawn group (a group drawn twice comes twice): the cluster
        bootstrap. Groups of one row each, in row order, draw the same rows as ``groups=None``
        for one seed.

    Returns
    -------
    value, lo, hi

    Raises
    ------
    StarclassError
        No arrays, arrays (or ``groups``) of different lengths, fewer than two objects, or a
        metric defined on too few resamples.

    Examples
    --------
    >>> x = np.repeat([0.0, 1.0, 0.0, 1.0, 1.0], 3)          # five objects, three copies each
    >>> row = bootstrap_ci(np.mean, x, n_boot=500)
    >>> obj = bootstrap_ci(np.mean, x, n_boot=500, groups=np.repeat(np.arange(5), 3))
    >>> row[0] == obj[0], obj[2] - obj[1] > row[2] - row[1]  # same value, a wider interval
    (True, True)

    The accuracy of eight paired labels (6 of 8 agree) with its 95 % interval:

    >>> ref = np.array([1, 1, 2, 2, 1, 2, 1, 2])
    >>> pred = np.array([1, 1, 2, 1, 1, 2, 2, 2])
    >>> bootstrap_ci(lambda r, p: float(np.mean(r == p)), ref, pred, n_boot=200)
    (0.75, 0.375, 1.0)
    """
    if not arrays:
        raise StarclassError("bootstrap_ci needs at least one array")
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise StarclassError("bootstrap_ci: arrays differ in length")
    if not 0 < level < 1:
        raise StarclassError(f"bootstrap level must be between 0 and 1, got {level}")
    if groups is None:
        if n < 2:
            raise StarclassError(f"bootstrap_ci: need at least 2 objects, got {n}")
        draw = None
    else:
        if len(groups) != n:
            raise StarclassError(f"bootstrap_ci: {len(groups)} groups for {counted(n, 'row')}")
        codes = group_codes(groups) if n else np.zeros(0, dtype=np.int64)
        n_groups = int(codes.max()) + 1 if n else 0
        if n_groups < 2:
            raise StarclassError(f"bootstrap_ci: need at least 2 objects (groups), got {n_groups}")
        draw = _group_sampler(codes)
    value = float(metric(*arrays))
    rng = np.random.default_rng(seed)
    arrs = [np.asarray(a) for a in arrays]
    vals = []
    for _ in range(int(n_boot)):
        idx = rng.integers(0, n, n) if draw is None else draw(rng)
        try:
            v = float(metric(*(a[idx] for a in arrs)))
        except (StarclassError, ValueError, ZeroDivisionError):
            continue
        if np.isfinite(v):
            vals.append(v)
    if len(vals) < max(10, n_boot // 10):
        raise StarclassError(
            f"bootstrap: the metric was defined on only {len(vals)} of {n_boot} resamples"
        )
    alpha = (1 - level) / 2
    lo, hi = np.quantile(vals, [alpha, 1 - alpha])
    return value, float(lo), float(hi)
