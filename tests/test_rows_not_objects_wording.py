"""Warnings of ``evaluate`` call cutouts rows where the rows are not objects (issue 12, part 1).

A classified cutout CSV with two cutouts per object, its objects named in ``id`` rather than the
model's ``object_id``: the lines printed after the comparison said "24 rows", but the warning that every
row is in one class and the threshold line were made before the flag was known and said "objects".
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs

runner = CliRunner()


def _two_cutouts_per_object(path, *, one_class: bool, group: str = "id"):
    """12 objects, two cutouts each, of which ``group`` names the object; the meta says the model reads object_id."""
    n = 12
    rng = np.random.default_rng(0)
    labels = np.resize(["cluster", "galaxy"], n)
    # P(cluster) unrelated to the label: no threshold reaches 80% purity
    p = rng.uniform(0.55, 0.95, n) if one_class else rng.uniform(0.05, 0.95, n)
    t = Table()
    t["file"] = [f"{labels[i]}/o{i}_{c}.png" for i in range(n) for c in range(2)]
    t["label"] = [labels[i] for i in range(n) for _ in range(2)]
    t[group] = [f"OBJ-{i}" for i in range(n) for _ in range(2)]
    t["prob_1"] = [p[i] for i in range(n) for _ in range(2)]
    t["prob_2"] = 1 - t["prob_1"]
    t["class_pred"] = np.where(t["prob_1"] >= 0.5, 1, 2)
    t.meta["group_column"] = "object_id"
    t.write(path)
    return path


def _said(tmp_path, table, *extra):
    res = runner.invoke(app, ["evaluate", str(table), "--task", "m31-real", "--label-column", "label",
                              "--no-science", "-o", str(tmp_path / "ev"), *extra])
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


@pytest.mark.parametrize("boot", ["200", "0"])
def test_every_row_in_one_class_is_said_of_rows_where_a_column_like_id_repeats(tmp_path, boot):
    said = _said(tmp_path, _two_cutouts_per_object(tmp_path / "c.ecsv", one_class=True), "--bootstrap", boot)
    # named by its file, as the headings name it ("prediction puts all ..." until 2026-12-07)
    assert "c puts all 24 labelled rows in class 1" in said and "prediction" not in said, said
    assert "paired objects" not in said, said
    # the counts after it agree, with or without intervals
    assert "(24 rows)" in said and "(24 objects)" not in said, said


def test_no_threshold_for_the_purity_is_said_of_rows_where_a_column_like_id_repeats(tmp_path):
    said = _said(tmp_path, _two_cutouts_per_object(tmp_path / "c.ecsv", one_class=True))
    assert "no threshold reaches purity 0.80 with at least 10 rows selected" in said, said
    assert "objects selected" not in said, said


def test_rows_of_objects_named_by_the_group_column_are_rows_in_both_warnings(tmp_path):
    table = _two_cutouts_per_object(tmp_path / "c.ecsv", one_class=True, group="object_id")
    with pytest.warns(UserWarning, match="puts all 24 labelled rows in class 1"):
        ev = evaluate_catalogs(table, task="m31-real", label_column="label", n_boot=0)
    c = ev.comparisons[0]
    assert c.n_objects == 12 and not c.rows_not_objects
    assert "with at least 10 rows selected" in c.thresholds[0].note, c.thresholds[0].note


def test_rows_that_are_objects_are_still_called_objects(tmp_path):
    t = Table.read(_two_cutouts_per_object(tmp_path / "c.ecsv", one_class=True))
    t.remove_column("id")
    t.write(tmp_path / "plain.ecsv")
    said = _said(tmp_path, tmp_path / "plain.ecsv")
    assert "puts all 24 labelled objects in class 1" in said, said
    assert "with at least 10 objects selected" in said, said
