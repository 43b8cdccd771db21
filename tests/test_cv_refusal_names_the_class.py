"""``train --cv K``'s refusals (too few rows of a class for K folds) name the class as the task names it.

Both refusals of :func:`starclass.learn.crossval.cv_folds` (the plain one, and the one of a fine-tune's rows its
starting model did not train on) said "output class index 0", a number the user never wrote: the task's
``class 1 (cluster)``, and for a cutout folder the label strings its files carry, are what they name now
(:func:`starclass.learn.crossval.cv_class_words`, one helper for both).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app


def test_a_catalogues_refusal_names_the_task_class(tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.errors import StarclassError
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    toy = make_synthetic(cfg, 12, seed=0)
    labels = np.where(np.arange(12) < 2, cfg.classes[1], cfg.classes[0])  # two rows of the second class
    second = f"class {cfg.classes[1]} ({cfg.class_names[1]})"
    with pytest.raises(StarclassError, match=rf"^--cv 3: {re.escape(second)} has only 2 labelled candidates, fewer"):
        cross_validate(cfg, toy.inputs, labels, scheme=3, outdir=tmp_path / "cv", progress=False, device="cpu")
    assert not (tmp_path / "cv").exists()


def test_a_cutout_folders_refusal_names_the_label_strings(tmp_path):
    from finetune_setup import noise_folder  # tests/ is on sys.path under pytest

    folder = noise_folder((tmp_path / "f").resolve(), 6, seed=1)  # 3 'cluster', 3 'galaxy'
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(folder), "-o", str(tmp_path / "cv"),
                                   "--cv", "4", "--stamp-size", "16", "--epochs", "1", "--ensemble", "1",
                                   "--device", "cpu", "--no-progress"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "output class index" not in text, text
    # m31-real reads 'cluster' and 'extended_cluster' as its class 1 (cluster)
    assert "--cv 4: labels 'cluster', 'extended_cluster' (class 1 (cluster)) has only 3 labelled cutouts" in text, text
    assert not (tmp_path / "cv").exists()
