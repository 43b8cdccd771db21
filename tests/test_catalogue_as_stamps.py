"""A candidate catalogue given where stamps are taken is named a catalogue, with the command that cuts its stamps.

``explain MODEL truth.ecsv`` (and ``train --stamps truth.ecsv``) said "not a stamp store ... nor a list of
cutouts ...: write this table as CSV, e.g. with astropy Table.read('truth.ecsv').write('truth.csv')", which
gives a CSV without a ``file`` column, refused next. A table that has a ``file`` column is read as a list of
cutouts since 2026-12-06 (ECSV, Parquet, FITS); one in another format (``.tsv``) keeps that advice.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.stamps.store import not_a_store_message


def test_a_catalogue_is_named_and_cutouts_suggested(tmp_path):
    cat = tmp_path / "truth.ecsv"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 4]}).write(cat)
    said = not_a_store_message(cat)
    assert "it is a catalogue (columns id, x, y, class_ref; no 'file' column naming cutouts)" in said, said
    assert f"'starclass cutouts MOSAICS --catalog {cat} --task TASK_OR_MODEL -o STAMPS.h5'" in said
    assert "write this table as CSV" not in said  # the old code's advice
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(cat), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "it is a catalogue" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "m").exists()


def test_a_cutout_list_in_ecsv_is_read_as_a_list(tmp_path):
    # told to be written as CSV until 2026-12-06; read as a list since (tests/test_cutout_list_tables.py):
    # its missing file is named, not the table's format
    lst = tmp_path / "labels.ecsv"
    Table({"file": ["a.png"], "label": ["cluster"]}).write(lst)
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(lst), "-o", str(tmp_path / "m")])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "row 1, file 'a.png'" in said and "no such file" in said, res.output
    assert "write this table as CSV" not in said
    # a table in a format lists are not read from keeps the advice
    tsv = tmp_path / "labels.tsv"
    tsv.write_text("file\tlabel\na.png\tcluster\n")
    # with the format astropy needs for a .tsv, which it cannot tell by that name (test_cutout_list_probe_errors.py)
    assert (f"write this table as CSV, e.g. with astropy Table.read({str(tsv)!r}, format='ascii.tab')"
            in not_a_store_message(tsv))


def _compressed(plain, suffix):
    """``plain`` (a .fits file) as ``plain`` + ``suffix``, compressed as that suffix says."""
    import bz2
    import gzip
    import lzma
    import zipfile

    out = plain.with_name(plain.name + suffix)
    data = plain.read_bytes()
    if suffix == ".zip":
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr(plain.name, data)
    else:
        out.write_bytes({".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[suffix](data))
    return out


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip"])
def test_a_compressed_fits_table_is_told_as_the_plain_one(tmp_path, suffix):
    """``train --stamps cat.fits.zip`` said "write this table as CSV, e.g. with astropy Table.read('cat.fits.zip')
    ...", where ``cat.fits`` (and .fits.gz, .fits.bz2) is "a catalogue ...; cut its stamps ...": the store's
    look at the table let astropy guess the format, and a zip shows FITS neither by name nor by its first
    bytes. The advice given a cutout list is one that reads the file."""
    cat, lst = tmp_path / "cat.fits", tmp_path / "list.fits"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 4]}).write(cat)
    Table({"file": ["a.png", "b.png"], "label": ["cluster", "galaxy"]}).write(lst)
    for plain in (cat, lst):
        packed = _compressed(plain, suffix)
        said = not_a_store_message(packed)
        assert said == not_a_store_message(plain).replace(str(plain), str(packed)), (said, not_a_store_message(plain))
    packed = _compressed(cat, suffix)
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(packed), "-o", str(tmp_path / "m")])
    said = not_a_store_message(packed)
    assert res.exit_code == 2 and " ".join(said.split()) in " ".join(res.output.split()), res.output
    assert "it is a catalogue (columns id, x, y, class_ref" in said
    # the list, compressed, is read as a list since 2026-12-06 (its first file is missing here)
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(_compressed(lst, suffix)), "-o",
                                   str(tmp_path / "m")])
    assert res.exit_code == 2 and "row 1, file 'a.png'" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "m").exists()


def test_a_fits_table_astropy_cannot_open_here_is_said_so(tmp_path, monkeypatch):
    """``train --stamps cat.fits.Z`` without uncompresspy said "write this table as CSV, e.g. with astropy
    Table.read('cat.fits.Z', format='fits')...", advice that fails as the reading did; it now says what the
    mosaic and catalogue readers say of the file (uncompress it)."""
    import starclass.io.mosaic as mosaic

    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    plain = tmp_path / "cat.fits"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0]}).write(plain)
    z = tmp_path / "cat.fits.Z"
    z.write_bytes(b"\x1f\x9d\x90" + plain.read_bytes()[:200])
    said = not_a_store_message(z)
    assert f"{z} is compressed with Unix compress (.Z)" in said and "uncompress it first" in said, said
    assert "write this table as CSV" not in said
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(z), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "compressed with Unix compress" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "m").exists()
