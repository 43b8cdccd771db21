"""A LEGUS catalogue saved from a spreadsheet as CSV (commas, no header line) reads as LEGUS.

Before: `starclass info ngc.csv` took its first row for a header and refused it, exit 2: "required
column 'id' missing in ngc.csv (columns: 1, 3839.345, 3883.250, ...); name a column 'id' in the file",
and a `.tab` of commas was read as one column per line. Now a line of 34-60 comma-separated numbers
is a LEGUS row, as its whitespace-separated original; a CSV with a header is read as before.
"""

from __future__ import annotations

import pytest
from astropy.table import Table

from starclass.io.catalog import guess_format, read_catalog
from test_io_legus import _line, _standard_row, invoke


@pytest.mark.parametrize("name", ["ngc.csv", "hlsp_legus_hst_wfc3_ngcc_multiband_v1_padagb-mwext-avgapcor.tab"])
def test_a_comma_separated_copy_reads_as_the_original(tmp_path, name):
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((1, 1.0), (3, 2.667), (4, 4.0)), 1)]
    p = tmp_path / name
    p.write_text("".join(_line(r).replace(" ", ",") + "\r\n" for r in rows))
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t["class_ref"].tolist() == [1, 3, 4] and float(t["class_human_mean"][1]) == 2.667
    assert float(t["ci"][0]) == 1.5 and float(t["x"][0]) == 10.0  # 1-based 11 in the file
    res = invoke("info", str(p))
    assert res.exit_code == 0 and "format LEGUS" in res.output, res.output


def test_a_csv_with_a_header_is_no_legus_file(tmp_path):
    p = tmp_path / "cat.csv"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0]}).write(p)
    assert guess_format(p) == "csv" and read_catalog(p)["id"].tolist() == [1, 2]
