"""MobileNets behind the one interface, and the galaxy-cluster paper's MobileNet set-up.

Kosiba et al. 2020 (seed 004) compare their custom network with a MobileNet (batch 20, Adadelta
rho 0.95 from lr 1.0, the rate x0.85 after 4 epochs without progress and never below 0.01, dense
dropout 0.65, softmax, cross-entropy, 224 x 224 input). Until 2026-12-05 the registry had no
MobileNet (``build_model`` refused ``architecture: mobilenet_v2`` as unknown) and the recipe no
Adadelta. The ImageNet files here are fabricated (random torchvision state dicts; no download).
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pytest
import torch
import torchvision
from torch import nn
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import TrainRecipe, get_preset
from starclass.learn.train import _make_optimizer, _make_scheduler, fit, settings_digest
from starclass.models import available, build_model, describe
from starclass.models.torchvision_nets import CHECKPOINT_FILES, TorchvisionNet, frozen_over_random

pytestmark = pytest.mark.usefixtures("single_thread")

MOBILENETS = ("mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large")


@pytest.fixture()
def torch_home(tmp_path, monkeypatch):
    """A temporary TORCH_HOME (its hub cache empty), as torch derives the hub folder from it."""
    home = tmp_path / "torch_home"
    monkeypatch.setenv("TORCH_HOME", str(home))
    old = torch.hub.get_dir()
    # another test may have pinned the hub folder (torch.hub.set_dir): point it where TORCH_HOME says
    torch.hub.set_dir(str(home / "hub"))
    yield home
    torch.hub.set_dir(old)


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _task(bands: int = 2, **changes):
    """galaxy-cluster-mobilenet on 32 px stamps (no upsampling to 224: a CPU test), ``bands`` channels."""
    names = ["xray", "optical", "b3", "b4", "b5"][:bands]
    return get_preset("galaxy-cluster-mobilenet", stamp_size=32, input_size=None, bands=names, **changes)


def test_mobilenets_are_registered_with_the_other_torchvision_networks():
    for arch in MOBILENETS:
        assert arch in available()
        assert "ImageNet weights from a local file or the torch hub cache only" in describe(arch)
        assert CHECKPOINT_FILES[arch][0].startswith(arch + "-")


@pytest.mark.parametrize("bands", [1, 2, 3, 5])
def test_forward_gives_one_logit_per_class_for_any_number_of_bands(bands, torch_home):
    cfg = _task(bands)
    assert cfg.n_channels == bands
    net = build_model(cfg).eval()
    assert net.architecture == "mobilenet_v2" and net.weights_source == "scratch"
    # three bands go in as RGB, the others through the 1x1 band adapter (as the ResNets and VGGs)
    assert isinstance(net.adapter, nn.Identity if bands == 3 else nn.Conv2d)
    with torch.no_grad():
        assert net(torch.randn(2, bands, 32, 32)).shape == (2, 2)
        # the paper's 224 px input: stamps resampled inside the model
        big = build_model(cfg.copy(input_size=64)).eval()
        assert big(torch.randn(1, bands, 32, 32)).shape == (1, 2)


@pytest.mark.parametrize("arch", MOBILENETS)
@pytest.mark.parametrize("bands", [1, 5])
def test_widened_first_convolution_takes_the_bands(arch, bands):
    net = TorchvisionNet(arch, bands, 3, adapter="widen", pretrained=None).eval()
    first = net.body.features[0][0]
    assert isinstance(first, nn.Conv2d) and first.in_channels == bands
    with torch.no_grad():
        assert net(torch.randn(2, bands, 32, 32)).shape == (2, 3)


@pytest.mark.parametrize("arch", MOBILENETS)
def test_parameter_count_is_torchvision_s_own_model_with_the_task_s_head(arch):
    ours = TorchvisionNet(arch, 3, 5, adapter="none", pretrained=None)
    theirs = getattr(torchvision.models, arch)(weights=None, num_classes=5)
    assert _params(ours) == _params(theirs)
    # the 1x1 band adapter adds C x 3 weights and 3 biases; widening the first convolution adds its filters
    assert _params(TorchvisionNet(arch, 2, 5, pretrained=None)) == _params(theirs) + 2 * 3 + 3
    first = theirs.features[0][0]
    wide = TorchvisionNet(arch, 5, 5, adapter="widen", pretrained=None)
    assert _params(wide) == _params(theirs) + 2 * first.out_channels * first.kernel_size[0] * first.kernel_size[1]


def test_the_paper_s_dense_dropout_sits_before_the_task_s_layer():
    net = build_model(_task())
    drop = [m for m in net.body.classifier if isinstance(m, nn.Dropout)]
    assert [d.p for d in drop] == [0.65]
    assert net.body.classifier[-1].out_features == 2
    v3 = TorchvisionNet("mobilenet_v3_small", 2, 4, pretrained=None, dropout=0.65)
    assert [m.p for m in v3.body.classifier if isinstance(m, nn.Dropout)] == [0.65]
    assert v3.body.classifier[-1].out_features == 4


@pytest.mark.parametrize("arch", MOBILENETS)
def test_imagenet_weights_in_the_torch_cache_are_found_and_loaded(arch, torch_home, caplog):
    torch.manual_seed(3)
    state = getattr(torchvision.models, arch)(weights=None).state_dict()  # a 1000-class head, as torchvision's
    ckdir = torch_home / "hub" / "checkpoints"
    ckdir.mkdir(parents=True)
    torch.save(state, ckdir / CHECKPOINT_FILES[arch][-1])
    with caplog.at_level(logging.INFO, logger="starclass.models"):
        net = TorchvisionNet(arch, 2, 2, pretrained="auto")
    assert net.weights_source == f"imagenet:{ckdir / CHECKPOINT_FILES[arch][-1]}"
    assert "ImageNet weights loaded" in caplog.text
    body = net.body.state_dict()
    head = f"classifier.{len(net.body.classifier) - 1}."
    for key in [k for k in state if not k.startswith(head)]:
        assert torch.equal(body[key], state[key]), key
    assert net.body.classifier[-1].out_features == 2  # the task's head, not ImageNet's 1000 classes
    # widening spreads the RGB mean of ImageNet's first filters over the bands
    wide = TorchvisionNet(arch, 5, 2, adapter="widen", pretrained="auto")
    expect = state["features.0.0.weight"].mean(dim=1, keepdim=True).repeat(1, 5, 1, 1) * (3.0 / 5)
    assert torch.allclose(wide.body.features[0][0].weight, expect)


def test_the_preset_finds_the_cached_file_by_torchvision_s_name(torch_home):
    ckdir = torch_home / "hub" / "checkpoints"
    ckdir.mkdir(parents=True)
    torch.save(torchvision.models.mobilenet_v2(weights=None).state_dict(), ckdir / "mobilenet_v2-7ebf99e0.pth")
    assert build_model(_task()).weights_source.endswith("mobilenet_v2-7ebf99e0.pth")


@pytest.mark.parametrize("other", ["resnet18", "mobilenet_v3_small"])
def test_another_network_s_file_under_mobilenet_s_name_is_refused(other, torch_home):
    ckdir = torch_home / "hub" / "checkpoints"
    ckdir.mkdir(parents=True)
    torch.save(getattr(torchvision.models, other)(weights=None).state_dict(), ckdir / "mobilenet_v2-7ebf99e0.pth")
    with pytest.raises(StarclassError) as err:
        build_model(_task())
    msg = str(err.value)
    assert "mobilenet_v2-7ebf99e0.pth" in msg and "do not fit torchvision mobilenet_v2" in msg
    assert "a file of another network" in msg


def test_frozen_layers_only_over_weights(torch_home, tmp_path, caplog):
    cfg = _task(arch_options={"dropout": 0.65, "pretrained": "auto", "frozen_layers": 3})
    with caplog.at_level(logging.WARNING, logger="starclass.models"):
        net = build_model(cfg)
    convs = [m for m in net.body.modules() if isinstance(m, nn.Conv2d)]
    assert net.frozen_layers == 0 and net.frozen_requested == 3
    assert all(p.requires_grad for c in convs for p in c.parameters())
    assert "FROM SCRATCH" in caplog.text and "NOT frozen" in caplog.text and "mobilenet_v2-7ebf99e0.pth" in caplog.text
    msgs = frozen_over_random(cfg)
    assert len(msgs) == 1 and msgs[0].startswith("member 1 (mobilenet_v2)") and "3 layers" in msgs[0]
    # over weights, the first three convolutions and their batch norms are frozen
    torch.save(torchvision.models.mobilenet_v2(weights=None).state_dict(), tmp_path / "mn.pth")
    net = build_model(cfg.copy(arch_options={"pretrained": str(tmp_path / "mn.pth"), "frozen_layers": 3}))
    convs = [m for m in net.body.modules() if isinstance(m, nn.Conv2d)]
    assert [all(not p.requires_grad for p in c.parameters()) for c in convs[:4]] == [True, True, True, False]
    with pytest.raises(StarclassError, match="frozen_layers=99 but the network has 52 convolutions"):
        build_model(cfg.copy(arch_options={"pretrained": str(tmp_path / "mn.pth"), "frozen_layers": 99}))


def test_the_preset_carries_the_paper_s_mobilenet_table():
    cfg = get_preset("galaxy-cluster-mobilenet")
    base = get_preset("galaxy-cluster")
    assert (cfg.bands, cfg.classes, cfg.class_names, cfg.threshold) == (base.bands, base.classes,
                                                                        base.class_names, base.threshold)
    assert cfg.architecture == "mobilenet_v2" and cfg.arch_options["dropout"] == 0.65
    assert cfg.input_size == 224
    r = cfg.recipe
    assert (r.batch_size, r.optimizer, r.lr, r.rho) == (20, "adadelta", 1.0, 0.95)
    assert (r.lr_schedule, r.lr_factor, r.lr_patience, r.lr_min) == ("plateau", 0.85, 4, 0.01)
    params = [nn.Parameter(torch.zeros(2))]
    opt = _make_optimizer(r, params)
    assert isinstance(opt, torch.optim.Adadelta)
    assert opt.param_groups[0]["rho"] == 0.95 and opt.param_groups[0]["lr"] == 1.0
    sched = _make_scheduler(r, opt)
    assert sched.factor == 0.85 and sched.patience == 4 and sched.min_lrs == [0.01]


def test_recipe_rho_and_lr_min_are_checked_and_neutral_for_older_models():
    with pytest.raises(StarclassError, match=r"recipe\.rho=1\.5"):
        TrainRecipe(optimizer="adadelta", rho=1.5)
    with pytest.raises(StarclassError, match=r"recipe\.lr_min=-1"):
        TrainRecipe(lr_min=-1)
    with pytest.raises(StarclassError, match="adadelta"):
        TrainRecipe(optimizer="rmsprop")
    # a model saved before the two entries existed has neither in its stored recipe: it still resumes
    cfg = get_preset("galaxy-cluster")
    stored = cfg.to_dict()
    for key in ("rho", "lr_min"):
        del stored["recipe"][key]
    assert settings_digest(stored) == settings_digest(cfg)
    assert settings_digest(cfg.copy(recipe={"lr_min": 1e-6})) != settings_digest(cfg)
    # the floor does nothing (and counts for nothing) under another schedule
    plain = get_preset("cool-core")
    assert settings_digest(plain.copy(recipe={"lr_min": 1e-6})) == settings_digest(plain)


def test_the_plateau_schedule_stops_at_lr_min(tmp_path):
    # the galaxy-cluster network with a rate too small to lower the loss: the rate halves every epoch
    # down to the floor, and stays there
    rec = {"epochs": 4, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None,
           "augment": False, "lr": 1e-6, "lr_factor": 0.5, "lr_patience": 0, "lr_min": 3e-7}
    cfg = get_preset("galaxy-cluster", stamp_size=32, recipe=rec,
                     arch_options={"widths": [4, 4, 4, 4, 4, 4], "dense": 8, "dropout": 0.0})
    toy = make_synthetic(cfg, 16, seed=2)
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, seed=0, progress=False, device="cpu")
    lrs = [h["lr"] for h in res.histories[0]]
    assert min(lrs) == pytest.approx(3e-7) and all(v >= 3e-7 * (1 - 1e-9) for v in lrs)
    assert lrs[0] == pytest.approx(1e-6) and lrs[-1] == pytest.approx(3e-7)


def test_adadelta_trains_a_mobilenet(tmp_path, torch_home):
    cfg = _task(recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 16, seed=1)
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, seed=0, progress=False, device="cpu")
    hist = res.histories[0]
    assert len(hist) == 1 and math.isfinite(hist[0]["train_loss"]) and hist[0]["lr"] == 1.0


def _write_two_band_folder(root, n: int = 12, size: int = 32):
    """``n`` noise cutouts in two bands (``file_xray``, ``file_optical``), labels 1 and 2 alternating."""
    rng = np.random.default_rng(0)
    rows = ["file_xray,file_optical,label"]
    root.mkdir(parents=True)
    for k in range(n):
        label = 1 + k % 2
        for band in ("xray", "optical"):
            img = rng.normal(size=(size, size)).astype(np.float32)
            if label == 1:
                img[size // 2 - 4:size // 2 + 4, size // 2 - 4:size // 2 + 4] += 3.0  # a central source
            np.save(root / f"c{k:02d}_{band}.npy", img)
        rows.append(f"c{k:02d}_xray.npy,c{k:02d}_optical.npy,{label}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_cli_trains_classifies_and_describes_the_mobilenet_preset(tmp_path, torch_home):
    labels = _write_two_band_folder(tmp_path / "cutouts")
    ckdir = torch_home / "hub" / "checkpoints"
    ckdir.mkdir(parents=True)
    torch.manual_seed(5)
    torch.save(torchvision.models.mobilenet_v2(weights=None).state_dict(), ckdir / "mobilenet_v2-7ebf99e0.pth")
    runner = CliRunner()
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", "galaxy-cluster-mobilenet", "--stamps", str(labels),
                              "-o", str(model), "--epochs", "1", "--stamp-size", "32", "--input-size", "32",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "member 1 (mobilenet_v2): started from the ImageNet weights in" in res.output
    assert "mobilenet_v2-7ebf99e0.pth" in res.output
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    assert "task 'galaxy-cluster-mobilenet'" in res.output
    member = next(line for line in res.output.splitlines() if "member_01.pt" in line)
    assert member.split(":")[1].strip().startswith("mobilenet_v2, seed 0")
    assert "mobilenet_v2-7ebf99e0.pth" in member
    out = tmp_path / "classified.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text().splitlines()
    header = text[0].split(",")
    assert {"class_pred", "prob_1", "prob_2"} <= set(header) and len(text) == 13
    probs = np.array([[float(v) for v in (row.split(",")[header.index("prob_1")],
                                          row.split(",")[header.index("prob_2")])] for row in text[1:]])
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_train_help_lists_the_preset_and_the_networks():
    res = CliRunner().invoke(app, ["train", "--help"], terminal_width=200)
    assert res.exit_code == 0
    flat = " ".join(res.output.split())
    assert "galaxy-cluster-mobilenet:" in flat
    assert "mobilenet_v2" in flat
