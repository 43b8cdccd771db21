"""``train --mosaics M --catalog C --cv fold``: a catalogue's own ``fold`` column is the folds, as a cutout list's.

The catalogue route carries any column, so ``--cv fold`` reads a catalogue's ``fold`` too (whole numbers, a blank
cell refused naming its row, checked before any mosaic is read); several ``--fields`` are refused (each field's
catalogue would hold folds of its own numbering).
"""

from __future__ import annotations

import warnings

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.catalog import read_catalog, write_catalog
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


def _field(tmp_path):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], recipe={"epochs": 1, "batch_size": 8})
    write_toy_held_out(cfg, tmp_path, 36, seed=21)
    table = read_catalog(tmp_path / "held.ecsv")
    folds = np.zeros(len(table), int)
    for c in np.unique(table["class_ref"]):
        rows = np.flatnonzero(table["class_ref"] == c)
        folds[rows] = [(4, 7, 12)[i % 3] for i in range(rows.size)]  # every class in every fold it can be
    return cfg, table, folds, save_config(cfg, tmp_path / "task.yaml")


def test_a_catalogues_fold_column_is_the_folds(tmp_path, single_thread):
    cfg, table, folds, task = _field(tmp_path)
    table["fold"] = folds
    write_catalog(table, tmp_path / "held.ecsv", overwrite=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny folds' calibrations warn
        res = runner.invoke(app, ["train", "--task", str(task), "--mosaics", str(tmp_path / "mos"), "--catalog",
                                  str(tmp_path / "held.ecsv"), "--cv", "fold", "--device", "cpu", "--no-progress",
                                  "-o", str(tmp_path / "cv")])
    assert res.exit_code == 0, res.output
    metrics = Table.read(tmp_path / "cv" / "cv_metrics.ecsv")
    assert list(metrics["fold"]) == ["4", "7", "12", "pooled"]
    pred = Table.read(tmp_path / "cv" / "cv_predictions.ecsv")
    by_id = dict(zip(np.asarray(table["id"]).tolist(), folds.tolist()))
    assert len(pred) and [str(by_id[i]) for i in pred["id"]] == [str(f) for f in pred["fold"]]


def test_a_catalogue_without_one_or_with_a_blank_is_refused_before_the_mosaics(tmp_path):
    _, table, folds, task = _field(tmp_path)
    args = ["train", "--task", str(task), "--mosaics", str(tmp_path / "none_here"), "--catalog",
            str(tmp_path / "held.ecsv"), "--cv", "fold", "-o", str(tmp_path / "cv")]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert (f"{tmp_path / 'held.ecsv'}: --cv fold holds out the ready-made folds of a 'fold' column, which the "
            "catalogue has not") in " ".join(res.output.split()), res.output
    table["fold"] = np.ma.MaskedArray(folds, mask=np.arange(len(folds)) == 4)
    write_catalog(table, tmp_path / "held.ecsv", overwrite=True)
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert f"{tmp_path / 'held.ecsv'}: row 5 has no fold (a blank cell in column 'fold')" in res.output, res.output
    assert not (tmp_path / "cv").exists()
