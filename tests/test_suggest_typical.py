"""starclass.suggest.typical (TypiClust picks) and starclass.learn.embedding (penultimate features)."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.suggest import typical_pick, typicality


def _blobs(sizes=(30, 20, 10), spread=0.3, seed=0):
    """Hand-made 2-D points: blobs far apart (centres 10 apart), the largest first."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])[: len(sizes)]
    x = np.concatenate([c + rng.normal(0, spread, (n, 2)) for c, n in zip(centres, sizes)])
    blob = np.repeat(np.arange(len(sizes)), sizes)
    return x, blob


def test_typicality_is_largest_in_the_densest_neighbourhood():
    # a tight pair near the origin, a loose point, a far one: the pair is most typical
    x = np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 0.0], [9.0, 0.0]])
    t = typicality(x, n_neighbours=1)
    np.testing.assert_allclose(t[:2], 100.0)  # 1 / 0.01
    assert t[3] < t[2] < t[0]
    # fewer points than neighbours: all the others count
    np.testing.assert_allclose(typicality(x[:2], n_neighbours=20), [100.0, 100.0])
    assert typicality(x[:1]).tolist() == [0.0]


def test_one_pick_per_cluster_largest_first_and_the_densest_point():
    x, blob = _blobs()
    # a point exactly at the centre of blob 1 with three twins nearby: the densest point there
    x[35] = [10.0, 0.0]
    x[36:39] = [[10.01, 0.0], [10.0, 0.01], [9.99, 0.0]]
    got = typical_pick(x, 3, seed=0)
    assert blob[got].tolist() == [0, 1, 2]  # one per blob, the largest blob first
    assert got[1] in (35, 36, 37, 38)  # blob 1's pick sits in its clump of four
    t0 = typicality(x[blob == 0])
    assert got[0] == np.flatnonzero(blob == 0)[np.argmax(t0)]  # blob 0's most typical point


def test_skips_clusters_that_hold_labels():
    x, blob = _blobs(sizes=(30, 20, 10, 10))
    labelled = [0, 1, 30]  # blob 0 twice, blob 1 once: 3 + 2 = 5 clusters for 4 blobs
    got = typical_pick(x, 2, labelled=labelled, seed=0)
    assert sorted(blob[got].tolist()) == [2, 3] and not set(got) & set(labelled)
    # the same labels as a boolean mask
    mask = np.zeros(len(x), bool)
    mask[labelled] = True
    assert typical_pick(x, 2, labelled=mask, seed=0).tolist() == got.tolist()


def test_more_picks_than_empty_clusters_and_all_but_few_labelled():
    x, _ = _blobs(sizes=(6, 6))
    got = typical_pick(x, 20, labelled=np.arange(8), seed=0)
    assert sorted(got.tolist()) == [8, 9, 10, 11]  # only four are unlabelled
    assert typical_pick(x, 3, labelled=np.arange(12)).size == 0


def test_deterministic_with_a_seed():
    x = np.random.default_rng(3).normal(size=(200, 5))
    a = typical_pick(x, 15, labelled=np.arange(10), seed=7)
    assert typical_pick(x, 15, labelled=np.arange(10), seed=7).tolist() == a.tolist()
    assert len(set(a.tolist())) == 15 and a.min() >= 10


@pytest.mark.parametrize("kwargs, match", [
    ({"features": np.zeros(5), "n": 1}, "N, D"),
    ({"features": np.array([[0.0], [np.nan]]), "n": 1}, r"row \[1\] is not finite"),
    ({"features": np.zeros((3, 2)), "n": 0}, "n must be >= 1"),
    ({"features": np.zeros((3, 2)), "n": 1, "labelled": [5]}, "0..2"),
    ({"features": np.zeros((3, 2)), "n": 1, "labelled": np.array([True, False])}, "3 entries"),
])
def test_bad_input_is_named(kwargs, match):
    with pytest.raises(StarclassError, match=match):
        typical_pick(**kwargs)


def test_penultimate_features_are_the_last_linear_layers_input():
    import torch
    from torch import nn

    from starclass.learn.embedding import penultimate_features

    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.5),
                        nn.Linear(4, 2))
    x = np.random.default_rng(0).normal(size=(5, 1, 8, 8)).astype(np.float32)
    f = penultimate_features(net, x, batch_size=2)
    with torch.no_grad():
        want = net[:4](torch.from_numpy(x)).numpy()  # eval: dropout off
        logits = net.eval()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(f, want, rtol=1e-6)
    np.testing.assert_allclose(f @ net[5].weight.detach().numpy().T + net[5].bias.detach().numpy(), logits,
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(StarclassError, match="no nn.Linear"):
        penultimate_features(nn.Sequential(nn.Conv2d(1, 1, 3)), x)
    with pytest.raises(StarclassError, match="N, C, H, W"):
        penultimate_features(net, x[0])
