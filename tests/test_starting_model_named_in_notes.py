"""A fine-tune's notes name its starting model so that they read right whatever its folder is called.

The notes added "'s" to the path as given: a start in a folder called ``model`` (the name the
README's workflow gives it) read "calibration refitted on the starting model /data/model's calibration
rows", and a path with a space was printed bare. Since 2026-12-06 they say "the calibration rows of the
starting model '/data/model'", the path quoted as a shell takes it (once, where it holds a space).
"""

from __future__ import annotations

import re
import shutil
import warnings

import pytest

from finetune_setup import calibrated_model, split_with_start_rows  # tests/ is on sys.path under pytest


@pytest.mark.parametrize("folder", ["model", "my model"])
def test_the_refit_note_names_a_start_called_model_apart_from_its_words(tmp_path, folder):
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 40)
    start = tmp_path / folder
    shutil.move(made.model, start)  # its calibration rows are recorded by absolute path: found from here too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fit(made.cfg.copy(recipe={"epochs": 1}), made.x, made.y, outdir=tmp_path / "m1", init_from=start,
                    progress=False, device="cpu", val_index=split_with_start_rows(made.y, made.cfg))
    named = f"the starting model '{start}'"
    refit = [n for n in tuned.notes if n.startswith("calibration refitted on ")]
    assert len(refit) == 1, tuned.notes
    assert refit[0].startswith(f"calibration refitted on the calibration rows of {named}, classified with the "
                               "fine-tuned weights ("), refit[0]
    seen = [str(w.message) for w in caught if "validation rows are rows the starting model" in str(w.message)]
    assert len(seen) == 1 and re.match(rf"\d+ of the \d+ validation rows are rows {re.escape(named)} was trained "
                                       "on: ", seen[0]), seen
    said = "\n".join(tuned.notes + [str(w.message) for w in caught])
    assert f"{start}'s" not in said and f"{folder} {folder}" not in said and "''" not in said
