"""``cutouts`` counts the usable stamps that are partly without data, as ``classify`` counts them.

Walking docs/stamps.md, ``starclass cutouts field --catalog candidates.ecsv -o stamps.h5`` on a simulated 512 px
field stored 33 of 467 stamps with up to 42% of their pixels off the image (filled with 0) without a word,
where ``classify`` on the same candidates says ``32 of the 195 classified candidates have stamps partly without
data (...)``. A note now says how many and the largest share; ``--quiet`` leaves it out.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _cut(tmp_path, *options: str):
    folder = tmp_path / "field"
    folder.mkdir()
    write_toy_mosaics(folder)
    # 96 px mosaics, 16 px stamps: x = 4 leaves 4 of the 16 columns off the image (25%); x = 2, 6 of 16 (38%);
    # the third is inside
    Table({"id": [1, 2, 3], "x": [4.0, 2.0, 48.0], "y": [40.0, 50.0, 48.0]}).write(tmp_path / "c.ecsv")
    res = CliRunner().invoke(app, ["cutouts", str(folder), "-c", str(tmp_path / "c.ecsv"), "-o",
                                   str(tmp_path / "s.h5"), "--size", "16", "--no-progress", *options])
    assert res.exit_code == 0, res.output
    return " ".join(res.stdout.split())


def test_stamps_partly_off_the_image_are_counted(tmp_path):
    said = _cut(tmp_path)
    assert ("note: 2 of the 3 usable stamps are partly without data (a NaN border, zero weight or off the image; "
            "up to 38% of a stamp's pixels, filled with 0)") in said, said


def test_quiet_leaves_the_note_out(tmp_path):
    said = _cut(tmp_path, "--quiet")
    assert "wrote " in said and "partly without data" not in said, said
