"""``classify --stamps`` of the list a model was calibrated on (``calibrate MODEL --stamps HELD.csv``) says so.

Walking the PAndAS cutouts as an M31 team (2026-12-07): the labelled objects split in two, the model
trained on one half and calibrated on the other (train's next line: "calibrate it first ... --stamps
HELD_OUT.csv"), then ``classify --stamps HELD_OUT.csv`` and ``evaluate`` scored the conformal coverage
(0.910 at 90%) and the ECE on the very rows they were fitted on, without a word. On mosaics the
calibration field was said (``tests/test_classify_calibration_field.py``); cutouts now are too.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _list(root, name: str, n: int, seed: int):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:16, :16]
    (root / name).mkdir(parents=True)
    rows = ["file,label,object_id"]
    for i in range(n):
        label = ("cluster", "galaxy")[i % 2]
        width = 1.5 if label == "cluster" else 4.0
        a = 40 + 180 * np.exp(-0.5 * ((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / width ** 2) + rng.normal(0, 6, xx.shape)
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(root / name / f"o{i}.png")
        rows.append(f"{name}/o{i}.png,{label},{name}{i}")
    (root / f"{name}.csv").write_text("\n".join(rows) + "\n")
    return root / f"{name}.csv"


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, " ".join(res.output.split())


def test_classifying_the_calibration_list_is_said_in_sample(tmp_path):
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    train, held, test = (_list(tmp_path, name, n, seed) for name, n, seed in (("train", 16, 0), ("held", 12, 1),
                                                                                ("test", 10, 2)))
    base = ["--no-progress", "--device", "cpu"]
    res, text = _run(["train", "--task", tmp_path / "t.yaml", "--stamps", train, *base, "-o", tmp_path / "m"])
    assert res.exit_code == 0, text
    res, text = _run(["calibrate", tmp_path / "m", "--stamps", held, "--overwrite", "--no-progress"])
    assert res.exit_code == 0, text
    res, text = _run(["classify", "--stamps", held, "--model", tmp_path / "m", *base, "-o", tmp_path / "h.csv"])
    assert res.exit_code == 0, text
    assert (f"was calibrated on 12 of these 12 labelled rows (its calibration's rows: {held}): their calibrated "
            "probabilities and conformal sets are in-sample") in text, text
    # a list it was neither trained nor calibrated on: nothing said
    res, text = _run(["classify", "--stamps", test, "--model", tmp_path / "m", *base, "-o", tmp_path / "t.csv"])
    assert res.exit_code == 0, text
    assert "was calibrated on" not in text, text
