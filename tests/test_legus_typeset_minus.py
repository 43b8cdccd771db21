"""A LEGUS catalogue with a typeset minus sign (U+2212, copied from a paper's table) reads as LEGUS.

Before: the format guess looked at the file's first bytes as latin-1, where U+2212 is three characters and no
minus, and the LEGUS tokens took it for no number either: a copy whose Dec (or any value) was written with it
was taken for a table with a header line, read as columns col1 .. col36 and refused by ``info`` with
"required column 'id' missing". Now the head is read as UTF-8 and a U+2212 is a minus in a LEGUS line.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.io.catalog import guess_format, read_catalog
from test_io_legus import _line, _standard_row, invoke

MINUS = "\u2212"


@pytest.mark.parametrize("name,sep", [("hlsp_legus_hst_wfc3_ngcb_multiband_v1_padagb-mwext-avgapcor.tab", None),
                                      ("field.txt", None), ("field.csv", ",")])
def test_a_typeset_minus_is_a_minus(tmp_path, name, sep):
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((1, 1.0), (2, 2.333), (4, 3.667)), 1)]
    lines = [_line(r) if sep is None else sep.join(_line(r).split()) for r in rows]
    dec = [float(_line(r).split()[4]) for r in rows]
    assert all(d < 0 for d in dec)  # the rows' Dec is negative: written with a typeset minus below
    p = tmp_path / name
    p.write_text("\n".join(ln.replace("-", MINUS) for ln in lines) + "\n", encoding="utf-8")
    assert MINUS in p.read_text(encoding="utf-8")
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t["id"].tolist() == [1, 2, 3] and t["class_ref"].tolist() == [1, 2, 4]
    assert np.allclose(np.asarray(t["dec"], dtype=float), dec)
    res = invoke("info", str(p))
    assert res.exit_code == 0 and "format LEGUS" in res.output, res.output
