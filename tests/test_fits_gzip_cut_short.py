"""A gzipped FITS file (``x.fits.gz``) cut short is said to be so, and a cutout's file is named once.

Before, a ``.fits.gz`` whose copy stopped early (inside its header or its data) got astropy's
"Empty or corrupt FITS file" through io.mosaic.unreadable_fits' last resort, "cannot read FITS file
PATH: ...", which the cutout reader put after its own place: 'PATH: cannot read FITS file PATH: Empty
or corrupt FITS file' (the file named twice). unreadable_fits now reads a gzip (or bzip2) file's
compressed stream and says where it ends early; the cutout reader drops the second name.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

from starclass.io.mosaic import unreadable_fits

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _fits_bytes(n_cards: int = 60) -> bytes:
    rng = np.random.default_rng(3)
    # varied header values: a header that compresses to a few hundred bytes, so a cut there is inside it
    header = fits.Header({f"K{i}": float(rng.random()) for i in range(n_cards)})
    buf = io.BytesIO()
    fits.PrimaryHDU(rng.random((16, 16)).astype(np.float32), header).writeto(buf)
    return buf.getvalue()


def _folder(root: Path, cut_at: int) -> Path:
    for label in ("cluster", "galaxy"):
        (root / label).mkdir(parents=True)
        for k in range(2):
            (root / label / f"{k}.fits.gz").write_bytes(gzip.compress(_fits_bytes()))
    cut = root / "galaxy" / "1.fits.gz"
    cut.write_bytes(cut.read_bytes()[:cut_at])
    return root


def _info(target: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "starclass", "info", str(target)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("layout", ["folders", "csv"])
def test_info_says_a_gzipped_stamp_is_cut_short_inside_its_header_naming_it_once(tmp_path, layout):
    root = _folder(tmp_path / "cut", 400)
    if layout == "csv":
        target = root / "stamps.csv"
        target.write_text("file,label\ncluster/0.fits.gz,cluster\ngalaxy/1.fits.gz,galaxy\n")
        place = f"{target}: row 2 (line 3 of the file), file 'galaxy/1.fits.gz' "
    else:
        target, place = root, f"{root / 'galaxy' / '1.fits.gz'} "
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = _info(target)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert (f"{place}is cut short inside its FITS header (a gzip file whose compressed data end early, 400 bytes), "
            "as an interrupted copy or download leaves it; copy it again") in done.stderr, done.stderr
    assert done.stderr.count("1.fits.gz") == 1, done.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before  # nothing written or changed


def test_a_stamp_astropy_cannot_read_is_named_once(tmp_path):
    root = _folder(tmp_path / "bad", 10_000)  # not cut: replaced below
    bad = root / "galaxy" / "1.fits.gz"
    bad.write_bytes(gzip.compress(b"SIMPLE  = not a header at all " * 20))
    done = _info(root)
    assert done.returncode == 2, done.stderr
    assert f"{bad}: cannot read it as FITS: " in done.stderr, done.stderr
    assert done.stderr.count("1.fits.gz") == 1, done.stderr


def test_a_gzipped_mosaic_cut_in_its_data_is_said_to_be_cut_short(tmp_path):
    whole = gzip.compress(_fits_bytes())
    mosaic = tmp_path / "f555w.fits.gz"
    mosaic.write_bytes(whole[:len(whole) - 200])
    try:
        fits.open(mosaic, memmap=False)[0].data.sum()
    except (OSError, EOFError) as exc:
        said = unreadable_fits(mosaic, exc)
    else:
        pytest.fail("astropy read a cut gzip file")
    assert said == (f"{mosaic} is cut short (a gzip file whose compressed data end early, {len(whole) - 200} bytes), "
                    "as an interrupted copy or download leaves it; copy it again")


def test_a_whole_gzip_file_is_not_said_to_be_cut_short(tmp_path):
    f = tmp_path / "f555w.fits.gz"
    f.write_bytes(gzip.compress(b"SIMPLE  = not a header at all " * 20))
    said = unreadable_fits(f, OSError("Empty or corrupt FITS file"))
    assert said == f"cannot read FITS file {f}: Empty or corrupt FITS file"
