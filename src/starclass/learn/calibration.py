"""Calibrated probabilities: one temperature per ensemble, fitted on held-out labelled data.

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

**Where the held-out data come from.** ``starclass train`` already keeps a validation split
(``recipe.val_fraction``; grouped by object for cutout folders) for early stopping. At the end
of training the finished ensemble classifies it once (without TTA), and the raw mean
probabilities and labels of those rows are stored with the model, in ``manifest.json`` under
``"calibration"`` (:func:`fit_model_calibration`). ``starclass calibrate`` refits them on another
labelled set. The entry holds the digests of the members it was fitted with and a digest of
itself (:func:`starclass.learn.checkpoint.calibration_digest`), checked when the model is
loaded: an edited entry, or one left over from other weights, is refused.

Early stopping picked the epoch on the same validation rows, so they are slightly optimistic
for the network; a separate labelled set (``starclass calibrate``) avoids that.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from starclass.errors import StarclassError

log = logging.getLogger(__name__)

__all__ = [
    "TemperatureScaler", "ModelCalibration", "temper", "fit_model_calibration", "calibrate_model",
    "calibration_probabilities",
]

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


def _nll(probs: np.ndarray, y: np.ndarray, temperature: float) -> float:
    """Mean negative log-likelihood of class indices ``y`` under tempered ``probs``."""
    q = temper(probs, temperature)
    return float(-np.mean(np.log(np.clip(q[np.arange(len(y)), y], _EPS, 1.0))))


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


class TemperatureScaler:
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

    def fit(self, probs, y) -> TemperatureScaler:
        """Fit the temperature on probabilities ``[N, K]`` and class indices ``y`` (0..K-1)."""
        from scipy.optimize import minimize_scalar

        p, y = _check_probs_labels(probs, y)
        lo, hi = (float(b) for b in self.bounds)
        if not 0 < lo < hi:
            raise StarclassError(f"bounds {self.bounds!r}: need 0 < low < high")
        # search over beta = 1/T, in which the NLL is convex
        res = minimize_scalar(lambda beta: _nll(p, y, 1.0 / beta), bounds=(1.0 / hi, 1.0 / lo), method="bounded",
                              options={"xatol": 1e-5})
        self.temperature_ = float(1.0 / res.x)
        self.nll_before_ = _nll(p, y, 1.0)
        self.nll_after_ = _nll(p, y, self.temperature_)
        self.n_ = int(len(y))
        return self

    def predict_proba(self, probs) -> np.ndarray:
        """Tempered probabilities (:func:`temper` with ``temperature_``)."""
        if not hasattr(self, "temperature_"):
            raise StarclassError("TemperatureScaler is not fitted: call fit() first")
        return temper(probs, self.temperature_)

    transform = predict_proba


@dataclass
class ModelCalibration:
    """The calibration a model carries: its held-out rows, temperature and conformal sets.

    Attributes
    ----------
    classes : list of int
        The task's classes (column order of the probabilities).
    probs : numpy.ndarray
        Raw ensemble-mean probabilities ``[n, K]`` of the held-out rows.
    labels : numpy.ndarray
        Their class indices (0..K-1).
    temperature : float
        Fitted on (``probs``, ``labels``).
    source : str
        Where the rows came from ("validation split" or a file).
    """

    classes: list[int]
    probs: np.ndarray
    labels: np.ndarray
    temperature: float
    source: str = "validation split"
    nll_before: float = math.nan
    nll_after: float = math.nan

    @classmethod
    def fit(cls, probs, labels, classes, source: str = "validation split") -> ModelCalibration:
        """Fit the temperature on held-out raw probabilities and class indices.

        Examples
        --------
        >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
        >>> cal.n, cal.classes
        (3, [1, 2])
        """
        p, y = _check_probs_labels(probs, labels)
        if p.shape[1] != len(classes):
            raise StarclassError(f"calibration data: {p.shape[1]} probability columns for classes {list(classes)}")
        ts = TemperatureScaler().fit(p, y)
        return cls([int(c) for c in classes], p, y, ts.temperature_, source, ts.nll_before_, ts.nll_after_)

    @property
    def n(self) -> int:
        return int(len(self.labels))

    def calibrate(self, probs) -> np.ndarray:
        """Tempered probabilities of new rows (NaN rows stay NaN)."""
        return temper(probs, self.temperature)

    def conformal(self, calibrated: bool = True, seed: int = 0):
        """A class-conditional conformal predictor fitted on the stored rows.

        ``calibrated`` says whether the scores are taken on tempered probabilities (as those
        written with calibration on) or on the raw ones (``--no-calibration``): the test rows
        must be scored the same way.
        """
        from starclass.learn.conformal import ClassConditionalConformal

        p = self.calibrate(self.probs) if calibrated else self.probs
        return ClassConditionalConformal(seed=seed).fit(p, self.labels)

    def class_counts(self) -> dict[int, int]:
        """Held-out rows per class."""
        counts = np.bincount(self.labels, minlength=len(self.classes))
        return {int(c): int(n) for c, n in zip(self.classes, counts)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON entry stored in the manifest (without its digests)."""
        return {
            "method": "temperature",
            "objective": "NLL of softmax(log(mean member probability) / T)",
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

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "model") -> ModelCalibration:
        """Read the manifest entry back (raises naming ``where`` if it is malformed)."""
        try:
            probs = np.asarray(d["probs"], dtype=np.float64)
            labels = np.asarray(d["labels"], dtype=np.int64)
            out = cls([int(c) for c in d["classes"]], probs, labels, float(d["temperature"]),
                      str(d.get("source", "")), float(d.get("nll_before", math.nan)),
                      float(d.get("nll_after", math.nan)))
        except (KeyError, TypeError, ValueError) as exc:
            raise StarclassError(f"{where}: the calibration entry is malformed ({exc}); refit it with "
                                 "'starclass calibrate'") from None
        _check_probs_labels(out.probs, out.labels, f"{where}: stored calibration rows")
        if not (math.isfinite(out.temperature) and out.temperature > 0):
            raise StarclassError(f"{where}: stored temperature {out.temperature!r} is not a positive number")
        return out


def calibration_probabilities(loaded, inputs, *, batch_size: int = 256, device=None,
                              precision: bool | str | None = None) -> np.ndarray:
    """Raw ensemble-mean probabilities ``[N, K]`` of a model on inputs (no TTA, no temperature)."""
    from starclass.learn.classify import predict_inputs

    res = predict_inputs(loaded, inputs, batch_size=batch_size, device=device, precision=precision,
                         calibrated=False)
    return np.asarray(res.prob_mean, dtype=np.float64)


def fit_model_calibration(loaded, inputs, labels, *, source: str = "validation split", batch_size: int = 256,
                          device=None, precision: bool | str | None = None) -> ModelCalibration:
    """Classify held-out inputs with a model and fit its calibration on their labels.

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

    Returns
    -------
    ModelCalibration

    Raises
    ------
    StarclassError
        No rows, or a task class missing from the held-out labels (its conformal sets
        would be undefined).
    """
    labels = np.asarray(labels, dtype=np.int64)
    cfg = loaded.config
    absent = [int(c) for j, c in enumerate(cfg.classes) if not np.any(labels == j)]
    if absent:
        raise StarclassError(f"calibration data ({source}): no row of class(es) {absent}; every class of the task "
                             f"{list(cfg.classes)} needs held-out examples")
    probs = calibration_probabilities(loaded, inputs, batch_size=batch_size, device=device, precision=precision)
    return ModelCalibration.fit(probs, labels, cfg.classes, source=source)


def calibrate_model(model_path: str | os.PathLike, inputs, class_values, *, source: str,
                    overwrite: bool = False, batch_size: int = 256, device=None,
                    precision: bool | str | None = None) -> ModelCalibration:
    """(Re)fit the calibration of a saved ensemble on labelled inputs and store it in its manifest.

    Parameters
    ----------
    model_path : path-like
        A model directory written by ``starclass train``.
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``.
    class_values : numpy.ndarray
        Reference classes (``class_ref`` values, mapped through the task's merges; rows that
        map to no task class are left out).
    source : str
        Recorded with the calibration (e.g. the labels file).
    overwrite : bool
        Replace a calibration the model already has (otherwise it is kept and this raises).

    Returns
    -------
    ModelCalibration

    Examples
    --------
    >>> # calibrate_model("model", inputs, table["class_ref"], source="holdout.ecsv", overwrite=True)
    """
    from starclass.learn.checkpoint import load_model, read_manifest, save_calibration

    path = Path(model_path)
    if not path.is_dir():
        raise StarclassError(f"model {path}: calibration is stored in a model directory's manifest.json; "
                             "give the directory 'starclass train' wrote")
    doc = read_manifest(path)
    if doc.get("calibration") and not overwrite:
        raise StarclassError(f"model {path} already has a calibration (fitted on "
                             f"{doc['calibration'].get('source', '?')}); pass --overwrite to replace it")
    loaded = load_model(path, device="cpu" if device is None else device, check_calibration=False)
    cfg = loaded.config
    y = np.asarray(cfg.class_indices(np.asarray(class_values)), dtype=np.int64)
    keep = y >= 0
    if not keep.any():
        raise StarclassError(f"calibration data ({source}): no row has a class of the task {list(cfg.classes)}")
    cal = fit_model_calibration(loaded, np.asarray(inputs)[keep], y[keep], source=source, batch_size=batch_size,
                                device=device, precision=precision)
    save_calibration(path, cal.to_dict(), [c["digest"] for c in loaded.checkpoints])
    return cal
