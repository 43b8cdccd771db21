"""HDF5 stamp store, its lazy reader, PHANGS-style FITS export and the cutouts CLI."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.stamps import StampStore, make_inputs, write_stamp_store
from starclass.stamps.store import StampStoreWriter, make_store

HST5 = ["f275w", "f336w", "f438w", "f555w", "f814w"]


def _table(n, rng):
    return Table({
        "id": np.arange(1, n + 1), "x": rng.uniform(0, 60, n), "y": rng.uniform(0, 50, n),
        "class_ref": rng.integers(1, 5, n), "galaxy": ["ngc0000"] * n,
    })


def test_round_trip_and_lazy_read(tmp_path):
    rng = np.random.default_rng(0)
    st = rng.normal(size=(50, 3, 2, 8, 8)).astype(np.float32)
    va = rng.random((50, 3, 8, 8)) > 0.2
    t = _table(50, rng)
    path = write_stamp_store(tmp_path / "s.h5", st, va, t, channels=["f555w", "f814w"], scales=[1, 1.6, 3.2],
                             normalisation="asinh", zeropoints={"f555w": 25.8, "f814w": 24.7},
                             sources={"f555w": "a.fits"}, chunk=16)
    s = StampStore(path)
    assert len(s) == 50 and s.shape == (50, 6, 8, 8)
    assert s.channels == ["f555w", "f814w"] and s.scales == [1.0, 1.6, 3.2] and s.normalisation == "asinh"
    assert s.meta["zeropoints"]["f814w"] == 24.7 and s.meta["sources"] == {"f555w": "a.fits"}
    idx = [7, 3, 3, 49, 0]
    got, gv = s[idx]  # any order, repeats
    np.testing.assert_array_equal(got, st[idx].reshape(5, 6, 8, 8))
    np.testing.assert_array_equal(gv, va[idx])
    one, _ = s[-1]
    np.testing.assert_array_equal(one, st[49].reshape(6, 8, 8))
    np.testing.assert_array_equal(s[10:20][0], st[10:20].reshape(10, 6, 8, 8))
    np.testing.assert_array_equal(s.table["class_ref"], t["class_ref"])
    assert list(s.table["galaxy"][:2]) == ["ngc0000", "ngc0000"]
    np.testing.assert_array_equal(s.ok, va[:, 0, 4, 4])
    with pytest.raises(IndexError):
        s[[50]]
    s.close()


def test_torch_dataset_over_a_store_reads_lazily(tmp_path):
    # the one StampDataset (starclass.learn.data) reads a store as it reads an array
    import torch

    from starclass.learn.data import StampDataset

    rng = np.random.default_rng(1)
    st = rng.normal(size=(20, 5, 8, 8)).astype(np.float32)
    t = _table(20, rng)
    path = write_stamp_store(tmp_path / "s.h5", st, np.ones((20, 8, 8), bool), t, channels=HST5)
    store = StampStore(path)
    labels = np.asarray(t["class_ref"])
    ds = StampDataset(store, indices=[5, 2], targets=labels[[5, 2]])
    assert len(ds) == 2
    x, y = ds[0]
    assert x.shape == (5, 8, 8) and int(y) == labels[5]
    np.testing.assert_array_equal(x.numpy(), st[5])
    loader = torch.utils.data.DataLoader(StampDataset(store, targets=labels), batch_size=8, num_workers=0)
    xb, yb = next(iter(loader))
    assert xb.shape == (8, 5, 8, 8) and yb.tolist() == labels[:8].tolist()
    np.testing.assert_array_equal(xb.numpy(), st[:8])
    with pytest.raises(StarclassError, match="targets"):
        StampDataset(store, indices=[1, 2], targets=[1])
    with pytest.raises(StarclassError, match="indices"):
        StampDataset(store, indices=[20])
    store.close()


def test_writer_refuses_nan_and_incomplete_leaves_nothing(tmp_path):
    st = np.zeros((4, 1, 4, 4), np.float32)
    st[1, 0, 2, 2] = np.nan
    with pytest.raises(StarclassError, match="NaN"):
        write_stamp_store(tmp_path / "bad.h5", st, np.ones((4, 4, 4), bool), channels=["a"])
    assert not (tmp_path / "bad.h5").exists()
    with pytest.raises(StarclassError, match="2 of 4"):
        with StampStoreWriter(tmp_path / "part.h5", 4, ["a"], 4) as w:
            w.write(np.zeros((2, 1, 4, 4), np.float32), np.ones((2, 4, 4), bool))
    assert not (tmp_path / "part.h5").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary left behind either
    (tmp_path / "junk.h5").write_text("not hdf5")
    with pytest.raises(StarclassError):
        StampStore(tmp_path / "junk.h5")


def test_make_store_equals_make_inputs(tmp_path):
    rng = np.random.default_rng(2)
    imgs = {b: rng.normal(1, 0.1, (50, 60)).astype(">f4") for b in HST5}
    t = _table(70, rng)
    t["x"][0] = -30  # off the image
    cfg = {"bands": HST5, "stamp_size": 12, "scales": [1, 1.6, 3.2], "normalisation": "zscore"}
    make_store(imgs, t, tmp_path / "m.h5", cfg, batch_size=32)
    inp, valid = make_inputs(imgs, t["x"], t["y"], cfg)
    s = StampStore(tmp_path / "m.h5")
    np.testing.assert_array_equal(s[np.arange(70)][0], inp)
    np.testing.assert_array_equal(s.ok, valid)
    assert not s.ok[0] and s.meta["n_invalid"] == int((~valid).sum())


def _write_mosaics(tmp_path, rng, shape=(80, 90)):
    from astropy.wcs import WCS

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [10.0, 20.0]
    w.wcs.crpix = [40.0, 30.0]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    paths, data = [], {}
    for b in HST5:
        d = rng.normal(0.0, 0.01, shape).astype(np.float32)
        d[40, 45] += 5.0
        data[b] = d
        paths.append(write_mosaic(tmp_path / f"img_{b}.fits", d, b, w,
                                  photflam=BANDS[b].photflam, photplam=BANDS[b].photplam))
    return paths, data, w


def test_phangs_fits_export(tmp_path):
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics
    from starclass.stamps import export_phangs_fits

    rng = np.random.default_rng(3)
    paths, data, w = _write_mosaics(tmp_path, rng)
    mset = read_mosaics(paths)
    t = Table({"id": [7, 8], "x": [45.0, 2.0], "y": [40.0, 3.0]})
    out = export_phangs_fits(mset, t, tmp_path / "fits", size=21)
    assert [p.name for p in out] == ["cand_000007.fits", "cand_000008.fits"]
    with fits.open(out[0]) as h:
        assert len(h) == 6 and h[0].header["ID"] == 7 and h[0].header["X"] == 45.0
        assert h["F555W"].header["BAND"] == "f555w" and h["F555W"].data.shape == (21, 21)
        np.testing.assert_array_equal(h["F814W"].data, data["f814w"][30:51, 35:56])
        # the cut-out WCS puts the candidate's sky position at its pixel 10, 10
        from astropy.wcs import WCS

        sky = w.pixel_to_world(45.0, 40.0)
        px, py = WCS(h["F555W"].header).world_to_pixel(sky)
        assert px == pytest.approx(10.0, abs=1e-6) and py == pytest.approx(10.0, abs=1e-6)
    with fits.open(out[1]) as h:  # near the corner: off-image pixels are NaN (blank)
        assert np.isnan(h[1].data[0, 0]) and np.isfinite(h[1].data[10, 10])


def test_cli_end_to_end(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    rng = np.random.default_rng(4)
    paths, data, _ = _write_mosaics(tmp_path, rng)
    t = Table({"id": np.arange(1, 13), "x": rng.uniform(0, 89, 12), "y": rng.uniform(0, 79, 12),
               "class_ref": rng.integers(1, 5, 12)})
    t["x"][0], t["y"][0] = 45.0, 40.0
    t["x"][1] = 150.0  # off the image
    t.write(tmp_path / "cands.ecsv")
    runner = CliRunner()
    args = ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"), "-o", str(tmp_path / "s.h5"),
            "--size", "16", "--scales", "1,1.6,3.2", "--normalisation", "asinh", "--no-progress",
            "--phangs-fits-dir", str(tmp_path / "fits"), "--phangs-size", "15"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "12 candidates" in res.output and "1 candidate has its own pixel off the image or bad" in res.output
    s = StampStore(tmp_path / "s.h5")
    assert s.shape == (12, 15, 16, 16) and s.normalisation == "asinh" and s.bands == HST5
    assert s.meta["sources"]["f555w"].endswith("img_f555w.fits")
    assert s.ok.tolist() == [True, False] + [True] * 10
    first, _ = s[0]
    assert first[3, 8, 8] == first[3].max()  # the source at the centre of f555w
    assert len(list((tmp_path / "fits").glob("cand_*.fits"))) == 12
    # with a task preset
    res = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"),
                              "-o", str(tmp_path / "t.h5"), "--task", "legus4", "--no-progress"])
    assert res.exit_code == 0, res.output
    s2 = StampStore(tmp_path / "t.h5")
    assert s2.scales == [1.0, 1.6, 3.2] and s2.meta["extra"]["task"]["name"] == "legus4"
    res = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"),
                              "-o", str(tmp_path / "t2.h5"), "--task", "legus4", "--size", "8", "--no-progress"])
    assert res.exit_code == 0, res.output
    s3 = StampStore(tmp_path / "t2.h5")
    assert s3.shape == (12, 15, 8, 8) and s3.meta["extra"]["task"]["stamp_size"] == 8
    # bad input: clear errors, exit code 2
    res = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"),
                              "-o", str(tmp_path / "u.h5"), "--normalisation", "fancy"])
    assert res.exit_code == 2 and "fancy" in res.output
    res = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"),
                              "-o", str(tmp_path / "u.h5"), "--task", "m31-binary"])
    assert res.exit_code == 2 and "g" in res.output
    Table({"id": np.zeros(0, int), "x": np.zeros(0), "y": np.zeros(0)}).write(tmp_path / "empty.ecsv")
    res = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "empty.ecsv"),
                              "-o", str(tmp_path / "u.h5")])
    assert res.exit_code == 2 and "no candidates" in res.output
    assert not (tmp_path / "u.h5").exists()


def test_cutouts_take_a_trained_model_as_the_task(tmp_path):
    """`cutouts --task MODEL/manifest.json` was refused with "unknown keys ['format', 'members', ...]":
    a model's folder or manifest now gives the task stored with the model, as its stamps must match it."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.checkpoint import write_manifest
    from starclass.learn.config import get_preset

    rng = np.random.default_rng(4)
    paths, _, _ = _write_mosaics(tmp_path, rng)
    Table({"id": np.arange(1, 5), "x": rng.uniform(10, 79, 4), "y": rng.uniform(10, 69, 4)}
          ).write(tmp_path / "cands.ecsv")
    model = tmp_path / "model"
    model.mkdir()
    write_manifest(model, get_preset("legus4").copy(name="mine", stamp_size=12), [{"file": "member_01.pt"}])
    for i, task in enumerate((model, model / "manifest.json")):
        out = tmp_path / f"s{i}.h5"
        res = CliRunner().invoke(app, ["cutouts", *map(str, paths), "--catalog", str(tmp_path / "cands.ecsv"),
                                       "-o", str(out), "--task", str(task), "--no-progress"])
        assert res.exit_code == 0, res.output
        s = StampStore(out)
        assert s.shape[-1] == 12 and s.meta["extra"]["task"]["name"] == "mine"


def test_info_describes_a_stamp_store(tmp_path):
    """``starclass info stamps.h5`` (the store `cutouts` writes) failed with "cannot read stamps.h5 as
    ascii: UnicodeDecodeError: 'utf-8' codec can't decode byte 0x89": it now describes the store."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.stamps.store import write_stamp_store

    p = tmp_path / "stamps.h5"
    write_stamp_store(p, np.zeros((4, 2, 1, 8, 8), np.float32), np.ones((4, 2, 8, 8), bool),
                      {"id": np.arange(1, 5), "x": np.ones(4), "y": np.ones(4), "class_ref": np.array([1, 4, 4, 0])},
                      channels=["f555w"], scales=(1.0, 2.0), normalisation="flux", bands=["f555w"])
    res = CliRunner().invoke(app, ["info", str(p)])
    text = " ".join(res.output.split())
    assert res.exit_code == 0 and "Traceback" not in text and "UnicodeDecodeError" not in text, text
    assert "stamp store:" in text and "candidates: 4" in text and "inputs: [4, 2, 8, 8]" in text, text
    assert "scales 1, 2; normalisation flux" in text and "class_ref: 1: 1 4: 2 (3 labelled, 1 without a label)" in text


@pytest.mark.parametrize("command", [["evaluate", "{store}", "-o", "{tmp}/ev"],
                                     ["report", "{store}", "-o", "{tmp}/r.html"],
                                     ["evaluate", "{tmp}/c.ecsv", "-r", "{store}", "-o", "{tmp}/ev"]])
def test_a_stamp_store_given_as_a_catalogue_is_named_as_one(tmp_path, command):
    """``evaluate stamps.h5`` (and report, suggest, --catalog, -r: every catalogue reader) said "cannot read
    stamps.h5 as ascii: UnicodeDecodeError ... byte 0x89"; only ``info`` and ``classify --stamps`` knew
    the store. It is now named as the store and the catalogue it was cut from asked for."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.stamps.store import write_stamp_store

    store = tmp_path / "stamps.h5"
    write_stamp_store(store, np.zeros((2, 1, 1, 8, 8), np.float32), np.ones((2, 1, 8, 8), bool),
                      {"id": np.arange(1, 3), "x": np.ones(2), "y": np.ones(2), "class_ref": np.array([1, 2])},
                      channels=["f555w"], normalisation="flux", bands=["f555w"])
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "class_pred": [1, 2]}).write(tmp_path / "c.ecsv")
    args = [a.format(store=store, tmp=tmp_path) for a in command]
    res = CliRunner().invoke(app, args)
    text = " ".join(res.output.split())
    assert res.exit_code == 2, text
    assert "UnicodeDecodeError" not in text and f"{store} is an HDF5 stamp store" in text, text
    assert "not a catalogue" in text and "cutouts --catalog" in text, text
