"""``.fits.zip`` and ``.fits.Z`` are FITS names; what astropy cannot open of them is said with the remedy.

astropy.io.fits opens a zip archive holding one file (it extracts the member) and a Unix ``compress``
file only with the optional package uncompresspy. Before, io.mosaic.fits_suffix knew neither name:
``info g_f555w.fits.zip`` read the mosaic as a text table ("line 1 is not UTF-8 text ..."), a folder of
zipped mosaics was "no FITS images found", and a ``.fits.Z`` was said in astropy's words
("cannot read ... as ascii: ModuleNotFoundError: The optional package uncompresspy ...").
"""

from __future__ import annotations

import lzma
import shlex
import zipfile

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from conftest import write_toy_mosaics
from starclass.cli import app
from starclass.io.cutout_folders import image_format
from starclass.io.mosaic import fits_suffix, is_fits_name, unopenable_compression

runner = CliRunner()


def _zipped_field(tmp_path):
    """The toy field twice: plain in ``plain/``, each mosaic zipped alone in ``field é x/``."""
    plain = tmp_path / "plain"
    plain.mkdir()
    names = write_toy_mosaics(plain)
    packed = tmp_path / "field é x"
    packed.mkdir()
    for name in names:
        with zipfile.ZipFile(packed / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(plain / name, arcname=name)
    return plain, packed, names


def _snapshot(folder):
    return sorted((p.relative_to(folder), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.mark.parametrize("name", ["g_f555w.fits.zip", "g_f555w.FIT.ZIP", "g_f555w.fits.Z", "g_f555w.fts.Z"])
def test_zip_and_compress_names_are_fits(name):
    assert is_fits_name(name)
    assert fits_suffix(name) == name[name.index("."):]
    assert image_format(name) == "fits"


@pytest.mark.parametrize("name", ["cat.csv.zip", "fits.zip", "notes.txt.Z"])
def test_other_zip_names_are_not(name):
    assert not is_fits_name(name)


def test_info_on_one_zipped_mosaic(tmp_path):
    _, packed, names = _zipped_field(tmp_path)
    res = runner.invoke(app, ["info", str(packed / f"{names[0]}.zip")])
    assert res.exit_code == 0, res.output
    assert "not UTF-8" not in res.output
    assert "mosaics: 1 band: f555w" in res.output


def test_detect_on_a_folder_of_zipped_mosaics_finds_what_the_plain_ones_give(tmp_path):
    plain, packed, _ = _zipped_field(tmp_path)
    out_plain, out_packed = tmp_path / "plain.ecsv", tmp_path / "packed.ecsv"
    res = runner.invoke(app, ["detect", str(plain), "-o", str(out_plain)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["detect", str(packed), "-o", str(out_packed)])
    assert res.exit_code == 0, res.output
    a, b = Table.read(out_plain), Table.read(out_packed)
    assert len(a) > 0 and len(a) == len(b)
    assert list(a["x"]) == list(b["x"]) and list(a["y"]) == list(b["y"])


def _compressed_field(tmp_path, monkeypatch):
    """A folder whose f555w mosaic is a Unix ``compress`` file, read where uncompresspy is not installed."""
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    folder = tmp_path / "field é x"
    folder.mkdir()
    names = write_toy_mosaics(folder)
    first = folder / names[0]
    # the LZW magic and a header of 16-bit codes: astropy tells the compression by these bytes, not the name
    (folder / f"{names[0]}.Z").write_bytes(b"\x1f\x9d\x90" + first.read_bytes()[:200])
    first.unlink()
    return folder, folder / f"{names[0]}.Z"


@pytest.mark.parametrize("command", ["info", "detect"])
def test_a_compress_file_is_refused_by_name_with_the_remedy(tmp_path, monkeypatch, command):
    folder, z = _compressed_field(tmp_path, monkeypatch)
    target = z if command == "info" else folder
    before = _snapshot(tmp_path)
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, [command, str(target)] + (["-o", str(out)] if command == "detect" else []))
    assert res.exit_code == 2, res.output
    assert f"{z} is compressed with Unix compress (.Z)" in res.output
    assert f"gzip -d {shlex.quote(str(z))}" in res.output and "uncompresspy" in res.output
    assert "Traceback" not in res.output and "ModuleNotFoundError" not in res.output
    assert "not UTF-8" not in res.output and "no FITS images" not in res.output
    assert _snapshot(tmp_path) == before


def test_a_zip_of_several_files_is_refused_by_name(tmp_path):
    plain, _, names = _zipped_field(tmp_path)
    two = tmp_path / "field.fits.zip"
    with zipfile.ZipFile(two, "w") as zf:
        for name in names[:2]:
            zf.write(plain / name, arcname=name)
    res = runner.invoke(app, ["info", str(two)])
    assert res.exit_code == 2, res.output
    assert f"{two} is a zip archive of 2 files" in res.output and "unzip it" in res.output
    assert "Traceback" not in res.output


def test_what_astropy_opens_is_not_refused(tmp_path):
    _, packed, names = _zipped_field(tmp_path)
    assert unopenable_compression(packed / f"{names[0]}.zip") is None
    assert unopenable_compression(tmp_path / "plain" / names[0]) is None


def test_a_zipped_fits_catalogue_is_read(tmp_path):
    # astropy's Table.read tells FITS by the name or the first bytes, and a .fits.zip shows neither: 'info' said
    # "cannot read cat.fits.zip as fits: IORegistryError: Format could not be identified ..." and a 70-line table
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0]}).write(tmp_path / "cat.fits")
    with zipfile.ZipFile(tmp_path / "cat.fits.zip", "w") as zf:
        zf.write(tmp_path / "cat.fits", arcname="cat.fits")
    res = runner.invoke(app, ["info", str(tmp_path / "cat.fits.zip")])
    assert res.exit_code == 0, res.output
    assert "rows: 2" in res.output and "IORegistryError" not in res.output


def _cutout_folder(tmp_path):
    """Two labels of three zipped FITS cutouts each, in a folder with a space and an accent."""
    root = tmp_path / "cuts é x"
    for label in ("cluster", "star"):
        (root / label).mkdir(parents=True)
        for i in range(3):
            plain = tmp_path / f"c{i}.fits"
            fits.PrimaryHDU(np.random.default_rng(i).normal(size=(16, 16)).astype(np.float32)).writeto(
                plain, overwrite=True)
            with zipfile.ZipFile(root / label / f"c{i}.fits.zip", "w") as zf:
                zf.write(plain, arcname=plain.name)
    return root


def test_a_folder_of_zipped_fits_cutouts_is_read(tmp_path):
    res = runner.invoke(app, ["info", str(_cutout_folder(tmp_path))])
    assert res.exit_code == 0, res.output
    assert "cutouts: 6" in res.output and "labels: cluster 3, star 3" in res.output


def test_a_compress_cutout_is_refused_by_name_not_with_a_traceback(tmp_path, monkeypatch):
    # the cutout readers' helpers pass over a file they cannot open (OSError) for read_image to say why; astropy's
    # ModuleNotFoundError went past them as a traceback
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    root = _cutout_folder(tmp_path)
    z = root / "star" / "z.fits.Z"
    z.write_bytes(b"\x1f\x9d\x90" + b"\0" * 64)
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    out = " ".join(res.output.split())
    assert "z.fits.Z is compressed with Unix compress (.Z)" in out and "gzip -d" in out


@pytest.mark.parametrize("kind", ["zip", "xz"])
def test_a_zip_or_xz_mosaic_cut_short_is_said_so(tmp_path, kind):
    # as a .fits.gz or .fits.bz2 cut short is: astropy said "File is not a zip file" and "Empty or corrupt FITS file"
    plain, packed, names = _zipped_field(tmp_path)
    raw = (plain / names[0]).read_bytes()
    whole = (packed / f"{names[0]}.zip").read_bytes() if kind == "zip" else lzma.compress(raw)
    cut = tmp_path / f"cut_{names[0]}.{kind}"
    cut.write_bytes(whole[: len(whole) // 2])
    res = runner.invoke(app, ["info", str(cut)])
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    said = ("a zip archive cut short or damaged" if kind == "zip"
            else "is cut short (an xz file whose compressed data end")
    assert said in out and "copy it again" in out, out
    assert "Traceback" not in out
