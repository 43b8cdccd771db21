"""Calibrated probabilities: a temperature (or vector scaling, histogram binning) per ensemble, fitted on held-out data.

A network's softmax is usually over-confident; an ensemble's mean is better but not right
either. **Temperature scaling** (Guo et al. 2017) fixes most of it with one number and never
changes which class is most probable. starclass scales the ensemble's *mean probabilities*
(the ``prob_<k>`` that :func:`starclass.learn.ensemble.aggregate` writes, averaged over members
and, with ``--tta``, over the eight rotations/flips)::

    p_cal(k) = p(k) ** (1/T) / sum_j p(j) ** (1/T)      (softmax of log p / T)

with ``T`` chosen to minimise the negative log-likelihood (NLL) of the held-out labels. We
temper the log of the mean probability rather than each member's logits because the mean
probability is what the ensemble outputs (members of different architectures have logits of
different scales), it is the same operation for one model and for twenty, and it can be
applied to any classified catalogue after the fact.

**Vector scaling** (``method="vector"``; Guo et al. 2017, section 4.2) gives every class its
own scale and bias::

    p_cal(k) = softmax_k(w_k * log p(k) + b_k)

fitted the same way, by the NLL of the held-out labels (:class:`VectorScaler`). It is the
diagonal case of Dirichlet calibration (Kull et al. 2019), which acts on log-probabilities as
here. One temperature can only sharpen or soften every class alike; a network whose
probabilities are too high for one class and too low for another (class fractions that differ
between the training and the target fields, a class it confuses more than the others) needs the
per-class terms. The price: ``2 K`` parameters instead of one (more held-out rows are needed),
and the most probable class can change. ``class_pred`` is still taken on the raw probabilities
(:mod:`starclass.learn.classify`), so with vector scaling the largest calibrated ``prob_<k>``
can differ from ``class_pred`` on some rows.

**Histogram binning** (``method="histogram"``; one-vs-rest, Zadrozny & Elkan 2001): each
class's probability ``p(k)`` is cut into ``n_bins`` equal-mass bins of the held-out rows, replaced
by the frequency of class ``k`` in its bin (one pseudo-count at the bin's mean ``p(k)``), and the
row is divided by its sum (:class:`HistogramBinner`). It is not log-linear in ``log p``, so it
can remove miscalibration that no temperature or per-class scale can (a model over-confident at
some probabilities and under-confident at others), at the price of ``K * n_bins`` numbers: it
needs thousands of held-out rows, and it refuses fewer than :data:`HISTOGRAM_MIN_ROWS_PER_BIN`
rows per bin. It can change the most probable class, as vector scaling can.

**Where the held-out data come from.** ``starclass train`` already keeps a validation split
(``recipe.val_fraction``; grouped by object for cutout folders) for early stopping. At the end
of training the finished ensemble classifies it once without TTA and once with it, and the raw mean
probabilities and labels of those rows are stored with the model, in ``manifest.json`` under
``"calibration"`` (:func:`fit_model_calibration`). ``starclass calibrate`` refits them on another
labelled set. The entry holds the digests of the members it was fitted with and a digest of
itself (:func:`starclass.learn.checkpoint.calibration_digest`), checked when the model is
loaded: an edited entry, or one left over from other weights, is refused.

Early stopping picked the epoch on the same validation rows, so they are slightly optimistic
for the network; a separate labelled set (``starclass calibrate``) avoids that.

**With and without TTA.** ``classify --tta`` averages over the eight rotations/flips, which makes
softer probabilities than one view: a map is fitted on each (:func:`fit_with_and_without_tta`;
the TTA one is kept in :attr:`ModelCalibration.with_tta`) and classify applies the one of its
mode (:meth:`ModelCalibration.for_tta`). A model calibrated before holds none under TTA:
``--tta`` then leaves its probabilities raw, with a warning (docs/uncertainty.md, section 1d).

The same stored rows are the calibration set of the **conformal prediction sets**
(:mod:`starclass.learn.conformal`), so one held-out set serves both.

Examples
--------
>>> import numpy as np
>>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.6, 0.4]])
>>> ts = TemperatureScaler().fit(p, np.array([0, 1, 0, 1]))
>>> bool(ts.temperature_ > 1.0)  # right half of the time at 75% confidence: soften
True
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from numpy.typing import ArrayLike

from starclass.errors import (
    CALIBRATE_METHOD_PYTHON,
    CALIBRATE_MORE_PYTHON,
    CALIBRATE_PYTHON,
    VAL_FRACTION_PYTHON,
    CalibrationFitWarning,
    CalibrationWarning,
    OutputExistsError,
    StarclassError,
    check_fitted,
    counted,
    model_word,
)
from starclass.learn.calibration_methods import (
    CALIBRATION_METHODS,
    HISTOGRAM_MIN_ROWS_PER_BIN,
    check_histogram_rows,
    check_method,
)
from starclass.learn.conformal import ClassConditionalConformal
from starclass.learn.data import ModelInputs
from starclass.learn.sklearn_params import SklearnParams  # get_params / set_params: sklearn.base.clone works
from starclass.schema import INFERENCE_BATCH_SIZE

if TYPE_CHECKING:
    from starclass.learn.checkpoint import LoadedModel
    from starclass.learn.config import TaskConfig

log = logging.getLogger(__name__)

__all__ = [
    "temperature_at_bound", "TemperatureScaler", "VectorScaler", "ModelCalibration", "temper", "vector_scale",
    "fit_model_calibration", "fit_with_and_without_tta",
    "calibrate_model", "calibration_probabilities", "CALIBRATION_METHODS", "check_method", "HistogramBinner",
    "histogram_calibrate", "cross_fitted_histogram", "check_histogram_rows", "HISTOGRAM_BINS",
    "HISTOGRAM_MIN_ROWS_PER_BIN", "HISTOGRAM_CROSS_FOLDS", "leave_out_blank", "CALIBRATION_MIN_ROWS", "NOT_PINNED_DOWN",
    "CALIBRATION_MIN_ROWS_PER_CLASS", "calibration_rows", "too_few_rows", "rows_words", "warn_cautions",
    "CalibrationWarning", "CalibrationFitWarning",
]

#: Default number of equal-mass bins per class of histogram binning (the fourth run of
#: docs/uncertainty.md: 15 bins reach ECE <= 0.02 on simulated fields from 3,000 rows on).
HISTOGRAM_BINS = 15


#: Fewest held-out rows under which a fitted temperature (or vector scaling) is reported as not
#: to be trusted (:func:`too_few_rows`; a warning, the map is still fitted). Measured on simulated
#: rows (4 classes, an over-confident model of true temperature 1.5, 200 draws each): the fitted
#: temperature's 16-84 % range was 1.17-1.80 from 40 rows, 1.30-1.71 from 100 and 1.43-1.57 from
#: 1,000, i.e. +-22 %, +-14 % and +-5 %. From 100 rows on it is known to about 15 %.
CALIBRATION_MIN_ROWS = 100

#: Fewest held-out rows of each class (same use). A temperature: 10, so that a class's conformal
#: quantile at 90 % coverage is defined (it needs 9) and the class weighs in the fit at all.
#: Vector scaling fits a scale and a bias per class: on the same simulated rows one class's scale
#: ranged +-58 % (16-84 %) with 10 rows per class, +-31 % with 25, +-28 % with 50 and +-18 % with
#: 100; below 50 it is reported. Histogram binning refuses too few rows itself
#: (:data:`HISTOGRAM_MIN_ROWS_PER_BIN`).
CALIBRATION_MIN_ROWS_PER_CLASS = {"temperature": 10, "vector": 50, "histogram": 0}

#: Words of every :func:`too_few_rows` warning: ``train --cv`` finds them among its folds' notes
#: to say the warning once (each fold of the real PAndAS folder's ``--cv 5`` calibrates on 99 rows).
NOT_PINNED_DOWN = "it is not pinned down"

#: Probabilities are clipped here before the log: a float32 softmax can round to exactly 0.
_EPS = 1e-12

#: Search interval of the temperature. Below 0.05 or above 20 the held-out set is degenerate
#: (e.g. all predictions right with certainty) rather than informative.
T_BOUNDS = (0.05, 20.0)


def temper(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of ``log(probs) / temperature`` row by row; rows with NaN stay NaN.

    Parameters
    ----------
    probs : numpy.ndarray
        Probabilities ``[N, K]`` (rows sum to 1).
    temperature : float
        ``T > 0``; 1 leaves the probabilities unchanged, ``T > 1`` softens them.

    Returns
    -------
    numpy.ndarray
        Tempered probabilities ``[N, K]`` float64.

    Examples
    --------
    >>> temper(np.array([[0.8, 0.2]]), 1.0).round(3).tolist()
    [[0.8, 0.2]]
    >>> temper(np.array([[0.8, 0.2]]), 2.0).round(3).tolist()   # sqrt(0.8) : sqrt(0.2)
    [[0.667, 0.333]]
    """
    t = float(temperature)
    if not (math.isfinite(t) and t > 0):
        raise StarclassError(f"temperature must be a positive number, got {temperature!r}")
    p = np.asarray(probs, dtype=np.float64)
    z = np.log(np.clip(p, _EPS, 1.0)) / t
    top = np.max(np.where(np.isfinite(z), z, -np.inf), axis=-1, keepdims=True) if z.size else np.zeros(z.shape)
    z -= np.where(np.isfinite(top), top, 0.0)  # stable softmax; all-NaN rows stay NaN
    with np.errstate(invalid="ignore"):
        e = np.exp(z)
        out = e / e.sum(axis=-1, keepdims=True)
    out[~np.all(np.isfinite(p), axis=-1)] = np.nan
    return out


def _log_probs(probs: np.ndarray) -> np.ndarray:
    return np.log(np.clip(np.asarray(probs, dtype=np.float64), _EPS, 1.0))


def _check_bounds(bounds) -> tuple[float, float]:
    lo, hi = (float(b) for b in bounds)
    if not 0 < lo < hi:
        raise StarclassError(f"bounds {bounds!r}: need 0 < low < high")
    return lo, hi


def _nll(probs: np.ndarray, y: np.ndarray, temperature: float) -> float:
    """Mean negative log-likelihood of class indices ``y`` under tempered ``probs``.

    Computed as a log-softmax, ``logsumexp(z / T) - z_y / T`` with ``z = log p``, not as the log
    of the tempered probability: clipping that probability away from 0 made the NLL flat (and
    so not convex in ``1/T``) for confident mistakes, and the bounded search could stop at the
    wrong end of the interval.
    """
    z = _log_probs(probs) / float(temperature)
    top = z.max(axis=1)
    lse = top + np.log(np.exp(z - top[:, None]).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(y)), y]))


def _check_probs_labels(probs, y, what: str = "calibration data") -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(y)
    if p.ndim != 2 or p.shape[1] < 2:
        raise StarclassError(f"{what}: probabilities must be [N, K] with K >= 2, got shape {p.shape}")
    if y.shape != (p.shape[0],):
        raise StarclassError(f"{what}: {y.shape[0] if y.ndim else 0} labels for {p.shape[0]} rows of probabilities")
    if p.shape[0] == 0:
        raise StarclassError(f"{what}: no rows")
    if not np.all(np.isfinite(p)):
        raise StarclassError(f"{what}: probabilities contain NaN or inf (rows "
                             f"{np.flatnonzero(~np.all(np.isfinite(p), axis=1))[:5].tolist()})")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= p.shape[1]:
        raise StarclassError(f"{what}: labels must be class indices 0..{p.shape[1] - 1}")
    return p, y.astype(np.int64)


class TemperatureScaler(SklearnParams):
    """One temperature for a classifier's probabilities, fitted by minimising the NLL.

    scikit-learn style: :meth:`fit` learns ``temperature_``; :meth:`predict_proba` (alias
    :meth:`transform`) applies it. The NLL of a temperature is convex in ``1/T``, so a
    bounded one-dimensional search (Brent, :func:`scipy.optimize.minimize_scalar`) finds it.

    Parameters
    ----------
    bounds : tuple of float
        Interval searched for ``T``.

    Attributes
    ----------
    temperature_ : float
        The fitted temperature.
    nll_before_, nll_after_ : float
        Mean NLL of the fitting data at ``T = 1`` and at ``temperature_``.
    n_ : int
        Rows fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 3, 500)
    >>> sharp = np.full((500, 3), 0.01); sharp[np.arange(500), y] = 0.98
    >>> wrong = rng.random(500) < 0.3                       # 30% wrong at 98% confidence
    >>> y_seen = np.where(wrong, (y + 1) % 3, y)
    >>> ts = TemperatureScaler().fit(sharp, y_seen)
    >>> bool(ts.nll_after_ < ts.nll_before_), bool(ts.temperature_ > 1)
    (True, True)
    """

    def __init__(self, bounds: tuple[float, float] = T_BOUNDS) -> None:
        self.bounds = bounds

    def fit(self, probs: ArrayLike, y: ArrayLike) -> TemperatureScaler:
        """Fit the temperature on probabilities ``[N, K]`` and class indices ``y`` (0..K-1)."""
        from scipy.optimize import minimize_scalar

        p, y = _check_probs_labels(probs, y)
        lo, hi = _check_bounds(self.bounds)
        # search over beta = 1/T, in which the NLL is convex
        res = minimize_scalar(lambda beta: _nll(p, y, 1.0 / beta), bounds=(1.0 / hi, 1.0 / lo), method="bounded",
                              options={"xatol": 1e-5})
        self.temperature_ = float(1.0 / res.x)
        self.nll_before_ = _nll(p, y, 1.0)
        self.nll_after_ = _nll(p, y, self.temperature_)
        self.n_ = int(len(y))
        return self

    def predict_proba(self, probs: ArrayLike) -> np.ndarray:
        """Tempered probabilities (:func:`temper` with ``temperature_``)."""
        check_fitted(self, "temperature_")
        return temper(probs, self.temperature_)

    transform = predict_proba


def rows_words(n: int, n_training: int = 0) -> str:
    """The rows a calibration was fitted on, in words: held-out, or how many were training rows.

    ``calibrate --allow-training-rows`` fits on rows the model was trained on; calling them
    "held-out" in its warnings said the opposite of what they were.

    Examples
    --------
    >>> rows_words(20), rows_words(20, 17)
    ('20 held-out rows', '20 rows (17 of them rows the model was trained on)')
    """
    if n_training:
        return f"{int(n)} rows ({int(n_training)} of them rows the model was trained on)"
    return f"{int(n)} held-out rows"


def temperature_at_bound(temperature: float, probs: ArrayLike, y: ArrayLike, bounds: tuple[float, float] = T_BOUNDS,
                         n_training: int = 0) -> str | None:
    """Why a temperature fitted at an end of its search interval is no calibration; None inside it.

    The NLL of a temperature has no minimum inside the interval in two degenerate cases: the
    held-out rows' most probable class is hardly ever right (flattening every row towards
    ``1/K`` keeps lowering it: the upper end, 20), or it is right on (nearly) every row
    (sharpening keeps lowering it: the lower end, 0.05). Either way the number found is the
    end of the search, not a property of the model, and the probabilities it gives new rows
    are not to be trusted.

    Parameters
    ----------
    temperature : float
        The fitted temperature.
    probs, y
        The held-out probabilities ``[N, K]`` and class indices it was fitted on.
    bounds : tuple of float
        The search interval (:data:`T_BOUNDS`).
    n_training : int
        How many of the rows the model was trained on (:func:`rows_words`).

    Returns
    -------
    str or None
        A warning naming the temperature, the end it sits at, the accuracy behind it and what
        to do; None for a temperature inside the interval.

    Examples
    --------
    >>> temperature_at_bound(1.3, [[0.9, 0.1]], [0]) is None
    True
    >>> temperature_at_bound(0.05, [[0.9, 0.1], [0.2, 0.8]], [0, 1])[:60]
    'the fitted temperature 0.050 is at the lower end of its sear'
    """
    p, y = _check_probs_labels(probs, y)
    lo, hi = _check_bounds(bounds)
    # Brent's search stops near an end, not on it (19.997 for 20; 0.052 for 0.05 where the NLL is
    # nearly flat): the end counts as reached when it fits the rows at least as well
    fitted = _nll(p, y, temperature)
    upper = temperature >= hi * 0.99 or (temperature > 1 and _nll(p, y, hi) <= fitted)
    lower = temperature <= lo * 1.01 or (temperature < 1 and _nll(p, y, lo) <= fitted)
    if not (upper or lower):
        return None
    k = p.shape[1]
    acc = float(np.mean(p.argmax(axis=1) == y)) if len(y) else math.nan
    said = f"the fitted temperature {temperature:.3f} is at the {'upper' if upper else 'lower'} end of its search " \
           f"({hi if upper else lo:g}): the calibration is unreliable. "
    if upper:
        why = (f"On these {rows_words(len(y), n_training)} the most probable class is right for {acc:.0%} "
               f"(chance: {1 / k:.0%}), "
               f"so flattening every probability towards 1/{k} keeps lowering the NLL and the fit found no minimum")
        todo = f"train the model further, or calibrate it on more labelled rows ({CALIBRATE_MORE_PYTHON})"
    else:
        why = (f"On these {rows_words(len(y), n_training)} the most probable class is right for {acc:.0%}, so "
               "sharpening the probabilities towards 0 and 1 keeps lowering the NLL and the fit found no minimum (too "
               f"few, or too easy, {'held-out ' if not n_training else ''}rows)")
        todo = f"calibrate it on more labelled rows ({CALIBRATE_MORE_PYTHON})"
    return f"{said}{why}; {todo}"


def _short_rows(n: int, class_counts: dict, per_class: int,
                class_names=None) -> tuple[list[str], str] | None:
    """What ``n`` held-out rows of ``class_counts`` fall short of (all rows, ``per_class`` of a class), in words.

    None when there are enough; else (the shortfalls, the counts per class), each class named as evaluate,
    train's counts and info name them ("1 (star)"), by number alone without ``class_names``.
    """
    from starclass.schema import class_labels

    names = class_labels(list(class_counts), class_names)
    small = [names[int(c)] for c, k in class_counts.items() if int(k) < per_class]
    if int(n) >= CALIBRATION_MIN_ROWS and not small:
        return None
    short = ([f"fewer than {CALIBRATION_MIN_ROWS} rows"] if int(n) < CALIBRATION_MIN_ROWS else []) + (
        [f"fewer than {per_class} of class{'es' if len(small) > 1 else ''} {', '.join(small)}"] if small else [])
    return short, ", ".join(f"{names[int(c)]}: {int(k)}" for c, k in class_counts.items())


def too_few_rows(n: int, class_counts: dict, method: str = "temperature", source: str = "",
                 fitted: str = "", n_training: int = 0, class_names: Sequence[str] | None = None) -> str | None:
    """Why a calibration fitted on so few held-out rows is not to be trusted; None for enough rows.

    A temperature (or vector scaling) is fitted whatever the number of rows; on a few dozen it
    is mostly noise (:data:`CALIBRATION_MIN_ROWS`, :data:`CALIBRATION_MIN_ROWS_PER_CLASS`), and
    nothing said so unless it reached an end of its search. Histogram binning refuses too few
    rows itself, so it is never named here.

    Parameters
    ----------
    n : int
        Held-out rows the map was fitted on.
    class_counts : dict
        Rows per class (class number -> count), as :meth:`ModelCalibration.class_counts`.
    method : {"temperature", "vector", "histogram"}
        The calibration map.
    source : str
        Where the rows came from; a validation split adds the advice of a larger ``val_fraction``.
    fitted : str
        The fitted value in words, for the message (e.g. ``"9.664"``).
    n_training : int
        How many of the rows the model was trained on (``--allow-training-rows``), said instead
        of calling them held-out (:func:`rows_words`).
    class_names : sequence of str, optional
        The task's name of each class of ``class_counts``, in its order: the classes are named as
        evaluate names them (``2 (galaxy)``); by number alone without.

    Returns
    -------
    str or None
        A warning naming the rows, in all and per class, and what to do; None when there are enough.

    Examples
    --------
    >>> too_few_rows(39, {1: 5, 2: 34}, source="validation split")[:62]
    'the temperature was fitted on only 39 held-out rows (per class'
    >>> too_few_rows(500, {1: 250, 2: 250}) is None
    True
    >>> too_few_rows(39, {1: 5, 2: 34}, class_names=["star", "galaxy"]).split("(")[1:3]
    ['per class 1 ', 'star): 5, 2 ']
    """
    if method == "histogram":
        return None
    found = _short_rows(n, class_counts, CALIBRATION_MIN_ROWS_PER_CLASS.get(method, 0), class_names)
    if found is None:
        return None
    short, counts = found
    what = "temperature" if method == "temperature" else "vector scaling"
    # a notebook's words (the function, the recipe's argument): the command line says its own (errors.cli_words)
    todo = f"fit it on a larger labelled held-out set ({CALIBRATE_PYTHON})"
    if str(source).startswith("validation split"):
        todo += f", or train with {VAL_FRACTION_PYTHON}"
    return (f"the {what}{' ' + fitted if fitted else ''} was fitted on only {rows_words(n, n_training)} (per class "
            f"{counts}); with {' and '.join(short)} {NOT_PINNED_DOWN}, so the calibrated probabilities and the "
            f"conformal sets are not to be trusted; {todo}")


def threshold_too_few_rows(n: int, class_counts: dict, threshold: float | str, target: float,
                           class_names: Sequence[str] | None = None) -> str | None:
    """Why a ``train --target-purity`` threshold chosen on so few validation rows is not to be trusted; None for enough.

    The rule and words of :func:`too_few_rows` for a temperature (:data:`CALIBRATION_MIN_ROWS` rows,
    10 of each class): the threshold was chosen on 9 validation rows (4 clusters) of a PAndAS
    folder without a word, where the temperature fitted on the same rows got this warning.

    Parameters
    ----------
    n : int
        Validation rows the threshold was chosen on.
    class_counts : dict
        Rows per class (class number -> count).
    threshold, target
        The threshold chosen (a number, or as train prints it) and the purity it was chosen for.
    class_names : sequence of str, optional
        The task's name of each class of ``class_counts``, in its order.

    Returns
    -------
    str or None
        A warning naming the rows, in all and per class, and what to do; None when there are enough.

    Examples
    --------
    >>> threshold_too_few_rows(9, {1: 4, 2: 5}, 0.043, 0.6)[:72]
    'the threshold 0.043 for purity 0.60 was chosen on only 9 validation rows'
    >>> threshold_too_few_rows(500, {1: 250, 2: 250}, 0.5, 0.9) is None
    True
    """
    found = _short_rows(n, class_counts, CALIBRATION_MIN_ROWS_PER_CLASS["temperature"], class_names)
    if found is None:
        return None
    short, counts = found
    shown = threshold if isinstance(threshold, str) else f"{threshold:.3g}"
    return (f"the threshold {shown} for purity {target:.2f} was chosen on only {int(n)} validation rows "
            f"(per class {counts}); with {' and '.join(short)} {NOT_PINNED_DOWN}, so the purity and recall it "
            "reached there are not to be trusted on new data; choose it on a larger labelled held-out set "
            "('starclass classify ... -o OUT.ecsv', 'starclass evaluate OUT.ecsv --target-purity ...', then "
            "'classify --threshold'), or train with a larger --val-fraction")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def vector_scale(probs: np.ndarray, scale: ArrayLike, bias: ArrayLike) -> np.ndarray:
    """Softmax of ``scale * log(probs) + bias`` row by row (per-class terms); NaN rows stay NaN.

    Parameters
    ----------
    probs : numpy.ndarray
        Probabilities ``[N, K]``.
    scale, bias : array-like
        ``K`` scales (> 0) and ``K`` biases; all scales equal to ``1/T`` and zero biases is
        temperature scaling with ``T``.

    Returns
    -------
    numpy.ndarray
        Calibrated probabilities ``[N, K]`` float64.

    Examples
    --------
    >>> p = np.array([[0.8, 0.2]])
    >>> vector_scale(p, [0.5, 0.5], [0.0, 0.0]).round(3).tolist()   # = temper(p, 2)
    [[0.667, 0.333]]
    >>> vector_scale(p, [1.0, 1.0], [0.0, np.log(4.0)]).round(3).tolist()   # class 2 four times likelier
    [[0.5, 0.5]]
    """
    p = np.asarray(probs, dtype=np.float64)
    w = np.asarray(scale, dtype=np.float64).ravel()
    b = np.asarray(bias, dtype=np.float64).ravel()
    if p.ndim != 2 or w.shape != (p.shape[1],) or b.shape != (p.shape[1],):
        raise StarclassError(f"vector scaling: {w.size} scales and {b.size} biases for probabilities of shape "
                             f"{p.shape}; need one of each per class")
    if not (np.all(np.isfinite(w)) and np.all(w > 0) and np.all(np.isfinite(b))):
        raise StarclassError("vector scaling: scales must be positive numbers and biases finite")
    bad = ~np.all(np.isfinite(p), axis=-1)
    z = _log_probs(np.where(bad[:, None], 0.5, p)) * w + b
    out = _softmax(z) if len(p) else np.zeros(p.shape)
    out[bad] = np.nan
    return out


def _vector_nll_grad(theta: np.ndarray, logp: np.ndarray, onehot: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean NLL of vector scaling ``theta = (scales, biases)`` and its gradient."""
    k = logp.shape[1]
    w, b = theta[:k], theta[k:]
    z = logp * w + b
    z = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    nll = float(np.mean(lse - (z * onehot).sum(axis=1)))
    resid = (np.exp(z - lse[:, None]) - onehot) / len(z)  # d NLL / d z
    return nll, np.concatenate([(resid * logp).sum(axis=0), resid.sum(axis=0)])


class VectorScaler(SklearnParams):
    """A scale and a bias per class on the log-probabilities, fitted by minimising the NLL.

    ``p_cal = softmax(scale_ * log p + bias_)`` (Guo et al. 2017's vector scaling, on the
    log-probabilities as the diagonal case of Kull et al. 2019's Dirichlet calibration).
    scikit-learn style: :meth:`fit`, :meth:`predict_proba` (alias :meth:`transform`). The NLL
    is convex in the scales and biases; L-BFGS-B with the analytic gradient minimises it,
    started from the fitted temperature (all scales ``1/T``, biases 0), so the result is never
    worse on the fitting rows than temperature scaling. Biases are defined up to a common
    constant: they are reported with mean 0.

    Parameters
    ----------
    bounds : tuple of float
        Interval of each scale, as ``1/T`` of :data:`T_BOUNDS` by default.

    Attributes
    ----------
    scale_, bias_ : numpy.ndarray
        The fitted per-class scales and biases.
    temperature_ : float
        The temperature fitted on the same rows (the starting point).
    nll_before_, nll_temperature_, nll_after_ : float
        Mean NLL of the fitting data raw, with the temperature, and with vector scaling.
    n_ : int
        Rows fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = rng.dirichlet([1, 1, 1], 2000)
    >>> shifted = p * [1.0, 1.0, 4.0]; shifted /= shifted.sum(1, keepdims=True)
    >>> y = np.array([rng.choice(3, p=r) for r in shifted])   # class 3 under-predicted by p
    >>> vs = VectorScaler().fit(p, y)
    >>> bool(vs.nll_after_ < vs.nll_temperature_), bool(vs.bias_[2] > vs.bias_[0])
    (True, True)
    """

    def __init__(self, bounds: tuple[float, float] = (1.0 / T_BOUNDS[1], 1.0 / T_BOUNDS[0])) -> None:
        self.bounds = bounds

    def fit(self, probs: ArrayLike, y: ArrayLike) -> VectorScaler:
        """Fit the scales and biases on probabilities ``[N, K]`` and class indices ``y`` (0..K-1)."""
        from scipy.optimize import minimize

        p, y = _check_probs_labels(probs, y)
        lo, hi = _check_bounds(self.bounds)
        ts = TemperatureScaler().fit(p, y)
        k = p.shape[1]
        logp = _log_probs(p)
        onehot = np.eye(k)[y]
        start = np.concatenate([np.full(k, 1.0 / ts.temperature_), np.zeros(k)])
        res = minimize(_vector_nll_grad, start, args=(logp, onehot), jac=True, method="L-BFGS-B",
                       bounds=[(lo, hi)] * k + [(None, None)] * k, options={"maxiter": 500})
        theta = res.x if res.fun <= _vector_nll_grad(start, logp, onehot)[0] else start
        self.scale_ = theta[:k].copy()
        self.bias_ = theta[k:] - theta[k:].mean()  # softmax ignores a common shift
        self.temperature_ = ts.temperature_
        self.nll_before_ = ts.nll_before_
        self.nll_temperature_ = ts.nll_after_
        self.nll_after_ = _vector_nll_grad(np.concatenate([self.scale_, self.bias_]), logp, onehot)[0]
        self.n_ = int(len(y))
        return self

    def predict_proba(self, probs: ArrayLike) -> np.ndarray:
        """Calibrated probabilities (:func:`vector_scale` with ``scale_`` and ``bias_``)."""
        check_fitted(self, "scale_")
        return vector_scale(probs, self.scale_, self.bias_)

    transform = predict_proba


class HistogramBinner(SklearnParams):
    """One-vs-rest histogram binning (Zadrozny & Elkan 2001), equal-mass bins, rows renormalised.

    For each class ``k`` the held-out values of ``p(k)`` are cut into ``n_bins`` bins holding
    equal numbers of rows (interior edges at the quantiles; tied edges merged); a new ``p(k)``
    is replaced by the frequency of class ``k`` among the held-out rows of its bin, with one
    pseudo-row at the bin's mean ``p(k)`` (so a bin without a hit is not exactly 0, and a small
    bin leans towards the model's own value). The ``K`` frequencies of a row are then divided
    by their sum. scikit-learn style: :meth:`fit`, :meth:`predict_proba` (alias
    :meth:`transform`).

    Parameters
    ----------
    n_bins : int
        Bins per class (default :data:`HISTOGRAM_BINS`).
    min_rows_per_bin : int
        :meth:`fit` refuses fewer than ``n_bins * min_rows_per_bin`` rows (default
        :data:`HISTOGRAM_MIN_ROWS_PER_BIN`): with a few rows per bin the frequencies are noise
        (the real PAndAS cutouts, 9 and 23 rows per bin, overfitted). 0 turns the check off.

    Attributes
    ----------
    edges_ : list of numpy.ndarray
        Per class, the interior bin edges (at most ``n_bins - 1``, increasing); a value ``v``
        falls in bin ``searchsorted(edges, v, side="right")``.
    freq_ : list of numpy.ndarray
        Per class, the calibrated probability of each bin (``len(edges_[k]) + 1`` values; NaN
        for a bin no held-out row fell in, where the model's own ``p(k)`` is kept).
    n_ : int
        Rows fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p1 = rng.random(3000); p = np.column_stack([p1, 1 - p1])
    >>> truth = 0.5 + 0.4 * np.sin(6 * p1)           # no monotone map of p recovers this
    >>> y = (rng.random(3000) > truth).astype(int)   # class 0 with probability truth
    >>> hb = HistogramBinner(n_bins=10).fit(p, y)
    >>> q = hb.predict_proba(p)
    >>> bool(np.allclose(q.sum(1), 1)), len(hb.freq_[0])
    (True, 10)
    """

    def __init__(self, n_bins: int = HISTOGRAM_BINS, min_rows_per_bin: int = HISTOGRAM_MIN_ROWS_PER_BIN) -> None:
        self.n_bins = n_bins
        self.min_rows_per_bin = min_rows_per_bin

    def fit(self, probs: ArrayLike, y: ArrayLike) -> HistogramBinner:
        """Fit the bins and their class frequencies on probabilities ``[N, K]`` and class indices ``y``."""
        p, y = _check_probs_labels(probs, y)
        n_bins = check_histogram_rows(len(y), self.n_bins, min_rows_per_bin=self.min_rows_per_bin)
        quantiles = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
        self.edges_, self.freq_ = [], []
        for j in range(p.shape[1]):
            pj = p[:, j]
            edges = np.unique(np.quantile(pj, quantiles))
            which = np.searchsorted(edges, pj, side="right")
            hit = (y == j).astype(np.float64)
            freq = np.full(len(edges) + 1, np.nan)
            for i in range(len(edges) + 1):
                inside = which == i
                if inside.any():
                    # class frequency with one pseudo-row at the bin's mean probability
                    freq[i] = (hit[inside].sum() + pj[inside].mean()) / (inside.sum() + 1)
            self.edges_.append(edges)
            self.freq_.append(freq)
        self.n_ = int(len(y))
        return self

    def predict_proba(self, probs: ArrayLike) -> np.ndarray:
        """Calibrated probabilities ``[N, K]`` (rows sum to 1; rows with NaN stay NaN)."""
        check_fitted(self, "freq_")
        return histogram_calibrate(probs, self.edges_, self.freq_)

    transform = predict_proba


#: Folds of :func:`cross_fitted_histogram` (halves: each row's bins fitted on the other half).
HISTOGRAM_CROSS_FOLDS = 2


def cross_fitted_histogram(probs: ArrayLike, y: ArrayLike, n_bins: int = HISTOGRAM_BINS, *,
                           folds: int = HISTOGRAM_CROSS_FOLDS,
                           seed: int = 0) -> np.ndarray:
    """Histogram-calibrated probabilities of held-out rows, each from bins fitted without it.

    The rows are split into ``folds`` folds (seeded, every class shared evenly); the rows of a
    fold are calibrated by a :class:`HistogramBinner` whose edges and frequencies were fitted on
    the other folds only. These are the scores the conformal sets are fitted on
    (:meth:`ModelCalibration.conformal`): a new row is calibrated by bins that never saw it, so
    the stored rows' scores must come from bins that never saw them too. With the bins fitted
    (edges and frequencies) on the very rows whose scores they then gave, those scores were
    optimistic and the sets too small: on an over-confident synthetic model, coverage at 80% / 90%
    of 0.798 / 0.894, cross-fitted 0.813 / 0.910 (docs/uncertainty.md, section 1c).

    Parameters
    ----------
    probs, y
        Held-out probabilities ``[N, K]`` and class indices (0..K-1).
    n_bins : int
        Bins per class, as the stored map's (fewer rows per bin here: the guard on rows per bin
        is the stored map's, checked when it was fitted).
    folds : int
        Number of folds (at least 2).
    seed : int
        Seed of the split.

    Returns
    -------
    numpy.ndarray
        ``[N, K]`` calibrated probabilities, rows summing to 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p1 = rng.random(400); p = np.column_stack([p1, 1 - p1]); y = (rng.random(400) > p1).astype(int)
    >>> q = cross_fitted_histogram(p, y, 4)
    >>> q.shape, bool(np.allclose(q.sum(1), 1)), bool(np.allclose(q, HistogramBinner(4, 0).fit(p, y).predict_proba(p)))
    ((400, 2), True, False)
    """
    p, y = _check_probs_labels(probs, y)
    if int(folds) < 2:
        raise StarclassError(f"cross-fitting needs at least 2 folds, got {folds}")
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=np.int64)
    for c in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == c))
        fold[rows] = np.arange(rows.size) % int(folds)
    out = np.empty_like(p)
    for f in range(int(folds)):
        held, fit_rows = fold == f, fold != f
        if not held.any():
            continue
        binner = HistogramBinner(n_bins=n_bins, min_rows_per_bin=0).fit(p[fit_rows], y[fit_rows])
        out[held] = binner.predict_proba(p[held])
    return out


def histogram_calibrate(probs: np.ndarray, edges: Sequence[ArrayLike], freq: Sequence[ArrayLike]) -> np.ndarray:
    """Apply fitted one-vs-rest histogram binning (:class:`HistogramBinner`) to probabilities.

    Parameters
    ----------
    probs : numpy.ndarray
        Probabilities ``[N, K]``.
    edges, freq : sequence of array-like
        Per class, the interior bin edges and the ``len(edges) + 1`` bin frequencies (NaN: an
        empty bin, where the row's own probability is kept).

    Returns
    -------
    numpy.ndarray
        Calibrated probabilities ``[N, K]`` float64, rows summing to 1.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.3, 0.7]])
    >>> histogram_calibrate(p, [[0.5], [0.5]], [[0.2, 0.8], [0.3, 0.6]]).round(3).tolist()
    [[0.727, 0.273], [0.25, 0.75]]
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or len(edges) != p.shape[1] or len(freq) != p.shape[1]:
        raise StarclassError(f"histogram binning: bins of {len(edges)} classes for probabilities of shape {p.shape}")
    bad = ~np.all(np.isfinite(p), axis=-1)
    q = np.empty(p.shape)
    for j in range(p.shape[1]):
        f = np.asarray(freq[j], dtype=np.float64)
        q[:, j] = f[np.searchsorted(np.asarray(edges[j], dtype=np.float64), np.where(bad, 0.5, p[:, j]), side="right")]
    q = np.where(np.isfinite(q), q, p)
    total = q.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a row whose frequencies are all 0 (only possible with probabilities exactly 0) is uniform
        out = np.where(total > 0, q / np.where(total > 0, total, 1.0), 1.0 / max(p.shape[1], 1))
    out[bad] = np.nan
    return out


@dataclass
class ModelCalibration:
    """The calibration a model carries: its held-out rows, calibration map and conformal sets.

    Attributes
    ----------
    classes : list of int
        The task's classes (column order of the probabilities).
    probs : numpy.ndarray
        Raw ensemble-mean probabilities ``[n, K]`` of the held-out rows.
    labels : numpy.ndarray
        Their class indices (0..K-1).
    temperature : float
        Fitted on (``probs``, ``labels``); with ``method="vector"`` or ``"histogram"`` the
        one-parameter fit on the same rows, kept for comparison (not applied).
    source : str
        Where the rows came from ("validation split" or a file).
    method : {"temperature", "vector", "histogram"}
        The map :meth:`calibrate` applies (:data:`CALIBRATION_METHODS`).
    scale, bias : numpy.ndarray or None
        Per-class scales and biases of vector scaling (None otherwise).
    nll_temperature : float
        NLL of the held-out rows with the temperature (equal to ``nll_after`` for a temperature).
    n_bins : int or None
        Histogram binning: bins per class asked for (None otherwise).
    bin_edges, bin_freq : list of numpy.ndarray or None
        Histogram binning: per class, the interior bin edges and the bins' calibrated
        probabilities (:class:`HistogramBinner`'s ``edges_`` and ``freq_``; None otherwise).
    n_training_rows : int
        How many of the rows the model was trained on (``calibrate --allow-training-rows``);
        0 for held-out rows.
    tta : bool
        Whether ``probs`` were averaged over the eight rotations/flips (``classify --tta``):
        the probabilities this map (and the conformal sets) fit. Entries stored before
        2026-12-05 have no record: they were all fitted without TTA.
    with_tta : ModelCalibration or None
        The same map fitted on the same rows classified with TTA (``starclass calibrate``
        stores both); :meth:`for_tta` picks the one that matches how new rows are classified.

    Made by :func:`fit_model_calibration`; stored in the manifest by
    :func:`starclass.learn.checkpoint.save_calibration`.

    Examples
    --------
    Right but too sure at 0.99 on rows it gets right 3 times in 4: the temperature softens it:

    >>> p = np.array([[0.99, 0.01]] * 4 + [[0.01, 0.99]] * 4)
    >>> cal = ModelCalibration([1, 2], p, np.array([0, 0, 0, 1, 1, 1, 1, 0]), temperature=1.0)
    >>> cal.classes, cal.method, cal.source
    ([1, 2], 'temperature', 'validation split')
    """

    classes: list[int]
    probs: np.ndarray
    labels: np.ndarray
    temperature: float
    source: str = "validation split"
    nll_before: float = math.nan
    nll_after: float = math.nan
    method: str = "temperature"
    scale: np.ndarray | None = None
    bias: np.ndarray | None = None
    nll_temperature: float = math.nan
    n_bins: int | None = None
    bin_edges: list | None = None
    bin_freq: list | None = None
    n_training_rows: int = 0
    tta: bool = False
    with_tta: ModelCalibration | None = None

    @classmethod
    def fit(cls, probs: ArrayLike, labels: ArrayLike, classes: Sequence[int], source: str = "validation split",
            method: str = "temperature", n_bins: int = HISTOGRAM_BINS, tta: bool = False) -> ModelCalibration:
        """Fit the calibration (``method``: a temperature, vector scaling or histogram binning) on held-out rows.

        ``n_bins`` is used by histogram binning only (which refuses fewer than
        :data:`HISTOGRAM_MIN_ROWS_PER_BIN` rows per bin). ``tta`` records whether ``probs``
        were averaged over the eight rotations/flips.

        Examples
        --------
        >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
        >>> cal.n, cal.classes, cal.method
        (3, [1, 2], 'temperature')
        """
        check_method(method)
        p, y = _check_probs_labels(probs, labels)
        if p.shape[1] != len(classes):
            raise StarclassError(f"calibration data: {p.shape[1]} probability columns for classes {list(classes)}")
        classes = [int(c) for c in classes]
        out = cls._fit(p, y, classes, source, method, n_bins)
        out.tta = bool(tta)
        return out

    @classmethod
    def _fit(cls, p: np.ndarray, y: np.ndarray, classes: list[int], source: str, method: str,
             n_bins: int) -> ModelCalibration:
        if method == "vector":
            vs = VectorScaler().fit(p, y)
            return cls(classes, p, y, vs.temperature_, source, vs.nll_before_, vs.nll_after_, "vector",
                       vs.scale_, vs.bias_, vs.nll_temperature_)
        if method == "histogram":
            hb = HistogramBinner(n_bins=n_bins).fit(p, y)
            ts = TemperatureScaler().fit(p, y)
            # in-sample NLL of the bins (optimistic: the bins were fitted on these rows)
            nll_hist = float(-np.mean(np.log(np.clip(hb.predict_proba(p)[np.arange(len(y)), y], _EPS, 1.0))))
            return cls(classes, p, y, ts.temperature_, source, ts.nll_before_, nll_hist, "histogram",
                       nll_temperature=ts.nll_after_, n_bins=int(hb.n_bins), bin_edges=hb.edges_,
                       bin_freq=hb.freq_)
        ts = TemperatureScaler().fit(p, y)
        return cls(classes, p, y, ts.temperature_, source, ts.nll_before_, ts.nll_after_,
                   nll_temperature=ts.nll_after_)

    @property
    def n(self) -> int:
        """Number of held-out rows the map was fitted on.

        Examples
        --------
        >>> p = np.array([[0.99, 0.01]] * 4 + [[0.01, 0.99]] * 4)
        >>> ModelCalibration([1, 2], p, np.array([0, 0, 0, 1, 1, 1, 1, 0]), temperature=1.0).n
        8
        """
        return int(len(self.labels))

    def for_tta(self, tta: bool) -> ModelCalibration:
        """The calibration fitted under the same TTA mode as rows classified with (or without) ``tta``.

        TTA-averaged probabilities are softer than those of one view, so a map fitted on one
        kind and applied to the other is off (on real PAndAS cutouts a temperature fitted
        without TTA raised the ECE of TTA probabilities from 0.088 to 0.114). Where the model
        holds no calibration of that mode (models calibrated before 2026-12-05), this one is
        returned: :meth:`tta_mismatch` says so, and classify then leaves the probabilities raw.

        Examples
        --------
        >>> p = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
        >>> cal = ModelCalibration.fit(p, [0, 1, 1, 1], [1, 2])
        >>> cal.with_tta = ModelCalibration.fit(p ** 0.5 / (p ** 0.5).sum(1, keepdims=True), [0, 1, 1, 1], [1, 2],
        ...                                     tta=True)
        >>> cal.for_tta(True).tta, cal.for_tta(False).tta
        (True, False)
        """
        if bool(tta) == self.tta:
            return self
        if tta and self.with_tta is not None:
            return self.with_tta
        return self

    def tta_mismatch(self, tta: bool) -> str | None:
        """Why the calibration applied to rows classified with (or without) ``tta`` does not fit them, or None.

        Examples
        --------
        >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
        >>> cal.tta_mismatch(False) is None, cal.tta_mismatch(True)[:52]
        (True, "the model's calibration was fitted without TTA (rows")
        """
        if self.for_tta(tta).tta == bool(tta):
            return None
        if tta:
            return ("the model's calibration was fitted without TTA (rows classified once, sharper than the TTA "
                    "average), so it is not applied under tta=True: prob_<k> are the raw TTA probabilities (applied, "
                    "it made those of real cutouts worse than raw, ECE 0.114 against 0.088) and the conformal sets "
                    "are scored against rows classified without TTA (larger than needed: 0.93 coverage at 0.90 "
                    f"there); fit one under TTA too with {CALIBRATE_PYTHON}")
        return ("the model's calibration was fitted with TTA only, so it is not applied without TTA; classify "
                f"with tta=True, or refit it with {CALIBRATE_PYTHON}")

    def calibrate(self, probs: ArrayLike) -> np.ndarray:
        """Calibrated probabilities of new rows (NaN rows stay NaN)."""
        if self.method == "vector":
            return vector_scale(probs, self.scale, self.bias)
        if self.method == "histogram":
            return histogram_calibrate(probs, self.bin_edges, self.bin_freq)
        return temper(probs, self.temperature)

    def cautions(self, class_names: Sequence[str] | None = None) -> list[str]:
        """Every reason the fitted map is not to be trusted: too few rows (:func:`too_few_rows`)
        and a temperature at an end of its search (:meth:`warning`); empty when there is none.
        ``class_names`` (the task's, in the order of its classes) names the classes counted.

        Examples
        --------
        >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
        >>> cal.cautions()[0][:52]
        'the temperature 0.665 was fitted on only 3 held-out '
        """
        fitted = f"{self.temperature:.3f}" if self.method == "temperature" else ""
        few = too_few_rows(self.n, self.class_counts(), self.method, self.source, fitted, self.n_training_rows,
                           class_names)
        bound = self.warning() or self._scales_at_bound()
        return [m for m in (few, bound) if m]

    def tta_bound_caution(self) -> str | None:
        """The fit under TTA (:attr:`with_tta`) at an end of its search, said as such; None where it is not.

        ``calibrate --method vector`` fitted a TTA scale of 0.050, the end of its search, on 175 PAndAS rows
        and said nothing; only ``classify --tta`` warned, later (the user walk of 2026-12-07). Its rows are
        this fit's, so their count is not said twice.

        Examples
        --------
        >>> p = np.array([[0.9, 0.1], [0.2, 0.8]])  # every row right: the temperature runs to its lower end
        >>> cal = ModelCalibration.fit(p, [0, 1], [1, 2])
        >>> cal.with_tta = ModelCalibration.fit(p, [0, 1], [1, 2], tta=True)
        >>> cal.tta_bound_caution()[:60]
        'under TTA (classify --tta): the fitted temperature 0.050 is '
        """
        other = self.with_tta
        if other is None or other is self:
            return None
        bound = other.warning() or other._scales_at_bound()
        return f"under TTA (classify --tta): {bound}" if bound else None

    def _scales_at_bound(self) -> str | None:
        """Vector scaling: the classes whose scale ended at an end of its search, or None.

        A scale at 0.05 (or 20) is where the search stopped, not a minimum: on 120 rows of a weak
        model two of four scales ended at 0.05, with no word.
        """
        if self.method != "vector" or self.scale is None:
            return None
        lo, hi = 1.0 / T_BOUNDS[1], 1.0 / T_BOUNDS[0]
        at = [(c, float(v)) for c, v in zip(self.classes, self.scale) if v <= lo * 1.01 or v >= hi * 0.99]
        if not at:
            return None
        many = len(at) > 1
        return (f"the vector-scaling scale{'s' if many else ''} of class{'es' if many else ''} "
                + ", ".join(f"{c} ({v:.3f})" for c, v in at)
                + f" {'are' if many else 'is'} at an end of the search ({lo:g} to {hi:g}): no minimum was found and "
                "the calibration is unreliable; calibrate with --method temperature, or on more labelled rows")

    def warning(self) -> str | None:
        """Why the fitted map is not to be trusted (a temperature at an end of its search), or None.

        Examples
        --------
        >>> ModelCalibration.fit([[0.9, 0.1], [0.2, 0.8]], [0, 1], [1, 2]).warning()[:55]  # every row right
        'the fitted temperature 0.050 is at the lower end of its'
        """
        if self.method != "temperature":
            return None  # vector scaling and histogram bins are not one number at a bound
        return temperature_at_bound(self.temperature, self.probs, self.labels, n_training=self.n_training_rows)

    def __repr__(self) -> str:
        """A line: the map, its rows per class and where they came from, its NLL; not the arrays.

        The dataclass's own repr printed every held-out probability and label (hundreds of lines in a
        notebook for ``clf.calibration_``, ``load_model(...).calibration``).

        Examples
        --------
        >>> p = np.array([[0.99, 0.01]] * 4 + [[0.01, 0.99]] * 4)
        >>> ModelCalibration.fit(p, [0, 0, 0, 1, 1, 1, 1, 0], [1, 2])  # doctest: +ELLIPSIS
        ModelCalibration(temperature ...; 8 rows (class 1: 4, class 2: 4), validation split; NLL ... -> ...)
        """
        counts = ", ".join(f"class {c}: {n}" for c, n in self.class_counts().items())
        extra = [f"{counted(self.n_training_rows, 'training row')} among them"] if self.n_training_rows else []
        if self.tta:
            extra.append("TTA")
        if self.with_tta is not None:
            extra.append("a TTA fit too (with_tta)")
        nll = (f"; NLL {self.nll_before:.3f} -> {self.nll_after:.3f}"
               if math.isfinite(self.nll_before) and math.isfinite(self.nll_after) else "")
        return (f"ModelCalibration({self.describe()}; {counted(self.n, 'row')} ({counts}), {self.source}{nll}"
                + "".join(f"; {e}" for e in extra) + ")")

    def describe(self) -> str:
        """The map in words, for messages: ``temperature 1.035`` or the per-class terms.

        Examples
        --------
        >>> ModelCalibration([1, 2], np.zeros((0, 2)), np.zeros(0, int), 1.5).describe()
        'temperature 1.500'
        """
        if self.method == "vector":
            return ("vector scaling (scale " + "/".join(f"{v:.3f}" for v in self.scale) + ", bias "
                    + "/".join(f"{v:+.3f}" for v in self.bias) + f"; temperature alone {self.temperature:.3f})")
        if self.method == "histogram":
            # "1 equal-mass bins per class" (--bins 1): a count of one takes the singular
            return (f"histogram binning ({counted(int(self.n_bins), 'equal-mass bin')} per class, "
                    f"{self.n / max(int(self.n_bins), 1):.0f} rows per bin; temperature alone {self.temperature:.3f})")
        return f"temperature {self.temperature:.3f}"

    def conformal(self, calibrated: bool = True, seed: int = 0,
                  class_names: Sequence[str] | None = None) -> ClassConditionalConformal:
        """A class-conditional conformal predictor fitted on the stored rows.

        ``calibrated`` says whether the scores are taken on tempered probabilities (as those
        written with calibration on) or on the raw ones (``--no-calibration``): the test rows
        must be scored the same way. ``class_names`` (one per class, e.g. the task's) name
        the classes in its warnings, with their numbers.
        """
        from starclass.learn.conformal import ClassConditionalConformal

        if calibrated and self.method == "histogram":
            # each stored row scored by bins fitted without it, as a new row is (the bins counted
            # on these very rows made their scores optimistic: sets too small, coverage short)
            p = cross_fitted_histogram(self.probs, self.labels, int(self.n_bins))
        else:
            p = self.calibrate(self.probs) if calibrated else self.probs
        names = list(class_names) if class_names is not None and len(class_names) == len(self.classes) else None
        labels = [f"{c} ({names[j]})" if names else str(c) for j, c in enumerate(self.classes)]
        return ClassConditionalConformal(seed=seed, class_labels=labels).fit(p, self.labels)

    def class_counts(self) -> dict[int, int]:
        """Held-out rows per class."""
        counts = np.bincount(self.labels, minlength=len(self.classes))
        return {int(c): int(n) for c, n in zip(self.classes, counts)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON entry stored in the manifest (without its digests)."""
        out = {
            "method": self.method,
            "objective": ("NLL of softmax(scale * log(mean member probability) + bias), per class"
                          if self.method == "vector" else
                          "class frequency in equal-mass bins of each class's mean member probability, one "
                          "pseudo-count at the bin mean, rows renormalised" if self.method == "histogram" else
                          "NLL of softmax(log(mean member probability) / T)"),
            "source": str(self.source),
            "temperature": float(self.temperature),
            "nll_before": float(self.nll_before),
            "nll_after": float(self.nll_after),
            "n": self.n,
            "classes": [int(c) for c in self.classes],
            "class_counts": {str(k): v for k, v in self.class_counts().items()},
            "labels": [int(v) for v in self.labels],
            # 17 significant digits: the stored rows read back bit for bit
            "probs": [[float(f"{v:.17g}") for v in row] for row in self.probs],
        }
        if self.method == "vector":
            out["scale"] = [float(f"{v:.17g}") for v in self.scale]
            out["bias"] = [float(f"{v:.17g}") for v in self.bias]
            out["nll_temperature"] = float(self.nll_temperature)
        if self.method == "histogram":
            out["n_bins"] = int(self.n_bins)
            out["bin_edges"] = [[float(f"{v:.17g}") for v in e] for e in self.bin_edges]
            # an empty bin (NaN: the row's own probability is kept) is stored as null, valid JSON
            out["bin_freq"] = [[float(f"{v:.17g}") if np.isfinite(v) else None for v in f] for f in self.bin_freq]
            out["nll_temperature"] = float(self.nll_temperature)
        if self.n_training_rows:
            # info and later messages then say what the rows were (absent: held out)
            out["n_training_rows"] = int(self.n_training_rows)
        # the mode the rows were classified under: classify --tta picks the entry fitted under TTA
        out["tta"] = bool(self.tta)
        if self.with_tta is not None:
            out["with_tta"] = self.with_tta.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "model") -> ModelCalibration:
        """Read the manifest entry back (raises naming ``where`` if it is malformed)."""
        try:
            probs = np.asarray(d["probs"], dtype=np.float64)
            labels = np.asarray(d["labels"], dtype=np.int64)
            # entries written before vector scaling have no "method": a temperature
            method = str(d.get("method", "temperature"))
            vector = method == "vector"
            hist = method == "histogram"
            out = cls([int(c) for c in d["classes"]], probs, labels, float(d["temperature"]),
                      str(d.get("source", "")), float(d.get("nll_before", math.nan)),
                      float(d.get("nll_after", math.nan)), method,
                      np.asarray(d["scale"], dtype=np.float64) if vector else None,
                      np.asarray(d["bias"], dtype=np.float64) if vector else None,
                      float(d.get("nll_temperature", d.get("nll_after", math.nan))),
                      int(d["n_bins"]) if hist else None,
                      [np.asarray(e, dtype=np.float64).reshape(-1) for e in d["bin_edges"]] if hist else None,
                      [np.asarray([np.nan if v is None else v for v in f], dtype=np.float64).reshape(-1)
                       for f in d["bin_freq"]] if hist else None)
        except (KeyError, TypeError, ValueError) as exc:
            raise StarclassError(f"{where}: the calibration entry is malformed ({exc}); refit it with "
                                 f"{CALIBRATE_MORE_PYTHON}") from None
        check_method(out.method, f"{where}: stored calibration method")
        _check_probs_labels(out.probs, out.labels, f"{where}: stored calibration rows")
        out.n_training_rows = int(d.get("n_training_rows", 0) or 0)
        # entries written before 2026-12-05 have no "tta": every one was fitted without it
        tta = d.get("tta", False)
        if not isinstance(tta, bool):
            # bool("false") was True: a calibration fitted without TTA applied to TTA runs
            raise StarclassError(f"{where}: the calibration entry is malformed (its 'tta' is {tta!r}, not true or "
                                 f"false); refit it with {CALIBRATE_MORE_PYTHON}")
        out.tta = tta
        if d.get("with_tta") is not None:
            if not isinstance(d["with_tta"], dict):
                raise StarclassError(f"{where}: the calibration entry is malformed (its 'with_tta' is not an entry); "
                                     f"refit it with {CALIBRATE_MORE_PYTHON}")
            out.with_tta = cls.from_dict(d["with_tta"], f"{where} (its calibration under TTA)")
            if not out.with_tta.tta or out.with_tta.classes != out.classes:
                raise StarclassError(f"{where}: the calibration entry is malformed (its 'with_tta' entry is not one "
                                     f"fitted under TTA for the same classes); refit it with {CALIBRATE_MORE_PYTHON}")
        if not (math.isfinite(out.temperature) and out.temperature > 0):
            raise StarclassError(f"{where}: stored temperature {out.temperature!r} is not a positive number")
        if out.method == "vector":
            k = len(out.classes)
            if (out.scale.shape != (k,) or out.bias.shape != (k,) or not np.all(np.isfinite(out.scale))
                    or not np.all(out.scale > 0) or not np.all(np.isfinite(out.bias))):
                raise StarclassError(f"{where}: stored vector scaling needs {k} positive scales and {k} finite "
                                     f"biases; refit it with {CALIBRATE_METHOD_PYTHON.format('vector')}")
        if out.method == "histogram":
            k = len(out.classes)
            ok = out.n_bins >= 1 and len(out.bin_edges) == k and len(out.bin_freq) == k
            for e, f in zip(out.bin_edges if ok else [], out.bin_freq if ok else []):
                fin = f[np.isfinite(f)]
                ok = ok and (np.all(np.isfinite(e)) and np.all(np.diff(e) > 0) and len(e) < out.n_bins
                             and f.shape == (len(e) + 1,) and np.all((fin >= 0) & (fin <= 1)))
            if not ok:
                raise StarclassError(f"{where}: stored histogram binning needs, for each of the {k} classes, "
                                     "increasing finite bin edges (fewer than n_bins) and one frequency in [0, 1] "
                                     f"per bin; refit it with {CALIBRATE_METHOD_PYTHON.format('histogram')}")
        return out


def calibration_probabilities(loaded: LoadedModel, inputs: ModelInputs, *, batch_size: int = INFERENCE_BATCH_SIZE,
                              device: str | torch.device | None = None,
                              precision: bool | str | None = None, progress: bool | None = False,
                              tta: bool = False) -> np.ndarray:
    """Raw ensemble-mean probabilities ``[N, K]`` of a model on inputs (no temperature).

    ``progress`` shows a bar per row (:func:`starclass.learn.classify.predict_inputs`); ``tta``
    averages each member over the eight rotations/flips, as ``classify --tta`` does (8x the cost).

    Examples
    --------
    A one-member model with random weights (:func:`starclass.learn.checkpoint.make_checkpoint`):

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> from starclass.learn.checkpoint import load_model
    >>> x = np.random.default_rng(1).normal(size=(6, 2, 16, 16)).astype("f4")
    >>> p = calibration_probabilities(load_model(d), x)
    >>> p.shape, p.sum(axis=1).round(3).tolist()
    ((6, 2), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    """
    from starclass.learn.classify import predict_inputs

    res = predict_inputs(loaded, inputs, batch_size=batch_size, device=device, precision=precision,
                         calibrated=False, progress=progress, tta=tta)
    return np.asarray(res.prob_mean, dtype=np.float64)


def fit_with_and_without_tta(probs: ArrayLike, probs_tta: ArrayLike | None, labels: ArrayLike,
                             classes: Sequence[int], *, source: str = "validation split",
                             method: str = "temperature", n_bins: int = HISTOGRAM_BINS) -> ModelCalibration:
    """The calibration of rows classified without TTA, holding the one of the same rows classified with it.

    ``classify`` applies the first to probabilities of one view and the second
    (:attr:`ModelCalibration.with_tta`) under ``--tta``, whose averaged probabilities are softer;
    the conformal sets are fitted on each one's own rows the same way (:meth:`ModelCalibration.for_tta`).

    Parameters
    ----------
    probs, probs_tta : array-like
        Raw ensemble-mean probabilities ``[N, K]`` of the rows without and with TTA
        (``probs_tta`` None: no TTA calibration).
    labels : array-like
        Class indices ``[N]`` (0..K-1).
    classes : sequence of int
        The task's classes.
    source, method, n_bins
        As :meth:`ModelCalibration.fit`.

    Returns
    -------
    ModelCalibration

    Examples
    --------
    >>> p = np.array([[0.95, 0.05], [0.9, 0.1], [0.2, 0.8], [0.1, 0.9]])
    >>> soft = np.array([[0.8, 0.2], [0.7, 0.3], [0.35, 0.65], [0.3, 0.7]])
    >>> cal = fit_with_and_without_tta(p, soft, [0, 1, 1, 0], [1, 2])
    >>> cal.tta, cal.with_tta.tta, bool(cal.with_tta.temperature < cal.temperature)
    (False, True, True)
    """
    cal = ModelCalibration.fit(probs, labels, classes, source=source, method=method, n_bins=n_bins)
    if probs_tta is not None:
        cal.with_tta = ModelCalibration.fit(probs_tta, labels, classes, source=source, method=method, n_bins=n_bins,
                                            tta=True)
    return cal


def fit_model_calibration(loaded: LoadedModel, inputs: np.ndarray, labels: np.ndarray, *,
                          source: str = "validation split",
                          batch_size: int = INFERENCE_BATCH_SIZE,
                          device: str | torch.device | None = None, precision: bool | str | None = None,
                          method: str = "temperature", n_bins: int = HISTOGRAM_BINS,
                          progress: bool | None = False, tta: bool = True) -> ModelCalibration:
    """Classify held-out inputs with a model and fit its calibration on their labels.

    With ``tta`` the rows are classified a second time averaged over the eight rotations/flips
    (8x the network cost of the first pass) and a second map, fitted on those, is kept in
    :attr:`ModelCalibration.with_tta` for ``classify --tta`` (:func:`fit_with_and_without_tta`).

    Parameters
    ----------
    loaded : LoadedModel
        The model (:func:`starclass.learn.checkpoint.load_model`).
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]`` of the held-out rows.
    labels : numpy.ndarray
        Their class indices in the task's class order (0..K-1).
    source : str
        Recorded with the calibration.
    batch_size, device, precision
        As :func:`starclass.learn.classify.predict_inputs`.
    method : {"temperature", "vector", "histogram"}
        The calibration map (:data:`CALIBRATION_METHODS`).
    n_bins : int
        Bins per class of histogram binning (ignored by the other methods).
    progress : bool or None
        Show a progress bar while the rows are classified (None: a few timed lines instead,
        :class:`starclass.io.progress.Progress`).
    tta : bool
        Fit the map under TTA too (default).

    Returns
    -------
    ModelCalibration

    Raises
    ------
    StarclassError
        No rows, or a task class missing from the held-out labels (its conformal sets
        would be undefined).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> from starclass.learn.checkpoint import load_model
    >>> x = np.random.default_rng(1).normal(size=(6, 2, 16, 16)).astype("f4")
    >>> cal = fit_model_calibration(load_model(d), x, np.array([0, 1, 0, 1, 0, 1]))
    >>> type(cal).__name__, cal.method, cal.probs.shape, bool(cal.nll_after <= cal.nll_before)
    ('ModelCalibration', 'temperature', (6, 2), True)
    >>> cal.tta, cal.with_tta.tta, cal.with_tta.probs.shape
    (False, True, (6, 2))
    """
    check_method(method)
    labels = np.asarray(labels, dtype=np.int64)
    cfg = loaded.config
    absent = [int(c) for j, c in enumerate(cfg.classes) if not np.any(labels == j)]
    if absent:
        # "no row of class(es) [2]; every class of the task [1, 2] ..." named no class as the task names it
        # (a list of clusters only, for m31-real): said as train's note says it, number and name, with the counts
        names = dict(zip(cfg.classes, cfg.class_names or ()))
        said = [f"{c} ({names[c]})" if names.get(c) else str(c) for c in cfg.classes]
        counts = ", ".join(f"{w} {int(np.sum(labels == j))}" for j, w in enumerate(said))
        missing = ", ".join(w for c, w in zip(cfg.classes, said) if int(c) in absent)
        raise StarclassError(f"calibration data ({source}): no row of class{'es' if len(absent) > 1 else ''} "
                             f"{missing} (rows per class: {counts}); every class of the task needs held-out examples")
    probs = calibration_probabilities(loaded, inputs, batch_size=batch_size, device=device, precision=precision,
                                      progress=progress)
    # stamps that are not square cannot be turned by 90 degrees: classify refuses --tta on them, nothing to fit
    square = np.ndim(inputs) == 4 and np.shape(inputs)[2] == np.shape(inputs)[3]
    probs_tta = (calibration_probabilities(loaded, inputs, batch_size=batch_size, device=device, precision=precision,
                                           progress=progress, tta=True) if tta and square else None)
    return fit_with_and_without_tta(probs, probs_tta, labels, cfg.classes, source=source, method=method,
                                    n_bins=n_bins)


def merge_emptied_note(cfg: TaskConfig, class_values: ArrayLike, y: np.ndarray, source: str) -> str | None:
    """Why a class of the task has no calibration row, when the task's merge emptied it; else None.

    A model of a task with a ``merge`` (m31-binary: ``{1: 1, 2: 1, 3: 2, 4: 2}``, the PHANGS four as
    reference classes) reads calibration labels through it. Labels already in the task's own classes
    (1 cluster, 2 non-cluster) are sent 2 -> 1, and the error said only "no row of class(es) [2]".
    The message (:func:`starclass.learn.config.merge_collapse_note`) names the merge, the counts
    before and after, and the two ways out: a model trained with a task file without the merge, or
    labels written as the merge's reference classes.

    Parameters
    ----------
    cfg : starclass.learn.config.TaskConfig
        The model's task.
    class_values : array-like
        The labels as given (reference classes).
    y : numpy.ndarray
        Their class indices (0..K-1) on the rows used.
    source : str
        The labels, as messages name them.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-binary")
    >>> ref = np.array([1, 2, 1, 2])
    >>> print(merge_emptied_note(cfg, ref, cfg.class_indices(ref), "held.csv"))  # doctest: +ELLIPSIS
    calibration data (held.csv): no row of class(es) [2]. ... count as 1 (cluster): 4, 2 (non-cluster): 0. ...
    >>> merge_emptied_note(cfg, np.array([1, 3]), cfg.class_indices(np.array([1, 3])), "held.csv") is None
    True
    """
    from starclass.learn.config import merge_collapse_note

    y = np.asarray(y)
    absent = [int(c) for j, c in enumerate(cfg.classes) if not np.any(y == j)]
    if not absent or not cfg.merge:
        return None
    sources = {int(c): [int(s) for s, d in sorted(cfg.merge.items()) if int(d) == int(c)] for c in cfg.classes}
    names = list(cfg.class_names or [])
    as_ref = "; ".join(f"{c}{f' ({names[k]})' if len(names) == len(cfg.classes) else ''}: "
                       f"{' or '.join(map(str, sources[c])) or 'none'}" for k, c in enumerate(cfg.classes))
    note = merge_collapse_note(
        cfg.merge, cfg.classes, class_values, task=cfg.name, what="The label column", class_names=cfg.class_names,
        # one clause, not a second parenthetical after the note's own "(no merge: each class is itself)"
        how="to train --task, and calibrate the model trained with it, since calibrate reads labels through the "
            "merge of its model's task",
        otherwise=f"every class of the task {list(cfg.classes)} needs held-out examples")
    if note is None:
        return None
    return (f"calibration data ({source}): no row of class(es) {absent}. {note}. To calibrate this model, give "
            f"each label as a reference class the merge sends to its class ({as_ref})")


def _check_held_out(doc: dict, path: Path, inputs, rows: np.ndarray, source: str, allow: bool,
                    stacklevel: int = 3) -> int:
    """Refuse (or, with ``allow``, warn about) calibration rows the model was trained on; how many there are.

    ``stacklevel`` as :func:`warnings.warn` takes it here (3: the caller of this function's caller)."""
    import warnings

    from starclass.learn.provenance import MANIFEST_KEY, recorded_digests, training_input_rows

    recorded = recorded_digests(doc)
    if recorded is None:
        # models trained before train recorded its rows: nothing to compare with
        warnings.warn(f"model {model_word(path)} has no record of its training rows (trained before starclass recorded "
                      "them): the calibration rows cannot be checked against them; they must be held out",
                      CalibrationWarning, stacklevel=stacklevel)
        return 0
    # by exact input and by fingerprint: a training cutout saved again as FITS (or flipped) is a training row still
    n_in = int(training_input_rows(inputs, doc[MANIFEST_KEY], rows).sum())
    if not n_in:
        return 0
    what = (f"{n_in} of the {rows.size} calibration rows ({source}) are rows model {model_word(path)} was trained on; "
            "a calibration fitted on them is too confident and its conformal sets too small")
    if not allow:
        raise StarclassError(f"{what}. Calibrate on held-out rows, or fit anyway with --allow-training-rows "
                             "(allow_training_rows=True).")
    warnings.warn(f"{what} (fitted anyway: --allow-training-rows)", CalibrationWarning, stacklevel=stacklevel)
    return n_in


def leave_out_blank(inputs: np.ndarray, cfg: TaskConfig, keep: np.ndarray, source: str, *, what: str = "calibration",
                    row_numbers: np.ndarray | None = None, no_data: np.ndarray | None = None,
                    places: Sequence[str] | None = None) -> np.ndarray:
    """``keep`` without the rows whose input is blank (constant) in some band, with a warning.

    ``classify`` never gives such a row probabilities (class_pred 0; a network is confidently
    wrong on a constant image), so a calibration fitted on them would be fitted on inputs it
    is never applied to, and a network trained on them learns a class for a picture that holds
    no object: left out of both, as classify leaves them out, with one warning of one form
    (``calibrate`` and ``train`` say the same). Rows are named 1-based (a cutout CSV's row 1 is
    its first data row).

    Parameters
    ----------
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``.
    cfg : TaskConfig
        The task (bands, scales and normalisation, for :func:`starclass.learn.classify.blank_bands`).
    keep : numpy.ndarray
        Boolean ``[N]``: the labelled rows to use; blank rows are removed from it.
    source : str
        Names the data in the warning (the labels file).
    what : str
        What the rows are for, in the warning ("calibration", "training").
    row_numbers : numpy.ndarray, optional
        The 1-based row number of each input row in ``source`` (default ``1..N``): a subset
        of a folder (the training folds) is named by the folder's rows.
    no_data : numpy.ndarray, optional
        Boolean ``[N, len(cfg.bands)]``: the band holds no data at all (every pixel NaN in a
        cutout's file, :func:`starclass.stamps.images.cutout_band_no_data`). Such a row reads as
        blank only because it was filled: it is left out all the same, but said to have no data
        (:func:`starclass.learn.classify.blank_words`), in a warning of its own.
    places : sequence of str, optional
        Each input row's place in words, as the other row messages name it (a cutout list's
        :meth:`starclass.io.cutout_folders.CutoutSet.row_place`: ``row 5 (line 6 of the file), file
        'a.png'``, with its list where several were joined); given, the warning names the rows by them,
        after a colon, instead of by ``row_numbers`` in a bracket.

    Returns
    -------
    numpy.ndarray
        ``keep`` without the blank rows.

    Raises
    ------
    StarclassError
        Every labelled row is blank.

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-real", stamp_size=4)
    >>> x = np.random.default_rng(0).normal(size=(3, 1, 4, 4)).astype("f4")
    >>> x[1] = 0.0
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     leave_out_blank(x, cfg, np.ones(3, bool), "demo").tolist()
    [True, False, True]
    """
    import warnings

    from starclass.learn.classify import blank_bands, blank_words

    by_band = blank_bands(inputs, cfg)
    blank = by_band.any(axis=1) & keep
    if not blank.any():
        return keep
    # an all-NaN cutout was said to be "a blank (constant) image": it holds no data, which is not the same fault
    empty = (np.zeros(len(blank), dtype=bool) if no_data is None
             else (np.asarray(no_data, dtype=bool).reshape(by_band.shape) & by_band).any(axis=1) & blank)
    n_labelled = int(keep.sum())
    keep = keep & ~blank
    if not keep.any():
        # both faults in blank_words' words, the one place that words them
        raise StarclassError(f"{what} data ({source}): every labelled row {blank_words(False)}"
                             f"{f' or {blank_words(True)}' if empty.any() else ''} in some band; nothing to use for "
                             f"{what}")
    for rows, nd in ((np.flatnonzero(blank & ~empty), False), (np.flatnonzero(empty), True)):
        if not rows.size:
            continue
        if places is not None:
            # train --stamps SO_FAR.csv --stamps LABELS.csv named "row 332" of the two lists joined, a row of
            # neither file: each row by its own list's row and line, as a cutout list's errors name it
            named = "; ".join(str(places[int(r)]) for r in rows[:5]) + ("; ..." if rows.size > 5 else "")
            said = f": {named};"
        else:
            numbers = rows + 1 if row_numbers is None else np.asarray(row_numbers, dtype=np.int64)[rows]
            named = ", ".join(str(int(r)) for r in numbers[:5]) + (", ..." if rows.size > 5 else "")
            said = f" ({'row' if rows.size == 1 else 'rows'} {named}):"
        warnings.warn(f"{rows.size} of the {n_labelled} labelled {what} rows of {source} "
                      f"{blank_words(nd, rows.size, image=True)}{said} left out, as classify leaves them unclassified",
                      stacklevel=3)
    return keep


def calibration_rows(inputs: np.ndarray, cfg: TaskConfig, class_values: ArrayLike) -> np.ndarray:
    """Which rows :func:`calibrate_model` fits the calibration on: a class of the task, an input not blank.

    Rows whose value maps to no class of the task (0, a masked or NaN value, a class the task
    does not have) are unlabelled; rows whose input is blank (constant) in some band are left
    out as :func:`leave_out_blank` leaves them (classify never gives them probabilities). The
    command line counts these before the network runs, so that a refusal (too few rows for
    histogram binning) names the rows that would have been used.

    Parameters
    ----------
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``.
    cfg : TaskConfig
        The model's task.
    class_values : array-like
        ``[N]`` reference classes (a masked column's masked entries are unlabelled).

    Returns
    -------
    numpy.ndarray
        Boolean ``[N]``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-real", stamp_size=4)
    >>> x = np.random.default_rng(0).normal(size=(3, 1, 4, 4)).astype("f4")
    >>> x[1] = 0.0
    >>> calibration_rows(x, cfg, np.ma.array([1, 2, 2], mask=[False, False, True])).tolist()
    [True, False, False]
    """
    from starclass.learn.classify import blank_bands

    # not np.asarray first: it dropped a MaskedColumn's mask (class_indices reads masked as no class)
    labelled = np.asarray(cfg.class_indices(class_values)) >= 0
    return labelled & ~blank_bands(np.asarray(inputs), cfg).any(axis=1)


def warn_cautions(cal: ModelCalibration, class_names: Sequence[str] | None = None, *,
                  stacklevel: int = 2) -> list[str]:
    """Warn each caution of a fitted calibration (:meth:`ModelCalibration.cautions`) as a CalibrationFitWarning.

    The class is :class:`starclass.errors.CalibrationFitWarning`, a ``CalibrationWarning`` (both importable
    from here too).

    What ``starclass calibrate`` prints as ``WARNING:`` after its result: the command prints these
    warnings, so a notebook's :func:`calibrate_model` or ``CNNClassifier.calibrate`` says the same,
    each once (a ``"default"`` filter shows one message once per place).

    Parameters
    ----------
    cal : ModelCalibration
        The fitted calibration.
    class_names : sequence of str, optional
        The task's class names, in the order of its classes (the counts are named by them).
    stacklevel : int
        As :func:`warnings.warn` would take it in the function that calls this one (2: that function's caller).

    Returns
    -------
    list of str
        The cautions warned (empty: none).

    Examples
    --------
    >>> import warnings
    >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _ = warn_cautions(cal)
    >>> said[0].category.__name__, str(said[0].message)[:40]
    ('CalibrationFitWarning', 'the temperature 0.665 was fitted on only')
    """
    import warnings

    cautions = cal.cautions(None if class_names is None else list(class_names))
    if tta := cal.tta_bound_caution():
        cautions.append(tta)  # the fit classify --tta applies: said where it is fitted, not first by classify
    for caution in cautions:
        warnings.warn(caution, CalibrationFitWarning, stacklevel=stacklevel + 1)
    return cautions


def calibrate_model(model_path: str | os.PathLike, inputs: np.ndarray, class_values: np.ndarray, *, source: str,
                    overwrite: bool = False, batch_size: int = INFERENCE_BATCH_SIZE,
                    device: str | torch.device | None = None,
                    precision: bool | str | None = None, method: str = "temperature",
                    n_bins: int = HISTOGRAM_BINS, allow_training_rows: bool = False,
                    progress: bool | None = False, no_data: np.ndarray | None = None,
                    rows_from: dict[str, Any] | None = None, said_as: str | None = None,
                    places: Sequence[str] | None = None) -> ModelCalibration:
    """(Re)fit the calibration of a saved ensemble on labelled inputs and store it in its manifest.

    The rows must be held out from training: on the rows its weights were fitted on a network
    is more often right and more sure than on new ones, so a calibration fitted there is too
    sharp and conformal sets too small. A model whose manifest records its training rows
    (:mod:`starclass.learn.provenance`; ``starclass train`` writes the record) is checked: any
    calibration row among them is refused, naming how many, unless ``allow_training_rows``
    (then a warning says how many). A model without the record (trained before it existed) is
    calibrated as before, with a warning that the rows could not be checked.

    Parameters
    ----------
    model_path : path-like
        A model directory written by ``starclass train``.
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``.
    class_values : numpy.ndarray
        Reference classes (``class_ref`` values, mapped through the task's merges; rows that
        map to no task class are left out, and so are rows whose input is blank (constant)
        in some band, which ``classify`` leaves unclassified; a warning counts them).
    source : str
        Recorded with the calibration (e.g. the labels file).
    overwrite : bool
        Replace a calibration the model already has (otherwise it is kept and this raises).
    method : {"temperature", "vector", "histogram"}
        The calibration map (:data:`CALIBRATION_METHODS`).
    n_bins : int
        Bins per class of histogram binning (ignored by the other methods).
    allow_training_rows : bool
        Fit even when some rows are training rows of the model (``--allow-training-rows``).
    progress : bool or None
        Show a progress bar while the rows are classified (``calibrate --progress``); None: a few timed
        lines instead (:class:`starclass.io.progress.Progress`).
    no_data : numpy.ndarray, optional
        Boolean ``[N, len(bands)]``: which band of each row's file holds no data at all (a cutout
        folder's, :func:`starclass.stamps.images.cutout_band_no_data`); such rows are left out
        as blank ones are, and said to have no data (:func:`leave_out_blank`).
    rows_from : dict, optional
        How to read the rows again (``calibrate --stamps``: ``{"stamps": PATH, "label_column": ...,
        "file_column": ...}``; mosaics and a catalogue: :func:`mosaic_rows_from`), stored in the entry:
        a fine-tune of the model re-scores them with its own weights (:func:`starclass.learn.train.fit`
        with ``init_from``) instead of keeping scores of weights it no longer has.
    said_as : str, optional
        How the messages and warnings name the rows (the file as the user typed it, ``heldout.csv``) where
        ``source``, recorded, is absolute; None: ``source``.
    places : sequence of str, optional
        Each row's place in words (a cutout list's :meth:`~starclass.io.cutout_folders.CutoutSet.row_place`),
        for the warning of blank rows (:func:`leave_out_blank`).

    Returns
    -------
    ModelCalibration

    Raises
    ------
    StarclassError
        Among others: calibration rows that the model was trained on, without
        ``allow_training_rows``.
    starclass.errors.OutputExistsError
        The model already has a calibration and ``overwrite`` is False (a StarclassError and a
        FileExistsError; ``filename`` is the model's ``manifest.json``, left unchanged).

    TypeError
        ``model_path`` is no path (a ``CNNClassifier`` in memory: ``clf.calibrate(X, y)`` calibrates it).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.stamps import make_synthetic
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> model = write_untrained_model(tempfile.mkdtemp(), cfg)  # no record of training rows: a warning says so
    >>> held_out = make_synthetic(cfg, 60, seed=3)
    >>> calibrate_model(model, held_out.inputs, held_out.class_ref, source="held-out rows").method
    'temperature'
    """
    cal, class_names = _calibrate_model(
        model_path, inputs, class_values, source=source, overwrite=overwrite, batch_size=batch_size, device=device,
        precision=precision, method=method, n_bins=n_bins, allow_training_rows=allow_training_rows, progress=progress,
        no_data=no_data, rows_from=rows_from, said_as=said_as, places=places)
    # where starclass calibrate says WARNING: (it prints these warnings); a fine-tune's refit keeps them in its notes
    warn_cautions(cal, class_names, stacklevel=2)
    return cal


def _calibrate_model(model_path, inputs, class_values, *, source: str, overwrite: bool = False,
                     batch_size: int = INFERENCE_BATCH_SIZE, device=None, precision=None, method: str = "temperature",
                     n_bins: int = HISTOGRAM_BINS, allow_training_rows: bool = False, progress: bool | None = False,
                     no_data=None, rows_from=None, said_as: str | None = None,
                     places: Sequence[str] | None = None) -> tuple[ModelCalibration, list[str]]:
    """:func:`calibrate_model` without warning the fitted map's cautions; the calibration and the task's class names."""
    # the file as typed in what is said; the absolute path (source) in what is recorded: calibrate's own line named
    # 'heldout_labels.csv' while its warning of the blank rows beside it named '/tmp/run/heldout_labels.csv'
    named = source if said_as is None else said_as
    from starclass.learn.checkpoint import load_model, read_manifest, save_calibration
    from starclass.learn.data import refuse_catalogue

    check_method(method)
    # a catalogue given as the inputs stopped with "IndexError: tuple index out of range" (7b774db refused it
    # in fit and predict_proba only), after the model was loaded
    refuse_catalogue(inputs, "calibrate_model: inputs")
    if not isinstance(model_path, (str, os.PathLike)):
        # a fitted CNNClassifier stopped in Path() with "expected str, bytes or os.PathLike object, not CNNClassifier"
        hint = ("; a CNNClassifier in memory is calibrated by clf.calibrate(X, y) (clf.save(path) then stores it)"
                if hasattr(model_path, "get_params") else "")
        raise TypeError(f"calibrate_model: model_path must be the path of a saved model directory, not "
                        f"{type(model_path).__name__}{hint}")
    path = Path(model_path)
    if not path.is_dir():
        raise StarclassError(f"model {model_word(path)}: calibration is stored in a model directory's manifest.json; "
                             "give the directory 'starclass train' wrote")
    doc = read_manifest(path)
    if doc.get("calibration") and not overwrite:
        # as every writer's refusal to replace (a FileExistsError too): a notebook's `except FileExistsError`
        # missed this plain StarclassError; the file kept is the manifest that holds the calibration
        raise OutputExistsError(f"model {model_word(path)} already has a calibration (fitted on "
                                f"{doc['calibration'].get('source', '?')}); give overwrite=True to replace it",
                                path / "manifest.json")
    n_rows, n_values = len(inputs), len(class_values)
    if n_rows != n_values:
        # numpy's "operands could not be broadcast together" said nothing of which was which
        raise StarclassError(f"calibration data ({named}): {n_rows} rows of inputs but {n_values} class values")
    loaded = load_model(path, device="cpu" if device is None else device, check_calibration=False)
    cfg = loaded.config
    # not np.asarray first: it dropped a MaskedColumn's mask, and the values under it were fitted on as classes
    # (as fit did before 98b1488); class_indices reads masked as no class
    y = np.asarray(cfg.class_indices(class_values), dtype=np.int64)
    keep = y >= 0
    if not keep.any():
        raise StarclassError(f"calibration data ({named}): no row has a class of the task {list(cfg.classes)}")
    keep = leave_out_blank(np.asarray(inputs), cfg, keep, named, no_data=no_data, places=places)
    if why := merge_emptied_note(cfg, class_values, y[keep], named):
        # binary labels (1 cluster, 2 non-cluster) of an m31-binary model went through its merge from the
        # PHANGS four, 2 -> 1, and calibrate said only "no row of class(es) [2]"
        raise StarclassError(why)
    n_training = _check_held_out(doc, path, inputs, np.flatnonzero(keep), named, allow_training_rows,
                                 stacklevel=4)  # the caller of calibrate_model
    cal = fit_model_calibration(loaded, np.asarray(inputs)[keep], y[keep], source=source, batch_size=batch_size,
                                device=device, precision=precision, method=method, n_bins=n_bins,
                                progress=progress)
    cal.n_training_rows = n_training
    entry = cal.to_dict()
    if rows_from:
        # as JSON holds it (a list of mosaics, the files' stamps), so the entry's digest is the one read back
        import json

        entry["rows_from"] = json.loads(json.dumps({str(k): v for k, v in rows_from.items()}, default=str))
    # refused above without overwrite=True; checked again here, the rows take minutes to classify
    save_calibration(path, entry, [c["digest"] for c in loaded.checkpoints], overwrite=overwrite)
    return cal, list(cfg.class_names)


# 8 blocks of 64 KiB spread over the file: what a stamp held until 2026-12-06 (read back from such records only)
_SAMPLE_BLOCKS, _SAMPLE_BLOCK = 8, 1 << 16


def _file_sample(path: Path, size: int) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for k in range(_SAMPLE_BLOCKS):
            fh.seek(max(0, (size - _SAMPLE_BLOCK) * k // max(1, _SAMPLE_BLOCKS - 1)))
            h.update(fh.read(_SAMPLE_BLOCK))
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_stamp(path: str | os.PathLike) -> dict[str, Any]:
    """Size, modification time and the SHA-256 of a file: enough to tell that it changed.

    Recorded with a calibration's rows (``rows_from``) so that a fine-tune re-reading them can
    check they are the ones the starting model was calibrated on (:func:`stale_file`). The digest is
    of the whole file: a sample of it (8 blocks of 64 KiB, until 2026-12-06) missed an in-place edit
    of a large mosaic between the sampled blocks, and the fine-tune re-scored the calibration rows on
    the changed pixels without a word. About 1 s a GB on one core (``benchmarks/file_stamp_cost.py``),
    once when calibrating (which reads the mosaics anyway) and again only for a file whose
    modification time changed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv"
    >>> _ = f.write_text("x,y\\n1,2\\n")
    >>> sorted(file_stamp(f)), file_stamp(f)["size"]
    (['mtime_ns', 'sha256', 'size'], 8)
    """
    p = Path(path)
    st = p.stat()
    return {"size": int(st.st_size), "mtime_ns": int(st.st_mtime_ns), "sha256": _file_digest(p)}


def stale_file(path: str | os.PathLike, stamp: dict[str, Any]) -> str | None:
    """Why ``path`` is not the file :func:`file_stamp` recorded (gone, another size, other bytes), or None.

    The same modification time and size are taken as the same file; a file modified since (an edit,
    or a copy: a new time) is compared by the digest of its whole content. A stamp recorded before
    2026-12-06 holds a sample of the bytes only, which cannot tell an edit between the sampled blocks
    from a copy: such a file, modified since, is taken as changed.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "cat.csv"
    >>> _ = f.write_text("x,y\\n1,2\\n")
    >>> stamp = file_stamp(f)
    >>> stale_file(f, stamp) is None
    True
    >>> _ = f.write_text("x,y\\n1,3\\n"); os.utime(f, ns=(0, stamp["mtime_ns"] + 10**9))
    >>> stale_file(f, stamp)[-38:]
    'changed since (same size, other bytes)'
    """
    p = Path(path)
    if not p.is_file():
        return f"{p} is gone"
    st = p.stat()
    if int(st.st_size) != int(stamp.get("size", -1)):
        return f"{p} changed since ({stamp.get('size')} bytes then, {st.st_size} bytes now)"
    if int(st.st_mtime_ns) == int(stamp.get("mtime_ns", -1)):
        return None
    if stamp.get("sha256"):
        return None if _file_digest(p) == stamp["sha256"] else f"{p} changed since (same size, other bytes)"
    if _file_sample(p, int(st.st_size)) != stamp.get("sample"):
        return f"{p} changed since (same size, other bytes)"
    return (f"{p} was modified since (a new modification time) and its record holds a sample of its bytes only "
            "(calibrated before 2026-12-06), which cannot tell an edit from a copy")


def relative_to(path: str | os.PathLike, base: str | os.PathLike) -> str | None:
    """``path`` relative to the folder ``base`` (both made absolute), or None where there is none (another drive).

    Examples
    --------
    >>> relative_to("/data/field/cat.ecsv", "/data/models/m0")
    '../../field/cat.ecsv'
    """
    try:
        return os.path.relpath(Path(path).absolute(), Path(base).absolute())
    except ValueError:  # another drive (Windows): no relative path
        return None


def mosaic_rows_from(model_path: str | os.PathLike, mosaics: Sequence[str | os.PathLike],
                     catalog: str | os.PathLike, label_column: str, *, bands: Sequence[str],
                     pixel_flags: dict[str, str | None] | None = None,
                     stamp_size: int | None = None) -> dict[str, Any]:
    """How to read a ``calibrate MOSAICS -c CATALOGUE`` calibration's rows again: its ``rows_from``.

    The mosaic files (one per band) and the catalogue, absolute and relative to the model folder
    (a model moved with its data still finds them), each with its :func:`file_stamp`; the label
    column, the bands and the pixel flags (``--mask-extension``, ``--dq-good-bits``,
    ``--mask-file``) that shaped the stamps, and their size. The bad-pixel mask files that
    ``--mask-file`` names beside the mosaics are stamped too (``mask_files``,
    ``stamps_of_mask_files``): a mask edited since changes the stamps as an edited mosaic does.
    A fine-tune of the model cuts the rows again and scores them with its own weights
    (:func:`starclass.learn.train.fit` with ``init_from``) instead of keeping scores of weights it no longer has.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("model", "data"):
    ...     (root / name).mkdir()
    >>> for name in ("f555w.fits", "cat.ecsv"):
    ...     _ = (root / "data" / name).write_text("x")
    >>> rec = mosaic_rows_from(root / "model", [root / "data/f555w.fits"], root / "data/cat.ecsv", "class_ref",
    ...                        bands=["f555w"])
    >>> rec["mosaics_relative"], rec["catalog_relative"], rec["label_column"]
    (['../data/f555w.fits'], '../data/cat.ecsv', 'class_ref')
    >>> _ = (root / "data" / "f555w_bpm.fits").write_text("m")
    >>> rec = mosaic_rows_from(root / "model", [root / "data/f555w.fits"], root / "data/cat.ecsv", "class_ref",
    ...                        bands=["f555w"], pixel_flags={"mask_file": "{stem}_bpm.fits"})
    >>> [pathlib.Path(m).name for m in rec["mask_files"]], rec["stamps_of_mask_files"][0]["size"]
    (['f555w_bpm.fits'], 1)
    """
    files = [Path(m).absolute() for m in mosaics]
    cat = Path(catalog).absolute()
    masks = mask_files_of(files, (pixel_flags or {}).get("mask_file"))
    return {"mosaics": [str(f) for f in files], "mosaics_relative": [relative_to(f, model_path) for f in files],
            "catalog": str(cat), "catalog_relative": relative_to(cat, model_path), "label_column": str(label_column),
            "bands": [str(b) for b in bands], "pixel_flags": dict(pixel_flags or {}), "stamp_size": stamp_size,
            "stamps_of_files": [file_stamp(f) for f in files] + [file_stamp(cat)],
            "mask_files": [str(m) for m in masks], "stamps_of_mask_files": [file_stamp(m) for m in masks]}


def stamps_rows_from(model_path: str | os.PathLike, stamps: str | os.PathLike, label_column: str,
                     file_column: str = "file") -> dict[str, Any]:
    """How to read a ``calibrate --stamps`` calibration's rows again: its ``rows_from``.

    The cutout folder or CSV, absolute and relative to the model folder (a model moved with its
    data still finds it), its label and file columns, and the :func:`file_stamp` of the list the
    rows and their labels are read from (``stamps_of_list``: the CSV, or the folder's ``labels.csv``;
    none for a folder of label folders, whose labels are its folder names: its ``listing`` instead, each
    image under its label folder), and the images themselves (``stamps_of_images``: each as the list names it,
    with its size, modification time and SHA-256, as :func:`file_stamp` gives them; the model's manifest
    keeps their digest, the rows a side file beside it: :func:`starclass.learn.checkpoint.save_calibration`).
    A fine-tune of the model reads the rows again and scores them with its own weights; a list changed
    since (labels edited, rows added) is not the set the model was calibrated on, and the fine-tune drops
    the calibration with the reason, as it does for a changed catalogue or mosaic (:func:`stale_cutout_list`).
    Until 2026-12-06 the list was not stamped and an edited CSV was re-read as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "model").mkdir(); (root / "data").mkdir()
    >>> _ = (root / "data" / "held.csv").write_text("file,label\\na.png,cluster\\n")
    >>> _ = (root / "data" / "a.png").write_bytes(b"png")
    >>> rec = stamps_rows_from(root / "model", root / "data" / "held.csv", "label")
    >>> rec["stamps_relative"], rec["label_column"], rec["stamps_of_list"]["size"]
    ('../data/held.csv', 'label', 25)
    >>> rec["stamps_of_images"][0][:2]
    ['a.png', 3]
    """
    from starclass.io.cutout_folders import cutout_list_path, listed_files

    source = Path(stamps).absolute()
    listing = cutout_list_path(source)  # a folder's labels.csv, else its labels.csv.gz
    rec = {"stamps": str(source), "stamps_relative": relative_to(source, model_path), "label_column": label_column,
           "file_column": file_column,
           "stamps_of_list": file_stamp(listing) if listing.is_file() else None}
    if not listing.is_file():
        # a folder of label folders: its labels are its folder names, so its listing is what the list's stamp is
        # to a CSV (a cutout moved from cluster/ to galaxy/ was re-scored under its new label without a word)
        rec["listing"] = sorted(listed_files(source))
    # and the images: one overwritten with other pixels was re-scored on them without a word
    rec["stamps_of_images"] = [[name, *file_stamp(path).values()] for name, path in _listed_images(source, file_column)]
    return rec


def _listed_images(source: Path, file_column: str) -> list[tuple[str, Path]]:
    """Each image a cutout list or folder names, once: as written (the key a record keeps) and where it is now."""
    from starclass.io.cutout_folders import listed_files

    names = listed_files(source, file_column=file_column)
    paths = listed_files(source, absolute=True, file_column=file_column)
    return list(dict(zip(names, (Path(p) for p in paths))).items())


def _stale_images(here: Path, rows_from: dict[str, Any]) -> str | None:
    """Which images of a ``calibrate --stamps`` calibration changed since (:func:`stale_file`), or None."""
    from starclass.errors import counted
    from starclass.learn.checkpoint import IMAGES_RECORD, MANIFEST

    recorded = rows_from.get("stamps_of_images")
    if not isinstance(recorded, list) and isinstance(rows_from.get(IMAGES_RECORD), dict):
        side = rows_from[IMAGES_RECORD].get("file")
        return (f"the record of its images' stamps ({side}, beside the starting model's {MANIFEST}) is gone or is "
                "not the one its manifest names, so whether their pixels changed since cannot be told")
    if not isinstance(recorded, list):
        return (f"its images ({here}) were not stamped when it was calibrated (before they were, 2026-12-06), so "
                "whether their pixels changed since cannot be told")
    now = dict(_listed_images(here, str(rows_from.get("file_column", "file"))))
    changed = []
    for name, size, mtime_ns, sha in recorded:
        path = now.get(name)
        why = (f"{name} is no longer listed in {here}" if path is None else
               stale_file(path, {"size": size, "mtime_ns": mtime_ns, "sha256": sha}))
        if why:
            changed.append(why)
    if not changed:
        return None
    more = f" (and {counted(len(changed) - 3, 'other image')})" if len(changed) > 3 else ""
    return f"{'; '.join(changed[:3])}{more}: its pixels are not those the starting model was calibrated on"


def _listing_change(then: Sequence[str], now: Sequence[str], where: Path) -> str | None:
    """What changed between two listings of a folder of label folders (files gone, files new), or None."""
    from starclass.errors import counted

    before, after = set(then), set(now)
    gone, new = sorted(before - after), sorted(after - before)
    if not gone and not new:
        return None

    def named(files: list[str], what: str) -> str:
        return f"{counted(len(files), 'file')} {what} ({', '.join(files[:3])}{', ...' if len(files) > 3 else ''})"

    said = [named(gone, "gone") if gone else "", named(new, "new") if new else ""]
    return f"the listing of {where} changed since: {'; '.join(w for w in said if w)}"


def stale_cutout_list(folder: str | os.PathLike, rows_from: dict[str, Any]) -> str | None:
    """Why the cutout list a ``calibrate --stamps`` calibration read (``rows_from``) is not the one read now, or None.

    ``folder`` is where the list is found now (the CSV, or a folder holding ``labels.csv``). A record
    without a stamp of its list (calibrated earlier on 2026-12-06) cannot tell whether the list changed
    since, which is said as a reason too, as for the mosaics' mask files. A folder of label folders
    (no CSV) is checked by its listing, each image under its label folder: a cutout moved from one label
    folder to another, added or removed is named (until 2026-12-06 such a folder was not checked). The
    images are checked as :func:`stale_file` checks a file (the same time and size: unchanged; a new time:
    hashed), each changed one named; until 2026-12-06 they were not stamped and an image overwritten
    with other pixels was re-scored on them, and a record without their stamps cannot tell.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "held.csv").write_text("file,label\\na.png,cluster\\n")
    >>> _ = (d / "a.png").write_bytes(b"png")
    >>> rec = stamps_rows_from(d, d / "held.csv", "label")
    >>> stale_cutout_list(d / "held.csv", rec) is None
    True
    >>> _ = (d / "a.png").write_bytes(b"gif")
    >>> os.utime(d / "a.png", ns=(0, rec["stamps_of_images"][0][2] + 10**9))
    >>> why = stale_cutout_list(d / "held.csv", rec)
    >>> "a.png changed since (same size, other bytes): its pixels are not those" in why
    True
    >>> _ = (d / "held.csv").write_text("file,label\\na.png,galaxy\\n")
    >>> why = stale_cutout_list(d / "held.csv", rec)
    >>> "held.csv changed since (25 bytes then, 24 bytes now): its rows or labels are not those" in why
    True
    """
    from starclass.io.cutout_folders import cutout_list_path, listed_files

    here = Path(folder)
    listing = cutout_list_path(here)
    if not listing.is_file() and (rows_from.get("stamps_of_list") is None):
        # a folder of label folders: its listing (each file under its label folder) is its list
        if not isinstance(rows_from.get("listing"), list):
            return (f"its label folders {here} were not listed when it was calibrated (before they were, "
                    "2026-12-06), so whether cutouts were added, removed or moved between them since cannot be told")
        why = _listing_change(rows_from["listing"], sorted(listed_files(here)), here)
        if why is not None:
            return f"{why}: its rows or labels are not those the starting model was calibrated on"
        return _stale_images(here, rows_from)
    if "stamps_of_list" not in rows_from:
        return (f"its list {listing} was not stamped when it was calibrated (before lists were, 2026-12-06), so "
                "whether its rows and labels changed since cannot be told")
    stamp = rows_from.get("stamps_of_list")
    if stamp is None:
        return f"{listing} is a list of cutouts now, a folder of label folders then"
    why = stale_file(listing, stamp)
    if why is not None:
        return f"{why}: its rows or labels are not those the starting model was calibrated on"
    return _stale_images(here, rows_from)


def mask_files_of(mosaics: Sequence[str | os.PathLike], mask_file: str | None) -> list[Path]:
    """The bad-pixel mask files ``--mask-file`` (a name template) names for the ``mosaics``, each once, absolute.

    One per band where the template has ``{stem}``; one for every band where it has not. Empty
    without ``mask_file``.

    Examples
    --------
    >>> [p.name for p in mask_files_of(["/d/g_f555w.fits", "/d/g_f814w.fits"], "{stem}_bpm.fits")]
    ['g_f555w_bpm.fits', 'g_f814w_bpm.fits']
    >>> [str(p) for p in mask_files_of(["/d/g_f555w.fits", "/d/g_f814w.fits"], "/masks/all.fits")]
    ['/masks/all.fits']
    >>> mask_files_of(["/d/g_f555w.fits"], None)
    []
    """
    if mask_file is None:
        return []
    from starclass.io.mosaic import PixelFlags

    flags = PixelFlags(mask_file=str(mask_file))
    out: list[Path] = []
    for m in mosaics:
        path = flags.mask_path(m)
        path = path.absolute() if path is not None else None
        if path is not None and path not in out:
            out.append(path)
    return out
