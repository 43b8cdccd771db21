"""A galaxy split drawn apart from the starting model that leaves a class out of validation re-scores the start's
calibration rows.

Two fixes of 2026-12-07 meet here: ``split_apart`` validates a ``--split galaxy`` fine-tune only on the held-out
galaxy's rows its starting model did not train on (its other rows there left out of training too), and a
fine-tune whose validation split misses a class refits its calibration on the start's calibration rows, re-scored
with the new weights (tests/test_finetune_validation_class_absent.py). A held-out galaxy whose new rows are all
of one class gives such a split: the two must work together (no calibration on one class, no in-sample rows).
"""

from __future__ import annotations

import numpy as np

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest
from starclass.learn.checkpoint import read_manifest


def test_a_galaxy_split_apart_from_the_start_missing_a_class_refits_the_starts_calibration(tmp_path):
    from starclass.learn.provenance import overlap, row_digests, starting_rows
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 30)
    seen = overlap(row_digests(made.x), starting_rows(made.model))
    new = np.arange(30, 40)  # the ten new cutouts of one labelling round
    assert not seen[new].any()
    one = made.y[new[0]]
    gal = np.array(["A"] * len(made.y), dtype=object)
    b_new = new[made.y[new] == one]  # galaxy B: the new rows of one class ...
    b_seen = np.flatnonzero(seen & (made.y != one))[:4]  # ... and rows of the other class the start trained on
    gal[b_new], gal[b_seen] = "B", "B"
    assert b_seen.size == 4
    tuned = fit(made.cfg.copy(recipe={"epochs": 1, "split": "galaxy"}), made.x, made.y, galaxies=gal, holdout="B",
                outdir=tmp_path / "m1", init_from=made.model, progress=False, device="cpu")
    # validated on B's rows the start did not train on (one class), its others left out of training
    assert sorted(tuned.val_index.tolist()) == sorted(b_new.tolist())
    assert tuned.n_train == int(np.sum(gal == "A"))
    apart = [n for n in tuned.notes if n.startswith("validation split: the ")]
    assert len(apart) == 1 and f"the {b_seen.size} of its rows it trained on are left out" in apart[0], tuned.notes
    # the split misses a class: the calibration is refitted on the start's calibration rows, not left out
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" in doc, (doc.get("no_calibration"), tuned.notes)
    assert doc["calibration"]["source"] == str(made.held) and doc["calibration"]["n"] == 30
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1 and "0 of class" in said[0], tuned.notes
