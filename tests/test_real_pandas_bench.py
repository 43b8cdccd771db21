"""``benchmarks/real_pandas.py --summarise --per-object``: scoring objects, not cutouts."""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from starclass.errors import StarclassError

ROOT = Path(__file__).resolve().parents[1]


def _module():
    spec = importlib.util.spec_from_file_location("real_pandas_bench", ROOT / "benchmarks" / "real_pandas.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _objects(rng, n_obj: int = 60):
    """Cutouts of ``n_obj`` objects, 1-3 cutouts each, with the object's label on every one."""
    counts = rng.integers(1, 4, n_obj)
    ids = np.array([f"obj{j:03d}" for j in range(n_obj)])
    groups = np.repeat(ids, counts)
    y_obj = rng.integers(0, 2, n_obj)
    y = np.repeat(y_obj, counts)
    # noisy per-cutout scores: averaging an object's views must change them
    p = np.clip(0.35 * y + rng.uniform(0, 0.65, y.size), 0, 1)
    perm = rng.permutation(y.size)  # the rows of a real folder are not sorted by object
    return groups[perm], y[perm], p[perm]


def test_object_mean_is_the_mean_of_each_objects_cutouts():
    mod = _module()
    groups, y, p = _objects(np.random.default_rng(1))
    code, y_obj = mod.object_truth(y, groups)
    idx = np.arange(y.size)
    objects, p_obj = mod.object_mean(idx, p, code)
    ids = np.unique(groups)
    assert objects.size == ids.size
    for j, oid in enumerate(ids):
        rows = groups == oid
        assert p_obj[j] == pytest.approx(p[rows].mean())
        assert y_obj[j] == y[rows][0]
    # a run that scored only part of the cutouts: only the objects it scored
    part = np.flatnonzero(np.isin(groups, ids[:10]))
    objects, _ = mod.object_mean(part, p[part], code)
    assert objects.tolist() == list(range(10))


def test_object_truth_refuses_an_object_with_two_labels():
    mod = _module()
    with pytest.raises(StarclassError, match="'b'"):
        mod.object_truth(np.array([1, 0, 1]), np.array(["a", "b", "b"]))


def test_summary_per_object_scores_objects(tmp_path):
    mod = _module()
    groups, y, p = _objects(np.random.default_rng(2))
    # two grouped "folds": the objects split by id, every cutout of an object in one fold
    ids = np.unique(groups)
    fold = np.isin(groups, ids[::2]).astype(int)
    for k in (0, 1):
        test = np.flatnonzero(fold == k)
        (tmp_path / f"compact_fold{k}.json").write_text(json.dumps(
            {"test": test.tolist(), "p": p[test].tolist(), "train_s": 1.0, "infer_s": 0.1}))
    args = argparse.Namespace(out=str(tmp_path), runs=None, summary_folds=None, n_boot=50, ensemble=None,
                              best=None, against=None, per_object=False)

    def row_values(text):
        row = next(r for r in text.splitlines() if r.startswith("| compact |"))
        cells = [c.strip() for c in row.split("|")[1:-1]]
        return float(cells[4].split()[0]), float(cells[5].split()[0])  # AUC, F1

    auc_cut, f1_cut = row_values(mod.summarise(args, y, groups))
    assert auc_cut == pytest.approx(roc_auc_score(y, p), abs=5e-4)
    args.per_object = True
    auc_obj, f1_obj = row_values(mod.summarise(args, y, groups))
    code, y_obj = mod.object_truth(y, groups)
    _, p_obj = mod.object_mean(np.arange(y.size), p, code)
    assert auc_obj == pytest.approx(roc_auc_score(y_obj, p_obj), abs=5e-4)
    assert f1_obj == pytest.approx(f1_score(y_obj, p_obj >= 0.5), abs=5e-4)
    assert abs(auc_obj - auc_cut) > 1e-3  # the option changes what is scored
    with pytest.raises(StarclassError, match="per-object"):
        mod.summarise(args, y, None)
