"""``recipe.class_mix``: class balancing towards a given class mix instead of equal classes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import starclass.learn.train as train_mod
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.train import balance_mix, class_mix_weights, fit, settings_digest


def _tiny(**recipe):
    # no validation split: every labelled row trains, so the counts are the labels' own
    r = {"epochs": 1, "batch_size": 32, "val_fraction": 0.0, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0], recipe=r)


@pytest.fixture(scope="module")
def toy():
    cfg = _tiny()
    return make_synthetic(cfg, 96, seed=3)


def test_weights_give_each_class_its_share_of_the_loss():
    counts = np.array([10.0, 30.0, 20.0, 40.0])
    mix = np.array([0.4, 0.2, 0.2, 0.2])
    w = class_mix_weights(counts, mix)
    # by hand: class k weighs mix_k / (n_k / N) with N = 100
    assert w.tolist() == pytest.approx([4.0, 2 / 3, 1.0, 0.5])
    # the weighted share of each class in the loss is the mix
    assert (w * counts / np.sum(w * counts)).tolist() == pytest.approx(mix.tolist())
    # equal fractions give the balance="class_weights" weights N / (K n_k)
    assert class_mix_weights(counts, balance_mix(None, 4)).tolist() == pytest.approx((100 / (4 * counts)).tolist())
    # a class with no label gets no weight rather than a division by zero
    assert class_mix_weights(np.array([0.0, 5.0]), np.array([0.5, 0.5])).tolist() == [0.0, 0.5]


def test_recipe_checks_the_mix():
    assert _tiny(balance="class_weights", class_mix=[1, 1, 2, 4]).recipe.class_mix == [1.0, 1.0, 2.0, 4.0]
    with pytest.raises(StarclassError, match="balance"):
        _tiny(balance=None, class_mix=[1, 1, 1, 1])
    with pytest.raises(StarclassError, match="3 numbers for 4 classes"):
        _tiny(balance="class_weights", class_mix=[1, 1, 1])
    for bad in ([1, -1, 1, 1], [0, 0, 0, 0], [1, float("nan"), 1, 1], ["a", 1, 1, 1]):
        with pytest.raises(StarclassError, match="class_mix"):
            _tiny(balance="class_weights", class_mix=bad)


def test_no_mix_leaves_the_settings_digest_unchanged():
    # models trained before the option resume: class_mix None is not part of the digest
    cfg = _tiny(balance="class_weights")
    d = cfg.to_dict()
    assert d["recipe"].pop("class_mix") is None
    assert settings_digest(cfg) == settings_digest(d)
    assert settings_digest(cfg) != settings_digest(_tiny(balance="class_weights", class_mix=[1, 2, 3, 4]))


def _loss_weights(tmp_path, toy, monkeypatch, cfg):
    """The ``weight`` that every training batch's cross-entropy got in ``fit(cfg)``."""
    seen = []
    real = train_mod.F.cross_entropy

    def spy(logits, target, weight=None, **kw):
        seen.append(None if weight is None else weight.detach().cpu().numpy().copy())
        return real(logits, target, weight=weight, **kw)

    monkeypatch.setattr(train_mod.F, "cross_entropy", spy)
    fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, seed=0, progress=False, device="cpu")
    assert seen
    return seen


def _counts(toy):
    return np.array([np.sum(toy.class_ref == c) for c in (1, 2, 3, 4)], dtype=float)


def test_fit_weights_the_loss_to_the_mix(tmp_path, toy, monkeypatch):
    mix = [0.1, 0.2, 0.3, 0.4]
    seen = _loss_weights(tmp_path, toy, monkeypatch, _tiny(balance="class_weights", class_mix=mix))
    n = _counts(toy)
    expect = np.array(mix) / (n / n.sum())  # hand computation from the labels
    assert all(w is not None and w == pytest.approx(expect, rel=1e-6) for w in seen)


def test_fit_without_a_mix_keeps_equal_class_weights(tmp_path, toy, monkeypatch):
    seen = _loss_weights(tmp_path, toy, monkeypatch, _tiny(balance="class_weights"))
    n = _counts(toy)
    assert all(w is not None and w == pytest.approx(n.sum() / (4 * n), rel=1e-6) for w in seen)


def test_fit_samples_in_the_mix(tmp_path, toy, monkeypatch):
    drawn = []
    real = torch.multinomial

    def spy(weights, *a, **kw):
        drawn.append(weights.detach().numpy().copy())
        return real(weights, *a, **kw)

    monkeypatch.setattr(train_mod.torch, "multinomial", spy)
    mix = np.array([0.1, 0.2, 0.3, 0.4])
    fit(_tiny(balance="weighted_sampler", class_mix=mix.tolist()), toy.inputs, toy.class_ref,
        outdir=tmp_path, seed=0, progress=False, device="cpu")
    assert drawn
    w = drawn[0]
    # the training rows are the labelled ones in row order (no validation split); the draw
    # probability summed over each class is the mix
    y = toy.class_ref[toy.class_ref > 0]
    per_class = np.array([w[y == c].sum() for c in (1, 2, 3, 4)]) / w.sum()
    assert per_class.tolist() == pytest.approx(mix.tolist())
