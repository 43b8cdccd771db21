"""evaluate: a reference of ids and classes only (labels.csv: id,class_ref) was paired row by row.

In another order than the catalogue, each label was scored against another object, without a
word (the pairing line said "row by row"). Two tables that both have an ``id`` column, and not
both positions, are now paired by id.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.evaluate.compare import pairing


def _tables(n: int = 40):
    rng = np.random.default_rng(2)
    cls = rng.integers(1, 3, n)
    pred = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
                  "class_pred": cls})
    for k in (1, 2):
        pred[f"prob_{k}"] = (cls == k).astype(float)
    order = rng.permutation(n)  # the labels in another order, every one right
    # reference classes as m31-binary merges them (1, 2 -> 1; 3, 4 -> 2)
    ref = Table({"id": pred["id"][order], "class_ref": np.where(cls == 1, 1, 3)[order]})
    return pred, ref


def test_an_id_and_class_reference_is_paired_by_id():
    pred, ref = _tables()
    ia, ib, rule = pairing(pred, ref, False, 2.0, ("cand.ecsv", "labels.csv"))
    assert rule == "by id" and len(ia) == len(pred)
    np.testing.assert_array_equal(np.asarray(pred["id"])[ia], np.asarray(ref["id"])[ib])
    ref["id"] = ref["id"].astype(str)  # a CSV read as text: the same objects
    ia, ib, _ = pairing(pred, ref[:10], False, 2.0, ("cand.ecsv", "labels.csv"))
    assert len(ia) == 10
    np.testing.assert_array_equal(np.asarray(pred["id"])[ia].astype(str), np.asarray(ref["id"])[:10][ib])


def test_duplicate_or_foreign_ids_are_refused_naming_them():
    pred, ref = _tables()
    ref["id"][5] = ref["id"][0]
    with pytest.raises(StarclassError, match=r"labels.csv: id '\d+' listed twice \(rows 1 and 6\)"):
        pairing(pred, ref, False, 2.0, ("cand.ecsv", "labels.csv"))
    ref["id"] = np.arange(1000, 1000 + len(ref))
    with pytest.raises(StarclassError, match="have no id in common"):
        pairing(pred, ref, False, 2.0, ("cand.ecsv", "labels.csv"))


def test_evaluate_catalogs_scores_the_labels_of_the_right_objects():
    """Through the Python API (build_report and evaluate_catalogs take tables): every label right, accuracy 1."""
    from starclass.evaluate.compare import evaluate_catalogs

    pred, ref = _tables()
    ev = evaluate_catalogs(pred, {"labels": ref}, task="m31-binary", n_boot=0)
    (comp,) = ev.comparisons
    assert comp.paired_by.startswith("by id (the reference's ids taken as the catalogue's"), comp.paired_by
    assert set(comp.accuracies().values()) == {1.0}, comp.accuracies()
