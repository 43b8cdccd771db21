"""Scoring and picking the candidates worth a person's time.

* :func:`entropy`: the predictive entropy ``-sum_k p_k ln p_k`` (nats) of each candidate's
  probabilities: largest where the model is least sure (uncertainty sampling; Lewis & Gale
  1994, Settles 2009).
* :func:`margin`: one minus the gap between a candidate's two most probable classes: largest
  where the model hesitates between two classes (margin sampling; Scheffer et al. 2001). Unlike
  the entropy it does not grow with the probability spread over the *other* classes, so it
  prefers candidates on one boundary to ones the model finds hopeless in every class.
* :func:`mutual_information`: BALD (Houlsby et al. 2011; Gal et al. 2017), the mutual information
  ``H(mean_v p_v) - mean_v H(p_v)`` between the prediction and the model over several
  predictions ``p_v`` of one candidate (test-time-augmentation views, ensemble members): large
  where the predictions disagree (the model is unsure), small where they all agree the candidate
  is ambiguous, so it does not chase the candidates people find ambiguous too.
* :func:`informativeness`: the score to rank by: the entropy (``by="entropy"``), the margin
  (``by="margin"``), the size of the conformal prediction set (``by="set-size"``) with the
  entropy breaking ties (without a set-size column ``set-size`` falls back to the entropy, and
  says so), or the ``mutual_info`` column ``classify --tta`` (or an ensemble) writes
  (``by="mutual-info"``), ties by entropy.
* :func:`pick`: the ``n`` highest scores, spread over magnitude bins: the candidates are cut
  into ``bins`` quantile bins of magnitude and each bin gets an equal share of ``n`` (its
  best-scored candidates); a bin with too few candidates leaves its share to the others,
  by score. Uncertainty alone would pick mostly faint candidates (where everybody is unsure),
  and a model taught only faint objects gets worse on the bright ones.
* :func:`suggest`: all of it on a classified table (``prob_<k>`` columns), leaving out
  candidates that already have a label.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError, counted, model_word, shell_word
from starclass.io.mosaic import MosaicsLike
from starclass.io.paths import resolved
from starclass.schema import (
    ENTROPY,
    ID,
    INFERENCE_BATCH_SIZE,
    MARGIN,
    MODEL_PATH,
    MUTUAL_INFO,
    PRED_SET_SIZE,
    SUGGEST_BY,
    SUGGEST_RANK,
    X,
    Y,
    id_keys,
    prob_classes,
    prob_cols,
)

if TYPE_CHECKING:
    import torch

    from starclass.learn.checkpoint import LoadedModel

# mutual_information is served by __getattr__ below (from starclass.learn.ensemble)
__all__ = ["BY", "SET_SIZE_COLUMNS", "classified", "default_mag_column", "entropy", "informativeness", "margin",
           "pick", "pool_text", "suggest", "unlabelled"]

#: What :func:`informativeness` can rank by (``suggest --by``; :data:`starclass.schema.SUGGEST_BY`).
BY = SUGGEST_BY
#: Columns that may hold the size of a conformal prediction set (``pred_set`` itself, a list
#: of classes, is counted when none of these is there).
SET_SIZE_COLUMNS = ("pred_set_size", "set_size")


def entropy(prob: np.ndarray) -> np.ndarray:
    """Entropy in nats of each row of probabilities (0 log 0 = 0; NaN rows give NaN).

    Examples
    --------
    >>> entropy(np.array([[1.0, 0.0], [0.5, 0.5]])).round(4).tolist()
    [0.0, 0.6931]
    """
    p = np.asarray(prob, dtype=float)
    terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    out = terms.sum(axis=1)
    out[~np.isfinite(p).all(axis=1)] = np.nan
    return out


def margin(prob: np.ndarray) -> np.ndarray:
    """One minus the gap between the two largest probabilities of each row (NaN rows give NaN).

    1 when the two most probable classes tie, 0 when one class has all the probability.

    Parameters
    ----------
    prob : numpy.ndarray
        Probabilities, one row per candidate, at least two columns.

    Returns
    -------
    numpy.ndarray
        The margin score per row: larger = more informative.

    Examples
    --------
    >>> margin(np.array([[0.5, 0.5, 0.0], [0.7, 0.2, 0.1], [1.0, 0.0, 0.0]])).round(4).tolist()
    [1.0, 0.5, 0.0]
    """
    p = np.asarray(prob, dtype=float)
    if p.ndim != 2 or p.shape[1] < 2:
        raise StarclassError(f"margin needs probabilities of at least two classes per row, got shape {p.shape}")
    # an unclassified row (a cutout without data: NaN probabilities) is NaN without arithmetic on it: -inf - -inf
    # printed "warning: (RuntimeWarning) invalid value encountered in subtract" from suggest --by margin
    ok = np.isfinite(p).all(axis=1)
    out = np.full(len(p), np.nan)
    top2 = np.sort(p[ok], axis=1)[:, -2:]
    out[ok] = 1.0 - (top2[:, 1] - top2[:, 0])
    return out


def __getattr__(name: str):
    """``mutual_information`` lives in :mod:`starclass.learn.ensemble` (classify computes it there, and
    learn must not import suggest); fetched on first use, as it was when :mod:`starclass.learn`
    imported torch."""
    if name == "mutual_information":
        from starclass.learn.ensemble import mutual_information

        return mutual_information
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _set_sizes(table: Table) -> np.ndarray | None:
    """Conformal set sizes from the table, or None when it carries no sets."""
    for col in SET_SIZE_COLUMNS:
        if col in table.colnames:
            return np.ma.filled(np.ma.asarray(table[col], dtype=float), np.nan)
    if "pred_set" in table.colnames:
        # a set written as text ("1|2", "1,2") or as a list
        return np.array([len([c for c in str(v).replace(" ", "").replace("|", ",").strip("[](){}").split(",") if c])
                         if v is not np.ma.masked else np.nan for v in table["pred_set"]], dtype=float)
    return None


def informativeness(table: Table, by: str = "entropy") -> tuple[np.ndarray, str]:
    """How informative a label of each candidate would be, and what it was measured by.

    Parameters
    ----------
    table : astropy.table.Table
        Classified candidates with ``prob_<k>`` columns (``starclass classify``), for
        ``by="set-size"`` a conformal set (``pred_set_size``, ``set_size`` or ``pred_set``), for
        ``by="mutual-info"`` the ``mutual_info`` column (``classify --tta`` or an ensemble).
    by : {"entropy", "margin", "set-size", "mutual-info"}
        The score. ``margin`` is :func:`margin` (ties by entropy); ``set-size`` ranks by set
        size, ties by entropy; without a set column it falls back to the entropy;
        ``mutual-info`` ranks by ``mutual_info`` (:func:`mutual_information`), ties by entropy.

    Returns
    -------
    scores : numpy.ndarray
        Larger = more informative; NaN for candidates without probabilities.
    used : str
        ``"entropy"``, ``"margin"``, ``"set-size"`` or ``"mutual-info"``: what the scores are.

    Raises
    ------
    StarclassError
        ``by`` unknown, no ``prob_<k>`` columns, or ``mutual-info`` without a ``mutual_info`` column.

    Examples
    --------
    >>> t = Table({"prob_1": [0.9, 0.5], "prob_2": [0.1, 0.5]})
    >>> s, used = informativeness(t, "set-size")
    >>> used, bool(s[1] > s[0])
    ('entropy', True)
    """
    if by not in BY:
        raise StarclassError(f"--by (by= in Python) {by!r}: use one of {', '.join(BY)}")
    classes = prob_classes(table)
    if len(classes) < 2:
        raise StarclassError("the candidates have no prob_<k> columns of a classification: classify them "
                             "with the model first (or give --mosaics)")
    prob = np.stack([np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan) for c in prob_cols(classes)],
                    axis=1)
    from starclass.io.catalog import check_probability_range  # io.catalog loads pyarrow: only when ranking

    # percentages (71.6) ranked by an 'entropy' of numbers that are no probabilities
    check_probability_range(prob, prob_cols(classes), where=" of the candidates")
    ent = entropy(prob)
    if by == "mutual-info":
        if MUTUAL_INFO not in table.colnames:
            raise StarclassError(f"--by mutual-info: the classification has no {MUTUAL_INFO} column (one prediction "
                                 "per candidate has no mutual information): classify with --tta (or an ensemble) "
                                 "first")
        mi = np.ma.filled(np.ma.asarray(table[MUTUAL_INFO], dtype=float), np.nan)
        # the entropy, scaled far below any MI difference that matters, only orders exact ties
        return mi + 1e-9 * ent / math.log(len(classes)), "mutual-info"
    if by == "margin":
        # the entropy, scaled far below the margin's resolution that matters, only orders exact ties
        return margin(prob) + 1e-6 * ent / math.log(len(classes)), "margin"
    if by == "set-size":
        sizes = _set_sizes(table)
        if sizes is not None:
            # the entropy, scaled below 1, only orders candidates of equal set size
            return sizes + ent / (math.log(len(classes)) * 1.0001), "set-size"
    return ent, "entropy"


def bins_used(bins: int, n: int, n_with_mag: int) -> int:
    """The magnitude bins a pick really spreads over: at most one per suggestion and per candidate.

    ``suggest -n 200 --mag-bins 10000`` on 244 candidates said "spread over 10000 bins": 9800 bins
    got no suggestion, and quantile bins of one candidate each split nothing. A bin needs a
    suggestion (``n``) and a candidate with a magnitude (``n_with_mag``) to be one.

    Parameters
    ----------
    bins
        The bins asked for (``--mag-bins``).
    n
        Suggestions to make (already at most the candidates that may be picked).
    n_with_mag
        Candidates that may be picked and have a finite magnitude.

    Returns
    -------
    int
        ``min(bins, n, n_with_mag)``, at least 1.

    Examples
    --------
    >>> bins_used(10000, 200, 244), bins_used(5, 200, 244), bins_used(5, 3, 244)
    (200, 5, 3)
    """
    return max(1, min(int(bins), int(n), int(n_with_mag)))


def pick(scores: np.ndarray, n: int, *, mags: np.ndarray | None = None, bins: int = 5,
         eligible: np.ndarray | None = None) -> np.ndarray:
    """Rows of the ``n`` most informative candidates, spread over magnitude bins.

    Parameters
    ----------
    scores : numpy.ndarray
        Informativeness per candidate (larger first); NaN rows are never picked.
    n : int
        How many to pick (fewer when fewer are eligible).
    mags : numpy.ndarray, optional
        Magnitude per candidate; None or ``bins <= 1``: no spreading.
    bins : int
        Quantile bins of magnitude sharing ``n`` equally; at most ``n`` and the candidates with a
        magnitude are used (:func:`bins_used`).
    eligible : numpy.ndarray, optional
        Boolean mask of the candidates that may be picked (e.g. not yet labelled).

    Returns
    -------
    numpy.ndarray
        Row indices, most informative first.

    Examples
    --------
    >>> s = np.array([9, 8, 7, 6, 1, 2.0])
    >>> m = np.array([25, 25, 25, 25, 20, 20.0])
    >>> pick(s, 2, mags=m, bins=2).tolist()   # the best faint one and the best bright one
    [0, 5]
    >>> pick(s, 2).tolist()
    [0, 1]
    """
    scores = np.asarray(scores, dtype=float)
    if int(n) < 1:
        raise StarclassError(f"-n (n= in Python) must be >= 1, got {n}")
    if int(bins) < 1:
        raise StarclassError(f"--mag-bins (bins= in Python) must be >= 1, got {bins}")
    ok = np.isfinite(scores) if eligible is None else np.isfinite(scores) & np.asarray(eligible, dtype=bool)
    rows = np.flatnonzero(ok)
    # stable order: equal scores keep catalogue order, so a pick is repeatable
    by_score = rows[np.argsort(-scores[rows], kind="stable")]
    n = min(int(n), rows.size)
    if mags is None or bins <= 1:
        return by_score[:n]
    mags = np.asarray(mags, dtype=float)
    finite = by_score[np.isfinite(mags[by_score])]
    bins = bins_used(bins, n, finite.size)  # no empty bins, and no linspace of 10**12 edges
    if finite.size == 0 or bins <= 1:
        return by_score[:n]
    edges = np.quantile(mags[finite], np.linspace(0, 1, int(bins) + 1))
    which = np.clip(np.searchsorted(edges, mags[finite], side="right") - 1, 0, int(bins) - 1)
    share = [n // bins + (1 if b < n % bins else 0) for b in range(bins)]
    chosen: list[int] = []
    for b in range(bins):
        chosen.extend(finite[which == b][: share[b]].tolist())
    # what a sparse bin could not fill goes to the best of the rest, whatever their magnitude
    taken = set(chosen)
    chosen.extend([r for r in by_score.tolist() if r not in taken][: n - len(chosen)])
    chosen_arr = np.asarray(chosen, dtype=np.int64)
    return chosen_arr[np.argsort(-scores[chosen_arr], kind="stable")]


def unlabelled(table: Table, labelled: Sequence | None, *, key: str = ID, labels_name: str = "--labels") -> np.ndarray:
    """Which candidates have no label yet; refuses a table in which every one has.

    Parameters
    ----------
    table : astropy.table.Table
        The candidates.
    labelled : sequence or None
        Values of ``key`` of the candidates already labelled (None: none).
    key : str
        Column naming each candidate (``id``, or ``file`` for a cutout folder).
    labels_name : str
        What to call the labels in messages (the option and its file).

    Returns
    -------
    numpy.ndarray
        Boolean mask, True for a candidate without a label.

    Raises
    ------
    StarclassError
        No ``key`` column, or every candidate labelled already (nothing to suggest: an empty
        list was written with exit status 0).

    Examples
    --------
    >>> unlabelled(Table({"id": [1, 2, 3]}), [2.0]).tolist()
    [True, False, True]
    >>> unlabelled(Table({"file": ["a.png"]}), ["a.png"], key="file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: the one cutout already has a label in --labels: nothing to suggest (give ...
    """
    eligible = np.ones(len(table), dtype=bool)
    if labelled is None or not len(labelled):
        return eligible
    if key not in table.colnames:
        raise StarclassError(f"the candidates have no {key!r} column to leave the labelled ones out by")
    # 1.0 and 1 are one id (id_keys); spaces around one are no part of it
    given = np.char.strip(id_keys(list(labelled)))
    eligible = ~np.isin(np.char.strip(id_keys(table[key])), given)
    if len(table) and not eligible.any():
        # one candidate read "every one of the 1 candidates" (f958610, 690e01a put the other counts right); a
        # classified cutout folder (key file) holds cutouts, not detected candidates of a catalogue
        noun, more = ("candidate", "a larger catalogue of the field") if key == ID else ("cutout", "a larger folder")
        who = f"the one {noun}" if len(table) == 1 else f"every one of the {len(table)} {noun}s"
        raise StarclassError(f"{who} already has a label in {labels_name}: "
                             f"nothing to suggest (give {noun}s that are not labelled yet, e.g. {more})")
    return eligible


def _group_names(groups: Sequence) -> np.ndarray:
    """Each row's object as text ("" for an empty, masked or NaN cell: an object of its own)."""
    values = np.ma.asarray(groups)
    masked = np.ma.getmaskarray(values)
    # numeric ids too (a CSV's 101, 102; a masked or NaN cell blank), as text so that 7 and 7.0 are one object
    return np.array(["" if m or (isinstance(v, float) and np.isnan(v)) else
                     (str(int(v)) if isinstance(v, float) and float(v).is_integer() else str(v)).strip()
                     for v, m in zip(values.data.tolist(), masked)], dtype=object)


def labelled_groups(groups: Sequence, eligible: np.ndarray) -> np.ndarray:
    """Which eligible rows belong to an object that has a labelled (not eligible) row.

    An object with one of its cutouts labelled is labelled: its other cutouts (the PAndAS folder's
    second CCD) are no candidates for a label.

    Parameters
    ----------
    groups : sequence
        Each row's object; an empty or masked value is an object of its own.
    eligible : numpy.ndarray
        Boolean mask of the rows without a label (:func:`unlabelled`).

    Returns
    -------
    numpy.ndarray
        Boolean mask, True for an eligible row whose object has a labelled row.

    Examples
    --------
    >>> labelled_groups(["a", "a", "b", "", ""], np.array([False, True, True, False, True])).tolist()
    [False, True, False, False, False]
    """
    names = _group_names(groups)
    eligible = np.asarray(eligible, dtype=bool)
    done = set(names[~eligible & (names != "")])
    return eligible & np.isin(names, list(done)) & (names != "")


def one_per_group(scores: np.ndarray, groups: Sequence, eligible: np.ndarray) -> np.ndarray:
    """Of each group's eligible rows, only the most informative stays eligible (ties: the first).

    Several cutouts of one object (the PAndAS folder's ``object_id`` on two CCDs) take one label: two of
    them in one suggestion list cost two labels for one object's worth.

    Parameters
    ----------
    scores : numpy.ndarray
        Informativeness per row (larger first, as :func:`pick` ranks); NaN rows are never picked.
    groups : sequence
        Each row's object; an empty or masked value is an object of its own.
    eligible : numpy.ndarray
        Boolean mask of the rows that may be picked.

    Returns
    -------
    numpy.ndarray
        The mask with every eligible row but each group's best set False.

    Examples
    --------
    >>> one_per_group(np.array([0.2, 0.9, 0.5, 0.4]), ["a", "a", "b", ""], np.ones(4, bool)).tolist()
    [False, True, True, True]
    >>> one_per_group(np.array([0.2, 0.9, 0.5]), np.ma.array([7, 7, 8], mask=[0, 0, 1]), np.ones(3, bool)).tolist()
    [False, True, True]
    """
    scores = np.asarray(scores, dtype=float)
    keep = np.asarray(eligible, dtype=bool).copy()
    names = _group_names(groups)
    blank = names == ""
    rows = np.flatnonzero(keep & np.isfinite(scores) & ~blank)
    seen: set[str] = set()
    for r in rows[np.argsort(-scores[rows], kind="stable")]:
        if names[r] in seen:
            keep[r] = False
        seen.add(names[r])
    return keep


def suggest(table: Table, n: int, *, by: str = "entropy", labelled: Sequence | None = None,
            mag_column: str | None = None, bins: int = 5, key: str = ID, group_column: str | None = None) -> Table:
    """The ``n`` candidates of a classified table most worth labelling, most informative first.

    Parameters
    ----------
    table : astropy.table.Table
        Classified candidates (``id``, ``prob_<k>``; ``starclass classify``'s output).
    n : int
        How many to suggest.
    by : {"entropy", "margin", "set-size", "mutual-info"}
        The score (:func:`informativeness`).
    labelled : sequence, optional
        Ids (values of ``key``) of candidates that already have a label: never suggested.
    mag_column : str, optional
        Magnitude column to spread the picks over (None: no spreading).
    bins : int
        Magnitude bins.
    key : str
        Column naming each candidate, matched against ``labelled``: ``id`` for catalogues,
        ``file`` for a classified cutout folder (``classify --stamps`` writes no ``id``).
    group_column : str, optional
        Column naming each row's object (a cutout folder's ``object_id``): at most one row of an
        object is suggested, its most informative (:func:`one_per_group`); None or a column the
        table lacks: every row its own.

    Returns
    -------
    astropy.table.Table
        The chosen rows with all their columns, plus ``entropy``, the score ranked by where it is
        not a column already (``margin`` for ``by="margin"``, ``pred_set_size`` for
        ``by="set-size"``; ``mutual_info`` is the candidates' own) and ``suggest_rank``
        (1 = most informative); ``meta["suggest"]`` records the score used and the settings.

    Examples
    --------
    >>> t = Table({"id": [1, 2, 3], "prob_1": [0.9, 0.5, 0.6], "prob_2": [0.1, 0.5, 0.4]})
    >>> suggest(t, 2, labelled=[2])["id"].tolist()
    [3, 1]
    >>> suggest(t, 2, by="margin")["margin"].round(2).tolist()   # 1 - (0.5 - 0.5), 1 - (0.6 - 0.4)
    [1.0, 0.8]
    """
    from starclass.io.catalog import catalog_argument  # io.catalog loads pyarrow: only when suggesting

    table = catalog_argument(table, "the candidates")  # a DataFrame stopped on .colnames
    scores, used = informativeness(table, by)
    eligible = unlabelled(table, labelled, key=key)
    n_labelled = int((~eligible).sum())
    n_same_object = n_object_labelled = 0
    if group_column is not None and group_column in table.colnames:
        # one cutout of an object labelled labels the object: its other cutout was still suggested
        done = labelled_groups(table[group_column], eligible)
        n_object_labelled = int(done.sum())
        if n_object_labelled and not (eligible & ~done).any():
            raise StarclassError(f"every candidate not labelled in --labels is another cutout of an object "
                                 f"labelled there ({group_column}; {counted(n_object_labelled, 'cutout')}): "
                                 "nothing to suggest (give candidates of objects that are not labelled yet)")
        eligible = eligible & ~done
        # two cutouts of one object in one list were two labels for one object, without a word
        single = one_per_group(scores, table[group_column], eligible)
        n_same_object = int((eligible & ~single).sum())
        eligible = single
    mags = None
    if mag_column is not None:
        if mag_column not in table.colnames:
            raise StarclassError(f"the candidates have no magnitude column {mag_column!r} (--mag-column)")
        mags = _magnitudes(table, mag_column, key)
    rows = pick(scores, n, mags=mags, bins=bins, eligible=eligible)
    ranked = np.isfinite(np.asarray(scores, dtype=float))
    pool = eligible & ranked
    # the bins the pick spread over, recorded as such ("spread over 10000 bins" of 244 candidates before)
    used_bins = 1 if mags is None or int(bins) <= 1 else bins_used(
        bins, min(int(n), int(pool.sum())), int((pool & np.isfinite(mags)).sum()))
    out = table[rows]
    classes = prob_classes(table)
    prob = np.stack([np.ma.filled(np.ma.asarray(out[c], dtype=float), np.nan) for c in prob_cols(classes)], axis=1)
    out[ENTROPY] = entropy(prob)
    # the score the rows were ranked by, as a column: with entropy alone a list ranked by margin or by set size
    # did not show why a row was picked (mutual-info ranks by the mutual_info column, kept with the others)
    if used == "margin":
        out[MARGIN] = margin(prob)
    elif used == "set-size" and PRED_SET_SIZE not in out.colnames:
        # counted from a set_size column or from pred_set itself: written under the schema's one name
        out[PRED_SET_SIZE] = np.asarray(_set_sizes(out), dtype=np.int16)
    out[SUGGEST_RANK] = np.arange(1, len(out) + 1, dtype=np.int64)
    # what the pool was, counted exactly: "suggested 4 of 6 unlabelled candidates" counted rows without a
    # classification (NaN probabilities, never picked) as if they could be suggested, and was read as all
    out.meta["suggest"] = {"by": used, "asked_by": by, "n": int(n), "mag_column": mag_column, "bins": used_bins,
                           "asked_bins": int(bins),
                           "n_candidates": len(table), "n_labelled": n_labelled,
                           "n_unranked": int((eligible & ~ranked).sum()), "n_eligible": int((eligible & ranked).sum()),
                           "group_column": group_column if n_same_object or n_object_labelled else None,
                           "n_same_object": n_same_object, "n_object_labelled": n_object_labelled}
    return out


def pool_text(meta: dict, labels_name: str = "--labels", noun: str = "candidate") -> str:
    """What ``suggest`` chose from, in words, from ``meta["suggest"]`` (:func:`suggest`).

    Parameters
    ----------
    meta : dict
        The suggestion list's ``meta["suggest"]``.
    labels_name : str
        The labels given, for the words.
    noun : str
        What a row is: ``"cutout"`` for a classified cutout folder (its rows are no detected candidates).

    Returns
    -------
    str
        ``"N of the M candidates ..."`` less the count of the list itself.

    Examples
    --------
    >>> pool_text({"n_candidates": 60, "n_labelled": 0, "n_unranked": 0, "n_eligible": 60})
    'the 60 candidates'
    >>> pool_text({"n_candidates": 8, "n_labelled": 2, "n_unranked": 2, "n_eligible": 4})
    'the 4 candidates that can be ranked (of 8: 2 labelled in --labels, 2 without a classification)'
    >>> pool_text({"n_candidates": 46, "n_labelled": 0, "n_unranked": 0, "n_eligible": 40, "n_same_object": 6,
    ...            "group_column": "object_id"})
    'the 40 candidates that can be ranked (of 46: 6 other cutouts of an object (object_id) ranked on its best one)'
    >>> pool_text({"n_candidates": 10, "n_labelled": 1, "n_unranked": 0, "n_eligible": 8, "n_object_labelled": 1,
    ...            "group_column": "obj"}, "L.csv")
    'the 8 candidates that can be ranked (of 10: 1 labelled in L.csv, 1 other cutout of an object labelled there (obj))'
    >>> pool_text({"n_candidates": 60, "n_labelled": 0, "n_unranked": 0, "n_eligible": 60}, noun="cutout")
    'the 60 cutouts'
    """
    total, eligible = int(meta["n_candidates"]), int(meta["n_eligible"])
    same = int(meta.get("n_same_object") or 0)
    done = int(meta.get("n_object_labelled") or 0)
    left = [f"{int(meta['n_labelled'])} labelled in {labels_name}" if meta.get("n_labelled") else "",
            f"{done} other {'cutout' if done == 1 else 'cutouts'} of an object labelled there "
            f"({meta.get('group_column')})" if done else "",
            f"{int(meta['n_unranked'])} without a classification" if meta.get("n_unranked") else "",
            f"{same} other {'cutout' if same == 1 else 'cutouts'} of an object ({meta.get('group_column')}) ranked "
            "on its best one" if same else ""]
    left = [w for w in left if w]
    if not left:
        return f"the {counted(total, noun)}"
    return f"the {counted(eligible, noun)} that can be ranked (of {total}: {', '.join(left)})"


def _magnitudes(table: Table, mag_column: str, key: str) -> np.ndarray:
    """The ``mag_column`` of ``table`` as floats (NaN where empty), or a refusal naming its first cell of text."""
    from starclass.io.catalog import numeric_column

    ids = np.asarray(table[key]) if key in table.colnames else None
    try:
        return numeric_column(table, mag_column, "the candidates'", ids=ids)
    except StarclassError as exc:
        # a column of text ('kind': globular) stopped with numpy's ValueError traceback
        raise StarclassError(f"--mag-column {mag_column!r} is not a magnitude column: {exc}; name a column of "
                             "magnitudes") from None


def default_mag_column(table: Table) -> str | None:
    """The V-band magnitude column of a catalogue (the band in the V role), else its first ``mag_<band>``.

    Examples
    --------
    >>> default_mag_column(Table({"mag_f336w": [1.0], "mag_f555w": [1.0]}))
    'mag_f555w'
    """
    from starclass.bands import ubvi_bands
    from starclass.schema import bands_in, mag_col

    bands = bands_in(table)
    if not bands:
        return None
    try:
        v = ubvi_bands(bands).get("v")
    except Exception:  # non-HST band names have no roles: fall back to the first band
        v = None
    return mag_col(v or bands[0])


def classified(model: LoadedModel | str | os.PathLike, table: Table, mosaics: MosaicsLike | None = None, *,
               batch_size: int = INFERENCE_BATCH_SIZE,
               device: str | torch.device | None = None,
               progress: bool | None = False, tta: bool = False) -> Table:
    """``table`` classified by ``model``: on the mosaics when given, else its own ``prob_<k>`` columns.

    ``tta``: classify on the mosaics with the eight rotations/flips (``mutual_info`` needs
    them with a one-member model).

    Without mosaics the table must already hold a classification with the model's classes
    (``starclass classify`` output); it is used as it is, and a model directory's classes are read
    from its manifest (no network is built, torch is not imported).

    Raises
    ------
    StarclassError
        No mosaics and no ``prob_<k>`` columns of the model's classes.

    Examples
    --------
    Without mosaics, a table that already holds the model's ``prob_<k>`` columns is used as it is:

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)  # classes 1, 2
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> t = Table({"id": [1, 2], "prob_1": [0.9, 0.2], "prob_2": [0.1, 0.8]})
    >>> classified(d, t) is t
    True
    >>> classified(d, Table({"id": [1]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: the candidates carry no classification by this model (prob_<k> columns ...
    """
    told = _manifest_task(model) if mosaics is None else None
    if told is None:
        from starclass.learn.checkpoint import load_model
        from starclass.learn.classify import classify

        loaded = load_model(model, device=device or "cpu")
        if mosaics is not None:
            return classify(mosaics, table, loaded, batch_size=batch_size, device=device, progress=progress,
                            tta=tta)
        told = [int(c) for c in loaded.config.classes], loaded.config.name
    classes, task = told
    have = prob_classes(table)
    if have != classes:
        # the model that wrote them, where recorded (meta, or a CSV's model column): another task's, most often
        by = table.meta.get("model") or (str(table["model"][0]) if "model" in table.colnames and len(table) else None)
        said = (f"the candidates carry no classification by this model (prob_<k> columns for classes {classes}; "
                f"found {have or 'none'}{f', classified by {by}' if by else ''})")
        if ID not in table.colnames and "x" not in table.colnames:
            # a classified cutout folder (file, prob_<k>, no id or positions) is not cut from mosaics: "give the
            # mosaics" sent the user to --mosaics, which suggest then refused for a cutout folder
            raise StarclassError(f"{said}: classify the cutouts with this model first (starclass classify --stamps "
                                 f"LIST --model {shell_word(model)} -o CLASSIFIED.ecsv) and suggest "
                                 f"from that "
                                 "classification")
        raise StarclassError(f"{said}: give the mosaics (--mosaics) to classify them")
    check_classified_by(table, model, task=task)
    return table


def _manifest_task(model: LoadedModel | str | os.PathLike) -> tuple[list[int], str] | None:
    """The classes and task name of a model directory, from its manifest alone; None where the members must say.

    Ranking a table's own ``prob_<k>`` needs no network: loading the model imported torch and read every member
    (3-4 s on shared cores) to learn two lists. A missing model, a folder without ``manifest.json`` and missing
    member files are refused in :func:`~starclass.learn.checkpoint.load_model`'s words; a single member file, a
    model in memory or a manifest without a config (an old model) are loaded as before.
    """
    if not isinstance(model, (str, os.PathLike)):
        return None
    from pathlib import Path

    from starclass.learn.checkpoint import member_paths, read_manifest
    from starclass.learn.config import TaskConfig

    path = Path(model)
    member_paths(path)
    if not (path.is_dir() or path.suffix == ".json"):
        return None
    config = read_manifest(path).get("config")
    if not isinstance(config, dict):
        return None
    cfg = TaskConfig.from_dict(config)  # checked by read_manifest already
    return [int(c) for c in cfg.classes], cfg.name


def check_classified_by(table: Table, model: LoadedModel | str | os.PathLike, *, task: str | None = None) -> None:
    """Refuse a classified catalogue whose meta names another model than ``model``.

    ``starclass classify`` records its model (and task) in the catalogue's meta, and in a
    ``model`` column where the format keeps no meta (CSV; FITS). Suggestions ranked on
    another model's probabilities would teach ``model`` nothing in particular, and the
    prob_<k> columns alone cannot tell: two models of one task have the same columns.

    Parameters
    ----------
    table
        A classified catalogue.
    model
        The model the suggestions are for (a directory or a member file).
    task
        That model's task name, checked against the meta's ``task``.

    Raises
    ------
    StarclassError
        The meta names another task, or another model that exists with other files. A recorded
        model that no longer exists cannot be checked: a warning names both.

    Examples
    --------
    >>> check_classified_by(Table({"prob_1": [0.5]}), "model")  # no model recorded: nothing to check
    >>> try:
    ...     check_classified_by(Table({"prob_1": [0.5]}, meta={"task": "m31-real"}), "m", task="legus4")
    ... except StarclassError as exc:
    ...     print(str(exc)[:57])
    the candidates were classified for task 'm31-real' (their
    """
    import warnings
    from pathlib import Path

    from starclass.survey.plan import model_digest

    given = Path(model)
    # a classified cutout folder has no positions, so no --mosaics: it is classified again with classify --stamps
    cutouts = "file" in table.colnames and not ({X, Y} <= set(table.colnames))
    remedy = ("classify the cutouts with it (starclass classify --stamps LABELS.csv --model "
              f"{shell_word(given)} -o OUT.csv) and suggest from that" if cutouts
              else f"give --mosaics to classify them with {given}")
    recorded_task = table.meta.get("task")
    if task is not None and recorded_task and str(recorded_task) != str(task):
        raise StarclassError(f"the candidates were classified for task {recorded_task!r} (their meta) but model "
                             f"{given} is for task {task!r}: {remedy}")
    recorded, where = table.meta.get("model"), "their meta"
    if not recorded and MODEL_PATH in table.colnames and len(table):
        # a CSV keeps no meta: classify names its model in a column instead (one value for the whole table)
        paths = sorted({str(v).strip() for v in np.ma.asarray(table[MODEL_PATH]).compressed()} - {""})
        if len(paths) > 1:
            raise StarclassError(f"the candidates' {MODEL_PATH!r} column names {len(paths)} models "
                                 f"({', '.join(paths[:3])}{', ...' if len(paths) > 3 else ''}): rows classified by "
                                 f"other models than {given}; {remedy}")
        recorded, where = (paths[0] if paths else None), f"their {MODEL_PATH!r} column"
    if not recorded or str(recorded) == "(in memory)":
        return
    rec = Path(str(recorded))
    if not rec.exists():
        warnings.warn(f"the candidates were classified by model {model_word(rec)} ({where}), which is not found here: "
                      f"it cannot be checked to be {given}", stacklevel=2)
        return
    if resolved(rec) == resolved(given):
        return
    try:
        # a copied or moved model directory is the same model: compare the files, not the paths
        same = model_digest(rec) == model_digest(given)
    except StarclassError:
        same = False
    if not same:
        raise StarclassError(f"the candidates were classified by model {model_word(rec)} ({where}), not by {given}: "
                             f"{remedy}, or suggest for {rec}")
