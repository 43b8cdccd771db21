"""Small pieces shared by the architectures."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from starclass.errors import StarclassError


def resize_input(x: torch.Tensor, size: int | None) -> torch.Tensor:
    """Resample ``[N, C, H, W]`` to ``size`` x ``size`` (bilinear; anti-aliased when shrinking).

    Returns ``x`` unchanged when ``size`` is None or already matches.
    """
    if size is None or (x.shape[-1] == size and x.shape[-2] == size):
        return x
    shrink = x.shape[-1] > size or x.shape[-2] > size
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=shrink)


def check_input(x: torch.Tensor, channels: int, who: str) -> None:
    """Raise a clear error for inputs of the wrong rank or channel count."""
    if x.ndim != 4 or x.shape[1] != channels:
        raise StarclassError(
            f"{who}: expected input [N, {channels}, H, W], got {list(x.shape)} "
            "(check the task's bands, scales and normalisation)"
        )


def xavier_init(module: nn.Module) -> None:
    """Xavier (Glorot) normal weights and zero biases for every conv and linear layer."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
