"""``starclass classify -o EXISTING`` names a bad input before it asks for ``--overwrite``.

Before, ``classify --stamps missing.csv -o old.csv`` said "--output old.csv exists; give
--overwrite to replace it"; only the re-run with ``--overwrite`` said that the cutout list is not
there (calibrate had the same order until 4b91dc0). Nothing is written either way.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("case", ["missing stamps", "missing catalogue"])
def test_a_bad_input_is_named_before_the_overwrite_question(toy_trust_model, tmp_path, case):
    old = tmp_path / "old.csv"
    old.write_text("id,class_pred\n1,1\n")
    model = toy_trust_model[0] / "model"  # a real model: the bad input is the cutouts or the catalogue
    if case == "missing stamps":
        args, says = ["--stamps", str(tmp_path / "missing.csv")], "missing.csv: no such file"
    else:
        (tmp_path / "mos").mkdir()
        args, says = [str(tmp_path / "mos"), "--catalog", str(tmp_path / "missing.ecsv")], "missing.ecsv"
    res = runner.invoke(app, ["classify", *args, "--model", str(model), "-o", str(old), "--device", "cpu"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert says in out and "--overwrite" not in out, res.output
    assert old.read_text() == "id,class_pred\n1,1\n"  # nothing written


def test_good_inputs_without_overwrite_are_still_refused(toy_trust_model, tmp_path):
    """Guard: with every input good, an existing output is still refused without --overwrite
    (asked now after the inputs are read, before the classification) and left as it was."""
    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest

    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path / "field", 20, seed=23)
    old = tmp_path / "old.csv"
    old.write_text("x\n")
    res = runner.invoke(app, ["classify", str(tmp_path / "field" / "mos"), "--catalog",
                              str(tmp_path / "field" / "held.ecsv"), "--model", str(root / "model"), "-o", str(old),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "exists; give --overwrite to replace it" in " ".join(res.output.split()), res.output
    assert old.read_text() == "x\n"


def test_an_output_that_is_an_input_is_refused_first(tmp_path):
    """Guard: an output that is one of the inputs is still refused before anything is read."""
    old = tmp_path / "old.csv"
    old.write_text("x\n")
    res = runner.invoke(app, ["classify", "--stamps", str(old), "--model", str(tmp_path / "m"), "-o", str(old),
                              "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "is one of the command's inputs" in " ".join(res.output.split()), res.output
    assert old.read_text() == "x\n"
