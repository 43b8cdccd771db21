"""A survey tile with no usable pixel keeps its given rows unmeasured and unclassified; detecting, it yields nothing.

Until 2026-12-06 a tile wholly on a mosaic's NaN corner failed the survey when given positions fell in it
("A/r000_c000: StarclassError('... (band f555w): the image has no usable pixel ...')", on every retry), while
detect --positions and classify keep rows without data, unmeasured and unclassified. Now its rows are kept
so, with one warning naming the field, the tile and the ids; in detection mode the tile yields nothing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

SHAPE = (260, 260)  # (ny, nx)
NAN = 125  # the top-left NAN x NAN px of every band are NaN: tile r000_c000's whole window
#: the second lies in the NaN corner
XY = [(200.0, 50.0), (20.0, 20.0), (180.0, 180.0), (240.0, 230.0), (50.0, 210.0)]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("nantile")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    (d / "f").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in XY:
            img += (40.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        img[:NAN, :NAN] = np.nan
        write_mosaic(d / "f" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": np.arange(11, 11 + len(XY)), "x": [p[0] for p in XY], "y": [p[1] for p in XY]}).write(d / "pos.ecsv")
    return d


def _survey(root: Path, positions: str | None):
    from distributed import LocalCluster

    from starclass.survey import read_plan, run_survey

    name = "given" if positions else "detect"
    field = f"{{name: A, mosaics: f, positions: {positions}}}" if positions else "{name: A, mosaics: f}"
    plan = root / f"plan_{name}.yaml"
    plan.write_text(f"model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n  - {field}\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_survey(read_plan(plan), root / f"out_{name}", cluster=cluster, progress=False,
                                echo=lambda s: None)
    return result, [str(w.message) for w in caught]


def test_a_tile_with_no_usable_pixel_keeps_its_given_rows_unmeasured_and_unclassified(root):
    result, said = _survey(root, "pos.ecsv")
    assert result.ok, result.summary
    table = pq.read_table(root / "out_given" / "fields" / "A" / "catalogue.parquet")
    assert table.column("id").to_pylist() == [11, 12, 13, 14, 15]
    nan = np.array([False, True, False, False, False])
    mag = table.column("mag_g").to_numpy(zero_copy_only=False).astype(float)
    assert np.isnan(mag[nan]).all() and np.isfinite(mag[~nan]).all()
    frac = table.column("masked_frac").to_numpy(zero_copy_only=False).astype(float)
    assert frac[nan].tolist() == [1.0] and (frac[~nan] < 1.0).all()
    assert table.column("class_pred").to_numpy(zero_copy_only=False)[nan].tolist() == [0]
    prob = table.column("prob_1").to_numpy(zero_copy_only=False).astype(float)
    assert np.isnan(prob[nan]).all() and np.isfinite(prob[~nan]).all()
    notes = [s for s in said if "no usable pixel" in s]
    assert notes == ["field 'A', tile r000_c000: no usable pixel in band g, i (all NaN or masked): its 1 given "
                     "position (ids 12) is kept unmeasured (NaN photometry, masked_frac 1) and unclassified "
                     "(class_pred 0, NaN probabilities)"], said
    assert [s for s in said if "no usable stamp" in s] == [], said  # classify's line on id 12 not said again


def test_detecting_a_tile_with_no_usable_pixel_yields_nothing(root):
    result, said = _survey(root, None)
    assert result.ok, result.summary
    table = pq.read_table(root / "out_detect" / "fields" / "A" / "catalogue.parquet")
    x = table.column("x").to_numpy(zero_copy_only=False).astype(float)
    y = table.column("y").to_numpy(zero_copy_only=False).astype(float)
    assert len(table) and not ((x < NAN - 5) & (y < NAN - 5)).any()
    assert [s for s in said if "no usable pixel" in s] == [
        "field 'A': its tiles with no usable pixel in band g, the detection band (all NaN or masked), yield no "
        "detection"], said
