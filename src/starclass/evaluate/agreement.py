"""The PHANGS agreement fraction, Table-1-like comparisons and human-to-human baselines.

Agreement fraction (Whitmore et al., section 4): match two catalogues one-to-one within 2 px
and work on the intersection. For class k, with ``n_both`` the matched objects that both
catalogues put in class k, the fraction is the mean of ``n_both / n_A(k)`` and
``n_both / n_B(k)``, where ``n_A(k)``, ``n_B(k)`` count class k in each catalogue *within the
intersection*. The "mean" column is the mean over the four classes; "1+2" treats classes 1 and
2 as one bin.

The symmetric confusion matrix (their Figure 21 and footnote 3) averages, for each cell, the
fraction of A's class i called j by B with the fraction of B's class i called j by A (the
reflected cell), since neither catalogue is the truth.

Human baselines (StarcNet, section 2.1): with individual labels ``class_h1..class_hN`` the
mean pairwise agreement over all pairs of people, and each individual against the final
(mode) label, over four classes and binary (1+2 vs 3+4).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from astropy.table import MaskedColumn, Table

from starclass import schema
from starclass.errors import StarclassError, counted
from starclass.evaluate.matching import matched_classes
from starclass.evaluate.metrics import class_array, merge_labels
from starclass.evaluate.trends import equal_number_edges, linear_trend
from starclass.schema import CLASS_PRED, CLASS_REF, CLASSES, group_column

#: The merged classes whose agreement fraction PHANGS gives beside its four classes' (its clusters, 1+2)
PHANGS_AGREEMENT_MERGES: dict[str, tuple[int, ...]] = {"1+2": (1, 2)}


def agreement_merges(classes: tuple[int, ...], merges: Mapping[str, Sequence[int]] | None = None
                     ) -> dict[str, tuple[int, ...]]:
    """The merged classes to give agreement fractions of: ``merges``, else PHANGS's 1+2 for the PHANGS classes only.

    A binary task's "1+2" is every object (agreement 1 whatever the classes), and a five-class task's class 1
    and 2 are no clusters: neither gets it unless asked.

    Examples
    --------
    >>> agreement_merges((1, 2, 3, 4)), agreement_merges((1, 2)), agreement_merges((1, 2, 3), {"1+2": [1, 2]})
    ({'1+2': (1, 2)}, {}, {'1+2': (1, 2)})
    """
    if merges is None:
        return dict(PHANGS_AGREEMENT_MERGES) if tuple(classes) == tuple(CLASSES) else {}
    return {str(k): tuple(int(c) for c in v) for k, v in merges.items()}


def agreement_fractions(class_a: np.ndarray, class_b: np.ndarray, classes: tuple[int, ...] = CLASSES,
                        merges: Mapping[str, Sequence[int]] | None = None) -> dict:
    """Agreement fractions of two label arrays of the same matched objects.

    ``merges`` (label -> member classes) adds merged classes; default :func:`agreement_merges`, PHANGS's 1+2 for
    the classes 1-4, none for others.

    Returns
    -------
    dict with, per class key (``"1".."4"``) and merge (``"1+2"``): ``{"n_a", "n_b", "n_both", "fraction"}``,
    and ``"mean"``: the mean over the classes whose fraction is defined, ``"mean_n"`` how many.
    A ratio whose denominator is zero is left out of the mean of the two, as in
    :func:`symmetric_confusion` (whose diagonal this is): a class that only one catalogue uses
    has fraction 0 (every object either side calls k is a disagreement; leaving it out would
    flatter a classifier that never predicts a hard class), and a class that neither uses has
    fraction None (undefined) and is left out of ``mean``.

    Examples
    --------
    Class 1: A has 2, B has 1, both agree on 1, so (1/2 + 1/1) / 2; class 4 is absent from B,
    so none of A's class 4 is agreed: 0, and it counts in the mean:

    >>> r = agreement_fractions(np.array([1, 1, 2, 3, 4]), np.array([1, 2, 2, 3, 3]))
    >>> r["1"]
    {'n_a': 2, 'n_b': 1, 'n_both': 1, 'fraction': 0.75}
    >>> r["4"]["fraction"], r["1+2"]["fraction"], r["mean"], r["mean_n"]
    (0.0, 1.0, 0.5625, 4)
    >>> "1+2" in agreement_fractions(np.array([1, 2, 2]), np.array([1, 2, 1]), classes=(1, 2))  # a binary task
    False
    """
    a = np.asarray(class_a, int)
    b = np.asarray(class_b, int)
    if a.shape != b.shape:
        raise StarclassError("agreement_fractions: the two label arrays differ in length")
    ok = (a > 0) & (b > 0)
    a, b = a[ok], b[ok]
    if a.size == 0:
        raise StarclassError("agreement_fractions: no matched object is classified in both catalogues")
    out: dict = {}
    groups = [(str(k), (k,)) for k in classes] + list(agreement_merges(classes, merges).items())
    for key, members in groups:
        ina = np.isin(a, members)
        inb = np.isin(b, members)
        n_a, n_b, n_both = int(ina.sum()), int(inb.sum()), int((ina & inb).sum())
        # the mean of the ratios that are defined: with n_b = 0 only n_both / n_a (= 0) is
        ratios = [n_both / n for n in (n_a, n_b) if n]
        frac = float(np.mean(ratios)) if ratios else None
        out[key] = {"n_a": n_a, "n_b": n_b, "n_both": n_both, "fraction": frac}
    defined = [out[str(k)]["fraction"] for k in classes if out[str(k)]["fraction"] is not None]
    out["mean"] = float(np.mean(defined)) if defined else None
    out["mean_n"] = len(defined)
    out["n_matched"] = int(a.size)
    return out


def compare_catalogs(a: Table, b: Table, radius: float = 2.0, *, col_a: str = CLASS_REF,
                     col_b: str = CLASS_REF, names: tuple[str, str] = ("A", "B"), classes: tuple[int, ...] = CLASSES,
                     merges: Mapping[str, Sequence[int]] | None = None) -> dict:
    """Match two catalogues and compute their agreement fractions on the intersection.

    Parameters
    ----------
    a, b : astropy.table.Table
        The catalogues, with ``x``, ``y`` (0-based px) or ``ra``, ``dec``, and a class column each.
    radius : float
        One-to-one matching radius in pixels (PHANGS: 2; at most 50).
    col_a, col_b : str
        The class columns (default ``class_ref`` in both); rows with class 0 are left out.
    names : (str, str)
        How messages name the two catalogues.
    classes, merges
        The classes and merged classes to give fractions of (:func:`agreement_fractions`).

    Returns
    -------
    dict
        :func:`agreement_fractions` (per class key and ``1+2``: ``n_a``, ``n_b``, ``n_both`` and
        ``fraction``, the mean of the shares of A's and of B's objects of that class that the
        other gives it too; ``mean``, ``mean_n``, ``n_matched``) with the matched rows (``idx_a``,
        ``idx_b``) and their classes (``class_a``, ``class_b``).

    Examples
    --------
    B's third object is 30 px from A's: two objects match; A calls them 1 and 2, B calls both 1:

    >>> from astropy.table import Table
    >>> a = Table({"x": [0.0, 10.0, 20.0], "y": [0.0, 10.0, 20.0], "class_ref": [1, 2, 3]})
    >>> b = Table({"x": [0.5, 10.0, 20.0], "y": [0.0, 10.5, 50.0], "class_ref": [1, 1, 3]})
    >>> r = compare_catalogs(a, b)
    >>> r["idx_a"].tolist(), r["idx_b"].tolist(), r["n_matched"], r["1"]["fraction"], r["1+2"]["fraction"]
    ([0, 1], [0, 1], 2, 0.75, 1.0)
    """
    ia, ib, ca, cb = matched_classes(a, b, col_a, col_b, radius, names=names)
    res = agreement_fractions(ca, cb, classes, merges)
    res["idx_a"], res["idx_b"] = ia, ib
    res["class_a"], res["class_b"] = ca, cb
    return res


def _frac_columns(rows: list[dict], classes: tuple[int, ...], merges: Mapping[str, Sequence[int]]
                  ) -> dict[str, MaskedColumn]:
    cols = {}
    keys = [str(k) for k in classes] + ["mean"] + list(merges)
    for key, name in [(k, k if k == "mean" else group_column(k)) for k in keys]:
        vals = [r[key]["fraction"] if key != "mean" else r["mean"] for r in rows]
        cols[name] = MaskedColumn([0.0 if v is None else v for v in vals], mask=[v is None for v in vals], format=".2f")
    return cols


def agreement_table(catalogs: dict[str, Table], radius: float = 2.0, *, class_cols: dict[str, str] | None = None,
                    pairs: list[tuple[str, str]] | None = None, classes: tuple[int, ...] = CLASSES,
                    merges: Mapping[str, Sequence[int]] | None = None) -> Table:
    """A table like Table 1 of the PHANGS paper for any set of catalogues.

    Parameters
    ----------
    catalogs
        Name -> Table (each with positions and a class column).
    class_cols
        Name -> class column (default ``class_pred`` when present, else ``class_ref``).
    pairs
        Pairs to compare (default: all pairs in the given order).
    classes
        The task's classes (default PHANGS's 1-4): a column each.
    merges
        Merged classes, label -> members (default :func:`agreement_merges`: PHANGS's 1+2 for the classes 1-4,
        none for others): a column each, after ``mean``.

    Returns
    -------
    Table with one row per pair (``comparison``, ``n_matched``, ``class_<k>`` per class, ``mean``, a column per
    merge, ``class_1_2`` for PHANGS: :func:`starclass.schema.group_column`) and, when there are at least two pairs,
    a last row "mean for above values" whose ``*_err`` columns hold the uncertainty in the mean
    (standard deviation / sqrt(N)), as the paper.

    Examples
    --------
    >>> from astropy.table import Table
    >>> xy = {"x": [0.0, 10.0, 20.0], "y": [0.0, 10.0, 20.0]}
    >>> cats = {"A": Table({**xy, "class_ref": [1, 2, 3]}), "B": Table({**xy, "class_ref": [1, 1, 3]}),
    ...         "C": Table({**xy, "class_ref": [1, 2, 4]})}
    >>> t = agreement_table(cats)
    >>> t["comparison"].tolist()
    ['A vs. B', 'A vs. C', 'B vs. C', 'mean for above values']
    >>> [round(float(v), 3) for v in t["class_1"]], round(float(t["class_1_err"][-1]), 3)
    ([0.75, 1.0, 0.75, 0.833], 0.068)
    >>> agreement_table(cats, classes=(1, 2, 3, 4, 5)).colnames[2:9]  # a five-class task: no 1+2
    ['class_1', 'class_2', 'class_3', 'class_4', 'class_5', 'mean', 'class_1_err']
    """
    if len(catalogs) < 2:
        raise StarclassError("agreement_table needs at least two catalogues")
    class_cols = dict(class_cols or {})
    for n, t in catalogs.items():
        if n not in class_cols:
            class_cols[n] = CLASS_PRED if CLASS_PRED in t.colnames else CLASS_REF
    pairs = pairs or list(itertools.combinations(catalogs, 2))
    classes = tuple(int(k) for k in classes)
    merges = agreement_merges(classes, merges)
    rows, names = [], []
    for na, nb in pairs:
        res = compare_catalogs(catalogs[na], catalogs[nb], radius, col_a=class_cols[na], col_b=class_cols[nb],
                               names=(na, nb), classes=classes, merges=merges)
        rows.append(res)
        names.append(f"{na} vs. {nb}")
    t = _agreement_rows(rows, names, classes, merges)
    t.meta["radius_px"] = radius
    t.meta["definition"] = ("agreement fraction = mean of n_both/n_A and n_both/n_B per class on the one-to-one "
                            "matched intersection (Whitmore et al. section 4)")
    return t


def _agreement_rows(rows: list[dict], names: list[str], classes: tuple[int, ...],
                    merges: Mapping[str, Sequence[int]]) -> Table:
    """The agreement table of pairs already compared (:func:`agreement_fractions` each), and its mean row."""
    t = Table()
    t["comparison"] = names
    t["n_matched"] = [r["n_matched"] for r in rows]
    for k, c in _frac_columns(rows, classes, merges).items():
        t[k] = c
    if len(rows) >= 2:
        summary = {"comparison": "mean for above values", "n_matched": int(np.sum(t["n_matched"]))}
        errs = {}
        for c in t.colnames[2:]:
            vals = np.asarray(t[c][~np.ma.getmaskarray(t[c])], float)
            summary[c] = float(vals.mean()) if vals.size else None
            errs[c] = float(vals.std(ddof=0) / np.sqrt(vals.size)) if vals.size >= 2 else None
        for c in t.colnames[2:]:
            t[f"{c}_err"] = MaskedColumn(np.zeros(len(t)), mask=np.ones(len(t), bool), format=".2f")
        row = dict(summary)
        mask = {}
        for c in list(summary)[2:]:
            row[f"{c}_err"] = errs[c] if errs[c] is not None else 0.0
            mask[f"{c}_err"] = errs[c] is None
            if summary[c] is None:
                row[c] = 0.0
                mask[c] = True
        t.add_row(row, mask={c: mask.get(c, False) for c in t.colnames})
    return t


def paired_agreement_table(labels: Mapping[str, np.ndarray], *, classes: tuple[int, ...] = CLASSES,
                           merges: Mapping[str, Sequence[int]] | None = None) -> Table:
    """The agreement table (as :func:`agreement_table`'s) of catalogues already paired object by object.

    For tables without positions (a classified cutout list, its labels, the volunteers' consensus of the same
    cutouts, paired row by row or by file): each array holds one catalogue's classes of the same objects, in one
    order, 0 where it gives none; each pair is compared on the objects both classify.

    Parameters
    ----------
    labels
        Catalogue name -> classes, aligned (the i-th entry of every array is one object).
    classes, merges
        As :func:`agreement_table`.

    Examples
    --------
    >>> t = paired_agreement_table({"model": np.array([1, 1, 2, 2]), "experts": np.array([1, 2, 2, 2]),
    ...                             "volunteers": np.array([1, 1, 2, 0])}, classes=(1, 2))
    >>> t["comparison"].tolist()[:3], t["n_matched"].tolist()
    (['model vs. experts', 'model vs. volunteers', 'experts vs. volunteers'], [4, 3, 3, 10])
    >>> round(float(t["class_1"][0]), 3), "class_1_2" in t.colnames
    (0.75, False)
    """
    if len(labels) < 2:
        raise StarclassError("paired_agreement_table needs at least two catalogues")
    classes = tuple(int(k) for k in classes)
    merges = agreement_merges(classes, merges)
    rows, names = [], []
    for na, nb in itertools.combinations(labels, 2):
        rows.append(agreement_fractions(np.asarray(labels[na], int), np.asarray(labels[nb], int), classes, merges))
        names.append(f"{na} vs. {nb}")
    t = _agreement_rows(rows, names, classes, merges)
    t.meta["definition"] = ("agreement fraction = mean of n_both/n_A and n_both/n_B per class on the objects both "
                            "classify, paired as scored (row by row or by file)")
    return t


def symmetric_confusion(class_a: np.ndarray, class_b: np.ndarray, classes: tuple[int, ...] = CLASSES) -> np.ndarray:
    """PHANGS symmetric confusion matrix: S[i, j] = mean(C[i, j] / n_A(i), C[j, i] / n_B(i)).

    ``C`` counts A's class (rows) against B's class (columns). A term whose denominator is zero
    is left out of the mean, so the diagonal is the agreement fraction of
    :func:`agreement_fractions` (0 for a class only one catalogue uses); a class neither
    catalogue uses has no term at all and its row is 0 (its agreement fraction is None).

    Examples
    --------
    A calls two objects 1 and one 2; B calls the second of them 2. S[0, 0] is the mean of 1/2
    (A's class 1 kept by B) and 1/1 (B's class 1 kept by A):

    >>> symmetric_confusion(np.array([1, 1, 2]), np.array([1, 2, 2]), (1, 2)).tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    """
    a = np.asarray(class_a, int)
    b = np.asarray(class_b, int)
    K = len(classes)
    C = np.zeros((K, K))
    for i, ci in enumerate(classes):
        for j, cj in enumerate(classes):
            C[i, j] = np.sum((a == ci) & (b == cj))
    n_a = C.sum(axis=1)
    n_b = C.sum(axis=0)
    S = np.zeros((K, K))
    for i in range(K):
        for j in range(K):
            terms = []
            if n_a[i]:
                terms.append(C[i, j] / n_a[i])
            if n_b[i]:
                terms.append(C[j, i] / n_b[i])
            S[i, j] = float(np.mean(terms)) if terms else 0.0
    return S


# --------------------------------------------------------------------------------------------
# human-to-human baselines


def human_columns(table: Table) -> list[str]:
    """The ``class_h<k>`` columns of a table, in order.

    Examples
    --------
    >>> from astropy.table import Table
    >>> human_columns(Table({"class_h1": [1], "class_ref": [1], "class_h2": [2]}))
    ['class_h1', 'class_h2']
    """
    return schema.human_cols(table)


def _agree(a: np.ndarray, b: np.ndarray, merge: str | None) -> tuple[int, int, np.ndarray]:
    ok = (a > 0) & (b > 0)
    x, y = a[ok], b[ok]
    if merge:
        x, y = merge_labels(x, merge), merge_labels(y, merge)
    K = 2 if merge == "12v34" else 4
    C = np.zeros((K, K), int)
    np.add.at(C, (x - 1, y - 1), 1)
    return int(np.sum(x == y)), int(x.size), C


def _row_norm(C: np.ndarray) -> np.ndarray:
    rows = C.sum(axis=1, keepdims=True)
    return np.divide(C, rows, out=np.zeros(C.shape, float), where=rows > 0)


def _balanced(C: np.ndarray) -> float:
    """Mean of the row-normalised diagonal over the classes with a row (NaN when there is none).

    A class nobody gave (an empty row) has no agreement to average: counted as 0 it pulled the
    figure down, and with no object to compare at all (no object with 3 or more labels for
    ``vs_mode``) the summary said 0.0 beside a ``vs_mode_4class`` of NaN.

    Examples
    --------
    >>> _balanced(np.array([[3, 1, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]))
    0.875
    >>> _balanced(np.zeros((4, 4), int))
    nan
    """
    rows = C.sum(axis=1) > 0
    return float(np.mean(np.diag(_row_norm(C))[rows])) if rows.any() else float("nan")


def _weighted(agree, n) -> float:
    """Mean of ``agree`` weighted by ``n`` over the rows with ``n > 0`` (NaN when there is none)."""
    a, w = np.asarray(agree, float), np.asarray(n, float)
    ok = w > 0
    return float(np.sum(a[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else float("nan")


def human_baselines(table: Table, *, human_cols: list[str] | None = None, mode_col: str = CLASS_REF,
                    min_overlap: int = 20) -> dict:
    """Human-to-human agreement from individual labels.

    Parameters
    ----------
    table
        Table with one column per classifier (0 = that person did not classify the object)
        and the final label ``mode_col``.
    human_cols
        The classifier columns (default: every ``class_h<k>``).
    min_overlap
        Pairs of people sharing fewer objects are left out of the pairwise mean.

    Returns
    -------
    dict with
      ``pairwise``: Table (pair, n, agree_4class, agree_binary);
      ``vs_mode``: Table (classifier, n, agree_4class, agree_binary: against ``mode_col`` on the
      objects with 3 or more labels whose votes have one most common class, as
      :func:`starclass.inspect.consensus.individual_vs_mode`; and the same against the mode of
      the *other* classifiers where at least two others labelled the object);
      ``summary``: dict of the means (pairwise means weight each pair equally, as StarcNet;
      ``vs_mode_*`` weight each classifier by its objects, NaN when no object qualifies, and
      ``vs_mode_n_objects`` counts those objects; ``*_balanced``: mean per-class agreement over
      the classes given, from the confusion matrices);
      ``confusion_pairwise`` / ``confusion_vs_mode``: 4x4 row-normalised matrices summed over
      pairs (both orders) / over classifiers (rows = individual, columns = mode).

    Examples
    --------
    Three people label four objects; h2 and h3 each differ from the final label once, and from
    each other twice:

    >>> from astropy.table import Table
    >>> h = Table({"class_h1": [1, 2, 3, 4], "class_h2": [1, 2, 4, 4], "class_h3": [1, 1, 3, 4],
    ...            "class_ref": [1, 2, 3, 4]})
    >>> r = human_baselines(h, min_overlap=1)
    >>> [round(float(v), 2) for v in r["pairwise"]["agree_4class"]], r["vs_mode"]["n"].tolist()
    ([0.75, 0.75, 0.5], [4, 4, 4])
    >>> round(r["summary"]["pairwise_4class"], 3), round(r["summary"]["vs_mode_4class"], 3)
    (0.667, 0.833)
    """
    cols = human_cols or human_columns(table)
    if len(cols) < 2:
        raise StarclassError(f"human baselines need at least two classifier columns, found {cols}")
    H = np.column_stack([class_array(table, c, name="human table") for c in cols])
    mode = class_array(table, mode_col, name="human table")
    pair_rows = []
    Cp = np.zeros((4, 4), int)
    for i, j in itertools.combinations(range(len(cols)), 2):
        s4, n, C = _agree(H[:, i], H[:, j], None)
        if n < min_overlap:
            continue
        s2, _, _ = _agree(H[:, i], H[:, j], "12v34")
        Cp += C + C.T
        pair_rows.append((f"{cols[i]} vs {cols[j]}", n, s4 / n, s2 / n))
    if not pair_rows:
        raise StarclassError(f"no two classifiers share at least {counted(min_overlap, 'object')}")
    pairwise = Table(rows=pair_rows, names=("pair", "n", "agree_4class", "agree_binary"))
    mode_rows = []
    Cm = np.zeros((4, 4), int)
    # against the final label only where it says something about a person: with one or two
    # labels (an inspect export where not everybody labelled everything) the mode is the
    # person's own label or a tie broken towards one of them, so they agreed by construction,
    # and a tie (the simulator gives it to person 1) is no majority to agree with
    from starclass.inspect.consensus import VS_MODE_MIN_LABELS

    counts = np.stack([(H == k).sum(axis=1) for k in CLASSES], axis=1)
    untied = (counts == counts.max(axis=1, keepdims=True)).sum(axis=1) == 1
    informative = ((H > 0).sum(axis=1) >= VS_MODE_MIN_LABELS) & untied
    mode_informative = np.where(informative, mode, 0)
    for i, c in enumerate(cols):
        if not (H[:, i] > 0).any():
            continue
        s4, n, C = _agree(H[:, i], mode_informative, None)
        s2, _, _ = _agree(H[:, i], mode_informative, "12v34")
        Cm += C
        # leave-one-out: the mode of the others, where at least two others labelled it and
        # the others' mode is unique
        others = np.delete(H, i, axis=1)
        loo = np.zeros(len(table), int)
        for r in np.flatnonzero((H[:, i] > 0) & ((others > 0).sum(axis=1) >= 2)):
            v = others[r][others[r] > 0]
            cnt = np.bincount(v, minlength=5)
            if (cnt == cnt.max()).sum() == 1:
                loo[r] = int(np.argmax(cnt))
        l4, ln, _ = _agree(H[:, i], loo, None)
        l2, _, _ = _agree(H[:, i], loo, "12v34")
        mode_rows.append((c, n, s4 / n if n else np.nan, s2 / n if n else np.nan, ln, l4 / ln if ln else 0.0,
                          l2 / ln if ln else 0.0))
    vs_mode = Table(rows=mode_rows, names=("classifier", "n", "agree_4class", "agree_binary",
                                           "n_loo", "agree_4class_loo", "agree_binary_loo"))
    for t in (pairwise, vs_mode):
        for c in t.colnames:
            if c.startswith("agree"):
                t[c].format = ".3f"
    summary = {
        "pairwise_4class": float(np.mean(pairwise["agree_4class"])),
        "pairwise_binary": float(np.mean(pairwise["agree_binary"])),
        "vs_mode_4class": _weighted(vs_mode["agree_4class"], vs_mode["n"]),
        "vs_mode_binary": _weighted(vs_mode["agree_binary"], vs_mode["n"]),
        "vs_mode_n_objects": int(informative.sum()),
        "n_pairs": len(pairwise),
        "n_classifiers": len(vs_mode),
        "pairwise_4class_balanced": _balanced(Cp),
        "vs_mode_4class_balanced": _balanced(Cm),
    }
    return {"pairwise": pairwise, "vs_mode": vs_mode, "summary": summary,
            "confusion_pairwise": _row_norm(Cp), "confusion_vs_mode": _row_norm(Cm)}


# --------------------------------------------------------------------------------------------
# agreement against magnitude, crowding, background


def agreement_vs(class_a: np.ndarray, class_b: np.ndarray, quantity: np.ndarray, *, nbins: int = 4,
                 quantity_name: str = "quantity", min_per_class: int = 3) -> tuple[Table, Table]:
    """Agreement fraction per class in equal-number bins of a quantity, with trend lines.

    Parameters
    ----------
    class_a, class_b
        Classes of the matched objects.
    quantity
        Per matched object: magnitude, crowding, local background ...
    nbins
        Number of equal-number bins (PHANGS uses 4 for magnitude).
    min_per_class
        A class with fewer objects in a bin (in either catalogue) gets no fraction there.

    Returns
    -------
    bins
        Table: bin, lo, hi, median, n, and per class (1, 2, 3, 4, 1+2) the fraction (masked
        where undefined), in ``class_1`` .. ``class_4``, ``class_1_2`` (:func:`starclass.schema.group_column`).
    trends
        Table: class, slope, slope_err, intercept, n_points, or a ``note`` saying why no line.

    Examples
    --------
    Twelve objects in three magnitude bins of four; the fainter bins disagree more, so class 1
    drops by 0.25 per 4 mag (bin medians 21.5, 25.5, 29.5):

    >>> a = np.array([1, 2] * 6)
    >>> b = np.array([1, 2, 1, 2, 1, 2, 2, 2, 2, 2, 1, 1])
    >>> bins, trends = agreement_vs(a, b, np.arange(20.0, 32.0), nbins=3, quantity_name="mag",
    ...                             min_per_class=1)
    >>> bins["n"].tolist(), bins["class_1"].tolist(), bins["class_1_2"].tolist()
    ([4, 4, 4], [1.0, 0.75, 0.5], [1.0, 1.0, 1.0])
    >>> float(trends["slope"][0]), str(trends["note"][2])
    (-0.0625, 'class 3: 0 points, need at least 3 for a fit')
    """
    q = np.asarray(quantity, float)
    a = np.asarray(class_a, int)
    b = np.asarray(class_b, int)
    good = np.isfinite(q) & (q < 90) & (a > 0) & (b > 0)
    if good.sum() < nbins:
        raise StarclassError(f"agreement vs {quantity_name}: only {counted(int(good.sum()), 'object')} with a "
                             "valid value")
    q, a, b = q[good], a[good], b[good]
    edges = equal_number_edges(q, nbins)
    keys = ["1", "2", "3", "4", "1+2"]
    fr: dict[str, list] = {k: [] for k in keys}
    lo, hi, med, n = [], [], [], []
    for left, right in zip(edges[:-1], edges[1:]):
        sel = (q >= left) & (q < right)
        lo.append(float(left))
        hi.append(float(right))
        med.append(float(np.median(q[sel])) if sel.any() else float(0.5 * (left + right)))
        n.append(int(sel.sum()))
        res = agreement_fractions(a[sel], b[sel]) if sel.any() else None
        for k in keys:
            if res is None or min(res[k]["n_a"], res[k]["n_b"]) < min_per_class:
                fr[k].append(None)
            else:
                fr[k].append(res[k]["fraction"])
    bins = Table()
    bins["bin"] = np.arange(1, len(lo) + 1)
    bins[f"{quantity_name}_lo"] = lo
    bins[f"{quantity_name}_hi"] = hi
    bins[f"{quantity_name}_median"] = med
    bins["n"] = n
    for k in keys:
        bins[group_column(k)] = MaskedColumn([0.0 if v is None else v for v in fr[k]], mask=[v is None for v in fr[k]],
                                         format=".2f")
    trows = []
    for k in keys:
        m = ~np.ma.getmaskarray(bins[group_column(k)])
        try:
            fit = linear_trend(np.asarray(med)[m], np.asarray(bins[group_column(k)])[m], what=f"class {k}")
            trows.append((k, fit["slope"], fit["slope_err"], fit["intercept"], fit["n_points"], ""))
        except StarclassError as exc:
            trows.append((k, 0.0, 0.0, 0.0, int(m.sum()), str(exc)))
    trends = Table(rows=trows, names=("class", "slope", "slope_err", "intercept", "n_points", "note"))
    nofit = np.array([bool(r[5]) for r in trows])
    for c in ("slope", "slope_err", "intercept"):
        trends[c] = MaskedColumn(trends[c], mask=nofit, format=".4f")
    trends.meta["quantity"] = quantity_name
    return bins, trends
