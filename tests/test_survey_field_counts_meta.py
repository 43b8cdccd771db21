"""A survey field's catalogue carries detect's counts of the field, not of its first tile."""
from __future__ import annotations

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from starclass.survey.merge import merge_tiles  # noqa: E402
from starclass.survey.work import IN_CORE  # noqa: E402


def test_detect_s_counts_in_the_field_catalogue_are_the_field_s_not_the_first_tile_s(tmp_path):
    """n_detected / n_selected were the first tile's (20 on a field of 478 rows, seen 2026-12-05)."""
    from astropy.table import Table

    from starclass.survey.work import with_astropy_metadata

    files = []
    for k, xs in enumerate(([5.0, 20.0], [70.0, 90.0, 99.0])):
        t = pa.table({"x": np.asarray(xs), "y": np.full(len(xs), 10.0), "class_pred": np.ones(len(xs), np.int64),
                      "tile": [f"r000_c00{k}"] * len(xs), IN_CORE: np.ones(len(xs), bool)})
        meta = {"n_detected": len(xs), "n_selected": len(xs), "task": "legus4"}
        pq.write_table(with_astropy_metadata(t, meta), tmp_path / f"r000_c00{k}.parquet")
        files.append(tmp_path / f"r000_c00{k}.parquet")
    out = merge_tiles(files, detected=True, tile_order=["r000_c000", "r000_c001"])
    pq.write_table(out, tmp_path / "field.parquet")
    back = Table.read(tmp_path / "field.parquet")
    assert len(back) == 5
    assert back.meta["n_detected"] == 5 and back.meta["n_selected"] == 5
