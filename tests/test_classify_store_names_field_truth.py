"""After ``classify --stamps STORE.h5`` the ``next:`` line names the field's own truth where its mosaics hold one.

Until 2026-12-07 it proposed ``-r TRUTH.ecsv``, a placeholder, though the store records the mosaics it was cut
from and a simulated field's folder holds ``truth.ecsv`` and ``humans.ecsv`` beside them (evaluate's refusal of
a catalogue without a reference names them by the same rule, ``field_references``). Without them the
placeholder stays, said in words.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _store(tmp_path, monkeypatch, *, with_truth: bool):
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    field = tmp_path / "field"
    field.mkdir()
    rng = np.random.default_rng(1)
    for b in cfg.bands:
        fits.writeto(field / f"g_{b}.fits", rng.normal(1.0, 0.1, (60, 60)).astype(np.float32),
                     fits.Header({"ABMAGZP": 25.0}))
    n = 8
    cands = Table({"id": np.arange(1, n + 1), "x": rng.uniform(15, 45, n), "y": rng.uniform(15, 45, n)})
    if with_truth:
        truth = cands.copy()
        truth["class_ref"] = rng.integers(1, 5, n)
        truth.write(field / "truth.ecsv")
        truth.write(field / "humans.ecsv")
    monkeypatch.chdir(tmp_path)
    make_store(read_mosaics(field), cands, "s.h5", cfg, progress=False)  # its record names field/'s files
    return write_untrained_model(tmp_path / "m", cfg), field


def _commands(output: str) -> list[list[str]]:
    line = next(ln for ln in output.splitlines() if ln.startswith("next: "))
    return [shlex.split(c)[1:] for c in re.findall(r"'(starclass [^']*)'", line)]


def test_the_store_next_line_names_the_fields_truth_and_runs_as_printed(tmp_path, monkeypatch):
    model, field = _store(tmp_path, monkeypatch, with_truth=True)
    res = runner.invoke(app, ["classify", "--stamps", "s.h5", "--model", str(model), "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    evaluate = _commands(res.output)[0]
    assert "TRUTH.ecsv" not in res.output, res.output
    assert evaluate[:2] == ["evaluate", "out.ecsv"], evaluate
    named = [Path(w).resolve() for w in evaluate[evaluate.index("-r"):][1::2]]
    assert named == [(field / "truth.ecsv").resolve(), (field / "humans.ecsv").resolve()], evaluate
    ran = runner.invoke(app, [*evaluate, "--bootstrap", "0", "--no-science", "--no-progress"])
    assert ran.exit_code == 0, ran.output


def test_without_a_truth_the_placeholder_is_said_in_words(tmp_path, monkeypatch):
    model, _ = _store(tmp_path, monkeypatch, with_truth=False)
    res = runner.invoke(app, ["classify", "--stamps", "s.h5", "--model", str(model), "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "-r TRUTH.ecsv" in said and "TRUTH.ecsv: a truth, the people's labels" in said, said
