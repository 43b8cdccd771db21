"""``starclass inspect`` stopped with SIGTERM (``kill``, systemd, ``docker stop``) ends cleanly, with status 0.

Until 2026-12-06 uvicorn, after its graceful shutdown, raised the signal again: the console script's
SIGTERM handler turned it into exit status 143 and the server said nothing, so systemd and docker logged
each stop as a failure (Ctrl-C: 130). Now the server finishes the requests being answered, stops the
pre-render, closes the database, says "stopped by SIGTERM" and exits 0.

A real ``python -m starclass inspect`` in a subprocess on a free port of 127.0.0.1: a label is saved over
HTTP, then the process gets SIGTERM. No ../shared needed.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from webtools import free_port, login_client  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def _wait_until_served(base: str, proc: subprocess.Popen, limit_s: float = 90.0) -> None:
    t0 = time.time()
    while time.time() - t0 < limit_s:
        assert proc.poll() is None, "the server ended before it answered"
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer within {limit_s:g} s")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_server_with_status_0_and_the_labels_kept(tmp_path, sig):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db

    data = make_demo_field(tmp_path / "demo", n=4, size=100)
    engine = db.make_engine(f"sqlite:///{data / 'inspect.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "a-long-password")
    engine.dispose()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               OMP_NUM_THREADS="1")
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, "-m", "starclass", "inspect", str(data), "--port", str(port)],
                                stdout=o, stderr=e, env=env, cwd=tmp_path)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_served(base, proc)
            c = login_client(base, "ann", "a-long-password")
            try:
                first = c.get("/api/queue").json()["ids"][0]
                assert c.post("/api/label", json={"candidate_id": first, "cls": 2}).status_code == 200
            finally:
                c.close()
            proc.send_signal(sig)
            rc = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    said, errors = out.read_text(), err.read_text()
    assert rc == 0, (rc, said, errors)  # the old code: 143 for SIGTERM, 130 for SIGINT
    assert f"starclass inspect: stopped by {signal.Signals(sig).name}; " in said, said
    assert "labels database closed" in said
    assert "Traceback" not in errors and "error:" not in errors, errors
    # the label given before the stop is in the database, which is whole
    with sqlite3.connect(data / "inspect.sqlite") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT candidate_id, cls FROM labels").fetchall() == [(first, 2)]


@pytest.mark.parametrize("stop, status, said", [
    (KeyboardInterrupt, 130, "error: interrupted by Ctrl-C (SIGINT); "),
    ("sigterm", 143, "error: stopped by SIGTERM; "),
])
def test_a_signal_before_the_server_serves_is_said(tmp_path, monkeypatch, stop, status, said):
    """Stopped while it reads the field (before serving), inspect ended with 143 or 130 and not a word."""
    from typer.testing import CliRunner

    import starclass.cli.inspect_cmd as inspect_cmd
    from starclass.cli import app
    from starclass.cli._app import Terminated
    from starclass.datasets.labelling import make_demo_field

    data = make_demo_field(tmp_path / "demo", n=4, size=100)

    def stopped(*args, **kwargs):
        raise Terminated(128 + signal.SIGTERM) if stop == "sigterm" else stop()

    monkeypatch.setattr(inspect_cmd, "_load_field", stopped)
    res = CliRunner().invoke(app, ["inspect", str(data), "--init", "--port", str(free_port())])
    assert res.exit_code == status, res.output
    assert said in res.output, res.output  # the old code said nothing
    assert not (data / "inspect.sqlite").exists()  # read before the database is made: none left behind
