"""evaluate/report on a LEGUS file whose layout does not say which column is the class (NGC 3351, 4242, 45).

Before: ``evaluate ngc45.tab`` said "has no class_pred and no class_ref column: nothing to compare",
``evaluate ngc45.tab --pred-column legus_col35`` the same (though the prediction was given), and
``evaluate PRED -r ngc45.tab`` "... not known (name it in Python with column_map=...; starclass info FILE
--map class_ref=N shows its counts)", none of them naming the option evaluate has for it,
``--reference-column legus_colN``. Each now names it, and that route scores.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from test_io_legus import _line, _standard_row

runner = CliRunner()

CLASSES35 = [1, 2, 3, 4, 0, 2, 3, 1, 4, 4, 1, 2]
NAME = "hlsp_legus_hst_wfc3_ngcu_multiband_v1_padagb-mwext-avgapcor.tab"


def _unknown_class_file(folder):
    # col 34 a 0/1 flag, col 35 the classes, 36-37 flags: 37 columns, the layout NGC 45's is read as
    rows = [_standard_row(i, int(c > 0), float(c), extra=(0, 1)) for i, c in enumerate(CLASSES35, 1)]
    p = folder / NAME
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    return p


def _prediction(folder):
    pred = np.array([1, 2, 3, 3, 1, 2, 3, 1, 4, 1, 1, 2], np.int16)
    n = len(pred)
    i = np.arange(1, n + 1)
    # the reader's x, y: 1-based file positions 10 + i, 20 + i, less 1
    Table({"id": i, "x": 9.0 + i, "y": 19.0 + i, "class_pred": pred}).write(folder / "pred.ecsv")
    return folder / "pred.ecsv", pred


def _run(*args):
    return runner.invoke(app, ["evaluate", *map(str, args), "--no-science", "--bootstrap", "0"])


def test_the_file_alone_names_the_reference_column_option(tmp_path):
    tab = _unknown_class_file(tmp_path)
    res = _run(tab, "-o", tmp_path / "ev")
    assert res.exit_code == 2, res.output
    assert "--reference-column legus_colN" in res.output and "legus_col34-37" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()


def test_a_pred_column_is_not_said_to_be_missing(tmp_path):
    tab = _unknown_class_file(tmp_path)
    res = _run(tab, "--pred-column", "legus_col35", "-o", tmp_path / "ev")
    assert res.exit_code == 2, res.output
    assert "no class_pred" not in res.output and "has no class_ref column" in res.output
    assert "--reference-column legus_colN" in res.output


def test_as_a_reference_it_names_the_option_and_the_option_scores(tmp_path):
    tab = _unknown_class_file(tmp_path)
    pred_path, pred = _prediction(tmp_path)
    res = _run(pred_path, "-r", tab, "-o", tmp_path / "ev")
    assert res.exit_code == 2, res.output
    assert f"-r {NAME} --reference-column legus_colN" in " ".join(res.output.split())
    res = _run(pred_path, "-r", tab, "--reference-column", "legus_col35", "-o", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    ref = np.asarray(CLASSES35)
    scored = ref > 0
    want = np.mean(pred[scored] == ref[scored])
    summary = Table.read(next((tmp_path / "ev" / "tables").glob("summary_*.ecsv")))
    assert float(summary["accuracy"][summary["merge"] == "4class"][0]) == pytest.approx(want)


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc45_names_its_columns(tmp_path):
    tab = next((SHARED_DATA / "legus").glob("*_ngc45_*.tab"))
    res = _run(tab, "-o", tmp_path / "ev")
    assert res.exit_code == 2
    assert "--reference-column legus_colN (legus_col34-37 here" in " ".join(res.output.split())
