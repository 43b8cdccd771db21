"""The purity threshold of ``evaluate --pred-column class_joint`` names the columns it thresholds.

``evaluate`` of a ``classify --votes`` output, scoring ``class_joint``, printed "threshold for 80% purity
of class 1+2: 0.0324". The number is right: it is the lowest threshold on ``prob_joint_1 + prob_joint_2``
(the people and the model together) whose selection reaches 80% purity, and those sums sit near 0 or 1,
so the lowest one that keeps the purity is low. But the line did not say which score it thresholds, and
read as the model's P(1+2) (``prob_1 + prob_2``), whose threshold for that purity would be far higher.
It now says "on prob_joint_1 + prob_joint_2"; the value is checked here against the rule computed by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _lowest_threshold(y: np.ndarray, score: np.ndarray, target: float = 0.8, min_selected: int = 10) -> float:
    """The lowest score s whose selection score >= s has purity >= target and >= min_selected rows."""
    best = None
    for s in np.unique(score):
        sel = score >= s
        if sel.sum() >= min_selected and y[sel].mean() >= target and (best is None or s < best):
            best = s
    assert best is not None
    return float(best)


def test_the_threshold_of_class_joint_names_prob_joint_and_is_the_lowest_that_reaches_the_purity(tmp_path):
    rng = np.random.default_rng(3)
    n = 300
    ref = rng.integers(1, 5, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 900, n), "y": rng.uniform(0, 900, n),
               "class_ref": ref})
    # a weak model, and a sharp joint posterior (people's votes): near 0 or 1, the right class mostly
    for prefix, strength in (("prob", 0.6), ("prob_joint", 6.0)):
        z = rng.normal(0, 1.5, (n, 4))
        z[np.arange(n), ref - 1] += strength
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        for k in range(1, 5):
            t[f"{prefix}_{k}"] = p[:, k - 1]
    t["class_pred"] = np.argmax([t[f"prob_{k}"] for k in range(1, 5)], axis=0) + 1
    t["class_joint"] = np.argmax([t[f"prob_joint_{k}"] for k in range(1, 5)], axis=0) + 1
    t.write(tmp_path / "joint.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "joint.ecsv"), "--task", "legus4", "--pred-column",
                              "class_joint", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "threshold for 80% purity of class 1+2" in ln)
    assert "threshold for 80% purity of class 1+2 on prob_joint_1 + prob_joint_2: " in line, line
    y = np.isin(ref, [1, 2])
    joint = _lowest_threshold(y, np.asarray(t["prob_joint_1"]) + np.asarray(t["prob_joint_2"]))
    printed = float(line.split("prob_joint_2: ")[1].split()[0])
    # printed rounded down to the fewest decimals that select the same rows (threshold_text)
    assert printed <= joint and np.array_equal(
        (np.asarray(t["prob_joint_1"]) + np.asarray(t["prob_joint_2"])) >= printed,
        (np.asarray(t["prob_joint_1"]) + np.asarray(t["prob_joint_2"])) >= joint)
    # low because the joint sums are near 0 or 1, not because the model's were read
    assert joint < 0.5
    # the model's class_pred keeps its line as it was (no columns named: its own prob_<k>)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "joint.ecsv"), "--task", "legus4", "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "ev2")])
    assert res.exit_code == 0, res.output
    assert "threshold for 80% purity of class 1+2: " in res.output
    assert "prob_joint" not in next(ln for ln in res.output.splitlines() if "purity of class 1+2" in ln)

