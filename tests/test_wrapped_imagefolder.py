"""An ImageFolder directory given one level above its label folders is said to be so (issue 12 user audit).

Another team's folder came as ``cutouts/data/cluster/*.png`` and ``cutouts/data/galaxy/*.png``. Given as
``--stamps cutouts``, every image is read with the one label ``data`` (images at any depth below a label
folder belong to it). ``train`` refused it with a task file mapping ``data`` to a class (which would train every
cutout as one class), and ``classify``/``explain`` said "the folder is of another task, or give --label-column
the column of this task's labels" (an ImageFolder has no column). Each now names the folder to give instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _wrapped(root):
    rng = np.random.default_rng(0)
    for lab in ("cluster", "galaxy"):
        (root / "data" / lab / "night1").mkdir(parents=True)
        for i in range(3):
            np.save(root / "data" / lab / "night1" / f"{lab}{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
    return root


def _said(res) -> str:
    return " ".join(res.output.split())


def test_train_names_the_folder_to_give(tmp_path):
    root = _wrapped(tmp_path / "cutouts")
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(root), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "the folder 'data' holds folders named as the task's labels (cluster, galaxy)" in said, said
    assert f"give the folder {root / 'data'} instead" in said, said
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("verb", ["classify", "explain"])
def test_classify_and_explain_name_the_folder_to_give(tmp_path, verb):
    root = _wrapped(tmp_path / "cutouts")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    out = tmp_path / ("out.csv" if verb == "classify" else "ex")
    args = (["classify", "--stamps", str(root), "--model", str(model), "-o", str(out)] if verb == "classify"
            else ["explain", str(model), str(root), "-o", str(out)])
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert f"give the folder {root / 'data'} instead" in said, said
    assert "--label-column" not in said, said
    assert not out.exists()


def test_a_folder_of_other_labels_is_refused_as_before(tmp_path):
    """Label folders holding folders that are no labels of the task (nights, CCDs) get no such hint."""
    root = tmp_path / "cutouts"
    rng = np.random.default_rng(1)
    for lab in ("GC", "BG"):
        (root / lab / "night1").mkdir(parents=True)
        np.save(root / lab / "night1" / "a.npy", rng.normal(size=(16, 16)).astype(np.float32))
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(root), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "is not known to the task" in said and "holds folders named" not in said, said
