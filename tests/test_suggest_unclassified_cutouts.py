"""``suggest MODEL CUTOUTS`` on a cutout list not classified yet gives the two commands to run, whole.

Before: "run 'starclass classify --stamps C --model M -o classified.csv', then 'starclass suggest M
classified.csv'": the second command, run as given, stopped with "Missing option '--output'"
and had lost the user's -n and --by. Now both commands are given on lines of their own, the
second with -o and the options given, and they run as printed.

Also: ``suggest --by margin`` on a classification with unclassified rows (cutouts without data:
NaN probabilities) printed "warning: (RuntimeWarning) invalid value encountered in subtract".
"""

from __future__ import annotations

import shlex
import warnings

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset

runner = CliRunner()


def _pool(root):
    """Eight 16 px NPY cutouts, no labels; the first has no data (all NaN), so classify leaves it unclassified."""
    root.mkdir()
    rng = np.random.default_rng(0)
    lines = ["file"]
    for i in range(8):
        img = np.full((16, 16), np.nan) if i == 0 else rng.normal(1.0, 0.3, (16, 16))
        np.save(root / f"c{i}.npy", img.astype(np.float32))
        lines.append(f"c{i}.npy")
    (root / "pool.csv").write_text("\n".join(lines) + "\n")
    return root / "pool.csv"


def test_the_refusal_gives_both_commands_and_they_run_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = write_untrained_model(tmp_path / "m", get_preset("cool-core-compact", stamp_size=16, scales=[1.0]))
    pool = _pool(tmp_path / "pool")
    out = tmp_path / "next.csv"
    res = runner.invoke(app, ["suggest", str(model), str(pool), "-o", str(out), "-n", "3", "--by", "margin",
                              "--device", "cpu"])
    assert res.exit_code == 2 and not out.exists(), res.output
    assert "is not classified" in res.output, res.output
    commands = [line.strip() for line in res.output.splitlines() if line.strip().startswith("starclass ")]
    # the old code: one line, "... then 'starclass suggest M classified.csv'" (no -o, no -n, no --by)
    assert [c.split()[1] for c in commands] == ["classify", "suggest"], res.output
    assert f"-o {out}" in commands[1] and "-n 3" in commands[1] and "--by margin" in commands[1], commands
    for cmd in commands:
        args = shlex.split(cmd)[1:]
        ran = runner.invoke(app, [*args, "--no-progress"] if args[0] == "classify" else args)
        assert ran.exit_code == 0, (cmd, ran.output)
    assert out.is_file()
    # the all-NaN cutout is unclassified (NaN probabilities): ranked by margin without numpy's warning
    assert "RuntimeWarning" not in ran.output, ran.output


def test_margin_of_an_unclassified_row_is_nan_without_a_warning():
    from starclass.suggest.pick import margin

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the old code: RuntimeWarning invalid value encountered in subtract
        got = margin(np.array([[np.nan, np.nan], [0.7, 0.3], [np.nan, 0.4]]))
    assert np.isnan(got[0]) and np.isnan(got[2]) and abs(got[1] - 0.6) < 1e-12


def test_the_rerun_keeps_the_pseudo_label_options(tmp_path):
    model = write_untrained_model(tmp_path / "m", get_preset("cool-core-compact", stamp_size=16, scales=[1.0]))
    pool = _pool(tmp_path / "pool")
    res = runner.invoke(app, ["suggest", str(model), str(pool), "-o", str(tmp_path / "next.csv"), "--pseudo-labels",
                              str(tmp_path / "pseudo.csv"), "--min-confidence", "0.9", "--max-per-class", "4"])
    assert res.exit_code == 2, res.output
    rank = [line.strip() for line in res.output.splitlines() if line.strip().startswith("starclass suggest")]
    # the old code: the rerun printed had lost --pseudo-labels, --min-confidence and --max-per-class
    assert len(rank) == 1 and (f"--pseudo-labels {tmp_path / 'pseudo.csv'} --min-confidence 0.9 --max-per-class 4"
                               in rank[0]), res.output
