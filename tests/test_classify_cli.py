"""CLI end to end: FITS mosaics + labelled catalogue -> starclass train -> starclass classify."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    root = tmp_path_factory.mktemp("field")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0],
                     recipe={"epochs": 2, "batch_size": 32, "val_fraction": 0.2})
    images, table = make_synthetic_field(cfg, 80, seed=7)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(root / "mosaics" / f"toy_{band}.fits", img, band, None,
                     photflam=info.photflam, photplam=info.photplam)
    write_catalog(table, root / "truth.ecsv")
    save_config(cfg, root / "task.yaml")
    return root, cfg, table


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


def test_cli_train_then_classify(field, tmp_path):
    root, cfg, table = field
    model = tmp_path / "model"
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", model, "--no-progress", "--device", "cpu",
                     "--seed", "3"])
    assert res.exit_code == 0, out
    assert "trained 1 member" in out and (model / "manifest.json").exists()
    classified = tmp_path / "classified.ecsv"
    res, out = _run(["classify", root / "mosaics", "--catalog", root / "truth.ecsv", "--model", model,
                     "-o", classified, "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, out
    t = read_catalog(classified)
    assert len(t) == len(table)
    assert {"class_pred", "prob_1", "prob_4", "quality", "class_m1"} <= set(t.colnames)
    assert set(np.unique(t["class_pred"])) <= {1, 2, 3, 4}
    # an existing output is kept without --overwrite and replaced with it (write_catalog now defaults to keeping)
    again = ["classify", root / "mosaics", "--catalog", root / "truth.ecsv", "--model", model,
             "-o", classified, "--no-progress", "--device", "cpu"]
    classified.write_text("precious")
    res, out = _run(again)
    assert res.exit_code == 2 and "--overwrite" in out and classified.read_text() == "precious"
    res, out = _run([*again, "--overwrite"])
    assert res.exit_code == 0, out
    assert len(read_catalog(classified)) == len(table)
    # training from a stamp store written by `starclass cutouts` (read lazily)
    store = tmp_path / "stamps.h5"
    files = sorted((root / "mosaics").glob("*.fits"))
    res, out = _run(["cutouts", *files, "--catalog", root / "truth.ecsv", "--task",
                     root / "task.yaml", "-o", store, "--no-progress"])
    assert res.exit_code == 0, out
    res, out = _run(["train", "--task", root / "task.yaml", "--stamps", store, "--catalog",
                     root / "truth.ecsv", "-o", tmp_path / "model_store", "--no-progress",
                     "--device", "cpu", "--epochs", "1", "--seed", "3"])
    assert res.exit_code == 0, out
    assert (tmp_path / "model_store" / "member_01.pt").exists()
    # a store made for another geometry is refused
    res, out = _run(["train", "--task", "legus4", "--stamps", store, "-o", tmp_path / "bad",
                     "--no-progress"])
    assert res.exit_code == 2 and "does not fit task" in out
    # --tta runs too
    res, out = _run(["classify", root / "mosaics", "--catalog", root / "truth.ecsv", "--model", model,
                     "-o", tmp_path / "tta.ecsv", "--tta", "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0 and "tta" in out


def test_cli_errors_are_messages(field, tmp_path):
    root, cfg, table = field
    # a model for other bands than the mosaics
    other = tmp_path / "other"
    other.mkdir()
    for band in ("f555w", "f814w"):
        (other / f"toy_{band}.fits").write_bytes((root / "mosaics" / f"toy_{band}.fits").read_bytes())
    model = tmp_path / "model"
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", model, "--no-progress", "--epochs", "1",
                     "--val-fraction", "0"])
    assert res.exit_code == 0, out
    res, out = _run(["classify", other, "--catalog", root / "truth.ecsv", "--model", model,
                     "-o", tmp_path / "x.ecsv", "--no-progress"])
    assert res.exit_code == 2 and "missing" in out and "f275w" in out
    # a foreign checkpoint
    bogus = tmp_path / "bogus.pt"
    bogus.write_bytes(b"not a checkpoint")
    res, out = _run(["classify", root / "mosaics", "--catalog", root / "truth.ecsv", "--model", bogus,
                     "-o", tmp_path / "x.ecsv", "--no-progress"])
    assert res.exit_code == 2 and "bogus.pt" in out
    # an empty candidate list
    empty = tmp_path / "empty.ecsv"
    write_catalog(table[:0], empty)
    res, out = _run(["classify", root / "mosaics", "--catalog", empty, "--model", model,
                     "-o", tmp_path / "x.ecsv", "--no-progress"])
    assert res.exit_code == 2 and "nothing to classify" in out
    # training labels without class 3
    t = table.copy()
    t["class_ref"][t["class_ref"] == 3] = 2
    write_catalog(t, tmp_path / "no3.ecsv")
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", tmp_path / "no3.ecsv", "-o", tmp_path / "m3", "--no-progress"])
    assert res.exit_code == 2 and "class 3" in out


def test_cli_train_softening_auto_is_stored_as_a_number(field, tmp_path):
    import json

    root, cfg, table = field
    assert cfg.normalisation == "flux"
    model = tmp_path / "auto"
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", model, "--no-progress", "--device", "cpu",
                     "--epochs", "1", "--softening-mag", "auto"])
    assert res.exit_code == 0, out
    assert "softening_mag: auto ->" in out
    stored = json.loads((model / "manifest.json").read_text())["config"]["softening_mag"]
    assert isinstance(stored, float) and 15 < stored < 40
    # a fixed value far from the mosaics' noise is reported, and training goes on
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", tmp_path / "far", "--no-progress",
                     "--device", "cpu", "--epochs", "1", "--softening-mag", str(stored + 5)])
    assert res.exit_code == 0 and "per-pixel sky noise" in out, out
    # a stamp store cut with one softening cannot train a model that claims another
    store = tmp_path / "stamps.h5"
    files = sorted((root / "mosaics").glob("*.fits"))
    res, out = _run(["cutouts", *files, "--catalog", root / "truth.ecsv", "--task",
                     root / "task.yaml", "-o", store, "--no-progress"])
    assert res.exit_code == 0, out
    res, out = _run(["train", "--task", root / "task.yaml", "--stamps", store, "--catalog",
                     root / "truth.ecsv", "-o", tmp_path / "bad", "--no-progress", "--device", "cpu",
                     "--epochs", "1", "--softening-mag", str(cfg.softening_mag + 1)])
    assert res.exit_code == 2 and "softening_mag" in out, out
    res, out = _run(["train", "--task", root / "task.yaml", "--stamps", store, "--catalog",
                     root / "truth.ecsv", "-o", tmp_path / "ok", "--no-progress", "--device", "cpu",
                     "--epochs", "1", "--softening-mag", "auto"])
    assert res.exit_code == 0, out
    again = json.loads((tmp_path / "ok" / "manifest.json").read_text())["config"]["softening_mag"]
    assert again == pytest.approx(cfg.softening_mag)


def test_cli_precision_bf16_is_stored_and_used_by_classify(field, tmp_path):
    root, cfg, table = field
    model = tmp_path / "model"
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", model, "--no-progress", "--device", "cpu",
                     "--epochs", "1", "--precision", "bf16"])
    assert res.exit_code == 0, out
    assert "(bfloat16)" in out
    from starclass.learn.checkpoint import read_manifest

    assert read_manifest(model)["config"]["recipe"]["amp"] == "bf16"
    for flag, expect in ((None, "bf16"), ("fp32", "fp32")):
        out_path = tmp_path / f"c_{expect}.ecsv"
        res, out = _run(["classify", root / "mosaics", "--catalog", root / "truth.ecsv", "--model", model,
                         "-o", out_path, "--no-progress", "--device", "cpu",
                         *(["--precision", flag] if flag else [])])
        assert res.exit_code == 0, out
        assert read_catalog(out_path).meta["precision"] == expect
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", tmp_path / "bad", "--no-progress",
                     "--precision", "half"])
    assert res.exit_code == 2 and "--precision='half': use one of" in out


def test_cli_train_overwrite_starts_afresh_with_other_settings(field, tmp_path):
    root, cfg, table = field
    model = tmp_path / "model"
    base = ["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics", "--catalog",
            root / "truth.ecsv", "-o", model, "--no-progress", "--device", "cpu", "--seed", "3"]
    res, out = _run(base)
    assert res.exit_code == 0, out
    res, out = _run([*base, "--lr", "0.01"])
    assert res.exit_code == 2 and "--overwrite" in out and "Traceback" not in out
    assert json.loads((model / "manifest.json").read_text())["config"]["recipe"]["lr"] != 0.01
    res, out = _run([*base, "--lr", "0.01", "--overwrite"])
    assert res.exit_code == 0, out
    assert json.loads((model / "manifest.json").read_text())["config"]["recipe"]["lr"] == 0.01


def test_cli_says_once_that_candidates_have_no_usable_stamp(field, tmp_path):
    """The library logged "no usable stamp" and the command echoed it again: two lines for one fact.

    Run as a separate process: under pytest the root logger has handlers, so the library's
    log.warning never reached the command's output and the duplicate could not be seen here.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    import starclass

    root, cfg, table = field
    model = tmp_path / "model"
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", root / "mosaics",
                     "--catalog", root / "truth.ecsv", "-o", model, "--no-progress", "--epochs", "1",
                     "--val-fraction", "0", "--device", "cpu"])
    assert res.exit_code == 0, out
    t = table[:10].copy()
    t["x"][0] = 1e4  # off the image
    t["y"][1] = -50.0
    write_catalog(t, tmp_path / "cands.ecsv")
    env = {**os.environ, "PYTHONPATH": str(Path(starclass.__file__).resolve().parents[1]), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "starclass", "classify", str(root / "mosaics"), "--catalog",
                           str(tmp_path / "cands.ecsv"), "--model", str(model), "-o", str(tmp_path / "out.ecsv"),
                           "--no-progress", "--device", "cpu"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    said = (proc.stdout + proc.stderr).count("no usable stamp")
    assert said == 1, proc.stdout + proc.stderr
    assert "2 of 10 candidates have no usable stamp" in proc.stderr
    assert list(read_catalog(tmp_path / "out.ecsv")["class_pred"][:2]) == [0, 0]
