"""Seed-paper simulators (cool cores, galaxy-cluster candidates, open/globular plates) and baselines."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.metrics import per_class_table
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.science.seed_baselines import (
    ConcentrationColourRule,
    csb_classes,
    density_classes,
    plate_features,
    rank_classes,
)
from starclass.simulate.coolcore import (
    CoolCoreSimConfig,
    cooling_time_gyr,
    simulate_cluster,
    surface_brightness_concentration,
)
from starclass.simulate.labelled import celestial_wcs
from starclass.simulate.star_clusters_dss import DSSSimConfig, simulate_plate_cutout
from starclass.stamps.images import cutout_inputs

runner = CliRunner()


def test_cooling_time_by_hand():
    # 3/2 * 1.92 n kT / (n * n/1.2 * Lambda), Lambda from Tozzi & Norman at 4 keV, Z = 0.3
    ne, kt = 0.02, 4.0
    lam = 1e-22 * (8.6e-3 * kt ** -1.7 + 5.8e-2 * kt ** 0.5 + 6.3e-2)
    hand = 1.5 * 1.92 * ne * kt * 1.602177e-9 / (ne * ne / 1.2 * lam) / 3.156e16
    assert cooling_time_gyr(ne, kt) == pytest.approx(hand, rel=1e-9)


def test_coolcore_labels_follow_the_central_cooling_time_and_the_image_follows_the_core():
    cfg = CoolCoreSimConfig(size=64, seed=4)
    rows = [simulate_cluster(cfg, i) for i in range(24)]
    for img, t in rows:
        assert img.shape == (64, 64) and np.all(img >= 0) and np.all(img == np.round(img))  # Poisson counts
        want = 1 if t["tcool_gyr"] < 1 else (2 if t["tcool_gyr"] <= 7.7 else 3)
        assert t["label"] == want
    labels = np.array([t["label"] for _, t in rows])
    assert len(set(labels.tolist())) >= 2
    csb = np.array([surface_brightness_concentration(img, cfg.pixel_kpc) for img, _ in rows])
    ne = np.array([t["ne_center"] for _, t in rows])
    # denser cores are more concentrated in the image (the physics the CNN and C_SB rely on)
    assert np.corrcoef(np.log(ne), csb)[0, 1] > 0.4


def test_csb_of_a_flat_image_is_the_area_ratio():
    img = np.ones((257, 257))
    # 40 and 400 kpc at 4 kpc/px: radii 10 and 100 px; no background subtracted
    got = surface_brightness_concentration(img, 4.0, background=0.0)
    yy, xx = np.indices(img.shape)
    r = np.hypot(xx - 128, yy - 128)
    assert got == pytest.approx((r < 10).sum() / (r < 100).sum())
    assert got == pytest.approx(0.01, rel=0.05)


def test_rule_baselines_and_one_vs_rest_balanced_accuracy_match_sklearn():
    rng = np.random.default_rng(0)
    ref = rng.integers(1, 4, 60)
    ne = np.where(ref == 1, 0.03, np.where(ref == 2, 0.01, 0.002)) * rng.lognormal(0, 0.5, 60)
    pred = density_classes(ne)
    table = per_class_table(ref, pred, [1, 2, 3])
    for c, bacc in zip((1, 2, 3), table["one_vs_rest_balanced_accuracy"]):
        assert float(bacc) == pytest.approx(balanced_accuracy_score(ref == c, pred == c))
    assert csb_classes([0.2, 0.155, 0.1, 0.075, 0.01]).tolist() == [1, 2, 2, 2, 3]
    ranked = rank_classes(np.arange(10.0), [0.2, 0.5, 0.3])
    assert np.bincount(ranked).tolist() == [0, 2, 5, 3] and ranked[9] == 1 and ranked[0] == 3


def test_open_globular_plates_and_the_concentration_colour_rule():
    cfg = DSSSimConfig(size=64, seed=1, label_noise=0.0)
    imgs, kinds = [], []
    for i in range(16):
        kind = 1 + i % 2
        img, t = simulate_plate_cutout(cfg, i, kind)
        assert img.shape == (64, 64, 3) and img.dtype == np.uint8 and t["label"] == t["label_true"] == kind
        imgs.append(img)
        kinds.append(kind)
    f = plate_features(np.stack(imgs))
    kinds = np.array(kinds)
    assert np.median(f[kinds == 2, 0]) > np.median(f[kinds == 1, 0])  # globulars are concentrated
    rule = ConcentrationColourRule().fit(f, kinds)
    assert (rule.predict(f) == kinds).mean() >= 0.75 and "class" in rule.describe()
    noisy = DSSSimConfig(size=32, seed=2, label_noise=0.3)
    swapped = [simulate_plate_cutout(noisy, i, 1)[1] for i in range(40)]
    n_swapped = sum(t["label"] != t["label_true"] for t in swapped)
    assert 4 <= n_swapped <= 20  # 30 % of 40 = 12 expected
    with pytest.raises(StarclassError, match="label_noise"):
        DSSSimConfig(label_noise=0.7)


def test_reproject_puts_a_star_where_the_sky_says():
    pytest.importorskip("reproject")
    from starclass.simulate.xray_candidates import to_common_grid

    w_opt = celestial_wcs((200, 200), 1.0, rotation_deg=37.0, offset_px=(3.0, -2.0))
    w_out = celestial_wcs((64, 64), 2.5)
    # a star at the sky position of output pixel (x=40, y=20)
    sky = w_out.pixel_to_world(40, 20)
    sx, sy = w_opt.world_to_pixel(sky)
    opt = np.zeros((200, 200))
    opt[int(round(float(sy))), int(round(float(sx)))] = 1000.0
    out = to_common_grid(opt, w_opt, w_out, (64, 64))
    iy, ix = np.unravel_index(np.argmax(out), out.shape)
    assert abs(ix - 40) <= 1 and abs(iy - 20) <= 1


@pytest.mark.parametrize("preset, n_bands", [("cool-core", 1), ("open-globular", 3), ("galaxy-cluster", 2)])
def test_simulate_cli_writes_a_folder_the_task_reads(tmp_path, preset, n_bands):
    if preset == "galaxy-cluster":
        pytest.importorskip("reproject")
    out = tmp_path / preset
    r = runner.invoke(app, ["simulate", str(out), "--preset", preset, "--n", "4", "--size", "40", "--quiet"])
    assert r.exit_code == 0, r.output
    with open(out / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and all(row["label"] for row in rows)
    cfg = get_preset(preset)
    cut = read_cutout_folder(out / "labels.csv", require_group=False,
                             bands=list(cfg.bands) if len(cfg.bands) > 1 else None)
    assert cut.images.shape[:2] == (4, n_bands)
    x = cutout_inputs(cut.images, cfg)
    assert x.shape == (4, cfg.n_channels, cfg.stamp_size, cfg.stamp_size) and np.isfinite(x).all()
    if preset == "galaxy-cluster":
        assert {row["expert"] for row in rows} <= {"1", "2", "3", "4", "5"}
        assert all(row["label"] == ("1" if row["expert"] in ("1", "2") else "2") for row in rows)
    again = runner.invoke(app, ["simulate", str(out), "--preset", preset, "--n", "4", "--size", "40"])
    assert again.exit_code == 2 and "overwrite" in again.output
    bad = runner.invoke(app, ["simulate", str(tmp_path / "x"), "--preset", preset, "--size", "8"])
    assert bad.exit_code == 2 and "--size" in bad.output


def test_seed_preset_counts_are_listed_in_class_order(tmp_path):
    # `simulate --preset cool-core` printed "counts: CC 11, NCC 6, WCC 23": alphabetical, not classes 1, 2, 3
    from starclass.simulate.coolcore import CLASS_NAMES
    from starclass.simulate.seed_presets import write_seed_preset

    _, counts = write_seed_preset("cool-core", tmp_path / "cc", n=40, size=32, seed=0)
    assert {"WCC", "NCC"} <= set(counts)  # both present, so alphabetical order would differ
    order = [CLASS_NAMES[k] for k in sorted(CLASS_NAMES)]
    assert list(counts) == [name for name in order if name in counts]
    assert sum(counts.values()) == 40


@pytest.mark.parametrize("preset", ["cool-core", "open-globular"])
def test_simulation_json_holds_the_class_counts(tmp_path, preset):
    # docs/seed_simulators.md: "simulation.json (settings, class counts)"; cool-core and
    # open-globular wrote the class names only, no counts
    import json
    from collections import Counter

    from starclass.simulate.seed_presets import write_seed_preset

    path, _ = write_seed_preset(preset, tmp_path / "s", n=12, size=32, seed=3)
    with open(path, newline="") as fh:
        labels = Counter(r["label"] for r in csv.DictReader(fh))
    info = json.loads((path.parent / "simulation.json").read_text())
    assert info["label_counts"] == dict(labels)
    assert list(info["label_counts"]) == sorted(labels, key=int)
