"""train's and classify's summary lines count members in words, and leave out an empty "left out".

The user walk of 2026-12-07 read ``trained 1 member(s) of task 'm31-real' ... (0 without an output class left
out) in 96.1 s`` and ``classified 869 cutouts ... (1 member(s))``: the count is known, so it is said as one
(``1 member``, ``3 members``), and a run that left no candidate out says nothing of it.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()


def test_one_member_is_said_so_and_nothing_left_out_is_not_said(tmp_path, single_thread):
    labels = write_noise_cutout_folder(tmp_path / "cut", 16, n=12)
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    trained = runner.invoke(app, ["train", "--stamps", str(labels), "--task", str(tmp_path / "t.yaml"),
                                  "--no-progress", "--device", "cpu", "-o", str(tmp_path / "m")])
    assert trained.exit_code == 0, trained.output
    line = next(ln for ln in trained.stdout.splitlines() if ln.startswith("trained "))
    assert line.startswith("trained 1 member of task 't16' on cpu"), line
    assert "member(s)" not in line and "left out" not in line, line
    classified = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(tmp_path / "m"),
                                     "--no-progress", "--device", "cpu", "-o", str(tmp_path / "c.csv")])
    assert classified.exit_code == 0, classified.output
    line = next(ln for ln in classified.stdout.splitlines() if ln.startswith("classified "))
    assert "(1 member)" in line and "member(s)" not in line, line
