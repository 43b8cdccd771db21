"""A DS9 region file saved with a byte-order mark, as UTF-16 or with an old Mac's line ends reads as any other.

Before: the regions package read the file itself as UTF-8: Notepad's "UTF-8 with BOM" was refused, "cannot
read pos.reg as a DS9 region file: Unable to parse line "\\ufeff# Region file format: ds9 version 4.1"", a
UTF-16 save ("Unicode") with "'utf-8' codec can't decode byte 0xff in position 0". Now the reader decodes
the file as the CSV readers do (byte-order marks of UTF-8 and UTF-16) and names a line that is no UTF-8.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.regions import read_regions_table

REG = "# Region file format: DS9 version 4.1\nglobal color=green\nimage\ncircle(11.5,21,3) # text={7}\npoint(31,41)\n"


@pytest.mark.parametrize("how", ["bom", "utf16", "crlf", "cr", "bom-crlf"])
@pytest.mark.parametrize("name", ["pos.reg", "pos.txt"])
def test_region_file_saves(tmp_path, how, name):
    text = REG.replace("\n", "\r\n") if how.endswith("crlf") else REG.replace("\n", "\r") if how == "cr" else REG
    data = text.encode("utf-16") if how == "utf16" else ("\ufeff" if how.startswith("bom") else "").encode() + \
        text.encode()
    p = tmp_path / name
    p.write_bytes(data)
    t = read_regions_table(p)
    assert t["x"].tolist() == [10.5, 30.0] and t["y"].tolist() == [20.0, 40.0]
    assert read_catalog(p)["x"].tolist() == [10.5, 30.0]
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "rows: 2" in res.output, res.output


def test_a_region_file_in_the_windows_code_page_is_named_by_its_line(tmp_path):
    p = tmp_path / "pos.reg"
    p.write_bytes(REG.replace("text={7}", "text={café}").encode("cp1252"))
    with pytest.raises(StarclassError, match=r"pos.reg: line 4 is not UTF-8 text"):
        read_regions_table(p)
