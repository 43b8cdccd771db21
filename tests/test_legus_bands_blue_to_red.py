"""``--bands`` of a LEGUS file: five filters starclass knows, blue to red, as the file's columns 6-15 hold them.

Before: ``info FILE --bands f275w,f336w,f555w,f435w,f814w`` read the B magnitudes (column 10) as F555W and the V
(column 12) as F435W, exit 0, the SED check's "F435W 0.50 mag brighter" the one trace; ``--bands ...,f999w`` read
column 14 as a filter no SSP offset, colour or mass limit knows, without a word.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row

runner = CliRunner()


def _file(folder):
    p = folder / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text("\n".join(_line(_standard_row(i, 1, 1.0)) for i in (1, 2, 3)) + "\n")
    return p


@pytest.mark.parametrize(("bands", "said"), [
    ("f275w,f336w,f555w,f435w,f814w", "are not blue to red (f555w before f435w)"),
    ("f814w,f555w,f438w,f336w,f275w", "are not blue to red (f814w before f555w)"),
    ("f275w,f336w,f435w,f555w,f999w", "f999w is no filter starclass knows"),
])
def test_bands_a_legus_file_cannot_have_are_refused(tmp_path, bands, said):
    p = _file(tmp_path)
    res = runner.invoke(app, ["info", str(p), "--bands", bands])
    assert res.exit_code == 2, res.output
    assert said in res.output and str(p) in res.output
    assert "Traceback" not in res.output
    with pytest.raises(StarclassError, match="blue to red"):
        read_catalog(p, bands=bands.split(","))


def test_bands_blue_to_red_are_read(tmp_path):
    res = runner.invoke(app, ["info", str(_file(tmp_path)), "--bands", "F275W,F336W,F435W,F606W,F814W"])
    assert res.exit_code == 0, res.output
    assert "bands: f275w, f336w, f435w, f606w, f814w" in res.output


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_every_shared_file_reads_its_own_bands_given_back():
    # the bands each of the 35 files is read with, given back with --bands, are blue to red: none is refused
    for tab in sorted((SHARED_DATA / "legus").glob("*.tab")):
        bands = [c[4:] for c in read_catalog(tab).colnames if c.startswith("mag_")]
        assert len(bands) == 5, tab
        read_catalog(tab, bands=bands)
