"""Tables given in Python are read as files are: in the schema's units; pandas DataFrames are taken.

A file's columns are brought to the schema's units by read_catalog; a Table handed to classify,
measure, match_catalogs, suggest or evaluate_catalogs in a notebook was used by its numbers: x in
arcsec was read as pixels (and measure labelled it pix on the way out), ra in radians as degrees.
A pandas DataFrame stopped with an AttributeError ('DataFrame' object has no attribute 'colnames'),
a ValueError from Table(), or, as evaluate's reference, was iterated as a list of file names
("reference: file not found: id").
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import QTable, Table

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.datasets.fields import synthetic_field
from starclass.detect import completeness, match_catalogs, measure, select_candidates
from starclass.errors import StarclassError
from starclass.evaluate import evaluate_catalogs
from starclass.learn.config import get_preset
from starclass.suggest import suggest

pytestmark = pytest.mark.usefixtures("single_thread")

TASK = get_preset("legus4-compact", stamp_size=16)


@pytest.fixture(scope="module")
def field():
    mosaics, truth = synthetic_field((96, 96), n_sources=8, seed=1)
    return mosaics, Table({"id": truth["id"], "x": truth["x"], "y": truth["y"]})


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return write_untrained_model(tmp_path_factory.mktemp("m") / "model", TASK)


def _in_arcsec(t: Table) -> Table:
    out = t.copy()
    for c in ("x", "y"):
        out[c] = np.asarray(out[c], float) * 0.04
        out[c].unit = u.arcsec
    return out


def test_positions_in_arcsec_are_refused_naming_the_column(field, model):
    from starclass.learn.classify import classify

    mosaics, cands = field
    wrong = _in_arcsec(cands)
    said = r"column 'x' in the candidates is in arcsec, but starclass reads x in pix"
    with pytest.raises(StarclassError, match=said):
        classify(mosaics, wrong, model, progress=False, device="cpu")
    with pytest.raises(StarclassError, match=r"column 'x' in the table is in arcsec"):
        measure(mosaics, wrong, aperture_correction=None)
    with pytest.raises(StarclassError, match=r"column 'x' in second catalogue is in arcsec"):
        match_catalogs(cands, wrong)
    pred = cands.copy()
    pred["class_pred"] = [1, 2] * 4
    ref = _in_arcsec(cands)
    ref["class_ref"] = [1, 2] * 4
    with pytest.raises(StarclassError, match=r"column 'x' in reference1 is in arcsec"):
        evaluate_catalogs(pred, ref, task="galaxy-cluster", n_boot=0)


def test_pixel_quantities_and_sky_in_radians_are_read_in_the_schema_units(field, model):
    from starclass.learn.classify import classify

    mosaics, cands = field
    plain = classify(mosaics, cands, model, progress=False, device="cpu")
    q = QTable({"id": cands["id"], "x": np.asarray(cands["x"]) * u.pix, "y": np.asarray(cands["y"]) * u.pix})
    again = classify(mosaics, q, model, progress=False, device="cpu")
    assert type(again) is Table and again["x"].unit == u.pix
    np.testing.assert_array_equal(again["prob_1"], plain["prob_1"])
    # a reference placed on the sky in radians pairs with a prediction in degrees
    ra, dec = 10.0 + np.arange(8) * 1e-3, -5.0 + np.arange(8) * 1e-3
    pred = Table({"id": np.arange(8), "ra": ra * u.deg, "dec": dec * u.deg, "class_pred": [1, 2] * 4})
    ref = Table({"id": np.arange(8), "ra": np.deg2rad(ra) * u.rad, "dec": np.deg2rad(dec) * u.rad,
                 "class_ref": [1, 2, 2, 2, 1, 2, 1, 2]})
    in_deg = Table({"id": np.arange(8), "ra": ra * u.deg, "dec": dec * u.deg, "class_ref": ref["class_ref"]})
    got = evaluate_catalogs(pred, ref, task="galaxy-cluster", n_boot=0).headline()
    assert got == evaluate_catalogs(pred, in_deg, task="galaxy-cluster", n_boot=0).headline()
    assert got["reference1"]["2class"] == 0.875  # one of 8 differs (row 3)
    assert ref["ra"].unit == u.rad and ref["ra"][0] == np.deg2rad(10.0)  # the caller's table is unchanged


def test_pandas_dataframes_are_taken_as_tables(field, model):
    from starclass.learn.classify import classify

    mosaics, cands = field
    df = cands.to_pandas()
    out = classify(mosaics, df, model, progress=False, device="cpu")
    np.testing.assert_array_equal(out["prob_1"], classify(mosaics, cands, model, progress=False,
                                                           device="cpu")["prob_1"])
    assert np.array_equal(measure(mosaics, df, aperture_correction=None)["mag_f555w"],
                          measure(mosaics, cands, aperture_correction=None)["mag_f555w"], equal_nan=True)
    ia, ib, _ = match_catalogs(df, cands)
    assert ia.tolist() == ib.tolist() == list(range(8))
    measured = measure(mosaics, cands, aperture_correction=None)
    assert (select_candidates(measured.to_pandas(), ci_min=1.0)["id"].tolist()
            == select_candidates(measured, ci_min=1.0)["id"].tolist())
    truth = measured.copy()
    truth["mag_true_f555w"] = truth["mag_f555w"]
    got = completeness(truth.to_pandas(), measured.to_pandas(), bins=[15, 30])
    want = completeness(truth, measured, bins=[15, 30])["completeness"].tolist()
    assert got["completeness"].tolist() == want == [1.0]
    assert suggest(out.to_pandas(), 3)["id"].tolist() == suggest(out, 3)["id"].tolist()
    pred = cands.copy()
    pred["class_pred"] = [1, 2] * 4
    ref = cands.copy()
    ref["class_ref"] = [1, 2, 2, 2, 1, 2, 1, 2]
    want = evaluate_catalogs(pred, ref, task="galaxy-cluster", n_boot=0).headline()
    assert evaluate_catalogs(pred.to_pandas(), ref.to_pandas(), task="galaxy-cluster", n_boot=0).headline() == want
    assert want["reference1"]["2class"] == 0.875  # one of 8 differs (row 3)


def test_other_objects_are_a_type_error_naming_the_argument(field, model):
    from starclass.learn.classify import classify

    mosaics, cands = field
    rows = np.column_stack([cands["x"], cands["y"]]).tolist()
    with pytest.raises(TypeError, match="the candidates must be an astropy Table or a pandas DataFrame, not list"):
        classify(mosaics, rows, model, progress=False, device="cpu")
    with pytest.raises(TypeError, match="must be an astropy Table, a pandas DataFrame or a path, not dict"):
        evaluate_catalogs({"x": [1.0]}, task="galaxy-cluster", n_boot=0)


def test_classify_gives_the_schema_units_a_catalogue_read_back_has(field, model, tmp_path):
    # x, y of a plain table came out without a unit, and the same catalogue written and read back had pix
    from starclass.io.catalog import read_catalog, write_catalog
    from starclass.learn.classify import classify

    mosaics, cands = field
    t = cands.copy()
    t["mag_f555w"] = np.full(len(t), 22.0) * u.ABmag  # a unit given is kept
    out = classify(mosaics, t, model, progress=False, device="cpu")
    back = read_catalog(write_catalog(out, tmp_path / "c.ecsv"))
    assert out["x"].unit == out["y"].unit == u.pix
    assert {c: out[c].unit for c in ("x", "y", "prob_1")} == {c: back[c].unit for c in ("x", "y", "prob_1")}
    assert out["mag_f555w"].unit == u.ABmag and t["x"].unit is None  # the caller's table is unchanged
