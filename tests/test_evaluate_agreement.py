"""PHANGS agreement fractions, Table 1, symmetric confusion, human baselines, trends, matching."""

import numpy as np
import pytest
from astropy.table import Table

from starclass.detect import match as detect_match
from starclass.errors import StarclassError
from starclass.evaluate.agreement import (
    agreement_fractions,
    agreement_table,
    agreement_vs,
    compare_catalogs,
    human_baselines,
    symmetric_confusion,
)
from starclass.evaluate.matching import greedy_one_to_one, match_catalogs


def test_agreement_fraction_by_hand():
    a = np.array([1, 1, 1, 2, 2, 3, 4, 4])
    b = np.array([1, 1, 2, 2, 2, 4, 4, 4])
    r = agreement_fractions(a, b)
    # class 1: both 2, n_a 3, n_b 2 -> (2/3 + 1)/2
    assert r["1"]["fraction"] == pytest.approx((2 / 3 + 1) / 2)
    assert r["2"]["fraction"] == pytest.approx((1 + 2 / 3) / 2)
    # B has no class 3: A's one class 3 is not agreed, 0 (the ratio over B's none is left out)
    assert r["3"]["fraction"] == 0.0
    assert r["4"]["fraction"] == pytest.approx((1 + 2 / 3) / 2)
    assert r["1+2"]["fraction"] == pytest.approx(1.0)


def test_class_in_one_catalogue_only_is_zero_and_absent_from_both_is_undefined():
    a = np.array([1, 2, 3, 3])
    b = np.array([1, 2, 4, 4])
    r = agreement_fractions(a, b, classes=(1, 2, 3, 4, 5))
    # hand count: class 3 is called by A twice and never by B, class 4 the other way round: no
    # object either side called 3 (or 4) is agreed; class 5 is used by neither
    assert r["3"]["fraction"] == 0.0 and r["4"]["fraction"] == 0.0
    assert r["5"]["fraction"] is None
    assert r["mean"] == pytest.approx((1 + 1 + 0 + 0) / 4) and r["mean_n"] == 4


def test_symmetric_confusion_diagonal_is_agreement_when_one_side_lacks_a_class():
    # B never says 3 nor 4, A never says 2: the diagonal must still be the agreement fraction
    a = np.array([1, 1, 1, 3, 3, 4, 4, 4, 1])
    b = np.array([1, 1, 2, 1, 2, 1, 2, 2, 2])
    S = symmetric_confusion(a, b)
    r = agreement_fractions(a, b)
    np.testing.assert_allclose(np.diag(S), [r[str(k)]["fraction"] for k in (1, 2, 3, 4)])
    # hand count: class 1 A 4, B 4, both 2 -> (2/4 + 2/4) / 2; classes 2, 3, 4: nobody agrees
    np.testing.assert_allclose(np.diag(S), [(2 / 4 + 2 / 4) / 2, 0.0, 0.0, 0.0])
    # every row of a class someone uses is still the mean of distributions: sums to 1
    np.testing.assert_allclose(S.sum(axis=1), 1.0)


def test_symmetric_confusion_diagonal_is_agreement():
    rng = np.random.default_rng(0)
    a = rng.integers(1, 5, 500)
    b = np.where(rng.uniform(size=500) < 0.7, a, rng.integers(1, 5, 500))
    S = symmetric_confusion(a, b)
    r = agreement_fractions(a, b)
    np.testing.assert_allclose(np.diag(S), [r[str(k)]["fraction"] for k in (1, 2, 3, 4)])
    # swapping the catalogues transposes nothing: the matrix is the same
    np.testing.assert_allclose(S, symmetric_confusion(b, a))
    # each row is the mean of two distributions: sums to 1
    np.testing.assert_allclose(S.sum(axis=1), 1.0)


def _cat(x, y, cls, col="class_ref"):
    return Table({"x": np.asarray(x, float), "y": np.asarray(y, float), col: np.asarray(cls)})


def test_match_is_one_to_one_nearest_first():
    a = _cat([0, 10], [0, 0], [1, 1])
    b = _cat([0.5, 1.0, 10.2], [0, 0, 0], [1, 2, 1])
    ia, ib, d = match_catalogs(a, b, 2.0)
    assert ia.tolist() == [0, 1] and ib.tolist() == [0, 2]
    np.testing.assert_allclose(d, [0.5, 0.2])
    ia, ib, d = greedy_one_to_one(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.5, 0.6, 0.4]))
    assert sorted(zip(ia.tolist(), ib.tolist())) == [(0, 1), (1, 0)]


def test_sky_match_when_no_pixels():
    a = Table({"ra": [10.0, 10.001], "dec": [0.0, 0.0], "class_ref": [1, 2]})
    b = Table({"ra": [10.001 + 1e-5, 10.0], "dec": [0.0, 0.0], "class_ref": [2, 1]})
    ia, ib, d = match_catalogs(a, b, 2.0, pixel_scale=0.04)
    assert ia.tolist() == [0, 1] and ib.tolist() == [1, 0]
    assert d[1] == pytest.approx(1e-5 * 3600 / 0.04, rel=1e-3)


def test_sky_and_pixel_matches_pick_the_same_pairs():
    # competing pairs (b[0] is near a[0] and a[1]): both routes go through one assignment
    scale = 0.04
    x = np.array([0.0, 1.0, 50.0])
    xb = np.array([0.9, 49.0, 80.0])
    a = Table({"x": x, "y": np.zeros(3), "ra": 10 + x * scale / 3600, "dec": np.zeros(3)})
    b = Table({"x": xb, "y": np.zeros(3), "ra": 10 + xb * scale / 3600, "dec": np.zeros(3)})
    pix = match_catalogs(a, b, 2.0)
    sky = match_catalogs(a, b["ra", "dec"], 2.0, pixel_scale=scale)
    assert pix[0].tolist() == sky[0].tolist() == [1, 2]
    assert pix[1].tolist() == sky[1].tolist() == [0, 1]
    np.testing.assert_allclose(sky[2], pix[2], atol=1e-6)


def test_evaluate_uses_the_detect_matcher():
    assert greedy_one_to_one is detect_match.one_to_one


def test_no_overlap_is_a_clear_error():
    a = _cat([0, 1], [0, 1], [1, 2])
    b = _cat([500, 600], [500, 600], [1, 2])
    with pytest.raises(StarclassError, match="no overlap"):
        compare_catalogs(a, b, names=("PHANGS", "LEGUS"))


def test_agreement_table_rows_and_mean():
    rng = np.random.default_rng(2)
    n = 300
    x, y = rng.uniform(0, 1000, n), rng.uniform(0, 1000, n)
    truth = rng.integers(1, 5, n)
    cats = {}
    for name, acc in (("H", 1.0), ("M1", 0.8), ("M2", 0.6)):
        c = np.where(rng.uniform(size=n) < acc, truth, rng.integers(1, 5, n))
        cats[name] = _cat(x + rng.normal(0, 0.3, n), y, c)
    t = agreement_table(cats)
    assert list(t["comparison"]) == ["H vs. M1", "H vs. M2", "M1 vs. M2", "mean for above values"]
    assert t["mean"][0] > t["mean"][1]  # the better model agrees better
    assert t["mean"][3] == pytest.approx(np.mean(t["mean"][:3]))
    assert t["mean_err"][3] == pytest.approx(np.std(t["mean"][:3]) / np.sqrt(3))


def test_human_baselines_known_answer():
    # three people; person 3 always disagrees with 1 and 2 on class 1 vs 2 objects
    n = 200
    truth = np.tile([1, 2, 3, 4], n // 4)
    h1 = truth.copy()
    h2 = truth.copy()
    h3 = np.where(truth == 1, 2, np.where(truth == 2, 1, truth))
    t = Table({"class_ref": truth, "class_h1": h1, "class_h2": h2, "class_h3": h3})
    r = human_baselines(t)
    # pairs: (1,2) agree 100%, (1,3) and (2,3) agree 50% (classes 3 and 4 only)
    assert r["summary"]["pairwise_4class"] == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert r["summary"]["pairwise_binary"] == pytest.approx(1.0)  # 1<->2 swaps do not matter
    assert r["summary"]["vs_mode_4class"] == pytest.approx((1 + 1 + 0.5) / 3)
    # leave-one-out: person 3 against the others' mode
    row = r["vs_mode"][r["vs_mode"]["classifier"] == "class_h3"][0]
    assert row["agree_4class_loo"] == pytest.approx(0.5)


def test_human_baselines_vs_mode_only_where_the_mode_says_something():
    """An inspect export where the third person labelled half: on the two-label objects the mode is
    both labels or a tie given to one of them, so everybody agreed by construction."""
    rng = np.random.default_rng(5)
    n = 120
    truth = rng.integers(1, 5, n)
    noisy = lambda p: np.where(rng.random(n) < p, truth % 4 + 1, truth)  # noqa: E731
    h1, h2, h3 = noisy(0.3), noisy(0.3), noisy(0.3)
    h3[n // 2:] = 0                                   # person 3 labelled only the first half
    M = np.column_stack([h1, h2, h3])
    from starclass.inspect.consensus import mode_with_ties

    mode, tie = mode_with_ties(M)
    t = Table({"class_ref": mode, "class_h1": h1, "class_h2": h2, "class_h3": h3})
    r = human_baselines(t, min_overlap=1)
    # by hand: objects with three labels and an untied mode
    use = ((M > 0).sum(axis=1) >= 3) & ~tie
    by_hand = [np.mean(M[use, j] == mode[use]) for j in range(3)]
    assert r["vs_mode"]["agree_4class"].tolist() == pytest.approx(by_hand)
    assert r["vs_mode"]["n"].tolist() == [int(use.sum())] * 3
    assert r["summary"]["vs_mode_n_objects"] == int(use.sum())
    assert r["summary"]["vs_mode_4class"] == pytest.approx(np.mean(by_hand))
    # nobody has three labels: not computed (NaN), not 100 %
    t2 = Table({"class_ref": mode, "class_h1": h1, "class_h2": h2})
    assert np.isnan(human_baselines(t2, min_overlap=1)["summary"]["vs_mode_4class"])


def test_human_baselines_balanced_agreement_is_over_the_classes_given():
    """The balanced figures averaged the row-normalised diagonal over all four classes: a class
    nobody gave counted as 0 % agreement, and with no object of 3 labels vs_mode_4class_balanced
    was 0.0 beside a vs_mode_4class of NaN."""
    # two people, classes 1 and 2 only: person 2 calls one of three 1s a 2
    t = Table({"class_ref": [1, 1, 1, 2, 2, 2], "class_h1": [1, 1, 1, 2, 2, 2], "class_h2": [1, 1, 2, 2, 2, 2]})
    sm = human_baselines(t, min_overlap=1)["summary"]
    # pairs counted in both orders: row 1 = [2+2, 1], row 2 = [1, 3+3]
    assert sm["pairwise_4class_balanced"] == pytest.approx((4 / 5 + 6 / 7) / 2)
    assert np.isnan(sm["vs_mode_4class"]) and np.isnan(sm["vs_mode_4class_balanced"])


def test_human_baselines_need_two_people():
    with pytest.raises(StarclassError, match="at least two"):
        human_baselines(Table({"class_ref": [1, 2], "class_h1": [1, 2]}))


def test_agreement_vs_quantity_trend():
    rng = np.random.default_rng(4)
    n = 4000
    mag = rng.uniform(20, 24, n)
    a = rng.integers(1, 5, n)
    p_agree = np.clip(0.95 - 0.15 * (mag - 20), 0, 1)  # falls with magnitude
    b = np.where(rng.uniform(size=n) < p_agree, a, (a % 4) + 1)
    bins, trends = agreement_vs(a, b, mag, nbins=4, quantity_name="mag_v")
    assert np.all(np.abs(np.asarray(bins["n"]) - n / 4) <= 1)
    row = trends[trends["class"] == "1"][0]
    assert row["slope"] < -0.08
    assert row["note"] == ""


def test_agreement_vs_too_few_bins_reports_instead_of_nan():
    a = np.array([1, 2, 1, 2, 1, 2])
    bins, trends = agreement_vs(a, a, np.array([1, 1, 1, 2, 2, 2.0]), nbins=2, quantity_name="crowding")
    assert all("need at least 3" in n for n in trends["note"])
    assert trends["slope"].mask.all()
