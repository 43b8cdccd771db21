"""Simulated human classifiers: agreement near the LEGUS figures, consensus rules."""

from __future__ import annotations

import numpy as np

from starclass.schema import subclass_number
from starclass.simulate import SimConfig, simulate_field
from starclass.simulate.humans import agreement_stats, consensus


def test_agreement_near_legus_figures():
    # candidate density like the default field (3000 in 2048 x 2048)
    f = simulate_field(SimConfig(seed=21, shape=(1280, 1280), n_candidates=1500, field_stars=0.1,
                                 bands=("f555w", "f814w")))
    h = f.humans
    labels = np.column_stack([h["class_h1"], h["class_h2"], h["class_h3"]])
    a = agreement_stats(labels, np.asarray(h["class_ref"]))
    # LEGUS (StarcNet paper): pairs 57.3% / 78.1%, individual vs mode 75.0% / 87.2%
    assert 0.51 < a["pair_4class"] < 0.63, a
    assert 0.73 < a["pair_binary"] < 0.84, a
    assert 0.70 < a["mode_4class"] < 0.82, a
    assert 0.83 < a["mode_binary"] < 0.92, a
    # confusions mostly within clusters (1<->2) and within non-clusters (3<->4)
    truth = np.asarray(f.truth["class_ref"])
    wrong = labels[:, 0] != truth
    same_side = (labels[:, 0] <= 2) == (truth <= 2)
    assert same_side[wrong].mean() > 0.5
    # pairs and triplets are sometimes called 2 or 3
    sub = np.round(np.nan_to_num(subclass_number(f.truth["subclass"])), 2)
    pt = np.isin(sub, [4.2, 4.3])
    assert np.isin(labels[pt, 0], [2, 3]).mean() > 0.1


def test_consensus_mode_and_ties():
    labels = np.array([[1, 1, 2], [3, 4, 4], [2, 3, 4], [4, 1, 2], [1, 2, 2, 1]][:4])
    np.testing.assert_array_equal(consensus(labels), [1, 4, 2, 4])
    # four people, a 2-2 tie: person 1's label wins when it is among the tied ones
    np.testing.assert_array_equal(consensus(np.array([[3, 1, 1, 3], [2, 4, 4, 1]])), [3, 4])


def test_more_noise_means_less_agreement():
    cfg = SimConfig(seed=4, shape=(384, 384), n_candidates=800, field_stars=0.0, bands=("f555w", "f814w"))
    calm = simulate_field(cfg).humans
    noisy = simulate_field(cfg.replace(human_noise=1.8)).humans

    def pair(h):
        return agreement_stats(np.column_stack([h["class_h1"], h["class_h2"], h["class_h3"]]))["pair_4class"]

    assert pair(noisy) < pair(calm) - 0.05


def test_ambiguity_scale_changes_only_the_scaled_objects():
    """``human_ambiguity_scale`` lowers the people's confusion of one subclass and moves nothing else."""
    import pytest

    from starclass.errors import StarclassError
    from starclass.simulate.field import simulate_labels

    cfg = SimConfig(seed=11, shape=(384, 384), n_candidates=600, field_stars=0.0, bands=("f555w", "f814w"),
                    class_mix=(0.25, 0.25, 0.0, 0.5), subclass_mix={4.1: 2.0, 4.2: 1.0}, human_noise=1.9)
    truth, before = simulate_labels(cfg)
    _, same = simulate_labels(cfg.replace(human_ambiguity_scale={}))
    _, after = simulate_labels(cfg.replace(human_ambiguity_scale={4.1: 0.1}))
    cols = ["class_h1", "class_h2", "class_h3", "class_ref"]
    votes = {k: np.column_stack([h[c] for c in cols[:3]]) for k, h in (("before", before), ("after", after))}
    # an empty mapping is the default: the same labels, draw for draw
    for c in cols:
        np.testing.assert_array_equal(np.asarray(before[c]), np.asarray(same[c]))
    sub = np.round(np.nan_to_num(subclass_number(truth["subclass"])), 2)
    star = sub == 4.1
    assert star.sum() > 50 and (~star).sum() > 200
    # every other object keeps its votes (the same random numbers, the same confusion)
    np.testing.assert_array_equal(votes["before"][~star], votes["after"][~star])

    def unanimous(v):
        return float(np.mean((v == v[:, :1]).all(axis=1)))

    # single stars: far more often all three people agree, and on class 4
    assert unanimous(votes["after"][star]) > unanimous(votes["before"][star]) + 0.15
    assert np.mean(np.asarray(after["class_ref"])[star] == 4) > np.mean(np.asarray(before["class_ref"])[star] == 4)
    assert "human_ambiguity_scale" not in cfg.to_dict()
    assert cfg.replace(human_ambiguity_scale={4.1: 0.1}).to_dict()["human_ambiguity_scale"] == {"4.1": 0.1}
    with pytest.raises(StarclassError, match="human_ambiguity_scale"):
        cfg.replace(human_ambiguity_scale={4.5: 0.5})
    with pytest.raises(StarclassError, match="human_ambiguity_scale"):
        cfg.replace(human_ambiguity_scale={4.1: -1.0})


def test_colour_link_moves_class_4_mistakes_to_the_blue_objects():
    """``human_colour_link``: blue class-4 objects confused more, red ones less, other classes untouched."""
    import pytest

    from starclass.errors import StarclassError
    from starclass.simulate.field import simulate_labels
    from starclass.simulate.humans import ambiguity, colour_factor

    cfg = SimConfig(seed=12, shape=(384, 384), n_candidates=900, field_stars=0.0, bands=("f555w", "f814w"),
                    class_mix=(0.2, 0.2, 0.1, 0.5), human_noise=1.4)
    truth, before = simulate_labels(cfg)
    _, same = simulate_labels(cfg.replace(human_colour_link=0.0))
    _, after = simulate_labels(cfg.replace(human_colour_link=0.8))
    cols = ["class_h1", "class_h2", "class_h3", "class_ref"]
    # 0 is the default: the same labels, draw for draw
    for c in cols:
        np.testing.assert_array_equal(np.asarray(before[c]), np.asarray(same[c]))
    cls = np.asarray(truth["class_ref"])
    vi = np.asarray(truth["mag_true_f555w"], float) - np.asarray(truth["mag_true_f814w"], float)
    four = (cls == 4) & np.isfinite(vi)
    assert four.sum() > 200
    # the factor: mean 1 over class 4 (as many mistakes in all), decreasing with V-I, 1 elsewhere
    f = colour_factor(truth, 0.8)
    assert abs(f[four].mean() - 1.0) < 1e-9
    assert np.all(np.diff(f[four][np.argsort(vi[four])]) <= 1e-12) and f[four].max() > 1.7 and f[four].min() < 0.3
    np.testing.assert_array_equal(f[cls != 4], 1.0)
    h0, h1 = ambiguity(truth, cfg.mag_limit, "f555w"), ambiguity(truth, cfg.mag_limit, "f555w", colour_link=0.8)
    np.testing.assert_array_equal(h0[cls != 4], h1[cls != 4])
    # objects of classes 1-3 keep their votes (the same random numbers, the same confusion)
    v0 = np.column_stack([np.asarray(before[c]) for c in cols[:3]])
    v1 = np.column_stack([np.asarray(after[c]) for c in cols[:3]])
    np.testing.assert_array_equal(v0[cls != 4], v1[cls != 4])
    blue = four & (vi < np.median(vi[four]))
    red = four & (vi >= np.median(vi[four]))

    def wrong(v, m):  # share of class-4 votes that are not 4
        return float(np.mean(v[m] != 4))

    # in the blue half more votes go astray, in the red half fewer; the total about the same
    assert wrong(v1, blue) > wrong(v0, blue) + 0.05
    assert wrong(v1, red) < wrong(v0, red) - 0.05
    assert abs(wrong(v1, four) - wrong(v0, four)) < 0.06
    assert "human_colour_link" not in cfg.to_dict()
    assert cfg.replace(human_colour_link=0.5).to_dict()["human_colour_link"] == 0.5
    with pytest.raises(StarclassError, match="human_colour_link"):
        cfg.replace(human_colour_link=1.5)
    with pytest.raises(StarclassError, match="I band"):
        cfg.replace(bands=("f435w", "f555w"), human_colour_link=0.5)
