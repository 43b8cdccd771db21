"""``evaluate LEGUS.tab --pred-column class_human_mean``: a column the file has, but not a class.

It was refused as "... cannot be scored on it; the columns that can be scored are none", with no reason
given and "none" read as if the file had no class at all (its class_ref is the reference). The error
now says what the column is (the mean of the people's classes, which ``info`` reports as their
disagreement; any other column: not a class column) and "none besides the reference class_ref".
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from test_io_legus import write_mean_class_file  # tests/ is on sys.path under pytest

runner = CliRunner()


def test_the_mean_class_is_named_as_such_and_class_ref_as_the_reference(tmp_path):
    p = write_mean_class_file(tmp_path)
    res = runner.invoke(app, ["evaluate", str(p), "--pred-column", "class_human_mean", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert ("cannot be scored on it (class_human_mean is the mean of the people's classes, such as 2.333, not a "
            "class: how much they disagreed, which 'starclass info FILE' reports)") in res.output
    assert "the columns that can be scored are none besides the reference class_ref" in res.output
    assert not (tmp_path / "ev").exists()


def test_another_column_is_said_not_to_be_a_class(tmp_path):
    p = write_mean_class_file(tmp_path)
    res = runner.invoke(app, ["evaluate", str(p), "--pred-column", "ci", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "cannot be scored on it (ci is not a class column)" in res.output, res.output
