"""A column map that says two things of one column is refused; a map that moves NGC 1566's class_ref keeps col 34
as ``class_hybrid``.

Before: ``info FILE --map class_ref=36 --map class_ref=35`` read the class from column 35 while its layout line said
"class_ref read from col36" (the later item replaced the earlier one without a word), and ``--map class_ref=35
--map ci=35`` kept ``ci`` alone. On the hybrid layout, ``--map class_ref=36`` (the three people's mode) made
``class_hybrid`` a copy of column 36, not of column 34, so ``evaluate --pred-column class_hybrid`` scored column 36
against itself (accuracy 1.000), and ``info`` counted column 36's classes by column 35's methods ("231 one person
re-classifying a former class 4").
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import ColumnMapError, StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.overview import parse_column_map
from starclass.science.many import parse_field_maps
from test_info_legus_sources import _hybrid_file
from test_io_legus import _line, _standard_row

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("unrendered_figures")  # the printed lines are read, not the figures


def _uncertain_file(folder):
    """37 columns, col 34 only 0/1 (layout 'unknown-class'): col 35 holds classes 1-4, col 36 classes 1-2."""
    rows = [(0, 1, 1, 0), (1, 2, 1, 0), (0, 3, 2, 0), (0, 4, 1, 0), (0, 4, 2, 0), (0, 0, 0, 0)]
    p = folder / "hlsp_legus_hst_wfc3_ngcx_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(_standard_row(i, c, float(m), extra=rest)) for i, (c, m, *rest) in
                           enumerate(rows, 1)) + "\n")
    return p


def test_two_columns_mapped_as_the_class_are_refused(tmp_path):
    p = _uncertain_file(tmp_path)
    res = runner.invoke(app, ["info", str(p), "--map", "class_ref=36", "--map", "class_ref=35"])
    assert res.exit_code == 2, res.output
    assert "--map names two columns as class_ref, 36 and 35" in res.output
    assert "Traceback" not in res.output
    # one of them alone is read as it says (col 35's classes 1-4, not col 36's 1-2)
    res = runner.invoke(app, ["info", str(p), "--map", "class_ref=35"])
    assert res.exit_code == 0, res.output
    assert "class_ref read from col35" in res.output
    assert "4 (artefact / non-cluster): 2" in res.output


def test_one_column_mapped_as_two_things_is_refused(tmp_path):
    res = runner.invoke(app, ["info", str(_uncertain_file(tmp_path)), "--map", "class_ref=35", "--map", "ci=35"])
    assert res.exit_code == 2, res.output
    assert "--map names column 35 twice, as class_ref and as ci" in res.output


def test_parse_column_map_keeps_what_does_not_conflict():
    # the same column twice (35 and col35), and a number and a name for one target (a folder's LEGUS files and
    # its other tables) are no conflict
    assert parse_column_map(["class_ref=35", "class_ref=col35", "Class=class_ref"]) == {
        "35": "class_ref", "Class": "class_ref"}
    with pytest.raises(StarclassError, match="two columns as x, X_IMAGE and XWIN_IMAGE"):
        parse_column_map(["X_IMAGE=x", "XWIN_IMAGE=x"])


def test_field_maps_refuse_two_class_columns_of_one_field():
    with pytest.raises(StarclassError, match="two columns as class_ref, 35 and 36"):
        parse_field_maps(["ngc45:class_ref=35", "ngc45:class_ref=36"])
    # one per field, and the folder's own, are kept
    assert parse_field_maps(["class_ref=34", "ngc45:class_ref=35", "ngc3351:class_ref=35"]) == {
        "": {"34": "class_ref"}, "ngc45": {"35": "class_ref"}, "ngc3351": {"35": "class_ref"}}


def test_read_catalog_refuses_a_python_map_naming_the_class_twice(tmp_path):
    p = _uncertain_file(tmp_path)
    with pytest.raises(ColumnMapError, match="names two columns as class_ref, 36 and 35"):
        read_catalog(p, column_map={"36": "class_ref", "col35": "class_ref"})
    with pytest.raises(ColumnMapError, match="names column 35 twice"):
        read_catalog(p, column_map={"35": "class_ref", "col35": "ci"})


def test_the_hybrid_class_stays_col34_when_class_ref_is_mapped_elsewhere(tmp_path):
    p = _hybrid_file(tmp_path)
    raw = np.loadtxt(p)
    t = read_catalog(p, column_map={"36": "class_ref"})
    np.testing.assert_array_equal(np.asarray(t["class_ref"]), raw[:, 35])
    np.testing.assert_array_equal(np.asarray(t["class_hybrid"]), raw[:, 33])
    assert "legus_col34" not in t.colnames
    res = runner.invoke(app, ["info", str(p), "--map", "class_ref=36"])
    assert res.exit_code == 0, res.output
    # col 35's methods describe col 34 (six classes given), not col 36 (two)
    assert ("class_hybrid by who gave it: 2 the machine-learning class alone (class_method 0), 1 one person's check "
            "of it (1), 1 three people (3)") in res.output
    assert "class_ref by who gave it" not in res.output


def test_ngc1566_hybrid_against_three_people_with_the_map(legus_tab, tmp_path):
    raw = np.loadtxt(legus_tab)
    hybrid, people = raw[:, 33].astype(int), raw[:, 35].astype(int)
    both = (hybrid > 0) & (people > 0)
    same = int(np.sum(hybrid[both] == people[both]))  # 976 of 1061 on the file
    res = runner.invoke(app, ["evaluate", str(legus_tab), "--map", "class_ref=36", "--pred-column", "class_hybrid",
                              "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert f"{int(both.sum())} classified in both" in res.output
    assert f"4class: accuracy {same / both.sum():.3f}" in res.output
    assert same < both.sum()  # the hybrid class is not col 36 itself
