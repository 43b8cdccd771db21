"""A task's stamp side is bounded as ``cutouts --size`` is: 4-1024 px (``starclass.schema.MAX_STAMP_SIZE``).

``starclass train --stamp-size 99999`` passed the task check ("too small" only below 4), read the
mosaics and then died in numpy with a traceback: "Unable to allocate 14.6 TiB for an array with
shape (80, 5, 99999, 99999)" (exit 1). ``cutouts --size 99999`` was refused by its option (4-1024).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset, load_config
from starclass.schema import MAX_STAMP_SIZE


@pytest.mark.parametrize("key", ["stamp_size", "input_size"])
def test_a_task_refuses_a_side_beyond_the_largest_naming_the_key(key):
    with pytest.raises(StarclassError, match=rf"{key}=99999 is too large: at most {MAX_STAMP_SIZE} px"):
        get_preset("legus4-compact", **{key: 99999})
    get_preset("legus4-compact", **{key: MAX_STAMP_SIZE})  # the largest is taken


def test_a_task_file_with_a_huge_stamp_size_is_refused_naming_the_file(tmp_path):
    task = tmp_path / "big.yaml"
    task.write_text("extends: legus4-compact\nstamp_size: 99999\n")
    with pytest.raises(StarclassError, match="big.*stamp_size=99999 is too large"):
        load_config(task)


@pytest.mark.parametrize("option", ["--stamp-size", "--input-size"])
def test_train_refuses_a_huge_side_naming_the_option_before_reading_anything(option, tmp_path):
    absent = str(tmp_path / "absent")
    r = CliRunner().invoke(app, ["train", "--task", "legus4-compact", "-m", absent, "-c", absent + ".ecsv",
                                 "-o", str(tmp_path / "m"), option, "99999"])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert option in r.output and "at most 1024" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_cutouts_and_train_share_the_bound():
    import typer

    cmd = typer.main.get_command(app)
    size = next(p for p in cmd.commands["cutouts"].params if "--size" in p.opts)
    assert f"4-{MAX_STAMP_SIZE}" in size.help
    r = CliRunner().invoke(app, ["cutouts", "m.fits", "-c", "c.ecsv", "-o", "s.h5", "--size", str(MAX_STAMP_SIZE + 1)])
    assert r.exit_code == 2, r.output  # typer's range check (its boxed message wraps the number)
    train = {p.opts[0]: p.help for p in cmd.commands["train"].params}
    assert f"4-{MAX_STAMP_SIZE}" in train["--stamp-size"] and f"4-{MAX_STAMP_SIZE}" in train["--input-size"]
