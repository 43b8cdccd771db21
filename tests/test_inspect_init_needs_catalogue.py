"""``inspect DIR --init --add-user NAME`` on a folder without a candidate catalogue makes no database.

Until 2026-12-06 it made DIR/inspect.sqlite and the account, and serving and ``--export`` then
refused the folder ("no candidate catalogue"): a label database for nothing, while ``--init`` to
serve refused the same folder before making one. Now it is refused (exit 2), naming the file names
looked for, ``detect`` and ``--catalogue``; a database that exists already is left to the account
actions, which need no catalogue.
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


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    return CliRunner()


def _mosaics_only(demo: Path, folder: Path) -> Path:
    folder.mkdir()
    for p in demo.glob("*.fits"):
        shutil.copy(p, folder / p.name)
    return folder


@pytest.mark.parametrize("action", [["--add-user", "ann"], ["--add-user", "ann", "--admin"], ["--list-users"]])
def test_init_on_mosaics_without_a_catalogue_is_refused(demo, runner, tmp_path, action):
    folder = _mosaics_only(demo, tmp_path / "field")
    before = sorted(p.name for p in folder.iterdir())
    r = runner.invoke(cli, ["inspect", str(folder), "--init", *action])
    said = " ".join(r.output.split())
    assert r.exit_code == 2, said
    assert f"no candidate catalogue in {folder} (looked for candidates.ecsv," in said, said
    assert "nothing was created" in said and "starclass detect" in said and "--catalogue FILE" in said
    assert "created user" not in said and "Traceback" not in said
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_catalogue_given_elsewhere_is_enough(demo, runner, tmp_path):
    folder = _mosaics_only(demo, tmp_path / "field")
    r = runner.invoke(cli, ["inspect", str(folder), "--catalogue", str(demo / "candidates.ecsv"), "--init",
                            "--add-user", "ann"])
    assert r.exit_code == 0 and "created user ann" in r.output, r.output
    assert (folder / "inspect.sqlite").exists()


def test_an_existing_database_takes_accounts_without_a_catalogue(demo, runner, tmp_path):
    """--init does nothing to a database that is there: adding an account needs no catalogue."""
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    assert runner.invoke(cli, ["inspect", str(demo), "--db", url, "--init", "--add-user", "ann"]).exit_code == 0
    folder = _mosaics_only(demo, tmp_path / "field")
    r = runner.invoke(cli, ["inspect", str(folder), "--db", url, "--init", "--add-user", "bob"])
    assert r.exit_code == 0 and "created user bob" in r.output, r.output
