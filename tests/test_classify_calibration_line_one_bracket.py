"""classify's calibration line is one sentence with one bracket, for the histogram and vector maps too.

Walking docs/uncertainty.md (2026-12-07), ``classify ... --model model_h`` (a histogram map) printed
"calibrated with histogram binning (15 bins per class) (3000 held-out rows: ...)": two brackets in a row, the
second read as an aside on the first. The map's figures now follow a comma; the held-out rows keep the bracket.
"""

from __future__ import annotations

import re

from astropy.table import Table


def _line(capsys, **meta) -> str:
    from starclass.cli.classify_cmd import _echo_trust

    out = Table({"class_pred": [1, 2]})
    out.meta.update({"calibrated": True, "calibration_n": 300, "calibration_source": "held.ecsv", **meta})
    _echo_trust(out)
    return capsys.readouterr().out.strip()


def test_histogram_line_has_one_bracket(capsys):
    line = _line(capsys, calibration_method="histogram", calibration_bins=15)
    assert not re.search(r"\)\s*\(", line), line  # old code: "(15 bins per class) (300 held-out rows: ...)"
    assert line.startswith("calibrated with histogram binning, 15 bins per class (300 held-out rows: held.ecsv)"), line
    line = _line(capsys, calibration_method="histogram", calibration_bins=None)
    assert not re.search(r"\)\s*\(", line) and "None" not in line and "not recorded" in line, line


def test_vector_line_has_one_bracket(capsys):
    line = _line(capsys, calibration_method="vector", calibration_scale=[1.0, 1.25], calibration_bias=[0.0, -0.5])
    assert not re.search(r"\)\s*\(", line), line
    assert "vector scaling, scale 1.000/1.250 and bias +0.000/-0.500 (300 held-out rows: held.ecsv)" in line, line
