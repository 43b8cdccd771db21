"""`info` of the expert layout (NGC 4449) says its 5s are "not inspected", not bad class values.

Before: `starclass info ngc4449.tab` printed "class values not 0-4 (set to 0): 1371", as of a damaged
class column, for the expert's own mark of a source not inspected (the README of the LEGUS data).
Now: "not inspected (5 in col 34, the expert's mark; read as 0): 1371"; other values (a 7) are still
counted as not 0-4.
"""

from __future__ import annotations

import warnings

from test_io_legus import _line, _standard_row, invoke


def test_the_experts_fives_are_said_to_be_not_inspected(tmp_path):
    p = tmp_path / "hlsp_legus_hst_acs-wfc3_ngcx_multiband_v2_padagb-mwext-avgapcor.tab"
    # the expert layout: col 34 holds 5; no class mean (col 35 a 0/1 flag)
    p.write_text("\n".join(_line(_standard_row(i, c, 0.0)) for i, c in enumerate((1, 5, 5, 0, 2), 1)) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = invoke("info", str(p))
    assert res.exit_code == 0, res.output
    assert "LEGUS layout: expert" in res.output, res.output
    assert "not inspected (5 in col 34, the expert's mark; read as 0): 2" in res.output, res.output
    assert "class values not 0-4" not in res.output, res.output
    # the expert's 0 is spurious (4)
    assert "compact association): 0  4 (artefact / non-cluster): 1  (3 labelled" in res.output, res.output
