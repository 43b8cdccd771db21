"""A five-class task's catalogue (``class_ref`` 5, no task recorded in it) is read with the task's classes.

``read_catalog`` refuses class values beyond 0-4 that neither the table declares nor the caller
allows; the verbs that know the task (``cutouts --task``, ``train --task``, ``classify --model``,
``suggest MODEL``) read their catalogue without the task's classes and refused class 5 as "not 0-4".
"""

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.labelling import make_demo_field

runner = CliRunner()

FIVE = """extends: legus4-compact
stamp_size: 16
pixel_scale: 0.08
scales: [1.0]
bands: [f336w, f555w, f814w]
classes: [1, 2, 3, 4, 5]
class_names: [c1, c2, c3, star, artefact]
label_map: {"1": 1, "2": 2, "3": 3, star: 4, artefact: 5}
positive_class: null
"""


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    d = make_demo_field(tmp_path_factory.mktemp("five") / "field", n=20, size=120, seed=3)
    (d.parent / "five.yaml").write_text(FIVE)
    t = Table.read(d / "candidates.ecsv")
    t = t[[c for c in ("id", "x", "y") if c in t.colnames]]
    t.meta = {}
    rng = np.random.default_rng(0)
    t["class_ref"] = np.r_[[5, 5, 5], rng.integers(1, 6, len(t) - 3)]
    t.write(d.parent / "five.csv")
    # the same rows declaring the task's classes in the meta (read everywhere): to train the model the tests use
    t.meta["classes"] = [1, 2, 3, 4, 5]
    t.write(d.parent / "declared.ecsv")
    return d


@pytest.fixture(scope="module")
def model(field) -> Path:
    out = field.parent / "model"
    res = runner.invoke(app, ["train", "-m", str(field), "-c", str(field.parent / "declared.ecsv"), "--task",
                              str(field.parent / "five.yaml"), "-o", str(out), "--epochs", "1", "--ensemble", "1",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    return out


def _not_refused(res) -> None:
    assert "not 0-4" not in res.output, res.output


def test_cutouts_reads_class_5_with_a_five_class_task(field, tmp_path):
    res = runner.invoke(app, ["cutouts", str(field), "-c", str(field.parent / "five.csv"),
                              "--task", str(field.parent / "five.yaml"), "-o", str(tmp_path / "s.h5")])
    _not_refused(res)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s.h5").exists()


@pytest.mark.slow  # trains a model (one epoch, 20 stamps)
def test_classify_and_suggest_read_class_5_with_a_five_class_model(field, model, tmp_path):
    # the catalogue has no prob_<k> nor meta: only the model says that 5 is a class
    cands = str(field.parent / "five.csv")
    for argv, out in ((["classify", str(field), "-c", cands, "--model", str(model)], "out.ecsv"),
                      (["suggest", str(model), cands, "--mosaics", str(field)], "sug.ecsv")):
        res = runner.invoke(app, [*argv, "-o", str(tmp_path / out)])
        _not_refused(res)
        assert res.exit_code == 0, res.output
        assert len(Table.read(tmp_path / out)) > 0


@pytest.mark.slow
def test_train_reads_class_5_with_a_five_class_task(field, tmp_path):
    res = runner.invoke(app, ["train", "-m", str(field), "-c", str(field.parent / "five.csv"), "--task",
                              str(field.parent / "five.yaml"), "-o", str(tmp_path / "m"), "--epochs", "1",
                              "--ensemble", "1", "--no-progress"])
    _not_refused(res)
    assert res.exit_code == 0, res.output
