"""A ``nan`` or ``inf`` in a numeric column of a LEGUS file is warned of once, by path, column, rows and line.

Before: a ``nan`` magnitude was read as "not detected" and an ``inf`` CI as "not measured" without a word,
a ``-inf`` magnitude was kept (it passed every ``mag < limit`` cut) and a ``nan`` source id became
-9223372036854775808 in every output. Now one warning per file names the path, each column, how many
rows and the first line, and says what the commands do with the rows; a non-finite id is refused.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row


def _write(tmp_path, edits):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcq_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [[str(v) for v in _line(_standard_row(i, 1 + i % 4, float(1 + i % 4))).split()] for i in range(1, 7)]
    for row, col, text in edits:
        rows[row - 1][col - 1] = text
    p.write_text("# edited copy\n" + "\n".join(" ".join(r) for r in rows) + "\n")
    return p


def _nonfinite_warnings(p):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        t = read_catalog(p)
    return t, [str(w.message) for w in got if "finite number" in str(w.message)]


def test_nonfinite_magnitudes_and_ci_are_warned_of_once_by_column_rows_and_line(tmp_path):
    # rows 2 and 4: V magnitude (col 12) 'nan'; row 3: CI (col 16) 'inf'; row 5: I magnitude (col 14) '-inf'
    p = _write(tmp_path, [(2, 12, "nan"), (4, 12, "nan"), (3, 16, "inf"), (5, 14, "-inf")])
    t, said = _nonfinite_warnings(p)
    assert len(said) == 1, said
    msg = said[0]
    assert msg.startswith(f"{p}: 4 values")
    # the comment line above the rows counted, as an editor counts lines
    assert "column 12 (mag_f555w) on 2 rows, the first at line 3" in msg
    assert "column 14 (mag_f814w) on 1 row, at line 6" in msg
    assert "column 16 (ci) on 1 row, at line 4" in msg
    assert "the rows are kept" in msg and "as not detected in that band" in msg and "a CI as not measured" in msg
    assert len(t) == 6
    assert np.isnan(t["mag_f814w"][4]), "a -inf magnitude must be read as missing, not as the brightest"
    assert np.isnan(t["ci"][2]) and np.isnan(t["mag_f555w"][[1, 3]]).all()


def test_a_clean_file_gives_no_such_warning(tmp_path):
    _, said = _nonfinite_warnings(_write(tmp_path, []))
    assert said == []


def test_a_nonfinite_sed_fit_value_says_the_row_is_left_out_of_the_fits(tmp_path):
    rows = _write(tmp_path, [(1, 20, "nan")])  # col 20: mass
    _, said = _nonfinite_warnings(rows)
    assert len(said) == 1 and "column 20 (mass) on 1 row, at line 2" in said[0]
    assert "an SED-fit figure as not fitted" in said[0]


def test_a_nonfinite_id_is_refused_with_its_line(tmp_path):
    p = _write(tmp_path, [(3, 1, "nan")])
    with pytest.raises(StarclassError, match=r"line 4: column 1 \(the source id\) holds nan"):
        read_catalog(p)
