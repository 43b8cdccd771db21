"""``survey`` on a finished folder whose inputs changed says for how many tiles, as it did before the early refusal.

26c2899e (2026-12-07) refused a finished ``run2/`` from its summary.json alone, before distributed, the model
and the mosaics were read: fast, but the count run_survey's check gives ("for 9 of its 9 tiles the plan's
inputs, model or settings have changed since") was lost, and the same words came whether nothing had changed
or every mosaic had been rewritten. A finished run now records its inputs (name, size, mtime) and the options
given; the early refusal stands while they are as recorded, and once one changed the command goes on to
run_survey's check, which counts the tiles.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.errors import OutputExistsError
from starclass.survey.run import refuse_complete_output
from test_survey_damaged_tiles import _run, survey_dir  # noqa: F401  (tests/ is on sys.path; the fixture)

pytest.importorskip("distributed")
runner = CliRunner()


def _finished(out: Path, inputs: list[Path], given: dict | None = None) -> None:
    from starclass.survey.run import TILE_FORMAT, input_stamps

    out.mkdir(parents=True)
    (out / "summary.json").write_text(json.dumps({"complete": True, "inputs": input_stamps(inputs),
                                                  "given": given or {}, "tile_format": TILE_FORMAT}))


def test_the_early_refusal_stands_only_while_the_inputs_and_options_are_as_recorded(tmp_path):
    mosaic = tmp_path / "f_g.fits"
    mosaic.write_bytes(b"x" * 100)
    out = tmp_path / "run"
    _finished(out, [mosaic], {"tile_size": "512"})
    with pytest.raises(OutputExistsError):
        refuse_complete_output(out, False, {"tile_size": 512, "model": None})
    refuse_complete_output(out, False, {"tile_size": 256})  # another option: run_survey's check counts
    refuse_complete_output(out, False, {})
    os.utime(mosaic, ns=(1, 1))  # the mosaic rewritten (another mtime)
    refuse_complete_output(out, False, {"tile_size": 512})
    with pytest.raises(OutputExistsError):
        refuse_complete_output(out, False)  # no options given (the Python caller): refused as it is


def test_a_summary_without_the_record_is_refused_as_before(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"complete": True}))
    with pytest.raises(OutputExistsError):
        refuse_complete_output(out, False, {"tile_size": 512})


def test_the_command_says_how_many_tiles_changed(survey_dir, tmp_path):  # noqa: F811
    out = tmp_path / "run"
    first = _run(survey_dir, out)
    assert first.ok
    n = first.summary["n_tiles"]
    cmd = ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--workers", "1", "--no-progress"]
    from starclass.cli import app

    same = runner.invoke(app, cmd)
    said = " ".join(same.output.split())
    assert same.exit_code == 2 and "is complete (summary.json); give --overwrite" in said, said
    assert "have changed since" not in said
    mosaic = survey_dir / "f" / "f_g.fits"
    st = mosaic.stat()
    try:
        os.utime(mosaic, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: a rewritten mosaic's mtime
        changed = runner.invoke(app, cmd)
    finally:
        os.utime(mosaic, ns=(st.st_atime_ns, st.st_mtime_ns))  # the module's other tests see it as it was
    said = " ".join(changed.output.split())
    assert changed.exit_code == 2, said
    assert f"is complete (summary.json), but for {n} of its {n} tiles the plan's inputs, model or settings have " \
           "changed since; give --overwrite" in said, said
