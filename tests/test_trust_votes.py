"""Issue 17: the people and the machine together (``benchmarks/trust_votes.py``).

``combine_votes`` is checked against a hand computation on a tiny case, against crowd-kit's own
Dawid-Skene posterior (the same E-step with the class fractions as the prior), and on the rows
it must leave to the prior (no votes, impossible votes).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import load_benchmark
from starclass.learn.labels import combine_votes


@pytest.fixture(scope="module")
def tv():
    return load_benchmark("trust_votes")


# two people, three classes; rows = true class, columns = vote
CONF = np.array([
    [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.0, 0.5, 0.5]],
    [[0.6, 0.4, 0.0], [0.3, 0.6, 0.1], [0.1, 0.1, 0.8]],
])


def test_combine_votes_hand_computation(tv):
    prior = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    votes = np.array([[1, 2], [3, 0]])          # row 2: person 2 did not vote
    got = combine_votes(prior, votes, CONF, classes=[1, 2, 3])
    # row 1: prior x P(person 1 votes 1 | c) x P(person 2 votes 2 | c)
    r1 = np.array([0.5 * 0.8 * 0.4, 0.3 * 0.2 * 0.6, 0.2 * 0.0 * 0.1])   # 0.16, 0.036, 0
    # row 2: prior x P(person 1 votes 3 | c) only
    r2 = np.array([0.1 * 0.1, 0.1 * 0.1, 0.8 * 0.5])                   # 0.01, 0.01, 0.4
    np.testing.assert_allclose(got[0], r1 / (0.16 + 0.036))
    np.testing.assert_allclose(got[1], r2 / 0.42)


def test_combine_votes_classes_map_columns(tv):
    # votes in classes 2 and 4 (columns 0 and 1); a vote of 3 is not a class here: no vote
    conf = np.array([[[0.9, 0.1], [0.3, 0.7]]])
    got = combine_votes(np.array([[0.5, 0.5], [0.2, 0.8]]), np.array([[4], [3]]), conf, classes=[2, 4])
    np.testing.assert_allclose(got[0], [0.5 * 0.1 / (0.05 + 0.35), 0.5 * 0.7 / (0.05 + 0.35)])
    np.testing.assert_allclose(got[1], [0.2, 0.8])


def test_combine_votes_impossible_votes_keep_the_prior(tv):
    # person 1 never votes 1 for a true 3, person 2 never votes 3 for a true 1: with votes (1, 3)
    # and a prior that rules out class 2, every class has likelihood 0
    prior = np.array([[2.0, 0.0, 2.0]])
    got = combine_votes(prior, np.array([[1, 3]]), CONF, classes=[1, 2, 3])
    np.testing.assert_allclose(got, [[0.5, 0.0, 0.5]])


def test_combine_votes_matches_a_plain_loop(tv):
    """Random priors, votes (some missing) and confusion matrices: the product written out row by row."""
    rng = np.random.default_rng(7)
    conf = rng.random((3, 4, 4))
    conf /= conf.sum(axis=2, keepdims=True)
    prior = rng.random((50, 4))
    votes = rng.integers(0, 5, (50, 3))
    got = combine_votes(prior, votes, conf, [1, 2, 3, 4])
    for i in range(50):
        row = []
        for c in range(4):
            p = prior[i, c]
            for j in range(3):
                if votes[i, j] > 0:
                    p *= conf[j, c, votes[i, j] - 1]
            row.append(p)
        np.testing.assert_allclose(got[i], np.array(row) / sum(row))


def test_combine_votes_is_the_dawid_skene_posterior(tv):
    """With the class fractions as the prior it is crowd-kit's E-step: nearly the same posterior.

    crowd-kit returns the posterior of its last E-step and the parameters of the M-step after it,
    so the two differ by one EM step (a few 0.001 at 150 rows).
    """
    from starclass.learn.labels import dawid_skene

    rng = np.random.default_rng(3)
    truth = rng.integers(1, 5, 150)
    votes = np.stack([np.where(rng.random(150) < acc, truth, rng.integers(1, 5, 150))
                      for acc in (0.8, 0.6, 0.5)], axis=1)
    votes[rng.random(votes.shape) < 0.1] = 0          # some missing votes
    ds = dawid_skene(votes, [1, 2, 3, 4])
    got = combine_votes(np.tile(ds.priors, (len(votes), 1)), votes, ds.confusion, [1, 2, 3, 4])
    has = np.isin(votes, [1, 2, 3, 4]).any(axis=1)
    np.testing.assert_allclose(got[has], ds.posterior[has], atol=0.01)
    assert np.mean(got[has].argmax(1) == ds.posterior[has].argmax(1)) > 0.98


def test_combine_votes_refuses_shapes(tv):
    with pytest.raises(ValueError, match="shapes"):
        combine_votes(np.ones((2, 3)), np.ones((2, 3), dtype=int), CONF, [1, 2, 3])


def test_people_and_machine_counts(tv):
    """A network sure of the truth, combined with people, scores at least as well as the people alone."""
    rng = np.random.default_rng(5)
    blocks, truths = [], []
    for _ in range(2):
        t = rng.integers(1, 5, 300)
        blocks.append(np.stack([np.where(rng.random(300) < 0.7, t, rng.integers(1, 5, 300)) for _ in range(3)], 1))
        truths.append(t)
    truth = np.concatenate(truths)
    sure = np.eye(4)[truth - 1] * 0.97 + 0.01
    blind = np.full((len(truth), 4), 0.25)
    mode_ok = np.concatenate(blocks)[:, 0] == truth
    # a network trained on the mode is called "mode": it must not replace the people's mode's figure
    out = tv._people_and_machine({"sure": sure, "mode": blind}, blocks, truth, mode_ok)
    assert out["n_with_votes"] == len(truth)
    assert out["people_mode"] == pytest.approx(np.mean(mode_ok))
    nets = out["networks"]
    assert set(nets) == {"sure", "mode"}
    assert nets["sure"]["acc"] > out["ds_alone"]
    assert nets["sure"]["minus_ds_alone"][1] > 0
    # a uniform prior changes nothing but the class fractions' place: within a point of DS alone
    assert abs(nets["mode"]["acc"] - out["ds_alone"]) < 0.01
    # by agreement: counts and the people's mode per group against a hand count
    v = np.concatenate(blocks)
    distinct = np.array([len(set(r.tolist())) for r in v])
    for k in (1, 2, 3):
        rec = out["by_agreement"][f"{k} distinct votes"]
        assert rec["n"] == np.sum(distinct == k)
        assert rec["people_mode"] == pytest.approx(np.mean(mode_ok[distinct == k]))
    json.loads(json.dumps(out, allow_nan=False))   # the figures go to strict JSON as they are


def test_from_npz_against_sklearn(tv, tmp_path):
    """The recomputed figures of a saved run: accuracies against scikit-learn, the pair against a hand count."""
    from sklearn.metrics import accuracy_score

    rng = np.random.default_rng(11)
    truth = rng.integers(1, 5, 200)
    votes = np.stack([np.where(rng.random(200) < 0.7, truth, rng.integers(1, 5, 200)) for _ in range(3)], 1)
    mode = votes[:, 0]
    pa, pb = rng.random((200, 4)), rng.random((200, 4))
    valid = np.ones(200, dtype=bool)
    valid[:5] = False                                  # no stamp: class 0, counted wrong
    np.savez(tmp_path / "run.npz", truth=truth, votes=votes, mode=mode, valid=valid,
             field_sizes=np.array([120, 80]), prob_a=pa, prob_b=pb)
    out = tv.from_npz(tmp_path / "run.npz")
    pred_a = np.where(valid, pa.argmax(1) + 1, 0)
    pred_b = np.where(valid, pb.argmax(1) + 1, 0)
    assert out["people_mode"] == pytest.approx(accuracy_score(truth, mode))
    assert out["networks"]["a"]["acc_4class_vs_truth"] == pytest.approx(accuracy_score(truth, pred_a))
    diff = (np.sum(pred_a == truth) - np.sum(pred_b == truth)) / 200
    assert out["paired_networks"]["a minus b"][0] == pytest.approx(diff, abs=1e-4)
    assert set(out["people_and_machine"]["networks"]) == {"a", "b"}
