"""``learn.train.fit`` warns its calibration cautions in Python, once; ``starclass train`` prints those warnings.

Before, a notebook's ``fit`` kept them in ``result.notes`` only ("WARNING: the temperature ... was fitted on only
12 held-out rows", a fine-tune's "WARNING: no calibration and no conformal sets ... changed since"), which
``train`` printed: said nowhere else. Now fit warns each with a starclass category
(:class:`starclass.errors.CalibrationFitWarning`, :class:`starclass.errors.UncalibratedWarning`), the notes keep
them, and ``train`` prints the warnings (held while it trains) instead of the notes' copies, once each.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from finetune_setup import folder_inputs, noise_folder, tiny_config  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import CalibrationFitWarning, CalibrationWarning, UncalibratedWarning


def _fit_said(**kwargs):
    """What ``fit(**kwargs)`` warns of its calibration (every warning kept) and its result."""
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = fit(progress=False, device="cpu", **kwargs)
    return [w for w in said if issubclass(w.category, CalibrationWarning)], result


def test_fit_warns_the_few_rows_caution_once_and_keeps_its_note(tmp_path):
    cfg = tiny_config()
    x, y = folder_inputs(noise_folder(tmp_path / "train", 40, seed=1), cfg)
    said, result = _fit_said(config=cfg, inputs=x, labels=y, outdir=tmp_path / "m0")
    n = result.n_val
    texts = [str(w.message) for w in said if w.category is CalibrationFitWarning]
    few = [t for t in texts if re.match(rf"the temperature [0-9.]+ was fitted on only {n} held-out rows", t)]
    assert len(few) == 1 and len(texts) == len(set(texts)), texts  # once each
    # the notes keep them as they were (what the fine-tune tests read), and nothing else is warned
    noted = [s[len("WARNING: "):] for s in result.notes if s.startswith("WARNING: ")]
    assert sorted(noted) == sorted(texts), (noted, texts)
    assert all(w.filename == __file__ for w in said), [w.filename for w in said]  # at the notebook's line


def test_a_fine_tune_left_without_a_calibration_warns_so(tmp_path):
    cfg = tiny_config()
    x, y = folder_inputs(noise_folder(tmp_path / "train", 40, seed=1), cfg)
    _fit_said(config=cfg.copy(recipe={"val_fraction": 0.0}), inputs=x, labels=y, outdir=tmp_path / "m0")
    # every validation row of the fine-tune is a row the start trained on, and the start has no calibration
    said, tuned = _fit_said(config=cfg, inputs=x, labels=y, outdir=tmp_path / "m1", init_from=tmp_path / "m0")
    none = [str(w.message) for w in said if w.category is UncalibratedWarning]
    assert len(none) == 1 and none[0].startswith("no calibration and no conformal sets"), [str(w.message) for w in said]
    assert f"the starting model '{tmp_path / 'm0'}' has no calibration to refit" in none[0]
    assert [s for s in tuned.notes if s.startswith("WARNING: no calibration")] == [f"WARNING: {none[0]}"]


def test_train_prints_the_warnings_once_and_not_the_notes_copies(tmp_path):
    train = noise_folder(tmp_path / "train", 40, seed=1)
    # tiny_config's task, as a file
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nscales: [1.0]\n"
                                     "recipe: {epochs: 1, val_fraction: 0.3, ensemble_size: 1, batch_size: 16}\n")
    res = CliRunner().invoke(app, ["train", "--stamps", str(train), "--task", str(tmp_path / "t.yaml"),
                                   "-o", str(tmp_path / "m0"), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    few = [s for s in res.output.splitlines() if re.match(r"WARNING: the temperature [0-9.]+ was fitted on only ", s)]
    assert len(few) == 1, res.output
    assert "CalibrationFitWarning" not in res.output and "warning: the temperature" not in res.output
    assert few[0] in res.stderr and few[0] not in res.stdout  # a warning, on stderr, as calibrate says it


@pytest.mark.slow  # trains two fold models
def test_cross_validation_warns_each_fold_once(tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1, "val_fraction": 0.25})
    toy = make_synthetic(cfg, 24, seed=0)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        cv = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", progress=False,
                            device="cpu")
    texts = [str(w.message) for w in said if issubclass(w.category, CalibrationFitWarning)]
    # the first fold's caution in full, named by fold; the second's said as the same; nothing twice
    assert len([t for t in texts if t.startswith("fold 1: the temperature")]) == 1, texts
    assert any(t.startswith("fold 2: the same WARNING as fold 1") for t in texts), texts
    assert not any(t.startswith("the temperature") for t in texts) and len(texts) == len(set(texts)), texts
    assert np.any([n.startswith("fold 1: WARNING: the temperature") for n in cv.notes]), cv.notes
