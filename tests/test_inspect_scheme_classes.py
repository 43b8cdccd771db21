"""A task file whose classes change under the same name, served on one label database (2026-12-05).

The database recorded a task's label scheme by name only (``task:<task>``, 32 characters): a task
file ``mytask`` with 1 = cluster, 2 = galaxy, then edited to 1 = galaxy, 2 = cluster, was served on
the same database without a word, and ``--export`` wrote the cluster labelled 1 under the first file
as ``galaxy``. The classes are now recorded beside the name (``label_scheme_classes``, additive) and
another set under the same name is refused, exit 2, nothing written; on SQLite and PostgreSQL, with a
task name over the 32 characters (cut with a digest, never truncated silently nor refused by
PostgreSQL's varchar).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset, load_config, save_config
from test_inspect_stamps import PASSWORDS, login, make_folder  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

runner = CliRunner()
LONG = "mytask-pandas-round2-" + "x" * 30  # over the database's 32 characters


def _tasks(tmp_path, name: str):
    base = get_preset("m31-real")
    a = save_config(base.copy(name=name), tmp_path / "a.yaml")
    # the same name, the classes swapped: 1 = galaxy, 2 = cluster
    b = save_config(base.copy(name=name, label_map={"galaxy": 1, "cluster": 2}, class_names=["galaxy", "cluster"]),
                    tmp_path / "b.yaml")
    return a, b


def _serve(labels, task, engine, tmp_path):
    cfg = load_config(task)
    return create_app(load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache"), engine, scheme=stamps_scheme(cfg))


@pytest.mark.parametrize("name", ["mytask", LONG])
def test_a_task_file_whose_classes_changed_under_its_name_is_refused(tmp_path, db_url, name):
    labels = make_folder(tmp_path / "data")
    a, b = _tasks(tmp_path, name)
    engine = db.make_engine(db_url, create=True)
    db.init_db(engine)
    uid = db.add_user(engine, "ann", PASSWORDS["ann"])
    c = login(_serve(labels, a, engine, tmp_path), "ann")
    assert c.post("/api/label", json={"candidate_id": "cluster/o0.png", "cls": 1}).status_code == 200
    (recorded,) = db.dataset_schemes(engine).values()
    assert len(recorded) <= 32 and recorded.startswith(f"task:{name[:10]}")
    with pytest.raises(StarclassError) as err:
        _serve(labels, b, engine, tmp_path)
    assert ("were given in the classes 1 = cluster, 2 = galaxy of label scheme" in str(err.value)
            and "but the classes 1 = galaxy, 2 = cluster" in str(err.value)), err.value
    # nor one label saved in the other classes (a server of the first file bound the dataset before)
    with pytest.raises(StarclassError, match="the label was not saved"):
        db.save_label(engine, "", "galaxy/o1.png", uid, 1, scheme=stamps_scheme(load_config(b)))
    assert [lab.candidate_id for lab in db.labels_of(engine, "")] == ["cluster/o0.png"]
    engine.dispose()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", str(b), "--db", db_url,
                              "--export", str(tmp_path / "b.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, (res.output, res.exception)
    assert "so labels of the two would mix" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "b.csv").exists()
    # the file the labels were given with still exports them, as they were given
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", str(a), "--db", db_url,
                              "--export", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    row = next(line for line in (tmp_path / "a.csv").read_text().splitlines() if line.startswith("cluster/o0.png"))
    assert ",cluster," in row and ",galaxy," not in row, row


def test_a_database_bound_before_the_classes_were_recorded_records_them_on_its_next_server(tmp_path):
    """A database the code before wrote (label_schemes, no label_scheme_classes) opens as it was; its next
    server records the classes, and another set under the name is refused from then on."""
    import sqlalchemy as sa

    labels = make_folder(tmp_path / "data")
    a, b = _tasks(tmp_path, "mytask")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", create=True)
    with engine.begin() as conn:  # the tables as the code before made them
        db.metadata.create_all(conn, tables=[t for t in db.metadata.sorted_tables if t.name != "label_scheme_classes"])
        conn.execute(db.schema_version.insert().values(version=2, applied_at=db.utcnow()))
        conn.execute(db.label_schemes.insert().values(dataset="", scheme="task:mytask", chosen_at=db.utcnow()))
    uid = db.add_user(engine, "ann", PASSWORDS["ann"])
    db.save_label(engine, "", "cluster/o0.png", uid, 1, scheme=stamps_scheme(load_config(a)))
    assert db.init_db(engine, create=False) == db.SCHEMA_VERSION
    assert not sa.inspect(engine).has_table("label_scheme_classes")
    _serve(labels, a, engine, tmp_path)
    with engine.connect() as conn:
        assert conn.execute(sa.select(db.label_scheme_classes.c.classes)).scalar() == "1 = cluster, 2 = galaxy"
    with pytest.raises(StarclassError, match="but the classes 1 = galaxy, 2 = cluster"):
        _serve(labels, b, engine, tmp_path)
    _serve(labels, a, engine, tmp_path)  # the same file again: served
    engine.dispose()
