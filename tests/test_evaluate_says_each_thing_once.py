"""evaluate's lines read as a new user reads them, on a small classified catalogue (2026-12-07).

Walking ``starclass demo --size 256 --n-candidates 60 --epochs 1`` and ``evaluate`` of its output:

* the accuracies were printed twice: "truth: accuracy[4class] = 0.190, accuracy[12v34] = ..." and, under it,
  "4class: accuracy 0.190 [0.086, 0.294], ..." with the interval: now once, on the comparison's lines;
* a catalogue that records no task printed "task (unnamed): classes 1, 2 ... (from probabilities)" and then
  "note: the catalogue records no task: classes [1, 2] taken from its prob_<k> columns", the same twice: one line;
* the calibration line ran brackets together, "[0.0000, 0.1851] (its lower end cut at 0, ...) (15 equal-width
  bins)" and "(summed over both classes ...) (raw, prob_<k>_raw: ...)": one sentence, one bracket at a time;
* where the calibration made the ECE worse than the raw probabilities' (a temperature fitted on the demo's 7
  held-out rows can), the two figures stood side by side unremarked: a warning says so, and what to do.
"""

from __future__ import annotations

import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog

runner = CliRunner()


def _binary(n: int = 120, seed: int = 2) -> Table:
    """A binary classification whose raw probabilities are those the labels were drawn from (well calibrated)."""
    rng = np.random.default_rng(seed)
    p1 = rng.uniform(0.05, 0.95, n)
    ref = np.where(rng.random(n) < p1, 1, 2)
    return Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
                  "class_ref": ref, "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})


def _evaluate(tmp_path, table: Table, name: str = "c", boot: str = "50"):
    write_catalog(table, tmp_path / f"{name}.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / f"{name}.ecsv"), "-o", str(tmp_path / f"ev_{name}"),
                              "--bootstrap", boot, "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    return res.stdout.splitlines()


def test_the_accuracy_and_the_inferred_task_are_said_once(tmp_path):
    t = _binary()
    lines = _evaluate(tmp_path, t)
    acc = float(np.mean(t["class_pred"] == t["class_ref"]))
    # the one line of the accuracy, with its interval; no headline repeating it
    said = [line for line in lines if re.search(r"[:,] accuracy[ \[]", line)]  # not the one-vs-rest accuracies
    assert len(said) == 1 and said[0].startswith(f"  2class: accuracy {acc:.3f} ["), lines
    assert not [line for line in lines if "accuracy[" in line], lines
    # how the task was found, on the task line alone
    task = [line for line in lines if line.startswith("task ")]
    assert task == ["task (unnamed): classes 1, 2; positive class 1 (the first class: the task names no positive "
                    "class); the catalogue records no task: its classes are taken from its prob_<k> columns (give "
                    "--task to be sure)"], lines
    assert not [line for line in lines if "records no task" in line and not line.startswith("task ")], lines


def test_the_calibration_line_is_one_sentence_with_no_brackets_run_together(tmp_path):
    t = _binary()
    t["prob_1_raw"], t["prob_2_raw"] = t["prob_1"], t["prob_2"]
    lines = _evaluate(tmp_path, t)
    cal = next(line for line in lines if line.startswith("  calibration: "))
    assert not re.search(r"[)\]] [(\[]", cal), cal  # "(...) (...)" or "[...] (...)": asides of asides
    assert re.fullmatch(r"  calibration: ECE [\d.]+ \[[\d.]+, [\d.]+\] over 15 equal-width bins.*; Brier [\d.]+ "
                        r"\[[\d.]+, [\d.]+\], summed over both classes from 0 to 2 \(scikit-learn's binary "
                        r"brier_score_loss is half: [\d.]+\); before calibration, on prob_<k>_raw: ECE [\d.]+ "
                        r"against [\d.]+ of a perfectly calibrated model, Brier [\d.]+", cal), cal


def test_a_calibration_that_made_the_ece_worse_is_said_with_what_to_do(tmp_path):
    t = _binary()
    # the raw probabilities are the ones the labels were drawn from; the "calibrated" ones sharpened towards 0 and 1,
    # as a temperature fitted on a handful of rows can make them
    t["prob_1_raw"], t["prob_2_raw"] = t["prob_1"], t["prob_2"]
    sharp = np.where(t["prob_1"] >= 0.5, 0.99, 0.01)
    t["prob_1"], t["prob_2"] = sharp, 1 - sharp
    t.meta.update({"calibration_n": 7, "model": "demo/model", "temperature": 0.2})
    lines = _evaluate(tmp_path, t, boot="0")
    cal = next(line for line in lines if line.startswith("  calibration: "))
    ece, ece_raw = (float(v) for v in re.findall(r"ECE ([\d.]+)", cal))
    assert ece > ece_raw, cal
    at = lines.index(cal)
    assert lines[at + 1] == (f"  warning: the calibration made the probabilities worse calibrated here: ECE {ece:.4f} "
                             f"against {ece_raw:.4f} before it (prob_<k>_raw), fitted on only 7 held-out rows; fit it "
                             "again on more labelled candidates ('starclass calibrate demo/model ...'), or classify "
                             "without it ('starclass classify ... --no-calibration', whose prob_<k> are the raw "
                             "ones)"), lines[at:at + 2]
    # where the calibration helped (the two swapped), nothing is said
    t["prob_1"], t["prob_1_raw"] = t["prob_1_raw"], t["prob_1"]
    t["prob_2"], t["prob_2_raw"] = t["prob_2_raw"], t["prob_2"]
    assert not [line for line in _evaluate(tmp_path, t, "better", boot="0") if "worse" in line]
