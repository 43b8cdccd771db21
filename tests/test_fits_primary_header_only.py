"""A FITS file that is only an empty primary header (no table, no image) is said to be that, not "cut short".

``fits.PrimaryHDU().writeto(f)`` writes such a file on purpose. Until 2026-12-07 ``info f.fits`` and the cutout-list
reader said it "ends after its primary header (2880 bytes) with no data and no table after it: cut short, as an
interrupted copy or download leaves it", and one without ``EXTEND`` was "no table HDU in FITS file" (info) or
astropy's bare "No table found" (the list reader). Now each names the file and says it is a FITS file with no
table or image HDU, exit 2.
"""

from __future__ import annotations

import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.mosaic import read_fits_table

runner = CliRunner()

_SAID = "is a FITS file with no table or image HDU: only an empty primary header (2880 bytes)"


def _primary_only(path, extend: bool):
    hdu = fits.PrimaryHDU()
    if not extend:
        del hdu.header["EXTEND"]
    hdu.writeto(path)
    return path


@pytest.mark.parametrize("extend", [True, False])
def test_info_says_what_the_file_is(tmp_path, extend):
    path = _primary_only(tmp_path / "cat.fits", extend)
    res = runner.invoke(app, ["info", str(path)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert f"{path} {_SAID}" in said, said
    assert "cut short" not in said and "no table HDU" not in said and "Traceback" not in res.output, said
    with pytest.raises(StarclassError, match="no table or image HDU"):
        read_catalog(path)


@pytest.mark.parametrize("extend", [True, False])
def test_the_list_reader_says_what_the_file_is(tmp_path, extend):
    path = _primary_only(tmp_path / "list.fits", extend)
    with pytest.raises(OSError, match="no table or image HDU") as caught:
        read_fits_table(path)
    assert str(path) in str(caught.value) and "cut short" not in str(caught.value)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--stamps", str(path), "--output", str(out)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and f"{path} {_SAID}" in said, said
    assert not out.exists()
