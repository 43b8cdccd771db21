"""People's names on the labelling page: letters of any script, spaces between words, one
normal form; and a refused name or password leaves no new database behind.

Until 2026-12-05 ``--add-user`` took ASCII letters, digits and ``_.@-`` only: ``Ann Lee``,
``Björn Ødegård`` and ``李明`` were refused with "use 1-64 letters, digits or _.@-", and
``inspect DIR --init --add-user "Ann Lee"`` had created ``inspect.sqlite`` before refusing.
"""

from __future__ import annotations

import unicodedata
import warnings

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.errors import StarclassError
from starclass.inspect import auth, db
from starclass.inspect.app import create_app, load_field
from starclass.inspect.export import export_labels

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # several accounts: cheap hashes (conftest.py)

NAMES = ["Ann Lee", "Björn Ødegård", "李明", "Seán O'Brien", "अनु"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=120, seed=5)


def test_names_of_any_script_and_with_spaces_make_accounts_and_log_in(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name in NAMES:
        db.add_user(engine, name, "a-long-password")
    assert [u["name"] for u in db.list_users(engine)] == NAMES
    # typed decomposed (o + combining diaeresis, as some keyboards send it): the same account, in
    # add_user, login and set_password alike
    decomposed = unicodedata.normalize("NFD", "Björn Ødegård")
    assert decomposed != "Björn Ødegård"
    with pytest.raises(StarclassError, match="exists already"):
        db.add_user(engine, decomposed, "a-long-password")
    session = auth.login(engine, decomposed, "a-long-password")
    assert session is not None and session[2]["name"] == "Björn Ødegård"
    db.set_password(engine, decomposed, "another-long-password")
    assert auth.login(engine, "Björn Ødegård", "another-long-password") is not None
    engine.dispose()


@pytest.mark.parametrize("bad, why", [
    ("../x", "'/' is not allowed"), ("ann: bob", "':' is not allowed"), ("ann\tlee", "'\\\\t' is not allowed"),
    ("Ann  Lee", "two spaces in a row"), ("   ", "use 1-64"), ("a" * 65, "use 1-64"),
    ("ann|bob", "'|' is not allowed"),
])
def test_names_that_would_confuse_the_export_are_refused_by_name(bad, why):
    # ':' and '|' would make the export's comments ("person: comment | ...") ambiguous
    with pytest.raises(StarclassError, match=why):
        db.user_name(bad)


def test_people_named_so_label_on_the_page_and_the_export_names_them(demo_dir, tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name in NAMES[:3]:
        db.add_user(engine, name, "a-long-password")
    field = load_field(demo_dir, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    for k, name in enumerate(NAMES[:3]):
        c = TestClient(app)
        c.get("/login")
        r = c.post("/api/login", json={"name": unicodedata.normalize("NFD", name), "password": "a-long-password"},
                   headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf"]
        assert name in c.get("/").text
        r = c.post("/api/label", json={"candidate_id": field.ids[0], "cls": 1 + k % 2, "comment": "seen"})
        assert r.status_code == 200, r.text
    out = tmp_path / "labels.ecsv"
    export_labels(engine, field.dataset, field.table, out)
    from astropy.table import Table

    t = Table.read(out)
    assert t.meta["people"] == {"class_h1": "Ann Lee", "class_h2": "Björn Ødegård", "class_h3": "李明"}
    assert t["comments"][0] == "Ann Lee: seen | Björn Ødegård: seen | 李明: seen"
    engine.dispose()


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    return CliRunner()


def test_the_cli_makes_an_account_of_a_name_with_spaces(demo_dir, tmp_path, runner):
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", url, "--init", "--add-user", "Björn Ødegård"])
    assert r.exit_code == 0, r.output
    assert "created user Björn Ødegård" in r.output


@pytest.mark.parametrize("name, password, why", [("ann/x", "dana-password", "'/' is not allowed"),
                                                   ("dana", "short", "at least 8 characters")])
def test_a_refused_name_or_password_leaves_no_new_database(demo_dir, tmp_path, runner, monkeypatch, name,
                                                            password, why):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", password)
    path = tmp_path / "labels.sqlite"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--init", "--add-user", name])
    assert r.exit_code == 2, r.output
    assert why in r.output and "Traceback" not in r.output
    assert not path.exists()


def test_list_users_of_a_database_without_accounts_says_so(demo_dir, tmp_path, runner):
    # 'inspect f1 --list-users' on a database made with --init alone printed nothing at all
    from starclass.inspect import db as dbm

    path = tmp_path / "labels.sqlite"
    engine = dbm.make_engine(f"sqlite:///{path}")
    dbm.init_db(engine)
    engine.dispose()
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--list-users"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"no accounts in sqlite:///{path} yet: add one with --add-user NAME (--admin for an " \
                               "administrator)"


def test_the_login_throttle_counts_a_name_however_it_is_typed(demo_dir, tmp_path):
    # the throttle counted failures by the name as sent: 'Björn Ødegård' composed and decomposed had five free
    # tries each, for one account
    from starclass.inspect.limits import LoginThrottle

    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "Björn Ødegård", "a-long-password")
    throttle = LoginThrottle(free_per_account=4, free_per_address=100)
    app = create_app(load_field(demo_dir, cache_dir=tmp_path / "cache"), engine, login_throttle=throttle)
    c = TestClient(app)
    c.get("/login")
    forms = [unicodedata.normalize(f, "Björn Ødegård") for f in ("NFC", "NFD", "NFC", "NFD")]
    for name in forms:
        r = c.post("/api/login", json={"name": name, "password": "wrong-password"},
                   headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
        assert r.status_code == 401, r.text
    r = c.post("/api/login", json={"name": forms[1], "password": "a-long-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 429, r.text
    engine.dispose()


def test_a_csv_export_says_whose_column_is_whose(demo_dir, tmp_path, runner):
    # 'inspect f2 --export e3.csv --summary agr3.json': the CSV keeps no meta['people'], the summary had no
    # mapping, nothing printed one: class_h1..class_h3 were three people nobody could name
    import json

    path = tmp_path / "labels.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    db.init_db(engine)
    uids = {name: db.add_user(engine, name, "a-long-password") for name in NAMES[:3]}
    ids = load_field(demo_dir, cache_dir=tmp_path / "cache").ids
    for k, name in enumerate(NAMES[:3]):
        db.save_label(engine, "", ids[0], uids[name], 1 + k % 2, None, "")
    engine.dispose()
    out, summary = tmp_path / "labels.csv", tmp_path / "agreement.json"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export", str(out),
                            "--summary", str(summary)])
    assert r.exit_code == 0, r.output
    assert (f"a CSV keeps no meta: whose column is whose is in {tmp_path / 'labels.people.json'} beside it (train "
            "--labels reads it; --summary keeps it as 'people'): class_h1 = Ann Lee, class_h2 = Björn Ødegård, "
            "class_h3 = 李明") in r.output
    assert json.loads(summary.read_text())["people"] == {"class_h1": "Ann Lee", "class_h2": "Björn Ødegård",
                                                         "class_h3": "李明"}
    # an ECSV keeps them in its meta: no such line
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export",
                            str(tmp_path / "labels.ecsv")])
    assert r.exit_code == 0 and "keeps no meta" not in r.output, r.output


def test_train_finds_the_people_of_a_csv_export(demo_dir, tmp_path, runner):
    """'inspect --export e3.csv' then 'train --labels e3.csv --label-model dawid-skene' wrote annotators.ecsv
    without a person column (an ECSV export had one): the CSV kept no names. The export now writes
    e3.people.json beside it, which read_votes (train --labels) puts in the table's meta."""
    import json

    from astropy.table import Table

    from starclass.learn.config import get_preset
    from starclass.learn.labels import read_votes, votes_for_catalogue

    path = tmp_path / "labels.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    db.init_db(engine)
    uids = {name: db.add_user(engine, name, "a-long-password") for name in NAMES[:3]}
    ids = load_field(demo_dir, cache_dir=tmp_path / "cache").ids
    for j, cid in enumerate(ids):
        for k, name in enumerate(NAMES[:3]):
            db.save_label(engine, "", cid, uids[name], 1 + (j + k) % 3, None, "")
    engine.dispose()
    out = tmp_path / "e3.csv"
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export", str(out)])
    assert r.exit_code == 0, r.output
    side = tmp_path / "e3.people.json"  # inspect.export.people_path(out)
    want = {"class_h1": "Ann Lee", "class_h2": "Björn Ødegård", "class_h3": "李明"}
    assert json.loads(side.read_text(encoding="utf-8")) == {"people": want}
    votes = read_votes(out)
    assert votes.meta["people"] == want
    vt = votes_for_catalogue(get_preset("legus4"), Table({"id": votes["id"]}), votes, model="dawid-skene")
    assert sorted(set(vt.annotators["person"])) == sorted(want.values())
    assert dict(zip(vt.annotators["annotator"], vt.annotators["person"])) == want
    # a second export to the same name is refused for the file beside it too, and --overwrite replaces both
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export", str(out)])
    assert r.exit_code == 2 and "exists" in r.output, r.output
    out.unlink()
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export", str(out)])
    assert r.exit_code == 2 and "e3.people.json" in r.output, r.output
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export", str(out),
                            "--overwrite"])
    assert r.exit_code == 0 and out.is_file(), r.output
    # an ECSV keeps them in its meta: nothing beside it
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{path}", "--export",
                            str(tmp_path / "e4.ecsv")])
    assert r.exit_code == 0 and not (tmp_path / "e4.people.json").exists(), r.output
