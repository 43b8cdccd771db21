"""A survey's catalogues hold classify's flag columns as classify on the whole image writes them.

classify adds ``stamp_no_data`` (and ``blank_bands``) only when some candidate needs it, so of a
survey's tiles some had the column and some not; joined, the rows of the tiles without it were null
(NaN: "unclassified" in the schema's words) though classified on a stamp with every pixel, and the
merged catalogue changed with the tile size (seen: 37 of 86 rows NaN with 64 px tiles, none with 128).
"""
from __future__ import annotations

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from starclass.survey.merge import merge_tiles  # noqa: E402
from starclass.survey.work import IN_CORE  # noqa: E402


def _tile(path, xs, classes, no_data=None, blank=None):
    cols = {"x": np.asarray(xs, float), "y": np.full(len(xs), 10.0),
            "class_pred": np.asarray(classes, np.int64), "tile": [path.stem] * len(xs),
            IN_CORE: np.ones(len(xs), bool)}
    if no_data is not None:
        cols["stamp_no_data"] = np.asarray(no_data, float)
    if blank is not None:
        cols["blank_bands"] = pa.array(blank, pa.string())
    pq.write_table(pa.table(cols), path)
    return path


def test_a_tile_without_the_flag_columns_gets_classify_s_values_not_nulls(tmp_path):
    a = _tile(tmp_path / "r000_c000.parquet", [5.0, 20.0], [1, 2], no_data=[0.25, 0.0], blank=["", ""])
    b = _tile(tmp_path / "r000_c001.parquet", [70.0, 90.0, 99.0], [3, 0, 4])
    out = merge_tiles([a, b], detected=True, tile_order=["r000_c000", "r000_c001"])
    share = dict(zip(out.column("x").to_pylist(), out.column("stamp_no_data").to_pylist()))
    assert share[5.0] == 0.25 and share[20.0] == 0.0
    # classified rows of the tile without the column: every pixel had data, as classify says with 0
    assert share[70.0] == 0.0 and share[99.0] == 0.0
    # an unclassified row stays NaN, as classify writes it
    assert share[90.0] is not None and np.isnan(share[90.0])
    assert out.column("stamp_no_data").null_count == 0
    assert out.column("blank_bands").to_pylist() == ["", "", "", "", ""]


def test_a_field_without_the_columns_beside_one_with_them_is_filled_in_the_merged_partition():
    from starclass.survey.merge import fill_flag_columns
    from starclass.survey.run import _conform, _union_schema

    with_col = pa.table({"x": [1.0], "class_pred": pa.array([1], pa.int64()), "stamp_no_data": [0.5]})
    without = pa.table({"x": [2.0, 3.0], "class_pred": pa.array([4, 0], pa.int64())})
    union = _union_schema([with_col.schema, without.schema])
    part = fill_flag_columns(_conform(without, union))
    got = part.column("stamp_no_data").to_pylist()
    assert got[0] == 0.0 and np.isnan(got[1])


def test_nothing_changes_where_no_value_is_null():
    from starclass.survey.merge import fill_flag_columns

    t = pa.table({"class_pred": pa.array([1, 0], pa.int64()), "stamp_no_data": [0.1, float("nan")]})
    assert fill_flag_columns(t) is t
