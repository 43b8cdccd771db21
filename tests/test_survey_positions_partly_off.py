"""A survey keeps the given positions off its mosaics, unmeasured and unclassified, as detect --positions does.

Until 2026-12-06 a field whose positions list was partly off the mosaics (5 of 113 rows with ``ra``
shifted by 0.5 deg, seed 3 at 300 px) was refused whole ("field 'A': positions F, rows 1, 2, 3, 4, 5
... lie off the 300 x 300 px mosaics"), while ``detect --positions`` measured the others and kept those
rows with NaN photometry and ``masked_frac`` 1, and classify and cutouts kept and flagged them. Now the
survey warns once, naming the field and the ids, measures the others as it would without them, and its
merged catalogue holds every row once in the order given; a list wholly off is still refused.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

from starclass.errors import StarclassError  # noqa: E402

SHAPE = (150, 170)  # (ny, nx)
ON = [(20.0, 20.0), (80.0, 70.0), (140.0, 120.0), (45.0, 110.0), (130.0, 25.0), (100.0, 40.0)]
#: beyond the left edge, the right edge and the top; each lands in a different edge tile
OFF = {2: (-40.0, 30.0), 5: (400.0, 80.0), 7: (60.0, 300.0)}


def _given() -> list[tuple[float, float]]:
    xy = list(ON)
    for row in sorted(OFF):
        xy.insert(row, OFF[row])
    return xy


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("off")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))
    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    (d / "f").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in ON:
            img += (40.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        write_mosaic(d / "f" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    xy = _given()
    ids = np.arange(101, 101 + len(xy))
    Table({"id": ids, "x": [p[0] for p in xy], "y": [p[1] for p in xy]}).write(d / "partly.ecsv")
    on = ~np.isin(np.arange(len(xy)), list(OFF))
    Table({"id": ids[on], "x": [p[0] for p in ON], "y": [p[1] for p in ON]}).write(d / "on.ecsv")
    Table({"id": [1, 2], "x": [-30.0, 500.0], "y": [10.0, 10.0]}).write(d / "wholly.ecsv")
    return d


def _plan(root: Path, positions: str, photometry: str = "ci") -> Path:
    p = root / f"plan_{Path(positions).stem}_{photometry}.yaml"
    p.write_text(f"model: model\ntile_size: 64\noverlap: 56\nphotometry: {photometry}\nretries: 0\nfields:\n"
                 f"  - {{name: A, mosaics: f, positions: {positions}}}\n")
    return p


@pytest.fixture(scope="module")
def surveyed(root):
    """The survey of the partly-off list and of its rows on the mosaics alone, with the warnings said."""
    from distributed import LocalCluster

    from starclass.survey import read_plan, run_survey

    out = {}
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        for name in ("partly", "on"):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = run_survey(read_plan(_plan(root, f"{name}.ecsv")), root / f"out_{name}", cluster=cluster,
                                    progress=False, echo=lambda s: None)
            assert result.ok, result.summary
            table = pq.read_table(root / f"out_{name}" / "fields" / "A" / "catalogue.parquet")
            out[name] = (table, [str(w.message) for w in caught])
    return out


def test_the_rows_off_the_mosaics_are_warned_of_once_by_field_and_id(root, surveyed):
    notes = [n for n in surveyed["partly"][1] if "lie outside" in n]
    assert notes == [f"field 'A': positions {root / 'partly.ecsv'}: 3 of 9 candidates lie outside the 170 x 150 px "
                     "image (or have no position): ids 103, 106, 108; they are kept unmeasured (NaN photometry, "
                     "masked_frac 1) and unclassified (class_pred 0, NaN probabilities)"], surveyed["partly"][1]


def test_the_tiles_do_not_repeat_classify_s_line_on_the_rows_the_survey_named(surveyed):
    # each edge tile said "1 of 1 candidates has no usable stamp ... (ids 103)" after the field's warning
    assert [n for n in surveyed["partly"][1] if "no usable stamp" in n] == [], surveyed["partly"][1]


def test_every_row_is_kept_once_in_order_the_off_ones_unmeasured_and_unclassified(surveyed):
    table = surveyed["partly"][0]
    xy = _given()
    assert table.column("id").to_pylist() == list(range(101, 101 + len(xy)))
    np.testing.assert_allclose(table.column("x").to_numpy(), [p[0] for p in xy])
    off = np.isin(np.arange(len(xy)), list(OFF))
    mag = table.column("mag_g").to_numpy(zero_copy_only=False).astype(float)
    assert np.isnan(mag[off]).all() and np.isfinite(mag[~off]).all()
    frac = table.column("masked_frac").to_numpy(zero_copy_only=False).astype(float)
    assert (frac[off] == 1.0).all() and (frac[~off] < 1.0).all()
    cls = table.column("class_pred").to_numpy(zero_copy_only=False)
    assert (cls[off] == 0).all() and (cls[~off] != 0).all()
    prob = table.column("prob_1").to_numpy(zero_copy_only=False).astype(float)
    assert np.isnan(prob[off]).all() and np.isfinite(prob[~off]).all()
    # a row measured nowhere has no neighbour count: null, not the 0 of an isolated candidate
    crowding = table.column("crowding")
    assert crowding.is_null().to_numpy(zero_copy_only=False).tolist() == off.tolist()


def test_the_rows_on_the_mosaics_read_as_they_do_without_the_others(surveyed):
    partly, on = surveyed["partly"][0], surveyed["on"][0]
    keep = np.isin(partly.column("id").to_numpy(), on.column("id").to_numpy())
    for col in ("x", "mag_g", "mag_i", "ci", "crowding", "class_pred", "prob_1"):
        got = partly.column(col).to_numpy(zero_copy_only=False).astype(float)[keep]
        np.testing.assert_allclose(got, on.column(col).to_numpy(zero_copy_only=False).astype(float),
                                   rtol=1e-6, equal_nan=True, err_msg=col)


def _prepare(root: Path, positions: str, photometry: str = "ci") -> list[str]:
    from starclass.survey import read_plan
    from starclass.survey.run import prepare

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepare(read_plan(_plan(root, positions, photometry)), root / f"prep_{photometry}")
    return [str(w.message) for w in caught if "lie outside" in str(w.message)]


def test_with_photometry_skip_the_rows_are_said_to_be_kept_unclassified_only(root):
    (note,) = _prepare(root, "partly.ecsv", "skip")
    assert note.endswith("ids 103, 106, 108; they are kept unclassified (class_pred 0, NaN probabilities)"), note


def test_a_list_wholly_off_the_mosaics_is_still_refused(root):
    with pytest.raises(StarclassError) as err:
        _prepare(root, "wholly.ecsv")
    said = str(err.value)
    assert f"field 'A': positions {root / 'wholly.ecsv'}: 2 of 2 candidates lie outside the 170 x 150 px" in said, said
    assert "nothing to survey" in said and "Nothing was run" in said
