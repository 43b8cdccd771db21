"""inspect refuses a catalogue whose x, y disagree with its ra, dec through the mosaics' WCS.

Until 2026-12-06 a catalogue of another field whose x, y happen to fall on these mosaics was only
warned of ("its x, y differ from the WCS positions of its ra, dec by +945.25 px (median)"), and
``inspect DIR --init --add-user ann`` made a label database of it: people would have labelled
pictures of other objects than the catalogue names. Now serving, ``--init``, ``--add-user`` and
``--export`` refuse it (exit 2, the file and the median distance named, nothing created); 1-based
positions (1.4 px off) are still only warned of, as classify and cutouts warn of both.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import app as app_module
from starclass.io.catalog import read_catalog, write_catalog

pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    """A demo field whose catalogue gives ra, dec beside its x, y (through the mosaics' WCS)."""
    d = make_demo_field(tmp_path_factory.mktemp("field"), n=8, size=120, seed=5)
    wcs = WCS(fits.getheader(next(d.glob("*_f555w.fits"))))
    t = read_catalog(d / "candidates.ecsv")
    t["ra"], t["dec"] = wcs.pixel_to_world_values(np.asarray(t["x"], float), np.asarray(t["y"], float))
    write_catalog(t, d / "candidates.ecsv", overwrite=True)
    return d


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))
    return CliRunner()


def _moved(field: Path, out: Path, dx: float, dy: float) -> Path:
    """The field's catalogue with x, y moved (and kept on the 120 px mosaics) and ra, dec as they were."""
    t = read_catalog(field / "candidates.ecsv")
    t["x"] = np.mod(np.asarray(t["x"], float) + dx, 119.0)
    t["y"] = np.mod(np.asarray(t["y"], float) + dy, 119.0)
    write_catalog(t, out)
    return out


@pytest.mark.parametrize("action", [["--init", "--add-user", "ann"], ["--init", "--no-prerender"]])
def test_init_refuses_a_catalogue_of_another_field(field, runner, tmp_path, action):
    other = _moved(field, tmp_path / "other_field.ecsv", 40.0, -30.0)
    db = tmp_path / "labels.sqlite"
    r = runner.invoke(cli, ["inspect", str(field), "--catalogue", str(other), "--db", f"sqlite:///{db}", *action])
    said = " ".join(r.output.split())
    assert r.exit_code == 2, said
    assert f"catalogue {other}: its x, y lie a median" in said and "px from the pixels its ra, dec" in said
    assert "drop the ra, dec columns" in said and "drop the x, y columns" in said
    assert "SERVING" not in said and "created user" not in said and "Traceback" not in said
    assert not db.exists()


def test_export_refuses_it_too(field, runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    assert runner.invoke(cli, ["inspect", str(field), "--db", db, "--init", "--add-user", "ann"]).exit_code == 0
    other = _moved(field, tmp_path / "other_field.ecsv", 40.0, -30.0)
    out = tmp_path / "labels.ecsv"
    r = runner.invoke(cli, ["inspect", str(field), "--catalogue", str(other), "--db", db, "--export", str(out)])
    assert r.exit_code == 2 and "other_field.ecsv: its x, y lie a median" in " ".join(r.output.split()), r.output
    assert not out.exists()


def test_one_based_positions_are_warned_of_not_refused(field, runner, tmp_path):
    """1.4 px off: the pictures still show the candidates; warned of as every command warns of it."""
    shifted = _moved(field, tmp_path / "one_based.ecsv", 1.0, 1.0)
    db = tmp_path / "labels.sqlite"
    r = runner.invoke(cli, ["inspect", str(field), "--catalogue", str(shifted), "--db", f"sqlite:///{db}",
                            "--init", "--add-user", "ann"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "created user ann" in said, said
    assert "differ from the WCS positions of its ra, dec by +1.00 px" in said
    assert db.exists()


def test_its_own_catalogue_is_served(field, runner, tmp_path):
    db = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    r = runner.invoke(cli, ["inspect", str(field), "--db", db, "--init", "--no-prerender"])
    assert r.exit_code == 0 and "SERVING" in r.output and "differ from the WCS" not in r.output, r.output
