"""Helpers for tests and benchmarks of the inspection app: a real uvicorn server in a thread,
a throwaway PostgreSQL cluster, and an HTTP client that logs in. Traffic stays on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(app, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread; yields the base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="inspect-uvicorn")
    thread.start()
    t0 = time.time()
    while not server.started:
        if not thread.is_alive() or time.time() - t0 > 20:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def login_client(base_url: str, name: str, password: str):
    """An ``httpx.Client`` logged in as ``name``; its ``csrf`` attribute holds the token."""
    import httpx

    c = httpx.Client(base_url=base_url, timeout=30.0)
    r = c.get("/login")
    r.raise_for_status()
    r = c.post("/api/login", json={"name": name, "password": password},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    r.raise_for_status()
    c.csrf = r.json()["csrf"]
    c.headers["X-CSRF-Token"] = c.csrf
    return c


class PostgresUnavailable(RuntimeError):
    """Why a throwaway PostgreSQL server could not be started (the message says)."""


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    base = Path("/usr/lib/postgresql")
    if base.is_dir():
        for v in sorted(base.iterdir(), reverse=True):
            cand = v / "bin" / name
            if cand.exists():
                return str(cand)
    return None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a PostgreSQL cluster in a temporary folder (initdb + pg_ctl, as a non-root user:
    the current one, or ``postgres`` via ``runuser`` when running as root); yields a
    ``postgresql://`` URL on 127.0.0.1 and removes everything afterwards.

    Raises
    ------
    PostgresUnavailable
        No initdb/pg_ctl, no psycopg driver, no non-root user to run as, or the server did not
        start; the message says which.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise PostgresUnavailable(f"the psycopg driver is not installed ({exc})") from None
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise PostgresUnavailable("initdb/pg_ctl not found (apt-get install postgresql)")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no 'postgres' user to run the "
                                      "server as") from None
        runuser = shutil.which("runuser")
        if not runuser:
            raise PostgresUnavailable("running as root and runuser is missing")
        prefix = [runuser, "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="starclass-pg-"))
    data, sock = tmp / "data", tmp / "sock"
    sock.mkdir()
    if owner is not None:
        for p in (tmp, sock):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    port = free_port()
    log = tmp / "server.log"
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    started = False
    try:
        r = subprocess.run(prefix + [initdb, "-D", str(data), "-U", "starclass", "--auth=trust",
                                     "-E", "UTF8", "--no-sync"],
                           capture_output=True, text=True, env=env, timeout=120)
        if r.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {r.stderr.strip()[-400:]}")
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        r = subprocess.run(prefix + [pg_ctl, "-D", str(data), "-l", str(log), "-o", opts, "-w",
                                     "-t", "60", "start"],
                           capture_output=True, text=True, env=env, timeout=90)
        if r.returncode != 0:
            tail = log.read_text()[-400:] if log.exists() else r.stderr[-400:]
            raise PostgresUnavailable(f"pg_ctl start failed: {tail.strip()}")
        started = True
        yield f"postgresql://starclass@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, text=True, env=env, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def fresh_database(url: str) -> str:
    """Create an empty database of a random name on the PostgreSQL server of ``url``; its URL.

    One server serves a whole test module; a database per test keeps the tests apart.
    """
    import random

    import sqlalchemy as sa

    from starclass.inspect import db

    name = f"t{random.randrange(10**9)}"
    admin = sa.create_engine(db.normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
