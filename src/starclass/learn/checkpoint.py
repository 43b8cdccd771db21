"""Checkpoints that carry everything ``classify`` needs, and ensembles of them.

A **member checkpoint** is one file written with :func:`torch.save` that holds only plain
tensors, dicts, lists, strings and numbers, so it loads with ``torch.load(...,
weights_only=True)`` (no pickled code is ever executed). Its keys:

``format`` (``"starclass-checkpoint"``), ``version``, ``kind`` (``"member"`` for a finished
model, ``"epoch"`` for the resumable state written after every epoch), ``config`` (the full
:class:`starclass.learn.config.TaskConfig` as a dict), ``member`` (index in the ensemble),
``architecture``, ``seed``, ``classes``, ``class_names``, ``bands``, ``pixel_scale``,
``normalisation``, ``stamp_size``, ``scales``, ``state_dict`` (the weights), ``digest``
(SHA-256 of the whole member: the weights and every other entry but the optimizer state,
checked on loading so that a damaged or edited file, e.g. one with its classes reversed, is
refused rather than silently used; version-1 files hold a digest of the weights only),
``data_digest`` and ``settings_digest`` (what the member was trained on and with, compared
before a run is resumed; see :mod:`starclass.learn.train`), ``history`` (one dict per epoch:
losses, validation accuracy, seconds), ``epoch`` (epochs done), ``best_epoch``, for finished members
``final_val_acc`` and ``final_val_balanced_accuracy`` (:data:`FINAL_VAL_BALANCED_ACCURACY`), and for
epoch checkpoints ``optimizer`` (the optimizer state), ``best_state_dict`` and ``early_stopping``.

An **ensemble** is a directory with ``manifest.json`` (format ``"starclass-ensemble"``, the
task config, and the list of member files) and the member files ``member_01.pt``, ...
A single member file is also a valid model for :func:`load_model`. The manifest may hold a
``"calibration"`` entry (:mod:`starclass.learn.calibration`: temperature and held-out rows); it
records the digests of the members it was fitted with and a digest of itself
(:func:`calibration_digest`), both checked by :func:`load_model`, so an edited entry or one
left over from other weights is refused. A single member file carries no calibration.

Everything is written atomically (:func:`starclass.io.atomic.atomic_path`). A file that is
not a starclass checkpoint, was written by a newer version, or is damaged raises
:class:`~starclass.errors.StarclassError` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starclass.errors import (
    OutputExistsError,
    StarclassError,
    exists_refusal,
    model_word,
    parse_error_text,
    torch_load_reason,
)
from starclass.io.atomic import atomic_path
from starclass.io.paths import link_note, resolved
from starclass.learn.config import TaskConfig
from starclass.models import build_model
from starclass.schema import STAMP_STORE_SUFFIXES

if TYPE_CHECKING:
    # torch (2 s) is imported where a model is saved or loaded: a command reads a manifest (warn_flags_differ,
    # calibrate's checks) and says its first line before it
    import torch

FORMAT = "starclass-checkpoint"
ENSEMBLE_FORMAT = "starclass-ensemble"
VERSION = 2
MANIFEST = "manifest.json"
#: A member checkpoint's validation balanced accuracy (mean recall over the classes the validation rows
#: hold), beside its plain ``final_val_acc``: on an imbalanced task the plain figure alone misled (0.942
#: where always saying the majority class scores 0.92). Members written before 2026-12-07 lack it.
FINAL_VAL_BALANCED_ACCURACY = "final_val_balanced_accuracy"
#: Glob patterns of what a model directory holds: the manifest (with the calibration), the
#: members and their resumable epoch states, train's Dawid-Skene annotator table and the side file of a
#: ``calibrate --stamps`` calibration's image stamps (:data:`IMAGE_STAMPS_GLOB`). A folder
#: holding anything else is not replaced by :meth:`CNNClassifier.save`.
MODEL_ENTRIES: tuple[str, ...] = (MANIFEST, "member_*.pt", "annotators.ecsv", "calibration_images_*.json")

#: Key of a ``calibrate --stamps`` calibration's ``rows_from`` that names the side file holding its images' stamps
#: (:func:`save_calibration`); the manifest keeps the file's name, the number of images and their digest.
IMAGES_RECORD = "images_record"
#: ``format`` of that side file.
IMAGE_STAMPS_FORMAT = "starclass-calibration-images"
#: Glob pattern of the side files in a model directory.
IMAGE_STAMPS_GLOB = "calibration_images_*.json"
_IMAGE_STAMPS_COLUMNS = ("names", "sizes", "mtimes_ns", "sha256")

#: Entries left out of :func:`member_digest`: the digest itself, the weights (covered by their
#: own digest, which is folded in) and the optimizer and scaler state of epoch checkpoints,
#: which change nothing a model predicts.
_UNDIGESTED = ("digest", "state_dict", "best_state_dict", "optimizer", "scaler")

_REQUIRED = ("format", "version", "kind", "config", "state_dict", "digest", "classes", "bands")


def member_filename(index: int) -> str:
    """File name of ensemble member ``index`` (0-based index, 1-based name).

    Examples
    --------
    >>> member_filename(0), member_filename(11)
    ('member_01.pt', 'member_12.pt')
    """
    return f"member_{index + 1:02d}.pt"


def epoch_filename(index: int) -> str:
    """File name of the resumable per-epoch state of member ``index``.

    Examples
    --------
    >>> epoch_filename(0)
    'member_01.last.pt'
    """
    return f"member_{index + 1:02d}.last.pt"


def state_digest(state_dict: dict[str, torch.Tensor]) -> str:
    """SHA-256 over the names, shapes, dtypes and bytes of a state dict's tensors.

    Examples
    --------
    The same tensors give the same digest; a changed value or dtype another:

    >>> import torch
    >>> a = state_digest({"w": torch.zeros(2)})
    >>> a == state_digest({"w": torch.zeros(2)}), a == state_digest({"w": torch.ones(2)}), len(a)
    (True, False, 64)
    >>> a == state_digest({"w": torch.zeros(2, dtype=torch.float64)})
    False
    """
    import torch

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


def member_digest(ckpt: dict[str, Any]) -> str:
    """SHA-256 over a whole checkpoint: its weights and every entry but the optimizer state.

    The entries are written as canonical JSON (sorted keys), so the digest changes when the
    classes, bands, config, architecture or anything else stored with the weights changes.

    Parameters
    ----------
    ckpt : dict
        A checkpoint dict (:func:`make_checkpoint`, or as loaded).

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import torch
    >>> a = {"classes": [1, 2], "state_dict": {"w": torch.zeros(2)}}
    >>> member_digest(a) == member_digest(dict(a, classes=[2, 1]))
    False
    """
    h = hashlib.sha256()
    h.update(state_digest(ckpt.get("state_dict") or {}).encode())
    if isinstance(ckpt.get("best_state_dict"), dict):
        h.update(state_digest(ckpt["best_state_dict"]).encode())
    meta = {k: v for k, v in ckpt.items() if k not in _UNDIGESTED}
    # default=str: an entry JSON cannot write (a stray tensor from extra=) still counts, by its text
    h.update(json.dumps(meta, sort_keys=True, default=str).encode())
    return h.hexdigest()


def cpu_state(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Detached CPU copies of a state dict's tensors (plain dict, safe for weights_only).

    Examples
    --------
    >>> import torch
    >>> s = cpu_state({"w": torch.zeros(2, requires_grad=True)})
    >>> s["w"].requires_grad, s["w"].device.type
    (False, 'cpu')
    """
    return {k: v.detach().to("cpu").clone() for k, v in state_dict.items()}


def make_checkpoint(
    config: TaskConfig,
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
    """Assemble the checkpoint dict of one model from its task config and weights.

    Examples
    --------
    A one-member model with random weights, as ``starclass train`` writes one (the three steps
    :func:`write_untrained_model` takes, which makes the models of the other examples here):

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = Path(tempfile.mkdtemp())
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> ckpt = make_checkpoint(cfg, build_model(cfg, pretrained=False).state_dict(), seed=0)
    >>> _ = save_checkpoint(ckpt, d / member_filename(0))
    >>> _ = write_manifest(d, cfg, [{"file": member_filename(0), "architecture": "compact", "seed": 0}])
    >>> ckpt["kind"], ckpt["classes"], ckpt["bands"], ckpt["architecture"]
    ('member', [1, 2], ['xray', 'optical'], 'compact')
    >>> sorted(p.name for p in d.iterdir())
    ['manifest.json', 'member_01.pt']
    """
    import torch

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
        "history": _plain(history or []),
        "epoch": int(epoch),
        "best_epoch": None if best_epoch is None else int(best_epoch),
        "torch_version": str(torch.__version__),
    }
    if extra:
        ckpt.update(_plain_keep_tensors(extra))
    ckpt["digest"] = member_digest(ckpt)
    return ckpt


def save_checkpoint(ckpt: dict[str, Any], path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a checkpoint dict atomically with :func:`torch.save`; returns the path.

    Parameters
    ----------
    ckpt : dict
        :func:`make_checkpoint`'s dict.
    path : path-like
        The file (``member_filename(i)`` in a model directory).
    overwrite : bool
        Replace an existing file; without it an existing ``path`` is kept and this raises (a
        trained member replaced by a notebook's second call was lost without a word).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    starclass.errors.OutputExistsError
        ``path`` exists and ``overwrite`` is False (nothing written).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> ckpt = make_checkpoint(cfg, build_model(cfg, pretrained=False).state_dict(), seed=0)
    >>> path = save_checkpoint(ckpt, Path(tempfile.mkdtemp()) / member_filename(0))
    >>> path.name, load_checkpoint(path)["digest"] == ckpt["digest"]
    ('member_01.pt', True)
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExistsError(exists_refusal(path, "checkpoint"), path)
    import torch

    with atomic_path(path) as tmp:
        torch.save(ckpt, tmp)
    return path


def _is_plain_pickle(path: Path) -> bool:
    """Whether a file is a pickle of protocol 3 or higher (joblib, pickle.dump), not torch's zip.

    torch writes zip archives (and protocol 2 pickles in its legacy format), so a protocol 3+
    pickle is another program's file, typically a scikit-learn model saved with joblib.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
    except OSError:
        return False
    return len(head) == 2 and head[0] == 0x80 and head[1] >= 3


def load_checkpoint(path: str | os.PathLike, *, kind: str | None = None) -> dict[str, Any]:
    """Load and check a member (or epoch) checkpoint with ``weights_only=True``.

    Raises
    ------
    StarclassError
        The file is missing, unreadable, not a starclass checkpoint, of an unknown version,
        of the wrong kind, or its weights do not match their digest (damaged).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> ck = load_checkpoint(d / "member_01.pt", kind="member")
    >>> ck["kind"], ck["stamp_size"]
    ('member', 16)
    >>> _ = (d / "broken.pt").write_bytes(b"not a checkpoint")
    >>> load_checkpoint(d / "broken.pt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: ...broken.pt...
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise StarclassError(f"checkpoint {path} does not exist")
    try:
        with warnings.catch_warnings():
            # torch's "Detected pickle protocol 4 ... please file an issue" before the error below
            warnings.filterwarnings("ignore", message="Detected pickle protocol")
            ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for damaged or foreign files
        if _is_plain_pickle(path):
            # a baseline's joblib file was called "damaged, or not written by starclass"
            raise StarclassError(
                f"{path} is a plain pickle (protocol 3+), not a starclass checkpoint: a scikit-learn baseline "
                "saved by starclass.models.baselines (joblib)? classify, explain and calibrate take CNN models "
                "from 'starclass train'; use a baseline from Python: "
                "starclass.models.baselines.load_baseline(path).predict_proba(...) (docs/models.md, 'Baselines')"
            ) from None
        raise StarclassError(
            f"{path} is not a readable starclass checkpoint (damaged, or not written by "
            f"starclass): {torch_load_reason(exc)}"
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
    if not isinstance(ckpt["state_dict"], dict):
        raise StarclassError(f"checkpoint {path} is damaged: its 'state_dict' is not a dict of tensors")
    # version 1 wrote a digest of the weights only; from version 2 it covers the whole member
    expected = state_digest(ckpt["state_dict"]) if ckpt["version"] < 2 else member_digest(ckpt)
    if expected != ckpt["digest"]:
        raise StarclassError(
            f"checkpoint {path} is damaged or was edited: its weights, classes, bands or config do not "
            "match its SHA-256 digest"
        )
    _check_self_consistent(path, ckpt)
    return ckpt


def _check_self_consistent(path: Path, ckpt: dict[str, Any]) -> None:
    """Refuse a checkpoint whose top-level classes, bands or architecture disagree with its config.

    ``classify`` reads the config, the ensemble check reads the top-level entries: both must
    say the same, or predictions could be relabelled without a word.
    """
    cfg = ckpt.get("config")
    if not isinstance(cfg, dict):
        raise StarclassError(f"checkpoint {path}: its 'config' is not a dict")
    for key in ("classes", "bands"):
        if key in cfg and list(cfg[key]) != list(ckpt[key]):
            raise StarclassError(
                f"checkpoint {path}: {key} {ckpt[key]!r} differ from its config's {key} {cfg[key]!r}"
            )


def calibration_digest(entry: dict[str, Any]) -> str:
    """SHA-256 of a manifest's calibration entry: every key but ``digest``, as canonical JSON.

    The entry holds ``member_digests``, so the digest also binds it to the weights.

    Examples
    --------
    >>> e = {"temperature": 1.5, "member_digests": ["ab"]}
    >>> calibration_digest(e) == calibration_digest(dict(e, temperature=1.0))
    False
    """
    body = {k: v for k, v in entry.items() if k != "digest"}
    rows_from = body.get("rows_from")
    if isinstance(rows_from, dict) and IMAGES_RECORD in rows_from:
        # the images' stamps live in a side file the record's digest binds; read_manifest puts them back in memory
        body["rows_from"] = {k: v for k, v in rows_from.items() if k != "stamps_of_images"}
    return hashlib.sha256(json.dumps(_plain(body), sort_keys=True).encode()).hexdigest()


def image_stamps_digest(rows: list[list[Any]]) -> str:
    """SHA-256 of a calibration's per-image stamps (``[name, size, mtime_ns, sha256]`` rows), in name order.

    The digest a manifest keeps of its ``calibrate --stamps`` images (:data:`IMAGES_RECORD`); the rows
    themselves are in a side file beside it.

    Examples
    --------
    >>> a, b = ["a.png", 3, 1, "ab"], ["b.png", 4, 2, "cd"]
    >>> image_stamps_digest([a, b]) == image_stamps_digest([b, a]) != image_stamps_digest([a])
    True
    """
    canonical = sorted([str(r[0]), int(r[1]), int(r[2]), str(r[3])] for r in rows)
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()


def _write_image_stamps(model_dir: Path, rows: list[list[Any]]) -> dict[str, Any]:
    """Write a calibration's per-image stamps as columns into a side file of ``model_dir``; the manifest's record.

    Named by its digest: a manifest written before still names its own file, so a save cut short between the
    two files leaves the model as it was (its older side file is removed once the new manifest is written).
    """
    digest = image_stamps_digest(rows)
    name = f"calibration_images_{digest[:16]}.json"
    columns = {"format": IMAGE_STAMPS_FORMAT, "names": [str(r[0]) for r in rows],
               "sizes": [int(r[1]) for r in rows], "mtimes_ns": [int(r[2]) for r in rows],
               "sha256": [str(r[3]) for r in rows]}
    with atomic_path(model_dir / name) as tmp:
        # one line a column: the names, sizes, times and digests at a glance, no indentation per value
        tmp.write_text("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
                                           for k, v in columns.items()) + "\n}\n")
    return {"file": name, "count": len(rows), "sha256": digest}


def _read_image_stamps(model_dir: Path, record: Any) -> list[list[Any]] | None:
    """The per-image stamps of a manifest's :data:`IMAGES_RECORD`, or None (no such file, or not the one recorded)."""
    if not isinstance(record, dict) or not isinstance(record.get("file"), str):
        return None
    path = model_dir / Path(record["file"]).name  # a name in the model directory, never a path elsewhere
    try:
        doc = json.loads(path.read_text())
        rows = [list(r) for r in zip(*(doc[c] for c in _IMAGE_STAMPS_COLUMNS), strict=True)]
        if doc.get("format") != IMAGE_STAMPS_FORMAT or image_stamps_digest(rows) != record.get("sha256"):
            return None
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return rows


def _put_back_image_stamps(doc: dict[str, Any], model_dir: Path) -> None:
    """Read a manifest's side file of image stamps into its calibration's ``rows_from`` (in memory)."""
    cal = doc.get("calibration")
    rows_from = cal.get("rows_from") if isinstance(cal, dict) else None
    if not isinstance(rows_from, dict) or IMAGES_RECORD not in rows_from:
        return
    rows = _read_image_stamps(model_dir, rows_from[IMAGES_RECORD])
    if rows is not None:
        # missing or edited: left out, and the fine-tune's check says it cannot tell whether the images changed
        rows_from["stamps_of_images"] = rows


def _dump_manifest(path: Path, doc: dict[str, Any]) -> None:
    """Write a manifest atomically, its images' stamps left to their side file; side files it no longer names go."""
    stored = doc
    cal = doc.get("calibration")
    rows_from = cal.get("rows_from") if isinstance(cal, dict) else None
    if isinstance(rows_from, dict) and IMAGES_RECORD in rows_from and "stamps_of_images" in rows_from:
        stored = {**doc, "calibration": {**cal, "rows_from": {k: v for k, v in rows_from.items()
                                                               if k != "stamps_of_images"}}}
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(stored, indent=2) + "\n")
    kept = rows_from.get(IMAGES_RECORD) if isinstance(rows_from, dict) else None
    kept_name = kept.get("file") if isinstance(kept, dict) else None
    for side in path.parent.glob(IMAGE_STAMPS_GLOB):
        if side.name != kept_name:
            side.unlink(missing_ok=True)


def save_calibration(model_dir: str | os.PathLike, entry: dict[str, Any], member_digests: list[str], *,
                     overwrite: bool = False) -> Path:
    """Store a calibration entry in a model directory's manifest (atomically), with its digests.

    Parameters
    ----------
    model_dir : path-like
        The model directory.
    entry : dict
        :meth:`starclass.learn.calibration.ModelCalibration.to_dict`.
    member_digests : list of str
        The ``digest`` of every member, in manifest order (the weights it was fitted with).
    overwrite : bool
        Replace a calibration the manifest already has; without it that one is kept and this
        raises (every model ``train`` writes has one, fitted on its validation split).

    Returns
    -------
    pathlib.Path
        The manifest.

    Raises
    ------
    starclass.errors.OutputExistsError
        The model has a calibration and ``overwrite`` is False (``filename``: its manifest, unchanged).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> entry = {"method": "temperature", "temperature": 1.5}
    >>> _ = save_calibration(d, entry, [load_checkpoint(d / "member_01.pt")["digest"]])
    >>> read_manifest(d)["calibration"]["temperature"]
    1.5
    """
    path = Path(model_dir) / MANIFEST
    doc = read_manifest(path)
    if doc.get("calibration") and not overwrite:
        raise OutputExistsError(f"model {model_word(model_dir)} already has a calibration (fitted on "
                                f"{doc['calibration'].get('source', '?')}); give overwrite=True to replace it", path)
    if len(member_digests) != len(doc["members"]):
        raise StarclassError(f"model {model_word(model_dir)}: {len(member_digests)} member digests for "
                             f"{len(doc['members'])} members")
    cal = dict(_plain(entry), member_digests=[str(d) for d in member_digests])
    rows_from = cal.get("rows_from")
    if isinstance(rows_from, dict) and isinstance(rows_from.get("stamps_of_images"), list):
        # one [name, size, time, SHA-256] a cutout made the manifest of a model calibrated on the 869 PAndAS
        # cutouts 155 KB larger: they go to a side file, the manifest keeps its name and their digest
        record = _write_image_stamps(path.parent, rows_from["stamps_of_images"])
        cal["rows_from"] = {**{k: v for k, v in rows_from.items() if k not in ("stamps_of_images", IMAGES_RECORD)},
                            IMAGES_RECORD: record}
    cal["digest"] = calibration_digest(cal)
    doc["calibration"] = cal
    doc.pop(NO_CALIBRATION, None)  # the model has one now: why it had none no longer applies
    _dump_manifest(path, doc)
    return path


#: Manifest key of why training fitted no calibration (no validation split, a class absent from it).
NO_CALIBRATION = "no_calibration"

#: Why a model loaded from one member file has no calibration (the manifest holds it).
SINGLE_FILE_NO_CALIBRATION = ("a single member file was given (the model directory's manifest.json holds the "
                              "calibration)")


def set_no_calibration(model_dir: str | os.PathLike, reason: str) -> Path:
    """Record in a model's manifest why it carries no calibration (atomically).

    ``classify`` says it instead of guessing: a model trained with a validation split that
    lacked a class was described as "trained without a validation split".

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = tempfile.mkdtemp()
    >>> _ = write_manifest(d, get_preset("m31-binary"), [{"file": "member_00.pt"}])
    >>> _ = set_no_calibration(d, "no validation split (val_fraction 0)")
    >>> read_manifest(d)["no_calibration"]
    'no validation split (val_fraction 0)'
    """
    path = Path(model_dir) / MANIFEST
    doc = read_manifest(path)
    doc[NO_CALIBRATION] = str(reason)
    _dump_manifest(path, doc)
    return path


def set_fitted_on_inputs(model_dir: str | os.PathLike) -> Path:
    """Record in a model's manifest that it was fitted on model inputs the caller made (atomically).

    ``CNNClassifier(outdir=D).fit(X, y)`` leaves its model in ``D``; loaded from there, it was told to
    cut its cutouts to ``stamp_size`` (:attr:`LoadedModel.fitted_on_inputs`).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = tempfile.mkdtemp()
    >>> _ = write_manifest(d, get_preset("m31-binary"), [{"file": "member_01.pt"}])
    >>> _ = set_fitted_on_inputs(d)
    >>> read_manifest(d)["fitted_on_inputs"]
    True
    """
    path = Path(model_dir) / MANIFEST
    doc = read_manifest(path)
    doc[FITTED_ON_INPUTS] = True
    _dump_manifest(path, doc)
    return path


def write_manifest(outdir: str | os.PathLike, config: TaskConfig, members: list[dict[str, Any]],
                   training: dict[str, Any] | None = None,
                   training_rows: dict[str, Any] | None = None,
                   pixel_flags: dict[str, Any] | None = None, *, overwrite: bool = False,
                   fitted_on_inputs: bool = False) -> Path:
    """Write the ensemble manifest ``outdir/manifest.json`` atomically.

    ``training`` (the run's ``data_digest`` and ``settings_digest``) is stored under
    ``"training"`` when given; ``training_rows`` (the digests of the rows the weights were
    fitted on, :mod:`starclass.learn.provenance`) under ``"training_rows"``; ``pixel_flags``
    (the mask and DQ flags the training stamps were cut with,
    :func:`starclass.learn.provenance.flags_record`) under ``"pixel_flags"``; ``fitted_on_inputs`` (fitted
    by ``CNNClassifier.fit`` on model inputs the caller made, see :class:`LoadedModel`) as
    ``"fitted_on_inputs": true`` (a manifest without the key reads as False). An existing manifest
    (with the model's calibration and records) is kept unless ``overwrite``: this raises
    :class:`~starclass.errors.OutputExistsError` then, nothing written.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_manifest(d, cfg, [{"file": member_filename(0), "architecture": "compact", "seed": 0}])
    >>> m = read_manifest(d)
    >>> [x["file"] for x in m["members"]], m["task"], m["config"]["classes"]
    (['member_01.pt'], 'galaxy-cluster-compact', [1, 2])
    """
    outdir = Path(outdir)
    cfg = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    doc = {
        "format": ENSEMBLE_FORMAT,
        "version": VERSION,
        "task": cfg.get("name"),
        "config": _plain(cfg),
        "members": _plain(members),
    }
    if training:
        doc["training"] = _plain(training)
    if training_rows:
        doc["training_rows"] = _plain(training_rows)
    if pixel_flags is not None:
        from starclass.learn.provenance import FLAGS_KEY

        doc[FLAGS_KEY] = _plain(pixel_flags)
    if fitted_on_inputs:
        # written only when set: manifests of other models stay as they were
        doc[FITTED_ON_INPUTS] = True
    path = outdir / MANIFEST
    if not overwrite and path.exists():
        raise OutputExistsError(exists_refusal(path, "model manifest"), path)
    _dump_manifest(path, doc)
    return path


def write_untrained_model(folder: str | os.PathLike, task: TaskConfig | str | os.PathLike, *, seed: int = 0,
                          overwrite: bool = False) -> Path:
    """Write a one-member model of ``task`` with random weights: a model folder without training.

    Every tool that takes a model (``classify``, ``explain``, ``calibrate``, ``suggest``,
    :func:`load_model`) reads it, so a notebook can try them, and an example or a test can show
    their plumbing, in a second instead of a training run. Its decisions are arbitrary: the
    weights are the network's initialisation under ``torch.manual_seed(seed)``, the same on every
    call with the same task and seed. The folder holds what ``starclass train`` writes for one
    member (``manifest.json``, ``member_01.pt``), and no calibration.

    Parameters
    ----------
    folder : path-like
        The model folder to write (its parents are made). An existing folder that is not empty is
        refused unless ``overwrite``.
    task : TaskConfig, str or path-like
        The task: a config, or what :func:`starclass.learn.config.load_config` reads (a preset
        name, a task file, a trained model's folder).
    seed : int
        The torch seed of the weights (>= 0), recorded in the member and the manifest. The
        caller's torch random state is left as it was.
    overwrite : bool
        Replace a model folder at ``folder`` as a whole. A folder holding anything but a model's
        files (``manifest.json``, ``member_*.pt``, ``annotators.ecsv``, ``calibration_images_*.json``) is refused
        even then.

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    StarclassError
        ``task`` is not a task (named); ``seed`` is not a whole number >= 0; ``folder`` is a
        file, is not empty and ``overwrite`` is false, or holds files that are not a model's.
        Nothing is written then: the model is written beside ``folder`` and moved into place
        whole (:func:`starclass.io.atomic.atomic_dir`).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> model = write_untrained_model(Path(tempfile.mkdtemp()) / "model", cfg)
    >>> sorted(p.name for p in model.iterdir()), load_model(model).config.classes
    (['manifest.json', 'member_01.pt'], [1, 2])
    >>> again = write_untrained_model(model, cfg, overwrite=True)
    >>> load_checkpoint(again / "member_01.pt")["seed"], read_manifest(again)["members"]
    (0, [{'file': 'member_01.pt', 'architecture': 'compact', 'seed': 0}])
    >>> write_untrained_model(model, "m31-binary")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: output folder .../model exists and is not empty; give overwrite=True ...
    """
    from starclass.io.atomic import atomic_dir
    from starclass.learn.config import load_config

    if isinstance(task, TaskConfig):
        cfg = task
    elif isinstance(task, (str, os.PathLike)):
        cfg = load_config(task)
    else:
        raise StarclassError(f"write_untrained_model: task must be a TaskConfig, a preset name or a task file, "
                             f"not {type(task).__name__}")
    # numpy integers are seeds too (operator.index); a bool, a float or a negative number is a mistake
    if isinstance(seed, bool) or not hasattr(seed, "__index__") or operator.index(seed) < 0:
        raise StarclassError(f"write_untrained_model: seed must be a whole number >= 0, not {seed!r}")
    seed = operator.index(seed)
    out = Path(folder)
    with atomic_dir(out, overwrite=overwrite, own=MODEL_ENTRIES) as tmp:
        # a forked generator: the weights depend on the seed only, and the caller's random state
        # (a notebook's next torch.rand) is not reset by a call that only writes a model. The CPU's generator
        # only: torch.manual_seed also seeded every started GPU's (not put back) or queued it for an unstarted one
        from starclass.learn.rng import global_rng_kept, seed_torch

        with global_rng_kept("cpu"):
            seed_torch(seed, "cpu")
            net = build_model(cfg, pretrained=False)
        name = member_filename(0)
        save_checkpoint(make_checkpoint(cfg, net.state_dict(), architecture=net.architecture, seed=seed), tmp / name)
        write_manifest(tmp, cfg, [{"file": name, "architecture": net.architecture, "seed": seed}])
    return out


#: Manifest key of a decision threshold chosen after training (``train --target-purity``).
TUNED_THRESHOLD = "tuned_threshold"

#: Manifest key of the pixel size of the cutouts a model was trained on (``train --stamps``).
TRAINING_CUTOUTS = "training_cutouts"
#: the manifest key of LoadedModel.fitted_on_inputs (written by CNNClassifier.save; absent reads as False)
FITTED_ON_INPUTS = "fitted_on_inputs"


def set_training_cutouts(model_path: str | os.PathLike, images_shape: tuple[int, ...],
                         label_column: str | None = None, field_arcsec: float | None = None,
                         group_column: str | None = None) -> Path:
    """Record in a model's manifest the pixel size of the cutouts it was trained on (and their label column).

    Every cutout is resampled over its whole field to the task's ``stamp_size``, so the network
    learns objects at the scale of its training cutouts' field; ``classify --stamps`` compares
    the cutouts it is given with this record (a 64 px cutout at the pixel scale of 128 px
    training ones shows objects twice as large, and nothing said so). The member checkpoints
    are left as they are.

    Parameters
    ----------
    model_path
        Model directory (or its manifest).
    images_shape
        ``[N, C, H, W]`` of the training cutouts (:attr:`starclass.io.cutout_folders.CutoutSet.images`).
    label_column
        The cutout CSV's column the labels came from (``train --label-column``, e.g. ``expert``):
        ``classify --stamps`` reads a folder's labels from it, not from ``label``, which may hold
        another class scheme (a galaxy-cluster folder's binary ``label`` beside five ``expert`` classes).
    field_arcsec
        The width of the training cutouts' field from their FITS WCS
        (:func:`starclass.io.cutout_folders.cutout_field_arcsec`), when they carry one: cutouts of
        another pixel count over the same field are then no cause for a warning.
    group_column
        The cutout CSV's column naming each cutout's object (``train --group-column``, else the
        task's, where the CSV had it): ``classify --stamps`` reads the folder's objects from it and
        records it in its output, so that ``evaluate`` resamples whole objects.

    Returns
    -------
    pathlib.Path
        The manifest written (atomically).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = tempfile.mkdtemp()
    >>> _ = write_manifest(d, get_preset("m31-real"), [{"file": "member_00.pt"}])
    >>> _ = set_training_cutouts(d, (869, 1, 128, 128))
    >>> read_manifest(d)["training_cutouts"]
    {'height': 128, 'width': 128, 'channels': 1}
    """
    path = Path(model_path)
    if path.is_dir():
        path = path / MANIFEST
    doc = read_manifest(path)
    _, c, h, w = (int(v) for v in images_shape)
    doc[TRAINING_CUTOUTS] = {"height": h, "width": w, "channels": c}
    if label_column is not None:
        doc[TRAINING_CUTOUTS]["label_column"] = str(label_column)
    if group_column is not None:
        doc[TRAINING_CUTOUTS]["group_column"] = str(group_column)
    if field_arcsec is not None and math.isfinite(field_arcsec) and field_arcsec > 0:
        doc[TRAINING_CUTOUTS]["field_arcsec"] = float(field_arcsec)
    _dump_manifest(path, doc)
    return path


def update_manifest(model_path: str | os.PathLike, entries: dict[str, Any]) -> Path:
    """Set top-level ``entries`` of a model's manifest (atomically); the member checkpoints are left as they are.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = tempfile.mkdtemp()
    >>> _ = write_manifest(d, get_preset("m31-real"), [{"file": "member_00.pt"}])
    >>> _ = update_manifest(d, {"note": "x"})
    >>> read_manifest(d)["note"]
    'x'
    """
    path = Path(model_path)
    if path.is_dir():
        path = path / MANIFEST
    doc = read_manifest(path)
    doc.update(entries)
    _dump_manifest(path, doc)
    return path


#: Manifest key of the fields (mosaic files, catalogue) a model was trained on (``train -m/-c``, ``--fields``).
TRAINING_FIELDS = "training_fields"


def set_training_fields(model_path: str | os.PathLike,
                        fields: Sequence[tuple[Sequence[str | os.PathLike], str | os.PathLike]]) -> Path:
    """Record in a model's manifest the fields it was trained on: each one's mosaic files and catalogue.

    ``survey`` scored the field a model was trained on as any other, and its accuracy read as held-out;
    with this record it marks that field (:func:`trained_fields`). Paths are kept absolute (resolved), the
    mosaics as the files a folder of them holds. The member checkpoints are left as they are.

    Parameters
    ----------
    model_path
        Model directory (or its manifest).
    fields
        ``(mosaics, catalogue)`` per field: the mosaic files or folders, and the labelled catalogue.

    Returns
    -------
    pathlib.Path
        The manifest written (atomically).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_manifest(d, get_preset("m31-real"), [{"file": "member_00.pt"}])
    >>> _ = set_training_fields(d, [([d / "f555w.fits"], d / "truth.ecsv")])
    >>> [Path(f["catalog"]).name for f in read_manifest(d)["training_fields"]]
    ['truth.ecsv']
    """
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import resolved

    path = Path(model_path)
    if path.is_dir():
        path = path / MANIFEST
    doc = read_manifest(path)
    doc[TRAINING_FIELDS] = [{"mosaics": [str(resolved(f)) for f in mosaic_inputs(list(mosaics)) if Path(f).is_file()],
                             "catalog": str(resolved(catalog))} for mosaics, catalog in fields]
    _dump_manifest(path, doc)
    return path


def trained_fields(doc: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """The fields a manifest records its model was trained on (:func:`set_training_fields`); None: not recorded.

    Examples
    --------
    >>> trained_fields({}) is None, trained_fields({"training_fields": [{"mosaics": ["a.fits"], "catalog": "c"}]})
    (True, [{'mosaics': ['a.fits'], 'catalog': 'c'}])
    """
    rec = (doc or {}).get(TRAINING_FIELDS)
    if not isinstance(rec, list):
        return None
    return [f for f in rec if isinstance(f, dict)]


def training_field_of(recorded: list[dict[str, Any]] | None, mosaics: Sequence[str | os.PathLike] = (),
                      catalog: str | os.PathLike | None = None) -> dict[str, Any] | None:
    """The recorded training field (:func:`trained_fields`) whose catalogue is ``catalog`` or that shares a mosaic.

    The rule ``survey`` marks a trained-on field by: the same labelled catalogue, or one of the same
    mosaic files (paths compared resolved). ``classify`` on such a field warns, and ``evaluate`` and
    ``report`` of what it wrote, or against that catalogue, warn that the figures are in-sample.

    Parameters
    ----------
    recorded : list of dict or None
        The model's record (:func:`trained_fields`); None: not recorded.
    mosaics : sequence of path-like
        Mosaic files or folders of the field.
    catalog : path-like, optional
        Its catalogue.

    Returns
    -------
    dict or None
        The matching record (``mosaics``, ``catalog``), or None.

    Examples
    --------
    >>> rec = [{"mosaics": [str(Path("a/g.fits").absolute())], "catalog": str(Path("a/t.ecsv").absolute())}]
    >>> training_field_of(rec, catalog="a/t.ecsv") is rec[0], training_field_of(rec, ["b/g.fits"]) is None
    (True, True)
    """
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import resolved

    if not recorded:
        return None
    files = {str(resolved(f)) for f in mosaic_inputs(list(mosaics))}
    cat = str(resolved(catalog)) if catalog is not None else None
    for rec in recorded:
        if (cat is not None and rec.get("catalog") == cat) or files & set(rec.get("mosaics") or []):
            return rec
    return None


def set_tuned_threshold(model_path: str | os.PathLike, info: dict[str, Any]) -> Path:
    """Store a decision threshold chosen on validation data in a model's manifest.

    The member checkpoints are left as they are (their settings digests, and so ``--resume``,
    do not change); :func:`load_model` gives the model's config this threshold, so
    ``classify`` applies it unless told another (``--threshold``).

    Parameters
    ----------
    model_path
        Model directory (or its manifest).
    info
        ``threshold`` (in [0, 1]) and what it was chosen for (``target_purity``, and the
        validation ``purity``, ``recall``, ``f1``, ``n_val``...), kept for the record.

    Returns
    -------
    pathlib.Path
        The manifest written (atomically).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> d = tempfile.mkdtemp()
    >>> _ = write_manifest(d, get_preset("m31-binary"), [{"file": "member_00.pt"}])
    >>> _ = set_tuned_threshold(d, {"threshold": 0.42, "target_purity": 0.9})
    >>> read_manifest(d)["tuned_threshold"]["threshold"]
    0.42
    """
    thr = float(info["threshold"])
    if not 0.0 <= thr <= 1.0:
        raise StarclassError(f"tuned threshold {thr} is not a probability in [0, 1]")
    path = Path(model_path)
    if path.is_dir():
        path = path / MANIFEST
    doc = read_manifest(path)
    doc[TUNED_THRESHOLD] = _plain(dict(info, threshold=thr))
    _dump_manifest(path, doc)
    return path


def cv_fold_models(path: str | os.PathLike, *, started: bool = False) -> list[Path]:
    """The fold models of a cross-validation folder (``train --cv``), in fold order; else ``[]``.

    Such a folder holds no model of its own, one per fold (``fold_<name>/``, each trained without
    its fold's rows) beside ``cv_metrics.ecsv``, ``cv_predictions.ecsv`` and ``cv_summary.json``.
    With ``started``, also the folds whose training did not finish (member checkpoints, no
    manifest yet: a run stopped by Ctrl-C or a time limit).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for k in (1, 2, 10):
    ...     (d / f"fold_{k}").mkdir()
    ...     _ = (d / f"fold_{k}" / MANIFEST).write_text("{}")
    >>> [f.name for f in cv_fold_models(d)], cv_fold_models(d / "fold_1")
    (['fold_1', 'fold_2', 'fold_10'], [])
    >>> (d / "fold_11").mkdir(); _ = (d / "fold_11" / "member_01.last.pt").write_bytes(b"")
    >>> [f.name for f in cv_fold_models(d, started=True)][-1]
    'fold_11'
    """
    p = Path(path)
    if not p.is_dir() or (p / MANIFEST).is_file():
        return []

    def counts(f: Path) -> bool:
        if not (f.is_dir() and f.name.startswith("fold_")):
            return False
        # a fold stopped during its training has checkpoints only: a folder of such folds was read as no
        # cross-validation at all ("no catalogue could be read", "no manifest.json")
        return (f / MANIFEST).is_file() or (started and any(f.glob("member_*.pt")))

    folds = [f for f in p.iterdir() if counts(f)]

    def order(f: Path) -> tuple:
        name = f.name[len("fold_"):]
        return (0, int(name), "") if name.isdigit() else (1, 0, name)  # fold_10 after fold_9

    return sorted(folds, key=order)


def _manifest_cut_short(exc: ValueError, path: Path) -> str | None:
    """How a manifest JSON refused was cut short ('is empty (0 bytes)', 'ends mid-way, ...'); None if not.

    Examples
    --------
    >>> try:
    ...     json.loads('{"format": "starclass-ens')
    ... except ValueError as exc:
    ...     print(_manifest_cut_short(exc, Path("m.json")))
    ends mid-way, after 25 bytes
    """
    doc = getattr(exc, "doc", None)
    if not isinstance(doc, str):
        return None
    if not doc.strip():
        return "is empty (0 bytes)" if not doc else f"holds only blank space ({len(doc.encode())} bytes)"
    # the parser stopped at the end of the text: what came before was valid, the rest is missing
    if getattr(exc, "pos", -1) >= len(doc.rstrip()) or "Unterminated string" in str(exc):
        return f"ends mid-way, after {len(doc.encode())} bytes"
    return None


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check an ensemble manifest (a directory or its ``manifest.json``).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> read_manifest(d / "manifest.json")["members"][0]["architecture"]
    'compact'
    """
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        folds = cv_fold_models(path.parent)
        unfinished = [f.name for f in cv_fold_models(path.parent, started=True) if not (f / MANIFEST).is_file()]
        if unfinished and not folds:
            # a cross-validation stopped in its first fold: "no manifest.json (not a starclass model directory)"
            raise StarclassError(
                f"model {model_word(path.parent)} is a cross-validation folder (train --cv) whose training did not "
                f"finish "
                f"({', '.join(unfinished)}: checkpoints, no {MANIFEST}) and no model of its own; rerun the same "
                "starclass train command to resume it")
        if folds:
            # "no manifest.json (not a starclass model directory)" of the folder train --cv wrote
            stopped = (f" (its training did not finish: {', '.join(unfinished)} holds checkpoints only; the same "
                       "starclass train command resumes it)" if unfinished else "")
            raise StarclassError(
                f"model {model_word(path.parent)} is a cross-validation folder (train --cv): one model per fold "
                f"({folds[0].name} .. {folds[-1].name}), each trained without its fold's rows, and no model of "
                f"its own{stopped}; give one fold's model ({folds[0]}), or train without --cv for one model of "
                "every row")
        started = sorted(q.name for q in path.parent.glob("member_*.pt")) if path.parent.is_dir() else []
        if started:
            # the manifest is written when the last member is done: checkpoints alone are a training
            # that was stopped (Ctrl-C, a time limit) and that the same command resumes
            raise StarclassError(
                f"model {model_word(path.parent)}: its training did not finish ({', '.join(started[:4])}"
                f"{', ...' if len(started) > 4 else ''}: checkpoints, no {MANIFEST}); rerun the same "
                "starclass train command to resume it")
        raise StarclassError(f"model {model_word(path.parent)}: no {MANIFEST} (not a starclass model directory)")
    try:
        text = path.read_text()
        doc = json.loads(text)
    except OSError as exc:
        raise StarclassError(f"ensemble manifest {path}: cannot read: {exc}") from None
    except ValueError as exc:
        # starclass writes the manifest atomically: an empty or unfinished one was cut short after
        # (a copy or sync interrupted, a full disk), and "line 1, column 1" said nothing of that
        cut = _manifest_cut_short(exc, path)
        if cut:
            raise StarclassError(
                f"ensemble manifest {path} {cut}, cut short (an interrupted copy or save of the model, a full "
                "disk); the member files "
                "alone hold no calibration or training record: copy the model folder again from where it came "
                "from, or train it again (starclass train ... -o MODEL --overwrite)") from None
        raise StarclassError(f"ensemble manifest {path} is not valid JSON: {parse_error_text(exc)}") from None
    if not isinstance(doc, dict) or doc.get("format") != ENSEMBLE_FORMAT:
        raise StarclassError(f"{path} is not a starclass ensemble manifest (format != {ENSEMBLE_FORMAT!r})")
    if not isinstance(doc.get("members"), list) or not doc["members"]:
        raise StarclassError(f"ensemble manifest {path} lists no members")
    for i, m in enumerate(doc["members"]):
        if not isinstance(m, dict) or "file" not in m:
            raise StarclassError(f"ensemble manifest {path}: member {i + 1} has no 'file'")
        if not isinstance(m["file"], str) or not m["file"].strip():
            raise StarclassError(
                f"ensemble manifest {path}: member {i + 1} has 'file': {m['file']!r}; expected the name of a "
                "member file in the model directory (e.g. \"member_01.pt\")"
            )
    check_manifest_entries(doc, path)
    _put_back_image_stamps(doc, path.parent)
    return doc


def check_manifest_entries(doc: dict[str, Any], path: str | os.PathLike) -> None:
    """Refuse a manifest whose ``version`` or ``config`` no starclass wrote, naming the key.

    Every command that reads a model reads its manifest through :func:`read_manifest`, which
    calls this: a manifest hand-edited to ``config.stamp_size: -5``, ``scales: [0, -1]``,
    ``softening_mag: "x"`` or ``version: 99`` was refused by ``calibrate`` (which builds the
    manifest's config) while ``classify``, which builds each member's own, exited 0. The config is
    checked as a task file is (:meth:`starclass.learn.config.TaskConfig.from_dict`).

    Parameters
    ----------
    doc
        The manifest's contents.
    path
        The manifest, for the message.

    Raises
    ------
    StarclassError
        ``version`` not a whole number from 1 to :data:`VERSION`, or a ``config`` that is no
        valid task config (the message names the key and its value).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> doc = {"version": VERSION, "config": get_preset("galaxy-cluster-compact", stamp_size=16).to_dict()}
    >>> check_manifest_entries(doc, "m/manifest.json")
    >>> doc["config"]["stamp_size"] = -5
    >>> check_manifest_entries(doc, "m/manifest.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: ensemble manifest m/manifest.json: key 'config' ...: stamp_size=-5 is too small
    """
    version = doc.get("version", 1)  # models written before the key existed are version 1
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise StarclassError(
            f"ensemble manifest {path}: key 'version' is {version!r}; this starclass reads versions 1 to {VERSION}"
            + (": upgrade starclass" if newer else " (the file was edited or damaged)"))
    for key in MANIFEST_BOOLEANS:
        manifest_bool(doc, key, path)
    if "config" not in doc:
        return
    try:
        TaskConfig.from_dict(doc["config"])
    except StarclassError as exc:
        raise StarclassError(f"ensemble manifest {path}: key 'config' does not hold a valid task config "
                             f"(the file was edited or damaged): {exc}") from None


#: The true/false entries of a manifest, as key paths; each holds a JSON boolean where present (:func:`manifest_bool`).
MANIFEST_BOOLEANS = ((FITTED_ON_INPUTS,), ("pixel_flags", "flagged"), ("calibration", "tta"),
                     ("calibration", "with_tta", "tta"))


def manifest_bool(doc: Mapping[str, Any], key: tuple[str, ...], path: str | os.PathLike,
                  default: bool = False) -> bool:
    """A true/false entry of a model manifest: its JSON boolean, or ``default`` where the key is absent.

    The one reader of the manifest's booleans (:data:`MANIFEST_BOOLEANS`, each checked by
    :func:`check_manifest_entries`). Until 2026-12-06 ``"fitted_on_inputs": "yes"`` in a hand-edited
    manifest was read as false without a word, and ``"pixel_flags": {"flagged": "false"}`` as true.

    Parameters
    ----------
    doc
        The manifest's contents.
    key
        The key path: ``("fitted_on_inputs",)``, ``("pixel_flags", "flagged")``.
    path
        The manifest, for the message.
    default
        The value of an absent key (or of a missing entry above it): what models written before the key read as.

    Returns
    -------
    bool

    Raises
    ------
    StarclassError
        The key holds anything but true or false (``"yes"``, ``1``, ``null``), naming the manifest and the key.

    Examples
    --------
    >>> manifest_bool({"fitted_on_inputs": True}, ("fitted_on_inputs",), "m/manifest.json")
    True
    >>> manifest_bool({}, ("pixel_flags", "flagged"), "m/manifest.json")
    False
    >>> manifest_bool({"fitted_on_inputs": "yes"}, ("fitted_on_inputs",), "m/manifest.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: ensemble manifest m/manifest.json: key 'fitted_on_inputs' is 'yes', not true or ...
    """
    node: Any = doc
    for k in key[:-1]:
        node = node.get(k) if isinstance(node, Mapping) else None
    if not isinstance(node, Mapping) or key[-1] not in node:
        return default
    value = node[key[-1]]
    if not isinstance(value, bool):
        # bool('false') is True, and 'is True' read every other value as false: neither is what the editor meant
        raise StarclassError(f"ensemble manifest {path}: key {'.'.join(key)!r} is {value!r}, not true or false "
                             "(the file was edited or damaged)")
    return value


#: Files given where a model goes, by name: a cutout list or catalogue (the arguments of ``explain MODEL STAMPS``
#: swapped), an image, a stamp store, a task file. Read as a checkpoint, each was "not a readable starclass
#: checkpoint (damaged, or not written by starclass): Unsupported operand 102".
_NOT_A_MODEL = {".csv": "a CSV table", ".ecsv": "an ECSV table", ".parquet": "a Parquet table",
                ".pq": "a Parquet table", ".tab": "a table", ".txt": "a text file", ".png": "an image",
                ".jpg": "an image",
                ".jpeg": "an image", ".tif": "an image", ".tiff": "an image", ".npy": "a NumPy array",
                **dict.fromkeys(STAMP_STORE_SUFFIXES, "an HDF5 file (a stamp store?)"),
                ".yaml": "a YAML file (a task file?)", ".yml": "a YAML file (a task file?)"}


def member_paths(model_path: str | os.PathLike) -> list[Path]:
    """Member checkpoint files of a model: a directory/manifest, or a single ``.pt`` file.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> [p.name for p in member_paths(d)], [p.name for p in member_paths(d / "member_01.pt")]
    (['member_01.pt'], ['member_01.pt'])
    >>> _ = (d / "labels.csv").write_text("file,label\\n")
    >>> member_paths(d / "labels.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: model .../labels.csv is a CSV table, not a model: give the directory ...
    """
    p = Path(model_path)
    if not p.exists():
        raise StarclassError(f"model {model_word(p)} does not exist")
    if p.is_dir() or p.suffix == ".json":
        doc = read_manifest(p)
        base = p if p.is_dir() else p.parent
        paths = [_member_path(base, m["file"], p) for m in doc["members"]]
        # a dangling link or a link loop is no file either: say it is a link, or "missing" reads as a lie
        absent = [f"{q}{link_note(q)}" for q in paths if not q.is_file()]
        if absent:
            raise StarclassError(f"ensemble {p}: member files missing: {', '.join(absent)}")
        return paths
    what = next((w for ext, w in sorted(_NOT_A_MODEL.items(), key=lambda kv: -len(kv[0]))
                 if p.name.lower().endswith(ext)), None)
    if what is None:
        from starclass.io.mosaic import is_fits_name  # the one rule for FITS names, compressed ones too

        what = "a FITS file" if is_fits_name(p) else None
    if what is not None:
        raise StarclassError(f"model {model_word(p)} is {what}, not a model: give the directory 'starclass train' "
                             f"wrote (or "
                             "one of its member_NN.pt files)")
    return [p]


def _member_path(base: Path, name: str, model: Path) -> Path:
    """``base / name``, refused unless it stays inside the model directory ``base``.

    A manifest is data: an absolute path or ``..`` in it would load weights from anywhere
    (another user's model, a file planted outside the directory).
    """
    rel = Path(name)
    # not Path.resolve(): a member that is a link loop raised RuntimeError (a traceback); this one
    # stops at the loop, and the member is then named missing (it is no file)
    inside = resolved(base)
    target = resolved(base / rel)
    if rel.is_absolute() or not target.is_relative_to(inside):
        raise StarclassError(
            f"ensemble {model}: member file {name!r} lies outside the model directory {base}; "
            "members must be files inside it"
        )
    return base / rel


@dataclass
class LoadedModel:
    """An ensemble ready for inference (a single model is an ensemble of one).

    Made by :func:`load_model`.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> m = load_model(d)
    >>> len(m.members), m.config.classes, m.calibration is None, [p.name for p in m.paths]
    (1, [1, 2], True, ['member_01.pt'])
    """

    config: Any  # starclass.learn.config.TaskConfig
    members: list[torch.nn.Module]
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    #: the manifest's checked calibration entry (None: no calibration; see calibration.py)
    calibration: dict[str, Any] | None = None
    #: the manifest's record of the training rows (None: a model without one; see provenance.py)
    training_rows: dict[str, Any] | None = None
    #: why there is no calibration, when there is none (the manifest's record, or a member file)
    no_calibration: str | None = None
    #: the mask and DQ flags the training stamps were cut with (None: not recorded; see provenance.py)
    pixel_flags: dict[str, Any] | None = None
    #: pixel size of the cutouts it was trained on (:func:`set_training_cutouts`; None: not recorded)
    training_cutouts: dict[str, int] | None = None
    #: fitted here on model inputs the caller made (``CNNClassifier.fit(X, y)``, e.g. ``cutout_inputs`` of 128 px
    #: cutouts): nothing says from what cutouts or stamps, so no size is assumed (the manifest's
    #: ``fitted_on_inputs``, written by ``CNNClassifier.save``)
    fitted_on_inputs: bool = False
    #: the cutout CSV's label column it was trained on (:func:`set_training_cutouts`; None: not recorded)
    training_label_column: str | None = None
    #: the cutout CSV's group (object) column it was trained with (:func:`set_training_cutouts`; None: not recorded)
    training_group_column: str | None = None
    #: the manifest's record of a threshold chosen by ``train --target-purity`` (:func:`set_tuned_threshold`:
    #: the target purity, the validation rows it was chosen on...); None: none stored
    tuned_threshold: dict[str, Any] | None = None

    @property
    def bands(self) -> list[str]:
        """The bands the model reads, in the order of its input channels (its task's ``bands``).

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> LoadedModel(get_preset("galaxy-cluster-compact"), members=[]).bands
        ['xray', 'optical']
        """
        return list(self.config.bands)

    @property
    def classes(self) -> list[int]:
        """The classes of the probability columns, in order (its task's ``classes``, as ints).

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> LoadedModel(get_preset("legus4"), members=[]).classes
        [1, 2, 3, 4]
        """
        return [int(c) for c in self.config.classes]


def in_memory_model(model: Any, what: str = "model") -> LoadedModel:
    """The :class:`LoadedModel` of a model held in memory: itself, or a fitted estimator's ``model_``.

    A notebook's fitted :class:`~starclass.learn.estimator.CNNClassifier` goes where a model
    directory does (``classify(mosaics, table, clf)``): that stopped with numpy's "expected str,
    bytes or os.PathLike object, not CNNClassifier".

    Parameters
    ----------
    model : LoadedModel or estimator
        A loaded model, or an estimator whose ``model_`` is one (a fitted ``CNNClassifier``).
    what : str
        How messages name the argument.

    Returns
    -------
    LoadedModel

    Raises
    ------
    starclass.errors.NotFittedError
        An estimator that was not fitted (nor loaded).
    StarclassError
        Anything else (a baseline of :mod:`starclass.models.baselines` among them: it classifies
        catalogue columns with its own ``predict_proba``, not stamps).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.estimator import CNNClassifier
    >>> in_memory_model(CNNClassifier(get_preset("galaxy-cluster-compact")))
    Traceback (most recent call last):
    ...
    starclass.errors.NotFittedError: model: this CNNClassifier is not fitted; call fit() (or CNNClassifier.load) first
    """
    if isinstance(model, LoadedModel):
        return model
    inner = getattr(model, "model_", None)
    if isinstance(inner, LoadedModel):
        return inner
    kind = type(model).__name__
    if hasattr(model, "get_params") and hasattr(model, "fit"):
        if not [k for k in vars(model) if k.endswith("_") and not k.startswith("_")]:
            from starclass.errors import NotFittedError

            raise NotFittedError(f"{what}: this {kind} is not fitted; call fit() (or {kind}.load) first")
        raise StarclassError(f"{what}: a fitted {kind} is not a CNN model; classify its catalogue columns with its "
                             "own predict_proba (a baseline), or give a CNNClassifier or a model directory")
    raise StarclassError(f"{what}: expected a model directory, a member file, a LoadedModel or a fitted "
                         f"CNNClassifier, got {kind}")


def _on_device(loaded: LoadedModel, device: str | torch.device) -> LoadedModel:
    """``loaded``, or a copy of it whose networks are on ``device`` and in eval mode; ``loaded`` is not changed.

    ``net.to(device)`` moves a module in place: classifying with a notebook's fitted estimator on another
    device moved the estimator's own networks there (and set them to eval mode), until 2026-12-07.

    The copy is of the modules only: a weight or buffer already on ``device`` is shared with the caller's
    network, one elsewhere is copied straight to ``device``. Until a later fix that day every network was
    deep-copied whole and then moved, so a model on the GPU in training mode took twice its memory there just
    to be switched to eval mode, and a CPU model going to the GPU was first copied on the CPU. Shared
    tensors are safe here: eval mode changes no weight, and a batch norm in eval mode reads its running
    statistics without updating them; like ``loaded`` itself where it is ready, the copy then sees what
    the caller later does to its weights.
    """
    import copy
    import dataclasses

    import torch

    dev = torch.device(device)

    def there(t: torch.Tensor) -> bool:
        if t.device.type != dev.type:
            return False
        if dev.index is None:  # "cuda" names the current device; a tensor's is always indexed ("cuda:0")
            return dev.type != "cuda" or t.device.index == torch.cuda.current_device()
        return t.device.index == dev.index

    if all(not net.training and all(there(t) for t in [*net.parameters(), *net.buffers()])
           for net in loaded.members):
        return loaded
    def placed(t: torch.Tensor) -> torch.Tensor:
        if there(t):
            return t
        if isinstance(t, torch.nn.Parameter):
            return torch.nn.Parameter(t.detach().to(dev), requires_grad=t.requires_grad)
        return t.to(dev)

    members = []
    for net in loaded.members:
        # eval() on a shallow copy would set the ``training`` flags of the caller's own submodules, which a
        # shallow copy shares; deepcopy copies every module (and any attribute that refers to one, consistently)
        # while the memo hands it each weight and buffer as placed, so no tensor is copied twice and the copy
        # needs no .to(), which would move a shared Parameter in place (``param.data = ...``)
        memo = {id(t): placed(t) for t in [*net.parameters(), *net.buffers()]}
        members.append(copy.deepcopy(net, memo).eval())
    return dataclasses.replace(loaded, members=members)


def load_model(model_path: str | os.PathLike | LoadedModel | Any, device: str | torch.device = "cpu", *,
               check_calibration: bool = True) -> LoadedModel:
    """Load an ensemble directory, a manifest or one member file, and build its networks.

    Every member must share the first member's bands, classes and stamp geometry (the inputs
    are computed once per batch for all of them). A manifest's calibration entry is checked
    (:func:`calibration_digest`, the members' digests) and kept on the result;
    ``check_calibration=False`` skips it (for refitting a damaged one: ``starclass calibrate``).
    A model already in memory (a :class:`LoadedModel`, a fitted ``CNNClassifier``:
    :func:`in_memory_model`) is returned as it is where its networks are on ``device`` and in eval mode;
    otherwise as a copy whose networks are, the caller's left where and as they were.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> m = load_model(d)
    >>> type(m.members[0]).__name__, m.config.bands
    ('CompactNet', ['xray', 'optical'])
    >>> load_model(m) is m
    True
    """
    if not isinstance(model_path, (str, os.PathLike)):
        return _on_device(in_memory_model(model_path), device)

    paths = member_paths(model_path)
    ckpts = [load_checkpoint(p) for p in paths]
    _check_manifest(model_path, paths, ckpts)
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
    tuned = _manifest_threshold(model_path)
    if tuned is not None:
        # chosen on validation data after training (train --target-purity): the model's own threshold
        positive = config.positive_class if config.positive_class is not None else config.classes[0]
        config = config.copy(threshold=tuned, positive_class=positive)
    import torch

    members = []
    for p, c in zip(paths, ckpts):
        try:
            cfg = TaskConfig.from_dict(c["config"])
            # weights come from the checkpoint; the random initial ones are drawn from a forked generator,
            # so that classifying leaves a notebook's torch random sequence where it was
            with torch.random.fork_rng(devices=[]):
                net = build_model(cfg, member=c.get("member"), pretrained=False)
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
    calibration = _checked_calibration(model_path, ckpts) if check_calibration else None
    mp = Path(model_path)
    doc = read_manifest(mp) if (mp.is_dir() or mp.suffix == ".json") else None
    rows = doc.get("training_rows") if doc is not None else None
    from starclass.learn.provenance import recorded_flags
    if doc is None:
        why = SINGLE_FILE_NO_CALIBRATION
    elif isinstance(doc.get(NO_CALIBRATION), str):
        why = doc[NO_CALIBRATION]
    else:
        # models written before the reason was recorded (2026-12-02), or by other tools
        why = ("its manifest does not record why (trained without a validation split, or with one that lacked "
               "a class)")
    return LoadedModel(config=config, members=members, checkpoints=ckpts, paths=paths, calibration=calibration,
                       training_rows=rows if isinstance(rows, dict) else None,
                       no_calibration=None if doc is not None and doc.get("calibration") else why,
                       pixel_flags=recorded_flags(doc), training_cutouts=training_cutouts_of(doc),
                       training_label_column=training_label_column_of(doc),
                       training_group_column=training_group_column_of(doc),
                       # a manifest without the key (every older one) reads as false; anything but true/false is
                       # refused by read_manifest
                       fitted_on_inputs=doc is not None and manifest_bool(doc, (FITTED_ON_INPUTS,), mp),
                       tuned_threshold=dict(doc[TUNED_THRESHOLD]) if tuned is not None else None)


def _training_cutouts_column(doc: dict[str, Any] | None, key: str) -> str | None:
    # one reader for the column names set_training_cutouts records: a manifest edited by hand or
    # written before the key existed gives None rather than a number or an empty name
    rec = doc.get(TRAINING_CUTOUTS) if doc is not None else None
    col = rec.get(key) if isinstance(rec, dict) else None
    return col if isinstance(col, str) and col else None


def training_label_column_of(doc: dict[str, Any] | None) -> str | None:
    """The cutout CSV's label column a model was trained on (:func:`set_training_cutouts`), when recorded.

    Examples
    --------
    >>> training_label_column_of({"training_cutouts": {"height": 64, "width": 64, "channels": 1,
    ...                                                "label_column": "expert"}})
    'expert'
    >>> training_label_column_of({"training_cutouts": {"height": 64, "width": 64, "channels": 1}}) is None
    True
    """
    return _training_cutouts_column(doc, "label_column")


def training_group_column_of(doc: dict[str, Any] | None) -> str | None:
    """The cutout CSV's group (object) column a model was trained with (:func:`set_training_cutouts`), when recorded.

    Examples
    --------
    >>> training_group_column_of({"training_cutouts": {"height": 64, "width": 64, "channels": 1,
    ...                                                "group_column": "object_id"}})
    'object_id'
    >>> training_group_column_of({"training_cutouts": {"height": 64, "width": 64, "channels": 1}}) is None
    True
    """
    return _training_cutouts_column(doc, "group_column")


def training_cutouts_of(doc: dict[str, Any] | None) -> dict[str, int] | None:
    """The manifest's record of the training cutouts' size (:func:`set_training_cutouts`), when readable.

    Examples
    --------
    >>> training_cutouts_of({"training_cutouts": {"height": 64, "width": 64, "channels": 1}})
    {'height': 64, 'width': 64, 'channels': 1}
    >>> training_cutouts_of({}) is None
    True
    """
    rec = doc.get(TRAINING_CUTOUTS) if doc is not None else None
    try:
        out = {k: int(rec[k]) for k in ("height", "width", "channels")} if isinstance(rec, dict) else None
    except (KeyError, TypeError, ValueError):
        return None  # an edited record only loses the size check, not the model
    try:
        field_arcsec = float(rec["field_arcsec"]) if out is not None and "field_arcsec" in rec else None
    except (TypeError, ValueError):
        field_arcsec = None
    if field_arcsec is not None and math.isfinite(field_arcsec) and field_arcsec > 0:
        out["field_arcsec"] = field_arcsec  # the training cutouts' field from their FITS WCS
    return out


def _checked_calibration(model_path: str | os.PathLike, ckpts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The manifest's calibration entry, refused when edited or fitted for other weights."""
    p = Path(model_path)
    if not (p.is_dir() or p.suffix == ".json"):
        return None
    cal = read_manifest(p).get("calibration")
    if cal is None:
        return None
    refit = "refit it with 'starclass calibrate' (--overwrite)"
    if not isinstance(cal, dict) or cal.get("digest") != calibration_digest(cal):
        raise StarclassError(f"model {model_word(p)}: the calibration entry of {MANIFEST} does not match its digest "
                             f"(edited or "
                             f"damaged); {refit}")
    if list(cal.get("member_digests", [])) != [c.get("digest") for c in ckpts]:
        raise StarclassError(f"model {model_word(p)}: the calibration was fitted with other member weights than the "
                             f"files "
                             f"there now; {refit}")
    if list(cal.get("classes", [])) != [int(c) for c in ckpts[0]["classes"]]:
        raise StarclassError(f"model {model_word(p)}: the calibration's classes {cal.get('classes')} differ from "
                             f"the model's "
                             f"{ckpts[0]['classes']}; {refit}")
    return cal


def _manifest_threshold(model_path: str | os.PathLike) -> float | None:
    """The tuned threshold of a model directory's manifest, or None (none stored, or a member file)."""
    p = Path(model_path)
    if not (p.is_dir() or p.suffix == ".json"):
        return None
    info = read_manifest(p).get(TUNED_THRESHOLD)
    return None if not isinstance(info, dict) or info.get("threshold") is None else float(info["threshold"])


def _check_manifest(model_path: str | os.PathLike, paths: list[Path], ckpts: list[dict[str, Any]]) -> None:
    """Refuse an ensemble whose manifest disagrees with its members (classes, bands, architecture).

    A single member file has no manifest and nothing to check.
    """
    p = Path(model_path)
    if not (p.is_dir() or p.suffix == ".json"):
        return
    doc = read_manifest(p)
    cfg = doc.get("config") if isinstance(doc.get("config"), dict) else {}
    for path, ckpt, entry in zip(paths, ckpts, doc["members"]):
        for key in ("classes", "bands"):
            # a hand-edited manifest's "bands": 5 is no list: list(5) was a TypeError traceback
            if key in cfg and (not isinstance(cfg[key], (list, tuple)) or list(cfg[key]) != list(ckpt[key])):
                raise StarclassError(
                    f"ensemble {p}: the manifest says {key} {cfg[key]!r} but member {path.name} has "
                    f"{ckpt[key]!r}"
                )
        if "architecture" in entry and entry["architecture"] != ckpt.get("architecture"):
            raise StarclassError(
                f"ensemble {p}: the manifest says member {path.name} is a {entry['architecture']!r} but "
                f"the file holds a {ckpt.get('architecture')!r}"
            )


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
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: _plain_keep_tensors(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain_keep_tensors(v) for v in obj)
    return obj
