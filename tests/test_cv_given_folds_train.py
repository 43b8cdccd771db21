"""``train --stamps LIST --cv fold``: the list's ready-made ``fold`` column is the cross-validation's folds.

A benchmark published with its folds (issue 12's grouped 5-fold PAndAS split) could not be reproduced: the reader
checked the column, but ``--cv K`` drew folds of its own. One run of three folds (named 1, 2, 10: "2" before
"10"), trained once for the module (12 noise cutouts of 16 px, 1 epoch): its folds are the column's, its pooled
figures are sklearn's of its own table, a rerun resumes it, a changed column is not taken for it, a model it made
cannot start a cross-validation on the same folds, and the refusals stop before anything is written.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
FOLDS = (1, 2, 10)


def _write_list(path, folds: list[str]) -> None:
    rows = [f"{'cluster' if k % 2 == 0 else 'galaxy'}/obj{k:02d}.npy,{('cluster', 'galaxy')[k % 2]},OBJ-{k},{f}"
            for k, f in enumerate(folds)]
    path.write_text("file,label,object_id,fold\n" + "\n".join(rows) + "\n")


def _words(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture(scope="module")
def given_cv(tmp_path_factory):
    import torch
    from threadpoolctl import threadpool_limits

    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset, save_config

    root = tmp_path_factory.mktemp("given_folds")
    labels = write_noise_cutout_folder(root / "data", size=16, object_ids=True, n=12)
    folds = [str(FOLDS[k % 3]) for k in range(12)]
    _write_list(labels, folds)
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16,
                                      recipe={"epochs": 1, "batch_size": 4, "val_fraction": 0.25})
    task = save_config(cfg, root / "task.yaml")
    args = ["train", "--task", str(task), "--stamps", str(labels), "--device", "cpu", "--no-progress",
            "-o", str(root / "cv"), "--cv", "fold"]
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the calibration of 2 validation rows warns, as every tiny fold does
        res = runner.invoke(app, args)
    torch.set_num_threads(n)
    assert res.exit_code == 0, res.output
    return root, labels, task, args, folds, res


def test_the_folds_are_the_columns(given_cv):
    root, labels, _, _, folds, res = given_cv
    assert "folds: the ready-made folds of the rows' 'fold' column (--cv fold), each held out in turn" in res.output
    metrics = Table.read(root / "cv" / "cv_metrics.ecsv")
    assert list(metrics["fold"]) == ["1", "2", "10", "pooled"]  # the column's values, in natural order
    pred = Table.read(root / "cv" / "cv_predictions.ecsv")
    assert sorted(pred["row"].tolist()) == list(range(12))  # every labelled row held out once
    assert [str(f) for f in pred["fold"]] == [folds[r] for r in pred["row"]]
    assert pred.meta["cv"] == "fold"
    assert sorted(p.name for p in (root / "cv").glob("fold_*")) == ["fold_1", "fold_10", "fold_2"]
    assert json.loads((root / "cv" / "cv_folds.json").read_text())["folds"] == ["1", "2", "10"]


def test_the_pooled_figures_are_sklearns_of_the_written_table(given_cv):
    root = given_cv[0]
    pred = Table.read(root / "cv" / "cv_predictions.ecsv")
    metrics = Table.read(root / "cv" / "cv_metrics.ecsv")
    pooled = metrics[metrics["fold"] == "pooled"][0]
    y, p = np.asarray(pred["class_ref"]), np.asarray(pred["class_pred"])
    prec, rec, f1, _ = precision_recall_fscore_support(y, p, labels=[1], zero_division=0)
    assert pooled["accuracy"] == pytest.approx(accuracy_score(y, p))
    assert pooled["macro_f1"] == pytest.approx(f1_score(y, p, labels=[1, 2], average="macro", zero_division=0))
    assert pooled["recall"] == pytest.approx(rec[0]) and pooled["f1"] == pytest.approx(f1[0])
    if (p == 1).any():
        assert pooled["purity"] == pytest.approx(prec[0])
    else:
        assert np.isnan(pooled["purity"])  # nothing selected: no purity
    for name in ("1", "2", "10"):
        row = metrics[metrics["fold"] == name][0]
        held = np.asarray(pred["fold"]) == name
        assert row["n_test"] == held.sum() == 4
        assert row["accuracy"] == pytest.approx(accuracy_score(y[held], p[held]))


def test_the_same_folds_resume(given_cv):
    root, _, _, args, _, _ = given_cv
    members = sorted((root / "cv").glob("fold_*/member_*.pt"))
    before = {m: m.stat().st_mtime_ns for m in members}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert members and {m: m.stat().st_mtime_ns for m in members} == before  # no fold trained again


def test_other_folds_in_the_column_are_not_taken_for_the_old_ones(given_cv, tmp_path):
    root, labels, task, args, folds, _ = given_cv
    moved = list(folds)
    moved[0], moved[1], moved[3], moved[4] = moved[1], moved[0], moved[4], moved[3]  # objects swapped, classes kept
    other = labels.parent / "moved.csv"
    _write_list(other, moved)
    before = {p: p.stat().st_mtime_ns for p in (root / "cv").rglob("*") if p.is_file()}
    res = runner.invoke(app, [*args[:3], "--stamps", str(other), *args[5:]])
    assert res.exit_code == 2, res.output
    assert ("holds a cross-validation on other ready-made folds (its cv_folds.json: folds 1, 2, 10 held other rows "
            "than the 'fold' column gives now); this is a cross-validation on the ready-made folds of a 'fold' "
            "column") in _words(res), res.output
    assert {p: p.stat().st_mtime_ns for p in (root / "cv").rglob("*") if p.is_file()} == before


def test_a_model_trained_on_held_out_rows_cannot_start_the_folds(given_cv, tmp_path):
    root, _, _, args, _, _ = given_cv
    res = runner.invoke(app, [*args[:-4], "-o", str(tmp_path / "cv"), "--cv", "fold",
                              "--init-from", str(root / "cv" / "fold_1")])
    assert res.exit_code == 2, res.output
    said = _words(res)
    # fold_1 trained on rows of folds 2 and 10 (those not among its validation rows)
    assert "--cv fold: the starting model" in said and "which the ready-made folds hold out (" in said, said
    assert "in fold '2'" in said or "in fold '10'" in said, said
    assert "cross-validate without --resume-from/--init-from" in said, said
    assert not (tmp_path / "cv").exists()


@pytest.mark.parametrize("case", ["no column", "one fold", "blank", "class in one fold"])
def test_refusals_stop_before_anything_is_written(given_cv, tmp_path, case):
    _, labels, _, args, folds, _ = given_cv
    bad = labels.parent / f"{case.replace(' ', '_')}.csv"
    if case == "no column":
        lines = labels.read_text().splitlines()
        bad.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n")
        want = (f"{bad}: --cv fold holds out the ready-made folds of a 'fold' column, which the list has not (its "
                "columns: file, label, object_id): add one")
    elif case == "one fold":
        _write_list(bad, ["3"] * 12)
        want = "--cv fold: every labelled cutout (12) is in fold '3' of column 'fold'"
    elif case == "blank":
        _write_list(bad, [*folds[:4], "", *folds[5:]])
        want = f"{bad}: row 5 (line 6 of the file), file 'cluster/obj04.npy': no fold (a blank cell in column 'fold')"
    else:
        _write_list(bad, ["1" if k % 2 == 0 else str(2 + k % 4) for k in range(12)])  # every cluster in fold 1
        want = ("--cv fold: all 6 cutouts of labels 'cluster', 'extended_cluster' (class 1 (cluster)) are in fold '1', "
                "so the model that holds that fold out would learn none of that class")
    res = runner.invoke(app, [*args[:3], "--stamps", str(bad), "--device", "cpu", "--no-progress",
                              "-o", str(tmp_path / "cv"), "--cv", "fold"])
    assert res.exit_code == 2, res.output
    assert want in _words(res), res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "cv").exists()


def test_info_says_the_list_has_folds_for_cv_fold(given_cv):
    labels = given_cv[1]
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 0, res.output
    assert ("folds: 3 ready-made folds in column 'fold' (1: 4, 2: 4, 10: 4): train --cv fold holds out each in "
            "turn; train --cv K draws folds of its own") in _words(res), res.output
