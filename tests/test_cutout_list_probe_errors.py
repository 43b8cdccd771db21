"""The probe that tells a cutout list (``io.cutout_folders._table_lists_cutouts``) takes only a failed read.

It caught every ``Exception`` as "this file does not read, so it is no list": a bug in our own code (a
``TypeError``) was taken for a bad file and the command went on to say something else of it. Now it takes
what a failed read raises (``table_read_errors``: OSError, ValueError, EOFError, zlib and lzma errors,
BadZipFile, VerifyError, IORegistryError) and astropy's own ``TypeError``/``KeyError`` of a malformed ECSV
header (``raised_by_reader``); anything else goes up.

And a damaged ECSV or FITS list given as ``--stamps`` was told "write this table as CSV, e.g. with astropy
Table.read(...)", advice that fails as the read did (a FITS list cut short in its header printed astropy's
VerifyWarning first); now the message says why the table does not read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

import starclass.io.cutout_output as cutout_output
from starclass.cli import app
from starclass.io.cutout_folders import _table_lists_cutouts, cutout_list_format

runner = CliRunner()


def _good(tmp_path: Path, suffix: str) -> Path:
    p = tmp_path / f"list{suffix}"
    Table({"file": ["a.npy", "b.npy"], "label": ["cluster", "galaxy"]}).write(p)
    return p


@pytest.fixture(autouse=True)
def _fresh_probe():
    _table_lists_cutouts.cache_clear()  # cached by path, time and size: a test's file is its own
    yield
    _table_lists_cutouts.cache_clear()


@pytest.mark.parametrize("suffix", [".ecsv", ".fits"])
def test_a_bug_of_ours_is_not_taken_for_a_bad_file(tmp_path, monkeypatch, suffix):
    p = _good(tmp_path, suffix)
    assert cutout_list_format(p) is not None  # a list, read as one

    def broken(path, fmt, **kwargs):  # the probe asks for the first rows only (rows=)
        raise TypeError("a bug in starclass's reader")

    _table_lists_cutouts.cache_clear()
    monkeypatch.setattr(cutout_output, "read_table_as", broken)
    with pytest.raises(TypeError, match="a bug in starclass"):
        cutout_list_format(p)


def test_astropys_failure_of_a_malformed_ecsv_header_is_a_failed_read(tmp_path):
    # astropy raises TypeError ('int' object is not iterable) for a header of another shape: no list
    p = tmp_path / "list.ecsv"
    p.write_text("# %ECSV 1.0\n# ---\n# datatype: 5\nfile label\na.npy cluster\n")
    assert cutout_list_format(p) is None


def _cut_fits(tmp_path: Path) -> Path:
    p = _good(tmp_path, ".fits")
    p.write_bytes(p.read_bytes()[:1000])  # cut inside the primary header
    return p


def _ragged_ecsv(tmp_path: Path) -> Path:
    p = _good(tmp_path, ".ecsv")
    p.write_text(p.read_text() + "c.npy\n")
    return p


def _bad_yaml_ecsv(tmp_path: Path) -> Path:
    p = tmp_path / "list.ecsv"
    p.write_text("# %ECSV 1.0\n# ---\n# datatype: 5\nfile label\na.npy cluster\n")
    return p


def _damaged_gzip(tmp_path: Path) -> Path:
    p = tmp_path / "list.fits.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00" + b"junk" * 20)
    return p


@pytest.mark.parametrize(("make", "said"), [
    (_cut_fits, "is cut short inside its FITS header (1000 bytes)"),
    (_ragged_ecsv, "does not read as ECSV (InconsistentTableError: Number of header columns (2) inconsistent"),
    (_bad_yaml_ecsv, "its ECSV header (the YAML in its '#' lines) is not as astropy writes it (TypeError"),
    (_damaged_gzip, "its gzip data are damaged"),
])
def test_a_damaged_list_is_told_why_it_does_not_read(tmp_path, make, said):
    p = make(tmp_path)
    res = runner.invoke(app, ["train", "--stamps", str(p), "-o", str(tmp_path / "m.pt")])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert said in text, text
    # no advice that fails as the read did, no astropy warning, no traceback; nothing written
    assert "write this table as CSV" not in text and "Header size is not multiple" not in text, text
    assert "Traceback" not in res.output and not (tmp_path / "m.pt").exists()


def test_a_tsv_is_told_the_format_astropy_needs(tmp_path):
    # Table.read('labels.tsv') is "Format could not be identified": the advice names the format
    p = tmp_path / "labels.tsv"
    p.write_text("file\tlabel\na.npy\tcluster\n")
    res = runner.invoke(app, ["train", "--stamps", str(p), "-o", str(tmp_path / "m.pt")])
    assert res.exit_code == 2, res.output
    advice = " ".join(res.output.split())
    assert "format='ascii.tab'" in advice, advice
    assert len(Table.read(p, format="ascii.tab")) == 1  # the advice as printed reads it

