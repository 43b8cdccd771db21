"""``info STORE.h5`` names the commands that read a stamp store, as they are.

A walk through the docs (2026-12-07): ``train --stamps stamps.h5`` ended "then classify a stamp store with
'starclass classify --stamps STORE.h5 ...'", and ``info stamps.h5`` said "train --stamps reads it; classify and
calibrate take the mosaics and catalogue instead", though both take the store with ``--stamps`` (their helps say
so, and both ran on it). The line now names the three readers; each named one must say in its help that its
``--stamps`` takes a stamp store.
"""

from __future__ import annotations

import re

import numpy as np
import typer
from typer.testing import CliRunner

from starclass.cli import app
from starclass.stamps.store import write_stamp_store

runner = CliRunner()


def _store(tmp_path):
    p = tmp_path / "stamps.h5"
    write_stamp_store(p, np.zeros((4, 1, 1, 8, 8), np.float32), np.ones((4, 1, 8, 8), bool),
                      {"id": np.arange(1, 5), "x": np.ones(4), "y": np.ones(4), "class_ref": np.array([1, 4, 4, 0])},
                      channels=["f555w"], scales=(1.0,), normalisation="flux", bands=["f555w"])
    return p


def test_info_names_every_command_that_reads_a_store(tmp_path):
    res = runner.invoke(app, ["info", str(_store(tmp_path))])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "take the mosaics and catalogue instead" not in text, text
    named = re.findall(r"\b(train|classify|calibrate) --stamps\b", text)
    assert sorted(set(named)) == ["calibrate", "classify", "train"], text
    group = typer.main.get_command(app)
    for command in set(named):
        option, = [p for p in group.commands[command].params if "--stamps" in getattr(p, "opts", ())]
        assert "stamp store" in " ".join(str(option.help).lower().split()), (command, option.help)
