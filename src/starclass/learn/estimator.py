"""A scikit-learn-style front: ``CNNClassifier(config).fit(X, y).predict_proba(X)``.

:class:`CNNClassifier` wraps the task-config training (:func:`starclass.learn.train.fit`) and
the ensemble prediction (:func:`starclass.learn.classify.predict_inputs`) behind the
scikit-learn estimator conventions, which the baselines of :mod:`starclass.models.baselines`
follow as well (the :class:`Classifier` protocol):

* ``__init__`` stores its parameters as given; nothing is converted, checked or learned
  there, so :func:`sklearn.base.clone` and ``get_params`` / ``set_params`` work;
* ``fit(X, y)`` checks the parameters, learns, and returns ``self``;
* what was learned ends with an underscore: ``classes_`` (the order of the probability
  columns), ``model_``, ``config_``, ``history_``, ...;
* ``predict_proba(X)`` gives ``[N, K]`` probabilities, ``predict(X)`` the classes;
* ``save(path)`` writes the fitted model and the classmethod ``load(path)`` reads it back.

The CNN's saved model is the directory ``starclass train`` writes (``manifest.json`` and
member checkpoints), so ``starclass classify --model`` reads it too.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from starclass import quiet_import
from starclass.errors import CalibrationFitWarning, OutputExistsError, StarclassError
from starclass.learn.checkpoint import (
    FINAL_VAL_BALANCED_ACCURACY,
    MODEL_ENTRIES,
    LoadedModel,
    cpu_state,
    load_model,
    member_digest,
    member_filename,
    save_checkpoint,
    write_manifest,
)
from starclass.learn.checkpoint import VERSION as CHECKPOINT_VERSION
from starclass.learn.classify import predict_inputs
from starclass.learn.config import TaskConfig, load_config
from starclass.learn.data import refuse_catalogue
from starclass.learn.precision import parse_precision
from starclass.learn.train import fit as train_fit
from starclass.schema import INFERENCE_BATCH_SIZE

with quiet_import():
    from sklearn.base import BaseEstimator, ClassifierMixin

__all__ = ["Classifier", "CNNClassifier"]


@runtime_checkable
class Classifier(Protocol):
    """What every starclass classifier offers: the CNN front and the baselines alike.

    ``classes_`` (set by ``fit``) orders the columns of ``predict_proba``; ``predict`` gives
    values of ``classes_``.

    Examples
    --------
    >>> from starclass.models.baselines import CatalogBoosting
    >>> isinstance(CatalogBoosting(), Classifier) and isinstance(CNNClassifier("legus4"), Classifier)
    True
    """

    def fit(self, X: Any, y: Any) -> Classifier: ...

    def predict_proba(self, X: Any) -> np.ndarray: ...

    def predict(self, X: Any) -> np.ndarray: ...

    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path: ...


#: the methods for which scikit-learn's cross_val_predict relabels y as 0..M-1 before each fit
_RELABELLED_FOR = ("decision_function", "predict_proba", "predict_log_proba")


def _relabelling_cross_val_predict() -> str | None:
    """The method a calling ``sklearn.model_selection.cross_val_predict`` relabelled ``y`` for, else None.

    cross_val_predict passes ``LabelEncoder().fit_transform(y)`` to ``fit`` for these methods, and
    nothing in ``y`` itself tells it from reference classes: 0 is "no label" here, so the fold's
    first class was dropped, the others were read as other (merged) classes, and the probability
    columns were filed under the encoded values. Its ``_fit_and_predict`` frame, which calls
    ``fit`` directly, says which method it fits for.

    Examples
    --------
    >>> _relabelling_cross_val_predict() is None
    True
    """
    frame = sys._getframe(1)
    for _ in range(6):  # fit's caller, or a few frames above it (a subclass's fit)
        frame = frame.f_back
        if frame is None:
            return None
        if (frame.f_code.co_name == "_fit_and_predict"
                and str(frame.f_globals.get("__name__", "")).startswith("sklearn.model_selection")
                and frame.f_locals.get("y") is not None and frame.f_locals.get("method") in _RELABELLED_FOR):
            return str(frame.f_locals["method"])
    return None


def no_data_bands(inputs: np.ndarray, config: TaskConfig) -> np.ndarray:
    """Which bands of each row of model inputs hold no data at all, ``[N, len(config.bands)]`` bool.

    A band has no data where none of its channels (one per scale) has a finite pixel: an
    all-NaN cutout given as it is, which :func:`starclass.stamps.images.cutout_inputs` would
    have filled. RGB inputs mix the bands: there a row has no data in every band when no
    channel has a finite pixel.

    Parameters
    ----------
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``.
    config : TaskConfig
        The task (bands and normalisation).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=4, scales=[1.0])
    >>> x = np.ones((2, 2, 4, 4), np.float32)
    >>> x[1, 0] = np.nan
    >>> no_data_bands(x, cfg).tolist()
    [[False, False], [True, False]]
    """
    x = np.asarray(inputs)
    n, n_bands = x.shape[0], len(config.bands)
    empty = ~np.isfinite(x).reshape(n, x.shape[1], -1).any(axis=2)  # [N, C]
    if config.normalisation == "rgb" or x.shape[1] % n_bands:
        return np.repeat(empty.all(axis=1, keepdims=True), n_bands, axis=1)
    return empty.reshape(n, -1, n_bands).all(axis=1)  # channels are scales x bands (blank_bands' order)


def _usable_rows(inputs: Any, config: TaskConfig, *, warn: bool = True) -> tuple[Any, np.ndarray | None, np.ndarray]:
    """``(inputs, valid, no_data)``: bands without data filled, the rows classify would classify, and the no-data bands.

    ``classify`` leaves a row whose stamp is blank (constant) in some band unclassified, and says
    of an all-NaN cutout that it has no data (:func:`starclass.learn.classify.blank_words`). The
    estimator took such rows as they were: an all-NaN row stopped predict_proba ("model inputs 0-3
    contain NaN or inf"), a filled or constant one got confident probabilities. A band without
    any data is filled with 0 (its rows are not classified, so the value is never scored);
    rows with some NaN pixels are left to :func:`starclass.learn.classify.predict_inputs`'
    refusal. ``valid`` is None for inputs this cannot read as ``[N, C, H, W]`` (refused later).
    """
    from starclass.learn.classify import blank_bands, blank_column

    try:
        x = np.asarray(inputs)
    except (TypeError, ValueError):  # a ragged list: refused later in fit's and predict's own words
        x = np.zeros(0)
    if x.ndim != 4 or 0 in x.shape or not np.issubdtype(x.dtype, np.number):
        return inputs, None, np.zeros((0, len(config.bands)), dtype=bool)
    # by batches of rows, as predict_inputs reads them: a whole-array mask of a million StarcNet inputs is 15 GB
    step = INFERENCE_BATCH_SIZE
    no_data = np.concatenate([no_data_bands(x[s:s + step], config) for s in range(0, len(x), step)])
    if no_data.any():
        x = np.array(x, dtype=np.float32)
        for s in range(0, len(x), step):
            part = x[s:s + step]  # a view: filled in place
            part[~np.isfinite(part).reshape(len(part), part.shape[1], -1).any(axis=2)] = 0.0  # channels without data
    blank = (np.concatenate([blank_bands(x[s:s + step], config) for s in range(0, len(x), step)])
             if x.shape[1] == config.n_channels else np.zeros_like(no_data))
    if warn and blank.any():
        blank_column(blank, config.bands, what="rows of X", no_data=no_data, start=0,
                     consequence="they are not classified (NaN probabilities; predict gives class 0), as classify "
                                 "leaves them")
    return x, ~blank.any(axis=1), no_data & blank


def _leave_out_unusable(X: Any, y: Any, config: TaskConfig, positions: Any, galaxies: Any,
                        val_index: Any) -> tuple[Any, Any, Any, Any, Any]:
    """``fit``'s rows without those classify leaves unclassified (blank, or a band without data), with a warning.

    ``train --stamps`` leaves them out (:func:`starclass.learn.calibration.leave_out_blank`); ``fit``
    trained on them without a word, an all-NaN row as a picture of zeros. Arrays only (a
    stamp store is read lazily, as it is): ``y``, ``positions``, ``galaxies`` and
    ``val_index`` follow the rows kept.
    """
    import torch

    from starclass.learn.calibration import leave_out_blank

    if not isinstance(X, (np.ndarray, list, torch.Tensor)):
        return X, y, positions, galaxies, val_index
    x, valid, no_data = _usable_rows(X.numpy() if isinstance(X, torch.Tensor) else X, config, warn=False)
    if valid is None or len(np.shape(y)) not in (1, 2) or len(y) != len(x):
        return X, y, positions, galaxies, val_index  # refused by fit with its own words
    n = len(x)
    # rows of no task class are not training rows: counted apart by fit ("without an output class")
    try:
        labelled = (np.asarray(config.class_indices(y)) >= 0) if np.ndim(y) == 1 else np.ones(n, dtype=bool)
    except (StarclassError, TypeError, ValueError):
        return X, y, positions, galaxies, val_index  # refused by fit with its own words
    if not (labelled & ~valid).any():
        return X, y, positions, galaxies, val_index
    keep = leave_out_blank(x, config, labelled, "fit(X, y)", what="training", row_numbers=np.arange(n),
                           no_data=no_data) | ~labelled
    kept = np.flatnonzero(keep)
    y = np.ma.asarray(y)[kept]  # np.ma: a MaskedColumn's mask (no label) kept
    if positions is not None:
        positions = tuple(np.asarray(p)[kept] for p in positions)
    if galaxies is not None:
        galaxies = np.asarray(galaxies)[kept]
    if val_index is not None:
        # positions in X -> positions among the rows kept (a left-out row is validated on by no one)
        where = np.full(n, -1, dtype=np.int64)
        where[kept] = np.arange(kept.size)
        val_index = where[np.asarray(val_index, dtype=np.int64)]
        val_index = val_index[val_index >= 0]
    return np.asarray(X)[kept] if not isinstance(X, torch.Tensor) else X[torch.as_tensor(kept)], y, positions, \
        galaxies, val_index


#: The remedy of a calibration's cautions in the estimator's own words: its ``calibrate`` method. The library's
#: name ``calibrate_model(model, inputs, labels, ...)``, which takes a model folder, not the estimator in hand.
_CALIBRATE_ESTIMATOR = "clf.calibrate(X_held_out, y_held_out), then clf.save(path, overwrite=True) to keep it"


def _warn_cautions(cal: Any, class_names: Sequence[str] | None) -> None:
    """Warn a calibration's cautions (``learn.calibration.warn_cautions``) at the caller of ``fit``/``calibrate``.

    Said with the estimator's remedy (:data:`_CALIBRATE_ESTIMATOR`): until 2026-12-07 ``CNNClassifier.fit``
    on a small validation split said to refit with ``starclass.learn.calibration.calibrate_model(model, inputs,
    labels, source=..., overwrite=True)``, whose ``model`` is a model folder the estimator may not have.

    Examples
    --------
    >>> from starclass.learn.calibration import ModelCalibration
    >>> cal = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _warn_cautions(cal, None)
    >>> "clf.calibrate(X_held_out, y_held_out)" in str(said[0].message)
    True
    """
    from starclass.errors import CALIBRATE_MORE_PYTHON, CALIBRATE_PYTHON
    from starclass.learn.calibration import warn_cautions

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        warn_cautions(cal, class_names)
    for w in said:
        text = str(w.message).replace(CALIBRATE_PYTHON, _CALIBRATE_ESTIMATOR)
        text = text.replace(CALIBRATE_MORE_PYTHON, "clf.calibrate(X_held_out, y_held_out)")
        # 3: this function, fit or calibrate, then the caller's line (as warn_cautions' stacklevel=2 said it)
        warnings.warn(text, w.category, stacklevel=3)


class CNNClassifier(ClassifierMixin, BaseEstimator):
    """A CNN (or an ensemble of them) of a task config, with the scikit-learn interface.

    Parameters
    ----------
    config : str, path-like or TaskConfig
        A preset name (:func:`starclass.learn.config.list_presets`), a YAML/JSON config file,
        or a config.
    epochs, ensemble, seed : int or None
        Overrides of ``recipe.epochs``, the number of members (per architecture) and the base
        seed (None: the config's).
    device : str or None
        ``"cpu"``, ``"cuda"``, ... (None: CUDA when available).
    precision : bool, str or None
        Inference precision ("fp32", "bf16", "auto"; None: the config's ``recipe.amp``).
    batch_size : int
        Candidates per batch in :meth:`predict_proba`.
    tta : bool
        Test-time augmentation: average over the eight rotations/flips.
    outdir : path-like or None
        Keep the training directory (checkpoints, manifest) there; None trains in a
        temporary directory that :meth:`fit` removes (the model stays in memory).
    resume : bool
        Continue an interrupted training in ``outdir`` (see :func:`starclass.learn.train.fit`).
    progress : bool
        Show progress bars while training.

    Attributes
    ----------
    classes_ : numpy.ndarray
        Output classes, in the order of the ``predict_proba`` columns.
    config_ : TaskConfig
        The config trained (with the overrides applied).
    model_ : starclass.learn.checkpoint.LoadedModel
        The trained networks (``model_.members``) and their checkpoint metadata.
    history_ : list of list of dict
        Per member, one record per epoch (losses, validation accuracy, seconds).
    best_epochs_, val_accuracy_, val_balanced_accuracy_ : list
        Per member, the epoch kept, its validation accuracy and its validation balanced accuracy (the mean
        recall over the classes: the plain figure alone misleads on an imbalanced task; NaN for a member
        written before 2026-12-07).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.stamps import make_synthetic
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> toy = make_synthetic(cfg, 32, seed=0)
    >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(toy.inputs, toy.class_ref)
    >>> clf.classes_.tolist(), clf.predict_proba(toy.inputs[:3]).shape
    ([1, 2], (3, 2))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     again = CNNClassifier.load(clf.save(d))
    >>> bool((again.predict(toy.inputs) == clf.predict(toy.inputs)).all())
    True
    """

    def __init__(
        self,
        config: str | os.PathLike | TaskConfig = "legus4-compact",
        *,
        epochs: int | None = None,
        ensemble: int | None = None,
        seed: int | None = None,
        device: str | None = None,
        precision: bool | str | None = None,
        batch_size: int = INFERENCE_BATCH_SIZE,
        tta: bool = False,
        outdir: str | os.PathLike | None = None,
        resume: bool = False,
        progress: bool = False,
    ) -> None:
        self.config = config
        self.epochs = epochs
        self.ensemble = ensemble
        self.seed = seed
        self.device = device
        self.precision = precision
        self.batch_size = batch_size
        self.tta = tta
        self.outdir = outdir
        self.resume = resume
        self.progress = progress

    # ------------------------------------------------------------------ fitting
    def _task_config(self) -> TaskConfig:
        if isinstance(self.config, TaskConfig):
            return self.config.copy()
        if isinstance(self.config, (str, os.PathLike)):
            return load_config(self.config)
        raise StarclassError(
            f"CNNClassifier: config must be a preset name, a config file or a TaskConfig, "
            f"got {type(self.config).__name__}")

    def fit(self, X: Any, y: Any, *, positions: Any = None, galaxies: Any = None,
            holdout: str | None = None, val_index: Any = None) -> CNNClassifier:
        """Train the task's network(s) on model inputs and reference classes.

        Parameters
        ----------
        X : array-like ``[N, C, H, W]`` or StampStore
            Model inputs (:func:`starclass.stamps.make_inputs`).
        y : array-like
            Reference classes (``class_ref``), mapped to the task's classes with its merges.
        positions, galaxies, holdout, val_index
            As for :func:`starclass.learn.train.fit` (spatial or per-galaxy splits, an
            explicit validation set).

        Returns
        -------
        CNNClassifier
            ``self``, fitted. What an earlier ``fit`` learned is dropped first, so after a
            ``fit`` that raised the estimator is unfitted.

        Raises
        ------
        StarclassError
            A bad parameter (named), inputs the task does not take, or a call from scikit-learn's
            ``cross_val_predict`` with ``method="predict_proba"``, which relabels ``y`` as 0..K-1
            (0 is "no label" here).

        Examples
        --------
        >>> from starclass.datasets.stamps import make_synthetic
        >>> from starclass.learn.config import get_preset
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> toy = make_synthetic(cfg, 24, seed=1)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu")
        >>> clf.fit(toy.inputs, toy.class_ref) is clf
        True
        """
        # what an earlier fit learned goes first: a fit that fails below left the earlier network
        # answering predict, for other data and maybe another config than get_params() shows
        for name in [k for k in vars(self) if k.endswith("_") and not k.startswith("_")]:
            delattr(self, name)
        relabelled = _relabelling_cross_val_predict()
        if relabelled is not None:
            # it trained on shifted classes and returned their probabilities under other columns
            raise StarclassError(
                f"CNNClassifier.fit: cross_val_predict(..., method={relabelled!r}) relabels y as 0..K-1, and y "
                "here holds reference classes where 0 means 'no label' (merged to the task's classes): the "
                "folds would train on other classes than y's and the columns would not be y's classes. Loop "
                "over StratifiedKFold(...).split(X, y) and call fit and predict_proba per fold instead "
                "(docs/models.md); cross_val_predict(clf, X, y) (method='predict') gives the task's classes")
        if int(self.batch_size) < 1:
            raise StarclassError(f"CNNClassifier: batch_size={self.batch_size!r} must be >= 1")
        if self.precision is not None:
            # only predict_proba uses it: checked here, a bad one surfaced after the whole training
            parse_precision(self.precision, "CNNClassifier: precision")
        refuse_catalogue(X, "CNNClassifier.fit: X")
        cfg = self._task_config()
        X, y, positions, galaxies, val_index = _leave_out_unusable(X, y, cfg, positions, galaxies, val_index)
        workdir = None if self.outdir is None else Path(self.outdir)
        scratch = tempfile.mkdtemp(prefix="starclass-fit-") if workdir is None else None
        try:
            with warnings.catch_warnings():
                # train_fit warns the calibration's cautions at this line; warned below at the caller's
                warnings.filterwarnings("ignore", category=CalibrationFitWarning)
                result = train_fit(
                    cfg, X, y, outdir=workdir or scratch, positions=positions, galaxies=galaxies,
                    seed=self.seed, resume=bool(self.resume) and workdir is not None,
                    progress=self.progress, device=self.device, epochs=self.epochs,
                    ensemble=self.ensemble, holdout=holdout, val_index=val_index)
            if workdir is not None and Path(result.model_path).is_dir():
                from starclass.learn.checkpoint import set_fitted_on_inputs

                # the model left in outdir, loaded from there, was told to cut its cutouts to stamp_size
                set_fitted_on_inputs(result.model_path)
            model = load_model(result.model_path, device=result.device)
            model.fitted_on_inputs = True  # classify_cutouts assumes no stamp_size cutouts of it (see the field)
            if model.calibration is not None:
                from starclass.learn.calibration import ModelCalibration

                # the validation split's calibration cautions, which starclass train prints among its notes: a
                # notebook's fit said nothing of a temperature fitted on 9 rows
                _warn_cautions(ModelCalibration.from_dict(model.calibration), cfg.class_names)
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
        self._set_model(model)
        self.history_ = result.histories
        self.best_epochs_ = result.best_epochs
        self.val_accuracy_ = result.val_accuracy
        self.val_balanced_accuracy_ = result.val_balanced_accuracy
        return self

    def _set_model(self, model: LoadedModel) -> None:
        self.model_ = model
        self.config_ = model.config
        self.classes_ = np.asarray(model.classes, dtype=np.int64)

    def _fitted(self) -> LoadedModel:
        if not hasattr(self, "model_"):
            from starclass.errors import NotFittedError

            # scikit-learn's exception (check_is_fitted's habit), still a StarclassError for the CLI
            raise NotFittedError("CNNClassifier: call fit() (or CNNClassifier.load) first")
        return self.model_

    # ------------------------------------------------------------------ prediction
    def predict_proba(self, X: Any) -> np.ndarray:
        """Mean probability over the ensemble members, ``[N, K]`` (columns: ``classes_``).

        Calibrated (the model's temperature, :mod:`starclass.learn.calibration`) when the model
        carries a calibration, as ``fit`` stores when it has a validation split. A row that
        ``classify`` leaves unclassified gets NaN probabilities, with classify's warning: blank
        (constant) in some band, or with no data (all NaN) in some band, such as an all-NaN
        cutout given as it is ("band g has no data (all NaN) in 1 of 4 rows of X (row 0)").

        Parameters
        ----------
        X : array-like ``[N, C, H, W]``
            Model inputs with finite pixels (as :func:`starclass.stamps.make_inputs` makes), or
            bands without any data (all NaN).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import numpy as np
        >>> from starclass.learn.config import get_preset
        >>> from starclass.datasets.stamps import make_synthetic
        >>> toy = make_synthetic(get_preset("cool-core-compact", stamp_size=16), 24, seed=2)
        >>> clf = CNNClassifier(get_preset("cool-core-compact", stamp_size=16), epochs=1,
        ...                     device="cpu").fit(toy.inputs, toy.class_ref)
        >>> bool(np.allclose(clf.predict_proba(toy.inputs).sum(axis=1), 1))
        True
        """
        model = self._fitted()
        refuse_catalogue(X, "CNNClassifier.predict_proba: X")
        # a row classify leaves unclassified (blank, or a band without data) is NaN here, with classify's warning
        x, valid, _ = _usable_rows(X, model.config)
        res = predict_inputs(model, x, ok=valid, batch_size=int(self.batch_size), tta=bool(self.tta),
                             device=self.device, precision=self.precision)
        return res.prob_mean

    def predict(self, X: Any) -> np.ndarray:
        """Classes decided on the mean probability: the most probable, or the task's threshold.

        For a task without a decision threshold this is ``classes_[argmax(predict_proba(X))]``;
        with one (``m31-binary``), the positive class wins when its probability reaches it
        (:meth:`TaskConfig.decide`). A row :meth:`predict_proba` leaves unclassified (NaN) is class
        0, classify's "no class". ``starclass classify`` also reports the members' vote
        (``class_pred`` is their mode), which an ensemble may place elsewhere.

        Examples
        --------
        >>> import numpy as np
        >>> from starclass.learn.config import get_preset
        >>> from starclass.datasets.stamps import make_synthetic
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> toy = make_synthetic(cfg, 24, seed=3)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(toy.inputs, toy.class_ref)
        >>> set(clf.predict(toy.inputs)) <= {1, 2}
        True
        """
        prob = self.predict_proba(X)
        # an unclassified row (NaN probabilities) is class 0, as classify's class_pred: decide's argmax gave it
        # the first class
        ok = np.isfinite(prob).all(axis=1)
        pred = np.zeros(len(prob), dtype=np.int64)
        if ok.any():
            pred[ok] = self._fitted().config.decide(prob[ok])
        return pred

    def calibrate(self, X: Any, y: Any, *, method: str = "temperature", n_bins: int | None = None,
                  allow_training_rows: bool = False, source: str = "calibrate(X, y)") -> CNNClassifier:
        """Fit the model's calibration (and the rows of its conformal sets) on held-out rows, in memory.

        What ``starclass calibrate`` (:func:`starclass.learn.calibration.calibrate_model`) does to
        a model directory, done to this estimator: :meth:`predict_proba` is then calibrated,
        :meth:`predict_set` uses these rows, and :meth:`save` writes the calibration with the
        weights. It replaces the calibration ``fit`` stored from its validation split. As
        ``starclass calibrate``, it fits the map twice, on the rows classified without and with
        TTA (8x the network cost once more), so that ``tta=True`` uses the one fitted under TTA.

        Parameters
        ----------
        X : array-like ``[N, C, H, W]``
            Model inputs of rows the model was not trained on.
        y : array-like
            Their reference classes (``class_ref``), mapped with the task's merges; rows of no
            task class, and rows whose input is blank in a band, are left out.
        method : {"temperature", "vector", "histogram"}
            The calibration map (:data:`starclass.learn.calibration.CALIBRATION_METHODS`).
        n_bins : int or None
            Bins per class of histogram binning (None: the default).
        allow_training_rows : bool
            Fit even when some rows are the model's training rows (a warning counts them).
        source : str
            Recorded with the calibration (``info`` and the catalogue's meta show it).

        Returns
        -------
        CNNClassifier
            ``self``.

        Raises
        ------
        StarclassError
            Rows the model was trained on (unless ``allow_training_rows``), a task class with
            no row, or ``X`` and ``y`` of different lengths.

        Examples
        --------
        >>> from starclass.datasets.stamps import make_synthetic
        >>> from starclass.learn.config import get_preset
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> train, held_out = make_synthetic(cfg, 32, seed=0), make_synthetic(cfg, 24, seed=1)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(train.inputs, train.class_ref)
        >>> clf.calibrate(held_out.inputs, held_out.class_ref).model_.calibration["n"]
        24
        """
        from starclass.learn.calibration import (
            HISTOGRAM_BINS,
            _check_held_out,
            check_method,
            fit_model_calibration,
            leave_out_blank,
        )

        model = self._fitted()
        check_method(method)
        refuse_catalogue(X, "CNNClassifier.calibrate: X")
        X = np.asarray(X)
        cfg = model.config
        if len(X) != len(y):
            raise StarclassError(f"CNNClassifier.calibrate: {len(X)} rows of X but {len(y)} values of y")
        # class_indices reads a masked entry as no class (np.asarray first would drop the mask)
        labels = np.asarray(cfg.class_indices(y), dtype=np.int64)
        keep = labels >= 0
        if not keep.any():
            raise StarclassError(f"CNNClassifier.calibrate: no value of y is a class of the task {list(cfg.classes)}")
        # an all-NaN row was not blank to leave_out_blank (and stopped the network): filled, left out, said to
        # have no data; rows named as X's (0-based), as predict_proba names them
        X, valid, no_data = _usable_rows(X, cfg, warn=False)
        keep = leave_out_blank(X, cfg, keep, source, row_numbers=np.arange(len(X)),
                               no_data=None if valid is None else no_data)
        # the manifest's record of the training rows travels with the loaded model: the same check as calibrate's
        n_training = _check_held_out({"training_rows": model.training_rows} if model.training_rows else {},
                                     Path("(in memory)"), X, np.flatnonzero(keep), source, allow_training_rows)
        cal = fit_model_calibration(model, X[keep], labels[keep], source=source, batch_size=int(self.batch_size),
                                    device=self.device, precision=self.precision, method=method,
                                    n_bins=HISTOGRAM_BINS if n_bins is None else int(n_bins))
        cal.n_training_rows = n_training
        # as starclass calibrate says them: too few rows, a map at an end of its search
        _warn_cautions(cal, cfg.class_names)
        model.calibration = cal.to_dict()
        model.no_calibration = None
        return self

    def predict_set(self, X: Any, coverage: float = 0.9) -> np.ndarray:
        """Class-conditional conformal prediction sets, boolean ``[N, K]`` (columns ``classes_``).

        The sets ``starclass classify`` writes as ``pred_set``: each holds the true class of a
        new row with probability ``coverage``, for every class alike
        (:mod:`starclass.learn.conformal`), from the held-out rows the model's calibration
        stores (``fit``'s validation split, or :meth:`calibrate`'s rows).

        Parameters
        ----------
        X : array-like ``[N, C, H, W]``
            Model inputs.
        coverage : float
            Coverage of the sets (0-1).

        Returns
        -------
        numpy.ndarray
            Boolean ``[N, K]``: ``sets[i, j]`` is True when ``classes_[j]`` is in row i's set.

        Raises
        ------
        StarclassError
            The model carries no calibration (trained without a validation split): fit one
            with :meth:`calibrate` on held-out rows.

        Examples
        --------
        >>> from starclass.datasets.stamps import make_synthetic
        >>> from starclass.learn.config import get_preset
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> train, held_out = make_synthetic(cfg, 32, seed=0), make_synthetic(cfg, 24, seed=1)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(train.inputs, train.class_ref)
        >>> sets = clf.calibrate(held_out.inputs, held_out.class_ref).predict_set(held_out.inputs, coverage=0.8)
        >>> sets.shape, sets.dtype.name
        ((24, 2), 'bool')
        """
        from starclass.learn.calibration import ModelCalibration
        from starclass.learn.conformal import check_coverage
        from starclass.learn.provenance import row_digests

        model = self._fitted()
        c = check_coverage(coverage)
        if model.calibration is None:
            why = getattr(model, "no_calibration", None) or "none recorded"
            raise StarclassError(f"CNNClassifier.predict_set: the model carries no calibration ({why}); fit one on "
                                 "held-out rows with clf.calibrate(X_held_out, y_held_out)")
        refuse_catalogue(X, "CNNClassifier.predict_set: X")
        # a row classify leaves unclassified has no set (all False), as classify writes none for it
        X, valid, _ = _usable_rows(X, model.config)
        raw = predict_inputs(model, X, ok=valid, batch_size=int(self.batch_size), tta=bool(self.tta),
                             device=self.device, precision=self.precision, calibrated=False).prob_mean
        stored = ModelCalibration.from_dict(model.calibration, "model")
        # fitted under the same TTA mode as these probabilities (self.tta); a map of the other mode is not
        # applied, the sets scored on raw probabilities, as classify does (trust_columns)
        cal, applied = stored.for_tta(bool(self.tta)), stored.tta_mismatch(bool(self.tta)) is None
        # scored as classify scores them (trust_columns): calibrated probabilities, classes named in warnings
        conformal = cal.conformal(calibrated=applied, class_names=getattr(model.config, "class_names", None))
        # each row's smoothing draw from its own input, as classify draws it: not from its position
        keys = row_digests(X, batch_size=int(self.batch_size))
        return np.asarray(conformal.predict_set(cal.calibrate(raw) if applied else raw, coverage=c, keys=keys),
                          dtype=bool)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy against reference classes ``y`` (merged to the task's classes first).

        Candidates whose reference class maps to no task class are left out, and so are rows
        :meth:`predict` leaves unclassified (class 0), as classify's accuracy line leaves them out.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> from starclass.datasets.stamps import make_synthetic
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> toy = make_synthetic(cfg, 24, seed=4)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(toy.inputs, toy.class_ref)
        >>> 0.0 <= clf.score(toy.inputs, toy.class_ref) <= 1.0
        True
        """
        labels = self._fitted().config.map_classes(y)
        keep = labels >= 0
        if not keep.any():
            raise StarclassError(f"CNNClassifier.score: no reference class of y is one of {self.classes_.tolist()}")
        pred = self.predict(X)
        # unclassified rows (class 0: blank or without data) are left out, as classify's accuracy line leaves them
        keep &= pred != 0
        if not keep.any():
            from starclass.learn.classify import blank_words

            # in classify's words (blank_words), as predict_proba's warning names them: "blank or without data" was
            # a third wording of the two faults
            raise StarclassError(f"CNNClassifier.score: no row with a task class in y is classified (every one "
                                 f"{blank_words(False)} or {blank_words(True)} in some band)")
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[keep]
        return float(np.average(pred[keep] == labels[keep], weights=w))

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the fitted model as a model directory (``manifest.json`` + member files).

        ``starclass classify --model PATH`` and :meth:`load` read it. The directory is written
        beside ``path`` and moved into place whole (:func:`starclass.io.atomic.atomic_dir`), so
        it holds exactly this model: never member files of a larger ensemble saved there before,
        and never half a model after a failure.

        Parameters
        ----------
        path : path-like
            Directory (created). An existing non-empty one is refused unless ``overwrite``.
        overwrite : bool
            Replace a model directory at ``path`` as a whole. A folder that holds anything but
            a model's files (``manifest.json``, ``member_*.pt``, ``annotators.ecsv``,
            ``calibration_images_*.json``) is refused even then, so that no other file is deleted.

        Raises
        ------
        StarclassError
            ``path`` is a file; it is a non-empty folder and ``overwrite`` is false (an
            :class:`~starclass.errors.OutputExistsError`, also a FileExistsError, ``filename`` the
            folder); or it holds files that are not a model's (named).
            :class:`~starclass.errors.NotFittedError` before ``fit``.

        Returns
        -------
        pathlib.Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> from starclass.learn.config import get_preset
        >>> from starclass.datasets.stamps import make_synthetic
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> toy = make_synthetic(cfg, 24, seed=5)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(toy.inputs, toy.class_ref)
        >>> with tempfile.TemporaryDirectory() as d:
        ...     sorted(p.name for p in clf.save(d).iterdir())
        ['manifest.json', 'member_01.pt']
        """
        from starclass.io.atomic import atomic_dir, foreign_entries

        model = self._fitted()
        out = Path(path)
        # checked here, in the words of this method's call (save(..., overwrite=True), not atomic_dir's)
        if out.exists() and not out.is_dir():
            raise StarclassError(f"CNNClassifier.save: {out} exists and is not a folder")
        if out.is_dir() and any(out.iterdir()):
            if not overwrite:
                # as every writer's refusal (a FileExistsError too): `except FileExistsError` missed this
                raise OutputExistsError(f"CNNClassifier.save: {out} is not empty; save(..., overwrite=True) replaces "
                                        "a model saved there", out)
            foreign = foreign_entries(out, MODEL_ENTRIES)
            if foreign:
                raise StarclassError(
                    f"CNNClassifier.save: {out} holds files that are not a model's ({', '.join(foreign[:5])}"
                    f"{', ...' if len(foreign) > 5 else ''}); refusing to replace it even with overwrite=True")
        # the whole model is written to a folder beside OUT and swapped in: a smaller ensemble
        # saved over a larger one used to leave the larger one's extra member files behind
        with atomic_dir(out, overwrite=True, own=MODEL_ENTRIES) as tmp:
            entries = []
            digests = []
            for i, (net, meta) in enumerate(zip(model.members, model.checkpoints)):
                state = cpu_state(net.state_dict())
                # the digest covers the whole member, written in the current format
                ckpt = dict(meta, state_dict=state, version=CHECKPOINT_VERSION)
                ckpt["digest"] = member_digest(ckpt)
                digests.append(ckpt["digest"])
                name = member_filename(i)
                save_checkpoint(ckpt, tmp / name)
                entries.append({"file": name, "architecture": meta.get("architecture"), "seed": meta.get("seed")})
            # the record of the training rows goes with the weights (calibrate checks against it)
            # so do the records classify compares its inputs with (pixel flags, training cutouts' size):
            # a model loaded and saved again lost them, and with them classify's warnings
            write_manifest(tmp, model.config, entries, training_rows=model.training_rows,
                           pixel_flags=getattr(model, "pixel_flags", None),
                           # loaded again, a model fitted on cutout_inputs was told to cut 128 px cutouts to 64 px
                           fitted_on_inputs=bool(getattr(model, "fitted_on_inputs", False)))
            if getattr(model, "training_cutouts", None):
                from starclass.learn.checkpoint import set_training_cutouts

                tc = model.training_cutouts
                # the label and object columns too: saved again, a model scored a folder's 'label' instead of the
                # 'expert' it learnt, and evaluate resampled rows instead of its objects
                set_training_cutouts(tmp, (0, tc["channels"], tc["height"], tc["width"]),
                                     label_column=getattr(model, "training_label_column", None),
                                     group_column=getattr(model, "training_group_column", None),
                                     field_arcsec=tc.get("field_arcsec"))
            if model.calibration is not None:
                # the calibration travels with the weights, bound to the members as written here
                from starclass.learn.checkpoint import save_calibration

                entry = {k: v for k, v in model.calibration.items() if k not in ("digest", "member_digests")}
                save_calibration(tmp, entry, digests)
            elif getattr(model, "no_calibration", None):
                from starclass.learn.checkpoint import SINGLE_FILE_NO_CALIBRATION, set_no_calibration

                # why there is none travels with the weights (not "a single member file": saved here
                # as a directory, that no longer holds)
                if model.no_calibration != SINGLE_FILE_NO_CALIBRATION:
                    set_no_calibration(tmp, model.no_calibration)
        return out

    @classmethod
    def load(cls, path: str | os.PathLike, **params: Any) -> CNNClassifier:
        """A fitted classifier from a model directory or member file (``save``, ``starclass train``).

        Parameters
        ----------
        path : path-like
            The model.
        **params
            Estimator parameters (``device``, ``batch_size``, ``tta``, ``precision``, ...).

        Returns
        -------
        CNNClassifier
            With ``config`` the model's config and the learned attributes set.

        Examples
        --------
        >>> import tempfile
        >>> from starclass.learn.config import get_preset
        >>> from starclass.datasets.stamps import make_synthetic
        >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
        >>> toy = make_synthetic(cfg, 24, seed=6)
        >>> clf = CNNClassifier(cfg, epochs=1, device="cpu").fit(toy.inputs, toy.class_ref)
        >>> with tempfile.TemporaryDirectory() as d:
        ...     CNNClassifier.load(clf.save(d), device="cpu").classes_.tolist()
        [1, 2]
        """
        model = load_model(path, device=params.get("device") or "cpu")
        est = cls(model.config, **params)
        est._set_model(model)
        est.history_ = [list(c.get("history", [])) for c in model.checkpoints]
        est.best_epochs_ = [c.get("best_epoch") for c in model.checkpoints]
        est.val_accuracy_ = [c.get("final_val_acc", float("nan")) for c in model.checkpoints]
        est.val_balanced_accuracy_ = [c.get(FINAL_VAL_BALANCED_ACCURACY, float("nan")) for c in model.checkpoints]
        return est
