"""Every task preset trains and classifies end to end on data of its shape (tiny settings).

Input sizes are shrunk (stamps of 16-32 px, no upsampling to 224), one epoch, a few dozen
synthetic candidates from :func:`starclass.datasets.stamps.make_synthetic_field`, and one member
per architecture. The presets with a VGG (its ~100 M parameter classifier head makes them
take 20-45 s even at these sizes) are marked slow.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.datasets.stamps import make_synthetic_field
from starclass.learn.classify import classify
from starclass.learn.config import get_preset, list_presets
from starclass.learn.train import fit
from starclass.stamps import make_inputs

# Shrinking is per architecture, not per preset, so that a new preset file is tested here
# without editing this file: (stamp size, arch_options changes) for each architecture
# family (others: DEFAULT); a config gets the largest stamp any of its members needs.
DEFAULT = (32, {})
TINY = {
    "starcnet": (16, {"width": 16}),
    "compact": (16, {}),
    "smallcnn": (32, {"widths": [8, 8, 8, 8, 8, 8], "dense": 32}),
    "resnet": (32, {"pretrained": None}),  # ResNet-50 in inference mode needs more than 16 px
    "vgg": (32, {"pretrained": None}),  # five 2x2 poolings need >= 32 px
    "mobilenet": (32, {"pretrained": None}),  # no ImageNet file read from the user's torch cache
}


def _tiny_arch(arch: str) -> tuple[int, dict]:
    return next((v for key, v in TINY.items() if arch.startswith(key)), DEFAULT)


def _architectures(name: str) -> set[str]:
    return {m["architecture"] for m in get_preset(name).members()}


def _is_slow(name: str) -> bool:
    # VGG heads of ~100 M parameters: 20-45 s each
    return any(a.startswith("vgg") for a in _architectures(name))


def reference_labels(cfg, table) -> np.ndarray:
    """Reference classes for the field's objects (every generator writes them as class_ref)."""
    return np.asarray(table["class_ref"], dtype=int)


def _tiny(name: str):
    cfg = get_preset(name)
    shrink = [_tiny_arch(a) for a in _architectures(name)]
    size = max(s for s, _ in shrink)
    opts: dict = {}
    for _, o in shrink:
        opts.update(o)
    changes = {"stamp_size": size, "input_size": None,
               "recipe": {"epochs": 1, "batch_size": 8, "val_fraction": 0.25,
                          "early_stopping_patience": None,
                          # one epoch on 18 stamps: the papers' larger rates can diverge
                          "lr": min(cfg.recipe.lr, 1e-3)}}
    if cfg.architecture != "compact":
        known = dict(cfg.arch_options)
        known.update({k: v for k, v in opts.items() if k in known or k == "pretrained"})
        changes["arch_options"] = known
    if isinstance(cfg.architecture, list):
        changes["architecture"] = [dict(e, n=1) for e in cfg.architecture]
    else:
        changes["recipe"]["ensemble_size"] = 1
    return cfg.copy(**changes)


@pytest.mark.parametrize(
    "name", [pytest.param(p, marks=pytest.mark.slow) if _is_slow(p) else p for p in list_presets()]
)
def test_preset_trains_and_classifies(name, tmp_path):
    cfg = _tiny(name)
    images, table = make_synthetic_field(cfg, 24, seed=11)
    labels = reference_labels(cfg, table)
    inputs, ok = make_inputs(images, table["x"], table["y"], cfg)
    assert ok.all() and inputs.shape[1] == cfg.n_channels
    positions = (np.asarray(table["x"]), np.asarray(table["y"]))  # m31-binary splits spatially
    result = fit(cfg, inputs, labels, outdir=tmp_path, positions=positions, seed=0, progress=False,
                 device="cpu")
    assert len(result.members) == cfg.n_members
    assert np.isfinite(result.histories[0][0]["train_loss"])
    out = classify(images, table, tmp_path, batch_size=10, progress=False, device="cpu")
    assert len(out) == len(table)
    assert set(np.unique(out["class_pred"])) <= set(cfg.classes)
    probs = np.stack([np.asarray(out[f"prob_{c}"]) for c in cfg.classes], axis=1)
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    if cfg.threshold is not None:
        # decisions are taken on the raw probabilities (calibration never changes a class)
        raw = f"prob_{cfg.positive_class}_raw"
        pos = np.asarray(out[raw if raw in out.colnames else f"prob_{cfg.positive_class}"])
        neg = [c for c in cfg.classes if c != cfg.positive_class][0]
        single = cfg.n_members == 1
        if single:
            assert np.array_equal(np.asarray(out["class_pred"]),
                                  np.where(pos >= cfg.threshold, cfg.positive_class, neg))
    assert [c for c in out.colnames if c.startswith("class_m") and c[7:].isdigit()] == [
        f"class_m{i + 1}" for i in range(cfg.n_members)
    ]
