"""Synthetic data of each preset's shape: shapes, determinism, fields, and learnability."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from starclass.datasets.stamps import make_synthetic, make_synthetic_field, synthetic_kind
from starclass.errors import StarclassError
from starclass.learn.config import get_preset, list_presets
from starclass.models import build_model

pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_has_synthetic_data_of_its_shape(name):
    cfg = get_preset(name)
    size = min(cfg.stamp_size, 48)
    cfg = get_preset(name, stamp_size=size)
    s = make_synthetic(cfg, 60, seed=3)
    assert s.inputs.shape == (60, cfg.n_channels, size, size)
    assert s.inputs.dtype == np.float32 and np.isfinite(s.inputs).all()
    assert set(s.labels.tolist()) == set(cfg.classes)  # every class drawn
    assert np.array_equal(np.asarray(cfg.classes)[s.targets], s.labels)
    again = make_synthetic(cfg, 60, seed=3)
    assert np.array_equal(again.inputs, s.inputs) and np.array_equal(again.labels, s.labels)
    other = make_synthetic(cfg, 60, seed=4)
    assert not np.array_equal(other.inputs, s.inputs)


def test_generator_choice_and_mismatch():
    assert synthetic_kind(get_preset("legus4")) == "hst4"
    assert synthetic_kind(get_preset("cool-core-compact")) == "coolcore"
    # a binary merge of the four HST classes uses the four-class generator, merged
    binary = get_preset("legus4", name="legus-binary", classes=[1, 2], class_names=["c", "n"],
                        merge={1: 1, 2: 1, 3: 2, 4: 2})
    s = make_synthetic(binary, 80, seed=0)
    assert set(s.class_ref.tolist()) <= {1, 2, 3, 4}
    assert np.array_equal(s.labels, binary.map_classes(s.class_ref))
    with pytest.raises(StarclassError, match="generator"):
        make_synthetic(get_preset("cool-core"), 10, kind="rgb")


def test_class_ref_maps_to_labels_for_every_generator():
    """class_ref is a reference class for every generator: map_classes gives the labels back
    (m31-binary merges 1 and 2 into cluster, so a non-cluster must not be reported as class 2)."""
    for name in ("m31-binary", "galaxy-cluster", "open-globular", "cool-core", "legus4"):
        cfg = get_preset(name, stamp_size=16, input_size=None)
        s = make_synthetic(cfg, 40, seed=1)
        assert np.array_equal(s.labels, cfg.map_classes(s.class_ref)), name
        assert set(s.labels.tolist()) == set(cfg.classes), name
    m31 = get_preset("m31-binary", stamp_size=16, input_size=None)
    s = make_synthetic(m31, 40, seed=1)
    assert set(s.class_ref[s.labels == 2].tolist()) == {3}  # the lowest reference class of non-cluster (3+4)
    images, table = make_synthetic_field(m31, 12, seed=2)
    assert set(m31.map_classes(table["class_ref"]).tolist()) <= {1, 2}
    assert set(np.asarray(table["class_ref"]).tolist()) <= {1, 3}


def test_synthetic_field_places_objects_at_the_table_positions():
    cfg = get_preset("galaxy-cluster", stamp_size=24)
    images, table = make_synthetic_field(cfg, 7, seed=5)
    assert set(images) == set(cfg.bands)
    ny, nx = images["xray"].shape
    assert len(table) == 7 and set(table.colnames) >= {"id", "x", "y", "class_ref"}
    assert ((table["x"] >= 12) & (table["x"] < nx - 12)).all()
    # the painted stamp is exactly the generated one, centred on (x, y)
    from starclass.datasets.stamps import make_synthetic_stamps

    stamps, ref, _ = make_synthetic_stamps(cfg, 7, seed=5, size=24)
    x, y = int(table["x"][3]), int(table["y"][3])
    cut = images["optical"][y - 12 : y + 12, x - 12 : x + 12]
    assert np.array_equal(cut, stamps[3, 1])
    assert np.array_equal(np.asarray(table["class_ref"]), ref)


def _train_quick(cfg, n_train=480, epochs=4, seed=0):
    torch.manual_seed(seed)
    tr = make_synthetic(cfg, n_train, seed=11)
    te = make_synthetic(cfg, 240, seed=12)
    net = build_model(cfg)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    x = torch.from_numpy(tr.inputs)
    y = torch.from_numpy(tr.targets)
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 32):
            idx = perm[i : i + 32]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        pred = net(torch.from_numpy(te.inputs)).argmax(1).numpy()
    return float(np.mean(pred == te.targets))


def test_compact_model_learns_the_legus_like_task():
    acc = _train_quick(get_preset("legus4-compact"))
    assert acc > 0.5, acc  # chance 0.25


@pytest.mark.parametrize("name", ["cool-core-compact", "galaxy-cluster-compact", "open-globular-compact",
                                  "m31-binary-compact"])
def test_compact_model_learns_the_other_tasks(name):
    cfg = get_preset(name, stamp_size=32)
    acc = _train_quick(cfg, n_train=320, epochs=4)
    assert acc > 1.0 / cfg.n_classes + 0.2, acc
