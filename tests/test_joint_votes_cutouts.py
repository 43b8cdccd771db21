"""``classify --stamps DIR --votes``: how to score ``class_joint`` is said for a cutout folder, not a catalogue.

Until 2026-12-07 the 'next:' line of an unlabelled cutout folder said
``'starclass evaluate out.csv -r TRUTH.ecsv --pred-column class_joint'``: a truth catalogue paired by position,
which a folder of cutouts has not. Its labels are a column of a list of the cutouts, paired by file; and
evaluate's note on a class_joint scored against the folder's own labels named ``-r truth.ecsv`` too.
"""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app

runner = CliRunner()


def _folder(root: Path, labels: list[str] | None) -> Path:
    """Eight 16 px cutouts with ids, labelled in column 'label' (cool-core classes 1-3) where given."""
    root.mkdir()
    rng = np.random.default_rng(0)
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "file"] + (["label"] if labels else []))
        for k in range(8):
            np.save(root / f"o{k}.npy", rng.random((16, 16)).astype(np.float32))
            w.writerow([k + 1, f"o{k}.npy"] + ([labels[k]] if labels else []))
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("joint_cutouts")
    one_band_model(d / "model")
    # two people, classes of the cool-core task
    (d / "votes.csv").write_text("id,class_h1,class_h2\n" + "".join(
        f"{k + 1},{1 + k % 3},{1 + (k // 2) % 3}\n" for k in range(8)))
    return d


def test_unlabelled_folder_names_a_labels_column_and_that_command_scores_class_joint(world, tmp_path):
    cut = _folder(tmp_path / "cut", None)
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(cut), "--model", str(world / "model"), "--votes",
                              str(world / "votes.csv"), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    # the rows are cutouts, as the line before it says ("classified 8 cutouts"); it said "8 candidates with votes"
    assert "classified 8 cutouts" in res.output and ": 8 cutouts with votes;" in res.output, res.output
    nxt = next(line for line in res.output.splitlines() if line.startswith("next:"))
    said = nxt[nxt.index("people and model together"):]
    assert "TRUTH" not in said  # no truth catalogue exists for a cutout folder
    assert f"a column of {cut / 'labels.csv'}" in said
    # the command it names runs once the folder's list has that column
    command = re.search(r"'(starclass evaluate [^']*)'", said).group(1)
    assert "--label-column COLUMN" in command and "--pred-column class_joint" in command
    with open(cut / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(cut / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], "expert"])
        w.writeheader()
        w.writerows({**r, "expert": str(1 + int(r["id"]) % 3)} for r in rows)
    args = shlex.split(command.replace("COLUMN", "expert"))[1:] + ["-o", str(tmp_path / "ev"), "--bootstrap", "0"]
    ev = runner.invoke(app, args)
    assert ev.exit_code == 0, ev.output
    assert "scored column class_joint" in ev.output and "8 objects paired by file" in ev.output


def test_labelled_folder_note_names_labels_of_the_same_cutouts(world, tmp_path):
    cut = _folder(tmp_path / "cut", [str(1 + k % 3) for k in range(8)])
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(cut), "--model", str(world / "model"), "--votes",
                              str(world / "votes.csv"), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert f"'starclass evaluate {out} --pred-column class_joint'" in res.output
    ev = runner.invoke(app, ["evaluate", str(out), "--pred-column", "class_joint", "-o", str(tmp_path / "ev"),
                             "--bootstrap", "0"])
    assert ev.exit_code == 0, ev.output
    note = next(line for line in ev.output.splitlines() if "class_joint includes people's votes" in line)
    assert "truth.ecsv" not in note and "-r LABELS.csv --label-column COLUMN" in note
