"""``evaluate`` ends with a 'next:' line, the same inputs as one page with ``starclass report``, as other verbs do.

Found by a user's walk (2026-12-07): evaluate ended "wrote 13 tables and 6 figures under evaluation" with no
next step, where train, classify and cutouts each name the command to run next. The printed command carries
the options evaluate shares with report as the user gave them, and runs as printed.
"""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _classified(path, n: int = 40) -> None:
    rng = np.random.default_rng(3)
    ref = rng.integers(1, 4, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "expert": ref, "class_pred": ref, "class_joint": np.where(rng.random(n) < 0.8, ref, 1)})
    for prefix in ("prob", "prob_joint"):
        p = rng.dirichlet(np.ones(3), n)
        for k in (1, 2, 3):
            t[f"{prefix}_{k}"] = p[:, k - 1]
    t["n_votes"] = np.full(n, 2)
    t.meta["classes"] = [1, 2, 3]
    t.write(path)


def _evaluate(tmp_path) -> list[str]:
    """Run evaluate as a user would; the words of the command its 'next:' line offers."""
    _classified(tmp_path / "out.ecsv")
    task = tmp_path / "task.yaml"
    task.write_text("extends: galaxy-cluster\nname: three\nclasses: [1, 2, 3]\nclass_names: [a, b, c]\n"
                    "positive_class: null\nthreshold: null\n")
    res = runner.invoke(app, ["evaluate", "out.ecsv", "--label-column", "expert", "--pred-column", "class_joint",
                              "--task", "task.yaml", "--bootstrap", "0", "--no-science", "-o", "ev"])
    assert res.exit_code == 0, res.output
    last = res.output.strip().splitlines()[-1]
    assert last.startswith("next: "), res.output
    (command,) = re.findall(r"'(starclass [^']*)'", last)
    return shlex.split(command)[1:]


def test_evaluate_says_the_report_command_with_its_inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    words = _evaluate(tmp_path)
    # the inputs and the shared options as given; evaluate's own (-o) left out. --no-science last: report takes it
    # since 2026-12-07, and the page suggested should skip what evaluate was asked to skip
    # (tests/test_evaluate_next_no_science.py)
    assert words == ["report", "out.ecsv", "--bootstrap", "0", "--task", "task.yaml", "--label-column", "expert",
                     "--pred-column", "class_joint", "--no-science"], words


@pytest.mark.slow  # evaluate and a whole report page: 23 s on the loaded 2-core machine
def test_the_report_command_runs_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, _evaluate(tmp_path))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out_report" / "report.html").is_file()
