"""CAM of MobileNetV2 (2026-12-05).

Before: ``starclass explain --method cam`` skipped every MobileNet with "CAM needs a network that
ends in global average pooling and one linear layer (ResNet-18/50); this one (TorchvisionNet,
mobilenet_v2) does not", although V2's head is pooling + dropout + linear: torchvision pools with a
function call, which CAM could not hook. Now the maps pooled are taken from ``features``. V3's head
(Linear + Hardswish + Dropout + Linear) has no weight per feature map: CAM still refuses it.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")
import torch.nn.functional as F  # noqa: E402

from starclass.errors import StarclassError  # noqa: E402
from starclass.explain.maps import cam, normalise_maps  # noqa: E402


def test_cam_of_a_mobilenet_v2_is_its_features_times_the_class_weights():
    torch.manual_seed(0)
    net = torchvision.models.mobilenet_v2(weights=None, num_classes=3, width_mult=0.25).eval()
    x = torch.randn(2, 3, 64, 64)
    target = np.array([2, 0])
    maps, raw = cam(net, x, target, return_raw=True)
    with torch.no_grad():
        feats = net.features(x)  # [N, K, h, w]: what the head pools
        logits = net(x)
    lin = net.classifier[-1]
    w, b = lin.weight.detach(), lin.bias.detach()
    for i, t in enumerate(target):
        hand = torch.einsum("k,khw->hw", w[t], feats[i])
        assert np.allclose(raw[i], hand.numpy(), atol=1e-5)
        # a GAP + linear head: the mean of the map plus the bias is the logit
        assert float(hand.mean() + b[t]) == pytest.approx(float(logits[i, t]), abs=1e-4)
        up = F.interpolate(hand[None, None], size=(64, 64), mode="bilinear", align_corners=False)[0]
        assert np.allclose(maps[i], normalise_maps(up.numpy())[0], atol=1e-5)
    assert maps.shape == (2, 64, 64)


def test_cam_of_a_starclass_mobilenet_v2_member_runs_and_v3_is_refused_precisely():
    from starclass.models.torchvision_nets import TorchvisionNet

    torch.manual_seed(0)
    x = torch.randn(2, 2, 32, 32)
    v2 = TorchvisionNet("mobilenet_v2", in_channels=2, n_classes=4, pretrained=None).eval()
    maps = cam(v2, x, 1)
    assert maps.shape == (2, 32, 32) and np.nanmax(maps) == pytest.approx(1.0)
    v3 = TorchvisionNet("mobilenet_v3_small", in_channels=2, n_classes=4, pretrained=None).eval()
    with pytest.raises(StarclassError, match=r"hidden layer and its activation .*Hardswish"):
        cam(v3, x, 1)


def test_cam_still_refuses_a_network_without_global_pooling():
    flat = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
                               torch.nn.Linear(2 * 8 * 8, 2))
    with pytest.raises(StarclassError, match="global average pooling and one linear layer"):
        cam(flat, torch.randn(2, 1, 8, 8))
