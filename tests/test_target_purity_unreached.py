"""train --target-purity that no threshold reaches keeps the model it wrote, and says so with exit status 0.

It exited 2 with "error: --target-purity 0.99: on the 40 validation candidates no threshold reaches ...; the
model in m is kept with the task's threshold (None)": exit status 2 reads as "nothing was written", yet the
model was written (after all the training), and "(None)" was the task's threshold as Python prints it. Now a
warning says no threshold was stored, the best purity reached, what classify decides by and what to do next.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import TUNED_THRESHOLD, read_manifest
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


def test_an_unreached_target_purity_keeps_the_model_and_says_so(tmp_path):
    # noise cutouts, one cluster in four: the model cannot tell the classes apart, so no selection of at
    # least 5 validation cutouts is 99% clusters
    rng = np.random.default_rng(3)
    rows = ["file,label,object_id"]
    for k in range(80):
        Image.fromarray(np.clip(rng.normal(100, 20, (24, 24)), 0, 255).astype(np.uint8)).save(tmp_path / f"o{k}.png")
        rows.append(f"o{k}.png,{'cluster' if k % 4 == 0 else 'galaxy'},OBJ{k}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16,
                                                                     "val_fraction": 0.5}), tmp_path / "t.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                              "--target-purity", "0.99", "-o", str(tmp_path / "m"), "--no-progress",
                              "--device", "cpu"])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, said
    assert "error:" not in said and "(None)" not in said, said
    assert "WARNING: --target-purity 0.99 was not reached: on the 40 validation cutouts no threshold reaches " \
           "purity 0.99 with at least " in said, said
    assert "best purity " in said and "No threshold was stored" in said, said
    # m31-real has no threshold of its own: classify takes the most probable class, as said
    assert get_preset("m31-real").threshold is None
    assert f"the model in {tmp_path / 'm'} is kept as trained and classify takes the most probable class" in said
    assert "'starclass evaluate OUT.ecsv --target-purity 0.99'" in said, said
    # the model is there and whole, with no threshold stored
    doc = read_manifest(tmp_path / "m")
    assert TUNED_THRESHOLD not in doc and doc["members"]
    # cutouts are called cutouts, not candidates (detected catalogue rows)
    assert "40 training, 40 validation cutouts" in said and "validation candidates" not in said, said


def test_an_unreached_target_is_said_as_given():
    # 0.999 was said "purity 1.00" (two decimals): train's warning then named 0.999 and 1.00 for one target
    from starclass.errors import StarclassError
    from starclass.evaluate.threshold import threshold_for_purity

    y, score = np.array([1, 0, 1, 0, 1, 0], bool), np.linspace(0.9, 0.4, 6)
    with pytest.raises(StarclassError, match=r"^no threshold reaches purity 0\.999 with at least 3 objects"):
        threshold_for_purity(y, score, 0.999, min_selected=3)
    with pytest.raises(StarclassError, match=r"^no threshold reaches purity 0\.80 with at least 3 objects"):
        threshold_for_purity(y, score, 0.8, min_selected=3)
