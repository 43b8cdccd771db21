"""The PAndAS-like cutout simulator writes folders in the real folder's form."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.simulate.cutouts_m31 import (
    CutoutSimConfig,
    king_half_light_ratio,
    king_image,
    sersic_image,
    simulate_cutout,
    write_cutouts,
    zscale_to_uint8,
)


def _rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_folder_form_counts_and_pngs(tmp_path):
    out = tmp_path / "sim"
    labels = write_cutouts(CutoutSimConfig(counts={"cluster": 3, "extended_cluster": 1, "galaxy": 2}, seed=4), out)
    rows = _rows(labels)
    assert list(rows[0])[:3] == ["file", "label", "object_id"]
    assert [r["label"] for r in rows].count("cluster") == 3
    assert [r["label"] for r in rows].count("extended_cluster") == 1
    assert [r["label"] for r in rows].count("galaxy") == 2
    assert len({r["object_id"] for r in rows}) == 6
    for r in rows:
        assert r["file"].startswith(r["label"] + "/")
        with Image.open(out / r["file"]) as im:
            assert im.mode == "L" and im.size == (128, 128) and im.format == "PNG"
            a = np.asarray(im)
        assert a.dtype == np.uint8
        # A ZScale stretch uses the whole range: some pixels dark, the object bright.
        assert a.min() < 40 and a.max() == 255
        assert 0.5 < float(r["seeing_arcsec"]) < 1.1


def test_n_splits_like_the_real_folder():
    assert CutoutSimConfig(n=869).label_counts() == {"cluster": 467, "extended_cluster": 9, "galaxy": 393}
    c = CutoutSimConfig(n=10).label_counts()
    assert sum(c.values()) == 10
    with pytest.raises(StarclassError):
        CutoutSimConfig(counts={"star": 3}).label_counts()


def test_deterministic_for_a_seed_and_different_across_seeds(tmp_path):
    cfg = CutoutSimConfig(counts={"cluster": 1, "extended_cluster": 0, "galaxy": 1}, seed=7)
    a = write_cutouts(cfg, tmp_path / "a")
    b = write_cutouts(cfg, tmp_path / "b")
    for r in _rows(a):
        np.testing.assert_array_equal(np.asarray(Image.open(a.parent / r["file"])),
                                      np.asarray(Image.open(b.parent / r["file"])))
    img7, _ = simulate_cutout(cfg, "galaxy", 1)
    img8, _ = simulate_cutout(CutoutSimConfig(seed=8), "galaxy", 1)
    assert not np.array_equal(img7, img8)


def test_refuses_to_overwrite(tmp_path):
    cfg = CutoutSimConfig(counts={"cluster": 1, "extended_cluster": 0, "galaxy": 0})
    out = tmp_path / "sim"
    write_cutouts(cfg, out)
    (out / "keep.txt").write_text("mine")
    with pytest.raises(StarclassError, match="overwrite"):
        write_cutouts(cfg, out)
    write_cutouts(cfg.__class__(counts={"cluster": 0, "extended_cluster": 0, "galaxy": 2}), out, overwrite=True)
    rows = _rows(out / "labels.csv")
    assert [r["label"] for r in rows] == ["galaxy", "galaxy"]
    assert not (out / "cluster").exists()
    # overwrite removes only what the writer makes
    assert (out / "keep.txt").read_text() == "mine"


def test_cli_preset_pandas_cutouts(tmp_path):
    out = tmp_path / "cli"
    args = ["simulate", str(out), "--preset", "pandas-cutouts", "--n", "4", "--seed", "2", "--quiet"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert len(_rows(out / "labels.csv")) == 4
    again = CliRunner().invoke(app, ["simulate", str(out), "--preset", "pandas-cutouts", "--n", "4", "--quiet"])
    assert again.exit_code == 2 and "overwrite" in again.output
    bad = CliRunner().invoke(app, ["simulate", str(tmp_path / "x"), "--preset", "pandas-cutouts", "--size", "256"])
    assert bad.exit_code == 2
    field = CliRunner().invoke(app, ["simulate", str(tmp_path / "y"), "--n", "4"])
    assert field.exit_code == 2 and "--n" in field.output


def test_profiles_have_the_right_half_light_radius():
    y, x = np.mgrid[-400:401, -400:401] * 0.02
    r = np.hypot(x, y)
    for img, rh in ((sersic_image(x, y, re=0.3, n=4.0), 0.3), (sersic_image(x, y, re=0.8, n=1.0), 0.8),
                    (king_image(x, y, rc=0.3, c=1.0), 0.3 * king_half_light_ratio(1.0))):
        inside = img[r < rh].sum()
        assert inside == pytest.approx(0.5, abs=0.03)


def test_clusters_are_smaller_than_galaxies_on_average():
    from starclass.stamps.morphology import cutout_statistics

    cfg = CutoutSimConfig(seed=11)
    cl = [cutout_statistics(simulate_cutout(cfg, "cluster", i)[0]) for i in range(12)]
    ga = [cutout_statistics(simulate_cutout(cfg, "galaxy", 100 + i)[0]) for i in range(12)]
    assert np.nanmedian([s["r50"] for s in cl]) < np.nanmedian([s["r50"] for s in ga])


def test_zscale_maps_to_full_byte_range():
    rng = np.random.default_rng(0)
    img = rng.normal(100, 5, (128, 128))
    img[60:68, 60:68] += 1000
    out = zscale_to_uint8(img)
    assert out.dtype == np.uint8 and out[64, 64] == 255 and out.min() == 0
