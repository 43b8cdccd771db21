"""``cutouts --scales`` that zoom a stamp out beyond 1024 px are refused, naming the scale.

``--scales 1e-6`` asked numpy for an array of 18.2 PiB and stopped with its ArrayMemoryError
traceback; ``--scales 0.01`` cut a 3200 px stamp per candidate for minutes. A zoom-out whose cut
would exceed 1024 px (the largest stamp ``--size`` takes) is now an error (exit 2, nothing written).
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_cutouts_refuses_a_zoom_out_beyond_the_largest_cut(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    write_catalog(Table({"id": [1, 2], "x": [40.0, 60.0], "y": [40.0, 50.0]}), tmp_path / "c.ecsv")
    args = ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "--size", "32", "--no-progress"]
    r = runner.invoke(app, [*args, "--scales", "1,1e-6", "-o", "s.h5"])
    assert r.exit_code == 2, r.output
    assert "scale 1e-06 zooms a 32 px stamp out to a 32000000 px cut; at most 1024 px" in r.output, r.output
    assert not (tmp_path / "s.h5").exists()
    # the end of the range is cut: 32 / 1024
    ok = runner.invoke(app, [*args, "--scales", "1,0.03125", "-o", "ok.h5"])
    assert ok.exit_code == 0 and (tmp_path / "ok.h5").exists(), ok.output
