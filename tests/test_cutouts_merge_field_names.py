"""``cutouts --merge`` names a field as ``cutouts --fields`` names it: by its mosaics' folder (2026-12-07).

``starclass cutouts a b --catalog a.ecsv --catalog b.ecsv -o both.h5`` names its fields ``a`` and ``b``
(the mosaics' folders), while the same fields cut apart (``cutouts a -c a.ecsv -o stamps_a.h5``) and merged
(``cutouts --merge stamps_a.h5 stamps_b.h5``) were named ``stamps_a`` and ``stamps_b`` (the files): one
field had two names, and ``train --split galaxy --holdout a`` found no field ``a`` in the merged store.
A store of one field records its mosaics (meta ``sources``); the merge names it from them by the rule of
``--fields`` (``io.fields.default_field_name``). A store that records no mosaics (made otherwise, or
older), or stores whose recorded names repeat, are named by their files as before, and a merged store
keeps its own ``field`` column.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app
from starclass.stamps import StampStore, write_stamp_store

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _cut(tmp_path, *argv: str) -> None:
    res = runner.invoke(app, ["cutouts", *argv, "--size", "16", "--no-progress"])
    assert res.exit_code == 0, res.output


def _fields(path) -> list[str]:
    st = StampStore(path)
    try:
        return [str(v) for v in st.table["field"]]
    finally:
        st.close()


@pytest.fixture()
def two_fields(tmp_path):
    for name, xs in (("m31_a", [30.0, 60.0]), ("m31_b", [40.0, 50.0])):
        (tmp_path / name).mkdir()
        write_toy_mosaics(tmp_path / name)
        Table({"id": [1, 2], "x": xs, "y": [40.0, 50.0]}).write(tmp_path / f"{name}.ecsv")
    return tmp_path


def test_a_field_has_one_name_cut_together_or_merged(two_fields):
    d = two_fields
    _cut(d, str(d / "m31_a"), str(d / "m31_b"), "--catalog", str(d / "m31_a.ecsv"), "--catalog",
         str(d / "m31_b.ecsv"), "-o", str(d / "both.h5"))
    _cut(d, str(d / "m31_a"), "--catalog", str(d / "m31_a.ecsv"), "-o", str(d / "stamps_a.h5"))
    _cut(d, str(d / "m31_b"), "--catalog", str(d / "m31_b.ecsv"), "-o", str(d / "stamps_b.h5"))
    res = runner.invoke(app, ["cutouts", "--merge", str(d / "stamps_a.h5"), str(d / "stamps_b.h5"),
                              "-o", str(d / "merged.h5")])
    assert res.exit_code == 0, res.output
    assert "from 2 fields (m31_a, m31_b)" in res.output, res.output  # was 'stamps_a, stamps_b'
    assert _fields(d / "merged.h5") == _fields(d / "both.h5") == ["m31_a", "m31_a", "m31_b", "m31_b"]


def test_stores_that_record_no_field_or_one_field_twice_are_named_by_their_files(two_fields):
    d = two_fields
    # two stores cut from one folder (its candidates in two catalogues): one name for both would mix them
    _cut(d, str(d / "m31_a"), "--catalog", str(d / "m31_a.ecsv"), "-o", str(d / "train.h5"))
    _cut(d, str(d / "m31_a"), "--catalog", str(d / "m31_a.ecsv"), "-o", str(d / "test.h5"))
    res = runner.invoke(app, ["cutouts", "--merge", str(d / "train.h5"), str(d / "test.h5"), "-o", str(d / "m.h5")])
    assert res.exit_code == 0 and "from 2 fields (test, train)" in res.output, res.output
    # a store that records no mosaics (written by write_stamp_store, as an older or simulated one) is read as before
    for name in ("old_north", "old_south"):
        write_stamp_store(d / f"{name}.h5", np.zeros((2, 2, 16, 16), np.float32), np.ones((2, 16, 16), bool),
                          {"x": np.zeros(2), "y": np.zeros(2)}, channels=["f555w", "f814w"])
    res = runner.invoke(app, ["cutouts", "--merge", str(d / "old_north.h5"), str(d / "old_south.h5"),
                              "-o", str(d / "old.h5")])
    assert res.exit_code == 0, res.output
    assert _fields(d / "old.h5") == ["old_north", "old_north", "old_south", "old_south"]


def test_the_merged_store_is_described_as_a_cut_one_is(two_fields):
    # "merged 2 stamp stores into m.h5: 4 candidates from fields m31_a, m31_b" said neither the inputs' shape,
    # nor the bands, scales and normalisation that a store cut from mosaics (one field or several) says
    d = two_fields
    _cut(d, str(d / "m31_a"), "--catalog", str(d / "m31_a.ecsv"), "-o", str(d / "stamps_a.h5"))
    _cut(d, str(d / "m31_b"), "--catalog", str(d / "m31_b.ecsv"), "-o", str(d / "stamps_b.h5"))
    res = runner.invoke(app, ["cutouts", "--merge", str(d / "stamps_a.h5"), str(d / "stamps_b.h5"),
                              "-o", str(d / "m.h5")])
    assert res.exit_code == 0, res.output
    st = StampStore(d / "m.h5")
    try:
        shape, bands, scales, norm = list(st.shape), st.bands, st.scales, st.normalisation
    finally:
        st.close()
    text = " ".join(res.output.split())
    assert f"inputs {shape}" in text, res.output
    assert f"bands {','.join(bands)}" in text and f"normalisation {norm}" in text, res.output
    assert f"scales {','.join(f'{v:g}' for v in scales)}" in text, res.output
    assert "merged from 2 stamp stores" in text, res.output
