"""train --target-purity chooses the decision threshold on the validation candidates, stores it in
the model, and classify applies it (unless --threshold says otherwise)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import precision_score, recall_score
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, load_config, save_config
from starclass.learn.train import effective_config, ensemble_members, prepare_data

runner = CliRunner()
N = 60



def _p1(table):
    """P(cluster) on which decisions are taken: the raw probability when classify also calibrated it."""
    return np.asarray(table["prob_1_raw" if "prob_1_raw" in table.colnames else "prob_1"])

def _run(*args):
    res = runner.invoke(app, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("purity")
    # clusters (LEGUS 1 + 2) against the rest, as the M31 search poses it
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], classes=[1, 2],
                     class_names=["cluster", "non-cluster"], merge={1: 1, 2: 1, 3: 2, 4: 2}, positive_class=1,
                     recipe={"epochs": 3, "batch_size": 16, "val_fraction": 0.25, "early_stopping_patience": None})
    images, table = make_synthetic_field(cfg, N, seed=5)
    for band, img in images.items():
        write_mosaic(root / "f" / f"f_{band}.fits", img, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    write_catalog(table, root / "f.ecsv")
    save_config(cfg, root / "task.yaml")
    code, out = _run("train", "--task", root / "task.yaml", "--mosaics", root / "f", "--catalog", root / "f.ecsv",
                     "-o", root / "m", "--no-progress", "--device", "cpu", "--seed", "1", "--target-purity", "0.8")
    assert code == 0, out
    assert "threshold for purity 0.80" in out
    code, out = _run("classify", root / "f", "--catalog", root / "f.ecsv", "--model", root / "m",
                     "-o", root / "c.ecsv", "--no-progress", "--device", "cpu")
    assert code == 0, out
    return root, table


def test_threshold_is_chosen_on_the_validation_rows_and_stored(trained):
    root, table = trained
    info = json.loads((root / "m" / "manifest.json").read_text())["tuned_threshold"]
    assert info["target_purity"] == 0.8 and info["purity"] >= 0.8
    # the validation rows are the split training drew (same seed): recompute purity and recall there
    cfg = effective_config(load_config(root / "task.yaml"), seed=1)
    data = prepare_data(cfg, np.zeros((N, cfg.n_channels, 16, 16), np.float32), np.asarray(table["class_ref"]),
                        seed=ensemble_members(cfg)[0].seed)
    val = np.sort(data.val.indices)
    assert info["n_val"] == val.size
    pred = Table.read(root / "c.ecsv")
    y = cfg.map_classes(np.asarray(table["class_ref"])[val]) == 1
    # classify's probabilities are the ones the threshold was chosen on (same stamps, same weights)
    sel = _p1(pred)[val] >= info["threshold"] - 1e-6
    assert precision_score(y, sel) == pytest.approx(info["purity"], abs=1e-6)
    assert recall_score(y, sel) == pytest.approx(info["recall"], abs=1e-6)
    # the lowest such threshold: one step lower (the next validation score down) misses the target
    lower = np.sort(_p1(pred)[val][~sel])
    if lower.size and sel.sum() >= 1:
        wider = _p1(pred)[val] >= lower[-1]
        assert precision_score(y, wider) < 0.8


def test_classify_applies_the_stored_threshold_unless_told_another(trained):
    root, _ = trained
    info = json.loads((root / "m" / "manifest.json").read_text())["tuned_threshold"]
    pred = Table.read(root / "c.ecsv")
    assert pred.meta["threshold"] == pytest.approx(info["threshold"])
    np.testing.assert_array_equal(np.asarray(pred["class_pred"]) == 1, _p1(pred) >= info["threshold"])
    code, out = _run("classify", root / "f", "--catalog", root / "f.ecsv", "--model", root / "m", "--threshold",
                     "0.5", "-o", root / "c05.ecsv", "--no-progress", "--device", "cpu")
    assert code == 0, out
    p5 = Table.read(root / "c05.ecsv")
    np.testing.assert_array_equal(np.asarray(p5["class_pred"]) == 1, _p1(p5) >= 0.5)


@pytest.mark.parametrize(("extra", "says"), [
    (["--target-purity", "1.5"], "--target-purity must be between 0 and 1"),
    (["--target-purity", "0.9", "--val-fraction", "0"], "give --val-fraction > 0"),
    (["--target-purity", "0.9", "--task", "legus4-compact"], "binary tasks only"),
    (["--target-purity", "0.9", "--cv", "2"], "give one or the other"),
])
def test_impossible_target_purity_is_refused_before_training(trained, extra, says):
    root, _ = trained
    task = [] if "--task" in extra else ["--task", root / "task.yaml"]
    code, out = _run("train", *task, "--mosaics", root / "f", "--catalog", root / "f.ecsv", "-o", root / "never",
                     "--no-progress", "--device", "cpu", *extra)
    assert code == 2 and says in out, out
    assert not (root / "never").exists()


def test_target_purity_on_a_cutout_folder_chooses_and_stores_the_threshold(tmp_path):
    # refused before ("--target-purity works on mosaics or stamp stores"): the M31 task's own data, a
    # folder of labelled cutouts, could not get the paper's purity threshold from train
    from PIL import Image

    from starclass.learn.checkpoint import read_manifest

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
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                                   "--target-purity", "0.6", "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "threshold for purity 0.60 on 20 validation cutouts" in res.output, res.output
    tuned = read_manifest(tmp_path / "m")["tuned_threshold"]
    assert tuned["n_val"] == 20 and tuned["purity"] >= 0.6
    res = CliRunner().invoke(app, ["classify", "--stamps", str(tmp_path / "labels.csv"), "--model",
                                   str(tmp_path / "m"), "-o", str(tmp_path / "c.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(tmp_path / "c.csv", format="ascii.csv")
    assert np.array_equal(np.asarray(t["class_pred"]) == 1, _p1(t) >= tuned["threshold"])
