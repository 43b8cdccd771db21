"""The terminal names the task's classes as its tables and figures do: "2 (galaxy)", not "2" alone.

Before: for a task of classes 1 star and 2 galaxy (or open / globular / asterism) the figures said
"2 galaxy" and the tables had a ``name`` column, but ``evaluate`` printed "class 2: precision ...",
``classify`` "class_pred counts: 1: 20, 2: 20", ``train`` "training counts per class: 1: 15,
2: 15" and ``explain`` "class means over ...: 1: 20, 2: 20": the reader had to look the numbers
up in the task file. Now each is "2 (galaxy)", through
the one naming of :func:`starclass.evaluate.task.class_labels`; a class without a name of its own
("class 3", what a config without class_names fills in) keeps its number alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset, save_config
from starclass.schema import CLASS_NAMES

runner = CliRunner()
NAMES = ["open", "globular", "asterism"]


def _three_class_output(n: int = 60, seed: int = 4) -> Table:
    """A classified cutout folder of an open / globular / asterism task, as a CSV reads back."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 4, n)
    logits = rng.normal(size=(n, 3))
    logits[np.arange(n), ref - 1] += 1.5
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"file": [f"c{i:03d}.png" for i in range(n)], "label": np.array(NAMES)[ref - 1],
               "class_pred": p.argmax(axis=1) + 1})
    for k in range(3):
        t[f"prob_{k + 1}"] = p[:, k]
    return t


def _evaluate(tmp_path: Path, *args: str) -> str:
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--bootstrap", "0", "-o", str(tmp_path / "ev"),
                              *args])
    assert res.exit_code == 0, res.output
    return res.output


def test_evaluate_names_each_class_by_number_and_name(tmp_path):
    _three_class_output().write(tmp_path / "out.csv", format="ascii.csv")
    cfg = get_preset("m31-real", name="oga", classes=[1, 2, 3], class_names=NAMES, positive_class=None,
                     threshold=None, label_map={n: k + 1 for k, n in enumerate(NAMES)})
    out = _evaluate(tmp_path, "--label-column", "label", "--task", str(save_config(cfg, tmp_path / "oga.yaml")))
    assert "task oga: classes 1 (open), 2 (globular), 3 (asterism) (from --task)" in out, out
    for k, name in enumerate(NAMES, start=1):
        assert re.search(rf"^  class {k} \({name}\): precision [0-9.]+, recall", out, re.M), out
        assert f"  3class class {k} ({name}) vs rest: ROC AUC" in out, out
    assert not re.search(r"^  class \d:", out, re.M), out


def test_a_positive_class_is_named_in_the_task_and_threshold_lines(tmp_path):
    rng = np.random.default_rng(1)
    lab = rng.choice(["star", "galaxy"], 80)
    p2 = np.clip(np.where(lab == "galaxy", 0.7, 0.3) + rng.normal(0, 0.2, 80), 0.001, 0.999)
    Table({"file": [f"c{i}.png" for i in range(80)], "label": lab, "class_pred": np.where(p2 >= 0.5, 2, 1),
           "prob_1": 1 - p2, "prob_2": p2}).write(tmp_path / "out.csv", format="ascii.csv")
    cfg = get_preset("m31-real", name="sg", classes=[1, 2], class_names=["star", "galaxy"], positive_class=2,
                     label_map={"star": 1, "galaxy": 2})
    out = _evaluate(tmp_path, "--label-column", "label", "--task", str(save_config(cfg, tmp_path / "sg.yaml")))
    assert "task sg: classes 1 (star), 2 (galaxy); positive class 2 (galaxy) (from --task)" in out, out
    assert "  class 2 (galaxy): precision" in out and "  class 1 (star): precision" in out, out
    assert "threshold for 80% purity of class 2 (galaxy)" in out, out


def test_phangs_and_unnamed_classes_stay_sensible(tmp_path):
    rng = np.random.default_rng(2)
    ref = rng.integers(1, 5, 80)
    pred = np.where(rng.random(80) < 0.7, ref, rng.integers(1, 5, 80))
    Table({"id": np.arange(80), "x": 10.0 * np.arange(80), "y": np.zeros(80), "class_ref": ref,
           "class_pred": pred}).write(tmp_path / "out.csv", format="ascii.csv")
    out = _evaluate(tmp_path, "--no-science")
    # the PHANGS default: the schema's names of classes 1-4
    for k in range(1, 5):
        assert f"  class {k} ({CLASS_NAMES[k]}): precision" in out, out
    # a task config without class_names fills in "class k": the number alone, not "class 1 (class 1)"
    cfg = get_preset("m31-real", name="plain", classes=[1, 2, 3, 4], class_names=[], positive_class=None,
                     threshold=None, label_map={}, eval_merges={})
    out = _evaluate(tmp_path, "--task", str(save_config(cfg, tmp_path / "plain.yaml")), "--overwrite")
    assert "task plain: classes 1, 2, 3, 4 (from --task)" in out, out
    assert "  class 1: precision" in out and "(class 1)" not in out, out


@pytest.mark.usefixtures("single_thread")
def test_train_and_classify_name_their_class_counts(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "data").mkdir()
    rows = []
    for k in range(24):
        lab = "galaxy" if k % 3 == 0 else "star"  # 8 galaxies, 16 stars
        img = rng.normal(0, 1, (16, 16)).astype(np.float32)
        img[6:10, 6:10] += 3 if lab == "galaxy" else 8
        np.save(tmp_path / "data" / f"c{k}.npy", img)
        rows.append(f"c{k}.npy,{lab}")
    csv = tmp_path / "data" / "labels.csv"
    csv.write_text("file,label\n" + "\n".join(rows) + "\n")
    cfg = get_preset("m31-real", name="sg", stamp_size=16, classes=[1, 2], class_names=["star", "galaxy"],
                     label_map={"star": 1, "galaxy": 2}, positive_class=2, group_column=None,
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "sg.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(csv), "-o", str(tmp_path / "m"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    m = re.search(r"^training counts per class: 1 \(star\): (\d+), 2 \(galaxy\): (\d+)$", res.output, re.M)
    v = re.search(r"(\d+) training, (\d+) validation cutouts", res.output)
    assert m and v, res.output
    assert int(m.group(1)) + int(m.group(2)) == int(v.group(1))
    res = runner.invoke(app, ["classify", "--stamps", str(csv), "--model", str(tmp_path / "m"), "-o",
                              str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    pred = np.asarray(Table.read(tmp_path / "out.csv")["class_pred"])
    names = {1: "1 (star)", 2: "2 (galaxy)"}
    want = "class_pred counts: " + ", ".join(f"{names[int(c)]}: {int(np.sum(pred == c))}" for c in np.unique(pred))
    assert want in res.output, res.output
    # explain's class means too ("class means over ...: 1: 12, 2: 4" before)
    res = runner.invoke(app, ["explain", str(tmp_path / "m"), str(csv), "-o", str(tmp_path / "ex"), "-m", "gradcam"])
    assert res.exit_code == 0, res.output
    line = next(s for s in res.output.splitlines() if "class means over" in s)
    assert re.search(r"\((star|galaxy)\): \d+$", line) and not re.search(r"(: |, )[12]: \d", line), line
