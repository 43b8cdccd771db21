"""A trained binary model end to end: classify --threshold, the task in the meta, report --model Grad-CAM."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.classify import decision_threshold
from starclass.learn.config import get_preset
from starclass.learn.train import fit
from starclass.stamps import make_inputs

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


@pytest.fixture(scope="module")
def binary_model(tmp_path_factory):
    """FITS mosaics, a PHANGS-labelled catalogue and a one-epoch cluster-vs-rest model."""
    root = tmp_path_factory.mktemp("binary")
    cfg = get_preset("legus4-compact", name="clusters-binary", classes=[1, 2], class_names=["cluster", "non-cluster"],
                     merge={1: 1, 2: 1, 3: 2, 4: 2}, positive_class=1, stamp_size=16, scales=[1.0, 2.0],
                     recipe={"epochs": 1, "batch_size": 32, "val_fraction": 0.0})
    images, table = make_synthetic_field(cfg, 64, seed=5)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(root / "mosaics" / f"toy_{band}.fits", img, band, None, photflam=info.photflam,
                     photplam=info.photplam)
    write_catalog(table, root / "truth.ecsv")
    inputs, _ = make_inputs(images, table["x"], table["y"], cfg)
    fit(cfg, inputs, np.asarray(table["class_ref"]), outdir=root / "model", seed=1, progress=False, device="cpu")
    return root


def _classify(root, out, *extra):
    return runner.invoke(app, ["classify", str(root / "mosaics"), "--catalog", str(root / "truth.ecsv"), "--model",
                               str(root / "model"), "-o", str(out), "--no-progress", "--device", "cpu", *extra])


@pytest.mark.parametrize("thr", [0.2, 0.8])
def test_classify_threshold_sets_the_binary_decision(binary_model, tmp_path, thr):
    out = tmp_path / "classified.ecsv"
    res = _classify(binary_model, out, "--threshold", str(thr))
    assert res.exit_code == 0, res.output
    t = read_catalog(out)
    ok = np.asarray(t["class_pred"]) > 0
    expected = np.where(np.asarray(t["prob_1"]) >= thr, 1, 2)
    np.testing.assert_array_equal(np.asarray(t["class_pred"])[ok], expected[ok])
    meta = t.meta
    assert meta["task"] == "clusters-binary" and list(meta["classes"]) == [1, 2]
    assert meta["positive_class"] == 1 and meta["threshold"] == pytest.approx(thr)
    assert list(meta["class_names"]) == ["cluster", "non-cluster"]
    assert {int(k): v for k, v in meta["reference_merge"].items()} == {1: 1, 2: 1, 3: 2, 4: 2}


def test_threshold_bad_values_are_clear(binary_model, tmp_path):
    res = _classify(binary_model, tmp_path / "x.ecsv", "--threshold", "1.5")
    assert res.exit_code == 2 and "--threshold 1.5" in res.output
    assert not (tmp_path / "x.ecsv").exists()
    with pytest.raises(StarclassError, match="binary tasks only"):
        decision_threshold(get_preset("legus4"), 0.5)


def test_evaluate_reads_the_task_and_report_model_shows_gradcam(binary_model, tmp_path):
    out = tmp_path / "classified.ecsv"
    assert _classify(binary_model, out).exit_code == 0
    t = read_catalog(out)
    res = runner.invoke(app, ["evaluate", str(out), "-o", str(tmp_path / "ev"), "--bootstrap", "10", "--no-science"])
    assert res.exit_code == 0, res.output
    assert ("task clusters-binary: classes 1 (cluster), 2 (non-cluster); positive class 1 (cluster) (from meta)"
            in res.output)
    truth_binary = np.where(np.asarray(t["class_ref"]) <= 2, 1, 2)
    ok = np.asarray(t["class_pred"]) > 0
    acc = accuracy_score(truth_binary[ok], np.asarray(t["class_pred"])[ok])
    assert f"2class: accuracy {acc:.3f}" in res.output
    assert "12v34" not in res.output and "123v4" not in res.output

    html = tmp_path / "rep" / "report.html"
    res = runner.invoke(app, ["report", str(out), "--model", str(binary_model / "model"), "--mosaics",
                              str(binary_model / "mosaics"), "-o", str(html), "--bootstrap", "10"])
    assert res.exit_code == 0, res.output
    page = html.read_text()
    assert "<h2>Grad-CAM</h2>" in page and "Grad-CAM skipped" not in page
    prof = Table.read(tmp_path / "rep" / "tables" / "gradcam_profiles.ecsv")
    assert set(prof["class"]) <= {1, 2} and len(prof) > 0

    res = runner.invoke(app, ["report", str(out), "--model", str(binary_model / "model"), "-o",
                              str(tmp_path / "rep2" / "r.html")])
    assert res.exit_code == 2 and "--mosaics" in res.output
