"""A FITS table compressed with bzip2 (``.fits.bz2``), or any compressed FITS table cut short, is read
as FITS and said to be cut short in the FITS readers' words.

Before, ``info cat.fits.bz2`` read it as a text table: a whole one was "required column 'id' missing
... (columns: col1, col2, ...)", one cut short "cannot read cat.fits.bz2 as ascii: EOFError:
Compressed file ended before the end-of-stream marker was reached"; a ``.fits.gz`` table cut short
after its header was "no table HDU in FITS file cat.fits.gz". Both now say "is cut short (a bzip2
file whose compressed data end early, N bytes), as an interrupted copy or download leaves it; copy
it again" (io.mosaic.fits_cut_short, as io.mosaic.unreadable_fits says it).
"""

from __future__ import annotations

import bz2
import gzip

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

runner = CliRunner()


def _fits_bytes(tmp_path) -> bytes:
    rng = np.random.default_rng(3)
    n = 2000
    path = tmp_path / "whole.fits"
    Table({"id": np.arange(n), "x": rng.random(n) * 100, "y": rng.random(n) * 100}).write(path)
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["bz2", "gz"])
def test_a_compressed_table_cut_short_says_so(tmp_path, kind):
    packed = (bz2.compress if kind == "bz2" else gzip.compress)(_fits_bytes(tmp_path))
    path = tmp_path / f"cat.fits.{kind}"
    path.write_bytes(packed[:3000])
    with pytest.raises(StarclassError) as err:
        read_catalog(path)
    msg = str(err.value)
    name = "bzip2" if kind == "bz2" else "gzip"
    assert f"{path} is cut short (a {name} file whose compressed data end early, 3000 bytes)" in msg
    assert "copy it again" in msg
    assert "as ascii" not in msg and "no table HDU" not in msg


def test_a_whole_bz2_table_reads(tmp_path):
    raw = _fits_bytes(tmp_path)
    path = tmp_path / "cat.fits.bz2"
    path.write_bytes(bz2.compress(raw))
    t = read_catalog(path)
    assert len(t) == 2000
    assert np.allclose(t["x"], Table.read(tmp_path / "whole.fits")["x"])


def test_info_on_a_bz2_table_cut_short(tmp_path):
    folder = tmp_path / "dossier coupé"
    folder.mkdir()
    path = folder / "cat.fits.bz2"
    path.write_bytes(bz2.compress(_fits_bytes(tmp_path))[:3000])
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert "is cut short (a bzip2 file whose compressed data end early, 3000 bytes)" in out
