"""Library messages a notebook sees name the Python call; the command line says its own options.

Found 2026-12-07: ``fit``'s fine-tune warning, the calibration's TTA mismatch, a malformed calibration entry and
the conformal sets' few-rows remedy said "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'",
"classify with --tta", "(classify --coverage)": options a notebook's call does not have. They now say the
function and its argument, and :func:`starclass.errors.cli_words` (which every command applies to what it
lets through) says the command line's words.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError, cli_words

CLI_ONLY = ("starclass calibrate", "--tta", "--coverage", "--method", "--stamps", "MOSAICS -c")


def _python_words(text: str) -> None:
    assert not [w for w in CLI_ONLY if w in text], text


def test_the_tta_mismatch_names_the_function_and_the_command_its_options():
    from starclass.learn.calibration import ModelCalibration

    plain = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
    tta_only = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2])
    tta_only.tta = True  # fitted under TTA alone: classify without --tta is told to add it
    for said in (plain.tta_mismatch(True), tta_only.tta_mismatch(False)):
        _python_words(said)
        assert "calibrate_model(" in said
        assert "'starclass calibrate MODEL ... --overwrite'" in cli_words(said)
    assert "classify with --tta" in cli_words(tta_only.tta_mismatch(False))
    assert "not applied under --tta" in cli_words(plain.tta_mismatch(True))


def test_a_malformed_calibration_entry_names_the_function():
    from starclass.learn.calibration import ModelCalibration

    entry = ModelCalibration.fit([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], [1, 2]).to_dict()
    entry["tta"] = "false"
    with pytest.raises(StarclassError) as caught:
        ModelCalibration.from_dict(entry, "m/manifest.json")
    _python_words(str(caught.value))
    assert "refit it with 'starclass calibrate'" in cli_words(str(caught.value))


def test_the_few_rows_remedy_names_the_function_and_the_argument():
    from starclass.learn.conformal import _few_rows_remedy

    said = _few_rows_remedy([40, 5], 0.9)
    _python_words(said)
    assert "calibrate_model(" in said and "coverage argument" in said
    assert "('starclass calibrate')" in cli_words(said) and "(classify --coverage)" in cli_words(said)


@pytest.mark.parametrize(("flags", "form"), [
    ({}, "'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite'"),
    (None, "(a held-out cutout folder) or 'starclass calibrate MODEL MOSAICS")])
def test_the_fine_tunes_calibrate_advice_names_the_function(flags, form):
    from starclass.learn.train import _calibrate_form

    said = _calibrate_form(None, flags)
    _python_words(said)
    assert "calibrate_model(" in said
    assert form in cli_words(said)
