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

from starclass.errors import StarclassError, counted

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
                     min_rows: int = 1, confidence: float = 0.95, objects: np.ndarray | None = None,
                     n_boot: int = 200, object_column: str | None = None) -> tuple[Table, str | None]:
    """Accuracy (with its interval), errors and recall per class, per group of rows.

    The accuracy interval is Wilson's where every row is an object of its own; where ``objects``
    names each row's object (several cutouts of one object are not independent, and Wilson's
    interval, which counts each as a trial, is then too narrow) it is the bootstrap's, resampling
    whole objects (:func:`starclass.evaluate.bootstrap.bootstrap_figures`, seed 0: the draws of
    ``evaluate``'s other intervals) and scoring every group's accuracy on each resample. The
    table's meta ``interval_note`` says which.

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
        :func:`astropy.stats.binom_conf_interval`, or the bootstrap's with ``objects``).
    objects
        The object of each row (``object_id``), or None (every row its own object: Wilson).
    n_boot
        Bootstrap resamples with ``objects`` (0: no interval, NaN).
    object_column
        The column ``objects`` came from, for the note.

    Returns
    -------
    table : Table
        One row per group, then :data:`ALL`: ``group``, ``n``, ``n_ref_<k>`` (rows of each
        reference class), ``errors``, ``accuracy``, ``accuracy_lo``, ``accuracy_hi``,
        ``recall_<k>`` (NaN where the group has none of class k), and ``roc_auc`` with a score.
        ``accuracy_lo``, ``accuracy_hi`` are NaN where the bootstrap gives no interval (a group
        in too few resamples). ``meta["interval_note"]`` says which interval it is.
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

    Three cutouts of each of four objects: the interval resamples the objects, each drawn with
    its three cutouts, and is wider than Wilson's over twelve rows:

    >>> ref, pred = np.repeat([1, 2, 1, 2], 3), np.repeat([1, 2, 2, 2], 3)
    >>> wilson, _ = metrics_by_group(ref, pred, ["a"] * 12, (1, 2))
    >>> boot, _ = metrics_by_group(ref, pred, ["a"] * 12, (1, 2), objects=np.repeat(["o1", "o2", "o3", "o4"], 3),
    ...                            object_column="object_id")
    >>> [round(float(wilson[c][0]), 3) for c in ("accuracy_lo", "accuracy_hi")], boot.meta["interval_note"]
    ([0.468, 0.911], '95% bootstrap interval, 200 resamples of the 4 objects (object_id) drawn whole')
    >>> [round(float(boot[c][0]), 3) for c in ("accuracy_lo", "accuracy_hi")]
    [0.25, 1.0]
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
    if objects is not None and len(objects) != n:
        raise StarclassError(f"metrics_by_group: {len(objects)} objects for {n} rows: one per row")
    labels, note = group_labels(groups, max_groups=max_groups, n_bins=n_bins)
    names, counts = np.unique(labels, return_counts=True)
    small = [g for g, c in zip(names, counts) if c < min_rows and g != MISSING]
    if len(small) > 1:
        other = f"{OTHER}: {len(small)} groups of < {min_rows})"
        labels = np.where(np.isin(labels, small), other, labels)
    classes = tuple(int(k) for k in classes)
    rows = []
    order = [*_ordered(labels), ALL]
    boot, interval_note = (_object_intervals(ref, pred, labels, order, objects, n_boot, confidence, object_column)
                           if objects is not None else (None, f"{confidence:.0%} Wilson interval"))
    for j, g in enumerate(order):
        sel = np.ones(n, dtype=bool) if g == ALL else labels == g
        r, p = ref[sel], pred[sel]
        m = int(sel.sum())
        right = int((r == p).sum())
        lo, hi = (binom_conf_interval(right, m, confidence_level=confidence, interval="wilson") if boot is None
                  else boot[j])
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
    t.meta["interval_note"] = interval_note
    return t, note


def _object_intervals(ref: np.ndarray, pred: np.ndarray, labels: np.ndarray, order: list[str], objects: np.ndarray,
                      n_boot: int, confidence: float,
                      column: str | None) -> tuple[list[tuple[float, float]], str]:
    """Each group's accuracy interval from resamples of whole objects (the last group, :data:`ALL`, every row).

    One set of resamples scores every group (a weighted count per group), as evaluate's other
    intervals are scored; a group no resample draws often enough gets NaN.
    """
    from starclass.evaluate.bootstrap import bootstrap_figures

    n_obj = int(np.unique(np.asarray(objects).astype(str)).size)
    named = f" ({column})" if column else ""
    nan = [(np.nan, np.nan)] * len(order)
    if n_boot <= 0:
        return nan, (f"no interval: rows of one object are not independent, and 0 bootstrap resamples "
                     f"(--bootstrap 0) draw none of the {counted(n_obj, 'object')}{named}")
    index = {g: j for j, g in enumerate(order[:-1])}
    gidx = np.array([index[g] for g in labels], dtype=np.int64)
    right = (ref == pred).astype(np.float64)
    k = len(order) - 1

    def stat(w: np.ndarray) -> np.ndarray:
        tot = np.bincount(gidx, weights=w, minlength=k)
        ok = np.bincount(gidx, weights=w * right, minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            acc = np.where(tot > 0, ok / tot, np.nan)
        return np.append(acc, ok.sum() / tot.sum())

    try:
        lo, hi, _ = bootstrap_figures(stat, ref.size, n_boot=n_boot, level=confidence, groups=objects)
    except StarclassError as exc:
        # "bootstrap_ci: need at least 2 objects": the function's name is no part of what the user is told (as
        # compare's no_intervals_note words it)
        return nan, f"no interval: {str(exc).removeprefix('bootstrap_ci: ')}"
    return ([(float(a), float(b)) for a, b in zip(lo, hi)],
            f"{confidence:.0%} bootstrap interval, {n_boot} resamples of the {counted(n_obj, 'object')}{named} drawn "
            "whole")
