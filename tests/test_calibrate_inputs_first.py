"""``starclass calibrate`` checks its inputs before it asks for ``--overwrite``.

Before, ``calibrate MODEL --stamps missing.csv`` on a model that has a calibration (every model
fresh from ``train`` has one) said "... pass --overwrite"; only the re-run with ``--overwrite``
said that the file is not there. The bad input is now named first; nothing is written either way.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def model_and_field(toy_trust_model, tmp_path_factory):
    """The toy model (it has train's calibration) and a labelled held-out toy field."""
    root, cfg, _, _ = toy_trust_model
    field = tmp_path_factory.mktemp("held")
    write_toy_held_out(cfg, field, 30, seed=21)
    return root / "model", field


def _files(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", ["missing stamps", "empty stamps folder", "catalogue without label column"])
def test_a_bad_input_is_named_before_the_overwrite_question(model_and_field, tmp_path, case):
    model, field = model_and_field
    if case == "missing stamps":
        args, says = ["--stamps", str(tmp_path / "missing.csv")], "missing.csv: no such file"
    elif case == "empty stamps folder":
        (tmp_path / "empty").mkdir()
        args, says = ["--stamps", str(tmp_path / "empty")], "no labels.csv and no images"
    else:
        t = Table.read(field / "held.ecsv")
        t.remove_column("class_ref")
        t.write(tmp_path / "nolabel.ecsv")
        args, says = [str(field / "mos"), "--catalog", str(tmp_path / "nolabel.ecsv")], "has no column 'class_ref'"
    before = _files(model)
    res = runner.invoke(app, ["calibrate", str(model), *args, "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert says in out
    assert "--overwrite" not in out
    assert _files(model) == before  # nothing written


def test_good_inputs_without_overwrite_are_still_refused(model_and_field):
    """Guard: the overwrite question is still asked, after the inputs, and nothing is written."""
    model, field = model_and_field
    before = _files(model)
    res = runner.invoke(app, ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"),
                              "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "give --overwrite" in " ".join(res.output.split())
    assert _files(model) == before


def test_a_read_only_model_folder_is_refused_before_the_rows_are_cut(model_and_field, monkeypatch):
    """calibrate rewrites MODEL/manifest.json beside itself: a folder it cannot write was refused only after the
    held-out rows were cut, classified and the calibration fitted ("cannot write .../manifest.json")."""
    import os

    import starclass.stamps

    model, field = model_and_field
    real, target = os.access, os.path.realpath(model)

    def access(path, mode, *args, **kwargs):  # tests run as root, where chmod 555 does not stop a write
        if os.path.realpath(path) == target and mode & os.W_OK:
            return False
        return real(path, mode, *args, **kwargs)

    def no_stamps(*args, **kwargs):
        raise AssertionError("the stamps were cut before the model folder was checked")

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(starclass.stamps, "make_inputs", no_stamps)
    before = _files(model)
    res = runner.invoke(app, ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"),
                              "--device", "cpu", "--overwrite", "--allow-training-rows", "--no-progress"])
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    assert "manifest.json (MODEL): no permission to write in" in out and "Traceback" not in out
    assert _files(model) == before
