"""Issue 13, security of ``starclass inspect``: what is served, body and login limits, cookies,
the database file's mode, and label input refused rather than coerced."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import warnings

import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starclass.datasets.labelling import make_demo_field
from starclass.errors import StarclassError
from starclass.inspect import auth, db, passwords
from starclass.inspect.app import create_app, load_field
from starclass.inspect.limits import LoginThrottle

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

PASSWORDS = {"ann": "ann-password", "bob": "bob-password"}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=120, seed=5)


@pytest.fixture()
def data_dir(demo_dir, tmp_path):
    """A copy of the demo field with the label database inside it, as the CLI's default puts it."""
    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    return d


def _app(data_dir, tmp_path, db_path=None, **kw):
    engine = db.make_engine(f"sqlite:///{db_path or tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name, pw in PASSWORDS.items():
        db.add_user(engine, name, pw)
    return create_app(load_field(data_dir, cache_dir=tmp_path / "cache"), engine, **kw), engine


def _try_login(c, name, password):
    if "sc_csrf" not in c.cookies:
        c.get("/login")
    return c.post("/api/login", json={"name": name, "password": password},
                  headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})


def _login(app, name, **kw):
    c = TestClient(app, **kw)
    r = _try_login(c, name, PASSWORDS[name])
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c


# -- 1. what is served ----------------------------------------------------------------------


def test_data_route_serves_only_the_files_the_app_shows(data_dir, tmp_path):
    app, engine = _app(data_dir, tmp_path, db_path=data_dir / "labels.sqlite3")
    db.save_label(engine, "", "1", 1, 2)
    for name in ("backup.sqlite3", "inspect.sqlite.bak", "labels_export.ecsv", "notes.txt"):
        (data_dir / name).write_bytes((data_dir / "labels.sqlite3").read_bytes())
    c = _login(app, "bob")
    for name in ("labels.sqlite3", "labels.sqlite3-wal", "backup.sqlite3", "inspect.sqlite.bak",
                 "labels_export.ecsv", "notes.txt"):
        r = c.get(f"/data/{name}")
        assert r.status_code == 404, name
        assert b"argon2" not in r.content and b"SQLite" not in r.content, name
    assert c.get("/data/candidates.ecsv").status_code == 200
    mosaic = min(p.name for p in data_dir.glob("*.fits"))
    assert c.get(f"/data/{mosaic}").status_code == 200


# -- 2. request bodies, login throttling, password work -------------------------------------


def test_request_body_over_the_limit_is_refused_before_any_password_work(data_dir, tmp_path, monkeypatch):
    app, _ = _app(data_dir, tmp_path)
    calls = []
    monkeypatch.setattr(auth, "login", lambda *a: calls.append(a))
    c = TestClient(app)
    c.get("/login")
    headers = {"X-CSRF-Token": c.cookies.get("sc_csrf")}
    r = c.post("/api/login", json={"name": "ann", "password": "x" * 1_000_000}, headers=headers)
    assert r.status_code == 413 and "limit" in r.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"name": "ann", "password": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    r = c.post("/api/login", content=chunks(), headers=headers)
    assert r.status_code == 413
    assert calls == []


def test_wrong_passwords_lock_the_account_with_retry_after(data_dir, tmp_path):
    app, _ = _app(data_dir, tmp_path)
    c = TestClient(app)
    for _ in range(5):
        assert _try_login(c, "ann", "wrong-password").status_code == 401
    r = _try_login(c, "ann", PASSWORDS["ann"])  # even the right password waits now
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert _try_login(c, "bob", PASSWORDS["bob"]).status_code == 200  # another account is free


def test_login_throttle_per_address_and_its_expiry(data_dir, tmp_path):
    now = [1000.0]
    throttle = LoginThrottle(free_per_account=3, free_per_address=6, clock=lambda: now[0])
    app, _ = _app(data_dir, tmp_path, login_throttle=throttle)
    c = TestClient(app)
    for i in range(6):  # a different name each time: only the address counts them all
        assert _try_login(c, f"nobody{i}", "wrong-password").status_code == 401
    r = _try_login(c, "ann", PASSWORDS["ann"])
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    now[0] += 1.0
    assert _try_login(c, "ann", PASSWORDS["ann"]).status_code == 200
    # the wait doubles with each further failure, and is forgotten after the window
    assert _try_login(c, "nobody", "wrong-password").status_code == 401
    assert _try_login(c, "nobody", "wrong-password").status_code == 429
    assert throttle.retry_after("x", "testclient") == pytest.approx(2.0)
    now[0] += throttle.window + 1
    assert _try_login(c, "ann", PASSWORDS["ann"]).status_code == 200


def test_password_work_is_bounded(data_dir, tmp_path, monkeypatch):
    app, engine = _app(data_dir, tmp_path)
    # the check runs in a worker thread, not in the event loop that serves everyone else
    threads = []
    real_login = auth.login
    monkeypatch.setattr(auth, "login", lambda *a: threads.append(threading.current_thread().name)
                        or real_login(*a))
    _login(app, "ann")
    assert threads and all(t.startswith("AnyIO worker thread") for t in threads), threads
    # a password longer than any account may have is refused without hashing it

    class NoHashing:
        def verify(self, *_a):
            raise AssertionError("argon2 ran on an over-long password")

    monkeypatch.setattr(passwords, "_hasher", NoHashing())
    assert real_login(engine, "ann", "x" * (passwords.MAX_PASSWORD_LENGTH + 1)) is None
    assert real_login(engine, "nobody", "x" * (passwords.MAX_PASSWORD_LENGTH + 1)) is None
    monkeypatch.undo()
    with pytest.raises(StarclassError, match="at most 1024"):
        db.add_user(engine, "carol", "x" * 1025)


# -- 3. cookies, the database file, label input ----------------------------------------------


def _set_cookies(response):
    return [v for k, v in response.headers.multi_items() if k == "set-cookie"]


def test_cookies_are_secure_over_https_behind_a_proxy_or_when_forced(data_dir, tmp_path):
    app, _ = _app(data_dir, tmp_path)
    plain = _try_login(TestClient(app), "ann", PASSWORDS["ann"])
    assert plain.status_code == 200 and len(_set_cookies(plain)) == 2
    assert not any("secure" in v.lower() for v in _set_cookies(plain))
    https = _try_login(TestClient(app, base_url="https://testserver"), "ann", PASSWORDS["ann"])
    assert https.status_code == 200 and len(_set_cookies(https)) == 2
    assert all("secure" in v.lower() for v in _set_cookies(https))
    # (a client on plain HTTP does not send Secure cookies back, so these stop at the page)
    proxied = TestClient(app).get("/login", headers={"X-Forwarded-Proto": "https"})
    (tmp_path / "forced").mkdir()
    forced_app, _ = _app(data_dir, tmp_path / "forced", force_secure_cookies=True)
    forced = TestClient(forced_app).get("/login")
    for r in (proxied, forced):
        assert r.status_code == 200 and "secure" in _set_cookies(r)[0].lower()


def test_database_file_is_created_private(tmp_path):
    path = tmp_path / "new.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    db.init_db(engine)
    db.add_user(engine, "ann", PASSWORDS["ann"])
    for p in (path, tmp_path / "new.sqlite-wal"):
        if p.exists():
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    engine.dispose()


@pytest.mark.parametrize("cls", [1.9, 2.0, True, " 2 ", "2", None, [2]])
def test_non_integer_class_is_refused_not_coerced(data_dir, tmp_path, cls):
    app, engine = _app(data_dir, tmp_path)
    r = _login(app, "ann").post("/api/label", json={"candidate_id": "1", "cls": cls})
    assert r.status_code == 422, r.text
    assert "integer" in r.json()["detail"]
    assert db.labels_of(engine, "") == []


def test_long_comment_and_lone_surrogate_are_refused(data_dir, tmp_path):
    app, engine = _app(data_dir, tmp_path)
    c = _login(app, "ann")
    r = c.post("/api/label", json={"candidate_id": "1", "cls": 2, "comment": "x" * 2001})
    assert r.status_code == 422 and "2000" in r.json()["detail"]
    r = c.post("/api/label", content=b'{"candidate_id": "1", "cls": 2, "comment": "a \\ud800 b"}',
               headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.json()["detail"]
    assert db.labels_of(engine, "") == []
    assert c.post("/api/label", json={"candidate_id": "1", "cls": 2, "comment": "y" * 2000}).status_code == 200
    assert db.labels_of(engine, "")[0].comment == "y" * 2000
    with pytest.raises(StarclassError, match="limit is 2000"):
        db.save_label(engine, "", "2", 1, 2, comment="z" * 2001)


@pytest.mark.parametrize("cid", [None, True, ["1"], {"id": "1"}, 1.0])
def test_candidate_id_that_is_not_text_is_refused(data_dir, tmp_path, cid):
    # before: str() made null the id 'None' and ["1"] the id "['1']", looked up (404) as such
    app, engine = _app(data_dir, tmp_path)
    c = _login(app, "ann")
    r = c.post("/api/label", json={"candidate_id": cid, "cls": 2})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("candidate_id: must be text")
    assert db.labels_of(engine, "") == []
    assert c.post("/api/label", json={"candidate_id": 1, "cls": 2}).status_code == 200  # a JSON integer id is taken
