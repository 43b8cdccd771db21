"""``benchmarks/real_pandas_stack.py``: nested stacking of stored out-of-fold predictions (issue 12)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from sklearn.metrics import roc_auc_score

from conftest import load_benchmark
from starclass.errors import StarclassError

METHODS = ("stack-lr", "stack-lr-raw", "stack-mean")


def _grid(method: str) -> tuple:
    """A few values of each default grid, for the tests of what a combiner may see.

    Every value tried costs five folds of inner fits (about 20 ms each); the leakage and weighting
    properties do not depend on how finely C or m is searched.
    """
    mod = _module()
    return {"stack-lr": mod.C_GRID[::5], "stack-lr-raw": mod.C_GRID_RAW[::4], "stack-mean": (1, 2)}[method]


def _module():
    return load_benchmark("real_pandas_stack")


def _members(seed: int = 0, n: int = 1500):
    """Truth, 5 folds, and two members: one informative (AUC about 0.9), one pure noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    good = 1 / (1 + np.exp(-(1.6 * (2 * y - 1) + rng.normal(0, 1.3, n))))
    noise = rng.uniform(0.02, 0.98, n)
    return y, np.arange(n) % 5, np.column_stack([good, noise])


def test_a_noise_member_gets_almost_no_weight():
    mod = _module()
    y, folds, p = _members()
    train = folds != 0
    for method in ("stack-lr", "stack-lr-raw"):
        _, info = mod.fit_stack(method, p[train], y[train], folds[train], p[~train])
        good, noise = info["coef"]
        assert good > 0.3, (method, info)
        # the weight per logit unit of the noise is a small fraction of the informative member's
        assert abs(noise) < 0.1 * good, (method, info)
    _, info = mod.fit_stack("stack-mean", p[train], y[train], folds[train], p[~train])
    assert info["members"] == [0] and info["m"] == 1
    # pooled over the five outer folds the stack scores as the informative member, not worse
    for method in METHODS:
        out, _ = mod.nested_stack(method, p, y, folds, _grid(method))
        assert roc_auc_score(y, out) > roc_auc_score(y, p[:, 0]) - 0.01, method


def test_the_combiner_of_a_fold_is_given_only_the_other_folds(monkeypatch):
    """By construction: what reaches :func:`fit_stack` for fold k is the other folds' rows."""
    mod = _module()
    y, folds, p = _members(1)
    seen = []
    real = mod.fit_stack

    def spy(method, p_train, y_train, folds_train, p_test, grid=None):
        seen.append((p_train.copy(), y_train.copy(), folds_train.copy(), p_test.copy()))
        return real(method, p_train, y_train, folds_train, p_test, grid)

    monkeypatch.setattr(mod, "fit_stack", spy)
    mod.nested_stack("stack-lr", p, y, folds, _grid("stack-lr"))
    assert len(seen) == 5
    for k, (p_train, y_train, folds_train, p_test) in enumerate(seen):
        assert k not in folds_train
        np.testing.assert_array_equal(p_train, p[folds != k])
        np.testing.assert_array_equal(y_train, y[folds != k])
        np.testing.assert_array_equal(p_test, p[folds == k])


@pytest.mark.parametrize("method", METHODS)
def test_a_folds_labels_change_nothing_of_its_own_predictions(method):
    """Flip every label of fold 2 and scramble its predictions: fold 2's choice stays the same."""
    mod = _module()
    y, folds, p = _members(2)
    out, info = mod.nested_stack(method, p, y, folds, _grid(method))
    y2 = y.copy()
    y2[folds == 2] = 1 - y2[folds == 2]
    out2, info2 = mod.nested_stack(method, p, y2, folds, _grid(method))
    np.testing.assert_array_equal(out[folds == 2], out2[folds == 2])
    # the other folds' combiners were chosen on fold 2's rows among others: the flip shows there
    assert info2[0]["inner_auc"] != info[0]["inner_auc"]
    p3 = p.copy()
    rows = np.flatnonzero(folds == 2)
    p3[rows] = p[np.random.default_rng(0).permutation(rows)]
    _, info3 = mod.nested_stack(method, p3, y, folds, _grid(method))
    keep = ("C", "coef", "m", "members", "inner_auc")
    assert {k: v for k, v in info3[2].items() if k in keep} == {k: v for k, v in info[2].items() if k in keep}


def test_fit_stack_refuses_what_it_cannot_do():
    mod = _module()
    y, folds, p = _members()
    with pytest.raises(StarclassError, match="unknown combiner 'stack-xx'"):
        mod.fit_stack("stack-xx", p, y, folds, p)
    with pytest.raises(StarclassError, match="at least two training folds"):
        mod.fit_stack("stack-lr", p, y, np.zeros(y.size), p)
    with pytest.raises(StarclassError, match="do not match"):
        mod.fit_stack("stack-lr", p, y, folds, p[:, :1])


def _fold_files(d, name, folds, p, tta=True, shift=False):
    for k in np.unique(folds):
        rows = np.flatnonzero(folds == k)
        if shift:
            rows = np.flatnonzero(np.roll(folds, 1) == k)  # another split than the benchmark's
        rec = {"test": rows.tolist(), "p": p[rows].tolist()}
        if tta:
            rec["p_tta"] = p[rows].tolist()
        (d / f"{name}_fold{k}.json").write_text(json.dumps(rec))


def test_candidates_keep_only_runs_on_the_benchmarks_folds(tmp_path):
    mod = _module()
    y, folds, p = _members()
    _fold_files(tmp_path, "a", folds, p[:, 0])
    _fold_files(tmp_path, "b", folds, p[:, 1], tta=False)
    _fold_files(tmp_path, "other-folds", folds, p[:, 1], shift=True)
    _fold_files(tmp_path, "part", folds, p[:, 1])
    (tmp_path / "part_fold3.json").unlink()
    names, cols, skipped = mod.candidates(tmp_path, folds)
    assert names == ["a", "a +TTA", "b"]
    np.testing.assert_allclose(cols[:, 0], p[:, 0])
    np.testing.assert_allclose(cols[:, 2], p[:, 1])
    assert any(s.startswith("other-folds: fold 0 holds other cutouts") for s in skipped)
    assert any(s.startswith("part: no fold [3]") for s in skipped)


def test_label_audit_uses_one_column_per_run():
    mod = _module()
    y = np.array([1, 1, 0, 0, 1, 0] * 10)
    good = np.where(y == 1, 0.8, 0.2)
    good[[1, 3]] = [0.1, 0.95]  # two confident mistakes of every strong run
    # "a" with and without TTA: only its TTA column counts; "weak" has AUC 0.5 and does not
    p = np.column_stack([good, good, good, np.full(y.size, 0.5)])
    strong, rows = mod.label_audit(["a", "a +TTA", "b", "weak"], p, y, 0.8)
    assert strong == ["a +TTA", "b"]
    assert rows.tolist() == [3, 1]


def _cutout_folder(root, n_obj=40, seed=0):
    rng = np.random.default_rng(seed)
    lines = ["file,label,object_id,source_table,catalogue_class"]
    y = []
    for j in range(n_obj):
        label = "cluster" if j % 2 else "galaxy"
        for c in range(1 + j % 3 // 2):  # some objects have two cutouts
            (root / label).mkdir(parents=True, exist_ok=True)
            name = f"{label}/o{j}_{c}.png"
            Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(root / name)
            lines.append(f"{name},{label},obj{j},cat{j % 2},{1 if label == 'cluster' else 4}")
            y.append(int(label == "cluster"))
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return np.array(y)


def test_the_script_writes_its_folder_once_and_refuses_to_overwrite(tmp_path, capsys, monkeypatch):
    mod = _module()
    for name, method in (("C_GRID", "stack-lr"), ("C_GRID_RAW", "stack-lr-raw"), ("M_GRID", "stack-mean")):
        monkeypatch.setattr(mod, name, _grid(method))  # what is written, not how finely it is chosen
    bench = load_benchmark("real_pandas")
    data = tmp_path / "data"
    y = _cutout_folder(data)
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds

    cs = read_cutout_folder(data / "labels.csv", group_column="object_id")
    folds = group_folds(label_classes(cs, get_preset("m31-real").label_map), cs.groups, 5, seed=0)
    rng = np.random.default_rng(3)
    runs = tmp_path / "runs"
    runs.mkdir()
    for name, spread in (("best", 0.25), ("second", 0.3), ("noise", 0.0)):
        p = np.clip(0.5 + spread * (2 * y - 1) + rng.normal(0, 0.2, y.size), 0.01, 0.99)
        _fold_files(runs, name, folds, p, tta=name != "noise")
    out = tmp_path / "stack"
    args = ["--data", str(data), "--runs-dir", str(runs), "-o", str(out), "--n-boot", "10", "--best", "best +TTA",
            "--against", "second", "--post-hoc", "best +TTA,second +TTA", "--strong-auc", "0.7", "--top", "4"]
    assert mod.main(args) == 0
    written = sorted(f.name for f in out.iterdir())
    assert "label_audit.png" in written and "summary.md" in written and "stack-lr-raw_fold4.json" in written
    # the stacked fold files are in real_pandas.py's form: its readers pool them
    p_lr = load_benchmark("real_pandas_errors").pooled_probability(out, "stack-lr", y.size)
    assert np.isfinite(p_lr).all()
    summary = (out / "summary.md").read_text()
    assert "| stack-mean | " in summary and "objects |" in summary and "stack-lr - best +TTA" in summary
    assert bench.object_truth(y, cs.groups)[1].size == len(np.unique(cs.groups))
    before = (out / "summary.md").read_text()
    capsys.readouterr()
    assert mod.main(args) == 2
    assert "exists and is not empty; give --overwrite" in capsys.readouterr().err
    assert (out / "summary.md").read_text() == before
    assert mod.main(args + ["--overwrite"]) == 0


def test_the_script_names_a_missing_folder(tmp_path, capsys):
    mod = _module()
    assert mod.main(["--data", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")]) == 2
    assert "labels.csv (--data)" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_an_unknown_name_is_refused_before_any_work_with_the_close_names(tmp_path, capsys, monkeypatch):
    """``--best nosuch`` failed (exit 2) only after the stacking, listing all 56 candidates."""
    mod = _module()
    data = tmp_path / "data"
    y = _cutout_folder(data)
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds

    cs = read_cutout_folder(data / "labels.csv", group_column="object_id")
    folds = group_folds(label_classes(cs, get_preset("m31-real").label_map), cs.groups, 5, seed=0)
    runs = tmp_path / "runs"
    runs.mkdir()
    for k, name in enumerate(("best", "second", "noise", *(f"other{j}" for j in range(8)))):
        _fold_files(runs, name, folds, np.full(y.size, 0.1 + 0.05 * k), tta=name != "noise")
    out = tmp_path / "stack"
    args = ["--data", str(data), "--runs-dir", str(runs), "-o", str(out), "--n-boot", "10", "--against", "second",
            "--post-hoc", "best +TTA", "--strong-auc", "0.7"]

    def no_work(*a, **k):
        raise AssertionError("the stacking ran before the names were checked")

    monkeypatch.setattr(mod, "nested_stack", no_work)
    monkeypatch.setattr(mod, "read_cutout_folder", no_work)
    assert mod.main([*args, "--best", "bset +TTA"]) == 2
    err = capsys.readouterr().err
    assert "--best 'bset +TTA' is no candidate; did you mean 'best +TTA'" in err, err
    assert "other7" not in err  # not every name
    assert mod.main([*args, "--best", "best +TTA", "--against", "nosuch"]) == 2
    assert "--against 'nosuch' is no candidate; none is close to it (candidates of 11 runs)" in capsys.readouterr().err
    assert not out.exists()

    # a name the files allow but the runs do not give (no TTA stored): refused once read, before the stacking
    monkeypatch.setattr(mod, "read_cutout_folder", read_cutout_folder)
    assert mod.main([*args, "--best", "noise +TTA"]) == 2
    err = capsys.readouterr().err
    assert "--best 'noise +TTA' is no candidate; did you mean 'noise'" in err, err
    assert not out.exists()


def test_the_cutouts_classify_leaves_unclassified_are_neither_stacked_nor_scored(tmp_path, capsys, monkeypatch):
    """real_pandas_stack.py stacked and scored every cutout, the blank ones too (2 of the 869), with the fold models'
    confident P(cluster); classify --stamps gives them none. Now they are left out, as real_pandas.py --summarise
    leaves them out, and the output names them; the fold files written are still whole for real_pandas_errors."""
    mod = _module()
    for name, method in (("C_GRID", "stack-lr"), ("C_GRID_RAW", "stack-lr-raw"), ("M_GRID", "stack-mean")):
        monkeypatch.setattr(mod, name, _grid(method))
    data = tmp_path / "data"
    y = _cutout_folder(data)
    blank = [3, 20]
    lines = (data / "labels.csv").read_text().splitlines()
    for i in blank:  # a constant image: blank at every stamp size
        Image.fromarray(np.full((16, 16), 90, np.uint8)).save(data / lines[i + 1].split(",")[0])
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds

    cs = read_cutout_folder(data / "labels.csv", group_column="object_id")
    folds = group_folds(label_classes(cs, get_preset("m31-real").label_map), cs.groups, 5, seed=0)
    rng = np.random.default_rng(3)
    runs = tmp_path / "runs"
    runs.mkdir()
    for name, spread in (("best", 0.25), ("second", 0.3)):
        p = np.clip(0.5 + spread * (2 * y - 1) + rng.normal(0, 0.2, y.size), 0.01, 0.99)
        p[blank] = np.where(y[blank] == 1, 0.001, 0.999)  # confidently wrong, as a network is on a blank image
        _fold_files(runs, name, folds, p)
    out = tmp_path / "stack"
    args = ["--data", str(data), "--runs-dir", str(runs), "-o", str(out), "--n-boot", "10", "--best", "best +TTA",
            "--against", "second", "--post-hoc", "", "--strong-auc", "0.6", "--top", "4"]
    assert mod.main(args) == 0
    said = f"left out 2 of {y.size} cutouts that classify --stamps leaves unclassified: 2 blank (rows 3, 20, 0-based)"
    assert said in capsys.readouterr().out and said in (out / "summary.md").read_text()
    stack = json.loads((out / "stack.json").read_text())
    assert stack["unclassified_left_out"]["blank"] == blank
    keep = np.setdiff1d(np.arange(y.size), blank)
    # the best run's figures are those of the kept rows
    best = load_benchmark("real_pandas_errors").pooled_probability(runs, "best +TTA", y.size)
    assert stack["figures"]["cutouts"]["best +TTA"]["auc"] == pytest.approx(roc_auc_score(y[keep], best[keep]))
    # the stacked folds hold every kept row of labels.csv once, and no blank one
    rows = np.concatenate([json.loads((out / f"stack-lr_fold{k}.json").read_text())["test"] for k in range(5)])
    assert sorted(rows.tolist()) == keep.tolist()
    # the label audit names rows of labels.csv
    audit = json.loads((out / "audit.json").read_text())
    assert all(cs.files[r["row"]] == r["file"] and r["row"] not in blank for r in audit["top"])
    # and real_pandas_errors writes them as classify does: class_pred 0, no probabilities
    errors = load_benchmark("real_pandas_errors")
    table = tmp_path / "oof.csv"
    assert errors.main(["--data", str(data), "--out", str(out), "--runs", "stack-lr", "-o", str(table)]) == 0
    assert said in capsys.readouterr().out
    from astropy.table import Table

    t = Table.read(table)
    assert np.flatnonzero(np.asarray(t["class_pred"]) == 0).tolist() == blank
    assert np.isnan(np.asarray(t["prob_1"], float)[blank]).all() and np.isfinite(np.asarray(t["prob_1"])[keep]).all()
