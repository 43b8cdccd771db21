"""``benchmarks/real_pandas.py --summarise --per-object``: scoring objects, not cutouts."""

from __future__ import annotations

import argparse
import dataclasses
import json

import numpy as np
import pytest
import torch
from sklearn.metrics import f1_score, roc_auc_score

from conftest import load_benchmark
from starclass.errors import StarclassError


def _module():
    return load_benchmark("real_pandas")


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


# ----------------------------------------------------------------------------- fifth pass (issue 12)


def _args(**kw):
    base = dict(starcnet_width=32, recipe=None, members=None, stamp_size=None, input_size=None)
    base.update(kw)
    return argparse.Namespace(**base)


def test_stamp_size_override_keeps_the_native_pixels():
    import torch

    from starclass.models import build_model
    from starclass.stamps.images import cutout_inputs

    mod = _module()
    default, _ = mod.variant_config("compact", _args())
    native, width = mod.variant_config("compact", _args(stamp_size=128))
    assert default.stamp_size == 64 and native.stamp_size == 128 and width is None
    images = np.random.default_rng(0).random((2, 1, 128, 128)).astype(np.float32)
    x = cutout_inputs(images, native)
    assert x.shape == (2, 1, 128, 128)
    # no resampling at 128: the inputs are the z-scored pixels themselves
    z = (images - images.mean(axis=(2, 3), keepdims=True)) / images.std(axis=(2, 3), keepdims=True)
    assert np.corrcoef(x[0, 0].ravel(), z[0, 0].ravel())[0, 1] > 0.99
    assert cutout_inputs(images, default).shape == (2, 1, 64, 64)
    net = build_model(native).eval()
    with torch.no_grad():
        assert net(torch.from_numpy(x)).shape == (2, 2)
    # the override would do nothing for a net that resizes inside, nor may it enlarge a crop
    with pytest.raises(StarclassError, match="resizes its input"):
        mod.variant_config("resnet50", _args(stamp_size=56))
    with pytest.raises(StarclassError, match="between 8 and the 64 px"):
        mod.variant_config("compact-c64", _args(stamp_size=128))


def test_input_size_enlarges_inside_the_network_and_resnet50_n128_sees_the_whole_cutout():
    import torch

    from starclass.models import build_model

    mod = _module()
    grown, width = mod.variant_config("resnet18", _args(stamp_size=128, input_size=256))
    assert (grown.stamp_size, grown.input_size, width) == (128, 256, None)
    assert grown.name.endswith("-s128-i256")
    whole, width = mod.variant_config("resnet50-n128", _args())
    assert (whole.architecture, whole.stamp_size, whole.input_size, width) == ("resnet50", 128, None, None)
    assert whole.recipe.optimizer == "adam" and whole.recipe.lr == 1e-4
    seen = []
    net = build_model(grown).eval()
    # the first convolution must see the enlarged image, not the 128 px stamp
    first = next(m for m in net.modules() if isinstance(m, torch.nn.Conv2d) and m.kernel_size[0] > 1)
    first.register_forward_hook(lambda m, i, o: seen.append(tuple(i[0].shape[-2:])))
    with torch.no_grad():
        assert net(torch.zeros(1, 1, 128, 128)).shape == (1, 2)
    assert seen == [(256, 256)]
    # a network that already resizes (the paper's ResNet-50) refuses a second size
    with pytest.raises(StarclassError, match="already resizes its input to 224"):
        mod.variant_config("resnet50", _args(input_size=256))


def test_inner_splits_never_touch_the_test_fold():
    mod = _module()
    folds = np.random.default_rng(3).integers(0, 5, 200)
    for k in range(5):
        splits = mod.inner_splits(folds, k)
        assert [j for j, _, _ in splits] == [j for j in range(5) if j != k]
        held_all = np.concatenate([h for _, _, h in splits])
        # the held parts cover the training part of fold k exactly once, and nothing of fold k
        assert np.array_equal(np.sort(held_all), np.flatnonzero(folds != k))
        for j, train, held in splits:
            assert not np.isin(folds[train], [k, j]).any()
            assert np.all(folds[held] == j)
            assert np.intersect1d(train, held).size == 0
    with pytest.raises(StarclassError, match="at least 3 folds"):
        mod.inner_splits(np.array([0, 1, 0, 1]), 0)


class _Spy:
    """A second-level model that records the rows it is fitted on (column 1 is the row number)."""

    seen: list = []

    def fit(self, x, y):
        _Spy.seen.append(np.asarray(x)[:, 1].astype(int))
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, x):
        p = 1 / (1 + np.exp(-np.asarray(x)[:, 0]))
        return np.column_stack([1 - p, p])


def _fold_files(tmp_path, folds, y, rng, leak: bool = False):
    """Fold files of a CNN run with inner out-of-fold predictions (``leak``: fold k's rows in them)."""
    for k in np.unique(folds):
        test = np.flatnonzero(folds == k)
        inner = np.flatnonzero(folds != k)
        if leak:
            inner = np.concatenate([inner, test[:3]])
        p = lambda rows: np.clip(0.4 * y[rows] + rng.uniform(0, 0.6, rows.size), 0.01, 0.99).tolist()  # noqa: E731
        (tmp_path / f"cnn_fold{k}.json").write_text(json.dumps(
            {"test": test.tolist(), "p": p(test), "p_tta": p(test),
             "inner": {"index": inner.tolist(), "p": p(inner), "p_tta": p(inner)}}))


def test_stacker_never_sees_test_fold_rows(tmp_path, monkeypatch):
    mod = _module()
    rng = np.random.default_rng(4)
    n = 120
    folds = np.repeat(np.arange(5), n // 5)
    y = rng.integers(1, 3, n)  # classes 1 (cluster) and 2
    # the morphology features carry the row number, so the spy knows which rows it was fitted on
    np.save(tmp_path / "morph.npy", np.column_stack([np.arange(n), rng.normal(size=(n, 2))]))
    _fold_files(tmp_path, folds, (y == 1).astype(int), rng)
    monkeypatch.setattr(mod, "second_level_model", lambda name, seed=0: _Spy())
    _Spy.seen = []
    args = argparse.Namespace(out=str(tmp_path), stack_on="cnn", stack_tta=True,
                              morph_cache=str(tmp_path / "morph.npy"), seed=0)
    cs = argparse.Namespace(images=None)
    for k in range(5):
        res = mod.run_stack("stack-lr", cs, y, folds, k, args)
        fitted = _Spy.seen[-1]
        assert not np.any(folds[fitted] == k), f"fold {k}: the second-level model saw test-fold rows"
        assert np.array_equal(np.sort(fitted), np.flatnonzero(folds != k))
        assert res["test"] == np.flatnonzero(folds == k).tolist()
    # a run whose inner predictions include test-fold rows is refused, naming the row
    _fold_files(tmp_path, folds, (y == 1).astype(int), rng, leak=True)
    with pytest.raises(StarclassError, match="in the test fold"):
        mod.run_stack("stack-lr", cs, y, folds, 0, args)


def test_stacking_uses_the_extra_features():
    """A feature the CNN lacks is picked up by the real second-level models (not a constant)."""
    mod = _module()
    rng = np.random.default_rng(5)
    n = 400
    folds = rng.integers(0, 5, n)
    y = rng.integers(0, 2, n)
    p_cnn = np.clip(0.5 + 0.1 * (2 * y - 1) + rng.normal(0, 0.2, n), 0.01, 0.99)  # a weak CNN
    extra = np.column_stack([y + rng.normal(0, 0.3, n), rng.normal(size=n)])  # a strong morphology cue
    extra[rng.random(n) < 0.1, 0] = np.nan  # missing measurements, as statmorph gives
    k = 0
    train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
    for name in mod.STACKERS:
        p = mod.stack_fold(mod.second_level_model(name), y, extra, folds, k, train, p_cnn[train], test, p_cnn[test])
        assert roc_auc_score(y[test], p) > roc_auc_score(y[test], p_cnn[test]) + 0.05


def test_device_option_names_what_is_wrong_and_stops_before_work(tmp_path, capsys):
    """``--device``: a device this machine lacks stops the run with exit 2 before any data is read."""
    mod = _module()
    missing = tmp_path / "no_such_folder"  # reading it would fail differently, so the order shows
    code = mod.main(["--device", "tpu", "--data", str(missing), "--out", str(tmp_path / "out")])
    assert code == 2
    out = capsys.readouterr().out
    assert "--device" in out and "tpu" in out
    assert not (tmp_path / "out").exists()
    assert mod.resolve_device("cpu") == "cpu"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert mod.resolve_device("auto") == expected


def test_time_batches_runs_on_the_device_it_is_given(tmp_path, capsys):
    """``--time-batches`` with ``--device cpu`` times a small CNN on a generated folder and names the device."""
    from PIL import Image

    rng = np.random.default_rng(0)
    rows = ["file,label,object_id"]
    for j in range(24):
        label = "cluster" if j % 2 else "galaxy"
        name = f"c{j:02d}.png"
        Image.fromarray(rng.integers(0, 255, (128, 128), dtype=np.uint8)).save(tmp_path / name)
        rows.append(f"{name},{label},o{j:02d}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    code = _module().main(["--models", "smallcnn", "--time-batches", "1", "--device", "cpu", "--data", str(tmp_path),
                          "--threads", "1", "--out", str(tmp_path / "out")])
    assert code == 0
    assert "on cpu" in capsys.readouterr().out


@pytest.mark.parametrize(("recipe", "says"), [("mixup=-1", "recipe.mixup=-1"),
                                              ("label_smoothing=1.5", "recipe.label_smoothing=1.5"),
                                              ("shift=-2", "recipe.shift=-2")])
def test_bad_recipe_value_names_the_entry_and_stops_before_work(tmp_path, capsys, recipe, says):
    """``--recipe``: a bad value was a traceback after the folder had been read; now exit 2 first."""
    mod = _module()
    missing = tmp_path / "no_such_folder"  # reading it would fail differently, so the order shows
    code = mod.main(["--models", "resnet18", "--recipe", recipe, "--data", str(missing),
                     "--out", str(tmp_path / "out")])
    assert code == 2
    assert says in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("recipe", "want"), [(None, 4), ("lr=1e-3", 4), ("seeds=1", 1), ("lr=1e-3,seeds=7", 7)])
def test_recipe_seeds_reach_the_training(monkeypatch, recipe, want):
    """``--recipe seeds=1`` was overridden by ``--seed`` (a "seed 1" run trained with seed 0)."""
    mod = _module()
    seen = {}

    class Stop(Exception):
        pass

    def spy(cfg, data, **kw):
        # the seed fit() will train with, after fit_cutouts' own override
        seen["seed"] = cfg.recipe.member_seed(0) if kw["seed"] is None else kw["seed"]
        raise Stop

    monkeypatch.setattr(mod, "fit_cutouts", spy)
    args = argparse.Namespace(recipe=recipe, members=None, arch_options=None, stamp_size=None, starcnet_width=32,
                              seed=4, epochs=1, device="cpu", init_from=None)
    with pytest.raises(Stop):
        mod.run_cnn("resnet18", None, np.zeros(4), np.zeros(4, int), 0, args)
    assert seen["seed"] == want


def test_a_purity_never_reached_in_the_resamples_prints_no_nan_interval():
    mod = _module()
    nan = float("nan")
    assert mod._cell(nan, nan, nan) == "not reached (nor in most resamples)"
    assert mod._cell(nan, 0.9, 1.0) == "not reached [0.900, 1.000]"
    assert mod._cell(0.91, 0.9, 0.95) == "0.910 [0.900, 0.950]"


def test_the_m31_real_resnet18_preset_is_the_benchmarks_best_measured_recipe():
    """The preset's documented figures (AUC 0.959, F1 0.918) are those of this benchmark configuration."""
    from starclass.learn.config import get_preset

    mod = _module()
    long_x3 = "epochs=60,early_stopping_patience=15,lr_schedule=cosine,shift=4"
    bench, width = mod.variant_config("resnet18", _args(stamp_size=128, members=3, recipe=long_x3))
    preset = get_preset("m31-real-resnet18")
    assert width is None
    mine, theirs = preset.to_dict(), bench.to_dict()
    differ = {k for k in mine if mine[k] != theirs.get(k)}
    assert differ == {"name", "description"}, differ
    assert (preset.architecture, preset.stamp_size, preset.recipe.ensemble_size) == ("resnet18", 128, 3)
    # everything else is m31-real's: the same labels, grouping and normalisation
    base = get_preset("m31-real")
    assert (preset.label_map, preset.group_column, preset.normalisation) == (
        base.label_map, base.group_column, base.normalisation)
    # and the benchmark's own ResNet-18 configurations do not pass for the preset
    assert bench.preset_name is None and mod.variant_config("resnet18", _args())[0].preset_name is None


# ----------------------------------------------------------------------------- objects resampled whole (2026-12-05)


def test_summary_intervals_resample_objects_unless_told_otherwise(tmp_path):
    """869 cutouts are 755 objects: the per-cutout intervals resampled cutouts one by one, too narrow."""
    mod = _module()
    rng = np.random.default_rng(4)
    # 40 objects of three identical cutouts each (as if the same object on three CCDs)
    y_obj = np.resize([0, 1], 40)
    p_obj = np.clip(0.3 * y_obj + rng.uniform(0, 0.7, 40), 0, 1)
    groups = np.repeat([f"obj{j:02d}" for j in range(40)], 3)
    y, p = np.repeat(y_obj, 3), np.repeat(p_obj, 3)
    fold = np.isin(groups, np.unique(groups)[::2]).astype(int)
    for k in (0, 1):
        test = np.flatnonzero(fold == k)
        (tmp_path / f"compact_fold{k}.json").write_text(json.dumps(
            {"test": test.tolist(), "p": p[test].tolist(), "train_s": 1.0, "infer_s": 0.1}))
    args = argparse.Namespace(out=str(tmp_path), runs=None, summary_folds=None, n_boot=200, ensemble=None,
                              best=None, against=None, per_object=False, group_bootstrap=True)

    def widths(text):
        row = next(r for r in text.splitlines() if r.startswith("| compact |"))
        cells = [c.strip() for c in row.split("|")[1:-1]][3:6]  # accuracy, AUC, F1
        return [float(c.split("[")[1].split(",")[1].rstrip("]")) - float(c.split("[")[1].split(",")[0])
                for c in cells]

    grouped = mod.summarise(args, y, groups)
    assert grouped.splitlines()[0].startswith("95% intervals resample the 40 objects (object_id)")
    args.group_bootstrap = False
    by_row = mod.summarise(args, y, groups)
    assert by_row.splitlines()[0] == "95% intervals resample the 120 cutouts one by one (--no-group-bootstrap)"
    assert all(g > r for g, r in zip(widths(grouped), widths(by_row)))
    # three copies of each object: the objects' intervals are those of the 40 objects scored once each (accuracy,
    # AUC, F1: the threshold for 90% purity needs a least number of selected rows, which copies change)
    # (the widths above need the 200 draws; these equalities hold draw for draw, so 50 prove them as well at a
    # quarter of the cost: sklearn's AUC and F1 on every draw were most of this test's 11 s)
    once = mod.score_cells(y_obj, p_obj, 50)
    assert mod.score_cells(y, p, 50, groups=groups)[:3] == once[:3]
    # objects of one cutout each: the same draws as resampling rows
    assert mod.score_cells(y_obj, p_obj, 50, groups=np.arange(40)) == once
    a, b = mod.paired_lines("a", p, "b", np.full(y.size, 0.5), y, 50, groups=groups), \
        mod.paired_lines("a", p_obj, "b", np.full(40, 0.5), y_obj, 50)
    assert [ln.rsplit("|", 2)[0] for ln in a] == [ln.rsplit("|", 2)[0] for ln in b]


def test_stack_report_resamples_objects_per_cutout():
    stack = load_benchmark("real_pandas_stack")
    rng = np.random.default_rng(6)
    groups = np.repeat([f"o{j}" for j in range(30)], 2)
    y = np.repeat(np.resize([0, 1], 30), 2)
    p = np.column_stack([np.clip(0.4 * y + rng.uniform(0, 0.6, y.size), 0, 1) for _ in range(2)])
    stacked = {"stack-lr": p[:, 0]}
    # 20 draws, not 50: what is checked is which rows are resampled (the headers) and that the per-object text is
    # the same draw for draw, which holds at any number of draws (sklearn's AUC and F1 on each were the 9 s)
    on, _ = stack.report(["a", "b"], p, y, groups, stacked, "a", ["b"], [], 20)
    off, _ = stack.report(["a", "b"], p, y, groups, stacked, "a", ["b"], [], 20, group_bootstrap=False)
    assert "Per cutout (95% intervals resample the 30 objects (object_id)" in on
    assert "Per cutout (95% intervals resample the 60 cutouts one by one)" in off
    assert on.split("Per object")[1] == off.split("Per object")[1]  # per object, a row is already an object


# ----------------------------------------------------------------------------- names checked before any work


def test_summary_refuses_an_unknown_name_before_any_work_with_the_close_names(tmp_path, capsys, monkeypatch):
    """``--summarise --best nosuch`` was a traceback after the bootstrap of every row, listing every name;
    an unknown ``--against`` was skipped without a word."""
    mod = _module()
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 40)
    groups = np.array([f"o{j:02d}" for j in range(40)])
    for k, name in enumerate(("best", "second", "trees", *(f"other{j}" for j in range(8)))):
        for fold in (0, 1):
            test = np.arange(fold, 40, 2)
            run = {"test": test.tolist(), "p": np.full(test.size, 0.1 + 0.05 * k).tolist(), "train_s": 1.0,
                   "infer_s": 0.1}
            if name != "second":  # stored without TTA
                run.update(p_tta=rng.uniform(0, 1, test.size).tolist(), infer_tta_s=0.2)
            (tmp_path / f"{name}_fold{fold}.json").write_text(json.dumps(run))
    args = ["--summarise", "--out", str(tmp_path), "--data", str(tmp_path / "no_such_folder"), "--n-boot", "10"]

    def no_work(*a, **k):
        raise AssertionError("the folder was read before the names were checked")

    summarise = mod.summarise
    monkeypatch.setattr(mod, "read_cutout_folder", no_work)
    monkeypatch.setattr(mod, "summarise", no_work)
    for given, says in [(["--best", "bset +TTA"], "--best 'bset +TTA' is no candidate; did you mean 'best +TTA'"),
                        (["--against", "nosuch"],
                         "--against 'nosuch' is no candidate; none is close to it (candidates of 11 runs)"),
                        (["--runs", "best,secnd"], "--runs 'secnd' is no candidate; did you mean 'second'?"),
                        (["--ensemble", "best +TTA,bset"], "--ensemble 'bset' is no candidate; did you mean 'best'"),
                        # a run left out by --runs is no candidate of --best
                        (["--runs", "best", "--best", "second"], "--best 'second' is no candidate")]:
        assert mod.main([*args, *given]) == 2, given
        out = capsys.readouterr().out
        assert says in out, (given, out)
        assert "other7" not in out  # not every name

    # names the files allow but the runs read do not give (no TTA stored): refused by summarise, not skipped
    ns = argparse.Namespace(out=str(tmp_path), runs=None, summary_folds=None, n_boot=10, ensemble=None,
                            best="best +TTA", against="second +TTA", per_object=False, group_bootstrap=False)
    with pytest.raises(StarclassError, match=r"--against 'second \+TTA' is no candidate; did you mean 'second'\?"):
        summarise(ns, y, groups)
    # known names, and a row of --ensemble: compared
    ns.best, ns.against, ns.ensemble = "best +TTA;mean(other1 +TTA, second)", "second", "other1 +TTA,second"
    text = summarise(ns, y, groups)
    assert "| best +TTA - second | auc |" in text and "| mean(other1 +TTA, second) - second | auc |" in text
    assert mod.check_summary_names(ns) is None  # the early check lets the --ensemble row through
    # and from main: exit 2 with the message, not a traceback
    monkeypatch.setattr(mod, "summarise", lambda *a, **k: (_ for _ in ()).throw(StarclassError("--best 'x': why")))
    monkeypatch.setattr(mod, "read_cutout_folder", lambda *a, **k: None)
    monkeypatch.setattr(mod, "add_regions", lambda cs: argparse.Namespace(
        groups=groups, images=rng.random((40, 1, 16, 16)).astype("f4")))
    monkeypatch.setattr(mod, "label_classes", lambda *a: y)
    assert mod.main([*args, "--best", "best +TTA"]) == 2
    assert "real_pandas: --best 'x': why" in capsys.readouterr().out


# ----------------------------------------------------------------------------- every row of the table can be named


def test_every_row_the_summary_shows_can_be_named_in_against_and_best(tmp_path):
    """``--against "mean(a +TTA, b)"`` was split at the comma inside the row's name: an ``--ensemble`` row could not
    be named, though the table shows it (and ``--best`` takes it, split on ';'). Each row is named here as the
    table shows it (its first column, `` +TTA`` where its TTA column says 8x) and all are given at once."""
    mod = _module()
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, 40)
    groups = np.array([f"o{j:02d}" for j in range(40)])
    for name, members in (("compact", 1), ("resnet18", 1), ("compact-x3", 3), ("trees", 1)):
        for fold in (0, 1):
            test = np.arange(fold, 40, 2)
            run = {"test": test.tolist(), "p": np.clip(0.3 * y[test] + rng.uniform(0, 0.7, test.size), 0, 1).tolist(),
                   "train_s": 1.0, "infer_s": 0.1, "members": members}
            if name != "trees":
                run.update(p_tta=np.clip(0.4 * y[test] + rng.uniform(0, 0.6, test.size), 0, 1).tolist(),
                           infer_tta_s=0.2)
            (tmp_path / f"{name}_fold{fold}.json").write_text(json.dumps(run))
    ns = argparse.Namespace(out=str(tmp_path), runs=None, summary_folds=None, n_boot=10, best="compact-x3 +TTA",
                            against=None, ensemble="compact +TTA,resnet18;compact-x3 +TTA,resnet18 +TTA,compact",
                            per_object=False, group_bootstrap=False)
    table = mod.summarise(ns, y, groups).split("\n\n")[1]
    shown = []
    for row in table.splitlines()[2:]:
        first, _, tta = [c.strip() for c in row.split("|")[1:4]]
        shown.append(first + (" +TTA" if tta == "8x" else ""))
    assert "mean(compact +TTA, resnet18)" in shown and "ensemble (compact+resnet18)" in shown
    assert "compact-x3 (3 members) +TTA" in shown and len(shown) == 10, shown
    # the row of the report: its name split at the comma, "--against 'mean(compact +TTA' is no candidate"
    ns.against = "mean(compact +TTA, resnet18)"
    assert mod.check_summary_names(ns) is None
    assert "| compact-x3 +TTA - mean(compact +TTA, resnet18) | auc |" in mod.summarise(ns, y, groups)
    ns.against = ",".join(shown)
    assert mod.check_summary_names(ns) is None  # the early check (from the files' names) lets them through
    text = mod.summarise(ns, y, groups)
    for name in shown:
        if name != "compact-x3 (3 members) +TTA":  # --best itself: not compared with itself
            assert f"| compact-x3 +TTA - {mod.option_names(name)[0]} | auc |" in text, name
    assert "| compact-x3 +TTA - mean(compact-x3 +TTA, resnet18 +TTA, compact) | auc |" in text
    # and --best takes any of them too, from main as from summarise
    ns.best, ns.against = "mean(compact +TTA, resnet18);ensemble (compact+resnet18)", "compact-x3 (3 members)"
    assert mod.check_summary_names(ns) is None
    text = mod.summarise(ns, y, groups)
    assert "| mean(compact +TTA, resnet18) - compact-x3 | auc |" in text
    assert "| ensemble - compact-x3 | auc |" in text


@pytest.mark.slow  # trains a tiny fold model and classifies twice: 23 s on the loaded 2-core machine
def test_a_fold_stores_what_classify_tta_writes_and_the_maps_it_came_from(monkeypatch, tmp_path):
    """The fold's ``p_tta`` and ``pred_set_tta`` are ``classify --stamps --tta``'s, with the map fitted under TTA.

    The benchmark classifies each fold through ``predict_inputs``, not through ``classify``: this
    checks that it gets what a user gets (since 2026-12-05 the map fitted under TTA), and that the
    fold keeps what scoring the older path needs (the raw probabilities, the one-view temperature).
    """
    from astropy.table import Table

    from starclass.io.cutout_folders import CutoutSet, label_classes
    from starclass.learn.calibration import temper
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import classify_cutouts, group_folds

    mod = _module()
    rng = np.random.default_rng(3)
    n = 240
    labels = np.array(["cluster", "galaxy"])[rng.integers(0, 2, n)]
    yy, xx = np.mgrid[:24, :24] - 11.5
    # clusters: a bright compact core; galaxies: a wide faint disc; noise so no cutout is blank
    core = np.exp(-(xx ** 2 + yy ** 2) / np.where(labels == "cluster", 4.0, 30.0)[:, None, None])
    images = (core + rng.normal(0, 0.3, (n, 24, 24)))[:, None].astype(np.float32)
    groups = np.array([f"o{i // 2}" for i in range(n)])
    cs = CutoutSet(images=images, table=Table({"object_id": groups}), files=[f"c{i}.png" for i in range(n)],
                   labels=labels, groups=groups, bands=[], folds=None, root=tmp_path, source=tmp_path / "l.csv")
    cfg = get_preset("m31-real").copy(name="m31-real-tiny", stamp_size=16, pixel_scale=0.28,
                                      recipe={"epochs": 2, "batch_size": 32, "val_fraction": 0.3})
    monkeypatch.setattr(mod, "variant_config", lambda name, args: (cfg, None))
    kept = tmp_path / "fold_model"
    real_load = mod.load_model

    def keep(path, **kw):  # the fold model lives in a temporary folder: keep a copy to classify with
        import shutil

        shutil.copytree(path, kept)
        return real_load(path, **kw)

    monkeypatch.setattr(mod, "load_model", keep)
    y = label_classes(cs, cfg.label_map)
    folds = group_folds(y, cs.groups, 3, seed=0)
    args = argparse.Namespace(recipe=None, seed=0, epochs=None, device="cpu", init_from=None, inner_oof=False)
    torch.manual_seed(0)
    res = mod.run_cnn("compact", cs, y, folds, 0, args)

    test = np.asarray(res["test"])
    cal = res["calibration"]
    assert cal["method"] == "temperature" and cal["with_tta"]["method"] == "temperature"
    p_raw, p_tta_raw = np.asarray(res["p_raw"]), np.asarray(res["p_tta_raw"])
    # each mode carries its own map: the one-view temperature on p, the one fitted under TTA on p_tta
    np.testing.assert_allclose(res["p"], temper(np.c_[p_raw, 1 - p_raw], cal["temperature"])[:, 0], atol=1e-9)
    np.testing.assert_allclose(res["p_tta"], temper(np.c_[p_tta_raw, 1 - p_tta_raw],
                                                    cal["with_tta"]["temperature"])[:, 0], atol=1e-9)
    # and they are what classify --stamps --tta writes for the same cutouts with the same model
    sub = dataclasses.replace(cs, images=cs.images[test], labels=cs.labels[test], groups=cs.groups[test],
                              table=cs.table[test], files=[cs.files[i] for i in test])
    for tta, p_key, s_key in ((True, "p_tta", "pred_set_tta"), (False, "p", "pred_set")):
        out = classify_cutouts(sub, kept, tta=tta, device="cpu", progress=False)
        np.testing.assert_allclose(np.asarray(out["prob_1"], float), res[p_key], atol=1e-6)
        assert [str(s) for s in out["pred_set"]] == res[s_key]
    assert {"1", "2"} & set(res["pred_set_tta"]), "every set holds both classes: too few calibration rows to test"


# ----------------------------------------------------------------------------- unclassified cutouts (2026-12-06)


def _blank_folder(d, n: int, blank_rows, size: int = 32, seed: int = 3):
    """A labelled one-band folder of ``n`` NPY cutouts (m31-real labels, one object each), blank at ``blank_rows``."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2 == 0).astype(int)  # 1: cluster
    lines = ["file,label,object_id"]
    for i in range(n):
        img = rng.normal(10.0, 1.0, (size, size)).astype("f4")
        if i in blank_rows:
            img[:] = 3.0
        np.save(d / f"c{i}.npy", img)
        lines.append(f"c{i}.npy,{'cluster' if y[i] else 'galaxy'},obj{i}")
    (d / "labels.csv").write_text("\n".join(lines) + "\n")
    return y


def test_summary_leaves_out_the_cutouts_classify_leaves_unclassified_and_says_which(tmp_path, capsys):
    """real_pandas.py --summarise scored every cutout, blank ones too, with the fold models' confident P(cluster);
    classify --stamps gives a blank cutout none. Now they are left out of every row and the summary names them."""
    mod = _module()
    data, runs = tmp_path / "data", tmp_path / "runs"
    data.mkdir(), runs.mkdir()
    n, blank = 80, [5, 40, 63]
    y = _blank_folder(data, n, blank)
    rng = np.random.default_rng(2)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, n), 0, 1)
    p[blank] = np.where(y[blank] == 1, 0.001, 0.999)  # confidently wrong, as a network is on a blank image
    fold = np.arange(n) % 5
    for k in range(5):
        i = np.flatnonzero(fold == k)
        (runs / f"compact_fold{k}.json").write_text(json.dumps(
            {"test": i.tolist(), "p": p[i].tolist(), "p_tta": p[i].tolist(), "train_s": 1.0, "infer_s": 0.1,
             "infer_tta_s": 0.2, "stamp_size": 32}))
        (runs / f"trees_fold{k}.json").write_text(json.dumps(
            {"test": i.tolist(), "p": (1 - p[i]).tolist(), "train_s": 1.0, "infer_s": 0.1}))
    keep = np.setdiff1d(np.arange(n), blank)

    def auc_cell(text, row):
        line = next(r for r in text.splitlines() if r.startswith(f"| {row} |"))
        return line.split("|")[5].strip().split(" ")[0]

    base = ["--summarise", "--out", str(runs), "--data", str(data), "--n-boot", "20"]
    assert mod.main(base) == 0
    text = capsys.readouterr().out
    assert "left out 3 of 80 cutouts that classify --stamps leaves unclassified: 3 blank (rows 5, 40, 63, 0-based)" \
        in text.splitlines()[1]
    assert "not the 77 cutouts one by one" in text.splitlines()[0]
    assert auc_cell(text, "compact") == f"{roc_auc_score(y[keep], p[keep]):.3f}"
    assert auc_cell(text, "trees") == f"{roc_auc_score(y[keep], 1 - p[keep]):.3f}"  # every run on the same rows
    assert "- trees | auc |" in text and text.rstrip().endswith("| 77 |")  # the paired differences too
    assert f"{roc_auc_score(y, p):.3f}" != auc_cell(text, "compact")  # scoring them would have moved it
    # as every table before 2026-12-06: all of them, said so
    assert mod.main([*base, "--keep-unclassified"]) == 0
    text = capsys.readouterr().out
    assert auc_cell(text, "compact") == f"{roc_auc_score(y, p):.3f}"
    assert "scored all 80 cutouts, the 3 that classify --stamps leaves unclassified among them" in text
    # per object: an object whose only cutout is blank is not scored either
    assert mod.main([*base, "--per-object"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "95% intervals resample the 77 objects (one row each)"


def test_unclassified_rows_is_the_packages_rule_at_every_stamp_size():
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import unclassified_cutouts

    mod = _module()
    img = np.random.default_rng(0).random((5, 1, 128, 128)).astype("f4")
    img[1] = 7.0
    img[3, 0, 60:68, 60:68] = np.nan  # no data at the centre
    blank, centre = mod.unclassified_rows(img, [64, 128, 64])
    assert blank.tolist() == [False, True, False, False, False]
    assert centre.tolist() == [False, False, False, True, False]
    for size in (64, 128):
        b, c = unclassified_cutouts(img, get_preset("m31-real", stamp_size=size))
        assert not (b & ~blank).any() and not (c & ~centre).any()
