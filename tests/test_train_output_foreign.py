"""train refuses an --output folder holding files it did not write.

'train -o rep' into the folder a report had been written to (report.html, tables/) put
manifest.json and member_01.pt among them without a word, with or without --overwrite: the
folder was then a model and a report at once, where evaluate, report and explain refuse to
replace a folder holding files they did not write. A model directory (resumed, or replaced with
--overwrite) and a train --cv folder are still trained into.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app


@pytest.fixture()
def folder(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for i in range(16):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        rows.append(f"c{i}.npy,{('cluster', 'galaxy')[i % 2]}\n")
    (tmp_path / "labels.csv").write_text("file,label\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    return tmp_path


def _train(folder, out, *extra):
    return CliRunner().invoke(app, ["train", "--stamps", str(folder / "labels.csv"), "--task", str(folder / "t.yaml"),
                                    "--no-progress", "--device", "cpu", "-o", str(out), *extra])


@pytest.mark.parametrize("extra", [[], ["--overwrite"]])
def test_a_folder_of_another_commands_output_is_refused(folder, extra):
    rep = folder / "rep"
    (rep / "tables").mkdir(parents=True)
    (rep / "report.html").write_text("<html></html>")
    r = _train(folder, rep, *extra)
    assert r.exit_code == 2, r.output
    assert "--output" in r.output and "holds files train did not write (report.html, tables)" in r.output
    assert "Traceback" not in r.output
    assert sorted(p.name for p in rep.iterdir()) == ["report.html", "tables"]  # nothing written


def test_a_model_directory_is_still_resumed_and_replaced(folder):
    out = folder / "m"
    assert _train(folder, out).exit_code == 0
    (out / ".DS_Store").write_bytes(b"")  # the Finder's: not a file of another command
    r = _train(folder, out)
    assert r.exit_code == 0 and "already trained" in r.output, r.output
    r = _train(folder, out, "--overwrite")
    assert r.exit_code == 0, r.output
