"""NGC 1566's hybrid class is column 39 (``class_reclassified``) on its 314 flag-6 rows.

The hybrid col 34 was known to follow col 37 (flag 0), col 38 (flag 1) and col 36 (flags 3, 4); on
the 314 rows of flag 6 (a former class 4 re-classified by one person) it equals col 39 on every row,
which nothing said: ``evaluate NGC1566.tab --pred-column class_reclassified`` against ``class_ref``
had 314 of its 738 rows agree by construction with no note (the other columns get one), and
``hybrid_check`` / ``benchmarks/io_legus_check.py`` listed three flags. Both now include flag 6.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import hybrid_self_note
from starclass.io.catalog import read_catalog
from starclass.science.validation import hybrid_check


def _table():
    return Table({"class_ref": [1, 2, 3, 4, 2], "class_method": [0, 1, 3, 6, 6],
                  "class_human_mode": [0, 0, 3, 0, 0], "class_ml": [1, 3, 2, 4, 1],
                  "class_ml_checked": [0, 2, 0, 0, 0], "class_reclassified": [0, 0, 0, 4, 2]})


def test_the_note_and_the_check_know_flag_6():
    t = _table()
    note = hybrid_self_note(t, "class_reclassified")
    assert note is not None and note.startswith("note: class_ref, the hybrid class, is class_reclassified itself "
                                                "on 2 rows (class_method 6)")
    assert hybrid_check(t).meta["class_ref_follows_method"][(6,)] == (2, 2)


def test_on_the_real_ngc1566_file(legus_tab, tmp_path):
    t = read_catalog(legus_tab)
    checks = hybrid_check(t).meta["class_ref_follows_method"]
    assert checks[(6,)] == (314, 314)
    raw = np.loadtxt(legus_tab)
    assert int(np.sum(raw[:, 34] == 6)) == 314 and np.array_equal(raw[raw[:, 34] == 6, 33], raw[raw[:, 34] == 6, 38])
    res = CliRunner().invoke(app, ["evaluate", str(legus_tab), "--pred-column", "class_reclassified", "--bootstrap",
                                   "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "class_ref, the hybrid class, is class_reclassified itself on 314 rows (class_method 6)" in res.output
