"""ModelCalibration's repr is one short line, not its arrays.

Before: the dataclass repr printed every held-out probability and label (``clf.calibration_`` in a notebook
filled the screen: ``probs=array([[...`` for each row). Now: the map, its rows per class, their source, its NLL.
"""

from __future__ import annotations

import numpy as np

from starclass.learn.calibration import ModelCalibration


def test_the_repr_names_the_map_and_rows_without_the_arrays():
    rng = np.random.default_rng(0)
    p = rng.dirichlet([1.0, 1.0], size=500)
    y = (rng.random(500) < p[:, 1]).astype(int)
    cal = ModelCalibration.fit(p, y, [1, 2], source="held.csv")
    text = repr(cal)
    assert "\n" not in text and len(text) < 300, text
    assert "array" not in text and "probs=" not in text
    assert text.startswith(f"ModelCalibration(temperature {cal.temperature:.3f}; 500 rows (class 1: ")
    assert "held.csv" in text and f"NLL {cal.nll_before:.3f} -> {cal.nll_after:.3f}" in text
    vec = ModelCalibration.fit(p, y, [1, 2], method="vector")
    assert repr(vec).startswith("ModelCalibration(vector scaling (scale ")
