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
