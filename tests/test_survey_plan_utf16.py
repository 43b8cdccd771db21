"""A survey plan saved as Excel's "Unicode Text" (UTF-16, tab-separated) is read as a fields list is.

Before: read_plan checked that a CSV plan was UTF-8 before csv_dialect (which reads UTF-16 by its
byte-order mark, as the fields list, cutout lists and catalogues do) saw it, and refused it: "line 1 is
not UTF-8 text ('\\xff\\xfen a m e ...', byte 0xff): the CSV was saved in another encoding". Now a CSV plan
that starts with a UTF-16 byte-order mark is read as UTF-16; one in the Windows code page is still refused.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.survey.plan import read_plan


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_plan_is_read(tmp_path, encoding):
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
    bom = "" if encoding == "utf-16" else "\ufeff"  # Python's utf-16 writes the mark itself
    (tmp_path / "plan.csv").write_bytes((bom + "name\tmosaics\r\nn\tnorth\r\ns\tsouth\r\n").encode(encoding))
    plan = read_plan(tmp_path / "plan.csv")
    assert plan.field_names == ["n", "s"] and plan.fields[1].mosaics == (tmp_path / "south",)


def test_a_plan_in_the_windows_code_page_is_still_refused(tmp_path):
    (tmp_path / "plan.csv").write_bytes("name,mosaics\nchamp_é,field\n".encode("cp1252"))
    with pytest.raises(StarclassError, match="line 2 is not UTF-8 text"):
        read_plan(tmp_path / "plan.csv")
