"""``info`` of train --cv's ``cv_predictions.ecsv`` names its origin and counts its labels.

Until 2026-12-07 ``info cv/cv_predictions.ecsv`` headed its counts "classified (classify --stamps):", a command
that never wrote it, and said "labels: none (no 'label' column): classify only" of a table whose ``class_ref``
held every row's label (counted two lines below as "40 labelled"). Its rows are out-of-fold predictions (the meta
``cv`` train --cv writes, :data:`starclass.schema.CV_SCHEME`; a CSV copy, which keeps no meta, by its ``fold``
column), and its labels are class numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _cutouts(folder, n):
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        np.save(folder / f"c{i}.npy", rng.normal(size=(8, 8)).astype(np.float32))
    return [f"c{i}.npy" for i in range(n)]


@pytest.mark.parametrize("name", ["cv_predictions.ecsv", "cv_predictions.csv"])
def test_out_of_fold_predictions_are_named_so_and_their_labels_counted(tmp_path, name):
    files = _cutouts(tmp_path / "d", 4)
    t = Table({"row": np.arange(4), "fold": ["1", "2", "1", "2"], "file": files,
               "class_ref": np.array([1, 2, 2, 0], np.int16), "class_pred": np.array([1, 1, 2, 2], np.int16),
               "prob_1": [0.9, 0.6, 0.2, 0.3], "prob_2": [0.1, 0.4, 0.8, 0.7]},
              meta={"classes": [1, 2], "class_names": ["cluster", "non-cluster"], "cv": "2"})  # as train --cv writes it
    t.write(tmp_path / "d" / name)
    res = runner.invoke(app, ["info", str(tmp_path / "d" / name)])
    assert res.exit_code == 0, res.output
    assert "classify --stamps" not in res.output, res.output
    # the ECSV keeps the scheme in its meta; the CSV, without meta, is told by its fold column
    how = "train --cv 2" if name.endswith(".ecsv") else "train --cv, its fold column"
    assert f"out-of-fold predictions ({how}: each row classified by the fold model that held it out):" \
        in res.output, res.output
    assert "labels: none" not in res.output, res.output
    assert "labels: 3 as class numbers in class_ref, 1 without one (counted below)" in res.output, res.output
    assert "(3 labelled, 1 without a label)" in res.output, res.output


def test_a_classify_stamps_list_of_unlabelled_cutouts_still_says_no_labels(tmp_path):
    files = _cutouts(tmp_path / "d", 2)
    Table({"file": files, "class_ref": np.zeros(2, np.int16), "class_pred": np.array([1, 2], np.int16)}).write(
        tmp_path / "d" / "o.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "d" / "o.ecsv")])
    assert res.exit_code == 0, res.output
    assert "labels: none (no 'label' column): classify only" in res.output, res.output
    assert "classified (classify --stamps):" in res.output and "out-of-fold" not in res.output, res.output
