"""``train --stamps STORE.h5`` without ``--task`` trains the task the store was cut for, as the store records it.

Until 2026-12-07 it trained the default task (legus4: StarcNet, 76 s an epoch on 300 stamps) on a store cut for
legus4-compact, or refused a store cut for another task's geometry naming legus4's; ``cutouts`` records the task
in the store. A ``--task`` that differs from the store in what matters is refused (store_fit), naming it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _store(tmp_path):
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    rng = np.random.default_rng(7)
    cfg = get_preset("m31-binary-compact", stamp_size=16, normalisation="zscore", scales=[1.0])
    images = {b: rng.normal(1.0, 0.1, (120, 120)).astype(np.float32) for b in cfg.bands}
    n = 16
    xy = rng.uniform(12, 108, (n, 2))
    table = Table({"id": np.arange(1, n + 1), "x": xy[:, 0], "y": xy[:, 1], "class_ref": [1, 3] * (n // 2)})
    make_store(images, table, tmp_path / "s.h5", cfg, progress=False)
    return tmp_path / "s.h5"


def test_train_without_task_trains_the_stores_task(tmp_path):
    store = _store(tmp_path)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--stamps", str(store), "-o", str(out), "--epochs", "1", "--ensemble", "1",
                              "--val-fraction", "0", "--device", "cpu", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    assert f"task m31-binary-compact, as stamp store {store} records" in text, text
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["name"] == "m31-binary-compact", manifest.get("config", {}).get("name")


def test_a_task_that_differs_from_the_store_is_refused_naming_it(tmp_path):
    store = _store(tmp_path)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", "m31-binary", "--stamps", str(store), "-o", str(out),
                              "--epochs", "1", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert f"stamp store {store} does not fit task 'm31-binary'" in text, text
    assert not (out / "manifest.json").exists()
