"""info (and evaluate) of a merged stamp store's classification: ids repeat across its ``field`` column.

``cutouts --merge a.h5 b.h5`` keeps each store's ids and tells them apart by a ``field`` column;
``classify --stamps merged.h5 -o cls.ecsv`` writes them so and ends "score it with 'starclass
evaluate cls.ecsv'", which refused it: "error: duplicate id 1 in cls.ecsv (rows 1, 81)" (``info
cls.ecsv`` too). evaluate reads ids unique within each field since fd2b214b (read_catalog's
ids_within_field); ``info`` of the same table still refused it, and now reads it so too. A repeat
within one field is still refused, naming the field.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table, vstack
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import load_catalog

runner = CliRunner()


def _merged(n: int = 24) -> Table:
    rng = np.random.default_rng(4)
    one = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
                 "class_ref": rng.integers(1, 5, n), "class_pred": rng.integers(1, 5, n)})
    a, b = one.copy(), one.copy()
    a["field"], b["field"] = "lab", "lab2"
    return vstack([a, b])


def test_ids_repeated_across_fields_are_read(tmp_path):
    path = tmp_path / "cls.ecsv"
    t = _merged()
    t.write(path)
    got = load_catalog(path, "prediction")
    assert len(got) == len(t)
    np.testing.assert_array_equal(np.asarray(got["id"]), np.asarray(t["id"]))
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "duplicate" not in res.output


def test_an_id_repeated_within_one_field_is_still_refused(tmp_path):
    path = tmp_path / "cls.ecsv"
    t = _merged()
    t["id"][25] = t["id"][24]  # two rows of field lab2 with one id
    t.write(path)
    with pytest.raises(StarclassError, match=r"duplicate id 1 in field 'lab2' in .*cls.ecsv \(rows 25, 26\)"):
        load_catalog(path, "prediction")
    path2 = tmp_path / "plain.ecsv"
    t2 = _merged()
    t2.remove_column("field")  # without a field column any repeat is refused, as before
    t2.write(path2)
    with pytest.raises(StarclassError, match=r"duplicate id 1 in .*plain.ecsv \(rows 1, 25\)"):
        load_catalog(path2, "prediction")
