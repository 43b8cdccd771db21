"""The Catalogues table (``tables/catalogues.ecsv``) names each catalogue's model and counts rows as ``n_rows``.

Until 2026-12-07 a classification by one model scored against another's (``evaluate a.ecsv -r b.ecsv``) was
listed with no word of which model made which; its row count was ``rows`` where ``info DIR`` and ``evaluate
--catalogs``' ``fields.ecsv`` say ``n_rows`` (the schema's name); and the catalogue's own labels (``-r self``,
``--label-column``), a copy of it, were said to have probabilities.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.evaluate.compare import evaluate_catalogs
from starclass.schema import MODEL_PATH, N_ROWS, describe, renamed_result_columns


def _classified(model: str, seed: int, n: int = 30) -> Table:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(2), n)
    t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_pred": p.argmax(1) + 1,
               "prob_1": p[:, 0], "prob_2": p[:, 1], "class_ref": rng.integers(1, 3, n)})
    t.meta["model"] = model
    return t


def test_two_models_compared_are_named_in_the_catalogues_table(tmp_path):
    a, b = _classified("/models/a", 1), _classified("/models/b", 2)
    b.remove_column("class_ref")  # another model's classification as the reference
    a.write(tmp_path / "a.ecsv")
    b.write(tmp_path / "b.ecsv")
    ev = evaluate_catalogs(str(tmp_path / "a.ecsv"), [str(tmp_path / "b.ecsv")], task="galaxy-cluster", n_boot=0)
    counts = ev.counts
    by_name = {str(r["catalogue"]): r for r in counts}
    assert by_name["a"]["model"] == "/models/a" and by_name["b"]["model"] == "/models/b", counts
    assert N_ROWS in counts.colnames and "rows" not in counts.colnames, counts.colnames
    assert int(by_name["a"][N_ROWS]) == 30
    assert describe(MODEL_PATH).name == "model"  # the schema's column, one name for one thing


def test_the_catalogues_own_labels_are_no_model_and_have_no_probabilities(tmp_path):
    a = _classified("/models/a", 1)
    a.write(tmp_path / "a.ecsv")
    ev = evaluate_catalogs(str(tmp_path / "a.ecsv"), ["self"], task="galaxy-cluster", n_boot=0)
    rows = {str(r["catalogue"]): r for r in ev.counts}
    assert rows["a"]["model"] == "/models/a" and rows["a"]["probabilities"] == "yes"
    assert rows["a class_ref"]["model"] == "" and rows["a class_ref"]["probabilities"] == "no", ev.counts


def test_a_catalogues_table_written_before_reads_under_the_new_name():
    old = Table({"catalogue": ["a"], "rows": [3], "class_column": ["class_pred"]})
    assert renamed_result_columns(old).colnames == ["catalogue", N_ROWS, "class_column"]
