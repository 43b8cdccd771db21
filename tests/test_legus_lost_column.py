"""A LEGUS .tab that lost (or gained) one of columns 1-33 is refused, not read shifted.

Before: NGC 628-C without its column 10 (34 columns) was read as a 'standard' file: magnitudes from
their errors, the CI from the ages ("ci: 0.000 / 0.000 / 0.000"), the class from the class mean (595
classified instead of 1559, under a warning that the class "is column 34", the column just read),
exit 0. Now `starclass info` says which column holds what it cannot hold, on which line, and that
a column is missing or added before column 34 (exit 2); a file that lost its class column (34) is
read with a warning that says so.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row, invoke

LEGUS_DIR = SHARED_DATA / "legus"


def _write(path, drop: int | None, classes=(1, 2, 3, 4, 2), means=(1.0, 2.333, 3.0, 3.667, 2.0)):
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(zip(classes, means, strict=True), 1)]
    if drop is not None:
        rows = [r[:drop - 1] + r[drop:] for r in rows]  # the 1-based column ``drop`` lost
    path.write_text("\n".join(_line(r) for r in rows) + "\n")
    return path


def test_the_intact_file_reads(tmp_path):
    t = read_catalog(_write(tmp_path / "hlsp_legus_hst_wfc3_ngca_multiband_v1_padagb-mwext-avgapcor.tab", None))
    assert t["class_ref"].tolist() == [1, 2, 3, 4, 2] and float(t["ci"][0]) == 1.5


def test_a_lost_magnitude_column_is_refused_naming_the_column_and_line(tmp_path):
    p = _write(tmp_path / "ngc_copy.tab", drop=10)
    with pytest.raises(StarclassError, match=r"ngc_copy.tab, line 1: column 10 holds 0.05, not a magnitude .*"
                                             r"5 of the 5 rows .* a column missing or added before column 34 "
                                             r"shifts the others; this file has 34 columns"):
        read_catalog(p)
    res = invoke("info", str(p))
    assert res.exit_code == 2 and "column 10 holds 0.05" in res.output and "Traceback" not in res.output, res.output


@pytest.mark.parametrize("drop, column", [(5, 6), (16, 32), (33, 33)])
def test_other_lost_columns_are_refused(tmp_path, drop, column):
    # caught at the first column that cannot hold what moved into it. 5: an error in magnitude column 6;
    # 16: these rows' SED columns are 0 (no fit), which the CI, ages and E(B-V) may hold, until the number
    # of filters (5) reaches Q (32); 33: the class (1, 2) moved into the number of filters
    p = _write(tmp_path / "ngc_copy.tab", drop=drop)
    with pytest.raises(StarclassError, match=rf"column {column} holds"):
        read_catalog(p)


def test_a_lost_class_column_is_said_to_be_lost(tmp_path):
    p = _write(tmp_path / "ngc_copy.tab", drop=34)
    with pytest.warns(UserWarning, match=r"in column 34 they mean that the file lost its class column \(it has "
                                         r"34 columns\)"):
        read_catalog(p)


@pytest.mark.skipif(not LEGUS_DIR.is_dir(), reason="needs ../shared/data/legus")
def test_every_shared_file_reads_and_each_lost_column_is_refused(tmp_path):
    import warnings

    files = sorted(LEGUS_DIR.glob("*.tab"))
    assert len(files) == 35
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in files:
            read_catalog(f)
    # a small field holding every class: each of columns 1-33 lost is refused (all 35 files: checked by hand)
    for name in ("ugc695",):
        (src,) = [f for f in files if f"_{name}_" in f.name]
        a = np.loadtxt(src, dtype=str)
        for k in range(1, 34):
            p = tmp_path / f"{name}_without_{k}.tab"
            p.write_text("\n".join(" ".join(r) for r in np.delete(a, k - 1, axis=1)) + "\n")
            with pytest.raises(StarclassError, match=r"a column missing or added before column 34"):
                read_catalog(p)
