"""A stamp store cut short (an interrupted copy or download) is said so in plain words.

Before, a truncated .h5 was "stamp store x.h5: cannot read HDF5 (Unable to synchronously open file
(truncated file: eof = 4000, sblock->base_addr = 0, stored_eof = 17896))", or for one cut inside
its first bytes "(bad byte number in an address)". It is now "stamp store x.h5 is cut short (4000
bytes of 17896), as an interrupted copy or download leaves it; copy it again ...", as the FITS
readers say of a FITS file cut short (io.mosaic.unreadable_fits).

A store cut inside its 8-byte HDF5 signature was no HDF5 file at all until 2026-12-06: "not a stamp
store ... nor a list of cutouts", and ``info`` read it as text ("line 1 is not UTF-8 text"). Those
1-7 bytes now say "cut short inside its HDF5 header (5 bytes)" too (io.cutout_folders.is_hdf5).
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.stamps.store import StampStore, write_stamp_store

runner = CliRunner()


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "stamps.h5"
    n = 30
    write_stamp_store(path, np.zeros((n, 1, 16, 16), "f4"), np.ones((n, 16, 16), bool),
                      {"x": np.arange(n, dtype=float), "y": np.arange(n, dtype=float)}, channels=["f555w"])
    return path.read_bytes()


@pytest.mark.parametrize("keep", [1, 5, 7, 10, 30, 200, -10])
def test_a_store_cut_short_says_so(tmp_path, store_bytes, keep):
    n = len(store_bytes) + keep if keep < 0 else keep
    path = tmp_path / "stamps.h5"
    path.write_bytes(store_bytes[:n])
    with pytest.raises(StarclassError) as err:
        StampStore(path)
    msg = str(err.value)
    assert f"stamp store {path} is cut short" in msg
    # past its first 60-odd bytes the file says how long it should be
    said = f"({n} bytes of {len(store_bytes)})" if n > 60 else f"inside its HDF5 header ({n} byte{'s' * (n > 1)})"
    assert said in msg
    assert "copy it again" in msg
    assert "synchronously" not in msg and "HDF5 (" not in msg


def test_info_on_a_store_cut_short(tmp_path, store_bytes):
    folder = tmp_path / "dossier coupé"
    folder.mkdir()
    path = folder / "stamps.h5"
    path.write_bytes(store_bytes[:4000])
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert f"is cut short (4000 bytes of {len(store_bytes)})" in out
    assert path.read_bytes() == store_bytes[:4000]


@pytest.mark.parametrize("verb", ["info", "train", "explain"])
def test_a_store_cut_inside_its_signature_says_so(tmp_path, store_bytes, verb):
    from conftest import one_band_model

    folder = tmp_path / "dossier coupé"
    folder.mkdir()
    path = folder / "stamps.h5"
    path.write_bytes(store_bytes[:5])
    out = tmp_path / "out"
    args = {"info": ["info", str(path)], "train": ["train", "--stamps", str(path), "-o", str(out)],
            "explain": ["explain", str(one_band_model(tmp_path / "model")), str(path), "-o", str(out)]}[verb]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"stamp store {path} is cut short inside its HDF5 header (5 bytes)" in said, said
    assert "not UTF-8" not in said and "not a stamp store" not in said
    assert path.read_bytes() == store_bytes[:5]
    assert not list(tmp_path.glob("out*"))


def test_an_empty_or_foreign_short_file_is_not_called_a_store_cut_short(tmp_path):
    """Guard: 0 bytes, or a few bytes that are not the signature's, are not said to be a store cut short."""
    for name, data in (("empty.h5", b""), ("short.h5", b"ab")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(StarclassError) as err:
            StampStore(path)
        assert "cut short" not in str(err.value)


def test_a_whole_store_still_reads(tmp_path, store_bytes):
    """Guard: the same store, whole, opens."""
    path = tmp_path / "stamps.h5"
    path.write_bytes(store_bytes)
    assert len(StampStore(path)) == 30
