"""Training targets from several people's votes: their mode, their distribution, or Dawid-Skene.

People who classify clusters disagree (two LEGUS classifiers agree on 57% of candidates over
four classes in the StarcNet paper; the public catalogues' class mode and mean put it at 62%,
docs/uncertainty.md, "Learning from votes"). Training on the mode of their votes throws away how sure they were; this
module turns the votes (one column per person, ``class_h1 .. class_hN``; 0, NaN or masked =
that person did not vote) into an ``(N, K)`` array of training targets, one row per candidate
and one column per class, with one of three *label models*:

``mode``
    One-hot on the most frequent vote, counted as the task reads the votes: merged into its
    classes first (:func:`task_votes`), so that for a binary task 1+2 against 3+4 the votes
    1, 1, 2, 3, 3 are three for cluster. A tie follows :func:`starclass.schema.vote_mode`, the
    rule ``starclass inspect --export`` gives its ``class_ref`` by: the tied class nearest the
    mean of the votes, the higher when equally near (``highest`` tied class for a task whose
    label scheme says so, galaxy-cluster), whatever the order of the columns. It used to go to
    the first listed column's vote (else the smallest tied class), so the same votes exported
    by ``inspect`` and trained on could get two classes. The simulator's ``class_ref`` keeps
    the LEGUS/PHANGS teams' senior-classifier rule it models, so with its ``humans.ecsv`` this
    reproduces ``class_ref`` on every candidate without a tie.
``soft``
    The vote distribution: a candidate voted (1, 1, 2) gets targets (2/3, 1/3, 0, 0), and the
    network is trained with the cross-entropy against these probabilities.
``dawid-skene``
    The posterior over the true class of the Dawid-Skene model (Dawid & Skene 1979): each
    person has a confusion matrix P(vote | true class), estimated jointly with the class
    priors and the posteriors by expectation-maximisation
    (:class:`crowdkit.aggregation.DawidSkene`'s steps, initialised from the majority vote, run to
    convergence: :func:`dawid_skene`). The
    posteriors are the soft targets; the confusion matrices are reported
    (:func:`annotator_table`).

Rows without a single vote get an all-zero row: no target, left out of training.

Examples
--------
>>> import numpy as np
>>> from astropy.table import Table
>>> t = Table({"class_h1": [1, 2, 3, 0], "class_h2": [1, 1, 4, 0], "class_h3": [2, 0, 2, 0]})
>>> vote_targets(t, ["class_h1", "class_h2", "class_h3"], model="soft", classes=[1, 2, 3, 4]).round(2)
array([[0.67, 0.33, 0.  , 0.  ],
       [0.5 , 0.5 , 0.  , 0.  ],
       [0.  , 0.33, 0.33, 0.33],
       [0.  , 0.  , 0.  , 0.  ]])
>>> vote_targets(t, ["class_h1", "class_h2", "class_h3"], model="mode", classes=[1, 2, 3, 4])[:3]
array([[1., 0., 0., 0.],
       [0., 1., 0., 0.],
       [0., 0., 1., 0.]])
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError, counted, refuse_no_rows
from starclass.schema import (
    CLASS_HUMAN_MEAN,
    CLASS_HUMAN_MODE,
    CLASS_HYBRID,
    CLASS_JOINT,
    CLASS_MEAN,
    CLASS_MEDIAN,
    CLASS_METHOD,
    CLASS_ML,
    CLASS_ML_CHECKED,
    CLASS_PRED,
    CLASS_RECLASSIFIED,
    CLASS_REF,
    ID,
    class_array,
    id_keys,
    row_name,
    vote_mode,
)

if TYPE_CHECKING:
    from starclass.learn.config import TaskConfig

__all__ = ["LABEL_MODELS", "DawidSkeneResult", "VoteTargets", "votes_for_catalogue", "vote_matrix",
           "vote_counts", "task_votes", "mode_targets", "soft_targets", "dawid_skene", "vote_targets", "task_targets",
           "annotator_table", "read_votes", "task_tie_rule",
           "parse_label_columns", "combine_votes", "JointClasses", "joint_with_votes", "NOT_PEOPLE",
           "check_vote_columns", "known_classes", "checked_votes", "PEOPLE_MODELS", "check_several_people"]

#: The label models :func:`vote_targets` knows.
LABEL_MODELS = ("mode", "soft", "dawid-skene")
#: The label models that weigh people against each other: one vote column leaves them nothing to weigh.
PEOPLE_MODELS = ("soft", "dawid-skene")


def parse_label_columns(text: str | Sequence[str]) -> list[str]:
    """Column names from ``"class_h1,class_h2"`` (or a list), stripped, duplicates refused.

    Examples
    --------
    >>> parse_label_columns("class_h1, class_h2")
    ['class_h1', 'class_h2']
    """
    names = [c.strip() for c in (text.split(",") if isinstance(text, str) else text)]
    names = [c for c in names if c]
    if not names:
        raise StarclassError("--label-columns is empty: give the vote columns, e.g. class_h1,class_h2,class_h3")
    dup = sorted({c for c in names if names.count(c) > 1})
    if dup:
        raise StarclassError(f"--label-columns names {', '.join(dup)} more than once")
    return names


#: Columns of the LEGUS NGC 1566 catalogue (its columns 36-39, as :mod:`starclass.io.legus` names
#: them) that hold no one person's votes: the mode of three people, a machine-learning class, one
#: person's check of that class and a re-classification of former class-4 sources. Dawid-Skene
#: and the vote distribution take each vote column for an independent person; these are not.
NOT_PEOPLE = {CLASS_HUMAN_MODE: (36, "the mode of three people"),
              CLASS_ML: (37, "a machine-learning classifier's class"),
              CLASS_ML_CHECKED: (38, "one person's check of the machine-learning class"),
              CLASS_RECLASSIFIED: (39, "one person's re-classification of former class-4 sources")}


#: Columns of a LEGUS catalogue that hold a final class, not one person's votes, by layout
#: (``meta['legus_layout']``): col 34 is the people's mode in the standard files and the hybrid
#: human + machine class in NGC 1566 (``class_ref``, and ``class_hybrid``, its copy), col 35 there
#: the flag saying who gave it. NGC 4449's col 34 (layout ``expert``) is one expert's class.
FINAL_CLASS_COLUMNS = {
    "standard": {CLASS_REF: (34, "the mode of the people's classes")},
    "standard+extra": {CLASS_REF: (34, "the mode of the people's classes")},
    "hybrid": {CLASS_REF: (34, "the final hybrid class: the mode of three people, one person's check or a "
                               "machine-learning class, row by row"),
               CLASS_HYBRID: (34, "the final hybrid class: the mode of three people, one person's check or a "
                                  "machine-learning class, row by row"),
               CLASS_METHOD: (35, "the flag saying who gave the final class, not a class")},
}


#: Columns that starclass writes as one answer for all the people (or for a model), never one person's
#: votes. Named as a vote column beside the people's own, the consensus was counted as one more person
#: who agrees with the majority: Dawid-Skene took it for the most reliable person and the vote
#: distribution moved towards the mode.
CONSENSUS_COLUMNS = {
    CLASS_REF: "the reference class: the people's mode in simulate's humans.ecsv and in an inspect --export, "
               "the truth in truth.ecsv",
    "class_weighted": "inspect --export's weighted vote of the people",
    CLASS_MEAN: "a class made from the others (classify: the class of the members' mean probability; an "
                "inspect --export before 2026-12-07: the mean of the people's classes)",
    CLASS_HUMAN_MEAN: "the mean of the people's classes (inspect --export, LEGUS column 35)",
    CLASS_MEDIAN: "classify's class of the members' median probability",
    CLASS_PRED: "a model's class",
    CLASS_JOINT: "classify --votes's class of the model and the people together",
    # the names the catalogue reader takes for class_ref (io.catalog): a votes table read as the
    # catalogue has them renamed, one read with --catalog beside it keeps them
    "class_mode": "the mode of the people's classes",
    "class_mode_human": "the mode of the people's classes",
}


def check_several_people(columns: Sequence[str], model: str, *, name: str = "labels",
                         use: str = "train") -> None:
    """Refuse a label model that weighs people against each other when only one person's column is given.

    With one vote column the vote distribution (``soft``) is that person's vote one-hot, and
    Dawid-Skene cannot tell that person's mistakes from the truth (nobody to compare them with:
    its confusion matrix comes out the identity), so both gave that person's labels as certain,
    the same targets as ``mode``, under another name; ``classify --votes`` gave the person's
    vote with probability 1 whatever the network said.

    Parameters
    ----------
    columns : sequence of str
        The vote columns, one per person.
    model : str
        The label model (:data:`LABEL_MODELS`); ``mode`` takes one column.
    name : str
        The votes' file, for messages.
    use : {"train", "classify"}
        Which command's advice to give.

    Raises
    ------
    StarclassError
        ``model`` is one of :data:`PEOPLE_MODELS` and fewer than two columns are given.

    Examples
    --------
    >>> check_several_people(["class_h1", "class_h2"], "soft")
    >>> check_several_people(["class_h1"], "mode")
    >>> check_several_people(["class_h1"], "dawid-skene")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: labels: --label-model dawid-skene weighs several people's votes, but one ...
    """
    if model not in PEOPLE_MODELS or len(columns) >= 2:
        return
    col = ", ".join(columns)
    if use == "classify":
        raise StarclassError(
            f"{name}: classify --votes weighs each person's votes by their Dawid-Skene confusion matrix, estimated "
            f"by comparing the people with each other; with one vote column ({col}) there is nobody to compare "
            "with, and the joint class would be that person's vote with probability 1 whatever the model says. "
            "Give two or more people's vote columns (--label-columns), or classify without --votes.")
    why = ("the distribution of one vote is that vote, one-hot" if model == "soft" else
           "one person's confusion matrix cannot be estimated without others to compare with, so it comes out "
           "the identity and the posterior is that person's vote, one-hot")
    raise StarclassError(
        f"{name}: --label-model {model} weighs several people's votes, but one vote column was given "
        f"({col}): "
        f"{why}, the same targets as --label-model mode. Give two or more people's vote columns "
        "(--label-columns), or train on this one with --label-model mode.")


def known_classes(config: TaskConfig) -> list[int]:
    """The reference classes a task knows: its merge table's keys, else its output classes.

    A vote for any other class is a mistake in the votes (or the wrong task), not a class to drop.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> known_classes(get_preset("legus4")), known_classes(get_preset("m31-binary"))
    ([1, 2, 3, 4], [1, 2, 3, 4])
    """
    return sorted(int(c) for c in (config.merge or {c: c for c in config.classes}))


def check_vote_columns(table: Table, columns: Sequence[str], votes: np.ndarray | None = None, *,
                       name: str = "labels", config: TaskConfig | None = None) -> None:
    """Refuse vote columns that are not people's votes, are empty, or hold a class the task lacks.

    Parameters
    ----------
    table : astropy.table.Table
        The votes table (for ids and its LEGUS layout).
    columns : sequence of str
        The vote columns, one per person.
    votes : numpy.ndarray, optional
        ``(N, H)`` votes of those columns (:func:`vote_matrix`); read from ``table`` when None.
    name : str
        The table's file, for messages.
    config : TaskConfig, optional
        The task: every vote must be one of :func:`known_classes`. None: not checked.

    Raises
    ------
    StarclassError
        A column of the LEGUS NGC 1566 catalogue that is not one person (:data:`NOT_PEOPLE`), a
        LEGUS catalogue's final class (:data:`FINAL_CLASS_COLUMNS`), a column without a single
        vote, or a vote the task has no class for (naming the column, row, id and value).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> t = Table({"id": [1, 2], "class_h1": [1, 7], "class_h2": [2, 2]})
    >>> check_vote_columns(t, ["class_h1", "class_h2"], config=get_preset("legus4"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: labels, column 'class_h1', row 2 (id 2): vote 7 is not a class of task 'legus4' ...
    """
    import re

    layout = table.meta.get("legus_layout")
    hybrid = layout == "hybrid"
    for c in columns:
        final = FINAL_CLASS_COLUMNS.get(layout, {}).get(c)
        if final is not None:
            # col 34 read as one more person: the people's mode (or NGC 1566's hybrid class) counted as a voter
            raise StarclassError(
                f"{name}: --label-columns {c} is column {final[0]} of this LEGUS catalogue ({final[1]}), not one "
                "person's votes; the LEGUS catalogues hold no individual people's votes (README of the LEGUS "
                "data). To train, use the final class: --catalog FILE --label-column class_ref, no --labels.")
        number, what = NOT_PEOPLE.get(c, (None, None))
        m = re.fullmatch(r"legus_col(\d+)", c)
        if number is None and hybrid and m and 36 <= int(m.group(1)) <= 39:
            number, what = int(m.group(1)), "not one person's votes"
        if number is not None:
            # the README of the LEGUS data explains the file; its columns look like votes and are not
            raise StarclassError(
                f"{name}: --label-columns {c} is column {number} of the LEGUS NGC 1566 catalogue ({what}), not one "
                "person's votes: its columns 36-39 are not independent classifiers, and a label model that takes "
                "each column for a person would count the same people, and a machine, several times. See "
                "'NGC 1566 (39 columns)' in the README of the LEGUS data (shared/data/legus/README.md) and "
                "docs/legus_validation.md. To train, use its final class instead (--catalog FILE --label-column "
                "class_ref, no --labels); for classify --votes the file holds no individual people's votes.")
    if votes is None:
        votes = vote_matrix(table, columns, name=name)
    for j, c in enumerate(columns):
        if not (votes[:, j] > 0).any():
            raise StarclassError(f"{name}: vote column {c!r} is empty (no vote in any of its {len(votes)} rows: all "
                                 "0, blank or masked); give --label-columns without it")
    if config is None:
        return
    known = known_classes(config)
    bad = (votes > 0) & ~np.isin(votes, known)
    if bad.any():
        row, j = (int(v) for v in np.argwhere(bad)[0])  # row by row: the first in the file
        ident = f" (id {table[ID][row]})" if ID in table.colnames else ""
        more = f"; {int(bad.sum())} such votes in all" if bad.sum() > 1 else ""
        raise StarclassError(f"{name}, column {columns[j]!r}, {row_name(row)}{ident}: vote {votes[row, j]} is not a "
                             f"class of task {config.name!r} (its classes: {', '.join(map(str, known))}){more}; "
                             "correct the votes or choose the task they were given for")


def task_votes(config: TaskConfig, votes: np.ndarray) -> np.ndarray:
    """Each vote as the task's output class it merges into; 0 for no vote and for a class the task drops.

    The label models that take one answer per candidate (``mode``, ``classify --votes``'s weighing of
    the people) count the votes as the task reads them: for a binary task (1+2 against 3+4) the
    votes 1, 1, 2, 3, 3 are three votes for cluster, not a tie of classes 1 and 3.

    Parameters
    ----------
    config : TaskConfig
        The task (``classes``, ``merge``).
    votes : numpy.ndarray
        ``(N, H)`` votes in the reference classes (:func:`vote_matrix`), 0 = no vote.

    Returns
    -------
    numpy.ndarray
        ``(N, H)`` int64 output classes, 0 where there is no vote or the task drops the class.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> task_votes(get_preset("m31-binary"), np.array([[1, 1, 2, 3, 3], [4, 0, 2, 1, 3]])).tolist()
    [[1, 1, 1, 2, 2], [2, 0, 1, 1, 2]]
    """
    raw = np.asarray(votes, dtype=np.int64)
    mapped = np.asarray(config.map_classes(raw.reshape(-1).astype(float)), dtype=np.int64).reshape(raw.shape)
    return np.where((raw > 0) & (mapped >= 0), mapped, 0)


def vote_matrix(table: Table, columns: Sequence[str], *, name: str = "labels") -> np.ndarray:
    """The votes as an ``(N, H)`` integer array, 0 where a person did not vote.

    Parameters
    ----------
    table : astropy.table.Table
        One row per candidate.
    columns : sequence of str
        One class column per person (``class_h1``, ...).
    name : str
        What to call the table in error messages (its file name).

    Returns
    -------
    numpy.ndarray
        Integer classes; masked, NaN and negative cells are 0.

    Raises
    ------
    StarclassError
        A column is missing or holds a non-integer class (the message names the table,
        column and row).

    Examples
    --------
    >>> vote_matrix(Table({"a": [1, 2], "b": [0.0, float("nan")]}), ["a", "b"]).tolist()
    [[1, 0], [2, 0]]
    """
    if not columns:
        raise StarclassError(f"{name}: no vote columns given")
    return np.stack([class_array(table, c, name=name) for c in columns], axis=1).astype(np.int64)


def checked_votes(votes: Any, classes: Sequence[int], *, name: str = "votes") -> np.ndarray:
    """``votes`` as an ``(N, H)`` integer array, refusing a vote that is no whole number or no class.

    0, a negative number or NaN is "no vote" (as :func:`vote_matrix` reads a table). A vote of
    1.5 became class 1 in :func:`dawid_skene` (a cast) and no vote at all in :func:`soft_targets`,
    and a vote of 7 in a four-class task was dropped, all without a word.

    Parameters
    ----------
    votes : array-like
        ``(N, H)`` votes, one column per person.
    classes : sequence of int
        The classes a vote may name.
    name : str
        What to call the votes in messages (the caller's parameter).

    Returns
    -------
    numpy.ndarray
        int64 votes, 0 where there is none.

    Raises
    ------
    StarclassError
        Not two-dimensional, a vote that is not a whole number, or a class outside ``classes``
        (naming the column and row, counted from 0 as in the array).

    Examples
    --------
    >>> checked_votes([[1, 2], [0, 2]], [1, 2]).tolist()
    [[1, 2], [0, 2]]
    >>> checked_votes([[1, 1.5]], [1, 2])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: votes[0, 1] (column 1, row 0) is 1.5, not a whole class number ...
    """
    v = np.asarray(votes, dtype=np.float64)
    if v.ndim != 2:
        raise StarclassError(f"{name}: give (N, H) votes, one column per person; got shape {v.shape}")
    given = np.isfinite(v) & (v > 0)
    bad = given & (v != np.round(v))
    if bad.any():
        r, c = (int(i) for i in np.argwhere(bad)[0])
        raise StarclassError(f"{name}[{r}, {c}] (column {c}, row {r}) is {v[r, c]:g}, not a whole class number "
                             f"({counted(int(bad.sum()), 'such vote')}); give the classes "
                             f"{', '.join(map(str, classes))}, or 0 for no vote")
    out = np.where(given, v, 0).astype(np.int64)
    bad = (out > 0) & ~np.isin(out, [int(c) for c in classes])
    if bad.any():
        r, c = (int(i) for i in np.argwhere(bad)[0])
        raise StarclassError(f"{name}[{r}, {c}] (column {c}, row {r}) is {out[r, c]}, not one of the classes "
                             f"{', '.join(map(str, classes))} ({counted(int(bad.sum()), 'such vote')}); correct "
                             "the votes, give the classes they use, or 0 for no vote")
    return out


def vote_counts(votes: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """Votes per class, ``(N, K)``; votes for classes outside ``classes`` are not counted.

    Examples
    --------
    >>> vote_counts(np.array([[1, 1, 2], [3, 0, 0]]), [1, 2, 3]).tolist()
    [[2, 1, 0], [0, 0, 1]]
    """
    votes = np.asarray(votes)
    return np.stack([(votes == c).sum(axis=1) for c in classes], axis=1).astype(np.int64)


def mode_targets(votes: np.ndarray, classes: Sequence[int], *, tie_rule: str = "nearest-mean") -> np.ndarray:
    """One-hot targets on the mode; ties as :func:`starclass.schema.vote_mode` breaks them.

    Examples
    --------
    >>> mode_targets(np.array([[2, 1, 3], [0, 1, 2], [4, 4, 1]]), [1, 2, 3, 4]).argmax(axis=1) + 1
    array([2, 2, 4])
    """
    classes = list(classes)
    votes = checked_votes(votes, classes)
    # the one tie rule, shared with inspect's export (this used to take the first column's vote)
    mode, _tie = vote_mode(votes, classes, tie_rule=tie_rule)
    pos = {c: j for j, c in enumerate(classes)}
    out = np.zeros((len(mode), len(classes)))
    voted = np.flatnonzero(mode > 0)
    out[voted, [pos[int(m)] for m in mode[voted]]] = 1.0
    return out


def soft_targets(votes: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """The vote distribution per row (rows without a vote: all zero).

    Examples
    --------
    >>> soft_targets(np.array([[1, 1, 2, 0]]), [1, 2]).tolist()
    [[0.6666666666666666, 0.3333333333333333]]
    """
    counts = vote_counts(checked_votes(votes, classes), classes).astype(float)
    total = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)


@dataclass
class DawidSkeneResult:
    """The fitted Dawid-Skene model.

    Attributes
    ----------
    posterior : numpy.ndarray
        ``(N, K)`` probability of each true class per candidate (zero rows: no vote).
    confusion : numpy.ndarray
        ``(H, K, K)``: ``confusion[h, i, j]`` = P(person h votes ``classes[j]`` | true class
        ``classes[i]``); rows sum to 1.
    priors : numpy.ndarray
        ``(K,)`` estimated class fractions.
    classes : list of int
        The classes of the columns.
    n_votes : numpy.ndarray
        ``(H,)`` votes each person gave (among ``classes``).
    voted : tuple of int
        The classes of ``classes`` somebody voted for (empty: none recorded, read as all). A class
        nobody voted keeps a placeholder (prior 0, the identity row of the confusion matrices),
        which :func:`annotator_table` leaves out.

    Made by :func:`dawid_skene`.

    Examples
    --------
    Three people, twenty candidates; person 3 disagrees on half of them:

    >>> r = dawid_skene(np.array([[1, 1, 1], [2, 2, 2], [1, 1, 2], [2, 2, 1]] * 5), [1, 2])
    >>> r.posterior.shape, r.confusion.shape, r.priors.round(2).tolist(), r.n_votes.tolist()
    ((20, 2), (3, 2, 2), [0.5, 0.5], [20, 20, 20])
    >>> r.posterior[:4].argmax(axis=1).tolist()
    [0, 1, 0, 1]
    """

    posterior: np.ndarray
    confusion: np.ndarray
    priors: np.ndarray
    classes: list[int]
    n_votes: np.ndarray
    voted: tuple[int, ...] = ()


def dawid_skene(votes: np.ndarray, classes: Sequence[int], *, n_iter: int = 10_000,
                tol: float = 1e-6) -> DawidSkeneResult:
    """Fit the Dawid-Skene model to the votes with crowd-kit, to convergence.

    crowd-kit's own stopping rule (its evidence lower bound changing by less than its ``tol``)
    stops on a plateau or a dip of that bound, far from convergence: on 30 candidates with random
    votes of 4 people over 5 classes its default stopped after 17 iterations with posteriors up to
    0.999 from the converged ones. So crowd-kit's start (the majority vote) and first iteration are
    taken, and its E- and M-steps (the same sums, on arrays) are run here until the posteriors
    settle: until the largest change of a posterior in one iteration, and the distance to the
    fixed point it implies (that change times r / (1 - r), r the ratio of the last two changes, EM
    converging geometrically), are both at most ``tol``.
    While the changes do not shrink (a plateau) it goes on.

    Parameters
    ----------
    votes : numpy.ndarray
        ``(N, H)`` votes (0, negative or NaN = none); a vote that is not a whole number or not one of
        ``classes`` is refused (:func:`checked_votes`).
    classes : sequence of int
        The classes (columns of the result).
    n_iter : int
        Most expectation-maximisation iterations (at least 2). Votes that leave the posteriors
        unsettled after them get a warning and the posteriors of the last iteration.
    tol : float
        Convergence tolerance on the posteriors (> 0).

    Returns
    -------
    DawidSkeneResult

    Raises
    ------
    StarclassError
        ``n_iter`` < 2 or ``tol`` <= 0, or a bad vote.

    Examples
    --------
    >>> v = np.array([[1, 1, 1], [2, 2, 2], [1, 1, 2], [2, 2, 1]] * 5)
    >>> r = dawid_skene(v, [1, 2])
    >>> r.posterior.argmax(axis=1)[:4].tolist(), r.confusion.shape
    ([0, 1, 0, 1], (3, 2, 2))
    """
    import warnings

    import pandas as pd
    from crowdkit.aggregation import DawidSkene
    from crowdkit.aggregation.classification import dawid_skene as dawid_skene_module
    from scipy import sparse

    if isinstance(n_iter, bool) or not isinstance(n_iter, (int, np.integer)) or n_iter < 2:
        raise StarclassError(f"dawid_skene: n_iter must be a whole number >= 2, got {n_iter!r}")
    if not np.isfinite(tol) or tol <= 0:
        raise StarclassError(f"dawid_skene: tol must be a finite number > 0, got {tol!r}")
    classes = [int(c) for c in classes]
    votes = checked_votes(votes, classes)
    n, h = votes.shape
    k = len(classes)
    valid = np.isin(votes, classes)
    rows, people = np.nonzero(valid)
    posterior = np.zeros((n, k))
    confusion = np.tile(np.eye(k), (h, 1, 1))
    priors = np.full(k, 1.0 / k)
    n_votes = valid.sum(axis=0)
    if rows.size == 0:
        return DawidSkeneResult(posterior, confusion, priors, classes, n_votes)
    data = pd.DataFrame({"task": rows, "worker": people, "label": votes[rows, people]})
    # crowd-kit's start and first iteration (tol=-inf: its stopping rule cannot act)
    ds = DawidSkene(n_iter=1, tol=-np.inf).fit(data)
    # The iterations to convergence, often thousands, run on arrays: crowd-kit's pandas steps took
    # about 30 ms each (64 s for 1500 candidates of 3 people), for the same sums. Its E-step (log2
    # likelihoods, priors clipped at its eps) and M-step (vote sums clipped at its eps, normalised per
    # person) are done here on the pairs (person, vote) that occur, as its tables hold only those.
    eps = getattr(dawid_skene_module, "_EPS", 1e-10)
    labs = [int(c) for c in ds.probas_.columns]
    tasks = ds.probas_.index.to_numpy(dtype=np.int64)
    task_pos = np.full(n, -1, dtype=np.int64)
    task_pos[tasks] = np.arange(tasks.size)
    lab_pos = {c: i for i, c in enumerate(labs)}
    t_idx = task_pos[rows]
    l_idx = np.array([lab_pos[int(v)] for v in votes[rows, people]], dtype=np.int64)
    n_lab = len(labs)
    pair = people * n_lab + l_idx  # one index per (person, vote)
    seen = np.bincount(pair, minlength=h * n_lab).reshape(h, n_lab) > 0
    # sums over the votes of each task and of each (person, vote) pair, as sparse products
    ones = np.ones(rows.size)
    by_task = sparse.csr_matrix((ones, (t_idx, np.arange(rows.size))), shape=(tasks.size, rows.size))
    by_pair = sparse.csr_matrix((ones, (pair, np.arange(rows.size))), shape=(h * n_lab, rows.size))
    proba = ds.probas_.to_numpy(dtype=float)
    prior_v = ds.priors_.reindex(labs).to_numpy(dtype=float)
    err = np.zeros((h, n_lab, n_lab))  # (person, vote, true class): P(vote | true class)
    for (w, lab), row in ds.errors_.iterrows():
        err[int(w), lab_pos[int(lab)]] = row.reindex(labs).to_numpy(dtype=float)

    def m_step(post: np.ndarray) -> np.ndarray:
        sums = by_pair @ post[t_idx]
        sums = np.where(seen[:, :, None], np.maximum(sums.reshape(h, n_lab, n_lab), eps), 0.0)
        return sums / sums.sum(axis=1, keepdims=True)

    change, settled = np.inf, False
    for _ in range(int(n_iter) - 1):
        with np.errstate(divide="ignore"):
            log_err = np.log2(err)
        loglik = by_task @ log_err[people, l_idx] + np.log2(np.maximum(prior_v, eps))
        new = np.exp2(loglik - loglik.max(axis=1, keepdims=True))
        new /= new.sum(axis=1, keepdims=True)
        prior_v, err = new.mean(axis=0), m_step(new)
        last, change = change, float(np.abs(new - proba).max())
        proba = new
        ratio = change / last if last > 0 else 0.0
        if change <= tol and ratio < 1 and change * ratio / (1 - ratio) <= tol:
            settled = True
            break
    if not settled:
        warnings.warn(f"Dawid-Skene: the posteriors still change by {change:.2g} per EM iteration after "
                      f"{int(n_iter)} iterations (tolerance {tol:g}); the votes leave the model poorly determined "
                      "(few votes per person, or people agreeing little), so its posteriors and confusion "
                      "matrices are not converged", UserWarning, stacklevel=2)
    # crowd-kit only has columns for classes somebody voted for: a class nobody chose keeps 0
    col_of = [classes.index(c) for c in labs]
    posterior[np.ix_(tasks, col_of)] = proba
    priors = np.zeros(k)
    priors[col_of] = prior_v
    for p in range(h):
        if not seen[p].any():
            continue
        e = np.zeros((k, k))  # rows: vote, columns: true class
        e[np.ix_(col_of, col_of)] = err[p]
        col = e.sum(axis=0)
        # rows = true class, columns = vote; a true class never inferred keeps the identity row
        confusion[p] = np.where(col[:, None] > 0, (e / np.where(col > 0, col, 1.0)).T, np.eye(k))
    return DawidSkeneResult(posterior, confusion, priors, classes, n_votes, tuple(c for c in classes if c in labs))


def vote_targets(table: Table, columns: Sequence[str], model: str = "soft", *,
                 classes: Sequence[int] | None = None, name: str = "labels",
                 tie_rule: str = "nearest-mean") -> np.ndarray:
    """Training targets ``(N, K)`` from the vote columns of a table with a label model.

    Parameters
    ----------
    table : astropy.table.Table
        One row per candidate.
    columns : sequence of str
        One vote column per person; 0, NaN or masked = no vote (skipped).
    model : {"mode", "soft", "dawid-skene"}
        The label model (module docstring).
    classes : sequence of int, optional
        Classes of the columns of the result (default: the classes anybody voted for,
        increasing).
    name : str
        What to call the table in error messages.
    tie_rule : {"nearest-mean", "highest"}
        ``mode``: how a tie is broken (:func:`starclass.schema.vote_mode`).

    Returns
    -------
    numpy.ndarray
        ``(N, K)`` float targets; each row sums to 1, or to 0 for a candidate without a vote.

    Raises
    ------
    StarclassError
        An unknown label model, a missing column, a non-integer class, or a vote outside
        ``classes`` when they are given (naming the column and row).

    Examples
    --------
    >>> t = Table({"h1": [1, 2], "h2": [2, 2]})
    >>> vote_targets(t, ["h1", "h2"], "soft").tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    if model not in LABEL_MODELS:
        raise StarclassError(f"--label-model (model= in Python) {model!r}: use one of {', '.join(LABEL_MODELS)}")
    votes = vote_matrix(table, columns, name=name)
    if classes is None:
        classes = sorted({int(v) for v in np.unique(votes) if v > 0})
    bad = (votes > 0) & ~np.isin(votes, [int(c) for c in classes])
    if bad.any():
        # a vote for a class not asked for was dropped by every label model, without a word
        r, j = (int(i) for i in np.argwhere(bad)[0])
        ident = f" (id {table[ID][r]})" if ID in table.colnames else ""
        raise StarclassError(f"{name}, column {columns[j]!r}, {row_name(r)}{ident}: vote {votes[r, j]} is not one of "
                             f"the classes {', '.join(map(str, classes))} ({counted(int(bad.sum()), 'such vote')}); "
                             "correct the votes or give the classes they use")
    if not len(classes):
        raise StarclassError(f"{name}: no votes in columns {', '.join(columns)} (all 0 or missing)")
    if model == "mode":
        return mode_targets(votes, classes, tie_rule=tie_rule)
    if model == "soft":
        return soft_targets(votes, classes)
    return dawid_skene(votes, classes).posterior


def task_targets(config: TaskConfig, targets: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """Targets over reference classes -> targets over a task's output classes (merges applied).

    The probability of each reference class goes to the output class it merges into; classes
    the task drops are removed and the row renormalised (a row left with nothing is zero: no
    target, as a class_ref the task drops).

    Parameters
    ----------
    config : TaskConfig
        The task (``classes``, ``merge``).
    targets : numpy.ndarray
        ``(N, len(classes))`` targets from :func:`vote_targets`.
    classes : sequence of int
        Their reference classes.

    Returns
    -------
    numpy.ndarray
        ``(N, config.n_classes)``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4", merge={1: 1, 2: 1, 3: 2, 4: 2}, classes=[1, 2], class_names=["c", "n"])
    >>> task_targets(cfg, np.array([[0.5, 0.25, 0.25, 0.0]]), [1, 2, 3, 4]).tolist()
    [[0.75, 0.25]]
    """
    targets = np.asarray(targets, dtype=float)
    out = np.zeros((targets.shape[0], config.n_classes))
    idx = np.asarray(config.class_indices(np.asarray(classes, dtype=float)), dtype=np.int64)
    for j, dest in enumerate(idx):
        if dest >= 0:
            out[:, dest] += targets[:, j]
    total = out.sum(axis=1, keepdims=True)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 1e-12)


def annotator_table(result: DawidSkeneResult, columns: Sequence[str],
                    people: Mapping[str, str] | None = None) -> Table:
    """Each person's estimated confusion matrix as a table (one row per person and true class).

    Columns: ``annotator`` (the vote column), ``person`` (their name, where ``people`` maps the
    vote columns to names, as ``inspect --export``'s ``meta['people']`` does), ``n_votes``,
    ``true_class``, ``prior`` (the estimated fraction of that class) and ``p_vote_<k>`` =
    P(the person votes k | true class).

    Only the classes somebody voted for (``result.voted``) are listed: an m31 field's people vote
    1, 2 and 4 of the reference classes m31-binary merges from, and the table held a made-up row
    for true class 3 (prior 0, P(vote 3 | 3) = 1) and a ``p_vote_3`` column of zeros per person.

    Examples
    --------
    >>> r = dawid_skene(np.array([[1, 1], [2, 2], [1, 2]] * 4), [1, 2])
    >>> t = annotator_table(r, ["class_h1", "class_h2"])
    >>> len(t), t.colnames[:3]
    (4, ['annotator', 'n_votes', 'true_class'])
    >>> annotator_table(r, ["class_h1", "class_h2"], {"class_h1": "ann", "class_h2": "bob"})["person"].tolist()
    ['ann', 'ann', 'bob', 'bob']
    >>> annotator_table(dawid_skene(np.array([[1, 4], [4, 4], [1, 1]]), [1, 2, 3, 4]), ["a", "b"]).colnames[-2:]
    ['p_vote_1', 'p_vote_4']
    """
    h = result.confusion.shape[0]
    keep = [j for j, c in enumerate(result.classes) if not result.voted or c in result.voted]
    k = len(keep)
    t = Table()
    t["annotator"] = np.repeat(np.asarray(list(columns), dtype=str), k)
    if people:
        # the export names its people in meta; annotators.ecsv said only class_h1.. and the user had
        # to look the names up in the labels file
        t["person"] = np.repeat(np.asarray([str(people.get(c, "")) for c in columns], dtype=str), k)
    t["n_votes"] = np.repeat(result.n_votes, k).astype(np.int64)
    t["true_class"] = np.tile(np.asarray([result.classes[j] for j in keep], dtype=np.int16), h)
    t["prior"] = np.tile(np.asarray(result.priors)[keep], h)
    for j in keep:
        t[f"p_vote_{result.classes[j]}"] = result.confusion[:, keep, j].reshape(-1)
    t.meta["description"] = ("Dawid-Skene confusion matrices: p_vote_<k> = P(annotator votes k | true class), "
                             "estimated jointly with the true classes (crowdkit.aggregation.DawidSkene)")
    return t


@dataclass
class VoteTargets:
    """Soft targets for the rows of a catalogue, with what they were made from.

    Attributes
    ----------
    targets : numpy.ndarray
        ``(N, config.n_classes)`` over the task's output classes; zero rows have no target.
    model : str
        The label model.
    columns : list of str
        The vote columns.
    n_labelled, n_votes : int
        Catalogue rows with at least one vote, and the votes among them.
    annotators : astropy.table.Table or None
        :func:`annotator_table` for ``dawid-skene``, else None.
    voted : numpy.ndarray or None
        ``(N,)`` bool: whether anyone voted on each catalogue row (a row without a target and
        with a vote had only votes for classes the task leaves out).

    Made by :func:`votes_for_catalogue`.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> votes = Table({"id": [3, 1], "class_h1": [4, 1], "class_h2": [4, 2]})
    >>> vt = votes_for_catalogue(get_preset("legus4"), Table({"id": [1, 2, 3]}), votes, model="soft")
    >>> vt.targets.tolist(), vt.columns, vt.n_labelled, vt.n_votes
    ([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]], ['class_h1', 'class_h2'], 2, 4)
    """

    targets: np.ndarray
    model: str
    columns: list[str]
    n_labelled: int
    n_votes: int
    annotators: Table | None = None
    voted: np.ndarray | None = None


def task_tie_rule(config: TaskConfig) -> str:
    """The tie rule of a task's label scheme (``inspect``'s), ``nearest-mean`` for a task without one.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> task_tie_rule(get_preset("legus4")), task_tie_rule(get_preset("galaxy-cluster"))
    ('nearest-mean', 'highest')
    """
    from starclass.inspect.schemes import scheme_for_task

    try:
        scheme = scheme_for_task(str(config.name))
    except StarclassError:
        return "nearest-mean"
    # a score scheme (m31-check) sums its scores: its tie rule is not a mode's
    return scheme.tie_rule if scheme.consensus == "mode" else "nearest-mean"


def negative_votes_note(table: Table, columns: Sequence[str]) -> str:
    """``"; N vote cells hold a negative number ..."``: the negative cells read as no vote, the first named.

    A negative vote (-1, -99) is the documented "no vote", as 0 and an empty cell are, while a vote
    outside the task's classes (9) is refused. It is said, so that a -1 meant as a class is not
    dropped without a word; the summary lines of ``classify --votes`` and ``train --labels`` end with it.

    Parameters
    ----------
    table : astropy.table.Table
        The table holding the vote columns (its rows are the ones named).
    columns : sequence of str
        The vote columns read.

    Returns
    -------
    str
        ``""`` when no cell is negative, otherwise the note, starting with ``"; "``.

    Examples
    --------
    >>> t = Table({"class_h1": [1, 2, 3], "class_h2": [2, -1, -99]})
    >>> negative_votes_note(t, ["class_h1", "class_h2"])
    "; 2 vote cells hold a negative number, read as no vote (first: column 'class_h2', row 2, -1)"
    >>> negative_votes_note(t, ["class_h1"])
    ''
    """
    from starclass.schema import row_name

    found: list[tuple[int, str, float]] = []
    n = 0
    for c in columns:
        try:
            vals = np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan)
        except (TypeError, ValueError):
            continue  # a text column: the vote reader read (or refused) its cells already
        neg = np.flatnonzero(vals < 0)
        n += neg.size
        if neg.size:
            found.append((int(neg[0]), c, float(vals[neg[0]])))
    if not n:
        return ""
    row, col, value = min(found)
    return (f"; {counted(n, 'vote cell')} {'holds' if n == 1 else 'hold'} a negative number, read as no vote "
            f"(first: column {col!r}, {row_name(row)}, {value:g})")


def votes_for_catalogue(config: TaskConfig, catalogue: Table, votes: Table | None = None, *,
                        columns: str | Sequence[str] | None = None, model: str = "mode",
                        name: str = "labels") -> VoteTargets:
    """Training targets for every catalogue row from people's votes (``train --labels``).

    Parameters
    ----------
    config : TaskConfig
        The task (output classes and merges).
    catalogue : astropy.table.Table
        The training candidates, in the order of the model inputs.
    votes : astropy.table.Table, optional
        The votes table, matched to the catalogue by ``id`` (catalogue rows it lacks get no
        target; ids it has that the catalogue lacks are an error). None: the votes are
        columns of the catalogue.
    columns : str or sequence of str, optional
        The vote columns (``"class_h1,class_h2"``); default every ``class_h<k>`` column.
    model : {"mode", "soft", "dawid-skene"}
        The label model. Dawid-Skene is fitted on all rows of the votes table.
    name : str
        The votes' file, for messages.

    Returns
    -------
    VoteTargets

    Raises
    ------
    StarclassError
        No vote columns, one vote column with ``soft`` or ``dawid-skene``
        (:func:`check_several_people`), a missing ``id`` column, duplicate or unknown ids, a bad
        class.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cat = Table({"id": [1, 2, 3]})
    >>> votes = Table({"id": [3, 1], "class_h1": [4, 1], "class_h2": [4, 2]})
    >>> vt = votes_for_catalogue(get_preset("legus4"), cat, votes, model="soft")
    >>> vt.targets.tolist(), vt.n_labelled
    ([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]], 2)
    """
    from starclass.schema import ID

    if model not in LABEL_MODELS:
        raise StarclassError(f"--label-model (model= in Python) {model!r}: use one of {', '.join(LABEL_MODELS)}")
    table = catalogue if votes is None else votes
    cols = _vote_columns(table, columns, name)
    votes_arr = vote_matrix(table, cols, name=name)
    # a vote for a class the task lacks (7 in a four-class task) was dropped without a word
    check_vote_columns(table, cols, votes_arr, name=name, config=config)
    # after the columns' own checks: a column that is nobody's votes (NGC 1566's) is named as such first
    check_several_people(cols, model, name=name)
    # reference classes: the task's merge keys (or its classes); every vote is one of them now
    ref = known_classes(config)
    annotators = None
    if model == "mode":
        # the mode of the votes as the task reads them, not the reference class of most votes merged after:
        # votes 1, 1, 2, 3, 3 for a binary task (1+2 against 3+4) are three for cluster, but their
        # four-class mode (1 and 3 tied, 3 nearer their mean) made the candidate a non-cluster
        targets = mode_targets(task_votes(config, votes_arr), [int(c) for c in config.classes],
                               tie_rule=task_tie_rule(config))
    else:
        if model == "dawid-skene":
            # a posterior is a probability: merged afterwards, P(cluster) = P(1) + P(2) exactly, and the
            # people's confusions between the reference classes still inform it
            fitted = dawid_skene(votes_arr, ref)
            ref_targets, annotators = fitted.posterior, annotator_table(fitted, cols, table.meta.get("people"))
        else:
            # the vote fractions add up under a merge: merged before or after, the same targets
            ref_targets = soft_targets(votes_arr, ref)
        targets = task_targets(config, ref_targets, ref)
    n_votes_row = (votes_arr > 0).sum(axis=1)
    if votes is not None:
        targets, n_votes_row = _match_ids(catalogue, votes, targets, n_votes_row, name, ID)
    # counted by votes, as the attribute says: counted by targets, a task that drops a class (merge 4: 0) printed
    # "labels: 24 candidates with votes (72 votes)" for 30 candidates with 90 votes
    voted = n_votes_row > 0
    return VoteTargets(targets, model, cols, int(voted.sum()), int(n_votes_row[voted].sum()), annotators, voted)


def _vote_columns(table: Table, columns: str | Sequence[str] | None, name: str) -> list[str]:
    """The vote columns: those named (all must exist), else every ``class_h<k>`` column."""
    from starclass.schema import human_cols

    if columns is None:
        cols = human_cols(table)
        if not cols:
            legus = ""
            if table.meta.get("legus_layout"):
                # a LEGUS catalogue was told to 'name them with --label-columns', but it has no
                # individual votes to name: the user needs to hear that, and what to do instead
                legus = (" (a LEGUS catalogue holds no individual people's votes, only their final class "
                         "class_ref and, in most fields, its mean class_human_mean: train on class_ref with "
                         "--catalog FILE and no --labels; see the README of the LEGUS data)")
            hint = legus or "; name them with --label-columns"
            raise StarclassError(f"{name} has no class_h<k> vote columns{hint} (columns: {', '.join(table.colnames)})")
        return cols
    cols = parse_label_columns(columns)
    if CLASS_HUMAN_MEAN in cols and table.meta.get("legus_layout"):
        # (an inspect --export's class_human_mean, beside the votes it was made from, is refused below as
        # a consensus column, naming the vote columns)
        # a summary of the votes, not votes: it was refused later as 'class 2.667 is not an integer
        # (subclasses such as 4.2 belong in subclass)', which pointed the user the wrong way
        raise StarclassError(
            f"{name}: --label-columns {CLASS_HUMAN_MEAN} is the mean of the people's classes (LEGUS column 35), "
            "not one person's votes; the LEGUS catalogues hold no individual votes (README of the LEGUS data). "
            "Train on the final class instead: --catalog FILE (its class_ref) and no --labels.")
    renamed = {src: dst for src, dst in (table.meta.get("column_map_used") or {}).items()
                if src not in table.colnames and dst in table.colnames}
    others = [h for h in cols if h not in CONSENSUS_COLUMNS and h not in renamed]
    hint = f"the vote columns are {', '.join(others)}" if others else "name the people's own vote columns"
    for c in cols:
        final = FINAL_CLASS_COLUMNS.get(table.meta.get("legus_layout"), {}).get(c)
        expert = table.meta.get("legus_layout") == "expert" and c == CLASS_REF  # NGC 4449: one expert's class
        if c in renamed and renamed[c] in CONSENSUS_COLUMNS:
            # it was 'no column class_mode' of a file that has one: the reader had renamed it class_ref
            what = f"(read as {renamed[c]}) is " + CONSENSUS_COLUMNS.get(c, "the catalogue's reference class")
        elif c in CONSENSUS_COLUMNS and final is None and not expert and c in table.colnames:
            # a consensus beside the votes it was made from was taken for one more person (class_ref of humans.ecsv)
            what = f"is {CONSENSUS_COLUMNS[c]}"
        else:
            continue
        raise StarclassError(
            f"{name}: --label-columns {c} {what}, not one person's votes: a label model would count it as one more "
            f"person who agrees with the others. Leave it out ({hint}); if it does hold one person's classes, give it "
            "another name (e.g. class_h4).")
    missing = [c for c in cols if c not in table.colnames]
    if missing:
        raise StarclassError(f"{name} has no column {', '.join(map(repr, missing))} named by --label-columns "
                             f"(columns: {', '.join(table.colnames)})")
    return cols


def combine_votes(prior: np.ndarray, votes: np.ndarray, confusion: np.ndarray,
                  classes: Sequence[int]) -> np.ndarray:
    """P(true class | prior, votes): each person's vote weighed by their confusion matrix.

    ``P(c) ∝ prior[c] · Π_h confusion[h][c, v_h]`` over the people ``h`` who voted: the
    Dawid-Skene posterior with a prior per candidate (a classifier's probabilities from the
    pixels) instead of one set of class fractions. The votes are taken to be independent of
    each other and of the image given the true class.

    Parameters
    ----------
    prior : numpy.ndarray
        ``(N, K)`` prior per candidate over ``classes`` (rows need not be normalised).
    votes : numpy.ndarray
        ``(N, H)`` votes; a value not in ``classes`` (0: no vote) is left out.
    confusion : numpy.ndarray
        ``(H, K, K)``, ``confusion[h, i, j]`` = P(person h votes ``classes[j]`` | true class
        ``classes[i]``), as :func:`dawid_skene` estimates it.
    classes : sequence of int
        The class of each column.

    Returns
    -------
    numpy.ndarray
        ``(N, K)``, rows summing to 1. A row without votes is its normalised prior, and so is a
        row whose votes every class makes impossible (all products zero).

    Examples
    --------
    One person who is right 90% of the time on class 1 and 80% on class 2 votes 1 for a
    candidate the classifier gives even odds:

    >>> conf = np.array([[[0.9, 0.1], [0.2, 0.8]]])
    >>> combine_votes(np.array([[0.5, 0.5]]), np.array([[1]]), conf, [1, 2]).round(3).tolist()
    [[0.818, 0.182]]
    """
    prior = np.asarray(prior, dtype=float)
    votes = np.asarray(votes, dtype=np.int64)
    confusion = np.asarray(confusion, dtype=float)
    classes = [int(c) for c in classes]
    n, k = prior.shape
    if votes.ndim != 2 or votes.shape[0] != n or confusion.shape != (votes.shape[1], k, k):
        raise ValueError(f"shapes do not fit: prior {prior.shape}, votes {votes.shape}, "
                         f"confusion {confusion.shape}")
    col = np.full(max(classes + [int(votes.max(initial=0))]) + 1, -1, dtype=np.int64)
    col[classes] = np.arange(k)
    post = prior.copy()
    for h in range(votes.shape[1]):
        v = votes[:, h]
        j = np.where(v > 0, col[np.clip(v, 0, None)], -1)
        has = j >= 0
        post[has] *= confusion[h][:, j[has]].T
    total = post.sum(axis=1, keepdims=True)
    norm = prior.sum(axis=1, keepdims=True)
    base = np.divide(prior, norm, out=np.full_like(prior, 1.0 / k), where=norm > 0)
    return np.where(total > 0, post / np.where(total > 0, total, 1.0), base)


@dataclass
class JointClasses:
    """Classes from a classifier's probabilities and people's votes together (:func:`joint_with_votes`).

    Attributes
    ----------
    probabilities : numpy.ndarray
        ``(N, K)`` over the task's classes; NaN rows where neither the classifier nor a person
        said anything.
    classes : numpy.ndarray
        ``(N,)`` the most probable class, 0 for those rows.
    n_votes : numpy.ndarray
        ``(N,)`` votes each catalogue row had (among the task's classes).
    annotators : astropy.table.Table
        Each person's estimated confusion matrix (:func:`annotator_table`).
    columns : list of str
        The vote columns.

    Made by :func:`joint_with_votes`.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4", merge={1: 1, 2: 1, 3: 2, 4: 2}, classes=[1, 2], class_names=["c", "n"])
    >>> cat = Table({"class_h1": [1, 3, 2, 4] * 10, "class_h2": [2, 4, 1, 3] * 10})
    >>> prob = np.tile([[0.6, 0.4], [0.3, 0.7], [0.9, 0.1], [0.5, 0.5]], (10, 1))
    >>> j = joint_with_votes(cfg, cat, prob)
    >>> j.probabilities.shape, j.classes[:4].tolist(), j.n_votes[:4].tolist(), j.columns
    ((40, 2), [1, 2, 1, 2], [2, 2, 2, 2], ['class_h1', 'class_h2'])
    """

    probabilities: np.ndarray
    classes: np.ndarray
    n_votes: np.ndarray
    annotators: Table
    columns: list[str]


def check_votes(catalogue: Table | None, votes: Table, *, columns: str | Sequence[str] | None = None,
                name: str = "votes", catalogue_name: str = "the catalogue",
                config: TaskConfig | None = None) -> list[str]:
    """The checks of :func:`joint_with_votes` that need no model: run before a classification.

    Parameters
    ----------
    catalogue
        The candidates (their ``id`` column), or None when not read yet (a cutout folder).
    votes
        The votes table.
    columns
        Its vote columns (None: every ``class_h<k>`` column).
    name
        What to call the votes table in messages (its file name).
    catalogue_name
        What to call the candidates in messages (``--stamps labels.csv``).
    config : TaskConfig, optional
        The model's task: a vote for a class it does not know is refused (None: not checked).

    Returns
    -------
    list of str
        The vote columns.

    Raises
    ------
    StarclassError
        No vote columns, a single one (:func:`check_several_people`), a vote that is not a class
        number, no ``id`` column, or duplicate or unknown ids (named by row).

    Examples
    --------
    >>> check_votes(Table({"id": [1, 2]}), Table({"id": [1, 2], "class_h1": [1, 3], "class_h2": [1, 4]}))
    ['class_h1', 'class_h2']
    """
    from starclass.schema import ID

    cols = _vote_columns(votes, columns, name)
    votes_n = vote_matrix(votes, cols, name=name)
    check_vote_columns(votes, cols, votes_n, name=name, config=config)
    if catalogue is not None:
        _match_ids(catalogue, votes, votes_n.astype(float), np.zeros(len(votes), dtype=np.int64), name, ID,
                   catalogue_name)
    elif ID not in votes.colnames:
        raise StarclassError(f"{name} has no {ID!r} column to match the votes to the candidates")
    # last: a mistake in the columns or the ids is named first (it would remain with a second column)
    check_several_people(cols, "dawid-skene", name=name, use="classify")
    return cols


def joint_with_votes(config: TaskConfig, catalogue: Table, prob: np.ndarray, votes: Table | None = None, *,
                     columns: str | Sequence[str] | None = None, name: str = "labels") -> JointClasses:
    """The people and the machine together: a classifier's probabilities as the prior of the votes.

    Each person's confusion matrix is estimated from the votes alone by Dawid-Skene
    (:func:`dawid_skene`, no truth needed), over the task's classes (votes are merged as the
    task merges classes; votes for classes it drops are left out). Each candidate's
    probabilities from the pixels then take the place of Dawid-Skene's class fractions
    (:func:`combine_votes`). Candidates without votes keep the classifier's probabilities;
    candidates the classifier could not score (NaN) but people voted on get the Dawid-Skene
    posterior. Use probabilities of a model that was not trained on these candidates: on its own
    training candidates a network has seen the people's labels already.

    Parameters
    ----------
    config : TaskConfig
        The model's task.
    catalogue : astropy.table.Table
        The classified candidates (``id`` when the votes are another table).
    prob : numpy.ndarray
        ``(N, config.n_classes)`` the classifier's probabilities for the catalogue's rows.
    votes : astropy.table.Table, optional
        The votes with an ``id`` column (ids must be in the catalogue; catalogue rows it lacks
        have no votes). None: the votes are columns of the catalogue.
    columns : str or sequence of str, optional
        The vote columns; default every ``class_h<k>`` column.
    name : str
        The votes' file, for messages.

    Returns
    -------
    JointClasses

    Raises
    ------
    StarclassError
        No vote columns, a single one (:func:`check_several_people`), a missing ``id``, duplicate
        or unknown ids, a non-integer class, or a ``prob`` of the wrong shape.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4", merge={1: 1, 2: 1, 3: 2, 4: 2}, classes=[1, 2], class_names=["c", "n"])
    >>> cat = Table({"class_h1": [1, 3, 2, 4] * 10, "class_h2": [2, 4, 1, 3] * 10})
    >>> prob = np.tile([[0.6, 0.4], [0.3, 0.7], [0.9, 0.1], [0.5, 0.5]], (10, 1))
    >>> joint_with_votes(cfg, cat, prob).classes[:4].tolist()
    [1, 2, 1, 2]
    """
    from starclass.schema import ID

    prob = np.asarray(prob, dtype=float)
    k = config.n_classes
    if prob.shape != (len(catalogue), k):
        raise StarclassError(f"probabilities of shape {prob.shape} for {len(catalogue)} candidates and "
                             f"{k} classes")
    table = catalogue if votes is None else votes
    cols = _vote_columns(table, columns, name)
    raw = vote_matrix(table, cols, name=name)
    check_vote_columns(table, cols, raw, name=name, config=config)
    check_several_people(cols, "dawid-skene", name=name, use="classify")
    classes = [int(c) for c in config.classes]
    # each vote as the task's class it merges into; a dropped class is no vote
    mapped = task_votes(config, raw)
    if not (mapped > 0).any():
        raise StarclassError(f"{name}: no vote in columns {', '.join(cols)} is a class of task {config.name!r}")
    fitted = dawid_skene(mapped, classes)
    n_row = (mapped > 0).sum(axis=1)
    if votes is not None:
        aligned, n_row = _match_ids(catalogue, votes, mapped.astype(float), n_row, name, ID)
        mapped = aligned.astype(np.int64)
    finite = np.isfinite(prob).all(axis=1)
    prior = np.where(finite[:, None], prob, fitted.priors[None, :])
    post = combine_votes(prior, mapped, fitted.confusion, classes)
    known = finite | (n_row > 0)
    post[~known] = np.nan
    best = np.where(known, np.asarray(classes)[np.nan_to_num(post, nan=0.0).argmax(axis=1)], 0)
    return JointClasses(post, best.astype(np.int16), n_row.astype(np.int64),
                        annotator_table(fitted, cols, table.meta.get("people")), cols)


def _match_ids(catalogue: Table, votes: Table, targets: np.ndarray, n_votes: np.ndarray, name: str,
               id_col: str, catalogue_name: str = "the catalogue") -> tuple[np.ndarray, np.ndarray]:
    """Rows of the votes table -> rows of the catalogue, by id."""
    for tab, what in ((catalogue, catalogue_name), (votes, name)):
        if id_col not in tab.colnames:
            raise StarclassError(f"{what} has no {id_col!r} column to match the votes to the candidates")
    cat_ids = id_keys(catalogue[id_col])
    vote_ids = id_keys(votes[id_col])
    for ids, what in ((cat_ids, catalogue_name), (vote_ids, name)):
        uniq, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            raise StarclassError(f"{what}: id {uniq[counts > 1][0]} appears {counts.max()} times")
    row = {v: i for i, v in enumerate(cat_ids)}
    unknown = [i for i, v in enumerate(vote_ids) if v not in row]
    if unknown:
        # plain text, not numpy's np.str_('...') reprs
        shown = ", ".join(str(vote_ids[i]) for i in unknown[:5])
        raise StarclassError(f"{name}: {counted(len(unknown), 'id')} {'is' if len(unknown) == 1 else 'are'} not in "
                             f"the catalogue (first at {row_name(unknown[0])}; "
                             f"e.g. {shown})")
    out = np.zeros((len(cat_ids), targets.shape[1]))
    nv = np.zeros(len(cat_ids), dtype=np.int64)
    dest = np.array([row[v] for v in vote_ids], dtype=np.int64)
    _check_matched_positions(catalogue, votes, dest, name, catalogue_name, id_col)
    out[dest] = targets
    nv[dest] = n_votes
    return out, nv


#: Matched rows further apart than this (pixels; PHANGS' one-to-one matching radius) are other objects.
SAME_OBJECT_PX = 2.0


def _check_matched_positions(catalogue: Table, votes: Table, dest: np.ndarray, name: str,
                             catalogue_name: str, id_col: str) -> None:
    """Refuse votes whose ids match catalogue rows at other positions (another catalogue's ids).

    The simulator's ``humans.ecsv`` numbers the truth objects, ``detect`` its own detections: the
    same id there is another object. Matched by id alone, the votes of one object were given to
    another without a word (``classify cand.ecsv --votes humans.ecsv`` "matched" 300 of them).
    Checked only where both tables have pixel positions; most matched pairs must lie within
    :data:`SAME_OBJECT_PX` (a small offset, a re-centred position, is kept).
    """
    from starclass.schema import X, Y

    if not (all(c in catalogue.colnames for c in (X, Y)) and all(c in votes.colnames for c in (X, Y))):
        return
    if not dest.size:
        return

    def _xy(tab: Table, rows) -> np.ndarray:
        return np.column_stack([np.ma.filled(np.ma.asarray(tab[c], dtype=float), np.nan)[rows] for c in (X, Y)])

    sep = np.hypot(*(_xy(catalogue, dest) - _xy(votes, np.arange(len(votes)))).T)
    known = np.isfinite(sep)
    far = known & (sep > SAME_OBJECT_PX)
    if known.any() and far.sum() > 0.5 * known.sum():
        first = int(np.flatnonzero(far)[0])
        raise StarclassError(
            f"{name}: its ids match rows of {catalogue_name}, but at other positions: {int(far.sum())} of "
            f"{int(known.sum())} matched ids lie more than {SAME_OBJECT_PX:g} px apart (first at {row_name(first)}, "
            f"id {votes[id_col][first]}: {sep[first]:.1f} px), so the ids number other objects (e.g. the "
            "simulator's truth ids against detect's): give the votes the catalogue they were made on, or "
            "measure the voted objects themselves (detect --positions VOTES); if the votes' x, y are in "
            "another pixel frame, remove those columns")


def read_votes(path: str | os.PathLike, option: str = "train --labels / classify --votes") -> Table:
    """A table of votes (``id`` and ``class_h<k>`` columns; positions not needed), any writable format.

    :func:`starclass.io.catalog.read_catalog` wants pixel positions; a votes table, such as the
    simulator's ``humans.ecsv`` or a hand-made one, may have none.

    Parameters
    ----------
    path : str or os.PathLike
        The table.
    option : str
        The command and option that gave it, named in the errors (``suggest --labels`` was told
        of ``train --labels / classify --votes``).

    Returns
    -------
    astropy.table.Table

    Raises
    ------
    StarclassError
        The file is missing, unreadable, has no ``id`` column or a header but no rows.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "votes.csv"
    >>> _ = p.write_text("id,class_h1\\n1,2\\n")
    >>> read_votes(p, "suggest --labels")["class_h1"].tolist()
    [2]
    """
    from pathlib import Path

    from starclass.io.catalog import catalog_format, guess_format, read_catalog, read_table, refuse_database

    p = Path(path)
    if p.is_dir():
        # "not found" of a folder that is there
        raise StarclassError(f"votes table {p} ({option}) is a directory; give the table of votes (a CSV, ECSV, "
                             "Parquet or FITS file with id and class_h<k> columns)")
    if not p.is_file():
        raise StarclassError(f"votes table {p} not found ({option})")
    refuse_database(p)  # inspect's --db: "cannot tell the catalogue format of labels.db" said nothing of --export
    from starclass.io.cutout_folders import is_hdf5, stamp_store_error

    if is_hdf5(p):
        # as every catalogue reader names it (f13eab1): 'cannot tell the catalogue format of stamps.h5'
        raise StarclassError(f"{option}: {stamp_store_error(p, catalogue=True)}")
    if guess_format(p) == "legus":
        # a LEGUS .tab has no header: only its reader names the columns (and records the file's
        # layout, which check_vote_columns needs to refuse NGC 1566's columns 36-39). It was
        # refused here as "cannot tell the catalogue format", though --catalog reads it
        return read_catalog(p)
    catalog_format(p)  # an extension no writer knows is refused, as before
    # the catalogue reader's table layer: spreadsheet CSVs (byte-order mark, ';') and zero-padded
    # ids are read as they are in the catalogue the votes are matched to
    table = read_table(p)
    if ID not in table.colnames:
        # "labels file" puzzled a classify --votes user (the option names it votes); and why an id
        raise StarclassError(f"votes table {p} ({option}) has no 'id' column: votes are "
                             f"matched to the candidates by id (columns: {', '.join(table.colnames)})")
    # it was read as 0 rows and refused later as "vote column 'class_h1' is empty ...; give --label-columns
    # without it", which no --label-columns mends
    refuse_no_rows(table, p, "votes table", why=f" ({option}): no votes to read")
    add_people_beside(table, p)
    return table


def add_people_beside(table: Table, path: str | os.PathLike) -> Table:
    """Put the people an ``inspect --export`` CSV names beside it into ``table.meta['people']``.

    A CSV keeps no meta: ``inspect --export labels.csv`` writes ``labels.people.json``
    (:func:`starclass.inspect.export.people_path`) with ``{"people": {column: name}}``. Without
    it, ``train --labels labels.csv --label-model dawid-skene`` wrote ``annotators.ecsv`` without
    a ``person`` column. A table whose meta names its people already (an ECSV) is left as it is;
    so is one with no such file beside it. Only the table's own columns are kept.

    Parameters
    ----------
    table : astropy.table.Table
        The votes read from ``path`` (changed in place).
    path : str or os.PathLike
        The file it was read from.

    Returns
    -------
    astropy.table.Table
        ``table``.

    Raises
    ------
    StarclassError
        The file beside it is not such a JSON object.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "e.people.json").write_text(json.dumps({"people": {"class_h1": "Ann Lee"}}))
    >>> add_people_beside(Table({"id": [1], "class_h1": [2]}), d / "e.csv").meta["people"]
    {'class_h1': 'Ann Lee'}
    """
    import json
    from pathlib import Path

    from starclass.inspect.export import people_path

    side = people_path(path)
    if table.meta.get("people") or Path(path).suffix.lower() != ".csv" or not side.is_file():
        return table
    try:
        people = json.loads(side.read_text(encoding="utf-8")).get("people")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        raise StarclassError(f"{side} (whose column of {Path(path).name} is whose, written by inspect --export) "
                             f"cannot be read: {exc}; remove it or export again") from None
    if not isinstance(people, dict):
        raise StarclassError(f"{side} (written by inspect --export beside {Path(path).name}) holds no 'people' "
                             "object (column -> name); remove it or export again")
    table.meta["people"] = {str(c): str(n) for c, n in people.items() if str(c) in table.colnames}
    return table
