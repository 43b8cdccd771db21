"""What ``train --cv`` prints, read as a user (2026-12-05).

Before:

* every fold's progress bar read ``m31-real member 1/1 (compact)``: two (or ten) alike bars, with
  no word of which fold was training;
* the metrics table gave ``purity``, ``recall`` and ``f1`` without saying of which class;
* ``cv_metrics.ecsv`` gave ``n_train`` and ``n_test``, not the rows each fold early-stopped and
  calibrated on, so a fold's rows did not add up to the folder's.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def test_each_folds_progress_bar_names_its_fold(tmp_path, capsys):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1})
    toy = make_synthetic(cfg, 16, seed=0)
    cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", progress=True, device="cpu")
    err = capsys.readouterr().err
    assert "fold 1/2: galaxy-cluster-compact member 1/1" in err, err
    assert "fold 2/2: galaxy-cluster-compact member 1/1" in err, err


def test_the_cv_table_says_which_class_purity_and_recall_are_of(tmp_path):
    root = tmp_path / "data"
    write_noise_cutout_folder(root, size=16)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(root / "labels.csv"), "--cv", "2",
                              "-o", str(tmp_path / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "purity, recall and f1 are of class 1 (cluster), the positive class; n_test: held-out rows" in res.output
    # every labelled row of a fold is accounted for: trained on, early-stopping/calibration, or held out
    from astropy.table import Table

    t = Table.read(tmp_path / "cv" / "cv_metrics.ecsv", format="ascii.ecsv")
    folds = t[t["fold"] != "pooled"]
    assert (folds["n_train"] + folds["n_val"] + folds["n_test"]).tolist() == [16, 16], t
    assert folds["n_val"].min() > 0


def test_the_cv_run_names_the_evaluate_command_of_its_pooled_predictions(tmp_path):
    """``train --cv`` ended with the files it wrote: the fold table has no intervals or curves, and nothing said
    that ``evaluate`` scores ``cv_predictions.ecsv`` (until 2026-12-07). The command printed runs as printed."""
    import shlex

    root = tmp_path / "data"
    write_noise_cutout_folder(root, size=16)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(root / "labels.csv"), "--cv", "2",
                              "-o", str(tmp_path / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    line = res.output.strip().splitlines()[-1]
    assert line.startswith("next: ") and "cv_predictions.ecsv" in line, res.output
    args = shlex.split(line.split("'")[1])
    assert args[:2] == ["starclass", "evaluate"]
    ev = runner.invoke(app, [*args[1:], "--bootstrap", "0", "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert (tmp_path / "cv_evaluation" / "summary.json").is_file()
