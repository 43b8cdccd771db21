"""Grad-CAM maps for any torch CNN: per candidate, per-class averages, radial profiles.

Grad-CAM (Selvaraju et al. 2017; used for open/globular clusters by Stipp & Montana-Lopez and
for cool-core clusters in the galaxy-cluster slides) weights the feature maps A_k of a
convolutional layer by the spatial mean of d(score_c)/dA_k, sums them, keeps the positive
part and upsamples to the stamp size. The feature maps are the layer's rectified activations
(Selvaraju et al.'s "last convolutional layer" is its feature maps, after the non-linearity):
by default the layer is the last module whose output is a rectified map
(:func:`last_feature_layer`: a ResNet's last block, after the residual sum and its ReLU;
MobileNetV2's ``features``; VGG's last ReLU before the pooling). The bare last ``nn.Conv2d``,
before its batch norm and activation (the default until 2026-12-05), gave all-zero maps on a
trained ResNet-18 for 6 of 40 stamps where the block output gave none. For multi-pathway models
such as StarcNet, pass ``layer=`` to pick a pathway.

The computation uses Captum's ``LayerGradCam`` when Captum is installed (a well-kept PyTorch
library) and otherwise an equivalent implementation with forward/backward hooks; both give the
same maps (``tests/test_science_gradcam.py`` checks it). Maps are normalised to a maximum of 1
per candidate (all-zero maps stay zero).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.errors import StarclassError
from starclass.io import MosaicsLike
from starclass.io.cutout_folders import CutoutSet, cutout_rows
from starclass.io.fields import FieldMosaics
from starclass.learn.checkpoint import LoadedModel, load_model
from starclass.schema import CLASS_PRED, FIELD, X, Y
from starclass.stamps import make_inputs
from starclass.stamps.images import cutout_inputs, cutout_no_data

#: A batch as a network takes it: ``[N, C, H, W]`` as a tensor or array, or a tuple (or list) of them for a
#: multi-input network (StarcNet's pathways)
NetworkInputs: TypeAlias = (torch.Tensor | np.ndarray | tuple[torch.Tensor | np.ndarray, ...]
                            | list[torch.Tensor | np.ndarray])


def last_conv_layer(model: nn.Module) -> nn.Conv2d:
    """The last ``torch.nn.Conv2d`` module of a model (in registration order).

    Its output is taken before the batch norm and activation that follow it: Grad-CAM's default
    is :func:`last_feature_layer`; this is its fallback for a network without one.

    Examples
    --------
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Conv2d(2, 4, 3))
    >>> last_conv_layer(net)
    Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1))
    """
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if not convs:
        raise StarclassError("the model has no Conv2d layer: Grad-CAM needs a convolutional layer")
    return convs[-1]


#: autograd nodes of the activations whose output is a rectified feature map (ReLU, leaky ReLU, ReLU6,
#: which nn.ReLU6 runs as hardtanh, hard-swish, SiLU, GELU, ELU, Mish), in-place or not
_RECTIFIED = re.compile(r"^(Relu|LeakyRelu|Hardtanh|Hardswish|Silu|Gelu|Elu|Mish|Threshold)\w*Backward")


def _pools_space(node) -> bool:
    """Whether an autograd node reduces a map's height and width to one value each: a global pooling
    (``adaptive_avg_pool2d(x, 1)``, which torch runs as a mean over H and W), ``adaptive_max_pool2d(x, 1)``,
    or a mean, sum or maximum over both spatial dimensions."""
    kind = type(node).__name__
    if kind.startswith(("MeanBackward", "SumBackward", "AmaxBackward")):
        dims = getattr(node, "_saved_dim", None)
        sizes = getattr(node, "_saved_self_sym_sizes", None)
        if sizes is None and torch.is_tensor(getattr(node, "_saved_self", None)):
            sizes = node._saved_self.shape
        if dims is None or sizes is None or len(sizes) != 4:
            return False
        return {int(d) % 4 for d in dims} >= {2, 3}
    if kind.startswith("AdaptiveMaxPool2DBackward"):
        indices = getattr(node, "_saved_result1", None)
        return torch.is_tensor(indices) and tuple(indices.shape[-2:]) == (1, 1)
    return False


def _spatial(node, input_ids: set[int], memo: dict[int, bool]) -> bool:
    """Whether some path of the autograd graph from ``node`` back to the inputs passes no global pooling.

    A squeeze-and-excitation block (MobileNetV3, EfficientNet) pools the feature maps to one value per
    channel and rectifies them in a 1 x 1 convolution: a ``[N, C, 1, 1]`` output after a ReLU, made
    from the pooled vector only, which no pixel of the stamp has a place in. Iterative (a ResNet-101's
    graph is deeper than Python's recursion limit) and memoised over the nodes of one forward pass.
    """
    stack = [(node, False)]
    while stack:
        n, expanded = stack.pop()
        if id(n) in memo:
            continue
        if type(n).__name__ == "AccumulateGrad":  # a leaf: an input, or a parameter (not a path to the stamp)
            memo[id(n)] = id(n.variable) in input_ids
            continue
        if _pools_space(n):
            memo[id(n)] = False
            continue
        kids = [c for c, _ in n.next_functions if c is not None]
        if expanded:
            memo[id(n)] = any(memo.get(id(c), False) for c in kids)
        else:
            stack.append((n, True))
            stack.extend((c, False) for c in kids if id(c) not in memo)
    return memo[id(node)]


def feature_map_layers(model: nn.Module, inputs: NetworkInputs) -> list[tuple[str, nn.Module, tuple[int, int]]]:
    """The modules whose output is a rectified feature map ``[N, C, H, W]``, in the order they ran.

    A module qualifies when its output comes straight from an activation (ReLU, leaky ReLU,
    ReLU6, hard-swish, ...), so a convolution before its batch norm and activation does not, nor
    does a pooling or MobileNetV2's linear bottleneck. Nor does the ReLU of a squeeze-and-excitation
    block (MobileNetV3, EfficientNet): its ``[N, C, 1, 1]`` output is made from the globally pooled maps
    only, a vector with no pixel of the stamp in it (listed as a 1 x 1 map until 2026-12-05). Where
    several modules return the same tensor (a ResNet stage, its last block and that block's ReLU), the outermost is
    named (``layer4``); a module run more than once in a forward pass (the ReLU a torchvision ResNet
    block calls twice) is left out, as hooking it would catch the wrong call.

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    inputs : torch.Tensor, numpy array or tuple of them
        A batch as the model takes it (one stamp is enough; the first is used).

    Returns
    -------
    list of (name, module, (h, w))
        ``name`` as in ``model.named_modules()``; empty when no module returns a rectified map.

    Examples
    --------
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    ...                           torch.nn.Conv2d(2, 4, 3), torch.nn.ReLU())
    >>> [(n, s) for n, _, s in feature_map_layers(net, torch.zeros(1, 1, 12, 12))]
    [('1', (10, 10)), ('4', (3, 3))]
    """
    if not isinstance(inputs, (tuple, list)):
        inputs = (inputs,)
    xs = tuple(torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)[:1]
               .detach().clone().requires_grad_(True) for x in inputs)
    names = {id(m): n for n, m in model.named_modules() if n}
    calls: dict[int, int] = {}
    before: dict[int, list] = {}
    seen: list[tuple[str, nn.Module, torch.Tensor, object]] = []

    def pre(mod, inp):
        before[id(mod)] = [(i, i.grad_fn) for i in inp if torch.is_tensor(i)]

    def hook(mod, _inp, out):
        calls[id(mod)] = calls.get(id(mod), 0) + 1
        # a pass-through (nn.Identity, dropout in eval) returns its input as it came: not the map's maker,
        # though an in-place ReLU returns its input too, with a new autograd node
        passed = any(out is i and out.grad_fn is g for i, g in before.get(id(mod), ()))
        if torch.is_tensor(out) and out.ndim == 4 and not passed:
            # the autograd node now, before any later in-place operation: a convolution's output that an
            # in-place ReLU rectifies afterwards is still the convolution's here
            fn = type(out.grad_fn).__name__ if out.grad_fn is not None else ""
            seen.append((names[id(mod)], mod, out, out.grad_fn if _RECTIFIED.match(fn) else None))

    hooks = [h for n, m in model.named_modules() if n
             for h in (m.register_forward_pre_hook(pre), m.register_forward_hook(hook))]
    was = model.training
    model.eval()
    try:
        # grad on (the inputs require it) so that each output carries the node that made it, even where
        # the parameters are frozen
        with torch.enable_grad():
            model(*xs)
    finally:
        for h in hooks:
            h.remove()
        model.train(was)
    found: list[tuple[str, nn.Module, torch.Tensor]] = []
    input_ids = {id(x) for x in xs}
    memo: dict[int, bool] = {}
    for name, mod, out, node in seen:
        if node is None or calls[id(mod)] != 1:
            continue
        # a 1 x 1 output made only from globally pooled maps (a squeeze-excitation's ReLU) is a vector, not a
        # map: Grad-CAM there is one value spread over the stamp. A ResNet's last block on a stamp small
        # enough to leave it 1 x 1 still comes from the pixels through its convolutions, and stays
        if out.shape[-2:] == (1, 1) and not _spatial(node, input_ids, memo):
            continue
        same = [i for i, (_, _, o) in enumerate(found) if o is out]
        if same:  # an enclosing module returns the same map: hooks fire inner first, the outer name is kept
            found[same[0]] = (name, mod, out)
        else:
            found.append((name, mod, out))
    return [(n, m, (int(o.shape[-2]), int(o.shape[-1]))) for n, m, o in found]


def last_feature_layer(model: nn.Module, inputs: NetworkInputs) -> nn.Module:
    """Grad-CAM's default layer: the last module whose output is a rectified feature map.

    :func:`feature_map_layers`' last entry: a ResNet's last stage (``layer4``, after the residual
    sum and its ReLU), MobileNetV2's and V3's ``features``, VGG's last ReLU before the pooling,
    the compact network's ``features``, StarcNet's last pathway. A network without a rectified
    map falls back to its last ``nn.Conv2d`` (:func:`last_conv_layer`).

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    inputs : torch.Tensor, numpy array or tuple of them
        A batch as the model takes it.

    Returns
    -------
    torch.nn.Module

    Examples
    --------
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU())
    >>> last_feature_layer(net, torch.zeros(1, 1, 8, 8))
    ReLU()
    """
    layers = feature_map_layers(model, inputs)
    return layers[-1][1] if layers else last_conv_layer(model)


#: Smallest side (pixels of the feature map) at which a class-activation map still says
#: where in the stamp the evidence lies: 7 x 7 is ImageNet ResNets' and VGGs' last map at 224 px.
MIN_MAP_SIZE = 7


@dataclass
class LayerChoice:
    """The layer whose feature maps Grad-CAM explains.

    Attributes
    ----------
    name : str
        Its dotted name in ``model.named_modules()``.
    module : torch.nn.Module
        The layer.
    size : tuple of int
        Height and width of its output for the stamps explained.
    last_size : tuple of int
        The same for the network's last feature map (the default layer of Grad-CAM).
    reason : str
        One sentence: why this layer.

    Examples
    --------
    Made by :func:`choose_layer`:

    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Conv2d(2, 2, 3, padding=1),
    ...                     nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2, 2))
    >>> lc = choose_layer(net, torch.zeros(1, 1, 16, 16))
    >>> lc.name, lc.size, lc.last_size
    ('1', (16, 16), (4, 4))
    >>> print(lc.reason)
    the last feature map (4) is 4x4; the last one with at least 7x7 is used (16x16)
    """

    name: str
    module: nn.Module
    size: tuple[int, int]
    last_size: tuple[int, int]
    reason: str


def conv_map_sizes(model: nn.Module, x: torch.Tensor) -> list[tuple[str, nn.Module, tuple[int, int]]]:
    """Every ``nn.Conv2d`` of ``model`` whose output is a map, with its height and width for ``x``.

    A 1 x 1 convolution on globally pooled maps (a squeeze-and-excitation block's ``fc1`` and ``fc2`` in
    MobileNetV3 and EfficientNet) makes a ``[N, C, 1, 1]`` vector, not a map: it is left out, as its ReLU
    is from :func:`feature_map_layers` (``explain --layer`` took it as a "1x1 map" until 2026-12-05).

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    x : torch.Tensor
        One batch of inputs ``[N, C, H, W]`` (one stamp is enough).

    Returns
    -------
    list of (name, module, (h, w))
        In the order the layers ran.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(2, 2, 3, padding=1))
    >>> [s for _, _, s in conv_map_sizes(net, torch.zeros(1, 1, 16, 16))]
    [(16, 16), (8, 8)]
    """
    names = {id(m): n for n, m in model.named_modules()}
    seen: list[tuple[str, nn.Module, tuple[int, int], object]] = []
    hooks = []

    def hook(mod, _inp, out):
        seen.append((names.get(id(mod), "?"), mod, (int(out.shape[-2]), int(out.shape[-1])), out.grad_fn))

    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(hook))
    was = model.training
    model.eval()
    # with gradients on the input, so that each output carries the autograd node that tells a map from a
    # pooled vector (frozen parameters or not)
    x1 = torch.as_tensor(x[:1], dtype=torch.float32).detach().clone().requires_grad_(True)
    try:
        with torch.enable_grad():
            model(x1)
    finally:
        for h in hooks:
            h.remove()
        model.train(was)
    if not seen:
        raise StarclassError("the model has no Conv2d layer: class-activation maps need a convolutional layer")
    memo: dict[int, bool] = {}
    return [(n, m, size) for n, m, size, node in seen
            if size != (1, 1) or node is None or _spatial(node, {id(x1)}, memo)]


def choose_layer(model: nn.Module, x: torch.Tensor, *, min_size: int = MIN_MAP_SIZE,
                 name: str | None = None) -> LayerChoice:
    """The last rectified feature map at least ``min_size`` pixels on a side (or the layer ``name``).

    The candidates are :func:`starclass.science.gradcam.feature_map_layers`: modules whose output
    comes from an activation (a ResNet's blocks and stages, VGG's ReLUs, MobileNet's ``features``),
    the maps Grad-CAM is defined on. A network without any falls back to its convolutions.

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    x : torch.Tensor
        Inputs ``[N, C, H, W]`` as the model receives them.
    min_size : int
        Smallest acceptable map side in pixels.
    name : str or None
        A layer by its ``named_modules`` name: used as given (an error if it is neither a feature map
        nor a convolution of the model).

    Returns
    -------
    LayerChoice

    Raises
    ------
    StarclassError
        ``name`` is neither a feature map nor a convolution of the model.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Conv2d(2, 2, 3, padding=1),
    ...                     nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2, 2))
    >>> choose_layer(net, torch.zeros(1, 1, 16, 16)).name   # the 4 x 4 map of layer 4 is too coarse
    '1'
    >>> choose_layer(net, torch.zeros(1, 1, 16, 16), name="3").reason   # a convolution, as asked
    'layer 3 as asked (4x4 map)'
    """
    if int(min_size) < 1:
        # a map of 0 pixels "or more" is every layer: the CLI refused --min-map 0, Python took it
        raise StarclassError(f"--min-map (min_size= in Python) must be >= 1, got {min_size}")
    # numpy inputs, as guided_backprop and cam take them (conv2d's TypeError named no argument)
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    convs = conv_map_sizes(model, x)
    maps = feature_map_layers(model, x)
    kind = "feature map"
    if not maps:  # no activation's output among the modules: the convolutions, as before 2026-12-05
        maps, kind = convs, "convolution"
    last = maps[-1][2]
    if name is not None:
        for n, m, s in maps + convs:
            if n == name:
                return LayerChoice(n, m, s, last, f"layer {n} as asked ({s[0]}x{s[1]} map)")
        raise StarclassError(f"--layer {name!r} is neither a feature map nor a convolution of the model; its "
                             "feature maps (outputs after an activation): " + ", ".join(n for n, _, _ in maps)
                             + "; its convolutions: " + ", ".join(n for n, _, _ in convs))
    good = [(n, m, s) for n, m, s in maps if min(s) >= min_size]
    if not good:
        n, m, s = max(maps, key=lambda t: min(t[2]))
        return LayerChoice(n, m, s, last, f"no {kind} has a map of {min_size}x{min_size} or more; the "
                                          f"finest ({n}, {s[0]}x{s[1]}) is used: read the maps as coarse")
    n, m, s = good[-1]
    if s == last:
        why = f"the last {kind}, {s[0]}x{s[1]} map"
    else:
        why = (f"the last {kind} ({maps[-1][0]}) is {last[0]}x{last[1]}; the last one with at least "
               f"{min_size}x{min_size} is used ({s[0]}x{s[1]})")
    return LayerChoice(n, m, s, last, why)


def _gradcam_hooks(model, layer, inputs, target):
    store = {}

    def fwd(_m, _i, out):
        store["act"] = out

    h = layer.register_forward_hook(fwd)
    try:
        out = model(*inputs)
        if callable(target):
            # chosen from this very pass's outputs (explain: with the other members'), so that the network is
            # not run once more for them
            target = torch.as_tensor(np.asarray(target(out.detach())), dtype=torch.long).to(out.device)
        score = out.gather(1, target.view(-1, 1)).sum()
    finally:
        h.remove()
    act = store["act"]
    # the gradient at the layer alone: score.backward() went on below it to the inputs and filled every weight's
    # .grad, none of which a map uses (3x the time of this, the same maps: benchmarks/explain_speed.py)
    (grad,) = torch.autograd.grad(score, act)
    weights = grad.mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * act).sum(dim=1, keepdim=True)).detach()


def _gradcam_captum(model, layer, inputs, target):
    # captum is optional (the test extra; +0.7 s measured): the hook backend works without it
    from captum.attr import LayerGradCam

    if callable(target):
        with torch.no_grad():  # captum runs its own pass: the outputs for the choice come from one more
            target = torch.as_tensor(np.asarray(target(model(*inputs))), dtype=torch.long)

    def forward(*x):
        return model(*x)

    cam = LayerGradCam(forward, layer)
    attr = cam.attribute(inputs if len(inputs) > 1 else inputs[0], target=target)
    return torch.relu(attr).detach()


def gradcam(model: nn.Module, inputs: NetworkInputs,
            target: int | ArrayLike | Callable[[torch.Tensor], ArrayLike] | None = None, *,
            layer: nn.Module | None = None, batch_size: int = 256, backend: str = "auto") -> np.ndarray:
    """Grad-CAM maps of a batch.

    Parameters
    ----------
    model
        A ``torch.nn.Module`` returning class scores (logits) ``[N, K]``.
    inputs
        A tensor/array ``[N, C, H, W]`` or a tuple of them (multi-input models); maps are
        upsampled to the H, W of the first.
    target
        Class index (0-based column of the output) per candidate, or one int for all; default
        the predicted class. Or a callable given each batch's outputs (logits ``[B, K]``, detached) from
        the Grad-CAM pass itself, returning the ``B`` indices: a class chosen from the network's own
        outputs (with others', as ``explain`` picks the ensemble's class) without running it once more
        (with the ``captum`` backend the outputs come from a pass of their own).
    layer
        The module whose output maps are explained (default :func:`last_feature_layer`: the last
        rectified feature map).
    backend
        ``"captum"``, ``"hooks"`` or ``"auto"`` (Captum when importable).

    Returns
    -------
    maps ``[N, H, W]`` float32 in [0, 1].

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(),
    ...                           torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 2))
    >>> maps = gradcam(net, np.random.default_rng(0).random((3, 1, 8, 8)), backend="hooks")
    >>> maps.shape, bool(maps.min() >= 0 and maps.max() <= 1)
    ((3, 8, 8), True)

    The class to explain chosen from the pass's own outputs (here the least probable one):

    >>> seen = []
    >>> least = gradcam(net, np.random.default_rng(0).random((3, 1, 8, 8)), backend="hooks",
    ...                 target=lambda logits: seen.append(logits.shape) or logits.argmin(dim=1))
    >>> seen, least.shape
    ([torch.Size([3, 2])], (3, 8, 8))
    """
    from starclass.learn.data import refuse_catalogue

    # a catalogue given as the batch failed in torch ("can't convert np.ndarray of type numpy.void")
    refuse_catalogue(inputs, "gradcam: inputs")
    if not isinstance(inputs, (tuple, list)):
        inputs = (inputs,)
    inputs = tuple(torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32) for x in inputs)
    if inputs[0].ndim != 4:
        raise StarclassError(f"Grad-CAM inputs must be [N, C, H, W], got shape {tuple(inputs[0].shape)}")
    n, (h, w) = inputs[0].shape[0], inputs[0].shape[2:]
    layer = layer or last_feature_layer(model, inputs)
    if backend == "auto":
        try:
            import captum  # noqa: F401

            backend = "captum"
        except ImportError:
            backend = "hooks"
    fn = {"captum": _gradcam_captum, "hooks": _gradcam_hooks}.get(backend)
    if fn is None:
        raise StarclassError(f"unknown Grad-CAM backend {backend!r}")
    was_training = model.training
    model.eval()
    maps = []
    try:
        for s in range(0, n, batch_size):
            chunk = tuple(x[s:s + batch_size].clone().requires_grad_(True) for x in inputs)
            if target is None:
                with torch.no_grad():
                    tgt = model(*chunk).argmax(dim=1)
            elif callable(target):
                tgt = target  # chosen by the backend from the pass's outputs
            elif np.isscalar(target):
                tgt = torch.full((chunk[0].shape[0],), int(target), dtype=torch.long)
            else:
                tgt = torch.as_tensor(np.asarray(target)[s:s + batch_size], dtype=torch.long)
            cam = fn(model, layer, chunk, tgt)
            cam = F.interpolate(cam, size=(h, w), mode="bilinear", align_corners=False)[:, 0]
            maps.append(cam.cpu().numpy())
    finally:
        model.train(was_training)
    m = np.concatenate(maps).astype(np.float32)
    peak = m.reshape(n, -1).max(axis=1)
    m = np.divide(m, peak[:, None, None], out=np.zeros_like(m), where=peak[:, None, None] > 0)
    return m


@dataclass
class GradcamInputs:
    """What the report's Grad-CAM section explains: one network, its inputs and their classes.

    Unpacks as ``(network, inputs, classes)``, the tuple ``build_report(gradcam_inputs=...)``
    has always taken.

    Examples
    --------
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten())
    >>> g = GradcamInputs(net, np.zeros((2, 1, 7, 7), np.float32), np.array([1, 2]), (1, 2))
    >>> network, inputs, classes = g
    >>> inputs.shape, classes.tolist(), g.origin
    ((2, 1, 7, 7), [1, 2], 'lower')
    """

    network: torch.nn.Module
    inputs: np.ndarray
    classes: np.ndarray
    model_classes: tuple[int, ...]
    #: where the figures draw row 0 (:func:`starclass.io.cutout_folders.drawing_origin`): "lower" for
    #: stamps cut from FITS mosaics and FITS cutouts (y up), "upper" for PNG/JPEG/NPY cutouts (as
    #: stored), "mixed" for a folder of both (drawn as stored)
    origin: str = "lower"
    #: bool ``[N, S, S]``, True where a stamp has no data (a cutout's NaN pixels, filled with the
    #: background for the network: :func:`starclass.stamps.images.cutout_no_data`); None: all data
    no_data: np.ndarray | None = None
    #: arcsec per input pixel, as ``starclass explain`` finds it (the cutouts' FITS WCS, else the task's
    #: ``pixel_scale``): the report's radial profiles in arcsec, as explain's; None: in pixels
    pixel_scale: float | None = None

    def __iter__(self):
        return iter((self.network, self.inputs, self.classes))


def gradcam_inputs(model: LoadedModel | str | os.PathLike, catalogue: Table, mosaics: MosaicsLike | FieldMosaics, *,
                   per_class: int = 32, seed: int = 0) -> GradcamInputs | None:
    """Grad-CAM inputs from a saved model, a classified catalogue and its mosaics.

    Takes up to ``per_class`` candidates of each predicted class (``class_pred``; drawn with
    ``seed``), cuts their model inputs from ``mosaics`` as the model's task describes, and
    returns the first ensemble member (Grad-CAM explains one network). Used by
    ``starclass report --model`` and by the demo.

    Parameters
    ----------
    model
        Model directory, member file or loaded model.
    catalogue
        Classified catalogue with 0-based ``x``, ``y`` and ``class_pred``.
    mosaics
        The images the catalogue was classified on (a ``MosaicSet`` or band -> array); for a
        catalogue of several fields (a ``field`` column), each field's
        (:class:`starclass.io.fields.FieldMosaics`): a row's stamp is cut from its field's.
    per_class
        Candidates per predicted class.
    seed
        Seed of the draw.

    Returns
    -------
    GradcamInputs or None
        None when no candidate has a predicted class.

    Examples
    --------
    A one-member model with random weights and six synthetic objects on X-ray and optical images
    (band -> array); at most two stamps of each predicted class:

    >>> import tempfile
    >>> from starclass.datasets.stamps import make_synthetic_field
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> images, catalogue = make_synthetic_field(cfg, 6, seed=0)
    >>> catalogue["class_pred"] = catalogue["class_ref"]
    >>> net, x, classes = gradcam_inputs(d, catalogue, images, per_class=2)
    >>> x.shape, sorted(classes.tolist())
    ((4, 2, 16, 16), [1, 1, 2, 2])

    The same rows said to be of two fields, each with its own images (here the same ones):

    >>> catalogue["field"] = ["a", "b"] * 3
    >>> net, x2, _ = gradcam_inputs(d, catalogue, FieldMosaics({"a": images, "b": images}), per_class=2)
    >>> bool((x2 == x).all())
    True
    """
    missing = [c for c in (X, Y, CLASS_PRED) if c not in catalogue.colnames]
    if missing:
        raise StarclassError(f"Grad-CAM needs the columns {missing} in the classified catalogue")
    if per_class < 1:
        raise StarclassError(f"per_class must be >= 1, got {per_class}")
    pred = np.asarray(catalogue[CLASS_PRED], dtype=int)
    rng = np.random.default_rng(seed)
    picks = [rng.permutation(np.flatnonzero(pred == k))[:per_class] for k in np.unique(pred[pred > 0])]
    if not picks:
        return None
    rows = np.sort(np.concatenate(picks))
    loaded = model if isinstance(model, LoadedModel) else load_model(model)
    x, y = np.asarray(catalogue[X], float)[rows], np.asarray(catalogue[Y], float)[rows]
    if isinstance(mosaics, FieldMosaics):
        inputs, valid = _inputs_by_field(mosaics, catalogue, rows, x, y, loaded.config)
    else:
        inputs, valid = make_inputs(mosaics, x, y, loaded.config)
    if not np.any(valid):
        return None
    return GradcamInputs(loaded.members[0], inputs[valid], pred[rows][valid], tuple(loaded.classes),
                         pixel_scale=float(loaded.config.pixel_scale) if loaded.config.pixel_scale else None)


def _inputs_by_field(mosaics: FieldMosaics, catalogue: Table, rows: np.ndarray, x: np.ndarray, y: np.ndarray,
                     config: object) -> tuple[np.ndarray, np.ndarray]:
    """:func:`make_inputs` of ``rows``, each cut from its own field's mosaics (the catalogue's ``field`` column)."""
    if FIELD not in catalogue.colnames:
        raise StarclassError(f"each field's mosaics were given but the catalogue has no {FIELD!r} column")
    fields = np.asarray(catalogue[FIELD]).astype(str)[rows]
    missing = sorted(set(fields.tolist()) - set(mosaics.by_field))
    if missing:
        raise StarclassError(f"no mosaics for field {missing[0]!r} of the catalogue (given: "
                             f"{', '.join(mosaics.by_field)})")
    inputs: np.ndarray | None = None
    valid = np.zeros(len(rows), dtype=bool)
    for name in dict.fromkeys(fields.tolist()):
        at = np.flatnonzero(fields == name)
        part, ok = make_inputs(mosaics.by_field[name], x[at], y[at], config)
        if inputs is None:
            inputs = np.zeros((len(rows), *part.shape[1:]), dtype=part.dtype)
        inputs[at], valid[at] = part, ok
    assert inputs is not None  # rows is not empty: its callers return before
    return inputs, valid


def cutout_gradcam_inputs(model: LoadedModel | str | os.PathLike, cutouts: CutoutSet, catalogue: Table, *,
                          per_class: int = 32, seed: int = 0) -> GradcamInputs | None:
    """Grad-CAM inputs from a saved model, a labelled cutout folder and its classified output.

    The cutout-folder counterpart of :func:`gradcam_inputs`: up to ``per_class`` rows of each
    predicted class (``class_pred``; drawn with ``seed``) are found in the folder by their
    ``file`` (:func:`starclass.io.cutout_folders.cutout_rows`) and turned into model inputs
    exactly as ``starclass classify --stamps`` does (:func:`starclass.stamps.images.cutout_inputs`
    with the model's task).

    Parameters
    ----------
    model
        Model directory, member file or loaded model.
    cutouts
        The folder the output was classified from.
    catalogue
        Output of ``starclass classify --stamps`` (``file``, ``class_pred``).
    per_class
        Cutouts per predicted class.
    seed
        Seed of the draw.

    Returns
    -------
    GradcamInputs or None
        None when no row has a predicted class.

    Examples
    --------
    Four two-band cutouts, three of them classified (class 0: none), and a one-member model with
    random weights:

    >>> import tempfile
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)  # bands xray, optical
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> files = [f"c{i}.fits" for i in range(4)]
    >>> cut = CutoutSet(images=np.random.default_rng(0).normal(size=(4, 2, 16, 16)).astype("f4"),
    ...                 table=Table({"file": files}), files=files, labels=None, groups=np.array(files),
    ...                 bands=["xray", "optical"])
    >>> out = Table({"file": files, "class_pred": [1, 2, 2, 0]})  # what classify --stamps writes
    >>> net, x, classes = cutout_gradcam_inputs(d, cut, out, per_class=2)
    >>> x.shape, sorted(classes.tolist())
    ((3, 2, 16, 16), [1, 2, 2])
    """
    if CLASS_PRED not in catalogue.colnames:
        raise StarclassError(f"Grad-CAM needs the column {CLASS_PRED!r} in the classified output")
    if per_class < 1:
        raise StarclassError(f"per_class must be >= 1, got {per_class}")
    where = cutout_rows(catalogue, cutouts)
    pred = np.asarray(catalogue[CLASS_PRED], dtype=int)
    rng = np.random.default_rng(seed)
    picks = [rng.permutation(np.flatnonzero(pred == k))[:per_class] for k in np.unique(pred[pred > 0])]
    if not picks:
        return None
    rows = np.sort(np.concatenate(picks))
    loaded = model if isinstance(model, LoadedModel) else load_model(model)
    images = cutouts.images[where[rows]]
    from starclass.io.cutout_folders import named_planes

    # a folder read without the model's bands (report --stamps) keeps every plane of its cubes: those the
    # headers name as the model's bands are what classify --stamps gave it, not the mean of all. Only where
    # every cube names them, as classify takes them: in a folder mixing named and plain cubes classify
    # averaged every row, and the maps were of the g plane of each (the plain cubes' too)
    taken = (named_planes(cutouts.plane_bands, loaded.config.bands)
             if cutouts.all_planes_named and images.shape[1] == len(cutouts.plane_bands) else None)
    given = images[:, taken] if taken else images
    inputs = cutout_inputs(given, loaded.config)
    # drawn by the cutout files' own rule (starclass.io.cutout_folders.drawing_origin): FITS y up; the
    # NaN pixels (filled for the network) are masked out of the maps as starclass explain does
    # explain's scale (the cutouts' WCS, else the task's nominal one): the report's profiles were in px where
    # explain's, of the same model and folder, were in arcsec
    scale = cutout_pixel_scale(cutouts, int(loaded.config.stamp_size))[0] or loaded.config.pixel_scale
    return GradcamInputs(loaded.members[0], inputs, pred[rows], tuple(loaded.classes),
                         origin=cutouts.origin(where[rows]), no_data=cutout_no_data(given, loaded.config),
                         pixel_scale=float(scale) if scale else None)


def cutout_pixel_scale(cut: CutoutSet, stamp_size: int) -> tuple[float | None, str]:
    """Arcsec per model-input pixel of a cutout folder, from its FITS cutouts' WCS; (None, "") without one.

    Each cutout is resampled over its whole field to ``stamp_size`` px, so an input pixel covers
    the cutout's pixel scale times its width over ``stamp_size``. The task's ``pixel_scale`` is a
    nominal value for the task's own simulated data (``galaxy-cluster``: 1"/px, where the simulator's
    7' on 64 px is 6.6"/px; ``cool-core``: 3.9"/px, where a Chandra cutout is 0.492"/px): explain's
    ``radius_arcsec`` took it whatever the cutouts were. The median over the cutouts' first band
    files is used; a folder whose cutouts differ by more than 2 % says so. Here (not in
    :mod:`starclass.explain.run`, which imports it) so that the report's Grad-CAM finds the same scale.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from astropy.io import fits
    >>> from astropy.wcs import WCS
    >>> from starclass.io.cutout_folders import CutoutSet
    >>> d = Path(tempfile.mkdtemp())
    >>> w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.cdelt = [-2 / 3600, 2 / 3600]
    >>> fits.writeto(d / "a.fits", np.zeros((32, 32), np.float32), w.to_header())
    >>> cs = CutoutSet(images=np.zeros((1, 1, 32, 32), np.float32), table=Table(), files=["a.fits"],
    ...                labels=None, groups=np.array(["a"]), root=d)
    >>> round(cutout_pixel_scale(cs, 64)[0], 6)  # 2"/px over 32 px, resampled to 64 px
    1.0
    """
    from starclass.io.cutout_folders import cutout_fields, cutout_scales

    width = int(cut.images.shape[-1]) if len(cut) else 0
    scales = cutout_scales(cut)
    if not scales or not width:
        return None, ""
    # each cutout's own field over stamp_size: a folder of mixed sizes (mixed_sizes) has one per cutout
    per_cutout = np.asarray(cutout_fields(cut)) / float(stamp_size)
    # ten significant digits: a header's 16-digit degrees (simulate's 0.0021666666666667 deg) gave 3.90000000000006"
    # in explain.json and 1.95000000000003 in the profiles' radius_arcsec, noise no WCS is known to
    per_input = float(f"{float(np.median(per_cutout)):.10g}")
    native = float(np.median(scales))
    sizes = sorted({int(w) for w in cut.widths()})
    over = f"{sizes[0]} px" if len(sizes) == 1 else f"{sizes[0]}-{sizes[-1]} px"
    note = (f"the cutouts' FITS WCS: {native:.4g}\"/px over {over}, resampled to {stamp_size} px "
            f"({per_input:.4g}\"/px)")
    if len(scales) < len(cut.files):
        note += f"; {len(cut.files) - len(scales)} of the {len(cut.files)} cutouts carry no WCS"
    if per_cutout.max() > 1.02 * per_cutout.min():
        note += (f"; their input pixels differ ({per_cutout.min():.4g}-{per_cutout.max():.4g}\"/px): the median "
                 "is used, and radii in arcsec of cutouts of other scales are only indicative")
    return per_input, note


def normalise_maps(maps: np.ndarray) -> np.ndarray:
    """Cut at 0 and scale each map ``[N, H, W]`` to a maximum of 1 (all-zero maps stay 0).

    Examples
    --------
    >>> normalise_maps(np.array([[[-1.0, 2.0], [1.0, 4.0]]]))[0].tolist()
    [[0.0, 0.5], [0.25, 1.0]]
    """
    m = np.clip(np.asarray(maps, dtype=np.float32), 0, None)
    peak = m.reshape(len(m), -1).max(axis=1) if len(m) else np.zeros(0, np.float32)
    return np.divide(m, peak[:, None, None], out=np.zeros_like(m), where=peak[:, None, None] > 0)



def mask_no_data(maps: np.ndarray, no_data: np.ndarray) -> np.ndarray:
    """Maps ``[N, H, W]`` made NaN where the input has no data, each scaled to the peak of its other pixels.

    A cutout's NaN pixels reach the network filled with the background: a map over them shows the
    network's answer to the fill (often the edge of a NaN stripe), not evidence on the sky, and
    its peak there set the scale of the whole map.

    Examples
    --------
    >>> m = np.array([[[1.0, 0.5], [0.25, 0.0]]])
    >>> mask_no_data(m, np.array([[[True, False], [False, False]]]))[0].tolist()
    [[nan, 1.0], [0.5, 0.0]]
    """
    nd = np.asarray(no_data, bool)
    out = normalise_maps(np.where(nd, 0.0, np.asarray(maps, np.float32)))
    out[nd] = np.nan
    return out


def mean_over_data(maps: np.ndarray) -> np.ndarray:
    """The mean ``[H, W]`` of maps ``[N, H, W]`` over those with data at each pixel (NaN: no data; NaN where none has).

    Examples
    --------
    >>> mean_over_data(np.array([[[np.nan, 1.0]], [[0.5, 0.0]]])).tolist()
    [[0.5, 0.5]]
    >>> bool(np.isnan(mean_over_data(np.full((2, 1, 1), np.nan))[0, 0]))
    True
    """
    m = np.asarray(maps, float)
    have = np.isfinite(m)
    n = have.sum(axis=0)
    total = np.where(have, m, 0.0).sum(axis=0)
    # np.nanmean warns "Mean of empty slice" for a pixel without data in any map: NaN is the answer there
    return np.divide(total, n, out=np.full(total.shape, np.nan), where=n > 0)


def class_average_maps(maps: np.ndarray, classes: np.ndarray,
                       labels: Sequence[int] = (1, 2, 3, 4)) -> dict[int, np.ndarray]:
    """Mean Grad-CAM map per class (classes absent from ``classes`` are left out).

    Examples
    --------
    >>> maps = np.stack([np.full((2, 2), v) for v in (1.0, 3.0, 5.0)])
    >>> {k: v.tolist() for k, v in class_average_maps(maps, np.array([1, 1, 2])).items()}
    {1: [[2.0, 2.0], [2.0, 2.0]], 2: [[5.0, 5.0], [5.0, 5.0]]}
    """
    classes = np.asarray(classes)
    return {k: maps[classes == k].mean(axis=0) for k in labels if np.any(classes == k)}


def radial_profile(image: np.ndarray, center: tuple[float, float] | None = None, *,
                   step: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Azimuthally averaged profile of a 2-D map in annuli of width ``step`` pixels.

    The centre defaults to the stamp centre ((W - 1) / 2, (H - 1) / 2), where the candidate
    sits. Returns (radius at the middle of each annulus, mean value). NaN pixels (no data) are
    left out of their annulus' mean; an annulus without another pixel is left out.

    Examples
    --------
    A 5 x 5 map: 5 at the centre, 1 on the eight pixels around it (r = 1 and 1.41), 0 further out:

    >>> img = np.zeros((5, 5)); img[1:4, 1:4] = 1.0; img[2, 2] = 5.0
    >>> [a.tolist() for a in radial_profile(img)]
    [[0.5, 1.5, 2.5], [5.0, 1.0, 0.0]]
    """
    img = np.asarray(image, float)
    if img.ndim != 2:
        raise StarclassError(f"radial_profile needs a 2-D map, got shape {img.shape}")
    hgt, wid = img.shape
    cx, cy = center if center is not None else ((wid - 1) / 2, (hgt - 1) / 2)
    yy, xx = np.indices(img.shape)
    r = np.hypot(xx - cx, yy - cy)
    idx = (r / step).astype(int)
    # a NaN pixel holds no value (a map masked where its input had no data): the annulus is averaged
    # over the others, and an annulus of NaN only is left out
    good = np.isfinite(img).ravel()
    n_annuli = int(idx.max()) + 1 if idx.size else 0
    sums = np.bincount(idx.ravel()[good], img.ravel()[good], minlength=n_annuli)
    cnt = np.bincount(idx.ravel()[good], minlength=n_annuli)
    keep = cnt > 0
    radii = (np.arange(len(cnt)) + 0.5) * step
    return radii[keep], sums[keep] / cnt[keep]
