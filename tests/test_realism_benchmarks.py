"""Benchmark helpers of the realism work: sim_to_real --paired-against, the implied ZScale contrast."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from conftest import load_benchmark
from starclass.errors import StarclassError


def _module():
    return load_benchmark("sim_to_real")


def test_paired_differences_equal_the_metric_differences_and_refuse_other_cutouts(tmp_path):
    mod = _module()
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 120)
    good = np.clip(y * 0.6 + rng.uniform(0, 0.4, 120), 0, 1)
    poor = rng.uniform(0, 1, 120)
    doc = {"sim": "new", "n_real": 120, "p": good.tolist(), "p_tta": good.tolist()}
    other = tmp_path / "sim_only.json"
    other.write_text(json.dumps({"sim": "old", "n_real": 120, "p": poor.tolist(), "p_tta": poor.tolist()}))
    lines = mod.paired_lines(doc, other, y, n_boot=200)
    auc_row = next(r for r in lines if r.startswith("| no | auc |"))
    value = float(auc_row.split("|")[3].split("[")[0])
    assert value == pytest.approx(roc_auc_score(y, good) - roc_auc_score(y, poor), abs=5e-4)
    lo, hi = (float(v) for v in auc_row.split("[")[1].split("]")[0].split(","))
    assert lo <= value <= hi and lo > 0  # a clearly better predictor: interval clear of zero
    # predictions for other cutouts, or no file: an error naming the file
    other.write_text(json.dumps({"sim": "old", "n_real": 100, "p": poor[:100].tolist(), "p_tta": poor[:100].tolist()}))
    with pytest.raises(StarclassError, match="sim_only.json"):
        mod.paired_lines(doc, other, y, n_boot=50)
    with pytest.raises(StarclassError, match="missing.json"):
        mod.paired_lines(doc, tmp_path / "missing.json", y, n_boot=50)


def test_implied_contrast_recovers_the_zscale_contrast_of_a_stretched_cutout():
    """``benchmarks/realism_clusters_diagnose.py``: the contrast read back from an 8-bit cutout."""
    from starclass.simulate.cutouts_m31 import zscale_to_uint8

    mod = load_benchmark("realism_clusters_diagnose")
    rng = np.random.default_rng(2)
    yy, xx = np.mgrid[:128, :128]
    img = rng.normal(100, 5, (128, 128)) + 300 * np.exp(-((xx - 64) ** 2 + (yy - 64) ** 2) / 40.0)
    got = {c: mod.implied_contrast(zscale_to_uint8(img, contrast=c)) for c in (0.2, 0.25, 0.35)}
    for c, v in got.items():
        assert v == pytest.approx(c, abs=0.03)
    assert got[0.2] < got[0.25] < got[0.35]
    assert np.isnan(mod.implied_contrast(np.full((64, 64), 7.0)))  # flat: no slope


def test_radius_lines_split_auc_and_recall_by_projected_radius(tmp_path):
    """``sim_to_real.py --summarise``: per radius bin the AUC is scikit-learn's on that bin, the
    recalls count P >= 0.5, and the halo clusters' paired recall difference is the plain one."""
    from astropy import units as u
    from astropy.coordinates import SkyCoord
    from astropy.table import Table

    mod = _module()
    rng = np.random.default_rng(3)
    n = 90
    r_kpc = np.repeat([2.0, 10.0, 40.0], 30)
    centre = SkyCoord(10.6847 * u.deg, 41.2690 * u.deg)
    pos = centre.directional_offset_by(rng.uniform(0, 360, n) * u.deg, (r_kpc / 780.0) * u.rad)
    table = Table({"ra": pos.ra.deg.astype(str), "dec": pos.dec.deg.astype(str),
                   "source_table": np.where(np.arange(n) % 2, "huxor14_table1", "m31rbcV5")})
    np.testing.assert_allclose(mod.projected_radius_kpc(table), r_kpc, rtol=1e-6)
    y = rng.integers(0, 2, n)
    y[[0, 1, 30, 31, 60, 61]] = [0, 1, 0, 1, 0, 1]
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, n), 0, 1)
    q = rng.uniform(0, 1, n)
    lines = mod.radius_lines({"p": p.tolist(), "p_tta": p.tolist()}, table, y,
                             {"p": q.tolist(), "p_tta": q.tolist()}, n_boot=100)
    row = next(r for r in lines if r.startswith("| 15-1000 | no |")).split("|")
    m = r_kpc >= 15
    assert float(row[4]) == pytest.approx(roc_auc_score(y[m], p[m]), abs=5e-4)
    assert float(row[5]) == pytest.approx(np.mean(p[m & (y == 1)] >= 0.5), abs=5e-3)
    assert float(row[6]) == pytest.approx(np.mean(p[m & (y == 0)] < 0.5), abs=5e-3)
    halo = m & (y == 1)
    diff = next(r for r in lines if r.startswith("* TTA no:"))
    value = float(diff.split("difference ")[1].split(" [")[0])
    assert value == pytest.approx(np.mean(p[halo] >= 0.5) - np.mean(q[halo] >= 0.5), abs=1e-3)  # 3 decimals
    assert any(r.startswith("* huxor14_table1:") for r in lines)
    # no coordinates: no table
    assert mod.radius_lines({"p": p.tolist(), "p_tta": p.tolist()}, Table({"x": np.zeros(n)}), y, None, 50) == []


def _saved_run(path, field_seeds: dict):
    """A realism_fields.py --json file: per field, per seed a ladder difference and a CI median."""
    rows = []
    for field, seeds in field_seeds.items():
        per_seed = [{"seed": s, "ladder": [{"task": "4class", "rule": "gbm", "real": 50.0, "sim": 50.0 + d, "diff": d}],
                     "medians": [{"quantity": "ci", "class": 3, "sim": m, "q25": 1.4, "q75": 1.6}]}
                    for s, (d, m) in seeds.items()]
        rows.append({"field": field, "per_seed": per_seed})
    path.write_text(json.dumps(rows))
    return str(path)


def test_realism_pool_saved_takes_the_mean_over_files_and_only_the_fields_asked(tmp_path):
    rf = load_benchmark("realism_fields")
    a = _saved_run(tmp_path / "a.json", {"x": {1: (-7.0, 1.7), 2: (-6.0, 1.7)}, "y": {1: (9.0, 1.5)}})
    b = _saved_run(tmp_path / "b.json", {"x": {3: (-2.0, 1.5), 4: (-1.0, 1.5)}})
    (x,) = rf.pool_saved([f"{a}:x", b])  # y of a.json left out
    assert x["seeds"] == [1, 2, 3, 4]
    assert x["ladder"][0]["diff"] == pytest.approx(-4.0) and x["ladder"][0]["within"]
    assert x["ladder"][0]["diff_se"] == pytest.approx(round(np.std([-7, -6, -2, -1], ddof=1) / 2, 1))
    assert x["medians"][0]["sim"] == pytest.approx(1.6) and x["medians"][0]["inside"]
    (x1,) = rf.pool_saved([f"{a}:x"])
    assert not x1["ladder"][0]["within"] and not x1["medians"][0]["inside"]
    # the same seed of a field from two files would count twice
    with pytest.raises(SystemExit, match="seed 1 of x is already"):
        rf.pool_saved([a, a])
    with pytest.raises(SystemExit, match="no file"):
        rf.pool_saved([str(tmp_path / "none.json")])


def test_sim_to_real_stamp_size_is_the_real_benchmarks(tmp_path, capsys):
    """``sim_to_real.py --stamp-size``: the same geometry as ``real_pandas.py --stamp-size`` (so a
    simulation model can start the real benchmark's fine-tuning), and a bad size stops before
    anything is simulated or trained, with exit 2 and the option named."""
    import argparse
    import csv

    from PIL import Image

    mod = _module()
    real = load_benchmark("real_pandas")
    args = argparse.Namespace(model="resnet18", starcnet_width=32, stamp_size=128)
    cfg, width = mod.net_config(args)
    ref, ref_width = real.variant_config("resnet18", argparse.Namespace(starcnet_width=32, recipe=None,
                                                                        members=None, stamp_size=128))
    assert cfg.stamp_size == ref.stamp_size == 128 and width is ref_width is None
    assert cfg.architecture == "resnet18" and cfg.name == ref.name
    default, _ = mod.net_config(argparse.Namespace(model="resnet18", starcnet_width=32, stamp_size=None))
    assert default.stamp_size == 64  # no option: the preset's 128 px -> 64 px, as before
    # a tiny real folder, so main() gets as far as the option check
    rng = np.random.default_rng(4)
    rows = []
    for k in range(10):
        label = ("cluster", "galaxy")[k % 2]
        name = f"c{k}.png"
        Image.fromarray(rng.integers(0, 256, (128, 128), dtype=np.uint8)).save(tmp_path / name)
        rows.append({"file": name, "label": label, "object_id": f"obj{k}"})
    with open(tmp_path / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label", "object_id"])
        w.writeheader()
        w.writerows(rows)
    sim, out = tmp_path / "sim", tmp_path / "out"
    code = mod.main(["--data", str(tmp_path), "--parts", "sim", "--model", "compact-c64", "--stamp-size", "128",
                     "--sim", str(sim), "--n-sim", "4", "--out", str(out), "--threads", "1"])
    assert code == 2
    assert "--stamp-size 128" in capsys.readouterr().err
    assert not sim.exists() and not out.exists()


def test_realism_combine_refuses_to_write_over_one_of_its_inputs(tmp_path, monkeypatch):
    rf = load_benchmark("realism_fields")
    a = _saved_run(tmp_path / "a.json", {"x": {1: (-1.0, 1.5)}})
    before = (tmp_path / "a.json").read_text()
    monkeypatch.setattr("sys.argv", ["realism_fields.py", "--combine", f"{a}:x", "--json", a])
    with pytest.raises(SystemExit, match="one of the --combine inputs"):
        rf.main()
    assert (tmp_path / "a.json").read_text() == before
    out = tmp_path / "pooled.json"
    monkeypatch.setattr("sys.argv", ["realism_fields.py", "--combine", a, "--json", str(out)])
    rf.main()
    assert json.loads(out.read_text())[0]["seeds"] == [1]


@pytest.mark.parametrize("name", ["realism_fields", "realism_legus"])
def test_realism_figures_write_units_in_square_brackets(name):
    """The realism benchmarks' figures labelled CI "CI (mag)" where the report figures write
    units in square brackets ("CI [mag]"); parentheses are left for the filters."""
    import re

    labels = load_benchmark(name).LABELS
    units = r"(mag|Mpc|arcsec|%|yr|Msun|px|pix)"
    assert set(labels) >= {"ci", "u_b", "v_i"}
    assert all(re.search(rf"\[{units}\]$", t) for t in labels.values()), labels
    assert [t for t in labels.values() if re.search(rf"\({units}\)", t)] == []


def test_realism_fields_takes_its_fields_comma_or_space_separated(tmp_path, monkeypatch, capsys):
    """``--fields ngc628c,ngc1566`` was refused ('invalid choice'): only space-separated names were taken."""
    rf = load_benchmark("realism_fields")
    ran: list[str] = []
    monkeypatch.setattr(rf, "LEGUS", tmp_path)  # the real catalogues are not needed to choose the fields
    monkeypatch.setattr(rf, "run_field", lambda name, args: ran.append(name) or {"_arrays": 0, "medians": [],
                                                                                  "ladder": []})
    monkeypatch.setattr(rf, "report", lambda res, tol: None)
    for argv in (["--fields", "ngc628c,ngc1566"], ["--fields", "ngc628c", "ngc1566"],
                 ["--fields", "ngc628c, ngc1566"], ["--fields", "ngc628c,", "ngc1566"]):
        ran.clear()
        monkeypatch.setattr("sys.argv", ["realism_fields.py", *argv])
        rf.main()
        assert ran == ["ngc628c", "ngc1566"], argv
    capsys.readouterr()
    monkeypatch.setattr("sys.argv", ["realism_fields.py", "--fields", "ngc628c,ngc9999"])
    ran.clear()
    with pytest.raises(SystemExit) as stop:
        rf.main()
    assert stop.value.code == 2 and ran == []
    err = capsys.readouterr().err
    assert "--fields" in err and "'ngc9999'" in err and "ngc1566" in err, err  # the bad name and the known ones
    monkeypatch.setattr("sys.argv", ["realism_fields.py", "--help"])
    with pytest.raises(SystemExit):
        rf.main()
    assert "comma" in capsys.readouterr().out
