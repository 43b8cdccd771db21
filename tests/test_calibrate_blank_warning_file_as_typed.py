"""``calibrate``'s warning of blank held-out rows names the file as typed, as its result line does (2026-12-07).

Walking docs/uncertainty.md: ``calibrate model/ --stamps heldout_labels.csv`` said "1 of the 176 labelled
calibration rows of /tmp/s79walk/split/heldout_labels.csv is a blank (constant) image (row 44): left out" above
"calibrated model on 175 rows of heldout_labels.csv ...": one file under two names. The messages take the
file as typed (``calibrate_model(..., said_as=...)``); the manifest still records it absolute.
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset

runner = CliRunner()


def test_the_blank_row_warning_names_the_file_as_typed(tmp_path, monkeypatch, single_thread):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 12):
        (tmp_path / lab).mkdir(exist_ok=True)
        img = rng.normal(size=(16, 16)).astype(np.float32) if i != 3 else np.zeros((16, 16), np.float32)
        np.save(tmp_path / lab / f"obj{i}.npy", img)
        lines.append(f"{lab}/obj{i}.npy,{lab}")
    (tmp_path / "held.csv").write_text("\n".join(lines) + "\n")
    write_untrained_model(tmp_path / "m1", get_preset("m31-real").copy(name="mine", stamp_size=16))
    res = runner.invoke(app, ["calibrate", "m1", "--stamps", "held.csv", "--device", "cpu", "--overwrite",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    (warned,) = [s for s in res.output.splitlines() if "blank (constant) image" in s]
    assert "1 of the 24 labelled calibration rows of held.csv is a blank" in warned, warned
    assert str(tmp_path) not in warned, warned
    assert " rows of held.csv " in next(s for s in res.output.splitlines() if s.startswith("calibrated "))
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(tmp_path / "held.csv")  # recorded absolute
