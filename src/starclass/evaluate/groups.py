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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from astropy.stats import binom_conf_interval
from astropy.table import MaskedColumn, Table
from numpy.typing import ArrayLike

from starclass import quiet_import
from starclass.errors import StarclassError, counted
from starclass.evaluate.bootstrap import auc_of_weights, bootstrap_figures

with quiet_import():
    from sklearn.metrics import roc_auc_score

#: A number at the start of a group label (a value, or a bin's lower edge after its "[")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?=[,\s]|$)")

#: The label of the rows whose group value is missing (masked, NaN or empty).
MISSING = "(missing)"

#: The label of the row that pools every group.
ALL = "(all)"

#: The start of the label of the row that pools the groups smaller than ``min_rows``.
OTHER = "(other"


def group_labels(values: ArrayLike, *, max_groups: int = 12, n_bins: int = 5) -> tuple[np.ndarray, str | None]:
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
            labels = np.array(names, dtype=object)[idx]
            labels[missing] = MISSING
            return labels.astype(str), f"binned at the quantiles into {edges.size - 1} bins"
        # whole numbers print without a decimal point (a field number 3.0 is field 3); each distinct
        # value formatted once (a loop over the rows cost more than the rest of the table on 10^5 rows)
        distinct, inverse = np.unique(num, return_inverse=True)
        text = np.array([f"{v:g}" for v in distinct.tolist()], dtype=object)[inverse.ravel()]
    else:
        try:
            distinct, inverse = np.unique(arr, return_inverse=True)
        except TypeError:  # values of several types that do not sort: each row on its own
            distinct, inverse = arr, np.arange(n)
        words = [str(v).strip() for v in distinct.tolist()]
        text = np.array(words, dtype=object)[inverse.ravel()]
        missing |= np.array([t == "" or t.lower() in ("nan", "--") for t in words], dtype=bool)[inverse.ravel()]
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



@dataclass
class GroupFigures:
    """Every figure of a ``--by`` table that gets a bootstrap interval, as a function of row weights.

    Made by :func:`group_table`; given to :func:`starclass.evaluate.bootstrap.bootstrap_figures`
    (alone, or among every other figure ``evaluate`` scores on the same resamples) and then to
    :meth:`fill`. The figures, for the table's rows (each group, then :data:`ALL`): the accuracy,
    the recall of each class, and the ROC AUC of the positive class where the table has one. A
    figure undefined on a resample (a group or a class drawn zero times; no positive or no
    negative for the ROC AUC) is NaN there.

    Examples
    --------
    >>> t, _, figs = group_table(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), ["a", "a", "b", "b"], (1, 2))
    >>> figs.size, figs(np.ones(4)).tolist()  # accuracy a, b, (all); recall 1, 2 of a, b, (all)
    (9, [0.5, 1.0, 0.75, 0.5, nan, nan, 1.0, 0.5, 1.0])
    """

    #: each row's group, 0..G-1 (the table's rows in order; the last table row, :data:`ALL`, pools them)
    gidx: np.ndarray
    #: G, the number of groups
    n_groups: int
    #: 1.0 where the row's prediction is its reference class
    right: np.ndarray
    #: each row's reference class as an index into ``classes`` (-1: none of them)
    cls: np.ndarray
    classes: tuple[int, ...]
    #: the ROC AUC of every table row (groups, then :data:`ALL`) as a function of the row weights
    #: (:func:`starclass.evaluate.bootstrap.auc_of_weights` per row); None where the table has no ``roc_auc``
    aucs: Callable[[np.ndarray], np.ndarray] | None = None

    def __post_init__(self) -> None:
        k = len(self.classes)
        # (group, class) of each row; a class outside the task (-1) in the group's last column, k
        self._code2 = self.gidx * (k + 1) + np.where(self.cls >= 0, self.cls, k)

    def _buffer(self, w: np.ndarray) -> np.ndarray:
        """A work array of ``w``'s shape kept from one call to the next (a fresh one per resample costs page faults)."""
        buf = getattr(self, "_work", None)
        if buf is None or buf.shape != w.shape:
            buf = self._work = np.empty(w.shape)
        return buf

    @property
    def size(self) -> int:
        """How many figures :meth:`__call__` returns.

        Examples
        --------
        >>> _, _, figs = group_table(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), ["a", "a", "b", "b"], (1, 2))
        >>> figs.size, len(figs(np.ones(4)))  # (2 groups + all) x (accuracy + 2 recalls)
        (9, 9)
        """
        rows = self.n_groups + 1
        return rows * (1 + len(self.classes)) + (rows if self.aucs is not None else 0)

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The figures on a resample of row weights ``w``: accuracies, recalls (row by row), ROC AUCs."""
        g, k = self.n_groups, len(self.classes)
        # rows and right rows per (group, class), a last column for a class outside the task: two
        # bincounts instead of four. Weights are draw counts, so every sum is a whole number, exact in
        # any order: the figures are those of per-group sums to the last bit
        both = np.bincount(self._code2, weights=w, minlength=g * (k + 1)).reshape(g, k + 1)
        hits = np.bincount(self._code2, weights=np.multiply(w, self.right, out=self._buffer(w)),
                           minlength=g * (k + 1)).reshape(g, k + 1)
        tot, ok = both.sum(axis=1), hits.sum(axis=1)
        # the pooled row (ALL) adds the groups up
        n_k, hit = both[:, :k], hits[:, :k]
        n_k, hit = np.vstack([n_k, n_k.sum(axis=0)]), np.vstack([hit, hit.sum(axis=0)])
        with np.errstate(invalid="ignore", divide="ignore"):
            acc = np.append(np.where(tot > 0, ok / tot, np.nan), ok.sum() / tot.sum())
            rec = np.where(n_k > 0, hit / n_k, np.nan)
        auc = self.aucs(w) if self.aucs is not None else np.zeros(0)
        return np.concatenate([acc, rec.ravel(), auc])

    def object_counts(self, objects: np.ndarray | None = None) -> np.ndarray:
        """The objects behind each accuracy and recall (groups, then :data:`ALL`; the recalls row by row).

        Distinct ``objects`` among the rows a figure is scored on (every row one object where None):
        the trials of the Wilson interval that replaces a bootstrap interval of zero width.

        Examples
        --------
        >>> t, _, figs = group_table(np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2]), ["a", "a", "b", "b"], (1, 2))
        >>> figs.object_counts(np.array(["o1", "o1", "o2", "o3"])).tolist()  # accuracy a, b, all; recalls
        [1, 2, 3, 1, 0, 0, 2, 1, 2]
        """
        rows, k = self.n_groups + 1, len(self.classes)
        if objects is None:
            # every row an object of its own: the objects are the rows, counted without sorting them
            both = np.bincount(self._code2, minlength=self.n_groups * (k + 1)).reshape(self.n_groups, k + 1)
            per_class = np.vstack([both[:, :k], both[:, :k].sum(axis=0)])
            return np.concatenate([both.sum(axis=1), [both.sum()], per_class.ravel()]).astype(np.int64)
        codes = np.unique(np.asarray(objects).astype(str), return_inverse=True)[1].ravel()
        out = np.zeros(rows * (1 + k), dtype=np.int64)
        for r in range(rows):
            sel = np.ones(len(codes), dtype=bool) if r == self.n_groups else self.gidx == r
            out[r] = np.unique(codes[sel]).size
            for j in range(k):
                out[rows + r * k + j] = np.unique(codes[sel & (self.cls == j)]).size
        return out

    def fill(self, table: Table, lo: np.ndarray | None, hi: np.ndarray | None, *, accuracy: bool,
             objects: np.ndarray | None = None, confidence: float = 0.95) -> set[str]:
        """Write the intervals (``lo``, ``hi`` per figure; None: none) into ``table``.

        ``recall_<k>_lo``, ``recall_<k>_hi`` after each ``recall_<k>`` and ``roc_auc_lo``, ``roc_auc_hi``
        after ``roc_auc``; ``accuracy_lo``, ``accuracy_hi`` replaced where ``accuracy`` (the bootstrap's
        over whole objects instead of Wilson's). NaN where there is no interval: the figure is
        undefined on the data, or on too few resamples. A bootstrap interval of zero width (the
        figure the same on every resample: ``recall 1.000 [1.000, 1.000]`` on two objects) is
        replaced (:func:`starclass.evaluate.bootstrap.settle_zero_width`): by the Wilson interval on
        the objects behind an accuracy or recall (``objects``, each row's object; None: the rows),
        by none (NaN) for the ROC AUC. Returns the columns so replaced (``accuracy``,
        ``recall_<k>``, ``roc_auc``), for :func:`set_interval_notes`.
        """
        from starclass.evaluate.bootstrap import settle_zero_width

        rows, k = self.n_groups + 1, len(self.classes)
        settled: set[str] = set()
        if lo is None or hi is None:
            lo = hi = np.full(self.size, np.nan)
        else:
            # the table's figures in the order of lo, hi: accuracies, recalls row by row, ROC AUCs
            values = [np.asarray(table["accuracy"], dtype=float),
                      np.column_stack([np.asarray(table[f"recall_{c}"], dtype=float) for c in self.classes]).ravel()]
            n_prop = rows * (1 + k)
            plo, phi, rep = settle_zero_width(np.concatenate(values), lo[:n_prop], hi[:n_prop],
                                              objects=self.object_counts(objects), level=confidence)
            if not accuracy:
                # the accuracy's interval is Wilson's already (every row its own object): untouched
                plo[:rows], phi[:rows], rep[:rows] = lo[:rows], hi[:rows], False
            settled |= {"accuracy"} if rep[:rows].any() else set()
            settled |= {"recall_<k>"} if rep[rows:].any() else set()
            auc = np.asarray(table["roc_auc"], dtype=float) if self.aucs is not None else np.zeros(0)
            alo, ahi, arep = settle_zero_width(auc, lo[n_prop:], hi[n_prop:])
            settled |= {"roc_auc"} if arep.any() else set()
            lo, hi = np.concatenate([plo, alo]), np.concatenate([phi, ahi])
        if accuracy:
            table["accuracy_lo"][:] = lo[:rows]
            table["accuracy_hi"][:] = hi[:rows]
        for j, c in enumerate(self.classes):
            at = slice(rows + j, rows + rows * k, k)  # the recalls come row by row, class by class
            _interval_columns(table, f"recall_{c}", lo[at], hi[at])
        if self.aucs is not None:
            _interval_columns(table, "roc_auc", lo[rows * (1 + k):], hi[rows * (1 + k):])
        return settled


def _interval_columns(table: Table, col: str, lo: np.ndarray, hi: np.ndarray) -> None:
    """``<col>_lo``, ``<col>_hi`` after ``col``; NaN where ``col`` itself is NaN (no figure, no interval)."""
    value = np.asarray(table[col], dtype=float)
    at = table.colnames.index(col) + 1
    for suffix, vals in (("_lo", lo), ("_hi", hi)):
        table.add_column(np.where(np.isfinite(value), vals, np.nan), name=col + suffix, index=at)
        table[col + suffix].format = ".3f"
        at += 1


def group_table(ref: np.ndarray, pred: np.ndarray, groups: ArrayLike, classes: Sequence[int], *,
                score: np.ndarray | None = None,
                positive: int | None = None, max_groups: int = 12, n_bins: int = 5, min_rows: int = 1,
                confidence: float = 0.95, wilson: bool = True) -> tuple[Table, str | None, GroupFigures]:
    """The figures of :func:`metrics_by_group` without their bootstrap intervals, and what scores them.

    ``evaluate`` scores the returned :class:`GroupFigures` on the resamples every other figure
    is scored on (one bootstrap), then fills the table (:meth:`GroupFigures.fill`) and says
    which interval each column carries (:func:`interval_notes`). Arguments as
    :func:`metrics_by_group`; ``wilson``: give the accuracy Wilson's interval (every row an
    object of its own), else NaN until :meth:`GroupFigures.fill`.

    Returns
    -------
    table : Table
        As :func:`metrics_by_group`'s, without the ``recall_<k>`` and ``roc_auc`` intervals.
    note : str or None
        How the column was binned, when it was.
    figures : GroupFigures
        The figures to resample.

    Raises
    ------
    StarclassError
        Arrays of different lengths, or ``score`` without ``positive``.

    Examples
    --------
    >>> t, _, figs = group_table(np.array([1, 2, 1, 2]), np.array([1, 2, 2, 2]), ["a", "a", "b", "b"], (1, 2),
    ...                          score=np.array([0.9, 0.2, 0.4, 0.3]), positive=1)
    >>> t["group", "accuracy", "recall_1", "roc_auc"].pprint()
    group accuracy recall_1 roc_auc
    ----- -------- -------- -------
        a    1.000    1.000   1.000
        b    0.500    0.000   1.000
    (all)    0.750    0.500   1.000
    >>> figs.size
    12
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
    order = [*_ordered(labels), ALL]
    # each row's group and class index from the distinct values (a dict look-up per row cost a Python loop)
    names, inverse = np.unique(labels, return_inverse=True)
    index = {g: j for j, g in enumerate(order[:-1])}
    gidx = np.array([index[g] for g in names.tolist()], dtype=np.int64)[inverse.ravel()]
    lut = {k: j for j, k in enumerate(classes)}
    values, inverse = np.unique(ref, return_inverse=True)
    cls = np.array([lut.get(int(v), -1) for v in values.tolist()], dtype=np.int64)[inverse.ravel()]
    figs = GroupFigures(gidx, len(order) - 1, (ref == pred).astype(np.float64), cls, classes)
    s_all = None if score is None else np.asarray(score, float)
    if s_all is not None:
        # every group's rows with a score ranked once for all groups, and once more for the pooled row (ALL)
        # each group's rows with a score, and all of them for the pooled row (ALL): the AUC alone of each
        rankings = []
        for j in range(figs.n_groups + 1):
            scored = np.flatnonzero((gidx == j if j < figs.n_groups else True) & np.isfinite(s_all))
            rankings.append((scored, auc_of_weights(ref[scored] == int(positive), s_all[scored])))
        figs.aucs = lambda w: np.array([f(w[rows]) for rows, f in rankings])
    rows = []
    for j, g in enumerate(order):
        sel = np.ones(n, dtype=bool) if g == ALL else gidx == j
        r, p = ref[sel], pred[sel]
        m = int(sel.sum())
        right = int((r == p).sum())
        lo, hi = (binom_conf_interval(right, m, confidence_level=confidence, interval="wilson") if wilson
                  else (np.nan, np.nan))
        row = {"group": g, "n": m}
        row.update({f"n_ref_{k}": int((r == k).sum()) for k in classes})
        row.update({"errors": m - right, "accuracy": right / m, "accuracy_lo": float(lo), "accuracy_hi": float(hi)})
        for k in classes:
            nk = int((r == k).sum())
            row[f"recall_{k}"] = float(((r == k) & (p == k)).sum() / nk) if nk else np.nan
        if s_all is not None:
            scored = np.flatnonzero(sel & np.isfinite(s_all))
            y = ref[scored] == int(positive)
            row["roc_auc"] = float(roc_auc_score(y, s_all[scored])) if 0 < y.sum() < y.size else np.nan
        rows.append(row)
    t = Table(rows=rows, names=list(rows[0]))
    for c in t.colnames:
        if c.startswith(("accuracy", "recall_", "roc_auc")):
            t[c].format = ".3f"
    return t, note, figs


def interval_notes(n_rows: int, n_boot: int, *, confidence: float = 0.95, objects: np.ndarray | None = None,
                   object_column: str | None = None, failure: str | None = None) -> tuple[str, str]:
    """What the accuracy's interval is, and what the recalls' and the ROC AUC's are, in words.

    Parameters
    ----------
    n_rows
        Rows of the table's pooled row.
    n_boot
        Bootstrap resamples (0: none).
    confidence
        Level of the intervals.
    objects
        Each row's object, or None (every row an object of its own: the accuracy's interval is Wilson's).
    object_column
        The column ``objects`` came from.
    failure
        Why the bootstrap gave no interval at all, where it did not.

    Returns
    -------
    accuracy, others : str
        The accuracy's note and the note of ``recall_<k>`` and ``roc_auc``.

    Examples
    --------
    >>> interval_notes(120, 200)
    ('95% Wilson interval', '95% bootstrap interval, 200 resamples of the 120 rows')
    >>> interval_notes(6, 100, objects=np.array(list("aabbcc")), object_column="object_id")[1]
    '95% bootstrap interval, 100 resamples of the 3 objects (object_id) drawn whole'
    """
    wilson = f"{confidence:.0%} Wilson interval"
    if objects is None:
        if n_boot <= 0:
            return wilson, "no interval: 0 bootstrap resamples (--bootstrap 0)"
        return wilson, failure or (f"{confidence:.0%} bootstrap interval, {n_boot} resamples of the "
                                   f"{counted(n_rows, 'row')}")
    n_obj = int(np.unique(np.asarray(objects).astype(str)).size)
    named = f" ({object_column})" if object_column else ""
    if n_boot <= 0:
        none = (f"no interval: rows of one object are not independent, and 0 bootstrap resamples "
                f"(--bootstrap 0) draw none of the {counted(n_obj, 'object')}{named}")
        return none, none
    boot = failure or (f"{confidence:.0%} bootstrap interval, {n_boot} resamples of the {counted(n_obj, 'object')}"
                       f"{named} drawn whole")
    return boot, boot


def settled_note(column: str, *, confidence: float = 0.95, objects: str = "rows") -> str:
    """What replaced a zero-width bootstrap interval of ``column`` (:meth:`GroupFigures.fill`), to add to its note.

    Examples
    --------
    >>> settled_note("recall_<k>", objects="objects (object_id)")
    '; where every resample gave the same value, the 95% Wilson interval on the objects (object_id) behind the figure'
    >>> settled_note("roc_auc")
    '; none (nan) where every resample gave the same value: too few objects for an interval'
    """
    from starclass.evaluate.bootstrap import NO_SPREAD_NOTE

    if column == "roc_auc":
        return f"; none (nan) where {NO_SPREAD_NOTE}"
    return (f"; where every resample gave the same value, the {confidence:.0%} Wilson interval on the {objects} "
            "behind the figure")


def object_noun(objects: np.ndarray | None, object_column: str | None = None) -> str:
    """What a Wilson interval in place of a zero-width bootstrap one counts: ``rows`` or ``objects (column)``.

    Examples
    --------
    >>> object_noun(None), object_noun(np.array([1, 1]), "object_id")
    ('rows', 'objects (object_id)')
    """
    if objects is None:
        return "rows"
    return f"objects ({object_column})" if object_column else "objects"


def set_interval_notes(table: Table, accuracy: str, others: str, *, settled: set[str] | frozenset[str] = frozenset(),
                       confidence: float = 0.95, objects: str = "rows") -> None:
    """Say in ``table``'s meta which interval each column carries (:func:`interval_notes`).

    ``interval_note``: the accuracy's (as since 2026-12-05); ``interval_notes``: column -> note for
    ``accuracy``, ``recall_<k>`` (every class) and ``roc_auc`` where the table has it. ``settled``:
    the columns :meth:`GroupFigures.fill` gave another interval where the bootstrap's had zero
    width; their notes say so (:func:`settled_note`; ``objects``: what the Wilson interval counts).

    Examples
    --------
    >>> t = Table({"accuracy": [0.5], "recall_1": [1.0]})
    >>> set_interval_notes(t, *interval_notes(10, 0))
    >>> t.meta["interval_notes"]
    {'accuracy': '95% Wilson interval', 'recall_<k>': 'no interval: 0 bootstrap resamples (--bootstrap 0)'}
    """
    notes = {"accuracy": accuracy, "recall_<k>": others, **({"roc_auc": others} if "roc_auc" in table.colnames else {})}
    for col in settled:
        if col in notes:
            notes[col] += settled_note(col, confidence=confidence, objects=objects)
    table.meta["interval_note"] = notes["accuracy"]
    table.meta["interval_notes"] = notes


def metrics_by_group(ref: np.ndarray, pred: np.ndarray, groups: ArrayLike, classes: Sequence[int], *,
                     score: np.ndarray | None = None,
                     positive: int | None = None, max_groups: int = 12, n_bins: int = 5,
                     min_rows: int = 1, confidence: float = 0.95, objects: np.ndarray | None = None,
                     n_boot: int = 200, object_column: str | None = None) -> tuple[Table, str | None]:
    """Accuracy, errors, recall per class and ROC AUC, each with its interval, per group of rows.

    The accuracy interval is Wilson's where every row is an object of its own; where ``objects``
    names each row's object (several cutouts of one object are not independent, and Wilson's
    interval, which counts each as a trial, is then too narrow) it is the bootstrap's, resampling
    whole objects. The recalls and the ROC AUC get the bootstrap's in either case (over the rows, or
    over whole objects): :func:`starclass.evaluate.bootstrap.bootstrap_figures`, seed 0, the draws of
    ``evaluate``'s other intervals, every group's figures scored on each resample. The table's meta
    ``interval_notes`` says which interval each column carries (``interval_note``: the accuracy's).

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
        Two or more groups with fewer rows are pooled into one row, ``(other: K groups of < min_rows)``
        (a handful of rows gives an interval too wide to say anything; a survey field list
        has dozens of such groups); a single such group keeps its own name (pooled alone it
        would only lose it, its figures the same). :data:`MISSING` is never pooled.
    confidence
        Level of the intervals (the accuracy's: Wilson score interval,
        :func:`astropy.stats.binom_conf_interval`, or the bootstrap's with ``objects``).
    objects
        The object of each row (``object_id``), or None (every row its own object).
    n_boot
        Bootstrap resamples (0: no bootstrap interval, NaN; the accuracy keeps Wilson's without ``objects``).
    object_column
        The column ``objects`` came from, for the note.

    Returns
    -------
    table : Table
        One row per group, then :data:`ALL`: ``group``, ``n``, ``n_ref_<k>`` (rows of each
        reference class), ``errors``, ``accuracy``, ``accuracy_lo``, ``accuracy_hi``,
        ``recall_<k>``, ``recall_<k>_lo``, ``recall_<k>_hi`` (NaN where the group has none of class k),
        and ``roc_auc``, ``roc_auc_lo``, ``roc_auc_hi`` with a score. An interval is NaN where the
        bootstrap gives none (a group or class in too few resamples). ``meta["interval_notes"]``
        says which interval each column carries.
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
    >>> [round(float(boot[c][0]), 3) for c in ("accuracy_lo", "accuracy_hi", "recall_1_lo", "recall_1_hi")]
    [0.25, 1.0, 0.0, 1.0]
    >>> print(*wilson.meta["interval_notes"]["recall_<k>"].split("; "), sep="\\n")  # recall_2: 6 of 6 on every resample
    95% bootstrap interval, 200 resamples of the 12 rows
    where every resample gave the same value, the 95% Wilson interval on the rows behind the figure
    >>> [round(float(wilson[c][0]), 3) for c in ("recall_2", "recall_2_lo", "recall_2_hi")]
    [1.0, 0.61, 1.0]
    """
    t, note, figs = group_table(ref, pred, groups, classes, score=score, positive=positive, max_groups=max_groups,
                                n_bins=n_bins, min_rows=min_rows, confidence=confidence, wilson=objects is None)
    n = len(figs.gidx)
    if objects is not None and len(objects) != n:
        raise StarclassError(f"metrics_by_group: {len(objects)} objects for {n} rows: one per row")
    lo = hi = None
    failure = None
    if n_boot > 0:
        try:
            lo, hi, _ = bootstrap_figures(figs, n, n_boot=n_boot, level=confidence, groups=objects)
        except StarclassError as exc:
            # "bootstrap_ci: need at least 2 objects": the function's name is no part of what the user is told
            failure = f"no interval: {str(exc).removeprefix('bootstrap_ci: ')}"
    settled = figs.fill(t, lo, hi, accuracy=objects is not None, objects=objects, confidence=confidence)
    set_interval_notes(t, *interval_notes(n, n_boot, confidence=confidence, objects=objects,
                                          object_column=object_column, failure=failure),
                       settled=settled, confidence=confidence, objects=object_noun(objects, object_column))
    return t, note
