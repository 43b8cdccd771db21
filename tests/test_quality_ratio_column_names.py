"""The Quality Ratio of two columns of one catalogue names its counts by those columns.

``evaluate NGC1566.tab --pred-column class_ml --reference-column class_human_mode`` wrote
``agreement_prediction_class_human_mode.ecsv`` with ``n_class_ml``, ``n_class_human_mode`` but
``quality_ratio.ecsv`` with ``n_prediction``, ``n_reference`` (and ``box_counts_common.ecsv``'s
catalogues ``prediction``, ``reference``): nothing in that table said which count was the machine's.
Both now name the columns.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _one_catalogue_two_columns(path):
    rng = np.random.default_rng(5)
    n = 60
    ml = rng.integers(1, 5, n).astype(np.int16)
    mode = rng.integers(0, 5, n).astype(np.int16)  # 0: the people gave no class
    # every object in box 2 (V-I 0.5, U-B 0.0): its counts are the classes' counts
    v = np.full(n, 22.0)
    t = Table({"id": np.arange(1, n + 1), "x": 10.0 * np.arange(n), "y": np.full(n, 30.0),
               "mag_f336w": v + 0.5, "mag_f438w": v + 0.5, "mag_f555w": v, "mag_f814w": v - 0.5,
               "class_ref": ml, "class_ml": ml, "class_human_mode": mode})
    t.write(path)
    return ml, mode


def test_counts_are_named_by_the_two_columns(tmp_path):
    ml, mode = _one_catalogue_two_columns(tmp_path / "cat.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "--pred-column", "class_ml",
                              "--reference-column", "class_human_mode", "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    q = Table.read(tmp_path / "ev" / "tables" / "quality_ratio.ecsv")
    assert q.colnames[2:4] == ["n_class_ml", "n_class_human_mode"]
    both = (ml > 0) & (mode > 0)
    for k in (1, 2, 3):
        row = q[(q["class"] == str(k)) & (q["box"] == 2)][0]
        assert [int(row["n_class_ml"]), int(row["n_class_human_mode"])] == [int(np.sum(both & (ml == k))),
                                                                             int(np.sum(both & (mode == k)))]
    common = Table.read(tmp_path / "ev" / "tables" / "box_counts_common.ecsv")
    assert list(dict.fromkeys(common["catalogue"])) == ["class_ml", "class_human_mode"]
    # the agreement table of the same run names them alike
    agree = Table.read(tmp_path / "ev" / "tables" / "agreement_cat_class_human_mode.ecsv")
    assert {"n_class_ml", "n_class_human_mode"} <= set(agree.colnames)


def test_catalogues_of_their_own_files_keep_their_names(tmp_path):
    ml, mode = _one_catalogue_two_columns(tmp_path / "cat.ecsv")
    t = Table.read(tmp_path / "cat.ecsv")
    t["class_ref"] = t["class_human_mode"]
    t.write(tmp_path / "people.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "--pred-column", "class_ml", "-r",
                              str(tmp_path / "people.ecsv"), "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    q = Table.read(tmp_path / "ev" / "tables" / "quality_ratio.ecsv")
    # the files' names, the scored one's with its column as its box_counts_cat_class_ml (n_prediction, then n_cat,
    # until 2026-12-07)
    assert q.colnames[2:4] == ["n_cat_class_ml", "n_people"]


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc1566_ml_against_the_three_people(tmp_path, legus_tab):
    res = runner.invoke(app, ["evaluate", str(legus_tab), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--distance", "17.7", "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    q = Table.read(tmp_path / "ev" / "tables" / "quality_ratio.ecsv")
    row = q[(q["class"] == "3") & (q["box"] == 4)][0]
    assert (int(row["n_class_ml"]), int(row["n_class_human_mode"])) == (316, 174)  # docs/evaluation.md
