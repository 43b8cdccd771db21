"""Threshold studies for binary tasks: purity, recall and F1 against threshold and magnitude.

Following Zhang et al. (M31, section 4 and appendix A): an object is called a cluster when its
cluster score is at or above the threshold; purity = TP / (TP + FP), recall = TP / (TP + FN),
F1 their harmonic mean (computed as scikit-learn does, 2 TP / (2 TP + FP + FN), so it is 0,
not undefined, where nothing selected is right). They pick the threshold 0.669 that gives
80 % purity; :func:`threshold_for_purity` does the same for any target. Undefined values
(purity with no object selected) are masked, not NaN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError, counted
from starclass.schema import row_name

#: the fewest objects a threshold for a target purity may select (:func:`threshold_for_purity`)
MIN_SELECTED = 10


def _counts(y: np.ndarray, score: np.ndarray, thr: float) -> tuple[int, int, int]:
    sel = score >= thr
    tp = int(np.sum(sel & y))
    fp = int(np.sum(sel & ~y))
    fn = int(np.sum(~sel & y))
    return tp, fp, fn


def _prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    # scikit-learn's F1, 2 TP / (2 TP + FP + FN): 0 when nothing is right (a selection with
    # no true positive, or none at all while positives exist), undefined only with neither
    f = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None
    return p, r, f


def _masked(v):
    return MaskedColumn([0.0 if x is None else x for x in v], mask=[x is None for x in v], format=".3f")


def _check(y, score):
    y = np.asarray(y, dtype=bool)
    score = np.asarray(score, dtype=float)
    if y.shape != score.shape:
        raise StarclassError(f"labels ({y.shape}) and scores ({score.shape}) differ in length")
    if y.size == 0:
        raise StarclassError("threshold study: no objects")
    if not np.isfinite(score).all():
        raise StarclassError(f"threshold study: non-finite score in "
                             f"{row_name(int(np.flatnonzero(~np.isfinite(score))[0]))}")
    return y, score


def threshold_scan(y_true: ArrayLike, score: ArrayLike, thresholds: ArrayLike | None = None) -> Table:
    """Purity, recall and F1 for each threshold.

    Parameters
    ----------
    y_true
        Boolean array: True for a reference positive (a cluster).
    score
        Score of the positive class (probability, 0-1).
    thresholds
        Thresholds to test (default 0.05 to 0.95 in steps of 0.01).

    Examples
    --------
    The same numbers as :func:`sklearn.metrics.precision_score`, ``recall_score`` and ``f1_score``
    of ``score >= threshold``; purity is masked where nothing is selected:

    >>> y = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> t = threshold_scan(y, np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1]), [0.5, 0.75, 0.95])
    >>> t["n_selected"].tolist(), t["purity"].tolist(), [round(float(v), 3) for v in t["f1"]]
    ([4, 2, 0], [0.75, 1.0, None], [0.857, 0.8, 0.0])
    """
    y, score = _check(y_true, score)
    if thresholds is None:
        thresholds = np.round(np.arange(0.05, 0.951, 0.01), 3)
    rows = [(_counts(y, score, t)) for t in thresholds]
    t = Table()
    t["threshold"] = np.asarray(thresholds, float)
    t["n_selected"] = [tp + fp for tp, fp, _ in rows]
    t["tp"] = [r[0] for r in rows]
    t["fp"] = [r[1] for r in rows]
    t["fn"] = [r[2] for r in rows]
    prf = [_prf(*r) for r in rows]
    t["purity"] = _masked([p[0] for p in prf])
    t["recall"] = _masked([p[1] for p in prf])
    t["f1"] = _masked([p[2] for p in prf])
    return t


def threshold_for_purity(y_true: ArrayLike, score: ArrayLike, target: float = 0.8, *,
                         min_selected: int = MIN_SELECTED, noun: str = "object") -> dict:
    """Lowest threshold whose selection reaches ``target`` purity.

    The lowest such threshold keeps the most objects (the M31 paper's choice). Thresholds
    are taken at the observed scores, so the answer is exact for the sample.

    ``noun`` is what the refusal calls a scored row: ``"row"`` where rows are cutouts that may
    repeat an object (several cutouts of one, :class:`starclass.evaluate.compare.Comparison`'s
    ``rows_not_objects``), so that "at least 10 objects selected" does not count cutouts as objects.

    Returns
    -------
    dict with threshold, purity, recall, f1, n_selected.

    Raises
    ------
    StarclassError
        If no threshold selecting at least ``min_selected`` objects reaches the target, or the
        table has no more than ``min_selected`` objects (every threshold the rule allows selects
        them all, whatever the scores: too few for the rule).

    Examples
    --------
    Selecting the four highest scores gives 3 clusters of 4 (purity 0.75), the most objects that
    reach it:

    >>> y = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> r = threshold_for_purity(y, np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1]), 0.75, min_selected=2)
    >>> r["threshold"], r["purity"], r["recall"], r["n_selected"], r["shown"]
    (0.6, 0.75, 1.0, 4, '0.600')
    """
    y, score = _check(y_true, score)
    if not 0 < target <= 1:
        raise StarclassError(f"target purity must be in (0, 1], got {target}")
    if not y.any():
        raise StarclassError("threshold_for_purity: the reference has no positive object")
    order = np.argsort(-score, kind="stable")
    s_sorted = score[order]
    y_sorted = y[order]
    tp = np.cumsum(y_sorted)
    n = np.arange(1, len(y) + 1)
    # a threshold equal to a score selects every object with that score: use the last of ties
    last_of_tie = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    purity = tp / n
    ok = last_of_tie & (purity >= target) & (n >= min_selected)
    # the target as given where two decimals would change it: 0.999 read "purity 1.00", a target no
    # threshold can miss
    shown = f"{target:.2f}" if round(target, 2) == target else f"{target:g}"
    if len(y) <= min_selected:
        # no threshold can leave any row out, whatever the scores: with fewer rows "best purity 0.000" read as if
        # the scores were useless; with exactly min_selected (a 10-row table) "best purity 0.500" was the class's
        # share, the purity of selecting every row, read as the model's result, and where that share met the
        # target the lowest score was "chosen", select-all given as the threshold for the purity (until
        # 2026-12-07). One refusal for all three: the table is too small for the rule
        raise StarclassError(
            f"no threshold can be chosen for purity {shown}: the rule selects at least "
            f"{counted(min_selected, noun)} and there {'is' if len(y) == 1 else 'are'} {counted(len(y), noun)} "
            f"in all; it needs more than {min_selected} for a threshold to leave any out (too few for the rule, "
            "not a result of the scores)")
    if not ok.any():
        why = f"best purity {float(np.max(np.where(last_of_tie & (n >= min_selected), purity, 0))):.3f}"
        raise StarclassError(
            f"no threshold reaches purity {shown} with at least {counted(min_selected, noun)} selected ({why})"
        )
    i = int(np.flatnonzero(ok)[-1])  # most objects kept
    thr = float(s_sorted[i])
    p, r, f = _prf(*_counts(y, score, thr))
    below = float(s_sorted[i + 1]) if i + 1 < len(s_sorted) else -np.inf
    return {"threshold": thr, "purity": p, "recall": r, "f1": f, "n_selected": int(n[i]), "target": target,
            "shown": threshold_text(thr, below)}


#: the figures :func:`purity_choice_of_weights` gives, in order
PURITY_CHOICE_FIGURES = ("threshold", "purity", "recall", "f1")


def purity_choice_of_weights(y_true: ArrayLike, score: ArrayLike, target: float = 0.8, *,
                             min_selected: int = MIN_SELECTED) -> Callable[[np.ndarray], np.ndarray]:
    """The choice of :func:`threshold_for_purity` on a resample, as a function of row weights.

    The threshold is chosen again inside each bootstrap resample (its interval then includes the
    choice, not only the noise of the purity at a fixed threshold). The rows are ranked once;
    a resample is given as the weight of each row (how many times it was drawn, as
    :func:`starclass.evaluate.bootstrap.bootstrap_figures` gives it), and the function returns
    what :func:`threshold_for_purity` returns on the drawn rows: the lowest threshold at a drawn
    score whose selection has purity >= ``target`` and at least ``min_selected`` drawn rows (a
    row drawn twice counts twice), and the purity, recall and F1 there.

    Parameters
    ----------
    y_true
        Boolean array: True for a reference positive.
    score
        Score of the positive class.
    target
        Purity to reach.
    min_selected
        Fewest rows (with their weights) the selection must hold.

    Returns
    -------
    callable
        Of the ``n`` row weights, returning ``[threshold, purity, recall, f1]``
        (:data:`PURITY_CHOICE_FIGURES`); all NaN where no threshold reaches the target or the
        resample has no positive or no more drawn rows than ``min_selected``
        (:func:`threshold_for_purity` raises there).

    Raises
    ------
    StarclassError
        Labels and scores of different lengths, none at all, a non-finite score, or a target
        outside (0, 1].

    Examples
    --------
    With every row weighted 1 it is :func:`threshold_for_purity`; a resample that drew the fourth
    row (a cluster at 0.6) twice and the second (a cluster at 0.8) not at all chooses 0.6 again:

    >>> y = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> score = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1])
    >>> choose = purity_choice_of_weights(y, score, 0.75, min_selected=2)
    >>> choose(np.ones(6)).tolist()
    [0.6, 0.75, 1.0, 0.8571428571428571]
    >>> choose(np.array([1.0, 0, 1, 2, 1, 1])).tolist()
    [0.6, 0.75, 1.0, 0.8571428571428571]
    >>> bool(np.isnan(choose(np.array([0.0, 0, 1, 0, 1, 1]))).all())  # no cluster drawn
    True
    """
    y, score = _check(y_true, score)
    if not 0 < target <= 1:
        raise StarclassError(f"target purity must be in (0, 1], got {target}")
    levels, level = np.unique(score, return_inverse=True)
    m = levels.size
    # highest score first: a threshold at a level selects that level and every one above it
    desc = levels[::-1].copy()
    at = m - 1 - level.ravel()
    rows_pos = np.flatnonzero(y)
    at_pos = at[rows_pos]
    undefined = np.full(len(PURITY_CHOICE_FIGURES), np.nan)

    def choose(w: np.ndarray) -> np.ndarray:
        # counts as integers: exact, and numpy's integer cumsum is several times faster than its float one
        drawn = np.bincount(at, weights=w, minlength=m).astype(np.int64)
        tp = np.cumsum(np.bincount(at_pos, weights=w[rows_pos], minlength=m).astype(np.int64))
        n = np.cumsum(drawn)
        n_pos = int(tp[-1])
        # no more drawn rows than the rule selects: every selection is all of them, as threshold_for_purity refuses
        if n_pos == 0 or n[-1] <= min_selected:
            return undefined.copy()
        # only the scores of drawn rows are thresholds (a level drawn zero times is not in the resample)
        with np.errstate(invalid="ignore", divide="ignore"):
            # tp / n >= target as threshold_for_purity compares it (tp >= target * n rounds otherwise)
            ok = (drawn > 0) & (tp / n >= target) & (n >= min_selected)
        if not ok.any():
            return undefined.copy()
        i = int(np.flatnonzero(ok)[-1])  # most objects kept
        # purity, recall and F1 as _prf gives them: 2 TP / (2 TP + FP + FN) is 2 TP / (selected + positives)
        return np.array([desc[i], tp[i] / n[i], tp[i] / n_pos, 2 * tp[i] / (n[i] + n_pos)])

    return choose


def threshold_text(threshold: float, below: float, digits: int = 3) -> str:
    """The threshold written with as few decimals (at least ``digits``) as select the same objects.

    A threshold is the score of the last object it selects; written as ``0.000`` or rounded up
    to 3 decimals and handed to ``classify --threshold`` (which keeps ``P >= threshold``), it
    selected other objects (a perfect separation chose 3e-5, printed ``0.000``: every object
    then passed). The value written is rounded down to the first number of decimals that stays
    above ``below``, the highest score not selected, so ``P >= text`` selects exactly the same.

    Parameters
    ----------
    threshold : float
        The chosen threshold (a score).
    below : float
        The highest score below it (``-inf`` when none).
    digits : int
        Fewest decimals written.

    Returns
    -------
    str

    Examples
    --------
    >>> threshold_text(0.2757, 0.21), threshold_text(3.2e-05, 1e-07), threshold_text(0.0625, 0.0624)
    ('0.275', '0.00003', '0.0625')
    """
    for d in range(int(digits), 13):
        t = np.floor(float(threshold) * 10**d) / 10**d
        if t > below:
            return f"{t:.{d}f}"
    return repr(float(threshold))


def metrics_vs_magnitude(y_true: ArrayLike, score: ArrayLike, mag: ArrayLike, threshold: float = 0.5, *,
                         edges: ArrayLike | None = None, cumulative: bool = True) -> Table:
    """Purity, recall and F1 in magnitude bins (or for objects brighter than each limit).

    Parameters
    ----------
    mag
        Magnitudes; non-finite or >= 90 (LEGUS 99.999 = no detection) are left out.
    edges
        Bin edges (default: 1-mag steps over the range of the data, as the M31 paper).
    cumulative
        True: row i is every object brighter than ``edges[i + 1]`` (M31 Figure 18);
        False: objects with ``edges[i] <= mag < edges[i + 1]``.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 1, 0, 0], bool)
    >>> score = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.1])
    >>> mag = np.array([20.2, 20.8, 21.5, 21.9, 22.4, 22.7])
    >>> t = metrics_vs_magnitude(y, score, mag)
    >>> t["mag_hi"].tolist(), t["n"].tolist(), t["purity"].tolist()
    ([21.0, 22.0, 23.0], [2, 4, 6], [1.0, 0.75, 0.75])
    >>> metrics_vs_magnitude(y, score, mag, cumulative=False)["fp"].tolist()
    [0, 1, 0]
    """
    y, score = _check(y_true, score)
    mag = np.asarray(mag, float)
    good = np.isfinite(mag) & (mag < 90)
    if not good.any():
        raise StarclassError("metrics_vs_magnitude: no valid magnitude")
    y, score, mag = y[good], score[good], mag[good]
    if edges is None:
        edges = np.arange(np.floor(mag.min()), np.ceil(mag.max()) + 1, 1.0)
        if len(edges) < 2:
            edges = np.array([np.floor(mag.min()), np.floor(mag.min()) + 1])
    edges = np.asarray(edges, float)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = mag < hi if cumulative else (mag >= lo) & (mag < hi)
        tp, fp, fn = _counts(y[sel], score[sel], threshold)
        rows.append((lo, hi, int(sel.sum()), tp, fp, fn, *_prf(tp, fp, fn)))
    t = Table()
    t["mag_lo"] = [r[0] for r in rows]
    t["mag_hi"] = [r[1] for r in rows]
    t["n"] = [r[2] for r in rows]
    t["tp"] = [r[3] for r in rows]
    t["fp"] = [r[4] for r in rows]
    t["fn"] = [r[5] for r in rows]
    t["purity"] = _masked([r[6] for r in rows])
    t["recall"] = _masked([r[7] for r in rows])
    t["f1"] = _masked([r[8] for r in rows])
    t.meta["threshold"] = threshold
    t.meta["cumulative"] = cumulative
    return t


def metrics_vs_quantity(y_true: ArrayLike, score: ArrayLike, values: ArrayLike, threshold: float = 0.5, *,
                        nbins: int = 5,
                        name: str = "value") -> Table:
    """Purity, recall and F1 of ``score >= threshold`` in equal-number bins of any quantity.

    The M31 paper's appendix studies its selection against magnitude; the same table against
    size, colour, galactocentric radius or position on the detector shows where a classifier
    is weak.

    Parameters
    ----------
    y_true, score
        Positive (bool) and score per object.
    values
        The quantity per object; non-finite values are left out.
    threshold
        Decision threshold on the score.
    nbins
        Bins holding about the same number of objects (fewer when values repeat).
    name
        What the values are (stored in the table's meta).

    Returns
    -------
    astropy.table.Table
        One row per bin: ``lo``, ``hi``, ``n``, ``tp``, ``fp``, ``fn``, ``purity``,
        ``recall``, ``f1`` (masked where undefined).

    Examples
    --------
    >>> import numpy as np
    >>> t = metrics_vs_quantity([1, 0, 1, 1], [0.9, 0.8, 0.2, 0.7], [1.0, 2.0, 3.0, 4.0], 0.5, nbins=2)
    >>> t["tp"].tolist(), t["fp"].tolist(), t["fn"].tolist()
    ([1, 1], [1, 0], [0, 1])
    """
    from starclass.evaluate.trends import equal_number_edges

    y, score = _check(y_true, score)
    v = np.asarray(values, float)
    if v.shape != y.shape:
        raise StarclassError(f"metrics against {name}: {v.size} values for {y.size} objects")
    good = np.isfinite(v)
    if good.sum() < nbins:
        raise StarclassError(f"metrics against {name}: {int(good.sum())} finite values, fewer than {nbins} bins")
    y, score, v = y[good], score[good], v[good]
    edges = equal_number_edges(v, nbins)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (v >= lo) & (v < hi)
        tp, fp, fn = _counts(y[sel], score[sel], threshold)
        rows.append((lo, hi, int(sel.sum()), tp, fp, fn, *_prf(tp, fp, fn)))
    t = Table()
    for j, col in enumerate(("lo", "hi", "n", "tp", "fp", "fn")):
        t[col] = [r[j] for r in rows]
    for j, col in enumerate(("purity", "recall", "f1")):
        t[col] = _masked([r[6 + j] for r in rows])
    t.meta.update({"threshold": threshold, "quantity": name})
    return t
