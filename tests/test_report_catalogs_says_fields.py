"""``report --catalogs DIR`` says what ``evaluate --catalogs`` says of the folder.

Until 2026-12-05 it printed only ``report: PATH``: no count of the fields used and left out, and no
note of the files it did not read as LEGUS catalogues (a re-saved catalogue, a README), which
``evaluate --catalogs`` names.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def test_report_catalogs_counts_the_fields_and_names_the_files_not_read(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    (legus / "notes.txt").write_text("my notes on these fields\n")
    said = {}
    for command, out in (("evaluate", tmp_path / "ev"), ("report", tmp_path / "rep" / "legus.html")):
        res = runner.invoke(app, [command, "--catalogs", str(legus), "-o", str(out), "--min-inspected", "10"])
        assert res.exit_code == 0, res.output
        said[command] = " ".join(res.output.split())
    for command, text in said.items():
        assert f"3 fields from {legus}" in text, (command, text)
        assert "note: 1 file not read as a LEGUS catalogue: notes.txt" in text, (command, text)
    assert f"report: {tmp_path / 'rep' / 'legus.html'}" in said["report"]


def test_report_catalogs_says_the_fields_left_out_and_where_why(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)  # 110, 110 and 105 inspected sources
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(legus), "-o", str(page), "--min-inspected", "108"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert f"2 fields from {legus} (1 left out: {tmp_path / 'rep' / 'tables' / 'skipped.ecsv'} says why)" in text, text
