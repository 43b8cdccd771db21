"""What classify, evaluate, report and calibrate say about calibration and conformal sets, as
seen walking issue 17 on the real PAndAS cutouts (binary task m31-real, 2026-12-06).

* ``classify --coverage 0.875`` said "conformal sets at 88% coverage", evaluate "conformal coverage
  at 88%" (its gap in points measured from 87.5) and the report "at 88%"; 0.995 was "at 100%", a
  coverage that is refused. The coverage is now said with its digits.
* ``--coverage 1`` (and 0) were refused with "must be between 0 and 1": the ends are what is refused.
* A list of clusters only: evaluate printed "2 (non-cluster) nan" for the class without rows.
* One row: "from 1 rows are not meaningful", "not defined (1 mistakes in 1 rows".
* Binary task: "Brier 0.3636" is the multi-class form, twice scikit-learn's binary brier_score_loss;
  the line now says so and gives the binary figure.
* ``calibrate`` on a list of one class: "no row of class(es) [2]; every class of the task [1, 2]".
* ``--method histogram --bins 1``: "1 equal-mass bins per class".
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import brier_score_loss
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.reliability import trust_study
from starclass.io.catalog import write_catalog
from starclass.learn.conformal import format_sets

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _classified(n: int, seed: int, classes=(1, 2), coverage: float = 0.875) -> Table:
    rng = np.random.default_rng(seed)
    k = len(classes)
    y = rng.integers(1, k + 1, n)
    p = rng.dirichlet(np.ones(k), n)
    p[np.arange(n), y - 1] += 0.6
    p /= p.sum(1, keepdims=True)
    t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_ref": y,
               "class_pred": p.argmax(1) + 1})
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    sets = rng.random((n, k)) < 0.7
    t["pred_set"] = format_sets(sets, list(classes))
    t["pred_set_size"] = sets.sum(1)
    t.meta.update({"classes": list(classes), "coverage": coverage})
    return t


def test_a_coverage_is_said_with_its_digits(toy_trust_model, tmp_path):
    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 30, seed=11)
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(root / "model"), "-o", str(out), "--no-progress", "--device", "cpu",
                              "--coverage", "0.875"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "conformal sets at 87.5% coverage:" in text and "88%" not in text, text
    # evaluate and the report of a classified table at 87.5%
    write_catalog(_classified(150, 1), tmp_path / "p.ecsv")
    ev = runner.invoke(app, ["evaluate", str(tmp_path / "p.ecsv"), "-r", "self", "--task", "m31-real",
                             "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    assert "conformal coverage at 87.5%:" in ev.output and "88%" not in ev.output, ev.output
    from starclass.report.build import build_report

    page = build_report(str(tmp_path / "p.ecsv"), ["self"], tmp_path / "rep", task="m31-real", n_boot=0)
    html = " ".join(page.read_text().split())
    assert "pred_set) at 87.5%, per reference class" in html and "at 88%" not in html


@pytest.mark.parametrize("value", ["1", "0", "1.0"])
def test_coverage_at_the_ends_is_refused_saying_so(toy_trust_model, tmp_path, value):
    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 10, seed=12)
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(root / "model"), "-o", str(out), "--no-progress", "--device", "cpu",
                              "--coverage", value])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and not out.exists(), text
    assert "must be above 0 and below 1" in text and "between 0 and 1" not in text, text
    assert "Traceback" not in text


def test_a_class_without_rows_has_no_coverage_printed_as_nan():
    t = _classified(120, 2, coverage=0.9)
    clusters = np.asarray(t["class_ref"]) == 1
    p = np.column_stack([t["prob_1"], t["prob_2"]])[clusters]
    y = np.zeros(int(clusters.sum()), int)
    s = trust_study(p, y, p.argmax(1), {"pred_set": np.asarray(t["pred_set"])[clusters]}, [1, 2],
                    meta={"coverage": 0.9})
    line = next(x for x in s.lines() if "conformal coverage" in x)
    cover = np.mean(["1" in str(v).split("|") for v in np.asarray(t["pred_set"])[clusters]])
    assert f"1 {cover:.3f}" in line and "2 - (no rows)" in line and "nan" not in line, line


def test_one_row_takes_the_singular():
    p = np.array([[0.3, 0.7]])
    s = trust_study(p, np.array([0]), p.argmax(1), {}, [1, 2])
    said = " ".join(s.lines())
    assert "from 1 row are not meaningful" in said and "1 rows" not in said, said
    assert "not defined (1 mistake in 1 row:" in said, said


def test_binary_brier_is_said_beside_the_multiclass_one():
    t = _classified(200, 3, coverage=0.9)
    p = np.column_stack([t["prob_1"], t["prob_2"]])
    y = np.asarray(t["class_ref"]) - 1
    s = trust_study(p, y, p.argmax(1), {}, [1, 2])
    line = s.lines()[0]
    binary = brier_score_loss((y == 0).astype(int), p[:, 0])  # scikit-learn's, computed apart
    assert f"Brier {2 * binary:.4f}" in line, line
    assert f"(scikit-learn's binary brier_score_loss is half: {binary:.4f})" in line, line
    # three classes have no binary score: nothing said
    t3 = _classified(200, 4, classes=(1, 2, 3), coverage=0.9)
    p3 = np.column_stack([t3[f"prob_{k}"] for k in (1, 2, 3)])
    s3 = trust_study(p3, np.asarray(t3["class_ref"]) - 1, p3.argmax(1), {}, [1, 2, 3])
    assert "brier_score_loss" not in s3.lines()[0]


def test_calibrate_on_one_class_names_the_missing_class(tmp_path):
    from starclass.learn.calibration import fit_model_calibration
    from starclass.learn.checkpoint import load_model, write_untrained_model
    from starclass.learn.config import get_preset

    cfg = get_preset("m31-real", stamp_size=16)
    d = write_untrained_model(tmp_path / "m", cfg)
    x = np.random.default_rng(1).normal(size=(6, 1, 16, 16)).astype("f4")
    with pytest.raises(StarclassError) as err:
        fit_model_calibration(load_model(d), x, np.zeros(6, int), source="clusters.csv")
    msg = str(err.value)
    assert "no row of class 2 (non-cluster) (rows per class: 1 (cluster) 6, 2 (non-cluster) 0)" in msg, msg
    assert "[2]" not in msg and "class(es)" not in msg


def test_one_histogram_bin_takes_the_singular():
    from starclass.learn.calibration import ModelCalibration

    rng = np.random.default_rng(5)
    p = rng.dirichlet([2, 2], 200)
    y = (rng.random(200) < p[:, 1]).astype(int)
    cal = ModelCalibration.fit(p, y, [1, 2], method="histogram", n_bins=1)
    assert "(1 equal-mass bin per class, 200 rows per bin;" in cal.describe(), cal.describe()


def test_the_purity_threshold_lies_in_its_printed_interval(tmp_path):
    """evaluate on the PAndAS test clusters alone printed "threshold for 80% purity of class 1 (cluster)
    ...: 0.057 [0.058, 0.207]": the threshold (the lowest score, 0.0578) is written rounded down, so
    that classify --threshold selects the same, and its interval was rounded to the nearest."""
    import re

    rng = np.random.default_rng(7)
    n = 64
    p1 = np.r_[0.0578, rng.uniform(0.13, 0.99, n - 1)]
    t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_ref": np.ones(n, int),
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    write_catalog(t, tmp_path / "clusters.ecsv")
    r = runner.invoke(app, ["evaluate", str(tmp_path / "clusters.ecsv"), "-r", "self", "--task", "m31-real",
                            "-o", str(tmp_path / "ev")])
    assert r.exit_code == 0, r.output
    m = re.search(r"threshold for 80% purity of class 1 \(cluster\)[^:]*: ([0-9.]+) \[([0-9.]+), ([0-9.]+)\]", r.output)
    assert m, r.output
    shown, lo, hi = (float(v) for v in m.groups())
    assert shown == 0.057 and lo <= shown <= hi, m.group(0)


def test_a_list_of_one_class_says_why_it_has_no_roc_auc(tmp_path):
    """evaluate on the PAndAS test clusters alone printed no ROC AUC line and no word why; the report
    said "class 1: only members in the reference, no curve"."""
    n = 40
    p1 = np.linspace(0.05, 0.95, n)
    t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_ref": np.ones(n, int),
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    write_catalog(t, tmp_path / "clusters.ecsv")
    r = runner.invoke(app, ["evaluate", str(tmp_path / "clusters.ecsv"), "-r", "self", "--task", "m31-real",
                            "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "ROC AUC 0" not in said
    assert ("note: 2class ROC and precision-recall curves: class 1: every reference row is of it, so no curve, "
            "ROC AUC or average precision") in said, said
