"""A training resumed after the torch cache gained (or lost) ImageNet weights goes on as it started.

``train`` resumes an interrupted run from its epoch checkpoint. Until 2026-12-05 the resumed network
was built from the torch cache as it was then: a run of a ResNet-18 asked to freeze 3 layers, started
without ImageNet weights (nothing frozen), resumed after the weights were put in the cache, built a
network with 3 frozen layers, and the saved optimizer no longer fitted: ``ValueError: loaded state dict
contains a parameter group that doesn't match the size of optimizer's group`` (a traceback, the run
lost); the other way round the same. Now the epoch checkpoint records what the run started from, and
the resumed network is built so: from scratch with nothing frozen, or frozen as over ImageNet weights
(which the checkpoint's weights replace, no file read).
"""

from __future__ import annotations

import pytest
import torch
import torchvision
from typer.testing import CliRunner

from conftest import killed_after_epoch, write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _weights(hub):
    (hub / "checkpoints").mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), hub / "checkpoints" / "resnet18-f37072fd.pth")


@pytest.mark.parametrize("change,frozen", [("weights added", 3), ("weights removed", 3), ("weights added", 0)])
def test_a_resumed_run_keeps_the_start_it_had(tmp_path, empty_hub, monkeypatch, change, frozen):
    labels = write_noise_cutout_folder(tmp_path / "cutouts", 16)
    task = tmp_path / "frozen.yaml"
    task.write_text("extends: cool-core\nstamp_size: 16\npixel_scale: 62.4\nclasses: [1, 2]\n"
                    "class_names: [cluster, galaxy]\nlabel_map: {cluster: 1, galaxy: 2}\n"
                    f"arch_options: {{adapter: conv1x1, pretrained: auto, frozen_layers: {frozen}}}\n"
                    "recipe: {epochs: 2, batch_size: 8}\n")
    args = ["train", "--task", str(task), "--stamps", str(labels), "-o", str(tmp_path / "m"), "--no-progress"]
    if change == "weights removed":
        _weights(empty_hub)
    with killed_after_epoch(monkeypatch, 1):
        res = CliRunner().invoke(app, args)
        raise res.exception
    assert (tmp_path / "m" / "member_01.last.pt").exists()
    if change == "weights added":
        _weights(empty_hub)
    else:
        (empty_hub / "checkpoints" / "resnet18-f37072fd.pth").unlink()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    member = next(line for line in CliRunner().invoke(app, ["info", str(tmp_path / "m")]).output.splitlines()
                  if "member_01.pt" in line)
    if change == "weights added" and not frozen:
        # nothing to freeze, so the optimizer fitted: the member said it started from the ImageNet weights
        # put in the cache after its first epoch
        assert "trained from scratch" in member and "ImageNet" not in member, member
    elif change == "weights added":
        assert "trained from scratch" in member and "3 layers asked to be frozen NOT frozen" in member, member
    else:
        assert "started from ImageNet weights" in member and "first 3 convolutions frozen" in member, member
