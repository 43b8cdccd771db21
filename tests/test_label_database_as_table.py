"""The label database of ``starclass inspect --db`` given where a table is read.

``starclass evaluate labels.db`` and ``info labels.db`` said "cannot read labels.db as ascii:
UnicodeDecodeError ...", ``suggest --labels labels.db`` / ``train --labels labels.db`` "cannot tell
the catalogue format of labels.db", ``train --stamps labels.db`` "cannot read the CSV ('utf-8' codec
...)": none said it is a database whose labels ``inspect --export`` writes as a table.
"""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "labels.db"
    con = sqlite3.connect(path)
    con.execute("create table labels (candidate_id text, cls integer)")
    con.execute("insert into labels values ('1', 2)")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("args", [["info", "{db}"], ["evaluate", "{db}", "-o", "{out}"]])
def test_commands_name_the_database_and_the_export(database, tmp_path, args):
    out = tmp_path / "ev"
    res = CliRunner().invoke(app, [a.format(db=database, out=out) for a in args])
    assert res.exit_code == 2, res.output
    assert f"{database} is a SQLite database" in res.output and "--export labels.ecsv" in res.output, res.output
    assert "UnicodeDecodeError" not in res.output and not out.exists()


def test_votes_and_cutout_readers_name_the_database_and_the_export(database):
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.labels import read_votes

    for read in (lambda: read_votes(database, "suggest --labels"), lambda: read_cutout_folder(database)):
        with pytest.raises(StarclassError, match=r"labels\.db is a SQLite database .*inspect DATA_DIR --db .*--export"):
            read()


def test_votes_reader_names_a_stamp_store(tmp_path):
    """suggest --labels / train --labels / classify --votes stamps.h5 said 'cannot tell the catalogue format
    of stamps.h5', where every catalogue reader names the store since f13eab1."""
    import numpy as np

    from starclass.learn.labels import read_votes
    from starclass.stamps.store import write_stamp_store

    store = write_stamp_store(tmp_path / "stamps.h5", np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
                              {"id": np.arange(1, 3)}, channels=["g"], normalisation="zscore", bands=["g"])
    with pytest.raises(StarclassError, match=r"train --labels: .*stamps\.h5 is an HDF5 stamp store .*not a catalogue"):
        read_votes(store, "train --labels")


@pytest.mark.parametrize("args", [
    ["train", "--stamps", "{db}", "-o", "{out}"],  # the stamp-store reader, which explain's STAMPS shares
    ["classify", "--stamps", "{db}", "--model", "{model}", "-o", "{out}.csv"],
    ["detect", "{db}", "-o", "{out}.ecsv"],  # the mosaic reader
])
def test_stamp_and_mosaic_readers_name_the_database_too(database, tmp_path, tmp_path_factory, args):
    # 5e77b1d named the database in the catalogue, votes and cutout-list readers, but train --stamps labels.db
    # (and explain) said "not a stamp store nor a list of cutouts", classify --stamps / inspect --stamps
    # "give a cutout folder ...", detect labels.db "cannot read FITS file labels.db: No SIMPLE card found"
    out = tmp_path / "out"
    model = ""
    if "{model}" in args:
        from starclass.learn.checkpoint import write_untrained_model
        from starclass.learn.config import get_preset

        # a model with a manifest, in a folder of its own: classify refuses a missing one from its manifest before
        # reading --stamps (d673f1a7), which would hide the reader's words this test is about
        model = write_untrained_model(tmp_path_factory.mktemp("model") / "m",
                                      get_preset("galaxy-cluster-compact", stamp_size=16))
    res = CliRunner().invoke(app, [a.format(db=database, out=out, model=model) for a in args])
    assert res.exit_code == 2, res.output
    assert f"{database} is a SQLite database" in res.output and "--export labels.ecsv" in res.output, res.output
    assert "SIMPLE" not in res.output and sorted(p.name for p in tmp_path.iterdir()) == ["labels.db"]


def test_inspect_stamps_names_the_database(database):
    # inspect --stamps labels.db (beside a database of its own) said "give a cutout folder (a CSV or a directory) or
    # a classified or suggested list of one"; the CLI asks for --init first where the folder has no database
    from starclass.inspect.cutouts import _read_listed_table

    with pytest.raises(StarclassError, match=r"labels\.db is a SQLite database .*not a cutout folder .*--export"):
        _read_listed_table(database, None)
