"""Classification metrics against a reference: accuracy, confusion, per-class P/R/F1.

Classes are integers 1..K (0 = no class). The papers also score *merged* class sets:

==========  ===========================================  ==========================
name        merge                                         used by
==========  ===========================================  ==========================
``4class``  1 / 2 / 3 / 4                                 StarcNet, PHANGS
``12v34``   clusters (1+2) vs non-clusters (3+4)          StarcNet binary, M31
``123v4``   clusters and associations (1+2+3) vs 4        StarcNet section 5.2
``12_3_4``  1+2 / 3 / 4                                   PHANGS "C1+2" bin
==========  ===========================================  ==========================

The numbers come from :mod:`sklearn.metrics`; the wrappers here add the merges, the
row-normalised confusion matrix with counts, and masked values (with a reason) wherever a
metric is undefined, so no NaN is ever reported as a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from astropy.table import MaskedColumn, Table

from starclass import quiet_import
from starclass.errors import StarclassError
from starclass.schema import (
    class_array,  # noqa: F401  (moved to schema; old imports keep working)
    row_name,
)

#: Merges of the four classes: merged label -> tuple of original classes.
MERGES: dict[str, dict[str, tuple[int, ...]]] = {
    "4class": {"1": (1,), "2": (2,), "3": (3,), "4": (4,)},
    "12v34": {"1+2": (1, 2), "3+4": (3, 4)},
    "123v4": {"1+2+3": (1, 2, 3), "4": (4,)},
    "12_3_4": {"1+2": (1, 2), "3": (3,), "4": (4,)},
}

MERGE_TITLES: dict[str, str] = {
    "4class": "four classes",
    "12v34": "clusters (1+2) vs non-clusters (3+4)",
    "123v4": "clusters + associations (1+2+3) vs 4",
    "12_3_4": "1+2 / 3 / 4",
}


def check_classes(labels: np.ndarray, classes: tuple[int, ...], *, what: str) -> None:
    """Raise if any non-zero label is outside ``classes`` (naming the first bad row).

    Examples
    --------
    >>> check_classes(np.array([1, 0, 4]), (1, 2, 3, 4), what="labels.csv")
    >>> check_classes(np.array([1, 0, 5]), (1, 2, 3, 4), what="labels.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: labels.csv: class [5] (first at row 3) is outside the configured classes ...
    """
    labels = np.asarray(labels)
    bad = (labels != 0) & ~np.isin(labels, classes)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        vals = sorted(set(int(v) for v in labels[bad]))
        raise StarclassError(
            f"{what}: class {vals} (first at {row_name(row)}) is outside the configured classes "
            f"{list(classes)}"
        )


Groups = Mapping[str, tuple[int, ...]]


def merge_groups(merge: str, groups: Groups | None = None) -> Groups:
    """The groups of a merge: ``groups`` when given (any task), else the PHANGS :data:`MERGES` entry.

    Examples
    --------
    >>> merge_groups("12v34")
    {'1+2': (1, 2), '3+4': (3, 4)}
    >>> merge_groups("3class", {"1": (1,), "2": (2,), "3": (3,)})["3"]
    (3,)
    """
    if groups is not None:
        return groups
    if merge not in MERGES:
        raise StarclassError(f"unknown merge {merge!r}; known: {', '.join(MERGES)}")
    return MERGES[merge]


def merge_labels(labels: np.ndarray, merge: str, groups: Groups | None = None) -> np.ndarray:
    """Map classes to the 1-based index of their merged group (0 stays 0).

    Examples
    --------
    >>> merge_labels(np.array([1, 2, 3, 4, 0]), "12v34").tolist()
    [1, 1, 2, 2, 0]
    """
    labels = np.asarray(labels, dtype=int)
    out = np.zeros_like(labels)
    for k, members in enumerate(merge_groups(merge, groups).values(), start=1):
        out[np.isin(labels, members)] = k
    return out


def merged_names(merge: str, groups: Groups | None = None) -> list[str]:
    """Labels of the groups of a merge, in order.

    Examples
    --------
    >>> merged_names("12v34"), merged_names("3class", {"1": (1,), "2": (2,), "3": (3,)})
    (['1+2', '3+4'], ['1', '2', '3'])
    """
    return list(merge_groups(merge, groups).keys())


def _paired(ref: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ref = np.asarray(ref, dtype=int)
    pred = np.asarray(pred, dtype=int)
    if ref.shape != pred.shape:
        raise StarclassError(f"reference ({ref.shape}) and prediction ({pred.shape}) differ in length")
    ok = (ref > 0) & (pred > 0)
    if not ok.any():
        raise StarclassError("no object has both a reference class and a predicted class")
    return ref[ok], pred[ok]


def confusion(ref: np.ndarray, pred: np.ndarray, labels: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Confusion counts (rows = reference, columns = prediction) and row-normalised fractions.

    Rows of classes absent from the reference are all zero in both (never NaN).

    Examples
    --------
    >>> counts, fractions = confusion(np.array([1, 1, 2, 3]), np.array([1, 2, 2, 3]), [1, 2, 3])
    >>> counts.tolist(), fractions[0].tolist()
    ([[1, 1, 0], [0, 1, 0], [0, 0, 1]], [0.5, 0.5, 0.0])
    """
    # sklearn.metrics adds 1.5-1.8 s (measured) to `import starclass.evaluate`
    with quiet_import():
        from sklearn.metrics import confusion_matrix

    counts = confusion_matrix(ref, pred, labels=labels)
    rows = counts.sum(axis=1, keepdims=True)
    frac = np.divide(counts, rows, out=np.zeros(counts.shape, float), where=rows > 0)
    return counts, frac


def _masked(values: list[float | None]) -> MaskedColumn:
    arr = np.array([0.0 if v is None else v for v in values], dtype=float)
    return MaskedColumn(arr, mask=[v is None for v in values])


#: Per-class table (``tables/per_class_*.ecsv``; an evaluation table, not a candidate column of
#: :mod:`starclass.schema`): the balanced accuracy of "class k or not"
#: (scikit-learn's ``balanced_accuracy_score`` of the one-vs-rest problem: the mean of recall and
#: specificity). Named ``balanced_accuracy`` until 2026-12-05, the name of the summary table's
#: balanced accuracy of all classes (the mean recall), another figure.
OVR_BALANCED_ACCURACY = "one_vs_rest_balanced_accuracy"
#: Per-class table: the accuracy of "class k or not", ``(TP + TN) / N`` (Kosiba et al.'s "A").
#: Named ``accuracy_vs_rest`` until 2026-12-05, printed "accuracy vs rest", the tail of the other's
#: "balanced accuracy vs rest" on the same line.
OVR_ACCURACY = "one_vs_rest_accuracy"
#: Former names of per-class columns, as tables written before 2026-12-05 hold them.
FORMER_PER_CLASS_COLUMNS = {"balanced_accuracy": OVR_BALANCED_ACCURACY, "accuracy_vs_rest": OVR_ACCURACY}


def per_class_current_names(table: Table) -> Table:
    """A per-class table (``tables/per_class_*.ecsv``) with its former column names read as today's.

    Tables written before 2026-12-05 name the one-vs-rest balanced accuracy ``balanced_accuracy``
    and the one-vs-rest accuracy ``accuracy_vs_rest`` (:data:`FORMER_PER_CLASS_COLUMNS`), with
    their ``_lo`` / ``_hi`` interval columns where there are; they are renamed in a copy.

    Parameters
    ----------
    table : astropy.table.Table
        A per-class table, old or new (a new one is returned unchanged, as a copy).

    Returns
    -------
    astropy.table.Table

    Examples
    --------
    >>> from astropy.table import Table
    >>> old = Table({"class": ["1"], "recall": [0.8], "balanced_accuracy": [0.85], "accuracy_vs_rest": [0.9]})
    >>> per_class_current_names(old).colnames
    ['class', 'recall', 'one_vs_rest_balanced_accuracy', 'one_vs_rest_accuracy']
    """
    out = table.copy(copy_data=False)
    for old, new in FORMER_PER_CLASS_COLUMNS.items():
        for tail in ("", "_lo", "_hi"):
            if old + tail in out.colnames and new + tail not in out.colnames:
                out.rename_column(old + tail, new + tail)
    return out


def per_class_table(ref: np.ndarray, pred: np.ndarray, labels: list[int], names: list[str] | None = None) -> Table:
    """Precision (purity), recall (completeness), F1, one-vs-rest balanced and plain accuracy, and support.

    Precision is masked where nothing was predicted in that class, recall where the class is
    absent from the reference. F1 is scikit-learn's ``2 TP / (2 TP + FP + FN)``: 0 for a class
    that is never predicted right, masked only where the class is neither in the reference
    nor predicted. The one-vs-rest
    balanced accuracy of class k (:data:`OVR_BALANCED_ACCURACY`) is the mean of
    its recall and its specificity (the recall of "not k"), masked where either is undefined: not
    the summary's balanced accuracy of all classes (their mean recall), which had the same column
    name until 2026-12-05. The one-vs-rest accuracy of class k (:data:`OVR_ACCURACY`)
    is the share of rows whose "k or not k" is right, ``(TP + TN) / N``: the "A" of Kosiba et al.'s
    multiclass table (seed 004: each class scored one versus all), which the balanced accuracy does
    not give. Tables written before then: :func:`per_class_current_names`.

    Examples
    --------
    >>> t = per_class_table(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), [1, 2])
    >>> [round(float(v), 3) for v in t["f1"]], [float(v) for v in t["one_vs_rest_balanced_accuracy"]]
    ([0.667, 0.8], [0.75, 0.75])
    >>> t3 = per_class_table(np.array([1, 2, 3, 3]), np.array([1, 3, 3, 3]), [1, 2, 3])
    >>> [float(v) for v in t3["one_vs_rest_accuracy"]]
    [1.0, 0.75, 0.75]
    """
    names = names or [str(k) for k in labels]
    ref, pred = np.asarray(ref), np.asarray(pred)
    prec, rec, f1, bal, acc = [], [], [], [], []
    support, npred = [], []
    for k in labels:
        tp = int(np.sum((ref == k) & (pred == k)))
        n_ref = int(np.sum(ref == k))
        n_pred = int(np.sum(pred == k))
        n_neg = int(np.sum(ref != k))
        tn = int(np.sum((ref != k) & (pred != k)))
        p = tp / n_pred if n_pred else None
        r = tp / n_ref if n_ref else None
        # scikit-learn's F1, 2 TP / (2 TP + FP + FN): 0 for a class never predicted right
        # (it was masked when precision and recall were both 0 or one undefined, which hid a
        # class the model always misses); undefined only when the class is in neither
        f = 2 * tp / (2 * tp + (n_pred - tp) + (n_ref - tp)) if n_pred + n_ref else None
        prec.append(p)
        rec.append(r)
        f1.append(f)
        bal.append(0.5 * (r + tn / n_neg) if (r is not None and n_neg) else None)
        acc.append((tp + tn) / len(ref) if len(ref) else None)
        support.append(n_ref)
        npred.append(n_pred)
    t = Table()
    t["class"] = names
    t["n_ref"] = support
    t["n_pred"] = npred
    t["precision"] = _masked(prec)
    t["recall"] = _masked(rec)
    t["f1"] = _masked(f1)
    t[OVR_BALANCED_ACCURACY] = _masked(bal)
    t[OVR_BALANCED_ACCURACY].description = "balanced accuracy of 'class k or not': (recall + specificity) / 2"
    t[OVR_ACCURACY] = _masked(acc)
    t[OVR_ACCURACY].description = "accuracy of 'class k or not': (TP + TN) / N"
    for c in ("precision", "recall", "f1", OVR_BALANCED_ACCURACY, OVR_ACCURACY):
        t[c].format = ".3f"
    t.meta["note"] = "precision masked: no prediction in that class; recall masked: class absent from reference"
    return t


@dataclass
class MergeResult:
    """Metrics of one merge (see :data:`MERGES`).

    Made by :func:`classification_summary`.

    Examples
    --------
    >>> r = classification_summary(np.array([1, 2, 3, 4]), np.array([1, 2, 4, 4]))
    >>> r.names, r.n, r.accuracy, r.counts[2].tolist()
    (['1', '2', '3', '4'], 4, 0.75, [0, 0, 0, 1])
    >>> r.confusion_table()["frac_pred_4"].tolist()
    [0.0, 0.0, 1.0, 1.0]
    """

    merge: str
    names: list[str]
    n: int
    accuracy: float
    balanced_accuracy: float
    counts: np.ndarray
    fractions: np.ndarray
    per_class: Table

    def confusion_table(self) -> Table:
        """Confusion matrix as a Table: counts and row fractions, rows = reference.

        Examples
        --------
        >>> r = classification_summary(np.array([1, 2, 2]), np.array([1, 1, 2]), "12v34")
        >>> t = r.confusion_table()
        >>> t.colnames, t["n_pred_1+2"].tolist()
        (['reference', 'n_pred_1+2', 'n_pred_3+4', 'frac_pred_1+2', 'frac_pred_3+4'], [3, 0])
        """
        t = Table()
        t["reference"] = self.names
        for j, nm in enumerate(self.names):
            t[f"n_pred_{nm}"] = self.counts[:, j]
        for j, nm in enumerate(self.names):
            t[f"frac_pred_{nm}"] = self.fractions[:, j]
            t[f"frac_pred_{nm}"].format = ".3f"
        return t


def classification_summary(ref: np.ndarray, pred: np.ndarray, merge: str = "4class",
                           groups: Groups | None = None) -> MergeResult:
    """Accuracy, balanced accuracy, confusion and per-class table for one merge.

    Objects with class 0 on either side are left out. Balanced accuracy is the mean recall
    over the classes present in the reference (scikit-learn's ``balanced_accuracy_score``).
    ``groups`` defines the merge for any task (default: the PHANGS :data:`MERGES` entry).

    Examples
    --------
    >>> r = classification_summary(np.array([1, 2, 2, 1]), np.array([1, 2, 1, 1]), "2class",
    ...                            {"1": (1,), "2": (2,)})
    >>> r.accuracy, r.balanced_accuracy
    (0.75, 0.75)
    """
    ref, pred = _paired(ref, pred)
    r = merge_labels(ref, merge, groups)
    p = merge_labels(pred, merge, groups)
    names = merged_names(merge, groups)
    labels = list(range(1, len(names) + 1))
    counts, frac = confusion(r, p, labels)
    present = counts.sum(axis=1) > 0
    acc = float(np.trace(counts) / counts.sum())
    bal = float(np.mean(np.diag(frac)[present]))
    return MergeResult(merge, names, int(counts.sum()), acc, bal, counts, frac, per_class_table(r, p, labels, names))


def summary_table(results: list[MergeResult], cis: dict[str, dict[str, tuple[float, float]]] | None = None,
                  titles: Mapping[str, str] | None = None) -> Table:
    """One row per merge: n, accuracy, balanced accuracy (with bootstrap CIs when given).

    ``titles`` describes each merge (default: :data:`MERGE_TITLES`, the PHANGS merges).

    Examples
    --------
    >>> ref, pred = np.array([1, 2, 3, 4]), np.array([1, 2, 4, 4])
    >>> t = summary_table([classification_summary(ref, pred), classification_summary(ref, pred, "12v34")])
    >>> t["merge"].tolist(), t["accuracy"].tolist()
    (['4class', '12v34'], [0.75, 1.0])
    >>> t = summary_table([classification_summary(ref, pred)], {"4class": {"accuracy": (0.5, 1.0),
    ...                   "balanced_accuracy": (0.4, 1.0)}})
    >>> float(t["accuracy_lo"][0]), float(t["balanced_accuracy_hi"][0])
    (0.5, 1.0)
    """
    titles = titles if titles is not None else MERGE_TITLES
    t = Table()
    t["merge"] = [r.merge for r in results]
    t["description"] = [titles.get(r.merge, r.merge) for r in results]
    t["n"] = [r.n for r in results]
    t["accuracy"] = [r.accuracy for r in results]
    t["balanced_accuracy"] = [r.balanced_accuracy for r in results]
    if cis:
        for key in ("accuracy", "balanced_accuracy"):
            t[f"{key}_lo"] = [cis[r.merge][key][0] for r in results]
            t[f"{key}_hi"] = [cis[r.merge][key][1] for r in results]
    for c in t.colnames[3:]:
        t[c].format = ".3f"
    return t


def accuracy_scores(ref: np.ndarray, pred: np.ndarray, merge: str = "4class",
                    groups: Groups | None = None) -> tuple[float, float]:
    """(accuracy, balanced accuracy) with numpy only: the fast path used by the bootstrap.

    Same definitions as :func:`classification_summary`; raises when no pair is classified.

    Examples
    --------
    >>> accuracy_scores(np.array([1, 3, 4]), np.array([2, 4, 4]), "12v34")
    (1.0, 1.0)
    """
    ref, pred = _paired(ref, pred)
    r = merge_labels(ref, merge, groups)
    p = merge_labels(pred, merge, groups)
    k = len(merge_groups(merge, groups)) + 1
    counts = np.bincount(r * k + p, minlength=k * k).reshape(k, k)[1:, 1:]
    rows = counts.sum(axis=1)
    present = rows > 0
    acc = float(np.trace(counts) / counts.sum())
    bal = float(np.mean(np.diag(counts)[present] / rows[present]))
    return acc, bal
