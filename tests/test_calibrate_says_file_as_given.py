"""``calibrate`` names the held-out file as the user gave it; the manifest still records it absolute.

Found walking docs/uncertainty.md (2026-12-07): ``starclass calibrate model --stamps held.csv`` printed
"calibrated model on 24 rows of /tmp/run/held.csv ...", a path the user never typed. The manifest's
``"source"`` stays absolute (classify names it from any folder, ``tests/test_cutout_folders.py``).
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset

runner = CliRunner()


def test_calibrate_prints_the_held_out_file_as_typed(tmp_path, monkeypatch, single_thread):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 12):
        (tmp_path / lab).mkdir(exist_ok=True)
        np.save(tmp_path / lab / f"obj{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/obj{i}.npy,{lab}")
    (tmp_path / "held.csv").write_text("\n".join(lines) + "\n")
    write_untrained_model(tmp_path / "m1", get_preset("m31-real").copy(name="mine", stamp_size=16))
    res = runner.invoke(app, ["calibrate", "m1", "--stamps", "held.csv", "--device", "cpu", "--overwrite",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("calibrated ")]
    assert " rows of held.csv " in line and str(tmp_path) not in line, line
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(tmp_path / "held.csv")  # recorded absolute
