"""Seed 003/004 training: no layer is frozen over random weights; the plateau schedule."""

from __future__ import annotations

import logging
import math

import numpy as np
import pytest
import torch
import torchvision
from torch import nn

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import TrainRecipe, get_preset
from starclass.learn.train import MemberTrainer, ensemble_members, fit, prepare_data, settings_digest
from starclass.models import build_model
from starclass.models.torchvision_nets import frozen_over_random

pytestmark = pytest.mark.usefixtures("single_thread")


def _trainable(conv: nn.Module) -> bool:
    return all(p.requires_grad for p in conv.parameters())


def test_vgg16_without_weights_freezes_nothing_and_says_so(empty_hub, caplog):
    cfg = get_preset("open-globular", input_size=32, stamp_size=32)
    assert cfg.arch_options["frozen_layers"] == 10
    with caplog.at_level(logging.WARNING, logger="starclass.models"):
        net = build_model(cfg)
    convs = [m for m in net.body.features if isinstance(m, nn.Conv2d)]
    assert net.weights_source == "scratch"
    assert all(_trainable(c) for c in convs)  # on the old code the first ten were frozen at random values
    assert net.frozen_layers == 0 and net.frozen_requested == 10
    assert "FROM SCRATCH" in caplog.text and "NOT frozen" in caplog.text
    msgs = frozen_over_random(cfg)
    assert len(msgs) == 1 and "vgg16" in msgs[0] and "10 layer" in msgs[0]
    assert frozen_over_random(cfg, init_from="some_model") == []


def test_layers_are_frozen_over_local_weights(tmp_path):
    torch.manual_seed(1)
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / "r18.pth")
    cfg = get_preset("cool-core", stamp_size=32,
                     arch_options={"pretrained": str(tmp_path / "r18.pth"), "frozen_layers": 2})
    net = build_model(cfg)
    convs = [m for m in net.body.modules() if isinstance(m, nn.Conv2d)]
    assert not _trainable(convs[0]) and not _trainable(convs[1]) and _trainable(convs[2])
    assert net.frozen_layers == 2 and frozen_over_random(cfg) == []
    # a model rebuilt for a checkpoint (classify) keeps the structure without warnings
    assert build_model(cfg, pretrained=False).frozen_layers == 2


def _tiny(arch_options=None, **recipe):
    rec = {"epochs": 1, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None,
           "augment": False, **recipe}
    return get_preset("cool-core", stamp_size=32, recipe=rec,
                      arch_options=arch_options or {"pretrained": None, "frozen_layers": 2})


def test_trainer_warns_then_freezes_over_weights_given_by_init_from(empty_hub, tmp_path):
    cfg = _tiny()
    toy = make_synthetic(cfg, 8, seed=1)
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "a", seed=0, progress=False, device="cpu")
    assert any(n.startswith("WARNING") and "NOT frozen" in n for n in res.notes)
    data = prepare_data(cfg, toy.inputs, toy.class_ref, seed=0)
    trainer = MemberTrainer(cfg, ensemble_members(cfg)[0], data, outdir=tmp_path / "b",
                            device=torch.device("cpu"), amp=None, init_from=tmp_path / "a")
    trainer.setup()
    convs = [m for m in trainer.model.body.modules() if isinstance(m, nn.Conv2d)]
    assert not _trainable(convs[0]) and not _trainable(convs[1]) and _trainable(convs[2])
    frozen_ids = {id(p) for c in convs[:2] for p in c.parameters()}
    optimised = {id(p) for g in trainer.optimizer.param_groups for p in g["params"]}
    assert not frozen_ids & optimised
    assert any("frozen over the weights" in n for n in trainer.notes)


def test_plateau_recipe_is_checked_and_absent_by_default():
    assert TrainRecipe().lr_schedule == "constant"
    assert get_preset("galaxy-cluster").recipe.lr_schedule == "plateau"
    assert get_preset("galaxy-cluster-compact").recipe.lr_schedule == "constant"  # null in its YAML
    with pytest.raises(StarclassError, match="lr_schedule"):
        TrainRecipe(lr_schedule="exponential")
    with pytest.raises(StarclassError, match="lr_factor"):
        TrainRecipe(lr_schedule="plateau", lr_factor=1.5)
    with pytest.raises(StarclassError, match="warmup_epochs"):
        TrainRecipe(lr_schedule="plateau", warmup_epochs=2)
    # no schedule: the settings a model trained before the option existed are unchanged, and the
    # plateau's own parameters do nothing (and count for nothing) under another schedule
    cfg = get_preset("cool-core")
    assert settings_digest(cfg) == settings_digest(cfg.copy(recipe={"lr_schedule": None, "lr_factor": 0.3}))
    assert settings_digest(cfg) != settings_digest(cfg.copy(recipe={"lr_schedule": "plateau"}))
    plateau = cfg.copy(recipe={"lr_schedule": "plateau"})
    assert settings_digest(plateau) != settings_digest(plateau.copy(recipe={"lr_factor": 0.3}))


def _replay_plateau(losses, lr, factor, patience):
    """ReduceLROnPlateau by hand (mode min, relative threshold 1e-4, no cooldown)."""
    best, bad, out = math.inf, 0, []
    for v in losses:
        out.append(lr)
        if v < best * (1 - 1e-4):
            best, bad = v, 0
        else:
            bad += 1
        if bad > patience:
            lr, bad = lr * factor, 0
    return out


def test_plateau_schedule_follows_the_validation_loss(tmp_path):
    # the galaxy-cluster network (no batch norm) with a learning rate too small to lower the loss
    # much: the schedule has plateaus to act on, and its record must match the rule replayed by hand
    rec = {"epochs": 5, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None,
           "augment": False, "lr": 1e-6, "lr_factor": 0.5, "lr_patience": 0}
    cfg = get_preset("galaxy-cluster", stamp_size=64, recipe=rec,
                     arch_options={"widths": [4, 4, 4, 4, 4, 4], "dense": 8, "dropout": 0.0})
    assert cfg.recipe.lr_schedule == "plateau"  # from the preset
    toy = make_synthetic(cfg, 16, seed=2)
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, seed=0, progress=False, device="cpu")
    hist = res.histories[0]
    lrs = [h["lr"] for h in hist]
    assert lrs == pytest.approx(_replay_plateau([h["val_loss"] for h in hist], 1e-6, 0.5, 0), rel=1e-9)
    assert min(lrs) < 1e-6
    assert np.all(np.diff(lrs) <= 0)


def test_train_cli_warns_before_any_training(empty_hub, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    (tmp_path / "labels.csv").write_text("file,label\nmissing.png,1\n")
    r = CliRunner().invoke(app, ["train", "--task", "open-globular", "--stamps", str(tmp_path / "labels.csv"),
                                 "-o", str(tmp_path / "m")])
    # the warning comes first, then the bad input is refused (exit 2) before a network is built
    assert "FROM SCRATCH" in r.output and "NOT frozen" in r.output
    assert r.exit_code == 2 and "missing.png" in r.output


def test_no_weights_message_offers_pretraining_on_simulated_data(empty_hub, tmp_path):
    """Issue 16: where no ImageNet weights exist the CLI names the substitute (pretrain, --init-from)."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.models.torchvision_nets import missing_pretrained

    # VGG16 with frozen layers: the warning carries the offer with the task's own simulator
    msg = frozen_over_random(get_preset("open-globular"))[0]
    assert "--preset open-globular" in msg and "--init-from" in msg
    # ResNet-18 with pretrained: auto and nothing frozen: a note, not silence (old code: none)
    cc = get_preset("cool-core")
    notes = missing_pretrained(cc)
    assert len(notes) == 1 and "resnet18" in notes[0] and "--preset cool-core" in notes[0]
    assert missing_pretrained(cc, init_from="pretrained") == []
    assert missing_pretrained(get_preset("cool-core-compact")) == []  # no torchvision member: nothing to say
    (tmp_path / "labels.csv").write_text("file,label\nmissing.fits,1\n")
    r = CliRunner().invoke(app, ["train", "--task", "cool-core", "--stamps", str(tmp_path / "labels.csv"),
                                 "-o", str(tmp_path / "m")])
    assert "FROM SCRATCH" in r.output and "--init-from pretrained" in r.output
    assert r.exit_code == 2


def test_train_cv_on_a_labelled_cutout_folder(tmp_path):
    """Issue 16: k-fold on what `simulate --preset cool-core` writes (old code: refused, exit 2)."""
    import json

    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.simulate.seed_presets import write_seed_preset

    csv, _ = write_seed_preset("cool-core", tmp_path / "cc", n=12, size=32, seed=3)
    r = CliRunner().invoke(app, ["train", "--task", "cool-core-compact", "--stamps", str(csv), "--cv", "2",
                                 "--epochs", "1", "--no-progress", "--device", "cpu", "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "m" / "cv_summary.json").read_text())
    assert "pooled" in summary and summary["pooled"]["n"] == 12  # every cutout held out exactly once
    assert (tmp_path / "m" / "fold_1").is_dir() and (tmp_path / "m" / "fold_2").is_dir()
    r = CliRunner().invoke(app, ["train", "--task", "cool-core-compact", "--stamps", str(csv), "--cv", "logo",
                                 "-o", str(tmp_path / "m2")])
    assert r.exit_code == 2 and "--cv 10" in r.output and not (tmp_path / "m2").exists()


def test_member_file_records_the_weights_training_started_from(empty_hub, tmp_path):
    # whether a model stood on ImageNet weights or on random filters was recorded nowhere, and
    # train said nothing when the cache's weights were used (a log line at INFO level only)
    from starclass.learn.checkpoint import load_checkpoint

    torch.manual_seed(1)
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / "r18.pth")
    cfg = _tiny(arch_options={"pretrained": str(tmp_path / "r18.pth"), "frozen_layers": 2})
    toy = make_synthetic(cfg, 8, seed=1)
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "a", seed=0, progress=False, device="cpu")
    ck = load_checkpoint(tmp_path / "a" / "member_01.pt")
    assert ck["init_weights"] == f"imagenet:{tmp_path / 'r18.pth'}" and ck["frozen_layers"] == 2
    assert any("ImageNet weights in" in n and "r18.pth" in n and "2 convolutions frozen" in n for n in res.notes)
    scratch = fit(_tiny(), toy.inputs, toy.class_ref, outdir=tmp_path / "b", seed=0, progress=False, device="cpu")
    ck = load_checkpoint(tmp_path / "b" / "member_01.pt")
    assert ck["init_weights"] == "scratch" and ck["frozen_layers"] == 0
    assert not any("ImageNet weights in" in n for n in scratch.notes)


def test_training_without_weights_says_not_frozen_once(empty_hub, tmp_path, caplog):
    """open-globular without ImageNet weights printed "NOT frozen" three times: train's warning
    before training, the network's log warning and fit's note. fit now says it in its note only."""
    cfg = _tiny()
    toy = make_synthetic(cfg, 8, seed=1)
    with caplog.at_level(logging.WARNING, logger="starclass.models"):
        res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "a", seed=0, progress=False, device="cpu")
    assert "NOT frozen" not in caplog.text
    assert sum("NOT frozen" in n for n in res.notes) == 1


@pytest.mark.slow  # trains a ResNet-18: about 20 s on the loaded 2-core machine
def test_train_cli_says_not_frozen_once(empty_hub, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "cc"), "--preset", "cool-core", "--n", "16", "--quiet"])
    assert r.exit_code == 0, r.output
    (tmp_path / "task.yaml").write_text("extends: cool-core\nname: cc-frozen\narch_options: {frozen_layers: 2}\n"
                                        "stamp_size: 32\ninput_size: 32\n")
    r = CliRunner().invoke(app, ["train", "--task", str(tmp_path / "task.yaml"), "--stamps",
                                 str(tmp_path / "cc" / "labels.csv"), "--epochs", "1", "--no-progress",
                                 "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert r.output.count("NOT frozen") == 1 and r.output.index("NOT frozen") < r.output.index("trained 1 member")
