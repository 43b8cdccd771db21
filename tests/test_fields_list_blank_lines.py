"""Blank lines in a fields list and a survey plan: skipped between rows, kept inside a quoted value; lines named right.

Before: ``read_fields_list`` dropped every blank line before the CSV reader saw it, so a quoted value written
over lines lost its empty line ("n\\n\\nx" read as "n\\nx"), where the csv module keeps a quoted value as it is
written. A survey plan kept its blank lines instead: a trailing line of spaces (an editor's) was a field with
no name ("field 3 (row 3 (line 4 of the file)): no name"), and one above the header was the header ("needs
columns name and mosaics (has   )"). Both named a row's line as if the header were line 1, one short below a
``#`` note. Now both read through ``CsvLines``: blank lines outside quotes skipped, the file line of each row
kept.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.io.fields import read_fields_list
from starclass.survey.plan import read_plan


@pytest.fixture
def folder(tmp_path):
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        (tmp_path / f"{name}.ecsv").touch()
    return tmp_path


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_quoted_value_keeps_its_blank_line(folder, end):
    text = end.join(['name,mosaics,catalog,galaxy', '"n', '', 'x",north,north.ecsv,"M', '   ', '31"',
                     's,south,south.ecsv,M31', '   ', ''])
    (folder / "fields.csv").write_bytes(text.encode())
    fields = read_fields_list(folder / "fields.csv")
    assert [f.name for f in fields] == [f"n{end}{end}x", "s"]
    assert fields[0].galaxy == f"M{end}   {end}31" and fields[1].galaxy == "M31"


def test_a_fields_list_names_the_line_below_a_note(folder):
    (folder / "fields.csv").write_text("# fields of the M31 search\n\nname,mosaics,catalog\nn,north,north.ecsv\n"
                                       "s,south,missing.ecsv\n")
    with pytest.raises(StarclassError, match=r"row 2 \(line 5 of the file\): .*missing.ecsv does not exist"):
        read_fields_list(folder / "fields.csv")


@pytest.mark.parametrize("text", ["name,mosaics\nn,north\ns,south\n   \n", "  \nname,mosaics\nn,north\ns,south\n",
                                  "name,mosaics\nn,north\n\t\ns,south\n"])
def test_a_plan_skips_lines_of_blanks(folder, text):
    (folder / "plan.csv").write_text(text)
    assert read_plan(folder / "plan.csv").field_names == ["n", "s"]


def test_a_plan_names_the_line_below_a_note(folder):
    (folder / "plan.csv").write_text("# my plan\nname,mosaics\nn,north\nbad name,south\n")
    with pytest.raises(StarclassError, match=r"row 2 \(line 4 of the file\)\): name 'bad name'"):
        read_plan(folder / "plan.csv")
