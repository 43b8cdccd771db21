"""classify says that it makes the conformal sets after its bar's last view.

The sets of a calibrated model are fitted after the classification's bar has ended, and their library
(crepes, with scipy.stats and pandas) loads then: 2-3 s without a word on a loaded machine, after
``... 1560 of 1560 views (100%)`` (``benchmarks/classify_stages.py``). A line now says what is happening.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def test_classify_says_it_makes_the_conformal_sets_after_its_bar(tmp_path, single_thread) -> None:
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 12, seed=3)
    model = write_untrained_model(tmp_path / "model", cfg, seed=0)
    held = str(tmp_path / "held.ecsv")
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", held, "--device", "cpu",
                              "--overwrite"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "-c", held, "--model", str(model), "--tta",
                              "--device", "cpu", "-o", str(tmp_path / "out.ecsv")])  # no terminal: the timed lines
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    end = [i for i, ln in enumerate(lines) if re.search(r"classify \(.+\): 96 of 96 views \(100%\)", ln)]
    sets = [i for i, ln in enumerate(lines)
            if "classify: making the conformal sets (90% coverage) from the model's 12 held-out rows" in ln]
    assert len(end) == 1 and len(sets) == 1, res.stderr
    assert sets[0] > end[0]  # said after the bar's last view, before the sets are fitted



def test_the_conformal_line_says_the_coverage_with_its_digits(tmp_path, single_thread) -> None:
    """``classify --coverage 0.875`` said "making the conformal sets (88% coverage)" and then "conformal sets
    at 87.5% coverage" (the user walk of 2026-12-07): the start line now gives the coverage as the result does."""
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 12, seed=3)
    model = write_untrained_model(tmp_path / "model", cfg, seed=0)
    held = str(tmp_path / "held.ecsv")
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", held, "--device", "cpu",
                              "--overwrite"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "-c", held, "--model", str(model), "--coverage",
                              "0.875", "--device", "cpu", "-o", str(tmp_path / "out.ecsv")])
    assert res.exit_code == 0, res.output
    start = [ln for ln in res.stderr.splitlines() if "classify: making the conformal sets" in ln]
    assert len(start) == 1 and "(87.5% coverage)" in start[0], res.stderr
    assert "88%" not in res.output, res.output
