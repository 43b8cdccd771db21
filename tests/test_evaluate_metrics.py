"""Metrics against a reference: merges, confusion, P/R/F1, bootstrap."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score, precision_recall_fscore_support

from starclass.errors import StarclassError
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.evaluate.metrics import accuracy_scores, check_classes, classification_summary, confusion, merge_labels


def _labels(n=400, seed=1):
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 5, n)
    pred = np.where(rng.uniform(size=n) < 0.6, ref, rng.integers(1, 5, n))
    return ref, pred


def test_merges_map_classes():
    lab = np.array([0, 1, 2, 3, 4])
    assert merge_labels(lab, "12v34").tolist() == [0, 1, 1, 2, 2]
    assert merge_labels(lab, "123v4").tolist() == [0, 1, 1, 1, 2]
    assert merge_labels(lab, "12_3_4").tolist() == [0, 1, 1, 2, 3]
    with pytest.raises(StarclassError, match="unknown merge"):
        merge_labels(lab, "nope")


def test_summary_agrees_with_sklearn():
    ref, pred = _labels()
    r = classification_summary(ref, pred, "4class")
    assert r.accuracy == pytest.approx(accuracy_score(ref, pred))
    assert r.balanced_accuracy == pytest.approx(balanced_accuracy_score(ref, pred))
    p, rc, f, s = precision_recall_fscore_support(ref, pred, labels=[1, 2, 3, 4])
    np.testing.assert_allclose(r.per_class["precision"], p)
    np.testing.assert_allclose(r.per_class["recall"], rc)
    np.testing.assert_allclose(r.per_class["f1"], f)
    assert list(r.per_class["n_ref"]) == list(s)
    b = classification_summary(ref, pred, "12v34")
    assert b.accuracy == pytest.approx(accuracy_score(merge_labels(ref, "12v34"), merge_labels(pred, "12v34")))
    # the fast path used by the bootstrap gives the same numbers
    for m in ("4class", "12v34", "123v4", "12_3_4"):
        full = classification_summary(ref, pred, m)
        assert accuracy_scores(ref, pred, m) == pytest.approx((full.accuracy, full.balanced_accuracy))


def test_confusion_rows_normalised_with_empty_row():
    counts, frac = confusion(np.array([1, 1, 2]), np.array([1, 2, 2]), [1, 2, 3])
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    np.testing.assert_allclose(frac.sum(axis=1), [1, 1, 0])
    assert np.isfinite(frac).all()


def test_undefined_precision_is_masked_not_nan():
    ref = np.array([1, 1, 2, 2, 3])
    pred = np.array([1, 1, 2, 2, 2])  # class 3 never predicted, class 4 absent
    r = classification_summary(ref, pred)
    t = r.per_class
    assert t["precision"].mask.tolist() == [False, False, True, True]
    assert t["recall"].mask.tolist() == [False, False, False, True]
    assert not np.isnan(np.asarray(t["precision"].filled(0))).any()
    # balanced accuracy over the classes present in the reference only
    assert r.balanced_accuracy == pytest.approx((1 + 1 + 0) / 3)


def test_f1_of_a_class_never_predicted_right_is_zero_as_in_sklearn():
    # class 2: 2 references, 1 prediction, none right; class 3: 2 references, never predicted;
    # class 4: neither. F1 was masked ("-") for 2 and 3 where scikit-learn gives 0
    ref = np.array([1, 1, 1, 2, 2, 3, 3])
    pred = np.array([1, 1, 2, 1, 1, 1, 1])
    t = classification_summary(ref, pred).per_class
    _, _, f, _ = precision_recall_fscore_support(ref, pred, labels=[1, 2, 3], zero_division=0)
    np.testing.assert_allclose(np.asarray(t["f1"][:3].filled(np.nan)), f)
    assert t["f1"].mask.tolist() == [False, False, False, True]


def test_class_outside_config_is_named():
    with pytest.raises(StarclassError, match=r"class \[5\].*row 3"):
        check_classes(np.array([1, 2, 5, 3]), (1, 2, 3, 4), what="prediction")


def test_no_pair_classified_raises():
    with pytest.raises(StarclassError, match="no object has both"):
        classification_summary(np.array([0, 0]), np.array([1, 2]))


def test_bootstrap_interval_contains_value_and_is_reproducible():
    ref, pred = _labels(300)
    v, lo, hi = bootstrap_ci(lambda a, b: accuracy_scores(a, b)[0], ref, pred, n_boot=300, seed=3)
    assert lo < v < hi
    assert hi - lo < 0.15
    assert bootstrap_ci(lambda a, b: accuracy_scores(a, b)[0], ref, pred, n_boot=300, seed=3) == (v, lo, hi)
    # the width shrinks roughly as 1/sqrt(n)
    ref4, pred4 = _labels(4800, seed=5)
    _, lo4, hi4 = bootstrap_ci(lambda a, b: accuracy_scores(a, b)[0], ref4, pred4, n_boot=200)
    assert (hi4 - lo4) < 0.5 * (hi - lo)


@pytest.mark.parametrize("n_classes", [2, 3, 4, 5])
def test_the_per_class_lines_print_the_one_vs_rest_balanced_accuracy(n_classes):
    """evaluate wrote each class's one-vs-rest balanced accuracy (the cool-core paper's metric) to
    tables/per_class_*.ecsv but did not print it: the class lines gave precision, recall and F1 only."""
    import re

    from astropy.table import Table

    from starclass.evaluate.compare import EvalTask, compare

    rng = np.random.default_rng(5)
    ref = rng.integers(1, n_classes + 1, 80)
    pred = np.where(rng.random(80) < 0.7, ref, rng.integers(1, n_classes + 1, 80))
    t = Table({"class_pred": pred, "class_ref": ref})
    classes = tuple(range(1, n_classes + 1))
    lines = compare(t, t, EvalTask.from_classes(classes), ref_is_pred=True, n_boot=0).lines()
    for k in classes:
        # "class 4 (artefact / non-cluster):" for the PHANGS classes 1-4, "class 5:" for an unnamed one
        line = next(s for s in lines if re.match(rf"  class {k}( \(.*?\))?: ", s))
        shown = re.search(r"one-vs-rest balanced accuracy ([0-9.]+)", line)
        assert shown, line
        expected = balanced_accuracy_score(ref == k, pred == k)
        assert float(shown.group(1)) == pytest.approx(expected, abs=5e-4)
