"""The folder summary of `starclass info DIR` on a classified catalogue (the demo's classified.ecsv).

Its row said "no class column" beside n1-n4 of 0, though the file holds class_pred: people went
looking for a column that is there. n1-n4 count people's classes (class_ref) only; the row now says
the file holds a model's classes and where they are counted.
"""

from __future__ import annotations

from astropy.table import Table

from starclass.io.overview import catalog_row


def test_a_classified_catalogue_s_row_says_it_holds_predicted_classes():
    t = Table({"id": [1, 2, 3], "class_pred": [1, 2, 4], "prob_1": [0.9, 0.2, 0.1]})
    row = catalog_row(t, "classified.ecsv")
    assert row["n_inspected"] == 0 and [row[f"n_{k}"] for k in (1, 2, 3, 4)] == [0, 0, 0, 0]
    assert "no class column" not in row["layout"]
    assert "predicted classes only (class_pred" in row["layout"]


def test_a_catalogue_with_neither_class_column_still_says_so():
    row = catalog_row(Table({"id": [1, 2], "mag_f555w": [20.0, 21.0]}), "cands.ecsv")
    assert "no class column" in row["layout"]


def test_people_s_classes_are_counted_beside_a_model_s():
    row = catalog_row(Table({"id": [1, 2, 3], "class_ref": [1, 1, 3], "class_pred": [1, 2, 3]}), "both.ecsv")
    assert row["n_inspected"] == 3 and row["n_1"] == 2 and row["n_3"] == 1
    assert "predicted classes only" not in row["layout"] and "no class column" not in row["layout"]
