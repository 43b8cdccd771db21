"""Cross-validation: k-fold (stratified) and leave-one-galaxy-out, with per-fold and pooled metrics.

Every fold trains a model on the other folds' candidates and classifies its own, which the
model never saw: the held-out candidates' labels are hidden (set to 0, "no class") before
:func:`~starclass.learn.train.fit` runs, so they are in neither its training nor its
validation (early-stopping) part. The validation part is drawn from the training folds by the
task's split (``galaxy`` falls back to ``random`` when fewer than two galaxies remain).

* ``k`` folds (an integer >= 2): stratified by class, as scikit-learn's ``StratifiedKFold``
  with shuffling, so every fold keeps each class's share;
* ``logo``: one fold per galaxy (or field), StarcNet section 5.3's leave-one-galaxy-out test.

Metrics are given per fold and **pooled** (computed once on all held-out predictions
together, which weighs every candidate equally, whereas the mean over folds weighs every
fold equally; both are written). For a binary task with a positive class they include its
purity (precision), recall and F1, the M31 paper's figures of merit.

Each fold's model is kept in ``<outdir>/fold_<name>/``, resumable like any training; the
tables ``cv_metrics.ecsv`` and ``cv_predictions.ecsv`` and ``cv_summary.json`` sit beside them,
written when every fold is done; ``cv_folds.json`` (the scheme, the task and the fold names),
written before the first fold trains, says what a run stopped before then was asked for.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from starclass import quiet_import
from starclass.errors import CalibrationFitWarning, StarclassError, UncalibratedWarning, counted
from starclass.io.progress import Progress
from starclass.learn.data import ModelInputs
from starclass.learn.provenance import starting_trained, the_starting_model
from starclass.schema import CLASS_PRED, CLASS_REF, CV_SCHEME, FOLD, INFERENCE_BATCH_SIZE, class_labels, prob_col

with quiet_import():
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

if TYPE_CHECKING:
    from starclass.learn.checkpoint import LoadedModel
    from starclass.learn.config import TaskConfig

__all__ = ["parse_cv", "cv_folds", "given_fold_names", "given_fold_column", "GIVEN_FOLDS", "fold_metrics",
           "fold_spread", "CVResult", "cross_validate", "read_cv_folds", "METRIC_NAMES", "CV_FOLDS_FILE"]

#: Metric columns of the per-fold table, in order (binary ones only for binary tasks).
METRIC_NAMES = ("accuracy", "macro_f1", "purity", "recall", "f1")
#: ``--cv fold``: the scheme whose folds are the values of the rows' ready-made fold column (:data:`FOLD`), named
#: after that column
GIVEN_FOLDS = FOLD

log = logging.getLogger(__name__)


def parse_cv(text: str | int) -> str | int:
    """``--cv`` value: an integer number of folds (>= 2), ``logo`` or ``fold`` (the list's ready-made folds).

    Examples
    --------
    >>> parse_cv("5"), parse_cv("LOGO"), parse_cv("fold")
    (5, 'logo', 'fold')
    >>> parse_cv("1")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --cv needs at least 2 folds, got 1
    """
    s = str(text).strip().lower()
    if s in ("logo", GIVEN_FOLDS):
        return s
    if s in ("folds", "column"):
        # the word of the column (schema.FOLD), one word for the scheme and the column it reads
        raise StarclassError(f"--cv {text}: to hold out the ready-made folds of the list's {FOLD!r} column, give "
                             f"--cv {GIVEN_FOLDS}")
    try:
        k = int(s)
    except ValueError:
        raise StarclassError(f"--cv must be a number of folds (e.g. 5), 'logo' (leave one galaxy out) or "
                             f"'{GIVEN_FOLDS}' (the ready-made folds of a {FOLD!r} column), got {text!r}") from None
    if k < 2:
        raise StarclassError(f"--cv needs at least 2 folds, got {k}")
    return k


def cv_class_words(classes: Any, class_names: Any = None, label_map: dict[str, int] | None = None, *,
                   noun: str = "candidate") -> dict[int, str]:
    """Output class index -> the class as the task names it, for the ``--cv`` refusals and the folds' warnings.

    ``"class 1 (cluster)"``; a cutout folder's task with a label map adds the label strings its files carry
    (``"labels 'cluster', 'extended_cluster' (class 1 (cluster))"``): a refusal named "output class index 0",
    a number the user never wrote.

    Parameters
    ----------
    classes, class_names, label_map
        The task's (``config.classes``, ``config.class_names``, ``config.label_map``).
    noun
        What one row is (:func:`starclass.errors.row_noun`): ``"cutout"`` names the label strings.

    Returns
    -------
    dict of int to str
        One entry per output index, in the task's order of classes.

    Examples
    --------
    >>> cv_class_words([1, 2], ["cluster", "non-cluster"])
    {0: 'class 1 (cluster)', 1: 'class 2 (non-cluster)'}
    >>> cv_class_words([1, 2], ["cluster", "non-cluster"], {"cluster": 1, "galaxy": 2, "bg": 2}, noun="cutout")[1]
    "labels 'galaxy', 'bg' (class 2 (non-cluster))"
    """
    named = class_labels(classes, class_names)
    words = {}
    for j, k in enumerate(named):
        said = f"class {named[k]}"
        labels = [str(s) for s, c in (label_map or {}).items() if int(c) == k] if noun == "cutout" else []
        if labels:
            said = f"label{'s' if len(labels) > 1 else ''} {', '.join(repr(s) for s in labels)} ({said})"
        words[j] = said
    return words


def cv_folds(scheme: str | int, target: np.ndarray, *, galaxies: np.ndarray | None = None,
             seed: int = 0, groups: np.ndarray | None = None,
             noun: str = "candidate", start_trained: np.ndarray | None = None,
             start: str = "the starting model",
             class_words: dict[int, str] | None = None,
             folds: np.ndarray | None = None) -> list[tuple[str, np.ndarray]]:
    """Held-out rows of every fold: ``[(name, rows), ...]``, rows sorted, folds disjoint.

    Parameters
    ----------
    scheme
        Number of folds (stratified k-fold), ``"logo"`` (one fold per galaxy) or ``"fold"``
        (:data:`GIVEN_FOLDS`: one fold per value of ``folds``).
    target
        Output class index per candidate (-1: no class; such rows are in no fold).
    galaxies
        Galaxy (or field) per candidate, needed for ``logo``.
    seed
        Seed of the k-fold shuffle.
    groups
        Object of every candidate (a cutout folder's group column, e.g. ``object_id``): with
        ``k`` folds, all rows of one group go to one fold (scikit-learn's
        ``StratifiedGroupKFold``), so no object is both trained on and tested.
    noun
        What one row is called in a refusal (:func:`starclass.errors.row_noun`): ``"cutout"`` for a
        cutout folder's rows.
    start_trained
        One bool per candidate, True where the starting model (``--resume-from``) trained on it
        (:func:`starclass.learn.provenance.starting_trained`), or None. With ``k`` folds, the folds hold out
        only the other rows (with ``groups``, only the objects the starting model trained on no row of), the rule
        :func:`starclass.learn.train.split_apart` draws a fine-tune's validation rows by: those it trained
        on are trained on in every fold.
    start
        The starting model in a refusal's words (:func:`starclass.learn.provenance.the_starting_model`).
    class_words
        Output class index -> the class in a refusal's words (:func:`cv_class_words`); default
        ``"output class index j"``.
    folds
        The ready-made fold of every candidate (a cutout list's ``fold`` column), needed for ``"fold"``:
        each distinct value of a labelled row is one fold, held out in turn, named by the value and in
        :func:`given_fold_names`'s order ("2" before "10").

    Returns
    -------
    list of (str, numpy.ndarray)
        Fold names (``"1"``..``"k"``, the galaxy names, or the values of ``folds``) and their rows.

    Raises
    ------
    StarclassError
        ``logo`` without galaxies or with fewer than two; ``k`` larger than the smallest
        class (a fold would miss it); ``fold`` without ``folds``, with one fold, with a class all in
        one fold (that fold's model would learn none of it), with an object in two folds, or with a
        held-out row (or object) the starting model trained on. A fold holding no row of a class is
        warned of (its own figures do not measure that class).

    Examples
    --------
    >>> folds = cv_folds(2, np.array([0, 0, 1, 1, -1]), seed=0)
    >>> sorted(np.concatenate([rows for _, rows in folds]).tolist())
    [0, 1, 2, 3]
    >>> [(name, rows.tolist()) for name, rows in cv_folds("logo", np.zeros(3, int), galaxies=np.array(["b", "a", "b"]))]
    [('a', [1]), ('b', [0, 2])]

    Rows 0 and 1 trained on by the starting model are held out by no fold:

    >>> seen = np.array([True, True, False, False, False, False])
    >>> folds = cv_folds(2, np.array([0, 1, 0, 1, 0, 1]), start_trained=seen)
    >>> sorted(np.concatenate([rows for _, rows in folds]).tolist())
    [2, 3, 4, 5]

    Ready-made folds, in their natural order (the last row, without a class, is in none):

    >>> [(name, rows.tolist()) for name, rows in cv_folds("fold", np.array([0, 1, 0, 1, 0, 1, -1]),
    ...                                                    folds=np.array([10, 10, 2, 2, 1, 1, 5]))]
    [('1', [4, 5]), ('2', [2, 3]), ('10', [0, 1])]
    """
    target = np.asarray(target, dtype=np.int64)
    used = np.flatnonzero(target >= 0)
    if used.size == 0:
        raise StarclassError(f"cross-validation: no {noun} has a class of the task")
    if scheme == GIVEN_FOLDS:
        return _given_folds(target, used, folds, groups=groups, noun=noun, start_trained=start_trained, start=start,
                            class_words=class_words or {})
    if scheme == "logo":
        if galaxies is None:
            raise StarclassError(f"--cv logo needs the galaxy (or field) of every {noun}: several fields, "
                                 "a 'galaxy' column, or a merged stamp store")
        gal = np.asarray(galaxies).astype(str)
        names = np.unique(gal[used])
        if names.size < 2:
            from starclass.learn.splits import ONE_GALAXY_HINT

            raise StarclassError(f"--cv logo needs {noun}s from at least two galaxies or fields; found "
                                 f"{names.tolist()}{ONE_GALAXY_HINT}")
        if start_trained is None:
            return [(str(g), used[gal[used] == g]) for g in names]
        # a galaxy is held out on its rows the starting model did not train on (split_apart's galaxy rule; its
        # others are trained on by no fold that holds it out); one whose every row it trained on, by no fold
        from starclass.learn.train import galaxy_apart

        seen = np.asarray(start_trained, dtype=bool)
        folds = [(str(g), used[galaxy_apart(gal, seen, g)[0][used]]) for g in names]
        folds = [(g, rows) for g, rows in folds if rows.size]
        if len(folds) < 2:
            raise StarclassError(
                f"--cv logo: {start} trained on every labelled {noun} of "
                f"{'every galaxy or field' if not folds else 'every galaxy or field but ' + repr(folds[0][0])} "
                f"({int(seen[used].sum())} of the {used.size}), which no fold holds out (scored, they would be "
                f"{noun}s the starting weights learnt), leaving {'no fold' if not folds else 'one fold'}: label "
                f"{noun}s of other galaxies that {start} did not train on, or cross-validate without "
                "--resume-from/--init-from")
        return folds
    k = int(scheme)
    said_class = class_words or {}
    counts = np.bincount(target[used])
    present = counts[counts > 0]
    kept_in, said_kept = apart_from_start(used, start_trained, groups), ""
    if kept_in.any():
        # the folds hold out only rows the starting weights did not learn: scored, a row they learnt is taken for
        # unseen (every fold starts from them), as a fine-tune's validation split keeps them out (split_apart)
        said_kept = (f": {kept_in.sum()} of the {used.size} labelled {noun}s are {noun}s {start} trained on"
                     f"{' (or of its objects)' if groups is not None else ''}, held out by no fold (scored, they would"
                     f" be {noun}s the starting weights learnt), leaving {int((~kept_in).sum())}")
        pool = used[~kept_in]
        fresh = np.bincount(target[pool], minlength=counts.size)
        short = [j for j in np.flatnonzero(counts) if fresh[j] < k]
        if short:
            j = int(min(short, key=lambda c: fresh[c]))
            most = int(min(fresh[counts > 0]))
            which = said_class.get(j, f"output class index {j}")
            fewer = f"give at most {most} folds (--cv {most}), " if most >= 2 else ""
            raise StarclassError(
                f"--cv {k}{said_kept}, in which {which} has only {int(fresh[j])} {noun}s, fewer than "
                f"the {k} folds (each fold holds out one of every class): {fewer}label more {noun}s of that class "
                f"that {start} did not train on, or cross-validate without --resume-from/--init-from")
        used = pool
    elif present.min() < k:
        j = int(np.flatnonzero(counts == present.min())[0])
        which = said_class.get(j, f"output class index {j}")
        raise StarclassError(f"--cv {k}: {which} has only {int(present.min())} labelled "
                             f"{noun}s, fewer than the {k} folds (each fold needs one of every class)")
    if groups is not None:
        grp = np.asarray(groups).astype(str)[used]
        n_groups = np.unique(grp).size
        if n_groups < k:
            raise StarclassError(f"--cv {k}{said_kept}: only {counted(n_groups, 'group')} (objects) "
                                 f"{'has' if n_groups == 1 else 'have'} a class, fewer than the {k} folds"
                                 + (": give fewer folds, label more objects, or cross-validate without "
                                    "--resume-from/--init-from" if said_kept else ""))
        sgk = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=int(seed) % (2**32))
        return [(str(i + 1), np.sort(used[te])) for i, (_, te) in enumerate(sgk.split(used, target[used], grp))]
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=int(seed) % (2**32))
    return [(str(i + 1), np.sort(used[te])) for i, (_, te) in enumerate(skf.split(used, target[used]))]


def given_fold_names(values: Any) -> list[str]:
    """The distinct values of a ready-made fold column as fold names, in natural order ("2" before "10").

    Whole numbers (the reader's integers, or ``"2.0"``) are named as integers and sorted by value; other
    names by their runs of digits as numbers (``"f2"`` before ``"f10"``), then as text.

    Examples
    --------
    >>> given_fold_names([10, 2, 1, 2])
    ['1', '2', '10']
    >>> given_fold_names(["f10", "f2", "f1"])
    ['f1', 'f2', 'f10']
    """
    import re

    names = {_fold_name(v) for v in np.asarray(values).ravel().tolist()}

    def key(name: str) -> tuple:
        try:
            return (0, int(name), "")
        except ValueError:
            # runs of digits compared as numbers, the rest as text; (int, str) pairs never compare a number with text
            parts = re.split(r"(\d+)", name)
            return (1, 0, tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts))

    return sorted(names, key=key)


def _fold_name(value: Any) -> str:
    """One ready-made fold value as its fold's name: ``2``, ``2.0`` and ``"2"`` are fold ``"2"``."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def given_fold_column(table: Any, source: str | os.PathLike) -> np.ndarray:
    """The ready-made folds of a catalogue's (or stamp store's) ``fold`` column, for ``train --cv fold``.

    Whole numbers, as a cutout list's reader takes them (``2.0`` is fold 2).

    Parameters
    ----------
    table : astropy.table.Table or None
        The catalogue the training rows were read from, one row per row of the inputs.
    source : str or os.PathLike
        Its file, named in a refusal.

    Returns
    -------
    numpy.ndarray
        One integer fold per row.

    Raises
    ------
    StarclassError
        No table or no ``fold`` column; a blank cell or one that is not a whole number (naming the first
        such row, 1-based).

    Examples
    --------
    >>> from astropy.table import Table
    >>> given_fold_column(Table({"id": [1, 2, 3], "fold": [1.0, 2.0, 1.0]}), "cat.ecsv").tolist()
    [1, 2, 1]
    >>> given_fold_column(Table({"id": [1, 2], "fold": ["1", ""]}), "cat.ecsv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cat.ecsv: row 2 has no fold (a blank cell in column 'fold'): every row needs ...
    """
    names = [] if table is None else list(getattr(table, "colnames", None) or list(table))
    if FOLD not in names:
        raise StarclassError(f"{source}: --cv {GIVEN_FOLDS} holds out the ready-made folds of a {FOLD!r} column, "
                             f"which the catalogue has not (its columns: {', '.join(names) or 'none read'}): add "
                             "one (a whole number per row), or let train draw the folds (--cv 5, or --cv logo)")
    column = table[FOLD]
    mask = np.ma.getmaskarray(np.ma.asarray(column))
    cells = np.asarray(np.ma.filled(np.ma.asarray(column), 0) if mask.any() else column)
    out = np.empty(len(cells), dtype=np.int64)
    for i, cell in enumerate(cells.tolist()):
        text = "" if mask[i] else str(cell).strip()
        if text.lower() in ("", "nan", "--"):
            raise StarclassError(f"{source}: row {i + 1} has no fold (a blank cell in column {FOLD!r}): every row "
                                 f"needs one for --cv {GIVEN_FOLDS}; give the row its fold, or remove the row")
        try:
            number = float(text)
            if not np.isfinite(number) or number != int(number):
                raise ValueError(text)
        except ValueError:
            raise StarclassError(f"{source}: row {i + 1}: fold {text!r} is not an integer") from None
        out[i] = int(number)
    return out


def _given_folds(target: np.ndarray, used: np.ndarray, folds: np.ndarray | None, *, groups: np.ndarray | None,
                 noun: str, start_trained: np.ndarray | None, start: str,
                 class_words: dict[int, str]) -> list[tuple[str, np.ndarray]]:
    """:func:`cv_folds` of ``--cv fold``: the rows' own folds, checked (see its Raises)."""
    if folds is None:
        raise StarclassError(f"--cv {GIVEN_FOLDS} holds out the ready-made folds of a {FOLD!r} column, and these "
                             f"{noun}s have none: give every {noun} its fold in a {FOLD!r} column (a whole number "
                             "per row), or let train draw the folds (--cv 5)")
    given = np.array([_fold_name(v) for v in np.asarray(folds).ravel().tolist()], dtype=object).astype(str)
    if given.size != target.size:
        raise StarclassError(f"--cv {GIVEN_FOLDS}: {given.size} folds for {target.size} {noun}s")
    names = given_fold_names(given[used])
    if len(names) < 2:
        raise StarclassError(f"--cv {GIVEN_FOLDS}: every labelled {noun} ({used.size}) is in fold {names[0]!r} of "
                             f"column {FOLD!r}: held out, it leaves none to train on; give the {noun}s at least two "
                             "folds, or let train draw them (--cv 5)")
    mine = given[used]
    if groups is not None:
        grp = np.asarray(groups).astype(str)[used]
        for g in np.unique(grp).tolist():
            where = np.unique(mine[grp == g])
            if where.size > 1:
                # the cutout reader refuses it first; a caller's own arrays are checked here
                raise StarclassError(f"--cv {GIVEN_FOLDS}: object {g!r} is split across folds "
                                     f"{', '.join(repr(f) for f in given_fold_names(where))}: one object must stay "
                                     "in one fold")
    present = np.unique(target[used])
    for j in present:
        holding = np.unique(mine[target[used] == j])
        if holding.size == 1:
            n = int(np.sum(target[used] == j))
            raise StarclassError(
                f"--cv {GIVEN_FOLDS}: {f'all {n} {noun}s' if n > 1 else f'the only {noun}'} of "
                f"{class_words.get(int(j), f'output class index {j}')} {'is' if n == 1 else 'are'} in fold "
                f"{str(holding[0])!r}, so the model that holds that fold out "
                "would learn none of that class: "
                f"put some of them in other folds of column {FOLD!r}")
    if start_trained is not None:
        seen = apart_from_start(used, start_trained, groups)
        if seen.any():
            # the folds are the column's: leaving these rows out of them (as --cv K does) would change the benchmark
            per_fold = [(f, int(np.sum(seen & (mine == f)))) for f in names]
            per_fold = [(f, n) for f, n in per_fold if n]
            first, n_first = per_fold[0]
            more = f" and {counted(len(per_fold) - 1, 'other fold')}" if len(per_fold) > 1 else ""
            raise StarclassError(
                f"--cv {GIVEN_FOLDS}: {start} trained on {int(seen.sum())} of the {used.size} labelled {noun}s"
                f"{' (or on other cutouts of their objects)' if groups is not None else ''}, which the ready-made "
                f"folds hold out ({n_first} in fold {first!r}{more}): scored, they would be {noun}s the starting "
                "weights learnt, and the column's folds cannot leave them out; cross-validate without "
                f"--resume-from/--init-from, or let train draw folds apart from them (--cv 5)")
    empty = [(f, int(j)) for f in names for j in present if not np.any((mine == f) & (target[used] == j))]
    if empty:
        said = "; ".join(f"fold {f!r} holds no {noun} of {class_words.get(j, f'output class index {j}')}"
                         for f, j in empty[:5])
        more = f" (and {len(empty) - 5} more)" if len(empty) > 5 else ""
        warnings.warn(f"--cv {GIVEN_FOLDS}: {said}{more}: such a fold's own figures do not measure that class (its "
                      "macro F1 counts it as 0; a positive class's recall is undefined); the pooled figures count "
                      "every fold's rows", UserWarning, stacklevel=3)
    return [(f, used[mine == f]) for f in names]


#: Words of a fold's note of its early-stopping rows drawn apart from the starting model's
#: (:func:`starclass.learn.train.apart_note`): :func:`cross_validate` says it once for every fold
#: (:func:`cv_apart_note`).
_TRAINED_AGAIN = "it trained on are trained on again and never validated on"


def apart_from_start(used: np.ndarray, start_trained: np.ndarray | None,
                     groups: np.ndarray | None = None) -> np.ndarray:
    """Which of the rows ``used`` are trained on in every fold, never held out: those the starting model trained on.

    With ``groups``, every row of an object the starting model trained on a row of (another cutout of it
    held out would be a picture of an object the weights learnt), as
    :func:`starclass.learn.train.split_apart` keeps such objects out of a fine-tune's validation rows.

    Examples
    --------
    >>> seen = np.array([True, False, False, False])
    >>> apart_from_start(np.arange(4), seen).tolist()
    [True, False, False, False]
    >>> apart_from_start(np.arange(4), seen, groups=np.array(["a", "a", "b", "c"])).tolist()
    [True, True, False, False]
    """
    used = np.asarray(used, dtype=np.int64)
    if start_trained is None:
        return np.zeros(used.size, dtype=bool)
    seen = np.asarray(start_trained, dtype=bool)
    if groups is None:
        return seen[used]
    names = np.asarray(groups).astype(str)
    return np.isin(names[used], names[seen])


def cv_apart_note(n_kept: int, n_labelled: int, n_held_out: int, k: int, init_from: Any, *,
                  noun: str = "candidate", grouped: bool = False, logo: bool = False) -> str:
    """``train --cv K --resume-from M``'s line: the rows M trained on are held out by no fold, and why.

    Examples
    --------
    >>> print(cv_apart_note(40, 60, 20, 2, "m0"))  # doctest: +NORMALIZE_WHITESPACE
    cross-validation from the starting model 'm0': the 40 of the 60 labelled candidates it trained on are
    trained on in every fold and held out (or validated on) by none (their scores would be in-sample); the
    2 folds hold out the 20 it did not train on
    >>> print(cv_apart_note(40, 60, 20, 3, "m0", logo=True))  # doctest: +NORMALIZE_WHITESPACE
    cross-validation from the starting model 'm0': the 40 of the 60 labelled candidates it trained on are held
    out (or validated on) by no fold (their scores would be in-sample) and trained on in every fold but the one
    that holds out their galaxy; the 3 folds hold out the 20 it did not train on
    """
    if logo:
        return (f"cross-validation from {the_starting_model(init_from)}: the {n_kept} of the {n_labelled} labelled "
                f"{noun}s it trained on are held out (or validated on) by no fold (their scores would be in-sample) "
                f"and trained on in every fold but the one that holds out their galaxy; the {k} folds hold out the "
                f"{n_held_out} it did not train on")
    objects = " (or of its objects)" if grouped else ""
    return (f"cross-validation from {the_starting_model(init_from)}: the {n_kept} of the {n_labelled} labelled "
            f"{noun}s it trained on{objects} are trained on in every fold and held out (or validated on) by none "
            f"(their scores would be in-sample); the {k} folds hold out the {n_held_out} it did not train on")


def _json_safe(obj: Any) -> Any:
    """``obj`` with every non-finite float as None (JSON null), through dicts and lists.

    Examples
    --------
    >>> _json_safe({"purity": float("nan"), "folds": [{"f1": 0.5}]})
    {'purity': None, 'folds': [{'f1': 0.5}]}
    """
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)) and not np.isfinite(obj):
        return None
    return obj


def fold_metrics(y_true: np.ndarray, y_pred: np.ndarray, classes: list[int],
                 positive: int | None = None) -> dict[str, float]:
    """Accuracy, macro F1 and (with ``positive``) the positive class's purity, recall and F1.

    Parameters
    ----------
    y_true, y_pred
        Reference and predicted classes (task class values; a prediction of 0 counts as wrong).
    classes
        The task's classes (macro F1 averages over them).
    positive
        Positive class of a binary task, or None.

    Returns
    -------
    dict
        ``n`` and the metrics of :data:`METRIC_NAMES` (NaN where they do not apply).

    Examples
    --------
    >>> m = fold_metrics(np.array([1, 1, 1, 2, 2]), np.array([1, 1, 2, 1, 2]), [1, 2], positive=1)
    >>> round(m["purity"], 3), round(m["recall"], 3), m["accuracy"]
    (0.667, 0.667, 0.6)
    >>> fold_metrics(np.array([1, 2, 2]), np.array([1, 1, 1]), [1, 2], positive=2)["purity"]  # none selected
    nan
    """
    y_true = np.asarray(y_true).astype(np.int64)
    y_pred = np.asarray(y_pred).astype(np.int64)
    out: dict[str, float] = {"n": int(y_true.size)}
    if y_true.size == 0:
        return out | {k: float("nan") for k in METRIC_NAMES}
    out["accuracy"] = float(accuracy_score(y_true, y_pred))
    out["macro_f1"] = float(f1_score(y_true, y_pred, labels=list(classes), average="macro", zero_division=0))
    if positive is None:
        out |= {"purity": float("nan"), "recall": float("nan"), "f1": float("nan")}
    else:
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=[int(positive)], zero_division=0)
        tp = int(np.sum((y_true == positive) & (y_pred == positive)))
        n_pred, n_ref = int(np.sum(y_pred == positive)), int(np.sum(y_true == positive))
        # undefined, not 0: a fold that selects no object has no purity (it printed 0.000, and the mean over
        # folds counted it as a fold of pure contaminants), as evaluate's per-class table leaves it blank
        out |= {"purity": tp / n_pred if n_pred else float("nan"), "recall": tp / n_ref if n_ref else float("nan"),
                "f1": float(f[0])}
    return out


def fold_spread(per_fold: list[dict[str, Any]]) -> tuple[dict[str, float], dict[str, float]]:
    """Mean and standard deviation over folds of each metric, leaving out the folds where it is undefined.

    The standard deviation (``ddof=1``) needs two folds with a value: of one it is NaN, with no
    warning (numpy's ``nanstd`` said "Degrees of freedom <= 0 for slice" on ``train --cv logo`` of two
    fields, one of which selected no cluster, a warning with no next step under the table's dash).

    Parameters
    ----------
    per_fold
        One dict per fold holding the metrics of :data:`METRIC_NAMES` (NaN where undefined).

    Returns
    -------
    tuple of dict
        ``(mean, std)``, metric name -> value (NaN where too few folds have one).

    Examples
    --------
    >>> nan = float("nan")
    >>> folds = [{"accuracy": 0.5, "macro_f1": 0.4, "purity": nan, "recall": 0.0, "f1": 0.0},
    ...          {"accuracy": 0.7, "macro_f1": 0.6, "purity": 0.8, "recall": 0.5, "f1": 0.6}]
    >>> mean, std = fold_spread(folds)
    >>> round(mean["accuracy"], 3), mean["purity"], std["purity"]
    (0.6, 0.8, nan)
    """
    mean: dict[str, float] = {}
    std: dict[str, float] = {}
    for k in METRIC_NAMES:
        values = np.asarray([f[k] for f in per_fold], dtype=float)
        values = values[np.isfinite(values)]
        mean[k] = float(values.mean()) if values.size else float("nan")
        std[k] = float(values.std(ddof=1)) if values.size > 1 else float("nan")
    return mean, std


@dataclass
class CVResult:
    """What :func:`cross_validate` did.

    Attributes
    ----------
    folds
        One dict per fold: ``fold``, ``n_train`` and the metrics of :func:`fold_metrics`.
    pooled
        The metrics over all held-out predictions together.
    mean, std
        Mean and standard deviation over folds of each metric.
    predictions
        Per held-out candidate: ``row`` (into the inputs), ``fold``, ``class_ref``,
        ``class_pred`` and ``prob_<k>`` (plus any ``extra_columns``).
    outdir
        Where the fold models and tables are.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.datasets.stamps import make_synthetic
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    >>> toy = make_synthetic(cfg, 24, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cv = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=d, progress=False, device="cpu")
    >>> [f["fold"] for f in cv.folds], len(cv.predictions), cv.predictions.colnames[:4]
    (['1', '2'], 24, ['row', 'fold', 'class_ref', 'class_pred'])
    >>> sorted(cv.pooled)[:3]
    ['accuracy', 'f1', 'macro_f1']
    """

    folds: list[dict[str, Any]]
    pooled: dict[str, float]
    mean: dict[str, float]
    std: dict[str, float]
    predictions: Any
    outdir: Path
    notes: list[str] = field(default_factory=list)


def cross_validate(config: TaskConfig, inputs: ModelInputs, labels: np.ndarray, *, scheme: str | int,
                   outdir: str | os.PathLike,
                   positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
                   galaxies: np.ndarray | None = None,
                   extra_columns: dict[str, np.ndarray] | None = None, seed: int | None = None,
                   resume: bool = True, progress: bool | None = False, device: str | None = None,
                   epochs: int | None = None, ensemble: int | None = None, batch_size: int = INFERENCE_BATCH_SIZE,
                   init_from: str | os.PathLike | None = None, groups: np.ndarray | None = None,
                   known_data: dict[str, str] | None = None, pixel_flags: dict | None = None,
                   on_fold: Callable[[Path, np.ndarray], None] | None = None,
                   on_resume: Callable[[str], None] | None = None,
                   meta: dict[str, Any] | None = None, starting_model: LoadedModel | None = None,
                   noun: str = "candidate", folds: np.ndarray | None = None) -> CVResult:
    """Train one model per fold and score each on the candidates it never saw.

    Parameters
    ----------
    config, inputs, labels, positions, galaxies, seed, resume, progress, device, epochs, ensemble, init_from
        As for :func:`starclass.learn.train.fit` (every fold starts from ``init_from`` when given).
    scheme
        Number of folds, ``"logo"`` or ``"fold"`` (the rows' ready-made ``folds``; see :func:`cv_folds`).
    outdir
        Folder for ``fold_<name>/`` models and the ``cv_*`` tables.
    extra_columns
        Per-candidate columns (``id``, ``field``, ``x``, ...) copied into the predictions table.
    batch_size
        Candidates classified at a time.
    groups
        Object of every candidate: folds keep each group whole (see :func:`cv_folds`) and each
        fold's early-stopping rows are whole groups of its training rows.
    known_data
        Data digests of earlier readings of these data (:func:`fold_digests`) -> why they
        differ: a fold model trained on one is refused on resume saying so, as
        :func:`starclass.learn.train.fit` takes it.
    pixel_flags
        The mask and DQ flags the inputs were cut with, recorded in every fold model's manifest
        (as :func:`starclass.learn.train.fit` takes it).
    on_fold
        Called with each fold's model directory and the rows it was trained on (indices into
        ``labels``: neither held out nor unlabelled) as soon as it is trained (or kept), before the
        next fold: what is recorded in a fold's manifest is there even when a later fold is
        interrupted.
    on_resume
        Passed to each fold's :func:`starclass.learn.train.fit`: called before a fold trains with the
        line saying what it resumes from its checkpoints (the fold's folder named in it).
    meta
        More meta for ``cv_predictions.ecsv``: ``train --cv`` of a cutout folder records ``cutout_root``,
        the folder its ``file`` column is relative to, so that a list made from it finds the cutouts.
    starting_model
        ``init_from`` as already loaded (:func:`starclass.learn.checkpoint.load_model`), or None: its
        calibration is checked once here (:func:`starclass.learn.train.check_starting_calibration`), before
        any fold, and the model so loaded is given to every fold's ``fit`` instead of each loading it again.
    noun
        What one row is called in the messages and the held-out bar (:func:`starclass.errors.row_noun`):
        ``"cutout"`` for a cutout folder's rows (``train --stamps FOLDER --cv K``).
    folds
        The ready-made fold of every row, for ``scheme="fold"`` (see :func:`cv_folds`). A folder resumed with
        other folds (a row moved from one fold to another) is refused before any fold trains.

    Returns
    -------
    CVResult

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.datasets.stamps import make_synthetic
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    >>> toy = make_synthetic(cfg, 24, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cv = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=d, progress=False, device="cpu")
    >>> [f["fold"] for f in cv.folds], cv.pooled["n"]
    (['1', '2'], 24)
    """
    # torch-heavy imports here keep `parse_cv` and the fold maths light for the CLI's checks
    from astropy.table import Table

    from starclass.io.atomic import atomic_path
    from starclass.io.catalog import write_catalog
    from starclass.learn.calibration import NOT_PINNED_DOWN
    from starclass.learn.checkpoint import IMAGE_STAMPS_GLOB, MANIFEST, load_model
    from starclass.learn.classify import predict_inputs
    from starclass.learn.data import InputSource
    from starclass.learn.precision import pick_device
    from starclass.learn.train import (
        UNLABELLED_LEFT_OUT,
        CautionNote,
        fit,
        label_indices,
        unlabelled_left_out_args,
        warn_caution_notes,
    )

    outdir = Path(outdir)
    labels = _cv_labels(labels)
    target = label_indices(config, labels)
    # the folds are drawn with the first member's seed, as the train/validation split is
    base_seed = int(seed) if seed is not None else int(config.recipe.member_seed(0))
    # a fine-tune's folds hold out only rows its starting model did not train on (split_apart's rule): every fold
    # starts from weights that learnt the others, and scored them as unseen (one warning said so, and no more)
    start_seen = starting_trained(init_from, inputs)
    given = folds
    folds = cv_folds(scheme, target, galaxies=galaxies, seed=base_seed, groups=groups, noun=noun,
                     start_trained=start_seen,
                     start=the_starting_model(init_from) if init_from is not None else "the starting model",
                     class_words=cv_class_words(config.classes, config.class_names, config.label_map, noun=noun),
                     folds=given)
    held = _folds_digest(folds) if scheme == GIVEN_FOLDS else None
    apart_said = None
    if start_seen is not None:
        used = np.flatnonzero(target >= 0)
        grouped = groups is not None and scheme != "logo"
        n_kept = int(apart_from_start(used, start_seen, groups if grouped else None).sum())
        apart_said = cv_apart_note(n_kept, used.size, sum(rows.size for _, rows in folds), len(folds), init_from,
                                   noun=noun, grouped=grouped, logo=scheme == "logo")
    classes = [int(c) for c in config.classes]
    # the held-out rows are scored in the task's classes, as they were trained (0: none): the raw labels of a
    # task that merges (m31-binary reads PHANGS classes 1-4 as 1+2 / 3+4) were scored against its predictions of
    # 1 and 2, and every held-out class 3 or 4 counted wrong (accuracy 0.05 where 0.92 was right)
    scored = np.where(target >= 0, np.asarray(classes)[np.clip(target, 0, None)], 0)
    positive = config.positive_class if config.is_binary else None
    if config.is_binary and positive is None:
        positive = classes[0]
    source = InputSource(inputs)
    dev = pick_device(device)
    gal = None if galaxies is None else np.asarray(galaxies).astype(str)

    from starclass.learn.checkpoint import cv_fold_models

    # fold folders of an earlier cross-validation of other folds (--cv 3, then --cv 2 or logo): left beside
    # this run's, info counted them as its fold models ("3 fold model(s)" of a 2-fold summary)
    ours = {f"fold_{_safe(name)}" for name, _ in folds}
    stale = [f for f in cv_fold_models(outdir, started=True) if f.name not in ours]
    if resume and (other := _other_scheme(outdir, scheme, stale, held)):
        # before the member check: it said only "fold_1/member_01.pt was trained with other training
        # data" of a --cv 3 folder resumed with --cv 2, not that the folds differ
        raise StarclassError(
            f"{outdir} holds {other}; this is {_scheme_words(scheme)}: train into another directory (-o), or start "
            "afresh with --overwrite (or --no-resume), which replaces it")
    if stale and resume:
        raise StarclassError(
            f"{outdir} holds {', '.join(f.name for f in stale)} of an earlier cross-validation, no fold of this "
            f"one ({', '.join(sorted(ours))}); train into another directory, or start afresh with --overwrite (or "
            "--no-resume), which replaces them")
    start_digest = None
    if init_from is not None:
        from starclass.learn.train import check_starting_calibration

        # once for every fold, before anything is written: each fold's fit loaded the whole starting model again
        starting_model = check_starting_calibration(init_from, starting_model)
        if starting_model is None and (Path(init_from).is_dir() or Path(init_from).suffix == ".json"):
            # nothing to check (no calibration): loaded still, once, for every fold's starting weights, which
            # each fold's members read from their files again (initial_state)
            try:
                starting_model = load_model(init_from, device="cpu", check_calibration=False)
            except StarclassError:
                pass  # said by the first fold, where the starting weights are read, as before
        from starclass.learn.train import init_digest

        # once for every fold (each fold's fit read every member file again to hash it), before anything is
        # written: a member file missing is refused here as the first fold refused it
        start_digest = init_digest(init_from)
    # what this run was asked for, before any fold trains: stopped before its cv_summary.json, a folder said
    # neither how many folds it was asked for nor which were still to train, and a resume with other
    # folds (--cv 3 stopped after fold 2, then --cv 2) was refused only as "other training data"
    made_dir, had_record = not outdir.exists(), (outdir / CV_FOLDS_FILE).exists()
    with atomic_path(outdir / CV_FOLDS_FILE) as tmp:
        Path(tmp).write_text(json.dumps({"scheme": scheme, "task": config.name,
                                         "folds": [str(name) for name, _ in folds],
                                         "n": int(target.size),
                                         **({FOLD_ROWS: held} if held else {})}, indent=2) + "\n")
    rows_all, fold_all, pred_all, prob_all = [], [], [], []
    per_fold: list[dict[str, Any]] = []
    notes: list[str] = [apart_said] if apart_said else []
    few_rows: list[str] = []  # folds whose calibration warned of too few held-out rows
    said_setup: set[str] = set()  # the folds' split warnings said so far
    n_unlabelled = int(np.sum(target < 0))
    if n_unlabelled:
        # said once: each fold's fit said it again, its held-out rows counted in ("12 candidates" of 4)
        log.info(UNLABELLED_LEFT_OUT, *unlabelled_left_out_args(n_unlabelled, noun))
    for i, (name, test) in enumerate(folds, start=1):
        # the bars of every fold read alike ("m31-real member 1/1 (compact)"): which fold trains is said first
        label = f"fold {i}/{len(folds)}" if str(name) == str(i) else f"fold {name} ({i}/{len(folds)})"
        log.info("%s: training", label)  # a log file's line where there is no bar (train's epoch lines follow)
        with warnings.catch_warnings(record=True) as setup_said:
            warnings.simplefilter("always")
            cfg, hidden, val_index, note = _fold_setup(config, labels, target, name, test, gal, groups, base_seed,
                                                       start_seen, logo=scheme == "logo")
        for w in setup_said:
            # each fold's split warned word for word what the fold before it had ("validation split: class 3 has
            # only 9 cutouts ...", ten times over train --cv 10): a warning is said once, a different one again
            if str(w.message) not in said_setup:
                said_setup.add(str(w.message))
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        notes += [note] if note else []
        fold_dir = outdir / f"fold_{_safe(name)}"
        try:
            with warnings.catch_warnings():
                # the fold's calibration cautions are warned below, named by fold, and the repeats of one said once
                for said_below in (CalibrationFitWarning, UncalibratedWarning):
                    warnings.filterwarnings("ignore", category=said_below)
                with _unsaid(UNLABELLED_LEFT_OUT):
                    result = fit(cfg, inputs, hidden, outdir=fold_dir, positions=positions,
                                 galaxies=galaxies, seed=seed, resume=resume, progress=progress, device=device,
                                 epochs=epochs, ensemble=ensemble, init_from=init_from, val_index=val_index,
                                 known_data=known_data, pixel_flags=pixel_flags, on_resume=on_resume,
                                 starting_model=starting_model, starting_digest=start_digest,
                                 # the bar's label and each line of the batches and epochs
                                 progress_label=label, noun=noun)
        except BaseException:
            # fit removes a fold's manifest once it trains (a refusal leaves it): stopped there (Ctrl-C,
            # a time limit), an earlier run's tables described folds no longer there
            if not (fold_dir / MANIFEST).is_file():
                _forget_tables(outdir)
            if not had_record and not cv_fold_models(outdir, started=True):
                # refused (or stopped) before any checkpoint: nothing written, as train leaves no folder then
                (outdir / CV_FOLDS_FILE).unlink(missing_ok=True)
                if made_dir and outdir.is_dir() and not any(outdir.iterdir()):
                    outdir.rmdir()
            raise
        if result.n_kept < len(result.members):
            _forget_tables(outdir)
        if on_fold is not None:
            from starclass.learn.train import label_indices

            # the rows the fold learnt from (its held-out and unlabelled rows hidden): what it was trained on
            on_fold(result.model_path, np.flatnonzero(label_indices(cfg, hidden) >= 0))
        for n in result.notes:
            if apart_said and str(n).startswith("validation split: ") and _TRAINED_AGAIN in str(n):
                # each fold's early-stopping rows drawn apart from the start's: said once, by apart_said, for all
                continue
            if NOT_PINNED_DOWN in n:
                # every fold calibrates on its own validation rows, about as few in each: the
                # warning in full once, then the other folds named (five long warnings on the
                # documented PAndAS --cv 5, 99 rows each, read as five problems)
                few_rows.append(name)
                if len(few_rows) > 1:
                    continue
            n = note_naming_model(n, fold_dir)
            notes.append(CautionNote(f"fold {name}: {n.message}", n.category, text=f"fold {name}: {n}")
                         if isinstance(n, CautionNote) else f"fold {name}: {n}")
        model = load_model(result.model_path, dev)
        preds, probs = [], []
        # the fold's pass over its held-out rows, after its training's last bar or line: said as they are
        with Progress(test.size, desc=f"{label}: {config.name} held-out predictions", noun=f"held-out {noun}",
                      show=progress, unit=noun[:4], dynamic_ncols=True) as bar:
            for s in range(0, test.size, batch_size):
                ens = predict_inputs(model, source.take(test[s:s + batch_size]), device=dev, batch_size=batch_size)
                preds.append(ens.class_pred)
                probs.append(ens.prob_mean)
                bar.update(len(ens.class_pred))
        pred = np.concatenate(preds)
        metrics = fold_metrics(scored[test], pred, classes, positive)
        per_fold.append({"fold": name, "n_train": int(result.n_train), "n_val": int(result.n_val)} | metrics)
        rows_all.append(test)
        fold_all.append(np.full(test.size, name))
        pred_all.append(pred)
        prob_all.append(np.concatenate(probs))

    for folder in stale:
        # --no-resume / --overwrite replaces the checkpoints there: an earlier run's fold models go, and only them
        for f in [folder / MANIFEST, *folder.glob("member_*.pt"), *folder.glob(IMAGE_STAMPS_GLOB)]:
            f.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
        notes.append(f"removed {folder.name}: a fold model of an earlier cross-validation in {outdir}, no fold of "
                     "this one")
    rows = np.concatenate(rows_all)
    pred = np.concatenate(pred_all)
    pooled = fold_metrics(scored[rows], pred, classes, positive)
    mean, std = fold_spread(per_fold)

    table = Table()
    table["row"] = rows
    table[FOLD] = np.concatenate(fold_all).astype(str)
    for col, values in (extra_columns or {}).items():
        table[col] = np.asarray(values)[rows]
    table[CLASS_REF] = labels[rows].astype(np.int16)
    table[CLASS_PRED] = pred.astype(np.int16)
    probs = np.concatenate(prob_all)
    for j, c in enumerate(classes):
        table[prob_col(c)] = probs[:, j]
    table.sort("row")
    # the task's classes travel with the held-out predictions, as classify writes them: evaluate of
    # cv_predictions.ecsv said "task (unnamed) ... (from probabilities)", without the class names and
    # the task's merges (a five-class task lost its binary score)
    table.meta.update({
        "task": config.name,
        "classes": classes,
        "class_names": list(config.class_names),
        "threshold": config.threshold,
        "positive_class": positive,
        "label_map": dict(config.label_map or {}),
        **config.eval_merges_meta(),  # "none wanted" ({}) told from "not given", as classify writes it
        "reference_merge": {str(k): int(v) for k, v in config.merge.items()},
        CV_SCHEME: str(scheme),
        **(meta or {}),
    })
    if "group" in table.colnames and not table.meta.get("group_column"):
        # each held-out row's object (train --cv of a cutout folder): evaluate's bootstrap intervals resample
        # whole objects by default, as the folds kept them whole (a caller that named the column, as train --cv
        # names it after the folder's object_id, says so in meta)
        table.meta["group_column"] = "group"

    # n_val beside n_train: a fold's 13 training and 15 test rows of 30 left 2 rows unaccounted for (its
    # early-stopping and calibration rows), which only cv_summary.json named
    metrics_table = Table(rows=[[f[k] for k in ("fold", "n_train", "n_val", "n", *METRIC_NAMES)] for f in per_fold]
                          + [["pooled", -1, -1, pooled["n"], *[pooled[k] for k in METRIC_NAMES]]],
                          names=("fold", "n_train", "n_val", "n_test", *METRIC_NAMES),
                          dtype=(str, np.int64, np.int64, np.int64, *[float] * len(METRIC_NAMES)))
    metrics_table.meta["comment"] = [
        f"{_scheme_words(scheme).removeprefix('a ')} of task {config.name}; n_train: rows the fold's model was "
        "trained on, n_val: its early-stopping and calibration rows, n_test: its held-out rows; 'pooled' scores all "
        "held-out predictions together (n_train, n_val -1: not one model)"]
    # a resumed cross-validation rewrites its own tables (train's check_output guarded OUTDIR);
    # cv_summary.json last: it is what says the cross-validation is finished (info reads it)
    write_catalog(metrics_table, outdir / "cv_metrics.ecsv", overwrite=True)
    write_catalog(table, outdir / "cv_predictions.ecsv", overwrite=True)
    summary = {"scheme": scheme, "task": config.name, "classes": classes, "class_names": list(config.class_names),
               "positive_class": positive, "folds": per_fold,
               "pooled": pooled, "mean": mean, "std": std}
    with atomic_path(outdir / "cv_summary.json") as tmp:
        # null, not NaN (which is no JSON): an undefined figure (a multi-class task's purity, a fold selecting nothing)
        Path(tmp).write_text(json.dumps(_json_safe(summary), indent=2, default=float, allow_nan=False))
    if len(few_rows) > 1:
        # "folds 2" of a 2-fold cross-validation: one fold is a fold
        which = f"{'fold' if len(few_rows) == 2 else 'folds'} {', '.join(few_rows[1:])}"
        same = f"{which}: the same WARNING as fold {few_rows[0]} (a calibration fitted on too few held-out rows)"
        notes.append(CautionNote(same, CalibrationFitWarning, text=same))
    # as fit warns them, fold by fold: starclass train --cv prints these warnings, not the notes' copies
    warn_caution_notes(notes, stacklevel=2)
    return CVResult(per_fold, pooled, mean, std, table, outdir, notes)


def note_naming_model(note: str, fold_dir: Path) -> str:
    """``note`` of a fold's training with the command it offers naming the fold's model folder.

    A fold's calibration warning said "fit it ... ('starclass calibrate MODEL ... --overwrite')", where the
    MODEL is the fold's own folder (``OUTDIR/fold_2``), which nothing in the warning named; the demo's
    training names its model folder (``OUT/model``) the same way.

    Parameters
    ----------
    note : str or CautionNote
        A note of :func:`starclass.learn.train.fit`.
    fold_dir : Path
        The model folder the note's calibrate command is to name.

    Returns
    -------
    str or CautionNote
        The note with the folder in its command (of the same kind as ``note``), or ``note`` as it was.

    Examples
    --------
    >>> note_naming_model("refit ('starclass calibrate MODEL ... --overwrite')", Path("cv/fold_2"))
    "refit ('starclass calibrate cv/fold_2 ... --overwrite')"
    >>> from starclass.errors import CALIBRATE_PYTHON
    >>> note_naming_model(f"refit ({CALIBRATE_PYTHON})", Path("cv/fold_2"))[6:64]
    "(starclass.learn.calibration.calibrate_model('cv/fold_2', "
    >>> from starclass.learn.train import CautionNote
    >>> note = note_naming_model(CautionNote("use 'starclass calibrate MODEL'"), Path("cv/fold_1"))
    >>> note.message, note.category.__name__
    ("use 'starclass calibrate cv/fold_1'", 'CalibrationFitWarning')
    """
    from starclass.errors import CALIBRATE_PYTHON, shell_word
    from starclass.learn.train import CautionNote

    # the library's words (a notebook's call, errors.CALIBRATE_PYTHON) and the command line's, where one says them
    python = CALIBRATE_PYTHON.replace("(model, ", f"({str(fold_dir)!r}, ")
    pairs = (("starclass calibrate MODEL", f"starclass calibrate {shell_word(fold_dir)}"), (CALIBRATE_PYTHON, python))
    if not any(old in note for old, _ in pairs):
        return note

    def named(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    if isinstance(note, CautionNote):
        return CautionNote(named(note.message), note.category, text=named(str(note)))
    return named(str(note))


#: The tables of a finished cross-validation, cv_summary.json (what says it is finished) first.
CV_TABLES = ("cv_summary.json", "cv_metrics.ecsv", "cv_predictions.ecsv")
#: What a cross-validation was asked for (scheme, task, fold names), written before its first fold trains.
CV_FOLDS_FILE = "cv_folds.json"


def read_cv_folds(outdir: str | os.PathLike) -> dict[str, Any] | None:
    """What a cross-validation folder was asked for (its ``cv_folds.json``), or None.

    Written by :func:`cross_validate` before any fold trains, so that a run stopped before its
    ``cv_summary.json`` still says how many folds it was asked for and which they are. None for a
    folder without one (written before 2026-12-05, or no cross-validation) or an unreadable one.

    Parameters
    ----------
    outdir
        The cross-validation folder (``train --cv -o``).

    Returns
    -------
    dict or None
        ``scheme`` (a number of folds or ``"logo"``), ``task``, ``folds`` (names, in order) and ``n``
        (rows).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> read_cv_folds(d) is None
    True
    >>> _ = (d / CV_FOLDS_FILE).write_text('{"scheme": 3, "task": "m31-real", "folds": ["1", "2", "3"], "n": 30}')
    >>> read_cv_folds(d)["folds"]
    ['1', '2', '3']
    """
    try:
        doc = json.loads((Path(outdir) / CV_FOLDS_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("folds"), list) or doc.get("scheme") is None:
        return None
    return doc


def _forget_tables(outdir: Path) -> None:
    """Remove the tables of an earlier run once a fold is retrained: they describe folds no longer there.

    ``train --cv --no-resume`` (or ``--overwrite``, or a grown ensemble) on a finished folder, stopped
    in a fold, left its cv_summary.json: ``info`` reported the old pooled metrics as those of a finished
    cross-validation and ``evaluate`` scored the old predictions.
    """
    for name in CV_TABLES:
        (outdir / name).unlink(missing_ok=True)


@contextlib.contextmanager
def _unsaid(message: str) -> Iterator[None]:
    """Keep the training logger's ``message`` lines (its %-template) unsaid while the block runs."""

    def other(record: logging.LogRecord) -> bool:
        return record.msg != message

    train_log = logging.getLogger("starclass.learn.train")
    train_log.addFilter(other)
    try:
        yield
    finally:
        train_log.removeFilter(other)


def _fold_setup(config, labels: np.ndarray, target: np.ndarray, name: str, test: np.ndarray, gal, groups,
                base_seed: int, start_trained: np.ndarray | None = None, *, logo: bool = False,
                ) -> tuple[Any, np.ndarray, np.ndarray | None, str | None]:
    """One fold's task, training labels (its test rows hidden), grouped validation rows and note.

    ``start_trained`` (:func:`starclass.learn.provenance.starting_trained`): the grouped early-stopping rows are
    drawn among the objects the starting model trained on no cutout of (:func:`starclass.learn.train.split_apart`),
    as fit draws a row split; with ``logo``, the held-out galaxy's rows the starting model trained on (held out by
    no fold) are not trained on either (they are the galaxy held out), as ``split_apart`` leaves them out of a
    galaxy split.
    """
    from starclass.learn.train import galaxy_apart, label_indices

    hidden = labels.copy()
    hidden[test] = 0  # "no class": out of this fold's training and its early-stopping set
    if logo and start_trained is not None and gal is not None:
        hidden[galaxy_apart(gal, start_trained, name)[1]] = 0
    cfg, note = config, None
    if getattr(config.recipe, "split", "random") == "galaxy":
        left = np.unique(gal[(label_indices(config, hidden) >= 0)]) if gal is not None else []
        if len(left) < 2:
            cfg = config.copy(recipe={"split": "random"})
            note = f"fold {name}: one galaxy left for training; validation split drawn at random"
    val_index = None
    if groups is not None:
        # fit's own validation draw is by row: two cutouts of one object could sit on both
        # sides of early stopping; draw it by whole groups of this fold's training rows
        from starclass.learn.cutouts import group_validation
        from starclass.learn.train import split_apart

        train_rows = np.flatnonzero(label_indices(cfg, hidden) >= 0)
        # target holds output class indices: the warning names the classes themselves
        names = cv_class_words(cfg.classes, cfg.class_names)
        grp = np.asarray(groups).astype(str)
        fraction = float(cfg.recipe.val_fraction or 0.0)
        apart = None
        if start_trained is not None and fraction > 0:
            apart = split_apart("group", target, train_rows, start_trained, fraction, base_seed,
                                groups=grp[train_rows], class_names=names)
        if apart is not None:
            val_index = apart.val_rows
        else:
            _, va = group_validation(target[train_rows], grp[train_rows], fraction, base_seed, class_names=names)
            val_index = train_rows[va]
    return cfg, hidden, val_index, note


def _cv_labels(labels) -> np.ndarray:
    """Labels as floats, a masked one (a MaskedColumn's blank class) as 0, no label, as map_classes reads it.

    np.asarray dropped the mask, and the values under it were trained and scored on (as fit did
    before it read masks); :func:`cross_validate` and :func:`fold_digests` read them alike.
    """
    return np.ma.filled(np.ma.asarray(labels, dtype=float), 0.0)


def fold_digests(config: TaskConfig, inputs: ModelInputs, labels: np.ndarray, *, scheme: str | int,
                 groups: np.ndarray | None = None,
                 galaxies: np.ndarray | None = None,
                 positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
                 seed: int | None = None, noun: str = "candidate",
                 init_from: str | os.PathLike | None = None, folds: np.ndarray | None = None) -> list[str]:
    """The data digest every fold's model of :func:`cross_validate` is trained with, on these rows.

    For a resume check against an earlier reading of the same data (``train --cv`` kept the
    blank cutouts before 2026-12-03): given the rows as they were read then, it gives the
    digests that run's fold models carry, so that the refusal can say why they differ.

    Parameters
    ----------
    config, inputs, labels, scheme, groups, galaxies, positions, seed, noun, init_from, folds
        As :func:`cross_validate` takes them (the folds of a run from a starting model hold out none of its
        training rows).

    Returns
    -------
    list of str
        One digest per fold, in fold order.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> from starclass.datasets.stamps import make_synthetic
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=8)
    >>> toy = make_synthetic(cfg, 12, seed=0)
    >>> len(fold_digests(cfg, toy.inputs, toy.class_ref, scheme=2))
    2
    """
    import warnings

    from starclass.learn.train import data_digest, label_indices

    labels = _cv_labels(labels)
    target = label_indices(config, labels)
    base_seed = int(seed) if seed is not None else int(config.recipe.member_seed(0))
    gal = None if galaxies is None else np.asarray(galaxies).astype(str)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the split's notes were given for the rows in use
        seen = starting_trained(init_from, inputs)
        words = cv_class_words(config.classes, config.class_names, config.label_map, noun=noun)
        for name, test in cv_folds(scheme, target, galaxies=galaxies, seed=base_seed, groups=groups, noun=noun,
                                   start_trained=seen, class_words=words, folds=folds):
            _, hidden, val_index, _ = _fold_setup(config, labels, target, name, test, gal, groups, base_seed, seen,
                                                  logo=scheme == "logo")
            out.append(data_digest(inputs, hidden, positions=positions, galaxies=galaxies, val_index=val_index))
    return out


def _scheme_words(scheme: str | int) -> str:
    """A cross-validation scheme in words.

    Examples
    --------
    >>> _scheme_words(3), _scheme_words("logo"), _scheme_words("five")
    ('a 3-fold cross-validation', 'a leave-one-galaxy-out cross-validation', "a cross-validation of scheme 'five'")
    >>> _scheme_words("fold")
    "a cross-validation on the ready-made folds of a 'fold' column"
    """
    if str(scheme).lower() == "logo":
        return "a leave-one-galaxy-out cross-validation"
    if str(scheme).lower() == GIVEN_FOLDS:
        return f"a cross-validation on the ready-made folds of a {FOLD!r} column"
    try:
        return f"a {int(scheme)}-fold cross-validation"
    except (TypeError, ValueError):  # a hand-edited record: still another scheme, said as it is
        return f"a cross-validation of scheme {scheme!r}"


def _other_scheme(outdir: Path, scheme: str | int, stale: list[Path], held: str | None = None) -> str | None:
    """What cross-validation of another scheme ``outdir`` holds (in words), or None.

    ``held``: the digest of this run's ready-made folds (:func:`_folds_digest`, ``--cv fold``), told from the
    one ``cv_folds.json`` records: the same fold names over other rows (a cutout moved from fold 1 to fold 2) are
    other folds, which the fold models' data digests alone refused as "other training data".

    Read from what an earlier run recorded: the ``scheme`` of its ``cv_summary.json`` (a finished
    run), else the ``scheme`` of its ``cv_folds.json`` (written before its first fold: a run stopped
    before its summary), else its fold folders that this run does not make (``fold_3`` of a ``--cv 3``
    run resumed with ``--cv 2``; galaxy names of a ``logo`` one), for folders written before
    ``cv_folds.json`` was.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "cv_summary.json").write_text('{"scheme": 3}')
    >>> _other_scheme(d, 2, [])
    'a 3-fold cross-validation (its cv_summary.json)'
    >>> _other_scheme(d, 3, []) is None
    True
    """
    if held is not None and (asked := read_cv_folds(outdir)) is not None and str(asked["scheme"]) == GIVEN_FOLDS:
        if asked.get(FOLD_ROWS) not in (None, held):
            return (f"a cross-validation on other ready-made folds (its {CV_FOLDS_FILE}: folds "
                    f"{', '.join(map(str, asked['folds']))} held other rows than the {FOLD!r} column gives now)")
    summary = outdir / "cv_summary.json"
    if summary.is_file():
        try:
            earlier = json.loads(summary.read_text()).get("scheme")
        except (OSError, ValueError, AttributeError):
            earlier = None  # unreadable: the checks below and the member check speak
        if earlier is not None and str(earlier).lower() != str(scheme).lower():
            return f"{_scheme_words(earlier)} (its cv_summary.json)"
        if earlier is not None:
            return None
    asked = read_cv_folds(outdir)
    if asked is not None and str(asked["scheme"]).lower() != str(scheme).lower():
        # stopped before its summary: what it was asked for is recorded before its first fold
        return f"{_scheme_words(asked['scheme'])} (its {CV_FOLDS_FILE}, unfinished)"
    if not stale:
        return None
    names = [f.name.removeprefix("fold_") for f in stale]
    if str(scheme).lower() == GIVEN_FOLDS:
        return f"a cross-validation of other folds ({', '.join(f.name for f in stale)})"
    if all(n.isdigit() for n in names):
        if str(scheme).lower() == "logo":
            return f"a k-fold cross-validation ({', '.join(f.name for f in stale)})"
        return f"a cross-validation of {max(int(n) for n in names)} or more folds ({', '.join(f.name for f in stale)})"
    if str(scheme).lower() != "logo":
        return f"a leave-one-galaxy-out cross-validation ({', '.join(f.name for f in stale)})"
    return None


#: The key of ``cv_folds.json`` recording which rows each ready-made fold held out (:func:`_folds_digest`).
FOLD_ROWS = "fold_rows"


def _folds_digest(folds: list[tuple[str, np.ndarray]]) -> str:
    """A digest of which rows each fold holds out, to tell the column's folds of a rerun from an earlier run's.

    Examples
    --------
    >>> a = _folds_digest([("1", np.array([0, 1])), ("2", np.array([2]))])
    >>> a == _folds_digest([("1", np.array([0])), ("2", np.array([1, 2]))])
    False
    """
    import hashlib

    h = hashlib.sha256()
    for name, rows in folds:
        h.update(f"{name}:{','.join(map(str, np.asarray(rows).tolist()))};".encode())
    return h.hexdigest()


def _safe(name: str) -> str:
    """A fold name usable as a folder name (galaxy names may hold spaces or slashes)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name))
