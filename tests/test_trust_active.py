"""benchmarks/trust_active.py: labels needed (interpolated), merging runs, the --summarise mode."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from conftest import load_benchmark


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("trust_active")


def test_labels_needed_interp_on_the_crossing_segment(bench):
    curve = [(100, 0.40), (200, 0.52), (400, 0.58), (800, 0.66), (1600, 0.64), (3200, 0.70)]
    # by hand: 0.6 is first crossed between 400 (0.58) and 800 (0.66): a quarter of the way
    assert bench.labels_needed_interp(curve, 0.60) == pytest.approx(500.0)
    # numpy's interpolation on that segment agrees
    assert bench.labels_needed_interp(curve, 0.63) == pytest.approx(np.interp(0.63, [0.58, 0.66], [400, 800]))
    # the first crossing counts, not the one after the dip back below: 400 + 400 * 0.07 / 0.08
    assert bench.labels_needed_interp(curve, 0.65) == pytest.approx(750.0)
    # reached only after the dip: on the segment 1600 (0.64) -> 3200 (0.70)
    assert bench.labels_needed_interp(curve, 0.68) == pytest.approx(1600 + 1600 * 0.04 / 0.06)
    assert bench.labels_needed_interp(curve, 0.30) == 100.0
    assert bench.labels_needed_interp(curve, 0.71) is None
    # the grid answer is the first grid point at or above the target, never below the interpolated one
    assert bench.labels_needed(curve, 0.60) == 800


def test_accuracy_se_by_hand(bench):
    assert bench.accuracy_se(0.6, 6000) == pytest.approx((0.6 * 0.4 / 6000) ** 0.5)
    assert bench.accuracy_se(1.0, 10) == 0.0


def _run(grid, ref, curves, **args):
    a = {"pool_fields": "4", "n_pool": "10", "shape": "256", "pool_seed": "301", "test_fields": "1",
         "n_test": "50", "test_seed": "401", "seed": "0", "epochs": "2", "lr_schedule": "cosine",
         "precision": "bf16", "mag_bins": "4", "reweight": "none", "pick": "entropy"}
    a.update(args)
    return {"args": a, "retrain": "scratch", "n_pool": 40, "n_test": 50, "grid": grid,
            "reference": {"acc": ref, "seeds": list(range(len(ref)))}, "curves": curves, "details": {}}


def test_merge_adds_arms_and_refuses_another_pool(bench):
    a = _run([5, 10, 20], [0.7, 0.8], {"entropy": [[5, 0.5], [10, 0.6], [20, 0.7]],
                                       "random_orders": [[[5, 0.5], [10, 0.7], [20, 0.74]]]})
    b = _run([5, 10, 20], [], {"margin": [[5, 0.5], [10, 0.8], [20, 0.8]], "random_orders": []})
    b["margin_labelled"] = [3, 1, 2]
    m = bench.merge_runs([a, b], ["a.json", "b.json"])
    assert m["curves"]["margin"] == b["curves"]["margin"] and m["margin_labelled"] == [3, 1, 2]
    assert m["curves"]["entropy"] == a["curves"]["entropy"] and "margin" not in a["curves"]  # input unchanged
    with pytest.raises(ValueError, match="--n-test 60 differs"):
        bench.merge_runs([a, _run([5, 10, 20], [], {"margin": []}, n_test="60")], ["a.json", "c.json"])
    with pytest.raises(ValueError, match=r"grid \[5, 10\]"):
        bench.merge_runs([a, _run([5, 10], [], {"margin": []})], ["a.json", "d.json"])

    s = bench.summarise(m)
    assert s["target"] == pytest.approx(0.75) and s["target_seed_sd"] == pytest.approx(np.std([0.7, 0.8], ddof=1))
    # margin crosses 0.75 between 5 (0.5) and 10 (0.8): 5 + 5 * 0.25 / 0.3
    assert s["labels_needed_interp"]["margin"] == pytest.approx(5 + 5 * 0.25 / 0.3)
    assert s["labels_needed_grid"]["entropy"] is None and s["labels_needed_interp"]["random0"] is None
    assert s["curves"]["random0"][1][2] == pytest.approx((0.7 * 0.3 / 50) ** 0.5)
    # flattening: random 5 -> 10 and 10 -> 20 per doubling, and from its last point to all 40
    assert [tuple(g[:2]) for g in s["random_gain_per_doubling"]] == [(5, 10), (10, 20)]
    assert s["random_gain_per_doubling"][1][2] == pytest.approx(0.04)
    assert s["random_gain_last_to_all_per_doubling"] == pytest.approx(0.01)


def test_summarise_cli_writes_and_refuses(bench, tmp_path, monkeypatch, capsys):
    a = _run([5, 10, 20], [0.7, 0.8], {"entropy": [[5, 0.5], [10, 0.6], [20, 0.7]],
                                       "random_orders": [[[5, 0.5], [10, 0.7], [20, 0.74]]]})
    b = _run([5, 10, 20], [], {"margin": [[5, 0.5], [10, 0.8], [20, 0.8]], "random_orders": []})
    pa, pb, out, png = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "s.json", tmp_path / "s.png"
    pa.write_text(json.dumps(a))
    pb.write_text(json.dumps(b))
    before = pa.read_text()

    def main(*argv):
        monkeypatch.setattr(sys, "argv", ["trust_active.py", *map(str, argv)])
        with pytest.raises(SystemExit) as exc:
            bench.main()
        return exc.value.code, capsys.readouterr()

    code, cap = main("--summarise", pa, pb, "--json", out, "--plot", png)
    assert code == 0, cap.err
    got = json.loads(out.read_text())
    assert got["summary"]["labels_needed_interp"]["margin"] == pytest.approx(5 + 5 * 0.25 / 0.3)
    assert png.stat().st_size > 0 and pa.read_text() == before
    assert "margin: reaches it at grid point 10" in cap.out
    code, cap = main("--summarise", pa, pb, "--json", out)
    assert code == 2 and "--overwrite" in cap.err
    code, cap = main("--summarise", pa, pb, "--json", pa, "--overwrite")
    assert code == 2 and "never overwritten" in cap.err and pa.read_text() == before
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, cap = main("--summarise", bad, "--json", tmp_path / "x.json")
    assert code == 2 and "bad.json" in cap.err and "Traceback" not in cap.err
    code, cap = main("--summarise", pb, pa, "--json", tmp_path / "x.json")
    assert code == 2 and "no all-labels reference" in cap.err and not (tmp_path / "x.json").exists()


@pytest.mark.slow
def test_quick_scratch_run_with_margin_and_reference_last(bench, tmp_path, monkeypatch):
    """A smoke run of the loop: the margin arm labels what suggest --by margin picks; the reference comes last."""
    out = tmp_path / "run.json"
    monkeypatch.setattr(sys, "argv", ["trust_active.py", "--quick", "--retrain", "scratch", "--grid", "40,80",
                                      "--arms", "margin,random", "--ref-seeds", "1", "--reference-last",
                                      "--threads", "1", "--json", str(out)])
    bench.main()
    res = json.loads(out.read_text())
    assert [n for n, _ in res["curves"]["margin"]] == [40, 80] and len(res["curves"]["random_orders"]) == 1
    # the margin arm starts from random order 0's first 40, then adds 40 it chose itself
    lab = res["margin_labelled"]
    assert len(lab) == 80 == len(set(lab))
    assert res["details"]["margin_00"]["labels"] == 40 and 0 <= res["details"]["margin_01"]["labels_wrong"] <= 1
    assert list(res["seconds"]).index("reference") > list(res["seconds"]).index("margin")
    assert len(res["reference"]["acc"]) == 1 and res["labels_needed"]


@pytest.mark.slow
def test_quick_scratch_run_with_bald(bench, tmp_path, monkeypatch):
    """The bald arm labels what suggest --by mutual-info picks from the previous model's TTA classification."""
    out = tmp_path / "run.json"
    monkeypatch.setattr(sys, "argv", ["trust_active.py", "--quick", "--retrain", "scratch", "--grid", "40,80",
                                      "--arms", "bald", "--ref-seeds", "0", "--threads", "1", "--json", str(out)])
    bench.main()
    res = json.loads(out.read_text())
    assert [n for n, _ in res["curves"]["bald"]] == [40, 80]
    lab = res["bald_labelled"]
    assert len(lab) == 80 == len(set(lab))
    assert res["details"]["bald_01"]["labels"] == 80 and 0 <= res["details"]["bald_01"]["labels_wrong"] <= 1


@pytest.mark.slow
def test_quick_scratch_run_with_pseudo_label_arms(bench, tmp_path, monkeypatch):
    """CEAL arms: the first model has no pseudo-labels, the next one the first model's confident candidates."""
    out = tmp_path / "run.json"
    monkeypatch.setattr(sys, "argv", ["trust_active.py", "--quick", "--retrain", "scratch", "--grid", "40,80",
                                      "--arms", "entropy-pseudo,random-pseudo,random", "--pseudo-threshold", "0.6",
                                      "--ref-seeds", "1", "--reference-last", "--threads", "1", "--json", str(out)])
    bench.main()
    res = json.loads(out.read_text())
    for arm in ("entropy-pseudo", "random-pseudo"):
        assert [n for n, _ in res["curves"][arm]] == [40, 80]
        d0, d1 = res["details"][f"{arm}_00"], res["details"][f"{arm}_01"]
        assert "n_pseudo" not in d0 and d1["labels"] == 80
        assert 0 <= d1["n_pseudo_wrong_truth"] <= d1["n_pseudo"]
    assert res["pseudo_threshold"] == 0.6 and "random-pseudo" in res["labels_needed"]


def test_pseudo_arm_options_exit_2(bench, tmp_path, monkeypatch, capsys):
    code, cap = _main(bench, monkeypatch, capsys, "--arms", "entropy,pseudo", "--json", tmp_path / "r.json")
    assert code == 2 and "--arms: pseudo unknown" in cap.err
    code, cap = _main(bench, monkeypatch, capsys, "--arms", "entropy-pseudo", "--pseudo-threshold", "0.5")
    assert code == 2 and "--pseudo-threshold must be between 0.5 and 1" in cap.err
    assert list(tmp_path.iterdir()) == []


# --- from a model of other galaxies: --make-base, --init-from, --sim-set, --pool-summaries, --summarise-repeats


def _main(bench, monkeypatch, capsys, *argv):
    """Run the script's main with ``argv``; (exit code or 0, captured output)."""
    monkeypatch.setattr(sys, "argv", ["trust_active.py", *map(str, argv)])
    try:
        bench.main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr()


def test_parse_sim_set_reads_values_and_names_what_is_wrong(bench):
    got = bench.parse_sim_set(["distance_mpc=20", "footprint_edge=false", "class_mix=[0.1, 0.2, 0.3, 0.4]"])
    assert got == {"distance_mpc": 20, "footprint_edge": False, "class_mix": (0.1, 0.2, 0.3, 0.4)}
    assert bench.parse_sim_set(None) == {}
    with pytest.raises(ValueError, match="'distanse_mpc' is not a simulator setting"):
        bench.parse_sim_set(["distanse_mpc=20"])
    with pytest.raises(ValueError, match="expected KEY=VALUE"):
        bench.parse_sim_set(["distance_mpc"])
    with pytest.raises(ValueError, match="seed is set by --pool-seed"):
        bench.parse_sim_set(["seed=3"])
    # the simulator's own check, before any field is made
    with pytest.raises(ValueError, match="--base-set distance_mpc=-1: the simulator refuses it: distance_mpc must be"):
        bench.parse_sim_set(["distance_mpc=-1"], "--base-set")


def _rep(seed, ref, ent, rnd, mar=None, base=0.5, **args):
    a = {"pool_fields": "2", "n_pool": "10", "shape": "256", "pool_seed": "301", "test_fields": "1",
         "n_test": "50", "test_seed": "401", "seed": str(seed), "epochs": "5", "lr_schedule": "cosine",
         "precision": "bf16", "mag_bins": "4", "reweight": "none", "pick": "entropy", "init_from": "/b",
         "sim_set": "{'distance_mpc': 20}"}
    a.update(args)
    grid = [5, 10]
    curves = {"entropy": [list(p) for p in zip(grid, ent)], "random_orders": [[list(p) for p in zip(grid, rnd)]]}
    if mar is not None:
        curves["margin"] = [list(p) for p in zip(grid, mar)]
    return {"args": a, "retrain": "scratch", "n_pool": 20, "grid": grid, "reference": {"acc": [ref]},
            "base_test_acc": base, "curves": curves}


def test_summarise_repeats_by_hand(bench):
    runs = [_rep(0, 0.70, [0.60, 0.72], [0.60, 0.66], [0.6, 0.6], base=0.50),
            _rep(2, 0.74, [0.62, 0.74], [0.58, 0.70], base=0.52),
            _rep(4, 0.72, [0.64, 0.70], [0.62, 0.68], base=0.54)]
    s = bench.summarise_repeats(runs, ["a", "b", "c"])
    assert s["reference"]["mean"] == pytest.approx(0.72)
    assert s["reference"]["se"] == pytest.approx(np.std([0.70, 0.74, 0.72], ddof=1) / np.sqrt(3))
    assert s["base"]["mean"] == pytest.approx(0.52)
    assert s["arms"]["entropy"]["mean"] == pytest.approx([0.62, 0.72])
    assert s["arms"]["entropy"]["se"][0] == pytest.approx(0.02 / np.sqrt(3))
    # margin ran in one repeat only: its mean is that repeat, with no standard error
    assert s["arms"]["margin"]["seeds"] == ["0"] and s["arms"]["margin"]["se"] == [None, None]
    # entropy's mean reaches 0.72 at the second budget (10 labels = half of the 2 x 10 candidates): met
    assert s["labels_needed_grid"]["entropy"] == 10 and s["labels_needed_interp"]["random"] is None
    assert s["criterion"] == {"arm": "entropy", "target": pytest.approx(0.72), "labels_needed": pytest.approx(10.0),
                              "limit": 10.0, "met": True}
    # one point lower and it is not met
    runs[2]["curves"]["entropy"][1][1] = 0.69
    assert bench.summarise_repeats(runs, ["a", "b", "c"])["criterion"]["met"] is False
    # a stopped repeat (its random arm unfinished) gives only its complete curves
    runs[1]["curves"]["random_orders"] = [[[5, 0.58]]]
    assert bench.summarise_repeats(runs, ["a", "b", "c"])["arms"]["random"]["seeds"] == ["0", "4"]
    with pytest.raises(ValueError, match="--epochs 3 differs"):
        bench.summarise_repeats([runs[0], _rep(2, 0.7, [0.6, 0.7], [0.6, 0.7], epochs="3")], ["a", "d"])
    with pytest.raises(ValueError, match="same --seed"):
        bench.summarise_repeats([runs[0], _rep(0, 0.7, [0.6, 0.7], [0.6, 0.7])], ["a", "e"])


def test_summarise_repeats_cli_writes_and_refuses(bench, tmp_path, monkeypatch, capsys):
    paths = []
    for seed, ref in ((0, 0.70), (2, 0.74)):
        p = tmp_path / f"s{seed}.json"
        p.write_text(json.dumps(_rep(seed, ref, [0.6, 0.7], [0.6, 0.68])))
        paths.append(p)
    out, png = tmp_path / "all.json", tmp_path / "all.png"
    code, cap = _main(bench, monkeypatch, capsys, "--summarise-repeats", *paths, "--json", out, "--plot", png)
    assert code == 0, cap.err
    assert json.loads(out.read_text())["criterion"]["met"] is False and png.stat().st_size > 0
    assert "criterion: entropy reaches the all-labels accuracy with <= 10 labels: NOT MET" in cap.out
    code, cap = _main(bench, monkeypatch, capsys, "--summarise-repeats", *paths, "--json", out)
    assert code == 2 and "--overwrite" in cap.err
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    code, cap = _main(bench, monkeypatch, capsys, "--summarise-repeats", bad, "--json", tmp_path / "x.json")
    assert code == 2 and "bad.json: not a trust_active.py --retrain scratch result" in cap.err
    assert "Traceback" not in cap.err and not (tmp_path / "x.json").exists()


def test_bad_run_options_exit_2_before_anything(bench, tmp_path, monkeypatch, capsys):
    out = tmp_path / "r.json"
    code, cap = _main(bench, monkeypatch, capsys, "--sim-set", "distanse_mpc=20", "--json", out)
    assert code == 2 and "'distanse_mpc' is not a simulator setting" in cap.err
    code, cap = _main(bench, monkeypatch, capsys, "--init-from", tmp_path / "nomodel", "--json", out)
    assert code == 2 and "--init-from" in cap.err and "not a saved model" in cap.err
    code, cap = _main(bench, monkeypatch, capsys, "--make-base", tmp_path / "b", "--init-from", tmp_path)
    assert code == 2 and "--make-base trains the base from scratch" in cap.err
    code, cap = _main(bench, monkeypatch, capsys, "--make-base", tmp_path / "b", "--sim-set", "distance_mpc=4")
    assert code == 2 and "--base-set" in cap.err
    code, cap = _main(bench, monkeypatch, capsys, "--base-set", "distance_mpc=4", "--json", out)
    assert code == 2 and "this run makes no base" in cap.err
    assert "Traceback" not in cap.err and list(tmp_path.iterdir()) == []


def test_make_base_then_fine_tune_every_model_from_it(bench, tmp_path, monkeypatch, capsys, single_thread):
    """A tiny run: the base is saved; every model of the run starts from it; the new galaxy is at 20 Mpc."""
    import starclass.learn.train as train_mod

    base = tmp_path / "base"
    tiny = ["--shape", "256", "--threads", "1", "--precision", "bf16"]
    code, cap = _main(bench, monkeypatch, capsys, "--make-base", base, "--base-fields", "1", "--base-n", "60",
                      "--base-set", "distance_mpc=4", "--base-epochs", "1", "--pool-summaries", *tiny)
    assert code == 0, cap.err
    info = json.loads((base / "trust_active_base.json").read_text())
    assert (base / "manifest.json").is_file() and info["base_set"] == {"distance_mpc": 4}
    assert info["field_summaries"][0]["distance_mpc"] == 4.0 and "base fields:" in cap.out
    assert [p.name for p in tmp_path.iterdir()] == ["base"]  # no temporary folder left behind
    code, cap = _main(bench, monkeypatch, capsys, "--make-base", base, "--base-fields", "1", *tiny)
    assert code == 2 and "exists: give --overwrite" in cap.err

    inits, picks = [], []
    real_fit, real_pick = train_mod.fit, bench._pick_entropy

    def fit(*a, **k):
        inits.append(k.get("init_from"))
        return real_fit(*a, **k)

    def pick(model, *a, **k):
        picks.append((str(model), k.get("by")))
        return real_pick(model, *a, **k)

    monkeypatch.setattr(train_mod, "fit", fit)
    monkeypatch.setattr(bench, "_pick_entropy", pick)
    out = tmp_path / "run.json"
    code, cap = _main(bench, monkeypatch, capsys, "--retrain", "scratch", "--init-from", base,
                      "--sim-set", "distance_mpc=20", "--pool-fields", "1", "--n-pool", "60", "--test-fields", "1",
                      "--n-test", "40", "--grid", "20,40", "--epochs", "1", "--arms", "entropy,margin,random",
                      "--pool-summaries", "--json", out, *tiny)
    assert code == 0, cap.err
    res = json.loads(out.read_text())
    # reference + 3 arms x 2 budgets, every one fine-tuned from the base
    assert len(inits) == 7 and all(str(p) == str(base) for p in inits)
    # the uncertainty arms' first labels are picked by the base itself, by their own score
    assert (str(base), "entropy") in picks and (str(base), "margin") in picks
    assert res["init_from"] == str(base) and 0 <= res["base_test_acc"] <= 1
    assert res["sim_set"] == {"distance_mpc": 20}
    pool = res["field_summaries"]["pool"][0]
    assert pool["distance_mpc"] == 20.0 and sum(pool["truth_counts"]) == pool["candidates"] == 60
    assert sum(pool["people_counts"]) == pool["labellable"] and "pool fields:" in cap.out
    assert "seed 301  20 Mpc" in cap.out and res["field_summaries"]["test"][0]["seed"] == 401
    assert [n for n, _ in res["curves"]["entropy"]] == [20, 40] and len(res["reference"]["acc"]) == 1
    assert len(set(res["entropy_labelled"])) == 40


def _legend(bench, monkeypatch, draw, payload, tmp_path) -> list[str]:
    """The legend labels of the figure ``draw`` makes of ``payload`` (savefig captured, nothing kept)."""
    import matplotlib.figure

    seen = []
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig",
                        lambda fig, *a, **k: seen.extend(fig.axes[0].get_legend_handles_labels()[1]))
    draw(tmp_path / "x.png", payload)
    return seen


def test_summaries_read_every_arm_of_the_runs(bench, tmp_path, monkeypatch, capsys):
    """--summarise-repeats read entropy, margin and random only: the pseudo-label arms (entropy-pseudo,
    random-pseudo) of the same JSONs were left out of its table, verdicts and plot, and --summarise's plot
    dropped any arm it did not name. Every arm a run holds is now read, a future one too."""
    extra = {"entropy-pseudo": [[0.62, 0.75], [0.60, 0.73]], "random-pseudo": [[0.6, 0.7], [0.6, 0.72]],
             "future-arm": [[0.5, 0.8], [0.5, 0.76]]}
    runs = []
    for i, seed in enumerate((0, 2)):
        r = _rep(seed, 0.72, [0.6, 0.7], [0.58, 0.66])
        for arm, accs in extra.items():
            r["curves"][arm] = [list(p) for p in zip(r["grid"], accs[i])]
        r["pseudo_threshold"] = 0.9
        runs.append(r)
    s = bench.summarise_repeats(runs, ["a", "b"])
    assert list(s["arms"]) == ["entropy", "entropy-pseudo", "random-pseudo", "future-arm", "random"]
    assert s["arms"]["entropy-pseudo"]["mean"] == pytest.approx([0.61, 0.74])
    assert s["arms"]["future-arm"]["mean"] == pytest.approx([0.5, 0.78])
    # by hand: the reference is 0.72; future-arm crosses it between 5 (0.5) and 10 (0.78): 5 + 5 * 0.22 / 0.28
    assert s["labels_needed_interp"]["future-arm"] == pytest.approx(5 + 5 * 0.22 / 0.28)
    assert s["labels_needed_grid"]["random-pseudo"] is None  # its mean reaches 0.71 only
    paths = []
    for i, r in enumerate(runs):
        paths.append(tmp_path / f"r{i}.json")
        paths[-1].write_text(json.dumps(r))
    code, cap = _main(bench, monkeypatch, capsys, "--summarise-repeats", *paths)
    assert code == 0, cap.err
    # entropy-pseudo's mean crosses 0.72 between 5 (0.61) and 10 (0.74): 5 + 5 * 0.11 / 0.13 = 9.2
    assert "entropy-pseudo: reaches 0.720 at 9 labels" in cap.out and "future-arm (2)" in cap.out
    labels = _legend(bench, monkeypatch, bench._plot_repeats, s, tmp_path)
    assert {x.split(" (")[0] for x in labels} >= set(s["arms"])  # a KeyError for any arm it did not name
    # --summarise (one run): the table had every arm, the plot only those it named
    res = json.loads(json.dumps(runs[0]))
    res["reference"].update(mean=0.72, std=0.0)
    labels = _legend(bench, monkeypatch, bench._plot, res, tmp_path)
    assert "future-arm" in labels and "entropy-pseudo (pseudo-labels at P >= 0.9)" in labels


def test_merging_pseudo_arms_keeps_their_threshold(bench):
    a = _run([5, 10], [0.7], {"entropy": [[5, 0.5], [10, 0.6]], "random_orders": [[[5, 0.5], [10, 0.7]]]})
    b = _run([5, 10], [], {"entropy-pseudo": [[5, 0.5], [10, 0.8]], "random_orders": []})
    b["pseudo_threshold"] = 0.95
    m = bench.merge_runs([a, b], ["a.json", "b.json"])
    assert m["curves"]["entropy-pseudo"] == b["curves"]["entropy-pseudo"] and m["pseudo_threshold"] == 0.95
    c = _run([5, 10], [], {"random-pseudo": [[5, 0.5], [10, 0.7]], "random_orders": []})
    c["pseudo_threshold"] = 0.8
    with pytest.raises(ValueError, match="c.json: --pseudo-threshold 0.8 differs from the 0.95"):
        bench.merge_runs([a, b, c], ["a.json", "b.json", "c.json"])


def test_summarise_merges_a_bald_run_and_counts_wrong_picks_per_round(bench, tmp_path, monkeypatch, capsys):
    """--summarise merges a --arms bald run with entropy/random runs and reports, per arm and round, the share
    of wrong people's labels among the picks (from the models' cumulative labels_wrong)."""
    a = _run([5, 10, 20], [0.7, 0.8], {"entropy": [[5, 0.5], [10, 0.6], [20, 0.7]],
                                       "random_orders": [[[5, 0.5], [10, 0.7], [20, 0.74]]]})
    a["details"] = {"entropy_00": {"labels": 5, "labels_wrong": 0.2}, "entropy_01": {"labels": 10, "labels_wrong": 0.3},
                    "entropy_02": {"labels": 20, "labels_wrong": 0.25},
                    "random0_00": {"labels": 5, "labels_wrong": 0.2}, "random0_01": {"labels": 10, "labels_wrong": 0.1},
                    "random0_02": {"labels": 20, "labels_wrong": 0.1}}
    b = _run([5, 10, 20], [], {"bald": [[5, 0.5], [10, 0.65], [20, 0.76]], "random_orders": []})
    b["details"] = {"bald_00": {"labels": 5, "labels_wrong": 0.2}, "bald_01": {"labels": 10, "labels_wrong": 0.1}}
    pa, pb, out = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "s.json"
    pa.write_text(json.dumps(a))
    pb.write_text(json.dumps(b))
    code, cap = _main(bench, monkeypatch, capsys, "--summarise", pa, pb, "--json", out)
    assert code == 0, cap.err
    got = json.loads(out.read_text())["summary"]
    # by hand: entropy 1 of 5 wrong, then 3 of 10 (2 of the 5 picks), then 5 of 20 (2 of the 10 picks)
    assert got["picks_wrong"]["entropy"] == [[0, 5, 0.2], [5, 10, 0.4], [10, 20, 0.2]]
    assert got["picks_wrong"]["random0"] == [[0, 5, 0.2], [5, 10, 0.0], [10, 20, 0.1]]
    # the bald run stopped after two rounds: the rounds it finished
    assert got["picks_wrong"]["bald"] == [[0, 5, 0.2], [5, 10, 0.0]]
    assert got["labels_needed_interp"]["bald"] == pytest.approx(10 + 10 * 0.1 / 0.11)
    assert "bald: wrong people's labels among each round's picks: 0-5 20.0%, 5-10 0.0%" in cap.out


def test_merge_reads_an_empty_sim_set_as_an_older_run_without_one(bench):
    """A run of today stores --sim-set as "{}"; the committed runs of 2026-12-02 predate the option (no key):
    --summarise refused to merge them ('--sim-set {} differs from ... None'). Both mean no --sim-set."""
    a = _run([5, 10], [0.7], {"entropy": [[5, 0.5], [10, 0.6]], "random_orders": [[[5, 0.5], [10, 0.7]]]})
    b = _run([5, 10], [], {"bald": [[5, 0.5], [10, 0.8]], "random_orders": []}, sim_set="{}")
    assert "sim_set" not in a["args"]
    assert bench.merge_runs([a, b], ["a.json", "b.json"])["curves"]["bald"] == [[5, 0.5], [10, 0.8]]
    with pytest.raises(ValueError, match="--sim-set"):  # a real --sim-set still differs
        bench.merge_runs([a, _run([5, 10], [], {"bald": []}, sim_set="{'psf_fwhm': 2.0}")], ["a.json", "c.json"])


def test_bad_counts_and_grid_exit_2_before_anything(bench, tmp_path, monkeypatch, capsys):
    """``--grid 40,abc`` raised a bare ValueError after the fields were simulated, ``--batch 0`` never
    ended, ``--shape 16`` failed in the simulator; now a message naming the option, exit 2."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where a work folder would be made
    out = tmp_path / "r.json"
    cases = {("--retrain", "scratch", "--grid", "40,abc"): "--grid '40,abc': expected label counts",
             ("--retrain", "scratch", "--grid", "0,40"): "every label count must be at least 1",
             ("--batch", "0"): "--batch must be at least 1",
             ("--n-pool", "0"): "--n-pool 0: the simulator refuses it",
             ("--shape", "16"): "--shape 16 / --n-pool 1000: the simulator refuses it",
             ("--max-labels", "50"): "--max-labels 50 is below --start 100",
             ("--threads", "0"): "--threads must be at least 1"}
    for argv, message in cases.items():
        code, cap = _main(bench, monkeypatch, capsys, *argv, "--json", out)
        assert code == 2 and message in cap.err and "Traceback" not in cap.err, cap.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fails", [False, True])
def test_the_work_folder_is_removed_after_a_run_and_after_a_failed_one(bench, tmp_path, monkeypatch, capsys,
                                                                        fails):
    """Every run left an empty /tmp/starclass_active_* behind (a failed one its models too)."""
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    seen = []

    def loop(args, train, labellable, x_pool, pool_mag, cfg, folder, *rest, **kw):
        (folder / "model").mkdir()  # as a trained model would be
        seen.append(folder)
        if fails:
            raise RuntimeError("stopped in the loop")

    monkeypatch.setattr(bench, "_scratch", loop)
    argv = ["--retrain", "scratch", "--shape", "64", "--n-pool", "20", "--n-test", "10", "--pool-fields", "1",
            "--start", "10", "--batch", "10", "--max-labels", "20", "--threads", "1"]
    if fails:
        with pytest.raises(RuntimeError):
            _main(bench, monkeypatch, capsys, *argv)
    else:
        assert _main(bench, monkeypatch, capsys, *argv)[0] == 0
    assert len(seen) == 1 and seen[0].parent == work and seen[0].name.startswith("starclass_active_")
    assert list(work.iterdir()) == []


def test_a_finetune_run_names_no_removed_folder_and_writes_its_json_whole(bench, tmp_path, monkeypatch, capsys):
    """--retrain finetune ended "total N s; models in /tmp/starclass_active_..." though that folder is removed when
    the run ends; its --json was written in place (a run stopped mid-write left half a JSON where a good one was)."""
    import types

    import starclass.learn.classify as classify_mod
    import starclass.learn.train as train_mod

    monkeypatch.setattr(train_mod, "fit", lambda *a, **k: None)  # the loop, not the training, is under test
    monkeypatch.setattr(classify_mod, "predict_inputs",
                        lambda model, x, **k: types.SimpleNamespace(class_pred=np.ones(len(x), dtype=int)))
    monkeypatch.setattr(bench, "_pick_entropy", lambda model, x, rest, *a, **k: rest[: a[-2]])
    writes = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (writes.append((Path(a), Path(b))), real_replace(a, b))[1])
    out = tmp_path / "run.json"
    code, cap = _main(bench, monkeypatch, capsys, "--shape", "64", "--n-pool", "20", "--n-test", "10",
                      "--pool-fields", "1", "--start", "10", "--batch", "10", "--max-labels", "20", "--threads", "1",
                      "--json", out)
    assert code == 0, cap.err
    assert "models in" not in cap.out and "total " in cap.out
    assert json.loads(out.read_text())["curves"] and (out.with_suffix(".tmp"), out) in writes
