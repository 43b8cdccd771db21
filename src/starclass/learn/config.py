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

Presets (:data:`PRESETS`, :func:`get_preset`) reproduce every system in the seed papers:

``legus4``
    StarcNet (Perez et al., seed 001, sections 3-4): five LEGUS HST bands, four classes,
    32 px stamps at magnifications 1x, 1.6x and 3.2x (nearest neighbour), per-band z-score,
    three pathways of seven conv/GroupNorm/LeakyReLU modules, Xavier init, Adam 1e-4, batch
    128, 15 epochs (the epoch of best validation accuracy), 8 rotations/flips and a 1.07x
    rescale with probability 0.5.
``phangs4``
    PHANGS-HST / Wei et al. 2020 (seed 000, section 10): five bands, four classes, 299 px
    per-band sub-images, an ensemble of ten ResNet18 and ten VGG19-BN models (ImageNet
    transfer learning when weights are available locally), batch 32, random 90-degree
    rotations and flips. The network input is resized to 224 px inside the model; **on a CPU
    lower ``stamp_size`` and ``input_size``** (e.g. 64 and 64, or ``input_size=None`` to use
    the stamp as is): the published geometry costs ~1.8 GFLOP per candidate per ResNet18.
``m31-binary``
    M31 / PAndAS (Zhang et al., seed 002, sections 2-4): g and i bands of CFHT MegaCam
    (0.187"/px), clusters versus non-clusters, 56 px stamps z-scored per band and upsampled
    to 224 px, ResNet-50 trained with SGD (learning rate 1e-2), decision threshold 0.669 on
    P(cluster) (the paper's choice for high purity; tune it on your own validation set with
    ``starclass.evaluate.threshold``).
``open-globular``
    Open versus globular clusters in DSS2 colour images (Stipp & Montana-Lopez, seed 003):
    RGB survey images, 224 px, VGG16 with the first 10 layers frozen, dropout 0.5, learning
    rate 1e-6, batch 16, 40 epochs.
``galaxy-cluster``
    X-ray selected galaxy-cluster candidates (Kosiba et al. 2020, seed 004): an X-ray and an
    optical channel, cluster versus non-cluster, the small custom CNN (six 3x3 convolutions
    each followed by 2x2 max pooling, dense 256, dropout 0.65), SGD with Nesterov momentum
    0.9, learning rate 1e-4, batch 10, threshold 0.5.
``cool-core``
    Cool-core classification from mock Chandra images (seed 004, second study): one X-ray
    channel at 3.9"/px, three classes (cool core, weak cool core, non-cool core), ResNet-18
    on 256 px images (the single band replicated to three channels, here by the band
    adapter).
``*-compact``
    The same tasks with :mod:`starclass.models.compact`, our small multi-scale network
    (about 250x fewer FLOPs than StarcNet on the legus4 input), trained with Adam 1e-3 for
    up to 60 epochs with early stopping (patience 10).

Band names of non-HST data (``r``, ``g``, ``b`` colour channels of survey images, ``xray``,
``optical``) are task-local labels: they name the stamp channels and need not be in
:data:`starclass.bands.BANDS`.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from starclass.bands import BANDS, HST_BANDS, HST_PIXEL_SCALE
from starclass.errors import StarclassError

NORMALISATIONS = ("none", "zscore", "asinh", "rgb", "flux")
OPTIMIZERS = ("adam", "adamw", "sgd")
BALANCES = ("weighted_sampler", "class_weights", None)
SPLITS = ("random", "spatial", "galaxy")


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
    optimizer : {"adam", "adamw", "sgd"}
        Optimiser; ``momentum`` and ``nesterov`` apply to SGD.
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
        nothing.
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
        CPU; "bf16" = bfloat16 autocast on any device, CPU included (several times faster on
        CPUs with AMX); False = float32. Inference uses the same setting.
    dropout : float
        Dropout before the classifier layer, where the architecture has one.
    """

    epochs: int = 15
    batch_size: int = 128
    lr: float = 1e-4
    optimizer: str = "adam"
    weight_decay: float = 0.0
    momentum: float = 0.9
    nesterov: bool = False
    augment: bool = True
    rescale: float = 1.07
    rescale_prob: float = 0.5
    balance: str | None = "weighted_sampler"
    early_stopping_patience: int | None = 5
    val_fraction: float = 0.1
    split: str = "random"
    ensemble_size: int = 1
    seeds: int | list[int] = 0
    amp: bool | str = True
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise StarclassError(f"recipe.optimizer={self.optimizer!r}: use one of {OPTIMIZERS}")
        if self.balance not in BALANCES:
            raise StarclassError(f"recipe.balance={self.balance!r}: use one of {BALANCES}")
        if self.split not in SPLITS:
            raise StarclassError(f"recipe.split={self.split!r}: use one of {SPLITS}")
        for name in ("epochs", "batch_size", "ensemble_size"):
            if int(getattr(self, name)) < 1:
                raise StarclassError(f"recipe.{name}={getattr(self, name)!r} must be >= 1")
        if not (0.0 <= float(self.val_fraction) < 1.0):
            raise StarclassError(f"recipe.val_fraction={self.val_fraction!r} must be in [0, 1)")
        if float(self.lr) <= 0:
            raise StarclassError(f"recipe.lr={self.lr!r} must be > 0")
        if isinstance(self.seeds, tuple):
            self.seeds = list(self.seeds)
        from starclass.learn.precision import parse_precision

        self.amp = parse_precision(self.amp, "recipe.amp")

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
    def from_dict(cls, d: dict[str, Any]) -> "TrainRecipe":
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise StarclassError(f"recipe: unknown keys {sorted(unknown)}; known: {sorted(known)}")
        return cls(**d)


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
    normalisation : {"none", "zscore", "asinh", "rgb", "flux"}
        Stamp normalisation (applied by ``starclass.stamps``); "rgb" combines the bands into
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
    label_map : dict of str to int
        Label strings of cutout folders (:mod:`starclass.io.cutout_folders`) -> classes
        (e.g. ``{"cluster": 1, "extended_cluster": 1, "galaxy": 2}``); stored with the model.
        Empty: labels are class numbers.
    group_column : str or None
        Cutout folders: the column naming each cutout's object; rows of one object stay on
        one side of every split (``m31-real``: ``object_id``).
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
    # realimg (issue 12): label strings of cutout folders and their grouping column
    label_map: dict[str, int] = field(default_factory=dict)
    group_column: str | None = None

    # ------------------------------------------------------------------ checks
    def __post_init__(self) -> None:
        self.bands = [str(b).lower() for b in self.bands]
        self.classes = [int(c) for c in self.classes]
        self.scales = [float(s) for s in self.scales]
        self.merge = {int(k): int(v) for k, v in dict(self.merge).items()}
        if isinstance(self.recipe, dict):
            self.recipe = TrainRecipe.from_dict(self.recipe)
        if not self.class_names:
            self.class_names = [f"class {c}" for c in self.classes]
        self.class_names = [str(n) for n in self.class_names]
        where = f"task config {self.name!r}"
        if not self.bands:
            raise StarclassError(f"{where}: 'bands' is empty")
        if len(set(self.bands)) != len(self.bands):
            raise StarclassError(f"{where}: 'bands' has duplicates: {self.bands}")
        if len(self.classes) < 2:
            raise StarclassError(f"{where}: 'classes' needs at least two classes, got {self.classes}")
        if len(set(self.classes)) != len(self.classes) or min(self.classes) < 1:
            raise StarclassError(f"{where}: 'classes' must be distinct positive ints, got {self.classes}")
        if len(self.class_names) != len(self.classes):
            raise StarclassError(
                f"{where}: {len(self.class_names)} class_names for {len(self.classes)} classes"
            )
        self.label_map = {str(k): int(v) for k, v in dict(self.label_map or {}).items()}
        bad_labels = {k: v for k, v in self.label_map.items() if v not in self.classes}
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
            if not np.isfinite(self.softening_mag):
                raise StarclassError(f"{where}: softening_mag={given!r}; use a finite magnitude or 'auto'")
        if int(self.stamp_size) < 4:
            raise StarclassError(f"{where}: stamp_size={self.stamp_size} is too small")
        self.stamp_size = int(self.stamp_size)
        if self.input_size is not None:
            self.input_size = int(self.input_size)
            if self.input_size < 4:
                raise StarclassError(f"{where}: input_size={self.input_size} is too small")
        if not self.scales or min(self.scales) < 1.0:
            raise StarclassError(f"{where}: scales must be >= 1.0, got {self.scales}")
        if self.pixel_scale is not None and float(self.pixel_scale) <= 0:
            raise StarclassError(f"{where}: pixel_scale={self.pixel_scale} must be > 0")
        if self.threshold is not None:
            self.threshold = float(self.threshold)
            if not (0.0 <= self.threshold <= 1.0):
                raise StarclassError(f"{where}: threshold={self.threshold} must be in [0, 1]")
            if self.positive_class is None:
                raise StarclassError(f"{where}: a threshold needs a positive_class")
        if self.positive_class is not None:
            self.positive_class = int(self.positive_class)
            if self.positive_class not in self.classes:
                raise StarclassError(
                    f"{where}: positive_class={self.positive_class} not in classes {self.classes}"
                )
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
                e = {"architecture": str(entry["architecture"]), "n": int(entry.get("n", 1))}
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

    # ------------------------------------------------------------------ shapes
    @property
    def n_classes(self) -> int:
        """Number of network outputs."""
        return len(self.classes)

    @property
    def n_bands_in(self) -> int:
        """Channels per scale: 3 for RGB-normalised stamps, else the number of bands."""
        return 3 if self.normalisation == "rgb" else len(self.bands)

    @property
    def n_channels(self) -> int:
        """C of the network input ``[N, C, H, W]``: ``len(scales) * channels per scale``."""
        return len(self.scales) * self.n_bands_in

    @property
    def network_size(self) -> int:
        """Side of the image the network body works on (``input_size`` or the stamp size)."""
        return self.input_size or self.stamp_size

    @property
    def is_binary(self) -> bool:
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
    def from_dict(cls, d: dict[str, Any]) -> "TaskConfig":
        """Rebuild a config from :meth:`to_dict` output (or a YAML/JSON mapping)."""
        if not isinstance(d, dict):
            raise StarclassError(f"task config must be a mapping, got {type(d).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise StarclassError(f"task config: unknown keys {sorted(unknown)}; known: {sorted(known)}")
        if "name" not in d:
            raise StarclassError("task config: 'name' is missing")
        kw = dict(d)
        if "recipe" in kw and isinstance(kw["recipe"], dict):
            kw["recipe"] = TrainRecipe.from_dict(kw["recipe"])
        if "merge" in kw and kw["merge"] is not None:
            try:
                kw["merge"] = {int(k): int(v) for k, v in dict(kw["merge"]).items()}
            except (TypeError, ValueError) as exc:
                raise StarclassError(f"task config: 'merge' must map ints to ints: {exc}") from None
        try:
            return cls(**kw)
        except TypeError as exc:
            raise StarclassError(f"task config: {exc}") from None

    def copy(self, **changes: Any) -> "TaskConfig":
        """A deep copy with some fields replaced (``recipe`` may be a dict of changes)."""
        new = TaskConfig.from_dict(self.to_dict())
        if "recipe" in changes and isinstance(changes["recipe"], dict):
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
def _legus4() -> TaskConfig:
    return TaskConfig(
        name="legus4",
        description="StarcNet (Perez+ 2021): LEGUS 5-band 4-class, 3-pathway CNN at 1x/1.6x/3.2x",
        bands=list(HST_BANDS),
        classes=[1, 2, 3, 4],
        class_names=["symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"],
        pixel_scale=HST_PIXEL_SCALE,
        stamp_size=32,
        scales=[1.0, 1.6, 3.2],
        # a fixed per-band scale (as a normalisation by training-set statistics is), not a
        # per-stamp one, so brightness and colours reach the network: see _compact_normalisation
        normalisation="flux",
        architecture="starcnet",
        arch_options={"width": 128, "modules": 7, "pool_after": 4, "groups": 8},
        recipe=TrainRecipe(epochs=15, batch_size=128, lr=1e-4, optimizer="adam",
                           early_stopping_patience=5, val_fraction=0.1),
    )


def _phangs4() -> TaskConfig:
    return TaskConfig(
        name="phangs4",
        description=(
            "PHANGS-HST (Wei et al. 2020; Whitmore et al.): 5 bands, 4 classes, 10 ResNet18 + 10 VGG19-BN; "
            "lower stamp_size/input_size on a CPU"
        ),
        bands=list(HST_BANDS),
        classes=[1, 2, 3, 4],
        class_names=["symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"],
        pixel_scale=HST_PIXEL_SCALE,
        stamp_size=299,
        scales=[1.0],
        input_size=224,
        normalisation="flux",
        architecture=[{"architecture": "resnet18", "n": 10}, {"architecture": "vgg19_bn", "n": 10}],
        arch_options={"adapter": "conv1x1", "pretrained": "auto"},
        recipe=TrainRecipe(epochs=30, batch_size=32, lr=1e-4, optimizer="adam", rescale_prob=0.0,
                           early_stopping_patience=5, seeds=0),
    )


def _m31_binary() -> TaskConfig:
    return TaskConfig(
        name="m31-binary",
        description="M31/PAndAS (Zhang et al.): g,i 56 px -> 224, ResNet-50, cluster vs non-cluster, P>=0.669",
        bands=["g", "i"],
        classes=[1, 2],
        class_names=["cluster", "non-cluster"],
        merge={1: 1, 2: 1, 3: 1, 4: 2},
        pixel_scale=0.187,
        stamp_size=56,
        scales=[1.0],
        input_size=224,
        normalisation="zscore",
        architecture="resnet50",
        arch_options={"adapter": "conv1x1", "pretrained": "auto"},
        recipe=TrainRecipe(epochs=100, batch_size=32, lr=1e-2, optimizer="sgd", momentum=0.9,
                           weight_decay=1e-4, rescale_prob=0.0, split="spatial",
                           early_stopping_patience=10),
        threshold=0.669,
        positive_class=1,
    )


def _open_globular() -> TaskConfig:
    return TaskConfig(
        name="open-globular",
        description="Open vs globular clusters in DSS2 colour images (Stipp & Montana-Lopez): VGG16, 10 frozen",
        bands=["r", "g", "b"],
        classes=[1, 2],
        class_names=["open", "globular"],
        pixel_scale=1.0,
        stamp_size=224,
        scales=[1.0],
        normalisation="zscore",
        architecture="vgg16",
        arch_options={"adapter": "none", "frozen_layers": 10, "pretrained": "auto", "dropout": 0.5},
        recipe=TrainRecipe(epochs=40, batch_size=16, lr=1e-6, optimizer="adam", rescale_prob=0.0,
                           early_stopping_patience=None, dropout=0.5),
    )


def _galaxy_cluster() -> TaskConfig:
    return TaskConfig(
        name="galaxy-cluster",
        description="X-ray selected galaxy-cluster candidates (Kosiba+ 2020): X-ray + optical, small CNN",
        bands=["xray", "optical"],
        classes=[1, 2],
        class_names=["cluster", "non-cluster"],
        pixel_scale=1.0,
        stamp_size=64,
        scales=[1.0],
        normalisation="zscore",
        architecture="smallcnn",
        arch_options={"widths": [64, 32, 32, 32, 32, 32], "dense": 256, "dropout": 0.65},
        recipe=TrainRecipe(epochs=60, batch_size=10, lr=1e-4, optimizer="sgd", momentum=0.9,
                           nesterov=True, rescale_prob=0.0, early_stopping_patience=14),
        threshold=0.5,
        positive_class=1,
    )


def _cool_core() -> TaskConfig:
    return TaskConfig(
        name="cool-core",
        description="Cool-core / weak / non-cool-core clusters in mock Chandra X-ray images: ResNet-18",
        bands=["xray"],
        classes=[1, 2, 3],
        class_names=["cool core", "weak cool core", "non-cool core"],
        pixel_scale=3.9,
        stamp_size=256,
        scales=[1.0],
        normalisation="asinh",
        architecture="resnet18",
        arch_options={"adapter": "conv1x1", "pretrained": "auto"},
        recipe=TrainRecipe(epochs=50, batch_size=32, lr=1e-4, optimizer="adam", rescale_prob=0.0,
                           early_stopping_patience=10),
    )


def _compact_normalisation(base: TaskConfig) -> str:
    """The compact model's input: ``flux`` where every band has a known zeropoint, else ``asinh``.

    Per-stamp z-scores of bright sources on faint sky reach thousands, and they (like the
    per-stamp asinh) discard the brightness and colours that separate the classes; the
    zeropoint-scaled ``flux`` stretch keeps both (measured on simulated fields,
    ``benchmarks/accuracy.py``: z-score 0.19, asinh 0.48, flux 0.58 four-class accuracy).
    """
    if base.normalisation not in ("zscore", "flux"):
        return base.normalisation
    return "flux" if all(b in BANDS for b in base.bands) else "asinh"


def _compact(base: TaskConfig) -> TaskConfig:
    return base.copy(
        name=f"{base.name}-compact",
        description=f"{base.name} with the compact multi-scale CNN (>= 10x fewer FLOPs than StarcNet)",
        architecture="compact",
        arch_options={},
        input_size=None,
        normalisation=_compact_normalisation(base),
        stamp_size=min(base.stamp_size, 64) if base.input_size else base.stamp_size,
        # the compact net learns less per epoch but an epoch costs ~1/250 of StarcNet's:
        # train longer and let early stopping end it (docs/models.md, accuracy table)
        # no class balancing: the predicted class fractions then follow the training labels'
        # (what counts of clusters need), and accuracy rises (0.644 -> 0.687 four-class on
        # simulated fields, docs/training.md)
        recipe={"lr": 1e-3, "optimizer": "adam", "batch_size": 128, "ensemble_size": 1, "weight_decay": 0.0,
                "epochs": max(base.recipe.epochs, 60), "early_stopping_patience": 10, "balance": None},
    )


# ---------------------------------------------------------------- m31-real (realimg, issue 12)
def _m31_real() -> TaskConfig:
    """Real PAndAS g-band cutouts from a labelled folder (``../shared/data/pandas-m31``).

    The 128 px (24") ZScale-stretched 8-bit PNGs are scaled to [0, 1], resampled (area) to
    64 px and z-scored per stamp (robust median and MAD-sigma: the stretch has removed the
    flux scale, so only the shape is left). Clusters and extended clusters against
    galaxies; rows of one ``object_id`` stay on one side of every split. The compact
    network keeps training on 869 cutouts within minutes on a 2-core CPU
    (docs/real_images.md). The paper's own recipe (seed 002: 56 px cut, 224 px, ResNet-50)
    is ``m31-binary``.
    """
    return TaskConfig(
        name="m31-real",
        description="Real PAndAS g-band cutouts (labelled folder): cluster vs galaxy, compact CNN, grouped by object",
        bands=["g"],
        classes=[1, 2],
        class_names=["cluster", "non-cluster"],
        label_map={"cluster": 1, "extended_cluster": 1, "galaxy": 2},
        group_column="object_id",
        pixel_scale=0.187,
        stamp_size=64,
        scales=[1.0],
        input_size=None,
        normalisation="zscore",
        architecture="compact",
        recipe=TrainRecipe(epochs=20, batch_size=64, lr=1e-3, optimizer="adam", balance=None,
                           rescale_prob=0.0, early_stopping_patience=6, val_fraction=0.15, amp=False),
        positive_class=1,
    )
# ---------------------------------------------------------------- end m31-real


def _build_presets() -> dict[str, TaskConfig]:
    base = [_legus4(), _phangs4(), _m31_binary(), _open_globular(), _galaxy_cluster(), _cool_core()]
    out = {c.name: c for c in base}
    for c in base:
        comp = _compact(c)
        out[comp.name] = comp
    out["m31-real"] = _m31_real()  # already compact: no *-compact twin
    return out


#: Preset name -> config (copies are handed out by :func:`get_preset`).
PRESETS: dict[str, TaskConfig] = _build_presets()


def get_preset(name: str, /, **overrides: Any) -> TaskConfig:
    """A fresh copy of preset ``name``, with optional field overrides.

    ``recipe`` may be given as a dict of recipe fields to change, e.g.
    ``get_preset("legus4", input_size=None, recipe={"epochs": 2})``.
    """
    key = str(name).lower()
    if key not in PRESETS:
        raise StarclassError(f"unknown task preset {name!r}; presets: {', '.join(PRESETS)}")
    return PRESETS[key].copy(**overrides)


def load_config(path_or_name: str | os.PathLike) -> TaskConfig:
    """A preset by name, or a config from a YAML or JSON file.

    A file may hold a full config or ``{"preset": name, ...changes}`` (fields that replace
    the preset's; ``recipe`` may give only the recipe fields to change).
    """
    s = str(path_or_name)
    p = Path(s)
    if s.lower() in PRESETS and not p.is_file():
        return get_preset(s)
    if not p.is_file():
        raise StarclassError(
            f"task config {s!r} is neither a file nor a preset; presets: {', '.join(PRESETS)}"
        )
    text = p.read_text()
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # parse errors of either format
        raise StarclassError(f"task config {p}: cannot parse: {exc}") from None
    if not isinstance(data, dict):
        raise StarclassError(f"task config {p}: expected a mapping at the top level")
    try:
        if "preset" in data:
            changes = dict(data)
            preset = changes.pop("preset")
            return get_preset(preset, **changes)
        return TaskConfig.from_dict(data)
    except StarclassError as exc:
        raise StarclassError(f"task config {p}: {exc}") from None
    except TypeError as exc:
        raise StarclassError(f"task config {p}: {exc}") from None


def save_config(cfg: TaskConfig, path: str | os.PathLike) -> Path:
    """Write a config as YAML (``.yaml``/``.yml``) or JSON (any other suffix), atomically."""
    from starclass.io.atomic import atomic_path

    p = Path(path)
    d = cfg.to_dict()
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(d, sort_keys=False, default_flow_style=None)
    else:
        text = json.dumps(d, indent=2)
    with atomic_path(p) as tmp:
        Path(tmp).write_text(text)
    return p


def _main(argv: list[str] | None = None) -> int:
    """``python -m starclass.learn.config [NAME|FILE] [--save PATH]``: list presets or print one as YAML."""
    import argparse

    import yaml

    ap = argparse.ArgumentParser(prog="python -m starclass.learn.config", description=_main.__doc__)
    ap.add_argument("task", nargs="?", help="preset name or config file (omit to list the presets)")
    ap.add_argument("--save", help="write the config to this .yaml/.json file")
    args = ap.parse_args(argv)
    if not args.task:
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
        print(f"wrote {save_config(cfg, args.save)}")
    else:
        print(yaml.safe_dump(cfg.to_dict(), sort_keys=False, default_flow_style=None), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
