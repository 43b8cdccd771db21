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
  cross-entropy by ``N / (K n_k)``; ``None`` does neither.
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
  GPU supports it, else float16 with gradient scaling), CPU otherwise; ``recipe.amp="bf16"``
  trains in bfloat16 on a CPU too (:mod:`starclass.learn.precision`).

Labels: the reference classes (``class_ref``, 1-4) are mapped to the task's output classes
with ``config.map_classes``; candidates that map to no output class (class 0, or a class the
task drops) are left out of training, and the number is reported. A task class with no
training example is an error (:class:`~starclass.errors.StarclassError`), since a model would
silently never predict it. Non-finite input pixels are replaced by 0 (inputs from
:func:`starclass.stamps.make_inputs` never contain any; the count is logged otherwise).
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from starclass.learn.checkpoint import (
    epoch_filename,
    load_checkpoint,
    make_checkpoint,
    member_filename,
    save_checkpoint,
    cpu_state,
    write_manifest,
)
from starclass.errors import StarclassError
from starclass.learn.precision import autocast, compute_dtype, dtype_name, pick_device, to_memory_format
from starclass.learn.augment import augment_batch
from starclass.learn.splits import split_indices

log = logging.getLogger(__name__)

__all__ = [
    "fit", "TrainResult", "MemberSpec", "StampDataset", "effective_config", "ensemble_members",
    "label_indices", "pick_device", "recalibrate_batchnorm",
]


# ----------------------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberSpec:
    """One ensemble member: its index, architecture name and seed."""

    index: int
    architecture: str
    seed: int


def effective_config(config, *, epochs: int | None = None, ensemble: int | None = None,
                     seed: int | None = None):
    """A copy of ``config`` with command-line overrides applied (what the checkpoints store).

    ``ensemble`` sets ``recipe.ensemble_size`` for a single architecture, or every entry's
    ``n`` for a list of architectures; ``seed`` sets the base seed (member ``i`` uses
    ``seed + i``).
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


def ensemble_members(config) -> list[MemberSpec]:
    """The members of a task config (``config.members()``) as :class:`MemberSpec`."""
    return [MemberSpec(int(m["index"]), str(m["architecture"]), int(m["seed"])) for m in config.members()]


# ----------------------------------------------------------------------------- data


def label_indices(config, labels: np.ndarray) -> np.ndarray:
    """Reference classes -> output class *indices* 0..K-1 (-1 = not used for training)."""
    return np.asarray(config.class_indices(labels), dtype=np.int64)


class _Source:
    """Uniform batched reads from an array, a memory map, an HDF5 dataset or a StampStore."""

    def __init__(self, inputs: Any):
        self.obj = inputs
        self.kind = "array"
        if isinstance(inputs, torch.Tensor):
            self.kind = "tensor"
        elif not isinstance(inputs, np.ndarray):
            self.kind = "store"
        shape = self._shape()
        if len(shape) != 4:
            raise StarclassError(f"training inputs must be [N, C, H, W]; got shape {tuple(shape)}")
        self.shape = tuple(int(s) for s in shape)

    def _shape(self):
        obj = self.obj
        if hasattr(obj, "shape") and obj.shape is not None and len(obj.shape) == 4:
            return obj.shape
        for name in ("inputs_shape", "input_shape"):
            if hasattr(obj, name):
                return getattr(obj, name)
        first = self.take(np.array([0]))
        return (len(obj), *first.shape[1:])

    def __len__(self) -> int:
        return self.shape[0]

    def take(self, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` (sorted, unique) as a float32 numpy array."""
        obj = self.obj
        if self.kind == "tensor":
            return obj[torch.as_tensor(idx)].float().numpy()
        if self.kind == "array":
            return np.asarray(obj[idx], dtype=np.float32)
        got = obj[idx]
        if isinstance(got, tuple):  # (inputs, valid) or similar: inputs come first
            got = got[0]
        if isinstance(got, dict):
            got = got.get("inputs", got.get("stamps"))
        return np.asarray(got, dtype=np.float32)


class StampDataset(Dataset):
    """Torch dataset over rows of model inputs with their class indices, read lazily.

    Batched reads go through ``__getitems__`` (one sorted fancy-index read per batch, which
    is what HDF5 wants); non-finite pixels are replaced by 0.
    """

    def __init__(self, source: _Source, indices: np.ndarray, targets: np.ndarray):
        self.source = source
        self.indices = np.asarray(indices, dtype=np.int64)
        self.targets = np.asarray(targets, dtype=np.int64)
        self.n_nonfinite = 0

    def __len__(self) -> int:
        return self.indices.size

    def __getitem__(self, i: int):
        x, y = self.__getitems__([i])
        return x[0], y[0]

    def __getitems__(self, positions) -> tuple[torch.Tensor, torch.Tensor]:
        pos = np.asarray(positions, dtype=np.int64)
        rows = self.indices[pos]
        order = np.argsort(rows, kind="stable")
        rows_sorted = rows[order]
        uniq, inverse = np.unique(rows_sorted, return_inverse=True)
        x = self.source.take(uniq)[inverse]
        bad = ~np.isfinite(x)
        if bad.any():
            self.n_nonfinite += int(bad.sum())
            x = np.where(bad, 0.0, x).astype(np.float32)
        y = self.targets[pos][order]
        return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y)


def _batches(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """Consecutive chunks; a trailing chunk of one is merged (batch norm needs >= 2)."""
    chunks = [order[i: i + batch_size] for i in range(0, order.size, batch_size)]
    if len(chunks) > 1 and chunks[-1].size == 1:
        chunks[-2] = np.concatenate([chunks[-2], chunks[-1]])
        chunks.pop()
    return chunks


def _loader(dataset: StampDataset, batches: list[np.ndarray]) -> DataLoader:
    return DataLoader(dataset, batch_sampler=[b.tolist() for b in batches], collate_fn=lambda b: b,
                      num_workers=0)


# ----------------------------------------------------------------------------- results


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
    best_epochs, val_accuracy
        Per member: the epoch kept (1-based) and its validation accuracy (NaN without
        validation).
    n_train, n_val, n_unlabelled
        Candidates used for training, for validation, and left out (no output class).
    class_counts
        Training candidates per output class.
    val_index
        Row indices (into the inputs) of the validation candidates.
    device
        Where training ran.
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


# ----------------------------------------------------------------------------- fitting


def _seed_everything(seed: int) -> torch.Generator:
    torch.manual_seed(seed)
    np.random.seed(seed % (2**32))
    return torch.Generator().manual_seed(seed)


def _epoch_seed(seed: int, epoch: int) -> int:
    return (int(seed) * 1_000_003 + int(epoch) * 7919) % (2**62)


def _make_optimizer(recipe, params) -> torch.optim.Optimizer:
    name = str(getattr(recipe, "optimizer", "adam") or "adam").lower()
    lr = float(getattr(recipe, "lr", 1e-4))
    wd = float(getattr(recipe, "weight_decay", 0.0) or 0.0)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=float(getattr(recipe, "momentum", 0.9)),
                               nesterov=bool(getattr(recipe, "nesterov", False)), weight_decay=wd)
    raise StarclassError(f"recipe.optimizer {name!r} is not one of adam, adamw, sgd")


@torch.no_grad()
def _evaluate(model, dataset: StampDataset, batch_size: int, device, amp: torch.dtype | None) -> tuple[float, float]:
    """Mean (unweighted) cross-entropy and accuracy on a dataset, no augmentation."""
    if len(dataset) == 0:
        return math.nan, math.nan
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    batches = _batches(np.arange(len(dataset)), batch_size)
    for xb, yb in _loader(dataset, batches):
        xb, yb = to_memory_format(xb.to(device, non_blocking=True), device, amp), yb.to(device)
        with autocast(device, amp):
            logits = model(xb)
        logits = logits.float()
        loss_sum += float(F.cross_entropy(logits, yb, reduction="sum"))
        correct += int((logits.argmax(1) == yb).sum())
        total += int(yb.numel())
    return loss_sum / total, correct / total


@torch.no_grad()
def recalibrate_batchnorm(model, dataset: StampDataset, batch_size: int, device,
                          dtype: torch.dtype | None = None) -> int:
    """Recompute batch-norm running statistics of the final weights over the training set.

    During training the running mean and variance are exponential averages over batches
    taken with *earlier* weights; after a short training (or when the best epoch is kept)
    they can be far from the statistics of the final network, and a deep network in
    inference mode can then overflow. One pass over the (unaugmented) training set with a
    cumulative average fixes them (as :func:`torch.optim.swa_utils.update_bn` does).
    Batch-norm layers whose affine parameters are frozen keep their statistics. Returns the
    number of layers updated. ``dtype`` is the autocast dtype training used (None: float32).
    """
    layers = [m for m in model.modules()
              if isinstance(m, torch.nn.modules.batchnorm._BatchNorm) and m.track_running_stats
              and (m.weight is None or m.weight.requires_grad)]
    if not layers or len(dataset) == 0:
        return 0
    was_training = model.training
    momenta = {m: m.momentum for m in layers}
    for m in layers:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
    model.train()
    for xb, _ in _loader(dataset, _batches(np.arange(len(dataset)), batch_size)):
        if xb.shape[0] < 2:
            continue
        with autocast(device, dtype):
            model(to_memory_format(xb.to(device, non_blocking=True), device, dtype))
    for m in layers:
        m.momentum = momenta[m]
    model.train(was_training)
    return len(layers)


def fit(
    config,
    inputs,
    labels,
    *,
    outdir: str | os.PathLike,
    positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
    galaxies: np.ndarray | None = None,
    seed: int | None = None,
    resume: bool = True,
    progress: bool = True,
    device: str | torch.device | None = None,
    epochs: int | None = None,
    ensemble: int | None = None,
    holdout: str | None = None,
    val_index: np.ndarray | None = None,
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
        classes with ``config.map_classes``.
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
        ``False`` retrains everything.
    progress
        Show tqdm progress bars (loss and validation accuracy).
    device
        ``"cpu"``, ``"cuda"``, ...; default CUDA when available.
    epochs, ensemble
        Override ``recipe.epochs`` / the number of members (per architecture).
    holdout
        Galaxy held out for ``split="galaxy"`` (drawn with the seed when None).
    val_index
        Explicit validation rows (overrides the recipe's split).

    Returns
    -------
    TrainResult
    """
    from tqdm.auto import tqdm

    from starclass.models import build_model

    t_start = time.perf_counter()
    if epochs is not None and int(epochs) < 1:
        raise StarclassError(f"epochs must be >= 1, got {epochs}")
    config = effective_config(config, epochs=epochs, ensemble=ensemble, seed=seed)
    recipe = config.recipe
    n_epochs = int(recipe.epochs)
    batch_size = int(getattr(recipe, "batch_size", 128) or 128)
    if config.normalisation == "flux" and config.softening_mag == "auto":
        raise StarclassError(
            f"task {config.name!r}: softening_mag is 'auto'; fix it on the training mosaics first "
            "(starclass.stamps.noise.resolve_softening, as `starclass train` does) so that the model "
            "stores the number its inputs were made with")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    dev = pick_device(device)
    amp = compute_dtype(getattr(recipe, "amp", True), dev)
    members = ensemble_members(config)
    base_seed = members[0].seed

    source = _Source(inputs)
    n = len(source)
    if source.shape[1] != config.n_channels:
        raise StarclassError(
            f"training inputs have {source.shape[1]} channels but task {config.name!r} expects "
            f"{config.n_channels} (bands {list(config.bands)} x scales {list(config.scales)}"
            f"{', rgb' if config.normalisation == 'rgb' else ''})"
        )
    labels = np.asarray(labels)
    if labels.shape[0] != n:
        raise StarclassError(f"{labels.shape[0]} labels for {n} training inputs")
    target = label_indices(config, labels)
    used = np.flatnonzero(target >= 0)
    n_unlabelled = n - used.size
    if used.size == 0:
        raise StarclassError(
            f"no training candidate has a label among the task's classes {list(config.classes)} "
            f"(after merges {dict(config.merge) if config.merge else 'none'})"
        )

    # ---- split (on the labelled subset)
    if val_index is not None:
        val_rows = np.intersect1d(np.asarray(val_index, dtype=np.int64), used)
        train_rows = np.setdiff1d(used, val_rows)
    else:
        pos_sub = None
        if positions is not None:
            px, py = (positions[:, 0], positions[:, 1]) if isinstance(positions, np.ndarray) and positions.ndim == 2 and positions.shape[1] == 2 else positions
            pos_sub = (np.asarray(px)[used], np.asarray(py)[used])
        gal_sub = None if galaxies is None else np.asarray(galaxies)[used]
        tr, va = split_indices(
            getattr(recipe, "split", "random") or "random", target[used],
            fraction=float(getattr(recipe, "val_fraction", 0.1) or 0.0), seed=base_seed,
            positions=pos_sub, galaxies=gal_sub, holdout=holdout,
        )
        train_rows, val_rows = used[tr], used[va]

    k = config.n_classes
    counts = np.bincount(target[train_rows], minlength=k)
    missing = [int(config.classes[j]) for j in range(k) if counts[j] == 0]
    if missing:
        names = list(getattr(config, "class_names", []) or [])
        desc = ", ".join(
            f"{c} ({names[config.classes.index(c)]})" if len(names) == k else str(c) for c in missing
        )
        raise StarclassError(
            f"task {config.name!r}: class {desc} has no training example (training counts "
            f"{dict(zip([int(c) for c in config.classes], counts.tolist()))}); add labelled "
            "candidates of that class or merge/drop it in the task config"
        )
    if n_unlabelled:
        log.info("%d candidates without an output class are left out of training", n_unlabelled)

    train_ds = StampDataset(source, train_rows, target[train_rows])
    val_ds = StampDataset(source, val_rows, target[val_rows])
    balance = getattr(recipe, "balance", "weighted_sampler")
    class_w = None
    if balance == "class_weights":
        class_w = torch.tensor(train_rows.size / (k * counts), dtype=torch.float32, device=dev)
    elif balance not in (None, "none", "weighted_sampler"):
        raise StarclassError(f"recipe.balance {balance!r} is not weighted_sampler, class_weights or None")
    sample_w = torch.as_tensor(1.0 / counts[target[train_rows]], dtype=torch.double)
    patience = getattr(recipe, "early_stopping_patience", None)
    augment = bool(getattr(recipe, "augment", True))

    paths, histories, best_epochs, val_accs = [], [], [], []
    notes: list[str] = []
    for spec in members:
        final_path = outdir / member_filename(spec.index)
        last_path = outdir / epoch_filename(spec.index)
        if resume and final_path.exists():
            done = load_checkpoint(final_path, kind="member")
            _check_same_run(final_path, done, config, spec)
            paths.append(final_path)
            histories.append(done["history"])
            best_epochs.append(done["best_epoch"] or done["epoch"])
            val_accs.append(float(done.get("final_val_acc", _val_acc_at(done["history"], done["best_epoch"]))))
            notes.append(f"member {spec.index + 1}: already trained, kept ({final_path.name})")
            continue
        if not resume:
            for p in (final_path, last_path):
                if p.exists():
                    p.unlink()

        _seed_everything(spec.seed)
        model = to_memory_format(build_model(config, member=spec.index).to(dev), dev, amp)
        optimizer = _make_optimizer(recipe, [p for p in model.parameters() if p.requires_grad])
        # float16 needs loss scaling; bfloat16 has float32's exponent range and does not
        scaler = torch.amp.GradScaler("cuda", enabled=dev.type == "cuda" and amp == torch.float16)
        history: list[dict] = []
        start_epoch, best_key, bad, best_epoch = 0, (-math.inf, -math.inf), 0, 0
        best_state = None
        if resume and last_path.exists():
            state = load_checkpoint(last_path, kind="epoch")
            _check_same_run(last_path, state, config, spec)
            model.load_state_dict(state["state_dict"])
            optimizer.load_state_dict(state["optimizer"])
            if "scaler" in state and scaler.is_enabled():
                scaler.load_state_dict(state["scaler"])
            history = list(state["history"])
            start_epoch = int(state["epoch"])
            es = state.get("early_stopping", {})
            best_key = (float(es.get("best_acc", -math.inf)), -float(es.get("best_loss", math.inf)))
            bad = int(es.get("bad_epochs", 0))
            best_epoch = int(state.get("best_epoch") or 0)
            best_state = state.get("best_state_dict")
            notes.append(f"member {spec.index + 1}: resumed after epoch {start_epoch}")
            log.info("member %d: resuming after epoch %d from %s", spec.index + 1, start_epoch, last_path)

        stopped = patience is not None and patience > 0 and bad >= patience and len(val_ds) > 0
        n_batches = len(_batches(np.arange(len(train_ds)), batch_size))
        bar = tqdm(total=(n_epochs - start_epoch) * n_batches, disable=not progress,
                   desc=f"{config.name} member {spec.index + 1}/{len(members)} ({spec.architecture})",
                   unit="batch", dynamic_ncols=True)
        val_acc_txt = "n/a"
        for epoch in range(start_epoch, n_epochs):
            if stopped:
                break
            t0 = time.perf_counter()
            es_seed = _epoch_seed(spec.seed, epoch)
            torch.manual_seed(es_seed)
            gen = torch.Generator().manual_seed(es_seed)
            if balance == "weighted_sampler":
                order = torch.multinomial(sample_w, len(train_ds), replacement=True, generator=gen).numpy()
            else:
                order = torch.randperm(len(train_ds), generator=gen).numpy()
            model.train()
            loss_sum, seen = 0.0, 0
            for xb, yb in _loader(train_ds, _batches(order, batch_size)):
                xb, yb = xb.to(dev, non_blocking=True), yb.to(dev)
                if augment:
                    xb = augment_batch(xb, gen, rescale_p=float(getattr(recipe, "rescale_prob", 0.5)),
                                       factor=float(getattr(recipe, "rescale", 1.07)))
                xb = to_memory_format(xb, dev, amp)
                with autocast(dev, amp):
                    logits = model(xb)
                loss = F.cross_entropy(logits.float(), yb, weight=class_w)
                if not torch.isfinite(loss.detach()):
                    raise StarclassError(
                        f"training diverged (loss {float(loss.detach())}) in member {spec.index + 1}, epoch "
                        f"{epoch + 1}; lower recipe.lr ({recipe.lr})"
                    )
                optimizer.zero_grad(set_to_none=True)
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
                loss_sum += float(loss.detach()) * yb.numel()
                seen += yb.numel()
                bar.update(1)
                bar.set_postfix(epoch=f"{epoch + 1}/{n_epochs}", loss=f"{loss_sum / seen:.3f}", val_acc=val_acc_txt)
            if not all(bool(torch.isfinite(t).all()) for t in model.state_dict().values()
                       if t.is_floating_point()):
                raise StarclassError(
                    f"training diverged in member {spec.index + 1}, epoch {epoch + 1}: the weights "
                    f"are no longer finite; lower recipe.lr ({recipe.lr}) or raise the batch size"
                )
            val_loss, val_acc = _evaluate(model, val_ds, batch_size, dev, amp)
            val_acc_txt = "n/a" if math.isnan(val_acc) else f"{val_acc:.3f}"
            bar.set_postfix(epoch=f"{epoch + 1}/{n_epochs}", loss=f"{loss_sum / max(seen, 1):.3f}", val_acc=val_acc_txt)
            rec = {
                "epoch": epoch + 1, "train_loss": loss_sum / max(seen, 1),
                "val_loss": val_loss, "val_acc": val_acc,
                "lr": float(optimizer.param_groups[0]["lr"]), "seconds": time.perf_counter() - t0,
            }
            history.append(rec)
            if len(val_ds) == 0:
                best_epoch, best_state = epoch + 1, None
            elif (val_acc, -val_loss) > best_key:
                best_key, bad, best_epoch = (val_acc, -val_loss), 0, epoch + 1
                best_state = cpu_state(model.state_dict())
            else:
                bad += 1
            stopped = patience is not None and patience > 0 and bad >= patience and len(val_ds) > 0
            extra = {
                "optimizer": optimizer.state_dict(),
                "early_stopping": {"best_acc": best_key[0], "best_loss": -best_key[1],
                                   "bad_epochs": bad, "stopped": stopped},
            }
            if best_state is not None:
                extra["best_state_dict"] = best_state
            if scaler.is_enabled():
                extra["scaler"] = scaler.state_dict()
            save_checkpoint(
                make_checkpoint(config, model.state_dict(), kind="epoch", member=spec.index,
                                architecture=spec.architecture, seed=spec.seed, history=history,
                                epoch=epoch + 1, best_epoch=best_epoch, extra=extra),
                last_path,
            )
            if stopped:
                log.info("member %d: early stop after epoch %d (best %d)", spec.index + 1, epoch + 1, best_epoch)
                notes.append(f"member {spec.index + 1}: early stop after epoch {epoch + 1}, kept epoch {best_epoch}")
        bar.close()
        if best_state is not None:
            model.load_state_dict(best_state)
        n_bn = recalibrate_batchnorm(model, train_ds, batch_size, dev, amp)
        final_val_loss, final_val_acc = _evaluate(model, val_ds, batch_size, dev, amp)
        if len(val_ds) and not math.isfinite(final_val_loss):
            raise StarclassError(
                f"member {spec.index + 1} ({spec.architecture}): the trained network gives non-finite "
                f"outputs on the validation set in inference mode (kept epoch {best_epoch}); "
                "train for more epochs or on more data, or lower recipe.lr"
            )
        final_state = model.state_dict()
        save_checkpoint(
            make_checkpoint(config, final_state, kind="member", member=spec.index,
                            architecture=spec.architecture, seed=spec.seed, history=history,
                            epoch=len(history), best_epoch=best_epoch or len(history),
                            extra={"device": str(dev), "precision": dtype_name(amp),
                                   "n_train": int(train_rows.size),
                                   "final_val_loss": final_val_loss, "final_val_acc": final_val_acc,
                                   "batchnorm_recalibrated": n_bn,
                                   "n_val": int(val_rows.size), "split": str(getattr(recipe, "split", "random"))}),
            final_path,
        )
        if last_path.exists():
            last_path.unlink()
        if train_ds.n_nonfinite or val_ds.n_nonfinite:
            notes.append(f"{train_ds.n_nonfinite + val_ds.n_nonfinite} non-finite input pixels set to 0")
        paths.append(final_path)
        histories.append(history)
        best_epochs.append(best_epoch or len(history))
        val_accs.append(final_val_acc)
        write_manifest(outdir, config, _manifest_members(members[: len(paths)]))

    write_manifest(outdir, config, _manifest_members(members))
    return TrainResult(
        model_path=outdir, members=paths, histories=histories, best_epochs=best_epochs,
        val_accuracy=val_accs, n_train=int(train_rows.size), n_val=int(val_rows.size),
        n_unlabelled=int(n_unlabelled),
        class_counts={int(c): int(v) for c, v in zip(config.classes, counts)},
        val_index=val_rows, device=str(dev), seconds=time.perf_counter() - t_start, notes=notes,
    )


def _manifest_members(members: list[MemberSpec]) -> list[dict]:
    return [{"file": member_filename(m.index), "architecture": m.architecture, "seed": m.seed}
            for m in members]


def _val_acc_at(history: list[dict], best_epoch: int | None) -> float:
    for rec in history:
        if best_epoch and rec.get("epoch") == best_epoch:
            return float(rec.get("val_acc", math.nan))
    return float(history[-1].get("val_acc", math.nan)) if history else math.nan


def _check_same_run(path: Path, ckpt: dict, config, spec: MemberSpec) -> None:
    """Refuse to resume from a checkpoint of another task, architecture or seed."""
    cfg = ckpt.get("config", {})
    if cfg.get("name") != config.name or ckpt.get("architecture") != spec.architecture \
            or ckpt.get("seed") != spec.seed or list(ckpt.get("classes", [])) != [int(c) for c in config.classes]:
        raise StarclassError(
            f"{path} belongs to another training run (task {cfg.get('name')!r}, architecture "
            f"{ckpt.get('architecture')!r}, seed {ckpt.get('seed')!r}); use another output "
            f"directory or resume=False (--no-resume) to overwrite it"
        )
