"""classify says the conformal sets' "too few calibration rows" warning under its line on the sets, not first.

Found walking the volunteers block of docs/uncertainty.md (2026-12-07): the warning came before the
"classified ..." line, while the classification was still to be reported, and read as a trouble of the
classification itself; it qualifies the pred_set column, which the line "conformal sets at 90% coverage: ..."
describes.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app

runner = CliRunner()


def test_the_sets_warning_follows_the_line_on_the_sets(toy_trust_model, tmp_path):
    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 12, seed=13)
    # 99% coverage needs 99 calibration rows of each class: the toy model's validation split has far fewer
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(root / "model"), "-o", str(tmp_path / "c.ecsv"), "--no-progress",
                              "--device", "cpu", "--coverage", "0.99"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    warned = [i for i, ln in enumerate(lines) if ln.startswith("warning: conformal sets at coverage 0.99: too few")]
    assert len(warned) == 1, res.output
    classified = next(i for i, ln in enumerate(lines) if ln.startswith("classified "))
    sets = next(i for i, ln in enumerate(lines) if "conformal sets at 99% coverage:" in ln)
    assert classified < sets and warned[0] == sets + 1, res.output
