"""Ensemble aggregation, as the PHANGS-HST pipeline does it (Whitmore et al., appendix 10.1).

PHANGS classifies every candidate with twenty networks (ten ResNet18 + ten VGG19-BN) and
tabulates "the per-candidate classification mean, median, mode, standard deviation, and a
quality factor defined as the fraction of outcomes matching the mode, alongside the
individual classifications". :func:`aggregate` computes exactly these from the members'
class probabilities:

================  ===========================================================================
column            meaning
================  ===========================================================================
``class_pred``    the mode of the members' votes; a tie is broken in favour of the decision
                  taken on the mean probabilities (then the lower class)
``prob_<k>``      mean over members of the probability of class ``k``
``prob_std``      standard deviation over members of the probability of ``class_pred``
``quality``       fraction of members whose vote equals ``class_pred`` (the mode)
``class_mean``    mean of the members' votes (class numbers)
``class_median``  median of the members' votes
``class_std``     standard deviation of the members' votes
``class_m<i>``    vote of member ``i`` (1-based, the order of the ensemble manifest)
================  ===========================================================================

A member's vote is the arg-max of its probabilities, or, for a binary task with a decision
threshold, the positive class when P(positive) >= threshold (M31 paper: 0.669).
Candidates whose probabilities are not finite (no usable pixels) get ``class_pred = 0``
(the schema's "no class"), NaN probabilities and ``quality = 0``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from starclass.errors import StarclassError
from starclass.schema import CLASS_MEAN, CLASS_MEDIAN, CLASS_PRED, CLASS_STD, PROB_STD, QUALITY, member_col, prob_col


def decide(
    probs: np.ndarray,
    classes: list[int],
    threshold: float | None = None,
    positive_class: int | None = None,
) -> np.ndarray:
    """Class *index* chosen from probabilities ``[..., K]``.

    With ``threshold`` and two classes the positive class wins when its probability is at
    least ``threshold``; otherwise the arg-max is taken.

    Examples
    --------
    >>> p = np.array([[0.7, 0.3], [0.4, 0.6]])
    >>> decide(p, [1, 2]).tolist(), decide(p, [1, 2], threshold=0.35, positive_class=1).tolist()
    ([0, 1], [0, 0])
    """
    probs = np.asarray(probs)
    k = probs.shape[-1]
    if k != len(classes):
        raise StarclassError(f"probabilities have {k} columns but the task has classes {list(classes)}")
    if threshold is not None and k == 2:
        if positive_class is None or positive_class not in classes:
            raise StarclassError(
                f"binary threshold {threshold} needs positive_class among {list(classes)}, "
                f"got {positive_class!r}"
            )
        pos = list(classes).index(positive_class)
        with np.errstate(invalid="ignore"):
            return np.where(probs[..., pos] >= threshold, pos, 1 - pos).astype(np.int64)
    return np.argmax(np.nan_to_num(probs, nan=-1.0), axis=-1).astype(np.int64)


def _entropy_nats(p: np.ndarray) -> np.ndarray:
    """Entropy in nats over the last axis (0 log 0 = 0)."""
    return np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0).sum(axis=-1)


def mutual_information(prob_views: np.ndarray) -> np.ndarray:
    """Mutual information (nats) between each row's prediction and the model, over several predictions.

    ``MI = H(mean_v p_v) - mean_v H(p_v)`` with ``H`` the entropy in nats (as
    :func:`starclass.suggest.pick.entropy`): the entropy of the mean
    prediction less the mean entropy of the single predictions (BALD; Houlsby et al. 2011, Gal
    et al. 2017). It is 0 when every prediction is the same, however uncertain, and at most
    ``ln(n_views)`` or ``ln(n_classes)``.

    Parameters
    ----------
    prob_views : numpy.ndarray
        ``[n_views, n_rows, n_classes]``: the probabilities of every view (a rotation/flip, an
        ensemble member, or both) of every row; at least two views.

    Returns
    -------
    numpy.ndarray
        ``[n_rows]`` float64; NaN for a row with a non-finite probability in any view.

    Examples
    --------
    >>> v = np.array([[[1.0, 0.0], [0.5, 0.5]], [[0.0, 1.0], [0.5, 0.5]]])  # 2 views, 2 rows
    >>> mutual_information(v).round(4).tolist()   # views disagree fully / agree it is a coin toss
    [0.6931, 0.0]
    """
    p = np.asarray(prob_views, dtype=float)
    if p.ndim != 3 or p.shape[0] < 2 or p.shape[2] < 2:
        raise StarclassError("mutual_information needs [n_views >= 2, n_rows, n_classes >= 2] probabilities, "
                             f"got shape {p.shape}")
    bad = ~np.isfinite(p).all(axis=(0, 2))
    p = np.where(bad[None, :, None], 0.5, p)  # placeholder: these rows are set to NaN below
    mean_entropy = _entropy_nats(p).mean(axis=0)
    out = _entropy_nats(p.mean(axis=0)) - mean_entropy
    # rounding can leave -1e-17 where the views agree; MI is never negative
    out = np.maximum(out, 0.0)
    out[bad] = np.nan
    return out


@dataclass
class EnsembleResult:
    """Per-candidate aggregation of M members over N candidates and K classes.

    Made by :func:`aggregate`.

    Examples
    --------
    >>> r = aggregate(np.array([[[0.9, 0.1]], [[0.3, 0.7]]]), [1, 2])
    >>> r.classes, r.prob_mean.round(3).tolist(), r.class_pred.tolist(), r.quality.tolist()
    ([1, 2], [[0.6, 0.4]], [1], [0.5])
    """

    classes: list[int]
    prob_mean: np.ndarray  # [N, K]
    prob_std: np.ndarray  # [N] std of the probability of class_pred
    class_pred: np.ndarray  # [N] class values (0 = none)
    quality: np.ndarray  # [N]
    class_mean: np.ndarray  # [N]
    class_median: np.ndarray  # [N]
    class_std: np.ndarray  # [N]
    votes: np.ndarray  # [M, N] class values (0 = none)
    member_names: list[str] = field(default_factory=list)
    prob_raw: np.ndarray | None = None  # [N, K] mean before calibration (set by classify)
    tta_std: np.ndarray | None = None  # [N] spread over the TTA views (set by classify)
    mutual_info: np.ndarray | None = None  # [N] BALD over TTA views x members (set by classify)

    def columns(self) -> dict[str, np.ndarray]:
        """Output columns in catalogue order (see the module docstring)."""
        cols: dict[str, np.ndarray] = {CLASS_PRED: self.class_pred}
        for j, c in enumerate(self.classes):
            cols[prob_col(c)] = self.prob_mean[:, j]
        cols[PROB_STD] = self.prob_std
        cols[QUALITY] = self.quality
        cols[CLASS_MEAN] = self.class_mean
        cols[CLASS_MEDIAN] = self.class_median
        cols[CLASS_STD] = self.class_std
        for i in range(self.votes.shape[0]):
            cols[member_col(i + 1)] = self.votes[i]
        return cols


def aggregate(
    member_probs: np.ndarray,
    classes: list[int],
    *,
    threshold: float | None = None,
    positive_class: int | None = None,
    member_names: list[str] | None = None,
) -> EnsembleResult:
    """Aggregate the members' probabilities ``[M, N, K]`` per candidate.

    Parameters
    ----------
    member_probs
        Class probabilities of each member (rows sum to 1); a single model is ``M = 1``.
    classes
        Output class values, in the column order of the probabilities.
    threshold, positive_class
        Binary decision rule (see :func:`decide`).
    member_names
        Optional labels of the members (kept on the result).

    Returns
    -------
    EnsembleResult

    Examples
    --------
    Three members, two candidates: the second is class 2 by the mean (0.6) and by 2 votes of 3:

    >>> mp = np.array([[[0.9, 0.1], [0.4, 0.6]], [[0.7, 0.3], [0.2, 0.8]], [[0.8, 0.2], [0.6, 0.4]]])
    >>> r = aggregate(mp, [1, 2])
    >>> r.prob_mean.round(3).tolist(), r.class_pred.tolist(), r.quality.round(3).tolist()
    ([[0.8, 0.2], [0.4, 0.6]], [1, 2], [1.0, 0.667])
    >>> r.prob_std.round(3).tolist(), r.class_mean.round(3).tolist()
    ([0.082, 0.163], [1.0, 1.667])
    """
    p = np.asarray(member_probs, dtype=np.float64)
    if p.ndim == 2:
        p = p[None]
    if p.ndim != 3:
        raise StarclassError(f"member probabilities must be [members, candidates, classes], got {p.shape}")
    m, n, k = p.shape
    if m == 0:
        raise StarclassError("an ensemble needs at least one member")
    cls = np.asarray(list(classes), dtype=np.int64)
    valid = np.all(np.isfinite(p), axis=(0, 2))

    vote_idx = decide(p, list(classes), threshold, positive_class)  # [M, N]
    mean = p.mean(axis=0)  # [N, K]
    agg_idx = decide(mean, list(classes), threshold, positive_class)  # [N]
    counts = np.zeros((n, k), dtype=np.float64)
    for j in range(k):
        counts[:, j] = np.sum(vote_idx == j, axis=0)
    # Integer counts; +0.5 for the mean-probability decision breaks ties only.
    score = counts.copy()
    score[np.arange(n), agg_idx] += 0.5
    mode_idx = np.argmax(score, axis=1)
    agree = counts[np.arange(n), mode_idx] / m

    votes = cls[vote_idx]  # [M, N]
    class_pred = cls[mode_idx]
    vf = votes.astype(np.float64)
    prob_std = p[:, np.arange(n), mode_idx].std(axis=0)

    # Candidates without finite probabilities get "no class".
    votes = np.where(valid[None, :], votes, 0)
    class_pred = np.where(valid, class_pred, 0)
    agree = np.where(valid, agree, 0.0)
    nan = np.full(n, np.nan)
    return EnsembleResult(
        classes=[int(c) for c in classes],
        prob_mean=np.where(valid[:, None], mean, np.nan),
        prob_std=np.where(valid, prob_std, nan),
        class_pred=class_pred.astype(np.int64),
        quality=agree,
        class_mean=np.where(valid, vf.mean(axis=0), nan),
        class_median=np.where(valid, np.median(vf, axis=0), nan),
        class_std=np.where(valid, vf.std(axis=0), nan),
        votes=votes.astype(np.int64),
        member_names=list(member_names or [f"m{i + 1}" for i in range(m)]),
    )
