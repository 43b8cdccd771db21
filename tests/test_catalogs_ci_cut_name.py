"""One name for one number: the fields table of ``evaluate --catalogs`` calls a field's CI cut ``ci_cut``, as ``info``.

``starclass info DIR`` shows each LEGUS field's CI cut as ``ci_cut`` (the readme's, else the smallest CI of an
inspected source); ``evaluate --catalogs`` / ``report --catalogs`` showed the same number, for every one of the
16 real fields, as ``ci_min`` in ``tables/fields.ecsv`` and on the page, so a user comparing the two tables
read two quantities. The column is ``ci_cut`` now, and takes the reader's value, which ``info`` shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED_DATA
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.io.catalog import read_catalog
from starclass.io.overview import catalog_row
from starclass.science import many


def _info_cuts(folder, fields) -> dict[str, float]:
    out = {}
    for f in sorted(folder.glob("*.tab")):
        row = catalog_row(read_catalog(f, fmt="legus"), f.name)
        if row["field"] in fields:
            out[row["field"]] = row["ci_cut"]
    return out


def test_the_fields_table_names_the_ci_cut_as_info_does(tmp_path):
    folder = write_fake_legus_folder(tmp_path / "legus", n=60)
    fields, _ = many.load_fields(folder, min_inspected=1)
    summary = many.field_summary(fields)
    assert "ci_cut" in summary.colnames and "ci_min" not in summary.colnames, summary.colnames
    info = _info_cuts(folder, fields)
    assert set(info) == set(fields)
    for row in summary:
        assert float(row["ci_cut"]) == pytest.approx(info[str(row["field"])], abs=0.005), row


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_on_the_real_fields_the_two_tables_agree(recwarn):
    folder = SHARED_DATA / "legus"
    fields, _ = many.load_fields(folder)
    summary = many.field_summary(fields)
    info = _info_cuts(folder, fields)
    got = {str(r["field"]): float(r["ci_cut"]) for r in summary}
    assert set(got) == set(info) and len(got) >= 10
    assert np.allclose([got[k] for k in sorted(got)], [info[k] for k in sorted(got)], atol=0.005), (got, info)
