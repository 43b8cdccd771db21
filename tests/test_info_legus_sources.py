"""``starclass info`` of one LEGUS file says who gave its hybrid classes and how many rows have an SED fit.

Before: ``info`` of the NGC 1566 file said "2451 classified" and "hybrid: col 34 final hybrid class
(humans or ML, see col 35)", never that 654 of them are the machine-learning class alone (``info``
of the folder did), nor, for any file, how many sources have no SED fit (age, mass, E(B-V) NaN).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from test_io_legus import _line, _standard_row
from test_legus_sed_no_fit import _write

runner = CliRunner()


def _hybrid_file(folder):
    # col 34 the final class, 35 the method, 36 three people's mode, 37 ML, 38 one person's check, 39 re-class
    rows = [(1, 0, 0, 1, 0, 0), (2, 0, 0, 2, 0, 0), (3, 1, 0, 4, 3, 0), (4, 3, 4, 2, 0, 0), (1, 4, 1, 1, 0, 0),
            (2, 6, 0, 4, 0, 2), (0, 0, 0, 0, 0, 0)]
    p = folder / "hlsp_legus_hst_wfc3_ngcy_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(_standard_row(i, c, float(m), extra=rest)) for i, (c, m, *rest) in
                           enumerate(rows, 1)) + "\n")
    return p


def test_who_gave_the_hybrid_classes(tmp_path):
    res = runner.invoke(app, ["info", str(_hybrid_file(tmp_path))])
    assert res.exit_code == 0, res.output
    assert ("class_ref by who gave it: 2 the machine-learning class alone (class_method 0), 1 one person's check of "
            "it (1), 1 three people (3), 1 three people, then one person (4), 1 one person re-classifying a former "
            "class 4 (6)") in res.output


def test_rows_without_an_sed_fit_are_counted(tmp_path):
    res = runner.invoke(app, ["info", str(_write(tmp_path))])
    assert res.exit_code == 0, res.output
    assert "SED fit (age, mass, ebv): 1 of 2 rows (NaN on the other 1)" in res.output


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc1566_and_ugc4305(legus_tab):
    out = runner.invoke(app, ["info", str(legus_tab)]).output
    assert "654 the machine-learning class alone (class_method 0), 653 one person's check of it (1)" in out
    assert "SED fit (age, mass, ebv): 2452 of 2752 rows" in out
    ugc4305 = next((SHARED_DATA / "legus").glob("*_ugc4305_*.tab"))
    assert "SED fit (age, mass, ebv): 2018 of 4848 rows (NaN on the other 2830)" in runner.invoke(
        app, ["info", str(ugc4305)]).output
