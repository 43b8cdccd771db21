"""``inspect DIR --init --db FILE`` leaves an existing file that is no label database as it is.

Before, an empty (0-byte) file of any name given as ``--db`` (``notes.txt``, a ``cat.csv`` made
for a catalogue) was taken by SQLite for a new database: ``--init`` turned it into a 77 kB label
database and said "created user ann". It is now refused (exit 2), naming the file, before the
field is read; an empty file named for a database (``.sqlite``, ``.sqlite3``, ``.db``) is still
made the database, and a non-empty file that is no database is still refused unchanged.
"""

from __future__ import annotations

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


def _state(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("name, content", [("notes.txt", b""), ("catalogue é.csv", b""),
                                           ("notes.csv", b"id,x\n1,2\n")])
def test_init_refuses_a_file_that_is_no_database(demo, runner, tmp_path, name, content):
    folder = tmp_path / "db folder"
    folder.mkdir()
    (folder / name).write_bytes(content)
    before = _state(folder)
    r = runner.invoke(cli, ["inspect", str(demo), "--init", "--db", f"sqlite:///{folder / name}",
                            "--add-user", "ann"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2, said
    assert "Traceback" not in said and "created user" not in said
    assert str(folder / name) in said
    if not content:
        assert "is an empty file (0 bytes) whose name is not a database's (.sqlite, .sqlite3, .db)" in said
    else:
        assert "is not a SQLite database" in said
    assert _state(folder) == before  # nothing changed, nothing made beside it


@pytest.mark.parametrize("name", ["labels.sqlite", "labels.db"])
def test_an_empty_file_named_for_a_database_is_made_one(demo, runner, tmp_path, name):
    """Guard: a placeholder made for the database (touch labels.sqlite) still takes --init."""
    (tmp_path / name).touch()
    r = runner.invoke(cli, ["inspect", str(demo), "--init", "--db", f"sqlite:///{tmp_path / name}",
                            "--add-user", "ann"])
    assert r.exit_code == 0 and "created user ann" in r.output, r.output
    assert (tmp_path / name).stat().st_size > 0
