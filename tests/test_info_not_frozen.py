"""``info MODEL`` says when a member's frozen layers were asked for and not frozen (no pretrained weights).

``train`` freezes layers only over weights that hold something and warns on stderr when it cannot;
until 2026-12-05 ``info`` showed such a member (``open-globular``'s VGG16 without ImageNet weights) as
"trained from scratch (random initial weights)" and nothing more, as if the task had asked for no frozen
layers; a member frozen over weights says "first N convolutions frozen" (unchanged).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def test_info_names_the_layers_asked_to_be_frozen_that_were_not(tmp_path, empty_hub):
    labels = write_noise_cutout_folder(tmp_path / "cutouts", 16)
    task = tmp_path / "frozen.yaml"
    # cool-core's ResNet-18, asked to freeze its first 3 convolutions, in a torch cache without weights
    task.write_text("extends: cool-core\nstamp_size: 16\nclasses: [1, 2]\nclass_names: [cluster, galaxy]\n"
                    "label_map: {cluster: 1, galaxy: 2}\n"
                    "arch_options: {adapter: conv1x1, pretrained: auto, frozen_layers: 3}\n"
                    "recipe: {epochs: 1, batch_size: 8}\n")
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(labels), "-o", str(tmp_path / "m"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "NOT frozen" in res.output  # train's own warning, as before
    res = runner.invoke(app, ["info", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    member = next(line for line in res.output.splitlines() if "member_01.pt" in line)
    assert "trained from scratch" in member
    assert "the 3 layers asked to be frozen NOT frozen (no pretrained weights to freeze)" in member
