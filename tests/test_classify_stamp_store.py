"""``classify --stamps STORE.h5`` classifies a stamp store, as ``train --stamps`` trains on one (2026-12-07).

It was refused ("an HDF5 stamp store, not a cutout folder ... give the mosaics instead"), so a store cut once
for training and testing had to be cut again from its mosaics to be classified. The store's stamps are the
model inputs as they are (the store must be cut for the model's task, as train requires); its candidates'
columns pass through as a catalogue's do, ``class_ref`` too, so that ``evaluate`` scores the output.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _store_and_model(tmp_path, *, store_size: int = 16):
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    rng = np.random.default_rng(3)
    cfg = get_preset("m31-binary-compact", stamp_size=16, normalisation="zscore", scales=[1.0])
    images = {b: rng.normal(1.0, 0.1, (80, 80)).astype(np.float32) for b in cfg.bands}
    table = Table({"id": [11, 12, 13, 14], "x": [20.0, 40.0, 60.0, 2.0], "y": [20.0, 40.0, 30.0, 50.0],
                   "class_ref": [1, 2, 1, 2], "field": ["m31_a"] * 4})
    make_store(images, table, tmp_path / "stamps.h5", cfg.copy(stamp_size=store_size), progress=False)
    model = write_untrained_model(tmp_path / "model", cfg)
    return tmp_path / "stamps.h5", model


def test_a_stamp_store_is_classified_with_its_columns_and_labels(tmp_path):
    store, model = _store_and_model(tmp_path)
    out = tmp_path / "classified.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(store), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out)
    assert t["id"].tolist() == [11, 12, 13, 14] and t["field"].tolist() == ["m31_a"] * 4
    assert t["class_ref"].tolist() == [1, 2, 1, 2]  # the labels pass through, for evaluate
    pred = np.asarray(t["class_pred"])
    assert set(pred[pred > 0].tolist()) <= {1, 2} and (pred > 0).sum() >= 3, t
    assert "classified 4 stamps of stamp store" in " ".join(res.output.split()), res.output
    scored = runner.invoke(app, ["evaluate", str(out), "-o", str(tmp_path / "eval"), "--no-progress"])
    assert scored.exit_code == 0, scored.output


def test_a_store_cut_for_another_task_is_refused_naming_what_differs(tmp_path):
    store, model = _store_and_model(tmp_path, store_size=24)
    out = tmp_path / "classified.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(store), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "stamp_size is 24 in the store, 16 in the task" in text, text
    assert not out.exists()


def test_an_unlabelled_store_is_sent_to_suggest_on_its_own_probabilities(tmp_path):
    """The next: line after an unlabelled store said ``suggest ... --mosaics DATA_DIR`` (the mosaics' wording):
    a folder the user never gave, and one that classifies every candidate again. The store's classification
    carries prob_<k>, which suggest ranks as they are; the suggested command must run as printed."""
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    rng = np.random.default_rng(5)
    cfg = get_preset("m31-binary-compact", stamp_size=16, normalisation="zscore", scales=[1.0])
    images = {b: rng.normal(1.0, 0.1, (80, 80)).astype(np.float32) for b in cfg.bands}
    table = Table({"id": [11, 12, 13], "x": [20.0, 40.0, 60.0], "y": [20.0, 40.0, 30.0]})
    make_store(images, table, tmp_path / "stamps.h5", cfg, progress=False)
    model = write_untrained_model(tmp_path / "model", cfg)
    out = tmp_path / "classified.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "stamps.h5"), "--model", str(model), "-o",
                              str(out), "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "--mosaics" not in text and "DATA_DIR" not in text, text
    cmd = text.split("'starclass suggest ")[1].split("'")[0].split()
    assert cmd[:2] == [str(model), str(out)], text
    cmd = [w if w != "suggestions.ecsv" else str(tmp_path / w) for w in cmd]
    ran = runner.invoke(app, ["suggest", *cmd])
    assert ran.exit_code == 0, ran.output
    assert len(Table.read(tmp_path / "suggestions.ecsv")) == 3
