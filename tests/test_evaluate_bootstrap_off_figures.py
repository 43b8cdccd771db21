"""``evaluate --bootstrap 0`` prints every figure ``--bootstrap N`` prints, only without the intervals.

Until 2026-12-06 the first detail line of each merge kept the balanced accuracy alone with the bootstrap off
("2class: balanced accuracy 0.884 (200 objects)"): the accuracy was printed only beside its interval.
"""

from __future__ import annotations

import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()

#: a bootstrap interval as the detail lines print it, " [0.851, 0.920]"
INTERVAL = re.compile(r" \[-?\d+\.\d+, -?\d+\.\d+\]")


def _catalogues(tmp_path):
    rng = np.random.default_rng(3)
    n = 160
    ref = rng.integers(1, 3, n)
    p1 = np.clip(np.where(ref == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    pos = {"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n)}
    Table({**pos, "class_pred": np.where(p1 > 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1}).write(
        tmp_path / "pred.ecsv")
    Table({**pos, "class_ref": ref}).write(tmp_path / "truth.ecsv")
    return tmp_path / "pred.ecsv", tmp_path / "truth.ecsv"


def _figures(output: str) -> list[str]:
    """The detail lines with their intervals taken out, less the notes about the intervals themselves."""
    return [INTERVAL.sub("", line) for line in output.splitlines()
            if line.startswith("  ") and "interval" not in line]


def test_bootstrap_off_keeps_every_figure(tmp_path):
    pred, truth = _catalogues(tmp_path)
    outs = {}
    for n_boot in ("0", "20"):
        res = runner.invoke(app, ["evaluate", str(pred), "-r", str(truth), "--bootstrap", n_boot, "--no-science",
                                  "-o", str(tmp_path / f"ev{n_boot}")])
        assert res.exit_code == 0, res.output
        outs[n_boot] = res.output
    assert not INTERVAL.search("\n".join(_figures(outs["0"])))  # no interval without resamples
    assert INTERVAL.search(outs["20"])
    assert _figures(outs["0"]) == _figures(outs["20"])
    acc = float(np.mean(Table.read(pred)["class_pred"] == Table.read(truth)["class_ref"]))
    assert f"2class: accuracy {acc:.3f}, balanced accuracy" in outs["0"]
