"""detect options that are no finite numbers (--mag-limit, --ci-min, --ci-max, --aperture-correction nan).

It ran the whole detection and photometry first and then said ``error: mag_limit=nan must be a
finite number (or None: no cut)``: the Python argument's name, after minutes of work on a big
mosaic. Now the option is named before the mosaics are read.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("option, value", [("--mag-limit", "nan"), ("--ci-min", "inf"), ("--ci-max", "nan")])
def test_detect_names_a_cut_that_is_not_a_number_before_any_work(tmp_path, monkeypatch, option, value):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "cands.ecsv", "--no-progress",
                            option, value])
    assert r.exit_code == 2, r.output
    assert f"{option} must be a finite number, got {value}" in r.output, r.output
    assert "detected" not in r.output and "mosaics:" not in r.output, r.output  # before any reading
    assert not (tmp_path / "cands.ecsv").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "f555w=-0.3,f814w=nan"])
def test_detect_refuses_an_aperture_correction_that_is_not_a_number(tmp_path, monkeypatch, value):
    """``--aperture-correction nan`` was read by float() and every magnitude written came out NaN, exit 0."""
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "cands.ecsv", "--no-progress",
                            "--aperture-correction", value])
    assert r.exit_code == 2, r.output
    assert f"--aperture-correction {value!r}" in r.output and "finite number" in r.output, r.output
    assert not (tmp_path / "cands.ecsv").exists()
