"""A LEGUS catalogue saved by Windows Notepad (UTF-8 with a byte-order mark, CRLF) is read as LEGUS.

Before: the byte-order mark stuck to the first id, so the first line was no longer all numbers: a
`.tab` or `.txt` copy was read as a generic table (columns col1 .. col36) and `starclass info` refused
it, exit 2, with "required column 'id' missing ... name a column 'id' in the file". Now the mark is
skipped, as the CSV readers skip it, and the copy reads as the original.
"""

from __future__ import annotations

import pytest

from starclass.io.catalog import guess_format, read_catalog
from test_io_legus import _line, _standard_row, invoke


@pytest.mark.parametrize("name", ["hlsp_legus_hst_wfc3_ngcb_multiband_v1_padagb-mwext-avgapcor.tab", "field.txt"])
def test_a_byte_order_mark_does_not_hide_the_layout(tmp_path, name):
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((1, 1.0), (2, 2.333), (4, 3.667), (0, 0.0)), 1)]
    p = tmp_path / name
    p.write_bytes(b"\xef\xbb\xbf" + "".join(_line(r) + "\r\n" for r in rows).encode("ascii"))
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t["id"].tolist() == [1, 2, 3, 4] and t["class_ref"].tolist() == [1, 2, 4, 0]
    assert t.meta["legus_layout"] == "standard" and t["class_human_mean"].tolist()[1] == 2.333
    res = invoke("info", str(p))
    assert res.exit_code == 0 and "format LEGUS" in res.output, res.output
    assert "association): 0  4 (artefact / non-cluster): 1" in res.output, res.output
