"""A fine-tune whose few validation rows miss a class re-scores its start's calibration rows (2026-12-07).

Walking docs/uncertainty.md's cutout loop (suggest -> inspect -> export -> ``train --stamps round1/labels.csv
--resume-from model``): the round's 10 labels gave a validation split of 2 cutouts, both clusters, and the
fine-tune was left with "no calibration and no conformal sets", although its start had been calibrated on 175
held-out cutouts that a fine-tune re-scores with its own weights where its split is too small; on mosaics the
same round (6 validation rows, every class among them) got that refit. A class absent from the split is the
extreme of too few rows of it, and now takes the same way.
"""

from __future__ import annotations

import numpy as np

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest
from starclass.learn.checkpoint import read_manifest


def test_a_fine_tune_whose_validation_split_misses_a_class_refits_the_starts_calibration_rows(tmp_path):
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60, object_ids=True)
    assert read_manifest(made.model)["calibration"]["n"] == 60
    x, y = made.x[-10:], made.y[-10:]  # the ten new cutouts alone: one labelling round
    assert len(np.unique(y)) == made.cfg.n_classes  # every class among the labels
    val = np.flatnonzero(y == y[0])[:2]  # ... but not in the validation split
    assert len(val) == 2 and len(np.unique(y[val])) == 1
    tuned = fit(made.cfg.copy(recipe={"epochs": 1}), x, y, outdir=tmp_path / "m1", init_from=made.model,
                progress=False, device="cpu", val_index=val)
    doc = read_manifest(tmp_path / "m1")
    # old code: no calibration ("validation split has no row of class(es) [...]")
    assert "calibration" in doc, (doc.get("no_calibration"), tuned.notes)
    assert doc["calibration"]["source"] == str(made.held) and doc["calibration"]["n"] == 60
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1, tuned.notes
    assert "the validation split holds only 2 rows" in said[0] and "0 of class" in said[0], said[0]
    assert not [n for n in tuned.notes if "validation split has no row of class" in n], tuned.notes


def test_a_model_trained_from_scratch_without_a_class_in_its_validation_split_still_has_no_calibration(tmp_path):
    # nothing to refit: the notes say so and name calibrate, as before
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 30, object_ids=True, new_rows=False)
    x, y = made.x, made.y
    val = np.flatnonzero(y == y[0])[:3]
    tuned = fit(made.cfg.copy(recipe={"epochs": 1}), x, y, outdir=tmp_path / "s", progress=False, device="cpu",
                val_index=val)
    assert "calibration" not in read_manifest(tmp_path / "s")
    assert [n for n in tuned.notes if n.startswith("validation split has no row of class")], tuned.notes
