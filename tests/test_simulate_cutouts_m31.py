"""The PAndAS-like cutout simulator writes folders in the real folder's form."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PIL import Image
from scipy.signal import fftconvolve
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
    with pytest.raises(StarclassError, match="already holds a cutout set .*give overwrite=True"):
        write_cutouts(cfg, out)
    write_cutouts(cfg.__class__(counts={"cluster": 0, "extended_cluster": 0, "galaxy": 2}), out, overwrite=True)
    rows = _rows(out / "labels.csv")
    assert [r["label"] for r in rows] == ["galaxy", "galaxy"]
    assert not (out / "cluster").exists()
    # the set is replaced as a whole folder: one holding other files is refused even with overwrite
    (out / "keep.txt").write_text("mine")
    with pytest.raises(StarclassError, match="keep.txt"):
        write_cutouts(cfg, out, overwrite=True)
    assert (out / "keep.txt").read_text() == "mine" and len(_rows(out / "labels.csv")) == 2
    # and without overwrite the message does not send the user to an --overwrite that is refused
    with pytest.raises(StarclassError, match=r"holds files a cutout set does not \(keep.txt\)") as refused:
        write_cutouts(cfg, out)
    assert "give --overwrite" not in str(refused.value)


def test_an_interrupted_write_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    """Ctrl-C (or a kill) mid-way left OUT with PNGs and no labels.csv: a rerun refused it and
    `train --stamps OUT` read it as a folder of one sub-folder per label."""
    import starclass.simulate.cutouts_m31 as m31

    cfg = CutoutSimConfig(counts={"cluster": 2, "extended_cluster": 0, "galaxy": 2}, size=32)
    real, calls = m31.simulate_cutout, []

    def stop_at_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(m31, "simulate_cutout", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        write_cutouts(cfg, tmp_path / "new")
    assert list(tmp_path.iterdir()) == []  # no folder, no hidden temporary left
    monkeypatch.setattr(m31, "simulate_cutout", real)
    labels = write_cutouts(cfg, tmp_path / "old")
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "old").rglob("*"))
    calls.clear()
    monkeypatch.setattr(m31, "simulate_cutout", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        write_cutouts(cfg.__class__(counts={"cluster": 0, "extended_cluster": 0, "galaxy": 5}, size=32),
                      tmp_path / "old", overwrite=True)
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "old").rglob("*")) == before
    assert len(_rows(labels)) == 4 and [p.name for p in tmp_path.iterdir()] == ["old"]


def test_a_partial_folder_left_by_an_older_version_is_named_as_such(tmp_path):
    out = tmp_path / "sim"
    (out / "cluster").mkdir(parents=True)
    for i in range(3):
        (out / "cluster" / f"sim_{i:06d}.png").write_bytes(b"")
    cfg = CutoutSimConfig(counts={"cluster": 1, "extended_cluster": 0, "galaxy": 0}, size=32)
    with pytest.raises(StarclassError, match=r"incomplete cutout set: 3 cutouts in cluster/ but no labels.csv"):
        write_cutouts(cfg, out)
    write_cutouts(cfg, out, overwrite=True)
    assert len(_rows(out / "labels.csv")) == 1 and len(list((out / "cluster").iterdir())) == 1


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


def test_cluster_sizes_in_arcsec_follow_the_stated_physical_distribution():
    """Globular clusters: log-normal r_h (median 5 pc, 0.28 dex, 0.8-20 pc) at 0.78 Mpc."""
    from starclass.simulate.cutouts_m31 import draw_cluster_parameters

    cfg = CutoutSimConfig()
    rng = np.random.default_rng(123)
    draws = [draw_cluster_parameters(rng, cfg) for _ in range(3000)]
    rh_arcsec = np.array([d["r_eff_arcsec"] for d in draws])
    pc_per_arcsec = 0.78e6 / 206264.806  # 3.78 pc per arcsec at M31
    # Median 5 pc -> 1.32"; the 0.28 dex scatter survives the (rarely reached) clip.
    assert np.median(rh_arcsec) == pytest.approx(5.0 / pc_per_arcsec, rel=0.04)
    assert np.std(np.log10(rh_arcsec)) == pytest.approx(0.28, abs=0.02)
    assert rh_arcsec.min() >= 0.8 / pc_per_arcsec - 1e-9 and rh_arcsec.max() <= 20.0 / pc_per_arcsec + 1e-9
    # At the PAndAS scale most globulars are 3-16 px across (r_h 0.5-3"): barely resolved.
    assert 0.75 < np.mean((rh_arcsec > 0.5) & (rh_arcsec < 3.0)) < 0.95
    c = np.array([d["king_c"] for d in draws])
    assert np.median(c) == pytest.approx(1.7, abs=0.03) and c.min() >= 1.0 and c.max() <= 2.5
    assert np.std(c) == pytest.approx(0.3, abs=0.03)
    g = np.array([d["g_mag"] for d in draws])
    assert np.median(g) == pytest.approx(17.5, abs=0.08) and np.std(g) == pytest.approx(1.3, abs=0.08)
    # The distance enters: the same physical size at twice the distance is half as big on the sky.
    far = draw_cluster_parameters(np.random.default_rng(5), CutoutSimConfig(distance_mpc=1.56))
    near = draw_cluster_parameters(np.random.default_rng(5), cfg)
    assert far["r_h_pc"] == near["r_h_pc"] and far["r_eff_arcsec"] == pytest.approx(near["r_eff_arcsec"] / 2)


def test_extended_clusters_are_larger_fainter_and_more_resolved():
    from starclass.simulate.cutouts_m31 import draw_cluster_parameters

    cfg = CutoutSimConfig()
    rng = np.random.default_rng(9)
    ext = [draw_cluster_parameters(rng, cfg, extended=True) for _ in range(1000)]
    gc = [draw_cluster_parameters(rng, cfg) for _ in range(1000)]
    rh = np.array([d["r_h_pc"] for d in ext])
    assert rh.min() >= 10.0 and rh.max() <= 35.0  # Huxor et al. 2011, 2014
    assert np.median([d["r_eff_arcsec"] for d in ext]) > 3 * np.median([d["r_eff_arcsec"] for d in gc])
    assert min(d["f_resolved"] for d in ext) > max(d["f_resolved"] for d in gc) + 0.1


def test_rendered_cluster_has_its_drawn_half_light_radius(monkeypatch):
    """Noiseless scene: half of the cluster's *total* light lies within the drawn r_h (arcsec)."""
    import starclass.simulate.cutouts_m31 as m

    cfg = CutoutSimConfig()
    # No resolved stars, so the smooth profile carries all the light.
    monkeypatch.setattr(m, "_stars_from_lf", lambda *a, **k: np.array([]))
    for seed in range(8):
        p = m.draw_cluster_parameters(np.random.default_rng(seed), cfg)
        scene = m._Scene(cfg, zp=30.0)
        truth = m._globular(np.random.default_rng(seed), scene, cfg, 0.0, 0.0)
        assert truth["r_eff_arcsec"] == p["r_eff_arcsec"]
        r_ell, _, _ = m._elliptical_radius(scene.dx, scene.dy, p["axis_ratio"], p["theta"])
        # the smooth part carries (1 - f_resolved) of the cluster's g magnitude
        total = scene.flux(p["g_mag"]) * (1.0 - p["f_resolved"])
        inside = scene.image[r_ell < p["r_eff_arcsec"]].sum() / total
        assert inside == pytest.approx(0.5, abs=0.03)


def test_king_light_beyond_the_grid_is_lost_not_folded_back():
    """A big, concentrated cluster (r_h 8 pc, c 2.6: r_t ~ 88") on the 30" scene grid.

    The grid holds less than the whole light, and r_h still encloses half of the *total*
    light; renormalising the profile on the grid put 56% inside r_h.
    """
    import starclass.simulate.cutouts_m31 as m

    cfg = CutoutSimConfig()
    scene = m._Scene(cfg, zp=30.0)
    rh = 8.0 / cfg.pc_per_arcsec
    c = 2.6
    rc = rh / king_half_light_ratio(c)
    for q, theta in ((1.0, 0.0), (0.8, 0.7)):
        img = king_image(scene.dx, scene.dy, rc=rc, c=c, q=q, theta=theta)
        r_ell, _, _ = m._elliptical_radius(scene.dx, scene.dy, q, theta)
        assert img[r_ell < rh].sum() == pytest.approx(0.5, abs=0.01)
        # what is on the grid: the analytic share inside the grid's inscribed circle and a bit more
        inscribed = m.king_enclosed_light(scene.dx.max(), rc, c) / m.king_enclosed_light(np.inf, rc, c)
        assert inscribed - 0.01 < img.sum() < 0.95
    # a cluster whose tidal radius fits on the grid keeps all its light there, as before
    small = king_image(scene.dx, scene.dy, rc=0.1, c=1.5)
    assert small.sum() == pytest.approx(1.0, abs=1e-12)


def test_stretch_frame_default_is_the_cutout_and_a_larger_frame_changes_the_stretch():
    cfg = CutoutSimConfig(size=64, seed=2)
    a, _ = simulate_cutout(cfg, "cluster", 0)
    b, _ = simulate_cutout(CutoutSimConfig(size=64, seed=2, stretch_frame=64), "cluster", 0)
    np.testing.assert_array_equal(a, b)
    c, _ = simulate_cutout(CutoutSimConfig(size=64, seed=2, stretch_frame=160), "cluster", 0)
    assert c.shape == (64, 64) and not np.array_equal(a, c)
    with pytest.raises(StarclassError, match="stretch_frame"):
        simulate_cutout(CutoutSimConfig(size=64, stretch_frame=32), "cluster", 0)


def test_m31_surface_brightness_falls_outward_through_bulge_disc_and_halo():
    from starclass.simulate.cutouts_m31 import m31_surface_brightness

    r = np.array([0.5, 1, 2, 5, 10, 20, 50, 100])
    mu = m31_surface_brightness(r)
    assert np.all(np.diff(mu) > 0)
    # Bulge and inner disc brighter than the PAndAS sky (22.0), the outer halo far fainter.
    assert mu[0] < 20.0 and mu[3] < CutoutSimConfig().sky_mag + 0.5 and mu[-1] > 30.0


def test_cluster_background_follows_its_position_on_m31():
    """Each cluster and galaxy gets a projected radius (the real folder's range) and M31's light there."""
    from starclass.simulate.cutouts_m31 import R_GAL_LOG10_PERCENTILES, m31_surface_brightness

    cfg = CutoutSimConfig(size=48, seed=3)
    for label in ("cluster", "galaxy"):
        truths = [simulate_cutout(cfg, label, i)[1] for i in range(8)]
        r = np.array([t["r_gal"] for t in truths])
        mu = np.array([t["m31_mu_g"] for t in truths])
        lo, hi = 10 ** np.array(R_GAL_LOG10_PERCENTILES[label])[[0, -1]]
        assert np.all((r >= lo) & (r <= hi))
        assert np.all(np.abs(mu - m31_surface_brightness(r)) < 2.5)  # +-0.5 mag scatter, 5 sigma
        # Spread over the system, not one radius for all.
        assert r.max() / r.min() > 1.5
    assert "r_gal" not in simulate_cutout(cfg, "extended_cluster", 0)[1]


def test_r_gal_follows_the_real_folder_and_the_inner_disc_is_not_under_represented():
    """Fourth pass: clusters and galaxies are placed on M31 as the real folder's are.

    The earlier draw (equal numbers per dex over 0.5-100 kpc) put 17 % of the clusters at 2-5 kpc,
    on M31's bright inner disc, where the real folder has 34 %, and 26 % within 2 kpc against 15 %.
    """
    from starclass.simulate.cutouts_m31 import draw_r_gal

    cfg = CutoutSimConfig()
    rng = np.random.default_rng(11)
    r = np.array([draw_r_gal(rng, cfg, "cluster") for _ in range(4000)])
    assert np.mean((r >= 2) & (r < 5)) == pytest.approx(0.34, abs=0.03)
    assert np.mean(r < 2) == pytest.approx(0.15, abs=0.03)
    assert np.median(r) == pytest.approx(5.3, rel=0.1)
    g = np.array([draw_r_gal(rng, cfg, "galaxy") for _ in range(4000)])
    assert np.median(g) == pytest.approx(20.6, rel=0.1)
    assert np.mean(g < 10) == pytest.approx(0.13, abs=0.03)
    # without a distribution for the label, the earlier draw (same random number) comes back
    old = CutoutSimConfig(r_gal_percentiles={})
    u = np.random.default_rng(5).uniform()
    expected = 10 ** (np.log10(0.5) + u * (2 - np.log10(0.5)))
    assert draw_r_gal(np.random.default_rng(5), old, "cluster") == pytest.approx(expected)
    with pytest.raises(StarclassError, match="r_gal_percentiles"):
        draw_r_gal(rng, CutoutSimConfig(r_gal_percentiles={"cluster": (1.0, 0.5)}), "cluster")


def test_labels_csv_carries_the_position_on_m31(tmp_path):
    labels = write_cutouts(CutoutSimConfig(counts={"cluster": 1, "extended_cluster": 1, "galaxy": 1}, size=48, seed=2),
                           tmp_path / "sim")
    rows = {r["label"]: r for r in _rows(labels)}
    for lab in ("cluster", "galaxy"):
        assert float(rows[lab]["r_gal"]) > 0 and 15.0 < float(rows[lab]["m31_mu_g"]) < 40.0
    assert rows["extended_cluster"]["r_gal"] == "" and rows["extended_cluster"]["m31_mu_g"] == ""


def test_galaxy_neighbours_from_m31_giants_grow_towards_the_disc():
    """Galaxies nearer M31's disc get more of its upper RGB/AGB stars (the real cutouts' neighbours)."""
    def giants(log_r):
        cfg = CutoutSimConfig(size=48, seed=1, r_gal_percentiles={"galaxy": (log_r, log_r)})
        return np.array([simulate_cutout(cfg, "galaxy", i)[1]["n_upper_giants"] for i in range(4)])

    inner, outer = giants(np.log10(6.0)), giants(np.log10(60.0))
    assert inner.mean() > 5 * max(outer.mean(), 0.5)
    none = CutoutSimConfig(size=48, seed=1, galaxy_giant_share=0.0)
    assert "n_upper_giants" not in simulate_cutout(none, "galaxy", 0)[1]


def test_galaxy_size_scale_multiplies_the_size_magnitude_relation():
    base = CutoutSimConfig(size=48, seed=9, galaxy_size_scale=1.0)
    big = CutoutSimConfig(size=48, seed=9, galaxy_size_scale=1.45)
    for i in range(3):
        a, b = simulate_cutout(base, "galaxy", i)[1], simulate_cutout(big, "galaxy", i)[1]
        assert b["g_mag"] == a["g_mag"]
        assert b["r_eff_arcsec"] == pytest.approx(1.45 * a["r_eff_arcsec"])
    # the default is the size fitted to the real galaxy cutouts (fourth pass), not the old 1.0
    assert CutoutSimConfig().galaxy_size_scale == pytest.approx(1.45)
    for bad in ({"galaxy_size_scale": 0.0}, {"galaxy_giant_share": -0.1}, {"galaxy_m31_share": float("nan")}):
        with pytest.raises(StarclassError, match=next(iter(bad))):
            simulate_cutout(CutoutSimConfig(size=48, **bad), "galaxy", 0)


def test_cluster_grid_reaches_beyond_the_psf_so_m31_light_stays_flat_to_the_cutout_edge():
    """Uniform M31 light convolved with the widest PSF drawn (1.05") must stay uniform on the cutout.

    With the former 16 px border the Moffat wings reaching beyond the grid were lost and the
    corners came out 2% darker: for a bulge background (M31 ~7x the sky) about 1.6 sigma,
    right where the border background and the ZScale minimum are measured.
    """
    import starclass.simulate.cutouts_m31 as m

    cfg = CutoutSimConfig(size=48)

    def corner_over_centre(pad):
        scene = m._Scene(cfg, zp=30.0, pad=pad)
        scene.image[:] = 1.0
        img = fftconvolve(scene.image, m.moffat_kernel(1.05, cfg.psf_beta, scene.step), mode="same")
        o = cfg.oversample
        n = img.shape[0] // o
        img = img.reshape(n, o, n, o).sum(axis=(1, 3))[pad:pad + cfg.size, pad:pad + cfg.size]
        return img[0, 0] / img[cfg.size // 2, cfg.size // 2]

    pad = m._grid_pad(cfg, "cluster", cfg.size)
    assert pad >= np.ceil(6 * 1.05 / cfg.pixel_scale)  # the kernel's half-width
    assert corner_over_centre(pad) == pytest.approx(1.0, abs=1e-6)
    assert corner_over_centre(16) < 0.99  # the old border
    # a larger stretch frame keeps the same margin beyond it; other labels keep their grid
    assert m._grid_pad(cfg, "cluster", cfg.size + 64) == pad + 32
    # galaxies are seen through M31 too (fourth pass) and get the same margin; extended
    # clusters keep their 16 px border
    assert m._grid_pad(cfg, "galaxy", cfg.size) == pad
    assert m._grid_pad(cfg, "extended_cluster", cfg.size) == 16
    assert m._grid_pad(CutoutSimConfig(size=48, r_gal_percentiles={}), "galaxy", cfg.size) == 16


def test_zscale_contrast_narrows_the_window_and_is_set_per_label():
    rng = np.random.default_rng(4)
    img = rng.normal(100, 5, (96, 96))
    yy, xx = np.mgrid[:96, :96]
    img += 400 * np.exp(-((xx - 48) ** 2 + (yy - 48) ** 2) / 60.0)
    wide, default, narrow = (zscale_to_uint8(img, contrast=c) for c in (0.2, 0.25, 0.3))
    np.testing.assert_array_equal(default, zscale_to_uint8(img))
    # a larger contrast is a narrower window: more saturated pixels, a brighter background
    assert (wide == 255).sum() < (default == 255).sum() < (narrow == 255).sum()
    assert np.median(wide) < np.median(default) < np.median(narrow)
    with pytest.raises(StarclassError, match="contrast"):
        zscale_to_uint8(img, contrast=0.0)
    # clusters and galaxies both use the contrast measured on the real PNGs (fourth pass:
    # galaxies 0.28 [0.271, 0.287], clusters 0.29, against the real 0.301 [0.295, 0.306]), so
    # the gap between the labels' windows is the real one, not astropy's 0.25 for galaxies
    from starclass.simulate.cutouts_m31 import ZSCALE_CONTRAST

    assert 0.27 <= ZSCALE_CONTRAST["galaxy"] <= 0.29 and 0.29 <= ZSCALE_CONTRAST["cluster"] <= 0.31
    assert 0 <= ZSCALE_CONTRAST["cluster"] - ZSCALE_CONTRAST["galaxy"] <= 0.301 - 0.281 + 0.005
    cfg = CutoutSimConfig(size=48, seed=6)
    same = CutoutSimConfig(size=48, seed=6, zscale_contrast={"cluster": 0.25, "galaxy": 0.25})
    # (a faint cluster whose ZScale upper limit is the cutout's maximum does not depend on the
    # contrast: with the fifth pass's random stream cutout 0 of this seed is one, so three are compared)
    for lab in ("cluster", "galaxy"):
        assert any(not np.array_equal(simulate_cutout(cfg, lab, i)[0], simulate_cutout(same, lab, i)[0])
                   for i in range(3))


def test_outer_halo_clusters_are_fainter_and_larger_than_inner_ones():
    """Fifth pass: beyond ~15-30 kpc the GCLF gains the faint peak (M_V ~ -5.5, Huxor et al. 2014)
    and sizes grow with radius (r_h ~ R^0.5); within 15 kpc the distributions are the old ones."""
    from starclass.simulate.cutouts_m31 import CLUSTER_HALO, draw_cluster_parameters

    cfg = CutoutSimConfig()
    rng = np.random.default_rng(21)
    inner = [draw_cluster_parameters(rng, cfg, r_gal=5.0) for _ in range(3000)]
    outer = [draw_cluster_parameters(rng, cfg, r_gal=60.0) for _ in range(3000)]
    g_in = np.array([d["g_mag"] for d in inner])
    rh_in = np.array([d["r_h_pc"] for d in inner])
    assert not any(d["faint_peak"] for d in inner)
    assert np.median(g_in) == pytest.approx(17.5, abs=0.08) and np.median(rh_in) == pytest.approx(5.0, rel=0.05)
    assert rh_in.max() <= 20.0
    faint = np.array([d["faint_peak"] for d in outer])
    assert faint.mean() == pytest.approx(CLUSTER_HALO["faint_share"], abs=0.03)
    g_faint = np.array([d["g_mag"] for d in outer])[faint]
    assert np.median(g_faint) == pytest.approx(CLUSTER_HALO["faint_g"], abs=0.05)
    assert np.median([d["g_mag"] for d in outer]) > np.median(g_in) + 0.5
    rh_out = np.array([d["r_h_pc"] for d in outer])
    # (60 / 15)^0.5 = 2: twice the inner median, clipped at the extended clusters' 35 pc
    assert np.median(rh_out) == pytest.approx(10.0, rel=0.06)
    assert rh_out.max() <= 35.0 and rh_out.max() > 20.0
    # halfway (in log R) between 15 and 30 kpc, half the faint share
    mid = [draw_cluster_parameters(rng, cfg, r_gal=float(np.sqrt(15.0 * 30.0)))["faint_peak"] for _ in range(3000)]
    assert np.mean(mid) == pytest.approx(CLUSTER_HALO["faint_share"] / 2, abs=0.03)
    # cluster_halo=None: the radius is ignored, random number for random number
    old = CutoutSimConfig(cluster_halo=None)
    a = draw_cluster_parameters(np.random.default_rng(4), old, r_gal=80.0)
    b = draw_cluster_parameters(np.random.default_rng(4), old)
    assert a == b and "faint_peak" not in a


def test_rendered_outer_clusters_follow_their_radius_and_none_keeps_them_independent():
    def truths(log_r, halo):
        kw = {} if halo else {"cluster_halo": None}
        cfg = CutoutSimConfig(size=48, seed=6, r_gal_percentiles={"cluster": (log_r, log_r)}, **kw)
        return [simulate_cutout(cfg, "cluster", i)[1] for i in range(6)]

    near, far = truths(np.log10(3.0), True), truths(np.log10(80.0), True)
    assert all(t["r_gal"] == pytest.approx(80.0) for t in far)
    assert np.mean([t["r_h_pc"] for t in far]) > 1.5 * np.mean([t["r_h_pc"] for t in near])
    # without the setting, where a cluster sits changes its background only
    for a, b in zip(truths(np.log10(3.0), False), truths(np.log10(80.0), False)):
        assert a["g_mag"] == b["g_mag"] and a["r_h_pc"] == b["r_h_pc"]


@pytest.mark.parametrize("bad, field_name", [
    ({"faint_share": 1.5}, "faint_share"),
    ({"size_index": -0.5}, "size_index"),
    ({"faint_sigma": float("nan")}, "faint_sigma"),
    ({"rh_max_pc": 0.0}, "rh_max_pc"),
    ({"r_full_kpc": 10.0}, "r_full_kpc"),
    ({"faint_peak_g": 19.0}, "faint_peak_g"),
])
def test_bad_cluster_halo_setting_is_refused_naming_the_field(bad, field_name):
    with pytest.raises(StarclassError, match=f"cluster_halo.*{field_name}"):
        simulate_cutout(CutoutSimConfig(size=48, cluster_halo=bad), "cluster", 0)


def test_cli_no_halo_clusters_writes_the_radius_independent_folder(tmp_path):
    args = ["simulate", "--preset", "pandas-cutouts", "--n", "3", "--seed", "5", "--quiet"]
    assert CliRunner().invoke(app, [*args[:1], str(tmp_path / "new"), *args[1:]]).exit_code == 0
    r = CliRunner().invoke(app, [*args[:1], str(tmp_path / "old"), *args[1:], "--no-halo-clusters"])
    assert r.exit_code == 0, r.output
    old = write_cutouts(CutoutSimConfig(n=3, seed=5, cluster_halo=None), tmp_path / "api")
    for row in _rows(old):
        a = np.asarray(Image.open(tmp_path / "api" / row["file"]))
        assert np.array_equal(a, np.asarray(Image.open(tmp_path / "old" / row["file"])))
    first = _rows(old)[0]
    assert first["label"] == "cluster"
    assert not np.array_equal(np.asarray(Image.open(tmp_path / "new" / first["file"])),
                              np.asarray(Image.open(tmp_path / "old" / first["file"])))
    bad = CliRunner().invoke(app, ["simulate", str(tmp_path / "f"), "--preset", "m31", "--no-halo-clusters"])
    assert bad.exit_code == 2 and "--no-halo-clusters" in bad.output and not (tmp_path / "f").exists()


def test_a_profile_entirely_off_the_grid_adds_nothing_instead_of_nan():
    """``starclass simulate OUT --preset pandas-cutouts --n 800`` (seed 0, as docs/simulator.md
    writes it) crashed after 3 minutes with an IndexError from astropy's ZScale: cutout 790, an
    irregular galaxy, had a clump drawn 35" from its centre, off the scene; its Sersic profile
    underflowed to 0 everywhere and 0 / 0 made the whole cutout NaN."""
    y, x = np.mgrid[-20:21, -20:21] * 0.1
    far = sersic_image(x - 35.0, y, re=0.107, n=0.7)
    assert np.isfinite(far).all() and not far.any()
    near = sersic_image(x, y, re=0.107, n=0.7)  # on the grid: unit sum as before
    assert float(near.sum()) == pytest.approx(1.0)
    img, truth = simulate_cutout(CutoutSimConfig(n=800, seed=0), "galaxy", 790)
    assert img.dtype == np.uint8 and truth["kind"] == "irregular" and 0 < int(img.max()) <= 255
