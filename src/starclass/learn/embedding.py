"""A trained network's embedding of stamps: the features its last linear layer sees.

The penultimate features (for the compact network the pooled mean and maximum of the last
feature maps, for a ResNet the global average pool) place stamps the network finds alike close
together; :func:`starclass.suggest.typical_pick` clusters them to choose representative
candidates to label. They are read with a forward pre-hook on the network's last
``nn.Linear`` (in module order), so no architecture needs a method of its own.
"""

from __future__ import annotations

import os

import numpy as np
import torch
from torch import nn

from starclass.errors import StarclassError
from starclass.learn.checkpoint import LoadedModel, load_model

__all__ = ["penultimate_features"]


def _last_linear(net: nn.Module) -> nn.Linear:
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise StarclassError(f"penultimate_features: the network ({type(net).__name__}) has no nn.Linear layer "
                             "whose input could serve as its embedding")
    return linears[-1]


@torch.inference_mode()
def penultimate_features(model: LoadedModel | nn.Module | str | os.PathLike, inputs: np.ndarray, *,
                         batch_size: int = 256, device: str | torch.device = "cpu") -> np.ndarray:
    """The input of each network's last linear layer for every stamp, ``[N, F]`` float32.

    Parameters
    ----------
    model : LoadedModel, torch.nn.Module or path
        A saved model (folder), a loaded one, or one network. An ensemble's members' features
        are concatenated (member 0's first): members are trained apart, so their feature axes
        do not correspond and may not be averaged.
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]`` (e.g. :func:`starclass.stamps.images.cutout_inputs`).
    batch_size : int
        Stamps per forward pass.
    device : str or torch.device
        Where to run.

    Returns
    -------
    numpy.ndarray
        ``[N, F]`` features (``F`` = the members' last-layer inputs, summed), in eval mode
        (dropout off, batch-norm with its running statistics).

    Raises
    ------
    StarclassError
        A network without an ``nn.Linear`` layer, or inputs that are not ``[N, C, H, W]``.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    >>> penultimate_features(net, np.zeros((3, 1, 8, 8), np.float32)).shape
    (3, 4)
    """
    if isinstance(model, LoadedModel):
        members = model.members
    elif isinstance(model, nn.Module):
        members = [model]
    else:
        members = load_model(model, device=device).members
    x_all = np.asarray(inputs, dtype=np.float32)
    if x_all.ndim != 4 or len(x_all) == 0:
        raise StarclassError(f"penultimate_features: inputs must be a non-empty [N, C, H, W] array, got shape "
                             f"{x_all.shape}")
    dev = torch.device(device)
    out = []
    for net in members:
        was = net.training
        net.to(dev).eval()
        store: list[torch.Tensor] = []
        hook = _last_linear(net).register_forward_pre_hook(
            lambda _m, inp, store=store: store.append(inp[0].detach().float()))
        try:
            for s in range(0, len(x_all), batch_size):
                net(torch.from_numpy(x_all[s:s + batch_size]).to(dev))
        finally:
            hook.remove()
            net.train(was)
        out.append(torch.cat([f.reshape(f.shape[0], -1) for f in store]).cpu().numpy())
    return np.concatenate(out, axis=1)
