"""``inspect`` checks the classes of the candidates and of the predictions it shows, as the other readers do.

Before: the predictions beside a field's candidates (``predictions.ecsv``, ``--predictions``) were read as they
were, and a ``class_pred`` no task knows (9, or a five-class model's 5 beside a four-class task) was served on the
page as the model's answer without a word, while the same value in the candidates was refused. Now it is refused
naming the file, row and column (exit 2, the label database as it was); a predictions file that declares its
classes (a five-class model's ``prob_1`` ... ``prob_5``) is read. ``read_candidates`` takes the task's classes
(``inspect --task``), as ``train`` and ``evaluate`` read a catalogue for a task.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.errors import StarclassError

pytest.importorskip("uvicorn")


def _field(tmp_path, n: int = 5):
    from starclass.datasets.labelling import make_demo_field

    return make_demo_field(tmp_path / "demo", n=n, size=100, seed=1)


def test_a_predictions_class_no_task_knows_is_refused_naming_the_row(tmp_path):
    from starclass.inspect.field import load_field

    d = _field(tmp_path)
    pred = Table.read(d / "predictions.ecsv")
    pred["class_pred"][2] = 9
    pred.write(d / "predictions.ecsv", overwrite=True)
    with pytest.raises(StarclassError, match=r"column 'class_pred' in predictions .*predictions.ecsv: class 9 in "
                                             r"row 3 \(id 3\) is not 0-4"):
        load_field(d)


def test_a_five_class_predictions_file_that_declares_its_classes_is_read(tmp_path):
    from starclass.inspect.field import load_field

    d = _field(tmp_path)
    p = np.full((5, 5), 0.1)
    p[np.arange(5), np.arange(5)] = 0.6
    Table({"id": np.arange(1, 6), **{f"prob_{k}": p[:, k - 1] for k in range(1, 6)},
           "class_pred": np.arange(1, 6)}).write(d / "predictions.ecsv", overwrite=True)
    field = load_field(d)
    assert [field.predictions[r]["class_pred"] for r in range(5)] == [1, 2, 3, 4, 5]


def test_read_candidates_reads_the_task_classes(tmp_path):
    from starclass.inspect.field import read_candidates

    d = _field(tmp_path)
    t = Table.read(d / "candidates.ecsv")
    t["class_ref"] = [1, 2, 3, 4, 5]
    t.write(d / "five.ecsv")
    with pytest.raises(StarclassError, match=r"column 'class_ref' in .*five.ecsv: class 5 in row 5 \(id 5\)"):
        read_candidates(d / "five.ecsv", require_xy=False)
    assert read_candidates(d / "five.ecsv", require_xy=False, classes=(1, 2, 3, 4, 5))["class_ref"].tolist() == \
        [1, 2, 3, 4, 5]


def test_serving_with_such_predictions_exits_2_and_makes_no_database(tmp_path, monkeypatch):
    from starclass.cli import app
    from starclass.inspect import app as app_module
    from webtools import free_port  # tests/ is on sys.path under pytest

    class _NoServer:  # a test that really served would hang the suite
        def __init__(self, *args, **kwargs):
            self.stopped_by = None

        def run(self, *args, **kwargs):
            return None

    monkeypatch.setattr(app_module, "_StoppedServer", _NoServer)
    d = _field(tmp_path)
    pred = Table.read(d / "predictions.ecsv")
    pred["class_pred"][4] = 7
    pred.write(d / "predictions.ecsv", overwrite=True)
    res = CliRunner().invoke(app, ["inspect", str(d), "--init", "--port", str(free_port()), "--no-prerender"])
    assert res.exit_code == 2, (res.output, res.exception)
    assert "column 'class_pred' in predictions" in res.output and "class 7 in row 5 (id 5)" in res.output, res.output
    assert "Traceback" not in res.output
    assert not (d / "inspect.sqlite").exists()
