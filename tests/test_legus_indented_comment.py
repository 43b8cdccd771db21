"""An indented ``#`` comment above a LEGUS catalogue's rows is a comment, as every reader has it.

Before: the format guess (``guess_format`` and its LEGUS look) skipped only ``#`` lines that start at
the first character, where the CSV, whitespace and LEGUS readers skip a line whose first non-blank
character is ``#``. A ``.tab`` (or a CSV copy) with ``   # note`` above its rows was taken for a table
with a header line, read as a generic table (columns ``col1`` ..) and refused by ``info`` with
"required column 'id' missing". Now the guess uses the readers' rule (``is_comment_line``).
"""

from __future__ import annotations

import pytest

from starclass.io.catalog import guess_format, read_catalog
from test_io_legus import _line, _standard_row, invoke

ROWS = [_standard_row(i, c, m) for i, (c, m) in enumerate(((1, 1.0), (2, 2.333), (4, 3.667), (0, 0.0)), 1)]


@pytest.mark.parametrize("comment", ["   # note by hand", "\t# exported", " #"])
@pytest.mark.parametrize("name,sep", [("hlsp_legus_hst_wfc3_ngcb_multiband_v1_padagb-mwext-avgapcor.tab", None),
                                      ("field.txt", None), ("field.csv", ",")])
def test_an_indented_comment_does_not_hide_the_layout(tmp_path, comment, name, sep):
    lines = [_line(r) if sep is None else sep.join(_line(r).split()) for r in ROWS]
    p = tmp_path / name
    p.write_text(comment + "\n" + "\n".join(lines) + "\n")
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t["id"].tolist() == [1, 2, 3, 4] and t["class_ref"].tolist() == [1, 2, 4, 0]
    res = invoke("info", str(p))
    assert res.exit_code == 0 and "format LEGUS" in res.output, res.output
    assert "association): 0  4 (artefact / non-cluster): 1" in res.output, res.output


def test_a_header_line_below_an_indented_comment_is_no_legus_file(tmp_path):
    # a .tab with a header of its own is a generic whitespace table: the comment above it changes nothing
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcb_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("   # my own columns\nid x y class\n1 10.5 20.0 1\n2 30.0 40.0 4\n")
    assert guess_format(p) == "ascii"
    t = read_catalog(p)
    assert t["id"].tolist() == [1, 2] and t["class_ref"].tolist() == [1, 4]


def test_the_comment_rule():
    from starclass.io.catalog import is_comment_line

    assert is_comment_line("  # a") and is_comment_line("#") and is_comment_line("\t#1 2 3")
    assert not is_comment_line("1 # 2") and not is_comment_line("") and not is_comment_line("id,#x")
