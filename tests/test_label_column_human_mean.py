"""``evaluate LEGUS.tab --label-column class_human_mean``: the people's mean class is said to be one, as
``--pred-column class_human_mean`` says.

Until 2026-12-06 it was refused only at its first mean that is no whole class ("row 1 has label '2.333', not
a whole class number (task '(unnamed)' has no label_map ...)"), which sent the user to label maps and did not
say what the column is; a file whose means were all whole would have been scored as if they were classes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from test_io_legus import write_mean_class_file  # tests/ is on sys.path under pytest

runner = CliRunner()
#: What --pred-column class_human_mean says of the column (tests/test_pred_column_not_a_class.py)
WHY = ("(class_human_mean is the mean of the people's classes, such as 2.333, not a class: how much they "
       "disagreed, which 'starclass info FILE' reports)")
LEGUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_the_mean_class_as_labels_is_named_as_the_mean(tmp_path, command):
    p = write_mean_class_file(tmp_path)
    out = tmp_path / ("ev" if command == "evaluate" else "r.html")
    res = runner.invoke(app, [command, str(p), "--label-column", "class_human_mean", "--pred-column", "class_ref",
                              "-o", str(out), "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert f"--label-column 'class_human_mean': {p} cannot be scored against it {WHY}" in res.output, res.output
    assert "class_ref, the reference without --label-column" in res.output, res.output
    assert "not a whole class number" not in res.output and "Traceback" not in res.output, res.output
    assert not out.exists() and not (tmp_path / "tables").exists()


def test_a_mean_of_whole_numbers_is_no_class_either():
    """The means 1 and 3 of the file's last two rows are whole: still no class (2.0 may be a 1 and a 3)."""
    from astropy.table import Table

    from starclass.errors import StarclassError
    from starclass.evaluate.compare import with_label_classes
    from starclass.evaluate.task import EvalTask

    t = Table({"class_pred": [1, 3], "class_ref": [1, 3], "class_human_mean": [1.0, 3.0]})
    with pytest.raises(StarclassError, match="is the mean of the people's classes"):
        with_label_classes(t, "class_human_mean", EvalTask.from_classes((1, 2, 3, 4)), "t.ecsv")


@pytest.mark.skipif(not LEGUS.is_dir(), reason="the LEGUS catalogues (../shared/data/legus) are not here")
def test_a_real_legus_file(tmp_path):
    path = next(iter(sorted(LEGUS.glob("*_ic559_*.tab"))), None)
    if path is None:
        pytest.skip("no IC 559 catalogue among the LEGUS files")
    res = runner.invoke(app, ["evaluate", str(path), "--label-column", "class_human_mean", "-o",
                              str(tmp_path / "ev"), "--bootstrap", "0"])
    assert res.exit_code == 2 and WHY in res.output, res.output
    assert not (tmp_path / "ev").exists()
