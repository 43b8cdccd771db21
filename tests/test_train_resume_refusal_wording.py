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
    assert "was trained with other settings" in msg and "to continue it, train with the settings" in msg
    assert "or; " not in msg and ";;" not in msg
    assert "set them); or train into another directory, or start afresh with --overwrite" in msg


def test_other_data_refusal_keeps_its_semicolon(tmp_path):
    cfg = _tiny()
    data = make_synthetic(cfg, 64, seed=3)
    fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=1, progress=False, device="cpu")
    labels = data.class_ref.copy()
    labels[:5] = (labels[:5] % 4) + 1
    with pytest.raises(StarclassError) as err:
        fit(cfg, data.inputs, labels, outdir=tmp_path, seed=1, progress=False, device="cpu")
    assert "other training data (labels, positions or input stamps differ); train into another directory" in \
        str(err.value)
