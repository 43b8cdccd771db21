"""explain's prob_pred is the probability classify writes for the same stamp (the model's, not one member's)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


@pytest.fixture(scope="module")
def two_members(tmp_path_factory):
    """A two-member compact model trained one epoch on 24 toy stamps, and a cutout folder of them."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    root = tmp_path_factory.mktemp("explain_prob")
    cfg = get_preset("m31-real", stamp_size=16, normalisation="none",
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 24, seed=1)
    fit(cfg, toy.inputs, toy.class_ref, outdir=root / "model", seed=0, progress=False, device="cpu", ensemble=2)
    (root / "cut").mkdir()
    lines = ["file,label"]
    for i, (img, c) in enumerate(zip(toy.inputs, toy.class_ref)):
        np.save(root / "cut" / f"s{i:02d}.npy", img[0].astype(np.float32))
        lines.append(f"s{i:02d}.npy,{int(c)}")
    (root / "cut" / "labels.csv").write_text("\n".join(lines) + "\n")
    return root


def test_explain_writes_classify_s_probability_and_says_whose_maps(two_members, tmp_path):
    # before 2026-12-06 prob_pred was the first member's raw softmax (0.765 where classify wrote prob_1 0.810
    # for the same PAndAS cutout), and nothing said so
    model, labels = two_members / "model", two_members / "cut" / "labels.csv"
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(tmp_path / "c.csv")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["explain", str(model), str(labels), "-o", str(tmp_path / "ex"), "--method", "gradcam"])
    assert r.exit_code == 0, r.output
    cls = Table.read(tmp_path / "c.csv")
    ex = Table.read(tmp_path / "ex" / "tables" / "stamps.ecsv")
    by_file = {str(f).rsplit("/", 1)[-1]: i for i, f in enumerate(cls["file"])}
    rows = [by_file[str(f).rsplit("/", 1)[-1]] for f in ex["file"]]
    want = np.array([cls[f"prob_{c}"][i] for c, i in zip(ex["class_pred"], rows)], float)
    assert np.array_equal(np.asarray(ex["class_pred"]), np.asarray(cls["class_pred"])[rows])
    assert np.allclose(np.asarray(ex["prob_pred"], float), want, atol=1e-5)
    assert "member 1 of 2" in ex.meta["maps_of"] and "classify" in ex.meta["prob_pred"]
    info = json.loads((tmp_path / "ex" / "explain.json").read_text())
    assert info["maps_of"] == ex.meta["maps_of"] and info["prob_pred"] == ex.meta["prob_pred"]
