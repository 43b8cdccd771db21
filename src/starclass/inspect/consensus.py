"""Consensus of several people's labels and how well they agree.

All functions work on a *label matrix* ``M`` of shape (objects, people): ``M[i, p]`` is the
class person ``p`` gave object ``i``, 0 where that person did not label it. The classes are
PHANGS's 1-4 unless ``classes`` names others (a class scheme of :mod:`starclass.inspect.schemes`,
e.g. galaxy-cluster's 1-5). Score schemes, whose scores include 0, use :func:`score_table`
(missing scores are -1 there).

Mode and the tie rule
---------------------
The consensus class is the most common label among the people who labelled the object. When
two or more classes share the highest count the object is a **tie**: it is flagged
(``tie = True``) for adjudication, and until then it gets the tied class nearest to the mean of
all its labels; if two tied classes are equally near, the higher class number (the less
cluster-like one, so doubtful objects stay out of cluster samples). Examples: votes
(1, 1, 2, 2, 4) have mean 2.0, so 2; votes (1, 2) have mean 1.5, so 2; (2, 2, 3, 3) -> 3.
Objects nobody labelled get 0.

Agreement (as in StarcNet, section 2.1)
---------------------------------------
* pairwise: for every pair of people, the fraction of the objects both labelled on which they
  agree; the summary is the mean over pairs (each pair weighted equally). The confusion matrix
  sums both orders of every pair, so it is symmetric.
* individual vs mode: each person's labels against the consensus, on objects whose mode is
  not a tie; rows of the confusion matrix are the person, columns the mode.
* ``merge="12v34"`` does the same for clusters (1+2) vs non-clusters (3+4).

Weighted votes (Zooniverse, Hunt for Galaxy Clusters; the galaxy-cluster slides)
---------------------------------------------------------------------------------
Each person's weight is ``G = C / Q``: ``C`` the number of their labels that agree with the
majority (the untied mode), ``Q`` the number of labels they gave, both counted on the objects
with ``VS_MODE_MIN_LABELS`` (3) or more labels: with two labels the majority is either both labels
(the person agrees by construction) or a tie, so those objects say nothing about a person. A
person with no such object gets the median weight of those who have one. The weighted vote of an
object is the class with the largest sum of weights; its ``weighted_fraction`` is that sum over
the sum of the weights of everybody who labelled the object.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError
from starclass.inspect.agreement import inspector_agreement
from starclass.inspect.schemes import PHANGS, LabelScheme, get_scheme
from starclass.schema import CLASS_HUMAN_MEAN, CLASS_REF, CLASSES, ID, SCORE_SUM, human_col, score_col, vote_mode


def _check(M: ArrayLike, classes: Sequence[int] = CLASSES) -> np.ndarray:
    M = np.asarray(M)
    if M.ndim != 2:
        raise StarclassError(f"label matrix must be 2-D (objects x people), got shape {M.shape}")
    M = M.astype(int)
    bad = (M != 0) & ~np.isin(M, classes)
    if bad.any():
        i, p = np.argwhere(bad)[0]
        raise StarclassError(f"label matrix: object {i}, person {p} has class {M[i, p]}, not 0 or "
                             f"{', '.join(map(str, classes))}")
    return M


def merge_classes(M: ArrayLike, merge: str | None, cluster_values: Sequence[int] = (1, 2)) -> np.ndarray:
    """Map classes for a merged comparison: ``"12v34"`` -> 1 (clusters) / 2 (the rest).

    Parameters
    ----------
    M : array-like of int, shape (objects, people)
        The label matrix (0 = not labelled, kept 0).
    merge : {None, "12v34"}
        None returns ``M`` as it is; ``"12v34"`` merges.
    cluster_values : sequence of int
        The classes that are clusters (PHANGS and galaxy-cluster: 1 and 2).

    Returns
    -------
    numpy.ndarray of int
        ``M`` with every cluster class as 1 and every other class as 2.

    Examples
    --------
    >>> merge_classes([[1, 2], [3, 0], [4, 1]], "12v34").tolist()
    [[1, 1], [2, 0], [2, 1]]
    """
    M = np.asarray(M, int)
    if merge is None:
        return M
    if merge != "12v34":
        raise StarclassError(f"merge must be None or '12v34', not {merge!r}")
    return np.where(M == 0, 0, np.where(np.isin(M, cluster_values), 1, 2))


def label_matrix(rows: Sequence[tuple[str, str, int]], ids: Sequence[str] | None = None,
                 people: Sequence[str] | None = None, *, classes: Sequence[int] | None = CLASSES,
                 missing: int = 0) -> tuple[list[str], list[str], np.ndarray]:
    """Build the label matrix from ``(candidate_id, person, class)`` rows.

    Parameters
    ----------
    rows : sequence of (str, str, int)
        One label each: candidate id, person, class (or score).
    ids, people : sequence of str, optional
        The matrix's rows and columns; default those seen, in first-seen order (ids) and sorted
        (people). Rows naming an id or person outside them are left out.
    classes : sequence of int or None
        The classes a label may take (default PHANGS 1-4); None skips the check (scores).
    missing : int
        What fills the cells nobody labelled: 0, or -1 for score schemes, whose 0 is a score.

    Returns
    -------
    ids : list of str
    people : list of str
    M : numpy.ndarray of int, shape (len(ids), len(people))

    Examples
    --------
    >>> ids, people, M = label_matrix([("c1", "bob", 2), ("c1", "ann", 1), ("c2", "ann", 3)])
    >>> ids, people, M.tolist()
    (['c1', 'c2'], ['ann', 'bob'], [[1, 2], [3, 0]])
    """
    if ids is None:
        ids = list(dict.fromkeys(str(r[0]) for r in rows))
    if people is None:
        people = sorted({r[1] for r in rows})
    row_of = {str(c): i for i, c in enumerate(ids)}
    col_of = {p: j for j, p in enumerate(people)}
    M = np.full((len(ids), len(people)), missing, int)
    for cid, person, cls in rows:
        i, j = row_of.get(str(cid)), col_of.get(person)
        if i is not None and j is not None:
            M[i, j] = int(cls)
    return list(ids), list(people), (_check(M, classes) if classes is not None else M)


def vote_counts(M: ArrayLike, classes: Sequence[int] = CLASSES) -> np.ndarray:
    """Counts of each class's labels per object.

    Parameters
    ----------
    M : array-like of int, shape (objects, people)
        The label matrix (0 = not labelled).
    classes : sequence of int
        The classes, in the order of the output's columns (default PHANGS 1-4).

    Returns
    -------
    numpy.ndarray of int, shape (objects, len(classes))

    Examples
    --------
    >>> vote_counts([[1, 1, 2], [4, 0, 0]]).tolist()
    [[2, 1, 0, 0], [0, 0, 0, 1]]
    """
    M = _check(M, classes)
    return np.stack([(M == k).sum(axis=1) for k in classes], axis=1)


def mean_class(M: ArrayLike, classes: Sequence[int] = CLASSES) -> np.ndarray:
    """Mean of the labels given to each object.

    Parameters
    ----------
    M : array-like of int, shape (objects, people)
        The label matrix (0 = not labelled, left out of the mean).
    classes : sequence of int
        The classes a label may take (default PHANGS 1-4).

    Returns
    -------
    numpy.ndarray of float, shape (objects,)
        NaN where nobody labelled the object.

    Examples
    --------
    >>> mean_class([[1, 2, 0], [0, 0, 0]]).tolist()
    [1.5, nan]
    """
    M = _check(M, classes)
    n = (M > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, M.sum(axis=1) / np.maximum(n, 1), np.nan)


def mode_with_ties(M: ArrayLike, classes: Sequence[int] = CLASSES,
                   tie_rule: str = "nearest-mean") -> tuple[np.ndarray, np.ndarray]:
    """The consensus class and the tie flag of every object (see the module notes).

    ``tie_rule="highest"`` gives a tie the highest tied class instead (nominal classes ordered
    from most to least cluster-like, as galaxy-cluster's). The rule is
    :func:`starclass.schema.vote_mode`, which ``starclass train --label-model mode`` uses too,
    so an exported ``class_ref`` and the training target from the same votes are one class.

    Returns
    -------
    mode : int array (0 where nobody labelled the object)
    tie : bool array, True where two or more classes share the highest count

    Examples
    --------
    >>> mode, tie = mode_with_ties([[1, 2], [3, 3], [2, 4]])
    >>> mode.tolist(), tie.tolist()
    ([2, 3, 4], [True, False, True])
    """
    # one definition of the tie rule for the export and for training (they used to differ)
    return vote_mode(_check(M, classes), classes, tie_rule=tie_rule)


def _confusion(a: np.ndarray, b: np.ndarray, K: int, classes: Sequence[int] | None = None) -> np.ndarray:
    """Counts of (a, b) pairs; rows and columns in the order of ``classes`` (default 1..K)."""
    C = np.zeros((K, K), int)
    if classes is None:
        np.add.at(C, (a - 1, b - 1), 1)
    else:
        order = np.asarray(classes)
        np.add.at(C, (np.searchsorted(order, a), np.searchsorted(order, b)), 1)
    return C


def _row_normalise(C: np.ndarray) -> np.ndarray:
    rows = C.sum(axis=1, keepdims=True)
    return np.divide(C, rows, out=np.zeros(C.shape, float), where=rows > 0)


def pairwise_agreement(M: ArrayLike, people: Sequence[str] | None = None, *, merge: str | None = None,
                       min_overlap: int = 1, classes: Sequence[int] = CLASSES,
                       cluster_values: Sequence[int] = (1, 2)) -> dict:
    """Agreement of every pair of people on the objects both labelled.

    Parameters
    ----------
    M : array-like of int, shape (objects, people)
        The label matrix (0 = not labelled).
    people : sequence of str, optional
        The names of its columns (default ``p0``, ``p1``, ...).
    merge : {None, "12v34"}
        ``"12v34"`` compares clusters with the rest (:func:`merge_classes`).
    min_overlap : int
        Pairs that share fewer objects are left out.
    classes : sequence of int
        The classes (default PHANGS 1-4).
    cluster_values : sequence of int
        The cluster classes for ``merge``.

    Returns
    -------
    dict
        ``pairs`` (Table: person_a, person_b, n, agree), ``mean`` (mean over pairs with at least
        ``min_overlap`` shared objects; None if there are none), ``confusion`` (counts, both
        orders summed, K x K) and ``confusion_norm`` (row-normalised).

    Examples
    --------
    >>> pw = pairwise_agreement([[1, 1, 2], [3, 4, 4], [2, 2, 0]], ["a", "b", "c"])
    >>> pw["pairs"]["agree"].round(3).tolist(), round(pw["mean"], 3)   # a-b on 3 objects, a-c, b-c on 2
    ([0.667, 0.0, 0.5], 0.389)
    """
    M = merge_classes(_check(M, classes), merge, cluster_values)
    order = (1, 2) if merge else tuple(classes)
    K = len(order)
    names = list(people) if people is not None else [f"p{j}" for j in range(M.shape[1])]
    rows = []
    C = np.zeros((K, K), int)
    for i, j in itertools.combinations(range(M.shape[1]), 2):
        ok = (M[:, i] > 0) & (M[:, j] > 0)
        n = int(ok.sum())
        if n < max(min_overlap, 1):
            continue
        a, b = M[ok, i], M[ok, j]
        Cij = _confusion(a, b, K, order)
        C += Cij + Cij.T
        rows.append((names[i], names[j], n, float(np.mean(a == b))))
    pairs = Table(rows=rows, names=("person_a", "person_b", "n", "agree"),
                  dtype=(str, str, int, float)) if rows else Table(
        names=("person_a", "person_b", "n", "agree"), dtype=(str, str, int, float))
    mean = float(np.mean(pairs["agree"])) if len(pairs) else None
    return {"pairs": pairs, "mean": mean, "confusion": C, "confusion_norm": _row_normalise(C)}


#: Fewest labels an object needs for a person's agreement with its mode to mean anything. With
#: two, the mode is either both labels (the person agrees) or a tie (left out): agreement 1 by
#: construction, which raised every person's figure towards 1.
VS_MODE_MIN_LABELS = 3


def individual_vs_mode(M: ArrayLike, people: Sequence[str] | None = None, *, merge: str | None = None,
                       mode: np.ndarray | None = None, tie: np.ndarray | None = None,
                       classes: Sequence[int] = CLASSES, cluster_values: Sequence[int] = (1, 2),
                       min_labels: int = VS_MODE_MIN_LABELS) -> dict:
    """Each person's agreement with the consensus (untied objects with ``min_labels`` or more labels).

    Returns
    -------
    dict with ``people`` (Table: person, n, agree), ``mean`` (over all compared labels; None
    when no object qualifies), ``confusion`` (counts, rows = person's class, columns = mode) and
    ``confusion_norm``, ``per_person`` (person -> K x K counts), ``n_objects`` (objects
    compared) and ``min_labels``.

    Examples
    --------
    >>> vm = individual_vs_mode([[1, 1, 2], [3, 3, 0], [2, 2, 2]], ["a", "b", "c"])
    >>> vm["n_objects"], vm["people"]["agree"].tolist()   # the two-label object is left out
    (2, [1.0, 1.0, 0.5])
    """
    M = _check(M, classes)
    if mode is None or tie is None:
        mode, tie = mode_with_ties(M, classes)
    enough = (M > 0).sum(axis=1) >= int(min_labels)
    Mm = merge_classes(M, merge, cluster_values)
    mm = merge_classes(mode, merge, cluster_values)
    order = (1, 2) if merge else tuple(classes)
    K = len(order)
    names = list(people) if people is not None else [f"p{j}" for j in range(M.shape[1])]
    rows, per = [], {}
    C = np.zeros((K, K), int)
    n_all = agree_all = 0
    for j, name in enumerate(names):
        ok = (Mm[:, j] > 0) & (mm > 0) & ~np.asarray(tie, bool) & enough
        n = int(ok.sum())
        Cj = _confusion(Mm[ok, j], mm[ok], K, order)
        per[name] = Cj
        C += Cj
        a = int(np.trace(Cj))
        n_all += n
        agree_all += a
        rows.append((name, n, a / n if n else float("nan")))
    table = Table(rows=rows, names=("person", "n", "agree"), dtype=(str, int, float)) if rows else Table(
        names=("person", "n", "agree"), dtype=(str, int, float))
    n_objects = int(((mm > 0) & ~np.asarray(tie, bool) & enough).sum())
    return {"people": table, "mean": agree_all / n_all if n_all else None, "confusion": C,
            "confusion_norm": _row_normalise(C), "per_person": per, "n_objects": n_objects,
            "min_labels": int(min_labels)}


def vs_mode_note(n_objects: int, min_labels: int = VS_MODE_MIN_LABELS, n_people: int | None = None) -> str:
    """What the individual-vs-mode agreement was computed on, in words (for the summary and output).

    ``n_people`` (how many people labelled) words the reason for what there is: with one labeller
    the note spoke of "2 labels ... both labels or a tie", which no candidate had.

    Examples
    --------
    >>> vs_mode_note(0)[:46]
    'individual vs mode: not computed, no candidate'
    >>> vs_mode_note(0, n_people=1).split("(")[1]
    'one person labelled: a label is its own mode, so that person would agree with it by construction)'
    """
    why = _few_labels_reason(n_people, min_labels, "a person would agree by construction",
                             "that person would agree with it by construction")
    if n_objects == 0:
        return f"individual vs mode: not computed, no candidate has {min_labels} or more labels ({why})"
    return f"individual vs mode: on the {n_objects} candidates with {min_labels} or more labels and no tie ({why})"


def _few_labels_reason(n_people: int | None, min_labels: int, consequence: str, alone: str) -> str:
    """Why fewer than ``min_labels`` labels a candidate prove nothing, worded for the people there are.

    ``alone`` is the consequence when one person labelled, ``consequence`` when more did.
    """
    if n_people == 1:
        return f"one person labelled: a label is its own mode, so {alone}"
    if n_people is not None and n_people < min_labels:
        return (f"{n_people} people labelled: with at most {n_people} labels a candidate's mode is either every "
                f"label or a tie, so {consequence}")
    return f"with {min_labels - 1} labels the mode is either both labels or a tie, so {consequence}"


def weights_note(n_people: int | None = None, min_labels: int = VS_MODE_MIN_LABELS) -> str:
    """Why the summary's weights are null (and the export's weighted_frac empty), in words.

    ``n_people`` (how many people labelled) words the reason for what there is: with one labeller the
    note spoke of "2 labels a candidate ... both labels or a tie", which no candidate had.

    Examples
    --------
    >>> weights_note(1).split("(")[1].split(")")[0]
    'one person labelled: a label is its own mode, so there is no one else to weigh that person against'
    """
    why = _few_labels_reason(n_people, min_labels, "people cannot be weighted against a consensus of others",
                             "there is no one else to weigh that person against")
    return (f"weights: not computed, no candidate has {min_labels} or more labels ({why}); class_weighted is the "
            "mode, weighted_frac is empty")


def weights_computed(M: ArrayLike, min_labels: int = VS_MODE_MIN_LABELS) -> bool:
    """Whether :func:`majority_weights` has evidence: some object with ``min_labels`` or more labels.

    Examples
    --------
    >>> weights_computed([[1, 2], [2, 2]]), weights_computed([[1, 2, 2]])
    (False, True)
    """
    M = np.asarray(M)
    return bool(M.ndim == 2 and ((M > 0).sum(axis=1) >= int(min_labels)).any())


def class_key(n_classes: int) -> str:
    """The suffix of a summary's all-classes keys: ``<K>class`` (``pairwise_2class``, ``vs_mode_4class``).

    Examples
    --------
    >>> class_key(2), class_key(4)
    ('2class', '4class')
    """
    return f"{int(n_classes)}class"


def agreement_value(summary: dict, name: str) -> float | None:
    """``summary[name + '_<K>class']``, the all-classes figure of a summary, old or new.

    Summaries written before 2026-12-04 name no class count and said ``4class`` for every scheme.

    Examples
    --------
    >>> agreement_value({"n_classes": 2, "pairwise_2class": 0.8}, "pairwise"), agreement_value(
    ...     {"pairwise_4class": 0.5}, "pairwise")
    (0.8, 0.5)
    """
    return summary.get(f"{name}_{class_key(summary.get('n_classes', 4))}")


def majority_weights(M: ArrayLike, *, mode: np.ndarray | None = None, tie: np.ndarray | None = None,
                     classes: Sequence[int] = CLASSES, min_labels: int = VS_MODE_MIN_LABELS) -> np.ndarray:
    """Each person's weight ``G = C / Q`` (agreements with the untied mode / labels given).

    ``C`` and ``Q`` are counted on the objects with ``min_labels`` or more labels only: on an
    object with two labels the mode is both labels or a tie, so a person would agree by
    construction (the same rule as :func:`individual_vs_mode`). A tie on such an object counts
    in ``Q`` (there is no majority to agree with). A person with no qualifying object gets the
    median weight of the people who have one (no evidence either way); all weights are 0 when
    nobody has one, and :func:`weighted_vote` then falls back to the plain mode.

    Examples
    --------
    >>> M = [[1, 1, 1], [2, 2, 3], [4, 0, 4]]   # the last object has two labels: not counted
    >>> majority_weights(M).tolist()
    [1.0, 1.0, 0.5]
    """
    M = _check(M, classes)
    if mode is None or tie is None:
        mode, tie = mode_with_ties(M, classes)
    enough = (M > 0).sum(axis=1) >= int(min_labels)
    given = (M > 0) & enough[:, None]
    Q = given.sum(axis=0)
    agree = given & (M == mode[:, None]) & ~np.asarray(tie, bool)[:, None]
    Cn = agree.sum(axis=0)
    w = np.divide(Cn, Q, out=np.zeros(M.shape[1], float), where=Q > 0)
    if (Q > 0).any():
        # no evidence about these people: a typical weight rather than silencing their votes
        w[Q == 0] = float(np.median(w[Q > 0]))
    return w


def weighted_vote(M: ArrayLike, weights: np.ndarray | None = None, *, classes: Sequence[int] = CLASSES,
                  plain: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Class with the largest summed weight, and that sum's share of the object's total weight.

    Ties of the weighted sums (including all-zero weights) fall back to the plain mode.

    Parameters
    ----------
    M : array-like of int, shape (objects, people)
        The label matrix (0 = not labelled).
    weights : array-like of float, shape (people,), optional
        Each person's weight (default :func:`majority_weights`).
    classes : sequence of int
        The classes (default PHANGS 1-4).
    plain : numpy.ndarray of int, optional
        The plain mode that breaks ties (default :func:`mode_with_ties`).

    Returns
    -------
    vote : numpy.ndarray of int
        The weighted vote (0 where nobody labelled the object).
    fraction : numpy.ndarray of float
        The winning class's share of the object's total weight (NaN where nobody labelled it,
        or the weights sum to 0).

    Examples
    --------
    >>> vote, frac = weighted_vote([[1, 2, 2], [3, 4, 0]], weights=[1.0, 0.2, 0.2])
    >>> vote.tolist(), frac.round(3).tolist()
    ([1, 3], [0.714, 0.833])
    """
    M = _check(M, classes)
    w = majority_weights(M, classes=classes) if weights is None else np.asarray(weights, float)
    if w.shape != (M.shape[1],):
        raise StarclassError(f"weights: need one per person ({M.shape[1]}), got shape {w.shape}")
    scores = np.stack([((M == k) * w[None, :]).sum(axis=1) for k in classes], axis=1)
    total = scores.sum(axis=1)
    if plain is None:
        plain, _ = mode_with_ties(M, classes)
    out = np.zeros(len(M), int)
    frac = np.full(len(M), np.nan)
    for i in range(len(M)):
        if not (M[i] > 0).any():
            continue
        top = scores[i].max()
        tied = [k for k, s in zip(classes, scores[i]) if np.isclose(s, top)]
        out[i] = tied[0] if len(tied) == 1 else plain[i]
        frac[i] = top / total[i] if total[i] > 0 else np.nan
    return out, frac


def consensus_table(M: ArrayLike, ids: Sequence[str], people: Sequence[str],
                    scheme: LabelScheme | str = PHANGS) -> tuple[Table, dict]:
    """Per-object consensus columns and the agreement summary of a class scheme (mode).

    Parameters
    ----------
    M
        The label matrix (0 = not labelled).
    ids, people
        Its rows and columns.
    scheme
        A class scheme (``consensus="mode"``); default PHANGS 1-4. Score schemes go to
        :func:`score_table`.

    Returns
    -------
    table : Table with ``id``, ``class_h<k>`` (k = 1.. in the order of ``people``),
        ``n_labels``, ``class_ref`` (mode, tie rule applied), ``tie``, ``class_human_mean``,
        ``agree_frac`` (share of labels equal to ``class_ref``), ``class_weighted``,
        ``weighted_frac``; ``meta['people']`` maps ``class_h<k>`` to the person.
    summary : dict with pairwise and individual-vs-mode agreement (all classes, ``4class``,
        and clusters vs the rest, ``binary``), each person's weight, and ``inspectors``: for
        every pair of people the fraction agreeing, Cohen's kappa and their cross-table
        (:func:`starclass.inspect.agreement.inspector_agreement`).

    Examples
    --------
    >>> t, summary = consensus_table([[1, 1], [2, 3]], ["a", "b"], ["ann", "bob"])
    >>> t["class_ref"].tolist(), t["tie"].tolist(), summary["inspectors"][0]["agree_frac"]
    ([1, 3], [False, True], 0.5)
    """
    scheme = get_scheme(scheme)
    if scheme.consensus != "mode":
        raise StarclassError(f"label scheme {scheme.name} sums scores; use score_table")
    classes, clusters = scheme.allowed, scheme.cluster_values or (1, 2)
    M = _check(M, classes)
    mode, tie = mode_with_ties(M, classes, scheme.tie_rule)
    w = majority_weights(M, mode=mode, tie=tie, classes=classes)
    wv, wf = weighted_vote(M, w, classes=classes, plain=mode)
    n = (M > 0).sum(axis=1)
    t = Table()
    t[ID] = list(ids)
    for j, _ in enumerate(people):
        t[human_col(j + 1)] = M[:, j]
    t["n_labels"] = n
    t[CLASS_REF] = mode
    t["tie"] = tie
    # class_human_mean, the name the LEGUS reader gives the people's mean: it was written class_mean, classify's
    # name for the class of the members' mean probability, so a classified catalogue exported kept its own
    # as class_mean_catalogue (old exports' class_mean is read as this: export.OLD_EXPORT_NAMES)
    t[CLASS_HUMAN_MEAN] = mean_class(M, classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        t["agree_frac"] = np.where(n > 0, (M == mode[:, None]).sum(axis=1) / np.maximum(n, 1), np.nan)
    t["class_weighted"] = wv
    t["weighted_frac"] = wf
    t.meta["people"] = {human_col(j + 1): p for j, p in enumerate(people)}
    t.meta["label_scheme"] = scheme.name
    t.meta["tie_rule"] = ("mode; ties flagged (tie=True) and given the tied class nearest the mean "
                          "label, the higher class when equally near" if scheme.tie_rule == "nearest-mean"
                          else "mode; ties flagged (tie=True) and given the highest tied class")
    weighted = weights_computed(M)
    if not weighted:
        # no person has an object with 3+ labels: every weight came out 0, which read as "no trust", and
        # every weighted_frac NaN; they are not computed, and said so
        t["weighted_frac"] = np.ma.masked_array(wf, mask=np.ones(len(wf), bool))
    all_key = class_key(len(classes))
    summary: dict = {"label_scheme": scheme.name, "consensus": "mode", "n_classes": len(classes),
                     "weights": {p: (float(x) if weighted else None) for p, x in zip(people, w)},
                     "n_ties": int(tie.sum()), "n_labelled": int((n > 0).sum())}
    if not weighted:
        summary["weights_note"] = weights_note(len(people))
    # the all-classes keys are named by the scheme's class count ("pairwise_2class" for a two-class task;
    # they said 4class whatever the task); class_key / agreement_value read old summaries too
    for merge, key in ((None, all_key), ("12v34", "binary")):
        pw = pairwise_agreement(M, people, merge=merge, classes=classes, cluster_values=clusters)
        vm = individual_vs_mode(M, people, merge=merge, mode=mode, tie=tie, classes=classes,
                                cluster_values=clusters)
        summary[f"pairwise_{key}"] = pw["mean"]
        summary[f"vs_mode_{key}"] = vm["mean"]
        summary[f"confusion_pairwise_{key}"] = pw["confusion"].tolist()
        summary[f"confusion_vs_mode_{key}"] = vm["confusion"].tolist()
        summary[f"pairs_{key}"] = [dict(zip(pw["pairs"].colnames, map(_py, r))) for r in pw["pairs"]]
        summary[f"people_{key}"] = [dict(zip(vm["people"].colnames, map(_py, r))) for r in vm["people"]]
        summary[f"vs_mode_n_{key}"] = vm["n_objects"]
    summary["vs_mode_min_labels"] = VS_MODE_MIN_LABELS
    summary["vs_mode_note"] = vs_mode_note(summary[f"vs_mode_n_{all_key}"], n_people=len(people))
    summary["inspectors"] = inspector_agreement(M, people, classes, missing=0, ordinal=scheme.ordinal)
    return t, summary


def score_table(S: ArrayLike, ids: Sequence[str], people: Sequence[str], scheme: LabelScheme | str,
                cluster_cut: int | None = None) -> tuple[Table, dict]:
    """Per-object summed scores and the agreement summary of a score scheme (``m31-check``).

    Parameters
    ----------
    S
        Score matrix (objects x people): the score each person gave, -1 where they gave none.
    ids, people
        Its rows and columns.
    scheme
        A score scheme (``consensus="sum"``).
    cluster_cut
        The smallest sum that makes a cluster (default: the scheme's, 3 for ``m31-check``).

    Returns
    -------
    table : Table with ``id``, ``score_h<k>`` (-1 = not scored), ``n_labels``, ``score_sum``
        (sum of the scores given; -1 when none), ``complete`` (scored by exactly the scheme's
        number of inspectors) and ``class_ref``: 1 (cluster: complete and ``score_sum >=
        cluster_cut``), 2 (not a cluster) or 0 (incomplete: not yet decided).
    summary : dict with the cut, counts of each complete sum, clusters, incomplete objects and
        ``inspectors``: for every pair, the fraction agreeing, Cohen's kappa, linear and
        quadratic weighted kappas and the cross-table.

    Examples
    --------
    >>> t, summary = score_table([[2, 1], [0, 1], [2, -1]], ["a", "b", "c"], ["ann", "bob"],
    ...                          "m31-check")
    >>> t["score_sum"].tolist(), t["class_ref"].tolist(), summary["sum_counts"]
    ([3, 1, 2], [1, 2, 0], {'0': 0, '1': 1, '2': 0, '3': 1, '4': 0})
    """
    scheme = get_scheme(scheme)
    if scheme.consensus != "sum":
        raise StarclassError(f"label scheme {scheme.name} takes the mode of classes; use consensus_table")
    cut = scheme.check_cut(cluster_cut if cluster_cut is not None else scheme.cluster_cut)
    S = np.asarray(S, int)
    if S.ndim != 2:
        raise StarclassError(f"score matrix must be 2-D (objects x people), got shape {S.shape}")
    given = S >= 0
    bad = given & ~np.isin(S, scheme.allowed)
    if bad.any():
        i, p = np.argwhere(bad)[0]
        raise StarclassError(f"score matrix: object {i}, person {p} has score {S[i, p]}, not in "
                             f"label scheme {scheme.name}")
    n = given.sum(axis=1)
    total = np.where(n > 0, np.where(given, S, 0).sum(axis=1), -1)
    # the sum means what the paper's 0-4 means only when the scheme's number of people scored
    complete = n == scheme.n_inspectors
    cls = np.where(complete, np.where(total >= cut, 1, 2), 0)
    t = Table()
    t[ID] = list(ids)
    for j, _ in enumerate(people):
        t[score_col(j + 1)] = S[:, j]
    t["n_labels"] = n
    t[SCORE_SUM] = total
    t["complete"] = complete
    t[CLASS_REF] = cls
    t.meta["people"] = {score_col(j + 1): p for j, p in enumerate(people)}
    t.meta["label_scheme"] = scheme.name
    t.meta["cluster_cut"] = cut
    t.meta["class_ref_rule"] = (f"1 (cluster) where {scheme.n_inspectors} people scored and "
                                f"{SCORE_SUM} >= {cut}; 2 (not a cluster) where they scored less; "
                                "0 where fewer or more people scored")
    lo, hi = scheme.sum_range
    summary: dict = {
        "label_scheme": scheme.name, "consensus": "sum", "cluster_cut": cut,
        "n_inspectors": scheme.n_inspectors, "n_labelled": int((n > 0).sum()),
        "n_complete": int(complete.sum()), "n_incomplete": int(((n > 0) & ~complete).sum()),
        "n_clusters": int((cls == 1).sum()),
        "sum_counts": {str(v): int(((total == v) & complete).sum()) for v in range(lo, hi + 1)},
        "inspectors": inspector_agreement(S, people, scheme.allowed, missing=-1, ordinal=scheme.ordinal),
    }
    return t, summary


def _py(v):
    return v.item() if hasattr(v, "item") else v
