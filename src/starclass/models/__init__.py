"""Every published architecture behind one interface, plus baselines.

:func:`build_model` turns a :class:`starclass.learn.config.TaskConfig` (and an ensemble member
index) into a :class:`torch.nn.Module` whose ``forward`` takes float32 stamps
``[N, config.n_channels, H, W]`` and returns logits ``[N, config.n_classes]``. Models whose
config sets ``input_size`` resample their input to that size inside ``forward``, so they
accept stamps of ``stamp_size`` (or already resampled ones).

Registered architectures (:func:`available`):

``starcnet``   three-pathway StarcNet-style CNN (Perez et al. 2021)
``resnet18``, ``resnet50``, ``resnet101``, ``vgg16``, ``vgg19_bn``, ``mobilenet_v2``,
``mobilenet_v3_small``, ``mobilenet_v3_large``
               torchvision networks with a band adapter, optional upsampling, frozen layers
               and ImageNet weights from a local file or the torch hub cache only
``smallcnn``   the galaxy-cluster network of Kosiba et al. 2020 (six 3x3 convs, dense 256)
``compact``    our small multi-scale network (>= 10x fewer FLOPs than ``starcnet``)

Baselines (scikit-learn) live in :mod:`starclass.models.baselines`; FLOP counting in
:mod:`starclass.models.flops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starclass.models.registry import available, build_model, check_members, describe, register

__all__ = ["available", "build_model", "check_members", "describe", "register", "count_flops"]

if TYPE_CHECKING:  # `import starclass.models` does not load torch (see count_flops)
    from torch import nn


def count_flops(model: nn.Module, input_shape: Sequence[int]) -> int:
    """FLOPs of one forward pass (see :func:`starclass.models.flops.count_flops`).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> count_flops(build_model(cfg, pretrained=False), (1, cfg.n_channels, 16, 16)) > 0
    True
    """
    # models.flops imports torch (+4.2 s measured), which `import starclass.models` does not
    from starclass.models.flops import count_flops as _count

    return _count(model, input_shape)
