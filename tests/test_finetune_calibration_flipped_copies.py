"""A fine-tune's own calibration leaves out rows it trained on flipped copies of, as calibrate refuses them.

``train --init-from`` re-scores its starting model's ``--stamps`` calibration rows and leaves out those the
fine-tune trained on; it told them by their exact input only, so a fine-tune on flipped copies of 12 calibration
cutouts calibrated on all 60 (until 2026-12-07), though ``calibrate`` refuses such copies by their fingerprint.
"""

from __future__ import annotations

import numpy as np
import pytest

from finetune_setup import calibrated_model, folder_inputs, split_with_start_rows
from starclass.learn.checkpoint import read_manifest


def test_fine_tune_calibration_leaves_out_flipped_copies_it_trained_on(tmp_path):
    from starclass.learn.provenance import MANIFEST_KEY, training_input_rows
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60)
    cfg = made.cfg
    xh, yh = folder_inputs(made.held, cfg)
    flipped = np.ascontiguousarray(xh[:12, :, :, ::-1])  # the same cutouts, mirrored: other exact inputs
    x, y = np.concatenate([made.x, flipped]), np.concatenate([made.y, yh[:12]])
    with pytest.warns(UserWarning):
        fit(cfg, x, y, outdir=tmp_path / "m1", init_from=made.model, progress=False, device="cpu",
            val_index=split_with_start_rows(y, cfg))
    doc = read_manifest(tmp_path / "m1")
    trained = training_input_rows(xh, doc[MANIFEST_KEY])
    assert 0 < trained.sum() <= 12 and not trained[12:].any()
    assert doc["calibration"]["n"] == 60 - trained.sum()
