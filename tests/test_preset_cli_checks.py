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
