"""A refused ``inspect`` leaves an empty ``--db`` file as it was: 0 bytes, not a 4 KiB SQLite database.

``inspect DATA --db sqlite:///labels.sqlite`` (or ``--list-users``, ``--add-user``, ``--export``) on an empty file
without ``--init`` is refused, exit 2, "has no tables; pass --init". The engine's connect hook put every SQLite
file in WAL mode first, which writes SQLite's header: the refused command left the user's 0-byte file a
database, though nothing was to be written. WAL is set once ``--init`` has created the schema, and a new database
is in WAL mode as before.
"""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field

pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=120, seed=5)


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    return CliRunner()


def _journal_mode(path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def test_a_refused_command_writes_nothing_into_an_empty_database_file(demo_dir, tmp_path, runner):
    path = tmp_path / "labels.sqlite"
    path.touch()
    url = f"sqlite:///{path}"
    for extra in (["--list-users"], ["--add-user", "dana"], ["--export", str(tmp_path / "x.ecsv")]):
        r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", url, *extra])
        assert r.exit_code == 2 and "no tables" in r.output, r.output
        assert path.stat().st_size == 0, (extra, path.stat().st_size)
        assert not (tmp_path / "x.ecsv").exists()
    # --init on it makes the database, in WAL mode (several readers beside the writer)
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", url, "--init", "--add-user", "dana"])
    assert r.exit_code == 0 and "created user dana" in r.output, r.output
    assert _journal_mode(path) == "wal"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", url, "--list-users"])
    assert r.exit_code == 0 and "dana" in r.output, r.output


def test_a_new_database_is_in_wal_mode(demo_dir, tmp_path, runner):
    path = tmp_path / "new.sqlite"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--init", "--add-user", "dana"])
    assert r.exit_code == 0, r.output
    assert _journal_mode(path) == "wal"
