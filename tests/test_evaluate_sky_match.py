"""Catalogues of two pointings (their own pixel grids) are matched on the sky, not on x, y."""

from __future__ import annotations

import warnings

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.wcs import WCS

from conftest import SHARED_DATA
from starclass.evaluate.matching import match_catalogs, matched_classes, pixel_scale_of


def _wcs(crpix, scale_arcsec):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [24.17, 15.78]
    w.wcs.crpix = crpix
    w.wcs.cdelt = [-scale_arcsec / 3600, scale_arcsec / 3600]
    return w


def _pointing(ra, dec, wcs, rows):
    x, y = wcs.all_world2pix(ra[rows], dec[rows], 0)
    return Table({"id": np.arange(1, rows.size + 1), "x": x, "y": y, "ra": ra[rows], "dec": dec[rows],
                  "class_ref": np.arange(rows.size) % 4 + 1})


@pytest.mark.parametrize("scale", [0.04, 0.187])
def test_two_pointings_match_on_the_sky(scale):
    """Pointing B's grid is shifted by 700 px: x, y paired unrelated objects (or none)."""
    rng = np.random.default_rng(4)
    wa = _wcs([500, 500], scale)
    # a jittered 20 x 20 grid, 50 px apart: no two objects within the radius by chance
    gx, gy = np.meshgrid(np.arange(20) * 50.0, np.arange(20) * 50.0)
    ra, dec = wa.all_pix2world(gx.ravel() + rng.uniform(-5, 5, 400), gy.ravel() + rng.uniform(-5, 5, 400), 0)
    a = _pointing(ra, dec, wa, np.arange(0, 300))
    b = _pointing(ra, dec, _wcs([-200, 500], scale), np.arange(200, 400)[::-1])   # overlap: objects 200-299
    assert pixel_scale_of(a) == pytest.approx(scale, rel=1e-3)
    ia, ib, d = match_catalogs(a, b)
    assert ia.size == 100 and np.all(d < 1e-3)
    # the same objects: a's rows 200-299, b's reversed order
    assert np.array_equal(np.asarray(a["ra"])[ia], np.asarray(b["ra"])[ib])
    # the radius is in pixels of a's mosaic: objects 1.5 px apart match within 2 px, not within 1
    moved = b.copy()
    moved["dec"] = np.asarray(moved["dec"]) + 1.5 * scale / 3600
    assert match_catalogs(a, moved, 2.0)[0].size == 100 and match_catalogs(a, moved, 1.0)[0].size == 0


def test_without_sky_positions_everywhere_pixels_are_used():
    """A NaN ra in one row (or no ra, dec at all): the pixel match, as before."""
    a = Table({"x": [0.0, 10.0], "y": [0.0, 10.0], "ra": [1.0, np.nan], "dec": [1.0, 1.0]})
    b = Table({"x": [10.5, 0.0], "y": [10.0, 1.0], "ra": [5.0, 6.0], "dec": [5.0, 6.0]})
    ia, ib, d = match_catalogs(a, b)
    assert ia.tolist() == [0, 1] and ib.tolist() == [1, 0] and d.tolist() == [1.0, 0.5]


def test_legus_ngc628_c_and_e_overlap():
    """The real overlap of NGC 628-C and -E: every pair found is a mutual nearest neighbour on the
    sky within 2 px, and all of those are found (x, y matched 1 pair by chance)."""
    from starclass.io.catalog import read_catalog

    folder = SHARED_DATA / "legus"
    files = [sorted(folder.glob(f"*ngc628-{p}_*.tab")) for p in ("c", "e")] if folder.is_dir() else [[], []]
    if not all(files):
        pytest.skip(f"LEGUS NGC 628 catalogues not available in {folder}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c, e = read_catalog(files[0][0]), read_catalog(files[1][0])
    ia, ib, _ = match_catalogs(c, e, 2.0)
    scale = pixel_scale_of(c)
    sc = SkyCoord(np.asarray(c["ra"], float) * u.deg, np.asarray(c["dec"], float) * u.deg)
    se = SkyCoord(np.asarray(e["ra"], float) * u.deg, np.asarray(e["dec"], float) * u.deg)
    to_e, sep, _ = sc.match_to_catalog_sky(se)
    to_c, _, _ = se.match_to_catalog_sky(sc)
    mutual = np.flatnonzero((sep.to_value(u.arcsec) <= 2.0 * scale) & (to_c[to_e] == np.arange(len(c))))
    assert set(zip(ia.tolist(), ib.tolist())) == set(zip(mutual.tolist(), to_e[mutual].tolist()))
    assert ia.size > 50
    pa, _, ca, cb = matched_classes(c, e, "class_ref", "class_ref", 2.0)
    classified = (np.asarray(c["class_ref"])[mutual] > 0) & (np.asarray(e["class_ref"])[to_e[mutual]] > 0)
    assert pa.size == int(classified.sum()) > 0


def test_evaluate_says_how_it_paired_the_rows(tmp_path):
    """evaluate printed (and the report wrote) 'one-to-one within 2.0 px' whether it had matched
    on the sky, on pixels or paired cutouts by file: the reader could not tell what was compared."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.io.catalog import write_catalog

    rng = np.random.default_rng(7)
    wa = _wcs([500, 500], 0.04)
    gx, gy = np.meshgrid(np.arange(8) * 50.0, np.arange(8) * 50.0)
    ra, dec = wa.all_pix2world(gx.ravel() + rng.uniform(-5, 5, 64), gy.ravel() + rng.uniform(-5, 5, 64), 0)
    ref = _pointing(ra, dec, wa, np.arange(64))
    p1 = rng.uniform(0.05, 0.95, 64)
    probs = {f"prob_{k}": np.full(64, (1 - p1) / 3) for k in (2, 3, 4)}
    pred = Table({"id": ref["id"], "class_pred": ref["class_ref"], "prob_1": p1, **probs})
    pred["x"], pred["y"] = ref["x"], ref["y"]
    cases = {"sky": ("on the sky (ra, dec)", True), "pixels": ("on the pixels (x, y)", False)}
    runner = CliRunner()
    for name, (said, with_sky) in cases.items():
        p = pred.copy()
        if with_sky:
            p["ra"], p["dec"] = ref["ra"], ref["dec"]
        r = ref.copy() if with_sky else ref[["id", "x", "y", "class_ref"]]
        write_catalog(p, tmp_path / f"pred_{name}.ecsv")
        write_catalog(r, tmp_path / f"ref_{name}.ecsv")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = runner.invoke(app, ["evaluate", str(tmp_path / f"pred_{name}.ecsv"), "-r",
                                      str(tmp_path / f"ref_{name}.ecsv"), "-o", str(tmp_path / f"ev_{name}"),
                                      "--task", "legus4", "--bootstrap", "0", "--no-science"])
        assert res.exit_code == 0, res.output
        assert f"64 objects paired one-to-one within 2.0 px {said}, 64 classified in both" in res.output


def test_pointings_that_do_not_overlap_are_told_where_they_lie():
    """Two pointings with no common object, paired on the sky: the message asked 'are they from
    the same mosaic?', which two pointings are not meant to be; it now says where each lies."""
    from starclass.errors import StarclassError
    from starclass.evaluate.compare import pairing

    wa = _wcs([500, 500], 0.04)
    gx, gy = np.meshgrid(np.arange(10) * 50.0, np.arange(10) * 50.0)
    ra, dec = wa.all_pix2world(gx.ravel(), gy.ravel(), 0)
    a = _pointing(ra, dec, wa, np.arange(0, 50))
    b = _pointing(ra, dec, _wcs([-200, 500], 0.04), np.arange(50, 100))
    with pytest.raises(StarclassError) as exc:
        pairing(a, b, False, 2.0, ("north", "south"))
    msg = str(exc.value)
    assert "on the sky (ra, dec)" in msg and "same mosaic" not in msg
    assert f"north RA {np.min(ra[:50]):.4f}..{np.max(ra[:50]):.4f}" in msg
    assert f"south RA {np.min(ra[50:]):.4f}" in msg
    # pixel catalogues of one mosaic keep the hint
    with pytest.raises(StarclassError, match="same mosaic"):
        pairing(Table({"x": [0.0], "y": [0.0]}), Table({"x": [90.0], "y": [90.0]}), False, 2.0, ("a", "b"))


def test_evaluate_takes_a_truth_with_only_ra_dec(tmp_path):
    """``starclass evaluate PRED -r truth.ecsv`` with a truth of ra, dec, class_ref (no x, y) stopped
    with "required column 'x' missing ... give the mosaics/WCS", an option evaluate does not have;
    the classified catalogue has ra, dec, so the two are paired on the sky."""
    import json

    from typer.testing import CliRunner

    from starclass.cli import app

    rng = np.random.default_rng(7)
    w = _wcs([500, 500], 0.04)
    gx, gy = np.meshgrid(np.arange(10) * 40.0, np.arange(10) * 40.0)
    x, y = gx.ravel() + rng.uniform(-3, 3, 100), gy.ravel() + rng.uniform(-3, 3, 100)
    ra, dec = w.all_pix2world(x, y, 0)
    truth = rng.integers(1, 5, 100)
    pred = np.where(rng.uniform(size=100) < 0.7, truth, rng.integers(1, 5, 100))
    probs = {f"prob_{k}": (pred == k).astype(float) for k in range(1, 5)}
    Table({"id": np.arange(1, 101), "x": x, "y": y, "ra": ra, "dec": dec, "class_pred": pred, **probs}).write(
        tmp_path / "pred.ecsv")
    Table({"id": np.arange(1, 101)[::-1], "ra": ra[::-1], "dec": dec[::-1], "class_ref": truth[::-1]}).write(
        tmp_path / "truth.ecsv")
    r = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                 "--task", "legus4", "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert r.exit_code == 0, r.output
    assert "on the sky (ra, dec)" in r.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    assert "100 objects paired one-to-one" in r.output
    assert summary["headline"]["truth"]["4class"] == pytest.approx(float(np.mean(pred == truth)), abs=1e-4)
