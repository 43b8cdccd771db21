"""Metrics per group of rows: where a classifier fails (``starclass evaluate --by COLUMN``).

An overall accuracy hides where the errors are. Split by a column of the catalogue (the
source catalogue of each label, the survey field, a magnitude), the same figures show which
kind of object or which part of the sky a model gets wrong: on the real PAndAS cutouts, most
of the misclassified galaxies lie in the one field on M31's disc (docs/real_images.md).

A column with few distinct values is used as it is; a numeric column with many is cut at its
quantiles into ``n_bins`` bins. Missing cells (masked, NaN, empty strings) form a group of
their own, ``(missing)``, so that no row is silently dropped.
"""

from __future__ import annotations

import re

import numpy as np
from astropy.stats import binom_conf_interval
from astropy.table import MaskedColumn, Table
from sklearn.metrics import roc_auc_score

from starclass.errors import StarclassError

#: A number at the start of a group label (a value, or a bin's lower edge after its "[")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?=[,\s]|$)")

#: The label of the rows whose group value is missing (masked, NaN or empty).
MISSING = "(missing)"

#: The label of the row that pools every group.
ALL = "(all)"

#: The start of the label of the row that pools the groups smaller than ``min_rows``.
OTHER = "(other"


def group_labels(values, *, max_groups: int = 12, n_bins: int = 5) -> tuple[np.ndarray, str | None]:
    """One string label per row: the value itself, or its quantile bin for a many-valued number.

    Parameters
    ----------
    values
        The column (any array-like; a masked column's masked cells count as missing).
    max_groups
        A numeric column with more distinct values than this is binned.
    n_bins
        Quantile bins of a binned column (fewer when values repeat).

    Returns
    -------
    labels : ndarray of str
        The group of each row; :data:`MISSING` where the value is missing.
    note : str or None
        How the column was binned, when it was.

    Examples
    --------
    >>> group_labels(["a", "b", "a", ""])[0].tolist()
    ['a', 'b', 'a', '(missing)']
    >>> labels, note = group_labels(np.arange(100.0), n_bins=4)
    >>> sorted(set(labels.tolist())), note
    (['[0, 24.8)', '[24.8, 49.5)', '[49.5, 74.2)', '[74.2, 99]'], 'binned at the quantiles into 4 bins')
    """
    mask = np.ma.getmaskarray(values) if isinstance(values, (np.ma.MaskedArray, MaskedColumn)) else None
    arr = np.asarray(np.ma.getdata(values))
    n = arr.shape[0]
    missing = np.zeros(n, dtype=bool) if mask is None else mask.copy()
    if arr.dtype.kind in "fiub":
        num = arr.astype(float)
        missing |= ~np.isfinite(num)
        ok = ~missing
        distinct = np.unique(num[ok])
        if distinct.size > max_groups:
            edges = np.unique(np.quantile(num[ok], np.linspace(0, 1, n_bins + 1)))
            # every bin closed on the left, the last one on the right too: the maximum is in it
            idx = np.clip(np.searchsorted(edges, num, side="right") - 1, 0, edges.size - 2)
            names = [f"[{edges[i]:.3g}, {edges[i + 1]:.3g}" + ("]" if i == edges.size - 2 else ")")
                     for i in range(edges.size - 1)]
            labels = np.array([names[i] for i in idx], dtype=object)
            labels[missing] = MISSING
            return labels.astype(str), f"binned at the quantiles into {edges.size - 1} bins"
        # whole numbers print without a decimal point (a field number 3.0 is field 3)
        text = [f"{v:g}" for v in num]
    else:
        text = [str(v).strip() for v in arr]
        missing |= np.array([t == "" or t.lower() in ("nan", "--") for t in text], dtype=bool)
    labels = np.array(text, dtype=object)
    labels[missing] = MISSING
    return labels.astype(str), None


def _ordered(labels: np.ndarray) -> list[str]:
    """Groups in a stable order: quantile bins by their lower edge, others by name; pooled, missing last."""
    names = [g for g in dict.fromkeys(labels.tolist()) if g != MISSING and not g.startswith(OTHER)]

    def key(g: str):
        # a bin "[a, b)" sorts by a, a number by itself, any other name after them by name
        m = _NUMBER.match(g[1:] if g.startswith("[") else g)
        return (0, float(m.group()), g) if m else (1, 0.0, g)

    names.sort(key=key)
    pooled = sorted({g for g in labels.tolist() if g.startswith(OTHER)})
    return names + pooled + ([MISSING] if MISSING in labels else [])


def metrics_by_group(ref: np.ndarray, pred: np.ndarray, groups, classes, *, score: np.ndarray | None = None,
                     positive: int | None = None, max_groups: int = 12, n_bins: int = 5,
                     min_rows: int = 1, confidence: float = 0.95) -> tuple[Table, str | None]:
    """Accuracy (with a Wilson interval), errors and recall per class, per group of rows.

    Parameters
    ----------
    ref, pred
        Reference and predicted class of each row (the task's class numbers).
    groups
        The group column, one value per row (see :func:`group_labels`).
    classes
        The task's classes, in order (a ``recall_<k>`` column each).
    score
        Optional score of the positive class per row: adds ``roc_auc`` (NaN in a group that
        holds one class only, or a single row).
    positive
        The positive class that ``score`` scores (required with ``score``).
    max_groups, n_bins
        As :func:`group_labels`.
    min_rows
        Groups with fewer rows are pooled into one row, ``(other: K groups of < min_rows)``
        (a handful of rows gives an interval too wide to say anything; a survey field list
        has dozens of such groups). :data:`MISSING` is never pooled.
    confidence
        Level of the accuracy interval (Wilson score interval,
        :func:`astropy.stats.binom_conf_interval`).

    Returns
    -------
    table : Table
        One row per group, then :data:`ALL`: ``group``, ``n``, ``n_ref_<k>`` (rows of each
        reference class), ``errors``, ``accuracy``, ``accuracy_lo``, ``accuracy_hi``,
        ``recall_<k>`` (NaN where the group has none of class k), and ``roc_auc`` with a score.
    note : str or None
        How the column was binned, when it was.

    Raises
    ------
    StarclassError
        Arrays of different lengths, or ``score`` without ``positive``.

    Examples
    --------
    >>> t, _ = metrics_by_group(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), ["a", "a", "b", "b"], (1, 2))
    >>> t["group", "n", "errors", "accuracy", "recall_1"].pprint()
    group  n  errors accuracy recall_1
    ----- --- ------ -------- --------
        a   2      1    0.500    0.500
        b   2      0    1.000      nan
    (all)   4      1    0.750    0.500
    """
    ref = np.asarray(ref).astype(int)
    pred = np.asarray(pred).astype(int)
    n = ref.size
    if pred.size != n or len(groups) != n or (score is not None and np.asarray(score).size != n):
        scores = "" if score is None else f", {np.asarray(score).size} scores"
        raise StarclassError(f"metrics_by_group: {n} reference classes, {pred.size} predictions, "
                             f"{len(groups)} group values{scores}: they must be one per row")
    if score is not None and positive is None:
        raise StarclassError("metrics_by_group: a score needs the positive class it scores")
    labels, note = group_labels(groups, max_groups=max_groups, n_bins=n_bins)
    names, counts = np.unique(labels, return_counts=True)
    small = [g for g, c in zip(names, counts) if c < min_rows and g != MISSING]
    if len(small) > 1:
        other = f"{OTHER}: {len(small)} groups of < {min_rows})"
        labels = np.where(np.isin(labels, small), other, labels)
    classes = tuple(int(k) for k in classes)
    rows = []
    for g in [*_ordered(labels), ALL]:
        sel = np.ones(n, dtype=bool) if g == ALL else labels == g
        r, p = ref[sel], pred[sel]
        m = int(sel.sum())
        right = int((r == p).sum())
        lo, hi = binom_conf_interval(right, m, confidence_level=confidence, interval="wilson")
        row = {"group": g, "n": m}
        row.update({f"n_ref_{k}": int((r == k).sum()) for k in classes})
        row.update({"errors": m - right, "accuracy": right / m, "accuracy_lo": float(lo), "accuracy_hi": float(hi)})
        for k in classes:
            nk = int((r == k).sum())
            row[f"recall_{k}"] = float(((r == k) & (p == k)).sum() / nk) if nk else np.nan
        if score is not None:
            s = np.asarray(score, float)[sel]
            y = r == int(positive)
            ok = np.isfinite(s)
            row["roc_auc"] = (float(roc_auc_score(y[ok], s[ok])) if 0 < y[ok].sum() < ok.sum() else np.nan)
        rows.append(row)
    t = Table(rows=rows, names=list(rows[0]))
    for c in t.colnames:
        if c.startswith(("accuracy", "recall_", "roc_auc")):
            t[c].format = ".3f"
    return t, note
