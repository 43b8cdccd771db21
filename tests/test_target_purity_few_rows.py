"""train --target-purity warns of a threshold chosen on too few validation rows, as of the temperature.

``train --task task1.yaml --stamps data/labels.csv --target-purity 0.8 -o mtp`` on 60 PAndAS
cutouts chose the threshold on 9 validation rows (4 clusters) without a word, where the
temperature fitted on the same rows got "it is not pinned down". The model now records the
rows it was chosen on (per class, and their digests), and train, info and classify warn.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset, save_config
from starclass.learn.provenance import recorded_digests

runner = CliRunner()


def test_a_threshold_chosen_on_twenty_rows_is_warned_of_and_its_rows_recorded(tmp_path):
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[:24, :24] - 11.5
    rows = ["file,label,object_id"]
    for k in range(40):
        label = ("cluster", "galaxy")[k % 2]
        width = (1.5 if label == "cluster" else 4.0) * rng.uniform(0.8, 1.2)
        img = 200 * np.exp(-(xx ** 2 + yy ** 2) / (2 * width ** 2)) + rng.normal(20, 5, xx.shape)
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(tmp_path / f"o{k}.png")
        rows.append(f"o{k}.png,{label},OBJ{k}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 2, "batch_size": 16,
                                                                     "val_fraction": 0.5}), tmp_path / "t.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                              "--target-purity", "0.6", "-o", str(tmp_path / "m"), "--no-progress",
                              "--device", "cpu"])
    assert res.exit_code == 0, res.output
    doc = read_manifest(tmp_path / "m")
    tuned = doc["tuned_threshold"]
    n = tuned["n_val"]
    assert "WARNING: the threshold " in res.output
    assert f"for purity 0.60 was chosen on only {n} validation rows (per class 1 (cluster): " in res.output
    assert "with fewer than 100 rows" in res.output and "it is not pinned down" in res.output
    # the rows it was chosen on: per class, and which (not the training rows)
    assert sum(tuned["class_counts"].values()) == n and tuned["class_counts"]["1"] == tuned["n_val_positive"]
    assert tuned["source"] == "validation split" and tuned["rows"]["n"] == n
    chosen_on = recorded_digests({"training_rows": tuned["rows"]})
    assert len(chosen_on) == n and not np.isin(chosen_on, recorded_digests(doc)).any()
    assert tuned["caution"] in res.output
    # info and classify say it again, as they say the temperature's
    res = runner.invoke(app, ["info", str(tmp_path / "m")])
    assert res.exit_code == 0 and f"chosen by train --target-purity 0.6 on {n} validation rows" in res.output
    assert f"WARNING: {tuned['caution']}" in res.output
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "labels.csv"), "--model", str(tmp_path / "m"),
                              "-o", str(tmp_path / "c.ecsv"), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0 and f"WARNING: {tuned['caution']}" in res.output, res.output
    # a threshold given on the command line is not the stored one: no warning of the stored one's rows
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "labels.csv"), "--model", str(tmp_path / "m"),
                              "--threshold", "0.5", "-o", str(tmp_path / "g.ecsv"), "--no-progress",
                              "--device", "cpu"])
    assert res.exit_code == 0 and tuned["caution"] not in res.output, res.output
