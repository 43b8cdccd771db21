"""How often real people disagreed, from the mode and the mean of their classes.

Standard LEGUS catalogues give, per inspected source, the mode of the human classes (col 34,
``class_ref``) and their mean (col 35, ``class_human_mean``), not the votes. Mode and mean
together bound the votes: with three people, mode 2 and mean 2.33 can only be 2, 2, 3; mode 4 and
mean 3.67 only 3, 4, 4; mean 2.00 with mode 2 only 2, 2, 2. :func:`vote_splits` lists the vote
multisets consistent with one (mode, mean) pair and :func:`disagreement` turns them into the
figures the StarcNet paper quotes for people (pairwise agreement, agreement of a person with the
mode, four classes and clusters 1+2 against the rest), the same for classes 1-3 against class 4
(the LEGUS papers' cluster-or-not split), and counts between which classes people disagreed.

Assumptions, stated because the catalogues do not: the number of votes is 3 (the usual LEGUS
team) unless the mean rules it out (quarters mean 4 votes, halves 2 or 4, fifths 5; NGC 6503
has ninths); a split with a strict majority for the mode is preferred to a tie that the team
broke. A (mode, mean) that no split of 2-9 votes explains (mode 1 with mean 3.33) is counted
as inconsistent and left out.

Examples
--------
>>> vote_splits(2, 2.33)
[(2, 2, 3)]
>>> vote_splits(4, 3.67)
[(3, 4, 4)]
>>> vote_splits(3, 2.5)
[(1, 3, 3, 3)]
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, combinations_with_replacement

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError
from starclass.schema import CLASS_HUMAN_MEAN, CLASS_REF, CLASSES, class_array

#: Vote counts tried, in order of preference (3: the usual LEGUS team).
VOTE_COUNTS: tuple[int, ...] = (3, 4, 2, 5, 6, 7, 8, 9)
#: Pairs of classes two people can disagree on, in report order.
CLASS_PAIRS: tuple[tuple[int, int], ...] = tuple(combinations(CLASSES, 2))
#: Tolerance on the mean: catalogues round it to two decimals (2.33, 3.67).
MEAN_TOL = 0.011


@cache
def _splits_of(n: int) -> list[tuple[tuple[int, ...], float, frozenset, bool]]:
    """Every multiset of ``n`` votes: (votes, mean, modes, strict majority?)."""
    out = []
    for votes in combinations_with_replacement(CLASSES, n):
        counts = {c: votes.count(c) for c in set(votes)}
        top = max(counts.values())
        modes = frozenset(c for c, k in counts.items() if k == top)
        out.append((votes, sum(votes) / n, modes, len(modes) == 1))
    return out


def vote_splits(mode: int, mean: float, n_votes: tuple[int, ...] = VOTE_COUNTS) -> list[tuple[int, ...]]:
    """Vote multisets (sorted tuples) consistent with a class mode and a class mean.

    Parameters
    ----------
    mode
        The final class (the mode of the votes), 1-4.
    mean
        The mean of the votes, as the catalogue gives it (two decimals).
    n_votes
        Numbers of people to try, in order; the first that explains (mode, mean) is used.

    Returns
    -------
    list of tuple
        The splits with a strict majority for ``mode`` under the first vote count that has one;
        else the splits where ``mode`` is one of tied classes; empty when nothing fits.

    Examples
    --------
    >>> vote_splits(1, 1.0)
    [(1, 1, 1)]
    >>> vote_splits(2, 2.67)
    [(2, 2, 4)]
    >>> vote_splits(1, 3.5)
    []
    """
    for strict in (True, False):
        for n in n_votes:
            found = [v for v, mu, modes, unique in _splits_of(n)
                     if abs(mu - mean) <= MEAN_TOL and mode in modes and (unique or not strict)]
            if found:
                return found
    return []


def split_figures(votes: tuple[int, ...], final: int | None = None) -> dict[str, float]:
    """Agreement figures of one vote multiset.

    Parameters
    ----------
    votes
        The classes the people gave (1-4).
    final
        The final class (the catalogue's mode, a tie broken by the team); ``None``: the largest
        group of votes, ties to the smallest class.

    Returns
    -------
    dict
        ``pair_4class``, ``pair_binary`` (fraction of pairs of people agreeing), ``mode_4class``,
        ``mode_binary`` (fraction of people agreeing with the final class: its class, and its side
        of clusters 1+2 against 3+4), ``pair_123v4``, ``mode_123v4`` (the same for classes 1-3
        against class 4) and ``unanimous``.

    Examples
    --------
    >>> f = split_figures((2, 2, 3))
    >>> round(f["pair_4class"], 3), round(f["mode_4class"], 3), round(f["pair_binary"], 3)
    (0.333, 0.667, 0.333)

    A tie the team broke for class 1: one person of three said a cluster.

    >>> g = split_figures((1, 3, 4), final=1)
    >>> round(g["mode_4class"], 3), round(g["mode_binary"], 3)
    (0.333, 0.333)

    Classes 1-3 against 4: 3, 4, 4 has one pair of three on one side, two people of three with the final 4.

    >>> h = split_figures((3, 4, 4))
    >>> round(h["pair_123v4"], 3), round(h["mode_123v4"], 3), split_figures((2, 2, 3))["pair_123v4"]
    (0.333, 0.667, 1.0)
    """
    pairs = list(combinations(votes, 2))
    counts = {c: votes.count(c) for c in set(votes)}
    if final is None:
        final = min(c for c, k in counts.items() if k == max(counts.values()))
    # a broken tie's final class can sit on the binary minority side, (1, 3, 4) -> 1: the people
    # agreeing with it are those on its side, not the larger side (which gave 2/3 here until 2026-12-06)
    return {
        "pair_4class": float(np.mean([a == b for a, b in pairs])),
        "pair_binary": float(np.mean([(a <= 2) == (b <= 2) for a, b in pairs])),
        "mode_4class": counts.get(final, 0) / len(votes),
        "mode_binary": sum((v <= 2) == (final <= 2) for v in votes) / len(votes),
        "pair_123v4": float(np.mean([(a <= 3) == (b <= 3) for a, b in pairs])),
        "mode_123v4": sum((v <= 3) == (final <= 3) for v in votes) / len(votes),
        "unanimous": float(len(counts) == 1),
    }


#: The agreement figures averaged over sources (:func:`split_figures`), in report order.
AGREEMENT_FIGURES: tuple[str, ...] = ("pair_4class", "pair_binary", "mode_4class", "mode_binary", "pair_123v4",
                                      "mode_123v4")
_FIGURES = (*AGREEMENT_FIGURES, "unanimous")


def _summarise(items, n: int, inconsistent: int, no_mean: int = 0) -> dict:
    """Figures from ``(final class, [(votes, weight), ...])`` per source (see :func:`disagreement`)."""
    sums = dict.fromkeys(_FIGURES, 0.0)
    pairs = dict.fromkeys(CLASS_PAIRS, 0.0)
    by_mode = {k: {"n": 0, "unanimous": 0.0, "minority": dict.fromkeys(CLASSES, 0.0)} for k in CLASSES}
    used = ambiguous = 0
    for m, weighted in items:
        used += 1
        ambiguous += len(weighted) > 1
        by_mode[m]["n"] += 1
        for votes, w in weighted:
            f = split_figures(votes, m)
            for k in _FIGURES:
                sums[k] += w * f[k]
            by_mode[m]["unanimous"] += w * f["unanimous"]
            for v in votes:
                if v != m:  # a minority vote against the final class
                    pairs[(min(v, m), max(v, m))] += w
                    by_mode[m]["minority"][v] += w
    total = sum(pairs.values())
    out = {"n": n, "n_used": used, "n_inconsistent": inconsistent, "n_no_mean": no_mean, "n_ambiguous": ambiguous,
           "disagree": 1.0 - sums["unanimous"] / used if used else float("nan"), "pairs": pairs,
           "pair_share": {p: (v / total if total else float("nan")) for p, v in pairs.items()},
           "by_mode": by_mode}
    for k in AGREEMENT_FIGURES:
        out[k] = sums[k] / used if used else float("nan")
    return out


def disagreement(mode: ArrayLike, mean: ArrayLike) -> dict:
    """Disagreement figures of a catalogue from its class mode and class mean per source.

    Each source's consistent splits share its weight equally.

    Parameters
    ----------
    mode
        Class mode per source (0 = not inspected: skipped).
    mean
        Class mean per source.

    Returns
    -------
    dict
        ``n`` (inspected), ``n_used`` (consistent), ``n_inconsistent`` (a mode and mean no split
        of votes fits), ``n_no_mean`` (inspected, but no class mean: NaN), ``n_ambiguous`` (more
        than one split fits), ``disagree`` (fraction of sources where not everybody agreed),
        ``pair_4class``, ``pair_binary``, ``mode_4class``, ``mode_binary``, ``pair_123v4``, ``mode_123v4``
        (means over sources),
        ``pairs`` (class pair -> weight of minority votes against the mode on that pair),
        ``pair_share`` (the same as fractions of all minority votes) and ``by_mode`` (final class
        -> sources, weight of unanimous ones, minority votes per class).

    Examples
    --------
    >>> d = disagreement([1, 2, 4, 0], [1.0, 2.33, 3.67, 0.0])
    >>> d["n_used"], round(d["disagree"], 3), d["pairs"][(2, 3)], d["pairs"][(3, 4)]
    (3, 0.667, 1.0, 1.0)

    An inspected source without a mean is left out as a missing mean, not as a mode and mean that
    fit no split (mode 1 with mean 3.33 is one):

    >>> d = disagreement([2, 2, 1], [2.33, float("nan"), 3.33])
    >>> d["n_used"], d["n_no_mean"], d["n_inconsistent"]
    (1, 1, 1)
    """
    mode = np.asarray(mode, dtype=int)
    mean = np.asarray(mean, dtype=float)
    cache: dict[tuple[int, float], list] = {}
    items = []
    n = inconsistent = no_mean = 0
    for m, mu in zip(mode, mean, strict=True):
        if m not in CLASSES:
            continue
        n += 1
        if not np.isfinite(mu):
            # a hand-edited or blank mean is missing, not a (mode, mean) pair no split of votes fits
            no_mean += 1
            continue
        key = (int(m), round(float(mu), 2))
        if key not in cache:
            cache[key] = vote_splits(*key)
        splits = cache[key]
        if not splits:
            inconsistent += 1
            continue
        items.append((int(m), [(v, 1.0 / len(splits)) for v in splits]))
    return _summarise(items, n, inconsistent, no_mean)


def vote_disagreement(labels: ArrayLike) -> dict:
    """The figures of :func:`disagreement` from the votes themselves (N x K classes, 1-4).

    For simulated people, whose votes are known; the final class is the mode (ties: the
    smallest of the tied classes).

    Examples
    --------
    >>> d = vote_disagreement([[2, 2, 3], [1, 1, 1]])
    >>> round(d["disagree"], 2), round(d["pair_4class"], 3), d["pairs"][(2, 3)]
    (0.5, 0.667, 1.0)
    """
    items = []
    for row in np.asarray(labels, dtype=int):
        votes = tuple(sorted(int(v) for v in row))
        counts = {c: votes.count(c) for c in set(votes)}
        m = min(c for c, k in counts.items() if k == max(counts.values()))
        items.append((m, [(votes, 1.0)]))
    return _summarise(items, len(items), 0)


def catalog_disagreement(table: Table, name: str = "catalogue") -> dict:
    """:func:`disagreement` of a catalogue with ``class_ref`` (the mode) and ``class_human_mean``.

    Raises
    ------
    StarclassError
        When the catalogue has no class mean (e.g. NGC 1566, NGC 3274), naming it.

    Examples
    --------
    >>> t = Table({"class_ref": [1, 2, 4], "class_human_mean": [1.0, 2.33, 3.67]})
    >>> d = catalog_disagreement(t, "ngc0000")
    >>> d["n_used"], round(d["disagree"], 3)
    (3, 0.667)
    >>> catalog_disagreement(Table({"class_ref": [1]}), "ngc1566")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: ngc1566 has no column 'class_human_mean': the votes cannot be bounded ...
    """
    for c in (CLASS_REF, CLASS_HUMAN_MEAN):
        if c not in table.colnames:
            raise StarclassError(f"{name} has no column {c!r}: the votes cannot be bounded without the class mode "
                                 "and the class mean of the human classifications")
    return disagreement(class_array(table, CLASS_REF, name=name), np.asarray(table[CLASS_HUMAN_MEAN], dtype=float))


def disagreement_table(results: dict[str, dict]) -> Table:
    """One row per catalogue (and the pooled total last) of :func:`disagreement` results.

    Parameters
    ----------
    results
        Name -> result of :func:`disagreement` / :func:`vote_disagreement`.

    Returns
    -------
    astropy.table.Table
        ``field, n, n_used, ambiguous, disagree, pair_4class, pair_binary, mode_4class, mode_binary,
        pair_123v4, mode_123v4`` and the share of minority votes on each class pair (``1-2`` ... ``3-4``).

    Examples
    --------
    >>> res = {"A": disagreement([2, 1], [2.33, 1.0]), "B": vote_disagreement([[4, 4, 3], [1, 1, 1], [3, 3, 3]])}
    >>> t = disagreement_table(res)
    >>> t["field"].tolist(), t["n_used"].tolist(), [round(float(v), 3) for v in t["disagree"]]
    (['A', 'B'], [2, 3], [0.5, 0.333])
    >>> t["2-3"].tolist(), t["3-4"].tolist()
    ([1.0, 0.0], [0.0, 1.0])
    """
    rows = []
    for name, r in results.items():
        row = {"field": name, "n": r["n"], "n_used": r["n_used"], "ambiguous": r["n_ambiguous"],
               "disagree": r["disagree"], **{k: r[k] for k in AGREEMENT_FIGURES}}
        row.update({f"{a}-{b}": r["pair_share"][(a, b)] for a, b in CLASS_PAIRS})
        rows.append(row)
    return Table(rows=rows, names=list(rows[0])) if rows else Table()


def pooled(results: dict[str, dict]) -> dict:
    """Pool :func:`disagreement` results of several catalogues, weighting sources equally.

    Examples
    --------
    One source of A's two and one of B's three had a dissenter: 2 of 5 sources:

    >>> res = {"A": disagreement([2, 1], [2.33, 1.0]), "B": vote_disagreement([[4, 4, 3], [1, 1, 1], [3, 3, 3]])}
    >>> p = pooled(res)
    >>> p["n_used"], p["disagree"], p["pairs"][(2, 3)], p["pairs"][(3, 4)]
    (5, 0.4, 1.0, 1.0)
    """
    used = sum(r["n_used"] for r in results.values())
    out = {"n": sum(r["n"] for r in results.values()), "n_used": used,
           "n_inconsistent": sum(r["n_inconsistent"] for r in results.values()),
           "n_no_mean": sum(r.get("n_no_mean", 0) for r in results.values()),
           "n_ambiguous": sum(r["n_ambiguous"] for r in results.values())}
    for k in ("disagree", *AGREEMENT_FIGURES):
        out[k] = sum(r[k] * r["n_used"] for r in results.values() if r["n_used"]) / used if used else float("nan")
    pairs = {p: sum(r["pairs"][p] for r in results.values()) for p in CLASS_PAIRS}
    total = sum(pairs.values())
    out["pairs"] = pairs
    out["pair_share"] = {p: (v / total if total else float("nan")) for p, v in pairs.items()}
    out["by_mode"] = {k: {"n": sum(r["by_mode"][k]["n"] for r in results.values()),
                          "unanimous": sum(r["by_mode"][k]["unanimous"] for r in results.values()),
                          "minority": {j: sum(r["by_mode"][k]["minority"][j] for r in results.values())
                                       for j in CLASSES}}
                      for k in CLASSES}
    return out


def by_mode_table(result: dict) -> Table:
    """Per final class: sources, share where people disagreed, and where the minority votes went.

    Independent of the class mix, so real and simulated people compare class by class.

    Examples
    --------
    >>> t = by_mode_table(vote_disagreement([[2, 2, 3], [2, 2, 2], [4, 4, 3]]))
    >>> int(t["n"][1]), float(t["disagree"][1]), float(t["to_3"][1])
    (2, 0.5, 1.0)
    """
    rows = []
    for k in CLASSES:
        b = result["by_mode"][k]
        tot = sum(b["minority"].values())
        rows.append({"class": k, "n": b["n"], "disagree": 1 - b["unanimous"] / b["n"] if b["n"] else np.nan,
                     **{f"to_{j}": (b["minority"][j] / tot if tot else np.nan) for j in CLASSES}})
    return Table(rows=rows, names=list(rows[0]))
