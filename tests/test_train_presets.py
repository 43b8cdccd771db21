"""Every task preset trains and classifies end to end on data of its shape (tiny settings).

Input sizes are shrunk (stamps of 16-32 px, no upsampling to 224), one epoch, a few dozen
synthetic candidates from :func:`starclass.datasets.stamps.make_synthetic_field`, and one member
per architecture. The presets with a VGG (its ~100 M parameter classifier head makes them
take 20-45 s even at these sizes) are marked slow.

A preset that is another preset with only a deeper network of the same family (m31-resnet50 and
m31-resnet101 are m31-resnet18 with another ResNet) runs the whole pipeline once, on its shallowest
member; the deeper ones are checked by :func:`test_deeper_variant_builds_trains_a_step_and_classifies`
(build, one optimiser step, inference). At these sizes a deep network costs in its weights, not its
pixels: each forward pass reads all ~44 M of ResNet-101's, and fit + classify make ~15 of them (the
validation TTA's eight views among them), 20-50 s per preset of what the shallow one already checks.

For the same reason a preset of its own task on a deep network (m31-binary: ResNet-50) runs the pipeline in
the default suite on its family's shallowest network (:data:`STAND_IN`: ResNet-18, 56 s -> ~25 s on the
loaded 2-core machine), which checks the preset's task, recipe, split and threshold end to end; its own
network is checked by build, one step and inference (where a deeper variant's test does not build the same
one: :func:`test_the_stand_in_presets_are_found`), and the whole pipeline on
it by the ``slow``-marked case of :func:`test_preset_trains_and_classifies_on_its_own_deep_network`.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from starclass.datasets.stamps import make_synthetic_field
from starclass.learn.classify import classify
from starclass.learn.config import get_preset, list_presets
from starclass.learn.train import fit
from starclass.models import build_model
from starclass.stamps import make_inputs

# Shrinking is per architecture, not per preset, so that a new preset file is tested here
# without editing this file: (stamp size, arch_options changes) for each architecture
# family (others: DEFAULT); a config gets the largest stamp any of its members needs.
DEFAULT = (32, {})
TINY = {
    # two modules and a pool after the first: seven full-resolution modules per scale were ~2/3 of legus4's
    # 56 s (loaded machine) and checked no more of the pipeline (tests/test_models_*.py check the network)
    "starcnet": (16, {"width": 16, "modules": 2, "pool_after": 1}),
    "compact": (16, {}),
    "smallcnn": (32, {"widths": [8, 8, 8, 8, 8, 8], "dense": 32}),
    "resnet": (16, {"pretrained": None}),
    "vgg": (32, {"pretrained": None}),  # five 2x2 poolings need >= 32 px
    # no ImageNet file read from the user's torch cache; 16 px (it has no max-pool: strided convolutions end at
    # 1 px from any size) made its forward passes ~2.6x quicker than 32 px
    "mobilenet": (16, {"pretrained": None}),
}


def _tiny_arch(arch: str) -> tuple[int, dict]:
    return next((v for key, v in TINY.items() if arch.startswith(key)), DEFAULT)


def _architectures(name: str) -> set[str]:
    return {m["architecture"] for m in get_preset(name).members()}


def _is_slow(name: str) -> bool:
    # VGG heads of ~100 M parameters: 20-45 s each
    return any(a.startswith("vgg") for a in _architectures(name))


def _depth(name: str) -> int:
    # ResNet-18 < ResNet-50 < ResNet-101: the trailing number of the architecture's name
    arch = get_preset(name).architecture
    found = re.search(r"(\d+)$", arch if isinstance(arch, str) else "")
    return int(found.group(1)) if found else 0


def _variants() -> dict[str, str]:
    """Each preset that differs from another only in its (single) architecture -> the shallowest of its group."""
    groups: dict[str, list[str]] = {}
    for p in list_presets():
        d = get_preset(p).to_dict()
        if not isinstance(d.get("architecture"), str):
            continue
        # one family (resnet18/50/101): another family (m31-vgg16) runs its own pipeline
        family = re.sub(r"\d+$", "", d["architecture"])
        key = repr(sorted((k, repr(v)) for k, v in d.items() if k not in ("name", "description", "architecture")))
        groups.setdefault(family + key, []).append(p)
    out = {}
    for names in groups.values():
        base = min(names, key=_depth)
        out.update({n: base for n in names if n != base})
    return out


VARIANTS = _variants()

#: A deep architecture -> the shallow one of its family the default suite's pipeline runs a preset on
STAND_IN = {"resnet50": "resnet18", "resnet101": "resnet18", "resnet152": "resnet18"}


def _stand_in(name: str) -> str | None:
    """The shallower architecture a (single-network) preset's quick pipeline runs on, None where it runs its own."""
    arch = get_preset(name).architecture
    return STAND_IN.get(arch) if isinstance(arch, str) else None


#: The presets of their own task on a deep network (not VARIANTS: those share their task with a shallow preset)
STAND_INS = sorted(p for p in list_presets() if p not in VARIANTS and _stand_in(p))


def _network(cfg) -> tuple:
    """What build_model makes of a config: two configs equal here build the same network."""
    return (cfg.architecture, repr(sorted(cfg.arch_options.items())), cfg.n_channels, cfg.n_classes,
            cfg.stamp_size, cfg.input_size)


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
    "name", [pytest.param(p, marks=pytest.mark.slow) if _is_slow(p) else p for p in list_presets()
             if p not in VARIANTS]
)
def test_preset_trains_and_classifies(name, tmp_path):
    cfg = _tiny(name)
    if _stand_in(name):
        cfg = cfg.copy(architecture=_stand_in(name))  # its own network: the slow test below
    _trains_and_classifies(cfg, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", STAND_INS)
def test_preset_trains_and_classifies_on_its_own_deep_network(name, tmp_path):
    cfg = _tiny(name)
    assert cfg.architecture in STAND_IN
    _trains_and_classifies(cfg, tmp_path)


def _trains_and_classifies(cfg, tmp_path) -> None:
    # five classes (galaxy-cluster-experts) in 12 objects left one out of the training split
    images, table = make_synthetic_field(cfg, 12 if cfg.n_classes <= 4 else 6 * cfg.n_classes, seed=11)
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


def test_the_deep_variants_are_found():
    # the grouping must keep finding them (or they would go untested by the pipeline above)
    assert {"m31-resnet50", "m31-resnet101"} <= set(VARIANTS)
    assert all(VARIANTS[v] == "m31-resnet18" for v in ("m31-resnet50", "m31-resnet101"))


def test_the_stand_in_presets_are_found():
    # m31-binary must keep being found (its quick pipeline runs ResNet-18, so its own ResNet-50 needs the checks
    # below), and no preset runs on a stand-in the registry lacks
    assert "m31-binary" in STAND_INS
    assert all(_stand_in(p) == "resnet18" for p in STAND_INS)
    assert set(STAND_IN.values()) <= {m["architecture"] for p in list_presets() for m in get_preset(p).members()}
    # each one's own network is built, trained a step and run here unless a deeper variant's test builds the same
    # one (m31-binary's is m31-resnet50's: ResNet-50, the same adapter, bands, classes and stamp)
    built = {_network(_tiny(v)) for v in VARIANTS}
    assert _network(_tiny("m31-binary")) in built
    for name in STAND_INS:
        if _network(_tiny(name)) not in built:
            _builds_trains_a_step_and_classifies(_tiny(name))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_deeper_variant_builds_trains_a_step_and_classifies(name):
    cfg = _tiny(name)
    base = _tiny(VARIANTS[name])
    # the same task but the network: the pipeline of the base preset checks the rest
    assert cfg.copy(architecture=base.architecture).to_dict() == {**base.to_dict(), "name": cfg.name,
                                                                   "description": cfg.description}
    _builds_trains_a_step_and_classifies(cfg)


def _builds_trains_a_step_and_classifies(cfg) -> None:
    torch.manual_seed(0)
    net = build_model(cfg)
    assert net.architecture == cfg.architecture
    x = torch.randn(4, cfg.n_channels, cfg.stamp_size, cfg.stamp_size)
    y = torch.tensor([0, 1, 0, 1]) % cfg.n_classes
    before = [p.detach().clone() for p in net.parameters() if p.requires_grad]
    net.train()
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=1e-3)
    loss = torch.nn.functional.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    assert torch.isfinite(loss)
    after = [p.detach() for p in net.parameters() if p.requires_grad]
    assert any(not torch.equal(a, b) for a, b in zip(before, after))
    # as fit does (starclass.learn.train.recalibrate_batchnorm): the running statistics of one step from
    # random weights overflow a deep network in inference mode; recompute them over the batch
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.reset_running_stats()
                m.momentum = None
        net(x)
    net.eval()
    with torch.inference_mode():
        probs = torch.softmax(net(x), dim=1)
    assert probs.shape == (4, cfg.n_classes)
    assert torch.isfinite(probs).all() and torch.allclose(probs.sum(dim=1), torch.ones(4), atol=1e-4)
