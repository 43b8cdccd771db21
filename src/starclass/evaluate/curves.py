"""One-vs-rest ROC and precision-recall curves, and cumulative score distributions.

Curves come from :func:`sklearn.metrics.roc_curve` and
:func:`sklearn.metrics.precision_recall_curve`. The score of a merged class (say 1+2) is the
sum of the probabilities of its members. The cumulative score distribution per predicted
class is StarcNet's Figure 5: for the objects predicted in class k, the fraction whose score
(the probability of k) is below s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy.table import Table

from starclass import quiet_import
from starclass.errors import StarclassError
from starclass.evaluate.metrics import Groups, merge_groups
from starclass.schema import CLASS_PRED, CONFIDENT_SCORE, frac_above_col, prob_cols


@dataclass
class Curve:
    """One curve: x, y arrays, a summary number (AUC or average precision) and its label.

    Made by :func:`one_vs_rest`: for a ROC curve x is the false-positive rate and y the true-positive
    rate, for a PR curve x is the recall and y the precision.

    Examples
    --------
    >>> ref = np.array([1, 1, 2, 2]); probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.6, 0.4], [0.2, 0.8]])
    >>> roc, pr, _ = one_vs_rest(ref, probs, "2class", (1, 2), groups={"1": (1,), "2": (2,)})
    >>> roc[0].label, roc[0].x.tolist(), roc[0].y.tolist(), roc[0].area, roc[0].n_pos
    ('1', [0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], 0.75, 2)
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    area: float
    n_pos: int
    n_neg: int


def prob_matrix(table: Table, classes: tuple[int, ...] = (1, 2, 3, 4),
                rows: np.ndarray | None = None, columns: list[str] | None = None) -> np.ndarray | None:
    """Probabilities ``prob_<k>`` as an N x K array, or None when the columns are absent.

    Parameters
    ----------
    table
        Classified catalogue.
    classes
        The task's classes (columns ``prob_<k>`` in this order).
    rows
        Boolean mask of the rows whose probabilities are used and must be finite (default:
        all). ``classify`` writes NaN probabilities, with ``class_pred`` 0, for candidates it
        could not classify (off the image, a blank band): those rows are not scored, so their
        NaN is expected, not an error.
    columns
        Other columns in the place of ``prob_<k>``, one per class (e.g. ``prob_<k>_raw``).

    Raises
    ------
    StarclassError
        A used row (named 1-based, as the first data row is row 1) has a NaN or infinite
        probability, or one outside 0-1 (percentages: ``io.catalog.check_probability_range``).

    Examples
    --------
    >>> t = Table({"class_pred": [1, 0], "prob_1": [0.8, np.nan], "prob_2": [0.2, np.nan]})
    >>> prob_matrix(t, (1, 2), rows=np.array([True, False]))[0].tolist()
    [0.8, 0.2]
    """
    cols = prob_cols(classes) if columns is None else list(columns)
    if not all(c in table.colnames for c in cols):
        return None
    p = np.column_stack([np.asarray(table[c], dtype=float) for c in cols])
    used = np.ones(len(p), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    bad = used & ~np.isfinite(p).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        what = "prob_<k>" if columns is None else ", ".join(cols)
        col = cols[int(np.flatnonzero(~np.isfinite(p[row]))[0])]
        raise StarclassError(f"{what} columns: non-finite probability in row {row + 1} ({col} is empty, NaN or "
                             "infinite, on a row that is scored)")
    from starclass.io.catalog import check_probability_range

    check_probability_range(p, cols, rows=used)
    return p


def group_scores(probs: np.ndarray, merge: str, classes: tuple[int, ...] = (1, 2, 3, 4),
                 groups: Groups | None = None) -> dict[str, np.ndarray]:
    """Score of each merged group: the sum of its members' probabilities.

    Examples
    --------
    >>> group_scores(np.array([[0.1, 0.2, 0.3, 0.4]]), "12v34")["1+2"].round(2).tolist()
    [0.3]
    """
    classes = tuple(int(c) for c in classes)
    probs = np.asarray(probs)
    if probs.ndim != 2 or probs.shape[1] != len(classes):
        raise StarclassError(f"probabilities have {probs.shape[1] if probs.ndim == 2 else probs.shape} columns but "
                             f"{len(classes)} classes {classes} were given: one column per class, in that order")
    out = {}
    for name, members in merge_groups(merge, groups).items():
        # a binary task's probabilities under the default merge ("4class") stopped with
        # Python's "tuple.index(x): x not in tuple"
        absent = [m for m in members if m not in classes]
        if absent:
            raise StarclassError(
                f"merge {merge!r} groups class {', '.join(map(str, absent))} (in {name!r}), not among the classes "
                f"{classes}: pass the task's groups (starclass.evaluate.task) or a merge of these classes")
        idx = [classes.index(m) for m in members]
        out[name] = probs[:, idx].sum(axis=1)
    return out


def one_vs_rest(ref: np.ndarray, probs: np.ndarray, merge: str = "4class",
                classes: tuple[int, ...] = (1, 2, 3, 4), groups: Groups | None = None,
                only: tuple[str, ...] | None = None) -> tuple[list[Curve], list[Curve], list[str]]:
    """ROC and PR curves of each (merged) class against the rest.

    ``groups`` defines the merge for any task (default: the PHANGS :data:`MERGES` entry);
    ``only`` keeps the curves of some groups (a binary task's positive class).

    Returns
    -------
    roc, pr, skipped
        Lists of :class:`Curve` and the messages for classes that could not be scored
        (no positives or no negatives in the reference).

    Examples
    --------
    A binary task, with its own groups (:mod:`starclass.evaluate.task`); the areas are
    :func:`sklearn.metrics.roc_auc_score` and :func:`sklearn.metrics.average_precision_score`:

    >>> ref = np.array([1, 1, 2, 2]); probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.6, 0.4], [0.2, 0.8]])
    >>> roc, pr, skipped = one_vs_rest(ref, probs, "2class", (1, 2), groups={"1": (1,), "2": (2,)})
    >>> [(c.label, round(c.area, 3)) for c in roc]
    [('1', 0.75), ('2', 0.75)]
    """
    # sklearn.metrics adds 1.5-1.8 s (measured) to `import starclass.evaluate`
    with quiet_import():
        from sklearn.metrics import auc, average_precision_score, precision_recall_curve, roc_curve

    ref = np.asarray(ref, dtype=int)
    ok = ref > 0
    ref, probs = ref[ok], probs[ok]
    scores = group_scores(probs, merge, classes, groups)
    roc, pr, skipped = [], [], []
    for name, members in merge_groups(merge, groups).items():
        if only is not None and name not in only:
            continue
        y = np.isin(ref, members)
        n_pos, n_neg = int(y.sum()), int((~y).sum())
        if n_pos == 0 or n_neg == 0:
            # "class 1: only members in the reference" (a list of clusters only) did not say that every row is one
            which = "no reference row is of it" if n_pos == 0 else "every reference row is of it"
            skipped.append(f"class {name}: {which}, so no curve, ROC AUC or average precision (they need reference "
                           "rows in and out of the class)")
            continue
        fpr, tpr, _ = roc_curve(y, scores[name])
        roc.append(Curve(name, fpr, tpr, float(auc(fpr, tpr)), n_pos, n_neg))
        prec, rec, _ = precision_recall_curve(y, scores[name])
        pr.append(Curve(name, rec, prec, float(average_precision_score(y, scores[name])), n_pos, n_neg))
    return roc, pr, skipped


def curve_summary(roc: list[Curve], pr: list[Curve]) -> Table:
    """Table of AUC and average precision per class.

    Examples
    --------
    The average precision is :func:`sklearn.metrics.average_precision_score`, (1 + 2/3) / 2:

    >>> ref = np.array([1, 1, 2, 2]); probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.6, 0.4], [0.2, 0.8]])
    >>> t = curve_summary(*one_vs_rest(ref, probs, "2class", (1, 2), groups={"1": (1,), "2": (2,)})[:2])
    >>> t["class"].tolist(), t["roc_auc"].tolist(), [round(float(v), 3) for v in t["average_precision"]]
    (['1', '2'], [0.75, 0.75], [0.833, 0.833])
    """
    t = Table()
    t["class"] = [c.label for c in roc]
    t["n_pos"] = [c.n_pos for c in roc]
    t["n_neg"] = [c.n_neg for c in roc]
    t["roc_auc"] = [c.area for c in roc]
    ap = {c.label: c.area for c in pr}
    t["average_precision"] = [ap[c.label] for c in roc]
    t["roc_auc"].format = t["average_precision"].format = ".3f"
    return t


def score_distributions(pred: np.ndarray, probs: np.ndarray,
                        classes: tuple[int, ...] = (1, 2, 3, 4)) -> dict[int, np.ndarray]:
    """Sorted scores (probability of the predicted class) of the objects predicted in each class.

    Examples
    --------
    >>> d = score_distributions(np.array([1, 2, 1]), np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]]), (1, 2))
    >>> {k: v.tolist() for k, v in d.items()}
    {1: [0.6, 0.9], 2: [0.7]}
    """
    pred = np.asarray(pred, dtype=int)
    out = {}
    for j, k in enumerate(classes):
        sel = pred == k
        if sel.any():
            out[k] = np.sort(probs[sel, j])
    return out


def score_quantiles(dists: dict[int, np.ndarray]) -> Table:
    """Median and quartiles of the score per predicted class (StarcNet Figure 5 in numbers).

    ``frac_above_0p8`` (:func:`starclass.schema.frac_above_col`; ``frac_above_0.8`` until 2026-12-05) is
    the share of the class's scores above :data:`starclass.schema.CONFIDENT_SCORE`.

    Examples
    --------
    >>> score_quantiles({1: np.array([0.5, 0.9]), 2: np.array([0.7])})["frac_above_0p8"].tolist()
    [0.5, 0.0]
    """
    t = Table()
    t[CLASS_PRED] = list(dists)
    t["n"] = [len(v) for v in dists.values()]
    for q in (0.25, 0.5, 0.75):
        t[f"score_q{int(q * 100)}"] = [float(np.quantile(v, q)) for v in dists.values()]
        t[f"score_q{int(q * 100)}"].format = ".3f"
    above = frac_above_col()
    t[above] = [float(np.mean(v > CONFIDENT_SCORE)) for v in dists.values()]
    t[above].format = ".3f"
    t[above].description = f"share of the class's scores above {CONFIDENT_SCORE}"
    return t
