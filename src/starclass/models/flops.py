"""Count the floating-point operations of a forward pass.

Uses :class:`torch.utils.flop_counter.FlopCounterMode` (PyTorch's own counter, which knows
convolutions, matrix products and their grouped/strided variants). One multiply-add counts
as 2 FLOPs. Normalisation, activation, pooling and resampling are not counted; they are a
few percent of any of these networks.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def count_flops(model: nn.Module, input_shape: Sequence[int]) -> int:
    """FLOPs of ``model`` on a zero input of ``input_shape`` (e.g. ``(1, 15, 32, 32)``).

    Divide by ``input_shape[0]`` for FLOPs per candidate. The model is run in eval mode
    under ``torch.no_grad`` and restored to its previous mode.

    Examples
    --------
    A 3x3 convolution, one channel in and out, on 4 x 4 pixels: 16 outputs of 9 multiply-adds
    (2 FLOPs each):

    >>> count_flops(nn.Conv2d(1, 1, 3, padding=1, bias=False), (1, 1, 4, 4)), 16 * 9 * 2
    (288, 288)
    """
    # torch.utils.flop_counter adds 0.16 s (measured) to `import starclass.models`; only FLOP counts need it
    from torch.utils.flop_counter import FlopCounterMode

    was_training = model.training
    model.eval()
    try:
        x = torch.zeros(tuple(int(s) for s in input_shape), dtype=torch.float32)
        counter = FlopCounterMode(display=False)
        with torch.no_grad(), counter:
            model(x)
        return int(counter.get_total_flops())
    finally:
        model.train(was_training)

