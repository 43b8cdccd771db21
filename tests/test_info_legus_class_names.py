"""``info`` of a LEGUS ``.tab`` names its classes, as the scheme does (1 symmetric compact cluster, ...).

Before (found in s83walk's walk of the real files): ``class_ref: 1: 334  2: ...`` by number alone, where a
classified catalogue's counts are named by its task. A LEGUS file's classes are the LEGUS/PHANGS scheme's
(README of the LEGUS data), whose names starclass keeps once (``starclass.schema.CLASS_NAMES``).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.schema import CLASS_NAMES
from test_legus_sed_fit_names import _tab

LEGUS = SHARED_DATA / "legus"


def _class_line(path) -> str:
    res = CliRunner().invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("class_ref:")]
    return line


def test_a_legus_files_class_counts_name_the_classes(tmp_path):
    line = _class_line(_tab(tmp_path))  # two rows of class 1
    assert line.startswith(f"class_ref: 1 ({CLASS_NAMES[1]}): 2  2 ({CLASS_NAMES[2]}): 0  "), line
    assert f"4 ({CLASS_NAMES[4]}): 0  (2 labelled, 0 without a label)" in line, line
    assert CLASS_NAMES[1] == "symmetric compact cluster"  # LEGUS's class 1, as its README names it


def test_another_catalogue_without_a_task_is_still_counted_by_number(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id,x,y,class_ref\n1,10,10,1\n2,20,20,3\n")
    assert _class_line(p).startswith("class_ref: 1: 1  2: 0  3: 1  4: 0"), _class_line(p)


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_ngc1566_counts_are_named():
    (p,) = LEGUS.glob("*_ngc1566_*.tab")
    line = _class_line(p)
    assert f"1 ({CLASS_NAMES[1]}): 477  2 ({CLASS_NAMES[2]}): 404  3 ({CLASS_NAMES[3]}): 692  " \
           f"4 ({CLASS_NAMES[4]}): 878" in line, line
