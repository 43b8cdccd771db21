"""Architectures: every preset builds and runs, StarcNet structure, adapters, freezing, weights."""

from __future__ import annotations

import logging

import pytest
import torch
from torch import nn

from starclass.errors import StarclassError
from starclass.learn.config import get_preset, list_presets
from starclass.models import available, build_model, count_flops

pytestmark = pytest.mark.usefixtures("single_thread")


def small(name: str, **extra):
    """A preset shrunk for CPU tests (the geometry the model sees stays the preset's kind)."""
    cfg = get_preset(name)
    over: dict = {}
    if cfg.input_size:
        over["input_size"] = 32
    if cfg.stamp_size > 64:
        over["stamp_size"] = 32
    over.update(extra)
    return get_preset(name, **over)


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_builds_and_gives_logits_of_the_right_shape(name):
    torch.manual_seed(0)
    cfg = small(name)
    members = sorted({0, cfg.n_members - 1})  # phangs4: a ResNet18 and a VGG19-BN member
    for member in members:
        net = build_model(cfg, member=member).eval()
        assert net.architecture == cfg.member(member)["architecture"]
        x = torch.randn(3, cfg.n_channels, cfg.stamp_size, cfg.stamp_size)
        with torch.no_grad():
            y = net(x)
        assert y.shape == (3, cfg.n_classes)
        assert torch.isfinite(y).all()


def test_registry_names():
    assert set(available()) >= {"starcnet", "resnet18", "vgg19_bn", "resnet50", "vgg16", "smallcnn", "compact"}
    with pytest.raises(StarclassError, match="unknown architecture"):
        build_model(get_preset("legus4", architecture="alexnet"))
    with pytest.raises(StarclassError, match="no option"):
        build_model(get_preset("legus4", arch_options={"colour": "blue"}))


def test_starcnet_structure_and_xavier_init():
    torch.manual_seed(0)
    cfg = get_preset("legus4")
    net = build_model(cfg)
    assert len(net.pathways) == 3
    for path in net.pathways:
        convs = [m for m in path.modules() if isinstance(m, nn.Conv2d)]
        norms = [m for m in path.modules() if isinstance(m, nn.GroupNorm)]
        acts = [m for m in path.modules() if isinstance(m, nn.LeakyReLU)]
        assert len(convs) == 7 and len(norms) == 7 and len(acts) == 7
        assert all(c.out_channels == 128 and c.kernel_size == (3, 3) for c in convs)
        # the single pooling layer comes right after the fourth module
        kinds = [type(m).__name__ for m in path.children()]
        assert kinds.count("MaxPool2d") == 1 and kinds.index("MaxPool2d") == 4
    # Xavier normal: std = sqrt(2 / (fan_in + fan_out))
    w = net.pathways[0][1][0].weight
    expected = (2.0 / (128 * 9 + 128 * 9)) ** 0.5
    assert float(w.detach().std()) == pytest.approx(expected, rel=0.05)
    # the pathways see their own scale: changing scale 3 changes the output only through it
    x = torch.randn(2, 15, 32, 32)
    net.eval()
    with torch.no_grad():
        a = net(x)
        x2 = x.clone()
        x2[:, 10:] = 0
        b = net(x2)
    assert not torch.allclose(a, b)
    with pytest.raises(StarclassError, match="expected input"):
        net(torch.randn(2, 5, 32, 32))


def test_band_adapter_modes():
    cfg = get_preset("phangs4", input_size=32, stamp_size=32, arch_options={"adapter": "conv1x1", "pretrained": None})
    net = build_model(cfg)
    assert isinstance(net.adapter, nn.Conv2d) and net.adapter.in_channels == 5 and net.adapter.out_channels == 3
    assert net.body.conv1.in_channels == 3
    wide = build_model(cfg.copy(arch_options={"adapter": "widen", "pretrained": None}))
    assert isinstance(wide.adapter, nn.Identity)
    assert wide.body.conv1.in_channels == 5
    with torch.no_grad():
        assert wide.eval()(torch.randn(2, 5, 32, 32)).shape == (2, 4)
    with pytest.raises(StarclassError, match="adapter"):
        build_model(cfg.copy(arch_options={"adapter": "none", "pretrained": None}))


def test_upsampling_inside_the_model_accepts_stamp_or_network_size():
    cfg = get_preset("m31-binary", input_size=40, arch_options={"pretrained": None})
    net = build_model(cfg).eval()
    with torch.no_grad():
        a = net(torch.randn(2, 2, 56, 56))
        b = net(torch.randn(2, 2, 40, 40))
    assert a.shape == b.shape == (2, 2)


def test_vgg16_first_ten_convolutions_frozen():
    # frozen only over weights that hold something: here a checkpoint's (pretrained=False);
    # without any weights nothing is frozen (tests/test_seeds_training.py)
    cfg = small("open-globular")
    net = build_model(cfg, pretrained=False)
    convs = [m for m in net.body.features if isinstance(m, nn.Conv2d)]
    assert len(convs) == 13
    assert all(not p.requires_grad for c in convs[:10] for p in c.parameters())
    assert all(p.requires_grad for c in convs[10:] for p in c.parameters())
    assert all(p.requires_grad for p in net.body.classifier.parameters())


def test_frozen_batchnorm_keeps_its_statistics_in_training_mode():
    cfg = small("cool-core", arch_options={"pretrained": None, "frozen_layers": 1})
    net = build_model(cfg, pretrained=False).train()  # weights from a checkpoint: frozen as asked
    bn1 = net.body.bn1
    assert not bn1.training and not bn1.weight.requires_grad
    before = bn1.running_mean.clone()
    net(torch.randn(4, 1, 32, 32) * 5 + 3)
    assert torch.equal(before, bn1.running_mean)
    assert net.body.layer4[0].bn1.training


def _save_random_resnet18(path):
    import torchvision

    torch.manual_seed(1)
    sd = torchvision.models.resnet18(weights=None).state_dict()
    torch.save(sd, path)
    return sd


def test_imagenet_weights_from_a_local_file(tmp_path, caplog):
    sd = _save_random_resnet18(tmp_path / "r18.pth")
    cfg = small("cool-core", arch_options={"pretrained": str(tmp_path / "r18.pth")})
    with caplog.at_level(logging.INFO, logger="starclass.models"):
        net = build_model(cfg)
    assert net.weights_source.startswith("imagenet:")
    assert "loaded" in caplog.text
    assert torch.equal(net.body.conv1.weight, sd["conv1.weight"])
    assert torch.equal(net.body.layer3[1].conv2.weight, sd["layer3.1.conv2.weight"])
    assert net.body.fc.out_features == 3  # head replaced for the task
    # widened first convolution: ImageNet filters averaged over RGB, spread over the bands
    cfg5 = get_preset("phangs4", input_size=32, stamp_size=32,
                      arch_options={"adapter": "widen", "pretrained": str(tmp_path / "r18.pth")})
    wide = build_model(cfg5)
    expect = sd["conv1.weight"].mean(dim=1, keepdim=True).repeat(1, 5, 1, 1) * (3.0 / 5)
    assert torch.allclose(wide.body.conv1.weight, expect)


def test_imagenet_weights_from_the_torch_cache_else_from_scratch(tmp_path, caplog, monkeypatch):
    old = torch.hub.get_dir()
    try:
        torch.hub.set_dir(str(tmp_path / "hub"))
        cfg = small("cool-core", arch_options={"pretrained": "auto"})
        with caplog.at_level(logging.INFO, logger="starclass.models"):
            net = build_model(cfg)
        assert net.weights_source == "scratch"
        assert "from scratch" in caplog.text
        (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
        sd = _save_random_resnet18(tmp_path / "hub" / "checkpoints" / "resnet18-f37072fd.pth")
        net = build_model(cfg)
        assert "resnet18-f37072fd.pth" in net.weights_source
        assert torch.equal(net.body.conv1.weight, sd["conv1.weight"])
    finally:
        torch.hub.set_dir(old)


def test_bad_weight_files_are_refused(tmp_path):
    cfg = small("cool-core", arch_options={"pretrained": str(tmp_path / "missing.pth")})
    with pytest.raises(StarclassError, match="does not exist"):
        build_model(cfg)
    torch.save({"something.weight": torch.zeros(3)}, tmp_path / "foreign.pth")
    with pytest.raises(StarclassError, match="do not fit"):
        build_model(cfg.copy(arch_options={"pretrained": str(tmp_path / "foreign.pth")}))
    (tmp_path / "junk.pth").write_bytes(b"not a torch file")
    with pytest.raises(StarclassError, match="cannot be read"):
        build_model(cfg.copy(arch_options={"pretrained": str(tmp_path / "junk.pth")}))


def test_rebuilt_model_accepts_saved_weights_for_every_architecture():
    # what a checkpoint does: build from the config's dict, load the state dict strictly
    from starclass.learn.config import TaskConfig

    for name in ["legus4", "galaxy-cluster", "legus4-compact", "cool-core"]:
        cfg = small(name)
        a = build_model(cfg)
        b = build_model(TaskConfig.from_dict(cfg.to_dict()))
        b.load_state_dict(a.state_dict(), strict=True)


def test_compact_has_ten_times_fewer_flops_than_starcnet():
    star = build_model(get_preset("legus4"))
    comp = build_model(get_preset("legus4-compact"))
    f_star = count_flops(star, (1, 15, 32, 32))
    f_comp = count_flops(comp, (1, 15, 32, 32))
    assert f_star > 1e9  # ~3.4 GFLOP: seven 128-filter convolutions on three pathways
    assert f_star / f_comp >= 10
    lin = nn.Linear(10, 7)
    assert count_flops(lin, (4, 10)) == 2 * 4 * 10 * 7


def test_compact_folds_batchnorm_exactly_in_eval_mode():
    from starclass.models.compact import ConvBN

    torch.manual_seed(0)
    layer = ConvBN(4, 6)
    with torch.no_grad():
        layer.bn.running_mean.uniform_(-1, 1)
        layer.bn.running_var.uniform_(0.5, 2)
        layer.bn.weight.uniform_(0.5, 1.5)
        layer.bn.bias.uniform_(-1, 1)
    layer.eval()
    x = torch.randn(3, 4, 9, 9)
    with torch.no_grad():
        ref = torch.relu(layer.bn(torch.nn.functional.conv2d(x, layer.weight, padding=1)))
        assert torch.allclose(layer(x), ref, atol=1e-5)


def test_compact_handles_large_stamps_cheaply():
    cfg = get_preset("cool-core-compact")  # 256 px X-ray images
    net = build_model(cfg)
    f = count_flops(net, (1, 1, 256, 256))
    f32 = count_flops(build_model(get_preset("legus4-compact")), (1, 15, 32, 32))
    assert f < 5 * f32


def test_pretrained_false_skips_imagenet_weights(tmp_path):
    _save_random_resnet18(tmp_path / "r18.pth")
    cfg = small("cool-core", arch_options={"pretrained": str(tmp_path / "r18.pth")})
    assert build_model(cfg, pretrained=False).weights_source == "scratch"


def test_gradcam_hooks_fire_on_every_cnn_in_eval_mode():
    # Grad-CAM (starclass.science.gradcam) hooks the last Conv2d; the compact model folds its
    # batch norm at inference and must still run through that module
    for name in ["legus4-compact", "galaxy-cluster"]:
        cfg = small(name)
        net = build_model(cfg).eval()
        last = [m for m in net.modules() if isinstance(m, nn.Conv2d)][-1]
        seen = []
        h = last.register_forward_hook(lambda _m, _i, out, seen=seen: seen.append(out.shape))
        with torch.no_grad():
            net(torch.randn(2, cfg.n_channels, cfg.stamp_size, cfg.stamp_size))
        h.remove()
        assert len(seen) == 1 and seen[0][0] == 2


def test_starcnet_norm_option_and_brightness_scale():
    """Group norm (the paper's) discards a stamp's overall brightness scale; batch norm keeps it."""
    torch.manual_seed(0)
    cfg = get_preset("legus4", arch_options={"width": 16})
    x = torch.randn(4, 15, 32, 32)
    outs = {}
    for norm, kind in (("group", nn.GroupNorm), ("batch", nn.BatchNorm2d)):
        net = build_model(cfg.copy(arch_options={"width": 16, "norm": norm})).eval()
        assert sum(isinstance(m, kind) for m in net.modules()) == 21
        with torch.no_grad():
            outs[norm] = (net(x), net(3.0 * x))
    assert torch.allclose(*outs["group"], atol=1e-4)  # biases start at zero: exactly scale-free
    assert not torch.allclose(*outs["batch"], atol=1e-2)
    with pytest.raises(StarclassError, match="norm="):
        build_model(cfg.copy(arch_options={"width": 16, "norm": "layer"}))


def test_compact_stem_option_keeps_more_of_a_native_stamp():
    from starclass.models.compact import CompactNet

    cfg = get_preset("m31-real").copy(stamp_size=128)
    x = torch.zeros(1, 1, 128, 128)
    default = build_model(cfg)
    one = build_model(cfg.copy(arch_options={"stem": 1}))
    # default: two stem convolutions (128 -> 32 px) and three stages -> 4 px; stem=1 -> 8 px
    assert default.features(x).shape[-1] == 4
    assert one.features(x).shape[-1] == 8
    assert count_flops(one, (1, 1, 128, 128)) > 2.5 * count_flops(default, (1, 1, 128, 128))
    with pytest.raises(StarclassError, match="stem"):
        CompactNet(1, 2, size=128, stem=-1)


def test_damaged_weight_file_message_gives_no_torch_advice(tmp_path):
    # a damaged file in the torch cache made train print torch's advice to re-run torch.load
    # with weights_only=False ("will likely succeed") and to file an issue with PyTorch
    bad = tmp_path / "resnet18-f37072fd.pth"
    bad.write_bytes(b"garbage" * 10)
    cfg = small("cool-core", arch_options={"pretrained": str(bad)})
    with pytest.raises(StarclassError) as err:
        build_model(cfg)
    msg = str(err.value)
    assert str(bad) in msg and "damaged" in msg
    assert "weights_only" not in msg and "likely succeed" not in msg and "file an issue" not in msg
    assert "\n" not in msg


@pytest.mark.parametrize("extra,named", [({"stamp_size": 16, "input_size": None}, "stamp_size=16"),
                                         ({"stamp_size": 64, "input_size": 24}, "input_size=24")])
def test_vgg_refuses_inputs_too_small_naming_the_parameter(extra, named):
    # a 16 px stamp reached torch's max-pool and failed there with a traceback after the data was read
    cfg = get_preset("open-globular", arch_options={"pretrained": None, "frozen_layers": 0}, **extra)
    with pytest.raises(StarclassError, match=named) as err:
        build_model(cfg)
    assert "32 px" in str(err.value)
    ok = get_preset("open-globular", stamp_size=32, input_size=None, arch_options={"pretrained": None})
    assert build_model(ok).eval()(torch.zeros(1, 3, 32, 32)).shape == (1, 2)
