"""A file that is plainly no CSV of cutouts, given as one, is said to be what it is (report, calibrate --stamps).

classify, train and explain refuse such a file before reading it; report --stamps and calibrate
--stamps went straight to io.cutout_folders.read_cutout_folder, which read any file as a CSV: a FITS
mosaic was 'line 1 is not UTF-8 text ... convert it to UTF-8', an ECSV catalogue 'row 3 (line 4 of
the file) has more cells than the header', an empty file 'the CSV has no header'.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder

SRC = str(Path(__file__).resolve().parents[1] / "src")
TAIL = ("not a list of cutouts, which is read from a CSV, ECSV, Parquet or FITS table naming the files (file, label, "
        "...) or a folder of images")


def _mosaic(path: Path) -> Path:
    fits.PrimaryHDU(np.zeros((32, 32), np.float32)).writeto(path)
    return path


def _catalogue(path: Path) -> Path:
    Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]}).write(path)
    return path


@pytest.mark.parametrize("name, make, what", [
    ("f555w.fits", _mosaic, "a FITS file"),
    ("candidates.ecsv", _catalogue, "an ECSV table"),
    ("candidates.parquet", _catalogue, "a Parquet table"),
    ("stamps.h5", lambda p: p.write_bytes(b""), "empty (0 bytes)"),
])
def test_read_cutout_folder_says_what_the_file_is(tmp_path, name, make, what):
    path = tmp_path / name
    make(path)
    with pytest.raises(StarclassError) as info:
        read_cutout_folder(path)
    assert str(info.value) == f"{path} is {what}, {TAIL}"


def test_a_csv_is_still_read_as_one(tmp_path):
    (tmp_path / "labels.csv").write_text("")
    with pytest.raises(StarclassError, match="the CSV has no header"):
        read_cutout_folder(tmp_path / "labels.csv")


def test_calibrate_stamps_a_mosaic_is_named_as_a_fits_file(tmp_path):
    from conftest import one_band_model  # tests/ is on sys.path under pytest

    model = one_band_model(tmp_path / "model")
    mosaic = _mosaic(tmp_path / "f555w.fits")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in model.iterdir())
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "starclass", "calibrate", str(model), "--stamps", str(mosaic),
                           "--overwrite", "--no-progress"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert f"{mosaic} is a FITS file, {TAIL}" in " ".join(done.stderr.split()), done.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in model.iterdir()) == before  # the model is not touched
