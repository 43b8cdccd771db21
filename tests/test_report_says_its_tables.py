"""``report`` says where the tables it writes beside its page went.

Found walking docs/legus_validation.md (2026-12-06): ``starclass report --catalogs ../shared/data/legus -o
legus.html`` printed "report: legus.html" and left a ``tables/`` folder of 12 ECSV tables in the working folder
without a word.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def test_report_catalogs_names_its_tables_folder(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(legus), "-o", str(page), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    tables = sorted((page.parent / "tables").glob("*.ecsv"))
    assert tables
    assert f"report: {page} (its {len(tables)} tables in {page.parent / 'tables'})" in res.output, res.output
