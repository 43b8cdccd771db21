"""``report --catalogs DIR`` says the notes ``evaluate --catalogs DIR`` says of the same folder.

Found walking docs/legus_validation.md (2026-12-06): on the shared LEGUS folder ``evaluate --catalogs`` said
"note: ngc1566: 654 classes from a machine-learning classifier alone (class_method 0) are not human labels and
count as not inspected." and which 11 fields' V camera is assumed; ``report --catalogs`` of the same folder said
neither (only the fields, the files not read and the SED lines), so a user of the page alone did not hear them.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def _notes(output: str) -> list[str]:
    return [s for s in output.splitlines() if s.startswith(("note:", "warning:"))]


def test_report_catalogs_says_the_notes_evaluate_catalogs_says(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    said = {}
    for command, out in (("evaluate", tmp_path / "ev"), ("report", tmp_path / "rep" / "legus.html")):
        res = runner.invoke(app, [command, "--catalogs", str(legus), "-o", str(out), "--min-inspected", "10"])
        assert res.exit_code == 0, res.output
        said[command] = _notes(res.output)
    assert said["evaluate"], said  # the fake fields' V camera is assumed: there is a note to say
    assert said["report"] == said["evaluate"], said


def test_report_catalogs_says_why_there_is_no_ladder(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    one = sorted(legus.glob("*.tab"))[0]
    res = runner.invoke(app, ["report", "--catalogs", str(one), "-o", str(tmp_path / "rep" / "one.html"),
                              "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert any(s.startswith("note: no leave-one-galaxy-out ladder") for s in res.output.splitlines()), res.output
