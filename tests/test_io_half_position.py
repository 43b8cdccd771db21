"""A catalogue with only one of x, y (and ra, dec): refused naming the missing column.

Before, ``starclass info NGC1566.tab --map foo=3`` (column 3 is y) and ``info`` of a CSV with
``id, x, ra, dec`` ended in a traceback (``KeyError: 'y'``): the reader accepted half a pixel
position as a sky-only table and the summary read y beside x.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

runner = CliRunner()


def test_half_position_csv_is_refused_naming_the_column(tmp_path):
    p = tmp_path / "half.csv"
    p.write_text("id,x,ra,dec\n1,3.0,10.0,20.0\n2,4.0,10.1,20.1\n")
    with pytest.raises(StarclassError, match="column 'y' missing .*half.csv but 'x' is there"):
        read_catalog(p, require_xy=False)
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 2 and "'y' missing" in res.output and "Traceback" not in res.output


def test_sky_only_csv_still_read(tmp_path):
    p = tmp_path / "sky.csv"
    p.write_text("id,ra,dec\n1,10.0,20.0\n2,10.1,20.1\n")
    assert len(read_catalog(p, require_xy=False)) == 2


def test_legus_map_renaming_y_is_refused(legus_tab):
    res = runner.invoke(app, ["info", str(legus_tab), "--map", "foo=3"])
    assert res.exit_code == 2, res.output
    assert "'y' missing" in res.output and legus_tab.name in res.output


def test_info_dir_says_how_many_hybrid_classes_no_person_gave(legus_tab):
    # NGC 1566's "inspected" 2451 counted the rows classified by the machine-learning classifier alone
    res = runner.invoke(app, ["info", str(legus_tab.parent)])
    assert res.exit_code == 0, res.output
    t = read_catalog(legus_tab)
    done = np.asarray(t["class_ref"]) > 0
    ml = int(np.sum(done & (np.asarray(t["class_method"]) == 0)))
    assert f"{legus_tab.name}: 'n_inspected' counts the hybrid class: {ml} of the {int(done.sum())}" in res.output
