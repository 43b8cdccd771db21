"""A classified or suggested cutout list is read under every FITS name, as a plain ``.fits`` one is.

Until 2026-12-06 the readers of such lists (``inspect --stamps``, ``info``, ``evaluate``/``suggest`` through
io.cutout_output.read_cutout_output) looked up the last suffix only: ``inspect --stamps classified.fits.gz`` was
"give a cutout folder ... (.csv, .ecsv, .parquet, .pq, .fits, .fit)", and ``info`` / ``evaluate`` of it "required
column 'id' missing". (classify --stamps and train --stamps take a CSV or a folder only; a FITS list, plain or
compressed, is told to be written as CSV: tests/test_catalogue_as_stamps.py.)
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile

import pytest
from astropy.table import Table
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.inspect.cutouts import read_cutout_list
from starclass.io.cutout_output import read_cutout_output
from starclass.learn.config import get_preset
from test_inspect_stamps import make_folder
from webtools import free_port  # tests/ is on sys.path under pytest

runner = CliRunner()


def _list(tmp_path, name):
    """A classified list of a PNG cutout folder, written as ``name`` (compressed as its name says)."""
    make_folder(tmp_path / "data", n=1)
    plain = tmp_path / "data" / "plain.fits"
    Table({"file": ["cluster/o0.png", "galaxy/o0.png"], "prob_1": [0.2, 0.9], "class_pred": [1, 2]}).write(plain)
    data = plain.read_bytes()
    out = tmp_path / "data" / name
    low = name.lower()
    if low.endswith(".zip"):
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("classified.fits", data)
    elif low.endswith(".z") and name.endswith(".Z"):
        out.write_bytes(b"\x1f\x9d\x90" + data[:200])  # the LZW magic: astropy tells the compression by it
    else:
        pack = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}
        out.write_bytes(next((f for s, f in pack.items() if low.endswith(s)), bytes)(data))
    plain.unlink()
    return out


@pytest.mark.parametrize("name", ["classified.fits.gz", "classified.fits.bz2", "classified.fits.xz",
                                  "classified.fits.zip", "classified.fit.gz", "classified.FTS"])
def test_a_compressed_fits_list_is_read_as_the_plain_one(tmp_path, name):
    lst = _list(tmp_path, name)
    cl = read_cutout_list(lst, get_preset("m31-real"))
    assert cl.ids == ["cluster/o0.png", "galaxy/o0.png"] and cl.images.shape[0] == 2
    t = read_cutout_output(lst)
    assert t is not None and list(t["class_pred"]) == [1, 2]
    res = runner.invoke(app, ["info", str(lst)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    # described as the same list as CSV is (its images, then its classes) since 2026-12-07
    assert f"cutout folder: {lst} (a FITS table of cutouts)" in said and "cutouts: 2" in said, said
    assert "classified (classify --stamps): class_pred: 1: 1 2: 1 (2 classified, 0 without class)" in said, said


def test_a_compress_list_without_uncompresspy_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    lst = _list(tmp_path, "classified.fits.Z")
    with pytest.raises(StarclassError) as err:
        read_cutout_list(lst, get_preset("m31-real"))
    assert f"--stamps: {lst} is compressed with Unix compress (.Z)" in str(err.value), err.value
    res = runner.invoke(app, ["inspect", "--stamps", str(lst), "--task", "m31-real", "--init",
                              "--port", str(free_port())])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"{lst} is compressed with Unix compress (.Z)" in said and "Traceback" not in said, said
    assert not (tmp_path / "data" / "inspect.sqlite").exists()
