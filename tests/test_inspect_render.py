"""The pictures of the inspection page: cut-outs at edges, the FWHM fit, the PNG cache."""

import numpy as np
import pytest

from starclass.datasets.labelling import make_demo_field
from starclass.detect import measure
from starclass.inspect.app import load_field
from starclass.inspect.render import (
    GAUSS_FWHM,
    KINDS,
    RenderCache,
    RenderSettings,
    cutout,
    profile_fit,
    radial_profile,
    v_stamp,
)
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import read_mosaics
from starclass.stamps.extract import extract_stamps


def gaussian_image(shape, x, y, fwhm, flux=1000.0, noise=0.0, seed=0):
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    s = fwhm / GAUSS_FWHM
    img = flux / (2 * np.pi * s * s) * np.exp(-0.5 * ((xx - x) ** 2 + (yy - y) ** 2) / s ** 2)
    if noise:
        img = img + np.random.default_rng(seed).normal(0, noise, shape)
    return img.astype(np.float32)


def test_cutout_pads_with_nan_off_the_image():
    img = np.arange(100, dtype=np.float32).reshape(10, 10)
    c = cutout(img, 0.2, 9.4, 5)         # nearest pixel (0, 9), the top-left corner region
    assert c.shape == (5, 5)
    assert c[2, 2] == img[9, 0]          # centre pixel
    assert np.isnan(c[:, :2]).all() and np.isnan(c[3:, :]).all()
    assert not np.isnan(c[:3, 2:]).any()
    assert np.isnan(cutout(img, 100.0, 100.0, 3)).all()


def test_cutout_is_the_stamps_cut_out():
    rng = np.random.default_rng(1)
    img = rng.normal(size=(30, 25)).astype(np.float32)
    for x, y in [(3.5, 0.5), (24.4, 29.6), (-3.0, 12.0), (12.0, 12.0)]:
        st, _ = extract_stamps([img], [x], [y], 9, fill=np.nan)
        np.testing.assert_array_equal(cutout(img, x, y, 9), st[0, 0])


@pytest.mark.parametrize("fwhm", [2.1, 4.0])
def test_fwhm_fit_recovers_star_and_cluster(fwhm):
    img = gaussian_image((41, 41), 20.3, 19.6, fwhm, noise=0.05)
    r, v = radial_profile(img, 20.3, 19.6, 8.0)
    assert r.min() < 0.8 and r.max() <= 8.0
    fit = profile_fit(img, 20.3, 19.6)
    assert fit["source"] == "fit"
    assert fit["fwhm"] == pytest.approx(fwhm, rel=0.05)
    assert fit["rms"] < 0.05


def test_fit_of_nothing_is_nan():
    assert np.isnan(profile_fit(np.zeros((41, 41)), 20.0, 20.0)["fwhm"])


@pytest.fixture(scope="module")
def measured_field(tmp_path_factory):
    """A labelling field whose catalogue was measured by ``starclass detect``'s photometry."""
    d = make_demo_field(tmp_path_factory.mktemp("fwhm"), n=10, size=160, seed=4, predictions=False)
    mos = read_mosaics(sorted(d.glob("demo_*.fits")))
    cat = read_catalog(d / "candidates.ecsv")["id", "x", "y"]
    write_catalog(measure(mos, cat, aperture_correction=None), d / "candidates.ecsv", overwrite=True)
    return d


def test_page_shows_the_catalogue_fwhm(measured_field, tmp_path):
    field = load_field(measured_field, cache_dir=tmp_path / "a")
    fwhm = np.asarray(field.table["fwhm"], float)
    assert np.isfinite(fwhm).sum() >= 5
    for row in range(len(fwhm)):
        field.cache.get(row, "profile")
        shown = field.cache.fit(row)["fwhm"]
        if np.isfinite(fwhm[row]):
            assert shown == fwhm[row]
    # a catalogue value from elsewhere is shown as it is
    other = load_field(measured_field, cache_dir=tmp_path / "b")
    other.cache.fwhm[0] = 3.33
    other.cache.get(0, "profile")
    assert other.cache.fit(0)["fwhm"] == 3.33 and other.cache.fit(0)["source"] == "catalogue"


def test_page_measures_fwhm_like_detect_without_the_column(measured_field, tmp_path):
    full = read_catalog(measured_field / "candidates.ecsv")
    bare = tmp_path / "bare"
    bare.mkdir()
    for f in measured_field.glob("demo_*.fits"):
        (bare / f.name).symlink_to(f)
    write_catalog(full["id", "x", "y"], bare / "candidates.ecsv")
    field = load_field(bare, cache_dir=tmp_path / "c")
    for row in range(len(full)):
        field.cache.get(row, "profile")
        shown = field.cache.fit(row)["fwhm"]
        assert shown == pytest.approx(float(full["fwhm"][row]), rel=1e-9, nan_ok=True)


def test_cache_renders_once_and_orients_like_ds9(tmp_path):
    data = {b: gaussian_image((120, 140), 60.0, 50.0, 3.0, noise=0.1, seed=i)
            for i, b in enumerate(("f336w", "f555w", "f814w"))}
    xs, ys = np.array([60.0, 64.0, 130.0]), np.array([50.0, 52.0, 110.0])
    s = RenderSettings(rgb=("f814w", "f555w", "f336w"), v_band="f555w", context_size=61)
    cache = RenderCache(data=data, xs=xs, ys=ys, settings=s, root=tmp_path)
    png = cache.get(0, "composite")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # one kind per request: the fast pictures never wait for the matplotlib profile
    assert cache.path(0, "composite").exists() and not cache.path(0, "profile").exists()
    cache.render(0)
    assert cache.is_cached(0) and not cache.is_cached(1)
    assert all(cache.path(0, k).exists() for k in KINDS)
    mtime = cache.path(0, "profile").stat().st_mtime_ns
    cache.get(0, "profile")
    assert cache.path(0, "profile").stat().st_mtime_ns == mtime     # served from the cache
    assert cache.fit(0)["fwhm"] == pytest.approx(3.0, rel=0.1)
    assert [n[:2] for n in cache.neighbours(0)] == [(64.0, 52.0)]   # 130,110 is outside the view
    cache.get(2, "context")                                          # near the edge: still renders
    with pytest.raises(KeyError):
        cache.path(0, "../../etc/passwd")
    # another setting -> another folder, never a stale picture
    other = RenderCache(data=data, xs=xs, ys=ys, root=tmp_path,
                        settings=RenderSettings(rgb=("f555w", "f555w", "f555w"), v_band="f555w",
                                                context_size=61))
    assert other.dir != cache.dir and not other.is_cached(0)
    # the stamp sent to the page: rows bottom to top, peak at the centre
    st = v_stamp(data, 60.0, 50.0, s)
    vals = np.array(st["values"], dtype=float)
    assert np.unravel_index(np.nanargmax(vals), vals.shape) == (20, 20)
    import io

    from PIL import Image

    im = np.asarray(Image.open(io.BytesIO(png)).convert("L"), float)
    # the composite is flipped to north/up: a source above the centre shows above the centre
    data2 = {b: gaussian_image((120, 140), 60.0, 60.0, 2.0, flux=5000.0) for b in data}
    c2 = RenderCache(data=data2, xs=np.array([60.0]), ys=np.array([50.0]), settings=s, root=tmp_path / "b")
    im2 = np.asarray(Image.open(io.BytesIO(c2.get(0, "composite"))).convert("L"), float)
    row, _ = np.unravel_index(np.argmax(im2), im2.shape)
    assert row < im2.shape[0] / 2 and im.shape == im2.shape


def test_profile_picture_writes_units_in_square_brackets(monkeypatch):
    """The inspect page's profile picture labelled its x axis "radius (px)" where the report
    figures write units in square brackets ("V - I [mag]", "distance [Mpc]")."""
    import re

    from matplotlib.figure import Figure

    from starclass.inspect.render import profile_png

    labels = []
    save = Figure.savefig

    def record(fig, *a, **k):
        labels.extend(t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t)
        return save(fig, *a, **k)

    monkeypatch.setattr(Figure, "savefig", record)
    data = {"f555w": gaussian_image((80, 80), 40.0, 40.0, 3.0, flux=5000.0, noise=0.1)}
    s = RenderSettings(rgb=("f555w", "f555w", "f555w"), v_band="f555w")
    png, fit = profile_png(data, 40.0, 40.0, s)
    assert png.startswith(b"\x89PNG") and np.isfinite(fit["fwhm"])
    units = r"(mag|Mpc|arcsec|%|yr|Msun|px|pix)"
    assert any(re.search(rf"\[{units}\]", t) for t in labels), labels  # the check below has labels to read
    assert [t for t in labels if re.search(rf"\({units}\)", t)] == []
