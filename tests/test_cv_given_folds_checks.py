"""``--cv fold``: the rows' ready-made folds, each value held out in turn; its checks, without training.

A cutout list's ``fold`` column was read and checked (a group split across folds refused) but ``train --cv``
never used it. ``cv_folds("fold", ...)`` now makes the folds of the column; these tests hold its order and its
refusals (no column, one fold, a class all in one fold, rows the starting model trained on, an object split),
its warning (a fold holding no row of a class), the blank-cell refusals and the record that tells the column's
folds of a rerun from other folds (``cv_folds.json``'s ``fold_rows``).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from PIL import Image

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.crossval import (
    CV_FOLDS_FILE,
    _folds_digest,
    _other_scheme,
    _scheme_words,
    cv_folds,
    given_fold_column,
    parse_cv,
)

WORDS = {0: "class 1 (cluster)", 1: "class 2 (non-cluster)"}


def test_parse_cv_takes_fold_and_points_other_words_to_it():
    assert parse_cv(" Fold ") == "fold"
    with pytest.raises(StarclassError, match="give --cv fold"):
        parse_cv("column")
    with pytest.raises(StarclassError, match="'fold' \\(the ready-made folds of a 'fold' column\\)"):
        parse_cv("ten")


def test_the_folds_are_the_columns_values_in_natural_order():
    target = np.array([0, 1, 0, 1, 0, 1, 0, 1, -1])
    given = np.array([10, 10, 2, 2, 1, 1, 2, 1, 3])  # the unlabelled last row's fold 3 is no fold
    folds = cv_folds("fold", target, folds=given)
    assert [name for name, _ in folds] == ["1", "2", "10"]
    for name, rows in folds:
        assert rows.tolist() == [i for i in range(8) if str(given[i]) == name]


def test_without_a_fold_column_it_is_refused():
    with pytest.raises(StarclassError, match=r"^--cv fold holds out the ready-made folds of a 'fold' column, and "
                                             r"these cutouts have none"):
        cv_folds("fold", np.array([0, 1, 0, 1]), noun="cutout")


def test_a_single_fold_is_refused():
    with pytest.raises(StarclassError, match=r"every labelled cutout \(4\) is in fold '3' of column 'fold': held out, "
                                             r"it leaves none to train on"):
        cv_folds("fold", np.array([0, 1, 0, 1, -1]), folds=np.array([3, 3, 3, 3, 1]), noun="cutout")


def test_a_class_all_in_one_fold_is_refused_naming_fold_and_class():
    with pytest.raises(StarclassError, match=r"all 2 cutouts of class 2 \(non-cluster\) are in fold '2', so the "
                                             r"model that holds that fold out would learn none of that class"):
        cv_folds("fold", np.array([0, 0, 0, 1, 1]), folds=np.array([1, 2, 1, 2, 2]), noun="cutout",
                 class_words=WORDS)


def test_a_fold_holding_no_row_of_a_class_is_warned_of_by_name():
    target = np.array([0, 1, 0, 1, 0, 0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        folds = cv_folds("fold", target, folds=np.array([1, 1, 2, 2, 3, 3]), noun="cutout", class_words=WORDS)
    assert [n for n, _ in folds] == ["1", "2", "3"]
    said = [str(w.message) for w in caught]
    assert said == ["--cv fold: fold '3' holds no cutout of class 2 (non-cluster): such a fold's own figures do not "
                    "measure that class (its macro F1 counts it as 0; a positive class's recall is undefined); the "
                    "pooled figures count every fold's rows"], said


def test_rows_the_starting_model_trained_on_are_refused_naming_how_many_and_the_fold():
    target = np.array([0, 1, 0, 1, 0, 1])
    seen = np.array([False, False, True, False, True, True])
    with pytest.raises(StarclassError, match=r"^--cv fold: the starting model 'm0' trained on 3 of the 6 labelled "
                                             r"cutouts, which the ready-made folds hold out \(1 in fold '2' and 1 "
                                             r"other fold\).*cross-validate without --resume-from/--init-from"):
        cv_folds("fold", target, folds=np.array([1, 1, 2, 2, 3, 3]), noun="cutout", start_trained=seen,
                 start="the starting model 'm0'")
    # by object: another cutout of an object it trained on is one it learnt
    with pytest.raises(StarclassError, match=r"trained on 2 of the 6 labelled cutouts \(or on other cutouts of "
                                             r"their objects\), .*\(2 in fold '1'\)"):
        cv_folds("fold", target, folds=np.array([1, 1, 2, 2, 3, 3]), noun="cutout",
                 start_trained=np.array([True, False, False, False, False, False]),
                 groups=np.array(["a", "a", "b", "c", "d", "e"]))


def test_an_object_split_across_folds_is_refused():
    with pytest.raises(StarclassError, match=r"object 'b' is split across folds '1', '2'"):
        cv_folds("fold", np.array([0, 1, 0, 1]), folds=np.array([1, 1, 2, 2]), groups=np.array(["a", "b", "b", "c"]))


def _csv(tmp_path, folds):
    for k in range(len(folds)):
        Image.fromarray(np.full((8, 8), 30 * k, np.uint8)).save(tmp_path / f"o{k}.png")
    (tmp_path / "labels.csv").write_text("file,label,fold\n" + "".join(
        f"o{k}.png,{'cluster' if k % 2 else 'galaxy'},{f}\n" for k, f in enumerate(folds)))
    return tmp_path / "labels.csv"


def test_a_blank_fold_in_a_list_is_refused_naming_its_row(tmp_path):
    # it was "fold '' is not an integer"; refused, not left out: a benchmark's folds cover every row it scores
    with pytest.raises(StarclassError, match=r"row 2 .*'o1.png': no fold \(a blank cell in column 'fold'\): every "
                                             r"row of a list with a 'fold' column needs one"):
        read_cutout_folder(_csv(tmp_path, ["1", "", "2"]))


def test_a_catalogues_fold_column_is_read_and_its_blanks_refused():
    assert given_fold_column(Table({"id": [1, 2, 3], "fold": ["2", "10", "2.0"]}), "c.ecsv").tolist() == [2, 10, 2]
    masked = Table({"id": [1, 2, 3], "fold": MaskedColumn([1, 2, 1], mask=[False, False, True])})
    with pytest.raises(StarclassError, match=r"^c.ecsv: row 3 has no fold \(a blank cell in column 'fold'\)"):
        given_fold_column(masked, "c.ecsv")
    with pytest.raises(StarclassError, match=r"^c.ecsv: --cv fold .*which the catalogue has not \(its columns: id\)"):
        given_fold_column(Table({"id": [1]}), "c.ecsv")


def test_other_folds_under_the_same_names_are_not_taken_for_the_old_ones(tmp_path):
    old = [("1", np.array([0, 1])), ("2", np.array([2, 3]))]
    new = [("1", np.array([0, 2])), ("2", np.array([1, 3]))]
    (tmp_path / CV_FOLDS_FILE).write_text(json.dumps({"scheme": "fold", "task": "t", "folds": ["1", "2"], "n": 4,
                                                      "fold_rows": _folds_digest(old)}))
    (tmp_path / "cv_summary.json").write_text('{"scheme": "fold"}')  # finished: the same scheme
    assert _other_scheme(tmp_path, "fold", [], _folds_digest(old)) is None
    said = _other_scheme(tmp_path, "fold", [], _folds_digest(new))
    assert said == ("a cross-validation on other ready-made folds (its cv_folds.json: folds 1, 2 held other rows "
                    "than the 'fold' column gives now)"), said
    # a k-fold run of the folder is another scheme, in words
    assert _other_scheme(tmp_path, 2, []) == f"{_scheme_words('fold')} (its cv_summary.json)"
