"""``suggest --labels``' first line counts the other cutouts of the objects labelled there, as its last line does.

Since 2026-12-06 (c5371441) the other cutouts of an object with a labelled cutout are left out of the
suggestions; the first line ("--labels L.csv: 2 of the 12 candidates are labelled there and left out") still
counted only the cutouts the list names, so it and the final line ("of 12: 2 labelled in L.csv, 2 other
cutouts of an object labelled there") disagreed on how many were left out for the labels.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def test_suggest_first_line_counts_the_labelled_objects_other_cutouts(tmp_path):
    rng = np.random.default_rng(7)
    data = tmp_path / "data"
    data.mkdir()
    rows = []
    for obj in range(5):  # five objects, two cutouts each (two CCDs)
        base = rng.normal(size=(16, 16)).astype(np.float32)
        for ccd in range(2):
            name = f"o{obj}_{ccd}.npy"
            np.save(data / name, base + rng.normal(0, 0.5, size=(16, 16)).astype(np.float32))
            rows.append(f"{name},{('cluster', 'galaxy')[obj % 2]},OBJ{obj}\n")
    (data / "labels.csv").write_text("file,label,object_id\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    opts = ["--no-progress", "--device", "cpu"]
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            *opts, "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    pool = tmp_path / "pool.ecsv"
    r = runner.invoke(app, ["classify", "--stamps", str(data / "labels.csv"), "--model", str(tmp_path / "m"),
                            *opts, "-o", str(pool)])
    assert r.exit_code == 0, r.output
    # one cutout of OBJ0, both of OBJ2, one of OBJ3: two other cutouts (OBJ0's and OBJ3's) go with them
    (data / "L.csv").write_text("file,label,object_id\no0_0.npy,cluster,OBJ0\no2_0.npy,cluster,OBJ2\n"
                                "o2_1.npy,cluster,OBJ2\no3_1.npy,galaxy,OBJ3\n")
    r = runner.invoke(app, ["suggest", str(tmp_path / "m"), str(pool), "--labels", str(data / "L.csv"),
                            "-n", "10", "-o", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    first = re.search(r"--labels \S+: (\d+) of the (\d+) cutouts are labelled there and left out \([^)]*\)"
                      r"(?:, and (\d+) other cutouts? of an object labelled there \((\w+)\))?", text)
    assert first, text
    assert first.groups() == ("4", "10", "2", "object_id"), text
    # the final line says the same counts
    assert "of 10: 4 labelled in" in text and "2 other cutouts of an object labelled there (object_id)" in text, text
