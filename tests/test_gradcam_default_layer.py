"""Grad-CAM's default layer is the last rectified feature map, not the last bare convolution (2026-12-05).

Before: ``gradcam()`` (the report's Grad-CAM) hooked the model's last ``nn.Conv2d`` and ``starclass
explain`` the last convolution with a map of at least 7 x 7: the convolution's output before its batch
norm and activation (ResNet-18 ``layer4.1.conv2``, MobileNetV2 ``features.18.0``, VGG16 ``features.28``).
Selvaraju et al. define Grad-CAM on the feature maps of the last convolutional layer, its rectified
activations. On a trained ResNet-18 the bare convolution gave 6 of 40 maps all zero and a median
correlation of 0.88 with CAM, the last block's output none and 0.996; MobileNetV2 2 of 40 against 0.
Now the default is :func:`starclass.science.gradcam.last_feature_layer` and ``choose_layer`` picks
among :func:`starclass.science.gradcam.feature_map_layers`.

For a network that ends in global average pooling and one linear layer, Grad-CAM at the pooled maps is
CAM exactly (the gradient of the score with respect to each pooled map is w_ck / (h w) at every pixel),
which holds at the block's output and not at a convolution before its batch norm, residual sum and ReLU.
The networks have seeded weights and batch norms that hold the statistics of seeded inputs, so that their
features are of order one as a trained network's (see tests/test_explain_cam_mobilenet.py).
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")

import torch.nn.functional as F  # noqa: E402

from conftest import blob_stamps, bn_calibrated  # noqa: E402  (tests/ is on sys.path under pytest)
from starclass.explain.maps import cam, choose_layer, normalise_maps  # noqa: E402
from starclass.learn.config import get_preset  # noqa: E402
from starclass.models.registry import build_model  # noqa: E402
from starclass.science.gradcam import gradcam, last_conv_layer  # noqa: E402

# feature_map_layers and last_feature_layer are imported in the tests that use them: the module imports on the
# code before them, so that the other tests fail there by their assertions

pytestmark = pytest.mark.usefixtures("single_thread")


# architecture -> the module whose output Grad-CAM explains by default: the last map after an activation
INTENDED = {
    "resnet18": lambda n: n.body.layer4,  # after the last block's residual sum and ReLU
    "resnet50": lambda n: n.body.layer4,
    "vgg16": lambda n: n.body.features[29],  # the last ReLU, before the last max pooling
    "vgg19_bn": lambda n: n.body.features[51],
    "mobilenet_v2": lambda n: n.body.features,  # its last Conv2dNormActivation (conv, BN, ReLU6)
    "mobilenet_v3_small": lambda n: n.body.features,  # conv, BN, hard-swish
    "mobilenet_v3_large": lambda n: n.body.features,
    "smallcnn": lambda n: n.features[16],  # the sixth ReLU, before the sixth pooling
    "compact": lambda n: n.features,  # the last ResConv: ReLU(x + ConvBN(x))
    "starcnet": lambda n: n.pathways[-1],  # the last pathway's last conv / norm / leaky ReLU module
}


@pytest.mark.parametrize("arch", sorted(INTENDED))
def test_the_default_layer_of_every_architecture_is_its_last_rectified_feature_map(arch):
    torch.manual_seed(0)
    # two bands, 32 px; the preset's own options (smallcnn's dense) left out, StarcNet made small
    opts = {"starcnet": {"width": 16, "groups": 4, "modules": 2, "pool_after": 1}}.get(arch, {})
    cfg = get_preset("galaxy-cluster", stamp_size=32).copy(architecture=arch, arch_options=opts)
    net = build_model(cfg, pretrained=False).eval()
    x = blob_stamps(2, cfg.n_channels, 32)
    want = INTENDED[arch](net)
    assert last_conv_layer(net) is not want  # the old default: a convolution before its norm and activation
    assert choose_layer(net, x, min_size=1).module is want  # explain's choice with any map size allowed
    from starclass.science.gradcam import last_feature_layer

    assert last_feature_layer(net, x) is want  # gradcam()'s default (the report's)
    # what the layer returns is an activation's output: non-negative for the ReLUs, >= -3/8 for hard-swish,
    # and leaky ReLU's negative part is 100 times smaller than its positive
    got = {}
    h = want.register_forward_hook(lambda _m, _i, out: got.__setitem__("a", out.detach()))
    with torch.no_grad():
        net(x)
    h.remove()
    a = got["a"]
    low = {"mobilenet_v3_small": -0.375, "mobilenet_v3_large": -0.375, "starcnet": -0.01 * float(a.abs().max())}
    assert float(a.min()) >= low.get(arch, 0.0) - 1e-6


def test_feature_map_layers_name_the_outer_module_and_skip_a_relu_run_twice():
    net = torchvision.models.resnet18(weights=None, num_classes=3).eval()
    small = choose_layer(net, torch.zeros(1, 3, 64, 64))
    assert small.name == "layer2" and small.size == (8, 8) and small.last_size == (2, 2)
    assert choose_layer(net, torch.zeros(1, 3, 256, 256)).name == "layer4"
    assert choose_layer(net, torch.zeros(1, 3, 64, 64), name="layer4.1.conv2").size == (2, 2)  # still by name
    from starclass.science.gradcam import feature_map_layers

    names = [n for n, _, _ in feature_map_layers(net, torch.zeros(1, 3, 64, 64))]
    # the stem's ReLU, then each block and stage: a block's own ReLU runs twice and is left out
    assert names == ["relu", "layer1.0", "layer1", "layer2.0", "layer2", "layer3.0", "layer3", "layer4.0",
                     "layer4"]


def _cam_as_gradcam(net, x, target):
    """CAM's raw maps ``sum_k w_ck A_k`` cut at 0, then upsampled and scaled as Grad-CAM does (CAM itself cuts
    after upsampling, so the two differ by the interpolation near negative pixels)."""
    _, raw = cam(net, x, target, return_raw=True)
    up = F.interpolate(torch.relu(torch.as_tensor(raw))[:, None], size=tuple(x.shape[-2:]), mode="bilinear",
                       align_corners=False)[:, 0]
    return normalise_maps(up.numpy())


def _head_by_hand(lin, k_seed=2):
    with torch.no_grad():
        lin.weight.copy_(torch.randn(lin.weight.shape, generator=torch.Generator().manual_seed(k_seed)) / 10)
        lin.bias.copy_(torch.linspace(-0.5, 0.5, lin.out_features))


@pytest.mark.parametrize("backend", ["hooks", "captum"])
def test_default_gradcam_of_a_gap_linear_resnet_is_its_cam_and_the_convolutions_is_not(backend):
    if backend == "captum":
        pytest.importorskip("captum")
    torch.manual_seed(0)
    net = bn_calibrated(torchvision.models.resnet18(weights=None, num_classes=3), (8, 3, 128, 128))
    _head_by_hand(net.fc)
    x = blob_stamps(4, 3, 128)  # 4 x 4 maps at layer4
    with torch.no_grad():
        assert float(net.layer4(net.layer3(net.layer2(net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(x))))))))
                     .abs().max()) > 0.1  # features of order one
    target = np.array([0, 1, 2, 1])
    want = _cam_as_gradcam(net, x, target)
    assert all(m.max() == pytest.approx(1.0) for m in want)  # no zero CAM: the comparison bites everywhere
    got = gradcam(net, x, target, backend=backend)
    assert np.allclose(got, want, atol=1e-5)
    conv = gradcam(net, x, target, layer=net.layer4[1].conv2, backend=backend)
    assert np.abs(conv - want).max() > 0.1


def test_default_gradcam_of_a_starclass_mobilenet_v2_is_its_cam():
    from starclass.models.torchvision_nets import TorchvisionNet

    torch.manual_seed(0)
    net = bn_calibrated(TorchvisionNet("mobilenet_v2", in_channels=2, n_classes=2, input_size=96, pretrained=None),
                      (8, 2, 48, 48))
    _head_by_hand(net.body.classifier[-1])
    x = blob_stamps(4, 2, 48)
    target = np.array([0, 1, 0, 1])
    want = _cam_as_gradcam(net, x, target)
    assert all(m.max() == pytest.approx(1.0) for m in want)
    assert np.allclose(gradcam(net, x, target, backend="hooks"), want, atol=1e-5)
    lay = choose_layer(net, x, min_size=1)  # explain's choice: the 3 x 3 output of features
    assert lay.name == "body.features" and lay.size == (3, 3)
    assert np.allclose(gradcam(net, x, target, layer=lay.module, backend="hooks"), want, atol=1e-5)
    conv = gradcam(net, x, target, layer=net.body.features[-1][0], backend="hooks")
    assert np.abs(conv - want).max() > 0.1
