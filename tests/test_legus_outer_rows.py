"""A renamed LEGUS catalogue trimmed to a few outer rows is still its field; a file no row places is warned of.

Before: the field of a renamed file (``ngc628c_north.tab``) came from the median of its rows'
positions, which had to lie within 0.012 deg of a field's centre. A copy keeping the eight
northern rows of NGC 628-C (0.033 deg from its centre) was read as field ``ngc628c_north``
with F438W for the field's ACS F435W, "assumed", and no warning (``evaluate --catalogs`` then
skipped it for want of a distance). Now each field's pixel grid on the sky
(:data:`starclass.io.legus.LEGUS_GRIDS`) places every row, and a file that neither its name nor
its rows place gets a warning naming it and the filters assumed.
"""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import SkyCoord, SkyOffsetFrame
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.legus import field_from_sky

runner = CliRunner()
# the two fields' centres (median RA, Dec of their public catalogues, deg) and pixel grids: arcsec east
# and north of the centre = (a0 + ax x + ay y, b0 + bx x + by y), least-squares fits to every row of
# their public catalogues (x, y 1-based as in the files), kept here so the rows are made without the
# code under test
CENTRES = {"ngc628-c": (24.17017, 15.78174), "ngc628-e": (24.20131, 15.76928)}
GRIDS = {"ngc628-c": (110.1657, -0.039620297, 0.000001640, -159.7000, 0.000001426, 0.039619856),
         "ngc628-e": (175.0771, -0.039619733, -0.000000839, -153.3626, -0.000001343, 0.039620000)}


def _sky(field: str, x, y) -> tuple[np.ndarray, np.ndarray]:
    """RA, Dec (deg) where ``field``'s grid puts pixels x, y (1-based, as the files have them)."""
    a0, ax, ay, b0, bx, by = GRIDS[field]
    x, y = np.asarray(x, float), np.asarray(y, float)
    centre = SkyCoord(CENTRES[field][0] * u.deg, CENTRES[field][1] * u.deg)
    c = SkyCoord(lon=(a0 + ax * x + ay * y) * u.arcsec, lat=(b0 + bx * x + by * y) * u.arcsec,
                 frame=SkyOffsetFrame(origin=centre)).icrs
    return c.ra.deg, c.dec.deg


def _write(path, x, y, ra, dec, cls=1):
    """A standard 35-column LEGUS file, one row per position, RA and Dec to 5 decimals as LEGUS writes them."""
    lines = []
    for i, (xi, yi, r, d) in enumerate(zip(x, y, ra, dec), start=1):
        row = [i, f"{xi:.3f}", f"{yi:.3f}", f"{r:.5f}", f"{d:.5f}"] + [22.0, 0.05] * 5 + [1.5] + [0.0] * 16 \
            + [5, cls, float(cls)]
        lines.append(" ".join(str(v) for v in row))
    path.write_text("\n".join(lines) + "\n")
    return path


def _centre_sep(field, ra, dec) -> np.ndarray:
    centre = SkyCoord(CENTRES[field][0] * u.deg, CENTRES[field][1] * u.deg)
    return SkyCoord(np.asarray(ra) * u.deg, np.asarray(dec) * u.deg).separation(centre).deg


def test_a_renamed_file_of_outer_rows_is_its_field(tmp_path):
    # five rows along NGC 628-C's northern edge (its image is about 7000 px high)
    x, y = np.array([1800.0, 2000, 2200, 2400, 2600]), np.full(5, 6900.0)
    ra, dec = _sky("ngc628-c", x, y)
    assert np.all(_centre_sep("ngc628-c", ra, dec) > 0.03)  # well beyond the median rule's 0.012 deg
    p = _write(tmp_path / "ngc628c_north.tab", x, y, ra, dec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing assumed, nothing to warn of
        t = read_catalog(p)
    assert t.meta["field"] == "ngc628-c" and str(t["galaxy"][0]) == "ngc628"
    # F435W (ACS), as NGC 628-C's readme says: it was F438W, "assumed"
    assert "mag_f435w" in t.colnames and "mag_f438w" not in t.colnames, t.colnames
    assert t.meta["bands_source"].startswith("field ngc628-c by the sources' sky positions"), t.meta
    r = runner.invoke(app, ["info", str(p)])
    assert r.exit_code == 0 and "galaxy ngc628)" in r.output and "f435w" in r.output, r.output


def test_the_overlap_of_ngc628c_and_e_is_told_apart_by_the_pixel_grid():
    # sources where the two pointings overlap: one sky position, two images' pixels
    ra, dec = np.array([24.185, 24.19, 24.188]), np.array([15.770, 15.775, 15.772])
    assert field_from_sky(ra, dec) is None  # the median of these lies between the two centres
    for field in ("ngc628-c", "ngc628-e"):
        a0, ax, ay, b0, bx, by = GRIDS[field]
        centre = SkyCoord(CENTRES[field][0] * u.deg, CENTRES[field][1] * u.deg)
        off = SkyCoord(ra * u.deg, dec * u.deg).transform_to(SkyOffsetFrame(origin=centre))
        # the pixels that field's grid gives these positions
        m = np.array([[ax, ay], [bx, by]])
        xy = np.linalg.solve(m, np.vstack([off.lon.wrap_at(180 * u.deg).arcsec - a0, off.lat.arcsec - b0]))
        assert field_from_sky(ra, dec, xy[0], xy[1]) == field


def test_a_file_no_row_places_warns_naming_it_and_the_assumed_filters(tmp_path):
    p = _write(tmp_path / "mystery.tab", [10.0, 20.0], [30.0, 40.0], [10.0, 10.001], [-30.0, -30.001])
    with pytest.warns(UserWarning, match=r"mystery\.tab: neither the file name nor its sources' positions") as rec:
        t = read_catalog(p)
    text = str(rec[0].message)
    assert "2 rows, median RA 10.00050, Dec -30.00050 deg" in text and "F438W" in text and "--bands" in text, text
    assert t.meta["field"] == "mystery" and t.meta["bands_source"].startswith("assumed")
    r = runner.invoke(app, ["info", str(p)])
    assert r.exit_code == 0 and "mystery.tab: neither the file name" in r.output, r.output
    # bands given: nothing assumed, nothing to warn of
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_catalog(p, bands=["f275w", "f336w", "f435w", "f555w", "f814w"])


def test_evaluate_catalogs_reads_a_renamed_file_of_outer_rows_at_its_distance(tmp_path):
    from starclass.science.many import load_fields

    d = tmp_path / "legus"
    d.mkdir()
    rng = np.random.default_rng(3)
    x, y = rng.uniform(200, 1500, 40), rng.uniform(300, 1500, 40)  # NGC 628-C's south-west corner
    ra, dec = _sky("ngc628-c", x, y)
    assert np.median(_centre_sep("ngc628-c", ra, dec)) > 0.012
    _write(d / "ngc628c_sw.tab", x, y, ra, dec)
    fields, skipped = load_fields(d, min_inspected=10)
    assert list(fields) == ["ngc628-c"] and len(skipped) == 0, (list(fields), list(skipped))
    assert fields["ngc628-c"].meta["distance_mpc"] == 9.9 and fields["ngc628-c"].meta["bands"][2] == "f435w"


def test_every_public_field_is_placed_by_its_outermost_rows(tmp_path):
    """The grids were fitted on the public catalogues: each file's five rows furthest from its
    centre, copied under another name, are its field."""
    from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
    from starclass.io.legus import field_from_name

    files = sorted((SHARED_DATA / "legus").glob("hlsp_legus_*.tab"))
    if not files:
        pytest.skip(f"real LEGUS catalogues not available under {SHARED_DATA / 'legus'}")
    from starclass.io.legus import LEGUS_FIELDS

    for f in files:
        field = field_from_name(f.name)
        centre = SkyCoord(LEGUS_FIELDS[field][0] * u.deg, LEGUS_FIELDS[field][1] * u.deg)
        lines = [s for s in f.read_text().splitlines() if s.strip()]
        a = np.array([s.split()[:5] for s in lines], float)
        far = np.argsort(SkyCoord(a[:, 3] * u.deg, a[:, 4] * u.deg).separation(centre).deg)[-5:]
        assert field_from_sky(a[far, 3], a[far, 4], a[far, 1], a[far, 2]) == field, f.name
    # the report's case: NGC 628-C's first eight rows (its northern edge), renamed
    real = SHARED_DATA / "legus" / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab"
    p = tmp_path / "ngc628c_north.tab"
    p.write_text("\n".join(real.read_text().splitlines()[:8]) + "\n")
    t = read_catalog(p)
    assert t.meta["field"] == "ngc628-c" and "mag_f435w" in t.colnames
    shutil.copy(real, tmp_path / "ngc628c.tab")
    assert read_catalog(tmp_path / "ngc628c.tab").meta["field"] == "ngc628-c"


def test_evaluate_catalogs_says_why_a_file_no_row_places_is_left_out(tmp_path):
    """It said "no distance known for galaxy 'mystery'", the file's stem taken for a galaxy."""
    from starclass.science.many import load_fields

    d = tmp_path / "legus"
    d.mkdir()
    _write(d / "mystery.tab", [10.0, 20.0], [30.0, 40.0], [10.0, 10.001], [-30.0, -30.001])
    x, y = np.linspace(500, 5000, 20), np.linspace(800, 6000, 20)
    _write(d / "ngc628c_diag.tab", x, y, *_sky("ngc628-c", x, y))
    fields, skipped = load_fields(d, min_inspected=10)
    why = dict(zip(skipped["field"], skipped["reason"]))
    assert list(fields) == ["ngc628-c"], (list(fields), why)
    assert "neither the file name nor its sources' positions (2 rows, median RA 10.00050, Dec -30.00050 deg) " \
           "say which LEGUS field it is" in why["mystery"], why
    assert "no distance known for galaxy" not in why["mystery"] and "LEGUS file name" in why["mystery"], why
