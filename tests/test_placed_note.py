"""``inspect`` and ``survey`` say, as the other commands do, that rows were placed by their sky position.

A catalogue with ``x``, ``y`` empty in some rows but ``ra``, ``dec`` given (or with no ``x``, ``y`` at
all) is placed through the mosaics' WCS; ``cutouts``, ``classify``, ``detect`` ... say so in one line
("q6.csv: 2 of 3 rows had no x, y: placed on the mosaics through their WCS (ra, dec)"). The field
viewer of ``inspect`` and ``survey`` placed the rows the same way (the page served them at their
sky positions) but without a word. Both now say the same line, from the same function
(:func:`starclass.io.catalog.placed_note`), and the page serves the rows where the line says.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from astropy.wcs import WCS
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app as cli
from starclass.inspect import app as app_module
from starclass.inspect import db
from starclass.io.mosaic import write_mosaic

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # an account for the page: cheap hashes (conftest.py)

N = 96
XS, YS = np.array([30.2, 60.0, 47.7, 70.5]), np.array([40.0, 20.4, 70.1, 66.0])


def _wcs() -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [10.68, 41.27]
    w.wcs.crpix = [(N + 1) / 2, (N + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    w.wcs.radesys = "ICRS"
    return w


def _field(folder, bands=("f555w", "f814w")):
    folder.mkdir()
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:N, 0:N]
    for band in bands:
        img = rng.normal(0.1, 0.01, (N, N))
        for x, y in zip(XS, YS):
            img += 5.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / 4.5)
        write_mosaic(folder / f"f_{band}.fits", img.astype(np.float32), band, _wcs(), photflam=1.9e-19,
                     photplam=5308.0, exptime=400.0)
    return folder


def _csv(path, blank_rows, *, xy=True):
    """``id,class_ref,ra,dec[,x,y]`` of the four sources; x, y left empty in ``blank_rows`` (0-based)."""
    sky = _wcs().pixel_to_world(XS, YS)
    lines = ["id,class_ref,ra,dec,x,y" if xy else "id,class_ref,ra,dec"]
    for k, s in enumerate(sky):
        cells = [str(k + 1), str(1 + k % 4), f"{s.ra.deg:.10f}", f"{s.dec.deg:.10f}"]
        if xy:
            cells += ["", ""] if k in blank_rows else [f"{XS[k]}", f"{YS[k]}"]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(("blank", "xy", "line"), [
    ((1, 2), True, "candidates.csv: 2 of 4 rows had no x, y: placed on the mosaics through their WCS (ra, dec)"),
    ((), False, "candidates.csv: no x, y; 4 rows placed on the mosaics through their WCS (ra, dec)"),
], ids=["blank-rows", "sky-only"])
def test_inspect_says_it_placed_rows_and_serves_them_there(tmp_path, monkeypatch, blank, xy, line):
    folder = _field(tmp_path / "field")
    _csv(folder / "candidates.csv", blank, xy=xy)
    served = {}
    monkeypatch.setattr(app_module, "serve", lambda field, *a, **k: served.setdefault("field", field))
    res = CliRunner().invoke(cli, ["inspect", str(folder), "--init", "--no-prerender"])
    assert res.exit_code == 0, res.output
    # the old code placed them without a word
    assert line in res.output, res.output
    assert res.output.count("through their WCS") == 1
    engine = db.make_engine(f"sqlite:///{folder / 'inspect.sqlite'}")
    db.add_user(engine, "ann", "ann-password")
    c = TestClient(app_module.create_app(served["field"], engine, prerender_all=False))
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    for k in range(len(XS)):
        got = c.get(f"/api/candidate/{k + 1}").json()
        assert np.hypot(got["x"] - XS[k], got["y"] - YS[k]) < 0.01, (k, got)
    engine.dispose()


def test_survey_says_it_placed_rows_once_per_field(tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from starclass.learn.config import get_preset
    from starclass.survey import read_plan, run_survey

    cfg = get_preset("legus4-compact", stamp_size=16)
    folder = _field(tmp_path / "field", bands=cfg.bands)
    model = write_untrained_model(tmp_path / "model", cfg)
    cat = _csv(tmp_path / "pos.csv", (1, 2))
    plan = tmp_path / "plan.yaml"
    # the same file as positions and truth: said once
    plan.write_text(f"model: {model}\ntile_size: 64\noverlap: 16\nphotometry: skip\nfields:\n"
                    f"  - {{name: a, mosaics: {folder}, positions: {cat}, truth: {cat}}}\n")
    lines: list[str] = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lines.append)
    assert result.ok, result.summary
    want = f"note: field 'a': {cat}: 2 of 4 rows had no x, y: placed on the mosaics through their WCS (ra, dec)"
    assert lines.count(want) == 1, lines  # the old code: no line
    import pyarrow.parquet as pq

    got = pq.read_table(tmp_path / "out" / "fields" / "a" / "catalogue.parquet").to_pandas().sort_values("id")
    assert np.hypot(got["x"].to_numpy() - XS, got["y"].to_numpy() - YS).max() < 0.01


def test_detect_says_it_once_when_positions_and_truth_are_one_file(tmp_path):
    folder = _field(tmp_path / "field")
    cat = _csv(tmp_path / "pos.csv", (1, 2))
    lines = cat.read_text().splitlines()
    # all four of one true magnitude: completeness() left no bin for them (a traceback, exit 1)
    cat.write_text("\n".join([lines[0] + ",mag_f555w"] + [f"{line},20.0" for line in lines[1:]]) + "\n")
    res = CliRunner().invoke(cli, ["detect", str(folder), "--positions", str(cat), "--truth", str(cat),
                                   "-o", str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    want = f"{cat}: 2 of 4 rows had no x, y: placed on the mosaics through their WCS (ra, dec)"
    # the old code said it twice, once per role (survey said it once)
    assert res.output.count(want) == 1, res.output
    # the completeness table's columns since s77cli: counts n_*, fractions completeness*
    assert re.search(r" 20\.00 +20\.50 +4 +4 +4 +1\.000 +1\.000\n", res.output), res.output
