"""A task name over the label database's 32 characters is recorded whole and named so (2026-12-05).

The database records a task's label scheme as ``task:<task>`` in 32 characters: a longer name is cut,
with a digest (``task_scheme_name``). Read back in another process, ``inspect --stamps L`` without
``--task`` named the task "mytask-pandas-round2-... (a longer name)", and so did the message refusing
another scheme. The whole name is now recorded beside it (``label_scheme_tasks``, additive) and used
wherever the task is named; a database written before opens as it was and records it on its next server.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.inspect import db, schemes
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset, load_config, save_config
from test_inspect_stamps import make_folder  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

LONG = "mytask-pandas-round2-" + "x" * 30  # over the database's 32 characters


@pytest.fixture()
def new_process():
    """Forget the task schemes and names this process made: what another process (the next command) knows."""
    names = getattr(schemes, "TASK_NAMES", {})  # (none before 2026-12-05)
    made, known = dict(schemes.TASK_SCHEMES_MADE), dict(names)

    def forget():
        schemes.TASK_SCHEMES_MADE.clear()
        names.clear()

    yield forget
    forget()
    schemes.TASK_SCHEMES_MADE.update(made)
    names.update(known)


def _serve(labels, task, engine, tmp_path):
    cfg = load_config(task)
    return create_app(load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache"), engine, scheme=stamps_scheme(cfg))


def test_inspect_without_task_names_a_long_task_whole(tmp_path, db_url, new_process):
    labels = make_folder(tmp_path / "data")
    task = save_config(get_preset("m31-real").copy(name=LONG), tmp_path / "long.yaml")
    engine = db.make_engine(db_url, create=True)
    db.init_db(engine)
    _serve(labels, task, engine, tmp_path)
    (recorded,) = db.dataset_schemes(engine).values()
    assert len(recorded) == 32 and LONG not in recorded  # the scheme's name is still cut
    with engine.begin() as conn:
        # as a database of before 2026-12-07, which records the task's name but not the task (label_task_configs,
        # with which the export needs no --task: tests/test_inspect_stamps_init_records_task.py)
        db.label_task_configs.drop(conn, checkfirst=True)
    new_process()
    # another scheme on the dataset is refused naming the task whole (the option that serves its labels)
    with pytest.raises(StarclassError, match=rf"give --task {LONG} \(its task file"):
        db.bind_scheme(engine, "", stamps_scheme(get_preset("m31-real")))
    engine.dispose()
    new_process()
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(labels), "--db", db_url, "--export",
                                   str(tmp_path / "out.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    said = " ".join(res.output.split())
    assert f"task {LONG} is no preset" in said and "a longer name" not in said, said
    # given its file, the labels export as before
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(labels), "--task", str(task), "--db", db_url,
                                   "--export", str(tmp_path / "out.csv"), "--include-unlabelled"])
    assert res.exit_code == 0, res.output


def test_a_database_written_before_the_table_opens_and_records_the_name_on_its_next_server(tmp_path, new_process):
    import sqlalchemy as sa

    labels = make_folder(tmp_path / "data")
    task = save_config(get_preset("m31-real").copy(name=LONG), tmp_path / "long.yaml")
    cut = schemes.task_scheme_name(LONG)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", create=True)
    with engine.begin() as conn:  # the tables as the code before made them
        db.metadata.create_all(conn, tables=[t for t in db.metadata.sorted_tables if t.name != "label_scheme_tasks"])
        conn.execute(db.schema_version.insert().values(version=2, applied_at=db.utcnow()))
        conn.execute(db.label_schemes.insert().values(dataset="", scheme=cut, chosen_at=db.utcnow()))
    new_process()
    assert db.dataset_scheme(engine, "") == cut
    assert schemes.task_of(cut).endswith("... (a longer name)")  # all the old database holds
    assert not sa.inspect(engine).has_table("label_scheme_tasks")
    _serve(labels, task, engine, tmp_path)
    new_process()
    assert db.dataset_scheme(engine, "") == cut and schemes.task_of(cut) == LONG
    engine.dispose()


def test_the_server_names_a_long_task_beside_its_cut_scheme_name(tmp_path, monkeypatch):
    from starclass.inspect import app as app_module

    class NoServer:  # serving would block the test
        stopped_by = None

        def __init__(self, *a, **k):
            pass

        def run(self, *a, **k):
            return None

    # serve's own server class (a uvicorn.Server made when the module loads): patching uvicorn.Server served
    # for real and blocked the test until killed
    monkeypatch.setattr(app_module, "_StoppedServer", NoServer)
    labels = make_folder(tmp_path / "data")
    cfg = load_config(save_config(get_preset("m31-real").copy(name=LONG), tmp_path / "long.yaml"))
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}", create=True)
    db.init_db(engine)
    lines: list[str] = []
    app_module.serve(load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache"), engine, port=0,
                     prerender_all=False, echo=lines.append, scheme=stamps_scheme(cfg))
    engine.dispose()
    said = next(line for line in lines if line.startswith("label scheme"))
    assert said.startswith(f"label scheme {schemes.task_scheme_name(LONG)} (task {LONG}): key 1"), said
