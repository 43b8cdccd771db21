"""The purity threshold of ``evaluate --pred-column class_joint`` names the columns it thresholds.

``evaluate`` of a ``classify --votes`` output, scoring ``class_joint``, printed "threshold for 80% purity
of class 1+2: 0.0324". The number is right: it is the lowest threshold on ``prob_joint_1 + prob_joint_2``
(the people and the model together) whose selection reaches 80% purity, and those sums sit near 0 or 1,
so the lowest one that keeps the purity is low. But the line did not say which score it thresholds, and
read as the model's P(1+2) (``prob_1 + prob_2``), whose threshold for that purity would be far higher.
It now says "on prob_joint_1 + prob_joint_2"; the value is checked here against the rule computed by hand.

``box_counts_common``'s meta named the catalogue whose photometry its counts use by its name alone
("truth"; "cat" for ``--pred-column class_ml`` of ``cat.ecsv``), which is no file and, where two inputs
share a stem, not which one: it now names the file as the user gave it, and the name of its rows in the
table's ``catalogue`` column beside it (``photometry_catalogue``).
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


CENTRES = {1: (1.2, 0.3), 2: (0.5, 0.3), 3: (0.5, -0.8), 4: (0.2, -1.5)}


def _photometry(box: np.ndarray) -> dict[str, np.ndarray]:
    v = np.full(box.size, 20.0)
    vi = np.array([CENTRES[int(b)][0] for b in box])
    ub = np.array([CENTRES[int(b)][1] for b in box])
    return {"mag_f336w": v + 0.3 + ub, "mag_f438w": v + 0.3, "mag_f555w": v, "mag_f814w": v - vi}


def test_box_counts_common_names_the_file_whose_photometry_it_counts_in(tmp_path, monkeypatch):
    rng = np.random.default_rng(5)
    n = 120
    x, y = rng.uniform(0, 900, n), rng.uniform(0, 900, n)
    box = rng.integers(1, 5, n)
    (tmp_path / "sub").mkdir()
    # the prediction has no photometry: the counts use the first reference's, sub/truth.ecsv; a second
    # reference of the same stem (truth.ecsv, named truth_2) has photometry too, of other boxes
    Table({"id": np.arange(n), "x": x, "y": y, "class_pred": rng.integers(1, 5, n)}).write(tmp_path / "pred.ecsv")
    Table({"id": np.arange(n), "x": x, "y": y, **_photometry(box),
           "class_ref": rng.integers(1, 5, n)}).write(tmp_path / "sub" / "truth.ecsv")
    Table({"id": np.arange(n), "x": x, "y": y, **_photometry(5 - box),
           "class_ref": rng.integers(1, 5, n)}).write(tmp_path / "truth.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "pred.ecsv", "-r", "sub/truth.ecsv", "-r", "truth.ecsv",
                              "--bootstrap", "0", "-o", "ev"])
    assert res.exit_code == 0, res.output
    common = Table.read(tmp_path / "ev" / "tables" / "box_counts_common.ecsv")
    assert common.meta["photometry"] == "sub/truth.ecsv"
    assert common.meta["photometry_catalogue"] == "truth"
    assert "truth" in set(common["catalogue"]) and "truth_2" in set(common["catalogue"])
    # the counts are in sub/truth.ecsv's boxes: the prediction's class 1 rows per box, counted by hand
    pred = Table.read(tmp_path / "pred.ecsv")
    row = common[(common["catalogue"] == "pred") & (common["class"] == "1")][0]
    assert [int(row[f"box_{k}"]) for k in range(1, 5)] == [
        int(np.sum((np.asarray(pred["class_pred"]) == 1) & (box == k))) for k in range(1, 5)]
    # one file's two columns (--pred-column): the file, and its rows under the scored column's name
    Table({"id": np.arange(n), "x": x, "y": y, **_photometry(box), "class_ml": rng.integers(1, 5, n),
           "class_ref": rng.integers(1, 5, n)}).write(tmp_path / "sub" / "cat.ecsv")
    res = runner.invoke(app, ["evaluate", "sub/cat.ecsv", "--pred-column", "class_ml", "--bootstrap", "0",
                              "-o", "ev2"])
    assert res.exit_code == 0, res.output
    common = Table.read(tmp_path / "ev2" / "tables" / "box_counts_common.ecsv")
    assert common.meta["photometry"] == "sub/cat.ecsv"
    assert common.meta["photometry_catalogue"] in set(common["catalogue"])
