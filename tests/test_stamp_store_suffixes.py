"""One list of a stamp store's file endings (``starclass.schema.STAMP_STORE_SUFFIXES``) for its writer and readers.

``cutouts -o x.hdf`` (and ``--merge``) took ``.h5``, ``.hdf5`` and ``.hdf`` (``cli.cutouts_cmd.STORE_SUFFIXES``)
while the readers knew ``.h5`` and ``.hdf5`` (``io.cutout_folders.STAMP_STORE_SUFFIXES``): a store cutouts
wrote as ``x.hdf`` could not be drawn (``drawing_origin``: "neither an image file nor a stamp store"), a file
named ``x.hdf`` that is no HDF5 was not called "not a stamp store" by calibrate and classify as ``x.h5`` was,
and ``x.hdf`` given as a model was read as a checkpoint. ``.hdf`` now counts everywhere.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app

runner = CliRunner()
#: the endings cutouts has written since before 2026-12-07 (its --output and --merge took them)
ENDINGS = (".h5", ".hdf5", ".hdf")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return one_band_model(tmp_path_factory.mktemp("m") / "model")


def test_one_list_of_endings_for_the_writer_and_the_readers():
    import starclass.cli.cutouts_cmd as cutouts_cmd
    import starclass.io.cutout_folders as cutout_folders
    from starclass.schema import STAMP_STORE_SUFFIXES

    assert set(STAMP_STORE_SUFFIXES) == set(ENDINGS)
    # no second list left under another name
    assert not hasattr(cutouts_cmd, "STORE_SUFFIXES")
    assert cutout_folders.STAMP_STORE_SUFFIXES is STAMP_STORE_SUFFIXES


@pytest.mark.parametrize("suffix", ENDINGS)
def test_every_ending_cutouts_writes_is_a_store_to_the_readers(tmp_path, suffix):
    from starclass.io.cutout_folders import drawing_origin, is_store_file
    from starclass.stamps.store import StampStore, write_stamp_store

    path = write_stamp_store(tmp_path / f"stamps{suffix}", np.zeros((2, 1, 8, 8), np.float32),
                             np.ones((2, 8, 8), bool), {"x": [1.0, 2.0], "y": [1.0, 2.0]}, channels=["f555w"])
    assert StampStore(path).shape == (2, 1, 8, 8)
    assert is_store_file(path) and drawing_origin(path) == "lower"  # y up, as cut from FITS mosaics
    # a file so named that is no HDF5 is a store that is broken, not a cutout list
    fake = tmp_path / f"fake{suffix}"
    fake.write_text("hello\n")
    assert is_store_file(fake)


@pytest.mark.parametrize("verb", ["calibrate", "classify", "train"])
def test_a_text_file_named_hdf_is_no_stamp_store(tmp_path, model, verb):
    fake = tmp_path / "stamps.hdf"
    fake.write_text("hello\n")
    out = tmp_path / "out.ecsv"
    args = {"calibrate": ["calibrate", str(model), "--stamps", str(fake)],
            "classify": ["classify", "--stamps", str(fake), "--model", str(model), "-o", str(out)],
            "train": ["train", "--stamps", str(fake), "-o", str(tmp_path / "m2")]}[verb]
    res = runner.invoke(app, args)
    said = " ".join(res.output.split())
    assert res.exit_code == 2, said
    assert f"{fake}: not a stamp store (the HDF5 file 'starclass cutouts' writes)" in said, said
    assert fake.read_text() == "hello\n" and not out.exists() and not (tmp_path / "m2").exists()


def test_a_store_given_as_the_model_is_named(tmp_path):
    from starclass.errors import StarclassError
    from starclass.learn.checkpoint import member_paths

    for suffix in ENDINGS:
        (tmp_path / f"s{suffix}").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
        with pytest.raises(StarclassError, match="is an HDF5 file \\(a stamp store\\?\\), not a model"):
            member_paths(tmp_path / f"s{suffix}")
