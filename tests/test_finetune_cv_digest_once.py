"""A cross-validated fine-tune hashes its starting model's member files once, not once per fold.

Every fold's ``fit`` recorded ``init_digest(init_from)`` (what a resumed run checks it starts from the
same weights) by reading every member file of the starting model again: K times for ``--cv K``, about
70 ms a 45 MB member each time. ``cross_validate`` now hashes once and gives the digest to every fold.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import torch

from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset


@pytest.fixture
def digests(monkeypatch):
    """Every init_digest call, by the source it hashed."""
    import starclass.learn.train as train

    seen: list[str] = []
    real = train.init_digest

    def counting(source):
        seen.append(str(source))
        return real(source)

    monkeypatch.setattr(train, "init_digest", counting)
    return seen


def test_cross_validation_hashes_the_starting_model_once_and_every_fold_records_it(digests, tmp_path):
    from starclass.learn.crossval import cross_validate
    from starclass.learn.train import init_digest

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1, "batch_size": 8})
    start = write_untrained_model(tmp_path / "m0", cfg)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, len(cfg.bands), 16, 16)).astype(np.float32)
    y = np.array([1, 2] * 12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # too few calibration rows in so small folds: said, not tested here
        cv = cross_validate(cfg, x, y, scheme=3, outdir=tmp_path / "cv", progress=False, device="cpu",
                            init_from=start)
    assert len(cv.folds) == 3
    assert len(digests) == 1, digests
    expected = init_digest(start)
    folds = sorted((tmp_path / "cv").glob("fold_*"))
    assert len(folds) == 3
    for fold in folds:
        doc = json.loads((fold / "manifest.json").read_text())
        for member in doc["members"]:
            ckpt = torch.load(fold / member["file"], map_location="cpu", weights_only=False)
            assert ckpt["init_digest"] == expected, fold
    # resumed, every fold is kept as it is: the digest given to the folds is the one they compare with
    digests.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = cross_validate(cfg, x, y, scheme=3, outdir=tmp_path / "cv", progress=False, device="cpu",
                               init_from=start)
    assert len(again.folds) == 3 and len(digests) == 1
