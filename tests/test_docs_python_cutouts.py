"""The Python block of docs/real_images.md, "From Python: a cutout folder in a notebook", runs as written.

A notebook user with labelled cutouts found no Python counterpart of the commands in the docs (2026-12-06):
``fit_cutouts``' own example was commented out, and the docs' Python examples started from FITS mosaics. The
section shows one function per command; here its block is run as it is printed, in a folder holding toy
versions of the three lists it names, and what it writes and returns is checked.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## From Python: a cutout folder in a notebook"

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("single_thread")]


def _block() -> str:
    text = (ROOT / "docs" / "real_images.md").read_text()
    assert HEADING in text
    found = re.search(r"```python\n(.*?)```", text.split(HEADING, 1)[1], re.S)
    assert found is not None
    return found.group(1)


def _write_list(folder: Path, n: int, seed: int, *, labelled: bool) -> None:
    rng = np.random.default_rng(seed)
    (folder / "img").mkdir(parents=True)
    lines = ["file,label,object_id" if labelled else "file,object_id"]
    for i in range(n):
        label = ("cluster", "galaxy")[i % 2]
        image = rng.normal(size=(32, 32)).astype(np.float32)
        if label == "cluster":
            image[12:20, 12:20] += 4.0  # something to learn, not that it matters here
        np.save(folder / "img" / f"s{seed}_{i}.npy", image)
        lines.append(f"img/s{seed}_{i}.npy,{label},O{seed}_{i}" if labelled else f"img/s{seed}_{i}.npy,O{seed}_{i}")
    (folder / "labels.csv").write_text("\n".join(lines) + "\n")


def test_the_python_block_runs_as_written(tmp_path, monkeypatch):
    _write_list(tmp_path / "my_cutouts", 24, 1, labelled=True)
    _write_list(tmp_path / "pool", 12, 2, labelled=False)
    _write_list(tmp_path / "held", 16, 3, labelled=True)
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(_block(), "docs/real_images.md", "exec"), names)  # the docs block, as a user runs it
    assert isinstance(names["classified"], Table) and len(names["classified"]) == 24
    assert {"class_pred", "prob_1", "prob_2", "class_ref"} <= set(names["classified"].colnames)
    assert set(names["ev"].headline()["prediction class_ref"]) == {"2class"}
    assert isinstance(names["ev"].comparisons[0].summary, Table)
    assert (tmp_path / "my_report" / "report.html").is_file()
    assert (tmp_path / "my_explained" / "explain.json").is_file()
    suggested = names["suggest"](names["pool"], 10)
    assert isinstance(suggested, Table) and len(suggested) == 10
    doc = json.loads((tmp_path / "my_model" / "manifest.json").read_text())
    assert doc["calibration"]["source"] == "held/labels.csv"
    assert doc["training_cutouts"]["height"] == 32  # fit_cutouts recorded the cutouts' size, as train does
