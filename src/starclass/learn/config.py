"""Task configurations: one classifier pipeline, several tasks.

A :class:`TaskConfig` names everything a classifier needs to be trained and applied: the
bands (and their order in the stamp array), the output classes and how reference classes
merge into them, the stamp geometry (size, StarcNet-style scales, optional upsampling of the
network input), the normalisation, the architecture (one network or an ensemble of several
architectures), the training recipe (:class:`TrainRecipe`) and, for binary tasks, the
decision threshold on the probability of the positive class.

Configs are plain dataclasses. :meth:`TaskConfig.to_dict` gives a JSON/YAML-safe dict (only
str, int, float, bool, None, lists and dicts with string keys) and
:meth:`TaskConfig.from_dict` rebuilds the identical config, so a config travels inside a
checkpoint and in a YAML file without loss.

Presets are data: one YAML file per preset in ``starclass/learn/presets/``, named
``<preset>.yaml``, read by :data:`PRESETS` (:func:`list_presets`, :func:`get_preset`,
:func:`load_config`). A preset file holds the fields of :meth:`TaskConfig.to_dict` (the
preset's name is the file name), or ``extends: <base>`` and only the fields that differ from
that preset (``recipe`` may list only the recipe fields that change)::

    # my-task.yaml: a derived preset
    extends: legus4
    description: "legus4 on two bands"
    bands: [f555w, f814w]
    recipe: {epochs: 30}

A new preset is one new file there; tests and docs list the presets from the folder.
``toy_kind`` names the synthetic generator whose stamps have the task's shape (tests,
benchmarks and the demo use it). The presets reproduce every system in the seed papers
(each file's comment cites its paper and section): ``legus4`` (StarcNet), ``phangs4``
(ResNet18 + VGG19-BN ensembles), ``m31-binary`` (ResNet-50, threshold 0.669),
``open-globular`` (VGG16), ``galaxy-cluster`` (small CNN, X-ray + optical), ``cool-core``
(ResNet-18, one X-ray band), and ``<preset>-compact``: the same tasks with
:mod:`starclass.models.compact`.

Band names of non-HST data (``r``, ``g``, ``b`` colour channels of survey images, ``xray``,
``optical``) are task-local labels: they name the stamp channels and need not be in
:data:`starclass.bands.BANDS`.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from starclass.bands import HST_BANDS, HST_PIXEL_SCALE, SOFTENING_MAG_RANGE
from starclass.errors import OutputExistsError, StarclassError, exists_refusal, parse_error_text
from starclass.io.atomic import atomic_path
from starclass.learn.precision import parse_precision
from starclass.schema import check_distinct_bands

NORMALISATIONS = ("none", "zscore", "zstd", "asinh", "rgb", "flux")
#: Cutouts enlarged to the task's stamps by at least this factor are said to be, with the ``--stamp-size`` that keeps
#: their own size (``train --stamps``: :func:`starclass.learn.cutouts.enlargement_note`; ``simulate --preset``'s
#: next line): no detail is gained, and the network reads the factor squared times the pixels
ENLARGED_FROM = 1.5
OPTIMIZERS = ("adam", "adamw", "sgd", "adadelta")
BALANCES = ("weighted_sampler", "class_weights", None)
SPLITS = ("random", "spatial", "galaxy")
LR_SCHEDULES = ("constant", "step", "cosine", "plateau")
#: Recipe entries added after models were already trained, with the value that reproduces the
#: training before them: left out of the resume digest at that value, so older models still resume.
RECIPE_NEUTRAL = {"lr_schedule": "constant", "lr_step": 10, "lr_gamma": 0.1, "lr_min_factor": 0.01,
                  "warmup_epochs": 0, "shift": 0, "noise": 0.0, "lr_factor": 0.1, "lr_patience": 3,
                  "class_mix": None, "balance_by": None, "balance_cap": 5.0, "label_smoothing": 0.0,
                  "mixup": 0.0, "rho": 0.9, "lr_min": 0.0}
#: Task entries added after models were already trained, with the value that reproduces the training
#: before them: left out of the resume digest at that value, as :data:`RECIPE_NEUTRAL`.
TASK_NEUTRAL = {"mixed_sizes": False}


def _number(value: Any, name: str, rule: str, ok) -> float:
    """``value`` as a finite float that passes ``ok``, else a StarclassError naming ``recipe.<name>``.

    Examples
    --------
    >>> _number("0.1", "mixup", ">= 0", lambda v: v >= 0)
    0.1
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    # bool is an int to float(); True would read as 1.0 and hide a mistyped entry
    if isinstance(value, bool) or not math.isfinite(v) or not ok(v):
        raise StarclassError(f"recipe.{name}={value!r} must be a number {rule}")
    return v


def _count(value: Any, name: str, minimum: int, note: str = "") -> int:
    """Refuse ``value`` unless it is a whole number >= ``minimum``, naming ``recipe.<name>``.

    ``recipe.epochs=0 must be >= 1`` for one too small, as before; ``recipe.epochs='ten' must be a
    whole number >= 1`` for one that is no whole number (it was ``int()``'s ValueError, and 2.5
    was cut to 2 without a word).

    Examples
    --------
    >>> _count("3", "epochs", 1)
    3
    >>> try:
    ...     _count(2.5, "epochs", 1)
    ... except StarclassError as exc:
    ...     print(exc)
    recipe.epochs=2.5 must be a whole number >= 1
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    tail = f" {note}" if note else ""
    if isinstance(value, bool) or not math.isfinite(number) or number != int(number):
        raise StarclassError(f"recipe.{name}={value!r} must be a whole number >= {minimum}{tail}")
    if number < minimum:
        raise StarclassError(f"recipe.{name}={value!r} must be >= {minimum}{tail}")
    return int(number)


@dataclass
class TrainRecipe:
    """How to train one task (the numbers of the paper behind each preset).

    Parameters
    ----------
    epochs : int
        Maximum number of passes over the training set.
    batch_size : int
        Mini-batch size.
    lr : float
        Initial learning rate.
    optimizer : {"adam", "adamw", "sgd", "adadelta"}
        Optimiser; ``momentum`` and ``nesterov`` apply to SGD, ``rho`` to Adadelta (PyTorch's
        ``Adadelta``, whose ``lr`` scales the step: 1.0 is Zeiler's and Keras' rate).
    rho : float
        Adadelta's decay of its running averages of squared gradients and updates, in (0, 1):
        PyTorch's default 0.9; Keras' and the galaxy-cluster paper's MobileNet 0.95.
    weight_decay : float
        L2 penalty (decoupled for AdamW).
    momentum, nesterov : float, bool
        SGD momentum and whether it is Nesterov momentum.
    augment : bool
        Random element of the dihedral group (8 rotations/flips, exact symmetries of a
        centred source) plus a ``rescale`` magnification with probability ``rescale_prob``.
    rescale, rescale_prob : float
        StarcNet's 1.07x magnification, applied with probability 0.5.
    balance : {"weighted_sampler", "class_weights", None}
        Class balancing: draw batches with inverse-frequency weights, weight the loss, or
        nothing. Both balance to ``class_mix`` when it is given, to equal classes otherwise.
    class_mix : list of float, optional
        The class mix that ``balance`` trains as if the labels had: one non-negative number per
        output class (in the order of ``TaskConfig.classes``; normalised to fractions). With
        ``"class_weights"``, class ``k`` of ``n_k`` of ``N`` training labels gets the loss weight
        ``class_mix_k / (n_k / N)``; with ``"weighted_sampler"``, batches are drawn in that mix.
        For labels chosen by a non-random rule (active learning) whose mix differs from the
        field's: the mix of a random labelled sample estimates the field's. None (default):
        equal classes. Needs ``balance`` to be one of the two.
    balance_by : str, optional
        Balance the classes *within each group* of this column of the training rows (for a
        cutout folder: a column of its CSV, e.g. a region of the sky), so that where an object
        sits no longer tells its class. Each row of class ``k`` in group ``g`` (``n_g`` rows,
        ``n_gk`` of class ``k``) is drawn with weight ``s_g mix_k / n_gk`` where
        ``s_g = min(n_g, balance_cap * min_k n_gk / mix_k)`` (``mix``: ``class_mix``, else equal
        classes): each class gets its share of every group, and no row weighs more than
        ``balance_cap`` times an unweighted row (weight 1); a group with few rows of one class
        weighs less in all, instead of repeating those rows without limit. A group that
        lacks a class cannot be balanced and is left out of the draw (the training notes say how
        many rows). Needs ``balance="weighted_sampler"``. None (default): classes balanced over
        the whole training set, as before.
    balance_cap : float
        The largest draw weight of one row with ``balance_by`` (>= 1; 1 never repeats a row more
        than an unweighted draw would on average).
    early_stopping_patience : int or None
        Stop after this many epochs without a better validation accuracy (None: never);
        the best epoch's weights are kept.
    val_fraction : float
        Fraction of the training candidates held out for validation / early stopping.
    split : {"random", "spatial", "galaxy"}
        How the validation (and test) sets are drawn: at random, by spatial region (as the
        M31 paper's train and test regions), or leaving whole galaxies out.
    ensemble_size : int
        Members per architecture when ``TaskConfig.architecture`` is a single name.
    seeds : int or list of int
        A base seed (member ``k`` uses ``seeds + k``) or one seed per member.
    amp : bool or "bf16"
        Precision (:mod:`starclass.learn.precision`): True = mixed precision on CUDA, float32 on a
        CPU; "bf16" = bfloat16 autocast on any device, CPU included (on CPUs with bfloat16
        units 1.0x to 5.4x as fast, by network: docs/training.md, Precision); False = float32.
        Inference uses the same setting.
    dropout : float
        Dropout before the classifier layer, where the architecture has one.
    lr_schedule : {"constant", "step", "cosine", "plateau"}
        Learning rate against epoch: constant (also ``None``); multiplied by ``lr_gamma`` every
        ``lr_step`` epochs; cosine-annealed from ``lr`` to ``lr * lr_min_factor`` over the epochs;
        or ``"plateau"``: multiplied by ``lr_factor`` after ``lr_patience`` epochs without a lower
        validation loss (training loss without a validation set), PyTorch's
        ``ReduceLROnPlateau``, as the galaxy-cluster paper (Kosiba et al. 2020) trains.
    lr_step, lr_gamma, lr_min_factor : int, float, float
        Parameters of the step and cosine schedules.
    lr_factor, lr_patience : float, int
        The plateau schedule's factor (0 < f < 1) and patience in epochs.
    lr_min : float
        The plateau schedule's floor: the rate is never lowered below it (``ReduceLROnPlateau``'s
        ``min_lr``; Keras' "minimal lr", 0.01 for the galaxy-cluster paper's MobileNet). 0: none.
    warmup_epochs : int
        Epochs of linear warm-up from ``lr / (warmup_epochs + 1)`` before the schedule (helps SGD at
        1e-2 with a deep network trained from scratch).
    shift : int
        Augmentation: translate each stamp by a random whole number of pixels in
        ``[-shift, shift]`` on each axis (the M31 paper's translation); 0 = none.
    noise : float
        Augmentation: add Gaussian noise of a standard deviation drawn uniformly in
        ``[0, noise]`` times each stamp's own per-channel standard deviation (the M31 paper's
        "Gaussian enhancement"); 0 = none.
    label_smoothing : float
        In ``[0, 1)``: the training loss's target is mixed with the uniform distribution over the
        classes, ``(1 - label_smoothing) * target + label_smoothing / K`` (PyTorch's
        ``cross_entropy(label_smoothing=...)``; hard labels and soft targets alike), which keeps the
        network from driving its logits to extremes on a small training set. The validation loss
        (early stopping, the plateau schedule) stays the plain cross-entropy. 0 = none.
    mixup : float
        Mixup (Zhang et al. 2018) with this Beta(alpha, alpha) parameter: each training batch is
        replaced by ``lam * x + (1 - lam) * x[perm]`` (after the other augmentations) with
        ``lam ~ Beta(alpha, alpha)`` and ``perm`` a permutation of the batch, and the loss by
        ``lam * loss(y) + (1 - lam) * loss(y[perm])`` (hard labels and soft targets alike). ``lam``
        and ``perm`` come from the epoch's training generator, so runs stay deterministic and a
        resumed run equals an uninterrupted one. Small alphas (0.1-0.4) mostly keep ``lam`` near 0
        or 1. 0 = none.
    calibration : {"temperature", "vector", "histogram"}
        How the finished ensemble is calibrated on the validation split
        (:mod:`starclass.learn.calibration`): one temperature, or a scale and a bias per class
        (vector scaling), or histogram binning (15 bins per class; with fewer than 1,500 validation
        rows the temperature is fitted instead, and the training notes say so). It does not
        change the training, so it is left out of the resume digest.

    Examples
    --------
    >>> TrainRecipe(lr_schedule="plateau", lr_factor=0.5).to_dict()["lr_schedule"]
    'plateau'
    >>> TrainRecipe(lr_schedule=None).lr_schedule  # None reads as constant, as before the option
    'constant'
    """

    epochs: int = 15
    batch_size: int = 128
    lr: float = 1e-4
    optimizer: str = "adam"
    weight_decay: float = 0.0
    momentum: float = 0.9
    nesterov: bool = False
    rho: float = 0.9
    augment: bool = True
    rescale: float = 1.07
    rescale_prob: float = 0.5
    balance: str | None = "weighted_sampler"
    class_mix: list[float] | None = None
    balance_by: str | None = None
    balance_cap: float = 5.0
    early_stopping_patience: int | None = 5
    val_fraction: float = 0.1
    split: str = "random"
    ensemble_size: int = 1
    seeds: int | list[int] = 0
    amp: bool | str = True
    dropout: float = 0.0
    lr_schedule: str | None = "constant"
    lr_factor: float = 0.1
    lr_patience: int = 3
    lr_min: float = 0.0
    lr_step: int = 10
    lr_gamma: float = 0.1
    lr_min_factor: float = 0.01
    warmup_epochs: int = 0
    shift: int = 0
    noise: float = 0.0
    label_smoothing: float = 0.0
    mixup: float = 0.0
    calibration: str = "temperature"

    def __post_init__(self) -> None:
        if self.lr_schedule is None:
            self.lr_schedule = "constant"
        if self.lr_schedule not in LR_SCHEDULES:
            raise StarclassError(f"recipe.lr_schedule={self.lr_schedule!r}: use one of {LR_SCHEDULES}")
        if self.lr_schedule == "plateau" and _count(self.warmup_epochs, "warmup_epochs", 0) > 0:
            # the plateau schedule is stateful (it follows the validation loss), the warm-up a
            # function of the epoch: the two would overwrite each other's rates
            raise StarclassError("recipe.warmup_epochs works with the constant, step and cosine schedules, "
                                 "not with plateau")
        # every number is kept as its declared type (float, int, bool): PyYAML reads 1e-4 (no dot) as the
        # string '1e-4', which was checked but kept, so a model's stored recipe said lr '1e-4' (a str)
        self.lr_factor = _number(self.lr_factor, "lr_factor", "in (0, 1)", lambda v: 0.0 < v < 1.0)
        self.lr_patience = _count(self.lr_patience, "lr_patience", 0)
        if self.optimizer not in OPTIMIZERS:
            raise StarclassError(f"recipe.optimizer={self.optimizer!r}: use one of {OPTIMIZERS}")
        if self.balance not in BALANCES:
            raise StarclassError(f"recipe.balance={self.balance!r}: use one of {BALANCES}")
        if self.split not in SPLITS:
            raise StarclassError(f"recipe.split={self.split!r}: use one of {SPLITS}")
        if self.class_mix is not None:
            try:
                mix = np.asarray(self.class_mix, dtype=float).ravel()
            except (TypeError, ValueError):
                mix = np.array([np.nan])
            if mix.size < 2 or not np.all(np.isfinite(mix)) or np.any(mix < 0) or not mix.sum() > 0:
                raise StarclassError(f"recipe.class_mix={self.class_mix!r}: give one non-negative number per "
                                     "class, not all zero")
            if self.balance is None:
                raise StarclassError("recipe.class_mix needs recipe.balance 'class_weights' or 'weighted_sampler' "
                                     "(balance None trains on the labels' own mix)")
            self.class_mix = [float(v) for v in mix]
        if self.balance_by is not None:
            if not isinstance(self.balance_by, str) or not self.balance_by.strip():
                raise StarclassError(f"recipe.balance_by={self.balance_by!r}: give the name of a column")
            if self.balance != "weighted_sampler":
                # the loss weights of "class_weights" are per class, not per row
                raise StarclassError(f"recipe.balance_by needs recipe.balance 'weighted_sampler' "
                                     f"(it is {self.balance!r})")
        try:
            cap = float(self.balance_cap)
        except (TypeError, ValueError):
            cap = float("nan")
        if not (math.isfinite(cap) and cap >= 1.0):
            raise StarclassError(f"recipe.balance_cap={self.balance_cap!r} must be a number >= 1")
        self.balance_cap = cap
        # every count and number of the recipe is checked here, where a task file is read: one
        # that is no number (weight_decay: abc, epochs: ten) or out of range (rescale_prob: 5) was
        # taken as it was, and train stopped with a ValueError traceback from int() or float() (or
        # torch's) once the data had been read, or trained on it without a word
        for name in ("epochs", "batch_size", "ensemble_size"):
            setattr(self, name, _count(getattr(self, name), name, 1))
        for name, rule, ok in (("weight_decay", ">= 0 (the L2 penalty; 0: none)", lambda v: v >= 0.0),
                               ("momentum", "in [0, 1) (SGD's momentum)", lambda v: 0.0 <= v < 1.0),
                               ("rescale", "> 0 (the augmentation's magnification; StarcNet's 1.07)",
                                lambda v: v > 0.0),
                               ("rescale_prob", "in [0, 1] (the magnification's probability)",
                                lambda v: 0.0 <= v <= 1.0),
                               ("dropout", "in [0, 1) (0: the architecture's own)", lambda v: 0.0 <= v < 1.0)):
            # converted (it was "checked, not converted" so that a resume digest stayed as written: a
            # checkpoint's settings are now compared as numbers, train._settings)
            setattr(self, name, _number(getattr(self, name), name, rule, ok))
        for name in ("nesterov", "augment"):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)) and value not in (0, 1):
                raise StarclassError(f"recipe.{name}={value!r} must be true or false")
            setattr(self, name, bool(value))
        self.val_fraction = _number(self.val_fraction, "val_fraction", "in [0, 1)", lambda v: 0.0 <= v < 1.0)
        try:
            lr = float(self.lr)
        except (TypeError, ValueError):
            lr = float("nan")
        if isinstance(self.lr, bool) or not lr > 0 or not math.isfinite(lr):  # "not >" also refuses NaN
            raise StarclassError(f"recipe.lr={self.lr!r} must be a positive number")
        self.lr = lr
        if self.early_stopping_patience is not None:
            self.early_stopping_patience = _count(self.early_stopping_patience, "early_stopping_patience", 0,
                                                  "(0 or null: no early stopping)")
        self.lr_step = _count(self.lr_step, "lr_step", 1)
        for name in ("lr_gamma", "lr_min_factor"):
            setattr(self, name, _number(getattr(self, name), name, "in (0, 1]", lambda v: 0.0 < v <= 1.0))
        for name in ("warmup_epochs", "shift"):
            setattr(self, name, _count(getattr(self, name), name, 0))
        self.noise = _number(self.noise, "noise", ">= 0 (0: no noise augmentation)", lambda v: v >= 0.0)
        self.label_smoothing = _number(self.label_smoothing, "label_smoothing", "in [0, 1) (0: no smoothing)",
                                       lambda v: 0.0 <= v < 1.0)
        self.rho = _number(self.rho, "rho", "in (0, 1) (Adadelta's decay; PyTorch's default 0.9)",
                           lambda v: 0.0 < v < 1.0)
        self.lr_min = _number(self.lr_min, "lr_min", ">= 0 (the plateau schedule's floor; 0: none)",
                              lambda v: v >= 0.0)
        self.mixup = _number(self.mixup, "mixup", ">= 0 (the Beta(alpha, alpha) parameter; 0: no mixup)",
                             lambda v: v >= 0.0)
        if isinstance(self.seeds, tuple):
            self.seeds = list(self.seeds)
        for seed in self.seeds if isinstance(self.seeds, list) else [self.seeds]:
            # as train --seed (min=0): numpy's generators take no negative seed, and a task file's
            # seeds: -1 (or CNNClassifier(seed=-1)) stopped the split with numpy's traceback
            # a whole float (seeds: 2.0) was taken before (member_seed's int()) and still is
            whole = isinstance(seed, (int, np.integer, float, np.floating)) and not isinstance(seed, bool) \
                and math.isfinite(float(seed)) and float(seed) == int(seed)
            if not whole or seed < 0:
                raise StarclassError(f"recipe.seeds={self.seeds!r}: each seed must be a whole number >= 0")
        self.seeds = [int(s) for s in self.seeds] if isinstance(self.seeds, list) else int(self.seeds)
        self.amp = parse_precision(self.amp, "recipe.amp")
        from starclass.learn.calibration_methods import check_method

        check_method(self.calibration, "recipe.calibration")

    def lr_at(self, epoch: int) -> float:
        """Learning rate of 0-based ``epoch``: warm-up, then the schedule (a pure function of the
        epoch, so a resumed run sets the same rates as an uninterrupted one).

        Examples
        --------
        >>> r = TrainRecipe(lr=1.0, epochs=4, lr_schedule="step", lr_step=2, lr_gamma=0.5)
        >>> [r.lr_at(e) for e in range(4)]
        [1.0, 1.0, 0.5, 0.5]
        >>> TrainRecipe(lr=1.0, warmup_epochs=1).lr_at(0)
        0.5
        """
        lr, e = float(self.lr), int(epoch)
        w = int(self.warmup_epochs)
        if e < w:
            return lr * (e + 1) / (w + 1)
        e -= w
        span = max(1, int(self.epochs) - w)
        if self.lr_schedule == "step":
            return lr * float(self.lr_gamma) ** (e // int(self.lr_step))
        if self.lr_schedule == "cosine":
            lo = lr * float(self.lr_min_factor)
            return lo + 0.5 * (lr - lo) * (1 + math.cos(math.pi * min(e, span - 1) / max(1, span - 1)))
        return lr

    def member_seed(self, index: int) -> int:
        """Seed of ensemble member ``index`` (0-based)."""
        if isinstance(self.seeds, list):
            if index >= len(self.seeds):
                raise StarclassError(
                    f"recipe.seeds lists {len(self.seeds)} seeds but member {index} was asked for"
                )
            return int(self.seeds[index])
        return int(self.seeds) + int(index)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if isinstance(d["seeds"], tuple):
            d["seeds"] = list(d["seeds"])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainRecipe:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise StarclassError(_unknown_keys(unknown, known, "recipe: "))
        return cls(**d)




def _yaml_value(value: Any) -> str:
    """``value`` as a task file should spell it: a number that YAML read as a string in its own form.

    PyYAML reads ``1e-4`` (no dot) as the string ``'1e-4'``; the hint for a recipe field written at
    the top level said ``write recipe: {lr: "1e-4"}``, a string again.

    Examples
    --------
    >>> _yaml_value("1e-4"), _yaml_value("1e-05"), _yaml_value(3), _yaml_value("adam")
    ('0.0001', '1.0e-05', '3', '"adam"')
    """
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if math.isfinite(number):
            text = repr(number)
            mantissa, e, exponent = text.partition("e")
            # YAML 1.1 (PyYAML) reads a float only with a dot in it: 1e-05 would be a string
            return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text
    return json.dumps(value, default=str)


def _unknown_keys(unknown: set[str], known: set[str], where: str = "", values: Mapping[str, Any] | None = None) -> str:
    """``unknown keys ['clases'] (did you mean 'classes'?); known: [...]``, for a task file's misspelt key.

    With ``values`` (the task file's mapping), a recipe field written at the top level
    (``epochs: 3``) is named as one, with the ``recipe:`` line to write instead.

    Examples
    --------
    >>> _unknown_keys({"clases"}, {"classes", "bands"})
    "unknown keys ['clases'] (did you mean 'classes'?); known: ['bands', 'classes']"
    >>> "(a recipe field: write recipe: {epochs: 3})" in _unknown_keys({"epochs"}, {"classes"}, values={"epochs": 3})
    True
    """
    import difflib

    names = sorted(unknown, key=str)
    recipe_fields = {f.name for f in fields(TrainRecipe)}
    hints = []
    if values is not None and (in_recipe := [k for k in names if k in recipe_fields]):
        said = ", ".join(f"{k}: {_yaml_value(values.get(k))}" for k in in_recipe)
        hints.append(f"a recipe field: write recipe: {{{said}}}" if len(in_recipe) == 1 else
                     f"recipe fields: write recipe: {{{said}}}")
    close = [m for k in names if k not in recipe_fields or values is None
             for m in difflib.get_close_matches(str(k), sorted(known), n=1)]
    if close:
        hints.append(f"did you mean {', '.join(map(repr, close))}?")
    hint = f" ({'; '.join(hints)})" if hints else ""
    return f"{where}unknown keys {names}{hint}; known: {sorted(known)}"


def _whole(value: Any, what: str) -> int:
    """``value`` as an int, or a StarclassError naming ``what`` (``"task 'x': stamp_size"``).

    Examples
    --------
    >>> _whole("32", "stamp_size"), _whole(32.0, "stamp_size")
    (32, 32)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not np.isfinite(number) or number != int(number):
        name, _, field = what.rpartition(": ")
        raise StarclassError(f"{name + ': ' if name else ''}{field}={value!r} is not a whole number")
    return int(number)


def _real(value: Any, what: str) -> float:
    """``value`` as a finite float, or a StarclassError naming ``what``.

    Examples
    --------
    >>> _real("0.5", "threshold")
    0.5
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not np.isfinite(number):
        name, _, field = what.rpartition(": ")
        raise StarclassError(f"{name + ': ' if name else ''}{field}={value!r} is not a number")
    return number

def _class_number(value: Any, what: str) -> int:
    """``value`` as a class number (a whole number >= 1), or a StarclassError naming ``what``.

    A task file's classes, ``positive_class``, ``label_map`` values and ``eval_merges`` members are
    class numbers; a name given there (``positive_class: galaxy``) stopped ``int()`` with a
    traceback, and a fraction (``positive_class: 1.5``) was cut to a class silently.

    Examples
    --------
    >>> _class_number("2", "positive_class"), _class_number(2.0, "positive_class")
    (2, 2)
    >>> try:
    ...     _class_number("galaxy", "task 'x': positive_class")
    ... except StarclassError as exc:
    ...     print(exc)
    task 'x': positive_class='galaxy' is not a class number (a whole number >= 1)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not np.isfinite(number) or number != int(number) or number < 1:
        name, _, field = what.rpartition(": ")
        raise StarclassError(f"{name + ': ' if name else ''}{field}={value!r} is not a class number "
                             "(a whole number >= 1)")
    return int(number)


def _named_class_hint(value: Any, classes: list[int], names: list[str],
                      label_map: Mapping[str, int] | None = None) -> str:
    """``; galaxy is class 2: write 2`` when ``value`` names a class (or a label mapped to one), else the classes.

    Examples
    --------
    >>> _named_class_hint("galaxy", [1, 2], ["star", "galaxy"])
    '; galaxy is class 2: write 2'
    >>> _named_class_hint("gal", [1, 2], ["star", "galaxy"], {"gal": 2})
    "; label 'gal' is class 2 (galaxy) in label_map: write 2"
    >>> _named_class_hint("x", [1, 2], ["star", "galaxy"])
    '; the classes are 1 (star), 2 (galaxy)'
    """
    matches = [c for c, n in zip(classes, names) if str(n) == str(value)]
    if len(matches) == 1:
        return f"; {value} is class {matches[0]}: write {matches[0]}"
    if label_map and str(value) in label_map and label_map[str(value)] in classes:
        c = label_map[str(value)]
        return f"; label {str(value)!r} is class {c} ({names[classes.index(c)]}) in label_map: write {c}"
    return "; the classes are " + ", ".join(f"{c} ({n})" for c, n in zip(classes, names))


@dataclass
class TaskConfig:
    """Everything a classifier needs: data layout, classes, network, recipe, threshold.

    Parameters
    ----------
    name, description : str
        Identifier (preset name) and one line for humans.
    bands : list of str
        Band (channel) names, in the order of the stamp array.
    classes : list of int
        Output classes, in the order of the network's outputs (logit ``k`` is
        ``classes[k]``). Classes are positive integers; 0 means "none".
    class_names : list of str
        One name per output class.
    merge : dict of int to int
        Reference class -> output class (e.g. ``{1: 1, 2: 1, 3: 2, 4: 2}`` for cluster versus
        non-cluster). Empty: identity (reference classes are output classes).
    pixel_scale : float
        Arcsec per pixel of the images the task expects.
    stamp_size : int
        Side of the square stamps cut from the mosaics (px).
    scales : list of float
        Magnifications of the stamp fed to the network (StarcNet: ``[1.0, 1.6, 3.2]``): each
        scale is the central ``stamp_size / scale`` pixels resampled (nearest neighbour) to
        ``stamp_size``. Channels of the network input are scale-major: all bands of scale 1,
        then all bands of scale 2, ...
    input_size : int or None
        Side of the image the network sees; when it differs from ``stamp_size`` the model
        resamples its input (bilinear) inside ``forward``. None: the stamp size.
    normalisation : {"none", "zscore", "zstd", "asinh", "rgb", "flux"}
        Stamp normalisation (applied by ``starclass.stamps``); "zstd" is the plain per-stamp
        mean / standard deviation z-score of the M31 paper (robust "zscore" uses median and
        MAD); "rgb" combines the bands into
        three colour channels (StarcNet's transfer-learning input); "flux" keeps brightness
        and colours (zeropoint-scaled asinh of the sky-subtracted pixels).
    softening_mag : float or "auto"
        ``flux`` normalisation: magnitude of one pixel where the asinh stretch turns from
        linear to logarithmic (about the per-pixel sky noise; 28 suits the simulated HST and
        M31 fields). ``"auto"``: measured from the training mosaics
        (:func:`starclass.stamps.noise.resolve_softening`) and stored as a number with the model.
    architecture : str or list of dict
        A registry name (``starclass.models.available()``) or an ensemble: a list of
        ``{"architecture": name, "n": members, "arch_options": {...}}``.
    arch_options : dict
        Options passed to the architecture's builder (for a list, the defaults that each
        entry's own ``arch_options`` update).
    recipe : TrainRecipe
        The training recipe.
    threshold : float or None
        Binary tasks: predict ``positive_class`` when its probability is >= threshold (None:
        the most probable class).
    positive_class : int or None
        The class the threshold applies to (binary tasks).
    eval_merges : dict or None
        Merged class sets that evaluation also scores: merge name -> {group label -> list of
        classes}, two or more groups, each class in exactly one. None: the PHANGS merges (``12v34``,
        ``123v4``, ``12_3_4``) for classes 1-4 named as the PHANGS classes (or unnamed), none
        otherwise (:mod:`starclass.evaluate.task`); ``{}``: none.
    toy_kind : str or None
        The synthetic generator of :mod:`starclass.datasets.stamps` (``KINDS``) that makes
        stamps and labels of this task's shape for tests, benchmarks and the demo. None:
        chosen from the bands and classes (:func:`starclass.datasets.stamps.synthetic_kind`).
    label_map : dict of str to int
        Label strings of cutout folders (:mod:`starclass.io.cutout_folders`) -> classes
        (e.g. ``{"cluster": 1, "extended_cluster": 1, "galaxy": 2}``); stored with the model.
        Empty: labels are class numbers. The classes are reference classes, sent through
        ``merge`` like any label: with a ``merge``, they are its keys (m31-binary, merge
        ``{1: 1, 2: 1, 3: 2, 4: 2}``: ``{cluster: 1, galaxy: 4}``); without, the task's classes.
    group_column : str or None
        Cutout folders: the column naming each cutout's object; rows of one object stay on
        one side of every split (``m31-real``: ``object_id``).
    mixed_sizes : bool
        Cutout folders: take cutouts of different pixel sizes, each resampled over its whole
        field to ``stamp_size`` (said once per run), as ``cool-core`` does: its images cover a fixed
        physical size (1 Mpc) at different redshifts, so their pixel counts differ. False (the default
        of every other preset): a folder of mixed sizes is refused, since the cutouts of one survey
        (PAndAS) differing in size are usually a mistake that would show objects at other scales.

    Examples
    --------
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)   # a TaskConfig
    >>> cfg.classes, cfg.class_names, cfg.n_channels
    ([1, 2], ['cluster', 'non-cluster'], 2)
    >>> cfg.map_classes([1, 2, 0]).tolist()                         # reference classes -> task classes
    [1, 2, -1]
    """

    name: str
    description: str = ""
    bands: list[str] = field(default_factory=lambda: list(HST_BANDS))
    classes: list[int] = field(default_factory=lambda: [1, 2, 3, 4])
    class_names: list[str] = field(default_factory=list)
    merge: dict[int, int] = field(default_factory=dict)
    pixel_scale: float = HST_PIXEL_SCALE
    stamp_size: int = 32
    scales: list[float] = field(default_factory=lambda: [1.0])
    input_size: int | None = None
    normalisation: str = "zscore"
    softening_mag: float | str = 28.0
    architecture: str | list[dict[str, Any]] = "starcnet"
    arch_options: dict[str, Any] = field(default_factory=dict)
    recipe: TrainRecipe = field(default_factory=TrainRecipe)
    threshold: float | None = None
    positive_class: int | None = None
    eval_merges: dict[str, dict[str, list[int]]] | None = None
    toy_kind: str | None = None
    label_map: dict[str, int] = field(default_factory=dict)
    group_column: str | None = None
    mixed_sizes: bool = False

    # ------------------------------------------------------------------ checks
    def __post_init__(self) -> None:
        where = f"task config {self.name!r}"
        # a task file's 'bands: F814W' (a string, not a list) was read letter by letter: five bands f, 8, 1, 4, w,
        # refused only when the images were read; 'class_names: ab' named the classes a and b without a word
        for key, example in (("bands", "[F555W, F814W]"), ("class_names", "[cluster, galaxy]"),
                             ("scales", "[1.0, 2.0]")):
            value = getattr(self, key)
            if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple, np.ndarray)):
                parts = str(value).replace(",", " ").split() if isinstance(value, (str, int, float)) else []
                raise StarclassError(f"{where}: {key}={value!r} must be a list, e.g. {key}: {example}"
                                     + (f"; write {key}: [{', '.join(parts)}]" if parts else ""))
        self.bands = [str(b).lower() for b in self.bands]
        if not isinstance(self.classes, (list, tuple)):
            raise StarclassError(f"{where}: classes={self.classes!r} must be a list of class numbers, e.g. [1, 2, 3]")
        # class numbers only: label strings ('open') belong in label_map and names in class_names; a
        # name here stopped int() with a traceback
        try:
            self.classes = [_class_number(c, f"{where}: classes entry") for c in self.classes]
        except StarclassError as exc:
            raise StarclassError(f"{exc}; classes are numbers: label strings (such as those of a cutout folder) go "
                                 "in label_map (e.g. {open: 1, globular: 2}) and the classes' names in class_names"
                                 ) from None
        # named: float("x") said only "could not convert string to float"
        self.scales = [_real(v, f"{where}: scales entry") for v in self.scales]
        if not isinstance(self.merge, Mapping):
            # 'merge:' left empty stopped with "TypeError: 'NoneType' object is not iterable"; null is not "no
            # merge" here, as m31-binary's remedy for labels in its own classes is exactly 'merge: {}'
            raise StarclassError(f"{where}: merge={self.merge!r} must map reference classes to the task's classes, "
                                 "e.g. merge: {1: 1, 2: 1, 3: 2, 4: 2}; write merge: {} for none")
        try:
            self.merge = {int(k): int(v) for k, v in self.merge.items()}
        except (TypeError, ValueError):
            raise StarclassError(f"{where}: merge={self.merge!r} must map class numbers to class numbers, e.g. "
                                 "merge: {1: 1, 2: 1, 3: 2, 4: 2}") from None
        if isinstance(self.recipe, dict):
            self.recipe = TrainRecipe.from_dict(self.recipe)
        elif not isinstance(self.recipe, TrainRecipe):
            # 'recipe: 3' stopped training with "AttributeError: 'int' object has no attribute 'to_dict'"
            raise StarclassError(f"{where}: recipe={self.recipe!r} must map recipe fields to values, e.g. "
                                 "recipe: {epochs: 20, lr: 0.001}")
        if not isinstance(self.arch_options, Mapping):
            # 'arch_options: adapter' stopped with dict()'s "dictionary update sequence element #0 has length 1"
            raise StarclassError(f"{where}: arch_options={self.arch_options!r} must map option names to values, "
                                 "e.g. arch_options: {adapter: conv1x1}")
        self.arch_options = dict(self.arch_options)
        if not self.class_names:
            self.class_names = [f"class {c}" for c in self.classes]
        self.class_names = [str(n) for n in self.class_names]
        if not self.bands:
            raise StarclassError(f"{where}: 'bands' is empty")
        # the one check of --bands and the functions ("'bands' has duplicates" was its own copy)
        check_distinct_bands(self.bands, f"{where}: 'bands'")
        if len(self.classes) < 2:
            raise StarclassError(f"{where}: 'classes' needs at least two classes, got {self.classes}")
        if repeated := sorted({c for c in self.classes if list(self.classes).count(c) > 1}):
            # "must be distinct positive ints, got [1, 2, 2]" left the user to find the repeat in a long list
            times = {2: "twice"}
            twice = ", ".join(f"class {c} {times.get(n := list(self.classes).count(c), f'{n} times')}"
                              for c in repeated)
            raise StarclassError(f"{where}: 'classes' must list each class once, and {self.classes} lists {twice}: "
                                 "remove the repeat (class_names gives one name per class, in the same order)")
        if min(self.classes) < 1:
            raise StarclassError(f"{where}: 'classes' must be distinct positive ints, got {self.classes}")
        if len(self.class_names) != len(self.classes):
            raise StarclassError(
                f"{where}: {len(self.class_names)} class_names for {len(self.classes)} classes"
            )
        twice = sorted({n for n in self.class_names if self.class_names.count(n) > 1})
        if twice:
            # two classes of one name read as one in every table, figure and message ('1 = galaxy, 2 = galaxy')
            raise StarclassError(f"{where}: class_names {self.class_names} name {', '.join(map(repr, twice))} more "
                                 f"than once: give each of the classes {self.classes} its own name")
        mix = getattr(self.recipe, "class_mix", None)
        if mix is not None and len(mix) != len(self.classes):
            raise StarclassError(f"{where}: recipe.class_mix has {len(mix)} numbers for {len(self.classes)} "
                                 f"classes {self.classes}")
        if self.label_map is not None and not isinstance(self.label_map, Mapping):
            raise StarclassError(f"{where}: label_map={self.label_map!r} must map each label string to a class "
                                 "number, e.g. {open: 1, OC: 1, globular: 2}")
        label_map = {}
        for k, v in dict(self.label_map or {}).items():
            try:
                label_map[str(k)] = _class_number(v, f"{where}: label_map[{str(k)!r}]")
            except StarclassError as exc:
                raise StarclassError(f"{exc}{_named_class_hint(v, self.classes, self.class_names)}") from None
        self.label_map = label_map
        # labels become reference classes, which training (map_classes) and evaluation (reference_labels)
        # then send through merge: with a merge the map's classes are merge's keys. Checked against the
        # output classes, m31-binary's {cluster: 1, galaxy: 2} passed and trained galaxies as clusters (2 -> 1)
        # while {galaxy: 4} was refused
        targets = sorted(self.merge) if self.merge else self.classes
        bad_labels = {k: v for k, v in self.label_map.items() if v not in targets}
        if bad_labels and self.merge:
            raise StarclassError(f"{where}: 'label_map' maps to classes not among the reference classes {targets} of "
                                 f"'merge' {self.merge} (labels become reference classes, which merge sends to the "
                                 f"task's classes {self.classes}): {bad_labels}")
        if bad_labels:
            raise StarclassError(f"{where}: 'label_map' maps to classes not in {self.classes}: {bad_labels}")
        bad = {k: v for k, v in self.merge.items() if v not in self.classes and v != 0}
        if bad:
            raise StarclassError(f"{where}: 'merge' maps to classes not in {self.classes}: {bad}")
        if self.normalisation not in NORMALISATIONS:
            raise StarclassError(
                f"{where}: normalisation={self.normalisation!r}; use one of {NORMALISATIONS}"
            )
        if isinstance(self.softening_mag, str) and self.softening_mag.strip().lower() == "auto":
            self.softening_mag = "auto"
        else:
            given = self.softening_mag
            try:
                self.softening_mag = float(given)
            except (TypeError, ValueError):
                self.softening_mag = float("nan")
            lo, hi = SOFTENING_MAG_RANGE
            # bounded as the cutouts option is: -1e308 overflowed the flux stretch
            if not lo <= self.softening_mag <= hi:
                raise StarclassError(f"{where}: softening_mag={given!r}; use a magnitude in {lo:g}-{hi:g} (a pixel's "
                                     "sky noise, about 28 for HST) or 'auto'")
        # converted with the field named: int("big") said only "invalid literal for int()"
        self.stamp_size = _whole(self.stamp_size, f"{where}: stamp_size")
        _check_side(self.stamp_size, f"{where}: stamp_size")
        if self.input_size is not None:
            self.input_size = _whole(self.input_size, f"{where}: input_size")
            _check_side(self.input_size, f"{where}: input_size")
        if not self.scales or min(self.scales) < 1.0:
            raise StarclassError(f"{where}: scales must be >= 1.0, got {self.scales}")
        if self.pixel_scale is not None:
            # kept as a float: pixel_scale: 4e-2 (PyYAML's string '4e-2') was checked and kept a str
            self.pixel_scale = _real(self.pixel_scale, f"{where}: pixel_scale")
            if self.pixel_scale <= 0:
                raise StarclassError(f"{where}: pixel_scale={self.pixel_scale} must be > 0")
        if self.threshold is not None:
            self.threshold = _real(self.threshold, f"{where}: threshold")
            if not (0.0 <= self.threshold <= 1.0):
                raise StarclassError(f"{where}: threshold={self.threshold} must be in [0, 1]")
            if len(self.classes) != 2:
                # as classify --threshold: P(positive) >= T decides between two classes; on more it silently
                # overruled the most probable class. Said before a missing positive_class: a five-class file
                # extending galaxy-cluster with 'positive_class: null' was told only "a threshold needs a
                # positive_class", which no positive_class mends
                raise StarclassError(f"{where}: threshold={self.threshold:g} applies to binary tasks only; this task "
                                     f"has {len(self.classes)} classes {self.classes}, and takes the most probable "
                                     "one without a threshold: write 'threshold: null'")
            if self.positive_class is None:
                named = ", ".join(f"{c} ({n})" for c, n in zip(self.classes, self.class_names))
                raise StarclassError(f"{where}: threshold={self.threshold:g} needs a positive_class, the class whose "
                                     f"probability it cuts: write 'positive_class: N' with N one of {named}, or "
                                     "'threshold: null' to take the most probable class")
        if self.positive_class is not None:
            try:
                self.positive_class = _class_number(self.positive_class, f"{where}: positive_class")
            except StarclassError as exc:
                hint = _named_class_hint(self.positive_class, self.classes, self.class_names, self.label_map)
                raise StarclassError(f"{exc}{hint}") from None
            if self.positive_class not in self.classes:
                raise StarclassError(
                    f"{where}: positive_class={self.positive_class} not in classes {self.classes}"
                )
        if self.eval_merges is not None:
            self.eval_merges = self._checked_merges(where)
        if not isinstance(self.mixed_sizes, (bool, np.bool_)):
            raise StarclassError(f"{where}: mixed_sizes={self.mixed_sizes!r} must be true or false")
        self.mixed_sizes = bool(self.mixed_sizes)
        if self.toy_kind is not None and not isinstance(self.toy_kind, str):
            raise StarclassError(f"{where}: toy_kind={self.toy_kind!r} must be a generator name or null")
        if isinstance(self.architecture, (list, tuple)):
            members = []
            for i, entry in enumerate(self.architecture):
                if isinstance(entry, str):
                    entry = {"architecture": entry}
                if not isinstance(entry, dict) or "architecture" not in entry:
                    raise StarclassError(
                        f"{where}: architecture[{i}] must be a name or a dict with 'architecture'"
                    )
                extra = set(entry) - {"architecture", "n", "arch_options"}
                if extra:
                    raise StarclassError(f"{where}: architecture[{i}] has unknown keys {sorted(extra)}")
                # named: n: two stopped int() with a traceback, and n: 2.5 was cut to 2
                e = {"architecture": str(entry["architecture"]),
                     "n": _whole(entry.get("n", 1), f"{where}: architecture[{i}].n")}
                if e["n"] < 1:
                    raise StarclassError(f"{where}: architecture[{i}].n must be >= 1")
                if entry.get("arch_options"):
                    e["arch_options"] = dict(entry["arch_options"])
                members.append(e)
            if not members:
                raise StarclassError(f"{where}: 'architecture' is an empty list")
            self.architecture = members
        elif not isinstance(self.architecture, str):
            raise StarclassError(f"{where}: architecture must be a name or a list of members")

    def _checked_merges(self, where: str) -> dict[str, dict[str, list[int]]]:
        """``eval_merges`` as {merge: {group: [classes]}}, each a partition of the classes into two or more groups.

        A merge that is not a mapping of groups, a member that is not a class number, a class left
        out or put in two groups, or a single group (every object in it: accuracy 1 by construction)
        is a StarclassError naming the merge; a name the task's own classes are scored under
        (``3class`` for three classes) would replace that score and is refused too.
        """
        if not isinstance(self.eval_merges, Mapping):
            raise StarclassError(f"{where}: eval_merges must map merge names to groups, e.g. "
                                 "{clusters_v_rest: {cluster: [1, 2, 3], other: [4, 5]}}; got "
                                 f"{self.eval_merges!r}")
        own = f"{len(self.classes)}class"
        out: dict[str, dict[str, list[int]]] = {}
        for m, groups in self.eval_merges.items():
            m = str(m)
            if m == own:
                raise StarclassError(f"{where}: eval_merges[{m!r}]: {m!r} is the name the task's own "
                                     f"{len(self.classes)} classes are scored under; give the merge another name")
            if not isinstance(groups, Mapping):
                raise StarclassError(f"{where}: eval_merges[{m!r}] must map group names to lists of classes, e.g. "
                                     f"{{a: [{self.classes[0]}], b: {self.classes[1:]}}}; got {groups!r}")
            merged: dict[str, list[int]] = {}
            for g, cs in groups.items():
                members = cs if isinstance(cs, (list, tuple)) else [cs]
                try:
                    merged[str(g)] = [_class_number(c, f"{where}: eval_merges[{m!r}][{str(g)!r}] entry")
                                      for c in members]
                except StarclassError as exc:
                    bad = next((c for c in members if str(c) in self.class_names), None)
                    hint = _named_class_hint(bad, self.classes, self.class_names) if bad is not None else \
                        _named_class_hint(None, self.classes, self.class_names)
                    raise StarclassError(f"{exc}{hint}") from None
            unknown = sorted({c for cs in merged.values() for c in cs} - set(self.classes))
            if unknown:
                raise StarclassError(f"{where}: eval_merges[{m!r}] names {'classes' if len(unknown) > 1 else 'class'} "
                                     f"{', '.join(map(str, unknown))}, not among the task's classes {self.classes}")
            if sorted(c for cs in merged.values() for c in cs) != sorted(self.classes):
                raise StarclassError(f"{where}: eval_merges[{m!r}] must put each of {self.classes} in exactly "
                                     f"one group, got {merged}")
            if len(merged) < 2:
                raise StarclassError(f"{where}: eval_merges[{m!r}] has one group {merged}: a merge needs at least two "
                                     "groups (one holds every object, so its accuracy is 1 whatever is predicted)")
            out[m] = merged
        return out

    @property
    def preset_name(self) -> str | None:
        """The name of the preset this task is, for a task file's ``extends:``; None when it is none.

        Examples
        --------
        >>> get_preset("m31-real").preset_name
        'm31-real'
        >>> get_preset("m31-real").copy(name="my-own").preset_name is None
        True
        """
        return self.name if self.name and self.name.lower() in PRESETS.names() else None

    # ------------------------------------------------------------------ shapes
    @property
    def catalogue_classes(self) -> tuple[int, ...]:
        """Class values a catalogue read for this task may hold beyond 0-4.

        The task's own classes and those its ``merge`` maps from: the ``classes`` of
        :func:`starclass.io.catalog.read_catalog`, so that a five-class task's candidate catalogue
        (``class_ref`` 5, no task recorded in it) is read and not refused as "not 0-4".

        Examples
        --------
        >>> get_preset("legus4", classes=[1, 2, 3, 4, 5], class_names=list("abcde")).catalogue_classes
        (1, 2, 3, 4, 5)
        """
        return tuple(dict.fromkeys([*map(int, self.classes), *map(int, self.merge)]))

    @property
    def n_classes(self) -> int:
        """Number of network outputs.

        Examples
        --------
        >>> get_preset("legus4").classes, get_preset("legus4").n_classes
        ([1, 2, 3, 4], 4)
        """
        return len(self.classes)

    @property
    def n_bands_in(self) -> int:
        """Channels per scale: 3 for RGB-normalised stamps, else the number of bands.

        Examples
        --------
        >>> get_preset("legus4").n_bands_in, get_preset("legus4", normalisation="rgb").n_bands_in
        (5, 3)
        """
        return 3 if self.normalisation == "rgb" else len(self.bands)

    @property
    def n_channels(self) -> int:
        """C of the network input ``[N, C, H, W]``: ``len(scales) * channels per scale``.

        Examples
        --------
        >>> cfg = get_preset("legus4")
        >>> cfg.scales, cfg.n_bands_in, cfg.n_channels
        ([1.0, 1.6, 3.2], 5, 15)
        """
        return len(self.scales) * self.n_bands_in

    @property
    def network_size(self) -> int:
        """Side of the image the network body works on (``input_size`` or the stamp size).

        Examples
        --------
        >>> get_preset("phangs4").stamp_size, get_preset("phangs4").network_size  # stamps resized to 224
        (299, 224)
        >>> get_preset("legus4").network_size
        32
        """
        return self.input_size or self.stamp_size

    @property
    def is_binary(self) -> bool:
        """True when the task has two classes (one probability column, the positive class's, suffices).

        Examples
        --------
        >>> get_preset("m31-binary").is_binary, get_preset("legus4").is_binary
        (True, False)
        """
        return self.n_classes == 2

    # ------------------------------------------------------------------ ensemble members
    def members(self) -> list[dict[str, Any]]:
        """One dict per ensemble member: ``architecture``, ``arch_options``, ``seed``, ``index``.

        A single architecture gives ``recipe.ensemble_size`` members; a list gives ``n``
        members per entry, in order. Member ``k`` gets seed ``recipe.member_seed(k)``.
        """
        out: list[dict[str, Any]] = []
        if isinstance(self.architecture, str):
            entries = [{"architecture": self.architecture, "n": self.recipe.ensemble_size}]
        else:
            entries = self.architecture
        for entry in entries:
            opts = dict(self.arch_options)
            opts.update(entry.get("arch_options", {}))
            for _ in range(int(entry.get("n", 1))):
                k = len(out)
                out.append(
                    {
                        "index": k,
                        "architecture": entry["architecture"],
                        "arch_options": copy.deepcopy(opts),
                        "seed": self.recipe.member_seed(k),
                    }
                )
        return out

    @property
    def n_members(self) -> int:
        """Number of ensemble members: ``len(self.members())``.

        Examples
        --------
        >>> get_preset("phangs4").n_members, get_preset("legus4").n_members
        (20, 1)
        """
        return len(self.members())

    def member(self, index: int | None) -> dict[str, Any]:
        """Member ``index`` (None: the first)."""
        ms = self.members()
        i = 0 if index is None else int(index)
        if not (0 <= i < len(ms)):
            raise StarclassError(f"task config {self.name!r}: no ensemble member {index} (has {len(ms)})")
        return ms[i]

    # ------------------------------------------------------------------ classes
    def map_classes(self, class_ref: Any) -> np.ndarray:
        """Reference classes -> output class labels (values of :attr:`classes`).

        Applies :attr:`merge` (identity when empty). Classes 0 (none), NaN, masked values
        and anything not mapped to an output class become -1. Non-integer subclasses
        (4.2) map through their integer class.
        """
        ref = np.ma.filled(np.ma.asarray(class_ref, dtype=float), np.nan)
        ref = np.atleast_1d(ref)
        out = np.full(ref.shape, -1, dtype=np.int64)
        ok = np.isfinite(ref)
        ints = np.zeros(ref.shape, dtype=np.int64)
        ints[ok] = np.floor(ref[ok]).astype(np.int64)
        table = self.merge or {c: c for c in self.classes}
        for src, dst in table.items():
            if dst in self.classes:
                out[ok & (ints == src)] = dst
        return out

    def label_targets(self) -> dict[int, str]:
        """The classes a ``label_map`` entry may name, each with what it becomes, for messages.

        Without a ``merge``: the task's classes and their names. With one: its reference classes,
        each named by the class the merge sends it to (``"non-cluster (through merge)"``), or
        ``"left out (merge: 0)"``: a label's number is a reference class there, not an output class.

        Examples
        --------
        >>> get_preset("m31-real").label_targets()
        {1: 'cluster', 2: 'non-cluster'}
        >>> get_preset("m31-binary").label_targets()[3]
        'non-cluster (through merge)'
        """
        if not self.merge:
            return dict(zip(self.classes, self.class_names))
        return {int(src): (f"{self.class_names[self.classes.index(dst)]} (through merge)" if dst in self.classes
                           else "left out (merge: 0)") for src, dst in sorted(self.merge.items())}

    def eval_merges_meta(self) -> dict[str, Any]:
        """The meta keys of ``eval_merges`` that ``starclass classify`` writes with its output.

        ``eval_merges`` holds the merges the config lists (``{}`` when it lists none);
        ``eval_merges_given`` says whether the config set them at all. Both "none wanted"
        (``eval_merges: {}``) and "not given" (None) were written as ``{}``, so evaluate of an ECSV
        output of a task of the PHANGS class names that wanted no merges scored the PHANGS merges
        again (:meth:`starclass.evaluate.task.EvalTask.from_meta` reads both keys).

        Examples
        --------
        >>> get_preset("legus4").eval_merges_meta()
        {'eval_merges': {}, 'eval_merges_given': False}
        >>> get_preset("legus4", eval_merges={}).eval_merges_meta()
        {'eval_merges': {}, 'eval_merges_given': True}
        """
        return {"eval_merges": dict(self.eval_merges or {}), "eval_merges_given": self.eval_merges is not None}

    def table_meta(self) -> dict[str, Any]:
        """The meta a table of this task's classes carries, so that no reader guesses its class scheme.

        ``starclass classify`` writes it with its output (adding its decision threshold), ``starclass
        simulate`` with a field's ``truth.ecsv`` and ``humans.ecsv``: the task's name
        (:data:`starclass.schema.TASK`), classes, class names, positive class, the merges evaluate
        scores and the merge of the reference classes (``class_ref``) into the task's.
        :meth:`starclass.evaluate.task.EvalTask.from_meta` reads it back; an m31 field's tables,
        which recorded nothing, were read for the PHANGS four classes (a class 3 of n 0 listed).

        Examples
        --------
        >>> m = get_preset("m31-binary").table_meta()
        >>> m["task"], m["classes"], m["class_names"], m["reference_merge"]
        ('m31-binary', [1, 2], ['cluster', 'non-cluster'], {'1': 1, '2': 1, '3': 2, '4': 2})
        """
        from starclass.schema import POSITIVE_CLASS, TASK

        return {
            TASK: self.name,
            "classes": [int(c) for c in self.classes],
            "class_names": list(self.class_names),
            POSITIVE_CLASS: None if self.positive_class is None else int(self.positive_class),
            # "none wanted" ({}) told from "not given" (the PHANGS merges of the PHANGS classes)
            **self.eval_merges_meta(),
            "reference_merge": {str(k): int(v) for k, v in self.merge.items()},
        }

    def class_indices(self, class_ref: Any) -> np.ndarray:
        """Reference classes -> output indices 0..K-1 (the targets of the loss); -1 unknown."""
        labels = self.map_classes(class_ref)
        idx = np.full(labels.shape, -1, dtype=np.int64)
        for k, c in enumerate(self.classes):
            idx[labels == c] = k
        return idx

    def decide(self, probs: Any) -> np.ndarray:
        """Probabilities ``[N, K]`` -> predicted class labels, applying the threshold.

        With a threshold, the positive class wins when its probability is >= threshold and
        otherwise the most probable of the other classes; without, the most probable class.
        """
        p = np.asarray(probs, dtype=float)
        if p.ndim != 2 or p.shape[1] != self.n_classes:
            raise StarclassError(
                f"task config {self.name!r}: probabilities of shape {p.shape}, expected [N, {self.n_classes}]"
            )
        classes = np.asarray(self.classes)
        if self.threshold is None or self.positive_class is None:
            return classes[np.argmax(p, axis=1)]
        k = self.classes.index(self.positive_class)
        others = p.copy()
        others[:, k] = -np.inf
        pred = classes[np.argmax(others, axis=1)]
        pred[p[:, k] >= self.threshold] = self.positive_class
        return pred

    # ------------------------------------------------------------------ (de)serialisation
    def to_dict(self) -> dict[str, Any]:
        """JSON/YAML-safe dict (merge keys become strings); :meth:`from_dict` inverts it."""
        d: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "recipe":
                v = v.to_dict()
            elif f.name == "merge":
                v = {str(k): int(val) for k, val in v.items()}
            else:
                v = copy.deepcopy(v)
            d[f.name] = v
        return _jsonable(d)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaskConfig:
        """Rebuild a config from :meth:`to_dict` output (or a YAML/JSON mapping)."""
        if not isinstance(d, dict):
            raise StarclassError(f"task config must be a mapping, got {type(d).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise StarclassError(_unknown_keys(unknown, known, "task config: ", values=d))
        if "name" not in d:
            raise StarclassError("task config: 'name' is missing")
        kw = dict(d)
        if "recipe" in kw and isinstance(kw["recipe"], dict):
            kw["recipe"] = TrainRecipe.from_dict(kw["recipe"])
        try:
            return cls(**kw)
        except TypeError as exc:
            raise StarclassError(f"task config: {exc}") from None

    def copy(self, **changes: Any) -> TaskConfig:
        """A deep copy with some fields replaced (``recipe`` may be a dict of changes)."""
        new = TaskConfig.from_dict(self.to_dict())
        # named here: dataclasses.replace said only "__init__() got an unexpected keyword argument"
        known = [f.name for f in fields(TaskConfig)]
        recipe_fields = [f.name for f in fields(TrainRecipe)]
        for key in changes:
            if key not in known:
                hint = f" (a recipe field: give recipe={{{key!r}: ...}})" if key in recipe_fields else ""
                raise StarclassError(f"task config {self.name!r}: unknown field {key!r}{hint}; fields: "
                                     f"{', '.join(known)}")
        if "group_column" in changes:
            # a number never matched a column name: the folder was read ungrouped without a word
            _check_group_column(changes["group_column"], f"task config {changes.get('name', self.name)!r}")
        if "recipe" in changes and isinstance(changes["recipe"], dict):
            wrong = [k for k in changes["recipe"] if k not in recipe_fields]
            if wrong:
                raise StarclassError(f"task config {self.name!r}: unknown recipe field {wrong[0]!r}; recipe "
                                     f"fields: {', '.join(recipe_fields)}")
            changes["recipe"] = replace(new.recipe, **changes["recipe"])
        return replace(new, **changes) if changes else new

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


# ---------------------------------------------------------------------- presets
#: Folder of the preset files, one ``<name>.yaml`` per preset (installed as package data).
PRESET_DIR = Path(__file__).resolve().parent / "presets"

#: Keys of a preset (or user) file that are not TaskConfig fields: the preset it starts
#: from. ``extends`` is the spelling of the preset files, ``preset`` the older one of user
#: files; both mean the same.
_BASE_KEYS = ("extends", "preset")


def effective_config(config: TaskConfig, *, epochs: int | None = None, ensemble: int | None = None,
                     seed: int | None = None) -> TaskConfig:
    """A copy of ``config`` with command-line overrides applied (what the checkpoints store).

    Here, beside :class:`TaskConfig`, not in :mod:`starclass.learn.train` (which imports torch): ``starclass
    train`` checks the members it will build (:func:`starclass.models.check_members`) before torch loads.

    ``ensemble`` sets ``recipe.ensemble_size`` for a single architecture, or every entry's
    ``n`` for a list of architectures; ``seed`` sets the base seed (member ``i`` uses
    ``seed + i``).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> c = effective_config(get_preset("galaxy-cluster-compact"), epochs=3, ensemble=2, seed=7)
    >>> c.recipe.epochs, c.recipe.ensemble_size
    (3, 2)
    """
    changes: dict[str, Any] = {}
    recipe: dict[str, Any] = {}
    if epochs is not None:
        recipe["epochs"] = int(epochs)
    if seed is not None:
        recipe["seeds"] = int(seed)
    if ensemble is not None:
        if int(ensemble) < 1:
            raise StarclassError(f"ensemble size must be >= 1, got {ensemble}")
        if isinstance(config.architecture, str):
            recipe["ensemble_size"] = int(ensemble)
        else:
            changes["architecture"] = [dict(e, n=int(ensemble)) for e in config.architecture]
    if recipe:
        changes["recipe"] = recipe
    return config.copy(**changes)


def merge_collapse_note(merge: Mapping[int, int], classes: Any, class_ref: Any, *, task: str | None,
                        what: str, class_names: Any = None, otherwise: str = "nothing is wrong",
                        how: str = "as --task") -> str | None:
    """A warning when a task's ``merge`` collapses a reference already in the task's own classes.

    A task such as m31-binary (classes 1, 2; ``merge: {1: 1, 2: 1, 3: 2, 4: 2}``) reads
    reference classes as the simulator's PHANGS four. A reference that is binary already
    (1 cluster, 2 non-cluster) went through that merge too, 2 -> 1, without a word: evaluate
    scored a prediction identical to it at accuracy 0.5, train refused "class 2 has no training
    example". The note is given when every reference class is one of the task's own classes and
    the merge sends two of them to one class (or drops one): what was done, the counts before
    and after, and how to give a reference in the task's own classes (a task file with
    ``merge: {}``). A reference of the merge's classes that happens to hold only some of them
    reads the same, so it is a warning, not an error.

    Parameters
    ----------
    merge : mapping of int to int
        Reference class -> output class (0: dropped); empty: none, no note.
    classes : sequence of int
        The task's output classes.
    class_ref : array-like
        The reference classes (0, NaN and masked: no class, not counted).
    task : str or None
        The task's name (a preset's is named in the ``extends:`` hint).
    what : str
        The reference, as messages name it (``"truth.ecsv column 'class_ref'"``).
    class_names : sequence of str, optional
        The names of ``classes``.
    otherwise : str
        The note's last words: what holds if the classes are the merge's reference classes.
    how : str
        Where to give the task file without the merge (a command with no ``--task`` says where).

    Returns
    -------
    str or None
        The note, or None when the merge collapses nothing the reference distinguishes.

    Examples
    --------
    >>> m = {1: 1, 2: 1, 3: 2, 4: 2}
    >>> print(merge_collapse_note(m, [1, 2], [1, 2, 1, 2], task="m31-binary", what="ref"))  # doctest: +ELLIPSIS
    ref: its classes (1: 2, 2: 2) are all classes of task 'm31-binary' [1, 2], ... count as 1: 4, 2: 0. ...
    >>> merge_collapse_note(m, [1, 2], [1, 2, 3, 4], task="m31-binary", what="ref") is None
    True
    """
    if not merge:
        return None
    classes = [int(c) for c in classes]
    ref = np.ma.filled(np.ma.asarray(class_ref, dtype=float), np.nan).ravel()
    ref = ref[np.isfinite(ref)]
    ref = np.floor(ref).astype(np.int64)
    ref = ref[ref != 0]
    values, counts = np.unique(ref, return_counts=True)
    if values.size < 2 or not set(values.tolist()) <= set(classes):
        return None
    dest = [int(merge.get(int(v), 0)) for v in values]
    kept = {d for d in dest if d in classes}
    if len(kept) == values.size:
        return None
    names = list(class_names or [])

    def said(c: int) -> str:
        return f"{c} ({names[classes.index(c)]})" if len(names) == len(classes) and c in classes else str(c)

    before = ", ".join(f"{int(v)}: {int(n)}" for v, n in zip(values, counts))
    after_counts = {c: 0 for c in classes}
    dropped = 0
    for d, n in zip(dest, counts):
        if d in after_counts:
            after_counts[d] += int(n)
        else:
            dropped += int(n)
    after = ", ".join(f"{said(c)}: {n}" for c, n in after_counts.items()) + (
        f", left out (merge to 0): {dropped}" if dropped else "")
    sent = "; ".join(f"{int(v)} -> {d if d in classes else 'left out'}" for v, d in zip(values, dest))
    name = task or "(unnamed)"
    fix = (f"a YAML task file with 'extends: {task}' and 'merge: {{}}'" if task and task.lower() in list_presets()
           else "the task file with 'merge: {}' added (or a copy of it)")
    return (f"{what}: its classes ({before}) are all classes of task {name!r} {classes}, but the task's merge "
            f"{dict(merge)} reads them as reference classes ({sent}), so they count as {after}. If they are "
            f"the task's own classes already, give {fix} (no merge: each class is itself) {how}; if they "
            f"are the merge's reference classes, {otherwise}")


def preset_descriptions() -> dict[str, str]:
    """Preset name -> its one-line ``description`` (what the model is for), read from the files.

    Only the ``description`` key is read (nothing is built or checked), so ``train --help``
    can list the presets cheaply; a preset without one inherits its base's.

    Returns
    -------
    dict of str to str
        In name order.

    Examples
    --------
    >>> "ResNet-50" in preset_descriptions()["m31-binary"]
    True
    """
    raw: dict[str, dict[str, Any]] = {}
    for f in sorted(PRESET_DIR.glob("*.yaml")):
        try:
            raw[f.stem] = _read_mapping(f)
        except StarclassError:
            raw[f.stem] = {}
    out = {}
    for name, data in raw.items():
        d, seen = data, {name}
        while not d.get("description") and any(d.get(k) for k in _BASE_KEYS):
            base = next(str(d[k]) for k in _BASE_KEYS if d.get(k))
            if base in seen or base not in raw:
                break
            seen.add(base)
            d = raw[base]
        out[name] = str(d.get("description") or "")
    return out


#: A trained model's manifest (:mod:`starclass.learn.checkpoint`, which imports this module and torch):
#: its file name and format, so that ``--task MODEL`` reads the task stored with the model.
_MODEL_MANIFEST = "manifest.json"
_MODEL_FORMAT = "starclass-ensemble"


def _model_config(manifest: Path) -> TaskConfig:
    """The task config stored in a trained model's ``manifest.json``, with errors naming the file."""
    from starclass.learn.checkpoint import read_manifest  # here: checkpoint imports this module

    cfg = read_manifest(manifest).get("config")
    if not isinstance(cfg, dict):
        raise StarclassError(f"task config {manifest}: the model's manifest holds no task config")
    try:
        return TaskConfig.from_dict(cfg)
    except StarclassError as exc:
        raise StarclassError(f"task config {manifest} (the model's stored task): {exc}") from None
    except (TypeError, ValueError, KeyError) as exc:
        raise StarclassError(f"task config {manifest}: the model's stored task cannot be read: {exc}") from None


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping.

    PyYAML keeps the last of two equal keys without a word (YAML itself forbids them): a task file
    with ``stamp_size: 32`` and, further down, ``stamp_size: 64`` trained at 64 px.
    """

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.setdefault(key, line)
            except TypeError:  # an unhashable key: PyYAML's own error says it
                continue
            if first != line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice (lines {first} and {line}); keep one")
        return super().construct_mapping(node, deep=deep)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict, refusing a key given twice (json keeps the last without a word)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} is given twice; keep one")
        out[key] = value
    return out


def _read_mapping(path: Path) -> dict[str, Any]:
    """The top-level mapping of a YAML or JSON file, with errors naming the file (and a key given twice)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = (json.loads(text, object_pairs_hook=_unique_pairs) if path.suffix.lower() == ".json"
                else yaml.load(text, Loader=_UniqueKeyLoader))  # a SafeLoader: no Python objects
    except OSError as exc:
        raise StarclassError(f"task config {path}: cannot read: {exc}") from None
    except UnicodeDecodeError:
        from starclass.io.cutout_folders import not_utf8_message

        # "cannot parse: 'utf-8' codec can't decode byte 0xe9 in position 29" named a position in no line
        raise StarclassError(f"task config {not_utf8_message(path)}") from None
    except (ValueError, yaml.YAMLError) as exc:
        # one line: PyYAML's own message quoted the line with a '^' under the column, over several lines
        raise StarclassError(f"task config {path}: cannot parse: {parse_error_text(exc)}") from None
    if not isinstance(data, dict):
        raise StarclassError(f"task config {path}: expected a mapping at the top level")
    return data


def _apply_changes(base: TaskConfig, changes: dict[str, Any]) -> TaskConfig:
    """``base`` with the fields of ``changes`` replaced (``recipe``: only the fields given)."""
    known = {f.name for f in fields(TaskConfig)}
    unknown = set(changes) - known
    if unknown:
        raise StarclassError(_unknown_keys(unknown, known, values=changes))
    if "recipe" in changes and changes["recipe"] is None:
        # 'recipe:' with every entry commented out changes nothing (was "AttributeError: 'NoneType' object has no
        # attribute 'to_dict'")
        changes = {k: v for k, v in changes.items() if k != "recipe"}
    recipe = changes.get("recipe")
    if isinstance(recipe, dict):
        rknown = {f.name for f in fields(TrainRecipe)}
        runknown = set(recipe) - rknown
        if runknown:
            raise StarclassError(_unknown_keys(runknown, rknown, "recipe: "))
    # merge is checked and made ints by TaskConfig itself, naming the task
    return base.copy(**changes)


def _check_group_column(value: Any, where: str) -> None:
    """Refuse a ``group_column`` that is not a column name (text), naming ``where``.

    ``group_column: 3`` (a YAML number) never equals a CSV column name (text, even a column named
    ``3``), so the folder was read with each cutout its own group, and an ImageFolder trained with it,
    without a word. A task's stored value (a model's manifest) is not checked here: models trained
    before 2026-12-05 with a number still load.

    Parameters
    ----------
    value : object
        The ``group_column`` given (None: no group column).
    where : str
        The task, as messages name it.

    Raises
    ------
    StarclassError
        ``value`` is not None and not a non-empty string.

    Examples
    --------
    >>> _check_group_column("object_id", "task config 'mine'")
    >>> _check_group_column(3, "task config 'mine'")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: task config 'mine': group_column=3 must be a column name (text), e.g. \
group_column: object_id; a column named 3 is written group_column: '3'
    """
    if value is None or (isinstance(value, str) and value.strip()):
        return
    if isinstance(value, str):
        raise StarclassError(f"{where}: group_column={value!r} is empty: give the column naming each cutout's "
                             "object (e.g. group_column: object_id), or leave group_column out for none")
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    raise StarclassError(f"{where}: group_column={value!r} must be a column name (text), e.g. group_column: "
                         f"object_id" + (f"; a column named {value} is written group_column: '{value}'"
                                         if number else ""))


def _from_mapping(data: dict[str, Any], name: str | None, registry: PresetRegistry,
                  stack: tuple[str, ...] = ()) -> TaskConfig:
    """A config from a file's mapping: a full config, or a base preset plus changes.

    ``name`` is the preset name a preset file gets from its file name (None for user files,
    which :func:`load_config` names after their file unless they give ``name:``);
    ``registry`` holds the bases.
    """
    data = dict(data)
    if "group_column" in data:
        _check_group_column(data["group_column"], f"task config {data.get('name', name)!r}")
    bases = [k for k in _BASE_KEYS if k in data]
    if len(bases) > 1:
        raise StarclassError(f"give one of {list(_BASE_KEYS)}, not both")
    if name is not None:
        if "name" in data and str(data["name"]).lower() != name:
            raise StarclassError(f"'name: {data['name']}' differs from the file name {name!r}; remove it")
        data["name"] = name
    if not bases:
        return TaskConfig.from_dict(data)
    base_value = data.pop(bases[0])
    if not isinstance(base_value, str) or not base_value.strip():
        # 'extends:' left empty was "unknown task preset 'none'"
        said = f"'{bases[0]}:' is empty" if base_value is None else f"'{bases[0]}: {base_value!r}' is not a preset name"
        raise StarclassError(f"{said}: give the name of the one preset the file starts from (presets: "
                             f"{', '.join(registry.names())})")
    base_name = base_value.strip().lower()
    if base_name not in registry:
        import difflib

        # "unknown task preset 'lm.yaml'" left a user who extended their own file, or misspelt a preset, to guess
        if Path(base_name).suffix in (".yaml", ".yml", ".json"):
            why = (f"names a file: '{bases[0]}:' takes a preset only; copy the entries of {base_value} into this "
                   f"file (with its own '{bases[0]}:')")
        else:
            close = difflib.get_close_matches(base_name, registry.names(), n=1)
            why = "is not a preset" + (f" (did you mean {close[0]!r}?)" if close else "")
        raise StarclassError(f"'{bases[0]}: {base_value}' {why}; presets: {', '.join(registry.names())}")
    base = registry.load(base_name, stack)
    derived = _apply_changes(base, data)
    if note := kept_pixel_scale_note(base, derived, data):
        warnings.warn(note, UserWarning, stacklevel=3)
    return derived


def kept_pixel_scale_note(base: TaskConfig, derived: TaskConfig, changes: Mapping[str, Any]) -> str | None:
    """Why a derived task's ``pixel_scale`` may be wrong: it changes ``stamp_size`` but keeps the base's scale.

    ``pixel_scale`` is the arcsec of a stamp pixel (explain's radii for cutouts without a FITS WCS, the
    cutout-size note, classify's check of the mosaics' scale). Which value a new ``stamp_size`` needs
    depends on the data, which only the user knows: stamps cut from mosaics keep the mosaics' scale
    (``phangs4-compact``), while cutouts resampled over their whole field to ``stamp_size`` (the seed
    presets, ``m31-real``) keep the field and change the scale. Before 2026-12-05 the base's value was
    kept without a word: ``extends: galaxy-cluster`` with ``stamp_size: 128`` said 6.5625"/px where its
    7' cutouts give 3.28"/px.

    Parameters
    ----------
    base, derived : TaskConfig
        The preset a task file extends, and the task it gives.
    changes : mapping
        The fields the task file sets.

    Returns
    -------
    str or None
        The warning's text; None when ``stamp_size`` is the base's or ``pixel_scale`` is set.

    Examples
    --------
    >>> base = get_preset("galaxy-cluster")
    >>> print(kept_pixel_scale_note(base, base.copy(stamp_size=128), {"stamp_size": 128}))  # doctest: +ELLIPSIS
    task 'galaxy-cluster': stamp_size 128 with the pixel_scale of galaxy-cluster (6.5625"/px, ...
    >>> kept_pixel_scale_note(base, base.copy(stamp_size=128, pixel_scale=3.28125),
    ...                       {"stamp_size": 128, "pixel_scale": 3.28125}) is None
    True
    """
    if "pixel_scale" in changes or derived.stamp_size == base.stamp_size or not base.pixel_scale:
        return None
    scale = float(base.pixel_scale)
    field = scale * base.stamp_size
    same_field = field / derived.stamp_size
    return (f"task {derived.name!r}: stamp_size {derived.stamp_size} with the pixel_scale of {base.name} "
            f"({scale:g}\"/px, for its {base.stamp_size} px stamps over {field:.4g}\"); that scale is right for "
            f"stamps cut from images of {scale:g}\"/px, but cutouts resampled over a field of {field:.4g}\" to "
            f"{derived.stamp_size} px have {same_field:.4g}\"/px. Set pixel_scale in the task file (explain's radii "
            "for cutouts without a FITS WCS, the cutout-size warning and classify's check of the mosaics' scale "
            "use it)")


class PresetRegistry(Mapping[str, TaskConfig]):
    """The task presets: one YAML file per preset in :data:`PRESET_DIR`, read on first use.

    A mapping from preset name (the file name without ``.yaml``) to its
    :class:`TaskConfig`; :func:`get_preset` hands out copies. A preset file holds the fields
    of :meth:`TaskConfig.to_dict` (``name`` comes from the file name), or ``extends: <base>``
    and the fields that differ from the base preset (``recipe`` may list only the recipe
    fields that change).

    Parameters
    ----------
    folder : path-like
        Where the preset files are.

    Examples
    --------
    >>> from starclass.learn.config import PRESETS
    >>> "legus4" in PRESETS and PRESETS["legus4"].architecture == "starcnet"
    True
    >>> PRESETS["legus4-compact"].recipe.epochs
    60
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._cache: dict[str, TaskConfig] = {}

    def names(self) -> list[str]:
        """Preset names, sorted (one per ``*.yaml`` file of the folder)."""
        return sorted(p.stem.lower() for p in self.folder.glob("*.yaml"))

    def path(self, name: str) -> Path:
        """The file of preset ``name`` (it need not exist)."""
        return self.folder / f"{str(name).lower()}.yaml"

    def load(self, name: str, stack: tuple[str, ...] = ()) -> TaskConfig:
        """Preset ``name`` (cached; do not modify it: :func:`get_preset` gives copies).

        ``stack`` holds the presets whose ``extends`` led here, to report a loop.
        """
        key = str(name).lower()
        if key in self._cache:
            return self._cache[key]
        if key in stack:
            raise StarclassError(f"preset {key!r}: 'extends' loops: {' -> '.join((*stack, key))}")
        path = self.path(key)
        if not path.is_file():
            raise StarclassError(f"unknown task preset {name!r}; presets: {', '.join(self.names())}")
        try:
            cfg = _from_mapping(_read_mapping(path), key, self, (*stack, key))
        except StarclassError as exc:
            msg = str(exc)
            raise StarclassError(msg if msg.startswith(f"preset file {path}") else
                                 f"preset file {path}: {msg}") from None
        self._cache[key] = cfg
        return cfg

    def __getitem__(self, name: str) -> TaskConfig:
        if not self.path(name).is_file():
            raise KeyError(name)
        return self.load(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.path(name).is_file()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


#: Preset name -> config, read from the files of :data:`PRESET_DIR` (copies are handed out by
#: :func:`get_preset`).
PRESETS = PresetRegistry(PRESET_DIR)


def list_presets() -> list[str]:
    """Names of the task presets, sorted: one per file in ``starclass/learn/presets/``.

    Returns
    -------
    list of str
        The names :func:`get_preset` and :func:`load_config` accept.

    Examples
    --------
    >>> from starclass.learn.config import list_presets
    >>> {"legus4", "legus4-compact", "m31-binary"} <= set(list_presets())
    True
    """
    return PRESETS.names()


def preset_labels() -> frozenset[str]:
    """Every label a packaged task knows: its ``label_map`` keys and its class names, of all presets.

    Read from the preset files as written (no task is built: that takes seconds for them all), so
    that a command without a task (``info``) can tell a folder named as a label (``cluster``) from
    one that is not (``data``).

    Returns
    -------
    frozenset of str
        The labels, as :func:`starclass.schema.label_key` matches them.

    Examples
    --------
    >>> from starclass.learn.config import preset_labels
    >>> {"cluster", "galaxy"} <= preset_labels() and "data" not in preset_labels()
    True
    """
    from starclass.schema import label_key

    out: set[str] = set()
    for path in sorted(PRESET_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out.update(label_key(k) for k in (doc.get("label_map") or {}))
        out.update(label_key(n) for n in (doc.get("class_names") or []))
    return frozenset(out)


def task_file_with(task: str | None, entries: str) -> str:
    """Words for a task file that changes ``entries`` of task ``task``, as a message offers one.

    ``extends:`` takes a preset only, so a message that wrote ``'extends: m31-real-2ep'`` for a task
    read from a user's file (or a model trained on one) offered a file that ``load_config`` refuses
    ("'extends: m31-real-2ep' is not a preset"). A preset is extended; any other task is changed in
    the task file it came from.

    Parameters
    ----------
    task : str or None
        The task's name (``TaskConfig.name``).
    entries : str
        What the file sets, as the message shows it (``"'bands: [g, r, z]'"``).

    Returns
    -------
    str
        ``a task file with 'extends: <preset>' and <entries>``, or for another task ``the task file of
        task '<name>' with <entries>``.

    Examples
    --------
    >>> task_file_with("m31-real", "'bands: [g]'")
    "a task file with 'extends: m31-real' and 'bands: [g]'"
    >>> task_file_with("m31-real-2ep", "'bands: [g]'")
    "the task file of task 'm31-real-2ep' with 'bands: [g]'"
    """
    if task and task.lower() in PRESETS.names():
        return f"a task file with 'extends: {task}' and {entries}"
    if task:
        return f"the task file of task {task!r} with {entries}"
    return f"a task file with 'extends: <preset>' and {entries}"


def get_preset(name: str, /, **overrides: Any) -> TaskConfig:
    """A fresh copy of preset ``name``, with optional field overrides.

    Parameters
    ----------
    name : str
        A preset name (:func:`list_presets`), case-insensitive.
    **overrides
        Fields to replace; ``recipe`` may be a dict of only the recipe fields to change.

    Returns
    -------
    TaskConfig
        A deep copy: changing it leaves the preset untouched.

    Raises
    ------
    StarclassError
        For an unknown preset (the message lists the known ones) or a bad override.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4", input_size=None, recipe={"epochs": 2})
    >>> cfg.recipe.epochs, cfg.recipe.lr
    (2, 0.0001)
    """
    return PRESETS.load(name).copy(**overrides)


def _check_side(side: int, what: str) -> None:
    """Refuse a stamp or input side (px) outside 4-1024 (:data:`starclass.schema.MAX_STAMP_SIZE`).

    Examples
    --------
    >>> _check_side(64, "stamp_size")
    >>> _check_side(99999, "stamp_size")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: stamp_size=99999 is too large: at most 1024 px (cutouts --size takes 4-1024)
    """
    from starclass.schema import MAX_STAMP_SIZE, MIN_STAMP_SIZE

    if side < MIN_STAMP_SIZE:
        raise StarclassError(f"{what}={side} is too small")  # as before 2026-12-05: manifests' checks quote it
    if side > MAX_STAMP_SIZE:
        raise StarclassError(f"{what}={side} is too large: at most {MAX_STAMP_SIZE} px (cutouts --size takes "
                             f"{MIN_STAMP_SIZE}-{MAX_STAMP_SIZE})")


#: how a task file is named in messages that say how to give one
TASK_FILE_EXAMPLE = "path/to/my-task.yaml"


def load_config(path_or_name: str | os.PathLike) -> TaskConfig:
    """A preset by name, or a config from a YAML or JSON file.

    Parameters
    ----------
    path_or_name : str or path-like
        A preset name (:func:`list_presets`), a trained model (its folder or ``manifest.json``:
        the task stored with it), or a file. A file holds a full config
        (:meth:`TaskConfig.to_dict`) or ``preset: <name>`` (or ``extends: <name>``) and the
        fields that replace the preset's; ``recipe`` may give only the recipe fields to change.
        A file without ``name:`` is named after its file name without the suffix.

    Returns
    -------
    TaskConfig

    Raises
    ------
    StarclassError
        When it is neither a file nor a preset, or the file is not a valid config (the
        message names the file and the key).

    Examples
    --------
    >>> from starclass.learn.config import load_config
    >>> load_config("m31-binary").threshold
    0.669
    """
    s = str(path_or_name)
    p = Path(s)
    if s.lower() in PRESETS and not p.is_file():
        return get_preset(s)
    if p.is_dir() and (p / _MODEL_MANIFEST).is_file():
        return _model_config(p / _MODEL_MANIFEST)
    if not p.is_file():
        raise StarclassError(
            f"task config {s!r} is neither a file nor a preset; presets: {', '.join(list_presets())}"
            + (" (a folder is a task only when it is a trained model, with manifest.json)" if p.is_dir() else "")
            # a name alone cannot say where a task of one's own is: the path to it can
            + f"; a task of your own is given by the path of its file ({TASK_FILE_EXAMPLE}, YAML or JSON) or of "
            "a trained model's folder"
        )
    data = _read_mapping(p)
    if data.get("format") == _MODEL_FORMAT:
        # a trained model's manifest: its stored task (was refused as "unknown keys ['format', ...]")
        return _model_config(p)
    # a file that does not name itself is named after its file (five.yaml -> five): keeping
    # a base preset's name (or refusing a full config) made every message, model manifest
    # and evaluation say the base's name for a task that differs from it
    data.setdefault("name", p.stem)
    try:
        return _from_mapping(data, None, PRESETS)
    except StarclassError as exc:
        hint = ""
        base = next((data[k] for k in _BASE_KEYS if k in data), None)
        if base is not None and "classes" in data and "class_names" not in data and "class_names for" in str(exc):
            # a file changing only the classes kept its base's names: "4 class_names for 3 classes" named
            # class_names the file never wrote
            hint = f" (the class_names of {base}: give class_names for the {len(data['classes'])} classes)"
        elif base is not None and "threshold" not in data and str(exc).find(": threshold=") >= 0:
            hint = _inherited_threshold_hint(data, str(base))
        raise StarclassError(f"task config {p}: {exc}{hint}") from None


def _inherited_threshold_hint(data: Mapping[str, Any], base: str) -> str:
    """Where a refused threshold came from, for a task file that never wrote one: its base preset.

    A file extending ``galaxy-cluster`` (threshold 0.5 on P(cluster)) with the experts' five classes was
    refused for a threshold it did not write ("a threshold needs a positive_class"), with no word of the
    base, of the line that mends it, or of the preset that already is such a task.

    Parameters
    ----------
    data : mapping
        The task file's own entries (``extends`` and what it changes).
    base : str
        The preset it extends.

    Returns
    -------
    str
        `` (the threshold comes from ..., the whole file: {...}; or --task P, a preset of these bands and
        classes without a threshold)``, ready to append to the message.

    Examples
    --------
    >>> print(_inherited_threshold_hint({"extends": "galaxy-cluster", "name": "five", "classes": [1, 2, 3]},
    ...                                 "galaxy-cluster"))  # doctest: +NORMALIZE_WHITESPACE
     (the threshold comes from galaxy-cluster, which the file extends: add 'threshold: null' to it, e.g. the whole
     file as one line of YAML: {extends: galaxy-cluster, classes: [1, 2, 3], threshold: null})
    """
    # without name: load_config names a file after itself
    own = {**{k: v for k, v in data.items() if k != "name"}, "threshold": None}
    example = yaml.safe_dump(own, default_flow_style=True, sort_keys=False, width=10**6).strip()
    hint = (f" (the threshold comes from {base}, which the file extends: add 'threshold: null' to it, e.g. the "
            f"whole file as one line of YAML: {example}")
    try:
        mine = [int(c) for c in data.get("classes") or []]
        bands = [str(b).lower() for b in data.get("bands") or PRESETS.load(base.lower()).bands]
    except (StarclassError, TypeError, ValueError):
        return hint + ")"
    fits = [n for n in PRESETS.names() if n != base.lower() and PRESETS.load(n).threshold is None
            and list(PRESETS.load(n).classes) == mine and list(PRESETS.load(n).bands) == bands]
    if fits:
        hint += f"; or train with --task {fits[0]}, a preset of these bands and classes without a threshold"
    return hint + ")"


def save_config(cfg: TaskConfig, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a config as YAML (``.yaml``/``.yml``) or JSON (any other suffix), atomically.

    :func:`load_config` reads the file back to an equal config.

    Parameters
    ----------
    cfg : TaskConfig
        The config.
    path : path-like
        Output file; its suffix picks the format.
    overwrite : bool
        Replace an existing file (default False: it is refused, as astropy's writers refuse
        it; a notebook's ``save_config(cfg, "task.yaml")`` replaced a hand-edited file).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    StarclassError
        ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from starclass.learn.config import get_preset, load_config, save_config
    >>> cfg = get_preset("cool-core")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     load_config(save_config(cfg, pathlib.Path(d) / "cc.yaml")) == cfg
    True
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise OutputExistsError(exists_refusal(p), p)
    d = cfg.to_dict()
    if p.suffix.lower() in (".yaml", ".yml"):
        text = yaml.safe_dump(d, sort_keys=False, default_flow_style=None)
    else:
        text = json.dumps(d, indent=2)
    with atomic_path(p) as tmp:
        Path(tmp).write_text(text)
    return p


def _main(argv: list[str] | None = None) -> int:
    """``python -m starclass.learn.config [NAME|FILE] [--save PATH]``: list presets or print one as YAML."""
    ap = argparse.ArgumentParser(prog="python -m starclass.learn.config", description=_main.__doc__)
    ap.add_argument("task", nargs="?", help="preset name or config file (omit to list the presets)")
    ap.add_argument("--save", help="write the config to this .yaml/.json file")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --save file")
    args = ap.parse_args(argv)
    if not args.task:
        # what the table is and its columns: it began with the first preset's row, its columns unnamed
        print(f"{len(PRESETS)} task presets (train --task NAME; 'python -m starclass.learn.config NAME' prints one "
              "as YAML):")
        print(f"{'name':24s} {'architecture':24s} {'bands':32s} description")
        for name, cfg in PRESETS.items():
            arch = cfg.architecture if isinstance(cfg.architecture, str) else "+".join(
                f"{e['n']}x{e['architecture']}" for e in cfg.architecture)
            print(f"{name:24s} {arch:24s} {','.join(cfg.bands):32s} {cfg.description}")
        return 0
    try:
        cfg = load_config(args.task)
    except StarclassError as exc:
        print(f"error: {exc}")
        return 2
    if args.save:
        try:
            print(f"wrote {save_config(cfg, args.save, overwrite=args.overwrite)}")
        except StarclassError as exc:
            print(f"error: {str(exc).replace('overwrite=True', '--overwrite').replace(' (overwrite=False)', '')}")
            return 2
    else:
        print(yaml.safe_dump(cfg.to_dict(), sort_keys=False, default_flow_style=None), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
