"""``info`` says labelled of labels and classified of a model's classes.

``info`` of a simulated field's ``truth.ecsv`` said ``class_ref: ... (150 classified, 0 without class)``, of a stamp
store cut from it the same, and of a LEGUS hybrid file "654 of the 2451 classified rows": labels (a person's, a
simulation's truth) counted in the words of ``class_pred``, as if a model had run on them. ``class_ref`` is
labelled now; ``class_pred`` stays classified.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _catalogue(path, **columns):
    n = len(next(iter(columns.values())))
    Table({"id": np.arange(1, n + 1), "x": np.linspace(5.0, 50.0, n), "y": np.linspace(6.0, 60.0, n),
           **columns}).write(path)
    return path


def _class_lines(output: str) -> dict[str, str]:
    return {line.split(":")[0]: line for line in output.splitlines() if line.startswith(("class_ref:", "class_pred:"))}


def test_a_labelled_catalogue_is_counted_as_labelled_not_classified(tmp_path):
    cat = _catalogue(tmp_path / "truth.ecsv", class_ref=[1, 2, 4, 4, 0])
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 0, res.output
    line = _class_lines(res.output)["class_ref"]
    assert line.endswith("(4 labelled, 1 without a label)"), line
    assert "classified" not in res.output, res.output


def test_a_classified_catalogue_says_classified_of_class_pred_and_labelled_of_class_ref(tmp_path):
    cat = _catalogue(tmp_path / "both.ecsv", class_ref=[1, 2, 4, 0], class_pred=[1, 1, 0, 4])
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 0, res.output
    lines = _class_lines(res.output)
    assert lines["class_ref"].endswith("(3 labelled, 1 without a label)"), lines
    assert lines["class_pred"].endswith("(3 classified, 1 without class)"), lines


def test_a_stamp_store_of_labelled_candidates_is_labelled(tmp_path):
    from starclass.stamps.store import write_stamp_store

    p = tmp_path / "stamps.h5"
    write_stamp_store(p, np.zeros((3, 1, 1, 8, 8), np.float32), np.ones((3, 1, 8, 8), bool),
                      {"id": np.arange(1, 4), "x": np.ones(3), "y": np.ones(3), "class_ref": np.array([2, 0, 3])},
                      channels=["f555w"], normalisation="flux", bands=["f555w"])
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    line = _class_lines(res.output)["class_ref"]
    assert line.endswith("(2 labelled, 1 without a label)"), line
    assert "classified" not in res.output, res.output


def test_the_hybrid_note_counts_labelled_rows():
    from starclass.io.overview import hybrid_note

    note = hybrid_note(Table({"class_ref": [1, 2, 3, 0], "class_method": [0, 1, 3, 0]}))
    assert "1 of the 3 labelled rows are the machine-learning class alone" in note, note
