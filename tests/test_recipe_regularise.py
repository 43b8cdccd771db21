"""``recipe.label_smoothing`` and ``recipe.mixup`` (issue 12, pushing real accuracy): validated,
in the resume digest only away from their neutral values, neutral values train bit for bit as
before, deterministic and resumable, and they work with soft targets (vote distributions)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import yaml
from typer.testing import CliRunner

import starclass.learn.train as train_mod
from conftest import killed_after_epoch
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_checkpoint
from starclass.learn.config import RECIPE_NEUTRAL, TrainRecipe, get_preset
from starclass.learn.train import fit, mixup_batch, settings_digest


def _cfg(**recipe):
    r = {"epochs": 1, "batch_size": 16, "val_fraction": 0.2, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset("galaxy-cluster-compact", stamp_size=16, recipe=r)


@pytest.fixture(scope="module")
def toy():
    return make_synthetic(_cfg(), 48, seed=4)


def _weights(result):
    return load_checkpoint(result.members[0])["state_dict"]


def _same(a, b):
    return all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize(("entry", "bad"), [
    ("label_smoothing", -0.1), ("label_smoothing", 1.0), ("label_smoothing", float("nan")),
    ("label_smoothing", "lots"), ("label_smoothing", True),
    ("mixup", -0.2), ("mixup", float("inf")), ("mixup", "x"), ("mixup", None),
])
def test_bad_values_are_refused_naming_the_entry(entry, bad):
    with pytest.raises(StarclassError, match=rf"recipe\.{entry}="):
        TrainRecipe(**{entry: bad})


def test_good_values_are_kept_as_floats():
    r = TrainRecipe.from_dict({"label_smoothing": "0.1", "mixup": 1})
    assert (r.label_smoothing, r.mixup) == (0.1, 1.0)
    assert isinstance(r.mixup, float)
    assert (TrainRecipe().label_smoothing, TrainRecipe().mixup) == (0.0, 0.0)


def test_cli_refuses_a_bad_value_with_exit_2_and_writes_nothing(tmp_path):
    d = get_preset("m31-real").to_dict()
    d["recipe"]["mixup"] = -1
    task = tmp_path / "bad.yaml"
    task.write_text(yaml.safe_dump(d))
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                                   "-o", str(tmp_path / "model")])
    assert res.exit_code == 2, res.output
    assert "recipe.mixup=-1" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "model").exists()


def test_neutral_values_leave_older_models_resumable():
    assert RECIPE_NEUTRAL["label_smoothing"] == 0.0 and RECIPE_NEUTRAL["mixup"] == 0.0
    cfg = _cfg()
    older = cfg.to_dict()
    # a model trained before the entries existed stored no such keys
    del older["recipe"]["label_smoothing"], older["recipe"]["mixup"]
    assert settings_digest(older) == settings_digest(cfg)
    assert settings_digest(_cfg(label_smoothing=0.1)) != settings_digest(cfg)
    assert settings_digest(_cfg(mixup=0.2)) != settings_digest(cfg)


def test_neutral_values_train_bit_for_bit_as_before(tmp_path, toy, monkeypatch):
    now = fit(_cfg(label_smoothing=0.0, mixup=0.0), toy.inputs, toy.class_ref, outdir=tmp_path / "now",
              seed=3, progress=False, device="cpu")

    # the loss call as it was before the entries (no label_smoothing argument), and no mixup at all:
    # a draw from the training generator at mixup 0 would change every later augmentation
    real_ce = F.cross_entropy

    def old_ce(logits, target, label_smoothing=None, **kw):
        assert label_smoothing in (None, 0.0)
        return real_ce(logits, target, **kw)

    def no_mixup(*a, **kw):
        raise AssertionError("mixup drawn at recipe.mixup 0")

    monkeypatch.setattr(train_mod.F, "cross_entropy", old_ce)
    monkeypatch.setattr(train_mod, "mixup_batch", no_mixup)
    before = fit(_cfg(), toy.inputs, toy.class_ref, outdir=tmp_path / "before", seed=3, progress=False,
                 device="cpu")
    assert _same(_weights(now), _weights(before))
    assert now.histories[0][0]["train_loss"] == before.histories[0][0]["train_loss"]


def test_mixup_batch_mixes_pairs_and_repeats_with_the_generator():
    x = torch.randn(6, 1, 4, 4, generator=torch.Generator().manual_seed(0))
    a, (lam, perm) = mixup_batch(x, 0.4, torch.Generator().manual_seed(7))
    b, (lam2, perm2) = mixup_batch(x, 0.4, torch.Generator().manual_seed(7))
    assert 0.0 < lam < 1.0 and sorted(perm.tolist()) == list(range(6))
    torch.testing.assert_close(a, lam * x + (1 - lam) * x[perm])
    assert lam == lam2 and torch.equal(perm, perm2) and torch.equal(a, b)
    c, (lam3, _) = mixup_batch(x, 0.4, torch.Generator().manual_seed(8))
    assert lam3 != lam


def test_the_loss_smooths_and_mixes_hard_labels_and_soft_targets(tmp_path, toy, monkeypatch):
    calls = []
    real_ce = F.cross_entropy

    def spy(logits, target, **kw):
        calls.append((target.detach().clone(), kw.get("label_smoothing")))
        return real_ce(logits, target, **kw)

    mixes = []
    real_mix = train_mod.mixup_batch

    def mix_spy(xb, alpha, gen):
        out = real_mix(xb, alpha, gen)
        mixes.append(out[1][1])
        return out

    monkeypatch.setattr(train_mod.F, "cross_entropy", spy)
    monkeypatch.setattr(train_mod, "mixup_batch", mix_spy)
    # soft targets: a vote distribution per row
    soft = np.random.default_rng(0).dirichlet([1.0, 1.0], size=len(toy.inputs)).astype(np.float32)
    for name, labels in (("hard", toy.class_ref), ("soft", soft)):
        calls.clear()
        mixes.clear()
        res = fit(_cfg(label_smoothing=0.1, mixup=0.3), toy.inputs, labels, outdir=tmp_path / name, seed=0,
                  progress=False, device="cpu")
        assert np.isfinite(res.histories[0][0]["train_loss"])
        # training batches: two loss calls each (own labels, partners' labels), both smoothed
        train_calls = [c for c in calls if c[1] is not None]
        assert len(train_calls) == 2 * len(mixes) and mixes
        for (own, ls1), (partner, ls2), perm in zip(train_calls[::2], train_calls[1::2], mixes):
            assert ls1 == ls2 == 0.1
            torch.testing.assert_close(partner, own[perm])
        if name == "soft":
            assert train_calls[0][0].ndim == 2 and train_calls[0][0].dtype == torch.float32


def test_mixup_runs_are_deterministic_and_resume_as_uninterrupted(tmp_path, toy, monkeypatch):
    cfg = _cfg(label_smoothing=0.1, mixup=0.2)
    full = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "full", seed=1, epochs=2, progress=False,
               device="cpu")
    again = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "again", seed=1, epochs=2, progress=False,
                device="cpu")
    assert _same(_weights(full), _weights(again))

    with killed_after_epoch(monkeypatch):
        fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "cut", seed=1, epochs=2, progress=False,
            device="cpu")
    resumed = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "cut", seed=1, epochs=2, progress=False,
                  device="cpu")
    assert any("resumed after epoch 1" in n for n in resumed.notes)
    assert _same(_weights(full), _weights(resumed))
    # and mixup does change the training
    plain = fit(_cfg(label_smoothing=0.1), toy.inputs, toy.class_ref, outdir=tmp_path / "plain", seed=1, epochs=2,
                progress=False, device="cpu")
    assert not _same(_weights(full), _weights(plain))
