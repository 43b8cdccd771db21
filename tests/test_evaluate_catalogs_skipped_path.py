"""``evaluate --catalogs DIR -o OUT`` names the table of the fields left out by the path it has.

Found walking docs/legus_validation.md (2026-12-06): ``starclass evaluate --catalogs ../shared/data/legus -o many/``
said "16 fields from ../shared/data/legus (19 left out: tables/skipped.ecsv says why)"; from the folder the command
ran in there is no tables/skipped.ecsv (it is many/tables/skipped.ecsv). ``report --catalogs`` names its own
table's path.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def test_the_skipped_table_is_named_where_it_is(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)  # 110, 110 and 105 inspected sources
    out = tmp_path / "many"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus), "-o", str(out), "--min-inspected", "108"])
    assert res.exit_code == 0, res.output
    said = out / "tables" / "skipped.ecsv"
    assert said.is_file()
    assert f"2 fields from {legus} (1 left out: {said} says why)" in " ".join(res.output.split()), res.output
