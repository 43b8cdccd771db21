"""``train --cv`` says a fold's split warning once, not once a fold when every fold repeats it word for word.

Before (docs/training.md walk, ``train --task cool-core-compact --stamps cc/labels.csv --cv 10`` on 60
cutouts): "validation split: class 3 (non-cool core) has only 9 cutouts of 9 objects, fewer than the 10
parts ..." was printed ten times, once a fold.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")


def test_a_split_warning_every_fold_repeats_is_said_once(tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1, "val_fraction": 0.25})
    toy = make_synthetic(cfg, 16, seed=0)
    labels = np.ones(16, dtype=int)
    labels[[0, 4, 8, 12]] = 2  # two of class 2 in each fold's training rows, fewer than its split's 4 parts
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        cross_validate(cfg, toy.inputs, labels, scheme=2, outdir=tmp_path / "cv", device="cpu",
                       groups=np.arange(16).astype(str))
    said = [str(w.message) for w in caught if str(w.message).startswith("validation split:")]
    assert said, [str(w.message) for w in caught]  # the case: the folds' splits warn
    assert len(said) == len(set(said)), said
