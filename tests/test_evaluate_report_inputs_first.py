"""``starclass evaluate`` and ``report`` with an existing output name a missing input before asking for ``--overwrite``.

Before, ``evaluate X.csv -r nothere.csv -o EXISTING_DIR`` said "--output ... exists; give
--overwrite to replace it"; only the re-run with ``--overwrite`` said that the reference was not
there (classify and calibrate had the same order until 0e0b76f and 4b91dc0). Nothing is written
either way.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()

PRED = "id,x,y,class_pred,prob_1,prob_2,prob_3,prob_4\n1,10.0,10.0,1,0.7,0.1,0.1,0.1\n"


def _pred(tmp_path):
    path = tmp_path / "pred.csv"
    path.write_text(PRED)
    return path


def _invoke(args):
    res = runner.invoke(app, args)
    return res, " ".join(res.output.split())


@pytest.mark.parametrize("case", ["reference", "model", "pred", "catalogs"])
def test_evaluate_names_a_missing_input_before_the_overwrite_question(tmp_path, case):
    pred = _pred(tmp_path)
    old = tmp_path / "evaluation"
    old.mkdir()
    (old / "summary.json").write_text("{}")
    missing = tmp_path / "nothere.csv"
    args, says = {
        "reference": ([str(pred), "-r", str(missing)], f"--reference {missing}: no such file or directory"),
        "model": ([str(pred), "-r", "self", "--model", str(missing)], f"--model {missing}: no such file"),
        "pred": ([str(missing)], f"PRED {missing}: no such file or directory"),
        "catalogs": (["--catalogs", str(missing)], f"--catalogs {missing}: no such file or directory"),
    }[case]
    res, out = _invoke(["evaluate", *args, "-o", str(old)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert says in out and "--overwrite" not in out, res.output
    assert [p.name for p in old.iterdir()] == ["summary.json"] and (old / "summary.json").read_text() == "{}"


@pytest.mark.parametrize("case", ["reference", "stamps", "model", "mosaics"])
def test_report_names_a_missing_input_before_the_overwrite_question(tmp_path, case):
    pred = _pred(tmp_path)
    old = tmp_path / "old.html"
    old.write_text("<html>")
    missing = tmp_path / "nothere.csv"
    args, says = {
        "reference": (["-r", str(missing)], f"--reference {missing}: no such file or directory"),
        "stamps": (["--stamps", str(missing)], f"--stamps {missing}: no such file or directory"),
        "model": (["--model", str(missing)], f"--model {missing}: no such file or directory"),
        "mosaics": (["--model", str(tmp_path), "--mosaics", str(missing)], f"--mosaics {missing}: no such file"),
    }[case]
    res, out = _invoke(["report", str(pred), *args, "-o", str(old)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert says in out and "--overwrite" not in out, res.output
    assert old.read_text() == "<html>" and not (tmp_path / "tables").exists()


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_good_inputs_without_overwrite_are_still_refused(tmp_path, command):
    """Guard: with every input there, an existing output is still refused without --overwrite."""
    pred = _pred(tmp_path)
    if command == "evaluate":
        old = tmp_path / "evaluation"
        old.mkdir()
        (old / "summary.json").write_text("{}")
    else:
        old = tmp_path / "old.html"
        old.write_text("<html>")
    res, out = _invoke([command, str(pred), "-r", "self", "-o", str(old)])
    assert res.exit_code == 2, res.output
    assert "exists; give --overwrite to replace it" in out, res.output


def test_an_unreadable_input_is_named(tmp_path, monkeypatch):
    """A file the user may not read is named as such (os.access answers "no"; root reads everything,
    so the refusal is simulated for the one file)."""
    from starclass.io.paths import check_inputs_readable

    pred = _pred(tmp_path)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(pred) else real(p, mode))
    with pytest.raises(StarclassError, match=r"^PRED .*pred\.csv: no permission to read it$"):
        check_inputs_readable([("PRED", pred)])
