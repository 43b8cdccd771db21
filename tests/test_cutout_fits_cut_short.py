"""A FITS cutout cut short inside its header, or not FITS at all, is said to be so as the mosaics say it.

Before, a stamp in a cutout folder or stamp CSV whose copy stopped inside its header failed with
"cannot read the image (OSError: Empty or corrupt FITS file)" (and astropy's VerifyWarning about
HDU #0 where warnings were shown), which does not say the file is incomplete; a text file saved as
``.fits`` got astropy's "No SIMPLE card found". The cutout reader now words both with
io.mosaic.unreadable_fits, after the reader's place (the file, or the CSV's row and file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder

SRC = str(Path(__file__).resolve().parents[1] / "src")
CUT = "is cut short inside its FITS header"


def _folder(root: Path) -> Path:
    for label in ("cluster", "galaxy"):
        (root / label).mkdir(parents=True)
        for k in range(2):
            header = fits.Header({f"HIST{i}": i for i in range(20)})  # a header longer than 1000 bytes
            fits.PrimaryHDU(np.ones((16, 16), np.float32), header).writeto(root / label / f"{k}.fits")
    cut = root / "galaxy" / "1.fits"
    cut.write_bytes(cut.read_bytes()[:1000])
    (root / "cluster" / "1.fits").write_text("id,x,y\n1,2,3\n")
    return root


def _info(target: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "starclass", "info", str(target)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("layout", ["folders", "csv"])
def test_info_says_the_stamp_is_cut_short(tmp_path, layout):
    root = _folder(tmp_path / "cut")
    (root / "cluster" / "1.fits").unlink()
    if layout == "csv":
        target = root / "stamps.csv"
        target.write_text("file,label\ncluster/0.fits,cluster\ngalaxy/1.fits,galaxy\n")
        place = f"{target}: row 2 (line 3 of the file), file 'galaxy/1.fits' "
    else:
        target, place = root, f"{root / 'galaxy' / '1.fits'} "
    before = sorted(p.name for p in root.rglob("*"))
    done = _info(target)
    assert done.returncode == 2, done.stderr
    assert f"{place}{CUT} (1000 bytes)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "VerifyWarning" not in done.stderr + done.stdout, done.stderr
    assert "Empty or corrupt" not in done.stderr
    assert sorted(p.name for p in root.rglob("*")) == before  # nothing written


def test_a_text_file_named_fits_is_not_a_fits_file(tmp_path):
    root = _folder(tmp_path / "cut")
    target = root / "stamps.csv"
    target.write_text("file,label\ncluster/0.fits,cluster\ncluster/1.fits,galaxy\n")
    done = _info(target)
    assert done.returncode == 2, done.stderr
    assert (f"{target}: row 2 (line 3 of the file), file 'cluster/1.fits' is not a FITS file (its first bytes "
            "are not a FITS header)") in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "SIMPLE" not in done.stderr


def test_reading_the_folder_warns_nothing(tmp_path):
    root = _folder(tmp_path / "cut")
    (root / "cluster" / "1.fits").unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(StarclassError) as info:
            read_cutout_folder(root)
    assert f"{root / 'galaxy' / '1.fits'} {CUT} (1000 bytes)" in str(info.value), info.value
    assert not [w for w in caught if "Error validating header" in str(w.message)], [str(w.message) for w in caught]
