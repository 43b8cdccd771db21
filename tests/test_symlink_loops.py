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


def test_inspect_backup_to_a_link_loop_is_refused_without_a_traceback(tmp_path):
    # inspect.backup compared --backup with the database by Path.resolve: 'inspect DATA --backup LOOP' (and
    # backup_sqlite(engine, LOOP)) stopped with RuntimeError 'Symlink loop from ...', exit 1, a traceback
    from starclass.inspect import db
    from starclass.inspect.backup import backup_sqlite

    (tmp_path / "data").mkdir()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'inspect.sqlite'}")
    db.init_db(engine)
    loop = _loop(tmp_path)
    with pytest.raises(FileExistsError, match=r"loop_a exists \(overwrite=False\)"):
        backup_sqlite(engine, loop)
    engine.dispose()
    res = runner.invoke(app, ["inspect", str(tmp_path / "data"), "--backup", str(loop)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "loop_a exists; give --overwrite to replace it" in " ".join(res.output.split())
    assert os.readlink(loop) == str(tmp_path / "loop_b")  # the link is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "loop_a", "loop_b"]


@pytest.mark.parametrize("with_images", [False, True])
def test_train_labels_that_are_a_link_loop_are_named_without_a_traceback(tmp_path, with_images):
    # train compared --labels with the catalogue by Path.resolve: 'train --catalog c.ecsv --labels LOOP
    # --label-model dawid-skene' stopped with RuntimeError 'Symlink loop from ...' (exit 1, a traceback): without
    # images since the votes are checked first (3bb5f51f), with mosaics in _vote_targets
    loop = _loop(tmp_path)
    cat = write_catalog(Table({"id": [1, 2], "x": [10.0, 20.0], "y": [12.0, 14.0]}), tmp_path / "c.ecsv")
    write_toy_mosaics(tmp_path / "field")
    images = ["--mosaics", str(tmp_path / "field")] if with_images else []
    res = runner.invoke(app, ["train", "--task", "galaxy-cluster-compact", "--catalog", str(cat), "--labels", str(loop),
                              "--label-model", "dawid-skene", *images, "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    assert "loop_a" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


def test_inspect_with_a_database_that_is_a_link_loop_is_refused_without_a_traceback(tmp_path):
    # the default --db, DATA/inspect.sqlite, was made absolute with Path.resolve: a link loop there (a copied
    # folder whose link pointed at itself) stopped 'inspect DATA --list-users' / '--backup' with RuntimeError
    # 'Symlink loop from ...' (exit 1, a traceback)
    (tmp_path / "data").mkdir()
    os.symlink("inspect.sqlite", tmp_path / "data" / "inspect.sqlite")  # points at itself
    for extra in (["--list-users"], ["--backup", str(tmp_path / "b.sqlite")]):
        res = runner.invoke(app, ["inspect", str(tmp_path / "data"), *extra])
        assert res.exit_code == 2, res.output
        assert "no label database at" in res.output and "Traceback" not in res.output
    assert os.readlink(tmp_path / "data" / "inspect.sqlite") == "inspect.sqlite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
