"""A whole mosaic compressed with bzip2 or xz (``g_f555w.fits.bz2``) is a mosaic, as a ``.fits.gz`` one is.

Before, io.mosaic.is_fits_name took .gz and .fz only: ``info g_f555w.fits.bz2`` read the file as a
catalogue ("no table HDU in FITS file ..."), and a folder of ``.fits.bz2`` mosaics was "no FITS images
found". Every FITS-name check now asks io.mosaic.fits_suffix, which takes the compressions astropy
opens by itself (io.mosaic.FITS_COMPRESSIONS).
"""

from __future__ import annotations

import bz2
import lzma

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics
from starclass.cli import app
from starclass.io.mosaic import fits_suffix, is_fits_name

runner = CliRunner()

_PACK = {"bz2": bz2.compress, "xz": lzma.compress}


def _packed_field(tmp_path, kind: str):
    """The toy field twice: plain in ``plain/``, each mosaic compressed in ``field é x/`` (a space, an accent)."""
    plain = tmp_path / "plain"
    plain.mkdir()
    names = write_toy_mosaics(plain)
    packed = tmp_path / "field é x"
    packed.mkdir()
    for name in names:
        (packed / f"{name}.{kind}").write_bytes(_PACK[kind]((plain / name).read_bytes()))
    return plain, packed, names


@pytest.mark.parametrize("name", ["g_f555w.fits.bz2", "g_f555w.FIT.xz", "g_f555w.fts.gz", "g.fits.fz", "g.fz"])
def test_compressed_fits_names_are_fits(name):
    assert is_fits_name(name)
    assert name.startswith("g") and fits_suffix(name) == name[name.index("."):]


@pytest.mark.parametrize("name", ["cat.ecsv", "notes.txt.bz2", "cat.csv.gz", "fits.bz2"])
def test_other_names_are_not(name):
    assert not is_fits_name(name)


@pytest.mark.parametrize("kind", ["bz2", "xz"])
def test_info_on_one_compressed_mosaic(tmp_path, kind):
    _, packed, names = _packed_field(tmp_path, kind)
    path = packed / f"{names[0]}.{kind}"
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "no table HDU" not in res.output
    assert "mosaics: 1 band: f555w" in res.output


def test_detect_on_a_folder_of_bz2_mosaics_finds_what_the_plain_ones_give(tmp_path):
    plain, packed, _ = _packed_field(tmp_path, "bz2")
    out_plain, out_packed = tmp_path / "plain.ecsv", tmp_path / "packed.ecsv"
    res = runner.invoke(app, ["detect", str(plain), "-o", str(out_plain)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["detect", str(packed), "-o", str(out_packed)])
    assert res.exit_code == 0, res.output
    assert "no FITS images" not in res.output
    a, b = Table.read(out_plain), Table.read(out_packed)
    assert len(a) > 0 and len(a) == len(b)
    assert list(a["x"]) == list(b["x"]) and list(a["y"]) == list(b["y"])
