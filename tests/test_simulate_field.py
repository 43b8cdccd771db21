"""Simulator: determinism, truth consistency, class mix, writing, ground-based preset."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.schema import subclass_number
from starclass.simulate import SimConfig, preset, simulate_field, write_field


@pytest.fixture(scope="module")
def small_field():
    return simulate_field(SimConfig(seed=7, shape=(256, 256), n_candidates=60))


def test_same_seed_same_field(small_field):
    again = simulate_field(SimConfig(seed=7, shape=(256, 256), n_candidates=60))
    for b in small_field.images:
        np.testing.assert_array_equal(small_field.images[b], again.images[b])
    for col in small_field.truth.colnames:
        a, b = np.asarray(small_field.truth[col]), np.asarray(again.truth[col])
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(a, b)
        else:
            assert (a == b).all()
    assert (small_field.humans["class_ref"] == again.humans["class_ref"]).all()


def test_other_seed_differs(small_field):
    other = simulate_field(SimConfig(seed=8, shape=(256, 256), n_candidates=60))
    assert not np.array_equal(np.nan_to_num(small_field.images["f555w"]), np.nan_to_num(other.images["f555w"]))


def test_shapes_bands_and_truth_columns(small_field):
    f = small_field
    assert list(f.images) == ["f275w", "f336w", "f438w", "f555w", "f814w"]
    for img in f.images.values():
        assert img.shape == (256, 256) and img.dtype == np.float32
    t = f.truth
    assert len(t) == 60
    for col in ("id", "x", "y", "ra", "dec", "class_ref", "subclass", "age", "mass", "ebv", "radius_pc",
                "crowding_true", "mag_true_f555w"):
        assert col in t.colnames
    assert ((t["x"] >= 0) & (t["x"] < 256) & (t["y"] >= 0) & (t["y"] < 256)).all()
    cls = np.asarray(t["class_ref"])
    sub = subclass_number(t["subclass"])
    assert set(cls) <= {1, 2, 3, 4}
    # subclasses only on class 4, and every class 4 has one
    assert np.isnan(sub[cls != 4]).all()
    assert np.isfinite(sub[cls == 4]).all()


def test_class_fractions_follow_the_mix():
    f = simulate_field(SimConfig(seed=3, shape=(512, 512), n_candidates=1500, field_stars=0.2))
    frac = np.bincount(np.asarray(f.truth["class_ref"]), minlength=5)[1:] / len(f.truth)
    np.testing.assert_allclose(frac, [0.16, 0.20, 0.20, 0.44], atol=0.04)
    # clusters and associations are between the magnitude limits in V
    cl = np.asarray(f.truth["class_ref"]) < 4
    mv = np.asarray(f.truth["mag_true_f555w"])[cl]
    assert mv.max() <= 24.5 + 0.05 and mv.min() >= 18.5 - 0.05


def test_isolated_bright_source_flux_matches_truth():
    """The summed pixel flux around an isolated single star matches its true magnitude."""
    cfg = SimConfig(seed=11, shape=(512, 512), n_candidates=120, field_stars=0.0, footprint_edge=False,
                    class_mix=(0, 0, 0, 1), subclass_mix={4.1: 1.0}, diffuse_light=0.0, mag_limit=22.0)
    f = simulate_field(cfg)
    t = f.truth
    xy = np.column_stack([t["x"], t["y"]])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) + np.eye(len(t)) * 1e9
    iso = (d.min(axis=1) > 30) & (t["x"] > 25) & (t["x"] < 487) & (t["y"] > 25) & (t["y"] < 487)
    i = np.flatnonzero(iso)[np.argmin(np.asarray(t["mag_true_f555w"])[iso])]
    from photutils.aperture import CircularAnnulus, CircularAperture, aperture_photometry

    from starclass.simulate.profiles import psf_mixture

    img = f.images["f555w"]
    pos = (float(t["x"][i]), float(t["y"][i]))
    ap = aperture_photometry(img, CircularAperture(pos, r=8.0))["aperture_sum"][0]
    ann = CircularAnnulus(pos, 12.0, 18.0).to_mask(method="center").get_values(img)
    flux = ap - np.median(ann) * np.pi * 64.0
    w, var = psf_mixture(cfg.band_fwhm("f555w"), cfg.psf_beta)
    ee8 = np.sum(w * (1 - np.exp(-0.5 * 64.0 / var)))
    mag = -2.5 * np.log10(flux / ee8) + f.zeropoint["f555w"]
    assert t["mag_true_f555w"][i] < 22.5
    assert abs(mag - t["mag_true_f555w"][i]) < 0.05


def test_write_field_files_and_reader(tmp_path, small_field):
    from astropy.table import Table

    from starclass.io.mosaic import read_mosaics

    paths = write_field(small_field, tmp_path / "out")
    for b in small_field.images:
        assert paths[b].name == f"SIM-1_{b}.fits"
    mos = read_mosaics(tmp_path / "out")
    assert mos.bands == list(small_field.images)
    np.testing.assert_allclose(mos.zeropoint["f555w"], small_field.zeropoint["f555w"], atol=1e-6)
    np.testing.assert_array_equal(np.asarray(mos.data["f555w"]), small_field.images["f555w"])
    truth = Table.read(paths["truth"], format="ascii.ecsv")
    humans = Table.read(paths["humans"], format="ascii.ecsv")
    assert len(truth) == len(humans) == 60
    assert {"class_h1", "class_h2", "class_h3", "class_ref"} <= set(humans.colnames)


def test_writing_a_field_over_another_needs_overwrite(tmp_path, small_field):
    """write_field and simulate_to_disk replaced a field already in the folder without a word
    (its truth and people's labels with it); the other simulators' writers refuse."""
    from starclass.simulate import simulate_to_disk

    out = tmp_path / "out"
    paths = write_field(small_field, out)
    before = {k: p.read_bytes() for k, p in paths.items() if k in ("truth", "humans")}
    other = SimConfig(seed=2, shape=(64, 64), n_candidates=5)
    for write in (lambda: write_field(simulate_field(other), out), lambda: simulate_to_disk(other, out)):
        with pytest.raises(StarclassError, match=r"truth\.ecsv.*already there.*overwrite=True"):
            write()
        assert {k: paths[k].read_bytes() for k in before} == before
    again = simulate_to_disk(other, out, overwrite=True)
    assert again["truth"].read_bytes() != before["truth"]
    write_field(small_field, out, overwrite=True)
    assert paths["truth"].read_bytes() == before["truth"]


def test_ground_based_m31_preset():
    cfg = preset("m31", shape=(256, 256), n_candidates=40, seed=2)
    f = simulate_field(cfg)
    assert list(f.images) == ["g", "i"]
    assert cfg.pixel_scale == pytest.approx(0.187)
    # seeing-limited PSF: 0.67" / 0.187" ~ 3.6 px in g
    assert 3.0 < cfg.band_fwhm("g") < 4.2
    assert np.nanmax(np.asarray(f.truth["mag_true_g"])[np.asarray(f.truth["class_ref"]) < 4]) <= 21.0 + 0.6
    assert f.wcs.wcs.cd[1, 1] * 3600 == pytest.approx(0.187)


def test_bad_config_is_named():
    with pytest.raises(StarclassError, match="bands"):
        SimConfig(bands=("f555w", "nope"))
    with pytest.raises(StarclassError, match="shape"):
        SimConfig(shape=(10, 10))
    with pytest.raises(StarclassError, match="preset"):
        preset("hubble-deep-field")


def test_truth_and_humans_positions_carry_the_schema_unit():
    """The simulated truth (and the humans' table made from it) had x, y without a unit, while
    detect's catalogue and every catalogue read through io.catalog say pix (schema.unit_of)."""
    from astropy import units as u

    from starclass import schema
    from starclass.simulate import SimConfig
    from starclass.simulate.field import simulate_labels

    truth, humans = simulate_labels(SimConfig(seed=1, shape=(256, 256), n_candidates=30))
    for table in (truth, humans):
        for col in ("x", "y"):
            assert table[col].unit == schema.unit_of(col) == u.pix
    # plain numbers still: arithmetic on the columns gives arrays, as before
    assert float((truth["x"] - truth["x"])[0]) == 0.0
