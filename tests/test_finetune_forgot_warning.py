"""A fine-tune right much less often than its start on the start's calibration rows is warned of, with a next step.

Walking docs/uncertainty.md's cutout loop (2026-12-07), a fine-tune on one round's 10 PAndAS labels alone called
every cutout a cluster; the refit's note said "right for 53% (92 of 175), the starting model's for 78% (136 of
175)" among the other notes, and nothing said to keep the start or how to fine-tune again. It is now a warning
naming both (the start stays; the labels so far beside the round's; more epochs).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest


def test_the_words_and_the_threshold():
    from starclass.learn import train

    y = np.arange(100) % 4
    start = {"probs": np.eye(4)[y].tolist(), "labels": y.tolist()}  # right on every row
    worse = np.eye(4)[np.where(np.arange(100) < 60, y, (y + 1) % 4)]  # right on 60
    said = train.forgot_caution(SimpleNamespace(probs=worse, labels=y), start, "the starting model 'm0'")
    assert said is not None and "right for 60% of the calibration rows of the starting model 'm0' (60 of 100)" in said
    assert "the starting model's for 100% (100 of 100)" in said and "keep using the starting model 'm0'" in said
    assert "--epochs" in said and "one --stamps for each list" in said, said
    close = np.eye(4)[np.where(np.arange(100) < 95, y, (y + 1) % 4)]  # 95%: within the allowed drop
    assert train.forgot_caution(SimpleNamespace(probs=close, labels=y), start, "m") is None


def test_a_fine_tune_that_forgot_warns(tmp_path, monkeypatch):
    from starclass.learn import train

    made = calibrated_model(tmp_path, 60, object_ids=True)
    # the refit's shares as a forgetting fine-tune gives them (the noise cutouts teach no model a class)
    monkeypatch.setattr(train, "_rows_right", lambda new, start: (20, 60, 50, 60), raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = train.fit(made.cfg.copy(recipe={"epochs": 1}), made.x[-10:], made.y[-10:], outdir=tmp_path / "m1",
                          init_from=made.model, progress=False, device="cpu")
    said = [str(w.message) for w in caught if "may have forgotten" in str(w.message)]
    # old code: the note's figures only, no warning
    assert len(said) == 1, [str(w.message) for w in caught]
    assert "right for 33% of the calibration rows" in said[0] and "the starting model's for 83%" in said[0], said
    assert any("may have forgotten" in n and n.startswith("WARNING: ") for n in tuned.notes), tuned.notes
