"""Database of the inspection app: schema versions, migration without loss, labels, history,
password hashing and sessions."""

import datetime as dt

import pytest
import sqlalchemy as sa

from starclass.errors import StarclassError
from starclass.inspect import auth, db

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)


@pytest.fixture()
def engine(tmp_path):
    e = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    yield e
    e.dispose()


def test_new_database_has_current_version(engine):
    assert db.current_version(engine) is None
    assert db.init_db(engine) == db.SCHEMA_VERSION
    assert db.current_version(engine) == db.SCHEMA_VERSION
    assert db.init_db(engine) == db.SCHEMA_VERSION  # idempotent
    tables = set(sa.inspect(engine).get_table_names())
    assert {"schema_version", "users", "sessions", "labels", "label_history"} <= tables


def test_version_1_database_is_migrated_without_loss(engine):
    db.create_v1_schema(engine)
    assert db.current_version(engine) == 1
    md = db._v1_metadata()
    t0 = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(md.tables["users"].insert(), [
            {"id": 1, "name": "ann", "password_hash": auth.hash_password("ann-password"), "created_at": t0},
            {"id": 2, "name": "bob", "password_hash": auth.hash_password("bob-password"), "created_at": t0},
        ])
        conn.execute(md.tables["labels"].insert(), [
            {"id": 1, "candidate_id": "7", "user_id": 1, "cls": 1, "subclass_code": None, "created_at": t0},
            {"id": 2, "candidate_id": "7", "user_id": 2, "cls": 4, "subclass_code": 10, "created_at": t0},
            {"id": 3, "candidate_id": "8", "user_id": 2, "cls": 4, "subclass_code": 1, "created_at": t0},
            {"id": 4, "candidate_id": "9", "user_id": 1, "cls": 3, "subclass_code": None, "created_at": t0},
        ])
    assert db.init_db(engine) == 2
    assert db.current_version(engine) == 2
    with engine.connect() as conn:
        versions = [r[0] for r in conn.execute(sa.select(db.schema_version.c.version).order_by(
            db.schema_version.c.version))]
    assert versions == [1, 2]
    labs = {(lab.candidate_id, lab.user): lab for lab in db.labels_of(engine, "")}
    assert len(labs) == 4
    assert labs[("7", "ann")].cls == 1 and labs[("7", "ann")].subclass is None
    assert labs[("7", "bob")].subclass == "4.10"   # code 10 is 4.10, not 4.1
    assert labs[("8", "bob")].subclass == "4.1"
    assert labs[("9", "ann")].cls == 3
    # history seeded with the migrated versions; passwords still work; new writes get new ids
    hist = db.history_of(engine, "", "7")
    assert [(h["user"], h["action"]) for h in hist] == [("ann", "migrate"), ("bob", "migrate")]
    assert auth.login(engine, "ann", "ann-password") is not None
    saved = db.save_label(engine, "", "7", 1, 2, comment="changed my mind")
    assert saved["revision"] == 2
    assert [h["cls"] for h in db.history_of(engine, "", "7") if h["user"] == "ann"] == [1, 2]
    uid = db.add_user(engine, "cat", "cat-password")
    assert uid == 3


def test_newer_or_foreign_database_refused(engine, tmp_path):
    db.init_db(engine)
    with engine.begin() as conn:
        conn.execute(db.schema_version.insert().values(version=99, applied_at=db.utcnow()))
    with pytest.raises(StarclassError, match="newer"):
        db.init_db(engine)
    other = db.make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.begin() as conn:
        conn.execute(sa.text("CREATE TABLE labels (x INTEGER)"))
    with pytest.raises(StarclassError, match="not made by starclass"):
        db.init_db(other)


def test_labels_history_and_validation(engine):
    db.init_db(engine)
    a = db.add_user(engine, "ann", "ann-password")
    b = db.add_user(engine, "bob", "bob-password")
    db.save_label(engine, "f1", "1", a, 4, "4.2", "a pair")
    db.save_label(engine, "f1", "1", a, 4, "4.12")
    db.save_label(engine, "f1", "1", b, 1)
    db.save_label(engine, "f2", "1", a, 3)          # another dataset, same id
    mine = db.labels_of(engine, "f1", user_id=a)
    assert [(m.cls, m.subclass, m.revision) for m in mine] == [(4, "4.12", 2)]
    hist = db.history_of(engine, "f1", "1")
    assert [(h["user"], h["cls"], h["subclass"], h["comment"], h["action"]) for h in hist] == [
        ("ann", 4, "4.2", "a pair", "create"), ("ann", 4, "4.12", "", "update"), ("bob", 1, None, "", "create")]
    assert len(db.labels_of(engine, "f2")) == 1
    for bad in [(5, None), (1, "4.2"), (4, "4.13"), (4, "4.0")]:
        with pytest.raises(StarclassError):
            db.save_label(engine, "f1", "2", a, *bad)
    with pytest.raises(StarclassError, match="exists"):
        db.add_user(engine, "ann", "another-password")
    with pytest.raises(StarclassError, match="8 characters"):
        db.add_user(engine, "cat", "short")
    with pytest.raises(StarclassError, match="user name"):
        db.add_user(engine, "../x", "long-enough")


def test_passwords_are_argon2_and_sessions_work(engine):
    db.init_db(engine)
    db.add_user(engine, "ann", "correct horse")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(db.users.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert auth.login(engine, "ann", "wrong password") is None
    assert auth.login(engine, "nobody", "correct horse") is None
    token, csrf, user = auth.login(engine, "ann", "correct horse")
    with engine.connect() as conn:
        kept = conn.execute(sa.select(db.sessions.c.token_hash)).scalar()
    assert kept == auth.token_hash(token) and kept != token  # only the hash is stored
    s = auth.session_user(engine, token)
    assert s["name"] == "ann" and s["csrf"] == csrf
    assert auth.session_user(engine, "forged") is None
    db.set_password(engine, "ann", "battery staple")  # closes sessions
    assert auth.session_user(engine, token) is None
    assert auth.login(engine, "ann", "battery staple") is not None


def test_url_handling():
    assert db.normalise_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.normalise_url("/tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"
    assert db.redact("postgresql+psycopg://user:secret@host/db") == "postgresql+psycopg://user:***@host/db"


def test_init_refuses_another_programs_database(tmp_path):
    # before: a SQLite file of another program (no users/labels table) was "empty" to init_db,
    # so --init added the label tables to it, and without --init the message said it had none
    path = tmp_path / "catalogue.sqlite"
    other = db.make_engine(f"sqlite:///{path}")
    with other.begin() as conn:
        conn.execute(sa.text("CREATE TABLE sources (id INTEGER, ra REAL)"))
    for create in (True, False):
        with pytest.raises(StarclassError, match=r"\['sources'\].*not made by starclass"):
            db.init_db(other, create=create)
    assert sa.inspect(other).get_table_names() == ["sources"]
    other.dispose()


@pytest.mark.postgres
def test_postgresql_time_stamps_read_in_another_session_zone_are_utc():
    # PostgreSQL gives timestamptz in the session's zone ('-05:00' in New York): the answer of the POST said
    # '+00:00' and a read in such a session another offset; both are the UTC time now
    from webtools import PostgresUnavailable, throwaway_postgres

    try:
        with throwaway_postgres() as url:
            engine = db.make_engine(url, create=True)
            db.init_db(engine)
            db.add_user(engine, "ann", "ann-password")
            ny = sa.create_engine(engine.url, connect_args={"options": "-c timezone=America/New_York"})
            with ny.connect() as conn:
                uid = conn.execute(sa.select(db.users.c.id)).scalar()
                saved = db.save_label(ny, "", "7", uid, 1)["updated_at"]
                assert str(conn.exec_driver_sql("SELECT updated_at FROM labels").scalar()).endswith("-05:00")
            assert [lab.updated_at.isoformat() for lab in db.labels_of(ny, "")] == [saved]
            assert saved.endswith("+00:00")
            ny.dispose()
            engine.dispose()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server could be started: {exc}")
