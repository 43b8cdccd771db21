"""StarcNet-style three-pathway CNN (Perez et al. 2021, seed 001, section 3.2).

Each magnification of the stamp (1x, 1.6x, 3.2x; channels of the input are scale-major:
the bands of scale 1, then those of scale 2, ...) goes through its own pathway of seven
modules, each a 3x3 convolution with 128 filters, group normalisation (8 groups of 16
channels: the paper's "group size of 16") and a leaky ReLU, with a 2x2 max pooling after the
fourth module. The pathways' features are concatenated and a fully connected layer gives
the class logits. Weights use Xavier initialisation; the paper trains with Adam at 1e-4,
batch 128 (see the ``legus4`` preset).

The number of pathways follows the config's ``scales`` (one scale: a single-pathway net).
``head="flatten"`` (default) feeds the fully connected layer the whole final feature maps;
``head="gap"`` averages them first (fewer parameters, any input size).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from starclass.errors import StarclassError
from starclass.models._common import check_input, resize_input, xavier_init
from starclass.models.registry import register

if TYPE_CHECKING:
    from starclass.io.task_like import TaskLike


def _module(c_in: int, c_out: int, groups: int, slope: float, norm: str = "group") -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=3, padding=1),
        nn.GroupNorm(groups, c_out) if norm == "group" else nn.BatchNorm2d(c_out),
        nn.LeakyReLU(slope),
    )


class Pathway(nn.Sequential):
    """``modules`` conv/norm/LeakyReLU modules with max pooling after ``pool_after``.

    Examples
    --------
    Two modules, pooling after the first: 16 px become 8 px:

    >>> path = Pathway(5, 8, modules=2, pool_after=1, groups=4, slope=0.01)
    >>> path(torch.zeros(1, 5, 16, 16)).shape
    torch.Size([1, 8, 8, 8])
    """

    def __init__(self, c_in: int, width: int, modules: int, pool_after: int, groups: int, slope: float,
                 norm: str = "group"):
        layers: list[nn.Module] = []
        c = c_in
        for i in range(modules):
            layers.append(_module(c, width, groups, slope, norm))
            c = width
            if i + 1 == pool_after:
                layers.append(nn.MaxPool2d(2))
        super().__init__(*layers)


class StarcNet(nn.Module):
    """Multi-pathway StarcNet-style network.

    Parameters
    ----------
    n_bands : int
        Channels per scale.
    n_scales : int
        Number of magnifications = pathways.
    n_classes : int
        Outputs.
    size : int
        Side of the images the pathways see.
    width, modules, pool_after, groups, negative_slope : int, int, int, int, float
        128 filters, 7 modules, pooling after the 4th, 8 groups, slope 0.01.
    head : {"flatten", "gap"}
        What the fully connected layer sees.
    dropout : float
        Dropout before the fully connected layer (the paper mentions dropout among its
        regularisers without a value; 0 by default).
    input_size : int or None
        Resample inputs to this size first.
    norm : {"group", "batch"}
        Group normalisation (the paper's choice) or batch normalisation (the alternative
        its section 4.2 tried). Group normalisation normalises each stamp by its own
        statistics, so an overall brightness scale of the input does not reach the later
        layers; batch normalisation keeps it.

    Examples
    --------
    Five bands at three scales (15 channels), 32 px, four classes; one pathway per scale:

    >>> net = StarcNet(5, 3, 4, size=32, width=16, modules=2, pool_after=1, groups=4)
    >>> len(net.pathways), net(torch.zeros(2, 15, 32, 32)).shape
    (3, torch.Size([2, 4]))
    >>> StarcNet(5, 3, 4, size=32, width=10, groups=4)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: starcnet: width=10 is not a multiple of groups=4
    """

    def __init__(
        self,
        n_bands: int,
        n_scales: int,
        n_classes: int,
        size: int,
        width: int = 128,
        modules: int = 7,
        pool_after: int = 4,
        groups: int = 8,
        negative_slope: float = 0.01,
        head: str = "flatten",
        dropout: float = 0.0,
        input_size: int | None = None,
        norm: str = "group",
    ):
        super().__init__()
        if width % groups:
            raise StarclassError(f"starcnet: width={width} is not a multiple of groups={groups}")
        if not (1 <= pool_after <= modules):
            raise StarclassError(f"starcnet: pool_after={pool_after} must be in 1..modules={modules}")
        if head not in ("flatten", "gap"):
            raise StarclassError(f"starcnet: head={head!r}; use 'flatten' or 'gap'")
        if norm not in ("group", "batch"):
            raise StarclassError(f"starcnet: norm={norm!r}; use 'group' or 'batch'")
        self.n_bands = n_bands
        self.n_scales = n_scales
        self.input_size = input_size
        self.head = head
        self.pathways = nn.ModuleList(
            Pathway(n_bands, width, modules, pool_after, groups, negative_slope, norm) for _ in range(n_scales)
        )
        side = size // 2
        per_path = width * side * side if head == "flatten" else width
        self.pool = nn.AdaptiveAvgPool2d(1) if head == "gap" else nn.Identity()
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(per_path * n_scales, n_classes)
        self.expected_size = size
        xavier_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(x, self.n_bands * self.n_scales, "starcnet")
        x = resize_input(x, self.input_size)
        if self.head == "flatten" and x.shape[-1] != self.expected_size:
            raise StarclassError(
                f"starcnet: built for {self.expected_size} px inputs, got {x.shape[-1]} px "
                "(set the task's input_size, or use head='gap')"
            )
        feats = []
        for k, path in enumerate(self.pathways):
            xk = x[:, k * self.n_bands : (k + 1) * self.n_bands]
            feats.append(torch.flatten(self.pool(path(xk)), 1))
        return self.fc(self.dropout(torch.cat(feats, dim=1)))


@register("starcnet")
def build_starcnet(
    config: TaskLike,
    width: int = 128,
    modules: int = 7,
    pool_after: int = 4,
    groups: int = 8,
    negative_slope: float = 0.01,
    head: str = "flatten",
    dropout: float | None = None,
    norm: str = "group",
) -> StarcNet:
    """StarcNet-style multi-pathway CNN (one pathway per scale), Xavier init.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> net = build_starcnet(get_preset("legus4"), width=16)  # five LEGUS bands, three scales
    >>> type(net).__name__, len(net.pathways), net(torch.zeros(2, 15, 32, 32)).shape
    ('StarcNet', 3, torch.Size([2, 4]))
    """
    size = config.network_size
    return StarcNet(
        n_bands=config.n_bands_in,
        n_scales=len(config.scales),
        n_classes=config.n_classes,
        size=size,
        width=width,
        modules=modules,
        pool_after=pool_after,
        groups=groups,
        negative_slope=negative_slope,
        head=head,
        dropout=config.recipe.dropout if dropout is None else dropout,
        input_size=config.input_size,
        norm=norm,
    )
