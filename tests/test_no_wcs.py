"""Mosaics without a WCS: the catalogue says so once, records it, and sky matching refuses clearly."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.datasets.fields import synthetic_field
from starclass.errors import StarclassError
from starclass.evaluate.matching import match_catalogs
from starclass.io.mosaic import SKY_POSITIONS


def _field_without_wcs(d):
    from starclass.io.mosaic import write_mosaic

    mosaics, truth = synthetic_field((96, 96), 12, bands=("f555w", "f814w"), seed=2, mag_range=(20.0, 22.0))
    for b, img in mosaics.data.items():
        write_mosaic(d / f"nowcs_{b}.fits", img, b, None, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    return truth


def test_detect_without_wcs_says_so_once_and_records_it(tmp_path):
    from starclass.cli import app

    _field_without_wcs(tmp_path / "img")
    out = tmp_path / "c.ecsv"
    res = CliRunner().invoke(app, ["detect", str(tmp_path / "img"), "-o", str(out), "--no-progress",
                                   "--aperture-correction", "none"])
    assert res.exit_code == 0, res.output
    # once, naming the files, what is missing and what still works
    assert res.output.count("no celestial WCS") == 1
    assert "nowcs_f555w.fits" in res.output and "no ra, dec" in res.output and "still work" in res.output
    cat = Table.read(out)
    assert "ra" not in cat.colnames and len(cat) > 0
    assert cat.meta[SKY_POSITIONS].startswith("none: ") and "nowcs_f555w.fits" in cat.meta[SKY_POSITIONS]


def test_sky_matching_against_a_catalogue_without_wcs_names_the_cause(tmp_path):
    from starclass.detect import measure
    from starclass.io.mosaic import read_mosaics

    truth = _field_without_wcs(tmp_path / "img")
    cat = measure(read_mosaics(tmp_path / "img"), truth["id", "x", "y"], aperture_correction=None, progress=False)
    sky_truth = Table({"ra": np.full(3, 10.0), "dec": np.full(3, 20.0), "class_ref": [1, 2, 3]})
    with pytest.raises(StarclassError) as err:
        match_catalogs(cat, sky_truth, names=("cand.ecsv", "truth.ecsv"))
    msg = str(err.value)
    assert "cand.ecsv has no ra, dec because" in msg and "nowcs_f814w.fits" in msg and "no celestial WCS" in msg
