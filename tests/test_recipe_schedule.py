"""Learning-rate schedules, translation and Gaussian-noise augmentation (the M31 paper's recipe),
and the resume digest: new options count, their neutral values leave older models resumable."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.augment import add_noise, augment_batch, translate
from starclass.learn.config import RECIPE_NEUTRAL, TrainRecipe, get_preset
from starclass.learn.train import fit, settings_digest


def test_schedules_by_hand():
    step = TrainRecipe(lr=0.1, epochs=6, lr_schedule="step", lr_step=2, lr_gamma=0.1)
    assert [step.lr_at(e) for e in range(6)] == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    cos = TrainRecipe(lr=1.0, epochs=5, lr_schedule="cosine", lr_min_factor=0.1)
    got = [cos.lr_at(e) for e in range(5)]
    want = [0.1 + 0.45 * (1 + math.cos(math.pi * e / 4)) for e in range(5)]
    assert got == pytest.approx(want) and got[0] == pytest.approx(1.0) and got[-1] == pytest.approx(0.1)
    warm = TrainRecipe(lr=0.3, epochs=5, warmup_epochs=2)
    assert [warm.lr_at(e) for e in range(4)] == pytest.approx([0.1, 0.2, 0.3, 0.3])
    with pytest.raises(StarclassError, match="lr_schedule"):
        TrainRecipe(lr_schedule="exponential")
    with pytest.raises(StarclassError, match="recipe.shift"):
        TrainRecipe(shift=-1)
    with pytest.raises(StarclassError, match="recipe.noise"):
        TrainRecipe(noise=float("nan"))


def test_translate_matches_a_shift_with_edges_repeated():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2, 6, 7)).astype(np.float32)
    dx, dy = np.array([2, -1, 0]), np.array([0, 3, -2])
    got = translate(torch.from_numpy(x), torch.from_numpy(dx), torch.from_numpy(dy)).numpy()
    for i in range(3):
        rows = np.clip(np.arange(6) - dy[i], 0, 5)
        cols = np.clip(np.arange(7) - dx[i], 0, 6)
        np.testing.assert_array_equal(got[i], x[i][:, rows][:, :, cols])


def test_noise_scales_with_each_stamps_spread_and_off_means_unchanged():
    g = torch.Generator().manual_seed(1)
    x = torch.zeros(2, 1, 64, 64)
    x[0, 0] = torch.randn(64, 64, generator=g) * 5.0  # spread 5
    x[1, 0] = torch.randn(64, 64, generator=g) * 0.5  # spread 0.5
    out = add_noise(x, torch.tensor([0.2, 0.2]), torch.Generator().manual_seed(2))
    added = (out - x).std(dim=(1, 2, 3))
    assert added[0].item() == pytest.approx(0.2 * x[0].std().item(), rel=0.05)
    assert added[1].item() == pytest.approx(0.2 * x[1].std().item(), rel=0.05)
    torch.testing.assert_close(add_noise(x, torch.zeros(2), torch.Generator()), x)
    # shift 0 and noise 0 draw nothing more: the plain augmentation's random stream is unchanged
    a = augment_batch(x, torch.Generator().manual_seed(3))
    b = augment_batch(x, torch.Generator().manual_seed(3), shift=0, noise=0.0)
    torch.testing.assert_close(a, b)


def test_new_options_are_in_the_resume_digest_but_neutral_values_match_older_models():
    cfg = get_preset("galaxy-cluster-compact")
    older = cfg.to_dict()
    older["recipe"] = {k: v for k, v in older["recipe"].items() if k not in RECIPE_NEUTRAL}
    assert settings_digest(older) == settings_digest(cfg)  # a model trained before the options resumes
    for change in ({"shift": 2}, {"noise": 0.1}, {"lr_schedule": "cosine"}, {"warmup_epochs": 1}):
        assert settings_digest(cfg.copy(recipe=change)) != settings_digest(cfg), change


def test_training_follows_the_schedule_epoch_by_epoch(tmp_path):
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16,
                     recipe={"epochs": 3, "lr": 0.01, "lr_schedule": "step", "lr_step": 1, "lr_gamma": 0.5,
                             "shift": 2, "noise": 0.1, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 24, seed=0)
    result = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, progress=False, device="cpu")
    assert [h["lr"] for h in result.histories[0]] == pytest.approx([0.01, 0.005, 0.0025])
