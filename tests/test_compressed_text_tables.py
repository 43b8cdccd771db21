"""A text table kept compressed (``cat.csv.gz``, ``.bz2``, ``.xz``) is read as the table inside; one that is not read
so (``.zip``, ``.Z`` without uncompresspy) is refused saying so, with a command that works as printed; compressed
FITS tables are read.

Until 2026-12-06 ``info cat.csv.gz`` (a VizieR download kept as it came) said "line 1 holds a NUL byte, which no text
table does (a binary file, or one cut short when a disk filled)"; then until 2026-12-07 it was refused with the
command that decompresses it. Now the catalogue readers read it (tests/test_compressed_catalogues.py), and so
does the reader of cutout lists (a gzipped ``labels.csv``: tests/test_compressed_cutout_lists.py). Unix ``compress``
has no writer in Python: :func:`compress_z.lzw_compress` writes one.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from compress_z import lzw_compress
from starclass.cli import app
from starclass.io.compressed_text import astropy_reads_lzw

runner = CliRunner()

_TEXT = b"id,x,y,class_ref\n1,10.5,20.0,1\n2,30.0,40.0,2\n3,5.0,6.0,4\n"


def _zip(data: bytes) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("cat.csv", data)
    return buf.getvalue()


_KINDS = {
    ".gz": ("gzip", gzip.compress, "gzip"),
    ".bz2": ("bzip2", bz2.compress, "bzip2"),
    ".xz": ("xz", lzma.compress, "xz"),
    ".Z": ("Unix compress (.Z)", lzw_compress, "uncompress"),
    ".zip": ("zip", _zip, "unzip"),
}


@pytest.mark.parametrize("suffix", [".Z", ".zip"])
def test_a_compressed_csv_not_read_so_is_refused_and_the_printed_command_makes_it_readable(tmp_path, suffix):
    if suffix == ".Z" and astropy_reads_lzw():
        pytest.skip("astropy reads .Z here (uncompresspy): the catalogue is read")
    name, pack, tool = _KINDS[suffix]
    packed = tmp_path / f"cat.csv{suffix}"
    packed.write_bytes(pack(_TEXT))
    res = runner.invoke(app, ["info", str(packed)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"{packed} is a text table compressed with {name}" in said, said
    assert "NUL byte" not in said and "Traceback" not in res.output, said
    assert sorted(p.name for p in tmp_path.iterdir()) == [packed.name]  # nothing written beside it
    if shutil.which(tool) is None:
        pytest.skip(f"no {tool} here to run the printed command")
    command = re.search(r"decompress it first: '([^']+)'", said).group(1)
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    plain = tmp_path / "cat.csv"
    assert plain.read_bytes() == _TEXT
    res = runner.invoke(app, ["info", str(plain)])
    assert res.exit_code == 0 and "rows: 3" in res.output, res.output


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_a_compressed_csv_is_read_as_the_csv_inside(tmp_path, suffix):
    _, pack, _ = _KINDS[suffix]
    packed = tmp_path / f"cat.csv{suffix}"
    packed.write_bytes(pack(_TEXT))
    res = runner.invoke(app, ["info", str(packed)])
    assert res.exit_code == 0, res.output
    assert "(format CSV)" in res.output and "rows: 3" in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [packed.name]  # nothing written beside it


def test_a_compressed_table_under_a_plain_name_is_told_by_its_bytes(tmp_path):
    # a gzipped labels.csv given as a cutout list: it was "line 1 is not UTF-8 text ... save it as 'CSV UTF-8'", then
    # the command that decompresses it; now it is read as the list it holds (tests/test_compressed_cutout_lists.py)
    labels = tmp_path / "labels.csv"
    labels.write_bytes(gzip.compress(b"file,label\na.npy,cluster\nb.npy,star\n"))
    for name in ("a.npy", "b.npy"):
        np.save(tmp_path / name, np.arange(64, dtype=np.float32).reshape(8, 8))
    res = runner.invoke(app, ["info", str(labels)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0 and "cutouts: 2" in said and "labels: cluster 1, star 1" in said, said
    assert "not UTF-8" not in said and "decompress" not in said


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_a_compressed_fits_catalogue_is_read(tmp_path, suffix):
    plain = tmp_path / "cat.fits"
    Table({"id": [1, 2], "x": [10.5, 30.0], "y": [20.0, 40.0], "class_ref": [1, 2]}).write(plain)
    pack = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[suffix]
    packed = Path(f"{plain}{suffix}")
    packed.write_bytes(pack(plain.read_bytes()))
    res = runner.invoke(app, ["info", str(packed)])
    assert res.exit_code == 0, res.output
    assert "rows: 2" in res.output and "1: 1  2: 1" in res.output, res.output


def test_a_spreadsheet_workbook_is_not_told_to_be_unzipped(tmp_path):
    # an .xlsx is a zip of XML parts: "unzip -p" would give them, not a table
    book = tmp_path / "cat.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    res = runner.invoke(app, ["info", str(book)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "is a spreadsheet workbook (Excel or OpenDocument), not a text table" in said, said
    assert "unzip" not in said


def test_info_of_a_compressed_cutout_list_describes_it(tmp_path):
    # read as a catalogue since catalogues are read compressed, it was "not a catalogue of candidates: no id,
    # position ... (file, label)" with the command that decompresses it; the cutout-list reader now reads it
    labels = tmp_path / "labels.csv.gz"
    labels.write_bytes(gzip.compress(b"file,label\na.npy,cluster\nb.npy,star\n"))
    for name in ("a.npy", "b.npy"):
        np.save(tmp_path / name, np.arange(64, dtype=np.float32).reshape(8, 8))
    res = runner.invoke(app, ["info", str(labels)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, said
    assert f"cutout folder: {labels} (a CSV of cutouts)" in said and "labels: cluster 1, star 1" in said, said
    assert "not a catalogue" not in said and "decompress" not in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npy", "b.npy", labels.name]  # nothing written
