"""``inspect -c FILE`` is ``--catalogue FILE``, as ``-c`` is the catalogue of detect, cutouts, train and classify.

Until 2026-12-07 inspect had no ``-c``: ``inspect DIR -c cands.ecsv`` was refused ("No such option: -c").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field

pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=100, seed=5)


def test_c_gives_the_catalogue_of_a_folder_without_one(demo, tmp_path, monkeypatch):
    """A folder of mosaics alone: --init needs a catalogue, and -c gives it one, as --catalogue does."""
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    folder = tmp_path / "field"
    folder.mkdir()
    for p in demo.glob("*.fits"):
        shutil.copy(p, folder / p.name)
    r = CliRunner().invoke(cli, ["inspect", str(folder), "-c", str(demo / "candidates.ecsv"), "--init",
                                 "--add-user", "ann"])
    assert r.exit_code == 0 and "created user ann" in r.output, r.output
    assert (folder / "inspect.sqlite").exists()


def test_c_is_the_catalogue_option_with_stamps_too(tmp_path):
    """-c is the same option: with --stamps it is refused as --catalogue is, by that name."""
    r = CliRunner().invoke(cli, ["inspect", "--stamps", str(tmp_path / "labels.csv"), "-c", "cands.ecsv"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2, said
    assert "--catalogue applies to DATA_DIR" in said, said
