"""A loop of symbolic links (``ln -s a b; ln -s b a``) given as any input, or as a model's member, is
named like a missing file (exit 2), never a traceback from ``Path.resolve``'s RuntimeError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics, write_untrained_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import write_catalog
from starclass.io.paths import check_output, input_clash
from starclass.learn.checkpoint import member_paths
from starclass.learn.config import get_preset

runner = CliRunner()


def _loop(folder: Path, a: str = "loop_a", b: str = "loop_b") -> Path:
    os.symlink(folder / b, folder / a)
    os.symlink(folder / a, folder / b)
    return folder / a


def test_an_input_that_is_a_link_loop_is_compared_without_a_traceback(tmp_path):
    loop = _loop(tmp_path)
    # before: RuntimeError("Symlink loop from ...") out of Path.resolve in the check every command runs first
    assert input_clash(tmp_path / "out.ecsv", [loop]) is None
    check_output(tmp_path / "out.ecsv", [loop], option="--output")
    with pytest.raises(StarclassError, match="is one of the command's inputs"):
        check_output(loop, [loop], option="--output", overwrite=True)


def test_cutouts_with_a_catalogue_that_is_a_link_loop_says_so_with_exit_2(tmp_path):
    loop = _loop(tmp_path)
    write_toy_mosaics(tmp_path / "field")
    res = runner.invoke(app, ["cutouts", str(tmp_path / "field"), "-c", str(loop), "-o", str(tmp_path / "s.h5")])
    assert res.exit_code == 2, res.output
    assert "loop_a" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "s.h5").exists()


def test_a_model_member_that_is_a_link_loop_is_named_as_a_link(tmp_path):
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    member = model / "member_01.pt"
    member.unlink()
    os.symlink("member_01.pt", member)  # points at itself
    with pytest.raises(StarclassError,
                       match=r"member files missing: .*member_01\.pt \(a link to member_01\.pt, in a loop of links"):
        member_paths(model)
    cat = write_catalog(Table({"id": [1], "x": [3.0], "y": [4.0]}), tmp_path / "c.ecsv")
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 2 and "a link to member_01.pt" in res.output, res.output
    res = runner.invoke(app, ["suggest", str(_loop(tmp_path, "m1", "m2")), str(cat), "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert not (tmp_path / "s.ecsv").exists()
