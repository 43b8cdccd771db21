"""The CSVs read with the csv module take spreadsheet exports as the catalogue reader does.

Excel's "CSV UTF-8" starts with a byte-order mark, and in locales with a decimal comma it
separates fields with ';'. The catalogue reader took both (stop 27); the cutout folder's
labels.csv, the survey plan, the --fields list and suggest --labels did not.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from starclass.io.cutout_folders import read_cutout_folder
from starclass.io.fields import read_fields_list
from starclass.survey.plan import read_plan

BOM = "\ufeff"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_dialect(tmp_path, sep, bom):
    from starclass.io.catalog import csv_dialect

    f = tmp_path / "t.csv"
    f.write_text((BOM if bom else "") + sep.join(["file", "label"]) + "\n" + sep.join(["a.png", "cluster"]) + "\n",
                 encoding="utf-8")
    assert csv_dialect(f) == ("utf-8-sig", sep)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_cutout_folder_labels_from_a_spreadsheet(tmp_path, sep):
    rng = np.random.default_rng(0)
    names = []
    for i in range(4):
        name = f"c{i}.png"
        Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(tmp_path / name)
        names.append(name)
    labels = ["cluster", "galaxy", "cluster", "galaxy"]
    text = sep.join(["file", "label", "object_id"]) + "\n" + "".join(
        sep.join([n, lab, f"o{i}"]) + "\n" for i, (n, lab) in enumerate(zip(names, labels)))
    (tmp_path / "labels.csv").write_text(BOM + text, encoding="utf-8")
    cs = read_cutout_folder(tmp_path / "labels.csv")
    assert list(cs.table["label"]) == labels
    assert cs.images.shape[0] == 4


def test_fields_list_and_plan_from_a_spreadsheet(tmp_path):
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        (tmp_path / f"{name}.ecsv").touch()
    (tmp_path / "fields.csv").write_text(BOM + "name;mosaics;catalog\nn;north;north.ecsv\ns;south;south.ecsv\n",
                                         encoding="utf-8")
    assert [f.name for f in read_fields_list(tmp_path / "fields.csv")] == ["n", "s"]
    (tmp_path / "plan.csv").write_text(BOM + "name;mosaics\nn;north\ns;south\n", encoding="utf-8")
    assert read_plan(tmp_path / "plan.csv").field_names == ["n", "s"]


@pytest.mark.parametrize("command", [["info"], ["evaluate"], ["report"]])
def test_a_catalogue_in_the_windows_code_page_is_refused_naming_its_line(tmp_path, command):
    # Excel's plain "CSV (Comma delimited)" writes 'é' as the byte 0xe9: the catalogue reader said only
    # "cannot read X as csv: UnicodeDecodeError: ... byte 0xe9 in position 27", where the cutout reader
    # names the line, shows it and says to save as 'CSV UTF-8'; one message for both now
    from typer.testing import CliRunner

    from starclass.cli import app as cli
    from starclass.errors import StarclassError
    from starclass.io.catalog import read_table

    p = tmp_path / "cat.csv"
    p.write_bytes("id,x,y,name\n1,10.5,20.5,café\n2,30,40,b\n".encode("cp1252"))
    with pytest.raises(StarclassError, match=r"cat.csv: line 2 is not UTF-8 text \('1,10.5,20.5,caf\\xe9', "
                                             r"byte 0xe9\).*'CSV UTF-8'"):
        read_table(p)
    result = CliRunner().invoke(cli, [*command, str(p)])
    assert result.exit_code == 2, result.output
    assert "line 2 is not UTF-8 text" in result.output and "CSV UTF-8" in result.output
    assert "Traceback" not in result.output and "position 27" not in result.output


def test_a_text_table_that_is_no_csv_is_not_told_to_be_saved_as_csv(tmp_path):
    # an ECSV in the Windows code page was told "the CSV was saved ... save it as 'CSV UTF-8'": Excel's
    # words for a file that is no CSV; it is named as a file to convert, the line still shown
    from starclass.errors import StarclassError
    from starclass.io.catalog import read_table

    p = tmp_path / "cat.ecsv"
    p.write_bytes("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: id, datatype: int64}\n"
                  "# - {name: name, datatype: string}\nid name\n1 café\n".encode("cp1252"))
    with pytest.raises(StarclassError, match=r"cat.ecsv: line 7 is not UTF-8 text") as err:
        read_table(p)
    assert "CSV" not in str(err.value) and "iconv" in str(err.value)
