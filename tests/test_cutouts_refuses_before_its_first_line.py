"""``cutouts`` refuses an existing output before it says anything, as the other commands do.

``starclass cutouts field/ -c cat.ecsv -o existing.h5 --progress`` printed ``cutouts: reading the mosaics and the
catalogue ...`` and only then ``error: --output existing.h5 exists ...`` (exit 2, nothing written): the store was
checked inside the work the line announces. The same with ``--fields`` and with an existing ``--phangs-fits-dir``.
The refusal now comes first, the line never said.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture()
def field(tmp_path):
    """A 96 x 96 px two-band toy field, its catalogue and an existing stamp store (a few bytes, not a real one)."""
    folder = tmp_path / "field"
    folder.mkdir()
    write_toy_mosaics(folder)
    catalogue = tmp_path / "cat.ecsv"
    Table({"id": [1, 2], "x": [30.0, 60.0], "y": [40.0, 50.0]}).write(catalogue)
    existing = tmp_path / "existing.h5"
    existing.write_bytes(b"an earlier store")
    return folder, catalogue, existing


def _refused_first(argv: list, *, said: str, unchanged: dict) -> None:
    res = CliRunner().invoke(app, ["cutouts", *map(str, argv), "--progress"])
    assert res.exit_code == 2, res.output
    # the refusal is the first thing said: no step line, no bar before it
    assert res.output.startswith("error: "), res.output
    assert said in " ".join(res.output.split()), res.output
    assert "reading the mosaics" not in res.output and "Traceback" not in res.output
    for path, before in unchanged.items():
        assert path.read_bytes() == before, path


def test_an_existing_store_is_refused_before_the_first_line(field):
    folder, catalogue, existing = field
    _refused_first([folder, "-c", catalogue, "-o", existing],
                   said=f"--output {existing} exists", unchanged={existing: b"an earlier store"})


def test_an_existing_phangs_folder_is_refused_before_the_first_line(field, tmp_path):
    folder, catalogue, _ = field
    phangs = tmp_path / "phangs"
    phangs.mkdir()
    (phangs / "1.fits").write_bytes(b"an earlier stamp")
    _refused_first([folder, "-c", catalogue, "-o", tmp_path / "new.h5", "--phangs-fits-dir", phangs],
                   said=f"--phangs-fits-dir {phangs} exists", unchanged={phangs / "1.fits": b"an earlier stamp"})
    assert not (tmp_path / "new.h5").exists()


def test_several_fields_into_an_existing_store_are_refused_before_the_first_line(field, tmp_path):
    folder, catalogue, existing = field
    other = tmp_path / "other"
    other.mkdir()
    write_toy_mosaics(other)
    _refused_first([folder, other, "-c", catalogue, "-c", catalogue, "-o", existing],
                   said=f"--output {existing} exists", unchanged={existing: b"an earlier store"})


def test_a_store_without_an_hdf5_name_is_refused_before_the_first_line(field, tmp_path):
    folder, catalogue, _ = field
    _refused_first([folder, "-c", catalogue, "-o", tmp_path / "stamps.ecsv"],
                   said="a stamp store is an HDF5 file", unchanged={})
    assert not (tmp_path / "stamps.ecsv").exists()
