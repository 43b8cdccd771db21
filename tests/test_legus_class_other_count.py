"""``info``'s "class values not 0-4 (set to 0)" counts every class column read as 0, not class_ref's alone.

Before: a hybrid file's (NGC 1566's layout) ``class_ml`` 7 and ``class_ml_checked`` -1 were read as 0 with a
warning, but ``meta['class_other']`` counted ``class_ref`` only, so ``info`` said nothing of them (no line
at all where class_ref was clean). Now the count covers them, and the line names the columns.
"""

from __future__ import annotations

import warnings

from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from test_legus_class_out_of_range import _hybrid_file


def test_the_count_covers_the_hybrid_class_columns_read_as_0(tmp_path):
    p = _hybrid_file(tmp_path)  # class_ml 7 (id 104), class_ml_checked -1 (id 107); class_ref clean
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(p)
    assert t.meta["class_other"] == 2, t.meta["class_other"]  # the old code: 0
    assert t.meta["class_other_columns"] == {"class_ml": 1, "class_ml_checked": 1}
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "class values not 0-4 (set to 0): 2 (class_ml 1, class_ml_checked 1)" in res.output, res.output
