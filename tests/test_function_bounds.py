"""The functions behind evaluate --radius/--bootstrap and --bands keep the command line's bounds.

The command line refused ``evaluate --radius 1e308``, ``--bootstrap 100000000`` and
``--bands f555w,f555w``, but ``match_catalogs(a, b, radius=1e308)`` paired every object with an
unrelated one, ``run_evaluation(..., n_boot=10**8)`` would run for days and
``read_mosaics(..., bands=["f555w", "f555w"])`` read the band twice. One home now:
:func:`starclass.schema.check_match_radius`, :func:`~starclass.schema.check_n_boot`,
:func:`~starclass.schema.check_distinct_bands`, which the options call too.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()
A = np.array([[0.0, 0.0], [10.0, 10.0]])
B = np.array([[1000.0, 0.0], [10.5, 10.0]])


@pytest.mark.parametrize("radius", [1e308, 51.0, float("inf"), float("nan"), 0.0, -1.0])
def test_match_catalogs_refuses_a_radius_out_of_range_naming_it(radius):
    from starclass.detect import match_catalogs
    from starclass.evaluate import match_catalogs as match_on_sky_or_pixels

    for match in (match_catalogs, match_on_sky_or_pixels):
        with pytest.raises(ValueError, match=r"radius must be a positive number of pixels, at most 50"):
            match(A, B, radius=radius)


def test_match_catalogs_still_matches_within_the_bound():
    from starclass.detect import match_catalogs

    ia, ib, _ = match_catalogs(A, B, radius=50.0)
    assert ia.tolist() == [1] and ib.tolist() == [1]


def test_run_evaluation_refuses_too_many_resamples_before_any_work(tmp_path):
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report.build import run_evaluation

    pred, truth = fake_catalogs(50, seed=0)
    out = tmp_path / "evaluation"
    with pytest.raises(StarclassError, match=r"n_boot must be a whole number from 0 to 10000, got 100000000"):
        run_evaluation(pred, {"truth": truth}, out, n_boot=10**8)
    with pytest.raises(StarclassError, match=r"n_boot .* got -1"):
        run_evaluation(pred, {"truth": truth}, out, n_boot=-1)
    with pytest.raises(StarclassError, match=r"radius must be a positive number of pixels, at most 50"):
        run_evaluation(pred, {"truth": truth}, out, radius=1e308, n_boot=0)
    assert not out.exists()


def test_read_mosaics_refuses_a_band_given_twice_naming_it(tmp_path):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.mosaic import read_mosaics

    write_toy_mosaics(tmp_path)
    with pytest.raises(StarclassError, match=r"bands names band f555w twice \(f555w,F555W\)"):
        read_mosaics(tmp_path, bands=["f555w", "F555W"])
    # one band as text is that band (its letters were taken for bands)
    assert read_mosaics(tmp_path, bands="f555w").bands == ["f555w"]


def test_the_options_keep_their_messages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["evaluate", "p.ecsv", "--radius", "1e308"])
    assert r.exit_code == 2 and "--radius must be a positive number of pixels, at most 50" in r.output, r.output
    r = runner.invoke(app, ["simulate", "sim", "--bands", "f555w,F555W", "--size", "64"])
    assert r.exit_code == 2 and "--bands names band f555w twice (f555w,F555W)" in r.output, r.output
    assert not (tmp_path / "sim").exists()


@pytest.mark.parametrize("radius", [1e308, 0, -2])
def test_a_survey_plan_s_match_radius_is_bounded_when_the_plan_is_read(radius):
    # survey scores each tile against its truth with this radius, after the tiles have run: the
    # bound that evaluate's matcher now keeps must refuse the plan up front instead
    from pathlib import Path

    from starclass.survey.plan import plan_from_mapping

    words = r"plan\.yaml: match_radius must be a positive number of pixels, at most 50"
    with pytest.raises(StarclassError, match=words):
        plan_from_mapping({"match_radius": radius, "fields": []}, Path("."), Path("plan.yaml"))
    assert plan_from_mapping({"match_radius": 3, "fields": []}, Path("."), Path("plan.yaml")).match_radius == 3.0
