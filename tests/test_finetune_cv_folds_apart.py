"""``train --cv K --resume-from M``: the folds hold out only rows M did not train on.

Every fold starts from M's weights; a fold that held out (or early-stopped on) a row M trained on scored a row the
weights had learnt as unseen. ``train --resume-from`` draws its validation rows apart from M's (``split_apart``),
but ``--cv K --resume-from M`` drew its folds from every labelled row, with one warning ("N of the R rows the folds
hold out are rows the starting model ... was trained on"). The folds now hold out only the rows (a cutout folder:
the objects) M did not train on, M's rows are trained on in every fold, train says so in one line, and too few
unseen rows for K folds is refused with the figures.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app

HELD_OUT_SEEN = "rows the folds hold out are rows the starting model"
VAL_SEEN = "validation rows are rows the starting model"


def test_the_folds_of_a_catalogues_rows_hold_out_none_the_start_trained_on(toy_trust_model, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.crossval import cross_validate

    root, cfg, toy, result = toy_trust_model
    new = make_synthetic(cfg, 24, seed=12)  # the new labels of an active-learning round
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    start_trained = np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)
    trained_by_fold = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cvr = cross_validate(cfg, inputs, labels, scheme=2, outdir=tmp_path / "cv", init_from=root / "model",
                             progress=False, device="cpu", ensemble=1,
                             on_fold=lambda _path, rows: trained_by_fold.append(rows))
    held_out = np.asarray(cvr.predictions["row"])
    assert np.intersect1d(held_out, start_trained).size == 0
    assert held_out.size == len(labels) - start_trained.size
    # the rows the start trained on are trained on in every fold
    assert all(np.isin(start_trained, rows).all() for rows in trained_by_fold)
    texts = [str(w.message) for w in caught]
    assert not any(HELD_OUT_SEEN in t or VAL_SEEN in t for t in texts), texts
    said = [n for n in cvr.notes if str(n).startswith("cross-validation from ")]
    assert said == [f"cross-validation from the starting model '{root / 'model'}': the {start_trained.size} of the "
                    f"{len(labels)} labelled candidates it trained on are trained on in every fold and held out (or "
                    f"validated on) by none (their scores would be in-sample); the 2 folds hold out the "
                    f"{held_out.size} it did not train on"], cvr.notes
    # said once, not again fold by fold
    assert not any("trained on again and never validated on" in str(n) for n in cvr.notes), cvr.notes


def test_too_few_unseen_rows_for_the_folds_is_refused_with_the_figures(toy_trust_model, tmp_path):
    from starclass.errors import StarclassError
    from starclass.learn.crossval import cross_validate

    root, cfg, toy, result = toy_trust_model
    n_seen = len(toy.inputs) - result.val_index.size
    k = result.val_index.size + 1  # more folds than rows the start did not train on
    with pytest.raises(StarclassError, match=rf"^--cv {k}: {n_seen} of the {len(toy.inputs)} labelled candidates "
                                             rf"are candidates the starting model .* trained on, held out by no fold "
                                             rf".*leaving {result.val_index.size}, in which output class index \d+ "
                                             rf"has only \d+ candidates, fewer than the {k} folds"):
        cross_validate(cfg, toy.inputs, toy.class_ref, scheme=k, outdir=tmp_path / "cv", init_from=root / "model",
                       progress=False, device="cpu", ensemble=1)
    assert not (tmp_path / "cv").exists()  # refused before anything is written


@pytest.fixture(scope="module")
def cutout_start(tmp_path_factory):
    from finetune_setup import noise_folder  # tests/ is on sys.path under pytest

    tmp = tmp_path_factory.mktemp("cv_apart")
    train = noise_folder((tmp / "train").resolve(), 40, seed=1, object_ids=True)
    new = noise_folder((tmp / "new").resolve(), 24, seed=3, object_ids=True)
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(train), "-o", str(tmp / "m0")]
                             + COMMON)
    assert res.exit_code == 0, res.output
    n_start = int(re.search(r"on cpu \(float32\): (\d+) training, ", res.output).group(1))
    return tmp, train, new, n_start


COMMON = ["--stamp-size", "16", "--epochs", "1", "--ensemble", "1", "--device", "cpu", "--no-progress"]


def test_the_folds_of_a_cutout_folder_hold_out_only_objects_the_start_did_not_train_on(cutout_start):
    from astropy.table import Table

    tmp, train, new, n_start = cutout_start
    res = CliRunner().invoke(app, ["train", "--stamps", str(train), "--stamps", str(new), "--cv", "2",
                                   "--resume-from", str(tmp / "m0"), "-o", str(tmp / "cv")] + COMMON)
    assert res.exit_code == 0, res.output
    assert HELD_OUT_SEEN not in res.output and VAL_SEEN not in res.output
    pred = Table.read(tmp / "cv" / "cv_predictions.ecsv")
    assert len(pred) == 64 - n_start
    # m0 trained on n_start of train's 40 objects: the folds hold out its other objects and the new ones
    assert sum(str(f).startswith(str(new.parent)) or "S3-" in str(g) for f, g in zip(pred["file"], pred["object_id"])) \
        == 24
    said = re.findall(r"cross-validation from the starting model '.*m0': the (\d+) of the 64 labelled cutouts it "
                      r"trained on \(or of its objects\) are trained on in every fold", res.output)
    assert said == [str(n_start)], res.output
    # every fold trained on m0's training rows and on part of the others: none is left out of every fold's training
    metrics = Table.read(tmp / "cv" / "cv_metrics.ecsv")
    for fold in metrics[metrics["fold"] != "pooled"]:
        assert fold["n_train"] + fold["n_val"] + fold["n_test"] == 64
        assert fold["n_train"] >= n_start


def test_a_cutout_folder_with_too_few_unseen_objects_is_refused(cutout_start):
    tmp, train, _, n_start = cutout_start
    k = 40 - n_start + 1
    res = CliRunner().invoke(app, ["train", "--stamps", str(train), "--cv", str(k), "--resume-from", str(tmp / "m0"),
                                   "-o", str(tmp / "cv_refused")] + COMMON)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert f"{n_start} of the 40 labelled cutouts are cutouts the starting model" in res.output
    assert f"fewer than the {k} folds" in res.output and "without --resume-from" in res.output
    assert not (tmp / "cv_refused").exists()


def test_a_folds_grouped_early_stopping_rows_are_objects_the_start_did_not_train_on():
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import _fold_setup, apart_from_start

    cfg = get_preset("m31-real", stamp_size=16, recipe={"val_fraction": 0.2})
    n = 80
    labels = np.array([cfg.classes[k % 2] for k in range(n)], dtype=float)
    target = (np.arange(n) % 2).astype(np.int64)
    groups = np.array([f"o{k // 2}" for k in range(n)])  # two cutouts per object
    seen = np.arange(n) < 40
    test = np.arange(60, 80)
    _, _, val_index, _ = _fold_setup(cfg, labels, target, "1", test, None, groups, 0, seen)
    assert val_index.size > 0
    assert not apart_from_start(val_index, seen, groups).any()
    assert np.intersect1d(val_index, test).size == 0


def test_leave_one_galaxy_out_holds_out_each_galaxys_rows_the_start_did_not_train_on(toy_trust_model, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.crossval import cross_validate

    root, cfg, toy, result = toy_trust_model
    new = make_synthetic(cfg, 24, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    gal = np.where(np.arange(len(labels)) % 2 == 0, "A", "B")
    start_trained = np.zeros(len(labels), dtype=bool)
    start_trained[np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)] = True
    trained_by_fold = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cvr = cross_validate(cfg, inputs, labels, scheme="logo", galaxies=gal, outdir=tmp_path / "cv",
                             init_from=root / "model", progress=False, device="cpu", ensemble=1,
                             on_fold=lambda path, rows: trained_by_fold.update({path.name: rows}))
    held_out = np.asarray(cvr.predictions["row"])
    assert sorted(held_out.tolist()) == np.flatnonzero(~start_trained).tolist()
    for g in ("A", "B"):
        # the fold holding g out trains on no row of g (those the start trained on neither held out nor trained on)
        # and on every row of the other galaxy
        rows = trained_by_fold[f"fold_{g}"]
        assert not np.isin(rows, np.flatnonzero(gal == g)).any()
        other = np.flatnonzero(gal != g)
        assert np.isin(other, rows).all()
    assert not any(HELD_OUT_SEEN in str(w.message) for w in caught)
    said = [n for n in cvr.notes if str(n).startswith("cross-validation from ")]
    assert len(said) == 1 and f"the {start_trained.sum()} of the {len(labels)} labelled candidates it trained on are " \
        "held out (or validated on) by no fold" in said[0], cvr.notes
