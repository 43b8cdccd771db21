"""``inspect DATA_DIR`` refused by its label database says nothing on stdout first (2026-12-06).

Serving with ``--task m31-binary`` on a database whose labels are in the ``phangs`` scheme (or a
database bound to another field) printed ``note: no accounts yet; ...`` and ``labels in sqlite:...
(schema version N)`` on stdout, and only then did the server's ``create_app`` refuse it: a script
reading stdout took those lines for a server starting. The command now checks the database's field
and scheme (``starclass.inspect.db.check_binding``) before those lines.

The server is stubbed (``app_module._StoppedServer``): a test that really served would hang the suite.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytest.importorskip("uvicorn")

from starclass.cli import app as cli
from starclass.inspect import app as app_module
from starclass.inspect import db
from webtools import free_port  # tests/ is on sys.path under pytest


class _NoServer:
    """Stands for serve's uvicorn server: nothing listens, ``run`` returns at once."""

    def __init__(self, *args, **kwargs):
        self.stopped_by = None

    def run(self, *args, **kwargs):
        return None


@pytest.fixture()
def no_server(monkeypatch):
    monkeypatch.setattr(app_module, "_StoppedServer", _NoServer)


def _tables(engine) -> dict[str, list]:
    """Every row of every table: what a refusal must leave as it was."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {n: sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{n}"'))), key=repr) for n in names}


def _database(tmp_path, bind):
    from starclass.datasets.labelling import make_demo_field

    data = make_demo_field(tmp_path / "demo", n=4, size=100)
    dbfile = data / "inspect.sqlite"
    engine = db.make_engine(f"sqlite:///{dbfile}", create=True)
    try:
        db.init_db(engine, create=True)
        bind(engine)
        before = _tables(engine)
    finally:
        engine.dispose()
    return data, dbfile, before


def _after(dbfile) -> dict[str, list]:
    engine = db.make_engine(f"sqlite:///{dbfile}")
    try:
        return _tables(engine)
    finally:
        engine.dispose()


def test_a_database_in_another_scheme_is_refused_before_any_line(tmp_path, no_server):
    data, dbfile, before = _database(tmp_path, lambda e: db.bind_scheme(e, "", "phangs"))
    res = CliRunner().invoke(cli, ["inspect", str(data), "--task", "m31-binary", "--port", str(free_port())])
    assert res.exit_code == 2, (res.output, res.exception)
    said = " ".join(res.stderr.split())
    # both schemes named: the one the labels are in, and the one --task m31-binary asks for (m31-check)
    assert "are in label scheme phangs, not m31-check" in said, said
    assert res.stdout == "", res.stdout
    assert "Traceback" not in res.output
    assert _after(dbfile) == before  # the refusal wrote nothing


def test_a_database_of_another_field_is_refused_before_any_line(tmp_path, no_server):
    data, dbfile, before = _database(tmp_path, lambda e: db.bind_field(e, "", "other_f555w.fits"))
    res = CliRunner().invoke(cli, ["inspect", str(data), "--task", "m31-binary", "--port", str(free_port())])
    assert res.exit_code == 2, (res.output, res.exception)
    said = " ".join(res.stderr.split())
    assert "holds the labels of another field (mosaics other_f555w.fits)" in said, said
    assert res.stdout == "", res.stdout
    assert _after(dbfile) == before  # neither the field nor the scheme was recorded


def test_the_scheme_of_the_labels_is_served_with_its_lines(tmp_path, no_server):
    # the check refuses only what the server refuses: the same scheme says both lines and serves
    data, dbfile, _ = _database(tmp_path, lambda e: db.bind_scheme(e, "", "phangs"))
    res = CliRunner().invoke(cli, ["inspect", str(data), "--scheme", "phangs", "--port", str(free_port()),
                                   "--no-prerender"])
    assert res.exit_code == 0, (res.output, res.exception)
    lines = res.stdout.splitlines()
    assert lines[0].startswith("note: no accounts yet"), lines
    assert lines[1].startswith("labels in sqlite:"), lines
    assert any(line.startswith("starclass inspect: serving 4 candidates") for line in lines), lines
