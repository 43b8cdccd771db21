"""``cutouts`` of labelled candidates ends with the command that comes next, as ``simulate`` and ``detect`` do.

Walking docs/stamps.md, ``cutouts field -c field/truth.ecsv --task legus4-compact -o lab.h5`` ended with the
file written; the store trains as it is (``train --stamps lab.h5 -o model``, its task read from the store).
A store without classes gets no such line.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _cut(tmp_path, columns: dict):
    folder = tmp_path / "field"
    folder.mkdir()
    write_toy_mosaics(folder)
    Table({"id": [1, 2, 3], "x": [30.0, 48.0, 60.0], "y": [40.0, 48.0, 50.0], **columns}).write(tmp_path / "c.ecsv")
    out = tmp_path / "s.h5"
    res = CliRunner().invoke(app, ["cutouts", str(folder), "-c", str(tmp_path / "c.ecsv"), "-o", str(out),
                                   "--size", "16", "--no-progress"])
    assert res.exit_code == 0, res.output
    return res.stdout.strip().splitlines(), out


def test_a_labelled_store_ends_with_how_to_train_on_it(tmp_path):
    lines, out = _cut(tmp_path, {"class_ref": [1, 0, 4]})  # 0: no class
    assert lines[-1] == f"next: train a model on its 2 labelled candidates with 'starclass train --stamps {out} " \
                        "-o model'", lines


def test_a_store_without_classes_gets_no_next_line(tmp_path):
    lines, _ = _cut(tmp_path, {})
    assert not any(line.startswith("next:") for line in lines), lines
