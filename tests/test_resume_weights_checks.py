"""``train``'s up-front weight checks read what a resumed run started from, not the weights there now.

Epoch checkpoints record what a run started from (``init_weights``) and a resumed network is built so
(``tests/test_resume_cache_changed.py``); the checks ``train`` makes before reading the data did not
know a resume was coming. Until 2026-12-05 a task file with ``arch_options.pretrained: r18.pth`` and
frozen layers, trained, then rerun after the file was deleted stopped with ``pretrained weights file
... does not exist`` (exit 2), even for a finished model that reads no weights file; and a run started
over cached ImageNet weights, resumed after they were removed from the cache, printed ``FROM SCRATCH
... NOT frozen`` although it went on frozen over its ImageNet start. A run started from scratch,
resumed after the weights were put in the cache, went on from scratch with nothing frozen without a word.
"""

from __future__ import annotations

import pytest
import torch
import torchvision
from typer.testing import CliRunner

from conftest import killed_after_epoch, write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _save_r18(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), path)


def _task(tmp_path, pretrained: str, frozen: int, epochs: int):
    task = tmp_path / "task.yaml"
    task.write_text("extends: cool-core\nstamp_size: 16\npixel_scale: 62.4\nclasses: [1, 2]\n"
                    "class_names: [cluster, galaxy]\nlabel_map: {cluster: 1, galaxy: 2}\n"
                    f"arch_options: {{adapter: conv1x1, pretrained: {pretrained}, frozen_layers: {frozen}}}\n"
                    f"recipe: {{epochs: {epochs}, batch_size: 8}}\n")
    labels = write_noise_cutout_folder(tmp_path / "cutouts", 16)
    return ["train", "--task", str(task), "--stamps", str(labels), "-o", str(tmp_path / "m"), "--no-progress"]


def _member_line(tmp_path) -> str:
    info = CliRunner().invoke(app, ["info", str(tmp_path / "m")]).output
    return next(line for line in info.splitlines() if "member_01.pt" in line)


@pytest.mark.parametrize("finished", [True, False])
def test_a_weights_file_deleted_after_training_does_not_stop_the_same_command(tmp_path, empty_hub, monkeypatch,
                                                                              finished):
    weights = tmp_path / "weights" / "r18.pth"
    _save_r18(weights)
    args = _task(tmp_path, str(weights), 3, 1 if finished else 2)
    if finished:
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, (first.output, first.exception)
    else:
        with killed_after_epoch(monkeypatch, 1):
            res = CliRunner().invoke(app, args)
            raise res.exception
        assert (tmp_path / "m" / "member_01.last.pt").exists()
    weights.unlink()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    assert "does not exist" not in res.output and "FROM SCRATCH" not in res.output, res.output
    said = "member 1 already trained" if finished else "member 1 after epoch 1 of 2"
    assert f"resuming from the checkpoints in {tmp_path / 'm'}: {said}" in res.output, res.output
    member = _member_line(tmp_path)
    assert f"started from ImageNet weights ({weights})" in member and "first 3 convolutions frozen" in member, member
    # the file is still needed to start afresh: --overwrite says so, as before
    again = CliRunner().invoke(app, [*args, "--overwrite"])
    assert again.exit_code == 2 and f"pretrained weights file {weights} does not exist" in again.output, again.output


@pytest.mark.parametrize("frozen", [3, 0])
def test_a_run_resumed_after_the_cache_lost_its_weights_is_not_said_to_go_from_scratch(tmp_path, empty_hub,
                                                                                        monkeypatch, frozen):
    cached = empty_hub / "checkpoints" / "resnet18-f37072fd.pth"
    _save_r18(cached)
    args = _task(tmp_path, "auto", frozen, 2)
    with killed_after_epoch(monkeypatch, 1):
        res = CliRunner().invoke(app, args)
        raise res.exception
    cached.unlink()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    assert "FROM SCRATCH" not in res.output and "NOT frozen" not in res.output, res.output
    member = _member_line(tmp_path)
    assert f"started from ImageNet weights ({cached})" in member, member


def test_a_run_started_from_scratch_and_resumed_over_cached_weights_says_it_goes_on_from_scratch(
        tmp_path, empty_hub, monkeypatch):
    args = _task(tmp_path, "auto", 3, 2)
    with killed_after_epoch(monkeypatch, 1):
        res = CliRunner().invoke(app, args)
        raise res.exception
    cached = empty_hub / "checkpoints" / "resnet18-f37072fd.pth"
    _save_r18(cached)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    # said before the run goes on: the weights now in the cache are not used by a resume
    assert ("WARNING: member 1 (resnet18): the interrupted run resumed here started FROM SCRATCH (no pretrained "
            "weights were found then) and goes on so: the 3 layers asked to be frozen are NOT frozen; "
            f"--overwrite starts afresh over the weights found now ({cached})") in res.output, res.output
    assert "trained from scratch" in _member_line(tmp_path)


def test_a_finished_cross_validation_does_not_need_the_deleted_weights_file(tmp_path, empty_hub):
    weights = tmp_path / "weights" / "r18.pth"
    _save_r18(weights)
    args = [*_task(tmp_path, str(weights), 3, 1), "--cv", "2"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, (first.output, first.exception)
    weights.unlink()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    assert "does not exist" not in res.output and "FROM SCRATCH" not in res.output, res.output
