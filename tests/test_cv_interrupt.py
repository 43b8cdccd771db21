"""An interrupted ``train --cv`` (Ctrl-C, SIGTERM from a time limit) must not look finished.

Before:

* stopped in fold 1, the folder (``fold_1/member_01.last.pt`` only) was no cross-validation to
  ``info`` ("no catalogue could be read in cv") nor to ``classify --model cv`` ("no manifest.json
  (not a starclass model directory)");
* stopped in a later fold, ``info`` named ``cv_predictions.ecsv`` and ``cv_metrics.ecsv``, which
  were not there, and said nothing of the fold left unfinished;
* ``train --cv --no-resume`` (or ``--overwrite``) on a finished folder, stopped in a fold, left the
  earlier run's ``cv_summary.json`` and tables: ``info`` reported their pooled metrics as those of a
  finished cross-validation, and ``evaluate`` scored predictions of fold models no longer there;
* on a cutout folder the fold models recorded their training cutouts' size only after the last fold.

The interrupt is simulated by a ``KeyboardInterrupt`` raised once an epoch checkpoint of a chosen
fold is written, as ``tests/test_train_fit.py`` does for an ensemble member.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset, save_config
from starclass.learn.crossval import cross_validate

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture
def toy():
    from starclass.datasets.stamps import make_synthetic

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 2, "batch_size": 16})
    return cfg, make_synthetic(cfg, 24, seed=0)


def _stop_in(monkeypatch, fold: str) -> None:
    """Ctrl-C once the first epoch checkpoint of ``fold_<fold>`` is written."""
    import starclass.learn.train as train_mod

    real_save = train_mod.save_checkpoint

    def ctrl_c(ckpt, path, **kw):
        out = real_save(ckpt, path, **kw)
        if ckpt["kind"] == "epoch" and Path(path).parent.name == f"fold_{fold}":
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(train_mod, "save_checkpoint", ctrl_c)


def _cv(cfg, data, out, **kw):
    return cross_validate(cfg, data.inputs, data.class_ref, scheme=2, outdir=out, progress=False, device="cpu",
                          **kw)


def test_stopped_in_fold_1_the_folder_says_so_and_the_same_call_resumes_it(tmp_path, toy, monkeypatch):
    cfg, data = toy
    cv = tmp_path / "cv"
    _stop_in(monkeypatch, "1")
    with pytest.raises(KeyboardInterrupt):
        _cv(cfg, data, cv)
    monkeypatch.undo()
    # the checkpoint and what the run was asked for (cv_folds.json); no table
    assert sorted(str(p.relative_to(cv)) for p in cv.rglob("*") if p.is_file()) == ["cv_folds.json",
                                                                                   "fold_1/member_01.last.pt"]
    res = runner.invoke(app, ["info", str(cv)])
    assert res.exit_code == 0, res.output
    assert f"cross-validation folder {cv} (train --cv): no fold model yet" in res.output, res.output
    assert "fold_1: training did not finish (checkpoints, no manifest.json)" in res.output
    assert "rerun the same starclass train command to resume it" in res.output
    assert "cv_predictions.ecsv" not in res.output.replace("no cv_summary.json", "")  # not there: not named
    from starclass.learn.checkpoint import load_model

    with pytest.raises(StarclassError, match=r"cross-validation folder \(train --cv\) whose training did not "
                                             r"finish \(fold_1: checkpoints, no manifest.json\)"):
        load_model(cv)
    done = _cv(cfg, data, cv)
    assert any("fold 1: member 1: resumed after epoch 1" in n for n in done.notes), done.notes
    assert (cv / "cv_summary.json").is_file()
    res = runner.invoke(app, ["info", str(cv)])
    assert "2 fold models, fold_1 .. fold_2" in res.output and "pooled over 24 held-out rows" in res.output


def test_stopped_in_the_last_fold_no_table_is_named_and_the_fold_is(tmp_path, toy, monkeypatch):
    cfg, data = toy
    cv = tmp_path / "cv"
    _stop_in(monkeypatch, "2")
    with pytest.raises(KeyboardInterrupt):
        _cv(cfg, data, cv)
    monkeypatch.undo()
    assert not any((cv / t).exists() for t in ("cv_summary.json", "cv_metrics.ecsv", "cv_predictions.ecsv"))
    res = runner.invoke(app, ["info", str(cv)])
    assert res.exit_code == 0, res.output
    assert "1 fold model, fold_1 .. fold_1" in res.output
    assert "fold_2: training did not finish" in res.output, res.output
    assert f"held-out predictions: {cv / 'cv_predictions.ecsv'}" not in res.output
    res = runner.invoke(app, ["classify", "--model", str(cv), "--stamps", str(tmp_path / "x.csv"),
                              "-o", str(tmp_path / "o.ecsv")])
    assert res.exit_code == 2
    assert "its training did not finish: fold_2 holds checkpoints only" in " ".join(res.output.split())


def test_a_retraining_stopped_in_a_fold_leaves_no_table_of_the_earlier_run(tmp_path, toy, monkeypatch):
    cfg, data = toy
    cv = tmp_path / "cv"
    _cv(cfg, data, cv)
    assert (cv / "cv_summary.json").is_file()
    # a rerun that trains nothing keeps (rewrites) the tables
    _cv(cfg, data, cv)
    assert (cv / "cv_summary.json").is_file()
    _stop_in(monkeypatch, "2")
    with pytest.raises(KeyboardInterrupt):
        _cv(cfg, data, cv, resume=False)
    monkeypatch.undo()
    # fold_1 retrained, fold_2 not: the old pooled metrics and predictions describe neither
    for name in ("cv_summary.json", "cv_metrics.ecsv", "cv_predictions.ecsv"):
        assert not (cv / name).exists(), name
    res = runner.invoke(app, ["info", str(cv)])
    assert "the cross-validation has not finished" in res.output and "pooled over" not in res.output, res.output


def test_a_refused_rerun_keeps_the_finished_tables(tmp_path, toy):
    cfg, data = toy
    cv = tmp_path / "cv"
    _cv(cfg, data, cv)
    before = (cv / "cv_summary.json").read_text()
    with pytest.raises(StarclassError, match="recipe.lr"):
        cross_validate(cfg.copy(recipe={"lr": 0.5}), data.inputs, data.class_ref, scheme=2, outdir=cv,
                       progress=False, device="cpu")
    assert (cv / "cv_summary.json").read_text() == before


def test_on_a_cutout_folder_each_fold_records_its_cutouts_when_it_ends(tmp_path, monkeypatch):
    root = tmp_path / "data"
    write_noise_cutout_folder(root, size=20, object_ids=True)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    cv = tmp_path / "cv"
    _stop_in(monkeypatch, "2")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(root / "labels.csv"), "--cv", "2",
                              "-o", str(cv), "--no-progress"])
    assert res.exit_code == 130, res.output
    assert "interrupted by Ctrl-C (SIGINT)" in res.output and "Traceback" not in res.output
    # given again, a --no-resume or --overwrite command starts afresh: the line says so
    assert ("the same command resumes the training (without --no-resume or --overwrite, which start afresh)"
            in " ".join(res.output.split())), res.output
    import json

    manifest = json.loads((cv / "fold_1" / "manifest.json").read_text())
    assert manifest.get("training_cutouts", {}).get("height") == 20, manifest.get("training_cutouts")
    assert not (cv / "fold_2" / "manifest.json").exists()


def test_fold_models_of_an_earlier_cross_validation_are_not_counted_as_this_ones(tmp_path, toy):
    """--cv 3 then --cv 2 --no-resume into one folder left fold_3: info said "3 fold model(s)" of a 2-fold
    summary. Resumed, such a folder is refused naming the stray fold (nothing touched); replaced, it goes."""
    cfg, data = toy
    cv = tmp_path / "cv"
    cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=cv, progress=False, device="cpu")
    # its cv_summary.json says what it was (before: "holds fold_3 of an earlier cross-validation, no fold of this one")
    with pytest.raises(StarclassError, match=r"holds a 3-fold cross-validation \(its cv_summary.json\); this is a "
                                             r"2-fold cross-validation: train into another directory \(-o\)"):
        _cv(cfg, data, cv)
    assert (cv / "fold_3" / "manifest.json").is_file()
    done = _cv(cfg, data, cv, resume=False)
    assert not (cv / "fold_3").exists()
    assert any(n.startswith("removed fold_3: a fold model of an earlier cross-validation") for n in done.notes)
    res = runner.invoke(app, ["info", str(cv)])
    assert "2 fold models, fold_1 .. fold_2" in res.output, res.output


def test_a_cv_folder_resumed_with_other_folds_is_refused_naming_both(tmp_path, toy, monkeypatch):
    """--cv 2, then --cv 3 into the same folder: refused as "fold_1/member_01.pt was trained with other
    training data", not saying that the folds differ. Now both cross-validations are named, from what
    the earlier run recorded (its cv_summary.json, else its fold folders), before the member check."""
    cfg, data = toy
    cv = tmp_path / "cv"
    _cv(cfg, data, cv)
    with pytest.raises(StarclassError) as err:
        cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=cv, progress=False, device="cpu")
    assert str(err.value).startswith(f"{cv} holds a 2-fold cross-validation (its cv_summary.json); this is a 3-fold "
                                     "cross-validation: train into another directory (-o), or start afresh with "
                                     "--overwrite"), err.value
    assert "other training data" not in str(err.value)
    # a --cv 3 run stopped in fold 3 (no cv_summary.json), resumed with --cv 2: its fold_3 says it
    other = tmp_path / "cv3"
    _stop_in(monkeypatch, "3")
    with pytest.raises(KeyboardInterrupt):
        cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=other, progress=False, device="cpu")
    monkeypatch.undo()
    with pytest.raises(StarclassError, match=r"holds a 3-fold cross-validation \(its cv_folds.json, unfinished\); "
                                             r"this is a 2-fold cross-validation"):
        _cv(cfg, data, other)
    # a folder written before cv_folds.json was: its fold_3 says it
    (other / "cv_folds.json").unlink()
    with pytest.raises(StarclassError, match=r"holds a cross-validation of 3 or more folds \(fold_3\); this is a "
                                             r"2-fold cross-validation"):
        _cv(cfg, data, other)


def test_a_cv_stopped_before_its_summary_says_how_many_folds_it_was_asked_for(tmp_path, toy, monkeypatch):
    """--cv 3 stopped after its last fold but before cv_summary.json: info said "3 fold model(s)" and "has not
    finished", not how many folds were asked for; stopped before fold 3 began, a rerun with --cv 2 was refused
    only as "fold_1/member_01.pt was trained with other training data". cv_folds.json, written before the first
    fold, now says both."""
    import starclass.io.catalog as catalog_mod
    import starclass.learn.train as train_mod

    cfg, data = toy
    cv = tmp_path / "cv"

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    # every fold done, stopped as the tables are written (cv_summary.json is written last)
    monkeypatch.setattr(catalog_mod, "write_catalog", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=cv, progress=False, device="cpu")
    monkeypatch.undo()
    assert not (cv / "cv_summary.json").exists()
    res = runner.invoke(app, ["info", str(cv)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert ("asked for a 3-fold cross-validation of task 'galaxy-cluster-compact' (cv_folds.json): 3 of 3 folds "
            "done (fold_1, fold_2, fold_3)") in out, out
    # stopped before fold 3 began: the folder says which folds are left, and a --cv 2 resume names both
    other = tmp_path / "cv_b"
    real_fit = train_mod.fit

    def stop_at_fold_3(*args, outdir, **kwargs):
        if Path(outdir).name == "fold_3":
            raise KeyboardInterrupt
        return real_fit(*args, outdir=outdir, **kwargs)

    monkeypatch.setattr(train_mod, "fit", stop_at_fold_3)
    with pytest.raises(KeyboardInterrupt):
        cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=other, progress=False, device="cpu")
    monkeypatch.undo()
    assert not (other / "fold_3").exists()
    res = runner.invoke(app, ["info", str(other)])
    out = " ".join(res.output.split())
    assert "2 of 3 folds done (fold_1, fold_2); fold_3 not started" in out, out
    with pytest.raises(StarclassError) as err:
        _cv(cfg, data, other)
    assert str(err.value).startswith(f"{other} holds a 3-fold cross-validation (its cv_folds.json, unfinished); "
                                     "this is a 2-fold cross-validation"), err.value
    # the same call resumes it: fold 3 trained, the summary written
    done = cross_validate(cfg, data.inputs, data.class_ref, scheme=3, outdir=other, progress=False, device="cpu")
    assert [f["fold"] for f in done.folds] == ["1", "2", "3"] and (other / "cv_summary.json").is_file()


def test_a_cv_refused_in_its_first_fold_leaves_nothing(tmp_path, toy, monkeypatch):
    """cv_folds.json is written before the first fold trains: a run refused there leaves no folder."""
    import starclass.learn.train as train_mod

    cfg, data = toy
    cv = tmp_path / "cv"

    def refuse(*args, **kwargs):
        raise StarclassError("refused")

    monkeypatch.setattr(train_mod, "fit", refuse)
    with pytest.raises(StarclassError, match="refused"):
        _cv(cfg, data, cv)
    assert not cv.exists()


def test_a_recorded_scheme_that_is_no_number_is_still_another_scheme(tmp_path):
    # a hand-edited cv_summary.json / cv_folds.json ("five"): _other_scheme said None (no conflict),
    # the error of putting it in words swallowed, so a resume into that folder was not refused by scheme
    from starclass.learn.crossval import CV_FOLDS_FILE, _other_scheme

    (tmp_path / "cv_summary.json").write_text('{"scheme": "five"}')
    assert _other_scheme(tmp_path, 2, []) == "a cross-validation of scheme 'five' (its cv_summary.json)"
    (tmp_path / "cv_summary.json").unlink()
    (tmp_path / CV_FOLDS_FILE).write_text('{"scheme": "five", "task": "t", "folds": ["1"], "n": 3}')
    said = _other_scheme(tmp_path, 2, [])
    assert said is not None and "'five'" in said and "unfinished" in said
