"""Whether the probabilities can be trusted: calibration, conformal coverage, uncertainty signals.

Functions of plain arrays (reference class indices and probability matrices), plus
:func:`trust_study`, which reads the columns ``starclass classify`` writes:

* **Expected calibration error** (:func:`expected_calibration_error`): the rows are binned by
  their *top-class confidence* (the largest probability) into ``n_bins`` equal-width bins of
  [0, 1] (default 15; bin ``b`` holds confidences in ``(b/B, (b+1)/B]``, the first bin also
  holds 0); ECE is the row-weighted mean over bins of ``|accuracy - mean confidence|``
  (Guo et al. 2017). An empty bin counts for nothing.
* **ECE floor** (:func:`ece_floor`): the ECE a perfectly calibrated model with the same
  probabilities shows on the same number of rows, from sampling noise alone (labels drawn from
  the probabilities themselves). ECE is biased upwards at small N; a measured ECE near its floor
  cannot be told from perfect calibration with that many rows.
* **Brier score** (:func:`brier_score`): the multi-class form, the mean over rows of
  ``sum_k (p_k - [y = k])^2`` (0 best, 2 worst). For two classes it is twice scikit-learn's
  ``brier_score_loss`` of the positive class.
* **Reliability diagram** (:func:`reliability_table`): per bin, the rows, mean confidence and
  accuracy.
* **Conformal coverage** (:func:`coverage_table`): per reference class, the fraction whose
  class is in ``pred_set``, and the mean set size; :func:`set_size_table` the distribution of sizes.
* **Deferral curve** (:func:`deferral_curve`): leave the most uncertain fraction to people
  (largest set first, ties by lowest confidence; or lowest confidence alone) and score the rest.
* **Which signal predicts a mistake** (:func:`signal_aurocs`): ROC AUC of each uncertainty
  signal (higher = less sure) for "the predicted class is wrong".

Examples
--------
>>> import numpy as np
>>> p = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
>>> round(brier_score(p, np.array([0, 1, 1])), 4)  # (0.02 + 0.72 + 0.08) / 3
0.2733
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass import quiet_import
from starclass.errors import StarclassError, counted
from starclass.schema import row_name

__all__ = [
    "expected_calibration_error", "debiased_ece", "ece_floor", "brier_score", "reliability_table", "parse_sets",
    "coverage_table",
    "set_size_table", "set_size_words", "deferral_curve", "signal_aurocs", "trust_study", "TrustStudy", "DEFAULT_BINS",
    "RELIABILITY_MIN_ROWS", "FLOOR_NORMAL_VARIANCE", "ECE_INTERVAL_MIN_ROWS",
]

#: Equal-width bins of top-class confidence for ECE and the reliability diagram.
DEFAULT_BINS = 15

#: Fewer paired rows than this: ECE and the reliability diagram are said to be not meaningful.
#: ECE is biased upwards by the sampling noise of each bin's accuracy. Measured on perfectly
#: calibrated probabilities (softmax of N(0, 2) logits, classes drawn from them, 300 draws, 15
#: bins): the median ECE was 0.20 (2 classes) and 0.34 (4 classes) from 3 rows, 0.11 and 0.15
#: from 50, 0.076 and 0.105 from 100, 0.034 and 0.046 from 500. Below 100 rows a perfect model
#: therefore scores above 0.08-0.10, several times the miscalibrations docs/uncertainty.md
#: measures and the 0.02-0.03 goals there, so the number cannot tell a calibrated model from a
#: badly calibrated one. 100 is also the count under which ``calibrate`` warns that a fitted
#: temperature is not pinned down (:data:`starclass.learn.calibration.CALIBRATION_MIN_ROWS`).
RELIABILITY_MIN_ROWS = 100

#: Fewer paired rows than this: the ECE's 95% bootstrap interval is said to be unreliable. Measured
#: with ``benchmarks/ece_interval_coverage.py`` (200 samples each of calibrated and miscalibrated
#: generators with a known population ECE, 15 bins; docs/uncertainty.md has the table): the interval
#: ``evaluate`` gave on 2026-12-06 (the ECE's basic interval joined to the debiased ECE's)
#: held the population ECE in most of the samples of 50-100 rows (two and four classes; 85-98%), 92-98% at
#: 200 rows; a population ECE of 0 in 91-95% from 200 rows on, which :meth:`TrustStudy.interval_caution`
#: says where the ECE is within the floor. The one it gives since that night
#: (:func:`starclass.evaluate.bootstrap.ece_interval`, the debiased ECE's part
#: :func:`~starclass.evaluate.bootstrap.debiased_interval`) held it in 96-100% of the samples of 100-10,000
#: rows; 200 stays the count below which a sample's ECE is too noisy to read (its floor, above).
ECE_INTERVAL_MIN_ROWS = 200


def _check(probs, y) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(y)
    if p.ndim != 2 or y.shape != (p.shape[0],):
        raise StarclassError(f"need probabilities [N, K] and N reference classes, got {p.shape} and {y.shape}")
    if p.shape[0] and (y.min() < 0 or y.max() >= p.shape[1]):
        raise StarclassError(f"reference class indices must be 0..{p.shape[1] - 1}")
    return p, y.astype(np.int64)


def _bin_index(conf: np.ndarray, n_bins: int) -> np.ndarray:
    """Bin of each confidence: ``(b/B, (b+1)/B]`` -> b, with 0 in bin 0."""
    return np.clip(np.ceil(conf * n_bins).astype(np.int64) - 1, 0, n_bins - 1)


def reliability_table(probs: ArrayLike, y: ArrayLike, n_bins: int = DEFAULT_BINS) -> Table:
    """Per equal-width bin of top-class confidence: rows, mean confidence, accuracy, gap.

    Parameters
    ----------
    probs : array-like
        Probabilities ``[N, K]``.
    y : array-like
        Reference class indices (0..K-1).
    n_bins : int
        Number of equal-width bins of [0, 1].

    Returns
    -------
    astropy.table.Table
        ``bin_lo``, ``bin_hi``, ``n``, ``confidence``, ``accuracy`` (NaN for empty bins).

    Examples
    --------
    >>> t = reliability_table(np.array([[0.95, 0.05], [0.55, 0.45]]), np.array([0, 1]), n_bins=2)
    >>> t["n"].tolist(), t["accuracy"].tolist()
    ([0, 2], [nan, 0.5])
    """
    p, y = _check(probs, y)
    if int(n_bins) < 1:
        raise StarclassError(f"n_bins must be >= 1, got {n_bins}")
    conf = p.max(axis=1)
    correct = p.argmax(axis=1) == y
    b = _bin_index(conf, n_bins)
    rows = []
    for i in range(n_bins):
        sel = b == i
        n = int(sel.sum())
        rows.append((i / n_bins, (i + 1) / n_bins, n, float(conf[sel].mean()) if n else np.nan,
                     float(correct[sel].mean()) if n else np.nan))
    return Table(rows=rows, names=("bin_lo", "bin_hi", "n", "confidence", "accuracy"))


def expected_calibration_error(probs: ArrayLike, y: ArrayLike, n_bins: int = DEFAULT_BINS) -> float:
    """ECE over equal-width bins of top-class confidence (see the module docstring).

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    >>> round(expected_calibration_error(p, np.array([0, 1, 0, 0]), n_bins=10), 3)  # |0.5-0.9|/2 + |1-0.6|/2
    0.4
    """
    t = reliability_table(probs, y, n_bins)
    n = np.asarray(t["n"], dtype=np.float64)
    if n.sum() == 0:
        return float("nan")
    gap = np.abs(np.nan_to_num(np.asarray(t["accuracy"], float)) - np.nan_to_num(np.asarray(t["confidence"], float)))
    return float(np.sum(n * gap) / n.sum())


def _debiased_of_bins(n: np.ndarray, right: np.ndarray, conf: np.ndarray) -> float:
    """The debiased ECE from each bin's row count (or weight), right rows and summed confidence."""
    from scipy.stats import norm

    n, right, conf = (np.asarray(a, dtype=np.float64) for a in (n, right, conf))
    tot = n.sum()
    if tot == 0:
        return float("nan")
    m = np.maximum(n, 1.0)
    acc = right / m
    gap = (right - conf) / m
    # the binomial sd of the bin's accuracy; a bin all right or all wrong would give 0, so never below 0.5 / n
    sd = np.sqrt(np.maximum(acc * (1 - acc), 0.25 / m) / m)
    folded = sd * np.sqrt(2 / np.pi) * np.exp(-0.5 * (gap / sd) ** 2) + gap * (1 - 2 * norm.cdf(-gap / sd))
    return float(np.sum(np.where(n > 0, n * (2 * np.abs(gap) - folded), 0.0)) / tot)


def debiased_ece(probs: ArrayLike, y: ArrayLike, n_bins: int = DEFAULT_BINS) -> float:
    """The ECE less each bin's expected upward bias from sampling noise (it may come out below 0).

    A bin's observed gap ``g = accuracy - mean confidence`` is about normal around the population gap
    with the binomial sd ``s`` of its accuracy, so ``|g|`` overshoots ``|gap|`` on average by
    ``E|N(gap, s^2)| - |gap|``; estimated with ``g`` in place of ``gap``, each bin adds
    ``2 |g| - E|N(g, s^2)|`` instead of ``|g|`` (the absolute-value analogue of the debiased squared
    error of Kumar, Liang & Ma 2019, "Verified uncertainty calibration"). ``evaluate``'s ECE interval
    joins the basic bootstrap interval of this figure to the ECE's own (docs/uncertainty.md, "How sure
    is the ECE").

    Parameters
    ----------
    probs
        ``[N, K]`` probabilities.
    y
        ``[N]`` reference class index 0..K-1.
    n_bins
        Number of equal-width bins of [0, 1].

    Returns
    -------
    float
        NaN without rows.

    Examples
    --------
    Nine of ten right at confidence 0.9 (no gap): the ECE is 0 and the debiased figure below it, the
    noise it expects of ten rows taken off:

    >>> p = np.tile([[0.9, 0.1]], (10, 1))
    >>> y = np.array([0] * 9 + [1])
    >>> expected_calibration_error(p, y), round(debiased_ece(p, y), 4)
    (0.0, -0.0757)
    """
    p, y = _check(probs, y)
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    b = _bin_index(conf, n_bins)
    return _debiased_of_bins(np.bincount(b, minlength=n_bins), np.bincount(b, weights=correct, minlength=n_bins),
                             np.bincount(b, weights=conf, minlength=n_bins))


#: A bin of the ECE floor whose count of right rows has a variance (sum of conf * (1 - conf) over its
#: rows) of at least this is drawn as a normal deviate, not row by row (:func:`ece_floor`).
#: |S - mean| of a sum S of independent Bernoulli draws and of the normal of the same variance
#: differ in mean by a fraction of order 1 / variance (the skewness term is odd and drops out of
#: a mean of |.|; the lattice term is of order 1 / variance too): below 0.3% at 400, several times
#: under the Monte Carlo error of the mean of 200 draws (about 1.5%), checked against the draws
#: row by row in tests/test_ece_floor.py. A bin of fewer than 1,600 rows never reaches it.
FLOOR_NORMAL_VARIANCE = 400.0


def ece_floor(probs: ArrayLike, n_draws: int = 200, seed: int = 0, n_bins: int = DEFAULT_BINS, *,
              normal_variance: float | None = FLOOR_NORMAL_VARIANCE) -> tuple[float, float]:
    """ECE of a perfectly calibrated model with these probabilities: mean and 95th percentile.

    Each of ``n_draws`` draws gives every row a class drawn from its own probabilities, so every
    difference between confidence and accuracy is sampling noise; the ECE of each draw is taken
    as :func:`expected_calibration_error` takes it. A measured ECE near this floor cannot be told
    from perfect calibration with this many rows (ECE is biased upwards at small N).

    A row comes out right (its drawn class is its top one) with probability its confidence, so a
    draw's ECE is ``sum over bins of |S_b - sum(conf)| / N`` with ``S_b``, the right rows of bin
    b, a sum of independent Bernoulli draws. A bin whose variance ``sum(conf * (1 - conf))`` is at
    least ``normal_variance`` has ``S_b - sum(conf)`` drawn as one normal deviate of that
    variance instead of row by row (:data:`FLOOR_NORMAL_VARIANCE`): a survey catalogue's floor then
    costs next to nothing (at 10^6 rows the row-by-row draws took about 1.8 s per floor). Where no
    bin reaches it (fewer than 1,600 rows in every bin) the draws are row by row, as before.

    Parameters
    ----------
    probs : array-like
        Probabilities ``[N, K]`` (rows summing to 1).
    n_draws : int
        Label draws.
    seed : int
        Seed of :func:`numpy.random.default_rng`. Where every bin is drawn row by row, the draws
        are those ``benchmarks/trust.py``'s ``ece_floor`` made (one uniform number per row and
        draw, compared with the cumulative probabilities), so its recorded floors come back.
    n_bins : int
        ECE bins.
    normal_variance : float or None
        Bins of at least this variance drawn as normal deviates; None: every bin row by row.

    Returns
    -------
    tuple of float
        Mean and 95th percentile of the ECE over the draws (NaN, NaN without rows).

    Examples
    --------
    Confident and right every time, a perfect model's ECE is 0 whatever the draw; at 0.7 it is
    the noise of the share of 100 draws that come out right:

    >>> ece_floor(np.tile([[1.0, 0.0]], (50, 1)))
    (0.0, 0.0)
    >>> m, p95 = ece_floor(np.tile([[0.7, 0.2, 0.1]], (100, 1)), seed=1)
    >>> 0.02 < m < 0.06 < p95 < 0.12  # about sqrt(0.7 * 0.3 / 100) * sqrt(2 / pi) = 0.037
    True

    At 10^4 rows in one bin the bin is drawn as a normal deviate; the mean is that of
    ``|N(0, 0.21 * 10^4)| / 10^4``, ``sqrt(0.21 / 10^4) * sqrt(2 / pi)`` = 0.00366:

    >>> m = ece_floor(np.tile([[0.7, 0.2, 0.1]], (10_000, 1)), n_draws=2000)[0]
    >>> abs(m - 0.00366) < 0.0002  # 2000 draws: a standard error of 0.00006
    True
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] < 1:
        raise StarclassError(f"need probabilities [N, K], got shape {p.shape}")
    if int(n_draws) < 1 or int(n_bins) < 1:
        raise StarclassError(f"n_draws and n_bins must be >= 1, got {n_draws} and {n_bins}")
    n, k = p.shape
    if n == 0:
        return float("nan"), float("nan")
    n_draws, n_bins = int(n_draws), int(n_bins)
    rng = np.random.default_rng(seed)
    conf = p.max(axis=1)
    b = _bin_index(conf, n_bins)
    var = np.bincount(b, weights=conf * (1.0 - conf), minlength=n_bins)
    normal = (var >= normal_variance) if normal_variance is not None else np.zeros(n_bins, dtype=bool)
    # the rows drawn one by one: all of them where no bin is drawn as a normal deviate (the draws as before)
    rows = np.flatnonzero(~normal[b]) if normal.any() else np.arange(n)
    cum = np.cumsum(p[rows], axis=1)
    top = p[rows].argmax(axis=1)
    at = np.arange(rows.size)
    # the drawn class is the number of cumulative probabilities below the uniform number (the last
    # class beyond them all); it is the top class where u lies in (cum[top - 1], cum[top]]: one
    # comparison pair per row instead of K, the same classes as counting all K
    lo = np.where(top > 0, cum[at, np.maximum(top - 1, 0)], -np.inf)
    hi = np.where(top < k - 1, cum[at, top], np.inf)
    c, br = conf[rows], b[rows]
    sd = np.sqrt(var[normal])
    vals = np.empty(n_draws)
    # work arrays filled again on every draw (a fresh array of N per step costs page faults)
    u, gap = np.empty(rows.size), np.empty(rows.size)
    above, below = np.empty(rows.size, dtype=bool), np.empty(rows.size, dtype=bool)
    for d in range(n_draws):
        rng.random(out=u)  # the stream rng.random(rows.size) gives
        np.greater(u, lo, out=above)
        np.less_equal(u, hi, out=below)
        np.logical_and(above, below, out=above)  # right: the drawn class is the top one
        np.subtract(above, c, out=gap)
        # row-weighted mean over bins of |accuracy - confidence| = sum over bins of |sum(right - conf)| / N
        dev = np.abs(np.bincount(br, weights=gap, minlength=n_bins))
        if sd.size:
            dev[normal] = np.abs(rng.standard_normal(sd.size) * sd)
        vals[d] = dev.sum() / n
    return float(np.mean(vals)), float(np.quantile(vals, 0.95))


def brier_score(probs: ArrayLike, y: ArrayLike) -> float:
    """Multi-class Brier score: mean over rows of ``sum_k (p_k - [y = k])^2``.

    Examples
    --------
    >>> brier_score(np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([0, 1]))
    0.25
    """
    p, y = _check(probs, y)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    return float(np.mean(np.sum((p - onehot) ** 2, axis=1)))


def parse_sets(values: Sequence[str] | np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """Boolean ``[N, K]`` membership from ``pred_set`` strings ("1|2"; "" is empty).

    Examples
    --------
    >>> parse_sets(["1|3", "", "2"], [1, 2, 3]).astype(int).tolist()
    [[1, 0, 1], [0, 0, 0], [0, 1, 0]]
    """
    index = {str(int(c)): j for j, c in enumerate(classes)}
    out = np.zeros((len(values), len(index)), dtype=bool)
    for i, v in enumerate(values):
        text = "" if np.ma.is_masked(v) else str(v).strip()
        for part in filter(None, text.split("|")):
            if part.strip() not in index:
                raise StarclassError(f"pred_set, {row_name(i)}: class {part!r} is not one of the task's "
                                     f"{list(classes)}")
            out[i, index[part.strip()]] = True
    return out


def coverage_table(sets: ArrayLike, y: ArrayLike, classes: Sequence[int], coverage: float | None = None) -> Table:
    """Empirical coverage and mean set size per reference class, and over all rows.

    Parameters
    ----------
    sets : array-like
        Boolean ``[N, K]`` sets (:func:`parse_sets`).
    y : array-like
        Reference class indices.
    classes : sequence of int
        Class values (the table's labels).
    coverage : float, optional
        The coverage asked for (a ``target`` column and the gap in points).

    Examples
    --------
    >>> s = np.array([[1, 0], [1, 1], [0, 1], [1, 0]], bool)
    >>> coverage_table(s, np.array([0, 1, 1, 1]), [1, 2])["coverage"].tolist()
    [1.0, 0.6666666666666666, 0.75]
    """
    s = np.asarray(sets, dtype=bool)
    y = np.asarray(y, dtype=np.int64)
    hit = s[np.arange(len(y)), y]
    size = s.sum(axis=1)
    rows = []
    for j, c in enumerate(classes):
        sel = y == j
        rows.append((str(int(c)), int(sel.sum()), float(hit[sel].mean()) if sel.any() else np.nan,
                     float(size[sel].mean()) if sel.any() else np.nan))
    rows.append(("all", int(len(y)), float(hit.mean()) if len(y) else np.nan, float(size.mean()) if len(y) else np.nan))
    t = Table(rows=rows, names=("class", "n", "coverage", "mean_set_size"))
    if coverage is not None:
        t["target"] = float(coverage)
        t["gap_points"] = 100.0 * (np.asarray(t["coverage"], float) - float(coverage))
    return t


def set_size_words(counts: dict[int, int]) -> str:
    """How many conformal sets hold how many classes, in words: a size is never read as a class.

    Printed as "1: 120, 2: 30", a set size read as a class number (classes are 1, 2, ...).

    Parameters
    ----------
    counts
        Number of rows by set size (0 = the empty set).

    Returns
    -------
    str

    Examples
    --------
    >>> set_size_words({0: 2, 1: 8, 2: 20})
    '2 empty, 8 of 1 class, 20 of 2 classes'
    """
    def size(k: int) -> str:
        return "empty" if k == 0 else f"of {k} class" + ("" if k == 1 else "es")

    return ", ".join(f"{int(n)} {size(int(k))}" for k, n in sorted(counts.items()))


def set_size_table(sizes: ArrayLike, n_classes: int) -> Table:
    """How many rows have a set of each size 0..K.

    Examples
    --------
    >>> set_size_table(np.array([1, 1, 2, 0]), 2)["n"].tolist()
    [1, 2, 1]
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    counts = np.bincount(np.clip(sizes, 0, n_classes), minlength=n_classes + 1)
    total = max(int(counts.sum()), 1)
    return Table({"set_size": np.arange(n_classes + 1), "n": counts, "fraction": counts / total})


def deferral_curve(uncertainty: ArrayLike, correct: ArrayLike, fractions: ArrayLike | None = None) -> Table:
    """Accuracy on the rows kept when the most uncertain fraction is left to people.

    Parameters
    ----------
    uncertainty : array-like
        Higher = less sure; rows are sent to people in decreasing order (a stable sort, so ties
        keep their order: pass a lexicographic key with :func:`numpy.lexsort` upstream).
    correct : array-like of bool
        Whether each row's predicted class is right.
    fractions : array-like, optional
        Fractions sent to people (default 0, 0.05, ..., 0.9).

    Returns
    -------
    astropy.table.Table
        ``fraction_to_people``, ``n_kept``, ``accuracy_kept``.

    Examples
    --------
    >>> deferral_curve([0.9, 0.1, 0.2, 0.8], [False, True, True, False], [0, 0.5])["accuracy_kept"].tolist()
    [0.5, 1.0]
    """
    u = np.asarray(uncertainty, dtype=np.float64)
    ok = np.asarray(correct, dtype=bool)
    if u.shape != ok.shape:
        raise StarclassError(f"{u.size} uncertainties for {ok.size} rows")
    fr = np.round(np.arange(0, 0.91, 0.05), 2) if fractions is None else np.asarray(fractions, dtype=np.float64)
    order = np.argsort(-np.nan_to_num(u, nan=np.inf), kind="stable")  # NaN (no signal) goes first to people
    rows = []
    for f in fr:
        k = int(round(float(f) * u.size))
        kept = order[k:]
        rows.append((float(f), int(kept.size), float(ok[kept].mean()) if kept.size else np.nan))
    return Table(rows=rows, names=("fraction_to_people", "n_kept", "accuracy_kept"))


def signal_aurocs(signals: dict[str, np.ndarray], mistakes: ArrayLike) -> Table:
    """ROC AUC of each uncertainty signal (higher = less sure) for predicting a mistake.

    0.5 is no better than chance. Rows where a signal is NaN are left out of that signal's AUC.
    A signal with the same value on every row (``prob_std`` of a one-member ensemble, whose
    spread is 0 everywhere) says nothing: its AUC is NaN, not the 0.5 scikit-learn gives a
    constant score, and ``note`` says why (also where there is no row, no mistake or no right
    answer to rank).

    Examples
    --------
    >>> t = signal_aurocs({"a": np.array([0.9, 0.1, 0.8, 0.2]), "b": np.zeros(4)},
    ...                   np.array([True, False, True, False]))
    >>> t["auroc"].tolist()[0], t["note"].tolist()
    (1.0, ['', 'the same on every row'])
    """
    with quiet_import():
        from sklearn.metrics import roc_auc_score

    m = np.asarray(mistakes, dtype=bool)
    rows = []
    for name, sig in signals.items():
        s = np.asarray(sig, dtype=np.float64)
        ok = np.isfinite(s)
        n_err = int(m[ok].sum())
        note = ""
        if not ok.any():
            note = "no value"
        elif np.ptp(s[ok]) == 0:
            note = "the same on every row"
        elif n_err == 0 or n_err == ok.sum():
            note = "no mistake" if n_err == 0 else "every row a mistake"
        auc = float(roc_auc_score(m[ok], s[ok])) if not note else np.nan
        rows.append((name, int(ok.sum()), n_err, auc, note))
    return Table(rows=rows, names=("signal", "n", "n_mistakes", "auroc", "note"),
                 dtype=(str, int, int, float, str))


@dataclass
class TrustStudy:
    """Calibration, coverage and uncertainty figures of one prediction against one reference.

    Made by :func:`trust_study`.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.3, 0.7], [0.65, 0.35], [0.8, 0.2]])
    >>> s = trust_study(p, np.array([0, 1, 1, 0]), p.argmax(axis=1), {}, [1, 2], n_bins=5)
    >>> s.n, s.best_signal(), s.to_dict()["brier"]
    (4, '1 - confidence', 0.28125)
    """

    n: int
    n_bins: int
    ece: float
    brier: float
    reliability: Table
    ece_raw: float | None = None
    brier_raw: float | None = None
    reliability_raw: Table | None = None
    temperature: float | None = None
    method: str | None = None
    coverage: float | None = None
    coverage_table: Table | None = None
    set_sizes: Table | None = None
    deferral: dict[str, Table] = field(default_factory=dict)
    signals: Table | None = None
    notes: list[str] = field(default_factory=list)
    #: 95% bootstrap intervals (lo, hi) of ``ece`` and ``brier`` (``evaluate --bootstrap``), or None
    ece_ci: tuple[float, float] | None = None
    brier_ci: tuple[float, float] | None = None
    #: the ECE a perfectly calibrated model with these probabilities shows at this n, mean and 95th
    #: percentile of 200 label draws (:func:`ece_floor`); ``ece_floor_raw`` that of ``prob_<k>_raw``
    ece_floor: tuple[float, float] | None = None
    ece_floor_raw: tuple[float, float] | None = None
    #: the number of classes (columns of the probabilities), or None where not known
    n_classes: int | None = None
    #: why the coverage the sets were made for is not known (``coverage`` None), in words, with how to get it
    coverage_missing: str | None = None
    #: the held-out rows the model's calibration was fitted on (the catalogue's meta), and the model, or None
    calibration_n: int | None = None
    model: str | None = None

    def best_signal(self) -> str | None:
        """Name of the signal with the highest AUROC for predicting a mistake."""
        if self.signals is None or not len(self.signals):
            return None
        auc = np.asarray(self.signals["auroc"], dtype=float)
        if not np.isfinite(auc).any():
            return None
        return str(self.signals["signal"][int(np.nanargmax(auc))])

    def few_rows(self) -> str | None:
        """Why ECE and the reliability diagram mean little here (too few rows), or None.

        Examples
        --------
        >>> t = trust_study(np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]), np.array([0, 1, 1]),
        ...                 np.array([0, 1, 0]), {}, [1, 2])
        >>> t.few_rows()  # doctest: +ELLIPSIS
        'ECE and the reliability diagram from 3 rows are not meaningful (fewer than 100: ...'
        """
        if self.n >= RELIABILITY_MIN_ROWS:
            return None
        # "from 1 rows are": a count of one takes the singular (a cutout list of one row). The reason is the one
        # that holds for any probabilities: one row right or wrong moves a bin's count of right rows by one, so the
        # ECE by up to 1/n. It said "perfectly calibrated probabilities would also score an ECE near 0.1 or more",
        # which the floor line above it contradicted for confident probabilities (10 PAndAS cutouts of a model with
        # T = 0.05: "a perfectly calibrated model would show 0.0005 at this n")
        return (f"ECE and the reliability diagram from {counted(self.n, 'row')} are not meaningful (fewer than "
                f"{RELIABILITY_MIN_ROWS}: one row more or less right moves the ECE by up to 1/{self.n} = "
                f"{1 / self.n:.3f}, and a bin holds few rows)")

    def interval_caution(self) -> str | None:
        """Why the ECE's 95% bootstrap interval is not to be read as one (few rows, or an ECE at the floor), or None.

        The interval holds the population ECE in fewer than 95% of samples where the rows are few
        (:data:`ECE_INTERVAL_MIN_ROWS`) or the population ECE is near 0, which an ECE within the 95th
        percentile of the floor (:meth:`floor_words`) cannot rule out.

        Examples
        --------
        >>> t = trust_study(np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]), np.array([0, 1, 1]),
        ...                 np.array([0, 1, 0]), {}, [1, 2])
        >>> t.interval_caution() is None  # no interval
        True
        >>> t.ece_ci = (0.0, 0.4)
        >>> t.interval_caution()  # doctest: +ELLIPSIS
        "the ECE's 95% interval from 3 rows is unreliable (fewer than 200: ..."
        """
        if self.ece_ci is None:
            return None
        if self.n < ECE_INTERVAL_MIN_ROWS:
            return (f"the ECE's 95% interval from {counted(self.n, 'row')} is unreliable (fewer than "
                    f"{ECE_INTERVAL_MIN_ROWS}: on simulated samples of 50-100 rows it held the population ECE in "
                    "85-98% of them, not 95%; docs/uncertainty.md)")
        if self.ece_floor is not None and np.isfinite(self.ece_floor[1]) and self.ece <= self.ece_floor[1]:
            return ("the ECE is within what a perfectly calibrated model shows at this n, so its 95% interval is "
                    "approximate: were the population ECE 0 it would hold it in 91-95% of simulated samples of "
                    "200-2,000 rows, not always 95% (docs/uncertainty.md); read the ECE against the floor")
        return None

    def floor_words(self, digits: int = 4) -> str | None:
        """The ECE floor in words, as ``evaluate`` prints it and the report says it, or None.

        ECE is biased upwards at small n: said beside it, the floor tells a measured ECE from the
        noise of a perfectly calibrated model on as many rows.

        Examples
        --------
        >>> p = np.tile([[0.8, 0.2]], (400, 1))
        >>> t = trust_study(p, (np.arange(400) % 5 == 0).astype(int), p.argmax(axis=1), {}, [1, 2])
        >>> t.floor_words(3)  # doctest: +ELLIPSIS
        'a perfectly calibrated model would show 0.0... at this n (400 rows; 95th percentile 0.0...)'
        """
        if self.ece_floor is None or not np.isfinite(self.ece_floor[0]):
            return None
        return (f"a perfectly calibrated model would show {self.ece_floor[0]:.{digits}f} at this n "
                f"({self.n} {'row' if self.n == 1 else 'rows'}; 95th percentile {self.ece_floor[1]:.{digits}f})")

    def to_dict(self) -> dict:
        """The numbers for ``summary.json``."""
        def r(v):
            return None if v is None or not np.isfinite(v) else round(float(v), 5)

        out = {"n": self.n, "ece_bins": self.n_bins, "ece": r(self.ece), "brier": r(self.brier),
               "ece_raw": r(self.ece_raw), "brier_raw": r(self.brier_raw), "temperature": r(self.temperature),
               "calibration_method": self.method}
        for key, ci in (("ece", self.ece_ci), ("brier", self.brier_ci)):
            if ci is not None:
                out[f"{key}_lo"], out[f"{key}_hi"] = r(ci[0]), r(ci[1])
        for key, fl in (("ece_floor", self.ece_floor), ("ece_floor_raw", self.ece_floor_raw)):
            if fl is not None:
                out[key], out[f"{key}_p95"] = r(fl[0]), r(fl[1])
        if self.coverage_table is not None:
            out["coverage_target"] = self.coverage
            out["coverage"] = {str(row["class"]): r(row["coverage"]) for row in self.coverage_table}
            out["set_sizes"] = {int(row["set_size"]): int(row["n"]) for row in self.set_sizes}
        if self.signals is not None:
            out["signal_auroc"] = {str(row["signal"]): r(row["auroc"]) for row in self.signals}
            out["best_signal"] = self.best_signal()
        return out

    def ece_ci_text(self, digits: int = 4) -> str:
        """`` [lo, hi]`` of the ECE's interval, or "", with a word where its lower end was cut at 0.

        The interval is joined to the debiased ECE's, which may run below 0, and cut there
        (:func:`starclass.evaluate.bootstrap.ece_interval`): "[0.000, 0.040]" read as a lower end measured at 0.

        Examples
        --------
        >>> t = trust_study(np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]), np.array([0, 1, 1]),
        ...                 np.array([0, 1, 0]), {}, [1, 2])
        >>> t.ece_ci_text()
        ''
        >>> t.ece_ci = (0.0, 0.04)
        >>> t.ece_ci_text(3)
        ' [0.000, 0.040] (its lower end cut at 0, below which no ECE lies)'
        """
        if self.ece_ci is None:
            return ""
        lo, hi = self.ece_ci
        cut = " (its lower end cut at 0, below which no ECE lies)" if lo <= 0 else ""
        return f" [{lo:.{digits}f}, {hi:.{digits}f}]{cut}"

    def calibration_worse(self) -> str | None:
        """What to do where the calibration made the ECE worse than the raw probabilities', or None.

        A calibration fitted on few held-out rows (the demo's 7) can flatten or sharpen the
        probabilities past the truth: the calibrated ECE is then above the raw one, and the two figures
        side by side said it to no one. Said only where the calibrated ECE is also above the 95th
        percentile of its floor (:meth:`floor_words`): within it the rows cannot tell the calibrated
        probabilities from perfectly calibrated ones, and a raw ECE a little lower is noise (175 PAndAS
        test cutouts: 0.0773 against 0.0725, under a 95th percentile of 0.105, were warned of until
        2026-12-07, with advice to calibrate again or drop the calibration).

        Examples
        --------
        >>> y = (np.arange(200) % 5 >= 3).astype(int)  # class 1 right on 60% of the rows
        >>> raw, sharp = np.tile([[0.6, 0.4]], (200, 1)), np.tile([[0.99, 0.01]], (200, 1))
        >>> t = trust_study(sharp, y, np.zeros(200, dtype=int), {"prob_raw": raw}, [1, 2],
        ...                 meta={"calibration_n": 7, "model": "model"})
        >>> print(t.calibration_worse())  # doctest: +ELLIPSIS
        the calibration made the probabilities worse calibrated here: ECE 0.3900 against 0.0000 before it ...
        >>> t = trust_study(np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]), np.array([0, 1, 1]),
        ...                 np.array([0, 1, 0]), {"prob_raw": np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1]])},
        ...                 [1, 2], meta={"calibration_n": 7, "model": "model"})
        >>> t.ece > t.ece_raw, t.calibration_worse()  # 0.33 against 0.30 on 3 rows: noise
        (True, None)
        """
        if self.ece_raw is None or not (np.isfinite(self.ece) and np.isfinite(self.ece_raw)) \
                or self.ece <= self.ece_raw:
            return None
        if self.ece_floor is not None and np.isfinite(self.ece_floor[1]) and self.ece <= self.ece_floor[1]:
            return None  # no worse than a perfectly calibrated model's noise on as many rows: nothing to act on
        fitted = f", fitted on only {counted(self.calibration_n, 'held-out row')}" if self.calibration_n else ""
        model = self.model or "MODEL"
        return (f"the calibration made the probabilities worse calibrated here: ECE {self.ece:.4f} against "
                f"{self.ece_raw:.4f} before it (prob_<k>_raw){fitted}; fit it again on more labelled candidates "
                f"('starclass calibrate {model} ...'), or classify without it ('starclass classify ... "
                "--no-calibration', whose prob_<k> are the raw ones)")

    def lines(self) -> list[str]:
        """Lines ``starclass evaluate`` prints."""
        def ci(v: tuple[float, float] | None) -> str:
            return f" [{v[0]:.4f}, {v[1]:.4f}]" if v is not None else ""

        # one sentence, each figure followed by at most one bracket: "[0.0000, 0.1851] (its lower end cut at 0, ...)
        # (15 equal-width bins)" and "(summed over both classes ...) (raw, prob_<k>_raw: ...)" (until 2026-12-07)
        # read as asides of asides
        cut = (", the interval's lower end cut at 0, below which no ECE lies"
               if self.ece_ci is not None and self.ece_ci[0] <= 0 else "")
        # the floor beside the ECE: without it a small sample's ECE (biased upwards) read as miscalibration
        floor = f"; {self.floor_words()}" if self.floor_words() else ""
        # on a binary task "Brier 0.36" read as the usual binary score (0-1), which is half of it:
        # checked against scikit-learn's brier_score_loss, the figure looked twice too large
        binary = (f", summed over both classes from 0 to 2 (scikit-learn's binary brier_score_loss is half: "
                  f"{self.brier / 2:.4f})" if self.n_classes == 2 else "")
        # the raw figures' floor said as the calibrated one is: "(raw: ECE 0.0466 (floor 0.0300), ...)" left the
        # reader to guess what a floor was, and "raw" of which column
        raw_floor = (f" against {self.ece_floor_raw[0]:.4f} of a perfectly calibrated model"
                     if self.ece_floor_raw is not None and np.isfinite(self.ece_floor_raw[0]) else "")
        raw = (f"; before calibration, on prob_<k>_raw: ECE {self.ece_raw:.4f}{raw_floor}, Brier {self.brier_raw:.4f}"
               if self.ece_raw is not None else "")
        out = [f"  calibration: ECE {self.ece:.4f}{ci(self.ece_ci)} over {self.n_bins} equal-width bins{cut}{floor}; "
               f"Brier {self.brier:.4f}{ci(self.brier_ci)}{binary}{raw}"]
        if self.calibration_worse():
            out.append(f"  warning: {self.calibration_worse()}")
        if self.few_rows():
            out.append(f"  note: {self.few_rows()}")
        if self.interval_caution():
            out.append(f"  note: {self.interval_caution()}")
        if self.coverage_table is not None:
            from starclass.evaluate.task import class_labels
            from starclass.learn.conformal import coverage_percent

            # by number and name, as the coverage table names the task's classes ('all' stays 'all')
            tab = self.coverage_table
            shown = [str(k) for k in tab["class"]]
            if "name" in tab.colnames:
                shown = [class_labels([int(k)], [n])[int(k)] if k.isdigit() else k for k, n in zip(shown, tab["name"])]
            # a class without a row of its own (a list of clusters only) printed "2 (non-cluster) nan";
            # the report's table shows a dash, and the coverage of no rows is not a number
            covered = ", ".join(f"{k} {row['coverage']:.3f}" if np.isfinite(row["coverage"]) else f"{k} - (no rows)"
                                for k, row in zip(shown, tab))
            # "set sizes 1: 120, 2: 30" read as classes 1 and 2: the sizes said in words
            sizes = "; sets: " + set_size_words({int(row["set_size"]): int(row["n"]) for row in self.set_sizes})
            if self.coverage is not None:
                out.append(f"  conformal coverage at {coverage_percent(self.coverage)}: {covered}{sizes}")
            else:
                # "is not in this table: a CSV keeps no meta" was said of an ECSV of stacked classifications too,
                # and of a CSV whose model column named the model (which does not hold --coverage either): what
                # is missing and how to get it (compare._coverage_missing)
                out.append(f"  conformal sets (pred_set), share whose set holds the reference class: {covered}{sizes} "
                           f"(the coverage the sets were made for, classify's --coverage, is not known: "
                           f"{self.coverage_missing or 'the table records none'})")
        if self.signals is not None:
            finite = [row for row in self.signals if np.isfinite(row["auroc"])]
            if finite:
                # a signal without an AUROC is named with the reason (it was left out without a word,
                # and a one-member ensemble's constant prob_std was printed as 0.500)
                unmeasured = [f"{row['signal']} ({row['note']})" for row in self.signals
                              if not np.isfinite(row["auroc"])]
                out.append("  mistake AUROC: " + ", ".join(f"{row['signal']} {row['auroc']:.3f}" for row in finite)
                           + (f" (best: {self.best_signal()})" if self.best_signal() else "")
                           + (f"; not measured: {', '.join(unmeasured)}" if unmeasured else ""))
            elif len(self.signals):
                row = self.signals[0]
                if int(row["n_mistakes"]) in (0, int(row["n"])):
                    # an empty "mistake AUROC: " was printed: no AUC exists without both right and wrong rows
                    out.append(f"  mistake AUROC: not defined ({counted(int(row['n_mistakes']), 'mistake')} in "
                               f"{counted(int(row['n']), 'row')}: an AUROC needs both right and wrong predictions)")
                else:
                    out.append("  mistake AUROC: not measured: " + ", ".join(
                        f"{r['signal']} ({r['note']})" for r in self.signals))
        return out


def _entropy(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=1)


def trust_study(probs: np.ndarray, y: np.ndarray, pred_idx: np.ndarray, columns: dict[str, np.ndarray],
                classes: Sequence[int], *, meta: dict | None = None, n_bins: int = DEFAULT_BINS) -> TrustStudy:
    """Every trust figure of paired rows: calibration, conformal coverage, deferral, signals.

    Parameters
    ----------
    probs : numpy.ndarray
        The catalogue's ``prob_<k>`` of the paired rows ``[N, K]`` (calibrated when the model
        had a temperature).
    y : numpy.ndarray
        Reference class indices (0..K-1).
    pred_idx : numpy.ndarray
        Predicted class indices (``class_pred``).
    columns : dict
        Optional columns of the paired rows: ``prob_raw`` ``[N, K]``, ``pred_set`` (strings),
        ``prob_std``, ``quality``, ``tta_std``, ``mutual_info`` (BALD).
    classes : sequence of int
        The task's classes (order of the probability columns).
    meta : dict, optional
        The catalogue's meta (temperature, coverage).
    n_bins : int
        ECE and reliability bins.

    Returns
    -------
    TrustStudy

    Examples
    --------
    Three of four right; ECE over the bins (0.6, 0.8] (0.65, 0.7, 0.8: two right) and (0.8, 1]
    (0.9, right) is ``(3 |2/3 - 0.7167| + |1 - 0.9|) / 4``; the wrong row has the lowest confidence
    and the widest ensemble spread, so both signals find it (AUROC 1):

    >>> p = np.array([[0.9, 0.1], [0.3, 0.7], [0.65, 0.35], [0.8, 0.2]])
    >>> s = trust_study(p, np.array([0, 1, 1, 0]), p.argmax(axis=1),
    ...                 {"prob_std": np.array([0.01, 0.02, 0.2, 0.05])}, [1, 2], n_bins=5)
    >>> round(s.ece, 4), round(s.brier, 5), s.signals["signal"].tolist(), s.signals["auroc"].tolist()
    (0.0625, 0.28125, ['1 - confidence', 'entropy', 'ensemble spread (prob_std)'], [1.0, 1.0, 1.0])
    """
    meta = meta or {}
    p, y = _check(probs, y)
    study = TrustStudy(n=int(len(y)), n_bins=int(n_bins), ece=expected_calibration_error(p, y, n_bins),
                       brier=brier_score(p, y), reliability=reliability_table(p, y, n_bins),
                       ece_floor=ece_floor(p, n_bins=n_bins) if len(y) else None, n_classes=int(p.shape[1]))
    t = meta.get("temperature")
    study.temperature = None if t is None else float(t)
    # said where the calibration made the ECE worse: what it was fitted on, and the model to calibrate again
    n_cal = meta.get("calibration_n")
    study.calibration_n = int(n_cal) if isinstance(n_cal, (int, np.integer)) and n_cal > 0 else None
    study.model = str(meta["model"]) if meta.get("model") else None
    m = meta.get("calibration_method")
    # catalogues written before vector scaling name no method: a temperature, if they have one
    study.method = str(m) if m else ("temperature" if t is not None else None)
    raw = columns.get("prob_raw")
    if raw is not None:
        study.ece_raw = expected_calibration_error(raw, y, n_bins)
        study.ece_floor_raw = ece_floor(np.asarray(raw, dtype=np.float64), n_bins=n_bins) if len(y) else None
        study.brier_raw = brier_score(raw, y)
        study.reliability_raw = reliability_table(raw, y, n_bins)
    correct = np.asarray(pred_idx) == y
    conf = p.max(axis=1)
    signals: dict[str, np.ndarray] = {"1 - confidence": 1.0 - conf, "entropy": _entropy(p)}
    if columns.get("prob_std") is not None:
        signals["ensemble spread (prob_std)"] = np.asarray(columns["prob_std"], float)
    if columns.get("quality") is not None:
        signals["1 - vote agreement (quality)"] = 1.0 - np.asarray(columns["quality"], float)
    if columns.get("tta_std") is not None:
        signals["TTA spread (tta_std)"] = np.asarray(columns["tta_std"], float)
    if columns.get("mutual_info") is not None:
        # BALD: how much the views (TTA x members) disagree, the signal suggest --by mutual-info ranks by;
        # classify writes it with --tta or an ensemble, and it was never scored beside the others
        signals["BALD mutual information (mutual_info)"] = np.asarray(columns["mutual_info"], float)
    study.deferral["lowest confidence first"] = deferral_curve(1.0 - conf, correct)
    if columns.get("pred_set") is not None:
        sets = parse_sets(columns["pred_set"], classes)
        cov = meta.get("coverage")
        study.coverage = None if cov is None else float(cov)
        study.coverage_table = coverage_table(sets, y, classes, study.coverage)
        sizes = sets.sum(axis=1)
        study.set_sizes = set_size_table(sizes, len(classes))
        signals["conformal set size"] = sizes.astype(float)
        # largest set first; among equal sets, lowest confidence first
        study.deferral["largest set first"] = deferral_curve(sizes + (1.0 - conf) * 0.5, correct)
    study.signals = signal_aurocs(signals, ~correct)
    return study
