"""Presets through the command line, as a user: refusals come before any training, messages once.

Each test here failed on the code before its fix (session 30, presets pass).
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.train import fit

pytestmark = pytest.mark.usefixtures("single_thread")


def _mixed_ensemble(stamp_size: int):
    """phangs4's ResNet18 + VGG19-BN ensemble, one member each, no ImageNet weights, tiny stamps."""
    return get_preset("phangs4", stamp_size=stamp_size, input_size=None, arch_options={"pretrained": None},
                      architecture=[{"architecture": "resnet18", "n": 1}, {"architecture": "vgg19_bn", "n": 1}],
                      recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.0})


def test_mixed_ensemble_refuses_a_stamp_too_small_for_a_later_member_before_training(tmp_path):
    # phangs4 --stamp-size 16 --input-size 0: the ResNet18 member trained and its file was written,
    # then the VGG19-BN member refused the 16 px stamp (exit 2 over a half-written model directory)
    cfg = _mixed_ensemble(16)
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(12, cfg.n_channels, 16, 16)).astype(np.float32)
    labels = np.tile([1, 2, 3, 4], 3)
    out = tmp_path / "model"
    with pytest.raises(StarclassError, match="stamp_size=16") as err:
        fit(cfg, inputs, labels, outdir=out, progress=False, device="cpu")
    assert "vgg19_bn" in str(err.value)
    assert not out.exists()  # nothing trained, nothing written


def _train(args, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    labels = tmp_path / "labels.csv"
    labels.write_text("file,label\nmissing.fits,1\n")  # never read when the refusals come first
    return CliRunner().invoke(app, ["train", "--task", "phangs4", "--stamps", str(labels),
                                    "-o", str(tmp_path / "m"), *args])


@pytest.mark.parametrize("args,expected", [
    ([], ["members 1-10 (resnet18)", "members 11-20 (vgg19_bn)"]),
    (["--ensemble", "1"], ["member 1 (resnet18)", "member 2 (vgg19_bn)"]),
])
def test_missing_imagenet_weights_said_once_per_network_for_the_members_trained(empty_hub, tmp_path, args,
                                                                                 expected):
    # phangs4 printed the same NOTE twenty times (once per member), and with --ensemble 1 still
    # for members 1-20 although two are trained
    r = _train(args, tmp_path)
    notes = [line for line in r.output.splitlines() if line.startswith("NOTE:")]
    assert len(notes) == 2, r.output
    for note, who in zip(notes, expected):
        assert note.startswith(f"NOTE: {who}: no pretrained (ImageNet) weights found"), note
        assert "FROM SCRATCH" in note


def test_cli_refuses_a_stamp_too_small_for_a_member_before_reading_the_data(empty_hub, tmp_path):
    r = _train(["--ensemble", "1", "--stamp-size", "16", "--input-size", "0"], tmp_path)
    assert r.exit_code == 2
    assert "vgg19_bn" in r.output and "stamp_size=16" in r.output and "--stamp-size" in r.output
    assert "missing.fits" not in r.output  # refused before the cutout folder was read
    assert not (tmp_path / "m").exists()


def test_compact_presets_follow_the_recipe_docs_models_md_states():
    # docs/models.md said every *-compact preset trains up to 60 epochs at batch 128 without class
    # balancing; m31-binary-compact trains up to 100, cool-core-compact at batch 32 with balancing
    import re
    from pathlib import Path

    from starclass.learn.config import list_presets

    docs = Path(__file__).resolve().parents[1] / "docs" / "models.md"
    if not docs.exists():
        pytest.skip("docs/models.md not in this installation")
    row = next(line for line in docs.read_text().splitlines() if line.startswith("| `<any>-compact`"))
    recipe = row.rstrip(" |").rsplit("|", 1)[1]
    general, _, exceptions = recipe.partition("except")
    for name in (n for n in list_presets() if n.endswith("-compact")):
        r = get_preset(name).recipe
        told = next((part for part in exceptions.split(", and ") if f"`{name}`" in part), "")
        epochs = re.search(r"up to (\d+) epochs", told) or re.search(r"up to (\d+) epochs", general)
        batch = re.search(r"batch (\d+)", told) or re.search(r"batch (\d+)", general)
        assert int(epochs.group(1)) == r.epochs, (name, r.epochs, row)
        assert int(batch.group(1)) == r.batch_size, (name, r.batch_size, row)
        balanced = "class balancing" in told and "no class balancing" not in told
        assert balanced == (r.balance not in (None, "none")), (name, r.balance, row)


@pytest.mark.slow  # a whole `starclass train` through the CLI: 25 s on the loaded shared machine
def test_frozen_layers_without_weights_said_once(empty_hub, tmp_path, caplog):
    # open-globular without ImageNet weights said "NOT frozen" three times: the CLI's WARNING before
    # training, the VGG16's own log warning, and the member's training note at the end
    import logging

    from typer.testing import CliRunner

    from starclass.cli import app
    rng = np.random.default_rng(3)
    rows = ["file,label"]
    for i in range(9):  # a tiny labelled cutout folder of one band, three classes
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(32, 32)).astype(np.float32) + i % 3)
        rows.append(f"c{i}.npy,{i % 3 + 1}")
    csv = tmp_path / "labels.csv"
    csv.write_text("\n".join(rows) + "\n")
    task = tmp_path / "frozen.yaml"  # a ResNet18 asking for frozen layers: fast, same rule as VGG16
    task.write_text("extends: cool-core\nstamp_size: 32\n"
                    "arch_options: {adapter: conv1x1, pretrained: auto, frozen_layers: 2}\n"
                    "recipe: {epochs: 1, batch_size: 4}\n")
    with caplog.at_level(logging.INFO, logger="starclass.models"):
        r = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(csv), "-o", str(tmp_path / "m"),
                                     "--no-progress"])
    assert r.exit_code == 0, r.output
    shown = r.output + "\n".join(rec.getMessage() for rec in caplog.records if rec.levelno >= logging.WARNING)
    assert shown.count("NOT frozen") == 1, shown
    assert shown.count("FROM SCRATCH") == 1


def test_fine_tuning_does_not_claim_training_from_scratch(empty_hub, tmp_path, caplog):
    # open-globular --resume-from MODEL logged "no pretrained (ImageNet) weights found; training starts
    # FROM SCRATCH and the 10 layer(s) asked to be frozen are NOT frozen", then loaded MODEL's weights
    # and froze the layers over them: the warning was false
    import logging

    import torch

    from starclass.datasets.stamps import make_synthetic

    cfg = get_preset("cool-core", stamp_size=16, arch_options={"adapter": "conv1x1", "pretrained": "auto",
                                                                "frozen_layers": 2},
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.0})
    toy = make_synthetic(cfg, 12, seed=0)
    first = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "a", progress=False, device="cpu")
    assert any("NOT frozen" in n for n in first.notes)  # from scratch: nothing frozen, and said
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="starclass.models"):
        tuned = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "b", progress=False, device="cpu",
                    init_from=tmp_path / "a")
    assert not [r for r in caplog.records if "FROM SCRATCH" in r.getMessage() or "from scratch" in r.getMessage()]
    assert any("frozen over the weights of" in n for n in tuned.notes)
    state = torch.load(tmp_path / "b" / "member_01.pt", weights_only=True)["state_dict"]
    before = torch.load(tmp_path / "a" / "member_01.pt", weights_only=True)["state_dict"]
    # the frozen first convolution kept the starting model's weights through the fine-tuning epoch
    assert torch.equal(state["body.conv1.weight"], before["body.conv1.weight"])


def test_info_gives_the_size_of_each_network_of_a_mixed_ensemble(monkeypatch):
    # phangs4's info said "11.18 M parameters in member 1" (the ResNet18) for an ensemble whose
    # VGG19-BN members have ~140 M each: stand-in members of known sizes, one per architecture
    from pathlib import Path

    from torch import nn

    import starclass.learn.checkpoint as checkpoint
    from starclass.learn.summary import model_summary

    cfg = get_preset("phangs4", architecture=[{"architecture": "resnet18", "n": 1},
                                              {"architecture": "vgg19_bn", "n": 1}])
    members = [nn.Linear(999, 1000), nn.Linear(1999, 1000)]  # 1.0 M and 2.0 M parameters
    fake = checkpoint.LoadedModel(config=cfg, members=members,
                                  checkpoints=[{"architecture": "resnet18"}, {"architecture": "vgg19_bn"}],
                                  paths=[Path("member_01.pt"), Path("member_02.pt")], no_calibration="none")
    monkeypatch.setattr(checkpoint, "load_model", lambda path, device="cpu": fake)
    line = next(x for x in model_summary("m") if x.startswith("  members:"))
    assert "resnet18 1.00" in line and "vgg19_bn 2.00" in line, line


@pytest.mark.parametrize("task,over", [
    ("m31-binary", {}),  # a field task: the offer said `--preset m31 --n 2000` (refused, exit 2) and labels.csv
    ("phangs4", {}),
    ("m31-real", {"architecture": "resnet50", "arch_options": {"pretrained": "auto"}}),  # PAndAS-like cutouts
    ("cool-core", {}),
])
def test_the_pretraining_offer_names_commands_that_run(tmp_path, monkeypatch, task, over):
    # the NOTE printed when ImageNet weights are missing offered, for m31-binary, `starclass simulate
    # sim_pre --preset m31 --n 2000 --seed 7` (exit 2: "--n applies to --preset pandas-cutouts only")
    # and `train --stamps sim_pre/labels.csv`, a file a field simulation never writes
    import re
    import shlex

    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.models.torchvision_nets import pretraining_offer

    offer = pretraining_offer(get_preset(task, **over))
    sim, train = re.findall(r"`([^`]+)`", offer)[:2]
    args = shlex.split(sim)[1:]
    assert args[0] == "simulate"
    # the same command, smaller: 3 objects, and a 64 px field where the preset is a field
    args = ["3" if a == "2000" else a for a in args]
    if "--n-candidates" in args:
        args += ["--size", "64"]
    elif args[args.index("--preset") + 1] != "pandas-cutouts":
        args += ["--size", "32"]
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, [*args, "--quiet"])
    assert r.exit_code == 0, (sim, r.output)
    # every path the train command reads was written by the simulation
    targs = shlex.split(train)
    for opt in ("--stamps", "--mosaics", "--catalog"):
        if opt in targs:
            assert (tmp_path / targs[targs.index(opt) + 1]).exists(), (opt, train)
    assert {"--stamps", "--mosaics"} & set(targs), train


def test_info_says_what_a_task_file_changed_of_the_preset_whose_description_it_keeps(tmp_path):
    # info MODEL called an X-ray-only ResNet-18 (extends: galaxy-cluster, bands: [xray],
    # architecture: resnet18) "X-ray + optical, small CNN", the description it inherited
    from starclass.learn.config import load_config
    from starclass.learn.summary import _description

    f = tmp_path / "xray_r18.yaml"
    f.write_text("extends: galaxy-cluster\nbands: [xray]\narchitecture: resnet18\narch_options: {}\n")
    line = _description(load_config(f))
    assert "a task of its own: preset galaxy-cluster with its bands, architecture" in line, line
    # a preset, or a file with a description of its own, is shown as it is
    assert _description(get_preset("galaxy-cluster")) == f" ({get_preset('galaxy-cluster').description})"
    f.write_text("extends: galaxy-cluster\nbands: [xray]\ndescription: X-ray only\n")
    assert _description(load_config(f)) == " (X-ray only)"
