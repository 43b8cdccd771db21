"""A calibration's fit under TTA at an end of its search is warned of where it is fitted, not first by classify --tta.

Walking docs/uncertainty.md section 1 on the PAndAS cutouts, ``calibrate model --stamps heldout_labels.csv --method
vector`` printed "under TTA (classify --tta): vector scaling (scale 0.050/1.764, ...)" and no warning: 0.05 is the
end of the search. Only ``classify --tta`` said so, later. ``warn_cautions`` (which ``starclass calibrate``,
``calibrate_model`` and ``CNNClassifier.calibrate`` warn through) now names the TTA fit's bound too.
"""

from __future__ import annotations

import warnings

import numpy as np

from starclass.errors import CalibrationFitWarning
from starclass.learn.calibration import ModelCalibration, warn_cautions


def test_the_tta_fit_at_an_end_of_its_search_is_warned_at_calibration() -> None:
    rng = np.random.default_rng(0)
    p1 = rng.uniform(0.05, 0.95, 400)
    probs = np.column_stack([p1, 1 - p1])
    labels = (rng.random(400) > p1).astype(int)  # drawn from the probabilities: calibrated, inside the search
    cal = ModelCalibration.fit(probs, labels, [1, 2])
    assert cal.cautions() == []
    sure = np.where(labels[:, None] == np.arange(2), 0.8, 0.2)  # every row right: the temperature runs to its end
    cal.with_tta = ModelCalibration.fit(sure, labels, [1, 2], tta=True)
    assert cal.with_tta.warning() is not None
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        warned = warn_cautions(cal)
    msgs = [str(w.message) for w in said if issubclass(w.category, CalibrationFitWarning)]
    assert len(msgs) == 1 and msgs == warned, msgs
    assert msgs[0].startswith("under TTA (classify --tta): the fitted temperature") and "end of its search" in msgs[0]
    cal.with_tta = None  # without a fit under TTA there is nothing more to say
    assert warn_cautions(cal) == []


def test_info_names_the_tta_fit_at_an_end_of_its_search(tmp_path) -> None:
    """``starclass info MODEL`` said the cautions of the fit without TTA only; the TTA fit's bound is said too."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.checkpoint import load_model, save_calibration, write_untrained_model
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "m", get_preset("m31-real", stamp_size=16))
    rng = np.random.default_rng(1)
    p1 = rng.uniform(0.05, 0.95, 400)
    labels = (rng.random(400) > p1).astype(int)
    cal = ModelCalibration.fit(np.column_stack([p1, 1 - p1]), labels, [1, 2])
    cal.with_tta = ModelCalibration.fit(np.where(labels[:, None] == np.arange(2), 0.8, 0.2), labels, [1, 2], tta=True)
    save_calibration(model, cal.to_dict(), [c["digest"] for c in load_model(model).checkpoints], overwrite=True)
    out = CliRunner().invoke(app, ["info", str(model)])
    assert out.exit_code == 0, out.output
    said = " ".join(out.output.split())
    assert "WARNING: under TTA (classify --tta): the fitted temperature" in said, out.output
