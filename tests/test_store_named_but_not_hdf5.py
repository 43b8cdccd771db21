"""A ``--stamps stamps.h5`` that is no HDF5 file is called no stamp store by calibrate and classify, as by train.

``calibrate`` and ``classify`` chose the stamp-store reader by the HDF5 signature alone, so a file named as a
store that is none (a text file saved as ``stamps.h5``, an error page downloaded under that name) went to the
cutout-list reader: ``calibrate MODEL --stamps x.h5`` said "x.h5 has a header but no rows" and ``classify``
"give a cutout folder (a directory of images, or a list of cutouts ...)", where ``train --stamps x.h5`` said
"x.h5: not a stamp store (the HDF5 file 'starclass cutouts' writes) nor a list of cutouts ...". Found by the
bad-input sweep of 2026-12-07 (benchmarks/hardening_probes.py's store probes).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return one_band_model(tmp_path_factory.mktemp("m") / "model")


@pytest.mark.parametrize("verb", ["calibrate", "classify", "train"])
def test_a_text_file_named_as_a_store_is_no_stamp_store(tmp_path, model, verb):
    fake = tmp_path / "stamps.h5"
    fake.write_text("hello\n")
    out = tmp_path / "out.ecsv"
    args = {"calibrate": ["calibrate", str(model), "--stamps", str(fake)],
            "classify": ["classify", "--stamps", str(fake), "--model", str(model), "-o", str(out)],
            "train": ["train", "--stamps", str(fake), "-o", str(tmp_path / "m2")]}[verb]
    res = runner.invoke(app, args)
    said = " ".join(res.output.split())
    assert res.exit_code == 2, said
    assert f"{fake}: not a stamp store (the HDF5 file 'starclass cutouts' writes)" in said, said
    assert "Traceback" not in said and "header but no rows" not in said
    assert fake.read_text() == "hello\n" and not out.exists() and not (tmp_path / "m2").exists()


def test_a_cutout_list_and_a_folder_are_not_taken_for_stores(tmp_path):
    from starclass.io.cutout_folders import is_store_file

    (tmp_path / "labels.csv").write_text("file,label\na.png,1\n")
    (tmp_path / "cut.h5").mkdir()  # a folder whatever its name: read as a folder of images
    assert not is_store_file(tmp_path / "labels.csv") and not is_store_file(tmp_path / "cut.h5")
    assert not is_store_file(tmp_path / "missing.h5")
