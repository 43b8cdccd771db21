"""benchmarks/trust_active.py: labels needed (interpolated), merging runs, the --summarise mode."""

from __future__ import annotations

import json
import sys

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
