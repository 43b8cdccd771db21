"""Cutout folders of compressed FITS stamps (``s0.fits.gz``, ``.bz2``, ``.Z``); the list's names once decompressed.

gzip and bzip2 FITS cutouts are read as they are. Unix compress (``.Z``) is read only with the optional
package uncompresspy; without it the refusal names the file and the remedy (``gzip -d``), which leaves
``s0.fits`` in place of ``s0.fits.Z``: until 2026-12-07 the list, still naming ``s0.fits.Z``, was then refused
as "no such file" and nothing more. The refusal now says the name to list, and "no such file" says the
decompressed (or compressed) file beside it.
"""

from __future__ import annotations

import bz2
import gzip
import sys
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from compress_z import lzw_compress
from starclass.cli import app

runner = CliRunner()
PACK = {"gz": gzip.compress, "bz2": bz2.compress, "Z": lzw_compress}


def _folder(root: Path, kind: str | None, listed: str | None = None) -> Path:
    """Three 16 px FITS stamps, compressed as ``kind`` (None: plain), listed with suffix ``listed``."""
    root.mkdir()
    lines = ["file,label"]
    for i in range(3):
        plain = root / f"s{i}.fits"
        fits.PrimaryHDU(np.random.default_rng(i).random((16, 16)).astype(np.float32)).writeto(plain)
        if kind is not None:
            plain.with_name(f"{plain.name}.{kind}").write_bytes(PACK[kind](plain.read_bytes()))
            plain.unlink()
        lines.append(f"s{i}.fits{listed if listed is not None else ('.' + kind if kind else '')},{1 + i % 2}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture()
def no_lzw(monkeypatch):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)


@pytest.mark.parametrize("kind", ["gz", "bz2"])
def test_gzip_and_bzip2_fits_cutouts_are_read(tmp_path, kind):
    res = runner.invoke(app, ["info", str(_folder(tmp_path / "cut", kind))])
    assert res.exit_code == 0, res.output
    assert "cutouts: 3, images 1 x 16 x 16" in _said(res), res.output


@pytest.mark.skipif("uncompresspy" in sys.modules, reason="astropy reads .Z here")
def test_unix_compress_cutouts_are_refused_with_the_names_to_list(tmp_path, no_lzw):
    cut = _folder(tmp_path / "cut", "Z")
    res = runner.invoke(app, ["info", str(cut)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    said = _said(res)
    assert "row 1 (line 2 of the file), file 's0.fits.Z' is compressed with Unix compress (.Z)" in said
    assert "decompressed, it is 's0.fits': list it so in labels.csv (all 3 of its rows name a .Z file" in said


def test_a_listed_file_gone_beside_its_decompressed_twin_names_it(tmp_path):
    # what 'gzip -d cut/*.Z' leaves: s0.fits, the list still naming s0.fits.Z
    cut = _folder(tmp_path / "cut", None, listed=".Z")
    res = runner.invoke(app, ["info", str(cut)])
    assert res.exit_code == 2, res.output
    assert "'s0.fits.Z': no such file" in _said(res)
    assert "s0.fits is there beside it, decompressed: list it by that name ('s0.fits')" in _said(res)


def test_a_listed_plain_name_beside_its_compressed_twin_names_it(tmp_path):
    cut = _folder(tmp_path / "cut", "gz", listed="")
    res = runner.invoke(app, ["info", str(cut)])
    assert res.exit_code == 2, res.output
    assert "s0.fits.gz is there beside it, compressed: list it by that name ('s0.fits.gz'" in _said(res)
