"""``info DIR`` says a single stray file once, and names the files not read in ``evaluate --catalogs``' words.

Before: a folder of catalogues and one stray table said "note: 1 file not read as catalogues: notes.csv"
and "note: notes.csv: not read as a catalogue, skipped: ..." (the one file twice); and of the LEGUS
folder ``info`` said "3 files not read as catalogues" where ``evaluate --catalogs`` said "3 files not read
as LEGUS catalogues" of the same files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

LEGUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"
runner = CliRunner()


def test_one_stray_table_is_said_once(tmp_path):
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(tmp_path / "a.ecsv")
    (tmp_path / "notes.csv").write_text("comment\n")
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.output.splitlines() if "notes.csv" in line]
    assert len(lines) == 1 and lines[0].startswith("note: notes.csv: "), res.output


def test_one_unread_readme_reads_in_the_singular(tmp_path):
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(tmp_path / "a.ecsv")
    (tmp_path / "README.md").write_text("# notes\n")
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "note: 1 file not read as a catalogue: README.md" in res.output.splitlines(), res.output


def test_info_and_evaluate_catalogs_name_the_legus_folders_other_files_alike(tmp_path):
    if not (LEGUS_DIR / "layouts.csv").is_file():
        pytest.skip("../shared/data/legus not available")
    from starclass.cli._app import say_catalogs_fields

    info = runner.invoke(app, ["info", str(LEGUS_DIR)])
    assert info.exit_code == 0, info.output
    said = [line for line in info.output.splitlines() if " not read as " in line]
    # evaluate --catalogs and report --catalogs say the files they leave out through this function
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        say_catalogs_fields(LEGUS_DIR, 1, 0, "")
    theirs = [line for line in out.getvalue().splitlines() if " not read as " in line]
    # the same count in the same words; info names layouts.csv in its own note alone, which says why
    assert said[0].split(":")[0] == theirs[0].split(":")[0] and "LEGUS catalogues" in said[0], (said, theirs)
    assert said[0] == theirs[0].replace(", layouts.csv", ", and 1 with a note of its own below"), (said, theirs)
