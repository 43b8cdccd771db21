"""Checkpoints that carry everything ``classify`` needs, and ensembles of them.

A **member checkpoint** is one file written with :func:`torch.save` that holds only plain
tensors, dicts, lists, strings and numbers, so it loads with ``torch.load(...,
weights_only=True)`` (no pickled code is ever executed). Its keys:

``format`` (``"starclass-checkpoint"``), ``version``, ``kind`` (``"member"`` for a finished
model, ``"epoch"`` for the resumable state written after every epoch), ``config`` (the full
:class:`starclass.learn.config.TaskConfig` as a dict), ``member`` (index in the ensemble),
``architecture``, ``seed``, ``classes``, ``class_names``, ``bands``, ``pixel_scale``,
``normalisation``, ``stamp_size``, ``scales``, ``state_dict`` (the weights), ``digest``
(SHA-256 of the weights, checked on loading so that a damaged file is refused rather than
silently used), ``history`` (one dict per epoch: losses, validation accuracy, seconds),
``epoch`` (epochs done), ``best_epoch``, and for epoch checkpoints ``optimizer`` (the
optimizer state), ``best_state_dict`` and ``early_stopping``.

An **ensemble** is a directory with ``manifest.json`` (format ``"starclass-ensemble"``, the
task config, and the list of member files) and the member files ``member_01.pt``, ...
A single member file is also a valid model for :func:`load_model`.

Everything is written atomically (:func:`starclass.io.atomic.atomic_path`). A file that is
not a starclass checkpoint, was written by a newer version, or is damaged raises
:class:`~starclass.errors.StarclassError` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_path

FORMAT = "starclass-checkpoint"
ENSEMBLE_FORMAT = "starclass-ensemble"
VERSION = 1
MANIFEST = "manifest.json"

_REQUIRED = ("format", "version", "kind", "config", "state_dict", "digest", "classes", "bands")


def member_filename(index: int) -> str:
    """File name of ensemble member ``index`` (0-based index, 1-based name)."""
    return f"member_{index + 1:02d}.pt"


def epoch_filename(index: int) -> str:
    """File name of the resumable per-epoch state of member ``index``."""
    return f"member_{index + 1:02d}.last.pt"


def state_digest(state_dict: dict[str, torch.Tensor]) -> str:
    """SHA-256 over the names, shapes, dtypes and bytes of a state dict's tensors."""
    h = hashlib.sha256()
    for name in sorted(state_dict):
        t = state_dict[name]
        if not isinstance(t, torch.Tensor):
            continue
        t = t.detach().cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(str(t.dtype).encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def cpu_state(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Detached CPU copies of a state dict's tensors (plain dict, safe for weights_only)."""
    return {k: v.detach().to("cpu").clone() for k, v in state_dict.items()}


def make_checkpoint(
    config,
    state_dict: dict[str, torch.Tensor],
    *,
    kind: str = "member",
    member: int = 0,
    architecture: str | None = None,
    seed: int | None = None,
    history: list[dict] | None = None,
    epoch: int = 0,
    best_epoch: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the checkpoint dict of one model from its task config and weights."""
    cfg = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    sd = cpu_state(state_dict)
    ckpt: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "config": _plain(cfg),
        "member": int(member),
        "architecture": str(architecture if architecture is not None else cfg.get("architecture")),
        "seed": None if seed is None else int(seed),
        "classes": [int(c) for c in cfg.get("classes", [])],
        "class_names": [str(c) for c in cfg.get("class_names", [])],
        "bands": [str(b) for b in cfg.get("bands", [])],
        "pixel_scale": None if cfg.get("pixel_scale") is None else float(cfg["pixel_scale"]),
        "normalisation": cfg.get("normalisation"),
        "stamp_size": cfg.get("stamp_size"),
        "scales": cfg.get("scales"),
        "state_dict": sd,
        "digest": state_digest(sd),
        "history": _plain(history or []),
        "epoch": int(epoch),
        "best_epoch": None if best_epoch is None else int(best_epoch),
        "torch_version": str(torch.__version__),
    }
    if extra:
        ckpt.update(_plain_keep_tensors(extra))
    return ckpt


def save_checkpoint(ckpt: dict[str, Any], path: str | os.PathLike) -> Path:
    """Write a checkpoint dict atomically with :func:`torch.save`; returns the path."""
    path = Path(path)
    with atomic_path(path) as tmp:
        torch.save(ckpt, tmp)
    return path


def load_checkpoint(path: str | os.PathLike, *, kind: str | None = None) -> dict[str, Any]:
    """Load and check a member (or epoch) checkpoint with ``weights_only=True``.

    Raises
    ------
    StarclassError
        The file is missing, unreadable, not a starclass checkpoint, of an unknown version,
        of the wrong kind, or its weights do not match their digest (damaged).
    """
    path = Path(path)
    if not path.is_file():
        raise StarclassError(f"checkpoint {path} does not exist")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for damaged or foreign files
        lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
        hint = [ln for ln in lines if "Unsupported" in ln or "WeightsUnpickler" in ln]
        first = (hint or lines or [type(exc).__name__])[0]
        raise StarclassError(
            f"{path} is not a readable starclass checkpoint (damaged, or not written by "
            f"starclass): {first[:200]}"
        ) from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise StarclassError(
            f"{path} is not a starclass checkpoint (no 'format': '{FORMAT}' entry); "
            "it may be a bare state dict or another program's file"
        )
    missing = [k for k in _REQUIRED if k not in ckpt]
    if missing:
        raise StarclassError(f"checkpoint {path} lacks the entries {missing}")
    if not isinstance(ckpt["version"], int) or ckpt["version"] > VERSION:
        raise StarclassError(
            f"checkpoint {path} has format version {ckpt['version']!r}; this starclass reads "
            f"up to {VERSION}: upgrade starclass"
        )
    if kind is not None and ckpt["kind"] != kind:
        raise StarclassError(f"checkpoint {path} is a {ckpt['kind']!r} checkpoint, expected {kind!r}")
    if state_digest(ckpt["state_dict"]) != ckpt["digest"]:
        raise StarclassError(f"checkpoint {path} is damaged: its weights do not match their SHA-256 digest")
    return ckpt


def write_manifest(outdir: str | os.PathLike, config, members: list[dict[str, Any]]) -> Path:
    """Write the ensemble manifest ``outdir/manifest.json`` atomically."""
    outdir = Path(outdir)
    cfg = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    doc = {
        "format": ENSEMBLE_FORMAT,
        "version": VERSION,
        "task": cfg.get("name"),
        "config": _plain(cfg),
        "members": _plain(members),
    }
    path = outdir / MANIFEST
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(doc, indent=2) + "\n")
    return path


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check an ensemble manifest (a directory or its ``manifest.json``)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        raise StarclassError(f"model {path.parent}: no {MANIFEST} (not a starclass model directory)")
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise StarclassError(f"ensemble manifest {path} is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != ENSEMBLE_FORMAT:
        raise StarclassError(f"{path} is not a starclass ensemble manifest (format != {ENSEMBLE_FORMAT!r})")
    if not isinstance(doc.get("members"), list) or not doc["members"]:
        raise StarclassError(f"ensemble manifest {path} lists no members")
    for i, m in enumerate(doc["members"]):
        if not isinstance(m, dict) or "file" not in m:
            raise StarclassError(f"ensemble manifest {path}: member {i + 1} has no 'file'")
    return doc


def member_paths(model_path: str | os.PathLike) -> list[Path]:
    """Member checkpoint files of a model: a directory/manifest, or a single ``.pt`` file."""
    p = Path(model_path)
    if not p.exists():
        raise StarclassError(f"model {p} does not exist")
    if p.is_dir() or p.suffix == ".json":
        doc = read_manifest(p)
        base = p if p.is_dir() else p.parent
        paths = [base / m["file"] for m in doc["members"]]
        absent = [str(q) for q in paths if not q.is_file()]
        if absent:
            raise StarclassError(f"ensemble {p}: member files missing: {', '.join(absent)}")
        return paths
    return [p]


@dataclass
class LoadedModel:
    """An ensemble ready for inference (a single model is an ensemble of one)."""

    config: Any  # starclass.learn.config.TaskConfig
    members: list[torch.nn.Module]
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    @property
    def bands(self) -> list[str]:
        return list(self.config.bands)

    @property
    def classes(self) -> list[int]:
        return [int(c) for c in self.config.classes]


def load_model(model_path: str | os.PathLike, device: str | torch.device = "cpu") -> LoadedModel:
    """Load an ensemble directory, a manifest or one member file, and build its networks.

    Every member must share the first member's bands, classes and stamp geometry (the inputs
    are computed once per batch for all of them).
    """
    from starclass.learn.config import TaskConfig
    from starclass.models import build_model

    paths = member_paths(model_path)
    ckpts = [load_checkpoint(p) for p in paths]
    first = ckpts[0]
    for p, c in zip(paths[1:], ckpts[1:]):
        for key in ("bands", "classes", "stamp_size", "scales", "normalisation"):
            if c.get(key) != first.get(key):
                raise StarclassError(
                    f"ensemble {model_path}: member {p.name} has {key}={c.get(key)!r} but "
                    f"{paths[0].name} has {first.get(key)!r}"
                )
    try:
        config = TaskConfig.from_dict(first["config"])
    except Exception as exc:
        raise StarclassError(f"checkpoint {paths[0]}: its task config cannot be read: {exc}") from None
    members = []
    for p, c in zip(paths, ckpts):
        try:
            cfg = TaskConfig.from_dict(c["config"])
            net = build_model(cfg, member=c.get("member"), pretrained=False)  # weights come from the checkpoint
            net.load_state_dict(c["state_dict"])
        except StarclassError:
            raise
        except Exception as exc:
            raise StarclassError(f"checkpoint {p}: weights do not fit its architecture: {exc}") from None
        net.to(device).eval()
        members.append(net)
    for c in ckpts:  # the weights now live in the networks
        c.pop("state_dict", None)
        c.pop("best_state_dict", None)
        c.pop("optimizer", None)
    return LoadedModel(config=config, members=members, checkpoints=ckpts, paths=paths)


def _plain(obj: Any) -> Any:
    """JSON-like copy (dict/list/str/int/float/bool/None); tuples become lists."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, bool) or obj is None:
        return obj
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if hasattr(obj, "item"):  # numpy / torch scalars
        return obj.item()
    return str(obj)


def _plain_keep_tensors(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: _plain_keep_tensors(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain_keep_tensors(v) for v in obj)
    return obj
