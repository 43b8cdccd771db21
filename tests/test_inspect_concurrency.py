"""Five people classifying at once through the HTTP API of a real uvicorn server on 127.0.0.1
lose no label, against SQLite and (when a throwaway server can be started) PostgreSQL."""

import random
import threading

import pytest

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field
from webtools import fresh_database, login_client, running_server

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)


PEOPLE = [f"person{k}" for k in range(5)]
PASSWORD = "same-password-for-tests"


@pytest.fixture(scope="module")
def field_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=25, size=200, seed=5, predictions=False)


def test_five_people_at_once_lose_no_label(field_dir, db_url, tmp_path):
    engine = db.make_engine(db_url)
    db.init_db(engine)
    for p in PEOPLE:
        db.add_user(engine, p, PASSWORD)
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    expected: dict[tuple[str, str], int] = {}
    posts: dict[str, int] = {}
    errors: list[str] = []
    with running_server(app) as base:
        clients = {p: login_client(base, p, PASSWORD) for p in PEOPLE}
        barrier = threading.Barrier(len(PEOPLE))

        def work(person: str, seed: int) -> None:
            rng = random.Random(seed)
            c = clients[person]
            ids = list(field.ids)
            rng.shuffle(ids)
            # every candidate once, then a third of them again (updates), all as fast as possible
            plan = [(cid, rng.randint(1, 4)) for cid in ids]
            plan += [(cid, rng.randint(1, 4)) for cid in rng.sample(ids, len(ids) // 3)]
            barrier.wait()
            for cid, cls in plan:
                r = c.post("/api/label", json={"candidate_id": cid, "cls": cls,
                                               "comment": f"{person} says {cls}"})
                if r.status_code != 200:
                    errors.append(f"{person} {cid}: {r.status_code} {r.text}")
                    continue
                expected[(person, cid)] = cls
            posts[person] = len(plan)

        threads = [threading.Thread(target=work, args=(p, k)) for k, p in enumerate(PEOPLE)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        for c in clients.values():
            c.close()
    assert not errors, errors[:5]
    labs = db.labels_of(engine, "")
    got = {(lab.user, lab.candidate_id): lab.cls for lab in labs}
    assert len(labs) == len(PEOPLE) * len(field.ids)
    assert got == expected
    for lab in labs:
        assert lab.comment == f"{lab.user} says {lab.cls}"
    # the history holds every post
    import sqlalchemy as sa

    with engine.connect() as conn:
        n_hist = conn.execute(sa.select(sa.func.count()).select_from(db.label_history)).scalar()
    assert n_hist == sum(posts.values())
    engine.dispose()


@pytest.mark.postgres
def test_migration_on_postgresql(postgres_url):

    engine = db.make_engine(fresh_database(postgres_url))
    db.create_v1_schema(engine)
    md = db._v1_metadata()
    now = db.utcnow()
    with engine.begin() as conn:
        conn.execute(md.tables["users"].insert(), [{"id": 1, "name": "ann", "password_hash": "x", "created_at": now}])
        conn.execute(md.tables["labels"].insert(), [
            {"id": 1, "candidate_id": "1", "user_id": 1, "cls": 4, "subclass_code": 12, "created_at": now},
            {"id": 2, "candidate_id": "2", "user_id": 1, "cls": 2, "subclass_code": None, "created_at": now}])
    assert db.init_db(engine) == db.SCHEMA_VERSION
    labs = {lab.candidate_id: lab for lab in db.labels_of(engine, "")}
    assert labs["1"].subclass == "4.12" and labs["2"].cls == 2
    # sequences moved past the copied ids
    assert db.save_label(engine, "", "3", 1, 1)["revision"] == 1
    assert db.add_user(engine, "bob", "bob-password") == 2
    engine.dispose()


@pytest.mark.postgres
def test_label_schemes_on_postgresql(postgres_url):
    """A PostgreSQL database made before label schemes gets its ``label_schemes`` table on the
    first binding; its old labels stay PHANGS classes, a new dataset holds M31 scores."""

    from starclass.errors import StarclassError
    from starclass.inspect.export import consensus_of

    engine = db.make_engine(fresh_database(postgres_url))
    with engine.begin() as conn:  # the tables as the code before schemes made them
        db.metadata.create_all(conn, tables=[t for t in db.metadata.sorted_tables if t.name != "label_schemes"])
        conn.execute(db.schema_version.insert().values(version=2, applied_at=db.utcnow()))
    ann, bob = db.add_user(engine, "ann", "ann-password"), db.add_user(engine, "bob", "bob-password")
    db.save_label(engine, "", "1", ann, 4, "4.3")
    assert db.init_db(engine, create=False) == db.SCHEMA_VERSION
    assert db.dataset_scheme(engine, "") == "phangs"
    with pytest.raises(StarclassError, match="phangs"):
        db.bind_scheme(engine, "", "m31-check")
    for cid, (x, y) in {"1": (2, 1), "2": (0, 0), "3": (2, 2)}.items():
        db.save_label(engine, "m31", cid, ann, x, scheme="m31-check")
        db.save_label(engine, "m31", cid, bob, y)
    with pytest.raises(StarclassError, match="m31-check"):
        db.save_label(engine, "m31", "4", ann, 1, scheme="phangs")
    table, summary = consensus_of(engine, "m31")
    assert table["score_sum"].tolist() == [3, 0, 4] and summary["n_clusters"] == 2
    assert db.labels_of(engine, "")[0].subclass == "4.3"
    engine.dispose()


@pytest.mark.postgres
def test_a_third_score_is_refused_on_postgresql(postgres_url):
    """m31-check's two scores of a candidate: a third inspector's is refused on PostgreSQL too (the others' rows
    locked before they are counted), and the queue's progress counts it done (db.queue_progress's GROUP BY)."""
    engine = db.make_engine(fresh_database(postgres_url))
    db.init_db(engine)
    ann, bob, cy = (db.add_user(engine, n, f"{n}-password") for n in ("ann", "bob", "cy"))
    for who in (ann, bob):
        db.save_label(engine, "", "5", who, 2, scheme="m31-check")
    with pytest.raises(db.ScoresComplete, match="already has the 2 scores"):
        db.save_label(engine, "", "5", cy, 1, scheme="m31-check")
    db.save_label(engine, "", "5", bob, 1, scheme="m31-check")
    assert sorted(lab.user for lab in db.labels_of(engine, "")) == ["ann", "bob"]
    assert db.queue_progress(engine, "", cy, needed=2) == (set(), {"5"})
    engine.dispose()


def test_three_first_scores_of_one_candidate_at_once_save_two(db_url):
    """m31-check takes two scores of a candidate. Three inspectors giving its very first scores at the same
    instant were all saved on PostgreSQL (three scores: class_ref 0, the cluster out of the export): the check
    locked the others' rows FOR UPDATE, and there were none yet, so each counted 0. Here each transaction waits
    (at most 2 s) at its INSERT of the label for the others to get there too, as at the same instant; the
    candidate is locked now, so the second and third wait for the first, and the third is refused.
    SQLite serialises its writers (BEGIN IMMEDIATE): checked alike."""
    import sqlalchemy as sa

    engine = db.make_engine(db_url)
    db.init_db(engine)
    people = [db.add_user(engine, n, f"{n}-password") for n in ("ann", "bob", "cy")]
    db.bind_scheme(engine, "", "m31-check")
    together = threading.Barrier(len(people), timeout=2)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def at_the_same_instant(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO LABELS "):
            try:
                together.wait()
            except threading.BrokenBarrierError:  # the others are held by the candidate's lock: go on alone
                pass

    outcome: dict[int, str] = {}

    def score(who: int) -> None:
        try:
            db.save_label(engine, "", "7", who, 1, scheme="m31-check")
            outcome[who] = "saved"
        except db.ScoresComplete:
            outcome[who] = "refused"
        except Exception as exc:  # reported by the assertion below
            outcome[who] = repr(exc)

    threads = [threading.Thread(target=score, args=(who,)) for who in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome.values()) == ["refused", "saved", "saved"], outcome
    assert len(db.labels_of(engine, "", candidate_ids=["7"])) == 2
    engine.dispose()
