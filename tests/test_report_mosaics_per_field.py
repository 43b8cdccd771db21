"""report --model --mosaics of a table of several fields: each field's stamps from its own mosaics (2026-12-07).

A classified table with a ``field`` column (``classify --stamps`` of a merged store, ``train --cv`` of a store cut
from two fields, two fields' classifications stacked) holds each field's x, y on its own mosaics. ``report
--mosaics DIR`` took one set and cut every field's Grad-CAM stamps from it: field b's candidates were explained
on field a's pixels, without a word. Now each field is given its own, ``--mosaics FIELD=DIR`` (or each field's
folder, named as the field, as ``cutouts`` names the fields of its mosaics folders); one set for several fields,
a field without mosaics and a field the table does not have are refused (exit 2, nothing written).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table, vstack
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.cli import app
from starclass.io.catalog import write_catalog

pytestmark = pytest.mark.usefixtures("unrendered_figures", "single_thread")

runner = CliRunner()

FIELDS = ("m31_a", "m31_b")


@pytest.fixture(scope="module")
def two_fields(tmp_path_factory):
    """Two small simulated M31 fields (their own seeds), a one-member model with random weights and a
    classified table of both fields' candidates (ids 1..20 in each, a ``field`` column)."""
    from starclass.learn.config import get_preset

    root = tmp_path_factory.mktemp("fields")
    parts = []
    for seed, name in enumerate(FIELDS, start=1):
        res = runner.invoke(app, ["simulate", str(root / name), "--preset", "m31", "--size", "96",
                                  "--n-candidates", "20", "--seed", str(seed)])
        assert res.exit_code == 0, res.output
        t = Table.read(root / name / "truth.ecsv")
        t.meta = {}
        t["field"] = name
        parts.append(t)
    table = vstack(parts, metadata_conflicts="silent")
    rng = np.random.default_rng(0)
    p1 = rng.uniform(0, 1, len(table))
    table["prob_1"], table["prob_2"] = p1, 1 - p1
    table["class_pred"] = np.where(p1 >= 0.5, 1, 2)
    write_catalog(table, root / "both.ecsv")
    write_untrained_model(root / "model", get_preset("m31-binary-compact", stamp_size=16))
    return root


def _report(root, out, *mosaics: str):
    return runner.invoke(app, ["report", str(root / "both.ecsv"), "--model", str(root / "model"),
                               *[w for m in mosaics for w in ("--mosaics", m)], "-o", str(out), "--bootstrap", "0",
                               "--no-science", "--no-progress"])


@pytest.mark.slow
def test_each_field_named_with_its_mosaics_makes_the_gradcam_section(two_fields, tmp_path):
    d = two_fields
    for i, given in enumerate(([f"{f}={d / f}" for f in FIELDS], [str(d / f) for f in FIELDS])):
        res = _report(d, tmp_path / f"rep{i}", *given)
        assert res.exit_code == 0, res.output
        page = (tmp_path / f"rep{i}" / "report.html").read_text()
        assert "<h2>Grad-CAM</h2>" in page and "Grad-CAM skipped" not in page


def test_one_set_for_two_fields_is_refused_naming_them(two_fields, tmp_path):
    d = two_fields
    res = _report(d, tmp_path / "rep", str(d / "m31_a"))
    assert res.exit_code == 2, res.output
    assert (f"{d / 'both.ecsv'} holds 2 fields in its column 'field' (m31_a, m31_b), each classified on its own "
            "mosaics, and --mosaics gives one set: give each field its own, --mosaics FIELD=DIR once per field "
            "(e.g. --mosaics m31_a=DIR), or each field's folder named as the field") in " ".join(res.output.split())
    assert "Traceback" not in res.output and not (tmp_path / "rep").exists()


def test_a_field_without_mosaics_or_one_the_table_lacks_is_refused(two_fields, tmp_path):
    d = two_fields
    res = _report(d, tmp_path / "rep", f"m31_a={d / 'm31_a'}")
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "field 'm31_b' (20 rows) has no mosaics to cut its Grad-CAM stamps from: give --mosaics m31_b=DIR" in said
    assert not (tmp_path / "rep").exists()
    res = _report(d, tmp_path / "rep", f"m31_a={d / 'm31_a'}", f"m31_c={d / 'm31_b'}")
    assert res.exit_code == 2 and "has no field 'm31_c' in its column 'field' (its fields: m31_a, m31_b)" in \
        " ".join(res.output.split()), res.output
    assert "Traceback" not in res.output and not (tmp_path / "rep").exists()


def test_each_rows_stamp_is_cut_from_its_own_fields_mosaics(two_fields):
    from starclass.io.fields import FieldMosaics
    from starclass.io.mosaic import read_mosaics
    from starclass.learn.checkpoint import load_model
    from starclass.science.gradcam import gradcam_inputs
    from starclass.stamps import make_inputs

    d = two_fields
    table = Table.read(d / "both.ecsv")
    model = load_model(d / "model")
    mosaics = {f: read_mosaics(d / f, warn_v_band=False) for f in FIELDS}
    # every row drawn (20 a class at most): the inputs of each are its own field's stamps
    _, x, _ = gradcam_inputs(model, table, FieldMosaics(mosaics), per_class=len(table))
    want = np.zeros_like(x)
    valid = np.zeros(len(table), dtype=bool)
    for f in FIELDS:
        at = np.flatnonzero(np.asarray(table["field"]) == f)
        want[at], valid[at] = make_inputs(mosaics[f], table["x"][at], table["y"][at], model.config)
    assert valid.all()
    np.testing.assert_array_equal(x, want)
    # field b's rows cut from field a's mosaics (the old behaviour) are other stamps
    b = np.flatnonzero(np.asarray(table["field"]) == "m31_b")
    wrong, _ = make_inputs(mosaics["m31_a"], table["x"][b], table["y"][b], model.config)
    assert not np.array_equal(wrong, want[b])
