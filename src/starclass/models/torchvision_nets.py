"""torchvision ResNets, VGGs and MobileNets behind the starclass interface.

ResNet-18/50/101, VGG16, VGG19-BN, MobileNetV2 and MobileNetV3 small/large (the galaxy-cluster
paper, Kosiba et al. 2020 of seed 004, compares its custom network with a MobileNet).

Each network is wrapped by :class:`TorchvisionNet`, which adds

* a **band adapter** (option ``adapter``): ``"conv1x1"`` puts a learned 1x1 convolution from
  the stamp's C channels to the 3 channels ImageNet networks expect (initialised to the mean
  of the bands in every output channel, so a single X-ray band starts replicated three
  times, as in the cool-core study of seed 004); ``"widen"`` replaces the first convolution
  by one with C input channels (ImageNet filters, when loaded, are averaged over RGB and
  spread over the C bands); ``"none"`` requires C = 3 (RGB stamps);
* **resampling** of the input to ``config.input_size`` inside ``forward`` (M31: 56 px to
  224 px; PHANGS: 299 px to 224 px);
* **frozen layers** (option ``frozen_layers``): the first k convolutions of the body (and
  the batch-norm layers that follow them) get ``requires_grad=False`` and their batch-norm
  statistics stay fixed in training mode. VGG16 in seed 003 freezes "10 layers" of a Keras
  VGG16; Keras counts the input and pooling layers, so that is the first 7 convolutions,
  while the issue asks for 10 convolutions: ``open-globular`` uses 10; set 7 for the Keras
  reading. **Layers are frozen only over pretrained weights**: freezing random filters
  would fix the network's first layers at noise (transfer learning without anything to
  transfer). When no ImageNet weights are found, a warning says that training starts from
  scratch and that nothing is frozen; the request is kept in ``frozen_requested`` so that
  :meth:`TorchvisionNet.freeze` can apply it once trained weights are loaded (fine-tuning
  from a model trained on simulated data, ``train --init-from``);
* **ImageNet weights only from disk** (option ``pretrained``): a path to a state dict, or
  ``"auto"`` to use the torchvision checkpoint file when it is already in the torch hub
  cache (``torch.hub.get_dir()/checkpoints``), or ``None``/``False`` for random
  initialisation. Nothing is ever downloaded: the torchvision constructors are called with
  ``weights=None`` and the state dict is loaded here. The module records what happened in
  ``weights_source`` (``"scratch"`` or ``"imagenet:<path>"``) and logs it. ``"checkpoint"``
  means the weights will come from a starclass checkpoint (``classify``): nothing is loaded,
  layers are frozen as asked and no warning is given.
"""

from __future__ import annotations

import contextvars
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from starclass.errors import StarclassError, counted, torch_load_reason
from starclass.io.task_like import TaskLike
from starclass.models._common import check_input, resize_input
from starclass.models.registry import MIN_INPUT, check_min_input, register

log = logging.getLogger("starclass.models")

#: torchvision constructor name and the file names of its ImageNet checkpoints (as torchvision
#: caches them under ``torch.hub.get_dir()/checkpoints``).
CHECKPOINT_FILES: dict[str, tuple[str, ...]] = {
    "resnet18": ("resnet18-f37072fd.pth",),
    "resnet50": ("resnet50-11ad3fa6.pth", "resnet50-0676ba61.pth"),
    "resnet101": ("resnet101-63fe2227.pth", "resnet101-cd907fc2.pth"),
    "vgg16": ("vgg16-397923af.pth",),
    "vgg19_bn": ("vgg19_bn-c79401a0.pth",),
    # torchvision's IMAGENET1K_V2 file first (its DEFAULT weights), then IMAGENET1K_V1
    "mobilenet_v2": ("mobilenet_v2-7ebf99e0.pth", "mobilenet_v2-b0353104.pth"),
    "mobilenet_v3_small": ("mobilenet_v3_small-047dcff4.pth",),
    "mobilenet_v3_large": ("mobilenet_v3_large-5c1a4163.pth", "mobilenet_v3_large-8738ca79.pth"),
}

ADAPTERS = ("conv1x1", "widen", "none")

#: Smallest network input of the VGGs (px): five 2x2 max-poolings need 32 px to leave 1.
VGG_MIN_INPUT = MIN_INPUT["vgg16"]

#: End of the training note of a member whose frozen layers were not frozen (no weights).
NOT_FROZEN_NOTE = "asked to be frozen were NOT frozen"

# True while a caller (`starclass train`) has already told the user that no pretrained weights
# were found and nothing is frozen: the networks then log it at INFO instead of warning again
_ANNOUNCED: contextvars.ContextVar[bool] = contextvars.ContextVar("starclass_no_weights_announced",
                                                                  default=False)


@contextmanager
def no_weights_announced(active: bool = True) -> Iterator[None]:
    """Within this block the missing-weights warning has been given: networks do not repeat it.

    ``starclass train`` warns once, before any training (:func:`frozen_over_random`); each VGG16
    built afterwards logged the same warning and each member's training note repeated it, three
    times for one network and more for an ensemble.

    Parameters
    ----------
    active : bool
        False: a no-op (nothing was announced).

    Examples
    --------
    >>> with no_weights_announced():
    ...     no_weights_were_announced()
    True
    >>> no_weights_were_announced()
    False
    """
    token = _ANNOUNCED.set(bool(active))
    try:
        yield
    finally:
        _ANNOUNCED.reset(token)


def no_weights_were_announced() -> bool:
    """Whether the caller has already said that no pretrained weights were found (see above).

    Examples
    --------
    >>> no_weights_were_announced()
    False
    >>> with no_weights_announced():
    ...     no_weights_were_announced()
    True
    """
    return _ANNOUNCED.get()


def _constructor(arch: str):
    # torchvision.models adds 2.0 s (measured): only the torchvision architectures need it
    import torchvision.models as tvm

    return getattr(tvm, arch)


def find_cached_weights(arch: str) -> Path | None:
    """The ImageNet checkpoint of ``arch`` in the torch hub cache, if present (no download).

    Examples
    --------
    Looks in the torch hub cache only (here an empty one, then one holding a ResNet-18 file):

    >>> import tempfile
    >>> old = torch.hub.get_dir()
    >>> hub = Path(tempfile.mkdtemp())
    >>> torch.hub.set_dir(str(hub))
    >>> find_cached_weights("resnet18") is None
    True
    >>> (hub / "checkpoints").mkdir()
    >>> (hub / "checkpoints" / "resnet18-f37072fd.pth").touch()
    >>> find_cached_weights("resnet18").name
    'resnet18-f37072fd.pth'
    >>> torch.hub.set_dir(old)
    """
    ckdir = Path(torch.hub.get_dir()) / "checkpoints"
    for name in CHECKPOINT_FILES.get(arch, ()):
        p = ckdir / name
        if p.is_file():
            return p
    if ckdir.is_dir():
        for p in sorted(ckdir.glob(f"{arch}-*.pth")):
            return p
    return None


def _read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        # torch's own message advised weights_only=False ("will likely succeed") for a damaged file
        raise StarclassError(
            f"ImageNet weights {path}: cannot be read as a torch state dict (damaged, truncated or not a "
            f"torchvision checkpoint; replace or remove the file): {torch_load_reason(exc)}") from None
    if isinstance(obj, dict):
        for key in ("state_dict", "model", "model_state_dict"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise StarclassError(f"ImageNet weights {path}: not a state dict of tensors")
    return {k[7:] if k.startswith("module.") else k: v for k, v in obj.items()}


def _head_index(arch: str) -> int:
    """Index of the last linear layer (the ImageNet head) in a VGG's or MobileNet's ``classifier``.

    Examples
    --------
    >>> _head_index("vgg16"), _head_index("mobilenet_v2"), _head_index("mobilenet_v3_small")
    (6, 1, 3)
    """
    # MobileNetV2: Dropout, Linear; MobileNetV3: Linear, Hardswish, Dropout, Linear; VGG: 7 layers
    return {"mobilenet_v2": 1, "mobilenet_v3_small": 3, "mobilenet_v3_large": 3}.get(arch, 6)


def _head_keys(arch: str) -> tuple[str, ...]:
    return ("fc.",) if arch.startswith("resnet") else (f"classifier.{_head_index(arch)}.",)


#: Batch-norm buffer that PyTorch added in 0.4.1 (2018): torchvision's ImageNet files saved before
#: then (``vgg19_bn-c79401a0.pth``, ``resnet18-5c106cde.pth``) do not hold it, and torch's own
#: ``load_state_dict`` fills it in for them.
_BN_COUNTER = "num_batches_tracked"


def _fitted_state(arch: str, path: Path, state: dict[str, torch.Tensor],
                  own: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The weights of ``state`` for the torchvision body ``own``, refusing a file of another network.

    The classification head (``fc`` of a ResNet, ``classifier.6`` of a VGG, ``classifier.1`` of a
    MobileNetV2, ``classifier.3`` of a MobileNetV3) is replaced by the
    task's own, so a file whose head has another number of outputs (a network fine-tuned on other
    classes) or none (a feature extractor) gives its body all the same; the body keeps the fresh
    head. A batch-norm counter (``num_batches_tracked``) missing from a file saved by PyTorch
    before 0.4.1 is taken from the fresh network, as torch's ``load_state_dict`` does; both were
    refused as "do not fit" until 2026-12-05.

    Examples
    --------
    A ResNet-18 file saved without its batch-norm counters and with a 10-class head:

    >>> import torchvision
    >>> own = torchvision.models.resnet18(weights=None).state_dict()
    >>> old = {k: v for k, v in own.items() if not k.endswith("num_batches_tracked")}
    >>> old["fc.weight"], old["fc.bias"] = torch.zeros(10, 512), torch.zeros(10)
    >>> fitted = _fitted_state("resnet18", Path("old.pth"), old, own)
    >>> sorted(fitted) == sorted(own), fitted["fc.weight"].shape
    (True, torch.Size([1000, 512]))
    """
    head = _head_keys(arch)
    body = [k for k in own if not k.startswith(head)]
    missing = [k for k in body if k not in state and not k.endswith(_BN_COUNTER)]
    bad_shape = [k for k in body if k in state and state[k].shape != own[k].shape]
    if missing and any(k.startswith("body.") for k in state):
        # a member file of a trained starclass model: its network sits under "body." beside the band adapter
        raise StarclassError(
            f"ImageNet weights {path}: a starclass model's member file, not torchvision {arch} weights; to start "
            "from a trained model give its folder to 'starclass train --init-from' (arch_options.pretrained "
            "takes torchvision's ImageNet files)")
    if missing or bad_shape:
        # only the parts that apply: "missing [], wrong shape [...]" read as if something were missing
        parts = [f"{counted(len(missing), 'weight')} missing, e.g. {missing[:3]}" if missing else "",
                 f"{len(bad_shape)} of another shape, e.g. "
                 + ", ".join(f"{k} {tuple(state[k].shape)} where {arch} has {tuple(own[k].shape)}"
                             for k in bad_shape[:2]) if bad_shape else ""]
        raise StarclassError(
            f"ImageNet weights {path}: do not fit torchvision {arch} ({'; '.join(p for p in parts if p)}): "
            f"a file of another network; give {arch}'s own ({CHECKPOINT_FILES[arch][0]}), or remove it"
        )
    return {k: state[k] if k in body and k in state else own[k] for k in own}


def resolve_weights(arch: str, pretrained: Any) -> Path | None:
    """The ImageNet weight file a network would load, or None (random initialisation).

    Parameters
    ----------
    arch : str
        torchvision constructor name (``"vgg16"``).
    pretrained : str, path, bool or None
        As the ``pretrained`` option of :class:`TorchvisionNet` (``"auto"``: the torch hub
        cache when the file is there; a path: that file; None/False/"none": nothing).

    Returns
    -------
    pathlib.Path or None
        None when nothing would be loaded, so training starts from scratch.

    Raises
    ------
    StarclassError
        A path was given and no such file exists (nothing is downloaded).

    Examples
    --------
    >>> resolve_weights("vgg16", None) is None
    True
    """
    no_weights = isinstance(pretrained, str) and pretrained.lower() in ("none", "", "checkpoint")
    if pretrained is None or pretrained is False or no_weights:
        return None
    if pretrained is True or (isinstance(pretrained, str) and pretrained.lower() == "auto"):
        return find_cached_weights(arch)
    p = Path(os.fspath(pretrained)).expanduser()
    if not p.is_file():
        raise StarclassError(f"{arch}: pretrained weights file {p} does not exist (nothing is downloaded)")
    return p


#: Task family (``toy_kind``) -> ``starclass simulate --preset`` that poses the same problem,
#: for the pretraining offer made when no pretrained weights exist.
SIMULATE_PRESET_OF_KIND = {"rgb": "open-globular", "xray_optical": "galaxy-cluster", "coolcore": "cool-core",
                           "ground2": "m31", "hst4": "hst"}

#: ``simulate`` presets that write a labelled cutout folder (``--n``, ``labels.csv``); the others
#: write a field (``--n-candidates``, one FITS per band and ``truth.ecsv``).
_CUTOUT_SIMULATORS = ("open-globular", "galaxy-cluster", "cool-core", "pandas-cutouts")


#: Task family (``toy_kind``) -> what its simulator writes: the task preset it poses, that preset's bands and the
#: reference classes of its labels (None: label strings, whose classes are the task file's choice). Kept here,
#: beside SIMULATE_PRESET_OF_KIND, since models does not import learn (its presets);
#: tests/test_pretraining_offer_task_file.py checks it against the presets.
SIMULATED_TASK_OF_KIND: dict[str, tuple[str, tuple[str, ...], tuple[int, ...] | None]] = {
    "rgb": ("open-globular", ("r", "g", "b"), (1, 2)),
    "xray_optical": ("galaxy-cluster", ("xray", "optical"), (1, 2)),
    "coolcore": ("cool-core", ("xray",), (1, 2, 3)),
    "ground2": ("m31-binary", ("g", "i"), (1, 2, 3, 4)),
    "hst4": ("legus4", ("f275w", "f336w", "f438w", "f555w", "f814w"), (1, 2, 3, 4)),
    "pandas-cutouts": ("m31-real", ("g",), None),
}


def _task_ref(config: TaskLike, task: str | None) -> str:
    """How the offered commands name the task: as typed to ``--task``, else a preset's name, else a placeholder.

    A task read from a file is named after the file's ``name:``, which ``--task`` does not take (it
    takes a preset or a file): the offer said ``--task xray5`` for ``--task five.yaml``.
    """
    import shlex

    if task:
        return shlex.quote(str(task))
    return config.name if getattr(config, "preset_name", None) else "<your task file>"


#: Task family (``toy_kind``) -> the other label columns its simulator writes beside ``label``, with their
#: classes: the galaxy-cluster simulator's ``expert`` holds the experts' five kinds
#: (``starclass.simulate.xray_candidates.EXPERT_CLASSES``; the ``galaxy-cluster-experts`` preset).
SIMULATED_LABEL_COLUMNS_OF_KIND: dict[str, dict[str, tuple[int, ...]]] = {"xray_optical": {"expert": (1, 2, 3, 4, 5)}}


def _absent_classes(config: TaskLike, refs: tuple[int, ...]) -> list:
    """The task's classes that labels ``refs`` (through the task's merge) never give."""
    given = {int(c) for c in np.asarray(config.map_classes(list(refs))).tolist() if int(c) >= 0}
    return [c for c in config.classes if int(c) not in given]


def _simulator_misfit(config: TaskLike, preset: str) -> tuple[str, str | None]:
    """Why simulator ``preset`` cannot pose this task (bands or classes it does not write), and the label column.

    Returns ``(misfit, column)``: ``misfit`` empty where the simulator can pose the task, and ``column`` the
    simulator's column other than ``label`` that holds the task's classes (``expert`` for a five-class
    galaxy-cluster task), else None.

    A task file that extends a preset inherits its ``toy_kind``, and so the offer of its simulator,
    while changing the bands (``extends: phangs4`` with ``bands: [xray]``: an HST field offered) or
    adding classes (``extends: cool-core`` with classes 1-5: labels 1-3 simulated); the commands
    offered then fail, or pretrain a network on other inputs. A task of the galaxy-cluster experts' five
    kinds was told the simulator gives it "no class 3, 4, 5", which it writes in ``expert``.
    """
    kind = "pandas-cutouts" if preset == "pandas-cutouts" else (getattr(config, "toy_kind", None) or "")
    if kind not in SIMULATED_TASK_OF_KIND:
        return "", None
    base, bands, refs = SIMULATED_TASK_OF_KIND[kind]
    other = [b for b in config.bands if b not in bands]
    if other:
        return (f"the {preset} simulator writes the bands of {base} ({', '.join(bands)}), not "
                f"{', '.join(other)} of task {config.name!r}"), None
    if refs is None or getattr(config, "label_map", None):
        return "", None  # label strings: their classes are the task file's choice
    absent = _absent_classes(config, refs)
    if not absent:
        return "", None
    for column, classes in SIMULATED_LABEL_COLUMNS_OF_KIND.get(kind, {}).items():
        # only where the column holds no label the task lacks: train refuses labels outside the task's classes
        mapped = np.asarray(config.map_classes(list(classes))).tolist()
        if not _absent_classes(config, classes) and min(int(c) for c in mapped) >= 0:
            return "", column
    return (f"the {preset} simulator labels the classes of {base} ({', '.join(map(str, refs))}), which "
            f"give task {config.name!r} no class {', '.join(map(str, absent))}"), None


def pretraining_offer(config: TaskLike, task: str | None = None) -> str:
    """The substitute for missing ImageNet weights, as commands: pretrain on simulated data, fine-tune.

    Pretraining on a larger simulated sample of the task itself (another seed) and fine-tuning
    on the labelled set with ``--init-from`` is what this project can offer offline; the gain
    over training from scratch is measured in ``docs/seeds.md`` ("Pretraining on simulated
    data"). A task trained on mosaics (``m31-binary``, ``phangs4``) is offered a simulated field
    and its truth catalogue; a task of labelled cutouts one of the cutout simulators (a ground-based
    task with a ``label_map`` from label strings, as ``m31-real``, the PAndAS-like cutouts).

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task.
    task : str or None
        What was given to ``--task`` (a preset or a task file), used in the commands; None: the
        preset's name, or ``<your task file>`` for a task that is no preset.

    Returns
    -------
    str
        One sentence with the three commands; for a task whose bands or classes the simulator does
        not write, a sentence saying so instead (its commands would fail, or pretrain on other inputs).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> "--init-from" in pretraining_offer(get_preset("cool-core"))
    True
    >>> "--n-candidates 2000" in pretraining_offer(get_preset("m31-binary"))
    True
    >>> five = get_preset("cool-core").copy(name="xray5", classes=[1, 2, 3, 4, 5], class_names=list("abcde"))
    >>> print(pretraining_offer(five, "five.yaml"))  # doctest: +NORMALIZE_WHITESPACE
    no simulated substitute offered: the cool-core simulator labels the classes of cool-core (1, 2, 3), which
    give task 'xray5' no class 4, 5; pretrain on simulated data of your own with every class of the task
    (`starclass train --task five.yaml --stamps SIM/labels.csv -o pretrained`, then `starclass train --task
    five.yaml ... --init-from pretrained`), or train from scratch (docs/seeds.md, 'Pretraining on simulated data')
    """
    name = _task_ref(config, task)
    preset = SIMULATE_PRESET_OF_KIND.get(getattr(config, "toy_kind", None) or "", None)
    if preset == "m31" and getattr(config, "label_map", None):
        # a ground-based task read from label strings is the real PAndAS cutouts' (m31-real): its
        # simulator writes such a folder; the m31 field preset writes mosaics and has no --n
        preset = "pandas-cutouts"
    misfit, column = _simulator_misfit(config, preset) if preset is not None else ("", None)
    if misfit:
        what = "every band" if " bands " in misfit else "every class"
        return (f"no simulated substitute offered: {misfit}; pretrain on simulated data of your own with {what} "
                f"of the task (`starclass train --task {name} --stamps SIM/labels.csv -o pretrained`, then "
                f"`starclass train --task {name} ... --init-from pretrained`), or train from scratch "
                "(docs/seeds.md, 'Pretraining on simulated data')")
    if preset is None:
        sim = "starclass simulate sim_pre --preset <the task's simulator> --seed 7"
        data = "<the simulated data>"
    elif preset in _CUTOUT_SIMULATORS:
        sim = f"starclass simulate sim_pre --preset {preset} --n 2000 --seed 7"
        data = "--stamps sim_pre/labels.csv" + (f" --label-column {column}" if column else "")
    else:
        # a field preset: --n is refused there, and it writes mosaics and truth.ecsv, no labels.csv
        sim = f"starclass simulate sim_pre --preset {preset} --n-candidates 2000 --seed 7"
        data = "--mosaics sim_pre --catalog sim_pre/truth.ecsv"
    return (f"substitute offered: pretrain on simulated data of the task and fine-tune, "
            f"`{sim}`, `starclass train --task {name} {data} -o pretrained`, then "
            f"`starclass train --task {name} ... --init-from pretrained` (docs/seeds.md, 'Pretraining on "
            f"simulated data')")


def _members_by_network(config: TaskLike, skip: Any = ()) -> list[tuple[str, dict, list[int]]]:
    """The task's members grouped by architecture and options: ``(arch, options, 1-based numbers)``.

    An ensemble of ten ResNet18s with the same options lacks the same weights ten times: one
    message for the ten (phangs4 printed twenty notes, one per member). Members whose 0-based
    index is in ``skip`` are left out.
    """
    groups: dict[tuple[str, str], tuple[str, dict, list[int]]] = {}
    for m in config.members():
        if m["index"] in skip:
            continue
        key = (m["architecture"], repr(sorted(m["arch_options"].items(), key=lambda kv: kv[0])))
        groups.setdefault(key, (m["architecture"], dict(m["arch_options"]), []))[2].append(m["index"] + 1)
    return list(groups.values())


def _which_members(arch: str, numbers: list[int]) -> str:
    """``member 1 (vgg16)``, ``members 1-10 (resnet18)`` or ``members 1, 3 (resnet18)``."""
    if len(numbers) == 1:
        return f"member {numbers[0]} ({arch})"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"members {numbers[0]}-{numbers[-1]} ({arch})"
    return f"members {', '.join(map(str, numbers))} ({arch})"


#: What :func:`frozen_over_random` and :func:`missing_pretrained` are told of a finished member a resumed
#: run keeps (``resumed={0: KEPT}``): nothing of it is trained, so no weights file is read.
KEPT = "kept"


def _resumed_split(resumed: Any) -> tuple[set[int], dict[int, str]]:
    """Members a resume does not build from the weights now: ``(silent, from_scratch)`` of ``resumed``.

    ``silent``: finished members (:data:`KEPT`) and interrupted runs that started over ImageNet weights
    (their checkpoint's weights replace them, frozen as then, no file read); ``from_scratch``: interrupted
    runs that started without weights, which go on so (index -> the record). Members whose checkpoint did
    not record its start (None, older code) are in neither: they are built from the weights now.
    """
    silent: set[int] = set()
    scratch: dict[int, str] = {}
    for index, record in (resumed or {}).items():
        if record is None:
            continue
        record = str(record)
        if record == KEPT or record.startswith(("imagenet:", "model:")):
            silent.add(int(index))
        else:
            scratch[int(index)] = record
    return silent, scratch


def _found_now(arch: str, wanted: Any) -> Path | None:
    """The weights file a fresh start would load now; None when none (a path given that is gone included)."""
    try:
        return resolve_weights(arch, wanted)
    except StarclassError:
        return None


def _resumed_scratch_notes(config: TaskLike, scratch: dict[int, str], frozen: bool) -> list[str]:
    """Words for the interrupted runs in ``scratch`` that started FROM SCRATCH and go on so.

    ``frozen``: those asked for frozen layers (:func:`frozen_over_random`), else those asked for ImageNet
    weights without (:func:`missing_pretrained`), as the two functions split fresh starts.
    """
    out = []
    for arch, opts, numbers in _members_by_network(config):
        numbers = [n for n in numbers if n - 1 in scratch]
        k = int(opts.get("frozen_layers", 0) or 0)
        wanted = opts.get("pretrained", "auto")
        asks = wanted is True or (isinstance(wanted, str) and wanted.lower() == "auto")
        if not numbers or arch not in CHECKPOINT_FILES or (not k if frozen else (k or not asks)):
            continue
        now = _found_now(arch, wanted)
        # the way to use the weights there now: a resume keeps the start the run had
        again = f"; --overwrite starts afresh over the weights found now ({now})" if now is not None else ""
        head = (f"{_which_members(arch, numbers)}: the interrupted run resumed here started FROM SCRATCH "
                "(no pretrained weights were found then) and goes on so")
        out.append(f"{head}: the {counted(k, 'layer')} asked to be frozen {'is' if k == 1 else 'are'} NOT "
                   f"frozen{again}" if frozen else head + again)
    return out


def missing_pretrained(config: TaskLike, init_from: Any = None, task: str | None = None, *,
                       resumed: dict[int, str | None] | None = None) -> list[str]:
    """Notes for the torchvision members that would load ImageNet weights but find none (nothing frozen).

    :func:`frozen_over_random` covers members that also ask for frozen layers; this covers the
    others (e.g. ``cool-core``'s ResNet-18 with ``pretrained: auto``), which silently train
    from scratch otherwise. Members of one architecture share one note.

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task (with the ensemble size that will be trained).
    init_from : path or None
        A model to fine-tune from: its weights stand in, so no note.
    task : str or None
        What was given to ``--task``, named in the commands offered (:func:`pretraining_offer`).
    resumed : dict of int to str or None, optional
        Members a resumed run does not start afresh (0-based index), with what their checkpoint
        records they started from (``init_weights``): :data:`KEPT` for a finished member (nothing
        trained, no file read), ``"imagenet:<path>"`` for one that goes on over the weights it had
        (no file read: nothing to say), ``"scratch"`` for one that goes on from scratch (said so, as
        such), None for a checkpoint that did not record it (checked as a fresh start).

    Returns
    -------
    list of str
        One note per architecture concerned, each with :func:`pretraining_offer`.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> missing_pretrained(get_preset("cool-core", arch_options={"pretrained": None}))
    []
    """
    out: list[str] = []
    if init_from is not None:
        return out
    silent, scratch = _resumed_split(resumed)
    # a resumed member is built as its run started, not from the weights now (MemberTrainer.setup)
    out += _resumed_scratch_notes(config, scratch, frozen=False)
    for arch, opts, numbers in _members_by_network(config, skip=silent | set(scratch)):
        wanted = opts.get("pretrained", "auto")
        asks = wanted is True or (isinstance(wanted, str) and wanted.lower() == "auto")
        if (arch in CHECKPOINT_FILES and asks and not int(opts.get("frozen_layers", 0) or 0)
                and resolve_weights(arch, wanted) is None):
            out.append(f"{_which_members(arch, numbers)}: no pretrained (ImageNet) weights found "
                       f"({CHECKPOINT_FILES[arch][0]} is not in "
                       f"{Path(torch.hub.get_dir()) / 'checkpoints'}), so "
                       f"{'it trains' if len(numbers) == 1 else 'they train'} FROM SCRATCH; "
                       + pretraining_offer(config, task))
    return out


def frozen_over_random(config: TaskLike, init_from: Any = None, task: str | None = None, *,
                       resumed: dict[int, str | None] | None = None) -> list[str]:
    """Warnings for the members of a task that ask for frozen layers but would get no weights.

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task (its members' ``arch_options``, with the ensemble size that will be trained).
    init_from : path or None
        A model to fine-tune from: its weights make freezing meaningful, so no warning.
    task : str or None
        What was given to ``--task``, named in the commands offered (:func:`pretraining_offer`).
    resumed : dict of int to str or None, optional
        Members a resumed run does not start afresh (0-based index), with what their checkpoint
        records they started from (``init_weights``): :data:`KEPT` for a finished member (nothing
        trained, no file read), ``"imagenet:<path>"`` for one that goes on over the weights it had
        (no file read: nothing to say), ``"scratch"`` for one that goes on from scratch (said so, as
        such), None for a checkpoint that did not record it (checked as a fresh start).

    Returns
    -------
    list of str
        One message per architecture concerned (empty: nothing to say).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("open-globular", arch_options={"frozen_layers": 10, "pretrained": None})
    >>> frozen_over_random(cfg)[0].split(":")[0]
    'member 1 (vgg16)'
    """
    out: list[str] = []
    if init_from is not None:
        return out
    silent, scratch = _resumed_split(resumed)
    # a resumed member is built as its run started, not from the weights now (MemberTrainer.setup): a
    # path given that is gone since, or cached weights removed since, change nothing for it
    out += _resumed_scratch_notes(config, scratch, frozen=True)
    for arch, opts, numbers in _members_by_network(config, skip=silent | set(scratch)):
        k = int(opts.get("frozen_layers", 0) or 0)
        if arch in CHECKPOINT_FILES and k and resolve_weights(arch, opts.get("pretrained", "auto")) is None:
            where = Path(torch.hub.get_dir()) / "checkpoints"
            out.append(f"{_which_members(arch, numbers)}: no pretrained weights found "
                       f"({CHECKPOINT_FILES[arch][0]} is not in {where} "
                       f"and no file was given), so training starts FROM SCRATCH and the {counted(k, 'layer')} asked "
                       f"to be frozen {'is' if k == 1 else 'are'} NOT frozen; " + pretraining_offer(config, task))
    return out


class TorchvisionNet(nn.Module):
    """A torchvision classifier with band adapter, resampling and frozen layers.

    Parameters
    ----------
    arch : {"resnet18", "resnet50", "resnet101", "vgg16", "vgg19_bn", "mobilenet_v2", \
            "mobilenet_v3_small", "mobilenet_v3_large"}
        torchvision constructor.
    in_channels, n_classes : int
        Stamp channels and outputs.
    adapter : {"conv1x1", "widen", "none"}
        How C channels become what the network takes (see the module docstring).
    input_size : int or None
        Resample inputs to this size inside ``forward``.
    frozen_layers : int
        Number of leading convolutions of the body to freeze.
    pretrained : str, path, bool or None
        ``"auto"``: the torch hub cache when present; a path: that file (must exist);
        None/False/"none": random initialisation; ``"checkpoint"``: random now, replaced by
        a checkpoint's state dict by the caller (no warning, layers frozen as asked).
    dropout : float or None
        ResNets: dropout before the last layer (0: none). VGGs and MobileNets: the dropout of
        the classifier (torchvision's defaults when None: 0.5 for the VGGs, 0.2 for the
        MobileNets; the galaxy-cluster paper's MobileNet has 0.65 before its dense layer).

    Examples
    --------
    A ResNet-18 with random weights taking five-band stamps (a 1x1 convolution makes them three):

    >>> net = TorchvisionNet("resnet18", 5, 4, pretrained=None).eval()
    >>> net(torch.zeros(2, 5, 32, 32)).shape
    torch.Size([2, 4])
    >>> TorchvisionNet("resnet18", 5, 4, adapter="none", pretrained=None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: resnet18: adapter='none' needs 3 input channels (RGB stamps), the task gives 5; ...
    """

    def __init__(
        self,
        arch: str,
        in_channels: int,
        n_classes: int,
        adapter: str = "conv1x1",
        input_size: int | None = None,
        frozen_layers: int = 0,
        pretrained: Any = "auto",
        dropout: float | None = None,
    ):
        super().__init__()
        if arch not in CHECKPOINT_FILES:
            raise StarclassError(f"unknown torchvision architecture {arch!r}; known: {list(CHECKPOINT_FILES)}")
        if adapter not in ADAPTERS:
            raise StarclassError(f"{arch}: adapter={adapter!r}; use one of {ADAPTERS}")
        if adapter == "none" and in_channels != 3:
            raise StarclassError(
                f"{arch}: adapter='none' needs 3 input channels (RGB stamps), the task gives {in_channels}; "
                "use adapter='conv1x1' or 'widen'"
            )
        self.arch = arch
        self.in_channels = in_channels
        self.input_size = input_size
        self.adapter_mode = adapter
        kwargs: dict[str, Any] = {"weights": None}
        if arch.startswith(("vgg", "mobilenet")) and dropout is not None:
            kwargs["dropout"] = float(dropout)
        body = _constructor(arch)(**kwargs)  # weights=None: never downloads

        # --- ImageNet weights, from disk only
        from_checkpoint = isinstance(pretrained, str) and pretrained.lower() == "checkpoint"
        path = None if from_checkpoint else resolve_weights(arch, pretrained)
        if path is not None:
            body.load_state_dict(_fitted_state(arch, path, _read_state_dict(path), body.state_dict()))
            self.weights_source = f"imagenet:{path}"
            log.info("%s: ImageNet weights loaded from %s", arch, path)
        elif from_checkpoint:
            # replaced by a saved model's weights (classify, --init-from / --resume-from): not from scratch
            self.weights_source = "scratch"
            log.debug("%s: weights to come from a starclass checkpoint", arch)
        else:
            self.weights_source = "scratch"
            log.info("%s: no ImageNet weights used; training from scratch (random init)", arch)

        # --- band adapter
        if adapter == "conv1x1":
            self.adapter: nn.Module = nn.Conv2d(in_channels, 3, kernel_size=1, bias=True)
            with torch.no_grad():
                self.adapter.weight.fill_(1.0 / in_channels)
                self.adapter.weight.add_(0.01 * torch.randn_like(self.adapter.weight))
                self.adapter.bias.zero_()
        else:
            self.adapter = nn.Identity()
            if adapter == "widen" and in_channels != 3:
                self._widen_first_conv(body, in_channels)

        # --- new head
        if arch.startswith("resnet"):
            feat = body.fc.in_features
            body.fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(feat, n_classes)) if dropout else nn.Linear(
                feat, n_classes
            )
        else:
            i = _head_index(arch)
            feat = body.classifier[i].in_features
            body.classifier[i] = nn.Linear(feat, n_classes)
        self.body = body

        # --- frozen layers: only over weights that hold something (see the module docstring)
        self.frozen_requested = int(frozen_layers)
        self.frozen_layers = 0
        self._frozen_bn: list[nn.Module] = []
        if self.frozen_requested < 0:
            raise StarclassError(f"{arch}: frozen_layers={frozen_layers!r} must be >= 0")
        if self.frozen_requested and (path is not None or from_checkpoint):
            self.freeze(self.frozen_requested)
        elif self.frozen_requested:
            # a warning (not info): a user who asked for transfer learning must see that none happens,
            # unless the caller has said so already (starclass train, before training)
            log.log(
                logging.INFO if no_weights_were_announced() else logging.WARNING,
                "WARNING: %s: no pretrained (ImageNet) weights found (pretrained=%r; looked in %s); "
                "training starts FROM SCRATCH and the %s asked to be frozen %s NOT frozen "
                "(frozen random filters would stay noise). Put torchvision's %s in that folder or give "
                "arch_options.pretrained=PATH to freeze over ImageNet weights, or pretrain on simulated "
                "data and fine-tune with --init-from.",
                arch, pretrained, Path(torch.hub.get_dir()) / "checkpoints", counted(self.frozen_requested, "layer"),
                "is" if self.frozen_requested == 1 else "are",
                CHECKPOINT_FILES[arch][0],
            )

    def _widen_first_conv(self, body: nn.Module, c: int) -> None:
        # the module that holds the first convolution, and its name there
        if self.arch.startswith("resnet"):
            parent, key = body, "conv1"
        elif self.arch.startswith("mobilenet"):
            parent, key = body.features[0], "0"  # Conv2dNormActivation: conv, batch norm, activation
        else:
            parent, key = body.features, "0"
        old = getattr(parent, key)
        new = nn.Conv2d(c, old.out_channels, old.kernel_size, old.stride, old.padding, bias=old.bias is not None)
        with torch.no_grad():
            mean = old.weight.mean(dim=1, keepdim=True)  # [O, 1, k, k]
            new.weight.copy_(mean.repeat(1, c, 1, 1) * (3.0 / c))
            if old.bias is not None:
                new.bias.copy_(old.bias)
        setattr(parent, key, new)

    def freeze(self, k: int) -> None:
        """Freeze the first ``k`` convolutions of the body and the batch norms between them.

        Call it only when the weights hold something (ImageNet, or a trained model): the
        constructor does so for loaded ImageNet weights and refuses for random ones.

        Parameters
        ----------
        k : int
            Number of leading convolutions (the adapter not counted).

        Raises
        ------
        StarclassError
            ``k`` exceeds the network's convolutions.

        Examples
        --------
        >>> net = TorchvisionNet("resnet18", 1, 3, pretrained=None)
        >>> net.freeze(1); net.body.conv1.weight.requires_grad
        False
        """
        self._frozen_bn = []
        convs_seen = 0
        freezing = True
        for m in self.body.modules():
            if isinstance(m, nn.Conv2d):
                if convs_seen >= k:
                    freezing = False
                    break
                convs_seen += 1
                for p in m.parameters():
                    p.requires_grad_(False)
            elif isinstance(m, nn.BatchNorm2d) and freezing and convs_seen > 0:
                for p in m.parameters():
                    p.requires_grad_(False)
                self._frozen_bn.append(m)
        n_conv = sum(1 for m in self.body.modules() if isinstance(m, nn.Conv2d))
        if k > n_conv:
            raise StarclassError(f"{self.arch}: frozen_layers={k} but the network has {n_conv} convolutions")
        self.frozen_layers = int(k)
        log.info("%s: first %s frozen", self.arch, counted(k, "convolution"))

    def train(self, mode: bool = True) -> TorchvisionNet:
        super().train(mode)
        for bn in self._frozen_bn:  # frozen layers keep their batch-norm statistics
            bn.eval()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(x, self.in_channels, self.arch)
        x = resize_input(x, self.input_size)
        return self.body(self.adapter(x))


def _make_check(arch: str):
    def check(config) -> None:
        check_min_input(arch, config)  # the one rule, which check_members applies without importing this module

    check.__doc__ = f"Refuse a task whose network input {arch} cannot take (StarclassError naming the parameter)."
    return check


def _make_builder(arch: str):
    check = _make_check(arch)

    def builder(
        config,
        adapter: str | None = None,
        frozen_layers: int = 0,
        pretrained: Any = "auto",
        dropout: float | None = None,
    ) -> TorchvisionNet:
        c = config.n_channels
        check(config)
        if adapter is None:
            adapter = "none" if c == 3 else "conv1x1"
        if dropout is None and config.recipe.dropout:
            dropout = config.recipe.dropout
        return TorchvisionNet(
            arch,
            in_channels=c,
            n_classes=config.n_classes,
            adapter=adapter,
            input_size=config.input_size,
            frozen_layers=frozen_layers,
            pretrained=pretrained,
            dropout=dropout,
        )

    builder.__doc__ = (
        f"torchvision {arch} with a band adapter, optional upsampling, frozen layers and "
        "ImageNet weights from a local file or the torch hub cache only."
    )
    builder.__name__ = f"build_{arch}"
    return builder


for _arch in CHECKPOINT_FILES:
    register(_arch, check=_make_check(_arch))(_make_builder(_arch))
