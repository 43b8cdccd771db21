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
    assert "classify --stamps stamps.h5" in text and "MOSAICS -c CANDIDATES --model" not in text, text


def test_a_task_that_differs_from_the_store_is_refused_naming_it(tmp_path):
    store = _store(tmp_path)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", "m31-binary", "--stamps", str(store), "-o", str(out),
                              "--epochs", "1", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert f"stamp store {store} does not fit task 'm31-binary'" in text, text
    assert not (out / "manifest.json").exists()


def test_training_on_a_store_ends_with_store_commands(tmp_path):
    """The next: line after training on a store named 'classify MOSAICS -c CANDIDATES' (and 'calibrate ... MOSAICS
    -c HELD_OUT.ecsv'): inputs the user of a store never gave, where 'classify --stamps STORE.h5' exists."""
    from starclass.cli.train_cmd import next_after_training

    line = next_after_training("m", cutouts=False, stores=True, calibrate_first="it has no calibration")
    assert "'starclass calibrate m --stamps HELD_OUT.h5 --overwrite'" in line, line
    assert "'starclass classify --stamps stamps.h5 --model m -o classified.ecsv'" in line, line
    assert "MOSAICS -c CANDIDATES --model" not in line and "HELD_OUT.ecsv" not in line, line


def test_a_store_is_calibrated_and_classified_naming_the_model(tmp_path):
    """calibrate --stamps STORE.h5 was refused ("give the mosaics instead"); the cautions of classify --stamps
    STORE.h5 said 'starclass calibrate MODEL ... --overwrite' though the model was named on its command line."""
    from conftest import write_untrained_model  # tests/ is on sys.path
    from starclass.learn.config import get_preset

    store = _store(tmp_path)
    model = write_untrained_model(tmp_path / "m1", get_preset("m31-binary-compact", stamp_size=16,
                                                              normalisation="zscore", scales=[1.0]))
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(store), "--overwrite", "--device", "cpu",
                              "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    assert f"calibrated {model} on 16 rows of {store}" in text, text
    assert "--stamps STORE.h5 --model" in text and "MODEL" not in text, text
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(store), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    assert "WARNING" in text and f"starclass calibrate {model}" in text and "MODEL" not in text, text


def test_training_on_a_store_names_the_mosaics_it_was_cut_from(tmp_path):
    """The next: line after training on a store said 'starclass cutouts MOSAICS -c CANDIDATES --task m' though the
    store records the mosaic files it was cut from: it names their folder, as the field not to cut from."""
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    rng = np.random.default_rng(3)
    cfg = get_preset("m31-binary-compact", stamp_size=16, normalisation="zscore", scales=[1.0])
    field = tmp_path / "field"
    field.mkdir()
    files = {b: field / f"m31_{b}.fits" for b in cfg.bands}
    for f in files.values():
        fits.writeto(f, rng.normal(1.0, 0.1, (120, 120)).astype(np.float32))
    n = 16
    xy = rng.uniform(12, 108, (n, 2))
    table = Table({"id": np.arange(1, n + 1), "x": xy[:, 0], "y": xy[:, 1], "class_ref": [1, 3] * (n // 2)})
    mosaics = read_mosaics(files, cfg.bands, zeropoints={b: 25.0 for b in cfg.bands})
    make_store(mosaics, table, tmp_path / "s.h5", cfg, progress=False)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--stamps", str(tmp_path / "s.h5"), "-o", str(out), "--epochs", "1",
                              "--ensemble", "1", "--val-fraction", "0", "--device", "cpu", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    # since 2026-12-07 (latest) from another field (cut from this one, the store's scores are in-sample), the field
    # the store records named as the one not to give
    assert f"starclass cutouts OTHER_DIR -c CANDIDATES --task {out} -o stamps.h5" in text, text
    assert f"OTHER_DIR: the mosaics folder of a field it was not trained on, not {field};" in text, text
    assert "cutouts MOSAICS" not in text, text
