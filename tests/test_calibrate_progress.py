"""``starclass calibrate`` shows a progress bar while it classifies the held-out rows, as classify does.

It classified every held-out row (minutes for thousands on a CPU) without a word and had no
``--progress/--no-progress``, where classify, cutouts, train and suggest have one. ``classify --stamps``
took ``--progress`` and ignored it: a cutout folder was classified without a bar.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.fixture()
def model_and_field(tmp_path, single_thread):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 40, seed=21)
    return write_untrained_model(tmp_path / "model", cfg, seed=0), tmp_path


def test_calibrate_shows_a_bar_unless_no_progress(model_and_field):
    model, field = model_and_field
    args = ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"), "--device", "cpu",
            "--overwrite"]
    res = runner.invoke(app, [*args, "--progress"])  # the runner's stderr is no terminal: no bar unless asked
    assert res.exit_code == 0, res.output
    bar = "classify (legus4-compact, 1 member): 100%"
    assert bar in res.output and "40/40" in res.output, res.output
    res = runner.invoke(app, [*args, "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "classify (" not in res.output and "calibrated " in res.output, res.output


def test_classify_stamps_honours_progress(tmp_path, single_thread):
    """classify --stamps took --progress (on by default) and classified the cutouts without a bar."""
    import numpy as np

    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 3):
        (tmp_path / lab).mkdir(exist_ok=True)
        np.save(tmp_path / lab / f"obj{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/obj{i}.npy,{lab}")
    (tmp_path / "cutouts.csv").write_text("\n".join(lines) + "\n")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    args = ["classify", "--stamps", str(tmp_path / "cutouts.csv"), "--model", str(model), "--device", "cpu"]
    res = runner.invoke(app, [*args, "--progress", "-o", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    assert "classify (mine, 1 member): 100%" in res.output and "6/6" in res.output, res.output
    res = runner.invoke(app, [*args, "--no-progress", "-o", str(tmp_path / "b.csv")])
    assert res.exit_code == 0 and "classify (" not in res.output, res.output


def test_calibrate_into_a_log_tells_its_tta_pass_from_the_plain_one(model_and_field):
    """Until 2026-12-06 both passes said 'classify (legus4-compact, 1 member): 0 of 40 candidates ...' in a log:
    the second, under TTA (8x as long), read as the first one said again."""
    import re

    model, field = model_and_field
    res = runner.invoke(app, ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"),
                              "--device", "cpu", "--overwrite"])  # no terminal, no option: the lines
    assert res.exit_code == 0, res.output
    # since 2026-12-07 the TTA pass counts views (8 a candidate): tests/test_tta_progress_per_view.py
    passes = [m["desc"] for m in (re.match(r"^\d\d:\d\d:\d\d (?P<desc>classify \(.+\)): 0 of (40 candidates|320 views)",
                                           ln) for ln in res.stderr.splitlines()) if m]
    assert passes == ["classify (legus4-compact, 1 member)",
                      "classify (legus4-compact, 1 member, TTA: 8 views a candidate)"], res.stderr
