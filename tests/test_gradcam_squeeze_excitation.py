"""A squeeze-and-excitation block's ReLU is not a feature map for Grad-CAM (2026-12-05).

Before: :func:`starclass.science.gradcam.feature_map_layers` listed MobileNetV3's (and EfficientNet's)
``features.N.block.2.activation`` as 1 x 1 maps: the ReLU inside the squeeze-excitation block, whose
``[N, C, 1, 1]`` output is made from the globally pooled maps only. ``explain --layer`` accepted it
("1x1 map") and drew one value over the whole stamp, and its refusal of an unknown layer listed them among
the model's feature maps; the block's fc1 and fc2 (1 x 1 convolutions on that vector) were offered and
taken the same way as convolutions. Now such a vector is left out of both lists, while a ResNet's last
block, 1 x 1 on a small stamp but made from the pixels through its convolutions, is still listed.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")

from starclass.errors import StarclassError  # noqa: E402
from starclass.explain.maps import choose_layer  # noqa: E402
from starclass.science.gradcam import feature_map_layers  # noqa: E402

pytestmark = pytest.mark.usefixtures("single_thread")


def _se_names(net):
    from torchvision.ops.misc import SqueezeExcitation

    return {f"{n}.{c}" for n, m in net.named_modules() if isinstance(m, SqueezeExcitation)
            for c, _ in m.named_modules() if c}


@pytest.mark.parametrize("build", [torchvision.models.mobilenet_v3_small, torchvision.models.efficientnet_b0])
def test_no_squeeze_excitation_module_is_a_feature_map(build):
    net = build(weights=None, num_classes=2).eval()
    se = _se_names(net)
    assert any(n.endswith(".activation") for n in se)  # the blocks are there: the check below can fail
    layers = feature_map_layers(net, torch.zeros(1, 3, 64, 64))
    names = [n for n, _, _ in layers]
    assert not se & set(names), sorted(se & set(names))
    assert names[-1] == "features" and len(layers) > 5


def test_an_se_relu_asked_by_name_is_refused_and_not_offered():
    net = torchvision.models.mobilenet_v3_small(weights=None, num_classes=2).eval()
    with pytest.raises(StarclassError) as err:
        choose_layer(net, torch.zeros(1, 3, 64, 64), name="features.4.block.2.activation")
    feature_part = str(err.value).split("after an activation):")[1].split("its convolutions:")[0]
    assert "features.4.block.2" not in feature_part and "features.4.block.0" in feature_part


def test_a_resnet_block_that_is_one_pixel_on_a_small_stamp_is_still_a_map():
    net = torchvision.models.resnet18(weights=None, num_classes=2).eval()
    layers = {n: s for n, _, s in feature_map_layers(net, torch.zeros(1, 3, 32, 32))}
    assert layers["layer4"] == (1, 1) and layers["layer4.0"] == (1, 1)


def test_an_se_convolution_asked_by_name_is_refused_too():
    # the SE block's fc1/fc2 (1x1 convolutions on the pooled vector) were offered and taken as convolutions
    net = torchvision.models.mobilenet_v3_small(weights=None, num_classes=2).eval()
    with pytest.raises(StarclassError) as err:
        choose_layer(net, torch.zeros(1, 3, 64, 64), name="features.4.block.2.fc1")
    convs = str(err.value).split("its convolutions:")[1]
    assert "features.4.block.2.fc" not in convs and "features.4.block.0.0" in convs
    tiny = torchvision.models.resnet18(weights=None, num_classes=2).eval()
    # a convolution that is 1 x 1 on a small stamp but made from the pixels is still one
    assert choose_layer(tiny, torch.zeros(1, 3, 32, 32), name="layer4.1.conv2").size == (1, 1)
