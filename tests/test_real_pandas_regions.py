"""``benchmarks/real_pandas_regions.py``: paired per-region comparison of two real-image runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from conftest import load_benchmark


def _module():
    return load_benchmark("real_pandas_regions")


def test_compare_regions_matches_sklearn_and_a_hand_count():
    mod = _module()
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 60)
    regions = np.array(["in"] * 20 + ["mid"] * 20 + ["out"] * 20)
    pa, pb = rng.uniform(size=60), rng.uniform(size=60)
    rows = mod.compare_regions(y, regions, pa, pb, ["in", "in+mid", "all"], n_boot=100)
    for row, m in zip(rows, (regions == "in", np.isin(regions, ["in", "mid"]), np.ones(60, bool))):
        assert row["n"] == int(m.sum()) and row["galaxies"] == int((y[m] == 0).sum())
        assert row["auc_run"] == pytest.approx(roc_auc_score(y[m], pa[m]))
        assert row["auc_against"] == pytest.approx(roc_auc_score(y[m], pb[m]))
        # galaxies called galaxies, counted by hand
        hand = sum(1 for yi, p in zip(y[m], pb[m]) if yi == 0 and p < 0.5) / max(1, int((y[m] == 0).sum()))
        assert row["galaxy_recall_against"] == pytest.approx(hand)
        v, lo, hi = row["auc_diff"]
        assert v == pytest.approx(row["auc_run"] - row["auc_against"]) and lo <= v <= hi


def test_a_region_with_one_class_has_no_auc():
    mod = _module()
    y = np.array([1, 1, 1, 0, 1, 0])
    rows = mod.compare_regions(y, np.array(["a", "a", "a", "b", "b", "b"]), np.full(6, 0.6), np.full(6, 0.4),
                               ["a"], n_boot=20)
    assert rows[0]["auc_run"] is None and rows[0]["galaxy_recall_diff"] is None
    assert rows[0]["cluster_recall_run"] == 1.0 and rows[0]["cluster_recall_against"] == 0.0


def test_cli_bad_input_exits_2(tmp_path, capsys):
    mod = _module()
    assert mod.main(["--data", str(tmp_path / "nowhere"), "--run", "a", "--against", "b"]) == 2
    assert "labels.csv" in capsys.readouterr().err
    out = tmp_path / "r.json"
    out.write_text(json.dumps({"keep": 1}))
    assert mod.main(["--data", str(tmp_path), "--run", "a", "--against", "b", "-o", str(out)]) == 2
    (tmp_path / "labels.csv").write_text("file,label,ra,dec\n")
    assert mod.main(["--data", str(tmp_path), "--run", "a", "--against", "b", "-o", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert json.loads(out.read_text()) == {"keep": 1}  # nothing overwritten
