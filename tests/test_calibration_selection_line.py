"""``simulate --calibrate``'s summary names the cuts it made, and no cut it did not (2026-12-07).

``starclass simulate OUT --preset ngc1566 --calibrate`` (docs/simulator.md) printed "2078 of 3000
candidates kept by the selection (CI >= 1.35, m_V <= None)": the magnitude cut, never made by the
command, read as a cut at an unknown magnitude. A ground-based field (no CI cut) gave "CI >= None" too.
"""

from __future__ import annotations

import pytest

from starclass.simulate.calibration import summary_text

_S = {"4class": {"majority": 0.4, "ci_tree": 0.5, "tree3": 0.6, "gbm": 0.7},
      "binary": {"majority": 0.6, "ci_tree": 0.7, "tree3": 0.8, "gbm": 0.9}}


def _line(ci_min, mag_limit) -> str:
    res = {"vs_truth": _S, "vs_humans": _S, "class_fractions_truth": {"1": 0.1, "2": 0.2, "3": 0.3, "4": 0.4},
           "class_fractions_humans": {"1": 0.1, "2": 0.2, "3": 0.3, "4": 0.4}, "humans_vs_truth": 0.8,
           "n": 2078, "n_candidates": 3000, "selection": {"ci_min": ci_min, "mag_limit": mag_limit}}
    return next(ln for ln in summary_text(res).splitlines() if ln.startswith("2078 of 3000"))


@pytest.mark.parametrize(("ci_min", "mag_limit", "said"), [
    (1.35, None, "kept by the selection (CI >= 1.35);"),
    (None, 24.0, "kept by the selection (m_V <= 24);"),
    (1.35, 24.5, "kept by the selection (CI >= 1.35, m_V <= 24.5);"),
    (None, None, "kept (no selection: no CI or m_V cut);"),
])
def test_the_line_names_only_the_cuts_made(ci_min, mag_limit, said):
    line = _line(ci_min, mag_limit)
    assert said in line and "None" not in line, line
