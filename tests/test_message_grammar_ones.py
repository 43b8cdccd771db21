"""Counts of one read in the singular in the messages s79cli found (2026-12-07).

Before: ``info`` of a task file with ``recipe: {epochs: 1}`` said "up to 1 epochs"; one input column
renamed by classify/detect said "column(s) of the input carry ... and are kept renamed"; one in-sample
row of several, "1 of the 16 rows scored are cutouts".
"""

from __future__ import annotations

import warnings

from astropy.table import Table

from starclass.io.catalog import keep_input_columns
from starclass.learn.provenance import in_sample_words
from starclass.learn.summary import task_summary


def test_a_recipe_of_one_epoch_says_one_epoch(tmp_path):
    (tmp_path / "quick.yaml").write_text("preset: m31-real\nrecipe:\n  epochs: 1\n")
    recipe = next(line for line in task_summary(tmp_path / "quick.yaml") if "recipe:" in line)
    assert "up to 1 epoch," in recipe, recipe
    (tmp_path / "two.yaml").write_text("preset: m31-real\nrecipe:\n  epochs: 2\n")
    assert any("up to 2 epochs," in line for line in task_summary(tmp_path / "two.yaml"))


def _renamed_warning(table: Table) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keep_input_columns(table, ["class_pred", "prob_1"], "cat.ecsv")
    return str(caught[0].message)


def test_one_renamed_input_column_reads_in_the_singular():
    one = _renamed_warning(Table({"class_pred": [1], "x": [2]}))
    assert "cat.ecsv: a column of the input carries the names of classify's own output columns and is kept " \
           "renamed: 'class_pred' -> 'class_pred_input'" == one
    two = _renamed_warning(Table({"class_pred": [1], "prob_1": [0.5]}))
    assert two.startswith("cat.ecsv: columns of the input carry the names of classify's own output columns and "
                          "are kept renamed"), two


def test_one_in_sample_row_of_several_reads_in_the_singular():
    assert in_sample_words(1, 16, "m").startswith("1 of the 16 rows scored is a cutout model m was trained on")
    assert in_sample_words(2, 16, "m").startswith("2 of the 16 rows scored are cutouts model m")
