"""Labels worth a second look (``starclass.suggest.relabel.label_issues``), held to hand counts.

Each case lists its rows, the per-class thresholds t_k (mean prob_<k> over the rows labelled k)
worked out by hand, and which rows confident learning flags and why.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.suggest.relabel import label_issues


def _table(labels, probs, ids=None):
    probs = np.asarray(probs, float)
    t = Table({"id": ids if ids is not None else np.arange(1, len(labels) + 1), "class_ref": labels})
    for j in range(probs.shape[1]):
        t[f"prob_{j + 1}"] = probs[:, j]
    return t


def test_binary_by_hand_and_the_given_class_wins_when_it_is_above_its_own_threshold():
    # labelled 1: p1 = 0.7, 0.4, 0.55, 0.58 -> t1 = 2.23 / 4 = 0.5575
    # labelled 2: p2 = 0.6, 0.3, 0.32      -> t2 = 1.22 / 3 = 0.4067
    labels = [1, 1, 1, 1, 2, 2, 2]
    p1 = [0.7, 0.4, 0.55, 0.58, 0.4, 0.7, 0.68]
    t = _table(labels, np.column_stack([p1, 1 - np.asarray(p1)]))
    out = label_issues(t)
    th = out.meta["check_labels"]["thresholds"]
    assert th["1"] == pytest.approx(0.5575) and th["2"] == pytest.approx(1.22 / 3)
    # id 2: p1 0.4 < t1, p2 0.6 >= t2 -> 2.   id 3: p1 0.55 < t1, p2 0.45 >= t2 -> 2.
    # id 4: p1 0.58 >= t1 and p2 0.42 >= t2: both pass, the larger (its own class 1) wins -> not flagged.
    # id 6: p1 0.7 >= t1 -> 1.   id 7: p1 0.68 >= t1, p2 0.32 < t2 -> 1.
    # ranked by p(given): id 6 (0.30), id 7 (0.32), id 2 (0.40), id 3 (0.55)
    assert out["id"].tolist() == [6, 7, 2, 3]
    assert out["class_suggested"].tolist() == [1, 1, 2, 2]
    assert out["class_given"].tolist() == [2, 2, 1, 1]
    assert np.allclose(out["prob_given"], [0.3, 0.32, 0.4, 0.55])
    assert out["check_rank"].tolist() == [1, 2, 3, 4]
    assert out.meta["check_labels"]["pairs"] == {"2->1": 2, "1->2": 2}
    assert out.meta["check_labels"]["flagged_by_given"] == {"1": 2, "2": 2}


def test_three_classes_by_hand():
    # t1 = (.8 + .6 + .1) / 3 = .5, t2 = (.8 + .6 + .4) / 3 = .6, t3 = (.8 + .6 + .3) / 3 = .5667
    rows = [(1, (.8, .1, .1)), (1, (.6, .3, .1)), (1, (.1, .2, .7)),   # c: only p3 passes -> 3
            (2, (.1, .8, .1)), (2, (.2, .6, .2)), (2, (.5, .4, .1)),   # f: p1 = t1 passes -> 1
            (3, (.1, .1, .8)), (3, (.2, .2, .6)), (3, (.1, .6, .3))]   # i: p2 = t2 passes -> 2
    t = _table([r[0] for r in rows], [r[1] for r in rows], ids=list("abcdefghi"))
    out = label_issues(t)
    assert out["id"].tolist() == ["c", "i", "f"]  # p(given) 0.1, 0.3, 0.4
    assert out["class_suggested"].tolist() == [3, 2, 1]
    assert np.allclose(out["prob_given"], [0.1, 0.3, 0.4])


def test_four_classes_by_hand_a_row_no_class_passes_is_not_flagged():
    # t1 = (.7 + .5) / 2 = .6, t2 = (.8 + .6 + .1) / 3 = .5, t3 = (.7 + .5) / 2 = .6, t4 = (.8 + .5 + .2) / 3 = .5
    rows = [(1, (.7, .1, .1, .1)), (1, (.5, .2, .2, .1)),                       # b: nothing passes
            (2, (.1, .8, .05, .05)), (2, (.1, .6, .2, .1)), (2, (.1, .1, .1, .7)),  # e: p4 .7 >= .5 -> 4
            (3, (.1, .1, .7, .1)), (3, (.2, .1, .5, .2)),                       # g: nothing passes
            (4, (.05, .05, .1, .8)), (4, (.3, .1, .1, .5)), (4, (.65, .05, .1, .2))]  # j: p1 .65 >= .6 -> 1
    t = _table([r[0] for r in rows], [r[1] for r in rows], ids=list("abcdefghij"))
    out = label_issues(t)
    assert out["id"].tolist() == ["e", "j"]
    assert out["class_suggested"].tolist() == [4, 1]
    assert out["class_given"].tolist() == [2, 4]
    assert np.allclose(out["prob_given"], [0.1, 0.2])


def test_five_classes_by_hand_with_an_unlabelled_class_unlabelled_rows_and_rows_without_probabilities():
    # class 5 has no labelled row: t5 is undefined and nothing is moved into it
    # t1 = (.6 + .8) / 2 = .7 (the unlabelled row and the row without probabilities do not count)
    # t2 = (.7 + .5 + .1) / 3 = .4333, t3 = (.8 + .4) / 2 = .6, t4 = (.6 + .6 + .1) / 3 = .4333
    rows = [(1, (.6, .1, .1, .1, .1)),      # p1 .6 < .7, nothing else passes: not flagged
            (1, (.8, .05, .05, .05, .05)),
            (2, (.1, .7, .1, .05, .05)), (2, (.1, .5, .1, .1, .2)),
            (2, (.1, .1, .1, .1, .6)),      # p5 is the largest, but class 5 has no threshold: not flagged
            (3, (.05, .05, .8, .05, .05)),
            (3, (.1, .45, .4, .025, .025)),  # p3 .4 < .6, p2 .45 >= .4333 -> 2
            (4, (.1, .1, .1, .6, .1)), (4, (.1, .1, .1, .6, .1)),
            (4, (.75, .05, .05, .1, .05)),  # p1 .75 >= .7 -> 1
            (0, (.05, .9, .02, .02, .01)),  # unlabelled: never flagged, no part in t2
            (1, (np.nan,) * 5)]             # no probabilities (a blank cutout classify left out)
    t = _table([r[0] for r in rows], [r[1] for r in rows])
    out = label_issues(t)
    assert out["id"].tolist() == [10, 7]
    assert out["class_suggested"].tolist() == [1, 2]
    meta = out.meta["check_labels"]
    assert meta["thresholds"]["5"] is None
    assert meta["thresholds"]["2"] == pytest.approx(1.3 / 3) and meta["thresholds"]["1"] == pytest.approx(0.7)
    assert (meta["n_scored"], meta["n_unlabelled"], meta["n_no_probabilities"]) == (10, 1, 1)
    assert meta["labelled_by_class"] == {"1": 2, "2": 3, "3": 2, "4": 3, "5": 0}


def test_given_classes_for_label_names_and_n_keeps_the_first():
    # the label column holds names; the caller maps them (the task's label_map) and passes the classes
    t = _table([0] * 7, np.column_stack([[0.9, 0.8, 0.7, 0.2, 0.1, 0.2, 0.7], [0.1, 0.2, 0.3, 0.8, 0.9, 0.8, 0.3]]))
    t["label"] = ["cluster"] * 4 + ["galaxy"] * 3
    given = [{"cluster": 1, "galaxy": 2}[v] for v in t["label"]]
    out = label_issues(t, "label", given=given, n=1)
    assert out["id"].tolist() == [4] and out["label"].tolist() == ["cluster"]
    assert out.meta["check_labels"]["n_flagged"] == 2  # before n


def test_a_class_without_probabilities_is_refused_naming_the_row():
    t = _table([1, 2, 3], [(.9, .1), (.2, .8), (.5, .5)])
    with pytest.raises(StarclassError, match=r"row 3 has class 3, which has no probability column"):
        label_issues(t, name="cv.ecsv")


def test_no_probabilities_and_no_label_column_are_refused():
    with pytest.raises(StarclassError, match="at least two classes"):
        label_issues(Table({"class_ref": [1, 2], "prob_1": [0.3, 0.2]}))
    with pytest.raises(StarclassError, match="no label column 'label'"):
        label_issues(_table([1, 2], [(.9, .1), (.2, .8)]), "label")


def test_percent_probabilities_are_refused():
    with pytest.raises(StarclassError, match="prob_1"):
        label_issues(_table([1, 2], [(90, 10), (20, 80)]))


def test_self_consistent_labels_flag_nothing():
    rng = np.random.default_rng(0)
    labels = rng.integers(1, 4, 300)
    p = np.full((300, 3), 0.05)
    p[np.arange(300), labels - 1] = 0.9
    out = label_issues(_table(labels, p))
    assert len(out) == 0 and math.isclose(out.meta["check_labels"]["thresholds"]["2"], 0.9)
