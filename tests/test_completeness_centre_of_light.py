"""Completeness counts a true object found at its centre of light, not only at its ``x``, ``y``.

The simulator puts a class-2 cluster's ``x``, ``y`` on its body and a pair's on its brightest star.
A cluster with a bright off-centre star is detected as one blend of the two, near the centre of
light and 2-3.5 px from the body: matched at ``x``, ``y`` within 2 px it read as missed (25 of the
31 objects brighter than V = 23 missed on the three 2048 px default fields, seeds 1-3). The truth
now carries the V-band centre of light (``x_light``, ``y_light``) and :func:`completeness` counts a
detection within 2 px of either point (:func:`starclass.detect.match.match_truth`), one to one.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.detect.completeness import completeness, fraction_brighter
from starclass.detect.find import find_candidates
from starclass.detect.match import match_catalogs
from starclass.io.mosaic import write_mosaic

runner = CliRunner()

BODY = (30.0, 32.0)
STAR_OFFSET = 3.5  # px along x: the star holds half of the light, so the centre of light is 1.75 px off


def _blend(sky: float = 0.0) -> np.ndarray:
    """A cluster body (Gaussian of sigma 2 px, PSF-blurred) and a star of equal flux 3.5 px from it."""
    yy, xx = np.mgrid[:64, :64]
    psf2 = (2.0 / 2.3548) ** 2
    body2 = 2.0 ** 2 + psf2
    img = sky + np.random.default_rng(1).normal(0.0, 0.01, (64, 64))
    img += np.exp(-((xx - BODY[0]) ** 2 + (yy - BODY[1]) ** 2) / (2 * body2)) / (2 * np.pi * body2)
    img += np.exp(-((xx - BODY[0] - STAR_OFFSET) ** 2 + (yy - BODY[1]) ** 2) / (2 * psf2)) / (2 * np.pi * psf2)
    return img.astype(np.float32)


def _truth(light: bool = True) -> Table:
    t = Table({"id": [1], "x": [BODY[0]], "y": [BODY[1]], "mag_true_f555w": [20.0], "class_ref": [2]})
    if light:
        t["x_light"] = [BODY[0] + STAR_OFFSET / 2]
        t["y_light"] = [BODY[1]]
    return t


def test_a_blend_detected_at_the_centre_of_light_is_found():
    found = find_candidates(_blend())
    # one detection, on the blend: more than 2 px from the body, within 2 px of the centre of light
    assert len(found) == 1
    x, y = float(found["x"][0]), float(found["y"][0])
    assert np.hypot(x - BODY[0], y - BODY[1]) > 2.5
    assert np.hypot(x - BODY[0] - STAR_OFFSET / 2, y - BODY[1]) < 2.0
    tab = completeness(_truth(), found, bins=[15.0, 25.0])
    assert tab["n_found"][0] == 1 and tab.meta["matched"] == 1  # 0 before: counted as missed
    assert tab.meta["matched_at"] == "x, y or x_light, y_light"
    assert fraction_brighter(_truth(), found, 23.5, classes=(2,)) == (1.0, 1)
    # a truth without a centre of light is matched at x, y only, as before
    assert completeness(_truth(light=False), found, bins=[15.0, 25.0])["n_found"][0] == 0


def test_one_detection_finds_one_object_and_a_nan_centre_falls_back_to_x_y():
    from starclass.detect.match import match_truth

    truth = Table({"x": [10.0, 14.5, 40.0], "y": [10.0, 10.0, 10.0],
                   "x_light": [12.0, 13.0, np.nan], "y_light": [10.0, 10.0, np.nan]})
    found = np.array([[12.2, 10.0], [40.5, 10.0]])
    it, jf, d = match_truth(truth, found)
    # the detection at 12.2 is 0.2 px from the first object's centre of light and 0.8 px from the
    # second's: it goes to the nearer, once; the third object (no centre of light) matches at x, y
    assert it.tolist() == [0, 2] and jf.tolist() == [0, 1]
    assert np.allclose(d, [0.2, 0.5])
    # without the centres of light the first two compete at x, y: 2.2 and 2.3 px, none within 2
    assert match_catalogs(truth, found)[0].tolist() == [2]


def test_simulated_truth_carries_the_centre_of_light():
    from starclass.simulate import SimConfig
    from starclass.simulate.field import simulate_labels

    truth, _ = simulate_labels(SimConfig(seed=1, shape=(512, 512), n_candidates=300))
    assert {"x_light", "y_light"} <= set(truth.colnames)
    assert str(truth["x_light"].unit) == "pix"
    off = np.hypot(np.asarray(truth["x_light"]) - np.asarray(truth["x"]),
                   np.asarray(truth["y_light"]) - np.asarray(truth["y"]))
    cls = np.asarray(truth["class_ref"])
    sub = np.asarray(truth["subclass"]).astype(str)
    assert np.isfinite(off).all()
    # single stars sit on their own light, associations are placed on theirs; class-2 clusters'
    # off-centre stars move it
    assert (sub == "4.1").sum() > 5 and (cls == 3).sum() > 5
    assert np.allclose(off[sub == "4.1"], 0.0, atol=1e-9)
    assert np.allclose(off[cls == 3], 0.0, atol=1e-6)
    assert np.median(off[cls == 2]) > 2 * np.median(off[cls == 1])
    assert off[cls == 2].max() > 1.0


def test_detect_truth_says_where_it_matches(tmp_path):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [65.0, -54.9], [32.5, 32.5]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    (tmp_path / "f").mkdir()
    write_mosaic(tmp_path / "f" / "m_f555w.fits", _blend(sky=0.3), "f555w", w,
                 photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam)
    _truth().write(tmp_path / "truth.ecsv")
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(tmp_path / "c.ecsv"),
                            "--truth", str(tmp_path / "truth.ecsv"), "--quiet"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert ("truth: 1 object; matched within 2 px of x, y or the centre of light (x_light, y_light): "
            "1 before selection, 1 after") in text, r.output
