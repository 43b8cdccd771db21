"""``info`` never calls a survey folder complete while a rerun over it is unfinished.

A survey run to completion, then rerun with ``--overwrite`` and stopped part-way (Ctrl-C), kept the first run's
summary.json and merged catalogue beside a mix of new and old tiles, and ``info`` said "survey complete: 902
candidates ... 27 tiles" of it (found by s64audit). The survey now writes ``.survey-run.json`` before its first
tile and removes it once the new summary.json is written; ``info`` and the survey itself read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

pytest.importorskip("distributed")

from starclass.cli import app
from starclass.survey import read_plan, run_survey

runner = CliRunner()
SHAPE = (130, 140)


@pytest.fixture(scope="module")
def survey_dir(tmp_path_factory) -> Path:
    """One field of g and i mosaics with six sources, an untrained compact model, and plans of 64 and 96 px tiles."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("survey_rerun")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))
    xy = [(20.0, 20.0), (64.0, 64.0), (100.0, 30.0), (30.0, 100.0), (110.0, 110.0), (70.0, 20.0)]
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    wcs = make_wcs(preset("m31", shape=SHAPE))
    (d / "f").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in xy:
            img += (50.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        write_mosaic(d / "f" / f"f_{b}.fits", img, b, wcs, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": np.arange(1, 7), "x": [p[0] for p in xy], "y": [p[1] for p in xy]}).write(d / "f" / "pos.ecsv")
    for size in (64, 96):
        (d / f"plan{size}.yaml").write_text(
            f"model: model\ntile_size: {size}\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n"
            "  - {name: f, mosaics: f, positions: f/pos.ecsv}\n")
    return d


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as c:
        yield c


def _info(out: Path) -> str:
    r = runner.invoke(app, ["info", str(out)])
    assert r.exit_code == 0, r.output
    return " ".join(r.output.split())


def test_an_interrupted_overwrite_rerun_is_not_called_complete(survey_dir, cluster, tmp_path, monkeypatch):
    out = tmp_path / "run5"
    first = run_survey(read_plan(survey_dir / "plan64.yaml"), out, cluster=cluster, progress=False,
                       echo=lambda s: None)
    assert first.ok and "survey complete" in _info(out)
    before = (out / "summary.json").read_text()

    # the rerun (another grid: every tile runs again) is stopped by Ctrl-C after its tiles, before its merge
    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr("starclass.survey.run.merge_tiles", stopped)
        with pytest.raises(KeyboardInterrupt):
            run_survey(read_plan(survey_dir / "plan96.yaml"), out, cluster=cluster, overwrite=True, progress=False,
                       echo=lambda s: None)
    said = _info(out)
    assert "survey complete" not in said, said
    assert "NOT finished" in said and "with --overwrite" in said and "of an earlier run" in said, said
    assert "starclass info" in _info(out / "summary.json") and "NOT finished" in _info(out / "summary.json")
    assert "of an earlier run: a survey run over" in _info(out / "catalogue")
    # nothing of the first run is lost before the rerun completes
    assert (out / "summary.json").read_text() == before and (out / "catalogue").is_dir()

    # the same plan without --overwrite resumes it (its summary.json no longer speaks for the folder)
    again = run_survey(read_plan(survey_dir / "plan96.yaml"), out, cluster=cluster, progress=False,
                       echo=lambda s: None)
    assert again.ok and again.summary["tile_size"] == 96
    assert json.loads((out / "summary.json").read_text())["tile_size"] == 96
    said = _info(out)
    assert "survey complete" in said and "NOT finished" not in said, said
    assert "earlier run" not in _info(out / "catalogue")
    assert not (out / ".survey-run.json").exists()
