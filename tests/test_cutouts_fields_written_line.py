"""``cutouts`` of several fields says what one field's store says: bands, scales, normalisation, flagged rows.

Walking docs/stamps.md, ``starclass cutouts m31_a m31_b --catalog a.ecsv --catalog b.ecsv --task ...`` ended
``wrote both.h5: 617 candidates from 2 fields (m31_a, m31_b), inputs [617, 2, 56, 56]``, where one field's
store ends ``... (bands g,i; scales 1; normalisation flux)``; and its candidates whose own pixel is off the image
(``ok`` False) were flagged without the line that one field's store prints. And ``--quiet``, which ``detect``
and ``simulate`` take, was no option of ``cutouts``.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _two_fields(tmp_path, *options: str):
    argv = []
    for name, xs in (("a", [30.0, 60.0]), ("b", [40.0, 500.0])):  # b's second candidate is off the image
        folder = tmp_path / name
        folder.mkdir()
        write_toy_mosaics(folder)
        Table({"id": [1, 2], "x": xs, "y": [40.0, 50.0]}).write(tmp_path / f"{name}.ecsv")
        argv += [str(folder)]
    argv += ["--catalog", str(tmp_path / "a.ecsv"), "--catalog", str(tmp_path / "b.ecsv")]
    res = CliRunner().invoke(app, ["cutouts", *argv, "-o", str(tmp_path / "both.h5"), "--size", "16", *options])
    assert res.exit_code == 0, res.output
    return res


def test_quiet_is_taken_as_detect_and_simulate_take_it(tmp_path):
    """``cutouts --quiet`` was refused "No such option: --quiet (Possible options: --size)"; now no bars, no
    notes (the fields' lines), and what was written still said."""
    res = _two_fields(tmp_path, "--quiet")
    assert "field a:" not in res.stdout and "stamps:" not in res.stderr, res.output
    assert "wrote " in res.stdout and (tmp_path / "both.h5").is_file()


def test_two_fields_say_their_geometry_and_the_flagged_candidate(tmp_path):
    res = _two_fields(tmp_path, "--no-progress")
    said = " ".join(res.stdout.split())
    assert "from 2 fields (a, b), inputs [4, " in said, said
    assert "(bands " in said and "; scales 1; normalisation " in said, said
    assert "1 candidate has its own pixel off the image or bad: flagged (ok=False)" in said, said
