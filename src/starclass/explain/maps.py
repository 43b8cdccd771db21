"""Saliency maps of one network: Grad-CAM at a chosen layer, guided backprop, guided Grad-CAM, CAM.

* **Grad-CAM** (Selvaraju et al. 2017) is :func:`starclass.science.gradcam.gradcam`; here the
  layer is chosen so that its map has a meaning: the *last* rectified feature map (a module's
  output after its activation: :func:`starclass.science.gradcam.feature_map_layers`) that is at
  least ``min_size`` x ``min_size`` pixels (:func:`choose_layer`). The last feature map of a
  ResNet-18 on a 64 px stamp is 2 x 2, and a 2 x 2 map upsampled to 64 px says only which
  quadrant mattered. A bare convolution, before its batch norm and activation, is not such a map
  (a trained ResNet-18 gave zero maps there for 6 of 40 stamps, none at its block's output).
* **Guided backpropagation** (Springenberg et al. 2015): the gradient of the class score with
  respect to the input, with every ReLU passing back only positive gradients where its input
  was positive. It is done by swapping ``torch.nn.functional.relu`` and ``leaky_relu`` (which
  ``nn.ReLU`` / ``nn.LeakyReLU`` call too) for guided versions while the map is computed,
  so it works for module and functional activations alike. The MobileNets' activations are
  guided by the same rule: ReLU6 (``hardtanh`` from 0, which ``nn.ReLU6`` calls, and ``relu6``)
  passes positive gradients where its input was in (0, 6), hard-swish (``hardswish``) positive
  gradients times its slope where its input was positive.
* **Guided Grad-CAM**: guided backprop (absolute value summed over the bands) times the
  upsampled Grad-CAM map, the fine-grained map of the open/globular paper (seed 003).
* **CAM** (Zhou et al. 2016), for networks that end in global average pooling and one linear
  layer (ResNet-18 of the cool-core paper, seed 004; MobileNetV2, which pools by a function call:
  its ``features`` output is taken): ``sum_k w_ck A_k`` over the feature
  maps ``A_k`` that are pooled. :func:`cam` checks the head numerically (the spatial mean of the
  unnormalised CAM plus the bias must equal the logit) and refuses other networks.

All maps are ``[N, H, W]`` at the input stamp's size, normalised to a maximum of 1 per stamp
(negative CAM values are cut at 0, as Grad-CAM's ReLU does).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike
from torch import nn

from starclass.errors import StarclassError, counted

# one home for the masking of maps and for the choice of Grad-CAM's layer, shared with the report's Grad-CAM
# section (report may not import explain)
from starclass.science.gradcam import (
    MIN_MAP_SIZE,
    LayerChoice,
    choose_layer,
    conv_map_sizes,
    gradcam,
    mask_no_data,
    mean_over_data,
    normalise_maps,
)

__all__ = ["MIN_MAP_SIZE", "LayerChoice", "cam", "choose_layer", "conv_map_sizes", "guided_backprop", "guided_gradcam",
           "mask_no_data", "mean_over_data", "normalise_maps", "saliency"]


class _GuidedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        return torch.where(x > 0, x, x * slope)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        local = torch.where(x > 0, torch.ones_like(x), torch.full_like(x, ctx.slope))
        # the "guided" part: only positive gradients flow back, through units that were active
        return grad.clamp(min=0) * local * (x > 0), None


class _GuidedClippedReLU(torch.autograd.Function):
    """ReLU6 (or any ``hardtanh`` from 0 to ``top``) for guided backprop: as :class:`_GuidedReLU`, where
    the unit was active, i.e. its input in (0, ``top``)."""

    @staticmethod
    def forward(ctx, x, top):
        ctx.save_for_backward(x)
        ctx.top = top
        return x.clamp(0.0, top)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad.clamp(min=0) * ((x > 0) & (x < ctx.top)), None


class _GuidedHardswish(torch.autograd.Function):
    """Hard-swish ``x relu6(x + 3) / 6`` for guided backprop: positive gradients times its slope where x > 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * (x + 3).clamp(0.0, 6.0) / 6.0

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        slope = torch.where(x >= 3, torch.ones_like(x), (2 * x + 3) / 6)
        return grad.clamp(min=0) * slope * (x > 0)


@contextlib.contextmanager
def _guided_activations() -> Iterator[None]:
    relu, leaky, hardtanh, relu6, hardswish = F.relu, F.leaky_relu, F.hardtanh, F.relu6, F.hardswish

    def g_relu(x, inplace=False):
        return _GuidedReLU.apply(x, 0.0)

    def g_leaky(x, negative_slope=0.01, inplace=False):
        return _GuidedReLU.apply(x, float(negative_slope))

    def g_hardtanh(x, min_val=-1.0, max_val=1.0, inplace=False):
        # from 0 it is a clipped ReLU (nn.ReLU6 of the MobileNets); other ranges are no ReLU: left as they are
        if min_val == 0:
            return _GuidedClippedReLU.apply(x, float(max_val))
        return hardtanh(x, min_val, max_val, inplace)

    def g_relu6(x, inplace=False):
        return _GuidedClippedReLU.apply(x, 6.0)

    def g_hardswish(x, inplace=False):
        return _GuidedHardswish.apply(x)

    # nn.ReLU / nn.LeakyReLU / nn.ReLU6 / nn.Hardswish call these module attributes, so modules and
    # functional calls are both guided; without ReLU6 a MobileNetV2's "guided" map was the plain gradient
    F.relu, F.leaky_relu, F.hardtanh, F.relu6, F.hardswish = g_relu, g_leaky, g_hardtanh, g_relu6, g_hardswish
    try:
        yield
    finally:
        F.relu, F.leaky_relu, F.hardtanh, F.relu6, F.hardswish = relu, leaky, hardtanh, relu6, hardswish


def _check_target(target, n: int) -> None:
    """Refuse an array of targets whose length is not the number of inputs (it was broadcast or cut silently).

    Examples
    --------
    >>> _check_target([0, 1], 3)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: target has 2 values for 3 inputs: give one 0-based output column per input
    """
    if target is not None and not np.isscalar(target) and np.asarray(target).size != n:
        raise StarclassError(f"target has {counted(np.asarray(target).size, 'value')} for {counted(n, 'input')}: "
                             "give one 0-based output column per input")


def _check_outputs(tgt: torch.Tensor, n_out: int) -> None:
    """Refuse a target outside the model's output columns (torch said "index 7 is out of bounds for dimension 1")."""
    bad = (tgt < 0) | (tgt >= n_out)
    if bool(bad.any()):
        raise StarclassError(f"target {int(tgt[bad][0])} is not an output column of the model: it has {n_out} "
                             f"outputs (0 to {n_out - 1}); the target is 0-based, not a class label")


def _targets(model: nn.Module, x: torch.Tensor, target) -> torch.Tensor:
    if target is None:
        with torch.no_grad():
            return model(x).argmax(dim=1)
    if np.isscalar(target):
        return torch.full((x.shape[0],), int(target), dtype=torch.long)
    return torch.as_tensor(np.asarray(target), dtype=torch.long)


def guided_backprop(model: nn.Module, inputs: np.ndarray | torch.Tensor, target: int | ArrayLike | None = None, *,
                    batch_size: int = 64) -> np.ndarray:
    """Guided-backpropagation maps ``[N, H, W]``: |guided gradient| summed over the bands.

    Parameters
    ----------
    model : torch.nn.Module
        Returns logits ``[N, K]``.
    inputs : array or tensor
        ``[N, C, H, W]``.
    target : int, array of int or None
        0-based output column per stamp (None: the predicted class).
    batch_size : int
        Stamps per backward pass.

    Returns
    -------
    numpy.ndarray
        float32 ``[N, H, W]``, each scaled to a maximum of 1.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 8 * 8, 2))
    >>> guided_backprop(net, torch.randn(3, 1, 8, 8)).shape
    (3, 8, 8)
    """
    x_all = torch.as_tensor(np.asarray(inputs) if not torch.is_tensor(inputs) else inputs, dtype=torch.float32)
    if x_all.ndim != 4:
        raise StarclassError(f"inputs must be [N, C, H, W], got shape {tuple(x_all.shape)}")
    _check_target(target, len(x_all))
    tgt_all = None if target is None or np.isscalar(target) else np.asarray(target)
    was = model.training
    model.eval()
    out = []
    try:
        for s in range(0, len(x_all), batch_size):
            x = x_all[s:s + batch_size].clone().requires_grad_(True)
            tgt = _targets(model, x, target if tgt_all is None else tgt_all[s:s + batch_size])
            with _guided_activations():
                logits = model(x)
                _check_outputs(tgt, logits.shape[1])
                score = logits.gather(1, tgt.view(-1, 1)).sum()
                model.zero_grad(set_to_none=True)
                (grad,) = torch.autograd.grad(score, x)
            out.append(grad.abs().sum(dim=1).cpu().numpy())
    finally:
        model.train(was)
    return normalise_maps(np.concatenate(out) if out else np.zeros((0,) + tuple(x_all.shape[2:]), np.float32))


def guided_gradcam(model: nn.Module, inputs: np.ndarray | torch.Tensor, target: int | ArrayLike | None = None, *,
                   layer: nn.Module | None = None,
                   gradcam_maps: np.ndarray | None = None) -> np.ndarray:
    """Guided Grad-CAM ``[N, H, W]``: guided backprop times the upsampled Grad-CAM map.

    Parameters
    ----------
    model, inputs, target
        As :func:`guided_backprop`.
    layer : torch.nn.Module or None
        Grad-CAM's layer (None: :func:`choose_layer`).
    gradcam_maps : numpy.ndarray or None
        Grad-CAM maps already computed for the same stamps and targets.

    Returns
    -------
    numpy.ndarray
        float32 ``[N, H, W]`` scaled to a maximum of 1 per stamp.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 8 * 8, 2))
    >>> guided_gradcam(net, torch.randn(2, 1, 8, 8)).shape
    (2, 8, 8)
    """
    x = torch.as_tensor(np.asarray(inputs) if not torch.is_tensor(inputs) else inputs, dtype=torch.float32)
    _check_target(target, len(x))
    tgt = _targets(model.eval(), x, target).numpy()
    if gradcam_maps is None:
        layer = layer or choose_layer(model, x).module
        gradcam_maps = gradcam(model, x, tgt, layer=layer, backend="hooks")
    return normalise_maps(guided_backprop(model, x, tgt) * gradcam_maps)


def _gap_linear(model: nn.Module) -> tuple[nn.Module | None, nn.Linear]:
    """The global-average-pooling module (None: pooled by a function call) and the last linear layer."""
    pools = [m for m in model.modules()
             if isinstance(m, nn.AdaptiveAvgPool2d) and m.output_size in (1, (1, 1))]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    # torchvision's MobileNetV2 pools with F.adaptive_avg_pool2d in forward(): no module to hook, so
    # the pooled maps are then the last 4-D output of width lin.in_features (checked by the logit test)
    convs = any(isinstance(m, nn.Conv2d) for m in model.modules())
    if not linears or not (pools or convs):
        arch = getattr(model, "architecture", None) or getattr(model, "arch", "?")
        raise StarclassError(
            "CAM needs a network that ends in global average pooling and one linear layer (ResNet-18/50, "
            f"MobileNetV2); this one ({type(model).__name__}, {arch}) does not: use "
            "gradcam or guided-gradcam")
    return (pools[-1] if pools else None), linears[-1]


def _hook_pooled_maps(model: nn.Module, pool: nn.Module | None, width: int,
                      store: dict[str, torch.Tensor]) -> list:
    """Hooks that put the maps the head pools into ``store["a"]``; returns the handles to remove."""
    if pool is not None:
        return [pool.register_forward_hook(lambda _m, inp, _o: store.__setitem__("a", inp[0].detach()))]

    def keep(_m, _inp, out):
        # the last 4-D output with as many channels as the linear layer has inputs: MobileNetV2's
        # `features`; a layer after the pooling is never 4-D
        if torch.is_tensor(out) and out.ndim == 4 and out.shape[1] == width:
            store["a"] = out.detach()

    return [m.register_forward_hook(keep) for m in model.modules() if m is not model]


def _cam_of_batch(lin: nn.Linear, a: torch.Tensor | None, logits: torch.Tensor, tgt: torch.Tensor,
                  size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """CAM of one batch from the maps its head pooled (``a``) and its logits: raw ``[n, h, w]``, upsampled."""
    _check_outputs(tgt, logits.shape[1])
    if a is None:
        raise StarclassError(
            f"CAM: no feature map of the network has the {lin.in_features} channels its last linear "
            "layer takes: the head is not global average pooling and one linear layer; use gradcam or "
            "guided-gradcam")
    if a.shape[1] != lin.in_features:
        # MobileNetV3: pooled 576/960 maps -> Linear -> Hardswish -> Dropout -> Linear. The class
        # score is not linear in the pooled maps, so no weight per map (and no CAM) exists
        raise StarclassError(
            f"CAM: the pooled feature maps ({a.shape[1]}) do not feed the last linear layer "
            f"({lin.in_features} inputs): a hidden layer and its activation lie between them "
            "(MobileNetV3's Linear + Hardswish), so the class score has no weight per feature map; "
            "use gradcam or guided-gradcam")
    with torch.no_grad():
        w = lin.weight[tgt]  # [n, K]
        raw = torch.einsum("nk,nkhw->nhw", w, a)
        # a GAP + linear head means logit = mean(raw) + bias exactly; anything else is not a CAM
        expect = raw.mean(dim=(1, 2)) + (lin.bias[tgt] if lin.bias is not None else 0)
        got = logits.gather(1, tgt.view(-1, 1))[:, 0]
        if not torch.allclose(expect, got, rtol=1e-3, atol=1e-3 * float(got.abs().max()) + 1e-4):
            raise StarclassError(
                "CAM: the logits are not the global average of the last feature maps through one linear "
                "layer (the head has more layers); use gradcam or guided-gradcam")
        up = F.interpolate(raw[:, None], size=size, mode="bilinear", align_corners=False)[:, 0]
    return raw.cpu().numpy(), up.cpu().numpy()


class CamCapture:
    """CAM from a forward pass that runs anyway: hooks keep its logits and the maps the head pools.

    explain's Grad-CAM pass (or its pass for the outputs) runs the explained network over each chunk; :func:`cam`
    then ran it once more for the same maps and logits. Installed around that pass (a context manager), this
    keeps them, and :meth:`maps` gives what :func:`cam` gives for them. Raises :class:`StarclassError` as
    :func:`cam` does for a network without a GAP + linear head.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    ...                     nn.Linear(4, 3)).eval()
    >>> x = torch.randn(2, 1, 8, 8)
    >>> with CamCapture(net) as capture:
    ...     _ = net(x)  # the pass that runs anyway
    >>> maps, raw = capture.maps(x, [0, 2])
    >>> bool(np.allclose(maps, cam(net, x, [0, 2])))
    True
    """

    def __init__(self, model: nn.Module) -> None:
        self.pool, self.lin = _gap_linear(model)
        self.store: dict[str, torch.Tensor] = {}
        self._model = model
        self._hooks: list = []

    def __enter__(self) -> CamCapture:
        self.store.clear()
        self._hooks = _hook_pooled_maps(self._model, self.pool, self.lin.in_features, self.store)
        self._hooks.append(self._model.register_forward_hook(
            lambda _m, _inp, out: self.store.__setitem__("logits", out.detach())))
        return self

    def __exit__(self, *exc: object) -> None:
        for h in self._hooks:
            h.remove()
        self._hooks = []

    def maps(self, inputs: torch.Tensor, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """CAM of the pass's ``inputs`` for ``target`` (an output index per stamp): normalised and raw maps.

        Where the pass kept no logits of all of ``inputs`` (it ran in batches, or not at all), the network
        runs once more, as :func:`cam`.
        """
        logits = self.store.get("logits")
        if logits is None or logits.ndim != 2 or len(logits) != len(inputs):
            return cam(self._model, inputs, target, return_raw=True)
        tgt = torch.as_tensor(np.asarray(target), dtype=torch.long)
        raw, up = _cam_of_batch(self.lin, self.store.get("a"), logits.float(), tgt, tuple(inputs.shape[-2:]))
        return normalise_maps(up), raw


def cam(model: nn.Module, inputs: np.ndarray | torch.Tensor, target: int | ArrayLike | None = None, *,
        batch_size: int = 64,
        return_raw: bool = False) -> np.ndarray:
    """Class activation maps ``sum_k w_ck A_k`` of a GAP + linear head, upsampled to the stamp.

    Parameters
    ----------
    model : torch.nn.Module
        Ends in global average pooling and one ``nn.Linear`` (dropout between is allowed): an
        ``AdaptiveAvgPool2d(1)`` module (ResNets), or a pooling function call in ``forward``
        (torchvision's MobileNetV2), when the maps taken are the last 4-D output with as many
        channels as the linear layer has inputs (MobileNetV2's ``features``).
    inputs, target
        As :func:`guided_backprop`.
    batch_size : int
        Stamps per forward pass.
    return_raw : bool
        Also return the unnormalised maps at the feature-map resolution ``[N, h, w]``.

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, numpy.ndarray)
        float32 ``[N, H, W]`` in [0, 1] (and the raw maps).

    Raises
    ------
    StarclassError
        The head is not global average pooling followed by one linear layer: the spatial
        mean of the raw map plus the bias must reproduce the logit.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    ...                     nn.Linear(4, 3))
    >>> cam(net, torch.randn(2, 1, 8, 8)).shape
    (2, 8, 8)
    """
    x_all = torch.as_tensor(np.asarray(inputs) if not torch.is_tensor(inputs) else inputs, dtype=torch.float32)
    _check_target(target, len(x_all))
    pool, lin = _gap_linear(model)
    store: dict[str, torch.Tensor] = {}
    hooks = _hook_pooled_maps(model, pool, lin.in_features, store)
    was = model.training
    model.eval()
    raws, ups = [], []
    try:
        with torch.no_grad():
            for s in range(0, len(x_all), batch_size):
                x = x_all[s:s + batch_size]
                logits = model(x)
                tgt = logits.argmax(dim=1) if target is None else (
                    torch.full((len(x),), int(target), dtype=torch.long) if np.isscalar(target)
                    else torch.as_tensor(np.asarray(target)[s:s + batch_size], dtype=torch.long))
                raw, up = _cam_of_batch(lin, store.pop("a", None), logits, tgt, tuple(x.shape[-2:]))
                raws.append(raw)
                ups.append(up)
    finally:
        for h in hooks:
            h.remove()
        model.train(was)
    maps = normalise_maps(np.concatenate(ups))
    return (maps, np.concatenate(raws)) if return_raw else maps


def saliency(model: nn.Module, inputs: np.ndarray | torch.Tensor, method: str,
             target: int | ArrayLike | None = None, *, layer: LayerChoice | None = None,
             gradcam_maps: np.ndarray | None = None) -> np.ndarray:
    """One method's maps by name: ``gradcam``, ``guided-gradcam``, ``guided-backprop`` or ``cam``.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    ...                     nn.Linear(4, 3))
    >>> saliency(net, torch.randn(2, 1, 8, 8), "gradcam").shape
    (2, 8, 8)
    """
    x = torch.as_tensor(np.asarray(inputs) if not torch.is_tensor(inputs) else inputs, dtype=torch.float32)
    if method in ("gradcam", "guided-gradcam"):
        layer = layer or choose_layer(model, x)
        if gradcam_maps is None:
            tgt = _targets(model.eval(), x, target).numpy()
            gradcam_maps = gradcam(model, x, tgt, layer=layer.module, backend="hooks")
        if method == "gradcam":
            return gradcam_maps
        return guided_gradcam(model, x, target, gradcam_maps=gradcam_maps)
    if method == "guided-backprop":
        return guided_backprop(model, x, target)
    if method == "cam":
        return cam(model, x, target)
    raise StarclassError(f"unknown method {method!r}; use gradcam, guided-gradcam, guided-backprop or cam")
