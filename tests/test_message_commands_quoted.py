"""Commands a message offers quote a path holding a space, so the command copied from it runs.

``info "my data/f555w.fits.Z"`` said "uncompress it first ('gzip -d my data/f555w.fits.Z' or ...)": the
command copied from between the quotes gave gzip two files, ``my`` and ``data/f555w.fits.Z``. The same
for the other messages that offer a command with a path (a stamp store given as mosaics, a label
database given as a table, a catalogue given as cutouts, ``inspect --init`` without a catalogue, ``train``
given a catalogue and no images).
"""

from __future__ import annotations

import re
import shlex
import sqlite3

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from conftest import write_toy_mosaics
from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()


def _commands(text: str, program: str) -> list[list[str]]:
    """The commands ``text`` offers that start with ``program``, each split as a shell splits it."""
    flat = " ".join(text.split())
    # a command that quotes a word is shown in double quotes, any other in single quotes
    found = re.findall(rf'"({program} [^"]*)"', flat) + re.findall(rf"'({program} [^']*)'", flat)
    return [shlex.split(c) for c in found]


@pytest.fixture
def spaced(tmp_path):
    folder = tmp_path / "my data"
    folder.mkdir()
    return folder


def test_the_compress_remedy_quotes_the_path(spaced, monkeypatch):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    names = write_toy_mosaics(spaced)
    first = spaced / names[0]
    z = spaced / f"{names[0]}.Z"
    z.write_bytes(b"\x1f\x9d\x90" + first.read_bytes()[:200])
    first.unlink()
    res = runner.invoke(app, ["info", str(z)])
    assert res.exit_code == 2, res.output
    gzip, uncompress = _commands(res.output, "gzip"), _commands(res.output, "uncompress")
    assert ["gzip", "-d", str(z)] in gzip, res.output
    assert ["uncompress", str(z)] in uncompress, res.output


def test_a_stamp_store_given_as_mosaics_offers_commands_that_run(spaced):
    from starclass.stamps.store import write_stamp_store

    store = write_stamp_store(spaced / "stamps.h5", np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
                              {"id": np.arange(1, 3)}, channels=["g"], normalisation="zscore", bands=["g"])
    res = runner.invoke(app, ["detect", str(store), "-o", str(spaced / "c.ecsv")])
    assert res.exit_code == 2, res.output
    offered = _commands(res.output, "starclass")
    assert ["starclass", "train", "--stamps", str(store)] in offered, res.output
    assert ["starclass", "info", str(store)] in offered, res.output


def test_a_label_database_given_as_a_table_offers_an_export_that_runs(spaced):
    db = spaced / "labels.db"
    con = sqlite3.connect(db)
    con.execute("create table labels (candidate_id text, cls integer)")
    con.commit()
    con.close()
    res = runner.invoke(app, ["info", str(db)])
    assert res.exit_code == 2, res.output
    assert ["starclass", "inspect", "DATA_DIR", "--db", str(db), "--export", "labels.ecsv"] in \
        _commands(res.output, "starclass"), res.output


def test_a_catalogue_given_as_cutouts_offers_a_cutouts_command_that_runs(spaced):
    from starclass.stamps.store import not_a_store_message

    cat = spaced / "truth.ecsv"
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0]}).write(cat)
    offered = _commands(not_a_store_message(cat), "starclass")
    assert ["starclass", "cutouts", "MOSAICS", "--catalog", str(cat), "--task", "TASK_OR_MODEL", "-o",
            "STAMPS.h5"] in offered, offered


def test_train_on_a_catalogue_alone_offers_a_cutouts_command_that_runs(spaced):
    from starclass.cli.train_cmd import _no_images

    cat, task = spaced / "cat.ecsv", spaced / "my task.yaml"
    text = _no_images([str(cat)], str(task))
    assert ["starclass", "cutouts", "MOSAICS", "--catalog", str(cat), "--task", str(task), "-o", "stamps.h5"] in \
        _commands(text, "starclass"), text


def test_inspect_init_without_a_catalogue_offers_a_detect_that_runs(spaced):
    from starclass.cli.inspect_cmd import _refuse_init_without_catalogue

    with pytest.raises(StarclassError) as exc:
        _refuse_init_without_catalogue(spaced, None, f"sqlite:///{spaced / 'labels.db'}")
    assert ["starclass", "detect", str(spaced), "-o", str(spaced / "candidates.ecsv")] in \
        _commands(str(exc.value), "starclass"), str(exc.value)


def test_a_plain_path_is_shown_as_before(tmp_path):
    from starclass.errors import shell_word, shown_command

    assert shown_command(f"starclass info {shell_word(tmp_path / 'a.h5')}") == f"'starclass info {tmp_path}/a.h5'"


def test_info_of_a_simulation_json_offers_an_info_that_runs(spaced):
    import json

    doc = spaced / "simulation.json"
    doc.write_text(json.dumps({"config": {"seed": 3}, "preset": "legus-like"}))
    res = runner.invoke(app, ["info", str(doc)])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert f"the simulated data: starclass info {shlex.quote(str(spaced))}" in flat, flat


def test_a_demo_folder_offers_infos_that_run(spaced):
    from starclass.cli.info_outputs import DEMO_ENTRIES, demo_lines

    for name in DEMO_ENTRIES:
        (spaced / name).mkdir() if "." not in name else (spaced / name).write_text("")
    lines = demo_lines(spaced)
    model = next(ln for ln in lines if "model:" in ln)
    assert shlex.split(model.split("model: ", 1)[1]) == ["starclass", "info", str(spaced / "model")], model


def test_the_legus_reference_hint_quotes_the_catalogue():
    from starclass.evaluate.compare import legus_class_hint

    t = Table({"legus_col34": [0, 1], "legus_col35": [2.0, 0.0]}, meta={"legus_layout": "unknown-class"})
    said = legus_class_hint(t, "ngc 45.tab")
    assert "PRED -r 'ngc 45.tab' --reference-column" in said and "starclass info 'ngc 45.tab' --map" in said, said
