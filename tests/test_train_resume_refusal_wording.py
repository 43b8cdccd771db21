"""The refusal to resume a model trained with other settings reads as one sentence.

Before: the way back ("to continue it, train with the settings it was started with (...); or") and the
way out ("train into another directory, ...") were joined with one more "; ", so ``train`` printed
"... or the options that set them); or; train into another directory, or start afresh ...". Now they read
"...); or train into another directory, ...".
"""

from __future__ import annotations

import pytest

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.train import fit


def _tiny(**recipe):
    r = {"epochs": 1, "batch_size": 32, "val_fraction": 0.2, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0], recipe=r)


def test_other_settings_refusal_has_no_stray_semicolon(tmp_path):
    cfg = _tiny()
    data = make_synthetic(cfg, 64, seed=3)
    fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=1, progress=False, device="cpu")
    with pytest.raises(StarclassError) as err:
        fit(_tiny(lr=0.05), data.inputs, data.class_ref, outdir=tmp_path, seed=1, progress=False, device="cpu")
    msg = str(err.value)
    # a finished model: how to train it further, keep it, or start afresh (see the test below)
    assert "trained with other settings (recipe.lr 0.001 there, 0.05 now)" in msg
    assert "to keep it as it is, run with the settings it was started with" in msg
    assert "or; " not in msg and ";;" not in msg
    assert "set them); to train it afresh with the settings now, give --overwrite" in msg


def test_other_data_refusal_keeps_its_semicolon(tmp_path):
    cfg = _tiny()
    data = make_synthetic(cfg, 64, seed=3)
    fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=1, progress=False, device="cpu")
    labels = data.class_ref.copy()
    labels[:5] = (labels[:5] % 4) + 1
    with pytest.raises(StarclassError) as err:
        fit(cfg, data.inputs, labels, outdir=tmp_path, seed=1, progress=False, device="cpu")
    assert "other training data (labels, positions or input stamps differ); to train it further" in str(err.value)


def test_a_finished_model_trained_again_with_more_epochs_names_how_to_train_it_further(tmp_path):
    """``train --epochs 3 -o mymodel`` after a finished 2-epoch run was refused as "recipe.epochs 2 there, 3 now"
    with only "to continue it, train with the settings it was started with", which trains nothing more. Now
    it names fine-tuning into a new folder (--resume-from) and starting afresh (--overwrite)."""
    cfg = _tiny()
    data = make_synthetic(cfg, 64, seed=3)
    model = tmp_path / "mymodel"
    fit(cfg, data.inputs, data.class_ref, outdir=model, seed=1, progress=False, device="cpu")
    with pytest.raises(StarclassError) as err:
        fit(_tiny(epochs=2), data.inputs, data.class_ref, outdir=model, seed=1, progress=False, device="cpu")
    msg = str(err.value)
    assert msg.startswith(f"{model} is a finished model, trained with other settings (recipe.epochs 1 there, 2 now)")
    assert f"to train it further, fine-tune it into a new folder: --resume-from {model} -o {model}_more" in msg
    assert "give --overwrite" in msg and "which replaces it" in msg
