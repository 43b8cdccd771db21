"""Pseudo-labels: the unlabelled candidates a model is very sure of, labelled with its own class.

Cost-effective active learning (CEAL; Wang et al. 2016): each round people label the most
informative candidates (:func:`starclass.suggest.suggest`), and the candidates the current
model classifies with a top probability at or above a threshold are trained on as well, with
the model's class. Such labels cost no one anything, so they never count as labels; they are
recomputed from every new model (never accumulated as if they were people's), and they are
never used for validation, early stopping or calibration (``starclass train --pseudo-labels``
draws the validation split from people's labels only).

The output marks every row with ``pseudo_label`` = True and carries the model's class as
``class_ref``, the column ``train`` reads labels from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.catalog import keep_input_columns
from starclass.schema import CLASS_REF, ID, PSEUDO_LABEL, id_keys, prob_classes, prob_cols, prob_raw_col

#: which probabilities are thresholded: the network's own (``raw``) or the calibrated ones
PROBABILITIES = ("raw", "calibrated")


def check_min_confidence(value: float, name: str = "min_confidence") -> float:
    """Refuse a threshold outside (0.5, 1): below 0.5 two classes can both be "the" class.

    Examples
    --------
    >>> check_min_confidence(0.95)
    0.95
    """
    v = float(value)
    if not (0.5 < v < 1.0):
        raise StarclassError(f"{name} must be between 0.5 and 1 (exclusive), got {value}: at 0.5 or below two "
                             "classes can tie for the top, at 1 no rounded probability passes")
    return v


def pseudo_probabilities(table: Table, probabilities: str = "raw") -> tuple[np.ndarray, list[int], str]:
    """The probability matrix thresholded, its classes, and which columns it came from.

    ``raw`` takes ``prob_<k>_raw`` where the classification has them (a calibrated model writes
    both), else ``prob_<k>`` (an uncalibrated model's ``prob_<k>`` are its raw ones);
    ``calibrated`` takes ``prob_<k>``. A missing value (an unclassified row) is NaN.

    Examples
    --------
    >>> t = Table({"prob_1": [0.9], "prob_2": [0.1], "prob_1_raw": [0.99], "prob_2_raw": [0.01]})
    >>> p, classes, cols = pseudo_probabilities(t)
    >>> p.tolist(), classes, cols
    ([[0.99, 0.01]], [1, 2], 'prob_<k>_raw')
    """
    if probabilities not in PROBABILITIES:
        raise StarclassError(f"probabilities {probabilities!r}: use one of {', '.join(PROBABILITIES)}")
    classes = prob_classes(table)
    if len(classes) < 2:
        raise StarclassError("the classified table has fewer than two prob_<k> columns: classify the candidates "
                             f"first (columns: {', '.join(table.colnames[:12])})")
    cols = prob_cols(classes)
    used = "prob_<k>"
    if probabilities == "raw" and all(prob_raw_col(k) in table.colnames for k in classes):
        cols, used = [prob_raw_col(k) for k in classes], "prob_<k>_raw"
    prob = np.stack([np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan) for c in cols], axis=1)
    return prob, classes, used


def pseudo_labels(table: Table, labelled: Sequence | None = None, *, min_confidence: float = 0.95,
                  max_per_class: int | None = None, probabilities: str = "raw", key: str = ID) -> Table:
    """The unlabelled rows a model is sure of, with its class as ``class_ref``, most confident first.

    Parameters
    ----------
    table : astropy.table.Table
        Classified candidates (``prob_<k>`` columns; ``starclass classify``'s output).
    labelled : sequence, optional
        Values of ``key`` of the candidates people have labelled: never pseudo-labelled.
    min_confidence : float
        Top probability a row needs, in (0.5, 1). 0.95 for the binary real cutouts and 0.9 for
        four classes were the thresholds measured (docs/uncertainty.md, "Pseudo-labels").
    max_per_class : int, optional
        At most this many rows per class, the most confident kept. None (default): no cap, as
        CEAL has none and as measured; a cap keeps a class the model finds easy from swamping
        the people's labels of a rare one (the stored counts per class show when it would).
    probabilities : {"raw", "calibrated"}
        Threshold the network's own probabilities (``prob_<k>_raw`` where present, the
        default: a temperature fitted on a few validation rows moves from model to model) or
        the calibrated ``prob_<k>``.
    key : str
        Column naming each candidate, matched against ``labelled``.

    Returns
    -------
    astropy.table.Table
        The chosen rows with all their columns, ``class_ref`` set to the most probable class
        (it is the label trained on: an existing ``class_ref`` is kept as ``class_ref_input``,
        with a warning) and
        ``pseudo_label`` True; ``meta["pseudo_labels"]`` records the settings, the columns
        thresholded and the count per class.

    Raises
    ------
    StarclassError
        A threshold outside (0.5, 1), a cap below 1, no ``prob_<k>`` columns, or no ``key``
        column while ``labelled`` is given.

    Examples
    --------
    >>> t = Table({"id": [1, 2, 3, 4], "prob_1": [0.99, 0.5, 0.02, 0.97], "prob_2": [0.01, 0.5, 0.98, 0.03]})
    >>> out = pseudo_labels(t, labelled=[4], min_confidence=0.95)
    >>> out["id"].tolist(), out["class_ref"].tolist(), out["pseudo_label"].tolist()
    ([1, 3], [1, 2], [True, True])
    """
    thr = check_min_confidence(min_confidence)
    if max_per_class is not None and int(max_per_class) < 1:
        raise StarclassError(f"max_per_class must be >= 1 (or None: no cap), got {max_per_class}")
    prob, classes, used = pseudo_probabilities(table, probabilities)
    if labelled is not None and len(labelled) and key not in table.colnames:
        raise StarclassError(f"the candidates have no {key!r} column to leave the labelled ones out by")
    # every candidate labelled (or suggested to people) is no error here: there is nothing to pseudo-label
    eligible = np.ones(len(table), bool)
    if labelled is not None and len(labelled) and len(table):
        eligible = ~np.isin(np.char.strip(id_keys(table[key])), np.char.strip(id_keys(list(labelled))))
    finite = np.isfinite(prob).all(axis=1)
    top = np.where(finite, np.nan_to_num(prob).max(axis=1), -np.inf)
    best = np.asarray(classes, dtype=np.int16)[np.nan_to_num(prob, nan=-1.0).argmax(axis=1)] if len(table) else \
        np.zeros(0, np.int16)
    chosen = np.flatnonzero(eligible & finite & (top >= thr))
    chosen = chosen[np.argsort(-top[chosen], kind="stable")]  # most confident first, ties in table order
    if max_per_class is not None:
        # the first max_per_class of each class in confidence order
        keep = np.zeros(chosen.size, bool)
        for k in classes:
            keep[np.flatnonzero(best[chosen] == k)[: int(max_per_class)]] = True
        chosen = chosen[keep]
    out = table[chosen]
    # the candidates' own class_ref (a simulation's truth, people's labels of an inspect export) was
    # replaced without a word; kept beside the pseudo-label, it still tells which of them are wrong
    keep_input_columns(out, [CLASS_REF], "the classified candidates",
                       what="carry the name of the pseudo-label column (class_ref, the class trained on)")
    out[CLASS_REF] = best[chosen]
    out[PSEUDO_LABEL] = np.ones(len(out), dtype=bool)
    counts = {int(k): int((best[chosen] == k).sum()) for k in classes}
    out.meta["pseudo_labels"] = {"min_confidence": thr, "max_per_class": max_per_class, "probabilities": used,
                                 "n_eligible": int(eligible.sum()), "per_class": counts}
    return out
