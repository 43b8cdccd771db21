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

from conftest import blob_stamps, bn_calibrated  # noqa: E402  (tests/ is on sys.path under pytest)
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


# --- CAM on a MobileNetV2 whose features are of order one (2026-12-05) ------------------------------------
# A MobileNetV2 fresh from torchvision keeps its initial batch-norm statistics (mean 0, variance 1) in eval
# mode, and its features come out ~1e-6 (logits ~1e-7): the CAM of an untrained V2 is zero everywhere
# (seen on TorchvisionNet mobilenet_v2 at 224 px: every raw map -0.0, logits = the bias), and the test above,
# on such a network, would pass for the maps of any layer (its raw maps agree to 1e-5 whatever they are) and
# cam()'s own logit check (atol 1e-4) cannot fail there. A trained V2 (gc-mobilenet, 4 epochs on simulated
# galaxy-cluster cutouts) gives non-zero CAMs peaked on the objects. The networks below have fixed seeded
# weights and batch norms that hold the statistics of seeded inputs, so their features are of order one as a
# trained network's, and the head's weights are set by hand, so that the right answer is known.


def test_cam_of_a_mobilenet_v2_with_features_of_order_one_is_the_hand_computed_sum():
    torch.manual_seed(0)
    net = bn_calibrated(torchvision.models.mobilenet_v2(weights=None, num_classes=3, width_mult=0.25),
                      (8, 3, 64, 64))
    x = blob_stamps(3, 3, 64)
    with torch.no_grad():
        feats = net.features(x)  # [3, 1280, 2, 2] at 64 px: the maps the head pools
    assert float(feats.abs().max()) > 0.1  # of order one: a wrong layer's maps cannot pass for these
    # the head by hand: class 0 reads the channel that varies most over the map, class 2 its negative,
    # class 1 seeded weights; biases of several sizes
    k0 = int(feats.var(dim=(2, 3)).mean(dim=0).argmax())
    lin = net.classifier[-1]
    with torch.no_grad():
        lin.weight.zero_()
        lin.weight[0, k0] = 1.0
        lin.weight[1] = torch.randn(lin.in_features, generator=torch.Generator().manual_seed(2)) / 10
        lin.weight[2, k0] = -1.0
        lin.bias.copy_(torch.tensor([0.5, -0.25, 0.0]))
    target = np.array([0, 1, 2])
    maps, raw = cam(net, x, target, return_raw=True)
    with torch.no_grad():
        logits = net(x)
    w, b = lin.weight.detach(), lin.bias.detach()
    for i, t in enumerate(target):
        hand = torch.einsum("k,khw->hw", w[t], feats[i])  # Zhou et al. 2016: sum_k w_ck A_k
        assert np.allclose(raw[i], hand.numpy(), rtol=1e-5, atol=1e-6 * float(hand.abs().max()))
        # GAP + linear: the map's mean plus the bias is the logit (here of order one, so the check bites)
        assert float(hand.mean() + b[t]) == pytest.approx(float(logits[i, t]), rel=1e-5)
        up = F.interpolate(hand[None, None], size=(64, 64), mode="bilinear", align_corners=False)[0]
        assert np.allclose(maps[i], normalise_maps(up.numpy())[0], atol=1e-5)
    # the known answers: class 0's map is channel k0 itself; class 2's is its negative, cut at 0: zero
    assert np.allclose(raw[0], feats[0, k0].numpy(), rtol=1e-6)
    assert float(feats[2, k0].max()) > 0 and np.all(maps[2] == 0)
    assert float(np.abs(raw[1]).max()) > 0.01 and maps[1].max() == pytest.approx(1.0)
    # the maps pooled are taken after the last block's ReLU6: its batch norm's output (before the clip)
    # weighted the same way is another map, which the comparison above would have told apart
    with torch.no_grad():
        pre = net.features[-1][1](net.features[-1][0](net.features[:-1](x)))
    assert float((pre < 0).float().mean()) > 0.05
    assert not np.allclose(raw[1], torch.einsum("k,khw->hw", w[1], pre[1]).numpy(), atol=1e-3)


def test_cam_of_a_starclass_mobilenet_v2_member_is_the_hand_computed_sum_at_its_input_size():
    from starclass.models._common import resize_input
    from starclass.models.torchvision_nets import TorchvisionNet

    torch.manual_seed(0)
    # as train builds it: a 1x1 band adapter, stamps of 48 px resampled to 96 px inside forward (3 x 3 maps)
    net = bn_calibrated(TorchvisionNet("mobilenet_v2", in_channels=2, n_classes=2, input_size=96, pretrained=None),
                      (8, 2, 48, 48))
    x = blob_stamps(4, 2, 48)
    with torch.no_grad():
        feats = net.body.features(net.adapter(resize_input(x, 96)))
        logits = net(x)
    assert feats.shape[-2:] == (3, 3) and float(feats.abs().max()) > 0.1
    target = logits.argmax(dim=1).numpy()
    maps, raw = cam(net, x, return_raw=True)  # the predicted class, as explain uses it
    lin = net.body.classifier[-1]
    for i, t in enumerate(target):
        hand = torch.einsum("k,khw->hw", lin.weight.detach()[t], feats[i])
        assert np.allclose(raw[i], hand.numpy(), rtol=1e-5, atol=1e-6 * float(hand.abs().max()))
        assert float(hand.mean() + lin.bias.detach()[t]) == pytest.approx(float(logits[i, t]), rel=1e-4, abs=1e-6)
        up = F.interpolate(hand[None, None], size=(48, 48), mode="bilinear", align_corners=False)[0]
        assert np.allclose(maps[i], normalise_maps(up.numpy())[0], atol=1e-5)
    assert maps.shape == (4, 48, 48)
