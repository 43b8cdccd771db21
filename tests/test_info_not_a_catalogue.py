"""`starclass info DIR` on a folder holding a table that is no catalogue (the LEGUS folder's own layouts.csv).

It was noted "layouts.csv: not read as a catalogue, skipped: required column 'id' missing ... name a column 'id'
in the file", telling the user to edit a file that documents the folder. A table whose header names no id, no
position and no class is now said to be no catalogue; a real catalogue lacking its id keeps the hint.
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app

LEGUS_DIR = SHARED_DATA / "legus"


def _info(*args):
    return CliRunner().invoke(app, ["info", *map(str, args)])


def _folder(tmp_path):
    """A catalogue, a survey of the folder's files (no id, position or class) and a catalogue lacking its id."""
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(tmp_path / "cat.csv")
    Table({"file": ["cat.csv"], "n_rows": [2], "class_col": ["class_ref"], "notes": ["two rows"]}).write(
        tmp_path / "layouts.csv")
    Table({"name": ["a", "b"], "x": [5.0, 9.0], "y": [3.0, 4.0]}).write(tmp_path / "noid.csv")
    return tmp_path


def test_a_table_of_no_candidates_is_said_to_be_no_catalogue(tmp_path):
    r = _info(_folder(tmp_path))
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert ("note: layouts.csv: not a catalogue, skipped: no id, position (x, y or ra, dec) or class column "
            "among its 4 columns (file, n_rows, class_col, notes)") in out, out
    # its own note, and no other line naming it: "2 files not read as catalogues: layouts.csv, noid.csv" named both
    # files a second time until 2026-12-07, each having a note of its own
    layouts = [line for line in r.output.splitlines() if "layouts.csv" in line]
    assert not [line for line in r.output.splitlines() if "files not read as" in line], r.output
    assert len(layouts) == 1 and layouts[0].startswith("note: layouts.csv") and "column 'id'" not in layouts[0], layouts
    # a catalogue with positions but no id keeps the hint to name its id column
    assert "note: noid.csv: not read as a catalogue, skipped: required column 'id' missing" in out, out
    assert "name a column 'id' in the file" in out


def test_a_map_naming_the_id_makes_a_table_a_catalogue_again(tmp_path):
    """--map NAME=id on a table otherwise without roles: it is read through the map, not called no catalogue."""
    from starclass.io.catalog import not_a_catalogue_reason

    f = tmp_path / "t.csv"
    Table({"NAME": ["a"], "mag": [20.0]}).write(f)
    assert not_a_catalogue_reason(f) is not None
    assert not_a_catalogue_reason(f, {"NAME": "id"}) is None


def test_roles_by_schema_name_or_alias_and_headerless_tables(tmp_path):
    from starclass.io.catalog import catalogue_roles, not_a_catalogue_reason

    assert catalogue_roles(["RAdeg", "DEdeg", "Class"]) == {"ra", "dec", "class_ref"}
    assert catalogue_roles(["file", "n_class1", "class_col"]) == set()
    # a file without a header (its first line of numbers read as one) may be positions: not called no catalogue
    for name, text in (("pos.csv", "10,20\n30,40\n"), ("pos2.csv", "10 20\n30 40\n"), ("pos.txt", "10 20\n30 40\n")):
        (tmp_path / name).write_text(text)
        assert not_a_catalogue_reason(tmp_path / name) is None, name
    # nor a header without rows, or prose in a .txt
    (tmp_path / "empty.csv").write_text("file,notes\n")
    (tmp_path / "notes.txt").write_text("observed in 2019, reduced by hand\nsecond line, of prose\n")
    assert not_a_catalogue_reason(tmp_path / "empty.csv") is None
    assert not_a_catalogue_reason(tmp_path / "notes.txt") is None
    (tmp_path / "one.csv").write_text("file\na.tab\n")
    assert not_a_catalogue_reason(tmp_path / "one.csv").endswith("among its 1 column (file)")


def test_shared_legus_folder_says_layouts_csv_is_no_catalogue():
    if not (LEGUS_DIR / "layouts.csv").exists():
        import pytest

        pytest.skip("../shared/data/legus not available")
    r = _info(LEGUS_DIR)
    assert r.exit_code == 0, r.output
    notes = [line for line in r.output.splitlines() if line.startswith("note: layouts.csv")]
    assert notes == ["note: layouts.csv: not a catalogue, skipped: no id, position (x, y or ra, dec) or class column "
                     "among its 15 columns (file, field, instruments, version, n_rows, n_cols, ...)"], notes


def test_info_of_the_table_itself_says_what_it_is(tmp_path):
    """``info layouts.csv``: its 'file' column (a .tab per row) made it a list of cutouts, refused with "row 1 ...:
    not an image file" (exit 2); a table of no candidates read as a catalogue was told to "name a column 'id'"."""
    _folder(tmp_path)
    r = _info(tmp_path / "layouts.csv")
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert out == (f"{tmp_path / 'layouts.csv'}: a table of 1 row, not a catalogue of candidates: no id, position "
                   "(x, y or ra, dec) or class column among its 4 columns (file, n_rows, class_col, notes)"), out
    # a list of cutouts whose files are missing is still read as one, and refused naming the file
    (tmp_path / "cutouts.csv").write_text("file,label\na.png,cluster\n")
    r = _info(tmp_path / "cutouts.csv")
    assert r.exit_code == 2 and "a.png" in r.output and "Traceback" not in r.output, r.output
    # --ds9 asks for positions: the table is refused as before
    r = _info(tmp_path / "layouts.csv", "--ds9", tmp_path / "r.reg")
    assert r.exit_code == 2 and not (tmp_path / "r.reg").exists(), r.output


def test_shared_layouts_csv_alone():
    if not (LEGUS_DIR / "layouts.csv").exists():
        import pytest

        pytest.skip("../shared/data/legus not available")
    r = _info(LEGUS_DIR / "layouts.csv")
    assert r.exit_code == 0, r.output
    assert "a table of 35 rows, not a catalogue of candidates" in r.output, r.output


def test_options_of_a_catalogue_on_a_table_of_no_candidates_say_what_it_is(tmp_path):
    """``info layouts.csv --ds9 r.reg`` was refused with "required column 'id' missing ... name a column 'id' in
    the file"; --bands and --one-based were ignored without a word (exit 0)."""
    _folder(tmp_path)
    table = tmp_path / "layouts.csv"
    why = ("is a table of 1 row, not a catalogue of candidates: no id, position (x, y or ra, dec) or class column "
           "among its 4 columns (file, n_rows, class_col, notes)")
    for opts, said in ((["--ds9", tmp_path / "r.reg"], "--ds9 needs"),
                       (["--bands", "f275w,f336w,f435w,f555w,f814w"], "--bands needs"),
                       (["--one-based", "--ds9", tmp_path / "r.reg"], "--ds9 and --one-based need")):
        r = _info(table, *opts)
        out = " ".join(r.output.split())
        assert r.exit_code == 2 and out == f"error: {said} a catalogue; {table} {why}", out
        assert "column 'id'" not in out and not (tmp_path / "r.reg").exists()
    # read as its own format it is described as without --format; read as another, the reader says why not
    assert _info(table, "--format", "csv").exit_code == 0
    r = _info(table, "--format", "legus")
    assert r.exit_code == 2 and "LEGUS .tab" in r.output, r.output


def test_ds9_of_what_is_no_catalogue_is_refused_not_ignored(tmp_path):
    """--ds9 on a folder of catalogues or a cutout folder was ignored: the summary, exit 0, and no region file."""
    import numpy as np

    (tmp_path / "cats").mkdir()
    _folder(tmp_path / "cats")
    (tmp_path / "cut" / "cluster").mkdir(parents=True)
    np.save(tmp_path / "cut" / "cluster" / "a.npy", np.arange(64.0).reshape(8, 8))
    for what, said in ((tmp_path / "cats", "is a folder: give one catalogue in it"),
                       (tmp_path / "cut", "is a cutout folder (images, no positions)")):
        r = _info(what, "--ds9", tmp_path / "r.reg")
        out = " ".join(r.output.split())
        assert r.exit_code == 2 and out.startswith("error: --ds9 writes the regions of one catalogue with positions; "
                                                   f"{what} {said}"), out
        assert not (tmp_path / "r.reg").exists()
    # a catalogue in the folder is written as before
    r = _info(tmp_path / "cats" / "cat.csv", "--ds9", tmp_path / "r.reg")
    assert r.exit_code == 0 and (tmp_path / "r.reg").read_text().count("circle") == 2, r.output


def test_shared_layouts_csv_with_ds9(tmp_path):
    if not (LEGUS_DIR / "layouts.csv").exists():
        import pytest

        pytest.skip("../shared/data/legus not available")
    r = _info(LEGUS_DIR / "layouts.csv", "--ds9", tmp_path / "r.reg")
    assert r.exit_code == 2 and not (tmp_path / "r.reg").exists(), r.output
    out = " ".join(r.output.split())
    assert "--ds9 needs a catalogue" in out and "a table of 35 rows, not a catalogue of candidates: no id" in out, out
    assert "column 'id'" not in out
