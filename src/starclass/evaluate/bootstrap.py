"""Bootstrap confidence intervals (resampling objects with replacement).

StarcNet (section 4) quotes +-0.8 % on its 4-class accuracy from bootstrapping; here any
metric of paired arrays gets a percentile interval. Resamples on which the metric is undefined
(for instance a class drawn zero times) are skipped and counted, never averaged as NaN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from starclass.errors import StarclassError


def bootstrap_ci(
    metric: Callable[..., float],
    *arrays: np.ndarray,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
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

    Returns
    -------
    value, lo, hi

    Examples
    --------
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
    if n < 2:
        raise StarclassError(f"bootstrap_ci: need at least 2 objects, got {n}")
    if not 0 < level < 1:
        raise StarclassError(f"bootstrap level must be between 0 and 1, got {level}")
    value = float(metric(*arrays))
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(int(n_boot)):
        idx = rng.integers(0, n, n)
        try:
            v = float(metric(*(np.asarray(a)[idx] for a in arrays)))
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
