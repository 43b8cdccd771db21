"""benchmarks/trust_active_real.py: the summary (fold means, standard errors, labels needed) and the loop."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import torch

from conftest import load_benchmark

pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("trust_active_real")


def test_labels_needed_first_reaching(bench):
    assert bench.labels_needed([10, 20, 30], [0.5, 0.8, 0.9], 0.8) == 20
    assert bench.labels_needed([10, 20, 30], [0.5, 0.7, 0.79], 0.8) is None


def test_labels_needed_linear(bench):
    # 0.70 at 100, 0.90 at 200: 0.85 is three quarters of the way
    assert bench.labels_needed_linear([100, 200, 300], [0.70, 0.90, 0.95], 0.85) == pytest.approx(175.0)
    # the first crossing counts, not a later one
    assert bench.labels_needed_linear([100, 200, 300], [0.70, 0.90, 0.80], 0.85) == pytest.approx(175.0)
    assert bench.labels_needed_linear([100, 200], [0.9, 0.95], 0.8) == 100.0
    assert bench.labels_needed_linear([100, 200], [0.7, 0.75], 0.8) is None


def test_parse_runs(bench):
    assert bench.parse_runs(None, 2, [0, 1]) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert bench.parse_runs("0:0,1:1,2:2", 3, [0]) == [(0, 0), (1, 1), (2, 2)]
    with pytest.raises(ValueError, match="ORDER:SEED"):
        bench.parse_runs("0-1", 3, [0])


def _curve(grid, values):
    return [{"accuracy": v, "auc": v, "f1": v, "labels": n} for n, v in zip(grid, values)]


def _old_fold(k, ent, rnd, ref):
    """A fold file of the first version: random orders, one entropy curve, the references."""
    grid = [10, 20, 30]
    return {"fold": k, "grid": grid, "n_pool_objects": 60, "seconds": 1.0,
            "entropy": [_curve(grid, ent)], "random": [_curve(grid, r) for r in rnd],
            "reference": [{"accuracy": ref, "auc": ref, "f1": ref}]}


def test_summary_of_first_version_files(bench, tmp_path):
    # fold means: entropy 0.6, 0.85, 0.9; random (mean of two orders, then of folds) 0.6, 0.7, 0.8
    f0 = _old_fold(0, [0.6, 0.8, 0.9], [[0.5, 0.7, 0.8], [0.7, 0.7, 0.8]], 0.8)
    f1 = _old_fold(1, [0.6, 0.9, 0.9], [[0.6, 0.7, 0.8], [0.6, 0.7, 0.8]], 0.9)
    (tmp_path / "fold0.json").write_text(json.dumps(f0))
    (tmp_path / "fold1.json").write_text(json.dumps(f1))
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out)]) == 0
    acc = json.loads(out.read_text())["metrics"]["accuracy"]
    np.testing.assert_allclose(acc["entropy"]["mean"], [0.6, 0.85, 0.9])
    np.testing.assert_allclose(acc["random"]["mean"], [0.6, 0.7, 0.8])
    assert acc["all_labels_mean"] == pytest.approx(0.85)
    assert acc["entropy"]["labels_needed_grid"] == 20
    assert acc["entropy"]["labels_needed_interp"] == pytest.approx(20.0)
    assert acc["random"]["labels_needed_grid"] is None
    assert acc["entropy"]["reached_per_fold"] == [True, True]
    assert acc["random"]["reached_per_fold"] == [True, False]


def _piece(k, arm, o, seed, values, grid=(10, 20, 30), init_from=None):
    return {"fold": k, "grid": list(grid), "n_pool_objects": 60, "seconds": 2.0, "init_from": init_from,
            "order": o, "seed": seed, "arm": arm, arm: [_curve(grid, values)]}


def _ref(k, seed, value, init_from=None):
    return {"fold": k, "grid": [10, 20, 30], "n_pool_objects": 60, "seconds": 3.0, "init_from": init_from,
            "reference": [{"accuracy": value, "auc": value, "f1": value, "seed": seed}]}


def _write_pieces(folder, init_from=None):
    """Two folds, two runs each (order 0 seed 0, order 1 seed 1), two reference seeds each."""
    runs = {  # fold: {(order, seed): (entropy curve, random curve)}
        0: {(0, 0): ([0.6, 0.7, 0.9], [0.6, 0.7, 0.8]), (1, 1): ([0.5, 0.9, 0.9], [0.5, 0.6, 0.7])},
        1: {(0, 0): ([0.7, 0.8, 0.8], [0.7, 0.7, 0.7]), (1, 1): ([0.6, 0.8, 1.0], [0.6, 0.8, 0.9])},
    }
    refs = {0: (0.80, 0.90), 1: (0.84, 0.94)}
    for k, rr in runs.items():
        for (o, s), (ent, rnd) in rr.items():
            for arm, v in (("entropy", ent), ("random", rnd)):
                (folder / f"fold{k}_o{o}_s{s}_{arm}.json").write_text(json.dumps(_piece(k, arm, o, s, v,
                                                                                       init_from=init_from)))
        for s, v in enumerate(refs[k]):
            (folder / f"fold{k}_ref_s{s}.json").write_text(json.dumps(_ref(k, s, v, init_from=init_from)))
    return runs, refs


def test_summary_of_pieces_standard_errors_and_pairs(bench, tmp_path):
    runs, refs = _write_pieces(tmp_path)
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out)]) == 0
    s = json.loads(out.read_text())
    assert s["runs_per_fold"] == {"entropy": [2, 2], "random": [2, 2]}
    acc = s["metrics"]["accuracy"]
    # by hand: fold curves are the means of the two runs
    ent0, ent1 = np.array([0.55, 0.8, 0.9]), np.array([0.65, 0.8, 0.9])
    rnd0, rnd1 = np.array([0.55, 0.65, 0.75]), np.array([0.65, 0.75, 0.8])
    np.testing.assert_allclose(acc["entropy"]["mean"], (ent0 + ent1) / 2)
    # standard error of a mean of two: |a - b| / 2
    np.testing.assert_allclose(acc["entropy"]["se"], np.abs(ent0 - ent1) / 2, atol=1e-12)
    np.testing.assert_allclose(acc["random"]["se"], np.abs(rnd0 - rnd1) / 2, atol=1e-12)
    ref0, ref1 = 0.85, 0.89
    assert acc["all_labels_mean"] == pytest.approx(0.87)
    assert acc["all_labels_se"] == pytest.approx(0.02)
    np.testing.assert_allclose(acc["entropy"]["gap_mean"], ((ent0 - ref0) + (ent1 - ref1)) / 2)
    # entropy fold mean 0.6, 0.8, 0.9 against 0.87: between 20 and 30, seven tenths of the way
    assert acc["entropy"]["labels_needed_interp"] == pytest.approx(27.0)
    assert acc["entropy"]["labels_needed_grid"] == 30
    assert acc["random"]["labels_needed_interp"] is None
    assert acc["entropy"]["reached_per_fold"] == [True, True]
    assert acc["entropy"]["labels_needed_interp_per_fold"] == [pytest.approx(25.0), pytest.approx(29.0)]
    assert acc["random"]["reached_per_fold"] == [False, False]
    # single runs reaching their fold's reference: fold 0 (0.85) both entropy runs, fold 1 (0.89) one
    assert acc["entropy"]["runs_reaching"] == 3 and acc["entropy"]["runs"] == 4
    assert acc["random"]["runs_reaching"] == 1
    # paired entropy - random, run by run, averaged in the fold then over folds
    d0, d1 = ent0 - rnd0, ent1 - rnd1
    np.testing.assert_allclose(acc["entropy_minus_random"]["mean"], (d0 + d1) / 2, atol=1e-12)
    np.testing.assert_allclose(acc["entropy_minus_random"]["se"], np.abs(d0 - d1) / 2, atol=1e-12)
    # the spread of single runs about their fold's curve (pooled, one degree of freedom per fold)
    e = {k: np.array([v[0] for v in runs[k].values()]) for k in runs}
    dev = np.concatenate([e[k] - e[k].mean(0) for k in e])
    np.testing.assert_allclose(acc["entropy"]["run_sd"], np.sqrt((dev ** 2).sum(0) / 2), atol=1e-12)


def test_summary_refuses_mixed_starts(bench, tmp_path, capsys):
    _write_pieces(tmp_path)
    (tmp_path / "fold0_o2_s2_entropy.json").write_text(
        json.dumps(_piece(0, "entropy", 2, 2, [0.5, 0.6, 0.7], init_from="sim_model")))
    assert bench.main(["--summarise", "--out", str(tmp_path)]) == 2
    assert "different models" in capsys.readouterr().err


def test_summary_refuses_an_incomplete_fold(bench, tmp_path, capsys):
    _write_pieces(tmp_path)
    for f in tmp_path.glob("fold1_ref_*.json"):
        f.unlink()
    assert bench.main(["--summarise", "--out", str(tmp_path)]) == 2
    assert "fold(s) [1]" in capsys.readouterr().err


def test_bad_arguments_exit_2(bench, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--runs", "0-1", "--out", str(tmp_path)])
    assert exc.value.code == 2 and "ORDER:SEED" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        bench.main(["--init-from", str(tmp_path / "missing"), "--out", str(tmp_path)])
    assert exc.value.code == 2 and "--init-from" in capsys.readouterr().err


def _toy_folder(root, n_objects=40, seed=0):
    """Compact (cluster) or wide (galaxy) blobs, 32 px, ``object_id`` per row, a few objects twice."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:32, :32] - 15.5
    rows = []
    for k in range(n_objects):
        label = ("cluster", "galaxy")[k % 2]
        width = 1.5 if label == "cluster" else 5.0
        for copy in range(2 if k < 4 else 1):
            img = np.exp(-(xx**2 + yy**2) / (2 * width**2)) + rng.normal(0, 0.05, xx.shape)
            rel = f"{label}/o{k:03d}_{copy}.npy"
            (root / label).mkdir(parents=True, exist_ok=True)
            np.save(root / rel, img.astype(np.float32))
            rows.append({"file": rel, "label": label, "object_id": f"O{k}"})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label", "object_id"])
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def test_bald_picks_the_objects_of_highest_mean_cutout_mutual_information(bench, monkeypatch):
    """The bald arm's object score is the mean of its cutouts' MI over the TTA views (not the max,
    not the entropy of the object's mean P): objects a (start), b (two cutouts), c, d."""
    objects = np.array(["a", "b", "c", "d"])
    rows_of = {"a": np.array([0]), "b": np.array([1, 2]), "c": np.array([3]), "d": np.array([4])}
    mi_cutouts = np.array([0.9, 0.1, 0.6, 0.4])  # of rows 1, 2, 3, 4: means b 0.5, c 0.6, d 0.4
    p_pool = np.array([0.5, 0.5, 0.99, 0.9])  # entropy would pick b (P 0.5), MI's max b (0.9)
    trained = []

    def fake(cfg, cs, rows, predict_rows, seed, init_from=None, mi_rows=None, mi=None, **kw):
        trained.append(sorted(rows.tolist()))
        if mi_rows is not None:
            assert mi_rows.tolist() == [1, 2, 3, 4]
            mi.append(mi_cutouts)
        return [np.full(2, 0.6), p_pool][: len(predict_rows)], 1

    monkeypatch.setattr(bench, "_train_predict", fake)
    ytest, test_rows = np.array([1, 0]), np.array([5, 6])
    bench._entropy_curve(None, None, ytest, test_rows, objects, rows_of, [0], [1, 2], 1, 0, score_by="bald")
    assert trained == [[0], [0, 3]]  # c
    trained.clear()
    bench._entropy_curve(None, None, ytest, test_rows, objects, rows_of, [0], [1, 2], 1, 0)
    assert trained == [[0], [0, 1, 2]]  # b, by entropy


def test_typical_picks_the_most_typical_object_of_the_unlabelled_cluster(bench, monkeypatch):
    """The typical arm embeds every pool object (labelled too) as the mean of its cutouts' penultimate
    features, unit length, and labels the most typical object of the cluster without a label:
    a (start) and e point along x, b (two cutouts), c, d along y; b sits between c and d."""
    objects = np.array(["a", "b", "c", "d", "e"])
    rows_of = {"a": np.array([0]), "b": np.array([1, 2]), "c": np.array([3]), "d": np.array([4]),
               "e": np.array([5])}
    # per cutout; b's mean (0.05, 2) is (0.025, 1.0) at unit length, between d (0, 1) and c (0.29, 0.96)
    cutout_feats = np.array([[1.0, 0], [0, 2], [0.1, 2], [0.3, 1], [0, 5], [1, 0.05]])
    trained = []

    def fake(cfg, cs, rows, predict_rows, seed, init_from=None, feat_rows=None, feats=None, **kw):
        trained.append(sorted(rows.tolist()))
        if feat_rows is not None:
            assert feat_rows.tolist() == [0, 1, 2, 3, 4, 5]  # every object, labelled ones too, in order
            feats.append(cutout_feats[feat_rows])
        # e is the most uncertain, so an entropy pick (the loop without typicality) would take e, not b
        pool = np.where(np.asarray(predict_rows[1]) == 5, 0.5, 0.99)
        return [np.full(2, 0.6), pool], 1

    monkeypatch.setattr(bench, "_train_predict", fake)
    ytest, test_rows = np.array([1, 0]), np.array([6, 7])
    curve = bench._entropy_curve(None, None, ytest, test_rows, objects, rows_of, [0], [1, 2], 1, 0,
                                 score_by="typical")
    assert trained == [[0], [0, 1, 2]]  # b
    assert [c["labels"] for c in curve] == [1, 2]


def test_summary_pairs_bald_with_random_and_entropy(bench, tmp_path):
    runs, refs = _write_pieces(tmp_path)
    bald = {0: {(0, 0): [0.6, 0.9, 0.9], (1, 1): [0.5, 0.7, 0.95]},
            1: {(0, 0): [0.7, 0.9, 0.9], (1, 1): [0.6, 0.8, 0.9]}}
    for k, rr in bald.items():
        for (o, s), v in rr.items():
            (tmp_path / f"fold{k}_o{o}_s{s}_bald.json").write_text(json.dumps(_piece(k, "bald", o, s, v)))
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out)]) == 0
    acc = json.loads(out.read_text())["metrics"]["accuracy"]
    assert acc["arms"] == ["entropy", "random", "bald"]
    for other, col in (("random", 1), ("entropy", 0)):
        # run by run, averaged in the fold, then over the two folds (s.e. of two: |a - b| / 2)
        per_fold = [np.mean([np.array(bald[k][q]) - np.array(runs[k][q][col]) for q in bald[k]], 0) for k in (0, 1)]
        got = acc["paired"][f"bald - {other}"]
        np.testing.assert_allclose(got["mean"], (per_fold[0] + per_fold[1]) / 2, atol=1e-12)
        np.testing.assert_allclose(got["se"], np.abs(per_fold[0] - per_fold[1]) / 2, atol=1e-12)
    # bald's fold mean 0.6, 0.825, 0.9125 against the reference 0.87: crosses between 20 and 30
    np.testing.assert_allclose(acc["bald"]["mean"], [0.6, 0.825, 0.9125])
    assert acc["bald"]["labels_needed_grid"] == 30
    assert acc["bald"]["labels_needed_interp"] == pytest.approx(20 + 10 * (0.87 - 0.825) / (0.9125 - 0.825))


def test_loop_runs_and_fine_tunes_from_a_model(bench, tmp_path, monkeypatch):
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import fit_cutouts

    data = tmp_path / "data"
    _toy_folder(data)
    # the "simulation model": the same task trained 1 epoch on another toy folder
    sim = _toy_folder(tmp_path / "sim", seed=1)
    cfg = get_preset("m31-real", recipe={"epochs": 1})
    fit_cutouts(cfg, read_cutout_folder(sim, group_column="object_id"), outdir=tmp_path / "sim_model", seed=0,
                progress=False, device="cpu")
    common = ["--data", str(data), "--folds", "0", "--n-folds", "2", "--start", "8", "--batch", "6",
              "--max-labels", "14", "--runs", "0:0", "--ref-seeds", "1", "--epochs", "1"]
    import starclass.learn.cutouts as cutouts_mod

    starts = []  # the init_from of every training, both arms and the reference

    def recording_fit(*a, **kw):
        starts.append(kw.get("init_from"))
        return fit_cutouts(*a, **kw)

    monkeypatch.setattr(cutouts_mod, "fit_cutouts", recording_fit)
    scratch, ft = tmp_path / "scratch", tmp_path / "ft"
    assert bench.main([*common, "--arms", "random,bald,typical", "--out", str(scratch)]) == 0
    # 2 grid points of the random, the bald and the typical arm + 1 reference, all from scratch
    assert starts == [None] * 7
    b = json.loads((scratch / "fold0_o0_s0_bald.json").read_text())
    assert b["arm"] == "bald" and [c["labels"] for c in b["bald"][0]] == [8, 14]
    # each piece names the environment it ran in (reruns of committed pieces moved with a rebuilt venv)
    assert b["versions"]["torch"] == torch.__version__ and b["versions"]["numpy"] == np.__version__
    # the same first model as random (same start, same seed); the picks differ from then on
    assert b["bald"][0][0] == json.loads((scratch / "fold0_o0_s0_random.json").read_text())["random"][0][0]
    t = json.loads((scratch / "fold0_o0_s0_typical.json").read_text())
    assert t["arm"] == "typical" and t["typical"][0][0] == b["bald"][0][0]
    starts.clear()
    assert bench.main([*common, "--out", str(ft), "--init-from", str(tmp_path / "sim_model")]) == 0
    # 2 grid points x 2 arms + 1 reference, all from the model
    assert starts == [str(tmp_path / "sim_model")] * 5
    names = sorted(p.name for p in ft.glob("*.json"))
    assert names == ["fold0_o0_s0_entropy.json", "fold0_o0_s0_random.json", "fold0_ref_s0.json"]
    e = json.loads((ft / "fold0_o0_s0_entropy.json").read_text())
    r = json.loads((ft / "fold0_o0_s0_random.json").read_text())
    assert e["init_from"] == str(tmp_path / "sim_model") and e["grid"] == [8, 14]
    # both arms start from the same objects with the same seed: the same first model
    assert e["entropy"][0][0] == r["random"][0][0]
    # a second call finds every piece done and trains nothing
    before = {p.name: p.stat().st_mtime_ns for p in ft.glob("*.json")}
    starts.clear()
    assert bench.main([*common, "--out", str(ft), "--init-from", str(tmp_path / "sim_model")]) == 0
    assert {p.name: p.stat().st_mtime_ns for p in ft.glob("*.json")} == before and starts == []
    assert bench.main(["--summarise", "--out", str(ft)]) == 0


def test_bad_counts_and_folds_exit_2_before_the_data_is_read(bench, tmp_path, capsys):
    """``--folds 0,x``, a fold beyond --n-folds, a zero count: a traceback after the cutouts were read
    (or a loop that never ended); now a message naming the option and exit 2, nothing made."""
    missing = tmp_path / "no_data"  # were the data read, the message would be about them
    out = tmp_path / "out"
    cases = {("--folds", "0,x"): "--folds 0,x: expected fold numbers",
             ("--folds", "5"): "fold 5 is not one of the 5 folds (0-4)",
             ("--batch", "0"): "--batch must be at least 1",
             ("--threads", "0"): "--threads must be at least 1",
             ("--max-labels", "10"): "--max-labels 10 is below --start 40",
             ("--n-folds", "1"): "--n-folds must be at least 2"}
    for argv, message in cases.items():
        with pytest.raises(SystemExit) as exc:
            bench.main([*argv, "--data", str(missing), "--out", str(out)])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and message in err and "Traceback" not in err, err
    assert not out.exists()


def test_typical_fixed_needs_init_from_exit_2(bench, tmp_path, capsys):
    """Without --init-from there is no model before the first label to embed the pool with."""
    with pytest.raises(SystemExit) as exc:
        bench.main(["--arms", "typical-fixed,random", "--data", str(tmp_path / "absent"), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2 and "typical-fixed needs --init-from" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def _blob_fold(bench, monkeypatch, args):
    """A fold of ten pool objects in two blobs of a 2-d embedding (the --init-from model's features, faked),
    two test cutouts; returns the fold, the cutouts' object names, the list of feature calls, and
    ``trained``, the sorted object names of every training (``_train_predict`` faked: it checks that
    every round fine-tunes from --init-from without features of the round's model, and gives the pool
    P(cluster) of ``pool_p`` (object -> P, default 0.99))."""
    import types

    import starclass.learn.embedding as emb_mod
    import starclass.stamps.images as img_mod

    def unit(deg, r=1.0):
        return [r * np.cos(np.radians(deg)), r * np.sin(np.radians(deg))]

    # blob A near 0 deg: a1..a4 at +-6, +-12; b has two cutouts at +-17 deg whose mean points at 0 deg (the
    # centre: its most typical object; its first cutout alone would be the blob's edge). Blob B near 90 deg,
    # lengths differ (unit-normed away): c at 90 deg is its centre.
    per_object = {"a1": [unit(6)], "a2": [unit(-6, 3)], "a3": [unit(12)], "a4": [unit(-12, 2)],
                  "b": [unit(17), unit(-17)], "c": [unit(90, 5)], "d": [unit(84)], "e": [unit(96, 4)],
                  "f": [unit(78)], "g": [unit(102, 2)]}
    groups, feats = ["t0", "t1"], [unit(45), unit(45)]  # two test cutouts (fold 0)
    for g, fs in per_object.items():
        groups += [g] * len(fs)
        feats += fs
    feats = np.array(feats)
    groups = np.array(groups)
    cs = types.SimpleNamespace(groups=groups, images=np.arange(len(groups), dtype=float)[:, None])
    folds = np.array([0, 0] + [1] * (len(groups) - 2))
    calls, trained, pool_p = [], [], {}

    def fake_features(model, inputs, device="cpu"):
        calls.append((model, inputs[:, 0].astype(int).tolist()))
        return feats[inputs[:, 0].astype(int)]

    def fake_train(cfg, cs_, rows, predict_rows, seed, init_from=None, feat_rows=None, feats=None, **kw):
        assert init_from == "SIM_MODEL" and feat_rows is None  # fine-tuned; no features of the round's model
        trained.append(sorted(groups[rows].tolist()))
        pool = np.array([pool_p.get(g, 0.99) for g in groups[np.asarray(predict_rows[1], dtype=int)]])
        return [np.full(2, 0.6), pool], 1

    monkeypatch.setattr(emb_mod, "penultimate_features", fake_features)
    monkeypatch.setattr(img_mod, "cutout_inputs", lambda images, cfg: images)
    monkeypatch.setattr(bench, "_train_predict", fake_train)
    fold = bench.Fold(0, cs, np.array([1] + [0] * (len(groups) - 1)), folds, args)
    return fold, calls, trained, pool_p


def test_typical_fixed_picks_start_and_rounds_in_the_init_models_embedding(bench, monkeypatch):
    """typical-fixed embeds the pool once with the --init-from model (each object the mean of its cutouts'
    features, unit length), picks the START there too (one most typical object per blob), and never asks
    the round's model for features; every round still fine-tunes from --init-from."""
    import argparse

    args = argparse.Namespace(epochs=1, start=2, batch=1, max_labels=3, init_from="SIM_MODEL")
    fold, calls, trained, _ = _blob_fold(bench, monkeypatch, args)
    curve = fold.typical_fixed_curve(0, 0)
    assert trained[0] == ["b", "b", "c"]  # the centre of each blob, not the random order's first two
    assert len(trained) == 2 and set(trained[0]) < set(trained[1]) and len(set(trained[1])) == 3
    assert [c["labels"] for c in curve] == [2, 3]
    # one embedding of the whole pool (every pool cutout, object by object), by the --init-from model
    assert calls == [("SIM_MODEL", [r for g in fold.objects for r in fold.rows_of[g].tolist()])]
    fold.typical_fixed_curve(1, 0)  # another run of the fold reuses it and, with the same seed, the same picks
    assert len(calls) == 1 and trained[2] == trained[0] and trained[3] == trained[1]


def test_hybrids_pick_as_typical_fixed_until_the_switch_then_by_their_own_rule(bench, monkeypatch):
    """typical-random / typical-entropy: the typical-fixed start and picks while fewer than
    --typical-until (3) objects are labelled, then the run's random order skipping labelled objects, or
    the most uncertain. Each wrong rule gives another set: random or entropy before the switch takes Z or
    U instead of typicality's X; typicality after it takes Y instead of Z or U."""
    import argparse

    args = argparse.Namespace(epochs=1, start=2, batch=1, max_labels=5, init_from="SIM_MODEL", typical_until=3)
    fold, calls, trained, pool_p = _blob_fold(bench, monkeypatch, args)
    fold.typical_fixed_curve(0, 0)
    tf = [set(t) for t in trained]
    x, y = (tf[1] - tf[0]).pop(), (tf[2] - tf[1]).pop()  # typicality's picks at 2 and 3 labels
    assert tf[0] == {"b", "c"}
    z, w, u, v = sorted(set(fold.objects) - {"b", "c", x, y})[:4]
    idx = {g: i for i, g in enumerate(fold.objects)}
    # the run's order: b (labelled by then, so skipped), Z, X, c, W, then the rest
    first = ["b", z, x, "c", w]
    order = np.array([idx[g] for g in first] + [i for g, i in idx.items() if g not in first])
    fold.order = lambda o: order
    pool_p.update({u: 0.5, v: 0.6})  # the most uncertain U, then V; every other object 0.99

    trained.clear()
    curve = fold.typical_hybrid_curve(0, 0, "typical-random")
    assert [c["labels"] for c in curve] == [2, 3, 4, 5]
    assert [set(t) for t in trained] == [tf[0], tf[1], tf[1] | {z}, tf[1] | {z, w}]
    trained.clear()
    fold.typical_hybrid_curve(0, 0, "typical-entropy")
    assert [set(t) for t in trained] == [tf[0], tf[1], tf[1] | {u}, tf[1] | {u, v}]
    assert len(calls) == 1  # the same fixed embedding for every arm of the fold


def test_hybrid_arms_need_init_from_and_a_switch_on_the_grid_exit_2(bench, tmp_path, capsys):
    absent, out = str(tmp_path / "absent"), str(tmp_path / "o")
    with pytest.raises(SystemExit) as exc:
        bench.main(["--arms", "typical-random", "--data", absent, "--out", out])
    assert exc.value.code == 2 and "typical-random needs --init-from" in capsys.readouterr().err
    model = tmp_path / "model"
    model.mkdir()
    with pytest.raises(SystemExit) as exc:  # 50 + k * 50 never gives 220
        bench.main(["--arms", "typical-entropy", "--start", "50", "--batch", "50", "--max-labels", "300",
                    "--typical-until", "220", "--init-from", str(model), "--data", absent, "--out", out])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "--typical-until 220 is not a grid point" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_summary_pairs_a_hybrid_with_typical_fixed_and_refuses_two_switches(bench, tmp_path, capsys):
    _write_pieces(tmp_path)
    arms = {"typical-fixed": [0.7, 0.8, 0.8], "typical-random": [0.7, 0.8, 0.9]}
    for k in (0, 1):
        for (o, s) in ((0, 0), (1, 1)):
            for arm, v in arms.items():
                piece = _piece(k, arm, o, s, [x + 0.01 * k for x in v])
                if arm == "typical-random":
                    piece["typical_until"] = 20
                (tmp_path / f"fold{k}_o{o}_s{s}_{arm}.json").write_text(json.dumps(piece))
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out)]) == 0
    s = json.loads(out.read_text())
    assert s["typical_until"] == 20
    got = s["metrics"]["accuracy"]["paired"]["typical-random - typical-fixed"]
    np.testing.assert_allclose(got["mean"], [0.0, 0.0, 0.1], atol=1e-12)
    assert "typical-random - random" in s["metrics"]["accuracy"]["paired"]
    piece = json.loads((tmp_path / "fold1_o1_s1_typical-random.json").read_text())
    (tmp_path / "fold1_o1_s1_typical-random.json").write_text(json.dumps({**piece, "typical_until": 30}))
    assert bench.main(["--summarise", "--out", str(tmp_path)]) == 2
    assert "different --typical-until [20, 30]" in capsys.readouterr().err


def test_summary_takes_a_rebuilt_model_at_another_path_only_when_told(bench, tmp_path, capsys):
    """Pieces fine-tuned from a rebuild of the model at another scratch path are refused as another
    start, unless --same-model OLD=NEW says the two paths are one model; the summary names both."""
    _write_pieces(tmp_path, init_from="/tmp/old/sim_model")
    for k in (0, 1):
        for (o, s) in ((0, 0), (1, 1)):
            (tmp_path / f"fold{k}_o{o}_s{s}_typical-random.json").write_text(json.dumps(
                {**_piece(k, "typical-random", o, s, [0.6, 0.7, 0.8], init_from="/tmp/new/sim_model"),
                 "typical_until": 20}))
    assert bench.main(["--summarise", "--out", str(tmp_path)]) == 2
    assert "different models" in capsys.readouterr().err
    out = tmp_path / "s.json"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out),
                       "--same-model", "/tmp/old/sim_model=/tmp/new/sim_model"]) == 0
    s = json.loads(out.read_text())
    assert s["init_from"] == "/tmp/old/sim_model"
    assert s["same_model"] == [["/tmp/old/sim_model", "/tmp/new/sim_model"]]
    assert "typical-random" in s["metrics"]["accuracy"]["arms"]
    assert bench.main(["--summarise", "--out", str(tmp_path), "--same-model", "/tmp/new/sim_model"]) == 2
    assert "expected OLD=NEW" in capsys.readouterr().err


def test_summary_without_the_entropy_arm(bench, tmp_path):
    """A run of typical-random, typical-fixed and random with references, no entropy arm, is summarised
    (it was refused, 'lack a reference, an entropy or a random curve'); entropy is then no arm of it."""
    _write_pieces(tmp_path)
    for f in tmp_path.glob("fold*_entropy.json"):
        f.unlink()
    for k in (0, 1):
        for (o, s) in ((0, 0), (1, 1)):
            (tmp_path / f"fold{k}_o{o}_s{s}_typical-random.json").write_text(json.dumps(
                {**_piece(k, "typical-random", o, s, [0.7, 0.8, 0.9 + 0.01 * k]), "typical_until": 20}))
    out, png = tmp_path / "s.json", tmp_path / "s.png"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out), "--plot", str(png)]) == 0
    s = json.loads(out.read_text())
    acc = s["metrics"]["accuracy"]
    assert acc["arms"] == ["random", "typical-random"] and "entropy_minus_random" not in acc
    np.testing.assert_allclose(acc["typical-random"]["mean"], [0.7, 0.8, 0.905])
    # paired against random run by run: random's fold curves are 0.55 0.65 0.75 and 0.65 0.75 0.8
    np.testing.assert_allclose(acc["paired"]["typical-random - random"]["mean"], [0.1, 0.1, 0.13], atol=1e-12)
    assert png.stat().st_size > 0


def test_summary_with_random_missing_on_a_fold_says_so(bench, tmp_path, capsys):
    """Random lost on fold 1: refused before ('fold(s) [1] lack a reference or a random curve'); now every arm is
    summarised over the folds that have it, against their references, and the summary names what is missing."""
    runs, refs = _write_pieces(tmp_path)
    for f in tmp_path.glob("fold1_*_random.json"):
        f.unlink()
    out, png = tmp_path / "s.json", tmp_path / "s.png"
    assert bench.main(["--summarise", "--out", str(tmp_path), "--json", str(out), "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    assert "missing: random on fold(s) 1: summarised over fold(s) 0 only" in text
    assert "random (1 of 2 folds)" in text and "entropy - random (paired, 1 of 2 folds)" in text
    s = json.loads(out.read_text())
    assert s["runs_per_fold"] == {"entropy": [2, 2], "random": [2, 0]} and s["missing_folds"] == {"random": [1]}
    acc = s["metrics"]["accuracy"]
    assert acc["arms"] == ["entropy", "random"]
    # random: fold 0 alone (its runs' mean), against fold 0's reference 0.85
    np.testing.assert_allclose(acc["random"]["mean"], [0.55, 0.65, 0.75])
    assert acc["random"]["folds"] == [0] and acc["random"]["target"] == pytest.approx(0.85)
    np.testing.assert_allclose(acc["random"]["gap_mean"], np.array([0.55, 0.65, 0.75]) - 0.85)
    # entropy keeps both folds, and the all-labels reference both folds' mean
    np.testing.assert_allclose(acc["entropy"]["mean"], [0.6, 0.8, 0.9])
    assert acc["all_labels_mean"] == pytest.approx(0.87) and acc["entropy"]["missing_folds"] == []
    # paired on fold 0 only: entropy 0.55 0.8 0.9 minus random 0.55 0.65 0.75
    np.testing.assert_allclose(acc["paired"]["entropy - random"]["mean"], [0.0, 0.15, 0.15], atol=1e-12)
    assert acc["paired"]["entropy - random"]["folds"] == 1 and acc["entropy_minus_random"]["folds"] == 1
    assert png.stat().st_size > 0
