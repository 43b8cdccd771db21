"""``calibrate --bins N`` without ``--method histogram`` is refused, not ignored.

Before, ``calibrate MODEL ... --bins 30`` fitted the default temperature map and never said that
``--bins`` (the histogram map's bins per class) had no effect. It is now refused before anything is
read (exit 2), naming the method that uses it; nothing is written.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("method", [None, "temperature", "vector"])
def test_bins_without_histogram_is_refused(tmp_path, method):
    # refused before the model is read: a folder that is no model shows the order too
    model = tmp_path / "mod èle"
    model.mkdir()
    args = ["calibrate", str(model), "--stamps", str(tmp_path / "held.csv"), "--bins", "30", "--device", "cpu"]
    if method:
        args += ["--method", method]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert "--bins 30 applies to --method histogram" in out
    assert f"not to --method {method or 'temperature'}" in out
    assert list(model.iterdir()) == []


def test_bins_with_histogram_goes_on(tmp_path):
    """Guard: with --method histogram the same --bins passes this check (the next one names the model)."""
    model = tmp_path / "model"
    model.mkdir()
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(tmp_path / "held.csv"), "--bins", "30",
                              "--method", "histogram", "--device", "cpu"])
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    assert "applies to --method histogram" not in out
    assert "no manifest.json" in out
