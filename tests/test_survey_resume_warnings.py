"""A resumed survey says again the warnings of the tiles it reuses.

Until 2026-12-06 a tile's warnings (handed from its worker process to the client, printed once) were said
by the run that made the tile only: a survey stopped by Ctrl-C and resumed reused that tile's file and said
nothing of it, so the run whose catalogue the user reads was silent on, say, given positions measured in
one band only. Now each tile file keeps the warnings it handed over, and a resumed run says those of the
tiles it reuses once, under one line that says where they come from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")

SHAPE = (200, 200)
NAN = 125  # band i is NaN in the top-left NAN x NAN px: tile r000_c000's whole window
XY = [(20.0, 20.0), (150.0, 150.0), (170.0, 40.0)]
WARNING = "no usable pixel in band i (all NaN or masked)"


@pytest.fixture
def root(tmp_path) -> Path:
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    write_untrained_model(tmp_path / "model", get_preset("m31-binary-compact"))  # bands g, i
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    rng = np.random.default_rng(7)
    (tmp_path / "m").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in XY:
            img += (40.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        if b == "i":
            img[:NAN, :NAN] = np.nan
        write_mosaic(tmp_path / "m" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": [11, 12, 13], "x": [p[0] for p in XY], "y": [p[1] for p in XY]}).write(tmp_path / "pos.ecsv")
    # a counts image with neither 10 stars nor 20 sources to stack: its field's PSF task warns, not its tiles
    shape = (128, 128)
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    lam = np.full(shape, 0.3)
    for x, y in [(30, 100), (100, 30)]:
        lam = lam + 200.0 / (2 * np.pi * 1.2 ** 2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2 ** 2))
    (tmp_path / "x").mkdir()
    for b in ("g", "i"):
        write_mosaic(tmp_path / "x" / f"x_{b}.fits", rng.poisson(lam).astype("f4"), b,
                     make_wcs(preset("m31", shape=shape)), photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    (tmp_path / "plan.yaml").write_text("model: model\ntile_size: 64\noverlap: 56\nphotometry: growth\nretries: 0\n"
                                        "fields:\n  - {name: A, mosaics: m, positions: pos.ecsv}\n"
                                        "  - {name: X, mosaics: x}\n")
    return tmp_path


@pytest.mark.slow
def test_a_resumed_survey_says_again_the_warnings_of_the_tiles_it_reuses(root, capfd):
    from starclass.survey import read_plan, run_survey

    def run() -> str:
        capfd.readouterr()
        # process workers, as the command line's: their warnings reach the client as the tiles' notes
        result = run_survey(read_plan(root / "plan.yaml"), root / "out", n_workers=1, threads_per_worker=1,
                            processes=True, progress=False, echo=lambda s: None)
        assert result.ok, result.summary
        return capfd.readouterr().err

    said = run()
    assert sum(WARNING in line for line in said.splitlines()) == 1, said
    psf = [s for s in said.splitlines() if "x_g.fits (band g)" in s and "to measure its PSF" in s]
    assert len(psf) == 1, said
    # as a Ctrl-C leaves it: no summary, some tiles finished (the one with the warning among them)
    tiles = sorted((root / "out" / "tiles" / "A").glob("*.parquet"))
    corner = [t for t in tiles if "r000_c000" in t.name]
    assert len(corner) == 1 and len(tiles) > 3, tiles
    for t in tiles[-2:]:
        t.unlink()
    (root / "out" / "summary.json").unlink()
    said = run()
    lines = said.splitlines()
    # the warning once, under the line that says whence it comes; before: not at all
    assert [s for s in lines if WARNING in s] == [
        "warning: field 'A', tile r000_c000: no usable pixel in band i (all NaN or masked): its 1 given position "
        "(ids 11) is measured in band g only (mag_i, magerr_i NaN; masked_frac_i 1) and left unclassified "
        "(class_pred 0, NaN probabilities): the model needs band i"], said
    # field X has no tile to run: its PSF task does not run, and its warning comes from its tiles' files
    assert [s for s in lines if "x_g.fits (band g)" in s and "to measure its PSF" in s] == psf, said
    n_x = len(list((root / "out" / "tiles" / "X").glob("*.parquet")))
    head = [s for s in lines if s.startswith("note: ") and "reused tiles" in s]
    assert head == [f"note: {n_x + 1} of the {len(tiles) - 2 + n_x} reused tiles had warnings when an earlier run "
                    "made them, said again here:"], said
    assert lines.index(head[0]) < lines.index(psf[0]) and lines.index(head[0]) < lines.index(
        next(s for s in lines if WARNING in s)), said


def test_the_notes_of_reused_tiles_are_said_once_each_under_one_line(tmp_path, capsys):
    """The quick check of the same: tiles kept with their notes, two of three reused, one run now."""
    import json
    from types import SimpleNamespace

    import pyarrow as pa
    import pyarrow.parquet as pq

    from starclass.survey.run import _reused_notes
    from starclass.survey.work import NOTES_KEY, tile_notes

    notes = [["warning: a", "warning: b"], ["warning: a"], ["warning: c"]]
    jobs = []
    for k, said in enumerate(notes):
        path = tmp_path / f"t{k}.parquet"
        pq.write_table(pa.table({"id": [k]}).replace_schema_metadata({NOTES_KEY: json.dumps(said).encode()}), path)
        jobs.append(SimpleNamespace(output=path))
    assert tile_notes(jobs[0].output) == ["warning: a", "warning: b"]
    # the third runs now: its own warnings are said by its worker, not here
    assert _reused_notes(jobs, jobs[2:]) == ["warning: a", "warning: b"]
    assert capsys.readouterr().err.splitlines() == [
        "note: 2 of the 2 reused tiles had warnings when an earlier run made them, said again here:",
        "warning: a", "warning: b"]
    assert _reused_notes(jobs, jobs) == [] and capsys.readouterr().err == ""  # none reused: nothing said


def test_thread_workers_keep_their_tiles_warnings_in_the_tile_files_as_process_workers_do(root, capfd):
    """Thread workers (``processes=False``: the tiles run in the caller's process) keep each tile's warnings too.

    Until 2026-12-06 only process workers handed their warnings over with the tile; thread workers' were shown
    as they were raised and never reached the tile's file, so a resumed survey could not say them again. Now
    both keep them the same way; thread workers still raise them in the caller's process as they happen (a
    Python caller's filters and ``catch_warnings`` see them), and the survey does not print them a second time.
    """
    import warnings

    from starclass.survey import read_plan, run_survey
    from starclass.survey.work import tile_notes

    def run() -> tuple[list[str], list[str]]:
        capfd.readouterr()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_survey(read_plan(root / "plan.yaml"), root / "out", n_workers=1, threads_per_worker=1,
                                processes=False, progress=False, echo=lambda s: None)
        assert result.ok, result.summary
        return [str(w.message) for w in caught], capfd.readouterr().err.splitlines()

    raised, said = run()
    assert sum(WARNING in w for w in raised) == 1, raised
    assert [s for s in said if WARNING in s] == [], said  # raised as a warning, not printed again as a line
    corner = root / "out" / "tiles" / "A" / "r000_c000.parquet"
    kept = [n for n in tile_notes(corner) if WARNING in n]
    # before: the file kept nothing
    assert kept == [f"warning: {next(w for w in raised if WARNING in w)}"], tile_notes(corner)
    # the field PSF task's warning (field X, a counts image without stars) is kept with each of X's tiles
    x_tiles = sorted((root / "out" / "tiles" / "X").glob("*.parquet"))
    assert x_tiles and all(any("to measure its PSF" in n for n in tile_notes(t)) for t in x_tiles), x_tiles
    # as a Ctrl-C leaves it: no summary, some tiles finished (the one with the warning among them)
    tiles = sorted((root / "out" / "tiles" / "A").glob("*.parquet"))
    for t in tiles[-2:]:
        t.unlink()
    (root / "out" / "summary.json").unlink()
    raised, said = run()
    head = [s for s in said if s.startswith("note: ") and "reused tiles" in s]
    assert head == [f"note: {len(x_tiles) + 1} of the {len(tiles) - 2 + len(x_tiles)} reused tiles had warnings "
                    "when an earlier run made them, said again here:"], said
    assert [s for s in said if WARNING in s] == kept, said
    assert not any(WARNING in w for w in raised), raised  # said from the file, not raised again by a tile


def test_thread_workers_say_each_warning_text_once_for_the_survey_as_process_workers_do(root, capfd):
    """A warning every tile raises (given positions with a column of the photometry's name) was raised once per tile
    by thread workers (three tiles, three times; 16 on a simulated field of 16 tiles), where the survey says a
    process worker's once. Now once; the tile that raised it first keeps it in its file."""
    import warnings

    from starclass.survey import read_plan, run_survey
    from starclass.survey.work import tile_notes

    pos = Table.read(root / "pos.ecsv")
    pos["crowding"] = 0.5  # as a simulated truth used as positions has
    pos.write(root / "pos_crowding.ecsv")
    (root / "plan_c.yaml").write_text("model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\n"
                                      "fields:\n  - {name: A, mosaics: m, positions: pos_crowding.ecsv}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_survey(read_plan(root / "plan_c.yaml"), root / "out_c", n_workers=1, threads_per_worker=2,
                            processes=False, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    raised = [str(w.message) for w in caught if "'crowding' -> 'crowding_input'" in str(w.message)]
    assert len(raised) == 1, raised  # before: 3, one per tile with given positions
    kept = [n for t in (root / "out_c" / "tiles" / "A").glob("*.parquet") for n in tile_notes(t)
            if "crowding_input" in n]
    assert kept == [f"warning: {raised[0]}"], kept
    assert "crowding_input" not in capfd.readouterr().err  # not printed a second time as a line
