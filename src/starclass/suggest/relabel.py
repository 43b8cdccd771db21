"""Labels worth a second look: rows whose given label out-of-fold probabilities contradict.

Some labels in any catalogue are wrong, and nothing says which. :func:`label_issues` ranks the
labelled rows of a table whose given class the model's *out-of-fold* probabilities (each row
scored by a model that never trained on it: ``starclass train --cv``'s ``cv_predictions.ecsv``)
contradict, in the manner of confident learning (Northcutt, Jiang & Chuang 2021, "Confident
learning: estimating uncertainty in dataset labels", JAIR 70, 1373):

* per class ``k`` a threshold ``t_k``, the mean predicted probability of ``k`` over the rows
  labelled ``k`` (how sure the model is of its own class on average: a hard class gets a low bar);
* a row labelled ``i`` goes to the class ``j`` with the largest ``p_j`` among the classes whose
  ``p_j >= t_j`` (the confident joint's column); it is flagged when that class is not ``i``;
* flagged rows are ranked by their self-confidence ``p_i``, the lowest first.

These are candidates for a person to look at again, not established errors: a model that has
not learnt a kind of object contradicts its labels too. ``starclass suggest --check-labels``
writes them as a list ``inspect --stamps`` serves.

It is written here (cleanlab, which implements the method with more options, is not a
dependency of starclass), as the confident joint's off-diagonal without cleanlab's later pruning
by estimated noise rates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError, counted
from starclass.schema import (
    CHECK_RANK,
    CLASS_GIVEN,
    CLASS_REF,
    CLASS_SUGGESTED,
    PROB_GIVEN,
    class_array,
    prob_classes,
    prob_cols,
    rows_named,
)

__all__ = ["THRESHOLD_TOL", "class_thresholds", "label_issues"]

#: ``p_j >= t_j`` is tested as ``p_j >= t_j - THRESHOLD_TOL``: a class whose rows all carry one
#: probability has that value as its mean, which floating-point sums can leave a last bit above it
THRESHOLD_TOL = 1e-9


def class_thresholds(probs: np.ndarray, given: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """Per-class thresholds ``t_k``: the mean probability of class ``k`` over the rows labelled ``k``.

    Parameters
    ----------
    probs
        ``[n_rows, n_classes]`` probabilities, columns in the order of ``classes``.
    given
        The given class of each row (0: no label, left out).
    classes
        The classes of ``probs``' columns.

    Returns
    -------
    numpy.ndarray
        One threshold per class; NaN for a class no row is labelled with (nothing can be moved
        into it).

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.7, 0.3], [0.4, 0.6]])
    >>> class_thresholds(p, np.array([1, 1, 2]), [1, 2]).round(3).tolist()
    [0.8, 0.6]
    >>> class_thresholds(p, np.array([1, 1, 1]), [1, 2]).round(3).tolist()
    [0.667, nan]
    """
    t = np.full(len(classes), np.nan)
    for j, k in enumerate(classes):
        rows = given == k
        if rows.any():
            t[j] = float(np.mean(probs[rows, j]))
    return t


def label_issues(table: Table, label_column: str = CLASS_REF, *, given: ArrayLike | None = None,
                 n: int | None = None, name: str = "the table") -> Table:
    """The labelled rows whose given class out-of-fold probabilities contradict, least self-confident first.

    Confident learning (Northcutt, Jiang & Chuang 2021): with ``t_k`` the mean ``prob_<k>`` over
    the rows labelled ``k``, a row labelled ``i`` is flagged when, among the classes ``j`` with
    ``prob_<j> >= t_j``, the most probable is not ``i``; that class is its ``class_suggested``. The
    flagged rows are ranked by ``prob_<i>`` (``prob_given``), lowest first. Written here, not taken
    from cleanlab (not a dependency). The probabilities must be out-of-fold (``train --cv``):
    in-sample ones agree with the labels the model was fitted to and flag almost nothing.

    Parameters
    ----------
    table
        Rows with ``prob_<k>`` columns (at least two classes) and a label column.
    label_column
        The column of given classes (integers of the ``prob_<k>`` classes, 0 or empty: no label),
        used when ``given`` is None; named in messages either way.
    given
        The given class of every row, where the label column holds names (``"galaxy"``) that the
        caller mapped to classes (the task's ``label_map``); 0 means no label.
    n
        Keep at most this many flagged rows (None: all).
    name
        The table, for messages (its file).

    Returns
    -------
    astropy.table.Table
        The flagged rows, every input column kept, plus ``class_given``, ``class_suggested``,
        ``prob_given`` and ``check_rank`` (1 = the first to look at). Its meta ``check_labels``
        holds the thresholds, the rows scored and left out, and the flagged count per pair of
        given and suggested class (before ``n``).

    Raises
    ------
    StarclassError
        No label column or fewer than two ``prob_<k>`` columns; a given class that has no
        ``prob_<k>`` column (naming the row); a probability outside 0-1 (naming the cell).

    Examples
    --------
    Four rows labelled 1 (mean P(1) 0.65) and three labelled 2 (mean P(2) 0.667): the row labelled 1
    with P(2) = 0.8 and the row labelled 2 with P(1) = 0.7 are flagged, the less self-confident first:

    >>> t = Table({"id": [1, 2, 3, 4, 5, 6, 7], "class_ref": [1, 1, 1, 1, 2, 2, 2],
    ...            "prob_1": [0.9, 0.8, 0.7, 0.2, 0.1, 0.2, 0.7], "prob_2": [0.1, 0.2, 0.3, 0.8, 0.9, 0.8, 0.3]})
    >>> out = label_issues(t)
    >>> out["id", "class_given", "class_suggested", "prob_given", "check_rank"].pprint()
     id class_given class_suggested prob_given check_rank
    --- ----------- --------------- ---------- ----------
      4           1               2        0.2          1
      7           2               1        0.3          2
    """
    ks = prob_classes(table)
    if len(ks) < 2:
        raise StarclassError(f"{name}: needs out-of-fold probabilities prob_<k> of at least two classes (as "
                             "'train --cv' writes in cv_predictions.ecsv, or 'classify'), found "
                             f"{', '.join(prob_cols(ks)) or 'none'}")
    if given is None:
        if label_column not in table.colnames:
            raise StarclassError(f"{name}: no label column {label_column!r} (--label-column); columns: "
                                 f"{', '.join(table.colnames)}")
        labels = class_array(table, label_column)
    else:
        labels = np.asarray(given, dtype=np.int64)
        if labels.shape != (len(table),):
            raise StarclassError(f"{name}: {labels.size} given classes for {counted(len(table), 'row')}")
    unknown = np.flatnonzero((labels != 0) & ~np.isin(labels, ks))
    if unknown.size:
        i = int(unknown[0])
        raise StarclassError(f"{name} column {label_column!r}: row {i + 1} has class {int(labels[i])}, which has no "
                             f"probability column (the classes are {ks}: {', '.join(prob_cols(ks))}); "
                             f"{counted(unknown.size, 'row')} in all: {rows_named(unknown.tolist(), limit=5)}")
    probs = np.column_stack([np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan) for c in prob_cols(ks)])
    scored = np.all(np.isfinite(probs), axis=1)  # a row classify left unclassified (blank) has none
    from starclass.io.catalog import check_probability_range

    check_probability_range(probs, prob_cols(ks), rows=scored, where=f" of {name}")
    use = scored & (labels != 0)
    t = class_thresholds(probs[use], labels[use], ks)
    # NaN thresholds (a class nobody labelled) never admit a row; NaN >= x is False without a warning here
    with np.errstate(invalid="ignore"):
        above = probs >= (t - THRESHOLD_TOL)[None, :]
    above &= use[:, None]
    masked = np.where(above, probs, -np.inf)
    best = np.argmax(masked, axis=1)
    has = above.any(axis=1)
    col_of = {k: j for j, k in enumerate(ks)}
    given_col = np.array([col_of.get(int(c), 0) for c in labels])
    flagged = np.flatnonzero(has & (best != given_col))
    p_given = probs[np.arange(len(table)), given_col]
    p_best = probs[np.arange(len(table)), best]
    # lowest self-confidence first; among equals the more confident suggestion, then the table's order
    order = flagged[np.lexsort((flagged, -p_best[flagged], p_given[flagged]))]
    pairs: dict[str, int] = {}
    for r in order:
        key = f"{int(labels[r])}->{ks[int(best[r])]}"
        pairs[key] = pairs.get(key, 0) + 1
    kept = order if n is None else order[:max(int(n), 0)]
    out = Table(table[kept], copy=True)
    out[CLASS_GIVEN] = labels[kept].astype(np.int16)
    out[CLASS_SUGGESTED] = np.asarray([ks[int(b)] for b in best[kept]], dtype=np.int16)
    out[PROB_GIVEN] = p_given[kept].astype(np.float64)
    out[CHECK_RANK] = np.arange(1, kept.size + 1, dtype=np.int64)
    out.meta["check_labels"] = {
        "method": "confident learning (Northcutt, Jiang & Chuang 2021): confident joint off-diagonal, ranked by "
                  "self-confidence",
        "label_column": label_column,
        "thresholds": {str(k): (None if np.isnan(v) else float(v)) for k, v in zip(ks, t)},
        "n_rows": len(table),
        "n_scored": int(use.sum()),
        "n_unlabelled": int((scored & (labels == 0)).sum()),
        "n_no_probabilities": int((~scored).sum()),
        "n_flagged": int(order.size),
        "flagged_by_given": {str(k): int(np.sum(labels[order] == k)) for k in ks},
        "labelled_by_class": {str(k): int(np.sum(labels[use] == k)) for k in ks},
        "pairs": pairs,
    }
    return out
