"""A damaged or deleted tile file is named as such, not as a tile whose settings changed.

Until 2026-12-06 a survey folder whose tile file had been truncated or overwritten (a full disk, a copy cut
short, a stray editor) was treated as a tile of another digest: a complete survey rerun refused with "for 1 of
its 32 tile(s) the plan's inputs, model or settings have changed since", though nothing had changed; an
unfinished one ran the tile again without a word; and ``info`` counted the file among the finished tiles.
Now each says which files cannot be read (or are missing), and nothing else changes: ``--overwrite`` (or
the resumed run) runs those tiles again and the catalogue equals the first run's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import OutputExistsError
from starclass.survey import read_plan, run_survey

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

runner = CliRunner()
SHAPE = (130, 140)


@pytest.fixture(scope="module")
def survey_dir(tmp_path_factory) -> Path:
    """One field of g and i mosaics with six sources, an untrained compact model, a plan of 64 px tiles."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("survey_damaged")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))
    xy = [(20.0, 20.0), (64.0, 64.0), (100.0, 30.0), (30.0, 100.0), (110.0, 110.0), (70.0, 20.0)]
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    (d / "f").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in xy:
            img += (50.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        write_mosaic(d / "f" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": np.arange(1, 7), "x": [p[0] for p in xy], "y": [p[1] for p in xy]}).write(d / "f" / "pos.ecsv")
    (d / "plan.yaml").write_text("model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n"
                                 "  - {name: f, mosaics: f, positions: f/pos.ecsv}\n")
    return d


def _run(survey_dir: Path, out: Path, said: list[str] | None = None, **kw):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        return run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False,
                          echo=(said.append if said is not None else lambda s: None), **kw)


def _catalogue(out: Path) -> Table:
    return Table(pq.read_table(out / "fields" / "f" / "catalogue.parquet").to_pydict())


def test_a_damaged_or_missing_tile_file_is_named_not_taken_for_changed_settings(survey_dir, tmp_path):
    out = tmp_path / "run"
    assert _run(survey_dir, out).ok
    first = _catalogue(out)
    tiles = out / "tiles" / "f"
    cut, gone = tiles / "r000_c001.parquet", tiles / "r001_c000.parquet"
    cut.write_bytes(cut.read_bytes()[:300])  # truncated: a copy cut short
    gone.unlink()
    n_tiles = len(list(tiles.glob("*.parquet"))) + 1
    with pytest.raises(OutputExistsError) as refused:
        _run(survey_dir, out)
    msg = str(refused.value)
    # before: "for 2 of its 9 tile(s) the plan's inputs, model or settings have changed since"
    assert "settings have changed" not in msg, msg
    assert (f"1 tile file of its {n_tiles} cannot be read (damaged or truncated: f/r000_c001.parquet); 1 tile file "
            f"of its {n_tiles} is missing (f/r001_c000.parquet); give overwrite=True") in msg, msg
    said: list[str] = []
    assert _run(survey_dir, out, said, overwrite=True).ok
    assert [s for s in said if "cannot be read" in s] == [
        f"note: 1 tile file in {out / 'tiles'} cannot be read (damaged or truncated: f/r000_c001.parquet): it is run "
        "again and replaced"], said
    again = _catalogue(out)
    assert again.colnames == first.colnames and len(again) == len(first)
    for c in ("id", "x", "y", "class_pred"):
        assert np.array_equal(np.asarray(again[c]), np.asarray(first[c])), c


def test_info_does_not_count_a_damaged_tile_file_as_finished(survey_dir, tmp_path):
    out = tmp_path / "run"
    assert _run(survey_dir, out).ok
    (out / "summary.json").unlink()  # as a Ctrl-C leaves it: tiles, no summary
    tiles = sorted((out / "tiles" / "f").glob("*.parquet"))
    tiles[0].write_bytes(b"garbage")
    r = runner.invoke(app, ["info", str(out)])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    # before: "not finished: 9 tiles finished in 1 field (f 9)"
    assert f"not finished: {len(tiles) - 1} tiles finished in 1 field (f {len(tiles) - 1})" in text, text
    assert f"1 tile file cannot be read (damaged or truncated: f/{tiles[0].name}): the survey runs it again" in text


def _corrupt_data(path: Path) -> None:
    """Overwrite a Parquet file's data pages, leaving its footer (schema, digest) readable."""
    raw = bytearray(path.read_bytes())
    footer = int.from_bytes(raw[-8:-4], "little")
    for i in range(4, len(raw) - 8 - footer):
        raw[i] = 0xAB
    path.write_bytes(bytes(raw))


def test_a_tile_file_damaged_past_its_footer_is_run_again_not_a_traceback(survey_dir, tmp_path):
    """Its digest reads (so it counted as finished), its data do not: the resumed survey stopped with pyarrow's
    ``OSError: Couldn't deserialize thrift ...`` and a traceback, before any tile ran. Now it is run again."""
    from starclass.survey.work import tile_done

    out = tmp_path / "run"
    assert _run(survey_dir, out).ok
    first = _catalogue(out)
    (out / "summary.json").unlink()  # resumed: every other tile is reused
    tile = sorted((out / "tiles" / "f").glob("*.parquet"))[4]
    _corrupt_data(tile)
    with pytest.raises(OSError):
        pq.read_table(tile)  # the data cannot be read ...
    assert tile_done(tile, pq.read_schema(tile).metadata[b"starclass_tile_digest"].decode())  # ... the digest can
    said: list[str] = []
    assert _run(survey_dir, out, said).ok
    assert [s for s in said if "cannot be read" in s] == [
        f"note: 1 tile file in {out / 'tiles'} cannot be read (damaged or truncated: f/{tile.name}): it is run "
        "again and replaced"], said
    again = _catalogue(out)
    for c in ("id", "x", "y", "class_pred"):
        assert np.array_equal(np.asarray(again[c]), np.asarray(first[c])), c
    pq.read_table(tile)  # replaced


def test_a_tile_file_the_merge_cannot_read_is_named_with_exit_status_2(survey_dir, tmp_path, monkeypatch):
    """Damage the start's read does not meet (another column's pages) stops the merge naming the file, exit
    status 2 and no traceback (pyarrow's OSError and exit status 1 before), nothing written."""
    out = tmp_path / "run"
    assert _run(survey_dir, out).ok
    (out / "summary.json").unlink()
    tile = sorted((out / "tiles" / "f").glob("*.parquet"))[4]
    _corrupt_data(tile)
    monkeypatch.setattr("starclass.survey.run.owned_rows", lambda path: 0)  # as if the start's read had passed
    r = runner.invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--workers", "1",
                            "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and f"error: tile file {tile} cannot be read (OSError: " in r.output, r.output
    assert "Delete it and run the same command again" in r.output
    assert not (out / "summary.json").exists() and len(list((out / "tiles" / "f").glob("*.parquet"))) == 9
