"""The Python calibration functions warn (CalibrationWarning) where ``starclass calibrate`` says WARNING.

``calibrate`` printed the fitted map's cautions (too few held-out rows, a temperature at an end of its
search) from ``cal.cautions()`` itself; ``learn.calibration.calibrate_model``, ``CNNClassifier.calibrate``
and ``CNNClassifier.fit`` (its validation split's calibration) said nothing of them in a notebook. They
now warn with :class:`starclass.errors.CalibrationWarning`, once each, and the command prints those warnings.
"""

from __future__ import annotations

import re
import warnings

import pytest
from typer.testing import CliRunner

from finetune_setup import folder_inputs, noise_folder, tiny_config  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import CalibrationWarning


def _said(fn):
    """What ``fn()`` warns, every warning kept (none filtered as said before), and its result."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        out = fn()
    return [w for w in said if issubclass(w.category, CalibrationWarning)], out


@pytest.fixture(scope="module")
def toy():
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    return cfg, make_synthetic(cfg, 40, seed=0), make_synthetic(cfg, 30, seed=1)


def test_calibrate_model_warns_of_too_few_rows_once(toy, tmp_path):
    from starclass.learn.calibration import calibrate_model
    from starclass.learn.checkpoint import write_untrained_model

    cfg, _, held = toy
    model = write_untrained_model(tmp_path / "m", cfg)
    said, cal = _said(lambda: calibrate_model(model, held.inputs, held.class_ref, source="held-out rows"))
    texts = [str(w.message) for w in said]
    few = [t for t in texts if f"was fitted on only {cal.n} held-out rows" in t]
    assert len(few) == 1, texts  # once, not once per pass
    assert texts.count(few[0]) == 1 and few[0] in cal.cautions(list(cfg.class_names))
    # every caution of the fit is warned, and the rows that cannot be checked against training ones too
    assert set(cal.cautions(list(cfg.class_names))) <= set(texts)
    assert any("no record of its training rows" in t for t in texts), texts
    assert all(w.filename == __file__ for w in said), [w.filename for w in said]  # the notebook's line


def test_the_estimator_warns_at_fit_and_at_calibrate(toy):
    from starclass.learn.estimator import CNNClassifier

    cfg, train, held = toy
    said, clf = _said(lambda: CNNClassifier(cfg, epochs=1, device="cpu").fit(train.inputs, train.class_ref))
    n_val = clf.model_.calibration["n"]
    assert [str(w.message) for w in said if f"fitted on only {n_val} held-out rows" in str(w.message)], said
    said, clf = _said(lambda: clf.calibrate(held.inputs, held.class_ref))
    texts = [str(w.message) for w in said]
    assert sum(f"was fitted on only {clf.model_.calibration['n']} held-out rows" in t for t in texts) == 1, texts
    assert all(w.filename == __file__ for w in said), [w.filename for w in said]


def test_the_command_prints_the_librarys_warnings_once_after_the_result(tmp_path):
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = tiny_config()
    x, y = folder_inputs(noise_folder(tmp_path / "train", 40, seed=1), cfg)
    fit(cfg, x, y, outdir=tmp_path / "m0", progress=False, device="cpu")
    held = noise_folder(tmp_path / "held", 30, seed=2)
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path / "m0"), "--stamps", str(held), "--overwrite",
                                   "--device", "cpu"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    few = [i for i, s in enumerate(lines) if re.match(r"WARNING: the temperature [0-9.]+ was fitted on only 30 ", s)]
    done = [i for i, s in enumerate(lines) if s.startswith("calibrated ")]
    assert len(few) == 1 and len(done) == 1 and few[0] > done[0], res.output
    assert "CalibrationWarning" not in res.output and "fitted on only 30" not in "".join(lines[:done[0]])
