"""The inspection web app through its HTTP interface (TestClient), the CLI, and the export."""

import os
import warnings

import numpy as np
import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from typer.testing import CliRunner

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field, safe_path

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)


PASSWORDS = {"ann": "ann-password", "bob": "bob-password", "boss": "boss-password"}


@pytest.fixture(scope="module")
def field_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=12, size=200, seed=3)


@pytest.fixture()
def setup(field_dir, tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name, pw in PASSWORDS.items():
        db.add_user(engine, name, pw, admin=(name == "boss"))
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    yield field, engine, app
    engine.dispose()


def login(app, name):
    c = TestClient(app)
    c.get("/login")
    r = c.post("/api/login", json={"name": name, "password": PASSWORDS[name]},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c


def test_login_required_and_wrong_password(setup):
    _, _, app = setup
    c = TestClient(app)
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    for path in ("/api/queue", "/api/candidate/1", "/img/1/composite.png", "/data/candidates.ecsv"):
        assert c.get(path).status_code == 401, path
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "nope-nope"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 401
    assert "sc_session" not in c.cookies
    # no CSRF header: refused even with the right password
    r = c.post("/api/login", json={"name": "ann", "password": PASSWORDS["ann"]})
    assert r.status_code == 403


def test_csrf_needed_for_posts(setup):
    _, engine, app = setup
    c = login(app, "ann")
    token = c.headers.pop("X-CSRF-Token")
    r = c.post("/api/label", json={"candidate_id": "1", "cls": 1})
    assert r.status_code == 403
    r = c.post("/api/label", json={"candidate_id": "1", "cls": 1}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert db.labels_of(engine, "") == []
    r = c.post("/api/label", json={"candidate_id": "1", "cls": 1}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert r.headers["x-frame-options"] == "DENY"


def test_labels_are_personal_and_keep_history(setup):
    _, engine, app = setup
    ann, bob = login(app, "ann"), login(app, "bob")
    assert ann.post("/api/label", json={"candidate_id": "2", "cls": 4, "subclass": "4.3",
                                        "comment": "three stars"}).status_code == 200
    assert ann.post("/api/label", json={"candidate_id": "2", "cls": 3}).status_code == 200
    # bob cannot write ann's label, whatever he sends
    r = bob.post("/api/label", json={"candidate_id": "2", "cls": 1, "user": "ann"})
    assert r.status_code == 403
    # bob's own label does not touch ann's
    assert bob.post("/api/label", json={"candidate_id": "2", "cls": 1}).status_code == 200
    labs = {lab.user: lab for lab in db.labels_of(engine, "", candidate_ids=["2"])}
    assert labs["ann"].cls == 3 and labs["ann"].revision == 2 and labs["bob"].cls == 1
    # each sees only their own label and history; the admin sees all history
    assert ann.get("/api/candidate/2").json()["label"]["cls"] == 3
    assert bob.get("/api/candidate/2").json()["label"]["cls"] == 1
    h_ann = ann.get("/api/history/2").json()["history"]
    assert [(h["cls"], h["subclass"], h["comment"]) for h in h_ann] == [(4, "4.3", "three stars"), (3, None, "")]
    assert {h["user"] for h in login(app, "boss").get("/api/history/2").json()["history"]} == {"ann", "bob"}
    assert bob.get("/api/consensus").status_code == 403
    # a bad subclass is a 422 with a message, as a bad class is (it was a 400)
    r = ann.post("/api/label", json={"candidate_id": "2", "cls": 2, "subclass": "4.1"})
    assert r.status_code == 422 and "class 4" in r.json()["detail"]
    assert ann.post("/api/label", json={"candidate_id": "nope", "cls": 2}).status_code == 404


def test_candidate_view_and_queue_orders(setup):
    field, _, app = setup
    c = login(app, "ann")
    j = c.get("/api/candidate/5").json()
    assert "prediction" not in j                     # hidden by default
    assert "class_pred" not in j["values"] and not any(k.startswith("prob_") for k in j["values"])
    assert j["stamp"]["size"] == 41 and len(j["stamp"]["values"]) == 41
    assert {"mag_f555w", "ci", "V-I"} <= set(j["values"])
    # simulated truth and reference classes never reach the page
    field.table["age"] = 1e7
    field.table["mag_true_f555w"] = 20.0
    field.table["class_ref"] = 1
    try:
        v = c.get("/api/candidate/5").json()["values"]
        assert not {"age", "mag_true_f555w", "class_ref"} & set(v)
    finally:
        field.table.remove_columns(["age", "mag_true_f555w", "class_ref"])
    jp = c.get("/api/candidate/5?prediction=1").json()
    assert jp["prediction"]["class_pred"] in (1, 2, 3, 4)
    for kind, url in j["images"].items():
        r = c.get(url)
        assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n", kind
    assert field.cache.is_cached(field.row_of["5"])
    fit = c.get("/api/fit/5").json()["fit"]
    assert fit["fwhm"] is None or 0.5 < fit["fwhm"] < 20

    cat = c.get("/api/queue?order=catalogue").json()["ids"]
    assert cat == field.ids
    bright = c.get("/api/queue?order=brightest").json()["ids"]
    mags = [float(field.table["mag_f555w"][field.row_of[i]]) for i in bright]
    assert mags == sorted(mags) and sorted(bright) == sorted(cat)
    unc = c.get("/api/queue?order=uncertain").json()["ids"]
    tops = [field.predictions[field.row_of[i]]["top_prob"] for i in unc]
    assert tops == sorted(tops)
    r1 = c.get("/api/queue?order=random").json()["ids"]
    assert r1 == c.get("/api/queue?order=random").json()["ids"]   # stable for a person
    assert sorted(r1) == sorted(cat) and r1 != cat
    assert c.get("/api/queue?order=sideways").status_code == 400
    c.post("/api/label", json={"candidate_id": cat[0], "cls": 2})
    assert c.get("/api/queue").json()["labelled"] == [cat[0]]


def test_page_renders_with_keys_and_hidden_prediction(setup):
    _, _, app = setup
    c = login(app, "ann")
    html = c.get("/").text
    assert 'name="csrf-token"' in html and c.headers["X-CSRF-Token"] in html
    assert 'id="prediction" class="hidden"' in html
    assert html.count('class="sub"') == 12 and 'data-sub="4.10"' in html and 'data-key="="' in html


def test_path_traversal_refused(setup, tmp_path):
    field, _, app = setup
    root = field.data_dir
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = root / "link_to_secret.txt"
    if not link.exists():
        os.symlink(outside, link)
    try:
        for bad in ["../secret.txt", "../../etc/passwd", "/etc/passwd", "..%2fsecret.txt",
                    "sub/../../secret.txt", "link_to_secret.txt", ".inspect_cache", "inspect.sqlite",
                    "", "a\x00b"]:
            assert safe_path(root, bad) is None, bad
        assert safe_path(root, "candidates.ecsv") == (root / "candidates.ecsv").resolve()
        c = login(app, "ann")
        assert c.get("/data/candidates.ecsv").status_code == 200
        for url in ["/data/..%2F..%2Fetc%2Fpasswd", "/data/%2e%2e/%2e%2e/etc/passwd",
                    "/data/link_to_secret.txt", "/data/%2Fetc%2Fpasswd", "/img/..%2F..%2Fetc/composite.png",
                    "/img/1/..%2F..%2Fsecret.png", "/img/1/passwd.png"]:
            r = c.get(url)
            assert r.status_code == 404, url
            assert b"secret" not in r.content and b"root:" not in r.content
    finally:
        link.unlink()


def test_export_is_a_catalogue_train_reads(setup, tmp_path):
    field, engine, app = setup
    from starclass.io.catalog import read_catalog

    users = {u["name"]: u["id"] for u in db.list_users(engine)}
    votes = {"1": {"ann": 1, "bob": 1, "boss": 2}, "2": {"ann": 4, "bob": 4, "boss": 4},
             "3": {"ann": 2, "bob": 3}}
    for cid, v in votes.items():
        for name, cls in v.items():
            db.save_label(engine, "", cid, users[name], cls, "4.2" if cls == 4 else None,
                          "pair" if cls == 4 and name == "ann" else "")
    from starclass.inspect.export import export_labels

    out = tmp_path / "labels.ecsv"
    export_labels(engine, "", field.table, out, summary_path=tmp_path / "agreement.json")
    t = read_catalog(out)
    assert list(t["id"]) == [1, 2, 3]
    assert t["class_ref"].tolist() == [1, 4, 3]
    assert t["tie"].tolist() == [False, False, True]
    assert [v or "" for v in t["subclass"].tolist()] == ["", "4.2", ""]  # text labels; none: empty or masked
    assert t.meta["people"] == {"class_h1": "ann", "class_h2": "bob", "class_h3": "boss"}
    assert t["class_h3"].tolist() == [2, 4, 0]
    assert "mag_f555w" in t.colnames and np.allclose(t["x"], field.table["x"][:3])
    assert "ann: pair" in t["comments"][1]
    assert (tmp_path / "agreement.json").exists()
    # the evaluate stage's human baselines read it
    from starclass.evaluate.agreement import human_baselines

    hb = human_baselines(t, min_overlap=1)
    assert 0 <= hb["summary"]["pairwise_4class"] <= 1


def test_cli_add_user_and_export(field_dir, tmp_path, monkeypatch):
    from starclass.cli import app as cli

    dbfile = tmp_path / "cli.sqlite"
    url = f"sqlite:///{dbfile}"
    runner = CliRunner()
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    r = runner.invoke(cli, ["inspect", str(field_dir), "--db", url, "--init", "--add-user", "dana"])
    assert r.exit_code == 0, r.output
    assert "created user dana" in r.output
    r = runner.invoke(cli, ["inspect", str(field_dir), "--db", url, "--add-user", "dana"])
    assert r.exit_code == 2 and "exists" in r.output
    r = runner.invoke(cli, ["inspect", str(field_dir), "--db", url, "--list-users"])
    assert "dana" in r.output
    r = runner.invoke(cli, ["inspect", str(field_dir), "--db", url, "--export", str(tmp_path / "l.ecsv")])
    assert r.exit_code == 2 and "no labels" in r.output
    engine = db.make_engine(url)
    db.save_label(engine, "", "4", 1, 2)
    r = runner.invoke(cli, ["inspect", str(field_dir), "--db", url, "--export", str(tmp_path / "l.ecsv")])
    assert r.exit_code == 0, r.output
    assert "wrote 1 labelled" in r.output
    r = runner.invoke(cli, ["inspect", str(tmp_path / "missing"), "--db", url])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_loopback_server_refuses_other_host_names(setup):
    field, engine, _ = setup
    from starclass.inspect.app import LOOPBACK_HOSTS

    app = create_app(field, engine, allowed_hosts=LOOPBACK_HOSTS)
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/login").status_code == 200
    # a page on another name that resolves to 127.0.0.1 (DNS rebinding) gets nothing
    assert TestClient(app, base_url="http://evil.example:8000").get("/login").status_code == 400


@pytest.mark.parametrize("body, field, allowed", [
    ({"cls": 7}, "cls", "1 ("),                                  # not a class of the scheme
    ({"cls": 4, "subclass": "4.99"}, "subclass", "4.1, 4.2"),    # not a subclass
    ({"cls": 4, "subclass": 4.1}, "subclass", "4.1, 4.2"),       # a number: 4.10 would arrive as 4.1
    ({"cls": 2, "subclass": "4.3"}, "subclass", "class 4"),      # a subclass of another class
])
def test_bad_class_and_bad_subclass_are_both_422_naming_the_field(setup, body, field, allowed):
    """A bad subclass answered 400 (the generic StarclassError handler), a bad class 422."""
    _, engine, app = setup
    ann = login(app, "ann")
    r = ann.post("/api/label", json={"candidate_id": "3", **body})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith(f"{field}:") and allowed in detail, detail
    assert db.labels_of(engine, "", candidate_ids=["3"]) == []


def test_export_and_summary_are_one_set(setup, tmp_path, monkeypatch):
    """An interrupt while the summary was written left the catalogue alone in place (written first)."""
    field, engine, app = setup
    users = {u["name"]: u["id"] for u in db.list_users(engine)}
    db.save_label(engine, "", "1", users["ann"], 1, None, "")
    import starclass.inspect.export as export

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export.json, "dumps", interrupted)
    out = tmp_path / "export"
    out.mkdir()
    with pytest.raises(KeyboardInterrupt):
        export.export_labels(engine, "", field.table, out / "labels.ecsv", summary_path=out / "s.json")
    assert sorted(p.name for p in out.iterdir()) == []


def test_serve_on_a_port_in_use_says_so_before_printing_an_address(field_dir, tmp_path):
    """With the port taken (another program, another `starclass inspect`), serve printed "open
    http://127.0.0.1:PORT/", then uvicorn's "[Errno 98] ... address already in use": the printed
    address served the other program. The port is now bound first; the error names it and --port."""
    import socket

    from starclass.errors import StarclassError
    from starclass.inspect.app import serve

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    said: list[str] = []
    try:
        with pytest.raises(StarclassError, match=rf"port {port} on 127.0.0.1 is already in use.*--port"):
            serve(load_field(field_dir, cache_dir=tmp_path / "cache"), engine, port=port, prerender_all=False,
                  echo=said.append)
    finally:
        taken.close()
        engine.dispose()
    assert not any("open http" in s for s in said), said


def test_a_host_name_is_bound_on_ipv4_as_uvicorn_bound_it(monkeypatch):
    """The socket was bound on the first address getaddrinfo gave: where a name resolves to ::1
    first (localhost on macOS) the server listened on IPv6 alone, while uvicorn had bound IPv4."""
    import socket

    import starclass.inspect.app as app_mod

    real = socket.getaddrinfo

    def ipv6_first(host, port, family=0, type=0, proto=0, flags=0):
        found = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                 (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        if host != "myhost":
            return real(host, port, family, type, proto, flags)
        return [f for f in found if family in (0, f[0])]

    monkeypatch.setattr(app_mod.socket, "getaddrinfo", ipv6_first)
    sock = app_mod.listening_socket("myhost", 0)
    try:
        assert sock.family == socket.AF_INET and sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


def test_the_share_of_aperture_on_masked_pixels_is_shown_beside_the_picture(field_dir, tmp_path):
    """detect's masked_frac (the V aperture's share on NaN or off-image pixels: magnitudes too faint)
    was left out of the values shown beside each candidate, so a person saw a faint magnitude for a
    source half on a mosaic's NaN border without being told why."""
    from astropy.table import Table

    d = tmp_path / "field"
    d.mkdir()
    for f in field_dir.iterdir():
        if f.is_file():
            (d / f.name).write_bytes(f.read_bytes())
    cat = next(p for p in d.iterdir() if p.name.startswith("candidates."))
    t = Table.read(cat)
    t["masked_frac"] = np.linspace(0.0, 0.5, len(t))
    t.write(cat, overwrite=True)
    field = load_field(d, cache_dir=tmp_path / "cache")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", PASSWORDS["ann"])
    c = login(create_app(field, engine), "ann")
    values = c.get(f"/api/candidate/{field.ids[-1]}").json()["values"]
    assert values["masked_frac"] == pytest.approx(0.5)
    engine.dispose()


def test_the_page_icon_is_served_without_a_login(setup):
    # browsers ask for /favicon.ico on every page load: it was a 404, a console error each time
    _, _, app = setup
    for c in (TestClient(app), login(app, "ann")):
        r = c.get("/favicon.ico")
        assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
        from io import BytesIO

        from PIL import Image

        assert Image.open(BytesIO(r.content)).size == (16, 16)


def test_a_labels_time_stamp_is_utc_with_its_offset_when_saved_and_when_read_back(setup):
    # the POST answered '...+00:00' but GET /api/candidate gave the same time without a zone (SQLite keeps
    # none); rows written before the fix (naive in the file) read back as UTC too
    import datetime as dt

    import sqlalchemy as sa

    _, engine, app = setup
    ann = login(app, "ann")
    posted = ann.post("/api/label", json={"candidate_id": "3", "cls": 2}).json()["updated_at"]
    got = ann.get("/api/candidate/3").json()["label"]["updated_at"]
    assert got == posted and got.endswith("+00:00")
    assert dt.datetime.fromisoformat(got).utcoffset() == dt.timedelta(0)
    history = ann.get("/api/history/3").json()["history"]
    assert all(h["changed_at"].endswith("+00:00") for h in history)
    # an old row as the earlier code left it in SQLite: a naive text time stamp
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE labels SET updated_at = '2026-01-02 03:04:05.000000' WHERE candidate_id = '3'"))
    assert ann.get("/api/candidate/3").json()["label"]["updated_at"] == "2026-01-02T03:04:05+00:00"
    # a stamp given in another zone is stored as its UTC time
    with engine.begin() as conn:
        conn.execute(db.labels.update().where(db.labels.c.candidate_id == "3").values(
            updated_at=dt.datetime(2026, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))))
    assert ann.get("/api/candidate/3").json()["label"]["updated_at"] == "2026-01-02T03:04:05+00:00"
