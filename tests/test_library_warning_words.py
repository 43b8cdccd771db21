"""A library warning names a notebook's function and argument; the command line says its options (2026-12-07).

``fit`` in a notebook (docs/training.md "From Python") on a small field warned "... fit it on a larger labelled
held-out set ('starclass calibrate MODEL ... --overwrite'), or train with a larger --val-fraction": options of a
command the notebook user is not running. The library now names ``calibrate_model(...)`` and the recipe's
``val_fraction``, and the command line turns them into its own words with ``errors.cli_words``, the one
mechanism that already turns ``overwrite=True`` into ``--overwrite``.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np

from starclass.cli._app import held_warnings, show_warning
from starclass.errors import CalibrationFitWarning
from starclass.learn.calibration import ModelCalibration, warn_cautions

PYTHON = ("calibrate_model(", "val_fraction")
CLI = ("--val-fraction", "starclass calibrate")


def _few_rows(source: str = "validation split") -> ModelCalibration:
    rng = np.random.default_rng(0)
    y = np.arange(40) % 4
    z = rng.normal(0, 1.0, size=(40, 4))
    z[np.arange(40), y] += 1.5
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return ModelCalibration.fit(p, y, [1, 2, 3, 4], source=source)


def test_a_notebook_hears_the_function_and_the_argument():
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        warn_cautions(_few_rows())
    text = " ".join(str(w.message) for w in said)
    assert "only 40 held-out rows" in text, text
    assert all(w in text for w in PYTHON), text
    assert not any(w in text for w in CLI), text


def test_the_command_line_says_its_options():
    cal = _few_rows()
    # as calibrate and train hold them (said after their result line)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with held_warnings(CalibrationFitWarning) as held:
            warn_cautions(cal)
    # and as any other command shows a warning as it comes
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        for c in cal.cautions():
            show_warning(c, CalibrationFitWarning, "x.py", 1)
    for text in (" ".join(held), err.getvalue()):
        assert "only 40 held-out rows" in text, text
        assert "'starclass calibrate MODEL ... --overwrite'" in text and "a larger --val-fraction" in text, text
        assert "calibrate_model" not in text and "val_fraction" not in text, text
