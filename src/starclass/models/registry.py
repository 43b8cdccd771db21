"""Name -> builder registry and :func:`build_model`.

A builder is ``builder(config, **options) -> nn.Module``; ``options`` are the member's
``arch_options`` (see :meth:`starclass.learn.config.TaskConfig.members`). Unknown options are an
error naming the option and the architecture.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starclass.errors import StarclassError, agreeing

if TYPE_CHECKING:  # the registry is read without torch (starclass info, --help); the builders import it
    from torch import nn

log = logging.getLogger("starclass.models")

_BUILDERS: dict[str, Callable[..., Any]] = {}
# architecture -> check(config) that raises StarclassError for inputs the network cannot take
_CHECKS: dict[str, Callable[[Any], None]] = {}

# architecture -> module that registers it (imported on first use, so that importing
# starclass.models stays cheap and torchvision is only imported when needed)
_MODULES = {
    "starcnet": "starclass.models.starcnet",
    "resnet18": "starclass.models.torchvision_nets",
    "resnet50": "starclass.models.torchvision_nets",
    "resnet101": "starclass.models.torchvision_nets",
    "vgg16": "starclass.models.torchvision_nets",
    "vgg19_bn": "starclass.models.torchvision_nets",
    "mobilenet_v2": "starclass.models.torchvision_nets",
    "mobilenet_v3_small": "starclass.models.torchvision_nets",
    "mobilenet_v3_large": "starclass.models.torchvision_nets",
    "smallcnn": "starclass.models.smallcnn",
    "compact": "starclass.models.compact",
}


#: Smallest network input (px) of the built-in networks that have one: five 2x2 max-poolings need 32 px to leave
#: 1. Here, not in the network's module (which imports torch), so that check_members reads it without torch.
MIN_INPUT = {"vgg16": 32, "vgg19_bn": 32}


def check_min_input(arch: str, config: Any) -> None:
    """Refuse a task whose network input ``arch`` cannot take (:data:`MIN_INPUT`), naming the parameter.

    Parameters
    ----------
    arch
        The architecture's name.
    config : starclass.learn.config.TaskConfig
        The task: its ``input_size``, else its ``stamp_size``, is the network's input.

    Raises
    ------
    StarclassError
        The input is smaller than the network takes (``stamp_size`` / ``--stamp-size`` or ``input_size`` /
        ``--input-size`` named).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> check_min_input("vgg16", get_preset("phangs4", stamp_size=64, input_size=None))
    >>> try:
    ...     check_min_input("vgg16", get_preset("phangs4", stamp_size=16, input_size=None))
    ... except StarclassError as exc:
    ...     print(str(exc).split(", but")[0])
    task config 'phangs4': vgg16 halves its input five times and needs at least 32 px
    """
    least = MIN_INPUT.get(arch)
    size = int(config.input_size or config.stamp_size)
    if least is None or size >= least:
        return
    # checked before any training: the forward pass failed in torch's max-pool ("Output size is too small")
    # with a traceback after the data had been read
    which = (f"input_size={config.input_size} (--input-size)" if config.input_size
             else f"stamp_size={config.stamp_size} (--stamp-size; no input_size)")
    raise StarclassError(
        f"task config {config.name!r}: {arch} halves its input five times and needs at least "
        f"{least} px, but {which} gives it {size} px; raise --stamp-size, or give "
        f"--input-size {least} or more (the model then resamples the stamps)")


def register(name: str, check: Callable[[Any], None] | None = None
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``builder(config, **options)`` under ``name``.

    ``check(config)``, when given, raises :class:`StarclassError` for a task whose inputs the
    network cannot take (e.g. a VGG's minimum input size); :func:`check_members` runs it for
    every member before any training.

    Examples
    --------
    >>> import torch.nn as nn
    >>> @register("demo-linear")
    ... def demo_linear(config, **options):
    ...     '''A linear layer on the flattened stamp (a demo).'''
    ...     return nn.Sequential(nn.Flatten(), nn.LazyLinear(config.n_classes))
    >>> "demo-linear" in available(), describe("demo-linear")
    (True, 'A linear layer on the flattened stamp (a demo).')
    >>> _ = _BUILDERS.pop("demo-linear")   # the example leaves the registry as it found it
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        _BUILDERS[name] = fn
        if check is not None:
            _CHECKS[name] = check
        return fn

    return deco


def available() -> list[str]:
    """Names of the registered architectures.

    Examples
    --------
    >>> {"compact", "starcnet", "resnet18"} <= set(available())
    True
    """
    return sorted(set(_MODULES) | set(_BUILDERS))


def _builder(name: str) -> Callable[..., Any]:
    if name not in _BUILDERS and name in _MODULES:
        importlib.import_module(_MODULES[name])
    if name not in _BUILDERS:
        raise StarclassError(f"unknown architecture {name!r}; available: {', '.join(available())}")
    return _BUILDERS[name]


def check_members(config: Any) -> None:
    """Refuse a task some ensemble member's network cannot take, without building any network.

    A builder checks its own input when it builds; an ensemble builds its members one after
    another, so without this a mixed ensemble (phangs4: ResNet18 then VGG19-BN) trained every
    ResNet before the first VGG refused a stamp too small for it, leaving a half-written model.

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task, with its ensemble (``config.members()``).

    Raises
    ------
    StarclassError
        An unknown architecture, or inputs a member's network cannot take (the message names
        the parameter: ``stamp_size`` / ``--stamp-size`` or ``input_size`` / ``--input-size``).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> check_members(get_preset("phangs4", stamp_size=64, input_size=None))
    >>> try:
    ...     check_members(get_preset("phangs4", stamp_size=16, input_size=None))
    ... except StarclassError as exc:
    ...     print(str(exc).split(", but")[0])
    task config 'phangs4': vgg19_bn halves its input five times and needs at least 32 px
    """
    for name in dict.fromkeys(m["architecture"] for m in config.members()):
        if name not in _BUILDERS and name not in _MODULES:
            # "unknown architecture 'resnet99'" named neither the task nor its key
            raise StarclassError(f"task config {getattr(config, 'name', None)!r}: architecture: unknown "
                                 f"architecture {name!r}; available: {', '.join(available())}")
        # a built-in network is checked without importing its module (torch: 2-5 s on shared cores), so that
        # 'starclass train' refuses a stamp too small before its first line; one registered since, by its own check
        if name in _CHECKS:
            _CHECKS[name](config)
        else:
            check_min_input(name, config)


def describe(name: str) -> str:
    """First line of an architecture builder's docstring.

    Examples
    --------
    >>> describe("compact")
    'Compact multi-scale CNN: strided 3x3 stages, residual convs, BN folded at inference.'
    """
    doc = inspect.getdoc(_builder(name)) or ""
    return doc.splitlines()[0] if doc else name


def build_model(config: Any, member: int | None = None, *, pretrained: bool | str = True) -> nn.Module:
    """Build the network of ensemble member ``member`` (None: the first) of a task config.

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task; its ``n_channels``, ``n_classes``, ``stamp_size`` and ``input_size`` fix the
        network's input and output.
    member : int or None
        Index into ``config.members()``.
    pretrained : bool or "scratch"
        False skips loading ImageNet weights whatever ``arch_options`` say: use it when a
        checkpoint's state dict will replace the weights anyway (``classify``, resuming), whose
        layers are frozen as asked. ``"scratch"``: random weights and nothing frozen, as a network
        that found no ImageNet weights (resuming a run that started so).

    Returns
    -------
    torch.nn.Module
        ``forward(x)`` with ``x`` float32 ``[N, config.n_channels, H, W]`` returns logits
        ``[N, config.n_classes]``. Attributes: ``architecture`` (name), ``member`` (index),
        ``weights_source`` ("scratch" or where ImageNet weights came from), ``task`` (the
        config's name).

    Examples
    --------
    >>> import torch
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> net = build_model(cfg, pretrained=False)
    >>> net(torch.zeros(2, cfg.n_channels, 16, 16)).shape   # one logit per class
    torch.Size([2, 2])
    """
    m = config.member(member)
    name = m["architecture"]
    builder = _builder(name)
    opts = dict(m["arch_options"])
    sig = inspect.signature(builder)
    if pretrained == "scratch" and ("pretrained" in opts or "pretrained" in sig.parameters):
        opts["pretrained"] = None
    elif not pretrained and ("pretrained" in opts or "pretrained" in sig.parameters):
        # the weights come from a checkpoint: load nothing, and do not warn about training from scratch
        # (also when the option is the builder's default, not written in the task)
        opts["pretrained"] = "checkpoint"
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    if not accepts_any:
        allowed = [p for p in sig.parameters if p != "config"]
        unknown = sorted(set(opts) - set(allowed))
        if unknown:
            # a task file that changes the network keeps the arch_options of the preset it extends (replaced
            # whole, as every field but recipe): 'extends: galaxy-cluster' with 'architecture: resnet18' got the
            # small CNN's widths and dense, and the message left the user to find where they came from
            inherited = ("" if config.preset_name is not None else
                         "; a task file that changes 'architecture' keeps the arch_options of the preset it "
                         "extends (made for its network): give this network's own in the file, e.g. "
                         "'arch_options: {}' for its defaults")
            raise StarclassError(
                f"task config {config.name!r}: architecture {name!r} has no {agreeing(len(unknown), 'option')} "
                f"{unknown}; "
                f"its options: {allowed}{inherited}"
            )
    net = builder(config, **opts)
    net.architecture = name
    net.member = m["index"]
    net.task = config.name
    if not hasattr(net, "weights_source"):
        net.weights_source = "scratch"
    return net
