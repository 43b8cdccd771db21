"""``inspect`` on a port in use is refused before any line and before ``--init`` makes anything (2026-12-06).

The port was bound only by ``serve``, at the end: with it taken, ``inspect DATA_DIR`` printed
``note: no accounts yet; ...`` and ``labels in sqlite:... (schema version N)`` on stdout and then
refused, and ``inspect DATA_DIR --init`` left a new, empty ``inspect.sqlite`` behind. The command
now binds the port (:func:`starclass.inspect.listen.listening_socket`) before it opens the database
and hands the bound socket to ``serve``.

Nothing serves here: the port is taken by the test itself, so the command stops at the bind.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

pytest.importorskip("uvicorn")

from starclass.cli import app as cli
from starclass.inspect import db


@pytest.fixture()
def taken_port() -> Iterator[int]:
    """A port another program listens on, for the test's length."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        yield int(other.getsockname()[1])


def _refused(res, port: int) -> None:
    assert res.exit_code == 2, (res.output, res.exception)
    said = " ".join(res.stderr.split())
    assert f"port {port} on 127.0.0.1 is already in use" in said and "--port" in said, said
    assert res.stdout == "", res.stdout  # neither "note: no accounts yet" nor "labels in ..."
    assert "Traceback" not in res.output


def _rows(dbfile) -> dict[str, list]:
    import sqlalchemy as sa

    engine = db.make_engine(f"sqlite:///{dbfile}")
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {n: sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{n}"'))), key=repr) for n in names}
    finally:
        engine.dispose()


def test_a_taken_port_is_refused_before_the_database_lines(tmp_path, taken_port):
    from starclass.datasets.labelling import make_demo_field

    data = make_demo_field(tmp_path / "demo", n=4, size=100)
    dbfile = data / "inspect.sqlite"
    engine = db.make_engine(f"sqlite:///{dbfile}", create=True)
    try:
        db.init_db(engine, create=True)
    finally:
        engine.dispose()
    before = _rows(dbfile)
    res = CliRunner().invoke(cli, ["inspect", str(data), "--port", str(taken_port), "--no-prerender"])
    _refused(res, taken_port)
    assert _rows(dbfile) == before


def test_a_taken_port_with_init_makes_no_database(tmp_path, taken_port):
    from starclass.datasets.labelling import make_demo_field

    data = make_demo_field(tmp_path / "demo", n=4, size=100)
    res = CliRunner().invoke(cli, ["inspect", str(data), "--init", "--port", str(taken_port), "--no-prerender"])
    _refused(res, taken_port)
    assert not (data / "inspect.sqlite").exists()
    assert not list(data.glob("inspect.sqlite*"))  # no -wal/-journal either


def test_the_command_s_default_port_is_the_one_the_tests_remap():
    # tests/conftest.py binds listen.DEFAULT_PORT as any free port: the command's default must be that port
    import typer.main

    from starclass.inspect import listen

    command = typer.main.get_command(cli).commands["inspect"]
    port = next(p for p in command.params if p.name == "port")
    assert port.default == listen.DEFAULT_PORT


def test_stamps_without_task_on_a_taken_port_says_no_recorded_task(tmp_path, taken_port):
    """``--stamps LIST`` without ``--task`` takes the task the database records and says so in a line
    (``--task m31-real: the label scheme the database records``): on a taken port that line is not printed
    either, since the port is bound before the database is read."""
    import numpy as np
    from PIL import Image

    from starclass.inspect.cutouts import stamps_scheme
    from starclass.learn.config import get_preset

    rows = ["file,label"]
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
        Image.fromarray(np.full((16, 16), 120, np.uint8)).save(tmp_path / lab / "o0.png")
        rows.append(f"{lab}/o0.png,{lab}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    dbfile = tmp_path / "inspect.sqlite"  # the default database beside the list
    engine = db.make_engine(f"sqlite:///{dbfile}", create=True)
    try:
        db.init_db(engine, create=True)
        db.bind_scheme(engine, "", stamps_scheme(get_preset("m31-real")))
    finally:
        engine.dispose()
    free = CliRunner().invoke(cli, ["inspect", "--stamps", str(tmp_path / "labels.csv"), "--export",
                                    str(tmp_path / "out.csv"), "--include-unlabelled"])
    # the database does record the task: where no port is bound (an export) its line is said
    assert free.exit_code == 0 and "--task m31-real: the label scheme the database records" in free.stdout, \
        free.output
    (tmp_path / "out.csv").unlink()
    before = _rows(dbfile)
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(tmp_path / "labels.csv"), "--port", str(taken_port),
                                   "--no-prerender"])
    _refused(res, taken_port)
    assert _rows(dbfile) == before
    assert not (tmp_path / ".inspect_cache").exists()
