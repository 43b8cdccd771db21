"""detect --positions measures the rows on the mosaics and keeps the others, unmeasured, as classify keeps them.

Until 2026-12-06 a catalogue with some rows off the image (5 of 111 with ``ra`` shifted by 0.5
deg) was refused ("--positions F: positions off the 300 x 300 image in 5 row(s)"), while classify
and cutouts warned naming the ids and flagged the rows: none of the other rows could be measured.
Now the check is theirs: a warning names the ids, the rows stay in place with NaN photometry and
``masked_frac`` 1, the others are measured as they would be alone; a catalogue wholly off the
mosaics is still refused (exit 2, nothing written).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.io.catalog import read_catalog, write_catalog

runner = CliRunner()


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    return make_demo_field(tmp_path_factory.mktemp("field"), n=12, size=120, seed=4, predictions=False)


def _sky_catalogue(field: Path, out: Path, shifted: list[int]) -> Path:
    """The field's candidates as id, ra, dec only, ``ra`` moved by 0.5 deg in the rows ``shifted``."""
    wcs = WCS(fits.getheader(next(field.glob("*_f555w.fits"))))
    t = read_catalog(field / "candidates.ecsv")
    ra, dec = wcs.pixel_to_world_values(np.asarray(t["x"], float), np.asarray(t["y"], float))
    t = t[["id"]]
    t["ra"], t["dec"] = ra, dec
    t["ra"][shifted] += 0.5
    write_catalog(t, out)
    return out


def _said(r) -> str:
    return " ".join(r.output.split())


def test_rows_off_the_image_are_kept_unmeasured_and_the_others_measured(field, tmp_path):
    cat = _sky_catalogue(field, tmp_path / "radec_off.ecsv", [0, 3])
    r = runner.invoke(cli, ["detect", str(field), "--positions", str(cat), "-o", str(tmp_path / "x.ecsv")])
    said = _said(r)
    assert r.exit_code == 0, said
    given = read_catalog(cat, require_xy=False)
    ids = [str(v) for v in given["id"]]
    assert (f"--positions {cat}: 2 of 12 candidates lie outside the 120 x 120 px image (or have no position): "
            f"ids {ids[0]}, {ids[3]}; they are kept unmeasured (NaN photometry, masked_frac 1)") in said, said
    assert "measured 10 positions" in said and "(2 off the image kept unmeasured)" in said
    out = read_catalog(tmp_path / "x.ecsv")
    assert [str(v) for v in out["id"]] == ids  # every row, in the order given
    off = np.isin(np.arange(len(out)), [0, 3])
    mags = np.asarray(out["mag_f555w"], float)
    assert np.isnan(mags[off]).all() and np.isfinite(mags[~off]).any()
    assert (np.asarray(out["masked_frac"], float)[off] == 1.0).all()
    assert (np.asarray(out["masked_frac"], float)[~off] < 1.0).all()

    # the rows on the image measured as they are measured without the others
    alone = given[~off]
    write_catalog(alone, tmp_path / "on_only.ecsv")
    r = runner.invoke(cli, ["detect", str(field), "--positions", str(tmp_path / "on_only.ecsv"),
                            "-o", str(tmp_path / "on.ecsv")])
    assert r.exit_code == 0, _said(r)
    on = read_catalog(tmp_path / "on.ecsv")
    for col in ("x", "mag_f555w", "mag_f814w", "ci", "crowding"):
        np.testing.assert_allclose(np.asarray(out[col], float)[~off], np.asarray(on[col], float), equal_nan=True)


def test_classify_and_cutouts_read_the_catalogue_written(field, tmp_path):
    cat = _sky_catalogue(field, tmp_path / "radec_off.ecsv", [1])
    assert runner.invoke(cli, ["detect", str(field), "--positions", str(cat), "-o",
                               str(tmp_path / "x.ecsv")]).exit_code == 0
    r = runner.invoke(cli, ["cutouts", str(field), "--catalog", str(tmp_path / "x.ecsv"), "-o",
                            str(tmp_path / "st.h5")])
    assert r.exit_code == 0 and "1 of 12 candidates lies outside" in _said(r), _said(r)


def test_a_catalogue_wholly_off_the_mosaics_is_still_refused(field, tmp_path):
    cat = _sky_catalogue(field, tmp_path / "other.ecsv", list(range(12)))
    out = tmp_path / "x.ecsv"
    r = runner.invoke(cli, ["detect", str(field), "--positions", str(cat), "-o", str(out)])
    said = _said(r)
    assert r.exit_code == 2 and f"--positions {cat}: 12 of 12 candidates lie outside" in said, said
    assert "nothing to measure" in said and "Traceback" not in said
    assert not out.exists()
