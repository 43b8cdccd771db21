"""ROC/PR curves, score distributions and threshold studies."""

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.evaluate import curves, threshold


def test_threshold_for_purity_is_exact_and_keeps_most():
    # scores 0.1..1.0; positives are the top 6 and one at 0.35
    score = np.round(np.arange(1, 11) / 10, 2)
    y = np.array([0, 0, 1, 0, 1, 1, 1, 1, 1, 1], bool)
    r = threshold.threshold_for_purity(y, score, 0.8, min_selected=1)
    # lowest threshold with purity >= 0.8: at 0.3 we select 8 with 7 positives (0.875)
    assert r["threshold"] == pytest.approx(0.3)
    assert r["purity"] == pytest.approx(7 / 8)
    assert r["recall"] == pytest.approx(1.0)
    assert r["n_selected"] == 8
    r = threshold.threshold_for_purity(y, score, 1.0, min_selected=1)
    assert r["threshold"] == pytest.approx(0.5) and r["purity"] == 1.0


def test_threshold_unreachable_purity_is_an_error():
    y = np.array([1, 0, 1, 0] * 10, bool)
    with pytest.raises(StarclassError, match="no threshold reaches purity 0.95"):
        threshold.threshold_for_purity(y, np.full(40, 0.5), 0.95)


def test_threshold_scan_monotonic_recall_and_masked_purity():
    rng = np.random.default_rng(0)
    y = rng.uniform(size=500) < 0.3
    s = np.clip(y * 0.3 + rng.uniform(0, 0.7, 500), 0, 1)
    t = threshold.threshold_scan(y, s, thresholds=[0.1, 0.5, 0.9, 1.5])
    rec = np.asarray(t["recall"])
    assert np.all(np.diff(rec[:3]) <= 0)
    assert t["purity"].mask.tolist() == [False, False, False, True]  # nothing selected above 1.5
    assert t["tp"][0] + t["fn"][0] == y.sum()


def test_threshold_scan_f1_equals_sklearn_where_nothing_selected_is_right():
    from sklearn.metrics import f1_score

    y = np.array([1, 1, 0, 0, 1, 0], bool)
    s = np.array([0.2, 0.3, 0.95, 0.6, 0.1, 0.4])
    ths = [0.05, 0.5, 0.9, 0.99]  # 0.5 and 0.9 select only negatives, 0.99 nothing
    t = threshold.threshold_scan(y, s, thresholds=ths)
    expect = [f1_score(y, s >= th, zero_division=0) for th in ths]
    np.testing.assert_allclose(np.asarray(t["f1"].filled(np.nan)), expect)
    assert not t["f1"].mask.any()


def test_metrics_vs_magnitude_cumulative_counts():
    mag = np.array([18.2, 19.5, 20.1, 21.7, 99.999])
    y = np.array([1, 1, 0, 1, 1], bool)
    s = np.array([0.9, 0.4, 0.8, 0.9, 0.9])
    t = threshold.metrics_vs_magnitude(y, s, mag, 0.5, edges=[18, 19, 20, 21, 22])
    assert list(t["n"]) == [1, 2, 3, 4]  # 99.999 (no detection) left out
    assert t["purity"][2] == pytest.approx(0.5)
    assert t["recall"][3] == pytest.approx(2 / 3)


def test_roc_auc_perfect_and_skipped_class():
    ref = np.array([1, 1, 2, 2, 3, 3])
    probs = np.zeros((6, 4))
    probs[np.arange(6), ref - 1] = 1.0
    roc, pr, skipped = curves.one_vs_rest(ref, probs)
    assert [c.label for c in roc] == ["1", "2", "3"]
    assert all(c.area == pytest.approx(1.0) for c in roc)
    assert len(skipped) == 1 and "class 4" in skipped[0]
    roc2, _, _ = curves.one_vs_rest(ref, probs, "12v34")
    assert roc2[0].label == "1+2" and roc2[0].area == pytest.approx(1.0)


def test_score_distributions_per_predicted_class():
    probs = np.array([[0.9, 0.1, 0, 0], [0.6, 0.4, 0, 0], [0.2, 0.7, 0.1, 0]])
    d = curves.score_distributions(np.array([1, 1, 2]), probs)
    assert d[1].tolist() == [0.6, 0.9] and d[2].tolist() == [0.7]
    q = curves.score_quantiles(d)
    assert q["score_q50"][0] == pytest.approx(0.75)


def test_one_vs_rest_names_a_merge_that_does_not_fit_the_classes():
    """A binary task's probabilities with the default merge ("4class", classes 1-4) stopped with
    Python's "tuple.index(x): x not in tuple"; probabilities with too few columns with numpy's
    "index 2 is out of bounds"."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    ref = rng.integers(1, 3, 40)
    p1 = np.clip(0.5 + 0.4 * (ref == 1) + rng.normal(0, 0.2, 40), 0, 1)
    probs = np.column_stack([p1, 1 - p1])
    with pytest.raises(StarclassError, match=r"merge '4class' groups class 3.* not among the classes \(1, 2\)"):
        curves.one_vs_rest(ref, probs, "4class", classes=(1, 2))
    with pytest.raises(StarclassError, match=r"probabilities have 2 columns but 4 classes"):
        curves.one_vs_rest(ref, probs, "4class")
    # with the task's groups it is scikit-learn's ROC AUC
    roc, _, _ = curves.one_vs_rest(ref, probs, "2class", classes=(1, 2), groups={"1": (1,), "2": (2,)})
    assert roc[0].area == pytest.approx(roc_auc_score(ref == 1, probs[:, 0]))


def test_threshold_for_purity_with_fewer_objects_than_it_must_select_says_so():
    # four objects, the default min_selected of 10: the message said "best purity 0.000" of scores
    # that reach purity 0.75 at every threshold, as if the model had found no cluster at all
    from starclass.evaluate.threshold import threshold_for_purity

    with pytest.raises(StarclassError) as err:
        threshold_for_purity(np.array([1, 0, 1, 1], bool), np.array([0.9, 0.8, 0.4, 0.7]), 0.8)
    assert str(err.value) == ("no threshold can be chosen for purity 0.80: the rule selects at least 10 objects and "
                              "there are 4 objects in all; it needs more than 10 for a threshold to leave any out "
                              "(too few for the rule, not a result of the scores)")


def test_threshold_for_purity_on_exactly_as_many_objects_as_it_must_select_says_the_table_is_too_small():
    # ten objects, min_selected 10: the only selection is all ten, whose purity is the class's share; it said
    # "no threshold reaches purity 0.80 with at least 10 objects selected (best purity 0.500)", read as a result
    from starclass.evaluate.threshold import threshold_for_purity

    y = np.arange(10) % 2 == 0
    with pytest.raises(StarclassError) as err:
        threshold_for_purity(y, np.linspace(0.95, 0.05, 10), 0.8, noun="row")
    said = str(err.value)
    assert "best purity" not in said, said
    assert "there are 10 rows in all; it needs more than 10" in said and "too few for the rule" in said, said
    # one more row and the rule has a choice: a result again (purity of the best selection)
    y11 = np.r_[y, False]
    with pytest.raises(StarclassError, match=r"best purity 0\.500"):
        threshold_for_purity(y11, np.r_[np.linspace(0.95, 0.05, 10), 0.01], 0.8)


def test_threshold_for_purity_on_a_table_no_larger_than_the_rule_whose_class_share_meets_the_target_chooses_nothing():
    # ten objects, nine of them clusters (share 0.9 >= 0.8), min_selected 10: the only selection the rule allows is
    # all ten, so the lowest score was returned as "the threshold for purity 0.80" (select-all, purity 0.9 the
    # class's share, recall 1), whatever the scores said
    from starclass.evaluate.threshold import purity_choice_of_weights, threshold_for_purity

    y = np.ones(10, bool)
    y[3] = False
    score = np.linspace(0.95, 0.05, 10)
    # by hand: selections of >= 10 of 10 rows are the whole table, which no threshold can leave a row out of
    assert int(np.sum(score >= score.min())) == len(y) == 10 and np.mean(y) >= 0.8
    with pytest.raises(StarclassError) as err:
        threshold_for_purity(y, score, 0.8)
    said = str(err.value)
    assert said == ("no threshold can be chosen for purity 0.80: the rule selects at least 10 objects and there are "
                    "10 objects in all; it needs more than 10 for a threshold to leave any out (too few for the rule, "
                    "not a result of the scores)"), said
    # the bootstrap's choice agrees: undefined on the table's own weights
    assert np.isnan(purity_choice_of_weights(y, score, 0.8)(np.ones(10))).all()
    # eleven rows (one more non-cluster at the bottom) and purity 0.85: the rule has a choice, all eleven (9/11 =
    # 0.82, by hand) miss it and the ten highest (9/10) reach it
    r = threshold_for_purity(np.r_[y, False], np.r_[score, 0.01], 0.85)
    assert (r["n_selected"], r["purity"], r["threshold"]) == (10, 9 / 10, float(score[-1]))
