"""``info DIR`` names the files of a folder it does not read, in the words ``evaluate --catalogs`` uses.

On the LEGUS folder, ``evaluate --catalogs`` said "note: 3 files not read as LEGUS catalogues: README.md,
hlsp_..._ngc628-c_...readme, layouts.csv"; ``info`` said only why layouts.csv was skipped, and left the
README and the ``.readme`` out without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

LEGUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"


def test_info_names_the_files_it_does_not_read(tmp_path):
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(tmp_path / "a.ecsv")
    (tmp_path / "README.md").write_text("# notes\n")
    (tmp_path / "field.readme").write_text("five filters\n")
    (tmp_path / ".hidden").write_text("x\n")
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if "not read as" in line]
    assert said == ["note: 2 files not read as catalogues: README.md, field.readme"], res.output
    from starclass.io.overview import files_not_read_note  # the words evaluate --catalogs uses

    assert said == [f"note: {files_not_read_note(['README.md', 'field.readme'], 'catalogue')}"], res.output


def test_info_counts_a_table_it_could_not_read_among_them(tmp_path):
    # a table tried and not read (no id, position or class column, as the LEGUS folder's layouts.csv) is one of
    # the files not read: info said "1 file not read" beside a note on it, where evaluate --catalogs counted 2
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(tmp_path / "a.ecsv")
    (tmp_path / "README.md").write_text("# notes\n")
    (tmp_path / "layouts.csv").write_text("file,n_rows\na.tab,3\n")
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if "not read as" in line]
    # counted there, named once: in its own note, which says why (it was named in both until 2026-12-07)
    assert said == ["note: 2 files not read as catalogues: README.md, and 1 with a note of its own below"], res.output
    named = [line for line in res.output.splitlines() if "layouts.csv" in line]
    assert len(named) == 1 and named[0].startswith("note: layouts.csv: not a catalogue, skipped: "), res.output


def test_info_on_the_legus_folder_names_its_readmes():
    if not (LEGUS_DIR / "layouts.csv").is_file():
        pytest.skip("../shared/data/legus not available")
    res = CliRunner().invoke(app, ["info", str(LEGUS_DIR)])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if "not read as" in line]
    # the count and the names evaluate --catalogs gives of the same folder (it said 2 here, 3 there)
    from starclass.science.many import other_files

    others = [p.name for p in other_files(LEGUS_DIR)]
    # in evaluate --catalogs' words: a folder of LEGUS catalogues ("as catalogues" here, "as LEGUS catalogues" there)
    assert len(said) == 1 and said[0].startswith(f"note: {len(others)} files not read as LEGUS catalogues: README.md, "
                                                 "hlsp_"), said
    # named once each: layouts.csv in its own note, which says why, and not in the count as well
    noted = [n for n in others if n == "layouts.csv"]
    tail = ", ".join(n for n in others[1:] if n not in noted) + ", and 1 with a note of its own below"
    assert said[0].endswith(tail), said
    assert noted == ["layouts.csv"], others
    for n in others:
        assert sum(n in line for line in res.output.splitlines()) == 1, (n, res.output)
