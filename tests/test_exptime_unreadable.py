"""exptime_of: a mosaic file whose header cannot be read fell back to 1 s without a word."""

from types import SimpleNamespace

import pytest

from starclass.detect._images import exptime_of


def test_an_unreadable_header_is_said_not_assumed_silently(tmp_path):
    bad = tmp_path / "f555w.fits"
    bad.write_bytes(b"not a FITS file at all")
    mosaics = SimpleNamespace(paths={"f555w": bad})
    with pytest.warns(UserWarning, match=r"f555w.*cannot read EXPTIME.*f555w\.fits.*assume 1 s"):
        assert exptime_of(mosaics, "f555w") == 1.0
