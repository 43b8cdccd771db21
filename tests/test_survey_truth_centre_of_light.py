"""A survey scores its fields against their truth as ``detect --truth`` does: at x, y or the centre of light.

``detect.match.match_truth`` finds a true object by a detection within the radius of its ``x``, ``y`` or of its
centre of light ``x_light``, ``y_light`` (a simulated truth has both: a cluster with a bright off-centre star is
detected as one blend near its centre of light). Until 2026-12-06 the survey's ``evaluation.json`` matched at
``x``, ``y`` (or ``ra``, ``dec``) only, with ``evaluate.matching.match_catalogs``, so the same detections gave a
lower completeness in the survey than in ``detect --truth``. Now the survey calls ``match_truth`` too, on the
pixels and, where both sides have ``ra``, ``dec``, on the sky (the centre of light put there through the field's
WCS).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pa = pytest.importorskip("pyarrow")

# three clusters whose light lies 2.6-3 px from the body (x, y), one pair detected on its brightest star
TRUTH = {"x": [20.0, 60.0, 100.0, 140.0], "y": [30.0, 30.0, 30.0, 30.0],
         "x_light": [22.6, 63.0, 100.0, 141.5], "y_light": [30.0, 30.0, 32.8, 30.0], "class_ref": [1, 3, 4, 2]}
FOUND = [(22.5, 30.1), (62.9, 30.0), (100.1, 32.7), (140.2, 30.0)]


def _wcs():
    from astropy.wcs import WCS

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [10.7, 41.3], [80.0, 30.0]
    w.wcs.cd = np.array([[-0.187 / 3600, 0.02 / 3600], [0.02 / 3600, 0.187 / 3600]])  # a little rotated
    return w


def _evaluated(wcs, *, light: bool = True) -> dict:
    from starclass.learn.config import get_preset
    from starclass.survey.plan import FieldSpec
    from starclass.survey.run import FieldInfo, _evaluate, _pixel_scale

    truth = Table({k: v for k, v in TRUTH.items() if light or k not in ("x_light", "y_light")})
    x, y = (np.array([p[i] for p in FOUND]) for i in (0, 1))
    cols = {"id": np.arange(1, 5), "x": x, "y": y, "class_pred": np.array([1, 2, 2, 1])}
    if wcs is not None:
        truth["ra"], truth["dec"] = wcs.wcs_pix2world(truth["x"], truth["y"], 0)
        cols["ra"], cols["dec"] = wcs.wcs_pix2world(x, y, 0)
    info = FieldInfo(FieldSpec("A", (Path("m"),), truth=Path("truth.ecsv")), (64, 200), {}, truth=truth,
                     pixel_scale=_pixel_scale(wcs), wcs=wcs)
    return _evaluate(pa.table(cols), info, get_preset("m31-binary-compact"), 2.0)


@pytest.mark.parametrize("sky", [False, True], ids=["pixels", "sky"])
def test_the_survey_finds_a_blend_at_its_centre_of_light_as_detect_truth_does(sky):
    from starclass.detect.completeness import completeness

    ev = _evaluated(_wcs() if sky else None)
    # before: 1 of 4 (only the pair, found on its x, y); the three blends 2.6-3 px from their body read as missed
    assert ev["n_matched"] == 4 and ev["completeness"] == 1.0, ev
    assert ev["matched_on"] == ("sky (ra, dec)" if sky else "pixels (x, y)")
    assert ev["matched_at"].startswith("x, y or x_light, y_light")
    # the same detections through detect's completeness (detect --truth): the same count
    truth = Table(TRUTH)
    truth["mag_true_f555w"] = np.full(4, 20.0)
    found = Table({"x": [p[0] for p in FOUND], "y": [p[1] for p in FOUND]})
    done = completeness(truth, found, bins=[15.0, 25.0], band="f555w")
    assert int(done["n_found"][0]) == ev["n_matched"]


def test_a_truth_without_a_centre_of_light_is_matched_at_x_y_only():
    ev = _evaluated(_wcs(), light=False)
    assert ev["n_matched"] == 1 and ev["completeness"] == 0.25, ev
    assert ev["matched_at"] == "x, y"


def test_on_the_sky_the_centre_of_light_goes_through_the_wcs_not_its_pixels_unrotated():
    """A detection at the light's pixel mirrored (the light's offset taken on the wrong axis) is not a match."""
    from starclass.detect.match import match_truth

    w = _wcs()
    truth = Table({"x": [50.0], "y": [50.0], "x_light": [53.0], "y_light": [50.0]})
    found = Table({"x": [50.0, 47.0], "y": [53.0, 50.0]})  # 3 px from the body, 4.2 and 6 px from the light
    for t in (truth, found):
        t["ra"], t["dec"] = w.wcs_pix2world(t["x"], t["y"], 0)
    assert match_truth(truth, found, wcs=w)[0].tolist() == []
    ra, dec = w.wcs_pix2world([53.4], [50.2], 0)
    found.add_row({"x": 53.4, "y": 50.2, "ra": ra[0], "dec": dec[0]})
    it, jf, d = match_truth(truth, found, wcs=w)
    assert it.tolist() == [0] and jf.tolist() == [2] and d[0] == pytest.approx(np.hypot(0.4, 0.2), rel=0.02)
