"""``info DIR`` and ``evaluate --catalogs``' ``fields.ecsv`` name their counts alike (``starclass.schema``).

On the LEGUS folder ``info DIR`` called them ``rows, inspected, n1 .. n4`` and ``fields.ecsv`` ``n_rows,
n_inspected, n_1 .. n_4``: one user comparing the two tables met two names for each count.
"""

from __future__ import annotations

from pathlib import Path

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.schema import CLASSES, N_INSPECTED, N_ROWS, class_count_column
from starclass.science.many import field_summary, load_fields


def test_info_dir_and_fields_table_share_the_count_names(tmp_path: Path) -> None:
    folder = write_fake_legus_folder(tmp_path / "legus")
    res = CliRunner().invoke(app, ["info", str(folder), "--out-format", "csv"])
    assert res.exit_code == 0, res.output
    info = Table.read(res.stdout, format="ascii.csv")
    fields = field_summary(load_fields(folder)[0])
    counts = [N_ROWS, N_INSPECTED, *(class_count_column(k) for k in CLASSES)]
    assert set(counts) <= set(info.colnames), info.colnames
    assert set(counts) <= set(fields.colnames), fields.colnames
    # the same numbers under the same names, field by field
    by_field = {str(r["field"]): r for r in info}
    for r in fields:
        assert [int(by_field[str(r["field"])][c]) for c in counts] == [int(r[c]) for c in counts], r["field"]


def test_info_dir_text_heads_its_columns_with_those_names(tmp_path: Path) -> None:
    folder = write_fake_legus_folder(tmp_path / "legus")
    res = CliRunner().invoke(app, ["info", str(folder)])
    assert res.exit_code == 0, res.output
    head = res.output.splitlines()[0].split()
    assert head[1:7] == ["n_rows", "n_inspected", "n_1", "n_2", "n_3", "n_4"], head
