"""A compact multi-scale CNN of our own design, built for speed on CPUs.

Idea: StarcNet spends ~1.7 G multiply-adds per candidate running seven full-resolution
128-filter convolutions on each of three magnifications. But the magnified channels (1.6x
and 3.2x) already carry the fine detail of the centre, so a network that sees **all scales
stacked as channels** can afford an **early stride**: every stage starts with a strided 3x3
convolution (32 px -> 16 -> 8 -> 4), followed by residual 3x3 convolutions at the reduced
resolution. The head concatenates global average and global max pooling (the max keeps the
peak of a compact source), so the model accepts any input size and is nearly invariant
under the 8 rotations/flips used in training.

Choices made for CPU speed, measured on this project's 2-core machine: plain 3x3
convolutions rather than depthwise-separable ones (on a CPU a depthwise or 1x1 convolution
over a large batch is bound by memory traffic, and runs at a fraction of the FLOP rate of a
dense 3x3 convolution), few layers (each layer is a pass over the activations), and batch
normalisation **folded into the convolution at inference** (:class:`ConvBN` computes the
folded weights on the fly in eval mode, so a checkpoint stays an ordinary state dict).
About 1/250 of StarcNet's FLOPs on the legus4 input (``benchmarks/models_flops.py``
prints the ratio).

For larger stamps (open-globular 224 px, cool-core 256 px) extra stride-2 stem
convolutions bring the image to about 32 px first, so the cost per candidate stays small.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from starclass.errors import StarclassError
from starclass.models._common import check_input, resize_input
from starclass.models.registry import register

if TYPE_CHECKING:
    from starclass.io.task_like import TaskLike


class ConvBN(nn.Conv2d):
    """3x3 convolution + batch normalisation (+ ReLU), folded into one convolution in eval mode.

    A subclass of :class:`torch.nn.Conv2d` (its weight is the convolution's), so tools that
    look for convolution layers (Grad-CAM hooks, FLOP counters) find it in both modes; its
    output is the normalised (and activated) feature map.

    Examples
    --------
    In eval mode the batch norm is folded into the convolution; the output is the same as
    convolving and normalising in two steps:

    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> layer = ConvBN(2, 4).eval()
    >>> x = torch.randn(1, 2, 8, 8)
    >>> two_steps = F.relu(layer.bn(layer._conv_forward(x, layer.weight, None)))
    >>> layer(x).shape, torch.allclose(layer(x), two_steps, atol=1e-6)
    (torch.Size([1, 4, 8, 8]), True)
    """

    def __init__(self, c_in: int, c_out: int, stride: int = 1, act: bool = True):
        super().__init__(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.act = act

    def folded(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Weights and bias of the convolution with the batch norm folded in."""
        bn = self.bn
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        w = self.weight * scale.reshape(-1, 1, 1, 1)
        b = bn.bias - bn.running_mean * scale
        return w, b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            y = self.bn(self._conv_forward(x, self.weight, None))
        else:
            w, b = self.folded()
            y = self._conv_forward(x, w, b)
        return F.relu(y, inplace=True) if self.act else y


class ResConv(nn.Module):
    """``x + ConvBN(x)`` followed by ReLU.

    Examples
    --------
    >>> block = ResConv(4).eval()
    >>> x = torch.rand(1, 4, 8, 8)
    >>> y = block(x)
    >>> y.shape, torch.equal(y, F.relu(block.body(x) + x))
    (torch.Size([1, 4, 8, 8]), True)
    """

    def __init__(self, c: int):
        super().__init__()
        self.body = ConvBN(c, c, act=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.body(x) + x, inplace=True)


class CompactNet(nn.Module):
    """Compact multi-scale classifier.

    Parameters
    ----------
    in_channels, n_classes : int
        Stamp channels (all scales stacked) and outputs.
    size : int
        Side of the images the network sees; sizes above 45 px get
        ``round(log2(size / 32))`` extra stride-2 stem convolutions (16 filters).
    widths : sequence of int
        Channels of each stage; each stage starts with a stride-2 3x3 convolution.
    depth : sequence of int
        Residual 3x3 convolutions after each stage's strided one.
    dropout : float
        Dropout before the classifier.
    input_size : int or None
        Resample inputs to this size first.
    stem : int or None
        Number of extra stride-2 stem convolutions; None (default) derives it from ``size`` as
        above. Fewer keep more of a large stamp's resolution for the stages (each one less
        costs about 4x the stages' multiply-adds), e.g. ``stem=1`` on a native 128 px cutout
        gives the stages 64 px instead of 32 px.

    Examples
    --------
    Three bands at two scales (six channels), 32 px, four classes:

    >>> net = CompactNet(6, 4, size=32).eval()
    >>> net(torch.zeros(2, 6, 32, 32)).shape
    torch.Size([2, 4])
    """

    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        size: int = 32,
        widths: tuple[int, ...] | list[int] = (32, 64, 96),
        depth: tuple[int, ...] | list[int] = (0, 1, 1),
        dropout: float = 0.1,
        input_size: int | None = None,
        stem: int | None = None,
    ):
        super().__init__()

        if len(widths) != len(depth) or not widths:
            raise StarclassError(f"compact: widths {list(widths)} and depth {list(depth)} must have the same length")
        self.in_channels = in_channels
        self.input_size = input_size
        extra = max(0, int(round(math.log2(size / 32.0)))) if size > 45 else 0
        if stem is not None:
            if int(stem) != stem or not 0 <= int(stem) <= 6:
                raise StarclassError(f"compact: stem={stem!r}; use a whole number of stride-2 stem convolutions, 0-6")
            extra = int(stem)
        layers: list[nn.Module] = []
        c = in_channels
        for _ in range(extra):  # cheap reductions of large stamps towards ~32 px
            layers.append(ConvBN(c, 16, stride=2))
            c = 16
        for w, d in zip(widths, depth):
            layers.append(ConvBN(c, int(w), stride=2))
            c = int(w)
            layers.extend(ResConv(c) for _ in range(int(d)))
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(2 * c, n_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.Linear):
                nn.init.xavier_normal_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(x, self.in_channels, "compact")
        x = resize_input(x, self.input_size)
        f = self.features(x)
        g = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1)
        return self.fc(self.dropout(g))


@register("compact")
def build_compact(config: TaskLike, widths: Sequence[int] = (32, 64, 96), depth: Sequence[int] = (0, 1, 1),
                  dropout: float | None = None, stem: int | None = None) -> CompactNet:
    """Compact multi-scale CNN: strided 3x3 stages, residual convs, BN folded at inference.

    ``dropout`` (before the classifier) is the ``arch_options`` value when given, else the recipe's
    non-zero ``dropout``, else 0.1: a recipe's dropout is honoured here as by the torchvision nets
    (``starclass info`` showed open-globular's 0.5 while this network used 0.1).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> net = build_compact(get_preset("m31-real").copy(stamp_size=128), stem=1)
    >>> sum(1 for m in net.features if getattr(m, "stride", None) == (2, 2))  # one stem + three stages
    4
    """
    if dropout is None:
        # 0.0 is the recipe's unset value: the network's own 0.1 then, as every compact preset trained with
        dropout = config.recipe.dropout or 0.1
    return CompactNet(
        config.n_channels,
        config.n_classes,
        size=config.network_size,
        widths=list(widths),
        depth=list(depth),
        dropout=dropout,
        input_size=config.input_size,
        stem=stem,
    )
