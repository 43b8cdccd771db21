"""A missing ``detect --truth`` (or ``--positions``) is refused before any line, saying where the file is.

Walking docs/detect.md on a simulated field, ``starclass detect field/ -o c.ecsv --truth truth.ecsv`` printed
``mosaics: f275w, ...`` and only then ``error: catalogue truth.ecsv: no such file or directory``: simulate
writes ``field/truth.ecsv``, beside the mosaics. The refusal now comes first, and names that file.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic


def _field(tmp_path):
    field = tmp_path / "field"
    field.mkdir()
    b = BANDS["f555w"]
    write_mosaic(field / "a_f555w.fits", np.full((32, 32), 0.5, np.float32), "f555w", None, photflam=b.photflam,
                 photplam=b.photplam)
    Table({"id": [1], "x": [10.0], "y": [10.0]}).write(field / "truth.ecsv")
    return field


def test_a_truth_beside_the_mosaics_is_named(tmp_path, monkeypatch):
    _field(tmp_path)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["detect", "field/", "-o", "c.ecsv", "--truth", "truth.ecsv", "--no-progress"])
    assert r.exit_code == 2, r.output
    assert r.stdout == "", r.stdout  # no "mosaics: ..." line before the refusal
    said = " ".join(r.stderr.split())
    assert "--truth truth.ecsv: no such file or directory" in said and "--truth field/truth.ecsv" in said, said
    assert not (tmp_path / "c.ecsv").exists()


def test_missing_positions_are_refused_before_the_mosaics_and_the_existing_output(tmp_path, monkeypatch):
    _field(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.ecsv").write_text("kept")
    r = CliRunner().invoke(app, ["detect", "field/", "-o", "c.ecsv", "--positions", "nope.ecsv", "--no-progress"])
    assert r.exit_code == 2, r.output
    assert r.stdout == "", r.stdout
    assert "--positions nope.ecsv: no such file or directory" in " ".join(r.stderr.split()), r.stderr
    assert (tmp_path / "c.ecsv").read_text() == "kept"
