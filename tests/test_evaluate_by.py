"""Metrics per group (``evaluate --by``): checked against scikit-learn and the Wilson formula by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from sklearn.metrics import accuracy_score, recall_score, roc_auc_score
from typer.testing import CliRunner

from conftest import load_benchmark
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.groups import ALL, MISSING, group_labels, metrics_by_group
from starclass.evaluate.task import EvalTask

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval written out (not astropy's code)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _sample(n_classes: int, n: int = 120, seed: int = 0):
    rng = np.random.default_rng(seed)
    classes = tuple(range(1, n_classes + 1))
    ref = rng.integers(1, n_classes + 1, n)
    pred = np.where(rng.random(n) < 0.6, ref, rng.integers(1, n_classes + 1, n))
    groups = rng.choice(["north", "south", "disc"], n, p=[0.3, 0.3, 0.4])
    return classes, ref, pred, groups


@pytest.mark.parametrize("n_classes", [2, 3, 4, 5])
def test_metrics_by_group_match_sklearn(n_classes):
    classes, ref, pred, groups = _sample(n_classes, seed=n_classes)
    score = None
    if n_classes == 2:
        rng = np.random.default_rng(7)
        score = np.clip(np.where(ref == 1, 0.6, 0.4) + rng.normal(0, 0.2, ref.size), 0, 1)
    tab, note = metrics_by_group(ref, pred, groups, classes, score=score, positive=1 if score is not None else None)
    assert note is None
    assert list(tab["group"]) == ["disc", "north", "south", ALL]
    for row in tab:
        sel = np.ones(ref.size, bool) if row["group"] == ALL else groups == row["group"]
        r, p = ref[sel], pred[sel]
        assert row["n"] == sel.sum()
        assert row["errors"] == int((r != p).sum())
        assert row["accuracy"] == pytest.approx(accuracy_score(r, p))
        lo, hi = _wilson(int((r == p).sum()), int(sel.sum()))
        assert (row["accuracy_lo"], row["accuracy_hi"]) == (pytest.approx(lo), pytest.approx(hi))
        present = [k for k in classes if (r == k).any()]
        expect = recall_score(r, p, labels=present, average=None, zero_division=0)
        for k, v in zip(present, expect):
            assert row[f"recall_{k}"] == pytest.approx(v)
            assert row[f"n_ref_{k}"] == int((r == k).sum())
        if score is not None:
            assert row["roc_auc"] == pytest.approx(roc_auc_score(r == 1, score[sel]))
        else:
            assert "roc_auc" not in tab.colnames


def test_one_class_group_has_nan_auc_and_recall():
    ref = np.array([1, 1, 1, 2, 1])
    pred = np.array([1, 2, 1, 2, 2])
    tab, _ = metrics_by_group(ref, pred, ["a", "a", "a", "b", "b"], (1, 2), score=np.array([.9, .4, .8, .3, .2]),
                              positive=1)
    a = tab[tab["group"] == "a"][0]
    assert np.isnan(a["roc_auc"]) and np.isnan(a["recall_2"])
    assert a["recall_1"] == pytest.approx(2 / 3)


def test_group_labels_bins_numbers_at_quantiles_and_keeps_missing():
    rng = np.random.default_rng(3)
    v = rng.normal(20, 2, 200)
    v[[5, 17]] = np.nan
    labels, note = group_labels(v, n_bins=4)
    assert note == "binned at the quantiles into 4 bins"
    assert (labels == MISSING).sum() == 2
    counts = sorted(np.unique(labels[labels != MISSING], return_counts=True)[1])
    assert sum(counts) == 198 and counts[0] >= 49 and counts[-1] <= 50  # quartiles of 198 values
    # the maximum falls in the last (closed) bin, the minimum in the first
    i_max, i_min = np.nanargmax(v), np.nanargmin(v)
    assert labels[i_max].endswith("]") and labels[i_min].startswith(f"[{np.nanmin(v):.3g}")
    # few distinct numbers are groups of their own; a masked cell is missing
    col = MaskedColumn([3, 3, 7, 1], mask=[False, False, False, True])
    assert group_labels(col)[0].tolist() == ["3", "3", "7", MISSING]


def test_small_groups_pooled_into_one_row():
    classes, ref, pred, _ = _sample(3, n=60, seed=11)
    groups = np.array(["big"] * 50 + ["s1"] * 4 + ["s2"] * 3 + ["s3"] * 3)
    tab, _ = metrics_by_group(ref, pred, groups, classes, min_rows=10)
    assert list(tab["group"]) == ["big", "(other: 3 groups of < 10)", ALL]
    other = tab[1]
    assert other["n"] == 10
    assert other["accuracy"] == pytest.approx(accuracy_score(ref[50:], pred[50:]))


def test_mismatched_lengths_refused():
    with pytest.raises(StarclassError, match="one per row"):
        metrics_by_group(np.array([1, 2]), np.array([1, 2, 2]), ["a", "b"], (1, 2))


def _binary_table(n: int = 80, seed: int = 5) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    p1 = np.clip(np.where(ref == 1, 0.65, 0.35) + rng.normal(0, 0.25, n), 0.001, 0.999)
    return Table({"id": np.arange(n), "class_ref": ref, "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1,
                  "prob_2": 1 - p1,
                  "field": rng.choice(["m248", "m233"], n), "mag": rng.normal(19, 1, n)})


def test_evaluate_catalogs_by_column_scores_the_positive_class():
    t = _binary_table()
    task = EvalTask.from_classes((1, 2), positive_class=1)
    c = evaluate_catalogs(t, task=task, n_boot=0, by=["field"]).comparisons[0]
    tab, _ = c.by["field"]
    for row in tab:
        sel = np.ones(len(t), bool) if row["group"] == ALL else np.asarray(t["field"]) == row["group"]
        assert row["roc_auc"] == pytest.approx(roc_auc_score(np.asarray(t["class_ref"])[sel] == 1,
                                                             np.asarray(t["prob_1"])[sel]))
    with pytest.raises(StarclassError, match="no column 'ccd' \\(--by\\)"):
        evaluate_catalogs(t, task=task, n_boot=0, by=["ccd"])


def _stamps_output(tmp_path):
    """What classify --stamps writes (file, label, the input's other columns), as a CSV: no meta."""
    t = _binary_table()
    t["file"] = [f"c{i}.png" for i in range(len(t))]
    t["label"] = np.where(t["class_ref"] == 1, "cluster", "galaxy")
    t.remove_columns(["id", "class_ref"])
    path = tmp_path / "classified.csv"
    t.write(path)
    return path


def test_cli_evaluate_by(tmp_path):
    path = _stamps_output(tmp_path)
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--by", "field",
                              "--by", "mag", "-o", str(out), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "by field:" in res.output and "by mag (binned at the quantiles into 5 bins):" in res.output
    tab = Table.read(out / "tables" / "by_field_classified_class_ref.ecsv")
    assert tab["n"][-1] == 80 and tab["group"][-1] == ALL
    assert (out / "figures" / "by_mag_classified_class_ref.png").is_file()
    assert any("by_field" in p for p in json.loads((out / "summary.json").read_text())["tables"])
    # a column the catalogue lacks: exit 2, named, nothing written
    bad = tmp_path / "ev2"
    res = runner.invoke(app, ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--by", "ccd",
                              "-o", str(bad)])
    assert res.exit_code == 2 and "no column 'ccd' (--by)" in res.output
    assert not bad.exists()
    res = runner.invoke(app, ["evaluate", "--catalogs", str(tmp_path), "--by", "field", "-o", str(bad)])
    assert res.exit_code == 2 and "--by" in res.output and not bad.exists()


def test_real_pandas_errors_pools_the_folds(tmp_path):
    bench = load_benchmark("real_pandas_errors")
    out = tmp_path / "runs"
    out.mkdir()
    for k, (rows, p) in enumerate([([0, 3], [0.9, 0.2]), ([1, 2], [0.6, 0.1])]):
        (out / f"a_fold{k}.json").write_text(json.dumps({"test": rows, "p": p, "p_tta": p}))
        (out / f"b_fold{k}.json").write_text(json.dumps({"test": rows, "p": [1 - v for v in p]}))
    assert bench.pooled_probability(out, "a +TTA", 4).tolist() == [0.9, 0.6, 0.1, 0.2]
    with pytest.raises(StarclassError, match="no 'p_tta'"):
        bench.pooled_probability(out, "b +TTA", 4)
    with pytest.raises(StarclassError, match="1 of 5 cutouts"):
        bench.pooled_probability(out, "a", 5)
    data = tmp_path / "data"
    data.mkdir()
    Table({"file": [f"f{i}.png" for i in range(4)], "label": ["cluster", "cluster", "galaxy", "galaxy"],
           "ra": [10.68, 10.9, 11.5, 12.0], "dec": [41.27, 41.3, 40.0, 42.0]}).write(data / "labels.csv")
    from PIL import Image

    rng = np.random.default_rng(0)
    for i in range(4):  # the cutouts: which classify --stamps leaves unclassified (none here) is read from them
        Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(data / f"f{i}.png")
    dest = tmp_path / "oof.csv"
    assert bench.main(["--data", str(data), "--out", str(out), "--runs", "a,b", "-o", str(dest)]) == 0
    t = Table.read(dest)
    assert np.allclose(t["prob_1"], 0.5) and list(t["class_pred"]) == [1, 1, 1, 1]  # a and b cancel
    assert bench.main(["--data", str(data), "--out", str(out), "--runs", "a +TTA", "-o", str(dest)]) == 2
    assert bench.main(["--data", str(data), "--out", str(out), "--runs", "a", "-o", str(data / "labels.csv"),
                       "--overwrite"]) == 2
    assert Table.read(data / "labels.csv").colnames == ["file", "label", "ra", "dec"]


def test_cli_report_by(tmp_path):
    path = _stamps_output(tmp_path)
    res = runner.invoke(app, ["report", str(path), "--task", "m31-real", "--label-column", "label", "--by", "field",
                              "-o", str(tmp_path / "rep"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "accuracy by field" in (tmp_path / "rep" / "report.html").read_text() or \
        "by group" in (tmp_path / "rep" / "report.html").read_text()
    tab = Table.read(tmp_path / "rep" / "tables" / "by_field_classified_class_ref.ecsv")
    assert set(tab["group"]) == {"m233", "m248", ALL}
