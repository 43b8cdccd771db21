"""``train --stamps`` says when the cutouts are enlarged to the task's stamps (``--stamp-size`` to keep theirs).

docs/seeds.md's open/globular command trained ``open-globular-compact`` (224 px stamps) on the simulator's
64 px cutouts without a word: each was enlarged 3.5x (bilinear), 12x the pixels through the network for no
detail gained, and not the 64 px run whose accuracy the page gives.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import starclass.learn.cutouts as learn_cutouts
from conftest import write_noise_cutout_folder
from starclass.cli import app

runner = CliRunner()


class _Stop(Exception):
    """Raised in place of the training: what is said before it is all these tests look at."""


@pytest.fixture()
def no_training(monkeypatch):
    def stop(*args, **kwargs):
        raise _Stop

    monkeypatch.setattr(learn_cutouts, "fit_cutouts", stop)


def test_cutouts_enlarged_to_the_tasks_stamps_are_said_with_the_size_to_give(tmp_path, no_training):
    write_noise_cutout_folder(tmp_path / "cut", 16, n=8)
    base = ["train", "--task", "m31-real", "--stamps", str(tmp_path / "cut"), "--epochs", "1", "--no-progress"]
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "m64")])
    assert isinstance(res.exception, _Stop), res.output
    said = " ".join(res.output.split())
    # m31-real's stamps are 64 px: 16 px cutouts are enlarged four times, 16x the pixels
    assert ("note: the cutouts (16 px) are enlarged to the task's 64 px stamps (4.0x, bilinear): no detail is "
            "gained, and the network reads 16x the pixels; give --stamp-size 16 to train at their own size") in said
    # the size chosen on the command line is not questioned
    for size in ("16", "64"):
        res = runner.invoke(app, [*base, "--stamp-size", size, "-o", str(tmp_path / f"m{size}")])
        assert isinstance(res.exception, _Stop), res.output
        assert "are enlarged to" not in res.output
