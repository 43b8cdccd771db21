"""The small custom CNN of the galaxy-cluster study (Kosiba et al. 2020, seed 004).

Six 3x3 convolutions (64, then five of 32 filters, stride 1, ReLU), each followed by a 2x2
max pooling (ceil mode, so 356 px runs 178, 89, 45, 23, 12, 6 as in the paper's table), then
a dense layer of 256 units with dropout 0.65 and the output layer. The paper feeds merged
X-ray + optical 356 px images; here the channels are the task's bands and any input size
of at least 1 px after six poolings works (the dense layer's width is worked out at build
time from ``config.network_size``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from starclass.errors import StarclassError
from starclass.models._common import check_input, resize_input
from starclass.models.registry import register

if TYPE_CHECKING:
    from starclass.io.task_like import TaskLike


class SmallCNN(nn.Module):
    """Conv(3x3)+ReLU+MaxPool(2) blocks, dense, dropout, output.

    Examples
    --------
    Six poolings take 64 px to 1 px:

    >>> net = SmallCNN(2, 3, size=64).eval()
    >>> net(torch.zeros(1, 2, 64, 64)).shape, net.classifier[1].in_features
    (torch.Size([1, 3]), 32)
    """

    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        size: int,
        widths: list[int] | tuple[int, ...] = (64, 32, 32, 32, 32, 32),
        dense: int = 256,
        dropout: float = 0.65,
        input_size: int | None = None,
    ):
        super().__init__()
        self.in_channels = in_channels
        self.input_size = input_size
        layers: list[nn.Module] = []
        c = in_channels
        side = size
        for w in widths:
            layers += [nn.Conv2d(c, int(w), 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, ceil_mode=True)]
            c = int(w)
            side = -(-side // 2)
        if side < 1:
            raise StarclassError(f"smallcnn: input size {size} is too small for {len(widths)} poolings")
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c * side * side, dense),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(dense, n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(x, self.in_channels, "smallcnn")
        x = resize_input(x, self.input_size)
        return self.classifier(self.features(x))


@register("smallcnn")
def build_smallcnn(config: TaskLike, widths: Sequence[int] = (64, 32, 32, 32, 32, 32), dense: int = 256,
                   dropout: float = 0.65) -> SmallCNN:
    """Small custom CNN of the galaxy-cluster slides: six 3x3 convs with max pooling, dense 256.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> net = build_smallcnn(get_preset("galaxy-cluster"))  # X-ray and optical, 64 px, two classes
    >>> type(net).__name__, net.eval()(torch.zeros(2, 2, 64, 64)).shape
    ('SmallCNN', torch.Size([2, 2]))
    """
    return SmallCNN(
        config.n_channels,
        config.n_classes,
        size=config.network_size,
        widths=list(widths),
        dense=dense,
        dropout=dropout,
        input_size=config.input_size,
    )
