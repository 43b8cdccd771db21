"""A fine-tune's refitted calibration note says how often its weights are right on those rows, and the map under TTA.

Walking docs/uncertainty.md's cutout loop (2026-12-07), ``train --stamps round1/labels.csv --resume-from model``
on one round's 10 labels (9 clusters, 1 galaxy) called every test cutout a cluster. Its output said only
"calibration refitted on the calibration rows of the starting model 'model' ...: temperature 12.104, NLL 1.2126 ->
0.6857" (0.6857 is about ln 2: chance on two classes): nothing compared the new weights with the start's on the
same 175 rows, which the refit had just classified. The note now gives both shares of right classes; and, as
train's own calibration line does, the temperature under TTA that ``classify --tta`` applies.
"""

from __future__ import annotations

import re

import numpy as np

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest
from starclass.learn.checkpoint import read_manifest


def test_the_refit_note_gives_the_share_right_of_both_weights_and_the_tta_map(tmp_path):
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60, object_ids=True)
    start = read_manifest(made.model)["calibration"]
    tuned = fit(made.cfg.copy(recipe={"epochs": 1}), made.x[-10:], made.y[-10:], outdir=tmp_path / "m1",
                init_from=made.model, progress=False, device="cpu")
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(made.held)  # the case: the start's rows re-scored
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1, tuned.notes

    def share(entry) -> tuple[int, int]:  # by hand, from the stored raw probabilities and class indices
        p, y = np.asarray(entry["probs"]), np.asarray(entry["labels"])
        return int(np.sum(p.argmax(axis=1) == y)), len(y)

    (k1, n1), (k0, n0) = share(cal), share(start)
    m = re.search(r"on these rows the fine-tuned weights' most probable class is right for (\d+)% \((\d+) of (\d+)\), "
                  r"the starting model's for (\d+)% \((\d+) of (\d+)\)", said[0])
    assert m is not None, said[0]  # old code: no such words
    got = [int(v) for v in m.groups()]
    assert (got[1], got[2], got[4], got[5]) == (k1, n1, k0, n0), (got, k1, n1, k0, n0)
    assert abs(got[0] - 100 * k1 / n1) <= 0.5 and abs(got[3] - 100 * k0 / n0) <= 0.5, got
    assert "with_tta" in cal and f"under TTA temperature {cal['with_tta']['temperature']:.3f}" in said[0], said[0]
