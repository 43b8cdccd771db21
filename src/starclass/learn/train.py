"""Training: one model or an ensemble per task config, with resumable checkpoints.

:func:`fit` trains every ensemble member of a :class:`starclass.learn.config.TaskConfig` on model
inputs (an array ``[N, C, H, W]`` from :func:`starclass.stamps.make_inputs`, or a lazily read
:class:`starclass.stamps.StampStore`) and reference labels, and writes a model directory::

    outdir/manifest.json        the ensemble: task config + member list
    outdir/member_01.pt         finished member (weights, config, history; see checkpoint.py)
    outdir/member_01.last.pt    resumable state after the last finished epoch (while training)

The recipe follows the StarcNet paper (section 3-4) unless the task config says otherwise:

* **Augmentation** (``recipe.augment``): each stamp of each batch gets one of the eight
  rotations/flips at random, then a 1.07x magnification with probability 0.5
  (:mod:`starclass.learn.augment`).
* **Class balancing** (``recipe.balance``): ``"weighted_sampler"`` draws every epoch's
  training samples with replacement with probability inversely proportional to their class
  size (each class equally often); ``"class_weights"`` keeps the plain shuffle and weights the
  cross-entropy by ``N / (K n_k)``; ``None`` does neither. ``recipe.class_mix`` replaces the
  equal classes both aim at by a given mix (:func:`class_mix_weights`).
* **Splits** (``recipe.split``): ``random`` (stratified), ``spatial`` (whole tiles of the field,
  like the M31 paper's train and test regions) or ``galaxy`` (leave one galaxy out); see
  :mod:`starclass.learn.splits`. ``recipe.val_fraction = 0`` trains on everything with no
  early stopping.
* **Early stopping**: on the validation accuracy (ties broken by the lower validation loss),
  with ``recipe.early_stopping_patience`` epochs of patience; the member keeps the weights of
  its best validation epoch (StarcNet keeps "the epoch of best validation accuracy").
* **Seeds**: member ``i`` uses ``seed_i`` (``recipe.seeds[i]`` or base seed + ``i``). Every
  epoch re-seeds torch and the sampler/augmentation generator from ``(seed_i, epoch)``, so a
  run interrupted after epoch ``e`` and resumed gives the same weights as an uninterrupted
  one, and two runs with the same seed give identical weights on CPU.
* **Batch-norm statistics** of the kept weights are recomputed over the training set at
  the end (:func:`recalibrate_batchnorm`), so inference-mode outputs match the weights.
* **Devices**: CUDA when available (mixed precision with ``recipe.amp``: bfloat16 where the
  GPU computes it natively, Ampere or later, else float16 with gradient scaling), CPU otherwise; ``recipe.amp="bf16"``
  trains in bfloat16 on a CPU too (:mod:`starclass.learn.precision`).

Labels: the reference classes (``class_ref``, 1-4) are mapped to the task's output classes
with ``config.map_classes``; candidates that map to no output class (class 0, or a class the
task drops) are left out of training, and the number is reported. A task class with no
training example is an error (:class:`~starclass.errors.StarclassError`), since a model would
silently never predict it. Non-finite input pixels are replaced by 0 (inputs from
:func:`starclass.stamps.make_inputs` never contain any; the count is logged otherwise).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

# the package, not its build_model: looked up at each call, so a build_model patched at run
# time (tests watch the networks fit builds) is the one used
import starclass.models as models
from starclass.errors import (
    CALIBRATE_EITHER_PYTHON,
    CALIBRATE_MOSAICS_PYTHON,
    CALIBRATE_STAMPS_PYTHON,
    CalibrationFitWarning,
    StarclassError,
    StarclassWarning,
    UncalibratedWarning,
    counted,
    model_word,
    shell_word,
    shown_command,
)
from starclass.io.progress import Progress
from starclass.learn.augment import augment_batch
from starclass.learn.checkpoint import (
    FINAL_VAL_BALANCED_ACCURACY,
    MANIFEST,
    TUNED_THRESHOLD,
    LoadedModel,
    cpu_state,
    epoch_filename,
    load_checkpoint,
    make_checkpoint,
    member_digest,
    member_filename,
    member_paths,
    save_checkpoint,
    set_tuned_threshold,
    write_manifest,
)
from starclass.learn.config import (
    RECIPE_NEUTRAL,
    TASK_NEUTRAL,
    TaskConfig,
    TrainRecipe,
    effective_config,
    merge_collapse_note,
)
from starclass.learn.data import InputSource, ModelInputs, StampDataset, batches, loader
from starclass.learn.finetune import initial_state
from starclass.learn.precision import (
    autocast,
    compute_dtype,
    dtype_name,
    pick_device,
    settled_clock,
    to_memory_format,
)
from starclass.learn.provenance import starting_rows, starting_trained, the_starting_model, training_record
from starclass.learn.rng import global_rng_kept, seed_torch
from starclass.learn.splits import split_indices
from starclass.schema import X, Y

log = logging.getLogger(__name__)

#: The line prepare_data says of the rows that no output class takes (cross_validate says it once for all folds):
#: its arguments are :func:`unlabelled_left_out_args`'s (the rows counted in their noun, and the verb agreeing)
UNLABELLED_LEFT_OUT = "%s without an output class %s left out of training"


def unlabelled_left_out_args(n: int, noun: str = "candidate") -> tuple[str, str]:
    """The arguments of :data:`UNLABELLED_LEFT_OUT`: ``n`` rows in ``noun`` (:func:`starclass.errors.row_noun`).

    A cutout folder's rows are cutouts, not detected candidates: training on one said "4 candidates
    without an output class are left out of training" of 4 cutouts.

    Examples
    --------
    >>> UNLABELLED_LEFT_OUT % unlabelled_left_out_args(4, "cutout")
    '4 cutouts without an output class are left out of training'
    >>> UNLABELLED_LEFT_OUT % unlabelled_left_out_args(1)
    '1 candidate without an output class is left out of training'
    """
    return counted(int(n), noun), "is" if int(n) == 1 else "are"


@contextlib.contextmanager
def unlabelled_unsaid() -> Iterator[None]:
    """Keep this logger's :data:`UNLABELLED_LEFT_OUT` line unsaid while the block runs.

    ``train --labels`` counts the rows fit leaves out in its summary, telling the candidates nobody labelled
    from those whose votes map to no output class; fit's line, said first, called all of them "without an
    output class" (a fine-tune on 200 labels of 4,902 candidates said "4702 candidates without an output
    class" and then "(4702 candidates nobody labelled left out)").

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> handler = logging.StreamHandler(out)
    >>> log.addHandler(handler); log.setLevel(logging.INFO)
    >>> with unlabelled_unsaid():
    ...     log.info(UNLABELLED_LEFT_OUT, *unlabelled_left_out_args(3))
    >>> log.info(UNLABELLED_LEFT_OUT, *unlabelled_left_out_args(4))
    >>> log.removeHandler(handler); log.setLevel(logging.NOTSET)
    >>> out.getvalue()
    '4 candidates without an output class are left out of training\\n'
    """

    def other(record: logging.LogRecord) -> bool:
        return record.msg != UNLABELLED_LEFT_OUT

    log.addFilter(other)
    try:
        yield
    finally:
        log.removeFilter(other)

__all__ = [
    "fit", "TrainResult", "MemberSpec", "StampDataset", "effective_config", "ensemble_members",
    "label_indices", "pick_device", "recalibrate_batchnorm", "prepare_data", "TrainData",
    "EarlyStopping", "MemberTrainer", "MemberOutcome", "data_digest", "settings_digest", "init_digest",
    "CautionNote", "warn_caution_notes", "eager_optimizer", "unlabelled_unsaid", "split_apart", "ApartSplit",
    "galaxy_apart", "apart_note",
]


# ----------------------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberSpec:
    """One ensemble member: its index, architecture name and seed.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact")
    >>> [(m.index, m.architecture, m.seed) for m in ensemble_members(effective_config(cfg, ensemble=2, seed=7))]
    [(0, 'compact', 7), (1, 'compact', 8)]
    """

    index: int
    architecture: str
    seed: int


def ensemble_members(config: TaskConfig) -> list[MemberSpec]:
    """The members of a task config (``config.members()``) as :class:`MemberSpec`.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> ensemble_members(get_preset("galaxy-cluster-compact"))
    [MemberSpec(index=0, architecture='compact', seed=0)]
    """
    return [MemberSpec(int(m["index"]), str(m["architecture"]), int(m["seed"])) for m in config.members()]


# ----------------------------------------------------------------------------- data


def label_indices(config: TaskConfig, labels: np.ndarray) -> np.ndarray:
    """Reference classes -> output class *indices* 0..K-1 (-1 = not used for training).

    Examples
    --------
    A task that merges classes 1+2 and 3+4 into its two output classes; 0 has none:

    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4", merge={1: 1, 2: 1, 3: 2, 4: 2}, classes=[1, 2], class_names=["c", "n"])
    >>> label_indices(cfg, np.array([1, 2, 3, 4, 0])).tolist()
    [0, 0, 1, 1, -1]
    """
    return np.asarray(config.class_indices(labels), dtype=np.int64)


# ----------------------------------------------------------------------------- run identity

#: Recipe entries left out of :func:`settings_digest`: members are trained one by one, so an
#: ensemble grown by another member keeps the members it has; the calibration method is fitted
#: after training and changes no weight.
_UNDIGESTED_SETTINGS = ("ensemble_size", "calibration")

#: Rows hashed at a time by :func:`data_digest` (bounds the memory of a memory-mapped input).
_HASH_ROWS = 1024


def settings_digest(config: TaskConfig) -> str:
    """SHA-256 of the task config and recipe a model is trained with (all but the ensemble size).

    Parameters
    ----------
    config : TaskConfig
        The effective config (:func:`effective_config`).

    Returns
    -------
    str
        The hex digest; equal configs give equal digests.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact")
    >>> settings_digest(cfg) == settings_digest(cfg.copy(recipe={"lr": 0.5}))
    False
    """
    return hashlib.sha256(json.dumps(_settings(config), sort_keys=True, default=str).encode()).hexdigest()


def init_digest(source: str | os.PathLike) -> str:
    """SHA-256 of the member files of the saved model a fine-tune starts from.

    Parameters
    ----------
    source : str or os.PathLike
        A model directory, manifest or member checkpoint (as ``fit(init_from=...)`` takes).

    Returns
    -------
    str
        The hex digest; it changes when any member file of the source changes.

    Examples
    --------
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> import shutil, tempfile
    >>> m = Path(tempfile.mkdtemp()) / "sim_model"  # never in the folder the example is run from
    >>> _ = write_untrained_model(m, get_preset("galaxy-cluster-compact", stamp_size=16))
    >>> d = init_digest(m)
    >>> len(d), d == init_digest(m / "manifest.json") == init_digest(m / "member_01.pt")
    (64, True)
    >>> shutil.rmtree(m.parent)
    """
    h = hashlib.sha256()
    for path in member_paths(source):
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _settings(config) -> dict[str, Any]:
    """A config (a TaskConfig, or the dict a checkpoint stores) as :func:`settings_digest` sees it."""
    d = dict(config.to_dict() if hasattr(config, "to_dict") else config or {})
    d = {k: v for k, v in d.items() if not (k in TASK_NEUTRAL and v == TASK_NEUTRAL[k])}
    recipe = dict(d.get("recipe") or {})
    try:
        # a checkpoint's recipe as the recipe reads it now, each number of its declared type: a task file's
        # lr: 1e-4 (PyYAML's string '1e-4') was stored as written, and read as a float now would differ
        read = TrainRecipe.from_dict(recipe).to_dict()
        recipe = {k: read[k] for k in recipe}
    except (StarclassError, TypeError, ValueError):
        pass  # one the recipe refuses now is compared as it was stored
    if recipe.get("lr_schedule") != "plateau":
        # the plateau schedule's factor, patience and floor do nothing under another schedule
        recipe = {k: v for k, v in recipe.items() if k not in ("lr_factor", "lr_patience", "lr_min")}
    d["recipe"] = {k: v for k, v in recipe.items() if k not in _UNDIGESTED_SETTINGS
                   and not (k in RECIPE_NEUTRAL and v == RECIPE_NEUTRAL[k])}
    # through JSON, so a tuple and the list a checkpoint stores for it compare equal
    return json.loads(json.dumps(d, default=str))


def data_digest(inputs: ModelInputs, labels: np.ndarray, *, positions: tuple[np.ndarray,
                np.ndarray] | np.ndarray | None = None,
                galaxies: np.ndarray | None = None, holdout: str | None = None,
                val_index: np.ndarray | None = None, balance_groups: np.ndarray | None = None,
                pseudo_index: np.ndarray | None = None) -> str:
    """SHA-256 of what a model is trained on: labels, positions, galaxies, split rows and inputs.

    Arrays and tensors are hashed in full; a lazily read source (a stamp store) by its shape and
    metadata, since reading every stamp only to hash it would double the cost of an epoch; its
    labels and positions come from the catalogue and are hashed all the same.

    Parameters
    ----------
    inputs, labels, positions, galaxies, holdout, val_index, balance_groups, pseudo_index
        As for :func:`fit`.

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((4, 1, 2, 2), np.float32)
    >>> data_digest(x, [1, 2, 1, 2]) == data_digest(x, [2, 1, 1, 2])
    False
    """
    h = hashlib.sha256()

    def add(name: str, arr) -> None:
        a = np.ascontiguousarray(np.asarray(arr))
        h.update(f"{name}:{a.dtype.str}:{a.shape}".encode())
        h.update(a.astype(str).tobytes() if a.dtype.kind == "O" else a.tobytes())

    # masked labels are no labels (prepare_data): hashed as 0, so masking rows changes the digest
    add("labels", np.ma.filled(np.ma.asarray(labels, dtype=float), 0.0))
    if positions is not None:
        is_xy_array = isinstance(positions, np.ndarray) and positions.ndim == 2 and positions.shape[1] == 2
        px, py = (positions[:, 0], positions[:, 1]) if is_xy_array else positions
        add(X, np.asarray(px, dtype=float))
        add(Y, np.asarray(py, dtype=float))
    if galaxies is not None:
        add("galaxies", np.asarray(galaxies).astype(str))
    if balance_groups is not None:
        # the groups the classes were balanced in change the draw; absent, the digest is as before
        add("balance_groups", np.asarray(balance_groups).astype(str))
    if val_index is not None:
        add("val_index", np.asarray(val_index, dtype=np.int64))
    if pseudo_index is not None and len(pseudo_index):
        # which rows are pseudo-labels changes the split; absent (or none), the digest is as before
        add("pseudo_index", np.asarray(pseudo_index, dtype=np.int64))
    h.update(f"holdout:{holdout!r}".encode())
    source = InputSource(inputs)
    h.update(f"inputs:{source.kind}:{source.shape}".encode())
    if source.kind == "store":
        h.update(json.dumps(getattr(inputs, "meta", None), sort_keys=True, default=str).encode())
    else:
        arr = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else inputs
        for start in range(0, source.shape[0], _HASH_ROWS):
            h.update(np.ascontiguousarray(arr[start:start + _HASH_ROWS], dtype=np.float32).tobytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------- results


class CautionNote(str):
    """A note of :class:`TrainResult` that is also a warning: ``"WARNING: " + message`` as a note.

    :func:`fit` warns each (:func:`warn_caution_notes`) with its ``category``, once, and keeps it among
    its notes; ``starclass train`` prints the warnings, not these notes, so nothing is said twice.

    Parameters
    ----------
    message : str
        The warning's text.
    category : type of Warning
        Its class: :class:`starclass.errors.CalibrationFitWarning` (a map fitted on too few rows, at an
        end of its search) or :class:`starclass.errors.UncalibratedWarning` (a fine-tune left without one).
    text : str, optional
        The note as it reads among the others (default ``"WARNING: " + message``).

    Examples
    --------
    >>> note = CautionNote("the temperature 3.1 was fitted on only 9 held-out rows")
    >>> note.startswith("WARNING: the temperature"), note.message[:15], note.category.__name__
    (True, 'the temperature', 'CalibrationFitWarning')
    """

    message: str
    category: type[Warning]

    def __new__(cls, message: str, category: type[Warning] = CalibrationFitWarning, *,
                text: str | None = None) -> CautionNote:
        note = super().__new__(cls, f"WARNING: {message}" if text is None else text)
        note.message, note.category = str(message), category
        return note


def warn_caution_notes(notes: Sequence[str], *, stacklevel: int = 2) -> list[CautionNote]:
    """Warn each :class:`CautionNote` among ``notes`` with its category, each message once; the ones warned.

    Parameters
    ----------
    notes : sequence of str
        Notes of :func:`fit` (or of a cross-validation); plain strings are passed over.
    stacklevel : int
        As :func:`warnings.warn` would take it in the function that calls this one (2: that function's caller).

    Returns
    -------
    list of CautionNote

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _ = warn_caution_notes(["member 1: early stop", CautionNote("too few rows"), CautionNote("too few rows")])
    >>> [(w.category.__name__, str(w.message)) for w in said]
    [('CalibrationFitWarning', 'too few rows')]
    """
    warned: list[CautionNote] = []
    for note in notes:
        if isinstance(note, CautionNote) and note.message not in {w.message for w in warned}:
            warnings.warn(note.message, note.category, stacklevel=stacklevel + 1)
            warned.append(note)
    return warned


@dataclass
class TrainResult:
    """What :func:`fit` did.

    Attributes
    ----------
    model_path
        The model directory (pass it to :func:`starclass.learn.classify.classify`).
    members
        Member checkpoint files, in ensemble order.
    histories
        Per member, one dict per epoch: ``epoch``, ``train_loss``, ``val_loss``, ``val_acc``,
        ``lr``, ``seconds``.
    best_epochs, val_accuracy, val_balanced_accuracy
        Per member: the epoch kept (1-based), its validation accuracy and its validation balanced
        accuracy (the mean recall over the classes, which a model saying the majority class
        everywhere cannot raise; NaN without validation).
    n_train, n_val, n_unlabelled
        Candidates used for training, for validation, and left out (no output class).
    class_counts
        Training candidates per output class.
    val_index
        Row indices (into the inputs) of the validation candidates.
    device
        Where training ran.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.datasets.stamps import make_synthetic
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    >>> toy = make_synthetic(cfg, 12, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     r = fit(cfg, toy.inputs, toy.class_ref, outdir=d, progress=False, device="cpu")
    >>> r.n_train + r.n_val, r.n_unlabelled, [p.name for p in r.members], r.best_epochs, r.device
    (12, 0, ['member_01.pt'], [1], 'cpu')
    >>> sorted(r.histories[0][0])
    ['epoch', 'lr', 'seconds', 'train_loss', 'val_acc', 'val_loss']
    """

    model_path: Path
    members: list[Path]
    histories: list[list[dict]]
    best_epochs: list[int]
    val_accuracy: list[float]
    n_train: int
    n_val: int
    n_unlabelled: int
    class_counts: dict[int, int]
    val_index: np.ndarray
    device: str
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    n_kept: int = 0
    val_balanced_accuracy: list[float] = field(default_factory=list)


# ----------------------------------------------------------------------------- fitting


def _seed_everything(seed: int, device: torch.device | str | None = None) -> torch.Generator:
    # torch's generators of the device in use only (seed_torch): torch.manual_seed also queued a seed for an
    # unstarted GPU, taken after the run. MemberTrainer.run puts the caller's states back (global_rng_kept)
    seed_torch(seed, device)
    # the global numpy state is seeded on purpose: code the user plugs in (augmentations, samplers) may draw
    # from it, and a seeded run must stay repeatable
    np.random.seed(seed % (2**32))  # noqa: NPY002
    return torch.Generator().manual_seed(seed)


def _epoch_seed(seed: int, epoch: int) -> int:
    return (int(seed) * 1_000_003 + int(epoch) * 7919) % (2**62)


#: The methods of :class:`torch.optim.Optimizer` torch wraps in ``torch._disable_dynamo`` (a guard for
#: ``torch.compile``), whose wrapper imports ``torch._dynamo`` on its first call
_DYNAMO_GUARDED = ("add_param_group", "zero_grad", "state_dict", "load_state_dict")


@functools.cache
def eager_optimizer(cls: type[torch.optim.Optimizer]) -> type[torch.optim.Optimizer]:
    """Torch optimizer class ``cls`` without its guards for ``torch.compile``: the same updates, no ``torch._dynamo``.

    Every torch optimizer imported ``torch._dynamo`` when it was made (``add_param_group``, called by
    its constructor, is wrapped in ``torch._disable_dynamo``, which imports it on its first call) and again in
    ``step`` (whose wrapper calls ``torch._dynamo.graph_break()``): 1.5-5 s and about 160 MiB of some 900
    modules (sympy among them) in every ``train``, ``demo`` and fit (``benchmarks/fit_dynamo.py``). No
    setting of torch's avoids it (``benchmarks/optimizer_dynamo.py``). Those wrappers matter only inside
    ``torch.compile``, which starclass never runs: this subclass calls the functions they wrap (their
    ``__wrapped__``), and ``step`` sets the grad mode as torch's wrapper does. A torch whose methods have no
    ``__wrapped__`` keeps its own (and imports ``torch._dynamo`` as before). The state dict, the
    learning-rate schedulers and ``isinstance(opt, cls)`` are torch's: a checkpoint resumes either way.

    Parameters
    ----------
    cls : type
        A :class:`torch.optim.Optimizer` subclass (``torch.optim.Adam``, ...).

    Returns
    -------
    type
        A subclass of ``cls`` of the same name (one per ``cls``).

    Examples
    --------
    >>> import torch
    >>> SGD = eager_optimizer(torch.optim.SGD)
    >>> issubclass(SGD, torch.optim.SGD), SGD.__name__, SGD is eager_optimizer(torch.optim.SGD)
    (True, 'SGD', True)
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = SGD([w], lr=0.5)
    >>> w.sum().backward(); opt.step(); opt.zero_grad()
    >>> w.detach().tolist(), sorted(opt.state_dict())
    ([0.5, 0.5], ['param_groups', 'state'])
    """
    methods: dict[str, Any] = {"__module__": __name__, "__doc__": cls.__doc__}
    for name in _DYNAMO_GUARDED:
        inner = getattr(getattr(cls, name), "__wrapped__", None)
        if inner is not None:
            methods[name] = inner
    raw_step = getattr(cls.step, "__wrapped__", None)
    if raw_step is not None:
        def step(self, closure=None):
            # what torch's wrapper (_use_grad_for_differentiable) does around the update, but its graph breaks
            with torch.set_grad_enabled(self.defaults["differentiable"]):
                return raw_step(self, closure)

        methods["step"] = functools.wraps(raw_step)(step)
    return type(cls.__name__, (cls,), methods)


def _make_optimizer(recipe, params) -> torch.optim.Optimizer:
    name = str(getattr(recipe, "optimizer", "adam") or "adam").lower()
    lr = float(getattr(recipe, "lr", 1e-4))
    wd = float(getattr(recipe, "weight_decay", 0.0) or 0.0)
    optim = torch.optim
    if name == "adam":
        return eager_optimizer(optim.Adam)(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return eager_optimizer(optim.AdamW)(params, lr=lr, weight_decay=wd)
    if name == "sgd":
        return eager_optimizer(optim.SGD)(params, lr=lr, momentum=float(getattr(recipe, "momentum", 0.9)),
                                          nesterov=bool(getattr(recipe, "nesterov", False)), weight_decay=wd)
    if name == "adadelta":
        # the galaxy-cluster paper's MobileNet (Kosiba et al. 2020, seed 004): Keras' Adadelta, rho 0.95
        return eager_optimizer(optim.Adadelta)(params, lr=lr, rho=float(getattr(recipe, "rho", 0.9)), weight_decay=wd)
    raise StarclassError(f"recipe.optimizer {name!r} is not one of adam, adamw, sgd, adadelta")


def _make_scheduler(recipe, optimizer: torch.optim.Optimizer):
    """The recipe's learning-rate schedule (None: constant), stepped once per epoch."""
    if getattr(recipe, "lr_schedule", None) == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="min", factor=float(recipe.lr_factor), patience=int(recipe.lr_patience),
            min_lr=float(getattr(recipe, "lr_min", 0.0) or 0.0))
    return None


@torch.no_grad()
def _evaluate(model, dataset: StampDataset, batch_size: int, device, amp: torch.dtype | None,
              on_batch: Callable[[int], None] | None = None) -> tuple[float, float, float]:
    """Mean (unweighted) cross-entropy, accuracy and balanced accuracy on a dataset, no augmentation.

    The balanced accuracy is the mean recall over the classes the dataset holds (scikit-learn's
    ``balanced_accuracy_score``); on soft targets each class's recall is the expected agreement of
    the rows weighted by their target share of it. ``on_batch(1)`` is called after each batch.
    """
    if len(dataset) == 0:
        return math.nan, math.nan, math.nan
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    # per class: the rows (or target weight) of that class, and those predicted as it. The plain accuracy
    # alone read 0.942 on a validation set where always saying "non-cluster" scores 0.92
    in_class: torch.Tensor | None = None
    hit: torch.Tensor | None = None
    for xb, yb in loader(dataset, batches(np.arange(len(dataset)), batch_size)):
        xb, yb = to_memory_format(xb.to(device, non_blocking=True), device, amp), yb.to(device)
        with autocast(device, amp):
            logits = model(xb)
        logits = logits.float()
        loss_sum += float(F.cross_entropy(logits, yb, reduction="sum"))
        pred = logits.argmax(1)
        if yb.ndim == 2:
            # soft targets: the expected agreement with a label drawn from the target
            # distribution (the accuracy when the targets are one-hot)
            correct += float(yb[torch.arange(yb.shape[0], device=yb.device), pred].sum())
            weight = yb.double()
        else:
            correct += int((pred == yb).sum())
            weight = F.one_hot(yb, logits.shape[1]).double()
        right = weight * F.one_hot(pred, logits.shape[1]).double()
        in_class = weight.sum(0) if in_class is None else in_class + weight.sum(0)
        hit = right.sum(0) if hit is None else hit + right.sum(0)
        total += int(yb.shape[0])
        if on_batch is not None:
            on_batch(1)
    present = in_class > 0
    balanced = float((hit[present] / in_class[present]).mean())
    return loss_sum / total, correct / total, balanced


@torch.no_grad()
def recalibrate_batchnorm(model: torch.nn.Module, dataset: StampDataset, batch_size: int, device: torch.device | str,
                          dtype: torch.dtype | None = None, on_batch: Callable[[int], None] | None = None, *,
                          seed: int = 0) -> int:
    """Recompute batch-norm running statistics of the final weights over the training set.

    During training the running mean and variance are exponential averages over batches
    taken with *earlier* weights; after a short training (or when the best epoch is kept)
    they can be far from the statistics of the final network, and a deep network in
    inference mode can then overflow. One pass over the (unaugmented) training set with a
    cumulative average fixes them (as :func:`torch.optim.swa_utils.update_bn` does).
    The pass takes the rows in a random order drawn from ``seed`` (the same on every call), as
    training drew its batches, not in the rows' own order: a set sorted by class made batches of
    one class, whose variances leave out the spread between the classes.
    Batch-norm layers whose affine parameters are frozen keep their statistics. Returns the
    number of layers updated. ``dtype`` is the autocast dtype training used (None: float32);
    ``on_batch(1)`` is called after each batch of the pass (a :meth:`starclass.io.progress.Progress.update`).

    Examples
    --------
    The compact network has five batch-norm layers:

    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> data = prepare_data(cfg, np.random.default_rng(0).normal(size=(8, 2, 16, 16)).astype("f4"), [1, 2] * 4, seed=0)
    >>> recalibrate_batchnorm(models.build_model(cfg, pretrained=False), data.train, 8, "cpu")
    5
    """
    layers = [m for m in model.modules()
              if isinstance(m, torch.nn.modules.batchnorm._BatchNorm) and m.track_running_stats
              and (m.weight is None or m.weight.requires_grad)]
    if not layers or len(dataset) == 0:
        if on_batch is not None and len(dataset):
            # nothing to recompute: the pass counts as done, so that a caller's count reaches its total
            on_batch(len(batches(np.arange(len(dataset)), batch_size)))
        return 0
    was_training = model.training
    momenta = {m: m.momentum for m in layers}
    for m in layers:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
    model.train()
    # shuffled: the PAndAS labels.csv lists 467 clusters, then 9 extended clusters, then 393 galaxies, and taken in
    # that order the batches held one class each; the mean of their variances left out the spread between classes.
    # On class-sorted synthetic rows (legus4-compact, batches of 32) the running variances came out down to 0.80 of
    # those of all training rows as one batch (5th percentile; 0.99 shuffled) and the validation loss 0.484 against
    # 0.470. Each batch is still read in the order of its rows (StampDataset.read_batch), as training reads them
    order = np.random.default_rng(seed).permutation(len(dataset))
    for xb, _ in loader(dataset, batches(order, batch_size)):
        if xb.shape[0] >= 2:
            with autocast(device, dtype):
                model(to_memory_format(xb.to(device, non_blocking=True), device, dtype))
        if on_batch is not None:
            on_batch(1)
    for m in layers:
        m.momentum = momenta[m]
    model.train(was_training)
    return len(layers)


@dataclass
class TrainData:
    """The labelled training and validation sets of one :func:`fit`, shared by every member.

    Attributes
    ----------
    train, val : StampDataset
        Training and validation rows with their class indices (``val`` may be empty).
    counts : numpy.ndarray
        Training candidates per output class (in the order of ``config.classes``); with soft
        targets the sum of each class's probability (expected counts, float).
    n_unlabelled : int
        Candidates left out because they map to no output class.
    balance_groups : numpy.ndarray or None
        Group of every training row (in the order of ``train``) for ``recipe.balance_by``.
    apart : ApartSplit or None
        A fine-tune whose validation split was drawn apart from its starting model's training rows
        (``prepare_data(..., start_trained=...)``, :func:`split_apart`): how many labelled rows the
        starting model trained on, how many it did not (``val`` is drawn from them) and how many were
        left out of training too. None: not drawn so.

    Made by :func:`prepare_data`.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"val_fraction": 0.25})
    >>> data = prepare_data(cfg, np.zeros((8, 2, 16, 16), np.float32), [1, 2, 1, 2, 1, 2, 1, 0], seed=0)
    >>> len(data.train) + len(data.val), int(data.counts.sum()), data.n_unlabelled
    (7, 5, 1)
    """

    train: StampDataset
    val: StampDataset
    counts: np.ndarray
    n_unlabelled: int
    balance_groups: np.ndarray | None = None
    apart: ApartSplit | None = None


def prepare_data(config: TaskConfig, inputs: ModelInputs, labels: np.ndarray, *, seed: int,
                 positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
                 galaxies: np.ndarray | None = None, holdout: str | None = None,
                 val_index: np.ndarray | None = None, balance_groups: np.ndarray | None = None,
                 pseudo_index: np.ndarray | None = None, start_trained: np.ndarray | None = None,
                 noun: str = "candidate") -> TrainData:
    """Map labels to the task's classes, split train/validation and check every class is there.

    Parameters
    ----------
    config : TaskConfig
        The task (classes, merges, ``recipe.split`` and ``recipe.val_fraction``).
    inputs, labels
        As for :func:`fit`.
    seed : int
        Seed of the split (the first member's).
    positions, galaxies, holdout, val_index, balance_groups, pseudo_index, noun
        As for :func:`fit`.
    start_trained : numpy.ndarray, optional
        One bool per row, True where the model a fine-tune starts from was trained on the row
        (:func:`starclass.learn.provenance.starting_rows`). Those rows are never validated on
        (:func:`split_apart`): with a ``random`` or ``spatial`` split they are trained on again and
        the split is drawn from the other labelled rows, as many of them as ``val_fraction`` of all the
        labelled rows (at most :data:`MAX_FRESH_VAL_SHARE` of them, so the new labels are mostly
        learnt); with a ``galaxy`` split the held-out galaxy is validated on its other rows and those
        are left out of training too. Where no labelled row is new to the starting model (a galaxy
        split: no row of the held-out galaxy) the split is drawn as without it.

    Returns
    -------
    TrainData

    Raises
    ------
    StarclassError
        When the inputs have the wrong number of channels or a size other than the task's
        ``stamp_size``, the labels the wrong length, no candidate has a task class, or a task
        class has no training example.

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster", stamp_size=8, recipe={"val_fraction": 0.25})
    >>> x = np.zeros((8, cfg.n_channels, 8, 8), np.float32)
    >>> data = prepare_data(cfg, x, [1, 2] * 4, seed=0)
    >>> len(data.train), len(data.val), data.counts.tolist()
    (6, 2, [3, 3])
    """
    recipe = config.recipe
    source = InputSource(inputs)
    n = len(source)
    if source.shape[1] != config.n_channels:
        raise StarclassError(
            f"training inputs have {source.shape[1]} channels but task {config.name!r} expects "
            f"{config.n_channels} (bands {list(config.bands)} x scales {list(config.scales)}"
            f"{', rgb' if config.normalisation == 'rgb' else ''})"
        )
    if bool(getattr(recipe, "augment", True)) and source.shape[2] != source.shape[3]:
        # found here, not as the augment module's bare ValueError in the first batch
        raise StarclassError(
            f"training inputs are {source.shape[2]} x {source.shape[3]} px (H x W), not square: the "
            "augmentation (recipe.augment) turns them by multiples of 90 degrees; cut square stamps "
            "(starclass.stamps.make_inputs) or set recipe.augment to false")
    if tuple(source.shape[2:]) != (config.stamp_size, config.stamp_size):
        # predict_inputs refuses any other size (the network would take it, and answer for stamps
        # it never saw), so a model trained on them could not classify its own training stamps
        raise StarclassError(
            f"training inputs are {source.shape[2]} x {source.shape[3]} px (H x W) but task {config.name!r} "
            f"takes {config.stamp_size} x {config.stamp_size} px stamps (stamp_size={config.stamp_size}), the "
            "size the model will classify: cut them at that size (starclass.stamps.make_inputs with the "
            "config) or set the config's stamp_size to theirs (get_preset(name, stamp_size=...))")
    # np.asarray dropped the mask of a MaskedColumn (a table's blank or masked classes), so the
    # values under it were trained on as labels; masked is "no label" (map_classes: -1)
    labels = np.ma.asarray(labels)
    if labels.shape[0] != n:
        raise StarclassError(f"{labels.shape[0]} labels for {n} training inputs")
    soft = None
    if labels.ndim == 2:
        # a masked soft target is no target: a row of zeros
        soft = _soft_labels(config, np.ma.filled(labels.astype(np.float64), 0.0))
        # the hard class (largest target) stratifies the split, balances and checks classes
        target = np.where(soft.sum(axis=1) > 0, soft.argmax(axis=1), -1).astype(np.int64)
    else:
        target = label_indices(config, labels)
    # a reference already in the task's own classes (binary 1/2 for m31-binary) went through the merge from the
    # PHANGS four, 2 -> 1, and training refused "class 2 has no training example" as if there were none
    collapsed = None if soft is not None else merge_collapse_note(
        config.merge, config.classes, labels, task=config.name, what="training labels",
        class_names=getattr(config, "class_names", None))
    used = np.flatnonzero(target >= 0)
    n_unlabelled = n - used.size
    if used.size == 0:
        raise StarclassError(
            f"no training {noun} has a label among the task's classes {list(config.classes)} "
            f"(after merges {dict(config.merge) if config.merge else 'none'})" + (f". {collapsed}" if collapsed else "")
        )

    # pseudo-labels (a model's own confident classes) are trained on but never validated on:
    # the split is drawn on people's labelled rows and the pseudo-labelled rows join its training part
    pseudo = np.zeros(0, np.int64) if pseudo_index is None else np.asarray(pseudo_index, dtype=np.int64)
    if pseudo.size and (pseudo.min() < 0 or pseudo.max() >= n):
        raise StarclassError(f"pseudo_index: rows must be in 0..{n - 1}")
    pseudo = np.intersect1d(pseudo, used)
    all_used = used
    if pseudo.size:
        used = np.setdiff1d(used, pseudo)
        if used.size == 0:
            raise StarclassError("every labelled training row is a pseudo-label: people's labels are needed for "
                                 "the validation split (and are what the pseudo-labels extend)")
    # the split is drawn on the labelled subset
    apart = None
    if val_index is not None:
        val_rows = np.intersect1d(np.asarray(val_index, dtype=np.int64), used)
        train_rows = np.setdiff1d(all_used, val_rows)
    else:
        pos_sub = None
        if positions is not None:
            is_xy_array = isinstance(positions, np.ndarray) and positions.ndim == 2 and positions.shape[1] == 2
            px, py = (positions[:, 0], positions[:, 1]) if is_xy_array else positions
            pos_sub = (np.asarray(px)[used], np.asarray(py)[used])
        gal_sub = None if galaxies is None else np.asarray(galaxies)[used]
        split = getattr(recipe, "split", "random") or "random"
        fraction = float(getattr(recipe, "val_fraction", 0.1) or 0.0)
        if start_trained is not None and (split == "galaxy" or fraction > 0):
            # a galaxy split validated on the held-out galaxy's every row, those the start trained on too
            apart = split_apart(split, target, used, start_trained, fraction, seed, positions=pos_sub,
                                galaxies=gal_sub, holdout=holdout)
        if apart is not None:
            train_rows, val_rows = np.union1d(apart.train_rows, pseudo), apart.val_rows
        else:
            tr, va = split_indices(split, target[used], fraction=fraction, seed=seed,
                                   positions=pos_sub, galaxies=gal_sub, holdout=holdout)
            train_rows, val_rows = np.union1d(used[tr], pseudo), used[va]

    k = config.n_classes
    counts = np.bincount(target[train_rows], minlength=k)
    if soft is not None:
        # soft targets: a class is taught by every row that gives it some probability, so the
        # counts are the expected numbers of candidates per class
        counts = soft[train_rows].sum(axis=0)
    missing = [int(config.classes[j]) for j in range(k) if counts[j] == 0]
    if missing:
        names = list(getattr(config, "class_names", []) or [])
        desc = ", ".join(
            f"{c} ({names[config.classes.index(c)]})" if len(names) == k else str(c) for c in missing
        )
        advice = (f"add labelled {noun}s of {'that class' if len(missing) == 1 else 'those classes'} or merge/drop "
                  f"{'it' if len(missing) == 1 else 'them'} in the task config")
        if collapsed:
            # the merge emptied the class, not the labels: say so, and how to keep the labels' own classes
            advice = merge_collapse_note(config.merge, config.classes, labels, task=config.name,
                                         what="training labels", class_names=getattr(config, "class_names", None),
                                         otherwise=advice)
        raise StarclassError(
            f"task {config.name!r}: {'class' if len(missing) == 1 else 'classes'} {desc} "
            f"{'has' if len(missing) == 1 else 'have'} no training example (training counts "
            f"{dict(zip([int(c) for c in config.classes], counts.tolist()))}); {advice}"
        )
    if collapsed:
        warnings.warn(collapsed, UserWarning, stacklevel=2)
    if n_unlabelled:
        log.info(UNLABELLED_LEFT_OUT, *unlabelled_left_out_args(n_unlabelled, noun))
    by = getattr(recipe, "balance_by", None)
    groups = None
    if by is not None:
        if balance_groups is None:
            raise StarclassError(f"recipe.balance_by={by!r}: the group of every training row is needed "
                                 f"(train from a cutout folder that has a {by!r} column)")
        groups = np.asarray(balance_groups)
        if groups.shape[0] != n:
            raise StarclassError(f"recipe.balance_by: {groups.shape[0]} groups for {n} training inputs")
        groups = groups[train_rows]
    fitted = target if soft is None else soft
    return TrainData(StampDataset(source, train_rows, fitted[train_rows]),
                     StampDataset(source, val_rows, fitted[val_rows]), counts, int(n_unlabelled), groups, apart)


#: The largest share of the labelled rows new to a fine-tune's starting model that its validation split takes
#: (:func:`prepare_data`'s ``start_trained``): the rest are trained on, the new labels being what it is for
MAX_FRESH_VAL_SHARE = 0.5


class ApartSplit(NamedTuple):
    """A fine-tune's validation split drawn apart from its starting model's training rows (:func:`split_apart`).

    Attributes
    ----------
    train_rows, val_rows : numpy.ndarray
        Sorted row indices (into the rows ``used`` indexes) trained on and validated on.
    n_start_trained : int
        Labelled rows the starting model trained on: never validated on.
    n_fresh : int
        Labelled rows it did not train on, which the validation rows are drawn from (a galaxy split: those
        of the held-out galaxy).
    n_left_out : int
        Rows the starting model trained on that are neither validated on nor trained on: a galaxy split's
        rows of the held-out galaxy (training on them would train on the galaxy held out). 0 otherwise.
    held_out : str or None
        The held-out galaxy of a galaxy split; None otherwise.

    Examples
    --------
    >>> apart = ApartSplit(np.array([0, 1]), np.array([2]), n_start_trained=2, n_fresh=1)
    >>> apart.n_left_out, apart.held_out
    (0, None)
    """

    train_rows: np.ndarray
    val_rows: np.ndarray
    n_start_trained: int
    n_fresh: int
    n_left_out: int = 0
    held_out: str | None = None


def galaxy_apart(galaxies: np.ndarray, start_trained: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The galaxy rule of a split drawn apart from a starting model's rows: galaxy ``name`` held out.

    Its rows the starting model did not train on are the ones held out (validated on by a galaxy split,
    scored by a ``--cv logo`` fold); those it trained on are neither held out (their scores would be
    in-sample) nor trained on (that would train on the galaxy held out). One rule for
    :func:`split_apart` and :func:`starclass.learn.crossval.cv_folds` / its folds' training rows.

    Parameters
    ----------
    galaxies : numpy.ndarray
        The galaxy (or field) of every row.
    start_trained : numpy.ndarray
        One bool per row: True where the starting model trained on it.
    name : str
        The galaxy held out.

    Returns
    -------
    held_out, left_out : numpy.ndarray
        One bool per row each: the galaxy's rows held out, and its rows left out of training.

    Examples
    --------
    >>> held, left = galaxy_apart(np.array(["a", "b", "b", "b"]), np.array([True, True, False, False]), "b")
    >>> np.flatnonzero(held).tolist(), np.flatnonzero(left).tolist()
    ([2, 3], [1])
    """
    in_galaxy = np.asarray(galaxies).astype(str) == str(name)
    seen = np.asarray(start_trained, dtype=bool)
    return in_galaxy & ~seen, in_galaxy & seen


def split_apart(split: str, target: np.ndarray, used: np.ndarray, start_trained: np.ndarray, fraction: float,
                seed: int, *, positions: tuple[np.ndarray, np.ndarray] | None = None,
                galaxies: np.ndarray | None = None, holdout: str | None = None, groups: np.ndarray | None = None,
                class_names: dict[int, str] | None = None) -> ApartSplit | None:
    """A fine-tune's split drawn from the labelled rows its starting model did not train on, or None.

    Validated on, a row the starting weights learnt is taken for unseen: early stopping, the validation
    accuracy and the calibration were partly in-sample, and with few new labels wholly. Every split
    keeps such rows out of validation, one way for all (``fit`` for a catalogue's or stamp store's rows,
    ``fit_cutouts`` for a cutout folder's):

    * ``random``, ``spatial``: about ``fraction`` of all the labelled rows, as without a starting model,
      is drawn from the new ones (at most :data:`MAX_FRESH_VAL_SHARE` of them, so that the new labels are
      mostly learnt); the rows the starting model trained on are trained on again.
    * ``group`` (a cutout folder's objects, :func:`starclass.learn.cutouts.group_validation`): the same,
      drawn by whole objects among those of which the starting model trained on no cutout; every cutout
      of an object it trained on is trained on (another cutout of that object would be validated on a
      picture of an object the weights learnt).
    * ``galaxy``: the held-out galaxy (``holdout``, else drawn with ``seed`` as :func:`starclass.learn.splits.
      galaxy_split` draws it) is validated on its rows the starting model did not train on; its other rows
      are left out of training too, since training on them would train on the galaxy held out.

    Parameters
    ----------
    split : str
        ``random``, ``spatial``, ``galaxy`` or ``group``.
    target : numpy.ndarray
        The class (index or value) of every row, which stratifies the draw.
    used : numpy.ndarray
        The labelled rows to split (indices into ``target`` and ``start_trained``).
    start_trained : numpy.ndarray
        One bool per row: True where the starting model trained on it
        (:func:`starclass.learn.provenance.starting_rows` compared by row digest).
    fraction : float
        The validation fraction (``recipe.val_fraction``); not used by a galaxy split.
    seed : int
        Seed of the draw.
    positions, galaxies, groups : numpy.ndarray, optional
        ``(x, y)``, the galaxy and the object of every row of ``used`` (in its order), for the split that
        needs it.
    holdout : str, optional
        The galaxy held out by a galaxy split.
    class_names : dict, optional
        Words for the classes in a group split's warnings.

    Returns
    -------
    ApartSplit or None
        None where no labelled row was trained on by the starting model, none is new to it (a galaxy
        split: it trained on no row of the held-out galaxy, or on all of them), or the split
        cannot be drawn on the new rows alone (all in one tile; too few objects): the split is then drawn
        as without a starting model, and ``fit`` warns of its validation rows seen.

    Examples
    --------
    Ten rows of two classes; the starting model trained on the first four:

    >>> import numpy as np
    >>> target = np.array([0, 1] * 5)
    >>> seen = np.arange(10) < 4
    >>> apart = split_apart("random", target, np.arange(10), seen, 0.2, seed=0)
    >>> apart.val_rows.size, bool(seen[apart.val_rows].any()), apart.n_start_trained, apart.n_fresh
    (2, False, 4, 6)

    Held out galaxy ``b`` (rows 5-9), of which the starting model trained on rows 5 and 6:

    >>> gal = np.array(["a"] * 5 + ["b"] * 5)
    >>> seen = np.isin(np.arange(10), [0, 5, 6])
    >>> apart = split_apart("galaxy", target, np.arange(10), seen, 0.2, 0, galaxies=gal, holdout="b")
    >>> apart.val_rows.tolist(), apart.train_rows.tolist(), apart.n_left_out, apart.held_out
    ([7, 8, 9], [0, 1, 2, 3, 4], 2, 'b')
    """
    used = np.asarray(used, dtype=np.int64)
    seen = np.asarray(start_trained, dtype=bool)[used]
    if not seen.any() or seen.all():
        return None
    target = np.asarray(target)
    if split == "galaxy":
        if galaxies is None:
            raise StarclassError("split='galaxy' needs the galaxy of every candidate (column 'galaxy')")
        tr, va = split_indices("galaxy", target[used], fraction=fraction, seed=seed, galaxies=galaxies,
                               holdout=holdout)
        name = str(np.asarray(galaxies).astype(str)[va[0]]) if va.size else ""
        held, _ = galaxy_apart(galaxies, seen, name)
        fresh_val = va[held[va]]
        if fresh_val.size == 0 or fresh_val.size == va.size:
            # the starting model trained on every row of the galaxy (kept, with its warning) or on none (as
            # when it held out the same galaxy: the split is the plain one, and "the 0 of its rows" was said)
            return None
        return ApartSplit(used[tr], used[fresh_val], int(seen.sum()), int(fresh_val.size),
                          int(va.size - fresh_val.size), name)
    apart = ~seen
    if split == "group":
        if groups is None:
            raise StarclassError("a group split needs the group of every row")
        names = np.asarray(groups).astype(str)
        # an object one of whose cutouts the starting model trained on stays on the training side whole
        apart = ~np.isin(names, names[seen])
        if not apart.any():
            return None
    fresh = used[apart]
    share = min(fraction * used.size / fresh.size, MAX_FRESH_VAL_SHARE)
    try:
        if split == "group":
            from starclass.learn.cutouts import group_validation

            tr, va = group_validation(target[fresh], np.asarray(groups).astype(str)[apart], share, seed,
                                      class_names=class_names)
        else:
            fresh_pos = None if positions is None else (np.asarray(positions[0])[apart],
                                                        np.asarray(positions[1])[apart])
            tr, va = split_indices(split, target[fresh], fraction=share, seed=seed, positions=fresh_pos)
    except (StarclassError, ValueError):
        return None  # the split drawn on every labelled row, with its warning of the rows seen
    if va.size == 0:
        return None
    return ApartSplit(np.union1d(used[~apart], fresh[tr]), fresh[va], int(seen.sum()), int((~seen).sum()))


def _soft_labels(config, labels: np.ndarray) -> np.ndarray:
    """Check soft targets ``(N, n_classes)``: finite, non-negative, rows summing to 1 or 0."""
    k = config.n_classes
    if labels.shape[1] != k:
        raise StarclassError(
            f"soft targets have {labels.shape[1]} columns but task {config.name!r} has {k} classes "
            f"{list(config.classes)} (one probability per output class; starclass.learn.labels.task_targets)")
    soft = np.asarray(labels, dtype=np.float64)
    total = soft.sum(axis=1)
    bad = ~np.isfinite(soft).all(axis=1) | (soft < 0).any(axis=1) | ((total > 0) & (np.abs(total - 1) > 1e-4))
    if bad.any():
        raise StarclassError(f"soft targets of rows {np.flatnonzero(bad)[:10].tolist()} are not probabilities "
                             "(finite, >= 0, summing to 1; a row of zeros = no target)")
    return soft


@dataclass
class EarlyStopping:
    """Best epoch so far by validation accuracy (ties: lower loss) and the patience count.

    Parameters
    ----------
    patience : int or None
        Epochs without improvement before stopping (None or 0: never stop).
    has_val : bool
        Whether there is a validation set; without one, the last epoch is kept and training
        never stops early.

    Examples
    --------
    >>> es = EarlyStopping(patience=1, has_val=True)
    >>> es.update(1, val_loss=0.5, val_acc=0.8, snapshot=lambda: {"w": 1}); es.stopped
    False
    >>> es.update(2, val_loss=0.4, val_acc=0.7, snapshot=lambda: {"w": 2})
    >>> es.stopped, es.best_epoch, es.best_state
    (True, 1, {'w': 1})
    """

    patience: int | None
    has_val: bool
    best_key: tuple[float, float] = (-math.inf, -math.inf)
    bad: int = 0
    best_epoch: int = 0
    best_state: dict | None = None

    @property
    def stopped(self) -> bool:
        """True once ``patience`` epochs in a row did not improve on the best.

        Examples
        --------
        >>> es = EarlyStopping(patience=2, has_val=True)
        >>> for epoch, acc in enumerate([0.8, 0.7, 0.6], 1):
        ...     es.update(epoch, val_loss=0.5, val_acc=acc, snapshot=dict)
        ...     print(epoch, es.stopped)
        1 False
        2 False
        3 True
        >>> EarlyStopping(patience=2, has_val=False).stopped  # no validation rows: never stops early
        False
        """
        return self.patience is not None and self.patience > 0 and self.bad >= self.patience and self.has_val

    def update(self, epoch: int, val_loss: float, val_acc: float, snapshot: Callable[[], dict]) -> None:
        """Record epoch ``epoch`` (1-based); ``snapshot()`` copies its weights, called only
        when the epoch is the new best (a copy per epoch would cost a model's memory each time)."""
        if not self.has_val:
            self.best_epoch, self.best_state = epoch, None
        elif (val_acc, -val_loss) > self.best_key:
            self.best_key, self.bad, self.best_epoch = (val_acc, -val_loss), 0, epoch
            self.best_state = snapshot()
        else:
            self.bad += 1

    def to_dict(self) -> dict[str, Any]:
        """What an epoch checkpoint stores under ``early_stopping``."""
        return {"best_acc": self.best_key[0], "best_loss": -self.best_key[1],
                "bad_epochs": self.bad, "stopped": self.stopped}

    def restore(self, ckpt: dict) -> None:
        """Take the state of an epoch checkpoint (see :meth:`to_dict`)."""
        es = ckpt.get("early_stopping", {})
        self.best_key = (float(es.get("best_acc", -math.inf)), -float(es.get("best_loss", math.inf)))
        self.bad = int(es.get("bad_epochs", 0))
        self.best_epoch = int(ckpt.get("best_epoch") or 0)
        self.best_state = ckpt.get("best_state_dict")


@dataclass
class MemberOutcome:
    """One member's part of a :class:`TrainResult`.

    What :meth:`MemberTrainer.run` returns.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1, "batch_size": 4})
    >>> data = prepare_data(cfg, np.random.default_rng(0).normal(size=(8, 2, 16, 16)).astype("f4"), [1, 2] * 4, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     o = MemberTrainer(cfg, ensemble_members(cfg)[0], data, outdir=Path(d), device=torch.device("cpu"),
    ...                       amp=None, progress=False).run(resume=False)
    >>> o.path.name, o.best_epoch, o.trained, len(o.history)
    ('member_01.pt', 1, True, 1)
    """

    path: Path
    history: list[dict]
    best_epoch: int
    val_acc: float
    notes: list[str]
    trained: bool = True
    #: old -> new member digest of a kept member given the values now of entries that change no weight
    #: (:data:`RESUME_NEUTRAL_KEYS`): the same weights, so a calibration fitted for the old digest still holds
    redigested: dict[str, str] = field(default_factory=dict)
    #: the validation balanced accuracy (mean recall over the classes), NaN without a validation set
    val_balanced_acc: float = math.nan


def mixup_batch(xb: torch.Tensor, alpha: float,
                gen: torch.Generator) -> tuple[torch.Tensor, tuple[float, torch.Tensor]]:
    """Mixup of one batch: ``lam * xb + (1 - lam) * xb[perm]`` with ``lam ~ Beta(alpha, alpha)``.

    ``lam`` and ``perm`` are drawn from ``gen`` (a CPU generator: the training epoch's), so the
    same generator state gives the same mix; the caller mixes the losses of the two label sets
    with the same ``lam``.

    Parameters
    ----------
    xb : torch.Tensor
        The batch ``(B, C, H, W)``.
    alpha : float
        The Beta distribution's parameter (> 0).
    gen : torch.Generator
        Source of the random draws.

    Returns
    -------
    mixed : torch.Tensor
        The mixed batch, same shape and dtype.
    (lam, perm) : float, torch.Tensor
        The weight of the batch itself and the permutation (CPU, int64) of its partners.

    Examples
    --------
    >>> x = torch.arange(4.0).reshape(4, 1, 1, 1)
    >>> mixed, (lam, perm) = mixup_batch(x, 0.2, torch.Generator().manual_seed(0))
    >>> torch.allclose(mixed, lam * x + (1 - lam) * x[perm])
    True
    """
    # torch's Beta sampler takes no generator: a numpy generator seeded from ``gen`` keeps the
    # draw a function of the epoch's seed (deterministic, and equal after a resume)
    seed = int(torch.randint(0, 2**62, (1,), generator=gen))
    lam = float(np.random.default_rng(seed).beta(alpha, alpha))
    perm = torch.randperm(xb.shape[0], generator=gen)
    return lam * xb + (1.0 - lam) * xb[perm.to(xb.device)], (lam, perm)


class MemberTrainer:
    """Trains one ensemble member: set-up, resume, epochs, validation, checkpoints.

    :meth:`run` is the whole job; the steps are methods so that each reads on its own:
    :meth:`setup` (seeds, network, optimizer, gradient scaler), :meth:`restore` (resume
    from the epoch checkpoint), :meth:`train_epoch`, :meth:`validate`,
    :meth:`end_epoch` (history, early stopping, epoch checkpoint) and :meth:`finish`
    (best weights, batch-norm recalibration, member checkpoint).

    Parameters
    ----------
    config : TaskConfig
        The task, with command-line overrides applied (:func:`effective_config`).
    spec : MemberSpec
        The member.
    data : TrainData
        Training and validation sets.
    outdir : pathlib.Path
        The model directory.
    device : torch.device
        Where to train.
    amp : torch.dtype or None
        Autocast dtype (None: float32).
    progress : bool, str or None
        Show a progress bar; None: timed lines of the batches instead
        (:class:`starclass.io.progress.Progress`, with its "still working" lines during a long epoch); a
        string: the bar, ``progress_label`` being the string.
    n_members : int
        Members in the ensemble (for the progress bar).
    identity : dict or None
        ``{"data_digest": ..., "settings_digest": ...}`` of the run, stored in every checkpoint
        and compared before a checkpoint is resumed or kept (None: not checked).
    init_from : path, optional
        A saved model whose weights the member starts from (:mod:`starclass.learn.finetune`).
    progress_label : str, optional
        What starts the bar's label, each batch line and each epoch line (``"fold 2/5"``: the bars and
        lines of the folds of a cross-validation were alike).
    starting_model : LoadedModel, optional
        ``init_from`` as :func:`starclass.learn.checkpoint.load_model` loaded it: its weights are taken from
        there, not read from its member file again (:func:`starclass.learn.finetune.initial_state`).

    Examples
    --------
    >>> import tempfile, numpy as np, torch
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1, "batch_size": 4})
    >>> data = prepare_data(cfg, np.random.default_rng(0).normal(size=(8, 2, 16, 16)).astype("f4"),
    ...                     [1, 2] * 4, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     trainer = MemberTrainer(cfg, ensemble_members(cfg)[0], data, outdir=Path(d),
    ...                             device=torch.device("cpu"), amp=None, progress=False)
    ...     trainer.run(resume=False).path.name
    'member_01.pt'
    """

    def __init__(self, config: TaskConfig, spec: MemberSpec, data: TrainData, *, outdir: Path, device: torch.device,
                 amp: torch.dtype | None, progress: bool | str | None = False, n_members: int = 1,
                 identity: dict[str, str] | None = None,
                 init_from: str | os.PathLike | None = None, progress_label: str | None = None,
                 starting_model: LoadedModel | None = None) -> None:
        if isinstance(progress, str):  # the older spelling of a labelled bar
            progress, progress_label = True, progress
        self.config = config
        self.identity = dict(identity or {})
        self.recipe = config.recipe
        self.spec = spec
        self.data = data
        self.device = device
        self.amp = amp
        self.progress = progress
        self.progress_label = progress_label
        self.n_members = n_members
        self.init_from = init_from
        self.starting_model = starting_model if init_from is not None else None
        self.batch_size = int(getattr(self.recipe, "batch_size", 128) or 128)
        self.n_epochs = int(self.recipe.epochs)
        self.final_path = outdir / member_filename(spec.index)
        self.last_path = outdir / epoch_filename(spec.index)
        self.notes: list[str] = []
        self.init_weights = "scratch"  # set by setup(): "scratch", "imagenet:<path>" or "model:<path>"
        self.val_acc_txt = "n/a"

    # ------------------------------------------------------------------ steps
    def setup(self, resuming: bool = False) -> None:
        """Seed, build the network, the optimizer and the gradient scaler; empty history.

        ``resuming``: the epoch checkpoint will replace the weights (:meth:`restore`). The network is
        then built as the interrupted run started, from what its checkpoint recorded, not from the torch
        cache as it is now: ImageNet weights put in the cache (or removed) in between made the resumed
        network freeze layers the run had not (or the reverse), and the optimizer's saved state no longer
        fitted ("loaded state dict contains a parameter group that doesn't match", a traceback), or the
        member recorded ImageNet weights it never started from.
        """
        _seed_everything(self.spec.seed, self.device)
        from starclass.models.torchvision_nets import no_weights_announced

        started = None
        if resuming and self.init_from is None:
            started = load_checkpoint(self.last_path, kind="epoch").get("init_weights")
        # fine-tuning: the weights come from init_from, so no ImageNet file is read and the network
        # does not warn that training starts from scratch (it logged so for every --resume-from);
        # from scratch, the WARNING note below says it (NOT_FROZEN_NOTE), once
        with no_weights_announced():
            if started is None:
                pretrained: bool | str = self.init_from is None
            else:
                # ImageNet then: frozen as then, no file read; from scratch then: random, nothing frozen
                pretrained = False if str(started).startswith("imagenet:") else "scratch"
            net = models.build_model(self.config, member=self.spec.index, pretrained=pretrained)
        self.model = to_memory_format(net.to(self.device), self.device, self.amp)
        if self.init_from is not None:
            # fine-tuning: only the weights are carried over; optimizer and history start afresh
            self.model.load_state_dict(initial_state(self.init_from, self.config, self.spec.index,
                                                     self.spec.architecture, self.model, self.starting_model))
            self.notes.append(f"member {self.spec.index + 1}: initialised from {self.init_from}")
        source = str(getattr(self.model, "weights_source", "scratch")) if started is None else str(started)
        # where the weights training started from, kept in the member file (starclass info MODEL):
        # whether a model stands on ImageNet or on random filters was not recorded anywhere
        self.init_weights = f"model:{self.init_from}" if self.init_from is not None else source
        if self.init_from is None and source.startswith("imagenet:") and started is None:
            # said only in a log line no one saw: a user who put weights in the cache could not tell they were used
            k = int(getattr(self.model, "frozen_layers", 0) or 0)
            self.notes.append(f"member {self.spec.index + 1} ({self.spec.architecture}): started from the ImageNet "
                              f"weights in {source[len('imagenet:'):]}"
                              + (f", first {counted(k, 'convolution')} frozen over them" if k else ""))
        wanted = int(getattr(self.model, "frozen_requested", 0) or 0)
        if wanted and self.init_from is not None:
            # trained weights (e.g. pretrained on simulated data) stand in for ImageNet: freezing means something
            if not getattr(self.model, "frozen_layers", 0):
                self.model.freeze(wanted)
            self.notes.append(f"member {self.spec.index + 1}: first {counted(wanted, 'convolution')} frozen over the "
                              f"weights of {self.init_from}")
        elif wanted and not getattr(self.model, "frozen_layers", 0):
            from starclass.models.torchvision_nets import NOT_FROZEN_NOTE

            self.notes.append(
                f"WARNING member {self.spec.index + 1} ({self.spec.architecture}): no pretrained weights, so "
                f"training started from scratch and the {counted(wanted, 'layer')} {NOT_FROZEN_NOTE}")
        self.optimizer = _make_optimizer(self.recipe, [p for p in self.model.parameters() if p.requires_grad])
        self.scheduler = _make_scheduler(self.recipe, self.optimizer)
        # float16 needs loss scaling; bfloat16 has float32's exponent range and does not
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.device.type == "cuda" and self.amp == torch.float16)
        self.history: list[dict] = []
        self.start_epoch = 0
        self.stopping = EarlyStopping(getattr(self.recipe, "early_stopping_patience", None),
                                      has_val=len(self.data.val) > 0)
        balance = getattr(self.recipe, "balance", "weighted_sampler")
        counts, train = self.data.counts, self.data.train
        given_mix = getattr(self.recipe, "class_mix", None)
        mix = balance_mix(given_mix, len(counts))
        self.class_weights = None
        if balance == "class_weights":
            # without a class mix, the expression models were trained with before the option (bit for bit)
            w = class_mix_weights(counts, mix) if given_mix is not None else len(train) / (len(counts) * counts)
            self.class_weights = torch.tensor(w, dtype=torch.float32, device=self.device)
        elif balance not in (None, "none", "weighted_sampler"):
            raise StarclassError(f"recipe.balance {balance!r} is not weighted_sampler, class_weights or None")
        self.balance = balance
        hard = train.targets if train.targets.ndim == 1 else train.targets.argmax(axis=1)
        # a sample of class k drawn with probability mix_k / n_k: each epoch's draw has the mix
        num = mix[hard] if given_mix is not None else 1.0
        weights = num / np.maximum(counts[hard], 1e-12)
        if balance == "weighted_sampler" and self.data.balance_groups is not None:
            # within each group (e.g. a region of the sky) the classes are balanced, so the
            # surroundings a group shares carry no evidence for the class
            weights, left_out = group_balance_weights(hard, self.data.balance_groups, mix,
                                                      float(getattr(self.recipe, "balance_cap", 5.0)))
            n_groups = np.unique(self.data.balance_groups).size
            note = (f"member {self.spec.index + 1}: classes balanced within {n_groups} groups of "
                    f"recipe.balance_by={self.recipe.balance_by!r} (largest row weight {weights.max():.2f})")
            if left_out:
                note += f"; {counted(left_out, 'row')} of groups that lack a class left out of the draw"
            self.notes.append(note)
        self.sample_weights = torch.as_tensor(weights, dtype=torch.double)

    def restore(self) -> None:
        """Continue after the last finished epoch of the epoch checkpoint (optimizer included)."""
        state = load_checkpoint(self.last_path, kind="epoch")
        if note := _check_same_run(self.last_path, state, self.config, self.spec, self.identity):
            self.notes.append(f"member {self.spec.index + 1}: {note}")
        self.model.load_state_dict(state["state_dict"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and "scheduler" in state:
            self.scheduler.load_state_dict(state["scheduler"])
        if "scaler" in state and self.scaler.is_enabled():
            self.scaler.load_state_dict(state["scaler"])
        self.history = list(state["history"])
        self.start_epoch = int(state["epoch"])
        self.stopping.restore(state)
        self.notes.append(f"member {self.spec.index + 1}: resumed after epoch {self.start_epoch}")
        log.info("member %d: resuming after epoch %d from %s", self.spec.index + 1, self.start_epoch,
                 self.last_path)

    def epoch_order(self, epoch: int) -> tuple[np.ndarray, torch.Generator]:
        """Re-seed for ``epoch`` (0-based) and draw its order of training samples.

        Seeding from ``(seed, epoch)`` is what makes a resumed run equal an uninterrupted one.
        Returns the order and the generator that augmentation goes on to use.
        """
        es_seed = _epoch_seed(self.spec.seed, epoch)
        seed_torch(es_seed, self.device)  # dropout draws from the device's global generator
        gen = torch.Generator().manual_seed(es_seed)
        n = len(self.data.train)
        if self.balance == "weighted_sampler":
            order = torch.multinomial(self.sample_weights, n, replacement=True, generator=gen).numpy()
        else:
            order = torch.randperm(n, generator=gen).numpy()
        return order, gen

    def train_epoch(self, epoch: int, bar: Any) -> float:
        """One pass over the training set (0-based ``epoch``); returns the mean training loss.

        Raises
        ------
        StarclassError
            When the loss or the weights stop being finite.
        """
        order, gen = self.epoch_order(epoch)
        model, dev, amp, recipe = self.model, self.device, self.amp, self.recipe
        augment = bool(getattr(recipe, "augment", True))
        if hasattr(recipe, "lr_at") and getattr(recipe, "lr_schedule", None) != "plateau":
            # set from the epoch, not stepped: a resumed run gets the rates an uninterrupted one had
            for group in self.optimizer.param_groups:
                group["lr"] = recipe.lr_at(epoch)
        model.train()
        loss_sum, seen = 0.0, 0
        for xb, yb in loader(self.data.train, batches(order, self.batch_size)):
            xb, yb = xb.to(dev, non_blocking=True), yb.to(dev)
            if augment:
                xb = augment_batch(xb, gen, rescale_p=float(getattr(recipe, "rescale_prob", 0.5)),
                                   factor=float(getattr(recipe, "rescale", 1.07)),
                                   shift=int(getattr(recipe, "shift", 0)), noise=float(getattr(recipe, "noise", 0.0)))
            mix = None
            if float(getattr(recipe, "mixup", 0.0)) > 0:
                xb, mix = mixup_batch(xb, float(recipe.mixup), gen)
            xb = to_memory_format(xb, dev, amp)
            with autocast(dev, amp):
                logits = model(xb)
            smooth = float(getattr(recipe, "label_smoothing", 0.0))
            loss = F.cross_entropy(logits.float(), yb, weight=self.class_weights, label_smoothing=smooth)
            if mix is not None:
                lam, perm = mix
                loss = lam * loss + (1.0 - lam) * F.cross_entropy(logits.float(), yb[perm.to(yb.device)],
                                                                  weight=self.class_weights, label_smoothing=smooth)
            # read once: each read of a GPU tensor waits for the batch's work (torch.isfinite and float were two)
            value = float(loss.detach())
            if not math.isfinite(value):
                raise StarclassError(
                    f"training diverged (loss {value}) in member {self.spec.index + 1}, epoch "
                    f"{epoch + 1}; lower recipe.lr ({recipe.lr})"
                )
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            loss_sum += value * yb.shape[0]
            seen += yb.shape[0]
            bar.update(1)
            bar.set_postfix(epoch=f"{epoch + 1}/{self.n_epochs}", loss=f"{loss_sum / seen:.3f}",
                            val_acc=self.val_acc_txt)
        if not all(bool(torch.isfinite(t).all()) for t in model.state_dict().values() if t.is_floating_point()):
            raise StarclassError(
                f"training diverged in member {self.spec.index + 1}, epoch {epoch + 1}: the weights "
                f"are no longer finite; lower recipe.lr ({recipe.lr}) or raise the batch size"
            )
        return loss_sum / max(seen, 1)

    def validate(self) -> tuple[float, float]:
        """Validation loss and accuracy of the current weights (NaN without a validation set)."""
        return _evaluate(self.model, self.data.val, self.batch_size, self.device, self.amp)[:2]

    def end_epoch(self, epoch: int, train_loss: float, val_loss: float, val_acc: float, seconds: float) -> None:
        """Record the epoch, update early stopping and write the resumable epoch checkpoint."""
        self.history.append({
            "epoch": epoch + 1, "train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc,
            "lr": float(self.optimizer.param_groups[0]["lr"]), "seconds": seconds,
        })
        if self.scheduler is not None:
            # the schedule follows the validation loss; without a validation set, the training loss
            self.scheduler.step(val_loss if math.isfinite(val_loss) else train_loss)
        es = self.stopping
        es.update(epoch + 1, val_loss, val_acc, lambda: cpu_state(self.model.state_dict()))
        # what the run started from, so that a resumed run builds its network the same way (setup)
        extra: dict[str, Any] = {"optimizer": self.optimizer.state_dict(), "early_stopping": es.to_dict(),
                                 "init_weights": self.init_weights, **self.identity}
        if self.scheduler is not None:
            extra["scheduler"] = self.scheduler.state_dict()
        if es.best_state is not None:
            extra["best_state_dict"] = es.best_state
        if self.scaler.is_enabled():
            extra["scaler"] = self.scaler.state_dict()
        save_checkpoint(
            make_checkpoint(self.config, self.model.state_dict(), kind="epoch", member=self.spec.index,
                            architecture=self.spec.architecture, seed=self.spec.seed, history=self.history,
                            epoch=epoch + 1, best_epoch=es.best_epoch, extra=extra),
            self.last_path, overwrite=True,  # the previous epoch's state, replaced each epoch
        )
        if es.stopped:
            log.info("member %d: early stop after epoch %d (best %d)", self.spec.index + 1, epoch + 1,
                     es.best_epoch)
            self.notes.append(f"member {self.spec.index + 1}: early stop after epoch {epoch + 1}, "
                              f"kept epoch {es.best_epoch}")

    def finish(self) -> tuple[float, float]:
        """Keep the best epoch's weights, recalibrate batch norm, write the member checkpoint.

        Returns the final validation accuracy and balanced accuracy (NaN without a validation set).
        """
        es, dev, amp = self.stopping, self.device, self.amp
        if es.best_state is not None:
            self.model.load_state_dict(es.best_state)
        n_train, n_val = (len(batches(np.arange(len(d)), self.batch_size)) if len(d) else 0
                          for d in (self.data.train, self.data.val))
        # after the last epoch's line, a pass over the training rows and one over the validation rows said nothing
        # (80 s after a 313 s ResNet-18 epoch on the PAndAS cutouts, measured under load): the lines in a log, and
        # since 2026-12-06 a bar of their own at a terminal, where the epochs' bar had closed and nothing moved
        with Progress(n_train + n_val, desc=f"{self._said()}{self.config.name} member {self.spec.index + 1}/"
                      f"{self.n_members} ({self.spec.architecture}), batch-norm statistics and final validation",
                      noun="batch", plural="batches", show=self.progress, unit="batch", dynamic_ncols=True) as bar:
            n_bn = recalibrate_batchnorm(self.model, self.data.train, self.batch_size, dev, amp, on_batch=bar.update,
                                         seed=self.spec.seed)
            final_val_loss, final_val_acc, final_val_bal = _evaluate(self.model, self.data.val, self.batch_size,
                                                                     dev, amp, on_batch=bar.update)
        if len(self.data.val) and not math.isfinite(final_val_loss):
            raise StarclassError(
                f"member {self.spec.index + 1} ({self.spec.architecture}): the trained network gives non-finite "
                f"outputs on the validation set in inference mode (kept epoch {es.best_epoch}); "
                "train for more epochs or on more data, or lower recipe.lr"
            )
        n = len(self.history)
        save_checkpoint(
            make_checkpoint(self.config, self.model.state_dict(), kind="member", member=self.spec.index,
                            architecture=self.spec.architecture, seed=self.spec.seed, history=self.history,
                            epoch=n, best_epoch=es.best_epoch or n,
                            extra={"device": str(dev), "precision": dtype_name(amp),
                                   "n_train": len(self.data.train),
                                   "final_val_loss": final_val_loss, "final_val_acc": final_val_acc,
                                   FINAL_VAL_BALANCED_ACCURACY: final_val_bal,
                                   "batchnorm_recalibrated": n_bn,
                                   "n_val": len(self.data.val),
                                   "split": str(getattr(self.recipe, "split", "random")),
                                   "init_weights": self.init_weights,
                                   "frozen_layers": int(getattr(self.model, "frozen_layers", 0) or 0),
                                   **self.identity}),
            self.final_path, overwrite=True,  # fit decided the directory is this run's (resume or --overwrite)
        )
        if self.last_path.exists():
            self.last_path.unlink()
        return final_val_acc, final_val_bal

    def _said(self) -> str:
        """What starts the member's bar and lines: ``"fold 2/5: "``, or nothing."""
        return f"{self.progress_label}: " if self.progress_label else ""

    # ------------------------------------------------------------------ the loop
    def run(self, resume: bool = True) -> MemberOutcome:
        """Train the member (or keep it, when ``resume`` and it is finished) and save it.

        The global random states (python's, numpy's, torch's) are left as they were: training seeds
        them for its own draws (:meth:`setup`, :meth:`epoch_order`), and a notebook's own seeded
        sequence goes on after ``fit`` as if it had not run (:func:`starclass.learn.rng.global_rng_kept`).
        """
        with global_rng_kept(self.device):
            return self._run(resume)

    def _run(self, resume: bool) -> MemberOutcome:
        if resume and self.final_path.exists():
            return _kept_member(self.final_path, self.config, self.spec, self.identity)
        if not resume:
            for p in (self.final_path, self.last_path):
                if p.exists():
                    p.unlink()
        self.setup(resuming=resume and self.last_path.exists())
        if resume and self.last_path.exists():
            self.restore()
        n_batches = len(batches(np.arange(len(self.data.train)), self.batch_size))
        # the epoch lines below come only as an epoch ends: one long epoch (a large model on a CPU) left a log
        # silent for as long. Without a bar (progress None) the batches say Progress's timed lines, and its
        # "still working" ones while one batch, or the validation, goes on
        # a fold's lines name it as its bar does: in a log, "fold 2/5: training" was said once, above them all
        said = self._said()
        bar = Progress((self.n_epochs - self.start_epoch) * n_batches,
                       desc=f"{said}{self.config.name} member {self.spec.index + 1}/{self.n_members} "
                            f"({self.spec.architecture})",
                       noun="batch", plural="batches", show=self.progress, unit="batch", dynamic_ncols=True)
        with bar:  # closed on an error too: its "still working" thread stops
            for epoch in range(self.start_epoch, self.n_epochs):
                if self.stopping.stopped:
                    break
                # the epoch's seconds (its history, its log line) read after the GPU's queued work has run: on
                # CUDA a clock read as the last kernels are launched times the launch (learn.precision.settled_clock)
                t0 = settled_clock(self.device)
                train_loss = self.train_epoch(epoch, bar)
                val_loss, val_acc = self.validate()
                self.val_acc_txt = "n/a" if math.isnan(val_acc) else f"{val_acc:.3f}"
                bar.set_postfix(epoch=f"{epoch + 1}/{self.n_epochs}", loss=f"{train_loss:.3f}",
                                val_acc=self.val_acc_txt)
                self.end_epoch(epoch, train_loss, val_loss, val_acc, settled_clock(self.device) - t0)
                # one plain line an epoch for a log file, where the bar is off (train's command line shows it)
                log.info("%s%s member %d/%d: epoch %d/%d, loss %.3f, val_acc %s (%.1f s)",
                         said, self.config.name,
                         self.spec.index + 1, self.n_members, epoch + 1, self.n_epochs, train_loss,
                         self.val_acc_txt, settled_clock(self.device) - t0)
        final_val_acc, final_val_bal = self.finish()
        best = self.stopping.best_epoch or len(self.history)
        return MemberOutcome(self.final_path, self.history, best, final_val_acc, self.notes,
                             val_balanced_acc=final_val_bal)


def _kept_member(path: Path, config, spec: MemberSpec, identity: dict[str, str] | None = None) -> MemberOutcome:
    """A member a previous run finished, read back from its checkpoint."""
    done = load_checkpoint(path, kind="member")
    note = _check_same_run(path, done, config, spec, identity, finished=True)
    if note:
        # it differs only in entries that change no weight (RESUME_NEUTRAL_KEYS): given the values now, so that the
        # members, the manifest and the next run agree (a kept member's config is the model's: load_model)
        now = config.to_dict()
        for key in RESUME_NEUTRAL_KEYS:
            done["config"][key] = now.get(key)
        done["pixel_scale"] = None if now.get("pixel_scale") is None else float(now["pixel_scale"])
        done["settings_digest"] = identity["settings_digest"]
        old_digest, done["digest"] = done["digest"], member_digest(done)
        save_checkpoint(done, path, overwrite=True)  # the same weights, given the values now
    val_acc = float(done.get("final_val_acc", _val_acc_at(done["history"], done["best_epoch"])))
    return MemberOutcome(path, done["history"], done["best_epoch"] or done["epoch"], val_acc,
                         [f"member {spec.index + 1}: already trained, kept ({path.name})"
                          + (f"; {note}" if note else "")], trained=False,
                         redigested={old_digest: done["digest"]} if note else {},
                         # NaN for a member written before 2026-12-07, which did not record it
                         val_balanced_acc=float(done.get(FINAL_VAL_BALANCED_ACCURACY, math.nan)))


def balance_mix(class_mix: Sequence[float] | None, n_classes: int) -> np.ndarray:
    """The class fractions that class balancing aims at: ``recipe.class_mix`` normalised, or equal.

    Parameters
    ----------
    class_mix
        ``recipe.class_mix`` (one non-negative number per output class) or None.
    n_classes
        Number of output classes.

    Returns
    -------
    numpy.ndarray
        Fractions summing to one.

    Examples
    --------
    >>> balance_mix(None, 4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> balance_mix([1, 3], 2).tolist()
    [0.25, 0.75]
    """
    if class_mix is None:
        return np.full(n_classes, 1.0 / n_classes)
    mix = np.asarray(class_mix, dtype=float)
    if mix.shape != (n_classes,):
        raise StarclassError(f"recipe.class_mix has {mix.size} numbers for {n_classes} output classes")
    return mix / mix.sum()


def group_balance_weights(classes: np.ndarray, groups: np.ndarray, mix: np.ndarray,
                          cap: float = 5.0) -> tuple[np.ndarray, int]:
    """Draw weights that give every class its share of each group (``recipe.balance_by``).

    In group ``g`` (``n_g`` rows, ``n_gk`` of class ``k``) a row of class ``k`` gets
    ``s_g mix_k / n_gk`` with ``s_g = min(n_g, cap * min_k n_gk / mix_k)`` over the classes
    with ``mix_k > 0``. So class ``k`` holds the share ``mix_k`` of every group's weight (the
    group no longer tells the class), a group keeps its size ``n_g`` as its total weight
    unless that would need a row heavier than ``cap``, and then the whole group weighs less
    (``s_g < n_g``). A group without a row of some class with ``mix_k > 0`` gets ``s_g = 0``:
    it cannot be balanced, and is left out.

    Parameters
    ----------
    classes : numpy.ndarray
        Class index (0..K-1) of every row.
    groups : numpy.ndarray
        Group of every row (any values that compare equal within a group).
    mix : numpy.ndarray
        Target class fractions (:func:`balance_mix`), length K.
    cap : float
        Largest weight of one row (>= 1; an unweighted draw gives every row 1).

    Returns
    -------
    weights : numpy.ndarray
        One non-negative weight per row.
    left_out : int
        Rows of groups that lack a class (weight 0).

    Raises
    ------
    StarclassError
        When no group has every class (nothing could be drawn) or ``cap`` is below 1.

    Examples
    --------
    >>> import numpy as np
    >>> w, left = group_balance_weights(np.array([0, 0, 0, 1, 0, 1]), np.array(["a"] * 4 + ["b"] * 2),
    ...                                 np.array([0.5, 0.5]), cap=5.0)
    >>> w.round(3).tolist(), left
    ([0.667, 0.667, 0.667, 2.0, 1.0, 1.0], 0)
    >>> w, _ = group_balance_weights(np.array([0] * 9 + [1]), np.zeros(10), np.array([0.5, 0.5]), cap=2.0)
    >>> w.round(3).tolist()  # balanced would weigh the lone row 5: capped at 2, the group weighs 4
    [0.222, 0.222, 0.222, 0.222, 0.222, 0.222, 0.222, 0.222, 0.222, 2.0]
    """
    classes = np.asarray(classes, dtype=np.int64)
    mix = np.asarray(mix, dtype=float)
    if not float(cap) >= 1.0:
        raise StarclassError(f"recipe.balance_cap={cap!r} must be >= 1")
    _, g = np.unique(np.asarray(groups), return_inverse=True)
    g = g.ravel()
    n_gk = np.zeros((int(g.max()) + 1 if g.size else 0, mix.size))
    np.add.at(n_gk, (g, classes), 1.0)
    wanted = mix > 0
    # how much weight each group can carry with no row heavier than the cap
    room = np.min(np.where(n_gk[:, wanted] > 0, cap * n_gk[:, wanted] / mix[wanted], 0.0), axis=1)
    s = np.minimum(n_gk.sum(axis=1), room)
    per = np.divide(s[:, None] * mix[None, :], n_gk, out=np.zeros_like(n_gk), where=n_gk > 0)
    w = per[g, classes]
    if classes.size and not w.sum() > 0:
        raise StarclassError("recipe.balance_by: no group has a training row of every class, so no group can "
                             "be balanced; use coarser groups")
    return w, int(np.sum(s[g] == 0))


def class_mix_weights(counts: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """Per-class loss weights that make training labels of class counts ``counts`` weigh as the mix ``mix``.

    Class ``k`` gets ``mix_k / (n_k / N)``, so the weighted share of class ``k`` in the loss,
    ``w_k n_k / sum_j w_j n_j``, is ``mix_k``. With equal fractions this is ``N / (K n_k)``, the
    ``balance="class_weights"`` weights. A class with no training label (only possible with
    soft targets' expected counts rounding to zero) gets weight 0.

    Parameters
    ----------
    counts
        Training labels (or expected counts) per output class.
    mix
        Target fractions per output class (:func:`balance_mix`).

    Returns
    -------
    numpy.ndarray
        One weight per class.

    Examples
    --------
    >>> class_mix_weights(np.array([10, 30]), np.array([0.5, 0.5])).tolist()
    [2.0, 0.6666666666666666]
    >>> class_mix_weights(np.array([10, 30]), np.array([0.25, 0.75])).tolist()
    [1.0, 1.0]
    """
    counts = np.asarray(counts, dtype=float)
    share = counts / counts.sum()
    return np.divide(np.asarray(mix, dtype=float), share, out=np.zeros_like(share), where=share > 0)


def fit(
    config: TaskConfig,
    inputs: ModelInputs,
    labels: np.ndarray,
    *,
    outdir: str | os.PathLike,
    positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
    galaxies: np.ndarray | None = None,
    seed: int | None = None,
    resume: bool = True,
    progress: bool | str | None = False,
    device: str | torch.device | None = None,
    epochs: int | None = None,
    ensemble: int | None = None,
    holdout: str | None = None,
    val_index: np.ndarray | None = None,
    init_from: str | os.PathLike | None = None,
    label_model: str | None = None,
    balance_groups: np.ndarray | None = None,
    known_data: dict[str, str] | None = None,
    pseudo_index: np.ndarray | None = None,
    pixel_flags: dict[str, Any] | None = None,
    on_resume: Callable[[str], None] | None = None,
    progress_label: str | None = None,
    starting_model: LoadedModel | None = None,
    starting_digest: str | None = None,
    noun: str = "candidate",
) -> TrainResult:
    """Train the ensemble of a task config and write it to ``outdir``.

    Parameters
    ----------
    config
        :class:`starclass.learn.config.TaskConfig` (its ``recipe`` holds the training settings).
    inputs
        Model inputs ``[N, C, H, W]`` float32 (numpy array, memory map or tensor) or a stamp
        store (:class:`starclass.stamps.StampStore`) read lazily batch by batch.
        ``C`` must equal ``config.n_channels``.
    labels
        Reference classes per candidate (``class_ref``: 1-4, 0 = none), mapped to the output
        classes with ``config.map_classes``; or soft targets ``(N, config.n_classes)``, one
        probability per output class (rows of zeros: no target), trained with the
        cross-entropy against the probabilities (:mod:`starclass.learn.labels` makes them from
        people's votes).
    outdir
        Model directory (created).
    positions
        ``(x, y)`` pixel positions, needed for ``split="spatial"``.
    galaxies
        Galaxy name per candidate, needed for ``split="galaxy"``.
    seed
        Base seed (member ``i`` uses ``seed + i``); default: the recipe's seeds, else 0.
    resume
        Continue from the checkpoints in ``outdir``: finished members are kept and an
        interrupted member restarts after its last finished epoch (optimizer state included).
        Only a run on the same data with the same settings is continued: every checkpoint
        stores :func:`data_digest` and :func:`settings_digest`, and a directory written by
        another run is refused before any training, naming what differs. ``False`` retrains
        everything.
    progress
        Show tqdm progress bars (loss and validation accuracy); None: timed lines of each member's batches
        instead, on :data:`starclass.io.progress.LOGGER` (``train`` into a log file), "still working" ones
        included; a string: the bars, ``progress_label`` being the string. Default False: quiet, as every
        library function.
    device
        ``"cpu"``, ``"cuda"``, ...; default CUDA when available.
    epochs, ensemble
        Override ``recipe.epochs`` / the number of members (per architecture).
    holdout
        Galaxy held out for ``split="galaxy"`` (drawn with the seed when None).
    val_index
        Explicit validation rows (overrides the recipe's split).
    init_from
        A saved model (directory, manifest or member file) whose weights every member starts
        from instead of a random initialisation (fine-tuning; :mod:`starclass.learn.finetune`
        says what must match).
    label_model
        How the labels were made from people's votes (``"mode"``, ``"soft"``,
        ``"dawid-skene"``; :mod:`starclass.learn.labels`), recorded in every checkpoint and
        the manifest (``training.label_model``) and compared on resume. None: plain labels.
    balance_groups
        Group of every candidate, needed with ``recipe.balance_by`` (the classes are balanced
        within each group: :func:`group_balance_weights`).
    known_data
        :func:`data_digest` of earlier readings of the same data (e.g. with rows since left
        out), each with the words that say what differs: a checkpoint trained on one of them is
        refused on resume with those words instead of "other training data".
    pseudo_index
        Rows whose labels are pseudo-labels (a model's own confident classes,
        :mod:`starclass.suggest.pseudo`): trained on, never in the validation split (nor,
        therefore, in early stopping or calibration), which is drawn from the other rows.
    pixel_flags
        The mask and DQ flags the inputs were cut with
        (:func:`starclass.learn.provenance.flags_record`), stored in the manifest so that
        ``classify`` can warn when given other ones. None: no record (as models before it).
    on_resume
        Called once, before any training, with one line saying what is resumed when ``outdir``
        holds checkpoints of this run (``resuming from the checkpoints in M: member 1 already
        trained, member 2 after epoch 3 of 5``); ``starclass train`` prints it.
    progress_label
        What starts each bar's label, batch line and epoch line (``"fold 2/5"``: the folds of
        :func:`starclass.learn.crossval.cross_validate` read alike without it); None: nothing.
    starting_model
        ``init_from`` as :func:`starclass.learn.checkpoint.load_model` already loaded it: its calibration
        entry is checked against it (:func:`check_starting_calibration`) instead of by loading its members
        again, and the members start from its weights, not read from their files again. None: they are loaded
        for the check (where it has a calibration) and that load gives the weights; else each member file is read.
    starting_digest
        :func:`init_digest` of ``init_from`` as already computed: recorded as it is instead of reading every
        member file again (:func:`starclass.learn.crossval.cross_validate` hashes its starting model once for
        all its folds). None: computed here.
    noun
        What one row is called in the messages (:func:`starclass.errors.row_noun`): ``"cutout"`` for a
        cutout folder's rows, ``"candidate"`` (the default) for a catalogue's.

    Returns
    -------
    TrainResult

    Warns
    -----
    starclass.errors.CalibrationFitWarning
        The validation split's calibration fitted on too few rows, or at an end of its search.
    starclass.errors.UncalibratedWarning
        A fine-tune left without a calibration (its starting model's cannot be refitted with its weights).
        Each once; the result's ``notes`` keep them (:class:`CautionNote`).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.datasets.stamps import make_synthetic
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    >>> toy = make_synthetic(cfg, 24, seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     result = fit(cfg, toy.inputs, toy.class_ref, outdir=d, progress=False, device="cpu")
    >>> result.n_train + result.n_val, len(result.members)
    (24, 1)
    """
    t_start = time.perf_counter()
    if epochs is not None and int(epochs) < 1:
        raise StarclassError(f"epochs must be >= 1, got {epochs}")
    config = effective_config(config, epochs=epochs, ensemble=ensemble, seed=seed)
    if config.normalisation == "flux" and config.softening_mag == "auto":
        raise StarclassError(
            f"task {config.name!r}: softening_mag is 'auto'; fix it on the training mosaics first "
            "(starclass.stamps.noise.resolve_softening, as `starclass train` does) so that the model "
            "stores the number its inputs were made with")
    dev = pick_device(device)  # before the directory is made: a bad device leaves nothing behind
    if init_from is not None:
        # as `train --resume-from` refused it: a starting calibration edited or fitted for other weights is
        # refused before anything is written (it was dropped without a word where the CLI did not load the model)
        # and what it loaded gives the members their starting weights: not read again, member by member
        starting_model = check_starting_calibration(init_from, starting_model)
    outdir = Path(outdir)
    amp = compute_dtype(getattr(config.recipe, "amp", True), dev)
    members = ensemble_members(config)
    # every member's input geometry before any training: a mixed ensemble (phangs4) otherwise
    # trained its ResNets before the first VGG refused a stamp too small for it
    models.check_members(config)
    # a fine-tune's validation rows are drawn apart from the rows its starting model trained on: validated on,
    # the starting weights took them for unseen (train --resume-from with the labels so far plus new ones drew
    # a split partly, with few new labels wholly, in-sample)
    start_trained = starting_trained(init_from, inputs) if val_index is None else None
    data = prepare_data(config, inputs, labels, seed=members[0].seed, positions=positions,
                        galaxies=galaxies, holdout=holdout, val_index=val_index,
                        balance_groups=balance_groups, pseudo_index=pseudo_index, start_trained=start_trained,
                        noun=noun)
    identity = {"data_digest": data_digest(inputs, labels, positions=positions, galaxies=galaxies,
                                           holdout=holdout, val_index=val_index,
                                           balance_groups=balance_groups, pseudo_index=pseudo_index),
                "settings_digest": settings_digest(config)}
    if init_from is not None:
        # the starting weights are part of what a run is: resuming a fine-tune from another
        # starting model would mix two runs under one name
        identity["init_digest"] = init_digest(init_from) if starting_digest is None else starting_digest
    if label_model is not None:
        identity["label_model"] = str(label_model)
    if resume:
        # every checkpoint is checked before the first epoch: a refusal after member 1 was
        # retrained would leave a directory of mixed runs
        found = _check_resumable(outdir, config, members, identity, known_data)
        if found and on_resume is not None:
            # said now: "already trained, kept" / "resumed after epoch N" came only with the notes at
            # the end, hours into a long run
            on_resume(f"resuming from the checkpoints in {outdir}: {', '.join(found)}"
                      + (f"; {counted(len(members) - len(found), 'member')} to train" if len(found) < len(members)
                         else ""))
    # the directory is made only now, after the data were checked (a class without a training row,
    # no label at all): such a failure left an empty model directory behind
    made = _make_outdir(outdir)
    try:
        # the caller's global random states are put back: the members' training seeds them, and the
        # calibration's pass over the validation rows (a DataLoader) draws from torch's
        with global_rng_kept(dev):
            result = _fit_members(config, inputs, data, members, identity, outdir=outdir, device=dev, amp=amp,
                                  progress=progress, progress_label=progress_label, init_from=init_from,
                                  resume=resume, t_start=t_start, starting_model=starting_model,
                                  label_model=label_model, pixel_flags=pixel_flags)
    except BaseException:
        # a failure (or Ctrl-C) before the first checkpoint leaves no empty folder; one with
        # checkpoints is kept, for the same command to resume
        for folder in made:  # deepest first: the model directory, then parents this run made
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise
    # the calibration's cautions (too few rows, a map at an end of its search, a fine-tune left without one):
    # said in a notebook too, not only in the notes starclass train printed; train prints these warnings
    warn_caution_notes(result.notes, stacklevel=2)
    return result


def check_starting_calibration(init_from: str | os.PathLike, loaded: LoadedModel | None = None) -> LoadedModel | None:
    """Refuse a starting model whose calibration entry was edited or fitted for other weights than its members'.

    A fine-tune refits (or drops) its starting model's calibration from that entry (its rows, its
    method); one that no longer matches its digest or its members cannot be trusted for either, as
    :func:`starclass.learn.checkpoint.load_model` refuses it for classify. A member checkpoint is
    checked against its folder's manifest; a model without a calibration passes, and members that
    cannot be read are left to the reading of the starting weights to refuse.

    Parameters
    ----------
    init_from : str or os.PathLike
        A model directory, its manifest or a member checkpoint (as :func:`fit` takes it).
    loaded : LoadedModel, optional
        That model as :func:`starclass.learn.checkpoint.load_model` already gave it: the entry is checked
        against its members' digests, and no member is read again (``train --resume-from`` loads the model
        for its task; :func:`starclass.learn.crossval.cross_validate` checks once for all its folds).

    Returns
    -------
    LoadedModel or None
        The starting model as loaded for the check (``loaded`` when given), to give the next check; None
        where there was nothing to check (no manifest, no calibration) or its members could not be read.

    Raises
    ------
    StarclassError
        The entry does not match its digest, its members' weights or classes: named with the manifest and
        the ``starclass calibrate`` that refits it; or ``loaded`` is not the model ``init_from`` names.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import load_model, write_untrained_model
    >>> d = write_untrained_model(tempfile.mkdtemp() + "/m", get_preset("galaxy-cluster-compact", stamp_size=16))
    >>> check_starting_calibration(d) is None  # no calibration: nothing to refuse
    True
    >>> m = load_model(d)
    >>> check_starting_calibration(d, m) is m  # nothing is read again
    True
    """
    from starclass.learn.checkpoint import MANIFEST, _checked_calibration, load_model, member_paths, read_manifest

    start = Path(init_from)
    if start.is_file() and start.name != MANIFEST:
        start = start.parent  # a member checkpoint: its folder's manifest
    if loaded is not None:
        # the paths are compared, not the weights: a model loaded from elsewhere would check another entry
        given = sorted(Path(p).absolute() for p in loaded.paths)
        if not given or given != sorted(Path(p).absolute() for p in member_paths(start)):
            raise StarclassError(f"{the_starting_model(init_from)}: the loaded model given with it was loaded from "
                                 f"{given[0].parent if given else 'no file'}, not from it")
    if not (start.is_dir() and (start / MANIFEST).is_file()) and start.name != MANIFEST:
        return loaded
    try:
        cal = read_manifest(start).get("calibration")
    except (StarclassError, OSError):
        return loaded  # an unreadable manifest is said where the weights are read
    if cal is None:
        return loaded
    where = start / MANIFEST if start.is_dir() else start
    if loaded is not None:
        try:
            _checked_calibration(start, loaded.checkpoints)
        except StarclassError as exc:
            raise StarclassError(f"starting model: {exc} ({where})") from None
        return loaded
    try:
        return load_model(start, device="cpu")
    except StarclassError as exc:
        try:
            load_model(start, device="cpu", check_calibration=False)
        except StarclassError:
            return None  # the members themselves are at fault: said where their weights are read, as before
        raise StarclassError(f"starting model: {exc} ({where})") from None


def apart_note(apart: ApartSplit, init_from: Any) -> str:
    """What ``train`` says of a fine-tune's validation split drawn apart from its starting model's training rows.

    How many rows the starting model trained on were kept out of validation, and why; a galaxy split's
    rows of the held-out galaxy are left out of training too (:func:`split_apart`).

    Examples
    --------
    >>> rows = np.arange(4)
    >>> apart_note(ApartSplit(rows, rows, 63, 12), "model1").split(";")[0]
    "validation split: 4 of the 12 labelled rows the starting model 'model1' did not train on"
    >>> print(apart_note(ApartSplit(rows, rows, 63, 4, 9, "NGC1566"), "model1"))  # doctest: +NORMALIZE_WHITESPACE
    validation split: the 4 rows of the held-out galaxy 'NGC1566' the starting model 'model1' did not train on;
    the 9 of its rows it trained on are left out of validation (their accuracy would be in-sample) and of
    training (they are the galaxy held out)
    """
    start = the_starting_model(init_from)
    n_val = int(np.asarray(apart.val_rows).size)
    if apart.held_out is not None:
        return (f"validation split: the {counted(n_val, 'row')} of the held-out galaxy {apart.held_out!r} {start} "
                f"did not train on; the {apart.n_left_out} of its rows it trained on are left out of validation "
                "(their accuracy would be in-sample) and of training (they are the galaxy held out)")
    return (f"validation split: {n_val} of the {counted(apart.n_fresh, 'labelled row')} {start} did not train on; "
            f"the {apart.n_start_trained} it trained on are trained on again and never validated on (their accuracy "
            "would be in-sample)")


def _make_outdir(outdir: Path) -> list[Path]:
    """Create the model directory (and missing parents); the folders this made, deepest first."""
    made = [d for d in (outdir, *outdir.parents) if not d.exists()]
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way or no permission: say which folder, not a traceback
        raise StarclassError(f"cannot write {outdir}: {exc.strerror or exc}") from None
    return made


#: How the warning of :func:`_warn_validation_rows_seen` begins after its counts (``train --cv`` leaves
#: it to its own warning of the rows the folds hold out).
VALIDATION_ROWS_SEEN = "validation rows are rows the starting model"


#: ``calibrate``'s two forms, on held-out rows of the kind a model trains on
#: in a notebook's words, the function and its arguments; the command line says its forms (errors.cli_words)
_CALIBRATE_STAMPS = CALIBRATE_STAMPS_PYTHON
_CALIBRATE_MOSAICS = CALIBRATE_MOSAICS_PYTHON


def _calibrate_form(init_from, pixel_flags: dict[str, Any] | None) -> str:
    """The ``calibrate`` command that fits a fine-tune of ``init_from``: the form of the rows it trains on.

    ``pixel_flags`` is this run's record (a dict where the stamps were cut from mosaics, directly or
    through stamp stores: ``calibrate`` takes those rows as mosaics and a catalogue). Without it,
    the starting model's manifest says: trained on a cutout folder (``training_cutouts``) or on
    mosaics (``pixel_flags``). Where neither tells, both forms are named.
    """
    if isinstance(pixel_flags, dict):
        return _CALIBRATE_MOSAICS
    from starclass.learn.checkpoint import MANIFEST, TRAINING_CUTOUTS, read_manifest

    start = Path(init_from) if init_from is not None else None
    if start is not None and start.is_file() and start.name != MANIFEST:
        start = start.parent  # a member checkpoint: its folder's manifest
    try:
        doc = read_manifest(start) if start is not None else {}
    except (StarclassError, OSError):
        doc = {}
    if doc.get(TRAINING_CUTOUTS):
        return _CALIBRATE_STAMPS
    if isinstance(doc.get("pixel_flags"), dict):
        return _CALIBRATE_MOSAICS
    return CALIBRATE_EITHER_PYTHON


def _warn_validation_rows_seen(inputs, val_rows: np.ndarray, seen: np.ndarray, init_from,
                               pixel_flags: dict[str, Any] | None = None,
                               seen_prints: np.ndarray | None = None) -> np.ndarray:
    """Warn when a fine-tune's validation rows are rows its starting model was trained on; which are.

    Early stopping and the validation accuracy take those rows for unseen, while the starting
    weights learnt them: the fine-tune on the labels so far plus new ones (the active-learning
    loop) is optimistic there. The calibration leaves them out (:func:`_calibrate_on_validation`):
    fitted on them, the temperature came out far too low (0.36 on the PAndAS cutouts, every
    probability pushed to 0 or 1). Returns a bool per validation row, True where the starting
    model trained on it.
    """
    import warnings

    from starclass.learn.provenance import overlap, row_digests, row_fingerprints

    was_seen = overlap(row_digests(inputs, val_rows), seen)
    if seen_prints is not None and len(seen_prints):
        # and copies of them in another format, or flipped (the starting model's fingerprints, where it has them)
        was_seen |= overlap(row_fingerprints(inputs, val_rows), seen_prints)
    n_seen = int(was_seen.sum())
    if n_seen:
        warnings.warn(
            f"{n_seen} of the {len(val_rows)} validation rows are rows {the_starting_model(init_from)} was trained "
            "on: early stopping and the validation accuracy take them for unseen, so they are optimistic; the "
            "calibration leaves them out (the notes say how it was fitted); calibrate the new model on rows neither "
            f"model was trained on: {_calibrate_form(init_from, pixel_flags)}",
            UserWarning, stacklevel=4)
    return was_seen


def _fit_members(config, inputs, data, members, identity, *, outdir: Path, device, amp, progress, init_from,
                 resume: bool, t_start: float, progress_label: str | None = None, label_model: str | None = None,
                 pixel_flags: dict[str, Any] | None = None, starting_model: LoadedModel | None = None) -> TrainResult:
    """Train (or keep) every member, write the manifest and calibrate: the part of :func:`fit` after its checks."""
    if isinstance(progress, str):  # the older spelling of a labelled bar
        progress, progress_label = True, progress
    dev = device
    # what the weights are fitted on, for `starclass calibrate` to tell training rows from
    # held-out ones (the validation rows are not in it: train calibrates on them itself)
    # (read a training batch at a time, as training reads a lazy store)
    # a fine-tune's weights were fitted on its starting model's training rows too: recorded with them, or
    # calibrate took those rows of the fine-tuned model for held-out ones
    inherited = starting_rows(init_from) if init_from is not None else None
    inherited_prints = starting_rows(init_from, fingerprints=True) if init_from is not None else None
    rows_record = training_record(inputs, data.train.indices, batch_size=int(config.recipe.batch_size),
                                  inherited=inherited, inherited_prints=inherited_prints)
    seen_val = None
    if inherited is not None and len(inherited) and len(data.val.indices):
        seen_val = _warn_validation_rows_seen(inputs, data.val.indices, inherited, init_from, pixel_flags,
                                              seen_prints=inherited_prints)

    outcomes: list[MemberOutcome] = []
    notes: list[str] = []
    if data.apart is not None:
        notes.append(apart_note(data.apart, init_from))
    if not resume or any(not (outdir / member_filename(spec.index)).is_file() for spec in members):
        # a member is trained: until the last one is done the folder is checkpoints, not a model. A
        # manifest written after each member (or one of an earlier run) made an interrupted folder a
        # finished model of fewer members, uncalibrated, that info described and classify used
        (outdir / MANIFEST).unlink(missing_ok=True)
    for spec in members:
        trainer = MemberTrainer(config, spec, data, outdir=outdir, device=dev, amp=amp,
                                progress=progress, n_members=len(members), identity=identity,
                                init_from=init_from, progress_label=progress_label, starting_model=starting_model)
        outcome = trainer.run(resume)
        outcomes.append(outcome)
        notes.extend(outcome.notes)
        if outcome.trained and (data.train.n_nonfinite or data.val.n_nonfinite):
            notes.append(f"{data.train.n_nonfinite + data.val.n_nonfinite} non-finite input pixels set to 0")

    # a rerun that trained nothing (every member kept) must not undo what was done to the model
    # since: a calibration fitted with `starclass calibrate` on held-out rows, the threshold of
    # --target-purity. Rewriting the manifest dropped both, and a validation-split calibration
    # replaced the user's while the run said "kept unchanged"
    kept_all = bool(outcomes) and not any(o.trained for o in outcomes)
    previous = _previous_manifest(outdir) if kept_all else None
    # fit decided (resume or --overwrite) that the model directory is this run's: its manifest is rewritten
    write_manifest(outdir, config, _manifest_members(members), training=identity, training_rows=rows_record,
                   pixel_flags=pixel_flags, overwrite=True)
    redigested = {old: new for o in outcomes for old, new in o.redigested.items()}
    kept_note = _keep_user_calibration(outdir, previous, dev, redigested) if previous else None
    if kept_note:
        notes.append(kept_note)
    else:
        notes.extend(_calibrate_on_validation(outdir, data, config, dev, label_model=label_model, progress=progress,
                                              progress_label=progress_label, seen=seen_val, init_from=init_from))
    if previous and previous.get(TUNED_THRESHOLD) and previous.get("members") == _manifest_members(members):
        set_tuned_threshold(outdir, previous[TUNED_THRESHOLD])  # chosen for this very ensemble
    return TrainResult(
        model_path=outdir, members=[o.path for o in outcomes], histories=[o.history for o in outcomes],
        best_epochs=[o.best_epoch for o in outcomes], val_accuracy=[o.val_acc for o in outcomes],
        n_train=len(data.train), n_val=len(data.val), n_unlabelled=data.n_unlabelled,
        class_counts={int(c): int(round(float(v))) for c, v in zip(config.classes, data.counts)},
        val_index=data.val.indices, device=str(dev), seconds=settled_clock(dev) - t_start, notes=notes,
        n_kept=sum(not o.trained for o in outcomes),
        val_balanced_accuracy=[o.val_balanced_acc for o in outcomes],
    )


def _previous_manifest(outdir: Path) -> dict[str, Any] | None:
    """The model directory's manifest before this run rewrites it, or None (none, or unreadable)."""
    from starclass.learn.checkpoint import MANIFEST, read_manifest

    if not (Path(outdir) / MANIFEST).is_file():
        return None
    try:
        return read_manifest(outdir)
    except StarclassError:
        return None


def _keep_user_calibration(outdir: Path, previous: dict[str, Any], device,
                           redigested: dict[str, str] | None = None) -> str | None:
    """Put back a calibration fitted with ``starclass calibrate`` for these very weights; a note, or None.

    A validation-split calibration is simply refitted (the recipe's calibration method may
    have changed: it is not part of the settings digest); one the user fitted on other rows is
    kept when its member digests are those of the kept members (``redigested``: old -> new digest
    of a member given new values of entries that change no weight, the same weights).
    """
    from starclass.learn.checkpoint import load_model, save_calibration

    cal = previous.get("calibration")
    if not cal or str(cal.get("source", "")).startswith("validation split"):
        return None
    loaded = load_model(outdir, device=device, check_calibration=False)
    digests = [c["digest"] for c in loaded.checkpoints]
    if [(redigested or {}).get(d, d) for d in cal.get("member_digests") or []] != digests:
        return None
    save_calibration(outdir, {k: v for k, v in cal.items() if k not in ("digest", "member_digests")}, digests,
                     overwrite=True)
    # an older calibration records no source ("on None" was said)
    on = f" on {cal['source']}" if cal.get("source") else ""
    return (f"calibration kept: fitted with 'starclass calibrate'{on} for these weights "
            "(refit it with 'starclass calibrate --overwrite')")


def _rows_right_words(new, start: dict) -> str:
    """How often the fine-tuned and the starting weights' most probable class is right on the calibration rows.

    A fine-tune on one round's few labels alone can forget what its start learnt: on 10 PAndAS labels (9
    clusters) it called every cutout a cluster, and its refitted temperature (12.1, the NLL at about ln 2) was
    the only sign in train's output. ``new`` is the refitted :class:`starclass.learn.calibration.ModelCalibration`,
    ``start`` the starting model's calibration entry (its raw ``probs`` and class-index ``labels``). Returns
    ``"; on these rows ..."``, or "" where either has no rows.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> new = SimpleNamespace(probs=np.array([[0.9, 0.1], [0.8, 0.2]]), labels=np.array([0, 1]))
    >>> print(_rows_right_words(new, {"probs": [[0.9, 0.1], [0.3, 0.7]], "labels": [0, 1]}))  # doctest: +ELLIPSIS
    ; on these rows the fine-tuned weights' ... right for 50% (1 of 2), the starting model's for 100% (2 of 2)
    """
    k_new, n_new, k_old, n_old = _rows_right(new, start)
    if not n_new or not n_old:
        return ""
    return (f"; on these rows the fine-tuned weights' most probable class is right for {k_new / n_new:.0%} "
            f"({k_new} of {n_new}), the starting model's for {k_old / n_old:.0%} ({k_old} of {n_old})")


def _rows_right(new, start: dict) -> tuple[int, int, int, int]:
    """``(right, rows)`` of the fine-tuned weights and of the starting model on the calibration rows (0, 0: none)."""
    def right(probs, labels) -> tuple[int, int]:
        p, y = np.asarray(probs, dtype=float), np.asarray(labels, dtype=int)
        if p.ndim != 2 or len(p) == 0 or len(p) != len(y):
            return 0, 0
        return int(np.sum(p.argmax(axis=1) == y)), len(y)

    return (*right(new.probs, new.labels), *right(start.get("probs", []), start.get("labels", [])))


#: How much less often (a share of the calibration rows) the fine-tuned weights' most probable class may be right
#: than the starting model's before train warns that the fine-tune forgot what its start learnt; at
#: :data:`FORGOT_MIN_ROWS` rows or more. A fine-tune on one round's 10 PAndAS labels alone fell from 78% to 53%.
FORGOT_DROP = 0.10
#: Rows the comparison of :data:`FORGOT_DROP` needs: on fewer, one row moves the share by more than the drop.
FORGOT_MIN_ROWS = 20


def forgot_caution(new: Any, start: dict, start_named: str) -> str | None:
    """A warning where the fine-tuned weights are right much less often than the start's on its calibration rows.

    The refit's note said both shares ("right for 53% (92 of 175), the starting model's for 78% (136 of 175)")
    and nothing more: a note among notes, with no next step, for a model that had forgotten what its start
    learnt (a round's labels alone: every cutout called a cluster). None where the drop is under
    :data:`FORGOT_DROP` or either has fewer than :data:`FORGOT_MIN_ROWS` rows.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> y = np.arange(40) % 2
    >>> good = np.eye(2)[y]
    >>> new = SimpleNamespace(probs=np.eye(2)[np.zeros(40, int)], labels=y)  # one class for every row: 50%
    >>> print(forgot_caution(new, {"probs": good.tolist(), "labels": y.tolist()}, "the starting model 'm0'"))
    ... # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    the fine-tuned weights' most probable class is right for 50% of the calibration rows of the starting model
    'm0' (20 of 40), the starting model's for 100% (40 of 40): the fine-tune may have forgotten what it learnt; ...
    >>> same = SimpleNamespace(probs=good, labels=y)
    >>> forgot_caution(same, {"probs": good.tolist(), "labels": y.tolist()}, "m") is None
    True
    """
    k_new, n_new, k_old, n_old = _rows_right(new, start)
    if min(n_new, n_old) < FORGOT_MIN_ROWS or k_new / n_new >= k_old / n_old - FORGOT_DROP:
        return None
    return (f"the fine-tuned weights' most probable class is right for {k_new / n_new:.0%} of the calibration rows "
            f"of {start_named} ({k_new} of {n_new}), the starting model's for {k_old / n_old:.0%} ({k_old} of "
            f"{n_old}): the fine-tune may have forgotten what it learnt; keep using {start_named} and fine-tune it "
            "again with the labels it was trained on and those so far beside this round's (one --stamps for each "
            "list, or one --mosaics/--catalog pair for each field), or with more --epochs")


def _refit_starting_calibration(outdir: Path, init_from, device, why: str) -> list[str]:
    """Refit the starting model's calibration rows with the fine-tuned weights, or leave the fine-tune without one.

    Used where the fine-tune's validation split holds too few rows the starting model did not train
    on (``why`` says how many). The starting model's calibration (its map and the conformal rows'
    scores) was fitted on probabilities of the starting weights; the fine-tune's differ, so kept as
    they were the map and the sets' thresholds no longer give the stated coverage. Where the rows can
    be read again (``calibrate`` records how, ``rows_from``: the cutout folder, or the mosaics, the
    catalogue and the options that shaped the stamps, with the files' stamps) they are classified
    with the new weights and the calibration is fitted on them as ``starclass calibrate`` would
    (rows the fine-tune trained on left out; files gone or changed since: none). Otherwise the fine-tune carries no
    calibration, recorded with the reason, so ``classify`` writes raw probabilities and no
    ``pred_set`` and says why. Returns the notes.
    """
    from starclass.learn.checkpoint import MANIFEST, read_manifest, set_no_calibration

    start = Path(init_from)
    if start.is_file() and start.name != MANIFEST:
        start = start.parent  # a member checkpoint: its folder's manifest
    try:
        cal = read_manifest(start).get("calibration")
    except (StarclassError, OSError):
        cal = None
    try:
        ours = read_manifest(outdir).get("pixel_flags")  # this run's, written before it is calibrated
    except (StarclassError, OSError):
        ours = None
    fix = f"fit it on rows neither model trained on: {_calibrate_form(init_from, ours)}"
    start_named = the_starting_model(init_from)
    if not cal:
        set_no_calibration(outdir, f"not fitted at training: {why}, and {start_named} has none")
        return [CautionNote(f"no calibration and no conformal sets: {why}, and {start_named} has no "
                            f"calibration to refit; {fix}", UncalibratedWarning)]
    fitted_on = cal.get("source", "its rows")
    rows_from = cal.get("rows_from")
    if isinstance(rows_from, dict) and rows_from.get("mosaics"):
        # calibrated on a catalogue over mosaics: the same kind of rows, not a cutout folder the user may not have
        fix = f"fit it on rows neither model trained on: {_CALIBRATE_MOSAICS}"
    if isinstance(rows_from, dict) and (rows_from.get("stamps") or rows_from.get("mosaics")):
        try:
            new, n_trained = _rescore_calibration_rows(outdir, rows_from, cal, device, start)
        except StarclassError as exc:
            cannot = f"its rows ({fitted_on}) could not be scored with the fine-tuned weights: {exc}"
        else:
            from starclass.learn.config import TaskConfig

            names = list(TaskConfig.from_dict(read_manifest(outdir)["config"]).class_names)
            was = f"{cal.get('n')} rows" if isinstance(cal.get("n"), int) else "its rows"
            left = f", {n_trained} rows this fine-tune trained on left out" if n_trained else ""
            # the map under TTA, as train's own calibration line says it (classify --tta applies that one)
            under_tta = f"; under TTA {new.with_tta.describe()}" if new.with_tta is not None else ""
            return [f"calibration refitted on the calibration rows of {start_named}, classified with the "
                    f"fine-tuned weights ({new.n} of {fitted_on}; the starting model's was fitted on {was}{left}): "
                    f"{new.describe()}, NLL {new.nll_before:.4f} -> {new.nll_after:.4f}{under_tta}"
                    f"{_rows_right_words(new, cal)}; not fitted on this run's validation split: {why}"
                    ] + [CautionNote(c) for c in new.cautions(names)] + (
                        # said as a warning with its next step, not only in the note's figures
                        [CautionNote(forgot, StarclassWarning)] if (forgot := forgot_caution(new, cal, start_named))
                        else [])
    elif cal.get("source") and not str(fitted_on).startswith("validation split"):
        # fitted with 'starclass calibrate' before it recorded its rows: "only a calibration fitted with
        # 'starclass calibrate' records how" read as if this one had not been, and named no way out for the start
        cannot = (f"it was fitted with 'starclass calibrate' on {fitted_on} before calibrate recorded how to read "
                  "its rows again (2026-12-06), so they cannot be re-scored with the fine-tuned weights")
        fix += (f"; and calibrate {the_starting_model(start)} again on {fitted_on} "
                f"({shown_command(f'starclass calibrate {shell_word(start)} ... --overwrite')}, which now records its "
                "rows), so that its next fine-tunes re-score them")
    else:
        cannot = (f"its rows ({fitted_on}) cannot be read again to score them with the fine-tuned weights (only a "
                  "calibration fitted with 'starclass calibrate' records how, since 2026-12-06; a validation "
                  "split's rows are not kept)")
    reason = (f"not fitted at training: {why}; the calibration of {start_named} was not kept, its map and "
              f"conformal rows are scores of the starting weights, not of these (the sets would not hold the stated "
              f"coverage), and {cannot}")
    set_no_calibration(outdir, reason)
    return [CautionNote(f"no calibration and no conformal sets (classify writes raw probabilities and no pred_set): "
                        f"{why}; the calibration of {start_named} was fitted on scores of the starting "
                        f"weights, which the fine-tune changed, and {cannot}; {fix}", UncalibratedWarning)]


def _recorded_path(rows_from: dict, key: str, start: Path, index: int | None = None) -> Path:
    """A file ``calibrate`` recorded: where it was, else where it is relative to the starting model (moved together)."""
    given, rel = rows_from.get(key), rows_from.get(f"{key}_relative")
    if index is not None:
        given = given[index]
        rel = rel[index] if isinstance(rel, list) and index < len(rel) else None
    path = Path(str(given))
    if not path.exists() and rel and (start / str(rel)).exists():
        return Path(os.path.normpath(start.absolute() / str(rel)))  # named without 'm0/..' in the notes
    return path


def _mosaic_calibration_rows(rows_from: dict, cfg, outdir: Path, start: Path):
    """Cut the stamps of a ``calibrate MOSAICS -c CATALOGUE`` calibration again.

    Returns (inputs, class values, None, source, the record rebased on ``outdir``, each row's place as calibrate
    names it: :func:`starclass.io.catalog.catalogue_row_places`).

    Raises StarclassError where a mosaic, the catalogue or a bad-pixel mask file (``--mask-file``) is gone or
    changed since (their recorded :func:`starclass.learn.calibration.file_stamp`), or the mask files were
    not recorded.
    """
    from starclass.io.catalog import catalogue_row_places, numeric_column, place_on_mosaics, read_catalog
    from starclass.io.mosaic import PixelFlags, read_mosaics
    from starclass.learn.calibration import file_stamp, mask_files_of, relative_to, stale_file
    from starclass.learn.classify import check_bands
    from starclass.stamps import make_inputs

    files = [_recorded_path(rows_from, "mosaics", start, k) for k in range(len(rows_from["mosaics"]))]
    catalog = _recorded_path(rows_from, "catalog", start)
    stamps = rows_from.get("stamps_of_files") or []
    changed = [why for f, st in zip([*files, catalog], stamps) if (why := stale_file(f, st))]
    flags = {k: v for k, v in (rows_from.get("pixel_flags") or {}).items() if v is not None}
    # the mask files shape the stamps as the mosaics do: found beside the mosaics as found (moved with them)
    masks = mask_files_of(files, flags.get("mask_file"))
    mask_stamps = rows_from.get("stamps_of_mask_files")
    if masks and mask_stamps is None:
        changed.append(f"its bad-pixel mask files (--mask-file {flags['mask_file']}) were not recorded with it "
                       "(calibrated before they were), so whether they changed since cannot be told")
    elif masks:
        recorded = [Path(str(m)).name for m in rows_from.get("mask_files") or []]
        if len(recorded) != len(masks):
            changed.append(f"its bad-pixel mask files are {len(masks)} now, {len(recorded)} then")
        changed += [why for m, st in zip(masks, mask_stamps) if (why := stale_file(m, st))]
    if changed:
        raise StarclassError("; ".join(changed))
    mos = read_mosaics(files if len(files) > 1 else files[0], require_zeropoint=cfg.normalisation in ("rgb", "flux"),
                       pixel_flags=PixelFlags(**flags) if flags else None, warn_v_band=False)
    check_bands(list(cfg.bands), list(mos.bands), "the fine-tune", mos, task=cfg.name,
                listed="the starting model's calibration mosaics")
    column = str(rows_from.get("label_column", "class_ref"))
    table = read_catalog(catalog, require_xy=False, classes=cfg.catalogue_classes)
    if column not in table.colnames:
        raise StarclassError(f"{catalog} has no label column {column!r} any more")
    places = catalogue_row_places(table)  # as calibrate names them: id and position, before placing
    table = place_on_mosaics(table, mos, catalog, say=lambda line: None)  # said when the start was calibrated
    inputs, ok = make_inputs(mos, numeric_column(table, X), numeric_column(table, Y), cfg)
    values = np.asarray(numeric_column(table, column, f"catalogue {catalog}"), dtype=float).copy()
    values[~np.asarray(ok, bool)] = 0  # no usable stamp: left out, as calibrate leaves it out
    # the fine-tune's own record: the files as found, relative to its own folder
    rebased = {**rows_from, "mosaics": [str(f.absolute()) for f in files], "catalog": str(catalog.absolute()),
               "mosaics_relative": [relative_to(f, outdir) for f in files],
               "catalog_relative": relative_to(catalog, outdir),
               # as found (a copy's new times): the next fine-tune compares times first, not the digests of whole files
               "stamps_of_files": [file_stamp(f) for f in [*files, catalog]],
               "mask_files": [str(m) for m in masks], "stamps_of_mask_files": [file_stamp(m) for m in masks]}
    return inputs, values, None, str(catalog), rebased, places


def _stamps_calibration_rows(rows_from: dict, cfg, outdir: Path, start: Path):
    """Read a ``calibrate --stamps`` calibration's cutouts again.

    Returns (inputs, class values, no-data flags, source, the record rebased on ``outdir``, and each row's
    place: its list's row and line and its file, :meth:`~starclass.io.cutout_folders.CutoutSet.row_place`).

    Raises StarclassError where the list is gone or changed since (its recorded
    :func:`starclass.learn.calibration.file_stamp`), or was not stamped (calibrated before that).
    """
    from starclass.io.cutout_folders import label_classes, read_cutout_folder, stored_group_column
    from starclass.learn.calibration import stale_cutout_list, stamps_rows_from
    from starclass.learn.classify import blank_bands
    from starclass.stamps.images import cutout_band_no_data, cutout_centre_no_data, cutout_inputs, cutout_resampler

    folder = _recorded_path(rows_from, "stamps", start)
    # a list edited since (its labels changed) is other rows than those calibrated on: dropped with the
    # reason, as a changed catalogue or mosaic is (it was re-read as it is, without a word)
    if (why := stale_cutout_list(folder, rows_from)) is not None:
        raise StarclassError(why)
    cutouts = read_cutout_folder(folder, group_column=stored_group_column(cfg.group_column),
                                 require_group=False, bands=list(cfg.bands),
                                 label_column=str(rows_from.get("label_column", "label")),
                                 bands_of=f"model {model_word(outdir)}", resample=cutout_resampler(cfg),
                                 label_map=cfg.label_map,
                                 file_column=str(rows_from.get("file_column", "file")))
    if cutouts.labels is None:
        raise StarclassError(f"{folder} has no label column {rows_from.get('label_column')!r} any more")
    inputs = cutout_inputs(cutouts.images, cfg)
    values = np.asarray(label_classes(cutouts, cfg.label_map, config=cfg))
    # as calibrate --stamps: a cutout without data at its centre is never classified, so not fitted on
    centre = (cutout_centre_no_data(cutouts.images, cfg) & (values != 0) & ~blank_bands(inputs, cfg).any(axis=1))
    # as found, relative to the fine-tune's folder (a copy's new times: the next fine-tune compares times first)
    rebased = {**rows_from, **stamps_rows_from(outdir, folder, str(rows_from.get("label_column", "label")),
                                               str(rows_from.get("file_column", "file")))}
    # a blank row named as calibrate --stamps names it (its row and line in the list, its file): "(row 41)" alone
    # named a row of no file
    places = [cutouts.row_place(i) for i in range(len(cutouts))]
    return (inputs, np.where(centre, 0, values), cutout_band_no_data(cutouts.images, cfg), str(folder), rebased,
            places)


def _rescore_calibration_rows(outdir: Path, rows_from: dict, cal: dict, device, start: Path):
    """Fit a fine-tune's calibration on its starting model's ``calibrate`` rows, scored with its weights.

    ``rows_from`` is what :func:`starclass.learn.calibration.calibrate_model` recorded (a cutout
    folder, or mosaics and a catalogue); ``cal`` the starting model's entry (its method and bins are
    kept); ``start`` the starting model's folder (recorded paths relative to it are tried where the
    absolute ones are gone). Rows the fine-tune trained on are left out. Returns the calibration and
    how many rows were left out so; raises StarclassError where the files are gone or changed, or
    no row is left.
    """
    from starclass.learn.calibration import HISTOGRAM_BINS, _calibrate_model
    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.config import TaskConfig

    cfg = TaskConfig.from_dict(read_manifest(outdir)["config"])
    if rows_from.get("mosaics"):
        inputs, values, no_data, source, record, places = _mosaic_calibration_rows(rows_from, cfg, outdir, start)
    else:
        inputs, values, no_data, source, record, places = _stamps_calibration_rows(rows_from, cfg, outdir, start)
    # rows the fine-tune trained on (its own new labels may include some of them) are left out, not a
    # reason to refuse the rest, as calibrate would refuse them all: said in the note
    from starclass.learn.provenance import MANIFEST_KEY, recorded_digests, training_input_rows

    doc = read_manifest(outdir)
    # by exact input or fingerprint (a training cutout in another format, or flipped), as calibrate tells them
    trained = (training_input_rows(inputs, doc[MANIFEST_KEY]) & (values != 0) if recorded_digests(doc) is not None
               else np.zeros(len(values), bool))
    values = np.where(trained, 0, values)
    # calibrate_model's warnings (blank cutouts left out, named by row) pass through: said once, for this fit
    # its cautions (too few rows, a map at an end of its search) are this fit's notes, not warnings said twice
    new, _ = _calibrate_model(outdir, inputs, values, source=source, overwrite=True,
                              device=device, method=str(cal.get("method", "temperature")),
                              n_bins=int(cal.get("n_bins") or HISTOGRAM_BINS), no_data=no_data, rows_from=record,
                              places=places)
    return new, int(trained.sum())


def _calibrate_on_validation(outdir: Path, data: TrainData, config, device, *, label_model: str | None = None,
                            progress: bool | None = False, progress_label: str | None = None,
                            seen: np.ndarray | None = None, init_from=None) -> list[str]:
    """Fit the finished ensemble's calibration on the validation rows and store it (calibration.py).

    The ensemble classifies the validation rows once (no augmentation), and once more averaged
    over the eight rotations/flips (8x that pass) for the map ``classify --tta`` applies
    (:attr:`starclass.learn.calibration.ModelCalibration.with_tta`); their raw mean
    probabilities and labels, and the calibration fitted on them (``recipe.calibration``: a
    temperature or vector scaling), go into ``manifest.json``
    (:func:`starclass.learn.checkpoint.save_calibration`). Returns notes for the result: why
    there is no calibration (no validation split, or a class absent from it), else the
    fitted map. ``label_model`` says how targets of votes were made (``train --labels``): with
    ``mode`` each row is one-hot on the mode and is described so, not as soft targets. With
    ``progress`` True the passes draw a bar, None they say timed lines (:class:`starclass.io.progress.Progress`),
    each starting with ``progress_label``.

    A fine-tune (``init_from``) whose validation rows include rows its starting model trained on
    (``seen``, True per such validation row) is calibrated on the others alone where they are
    enough (as many rows, and rows of each class, as :func:`starclass.learn.calibration.too_few_rows`
    asks of a temperature or map to trust it), else it refits the starting model's calibration rows
    scored with the new weights, or leaves the model without a calibration where they cannot be read
    again (:func:`_refit_starting_calibration`): fitted on rows the weights learnt, the temperature of a
    ``train --resume-from`` on the labels so far plus new ones came out 0.36 on the PAndAS cutouts. A
    fine-tune whose validation rows are all fresh but too few (a few new labels alone), or miss a class,
    or whose map ends at an end of its search, takes the same way: 4 rows gave T = 19.997, every
    probability flattened.
    """
    from starclass.learn.calibration import (
        CALIBRATION_MIN_ROWS,
        CALIBRATION_MIN_ROWS_PER_CLASS,
        HISTOGRAM_BINS,
        check_histogram_rows,
        fit_with_and_without_tta,
        too_few_rows,
    )
    from starclass.learn.checkpoint import load_model, save_calibration, set_no_calibration
    from starclass.learn.classify import member_probabilities

    if len(data.val) == 0:
        # recorded in the manifest: classify says why the model has no calibration
        set_no_calibration(outdir, "trained without a validation split (val_fraction 0)")
        return ["no validation split (val_fraction 0): no calibration and no conformal sets; fit them on a "
                "labelled set with 'starclass calibrate'"]
    targets = np.asarray(data.val.targets)
    # targets of votes are rows of class probabilities; those of --label-model mode are one-hot on
    # the mode and were described as "soft targets" in the notes and the model's calibration source
    mode = label_model == "mode"
    soft = targets.ndim == 2 and not mode
    if targets.ndim == 2:
        # soft targets (votes): the temperature and the conformal sets need one class per row, so
        # each row counts as its most probable class
        targets = targets.argmax(axis=1)
    absent = [int(config.classes[j]) for j in range(config.n_classes) if not np.any(targets == j)]
    # a fine-tune's split missing a class is the extreme of too few rows of it, judged below with the others: its
    # start's calibration rows are re-scored (a round of 10 labels, 2 validation cutouts of one class, was left
    # without a calibration where 6 rows of every class got the refit)
    if absent and init_from is None:
        names = dict(zip(config.classes, config.class_names))
        said = ", ".join(f"{c} ({names.get(c, c)})" for c in absent)
        set_no_calibration(outdir, f"not fitted at training, the validation split ({len(data.val)} rows) had no "
                                   f"row of class(es) {said}")
        return [f"validation split has no row of class(es) {absent}: no calibration and no conformal sets; fit "
                "them with 'starclass calibrate' on a labelled set holding every class"]
    method = getattr(config.recipe, "calibration", "temperature")
    fresh = None
    if init_from is not None:
        # a fine-tune on a few new labels alone has a validation split of a handful of rows, none seen by the
        # start: fitted on 4 of them the temperature ended at 19.997 (every probability flattened) although the
        # start was calibrated on 300 rows; too few rows are judged as calibrate judges them, seen or not
        was_seen = np.zeros(len(targets), bool) if seen is None else np.asarray(seen, dtype=bool)
        n_fresh, n_val = int((~was_seen).sum()), len(data.val)
        counts = {int(c): int(np.sum(targets[~was_seen] == j)) for j, c in enumerate(config.classes)}
        # histogram binning checks its own rows below (and falls back to a temperature): the temperature's floor
        short = too_few_rows(n_fresh, counts, "temperature" if method == "histogram" else method)
        if short is not None or min(counts.values()) == 0:
            names = dict(zip(config.classes, config.class_names))
            per_class = ", ".join(f"{n} of class {c} ({names.get(c, c)})" for c, n in counts.items())
            need = (f"at least {CALIBRATION_MIN_ROWS} needed, and "
                    f"{CALIBRATION_MIN_ROWS_PER_CLASS['temperature' if method == 'histogram' else method]} of each "
                    "class")
            why = (f"only {n_fresh} of the {n_val} validation rows ({per_class}) are rows the starting model did not "
                   f"train on ({need})" if was_seen.any() else
                   f"the validation split holds only {n_val} rows ({per_class}; {need})")
            return _refit_starting_calibration(outdir, init_from, device, why)
        if was_seen.any():
            fresh = ~was_seen
    loaded = load_model(outdir, device=device, check_calibration=False)
    amp = getattr(config.recipe, "amp", True)
    parts, parts_tta = [], []
    m = len(loaded.members)
    # nine passes of every member over the validation rows (TTA: eight), after the last epoch's line: 54 s with
    # the batch-norm pass for one ResNet-18 on 124 rows (measured), minutes to hours for a large ensemble, and
    # neither a log nor a terminal said anything until train's summary. A bar or lines, as the member's own pass
    said = f"{progress_label}: " if progress_label else ""
    with Progress(len(data.val), desc=f"{said}{config.name} calibration ({m} member{'s' * (m > 1)})",
                  noun="validation row", show=progress, unit="row", dynamic_ncols=True) as bar:
        for xb, _ in loader(data.val, batches(np.arange(len(data.val)), int(config.recipe.batch_size))):
            parts.append(member_probabilities(loaded.members, xb, device=device, amp=amp).mean(axis=0))
            if xb.shape[-1] == xb.shape[-2]:
                # classify --tta gets a map fitted on TTA-averaged probabilities, which are softer (8x this pass)
                parts_tta.append(member_probabilities(loaded.members, xb, tta=True, device=device,
                                                      amp=amp).mean(axis=0))
            bar.update(int(xb.shape[0]))
    probs = np.concatenate(parts).astype(np.float64)
    probs_tta = np.concatenate(parts_tta).astype(np.float64) if len(parts_tta) == len(parts) else None
    source = "validation split" + (" (most probable class of the soft targets)" if soft else
                                   " (the mode of the votes)" if mode else "")
    fallback = []
    if fresh is not None:
        # the rows the starting weights learnt would make the temperature too low, the sets too small
        fallback = [f"calibration fitted on the {int(fresh.sum())} of the {len(targets)} validation rows "
                    f"{the_starting_model(init_from)} did not train on (the other {int((~fresh).sum())} left out)"]
        source += f" ({int(fresh.sum())} rows the starting model did not train on)"
        probs, targets = probs[fresh], targets[fresh]
        probs_tta = probs_tta[fresh] if probs_tta is not None else None
    if method == "histogram":
        try:
            check_histogram_rows(len(targets), HISTOGRAM_BINS, "recipe.calibration histogram: bins")
        except StarclassError as exc:
            # the members are trained: a too-small validation split should not lose them, so the
            # temperature (one parameter) is fitted instead and the notes say why
            method = "temperature"
            fallback = [f"{exc}; fitted the temperature instead (refit with 'starclass calibrate --method "
                        "histogram' on a larger labelled set)"]
    cal = fit_with_and_without_tta(probs, probs_tta, targets, config.classes, source=source, method=method)
    at_end = (cal.warning() or cal._scales_at_bound()) if init_from is not None else None
    if at_end:
        # the map found no minimum on these rows: stored, it would flatten (or sharpen) every probability of
        # a fine-tune whose start carries a calibration that can be re-scored with the new weights
        return _refit_starting_calibration(outdir, init_from, device,
                                           f"fitted on the {cal.n} validation rows, {at_end.split(': ')[0]}")
    save_calibration(outdir, cal.to_dict(), [c["digest"] for c in loaded.checkpoints], overwrite=True)
    # too few validation rows to pin the map down, or a temperature at an end of its search
    fallback += [CautionNote(c) for c in cal.cautions(list(config.class_names))]  # named as info names them
    under_tta = f"; under TTA {cal.with_tta.describe()}" if cal.with_tta is not None else ""
    return fallback + [f"calibration: {cal.describe()} fitted on {cal.n} validation rows "
            f"(NLL {cal.nll_before:.4f} -> {cal.nll_after:.4f}){under_tta}" + ("; soft targets: each row as its most "
                                                                   "probable class" if soft else
                                                                   "; each row as the mode of its votes"
                                                                   if mode else "")]


def _manifest_members(members: list[MemberSpec]) -> list[dict]:
    return [{"file": member_filename(m.index), "architecture": m.architecture, "seed": m.seed}
            for m in members]


def _val_acc_at(history: list[dict], best_epoch: int | None) -> float:
    for rec in history:
        if best_epoch and rec.get("epoch") == best_epoch:
            return float(rec.get("val_acc", math.nan))
    return float(history[-1].get("val_acc", math.nan)) if history else math.nan


def _check_resumable(outdir: Path, config, members: list[MemberSpec], identity: dict[str, str],
                     known_data: dict[str, str] | None = None) -> list[str]:
    """Refuse, before any training, a model directory whose checkpoints another run wrote.

    ``known_data`` (as :func:`fit` takes it) words the refusal of a checkpoint trained on an
    earlier reading of the same data. Returns what each member with a checkpoint resumes from
    (``member 1 already trained``, ``member 2 after epoch 3 of 5``), for :func:`fit`'s ``on_resume``.
    """
    found = []
    for spec in members:
        for path, kind in ((outdir / member_filename(spec.index), "member"),
                           (outdir / epoch_filename(spec.index), "epoch")):
            if path.exists():
                ckpt = load_checkpoint(path, kind=kind)
                note = _check_same_run(path, ckpt, config, spec, identity, known_data, finished=kind == "member")
                found.append((f"member {spec.index + 1} already trained" if kind == "member" else
                              f"member {spec.index + 1} after epoch {int(ckpt['epoch'])} of "
                              f"{int(config.recipe.epochs)}") + (f" ({note})" if note else ""))
                break
    return found


#: An entry one config has and the other lacks (a setting added since a model was trained), for :func:`_config_diff`.
_ABSENT = object()

#: Task entries that change no weight a run fits, so a checkpoint that differs from the task only in them
#: resumes (with a note): ``description`` is words; ``pixel_scale`` the arcsec of a stamp pixel, read by
#: explain's radii and the cutout-field notes, never by training (m31-real's went 0.187 -> 0.374 on
#: 2026-12-05); ``mixed_sizes`` lets a folder of cutouts of several sizes be read, and the inputs it
#: gives are in the data digest (cool-core's became true on 2026-12-05, absent from models before).
#: Such a change refused to continue an interrupted run as "other settings".
RESUME_NEUTRAL_KEYS = ("description", "pixel_scale", "mixed_sizes")


def _config_diff(old: Any, new: Any, prefix: str = "") -> list[tuple[str, Any, Any]]:
    """The entries that differ between two config dicts: (dotted name, value there, value now).

    An entry one of them lacks is :data:`_ABSENT` on that side.

    Examples
    --------
    >>> _config_diff({"a": 1, "recipe": {"lr": 0.1}}, {"a": 1, "recipe": {"lr": 0.2}})
    [('recipe.lr', 0.1, 0.2)]
    """
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(old) | set(new), key=str):
            out += _config_diff(old.get(key, _ABSENT), new.get(key, _ABSENT), f"{prefix}{key}.")
        return out
    return [] if old == new else [(prefix.rstrip("."), old, new)]


def _neutral_value(key: str) -> Any:
    """The value an absent entry stands for: its :data:`TASK_NEUTRAL` / :data:`RECIPE_NEUTRAL` value, else _ABSENT."""
    if key.startswith("recipe."):
        return RECIPE_NEUTRAL.get(key[len("recipe."):], _ABSENT)
    return TASK_NEUTRAL.get(key, _ABSENT)


def _said_diff(key: str, old: Any, new: Any) -> str:
    """``recipe.lr 0.001 there, 0.01 now``; an absent side is named as such (a setting added since)."""
    def side(value: Any, where: str) -> str:
        if value is not _ABSENT:
            return f"{value!r} {where}"
        neutral = _neutral_value(key)
        # "None there" read as a value the model was trained with; the model predates the setting
        return (f"{neutral!r} {where} (not recorded: the default)" if neutral is not _ABSENT
                else f"not recorded {where} (a setting added since)" if where == "there" else f"not set {where}")
    return f"{key} {side(old, 'there')}, {side(new, 'now')}"


def _as_yaml(diff: list[tuple[str, Any, Any]]) -> str:
    """The old values of ``diff`` as task-file YAML (``lr_schedule: step, recipe: {lr: 0.001}``), for a message."""
    top, recipe = [], []
    for key, old, _ in diff:
        value = _neutral_value(key) if old is _ABSENT else old
        if value is _ABSENT:
            continue
        text = json.dumps(value) if not isinstance(value, str) else value
        if key.startswith("recipe."):
            recipe.append(f"{key[len('recipe.'):]}: {text}")
        else:
            top.append(f"{key}: {text}")
    if recipe:
        top.append("recipe: {" + ", ".join(recipe) + "}")
    return ", ".join(top)


def _check_same_run(path: Path, ckpt: dict, config, spec: MemberSpec,
                    identity: dict[str, str] | None = None, known_data: dict[str, str] | None = None, *,
                    finished: bool = False) -> str | None:
    """Refuse to resume from a checkpoint of another task, architecture, seed, data or settings.

    Returns a note when the checkpoint differs from ``config`` only in entries that change no
    weight (:data:`RESUME_NEUTRAL_KEYS`): it resumes, and the note says what differs; else None.
    ``finished``: the checkpoint is a finished member (not an interrupted run's epoch), and a refusal
    says how to train that model further (fine-tune it into a new folder) or afresh.
    """
    cfg = ckpt.get("config", {})
    if cfg.get("name") != config.name or ckpt.get("architecture") != spec.architecture \
            or ckpt.get("seed") != spec.seed or list(ckpt.get("classes", [])) != [int(c) for c in config.classes]:
        raise StarclassError(
            f"{path} belongs to another training run (task {cfg.get('name')!r}, architecture "
            f"{ckpt.get('architecture')!r}, seed {ckpt.get('seed')!r}); use another output "
            f"directory or resume=False (--overwrite, --no-resume) to overwrite it"
        )
    if not identity:
        return None
    fresh = ("train into another directory, or start afresh with --overwrite (or --no-resume; resume=False), which "
             "replaces the checkpoints there")
    if "settings_digest" not in ckpt or "data_digest" not in ckpt:
        raise StarclassError(
            f"{path} was written by an older starclass that did not record the data and settings it was "
            f"trained with, so it cannot be resumed or kept safely; {fresh}")
    what = []
    if ckpt.get("label_model") != identity.get("label_model"):
        what.append(f"another label model ({ckpt.get('label_model') or 'none'} there, "
                    f"{identity.get('label_model') or 'none'} now)")
    note, back, started = None, "", ""
    if ckpt["settings_digest"] != identity.get("settings_digest"):
        diff = _config_diff(_settings(ckpt.get("config")), _settings(config))
        weighty = [d for d in diff if d[0] not in RESUME_NEUTRAL_KEYS]
        if not diff:
            # the same values, digested in another form (a number stored as the string a task file gave,
            # lr '1e-4', or an int, weight_decay 0): the run resumes
            pass
        elif not weighty:
            # an upgrade changed a preset's pixel_scale (m31-real) or added mixed_sizes (cool-core): an interrupted
            # run was refused as "other settings", though nothing it trains on differs
            verb = "this changes" if len(diff) == 1 else "these change"
            note = ("; ".join(_said_diff(*d) for d in diff)
                    + f": {verb} no weight, so the run resumes, with the values now")
        else:
            said = "; ".join(_said_diff(*d) for d in weighty[:6]) if weighty else "the recipe"
            old = _as_yaml(weighty)
            preset = getattr(config, "preset_name", None)
            # the way to continue the run, not only to give it up: the settings it was started with
            started = ("" if not old else
                       f"the settings it was started with (a task file with 'extends: {preset}' and {old}, or the "
                       "options that set them)" if preset else
                       f"the settings it was started with ({old} in the task file, or the options that set them)")
            back = f"; to continue it, train with {started}; or" if started else ""
            what.append(f"other settings ({said})")
    if ckpt["data_digest"] != identity.get("data_digest"):
        # an earlier reading of these very data (rows since left out) is named for what it was
        what.append((known_data or {}).get(ckpt["data_digest"])
                    or "other training data (labels, positions or input stamps differ)")
    if ckpt.get("init_digest") != identity.get("init_digest"):
        what.append("another starting model (init_from: "
                    + ("none there" if ckpt.get("init_digest") is None else "other weights there")
                    + (", none now)" if identity.get("init_digest") is None else ", other weights now)"))
    # a written model (its manifest there), not one member of an ensemble still training, nor a fold of a
    # cross-validation (which is retrained as a whole, not fine-tuned fold by fold)
    finished = finished and (path.parent / MANIFEST).is_file() and not path.parent.name.startswith("fold_")
    if what and finished:
        # `train --epochs 3 -o mymodel` after a finished 2-epoch run was told to continue with the settings it was
        # started with (recipe: {epochs: 2}), which trains nothing more: the ways to train more are named instead
        model = path.parent
        keep = f"; to keep it as it is, run with {started}" if started else ""
        raise StarclassError(
            f"{model} is a finished model, trained with {' and '.join(what)}; to train it further, fine-tune it into "
            f"a new folder: --resume-from {model} -o {model}_more (init_from= in Python){keep}; to train it afresh "
            "with the settings now, give --overwrite (or --no-resume; resume=False), which replaces it; or train "
            "into another directory")
    if what:
        # back ends "; or": joined with another "; " it read "...set them); or; train into another directory"
        raise StarclassError(f"{path} was trained with {' and '.join(what)}{back}{' ' if back else '; '}{fresh}")
    return note
