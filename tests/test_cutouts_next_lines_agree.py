"""``train`` and ``calibrate`` on cutouts end with the same command to classify cutouts with the model.

Walking docs/uncertainty.md (2026-12-07): train's ``next:`` line said ``classify --stamps CUTOUTS ... -o
classified.csv`` and calibrate's, for the same step, ``classify --stamps LIST ... -o classified.ecsv``: two
placeholders for one thing and two output formats. Both now say ``--stamps LIST`` (the placeholder inspect,
suggest and the docs use for a cutout folder), say what LIST is, and write ECSV, which the docs recommend.
"""

from __future__ import annotations

from starclass.cli.calibrate_cmd import calibrate_next_line
from starclass.cli.train_cmd import next_after_training


def _classify(line: str) -> str:
    """The classify command of a ``next:`` line, up to its closing quote (single, or double around a quoted path)."""
    start = line.index("starclass classify")
    quote = line[start - 1]
    return line[start:line.index(quote, start)]


def test_train_and_calibrate_give_one_classify_command_for_cutouts():
    for model in ("m", "my model"):
        trained = next_after_training(model, cutouts=True)
        calibrated = calibrate_next_line(model, stamps=True, tta=False)
        command = _classify(trained)
        assert command == _classify(calibrated), (trained, calibrated)
        assert "--stamps LIST " in command and command.endswith("-o classified.ecsv"), command
        # what LIST stands for, said in both
        assert "(LIST: a folder or CSV of cutouts" in trained and "(LIST: a folder or CSV of cutouts" in calibrated
    assert "CUTOUTS" not in next_after_training("m", cutouts=True, calibrate_first="it has no calibration")
