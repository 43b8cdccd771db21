"""Precision settings: float32, mixed precision on CUDA, bfloat16 on any device (CPU included)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import starclass.models as models_mod
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_checkpoint, load_model
from starclass.learn.classify import member_probabilities, predict_inputs
from starclass.learn.config import get_preset
from starclass.learn.precision import compute_dtype, parse_precision, to_memory_format
from starclass.learn.train import fit


def _tiny(**recipe):
    r = {"epochs": 2, "batch_size": 32, "val_fraction": 0.2, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0], recipe=r)


def test_parse_and_dtype():
    assert parse_precision("auto") is True and parse_precision("fp32") is False
    assert parse_precision("BF16") == "bf16" and parse_precision(True) is True
    assert compute_dtype(True, "cpu") is None  # auto: float32 on a CPU
    assert compute_dtype(False, "cpu") is None
    assert compute_dtype("bf16", "cpu") is torch.bfloat16
    with pytest.raises(StarclassError, match="recipe.amp='fp16'"):
        get_preset("legus4-compact", recipe={"amp": "fp16"})
    with pytest.raises(StarclassError, match="precision"):
        parse_precision("half")


def test_channels_last_only_for_cpu_bf16():
    x = torch.zeros(2, 3, 8, 8)
    assert to_memory_format(x, "cpu", None).is_contiguous()
    y = to_memory_format(x, "cpu", torch.bfloat16)
    assert y.is_contiguous(memory_format=torch.channels_last) and not y.is_contiguous()
    assert to_memory_format(torch.zeros(4, 3), "cpu", torch.bfloat16).shape == (4, 3)


@pytest.fixture(scope="module")
def toy():
    cfg = _tiny(amp="bf16")
    return cfg, make_synthetic(cfg, 128, seed=4)


@pytest.fixture(scope="module")
def bf16_fit(toy, tmp_path_factory):
    cfg, data = toy
    seen: list[torch.dtype] = []
    real_build = models_mod.build_model

    def build_and_watch(*a, **k):
        net = real_build(*a, **k)
        conv = next(m for m in net.modules() if isinstance(m, torch.nn.Conv2d))
        conv.register_forward_hook(lambda mod, inp, out: seen.append(out.dtype))
        return net

    models_mod.build_model = build_and_watch
    try:
        res = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path_factory.mktemp("bf16"), seed=3,
                  progress=False, device="cpu")
    finally:
        models_mod.build_model = real_build
    return res, seen


def test_bf16_training_runs_in_bf16_and_keeps_float32_weights(bf16_fit):
    res, seen = bf16_fit
    assert seen and set(seen) == {torch.bfloat16}  # every forward pass of fit ran under autocast
    ck = load_checkpoint(res.members[0])
    assert ck["precision"] == "bfloat16"
    assert ck["config"]["recipe"]["amp"] == "bf16"
    floats = [t for t in ck["state_dict"].values() if t.is_floating_point()]
    assert floats and all(t.dtype == torch.float32 and torch.isfinite(t).all() for t in floats)
    assert all(np.isfinite(h["train_loss"]) for h in res.histories[0])


def test_bf16_training_is_deterministic(toy, bf16_fit, tmp_path):
    cfg, data = toy
    res, _ = bf16_fit
    again = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=3, progress=False, device="cpu")
    a = load_checkpoint(res.members[0])["state_dict"]
    b = load_checkpoint(again.members[0])["state_dict"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_bf16_inference_close_to_fp32_but_not_identical(toy, bf16_fit):
    cfg, data = toy
    res, _ = bf16_fit
    loaded = load_model(res.members[0].parent, device="cpu")
    x = data.inputs[:64]
    p32 = member_probabilities(loaded.members, x, amp=False)
    p16 = member_probabilities(loaded.members, x, amp="bf16")
    assert p16.dtype == np.float32 and np.all(np.isfinite(p16))
    assert not np.array_equal(p32, p16)  # the bf16 path really ran in lower precision
    assert np.max(np.abs(p32 - p16)) < 0.1
    # default: the model's own precision (bf16 here), so predict_inputs matches the bf16 path
    # (uncalibrated: the member path above has no temperature)
    agg = predict_inputs(loaded, x, device="cpu", calibrated=False)
    np.testing.assert_allclose(agg.prob_mean, p16.mean(axis=0), atol=1e-6)
    agg32 = predict_inputs(loaded, x, device="cpu", precision="fp32", calibrated=False)
    np.testing.assert_allclose(agg32.prob_mean, p32.mean(axis=0), atol=1e-6)


@pytest.fixture
def two_gpus(monkeypatch):
    """torch's CUDA answers as on a machine with an A100 (cuda:0, the current device) and a T4 (cuda:1).

    A T4 (compute capability 7.5) can hold a bfloat16 tensor (emulated, no tensor cores):
    ``torch.cuda.is_bf16_supported()`` says yes for it unless asked ``including_emulation=False``.
    """
    from types import SimpleNamespace

    majors = {0: 8, 1: 7}

    def properties(device=None):
        index = device.index if isinstance(device, torch.device) else device
        return SimpleNamespace(major=majors[0 if index is None else int(index)])

    monkeypatch.setattr(torch.version, "hip", None)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_properties", properties)
    monkeypatch.setattr(torch.cuda, "_check_bf16_tensor_supported", lambda device: True)
    return majors


def test_auto_takes_float16_on_a_gpu_without_native_bfloat16(two_gpus):
    # on the old code "auto" on the T4 got bfloat16: torch.cuda.is_bf16_supported() asked the current device (the
    # A100) and counts emulated bfloat16 as supported; float16 with the gradient scaler is what a T4 runs fast
    assert compute_dtype(True, "cuda") is torch.bfloat16  # the current device, the A100
    assert compute_dtype(True, "cuda:0") is torch.bfloat16
    assert compute_dtype(True, "cuda:1") is torch.float16
    two_gpus[0] = 7  # a machine whose only GPUs are T4s
    assert compute_dtype(True, "cuda") is torch.float16
    assert compute_dtype("bf16", "cuda:1") is torch.bfloat16  # asked for by name: as asked
    assert compute_dtype(False, "cuda:1") is None
