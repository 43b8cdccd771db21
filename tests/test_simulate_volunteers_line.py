"""``simulate --preset galaxy-cluster`` says what it wrote for its volunteers (2026-12-07).

Walking docs/seed_simulators.md: the volunteers are on by default (10 per candidate) and write six columns of
``labels.csv`` (a ``consensus`` to train on) and a section of ``simulation.json``, but ``simulate`` printed
nothing of them. One line now says how many per candidate, the columns written, the consensus's agreement
with the experts' label (from ``simulation.json``) and how to train on it; ``--volunteers 0`` says none.
"""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _run(out, *extra):
    res = runner.invoke(app, ["simulate", str(out), "--preset", "galaxy-cluster", "--n", "12", "--size", "32",
                              "--no-progress", *extra])
    assert res.exit_code == 0, res.output
    return [ln.strip() for ln in res.output.splitlines() if ln.strip().startswith("volunteers:")]


def test_the_volunteers_and_their_columns_are_named(tmp_path):
    out = tmp_path / "gc"
    said = _run(out, "--volunteers", "4")
    assert len(said) == 1, said
    line = said[0]
    with open(out / "labels.csv", newline="") as fh:
        cols = next(csv.reader(fh))
    for c in ("consensus", "consensus_fraction", "vote_fraction", "gold", "volunteer_ids", "volunteer_votes"):
        assert c in cols and c in line, (c, line)
    assert line.startswith("volunteers: 4 per candidate from a pool of 40"), line
    vol = json.loads((out / "simulation.json").read_text())["volunteers"]
    assert f"on {100 * vol['consensus_agrees_with_experts']:.0f}% of candidates" in line, line
    assert "--label-column consensus" in line


def test_no_volunteers_says_so(tmp_path):
    said = _run(tmp_path / "gc0", "--volunteers", "0")
    assert said == ["volunteers: none simulated (--volunteers 0): no consensus, vote or gold columns in labels.csv; "
                    "leave --volunteers out for the preset's 10 per candidate"], said


def test_other_presets_say_nothing_of_volunteers(tmp_path):
    res = runner.invoke(app, ["simulate", str(tmp_path / "cc"), "--preset", "cool-core", "--n", "6", "--size", "32",
                              "--no-progress"])
    assert res.exit_code == 0 and "volunteers" not in res.output, res.output
