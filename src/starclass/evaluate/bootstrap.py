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

from collections.abc import Callable, Iterator

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
    draws = resamples(n, n_boot, seed=seed, groups=groups)
    value = float(metric(*arrays))
    arrs = [np.asarray(a) for a in arrays]
    vals = []
    for idx in draws:
        try:
            v = float(metric(*(a[idx] for a in arrs)))
        except (StarclassError, ValueError, ZeroDivisionError):
            continue
        if np.isfinite(v):
            vals.append(v)
    lo, hi = percentile_interval(np.asarray(vals, dtype=np.float64), n_boot, level)
    return value, lo, hi


def resamples(n: int, n_boot: int, *, seed: int = 0, groups: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """The row indices of each bootstrap resample, drawn as :func:`bootstrap_ci` draws them.

    One set of draws can score several figures (evaluate's accuracies, per-class F1, ROC AUC,
    ECE, Brier), so all of them come from the same resamples, and drawing them once is cheaper
    than once per figure. For one ``seed`` the k-th set is the k-th set :func:`bootstrap_ci`
    resamples. The arguments are checked when this is called, before the first draw.

    Parameters
    ----------
    n
        Number of rows.
    n_boot
        Number of resamples.
    seed
        Seed of the random generator.
    groups
        One value per row naming its object, or None (every row its own object): see
        :func:`bootstrap_ci`.

    Returns
    -------
    iterator of numpy.ndarray
        ``n_boot`` int arrays of row indices (with repeats).

    Raises
    ------
    StarclassError
        ``groups`` of another length than ``n``, or fewer than two objects.

    Examples
    --------
    >>> [idx.tolist() for idx in resamples(4, 2, seed=1, groups=np.array(["a", "a", "b", "c"]))]  # object a: rows 0, 1
    [[2, 2, 3], [3, 0, 1, 0, 1]]
    """
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

    def gen() -> Iterator[np.ndarray]:
        rng = np.random.default_rng(seed)
        for _ in range(int(n_boot)):
            yield rng.integers(0, n, n) if draw is None else draw(rng)

    return gen()


def too_few_defined(n_defined: int, n_boot: int, what: str = "the metric") -> str:
    """Why a figure defined on ``n_defined`` of ``n_boot`` resamples has no interval, in words.

    The rule is ``max(10, n_boot // 10)`` resamples; where fewer than 10 were drawn, none could meet it:
    "the accuracies were defined on only 5 of 5 resamples" blamed the data for the count asked for.

    Examples
    --------
    >>> too_few_defined(5, 5, "the accuracies")
    'the accuracies need 10 resamples or more for an interval; 5 were drawn (--bootstrap 10 or more)'
    >>> too_few_defined(3, 200, "the accuracies")
    'the accuracies were defined on only 3 of 200 resamples (at least 20 needed)'
    """
    need = max(10, n_boot // 10)
    if n_boot < need:
        return (f"{what} need{'s' if what == 'the metric' else ''} {need} resamples or more for an interval; "
                f"{n_boot} {'was' if n_boot == 1 else 'were'} drawn (--bootstrap {need} or more)")
    return f"{what} {'was' if what == 'the metric' else 'were'} defined on only {n_defined} of {n_boot} resamples " \
           f"(at least {need} needed)"


def _finite_resamples(values: np.ndarray, n_boot: int) -> np.ndarray:
    """The finite figures of ``values``, refused when fewer than ``max(10, n_boot // 10)`` (the intervals' one rule)."""
    vals = np.asarray(values, dtype=np.float64)
    vals = vals[np.isfinite(vals)]
    if vals.size < max(10, n_boot // 10):
        raise StarclassError(f"bootstrap: {too_few_defined(vals.size, n_boot)}")
    return vals


def percentile_interval(values: np.ndarray, n_boot: int, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of a figure's finite values over ``n_boot`` resamples.

    NaN values (resamples on which the figure is undefined, e.g. a class drawn zero times) are
    skipped; fewer than ``max(10, n_boot // 10)`` finite ones is refused, as :func:`bootstrap_ci`
    refuses them.

    Parameters
    ----------
    values
        The figure on each resample (NaN where undefined).
    n_boot
        Number of resamples drawn.
    level
        Two-sided confidence level.

    Returns
    -------
    lo, hi

    Raises
    ------
    StarclassError
        The figure was defined on too few resamples.

    Examples
    --------
    >>> percentile_interval(np.array([0.1, 0.2, np.nan] * 10), 30, level=0.5)
    (0.1, 0.2)
    """
    vals = _finite_resamples(values, n_boot)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(vals, [alpha, 1 - alpha])
    return float(lo), float(hi)


def bias_corrected_interval(values: np.ndarray, point: float, n_boot: int,
                            level: float = 0.95) -> tuple[float, float]:
    """Bias-corrected percentile interval of a figure from its values over ``n_boot`` resamples.

    The percentile interval (:func:`percentile_interval`) of a figure biased on small samples is
    off centre: the ECE is biased upwards, its resamples (drawn from the sample, itself drawn
    from the population) sit higher still, and an interval of their 2.5th to 97.5th percentiles
    can lie wholly above the ECE measured on the data (``ECE 0.0832 [0.0854, 0.2214]`` on 64
    PAndAS cutouts). The bias correction (Efron's BC, the BCa interval without its acceleration)
    measures the offset from the same resamples: ``z0 = Phi^-1(share of resamples below the
    point)``, ties counting a half, and takes the percentiles ``Phi(2 z0 -+ z)`` of them instead
    of ``Phi(-+z)``. Where half the resamples lie below the point (an unbiased figure such as a
    mean) it is the percentile interval. The share is kept within ``[1/(2B), 1 - 1/(2B)]`` of
    the ``B`` finite resamples, so a point below (or above) every resample gives a finite
    ``z0``.

    Where fewer than ``(1 - level) / 2`` of the resamples lie below the point (or above it), the
    bias-corrected interval moves past the point (``z0 < -z``): the ECE measured on 64 PAndAS
    cutouts, below what a perfectly calibrated model shows at that n, gave 0.0832 [0.0711,
    0.0808]. The interval is then widened to the point (``[0.0711, 0.0832]``), never narrowed:
    an interval of a figure that leaves out the figure itself reads as an error.

    On simulated binary data with a known population ECE (15 bins, 200 draws of 1,000 resamples
    each; ``benchmarks/ece_interval_coverage.py``) the percentile interval covered it in 29 % of the draws
    at 64 rows (true ECE 0.08), 68 % at 126 rows, 59 % at 867 rows with true ECE 0.03; this
    interval in 77 %, 88 % and 87 % (94 % and 93 % at 867 rows, true ECE 0.08). No interval
    covers a population ECE of 0: any sample's ECE is above it.

    Parameters
    ----------
    values
        The figure on each resample (NaN where undefined: skipped, and fewer than
        ``max(10, n_boot // 10)`` finite ones refused, as :func:`percentile_interval`).
    point
        The figure on all the data.
    n_boot
        Number of resamples drawn.
    level
        Two-sided confidence level.

    Returns
    -------
    lo, hi

    Raises
    ------
    StarclassError
        The figure was defined on too few resamples, or ``point`` is not finite.

    Examples
    --------
    Resamples centred on the point give the percentile interval; resamples mostly above it (a
    figure biased upwards) move the interval down:

    >>> v = np.arange(1.0, 100.0)
    >>> [round(x, 1) for x in percentile_interval(v, 99, level=0.8)]
    [10.8, 89.2]
    >>> [round(x, 1) for x in bias_corrected_interval(v, 50.0, 99, level=0.8)]
    [10.8, 89.2]
    >>> [round(x, 1) for x in bias_corrected_interval(v, 20.0, 99, level=0.8)]
    [1.1, 33.9]
    >>> [round(x, 1) for x in bias_corrected_interval(v, 0.5, 99, level=0.8)]  # below every resample: widened to it
    [0.5, 1.0]
    """
    from scipy.stats import norm

    vals = _finite_resamples(values, n_boot)
    if not np.isfinite(point):
        raise StarclassError(f"bootstrap: a bias-corrected interval needs a finite value on the data, got {point}")
    b = vals.size
    share = (np.sum(vals < point) + 0.5 * np.sum(vals == point)) / b
    z0 = float(norm.ppf(np.clip(share, 0.5 / b, 1 - 0.5 / b)))
    z = float(norm.ppf(0.5 + level / 2))
    lo, hi = np.quantile(vals, norm.cdf([2 * z0 - z, 2 * z0 + z]))
    return float(min(lo, point)), float(max(hi, point))


def basic_interval(values: np.ndarray, point: float, n_boot: int, level: float = 0.95,
                   lower: float = -np.inf) -> tuple[float, float]:
    """Basic (reverse percentile) bootstrap interval of a figure biased on small samples, such as the ECE.

    The basic interval (Davison & Hinkley 1997, ch. 5; ``scipy.stats.bootstrap(method="basic")``)
    is ``[2 t - q(1 - a/2), 2 t - q(a/2)]``, ``t`` the figure on the data and ``q`` the quantiles
    of its resamples: it takes the resamples' offset from the data for the data's offset from the
    population, so a figure the resamples overshoot (the ECE, biased upwards, its resamples more
    so) gets an interval moved down by as much, where the bias-corrected percentile interval
    (:func:`bias_corrected_interval`) can only pick other quantiles of the same too-high
    resamples. The interval is cut at ``lower`` (0 for the ECE, which cannot be negative) and
    widened to the point where it leaves it out, never narrowed: an interval of a figure that
    leaves out the figure itself reads as an error.

    On simulated data with a known population ECE of 0.03 or 0.08 (15 bins, 200 draws of 1,000
    resamples each; ``benchmarks/ece_interval_coverage.py``, two and four classes) this interval
    held it in 54-93% of the draws of 50-500 rows, where the bias-corrected one held it in 0-88%
    (a population ECE of 0.03: 54-93% against 0-80%); a population ECE of 0 in 36-70% against
    never. docs/evaluation.md has the table.

    Parameters
    ----------
    values
        The figure on each resample (NaN where undefined: skipped, and fewer than
        ``max(10, n_boot // 10)`` finite ones refused, as :func:`percentile_interval`).
    point
        The figure on all the data.
    n_boot
        Number of resamples drawn.
    level
        Two-sided confidence level.
    lower
        The least value the figure can take: the interval is cut there.

    Returns
    -------
    lo, hi

    Raises
    ------
    StarclassError
        The figure was defined on too few resamples, or ``point`` is not finite.

    Examples
    --------
    Resamples centred on the point give the percentile interval mirrored about it; resamples above it
    (a figure biased upwards) move the interval down, here to 0 where it is cut:

    >>> v = np.arange(1.0, 100.0)
    >>> [round(x, 1) for x in basic_interval(v, 50.0, 99, level=0.8)]
    [10.8, 89.2]
    >>> [round(x, 1) for x in basic_interval(v, 30.0, 99, level=0.8, lower=0.0)]
    [0.0, 49.2]
    """
    vals = _finite_resamples(values, n_boot)
    if not np.isfinite(point):
        raise StarclassError(f"bootstrap: a basic interval needs a finite value on the data, got {point}")
    alpha = (1 - level) / 2
    q_lo, q_hi = np.quantile(vals, [alpha, 1 - alpha])
    lo, hi = max(2 * point - q_hi, lower), max(2 * point - q_lo, lower)
    return float(min(lo, point)), float(max(hi, point))


def debiased_interval(values: np.ndarray, point: float, n_boot: int, level: float = 0.95) -> tuple[float, float]:
    """The debiased ECE's part of the ECE's interval: a basic lower end at 99%, the figure plus an upper spread.

    With ``a = (1 - level) / 2`` and ``q`` the quantiles of the resamples, the interval is
    ``[2 d - q(1 - a / 5), d + q(1 - 2 a / 5) - q(0.5)]``, ``d`` the figure on the data
    (:func:`starclass.evaluate.reliability.debiased_ece`): at 95%, ``[2 d - q99.5, d + q99 - q50]``. The
    lower end is the lower end of ``scipy.stats.bootstrap(method="basic", confidence_level=0.99)``; the
    upper end is the upper end of its ``method="percentile", confidence_level=0.98`` interval moved by the
    resamples' median offset from ``d``: it takes no bias off.

    Why not the basic interval at 95% (evaluate's until 2026-12-06, late): on samples with a known
    population ECE the debiased ECE's own bias is small where the gaps are as large as their noise
    (-0.0014 at 2,000 rows, gaps of 0.03), but its resamples overshoot it by +0.0050, so a basic interval
    takes a bias off a second time (the ECE's does too: its resamples overshoot it by more than it
    overshoots the population, 0.0048 against 0.0035); joined, their upper end fell below the population
    ECE in 10.5% of the samples (``benchmarks/ece_interval_coverage.py``, docs/uncertainty.md). On a
    calibrated model the debiased ECE still overshoots 0 by 1.6 of its sd at every row count (bias and
    spread both shrink as ``1/sqrt(n)``), more than its resamples overshoot it, so the lower end needs a
    wider reach than 95% gives: with it the joined interval (:func:`ece_interval`) held 0 in 96-98.5% of the
    samples of 100-10,000 rows (two and four classes), where the 95% basic end held it in 91-95.5%.

    Parameters
    ----------
    values
        The debiased ECE on each resample (NaN where undefined: skipped, and fewer than
        ``max(10, n_boot // 10)`` finite ones refused, as :func:`percentile_interval`).
    point
        The debiased ECE on all the data (may be below 0; :func:`ece_interval` cuts the joined interval at 0).
    n_boot
        Number of resamples drawn.
    level
        Two-sided confidence level.

    Returns
    -------
    lo, hi

    Raises
    ------
    StarclassError
        The figure was defined on too few resamples, or ``point`` is not finite.

    Examples
    --------
    Resamples 0.01 above the figure and spread evenly by 0.04: the lower end reaches down by the
    99.5th percentile's offset, the upper end lies the spread from the median to the 99th percentile above
    the figure:

    >>> v = 0.03 + np.linspace(-0.04, 0.04, 1001)
    >>> [round(x, 4) for x in debiased_interval(v, 0.02, 1001)]
    [-0.0296, 0.0592]
    """
    vals = _finite_resamples(values, n_boot)
    if not np.isfinite(point):
        raise StarclassError(f"bootstrap: the debiased ECE's interval needs a finite value on the data, got {point}")
    alpha = (1 - level) / 2
    # at 95%: the 99.5th percentile's offset below, the 99th's spread above (a = 0.025)
    q_far, q_hi, q_mid = np.quantile(vals, [1 - alpha / 5, 1 - 2 * alpha / 5, 0.5])
    return float(min(2 * point - q_far, point)), float(point + max(q_hi - q_mid, 0.0))


def ece_interval(ece: tuple[float, float], debiased: tuple[float, float]) -> tuple[float, float] | None:
    """The ECE's interval ``evaluate`` gives: its basic interval joined to the debiased ECE's part, cut at 0.

    From the same resamples: the ECE's basic interval (:func:`basic_interval`;
    :func:`starclass.evaluate.reliability.expected_calibration_error`) and the debiased ECE's
    (:func:`debiased_interval`; :func:`starclass.evaluate.reliability.debiased_ece`); the interval runs from
    the lower of their lower ends to the higher of their upper ends. On simulated samples with a known
    population ECE (``benchmarks/ece_interval_coverage.py``, 200 samples a cell; docs/uncertainty.md, "How
    sure is the ECE") it held it in 96-100% of the samples of 100, 500, 2,000 and 10,000 rows, two and four
    classes, calibrated and miscalibrated models. Until 2026-12-06 (late) the debiased ECE's part was its
    95% basic interval too, and the pair held it in 0.875-0.895 at 2,000 rows (its upper end below it);
    the median width is now 21-39% larger (0.103 -> 0.140 on a calibrated model's 100 rows).

    Parameters
    ----------
    ece
        The ECE's basic interval (lo, hi); NaN where it has none.
    debiased
        The debiased ECE's part (:func:`debiased_interval`); NaN where it has none (the ECE's is then given alone).

    Returns
    -------
    (lo, hi) or None
        None where the ECE has no interval.

    Examples
    --------
    >>> ece_interval((0.031, 0.094), (-0.012, 0.061))
    (0.0, 0.094)
    >>> ece_interval((0.031, 0.094), (float("nan"), float("nan")))
    (0.031, 0.094)
    >>> ece_interval((float("nan"), float("nan")), (0.0, 0.05)) is None
    True
    """
    lo, hi = float(ece[0]), float(ece[1])
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    d_lo, d_hi = float(debiased[0]), float(debiased[1])
    if np.isfinite(d_lo) and np.isfinite(d_hi):
        lo, hi = min(lo, d_lo), max(hi, d_hi)
    return max(lo, 0.0), max(hi, 0.0)


def bootstrap_figures(stat: Callable[[np.ndarray], np.ndarray], n: int, *, n_boot: int = 1000,
                      level: float = 0.95, seed: int = 0, groups: np.ndarray | None = None,
                      progress: bool | None = False,
                      desc: str = "bootstrap",
                      points: np.ndarray | None = None,
                      method: str = "basic",
                      debiased: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile intervals of several figures from one set of resamples (basic ones for biased figures).

    ``stat`` is given the weight of each row in a resample (how many times the resample drew
    it: ``np.bincount(idx, minlength=n)`` of the indices :func:`resamples` draws) and returns
    every figure at once. Weights let a figure be a few weighted sums over the ``n`` rows
    (confusion counts, ROC AUC from fixed score ranks, ECE bins) instead of a fresh computation
    on copied rows; the figure is the same as on the resampled rows.

    Parameters
    ----------
    stat
        Function of the ``n`` row weights returning a 1-D float array of M figures, NaN where a
        figure is undefined on that resample (e.g. a class drawn zero times).
    n
        Number of rows.
    n_boot, level, seed, groups
        As in :func:`bootstrap_ci` (the same draws for one seed).
    progress
        Over the resamples: True a bar, None timed lines (:class:`starclass.io.progress.Progress`,
        ``report``'s log), False nothing.
    desc
        What the bar and the lines call the step.
    points
        Per figure, its value on all the data where the interval is to allow for the figure's bias
        on small samples (such as the ECE's), NaN where it is the percentile interval; None: every
        one the percentile interval. Such a figure is taken to be non-negative.
    method
        The interval of the figures with a point: ``"basic"`` (:func:`basic_interval`, cut at 0;
        ``evaluate`` takes it of the ECE and of the debiased ECE and joins the two, :func:`ece_interval`)
        or ``"bc"`` (:func:`bias_corrected_interval`, the ECE's in the morning of 2026-12-06; kept for
        comparison).
    debiased
        Per figure, True where it is a debiased ECE with a point: its interval is
        :func:`debiased_interval` (``evaluate`` joins it to the ECE's basic one, :func:`ece_interval`);
        None: none is.

    Returns
    -------
    lo, hi, n_defined
        Per figure: the interval (NaN where it was defined on fewer than
        ``max(10, n_boot // 10)`` resamples, as :func:`percentile_interval` refuses) and on how
        many resamples it was defined.

    Raises
    ------
    StarclassError
        ``groups`` of another length than ``n``, fewer than two objects, or a level outside (0, 1).

    Examples
    --------
    The mean of ten values and their count above 0.5; the mean's interval is the one ``bootstrap_ci``
    gives (to rounding: a weighted sum adds in another order):

    >>> x = np.linspace(0.0, 1.0, 10)
    >>> lo, hi, n_def = bootstrap_figures(lambda w: np.array([np.sum(w * x) / w.sum(), np.sum(w * (x > 0.5))]),
    ...                                   10, n_boot=200)
    >>> bool(np.allclose([lo[0], hi[0]], bootstrap_ci(np.mean, x, n_boot=200)[1:])), n_def.tolist()
    (True, [200, 200])
    """
    if not 0 < level < 1:
        raise StarclassError(f"bootstrap level must be between 0 and 1, got {level}")
    if method not in ("basic", "bc"):
        raise StarclassError(f"bootstrap: method must be 'basic' or 'bc', got {method!r}")
    from starclass.io.progress import Progress

    drawn = resamples(n, n_boot, seed=seed, groups=groups)
    if progress is not False:
        drawn = Progress(n_boot, desc=desc, noun="resample", show=progress, unit="resample").iterate(drawn)
    vals = np.array([np.asarray(stat(np.bincount(idx, minlength=n).astype(np.float64)), dtype=np.float64)
                     for idx in drawn])
    if vals.ndim != 2:
        vals = vals.reshape(len(vals), -1)
    n_def = np.isfinite(vals).sum(axis=0)
    lo = np.full(vals.shape[1], np.nan)
    hi = np.full(vals.shape[1], np.nan)
    pts = np.full(vals.shape[1], np.nan) if points is None else np.asarray(points, dtype=np.float64)
    if pts.shape != (vals.shape[1],):
        raise StarclassError(f"bootstrap: {pts.size} points for {vals.shape[1]} figures")
    dbs = np.zeros(vals.shape[1], dtype=bool) if debiased is None else np.asarray(debiased, dtype=bool)
    if dbs.shape != (vals.shape[1],):
        raise StarclassError(f"bootstrap: {dbs.size} debiased flags for {vals.shape[1]} figures")
    for j in range(vals.shape[1]):
        try:
            if not np.isfinite(pts[j]):
                lo[j], hi[j] = percentile_interval(vals[:, j], n_boot, level)
            elif dbs[j]:
                lo[j], hi[j] = debiased_interval(vals[:, j], float(pts[j]), n_boot, level)
            elif method == "basic":
                lo[j], hi[j] = basic_interval(vals[:, j], float(pts[j]), n_boot, level, lower=0.0)
            else:
                lo[j], hi[j] = bias_corrected_interval(vals[:, j], float(pts[j]), n_boot, level)
        except StarclassError:
            continue
    return lo, hi, n_def


def ranking_figures(y: np.ndarray, score: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """ROC AUC and average precision of ``score`` for ``y`` as a function of row weights (a resample's draw counts).

    The rows are ranked once; a resample's AUC is then the weighted Mann-Whitney statistic
    (ties count a half, as :func:`sklearn.metrics.roc_auc_score` counts them), and its average
    precision the sum over the score levels, highest first, of each level's share of the
    positives times the precision of the selection down to it (the step sum
    :func:`sklearn.metrics.average_precision_score` makes, a level's tied rows taken together):
    a few bincounts per resample instead of sorting the drawn rows again. Every ranked figure of
    ``evaluate`` (each class against the rest, the same on ``prob_<k>_raw``, each ``--by`` group's
    ROC AUC) is scored so, for :func:`bootstrap_figures`.

    Parameters
    ----------
    y
        Whether each row is a positive (bool or 0/1).
    score
        The score of each row (higher: more likely positive).

    Returns
    -------
    callable
        Function of the ``n`` row weights (whole numbers: how many times a resample drew each row)
        returning ``[roc_auc, average_precision]``; both NaN where the weights hold no positive,
        the AUC also where they hold no negative.

    Examples
    --------
    Weights of one on every row give scikit-learn's figures; weights of a resample give them on the drawn rows:

    >>> y, s = np.array([1, 0, 1, 0, 1]), np.array([0.9, 0.8, 0.6, 0.6, 0.2])
    >>> figs = ranking_figures(y, s)
    >>> [round(float(v), 4) for v in figs(np.ones(5))]
    [0.4167, 0.7]
    >>> from sklearn.metrics import average_precision_score, roc_auc_score
    >>> round(roc_auc_score(y, s), 4), round(average_precision_score(y, s), 4)
    (0.4167, 0.7)
    >>> figs(np.array([0.0, 2, 0, 1, 0])).tolist()  # no positive drawn
    [nan, nan]
    """
    y = np.asarray(y, dtype=np.float64) > 0
    _, level = np.unique(np.asarray(score, dtype=np.float64), return_inverse=True)
    m = int(level.max()) + 1 if level.size else 0
    desc = m - 1 - level.ravel()  # 0: the highest score
    rows_pos = np.flatnonzero(y)
    desc_pos = desc[rows_pos]

    def figs(w: np.ndarray) -> np.ndarray:
        # counts as integers: exact, and numpy's integer cumsum is several times faster than its float one
        pos = np.bincount(desc_pos, weights=w[rows_pos], minlength=m).astype(np.int64)
        drawn = np.bincount(desc, weights=w, minlength=m).astype(np.int64)
        tp, sel = np.cumsum(pos), np.cumsum(drawn)  # positives and rows at or above each level
        n_pos, n_all = (int(tp[-1]), int(sel[-1])) if m else (0, 0)
        if n_pos == 0:
            return np.array([np.nan, np.nan])
        # precision of the selection down to each level (0 before any drawn row: such a level adds no recall)
        ap = float(np.dot(pos, tp / np.maximum(sel, 1.0)) / n_pos)
        n_neg = n_all - n_pos
        if n_neg == 0:
            return np.array([np.nan, ap])
        neg = drawn - pos  # exact: the weights are counts
        below = n_neg - (sel - tp)  # negatives scored strictly lower than each level
        return np.array([float(np.dot(pos, below + 0.5 * neg) / (n_pos * n_neg)), ap])

    return figs


def auc_of_weights(y: np.ndarray, score: np.ndarray) -> Callable[[np.ndarray], float]:
    """The ROC AUC of :func:`ranking_figures` alone, as a function of row weights.

    ``evaluate --by`` gives each group (and the pooled row) a ROC AUC with a bootstrap interval,
    not an average precision; :func:`ranking_figures` computed both, and the AUC from three arrays
    over the score levels. Here a resample's AUC is one cumulative sum and one dot product over the
    levels: the Mann-Whitney count is ``sum over levels of pos * (rows below + rows at the level / 2)``
    less ``n_pos**2 / 2`` (the positive-positive pairs that sum counts too, a half each way). With
    whole-number weights (a resample's draw counts) every term is a whole number or a half below
    2**53, so exact in any order: the AUC is :func:`ranking_figures`' to the last bit.

    Parameters
    ----------
    y
        Whether each row is a positive (bool or 0/1).
    score
        The score of each row (higher: more likely positive).

    Returns
    -------
    callable
        Function of the ``n`` row weights returning the ROC AUC, NaN where the weights hold no
        positive or no negative.

    Examples
    --------
    >>> y, s = np.array([1, 0, 1, 0, 1]), np.array([0.9, 0.8, 0.6, 0.6, 0.2])
    >>> auc = auc_of_weights(y, s)
    >>> bool(auc(np.ones(5)) == ranking_figures(y, s)(np.ones(5))[0]), round(auc(np.ones(5)), 4)
    (True, 0.4167)
    >>> auc(np.array([0.0, 2, 0, 1, 0]))  # no positive drawn
    nan
    """
    y = np.asarray(y, dtype=np.float64) > 0
    _, level = np.unique(np.asarray(score, dtype=np.float64), return_inverse=True)
    level = level.ravel()  # 0: the lowest score
    m = int(level.max()) + 1 if level.size else 0
    rows_pos = np.flatnonzero(y)
    level_pos = level[rows_pos]

    def auc(w: np.ndarray) -> float:
        drawn = np.bincount(level, weights=w, minlength=m)
        pos = np.bincount(level_pos, weights=w[rows_pos], minlength=m)
        n_pos, n_all = pos.sum(), drawn.sum()
        if n_pos == 0 or n_all == n_pos:
            return float("nan")
        # rows below each level plus half the level's own: the cumulative sum less half the level
        below = np.cumsum(drawn)
        below -= 0.5 * drawn
        return float((np.dot(pos, below) - 0.5 * n_pos * n_pos) / (n_pos * (n_all - n_pos)))

    return auc


#: Said of a ranking figure (ROC AUC, average precision) whose resamples all gave one value: it gets no interval.
NO_SPREAD_NOTE = "every resample gave the same value: too few objects for an interval"


def wilson_interval(successes: np.ndarray | float, trials: np.ndarray | float,
                    level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``successes / trials``, element by element.

    The successes may be fractional (an object whose cutouts disagree counts in part); with
    whole counts this is :func:`astropy.stats.binom_conf_interval` with ``interval="wilson"``.
    NaN where ``trials`` is 0 or not finite.

    Parameters
    ----------
    successes, trials
        Counts (arrays of one shape, or numbers).
    level
        Two-sided confidence level.

    Returns
    -------
    lo, hi : numpy.ndarray

    Examples
    --------
    Two non-clusters both classified right:

    >>> lo, hi = wilson_interval(2, 2)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.342, 1.0)
    """
    from scipy.stats import norm

    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    z = float(norm.ppf(0.5 + level / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        ok = np.isfinite(n) & (n > 0)
        lo = np.where(ok, np.clip(centre - half, 0.0, 1.0), np.nan)
        hi = np.where(ok, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lo, hi


def zero_width(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where a percentile interval is a single value (every resample gave the same figure).

    Examples
    --------
    >>> zero_width(np.array([1.0, 0.5, np.nan]), np.array([1.0, 0.9, np.nan])).tolist()
    [True, False, False]
    """
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.isfinite(lo) & np.isfinite(hi) & (hi - lo <= 1e-12)


def settle_zero_width(value: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, objects: np.ndarray | None = None,
                      level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replace percentile intervals of zero width: Wilson's for a proportion, none for a ranking figure.

    A percentile interval of a figure that is the same on every resample (a recall of 2 of 2
    objects, a ROC AUC of a group ranked without a mistake) is ``[v, v]``: it reads as a figure
    known exactly, where it rests on a handful of objects. For a proportion (accuracy, recall,
    precision: ``objects`` given, the number of objects behind each figure) it is replaced by the
    Wilson score interval of ``value * objects`` successes in ``objects`` trials
    (:func:`wilson_interval`); for ROC AUC and average precision (``objects`` None) by NaN, no
    interval (:data:`NO_SPREAD_NOTE`).

    Parameters
    ----------
    value
        The figures on all the data.
    lo, hi
        Their percentile intervals (NaN: none).
    objects
        Objects behind each figure (groups where rows are grouped, else rows); None: ranking figures.
    level
        Two-sided confidence level.

    Returns
    -------
    lo, hi : numpy.ndarray
        The intervals, replaced where they had zero width.
    replaced : numpy.ndarray
        bool, where they were.

    Examples
    --------
    A recall of 1 on two objects and one of 0.75 on four; a ROC AUC of 1 on every resample:

    >>> lo, hi, r = settle_zero_width(np.array([1.0, 0.75]), np.array([1.0, 0.5]), np.array([1.0, 1.0]),
    ...                               objects=np.array([2, 4]))
    >>> np.round(lo, 3).tolist(), hi.tolist(), r.tolist()
    ([0.342, 0.5], [1.0, 1.0], [True, False])
    >>> settle_zero_width(np.array([1.0]), np.array([1.0]), np.array([1.0]))[:2]
    (array([nan]), array([nan]))
    """
    value = np.asarray(value, dtype=np.float64)
    lo, hi = np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)
    replaced = zero_width(lo, hi)
    if objects is None:
        lo[replaced] = hi[replaced] = np.nan
    else:
        n = np.asarray(objects, dtype=np.float64)
        wlo, whi = wilson_interval(value * n, n, level)
        lo, hi = np.where(replaced, wlo, lo), np.where(replaced, whi, hi)
    return lo, hi, replaced
