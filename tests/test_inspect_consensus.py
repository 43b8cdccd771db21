"""Consensus and agreement of human labels on label sets whose answers are known by hand."""

import numpy as np
import pytest

from starclass import schema
from starclass.errors import StarclassError
from starclass.inspect import consensus as cs
from starclass.simulate.gallery import SUBCLASS_LABELS


def test_mode_and_tie_rule():
    M = np.array([
        [1, 1, 2, 0, 0],
        [1, 2, 0, 0, 0],
        [1, 1, 2, 2, 4],  # tie 1/2, mean 2.0 -> 2
        [2, 2, 3, 3, 0],  # tie 2/3, mean 2.5 -> 3
        [1, 1, 4, 4, 3],  # tie 1/4, mean 2.6 -> 4 is 1.4 away, 1 is 1.6 away -> 4
        [0, 0, 0, 0, 0],  # nobody: 0
        [3, 0, 0, 0, 0],  # one vote
    ])
    mode, tie = cs.mode_with_ties(M)
    assert mode.tolist() == [1, 2, 2, 3, 4, 0, 3]
    assert tie.tolist() == [False, True, True, True, True, False, False]
    mean = cs.mean_class(M)
    assert mean[0] == pytest.approx(4 / 3)
    assert np.isnan(mean[5])


def test_pairwise_and_vs_mode_known_values():
    # three people, four objects
    M = np.array([
        [1, 1, 1],
        [1, 2, 2],
        [3, 4, 4],
        [2, 2, 0],
    ])
    pw = cs.pairwise_agreement(M, ["a", "b", "c"])
    rows = {(r["person_a"], r["person_b"]): (r["n"], r["agree"]) for r in pw["pairs"]}
    assert rows[("a", "b")] == (4, pytest.approx(2 / 4))
    assert rows[("a", "c")] == (3, pytest.approx(1 / 3))
    assert rows[("b", "c")] == (3, pytest.approx(1.0))
    assert pw["mean"] == pytest.approx((0.5 + 1 / 3 + 1.0) / 3)
    C = pw["confusion"]
    assert (C == C.T).all()
    assert C.sum() == 2 * (4 + 3 + 3)
    # binary: 1+2 vs 3+4 -> a,b agree on all 4; a,c on 3/3; b,c 3/3
    pb = cs.pairwise_agreement(M, ["a", "b", "c"], merge="12v34")
    assert pb["mean"] == pytest.approx(1.0)

    vm = cs.individual_vs_mode(M, ["a", "b", "c"])
    # modes: 1, 2, 4, 2 (no ties); the last object has two labels, where a person agrees with the
    # mode by construction: left out (3+ labels needed)
    per = {r["person"]: (r["n"], r["agree"]) for r in vm["people"]}
    assert per["a"] == (3, pytest.approx(1 / 3))
    assert per["b"] == (3, pytest.approx(1.0))
    assert per["c"] == (3, pytest.approx(1.0))
    assert vm["mean"] == pytest.approx((1 + 3 + 3) / 9)
    assert cs.individual_vs_mode(M, ["a", "b", "c"], min_labels=2)["mean"] == pytest.approx((2 + 4 + 3) / 11)
    # person a: said 1 where mode 2 (row 0, column 1), 3 where mode 4
    assert vm["per_person"]["a"][0, 1] == 1 and vm["per_person"]["a"][2, 3] == 1


def test_majority_weights_and_weighted_vote():
    # d always disagrees with the majority; on the last object d and a tie with b/c absent
    M = np.array([
        [1, 1, 1, 3],
        [2, 2, 2, 4],
        [4, 4, 4, 1],
        [1, 0, 0, 3],   # tie 1 vs 3 (mean 2 -> equally near -> 3)
    ])
    w = cs.majority_weights(M)
    # a: 3/3 and d: 0/3 (the two-label tie on the last object is not counted); b, c: 3/3
    assert w.tolist() == pytest.approx([1.0, 1.0, 1.0, 0.0])
    plain, tie = cs.mode_with_ties(M)
    assert plain[3] == 3 and tie[3]
    vote, frac = cs.weighted_vote(M, w)
    assert vote.tolist() == [1, 2, 4, 1]       # the weighted vote follows the reliable person
    assert frac[3] == pytest.approx(1.0)
    assert frac[0] == pytest.approx(1.0)


def test_majority_weights_ignore_two_label_objects():
    # Two-label objects agree by construction (or tie): they used to count in C and Q, so a
    # person who only ever labelled alongside one other person earned a weight near 1.
    rng = np.random.default_rng(3)
    truth = rng.integers(1, 5, 40)
    M = np.zeros((40, 4), int)
    M[:30, :3] = truth[:30, None]                      # a, b, c: three labels, always right
    M[:30, 2] = np.where(rng.random(30) < 0.5, truth[:30] % 4 + 1, truth[:30])  # c: half wrong
    M[30:, 2] = truth[30:]                             # c and d agree on ten two-label objects
    M[30:, 3] = truth[30:]
    w = cs.majority_weights(M)
    mode, tie = cs.mode_with_ties(M)
    # by hand, objects with 3+ labels only
    rows = (M > 0).sum(axis=1) >= 3
    by_hand = [((M[rows, j] == mode[rows]) & ~tie[rows] & (M[rows, j] > 0)).sum() / (M[rows, j] > 0).sum()
               for j in range(3)]
    assert w[:3].tolist() == pytest.approx(by_hand)
    assert w[2] < 0.8                                  # c's own record, not inflated by the easy pairs
    assert w[3] == pytest.approx(np.median(w[:3]))      # d has no qualifying object
    # the consensus table reports the same weights
    _, summary = cs.consensus_table(M, [str(i) for i in range(40)], ["a", "b", "c", "d"])
    assert [summary["weights"][p] for p in "abcd"] == pytest.approx(w.tolist())


def test_consensus_table_and_label_matrix():
    rows = [("10", "ann", 1), ("10", "bob", 1), ("11", "ann", 2), ("11", "bob", 3), ("12", "cat", 4)]
    ids, people, M = cs.label_matrix(rows, ids=["10", "11", "12", "13"])
    assert people == ["ann", "bob", "cat"]
    assert M.tolist() == [[1, 1, 0], [2, 3, 0], [0, 0, 4], [0, 0, 0]]
    t, summary = cs.consensus_table(M, ids, people)
    assert t["class_ref"].tolist() == [1, 3, 4, 0]
    assert t["tie"].tolist() == [False, True, False, False]
    assert t.meta["people"] == {"class_h1": "ann", "class_h2": "bob", "class_h3": "cat"}
    assert summary["n_ties"] == 1 and summary["n_labelled"] == 3
    assert summary["pairwise_4class"] == pytest.approx(0.5)
    assert summary["pairwise_binary"] == pytest.approx(0.5)


def test_bad_labels_rejected():
    with pytest.raises(StarclassError, match="class 7"):
        cs.mode_with_ties(np.array([[1, 7]]))
    with pytest.raises(StarclassError, match="weights"):
        cs.weighted_vote(np.array([[1, 2]]), np.array([1.0]))


def test_class_names_come_from_the_schema():
    assert cs.CLASSES is schema.CLASSES
    assert SUBCLASS_LABELS[4.2] == schema.SUBCLASS_NAMES["4.2"]
    assert SUBCLASS_LABELS[4.11] == schema.SUBCLASS_NAMES["4.11"]
