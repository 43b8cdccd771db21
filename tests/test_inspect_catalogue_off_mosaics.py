"""``inspect DIR --init``, ``--add-user`` and ``--export`` check the catalogue against the mosaics, as train does.

Until 2026-12-05 only serving read the mosaics: ``inspect DIR --catalogue OTHER_FIELD.tab --init
--add-user ann`` made ``inspect.sqlite`` for a catalogue wholly off the 1200 x 1200 px mosaics, without a
word, where ``train`` with the same inputs refused it.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field

pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=120, seed=5, predictions=False)


@pytest.fixture()
def field(demo_dir, tmp_path):
    d = tmp_path / "field"
    shutil.copytree(demo_dir, d)
    return d


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    return CliRunner()


def shifted(field, n_off: int):
    """The field's catalogue with its first ``n_off`` rows moved 5000 px away, as other.ecsv."""
    t = Table.read(field / "candidates.ecsv")
    t["x"][:n_off] = np.asarray(t["x"][:n_off]) + 5000.0
    path = field / "other.ecsv"
    t.write(path)
    return path


@pytest.mark.parametrize("args", [["--init", "--add-user", "ann"], ["--init"], ["--export", "EXPORT"]])
def test_a_catalogue_wholly_off_the_mosaics_is_refused_and_nothing_written(field, runner, args):
    cat = shifted(field, 6)
    out = field.parent / "labels.ecsv"
    args = [str(out) if a == "EXPORT" else a for a in args]
    before = sorted(p.name for p in field.iterdir())
    r = runner.invoke(cli, ["inspect", str(field), "--catalogue", str(cat), *args])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert str(cat) in r.output and "6 of 6 candidates lie outside the 120 x 120 px image" in r.output
    assert sorted(p.name for p in field.iterdir()) == before  # no inspect.sqlite
    assert not out.exists()


def test_a_catalogue_partly_off_the_mosaics_is_warned_of_with_the_count(field, runner):
    cat = shifted(field, 2)
    r = runner.invoke(cli, ["inspect", str(field), "--catalogue", str(cat), "--init", "--add-user", "ann"])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "2 of 6 candidates lie outside the 120 x 120 px image" in r.output
    assert (field / "inspect.sqlite").exists()


def test_an_export_without_mosaics_still_works(field, runner):
    # a catalogue and the database copied to a laptop: no mosaics to check against
    r = runner.invoke(cli, ["inspect", str(field), "--init", "--add-user", "ann"])
    assert r.exit_code == 0, r.output
    for p in field.glob("*.fits"):
        p.unlink()
    r = runner.invoke(cli, ["inspect", str(field), "--export", str(field.parent / "labels.ecsv"),
                            "--include-unlabelled"])
    assert r.exit_code == 0, r.output
