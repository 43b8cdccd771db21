"""A fine-tuned model's record of its training rows includes its starting model's.

``train`` records a digest of every row the weights were fitted on, and ``calibrate`` refuses
rows among them. A model fine-tuned with ``--init-from``/``--resume-from`` recorded only the rows
of its own run, so ``calibrate`` took the starting model's training rows for held-out ones (seen on
PAndAS cutouts: a model fine-tuned on 12 new labels was calibrated on the 60 cutouts its starting
model had been trained on, without a word). And ``train --cv K --resume-from M`` on the rows M was
trained on scored every fold on rows the starting weights had seen (51 of 60 there), silently; its folds now
hold out only the rows M did not train on (tests/test_finetune_cv_folds_apart.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.learn.calibration import calibrate_model
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def start(toy_trust_model):
    return toy_trust_model  # conftest: a two-member toy model trained once a session, copied here


def _starting_training_rows(toy, result) -> np.ndarray:
    return np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)


def test_a_fine_tune_records_and_refuses_its_starting_models_rows(start, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 40, seed=11)  # other rows: the new labels of an active-learning round
    tuned = fit(cfg, new.inputs, new.class_ref, outdir=tmp_path / "tuned", init_from=root / "model",
                progress=False, device="cpu", ensemble=1)
    old_rows = _starting_training_rows(toy, result)
    with pytest.raises(StarclassError, match=rf"{old_rows.size} of the {old_rows.size} calibration rows \(old\)"):
        calibrate_model(tmp_path / "tuned", toy.inputs[old_rows], toy.class_ref[old_rows], source="old",
                        overwrite=True, device="cpu")
    rec = read_manifest(tmp_path / "tuned")["training_rows"]
    assert rec["n"] == tuned.n_train and rec.get("n_inherited") == result.n_train
    # the starting model's validation rows were never trained on: still held out
    val = result.val_index
    cal = calibrate_model(tmp_path / "tuned", toy.inputs[val], toy.class_ref[val], source="val", overwrite=True,
                          device="cpu")
    assert cal.n == val.size


def test_cross_validating_from_a_model_of_the_same_rows_holds_out_only_its_other_rows(start, tmp_path):
    # the folds scored the rows the start trained on as unseen, with a warning; they now hold out only its
    # other rows (tests/test_finetune_cv_folds_apart.py)
    from starclass.learn.crossval import cross_validate

    root, cfg, toy, result = start
    cvr = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", init_from=root / "model",
                         progress=False, device="cpu", ensemble=1)
    assert sorted(cvr.predictions["row"]) == sorted(result.val_index.tolist())


def test_a_fine_tune_on_the_labels_so_far_validates_on_rows_the_start_did_not_train_on(start, tmp_path):
    # the active-learning loop's "train on the new labels together with those so far" from the last model
    # (train --resume-from): its split was drawn from every labelled row, so part of its validation rows (with
    # few new labels, all of them) were rows the starting weights had learnt, and early stopping, the validation
    # accuracy and the calibration were in-sample there. It is drawn from the rows the start did not train on
    import warnings

    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1)
    start_trained = _starting_training_rows(toy, result)
    assert tuned.val_index.size > 0
    assert np.intersect1d(tuned.val_index, start_trained).size == 0
    # every row the start trained on is trained on again (the fine-tune keeps what it learnt)
    assert tuned.n_train + tuned.val_index.size == len(labels)
    assert not any("validation rows are rows the starting model" in str(w.message) for w in caught)
    fresh = len(labels) - start_trained.size  # the start's own validation rows and the new ones
    said = [n for n in tuned.notes if n.startswith("validation split: ")]
    assert said == [f"validation split: {tuned.val_index.size} of the {fresh} labelled rows the starting model "
                    f"'{root / 'model'}' did not train on; the {start_trained.size} it trained on are trained on "
                    "again and never validated on (their accuracy would be in-sample)"], tuned.notes


def test_a_split_given_with_the_starts_rows_warns_of_its_validation_rows(start, tmp_path):
    # a split given as it is (val_index) is kept: its rows the start trained on are warned of
    import warnings

    from finetune_setup import split_with_start_rows  # tests/ is on sys.path under pytest
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1, val_index=split_with_start_rows(labels, cfg))
    seen = np.intersect1d(tuned.val_index, _starting_training_rows(toy, result)).size
    assert seen > 0  # else the test tests nothing
    said = [str(w.message) for w in caught if "validation rows are rows the starting model" in str(w.message)]
    assert len(said) == 1, said
    assert said[0].startswith(f"{seen} of the {tuned.val_index.size} validation rows are rows the starting model "
                              f"'{root / 'model'}' was trained on: ")


def test_cross_validation_says_it_once_not_fold_by_fold(start, tmp_path):
    import warnings

    from starclass.learn.crossval import cross_validate

    root, cfg, toy, _ = start
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", init_from=root / "model",
                       progress=False, device="cpu", ensemble=1)
    texts = [str(w.message) for w in caught]
    # the folds hold out none of the start's rows (said in one note), and no fold validates on them
    assert not any("rows the folds hold out are rows the starting model" in t for t in texts)
    assert not any("validation rows are rows the starting model" in t for t in texts)
