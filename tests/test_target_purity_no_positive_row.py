"""train --target-purity says in its own words that the validation rows hold no row of the positive class.

Walking docs/training.md ('train --task m31-binary-compact --mosaics m31_a --catalog m31_a/truth.ecsv -o Mp
--epochs 1 --target-purity 0.9' on a simulated 300-candidate M31 field) the warning read "on the 33 validation
candidates threshold_for_purity: the reference has no positive object": a function's name in a user's line,
and "the reference" of a split with no cluster.
"""

from __future__ import annotations

import numpy as np


def test_no_positive_validation_row_is_said_plainly(tmp_path, capsys):
    from starclass.cli.train_cmd import tune_threshold
    from starclass.learn.checkpoint import read_manifest, write_untrained_model
    from starclass.learn.config import get_preset

    cfg = get_preset("m31-binary-compact", stamp_size=16)
    model = write_untrained_model(tmp_path / "m", cfg)
    x = np.random.default_rng(0).normal(size=(12, cfg.n_channels, 16, 16)).astype(np.float32)
    labels = np.full(12, 4)  # PHANGS class 4, which the task merges into its class 2 (non-cluster)
    assert tune_threshold(cfg, model, x, labels, np.arange(6, 12), 0.9, device="cpu") is None
    out = capsys.readouterr()
    text = out.out + out.err
    assert "threshold_for_purity" not in text, text
    assert ("--target-purity 0.90 was not reached: the 6 validation candidates hold no row of the positive class 1 "
            "(cluster), so no selection has a purity. No threshold was stored") in text, text
    assert "tuned_threshold" not in read_manifest(model)
