"""evaluate: a table of several fields (a ``field`` column) numbers each field's candidates from 1.

``train --cv`` on a store cut from two fields (cv_predictions.ecsv) and ``classify --stamps all.h5``
wrote such tables, and ``evaluate`` of them, the commands' own next step, refused them: "duplicate id 1
in cv_predictions.ecsv (rows 1, 301)". The ids are unique within a field: the pair (field, id) is what
must be unique. A reference paired with them by id or on the pixels is paired field by field where it has
a ``field`` column, and refused (naming the column) where it has none.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import pairing
from starclass.io.catalog import read_catalog, write_catalog

runner = CliRunner()


def _two_fields(n: int = 30, seed: int = 4) -> Table:
    """Two fields of ``n`` rows each, ids 1..n in both, at the same pixels (two mosaics of one size)."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, 2 * n)
    pred = np.where(rng.random(2 * n) < 0.8, ref, 3 - ref)
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, 2 * n), rng.uniform(0.0, 0.5, 2 * n))
    xy = rng.uniform(0, 400, (n, 2))
    return Table({"field": ["a"] * n + ["b"] * n, "id": np.tile(np.arange(1, n + 1), 2),
                  "x": np.tile(xy[:, 0], 2), "y": np.tile(xy[:, 1], 2), "class_ref": ref, "class_pred": pred,
                  "prob_1": p1, "prob_2": 1 - p1})


def test_evaluate_scores_a_table_whose_ids_repeat_across_its_fields(tmp_path):
    t = _two_fields()
    write_catalog(t, tmp_path / "cv_predictions.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cv_predictions.ecsv"), "-o", str(tmp_path / "ev"),
                              "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "duplicate id" not in res.output
    # every row scored, against the accuracy computed here
    acc = float(np.mean(t["class_pred"] == t["class_ref"]))
    assert f"2class: accuracy {acc:.3f}" in res.output, res.output
    assert "60 objects paired row by row, 60 classified in both" in res.output, res.output


def test_a_repeated_id_within_one_field_is_still_refused(tmp_path):
    t = _two_fields()
    t["id"][31] = 1  # field b's second row takes its first row's id
    write_catalog(t, tmp_path / "c.ecsv")
    with pytest.raises(StarclassError, match=r"duplicate id 1 in field 'b' in .*c\.ecsv \(rows 31, 32\)"):
        read_catalog(tmp_path / "c.ecsv", ids_within_field=True)
    # a catalogue read to cut stamps (one mosaic) keeps the plain rule
    write_catalog(_two_fields(), tmp_path / "d.ecsv")
    with pytest.raises(StarclassError, match=r"duplicate id 1 in .*d\.ecsv \(rows 1, 31\)"):
        read_catalog(tmp_path / "d.ecsv")


def test_a_reference_is_paired_within_each_field_and_refused_without_a_field_column():
    pred = _two_fields()
    ref = pred["field", "id", "x", "y", "class_ref"][::-1]  # the other order: field b first
    ia, ib, rule = pairing(pred, ref, False, 2.0, ("cv", "truth"))
    assert len(ia) == len(pred) and rule.endswith("within each field"), rule
    # each row with its own field's object (the pixels are the same in both fields)
    assert (np.asarray(pred["field"])[ia] == np.asarray(ref["field"])[ib]).all()
    assert (np.asarray(pred["id"])[ia] == np.asarray(ref["id"])[ib]).all()
    # a reference of one field's x, y without a field column: which field's pixels it holds is unknown
    one = ref[ref["field"] == "a"]
    one.remove_column("field")
    with pytest.raises(StarclassError, match=r"cv holds 2 fields in its column 'field' .*truth has no 'field' "
                                             r"column: cannot match them on the pixels"):
        pairing(pred, one, False, 2.0, ("cv", "truth"))


def test_pairing_by_id_uses_the_field_and_refuses_ids_that_repeat_without_one():
    pred = _two_fields()
    pred.remove_columns(["x", "y"])
    ref = pred["field", "id", "class_ref"][::-1]
    ia, ib, rule = pairing(pred, ref, False, 2.0, ("cv", "labels"))
    assert rule == "by id" and len(ia) == len(pred)
    assert (np.asarray(pred["field"])[ia] == np.asarray(ref["field"])[ib]).all()
    ref.remove_column("field")
    ref = ref[:30]
    with pytest.raises(StarclassError, match=r"cv: its ids repeat across the fields of its column 'field'.*labels "
                                             r"has no 'field' column: cannot pair by id alone"):
        pairing(pred, ref, False, 2.0, ("cv", "labels"))
